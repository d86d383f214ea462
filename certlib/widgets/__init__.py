"""ipywidgets front ends; the logic lives in plain models and pure HTML renderers.

* :mod:`certlib.widgets.render` — HTML for verdict grids, reasons, the Windows-style
  "Extensions Only" panel and the OpenSSL ``-purpose`` view (no ipywidgets needed).
* :mod:`certlib.widgets.cells` — :class:`VerdictGrid`, the verdict grid as buttons: a click on
  a cell reaches the kernel (an HTML table's cannot) and shows that cell's reasons.
* :mod:`certlib.widgets.explorer` — :class:`ExplorerModel` and the :class:`PurposeExplorer`.
* :mod:`certlib.widgets.inspector` — :class:`InspectorModel` and the :class:`CertificateInspector`
  for pasted/uploaded files (a bundle is judged as a chain).
* :mod:`certlib.widgets.browser` — :class:`InventoryBrowserModel` and the
  :class:`InventoryBrowser` over an inventory frame (filters, verdict badges, one row in full).
* :mod:`certlib.widgets.quiz` — :class:`Question` and the :class:`Quiz` widget.
* :mod:`certlib.widgets.panel` — outcome counts of an inventory per profile and the
  :class:`InventoryPanel` (a profile dropdown over them) of the live app.

Names are imported lazily so ``import certlib.widgets.render`` does not pull in ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
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
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'certlib.widgets' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
