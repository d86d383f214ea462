"""The one inventory pipeline: a sink plugs in, the run owns its memo, passes hand records.

``read_inventory`` and ``stream_inventory`` are two sinks of :func:`certlib.inventory.pipeline.
run`; a third (here a counting sink, as a Dask partition writer would be) gets the same
certificates in the same order, with its ``shape`` run in the worker processes. Whatever is
reused across certificates lives in a memo the run creates and hands down (also to the
profiles, as ``Context.memo``), never in module state.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

from certlib import profiles as purpose
from certlib.cert.forge import PRESETS, forge
from certlib.core.memo import Memo
from certlib.inventory import judge as inventory_judge
from certlib.inventory import pipeline, read_inventory
from certlib.inventory.records import Job, Judged

AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
SEED = "pipeline-tests"


@pytest.fixture(scope="module")
def pile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A root, an intermediate and 12 leaves under it, one broken file."""
    d = tmp_path_factory.mktemp("pipeline")
    root = forge(PRESETS["root_ca"], seed=SEED)
    ica = forge(PRESETS["intermediate_ca"], root, seed=SEED)
    leaves = [forge(PRESETS["iis_server"], ica, seed=f"{SEED}-{i}") for i in range(12)]
    (d / "cas.pem").write_bytes(root.pem + ica.pem)
    for i, leaf in enumerate(leaves):
        (d / f"leaf{i:02d}.pem").write_bytes(leaf.pem)
    (d / "broken.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n")
    return d


def _count(judged: Judged, _job: Job) -> dict[str, Any]:
    """The counting sink's shape: what a partition writer would need, and where it ran."""
    return {
        "sha256": list(judged.frame["sha256"]),
        "errors": len(judged.errors),
        "pid": os.getpid(),
    }


class CountingSink:
    """A third sink: counts rows and notes which process shaped each chunk."""

    spill = True  # DERs spilled, as a partition writer over a huge pile would ask
    shape = staticmethod(_count)

    def __init__(self) -> None:
        self.parts: list[dict[str, Any]] = []

    def add(self, part: dict[str, Any]) -> None:
        self.parts.append(part)

    def close(self, errors: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "sha256": [s for p in self.parts for s in p["sha256"]],
            "errors": len(errors) + sum(p["errors"] for p in self.parts),
            "pids": {p["pid"] for p in self.parts},
        }


