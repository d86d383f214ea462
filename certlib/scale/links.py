"""Pass 2 on a cluster: distinct certificates, and issuer links found by joins.

Each step is a pandas function run per partition; :mod:`certlib.scale.plan` wires them into
shuffles and joins. The rules are the inventory's own functions (:mod:`certlib.inventory.link`):
only *where* the candidates meet changes, never how a link is decided.

* :func:`dedupe`: after a shuffle by SHA-256, one row per certificate, provenance merged in
  file order (the order key), as pass 1 of ``read_inventory`` merges it;
Each task owns a :class:`certlib.core.memo.Memo` for its run of certificates, as
``_link_cas`` owns one for the pile.

* :func:`load_cas`: the CA candidates (a subject some certificate names as issuer): loadable,
  self-signed, could be ``ca-as-leaf``;
* :func:`pick_parents`: each candidate's issuer among the candidates named by its issuer name,
  in first-seen order, signature checked (``issuer_of``);
* :func:`double`/:func:`paths`: the path up by pointer doubling (4 joins give 16 issuers, the
  inventory's limit), cut where it loops as ``_link_cas`` cuts it;
* :func:`packs`: per issuer name, what a leaf naming it needs (candidates in order, their paths,
  the DERs of every certificate on them);
* :func:`signed_pairs`: which ``ca-as-leaf`` candidates signed another certificate here.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

import pandas as pd

from certlib.cert.facts import facts
from certlib.cert.findings import ca_leaf_candidate
from certlib.cert.keys import self_signed as is_self_signed
from certlib.cert.load import load_certificate
from certlib.core.memo import Memo
from certlib.inventory.link import issuer_of, signed_by
from certlib.inventory.store import Entry
from certlib.scale.inputs import PILE_COLUMNS, merge_into, pile_meta

#: Issuers kept on a path (``_link_cas`` stops at 16); doubling reaches it in 4 joins.
MAX_UP = 16


def _objects(columns: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=d) for c, d in columns.items()})


def dedupe_meta() -> pd.DataFrame:
    meta = pile_meta().drop(columns=["kind", "error"])
    meta["part"] = pd.Series([], dtype="int64")
    return meta


def dedupe(df: pd.DataFrame, partition_info: dict | None = None) -> pd.DataFrame:
    """One row per SHA-256: the first sighting's DER and names, every sighting's provenance
    appended in order-key order (the order ``read_inventory`` reads files in)."""
    part = 0 if partition_info is None else int(partition_info["number"])
    df = df.sort_values(["sha256", "order"], kind="stable")
    rows: list[tuple] = []
    cols = [c for c in PILE_COLUMNS if c not in ("kind", "error")]  # sha256 first: grouped on
    for sha, group in groupby(zip(*(df[c] for c in cols), strict=True), key=lambda r: r[0]):
        first, *rest = group
        e = Entry(
            first[2],
            None,
            None,
            list(first[5]),
            list(first[6]),
            list(first[7]),
            list(first[8]),
            first[9],
            list(first[10]),
        )
        for r in rest:
            merge_into(e, r[5], r[6], r[7], r[8], r[9], r[10])
        rows.append(
            (
                sha,
                first[1],
                first[2],
                first[3],
                first[4],
                *e.provenance(),
                part,
            )
        )
    out = pd.DataFrame(rows, columns=[*cols, "part"], dtype=object)
    out["order"] = out["order"].astype("int64")
    out["part"] = out["part"].astype("int64")
    return out


CA_META = {
    "sha256": object,
    "order": "int64",
    "subject": object,
    "issuer": object,
    "der": object,
    "loaded": bool,
    "self_signed": bool,
    "leafish": bool,
}


def load_cas(df: pd.DataFrame) -> pd.DataFrame:
    """The candidates loaded once: a DER only for the loadable ones (a worker skips the others
    as ``issuer-unusable``, as with ``read_inventory``)."""
    loaded, selfs, leafish, ders = [], [], [], []
    memo = Memo()
    for subject, issuer, der in zip(df["subject"], df["issuer"], df["der"], strict=True):
        cert, _ = load_certificate(der)
        ok = cert is not None
        loaded.append(ok)
        ders.append(der if ok else None)
        selfs.append(ok and subject == issuer and is_self_signed(cert, memo=memo))
        try:
            leafish.append(ok and bool(ca_leaf_candidate(facts(cert, memo=memo))))
        except Exception:
            leafish.append(False)
    out = df[["sha256", "order", "subject", "issuer"]].copy()
    out["der"] = pd.Series(ders, index=df.index, dtype=object)
    out["loaded"] = pd.Series(loaded, index=df.index, dtype=bool)
    out["self_signed"] = pd.Series(selfs, index=df.index, dtype=bool)
    out["leafish"] = pd.Series(leafish, index=df.index, dtype=bool)
    return out


PARENT_META = {"sha256": object, "parent": object}


def pick_parents(pairs: pd.DataFrame) -> pd.DataFrame:
    """(child, candidate) pairs grouped by child → the child's issuer, the first candidate in
    first-seen order whose key verifies it (``issuer_of``, as ``_link_cas`` asks it)."""
    pairs = pairs.sort_values(["sha256", "porder"], kind="stable")
    rows: list[tuple[str, str | None]] = []
    memo = Memo()
    loaded: dict[str, Any] = {}  # each candidate loaded once per task, as _link_cas does
    it = zip(pairs["sha256"], pairs["der"], pairs["psha"], pairs["pder"], strict=True)
    for sha, group in groupby(it, key=lambda r: r[0]):
        group = list(group)
        cert, _ = load_certificate(group[0][1])
        for _s, _d, psha, pder in group:
            if psha not in loaded:
                loaded[psha] = load_certificate(pder)[0]
        cands = [(loaded[psha], psha) for _s, _d, psha, _p in group]
        cands = [(c, s) for c, s in cands if c is not None]
        found = issuer_of(cert, [c for c, _s in cands], memo=memo) if cert is not None else None
        rows.append((sha, next((s for c, s in cands if c is found), None)))
    return pd.DataFrame(rows, columns=["sha256", "parent"], dtype=object)


def first_step(df: pd.DataFrame) -> pd.DataFrame:
    """Ancestors, first round: ``seq`` is [parent] (or []) and ``last`` its last element."""
    seq = [[] if p is None or p != p else [p] for p in df["parent"]]
    return _seq_frame(df["sha256"], seq)


def _seq_frame(shas, seq) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sha256": pd.Series(list(shas), dtype=object),
            "seq": pd.Series(seq, dtype=object),
            "last": pd.Series([s[-1] if s else None for s in seq], dtype=object),
        }
    )


SEQ_META = {"sha256": object, "seq": object, "last": object}


def double(df: pd.DataFrame, k: int) -> pd.DataFrame:
    """Round of pointer doubling: ``seq`` held the first ``k`` ancestors; joined to the
    ``tail`` (the first ``k`` ancestors of its last one) it holds the first ``2k``."""
    seq = []
    for s, tail in zip(df["seq"], df["tail"], strict=True):
        if len(s) == k and isinstance(tail, list):
            s = [*s, *tail][:MAX_UP]
        seq.append(s)
    return _seq_frame(df["sha256"], seq)


def paths(df: pd.DataFrame) -> pd.DataFrame:
    """The path up as ``_link_cas`` walks it: ancestors until one repeats, is the certificate
    itself, or 16 are kept; ``top`` is where it ends (whose self-signature roots it)."""
    ups, tops = [], []
    for sha, seq in zip(df["sha256"], df["seq"], strict=True):
        up: list[str] = []
        for a in seq:
            if a == sha or a in up or len(up) >= MAX_UP:
                break
            up.append(a)
        ups.append(tuple(up))
        tops.append(up[-1] if up else sha)
    return pd.DataFrame(
        {
            "sha256": pd.Series(list(df["sha256"]), dtype=object),
            "up": pd.Series(ups, dtype=object),
            "top": pd.Series(tops, dtype=object),
        }
    )


PATH_META = {"sha256": object, "up": object, "top": object}


def members(df: pd.DataFrame) -> pd.DataFrame:
    """Per candidate, one row per certificate on its path (itself first), with its subject,
    order, path and whether it is rooted: what :func:`packs` needs, by member SHA-256."""
    rows = []
    cols = ["subject", "sha256", "order", "loaded", "up", "rooted"]
    for subject, sha, order, loaded, up, rooted in zip(*(df[c] for c in cols), strict=True):
        up = tuple(up) if isinstance(up, tuple | list) else ()
        for m in (sha, *up) if loaded else (sha,):
            rows.append((subject, sha, int(order), bool(loaded), up, bool(rooted), m))
    out = pd.DataFrame(rows, columns=[*cols, "member"], dtype=object)
    out["order"] = out["order"].astype("int64")
    return out


MEMBER_META = {
    "subject": object,
    "sha256": object,
    "order": "int64",
    "loaded": object,
    "up": object,
    "rooted": object,
    "member": object,
}


def packs(df: pd.DataFrame) -> pd.DataFrame:
    """Per issuer name (a candidate subject): the candidates in first-seen order, the paths of
    the loadable ones and the DERs of every loadable certificate on them."""
    rows = []
    df = df.sort_values(["subject", "order"], kind="stable")
    cols = ["subject", "sha256", "loaded", "up", "rooted", "member", "mder"]
    for subject, group in groupby(zip(*(df[c] for c in cols), strict=True), key=lambda r: r[0]):
        cands: list[str] = []
        paths_: dict[str, tuple[tuple[str, ...], bool]] = {}
        ders: dict[str, bytes] = {}
        for _s, sha, loaded, up, rooted, member, mder in group:
            if sha not in cands:
                cands.append(sha)
            if loaded:
                paths_[sha] = (tuple(up), bool(rooted))
            if isinstance(mder, bytes):
                ders[member] = mder
        rows.append((subject, (cands, paths_, ders)))
    return pd.DataFrame(rows, columns=["issuer", "pack"], dtype=object)


PACK_META = {"issuer": object, "pack": object}


def signed_pairs(df: pd.DataFrame) -> pd.DataFrame:
    """(certificate, ``ca-as-leaf`` candidate naming it issuer) → the candidates whose key
    verifies at least one other certificate (``signed_by``, as ``_issuers`` asks)."""
    done: set[str] = set()
    cache: dict[str, Any] = {}
    memo = Memo()
    for sha, der, ca, cader in zip(df["sha256"], df["der"], df["ca"], df["cader"], strict=True):
        if ca in done or sha == ca:
            continue
        child, _ = load_certificate(der)
        if ca not in cache:
            cache[ca] = load_certificate(cader)[0]
        if child is not None and cache[ca] is not None and signed_by(child, cache[ca], memo):
            done.add(ca)
    return pd.DataFrame({"ca": pd.Series(sorted(done), dtype=object)})
