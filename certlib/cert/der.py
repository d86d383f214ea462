"""The one place certlib reads and writes ASN.1 by hand (only what cryptography cannot express).

* **Strict DER reading** (:func:`read_tlv`, :func:`children`, :func:`unwrap`, :func:`tbs_fields`):
  cryptography parses extensions lazily and strictly, so an empty EKU, a KU with no bits or a
  Netscape cert type raise or are opaque; purpose rules (OpenSSL's above all) still need their
  contents. Definite lengths only; anything else raises :class:`DerError`.
* **Lenient BER reading** (:class:`Tlv`, :func:`read_ber_tlv`, :func:`ber_children`,
  :func:`content_start`): the input readers sniff containers and slice certificates out of them
  *with offsets*, and real ``.p7b`` files carry BER indefinite and non-minimal lengths that must
  still be counted. Never recurses deeper than :data:`MAX_DEPTH`, so hostile bytes cannot blow
  the stack; a cut-short input raises :class:`DerTruncated`.
* **DER writing** (``encode_*``): :mod:`certlib.cert.forge` and the OpenSSL differential generator
  build extension values and TBS rewrites that cryptography's builder refuses.

Every reader raises :class:`DerError` (a ``ValueError``) on bad input.
:mod:`certlib.profiles.openssl` keeps its own decoder on purpose: it models OpenSSL's quirks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from certlib.core.memo import Memo
from certlib.core.oids import EXT

__all__ = [
    "MAX_DEPTH",
    "DerError",
    "DerTruncated",
    "NotStrictDer",
    "RawExtension",
    "TbsFields",
    "Tlv",
    "ber_children",
    "bit_string",
    "children",
    "content_start",
    "elements",
    "encode_bit_string",
    "encode_integer",
    "encode_length",
    "encode_oid",
    "encode_sequence",
    "encode_tlv",
    "oid_text",
    "parse_bool",
    "parse_int",
    "read_ber_tlv",
    "read_tlv",
    "strict_children",
    "strict_spans",
    "strict_unwrap",
    "tbs_fields",
    "unwrap",
]

BOOLEAN = 0x01
INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
OID = 0x06
UTF8_STRING = 0x0C
UTC_TIME = 0x17
GENERALIZED_TIME = 0x18
SEQUENCE = 0x30
SET = 0x31

MAX_DEPTH = 32

_F = TypeVar("_F")


class DerError(ValueError):
    """The bytes are not the DER (or BER) we expected."""


class DerTruncated(DerError):
    """A length runs past the end of the data: the input was cut short (lenient reader)."""


class NotStrictDer(DerError):
    """Bytes cryptography's strict DER reader would refuse (a non-minimal length, a multi-byte
    tag, an element running past its parent) although :func:`read_tlv` may take them."""


# --------------------------------------------------------------------------------------------
# Strict DER reading
# --------------------------------------------------------------------------------------------


def read_tlv(data: bytes, offset: int = 0) -> tuple[int, int, int]:
    """Return ``(tag, value_start, value_end)`` of the element at ``offset``."""
    if offset + 2 > len(data):
        raise DerError("truncated: no room for a tag and a length")
    tag = data[offset]
    if tag & 0x1F == 0x1F:
        raise DerError("multi-byte tags are not used in certificates")
    first = data[offset + 1]
    pos = offset + 2
    if first < 0x80:
        length = first
    elif first == 0x80:
        raise DerError("indefinite length (BER) is not DER")
    else:
        count = first & 0x7F
        if count > 4 or pos + count > len(data):
            raise DerError("bad or truncated long-form length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    end = pos + length
    if end > len(data):
        raise DerError("truncated: the length runs past the end of the data")
    return tag, pos, end


def children(data: bytes) -> list[tuple[int, bytes]]:
    """The ``(tag, value)`` pairs of a constructed value's contents, in order."""
    return [(tag, data[s:e]) for tag, _o, s, e in _spans(data, 0, len(data))]


