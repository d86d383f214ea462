"""``purpose_text`` against the real ``openssl x509 -purpose -noout``, byte for byte.

1,200 seeded certificates from :mod:`certgen` cover EKU (absent, empty, subsets with anyEKU,
both SGC OIDs, unknown OIDs, Smart Card Logon, timeStamping, OCSPSigning; critical or not), KU
(absent, empty, subsets), basicConstraints (absent, CA, not CA, with pathLen, pathLen with
cA FALSE), nsCertType, RSA/EC, self-signed v3/v1, issued, self-issued names that differ in
case/spacing/string type, duplicate extensions and malformed or merely BER-lenient DER. Zero
mismatches are allowed. The model under test is chosen from ``openssl version``.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from pathlib import Path

import certgen
import pytest
from openssl_version import model_version

from certlib.profiles.openssl import purpose_text

N_CERTS = 1200

#: Minimum number of certificates per combination class (certgen.GenCert.classes).
MIN_CLASS_COUNTS: dict[str, int] = {
    "eku_absent": 100,
    "eku_empty": 30,
    "eku_any": 30,
    "eku_ms_sgc": 20,
    "eku_ns_sgc": 20,
    "eku_unknown": 20,
    "eku_smart_card": 20,
    "eku_timestamp": 50,
    "eku_timestamp_only_critical": 5,
    "eku_ocsp": 30,
    "eku_critical": 50,
    "ku_absent": 100,
    "ku_empty": 30,
    "ku_bits": 200,
    "bc_absent": 100,
    "bc_ca": 50,
    "bc_ca_pathlen": 30,
    "bc_notca": 50,
    "bc_notca_pathlen": 20,
    "ns": 100,
    "rsa": 50,
    "ec": 500,
    "self_signed": 200,
    "issued": 300,
    "v1": 100,
    "v1_self": 10,
    "v1_ext": 20,
    "v1_ext_bad_aki": 5,
    "name_variant": 20,
    "signer_own": 5,
    "signer_other ec": 5,
    "signer_rsa": 5,
    "duplicate": 30,
    "malformed": 50,
    "lenient": 50,
    "ignored_garbage": 10,
    "unknown_critical": 10,
}


@pytest.fixture(scope="module")
def corpus(openssl_bin: str, tmp_path_factory: pytest.TempPathFactory):
    """(generated certificate, openssl stdout, openssl stderr) for every certificate."""
    gens = certgen.generate(N_CERTS)
    d: Path = tmp_path_factory.mktemp("purpose")
    names = []
    for g in gens:
        name = f"{g.index:05d}.pem"
        (d / name).write_bytes(g.pem)
        names.append(name)
    script = 'for f do "$0" x509 -purpose -noout -in "$f" > "$f.out" 2> "$f.err"; done'
    jobs = str(max(2, os.cpu_count() or 2))
    subprocess.run(
        ["xargs", "-0", "-P", jobs, "-n", "50", "sh", "-c", script, openssl_bin],
        input="\0".join(names).encode(),
        cwd=d,
        check=True,
    )
    return [
        (g, (d / f"{n}.out").read_text(), (d / f"{n}.err").read_text())
        for g, n in zip(gens, names, strict=True)
    ]


def test_purpose_text_matches_the_binary_for_every_generated_certificate(
    corpus, openssl_bin: str
) -> None:
    version = model_version(openssl_bin)
    assert len(corpus) >= 1000
    mismatches = []
    for g, real, err in corpus:
        ours = purpose_text(g.certificate, version=version)
        if ours != real:
            mismatches.append((g, real, ours, err))
    if mismatches:
        report = [f"{len(mismatches)} of {len(corpus)} certificates differ from openssl:"]
        for g, real, ours, err in mismatches[:10]:
            report.append(certgen.summary(g))
            real_lines, our_lines = real.splitlines(), ours.splitlines()
            for i in range(max(len(real_lines), len(our_lines))):
                a = real_lines[i] if i < len(real_lines) else "<missing>"
                b = our_lines[i] if i < len(our_lines) else "<missing>"
                if a != b:
                    report.append(f"    openssl: {a!r}  certlib: {b!r}")
            if err.strip():
                report.append(f"    stderr: {err.strip()[:300]}")
        pytest.fail("\n".join(report))


def test_every_combination_class_was_generated(corpus) -> None:
    counts = Counter(c for g, _real, _err in corpus for c in g.classes)
    short = {k: (counts[k], n) for k, n in MIN_CLASS_COUNTS.items() if counts[k] < n}
    assert not short, f"classes below their minimum (got, wanted): {short}"


def test_the_binary_gave_every_kind_of_answer(corpus) -> None:
    """Each line printed Yes and No somewhere, and every warning code appeared."""
    seen: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    for _g, real, _err in corpus:
        for line in real.splitlines()[1:]:
            name, _, answer = line.rpartition(" : ")
            seen[f"{name}={answer.split(' ')[0]}"] += 1
            m = re.search(r"code=(-?\d+)", answer)
            if m:
                codes[m.group(1)] += 1
    for code, minimum in {"-1": 100, "2": 10, "3": 10, "4": 10, "5": 10}.items():
        assert codes[code] >= minimum, (code, codes)
    names = {k.split("=")[0] for k in seen}
    for name in names - {"Any Purpose", "Any Purpose CA", "OCSP helper"}:
        assert seen[f"{name}=Yes"] >= 5 and seen[f"{name}=No"] >= 5, (name, seen)
    assert len(names) in (18, 20)
