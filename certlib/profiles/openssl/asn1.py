"""A model of OpenSSL's BER template decoder (``crypto/asn1/tasn_dec.c``, ``asn1_lib.c``), reduced
to the twelve extensions ``ossl_x509v3_cache_extensions`` decodes and to ``X509_NAME``.

Why a model and not :mod:`certlib.cert.der`: OpenSSL accepts what a strict DER reader refuses
(trailing bytes after the value, indefinite lengths, a constructed BIT STRING, a primitive-tagged
``SEQUENCE OF``) and masks unused BIT STRING bits, and which certificates it calls *invalid*
depends on exactly that. Names are canonicalised as ``x_name.c`` does, so ``X509_NAME_cmp``
(:func:`names_equal`) folds case, spaces and string types like OpenSSL.
"""

from __future__ import annotations

from dataclasses import dataclass

from certlib.cert import der
from certlib.core.memo import Memo
from certlib.core.oids import EXT

__all__ = [
    "EXTENSION_ITEMS",
    "LONG_MAX",
    "Absent",
    "CanonName",
    "D2IError",
    "Item",
    "canon_der",
    "d2i",
    "name_rdns",
    "names_equal",
    "to_utf8",
    "typed",
]


class D2IError(Exception):
    """``ASN1_item_d2i`` returned NULL."""


class Absent:
    """An OPTIONAL item that is not there (tasn_dec's return value -1)."""


_ABSENT = Absent()

_UNIV, _CTX = 0x00, 0x80
_V_BOOLEAN, _V_INTEGER, _V_BIT, _V_OCTET, _V_NULL, _V_OBJECT = 1, 2, 3, 4, 5, 6
_V_ENUM, _V_UTF8, _V_SEQ, _V_SET, _V_BMP, _V_UNIV = 10, 12, 16, 17, 30, 28
_V_ANY, _V_OTHER = -4, -3
_MAX_CONSTRUCTED_NEST = 30
_MAX_STRING_NEST = 5
LONG_MAX = 2**63 - 1
_INT_MAX = 2**31 - 1

# tasn_dec.c tag2bit[] and the B_ASN1_* masks of asn1.h
_B_NUMERIC, _B_PRINTABLE, _B_T61, _B_VIDEOTEX, _B_IA5 = 0x1, 0x2, 0x4, 0x8, 0x10
_B_GRAPHIC, _B_ISO64, _B_GENERAL, _B_UNIVERSAL, _B_OCTET = 0x20, 0x40, 0x80, 0x100, 0x200
_B_BIT, _B_BMP, _B_UNKNOWN, _B_UTF8 = 0x400, 0x800, 0x1000, 0x2000
_B_UTCTIME, _B_GENTIME, _B_SEQUENCE = 0x4000, 0x8000, 0x10000
# fmt: off
_TAG2BIT = (
    0, 0, 0, _B_BIT, _B_OCTET, 0, 0, _B_UNKNOWN, _B_UNKNOWN, _B_UNKNOWN, 0, _B_UNKNOWN,
    _B_UTF8, _B_UNKNOWN, _B_UNKNOWN, _B_UNKNOWN, _B_SEQUENCE, 0, _B_NUMERIC, _B_PRINTABLE,
    _B_T61, _B_VIDEOTEX, _B_IA5, _B_UTCTIME, _B_GENTIME, _B_GRAPHIC, _B_ISO64, _B_GENERAL,
    _B_UNIVERSAL, _B_UNKNOWN, _B_BMP, _B_UNKNOWN,
)
# fmt: on
#: ASN1_PRINTABLE: what a Name attribute value may be (note: no VisibleString).
_B_ASN1_PRINTABLE = (
    _B_NUMERIC
    | _B_PRINTABLE
    | _B_T61
    | _B_IA5
    | _B_BIT
    | _B_UNIVERSAL
    | _B_BMP
    | _B_UTF8
    | _B_SEQUENCE
    | _B_UNKNOWN
)
_B_DIRECTORYSTRING = _B_PRINTABLE | _B_T61 | _B_BMP | _B_UNIVERSAL | _B_UTF8
#: x_name.c ASN1_MASK_CANON: string types X509_NAME_cmp compares case- and space-insensitively.
_MASK_CANON = _B_UTF8 | _B_BMP | _B_UNIVERSAL | _B_PRINTABLE | _B_T61 | _B_IA5 | _B_ISO64


