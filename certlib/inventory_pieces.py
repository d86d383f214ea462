"""Cutting big PEM files into pieces that can be read one at a time or by several workers.

Two reasons to read a file in pieces, both decided by size alone: a PEM file of at least
:data:`BIG_PEM` bytes comes in ~8 MiB pieces so memory stays bounded (:func:`_pieces`), and with
worker processes running a bundle of at least :data:`PARALLEL_READ` bytes made only of
``CERTIFICATE`` blocks is cut into one piece per worker task (:func:`_bundle_pieces`). Also
here: which files are small enough to go to the workers in batches (:func:`_small`) and how a
problem's text is made to say where in the file it is (:func:`_shift_where`,
:func:`_piece_note`). Only bytes and sizes: what a piece holds is read by
:mod:`certlib.inventory_read`. The size limits are read at call time from this module, so a
test can lower them here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

#: With worker processes running, a PEM bundle of at least this size is read by them in pieces.
PARALLEL_READ = 4 * 1024 * 1024
_READ_PIECE_MIN = 1024 * 1024
_PEM_LINE = re.compile(rb"-----BEGIN ([^-\r\n]*)-----")
_CERT_BEGIN = b"-----BEGIN CERTIFICATE-----"
_BLOCK_WHERE = re.compile(r"^PEM block (\d+) \((.*?), line (\d+)\)")
#: PEM files larger than this are handed to sources in pieces cut between blocks.
BIG_PEM = 64 * 1024 * 1024
_PIECE = 8 * 1024 * 1024


def _small(path: str) -> bool:
    """Small enough to go to the workers whole, in a batch (below both piece thresholds)."""
    try:
        return os.path.getsize(path) < min(PARALLEL_READ, BIG_PEM)
    except OSError:
        return False  # the main process reads it and reports why it cannot


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


def _shift_where(message: str, blocks: int, lines: int) -> str:
    """ "PEM block 3 (CERTIFICATE, line 40)" in a piece -> its number and line in the file."""
    m = _BLOCK_WHERE.match(message)
    if m is None:
        return message
    where = f"PEM block {int(m[1]) + blocks} ({m[2]}, line {int(m[3]) + lines})"
    return where + message[m.end() :]


def _piece_note(offset: int) -> Callable[[str], str]:
    """What a problem in a piece of a huge file adds to its text."""
    return lambda message: f"{message} [file read in pieces; this piece starts at block {offset}]"


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
