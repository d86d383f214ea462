"""Write an inventory frame to Parquet, CSV, JSON or JSON Lines.

Parquet is the lossless format (lists stay lists, categories and UTC timestamps keep their
dtype, DER stays bytes). The text formats are for people and other tools: lists become
``;``-joined strings in CSV, timestamps become ISO-8601 UTC strings, DER becomes base64.
"""

from __future__ import annotations

import base64
import csv
import datetime
import json
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["FORMATS", "to_records", "write"]

FORMATS: tuple[str, ...] = ("parquet", "csv", "json", "jsonl")


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


def _csv_cell(value: Any) -> Any:
    v = _plain(value)
    if isinstance(v, list):
        return ";".join("" if x is None else str(x) for x in v)
    return v


def write(df: pd.DataFrame, path: Path, fmt: str | None = None) -> Path:
    """Write ``df`` as ``fmt`` (default: from the suffix of ``path``)."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown inventory format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        df.to_parquet(path, index=False)
    else:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            dump(df, fh, fmt)
    return path


def dump(df: pd.DataFrame, fh, fmt: str) -> None:
    """Write the text formats to an open text stream (used for stdout by the CLI)."""
    if fmt == "csv":
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(df.columns)
        for rec in to_records(df):
            out.writerow(["" if v is None else _csv_cell(v) for v in rec.values()])
    elif fmt == "json":
        json.dump(to_records(df), fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    elif fmt == "jsonl":
        for rec in to_records(df):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"cannot stream {fmt!r}")
