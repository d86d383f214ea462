"""The certificate inspector: paste PEM or upload a file, see what each certificate may do.

:class:`InspectorModel` reads bytes with :func:`certlib.sources.read_bytes` (PEM, DER, PKCS#7,
PKCS#12 with a password …), judges every certificate found and renders HTML. It never renders
key material: only certificates, their provenance (including *whether* a private key sat beside
them) and problems. :class:`CertificateInspector` wires a Textarea, a FileUpload and a Password
field to the model.

A bundle is a chain: the judged certificate (the first found, or the one picked) is judged with
the other certificates as its intermediates and the self-signed ones as its roots, and the
model says so in words, as it says when the judged certificate is a CA (profiles judge it as
if it were presented as a leaf; as a CA it belongs in the chain of a certificate it issued).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from certlib.cert.facts import facts
from certlib.core.memo import Memo
from certlib.core.verdicts import PROFILES, Purpose, Verdict
from certlib.handshake import Identity
from certlib.widgets import render
from certlib.widgets.cells import VerdictGrid
from certlib.widgets.core import judge, openssl_text
from certlib.widgets.tryit import Subject, TryIt
from certlib.widgets.twin import TwinError, twin

__all__ = [
    "ACCEPT",
    "CertificateInspector",
    "InspectedCertificate",
    "Inspection",
    "InspectorModel",
    "Judgement",
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

    @property
    def is_ca(self) -> bool:
        """basicConstraints CA:TRUE."""
        return bool(facts(self.certificate).bc_ca)

    @property
    def self_issued(self) -> bool:
        """Subject = issuer: a root when it is a CA (the bundle's trust anchor)."""
        return bool(facts(self.certificate).self_issued)

    @property
    def role(self) -> str:
        """``leaf``, ``CA`` or ``CA, self-signed`` (subject = issuer), for labels."""
        if not self.is_ca:
            return "self-signed leaf" if self.self_issued else "leaf"
        return "CA, self-signed" if self.self_issued else "CA"


@dataclass(frozen=True)
class Judgement:
    """How the judged certificate was judged: its chain from the bundle, verdicts, and why.

    ``notes`` are plain sentences a learner reads above the grid: what chain was used (or why
    none could be) and, for a CA, that the grid judges it as if it were a leaf.
    """

    subject: int
    intermediates: tuple[x509.Certificate, ...]
    roots: tuple[x509.Certificate, ...]
    verdicts: dict[tuple[str, str], Verdict] = field(repr=False)
    notes: tuple[str, ...] = ()

    @property
    def chain_aware(self) -> bool:
        return bool(self.roots)


@dataclass(frozen=True)
class Inspection:
    """Everything one inspection found: certificates and problems (never raised)."""

    certificates: tuple[InspectedCertificate, ...] = ()
    problems: tuple[Any, ...] = ()


class InspectorModel:
    """Bytes (named) + passwords → certificates, verdicts, problems → HTML.

    ``subject`` is the index of the judged certificate (the first found unless picked) and
    ``selection`` the ``(profile, purpose)`` cell whose reasons are shown. The model owns one
    :class:`~certlib.core.memo.Memo` for its lifetime, so a re-judged bundle reuses its parses.
    """

    def __init__(self) -> None:
        self.memo = Memo()
        self.inspection = Inspection()
        self.subject = 0
        self.selection: tuple[str, str] = ("rfc5280", "tls_server")
        self.judgement: Judgement | None = None
        self._last_input: tuple | None = None

    def inspect(
        self, items: Iterable[tuple[str, bytes]], passwords: Sequence[bytes | str] = ()
    ) -> Inspection:
        """Read every ``(name, data)`` with :func:`certlib.sources.read_bytes`.

        The same input again (a keystroke that changed nothing) is not read twice. New input
        judges its first certificate with the rest as its chain (see :meth:`judge_subject`).
        """
        from certlib.sources import read_bytes

        pw = tuple(p.encode() if isinstance(p, str) else p for p in passwords if p)
        items = [(str(name), bytes(data)) for name, data in items]
        key = (tuple(items), pw)
        if key == self._last_input:
            return self.inspection
        self._last_input = key
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
                        verdicts=judge(cert, memo=self.memo),
                    )
                )
        self.inspection = Inspection(tuple(found_all), tuple(problems))
        self.judge_subject(self.default_subject())
        return self.inspection

    def default_subject(self) -> int:
        """The first certificate that issued none of the others: the bottom of the chain.

        Usually the first of a pasted PEM chain; a PKCS#7 or PKCS#12 file does not keep an
        order (a SET OF is sorted by its bytes), so order alone cannot say which is the leaf.
        """
        certs = [c.certificate for c in self.inspection.certificates]
        for i, cert in enumerate(certs):
            if not any(o.issuer == cert.subject for o in certs if o != cert):
                return i
        return 0

    # -- the judged certificate and its chain ----------------------------------------------
    def judge_subject(self, index: int) -> Judgement | None:
        """Judge certificate ``index`` with the bundle's other certificates as its chain.

        :meth:`inspect` judges :meth:`default_subject`; a picker calls this for another.
        The others that are self-signed (subject = issuer, CA) become roots, the rest
        intermediates; without a root no chain can be judged and the certificate is judged
        alone, which the notes say.
        """
        certs = self.inspection.certificates
        if not certs:
            self.subject, self.judgement = 0, None
            return None
        if not 0 <= index < len(certs):
            raise IndexError(f"no certificate #{index + 1}: {len(certs)} found")
        self.subject = index
        me = certs[index]
        seen = {me.certificate}
        others = []
        for c in certs:
            if c.certificate not in seen:
                seen.add(c.certificate)
                others.append(c)
        roots = tuple(c.certificate for c in others if c.is_ca and c.self_issued)
        inters = tuple(c.certificate for c in others if not (c.is_ca and c.self_issued))
        notes = [self._chain_note(me, others, roots, inters, index)]
        if me.is_ca:
            notes.append(self._ca_note(me, certs))
        if roots:
            verdicts = judge(me.certificate, intermediates=inters, roots=roots, memo=self.memo)
        else:
            verdicts, inters = me.verdicts, ()
        self.judgement = Judgement(index, inters, roots, verdicts, tuple(notes))
        return self.judgement

    @staticmethod
    def _chain_note(
        me: InspectedCertificate,
        others: list[InspectedCertificate],
        roots: tuple[x509.Certificate, ...],
        inters: tuple[x509.Certificate, ...],
        index: int,
    ) -> str:
        who = f"certificate {index + 1}, “{render.issued_to(me.certificate)}” ({me.role})"
        if index and others:
            who += ", the one that issued none of the others"
        if not others:
            return (
                f"Judged: {who}, alone — no chain was given (paste or upload its issuers after "
                "it, up to the self-signed root, to judge the chain)."
            )
        names = "; ".join(
            f"{kind} “{render.issued_to(c)}”"
            for kind, group in (("intermediate", inters), ("root", roots))
            for c in group
        )
        if not roots:
            return (
                f"Judged: {who}, alone — the other {len(others)} certificate(s) hold no "
                "self-signed root to anchor a chain, so they are listed below but not used."
            )
        return (
            f"Judged: {who}, with the rest of the bundle as its chain: {names} "
            "(self-signed certificates are taken as trust anchors)."
        )

    @staticmethod
    def _ca_note(me: InspectedCertificate, certs: tuple[InspectedCertificate, ...]) -> str:
        name = render.issued_to(me.certificate)
        issued = [
            i + 1
            for i, c in enumerate(certs)
            if c is not me and c.certificate.issuer == me.certificate.subject
        ]
        text = (
            f"“{name}” is a CA certificate (basicConstraints CA:TRUE). The grid judges it as "
            "if it were presented as a leaf: several profiles (Windows, Go) do not refuse a CA "
            "there, so ✓ means “its extensions allow this use”, not “a server should present "
            "it”. As a CA it limits what the certificates it issues may do (see the OpenSSL "
            "panel's “… CA” lines)."
        )
        if issued:
            text += (
                f" To judge it as a CA in a chain, judge certificate {issued[0]} (issued by it)."
            )
        else:
            text += " To judge it as a CA in a chain, paste a certificate it issued first."
        return text

    # -- try it for real -------------------------------------------------------------------
    def judged_key(self) -> str:
        """Names the judged certificate with its chain (empty before any input)."""
        j = self.judgement
        if j is None:
            return ""
        me = self.inspection.certificates[j.subject].certificate
        certs = (me, *j.intermediates, *j.roots)
        return "+".join(c.fingerprint(hashes.SHA256()).hex()[:16] for c in certs)

    def tryit_subject(self) -> Subject | str:
        """The judged certificate as a try-it :class:`~certlib.widgets.tryit.Subject`: a lab
        twin (:func:`~certlib.widgets.twin.twin`; no private key was kept), or why not."""
        j = self.judgement
        if j is None:
            return "Paste or upload a certificate first."
        me = self.inspection.certificates[j.subject].certificate
        try:
            t = twin(me, j.intermediates, j.roots)
        except TwinError as e:
            return f"This certificate cannot be re-issued for a handshake: {e}"
        note = (
            "No private key is kept from what you paste or upload, so the handshakes use a lab "
            "twin: the same subject, issuer, serial, validity and extensions, a fresh key of the "
            "same kind and new signatures"
            + (", its chain twinned the same way." if j.roots else ".")
        )
        return Subject(
            Identity(t.certificate, t.private_key, t.chain),
            t.roots,
            j.verdicts,
            self.judged_key(),
            (note, *t.notes),
        )

    def subject_options(self) -> list[tuple[str, int]]:
        """``(label, index)`` for the "judge which certificate" picker."""
        return [
            (f"{i + 1}. {render.issued_to(c.certificate)} ({c.role})", i)
            for i, c in enumerate(self.inspection.certificates)
        ]

    # -- the selected cell -----------------------------------------------------------------
    def select(self, profile: str, purpose: str) -> Verdict | None:
        """Select the grid cell whose reasons are shown (a click on it)."""
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; known: {', '.join(PROFILES)}")
        if purpose not in Purpose._value2member_map_:
            raise ValueError(f"unknown purpose {purpose!r}")
        self.selection = (profile, str(purpose))
        return self.selected

    @property
    def selected(self) -> Verdict | None:
        """The selected cell's verdict about the judged certificate (None before any)."""
        return self.judgement.verdicts.get(self.selection) if self.judgement else None

    def judged_html(self) -> str:
        """How the judged certificate is judged, in sentences (empty before any input)."""
        if self.judgement is None:
            return ""
        items = "".join(f"<li>{render.escape(n)}</li>" for n in self.judgement.notes)
        mode = "chain" if self.judgement.chain_aware else "alone"
        return (
            f'<div class="certlib-inspector-judged" data-subject="{self.judgement.subject}"'
            f' data-mode="{mode}"><ul style="margin:2px 0">{items}</ul></div>'
        )

    def reasons_html(self) -> str:
        """The selected cell's reasons, deciding reason first."""
        if self.judgement is None:
            return ""
        return render.reasons_html(self.selected)

    def render(self) -> str:
        """HTML: problems first, then one block per certificate."""
        ins = self.inspection
        parts = [render.problems_html(ins.problems)]
        if not ins.certificates and not ins.problems:
            parts.append('<div class="certlib-empty">Paste PEM text or upload a file.</div>')
        elif ins.certificates:
            parts.append(
                f'<div class="certlib-found">Found {len(ins.certificates)} certificate(s).</div>'
            )
        if ins.certificates:
            parts.append(
                '<div class="certlib-alone-note" style="font-size:85%;color:#444">Below, each '
                "certificate is judged alone; the clickable grid above judges the selected one "
                "with its chain.</div>"
            )
        for i, c in enumerate(ins.certificates, 1):
            warn = (
                '<div class="certlib-warning">Warnings: '
                f"{render.escape('; '.join(c.warnings))}</div>"
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
                    openssl_text=openssl_text(c.certificate, memo=self.memo),
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


#: What the hint under the text box says (the pasted text is judged as it changes).
UPDATE_HINT = (
    "Updates as you paste or type (judging a pasted chain takes some 25 ms). The password is "
    "applied when you press Enter or leave its field."
)


class CertificateInspector:
    """Paste PEM, or upload .cer/.crt/.pem/.der/.p7b/.pfx (with its password); see verdicts.

    Views are ``HTML`` widgets: ``output`` (class ``certlib-inspector-output``: problems and
    every certificate judged alone), ``judged`` (``certlib-inspector-judged-view``: how the
    judged certificate is judged), ``reasons`` (``certlib-inspector-reasons``: the selected
    cell's reasons). ``tryit`` runs the judged certificate (a lab twin) in real handshakes.
    ``grid`` is the clickable :class:`~certlib.widgets.cells.VerdictGrid` of the
    judged certificate with its chain, ``subject`` the "judge which certificate" picker.
    """

    def __init__(self) -> None:
        import ipywidgets as w

        self.model = InspectorModel()
        self._syncing = False
        self.pem = w.Textarea(
            description="PEM",
            placeholder="-----BEGIN CERTIFICATE-----\n… (one certificate, or a chain: leaf first)",
            continuous_update=True,
            layout=w.Layout(width="640px", height="120px"),
        )
        self.hint = w.HTML(
            f'<span style="font-size:85%;color:#444">{render.escape(UPDATE_HINT)}</span>'
        )
        self.upload = w.FileUpload(accept=ACCEPT, multiple=True, description="Upload")
        self.password = w.Password(description="Password", placeholder="for .pfx/.p12")
        self.password.continuous_update = False
        self.subject = w.Dropdown(
            options=[], description="Judge", style={"description_width": "initial"}
        )
        self.grid = VerdictGrid(self._on_cell)
        self.tryit = TryIt(self.model.tryit_subject)
        self.judged = w.HTML()
        self.reasons = w.HTML()
        self.output = w.HTML()
        for name, widget in (
            ("pem", self.pem),
            ("hint", self.hint),
            ("upload", self.upload),
            ("password", self.password),
            ("subject", self.subject),
            ("judged-view", self.judged),
            ("reasons", self.reasons),
            ("output", self.output),
        ):
            widget.add_class(f"certlib-inspector-{name}")
        self.pem.observe(lambda _c: self.refresh(), names="value")
        self.upload.observe(lambda _c: self.refresh(), names="value")
        self.password.observe(lambda _c: self.refresh(), names="value")
        self.subject.observe(self._on_subject, names="value")
        self.judged_box = w.VBox(
            [
                self.subject,
                self.judged,
                self.grid.widget,
                w.HTML(render.grid_hint_html()),
                self.tryit.widget,
                self.reasons,
            ]
        )
        self.widget = w.VBox(
            [
                w.HTML(
                    "<b>Certificate inspector</b> — paste PEM text or upload files. "
                    "Only certificates are shown; private keys are never displayed."
                ),
                self.pem,
                self.hint,
                w.HBox([self.upload, self.password]),
                self.judged_box,
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
        """Read the input again (the model skips unchanged input) and show everything."""
        self.model.inspect(self.items(), passwords=(self.password.value,))
        options = self.model.subject_options()
        self._syncing = True
        try:
            if list(self.subject.options) != options:
                self.subject.options = options
            self.subject.value = self.model.subject if options else None
        finally:
            self._syncing = False
        self._show_judged()
        self.output.value = self.model.render()

    def _show_judged(self) -> None:
        j = self.model.judgement
        self.judged_box.layout.display = "" if j is not None else "none"
        if j is not None:
            self.grid.show(j.verdicts, self.model.selection)
        self.tryit.follow(self.model.judged_key())
        self.judged.value = self.model.judged_html()
        self.reasons.value = self.model.reasons_html()

    def _on_subject(self, change: dict) -> None:
        if self._syncing or change["new"] is None:
            return
        self.model.judge_subject(int(change["new"]))
        self._show_judged()

    def _on_cell(self, profile: str, purpose: str) -> None:
        self.model.select(profile, purpose)
        self._show_judged()

    def close(self) -> None:
        """End the try-it Go helper and close the widgets."""
        self.tryit.close()
        self.grid.widget.close()
        self.widget.close()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
