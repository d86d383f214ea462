"""The inventory panel: pick a profile, see how it judges a whole inventory at a glance.

:func:`outcome_counts` turns an inventory frame (:func:`certlib.read_inventory`) into a
purposes × outcomes table of counts with plain pandas; :func:`outcome_counts_html` renders it;
:class:`InventoryPanelModel` re-reads the inventory under the chosen profile (cached per
profile) and returns that HTML. :class:`InventoryPanel` only wires a profile ``Dropdown`` to
an ``HTML`` view, so tests drive the same code without a kernel.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from certlib.core.instants import as_utc
from certlib.core.verdicts import OUTCOMES, PROFILES, Purpose
from certlib.inventory import read_inventory
from certlib.report.summary import certificate_rows, verdict_counts
from certlib.widgets import render

__all__ = [
    "InventoryPanel",
    "InventoryPanelModel",
    "outcome_counts",
    "outcome_counts_html",
]

PURPOSE_COLUMNS: tuple[str, ...] = tuple(str(p) for p in Purpose)
_LABELS = {str(p): p.label for p in Purpose}


def outcome_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Certificates per (purpose, outcome): one row per purpose, one column per outcome.

    Every certificate counts, CAs included (the panel shows the whole inventory); error rows
    carry no verdict and are not counted. The table is
    :func:`certlib.report.summary.verdict_counts`'s.
    """
    return verdict_counts(df, include_ca=True)


def outcome_counts_html(df: pd.DataFrame, *, caption: str | None = None) -> str:
    """:func:`outcome_counts` as an HTML table; each count cell names its purpose and outcome."""
    counts = outcome_counts(df)
    n_certs = len(certificate_rows(df))
    n_errors = int((df["status"] == "error").sum()) if "status" in df.columns else 0
    head = "".join(
        f'<th style="padding:2px 8px">{render.OUTCOME_SYMBOL[o]} {render.escape(o)}</th>'
        for o in OUTCOMES
    )
    rows = []
    for purpose, row in counts.iterrows():
        cells = "".join(
            f'<td class="count" data-purpose="{purpose}" data-outcome="{o}" '
            f'style="text-align:right;padding:2px 8px;{render.OUTCOME_STYLE[o] if n else ""}">'
            f"{int(n)}</td>"
            for o, n in row.items()
        )
        rows.append(f"<tr><th style='text-align:left'>{_LABELS[purpose]}</th>{cells}</tr>")
    profile = df.attrs.get("profile", "")
    at = df.attrs.get("at")
    title = caption or (
        f"{n_certs} certificates judged by {render.PROFILE_LABELS.get(profile, profile)}"
        + (f" at {pd.Timestamp(at):%Y-%m-%d}" if at is not None else "")
        + (f"; {n_errors} unreadable files listed apart" if n_errors else "")
    )
    return (
        f'<table class="certlib-inventory-counts" data-profile="{render.escape(profile)}" '
        f'data-certificates="{n_certs}" style="border-collapse:collapse">'
        f'<caption style="caption-side:top;text-align:left">{render.escape(title)}</caption>'
        f"<tr><th></th>{head}</tr>{''.join(rows)}</table>"
    )


class InventoryPanelModel:
    """An inventory on disk, judged under any profile (each profile read once, then cached).

    ``paths`` is materialised once (a generator such as ``Path(d).glob("*.pem")`` would
    otherwise be used up by the first profile read), and ``at`` is fixed once (None: now, to
    the second), so every profile judges the same files at the same instant.
    """

    def __init__(
        self,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        *,
        passwords: Sequence[str] = (),
        at: Any = None,
        profile: str = "rfc5280",
    ):
        self.paths: str | os.PathLike[str] | tuple[str | os.PathLike[str], ...] = (
            paths if isinstance(paths, str | os.PathLike) else tuple(paths)
        )
        self.passwords = tuple(passwords)
        self.at = as_utc(at, now_to_the_second=True)
        self.profile = profile
        self._frames: dict[str, pd.DataFrame] = {}

    def frame(self, profile: str | None = None) -> pd.DataFrame:
        profile = profile or self.profile
        if profile not in self._frames:
            self._frames[profile] = read_inventory(
                self.paths, passwords=self.passwords, at=self.at, profile=profile, progress=False
            )
        return self._frames[profile]

    def html(self, profile: str | None = None) -> str:
        return outcome_counts_html(self.frame(profile))


class InventoryPanel:
    """A profile dropdown above the inventory's outcome counts (an ``HTML`` widget)."""

    def __init__(self, model: InventoryPanelModel):
        import ipywidgets as w

        self.model = model
        self.profile = w.Dropdown(
            options=[(render.PROFILE_LABELS.get(p, p), p) for p in PROFILES],
            value=model.profile,
            description="Profile",
        )
        self.profile.add_class("certlib-inventory-profile")
        self.view = w.HTML(model.html(model.profile))
        self.view.add_class("certlib-inventory-view")
        self.profile.observe(self._on_profile, names="value")
        self.widget = w.VBox([self.profile, self.view])
        self.widget.add_class("certlib-inventory-panel")

    def _on_profile(self, change: dict[str, Any]) -> None:
        self.model.profile = change["new"]
        self.view.value = self.model.html(change["new"])

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
