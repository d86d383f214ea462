"""The webpki profile on forged certificates: BR 2.2.6 rules, Chrome v1.8 dates, pyca cells.

Every certificate is real (``certlib.cert.forge``) and every verdict goes through the dispatcher
(``certlib.profiles.verdict``, ``strict=True`` so a profile exception fails the test). Dates are
fixed: leaves are issued 2026-01-10 and judged on 2026-03-01 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest
from cryptography import x509

from certlib.cert.forge import CertSpec, forge, forge_chain
from certlib.core.oids import EKU
from certlib.core.verdicts import Context, Purpose, Verdict
from certlib.profiles import verdict
from certlib.profiles.webpki import evaluate_ca

UTC = dt.UTC
ISSUED = dt.datetime(2026, 1, 10, tzinfo=UTC)
AT = dt.datetime(2026, 3, 1, tzinfo=UTC)
DS = frozenset({"digital_signature"})
CA_KU = frozenset({"key_cert_sign", "crl_sign"})
SA, CA, ANY = EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid, EKU.ANY.oid

#: A BR-compliant serverAuth-only ECDSA leaf (self-signed when forged alone: AKI = own SKI).
LEAF = CertSpec(
    common_name="example.com",
    sans=("DNS:example.com",),
    eku=(SA,),
    key_usage=DS,
    ca=False,
    not_before=ISSUED,
    validity_days=200,
)
ROOT = CertSpec(
    common_name="Web Root",
    subject=(("O", "certlib test"),),
    ca=True,
    key_usage=CA_KU,
    not_before=dt.datetime(2020, 1, 1, tzinfo=UTC),
    validity_days=7300,
)
ICA = CertSpec(
    common_name="Web Issuing CA",
    subject=(("O", "certlib test"),),
    ca=True,
    path_length=0,
    key_usage=CA_KU,
    eku=(SA,),
    not_before=dt.datetime(2025, 1, 1, tzinfo=UTC),
    validity_days=1825,
)


def _leaf_only(spec: CertSpec, purpose: Purpose = Purpose.TLS_SERVER, **kw: Any) -> Verdict:
    kw.setdefault("at", AT)
    return verdict(forge(spec).certificate, purpose, "webpki", strict=True, **kw)


def _chained(
    leaf: CertSpec = LEAF,
    ica: CertSpec = ICA,
    root: CertSpec = ROOT,
    purpose: Purpose = Purpose.TLS_SERVER,
    **kw: Any,
) -> Verdict:
    chain = forge_chain(root, ica, leaf)
    kw.setdefault("at", AT)
    kw.setdefault("hostname", "example.com")
    return verdict(
        chain.leaf.certificate,
        purpose,
        "webpki",
        intermediates=chain.intermediate_certificates,
        roots=chain.roots,
        strict=True,
        **kw,
    )


def _rules(v: Verdict) -> list[str]:
    return [r.rule for r in v.reasons]


def _explain(v: Verdict) -> str:
    return f"{v.outcome}:\n" + "\n".join(f"  [{r.rule}] {r.text}" for r in v.reasons)


def _assert(v: Verdict, outcome: str, rules: Iterable[str] = ()) -> None:
    assert v.outcome == outcome, _explain(v)
    for rule in rules:
        assert rule in _rules(v), f"{rule} missing; {_explain(v)}"
    # Every verdict explains itself and ends with the summary of what decided.
    assert v.profile == "webpki"
    assert all(r.text and r.source for r in v.reasons)
    assert v.reasons[-1].rule == f"webpki.{outcome}"


# --------------------------------------------------------------------------------------------
# leaf-only: BR 2.2.6 §7.1.2.7 subscriber rules and pyca EE facts
# --------------------------------------------------------------------------------------------


def test_compliant_leaf_is_allowed_and_says_why() -> None:
    v = _leaf_only(LEAF)
    _assert(
        v,
        "allowed",
        ["webpki.profile", "eku.purpose_present", "chrome.leaf_server_auth_only", "ku.ok"],
    )
    assert "leaf-only" in v.reasons[0].text


_NC = x509.NameConstraints([x509.DNSName("example.com")], None).public_bytes()

LEAF_CASES: dict[str, tuple[dict[str, Any], str, list[str]]] = {
    # §7.1.2.7.6 / §7.1.2.7.10: EKU
    "eku absent": ({"eku": None}, "denied", ["eku.absent"]),
    "eku empty": ({"eku": ()}, "invalid", ["eku.empty"]),
    "eku critical": ({"eku_critical": True}, "denied", ["eku.critical"]),
    "clientAuth only": ({"eku": (CA,)}, "denied", ["eku.purpose_missing"]),
    "anyEKU only": ({"eku": (ANY,)}, "denied", ["eku.purpose_missing", "eku.forbidden"]),
    "serverAuth + anyEKU": ({"eku": (SA, ANY)}, "denied", ["eku.forbidden"]),
    "serverAuth + codeSigning": ({"eku": (SA, EKU.CODE_SIGNING.oid)}, "denied", ["eku.forbidden"]),
    "serverAuth + emailProtection": (
        {"eku": (SA, EKU.EMAIL_PROTECTION.oid)},
        "denied",
        ["eku.forbidden"],
    ),
    "serverAuth + timeStamping": (
        {"eku": (SA, EKU.TIME_STAMPING.oid)},
        "denied",
        ["eku.forbidden"],
    ),
    "serverAuth + OCSPSigning": ({"eku": (SA, EKU.OCSP_SIGNING.oid)}, "denied", ["eku.forbidden"]),
    "serverAuth + precert OID": (
        {"eku": (SA, EKU.CT_PRECERT_SIGNING.oid)},
        "denied",
        ["eku.forbidden"],
    ),
    "serverAuth + other OID": (
        {"eku": (SA, EKU.IPSEC_END_SYSTEM.oid)},
        "warning",
        ["eku.not_recommended", "chrome.leaf_server_auth_only"],
    ),
    # §7.1.2.7.8: basicConstraints
    "cA TRUE": ({"ca": True}, "denied", ["bc.ca"]),
    "pathLen in leaf": ({"path_length": 0}, "denied", ["bc.path_length"]),
    "BC not critical": ({"bc_critical": False}, "denied", ["bc.not_critical"]),
    "BC absent": ({"ca": None}, "allowed", ["bc.absent"]),
    # §7.1.2.7.6 / §7.1.2.7.11: keyUsage by key type
    "KU absent": ({"key_usage": None}, "warning", ["ku.absent"]),
    "KU not critical": ({"ku_critical": False}, "denied", ["ku.not_critical"]),
    "KU no bits": ({"key_usage": frozenset()}, "denied", ["ku.empty"]),
    "KU keyCertSign": (
        {"key_usage": DS | {"key_cert_sign"}},
        "denied",
        ["ku.key_cert_sign"],
    ),
    "ECC KE only": (
        {"key_usage": frozenset({"key_encipherment"})},
        "denied",
        ["ku.not_permitted", "ku.digital_signature_missing"],
    ),
    "ECC DS + KA": (
        {"key_usage": DS | {"key_agreement"}},
        "warning",
        ["ku.not_recommended"],
    ),
    "RSA DS + KE": (
        {"key_type": "rsa", "key_usage": DS | {"key_encipherment"}},
        "allowed",
        ["ku.ok"],
    ),
    "RSA KE only": (
        {"key_type": "rsa", "key_usage": frozenset({"key_encipherment"})},
        "warning",
        ["ku.digital_signature_missing"],
    ),
    "RSA DE only": (
        {"key_type": "rsa", "key_usage": frozenset({"data_encipherment"})},
        "warning",
        ["ku.digital_signature_missing", "ku.not_recommended"],
    ),
    "RSA DS + nonRepudiation": (
        {"key_type": "rsa", "key_usage": DS | {"content_commitment"}},
        "denied",
        ["ku.not_permitted"],
    ),
    # pyca webpki_defaults_ee facts that need no chain
    "SAN absent": ({"sans": ()}, "denied", ["san.absent"]),
    "SAN IP only": ({"sans": ("IP:192.0.2.1",)}, "allowed", ["san.present"]),
    "SAN e-mail only": ({"sans": ("email:a@example.com",)}, "denied", ["san.types"]),
    "SAN DNS + URI": (
        {"sans": ("DNS:example.com", "URI:https://example.com/")},
        "denied",
        ["san.types"],
    ),
    "SAN undecodable": (
        {"sans": (), "extra_extensions": (("2.5.29.17", False, b"\x30\x03\x82\x01"),)},
        "invalid",
        ["san.malformed"],
    ),
    "AKI absent": ({"authority_key_identifier": False}, "denied", ["aki.absent"]),
    "nameConstraints in leaf": (
        {"extra_extensions": (("2.5.29.30", True, _NC),)},
        "denied",
        ["nc.present"],
    ),
    "unknown critical extension": (
        {"extra_extensions": (("1.3.6.1.4.1.55555.1", True, b"\x05\x00"),)},
        "denied",
        ["ext.unknown_critical"],
    ),
    # BR §6.1.5 keys, §7.1.1 version, §7.1 serial, §7.1.3.2 signature hash
    "negative serial": ({"serial_number": -5}, "denied", ["cert.serial"]),
    "SHA-1 signature": ({"signature_hash": "sha1"}, "denied", ["cert.signature_hash"]),
    "RSA-1024": ({"key_type": "rsa1024", "key_usage": DS}, "denied", ["key.size"]),
    "Ed25519": ({"key_type": "ed25519"}, "denied", ["key.type"]),
    "v1": (
        {"version": 1, "sans": (), "eku": None, "key_usage": None, "ca": None},
        "denied",
        ["cert.version"],
    ),
}


@pytest.mark.parametrize("changes,outcome,rules", LEAF_CASES.values(), ids=LEAF_CASES.keys())
def test_leaf_rule(changes: dict[str, Any], outcome: str, rules: list[str]) -> None:
    _assert(_leaf_only(LEAF.with_(**changes)), outcome, rules)


def test_leaf_only_hostname() -> None:
    _assert(_leaf_only(LEAF, hostname="example.com"), "allowed", ["name.match"])
    _assert(_leaf_only(LEAF, hostname="other.example"), "denied", ["name.mismatch"])
    wildcard = LEAF.with_(sans=("DNS:*.example.com",))
    _assert(_leaf_only(wildcard, hostname="www.example.com"), "allowed", ["name.match"])
    _assert(_leaf_only(LEAF, Purpose.TLS_CLIENT, hostname="x.example"), "denied", ["name.ignored"])


def test_expired_and_not_yet_valid() -> None:
    _assert(
        _leaf_only(LEAF, at=dt.datetime(2027, 1, 1, tzinfo=UTC)), "denied", ["validity.expired"]
    )
    _assert(
        _leaf_only(LEAF, at=dt.datetime(2025, 12, 1, tzinfo=UTC)),
        "denied",
        ["validity.not_yet_valid"],
    )


def test_required_key_usage_option() -> None:
    """x509-limbo's ``key_usage`` requirement, passed as ``required_key_usage``."""
    rsa = LEAF.with_(key_type="rsa", key_usage=DS | {"key_encipherment"})
    _assert(_leaf_only(rsa, required_key_usage=("digitalSignature",)), "allowed")
    ke_only = rsa.with_(key_usage=frozenset({"key_encipherment"}))
    _assert(
        _leaf_only(ke_only, required_key_usage=("digitalSignature",)),
        "denied",
        ["ku.required_missing"],
    )


