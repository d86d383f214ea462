"""The openssl profile against the real ``openssl verify``: every (chain, purpose) verdict of a
seeded random corpus (tests/reference/openssl_corpus.py) is compared with

    openssl verify -no-CApath -no-CAstore -purpose P -attime T -CAfile roots.pem
                   [-untrusted ints.pem] [-verify_hostname H | -verify_ip H] leaf.pem

(without ``-x509_strict`` and ``-partial_chain``, as the profile models it). The host name is
passed for ``sslserver`` only, as certlib matches ``hostname`` for the TLS server purpose only;
an IP literal goes to ``-verify_ip`` (what ``SSL_set1_host`` does with one).

``openssl`` OK ↔ the verdict allowed (or a tolerated purpose warning); ``error N at D depth``
(the first one printed) ↔ the verdict's deciding (last) reason ``openssl.verify.error.N`` and
``verify_chain(...).short == "N@D"``. ``ocsphelper`` is compared through
:func:`verify_chain` (the profile's OCSP signing verdict adds ``openssl ocsp``'s delegated
responder check on top: tests/profiles/test_openssl_chain.py).

Seed: ``CERTLIB_OSSL_ORACLE_SEED`` (default below); count: ``CERTLIB_OSSL_ORACLE_COUNT``.
"""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from openssl_corpus import Case, corpus
from openssl_version import model_version

from certlib.profiles import Purpose, verdict
from certlib.profiles.openssl import verify_chain

SEED = int(os.environ.get("CERTLIB_OSSL_ORACLE_SEED", "30119") or 30119)
COUNT = int(os.environ.get("CERTLIB_OSSL_ORACLE_COUNT", "1100") or 1100)
#: The purposes compared: the four the profile maps through ``verdict`` and ocsphelper.
PURPOSES: dict[str, Purpose | None] = {
    "sslserver": Purpose.TLS_SERVER,
    "sslclient": Purpose.TLS_CLIENT,
    "smimesign": Purpose.EMAIL_PROTECTION,
    "timestampsign": Purpose.TIME_STAMPING,
    "ocsphelper": None,
}
#: Each feature must occur at least this often per 1,100 cases.
MIN_FEATURE = 8
FEATURES = (
    "depth.0",
    "depth.1",
    "depth.2",
    "key.rsa",
    "bc.ca_false",
    "bc.absent",
    "bc.pathlen0",
    "ku.ca_no_keycertsign",
    "ku.ca_absent",
    "ca_eku.server",
    "ca_eku.client_email",
    "critical.unknown_ca",
    "critical.unknown_leaf",
    "validity.ca_expired",
    "validity.leaf_expired",
    "validity.leaf_not_yet",
    "eku.absent",
    "eku.server",
    "eku.client",
    "eku.email",
    "eku.time",
    "eku.ocsp",
    "eku.any",
    "eku.unknown",
    "ku.ds",
    "ku.ke",
    "ku.nr",
    "leaf.ca",
    "nc.on_root",
    "nc.on_intermediate",
    "nc.dns.permitted",
    "nc.dns.excluded",
    "nc.email.permitted",
    "nc.email.excluded",
    "nc.ip.permitted",
    "nc.ip.excluded",
    "nc.uri.permitted",
    "nc.uri.excluded",
    "nc.dirname.permitted",
    "nc.dirname.excluded",
    "nc.othername.permitted",
    "san.dns_inside",
    "san.dns_outside",
    "san.email",
    "san.ip",
    "san.uri",
    "san.dirname",
    "san.upn",
    "san.absent",
    "cn.host",
    "cn.host_outside",
    "cn.not_host",
    "cn.wildcard",
    "subject.org",
    "host.dns",
    "host.ip",
    "kid.mismatch",
    "pool.missing_intermediate",
    "pool.trusted_intermediate",
    "pool.no_root",
    "pool.unrelated_ca",
    "pool.leaf_trusted",
)
#: Each openssl error number must be met at least this often (the corpus reaches them all;
#: the rare ones have floors that hold on fresh seeds too, not only the default one).
MIN_ERRORS = {
    2: 60,
    10: 10,
    20: 100,
    26: 1000,
    34: 50,
    47: 30,
    48: 5,
    51: 1,
    62: 15,
    64: 3,
    79: 100,
}

_ERROR = re.compile(r"^error (\d+) at (\d+) depth lookup")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _argv(openssl: str, d: Path, sc: Case, sname: str) -> list[str]:
    argv = [openssl, "verify", "-no-CApath", "-no-CAstore", "-purpose", sname]
    argv += ["-attime", str(int(sc.at.timestamp())), "-CAfile", str(d / "roots.pem")]
    if sc.intermediates:
        argv += ["-untrusted", str(d / "ints.pem")]
    if sname == "sslserver" and sc.hostname:
        argv += ["-verify_ip" if _is_ip(sc.hostname) else "-verify_hostname", sc.hostname]
    return [*argv, str(d / "leaf.pem")]


