"""pandas frames that fit a notebook's output area: every character shown, cells wrapped.

pandas cuts long cells with "..." (``display.max_colwidth``, 50 by default), which in a column
of explanations hides exactly the explanation; and a frame whose headers are long identifiers
(``iis_binding_candidate``, ``email_protection``) is wider than the output area on a 1280 px
screen, so its last columns hide behind a scrollbar. :func:`fit_frames` fixes both for one
notebook session; :func:`frame_html` is the HTML it shows, usable on its own.
"""

from __future__ import annotations

from typing import Any

__all__ = ["WRAP_STYLE", "fit_frames", "frame_html"]

#: Inherited by every header and cell: a long word may break rather than widen its column.
WRAP_STYLE = "overflow-wrap:anywhere"


def frame_html(df: Any) -> str | None:
    """pandas' own HTML for ``df`` inside a wrapper that lets every cell wrap (None when
    pandas gives no HTML, so the plain-text repr is shown instead)."""
    html = df._repr_html_()
    if html is None:
        return None
    return f'<div class="certlib-frame" style="{WRAP_STYLE}">{html}</div>'


def fit_frames(shell: Any = None) -> None:
    """In this IPython session (default: the running one), show pandas frames whole and
    wrapped: ``display.max_colwidth`` becomes None and frames render with :func:`frame_html`.

    A notebook calls it once, in its set-up cell; outside IPython only the pandas option is
    set."""
    import pandas as pd

    pd.set_option("display.max_colwidth", None)
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, frame_html)
