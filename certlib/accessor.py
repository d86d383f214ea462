"""``df.certs``: every certificate-aware method of a certificate frame, declared in one class.

The accessor sits above the report layer so that it can offer the frame's own tables and
filters, the inventory's long tables and the report's tables and figures from one place. Each
method is a thin call into the function that does the work; the inventory (process pools) and
the plots (matplotlib) are imported on first use, so ``import certlib`` stays light.
:func:`accessor_markdown` writes ``docs/accessor.md`` from this class (a test keeps them equal).
"""

from __future__ import annotations

import datetime as _dt
import inspect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from certlib import frame as _frame
from certlib.core.verdicts import Purpose
from certlib.frame.validity import At
from certlib.report import summary as _summary

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CertsAccessor", "accessor_markdown", "public_methods"]


@pd.api.extensions.register_dataframe_accessor("certs")
class CertsAccessor:
    """``df.certs``: certificate-aware views of a certificate frame.

    Works on any frame that has the columns a method needs (extra columns are carried along);
    a missing column is a ``KeyError`` that names it.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self._df = frame

    @property
    def frame(self) -> pd.DataFrame:
        """The frame the accessor is attached to."""
        return self._df

    def require(self, *columns: str) -> None:
        """Raise a clear ``KeyError`` if any of ``columns`` is missing."""
        _frame.require(self._df, *columns)

    # --- long tables (certlib.frame.tables) ----------------------------------------------------

    def eku_table(self) -> pd.DataFrame:
        """One row per certificate × EKU OID; no EKU gives an ``(absent)`` row, empty ``(empty)``.

        Columns: sha256, subject_cn, eku_oid, eku_name, eku_display_name, eku_critical; the
        index repeats the frame's, so results join back (:func:`certlib.frame.eku_table`).
        """
        return _frame.eku_table(self._df)

    def san_table(self) -> pd.DataFrame:
        """One row per certificate × subjectAltName entry; none gives a ``(none)`` row.

        Columns: sha256, subject_cn, san_type, san_value (:func:`certlib.frame.san_table`).
        """
        return _frame.san_table(self._df)

    # --- validity (certlib.frame.validity) -----------------------------------------------------

    def expiring(
        self, within: str | pd.Timedelta | _dt.timedelta = "30D", *, at: At = None
    ) -> pd.DataFrame:
        """Rows whose ``not_after`` falls in ``[at, at + within]`` (``at`` defaults to now, UTC)."""
        return _frame.expiring(self._df, within, at=at)

    def expired(self, at: At = None) -> pd.DataFrame:
        """Rows whose ``not_after`` is before ``at`` (default now, UTC)."""
        return _frame.expired(self._df, at)

    def not_yet_valid(self, at: At = None) -> pd.DataFrame:
        """Rows whose ``not_before`` is after ``at`` (default now, UTC)."""
        return _frame.not_yet_valid(self._df, at)

    def valid_at(self, at: At = None) -> pd.DataFrame:
        """Rows valid at ``at`` (default now): ``not_before <= at <= not_after`` (RFC 5280)."""
        return _frame.valid_at(self._df, at)

    # --- inventory long tables (certlib.inventory.tables) --------------------------------------

    def verdicts(
        self,
        *,
        profiles: Sequence[str] | None = None,
        purposes: Sequence[Purpose | str] | None = None,
        at: At = None,
    ) -> pd.DataFrame:
        """purposes × profiles for every certificate row of an inventory frame, recomputed from
        the stored DER with the chain the inventory linked
        (:func:`certlib.inventory.tables.inventory_verdicts`)."""
        from certlib.inventory.tables import inventory_verdicts

        return inventory_verdicts(self._df, profiles=profiles, purposes=purposes, at=at)

    def findings(self) -> pd.DataFrame:
        """One row per certificate × finding code, with the code's description
        (:func:`certlib.inventory.tables.inventory_findings`)."""
        from certlib.inventory.tables import inventory_findings

        return inventory_findings(self._df)

    # --- report tables (certlib.report.summary) ------------------------------------------------

    def summary(self, at: At = None) -> dict[str, Any]:
        """The headline numbers of an inventory as plain Python values
        (:func:`certlib.report.summary.summary`)."""
        return _summary.summary(self._df, at)

    def verdict_counts(self, *, include_ca: bool = False) -> pd.DataFrame:
        """Certificates per purpose × outcome, end-entities only unless ``include_ca``
        (:func:`certlib.report.summary.verdict_counts`)."""
        return _summary.verdict_counts(self._df, include_ca=include_ca)

    def finding_counts(self) -> pd.DataFrame:
        """Certificates per finding code, most first, with each code's meaning
        (:func:`certlib.report.summary.finding_counts`)."""
        return _summary.finding_counts(self._df)

    def expiry(self, at: At = None) -> pd.DataFrame:
        """Certificates by ``not_after`` with days left and state at ``at`` (default: the
        inventory's own time) (:func:`certlib.report.summary.expiry_table`)."""
        return _summary.expiry_table(self._df, at)

    def key_type_counts(self) -> pd.DataFrame:
        """Certificates per public key algorithm and size
        (:func:`certlib.report.summary.key_type_counts`)."""
        return _summary.key_type_counts(self._df)

    # --- report figures (certlib.report.plots; matplotlib is imported on first use) ------------

    def plot_findings(self) -> Figure:
        """Bar chart of certificates per finding code
        (:func:`certlib.report.plots.plot_findings`)."""
        from certlib.report.plots import plot_findings

        return plot_findings(self._df)

    def plot_verdicts(self, *, include_ca: bool = False) -> Figure:
        """One stacked bar per purpose: certificates per outcome
        (:func:`certlib.report.plots.plot_verdicts`)."""
        from certlib.report.plots import plot_verdicts

        return plot_verdicts(self._df, include_ca=include_ca)

    def plot_expiry(self, at: At = None) -> Figure:
        """Certificates per month of ``notAfter``, stacked by state
        (:func:`certlib.report.plots.plot_expiry`)."""
        from certlib.report.plots import plot_expiry

        return plot_expiry(self._df, at)

    def plot_key_types(self) -> Figure:
        """Bar chart of certificates per public key algorithm and size
        (:func:`certlib.report.plots.plot_key_types`)."""
        from certlib.report.plots import plot_key_types

        return plot_key_types(self._df)


def public_methods() -> dict[str, Any]:
    """``{name: member}`` for every public method and property of :class:`CertsAccessor`."""
    return {
        name: member
        for name, member in vars(CertsAccessor).items()
        if not name.startswith("_") and (callable(member) or isinstance(member, property))
    }


def accessor_markdown() -> str:
    """``docs/accessor.md``, generated from :class:`CertsAccessor` (a test checks the file)."""
    lines = [
        "# The `df.certs` accessor",
        "",
        "<!-- Generated from certlib.accessor.CertsAccessor by accessor_markdown();",
        "     do not edit by hand: tests/accessor/test_accessor.py checks this file against "
        "the class. -->",
        "",
        "`import certlib` registers `df.certs` on every pandas DataFrame. A method works on any "
        "frame that has the columns it needs ([columns.md](columns.md)); inventory frames "
        "([inventory.md](inventory.md)) have them all.",
        "",
        "| method | what it gives |",
        "|---|---|",
    ]
    for name, member in public_methods().items():
        if isinstance(member, property):
            call, doc = f"df.certs.{name}", member.__doc__
        else:
            params = list(inspect.signature(member).parameters.values())[1:]
            sig = inspect.Signature(params)
            call, doc = f"df.certs.{name}{_plain(sig)}", member.__doc__
        text = _markdown(" ".join(inspect.cleandoc(doc or "").split("\n\n")[0].split()))
        lines.append(f"| `{call}` | {text} |")
    lines.append("")
    return "\n".join(lines)


def _markdown(doc: str) -> str:
    """A docstring's reST (````x````, ``:func:`x```) as Markdown code, table pipes escaped."""
    return re.sub(r":\w+:`~?([^`]+)`", r"`\1`", doc).replace("``", "`").replace("|", "\\|")


def _plain(sig: inspect.Signature) -> str:
    """A signature without annotations: ``(within='30D', *, at=None)``."""
    return str(
        sig.replace(
            parameters=[p.replace(annotation=p.empty) for p in sig.parameters.values()],
            return_annotation=sig.empty,
        )
    )
