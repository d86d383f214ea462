"""``schema_columns(..., clean=True)``: decode's own cells, typed without normalising or copying
each one, give the very columns the general cast gives."""

from __future__ import annotations

import copy
import datetime as dt

import pandas as pd

from certlib.cert.decode import decode
from certlib.cert.forge import PRESETS, forge
from certlib.core.memo import Memo
from certlib.frame import LIST, SCHEMA, schema_columns


def _columns() -> tuple[dict[str, list], int]:
    keys = Memo()
    root = forge(PRESETS["root_ca"], seed="schema", memo=keys)
    ica = forge(PRESETS["intermediate_ca"], root, seed="schema", memo=keys)
    certs = [root.certificate, ica.certificate]
    for name, spec in PRESETS.items():
        if name not in ("root_ca", "intermediate_ca"):
            issuer = None if "self_signed" in name else ica
            certs.append(forge(spec, issuer, seed="schema", memo=keys).certificate)
    rows = [decode(c) for c in certs]
    return {name: [row[name] for row in rows] for name in SCHEMA}, len(rows)


def test_clean_columns_equal_the_general_cast() -> None:
    columns, n = _columns()
    assert n == len(PRESETS) == 14
    general = schema_columns(copy.deepcopy(columns), n)
    clean = schema_columns(columns, n, clean=True)
    assert list(clean) == list(general) == list(SCHEMA)
    for name in SCHEMA:
        pd.testing.assert_series_equal(clean[name], general[name], check_names=False)
    # the two frames agree on missing cells too (ns_cert_type is None for most presets)
    assert clean["ns_cert_type"].isna().sum() == general["ns_cert_type"].isna().sum() > 0


def test_clean_keeps_the_given_lists_and_the_general_cast_copies_them() -> None:
    columns, n = _columns()
    lists = [name for name, col in SCHEMA.items() if col.dtype == LIST]
    assert len(lists) == 11
    given = columns["extension_oids"]
    clean = schema_columns(columns, n, clean=True)
    general = schema_columns(columns, n)
    assert all(a is b for a, b in zip(clean["extension_oids"], given, strict=True))
    assert not any(a is b for a, b in zip(general["extension_oids"], given, strict=True))


def test_clean_instants_equal_the_general_cast_whatever_they_hold() -> None:
    utc = dt.UTC
    plus_one = dt.timezone(dt.timedelta(hours=1))
    cases = [
        [dt.datetime(2026, 1, 1, tzinfo=utc), dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=utc)],
        [dt.datetime(1950, 1, 1, tzinfo=utc), None],
        [None, None],
        [],
        [dt.datetime(2026, 1, 1, tzinfo=plus_one)],
        [dt.datetime(2026, 1, 1, tzinfo=plus_one), dt.datetime(2026, 1, 1, tzinfo=utc)],
    ]
    for values in cases:
        n = len(values)
        general = schema_columns({"not_after": list(values)}, n)["not_after"]
        clean = schema_columns({"not_after": list(values)}, n, clean=True)["not_after"]
        pd.testing.assert_series_equal(clean, general)
        assert str(clean.dtype) == "datetime64[us, UTC]"
    assert len(cases) == 6