@pytest.mark.parametrize(
    "purpose", [p for p in Purpose if p not in (Purpose.TLS_SERVER, Purpose.TLS_CLIENT)]
)
def test_non_tls_purposes_are_not_applicable(purpose: Purpose) -> None:
    v = _leaf_only(LEAF, purpose)
    assert v.outcome == "n/a"
    assert [r.rule for r in v.reasons] == ["webpki.scope"]
    assert "TLS certificates only" in v.reasons[0].text


# --------------------------------------------------------------------------------------------
# tls_client: pyca ClientVerifier semantics + the BR subscriber profile
# --------------------------------------------------------------------------------------------

CLIENT_CASES: dict[str, tuple[tuple[str, ...] | None, str, list[str]]] = {
    "serverAuth + clientAuth": ((SA, CA), "warning", ["chrome.leaf_server_auth_only"]),
    "clientAuth only": ((CA,), "denied", ["eku.server_auth_missing"]),
    "serverAuth only": ((SA,), "denied", ["eku.purpose_missing"]),
    "no EKU": (None, "denied", ["eku.absent"]),
}


@pytest.mark.parametrize("eku,outcome,rules", CLIENT_CASES.values(), ids=CLIENT_CASES.keys())
def test_tls_client(eku: tuple[str, ...] | None, outcome: str, rules: list[str]) -> None:
    _assert(_leaf_only(LEAF.with_(eku=eku), Purpose.TLS_CLIENT), outcome, rules)


