"""Judged certificates → the inventory's typed frame.

A worker turns its judged chunk into a typed frame here (:func:`_chunk`, column by column,
because going through row dicts cost more than judging did) and settles ``ca-as-leaf`` on it
with the issuers pass 2 found in the whole pile (:func:`_settle`), so the main process only
concatenates: :func:`_finish` puts chunks and error rows together; :func:`_types` gives this
module's columns their dtypes for every path that builds or reloads a frame
(``load_inventory`` too). The column lists (``VERDICT_COLUMNS``, ``INVENTORY_COLUMNS``) live
here and are re-exported by :mod:`certlib.inventory`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from certlib.cert.findings import FINDINGS
from certlib.core.verdicts import OUTCOMES, Purpose
from certlib.frame import CATEGORY, SCHEMA, schema_columns
from certlib.inventory.records import ErrorRow, Failure, Item, Judged, Judgement
from certlib.inventory.store import Entry, _gc_paused

#: One column per purpose, holding the outcome under the chosen profile.
VERDICT_COLUMNS: tuple[str, ...] = tuple(p.value for p in Purpose)


_OUTCOME_DTYPE = pd.CategoricalDtype(list(OUTCOMES))


#: Columns this module adds after the decoded ones (error rows fill only some).
INVENTORY_COLUMNS: tuple[str, ...] = (
    "status",
    "issuer_sha256",
    "chain_sha256",
    "chain_complete",
    *VERDICT_COLUMNS,
    "iis_binding_candidate",
    "findings",
    "source_path",
    "source_files",
    "sources",
    "source_count",
    "container",
    "friendly_names",
    "has_private_key",
    "error_kind",
    "error",
    "der",
)


def _base(e: Entry, der: bytes) -> dict[str, Any]:
    return {
        "source_path": e.source_files[0],
        "source_files": list(e.source_files),
        "sources": list(e.sources),
        "source_count": len(e.sources),
        "container": e.containers[0],
        "friendly_names": list(e.friendly_names),
        "has_private_key": e.has_private_key,
        "der": der,
    }


def _chunk(
    items: list[Item], results: list[Judgement | Failure], children: frozenset[str]
) -> Judged:
    """Rows for judged ``items`` (``results`` in the same order), typed as the final frame,
    ``ca-as-leaf`` settled with ``children`` (those of ``items`` that issued another
    certificate of the pile).

    Built column by column (``frame.schema_columns`` plus this module's columns typed as
    :func:`_types` types them): a chunk is the unit of work of a worker, and going through
    row dicts and an object frame cost more than judging the certificates did.
    """

    rows: list[dict[str, Any]] = []
    ok: list[tuple[Item, Judgement]] = []
    errors: list[ErrorRow] = []
    with _gc_paused():
        for item, r in zip(items, results, strict=True):
            if isinstance(r, Failure):
                errors.append(_failure_row(item, r))
                continue
            row = r.decoded
            row.setdefault("sha256", item.sha)
            warn = list(row.get("warnings") or [])
            for w in [*item.entry.warnings, *r.load_warnings]:
                if w not in warn:
                    warn.append(w)
            row["warnings"] = warn
            rows.append(row)
            ok.append((item, r))
        n = len(rows)
        decoded = schema_columns(_transpose(rows, tuple(SCHEMA)), n, clean=True)
        cols = _inventory_columns(ok, rows, n)
        front = {"status": cols.pop("status"), "sha256": decoded.pop("sha256")}
        for c in cols:
            decoded.pop(c, None)
        der_col = cols.pop("der")
        df = pd.DataFrame({**front, **decoded, **cols, "der": der_col}, copy=False)
        leafish = [r.ca_leaf and item.sha not in children for item, r in ok]
        _settle(df, leafish)
    return Judged(df, errors)


def _without_der(judged: Judged) -> Judged:
    """The judged chunk as a worker sends it back: its rows' ``der`` left empty, because the
    main process sent those bytes and still holds them (:func:`_with_der` puts them back):
    unpickling them there cost about 1 µs per certificate of the process every chunk of a
    parallel run passes through. (Arrow tables carry them in one buffer: the Parquet sink
    gains nothing from this and leaves them in.)"""
    frame = judged.frame
    if len(frame):
        frame["der"] = pd.Series(np.full(len(frame), None, dtype=object), index=frame.index)
    return judged


def _with_der(judged: Judged, items: Iterable[Item]) -> Judged:
    """``judged`` (from a worker, :func:`_without_der`) with its rows' DER from ``items``, the
    chunk the main process sent: the frame read in one process."""
    frame = judged.frame
    if len(frame):
        by_sha = {item.sha: item.der for item in items}
        ders = [by_sha[sha] for sha in frame["sha256"].tolist()]
        frame["der"] = pd.Series(ders, index=frame.index, dtype=object)
    return judged


def _failure_row(item: Item, failure: Failure) -> ErrorRow:
    """The error row of a certificate that could not be loaded or judged: still names every
    place it was found."""
    return {
        **_base(item.entry, item.der),
        "status": "error",
        "sha256": item.sha,
        "error_kind": failure.kind,
        "error": failure.message,
    }


def _settle(df: pd.DataFrame, leafish: list[bool]) -> None:
    """Add ``ca-as-leaf`` to the rows that are ``leafish`` (could be, and issued nothing)."""
    for i, hit in enumerate(leafish):
        if hit:
            codes = {*df.at[i, "findings"], "ca-as-leaf"}
            df.at[i, "findings"] = [c for c in FINDINGS if c in codes]


def _transpose(rows: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, list[Any]]:
    """Row dicts -> column lists; in C (``zip``) when every row has exactly ``names`` in order,
    as :func:`certlib.cert.decode.decode` rows do."""
    if all(tuple(row) == names for row in rows):
        columns = zip(*(row.values() for row in rows), strict=True) if rows else ()
        return dict(zip(names, map(list, columns), strict=False))
    return {c: [row.get(c) for row in rows] for c in names}


def _inventory_columns(
    ok: list[tuple[Item, Judgement]], rows: list[dict[str, Any]], n: int
) -> dict[str, pd.Series]:
    """This module's columns for judged certificates, typed as :func:`_types` types them."""
    index = pd.RangeIndex(n)
    names = tuple(c for c in INVENTORY_COLUMNS if c != "error_kind")  # error_kind: all missing
    cells: list[tuple[Any, ...]] = []
    for row, (item, r) in zip(rows, ok, strict=True):
        e, d, notes = item.entry, item.der, r.notes
        cells.append(
            (
                "partial" if (row.get("decode_errors") or notes) else "ok",
                r.issuer_sha256,
                list(r.chain_sha256),
                r.chain_complete,
                *[r.outcomes[c] for c in VERDICT_COLUMNS],
                r.iis_binding_candidate,
                list(r.findings),
                e.source_files[0],
                list(e.source_files),
                list(e.sources),
                len(e.sources),
                e.containers[0],
                list(e.friendly_names),
                e.has_private_key,
                "; ".join(notes) if notes else None,
                d,
            )
        )
    columns = dict(zip(names, map(list, zip(*cells, strict=True)), strict=True)) if cells else {}
    out: dict[str, pd.Series] = {}
    for name in names:
        values = columns.get(name, [])
        dtype = _INVENTORY_DTYPES.get(name, object)
        if isinstance(dtype, pd.CategoricalDtype):
            out[name] = _categorical(values, dtype, index)
        else:
            out[name] = pd.Series(values, index=index, dtype=dtype)
    out["error_kind"] = pd.Series([None] * n, index=index, dtype=_INVENTORY_DTYPES["error_kind"])
    return {name: out[name] for name in INVENTORY_COLUMNS}