def _tag2bit(tag: int) -> int:
    return _TAG2BIT[tag] if 0 <= tag <= 30 else 0


@dataclass(frozen=True)
class _Hdr:
    tag: int
    cls: int
    cst: bool
    inf: bool
    start: int  # first content octet
    plen: int  # content length (for indefinite: everything left)


def _check_tlen(
    b: bytes, p: int, ln: int, exptag: int = -1, expclass: int = _UNIV, opt: bool = False
) -> _Hdr | Absent:
    """asn1_check_tlen + ASN1_get_object + asn1_get_length, quirks included."""
    if ln <= 0:
        raise D2IError("too small")
    q, mx = p, ln
    first = b[p]
    cst, cls, tag = bool(first & 0x20), first & 0xC0, first & 0x1F
    p += 1
    mx -= 1
    if mx == 0:
        raise D2IError("header too long")
    if tag == 0x1F:  # high tag number form
        acc = 0
        while b[p] & 0x80:
            acc = (acc << 7) | (b[p] & 0x7F)
            p += 1
            mx -= 1
            if mx == 0 or acc > (_INT_MAX >> 7):
                raise D2IError("header too long")
        acc = (acc << 7) | (b[p] & 0x7F)
        p += 1
        mx -= 1
        if mx == 0:
            raise D2IError("header too long")
        tag = acc
    # asn1_get_length(&p, &inf, &plen, max)
    mx -= 1
    lb = b[p]
    p += 1
    inf = lb == 0x80
    plen = 0
    if not inf:
        count = lb & 0x7F
        if lb & 0x80:
            if mx < count + 1:  # note: a long form needs one more octet after it
                raise D2IError("header too long")
            while count > 0 and b[p] == 0:
                p += 1
                count -= 1
            if count > 8:
                raise D2IError("header too long")
            for _ in range(count):
                plen = (plen << 8) | b[p]
                p += 1
            if plen > LONG_MAX:
                raise D2IError("header too long")
        else:
            plen = count
    if inf and not cst:
        raise D2IError("indefinite length on a primitive")
    if plen > ln - (p - q):
        raise D2IError("too long")
    if exptag >= 0 and (tag != exptag or cls != expclass):
        if opt:
            return _ABSENT
        raise D2IError(f"wrong tag (expected {expclass | exptag:#x})")
    if inf:
        plen = ln - (p - q)
    return _Hdr(tag, cls, cst, inf, p, plen)


def _hdr(
    b: bytes, p: int, ln: int, exptag: int = -1, expclass: int = _UNIV, opt: bool = False
) -> _Hdr:
    h = _check_tlen(b, p, ln, exptag, expclass, opt)
    assert isinstance(h, _Hdr)
    return h


def _eoc(b: bytes, p: int, ln: int) -> bool:
    return ln >= 2 and b[p] == 0 and b[p + 1] == 0


def _find_end(b: bytes, p: int, ln: int) -> int:
    """asn1_find_end for indefinite-length content starting at ``p``."""
    expected = 1
    while ln > 0:
        if _eoc(b, p, ln):
            p += 2
            expected -= 1
            if expected == 0:
                break
            ln -= 2
            continue
        q = p
        h = _hdr(b, p, ln)
        if h.inf:
            expected += 1
            p = h.start
        else:
            p = h.start + h.plen
        ln -= p - q
    if expected:
        raise D2IError("missing EOC")
    return p


