"""The purpose explorer: tick extensions, get a real signed certificate, see every verdict.

:class:`ExplorerModel` holds an :class:`ExplorerState` (plain values), turns it into a
:class:`certlib.cert.forge.CertSpec`, forges the certificate (issued by a forged CA when asked),
judges it with :func:`certlib.profiles.verdict` under every profile and purpose, and renders the
HTML views. :class:`PurposeExplorer` only wires ipywidgets controls to the model; it computes
nothing itself, so tests drive the same code without a kernel.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509

from certlib.cert.forge import PRESET_DESCRIPTIONS, PRESETS, CertSpec, Forged, forge
from certlib.core.memo import Memo
from certlib.core.oids import EKU, KU_BITS, KeyPurpose, eku
from certlib.core.verdicts import PROFILES, Purpose, Verdict
from certlib.widgets import render
from certlib.widgets.cells import VerdictGrid
from certlib.widgets.core import judge, openssl_text
from certlib.widgets.tryit import Subject, TryIt, subject_of

__all__ = [
    "BASIC_CONSTRAINTS_CHOICES",
    "CA_EKU_CHOICES",
    "EKU_CHOICES",
    "EXPLORER_PRESETS",
    "FROZEN_NOTE",
    "ISSUER_CHOICES",
    "KEY_TYPE_CHOICES",
    "ExplorerModel",
    "ExplorerResult",
    "ExplorerState",
    "PurposeExplorer",
    "parse_oids",
]

#: The EKU checkboxes, in this order.
EKU_CHOICES: tuple[KeyPurpose, ...] = (
    EKU.SERVER_AUTH,
    EKU.CLIENT_AUTH,
    EKU.CODE_SIGNING,
    EKU.EMAIL_PROTECTION,
    EKU.TIME_STAMPING,
    EKU.OCSP_SIGNING,
    EKU.ANY,
    EKU.MS_SGC,
    EKU.NS_SGC,
    EKU.MS_SMART_CARD_LOGON,
    EKU.MS_EFS,
    EKU.MS_DOCUMENT_SIGNING,
    EKU.DOCUMENT_SIGNING,
)
_CHOICE_OIDS = tuple(k.oid for k in EKU_CHOICES)

#: basicConstraints dropdown: label -> CertSpec.ca value.
BASIC_CONSTRAINTS_CHOICES: dict[str, bool | None] = {"absent": None, "ca": True, "not_ca": False}
_BC_LABELS = {"absent": "absent", "ca": "CA:TRUE", "not_ca": "CA:FALSE (end entity)"}
KEY_TYPE_CHOICES: tuple[str, ...] = ("ec", "rsa", "ed25519")
_KEY_LABELS = {"ec": "EC P-256", "rsa": "RSA 2048", "ed25519": "Ed25519"}
ISSUER_CHOICES: dict[str, str] = {"self": "self-signed", "ca": "issued by a CA (root → CA → leaf)"}
#: The issuing CA's own EKU (the root never has one, as the CA/B Forum BRs require).
CA_EKU_CHOICES: dict[str, tuple[KeyPurpose, ...] | None] = {
    "none": None,
    "serverAuth": (EKU.SERVER_AUTH,),
    "clientAuth": (EKU.CLIENT_AUTH,),
    "anyEKU": (EKU.ANY,),
    "serverAuth+clientAuth": (EKU.SERVER_AUTH, EKU.CLIENT_AUTH),
}
#: The classic cases offered in the Preset dropdown (keys of certlib.cert.forge.PRESETS).
EXPLORER_PRESETS: tuple[str, ...] = (
    "iis_server",
    "iis_self_signed",
    "web_server",
    "user_client",
    "dual_use",
    "no_eku",
    "any_eku_only",
    "code_signing",
    "ca_as_leaf",
)
_PRESET_LABELS = {
    "iis_server": "IIS server certificate",
    "iis_self_signed": "IIS server certificate, self-signed",
    "web_server": "Web PKI-shaped TLS server",
    "user_client": "user client certificate",
    "dual_use": "dual-use (server + client)",
    "no_eku": "no EKU extension",
    "any_eku_only": "anyExtendedKeyUsage only",
    "code_signing": "code signing",
    "ca_as_leaf": "CA certificate used as a leaf",
}

#: What a frozen explorer's caption says (:meth:`PurposeExplorer.freeze`).
FROZEN_NOTE = (
    "The controls are disabled: nothing recomputes without a kernel. "
    "For a live explorer: make app, or notebook 02."
)

_OID_RE = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")


def parse_oids(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split free text on commas/whitespace into (valid dotted OIDs, rejected tokens)."""
    good: list[str] = []
    bad: list[str] = []
    for token in re.split(r"[,\s;]+", text.strip()):
        if not token:
            continue
        ok = _OID_RE.match(token) and (token[0] == "2" or int(token.split(".")[1]) < 40)
        (good if ok else bad).append(token)
    return tuple(dict.fromkeys(good)), tuple(bad)


