"""Matplotlib figures of an inventory, drawn from :mod:`certlib.report.summary` tables.

Only the object-oriented API (``matplotlib.figure.Figure``), never ``pyplot``: no global
figure state, so the functions work headless, in threads, in Voilà and inside the HTML report.
Each returns a Figure with a title and axis labels; an inventory without certificates gives a
figure that says so instead of an empty axis. Jupyter shows a returned Figure as an image.
"""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from certlib.core.verdicts import OUTCOMES, PROFILE_LABELS, Outcome
from certlib.report.summary import (
    certificate_rows,
    expiry_table,
    finding_counts,
    key_type_counts,
    reference_time,
    verdict_counts,
)

__all__ = [
    "EXPIRY_COLOURS",
    "EXPIRY_HORIZON_YEARS",
    "OUTCOME_COLOURS",
    "plot_expiry",
    "plot_findings",
    "plot_key_types",
    "plot_verdicts",
]

#: Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), fixed per
#: outcome so that every plot and report uses the same colour for the same answer.
OUTCOME_COLOURS: dict[Outcome, str] = {
    Outcome.ALLOWED: "#009E73",  # bluish green
    Outcome.WARNING: "#E69F00",  # orange
    Outcome.DENIED: "#D55E00",  # vermillion
    Outcome.INVALID: "#CC79A7",  # reddish purple
    Outcome.NA: "#999999",  # grey
}
#: Expiry states in the order they are stacked, and their (Okabe–Ito) colours.
EXPIRY_COLOURS: dict[str, str] = {
    "expired": "#D55E00",
    "expiring": "#E69F00",
    "valid": "#0072B2",
}
_BAR = "#0072B2"  # blue

if tuple(OUTCOME_COLOURS) != OUTCOMES:  # pragma: no cover - caught at import
    raise RuntimeError("OUTCOME_COLOURS must name every outcome, in OUTCOMES order")


def _figure(height: float = 3.6) -> Figure:
    return Figure(figsize=(8, height), layout="constrained")


def _nothing(title: str, text: str = "no certificates") -> Figure:
    """A figure that says there is nothing to draw (rather than an empty axis)."""
    fig = _figure(2.0)
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=14, transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def _has_certificates(df: pd.DataFrame) -> bool:
    return len(certificate_rows(df)) > 0


def _barh(title: str, labels: list[str], counts: list[int], xlabel: str, ylabel: str) -> Figure:
    fig = _figure(max(2.4, 0.9 + 0.35 * len(labels)))
    ax = fig.add_subplot()
    y = list(range(len(labels)))
    bars = ax.barh(y, counts, color=_BAR)
    ax.bar_label(bars, padding=2)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()  # most frequent on top
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return fig


def plot_findings(df: pd.DataFrame) -> Figure:
    """Certificates per finding code (one horizontal bar per code present)."""
    title = "Findings"
    if not _has_certificates(df):
        return _nothing(title)
    table = finding_counts(df)
    if table.empty:
        return _nothing(title, "no findings")
    return _barh(title, list(table["code"]), list(table["count"]), "certificates", "finding code")


