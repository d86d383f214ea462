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

This module is that one pipeline (:func:`run`: read → link → judge → sink) and its two
front doors' shared options (:class:`Options`); ``read_inventory`` runs it into a
:class:`~certlib.inventory.sink.FrameSink`, :mod:`certlib.inventory.stream` into a Parquet
sink. Each step has its own module below it, and data moves between them as the typed records
of :mod:`certlib.inventory.records`:

* ``store``: what is kept per distinct certificate (``Entry``), where its DER lives
  (``_DerStore``: memory or a spill file) and ``_gc_paused``;
* ``records``: what one pass hands the next (``Pile``, ``Links``, ``Job``, ``Judgement``,
  ``Judged``);
* ``pieces``: cutting big PEM files into pieces (size limits, block/line shifts);
* ``read``: pass 1, files → distinct DERs and error rows, with workers reading small files in
  batches and big bundles in pieces;
* ``link``: pass 2, the CA candidates linked among themselves;
* ``frame``: judged chunks → the typed frame (``VERDICT_COLUMNS``, ``INVENTORY_COLUMNS``,
  ``_finish`` and ``ca-as-leaf``);
* ``judge``: pass 3 in a worker, per certificate, with the run's memo; ``At``;
* ``pool``: the worker pool (``start_pool``), chunks of work, running them, progress bars;
* ``sink``: the ``Sink`` protocol and the in-memory ``FrameSink``;
* ``tables``: the long tables behind ``df.certs.verdicts()`` / ``findings()``;
* ``stream`` (``stream_inventory``, ``ParquetSink``) and ``write`` (``write_inventory``,
  ``load_inventory``).
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

from certlib.inventory import judge
from certlib.inventory.judge import At, check_profile, run_instant
from certlib.inventory.link import _link_cas
from certlib.inventory.pool import _bar, _chunk_size, _jobs, _run, start_pool
from certlib.inventory.read import collect_files
from certlib.inventory.sink import FrameSink, Sink
from certlib.inventory.store import _MEMORY, _DerStore, _gc_kept, _gc_paused
from certlib.sources.readers.records import Problem
from certlib.sources.walk import walk

__all__ = [
    "PARALLEL_THRESHOLD",
    "Options",
    "iter_input_files",
    "read_inventory",
    "run",
    "start_pool",
]

#: Inventories with at least this many distinct certificates use all CPUs by default.
PARALLEL_THRESHOLD = 2000

R = TypeVar("R")

#: What may be passed as the paths to scan.
Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


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


@dataclass(frozen=True)
class Options:
    """What a scan is asked, checked and normalised once (:meth:`of`) before anything is read."""

    passwords: tuple[bytes, ...]
    recursive: bool
    workers: int | None
    progress: bool | None
    profile: str
    at: _dt.datetime

    @classmethod
    def of(
        cls,
        *,
        passwords: Iterable[str | bytes] = (),
        recursive: bool = True,
        workers: int | None = None,
        progress: bool | None = None,
        profile: str = "rfc5280",
        at: At = None,
    ) -> Options:
        """The options of ``read_inventory``'s keywords: a wrong profile raises
        ``ValueError`` (a caller's mistake, not a bad input file), ``at`` becomes UTC (default:
        now, to the second), passwords bytes."""
        check_profile(profile)
        pw = tuple(p.encode() if isinstance(p, str) else bytes(p) for p in passwords)
        return cls(pw, recursive, workers, progress, profile, run_instant(at))


def run(paths: Paths, sink: Sink[R], options: Options) -> R:
    """The one inventory pipeline: read (pass 1) → link (pass 2) → judge in chunks (pass 3,
    in worker processes when there are several) → ``sink``; the sink's result.

    One run owns one memo (each worker process its own) for what is reused across
    certificates; nothing outlives the run. Never raises for bad input files: each becomes an
    error row.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    profile, at, workers = options.profile, options.at, options.workers
    memoise = judge.MEMOISE  # read once: the switch holds for the whole run
    files = list(iter_input_files(paths, recursive=options.recursive))
    pool = start_pool(workers) if workers is not None else None
    try:
        with ExitStack() as stack:
            store = _MEMORY
            if sink.spill:
                store = _DerStore(
                    stack.enter_context(tempfile.TemporaryFile(prefix="certlib-der-"))
                )
            with _bar(options.progress, len(files), "reading", len(files) >= 200) as bar:
                pile = collect_files(files, options.passwords, bar, store, pool)
            memo = judge.run_memo()  # this run's, in this process (workers make their own)
            links = _link_cas(pile.entries, store, memo)
            n = len(pile.entries)
            if workers is None:
                workers = (os.cpu_count() or 1) if n >= PARALLEL_THRESHOLD else 1
                pool = start_pool(workers)
            size = _chunk_size(n, workers)
            jobs = _jobs(pile.entries, links, profile, at, size, store, memoise)
            with _bar(options.progress, n, "judging", n >= PARALLEL_THRESHOLD) as bar:
                attach = getattr(sink, "attach", None)  # optional: see certlib.inventory.sink
                parts = _run(jobs, max(1, workers), bar, sink.shape, memo, pool, attach)
                if pool is None:
                    with _gc_kept(not sink.spill) as keep:
                        for part in parts:
                            sink.add(part)
                            keep()
                else:
                    with _gc_paused():  # receiving chunks allocates much and makes no cycles
                        for part in parts:
                            sink.add(part)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    pile.entries.clear()
    return sink.close(pile.errors)


def read_inventory(
    paths: Paths,
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
    options = Options.of(
        passwords=passwords,
        recursive=recursive,
        workers=workers,
        progress=progress,
        profile=profile,
        at=at,
    )
    return run(paths, FrameSink(options.profile, options.at), options)
