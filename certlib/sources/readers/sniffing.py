"""Guess the container from the bytes alone, never from the file name (exports are misnamed).

:func:`sniff` decodes text (UTF-8 with or without BOM, UTF-16 with or without BOM), tells DER,
PKCS#7, PKCS#12 and the magic-number formats apart, and recognises CSV, JSON, YAML, PEM and
base64 text. The readers for what sniffing alone settles live here too: empty input, input
of no known shape, and base64 text (decoded and handed back to the dispatcher).
"""

from __future__ import annotations

import base64
import binascii
import csv
import json
import re
from dataclasses import dataclass
from typing import Any

from certlib.cert import der as asn1
from certlib.core.oids import CONTENT_TYPE
from certlib.sources.jks import JCEKS_MAGIC, JKS_MAGIC
from certlib.sources.readers import context
from certlib.sources.readers.context import _Ctx, _Via
from certlib.sources.sst import MAGIC as SST_MAGIC

#: How many encodings may wrap each other (base64 in YAML in base64 …) before giving up.
_MAX_NESTING = 8
#: PEM labels of a PKCS#7 bundle: such text sniffs as "pkcs7-pem" (the PEM reader uses it too).
_PKCS7_LABELS = frozenset({"PKCS7", "PKCS #7 SIGNED DATA", "CMS", "CERTIFICATE CHAIN"})


@dataclass(frozen=True)
class _Sniffed:
    kind: str
    text: str | None = None
    notes: tuple[str, ...] = ()
    doc: Any = None  # parsed JSON when kind is json-ish


_PEM_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9][A-Z0-9 #/_.-]{0,63}?)-----")
_ESCAPED_PEM = re.compile(r"-----BEGIN [A-Z0-9 #/_.-]{1,64}-----\\[rn]")
_K8S_LINE = re.compile(r"^(apiVersion|kind)\s*:", re.MULTILINE)
_K8S_SECRET_YAML = re.compile(r"^kind:\s*[\"']?(Secret|List|SecretList)\b", re.MULTILINE)
_YAML_DATA = re.compile(r"^(data|stringData)\s*:\s*$", re.MULTILINE)
_YAML_AFTER_NEWLINE = re.compile(
    "\n(?:" + _K8S_LINE.pattern[1:] + "|" + _YAML_DATA.pattern[1:] + ")", re.MULTILINE
)
_B64_CHARS = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_CSV_FIELD = re.compile(r"[A-Za-z_][\w .\-]{0,63}")
_PS_COLUMNS = {"rawdata", "rawdatab64", "thumbprint", "pspath", "psparentpath", "friendlyname"}
_PRINTABLE = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}
_BINARY_KINDS = ("der", "pkcs7-der", "pkcs12", "sst", "jks", "jceks", "zip")
_TEXT_PEM_KINDS = ("pem", "pkcs7-pem", "json-escaped-pem")


