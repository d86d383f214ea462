"""Pass 3 on a cluster: judge one partition with the inventory's own judge, typed as
``read_inventory`` types its frame.

A partition of distinct certificates arrives with the packs of the issuer names it uses
(:func:`certlib.scale.links.packs`) and the ``ca-as-leaf`` candidates known to have issued
something; :func:`judge_part` turns that into the inventory pipeline's records
(:class:`certlib.inventory.records.Job` of :class:`~certlib.inventory.records.Item`), judges
them with :func:`certlib.inventory.judge.judge_chunk` under one memo per partition (the
partition is the run here) and hands the judged chunks to the pipeline's
:class:`certlib.inventory.sink.FrameSink`, which finishes the rows as ``read_inventory``'s:
the same code as one machine, fed by joins.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pandas as pd

from certlib.frame import CATEGORY, SCHEMA
from certlib.inventory import judge as inventory_judge
from certlib.inventory.judge import judge_chunk, run_memo
from certlib.inventory.records import Item, Job, PathUp
from certlib.inventory.sink import FrameSink
from certlib.inventory.store import Entry
from certlib.scale.inputs import PILE_COLUMNS

#: Certificates per chunk inside a partition (the inventory's largest chunk).
CHUNK = 2048

#: The frame's ``category`` columns: their categories are settled over the whole frame.
CATEGORY_COLUMNS: tuple[str, ...] = tuple(n for n, s in SCHEMA.items() if s.dtype == CATEGORY)


def empty_frame(profile: str, at: _dt.datetime) -> pd.DataFrame:
    """``read_inventory``'s frame with no rows: the meta of every partition."""
    return FrameSink(profile, at).close([])


def _bytes(hexed: Any) -> bytes | None:
    return bytes.fromhex(hexed) if isinstance(hexed, str) else None


def judge_part(
    df: pd.DataFrame,
    needs: pd.DataFrame,
    issued: pd.DataFrame,
    profile: str,
    at: _dt.datetime,
) -> pd.DataFrame:
    """One partition judged: ``df`` its distinct certificates, ``needs`` the packs of the issuer
    names they use, ``issued`` the ``ca-as-leaf`` candidates that signed something."""
    by_subject: dict[bytes, list[str]] = {}
    ca_ders: dict[str, bytes] = {}
    ca_paths: dict[str, PathUp] = {}
    for issuer, (cands, paths, ders) in zip(needs["issuer"], needs["pack"], strict=True):
        by_subject[bytes.fromhex(issuer)] = list(cands)
        ca_paths.update({sha: PathUp(tuple(up), rooted) for sha, (up, rooted) in paths.items()})
        ca_ders.update(ders)
    df = df.sort_values("order", kind="stable")
    items = []
    cols = [c for c in PILE_COLUMNS if c not in ("kind", "order", "error")]
    for sha, der, subj, iss, srcs, files, conts, names, key, warns in zip(
        *(df[c] for c in cols), strict=True
    ):
        e = Entry(
            der,
            _bytes(subj),
            _bytes(iss),
            list(srcs),
            list(files),
            list(conts),
            list(names),
            key,
            list(warns),
        )
        items.append(Item(sha, der, e))
    issuers = set(issued["ca"])
    memo, memoise = run_memo(), inventory_judge.MEMOISE
    sink = FrameSink(profile, at)
    for start in range(0, len(items), CHUNK):
        batch = items[start : start + CHUNK]
        children = frozenset(i.sha for i in batch if i.sha in issuers)
        job = Job(batch, ca_ders, ca_paths, by_subject, profile, at, children, memoise)
        sink.add(sink.shape(judge_chunk(job, memo), job))
    return _typed(sink.close([]), profile, at)


def error_part(df: pd.DataFrame, profile: str, at: _dt.datetime) -> pd.DataFrame:
    """A read partition's error rows, typed as the frame's."""
    return _typed(FrameSink(profile, at).close(list(df["error"])), profile, at)


def _typed(df: pd.DataFrame, profile: str, at: _dt.datetime) -> pd.DataFrame:
    """Every column in the meta's dtype (categories excepted: each partition holds its own
    until :func:`settle_categories`)."""
    meta = empty_frame(profile, at)
    df = df[list(meta.columns)]
    for col, dtype in meta.dtypes.items():
        if col in CATEGORY_COLUMNS:
            continue
        if df[col].dtype != dtype:
            df[col] = df[col].astype(dtype)
    df.attrs.update(meta.attrs)
    return df


def category_values(df: pd.DataFrame) -> pd.DataFrame:
    """The values of each ``category`` column in this partition (one row of sets)."""
    return pd.DataFrame(
        {c: pd.Series([set(df[c].dropna().astype(str))], dtype=object) for c in CATEGORY_COLUMNS}
    )


def union_values(df: pd.DataFrame) -> pd.DataFrame:
    """The partitions' value sets united (one row)."""
    return pd.DataFrame(
        {c: pd.Series([set().union(*df[c])], dtype=object) for c in CATEGORY_COLUMNS}
    )


def settle_categories(df: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Every partition's ``category`` columns with the whole frame's sorted categories, as
    ``read_inventory`` derives them from the whole column (so concatenating keeps them)."""
    df = df.copy()
    for c in CATEGORY_COLUMNS:
        cats = pd.Index(sorted(values[c].iloc[0]), dtype="str")
        df[c] = df[c].astype("str").astype(pd.CategoricalDtype(cats))
    return df