def _collect(b: bytes, p: int, ln: int, inf: bool, depth: int) -> tuple[bytes, int]:
    """asn1_collect: the content octets of a constructed string (inner tags are not checked)."""
    out = bytearray()
    while ln > 0:
        q = p
        if _eoc(b, p, ln):
            p += 2
            if not inf:
                raise D2IError("unexpected EOC")
            inf = False
            break
        h = _hdr(b, p, ln)
        p = h.start
        if h.cst:
            if depth >= _MAX_STRING_NEST:
                raise D2IError("nested string too deep")
            data, p = _collect(b, p, h.plen, h.inf, depth + 1)
            out += data
        else:
            out += b[p : p + h.plen]
            p += h.plen
        ln -= p - q
    if inf:
        raise D2IError("missing EOC")
    return bytes(out), p


def _c2i(utype: int, cont: bytes) -> object:
    """asn1_ex_c2i: content octets -> value, with OpenSSL's validity checks."""
    if utype == _V_OBJECT:
        if not cont or cont[-1] & 0x80:
            raise D2IError("invalid object encoding")
        for i, byte in enumerate(cont):
            if byte == 0x80 and (i == 0 or not cont[i - 1] & 0x80):
                raise D2IError("invalid object encoding")
        return der.oid_text(cont)
    if utype == _V_NULL:
        if cont:
            raise D2IError("NULL is wrong length")
        return None
    if utype == _V_BOOLEAN:
        if len(cont) != 1:
            raise D2IError("BOOLEAN is wrong length")
        return cont[0]
    if utype == _V_BIT:  # c2i_ASN1_BIT_STRING: unused bits are masked off, not rejected
        if not cont:
            raise D2IError("BIT STRING too short")
        unused = cont[0]
        if unused > 7:
            raise D2IError("invalid BIT STRING bits left")
        data = bytearray(cont[1:])
        if data:
            data[-1] &= (0xFF << unused) & 0xFF
        return bytes(data)
    if utype in (_V_INTEGER, _V_ENUM):  # c2i_ibuf
        if not cont:
            raise D2IError("illegal zero content")
        if len(cont) > 1:
            neg = cont[0] & 0x80
            pad = cont[0] == 0 or (cont[0] == 0xFF and any(cont[1:]))
            if pad and neg == cont[1] & 0x80:
                raise D2IError("illegal padding")
        return int.from_bytes(cont, "big", signed=True)
    if utype == _V_BMP and len(cont) & 1:
        raise D2IError("BMPString is wrong length")
    if utype == _V_UNIV and len(cont) & 3:
        raise D2IError("UniversalString is wrong length")
    return (utype, cont)


def _primitive(
    b: bytes, p: int, ln: int, utype: int, tag: int, aclass: int, opt: bool
) -> tuple[object, int] | Absent:
    """asn1_d2i_ex_primitive."""
    if utype == _V_ANY:
        if tag >= 0:
            raise D2IError("illegal tagged ANY")
        if opt:
            raise D2IError("illegal optional ANY")
        peek = _hdr(b, p, ln)
        utype = peek.tag if peek.cls == _UNIV else _V_OTHER
    if tag == -1:
        tag, aclass = (utype if utype >= 0 else -1), _UNIV
    h = _check_tlen(b, p, ln, tag, aclass, opt)
    if isinstance(h, Absent):
        return h
    if utype in (_V_SEQ, _V_SET, _V_OTHER):
        if utype != _V_OTHER and not h.cst:
            raise D2IError("type not constructed")
        end = _find_end(b, h.start, h.plen) if h.inf else h.start + h.plen
        return (utype, b[p:end]), end
    if h.cst:
        if utype in (_V_NULL, _V_BOOLEAN, _V_OBJECT, _V_INTEGER, _V_ENUM):
            raise D2IError("type not primitive")
        cont, end = _collect(b, h.start, h.plen, h.inf, 0)
    else:
        cont, end = b[h.start : h.start + h.plen], h.start + h.plen
    return _c2i(utype, cont), end


