"""Plain pandas tables that summarise an inventory frame.

The plots (:mod:`certlib.report.plots`) and the HTML report (:mod:`certlib.report.html`)
draw only from these tables, so a number in a picture, a number in the report and a number in
a notebook are computed once, here. Every function accepts the frame ``read_inventory`` returns,
one read back with ``load_inventory``, an empty one and one made only of error rows.

"Certificate" means a row whose ``status`` is ``ok`` or ``partial`` (a frame without a
``status`` column, e.g. from ``to_frame``, is all certificates). "CA" means basicConstraints
cA=TRUE (``is_ca``); every other certificate is an end-entity, including a CA used as a leaf
(its ``ca-as-leaf`` finding says so).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pandas as pd

from certlib.cert.findings import describe
from certlib.core.instants import as_utc
from certlib.core.verdicts import OUTCOMES, Outcome, Purpose

__all__ = [
    "ALLOWING",
    "EXPIRING_WITHIN",
    "PURPOSES",
    "certificate_rows",
    "expiry_table",
    "finding_counts",
    "is_ca",
    "key_type_counts",
    "reference_time",
    "summary",
    "verdict_counts",
]

#: The six purpose columns, in the order tables and plots show them.
PURPOSES: tuple[str, ...] = tuple(p.value for p in Purpose)
#: Outcomes that let the certificate be used (``warning`` = allowed with a caveat, as
#: ``Verdict.allowed``).
ALLOWING: tuple[Outcome, ...] = (Outcome.ALLOWED, Outcome.WARNING)
#: "Expiring" is the ``expires-30d`` finding's window: ``at <= notAfter < at + 30 days``.
EXPIRING_WITHIN = pd.Timedelta(days=30)

_At = str | _dt.datetime | pd.Timestamp | None


def reference_time(df: pd.DataFrame, at: _At = None) -> pd.Timestamp:
    """``at`` if given, else the inventory's own ``df.attrs["at"]``, else now (all UTC).

    Expiry is judged at the time the inventory was judged at, so the report agrees with the
    frame's ``expired``/``expires-30d`` findings.
    """
    if at is None:
        at = df.attrs.get("at")
    return pd.Timestamp(as_utc(at, now_to_the_second=True))


def certificate_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows that hold a certificate (``status`` ok/partial), not error rows."""
    if "status" not in df.columns:
        return df
    return df[df["status"].isin(["ok", "partial"]).to_numpy(dtype=bool)]


def is_ca(df: pd.DataFrame) -> pd.Series:
    """Boolean mask: basicConstraints cA=TRUE (unknown counts as not a CA)."""
    return df["is_ca"].astype("boolean").fillna(False).astype(bool)


def _count(series: pd.Series) -> dict[str, int]:
    """value -> count, most frequent first, ties by value (stable for a fixed frame)."""
    counts = series.dropna().astype(str).value_counts()
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {str(k): int(v) for k, v in items}


def _items(cell: Any) -> list[Any]:
    """A list cell's items: lists, tuples and arrays (Parquet); None or NaN (a row concatenated
    from a frame without the column) hold nothing."""
    if isinstance(cell, list | tuple):
        return list(cell)
    if hasattr(cell, "tolist") and not isinstance(cell, str):
        return list(cell.tolist())
    return []


def _files(df: pd.DataFrame) -> int:
    if "source_files" not in df.columns:
        return 0
    return len({f for files in df["source_files"] for f in _items(files)})


def summary(df: pd.DataFrame, at: _At = None) -> dict[str, Any]:
    """The headline numbers of an inventory, as plain Python values.

    Keys: ``profile``, ``at`` (ISO 8601), ``files`` (distinct input files named by any row),
    ``certificates``, ``partial``, ``error_rows``, ``errors_by_kind`` (kind -> count),
    ``ca``, ``end_entity``, ``expired``, ``expiring`` (valid at ``at``, ``notAfter`` less
    than 30 days later: the ``expired``/``expires-30d`` findings' rules), ``iis_candidates``
    (``{"true", "false", "unknown"}`` -> count).
    """
    t = reference_time(df, at)
    certs = certificate_rows(df)
    errors = df[df["status"] == "error"] if "status" in df.columns else df.iloc[:0]
    ca = is_ca(certs) if len(certs) else pd.Series([], dtype=bool)
    not_after = certs["not_after"]
    iis = (
        certs["iis_binding_candidate"].astype("boolean")
        if "iis_binding_candidate" in certs.columns
        else pd.Series(pd.NA, index=certs.index, dtype="boolean")
    )
    return {
        "profile": df.attrs.get("profile"),
        "at": t.isoformat(),
        "files": _files(df),
        "certificates": len(certs),
        "partial": int((certs["status"] == "partial").sum()) if "status" in certs else 0,
        "error_rows": len(errors),
        "errors_by_kind": _count(errors["error_kind"]) if "error_kind" in errors else {},
        "ca": int(ca.sum()),
        "end_entity": int((~ca).sum()),
        "expired": int((not_after < t).sum()),
        "expiring": int(((not_after >= t) & (not_after < t + EXPIRING_WITHIN)).sum()),
        "iis_candidates": {
            "true": int((iis == True).sum()),  # noqa: E712 - nullable: NA is neither
            "false": int((iis == False).sum()),  # noqa: E712
            "unknown": int(iis.isna().sum()),
        },
    }


