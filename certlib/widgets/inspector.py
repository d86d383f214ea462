"""The certificate inspector: paste PEM or upload a file, see what each certificate may do.

:class:`InspectorModel` reads bytes with :func:`certlib.sources.read_bytes` (PEM, DER, PKCS#7,
PKCS#12 with a password …), judges every certificate found and renders HTML. It never renders
key material: only certificates, their provenance (including *whether* a private key sat beside
them) and problems. :class:`CertificateInspector` wires a Textarea, a FileUpload and a Password
field to the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509

from certlib.widgets import render
from certlib.widgets.core import judge

__all__ = [
    "ACCEPT",
    "CertificateInspector",
    "InspectedCertificate",
    "Inspection",
    "InspectorModel",
]

#: File types the upload button offers (the format is sniffed from the bytes anyway).
ACCEPT = ".cer,.crt,.pem,.der,.p7b,.p7c,.pfx,.p12"


@dataclass(frozen=True)
class InspectedCertificate:
    """One certificate found, where it came from, and every verdict about it alone."""

    certificate: x509.Certificate
    path: str
    container: str
    index: int
    has_private_key: bool
    warnings: tuple[str, ...]
    verdicts: dict = field(repr=False)

    @property
    def title(self) -> str:
        key = ", a private key beside it" if self.has_private_key else ""
        where = f"{self.path} ({self.container} #{self.index}{key})"
        return f"{render.issued_to(self.certificate)} — {where}"


@dataclass(frozen=True)
class Inspection:
    """Everything one inspection found: certificates and problems (never raised)."""

    certificates: tuple[InspectedCertificate, ...] = ()
    problems: tuple[Any, ...] = ()


class InspectorModel:
    """Bytes (named) + passwords → certificates, verdicts, problems → HTML."""

    def __init__(self) -> None:
        self.inspection = Inspection()

    def inspect(
        self, items: Iterable[tuple[str, bytes]], passwords: Sequence[bytes | str] = ()
    ) -> Inspection:
        """Read every ``(name, data)`` with :func:`certlib.sources.read_bytes`."""
        from certlib.sources import read_bytes

        pw = tuple(p.encode() if isinstance(p, str) else p for p in passwords if p)
        found_all: list[InspectedCertificate] = []
        problems: list[Any] = []
        for name, data in items:
            found, probs = read_bytes(bytes(data), name, passwords=pw)
            problems.extend(probs)
            for f in found:
                cert = x509.load_der_x509_certificate(f.der)
                prov = f.provenance
                found_all.append(
                    InspectedCertificate(
                        certificate=cert,
                        path=str(prov.path),
                        container=str(prov.container),
                        index=int(prov.index or 0),
                        has_private_key=bool(prov.has_private_key),
                        warnings=tuple(str(x) for x in (f.warnings or ())),
                        verdicts=judge(cert),
                    )
                )
        self.inspection = Inspection(tuple(found_all), tuple(problems))
        return self.inspection

    def render(self) -> str:
        """HTML: problems first, then one block per certificate."""
        from certlib.widgets.explorer import _openssl_text

        ins = self.inspection
        parts = [render.problems_html(ins.problems)]
        if not ins.certificates and not ins.problems:
            parts.append('<div class="certlib-empty">Paste PEM text or upload a file.</div>')
        elif ins.certificates:
            parts.append(
                f'<div class="certlib-found">Found {len(ins.certificates)} certificate(s).</div>'
            )
        for i, c in enumerate(ins.certificates, 1):
            warn = (
                f'<div class="certlib-warning">Warnings: {render._e("; ".join(c.warnings))}</div>'
                if c.warnings
                else ""
            )
            parts.append(
                warn
                + render.certificate_html(
                    c.certificate,
                    c.verdicts,
                    title=f"{i}. {c.title}",
                    has_private_key=c.has_private_key,
                    openssl_text=_openssl_text(c.certificate),
                )
            )
        return "".join(parts)


def _upload_items(value: Any) -> list[tuple[str, bytes]]:
    """ipywidgets 8 FileUpload ``value`` (tuple of dicts) → [(name, bytes)]."""
    out = []
    for item in value or ():
        content = item["content"]
        out.append(
            (str(item["name"]), content.tobytes() if hasattr(content, "tobytes") else content)
        )
    return out


class CertificateInspector:
    """Paste PEM, or upload .cer/.crt/.pem/.der/.p7b/.pfx (with its password); see verdicts.

    Views are ``HTML`` widgets: ``output`` (class ``certlib-inspector-output``).
    """

    def __init__(self) -> None:
        import ipywidgets as w

        self.model = InspectorModel()
        self.pem = w.Textarea(
            description="PEM",
            placeholder="-----BEGIN CERTIFICATE-----\n…",
            continuous_update=False,
            layout=w.Layout(width="640px", height="120px"),
        )
        self.upload = w.FileUpload(accept=ACCEPT, multiple=True, description="Upload")
        self.password = w.Password(description="Password", placeholder="for .pfx/.p12")
        self.password.continuous_update = False
        self.output = w.HTML()
        for name, widget in (
            ("pem", self.pem),
            ("upload", self.upload),
            ("password", self.password),
            ("output", self.output),
        ):
            widget.add_class(f"certlib-inspector-{name}")
        self.pem.observe(lambda _c: self.refresh(), names="value")
        self.upload.observe(lambda _c: self.refresh(), names="value")
        self.password.observe(lambda _c: self.refresh(), names="value")
        self.widget = w.VBox(
            [
                w.HTML(
                    "<b>Certificate inspector</b> — paste PEM text or upload files. "
                    "Only certificates are shown; private keys are never displayed."
                ),
                self.pem,
                w.HBox([self.upload, self.password]),
                self.output,
            ]
        )
        self.widget.add_class("certlib-certificate-inspector")
        self.refresh()

    def items(self) -> list[tuple[str, bytes]]:
        items = _upload_items(self.upload.value)
        if self.pem.value.strip():
            items.insert(0, ("pasted text", self.pem.value.encode()))
        return items

    def refresh(self) -> None:
        self.model.inspect(self.items(), passwords=(self.password.value,))
        self.output.value = self.model.render()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
