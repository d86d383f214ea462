"""Any exported pile of certificates → one honest DataFrame.

``read_inventory`` walks files, lets :mod:`certlib.sources` find certificates in whatever
container they hide in, deduplicates them on SHA-256 of the DER, links each to its issuer when
that issuer is in the pile (signature-checked), judges every certificate for the six purposes
under one profile and lists findings. "Honest" means nothing is dropped silently: every input
file is named by a certificate row (``source_files``) or by an error row (``status="error"``),
and nothing secret (private keys, passwords) reaches the frame.

Work is split in three passes so that the expensive part runs in parallel and memory stays at
one copy of each DER:

1. main process: read files (``sources.read_bytes``), dedupe, index subject/issuer names;
2. main process: link the few certificates that issue others (CA candidates) among themselves;
3. worker processes (chunks): decode, link to issuer, chain-aware verdicts, findings.
"""

from __future__ import annotations

import datetime as _dt
import functools
import gc
import hashlib
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from cryptography import x509

from certlib import chain as _chain
from certlib import der as _der
from certlib import purpose
from certlib.decode import decode
from certlib.facts import facts
from certlib.findings import FINDINGS, ca_leaf_candidate, cert_findings
from certlib.frame import SCHEMA, schema_columns
from certlib.instants import At, as_utc
from certlib.purpose.base import OUTCOMES, Purpose
from certlib.purpose.windows import iis_key
from certlib.sources import key_state

__all__ = [
    "FINDINGS",
    "VERDICT_COLUMNS",
    "iter_input_files",
    "load_inventory",
    "read_inventory",
    "stream_inventory",
    "write_inventory",
]

#: One column per purpose, holding the outcome under the chosen profile.
VERDICT_COLUMNS: tuple[str, ...] = tuple(p.value for p in Purpose)
#: Inventories with at least this many distinct certificates use all CPUs by default.
PARALLEL_THRESHOLD = 2000
_CHUNK = 256
_CHUNK_MAX = 2048
_OUTCOME_DTYPE = pd.CategoricalDtype(list(OUTCOMES))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside one bounded step (a file, a chunk, the assembly).

    These steps allocate many long-lived objects and (almost) no reference cycles, so the
    collector's full passes over a growing heap were pure cost (about a fifth of a 20,000
    certificate run). It is switched back on after each step, so whatever cycles a step does
    leave are collected as usual.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# --------------------------------------------------------------------------------------------
# pass 1: files -> distinct DERs with provenance, and error rows
# --------------------------------------------------------------------------------------------


class _DerStore:
    """Where distinct DERs live: in memory (``read_inventory``) or appended to a spill file
    (``stream_inventory``), so a million-certificate scan holds offsets, not bytes."""

    def __init__(self, spill: Any = None) -> None:
        self._spill = spill
        self._end = 0

    def put(self, der: bytes) -> bytes | tuple[int, int]:
        if self._spill is None:
            return der
        self._spill.write(der)
        ref = (self._end, len(der))
        self._end += len(der)
        return ref

    def get(self, ref: bytes | tuple[int, int]) -> bytes:
        if isinstance(ref, bytes):
            return ref
        self._spill.flush()
        return os.pread(self._spill.fileno(), ref[1], ref[0])

    def get_many(self, refs: list[bytes | tuple[int, int]]) -> list[bytes]:
        """Like :meth:`get` for each ref, with one read when the refs are one contiguous run
        (a chunk of a streamed scan is: DERs are spilled in the order entries are made)."""
        if self._spill is None or not refs or any(isinstance(r, bytes) for r in refs):
            return [self.get(r) for r in refs]
        start = refs[0][0]  # type: ignore[index]
        pos = start
        for off, size in refs:  # type: ignore[misc]
            if off != pos:
                return [self.get(r) for r in refs]
            pos += size
        self._spill.flush()
        blob = os.pread(self._spill.fileno(), pos - start, start)
        return [blob[off - start : off - start + size] for off, size in refs]  # type: ignore[misc]


_MEMORY = _DerStore()


@dataclass(slots=True)
class _Entry:
    der: bytes | tuple[int, int]
    subject: bytes | None
    issuer: bytes | None
    sources: list[str] = field(default_factory=list)
    source_files: list[str] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    friendly_names: list[str] = field(default_factory=list)
    has_private_key: bool | None = None  # True / False / unknown (sources.key_state)
    warnings: list[str] = field(default_factory=list)


def _names(der: bytes) -> tuple[bytes | None, bytes | None]:
    """(subject, issuer) Name DER straight from the TBS, for indexing without a full parse."""
    try:
        _t, start, _e = _der.read_tlv(der)
        _t, pos, end = _der.read_tlv(der, start)
        parts: list[bytes] = []
        while pos < end and len(parts) < 5:
            tag, _s, next_pos = _der.read_tlv(der, pos)
            if not (tag == 0xA0 and not parts):  # skip the optional [0] version
                parts.append(der[pos:next_pos])
            pos = next_pos
        # serial, signature, issuer, validity, subject
        return parts[4], parts[2]
    except (_der.DerError, IndexError):
        return None, None


def iter_input_files(
    paths: Iterable[str | os.PathLike[str]], *, recursive: bool = True
) -> Iterator[tuple[str, str | None]]:
    """Yield ``(path, problem)``: every regular file under ``paths`` (sorted, stable), or a
    path that cannot be read with why (missing, unreadable directory)."""
    for raw in paths:
        p = Path(raw)
        try:
            if p.is_dir():
                walker = p.rglob("*") if recursive else p.glob("*")
                for child in sorted(walker, key=lambda c: str(c)):
                    if child.is_file():
                        yield str(child), None
            elif p.exists():
                yield str(p), None
            else:
                yield str(p), "no such file or directory"
        except OSError as exc:
            yield str(p), f"cannot list: {exc.strerror or exc}"


def _redact(text: str, secrets: Sequence[str]) -> str:
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    return text


def _error_row(path: str, kind: str, message: str, container: str | None = None, index=None):
    label = path if index is None else f"{path}#{index}"
    return {
        "status": "error",
        "source_path": path,
        "source_files": [path],
        "sources": [label],
        "container": container,
        "error_kind": kind,
        "error": message,
    }


