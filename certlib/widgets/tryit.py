"""Try it for real: the certificate on screen in live TLS handshakes, beside its verdicts.

:class:`TryItModel` runs a :class:`Subject` (an identity, the roots that anchor it, the grid's
verdicts) four times on 127.0.0.1 with :mod:`certlib.handshake`: as the **server** certificate
(the client verifies it with those roots and the host name from its SAN) and as the **client**
certificate (a server that requires one verifies it with those roots), each with OpenSSL at both
ends and with Go at both ends, so the verifying library is the one whose profile sits beside it.
One :class:`~certlib.handshake.Loopback` serves a model's runs (one Go helper process); ``close``
ends it. :class:`TryIt` is the button: it runs the model in a background thread so the kernel
stays free (the first Go run may build the helper), and shows the result in an ``HTML`` value.
"""

from __future__ import annotations

import ipaddress
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509

from certlib.cert.forge import PRESETS, Forged, forge
from certlib.core.memo import Memo
from certlib.core.verdicts import OUTCOME_SYMBOL, PROFILE_LABELS, Verdict
from certlib.handshake import HandshakeResult, Identity, Loopback, SideResult, as_identity
from certlib.widgets.render import escape

__all__ = [
    "IMPLS",
    "PURPOSES",
    "Outcome",
    "Subject",
    "TryIt",
    "TryItModel",
    "TryItResult",
    "hostname_for",
    "subject_of",
]

PURPOSES: tuple[str, ...] = ("tls_server", "tls_client")
IMPLS: tuple[str, ...] = ("openssl", "go")
_ROLE_LABELS = {
    "tls_server": "as the server's certificate",
    "tls_client": "as a client certificate",
}
_IMPL_LABELS = {"openssl": "OpenSSL", "go": "Go"}


def hostname_for(cert: x509.Certificate) -> str | None:
    """The name a client would connect to: the first DNS SAN (``*.`` becomes ``www.``), else
    the first IP SAN, else None (then no name is checked)."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return None
    dns = san.get_values_for_type(x509.DNSName)
    if dns:
        name = dns[0]
        return "www." + name[2:] if name.startswith("*.") else name
    ips = san.get_values_for_type(x509.IPAddress)
    return str(ipaddress.ip_address(ips[0])) if ips else None


@dataclass(frozen=True)
class Subject:
    """What to try: ``identity`` (certificate, key, chain sent), the ``roots`` a verifier trusts,
    the grid's ``verdicts`` to show beside, a ``key`` naming the certificate, and ``notes``."""

    identity: Identity
    roots: tuple[x509.Certificate, ...]
    verdicts: Mapping[tuple[str, str], Verdict] = field(repr=False)
    key: str = ""
    notes: tuple[str, ...] = ()


def subject_of(
    leaf: Forged,
    roots: tuple[x509.Certificate, ...] = (),
    verdicts: Mapping[tuple[str, str], Verdict] | None = None,
) -> Subject:
    """A forged certificate as a :class:`Subject`: its chain without the root is sent; the
    roots anchor it (its own top certificate when none are given, e.g. a self-signed leaf)."""
    anchors = tuple(roots) or (leaf.path[-1].certificate,)
    return Subject(as_identity(leaf), anchors, verdicts or {}, leaf.sha256)


@dataclass(frozen=True)
class Outcome:
    """One handshake: ``purpose`` (which end the certificate played), ``impl`` (the library at
    both ends, so also the verifier) and the grid's ``verdict`` for that profile and purpose."""

    purpose: str
    impl: str
    result: HandshakeResult
    verdict: Verdict | None = None

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def verifier(self) -> SideResult:
        """The end that judged the certificate: the client for a server certificate, else the
        server."""
        return self.result.client if self.purpose == "tls_server" else self.result.server

    @property
    def words(self) -> str | None:
        """The library's own words for a failure: the verifier's error, else the refusing end's."""
        if self.result.ok:
            return None
        return self.verifier.error or self.result.error

    @property
    def agrees(self) -> bool | None:
        """The verdict (✓/⚠ allowed) and the handshake agree; None without a verdict."""
        return None if self.verdict is None else self.verdict.allowed == self.result.ok


