"""Long tables from an inventory frame: ``df.certs.verdicts()`` and ``df.certs.findings()``.

:func:`inventory_verdicts` recomputes purposes × profiles for every certificate row from the
stored DER and the chain the inventory linked; :func:`inventory_findings` lists one row per
certificate × finding code. They read a finished frame (also one loaded back from Parquet),
never a scan's internals; :mod:`certlib.accessor` calls them from ``df.certs``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import pandas as pd
from cryptography import x509

from certlib import profiles as purpose
from certlib.cert.findings import FINDINGS
from certlib.cert.load import load_certificate
from certlib.core.verdicts import Purpose
from certlib.inventory.judge import At, run_instant


def inventory_verdicts(
    df: pd.DataFrame,
    *,
    profiles: Sequence[str] | None = None,
    purposes: Sequence[Purpose | str] | None = None,
    at: At = None,
) -> pd.DataFrame:
    """purposes × profiles for every certificate row, recomputed from the stored DER with the
    chain the inventory linked (``issuer_sha256``/``chain_sha256``).

    A row is judged only with its whole linked chain: when any ``chain_sha256`` entry is not a
    loadable certificate row of ``df`` (e.g. ``df[~df.is_ca]`` drops the issuers), the row is
    left out of the table rather than judged with a truncated chain (which could contradict
    the outcome the inventory stored). Callers can tell such rows by their ``sha256`` being
    absent from the result.
    """
    from certlib.core.verdicts import PROFILES

    profiles = tuple(profiles or PROFILES)
    purposes = tuple(Purpose(p) for p in (purposes or tuple(Purpose)))
    if at is None and df.attrs.get("at"):
        at = df.attrs["at"]
    at = run_instant(at) if at is not None else None
    ok = df[df["status"] != "error"] if "status" in df.columns else df
    by_sha = {s: d for s, d in zip(ok["sha256"], ok["der"], strict=True)}
    loaded: dict[str, x509.Certificate | None] = {}

    def cert(sha: str) -> x509.Certificate | None:
        if sha not in loaded:
            der = by_sha.get(sha)
            loaded[sha] = load_certificate(bytes(der))[0] if der is not None else None
        return loaded[sha]

    frames = []
    for _i, row in ok.iterrows():
        c = cert(row["sha256"])
        if c is None:
            continue
        linked = [cert(s) for s in (row.get("chain_sha256") or [])]
        if any(x is None for x in linked):
            continue  # the chain's certificates are not (all) in this frame: not judged
        chain = [x for x in linked if x is not None]
        rooted = bool(row.get("chain_complete")) and not bool(row.get("self_signed"))
        roots = chain[-1:] if rooted else ([c] if row.get("self_signed") else [])
        inters = chain[:-1] if rooted else chain
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            long = purpose.verdicts(
                c,
                profiles=profiles,
                purposes=purposes,
                intermediates=inters,
                roots=roots,
                at=at,
            )
        long.insert(0, "subject_cn", row.get("subject_cn"))
        long.insert(0, "sha256", row["sha256"])
        frames.append(long)
    if not frames:
        return pd.DataFrame(columns=["sha256", "subject_cn", "profile", "purpose", "outcome"])
    return pd.concat(frames, ignore_index=True)


def inventory_findings(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (certificate, finding code) with the code's description."""
    rows = [
        {"sha256": sha, "subject_cn": cn, "code": code, "description": FINDINGS.get(code, "")}
        for sha, cn, codes in zip(df["sha256"], df["subject_cn"], df["findings"], strict=True)
        for code in (codes if isinstance(codes, list | tuple) else ())
    ]
    out = pd.DataFrame(rows, columns=["sha256", "subject_cn", "code", "description"])
    out["code"] = out["code"].astype(pd.CategoricalDtype(list(FINDINGS)))
    return out