@dataclass(frozen=True)
class ExplorerState:
    """Everything the explorer's controls say, as plain values."""

    common_name: str = "www.contoso.com"
    sans: tuple[str, ...] = ("DNS:www.contoso.com",)
    eku_present: bool = True
    eku: tuple[str, ...] = (EKU.SERVER_AUTH.oid,)  # ticked EKU_CHOICES, catalogue order
    other_eku: tuple[str, ...] = ()  # free OIDs from the text field
    eku_critical: bool = False
    ku_present: bool = True
    key_usage: frozenset[str] = frozenset({"digital_signature"})
    ku_critical: bool = True
    basic_constraints: str = "not_ca"
    key_type: str = "ec"
    issuer: str = "self"
    ca_eku: str = "none"
    profile: str = "rfc5280"
    purpose: str = "tls_server"

    def leaf_spec(self) -> CertSpec:
        """The leaf :class:`CertSpec` (issuer left to the model)."""
        ekus = tuple(dict.fromkeys((*self.eku, *self.other_eku))) if self.eku_present else None
        return CertSpec(
            common_name=self.common_name,
            subject=(("C", "US"), ("O", "Contoso")),
            sans=self.sans,
            key_type=self.key_type,
            eku=ekus,
            eku_critical=self.eku_critical,
            key_usage=frozenset(self.key_usage) if self.ku_present else None,
            ku_critical=self.ku_critical,
            ca=BASIC_CONSTRAINTS_CHOICES[self.basic_constraints],
            key_label="certlib.widgets.explorer",
        )

    def issuer_specs(self) -> tuple[CertSpec, CertSpec] | None:
        """(root, issuing CA) specs when issued by a CA, else None."""
        if self.issuer != "ca":
            return None
        root = PRESETS["root_ca"]
        ca_eku = CA_EKU_CHOICES[self.ca_eku]
        ca = PRESETS["intermediate_ca"].with_(
            issuer=None, eku=None if ca_eku is None else tuple(k.oid for k in ca_eku)
        )
        return root, ca

    @classmethod
    def from_spec(cls, spec: CertSpec, **keep: Any) -> ExplorerState:
        """The state that reproduces ``spec`` (its issuer, if any, becomes "issued by a CA")."""
        ekus = spec.eku or ()
        ca_eku = "none"
        if spec.issuer is not None and spec.issuer.eku is not None:
            wanted = tuple(spec.issuer.eku)
            for name, kps in CA_EKU_CHOICES.items():
                if kps is not None and tuple(k.oid for k in kps) == wanted:
                    ca_eku = name
        bc = next(k for k, v in BASIC_CONSTRAINTS_CHOICES.items() if v is spec.ca)
        return cls(
            common_name=spec.common_name,
            sans=tuple(spec.sans),
            eku_present=spec.eku is not None,
            eku=tuple(o for o in _CHOICE_OIDS if o in ekus),
            other_eku=tuple(o for o in ekus if o not in _CHOICE_OIDS),
            eku_critical=spec.eku_critical,
            ku_present=spec.key_usage is not None,
            key_usage=frozenset(spec.key_usage or ()),
            ku_critical=spec.ku_critical,
            basic_constraints=bc,
            key_type=spec.key_type if spec.key_type in KEY_TYPE_CHOICES else "ec",
            issuer="ca" if spec.issuer is not None else "self",
            ca_eku=ca_eku,
            **keep,
        )

    @classmethod
    def from_preset(cls, name: str, **keep: Any) -> ExplorerState:
        return cls.from_spec(PRESETS[name], **keep)


