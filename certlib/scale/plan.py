"""``read_inventory_dask``: the inventory as a Dask graph of reads, a shuffle through the
staging store and joins of small tables.

Every step that needs a partition's certificates reads it from the staging store
(:mod:`certlib.scale.staging`, tasks in :mod:`certlib.scale.steps`); between steps Dask holds
only small tables, so a worker's memory is bounded by the partition size, not the input.

1. read: one task per run of consecutive inputs (:mod:`certlib.scale.inputs`), on the
   workers; its certificate rows (each with an order key: file order) staged in one bucket per
   distinct partition (by SHA-256), its error rows staged too;
2. distinct: once every read is staged, partition *j* reads bucket *j* of every read, merges
   provenance in order-key order (:func:`links.dedupe`) and is staged; Dask keeps its issuer
   names (deduplicated);
3. candidates: each partition reads its certificates whose subject is a distinct issuer name
   (broadcast) and loads them once;
4. parents: join each candidate's issuer name to the candidates' subjects, signature checked
   where they meet; paths up by pointer doubling (4 joins for 16 issuers);
5. packs: per issuer name, the candidates with their paths and DERs, staged; Dask keeps an
   index (issuer name → packs file) that every judge gets, which reads the packs it uses;
6. ``ca-as-leaf``: the candidates that could be it (broadcast), checked against the staged
   certificates naming them;
7. judge every staged partition with the inventory's judge (:mod:`certlib.scale.judge`); the
   staged error rows of every read follow; with ``write_to=`` each partition is written by
   the task that makes it; with exact categories the judged partitions are staged again and
   only their category values wait for the union, which each staged partition then gets.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
from collections.abc import Iterable
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd
from dask.dataframe.utils import clear_known_categories

from certlib.inventory.judge import At, check_profile, run_instant
from certlib.scale import judge as J
from certlib.scale import links as L
from certlib.scale import steps as S
from certlib.scale import write as W
from certlib.scale.inputs import Secret, list_inputs, partitions
from certlib.scale.staging import Store
from certlib.scale.steps import ReadStage

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
    staging: str | os.PathLike[str] | Store | None = None,
    write_to: str | os.PathLike[str] | None = None,
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

    ``staging``: where partitions wait between steps (:mod:`certlib.scale.staging`), a folder
    or fsspec URL every worker can write and read; ``None``: a fresh temporary folder on this
    machine (right for a ``LocalCluster`` or the local schedulers; a cluster of several
    machines needs a shared folder or bucket). The run writes in a new subfolder of its own,
    removed with everything in it when the returned collection (and every collection derived
    from it) is garbage collected, or at interpreter exit. A :class:`Store` from
    :func:`certlib.dask_staging` is used as it is, and removed when its ``with`` block ends.

    ``write_to``: a folder (:func:`certlib.scale.write.prepare_folder`) into which the task
    that makes each partition writes it (``part-NNNNN.parquet``); the collection then holds
    one tally row per partition (:data:`certlib.scale.write.TALLY_META`), what
    ``certlib scan --dask`` sums. Unlike ``tally_parts(ddf, folder)`` no judged partition
    waits in memory for a separate write task.
    """
    check_profile(profile)
    at_utc = run_instant(at)
    secret = Secret([p.encode() if isinstance(p, str) else bytes(p) for p in passwords])
    if client is not None:  # listed where the workers see the files (shared folders, buckets)
        listing = client.submit(list_inputs, paths_or_urls, recursive=recursive, pure=False)
        listed = listing.result()
    else:
        listed = list_inputs(paths_or_urls, recursive=recursive)
    parts = partitions(listed, partition_size)
    with dask.config.set({"dataframe.convert-string": False}):
        if not parts:
            empty = dd.from_pandas(J.empty_frame(profile, at_utc), npartitions=1)
            return empty if write_to is None else W.tally_parts(empty, write_to)
        # a Store: the caller owns its lifetime; else the graph holds it (gone with the last
        # collection that holds it)
        store = staging if isinstance(staging, Store) else Store.create(staging)
        return _plan(parts, secret, profile, at_utc, exact_categories, store, write_to)


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


