"""certlib.cert.der, the one hand-rolled ASN.1 module: round trips, strict vs lenient reading, and
encodings checked byte for byte against ``openssl asn1parse`` (an independent encoder/parser)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from certlib.cert import der

OIDS = (
    "0.0",
    "1.39",
    "2.5",
    "2.5.29.37",
    "1.2.840.113549.1.1.11",
    "1.3.6.1.4.1.311.21.8.16777216.1",  # arc needing four base-128 octets
    "2.999",  # first two arcs combine to 1079: more than one octet
    "2.999.1",
    "2.25.329800735698586629295641978511506172918",  # UUID arc (128 bits)
)


def _genstr(openssl_bin: str, spec: str, tmp_path: Path) -> bytes:
    """DER that OpenSSL's own ASN1_generate_nconf writes for ``spec``."""
    out = tmp_path / "gen.der"
    subprocess.run(
        [openssl_bin, "asn1parse", "-genstr", spec, "-noout", "-out", str(out)],
        check=True,
        capture_output=True,
    )
    return out.read_bytes()


def _asn1parse(openssl_bin: str, data: bytes, tmp_path: Path) -> list[tuple[int, int, int, str]]:
    """(depth, header length, length, type) per line of ``openssl asn1parse -inform DER``."""
    src = tmp_path / "in.der"
    src.write_bytes(data)
    text = subprocess.run(
        [openssl_bin, "asn1parse", "-inform", "DER", "-in", str(src)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = []
    for line in text.splitlines():
        m = re.search(r"d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+|inf)\s+\w+:\s*(.+?)\s*(?::|$)", line)
        assert m, line
        length = -1 if m[3] == "inf" else int(m[3])
        rows.append((int(m[1]), int(m[2]), length, m[4].strip()))
    return rows


# --------------------------------------------------------------------------------------------
# OIDs
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dotted", OIDS)
def test_oid_round_trip(dotted: str) -> None:
    encoded = der.encode_oid(dotted)
    assert der.oid_text(der.unwrap(encoded, der.OID)) == dotted
    tlv = der.read_ber_tlv(encoded)
    assert der.oid_text(encoded[tlv.value_start : tlv.value_end]) == dotted


@pytest.mark.parametrize("dotted", OIDS)
def test_oid_encoding_matches_openssl(openssl_bin: str, tmp_path: Path, dotted: str) -> None:
    assert der.encode_oid(dotted) == _genstr(openssl_bin, f"OID:{dotted}", tmp_path)


def test_unknown_oid_text_matches_openssl(openssl_bin: str, tmp_path: Path) -> None:
    dotted = "1.3.6.1.4.1.55555.9.9"  # no name in OpenSSL's table, so it prints the dots
    lines = subprocess.run(
        [openssl_bin, "asn1parse", "-inform", "DER"],
        input=der.encode_oid(dotted),
        check=True,
        capture_output=True,
    ).stdout.decode()
    assert lines.rstrip().endswith(f":{dotted}")


@pytest.mark.parametrize("bad", ["", "1", "3.1", "1.40", "0.40.1", "1.-2", "a.b", "1..2"])
def test_encode_oid_rejects_non_oids(bad: str) -> None:
    with pytest.raises(ValueError, match="not a dotted OID"):
        der.encode_oid(bad)


@pytest.mark.parametrize("content", [b"", b"\x2a\x86", b"\x88"])
def test_oid_text_rejects_empty_and_truncated(content: bytes) -> None:
    with pytest.raises(der.DerError):
        der.oid_text(content)


# --------------------------------------------------------------------------------------------
# Lengths, INTEGERs, BIT STRINGs
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "octets"),
    [
        (0, "00"),
        (127, "7f"),
        (128, "8180"),
        (255, "81ff"),
        (256, "820100"),
        (65535, "82ffff"),
        (65536, "83010000"),
    ],
)
def test_length_short_and_long_form(n: int, octets: str) -> None:
    assert der.encode_length(n) == bytes.fromhex(octets)
    encoded = der.encode_tlv(der.OCTET_STRING, b"\x5a" * n)
    head = 1 + len(octets) // 2
    assert der.read_tlv(encoded) == (der.OCTET_STRING, head, head + n)
    assert der.read_ber_tlv(encoded) == der.Tlv(der.OCTET_STRING, 0, head, head + n, head + n)


@pytest.mark.parametrize("n", [0, 127, 128, 300])
def test_length_matches_openssl(openssl_bin: str, tmp_path: Path, n: int) -> None:
    value = bytes(range(256)) * 2
    spec = f"FORMAT:HEX,OCTETSTRING:{value[:n].hex()}" if n else "OCTETSTRING:"
    assert der.encode_tlv(der.OCTET_STRING, value[:n]) == _genstr(openssl_bin, spec, tmp_path)


def test_negative_length_is_refused() -> None:
    with pytest.raises(ValueError):
        der.encode_length(-1)


@pytest.mark.parametrize("n", [0, 1, 127, 128, 255, 256, -1, -128, -129, 2**64, -(2**64)])
def test_integer_round_trip_and_openssl(openssl_bin: str, tmp_path: Path, n: int) -> None:
    encoded = der.encode_integer(n)
    assert der.parse_int(der.unwrap(encoded, der.INTEGER)) == n
    assert encoded == _genstr(openssl_bin, f"INTEGER:{n}", tmp_path)


