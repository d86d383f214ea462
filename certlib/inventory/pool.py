"""Pass 3's plumbing: the worker pool, chunks of work, running them, progress bars.

:func:`start_pool` starts the workers (each with its own run memo, :func:`_start_worker`);
:func:`_jobs` cuts the distinct certificates into chunks (:func:`_chunk_size`) and ships each
with only the CA material it can need (:func:`_job`); :func:`_run` sends them to the pool a few
at a time and yields what the sink's ``shape`` makes of each judged chunk, in order, turning a
dead worker into error rows (:func:`_failed`) instead of an exception. ``_run`` looks up the
worker's judge, :func:`certlib.inventory.judge.judge_chunk`, in this module at call time, so
a test replaces it here.
"""

from __future__ import annotations

import datetime as _dt
import gc
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from certlib.core.memo import Memo
from certlib.inventory.frame import _chunk, _without_der
from certlib.inventory.judge import judge_chunk, run_memo
from certlib.inventory.records import NO_PATH, Failure, Item, Job, Judged, Links
from certlib.inventory.store import _MEMORY, Entry, _DerStore

#: What a worker makes of its judged chunk for the sink (:class:`certlib.inventory.sink.Sink`).
Shape = Callable[[Judged, Job], Any]
#: What the main process makes of a shaped chunk that came back without its rows' DER: the
#: sink's ``attach``, which puts it back from the job.
Attach = Callable[[Any, Job], Any]

_CHUNK = 256
_CHUNK_MAX = 2048

#: This worker process's run memo, made by :func:`_start_worker` in each process a pool of
#: :func:`start_pool` starts (a pool belongs to one run and ends with it). Never set in the
#: main process: a serial run passes its own memo down.
_WORKER_MEMO: Memo | None = None


def _start_worker() -> None:
    """The pool's initializer: a fresh memo for everything this worker judges in its run."""
    global _WORKER_MEMO
    _WORKER_MEMO = run_memo()


def _ping() -> int:
    return os.getpid()


def start_pool(workers: int) -> ProcessPoolExecutor | None:
    """Start ``workers`` processes now (None for 1) and wait until they run.

    Why now: workers are forked, so started after reading a million certificates each would
    begin with a copy of the whole index. Started early they stay small; started late
    (``workers=None`` decides after reading) ``gc.freeze()`` keeps the inherited objects
    shared copy-on-write instead of touched by the child's garbage collector.
    """
    if workers <= 1:
        return None
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker)
        for fut in [pool.submit(_ping) for _ in range(workers)]:
            fut.result()
    finally:
        gc.unfreeze()
    return pool


def _in_jupyter() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()  # type: ignore[attr-defined]
    except Exception:
        return False
    return ip is not None and hasattr(ip, "kernel")


def _bar(progress: bool | None, total: int, desc: str, long: bool):
    from tqdm.auto import tqdm

    show = long and (_in_jupyter() or sys.stderr.isatty()) if progress is None else bool(progress)
    return tqdm(total=total, desc=desc, unit="", disable=not show, file=sys.stderr, leave=False)


def _jobs(
    entries: dict[str, Entry],
    links: Links,
    profile: str,
    at: _dt.datetime,
    chunk: int,
    store: _DerStore = _MEMORY,
    memoise: bool = True,
) -> Iterator[Job]:
    batch: list[tuple[str, Entry]] = []
    for sha, e in entries.items():
        batch.append((sha, e))
        if len(batch) >= chunk:
            yield _job(_with_ders(batch, store), links, profile, at, memoise)
            batch = []
    if batch:
        yield _job(_with_ders(batch, store), links, profile, at, memoise)


def _with_ders(batch: list[tuple[str, Entry]], store: _DerStore) -> list[Item]:
    blobs = store.get_many([e.der for _s, e in batch])
    return [Item(sha, blob, e) for (sha, e), blob in zip(batch, blobs, strict=True)]


def _job(batch: list[Item], links: Links, profile: str, at: _dt.datetime, memoise: bool) -> Job:
    """Ship only the CA material this chunk can need."""
    need: set[str] = set()
    sub: dict[bytes, list[str]] = {}
    for item in batch:
        issuer = item.entry.issuer
        cands = links.by_subject.get(issuer, ()) if issuer is not None else ()
        if cands:
            sub[issuer] = cands  # type: ignore[index]
            for s in cands:
                need.add(s)
                need.update(links.ca_paths.get(s, NO_PATH).up)
    return Job(
        batch,
        {s: links.ca_ders[s] for s in need if s in links.ca_ders},
        {s: links.ca_paths[s] for s in need if s in links.ca_paths},
        sub,
        profile,
        at,
        children=frozenset(item.sha for item in batch if item.sha in links.issued),
        memoise=memoise,
    )


def _failed(job: Job, exc: BaseException) -> Judged:
    """A chunk whose worker died: every certificate in it becomes a named error row."""
    why = Failure("internal", f"worker process failed: {type(exc).__name__}: {exc}")
    return _chunk(job.items, [why] * len(job.items), job.children)


def _work(job: Job, shape: Shape, strip: bool = False) -> Any:
    """In a worker: judge the chunk with this process's run memo and shape it for the sink;
    ``strip``: leave the rows' DER out (the main process has it and attaches it again)."""
    memo = _WORKER_MEMO if _WORKER_MEMO is not None else run_memo()
    judged = judge_chunk(job, memo)
    return shape(_without_der(judged) if strip else judged, job)


def _result(fut: Future, job: Job, shape: Shape, attach: Attach | None = None) -> Any:
    try:
        part = fut.result()
    except Exception as exc:  # BrokenProcessPool, pickling errors: report, do not raise
        return shape(_failed(job, exc), job)
    return part if attach is None else attach(part, job)


def _run(
    jobs: Iterator[Job],
    workers: int,
    bar,
    shape: Shape,
    memo: Memo,
    pool: ProcessPoolExecutor | None = None,
    attach: Attach | None = None,
) -> Iterator[Any]:
    """``shape(judged chunk, job)`` for every job, in order: judged here with the run's
    ``memo``, or in ``pool`` with each worker's own; a job whose worker failed gives its
    certificates as error rows (:func:`_failed`) instead. With the sink's ``attach``, workers
    send their rows back without the DER the main process sent them, and ``attach`` puts it
    back."""
    if workers <= 1 or pool is None:
        for job in jobs:
            res = shape(judge_chunk(job, memo), job)  # looked up now: tests replace it
            bar.update(len(job.items))
            yield res
        return
    window: list[tuple[Future, Job]] = []
    for job in jobs:
        try:
            window.append((pool.submit(_work, job, shape, attach is not None), job))
        except Exception as exc:  # the pool is already broken
            yield shape(_failed(job, exc), job)
            bar.update(len(job.items))
            continue
        if len(window) >= workers * 3:
            fut, done = window.pop(0)
            yield _result(fut, done, shape, attach)
            bar.update(len(done.items))
    for fut, done in window:
        yield _result(fut, done, shape, attach)
        bar.update(len(done.items))


def _chunk_size(n: int, workers: int | None) -> int:
    """Big enough that building a frame per chunk is cheap per row, small enough that every
    worker gets several chunks (and the progress bar moves)."""
    per_worker = n // (max(1, workers or 1) * 4) + 1
    return max(_CHUNK, min(_CHUNK_MAX, per_worker))