def _spans(data: bytes, offset: int, end: int) -> list[tuple[int, int, int, int]]:
    """``(tag, offset, value_start, value_end)`` of each element from ``offset`` to ``end``.

    Exactly :func:`read_tlv` in a loop (same checks, same errors), with the short and the
    one/two-octet long lengths read inline: the TBS walk is the hot path of every verdict.
    """
    n = len(data)
    out: list[tuple[int, int, int, int]] = []
    while offset < end:
        if offset + 2 <= n:
            tag = data[offset]
            first = data[offset + 1]
            if tag & 0x1F != 0x1F:
                if first < 0x80:
                    s = offset + 2
                    e = s + first
                elif first == 0x81 and offset + 3 <= n:
                    s = offset + 3
                    e = s + data[offset + 2]
                elif first == 0x82 and offset + 4 <= n:
                    s = offset + 4
                    e = s + (data[offset + 2] << 8 | data[offset + 3])
                else:
                    e = n + 1
                if e <= n:
                    out.append((tag, offset, s, e))
                    offset = e
                    continue
        tag, s, e = read_tlv(data, offset)  # the unusual cases, and every error
        out.append((tag, offset, s, e))
        offset = e
    return out


def elements(data: bytes) -> list[bytes]:
    """The whole encodings of the elements in ``data``, in order: rewrite and re-join them."""
    out: list[bytes] = []
    offset = 0
    while offset < len(data):
        _tag, _start, end = read_tlv(data, offset)
        out.append(data[offset:end])
        offset = end
    return out


def unwrap(data: bytes, expected_tag: int) -> bytes:
    """The value of a single element that must fill ``data`` exactly."""
    tag, start, end = read_tlv(data)
    if tag != expected_tag:
        raise DerError(f"expected tag 0x{expected_tag:02x}, found 0x{tag:02x}")
    if end != len(data):
        raise DerError("trailing bytes after the element")
    return data[start:end]


def oid_text(value: bytes, *, memo: Memo | None = None) -> str:
    """Dotted text of an OBJECT IDENTIFIER's contents (both readers).

    With a run's ``memo``, memoised on the bytes: a pile of certificates repeats the same few
    dozen OIDs.
    """
    if memo is None or type(value) is not bytes:  # bytearray / memoryview: not safely hashable
        return _oid_text(value)
    table = memo.table("der.oid_text")
    text = table.get(value)
    if text is None:
        text = _oid_text(value)
        memo.room(table)
        table[value] = text
    return text  # type: ignore[return-value]


