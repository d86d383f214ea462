"""The behaviour snapshot (tests/reference/snapshot.py): today's frames and verdicts, cell for cell.

A failure means behaviour changed. If that was intended, regenerate with
``python tests/reference/snapshot.py --write`` and say so in the commit; a refactor must pass
unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import snapshot


@pytest.fixture(scope="module")
def stored() -> dict:
    return snapshot.load()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return snapshot.build(Path(tmp_path_factory.mktemp("snapshot")))


def _diff(fresh: pd.DataFrame, old: pd.DataFrame) -> str:
    """Which columns and rows differ, with the first few cells, for the failure message."""
    lines = []
    if list(fresh.columns) != list(old.columns):
        lines.append(f"columns: {list(old.columns)} -> {list(fresh.columns)}")
    if len(fresh) != len(old):
        lines.append(f"rows: {len(old)} -> {len(fresh)}")
    for col in [c for c in fresh.columns if c in old.columns]:
        if str(fresh[col].dtype) != str(old[col].dtype):
            lines.append(f"{col}: dtype {old[col].dtype} -> {fresh[col].dtype}")
        n = min(len(fresh), len(old))
        bad = [i for i in range(n) if repr(fresh[col].iloc[i]) != repr(old[col].iloc[i])]
        if bad:
            i = bad[0]
            lines.append(
                f"{col}: {len(bad)} rows differ, first row {i}: "
                f"{old[col].iloc[i]!r} -> {fresh[col].iloc[i]!r}"
            )
    return "\n".join(lines[:40])


@pytest.mark.parametrize("name", ["sample", "forged"])
def test_frame_unchanged(name: str, built: dict, stored: dict) -> None:
    fresh = snapshot.canonical(built[name])
    old = snapshot.canonical(stored[name])
    assert len(old) > (10 if name == "sample" else 3000)
    assert fresh.attrs == old.attrs
    try:
        pd.testing.assert_frame_equal(fresh, old)
    except AssertionError as exc:
        raise AssertionError(f"{name} frame changed:\n{_diff(fresh, old)}") from exc


def test_grid_unchanged(built: dict, stored: dict) -> None:
    fresh, old = built["grid"], stored["grid"]
    assert len(old) > 3000
    assert all(len(cells) == 30 for cells in old.values())  # 5 profiles x 6 purposes
    changed = sorted(k for k in old.keys() | fresh.keys() if old.get(k) != fresh.get(k))
    detail = []
    for k in changed[:5]:
        pairs = zip(old.get(k, []), fresh.get(k, []), strict=False)
        detail.append(f"{k}: {[(a, b) for a, b in pairs if a != b][:3]}")
    assert not changed, f"{len(changed)} certificates judged differently:\n" + "\n".join(detail)