class Item:
    """An ASN1_ITEM; ``d2i`` is asn1_item_embed_d2i for its itype."""

    def d2i(
        self,
        b: bytes,
        p: int,
        ln: int,
        tag: int = -1,
        aclass: int = 0,
        opt: bool = False,
        depth: int = 0,
    ) -> tuple[object, int] | Absent:
        if ln <= 0:
            raise D2IError("too small")
        if depth + 1 > _MAX_CONSTRUCTED_NEST:
            raise D2IError("nested too deep")
        return self._d2i(b, p, ln, tag, aclass, opt, depth + 1)

    def _d2i(
        self, b: bytes, p: int, ln: int, tag: int, aclass: int, opt: bool, depth: int
    ) -> tuple[object, int] | Absent:
        raise NotImplementedError


@dataclass(frozen=True)
class _T:
    """An ASN1_TEMPLATE: EXPLICIT/IMPLICIT context tag, SEQUENCE OF / SET OF, OPTIONAL."""

    item: Item
    name: str = ""
    optional: bool = False
    exp: int | None = None
    imp: int | None = None
    sk: str | None = None  # "seq" or "set"


def _template(
    t: _T, b: bytes, p: int, ln: int, opt: bool, depth: int
) -> tuple[object, int] | Absent:
    """asn1_template_ex_d2i."""
    if t.exp is None:
        return _template_noexp(t, b, p, ln, opt, depth)
    h = _check_tlen(b, p, ln, t.exp, _CTX, opt)
    if isinstance(h, Absent):
        return h
    if not h.cst:
        raise D2IError("explicit tag not constructed")
    r = _template_noexp(t, b, h.start, h.plen, False, depth)
    assert not isinstance(r, Absent)
    value, end = r
    rest = h.plen - (end - h.start)
    if h.inf:
        if not _eoc(b, end, rest):
            raise D2IError("missing EOC")
        end += 2
    elif rest:
        raise D2IError("explicit length mismatch")
    return value, end


def _template_noexp(
    t: _T, b: bytes, p: int, ln: int, opt: bool, depth: int
) -> tuple[object, int] | Absent:
    if t.sk is not None:
        if t.imp is not None:
            sktag, skclass = t.imp, _CTX
        else:
            sktag, skclass = (_V_SET if t.sk == "set" else _V_SEQ), _UNIV
        h = _check_tlen(b, p, ln, sktag, skclass, opt)  # constructed-ness is NOT checked
        if isinstance(h, Absent):
            return h
        p, rest, sk_eoc, items = h.start, h.plen, h.inf, []
        while rest > 0:
            q = p
            if _eoc(b, p, rest):
                p += 2
                if not sk_eoc:
                    raise D2IError("unexpected EOC")
                sk_eoc = False
                break
            r = t.item.d2i(b, p, rest, -1, 0, False, depth)
            assert not isinstance(r, Absent)
            value, p = r
            items.append(value)
            rest -= p - q
        if sk_eoc:
            raise D2IError("missing EOC")
        return items, p
    if t.imp is not None:
        return t.item.d2i(b, p, ln, t.imp, _CTX, opt, depth)
    return t.item.d2i(b, p, ln, -1, 0, opt, depth)


class _Prim(Item):
    def __init__(self, utype: int) -> None:
        self.utype = utype

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        return _primitive(b, p, ln, self.utype, tag, aclass, opt)


class _MString(Item):
    def __init__(self, mask: int) -> None:
        self.mask = mask

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        if tag != -1:
            raise D2IError("bad template")
        h = _hdr(b, p, ln)
        if h.cls != _UNIV or not _tag2bit(h.tag) & self.mask:
            if opt:
                return _ABSENT
            raise D2IError("mstring wrong tag")
        return _primitive(b, p, ln, h.tag, -1, _UNIV, False)


class _Seq(Item):
    def __init__(self, *fields: _T) -> None:
        self.fields = fields

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        if tag == -1:
            tag, aclass = _V_SEQ, _UNIV
        h = _check_tlen(b, p, ln, tag, aclass, opt)
        if isinstance(h, Absent):
            return h
        if not h.cst:
            raise D2IError("sequence not constructed")
        p, rest, seq_eoc, out = h.start, h.plen, h.inf, {}
        i, n = 0, len(self.fields)
        while i < n:
            f = self.fields[i]
            if not rest:
                break
            q = p
            if _eoc(b, p, rest):
                p += 2
                if not seq_eoc:
                    raise D2IError("unexpected EOC")
                rest -= 2
                seq_eoc = False
                break
            r = _template(f, b, p, rest, f.optional and i != n - 1, depth)
            i += 1
            if isinstance(r, Absent):
                continue
            out[f.name], p = r
            rest -= p - q
        if seq_eoc:
            if not _eoc(b, p, rest):
                raise D2IError("missing EOC")
            p += 2
        elif rest:
            raise D2IError("sequence length mismatch")
        if any(not f.optional for f in self.fields[i:]):
            raise D2IError("field missing")
        return out, p


