"""A Name as RFC 4514 text, the way ``openssl -nameopt RFC2253`` prints it, and its first CN.

Two writers that must agree: :func:`name_text` / :func:`common_name` through cryptography's
``Name`` (the reference: they name what goes wrong), and :func:`name_fields` straight from the
Name's DER for the common case (single-valued RDNs of UTF8String, PrintableString or ASCII
IA5String), which raises :class:`Unhandled` for anything else so the caller can fall back.
tests/cert/test_decode_rows.py holds the two to each other.
"""

from __future__ import annotations

import re

from cryptography import x509
from cryptography.x509.oid import NameOID

from certlib.cert import der
from certlib.core.memo import Memo
from certlib.core.oids import NAME_ATTRIBUTE_RFC4514_NAMES, NAME_ATTRIBUTE_SHORT_NAMES

__all__ = [
    "ATTRIBUTE_TEXT",
    "LENGTH_LIMITS",
    "Unhandled",
    "common_name",
    "name_fields",
    "name_fields_from_der",
    "name_text",
    "rdn_fields",
]


class Unhandled(ValueError):
    """A Name the DER writer does not handle (cryptography's reading decides)."""


#: ``Name.rfc4514_string`` overrides, so names read like ``openssl -nameopt RFC2253``.
_ATTRIBUTE_NAMES = {x509.ObjectIdentifier(k): v for k, v in NAME_ATTRIBUTE_SHORT_NAMES.items()}


def name_text(name: x509.Name) -> str:
    """RFC 4514 text, with OpenSSL's short names for attributes RFC 4514 leaves unnamed."""
    return name.rfc4514_string(_ATTRIBUTE_NAMES)


def common_name(name: x509.Name) -> str | None:
    """The first commonName in DER order (as OpenSSL's ``X509_NAME_get_text_by_NID``)."""
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not values:
        return None
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


#: Attribute type OID -> the name cryptography's ``rfc4514_string`` prints with our overrides.
ATTRIBUTE_TEXT: dict[str, str] = {**NAME_ATTRIBUTE_RFC4514_NAMES, **NAME_ATTRIBUTE_SHORT_NAMES}
_OID_BY_TEXT = {text: oid for oid, text in ATTRIBUTE_TEXT.items()}
#: cryptography warns (and we then want the guarded path) when these UTF-8 lengths are off.
LENGTH_LIMITS: dict[str, tuple[int, int]] = {
    _OID_BY_TEXT["C"]: (2, 2),
    _OID_BY_TEXT["jurisdictionC"]: (2, 2),
    _OID_BY_TEXT["CN"]: (1, 64),
}
_PRINTABLE = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?"
)
_CN = _OID_BY_TEXT["CN"]


def name_fields(
    name_der: bytes, *, memo: Memo | None = None, repeats: bool = True
) -> tuple[str, str | None]:
    """``(name_text(name), common_name(name))`` straight from a Name's DER, without building
    cryptography's Name; :class:`Unhandled` for a Name this writer does not handle.

    With a run's ``memo`` the answer is kept per Name DER when the Name ``repeats`` (a pile of
    certificates has few issuers; a subject is unique, so only its RDNs are kept: they differ
    mostly in their CN, while their C, O, OU, L and ST repeat).
    """
    if memo is None or not repeats:
        return name_fields_from_der(name_der, memo=memo)
    return memo.get("rfc4514.name", name_der, lambda: name_fields_from_der(name_der, memo=memo))


