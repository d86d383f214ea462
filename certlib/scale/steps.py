"""The per-partition tasks of a Dask scan that go through the staging store
(:mod:`certlib.scale.staging`): each reads the one staging file it needs, runs a pure step of
:mod:`certlib.scale.links` or :mod:`certlib.scale.judge` on it and hands Dask back only a small
table, so no full partition waits in worker memory for another partition.

* :class:`ReadStage`: read partition *i*, its certificate rows split by SHA-256 into one
  bucket per distinct partition, written as ``read/i``; Dask keeps its error rows;
* :func:`distinct_part`: distinct partition *j* from bucket *j* of every ``read/i`` (the
  SHA-256 shuffle, through the store), written as ``distinct/j``; Dask keeps its issuer names;
* :func:`candidates_part`, :func:`issued_part`: ``distinct/j``'s CA candidates loaded, and the
  ``ca-as-leaf`` candidates it shows to have issued something;
* :func:`judged_part`: ``distinct/j`` judged; :func:`judged_values`/:func:`error_values` stage
  the judged partition instead and keep its category values, which :func:`settled_part` applies
  to the staged partition once every partition's are united.

The partition number comes from Dask (``partition_info``): the small tables may be empty.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pandas as pd

from certlib.scale import judge as J
from certlib.scale import links as L
from certlib.scale.inputs import ReadPart, Secret, pile_meta
from certlib.scale.staging import Store

#: The small table a distinct partition leaves in memory: its issuer names (deduplicated).
USED_META = pd.DataFrame(
    {"part": pd.Series([], dtype="int64"), "issuer": pd.Series([], dtype=object)}
)


def _number(partition_info: dict | None) -> int:
    return 0 if partition_info is None else int(partition_info["number"])


def bucket_of(sha256: str, n: int) -> int:
    """The distinct partition of a certificate: its SHA-256 (uniform already) modulo ``n``."""
    return int(sha256[:12], 16) % n


class ReadStage:
    """The read task (``dd.from_map`` calls it on ``(number, inputs)``): the certificate rows
    staged in buckets, the error rows returned (few: one per unreadable input)."""

    def __init__(self, passwords: Secret, store: Store, n: int) -> None:
        self.read = ReadPart(passwords)
        self.store = store
        self.n = n

    def __repr__(self) -> str:
        return f"ReadStage({self.read!r}, {self.store!r}, {self.n})"

    def __dask_tokenize__(self) -> tuple[Any, ...]:
        return ("certlib-read-stage", self.read.__dask_tokenize__(), self.store.url, self.n)

    def __call__(self, part: tuple[int, tuple]) -> pd.DataFrame:
        number = part[0]
        df = self.read(part)
        certs = df[df["kind"] == "cert"]
        keys = [bucket_of(s, self.n) for s in certs["sha256"]]
        buckets = {int(k): g for k, g in certs.groupby(pd.Series(keys, index=certs.index))}
        self.store.put_buckets(f"read/{number:06d}", buckets)
        return df[df["kind"] == "error"].reset_index(drop=True)


def rows_read(df: pd.DataFrame) -> pd.DataFrame:
    """One row per read partition: what the distinct step waits on (every bucket written)."""
    return pd.DataFrame({"errors": pd.Series([len(df)], dtype="int64")})


def distinct_part(
    _handle: pd.DataFrame,
    done: pd.DataFrame,
    reads: int,
    store: Store,
    partition_info: dict | None = None,
) -> pd.DataFrame:
    """Distinct partition *j*: bucket *j* of every read partition, deduplicated
    (:func:`links.dedupe`) and staged; its distinct issuer names returned. ``done`` is the
    barrier: one row per read partition, so this runs after every bucket is written."""
    j = _number(partition_info)
    if len(done) != reads:  # the barrier: every read partition wrote its buckets
        raise RuntimeError(f"distinct step ran after {len(done)} of {reads} reads")
    pieces = [store.get_bucket(f"read/{i:06d}", j) for i in range(reads)]
    pieces = [p for p in pieces if p is not None]
    pile = pd.concat(pieces, ignore_index=True) if pieces else pile_meta()
    distinct = L.dedupe(pile, {"number": j})
    store.put(f"distinct/{j:06d}", distinct)
    used = distinct[["part", "issuer"]].dropna().drop_duplicates(ignore_index=True)
    return used.astype({"part": "int64", "issuer": object})


def _distinct(store: Store, partition_info: dict | None) -> pd.DataFrame:
    return store.get(f"distinct/{_number(partition_info):06d}")


def candidates_part(
    _used: pd.DataFrame, names: pd.DataFrame, store: Store, partition_info: dict | None = None
) -> pd.DataFrame:
    """The certificates of ``distinct/j`` whose subject some certificate names as issuer
    (``names``: every distinct issuer name), loaded (:func:`links.load_cas`)."""
    df = _distinct(store, partition_info)
    cands = df[df["subject"].isin(set(names["subject"]))]
    return L.load_cas(cands[["sha256", "order", "subject", "issuer", "der"]])


def issued_part(
    _used: pd.DataFrame, leafish: pd.DataFrame, store: Store, partition_info: dict | None = None
) -> pd.DataFrame:
    """The ``ca-as-leaf`` candidates (``leafish``: few, broadcast) that signed a certificate of
    ``distinct/j`` (:func:`links.signed_pairs`)."""
    df = _distinct(store, partition_info)[["sha256", "issuer", "der"]]
    return L.signed_pairs(df.merge(leafish, on="issuer"))


def judged_part(
    _used: pd.DataFrame,
    needs: pd.DataFrame,
    issued: pd.DataFrame,
    store: Store,
    profile: str,
    at: _dt.datetime,
    partition_info: dict | None = None,
) -> pd.DataFrame:
    """``distinct/j`` judged (:func:`judge.judge_part`)."""
    return J.judge_part(_distinct(store, partition_info), needs, issued, profile, at)


def judged_values(
    used: pd.DataFrame,
    needs: pd.DataFrame,
    issued: pd.DataFrame,
    store: Store,
    profile: str,
    at: _dt.datetime,
    partition_info: dict | None = None,
) -> pd.DataFrame:
    """``distinct/j`` judged and staged as ``judged/j``; its category values returned."""
    judged = judged_part(used, needs, issued, store, profile, at, partition_info)
    store.put(f"judged/{_number(partition_info):06d}", judged)
    return J.category_values(judged)


def error_values(
    errors: pd.DataFrame,
    store: Store,
    profile: str,
    at: _dt.datetime,
    partition_info: dict | None = None,
) -> pd.DataFrame:
    """Read partition *i*'s error rows typed and staged as ``errors/i``; their category
    values returned."""
    typed = J.error_part(errors, profile, at)
    store.put(f"errors/{_number(partition_info):06d}", typed)
    return J.category_values(typed)


def settled_part(
    _handle: pd.DataFrame,
    values: pd.DataFrame,
    store: Store,
    kind: str,
    partition_info: dict | None = None,
) -> pd.DataFrame:
    """The staged ``kind/number`` partition with the whole frame's categories
    (:func:`judge.settle_categories`)."""
    df = store.get(f"{kind}/{_number(partition_info):06d}")
    return J.settle_categories(df, values)