class _Choice(Item):
    def __init__(self, *alts: _T) -> None:
        self.alts = alts

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        if tag != -1:
            raise D2IError("bad template")
        for alt in self.alts:
            r = _template(alt, b, p, ln, True, depth)
            if not isinstance(r, Absent):
                return (alt.name, r[0]), r[1]
        if opt:
            return _ABSENT
        raise D2IError("no matching choice type")


class _ItemTemplate(Item):
    """ASN1_ITEM_TEMPLATE (e.g. EXTENDED_KEY_USAGE, GENERAL_NAMES)."""

    def __init__(self, t: _T) -> None:
        self.t = t

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        if tag != -1 or opt:
            raise D2IError("illegal options on item template")
        return _template(self.t, b, p, ln, False, depth)


_OBJECT, _INTEGER, _BOOLEAN = _Prim(_V_OBJECT), _Prim(_V_INTEGER), _Prim(_V_BOOLEAN)
_OCTET, _BIT, _NULL, _IA5 = _Prim(_V_OCTET), _Prim(_V_BIT), _Prim(_V_NULL), _Prim(22)
_ANY, _SEQUENCE_ANY = _Prim(_V_ANY), _Prim(_V_SEQ)
_NAME_ENTRY = _Seq(_T(_OBJECT, "object"), _T(_MString(_B_ASN1_PRINTABLE), "value"))
_NAME_INTERNAL = _ItemTemplate(_T(_ItemTemplate(_T(_NAME_ENTRY, sk="set")), sk="seq"))


class _Name(Item):
    """X509_NAME (x509_name_ex_d2i): decoded, then canonicalised; canonicalisation may fail."""

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        r = _NAME_INTERNAL.d2i(b, p, ln, tag, aclass, opt, 0)
        if isinstance(r, Absent):
            return r
        rdns, end = r
        return _canon_name(rdns), end  # type: ignore[arg-type]


_NAME = _Name()
_DIRSTRING = _MString(_B_DIRECTORYSTRING)
_GENERAL_NAME = _Choice(
    _T(_Seq(_T(_OBJECT, "type_id"), _T(_ANY, "value", exp=0)), "otherName", imp=0),
    _T(_IA5, "rfc822Name", imp=1),
    _T(_IA5, "dNSName", imp=2),
    _T(_SEQUENCE_ANY, "x400Address", imp=3),
    _T(_NAME, "directoryName", exp=4),
    _T(
        _Seq(_T(_DIRSTRING, "nameAssigner", True, exp=0), _T(_DIRSTRING, "partyName", exp=1)),
        "ediPartyName",
        imp=5,
    ),
    _T(_IA5, "uniformResourceIdentifier", imp=6),
    _T(_OCTET, "iPAddress", imp=7),
    _T(_OBJECT, "registeredID", imp=8),
)
_GENERAL_NAMES = _ItemTemplate(_T(_GENERAL_NAME, sk="seq"))
_SUBTREE = _Seq(
    _T(_GENERAL_NAME, "base"),
    _T(_INTEGER, "minimum", True, imp=0),
    _T(_INTEGER, "maximum", True, imp=1),
)
_AS_CHOICE = _Choice(
    _T(_NULL, "inherit"),
    _T(
        _Choice(_T(_INTEGER, "id"), _T(_Seq(_T(_INTEGER, "min"), _T(_INTEGER, "max")), "range")),
        "asIdsOrRanges",
        sk="seq",
    ),
)
_IP_CHOICE = _Choice(
    _T(_NULL, "inherit"),
    _T(
        _Choice(
            _T(_BIT, "addressPrefix"), _T(_Seq(_T(_BIT, "min"), _T(_BIT, "max")), "addressRange")
        ),
        "addressesOrRanges",
        sk="seq",
    ),
)
_DIST_POINT = _Seq(
    _T(
        _Choice(
            _T(_GENERAL_NAME, "fullname", imp=0, sk="seq"),
            _T(_NAME_ENTRY, "relativename", imp=1, sk="set"),
        ),
        "distpoint",
        True,
        exp=0,
    ),
    _T(_BIT, "reasons", True, imp=1),
    _T(_GENERAL_NAME, "CRLissuer", True, imp=2, sk="seq"),
)

