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
    "Purpose": "certlib.purpose.base",
    "PROFILES": "certlib.purpose.base",
    "Verdict": "certlib.purpose.base",
    "Reason": "certlib.purpose.base",
    "verdict": "certlib.purpose",
    "verdicts": "certlib.purpose",
    "openssl_purpose_text": "certlib.purpose",
    "iis_binding_candidate": "certlib.purpose",
    "CertSpec": "certlib.forge",
    "forge_chain": "certlib.forge",
    "read_inventory": "certlib.inventory",
    "write_inventory": "certlib.inventory",
    "read_certificates": "certlib.sources",
    "verdict_table": "certlib.verdict_tables",
    "compare_table": "certlib.verdict_tables",
    "style_outcomes": "certlib.verdict_tables",
    "reasons_table": "certlib.verdict_tables",
    "openssl_purpose_table": "certlib.verdict_tables",
}

__all__ = [*sorted(_LAZY), "decode", "oids"]


def __getattr__(name: str) -> Any:
    if name == "oids":
        return importlib.import_module("certlib.oids")
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

# ``certlib.decode`` is both a submodule and the function it defines; bind the function last so
# that importing the submodule anywhere cannot shadow it. (``certlib.forge`` stays the module:
# ``from certlib.forge import CertSpec, forge``.)
from certlib.decode import decode  # noqa: E402