def _oid_text(value: bytes) -> str:
    if not value:
        raise DerError("empty OBJECT IDENTIFIER")
    arcs: list[int] = []
    acc = 0
    for byte in value:
        acc = (acc << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(acc)
            acc = 0
    if value[-1] & 0x80:
        raise DerError("truncated OBJECT IDENTIFIER")
    first = arcs[0]
    head = [0, first] if first < 40 else [1, first - 40] if first < 80 else [2, first - 80]
    return ".".join(str(a) for a in head + arcs[1:])


def parse_bool(value: bytes) -> bool:
    if len(value) != 1:
        raise DerError("BOOLEAN must be one byte")
    return value[0] != 0


def parse_int(value: bytes) -> int:
    if not value:
        raise DerError("empty INTEGER")
    return int.from_bytes(value, "big", signed=True)


def bit_string(value: bytes) -> tuple[bytes, int]:
    """``(bytes, unused_bits)`` of a BIT STRING's contents."""
    if not value:
        raise DerError("empty BIT STRING (no unused-bits octet)")
    unused = value[0]
    if unused > 7 or (unused and len(value) == 1):
        raise DerError("bad unused-bits count in BIT STRING")
    return value[1:], unused


@dataclass(frozen=True)
class RawExtension:
    """An extension as it stands in the certificate, decoded or not."""

    oid: str
    critical: bool
    value: bytes  # the extnValue OCTET STRING's contents (the extension's own DER)


@dataclass(frozen=True)
class TbsFields:
    version: int  # 1, 2 or 3 (the stored value plus one)
    serial: bytes  # INTEGER contents, two's complement
    issuer: bytes  # full DER of the issuer Name
    subject: bytes  # full DER of the subject Name
    extensions: tuple[RawExtension, ...]
    # By-products of the same walk, for readers that would otherwise walk again (decode):
    spki: bytes = field(default=b"", compare=False, repr=False)  # full SubjectPublicKeyInfo
    extension_ders: tuple[bytes, ...] = field(default=(), compare=False, repr=False)


#: Extensions unique per certificate: not memoised (they would only churn a run's memo, whose
#: ``der.extension`` table keeps what CA-issued certificates repeat: EKU/KU/BC/AKI bytes).
_UNIQUE_EXTENSIONS = frozenset(
    e.oid for e in (EXT.SUBJECT_ALTERNATIVE_NAME, EXT.SUBJECT_KEY_IDENTIFIER, EXT.CT_SCT_LIST)
)


def _frozen(cls: type[_F], values: dict[str, object]) -> _F:
    """An instance of frozen dataclass ``cls`` from ``values`` (every field): what ``cls(**values)``
    makes, without ``__init__``'s one ``object.__setattr__`` per field (the hot path's cost)."""
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


_VERSIONS: dict[bytes, int] = {  # the [0] version elements met in practice (constant)
    bytes([0xA0, 3, INTEGER, 1, v]): v + 1 for v in range(3)
}


def tbs_fields(tbs: bytes, *, memo: Memo | None = None) -> TbsFields:
    """Walk a TBSCertificate: version, serial, names and the raw extensions (duplicates kept).

    ``memo`` (a run's) keeps the extensions CA-issued certificates repeat, decoded once.
    """
    tag, start, end = read_tlv(tbs)
    if tag != SEQUENCE:
        raise DerError("TBSCertificate is not a SEQUENCE")
    items = _spans(tbs, start, end)
    version = 1
    idx = 0
    if items and items[0][0] == 0xA0:
        inner = tbs[items[0][1] : items[0][3]]
        known = _VERSIONS.get(inner)
        if known is None:
            _t, s, e = read_tlv(inner)
            known = parse_int(unwrap(inner[s:e], INTEGER)) + 1
        version = known
        idx = 1
    if len(items) < idx + 6:
        raise DerError("TBSCertificate has too few fields")
    serial_tag, _o, serial_start, serial_end = items[idx]
    if serial_tag != INTEGER:  # unwrap()'s check (the span already fills the element)
        raise DerError(f"expected tag 0x{INTEGER:02x}, found 0x{serial_tag:02x}")
    _t, issuer_start, _s, issuer_end = items[idx + 2]
    _t, subject_start, _s, subject_end = items[idx + 4]
    _t, spki_start, _s, spki_end = items[idx + 5]
    extensions: list[RawExtension] = []
    ders: list[bytes] = []
    seen: dict = memo.table("der.extension") if memo is not None else {}
    for t, _o, vs, ve in items[idx + 6 :]:
        if t != 0xA3:
            continue
        ext_seq = unwrap(tbs[vs:ve], SEQUENCE)
        # every TLV first, then each extension: the errors come in the order they always did
        for etag, eo, es, ee in _spans(ext_seq, 0, len(ext_seq)):
            ext_der = ext_seq[eo:ee]
            raw = seen.get(ext_der)
            if raw is None:
                if etag != SEQUENCE:
                    raise DerError("an Extension is not a SEQUENCE")
                raw = _raw_extension(ext_seq[es:ee], memo)
                if memo is not None and raw.oid not in _UNIQUE_EXTENSIONS:
                    memo.room(seen)
                    seen[ext_der] = raw
            extensions.append(raw)
            ders.append(ext_der)
    return _frozen(
        TbsFields,
        {
            "version": version,
            "serial": tbs[serial_start:serial_end],
            "issuer": tbs[issuer_start:issuer_end],
            "subject": tbs[subject_start:subject_end],
            "extensions": tuple(extensions),
            "spki": tbs[spki_start:spki_end],
            "extension_ders": tuple(ders),
        },
    )


def _raw_extension(ext: bytes, memo: Memo | None = None) -> RawExtension:
    n = len(ext)
    if n > 4 and ext[0] == OID and ext[1] < 0x80:
        # The usual shape, read inline: OID, optional BOOLEAN, OCTET STRING filling the rest
        # (exactly what the general reading below accepts, with the same result).
        p = 2 + ext[1]
        critical = False
        if p + 3 <= n and ext[p] == BOOLEAN and ext[p + 1] == 1:
            critical = ext[p + 2] != 0
            p += 3
        if p + 2 <= n and ext[p] == OCTET_STRING:
            first = ext[p + 1]
            vs = ve = -1
            if first < 0x80:
                vs, ve = p + 2, p + 2 + first
            elif first == 0x81 and p + 3 <= n:
                vs, ve = p + 3, p + 3 + ext[p + 2]
            elif first == 0x82 and p + 4 <= n:
                vs, ve = p + 4, p + 4 + (ext[p + 2] << 8 | ext[p + 3])
            if ve == n:
                oid = oid_text(ext[2 : 2 + ext[1]], memo=memo)
                return _frozen(RawExtension, {"oid": oid, "critical": critical, "value": ext[vs:]})
    parts = _spans(ext, 0, n)
    if len(parts) not in (2, 3) or parts[0][0] != OID or parts[-1][0] != OCTET_STRING:
        raise DerError("malformed Extension")
    critical = parse_bool(ext[parts[1][2] : parts[1][3]]) if len(parts) == 3 else False
    oid = oid_text(ext[parts[0][2] : parts[0][3]], memo=memo)
    return _frozen(
        RawExtension,
        {"oid": oid, "critical": critical, "value": ext[parts[-1][2] : parts[-1][3]]},
    )


# --------------------------------------------------------------------------------------------
# Strict DER reading as cryptography does it (fast paths must refuse what it refuses)
# --------------------------------------------------------------------------------------------


def strict_unwrap(data: bytes, expected_tag: int) -> bytes:
    """The value of the one element filling ``data``; :class:`NotStrictDer` otherwise."""
    kids = strict_spans(data, 0, len(data))
    if len(kids) != 1 or kids[0][0] != expected_tag:
        raise NotStrictDer("not exactly one element of the expected tag")
    return data[kids[0][2] : kids[0][3]]


def strict_children(data: bytes) -> list[tuple[int, bytes]]:
    """:func:`children`, as strictly as cryptography reads them."""
    return [(tag, data[s:e]) for tag, _o, s, e in strict_spans(data, 0, len(data))]


def strict_spans(data: bytes, offset: int, end: int) -> list[tuple[int, int, int, int]]:
    """``(tag, offset, value_start, value_end)`` of the elements from ``offset`` to ``end``, as
    cryptography's strict DER reader would accept them: a non-minimal length, a multi-byte tag
    or an element running past ``end`` raises :class:`NotStrictDer` (:func:`read_tlv` would
    take them)."""
    out: list[tuple[int, int, int, int]] = []
    while offset < end:
        if offset + 2 > end:
            raise NotStrictDer("truncated element")
        tag = data[offset]
        length = data[offset + 1]
        start = offset + 2
        if tag & 0x1F == 0x1F:
            raise NotStrictDer("multi-byte tag")
        if length >= 0x80:
            if length == 0x81 and start < end and data[start] >= 0x80:
                length = data[start]
                start += 1
            elif length == 0x82 and start + 1 < end and data[start]:
                length = data[start] << 8 | data[start + 1]
                start += 2
            else:
                raise NotStrictDer("length not in minimal form (or too long)")
        stop = start + length
        if stop > end:
            raise NotStrictDer("element runs past its parent")
        out.append((tag, offset, start, stop))
        offset = stop
    return out


# --------------------------------------------------------------------------------------------
# Lenient BER reading (input readers: sniffing and slicing with offsets)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tlv:
    """One element: ``data[start:end]`` is the whole encoding, ``data[value_start:value_end]``
    the contents (for indefinite lengths the end-of-contents octets are outside the value)."""

    tag: int  # first identifier octet (class, constructed bit and low tag number)
    start: int
    value_start: int
    value_end: int
    end: int

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)


