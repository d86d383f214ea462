"""Fixtures of the scale tests: one 2-process LocalCluster per module, the corpora once per
session (helpers and builders in ``tests/support/scaled.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import scaled


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with scaled.two_workers() as client:
        yield client


@pytest.fixture(scope="session")
def forged_corpus(tmp_path_factory) -> Path:
    """Forged once per session (seeded)."""
    return scaled.forged_corpus(tmp_path_factory.mktemp("scale-forged"))


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> Iterator[Path]:
    with scaled.hostile_corpus(tmp_path_factory.mktemp("scale-hostile")) as top:
        yield top