@pytest.mark.parametrize("workers", [1, 2])
def test_a_third_sink_gets_the_rows_read_inventory_gets(
    pile: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from certlib.inventory import pool as inventory_pool

    monkeypatch.setattr(inventory_pool, "_CHUNK", 4)  # several chunks of a small pile
    monkeypatch.setattr(inventory_pool, "_CHUNK_MAX", 4)
    df = read_inventory(pile, at=AT, workers=workers)
    options = pipeline.Options.of(at=AT, workers=workers)
    got = pipeline.run(pile, CountingSink(), options)
    ok = df[df["status"] != "error"]
    assert len(ok) == 14 and (df["status"] == "error").sum() == 1
    assert got["sha256"] == list(ok["sha256"])
    assert got["errors"] == 1
    if workers == 1:
        assert got["pids"] == {os.getpid()}
    else:  # shaped in the workers, not here
        assert os.getpid() not in got["pids"] and len(got["pids"]) >= 1


def test_the_run_owns_one_memo_and_hands_it_to_the_profiles(
    pile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Memo] = []
    real_memo, real_judge = inventory_judge.run_memo, purpose.judge
    seen: list[Memo] = []

    def memo() -> Memo:
        made.append(real_memo())
        return made[-1]

    def judge(cert, profile, purposes, ctx):
        seen.append(ctx.memo)
        return real_judge(cert, profile, purposes, ctx)

    monkeypatch.setattr(inventory_judge, "run_memo", memo)
    monkeypatch.setattr(purpose, "judge", judge)
    for _ in range(2):
        read_inventory(pile, at=AT, workers=1)
    assert len(made) == 2  # one per run
    assert made[0] is not made[1]
    # every verdict of a run was judged in that run's memo, and the memo was used
    assert 2 <= len(seen) <= 2 * 14
    assert {id(m) for m in seen} == {id(made[0]), id(made[1])}
    for m in made:
        assert len(m.table(inventory_judge._OUTCOMES)) >= 1


def test_judge_keeps_no_module_state(pile: Path) -> None:
    """After a run, the judge module holds no tables a run filled (only constants)."""

    def state() -> dict[str, str]:
        return {
            k: repr(v)
            for k, v in vars(inventory_judge).items()
            if not k.startswith("__") and not callable(v)
        }

    before = state()
    read_inventory(pile, at=AT, workers=1)
    assert state() == before
    assert len(before) >= 4  # the constants it does hold (MEMOISE, MEMO_LIMIT, table names)

    def imported(name: str, value: object) -> bool:  # e.g. FINDINGS, a constant of its module
        return any(
            getattr(m, name, None) is value
            for n, m in list(sys.modules.items())
            if n.startswith("certlib.") and m is not inventory_judge
        )

    tables = [
        k
        for k, v in vars(inventory_judge).items()
        if not k.startswith("__") and isinstance(v, dict | set | list) and not imported(k, v)
    ]
    assert tables == [], tables


def test_a_job_is_a_typed_record_that_pickles(pile: Path) -> None:
    """What the main process sends a worker and what comes back: named fields, no tuples."""
    from certlib.inventory import pool as inventory_pool
    from certlib.inventory.link import _link_cas
    from certlib.inventory.read import collect_files
    from certlib.inventory.records import Item, Judgement

    class Bar:
        def update(self, _n: int) -> None:
            pass

    files = list(pipeline.iter_input_files([pile]))
    pile_ = collect_files(files, (), Bar())
    links = _link_cas(pile_.entries)
    assert len(pile_.entries) == 14 and len(pile_.errors) == 1
    assert len(links.ca_ders) == 2
    assert links.issued == frozenset()  # no CA here has a SAN: none could be ca-as-leaf
    jobs = list(inventory_pool._jobs(pile_.entries, links, "rfc5280", AT, 8))
    assert [len(j.items) for j in jobs] == [8, 6]
    job = pickle.loads(pickle.dumps(jobs[0]))
    assert all(type(i) is Item for i in job.items)
    assert job.children == frozenset(i.sha for i in job.items if i.sha in links.issued)
    judged = inventory_judge.judge_chunk(job, Memo())
    assert type(judged) is Judged and len(judged.frame) == 8 and judged.errors == []
    results = [
        inventory_judge._judge_one(item, job, lambda s: None, [], Memo()) for item in job.items
    ]
    assert all(type(r) is Judgement for r in results)
    assert "_row" not in judged.frame.columns and "_ca_leaf" not in judged.frame.columns


def test_a_worker_sends_no_der_back_and_the_main_process_attaches_it(pile: Path) -> None:
    """The main process sent the chunk's DER and keeps it: what a worker pickles back for
    ``read_inventory`` holds none of it, and the frame sink's ``attach`` gives exactly the
    chunk judged in one process. (The Parquet sink has no ``attach``: its Arrow tables carry
    the DER in one buffer, cheaper to send than to put back.)"""
    import pandas as pd

    from certlib.inventory import pool as inventory_pool
    from certlib.inventory.link import _link_cas
    from certlib.inventory.read import collect_files
    from certlib.inventory.sink import FrameSink
    from certlib.inventory.stream import ParquetSink

    class Bar:
        def update(self, _n: int) -> None:
            pass

    pile_ = collect_files(list(pipeline.iter_input_files([pile])), (), Bar())
    links = _link_cas(pile_.entries)
    jobs = list(inventory_pool._jobs(pile_.entries, links, "rfc5280", AT, 8))
    assert not hasattr(ParquetSink, "attach")
    checked = 0
    for job in jobs:
        sent = pickle.dumps(inventory_pool._work(job, FrameSink.shape, True))
        assert not any(item.der in sent for item in job.items)
        got = FrameSink.attach(pickle.loads(sent), job)
        serial = inventory_pool._work(job, FrameSink.shape)  # as a one-process run keeps it
        assert all(item.der in pickle.dumps(serial) for item in job.items)
        pd.testing.assert_frame_equal(got.frame, serial.frame)
        assert got.errors == serial.errors == []
        assert list(got.frame["der"]) == [item.der for item in job.items]
        checked += len(got.frame)
    assert checked == 14