def name_fields_from_der(name_der: bytes, *, memo: Memo | None = None) -> tuple[str, str | None]:
    """The common Name only: single-valued RDNs of UTF8String, PrintableString or ASCII
    IA5String values under an attribute type with a short name; else :class:`Unhandled`
    (or :class:`certlib.cert.der.NotStrictDer`)."""
    outer = der.strict_spans(name_der, 0, len(name_der))
    if len(outer) != 1 or outer[0][0] != der.SEQUENCE:
        raise Unhandled
    parts: list[str] = []
    cn: str | None = None
    rdns: dict = memo.table("rfc4514.rdn") if memo is not None else {}
    for rdn_tag, rdn_start, _vs, rdn_end in der.strict_spans(name_der, outer[0][2], outer[0][3]):
        if rdn_tag != der.SET:
            raise Unhandled
        rdn = name_der[rdn_start:rdn_end]
        hit = rdns.get(rdn)
        if hit is None:
            hit = rdn_fields(rdn, memo=memo)
            if memo is not None and hit[1] is None:  # a CN mostly differs: not kept
                memo.room(rdns)
                rdns[rdn] = hit
        parts.append(hit[0])
        if cn is None:
            cn = hit[1]
    return ",".join(reversed(parts)), cn


def rdn_fields(rdn: bytes, *, memo: Memo | None = None) -> tuple[str, str | None]:
    """One single-valued RDN (its whole SET) -> (``attr=escaped value``, the value if a CN)."""
    n = len(rdn)
    oid_len = rdn[5] if n > 7 else 0
    if (  # SET { SEQUENCE { OID, value } }, every length in short form: no walk needed
        8 <= n < 0x82
        and rdn[0] == der.SET
        and rdn[1] == n - 2
        and rdn[2] == der.SEQUENCE
        and rdn[3] == n - 4
        and rdn[4] == der.OID
        and 8 + oid_len <= n
        and rdn[7 + oid_len] == n - 8 - oid_len
    ):
        oid_der = rdn[6 : 6 + oid_len]
        value_tag = rdn[6 + oid_len]
        raw = rdn[8 + oid_len :]
    else:
        (_set, _o, set_start, set_end), *_more = der.strict_spans(rdn, 0, n)
        atvs = der.strict_spans(rdn, set_start, set_end)
        if len(atvs) != 1 or atvs[0][0] != der.SEQUENCE:
            raise Unhandled  # multi-valued (or empty) RDN
        kids = der.strict_spans(rdn, atvs[0][2], atvs[0][3])
        if len(kids) != 2 or kids[0][0] != der.OID:
            raise Unhandled
        oid_der = rdn[kids[0][2] : kids[0][3]]
        value_tag = kids[1][0]
        raw = rdn[kids[1][2] : kids[1][3]]
    oid = der.oid_text(oid_der, memo=memo)
    attr = ATTRIBUTE_TEXT.get(oid)
    if attr is None:
        raise Unhandled
    if value_tag == 0x0C:  # UTF8String
        value = raw.decode("utf-8")
    elif _ascii_string(value_tag, raw):
        value = raw.decode("ascii")
    else:
        raise Unhandled
    limits = LENGTH_LIMITS.get(oid)
    if limits is not None and not limits[0] <= len(raw) <= limits[1]:
        raise Unhandled  # cryptography warns about the length
    return f"{attr}={_escape(value)}", value if oid == _CN else None


def _ascii_string(tag: int, raw: bytes) -> bool:
    """A PrintableString in its character set, or an IA5String of ASCII (which cryptography
    reads as UTF-8: the same text)."""
    return (tag == 0x13 and _PRINTABLE.issuperset(raw)) or (tag == 0x16 and raw.isascii())


_NEEDS_ESCAPE = re.compile(r'[\\"+,;<>\x00]|\A[# ]|[ ]\Z')


def _escape(value: str) -> str:
    """cryptography's RFC 4514 value escaping (``x509.name._escape_dn_value``), verbatim."""
    if not value:
        return ""
    if _NEEDS_ESCAPE.search(value) is None:
        return value  # nothing below would change it
    value = value.replace("\\", "\\\\")
    value = value.replace('"', '\\"')
    value = value.replace("+", "\\+")
    value = value.replace(",", "\\,")
    value = value.replace(";", "\\;")
    value = value.replace("<", "\\<")
    value = value.replace(">", "\\>")
    value = value.replace("\0", "\\00")
    if value[0] == "#" or (value[0] == " " and len(value) > 1):
        value = "\\" + value
    if value[-1] == " ":
        value = value[:-1] + "\\ "
    return value
