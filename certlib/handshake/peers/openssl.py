"""An OpenSSL end of a handshake: Python's ``ssl`` (the OpenSSL 3.0 the ``openssl`` binary uses).

Contexts are built from scratch (``SSLContext(PROTOCOL_TLS_SERVER/CLIENT)``, not
``create_default_context``), so verification is OpenSSL's own: the ``ssl_server`` purpose for
a client checking a server, ``ssl_client`` for a server checking a client, no partial chains,
no X.509 strict mode, the system's security level (2 on this OpenSSL build). A host name is
checked with ``SSL_set1_host`` (or ``set1_ip`` for an IP literal), with CPython's flag
``X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS``; it is passed as ASCII bytes, bypassing Python's IDNA
codec so OpenSSL, not Python, judges odd names. ``load_cert_chain`` takes file names only: the
certificate and key go to anonymous in-memory files (``memfd``, named ``/proc/self/fd/N``;
a private temporary file elsewhere), closed right after loading.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import ssl
import tempfile
from collections.abc import Iterator

from cryptography import x509

from certlib.handshake.alerts import alert_name
from certlib.handshake.groups import SUITES
from certlib.handshake.identity import Identity, pem_bundle
from certlib.handshake.result import VERSIONS, PeerReport, Role, SideResult
from certlib.handshake.wire import Wire

GREETING = b"certlib-ok\n"
_SUFFIX = re.compile(r"\s*\(_ssl\.c:\d+\)$")
_ALERT_REASON = re.compile(r"^(SSLV3|TLSV1|TLSV13)_ALERT_")


def _version(version: str) -> ssl.TLSVersion:
    return ssl.TLSVersion.TLSv1_3 if version == "1.3" else ssl.TLSVersion.TLSv1_2


def _context(
    role: Role,
    identity: Identity | None,
    trusts: tuple[x509.Certificate, ...],
    version: str,
    cipher: str | None,
    wire: Wire,
) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if role == "server" else ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ctx.maximum_version = _version(version)
    if cipher:
        ctx.set_ciphers(openssl_cipher(cipher))
    if role == "server":
        ctx.num_tickets = 0  # nothing after the handshake but our greeting
    if identity is not None:
        with _file(identity.chain_pem()) as cert, _file(identity.key_pem()) as key:
            ctx.load_cert_chain(cert, key)
    if trusts:
        ctx.load_verify_locations(cadata=pem_bundle(trusts).decode())
    ctx._msg_callback = wire.callback  # type: ignore[attr-defined]
    return ctx


@contextlib.contextmanager
def _file(data: bytes) -> Iterator[str]:
    """A file name holding ``data`` for the duration of the block."""
    if hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd"):
        fd = os.memfd_create("certlib-tls")
        try:
            os.write(fd, data)
            yield f"/proc/self/fd/{fd}"
        finally:
            os.close(fd)
        return
    with tempfile.NamedTemporaryFile(prefix="certlib-tls-") as f:  # pragma: no cover - not Linux
        f.write(data)
        f.flush()
        yield f.name


def openssl_cipher(name: str) -> str:
    """OpenSSL's name for an IANA suite name of :data:`SUITES` (other names pass through)."""
    if name not in SUITES:
        return name
    probe = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    probe.set_ciphers("ALL:@SECLEVEL=0")
    for c in probe.get_ciphers():
        if c["id"] & 0xFFFF == SUITES[name]:
            return c["name"]
    return name


