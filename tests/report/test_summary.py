"""inventory_summary tables and inventory_plots figures, checked against independent counts on
the sample inventory (data/README.md says what it holds) and on empty/all-error frames."""

from __future__ import annotations

import collections
import subprocess
import sys
from pathlib import Path

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from matplotlib.figure import Figure

import certlib
from certlib.accessor import CertsAccessor
from certlib.cert.findings import FINDINGS
from certlib.core.verdicts import OUTCOMES
from certlib.inventory import load_inventory, read_inventory, write_inventory
from certlib.report.plots import (
    EXPIRY_COLOURS,
    OUTCOME_COLOURS,
    plot_expiry,
    plot_findings,
    plot_key_types,
    plot_verdicts,
)
from certlib.report.summary import (
    PURPOSES,
    expiry_table,
    finding_counts,
    key_type_counts,
    summary,
    verdict_counts,
)
from certlib.sources.sample_data import EXPIRING_AT, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-inventory"
PLOTS = (plot_findings, plot_verdicts, plot_expiry, plot_key_types)


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return read_inventory(SAMPLE, passwords=[PASSWORD], at=EXPIRING_AT, workers=1, progress=False)


@pytest.fixture(scope="module")
def empty() -> pd.DataFrame:
    return read_inventory([], at=EXPIRING_AT, progress=False)


@pytest.fixture(scope="module")
def errors_only(tmp_path_factory) -> pd.DataFrame:
    d = tmp_path_factory.mktemp("bad")
    (d / "junk.txt").write_bytes(b"not a certificate")
    (d / "empty.pem").write_bytes(b"")
    return read_inventory([d, d / "missing.cer"], at=EXPIRING_AT, progress=False)


def _certs(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["status"].astype(str).isin(["ok", "partial"])]


def _end_entities(df: pd.DataFrame) -> pd.DataFrame:
    certs = _certs(df)
    return certs[certs["is_ca"].astype(object).map(lambda v: v is not True)]


# --- summary ---------------------------------------------------------------------------------


def test_summary_of_the_sample_matches_its_known_structure(sample: pd.DataFrame) -> None:
    s = summary(sample)
    on_disk = [p for p in SAMPLE.rglob("*") if p.is_file()]
    assert s["files"] == len(on_disk) == 29  # every file on disk is accounted for
    assert s["certificates"] == 14  # data/README.md: 14 certificates
    assert s["error_rows"] == 4
    assert s["errors_by_kind"] == {"not-a-certificate": 2, "corrupt": 1, "truncated": 1}
    assert (s["ca"], s["end_entity"]) == (3, 11)  # root, intermediate, CA-as-leaf
    assert (s["expired"], s["expiring"]) == (1, 1)  # old.contoso.com, soon.contoso.com
    assert s["profile"] == "rfc5280"
    assert pd.Timestamp(s["at"]) == pd.Timestamp(EXPIRING_AT)
    assert s["partial"] == 0


def test_summary_matches_plain_pandas(sample: pd.DataFrame) -> None:
    s = summary(sample)
    certs = _certs(sample)
    assert s["certificates"] == len(certs)
    assert s["error_rows"] == int((sample["status"] == "error").sum())
    assert s["files"] == len(set(sample["source_files"].explode().dropna()))
    assert s["ca"] == int(certs["is_ca"].eq(True).sum())
    at = pd.Timestamp(EXPIRING_AT)
    assert s["expired"] == int((certs["not_after"] < at).sum())
    window = (certs["not_after"] >= at) & (certs["not_after"] < at + pd.Timedelta(days=30))
    assert s["expiring"] == int(window.sum())
    # the same rules as the findings the inventory judged at the same time
    codes = collections.Counter(c for cs in certs["findings"] for c in cs)
    assert (s["expired"], s["expiring"]) == (codes["expired"], codes["expires-30d"])
    iis = certs["iis_binding_candidate"].value_counts(dropna=False)
    assert s["iis_candidates"] == {
        "true": int(iis.get(True, 0)),
        "false": int(iis.get(False, 0)),
        "unknown": int(certs["iis_binding_candidate"].isna().sum()),
    }
    assert sum(s["iis_candidates"].values()) == len(certs)
    assert s["iis_candidates"]["true"] == 1  # www.contoso.com, whose key is in the PFX files