def _categorical(values: list[Any], dtype: pd.CategoricalDtype, index: pd.Index) -> pd.Series:
    """``pd.Series(values, dtype=dtype)`` for a dtype with fixed categories, through a dict of
    codes (the general constructor hashes every cell through pandas' machinery: six times
    slower for the seven status and verdict columns of a chunk). A value outside the
    categories is missing, as there."""
    codes = {c: i for i, c in enumerate(dtype.categories)}
    array = np.fromiter((codes.get(v, -1) for v in values), dtype=np.int8, count=len(values))
    return pd.Series(pd.Categorical.from_codes(array, dtype=dtype, validate=False), index=index)


#: dtypes of this module's scalar columns (the list columns and ``der`` are ``object``).
_INVENTORY_DTYPES: dict[str, Any] = {
    "status": pd.CategoricalDtype(["ok", "partial", "error"]),
    "issuer_sha256": "str",
    "chain_complete": "boolean",
    **dict.fromkeys(VERDICT_COLUMNS, _OUTCOME_DTYPE),
    "iis_binding_candidate": "boolean",
    "source_path": "str",
    "source_count": "int64",
    "container": "str",
    "has_private_key": "boolean",
    "error_kind": "str",
    "error": "str",
}


def _finish(
    chunks: Iterable[Judged], errors: list[ErrorRow], profile: str, at: _dt.datetime
) -> pd.DataFrame:
    """The frame: the chunks' certificate rows in order, then ``errors`` (pass 1's), then the
    chunks' error rows; ``profile`` and ``at`` go into ``attrs``."""
    from certlib.frame import to_frame

    frames: list[pd.DataFrame] = []
    errors = list(errors)
    for frame, errs in chunks:
        frames.append(frame)
        errors.extend(errs)
    with _gc_paused():
        full = [f for f in frames if len(f)]
        if len(full) > 1:
            df = _categories(pd.concat(full, ignore_index=True))
        elif full:
            df = full[0].reset_index(drop=True)
        else:
            df = _with_extra(to_frame([]), [])
        if errors:
            # an error row carries a sha256 when a DER was found but could not be loaded
            err = _with_extra(to_frame([{"sha256": e.get("sha256")} for e in errors]), errors)
            err = err.reindex(columns=df.columns)
            dtypes = dict(df.dtypes) if len(df) else dict(err.dtypes)
            df = pd.concat([df, err], ignore_index=True) if len(df) else err
            for col, dtype in dtypes.items():  # concat widens e.g. categories; put them back
                if df[col].dtype != dtype:
                    df[col] = df[col].astype(dtype)
    df.attrs.update({"profile": profile, "at": at.isoformat()})
    return df