def _read_ber_length(data: bytes, pos: int) -> tuple[int | None, int]:
    """Return (length or None for indefinite, position after the length octets)."""
    if pos >= len(data):
        raise DerTruncated("missing length octet")
    first = data[pos]
    pos += 1
    if first < 0x80:
        return first, pos
    if first == 0x80:
        return None, pos
    count = first & 0x7F
    if count > 8:
        raise DerError(f"length of {count} octets is not plausible")
    if pos + count > len(data):
        raise DerTruncated("length octets run past the end")
    return int.from_bytes(data[pos : pos + count], "big"), pos + count


def content_start(data: bytes, pos: int = 0) -> int:
    """Offset of the contents of the element at ``pos``: only its header is checked, so this
    works on a prefix of the data (sniffing)."""
    if pos >= len(data):
        raise DerTruncated("no element at end of data")
    _, start = _read_ber_length(data, pos + 1)
    return start


def read_ber_tlv(data: bytes, pos: int = 0, _depth: int = 0) -> Tlv:
    """Parse the element starting at ``pos``; BER indefinite, non-minimal and high-tag-number
    forms are accepted because real inputs carry them."""
    if _depth > MAX_DEPTH:
        raise DerError("nesting too deep")
    if pos >= len(data):
        raise DerTruncated("no element at end of data")
    start = pos
    tag = data[pos]
    pos += 1
    if tag & 0x1F == 0x1F:  # high tag number: base-128 continuation octets
        while True:
            if pos >= len(data):
                raise DerTruncated("tag runs past the end")
            pos += 1
            if not data[pos - 1] & 0x80:
                break
            if pos - start > 6:
                raise DerError("tag number too long")
    length, pos = _read_ber_length(data, pos)
    if length is not None:
        if pos + length > len(data):
            raise DerTruncated(f"element declares {length} bytes but only {len(data) - pos} remain")
        return Tlv(tag, start, pos, pos + length, pos + length)
    if not tag & 0x20:
        raise DerError("indefinite length on a primitive element")
    value_start = pos
    while True:
        if pos + 2 > len(data):
            raise DerTruncated("indefinite-length element has no end-of-contents")
        if data[pos] == 0 and data[pos + 1] == 0:
            return Tlv(tag, start, value_start, pos, pos + 2)
        pos = read_ber_tlv(data, pos, _depth + 1).end