def _collect(
    files: Iterable[tuple[str, str | None]],
    passwords: Sequence[bytes],
    bar: Any,
    store: _DerStore = _MEMORY,
    pool: ProcessPoolExecutor | None = None,
) -> tuple[dict[str, _Entry], list[dict[str, Any]], int]:
    """Pass 1. With ``pool``, small files are read by the workers in batches and big bundles
    in pieces; the main process merges what they found, in file order (same rows)."""
    secrets = [p.decode("utf-8", "replace") for p in passwords]
    entries: dict[str, _Entry] = {}
    errors: list[dict[str, Any]] = []
    interned: dict[bytes, bytes] = {}
    n_files = 0
    queue: list[tuple[Any, ...]] = []  # ("batch", future, paths), ("file", path), ("error", …)
    batch: list[str] = []
    ctx = (passwords, secrets, entries, errors, interned, store)

    def flush() -> None:
        if batch:
            queue.append(("batch", pool.submit(_read_files, list(batch), passwords), list(batch)))
            batch.clear()

    def drain(limit: int) -> None:
        while len(queue) > limit:
            kind, *rest = queue.pop(0)
            if kind == "file":
                _collect_one(rest[0], pool, ctx)
            elif kind == "error":
                errors.append(_error_row(rest[0], "unreadable", rest[1]))
            else:
                _merge_batch(rest[0], rest[1], ctx)

    for path, problem in files:
        n_files += 1
        bar.update(1)
        if problem is not None:
            flush()
            queue.append(("error", path, problem))
            continue
        if pool is not None and _small(path):
            batch.append(path)
            if len(batch) >= _FILE_BATCH:
                flush()
        else:
            flush()
            queue.append(("file", path))
        drain(4 * getattr(pool, "_max_workers", 1) if pool is not None else 0)
    flush()
    drain(0)
    return entries, errors, n_files


#: Files per worker task when workers read many small files.
_FILE_BATCH = 128


def _small(path: str) -> bool:
    try:
        return os.path.getsize(path) < min(PARALLEL_READ, BIG_PEM)
    except OSError:
        return False  # the main process reads it and reports why it cannot


def _collect_one(path: str, pool, ctx) -> None:
    """One file read here (big bundles still handed to the workers in pieces)."""
    errors = ctx[3]
    seen_any = False
    try:
        with _gc_paused():
            pieces = _bundle_pieces(path, pool)
            if pieces is not None:
                seen_any = _collect_pieces(path, pieces, ctx, pool)
            elif pool is not None and _huge_pem(path):
                huge = ((d, b, 0) for d, b, _whole in _pieces(path))
                seen_any = _collect_pieces(path, huge, ctx, pool, False)
            else:
                seen_any = _collect_file(path, ctx)
    except OSError as exc:
        errors.append(_error_row(path, "unreadable", str(exc.strerror or exc)))
        return
    if not seen_any:
        errors.append(_error_row(path, "not-a-certificate", "no certificate found"))


def _read_files(paths: list[str], passwords: Sequence[bytes]) -> list[tuple[str, Any]]:
    """In a worker: whole small files, as :func:`_collect_file` reads them in the main
    process; per file ``("ok", (found, problems, known))``, ``("unreadable", why)`` or
    ``("internal", why)``."""
    out: list[tuple[str, Any]] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            out.append(("unreadable", str(exc.strerror or exc)))
            continue
        try:
            out.append(("ok", _read_piece(data, path, passwords)))
        except Exception as exc:  # sources promises not to raise; keep it here too
            out.append(("internal", f"{type(exc).__name__}: {exc}"))
    return out


def _merge_batch(fut: Future, paths: list[str], ctx) -> None:
    errors = ctx[3]
    try:
        results = fut.result()
    except Exception as exc:  # a dead worker: its files are read here instead
        del exc
        for path in paths:
            _collect_one(path, None, ctx)
        return
    with _gc_paused():
        for path, (kind, payload) in zip(paths, results, strict=True):
            if kind == "unreadable":
                errors.append(_error_row(path, "unreadable", payload))
                continue
            if kind == "internal":
                errors.append(_error_row(path, "internal", payload))
                continue
            found, problems, known = payload
            _merge(path, found, problems, ctx, single=len(found) == 1, known=known)
            if not (found or problems):
                errors.append(_error_row(path, "not-a-certificate", "no certificate found"))


def _collect_file(path, ctx) -> bool:
    """One file's certificates into the entries and its problems into the error rows, read
    here; anything found?"""
    from certlib import sources

    passwords, errors = ctx[0], ctx[3]
    seen_any = False
    for data, offset, whole in _pieces(path):
        try:
            found, problems = sources.read_bytes(data, path, passwords=passwords)
        except Exception as exc:  # sources promises not to raise; keep it here too
            errors.append(_error_row(path, "internal", f"{type(exc).__name__}: {exc}"))
            seen_any = True
            break
        del data
        seen_any = seen_any or bool(found or problems)
        reword = None if whole else _piece_note(offset)
        single = whole and len(found) == 1
        _merge(path, found, problems, ctx, offset=offset, single=single, reword=reword)
    return seen_any


def _merge(path, found, problems, ctx, *, offset=0, single=False, known=None, reword=None):
    """One read's certificates into the entries and its problems into the error rows.

    ``offset``: blocks before the piece that was read; ``known``: what a worker computed for
    each certificate (:func:`_read_piece`); ``reword``: how a problem's text says where it is.
    """
    _passwords, secrets, entries, errors, interned, store = ctx
    for pr in problems:
        index = None if pr.index is None else pr.index + offset
        message = _redact(str(pr.message), secrets)
        if reword is not None:
            message = reword(message)
        errors.append(_error_row(path, pr.kind, message, pr.container, index))
    for i, item in enumerate(found):
        k = None if known is None else known[i]
        _add(entries, interned, store, path, item, offset, single, secrets, k)


def _piece_note(offset: int) -> Callable[[str], str]:
    """What a problem in a piece of a huge file adds to its text."""
    return lambda message: f"{message} [file read in pieces; this piece starts at block {offset}]"


def _add(
    entries, interned, store, path, item, offset: int, single: bool, secrets, known=None
) -> None:
    """Merge one found certificate into ``entries`` (dedupe on SHA-256, keep provenance).
    ``item`` is a :class:`certlib.sources.Found` or its :func:`_flat` tuple; ``known``: its
    (sha256 hex, subject, issuer) when a worker already computed them."""
    if type(item) is not tuple:
        item = _flat(item)
    der, prov_path, container, prov_index, alias, has_key, found_warnings = item
    sha = hashlib.sha256(der).hexdigest() if known is None else known[0]
    entry = entries.get(sha)
    if entry is None:
        subject, issuer = _names(der) if known is None else known[1:]
        if issuer is not None:
            issuer = interned.setdefault(issuer, issuer)  # few distinct issuers
        entry = entries[sha] = _Entry(store.put(bytes(der)), subject, issuer)
    where = str(prov_path) if prov_path else path
    if not where.startswith(path):
        where = f"{path}:{where}"
    index = None if prov_index is None else prov_index + offset
    if index is not None and not (single and index == 0):
        where = f"{where}#{index}"
    entry.sources.append(where)
    if path not in entry.source_files:
        entry.source_files.append(path)
    entry.containers.append(str(container))
    if alias and alias not in entry.friendly_names:
        entry.friendly_names.append(str(alias))
    entry.has_private_key = key_state(entry.has_private_key, has_key)
    for w in found_warnings:
        w = _redact(str(w), secrets)
        if w not in entry.warnings:
            entry.warnings.append(w)


