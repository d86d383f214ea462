"""The inventory on a Dask cluster, with ``read_inventory``'s answers.

``read_inventory_dask`` builds a lazy Dask DataFrame (see :mod:`certlib.scale.plan` for the
steps); ``import certlib`` never imports this package (nor Dask): it is reached through
``certlib.read_inventory_dask`` or imported on purpose. Needs the ``[scale]`` extra.
"""

from __future__ import annotations

from certlib.scale.plan import PARTITION_SIZE, read_inventory_dask

__all__ = ["PARTITION_SIZE", "read_inventory_dask"]
