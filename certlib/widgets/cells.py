"""The clickable verdict grid: purposes × profiles as ipywidgets buttons.

An HTML table cannot tell the kernel it was clicked (an ``onclick`` runs in the browser only,
in JupyterLab and in Voilà alike), so each verdict cell is a ``Button`` in a ``GridBox``. The
grid holds no state of its own: clicking calls ``on_select(profile, purpose)`` and the owner's
model decides what is selected; :meth:`VerdictGrid.show` then paints what the model says.

Each cell button has the classes ``certlib-cell``, ``certlib-cell-<profile>-<purpose>``,
``verdict`` and ``verdict-<outcome>`` (``verdict-na`` for n/a), plus ``verdict-selected`` on
the selected cell; its text is the outcome symbol and word, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from certlib.core.verdicts import OUTCOMES, PROFILES, Purpose, Verdict
from certlib.widgets import render

__all__ = ["VerdictGrid", "cell_class"]

_COLOURS = {
    outcome: dict(part.split(":", 1) for part in style.split(";"))
    for outcome, style in render.OUTCOME_STYLE.items()
}


def cell_class(profile: str, purpose: str) -> str:
    """The CSS class naming one cell (browser tests select it)."""
    return f"certlib-cell-{profile}-{purpose}"


def _outcome_class(outcome: str) -> str:
    return "verdict-" + outcome.replace("/", "")


class VerdictGrid:
    """Purposes × profiles buttons; ``widget`` is the ``GridBox`` to display."""

    def __init__(
        self,
        on_select: Callable[[str, str], None],
        *,
        profiles: Sequence[str] = PROFILES,
        purposes: Sequence[str] = tuple(str(p) for p in Purpose),
    ) -> None:
        import ipywidgets as w

        self.profiles = tuple(profiles)
        self.purposes = tuple(purposes)
        self.buttons: dict[tuple[str, str], Any] = {}
        self._outcome: dict[tuple[str, str], str] = {}
        self.selected: tuple[str, str] | None = None
        cells: list[Any] = [w.HTML("<b>purpose \\ profile</b>")]
        cells += [
            w.HTML(f"<b>{render.escape(render.PROFILE_LABELS.get(p, p))}</b>") for p in profiles
        ]
        for purpose in self.purposes:
            cells.append(w.HTML(render.escape(Purpose(purpose).label)))
            for profile in self.profiles:
                b = w.Button(description="?", layout=w.Layout(width="auto", margin="1px"))
                b.add_class("certlib-cell")
                b.add_class(cell_class(profile, purpose))
                b.add_class("verdict")
                b.on_click(lambda _b, p=profile, q=purpose: on_select(p, q))
                self.buttons[(profile, purpose)] = b
                cells.append(b)
        self.widget = w.GridBox(
            cells,
            layout=w.Layout(
                grid_template_columns=f"max-content repeat({len(self.profiles)}, max-content)",
                align_items="center",
            ),
        )
        self.widget.add_class("certlib-verdict-cells")

    def show(
        self, verdicts: Mapping[tuple[str, str], Verdict], selected: tuple[str, str] | None
    ) -> None:
        """Paint every cell from ``verdicts`` (keyed ``(profile, purpose)``) and the selection."""
        for key, b in self.buttons.items():
            v = verdicts.get(key)
            outcome = v.outcome if v is not None else ""
            old = self._outcome.get(key)
            if old != outcome:
                if old:
                    b.remove_class(_outcome_class(old))
                if outcome:
                    b.add_class(_outcome_class(outcome))
                self._outcome[key] = outcome
            b.description = render.outcome_text(v) if v is not None else "?"
            b.tooltip = (v.summary if v is not None else "not judged") + " (click for reasons)"
            colours = _COLOURS.get(outcome, {})
            b.style.button_color = colours.get("background", "#ffffff")
            b.style.text_color = colours.get("color", "#000000")
            is_selected = key == selected
            b.style.font_weight = "bold" if is_selected else "normal"
            b.layout.border = "3px solid #1f5fbf" if is_selected else "1px solid #bbbbbb"
            if is_selected and self.selected != key:
                b.add_class("verdict-selected")
            elif not is_selected and self.selected == key:
                b.remove_class("verdict-selected")
        self.selected = selected

    def outcomes(self) -> dict[tuple[str, str], str]:
        """``(profile, purpose) -> outcome`` as the cells show it, read back from their classes."""
        out = {}
        for key, b in self.buttons.items():
            shown = [o for o in OUTCOMES if _outcome_class(o) in b._dom_classes]
            if shown:
                out[key] = shown[0]
        return out