def test_summary_at_another_time_moves_expiry(sample: pd.DataFrame) -> None:
    later = summary(sample, at="2028-04-10")
    assert (later["expired"], later["expiring"]) == (12, 0)  # every leaf ends 2028-04-04
    # the 30-day window is half-open, like the expires-30d finding: 30 days before is out
    edge = summary(sample, at="2027-01-15"), summary(sample, at="2026-12-16")
    assert [e["expiring"] for e in edge] == [1, 0]


# --- verdict counts --------------------------------------------------------------------------


def test_verdict_counts_shape_order_and_dtypes(sample: pd.DataFrame) -> None:
    table = verdict_counts(sample)
    assert (
        list(table.index)
        == list(PURPOSES)
        == [
            "tls_server",
            "tls_client",
            "code_signing",
            "email_protection",
            "time_stamping",
            "ocsp_signing",
        ]
    )
    assert (
        list(table.columns) == list(OUTCOMES) == ["allowed", "warning", "denied", "invalid", "n/a"]
    )
    assert set(table.dtypes) == {pd.api.types.pandas_dtype("int64")}


def test_verdict_counts_rows_sum_to_end_entities(sample: pd.DataFrame) -> None:
    ee = _end_entities(sample)
    table = verdict_counts(sample)
    assert len(ee) == 11
    assert list(table.sum(axis=1)) == [len(ee)] * len(PURPOSES)
    for purpose in PURPOSES:
        expected = ee[purpose].astype(str).value_counts()
        for outcome in OUTCOMES:
            assert table.at[purpose, outcome] == int(expected.get(outcome, 0)), (purpose, outcome)
    assert table.at["tls_server", "allowed"] == 7
    everyone = verdict_counts(sample, include_ca=True)
    assert list(everyone.sum(axis=1)) == [len(_certs(sample))] * len(PURPOSES) == [14] * 6


# --- findings, keys, expiry ------------------------------------------------------------------


def test_finding_counts_has_every_code_with_its_count(sample: pd.DataFrame) -> None:
    table = finding_counts(sample)
    expected = collections.Counter(c for codes in sample["findings"] for c in codes)
    assert dict(zip(table["code"], table["count"], strict=True)) == dict(expected)
    assert len(table) == len(expected) == 9
    assert list(table["meaning"]) == [FINDINGS[c] for c in table["code"]]
    order = list(zip(-table["count"], table["code"], strict=True))
    assert order == sorted(order)
    assert table.iloc[0]["code"] == "ber-encoding" and table.iloc[0]["count"] == 3


def test_key_type_counts(sample: pd.DataFrame) -> None:
    table = key_type_counts(sample)
    certs = _certs(sample)
    expected = collections.Counter(
        f"{a} {s}"
        for a, s in zip(certs["public_key_algorithm"], certs["public_key_size"], strict=True)
    )
    assert dict(zip(table["key_type"], table["count"], strict=True)) == dict(expected)
    assert dict(expected) == {"EC 256": 11, "RSA 2048": 2, "RSA 1024": 1}


def test_expiry_table(sample: pd.DataFrame) -> None:
    table = expiry_table(sample)
    assert len(table) == 14
    assert table["not_after"].is_monotonic_increasing
    by_cn = table.set_index("subject_cn")
    assert by_cn.at["old.contoso.com", "state"] == "expired"
    assert by_cn.at["old.contoso.com", "days_left"] == -2192  # 2020-12-31 -> 2027-01-01
    assert by_cn.at["soon.contoso.com", "state"] == "expiring"
    assert by_cn.at["soon.contoso.com", "days_left"] == 14
    assert by_cn.at["soon.contoso.com", "purposes_allowed"] == ["tls_server"]
    assert (table["state"] == "valid").sum() == 12
    # the index is the frame's: rows join back
    assert (sample.loc[table.index, "sha256"] == table["sha256"]).all()


def test_tables_survive_a_parquet_round_trip(sample: pd.DataFrame, tmp_path: Path) -> None:
    write_inventory(sample, tmp_path / "inv.parquet")
    back = load_inventory(tmp_path / "inv.parquet")
    assert summary(back) == summary(sample)
    pd.testing.assert_frame_equal(verdict_counts(back), verdict_counts(sample))
    pd.testing.assert_frame_equal(finding_counts(back), finding_counts(sample))
    pd.testing.assert_frame_equal(expiry_table(back), expiry_table(sample))


