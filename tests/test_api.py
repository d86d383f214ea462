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