def test_tls_client_warning_names_the_phase_out() -> None:
    v = _leaf_only(LEAF.with_(eku=(SA, CA)), Purpose.TLS_CLIENT)
    text = next(r.text for r in v.reasons if r.rule == "chrome.leaf_server_auth_only")
    assert "2027-03-15" in text and "phased out" in text


# --------------------------------------------------------------------------------------------
# Chrome Root Program v1.8 §1.3.2 dates
# --------------------------------------------------------------------------------------------

DUAL = LEAF.with_(eku=(SA, CA))


def _chrome_reason(v: Verdict) -> str:
    return next(r.text for r in v.reasons if r.rule == "chrome.leaf_server_auth_only")


def test_chrome_dual_use_leaf_issued_now_is_a_warning_naming_the_upcoming_rule() -> None:
    leaf = DUAL.with_(not_before=dt.datetime(2026, 11, 1, tzinfo=UTC))
    v = _leaf_only(leaf, at=dt.datetime(2026, 12, 1, tzinfo=UTC))
    _assert(v, "warning", ["chrome.leaf_server_auth_only"])
    assert v.allowed
    text = _chrome_reason(v)
    assert "Compliant today, not after 2027-03-15" in text
    assert "104 days after the evaluation date (2026-12-01)" in text


def test_chrome_dual_use_leaf_issued_after_the_date_is_denied() -> None:
    leaf = DUAL.with_(not_before=dt.datetime(2027, 4, 1, tzinfo=UTC))
    v = _leaf_only(leaf, at=dt.datetime(2027, 4, 10, tzinfo=UTC))
    _assert(v, "denied", ["chrome.leaf_server_auth_only"])
    assert "Issued 2027-04-01, on or after 2027-03-15" in _chrome_reason(v)


