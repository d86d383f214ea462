"""The x509-limbo EKU / keyUsage / basicConstraints subset through ``certlib.verdict``.

Every one of the 33 testcases in ``tests/data/x509-limbo/x509-limbo-eku-ku.json``
(C2SP/x509-limbo at 8a2e6f4, Apache-2.0, vendored with its licence) is either run under the
profile its namespace names or listed in ``OUT_OF_SCOPE`` with the reason; nothing is skipped
silently. ``expected_result`` is the outcome of full path validation, so every case runs
chain-aware (``roots`` = ``trusted_certs``).

A second test checks our pyca wrapper in the webpki profile against the recorded results of
pyca/cryptography 50.0.2 on the same cases (``x509-limbo-results-eku-ku.json``, run
``pyca-cryptography-50.0.2-unskipped``): the ``pyca.verified`` reason must appear exactly when
that run built a chain.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import LIMBO
from cryptography import x509

from certlib.core.verdicts import Purpose, Verdict
from certlib.profiles import verdict  # = certlib.verdict (lazy re-export)

#: Cases we do not run, and why. Only CRL checking is out of scope: certlib judges certificates
#: and paths, it does not process CRLs (the three cases test the CRL issuer's keyUsage).
OUT_OF_SCOPE: dict[str, str] = {
    "crl::issuer-missing-crlsign": "needs CRL processing (feature has-crl): certlib has none",
    "crl::issuer-no-keyusage-extension": "needs CRL processing (feature has-crl): certlib has none",
    "crl::issuer-valid-crlsign-and-keycertsign": (
        "needs CRL processing (feature has-crl): certlib has none"
    ),
}
#: Namespace -> certlib profile.
PROFILE_OF_NAMESPACE = {"rfc5280": "rfc5280", "webpki": "webpki", "pathlen": "rfc5280"}
#: limbo KnownEKU -> the purpose we ask for.
PURPOSE_OF_EKU = {"serverAuth": Purpose.TLS_SERVER, "clientAuth": Purpose.TLS_CLIENT}
#: limbo's validation_time is null for most cases ("any time"; certificates are valid
#: 1970..2969): a fixed instant keeps the run reproducible.
DEFAULT_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
#: For the webpki FAILURE cases: the rule the case is about must be among the denying reasons,
#: so the case does not pass for an unrelated reason.
WEBPKI_INTENT: dict[str, str] = {
    "webpki::eku::ee-anyeku": "eku.forbidden",
    "webpki::eku::ee-critical-eku": "eku.critical",
    "webpki::eku::ee-without-eku": "eku.absent",
    "webpki::eku::root-has-eku": "root.eku_present",
    "webpki::cryptographydotio-chain-missing-intermediate": "pyca.no_path",
    "webpki::ee-basicconstraints-ca": "bc.ca",
    "webpki::ca-as-leaf": "bc.ca",
}
#: limbo FAILURE cases the webpki profile allows with a warning, and why. Their certificates are
#: dated 1970-01-01, before the rule each case is about took effect (BR 1.0, 2012-07-01, for the
#: subscriber EKU; BR 2.0, 2023-09-15, for anyEKU in a leaf and EKU in a root). The webpki
#: profile dates BR rules by the judged certificate's issuance: browsers accept such a
#: certificate, so it is a warning naming the rule and its date (limbo itself tags the three
#: 'pedantic-webpki-eku': rules most validators do not enforce). The intended rule must still
#: be among the reasons.
WARNED_NOT_DENIED: dict[str, str] = {
    "webpki::eku::ee-anyeku": "issued 1970, before BR 2.0 §7.1.2.7.10 (2023-09-15)",
    "webpki::eku::ee-without-eku": "issued 1970, before BR 1.0's subscriber EKU rule (2012-07-01)",
    "webpki::eku::root-has-eku": "root issued 1970, before BR 2.0 §7.1.2.1.2 (2023-09-15)",
}
PYCA_RUN = "pyca-cryptography-50.0.2-unskipped"

_DATA = LIMBO / "x509-limbo-eku-ku.json"
_RESULTS = LIMBO / "x509-limbo-results-eku-ku.json"


@cache
def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _cases() -> list[dict[str, Any]]:
    return _load(_DATA)["testcases"]  # vendored: a missing file fails collection loudly


def _pem(text: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(text.encode())


def _purpose(case: dict[str, Any]) -> Purpose:
    ekus = case["extended_key_usage"]
    if not ekus:
        # limbo: [] = the implementation default; for SERVER validation that is serverAuth.
        assert case["validation_kind"] == "SERVER", case["id"]
        return Purpose.TLS_SERVER
    assert len(ekus) == 1, f"{case['id']}: several requested EKUs {ekus}"
    return PURPOSE_OF_EKU[ekus[0]]


def _run(case: dict[str, Any], profile: str) -> Verdict:
    peer_name = case["expected_peer_name"] or {}
    options: dict[str, Any] = {"strict": True}
    if case["key_usage"]:
        options["required_key_usage"] = tuple(case["key_usage"])
    if case["max_chain_depth"] is not None:
        options["max_chain_depth"] = case["max_chain_depth"]
    if not case["extended_key_usage"]:
        # No EKU requested: limbo asks for path validation only, so the leaf's KU is compared
        # with the purpose only where an EKU names one (the RFC's literal wording).
        options["rfc5280_literal_ku"] = True
    at = case["validation_time"]
    return verdict(
        _pem(case["peer_certificate"]),
        _purpose(case),
        profile,
        intermediates=[_pem(p) for p in case["untrusted_intermediates"]],
        roots=[_pem(p) for p in case["trusted_certs"]],
        at=dt.datetime.fromisoformat(at) if at else DEFAULT_TIME,
        hostname=peer_name.get("value") if peer_name.get("kind") == "DNS" else None,
        **options,
    )


def _explain(v: Verdict) -> str:
    return f"{v.profile} said {v.outcome}:\n" + "\n".join(
        f"  [{r.rule}] {r.text}" for r in v.reasons
    )


IN_SCOPE = [c for c in _cases() if c["id"] not in OUT_OF_SCOPE]


def test_every_case_is_run_or_listed(limbo_dir: Path) -> None:
    cases = _load(limbo_dir / "x509-limbo-eku-ku.json")["testcases"]
    ids = {c["id"] for c in cases}
    assert len(ids) == len(cases) == 33
    assert set(OUT_OF_SCOPE) <= ids, set(OUT_OF_SCOPE) - ids
    assert len(IN_SCOPE) + len(OUT_OF_SCOPE) == 33
    # Only CRL cases may be out of scope.
    for case in cases:
        if case["id"] in OUT_OF_SCOPE:
            assert "has-crl" in case["features"] or case["id"].startswith("crl::"), case["id"]
    # Every in-scope namespace maps to a profile.
    assert {c["id"].split("::")[0] for c in IN_SCOPE} <= PROFILE_OF_NAMESPACE.keys()


@pytest.mark.parametrize("case", IN_SCOPE, ids=[c["id"] for c in IN_SCOPE])
def test_limbo_case(case: dict[str, Any]) -> None:
    profile = PROFILE_OF_NAMESPACE[case["id"].split("::")[0]]
    v = _run(case, profile)
    expected = case["expected_result"] == "SUCCESS"
    if case["id"] in WARNED_NOT_DENIED:
        assert case["expected_result"] == "FAILURE" and "pedantic-webpki-eku" in case["features"]
        assert v.outcome == "warning", f"{case['id']}: {WARNED_NOT_DENIED[case['id']]}; " + (
            _explain(v)
        )
        expected = True
    assert v.allowed is expected, (
        f"{case['id']}: limbo expects {case['expected_result']}; {_explain(v)}\n"
        f"limbo: {case['description']}"
    )
    intent = WEBPKI_INTENT.get(case["id"])
    if intent is not None:
        deciding = {r.rule for r in v.reasons}
        assert intent in deciding, f"{case['id']}: expected rule {intent}; {_explain(v)}"


ALL_CASES = _cases()


@pytest.mark.parametrize("case", ALL_CASES, ids=[c["id"] for c in ALL_CASES])
def test_webpki_pyca_matches_recorded_pyca_run(case: dict[str, Any]) -> None:
    """Our chain-aware webpki profile runs pyca exactly as the recorded harness run did."""
    recorded = _load(_RESULTS)["matrix"][case["id"]][PYCA_RUN]
    v = _run(case, "webpki")
    verified = any(r.rule == "pyca.verified" for r in v.reasons)
    assert verified is (recorded == "SUCCESS"), (
        f"{case['id']}: recorded {PYCA_RUN} = {recorded}; {_explain(v)}"
    )


# Our corrected copy of ``rfc5280::ica-ku-keycertsign`` (tests/reference/limbo_ours.py made it):
# upstream passes no intermediate, so validators fail it for "no issuer". With the intermediate
# supplied, the failure must come from the rule the case is about.
OURS = _load(LIMBO / "certlib-ours.json")["testcases"]


def test_upstream_ica_ku_case_fails_for_no_issuer() -> None:
    """Kept as upstream has it: it fails, but for the missing intermediate, not the KU rule."""
    (case,) = [c for c in _cases() if c["id"] == "rfc5280::ica-ku-keycertsign"]
    assert case["untrusted_intermediates"] == []
    v = _run(case, "rfc5280")
    assert not v.allowed
    rules = {r.rule for r in v.reasons}
    assert "path.no_issuer" in rules, _explain(v)
    assert "ca.no_keycertsign" not in rules, _explain(v)


def test_ours_ica_ku_case_fails_for_the_key_usage_rule(openssl_bin: str, tmp_path: Path) -> None:
    assert len(OURS) == 1
    (case,) = OURS
    assert case["id"].startswith("certlib::") and case["corrects"] == "rfc5280::ica-ku-keycertsign"
    assert len(case["untrusted_intermediates"]) == 1
    v = _run(case, "rfc5280")
    assert not v.allowed, _explain(v)
    denying = [r.rule for r in v.reasons if r.rule.startswith(("ca.", "path."))]
    assert denying == ["ca.no_keycertsign"], _explain(v)
    # The real OpenSSL agrees that the chain fails, and certlib's openssl profile says the same.
    files = {}
    for name, pems in (
        ("root", case["trusted_certs"]),
        ("ica", case["untrusted_intermediates"]),
        ("leaf", [case["peer_certificate"]]),
    ):
        files[name] = tmp_path / f"{name}.pem"
        files[name].write_text("".join(pems))
    out = subprocess.run(
        [
            openssl_bin,
            "verify",
            "-CAfile",
            files["root"],
            "-untrusted",
            files["ica"],
            files["leaf"],
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode != 0 and "error 20 at 0 depth" in out.stdout + out.stderr, out
    v_openssl = _run(case, "openssl")
    assert not v_openssl.allowed
    assert any(r.rule == "openssl.verify.error.20" for r in v_openssl.reasons), _explain(v_openssl)