@pytest.mark.parametrize("which", ["empty", "errors_only"])
def test_tables_of_frames_without_certificates(which: str, request) -> None:
    df = request.getfixturevalue(which)
    s = summary(df)
    assert s["certificates"] == 0 and s["ca"] == 0 and s["expired"] == 0
    assert s["iis_candidates"] == {"true": 0, "false": 0, "unknown": 0}
    if which == "errors_only":
        assert s["error_rows"] == 3 and s["files"] == 3
        assert sum(s["errors_by_kind"].values()) == 3
    else:
        assert s["error_rows"] == 0 and s["files"] == 0 and s["errors_by_kind"] == {}
    counts = verdict_counts(df)
    assert counts.shape == (6, 5) and int(counts.to_numpy().sum()) == 0
    assert list(finding_counts(df).columns) == ["code", "count", "meaning"]
    assert len(finding_counts(df)) == 0
    assert len(expiry_table(df)) == 0 and len(key_type_counts(df)) == 0


def test_tables_of_a_plain_to_frame_frame() -> None:
    from certlib.cert.forge import PRESETS, forge

    df = certlib.to_frame([forge(PRESETS["iis_server"], seed="t").certificate])
    s = summary(df, at="2026-06-01")
    assert (s["certificates"], s["end_entity"], s["error_rows"]) == (1, 1, 0)
    assert int(verdict_counts(df).to_numpy().sum()) == 0  # no verdict columns: nothing counted
    assert len(expiry_table(df, at="2026-06-01")) == 1


# --- accessor --------------------------------------------------------------------------------


def test_tables_of_an_inventory_with_rows_from_to_frame(sample: pd.DataFrame) -> None:
    """pd.concat with a frame lacking the inventory columns leaves NaN in list cells."""
    from cryptography import x509

    leaf = x509.load_der_x509_certificate(sample["der"].dropna().iloc[0])
    extra = certlib.to_frame([leaf])
    mix = pd.concat([sample, extra], ignore_index=True)
    assert mix["findings"].iloc[-1] != mix["findings"].iloc[-1]  # NaN, the case at hand
    assert summary(mix)["files"] == summary(sample)["files"]
    pd.testing.assert_frame_equal(finding_counts(mix), finding_counts(sample))
    from certlib.report.html import report_html

    assert '<section id="certificates">' in report_html(mix)


def test_accessor_methods_call_the_report_functions(sample: pd.DataFrame) -> None:
    names = [
        "summary",
        "verdict_counts",
        "finding_counts",
        "expiry",
        "key_type_counts",
        "plot_findings",
        "plot_verdicts",
        "plot_expiry",
        "plot_key_types",
        "findings",
        "verdicts",
        "expiring",
    ]
    for name in names:
        assert getattr(CertsAccessor, name).__module__ == "certlib.accessor", name
    assert sample.certs.summary() == summary(sample)
    pd.testing.assert_frame_equal(sample.certs.verdict_counts(), verdict_counts(sample))
    pd.testing.assert_frame_equal(sample.certs.finding_counts(), finding_counts(sample))
    pd.testing.assert_frame_equal(sample.certs.expiry(), expiry_table(sample))
    pd.testing.assert_frame_equal(
        sample.certs.verdict_counts(include_ca=True), verdict_counts(sample, include_ca=True)
    )