def test_chrome_rule_is_about_issuance_not_the_evaluation_date() -> None:
    # Issued before 2027-03-15, judged after it: still compliant, and the reason says why.
    leaf = DUAL.with_(not_before=dt.datetime(2027, 3, 1, tzinfo=UTC))
    v = _leaf_only(leaf, at=dt.datetime(2027, 4, 10, tzinfo=UTC))
    _assert(v, "warning", ["chrome.leaf_server_auth_only"])
    assert "has applied since 2027-03-15, but this leaf was issued before it" in _chrome_reason(v)


def test_chrome_server_auth_only_leaf_after_the_date_is_allowed() -> None:
    leaf = LEAF.with_(not_before=dt.datetime(2027, 4, 1, tzinfo=UTC))
    _assert(_leaf_only(leaf, at=dt.datetime(2027, 4, 10, tzinfo=UTC)), "allowed")


@pytest.mark.parametrize(
    "ica_not_before,outcome",
    [
        (dt.datetime(2026, 1, 1, tzinfo=UTC), "warning"),
        (dt.datetime(2026, 7, 1, tzinfo=UTC), "denied"),
    ],
    ids=["sub-CA before 2026-06-15", "sub-CA after 2026-06-15"],
)
def test_chrome_sub_ca_dates_use_not_before_as_disclosure_proxy(
    ica_not_before: dt.datetime, outcome: str
) -> None:
    ica = ICA.with_(eku=(SA, CA), not_before=ica_not_before)
    leaf = DUAL.with_(not_before=dt.datetime(2026, 8, 1, tzinfo=UTC))
    v = _chained(leaf, ica, at=dt.datetime(2026, 9, 1, tzinfo=UTC))
    _assert(v, outcome, ["pyca.verified", "chrome.subca_eku"])
    text = next(r.text for r in v.reasons if r.rule == "chrome.subca_eku")
    assert "notBefore" in text and "CCADB" in text