def _categories(df: pd.DataFrame) -> pd.DataFrame:
    """The decoded ``category`` columns back to ``category`` after concatenating chunks.

    Each chunk's categories are the values it holds, and ``pd.concat`` turns categoricals
    whose categories differ into plain strings: a frame judged in several chunks would type
    ``public_key_algorithm`` & co. by how it was cut. Re-deriving them from the whole column
    gives what one chunk (and ``load_inventory``) gives.
    """
    for name, spec in SCHEMA.items():
        typed = name in df.columns and isinstance(df[name].dtype, pd.CategoricalDtype)
        if spec.dtype == CATEGORY and name in df.columns and not typed:
            df[name] = df[name].astype("str").astype(CATEGORY)
    return df


def _with_extra(df: pd.DataFrame, extra: list[dict[str, Any]]) -> pd.DataFrame:
    """Decoded frame + this module's columns (status first), typed by :func:`_types`."""
    ext = pd.DataFrame(extra, columns=list(INVENTORY_COLUMNS))
    for col in ext.columns:
        if col in df.columns and col != "status":
            df = df.drop(columns=col)
    df = pd.concat([ext[["status"]], df.reset_index(drop=True), ext.drop(columns="status")], axis=1)
    return _types(df)


def _as_list(v: Any) -> list:
    if isinstance(v, list | tuple):
        return list(v)
    if hasattr(v, "tolist") and not isinstance(v, str | bytes):  # numpy arrays from Parquet
        return list(v.tolist())
    return []


def _list_col(s: pd.Series) -> pd.Series:
    cells = [list(v) if type(v) is list else _as_list(v) for v in s]
    return pd.Series(cells, index=s.index, dtype=object)


def _types(df: pd.DataFrame) -> pd.DataFrame:
    for col in INVENTORY_COLUMNS:
        if col not in df.columns:
            df[col] = None
    # This module's list columns are never missing ([] instead). The decoded ones keep the
    # frame's meaning (None = extension absent, [] = present but empty): left to apply_schema.
    for col in ("sources", "source_files", "friendly_names", "findings", "chain_sha256"):
        df[col] = _list_col(df[col]).astype(object)
    df["source_count"] = df["sources"].map(len).astype("int64")
    df["der"] = pd.Series(
        [bytes(v) if isinstance(v, bytes | bytearray | memoryview) else None for v in df["der"]],
        index=df.index,
        dtype=object,
    )
    for col, dtype in _INVENTORY_DTYPES.items():
        df[col] = df[col].astype(dtype)
    if "sha256" in df.columns:
        df["sha256"] = df["sha256"].astype("str")
    front = ["status", "sha256"] if "sha256" in df.columns else ["status"]
    order = [*front, *(c for c in df.columns if c not in front and c != "der"), "der"]
    return df[order]