def _answer(proc: subprocess.CompletedProcess) -> str:
    """``OK`` or ``N@D`` of the first error the verify callback printed."""
    for line in proc.stderr.splitlines():
        m = _ERROR.match(line)
        if m:
            return f"{m.group(1)}@{m.group(2)}"
    if proc.returncode == 0 and proc.stdout.rstrip().endswith(": OK"):
        return "OK"
    return f"unparsed rc={proc.returncode} {proc.stdout!r} {proc.stderr!r}"


@pytest.fixture(scope="module")
def oracle(openssl_bin: str, tmp_path_factory: pytest.TempPathFactory):
    """(cases, {(case id, purpose): openssl's answer}, seconds spent)."""
    assert model_version(openssl_bin) == "3.0", "the chain model is of OpenSSL 3.0.19"
    started = time.monotonic()
    cases = corpus(SEED, COUNT)
    root = tmp_path_factory.mktemp("verify-oracle")
    jobs: list[tuple[tuple[str, str], list[str]]] = []
    for sc in cases:
        d = root / sc.id
        d.mkdir()
        (d / "roots.pem").write_bytes(b"".join(c.pem for c in sc.roots))
        (d / "ints.pem").write_bytes(b"".join(c.pem for c in sc.intermediates))
        (d / "leaf.pem").write_bytes(sc.leaf.pem)
        for sname in PURPOSES:
            jobs.append(((sc.id, sname), _argv(openssl_bin, d, sc, sname)))

    def run(job: tuple[tuple[str, str], list[str]]) -> tuple[tuple[str, str], str]:
        key, argv = job
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        return key, _answer(proc)

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        answers = dict(pool.map(run, jobs))
    return cases, answers, time.monotonic() - started


def _ours(sc: Case, sname: str) -> tuple[str, str, str]:
    """(outcome, deciding rule, verify_chain's short answer) of certlib for one pair."""
    leaf = sc.leaf.certificate
    roots = [c.certificate for c in sc.roots]
    ints = [c.certificate for c in sc.intermediates]
    host = sc.hostname if sname == "sslserver" else None
    res = verify_chain(leaf, ints, roots, sname, at=sc.at, hostname=host)
    purpose = PURPOSES[sname]
    if purpose is None:
        outcome = "allowed" if res.ok else "denied"
        return outcome, res.reasons[-1].rule, res.short
    out = verdict(
        leaf,
        purpose,
        "openssl",
        strict=True,
        roots=roots,
        intermediates=ints,
        at=sc.at,
        hostname=host,
    )
    return out.outcome, out.reasons[-1].rule, res.short


def test_openssl_profile_agrees_with_openssl_verify(oracle) -> None:
    cases, answers, spent = oracle
    assert len(cases) == COUNT >= 1000
    assert len(answers) == COUNT * len(PURPOSES)
    failures: list[str] = []
    agree: Counter[tuple[bool, bool]] = Counter()
    errors: Counter[int] = Counter()
    for sc in cases:
        for sname in PURPOSES:
            real = answers[(sc.id, sname)]
            outcome, rule, short = _ours(sc, sname)
            real_ok = real == "OK"
            mine_ok = outcome in ("allowed", "warning")
            agree[(real_ok, mine_ok)] += 1
            problem = None
            if real.startswith("unparsed"):
                problem = "openssl's answer could not be read"
            elif real_ok != mine_ok:
                problem = "verdicts differ"
            elif not real_ok:
                code = int(real.split("@")[0])
                errors[code] += 1
                if rule != f"openssl.verify.error.{code}":
                    problem = f"deciding reason {rule!r} does not name error {code}"
                elif short != real:
                    problem = f"error/depth differ: certlib {short}"
            if problem:
                failures.append(
                    f"{sc.id} -purpose {sname}: {problem}\n  openssl: {real}\n"
                    f"  certlib: {outcome} ({rule}, {short})\n{sc.describe()}"
                )
    print(f"openssl verify oracle: {len(answers)} pairs, seed {SEED}, {spent:.1f} s, {dict(agree)}")
    print(f"errors: {sorted(errors.items())}")
    assert not failures, (
        f"{len(failures)} disagreement(s) with openssl verify (seed {SEED}; rerun with "
        f"CERTLIB_OSSL_ORACLE_SEED={SEED}):\n\n" + "\n\n".join(failures[:30])
    )
    assert agree[(True, True)] >= 500 * COUNT / 1100, dict(agree)
    assert agree[(False, False)] >= 3000 * COUNT / 1100, dict(agree)
    scale = COUNT / 1100
    thin = {c: errors[c] for c, n in MIN_ERRORS.items() if errors[c] < n * scale}
    assert not thin, f"openssl errors met too rarely (seed {SEED}): {thin} of {dict(errors)}"


def test_corpus_features_occur(oracle) -> None:
    cases, _answers, _spent = oracle
    features = Counter(f for sc in cases for f in sc.features)
    thin = {f: features[f] for f in FEATURES if features[f] < MIN_FEATURE * COUNT / 1100}
    assert not thin, f"corpus features too rare (seed {SEED}): {thin}"


def test_openssl_runs_stay_within_budget(oracle) -> None:
    """Forging and 5,500 `openssl verify` runs on two cores: well under a minute."""
    _cases, _answers, spent = oracle
    assert spent < 90, f"the oracle took {spent:.0f} s"