@dataclass(frozen=True)
class ExplorerResult:
    """One forged certificate (and its issuers) with every verdict about it."""

    state: ExplorerState
    spec: CertSpec
    leaf: Forged
    roots: tuple[x509.Certificate, ...]
    intermediates: tuple[x509.Certificate, ...]
    verdicts: dict[tuple[str, str], Verdict] = field(repr=False)

    @property
    def certificate(self) -> x509.Certificate:
        return self.leaf.certificate

    @property
    def selected(self) -> Verdict | None:
        return self.verdicts.get((self.state.profile, self.state.purpose))


class ExplorerModel:
    """State → CertSpec → forged certificate → verdicts → HTML. No widgets here.

    The model owns one :class:`~certlib.core.memo.Memo` for its lifetime: forged keys (an RSA
    key costs ~0.25 s), issuers' parsed facts and signature checks are reused by every toggle.
    """

    def __init__(self, state: ExplorerState | None = None, *, seed: int | str | None = None):
        self.state = state or ExplorerState()
        self.seed = seed
        self.memo = Memo()
        self._issuers: dict[tuple[CertSpec, CertSpec], tuple[Forged, Forged]] = {}
        self._last: tuple[ExplorerState, ExplorerResult] | None = None

    # -- state changes -------------------------------------------------------------------
    def update(self, **changes: Any) -> ExplorerResult:
        """Change some state fields and evaluate."""
        self.state = dataclasses.replace(self.state, **changes)
        return self.evaluate()

    def apply_preset(self, name: str) -> ExplorerResult:
        """Load a :data:`certlib.cert.forge.PRESETS` entry, keeping the selected profile/purpose."""
        self.state = ExplorerState.from_preset(
            name, profile=self.state.profile, purpose=self.state.purpose
        )
        return self.evaluate()

    def select(self, profile: str, purpose: str) -> ExplorerResult:
        """Select the grid cell whose reasons are shown (a click on it); no re-forging."""
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; known: {', '.join(PROFILES)}")
        if purpose not in Purpose._value2member_map_:
            raise ValueError(f"unknown purpose {purpose!r}")
        return self.update(profile=profile, purpose=str(purpose))

    @property
    def selection(self) -> tuple[str, str]:
        """The selected cell as ``(profile, purpose)``."""
        return self.state.profile, self.state.purpose

    def set_eku(self, oid: str, on: bool) -> ExplorerResult:
        current = set(self.state.eku)
        current.add(oid) if on else current.discard(oid)
        return self.update(eku=tuple(o for o in _CHOICE_OIDS if o in current))

    def set_ku(self, name: str, on: bool) -> ExplorerResult:
        current = set(self.state.key_usage)
        current.add(name) if on else current.discard(name)
        return self.update(key_usage=frozenset(current))

    # -- evaluation ----------------------------------------------------------------------
    def issuers(self) -> tuple[Forged, Forged] | None:
        """The forged (root, issuing CA), cached per CA spec so a toggle forges only the leaf."""
        specs = self.state.issuer_specs()
        if specs is None:
            return None
        found = self._issuers.get(specs)
        if found is None:
            root = forge(specs[0], seed=self.seed, memo=self.memo)
            issuing = forge(specs[1], root, seed=self.seed, memo=self.memo)
            found = self._issuers[specs] = (root, issuing)
        return found

    def evaluate(self) -> ExplorerResult:
        """Forge the leaf for the current state and judge it (cached for an unchanged leaf)."""
        if self._last is not None and _same_leaf(self._last[0], self.state):
            result = dataclasses.replace(self._last[1], state=self.state)
            self._last = (self.state, result)
            return result
        spec = self.state.leaf_spec()
        issuers = self.issuers()
        leaf = forge(spec, issuers[1] if issuers else None, seed=self.seed, memo=self.memo)
        roots = (issuers[0].certificate,) if issuers else ()
        intermediates = (issuers[1].certificate,) if issuers else ()
        verdicts = judge(leaf.certificate, intermediates=intermediates, roots=roots, memo=self.memo)
        result = ExplorerResult(self.state, spec, leaf, roots, intermediates, verdicts)
        self._last = (self.state, result)
        return result

    @property
    def result(self) -> ExplorerResult:
        return self.evaluate()

    # -- rendering -----------------------------------------------------------------------
    def render(self) -> dict[str, str]:
        """HTML for each view: ``grid``, ``reasons``, ``details``, ``openssl``, ``summary``."""
        r = self.evaluate()
        cert = r.certificate
        return {
            "grid": render.verdict_grid_html(
                r.verdicts, selected=(self.state.profile, self.state.purpose)
            ),
            "reasons": render.reasons_html(r.selected),
            "details": render.extensions_only_html(cert),
            "openssl": render.openssl_text_html(
                openssl_text(cert, memo=self.memo), chain_aware=bool(r.roots)
            ),
            "summary": self.summary_html(r),
        }

    def summary_html(self, r: ExplorerResult) -> str:
        s = self.state
        if s.issuer == "ca":
            ca = CA_EKU_CHOICES[s.ca_eku]
            ca_text = "no EKU" if ca is None else "EKU " + " + ".join(k.short_name for k in ca)
            chain = (
                f"chain-aware: root “{render.issued_to(r.roots[0])}” → issuing CA "
                f"“{render.issued_to(r.intermediates[0])}” ({ca_text}) → this leaf"
            )
        else:
            chain = "self-signed; judged as a certificate alone (no chain)"
        return (
            '<div class="certlib-summary" style="font-size:90%">'
            f"Forged and signed: <b>{render.escape(render.issued_to(r.certificate))}</b>, "
            f"SHA-256 <code>{r.leaf.sha256[:16]}…</code>; {render.escape(chain)}</div>"
        )


