"""Memoised verdict outcomes in the inventory equal outcomes computed afresh.

``read_inventory`` judges a certificate once per distinct (what the profile reads of it, its
place in the chain) and reuses the six outcomes for the next certificate with the same key
(``purpose.outcome_key`` + ``inventory_judge._chain_key``, in the run's memo). The oracle is
the inventory itself with the memo switched off: on a corpus built to vary everything a
verdict depends on — certgen's odd extensions, the sample inventory's chains, expired and
not-yet-valid leaves, CA names shared by different keys, and every x509-limbo case's
certificates in one pile — both frames must be identical, and the memo must actually have been
used.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from memo_corpus import AT, build, scan


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("memo")
    return folder, build(folder)


def test_memoised_outcomes_equal_fresh_ones(
    corpus: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, n_files = corpus
    fresh, fresh_calls = scan(folder, False, monkeypatch, "rfc5280")
    memo, memo_calls = scan(folder, True, monkeypatch, "rfc5280")
    ok = fresh[fresh["status"] != "error"]
    assert len(ok) >= 450, len(ok)  # the corpus really is varied and large
    assert n_files >= 450
    assert fresh_calls == 6 * len(ok)
    pd.testing.assert_frame_equal(memo, fresh)
    # the forged leaves share shapes: many of them come from the memo
    assert memo_calls <= fresh_calls - 6 * 30, (memo_calls, fresh_calls)
    # the chain-aware part is exercised: many linked, rooted leaves
    assert (ok["chain_complete"] & ok["issuer_sha256"].notna()).sum() >= 250


def test_a_profile_without_outcome_key_is_never_memoised(
    corpus: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from certlib import profiles as purpose

    folder, _n = corpus
    import dataclasses

    unkeyed = dataclasses.replace(purpose.REGISTRY["rfc5280"], outcome_key=None)
    monkeypatch.setitem(purpose.REGISTRY, "rfc5280", unkeyed)
    fresh, fresh_calls = scan(folder, False, monkeypatch, "rfc5280")
    memo, memo_calls = scan(folder, True, monkeypatch, "rfc5280")
    assert memo_calls == fresh_calls == 6 * int((fresh["status"] != "error").sum())
    pd.testing.assert_frame_equal(memo, fresh)


def test_findings_from_rows_equal_findings_from_certificates(corpus: tuple[Path, int]) -> None:
    """The inventory reads findings' inputs from the decoded row; the oracle re-reads them
    through cryptography (key, signature hash, SAN) for every certificate of the corpus."""
    from cryptography import x509

    from certlib import sources
    from certlib.cert.decode import decode
    from certlib.cert.facts import facts
    from certlib.cert.findings import cert_findings

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
    from certlib.cert.findings import _row_inputs

    return _row_inputs(row) is not None


def test_a_key_function_may_ask_for_the_certificate_time_and_chain(
    corpus: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``outcome_key(f, *, cert, at, chain)``: profiles whose verdicts read more than the facts
    get the certificate, the reference time and the chain (leaf's issuer first)."""
    from cryptography import x509

    from certlib import profiles as purpose
    from certlib.profiles import rfc5280

    seen: list[tuple] = []

    def keyed(f, *, cert, at, chain, memo):
        seen.append((cert, at, chain))
        return (rfc5280.outcome_key(f), cert.serial_number)  # unique: nothing is shared

    import dataclasses

    keyed_profile = dataclasses.replace(purpose.REGISTRY["rfc5280"], outcome_key=keyed)
    monkeypatch.setitem(purpose.REGISTRY, "rfc5280", keyed_profile)
    folder, _n = corpus
    fresh, _calls = scan(folder, False, monkeypatch, "rfc5280")
    assert not seen  # the memo off: no key asked for
    memo, _calls = scan(folder, True, monkeypatch, "rfc5280")
    pd.testing.assert_frame_equal(memo, fresh)
    assert len(seen) >= 300  # every certificate but the self-signed and unloadable ones
    assert all(isinstance(c, x509.Certificate) and a == AT for c, a, _ch in seen)
    assert sum(1 for *_x, ch in seen if ch) >= 250  # leaves with their chain handed over


def test_the_memo_does_not_carry_outcomes_to_a_scan_at_another_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A leaf valid 2026-2040 under an intermediate valid until 2030: at 2027 the path holds,
    at 2035 it does not (the intermediate expired) though the leaf alone is still valid. Each
    run owns its memo; here one memo is handed to three scans (as a memo that outlived its run
    would be) and the second must still not reuse the first's answer: the key holds ``at``."""
    import datetime as dt
    from dataclasses import replace

    from certlib import inventory
    from certlib.cert.forge import PRESETS, forge
    from certlib.inventory import judge as inventory_judge

    shared = inventory_judge.run_memo()
    monkeypatch.setattr(inventory_judge, "run_memo", lambda: shared)

    t0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    root = forge(replace(PRESETS["root_ca"], not_before=t0, validity_days=9000), seed="memo-at")
    ica = forge(
        replace(PRESETS["intermediate_ca"], not_before=t0, validity_days=5 * 365), root, seed="m"
    )
    leaf = forge(
        replace(PRESETS["iis_server"], not_before=t0, validity_days=15 * 365), ica, seed="m"
    )
    (tmp_path / "chain.pem").write_bytes(leaf.pem + ica.pem + root.pem)
    answers = {}
    for year in (2027, 2035, 2027):
        at = dt.datetime(year, 6, 1, tzinfo=dt.UTC)
        df = inventory.read_inventory(tmp_path, at=at, workers=1).set_index("sha256")
        answers.setdefault(year, []).append(df.loc[leaf.sha256, "tls_server"])
    assert answers[2027] == ["allowed", "allowed"]
    assert answers[2035] == ["denied"]
    # the memo was used: leaf and intermediate, at each of the two times
    assert len(shared.table(inventory_judge._OUTCOMES)) == 4
