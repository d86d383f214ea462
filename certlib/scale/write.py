"""A Dask frame of the inventory → a Parquet folder ``load_inventory`` reads back, written by
the workers, one file per partition.

Each partition is converted exactly as ``stream_inventory`` converts its row groups
(:func:`certlib.inventory.stream.arrow_table`: the one fixed Arrow schema, categories as strings,
which ``load_inventory`` settles) and written by the worker holding it; only a one-row tally
per partition comes back (rows by status, finding codes, hashes of the file names), enough for
the CLI's summary and ``--fail-on`` without reading the folder again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def parquet_schema() -> pa.Schema:
    """The Arrow schema for ``ddf.to_parquet(folder, schema=parquet_schema())`` on a frame of
    :func:`certlib.scale.read_inventory_dask`: ``stream_inventory``'s fixed schema with the
    ``category`` columns as dictionaries. Dask cannot infer one (the columns holding lists and
    bytes are ``object``, and a partition of error rows holds none of them)."""
    from certlib.frame import CATEGORY, SCHEMA
    from certlib.inventory.stream import arrow_schema

    dictionary = pa.dictionary(pa.int32(), pa.string())
    return pa.schema(
        [
            pa.field(f.name, dictionary)
            if SCHEMA.get(f.name) and SCHEMA[f.name].dtype == CATEGORY
            else f
            for f in arrow_schema()
        ]
    )


TALLY_META = pd.DataFrame(
    {
        "rows": pd.Series([], dtype="int64"),
        "status": pd.Series([], dtype=object),
        "findings": pd.Series([], dtype=object),
        "files": pd.Series([], dtype=object),
    }
)


def _name_hash(name: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(name.encode("utf-8", "surrogateescape"), digest_size=8).digest()
    )


def write_part(df: pd.DataFrame, folder: str, partition_info: dict | None = None) -> pd.DataFrame:
    """Write one partition as ``part-NNNNN.parquet`` (through a temporary name, so a retried
    task never leaves half a file); its tally."""
    from certlib.inventory.stream import arrow_table

    number = 0 if partition_info is None else int(partition_info["number"])
    table = arrow_table(df)
    meta = dict(table.schema.metadata or {})
    meta[b"PANDAS_ATTRS"] = json.dumps(df.attrs).encode()
    table = table.replace_schema_metadata(meta)
    final = os.path.join(folder, f"part-{number:05d}.parquet")
    tmp = f"{final}.{os.getpid()}.tmp"
    pq.write_table(table, tmp)
    os.replace(tmp, final)
    findings = Counter(c for codes in df["findings"] for c in codes)
    files = {_name_hash(f) for fs in df["source_files"] for f in fs}
    return pd.DataFrame(
        {
            "rows": [len(df)],
            "status": [dict(df["status"].value_counts())],
            "findings": [dict(findings)],
            "files": [files],
        }
    )


def prepare_folder(folder: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """The output folder, created; an existing non-empty one raises ``FileExistsError`` unless
    ``overwrite`` (then its old ``part-*.parquet`` files, and the hidden staging folder a killed
    scan may have left, are removed first)."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise FileExistsError(f"{path} exists and is not a folder")
    if path.is_dir() and any(path.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{path} exists and is not empty")
        for old in path.glob("part-*.parquet"):
            old.unlink()
        shutil.rmtree(path / ".certlib-staging", ignore_errors=True)
        if any(path.iterdir()):
            raise FileExistsError(f"{path} holds files that are not inventory parts")
    path.mkdir(parents=True, exist_ok=True)
    return path


def tally_parts(ddf: dd.DataFrame, folder: str | os.PathLike[str]) -> dd.DataFrame:
    """Lazy: computing it writes every partition of ``ddf`` into ``folder`` (which
    :func:`prepare_folder` made) and gives one tally row per partition."""
    return ddf.map_partitions(write_part, str(folder), meta=TALLY_META, enforce_metadata=False)


def summarise(tallies: pd.DataFrame) -> dict[str, Any]:
    """The partitions' tallies as one: rows, rows by status, finding counts and the number of
    distinct input files (counted by 64-bit name hashes)."""
    status: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    files: set[int] = set()
    for s, f, names in zip(tallies["status"], tallies["findings"], tallies["files"], strict=True):
        status.update(s)
        findings.update(f)
        files |= names
    return {
        "rows": int(tallies["rows"].sum()),
        "status": dict(status),
        "findings": dict(findings),
        "files": len(files),
    }


def remove_folder(path: Path) -> None:
    """Remove a folder this run created (a failed run leaves nothing half written)."""
    shutil.rmtree(path, ignore_errors=True)
