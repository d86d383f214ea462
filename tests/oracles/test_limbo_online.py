"""Real chains nobody here made: x509-limbo's 14 online (real-site) testcases, every profile.

``tests/data/x509-limbo/x509-limbo-online.json`` (C2SP/x509-limbo at 8a2e6f4, Apache-2.0, made
by ``tests/reference/limbo_online.py``) holds the chains limbo captured from 14 popular sites, each
valid for limbo and for every browser at its validation time (one second after the leaf's
notBefore). Every profile must allow each chain for its host name at that time; a warning is
allowed only when a dated rule says why (:data:`WARNINGS`). A case a profile does not allow must be
listed in :data:`NOT_ALLOWED` with the documented reason; the set of failures must equal that list.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from functools import cache
from typing import Any

import pytest
from conftest import LIMBO
from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning

from certlib.core.verdicts import Purpose, Verdict
from certlib.profiles import verdict

PROFILES = ("rfc5280", "openssl", "go", "windows", "webpki")
#: (profile, id) -> why the profile does not allow the chain. Empty: every profile allows all 14.
NOT_ALLOWED: dict[tuple[str, str], str] = {}
#: webpki warnings allowed on real chains: each names a rule and the date it applies from.
WARNINGS = {
    # Chrome Root Program v1.8 §1.3.2: serverAuth-only leaves from 2027-03-15 (issued before).
    "chrome.leaf_server_auth_only": "2027-03-15",
    # BR §7.1.2.7.11: keyAgreement NOT RECOMMENDED for ECC keys (a SHOULD NOT, always a warning).
    "ku.not_recommended": "7.1.2.7.11",
    # BR 2.0 §7.1.2.6.1: a sub-CA issued before 2023-09-15 without EKU (amazon.com's 2013 one).
    "subca.eku_absent": "2023-09-15",
}


@cache
def _cases() -> list[dict[str, Any]]:
    return json.loads((LIMBO / "x509-limbo-online.json").read_text(encoding="utf-8"))["testcases"]


def _pem(text: str) -> x509.Certificate:
    with warnings.catch_warnings():
        # The Starfield root (s3.amazonaws.com's anchor) has serial number 0.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_pem_x509_certificate(text.encode())


def _run(case: dict[str, Any], profile: str) -> Verdict:
    return verdict(
        _pem(case["peer_certificate"]),
        Purpose.TLS_SERVER,
        profile,
        intermediates=[_pem(p) for p in case["untrusted_intermediates"]],
        roots=[_pem(p) for p in case["trusted_certs"]],
        at=dt.datetime.fromisoformat(case["validation_time"]),
        hostname=case["expected_peer_name"]["value"],
    )


def _explain(v: Verdict) -> str:
    return f"{v.profile} said {v.outcome}:\n" + "\n".join(
        f"  [{r.rule}] {r.text}" for r in v.reasons
    )


def test_the_online_cases_are_the_fourteen_sites() -> None:
    cases = _cases()
    assert len(cases) == 14
    assert {c["id"] for c in cases} == {
        f"online::{h}"
        for h in (
            "akamai.com",
            "amazon.com",
            "apple.com",
            "aws.amazon.com",
            "bing.com",
            "cloudflare.com",
            "docs.python.org",
            "facebook.com",
            "fastly.com",
            "google.com",
            "microsoft.com",
            "s3.amazonaws.com",
            "stackoverflow.com",
            "storage.googleapis.com",
        )
    }
    for c in cases:
        assert c["expected_result"] == "SUCCESS" and c["validation_kind"] == "SERVER", c["id"]
        assert c["expected_peer_name"]["kind"] == "DNS", c["id"]


@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_allows_the_real_chains(profile: str) -> None:
    failing: dict[str, str] = {}
    for case in _cases():
        v = _run(case, profile)
        if not v.allowed:
            failing[case["id"]] = _explain(v)
    expected = {i for (p, i) in NOT_ALLOWED if p == profile}
    assert set(failing) == expected, "\n\n".join(failing.values())


def test_webpki_warnings_on_real_chains_name_a_dated_rule() -> None:
    warned: dict[str, set[str]] = {}
    for case in _cases():
        v = _run(case, "webpki")
        if v.outcome != "warning":
            assert v.outcome == "allowed", _explain(v)
            continue
        summary = v.reasons[-1].text
        rules = {r.rule for r in v.reasons if r.rule in WARNINGS}
        assert rules, _explain(v)
        for rule in rules:
            short = WARNINGS[rule]
            assert any(short in r.text + r.source for r in v.reasons if r.rule == rule), _explain(v)
        assert summary.startswith("Allowed with warnings"), summary
        warned[case["id"]] = rules
    # amazon.com: only the dated sub-CA rule (and Chrome's 2027 leaf rule) make it a warning.
    assert "subca.eku_absent" in warned["online::amazon.com"]
    assert len(warned) == 5, warned
