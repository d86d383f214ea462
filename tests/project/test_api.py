"""The top-level API the README and notebooks promise: every name resolves to what it says."""

from __future__ import annotations

import importlib
import subprocess
import sys

import certlib


def test_every_public_name_resolves() -> None:
    missing = [name for name in certlib.__all__ if getattr(certlib, name, None) is None]
    assert missing == []
    assert len(certlib.__all__) >= 15


def test_decode_is_the_function_even_after_importing_the_submodule() -> None:
    importlib.import_module("certlib.cert.decode")
    assert callable(certlib.decode)
    # A fresh interpreter that imports the submodule first, as notebooks may.
    code = "import certlib.cert.decode, certlib; assert callable(certlib.decode)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_importing_certlib_registers_the_accessor_and_stays_light() -> None:
    code = (
        "import sys, certlib, pandas as pd; pd.DataFrame().certs; "
        "assert 'ipywidgets' not in sys.modules, 'widgets must not load on import'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_inventory_accessor_methods_work_without_importing_the_inventory() -> None:
    code = (
        "import sys, certlib\n"
        "from certlib.cert.forge import CertSpec, forge\n"
        "df = certlib.to_frame([forge(CertSpec()).certificate])\n"
        "assert 'certlib.inventory' not in sys.modules\n"
        "assert callable(df.certs.findings) and callable(df.certs.verdicts)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_lazy_names_are_public_resolve_to_their_module_and_stay_unloaded() -> None:
    assert set(certlib.LAZY) <= set(certlib.__all__)
    assert len(certlib.LAZY) == 9
    for name, module in certlib.LAZY.items():
        value = getattr(certlib, name)
        assert value is getattr(importlib.import_module(module), name), name
    # only heavy modules are lazy: a fresh `import certlib` loads none of them
    code = (
        "import sys, certlib\n"
        f"heavy = {sorted(set(certlib.LAZY.values()))!r} + ['matplotlib', 'ipywidgets', 'dask']\n"
        "loaded = [m for m in heavy if m in sys.modules]\n"
        "assert loaded == [], loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_eager_public_name_is_bound_at_import() -> None:
    eager = [name for name in certlib.__all__ if name not in certlib.LAZY]
    assert len(eager) >= 30
    unbound = [name for name in eager if name not in vars(certlib)]
    assert unbound == []


def test_widgets_public_names_resolve_and_lazy_ones_are_classes() -> None:
    import certlib.widgets as widgets

    assert set(widgets.LAZY) <= set(widgets.__all__)
    missing = [name for name in widgets.__all__ if getattr(widgets, name, None) is None]
    assert missing == []
    assert all(isinstance(getattr(widgets, name), type) for name in widgets.LAZY)
    assert len(widgets.__all__) == 32


def _notebook_imports() -> list[tuple[str, str, str]]:
    """(notebook, module, name) for every certlib import in every notebook's code cells, and
    (notebook, "certlib", attr) for every ``certlib.<attr>`` the code reads."""
    import ast
    import json
    from pathlib import Path

    found = []
    for path in sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            tree = ast.parse("\n".join(s for s in source.splitlines() if not s.startswith("%")))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("certlib"):
                    found += [(path.name, node.module, a.name) for a in node.names]
                elif isinstance(node, ast.Import):
                    found += [
                        (path.name, a.name, "") for a in node.names if a.name.startswith("certlib")
                    ]
                elif (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "certlib"
                ):
                    found.append((path.name, "certlib", node.attr))
    return found


def test_notebooks_use_only_the_public_api_of_certlib_and_certlib_widgets() -> None:
    import certlib.widgets as widgets

    public = {"certlib": set(certlib.__all__), "certlib.widgets": set(widgets.__all__)}
    found = _notebook_imports()
    assert len({nb for nb, _, _ in found}) == 8  # every notebook uses certlib
    assert len(found) > 100
    outside = [f for f in found if f[1] not in public]
    assert outside == []
    private = [f for f in found if f[2] and f[2] not in public[f[1]]]
    assert private == []