#: The extensions ossl_x509v3_cache_extensions decodes with X509_get_ext_d2i, in its order,
#: with their ASN.1 item. Any other extension may be malformed or duplicated without effect.
EXTENSION_ITEMS: dict[str, tuple[str, Item]] = {
    EXT.BASIC_CONSTRAINTS.oid: (
        "basicConstraints",
        _Seq(_T(_BOOLEAN, "ca", True), _T(_INTEGER, "pathlen", True)),
    ),
    EXT.PROXY_CERT_INFO.oid: (
        "proxyCertInfo",
        _Seq(
            _T(_INTEGER, "pcPathLengthConstraint", True),
            _T(_Seq(_T(_OBJECT, "policyLanguage"), _T(_OCTET, "policy", True)), "proxyPolicy"),
        ),
    ),
    EXT.KEY_USAGE.oid: ("keyUsage", _BIT),
    EXT.EXTENDED_KEY_USAGE.oid: ("extendedKeyUsage", _ItemTemplate(_T(_OBJECT, sk="seq"))),
    EXT.NETSCAPE_CERT_TYPE.oid: ("nsCertType", _BIT),
    EXT.SUBJECT_KEY_IDENTIFIER.oid: ("subjectKeyIdentifier", _OCTET),
    EXT.AUTHORITY_KEY_IDENTIFIER.oid: (
        "authorityKeyIdentifier",
        _Seq(
            _T(_OCTET, "keyid", True, imp=0),
            _T(_GENERAL_NAME, "issuer", True, imp=1, sk="seq"),
            _T(_INTEGER, "serial", True, imp=2),
        ),
    ),
    EXT.SUBJECT_ALTERNATIVE_NAME.oid: ("subjectAltName", _GENERAL_NAMES),
    EXT.NAME_CONSTRAINTS.oid: (
        "nameConstraints",
        _Seq(
            _T(_SUBTREE, "permittedSubtrees", True, imp=0, sk="seq"),
            _T(_SUBTREE, "excludedSubtrees", True, imp=1, sk="seq"),
        ),
    ),
    EXT.CRL_DISTRIBUTION_POINTS.oid: (
        "cRLDistributionPoints",
        _ItemTemplate(_T(_DIST_POINT, sk="seq")),
    ),
    EXT.IP_ADDR_BLOCKS.oid: (
        "sbgp-ipAddrBlock",
        _ItemTemplate(
            _T(_Seq(_T(_OCTET, "addressFamily"), _T(_IP_CHOICE, "ipAddressChoice")), sk="seq")
        ),
    ),
    EXT.AS_IDENTIFIERS.oid: (
        "sbgp-autonomousSysNum",
        _Seq(_T(_AS_CHOICE, "asnum", True, exp=0), _T(_AS_CHOICE, "rdi", True, exp=1)),
    ),
}


def d2i(value: bytes, item: Item) -> object:
    """X509V3_EXT_d2i: ASN1_item_d2i over the extnValue; bytes after the value are ignored."""
    try:
        r = item.d2i(value, 0, len(value))
    except IndexError as exc:  # pragma: no cover - the length checks should prevent this
        raise D2IError("truncated") from exc
    assert not isinstance(r, Absent)
    return r[0]


# ---- X509_NAME canonical form (x_name.c x509_name_canon / asn1_string_canon) --------------

