"""``read_inventory_dask`` (:mod:`certlib.scale.plan`) on a 2-process LocalCluster gives
``read_inventory``'s frame: the sample, a hostile pile and ≥ 20,000 forged certificates whose
issuers sit in other partitions than their leaves; a worker killed mid-run changes nothing."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import scaled
from scaled import (
    AT,
    FILES_PER_PART,
    LEAF_FILES,
    LEAVES_PER_FILE,
    PASSWORD,
    SAMPLE,
    assert_same,
    canonical,
)

from certlib.inventory import read_inventory
from certlib.scale import read_inventory_dask
from certlib.scale.inputs import list_inputs, partitions


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with scaled.two_workers() as client:
        yield client


@pytest.fixture(scope="module")
def forged_corpus(tmp_path_factory) -> Path:
    """Forged once (seeded)."""
    return scaled.forged_corpus(tmp_path_factory.mktemp("scale-forged"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Iterator[Path]:
    with scaled.hostile_corpus(tmp_path_factory.mktemp("scale-hostile")) as top:
        yield top


def _both(path, size: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    want = read_inventory(path, passwords=[PASSWORD], at=AT, workers=1)
    ddf = read_inventory_dask(path, passwords=[PASSWORD], at=AT, partition_size=size)
    return ddf.compute(), want


def test_sample_equals_read_inventory(cluster) -> None:
    got, want = _both(SAMPLE, 4)
    assert len(want) == 18 and (want["status"] == "error").sum() >= 1
    assert_same(got, want)


def test_hostile_pile_equals_read_inventory(cluster, hostile: Path) -> None:
    got, want = _both(hostile, 7)
    kinds = set(want["error_kind"].dropna())
    assert {"fifo", "socket", "dangling-link", "link-loop", "zip-limit", "corrupt"} <= kinds
    assert want["findings"].map(lambda v: "issuer-unusable" in v).sum() == 4
    assert want["findings"].map(lambda v: "ca-as-leaf" in v).sum() >= 2
    assert (want["signature_hash"] == "sha1").sum() >= 2
    assert (want["status"] == "error").sum() >= 8
    assert_same(got, want)


def _partition_of(corpus: Path) -> dict[str, int]:
    part_of = {}
    for number, inputs in partitions(list_inputs([corpus]), FILES_PER_PART):
        for _kind, path, _problem in inputs:
            part_of[Path(path).name] = number
    return part_of


def test_forged_issuers_in_other_partitions(cluster, forged_corpus: Path) -> None:
    want = read_inventory(forged_corpus, at=AT)
    got = read_inventory_dask(forged_corpus, at=AT, partition_size=FILES_PER_PART).compute()
    assert_same(got, want)
    ok = want[want["status"] == "ok"]
    assert len(ok) >= LEAF_FILES * LEAVES_PER_FILE  # 20,000 leaves and their issuers
    part_of = _partition_of(forged_corpus)
    by_sha = ok.set_index("sha256")
    leaves = ok[ok["source_path"].str.contains("a-leaves-")]
    assert len(leaves) == LEAF_FILES * LEAVES_PER_FILE
    apart = 0
    for leaf_file, issuer, chain in zip(
        leaves["source_path"], leaves["issuer_sha256"], leaves["chain_sha256"], strict=True
    ):
        leaf_part = part_of[Path(leaf_file).name]
        ica_part = part_of[Path(by_sha.at[issuer, "source_path"]).name]
        root_part = part_of[Path(by_sha.at[chain[-1], "source_path"]).name]
        apart += leaf_part != ica_part and ica_part != root_part and len(chain) == 2
    assert apart == len(leaves)  # every leaf's issuer and root sit in other partitions
    dups = ok[ok["source_count"] > 1]
    assert len(dups) == FILES_PER_PART - 1  # leaves seen again in the intermediates' partition
    assert ok["findings"].map(lambda v: "ca-as-leaf" in v).sum() == 1  # lone, not issuing-ca


def test_a_worker_killed_mid_run_gives_the_same_frame(cluster, hostile: Path) -> None:
    from distributed import wait

    want = read_inventory(hostile, passwords=[PASSWORD], at=AT, workers=1)
    ddf = read_inventory_dask(hostile, passwords=[PASSWORD], at=AT, partition_size=8)
    fut = cluster.compute(ddf)
    deadline = time.monotonic() + 60
    victim = None
    while victim is None and time.monotonic() < deadline:
        busy = cluster.processing()
        victim = next((w for w, keys in busy.items() if keys), None)
        time.sleep(0.05)
    assert victim is not None
    killed = cluster.run(os.getpid, workers=[victim])[victim]
    os.kill(killed, 9)
    wait(fut, timeout=300)
    got = fut.result()
    assert_same(got, want)
    pids = set(cluster.run(os.getpid).values())
    assert killed not in pids and len(pids) == 2  # the nanny started a new worker
    assert canonical(got)["sha256"].notna().sum() == want["sha256"].notna().sum()


#: The memory proof: files of leaves at N and 4N, the same partition size (in files).
PILE_FILES, PILE_PER_FILE, PILE_PART = 8, 150, 4


def _partition_der_bytes(pile: Path) -> int:
    """The DER bytes of the certificates in one full partition of leaf files."""
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509 import load_pem_x509_certificates

    files = sorted(pile.glob("a-*.pem"))[:PILE_PART]
    return sum(
        len(c.public_bytes(Encoding.DER))
        for f in files
        for c in load_pem_x509_certificates(f.read_bytes())
    )


@pytest.mark.parametrize("exact", [False, True])
def test_worker_memory_is_bounded_by_the_partition_not_the_input(
    cluster, tmp_path: Path, exact: bool
) -> None:
    """Each worker's peak managed memory (the task results Dask holds) at N and 4N
    certificates stays below the DER bytes of one partition: no step holds the certificates
    of several partitions (before the staging store every distinct partition was held from
    the SHA-256 shuffle to the judge: several times this bound at N, four times more at 4N)."""
    from certlib.scale.write import prepare_folder

    cluster.register_plugin(scaled.PeakManaged())
    peak, judged = {}, {}
    for scale_ in (1, 4):
        pile = tmp_path / f"pile-{scale_}"
        pile.mkdir()
        scaled.forged_pile(pile, PILE_FILES * scale_, PILE_PER_FILE)
        bound = _partition_der_bytes(pile)
        out = prepare_folder(tmp_path / f"out-{scale_}")
        ddf = read_inventory_dask(
            pile, at=AT, partition_size=PILE_PART, exact_categories=exact, write_to=out
        )
        scaled.peaks(cluster, reset=True)
        tallies = ddf.compute()  # each partition written where it was judged
        per_worker = scaled.peaks(cluster).values()
        peak[scale_] = max(p for p, _n in per_worker)
        judged[scale_] = sum(n for _p, n in per_worker)
        reads = -(-(PILE_FILES * scale_ + 1) // PILE_PART)  # the CA file is one more input
        assert len(tallies) == ddf.npartitions == 2 * reads  # judged + error partitions
        assert tallies["rows"].sum() == PILE_FILES * scale_ * PILE_PER_FILE + 5
        assert len(list(out.glob("part-*.parquet"))) == 2 * reads
        assert 0 < peak[scale_] < bound, (scale_, peak, bound)
    assert judged == {1: 3, 4: 9}  # every distinct partition judged once


@pytest.mark.parametrize("case", ["garbage", "one", "empty", "missing"])
def test_edge_piles_equal_read_inventory(tmp_path: Path, case: str) -> None:
    """Piles with no certificate, one file, no file at all, a missing path (threaded
    scheduler)."""
    import dask

    pile = tmp_path / case
    if case != "missing":
        pile.mkdir()
    if case == "garbage":
        (pile / "a.pem").write_bytes(b"nope\n")
        (pile / "b.txt").write_bytes(b"")
    if case == "one":
        shutil.copyfile(SAMPLE / "chain.pem", pile / "one.pem")
    want = read_inventory(pile, at=AT, workers=1)
    with dask.config.set(scheduler="threads"):
        got = read_inventory_dask(pile, at=AT).compute()
    rows = {"garbage": 2, "one": 2, "empty": 0, "missing": 1}[case]
    assert len(want) == rows and (want["status"] == "error").sum() == (rows if case != "one" else 0)
    assert_same(got, want)
