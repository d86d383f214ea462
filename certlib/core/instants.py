"""One meaning for "at": the reference time every verdict, finding and scan is judged at.

Users type ``"2027-01-01"`` in a notebook, pass a ``date`` or a pandas ``Timestamp``, or a
naive ``datetime``; the engine compares against X.509 times, which cryptography gives as aware
UTC datetimes (``not_valid_after_utc``). :func:`as_utc` is the single conversion, so the API
entry points (``certlib.verdict``, ``read_inventory``, the frame accessor, the CLI) agree on
what each form means: naive values and strings without an offset are UTC, a date is its
midnight UTC.
"""

from __future__ import annotations

import datetime as _dt

__all__ = ["At", "as_utc"]

#: What ``at`` may be: an aware or naive (UTC) datetime or pandas Timestamp, a date (its
#: midnight, UTC), an ISO-8601 string such as ``"2027-01-01"`` or ``"2027-01-01T00:00:00Z"``,
#: or None for now.
At = _dt.datetime | _dt.date | str | None


def as_utc(at: At, *, now_to_the_second: bool = False) -> _dt.datetime:
    """``at`` as an aware UTC datetime; None is now. A bad string or NaT is a ValueError.

    ``now_to_the_second`` drops the microseconds of "now" (X.509 times have whole seconds,
    and one instant shared by a whole table lets chain searches be shared).
    """
    if at is None:
        now = _dt.datetime.now(_dt.UTC)
        return now.replace(microsecond=0) if now_to_the_second else now
    if isinstance(at, str):
        try:
            at = _dt.datetime.fromisoformat(at.strip())
        except ValueError:
            raise ValueError(f"not an ISO-8601 date/time: {at!r}") from None
    elif not isinstance(at, _dt.datetime):
        if not isinstance(at, _dt.date):
            raise TypeError(f"a time must be a datetime, date or ISO string, not {type(at)}")
        at = _dt.datetime(at.year, at.month, at.day)
    if at != at:  # pandas NaT: every comparison with it is False, so nothing would expire
        raise ValueError("a time is needed, not NaT")
    if hasattr(at, "to_pydatetime"):  # a pandas Timestamp: keep a plain datetime
        at = at.to_pydatetime()
    if at.tzinfo is None:
        return at.replace(tzinfo=_dt.UTC)
    return at.astimezone(_dt.UTC)
