"""What one OpenSSL end saw on the wire, from the ``ssl`` message callback.

Python's ``ssl`` (3.11) exposes neither the key exchange group nor the chain of a peer whose
certificate failed verification; OpenSSL's message callback (``SSLContext._msg_callback``,
CPython's debugging hook, present since 3.8) hands over every handshake message and alert in
plain text, TLS 1.3's encrypted ones included. :class:`Wire` keeps the few facts a result
needs: the alert read, the ServerHello's suite and group, a ServerKeyExchange's group, and the
peer's Certificate message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_ALERT = 21
_HANDSHAKE = 22
_SERVER_HELLO = 2
_CERTIFICATE = 11
_SERVER_KEY_EXCHANGE = 12
_KEY_SHARE = 51


@dataclass
class Wire:
    """Facts gathered by :meth:`callback` for one connection (``tls13`` selects the Certificate
    message layout). Every parse is bounds-checked: a short message leaves a field unset."""

    tls13: bool
    alert_read: int | None = None
    alert_written: int | None = None
    cipher_id: int | None = None
    group: int | None = None
    server_key_exchange: bool = False
    peer_chain: tuple[bytes, ...] = ()
    _errors: list[str] = field(default_factory=list)

    def callback(self, conn, direction, version, content_type, msg_type, data) -> None:
        """The ``_msg_callback`` signature; never raises (OpenSSL would print and go on)."""
        try:
            self._see(direction, int(content_type), bytes(data))
        except Exception as exc:  # a malformed message is recorded, never fatal here
            self._errors.append(repr(exc))

    def _see(self, direction: str, content_type: int, data: bytes) -> None:
        if content_type == _ALERT and len(data) >= 2:
            if direction == "read" and self.alert_read is None:
                self.alert_read = data[1]
            elif direction == "write" and self.alert_written is None:
                self.alert_written = data[1]
            return
        if content_type != _HANDSHAKE or len(data) < 4:
            return
        kind, body = data[0], data[4:]
        if kind == _SERVER_HELLO:
            self._server_hello(body)
        elif kind == _SERVER_KEY_EXCHANGE:
            self.server_key_exchange = True
            if len(body) >= 3 and body[0] == 3:  # ECParameters: named_curve
                self.group = int.from_bytes(body[1:3], "big")
        elif kind == _CERTIFICATE and direction == "read":
            self.peer_chain = tuple(_certificates(body, self.tls13))

    def _server_hello(self, body: bytes) -> None:
        at = 2 + 32
        if len(body) < at + 1:
            return
        at += 1 + body[at]
        if len(body) < at + 3:
            return
        self.cipher_id = int.from_bytes(body[at : at + 2], "big")
        at += 3  # suite, compression
        if len(body) < at + 2:
            return
        end = at + 2 + int.from_bytes(body[at : at + 2], "big")
        at += 2
        while at + 4 <= min(end, len(body)):
            ext = int.from_bytes(body[at : at + 2], "big")
            size = int.from_bytes(body[at + 2 : at + 4], "big")
            value = body[at + 4 : at + 4 + size]
            if ext == _KEY_SHARE and len(value) >= 2:
                self.group = int.from_bytes(value[:2], "big")
            at += 4 + size


def _certificates(body: bytes, tls13: bool) -> list[bytes]:
    """The DER certificates of a Certificate message body (RFC 8446 §4.4.2 / RFC 5246 §7.4.2)."""
    at = 0
    if tls13:
        if not body:
            return []
        at = 1 + body[0]  # certificate_request_context
    if len(body) < at + 3:
        return []
    end = min(len(body), at + 3 + int.from_bytes(body[at : at + 3], "big"))
    at += 3
    out = []
    while at + 3 <= end:
        size = int.from_bytes(body[at : at + 3], "big")
        out.append(body[at + 3 : at + 3 + size])
        at += 3 + size
        if tls13:
            if at + 2 > end:
                break
            at += 2 + int.from_bytes(body[at : at + 2], "big")
    return out