@pytest.mark.parametrize(
    "positions", [{0}, {7}, {8}, {0, 2, 8}, {1, 5}, {0, 1, 2, 3, 4, 5, 6, 7, 8}, {15}]
)
def test_bit_string_round_trip_and_openssl(
    openssl_bin: str, tmp_path: Path, positions: set[int]
) -> None:
    encoded = der.encode_bit_string(positions)
    value, unused = der.bit_string(der.unwrap(encoded, der.BIT_STRING))
    bits = {i for i in range(len(value) * 8) if value[i // 8] & (0x80 >> (i % 8))}
    assert bits == positions
    assert unused == 7 - max(positions) % 8  # trailing zero bits trimmed (DER named bits)
    spec = "FORMAT:BITLIST,BITSTRING:" + ",".join(map(str, sorted(positions)))
    assert encoded == _genstr(openssl_bin, spec, tmp_path)


def test_empty_bit_string() -> None:
    assert der.encode_bit_string(()) == b"\x03\x01\x00"
    assert der.bit_string(der.unwrap(b"\x03\x01\x00", der.BIT_STRING)) == (b"", 0)


# --------------------------------------------------------------------------------------------
# Nested structures: strict and lenient readers agree on DER
# --------------------------------------------------------------------------------------------


def _nested() -> tuple[bytes, list[bytes]]:
    items = [
        der.encode_sequence(der.encode_integer(1), der.encode_oid("2.999.1")),
        der.encode_tlv(0xA3, der.encode_sequence(der.encode_tlv(der.OCTET_STRING, b"x" * 200))),
        der.encode_bit_string({0, 9}),
    ]
    return der.encode_sequence(*items), items


def test_nested_sequence_round_trip() -> None:
    data, items = _nested()
    assert der.elements(der.unwrap(data, der.SEQUENCE)) == items
    assert [t for t, _ in der.children(der.unwrap(data, der.SEQUENCE))] == [0x30, 0xA3, 0x03]
    outer = der.read_ber_tlv(data)
    assert outer.end == len(data) and outer.constructed
    kids = der.ber_children(data, outer)
    assert [data[k.start : k.end] for k in kids] == items
    for k in kids:  # both readers see the same offsets on definite-length DER
        assert der.read_tlv(data, k.start) == (k.tag, k.value_start, k.value_end)


def test_nested_sequence_matches_openssl(openssl_bin: str, tmp_path: Path) -> None:
    data, _ = _nested()
    rows = _asn1parse(openssl_bin, data, tmp_path)
    assert [(d, hl, n) for d, hl, n, _ in rows] == [
        (0, 3, len(data) - 3),
        (1, 2, 8),
        (2, 2, 1),
        (2, 2, 3),
        (1, 3, 206),
        (2, 3, 203),
        (3, 3, 200),
        (1, 2, 3),
    ]
    assert [t for *_, t in rows] == [
        "SEQUENCE",
        "SEQUENCE",
        "INTEGER",
        "OBJECT",
        "cont [ 3 ]",
        "SEQUENCE",
        "OCTET STRING",
        "BIT STRING",
    ]


INDEFINITE = bytes.fromhex("30800201053080040000000000")


def test_strict_reader_rejects_indefinite_length() -> None:
    with pytest.raises(der.DerError, match="indefinite"):
        der.read_tlv(INDEFINITE)


def test_lenient_reader_accepts_indefinite_length(openssl_bin: str, tmp_path: Path) -> None:
    outer = der.read_ber_tlv(INDEFINITE)
    assert outer == der.Tlv(0x30, 0, 2, len(INDEFINITE) - 2, len(INDEFINITE))
    kids = der.ber_children(INDEFINITE, outer)
    assert [(k.tag, k.start, k.end) for k in kids] == [(0x02, 2, 5), (0x30, 5, 11)]
    assert der.ber_children(INDEFINITE, kids[1])[0].tag == der.OCTET_STRING
    # OpenSSL reads it the same way: two indefinite SEQUENCEs, each closed by an EOC
    rows = _asn1parse(openssl_bin, INDEFINITE, tmp_path)
    assert [(d, n, t) for d, _, n, t in rows if t != "EOC"] == [
        (0, -1, "SEQUENCE"),
        (1, 1, "INTEGER"),
        (1, -1, "SEQUENCE"),
        (2, 0, "OCTET STRING"),
    ]


def test_lenient_reader_errors() -> None:
    with pytest.raises(der.DerTruncated):
        der.read_ber_tlv(b"\x30\x05\x02\x01")
    with pytest.raises(der.DerTruncated):
        der.read_ber_tlv(b"\x30\x80\x02\x01\x05")  # no end-of-contents
    with pytest.raises(der.DerError, match="primitive"):
        der.read_ber_tlv(b"\x04\x80\x00\x00")
    with pytest.raises(der.DerError, match="too deep"):
        der.read_ber_tlv(b"\x30\x80" * (der.MAX_DEPTH + 2) + b"\x00\x00" * (der.MAX_DEPTH + 2))
    assert issubclass(der.DerTruncated, der.DerError)
    assert issubclass(der.DerError, ValueError)


def test_content_start_needs_only_the_header() -> None:
    data, _ = _nested()
    assert der.content_start(data[:5]) == 3  # long-form length 0x81 nn
    assert der.content_start(INDEFINITE[:2]) == 2
