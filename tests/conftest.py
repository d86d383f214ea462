"""Shared fixtures: the vendored x509-limbo subset and the `openssl` oracle."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The x509-limbo subset (Apache-2.0), vendored with its licence and provenance (README.md there).
LIMBO = ROOT / "tests" / "data" / "x509-limbo"


@pytest.fixture(scope="session")
def limbo_dir() -> Path:
    if not (LIMBO / "x509-limbo-eku-ku.json").is_file():
        pytest.fail(f"x509-limbo subset missing from the checkout: {LIMBO}")
    return LIMBO


@pytest.fixture(scope="session")
def openssl_bin() -> str:
    path = shutil.which("openssl")
    if path is None:
        pytest.fail("the `openssl` binary is required (scripts/system-deps.sh installs it)")
    return path
