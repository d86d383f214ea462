"""Every "try this" and every stated verdict in the notebooks, written down once as data.

A learner reads "untick serverAuth and the row turns ✗" and expects to see exactly that. So each
instruction (a :class:`Step`: preset, actions on the purpose explorer, what the text says will be
seen) and each sentence that states a verdict about a fixed certificate (a :class:`Statement`)
lives here, next to the verbatim text the notebook shows. :func:`check_step` and
:func:`check_statement` drive the real engine and return what disagrees, so a test can hold text,
widgets and engine together (``tests/widgets/test_lessons.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from certlib.cert.extra_extensions import certificate_policies, name_constraints, policy_constraints
from certlib.cert.forge import PRESETS, CertSpec, forge
from certlib.core.memo import Memo
from certlib.core.oids import EKU, EXAMPLE_UNKNOWN_OID
from certlib.core.verdicts import OUTCOMES, PROFILES, Outcome, Purpose
from certlib.widgets.live import LIVE_01, NO_KEY_ENCIPHERMENT, Connect, Live, Scene, check_live

__all__ = [
    "LESSONS",
    "Action",
    "Check",
    "Claim",
    "Connect",
    "Live",
    "Scene",
    "Stage",
    "Statement",
    "Step",
    "check_statement",
    "check_step",
    "claims",
    "iter_items",
    "run_steps",
]


@dataclass(frozen=True)
class Claim:
    """What the text says is seen: ``outcome`` for ``purpose`` under each of ``profiles``."""

    purpose: str
    outcome: str
    profiles: tuple[str, ...] = PROFILES

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, not {self.outcome!r}")
        Purpose(self.purpose)
        unknown = set(self.profiles) - set(PROFILES)
        if unknown or not self.profiles:
            raise ValueError(f"unknown or no profiles {sorted(unknown)}")


def claims(purpose: str, **by_profile: str) -> tuple[Claim, ...]:
    """``claims("tls_server", go="allowed", openssl="denied")``: one claim per profile."""
    return tuple(Claim(purpose, outcome, (profile,)) for profile, outcome in by_profile.items())


@dataclass(frozen=True)
class Action:
    """One thing the learner does in the explorer.

    ``kind`` is ``"preset"`` (choose ``value`` in the Preset list), ``"eku"`` / ``"ku"`` (tick
    ``name`` when ``value`` is true, untick otherwise) or ``"set"`` (set the control ``name``,
    an :class:`~certlib.widgets.explorer.ExplorerState` field, to ``value``).
    """

    kind: str
    name: str
    value: Any

    @classmethod
    def preset(cls, name: str) -> Action:
        return cls("preset", name, name)

    @classmethod
    def tick_eku(cls, oid: str, on: bool = True) -> Action:
        return cls("eku", oid, on)

    @classmethod
    def tick_ku(cls, bit: str, on: bool = True) -> Action:
        return cls("ku", bit, on)

    @classmethod
    def set(cls, field: str, value: Any) -> Action:
        return cls("set", field, value)


@dataclass(frozen=True)
class Stage:
    """Some actions, then what the grid shows (``claims``)."""

    actions: tuple[Action, ...]
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Step:
    """One numbered instruction of an explorer exercise, as the notebook prints it.

    Steps of one exercise run in order on one explorer, as the learner does them: a step that
    does not choose a preset starts where the previous one ended.
    """

    where: str  # notebook file name
    text: str  # verbatim markdown (whitespace-normalised when compared)
    stages: tuple[Stage, ...]


@dataclass(frozen=True)
class Check:
    scene: Scene
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Statement:
    """A sentence that states verdicts about fixed certificates (or what real handshakes do
    with them: a :class:`~certlib.widgets.live.Live` check), and what it states."""

    where: str
    text: str
    checks: tuple[Check | Live, ...]


# ------------------------------------------------------------------------------------------
# Running
# ------------------------------------------------------------------------------------------


def _apply(model: Any, action: Action) -> None:
    if action.kind == "preset":
        model.apply_preset(action.name)
    elif action.kind == "eku":
        model.set_eku(action.name, bool(action.value))
    elif action.kind == "ku":
        model.set_ku(action.name, bool(action.value))
    elif action.kind == "set":
        model.update(**{action.name: action.value})
    else:
        raise ValueError(f"unknown action kind {action.kind!r}")


def _mismatches(seen: dict[tuple[str, str], Any], wanted: tuple[Claim, ...], where: str) -> list:
    out = []
    for c in wanted:
        for profile in c.profiles:
            got = seen[(profile, c.purpose)].outcome
            if got != c.outcome:
                out.append(f"{where}: {c.purpose} under {profile}: text says {c.outcome}, is {got}")
    return out


def run_steps(steps: tuple[Step, ...], model: Any = None) -> list[str]:
    """Drive one explorer through ``steps`` in order; every claim that does not hold, in words."""
    from certlib.widgets.explorer import ExplorerModel

    model = model or ExplorerModel()
    problems: list[str] = []
    for n, step in enumerate(steps, 1):
        for k, stage in enumerate(step.stages, 1):
            for action in stage.actions:
                _apply(model, action)
            seen = model.evaluate().verdicts
            problems += _mismatches(seen, stage.claims, f"{step.where} step {n}.{k}")
    return problems


def check_step(step: Step) -> list[str]:
    """One step run on its own (it must then start by choosing a preset)."""
    first = step.stages[0].actions[:1]
    if not first or first[0].kind != "preset":
        raise ValueError("a step checked alone must start by choosing a preset")
    return run_steps((step,))


def check_statement(statement: Statement) -> list[str]:
    """Forge each scene, judge it under every profile, compare with the statement's claims; run
    the handshakes of each :class:`~certlib.widgets.live.Live` check (one Go helper for all)."""
    from certlib.widgets.tryit import TryItModel

    problems: list[str] = []
    model = TryItModel() if any(isinstance(c, Live) for c in statement.checks) else None
    memo = Memo()  # one for the statement's scenes: their keys and verdicts' parses are shared
    try:
        for i, check in enumerate(statement.checks, 1):
            problems += _check_one(check, f"{statement.where} statement check {i}", model, memo)
    finally:
        if model is not None:
            model.close()
    return problems


def _check_one(check: Check | Live, where: str, model: Any, memo: Memo) -> list[str]:
    from certlib.profiles import verdict

    scene = check.scene
    forged = forge(scene.spec, memo=memo)
    kw: dict[str, Any] = {"at": scene.at, "memo": memo}
    if scene.chain:
        chain = forged.as_chain()
        kw.update(roots=chain.roots, intermediates=chain.intermediate_certificates)
    seen = {
        (p, c.purpose): verdict(forged.certificate, c.purpose, p, **kw)
        for c in check.claims
        for p in c.profiles
    }
    problems = _mismatches(seen, check.claims, where)
    if isinstance(check, Live):
        problems += check_live(check, forged, where, model)
    return problems


def iter_items() -> Iterator[Step | Statement]:
    """Every step and statement of every notebook, in notebook order."""
    for items in LESSONS.values():
        yield from items


# ------------------------------------------------------------------------------------------
# The lessons
# ------------------------------------------------------------------------------------------

_S, _C, _ANY = EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid, EKU.ANY.oid
_ALL = tuple(str(p) for p in Purpose)
_FOUR = ("rfc5280", "openssl", "windows", "go")  # every profile but the Web PKI
_TLS = ("tls_server", "tls_client")

#: The certificate notebooks 02 and 04 vary (the IIS server certificate, EC, self-signed).
_EC_LEAF = PRESETS["iis_server"].with_(issuer=None, key_type="ec")
#: The certificate notebook 03 varies (the IIS server certificate, self-signed).
_RSA_LEAF = PRESETS["iis_server"].with_(issuer=None)
_CA_WITH = {
    name: PRESETS["iis_server"].with_(issuer=PRESETS["intermediate_ca"].with_(eku=(oid,)))
    for name, oid in (("clientAuth", _C), ("anyEKU", _ANY))
}
_DUAL = PRESETS["dual_use"].with_(issuer=None, validity_days=200)
#: Notebook 04's name-constraint and policy examples (the same specs the notebook forges).
_NC_LEAF = PRESETS["iis_server"].with_(
    common_name="www.other.org",
    sans=("DNS:www.other.org",),
    issuer=PRESETS["intermediate_ca"].with_(
        extra_extensions=(name_constraints(["DNS:example.com"]),)
    ),
)
_POLICY_LEAF = PRESETS["iis_server"].with_(
    issuer=PRESETS["intermediate_ca"].with_(
        extra_extensions=(
            policy_constraints(require_explicit=0),
            certificate_policies("2.23.140.1.2.1"),
        )
    )
)


def _at(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, tzinfo=dt.UTC)


def _many(purposes: tuple[str, ...], outcome: str, *profiles: str) -> tuple[Claim, ...]:
    return tuple(Claim(p, outcome, profiles or PROFILES) for p in purposes)


def _stage(*actions: Action, claims: tuple[Claim, ...]) -> Stage:
    return Stage(tuple(actions), claims)


def _say(where: str, text: str, *checks: tuple[Scene | CertSpec, tuple[Claim, ...]]) -> Statement:
    return Statement(
        where,
        text,
        tuple(Check(s if isinstance(s, Scene) else Scene(s), tuple(c)) for s, c in checks),
    )


_W01 = "01-client-vs-server.ipynb"
_IIS_ALONE = (
    *_many(("tls_server",), Outcome.ALLOWED),
    *_many(("tls_client",), Outcome.DENIED),
)
_IIS_IN_CHAIN = (
    Claim("tls_server", Outcome.ALLOWED, _FOUR),
    Claim("tls_server", Outcome.DENIED, ("webpki",)),
)

LESSONS_00: tuple[Step | Statement, ...] = (
    _say(
        "00-start-here.ipynb",
        "Judged on its own, as here, this certificate is ✓ allowed as a TLS server under all five "
        "profiles and ✗ denied as a TLS client under all five.",
        (PRESETS["iis_server"], _IIS_ALONE),
    ),
    _say(
        "00-start-here.ipynb",
        "The purpose explorer (notebook 02) shows the same certificate with ✗ in the WebPKI "
        "column: there it is judged *with its chain* (Contoso Root CA → Contoso Issuing CA 1 → "
        "this leaf), and Contoso's issuing CA carries no EKU, which the CA/Browser Forum Baseline "
        "Requirements (§7.1.2.6.1) demand of a CA that issues TLS certificates. RFC 5280, "
        "OpenSSL, Windows and Go treat a CA without EKU as unrestricted and still say ✓.",
        (Scene(PRESETS["iis_server"], chain=True), _IIS_IN_CHAIN),
    ),
)

LESSONS_01: tuple[Step | Statement, ...] = (
    _say(
        "01-client-vs-server.ipynb",
        "RFC 5280, OpenSSL, Windows and Go accept it for both TLS ends. The Web PKI accepts it "
        "too, with a ⚠ warning: Chrome wants leaves issued from 2027-03-15 to carry serverAuth "
        "only (notebook 04).",
        (
            PRESETS["dual_use"],
            (*_many(_TLS, Outcome.ALLOWED, *_FOUR), *_many(_TLS, Outcome.WARNING, "webpki")),
        ),
    ),
    _say(
        "01-client-vs-server.ipynb",
        "Evidence: an EC server certificate whose Key Usage is **only `digitalSignature`** is a "
        "perfectly good TLS server certificate everywhere.",
        (
            _RSA_LEAF.with_(key_type="ec", key_usage=frozenset({"digital_signature"})),
            _many(("tls_server",), Outcome.ALLOWED),
        ),
    ),
    *(Statement(_W01, text, checks) for text, checks in LIVE_01["myth 1"]),
    _say(
        "01-client-vs-server.ipynb",
        "Does a profile catch it instead? No: judged alone, the certificate without "
        "`keyEncipherment` is ✓ allowed as a TLS server under all five profiles, because "
        "serverAuth is consistent with `digitalSignature` alone (RFC 5280 §4.2.1.12). The "
        "keyEncipherment rule belongs to a cipher suite, not to a certificate, and a verdict "
        "about a certificate cannot know which suite a connection will pick. We expected at "
        "least one client to refuse this handshake; none does, and this notebook shows what "
        "happens, not what should.",
        (NO_KEY_ENCIPHERMENT, _many(("tls_server",), Outcome.ALLOWED)),
    ),
    _say(
        "01-client-vs-server.ipynb",
        "A certificate whose EKU lists only serverAuth is refused for client authentication by "
        "every profile.",
        (PRESETS["iis_server"], _many(("tls_client",), Outcome.DENIED)),
    ),
    _say(
        "01-client-vs-server.ipynb",
        "Read it row by row: the serverAuth-only certificate is refused everywhere; without an "
        "EKU nothing restricts it (the Web PKI profile still has its own demands); the dual-use "
        "certificate is a client certificate too; `anyExtendedKeyUsage` is honoured by some "
        "implementations (Go) and not by others (OpenSSL 3.0) — RFC 5280 allows both.",
        (PRESETS["iis_server"], _many(("tls_client",), Outcome.DENIED)),
        (
            PRESETS["no_eku"],
            (
                Claim("tls_client", Outcome.ALLOWED, _FOUR),
                Claim("tls_client", Outcome.DENIED, ("webpki",)),
            ),
        ),
        (
            PRESETS["dual_use"],
            (
                Claim("tls_client", Outcome.ALLOWED, _FOUR),
                Claim("tls_client", Outcome.WARNING, ("webpki",)),
            ),
        ),
        (
            PRESETS["any_eku_only"],
            claims(
                "tls_client", go=Outcome.ALLOWED, openssl=Outcome.DENIED, rfc5280=Outcome.ALLOWED
            ),
        ),
    ),
    *(Statement(_W01, text, checks) for text, checks in LIVE_01["myth 3"]),
    _say(
        "01-client-vs-server.ipynb",
        "Each handshake agrees with its profile's verdict for the same chain: ✓ allowed where "
        "it connects, ✗ denied where it is refused.",
        *(
            (Scene(PRESETS[n]), _many(("tls_client",), Outcome.ALLOWED, "openssl", "go"))
            for n in ("user_client", "dual_use", "no_eku")
        ),
        (
            Scene(PRESETS["iis_server"], chain=True),
            _many(("tls_client",), Outcome.DENIED, "openssl", "go"),
        ),
    ),
)

LESSONS_02: tuple[Step | Statement, ...] = (
    _say(
        "02-extended-key-usage.ipynb",
        "Without the extension, nothing in EKU restricts the purpose: RFC 5280, Windows and Go "
        "accept such a certificate for all six purposes (Windows' `CertGetEnhancedKeyUsage` "
        'documents "valid for all uses"), and OpenSSL for TLS and S/MIME — but not for time '
        "stamping or OCSP signing, which it grants only when the EKU lists them, and OpenSSL 3.0 "
        "has no code-signing purpose at all (– n/a). The Web PKI is the exception: the "
        "CA/Browser Forum Baseline Requirements §7.1.2.7.6 make EKU mandatory in server "
        "certificates.",
        (
            _EC_LEAF.with_(eku=None),
            (
                *_many(_ALL, Outcome.ALLOWED, "rfc5280", "windows", "go"),
                *_many(
                    ("tls_server", "tls_client", "email_protection"), Outcome.ALLOWED, "openssl"
                ),
                *_many(("time_stamping", "ocsp_signing"), Outcome.DENIED, "openssl"),
                Claim("code_signing", Outcome.NA, ("openssl",)),
                Claim("tls_server", Outcome.DENIED, ("webpki",)),
            ),
        ),
    ),
    _say(
        "02-extended-key-usage.ipynb",
        "**Go** honours it everywhere, **OpenSSL 3.0 does not** (no `XKU_*` purpose bit matches "
        "it in `v3_purp.c`), pyca honours it only in CA certificates, Windows is reported to "
        'treat it as "all" (unverified, [docs/semantics.md §3.1](../docs/semantics.md#s3-1)).',
        (
            _EC_LEAF.with_(eku=(_ANY,)),
            (
                *_many(_ALL, Outcome.ALLOWED, "go"),
                *_many(_TLS, Outcome.DENIED, "openssl", "webpki"),
                *_many(_TLS, Outcome.ALLOWED, "windows"),
            ),
        ),
    ),
    _say(
        "02-extended-key-usage.ipynb",
        "Marking EKU critical changes nothing for OpenSSL (except its time-stamping check, which "
        "*requires* it critical), Go or Windows. pyca's Web PKI policy rejects a critical EKU, "
        'in line with the Baseline Requirements ("MUST NOT be critical" for subscriber '
        "certificates).",
        (
            _EC_LEAF.with_(eku_critical=True),
            (
                Claim("tls_server", Outcome.ALLOWED, _FOUR),
                Claim("tls_server", Outcome.DENIED, ("webpki",)),
            ),
        ),
    ),
    _say(
        "02-extended-key-usage.ipynb",
        "An EKU that lists only an OID nobody recognises restricts the certificate to that "
        "unknown purpose: it is no good for TLS anywhere.",
        (_EC_LEAF.with_(eku=(EXAMPLE_UNKNOWN_OID,)), _many(_TLS, Outcome.DENIED)),
    ),
    _say(
        "02-extended-key-usage.ipynb",
        "An **empty** EKU (a `SEQUENCE` with no OIDs) is invalid under RFC 5280 (`SIZE "
        '(1..MAX)`); OpenSSL answers "No" for every EKU-checked purpose, Windows reads it as "no '
        'uses", pyca refuses to parse it — and Go parses it into empty lists, exactly like *no* '
        "EKU, so it allows everything (source reading, marked unverified in the reasons).",
        (
            _EC_LEAF.with_(eku=()),
            (
                *_many(_ALL, Outcome.INVALID, "rfc5280"),
                *_many(_ALL, Outcome.DENIED, "windows"),
                *_many(_ALL, Outcome.ALLOWED, "go"),
                *_many(
                    ("tls_server", "tls_client", "email_protection", "time_stamping"),
                    Outcome.DENIED,
                    "openssl",
                ),
                Claim("tls_server", Outcome.INVALID, ("webpki",)),
            ),
        ),
    ),
    Step(
        "02-extended-key-usage.ipynb",
        'Choose the preset **"IIS server certificate"**. It is issued by Contoso\'s CA, so the '
        "grid judges the whole chain, and the WebPKI column says ✗ for TLS server where "
        "notebooks 00 and 01, which judge the certificate alone, say ✓: the issuing CA has no "
        "EKU, and the Baseline Requirements (§7.1.2.6.1) require one in a TLS sub-CA. Now "
        "**untick serverAuth and tick clientAuth**: the TLS server row turns ✗ denied under "
        "every profile, and the TLS client row turns ✓ allowed under RFC 5280, OpenSSL, Windows "
        "and Go.",
        (
            _stage(Action.preset("iis_server"), claims=_IIS_IN_CHAIN),
            _stage(
                Action.tick_eku(_S, False),
                Action.tick_eku(_C),
                claims=(
                    *_many(("tls_server",), Outcome.DENIED),
                    Claim("tls_client", Outcome.ALLOWED, _FOUR),
                ),
            ),
        ),
    ),
    Step(
        "02-extended-key-usage.ipynb",
        "Untick **EKU present**: an *absent* EKU — RFC 5280, OpenSSL, Windows and Go allow TLS "
        "server and TLS client again. Tick it again and untick clientAuth, so that no purpose is "
        "ticked: an *empty* EKU, which is something else entirely — RFC 5280 ⊘ invalid, OpenSSL "
        "✗, Windows ✗, WebPKI ⊘ invalid, but **Go ✓**: Go reads an empty EKU like no EKU at "
        "all. One empty `SEQUENCE` apart, opposite answers.",
        (
            _stage(
                Action.set("eku_present", False),
                claims=(
                    *_many(_TLS, Outcome.ALLOWED, *_FOUR),
                    *_many(_TLS, Outcome.DENIED, "webpki"),
                ),
            ),
            _stage(
                Action.set("eku_present", True),
                Action.tick_eku(_C, False),
                claims=claims(
                    "tls_server",
                    rfc5280=Outcome.INVALID,
                    openssl=Outcome.DENIED,
                    windows=Outcome.DENIED,
                    webpki=Outcome.INVALID,
                    go=Outcome.ALLOWED,
                ),
            ),
        ),
    ),
    Step(
        "02-extended-key-usage.ipynb",
        "Tick **anyExtendedKeyUsage** alone and compare OpenSSL with Go: OpenSSL ✗ (anyEKU is "
        "no wildcard in OpenSSL 3.0), Go ✓ and Windows ✓.",
        (
            _stage(
                Action.tick_eku(_ANY),
                claims=claims(
                    "tls_server",
                    openssl=Outcome.DENIED,
                    go=Outcome.ALLOWED,
                    windows=Outcome.ALLOWED,
                ),
            ),
        ),
    ),
    Step(
        "02-extended-key-usage.ipynb",
        'Choose the preset **"Web PKI-shaped TLS server"**: its issuing CA\'s own EKU is '
        "serverAuth, so TLS server is ✓ under all five profiles. Tick **EKU critical** and watch "
        "the WebPKI column turn ✗ denied (the Baseline Requirements say the EKU MUST NOT be "
        "critical); the other four stay ✓.",
        (
            _stage(Action.preset("web_server"), claims=_many(("tls_server",), Outcome.ALLOWED)),
            _stage(
                Action.set("eku_critical", True),
                claims=(
                    Claim("tls_server", Outcome.ALLOWED, _FOUR),
                    Claim("tls_server", Outcome.DENIED, ("webpki",)),
                ),
            ),
        ),
    ),
    Step(
        "02-extended-key-usage.ipynb",
        'Choose the preset **"IIS server certificate, self-signed"**: judged alone, TLS server is '
        '✓ everywhere. Set **Issuer** to "issued by a CA" and the **CA\'s own EKU** to '
        "clientAuth: the chain now constrains the leaf — TLS server turns ✗ denied under "
        "OpenSSL, Windows, Go and WebPKI, while RFC 5280 still says ✓, because its path "
        "validation ignores EKU in CA certificates (notebook 04).",
        (
            _stage(
                Action.preset("iis_self_signed"), claims=_many(("tls_server",), Outcome.ALLOWED)
            ),
            _stage(
                Action.set("issuer", "ca"),
                Action.set("ca_eku", "clientAuth"),
                claims=(
                    Claim("tls_server", Outcome.ALLOWED, ("rfc5280",)),
                    Claim("tls_server", Outcome.DENIED, ("openssl", "windows", "go", "webpki")),
                ),
            ),
        ),
    ),
)

_KE_CLIENT = _RSA_LEAF.with_(key_usage=frozenset({"key_encipherment"}), eku=(_C,))

LESSONS_03: tuple[Step | Statement, ...] = (
    _say(
        "03-key-usage-meets-eku.ipynb",
        "OpenSSL's `sslclient` refuses a keyEncipherment-only certificate (the RFC agrees: only "
        "digitalSignature and/or keyAgreement);",
        (_KE_CLIENT, claims("tls_client", openssl=Outcome.DENIED, rfc5280=Outcome.DENIED)),
    ),
    _say(
        "03-key-usage-meets-eku.ipynb",
        "So an RSA certificate with **only keyEncipherment** still passes OpenSSL's `sslserver` "
        "purpose check (its `KU_TLS` accepts DS, KE or KA)",
        (
            _RSA_LEAF.with_(key_usage=frozenset({"key_encipherment"})),
            claims("tls_server", openssl=Outcome.ALLOWED),
        ),
    ),
    _say(
        "03-key-usage-meets-eku.ipynb",
        "OpenSSL's `sslclient` purpose and the RFC 5280 profile deny it; Windows and Go do not "
        "compare KU with the purpose and allow it.",
        (
            _KE_CLIENT,
            claims(
                "tls_client",
                openssl=Outcome.DENIED,
                rfc5280=Outcome.DENIED,
                windows=Outcome.ALLOWED,
                go=Outcome.ALLOWED,
            ),
        ),
    ),
    _say(
        "03-key-usage-meets-eku.ipynb",
        "**dataEncipherment only** with serverAuth: OpenSSL denies (not in `KU_TLS`), Go allows "
        "(it ignores KU).",
        (
            _RSA_LEAF.with_(key_usage=frozenset({"data_encipherment"})),
            claims("tls_server", openssl=Outcome.DENIED, go=Outcome.ALLOWED),
        ),
    ),
    _say(
        "03-key-usage-meets-eku.ipynb",
        "OpenSSL marks the whole certificate invalid",
        (
            _RSA_LEAF.with_(key_type="ec", key_usage=frozenset()),
            claims("tls_server", openssl=Outcome.INVALID),
        ),
    ),
    _say(
        "03-key-usage-meets-eku.ipynb",
        "OpenSSL accepts such a leaf by default when digitalSignature is also set",
        (
            _RSA_LEAF.with_(
                key_type="ec", key_usage=frozenset({"key_cert_sign", "digital_signature"})
            ),
            claims("tls_server", openssl=Outcome.ALLOWED),
        ),
    ),
    Step(
        "03-key-usage-meets-eku.ipynb",
        'Choose the preset **"IIS server certificate"** (RSA, Key Usage digitalSignature + '
        "keyEncipherment), untick **digitalSignature** and **keyEncipherment** and tick "
        "**dataEncipherment**: TLS server turns ✗ denied under RFC 5280 and OpenSSL "
        "(dataEncipherment is not consistent with serverAuth), while Windows and Go stay ✓ "
        "because they do not compare Key Usage with the purpose.",
        (
            _stage(
                Action.preset("iis_server"),
                Action.tick_ku("digital_signature", False),
                Action.tick_ku("key_encipherment", False),
                Action.tick_ku("data_encipherment"),
                claims=claims(
                    "tls_server",
                    rfc5280=Outcome.DENIED,
                    openssl=Outcome.DENIED,
                    windows=Outcome.ALLOWED,
                    go=Outcome.ALLOWED,
                ),
            ),
        ),
    ),
)

_W04 = "04-who-decides.ipynb"
LESSONS_04: tuple[Step | Statement, ...] = (
    _say(
        _W04,
        "**anyEKU only** — Go honours it, OpenSSL 3.0 and the Web PKI do not; RFC 5280 allows "
        'either (§4.2.1.12: applications "MAY reject" it).',
        (
            _EC_LEAF.with_(eku=(_ANY,)),
            claims(
                "tls_server",
                go=Outcome.ALLOWED,
                openssl=Outcome.DENIED,
                webpki=Outcome.DENIED,
                rfc5280=Outcome.ALLOWED,
            ),
        ),
    ),
    _say(
        _W04,
        "**critical EKU** — only the Web PKI profile (pyca, BRs) objects.",
        (
            _EC_LEAF.with_(eku_critical=True),
            (
                Claim("tls_server", Outcome.ALLOWED, _FOUR),
                Claim("tls_server", Outcome.DENIED, ("webpki",)),
            ),
        ),
    ),
    _say(
        _W04,
        '**empty EKU** — malformed under RFC 5280 (`SIZE (1..MAX)`); OpenSSL says "No", pyca '
        "cannot parse it.",
        (
            _EC_LEAF.with_(eku=()),
            claims(
                "tls_server",
                rfc5280=Outcome.INVALID,
                openssl=Outcome.DENIED,
                webpki=Outcome.INVALID,
            ),
        ),
    ),
    _say(
        _W04,
        "**msSGC only** — legacy Server Gated Crypto still counts as serverAuth in OpenSSL.",
        (_EC_LEAF.with_(eku=(EKU.MS_SGC.oid,)), claims("tls_server", openssl=Outcome.ALLOWED)),
    ),
    _say(
        _W04,
        "**CA as leaf** — OpenSSL accepts a CA certificate as a TLS server certificate by "
        "default; pyca rejects it as an end entity.",
        (
            PRESETS["ca_as_leaf"].with_(issuer=None),
            claims("tls_server", openssl=Outcome.ALLOWED, webpki=Outcome.DENIED),
        ),
    ),
    _say(
        _W04,
        "**dataEncipherment only** — OpenSSL wants DS, KE or KA for TLS; Go ignores KU.",
        (
            _EC_LEAF.with_(key_type="rsa", key_usage=frozenset({"data_encipherment"})),
            claims("tls_server", openssl=Outcome.DENIED, go=Outcome.ALLOWED),
        ),
    ),
    _say(
        _W04,
        "RFC 5280 alone allows it (the CA's EKU is not part of path validation); OpenSSL, Go and "
        "Windows deny it.",
        (
            Scene(_CA_WITH["clientAuth"], chain=True),
            claims(
                "tls_server",
                rfc5280=Outcome.ALLOWED,
                openssl=Outcome.DENIED,
                go=Outcome.DENIED,
                windows=Outcome.DENIED,
            ),
        ),
    ),
    _say(
        _W04,
        "With an **anyEKU** CA the split is different again: Go (and, reportedly, Windows) "
        "accept, OpenSSL 3.0 does not ([docs/semantics.md §9](../docs/semantics.md#s9)). pyca's "
        "verifier itself builds the path, but the `webpki` profile still denies",
        (
            Scene(_CA_WITH["anyEKU"], chain=True),
            claims(
                "tls_server",
                go=Outcome.ALLOWED,
                windows=Outcome.ALLOWED,
                openssl=Outcome.DENIED,
                webpki=Outcome.DENIED,
            ),
        ),
    ),
    _say(
        _W04,
        "A dual-use (serverAuth + clientAuth) leaf issued in January 2026 is compliant but warned "
        "about; the same certificate issued in April 2027 is denied.",
        (
            Scene(_DUAL.with_(not_before=_at(2026, 1, 10)), at=_at(2026, 3, 1)),
            claims("tls_server", webpki=Outcome.WARNING),
        ),
        (
            Scene(_DUAL.with_(not_before=_at(2027, 4, 1)), at=_at(2027, 6, 1)),
            claims("tls_server", webpki=Outcome.DENIED),
        ),
    ),
    _say(
        _W04,
        "no longer usable as a TLS **client** certificate anywhere, because its EKU no longer "
        "lists clientAuth",
        (
            Scene(
                _RSA_LEAF.with_(not_before=_at(2026, 3, 1), validity_days=90), at=_at(2026, 4, 1)
            ),
            _many(("tls_client",), Outcome.DENIED),
        ),
    ),
    Step(
        _W04,
        "The explorer below starts from the **dual-use** preset (EKU serverAuth + clientAuth), "
        "issued by Contoso's CA, which carries no EKU of its own: RFC 5280, OpenSSL, Windows and "
        "Go allow both TLS ends. Set the **CA's own EKU** to serverAuth: the TLS client row "
        "turns ✗ denied under OpenSSL, Windows and Go (the CA does not allow clientAuth), RFC "
        "5280 still says ✓, and the WebPKI column shows ⚠ for TLS server. Set it to anyEKU: Go "
        "and Windows accept both ends, OpenSSL 3.0 denies both.",
        (
            _stage(Action.preset("dual_use"), claims=_many(_TLS, Outcome.ALLOWED, *_FOUR)),
            _stage(
                Action.set("ca_eku", "serverAuth"),
                claims=(
                    Claim("tls_client", Outcome.DENIED, ("openssl", "windows", "go")),
                    Claim("tls_client", Outcome.ALLOWED, ("rfc5280",)),
                    Claim("tls_server", Outcome.WARNING, ("webpki",)),
                ),
            ),
            _stage(
                Action.set("ca_eku", "anyEKU"),
                claims=(
                    *_many(_TLS, Outcome.ALLOWED, "go", "windows"),
                    *_many(_TLS, Outcome.DENIED, "openssl"),
                ),
            ),
        ),
    ),
    _say(
        _W04,
        "A CA whose name constraints permit only `example.com` issues a certificate for "
        "`www.other.org`: RFC 5280, Go and Windows deny it.",
        (
            Scene(_NC_LEAF, chain=True),
            claims("tls_server", rfc5280=Outcome.DENIED, go=Outcome.DENIED, windows=Outcome.DENIED),
        ),
    ),
    _say(
        _W04,
        "A CA with `requireExplicitPolicy` 0 above a leaf that carries no certificate policies: "
        "RFC 5280, Go and Windows deny it.",
        (
            Scene(_POLICY_LEAF, chain=True),
            claims("tls_server", rfc5280=Outcome.DENIED, go=Outcome.DENIED, windows=Outcome.DENIED),
        ),
    ),
)

_W90 = "90-slides.ipynb"
LESSONS_90: tuple[Step | Statement, ...] = (
    _say(
        _W90,
        "Say: the grid has 30 cells; every cell is a real verdict with reasons. Judged on its "
        "own, as here, the IIS certificate is ✓ for TLS server under every profile, WebPKI "
        "included, and ✗ or – (not applicable) for every other purpose.",
        (
            PRESETS["iis_server"],
            (
                *_IIS_ALONE,
                *_many(_ALL[2:], Outcome.DENIED, "rfc5280", "windows", "go"),
                *_many(
                    ("email_protection", "time_stamping", "ocsp_signing"), Outcome.DENIED, "openssl"
                ),
                Claim("code_signing", Outcome.NA, ("openssl",)),
                *_many(_ALL[2:], Outcome.NA, "webpki"),
            ),
        ),
    ),
    _say(
        _W90,
        "In the explorer the same certificate is judged with Contoso's chain, and WebPKI says ✗: "
        "the issuing CA has no EKU, which the Baseline Requirements want in a TLS sub-CA.",
        (Scene(PRESETS["iis_server"], chain=True), _IIS_IN_CHAIN),
    ),
    _say(
        _W90,
        "anyExtendedKeyUsage only: Go honours it, OpenSSL 3.0 does not.",
        (
            _EC_LEAF.with_(eku=(_ANY,)),
            claims("tls_server", go=Outcome.ALLOWED, openssl=Outcome.DENIED),
        ),
    ),
    _say(
        _W90,
        "RFC 5280 alone allows this leaf as a TLS server; OpenSSL, Go and Windows deny it.",
        (
            Scene(_CA_WITH["clientAuth"], chain=True),
            claims(
                "tls_server",
                rfc5280=Outcome.ALLOWED,
                openssl=Outcome.DENIED,
                go=Outcome.DENIED,
                windows=Outcome.DENIED,
            ),
        ),
    ),
    _say(
        _W90,
        "A serverAuth-only leaf is no longer a TLS *client* certificate anywhere",
        (PRESETS["iis_server"], _many(("tls_client",), Outcome.DENIED)),
    ),
)

#: Notebook file name -> its steps and statements, in the order the notebook shows them.
LESSONS: dict[str, tuple[Step | Statement, ...]] = {
    "00-start-here.ipynb": LESSONS_00,
    "01-client-vs-server.ipynb": LESSONS_01,
    "02-extended-key-usage.ipynb": LESSONS_02,
    "03-key-usage-meets-eku.ipynb": LESSONS_03,
    "04-who-decides.ipynb": LESSONS_04,
    "90-slides.ipynb": LESSONS_90,
}
