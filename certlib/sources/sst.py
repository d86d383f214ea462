"""Reader for Windows serialized certificate stores (``.sst``, ``CertSaveStore`` "as store").

No maintained Python parser exists and the layout is small (from Wine's
``crypt32/serialize.c`` and [MS-OSHARED] §2.3.2.5):

* header: ``00 00 00 00 'C' 'E' 'R' 'T'`` (version 0, then the magic ``0x54524543``);
* elements: ``{u32 prop_id, u32 encoding (1), u32 length}`` little-endian, then ``length`` bytes;
* property elements come *before* the context element they describe (32 certificate, 33 CRL,
  34 CTL), as Wine's writer and the spec's ``CertStoreCertificateGroup`` order them;
* end marker: 12 zero bytes.

Store properties (friendly name, private-key link, the "enable only these purposes" EKU
restriction, archived) are exactly what DER/PEM/P7B exports lose, so they are kept here.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

from certlib.cert import der as asn1

__all__ = [
    "CONTEXT_NAMES",
    "MAGIC",
    "SstCert",
    "SstOther",
    "SstStore",
    "parse_sst",
]

MAGIC = b"\x00\x00\x00\x00CERT"
_ELEMENT = struct.Struct("<III")

# wincrypt.h property ids
KEY_PROV_INFO = 2
SHA1_HASH = 3
MD5_HASH = 4
ENHKEY_USAGE = 9
FRIENDLY_NAME = 11
DESCRIPTION = 13
ARCHIVED = 19
CERT_CONTEXT = 32
CRL_CONTEXT = 33
CTL_CONTEXT = 34

CONTEXT_NAMES = {CERT_CONTEXT: "certificate", CRL_CONTEXT: "CRL", CTL_CONTEXT: "CTL"}


@dataclass(frozen=True)
class SstCert:
    """One certificate context element with the properties that preceded it."""

    der: bytes
    element_index: int  # position among context elements (0-based)
    friendly_name: str | None
    has_private_key: bool
    sha1_property: bytes | None
    archived: bool
    eku_restriction: tuple[str, ...] | None  # None: no restriction property; () = no purpose
    properties: dict[int, bytes] = field(default_factory=dict)

    @property
    def sha1_mismatch(self) -> bool:
        """The stored SHA-1 property disagrees with the certificate bytes."""
        return self.sha1_property is not None and (
            self.sha1_property != hashlib.sha1(self.der).digest()
        )


@dataclass(frozen=True)
class SstOther:
    """A CRL, CTL or unknown context element: present, but not a certificate."""

    prop_id: int
    element_index: int
    length: int


@dataclass
class SstStore:
    certs: list[SstCert] = field(default_factory=list)
    others: list[SstOther] = field(default_factory=list)
    error: str | None = None  # why parsing stopped early (truncation), else None
    truncated: bool = False


def _friendly_name(value: bytes) -> str | None:
    text = value.decode("utf-16-le", errors="replace").split("\x00", 1)[0].strip()
    return text or None


def _eku_oids(value: bytes) -> tuple[str, ...]:
    """The OIDs of the DER ``SEQUENCE OF OBJECT IDENTIFIER`` in property 9."""
    seq = asn1.read_ber_tlv(value)
    return tuple(
        asn1.oid_text(value[c.value_start : c.value_end])
        for c in asn1.ber_children(value, seq, limit=256)
        if c.tag == asn1.OID
    )


def _make_cert(der: bytes, index: int, props: dict[int, bytes]) -> SstCert:
    eku: tuple[str, ...] | None = None
    if ENHKEY_USAGE in props:
        try:
            eku = _eku_oids(props[ENHKEY_USAGE])
        except ValueError:
            eku = None
    return SstCert(
        der=der,
        element_index=index,
        friendly_name=_friendly_name(props[FRIENDLY_NAME]) if FRIENDLY_NAME in props else None,
        has_private_key=KEY_PROV_INFO in props,
        sha1_property=props.get(SHA1_HASH),
        archived=ARCHIVED in props,
        eku_restriction=eku,
        properties=dict(props),
    )


def parse_sst(data: bytes) -> SstStore:
    """Parse a serialized store; never raises for bad input, reports it in ``error``."""
    store = SstStore()
    if not data.startswith(MAGIC):
        store.error = "missing the serialized-store header 00 00 00 00 'CERT'"
        return store
    pos, props, contexts = len(MAGIC), {}, 0
    while True:
        if pos + _ELEMENT.size > len(data):
            store.truncated = True
            store.error = (
                f"store ends at byte {len(data)} inside an element header, "
                "before the 12-byte end marker"
            )
            return store
        prop_id, _enc, length = _ELEMENT.unpack_from(data, pos)
        pos += _ELEMENT.size
        if prop_id == 0 and length == 0:
            return store  # end marker
        if pos + length > len(data):
            store.truncated = True
            store.error = (
                f"element {prop_id} at byte {pos - _ELEMENT.size} declares {length} bytes "
                f"but only {len(data) - pos} remain"
            )
            return store
        value = data[pos : pos + length]
        pos += length
        if prop_id == CERT_CONTEXT:
            store.certs.append(_make_cert(value, contexts, props))
        elif prop_id in (CRL_CONTEXT, CTL_CONTEXT):
            store.others.append(SstOther(prop_id, contexts, length))
        else:
            props[prop_id] = value
            continue
        contexts += 1
        props = {}