def ber_children(data: bytes, tlv: Tlv, limit: int = 64) -> list[Tlv]:
    """The elements inside a constructed element (at most ``limit``, to bound the work)."""
    out: list[Tlv] = []
    pos = tlv.value_start
    while pos < tlv.value_end and len(out) < limit:
        child = read_ber_tlv(data, pos)
        if child.end > tlv.value_end:
            raise DerError("child element overruns its parent")
        out.append(child)
        pos = child.end
    return out


# --------------------------------------------------------------------------------------------
# DER writing (what cryptography's builder refuses)
# --------------------------------------------------------------------------------------------


def encode_length(n: int) -> bytes:
    """Definite length octets: short form below 128, else minimal long form."""
    if n < 0:
        raise ValueError(f"negative length {n}")
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def encode_tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + encode_length(len(content)) + content


def encode_sequence(*items: bytes) -> bytes:
    """SEQUENCE of already-encoded elements."""
    return encode_tlv(SEQUENCE, b"".join(items))


def encode_integer(n: int) -> bytes:
    """INTEGER, minimal two's complement (negative and zero serials need this)."""
    length = (n if n >= 0 else -n - 1).bit_length() // 8 + 1
    return encode_tlv(INTEGER, n.to_bytes(length, "big", signed=True))


def encode_oid(dotted: str) -> bytes:
    """The complete encoding (tag, length, contents) of a dotted OID; ValueError if not one."""
    try:
        arcs = [int(a) for a in dotted.split(".")]
    except ValueError:
        arcs = []
    if len(arcs) < 2 or arcs[0] > 2 or (arcs[0] < 2 and arcs[1] >= 40) or min(arcs) < 0:
        raise ValueError(f"not a dotted OID: {dotted!r}")
    body = bytearray()
    for arc in [40 * arcs[0] + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return encode_tlv(OID, bytes(body))


def encode_bit_string(positions: Iterable[int]) -> bytes:
    """Named-bit BIT STRING (KU, nsCertType): trailing zero bits trimmed, as DER requires."""
    pos = set(positions)
    if not pos:
        return b"\x03\x01\x00"
    if min(pos) < 0:
        raise ValueError("bit positions must be >= 0")
    value = bytearray(max(pos) // 8 + 1)
    for p in pos:
        value[p // 8] |= 0x80 >> (p % 8)
    unused = 7 - max(pos) % 8
    return encode_tlv(BIT_STRING, bytes([unused]) + bytes(value))
