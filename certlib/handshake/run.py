"""The public entry: one real TLS handshake on 127.0.0.1 between OpenSSL and/or Go ends.

:class:`Loopback` owns what a run shares (the Go helper process, started on first use); use it
for many handshakes (``with Loopback() as lab: lab.handshake(...)``). :func:`handshake` is the
one-off form, which starts and ends its own helper. Servers bind 127.0.0.1 on an ephemeral port
only; every socket operation has ``timeout``; every thread, socket, temporary file and the helper
process are released in ``finally``/``close``. Failures are results, never exceptions (only a
caller mistake such as an unknown implementation name raises ``ValueError``).
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from cryptography import x509

from certlib.cert.forge import Forged
from certlib.handshake.groups import RSA_KEY_TRANSPORT, SUITES, group_name, is_rsa_key_transport
from certlib.handshake.identity import Identity, as_certificates, as_identity
from certlib.handshake.peers import openssl as openssl_peer
from certlib.handshake.peers.go import GoPeer, GoPeerError, report, side_request
from certlib.handshake.result import (
    IMPLS,
    HandshakeResult,
    Impl,
    PeerReport,
    SideResult,
    refused_by,
)

Version = Literal["1.3", "1.2"]


class Loopback:
    """A run of handshakes sharing one Go helper; close it (or use ``with``) when done."""

    def __init__(self) -> None:
        self._go = GoPeer()

    def __enter__(self) -> Loopback:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._go.close()

    @property
    def go_version(self) -> str | None:
        """``runtime.Version()`` of the Go helper once it has run (e.g. ``go1.27.3``)."""
        return self._go.version

    def handshake(
        self,
        server: Identity | Forged,
        client: Identity | Forged | None = None,
        *,
        server_impl: Impl = "openssl",
        client_impl: Impl = "openssl",
        server_trusts: Iterable[x509.Certificate | Forged] = (),
        client_trusts: Iterable[x509.Certificate | Forged] = (),
        require_client_cert: bool = False,
        version: Version = "1.3",
        cipher: str | None = None,
        hostname: str | None = None,
        timeout: float = 5.0,
    ) -> HandshakeResult:
        """Run one handshake; see :func:`handshake`."""
        if server_impl not in IMPLS or client_impl not in IMPLS:
            raise ValueError(f"server_impl/client_impl must be one of {IMPLS}")
        if version not in ("1.3", "1.2"):
            raise ValueError('version must be "1.3" or "1.2"')
        if cipher is not None and version == "1.3":
            raise ValueError("cipher selects a TLS 1.2 suite; TLS 1.3 suites are not configurable")
        job = _Job(
            server=as_identity(server),
            client=None if client is None else as_identity(client),
            server_impl=server_impl,
            client_impl=client_impl,
            server_trusts=as_certificates(server_trusts),
            client_trusts=as_certificates(client_trusts),
            require_client_cert=require_client_cert,
            version=version,
            cipher=cipher,
            hostname=hostname,
            timeout=timeout,
        )
        started = time.perf_counter()
        runner = {
            ("openssl", "openssl"): self._openssl_openssl,
            ("openssl", "go"): self._openssl_go,
            ("go", "openssl"): self._go_openssl,
            ("go", "go"): self._go_go,
        }[(server_impl, client_impl)]
        s, c = runner(job)
        return _merge(s, c, hostname, time.perf_counter() - started)

    # -- the four pairings -----------------------------------------------------------------

    def _openssl_server(self, job: _Job) -> openssl_peer.OpenSSLServer | PeerReport:
        try:
            return openssl_peer.OpenSSLServer(
                job.server,
                trusts=job.server_trusts,
                require_client_cert=job.require_client_cert,
                version=job.version,
                cipher=job.cipher,
                timeout=job.timeout,
            )
        except (ssl.SSLError, OSError, ValueError) as e:
            return openssl_peer.setup_error("server", e)

    def _with_openssl_server(self, job: _Job, connect) -> tuple[PeerReport, PeerReport]:
        server = self._openssl_server(job)
        if isinstance(server, PeerReport):
            return server, _not_run("client", job.client_impl, "the server could not start")
        thread = threading.Thread(target=server.run, name="certlib-tls-server", daemon=True)
        try:
            thread.start()
            client = connect(server.port)
        finally:
            thread.join(job.timeout * 2 + 1)
            server.close()
        if thread.is_alive() or server.report is None:  # pragma: no cover - socket timeouts
            return _not_run("server", "openssl", "the server did not finish"), client
        return server.report, client

    def _openssl_openssl(self, job: _Job) -> tuple[PeerReport, PeerReport]:
        return self._with_openssl_server(job, lambda port: self._openssl_client(job, port))

    def _openssl_go(self, job: _Job) -> tuple[PeerReport, PeerReport]:
        def connect(port: int) -> PeerReport:
            return self._go_request(job, "connect", port=port)[1]

        return self._with_openssl_server(job, connect)

    def _go_openssl(self, job: _Job) -> tuple[PeerReport, PeerReport]:
        got: list[PeerReport] = []
        server, _ = self._go_request(
            job, "serve", on_listening=lambda port: got.append(self._openssl_client(job, port))
        )
        client = got[0] if got else _not_run("client", "openssl", "the server never listened")
        return server, client

    def _go_go(self, job: _Job) -> tuple[PeerReport, PeerReport]:
        return self._go_request(job, "pair")

    # -- helpers ---------------------------------------------------------------------------

    def _openssl_client(self, job: _Job, port: int) -> PeerReport:
        return openssl_peer.run_client(
            port,
            job.client,
            trusts=job.client_trusts,
            hostname=job.hostname,
            version=job.version,
            cipher=job.cipher,
            timeout=job.timeout,
        )

    def _go_request(
        self, job: _Job, op: str, *, port: int = 0, on_listening=None
    ) -> tuple[PeerReport, PeerReport]:
        body = {
            "version": job.version,
            "cipher": _iana(job.cipher) if job.cipher else "",
            "server": side_request(
                job.server, job.server_trusts, require_client_cert=job.require_client_cert
            ),
            "client": side_request(job.client, job.client_trusts, hostname=job.hostname),
            "port": port,
        }
        try:
            reply = self._go.request(op, body, timeout=job.timeout, on_listening=on_listening)
        except GoPeerError as e:
            failed = _not_run("server", "go", str(e)), _not_run("client", "go", str(e))
            return failed
        return report("server", reply.get("server")), report("client", reply.get("client"))


@dataclass(frozen=True)
class _Job:
    """The normalised arguments of one handshake."""

    server: Identity
    client: Identity | None
    server_impl: Impl
    client_impl: Impl
    server_trusts: tuple[x509.Certificate, ...]
    client_trusts: tuple[x509.Certificate, ...]
    require_client_cert: bool
    version: Version
    cipher: str | None
    hostname: str | None
    timeout: float


def _not_run(role, impl: Impl, why: str) -> PeerReport:
    return PeerReport(side=SideResult(role=role, impl=impl, ok=False, error=f"not run: {why}"))


def _iana(cipher: str) -> str:
    """The IANA name Go knows for ``cipher`` (an IANA name, or OpenSSL's name of one)."""
    if cipher in SUITES:
        return cipher
    for name in SUITES:
        if openssl_peer.openssl_cipher(name) == cipher:
            return name
    return cipher


def _merge(s: PeerReport, c: PeerReport, hostname: str | None, elapsed: float) -> HandshakeResult:
    """One record from the two ends; negotiated facts from the client, else the server."""
    version = c.version or s.version
    cipher_id = c.cipher_id or s.cipher_id
    group = c.group or s.group
    if cipher_id is None:
        kx, signed, decrypted = None, None, None
    elif is_rsa_key_transport(cipher_id):
        kx, signed, decrypted = RSA_KEY_TRANSPORT, False, True
    else:
        kx, signed, decrypted = group_name(group), True, False
    return HandshakeResult(
        ok=s.side.ok and c.side.ok,
        refused_by=refused_by(s.side, c.side),
        server=s.side,
        client=c.side,
        version=version,
        cipher=c.cipher or s.cipher,
        cipher_id=cipher_id,
        key_exchange=kx,
        server_key_signed=signed,
        server_key_decrypted=decrypted,
        hostname=hostname,
        elapsed=elapsed,
    )


def handshake(
    server: Identity | Forged,
    client: Identity | Forged | None = None,
    *,
    server_impl: Impl = "openssl",
    client_impl: Impl = "openssl",
    server_trusts: Iterable[x509.Certificate | Forged] = (),
    client_trusts: Iterable[x509.Certificate | Forged] = (),
    require_client_cert: bool = False,
    version: Version = "1.3",
    cipher: str | None = None,
    hostname: str | None = None,
    timeout: float = 5.0,
) -> HandshakeResult:
    """One TLS handshake on 127.0.0.1: ``server`` presents its identity, ``client`` (if given)
    presents its own when asked; returns a :class:`HandshakeResult`, never raises for a failure.

    ``server_impl``/``client_impl``: ``"openssl"`` (Python's ``ssl``) or ``"go"``
    (``crypto/tls``). ``server_trusts``: the roots a server verifies client certificates with
    (used with ``require_client_cert``); ``client_trusts``: the roots the client verifies the
    server with (the client always verifies). ``hostname``: sent as SNI and checked against the
    server certificate; None checks no name. ``version``: ``"1.3"`` or ``"1.2"`` (both ends
    pinned to it). ``cipher``: a TLS 1.2 suite, IANA name (``"TLS_RSA_WITH_AES_128_GCM_SHA256"``
    for RSA key transport) or OpenSSL's name. ``timeout``: seconds for each socket operation.
    Verification happens at the current time (Python's ``ssl`` cannot set another).
    A :class:`certlib.cert.forge.Forged` is accepted for an identity (its chain up to, not
    including, the root is sent) and for a trust anchor. For many handshakes use
    :class:`Loopback`, which keeps one Go helper process for all of them.
    """
    with Loopback() as lab:
        return lab.handshake(
            server,
            client,
            server_impl=server_impl,
            client_impl=client_impl,
            server_trusts=server_trusts,
            client_trusts=client_trusts,
            require_client_cert=require_client_cert,
            version=version,
            cipher=cipher,
            hostname=hostname,
            timeout=timeout,
        )
