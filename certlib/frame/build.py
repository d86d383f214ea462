"""Certificates and row dicts -> one typed frame (the schema's dtypes, input order)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from cryptography import x509

from certlib.cert.decode import decode
from certlib.frame.schema import SCHEMA, apply_schema

__all__ = ["empty_frame", "to_frame"]


def to_frame(certs: Iterable[x509.Certificate | Mapping[str, Any]]) -> pd.DataFrame:
    """A typed frame from certificates (decoded here) and/or row dicts, in input order.

    Row dicts may lack schema columns (they become missing) and may carry extra columns (kept
    after the schema columns, dtype as pandas infers it).
    """
    rows = [decode(c) if isinstance(c, x509.Certificate) else dict(c) for c in certs]
    extra: list[str] = []
    for row in rows:
        extra.extend(k for k in row if k not in SCHEMA and k not in extra)
    data = {name: [row.get(name) for row in rows] for name in (*SCHEMA, *extra)}
    frame = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in data.items()})
    frame = apply_schema(frame)
    for name in extra:
        frame[name] = frame[name].infer_objects() if rows else frame[name]
    return frame


def empty_frame() -> pd.DataFrame:
    """A frame with every schema column, no rows, right dtypes."""
    return to_frame([])
