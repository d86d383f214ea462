"""A deliberately tiny DER reader: just enough to see extensions cryptography refuses to decode.

cryptography parses extensions lazily and strictly: an EKU that is an empty SEQUENCE, a KU with no
bits, or a Netscape cert type raise or are opaque. Purpose rules (OpenSSL's above all) still need
their contents, so we walk the TBSCertificate ourselves. Only definite-length DER is accepted;
anything else raises :class:`DerError`, which callers turn into a named decode error.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DerError",
    "RawExtension",
    "bit_string",
    "children",
    "oid_text",
    "parse_bool",
    "parse_int",
    "read_tlv",
    "tbs_fields",
]

SEQUENCE = 0x30
BOOLEAN = 0x01
INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
OID = 0x06


class DerError(ValueError):
    """The bytes are not the DER we expected."""


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
    out: list[tuple[int, bytes]] = []
    offset = 0
    while offset < len(data):
        tag, start, end = read_tlv(data, offset)
        out.append((tag, data[start:end]))
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


def oid_text(value: bytes) -> str:
    """Dotted text of an OBJECT IDENTIFIER's contents."""
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


def tbs_fields(tbs: bytes) -> TbsFields:
    """Walk a TBSCertificate: version, serial, names and the raw extensions (duplicates kept)."""
    tag, start, end = read_tlv(tbs)
    if tag != SEQUENCE:
        raise DerError("TBSCertificate is not a SEQUENCE")
    offset = start
    items: list[tuple[int, int, int]] = []
    while offset < end:
        t, s, e = read_tlv(tbs, offset)
        items.append((t, offset, e))
        offset = e
    version = 1
    idx = 0
    if items and items[0][0] == 0xA0:
        inner = tbs[items[0][1] : items[0][2]]
        _t, s, e = read_tlv(inner)
        version = parse_int(unwrap(inner[s:e], INTEGER)) + 1
        idx = 1
    if len(items) < idx + 6:
        raise DerError("TBSCertificate has too few fields")

    def whole(i: int) -> bytes:
        return tbs[items[i][1] : items[i][2]]

    serial = unwrap(whole(idx), INTEGER)
    issuer = whole(idx + 2)
    subject = whole(idx + 4)
    extensions: list[RawExtension] = []
    for t, s, _e in items[idx + 6 :]:
        if t != 0xA3:
            continue
        _t3, vs, ve = read_tlv(tbs, s)
        ext_seq = unwrap(tbs[vs:ve], SEQUENCE)
        for etag, ext in children(ext_seq):
            if etag != SEQUENCE:
                raise DerError("an Extension is not a SEQUENCE")
            parts = children(ext)
            if len(parts) not in (2, 3) or parts[0][0] != OID or parts[-1][0] != OCTET_STRING:
                raise DerError("malformed Extension")
            critical = parse_bool(parts[1][1]) if len(parts) == 3 else False
            extensions.append(RawExtension(oid_text(parts[0][1]), critical, parts[-1][1]))
    return TbsFields(version, serial, issuer, subject, tuple(extensions))