@dataclass(frozen=True)
class TryItResult:
    """The four :class:`Outcome` of one run, by ``(purpose, impl)``; ``error`` if none ran."""

    subject: Subject
    hostname: str | None
    outcomes: dict[tuple[str, str], Outcome]
    error: str | None = None

    def html(self) -> str:
        """A table: per purpose and library, the profile's verdict and what the handshake did."""
        if self.error:
            return _message(self.error)
        head = "".join(
            f"<th>{escape(PROFILE_LABELS.get(i, i))} verdict</th>"
            f"<th>{_IMPL_LABELS[i]} handshake</th>"
            for i in IMPLS
        )
        rows = []
        for purpose in PURPOSES:
            cells = []
            for impl in IMPLS:
                o = self.outcomes[(purpose, impl)]
                v = o.verdict
                shown = f"{OUTCOME_SYMBOL.get(v.outcome, '?')} {v.outcome}" if v else "—"
                cells.append(f'<td class="certlib-tryit-verdict">{escape(shown)}</td>')
                said = "✓ connected" if o.ok else f"✗ refused by the {o.result.refused_by}"
                if not o.ok and o.result.refused_by == "none":
                    said = "✗ failed"
                words = f"<br><small><code>{escape(o.words)}</code></small>" if o.words else ""
                cells.append(
                    f'<td class="certlib-tryit-outcome" data-purpose="{purpose}" '
                    f'data-impl="{impl}" data-ok="{str(o.ok).lower()}" '
                    f'data-agrees="{str(o.agrees).lower()}">{escape(said)}{words}</td>'
                )
            rows.append(f"<tr><th>{escape(_ROLE_LABELS[purpose])}</th>{''.join(cells)}</tr>")
        host = f"host name <code>{escape(self.hostname)}</code>" if self.hostname else "no name"
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.subject.notes)
        return (
            '<div class="certlib-tryit-result" style="font-size:90%">'
            '<table class="certlib-tryit-table" style="border-collapse:collapse">'
            f"<tr><th></th>{head}</tr>{''.join(rows)}</table>"
            f'<div style="color:#444">Real TLS 1.3 handshakes on 127.0.0.1, the same library at '
            f"both ends; the verifier trusts this certificate's root and checks {host} (a "
            "server certificate) or requires a client certificate. Each refusal is in the "
            f"library's own words.</div>{f'<ul>{notes}</ul>' if notes else ''}</div>"
        )


def _message(text: str) -> str:
    return f'<div class="certlib-tryit-message" style="color:#8a5a00">{escape(text)}</div>'


class TryItModel:
    """Runs a :class:`Subject` in the four handshakes; one Loopback for all runs, closed by
    :meth:`close` (or when the model is collected)."""

    def __init__(self, *, timeout: float = 5.0) -> None:
        self.timeout = timeout
        self._lab: Loopback | None = None
        self._server: Forged | None = None
        self.memo = Memo()  # the model's own: keys forged for the lab server are kept here
        self._closer: weakref.finalize | None = None

    @property
    def lab(self) -> Loopback:
        if self._lab is None:
            self._lab = Loopback()
            self._closer = weakref.finalize(self, self._lab.close)
        return self._lab

    def lab_server(self) -> Forged:
        """The server a client certificate is tried against (a Web PKI-shaped leaf, forged now)."""
        if self._server is None:
            self._server = forge(PRESETS["web_server"], memo=self.memo)
        return self._server

    def one(
        self,
        subject: Subject,
        purpose: str,
        impl: str,
        *,
        version: str = "1.3",
        cipher: str | None = None,
    ) -> HandshakeResult:
        """One handshake: ``subject`` as the server certificate (``tls_server``; the client
        verifies it with its roots and the host name from its SAN) or as the client certificate
        (``tls_client``; :meth:`lab_server` requires one and verifies it with its roots), with
        ``impl`` (``openssl`` or ``go``) at both ends."""
        if purpose not in PURPOSES or impl not in IMPLS:
            raise ValueError(f"purpose must be one of {PURPOSES}, impl one of {IMPLS}")
        kw: dict[str, Any] = {
            "server_impl": impl,
            "client_impl": impl,
            "version": version,
            "cipher": cipher,
            "timeout": self.timeout,
        }
        if purpose == "tls_server":
            host = hostname_for(subject.identity.certificate)
            return self.lab.handshake(
                subject.identity, client_trusts=subject.roots, hostname=host, **kw
            )
        server = self.lab_server()
        return self.lab.handshake(
            server,
            subject.identity,
            server_trusts=subject.roots,
            client_trusts=(server.path[-1],),
            require_client_cert=True,
            hostname=hostname_for(server.certificate),
            **kw,
        )

    def run(self, subject: Subject) -> TryItResult:
        """The four TLS 1.3 handshakes; failures are outcomes, never exceptions."""
        outcomes = {
            (purpose, impl): Outcome(
                purpose,
                impl,
                self.one(subject, purpose, impl),
                subject.verdicts.get((impl, purpose)),
            )
            for impl in IMPLS
            for purpose in PURPOSES
        }
        return TryItResult(subject, hostname_for(subject.identity.certificate), outcomes)

    def close(self) -> None:
        """End the Go helper (if one started)."""
        if self._closer is not None:
            self._closer()
        self._lab = self._closer = None


