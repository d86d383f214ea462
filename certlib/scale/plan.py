"""``read_inventory_dask``: the inventory as a Dask graph of reads, shuffles and joins.

1. read: one task per run of consecutive inputs (:mod:`certlib.scale.inputs`), on the
   workers; certificate rows and error rows, each with an order key (file order);
2. distinct: shuffle by SHA-256, provenance merged in order-key order (:func:`links.dedupe`);
3. candidates: join the subjects to the distinct issuer names; load them once;
4. parents: join each candidate's issuer name to the candidates' subjects, signature checked
   where they meet; paths up by pointer doubling (4 joins for 16 issuers);
5. packs: per issuer name, the candidates with their paths and DERs; joined to the issuer
   names each partition uses and routed back to that partition by its number;
6. ``ca-as-leaf``: the candidates that could be it, joined to the certificates naming them;
7. judge every partition with the inventory's judge (:mod:`certlib.scale.judge`); the error
   rows of pass 1 follow; categories are settled over the whole frame.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd
from dask.dataframe.utils import clear_known_categories

from certlib.inventory.judge import At, _as_utc, _check_profile
from certlib.scale import judge as J
from certlib.scale import links as L
from certlib.scale.inputs import ReadPart, Secret, list_inputs, partitions, pile_meta

#: Inputs per read partition by default.
PARTITION_SIZE = 512

#: Certificate partitions per CA-side partition.
CA_RATIO = 16

Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def _meta(columns: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=d) for c, d in columns.items()})


def read_inventory_dask(
    paths_or_urls: Paths,
    *,
    passwords: Iterable[str | bytes] = (),
    profile: str = "rfc5280",
    at: At = None,
    client: Any = None,
    partition_size: int = PARTITION_SIZE,
    recursive: bool = True,
    exact_categories: bool = True,
) -> dd.DataFrame:
    """``read_inventory``'s frame as a lazy Dask DataFrame: the same rows, columns, dtypes and
    ``attrs`` once computed (row order aside: sort by ``sha256``).

    Inputs (local paths, globs, ``file://``/``memory://``/``s3://``… URLs) are listed here (only
    names) and read by the workers, ``partition_size`` inputs per task. ``client``: a
    ``distributed.Client`` whose workers list the inputs too (they see the shared folders and
    buckets; without it this process lists them); the frame computes on Dask's current
    scheduler, as every Dask collection does. URLs other than ``file://`` must be readable
    from the workers (``memory://`` is per process: use it with the threaded scheduler).
    ``passwords`` travel in a :class:`certlib.scale.inputs.Secret`: no task key, repr or log
    shows them. With ``exact_categories=False`` each partition keeps the categories it holds
    (what Parquet keeps per file; ``load_inventory`` settles them), so no step waits for every
    partition.
    """
    _check_profile(profile)
    at_utc = _as_utc(at)
    secret = Secret([p.encode() if isinstance(p, str) else bytes(p) for p in passwords])
    if client is not None:  # listed where the workers see the files (shared folders, buckets)
        listing = client.submit(list_inputs, paths_or_urls, recursive=recursive, pure=False)
        listed = listing.result()
    else:
        listed = list_inputs(paths_or_urls, recursive=recursive)
    with dask.config.set({"dataframe.convert-string": False}):
        return _plan(partitions(listed, partition_size), secret, profile, at_utc, exact_categories)


def _shuffle(df: dd.DataFrame, on: str, n: int) -> dd.DataFrame:
    # tasks shuffle: the columns are Python objects (bytes, lists) that need no Arrow schema
    return df.shuffle(on, npartitions=n, shuffle_method="tasks")


def _ca_partitions(n: int) -> int:
    """Partitions of the CA-side tables (candidates, parents, paths, packs): a pile has far
    fewer CA candidates than certificates, and a one-partition side is joined by broadcast
    (no shuffle of the big side)."""
    return max(1, -(-n // CA_RATIO))


def _renamed(df: dd.DataFrame, columns: dict[str, str]) -> dd.DataFrame:
    """``df.rename(columns=…)`` run per partition (opaque to the optimiser, whose own rename
    loses track of shuffled columns)."""
    meta = df._meta.rename(columns=columns)
    return df.map_partitions(pd.DataFrame.rename, columns=columns, meta=meta)


def _join(left: dd.DataFrame, right: dd.DataFrame, **kw: Any) -> dd.DataFrame:
    return left.merge(right, shuffle_method="tasks", **kw)


def _plan(parts, secret: Secret, profile: str, at: _dt.datetime, exact: bool) -> dd.DataFrame:
    meta = J.empty_frame(profile, at)
    if not parts:
        return dd.from_pandas(meta, npartitions=1)
    # each partition holds its own categories until the last step: unknown to Dask
    meta = clear_known_categories(meta, cols=list(J.CATEGORY_COLUMNS))
    n = len(parts)
    m = _ca_partitions(n)
    read = dd.from_map(ReadPart(secret), parts, meta=pile_meta(), label="certlib-read")
    certs = read[read["kind"] == "cert"]
    distinct = _shuffle(certs, "sha256", n).map_partitions(L.dedupe, meta=L.dedupe_meta())

    # 3. candidates: subjects some certificate names as issuer
    names = distinct[["issuer"]].dropna().drop_duplicates(split_out=m, shuffle_method="tasks")
    # one partition: joined by broadcast, so the certificates (with their DERs) stay put
    names = _renamed(names, {"issuer": "subject"}).repartition(npartitions=1)
    cands = _join(distinct[["sha256", "order", "subject", "issuer", "der"]], names, on="subject")
    cas = cands.map_partitions(L.load_cas, meta=_meta(L.CA_META)).repartition(npartitions=m)

    # 4. parents and paths up
    loaded = cas[cas["loaded"]]
    index = _renamed(
        loaded[["sha256", "subject", "order", "der"]],
        {"sha256": "psha", "subject": "issuer", "order": "porder", "der": "pder"},
    )
    children = loaded[~loaded["self_signed"]][["sha256", "issuer", "der"]]
    pairs = _join(children, index, on="issuer")
    pairs = pairs[pairs["sha256"] != pairs["psha"]]
    parents = _shuffle(pairs, "sha256", m).map_partitions(L.pick_parents, meta=_meta(L.PARENT_META))
    seq = _join(loaded[["sha256"]], parents, on="sha256", how="left")
    seq = seq.map_partitions(L.first_step, meta=_meta(L.SEQ_META))
    k = 1
    while k < L.MAX_UP:
        tails = _renamed(seq[["sha256", "seq"]], {"sha256": "last", "seq": "tail"})
        seq = _join(seq, tails, on="last", how="left")
        seq = seq.map_partitions(L.double, k, meta=_meta(L.SEQ_META))
        k *= 2
    ups = seq.map_partitions(L.paths, meta=_meta(L.PATH_META))
    roots = _renamed(cas[["sha256", "self_signed"]], {"sha256": "top", "self_signed": "rooted"})
    ups = _join(ups, roots, on="top", how="left")[["sha256", "up", "rooted"]]

    # 5. packs per issuer name, routed to the partitions that use them
    full = _join(cas[["sha256", "order", "subject", "loaded"]], ups, on="sha256", how="left")
    mem = full.map_partitions(L.members, meta=_meta(L.MEMBER_META))
    ders = _renamed(cas[cas["loaded"]][["sha256", "der"]], {"sha256": "member", "der": "mder"})
    mem = _join(mem, ders, on="member", how="left")
    packs = _shuffle(mem, "subject", m).map_partitions(L.packs, meta=_meta(L.PACK_META))
    # a partition's issuer names, deduplicated where they are (``part`` is one per partition)
    used = distinct[["part", "issuer"]].dropna().map_partitions(pd.DataFrame.drop_duplicates)
    needs = _join(used, packs, on="issuer")
    needs = needs.set_index("part", divisions=[*range(n), n - 1], shuffle_method="tasks")

    # 6. ca-as-leaf: candidates that signed another certificate of the pile
    leafish = _renamed(
        cas[cas["leafish"]][["sha256", "subject", "der"]],
        {"sha256": "ca", "subject": "issuer", "der": "cader"},
    ).repartition(npartitions=1)  # few (CAs with a SAN): broadcast to the certificates
    named = _join(distinct[["sha256", "issuer", "der"]], leafish, on="issuer")
    issued = named.map_partitions(L.signed_pairs, meta=_meta({"ca": object}))
    issued = issued.drop_duplicates(split_out=1).repartition(npartitions=1)

    # 7. judge, error rows, categories
    judged = distinct.map_partitions(
        J.judge_part,
        needs,
        issued,
        profile,
        at,
        meta=meta,
        align_dataframes=False,
        enforce_metadata=False,
    )
    errors = read[read["kind"] == "error"].map_partitions(
        J.error_part, profile, at, meta=meta, enforce_metadata=False
    )
    frame = dd.concat([judged, errors], interleave_partitions=False)
    if not exact:
        return frame
    values = frame.map_partitions(
        J.category_values, meta=_meta(dict.fromkeys(J.CATEGORY_COLUMNS, object))
    )
    values = values.repartition(npartitions=1).map_partitions(J.union_values, meta=values._meta)
    return frame.map_partitions(J.settle_categories, values, meta=meta, align_dataframes=False)
