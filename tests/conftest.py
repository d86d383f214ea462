"""Shared fixtures: where the external reference material lives, and the `openssl` oracle."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: ../shared beside the project root (CI lays a copy there too); CERTLIB_SHARED overrides.
SHARED = Path(os.environ.get("CERTLIB_SHARED", ROOT.parent / "shared"))
EXTERNAL = SHARED / "external"


@pytest.fixture(scope="session")
def external_dir() -> Path:
    if not (EXTERNAL / "x509-limbo-eku-ku.json").is_file():
        pytest.fail(f"x509-limbo subset not found under {EXTERNAL} (set CERTLIB_SHARED)")
    return EXTERNAL


@pytest.fixture(scope="session")
def openssl_bin() -> str:
    path = shutil.which("openssl")
    if path is None:
        pytest.fail("the `openssl` binary is required (scripts/system-deps.sh installs it)")
    return path
