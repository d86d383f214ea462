"""Every notebook runs top to bottom in a fresh kernel, and is committed without outputs.

The kernel is the ``python3`` kernelspec; jupyter_client starts it with this interpreter
(``sys.executable``), which the first test checks from inside the kernel.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def _run(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    return client.execute()


def _errors(nb: nbformat.NotebookNode) -> list[str]:
    out = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append(f"cell {i}: {o.get('ename')}: {o.get('evalue')}")
    return out


def test_notebooks_found() -> None:
    names = [p.name for p in PATHS]
    assert len(PATHS) >= 6, names
    for prefix in ("00-", "01-", "02-", "03-", "04-", "05-"):
        assert any(n.startswith(prefix) for n in names), prefix


def test_kernel_is_this_interpreter() -> None:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")]
    )
    out = _run(nb).cells[0].outputs[0]["text"].strip()
    assert Path(out).resolve() == Path(sys.executable).resolve()


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_is_stripped(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has saved outputs"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"
    assert "widgets" not in nb.metadata, f"{path.name} saved widget state"


def test_every_notebook_executes() -> None:
    """Every notebook runs without an error output, and none leaves a Dask staging folder
    behind (notebook 05 scans inside ``with certlib.dask_staging()``, which removes the folder
    when the block ends; ``del ddf`` alone did not always: Dask's caches can keep the graph)."""
    tmp = Path(tempfile.gettempdir())
    staged = set(tmp.glob("certlib-staging-*"))
    ran = []
    failures = {}
    for path in PATHS:
        nb = nbformat.read(path, as_version=4)
        try:
            executed = _run(nb)
        except Exception as exc:  # CellExecutionError carries the cell and traceback
            failures[path.name] = f"{type(exc).__name__}: {str(exc)[-2000:]}"
            continue
        errors = _errors(executed)
        if errors:
            failures[path.name] = "; ".join(errors)
        ran.append(path.name)
    assert not failures, failures
    assert len(ran) == len(PATHS) >= 6
    left = sorted(p.name for p in set(tmp.glob("certlib-staging-*")) - staged)
    assert left == [], f"a notebook left its Dask staging folder behind: {left}"