#: Leading bytes that settle the kind.
_MAGICS = (
    (SST_MAGIC, "sst"),
    (JKS_MAGIC, "jks"),
    (JCEKS_MAGIC, "jceks"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x1f\x8b", "gzip"),
)


def sniff(data: bytes) -> str:
    """Guess the container from the bytes alone; a ``CONTAINERS`` key."""
    try:
        return _sniff(bytes(data)).kind
    except Exception:
        return "unknown"


def _sniff(data: bytes, depth: int = 0) -> _Sniffed:
    if not data.lstrip(b" \t\r\n\x00"):  # not strip(): that copies a big file ending in "\n"
        return _Sniffed("empty")
    for magic, kind in _MAGICS:
        if data.startswith(magic):
            return _Sniffed(kind)
    if data[0] == asn1.SEQUENCE and not _looks_printable(data[:64]) and not _utf16_order(data):
        return _Sniffed(_der_kind(data))
    text, notes = _decode_text(data)
    if text is None:
        return _Sniffed("unknown")
    sniffed = _sniff_text(text, depth)
    return _Sniffed(sniffed.kind, text, notes, sniffed.doc)  # = replace(), without its cost


def _looks_printable(chunk: bytes) -> bool:
    return all(b in _PRINTABLE for b in chunk)


_SIGNED_DATA_OID = asn1.encode_oid(CONTENT_TYPE.SIGNED_DATA)


def _der_kind(data: bytes) -> str:
    """PKCS#12, PKCS#7 or other DER, from what follows the outer SEQUENCE header."""
    try:
        pos = asn1.content_start(data)
    except asn1.DerError:
        return "der"
    rest = data[pos : pos + 16]
    if rest.startswith(_SIGNED_DATA_OID):
        return "pkcs7-der"
    if rest.startswith(b"\x02\x01\x03"):
        return "pkcs12"
    return "der"


def _utf16_order(data: bytes) -> str | None:
    """'le'/'be' when the bytes look like UTF-16 text without a BOM (ASCII with NULs)."""
    sample = data[:64]
    if len(sample) < 4 or 0 not in sample:  # both orders need a NUL in every pair
        return None
    pairs = [sample[i : i + 2] for i in range(0, len(sample) - 1, 2)]
    if all(p[1] == 0 and p[0] in _PRINTABLE for p in pairs):
        return "le"
    if all(p[0] == 0 and p[1] in _PRINTABLE for p in pairs):
        return "be"
    return None


def _decode_text(data: bytes) -> tuple[str | None, tuple[str, ...]]:
    """Text and how it was decoded: UTF-8 (BOM stripped), UTF-16 with or without BOM."""
    if data.startswith(b"\xef\xbb\xbf"):
        note = "utf8-bom: UTF-8 byte-order mark stripped"
        return data[3:].decode("utf-8", errors="replace"), (note,)
    for bom, codec, name in ((b"\xff\xfe", "utf-16-le", "LE"), (b"\xfe\xff", "utf-16-be", "BE")):
        if data.startswith(bom):
            note = f"utf16: decoded from UTF-16{name} text (with BOM)"
            return data[2:].decode(codec, errors="replace"), (note,)
    order = _utf16_order(data)
    if order:
        note = f"utf16: decoded from UTF-16{order.upper()} text (no BOM)"
        return data.decode(f"utf-16-{order}", errors="replace"), (note,)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, ()
    if "\x00" in text:
        return None, ()
    return text, ()


def _sniff_text(text: str, depth: int) -> _Sniffed:
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        return _Sniffed("empty")
    # Text that starts with "-" (PEM) is neither CSV nor JSON: its first line's first field
    # starts with "-", which no header field (_CSV_FIELD) nor "#TYPE" does, and JSON starts
    # with "{" or "[". The fast path skips asking (the general code asks and hears no).
    if stripped[0] != "-" or not context._FAST_PATHS:
        csv_kind = _csv_kind(stripped)
        if csv_kind:
            return _Sniffed(csv_kind)
        if stripped[0] in "{[":
            doc = _json_or_none(stripped)
            if doc is not None:
                return _Sniffed(_json_kind(doc), doc=doc)
    if _yaml_like(stripped):
        return _Sniffed("k8s-secret-yaml" if _K8S_SECRET_YAML.search(stripped) else "yaml")
    if "-----BEGIN " in stripped:
        if _has_escaped_pem(stripped):
            return _Sniffed("json-escaped-pem")
        first = _PEM_BEGIN.search(stripped)
        if first and first.group(1) in _PKCS7_LABELS:
            return _Sniffed("pkcs7-pem")
        return _Sniffed("pem")
    payload = _b64decode(stripped)
    if payload is not None and depth < _MAX_NESTING:
        inner = _sniff(payload, depth + 1).kind
        if inner in _TEXT_PEM_KINDS:
            return _Sniffed("base64-pem")
        if inner in _BINARY_KINDS:
            return _Sniffed("base64-" + inner)
    return _Sniffed("text")


def _yaml_like(text: str) -> bool:
    """``_K8S_LINE`` or ``_YAML_DATA`` matches somewhere in ``text``."""
    if not context._FAST_PATHS:
        return bool(_K8S_LINE.search(text) or _YAML_DATA.search(text))
    # ``^`` (MULTILINE) matches at 0 or after a "\n": test 0 with the patterns themselves and
    # every later line with one search that starts on the "\n" (6x faster than a ``^`` search).
    # Both need a ":" (a big PEM bundle without Bag Attributes has none at all).
    if ":" not in text:
        return False
    if _K8S_LINE.match(text) or _YAML_DATA.match(text):
        return True
    return _YAML_AFTER_NEWLINE.search(text) is not None


def _has_escaped_pem(text: str) -> bool:
    """``_ESCAPED_PEM`` matches somewhere in ``text`` (it needs a backslash)."""
    if context._FAST_PATHS and "\\" not in text:
        return False
    return _ESCAPED_PEM.search(text) is not None


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _json_kind(doc: Any) -> str:
    if isinstance(doc, dict) and doc.get("kind") in ("Secret", "List", "SecretList"):
        return "k8s-secret-json"
    return "json"


def _csv_kind(text: str) -> str | None:
    lines = _head_lines(text) if context._FAST_PATHS else text.splitlines()
    if lines[0].startswith("#TYPE"):
        return "powershell-csv"
    fields = _csv_header(lines[0])
    if not fields or len(lines) < 2:
        return None
    return "powershell-csv" if {f.lower() for f in fields} & _PS_COLUMNS else "csv"


def _head_lines(text: str) -> list[str]:
    """``text.splitlines()`` as far as ``_csv_kind`` looks: the same first line, and two or
    more items exactly when the whole text has two or more lines; without splitting it all."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        if len(lines) >= 2 or size >= len(text):
            return lines
        size *= 8


def _csv_header(line: str) -> list[str] | None:
    delimiter = max(",;\t", key=line.count)
    if line.count(delimiter) == 0:
        return None
    try:
        fields = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    fields = [f.strip() for f in fields]
    if len(fields) < 2 or not all(_CSV_FIELD.fullmatch(f) for f in fields):
        return None
    return fields


def _b64decode(text: str, min_len: int = 16) -> bytes | None:
    """Decode text that is nothing but standard base64 (whitespace allowed), else None."""
    compact = "".join(text.split())
    if len(compact) < min_len or not _B64_CHARS.fullmatch(compact):
        return None
    if len(compact) % 4 == 1:
        return None
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _read_empty(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    what = "no bytes" if not data else "only whitespace"
    ctx.problem("empty", f"{what}: nothing to read", via, "empty")


def _read_unknown(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    if sniffed.kind == "text":
        msg = (
            "text with no PEM BEGIN line, no base64 certificate and no known CSV/JSON/YAML "
            "layout: not a certificate"
        )
    else:
        msg = f"unrecognised binary data (starts {data[:4].hex(' ')}): not a certificate"
    ctx.problem("not-a-certificate", msg, via, sniffed.kind)


def _read_base64(data: bytes, sniffed: _Sniffed, ctx: _Ctx, via: _Via) -> None:
    payload = _b64decode(sniffed.text or "")
    if payload is None:  # cannot happen after sniffing; keep the promise of a Problem anyway
        ctx.problem("corrupt", "base64 text could not be decoded", via, sniffed.kind)
        return
    ctx.dispatch(payload, ctx, via.inner(prefix=via.prefix + "base64-"))
