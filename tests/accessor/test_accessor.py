"""certlib.accessor: df.certs is one declared class, every method documented and callable.

Run on a real inventory of the sample data, on an empty inventory and on a plain to_frame
frame, so a method that only works on a full frame, or a doc that misses a method, fails here.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

import certlib
from certlib.accessor import CertsAccessor, accessor_markdown, public_methods
from certlib.cert.forge import PRESETS, forge
from certlib.inventory import read_inventory
from certlib.sources.sample_data import EXPIRING_AT, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SAMPLE = ROOT / "data" / "sample-inventory"

#: What each method returns on an inventory frame (``frame`` is the property).
RETURNS: dict[str, type | None] = {
    "frame": pd.DataFrame,
    "require": type(None),
    "eku_table": pd.DataFrame,
    "san_table": pd.DataFrame,
    "expiring": pd.DataFrame,
    "expired": pd.DataFrame,
    "not_yet_valid": pd.DataFrame,
    "valid_at": pd.DataFrame,
    "verdicts": pd.DataFrame,
    "findings": pd.DataFrame,
    "summary": dict,
    "verdict_counts": pd.DataFrame,
    "finding_counts": pd.DataFrame,
    "expiry": pd.DataFrame,
    "key_type_counts": pd.DataFrame,
    "plot_findings": Figure,
    "plot_verdicts": Figure,
    "plot_expiry": Figure,
    "plot_key_types": Figure,
}


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return read_inventory(SAMPLE, passwords=[PASSWORD], at=EXPIRING_AT, workers=1, progress=False)


@pytest.fixture(scope="module")
def empty() -> pd.DataFrame:
    return read_inventory([], at=EXPIRING_AT, progress=False)


def _call(df: pd.DataFrame, name: str) -> object:
    member = getattr(df.certs, name)
    return member if name == "frame" else member()


def test_the_public_methods_are_exactly_the_declared_ones() -> None:
    assert list(public_methods()) == list(RETURNS)
    assert len(public_methods()) == 19
    for name, member in public_methods().items():
        assert (member.fget if isinstance(member, property) else member).__doc__, name
        assert (member.fget if isinstance(member, property) else member).__module__ == (
            "certlib.accessor"
        )


def test_docs_accessor_md_is_generated_from_the_class() -> None:
    doc = (DOCS / "accessor.md").read_text()
    assert doc == accessor_markdown(), (
        'regenerate: .venv/bin/python -c "from certlib.accessor import accessor_markdown as m; '
        "open('docs/accessor.md', 'w').write(m())\""
    )


def test_every_method_is_documented_with_its_signature_in_docs() -> None:
    docs = "\n".join(p.read_text() for p in sorted(DOCS.glob("*.md")))
    found = 0
    for name, member in public_methods().items():
        if isinstance(member, property):
            assert f"`df.certs.{name}`" in docs
        else:
            params = list(inspect.signature(member).parameters)[1:]
            assert f"`df.certs.{name}(" in docs, name
            row = next(line for line in docs.splitlines() if f"`df.certs.{name}(" in line)
            assert all(p in row for p in params), (name, params)
        found += 1
    assert found == len(RETURNS)
    # the columns page points to the method list
    assert "[accessor.md](accessor.md)" in (DOCS / "columns.md").read_text()


@pytest.mark.parametrize("which", ["sample", "empty"])
def test_every_method_runs_on_an_inventory_frame(which: str, request) -> None:
    df = request.getfixturevalue(which)
    results = {name: _call(df, name) for name in RETURNS}
    for name, result in results.items():
        assert isinstance(result, RETURNS[name]), (which, name, type(result))
    assert len(results) == 19
    counts = results["summary"]
    assert isinstance(counts, dict)
    assert counts["certificates"] == (14 if which == "sample" else 0)
    assert (len(results["findings"]) > 0) == (which == "sample")
    assert (len(results["verdicts"]) > 0) == (which == "sample")


def test_methods_pass_their_arguments_through(sample: pd.DataFrame) -> None:
    from certlib.report.summary import expiry_table, verdict_counts

    at = pd.Timestamp(EXPIRING_AT) + pd.Timedelta(days=400)
    pd.testing.assert_frame_equal(sample.certs.expiry(at), expiry_table(sample, at))
    pd.testing.assert_frame_equal(
        sample.certs.verdict_counts(include_ca=True), verdict_counts(sample, include_ca=True)
    )
    long = sample.certs.verdicts(profiles=["go"], purposes=["tls_server"])
    assert set(long["profile"]) == {"go"} and set(long["purpose"]) == {"tls_server"}
    assert len(long) == len(set(long["sha256"])) > 0
    assert len(sample.certs.expired(at)) > len(sample.certs.expired(EXPIRING_AT))


def test_frame_methods_work_on_a_plain_to_frame_frame() -> None:
    """Methods that need only schema columns work on ``to_frame`` output too."""
    df = certlib.to_frame([forge(PRESETS[name]).certificate for name in sorted(PRESETS)[:3]])
    assert len(df) == 3
    assert len(df.certs.eku_table()) >= 3
    assert len(df.certs.san_table()) >= 3
    assert len(df.certs.valid_at()) == 3
    with pytest.raises(KeyError, match="findings"):
        df.certs.findings()


def test_an_undeclared_method_is_an_attribute_error(empty: pd.DataFrame) -> None:
    with pytest.raises(AttributeError):
        empty.certs.plot  # noqa: B018
    assert not hasattr(CertsAccessor, "register_method")
