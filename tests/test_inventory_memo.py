"""Memoised verdict outcomes in the inventory equal outcomes computed afresh.

``read_inventory`` judges a certificate once per distinct (what the profile reads of it, its
place in the chain) and reuses the six outcomes for the next certificate with the same key
(``purpose.outcome_key`` + ``inventory._chain_key``). The oracle is the inventory itself with
the memo switched off: on a corpus built to vary everything a verdict depends on — certgen's
odd extensions, the sample inventory's chains, expired and not-yet-valid leaves, CA names
shared by different keys, and every x509-limbo case's certificates in one pile — both frames
must be identical, and the memo must actually have been used.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import replace
from pathlib import Path

import certgen
import pandas as pd
import pytest
from conftest import ROOT, SHARED

from certlib import inventory, purpose
from certlib.forge import PRESETS, forge

AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def _forged(folder: Path) -> int:
    """Chains whose leaves differ in validity, and a CA name shared by two keys."""
    root = forge(PRESETS["root_ca"], seed="memo")
    ica = forge(PRESETS["intermediate_ca"], root, seed="memo")
    twin = forge(PRESETS["intermediate_ca"], root, seed="memo-twin")  # same name, other key
    n = 0
    for i in range(40):
        spec = replace(
            PRESETS[("iis_server", "dual_use", "user_client", "no_eku")[i % 4]],
            common_name=f"m{i}.memo.example",
            sans=(f"DNS:m{i}.memo.example",),
            not_before=dt.datetime(2020 + i % 9, 1, 1, tzinfo=dt.UTC),
            validity_days=(30, 400, 4000)[i % 3],
        )
        leaf = forge(spec, (ica, twin)[i % 5 == 0], seed="memo")
        (folder / f"leaf{i}.pem").write_bytes(leaf.pem)
        n += 1
    for f in (root, ica, twin):
        (folder / f"ca-{f.sha256[:8]}.pem").write_bytes(f.pem)
    return n + 3


def _limbo(folder: Path) -> int:
    data = json.loads((SHARED / "external" / "x509-limbo-eku-ku.json").read_text())
    n = 0
    for case in data["testcases"]:
        pems = [*case["trusted_certs"], *case["untrusted_intermediates"], case["peer_certificate"]]
        for i, pem in enumerate(pems):
            (folder / f"{case['id'].replace(':', '_')}-{i}.pem").write_text(pem)
            n += 1
    return n


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("memo")
    shutil.copytree(ROOT / "data" / "sample-inventory", folder / "sample")
    (folder / "certgen").mkdir()
    gens = certgen.generate(300)
    for g in gens:
        (folder / "certgen" / f"{g.index:04d}.der").write_bytes(g.certificate.public_bytes(_DER))
    for name, root in certgen.roots().items():
        (folder / "certgen" / f"root-{name}.pem").write_bytes(root.pem)
    (folder / "forged").mkdir()
    (folder / "limbo").mkdir()
    n = len(gens) + 2 + _forged(folder / "forged") + _limbo(folder / "limbo")
    return folder, n


from cryptography.hazmat.primitives.serialization import Encoding  # noqa: E402

_DER = Encoding.DER


def _scan(folder: Path, memo: bool, monkeypatch: pytest.MonkeyPatch, profile: str):
    monkeypatch.setattr(inventory, "_MEMO", memo)
    inventory._OUTCOMES.clear()
    inventory._IIS.clear()
    calls = {"n": 0}
    real = purpose._run

    def counting(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(purpose, "_run", counting)
    df = inventory.read_inventory(folder, workers=1, progress=False, at=AT, profile=profile)
    monkeypatch.setattr(purpose, "_run", real)
    return df, calls["n"]


@pytest.mark.parametrize("profile", ["rfc5280", "openssl"])
def test_memoised_outcomes_equal_fresh_ones(
    corpus: tuple[Path, int], monkeypatch: pytest.MonkeyPatch, profile: str
) -> None:
    folder, n_files = corpus
    fresh, fresh_calls = _scan(folder, False, monkeypatch, profile)
    memo, memo_calls = _scan(folder, True, monkeypatch, profile)
    ok = fresh[fresh["status"] != "error"]
    assert len(ok) >= 400, len(ok)  # the corpus really is varied and large
    assert fresh_calls == 6 * len(ok)
    pd.testing.assert_frame_equal(memo, fresh)
    if profile == "rfc5280":
        # at least the 40 forged leaves of 4 shapes mostly come from the memo
        assert memo_calls <= fresh_calls - 6 * 30, (memo_calls, fresh_calls)
        # the chain-aware part is exercised: many linked, rooted leaves
        assert (ok["chain_complete"] & ok["issuer_sha256"].notna()).sum() >= 250
        assert n_files >= 400
    else:  # profiles without a declared outcome_key are never memoised
        assert memo_calls == fresh_calls


def test_findings_from_rows_equal_findings_from_certificates(corpus: tuple[Path, int]) -> None:
    """The inventory reads findings' inputs from the decoded row; the oracle re-reads them
    through cryptography (key, signature hash, SAN) for every certificate of the corpus."""
    from cryptography import x509

    from certlib import sources
    from certlib.decode import decode
    from certlib.facts import facts
    from certlib.findings import cert_findings

    folder, _n = corpus
    compared = with_row = 0
    for found in sources.read_certificates(folder):
        if not isinstance(found, sources.Found):
            continue
        try:
            cert = x509.load_der_x509_certificate(found.der)
        except ValueError:
            continue
        row, f = decode(cert), facts(cert)
        kw = {
            "at": AT,
            "self_signed": bool(row["self_signed"]),
            "decode_errors": row["decode_errors"],
        }
        assert cert_findings(cert, f, row=row, **kw) == cert_findings(cert, f, **kw)
        compared += 1
        with_row += inventory_row_usable(row)
    assert compared >= 400
    assert with_row >= 300  # the row really stood in for most certificates


def inventory_row_usable(row) -> bool:
    from certlib.findings import _row_inputs

    return _row_inputs(row) is not None