def _plan(
    parts,
    secret: Secret,
    profile: str,
    at: _dt.datetime,
    exact: bool,
    store: Store,
    write_to: str | os.PathLike[str] | None,
) -> dd.DataFrame:
    meta = J.empty_frame(profile, at)
    # each partition holds its own categories until the last step: unknown to Dask
    meta = clear_known_categories(meta, cols=list(J.CATEGORY_COLUMNS))
    n = len(parts)
    m = _ca_partitions(n)
    # 1-2. read (certificates staged in SHA-256 buckets), then distinct per bucket (staged):
    # Dask holds one row per read and each distinct partition's issuer names, nothing bigger
    reads = dd.from_map(ReadStage(secret, store, n), parts, meta=S.READ_META, label="certlib-read")
    done = reads.repartition(npartitions=1)
    handles = dd.from_map(_handle, range(n), meta=S.USED_META, label="certlib-partition")
    used = handles.map_partitions(
        S.distinct_part, done, n, store, meta=S.USED_META, align_dataframes=False
    )

    # 3. candidates: subjects some certificate names as issuer
    names = used[["issuer"]].drop_duplicates(split_out=m, shuffle_method="tasks")
    # one partition, broadcast to the partitions, each of which reads its staged certificates
    names = _renamed(names, {"issuer": "subject"}).repartition(npartitions=1)
    cas = used.map_partitions(
        S.candidates_part, names, store, meta=_meta(L.CA_META), align_dataframes=False
    ).repartition(npartitions=m)

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
    # staged; each judge reads the packs of the issuer names it uses (its ``used``)
    index = packs.map_partitions(S.staged_packs, store, meta=S.PACK_INDEX_META)
    index = index.repartition(npartitions=1)  # issuer names only: broadcast

    # 6. ca-as-leaf: candidates that signed another certificate of the pile
    leafish = _renamed(
        cas[cas["leafish"]][["sha256", "subject", "der"]],
        {"sha256": "ca", "subject": "issuer", "der": "cader"},
    ).repartition(npartitions=1)  # few (CAs with a SAN): broadcast to the certificates
    issued = used.map_partitions(
        S.issued_part, leafish, store, meta=_meta({"ca": object}), align_dataframes=False
    )
    issued = issued.drop_duplicates(split_out=1).repartition(npartitions=1)

    # 7. judge, error rows (each partition of the frame made, or written, by one task)
    args = (index, issued, store, profile, at)
    part = {"align_dataframes": False, "enforce_metadata": False}
    finish, out = None, meta
    if write_to is not None:  # written by the task that makes the partition: none waits
        finish, out = functools.partial(W.write_part, folder=os.fspath(write_to)), W.TALLY_META
    if not exact:
        judged = used.map_partitions(S.judged_part, *args, finish, meta=out, **part)
        errors = reads.map_partitions(S.error_rows, store, profile, at, finish, n, meta=out, **part)
        return dd.concat([judged, errors], interleave_partitions=False)
    # exact: both staged; Dask holds their category values only, then each is read back
    cats = _meta(dict.fromkeys(J.CATEGORY_COLUMNS, object))
    judged = used.map_partitions(S.judged_values, *args, meta=cats, **part)
    errors = reads.map_partitions(S.error_values, store, profile, at, meta=cats, **part)
    values = dd.concat([judged, errors], interleave_partitions=False).repartition(npartitions=1)
    values = values.map_partitions(J.union_values, meta=cats)
    settle = (values, store)
    return dd.concat(
        [
            used.map_partitions(S.settled_part, *settle, "judged", finish, 0, meta=out, **part),
            reads.map_partitions(
                S.settled_part, *settle, "typed-errors", finish, n, meta=out, **part
            ),
        ],
        interleave_partitions=False,
    )


def _handle(number: int) -> pd.DataFrame:
    """A distinct partition before it exists: the task that makes it reads the store."""
    return S.USED_META.copy()
