"""The staging store: where a partition waits on disk between the steps of a Dask scan, so a
worker holds one partition at a time, never the whole input.

Without it every distinct partition (DERs and provenance) would sit in worker memory from the
SHA-256 shuffle until the CA-side tables are built, because the joins need every partition
before any can be judged: memory would grow with the input, not the partition size. Here the
steps hand each other only small tables (issuer names, packs, value sets) and each task reads
the one staging file it needs.

A store is a folder (a local path or an fsspec URL every worker can read and write): one
pickle per partition and step, written through a temporary name and renamed, so a task that
Dask reruns after a worker died rewrites the same file and a reader never sees half of one.
Files are never deleted inside the graph (a rerun must find them); the whole folder goes when
the collection that owns the store is garbage collected, or at interpreter exit, or, for a
store the caller made with :func:`dask_staging`, when its ``with`` block ends (Dask's caches
can keep a collection's graph alive after the last name for it is deleted).
"""

from __future__ import annotations

import os
import pickle
import shutil
import struct
import tempfile
import uuid
import weakref
from typing import Any

#: The subfolder prefix of a store made inside a folder the caller names.
PREFIX = "certlib-staging-"

_FOOTER = struct.Struct("<Q")


def _fs(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and its path there."""
    import fsspec

    return fsspec.core.url_to_fs(url)


class Store:
    """One run's staging folder. Pickled into the tasks by its URL only; the instance the
    client made owns the folder (a copy on a worker never removes it)."""

    __slots__ = ("__weakref__", "_finalizer", "url")

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._finalizer: weakref.finalize | None = None

    @classmethod
    def create(cls, where: str | os.PathLike[str] | None = None) -> Store:
        """A fresh store: a temporary folder on this machine (``where=None``: right for a
        LocalCluster or the local schedulers), else a new unique subfolder of ``where`` (a
        folder or URL shared by the workers). Removed when this object is collected."""
        if where is None:
            url = tempfile.mkdtemp(prefix=PREFIX)
        else:
            base = os.fspath(where)
            if "://" not in base:  # the workers may not share this process's working folder
                base = os.path.abspath(base)
            url = f"{base.rstrip('/')}/{PREFIX}{uuid.uuid4().hex}"
            fs, path = _fs(url)
            fs.makedirs(path, exist_ok=True)
        store = cls(url)
        store._finalizer = weakref.finalize(store, remove, store.url)
        return store

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (Store, (self.url,))

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def __dask_tokenize__(self) -> tuple[str, str]:
        return ("certlib-staging", self.url)

    def cleanup(self) -> None:
        """Remove the folder now (the owner only; idempotent)."""
        if self._finalizer is not None:
            self._finalizer()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    def _path(self, name: str) -> tuple[Any, str]:
        return _fs(f"{self.url}/{name}")

    def _write(self, name: str, data: bytes) -> None:
        fs, path = self._path(name)
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        tmp = f"{path}.{os.getpid()}-{uuid.uuid4().hex}.tmp"
        with fs.open(tmp, "wb") as fh:
            fh.write(data)
        fs.mv(tmp, path)

    def put(self, name: str, obj: Any) -> None:
        """``obj`` pickled as ``name`` (atomic: a temporary name, then renamed)."""
        self._write(name, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))

    def get(self, name: str) -> Any:
        fs, path = self._path(name)
        with fs.open(path, "rb") as fh:
            return pickle.loads(fh.read())

    def put_buckets(self, name: str, buckets: dict[int, Any]) -> None:
        """Several pickles in one file, each readable alone (:meth:`get_bucket`): the pieces
        of one read partition for each distinct partition, in one file per read partition."""
        body, index = bytearray(), {}
        for key in sorted(buckets):
            blob = pickle.dumps(buckets[key], protocol=pickle.HIGHEST_PROTOCOL)
            index[key] = (len(body), len(blob))
            body += blob
        footer = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
        self._write(name, bytes(body) + footer + _FOOTER.pack(len(footer)))

    def get_bucket(self, name: str, key: int) -> Any | None:
        """One piece of a :meth:`put_buckets` file (``None`` when it holds none for ``key``),
        read without reading the others."""
        fs, path = self._path(name)
        with fs.open(path, "rb") as fh:
            fh.seek(-_FOOTER.size, os.SEEK_END)
            (size,) = _FOOTER.unpack(fh.read(_FOOTER.size))
            fh.seek(-_FOOTER.size - size, os.SEEK_END)
            index = pickle.loads(fh.read(size))
            if key not in index:
                return None
            start, length = index[key]
            fh.seek(start)
            return pickle.loads(fh.read(length))


def dask_staging(where: str | os.PathLike[str] | None = None) -> Store:
    """A staging store whose lifetime the caller owns: pass it as ``read_inventory_dask(...,
    staging=store)`` and use it as a context manager, so the folder is removed when the
    ``with`` block ends, not whenever the collection happens to be collected. ``where`` as in
    :meth:`Store.create`."""
    return Store.create(where)


def remove(url: str) -> None:
    """Remove a staging folder and everything in it (nothing if it is gone)."""
    if "://" not in url:
        shutil.rmtree(url, ignore_errors=True)
        return
    try:
        fs, path = _fs(url)
        if fs.exists(path):
            fs.rm(path, recursive=True)
    except Exception:  # cleanup never raises (it runs at collection and exit)
        pass