def test_accessor_and_plots_after_import_certlib_only_and_no_pyplot() -> None:
    code = (
        "import sys, certlib\n"
        f"df = certlib.read_inventory({str(SAMPLE)!r}, progress=False)\n"
        "assert df.certs.summary()['certificates'] == 14\n"
        "figs = [df.certs.plot_findings(), df.certs.plot_verdicts(), df.certs.plot_expiry(),"
        " df.certs.plot_key_types()]\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
        "print(type(figs[0]).__module__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=_no_display()
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "matplotlib.figure"


def _no_display() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND")}
    env["PYTHONPATH"] = str(ROOT)
    return env


# --- plots -----------------------------------------------------------------------------------


def _bars(fig: Figure) -> list:
    return [bar for container in fig.axes[0].containers for bar in container]


def _labelled(fig: Figure) -> None:
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_plot_findings(sample: pd.DataFrame) -> None:
    fig = plot_findings(sample)
    table = finding_counts(sample)
    assert isinstance(fig, Figure)
    _labelled(fig)
    bars = _bars(fig)
    assert len(bars) == len(table) == 9
    assert [b.get_width() for b in bars] == list(table["count"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(table["code"])


def test_plot_verdicts(sample: pd.DataFrame) -> None:
    fig = plot_verdicts(sample)
    _labelled(fig)
    ax = fig.axes[0]
    assert len(ax.containers) == len(OUTCOMES)
    assert len(_bars(fig)) == len(PURPOSES) * len(OUTCOMES) == 30
    table = verdict_counts(sample)
    for outcome, container in zip(OUTCOMES, ax.containers, strict=True):
        assert [b.get_width() for b in container] == list(table[outcome])
        colour = mcolors.to_hex(container[0].get_facecolor())
        assert colour == OUTCOME_COLOURS[outcome].lower()
    widths = collections.Counter()
    for bar in _bars(fig):
        widths[round(bar.get_y(), 3)] += bar.get_width()
    assert set(widths.values()) == {len(_end_entities(sample))}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(OUTCOMES)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(PURPOSES)
    assert ax.get_title() == "Verdicts (RFC 5280 profile)"  # the label, as the grid says it


def test_plot_expiry(sample: pd.DataFrame) -> None:
    fig = plot_expiry(sample)
    _labelled(fig)
    table = expiry_table(sample)
    months = table["not_after"].dt.strftime("%Y-%m")
    pairs = set(zip(months, table["state"], strict=True))
    assert len(pairs) == 5  # 2020-12 expired, 2027-01 expiring, 2028-04 / 2030-12 / 2035-12 valid
    bars = _bars(fig)
    assert len(bars) == len(pairs)
    assert sum(b.get_height() for b in bars) == len(table) == 14
    colours = {mcolors.to_hex(b.get_facecolor()) for b in bars}
    assert colours == {c.lower() for c in EXPIRY_COLOURS.values()}
    at = pd.Timestamp(EXPIRING_AT).tz_localize(None)
    lines = [ln for ln in fig.axes[0].get_lines() if len(set(ln.get_xdata())) == 1]
    assert [pd.Timestamp(ln.get_xdata()[0]) for ln in lines] == [at]  # the one `at` line


def test_plot_expiry_and_report_with_no_expiry(tmp_path: Path) -> None:
    """notAfter 9999-12-31 ("no well-defined expiration", RFC 5280 §4.1.2.5) used to run the
    axis past the year 9999 and crash the plot, the report and `certlib report`."""
    import datetime as dt

    from certlib.cert.forge import PRESETS, forge
    from certlib.report.html import report_html

    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    forever = (dt.datetime(9999, 12, 31, tzinfo=dt.UTC) - start).days
    for i, days in enumerate((forever, 400, 800)):
        spec = PRESETS["iis_server"].with_(not_before=start, validity_days=days)
        (tmp_path / f"c{i}.pem").write_bytes(forge(spec, seed=f"far{i}").pem)
    df = read_inventory(tmp_path, at=EXPIRING_AT, workers=1, progress=False)
    assert df["not_after"].max().year == 9999
    fig = plot_expiry(df)
    bars = _bars(fig)
    assert sum(b.get_height() for b in bars) == 3
    horizon = pd.Timestamp(EXPIRING_AT).tz_localize(None) + pd.DateOffset(years=30)
    assert max(mdates_num_to_ts(b.get_x()) for b in bars) <= horizon  # the far one is clamped
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["1 after 2057-01 (latest 9999-12-31)"], texts
    assert "9999-12-31" in report_html(df)


def mdates_num_to_ts(x: float) -> pd.Timestamp:
    import matplotlib.dates as mdates

    return pd.Timestamp(mdates.num2date(x)).tz_localize(None)


def test_plot_key_types(sample: pd.DataFrame) -> None:
    fig = plot_key_types(sample)
    _labelled(fig)
    bars = _bars(fig)
    assert len(bars) == len(key_type_counts(sample)) == 3
    assert [b.get_width() for b in bars] == [11, 2, 1]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["EC 256", "RSA 2048", "RSA 1024"]


@pytest.mark.parametrize("which", ["empty", "errors_only"])
@pytest.mark.parametrize("plot", PLOTS, ids=lambda f: f.__name__)
def test_plots_of_frames_without_certificates(which: str, plot, request) -> None:
    fig = plot(request.getfixturevalue(which))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title()
    assert [t.get_text() for t in ax.texts] == ["no certificates"]
    assert not ax.containers and not ax.patches


def test_accessor_plots_match_functions(sample: pd.DataFrame) -> None:
    for plot in PLOTS:
        fig = getattr(sample.certs, plot.__name__)()
        assert isinstance(fig, Figure)
        assert len(_bars(fig)) == len(_bars(plot(sample)))
