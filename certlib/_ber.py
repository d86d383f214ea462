"""A minimal, defensive BER/DER reader for the input readers: tell containers apart and slice.

cryptography parses whole objects or nothing; sniffing a container, cutting a certificate out of
an OpenSSL ``TRUSTED CERTIFICATE`` payload, walking concatenated DER or a BER ``.p7b`` needs the
raw tag-length-value structure *with offsets*. Unlike :mod:`certlib.der` (strict DER, for
decoding certificate fields) this one accepts BER indefinite and non-minimal lengths, because
real inputs carry them and must still be counted. Every function raises :class:`DerError` (a
``ValueError``) on bad input and never recurses deeper than :data:`MAX_DEPTH`, so hostile bytes
cannot blow the stack.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "MAX_DEPTH",
    "DerError",
    "Tlv",
    "children",
    "content_start",
    "decode_oid",
    "encode_oid",
    "read_tlv",
]

MAX_DEPTH = 32

SEQUENCE = 0x30
SET = 0x31
INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
OID = 0x06
UTF8_STRING = 0x0C
UTC_TIME = 0x17
GENERALIZED_TIME = 0x18


class DerError(ValueError):
    """The bytes are not a well-formed TLV where one was expected."""


class DerTruncated(DerError):
    """A length runs past the end of the data: the input was cut short."""


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


def _read_length(data: bytes, pos: int) -> tuple[int | None, int]:
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
    _, start = _read_length(data, pos + 1)
    return start


def read_tlv(data: bytes, pos: int = 0, _depth: int = 0) -> Tlv:
    """Parse the element starting at ``pos`` (BER indefinite lengths allowed)."""
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
    length, pos = _read_length(data, pos)
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
        pos = read_tlv(data, pos, _depth + 1).end


def children(data: bytes, tlv: Tlv, limit: int = 64) -> list[Tlv]:
    """The elements inside a constructed element (at most ``limit``, to bound the work)."""
    out: list[Tlv] = []
    pos = tlv.value_start
    while pos < tlv.value_end and len(out) < limit:
        child = read_tlv(data, pos)
        if child.end > tlv.value_end:
            raise DerError("child element overruns its parent")
        out.append(child)
        pos = child.end
    return out


def decode_oid(content: bytes) -> str:
    """Dotted string of an OBJECT IDENTIFIER's contents octets."""
    if not content or content[-1] & 0x80:
        raise DerError("bad OBJECT IDENTIFIER encoding")
    arcs: list[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = arcs[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(str(a) for a in head + arcs[1:])


def encode_oid(dotted: str) -> bytes:
    """The complete DER encoding (tag, length, contents) of a dotted OID; used for sniffing."""
    arcs = [int(a) for a in dotted.split(".")]
    body = bytearray()
    for arc in [40 * arcs[0] + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return bytes([OID, len(body)]) + bytes(body)
