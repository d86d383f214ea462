"""``certlib scan --dask`` (:mod:`certlib.cli.cluster`): a scheduler address and ``local``,
the Parquet folder, the summary, exit codes and ``--fail-on``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import scaled
from bounded import run_cli
from scaled import AT, PASSWORD, SAMPLE, assert_same

from certlib.inventory import load_inventory, read_inventory


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with scaled.two_workers() as client:
        yield client


def test_cli_dask_on_a_scheduler_address(cluster, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    address = cluster.scheduler.address
    args = ["scan", str(SAMPLE), "--password", PASSWORD, "--at", AT.isoformat()]
    res = run_cli(*args, "--dask", address, "-o", str(out), timeout=300)
    assert not res.timed_out and res.returncode == 0, res.stderr
    want = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT, workers=1)
    assert_same(load_inventory(out), want)
    parts = sorted(p.name for p in out.iterdir())
    assert len(parts) >= 1 and all(p.startswith("part-") for p in parts), parts  # no staging
    certs = int((want["status"] != "error").sum())
    assert f"{certs} certificate(s)" in res.stderr
    assert PASSWORD not in res.stderr + res.stdout
    again = run_cli(*args, "--dask", address, "-o", str(out), timeout=300)
    assert again.returncode == 2 and "exists" in again.stderr  # no --force: refused
    forced = run_cli(*args, "--dask", address, "-o", str(out), "--force", "--fail-on", "error")
    assert forced.returncode == 1 and "fail-on: found error" in forced.stderr
    assert not (out / ".certlib-staging").exists()


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
