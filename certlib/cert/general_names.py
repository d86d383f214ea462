"""GeneralNames (RFC 5280 §4.2.1.6), decoded in one place: a SAN's entries and their text.

A subjectAltName is read by the decoded row (``alternative_names``), the findings (does it name
a TLS host?), name constraints and every profile's host matching. They all start here:
:func:`entries` walks the GeneralNames SEQUENCE (lenient DER, :class:`certlib.cert.der.DerError`
when it is malformed), :func:`text` / :func:`object_text` give the ``TYPE:value`` text the rows
show, from DER or from cryptography's objects, and :func:`simple_texts` reads the common SAN as
strictly as cryptography would (None for anything else).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from cryptography import x509

from certlib.cert import der
from certlib.cert.facts import CertFacts
from certlib.cert.rfc4514 import name_text
from certlib.core.oids import EXT, other_name

__all__ = [
    "STRING_TAGS",
    "alternative_names",
    "dns_and_ips",
    "entries",
    "names_tls_host",
    "object_text",
    "other_value",
    "simple_texts",
    "text",
]

DNS, IP = 0x82, 0x87
_SAN = EXT.SUBJECT_ALTERNATIVE_NAME


def entries(value: bytes) -> list[tuple[int, bytes]]:
    """The ``(tag, contents)`` of each GeneralName in a GeneralNames SEQUENCE (a SAN's
    extnValue), in order; :class:`certlib.cert.der.DerError` when it does not walk."""
    return der.children(der.unwrap(value, der.SEQUENCE))


def dns_and_ips(value: bytes) -> tuple[list[str], list[bytes]]:
    """(dNSName entries, iPAddress octets) of a SAN's extnValue, in order (what host matching
    compares); DerError when the SAN does not walk."""
    dns: list[str] = []
    ips: list[bytes] = []
    for tag, data in entries(value):
        if tag == DNS:  # [2] IA5String dNSName
            dns.append(data.decode("ascii", "replace"))
        elif tag == IP:  # [7] OCTET STRING iPAddress
            ips.append(data)
    return dns, ips


def alternative_names(exts: x509.Extensions | None, f: CertFacts) -> list[str]:
    """``TYPE:value`` strings in certificate order: from cryptography's decoded extensions when
    it could decode them (``exts``), else from the raw SAN in ``f``; [] without a SAN."""
    raw = f.extension(_SAN.oid)
    if raw is None:
        return []
    if exts is not None:
        san = exts.get_extension_for_oid(_SAN.object_identifier).value
        return [object_text(n) for n in san]  # type: ignore[attr-defined]
    return [text(tag, value) for tag, value in entries(raw.value)]


def names_tls_host(texts: Iterable[str]) -> bool:
    """Whether any of these ``TYPE:value`` names is a dNSName or iPAddress (what TLS clients
    match)."""
    return any(n.startswith(("DNS:", "IP:")) for n in texts)


def object_text(n: x509.GeneralName) -> str:
    """A GeneralName as cryptography decoded it, as ``TYPE:value`` text."""
    if isinstance(n, x509.DNSName):
        return f"DNS:{n.value}"
    if isinstance(n, x509.IPAddress):
        return f"IP:{n.value}"
    if isinstance(n, x509.RFC822Name):
        return f"email:{n.value}"
    if isinstance(n, x509.UniformResourceIdentifier):
        return f"URI:{n.value}"
    if isinstance(n, x509.DirectoryName):
        return f"DirName:{name_text(n.value)}"
    if isinstance(n, x509.RegisteredID):
        return f"RID:{n.value.dotted_string}"
    if isinstance(n, x509.OtherName):
        return f"othername:{other_name(n.type_id).label}:{other_value(n.value)}"
    return f"{type(n).__name__}:{n.value!r}"


#: DER string types an otherName value may hold, and how to read their bytes.
STRING_TAGS = {0x0C: "utf-8", 0x16: "ascii", 0x13: "ascii", 0x1E: "utf-16-be"}


def other_value(value: bytes) -> str:
    """An otherName value as text when it is a string type, else ``#`` + hex of its DER."""
    tag, start, end = der.read_tlv(value)
    if tag in STRING_TAGS and end == len(value):
        return value[start:end].decode(STRING_TAGS[tag], "replace")
    return "#" + value.hex()


def text(tag: int, value: bytes) -> str:
    """A GeneralName (RFC 5280 §4.2.1.6) from its DER tag and contents as ``TYPE:value`` text
    (what :func:`object_text` says of it), for SANs cryptography cannot decode."""
    if tag in (0x81, 0x82, 0x86):
        prefix = {0x81: "email", 0x82: "DNS", 0x86: "URI"}[tag]
        return f"{prefix}:{value.decode('ascii', 'replace')}"
    if tag == 0x87:
        return f"IP:{ipaddress.ip_address(value)}"
    if tag == 0x88:
        return f"RID:{der.oid_text(value)}"
    if tag == 0xA0:
        parts = der.children(value)
        type_id = der.oid_text(parts[0][1])
        inner = parts[1][1] if len(parts) > 1 and parts[1][0] == 0xA0 else b""
        return f"othername:{other_name(type_id).label}:{other_value(inner) if inner else ''}"
    if tag == 0xA4:
        return f"DirName:#{value.hex()}"
    return f"[{tag & 0x1F}]:#{value.hex()}"


_SIMPLE_PREFIX = {0x81: "email:", 0x82: "DNS:", 0x86: "URI:"}


def simple_texts(value: bytes) -> list[str] | None:
    """:func:`text` of every entry of a SAN holding only ASCII dNSName, rfc822Name and URI and
    IPv4/IPv6 iPAddress entries, read as strictly as cryptography reads it; None for anything
    else (an empty SAN included), which is then left to cryptography."""
    try:
        items = der.strict_children(der.strict_unwrap(value, der.SEQUENCE))
    except der.NotStrictDer:
        return None
    if not items:
        return None
    out: list[str] = []
    for tag, raw in items:
        prefix = _SIMPLE_PREFIX.get(tag)
        if prefix is not None and raw and raw.isascii():
            out.append(prefix + raw.decode("ascii"))
        elif tag == 0x87 and len(raw) in (4, 16):
            out.append(f"IP:{ipaddress.ip_address(raw)}")
        else:
            return None
    return out