def _same_leaf(a: ExplorerState, b: ExplorerState) -> bool:
    return dataclasses.replace(a, profile=b.profile, purpose=b.purpose) == b


# ============================================================================================
# The widget
# ============================================================================================


def _css(name: str) -> str:
    return "certlib-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


class PurposeExplorer:
    """The interactive explorer. ``display(PurposeExplorer())`` or use ``.widget``.

    Every control has a stable ``description`` and a CSS class (``certlib-eku-serverAuth``,
    ``certlib-ku-digital_signature``, ``certlib-preset`` …). ``controls`` maps control names
    to widgets; ``views`` are ``HTML`` widgets with classes ``certlib-view-<name>`` (``grid``:
    the legend and "click a cell" hint, ``reasons``, ``details``, ``openssl``, ``summary``,
    ``status``). ``grid`` is the clickable :class:`~certlib.widgets.cells.VerdictGrid`:
    clicking a cell selects it (as the profile/purpose dropdowns do) and shows its reasons.
    ``tryit`` is the "Try it for real" button (:class:`~certlib.widgets.tryit.TryIt`): the
    forged certificate in real handshakes beside the grid; :meth:`close` ends its Go helper.
    """

    def __init__(self, preset: str | None = "iis_server", *, seed: int | str | None = None):
        import ipywidgets as w

        self._w = w
        state = ExplorerState.from_preset(preset) if preset else ExplorerState()
        self.model = ExplorerModel(state, seed=seed)
        self._syncing = False
        self.controls: dict[str, Any] = {}
        self._handlers: dict[str, Callable[[Any], None]] = {}
        self._build()
        self.controls["preset"].value = preset or ""
        self._sync_controls()
        self.refresh()

    # -- construction --------------------------------------------------------------------
    def _add(self, name: str, widget: Any, handler: Callable[[Any], None]) -> Any:
        widget.add_class(_css(name))
        widget.add_class("certlib-control")
        self.controls[name] = widget
        self._handlers[name] = handler
        widget.observe(lambda change, n=name: self._changed(n, change["new"]), names="value")
        return widget

    def _flag(self, field: str, description: str) -> None:
        """A checkbox that sets the model's boolean ``field`` (the control has its name)."""
        self._add(
            field,
            # as wide as its label (not ipywidgets' 300 px), so the EKU and KU columns fit
            # side by side on a 1280 px screen
            self._w.Checkbox(
                description=description, indent=False, layout=self._w.Layout(width="auto")
            ),
            lambda v: self.model.update(**{field: bool(v)}),
        )

    def _choice(self, field: str, options: list[tuple[str, str]], description: str) -> None:
        """A dropdown that sets the model's ``field`` (the control has its name)."""
        self._add(
            field,
            self._w.Dropdown(
                options=options, description=description, style={"description_width": "initial"}
            ),
            lambda v: self.model.update(**{field: v}),
        )

    def _build(self) -> None:
        w = self._w
        m = self.model
        self.grid = VerdictGrid(self._on_cell)
        self.tryit = TryIt(self._tryit_subject)
        narrow = w.Layout(width="auto")
        style = {"description_width": "initial"}
        self._add(
            "preset",
            w.Dropdown(
                options=[("— custom —", "")] + [(_PRESET_LABELS[k], k) for k in EXPLORER_PRESETS],
                description="Preset",
                style=style,
            ),
            self._on_preset,
        )
        self.preset_help = w.HTML(layout=w.Layout(max_width="520px"))
        self.preset_help.add_class("certlib-preset-help")
        self._flag("eku_present", "EKU present")
        self._flag("eku_critical", "EKU critical")
        for kp in EKU_CHOICES:
            self._add(
                f"eku-{kp.short_name}",
                w.Checkbox(
                    description=kp.short_name,
                    tooltip=f"{kp.display_name} ({kp.oid})",
                    indent=False,
                    layout=narrow,
                ),
                lambda v, oid=kp.oid: m.set_eku(oid, bool(v)),
            )
        self._add(
            "eku-other",
            w.Text(
                description="Other EKU OIDs",
                placeholder="e.g. 1.2.3.4, 1.3.6.1.5.5.7.3.17",
                continuous_update=False,
                style=style,
            ),
            self._on_other_eku,
        )
        self._flag("ku_present", "KU present")
        self._flag("ku_critical", "KU critical")
        for bit in KU_BITS:
            self._add(
                f"ku-{bit.name}",
                w.Checkbox(
                    description=bit.rfc_name,
                    tooltip=f"bit {bit.bit}: {bit.windows_name}",
                    indent=False,
                    layout=narrow,
                ),
                lambda v, name=bit.name: m.set_ku(name, bool(v)),
            )
        self._choice(
            "basic_constraints",
            [(_BC_LABELS[k], k) for k in BASIC_CONSTRAINTS_CHOICES],
            "Basic constraints",
        )
        self._choice("key_type", [(_KEY_LABELS[k], k) for k in KEY_TYPE_CHOICES], "Key type")
        self._choice("issuer", [(label, k) for k, label in ISSUER_CHOICES.items()], "Issuer")
        self._choice(
            "ca_eku", [("no EKU" if k == "none" else k, k) for k in CA_EKU_CHOICES], "CA's own EKU"
        )
        self._choice(
            "profile",
            [(render.PROFILE_LABELS.get(p, p), p) for p in PROFILES],
            "Reasons for profile",
        )
        self._choice("purpose", [(p.label, str(p)) for p in Purpose], "purpose")
        self.views: dict[str, Any] = {}
        for name in ("summary", "status", "grid", "reasons", "details", "openssl"):
            view = w.HTML()
            view.add_class(_css("view-" + name))
            self.views[name] = view

        c = self.controls
        box = w.VBox

        def row(children: list[Any]) -> Any:
            """A row that wraps when the output area is narrower than its children (never a
            clipped column or a horizontal scrollbar)."""
            return w.HBox(
                children,
                layout=w.Layout(
                    flex_flow="row wrap", justify_content="flex-start", grid_gap="4px 24px"
                ),
            )

        eku_box = box(
            [
                w.HTML("<b>Extended Key Usage</b>"),
                row([c["eku_present"], c["eku_critical"]]),
                w.GridBox(
                    [c[f"eku-{k.short_name}"] for k in EKU_CHOICES],
                    layout=w.Layout(grid_template_columns="repeat(2, max-content)"),
                ),
                c["eku-other"],
            ]
        )
        ku_box = box(
            [
                w.HTML("<b>Key Usage</b>"),
                row([c["ku_present"], c["ku_critical"]]),
                w.GridBox(
                    [c[f"ku-{b.name}"] for b in KU_BITS],
                    layout=w.Layout(grid_template_columns="repeat(3, max-content)"),
                ),
            ]
        )
        other_box = box(
            [
                w.HTML("<b>Certificate and issuer</b>"),
                c["basic_constraints"],
                c["key_type"],
                c["issuer"],
                c["ca_eku"],
            ]
        )
        v = self.views

        self.reading = row([c["profile"], c["purpose"]])
        self.widget = box(
            [
                row([c["preset"], self.preset_help]),
                row([eku_box, box([ku_box, other_box])]),
                v["summary"],
                v["status"],
                self.grid.widget,
                v["grid"],
                self.tryit.widget,
                self.reading,
                v["reasons"],
                row([v["details"], v["openssl"]]),
            ]
        )
        self.widget.add_class("certlib-purpose-explorer")
        self._frozen = False

    # -- events --------------------------------------------------------------------------
    def _changed(self, name: str, value: Any) -> None:
        if self._syncing:
            return
        try:
            self._handlers[name](value)
            if name not in ("preset", "profile", "purpose"):
                self._set_quietly("preset", "")
            self._sync_controls()
            self.refresh()
        except Exception as exc:  # show, don't swallow: the widget stays usable
            self.views["status"].value = (
                f'<div class="certlib-error" style="color:#a00000">Error: '
                f"{render.escape(type(exc).__name__)}: {render.escape(exc)}</div>"
            )
            raise

    def _on_cell(self, profile: str, purpose: str) -> None:
        """A grid cell was clicked: select it (the dropdowns follow), show its reasons."""
        try:
            self.model.select(profile, purpose)
            self._sync_controls()
            self.refresh()
        except Exception as exc:
            self.views["status"].value = (
                f'<div class="certlib-error" style="color:#a00000">Error: '
                f"{render.escape(type(exc).__name__)}: {render.escape(exc)}</div>"
            )
            raise

    def _tryit_subject(self) -> Subject:
        """What "Try it for real" runs: the forged leaf, its chain and roots, the grid."""
        r = self.model.evaluate()
        return subject_of(r.leaf, r.roots, r.verdicts)

    def _on_preset(self, name: str) -> None:
        if name:
            self.model.apply_preset(name)

    def _on_other_eku(self, text: str) -> None:
        good, bad = parse_oids(text)
        self._other_rejected = bad
        self.model.update(other_eku=good)

    def _set_quietly(self, name: str, value: Any) -> None:
        self._syncing = True
        try:
            self.controls[name].value = value
        finally:
            self._syncing = False

    def _sync_controls(self) -> None:
        """Make every control show the model state (without firing handlers)."""
        s = self.model.state
        c = self.controls
        values: dict[str, Any] = {
            "eku_present": s.eku_present,
            "eku_critical": s.eku_critical,
            "ku_present": s.ku_present,
            "ku_critical": s.ku_critical,
            "basic_constraints": s.basic_constraints,
            "key_type": s.key_type,
            "issuer": s.issuer,
            "ca_eku": s.ca_eku,
            "profile": s.profile,
            "purpose": s.purpose,
            "eku-other": ", ".join(s.other_eku)
            if not getattr(self, "_other_rejected", ())
            else c["eku-other"].value,
        }
        values.update({f"eku-{k.short_name}": k.oid in s.eku for k in EKU_CHOICES})
        values.update({f"ku-{b.name}": b.name in s.key_usage for b in KU_BITS})
        self._syncing = True
        try:
            for name, value in values.items():
                if c[name].value != value:
                    c[name].value = value
            for k in EKU_CHOICES:
                c[f"eku-{k.short_name}"].disabled = not s.eku_present
            c["eku-other"].disabled = not s.eku_present
            c["eku_critical"].disabled = not s.eku_present
            for b in KU_BITS:
                c[f"ku-{b.name}"].disabled = not s.ku_present
            c["ku_critical"].disabled = not s.ku_present
            c["ca_eku"].disabled = s.issuer != "ca"
            if self._frozen:
                for control in c.values():
                    control.disabled = True
        finally:
            self._syncing = False

    def refresh(self) -> None:
        """Re-render every view from the model."""
        html = self.model.render()
        for name in ("reasons", "details", "openssl", "summary"):
            self.views[name].value = html[name]
        r = self.model.evaluate()
        self.grid.show(r.verdicts, self.model.selection)
        self.tryit.follow(r.leaf.sha256)
        frozen = getattr(self, "_frozen", False)
        self.views["grid"].value = render.legend_html() if frozen else render.grid_hint_html()
        preset = self.controls["preset"].value
        self.preset_help.value = (
            f"<i>{render.escape(PRESET_DESCRIPTIONS.get(preset, ''))}</i>" if preset else ""
        )
        bad = getattr(self, "_other_rejected", ())
        self.views["status"].value = (
            f'<div class="certlib-warning" style="color:#8a5a00">Ignored (not a dotted OID): '
            f"{render.escape(', '.join(bad))}</div>"
            if bad
            else ""
        )

    # -- a snapshot without a kernel ------------------------------------------------------
    def freeze(self, note: str = FROZEN_NOTE, *, compact: bool = False) -> PurposeExplorer:
        """Disable every control and cell and say so in a caption above the widget.

        For pages with no kernel behind them (the offline deck): a checkbox that still toggles
        while the grid stays the same would show a certificate the verdicts are not about.
        ``compact`` hides the reasons, details and OpenSSL views (clicking a cell cannot show
        other reasons without a kernel), so the snapshot fits one slide. Returns ``self``.
        """
        self._frozen = True
        self._sync_controls()
        for b in self.grid.buttons.values():
            b.disabled = True
        self.refresh()  # the legend without the "click a cell" hint: a click cannot work
        caption = self._w.HTML(f"<b>Frozen snapshot.</b> {render.escape(note)}")
        caption.add_class("certlib-frozen-caption")
        self.widget.children = (caption, *self.widget.children)
        self.widget.add_class("certlib-frozen")
        self.tryit.widget.layout.display = "none"  # a handshake needs a kernel
        if compact:
            for view in (self.reading, *(self.views[n] for n in ("reasons", "details", "openssl"))):
                view.layout.display = "none"
        return self

    def close(self) -> None:
        """End the try-it Go helper and close the widgets."""
        self.tryit.close()
        self.grid.widget.close()
        self.widget.close()

    # -- display -------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def result(self) -> ExplorerResult:
        return self.model.evaluate()

    def describe(self) -> str:
        """Which extensions the explorer currently puts in the certificate (plain text)."""
        r = self.result
        names = [eku(o).short_name for o in r.spec.eku or ()]
        return f"EKU={names if r.spec.eku is not None else 'absent'}"
