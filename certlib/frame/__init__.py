"""The certificate frame: its schema (:mod:`.schema`), building it (:mod:`.build`), its long
tables (:mod:`.tables`), validity filters (:mod:`.validity`) and verdict tables
(:mod:`.verdict_tables`). This ``__init__`` only re-exports; the ``df.certs`` accessor over
these functions is :mod:`certlib.accessor`, a layer above the report.
"""

from __future__ import annotations

from certlib.frame.build import empty_frame, to_frame
from certlib.frame.schema import (
    ABSENT,
    BOOLEAN,
    CATEGORY,
    DATETIME,
    EMPTY,
    FLOAT,
    INT,
    LIST,
    NONE,
    SCHEMA,
    STR,
    UNKNOWN,
    Column,
    apply_schema,
    columns_markdown,
    flatten_lists,
    is_missing,
    require,
    schema_columns,
)
from certlib.frame.tables import eku_table, san_table
from certlib.frame.validity import expired, expiring, not_yet_valid, valid_at

__all__ = [
    "ABSENT",
    "BOOLEAN",
    "CATEGORY",
    "DATETIME",
    "EMPTY",
    "FLOAT",
    "INT",
    "LIST",
    "NONE",
    "SCHEMA",
    "STR",
    "UNKNOWN",
    "Column",
    "apply_schema",
    "columns_markdown",
    "eku_table",
    "empty_frame",
    "expired",
    "expiring",
    "flatten_lists",
    "is_missing",
    "not_yet_valid",
    "require",
    "san_table",
    "schema_columns",
    "to_frame",
    "valid_at",
]
