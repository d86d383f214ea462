"""The per-partition tasks of a Dask scan that go through the staging store
(:mod:`certlib.scale.staging`): each reads the one staging file it needs, runs a pure step of
:mod:`certlib.scale.links` or :mod:`certlib.scale.judge` on it and hands Dask back only a small
table, so no full partition waits in worker memory for another partition.

* :class:`ReadStage`: read partition *i*, its certificate rows split by SHA-256 into one
  bucket per distinct partition, written as ``read/i``, its error rows as ``errors/i``;
* :func:`distinct_part`: distinct partition *j* from bucket *j* of every ``read/i`` (the
  SHA-256 shuffle, through the store), written as ``distinct/j``; Dask keeps its issuer names;
* :func:`candidates_part`, :func:`issued_part`: ``distinct/j``'s CA candidates loaded, and the
  ``ca-as-leaf`` candidates it shows to have issued something;
* :func:`staged_packs`: the packs (what a leaf naming an issuer needs) staged, only their
  index (issuer name → file) kept; :func:`needed_packs` reads a partition's;
* :func:`judged_part`: ``distinct/j`` judged with its packs, read partition *j*'s error rows
  after it (the frame's partition *j*); :func:`judged_values` stages it instead and keeps its
  category values, which :func:`settled_part` applies to the staged partition once every partition's
  are united.

The partition number comes from Dask (``partition_info``): the small tables may be empty.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

import pandas as pd

from certlib.scale import judge as J
from certlib.scale import links as L
from certlib.scale.inputs import ReadPart, Secret, pile_meta
from certlib.scale.staging import Store

#: What the last task does with its partition of the frame (``write.write_part``, say).
Finish = Callable[..., pd.DataFrame]

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
    staged in buckets, the error rows staged as ``errors/i``; one row returned."""

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
        errors = df[df["kind"] == "error"].reset_index(drop=True)
        self.store.put(f"errors/{number:06d}", errors)
        return pd.DataFrame({"errors": pd.Series([len(errors)], dtype="int64")})


#: What a read task leaves in Dask memory: one row (its error count).
READ_META = pd.DataFrame({"errors": pd.Series([], dtype="int64")})


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


#: Where the packs are staged: one row per issuer name, the number of its packs file.
PACK_INDEX_META = pd.DataFrame(
    {"issuer": pd.Series([], dtype=object), "file": pd.Series([], dtype="int64")}
)


def staged_packs(packs: pd.DataFrame, store: Store, partition_info: dict | None = None):
    """A partition of packs (:func:`links.packs`) staged as ``packs/k``; its index returned
    (issuer names only), so no partition's packs travel through Dask memory."""
    k = _number(partition_info)
    store.put(f"packs/{k:06d}", packs)
    return pd.DataFrame(
        {"issuer": packs["issuer"].astype(object), "file": pd.Series(k, index=packs.index)}
    ).astype({"file": "int64"})


def needed_packs(used: pd.DataFrame, index: pd.DataFrame, store: Store) -> pd.DataFrame:
    """The packs of the issuer names a partition uses, read from the staged packs files that
    hold them (one file at a time, only the needed rows kept)."""
    want = set(used["issuer"])
    files = sorted(set(index.loc[index["issuer"].isin(want), "file"]))
    frames = []
    for k in files:
        packs = store.get(f"packs/{int(k):06d}")
        frames.append(packs[packs["issuer"].isin(want)])
    if not frames:
        return pd.DataFrame(
            {"issuer": pd.Series([], dtype=object), "pack": pd.Series([], dtype=object)}
        )
    return pd.concat(frames, ignore_index=True)


def judged_part(
    used: pd.DataFrame,
    index: pd.DataFrame,
    issued: pd.DataFrame,
    store: Store,
    profile: str,
    at: _dt.datetime,
    finish: Finish | None = None,
    partition_info: dict | None = None,
) -> pd.DataFrame:
    """``distinct/j`` judged (:func:`judge.judge_part`) with the packs it uses, or what
    ``finish`` makes of it in the same task (a writer: then no judged partition waits in
    memory for its write)."""
    df = _distinct(store, partition_info)
    judged = J.judge_part(df, needed_packs(used, index, store), issued, profile, at)
    return _finished(judged, finish, _number(partition_info))


def judged_values(
    used: pd.DataFrame,
    index: pd.DataFrame,
    issued: pd.DataFrame,
    store: Store,
    profile: str,
    at: _dt.datetime,
    partition_info: dict | None = None,
) -> pd.DataFrame:
    """Partition *j* judged (:func:`judged_part`) and staged as ``judged/j``; its category
    values returned."""
    judged = judged_part(used, index, issued, store, profile, at, None, partition_info)
    return _staged_values(store, "judged", judged, partition_info)


def _finished(df: pd.DataFrame, finish: Finish | None, number: int) -> pd.DataFrame:
    """``finish`` told the partition's number in the whole frame (the error partitions follow
    the judged ones)."""
    return df if finish is None else finish(df, partition_info={"number": number})


def error_rows(
    _read: pd.DataFrame,
    store: Store,
    profile: str,
    at: _dt.datetime,
    finish: Finish | None = None,
    offset: int = 0,
    partition_info: dict | None = None,
) -> pd.DataFrame:
    """Read partition *i*'s staged error rows, typed as the frame's (:func:`judge.error_part`),
    or what ``finish`` makes of them (as the frame's partition ``offset + i``)."""
    i = _number(partition_info)
    typed = J.error_part(store.get(f"errors/{i:06d}"), profile, at)
    return _finished(typed, finish, offset + i)


def error_values(
    read: pd.DataFrame,
    store: Store,
    profile: str,
    at: _dt.datetime,
    partition_info: dict | None = None,
) -> pd.DataFrame:
    """Read partition *i*'s error rows typed and staged as ``typed-errors/i``; their category
    values returned."""
    typed = error_rows(read, store, profile, at, None, 0, partition_info)
    return _staged_values(store, "typed-errors", typed, partition_info)


def _staged_values(
    store: Store, kind: str, part: pd.DataFrame, partition_info: dict | None
) -> pd.DataFrame:
    """``part`` staged as ``kind/number`` (read back by :func:`settled_part`); only its
    category values travel on, so no typed partition waits in worker memory."""
    store.put(f"{kind}/{_number(partition_info):06d}", part)
    return J.category_values(part)


def settled_part(
    _used: pd.DataFrame,
    values: pd.DataFrame,
    store: Store,
    kind: str,
    finish: Finish | None = None,
    offset: int = 0,
    partition_info: dict | None = None,
) -> pd.DataFrame:
    """The staged ``kind/number`` partition (``judged`` or ``typed-errors``) with the whole
    frame's categories (:func:`judge.settle_categories`), or what ``finish`` makes of it in
    the same task (as the frame's partition ``offset + number``)."""
    i = _number(partition_info)
    df = J.settle_categories(store.get(f"{kind}/{i:06d}"), values)
    return _finished(df, finish, offset + i)
