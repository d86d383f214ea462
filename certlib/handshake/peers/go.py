"""A Go end of a handshake: our helper (go/handshake.go, crypto/tls) as one long-lived process.

The helper is built once per machine (:mod:`certlib.handshake.toolchain`) and started once per
:class:`GoPeer`; requests and replies are JSON lines on its stdin/stdout, one request at a time.
Every read of its stdout waits at most the request's timeout plus a margin (``select`` on the
pipe); a helper that overstays is killed and restarted on the next request, so nothing hangs.
"""

from __future__ import annotations

import base64
import json
import os
import select
import subprocess
import threading
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from certlib.handshake.alerts import alert_name
from certlib.handshake.identity import Identity
from certlib.handshake.result import VERSIONS, PeerReport, Role, SideResult
from certlib.handshake.toolchain import GoUnavailable, build

#: Seconds allowed beyond a request's own timeout before the helper is declared stuck.
MARGIN = 5.0


def source() -> Path:
    """The helper's Go source, shipped as package data."""
    return Path(str(resources.files("certlib.handshake") / "go" / "handshake.go"))


class GoPeerError(RuntimeError):
    """The helper died, could not start or did not answer in time."""


def _b64(ders: tuple[bytes, ...] | list[bytes]) -> list[str]:
    return [base64.b64encode(d).decode() for d in ders]


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def side_request(
    identity: Identity | None,
    trusts: tuple[x509.Certificate, ...],
    *,
    require_client_cert: bool = False,
    hostname: str | None = None,
) -> dict[str, Any]:
    """The JSON for one end's configuration."""
    return {
        "certs": _b64(identity.ders) if identity is not None else [],
        "key": identity.key_pem().decode() if identity is not None else "",
        "trusts": _b64([_der(c) for c in trusts]),
        "require_client_cert": require_client_cert,
        "server_name": hostname or "",
        "verify_hostname": hostname is not None,
    }


def report(role: Role, raw: dict[str, Any] | None) -> PeerReport:
    """A :class:`PeerReport` from the helper's JSON for one side."""
    if raw is None:
        side = SideResult(role=role, impl="go", ok=False, error="no answer from the Go helper")
        return PeerReport(side=side)
    alert = raw.get("alert_received", -1)
    side = SideResult(
        role=role,
        impl="go",
        ok=bool(raw.get("ok")),
        refused=bool(raw.get("refused")) and not _peer_aborted(raw.get("error") or ""),
        verify_failed=bool(raw.get("verify_failed")),
        error=raw.get("error") or None,
        alert_received=alert_name(alert) if isinstance(alert, int) and alert > 0 else None,
        peer_chain=tuple(base64.b64decode(d) for d in raw.get("peer_chain") or ()),
    )
    return PeerReport(
        side=side,
        version=VERSIONS.get(raw.get("version") or 0),
        cipher=raw.get("cipher") or None,
        cipher_id=raw.get("cipher_id") or None,
        group=raw.get("group") or None,
    )


def _peer_aborted(error: str) -> bool:
    """Go's "bad record MAC" on loopback is the peer's alert, not corruption: OpenSSL aborting a
    TLS 1.3 handshake before it switches to handshake keys sends its alert in plain text,
    which a Go end (already expecting encrypted records) cannot authenticate."""
    return error.endswith("tls: bad record MAC")


class GoPeer:
    """One helper process, started on first use; :meth:`close` ends it (also on ``with``)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._next_id = 0
        self._lock = threading.Lock()
        self.version: str | None = None

    def __enter__(self) -> GoPeer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        self._stop()
        try:
            binary = build(source())
            self._proc = subprocess.Popen(
                [str(binary)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "GODEBUG": ""},
            )
        except (GoUnavailable, OSError, subprocess.SubprocessError) as e:
            # no toolchain, a failed or timed-out build, an unrunnable binary: a result, not a
            # traceback (run.py turns GoPeerError into a "not run" side)
            raise GoPeerError(f"the Go helper could not start: {e}") from e
        self._buffer = b""
        hello = self._line(30.0)
        self.version = str(hello.get("event", "")).removeprefix("version:")
        return self._proc

    def _line(self, timeout: float) -> dict[str, Any]:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self._stop()
                raise GoPeerError(f"the Go helper did not answer within {timeout:.1f} s")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    self._stop()
                    raise GoPeerError("the Go helper exited")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def request(
        self,
        op: str,
        body: dict[str, Any],
        *,
        timeout: float,
        on_listening: Callable[[int], None] | None = None,
    ) -> dict[str, Any]:
        """Send one request and return its ``done`` reply; ``on_listening(port)`` runs (in this
        thread) when a ``serve`` request reports its port. Raises :class:`GoPeerError`."""
        with self._lock:
            proc = self._start()
            self._next_id += 1
            rid = self._next_id
            msg = {**body, "id": rid, "op": op, "timeout_ms": int(timeout * 1000)}
            assert proc.stdin is not None
            try:
                proc.stdin.write(json.dumps(msg).encode() + b"\n")
                proc.stdin.flush()
            except OSError as e:
                self._stop()
                raise GoPeerError(f"the Go helper is gone: {e}") from e
            while True:
                reply = self._line(timeout + MARGIN)
                if reply.get("id") != rid:
                    continue
                if reply.get("event") == "listening":
                    if on_listening is not None:
                        on_listening(int(reply["port"]))
                    continue
                return reply

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        finally:
            if proc.stdout is not None:
                proc.stdout.close()

    def close(self) -> None:
        """End the helper (closing its stdin; killed if it does not exit within 2 s)."""
        with self._lock:
            self._stop()
