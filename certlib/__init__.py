"""certlib: what may an X.509 certificate be used for — decoded, judged and explained.

The public API is imported lazily so that ``import certlib`` stays cheap (widgets pull in
ipywidgets, inventories pull in process pools); the ``df.certs`` accessor is registered as soon
as :mod:`certlib.frame` is imported, which ``import certlib`` does.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "to_frame": "certlib.frame",
    "Purpose": "certlib.core.verdicts",
    "PROFILES": "certlib.core.verdicts",
    "Verdict": "certlib.core.verdicts",
    "Reason": "certlib.core.verdicts",
    "verdict": "certlib.profiles",
    "verdicts": "certlib.profiles",
    "openssl_purpose_text": "certlib.profiles",
    "iis_binding_candidate": "certlib.profiles",
    "CertSpec": "certlib.cert.forge",
    "forge_chain": "certlib.cert.forge",
    "read_inventory": "certlib.inventory",
    "write_inventory": "certlib.inventory",
    "read_inventory_dask": "certlib.scale",  # needs the [scale] extra; imported on first use
    "read_certificates": "certlib.sources",
    "verdict_table": "certlib.frame.verdict_tables",
    "compare_table": "certlib.frame.verdict_tables",
    "style_outcomes": "certlib.frame.verdict_tables",
    "reasons_table": "certlib.frame.verdict_tables",
    "openssl_purpose_table": "certlib.frame.verdict_tables",
}

__all__ = [*sorted(_LAZY), "decode", "oids"]


def __getattr__(name: str) -> Any:
    if name == "oids":
        return importlib.import_module("certlib.core.oids")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'certlib' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


# Register the ``df.certs`` accessor on import (frame is small; pandas is needed anyway).
importlib.import_module("certlib.frame")

# ``certlib.cert.decode`` is both a submodule and the function it defines; bind the function last so
# that importing the submodule anywhere cannot shadow it. (``certlib.cert.forge`` stays the module:
# ``from certlib.cert.forge import CertSpec, forge``.)
from certlib.cert.decode import decode  # noqa: E402
