"""The typed, frozen record of one loopback handshake: what each end saw and who said no.

Errors are kept in each library's own words (OpenSSL's reason strings, Go's error text); alerts,
groups and cipher suites are also given by their IANA names/code points so the two libraries
compare without parsing prose.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["server", "client"]
Impl = Literal["openssl", "go"]
ROLES: tuple[Role, ...] = ("server", "client")
IMPLS: tuple[Impl, ...] = ("openssl", "go")


@dataclass(frozen=True)
class SideResult:
    """One end of the connection as its library reported it.

    ``ok``: this end completed the handshake (a client also read the server's first bytes, which
    is where a TLS 1.3 client learns that the server refused its certificate).
    ``refused``: this end aborted on its own account (verification failed, a setup error, a
    policy check), as opposed to failing because the peer sent an alert or hung up.
    ``error``: the library's message (OpenSSL: the ``ssl`` exception text without CPython's
    ``(_ssl.c:N)`` suffix; Go: ``err.Error()``), None when ``ok``.
    ``verify_failed``: this end checked the peer's certificate chain and rejected it (OpenSSL's
    ``CERTIFICATE_VERIFY_FAILED``, Go's ``tls: failed to verify certificate``).
    ``verify_code``: OpenSSL's ``X509_V_ERR_*`` number when its certificate verification
    refused (None otherwise and always for Go).
    ``alert_received``: the RFC name of the fatal alert this end read from its peer.
    ``peer_chain``: DER of the certificates the peer sent, in the order sent (leaf first);
    empty when none arrived (e.g. no client certificate, or the handshake ended earlier).
    """

    role: Role
    impl: Impl
    ok: bool
    refused: bool = False
    verify_failed: bool = False
    error: str | None = None
    verify_code: int | None = None
    alert_received: str | None = None
    peer_chain: tuple[bytes, ...] = ()

    @property
    def peer_chain_sha256(self) -> tuple[str, ...]:
        return tuple(hashlib.sha256(d).hexdigest() for d in self.peer_chain)


@dataclass(frozen=True)
class HandshakeResult:
    """One TLS connection on 127.0.0.1 between ``server`` and ``client``.

    ``ok``: both ends completed the handshake. ``refused_by``: ``"server"`` or ``"client"`` for
    the end that aborted (see :attr:`SideResult.refused`), ``"none"`` when ``ok`` (or when
    neither end owned the failure, e.g. both timed out).
    ``version``: ``"TLSv1.3"``/``"TLSv1.2"`` (None if not negotiated). ``cipher``: the suite in
    the client library's words (OpenSSL: ``ECDHE-RSA-AES128-GCM-SHA256``; Go and TLS 1.3: the
    IANA name); ``cipher_id``: its IANA two-byte code.
    ``key_exchange``: the (EC)DHE group's IANA name (``"x25519"``, ``"secp256r1"``,
    ``"X25519MLKEM768"``) or ``"RSA key transport"`` for a TLS 1.2 TLS_RSA_WITH_* suite.
    ``server_key_signed``: the server certificate's key signed the handshake (TLS 1.3
    CertificateVerify, TLS 1.2 ServerKeyExchange); ``server_key_decrypted``: it decrypted the
    client's premaster secret instead (RSA key transport). Both None when no suite was agreed.
    ``elapsed``: wall-clock seconds from the first socket to the last close.
    """

    ok: bool
    refused_by: Literal["server", "client", "none"]
    server: SideResult
    client: SideResult
    version: str | None = None
    cipher: str | None = None
    cipher_id: int | None = None
    key_exchange: str | None = None
    server_key_signed: bool | None = None
    server_key_decrypted: bool | None = None
    hostname: str | None = None
    elapsed: float = 0.0

    @property
    def error(self) -> str | None:
        """The refusing end's message (else the first end's error), None when ``ok``."""
        if self.ok:
            return None
        if self.refused_by != "none":
            return getattr(self, self.refused_by).error
        return self.server.error or self.client.error

    @property
    def server_chain(self) -> tuple[bytes, ...]:
        """What the client received from the server (DER, as sent)."""
        return self.client.peer_chain

    @property
    def client_chain(self) -> tuple[bytes, ...]:
        """What the server received from the client (DER, as sent; empty if none)."""
        return self.server.peer_chain

    def as_row(self) -> dict[str, Any]:
        """Flat scalars for a table row (chains as SHA-256 lists)."""
        return {
            "server_impl": self.server.impl,
            "client_impl": self.client.impl,
            "ok": self.ok,
            "refused_by": self.refused_by,
            "error": self.error,
            "server_error": self.server.error,
            "client_error": self.client.error,
            "server_alert_received": self.server.alert_received,
            "client_alert_received": self.client.alert_received,
            "version": self.version,
            "cipher": self.cipher,
            "key_exchange": self.key_exchange,
            "server_key_signed": self.server_key_signed,
            "server_key_decrypted": self.server_key_decrypted,
            "server_chain_sha256": list(self.client.peer_chain_sha256),
            "client_chain_sha256": list(self.server.peer_chain_sha256),
            "elapsed": self.elapsed,
        }


def refused_by(server: SideResult, client: SideResult) -> Literal["server", "client", "none"]:
    """Which end owns a failure: the one that refused on its own account. If both say they did,
    the one that rejected the peer's certificate (a Go server reports the plaintext alert of an
    OpenSSL client that rejected it in TLS 1.3 as its own "bad record MAC"), else the server."""
    if server.ok and client.ok:
        return "none"
    if server.refused and client.refused and client.verify_failed and not server.verify_failed:
        return "client"
    if server.refused:
        return "server"
    if client.refused:
        return "client"
    return "none"


@dataclass(frozen=True)
class PeerReport:
    """What one peer module hands back: its side plus what it saw negotiated (run.py merges the
    two ends into a :class:`HandshakeResult`)."""

    side: SideResult
    version: str | None = None
    cipher: str | None = None
    cipher_id: int | None = None
    group: int | None = None


#: Protocol version code points in OpenSSL's words (what ``SSLSocket.version()`` says).
VERSIONS: dict[int, str] = {0x0303: "TLSv1.2", 0x0304: "TLSv1.3"}
