"""ipywidgets front ends; the logic lives in plain models and pure HTML renderers.

The package is layered (an import-linter contract in pyproject.toml keeps it so):

* rendering — :mod:`.render` (HTML for verdict grids, reasons, the Windows-style "Extensions
  Only" panel, the OpenSSL ``-purpose`` view) and :mod:`.frames` (pandas frames that fit a
  notebook): pure functions, no ipywidgets, no kernel.
* :mod:`.core` — judging one certificate for the views, the OpenSSL text, and the composed
  HTML notebooks show (:func:`grid_html`, :func:`side_by_side_html`).
* :mod:`.cells` — :class:`VerdictGrid`, the verdict grid as buttons (a click reaches the kernel).
* models and widgets — :mod:`.explorer` (:class:`ExplorerModel`, :class:`PurposeExplorer`),
  :mod:`.inspector` (:class:`CertificateInspector`), :mod:`.browser`
  (:class:`InventoryBrowser`), :mod:`.panel` (:class:`InventoryPanel`), :mod:`.quiz`
  (:class:`Quiz`): each a plain model plus a thin ipywidgets wrapper; :mod:`.tryit`
  (:class:`TryItModel`, :class:`TryIt`), the "Try it for real" button the explorer and the
  inspector share: real handshakes on 127.0.0.1 beside the grid (:mod:`.twin` re-issues a
  certificate whose key we do not have).
* :mod:`.lessons` — the notebooks' "try this" steps as data, checked against the explorer.

Notebooks import from here (and from :mod:`certlib`) only. The renderers are plain imports;
the model/widget classes are imported on first use (:data:`LAZY`), since their modules pull in
the inventory, forge presets and, when shown, ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

from certlib.widgets.core import grid_html, openssl_text, side_by_side_html
from certlib.widgets.frames import fit_frames, frame_html
from certlib.widgets.render import (
    certificate_html,
    extensions_only_html,
    extensions_only_rows,
    general_html,
    issued_by,
    issued_to,
    legend_html,
    openssl_text_html,
    reasons_html,
    verdict_grid_html,
)

if TYPE_CHECKING:
    from certlib.widgets.browser import BrowserFilters, InventoryBrowser, InventoryBrowserModel
    from certlib.widgets.cells import VerdictGrid
    from certlib.widgets.explorer import ExplorerModel, ExplorerState, PurposeExplorer
    from certlib.widgets.inspector import CertificateInspector, InspectorModel, Judgement
    from certlib.widgets.panel import InventoryPanel, InventoryPanelModel
    from certlib.widgets.quiz import Question, Quiz, QuizModel
    from certlib.widgets.tryit import TryIt, TryItModel

#: Public classes imported on first use: name -> the module that defines it.
LAZY: Final[dict[str, str]] = {
    "ExplorerModel": "certlib.widgets.explorer",
    "ExplorerState": "certlib.widgets.explorer",
    "PurposeExplorer": "certlib.widgets.explorer",
    "InspectorModel": "certlib.widgets.inspector",
    "Judgement": "certlib.widgets.inspector",
    "VerdictGrid": "certlib.widgets.cells",
    "CertificateInspector": "certlib.widgets.inspector",
    "BrowserFilters": "certlib.widgets.browser",
    "InventoryBrowserModel": "certlib.widgets.browser",
    "InventoryBrowser": "certlib.widgets.browser",
    "Question": "certlib.widgets.quiz",
    "QuizModel": "certlib.widgets.quiz",
    "Quiz": "certlib.widgets.quiz",
    "InventoryPanelModel": "certlib.widgets.panel",
    "InventoryPanel": "certlib.widgets.panel",
    "TryIt": "certlib.widgets.tryit",
    "TryItModel": "certlib.widgets.tryit",
}

__all__ = [
    "BrowserFilters",
    "CertificateInspector",
    "ExplorerModel",
    "ExplorerState",
    "InspectorModel",
    "InventoryBrowser",
    "InventoryBrowserModel",
    "InventoryPanel",
    "InventoryPanelModel",
    "Judgement",
    "PurposeExplorer",
    "Question",
    "Quiz",
    "QuizModel",
    "TryIt",
    "TryItModel",
    "VerdictGrid",
    "certificate_html",
    "extensions_only_html",
    "extensions_only_rows",
    "fit_frames",
    "frame_html",
    "general_html",
    "grid_html",
    "issued_by",
    "issued_to",
    "legend_html",
    "openssl_text",
    "openssl_text_html",
    "reasons_html",
    "side_by_side_html",
    "verdict_grid_html",
]


def __getattr__(name: str) -> Any:
    module = LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'certlib.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