# --------------------------------------------------------------------------------------------
# chain-aware: pyca/cryptography x509.verification + BR CA rules
# --------------------------------------------------------------------------------------------


def test_compliant_chain_is_allowed() -> None:
    v = _chained()
    _assert(v, "allowed", ["pyca.verified", "name.requested", "chrome.subca_eku"])
    assert "chain-aware" in v.reasons[0].text


def test_hostname_mismatch_is_pyca_name_mismatch() -> None:
    _assert(_chained(hostname="other.example"), "denied", ["pyca.name_mismatch"])


def test_no_hostname_uses_the_leafs_own_san_and_says_so() -> None:
    v = _chained(hostname=None)
    _assert(v, "allowed", ["name.not_requested", "pyca.verified"])
    text = next(r.text for r in v.reasons if r.rule == "name.not_requested")
    assert "not part of this verdict" in text and "example.com" in text


def test_no_hostname_with_a_wildcard_san() -> None:
    v = _chained(LEAF.with_(sans=("DNS:*.example.com",)), hostname=None)
    _assert(v, "allowed", ["name.not_requested", "pyca.verified"])


def test_missing_intermediate_is_no_path() -> None:
    chain = forge_chain(ROOT, ICA, LEAF)
    v = verdict(
        chain.leaf.certificate, Purpose.TLS_SERVER, "webpki", roots=chain.roots, at=AT, strict=True
    )
    _assert(v, "denied", ["pyca.no_path"])


def test_tls_client_chain() -> None:
    dual_ica = ICA.with_(eku=(SA, CA))
    _assert(_chained(DUAL, dual_ica, purpose=Purpose.TLS_CLIENT), "warning", ["pyca.verified"])
    # A serverAuth-only sub-CA constrains the path: pyca's ClientVerifier refuses it.
    _assert(_chained(DUAL, ICA, purpose=Purpose.TLS_CLIENT), "denied", ["pyca.ca_eku_missing"])


def test_root_and_sub_ca_br_rules() -> None:
    # ROOT is issued 2020, before BR 2.0's "no EKU in a root" (2023-09-15): a warning.
    _assert(_chained(root=ROOT.with_(eku=(SA,))), "warning", ["pyca.verified", "root.eku_present"])
    new_root = ROOT.with_(eku=(SA,), not_before=dt.datetime(2024, 1, 1, tzinfo=UTC))
    _assert(_chained(root=new_root), "denied", ["pyca.verified", "root.eku_present"])
    _assert(_chained(ica=ICA.with_(eku=None)), "denied", ["pyca.verified", "subca.eku_absent"])
    _assert(_chained(ica=ICA.with_(eku=(SA, ANY))), "denied", ["subca.eku_forbidden"])
    _assert(
        _chained(ica=ICA.with_(key_usage=CA_KU | {"key_encipherment"})),
        "denied",
        ["subca.ku_extra"],
    )
    _assert(_chained(ica=ICA.with_(key_usage=CA_KU | {"digital_signature"})), "allowed")


def test_evaluate_ca_alone() -> None:
    ctx = Context(at=AT)
    root = forge(ROOT).certificate
    assert evaluate_ca(root, Purpose.TLS_SERVER, ctx).outcome == "allowed"
    bad_root = forge(ROOT.with_(eku=(SA,), ku_critical=False)).certificate
    v = evaluate_ca(bad_root, Purpose.TLS_SERVER, ctx)
    assert v.outcome == "denied"
    assert {"root.eku_present", "root.ku"} <= set(_rules(v))


# --------------------------------------------------------------------------------------------
# docs/semantics.md §9, pyca ServerVerifier column: every [emp] cell, reproduced chain-aware
# --------------------------------------------------------------------------------------------