_ASCII_SPACE = frozenset(b" \t\n\v\f\r")
_ONE_BYTE = frozenset((18, 19, 20, 22, 23, 24, 26))  # tag2nbyte == 1


def to_utf8(utype: int, data: bytes) -> bytes:
    """ASN1_STRING_to_UTF8 (fails like OpenSSL on bad lengths, bad UTF-8, surrogates)."""
    if utype == _V_UTF8:
        try:
            return data.decode("utf-8").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise D2IError("invalid UTF8String") from exc
    if utype in _ONE_BYTE:
        return data.decode("latin-1").encode("utf-8")
    width = {_V_BMP: 2, _V_UNIV: 4}.get(utype)
    if width is None or len(data) % width:
        raise D2IError("cannot convert to UTF-8")
    chars = []
    for i in range(0, len(data), width):
        v = int.from_bytes(data[i : i + width], "big")
        if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            raise D2IError("invalid character")
        chars.append(chr(v))
    return "".join(chars).encode("utf-8")


def _canon_value(value: tuple[int, bytes]) -> tuple[int, bytes]:
    utype, data = value
    if not _tag2bit(utype) & _MASK_CANON:
        return utype, data
    s = to_utf8(utype, data)
    start, end = 0, len(s)
    while start < end and s[start] in _ASCII_SPACE:
        start += 1
    while end > start and s[end - 1] in _ASCII_SPACE:
        end -= 1
    out = bytearray()
    i = start
    while i < end:
        c = s[i]
        if c >= 0x80:
            out.append(c)
            i += 1
        elif c in _ASCII_SPACE:
            out.append(0x20)
            while i < end and s[i] in _ASCII_SPACE:
                i += 1
        else:
            out.append(c + 32 if 0x41 <= c <= 0x5A else c)
            i += 1
    return _V_UTF8, bytes(out)


#: A canonical Name: one sorted tuple of (attribute OID, type, canonical octets) per non-empty RDN.
CanonName = tuple[tuple[tuple[str, int, bytes], ...], ...]


def typed(value: object) -> tuple[int, bytes]:
    """An attribute value as (type, octets); a BIT STRING value comes back as bare bytes."""
    if isinstance(value, bytes):
        return _V_BIT, value
    assert isinstance(value, tuple)
    return value


def _canon_name(rdns: list[list[dict]]) -> CanonName:
    out = []
    for rdn in rdns:
        if rdn:
            entries = ((e["object"], *_canon_value(typed(e["value"]))) for e in rdn)
            out.append(tuple(sorted(entries)))
    return tuple(out)


def _canon(name_der: bytes) -> CanonName | None:
    try:
        value = d2i(name_der, _NAME)
    except (D2IError, der.DerError):
        return None
    return value  # type: ignore[return-value]


def canon_der(name_der: bytes, memo: Memo | None = None) -> CanonName | None:
    """The canonical form of a Name's DER (``None`` if OpenSSL could not decode it); through
    ``memo`` when given (issuer names repeat across a run's certificates)."""
    if memo is None:
        return _canon(name_der)
    return memo.get("openssl.canon_name", name_der, lambda: _canon(name_der))


def names_equal(a_der: bytes, b_der: bytes, memo: Memo | None = None) -> bool:
    """``X509_NAME_cmp(a, b) == 0``: compare canonical encodings (case, spaces, string type
    folded), falling back to a byte comparison for a name this model cannot decode."""
    if a_der == b_der:
        return True
    ca, cb = canon_der(a_der, memo), canon_der(b_der, memo)
    return ca is not None and ca == cb


def name_rdns(name_der: bytes) -> list[list[dict]]:
    """A Name's RDNs as OpenSSL decodes them, before canonicalisation (``[]`` when it cannot):
    each attribute a dict with ``object`` (the OID) and ``value`` (see :func:`typed`)."""
    try:
        r = _NAME_INTERNAL.d2i(name_der, 0, len(name_der))
    except (D2IError, der.DerError, IndexError):
        return []
    return [] if isinstance(r, Absent) else r[0]  # type: ignore[return-value]
