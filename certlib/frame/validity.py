"""Filters of a certificate frame on its validity dates (inclusive, as RFC 5280 counts them).

``at`` defaults to now; a naive time is taken as UTC, so a filter means the same on every
machine.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from certlib.core.instants import as_utc
from certlib.frame.schema import require

__all__ = ["At", "expired", "expiring", "not_yet_valid", "valid_at"]

#: An instant as the filters accept it: ISO text, a datetime or Timestamp (naive = UTC), or now.
At = str | _dt.datetime | pd.Timestamp | None


def expiring(
    frame: pd.DataFrame, within: str | pd.Timedelta | _dt.timedelta = "30D", *, at: At = None
) -> pd.DataFrame:
    """Rows whose ``not_after`` falls in ``[at, at + within]`` (``at`` defaults to now, UTC)."""
    require(frame, "not_after")
    start = _instant(at)
    end = start + pd.Timedelta(within)
    not_after = frame["not_after"]
    return frame[(not_after >= start) & (not_after <= end)]


def expired(frame: pd.DataFrame, at: At = None) -> pd.DataFrame:
    """Rows whose ``not_after`` is before ``at`` (default now, UTC)."""
    require(frame, "not_after")
    return frame[frame["not_after"] < _instant(at)]


def not_yet_valid(frame: pd.DataFrame, at: At = None) -> pd.DataFrame:
    """Rows whose ``not_before`` is after ``at`` (default now, UTC)."""
    require(frame, "not_before")
    return frame[frame["not_before"] > _instant(at)]


def valid_at(frame: pd.DataFrame, at: At = None) -> pd.DataFrame:
    """Rows valid at ``at`` (default now): ``not_before <= at <= not_after`` (RFC 5280)."""
    require(frame, "not_before", "not_after")
    t = _instant(at)
    return frame[(frame["not_before"] <= t) & (frame["not_after"] >= t)]


def _instant(at: At) -> pd.Timestamp:
    """A UTC timestamp; naive inputs are taken as UTC, None means now."""
    return pd.Timestamp(as_utc(at))