#: case -> (leaf changes, ICA changes, root changes, pyca accepts?). Every one of these is a BR
#: violation (the table's last column), so the webpki verdict is "denied" for all of them; what
#: differs is whether pyca's verifier (the ``pyca.verified`` reason) accepted the path.
PYCA_CELLS: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any], bool]] = {
    "leaf no EKU": ({"eku": None}, {}, {}, True),
    "leaf EKU clientAuth only": ({"eku": (CA,)}, {}, {}, False),
    "leaf EKU anyEKU only": ({"eku": (ANY,)}, {}, {}, False),
    "leaf serverAuth + anyEKU": ({"eku": (SA, ANY)}, {}, {}, True),
    "leaf serverAuth, EKU critical": ({"eku_critical": True}, {}, {}, False),
    "leaf empty EKU": ({"eku": ()}, {}, {}, False),
    "ICA EKU clientAuth only": ({}, {"eku": (CA,)}, {}, False),
    "ICA EKU anyEKU only": ({}, {"eku": (ANY,)}, {}, True),
    "ICA serverAuth critical": ({}, {"eku_critical": True}, {}, False),
    "root EKU clientAuth": ({}, {}, {"eku": (CA,)}, False),
    "ICA KU without keyCertSign": ({}, {"key_usage": frozenset({"crl_sign"})}, {}, False),
    "ICA without KU": ({}, {"key_usage": None}, {}, False),
    "root without KU": ({}, {}, {"key_usage": None}, False),
    "ICA without BC": ({}, {"ca": None, "path_length": None}, {}, False),
    "leaf KU keyEncipherment only": ({"key_usage": frozenset({"key_encipherment"})}, {}, {}, True),
    "leaf KU dataEncipherment only": (
        {"key_usage": frozenset({"data_encipherment"})},
        {},
        {},
        True,
    ),
    "leaf KU keyCertSign, CA:FALSE": ({"key_usage": DS | {"key_cert_sign"}}, {}, {}, False),
    "leaf is CA": ({"ca": True}, {}, {}, False),
}


@pytest.mark.parametrize("leaf,ica,root,pyca_accepts", PYCA_CELLS.values(), ids=PYCA_CELLS.keys())
def test_semantics_pyca_cells(
    leaf: dict[str, Any], ica: dict[str, Any], root: dict[str, Any], pyca_accepts: bool
) -> None:
    v = _chained(LEAF.with_(**leaf), ICA.with_(**ica), ROOT.with_(**root))
    pyca = [r for r in v.reasons if r.rule.startswith("pyca.")]
    assert len(pyca) == 1, _explain(v)
    assert (pyca[0].rule == "pyca.verified") is pyca_accepts, _explain(v)
    assert pyca[0].rule != "pyca.rejected", "pyca's message was not translated: " + _explain(v)
    assert v.outcome in ("denied", "invalid"), _explain(v)


# --------------------------------------------------------------------------------------------
# BR rules are dated by the judged certificate's issuance (notBefore)
# --------------------------------------------------------------------------------------------

OLD = dt.datetime(2013, 8, 1, 12, tzinfo=UTC)  # DigiCert Global CA G2 (amazon.com's sub-CA)


def _reason(v: Verdict, rule: str) -> str:
    return next(r.text for r in v.reasons if r.rule == rule)


def test_old_sub_ca_without_eku_is_a_warning_not_a_denial() -> None:
    """amazon.com: a 2013 sub-CA without EKU is not judged by the 2023 sub-CA profile."""
    v = _chained(ica=ICA.with_(eku=None, not_before=OLD, validity_days=5500))
    _assert(v, "warning", ["pyca.verified", "subca.eku_absent"])
    text = _reason(v, "subca.eku_absent")
    assert "2013-08-01" in text and "2023-09-15" in text and "today's rules" in text


def test_new_sub_ca_without_eku_is_denied() -> None:
    v = _chained(ica=ICA.with_(eku=None, not_before=dt.datetime(2023, 9, 15, tzinfo=UTC)))
    _assert(v, "denied", ["pyca.verified", "subca.eku_absent"])
    assert "In force for certificates issued from 2023-09-15" in _reason(v, "subca.eku_absent")


