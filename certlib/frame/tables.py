"""Long tables of a certificate frame: one row per certificate × EKU OID or × SAN entry.

List cells cannot be counted or joined; these tables can. A certificate without values still
gets one row carrying a marker (:data:`~certlib.frame.schema.ABSENT`, ``EMPTY``, ``NONE``,
``UNKNOWN``), so "no EKU" is a row you can count, never a NaN that vanishes. The index repeats
the frame's index, so results join back to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from certlib.core.oids import eku
from certlib.frame.schema import (
    ABSENT,
    BOOLEAN,
    EMPTY,
    NONE,
    STR,
    UNKNOWN,
    is_missing,
    require,
)

__all__ = ["eku_table", "san_table"]


def eku_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per certificate × EKU OID; no EKU gives an ``(absent)`` row, empty ``(empty)``.

    Columns: sha256, subject_cn, eku_oid, eku_name (short RFC name), eku_display_name,
    eku_critical. The index repeats the frame's index, so results join back to ``df``.
    """
    require(frame, "sha256", "subject_cn", "eku_present", "eku_oids", "eku_critical")
    values = [
        _markers(present, oids, none_marker=ABSENT)
        for present, oids in zip(frame["eku_present"], frame["eku_oids"], strict=True)
    ]
    long = _explode(frame, values, ["sha256", "subject_cn"], "eku_oid")
    long["eku_name"] = _names(long["eku_oid"], lambda o: eku(o).short_name)
    long["eku_display_name"] = _names(long["eku_oid"], lambda o: eku(o).display_name)
    positions = np.repeat(np.arange(len(frame)), [len(v) for v in values])
    critical = frame["eku_critical"].iloc[positions].astype(BOOLEAN)
    long["eku_critical"] = pd.Series(critical.array, index=long.index, dtype=BOOLEAN)
    return long


def san_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per certificate × subjectAltName entry; none gives a ``(none)`` row.

    Columns: sha256, subject_cn, san_type (``DNS``, ``IP``, ``email``, ``URI``, ``DirName``,
    ``RID``, ``othername``), san_value. Index as in :func:`eku_table`.
    """
    require(frame, "sha256", "subject_cn", "alternative_names")
    names = frame["alternative_names"]
    values = [[NONE] if v == [] else [UNKNOWN] if v is None else v for v in names]
    long = _explode(frame, values, ["sha256", "subject_cn"], "_san")
    split = [(s, s) if s in (NONE, UNKNOWN) else tuple(s.split(":", 1)) for s in long["_san"]]
    long["san_type"] = pd.Series([t for t, _ in split], index=long.index, dtype=STR)
    long["san_value"] = pd.Series([v for _, v in split], index=long.index, dtype=STR)
    return long.drop(columns="_san")


def _explode(
    frame: pd.DataFrame, values: list[list[str]], keep: list[str], into: str
) -> pd.DataFrame:
    """``keep`` columns repeated once per value (positional, so duplicate labels are fine)."""
    positions = np.repeat(np.arange(len(frame)), [len(v) for v in values])
    out = frame[keep].iloc[positions].copy()
    for k in keep:
        out[k] = out[k].astype(STR)
    out[into] = pd.Series([x for v in values for x in v], index=out.index, dtype=STR)
    return out


def _markers(present: Any, items: Any, *, none_marker: str) -> list[str]:
    if is_missing(present):
        return [UNKNOWN]
    if not present:
        return [none_marker]
    if is_missing(items):
        return [UNKNOWN]
    return list(items) or [EMPTY]


def _names(oids: pd.Series, name: Callable[[str], str]) -> pd.Series:
    markers = {ABSENT, EMPTY, NONE, UNKNOWN}
    return pd.Series([o if o in markers else name(o) for o in oids], index=oids.index, dtype=STR)
