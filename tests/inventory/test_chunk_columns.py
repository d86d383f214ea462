"""The chunk builder's categorical columns (status and the six verdicts) are what the general
``pd.Series(values, dtype=...)`` constructor makes, missing and unknown cells included."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from certlib.core.verdicts import OUTCOMES
from certlib.inventory.frame import _INVENTORY_DTYPES, _categorical

CASES = [
    [],
    list(OUTCOMES),
    [None, *OUTCOMES, None],
    ["allowed", "no-such-outcome", float("nan"), "denied"],
    ["ok", "partial", "error", "ok", None],
]


@pytest.mark.parametrize("name", ["status", "tls_server"])
def test_categorical_equals_the_general_constructor(name: str) -> None:
    dtype = _INVENTORY_DTYPES[name]
    compared = 0
    for values in CASES:
        index = pd.RangeIndex(len(values))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas warns about the unknown values
            expected = pd.Series(values, index=index, dtype=dtype)
        pd.testing.assert_series_equal(_categorical(values, dtype, index), expected)
        compared += 1
    assert compared == len(CASES) == 5
