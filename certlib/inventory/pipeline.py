"""The inventory pipeline: paths → one honest DataFrame (``read_inventory``).

``read_inventory`` walks files, lets :mod:`certlib.sources` find certificates in whatever
container they hide in, deduplicates them on SHA-256 of the DER, links each to its issuer when
that issuer is in the pile (signature-checked), judges every certificate for the six purposes
under one profile and lists findings. "Honest" means nothing is dropped silently: every input
file is named by a certificate row (``source_files``) or by an error row (``status="error"``),
and nothing secret (private keys, passwords) reaches the frame.

Work is split in three passes so that the expensive part runs in parallel and memory stays at
one copy of each DER:

1. main process: read files (``sources.read_bytes``), dedupe, index subject/issuer names;
2. main process: link the few certificates that issue others (CA candidates) among themselves;
3. worker processes (chunks): decode, link to issuer, chain-aware verdicts, findings.

This module orchestrates (``read_inventory``, ``start_pool``, ``iter_input_files``); each step
has its own module below it, and :mod:`certlib.inventory.stream` builds on this one, never back:

* ``store``: what is kept per distinct certificate (``_Entry``), where its DER lives
  (``_DerStore``: memory or a spill file) and ``_gc_paused``;
* ``pieces``: cutting big PEM files into pieces (size limits, block/line shifts);
* ``read``: pass 1, files → distinct DERs and error rows, with workers reading small files in
  batches and big bundles in pieces;
* ``link``: pass 2, the CA candidates linked among themselves;
* ``frame``: judged chunks → the typed frame (``VERDICT_COLUMNS``, ``INVENTORY_COLUMNS``,
  ``_finish`` and ``ca-as-leaf``);
* ``judge``: pass 3 in a worker, per certificate, with the outcome memo; ``At``;
* ``pool``: chunks of work, running them on the pool, progress bars;
* ``tables``: the long tables behind ``df.certs.verdicts()`` / ``findings()``;
* ``stream`` (``stream_inventory``) and ``write`` (``write_inventory``, ``load_inventory``).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from certlib.inventory.frame import _Chunk, _finish
from certlib.inventory.judge import At, _as_utc, _check_profile
from certlib.inventory.link import _link_cas
from certlib.inventory.pool import _bar, _chunk_size, _jobs, _run
from certlib.inventory.read import _collect
from certlib.inventory.store import _gc_paused
from certlib.sources.readers.records import Problem
from certlib.sources.walk import walk

__all__ = ["PARALLEL_THRESHOLD", "iter_input_files", "read_inventory", "start_pool"]

#: Inventories with at least this many distinct certificates use all CPUs by default.
PARALLEL_THRESHOLD = 2000


def iter_input_files(
    paths: Iterable[str | os.PathLike[str]], *, recursive: bool = True
) -> Iterator[tuple[str, Problem | None]]:
    """Yield ``(path, problem)``: every regular file under ``paths`` (sorted, stable) with
    None, or what is not read with a :class:`certlib.sources.Problem` saying why (missing,
    FIFO, socket, device, dangling link, link loop, unlistable folder). The walk is
    :func:`certlib.sources.walk.walk` (linked folders followed once); paths are normalised as
    ``pathlib`` does (``./a//b`` → ``a/b``)."""
    names: list[str] = []
    for raw in paths:
        try:
            names.append(str(Path(os.fsdecode(raw))))
        except Exception:  # not a path at all: the walk says so
            names.append(raw)  # type: ignore[arg-type]
    yield from walk(names, recursive=recursive)


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
        pool = ProcessPoolExecutor(max_workers=workers)
        for fut in [pool.submit(_ping) for _ in range(workers)]:
            fut.result()
    finally:
        gc.unfreeze()
    return pool


def read_inventory(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    passwords: Iterable[str | bytes] = (),
    recursive: bool = True,
    workers: int | None = None,
    progress: bool | None = None,
    profile: str = "rfc5280",
    at: At = None,
) -> pd.DataFrame:
    """Read every certificate under ``paths`` into one row per distinct certificate.

    ``passwords`` are tried on PKCS#12 files (then empty and none); ``at`` is the reference time
    for validity findings and verdicts (default: now, UTC); ``workers`` defaults to all CPUs when
    there are at least :data:`PARALLEL_THRESHOLD` distinct certificates. Never raises for bad
    input files: each becomes an error row. See docs/inventory.md for the columns.
    """
    _check_profile(profile)
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    pw = tuple(p.encode() if isinstance(p, str) else bytes(p) for p in passwords)
    at = _as_utc(at)
    files = list(iter_input_files(paths, recursive=recursive))
    pool = start_pool(workers) if workers is not None else None
    try:
        with _bar(progress, len(files), "reading", len(files) >= 200) as bar:
            entries, errors, _n = _collect(files, pw, bar, pool=pool)
        ders, ca_paths, by_subject, issued = _link_cas(entries)
        if workers is None:
            workers = (os.cpu_count() or 1) if len(entries) >= PARALLEL_THRESHOLD else 1
            pool = start_pool(workers)
        chunks: list[_Chunk] = []
        size = _chunk_size(len(entries), workers)
        with _bar(progress, len(entries), "judging", len(entries) >= PARALLEL_THRESHOLD) as bar:
            jobs = _jobs(entries, ders, ca_paths, by_subject, profile, at, size)
            if pool is None:
                chunks.extend(_run(jobs, 1, bar))
            else:
                with _gc_paused():  # receiving chunks allocates much and makes no cycles
                    chunks.extend(_run(jobs, max(1, workers), bar, pool))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    entries.clear()
    return _finish(chunks, errors, profile, at, issued)
