"""Parquet out of a Dask scan (:mod:`certlib.scale.write`): the folder the workers write, and
Dask's own ``to_parquet`` with the inventory's schema, both read back by ``load_inventory`` and
pyarrow as ``read_inventory``'s frame."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import scaled
from scaled import AT, PASSWORD, SAMPLE, assert_same

from certlib.inventory import load_inventory, read_inventory
from certlib.scale import parquet_schema, read_inventory_dask
from certlib.scale.write import prepare_folder, summarise, tally_parts


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with scaled.two_workers() as client:
        yield client


def test_parquet_folder_reads_back_as_read_inventory(cluster, tmp_path: Path) -> None:
    """Under another profile than the default, which the other tests use."""
    kw = {"passwords": [PASSWORD], "at": AT, "profile": "openssl"}
    want = read_inventory(SAMPLE, workers=1, **kw)
    ddf = read_inventory_dask(SAMPLE, partition_size=5, exact_categories=False, **kw)
    folder = prepare_folder(tmp_path / "inv")
    tallies = tally_parts(ddf, folder).compute()
    parts = sorted(folder.glob("part-*.parquet"))
    assert len(parts) == ddf.npartitions >= 2
    assert pq.read_table(folder).num_rows == len(want)
    back = load_inventory(folder)
    assert back.attrs["profile"] == "openssl"
    assert_same(back, want)
    total = summarise(tallies)
    assert total["rows"] == len(want)
    assert total["files"] == len({f for fs in want["source_files"] for f in fs})


def test_dask_to_parquet_with_the_schema_reads_back(cluster, tmp_path: Path) -> None:
    want = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT, workers=1)
    ddf = read_inventory_dask(SAMPLE, passwords=[PASSWORD], at=AT, partition_size=6)
    ddf.to_parquet(tmp_path / "dask", write_index=False, schema=parquet_schema())
    assert len(list((tmp_path / "dask").glob("*.parquet"))) == ddf.npartitions
    assert pq.read_table(tmp_path / "dask").num_rows == len(want)
    assert_same(load_inventory(tmp_path / "dask"), want)


def test_an_output_folder_is_never_mixed(tmp_path: Path) -> None:
    folder = prepare_folder(tmp_path / "out")
    (folder / "part-00000.parquet").write_bytes(b"old")
    for refused in (
        lambda: prepare_folder(folder),
        lambda: prepare_folder(folder / "part-00000.parquet"),
    ):
        try:
            refused()
        except FileExistsError:
            continue
        raise AssertionError("an existing folder or file was accepted")
    assert prepare_folder(folder, overwrite=True) == folder
    assert list(folder.iterdir()) == []  # the old parts are gone
    (folder / "notes.txt").write_text("mine")
    try:
        prepare_folder(folder, overwrite=True)
    except FileExistsError as exc:
        assert "not inventory parts" in str(exc)
    else:
        raise AssertionError("a folder holding other files was emptied")
    assert (folder / "notes.txt").read_text() == "mine"
