"""Write an inventory frame to Parquet, CSV, JSON or JSON Lines, and read Parquet back.

Parquet is the lossless format (lists stay lists, categories and UTC timestamps keep their
dtype, DER stays bytes). The text formats are for people and other tools: lists become
``;``-joined strings in CSV, timestamps become ISO-8601 UTC strings, DER becomes base64.

Files are written atomically (:func:`certlib.core.outputs.atomic_output`): a failed write leaves the
previous file as it was, and an existing file is replaced only with ``overwrite=True``. CSV
text cells that a spreadsheet would run as a formula (first character ``=``, ``+``, ``-``,
``@``, tab or CR) get a leading ``'`` (OWASP "CSV injection"); numbers are left alone.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from certlib.core.outputs import atomic_output
from certlib.inventory.frame import _types

__all__ = ["FORMATS", "csv_safe", "load_inventory", "to_records", "write", "write_inventory"]

FORMATS: tuple[str, ...] = ("parquet", "csv", "json", "jsonl")

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: Any) -> Any:
    """A JSON-able value: ISO dates, base64 bytes, lists of plain values, None for NA."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, pd.Timestamp | datetime.datetime):
        return pd.Timestamp(value).tz_convert("UTC").isoformat().replace("+00:00", "Z")
    if hasattr(value, "tolist") and not isinstance(value, str):
        return _plain(value.tolist())
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def to_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts (what the JSON writers emit)."""
    cols = list(df.columns)
    return [
        {c: _plain(v) for c, v in zip(cols, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]


def csv_safe(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_cell(value: Any) -> Any:
    v = _plain(value)
    if isinstance(v, list):
        v = ";".join("" if x is None else str(x) for x in v)
    return csv_safe(v) if isinstance(v, str) else v


def _csv_field(value: Any) -> str:
    """One RFC 4180 field. Not :mod:`csv`: its writer leaves a bare CR unquoted when the line
    ends in LF, and a CR in a subject would then split the row for every reader."""
    text = "" if value is None else str(value)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_line(values: Any) -> str:
    return ",".join(_csv_field(v) for v in values) + "\n"


def write(df: pd.DataFrame, path: Path, fmt: str | None = None, *, overwrite: bool = False) -> Path:
    """Write ``df`` as ``fmt`` (default: from the suffix of ``path``), atomically; an existing
    ``path`` raises :class:`certlib.core.outputs.OutputError` unless ``overwrite``."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown inventory format {fmt!r}; use one of {', '.join(FORMATS)}")
    with atomic_output(path, overwrite=overwrite) as tmp:
        if fmt == "parquet":
            df.to_parquet(tmp, index=False)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                dump(df, fh, fmt)
    return path


def dump(df: pd.DataFrame, fh, fmt: str) -> None:
    """Write the text formats to an open text stream (used for stdout by the CLI)."""
    if fmt == "csv":
        fh.write(_csv_line(df.columns))
        for rec in to_records(df):
            fh.write(_csv_line(None if v is None else _csv_cell(v) for v in rec.values()))
    elif fmt == "json":
        json.dump(to_records(df), fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    elif fmt == "jsonl":
        for rec in to_records(df):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"cannot stream {fmt!r}")


def write_inventory(
    df: pd.DataFrame, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write ``df`` by extension: ``.parquet`` (lossless), ``.csv`` (lists joined with ';',
    ISO-8601 dates, formula-like text cells prefixed with ``'``), ``.json`` (array of records)
    or ``.jsonl`` (one record per line).

    The write is atomic (a temporary file beside ``path``, then a rename): if it fails the
    previous file is untouched. An existing ``path`` raises ``FileExistsError``
    (:class:`certlib.core.outputs.OutputExistsError`) unless ``overwrite=True``."""
    return write(df, Path(path), overwrite=overwrite)


def load_inventory(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read back a ``.parquet`` written by :func:`write_inventory` with the same dtypes
    (pyarrow hands list cells back as numpy arrays; they become lists again)."""
    from certlib.frame import apply_schema

    df = pd.read_parquet(path)
    attrs = dict(df.attrs)
    df = _types(apply_schema(df))
    df.attrs.update(attrs)
    return df
