"""Which OpenSSL the ``openssl`` binary here is, as the OpenSSL profile models versions."""

from __future__ import annotations

import re
import subprocess

import pytest


def model_version(openssl_bin: str) -> str:
    """'3.0' for OpenSSL 3.0.x, '3.2' for 3.2 and later; anything else is not modelled."""
    out = subprocess.run([openssl_bin, "version"], capture_output=True, text=True).stdout
    m = re.match(r"OpenSSL (\d+)\.(\d+)\.(\d+)", out)
    if not m:
        pytest.fail(f"cannot tell the OpenSSL version from `openssl version`: {out!r}")
    major, minor = int(m.group(1)), int(m.group(2))
    if (major, minor) == (3, 0):
        return "3.0"
    if (major == 3 and minor >= 2) or major > 3:
        return "3.2"
    pytest.fail(
        f"{out.strip()}: certlib.profiles.openssl models OpenSSL 3.0.x and 3.2+ only "
        "(3.1 and 1.x differ in ways nobody has checked); install 3.0 or >= 3.2"
    )