@pytest.mark.parametrize(
    ("changes", "rule", "effective"),
    [
        ({"ku_critical": False}, "ku.not_critical", "2023-09-15"),
        ({"bc_critical": False}, "bc.not_critical", "2023-09-15"),
        ({"eku": (SA, EKU.CODE_SIGNING.oid)}, "eku.forbidden", "2023-09-15"),
        ({"sans": ("DNS:example.com", "email:a@example.com")}, "san.types", "2023-09-15"),
        ({"eku": None}, "eku.absent", "2012-07-01"),
    ],
)
def test_compliance_rules_depend_on_issuance(
    changes: dict[str, Any], rule: str, effective: str
) -> None:
    day = dt.date.fromisoformat(effective)
    before = dt.datetime(day.year, day.month, day.day, tzinfo=UTC) - dt.timedelta(days=1)
    at = before + dt.timedelta(days=30)
    old = _leaf_only(LEAF.with_(not_before=before, **changes), at=at)
    _assert(old, "warning", [rule])
    assert effective in _reason(old, rule)
    new = _leaf_only(LEAF.with_(not_before=before + dt.timedelta(days=1), **changes), at=at)
    _assert(new, "denied", [rule])


def test_rules_pyca_enforces_deny_whatever_the_issuance_date() -> None:
    old = LEAF.with_(not_before=OLD, validity_days=5500)
    _assert(_leaf_only(old.with_(eku_critical=True)), "denied", ["eku.critical"])
    _assert(_leaf_only(old.with_(ca=True)), "denied", ["bc.ca"])
    # A CA keyUsage without keyCertSign: pyca refuses it, so the BR 1.0 date does not soften it.
    v = evaluate_ca(
        forge(
            ICA.with_(key_usage=frozenset({"crl_sign"}), not_before=OLD, validity_days=5500)
        ).certificate,
        Purpose.TLS_SERVER,
        Context(at=AT),
        root=False,
    )
    assert v.outcome == "denied" and "subca.ku" in _rules(v), _explain(v)


def test_rule_dates_table() -> None:
    from certlib.profiles.webpki import BR_PROFILES_EFFECTIVE, RULE_DATES

    assert len(RULE_DATES) == 18
    assert RULE_DATES["subca.eku_absent"].effective == BR_PROFILES_EFFECTIVE
    for code, date in RULE_DATES.items():
        assert date.rule.startswith("BR"), code
        assert date.effective.tzinfo is not None, code


# --------------------------------------------------------------------------------------------
# one pass per certificate: judge() reads the leaf once, memoises CA rules in the run's memo
# --------------------------------------------------------------------------------------------

DUAL = LEAF.with_(eku=(SA, CA))
DUAL_ICA = ICA.with_(eku=(SA, CA))
#: Leaves whose purposes differ (EKU, Chrome date) and whose shared rules fire.
JUDGE_LEAVES: dict[str, CertSpec] = {
    "compliant": LEAF,
    "dual use": DUAL,
    "client only": LEAF.with_(eku=(CA,)),
    "no eku": LEAF.with_(eku=None),
    "ca as leaf": LEAF.with_(ca=True, key_usage=CA_KU),
    "no san": LEAF.with_(sans=()),
    "issued 2028": DUAL.with_(not_before=dt.datetime(2028, 1, 1, tzinfo=UTC)),
}


def _contexts(chain: Any) -> dict[str, Context]:
    """Fresh contexts (each with its own memo): leaf-only, with a name, chain-aware."""
    return {
        "leaf-only": Context(at=AT),
        "leaf-only, hostname": Context(at=AT, hostname="other.example"),
        "chain-aware": Context(chain.intermediate_certificates, chain.roots, AT, "example.com"),
        "chain-aware, no name": Context(chain.intermediate_certificates, chain.roots, AT),
    }


def test_judge_gives_every_purpose_the_verdict_it_gets_alone() -> None:
    """Sharing the leaf's findings between purposes must not leak one purpose into another."""
    from certlib.profiles.webpki import evaluate, judge

    cases = 0
    for name, spec in JUDGE_LEAVES.items():
        chain = forge_chain(ROOT, DUAL_ICA, spec, seed=name)
        cert = chain.leaf.certificate
        for mode, ctx in _contexts(chain).items():
            together = judge(cert, ctx, tuple(Purpose))
            assert list(together) == list(Purpose)
            for p in Purpose:
                alone = evaluate(cert, p, _contexts(chain)[mode])
                assert together[p] == alone, f"{name} / {mode} / {p}:\n{_explain(together[p])}"
                cases += 1
    assert cases == len(JUDGE_LEAVES) * 4 * len(Purpose)


