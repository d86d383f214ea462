"""Any exported pile of certificates → one honest DataFrame: the inventory layer's public API.

The work is done by the modules of this package (see :mod:`certlib.inventory.pipeline` for the
passes and which module does what); this facade re-exports what notebooks, the CLI and the
report layer use (``df.certs.verdicts()``/``findings()`` call :mod:`.tables`).
"""

from __future__ import annotations

from typing import Any

from certlib.cert.findings import FINDINGS
from certlib.inventory.frame import INVENTORY_COLUMNS, VERDICT_COLUMNS
from certlib.inventory.judge import At
from certlib.inventory.pipeline import (
    PARALLEL_THRESHOLD,
    iter_input_files,
    read_inventory,
    start_pool,
)
from certlib.inventory.write import load_inventory, write_inventory

__all__ = [
    "FINDINGS",
    "INVENTORY_COLUMNS",
    "PARALLEL_THRESHOLD",
    "VERDICT_COLUMNS",
    "At",
    "iter_input_files",
    "load_inventory",
    "read_inventory",
    "start_pool",
    "stream_inventory",
    "write_inventory",
]


def stream_inventory(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """Like :func:`read_inventory` but writes Parquet row groups to a target file with bounded
    memory; see :mod:`certlib.inventory.stream` (imported on first use: pyarrow)."""
    from certlib.inventory.stream import stream_inventory as _stream

    return _stream(*args, **kwargs)