def verdict_counts(df: pd.DataFrame, *, include_ca: bool = False) -> pd.DataFrame:
    """Purpose × outcome counts for the inventory's profile.

    Rows: the six purposes in :data:`PURPOSES` order; columns: every outcome in
    ``OUTCOMES`` order (allowed, warning, denied, invalid, n/a), zero-filled, int64.
    End-entity certificates only unless ``include_ca`` (a CA's ``tls_server`` verdict answers
    a different question). A missing verdict (a partial row whose judging failed) is not
    counted, so a row can sum to less than the certificates counted.
    """
    certs = certificate_rows(df)
    if not include_ca and len(certs):
        certs = certs[~is_ca(certs).to_numpy()]
    table = {
        p: [int((certs[p].astype(str) == o).sum()) if p in certs else 0 for o in OUTCOMES]
        for p in PURPOSES
    }
    out = pd.DataFrame.from_dict(table, orient="index", columns=list(OUTCOMES)).astype("int64")
    out.index.name = "purpose"
    out.columns.name = "outcome"
    return out


def finding_counts(df: pd.DataFrame) -> pd.DataFrame:
    """One row per finding code present: ``code``, ``count`` (certificates), ``meaning``.

    Sorted by count (most first), then code. Meanings come from ``certlib.cert.findings.FINDINGS``.
    """
    codes = [c for cs in df.get("findings", pd.Series([], dtype=object)) for c in _items(cs)]
    counts = _count(pd.Series(codes, dtype="str"))
    out = pd.DataFrame(
        {
            "code": pd.Series(list(counts), dtype="str"),
            "count": pd.Series(list(counts.values()), dtype="int64"),
            "meaning": pd.Series(describe(counts), dtype="str"),
        }
    )
    return out


def key_type_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Certificates per public key type: ``key_type`` (algorithm and size, ``RSA 2048``,
    ``EC 256``; the algorithm alone when the size is unknown), ``count``; most first."""
    certs = certificate_rows(df)
    labels = [
        "unknown" if not isinstance(alg, str) else alg if pd.isna(size) else f"{alg} {size}"
        for alg, size in zip(certs["public_key_algorithm"], certs["public_key_size"], strict=True)
    ]
    counts = _count(pd.Series(labels, dtype="str"))
    return pd.DataFrame(
        {
            "key_type": pd.Series(list(counts), dtype="str"),
            "count": pd.Series(list(counts.values()), dtype="int64"),
        }
    )


def expiry_table(df: pd.DataFrame, at: _At = None) -> pd.DataFrame:
    """Certificates by ``not_after`` (earliest first; unknown dates last).

    Columns: ``sha256``, ``subject_cn``, ``issuer_cn``, ``not_after``, ``days_left`` (whole
    days from ``at`` to ``not_after``, rounded down, negative once expired), ``state``
    (``expired`` / ``expiring`` within 30 days / ``valid`` / ``unknown``), ``purposes_allowed``
    (purposes whose outcome is allowed or warning). The index is the frame's, so it joins back.
    """
    t = reference_time(df, at)
    certs = certificate_rows(df)
    not_after = certs["not_after"]
    days = (not_after - t) // pd.Timedelta(days=1)
    state = pd.Series("valid", index=certs.index, dtype="str")
    state[not_after < t + EXPIRING_WITHIN] = "expiring"
    state[not_after < t] = "expired"
    state[not_after.isna()] = "unknown"
    purposes = [p for p in PURPOSES if p in certs.columns]
    allowed = [
        [p for p, o in zip(purposes, outcomes, strict=True) if o in ALLOWING]
        for outcomes in zip(*(certs[p] for p in purposes), strict=True)
    ] or [[] for _ in range(len(certs))]
    out = pd.DataFrame(
        {
            "sha256": certs["sha256"].astype("str"),
            "subject_cn": certs["subject_cn"].astype("str"),
            "issuer_cn": certs["issuer_cn"].astype("str"),
            "not_after": not_after,
            "days_left": days.astype("Int64"),
            "state": state,
            "purposes_allowed": pd.Series(allowed, index=certs.index, dtype=object),
        },
        index=certs.index,
    )
    return out.sort_values("not_after", kind="stable", na_position="last")