def test_judge_reads_the_leaf_and_builds_the_pyca_policy_once(monkeypatch) -> None:
    import certlib.profiles.webpki as webpki

    calls = {"leaf_rules": 0, "path_policy": 0}

    def counting(name: str) -> Any:
        real = getattr(webpki, name)

        def wrapper(*args: Any, **kw: Any) -> Any:
            calls[name] += 1
            return real(*args, **kw)

        return wrapper

    for name in calls:
        monkeypatch.setattr(webpki, name, counting(name))
    chain = forge_chain(ROOT, DUAL_ICA, DUAL)
    ctx = _contexts(chain)["chain-aware"]
    got = webpki.judge(chain.leaf.certificate, ctx, tuple(Purpose))
    assert calls == {"leaf_rules": 1, "path_policy": 1}
    assert got[Purpose.TLS_SERVER].outcome == got[Purpose.TLS_CLIENT].outcome == "warning"
    assert "pyca.verified" in _rules(got[Purpose.TLS_CLIENT])
    # Purposes outside the Web PKI do not read the certificate at all.
    others = tuple(p for p in Purpose if p not in (Purpose.TLS_SERVER, Purpose.TLS_CLIENT))
    got = webpki.judge(chain.leaf.certificate, ctx, others)
    assert calls == {"leaf_rules": 1, "path_policy": 1}
    assert [v.outcome for v in got.values()] == ["n/a"] * 4


def test_ca_rules_are_memoised_in_the_run_memo_only(monkeypatch) -> None:
    from certlib.core.memo import Memo
    from certlib.profiles.webpki import ca, judge

    calls: list[x509.Certificate] = []
    real = ca.ca_rules

    def counting(cert: x509.Certificate, *, root: bool, **kw: Any) -> Any:
        calls.append(cert)
        return real(cert, root=root, **kw)

    chain = forge_chain(ROOT, DUAL_ICA, DUAL)
    other = forge(DUAL.with_(common_name="other.example"), chain.intermediates[0]).certificate
    tls = (Purpose.TLS_SERVER, Purpose.TLS_CLIENT)
    fresh = {
        c: judge(c, _contexts(chain)["chain-aware, no name"], tls)
        for c in (chain.leaf.certificate, other)
    }
    monkeypatch.setattr(ca, "ca_rules", counting)
    run = Memo()
    inter, roots = chain.intermediate_certificates, chain.roots
    for c in (chain.leaf.certificate, other):
        got = judge(c, Context(inter, roots, AT, memo=run), tls)
        assert got == fresh[c]
        assert all("pyca.verified" in _rules(v) for v in got.values())
    # Two leaves x two verified paths x (ICA, root): the ICA and the root are judged once each.
    assert calls == [chain.intermediates[0].certificate, chain.root.certificate]
    assert len(run.table("webpki.ca_rules")) == 2  # (the run also keeps facts, links, paths)
    # A context with its own memo shares nothing with that run.
    judge(chain.leaf.certificate, Context(inter, roots, AT), tls)
    assert len(calls) == 4


def test_judging_leaves_no_state_in_the_profile_modules() -> None:
    """No module-level cache: judging changes no module dict, list or set, and nothing is an
    ``lru_cache``."""
    import importlib
    import pkgutil

    import certlib.profiles.webpki as webpki

    modules = [webpki] + [
        importlib.import_module(f"{webpki.__name__}.{m.name}")
        for m in pkgutil.iter_modules(webpki.__path__)
    ]
    assert len(modules) == 12

    def state() -> dict[str, Any]:
        out: dict[str, Any] = {}
        for mod in modules:
            for name, value in vars(mod).items():
                assert not hasattr(value, "cache_info"), f"{mod.__name__}.{name} is a cache"
                if isinstance(value, dict | list | set):
                    out[f"{mod.__name__}.{name}"] = repr(value)
        return out

    before = state()
    assert len(before) >= 8  # RULE_DATES, the KU tables, the pyca texts, __all__ ...
    for name, spec in JUDGE_LEAVES.items():
        chain = forge_chain(ROOT, DUAL_ICA, spec, seed=name)
        for ctx in _contexts(chain).values():
            webpki.judge(chain.leaf.certificate, ctx, tuple(Purpose))
    assert state() == before
