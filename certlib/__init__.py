"""certlib: what may an X.509 certificate be used for — decoded, judged and explained.

Every public name is listed here, imported from the module that owns it. Only the inventory
(process pools, pyarrow), the HTML report (matplotlib) and the Dask inventory (dask) are
imported on first use, through
the typed table :data:`LAZY`; everything else is a plain import. ``import certlib`` also
registers the ``df.certs`` accessor (:mod:`certlib.accessor`). Notebooks import from here and
from :mod:`certlib.widgets` only.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

from certlib import accessor as _accessor  # registers df.certs
from certlib.cert.decode import decode
from certlib.cert.extra_extensions import (
    certificate_policies,
    name_constraints,
    policy_constraints,
)
from certlib.cert.forge import PRESETS, CertSpec, forge, forge_chain
from certlib.core import oids
from certlib.core.memo import Memo
from certlib.core.oids import EKU, EXAMPLE_UNKNOWN_OID, KU_BITS, eku_catalogue, ku_bit
from certlib.core.verdicts import PROFILES, Purpose, Reason, Verdict
from certlib.frame import to_frame
from certlib.frame.verdict_tables import (
    compare_table,
    openssl_purpose_table,
    reasons_table,
    style_outcomes,
    verdict_table,
)
from certlib.handshake import RSA_KEY_TRANSPORT, Loopback
from certlib.profiles import (
    iis_binding_candidate,
    openssl_purpose_text,
    verdict,
    verdicts,
)
from certlib.profiles.windows import intended_purposes
from certlib.sources import read_bytes, read_certificates

if TYPE_CHECKING:
    from certlib.inventory import (
        VERDICT_COLUMNS,
        load_inventory,
        read_inventory,
        stream_inventory,
        write_inventory,
    )
    from certlib.report.html import report_html, write_report
    from certlib.scale import dask_staging, read_inventory_dask

__version__ = "0.1.0"

#: Public names imported on first use: name -> the module that defines it. Heavy imports only.
LAZY: Final[dict[str, str]] = {
    "VERDICT_COLUMNS": "certlib.inventory",
    "load_inventory": "certlib.inventory",
    "read_inventory": "certlib.inventory",
    "stream_inventory": "certlib.inventory",
    "write_inventory": "certlib.inventory",
    "report_html": "certlib.report.html",
    "write_report": "certlib.report.html",
    # Dask (the [scale] extra): the inventory on a cluster
    "read_inventory_dask": "certlib.scale",
    "dask_staging": "certlib.scale",
}

__all__ = [
    "EKU",
    "EXAMPLE_UNKNOWN_OID",
    "KU_BITS",
    "PRESETS",
    "PROFILES",
    "RSA_KEY_TRANSPORT",
    "VERDICT_COLUMNS",
    "CertSpec",
    "Loopback",
    "Memo",
    "Purpose",
    "Reason",
    "Verdict",
    "__version__",
    "certificate_policies",
    "compare_table",
    "dask_staging",
    "decode",
    "eku_catalogue",
    "forge",
    "forge_chain",
    "iis_binding_candidate",
    "intended_purposes",
    "ku_bit",
    "load_inventory",
    "name_constraints",
    "oids",
    "openssl_purpose_table",
    "openssl_purpose_text",
    "policy_constraints",
    "read_bytes",
    "read_certificates",
    "read_inventory",
    "read_inventory_dask",
    "reasons_table",
    "report_html",
    "stream_inventory",
    "style_outcomes",
    "to_frame",
    "verdict",
    "verdict_table",
    "verdicts",
    "write_inventory",
    "write_report",
]

del _accessor


def __getattr__(name: str) -> Any:
    module = LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'certlib' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
