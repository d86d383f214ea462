"""``stream_inventory``: the inventory of a huge pile straight to Parquet, memory bounded.

``read_inventory`` returns one DataFrame, so its memory grows with the pile. For millions of
certificates this module writes the same rows to a Parquet file in row groups instead:
distinct DERs are spilled to a temporary file (the process keeps offsets, names and
provenance), CA candidates are linked as in ``read_inventory``, and certificates are judged in
chunks by the same worker function, each chunk written and dropped.

One difference, documented in docs/inventory.md: ``ca-as-leaf`` asks "issued nothing here";
streaming answers it by name (no other certificate names it as issuer) because verified links
of later chunks are not known when an earlier chunk is written.
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

from certlib import inventory as inv
from certlib.inventory_frame import _finish
from certlib.inventory_judge import _as_utc, _check_profile, _Job, _judge_chunk
from certlib.inventory_link import _link_cas
from certlib.inventory_pool import _bar, _chunk_size, _failed, _jobs, _run
from certlib.inventory_read import _collect
from certlib.inventory_store import _DerStore

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


def _stream_chunk(job: _Job) -> pa.Table:
    """A worker's whole share of a streamed scan: judge the chunk, settle ``ca-as-leaf`` with
    the names known up front (``job.children``) and hand back the Arrow table to write, so the
    main process only writes."""
    chunk = _judge_chunk(job)
    return _table(_finish([chunk], [], job.profile, job.at, set(job.children)))


def _stream_failed(job: _Job, exc: BaseException) -> pa.Table:
    return _table(_finish([_failed(job, exc)], [], job.profile, job.at, set()))


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
    ``target`` that replaces it only once complete (:func:`certlib.outputs.atomic_output`): a
    failed or interrupted scan leaves the previous file untouched. An existing ``target``
    raises ``FileExistsError`` unless ``overwrite=True``."""
    from certlib.outputs import atomic_output

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
    at: inv.At = None,
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
    pool = inv.start_pool(workers) if workers is not None else None
    try:
        with tempfile.TemporaryFile(prefix="certlib-der-") as spill:
            store = _DerStore(spill)
            files = list(inv.iter_input_files(paths, recursive=recursive))
            with _bar(progress, len(files), "reading", len(files) >= 200) as bar:
                entries, errors, _n = _collect(files, pw, bar, store, pool)
            ders, ca_paths, by_subject = _link_cas(entries, store)
            children = {s for shas in by_subject.values() for s in shas}
            if workers is None:
                workers = (os.cpu_count() or 1) if len(entries) >= inv.PARALLEL_THRESHOLD else 1
                pool = inv.start_pool(workers)
            size = _chunk_size(len(entries), workers)
            jobs = (
                replace(job, children=frozenset(s for s, _d, _e in job.items if s in children))
                for job in _jobs(entries, ders, ca_paths, by_subject, profile, at, size, store)
            )
            group: list[pa.Table] = []
            pending = 0
            with _bar(
                progress, len(entries), "judging", len(entries) >= inv.PARALLEL_THRESHOLD
            ) as bar:
                results = _run(
                    jobs, max(1, workers), bar, pool, fn=_stream_chunk, failed=_stream_failed
                )
                for table in results:
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
                errors_n = len(errors)
                write(_table(_finish([], errors, profile, at, children)))
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
