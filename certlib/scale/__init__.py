"""The inventory on a Dask cluster, with ``read_inventory``'s answers.

``read_inventory_dask`` builds a lazy Dask DataFrame (see :mod:`certlib.scale.plan` for the
steps); ``import certlib`` never imports this package (nor Dask): it is reached through
``certlib.read_inventory_dask`` or imported on purpose. Needs the ``[scale]`` extra.

``ddf.to_parquet(folder, schema=parquet_schema())`` writes a folder that ``load_inventory``
and pyarrow read; ``certlib scan --dask`` writes through :mod:`certlib.scale.write` instead
(each worker writes its partitions and sends back a tally).
"""

from __future__ import annotations

from certlib.scale.plan import PARTITION_SIZE, read_inventory_dask
from certlib.scale.staging import dask_staging
from certlib.scale.write import parquet_schema

__all__ = ["PARTITION_SIZE", "dask_staging", "parquet_schema", "read_inventory_dask"]
