"""Pass 3's plumbing: chunks of work, the worker pool that runs them, progress bars.

:func:`_jobs` cuts the distinct certificates into chunks (:func:`_chunk_size`) and ships each
with only the CA material it can need (:func:`_job`); :func:`_run` sends them to the pool a few
at a time and yields results in order, turning a dead worker into error rows
(:func:`_failed`) instead of an exception. Starting the pool (``start_pool``, with its
``gc.freeze``) stays in :mod:`certlib.inventory`. ``_run`` looks up its default worker
function, :func:`certlib.inventory.judge._judge_chunk`, in this module at call time, so a test
replaces it here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from certlib.inventory.frame import _Chunk, _chunk
from certlib.inventory.judge import _Job, _judge_chunk
from certlib.inventory.store import _MEMORY, _DerStore, _Entry

_CHUNK = 256
_CHUNK_MAX = 2048


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
    entries, ders, paths, by_subject, profile, at, chunk, store: _DerStore = _MEMORY
) -> Iterator[_Job]:
    batch: list = []
    for sha, e in entries.items():
        batch.append((sha, e))
        if len(batch) >= chunk:
            yield _job(_with_ders(batch, store), ders, paths, by_subject, profile, at)
            batch = []
    if batch:
        yield _job(_with_ders(batch, store), ders, paths, by_subject, profile, at)


def _with_ders(batch: list[tuple[str, _Entry]], store: _DerStore) -> list:
    blobs = store.get_many([e.der for _s, e in batch])
    return [(sha, blob, e) for (sha, e), blob in zip(batch, blobs, strict=True)]


def _job(batch, ders, paths, by_subject, profile, at) -> _Job:
    """Ship only the CA material this chunk can need."""
    need: set[str] = set()
    sub: dict[bytes, list[str]] = {}
    for item in batch:
        issuer = item[2].issuer
        cands = by_subject.get(issuer, ()) if issuer is not None else ()
        if cands:
            sub[issuer] = cands
            for s in cands:
                need.add(s)
                need.update(paths.get(s, ((), False))[0])
    return _Job(
        batch,
        {s: ders[s] for s in need if s in ders},
        {s: paths[s] for s in need if s in paths},
        sub,
        profile,
        at,
    )


def _failed(job: _Job, exc: BaseException) -> _Chunk:
    """A chunk whose worker died: every certificate in it becomes a named error row."""
    why = f"worker process failed: {type(exc).__name__}: {exc}"
    return _chunk(job.items, [{"sha256": item[0], "_internal_error": why} for item in job.items])


def _result(fut: Future, job: _Job, failed: Callable[[_Job, BaseException], Any] = _failed) -> Any:
    try:
        return fut.result()
    except Exception as exc:  # BrokenProcessPool, pickling errors: report, do not raise
        return failed(job, exc)


def _run(
    jobs: Iterator[_Job],
    workers: int,
    bar,
    pool: ProcessPoolExecutor | None = None,
    fn: Callable[[_Job], Any] | None = None,
    failed: Callable[[_Job, BaseException], Any] | None = None,
) -> Iterator[Any]:
    """``fn(job)`` for every job, in order (default: :func:`_judge_chunk`, giving chunks); a
    job whose worker failed gives ``failed(job, exc)`` instead (default: :func:`_failed`)."""
    fn = fn or _judge_chunk  # looked up now, so tests can replace the module's function
    failed = failed or _failed
    if workers <= 1 or pool is None:
        for job in jobs:
            res = fn(job)
            bar.update(len(job.items))
            yield res
        return
    window: list[tuple[Future, _Job]] = []
    for job in jobs:
        try:
            window.append((pool.submit(fn, job), job))
        except Exception as exc:  # the pool is already broken
            yield failed(job, exc)
            bar.update(len(job.items))
            continue
        if len(window) >= workers * 3:
            fut, done = window.pop(0)
            yield _result(fut, done, failed)
            bar.update(len(done.items))
    for fut, done in window:
        yield _result(fut, done, failed)
        bar.update(len(done.items))


def _chunk_size(n: int, workers: int | None) -> int:
    """Big enough that building a frame per chunk is cheap per row, small enough that every
    worker gets several chunks (and the progress bar moves)."""
    per_worker = n // (max(1, workers or 1) * 4) + 1
    return max(_CHUNK, min(_CHUNK_MAX, per_worker))
