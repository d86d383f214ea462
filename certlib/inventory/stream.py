"""``stream_inventory``: the inventory of a huge pile straight to Parquet, memory bounded.

``read_inventory`` returns one DataFrame, so its memory grows with the pile. For millions of
certificates the same pipeline (:func:`certlib.inventory.pipeline.run`) writes the same rows
to a Parquet file in row groups instead, through a :class:`ParquetSink`: distinct DERs are
spilled to a temporary file (the process keeps offsets, names and provenance), each chunk is
made into Arrow tables in its worker, and the main process only writes them.

The answers are those of ``read_inventory``, row for row and dtype for dtype once read back
with ``load_inventory``: ``ca-as-leaf`` ("issued nothing here") is decided before any chunk is
judged (:func:`certlib.inventory.link._link_cas`), and the chunks' error rows are held back
and written after the certificate rows, where ``read_inventory`` puts them.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from certlib.inventory import pipeline
from certlib.inventory.frame import _finish
from certlib.inventory.judge import At
from certlib.inventory.records import ErrorRow, Job, Judged

__all__ = ["ParquetSink", "arrow_schema", "stream_inventory"]


#: Inventory columns holding lists (the decoded ones are LIST in certlib.frame.SCHEMA).
_LIST_COLUMNS = frozenset({"chain_sha256", "findings", "source_files", "sources", "friendly_names"})


@functools.cache
def arrow_schema() -> pa.Schema:
    """The one Arrow schema of every row group, fixed before any row exists.

    Inferring it from the first group would type a column that happens to be empty there
    (e.g. ``ns_cert_type`` when no certificate of the first 20,000 has one) as plain string,
    and a later group holding lists would then fail to convert. Cached because it is a
    constant of the code (the frame's schema), never of a run: it takes no input.
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


def arrow_table(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(_plain(df), schema=arrow_schema(), preserve_index=False)


class _Tables(NamedTuple):
    """What a worker hands back for a chunk: the Arrow table of its certificate rows and the
    one of its error rows (None when there are none), written apart so that, as in
    ``read_inventory``, every error row comes after every certificate row."""

    rows: pa.Table | None
    errors: pa.Table | None


def _as_tables(judged: Judged, job: Job) -> _Tables:
    """The Parquet sink's shape, in the worker: the chunk's rows as Arrow tables, so the main
    process only writes."""
    rows = None
    if len(judged.frame):
        rows = arrow_table(_finish([Judged(judged.frame, [])], [], job.profile, job.at))
    bad = arrow_table(_finish([], judged.errors, job.profile, job.at)) if judged.errors else None
    return _Tables(rows, bad)


class ParquetSink:
    """``stream_inventory``'s sink: row groups of at least ``rows_per_group`` certificate rows
    written to ``target`` as chunks arrive, error rows held back and written last."""

    spill = True
    shape = staticmethod(_as_tables)

    def __init__(
        self, target: str | os.PathLike[str], profile: str, at: _dt.datetime, rows_per_group: int
    ) -> None:
        self._t0 = time.perf_counter()
        self._target = Path(target)
        self._profile, self._at = profile, at
        self._per_group = rows_per_group
        self._writer: pq.ParquetWriter | None = None
        self._group: list[pa.Table] = []
        self._pending = 0
        self._late: list[pa.Table] = []  # the chunks' error rows (few: one per bad certificate)
        self._rows = self._certificates = 0

    def _write(self, table: pa.Table) -> None:
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._target, table.schema)
        self._writer.write_table(table)
        self._rows += table.num_rows

    def _flush(self) -> None:
        if self._group:
            self._certificates += self._pending
            self._write(pa.concat_tables(self._group))
            self._group, self._pending = [], 0

    def add(self, part: _Tables) -> None:
        if part.errors is not None:
            self._late.append(part.errors)  # error rows go last, as in read_inventory
        if part.rows is None:
            return
        self._group.append(part.rows)
        self._pending += part.rows.num_rows
        if self._pending >= self._per_group:
            self._flush()

    def close(self, errors: list[ErrorRow]) -> dict[str, Any]:
        self._flush()
        if errors:
            self._write(arrow_table(_finish([], errors, self._profile, self._at)))
        for bad in self._late:
            self._write(bad)
        n_errors = len(errors) + sum(t.num_rows for t in self._late)
        if self._writer is None:  # nothing at all: still write a valid, empty file
            self._write(arrow_table(_finish([], [], self._profile, self._at)))
        assert self._writer is not None
        self._writer.close()
        return {
            "rows": self._rows,
            "certificates": self._certificates,
            "errors": n_errors,
            "seconds": time.perf_counter() - self._t0,
            "path": str(self._target),
        }


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
    options = pipeline.Options.of(
        passwords=passwords,
        recursive=recursive,
        workers=workers,
        progress=progress,
        profile=profile,
        at=at,
    )
    sink = ParquetSink(target, options.profile, options.at, rows_per_group)
    return pipeline.run(paths, sink, options)
