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
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from certlib import inventory as inv

__all__ = ["stream_inventory"]


def _arrow_schema(df: pd.DataFrame) -> pa.Schema:
    """Schema of the first row group, with all-null guesses widened to strings."""
    schema = pa.Schema.from_pandas(df, preserve_index=False)
    fields = []
    for f in schema:
        t = f.type
        if pa.types.is_null(t):
            t = pa.binary() if f.name == "der" else pa.string()
        elif pa.types.is_list(t) and pa.types.is_null(t.value_type):
            t = pa.list_(pa.string())
        fields.append(pa.field(f.name, t))
    return pa.schema(fields, metadata=schema.metadata)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Categories → strings so every row group has one schema (load_inventory re-types)."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype("str")
    return out


def stream_inventory(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    target: str | os.PathLike[str],
    *,
    passwords: Iterable[str | bytes] = (),
    recursive: bool = True,
    workers: int | None = None,
    progress: bool | None = None,
    profile: str = "rfc5280",
    at: _dt.datetime | None = None,
    rows_per_group: int = 20_000,
) -> dict[str, Any]:
    """Scan like :func:`certlib.inventory.read_inventory` and write the rows to ``target``
    (Parquet) in row groups; returns a summary (rows, certificates, errors, seconds).
    Read the result with :func:`certlib.inventory.load_inventory` (or pyarrow for slices)."""
    t0 = time.perf_counter()
    inv._check_profile(profile)
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    pw = tuple(p.encode() if isinstance(p, str) else bytes(p) for p in passwords)
    at = inv._as_utc(at)
    target = Path(target)
    writer: pq.ParquetWriter | None = None
    schema: pa.Schema | None = None
    rows = certs = errors_n = 0

    def write(df: pd.DataFrame) -> None:
        nonlocal writer, schema, rows
        df = _plain(df)
        if writer is None:
            schema = _arrow_schema(df)
            writer = pq.ParquetWriter(target, schema)
        table = pa.Table.from_pandas(df, schema=schema, preserve_index=False)
        writer.write_table(table)
        rows += len(df)

    children: set[str] = set()
    pool = inv.start_pool(workers) if workers is not None else None
    try:
        with tempfile.TemporaryFile(prefix="certlib-der-") as spill:
            store = inv._DerStore(spill)
            files = list(inv.iter_input_files(paths, recursive=recursive))
            with inv._bar(progress, len(files), "reading", len(files) >= 200) as bar:
                entries, errors, _n = inv._collect(files, pw, bar, store)
            ders, ca_paths, by_subject = inv._link_cas(entries, store)
            children = {s for shas in by_subject.values() for s in shas}
            if workers is None:
                workers = (os.cpu_count() or 1) if len(entries) >= inv.PARALLEL_THRESHOLD else 1
                pool = inv.start_pool(workers)
            size = inv._chunk_size(len(entries), workers)
            jobs = inv._jobs(entries, ders, ca_paths, by_subject, profile, at, size, store)
            group: list = []
            pending = 0
            with inv._bar(progress, len(entries), "judging", len(entries) >= 2000) as bar:
                for chunk in inv._run(jobs, max(1, workers), bar, pool):
                    group.append(chunk)
                    pending += len(chunk[0]) + len(chunk[1])
                    if pending >= rows_per_group:
                        certs += sum(len(c[0]) + len(c[1]) for c in group)
                        write(inv._finish(group, [], profile, at, children))
                        group, pending = [], 0
                if group:
                    certs += sum(len(c[0]) + len(c[1]) for c in group)
                    write(inv._finish(group, [], profile, at, children))
            if errors:
                errors_n = len(errors)
                write(inv._finish([], errors, profile, at, children))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if writer is None:  # nothing at all: still write a valid, empty file
        write(inv._finish([], [], profile, at, children))
    assert writer is not None
    writer.close()
    return {
        "rows": rows,
        "certificates": certs,
        "errors": errors_n,
        "seconds": time.perf_counter() - t0,
        "path": str(target),
    }
