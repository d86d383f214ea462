"""Notebooks are committed clean: valid nbformat v4, no outputs, no execution counts.

Outputs in git mean noisy diffs, stale results a learner mistakes for the truth, and (with
certificates) possibly data that should never have been shared. Strip before committing.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def all_notebooks() -> list[Path]:
    """Every notebook under notebooks/, checkpoints excluded."""
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def test_notebook_count() -> None:
    found = all_notebooks()
    top_level = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert len(found) >= 1, "notebooks/ holds no notebook"
    assert len(found) == len(top_level), "notebooks must sit directly in notebooks/"
    print(f"{len(found)} notebooks checked")


@pytest.mark.parametrize("path", all_notebooks(), ids=lambda p: p.name)
def test_notebook_is_valid_and_stripped(path: Path) -> None:
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert nb.nbformat == 4
    nbformat.validate(nb)  # raises ValidationError with the offending path
    assert nb.cells, "empty notebook"
    dirty = [
        (i, cell.get("execution_count"), len(cell.get("outputs", [])))
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert dirty == [], f"(cell, execution_count, outputs) not stripped in {path.name}"
