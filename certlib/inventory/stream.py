"""``stream_inventory``: the inventory of a huge pile straight to Parquet, memory bounded.

``read_inventory`` returns one DataFrame, so its memory grows with the pile. For millions of
certificates this module writes the same rows to a Parquet file in row groups instead:
distinct DERs are spilled to a temporary file (the process keeps offsets, names and
provenance), CA candidates are linked as in ``read_inventory``, and certificates are judged in
chunks by the same worker function, each chunk written and dropped.

The answers are those of ``read_inventory``, row for row and dtype for dtype once read back
with ``load_inventory``: ``ca-as-leaf`` ("issued nothing here") is decided before any chunk is
judged (:func:`certlib.inventory.link._link_cas`), and the chunks' error rows are held back
and written after the certificate rows, where ``read_inventory`` puts them.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from certlib.inventory import pipeline
from certlib.inventory.frame import _finish
from certlib.inventory.judge import At, _as_utc, _check_profile, _Job, _judge_chunk
from certlib.inventory.link import _link_cas
from certlib.inventory.pool import _bar, _chunk_size, _failed, _jobs, _run
from certlib.inventory.read import _collect
from certlib.inventory.store import _DerStore

__all__ = ["stream_inventory"]


#: Inventory columns holding lists (the decoded ones are LIST in certlib.frame.SCHEMA).
_LIST_COLUMNS = frozenset({"chain_sha256", "findings", "source_files", "sources", "friendly_names"})


@functools.cache
def arrow_schema() -> pa.Schema:
    """The one Arrow schema of every row group, fixed before any row exists.

    Inferring it from the first group would type a column that happens to be empty there
    (e.g. ``ns_cert_type`` when no certificate of the first 20,000 has one) as plain string,
    and a later group holding lists would then fail to convert.
    """
    from certlib.frame import LIST, SCHEMA

    empty = _plain(_finish([], [], "rfc5280", _dt.datetime(2000, 1, 1, tzinfo=_dt.UTC)))
    inferred = pa.Schema.from_pandas(empty, preserve_index=False)
    fields = []
    for f in inferred:
        if f.name == "der":
            t = pa.binary()
        elif f.name in _LIST_COLUMNS or (f.name in SCHEMA and SCHEMA[f.name].dtype == LIST):
            t = pa.list_(pa.string())
        elif pa.types.is_null(f.type):
            t = pa.large_string()
        else:
            t = f.type
        fields.append(pa.field(f.name, t))
    return pa.schema(fields)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Categories → strings so every row group has one schema (load_inventory re-types)."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype("str")
    return out


def _table(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(_plain(df), schema=arrow_schema(), preserve_index=False)


#: What a worker hands back for a chunk: the Arrow table of its certificate rows and the one
#: of its error rows (None when there are none), written apart so that, as in
#: ``read_inventory``, every error row comes after every certificate row.
_Tables = tuple[pa.Table | None, pa.Table | None]


def _stream_chunk(job: _Job) -> _Tables:
    """A worker's whole share of a streamed scan: judge the chunk, settle ``ca-as-leaf`` with
    the issuers known up front (``job.children``) and hand back the Arrow tables to write, so
    the main process only writes."""
    frame, errs = _judge_chunk(job)
    return _tables(frame, errs, job, set(job.children))


def _tables(frame: pd.DataFrame | None, errs: list, job: _Job, children: set[str]) -> _Tables:
    ok = None
    if frame is not None and len(frame):
        ok = _table(_finish([(frame, [])], [], job.profile, job.at, children))
    bad = _table(_finish([], errs, job.profile, job.at, set())) if errs else None
    return ok, bad


def _stream_failed(job: _Job, exc: BaseException) -> _Tables:
    _frame, errs = _failed(job, exc)
    return _tables(None, errs, job, set())


def stream_inventory(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    target: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    **options: Any,
) -> dict[str, Any]:
    """Scan like :func:`certlib.inventory.read_inventory` and write the rows to ``target``
    (Parquet) in row groups; returns a summary (rows, certificates, errors, seconds).
    Read the result with :func:`certlib.inventory.load_inventory` (or pyarrow for slices).

    Options as :func:`_stream_to` (``passwords``, ``recursive``, ``workers``, ``progress``,
    ``profile``, ``at``, ``rows_per_group``). The row groups go to a temporary file beside
    ``target`` that replaces it only once complete (:func:`certlib.core.outputs.atomic_output`): a
    failed or interrupted scan leaves the previous file untouched. An existing ``target``
    raises ``FileExistsError`` unless ``overwrite=True``."""
    from certlib.core.outputs import atomic_output

    with atomic_output(target, overwrite=overwrite) as tmp:
        summary = _stream_to(paths, tmp, **options)
    return {**summary, "path": str(target)}


def _stream_to(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    target: str | os.PathLike[str],
    *,
    passwords: Iterable[str | bytes] = (),
    recursive: bool = True,
    workers: int | None = None,
    progress: bool | None = None,
    profile: str = "rfc5280",
    at: At = None,
    rows_per_group: int = 20_000,
) -> dict[str, Any]:
    """The streamed scan itself, written to ``target`` as it goes."""
    t0 = time.perf_counter()
    _check_profile(profile)
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    pw = tuple(p.encode() if isinstance(p, str) else bytes(p) for p in passwords)
    at = _as_utc(at)
    target = Path(target)
    writer: pq.ParquetWriter | None = None
    rows = certs = errors_n = 0

    def write(table: pa.Table) -> None:
        nonlocal writer, rows
        if writer is None:
            writer = pq.ParquetWriter(target, table.schema)
        writer.write_table(table)
        rows += table.num_rows

    children: set[str] = set()
    pool = pipeline.start_pool(workers) if workers is not None else None
    try:
        with tempfile.TemporaryFile(prefix="certlib-der-") as spill:
            store = _DerStore(spill)
            files = list(pipeline.iter_input_files(paths, recursive=recursive))
            with _bar(progress, len(files), "reading", len(files) >= 200) as bar:
                entries, errors, _n = _collect(files, pw, bar, store, pool)
            ders, ca_paths, by_subject, children = _link_cas(entries, store)
            if workers is None:
                workers = (
                    (os.cpu_count() or 1) if len(entries) >= pipeline.PARALLEL_THRESHOLD else 1
                )
                pool = pipeline.start_pool(workers)
            size = _chunk_size(len(entries), workers)
            jobs = (
                replace(job, children=frozenset(s for s, _d, _e in job.items if s in children))
                for job in _jobs(entries, ders, ca_paths, by_subject, profile, at, size, store)
            )
            group: list[pa.Table] = []
            late: list[pa.Table] = []  # the chunks' error rows (few: one per bad certificate)
            pending = 0
            with _bar(
                progress, len(entries), "judging", len(entries) >= pipeline.PARALLEL_THRESHOLD
            ) as bar:
                results = _run(
                    jobs, max(1, workers), bar, pool, fn=_stream_chunk, failed=_stream_failed
                )
                for table, bad in results:
                    if bad is not None:
                        late.append(bad)  # error rows go last, as in read_inventory
                    if table is None:
                        continue
                    group.append(table)
                    pending += table.num_rows
                    if pending >= rows_per_group:
                        certs += pending
                        write(pa.concat_tables(group))
                        group, pending = [], 0
                if group:
                    certs += pending
                    write(pa.concat_tables(group))
            if errors:
                write(_table(_finish([], errors, profile, at, children)))
            for bad in late:
                write(bad)
            errors_n = len(errors) + sum(t.num_rows for t in late)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if writer is None:  # nothing at all: still write a valid, empty file
        write(_table(_finish([], [], profile, at, children)))
    assert writer is not None
    writer.close()
    return {
        "rows": rows,
        "certificates": certs,
        "errors": errors_n,
        "seconds": time.perf_counter() - t0,
        "path": str(target),
    }