def _flat(item) -> tuple:
    """A Found as a plain tuple (cheap to send from a worker, cheap to unpickle)."""
    prov = item.provenance
    return (
        item.der,
        prov.path,
        prov.container,
        prov.index,
        prov.alias,
        prov.has_private_key,
        item.warnings,
    )


#: With worker processes running, a PEM bundle of at least this size is read by them in pieces.
PARALLEL_READ = 4 * 1024 * 1024
_READ_PIECE_MIN = 1024 * 1024
_PEM_LINE = re.compile(rb"-----BEGIN ([^-\r\n]*)-----")
_CERT_BEGIN = b"-----BEGIN CERTIFICATE-----"
_BLOCK_WHERE = re.compile(r"^PEM block (\d+) \((.*?), line (\d+)\)")


def _bundle_pieces(
    path: str, pool: ProcessPoolExecutor | None
) -> list[tuple[bytes, int, int]] | None:
    """A big bundle of nothing but CERTIFICATE blocks, cut after ``-----END`` lines into one
    piece per worker task: ``(piece, blocks before it, lines before it)``; else None.

    Only such bundles: each block then yields exactly one result, so indexes, block numbers
    and line numbers can be shifted to what reading the whole file gives (a private key and
    its certificate in different pieces could not be matched; a PKCS#7 block yields several).
    """
    if pool is None or not (PARALLEL_READ <= os.path.getsize(path) < BIG_PEM):
        return None
    with open(path, "rb") as fh:  # a big zip, PFX or DER is not read twice just to say no
        if fh.read(len(_CERT_BEGIN)) != _CERT_BEGIN:
            return None
        fh.seek(0)
        data = fh.read()
    labels = _PEM_LINE.findall(data)
    if any(label != b"CERTIFICATE" for label in labels) or b"\\n" in data:
        return None
    workers = getattr(pool, "_max_workers", 2)
    target = max(_READ_PIECE_MIN, len(data) // (workers * 4) + 1)
    pieces: list[tuple[bytes, int, int]] = []
    start = blocks = lines = 0
    while start < len(data):
        cut = len(data)
        if start + target < len(data):
            end = data.find(b"-----END CERTIFICATE-----", start + target)
            if end >= 0:
                nl = data.find(b"\n", end)
                cut = len(data) if nl < 0 else nl + 1
        if len(data) - cut < target // 4:  # no small tail (and no trailing text) on its own
            cut = len(data)
        piece = data[start:cut]
        pieces.append((piece, blocks, lines))
        blocks += piece.count(b"-----BEGIN ")
        lines += piece.count(b"\n")
        start = cut
    return pieces if len(pieces) > 1 else None


def _huge_pem(path: str) -> bool:
    """A file :func:`_pieces` would cut (PEM, at least :data:`BIG_PEM` bytes)."""
    if os.path.getsize(path) < BIG_PEM:
        return False
    with open(path, "rb") as fh:
        return fh.read(64).lstrip().startswith(b"-----BEGIN ")


def _read_piece(data: bytes, path: str, passwords: Sequence[bytes]):
    """In a worker: a file or a piece of a bundle, with SHA-256 and names of what it found
    (``(found as _flat tuples, problems, known)`` for :func:`_merge`)."""
    from certlib import sources

    found, problems = sources.read_bytes(data, path, passwords=passwords)
    known = [(hashlib.sha256(f.der).hexdigest(), *_names(f.der)) for f in found]
    return [_flat(f) for f in found], problems, known


def _collect_pieces(path, pieces, ctx, pool, exact=True) -> bool:
    """:func:`_collect_file` for a bundle the workers read in ``pieces`` ``(data, blocks before,
    lines before)``, a few at a time; the same rows (``exact``: block and line numbers shifted
    to the file's; else, as for any huge file, problems say which piece they come from)."""
    passwords, errors = ctx[0], ctx[3]
    window: list[tuple[Future, int, int]] = []
    seen_any = False

    def drain(fut: Future, blocks: int, lines: int) -> None:
        nonlocal seen_any
        try:
            found, problems, known = fut.result()
        except Exception as exc:  # a dead worker: say so, keep going with the other pieces
            errors.append(_error_row(path, "internal", f"reading in a worker failed: {exc}"))
            seen_any = True
            return
        seen_any = seen_any or bool(found or problems)
        if exact:
            reword = functools.partial(_shift_where, blocks=blocks, lines=lines)
        else:
            reword = _piece_note(blocks)
        _merge(path, found, problems, ctx, offset=blocks, known=known, reword=reword)

    for data, blocks, lines in pieces:
        window.append((pool.submit(_read_piece, data, path, passwords), blocks, lines))
        if len(window) > 2 * getattr(pool, "_max_workers", 2):
            drain(*window.pop(0))
    for item in window:
        drain(*item)
    return seen_any


def _shift_where(message: str, blocks: int, lines: int) -> str:
    """ "PEM block 3 (CERTIFICATE, line 40)" in a piece -> its number and line in the file."""
    m = _BLOCK_WHERE.match(message)
    if m is None:
        return message
    where = f"PEM block {int(m[1]) + blocks} ({m[2]}, line {int(m[3]) + lines})"
    return where + message[m.end() :]


#: PEM files larger than this are handed to sources in pieces cut between blocks.
BIG_PEM = 64 * 1024 * 1024
_PIECE = 8 * 1024 * 1024


def _pieces(path: str) -> Iterator[tuple[bytes, int, bool]]:
    """``(data, block_offset, whole_file)``: the file in one piece, except a huge PEM file,
    which comes in ~8 MiB pieces cut after an ``-----END …-----`` line so memory stays
    bounded (a million-certificate bundle is not read, decoded and listed all at once)."""
    if os.path.getsize(path) < BIG_PEM:
        yield Path(path).read_bytes(), 0, True
        return
    with open(path, "rb") as fh:
        head = fh.read(64)
        fh.seek(0)
        if not head.lstrip().startswith(b"-----BEGIN "):
            yield fh.read(), 0, True
            return
        offset, carry = 0, b""
        while chunk := fh.read(_PIECE):
            buf = carry + chunk
            end = buf.rfind(b"-----END ")
            close = buf.find(b"-----", end + 9) if end >= 0 else -1
            if close < 0:
                carry = buf
                continue
            cut = close + 5
            piece, carry = buf[:cut], buf[cut:]
            yield piece, offset, False
            offset += piece.count(b"-----BEGIN ")
        if carry.strip():
            yield carry, offset, False


# --------------------------------------------------------------------------------------------
# pass 2: link the certificates that issue others (few) among themselves
# --------------------------------------------------------------------------------------------


def _load(der: bytes) -> tuple[x509.Certificate | None, list[str]]:
    caught: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as ws:
            warnings.simplefilter("always")
            cert = x509.load_der_x509_certificate(der)
        caught = [str(w.message).splitlines()[0] for w in ws]
        return cert, caught
    except Exception as exc:
        return None, [f"cannot load: {exc}"]


def _self_signed(cert: x509.Certificate) -> bool:
    """Signature verifies with its own key (names were compared by the caller)."""
    try:
        cert.verify_directly_issued_by(cert)
        return True
    except Exception:
        return False


def _issuer_of(
    cert: x509.Certificate, candidates: Sequence[x509.Certificate], der: bytes | None = None
):
    if not candidates:
        return None
    try:
        return _chain.find_issuer(cert, candidates, der=der)
    except Exception:
        return None


def _link_cas(
    entries: dict[str, _Entry],
    store: _DerStore = _MEMORY,
) -> tuple[dict[str, bytes], dict[str, tuple[tuple[str, ...], bool]], dict[bytes, list[str]]]:
    """CA candidates (subject named as issuer by another cert): their DER, their path up
    (issuer shas, nearest first; and whether it ends at a self-signed root), and the index
    issuer-name -> candidate shas."""
    issuer_names = {e.issuer for e in entries.values() if e.issuer is not None}
    by_subject: dict[bytes, list[str]] = {}
    for sha, e in entries.items():
        if e.subject is not None and e.subject in issuer_names:
            by_subject.setdefault(e.subject, []).append(sha)
    ca_shas = [s for shas in by_subject.values() for s in shas]
    certs: dict[str, x509.Certificate] = {}
    for sha in ca_shas:
        cert, _ = _load(store.get(entries[sha].der))
        if cert is not None:
            certs[sha] = cert
    sha_of = {id(c): s for s, c in certs.items()}
    parent: dict[str, str | None] = {}
    self_signed: set[str] = set()
    for sha, cert in certs.items():
        e = entries[sha]
        if e.subject == e.issuer and _self_signed(cert):
            self_signed.add(sha)
            parent[sha] = None
            continue
        cands = [certs[s] for s in by_subject.get(e.issuer, ()) if s != sha and s in certs]
        found = _issuer_of(cert, cands)
        parent[sha] = sha_of.get(id(found)) if found is not None else None
    paths: dict[str, tuple[tuple[str, ...], bool]] = {}
    for sha in certs:
        up: list[str] = []
        cur = parent.get(sha)
        while cur is not None and cur not in up and cur != sha and len(up) < 16:
            up.append(cur)
            cur = parent.get(cur)
        top = up[-1] if up else sha
        paths[sha] = (tuple(up), top in self_signed)
    ders = {s: store.get(entries[s].der) for s in certs}
    return ders, paths, by_subject


# --------------------------------------------------------------------------------------------
# pass 3 (workers): decode, link, judge, findings
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    items: list[tuple[str, bytes, _Entry]]  # sha256, DER, provenance
    ca_ders: dict[str, bytes]
    ca_paths: dict[str, tuple[tuple[str, ...], bool]]
    by_subject: dict[bytes, list[str]]
    profile: str
    at: _dt.datetime
    #: The chunk's certificates known to issue others (a streamed scan settles ``ca-as-leaf``
    #: in the worker with these; ``read_inventory`` settles it after all chunks).
    children: frozenset[str] = frozenset()


#: Memoise verdict outcomes across certificates (off only in the test that checks the memo).
_MEMO = True
#: (profile key, chain key) -> six outcomes, and (has_key, EKU) -> IIS flag, per process.
_OUTCOMES: dict[tuple, tuple[str, ...]] = {}
_IIS: dict[tuple, bool] = {}
_MEMO_MAX = 65536


def _judge_chunk(job: _Job) -> _Chunk:
    """Judge a chunk and build its typed frame here, in the worker: the main process then only
    concatenates (it would otherwise be the serial bottleneck of a parallel scan)."""
    cache: dict[str, x509.Certificate | None] = {}

    def ca(sha: str) -> x509.Certificate | None:
        if sha not in cache:
            cache[sha] = _load(job.ca_ders[sha])[0]
        return cache[sha]

    out = []
    with _gc_paused(), warnings.catch_warnings(record=True) as log:
        # One recorder for the chunk: what loading a certificate warns (negative serials, …)
        # is kept per row (see _load_logged); whatever later accessors repeat is dropped.
        warnings.simplefilter("always")
        for item in job.items:
            out.append(_judge_guarded(item, job, ca, log))
        return _chunk(job.items, out)


def _load_logged(der: bytes, log: list) -> tuple[x509.Certificate | None, list[str]]:
    """:func:`_load` inside a chunk's warning recorder (one ``catch_warnings`` per chunk, not
    per certificate); same answer."""
    log.clear()
    try:
        cert = x509.load_der_x509_certificate(der)
    except Exception as exc:
        return None, [f"cannot load: {exc}"]
    caught = [str(w.message).splitlines()[0] for w in log]
    log.clear()
    return cert, caught


def _judge_guarded(item, job: _Job, ca, log: list) -> dict[str, Any]:
    try:
        return _judge_one(item, job, ca, log)
    except Exception as exc:  # never lose a certificate to a bug: say which and why
        return {"sha256": item[0], "_internal_error": f"{type(exc).__name__}: {exc}"}


#: chain (shas) -> subject Name DER -> positions on the chain, for :func:`_chain_key`.
_CHAIN_SUBJECTS: dict[tuple[str, ...], dict[bytes, list[int]]] = {}


def _chain_key(cert: x509.Certificate, f, chain: tuple[str, ...], rooted: bool, chain_certs, at):
    """What path building reads of the leaf itself (:func:`certlib.chain.iter_paths`): its
    validity at ``at``, issuer name and AKI (which candidates, in which order) and whether
    each candidate's key verifies it. None when the leaf's own name is on the chain too
    (then the no-loops rule could matter) — such certificates are judged afresh."""

    if not rooted:
        return None  # no trust anchor: the profiles do no path validation at all
    subjects = _CHAIN_SUBJECTS.get(chain)
    if subjects is None:
        subjects = {}
        for i, c in enumerate(chain_certs):
            subjects.setdefault(facts(c).subject_der, []).append(i)
        if len(_CHAIN_SUBJECTS) >= 4096:
            _CHAIN_SUBJECTS.clear()
        _CHAIN_SUBJECTS[chain] = subjects
    if f.subject_der in subjects:
        return ()
    named = subjects.get(f.issuer_der, ())
    cands = tuple(i for i in named if _chain.is_issuer_candidate(cert, chain_certs[i]))
    links = tuple(_chain.link_error(cert, chain_certs[i]) is None for i in cands)
    nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
    # ``at`` itself: the chain's own certificates are checked at it too, and the memo outlives
    # one scan (a second read_inventory at another time must not reuse this scan's outcomes)
    return at, chain, f.issuer_der, f.authority_key_id, cands, links, at < nb, at > na


def _memo_key(profile: str, cert, f, chain, rooted: bool, chain_certs, at) -> tuple | None:
    """The outcome memo's key for a leaf that is not self-signed and whose chain loaded, or
    None when it must be judged afresh (the profile declares no key, or its name is on the
    chain)."""
    leaf_key = purpose.outcome_key(profile, f, cert=cert, at=at, chain=chain_certs)
    path_key = _chain_key(cert, f, chain, rooted, chain_certs, at)
    if leaf_key is None or path_key == ():
        return None
    return leaf_key, path_key


def _outcomes(cert, f, job: _Job, ctx, key) -> tuple[dict[str, str | None], list[str]]:
    """The six outcomes under ``job.profile``: from the memo when ``key`` was seen before."""

    hit = _OUTCOMES.get(key) if key is not None else None
    if hit is not None:
        return dict(zip(VERDICT_COLUMNS, hit, strict=True)), []
    outcomes: dict[str, str | None] = {}
    notes: list[str] = []
    for p in Purpose:
        try:
            outcomes[p.value] = purpose._run(cert, p, job.profile, ctx).outcome
        except Exception as exc:
            outcomes[p.value] = None
            notes.append(f"{p.value} verdict failed: {type(exc).__name__}: {exc}")
    if key is not None and not notes:
        if len(_OUTCOMES) >= _MEMO_MAX:
            _OUTCOMES.clear()
        _OUTCOMES[key] = tuple(outcomes[c] for c in VERDICT_COLUMNS)  # type: ignore[misc]
    return outcomes, notes


def _iis(cert, f, has_key: bool | None) -> bool | None:
    """The IIS flag; unknown (None) when only the unknown key could decide it: IIS lists a
    certificate with a private key and a fitting EKU, and a .cer export cannot say the first."""
    if has_key is None:
        return None if _iis(cert, f, True) else False
    key = iis_key(f, has_private_key=has_key) if _MEMO else None
    hit = _IIS.get(key) if key is not None else None
    if hit is None:
        hit = bool(purpose.iis_binding_candidate(cert, has_private_key=has_key).allowed)
        if key is not None:
            _IIS[key] = hit
    return hit


def _judge_one(item, job: _Job, ca, log: list) -> dict[str, Any]:
    sha, der, entry = item
    has_key, src_warnings = entry.has_private_key, tuple(entry.warnings)
    subject, issuer = entry.subject, entry.issuer
    cert, load_warnings = _load_logged(der, log)
    if cert is None:
        return {"sha256": sha, "_load_error": "; ".join(load_warnings)}
    notes: list[str] = []
    try:
        row = decode(cert, der=der)
    except Exception as exc:
        row = {"sha256": sha, "decode_errors": [f"decode failed: {type(exc).__name__}: {exc}"]}
    f = facts(cert)
    self_signed = subject is not None and subject == issuer and _self_signed(cert)
    issuer_sha: str | None = None
    chain: tuple[str, ...] = ()
    rooted = False
    if not self_signed and issuer is not None:
        cands = {s: ca(s) for s in job.by_subject.get(issuer, ()) if s != sha}
        cands = {s: c for s, c in cands.items() if c is not None}
        found = _issuer_of(cert, list(cands.values()), der)
        if found is not None:
            issuer_sha = next(s for s, c in cands.items() if c is found)
            up, rooted = job.ca_paths.get(issuer_sha, ((), False))
            chain = (issuer_sha, *up)
    chain_certs = [c for c in (ca(s) for s in chain) if c is not None]
    roots = chain_certs[-1:] if rooted else []
    inters = chain_certs[:-1] if rooted else chain_certs
    if self_signed:
        roots = [cert]  # a self-signed certificate is judged as its own anchor
    key = None
    if _MEMO and not self_signed and len(chain_certs) == len(chain):
        key = _memo_key(job.profile, cert, f, chain, rooted, chain_certs, job.at)
    # what purpose.verdict() does per call, with the one context the six verdicts share
    ctx = purpose._context(inters, roots, job.at, None, {})
    outcomes, failed = _outcomes(cert, f, job, ctx, key)
    notes.extend(failed)
    try:
        iis: bool | None = _iis(cert, f, has_key)
    except Exception as exc:
        iis = None
        notes.append(f"iis_binding_candidate failed: {type(exc).__name__}: {exc}")
    warn_all = [*src_warnings, *(w for w in load_warnings if w not in src_warnings)]
    codes = cert_findings(
        cert,
        f,
        at=job.at,
        self_signed=self_signed,
        decode_errors=row.get("decode_errors") or (),
        source_warnings=warn_all,
        unknown_critical=row.get("unknown_critical_extensions"),
        row=row,
    )
    return {
        "sha256": sha,
        "_row": row,
        "_ca_leaf": ca_leaf_candidate(f),
        "self_signed": self_signed,
        "issuer_sha256": issuer_sha,
        "chain_sha256": list(chain),
        "chain_complete": bool(self_signed or rooted),
        **outcomes,
        "iis_binding_candidate": iis,
        "findings": codes,
        "load_warnings": load_warnings,
        "inventory_notes": notes,
    }


# --------------------------------------------------------------------------------------------
# orchestration
# --------------------------------------------------------------------------------------------


def _in_jupyter() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()  # type: ignore[attr-defined]
    except Exception:
        return False
    return ip is not None and hasattr(ip, "kernel")


def _bar(progress: bool | None, total: int, desc: str, long: bool):
    from tqdm.auto import tqdm

    show = long and (_in_jupyter() or sys.stderr.isatty()) if progress is None else bool(progress)
    return tqdm(total=total, desc=desc, unit="", disable=not show, file=sys.stderr, leave=False)


def _jobs(
    entries, ders, paths, by_subject, profile, at, chunk, store: _DerStore = _MEMORY
) -> Iterator[_Job]:
    batch: list = []
    for sha, e in entries.items():
        batch.append((sha, e))
        if len(batch) >= chunk:
            yield _job(_with_ders(batch, store), ders, paths, by_subject, profile, at)
            batch = []
    if batch:
        yield _job(_with_ders(batch, store), ders, paths, by_subject, profile, at)


def _with_ders(batch: list[tuple[str, _Entry]], store: _DerStore) -> list:
    blobs = store.get_many([e.der for _s, e in batch])
    return [(sha, blob, e) for (sha, e), blob in zip(batch, blobs, strict=True)]


def _job(batch, ders, paths, by_subject, profile, at) -> _Job:
    """Ship only the CA material this chunk can need."""
    need: set[str] = set()
    sub: dict[bytes, list[str]] = {}
    for item in batch:
        issuer = item[2].issuer
        cands = by_subject.get(issuer, ()) if issuer is not None else ()
        if cands:
            sub[issuer] = cands
            for s in cands:
                need.add(s)
                need.update(paths.get(s, ((), False))[0])
    return _Job(
        batch,
        {s: ders[s] for s in need if s in ders},
        {s: paths[s] for s in need if s in paths},
        sub,
        profile,
        at,
    )


def _failed(job: _Job, exc: BaseException) -> _Chunk:
    """A chunk whose worker died: every certificate in it becomes a named error row."""
    why = f"worker process failed: {type(exc).__name__}: {exc}"
    return _chunk(job.items, [{"sha256": item[0], "_internal_error": why} for item in job.items])


def _result(fut: Future, job: _Job, failed: Callable[[_Job, BaseException], Any] = _failed) -> Any:
    try:
        return fut.result()
    except Exception as exc:  # BrokenProcessPool, pickling errors: report, do not raise
        return failed(job, exc)


def _ping() -> int:
    return os.getpid()


def start_pool(workers: int) -> ProcessPoolExecutor | None:
    """Start ``workers`` processes now (None for 1) and wait until they run.

    Why now: workers are forked, so started after reading a million certificates each would
    begin with a copy of the whole index. Started early they stay small; started late
    (``workers=None`` decides after reading) ``gc.freeze()`` keeps the inherited objects
    shared copy-on-write instead of touched by the child's garbage collector.
    """
    if workers <= 1:
        return None
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(max_workers=workers)
        for fut in [pool.submit(_ping) for _ in range(workers)]:
            fut.result()
    finally:
        gc.unfreeze()
    return pool


def _run(
    jobs: Iterator[_Job],
    workers: int,
    bar,
    pool: ProcessPoolExecutor | None = None,
    fn: Callable[[_Job], Any] | None = None,
    failed: Callable[[_Job, BaseException], Any] | None = None,
) -> Iterator[Any]:
    """``fn(job)`` for every job, in order (default: :func:`_judge_chunk`, giving chunks); a
    job whose worker failed gives ``failed(job, exc)`` instead (default: :func:`_failed`)."""
    fn = fn or _judge_chunk  # looked up now, so tests can replace the module's function
    failed = failed or _failed
    if workers <= 1 or pool is None:
        for job in jobs:
            res = fn(job)
            bar.update(len(job.items))
            yield res
        return
    window: list[tuple[Future, _Job]] = []
    for job in jobs:
        try:
            window.append((pool.submit(fn, job), job))
        except Exception as exc:  # the pool is already broken
            yield failed(job, exc)
            bar.update(len(job.items))
            continue
        if len(window) >= workers * 3:
            fut, done = window.pop(0)
            yield _result(fut, done, failed)
            bar.update(len(done.items))
    for fut, done in window:
        yield _result(fut, done, failed)
        bar.update(len(done.items))


def read_inventory(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    passwords: Iterable[str | bytes] = (),
    recursive: bool = True,
    workers: int | None = None,
    progress: bool | None = None,
    profile: str = "rfc5280",
    at: At = None,
) -> pd.DataFrame:
    """Read every certificate under ``paths`` into one row per distinct certificate.

    ``passwords`` are tried on PKCS#12 files (then empty and none); ``at`` is the reference time
    for validity findings and verdicts (default: now, UTC); ``workers`` defaults to all CPUs when
    there are at least :data:`PARALLEL_THRESHOLD` distinct certificates. Never raises for bad
    input files: each becomes an error row. See docs/inventory.md for the columns.
    """
    _check_profile(profile)
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    pw = tuple(p.encode() if isinstance(p, str) else bytes(p) for p in passwords)
    at = _as_utc(at)
    files = list(iter_input_files(paths, recursive=recursive))
    pool = start_pool(workers) if workers is not None else None
    try:
        with _bar(progress, len(files), "reading", len(files) >= 200) as bar:
            entries, errors, _n = _collect(files, pw, bar, pool=pool)
        ders, ca_paths, by_subject = _link_cas(entries)
        if workers is None:
            workers = (os.cpu_count() or 1) if len(entries) >= PARALLEL_THRESHOLD else 1
            pool = start_pool(workers)
        chunks: list[_Chunk] = []
        size = _chunk_size(len(entries), workers)
        with _bar(progress, len(entries), "judging", len(entries) >= PARALLEL_THRESHOLD) as bar:
            jobs = _jobs(entries, ders, ca_paths, by_subject, profile, at, size)
            if pool is None:
                chunks.extend(_run(jobs, 1, bar))
            else:
                with _gc_paused():  # receiving chunks allocates much and makes no cycles
                    chunks.extend(_run(jobs, max(1, workers), bar, pool))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    entries.clear()
    return _finish(chunks, errors, profile, at)


def _chunk_size(n: int, workers: int | None) -> int:
    """Big enough that building a frame per chunk is cheap per row, small enough that every
    worker gets several chunks (and the progress bar moves)."""
    per_worker = n // (max(1, workers or 1) * 4) + 1
    return max(_CHUNK, min(_CHUNK_MAX, per_worker))


def _check_profile(profile: str) -> None:
    """A wrong profile name is a caller's mistake, not a bad input file: fail before reading."""
    from certlib.purpose.base import PROFILES

    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, not {profile!r}")


def _as_utc(at: At) -> _dt.datetime:
    """``at`` as an aware UTC datetime, "now" to the second (:func:`certlib.instants.as_utc`)."""
    return as_utc(at, now_to_the_second=True)


#: Columns this module adds after the decoded ones (error rows fill only some).
INVENTORY_COLUMNS: tuple[str, ...] = (
    "status",
    "issuer_sha256",
    "chain_sha256",
    "chain_complete",
    *VERDICT_COLUMNS,
    "iis_binding_candidate",
    "findings",
    "source_path",
    "source_files",
    "sources",
    "source_count",
    "container",
    "friendly_names",
    "has_private_key",
    "error_kind",
    "error",
    "der",
)


#: A judged chunk: its typed frame (certificate rows, with a private ``_ca_leaf`` column) and
#: the error rows of certificates that could not be loaded or judged.
_Chunk = tuple[pd.DataFrame, list[dict[str, Any]]]


def _base(e: _Entry, der: bytes) -> dict[str, Any]:
    return {
        "source_path": e.source_files[0],
        "source_files": list(e.source_files),
        "sources": list(e.sources),
        "source_count": len(e.sources),
        "container": e.containers[0],
        "friendly_names": list(e.friendly_names),
        "has_private_key": e.has_private_key,
        "der": der,
    }


def _chunk(items: list[tuple[str, bytes, _Entry]], results: list[dict[str, Any]]) -> _Chunk:
    """Rows for judged ``items`` (``results`` in the same order), typed as the final frame.

    Built column by column (``frame.schema_columns`` plus this module's columns typed as
    :func:`_types` types them): a chunk is the unit of work of a worker, and going through
    row dicts and an object frame cost more than judging the certificates did.
    """

    rows: list[dict[str, Any]] = []
    ok: list[tuple[str, _Entry, bytes, dict[str, Any]]] = []
    errors: list[dict[str, Any]] = []
    with _gc_paused():
        for (sha, der, e), r in zip(items, results, strict=True):
            problem = r.get("_load_error") or r.get("_internal_error")
            if problem is not None:
                kind = "corrupt" if "_load_error" in r else "internal"
                errors.append(
                    {
                        **_base(e, der),
                        "status": "error",
                        "sha256": sha,
                        "error_kind": kind,
                        "error": problem,
                    }
                )
                continue
            row = r["_row"]
            row.setdefault("sha256", sha)
            warn = list(row.get("warnings") or [])
            for w in [*e.warnings, *r["load_warnings"]]:
                if w not in warn:
                    warn.append(w)
            row["warnings"] = warn
            rows.append(row)
            ok.append((sha, e, der, r))
        n = len(rows)
        decoded = schema_columns(_transpose(rows, tuple(SCHEMA)), n)
        cols = _inventory_columns(ok, rows, n)
        front = {"status": cols.pop("status"), "sha256": decoded.pop("sha256")}
        for c in cols:
            decoded.pop(c, None)
        der_col = cols.pop("der")
        df = pd.DataFrame({**front, **decoded, **cols, "der": der_col}, copy=False)
        df["_ca_leaf"] = pd.array([bool(r["_ca_leaf"]) for _s, _e, _d, r in ok], dtype="bool")
    return df, errors


def _transpose(rows: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, list[Any]]:
    """Row dicts -> column lists; in C (``zip``) when every row has exactly ``names`` in order,
    as :func:`certlib.decode.decode` rows do."""
    if all(tuple(row) == names for row in rows):
        columns = zip(*(row.values() for row in rows), strict=True) if rows else ()
        return dict(zip(names, map(list, columns), strict=False))
    return {c: [row.get(c) for row in rows] for c in names}


def _inventory_columns(ok, rows, n: int) -> dict[str, pd.Series]:
    """This module's columns for judged certificates, typed as :func:`_types` types them."""
    index = pd.RangeIndex(n)
    names = tuple(c for c in INVENTORY_COLUMNS if c != "error_kind")  # error_kind: all missing
    cells: list[tuple[Any, ...]] = []
    for row, (_s, e, d, r) in zip(rows, ok, strict=True):
        notes = r["inventory_notes"]
        cells.append(
            (
                "partial" if (row.get("decode_errors") or notes) else "ok",
                r["issuer_sha256"],
                list(r["chain_sha256"]),
                r["chain_complete"],
                *[r[c] for c in VERDICT_COLUMNS],
                r["iis_binding_candidate"],
                list(r["findings"]),
                e.source_files[0],
                list(e.source_files),
                list(e.sources),
                len(e.sources),
                e.containers[0],
                list(e.friendly_names),
                e.has_private_key,
                "; ".join(notes) if notes else None,
                d,
            )
        )
    columns = dict(zip(names, map(list, zip(*cells, strict=True)), strict=True)) if cells else {}
    out: dict[str, pd.Series] = {}
    for name in names:
        values = columns.get(name, [])
        out[name] = pd.Series(values, index=index, dtype=_INVENTORY_DTYPES.get(name, object))
    out["error_kind"] = pd.Series([None] * n, index=index, dtype=_INVENTORY_DTYPES["error_kind"])
    return {name: out[name] for name in INVENTORY_COLUMNS}


#: dtypes of this module's scalar columns (the list columns and ``der`` are ``object``).
_INVENTORY_DTYPES: dict[str, Any] = {
    "status": pd.CategoricalDtype(["ok", "partial", "error"]),
    "issuer_sha256": "str",
    "chain_complete": "boolean",
    **dict.fromkeys(VERDICT_COLUMNS, _OUTCOME_DTYPE),
    "iis_binding_candidate": "boolean",
    "source_path": "str",
    "source_count": "int64",
    "container": "str",
    "has_private_key": "boolean",
    "error_kind": "str",
    "error": "str",
}


def _finish(
    chunks: Iterable[_Chunk],
    errors: list[dict[str, Any]],
    profile: str,
    at: _dt.datetime,
    children: set[str] | None = None,
) -> pd.DataFrame:
    """The frame: chunks in order, then every error row; ``ca-as-leaf`` settled here because it
    asks whether a certificate issued anything in the whole pile (``children``: the shas that
    did; default: the verified links of these chunks)."""
    from certlib.frame import to_frame

    frames: list[pd.DataFrame] = []
    errors = list(errors)
    for frame, errs in chunks:
        frames.append(frame)
        errors.extend(errs)
    with _gc_paused():
        full = [f for f in frames if len(f)]
        if len(full) > 1:
            df = pd.concat(full, ignore_index=True)
        elif full:
            df = full[0].reset_index(drop=True)
        else:
            df = _with_extra(to_frame([]), [])
            df["_ca_leaf"] = pd.array([], dtype="bool")
        if children is None:
            children = set(df["issuer_sha256"].dropna())
        leafish = df["_ca_leaf"].to_numpy(dtype=bool) & ~df["sha256"].isin(children).to_numpy()
        for i in leafish.nonzero()[0]:
            codes = {*df.at[i, "findings"], "ca-as-leaf"}
            df.at[i, "findings"] = [c for c in FINDINGS if c in codes]
        df = df.drop(columns="_ca_leaf")
        if errors:
            # an error row carries a sha256 when a DER was found but could not be loaded
            err = _with_extra(to_frame([{"sha256": e.get("sha256")} for e in errors]), errors)
            err = err.reindex(columns=df.columns)
            dtypes = dict(df.dtypes) if len(df) else dict(err.dtypes)
            df = pd.concat([df, err], ignore_index=True) if len(df) else err
            for col, dtype in dtypes.items():  # concat widens e.g. categories; put them back
                if df[col].dtype != dtype:
                    df[col] = df[col].astype(dtype)
    df.attrs.update({"profile": profile, "at": at.isoformat()})
    return df


def _with_extra(df: pd.DataFrame, extra: list[dict[str, Any]]) -> pd.DataFrame:
    """Decoded frame + this module's columns (status first), typed by :func:`_types`."""
    ext = pd.DataFrame(extra, columns=list(INVENTORY_COLUMNS))
    for col in ext.columns:
        if col in df.columns and col != "status":
            df = df.drop(columns=col)
    df = pd.concat([ext[["status"]], df.reset_index(drop=True), ext.drop(columns="status")], axis=1)
    return _types(df)


def _as_list(v: Any) -> list:
    if isinstance(v, list | tuple):
        return list(v)
    if hasattr(v, "tolist") and not isinstance(v, str | bytes):  # numpy arrays from Parquet
        return list(v.tolist())
    return []


def _list_col(s: pd.Series) -> pd.Series:
    cells = [list(v) if type(v) is list else _as_list(v) for v in s]
    return pd.Series(cells, index=s.index, dtype=object)


def _types(df: pd.DataFrame) -> pd.DataFrame:
    for col in INVENTORY_COLUMNS:
        if col not in df.columns:
            df[col] = None
    # This module's list columns are never missing ([] instead). The decoded ones keep the
    # frame's meaning (None = extension absent, [] = present but empty): left to apply_schema.
    for col in ("sources", "source_files", "friendly_names", "findings", "chain_sha256"):
        df[col] = _list_col(df[col]).astype(object)
    df["source_count"] = df["sources"].map(len).astype("int64")
    df["der"] = pd.Series(
        [bytes(v) if isinstance(v, bytes | bytearray | memoryview) else None for v in df["der"]],
        index=df.index,
        dtype=object,
    )
    for col, dtype in _INVENTORY_DTYPES.items():
        df[col] = df[col].astype(dtype)
    if "sha256" in df.columns:
        df["sha256"] = df["sha256"].astype("str")
    front = ["status", "sha256"] if "sha256" in df.columns else ["status"]
    order = [*front, *(c for c in df.columns if c not in front and c != "der"), "der"]
    return df[order]


def write_inventory(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``df`` by extension: ``.parquet`` (lossless), ``.csv`` (lists joined with ';',
    ISO-8601 dates), ``.json`` (array of records) or ``.jsonl`` (one record per line)."""
    from certlib.inventory_write import write

    return write(df, Path(path))


def load_inventory(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read back a ``.parquet`` written by :func:`write_inventory` with the same dtypes
    (pyarrow hands list cells back as numpy arrays; they become lists again)."""
    from certlib.frame import apply_schema

    df = pd.read_parquet(path)
    attrs = dict(df.attrs)
    df = _types(apply_schema(df))
    df.attrs.update(attrs)
    return df


# --------------------------------------------------------------------------------------------
# long tables (also exposed as df.certs.verdicts() / df.certs.findings())
# --------------------------------------------------------------------------------------------


def inventory_verdicts(
    df: pd.DataFrame,
    *,
    profiles: Sequence[str] | None = None,
    purposes: Sequence[Purpose | str] | None = None,
    at: At = None,
) -> pd.DataFrame:
    """purposes × profiles for every certificate row, recomputed from the stored DER with the
    chain the inventory linked (``issuer_sha256``/``chain_sha256``)."""
    from certlib.purpose.base import PROFILES

    profiles = tuple(profiles or PROFILES)
    purposes = tuple(Purpose(p) for p in (purposes or tuple(Purpose)))
    if at is None and df.attrs.get("at"):
        at = df.attrs["at"]
    at = _as_utc(at) if at is not None else None
    ok = df[df["status"] != "error"] if "status" in df.columns else df
    by_sha = {s: d for s, d in zip(ok["sha256"], ok["der"], strict=True)}
    loaded: dict[str, x509.Certificate | None] = {}

    def cert(sha: str) -> x509.Certificate | None:
        if sha not in loaded:
            der = by_sha.get(sha)
            loaded[sha] = _load(bytes(der))[0] if der is not None else None
        return loaded[sha]

    frames = []
    for _i, row in ok.iterrows():
        c = cert(row["sha256"])
        if c is None:
            continue
        chain = [x for x in (cert(s) for s in (row.get("chain_sha256") or [])) if x is not None]
        rooted = bool(row.get("chain_complete")) and not bool(row.get("self_signed"))
        roots = chain[-1:] if rooted else ([c] if row.get("self_signed") else [])
        inters = chain[:-1] if rooted else chain
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            long = purpose.verdicts(
                c,
                profiles=profiles,
                purposes=purposes,
                intermediates=inters,
                roots=roots,
                at=at,
            )
        long.insert(0, "subject_cn", row.get("subject_cn"))
        long.insert(0, "sha256", row["sha256"])
        frames.append(long)
    if not frames:
        return pd.DataFrame(columns=["sha256", "subject_cn", "profile", "purpose", "outcome"])
    return pd.concat(frames, ignore_index=True)


def inventory_findings(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (certificate, finding code) with the code's description."""
    rows = [
        {"sha256": sha, "subject_cn": cn, "code": code, "description": FINDINGS.get(code, "")}
        for sha, cn, codes in zip(df["sha256"], df["subject_cn"], df["findings"], strict=True)
        for code in (codes if isinstance(codes, list | tuple) else ())
    ]
    out = pd.DataFrame(rows, columns=["sha256", "subject_cn", "code", "description"])
    out["code"] = out["code"].astype(pd.CategoricalDtype(list(FINDINGS)))
    return out


def _register_accessor() -> None:
    """Add ``verdicts()``/``findings()`` to ``df.certs`` (certlib.frame's accessor)."""
    from certlib.frame import CertsAccessor

    def verdicts(self, *, profiles=None, purposes=None, at=None) -> pd.DataFrame:
        """purposes × profiles long table for every certificate (see inventory_verdicts)."""
        return inventory_verdicts(self._df, profiles=profiles, purposes=purposes, at=at)

    def findings(self) -> pd.DataFrame:
        """One row per certificate × finding code, with the code's description."""
        return inventory_findings(self._df)

    for fn in (verdicts, findings):
        CertsAccessor.register_method(fn, replace=True)


_register_accessor()


def stream_inventory(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """Like :func:`read_inventory` but writes Parquet row groups to a target file with bounded
    memory; see :mod:`certlib.inventory_stream`."""
    from certlib.inventory_stream import stream_inventory as _stream

    return _stream(*args, **kwargs)