def plot_verdicts(df: pd.DataFrame, *, include_ca: bool = False) -> Figure:
    """One stacked horizontal bar per purpose: how many certificates get each outcome.

    Every outcome has a segment (zero-width when absent) and a legend entry, in fixed colours.
    """
    who = "certificates" if include_ca else "end-entity certificates"
    profile = df.attrs.get("profile")
    title = f"Verdicts ({PROFILE_LABELS.get(profile, profile)} profile)" if profile else "Verdicts"
    if not _has_certificates(df):
        return _nothing(title)
    table = verdict_counts(df, include_ca=include_ca)
    fig = _figure(3.6)
    ax = fig.add_subplot()
    y = list(range(len(table.index)))
    left = [0] * len(y)
    for outcome in table.columns:
        widths = [int(v) for v in table[outcome]]
        ax.barh(y, widths, left=left, color=OUTCOME_COLOURS[outcome], label=outcome)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(y, list(table.index))
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(who)
    ax.set_ylabel("purpose")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(title="outcome", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return fig


#: Years after the reference time that the expiry plot draws month by month; later notAfter
#: dates share the last bar.
EXPIRY_HORIZON_YEARS = 30


def plot_expiry(df: pd.DataFrame, at: Any = None) -> Figure:
    """Certificates per month of ``notAfter``, stacked by state, with the reference time.

    A vertical line marks ``at`` (default: the inventory's own); the time before it is shaded
    (everything there has expired). Certificates with an unknown ``notAfter`` are left out;
    those expiring more than :data:`EXPIRY_HORIZON_YEARS` after ``at`` are counted in the
    horizon's bar, with a label.
    """
    title = "Expiry (notAfter by month)"
    if not _has_certificates(df):
        return _nothing(title)
    t = reference_time(df, at)
    table = expiry_table(df, t)
    table = table[table["state"] != "unknown"]
    if table.empty:
        return _nothing(title, "no certificate with a known notAfter")
    at_x = t.tz_localize(None)
    # notAfter 9999-12-31 means "no expiry" (RFC 5280 §4.1.2.5): months past the horizon share
    # the horizon's bar (labelled), so one such certificate neither squashes the other bars
    # nor runs the axis past the year 9999.
    horizon = min(at_x + pd.DateOffset(years=EXPIRY_HORIZON_YEARS), pd.Timestamp("9000-01-01"))
    horizon = horizon.to_period("M").to_timestamp()
    not_after = table["not_after"].dt.tz_localize(None)
    beyond = not_after > horizon
    months = not_after.where(~beyond, horizon).dt.to_period("M").dt.to_timestamp()
    counts = table.groupby([months.rename("month"), table["state"]]).size()
    fig = _figure(3.2)
    ax = fig.add_subplot()
    first = min(months.min(), at_x)
    last = max(months.max() + pd.DateOffset(months=1), at_x)
    span = (last - first).days
    width = max(28, span / 90)  # at least a month; visible on a decades-wide axis
    ax.axvspan(first - pd.Timedelta(days=width), at_x, color="#999999", alpha=0.2)
    ax.axvline(at_x, color="black", linewidth=1.2, label=f"at {t:%Y-%m-%d}")
    bottoms: dict[pd.Timestamp, int] = {}
    for state, colour in EXPIRY_COLOURS.items():
        part = counts[counts.index.get_level_values("state") == state]
        if part.empty:
            continue
        x = list(part.index.get_level_values("month"))
        heights = [int(v) for v in part]
        base = [bottoms.get(m, 0) for m in x]
        ax.bar(x, heights, width=width, bottom=base, align="edge", color=colour, label=state)
        for m, h in zip(x, heights, strict=True):
            bottoms[m] = bottoms.get(m, 0) + h
    if beyond.any():
        latest = table.loc[beyond, "not_after"].max()
        ax.annotate(
            f"{int(beyond.sum())} after {horizon:%Y-%m} (latest {latest:%Y-%m-%d})",
            xy=(horizon, bottoms.get(horizon, 0)),
            xytext=(0, 4),
            textcoords="offset points",
            ha="right",
            fontsize=8,
        )
    ax.set_xlim(first - pd.Timedelta(days=width), last + pd.Timedelta(days=width))
    ax.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title)
    ax.set_xlabel("notAfter (month, UTC); shaded: before the reference time")
    ax.set_ylabel("certificates")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return fig


def plot_key_types(df: pd.DataFrame) -> Figure:
    """Certificates per public key algorithm and size (one horizontal bar each)."""
    title = "Public keys"
    if not _has_certificates(df):
        return _nothing(title)
    table = key_type_counts(df)
    return _barh(
        title, list(table["key_type"]), list(table["count"]), "certificates", "algorithm and size"
    )
