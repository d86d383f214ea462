"""The rfc5280, go and windows profiles and the certlib.profiles dispatcher, on real certificates.

Every certificate is forged and signed (certlib.cert.forge) or comes from x509-limbo; nothing is
mocked. External references: RFC 5280 text, docs/semantics.md §9 (Go and Windows columns), and the
recorded Go 1.19.8 x509-limbo run (``x509-limbo-results-eku-ku.json``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import LIMBO
from cryptography import x509

from certlib.cert.facts import facts
from certlib.cert.forge import CertSpec, forge, forge_chain
from certlib.core.oids import EKU, EXT
from certlib.profiles import (
    OUTCOMES,
    PROFILES,
    REGISTRY,
    Purpose,
    iis_binding_candidate,
    intended_purposes,
    verdict,
    verdict_grid,
    verdicts,
)

MINE = ("rfc5280", "go", "windows")
DS = frozenset({"digital_signature"})
CA_KU = frozenset({"key_cert_sign", "crl_sign"})
ROOT = CertSpec(common_name="Profiles Root", ca=True, key_usage=CA_KU, validity_days=3650)
ICA = CertSpec(common_name="Profiles ICA", ca=True, key_usage=CA_KU, validity_days=1000)
LEAF = CertSpec(
    common_name="www.example.test",
    sans=("DNS:www.example.test",),
    eku=(EKU.SERVER_AUTH.oid,),
    key_usage=DS,
    ca=False,
)
SA, CA_, ANY = EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid, EKU.ANY.oid
UNKNOWN_OID = "1.3.6.1.4.1.55555.1.1"


def leaf(**kw: Any) -> x509.Certificate:
    return forge(LEAF.with_(**kw)).certificate


def v(cert: x509.Certificate, purpose: str, profile: str, **kw: Any):
    return verdict(cert, purpose, profile, strict=True, **kw)


def rules(verd) -> list[str]:
    return [r.rule for r in verd.reasons]


def chain_kw(*specs: CertSpec) -> tuple[x509.Certificate, dict[str, Any]]:
    ch = forge_chain(*specs)
    return ch.leaf.certificate, {
        "roots": ch.roots,
        "intermediates": ch.intermediate_certificates,
    }


# =============================================================================================
# RFC 5280
# =============================================================================================


def test_rfc5280_eku_absent_is_unrestricted_and_says_so() -> None:
    cert = leaf(eku=None, key_usage=None)
    for p in Purpose:
        out = v(cert, p, "rfc5280")
        assert out.outcome == "allowed"
        assert "eku.absent" in rules(out) and "ku.absent" in rules(out)
        assert any("no Extended Key Usage extension" in r.text for r in out.reasons)


def test_rfc5280_eku_listed_and_missing() -> None:
    cert = leaf()
    assert v(cert, "tls_server", "rfc5280").outcome == "allowed"
    out = v(cert, "tls_client", "rfc5280")
    assert out.outcome == "denied" and out.reasons[-1].rule == "eku.purpose_missing"
    assert out.reasons[-1].source == "RFC 5280 §4.2.1.12"


def test_rfc5280_empty_eku_is_invalid() -> None:
    out = v(leaf(eku=()), "tls_server", "rfc5280")
    assert out.outcome == "invalid" and out.reasons[-1].rule == "eku.empty"
    assert "SIZE (1..MAX)" in out.reasons[-1].text


def test_rfc5280_any_eku_switch() -> None:
    only_any = leaf(eku=(ANY,))
    out = v(only_any, "code_signing", "rfc5280")
    assert out.outcome == "allowed" and "eku.any" in rules(out)
    off = v(only_any, "code_signing", "rfc5280", rfc5280_any_eku=False)
    assert off.outcome == "denied" and off.reasons[-1].rule == "eku.any_rejected"
    assert "MAY reject" in off.reasons[-1].text
    # With the specific purpose listed, the switch does not matter.
    both = leaf(eku=(SA, ANY))
    assert v(both, "tls_server", "rfc5280", rfc5280_any_eku=False).outcome == "allowed"


#: RFC 5280 §4.2.1.12 "Key usage bits that may be consistent", written out independently of
#: certlib.core.oids so the catalogue is checked too.
RFC_CONSISTENT = {
    Purpose.TLS_SERVER: {"digital_signature", "key_encipherment", "key_agreement"},
    Purpose.TLS_CLIENT: {"digital_signature", "key_agreement"},
    Purpose.CODE_SIGNING: {"digital_signature"},
    Purpose.EMAIL_PROTECTION: {
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "key_agreement",
    },
    Purpose.TIME_STAMPING: {"digital_signature", "content_commitment"},
    Purpose.OCSP_SIGNING: {"digital_signature", "content_commitment"},
}
KU_NAMES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


@pytest.mark.parametrize("purpose", list(Purpose), ids=lambda p: p.value)
@pytest.mark.parametrize("bit", KU_NAMES)
def test_rfc5280_ku_eku_consistency_table(purpose: Purpose, bit: str) -> None:
    # keyCertSign needs cA TRUE to be a valid certificate at all.
    cert = leaf(eku=(purpose.eku.oid,), key_usage=frozenset({bit}), ca=bit == "key_cert_sign")
    out = v(cert, purpose, "rfc5280")
    expected = "allowed" if bit in RFC_CONSISTENT[purpose] else "denied"
    assert out.outcome == expected, out.reasons
    if expected == "denied":
        assert out.reasons[-1].rule == "ku.inconsistent"


def test_rfc5280_ku_without_eku_and_literal_option() -> None:
    cert = leaf(eku=None, key_usage=frozenset({"key_encipherment"}))
    assert v(cert, "code_signing", "rfc5280").outcome == "denied"
    literal = v(cert, "code_signing", "rfc5280", rfc5280_literal_ku=True)
    assert literal.outcome == "allowed" and "ku.not_compared" in rules(literal)


def test_rfc5280_empty_ku_and_keycertsign_without_ca_are_invalid() -> None:
    out = v(leaf(key_usage=frozenset()), "tls_server", "rfc5280")
    assert out.outcome == "invalid" and "ku.empty" in rules(out)
    for ca in (None, False):  # BC absent, or cA FALSE
        cert = leaf(key_usage=frozenset({"digital_signature", "key_cert_sign"}), ca=ca)
        out = v(cert, "tls_server", "rfc5280")
        assert out.outcome == "invalid" and out.reasons[-1].rule == "ku.keycertsign_without_ca"
    # pathLenConstraint without cA.
    out = v(leaf(ca=False, path_length=0), "tls_server", "rfc5280")
    assert out.outcome == "invalid" and "bc.pathlen_without_ca" in rules(out)


def test_rfc5280_unknown_critical_extension_is_rejected() -> None:
    crit = leaf(extra_extensions=((UNKNOWN_OID, True, b"\x05\x00"),))
    out = v(crit, "tls_server", "rfc5280")
    assert out.outcome == "denied" and out.reasons[-1].rule == "ext.unknown_critical"
    non_crit = leaf(extra_extensions=((UNKNOWN_OID, False, b"\x05\x00"),))
    assert v(non_crit, "tls_server", "rfc5280").outcome == "allowed"


#: A certificate template extension (SEQUENCE { OID 1.2.3.4, INTEGER 100, INTEGER 0 }).
TEMPLATE = (EXT.MS_CERTIFICATE_TEMPLATE.oid, True, bytes.fromhex("300b06032a0304020164020100"))


def test_windows_unsupported_critical_extension_is_rejected() -> None:
    """CERT_TRUST_HAS_NOT_SUPPORTED_CRITICAL_EXT: on the leaf and on a CA of the path."""
    for oid in (UNKNOWN_OID, EXT.CT_PRECERT_POISON.oid):
        out = v(leaf(extra_extensions=((oid, True, b"\x05\x00"),)), "tls_server", "windows")
        assert out.outcome == "denied" and out.reasons[-1].rule == "ext.unknown_critical"
        assert oid in out.reasons[-1].text and "CERT_E_CRITICAL" in out.reasons[-1].text
    non_crit = leaf(extra_extensions=((UNKNOWN_OID, False, b"\x05\x00"),))
    assert v(non_crit, "tls_server", "windows").outcome == "allowed"
    # Microsoft's own extensions, RFC 5280's and the draft arcs wincrypt.h still decodes
    # (here the old basicConstraints, 2.5.29.10) are supported, critical or not.
    assert v(leaf(extra_extensions=(TEMPLATE,)), "tls_server", "windows").outcome == "allowed"
    old_bc = (EXT.LEGACY_BASIC_CONSTRAINTS.oid, True, b"\x30\x00")
    assert v(leaf(extra_extensions=(old_bc,)), "tls_server", "windows").outcome == "allowed"
    assert v(leaf(extra_extensions=(old_bc,)), "tls_server", "go").outcome == "denied"
    assert v(leaf(eku_critical=True), "tls_server", "windows").outcome == "allowed"
    # A CA on the path with an unsupported critical extension breaks the chain.
    ica = ICA.with_(extra_extensions=((UNKNOWN_OID, True, b"\x05\x00"),))
    cert, kw = chain_kw(ROOT, ica, LEAF)
    out = v(cert, "tls_server", "windows", **kw)
    assert out.outcome == "denied" and "ext.unknown_critical" in rules(out), out.reasons
    cert, kw = chain_kw(ROOT, ICA.with_(extra_extensions=(TEMPLATE,)), LEAF)
    assert v(cert, "tls_server", "windows", **kw).outcome == "allowed"


def test_rfc5280_chain_valid_and_says_eku_in_cas_is_not_processed() -> None:
    cert, kw = chain_kw(ROOT, ICA.with_(eku=(CA_,)), LEAF)
    out = v(cert, "tls_server", "rfc5280", **kw)
    assert out.outcome == "allowed"
    assert "path.valid" in rules(out)
    note = next(r for r in out.reasons if r.rule == "path.eku_not_processed")
    assert "does not process EKU in CA certificates" in note.text and "clientAuth" in note.text
    # Go and Windows nest that EKU: the same chain is denied there.
    assert v(cert, "tls_server", "go", **kw).outcome == "denied"
    assert v(cert, "tls_server", "windows", **kw).outcome == "denied"


@pytest.mark.parametrize(
    ("ica", "rule"),
    [
        (ICA.with_(ca=False), "ca.not_ca"),
        (ICA.with_(ca=None), "ca.not_ca"),
        (ICA.with_(key_usage=frozenset({"crl_sign"})), "ca.no_keycertsign"),
        (ICA.with_(bc_critical=False), "ca.bc_not_critical"),
        (ICA.with_(extra_extensions=((UNKNOWN_OID, True, b"\x05\x00"),)), "ca.unknown_critical"),
    ],
    ids=["ca-false", "no-bc", "no-keycertsign", "bc-noncritical", "unknown-critical"],
)
def test_rfc5280_intermediate_must_be_a_ca(ica: CertSpec, rule: str) -> None:
    cert, kw = chain_kw(ROOT, ica, LEAF)
    out = v(cert, "tls_server", "rfc5280", **kw)
    assert out.outcome == "denied" and rule in rules(out), out.reasons


def test_rfc5280_path_length_and_self_issued() -> None:
    i0 = CertSpec(common_name="ICA pathlen 0", ca=True, key_usage=CA_KU, path_length=0)
    i1 = CertSpec(common_name="ICA below", ca=True, key_usage=CA_KU)
    cert, kw = chain_kw(ROOT, i0, i1, LEAF)
    out = v(cert, "tls_server", "rfc5280", **kw)
    assert out.outcome == "denied" and out.reasons[-1].rule == "ca.path_length"
    # A CA certificate as the *leaf* below pathlen 0 is fine (the leaf is not counted).
    cert, kw = chain_kw(ROOT, i0, i1.with_(sans=("DNS:www.example.test",)))
    assert v(cert, "tls_server", "rfc5280", rfc5280_literal_ku=True, **kw).outcome == "allowed"
    # A self-issued intermediate (same name, new key) is not counted (§6.1.4(l)).
    top = CertSpec(common_name="Rollover CA", ca=True, key_usage=CA_KU, path_length=0)
    rolled = top.with_(key_label="new key")
    ch = forge_chain(ROOT, top, rolled, LEAF)
    assert facts(ch.intermediates[1].certificate).self_issued
    kw = {"roots": ch.roots, "intermediates": ch.intermediate_certificates}
    assert v(ch.leaf.certificate, "tls_server", "rfc5280", **kw).outcome == "allowed"
    # ... while Go counts it (x509-limbo pathlen::self-issued-certs-pathlen, Go 1.19.8).
    out = v(ch.leaf.certificate, "tls_server", "go", **kw)
    assert out.outcome == "denied" and "go.path_length" in rules(out)


def test_rfc5280_trust_anchor_checks_and_switch() -> None:
    for root, rule in (
        (ROOT.with_(bc_critical=False), "anchor.bc_not_critical"),
        (ROOT.with_(ca=None), "anchor.not_ca"),
        (ROOT.with_(key_usage=frozenset({"crl_sign"})), "anchor.no_keycertsign"),
    ):
        cert, kw = chain_kw(root, LEAF)
        out = v(cert, "tls_server", "rfc5280", **kw)
        assert out.outcome == "denied" and rule in rules(out), out.reasons
        off = v(cert, "tls_server", "rfc5280", rfc5280_anchor_checks=False, **kw)
        assert off.outcome == "allowed" and "anchor.input_only" in rules(off)
    v1_root = CertSpec(common_name="Old v1 Root", version=1)
    cert, kw = chain_kw(v1_root, LEAF)
    assert v(cert, "tls_server", "rfc5280", **kw).outcome == "allowed"


def test_rfc5280_chain_problems_are_reasons() -> None:
    ch = forge_chain(ROOT, ICA, LEAF)
    out = v(ch.leaf.certificate, "tls_server", "rfc5280", roots=ch.roots)  # ICA missing
    assert out.outcome == "denied" and "path.no_issuer" in rules(out)
    late = ch.leaf.certificate.not_valid_after_utc + dt.timedelta(days=2)
    kw = {"roots": ch.roots, "intermediates": ch.intermediate_certificates}
    out = v(ch.leaf.certificate, "tls_server", "rfc5280", at=late, **kw)
    assert out.outcome == "denied" and out.reasons[-1].rule == "path.expired"


@pytest.mark.parametrize(
    ("sans", "host", "ok"),
    [
        (("DNS:www.example.test",), "www.example.test", True),
        (("DNS:www.example.test",), "WWW.Example.TEST.", True),
        (("DNS:*.example.test",), "a.example.test", True),
        (("DNS:*.example.test",), "a.b.example.test", False),
        (("DNS:*.example.test",), "example.test", False),
        (("DNS:f*.example.test",), "foo.example.test", False),
        (("DNS:*.test",), "example.test", False),
        (("IP:192.0.2.7",), "192.0.2.7", True),
        (("DNS:192.0.2.7",), "192.0.2.7", False),
        (("IP:2001:db8::1",), "[2001:db8::1]", True),
        ((), "www.example.test", False),
    ],
)
def test_hostname_matching(sans: tuple[str, ...], host: str, ok: bool) -> None:
    cert = leaf(sans=sans)
    for profile in MINE:
        # Go's matchHostnames and RFC 9525 §6.3 set no minimum label count after the
        # wildcard (go.py, rfc5280.match_hostname_rfc)
        want = True if profile in ("go", "rfc5280") and sans == ("DNS:*.test",) else ok
        # Windows compares the subject CN (LEAF's is www.example.test) when no SAN dNSName
        want = True if profile == "windows" and sans == () else want
        out = v(cert, "tls_server", profile, hostname=host)
        assert out.allowed is want, (profile, out.reasons)
        assert ("name.match" if want else "name.mismatch") in rules(out)
    # Host names concern the TLS server purpose only.
    assert "name.mismatch" not in rules(v(cert, "tls_client", "rfc5280", hostname="x.invalid"))


# =============================================================================================
# Go
# =============================================================================================


def test_go_ignores_key_usage_and_says_so() -> None:
    cert = leaf(key_usage=frozenset({"data_encipherment"}))
    out = v(cert, "tls_server", "go")
    assert out.outcome == "allowed"
    ku = next(r for r in out.reasons if r.rule == "ku.ignored")
    assert "KeyUsage status flags are ignored" in ku.text
    assert v(cert, "tls_server", "rfc5280").outcome == "denied"


def test_go_eku_rules() -> None:
    assert v(leaf(eku=(ANY,)), "code_signing", "go").outcome == "allowed"
    out = v(leaf(eku=()), "tls_server", "go")
    assert out.outcome == "allowed" and "[unverified]" in out.reasons[-1].text
    for sgc in EKU.SGC:
        out = v(leaf(eku=(sgc.oid,)), "tls_server", "go")
        assert out.outcome == "denied" and "Server Gated Crypto" in out.reasons[-1].text
    out = v(leaf(eku=(UNKNOWN_OID,)), "tls_server", "go")
    assert out.outcome == "denied" and out.reasons[-1].rule == "eku.purpose_missing"
    for purpose in Purpose:
        assert v(leaf(eku=(purpose.eku.oid,)), purpose, "go").outcome == "allowed"


def test_go_unhandled_critical_and_parse_errors() -> None:
    out = v(leaf(extra_extensions=((UNKNOWN_OID, True, b"\x05\x00"),)), "tls_server", "go")
    assert out.outcome == "denied" and out.reasons[-1].rule == "go.unhandled_critical"
    # nsCertType is not handled by Go either (forge writes it non-critical: fine).
    assert v(leaf(ns_cert_type=frozenset({"ssl_server"})), "tls_server", "go").allowed
    # A critical EKU is handled: criticality does not matter.
    assert v(leaf(eku_critical=True), "tls_server", "go").outcome == "allowed"
    # ParseCertificate refuses a critical SKI ("incorrectly marked critical").
    crit_ski = leaf(
        subject_key_identifier=False,
        extra_extensions=((EXT.SUBJECT_KEY_IDENTIFIER.oid, True, b"\x04\x01\x01"),),
    )
    out = v(crit_ski, "tls_server", "go")
    assert out.outcome == "invalid" and out.reasons[-1].rule == "go.parse_error"
    assert "incorrectly marked critical" in out.reasons[-1].text
    assert v(crit_ski, "tls_server", "rfc5280").outcome == "allowed"


def test_go_issuer_rules_come_from_check_signature_from() -> None:
    # Roots need nothing from isValid, but CheckSignatureFrom wants a v3 issuer to be a CA.
    cert, kw = chain_kw(ROOT.with_(ca=None), LEAF)
    out = v(cert, "tls_server", "go", **kw)
    assert out.outcome == "denied" and "go.issuer_not_ca" in rules(out)
    cert, kw = chain_kw(CertSpec(common_name="v1 Root", version=1), LEAF)
    assert v(cert, "tls_server", "go", **kw).outcome == "allowed"
    # A root with a KU of no bits: KeyUsage == 0, so no keyCertSign check (limbo
    # rfc5280::root-inconsistent-ca-extensions: Go 1.19.8 SUCCESS).
    cert, kw = chain_kw(ROOT.with_(key_usage=frozenset()), LEAF)
    assert v(cert, "tls_server", "go", **kw).outcome == "allowed"


# =============================================================================================
# Windows
# =============================================================================================


def test_windows_usages() -> None:
    for p in Purpose:
        out = v(leaf(eku=None), p, "windows")
        assert out.outcome == "allowed" and "eku.absent" in rules(out)
        assert v(leaf(eku=()), p, "windows").outcome == "denied"
    out = v(leaf(eku=(ANY,)), "code_signing", "windows")
    assert out.outcome == "allowed" and "[unverified]" in out.reasons[-1].text
    ku = v(leaf(key_usage=frozenset({"data_encipherment"})), "tls_server", "windows")
    assert ku.outcome == "allowed" and "ku.not_checked" in rules(ku)


def test_windows_application_policies_override_eku() -> None:
    cert = leaf(eku=(SA,), ms_application_policies=(CA_,))
    server = v(cert, "tls_server", "windows")
    assert server.outcome == "denied"
    assert (
        "Application Policies" in server.reasons[-1].text and "ignored" in server.reasons[-1].text
    )
    assert v(cert, "tls_client", "windows").outcome == "allowed"
    # Application policies alone (no EKU) restrict too; an empty list means no uses.
    assert v(leaf(eku=None, ms_application_policies=(CA_,)), "tls_server", "windows").outcome == (
        "denied"
    )
    assert v(leaf(eku=None, ms_application_policies=()), "tls_client", "windows").outcome == (
        "denied"
    )
    assert intended_purposes(cert) == ["Proves your identity to a remote computer"]


def test_windows_chain_is_and_matched() -> None:
    cert, kw = chain_kw(ROOT, ICA.with_(eku=(CA_,)), LEAF)
    out = v(cert, "tls_server", "windows", **kw)
    assert out.outcome == "denied" and "USAGE_MATCH_TYPE_AND" in out.reasons[-1].source
    cert, kw = chain_kw(ROOT.with_(eku=(SA,)), ICA, LEAF)  # root restricts, ICA passes all
    assert v(cert, "tls_server", "windows", **kw).outcome == "allowed"
    assert v(cert, "tls_client", "windows", **kw).outcome == "denied"


IIS_TABLE = [
    (True, None, "allowed"),
    (True, (SA,), "allowed"),
    (True, (SA, CA_), "allowed"),
    (True, (CA_,), "denied"),
    (True, (), "denied"),
    (True, (ANY,), "denied"),
    (False, None, "denied"),
    (False, (SA,), "denied"),
    (False, (CA_,), "denied"),
]


@pytest.mark.parametrize(("has_key", "eku", "expected"), IIS_TABLE)
def test_iis_binding_heuristic_truth_table(has_key: bool, eku, expected: str) -> None:
    out = iis_binding_candidate(leaf(eku=eku), has_private_key=has_key)
    assert (out.purpose, out.profile, out.outcome) == (Purpose.TLS_SERVER, "windows", expected)
    assert all(r.source == "heuristic, unverified (docs/semantics.md §3.3)" for r in out.reasons)
    text = " ".join(r.text for r in out.reasons)
    assert "LocalMachine\\My" in text and "WebHosting" in text
    assert all(r.text.startswith("heuristic, unverified") for r in out.reasons)


def test_intended_purposes() -> None:
    assert intended_purposes(leaf(eku=None)) == ["All application policies"]
    assert intended_purposes(leaf(eku=())) == []
    assert intended_purposes(leaf(eku=(EKU.CODE_SIGNING.oid, EKU.MS_SMART_CARD_LOGON.oid))) == [
        "Ensures software came from software publisher",
        "Protects software from alteration after publication",
        "Smart Card Logon",
    ]
    assert intended_purposes(leaf(eku=(UNKNOWN_OID,))) == [UNKNOWN_OID]


# =============================================================================================
# docs/semantics.md §9, Go and Windows columns (rows marked ✓/✗, not unverified / depends)
# =============================================================================================

_LEAF9 = LEAF
_ICA9 = ICA
_ROOT9 = ROOT


def _case9(name: str) -> tuple[tuple[CertSpec, ...], CertSpec]:
    """(CA specs root first, leaf spec) for one §9 row."""
    leaf9 = _LEAF9
    ica, root = _ICA9, _ROOT9
    match name:
        case "leaf, no EKU":
            leaf9 = leaf9.with_(eku=None)
        case "leaf EKU clientAuth only":
            leaf9 = leaf9.with_(eku=(CA_,))
        case "leaf EKU anyEKU only":
            leaf9 = leaf9.with_(eku=(ANY,))
        case "leaf serverAuth + anyEKU":
            leaf9 = leaf9.with_(eku=(SA, ANY))
        case "leaf serverAuth, EKU critical":
            leaf9 = leaf9.with_(eku_critical=True)
        case "leaf unknown EKU OID only":
            leaf9 = leaf9.with_(eku=(UNKNOWN_OID,))
        case "leaf serverAuth + OCSPSigning":
            leaf9 = leaf9.with_(eku=(SA, EKU.OCSP_SIGNING.oid))
        case "leaf msSGC/nsSGC only":
            leaf9 = leaf9.with_(eku=(EKU.MS_SGC.oid, EKU.NS_SGC.oid))
        case "ICA EKU clientAuth only":
            ica = ica.with_(eku=(CA_,))
        case "ICA EKU anyEKU only":
            ica = ica.with_(eku=(ANY,))
        case "ICA no EKU":
            pass
        case "ICA serverAuth critical":
            ica = ica.with_(eku=(SA,), eku_critical=True)
        case "root EKU clientAuth":
            root = root.with_(eku=(CA_,))
        case "ICA KU without keyCertSign":
            ica = ica.with_(key_usage=frozenset({"crl_sign", "digital_signature"}))
        case "ICA without KU":
            ica = ica.with_(key_usage=None)
        case "root without KU":
            root = root.with_(key_usage=None)
        case "ICA without BC (v3)":
            ica = ica.with_(ca=None)
        case "leaf KU keyEncipherment only":
            leaf9 = leaf9.with_(key_usage=frozenset({"key_encipherment"}))
        case "leaf KU dataEncipherment only":
            leaf9 = leaf9.with_(key_usage=frozenset({"data_encipherment"}))
        case "leaf KU keyCertSign, CA:FALSE":
            leaf9 = leaf9.with_(key_usage=frozenset({"digital_signature", "key_cert_sign"}))
        case "leaf is CA (cA=TRUE)":
            leaf9 = leaf9.with_(ca=True)
        case "v1 self-signed root as anchor":
            root = CertSpec(common_name="Profiles v1 Root", version=1)
        case _:
            raise KeyError(name)
    return (root, ica), leaf9


#: (row, Go, Windows): True = ✓, False = ✗, None = not asserted (unverified / depends / "?").
SEMANTICS_9: list[tuple[str, bool | None, bool | None]] = [
    ("leaf, no EKU", True, True),
    ("leaf EKU clientAuth only", False, False),
    ("leaf EKU anyEKU only", True, None),
    ("leaf serverAuth + anyEKU", True, True),
    ("leaf serverAuth, EKU critical", True, True),
    ("leaf unknown EKU OID only", False, False),
    ("leaf serverAuth + OCSPSigning", True, True),
    ("leaf msSGC/nsSGC only", False, None),
    ("ICA EKU clientAuth only", False, False),
    ("ICA EKU anyEKU only", True, None),
    ("ICA no EKU", True, True),
    ("ICA serverAuth critical", True, True),
    ("root EKU clientAuth", False, False),
    # §9 says Go ✓ ("KU ignored"), but x509.go CheckSignatureFrom refuses an issuer whose
    # non-zero KU lacks keyCertSign (present since Go 1.0, still in current source); certlib
    # follows the source. See the module docstring of certlib.profiles.go.
    ("ICA KU without keyCertSign", False, None),
    ("ICA without KU", True, None),
    ("root without KU", True, None),
    ("ICA without BC (v3)", False, None),
    ("leaf KU keyEncipherment only", True, None),
    ("leaf KU dataEncipherment only", True, None),
    ("leaf KU keyCertSign, CA:FALSE", True, None),
    ("leaf is CA (cA=TRUE)", True, None),
    ("v1 self-signed root as anchor", True, None),
]
_9_PARAMS = [
    pytest.param(row, profile, want, id=f"{profile}: {row}")
    for row, go, win in SEMANTICS_9
    for profile, want in (("go", go), ("windows", win))
    if want is not None
]


@pytest.mark.parametrize(("row", "profile", "want"), _9_PARAMS)
def test_semantics_section_9(row: str, profile: str, want: bool) -> None:
    cas, leaf_spec = _case9(row)
    cert, kw = chain_kw(*cas, leaf_spec)
    out = v(cert, "tls_server", profile, **kw)
    assert out.allowed is want, [(r.rule, r.text) for r in out.reasons]


# =============================================================================================
# x509-limbo: Go profile vs the recorded Go 1.19.8 run; RFC 5280 profile vs expectations
# =============================================================================================


@cache
def _limbo() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    cases = json.loads((LIMBO / "x509-limbo-eku-ku.json").read_text())["testcases"]
    results = json.loads((LIMBO / "x509-limbo-results-eku-ku.json").read_text())["matrix"]
    return cases, results


def _pem(text: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(text.encode())


def _limbo_run(case: dict[str, Any], profile: str, **options: Any):
    at = case["validation_time"]
    name = case["expected_peer_name"] or {}
    return verdict(
        _pem(case["peer_certificate"]),
        "tls_server",
        profile,
        roots=[_pem(p) for p in case["trusted_certs"]],
        intermediates=[_pem(p) for p in case["untrusted_intermediates"]],
        at=dt.datetime.fromisoformat(at) if at else dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        hostname=name.get("value"),
        strict=True,
        **options,
    )


def test_go_profile_agrees_with_recorded_go_run(limbo_dir: Path) -> None:
    cases, results = _limbo()
    checked, wrong = 0, []
    for case in cases:
        recorded = results[case["id"]]["gocryptox509-go1.19.8"]
        if recorded == "SKIPPED":  # the CRL cases
            continue
        out = _limbo_run(case, "go")
        checked += 1
        if ("SUCCESS" if out.allowed else "FAILURE") != recorded:
            wrong.append((case["id"], recorded, out.summary))
    assert checked == 30 and not wrong, wrong


def test_rfc5280_profile_meets_limbo_expectations(limbo_dir: Path) -> None:
    cases, _ = _limbo()
    checked, wrong = 0, []
    for case in cases:
        namespace = case["id"].split("::")[0]
        if namespace not in ("rfc5280", "pathlen"):
            continue
        # limbo's [] means "no EKU requirement": compare KU with the purpose only as literally
        # as the RFC words it, so a CA in leaf position (KU keyCertSign, no EKU) passes.
        out = _limbo_run(case, "rfc5280", rfc5280_literal_ku=not case["extended_key_usage"])
        checked += 1
        if ("SUCCESS" if out.allowed else "FAILURE") != case["expected_result"]:
            wrong.append((case["id"], case["expected_result"], out.summary))
    assert checked == 22 and not wrong, wrong


# =============================================================================================
# The dispatcher
# =============================================================================================


def test_verdicts_frame_shape_and_dtypes() -> None:
    df = verdicts(leaf())
    assert df.shape == (30, 8)
    assert list(df.columns) == [
        "profile",
        "purpose",
        "outcome",
        "allowed",
        "warning_code",
        "reasons",
        "rules",
        "sources",
    ]
    assert isinstance(df["profile"].dtype, pd.CategoricalDtype)
    assert list(df["profile"].cat.categories) == list(PROFILES)
    assert list(df["purpose"].cat.categories) == [p.value for p in Purpose]
    assert list(df["outcome"].cat.categories) == list(OUTCOMES)
    assert df["allowed"].dtype == bool
    assert df["warning_code"].dtype == "Int64"
    assert list(df["profile"]) == [p for p in PROFILES for _ in Purpose]  # profile-major
    assert list(df["purpose"][:6]) == [p.value for p in Purpose]
    for col in ("reasons", "rules", "sources"):
        assert all(isinstance(x, list) and all(isinstance(s, str) for s in x) for x in df[col])
    assert (df["allowed"] == df["outcome"].isin(["allowed", "warning"])).all()
    row = df[(df.profile == "rfc5280") & (df.purpose == "tls_client")].iloc[0]
    assert row.outcome == "denied" and row.rules[-1] == "eku.purpose_missing"


def test_verdict_grid() -> None:
    grid = verdict_grid(leaf(), profiles=MINE)
    assert grid.index.name == "purpose" and grid.columns.name == "profile"
    assert list(grid.index) == [p.value for p in Purpose] and list(grid.columns) == list(MINE)
    assert grid.loc["tls_server", "go"] == "allowed"
    assert grid.loc["tls_client", "windows"] == "denied"


SPECS = {
    "plain": LEAF,
    "no-ext": LEAF.with_(eku=None, key_usage=None, ca=None, sans=()),
    "empty-eku": LEAF.with_(eku=()),
    "empty-ku": LEAF.with_(key_usage=frozenset()),
    "any": LEAF.with_(eku=(ANY,)),
    "sgc": LEAF.with_(eku=(EKU.MS_SGC.oid,)),
    "ca": LEAF.with_(ca=True, key_usage=CA_KU),
    "ns": LEAF.with_(eku=None, ns_cert_type=frozenset({"ssl_client"})),
    "apps": LEAF.with_(ms_application_policies=(CA_,)),
    "crit": LEAF.with_(extra_extensions=((UNKNOWN_OID, True, b"\x05\x00"),)),
}


@pytest.mark.parametrize("name", list(SPECS))
def test_every_verdict_explains_itself(name: str) -> None:
    cert = forge(SPECS[name]).certificate
    chain = forge_chain(ROOT, ICA, SPECS[name])
    for kw in ({}, {"roots": chain.roots, "intermediates": chain.intermediate_certificates}):
        c = cert if not kw else chain.leaf.certificate
        for profile in PROFILES:
            for p in Purpose:
                out = verdict(c, p, profile, **kw)
                assert out.outcome in OUTCOMES
                if out.outcome != "allowed" or profile in MINE:
                    assert out.reasons, (profile, p, out)
                for r in out.reasons:
                    assert r.rule and r.text and r.source, (profile, p, r)
                if profile in MINE and out.outcome != "allowed":
                    assert out.summary == out.reasons[-1].text


def test_plain_allow_under_absent_extension_says_so() -> None:
    cert = leaf(eku=None)
    for profile in MINE:
        out = v(cert, "tls_server", profile)
        assert out.outcome == "allowed"
        absent = [r for r in out.reasons if r.rule == "eku.absent"]
        assert absent and (
            "no EKU" in absent[0].text
            or "no Extended Key Usage" in absent[0].text
            or "neither an EKU" in absent[0].text
        )


def test_never_raises_on_limbo_empty_eku_peer(limbo_dir: Path) -> None:
    cases, _ = _limbo()
    case = next(c for c in cases if c["id"] == "rfc5280::eku::ee-eku-empty")
    cert = _pem(case["peer_certificate"])
    with pytest.raises(ValueError):
        cert.extensions  # noqa: B018 - cryptography refuses it: that is the point
    df = verdicts(cert, hostname="example.com")
    assert len(df) == 30
    by = df.set_index(["profile", "purpose"])["outcome"]
    assert by[("rfc5280", "tls_server")] == "invalid"
    assert by[("go", "tls_server")] == "allowed"
    assert by[("windows", "tls_server")] == "denied"


def test_never_raises_on_malformed_extension() -> None:
    bad_ku = forge(
        CertSpec(common_name="bad ku", extra_extensions=((EXT.KEY_USAGE.oid, True, b"\x05\x00"),))
    ).certificate
    df = verdicts(bad_ku)
    assert len(df) == 30
    for profile in MINE:
        assert set(df[df.profile == profile].outcome) == {"invalid"}, profile


@pytest.mark.parametrize("key_type", ["ec", "rsa"])
def test_sha1_signed_leaf_is_a_policy_question_not_a_broken_chain(key_type: str) -> None:
    """cryptography refuses to check SHA-1 signatures; the chain still links (the key verifies
    it), and each profile applies its own policy: RFC 5280, OpenSSL 3.0 (``openssl verify``
    says OK, tests/cert/test_links.py) and Windows accept, Go refuses the algorithm."""
    ica = ICA.with_(key_type=key_type)
    cert, kw = chain_kw(ROOT, ica, LEAF.with_(signature_hash="sha1"))
    outcomes = {p: v(cert, "tls_server", p, **kw) for p in ("rfc5280", "openssl", "windows")}
    assert {p: o.outcome for p, o in outcomes.items()} == dict.fromkeys(outcomes, "allowed")
    go = v(cert, "tls_server", "go", **kw)
    assert go.outcome == "denied" and "go.insecure_algorithm" in rules(go), go.reasons
    name = "ECDSA-SHA1" if key_type == "ec" else "SHA1-RSA"
    assert f"insecure algorithm {name}" in go.reasons[-1].text
    # the same leaf signed with SHA-256 passes Go
    cert, kw = chain_kw(ROOT, ica, LEAF)
    assert v(cert, "tls_server", "go", **kw).outcome == "allowed"


def test_profile_exception_becomes_invalid_unless_strict(monkeypatch) -> None:
    import certlib.profiles as purpose_api

    ch = forge_chain(ROOT, LEAF)

    calls: list[tuple] = []

    def broken(cert, ctx, purposes):
        calls.append(purposes)
        raise AttributeError("a profile bug")

    monkeypatch.setitem(
        purpose_api.REGISTRY, "go", dataclasses.replace(purpose_api.REGISTRY["go"], judge=broken)
    )
    out = verdict(ch.leaf.certificate, "tls_server", "go", roots=ch.roots)
    assert out.outcome == "invalid" and out.reasons[0].rule == "profile.error"
    assert "AttributeError: a profile bug" in out.reasons[0].text
    assert out.reasons[0].source == "certlib.profiles.go"
    # one pass for all purposes, then purpose by purpose so one failure spoils only its own
    table = verdicts(ch.leaf.certificate, profiles=("go",), roots=ch.roots)
    assert list(table["outcome"]) == ["invalid"] * len(Purpose)
    assert calls[-len(Purpose) - 1 :] == [tuple(Purpose), *((p,) for p in Purpose)]
    with pytest.raises(AttributeError):
        verdict(ch.leaf.certificate, "tls_server", "go", roots=ch.roots, strict=True)


def test_at_is_a_caller_error_or_any_usual_form() -> None:
    """A string ``at`` used to reach the profiles and come back as an 'invalid' verdict."""
    ch = forge_chain(ROOT, LEAF)
    with pytest.raises(ValueError, match="ISO-8601"):
        verdict(ch.leaf.certificate, "tls_server", "go", roots=ch.roots, at="yesterday")
    day = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).date()  # inside the leaf's validity
    at = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    iso = day.isoformat()
    for form in (
        at,
        iso,
        f"{iso}T00:00:00Z",
        f"{iso}T02:00:00+02:00",
        day,
        at.replace(tzinfo=None),
    ):
        for profile in ("rfc5280", "openssl", "windows", "go", "webpki"):
            got = verdict(ch.leaf.certificate, "tls_server", profile, roots=ch.roots, at=form)
            want = verdict(ch.leaf.certificate, "tls_server", profile, roots=ch.roots, at=at)
            assert (got.outcome, got.reasons) == (want.outcome, want.reasons), (form, profile)
            assert got.outcome == "allowed", (form, profile, got.reasons)


def test_unknown_profile_and_purpose() -> None:
    cert = leaf()
    with pytest.raises(ValueError, match="valid profiles: rfc5280, openssl, windows, go, webpki"):
        verdict(cert, "tls_server", "nss")
    with pytest.raises(ValueError, match="valid purposes: tls_server, tls_client"):
        verdict(cert, "server", "rfc5280")
    with pytest.raises(ValueError, match="unknown profile"):
        verdicts(cert, profiles=("rfc5280", "nss"))
    assert verdict(cert, "tls_server").profile == "rfc5280"
    assert verdict(cert, Purpose.TLS_SERVER, "go").purpose is Purpose.TLS_SERVER


def test_profiles_register_by_import() -> None:
    """The registry holds the five profile modules' ``PROFILE`` entries, in PROFILES order."""
    import importlib

    assert tuple(REGISTRY) == PROFILES
    for name, entry in REGISTRY.items():
        module = importlib.import_module(entry.source)
        assert module.PROFILE is entry and name == module.NAME
        assert callable(entry.judge)
    assert [n for n, e in REGISTRY.items() if e.outcome_key is None] == ["webpki"]
