"""What leaves a Dask scan: the Parquet folder (read back by ``load_inventory`` and pyarrow),
the CLI's ``--dask`` path (exit codes, ``--fail-on``, summary), inputs given as fsspec URLs,
and passwords, which no task graph shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from bounded import run_cli
from conftest import AT, PASSWORD, SAMPLE, assert_same

from certlib.inventory import load_inventory, read_inventory
from certlib.scale import read_inventory_dask
from certlib.scale.write import prepare_folder, summarise, tally_parts


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
    """Dask's own ``to_parquet`` with :func:`certlib.scale.parquet_schema`."""
    from certlib.scale import parquet_schema

    want = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT, workers=1)
    ddf = read_inventory_dask(SAMPLE, passwords=[PASSWORD], at=AT, partition_size=6)
    ddf.to_parquet(tmp_path / "dask", write_index=False, schema=parquet_schema())
    assert len(list((tmp_path / "dask").glob("*.parquet"))) == ddf.npartitions
    assert pq.read_table(tmp_path / "dask").num_rows == len(want)
    assert_same(load_inventory(tmp_path / "dask"), want)


def _scheduler(cluster) -> str:
    return cluster.scheduler.address


def test_cli_dask_on_a_scheduler_address(cluster, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    args = ["scan", str(SAMPLE), "--password", PASSWORD, "--at", AT.isoformat()]
    res = run_cli(*args, "--dask", _scheduler(cluster), "-o", str(out), timeout=300)
    assert not res.timed_out and res.returncode == 0, res.stderr
    want = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT, workers=1)
    assert_same(load_inventory(out), want)
    certs = int((want["status"] != "error").sum())
    assert f"{certs} certificate(s)" in res.stderr
    assert PASSWORD not in res.stderr + res.stdout
    again = run_cli(*args, "--dask", _scheduler(cluster), "-o", str(out), timeout=300)
    assert again.returncode == 2 and "exists" in again.stderr  # no --force: refused
    forced = run_cli(
        *args, "--dask", _scheduler(cluster), "-o", str(out), "--force", "--fail-on", "error"
    )
    assert forced.returncode == 1 and "fail-on: found error" in forced.stderr


def test_cli_dask_local_and_a_bad_address(tmp_path: Path) -> None:
    out = tmp_path / "local"
    res = run_cli("scan", str(SAMPLE), "--dask", "local", "-o", str(out), timeout=300)
    assert not res.timed_out and res.returncode == 0, res.stderr
    assert "dashboard: http" in res.stderr
    assert len(load_inventory(out)) == len(read_inventory(SAMPLE, workers=1))
    quick = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    bad = run_cli(
        "scan", str(SAMPLE), "--dask", "tcp://127.0.0.1:9", "-o", str(tmp_path / "x"), env=quick
    )
    assert bad.returncode == 2 and "Dask cluster" in bad.stderr
    assert not (tmp_path / "x").exists()
    stdout = run_cli("scan", str(SAMPLE), "--dask", "local", timeout=60)
    assert stdout.returncode == 2 and "-o FOLDER" in stdout.stderr


def test_memory_urls_are_read_as_files(tmp_path: Path) -> None:
    """fsspec URLs, read with the threaded scheduler (``memory://`` is per process)."""
    import dask
    import fsspec

    fs = fsspec.filesystem("memory")
    names = sorted(p.name for p in SAMPLE.iterdir() if p.is_file())
    for name in names:
        fs.pipe(f"/scale-sample/{name}", (SAMPLE / name).read_bytes())
    with dask.config.set(scheduler="threads"):
        got = read_inventory_dask(
            "memory://scale-sample/*", passwords=[PASSWORD], at=AT, partition_size=4
        ).compute()
    want = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT, workers=1)
    assert sorted(got["sha256"].dropna()) == sorted(want["sha256"].dropna())
    assert len(got) == len(want) and len(names) >= 10
    assert all(p.startswith("memory://scale-sample/") for p in got["source_path"])
    cols = ["sha256", "tls_server", "code_signing", "findings", "chain_sha256"]
    g = got.dropna(subset=["sha256"]).sort_values("sha256")[cols].reset_index(drop=True)
    w = want.dropna(subset=["sha256"]).sort_values("sha256")[cols].reset_index(drop=True)
    assert g.equals(w)


def test_passwords_are_in_no_graph_key_or_repr() -> None:
    secret = "Sc4le-s3cret-pw"
    ddf = read_inventory_dask(SAMPLE, passwords=[secret, PASSWORD], at=AT, partition_size=4)
    graph = dict(ddf.__dask_graph__())
    text = repr(graph) + repr(list(graph)) + str(ddf.expr) + repr(ddf)
    assert len(graph) > 50
    for shown in (secret, secret.encode().hex(), PASSWORD):
        assert shown not in text
    import dask

    assert dask.base.tokenize(secret) not in text


def test_import_certlib_does_not_import_dask() -> None:
    code = "import sys, certlib; certlib.read_inventory; print('dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