class TryIt:
    """The "Try it for real" button and its result (``HTML``, class ``certlib-tryit-output``).

    ``subject`` is called on a click and returns the :class:`Subject` to try, or a message
    (str) saying why nothing can be tried. :meth:`follow` clears a result that is about
    another certificate. ``background=False`` runs in the caller's thread (tests).
    """

    def __init__(
        self, subject: Callable[[], Subject | str], *, background: bool = True, timeout: float = 5.0
    ) -> None:
        import ipywidgets as w

        self.model = TryItModel(timeout=timeout)
        self._subject = subject
        self._background = background
        self._thread: threading.Thread | None = None
        self._key: str | None = None
        self.button = w.Button(
            description="Try it for real",
            tooltip="Real TLS handshakes: this certificate as a server and as a client "
            "certificate, OpenSSL and Go",
            icon="plug",
            layout=w.Layout(width="auto", align_self="flex-start"),
        )
        self.output = w.HTML()
        self.button.add_class("certlib-tryit-button")
        self.output.add_class("certlib-tryit-output")
        self.button.on_click(lambda _b: self.run())
        self.widget = w.VBox([self.button, self.output])
        self.widget.add_class("certlib-tryit")

    def run(self) -> None:
        """Try the current subject (in a background thread unless built otherwise)."""
        if self._thread is not None and self._thread.is_alive():
            return
        try:
            subject = self._subject()
        except Exception as exc:  # a view shows why, never a traceback
            subject = f"Cannot try this certificate: {type(exc).__name__}: {exc}"
        if isinstance(subject, str):
            self._key, self.output.value = None, _message(subject)
            return
        self._key = subject.key
        self.button.disabled = True
        self.output.value = _message("Running handshakes on 127.0.0.1 …")
        if self._background:
            self._thread = threading.Thread(
                target=self._work, args=(subject,), name="certlib-tryit", daemon=True
            )
            self._thread.start()
        else:
            self._work(subject)

    def _work(self, subject: Subject) -> None:
        try:
            html = self.model.run(subject).html()
        except Exception as exc:  # the handshake layer returns failures; this is a last guard
            html = _message(f"The handshakes could not run: {type(exc).__name__}: {exc}")
        finally:
            self.button.disabled = False
        if self._key == subject.key:  # still the certificate on screen
            self.output.value = html

    def wait(self, timeout: float = 120.0) -> None:
        """Wait for a background run to finish (tests, notebooks)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def follow(self, key: str) -> None:
        """The certificate on screen is now ``key``: drop a result about another one."""
        if key != self._key:
            self._key = None
            self.output.value = ""

    def close(self) -> None:
        """End the model's Go helper and close the widgets."""
        self.wait(self.model.timeout * 8)
        self.model.close()
        self.widget.close()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
