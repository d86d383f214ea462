"""certlib.core.instants.as_utc: every usual spelling of a reference time means one UTC instant."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from certlib.core.instants import as_utc

WANT = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
FORMS = [
    WANT,
    WANT.replace(tzinfo=None),
    WANT.astimezone(dt.timezone(dt.timedelta(hours=-5))),
    WANT.date(),
    "2027-01-01",
    "2027-01-01T00:00:00Z",
    " 2027-01-01T01:00:00+01:00 ",
    pd.Timestamp("2027-01-01"),
    pd.Timestamp("2026-12-31 19:00", tz="America/New_York"),
]


@pytest.mark.parametrize("form", FORMS, ids=[repr(f) for f in FORMS])
def test_every_form_is_the_same_utc_instant(form) -> None:
    got = as_utc(form)
    assert got == WANT and got.utcoffset() == dt.timedelta(0)
    assert type(got) is dt.datetime  # not a pandas Timestamp


def test_now_and_bad_input() -> None:
    before = dt.datetime.now(dt.UTC)
    assert before <= as_utc(None) <= dt.datetime.now(dt.UTC)
    assert as_utc(None, now_to_the_second=True).microsecond == 0
    with pytest.raises(ValueError, match="ISO-8601"):
        as_utc("next Tuesday")
    with pytest.raises(TypeError):
        as_utc(20270101)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="NaT"):  # a NaT 'at' would pass every validity check
        as_utc(pd.NaT)
