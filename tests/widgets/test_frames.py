"""Widget layouts that fit a 1280 px screen, and the explorer frozen for the offline deck.

No browser here: these check the widget trees (tests/notebooks/test_lab_browser.py and
tests/notebooks/test_presenters.py measure the drawn pages)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from certlib.core.verdicts import PROFILES, Purpose
from certlib.widgets.explorer import FROZEN_NOTE, PurposeExplorer


def _walk(widget: Any) -> list[Any]:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += _walk(child)
    return out


def test_explorer_rows_wrap_instead_of_clipping() -> None:
    ex = PurposeExplorer(preset="iis_server")
    rows = [x for x in _walk(ex.widget) if isinstance(x, w.HBox) and len(x.children) > 1]
    assert len(rows) >= 4  # preset, controls, profile/purpose, details/openssl
    assert all(r.layout.flex_flow == "row wrap" for r in rows), [r.layout.flex_flow for r in rows]
    flags = [ex.controls[n] for n in ("eku_present", "eku_critical", "ku_present", "ku_critical")]
    assert [f.layout.width for f in flags] == ["auto"] * 4  # not 300 px each


def test_freeze_disables_every_control_and_cell_and_says_so() -> None:
    ex = PurposeExplorer(preset="dual_use")
    before = {name: c.value for name, c in ex.controls.items()}
    assert ex.freeze() is ex
    assert len(ex.controls) == 34  # preset, 4 flags, 13 EKU, other OIDs, 9 KU, 6 dropdowns
    assert [n for n, c in ex.controls.items() if not c.disabled] == []
    cells = list(ex.grid.buttons.values())
    assert len(cells) == len(PROFILES) * len(Purpose)
    assert all(b.disabled for b in cells)
    caption = ex.widget.children[0]
    assert "certlib-frozen-caption" in caption._dom_classes
    assert "Frozen snapshot" in caption.value and "make app" in FROZEN_NOTE
    assert "certlib-frozen" in ex.widget._dom_classes
    assert "click" not in ex.views["grid"].value.lower()  # no hint a click cannot honour
    # a re-sync (as any model change does) keeps everything disabled and unchanged
    ex._sync_controls()
    ex.refresh()
    assert [n for n, c in ex.controls.items() if not c.disabled] == []
    assert {name: c.value for name, c in ex.controls.items()} == before


def test_freeze_compact_hides_what_needs_a_kernel() -> None:
    ex = PurposeExplorer(preset="dual_use").freeze(compact=True)
    hidden = [ex.reading, *(ex.views[n] for n in ("reasons", "details", "openssl"))]
    assert [v.layout.display for v in hidden] == ["none"] * 4
    assert ex.grid.widget.layout.display != "none"
    assert ex.views["summary"].layout.display != "none"


def test_fit_frames_shows_whole_cells_and_wraps() -> None:
    import pandas as pd
    from IPython.core.interactiveshell import InteractiveShell

    from certlib.widgets.frames import WRAP_STYLE, fit_frames, frame_html

    why = "heuristic, unverified: " + " ".join(["an explanation longer than fifty characters"] * 3)
    df = pd.DataFrame({"iis_binding_candidate": [True], "why (heuristic)": [why]})
    shell = InteractiveShell.instance()
    with pd.option_context("display.max_colwidth", 50):
        assert why not in df._repr_html_()  # pandas alone cuts it with "..."
        fit_frames(shell)
        assert pd.get_option("display.max_colwidth") is None
        html = shell.display_formatter.formatters["text/html"](df)
        assert html == frame_html(df)
        assert why in html and f'style="{WRAP_STYLE}"' in html
        assert html.count("<table") == 1
    shell.display_formatter.formatters["text/html"].pop(pd.DataFrame)