def _message(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return _SUFFIX.sub("", text)


def _refused(exc: BaseException) -> bool:
    """Did this end abort on its own account (not an alert read, a hang-up or a timeout)?"""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return True
    if isinstance(exc, ssl.SSLZeroReturnError | ssl.SSLEOFError):
        return False
    if isinstance(exc, ssl.SSLError):
        return not _ALERT_REASON.match(exc.reason or "")
    return not isinstance(exc, OSError)  # timeouts, resets and hang-ups are not refusals


def _report(
    role: Role,
    exc: BaseException | None,
    wire: Wire,
    tls: ssl.SSLSocket | None,
    names: dict[int, str],
) -> PeerReport:
    code = getattr(exc, "verify_code", None) if exc is not None else None
    alert = wire.alert_read if wire.alert_read not in (None, 0) else None
    side = SideResult(
        role=role,
        impl="openssl",
        ok=exc is None,
        refused=exc is not None and _refused(exc) and alert is None,
        verify_failed=isinstance(exc, ssl.SSLCertVerificationError),
        error=None if exc is None else _message(exc),
        verify_code=code,
        alert_received=alert_name(alert),
        peer_chain=wire.peer_chain,
    )
    version = tls.version() if tls is not None and exc is None else None
    if version is None and wire.cipher_id is not None:
        version = VERSIONS[0x0304 if wire.tls13 else 0x0303]
    return PeerReport(
        side=side,
        version=version,
        cipher=names.get(wire.cipher_id) if wire.cipher_id is not None else None,
        cipher_id=wire.cipher_id,
        group=wire.group,
    )


def _names(ctx: ssl.SSLContext) -> dict[int, str]:
    return {c["id"] & 0xFFFF: c["name"] for c in ctx.get_ciphers()}


def setup_error(role: Role, exc: BaseException) -> PeerReport:
    """A report for an end that could not even be configured (bad key, refused certificate)."""
    side = SideResult(role=role, impl="openssl", ok=False, refused=True, error=_message(exc))
    return PeerReport(side=side)


class OpenSSLServer:
    """A listening OpenSSL server for one connection: ``port`` is known once constructed,
    :meth:`run` accepts and handshakes (in a thread of the caller's), :meth:`close` always
    releases the listener and the temporary files."""

    def __init__(
        self,
        identity: Identity,
        *,
        trusts: tuple[x509.Certificate, ...],
        require_client_cert: bool,
        version: str,
        cipher: str | None,
        timeout: float,
    ) -> None:
        self._listener: socket.socket | None = None
        self.timeout = timeout
        self.wire = Wire(tls13=version == "1.3")
        try:
            self.ctx = _context("server", identity, trusts, version, cipher, self.wire)
            if require_client_cert:
                self.ctx.verify_mode = ssl.CERT_REQUIRED
            self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._listener.settimeout(timeout)
            self._listener.bind(("127.0.0.1", 0))
            self._listener.listen(1)
            self.port: int = self._listener.getsockname()[1]
        except BaseException:
            self.close()
            raise
        self.report: PeerReport | None = None

    def run(self) -> None:
        """Accept one client, handshake, greet it, wait for it to hang up; sets ``report``."""
        conn: socket.socket | None = None
        tls: ssl.SSLSocket | None = None
        exc: BaseException | None = None
        names = _names(self.ctx)
        try:
            assert self._listener is not None
            conn, _ = self._listener.accept()
            conn.settimeout(self.timeout)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            tls = self.ctx.wrap_socket(conn, server_side=True)
            tls.sendall(GREETING)
            try:  # the client hangs up after reading the greeting
                while tls.recv(4096):
                    pass
            except (OSError, ssl.SSLError):
                pass
        except Exception as e:  # every failure is the server's answer, never an escape
            exc = e
        finally:
            for s in (tls, conn):
                if s is not None:
                    s.close()
            if self._listener is not None:
                self._listener.close()
        self.report = _report("server", exc, self.wire, tls, names)

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()


def run_client(
    port: int,
    identity: Identity | None,
    *,
    trusts: tuple[x509.Certificate, ...],
    hostname: str | None,
    version: str,
    cipher: str | None,
    timeout: float,
) -> PeerReport:
    """Connect to 127.0.0.1:``port``, handshake, read the greeting; never raises."""
    wire = Wire(tls13=version == "1.3")
    sock: socket.socket | None = None
    tls: ssl.SSLSocket | None = None
    exc: BaseException | None = None
    names: dict[int, str] = {}
    try:
        ctx = _context("client", identity, trusts, version, cipher, wire)
    except (ssl.SSLError, OSError, ValueError) as e:
        return setup_error("client", e)
    ctx.check_hostname = hostname is not None
    ctx.verify_mode = ssl.CERT_REQUIRED
    names = _names(ctx)
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        sock.settimeout(timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as Go does
        server_hostname = hostname.encode("ascii", "replace") if hostname else None
        tls = ctx.wrap_socket(sock, server_hostname=server_hostname)
        data = b""
        while not data.endswith(b"\n") and len(data) < 64:
            chunk = tls.recv(64)
            if not chunk:
                break
            data += chunk
        if data != GREETING:
            raise ConnectionError(f"unexpected greeting {data!r}")
    except Exception as e:  # the client's answer, never an escape
        exc = e
    finally:
        for s in (tls, sock):
            if s is not None:
                s.close()
    return _report("client", exc, wire, tls, names)
