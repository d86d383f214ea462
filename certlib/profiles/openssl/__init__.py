"""OpenSSL 3.0's ``X509_check_purpose`` reproduced exactly, as a pure function over one certificate.

Why a re-implementation and not a subprocess: notebooks and widgets need the *reasons*
(which extension, which predicate, which C function), and ``openssl x509 -purpose`` only says
Yes/No. The module follows ``crypto/x509/v3_purp.c`` of OpenSSL 3.0 (and 3.2, which adds
``codesign``) step by step and is checked byte for byte against the real binary
(``tests/test_openssl_differential.py``).

Three layers:

* :func:`cache_extensions` — what ``ossl_x509v3_cache_extensions`` leaves in the ``X509``
  structure (``ex_flags``, ``ex_kusage``, ``ex_xkusage``, ``ex_nscert``, self-signed heuristic).
  It reads the raw extensions from :func:`certlib.cert.facts.facts` but decodes the twelve
  extensions OpenSSL itself decodes with a small model of OpenSSL's *BER* template decoder
  (``crypto/asn1/tasn_dec.c``): OpenSSL accepts what a strict DER reader refuses (trailing bytes
  after the value, indefinite lengths, a constructed BIT STRING, a primitive-tagged
  ``SEQUENCE OF``) and masks unused BIT STRING bits, and which certificates it calls *invalid*
  depends on exactly that.
* :func:`check_purpose` / :func:`purpose_text` — ``X509_check_purpose`` and ``apps/x509.c
  purpose_print``.
* :func:`verify_chain` / :func:`evaluate` — ``openssl verify [-purpose p]`` without
  ``-x509_strict`` (``x509_vfy.c``: build_chain, check_extensions — ``check_chain_extensions``
  in 1.1.1 —, check_id with ``-verify_hostname``/``-verify_ip``, internal_verify,
  check_name_constraints) and the profile entry point of ``certlib.verdict(..., "openssl")``;
  checked against the binary by ``tests/test_openssl_verify_oracle.py``.

Not modelled: auxiliary trust of ``TRUSTED CERTIFICATE`` files, ``-x509_strict``,
``-partial_chain``, policy checks (off by default in ``openssl verify``: a reason notes a
path's policy controls, docs/semantics.md §12.3), SmtpUTF8Mailbox names under rfc822Name
constraints and explicit EC curve parameters (chain verification only), and a public key
OpenSSL cannot decode (the self-signed heuristic compares the signature and key algorithm OIDs,
which matters only for v1 certificates). The 3.2 model is 3.0 plus ``check_purpose_code_sign``
from the 3.2.0 source; only 3.0.19 was run.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.hashes import SHA256 as _SHA256Hash
from cryptography.x509.oid import PublicKeyAlgorithmOID as KeyOID
from cryptography.x509.oid import SignatureAlgorithmOID as SigOID

from certlib.cert import der
from certlib.cert.chain import describe, link_error
from certlib.cert.facts import CertFacts, facts
from certlib.core.instants import as_utc
from certlib.core.oids import EKU, EXT, KU_BITS, NS_CERT_TYPE_BITS, eku
from certlib.core.verdicts import Context, Profile, Purpose, Reason, Verdict, judge_each
from certlib.profiles.openssl.host import check_host, check_ip
from certlib.profiles.openssl.nameconstraints import NC_ERRORS, OpenSSLNames
from certlib.profiles.openssl.nameconstraints import check_chain as _nc_check_chain

NAME = "openssl"

__all__ = [
    "PURPOSES",
    "VERIFY_ERRORS",
    "VERSIONS",
    "ChainResult",
    "OpenSSLPurpose",
    "OpenSSLView",
    "cache_extensions",
    "check_ca",
    "check_name_constraints",
    "check_purpose",
    "evaluate",
    "names_equal",
    "openssl_names",
    "outcome_key",
    "purpose_results",
    "purpose_text",
    "purposes",
    "verify_chain",
]

# outcome_key (below, after evaluate) says what of the leaf the outcomes depend on; the
# inventory memoises the six outcomes on it together with
# certlib.inventory.judge._chain_key.

#: The OpenSSL versions modelled: 3.0.x, and 3.2+ (3.0 plus the ``codesign`` purpose).
VERSIONS: tuple[str, ...] = ("3.0", "3.2")

_PURP = "OpenSSL v3_purp.c"
_VFY = "OpenSSL x509_vfy.c"


# =============================================================================================
# The purpose table (v3_purp.c xstandard[])
# =============================================================================================


@dataclass(frozen=True)
class OpenSSLPurpose:
    """One row of OpenSSL's ``xstandard[]`` purpose table."""

    id: int
    sname: str  # the -purpose short name
    name: str  # what `openssl x509 -purpose` prints
    trust: str
    function: str  # the v3_purp.c check function
    since: str  # first modelled version that has it


PURPOSES: tuple[OpenSSLPurpose, ...] = (
    OpenSSLPurpose(
        1, "sslclient", "SSL client", "X509_TRUST_SSL_CLIENT", "check_purpose_ssl_client", "3.0"
    ),
    OpenSSLPurpose(
        2, "sslserver", "SSL server", "X509_TRUST_SSL_SERVER", "check_purpose_ssl_server", "3.0"
    ),
    OpenSSLPurpose(
        3,
        "nssslserver",
        "Netscape SSL server",
        "X509_TRUST_SSL_SERVER",
        "check_purpose_ns_ssl_server",
        "3.0",
    ),
    OpenSSLPurpose(
        4, "smimesign", "S/MIME signing", "X509_TRUST_EMAIL", "check_purpose_smime_sign", "3.0"
    ),
    OpenSSLPurpose(
        5,
        "smimeencrypt",
        "S/MIME encryption",
        "X509_TRUST_EMAIL",
        "check_purpose_smime_encrypt",
        "3.0",
    ),
    OpenSSLPurpose(
        6, "crlsign", "CRL signing", "X509_TRUST_COMPAT", "check_purpose_crl_sign", "3.0"
    ),
    OpenSSLPurpose(7, "any", "Any Purpose", "X509_TRUST_DEFAULT", "no_check_purpose", "3.0"),
    OpenSSLPurpose(
        8, "ocsphelper", "OCSP helper", "X509_TRUST_COMPAT", "check_purpose_ocsp_helper", "3.0"
    ),
    OpenSSLPurpose(
        9,
        "timestampsign",
        "Time Stamp signing",
        "X509_TRUST_TSA",
        "check_purpose_timestamp_sign",
        "3.0",
    ),
    OpenSSLPurpose(
        10,
        "codesign",
        "Code signing",
        "X509_TRUST_OBJECT_SIGN",
        "check_purpose_code_sign",
        "3.2",
    ),
)
_BY_SNAME = {p.sname: p for p in PURPOSES}


def _check_version(version: str) -> None:
    if version not in VERSIONS:
        raise ValueError(
            f"OpenSSL version must be one of {VERSIONS} (3.1 is not modelled), not {version!r}"
        )


def purposes(version: str = "3.0") -> tuple[OpenSSLPurpose, ...]:
    """The purpose table of ``version`` in table order (9 rows in 3.0, 10 from 3.2)."""
    _check_version(version)
    return tuple(p for p in PURPOSES if p.since <= version)


# =============================================================================================
# OpenSSL's BER template decoder (crypto/asn1/tasn_dec.c, asn1_lib.c), reduced to what the
# extension cache decodes. Every quirk here changes which certificates are "invalid".
# =============================================================================================


class _D2IError(Exception):
    """``ASN1_item_d2i`` returned NULL."""


class _Absent:
    """An OPTIONAL item that is not there (tasn_dec's return value -1)."""


_ABSENT = _Absent()

_UNIV, _CTX = 0x00, 0x80
_V_BOOLEAN, _V_INTEGER, _V_BIT, _V_OCTET, _V_NULL, _V_OBJECT = 1, 2, 3, 4, 5, 6
_V_ENUM, _V_UTF8, _V_SEQ, _V_SET, _V_BMP, _V_UNIV = 10, 12, 16, 17, 30, 28
_V_ANY, _V_OTHER = -4, -3
_MAX_CONSTRUCTED_NEST = 30
_MAX_STRING_NEST = 5
_LONG_MAX = 2**63 - 1
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
) -> _Hdr | _Absent:
    """asn1_check_tlen + ASN1_get_object + asn1_get_length, quirks included."""
    if ln <= 0:
        raise _D2IError("too small")
    q, mx = p, ln
    first = b[p]
    cst, cls, tag = bool(first & 0x20), first & 0xC0, first & 0x1F
    p += 1
    mx -= 1
    if mx == 0:
        raise _D2IError("header too long")
    if tag == 0x1F:  # high tag number form
        acc = 0
        while b[p] & 0x80:
            acc = (acc << 7) | (b[p] & 0x7F)
            p += 1
            mx -= 1
            if mx == 0 or acc > (_INT_MAX >> 7):
                raise _D2IError("header too long")
        acc = (acc << 7) | (b[p] & 0x7F)
        p += 1
        mx -= 1
        if mx == 0:
            raise _D2IError("header too long")
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
                raise _D2IError("header too long")
            while count > 0 and b[p] == 0:
                p += 1
                count -= 1
            if count > 8:
                raise _D2IError("header too long")
            for _ in range(count):
                plen = (plen << 8) | b[p]
                p += 1
            if plen > _LONG_MAX:
                raise _D2IError("header too long")
        else:
            plen = count
    if inf and not cst:
        raise _D2IError("indefinite length on a primitive")
    if plen > ln - (p - q):
        raise _D2IError("too long")
    if exptag >= 0 and (tag != exptag or cls != expclass):
        if opt:
            return _ABSENT
        raise _D2IError(f"wrong tag (expected {expclass | exptag:#x})")
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
        raise _D2IError("missing EOC")
    return p


def _collect(b: bytes, p: int, ln: int, inf: bool, depth: int) -> tuple[bytes, int]:
    """asn1_collect: the content octets of a constructed string (inner tags are not checked)."""
    out = bytearray()
    while ln > 0:
        q = p
        if _eoc(b, p, ln):
            p += 2
            if not inf:
                raise _D2IError("unexpected EOC")
            inf = False
            break
        h = _hdr(b, p, ln)
        p = h.start
        if h.cst:
            if depth >= _MAX_STRING_NEST:
                raise _D2IError("nested string too deep")
            data, p = _collect(b, p, h.plen, h.inf, depth + 1)
            out += data
        else:
            out += b[p : p + h.plen]
            p += h.plen
        ln -= p - q
    if inf:
        raise _D2IError("missing EOC")
    return bytes(out), p


def _c2i(utype: int, cont: bytes) -> object:
    """asn1_ex_c2i: content octets -> value, with OpenSSL's validity checks."""
    if utype == _V_OBJECT:
        if not cont or cont[-1] & 0x80:
            raise _D2IError("invalid object encoding")
        for i, byte in enumerate(cont):
            if byte == 0x80 and (i == 0 or not cont[i - 1] & 0x80):
                raise _D2IError("invalid object encoding")
        return der.oid_text(cont)
    if utype == _V_NULL:
        if cont:
            raise _D2IError("NULL is wrong length")
        return None
    if utype == _V_BOOLEAN:
        if len(cont) != 1:
            raise _D2IError("BOOLEAN is wrong length")
        return cont[0]
    if utype == _V_BIT:  # c2i_ASN1_BIT_STRING: unused bits are masked off, not rejected
        if not cont:
            raise _D2IError("BIT STRING too short")
        unused = cont[0]
        if unused > 7:
            raise _D2IError("invalid BIT STRING bits left")
        data = bytearray(cont[1:])
        if data:
            data[-1] &= (0xFF << unused) & 0xFF
        return bytes(data)
    if utype in (_V_INTEGER, _V_ENUM):  # c2i_ibuf
        if not cont:
            raise _D2IError("illegal zero content")
        if len(cont) > 1:
            neg = cont[0] & 0x80
            pad = cont[0] == 0 or (cont[0] == 0xFF and any(cont[1:]))
            if pad and neg == cont[1] & 0x80:
                raise _D2IError("illegal padding")
        return int.from_bytes(cont, "big", signed=True)
    if utype == _V_BMP and len(cont) & 1:
        raise _D2IError("BMPString is wrong length")
    if utype == _V_UNIV and len(cont) & 3:
        raise _D2IError("UniversalString is wrong length")
    return (utype, cont)


def _primitive(
    b: bytes, p: int, ln: int, utype: int, tag: int, aclass: int, opt: bool
) -> tuple[object, int] | _Absent:
    """asn1_d2i_ex_primitive."""
    if utype == _V_ANY:
        if tag >= 0:
            raise _D2IError("illegal tagged ANY")
        if opt:
            raise _D2IError("illegal optional ANY")
        peek = _hdr(b, p, ln)
        utype = peek.tag if peek.cls == _UNIV else _V_OTHER
    if tag == -1:
        tag, aclass = (utype if utype >= 0 else -1), _UNIV
    h = _check_tlen(b, p, ln, tag, aclass, opt)
    if isinstance(h, _Absent):
        return h
    if utype in (_V_SEQ, _V_SET, _V_OTHER):
        if utype != _V_OTHER and not h.cst:
            raise _D2IError("type not constructed")
        end = _find_end(b, h.start, h.plen) if h.inf else h.start + h.plen
        return (utype, b[p:end]), end
    if h.cst:
        if utype in (_V_NULL, _V_BOOLEAN, _V_OBJECT, _V_INTEGER, _V_ENUM):
            raise _D2IError("type not primitive")
        cont, end = _collect(b, h.start, h.plen, h.inf, 0)
    else:
        cont, end = b[h.start : h.start + h.plen], h.start + h.plen
    return _c2i(utype, cont), end


class _Item:
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
    ) -> tuple[object, int] | _Absent:
        if ln <= 0:
            raise _D2IError("too small")
        if depth + 1 > _MAX_CONSTRUCTED_NEST:
            raise _D2IError("nested too deep")
        return self._d2i(b, p, ln, tag, aclass, opt, depth + 1)

    def _d2i(
        self, b: bytes, p: int, ln: int, tag: int, aclass: int, opt: bool, depth: int
    ) -> tuple[object, int] | _Absent:
        raise NotImplementedError


@dataclass(frozen=True)
class _T:
    """An ASN1_TEMPLATE: EXPLICIT/IMPLICIT context tag, SEQUENCE OF / SET OF, OPTIONAL."""

    item: _Item
    name: str = ""
    optional: bool = False
    exp: int | None = None
    imp: int | None = None
    sk: str | None = None  # "seq" or "set"


def _template(
    t: _T, b: bytes, p: int, ln: int, opt: bool, depth: int
) -> tuple[object, int] | _Absent:
    """asn1_template_ex_d2i."""
    if t.exp is None:
        return _template_noexp(t, b, p, ln, opt, depth)
    h = _check_tlen(b, p, ln, t.exp, _CTX, opt)
    if isinstance(h, _Absent):
        return h
    if not h.cst:
        raise _D2IError("explicit tag not constructed")
    r = _template_noexp(t, b, h.start, h.plen, False, depth)
    assert not isinstance(r, _Absent)
    value, end = r
    rest = h.plen - (end - h.start)
    if h.inf:
        if not _eoc(b, end, rest):
            raise _D2IError("missing EOC")
        end += 2
    elif rest:
        raise _D2IError("explicit length mismatch")
    return value, end


def _template_noexp(
    t: _T, b: bytes, p: int, ln: int, opt: bool, depth: int
) -> tuple[object, int] | _Absent:
    if t.sk is not None:
        if t.imp is not None:
            sktag, skclass = t.imp, _CTX
        else:
            sktag, skclass = (_V_SET if t.sk == "set" else _V_SEQ), _UNIV
        h = _check_tlen(b, p, ln, sktag, skclass, opt)  # constructed-ness is NOT checked
        if isinstance(h, _Absent):
            return h
        p, rest, sk_eoc, items = h.start, h.plen, h.inf, []
        while rest > 0:
            q = p
            if _eoc(b, p, rest):
                p += 2
                if not sk_eoc:
                    raise _D2IError("unexpected EOC")
                sk_eoc = False
                break
            r = t.item.d2i(b, p, rest, -1, 0, False, depth)
            assert not isinstance(r, _Absent)
            value, p = r
            items.append(value)
            rest -= p - q
        if sk_eoc:
            raise _D2IError("missing EOC")
        return items, p
    if t.imp is not None:
        return t.item.d2i(b, p, ln, t.imp, _CTX, opt, depth)
    return t.item.d2i(b, p, ln, -1, 0, opt, depth)


class _Prim(_Item):
    def __init__(self, utype: int) -> None:
        self.utype = utype

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        return _primitive(b, p, ln, self.utype, tag, aclass, opt)


class _MString(_Item):
    def __init__(self, mask: int) -> None:
        self.mask = mask

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        if tag != -1:
            raise _D2IError("bad template")
        h = _hdr(b, p, ln)
        if h.cls != _UNIV or not _tag2bit(h.tag) & self.mask:
            if opt:
                return _ABSENT
            raise _D2IError("mstring wrong tag")
        return _primitive(b, p, ln, h.tag, -1, _UNIV, False)


class _Seq(_Item):
    def __init__(self, *fields: _T) -> None:
        self.fields = fields

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        if tag == -1:
            tag, aclass = _V_SEQ, _UNIV
        h = _check_tlen(b, p, ln, tag, aclass, opt)
        if isinstance(h, _Absent):
            return h
        if not h.cst:
            raise _D2IError("sequence not constructed")
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
                    raise _D2IError("unexpected EOC")
                rest -= 2
                seq_eoc = False
                break
            r = _template(f, b, p, rest, f.optional and i != n - 1, depth)
            i += 1
            if isinstance(r, _Absent):
                continue
            out[f.name], p = r
            rest -= p - q
        if seq_eoc:
            if not _eoc(b, p, rest):
                raise _D2IError("missing EOC")
            p += 2
        elif rest:
            raise _D2IError("sequence length mismatch")
        if any(not f.optional for f in self.fields[i:]):
            raise _D2IError("field missing")
        return out, p


class _Choice(_Item):
    def __init__(self, *alts: _T) -> None:
        self.alts = alts

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        if tag != -1:
            raise _D2IError("bad template")
        for alt in self.alts:
            r = _template(alt, b, p, ln, True, depth)
            if not isinstance(r, _Absent):
                return (alt.name, r[0]), r[1]
        if opt:
            return _ABSENT
        raise _D2IError("no matching choice type")


class _ItemTemplate(_Item):
    """ASN1_ITEM_TEMPLATE (e.g. EXTENDED_KEY_USAGE, GENERAL_NAMES)."""

    def __init__(self, t: _T) -> None:
        self.t = t

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        if tag != -1 or opt:
            raise _D2IError("illegal options on item template")
        return _template(self.t, b, p, ln, False, depth)


_OBJECT, _INTEGER, _BOOLEAN = _Prim(_V_OBJECT), _Prim(_V_INTEGER), _Prim(_V_BOOLEAN)
_OCTET, _BIT, _NULL, _IA5 = _Prim(_V_OCTET), _Prim(_V_BIT), _Prim(_V_NULL), _Prim(22)
_ANY, _SEQUENCE_ANY = _Prim(_V_ANY), _Prim(_V_SEQ)
_NAME_ENTRY = _Seq(_T(_OBJECT, "object"), _T(_MString(_B_ASN1_PRINTABLE), "value"))
_NAME_INTERNAL = _ItemTemplate(_T(_ItemTemplate(_T(_NAME_ENTRY, sk="set")), sk="seq"))


class _Name(_Item):
    """X509_NAME (x509_name_ex_d2i): decoded, then canonicalised; canonicalisation may fail."""

    def _d2i(self, b, p, ln, tag, aclass, opt, depth):
        r = _NAME_INTERNAL.d2i(b, p, ln, tag, aclass, opt, 0)
        if isinstance(r, _Absent):
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

# Extensions certlib.core.oids does not catalogue (nothing else in certlib names them): RFC 3820
# proxyCertInfo and the RFC 3779 IP address / AS number blocks.
_PROXY_CERT_INFO = EXT.PROXY_CERT_INFO.oid
_IP_ADDR_BLOCKS = EXT.IP_ADDR_BLOCKS.oid
_AS_IDENTIFIERS = EXT.AS_IDENTIFIERS.oid

#: The extensions ossl_x509v3_cache_extensions decodes with X509_get_ext_d2i, in its order,
#: with their ASN.1 item. Any other extension may be malformed or duplicated without effect.
_D2I: dict[str, tuple[str, _Item]] = {
    EXT.BASIC_CONSTRAINTS.oid: (
        "basicConstraints",
        _Seq(_T(_BOOLEAN, "ca", True), _T(_INTEGER, "pathlen", True)),
    ),
    _PROXY_CERT_INFO: (
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
    _IP_ADDR_BLOCKS: (
        "sbgp-ipAddrBlock",
        _ItemTemplate(
            _T(_Seq(_T(_OCTET, "addressFamily"), _T(_IP_CHOICE, "ipAddressChoice")), sk="seq")
        ),
    ),
    _AS_IDENTIFIERS: (
        "sbgp-autonomousSysNum",
        _Seq(_T(_AS_CHOICE, "asnum", True, exp=0), _T(_AS_CHOICE, "rdi", True, exp=1)),
    ),
}


def _d2i_extension(value: bytes, item: _Item) -> object:
    """X509V3_EXT_d2i: ASN1_item_d2i over the extnValue; bytes after the value are ignored."""
    try:
        r = item.d2i(value, 0, len(value))
    except IndexError as exc:  # pragma: no cover - the length checks should prevent this
        raise _D2IError("truncated") from exc
    assert not isinstance(r, _Absent)
    return r[0]


# ---- X509_NAME canonical form (x_name.c x509_name_canon / asn1_string_canon) --------------

_ASCII_SPACE = frozenset(b" \t\n\v\f\r")
_ONE_BYTE = frozenset((18, 19, 20, 22, 23, 24, 26))  # tag2nbyte == 1


def _to_utf8(utype: int, data: bytes) -> bytes:
    """ASN1_STRING_to_UTF8 (fails like OpenSSL on bad lengths, bad UTF-8, surrogates)."""
    if utype == _V_UTF8:
        try:
            return data.decode("utf-8").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise _D2IError("invalid UTF8String") from exc
    if utype in _ONE_BYTE:
        return data.decode("latin-1").encode("utf-8")
    width = {_V_BMP: 2, _V_UNIV: 4}.get(utype)
    if width is None or len(data) % width:
        raise _D2IError("cannot convert to UTF-8")
    chars = []
    for i in range(0, len(data), width):
        v = int.from_bytes(data[i : i + width], "big")
        if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            raise _D2IError("invalid character")
        chars.append(chr(v))
    return "".join(chars).encode("utf-8")


def _canon_value(value: tuple[int, bytes]) -> tuple[int, bytes]:
    utype, data = value
    if not _tag2bit(utype) & _MASK_CANON:
        return utype, data
    s = _to_utf8(utype, data)
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


def _typed(value: object) -> tuple[int, bytes]:
    """An attribute value as (type, octets); a BIT STRING value comes back as bare bytes."""
    if isinstance(value, bytes):
        return _V_BIT, value
    assert isinstance(value, tuple)
    return value


def _canon_name(rdns: list[list[dict]]) -> CanonName:
    out = []
    for rdn in rdns:
        if rdn:
            entries = ((e["object"], *_canon_value(_typed(e["value"]))) for e in rdn)
            out.append(tuple(sorted(entries)))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _canon_der(name_der: bytes) -> CanonName | None:
    """The canonical form of a Name's DER (``None`` if OpenSSL could not decode it)."""
    try:
        value = _d2i_extension(name_der, _NAME)
    except (_D2IError, der.DerError):
        return None
    return value  # type: ignore[return-value]


def names_equal(a_der: bytes, b_der: bytes) -> bool:
    """``X509_NAME_cmp(a, b) == 0``: compare canonical encodings (case, spaces, string type
    folded), falling back to a byte comparison for a name this model cannot decode."""
    if a_der == b_der:
        return True
    ca, cb = _canon_der(a_der), _canon_der(b_der)
    return ca is not None and ca == cb


# =============================================================================================
# ossl_x509v3_cache_extensions
# =============================================================================================

XKU_SSL_SERVER, XKU_SSL_CLIENT, XKU_SMIME, XKU_CODE_SIGN = 0x1, 0x2, 0x4, 0x8
XKU_SGC, XKU_OCSP_SIGN, XKU_TIMESTAMP, XKU_DVCS, XKU_ANYEKU = 0x10, 0x20, 0x40, 0x80, 0x100
_XKU_BY_OID: dict[str, int] = {
    EKU.SERVER_AUTH.oid: XKU_SSL_SERVER,
    EKU.CLIENT_AUTH.oid: XKU_SSL_CLIENT,
    EKU.EMAIL_PROTECTION.oid: XKU_SMIME,
    EKU.CODE_SIGNING.oid: XKU_CODE_SIGN,
    EKU.MS_SGC.oid: XKU_SGC,
    EKU.NS_SGC.oid: XKU_SGC,
    EKU.OCSP_SIGNING.oid: XKU_OCSP_SIGN,
    EKU.TIME_STAMPING.oid: XKU_TIMESTAMP,
    EKU.DVCS.oid: XKU_DVCS,
    EKU.ANY.oid: XKU_ANYEKU,
}
_XKU_NAMES = {
    XKU_SSL_SERVER: "serverAuth",
    XKU_SSL_CLIENT: "clientAuth",
    XKU_SMIME: "emailProtection",
    XKU_CODE_SIGN: "codeSigning",
    XKU_SGC: "SGC (msSGC/nsSGC)",
    XKU_OCSP_SIGN: "OCSPSigning",
    XKU_TIMESTAMP: "timeStamping",
    XKU_DVCS: "dvcs",
    XKU_ANYEKU: "anyExtendedKeyUsage",
}
_KU = {b.name: b.openssl_mask for b in KU_BITS}
KU_DS, KU_NR, KU_KE = _KU["digital_signature"], _KU["content_commitment"], _KU["key_encipherment"]
KU_KA, KU_CERT_SIGN, KU_CRL_SIGN = _KU["key_agreement"], _KU["key_cert_sign"], _KU["crl_sign"]
KU_TLS = KU_DS | KU_KE | KU_KA
_NS = {b.name: b.openssl_mask for b in NS_CERT_TYPE_BITS}
NS_SSL_CLIENT, NS_SSL_SERVER, NS_SMIME = _NS["ssl_client"], _NS["ssl_server"], _NS["smime"]
NS_SSL_CA, NS_SMIME_CA = _NS["ssl_ca"], _NS["smime_ca"]
NS_ANY_CA = NS_SSL_CA | NS_SMIME_CA | _NS["object_signing_ca"]

# OBJ_find_sigid_algs: signature algorithm -> the key type it needs (the algorithms in use).
_SIG_KEY: dict[str, str] = {
    **{
        o.dotted_string: "rsa"
        for o in (
            SigOID.RSA_WITH_MD5,
            SigOID.RSA_WITH_SHA1,
            SigOID._RSA_WITH_SHA1,
            SigOID.RSA_WITH_SHA224,
            SigOID.RSA_WITH_SHA256,
            SigOID.RSA_WITH_SHA384,
            SigOID.RSA_WITH_SHA512,
            SigOID.RSA_WITH_SHA3_224,
            SigOID.RSA_WITH_SHA3_256,
            SigOID.RSA_WITH_SHA3_384,
            SigOID.RSA_WITH_SHA3_512,
        )
    },
    SigOID.RSASSA_PSS.dotted_string: "rsa-pss",
    **{
        o.dotted_string: "ec"
        for o in (
            SigOID.ECDSA_WITH_SHA1,
            SigOID.ECDSA_WITH_SHA224,
            SigOID.ECDSA_WITH_SHA256,
            SigOID.ECDSA_WITH_SHA384,
            SigOID.ECDSA_WITH_SHA512,
            SigOID.ECDSA_WITH_SHA3_224,
            SigOID.ECDSA_WITH_SHA3_256,
            SigOID.ECDSA_WITH_SHA3_384,
            SigOID.ECDSA_WITH_SHA3_512,
        )
    },
    **{
        o.dotted_string: "dsa"
        for o in (
            SigOID.DSA_WITH_SHA1,
            SigOID.DSA_WITH_SHA224,
            SigOID.DSA_WITH_SHA256,
            SigOID.DSA_WITH_SHA384,
            SigOID.DSA_WITH_SHA512,
        )
    },
    SigOID.ED25519.dotted_string: "ed25519",
    SigOID.ED448.dotted_string: "ed448",
}
_SPKI_KEY: dict[str, str] = {
    KeyOID.RSAES_PKCS1_v1_5.dotted_string: "rsa",
    KeyOID.RSASSA_PSS.dotted_string: "rsa-pss",
    KeyOID.EC_PUBLIC_KEY.dotted_string: "ec",
    KeyOID.DSA.dotted_string: "dsa",
    KeyOID.ED25519.dotted_string: "ed25519",
    KeyOID.ED448.dotted_string: "ed448",
}
_SUPPORTED_CRITICAL = frozenset(  # X509_supported_extension
    {
        EXT.NETSCAPE_CERT_TYPE.oid,
        EXT.KEY_USAGE.oid,
        EXT.SUBJECT_ALTERNATIVE_NAME.oid,
        EXT.BASIC_CONSTRAINTS.oid,
        EXT.CERTIFICATE_POLICIES.oid,
        EXT.CRL_DISTRIBUTION_POINTS.oid,
        EXT.EXTENDED_KEY_USAGE.oid,
        _IP_ADDR_BLOCKS,
        _AS_IDENTIFIERS,
        EXT.OCSP_NO_CHECK.oid,
        EXT.POLICY_CONSTRAINTS.oid,
        _PROXY_CERT_INFO,
        EXT.NAME_CONSTRAINTS.oid,
        EXT.POLICY_MAPPINGS.oid,
        EXT.INHIBIT_ANY_POLICY.oid,
    }
)


@dataclass(frozen=True)
class OpenSSLView:
    """What ``ossl_x509v3_cache_extensions`` leaves in an ``X509``: flags and masks.

    ``invalid`` holds one reason per cause of ``EXFLAG_INVALID``; when it is non-empty
    ``X509_check_purpose`` returns -1 for every purpose and ``X509_check_ca`` returns 0.
    """

    v1: bool  # EXFLAG_V1: version field absent/0
    invalid: tuple[Reason, ...]
    bcons: bool  # EXFLAG_BCONS
    ca: bool  # EXFLAG_CA (basicConstraints cA TRUE; any non-zero BOOLEAN octet)
    pathlen: int  # ex_pathlen, -1 = none
    kusage: bool  # EXFLAG_KUSAGE
    ex_kusage: int
    xkusage: bool  # EXFLAG_XKUSAGE
    ex_xkusage: int
    eku_oids: tuple[str, ...]
    nscert: bool  # EXFLAG_NSCERT
    ex_nscert: int
    proxy: bool  # EXFLAG_PROXY
    self_issued: bool  # EXFLAG_SI: X509_NAME_cmp(subject, issuer) == 0
    self_signed: bool  # EXFLAG_SS: the heuristic, not a signature check
    ss_reason: str
    unhandled_critical: tuple[str, ...]  # EXFLAG_CRITICAL: critical extensions OpenSSL lacks
    eku_critical: bool  # of the first EKU (X509_get_ext_by_NID(x, NID_ext_key_usage, -1))
    ku_critical: bool  # of the first KU
    skid: bytes | None
    akid_keyid: bytes | None
    #: ``x->altname``: the decoded SAN's GeneralNames ((form, value), in order), None without.
    altname: tuple | None = None
    #: ``x->nc``: the decoded nameConstraints (permittedSubtrees / excludedSubtrees), or None.
    name_constraints: dict | None = field(default=None, hash=False, compare=False)

    @property
    def valid(self) -> bool:
        return not self.invalid

    @property
    def v1_root(self) -> bool:
        """V1_ROOT = EXFLAG_V1 | EXFLAG_SS."""
        return self.v1 and self.self_signed


def _first_critical(f: CertFacts, oid: str) -> bool:
    ext = f.extension(oid)
    return ext is not None and ext.critical


def _tbs_algorithms(cert: x509.Certificate) -> tuple[str | None, str | None]:
    """(TBS signature algorithm OID, SubjectPublicKeyInfo algorithm OID) read from the TBS."""
    try:
        items = der.children(der.unwrap(cert.tbs_certificate_bytes, der.SEQUENCE))
        idx = 1 if items and items[0][0] == 0xA0 else 0
        sig = der.oid_text(der.children(items[idx + 1][1])[0][1])
        spki_alg = der.children(items[idx + 5][1])[0][1]
        key = der.oid_text(der.children(spki_alg)[0][1])
    except (der.DerError, IndexError):
        return None, None
    return sig, key


def _self_signed(
    cert: x509.Certificate, f: CertFacts, akid: dict | None, skid: bytes | None
) -> tuple[bool, bool, str]:
    """EXFLAG_SI and EXFLAG_SS: names equal (X509_NAME_cmp), X509_check_akid, sig alg vs key."""
    if not names_equal(f.subject_der, f.issuer_der):
        return False, False, "subject and issuer differ (X509_NAME_cmp), so not self-issued"
    if akid is not None:
        keyid = akid.get("keyid")
        if keyid is not None and skid is not None and keyid[1] != skid:
            return True, False, "self-issued, but its AKI keyIdentifier is not its own SKI"
        if "serial" in akid and akid["serial"] != f.serial:
            return True, False, "self-issued, but its AKI serial is not its own serial"
        dirnames = [v for k, v in akid.get("issuer", ()) if k == "directoryName"]
        issuer = _canon_der(f.issuer_der)
        if dirnames and issuer is not None and dirnames[0] != issuer:
            return True, False, "self-issued, but its AKI issuer name is not its issuer"
    sig, key = _tbs_algorithms(cert)
    need = _SIG_KEY.get(sig or "")
    have = _SPKI_KEY.get(key or "")
    if need is None or have is None or not (need == have or (have == "rsa" and need == "rsa-pss")):
        return (
            True,
            False,
            (f"self-issued, but the signature algorithm {sig} does not match its key type {key}"),
        )
    return True, True, "self-signed by OpenSSL's heuristic (names, AKI, key type; no signature)"


@functools.lru_cache(maxsize=8192)
def cache_extensions(cert: x509.Certificate) -> OpenSSLView:
    """``ossl_x509v3_cache_extensions``: decode, flag, and mark invalid exactly as OpenSSL 3.0."""
    f = facts(cert)
    src = f"{_PURP} ossl_x509v3_cache_extensions"
    invalid: list[Reason] = []
    decoded: dict[str, object] = {}
    counts: dict[str, int] = {}
    for ext in f.extensions:
        counts[ext.oid] = counts.get(ext.oid, 0) + 1
    for oid, (name, item) in _D2I.items():
        n = counts.get(oid, 0)
        if n == 0:
            continue
        if n > 1:  # X509_get_ext_d2i finds more than one: NULL with *crit == -2
            invalid.append(
                Reason(
                    "openssl.invalid.duplicate",
                    f"{name} appears {n} times: X509_get_ext_d2i returns NULL with crit=-2, "
                    "which marks the certificate invalid (EXFLAG_INVALID)",
                    f"{src} (X509_get_ext_d2i)",
                )
            )
            continue
        raw = f.extension(oid)
        assert raw is not None
        try:
            decoded[oid] = _d2i_extension(raw.value, item)
        except (_D2IError, der.DerError) as exc:
            invalid.append(
                Reason(
                    "openssl.invalid.undecodable",
                    f"{name} cannot be decoded by OpenSSL ({exc}), which marks the certificate "
                    "invalid (EXFLAG_INVALID)",
                    f"{src} (X509_get_ext_d2i)",
                )
            )

    bc = decoded.get(EXT.BASIC_CONSTRAINTS.oid)
    ca, pathlen = False, -1
    if isinstance(bc, dict):
        ca = bool(bc.get("ca", 0))
        pl = bc.get("pathlen")
        if isinstance(pl, int):
            if pl < 0:
                invalid.append(
                    Reason(
                        "openssl.invalid.negative_pathlen",
                        f"basicConstraints pathLenConstraint is negative ({pl})",
                        f"{src} (X509V3_R_NEGATIVE_PATHLEN)",
                    )
                )
            else:
                pathlen = pl if pl <= _LONG_MAX else -1
    if _PROXY_CERT_INFO in decoded and (
        ca
        or counts.get(EXT.SUBJECT_ALTERNATIVE_NAME.oid)
        or counts.get(EXT.ISSUER_ALTERNATIVE_NAME.oid)
    ):
        invalid.append(
            Reason(
                "openssl.invalid.proxy",
                "a proxyCertInfo certificate must not be a CA nor carry a subject or "
                "issuer alternative name",
                f"{src} (proxyCertInfo)",
            )
        )
    ku = decoded.get(EXT.KEY_USAGE.oid)
    ex_kusage = 0
    if isinstance(ku, bytes):
        ex_kusage = (ku[0] if ku else 0) | ((ku[1] << 8) if len(ku) > 1 else 0)
        if ex_kusage == 0:
            invalid.append(
                Reason(
                    "openssl.invalid.empty_ku",
                    "keyUsage is present with no bit set (RFC 5280 §4.2.1.3: at least one)",
                    f"{src} (X509V3_R_EMPTY_KEY_USAGE)",
                )
            )
    eku_list = decoded.get(EXT.EXTENDED_KEY_USAGE.oid)
    eku_oids = tuple(eku_list) if isinstance(eku_list, list) else ()
    ex_xkusage = 0
    for o in eku_oids:
        ex_xkusage |= _XKU_BY_OID.get(o, 0)
    ns = decoded.get(EXT.NETSCAPE_CERT_TYPE.oid)
    ex_nscert = ns[0] if isinstance(ns, bytes) and ns else 0
    if EXT.CRL_DISTRIBUTION_POINTS.oid in decoded:
        for dp in decoded[EXT.CRL_DISTRIBUTION_POINTS.oid]:  # type: ignore[union-attr]
            if "distpoint" not in dp and not dp.get("CRLissuer"):
                invalid.append(
                    Reason(
                        "openssl.invalid.crldp",
                        "a cRLDistributionPoints entry has neither a distributionPoint nor a "
                        "cRLIssuer",
                        f"{src} (setup_dp, X509_R_INVALID_DISTPOINT)",
                    )
                )
                break
    skid_v = decoded.get(EXT.SUBJECT_KEY_IDENTIFIER.oid)
    skid = skid_v[1] if isinstance(skid_v, tuple) else None
    akid = decoded.get(EXT.AUTHORITY_KEY_IDENTIFIER.oid)
    akid = akid if isinstance(akid, dict) else None
    si, ss, ss_reason = _self_signed(cert, f, akid, skid)
    unhandled: list[str] = []
    for ext in f.extensions:
        if ext.critical and ext.oid not in _SUPPORTED_CRITICAL:
            unhandled.append(ext.oid)
            break  # the loop in ossl_x509v3_cache_extensions stops at the first one
    keyid = akid.get("keyid") if akid else None
    return OpenSSLView(
        v1=f.version == 1,
        invalid=tuple(invalid),
        bcons=isinstance(bc, dict),
        ca=ca,
        pathlen=pathlen,
        kusage=isinstance(ku, bytes),
        ex_kusage=ex_kusage,
        xkusage=isinstance(eku_list, list),
        ex_xkusage=ex_xkusage,
        eku_oids=eku_oids,
        nscert=isinstance(ns, bytes),
        ex_nscert=ex_nscert,
        proxy=_PROXY_CERT_INFO in decoded,
        self_issued=si,
        self_signed=ss,
        ss_reason=ss_reason,
        unhandled_critical=tuple(unhandled),
        eku_critical=_first_critical(f, EXT.EXTENDED_KEY_USAGE.oid),
        ku_critical=_first_critical(f, EXT.KEY_USAGE.oid),
        skid=skid,
        akid_keyid=keyid[1] if isinstance(keyid, tuple) else None,
        altname=_hashable_names(decoded.get(EXT.SUBJECT_ALTERNATIVE_NAME.oid)),
        name_constraints=_nc_or_none(decoded.get(EXT.NAME_CONSTRAINTS.oid)),
    )


def _hashable_names(gens: object) -> tuple | None:
    """The decoded GeneralNames as a tuple (an otherName's dict kept as its items)."""
    if not isinstance(gens, list):
        return None
    return tuple((form, tuple(sorted(v.items())) if isinstance(v, dict) else v) for form, v in gens)


def _nc_or_none(nc: object) -> dict | None:
    if not isinstance(nc, dict):
        return None
    return {
        k: [dict(sub, base=_hashable_names([sub["base"]])[0]) for sub in nc.get(k) or ()]
        for k in ("permittedSubtrees", "excludedSubtrees")
    }


# =============================================================================================
# The predicates and X509_check_purpose
# =============================================================================================


def _xku_text(mask: int) -> str:
    names = [name for bit, name in _XKU_NAMES.items() if mask & bit]
    return ", ".join(names) if names else "no purpose OpenSSL knows"


def _ku_text(mask: int) -> str:
    names = [b.rfc_name for b in KU_BITS if mask & b.openssl_mask]
    return ", ".join(names) if names else "no bits"


def _ns_text(mask: int) -> str:
    names = [b.openssl_text for b in NS_CERT_TYPE_BITS if mask & b.openssl_mask]
    return ", ".join(names) if names else "no bits"


class _Steps:
    """Reasons of one check function, each naming the predicate and the C function."""

    def __init__(self, function: str) -> None:
        self.function = function
        self.reasons: list[Reason] = []

    def add(self, rule: str, text: str, predicate: str) -> None:
        self.reasons.append(Reason(rule, text, f"{_PURP} {self.function} ({predicate})"))

    def xku_reject(self, v: OpenSSLView, usage: int) -> bool:
        """EKU present and none of ``usage`` (anyExtendedKeyUsage is *not* a wildcard)."""
        want = _xku_text(usage)
        if not v.xkusage:
            self.add(
                "openssl.eku.absent", f"EKU absent: no restriction (needs {want})", "xku_reject"
            )
            return False
        listed = ", ".join(eku(o).short_name for o in v.eku_oids) or "an empty SEQUENCE"
        if v.ex_xkusage & usage:
            self.add("openssl.eku.allows", f"EKU lists {listed}: includes {want}", "xku_reject")
            return False
        extra = ""
        if v.ex_xkusage & XKU_ANYEKU:
            extra = " (anyExtendedKeyUsage is not a wildcard in OpenSSL 3.0)"
        self.add("openssl.eku.rejects", f"EKU lists {listed}: none of {want}{extra}", "xku_reject")
        return True

    def ku_reject(self, v: OpenSSLView, usage: int) -> bool:
        """KU present and none of ``usage``."""
        want = _ku_text(usage)
        if not v.kusage:
            self.add(
                "openssl.ku.absent", f"keyUsage absent: no restriction (needs {want})", "ku_reject"
            )
            return False
        have = _ku_text(v.ex_kusage)
        if v.ex_kusage & usage:
            self.add("openssl.ku.allows", f"keyUsage {have}: includes one of {want}", "ku_reject")
            return False
        self.add("openssl.ku.rejects", f"keyUsage {have}: none of {want}", "ku_reject")
        return True

    def ns_reject(self, v: OpenSSLView, usage: int) -> bool:
        """nsCertType present and none of ``usage``."""
        want = _ns_text(usage)
        if not v.nscert:
            self.add(
                "openssl.ns.absent",
                f"nsCertType absent: no restriction (needs {want})",
                "ns_reject",
            )
            return False
        have = _ns_text(v.ex_nscert)
        if v.ex_nscert & usage:
            self.add("openssl.ns.allows", f"nsCertType {have}: includes {want}", "ns_reject")
            return False
        self.add("openssl.ns.rejects", f"nsCertType {have}: lacks {want}", "ns_reject")
        return True

    def check_ca(self, v: OpenSSLView) -> int:
        code, text = _check_ca_text(v)
        self.add(f"openssl.check_ca.{code}", text, "check_ca")
        return code


def _check_ca_text(v: OpenSSLView) -> tuple[int, str]:
    """check_ca: 0 not a CA, 1 a CA, 3 v1 self-signed, 4 KU certSign without BC, 5 nsCertType CA."""
    if v.kusage and not v.ex_kusage & KU_CERT_SIGN:
        return 0, f"check_ca = 0: keyUsage ({_ku_text(v.ex_kusage)}) lacks keyCertSign"
    if v.bcons:
        if v.ca:
            return 1, "check_ca = 1: basicConstraints cA TRUE"
        return 0, "check_ca = 0: basicConstraints present with cA FALSE"
    if v.v1_root:
        return 3, f"check_ca = 3: no basicConstraints, but a v1 certificate that is {v.ss_reason}"
    if v.kusage:
        return 4, "check_ca = 4: no basicConstraints, keyUsage present with keyCertSign"
    if v.nscert and v.ex_nscert & NS_ANY_CA:
        return (
            5,
            f"check_ca = 5: no basicConstraints, nsCertType has a CA bit ({_ns_text(v.ex_nscert)})",
        )
    why = "" if not v.v1 else f" (v1, but {v.ss_reason})"
    return 0, f"check_ca = 0: no basicConstraints, keyUsage or nsCertType CA bit{why}"


def check_ca(cert: x509.Certificate) -> int:
    """``X509_check_ca``: ``check_ca`` of the cached flags, 0 for an invalid certificate."""
    v = cache_extensions(cert)
    return 0 if v.invalid else _check_ca_text(v)[0]


def _ssl_ca(s: _Steps, v: OpenSSLView) -> int:
    """check_ssl_ca: check_ca != 0, and for code 5 nsCertType must have SSL CA; 0/1 only."""
    code = s.check_ca(v)
    if code == 0:
        return 0
    if code == 5 and not v.ex_nscert & NS_SSL_CA:
        s.add("openssl.ns.rejects", "nsCertType has no SSL CA bit", "check_ssl_ca")
        return 0
    return 1


def _ssl_client(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    if s.xku_reject(v, XKU_SSL_CLIENT):
        return 0
    if ca:
        return _ssl_ca(s, v)
    if s.ku_reject(v, KU_DS | KU_KA):
        return 0
    if s.ns_reject(v, NS_SSL_CLIENT):
        return 0
    return 1


def _ssl_server(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    if s.xku_reject(v, XKU_SSL_SERVER | XKU_SGC):
        return 0
    if ca:
        return _ssl_ca(s, v)
    if s.ns_reject(v, NS_SSL_SERVER):
        return 0
    if s.ku_reject(v, KU_TLS):
        return 0
    return 1


def _leaf_ku(s: _Steps, v: OpenSSLView, ca: bool, ret: int, need: int) -> int:
    """``if (!ret || non_leaf) return ret; if (ku_reject(x, need)) return 0; return ret;``

    The tail check_purpose_ns_ssl_server, check_purpose_smime_sign and _smime_encrypt share.
    """
    if not ret or ca:
        return ret
    return 0 if s.ku_reject(v, need) else ret


def _check_ca_only(s: _Steps, v: OpenSSLView, what: str) -> int:
    """``if (non_leaf) return check_ca(x);`` of the OCSP helper, time-stamp and code-sign checks."""
    s.add("openssl.eku.ignored", f"EKU is not consulted for {what} CA", "check_ca")
    return s.check_ca(v)


def _ns_ssl_server(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    # KU_KE: "We need to encipher or Netscape complains"
    return _leaf_ku(s, v, ca, _ssl_server(s, v, ca, version), KU_KE)


def _smime(s: _Steps, v: OpenSSLView, ca: bool) -> int:
    """purpose_smime: the common S/MIME part (nsCertType S/MIME, SSL-client workaround = 2)."""
    if s.xku_reject(v, XKU_SMIME):
        return 0
    if ca:
        code = s.check_ca(v)
        if code == 0:
            return 0
        if code == 5 and not v.ex_nscert & NS_SMIME_CA:
            s.add("openssl.ns.rejects", "nsCertType has no S/MIME CA bit", "purpose_smime")
            return 0
        return code
    if v.nscert:
        if v.ex_nscert & NS_SMIME:
            s.add("openssl.ns.allows", "nsCertType has the S/MIME bit", "purpose_smime")
            return 1
        if v.ex_nscert & NS_SSL_CLIENT:
            s.add(
                "openssl.ns.workaround",
                "nsCertType has SSL Client but not S/MIME: accepted with code 2 "
                "(OpenSSL's workaround for buggy certificates)",
                "purpose_smime",
            )
            return 2
        s.add(
            "openssl.ns.rejects",
            f"nsCertType ({_ns_text(v.ex_nscert)}) has neither S/MIME nor SSL Client",
            "purpose_smime",
        )
        return 0
    s.add("openssl.ns.absent", "nsCertType absent: no restriction", "purpose_smime")
    return 1


def _smime_sign(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    return _leaf_ku(s, v, ca, _smime(s, v, ca), KU_DS | KU_NR)


def _smime_encrypt(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    return _leaf_ku(s, v, ca, _smime(s, v, ca), KU_KE)  # keyAgreement alone is not enough


def _crl_sign(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    s.add("openssl.eku.ignored", "EKU is not consulted for CRL signing", "check_purpose_crl_sign")
    if ca:
        code = s.check_ca(v)
        return 0 if code == 2 else code
    return 0 if s.ku_reject(v, KU_CRL_SIGN) else 1


def _any(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    s.add("openssl.any", "'Any Purpose' checks nothing: always 1", "no_check_purpose")
    return 1


def _ocsp_helper(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    if ca:
        return _check_ca_only(s, v, "an OCSP helper")
    s.add(
        "openssl.ocsp.leaf",
        "the OCSP helper leaf check always passes; the responder's EKU is checked later by "
        "OCSP_basic_verify (ocsp_check_delegated)",
        "leaf",
    )
    return 1


def _timestamp(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    if ca:
        return _check_ca_only(s, v, "a time-stamping")
    allowed = KU_DS | KU_NR
    if v.kusage:
        if v.ex_kusage & ~allowed or not v.ex_kusage & allowed:
            s.add(
                "openssl.ku.rejects",
                f"keyUsage {_ku_text(v.ex_kusage)}: must be digitalSignature and/or "
                "nonRepudiation only",
                "ku subset of DS|NR",
            )
            return 0
        s.add("openssl.ku.allows", f"keyUsage {_ku_text(v.ex_kusage)} ⊆ {{DS, NR}}", "ku subset")
    else:
        s.add("openssl.ku.absent", "keyUsage absent: no restriction", "ku subset of DS|NR")
    if not v.xkusage:
        s.add("openssl.eku.required", "EKU is absent: timeStamping is required", "XKU_TIMESTAMP")
        return 0
    if v.ex_xkusage != XKU_TIMESTAMP:
        s.add(
            "openssl.eku.rejects",
            f"EKU's known purposes are {_xku_text(v.ex_xkusage)}: must be exactly timeStamping "
            "(unknown OIDs are ignored)",
            "ex_xkusage == XKU_TIMESTAMP",
        )
        return 0
    if not v.eku_critical:
        s.add("openssl.eku.not_critical", "EKU timeStamping must be critical", "EKU critical")
        return 0
    s.add(
        "openssl.eku.allows", "EKU is critical with timeStamping as its only known purpose", "EKU"
    )
    return 1


def _code_sign(s: _Steps, v: OpenSSLView, ca: bool, version: str) -> int:
    if ca:
        return _check_ca_only(s, v, "a code-signing")
    if not v.kusage:
        s.add("openssl.ku.required", "keyUsage is absent: digitalSignature is required", "KU")
        return 0
    if not v.ex_kusage & KU_DS:
        s.add(
            "openssl.ku.rejects", f"keyUsage {_ku_text(v.ex_kusage)} lacks digitalSignature", "KU"
        )
        return 0
    if v.ex_kusage & (KU_CERT_SIGN | KU_CRL_SIGN):
        s.add("openssl.ku.rejects", "keyUsage must not have keyCertSign or cRLSign", "KU")
        return 0
    if not v.ku_critical:
        s.add("openssl.ku.not_critical", "keyUsage must be critical", "KU critical")
        return 0
    if not v.xkusage:
        s.add("openssl.eku.required", "EKU is absent: codeSigning is required", "EKU")
        return 0
    if not v.ex_xkusage & XKU_CODE_SIGN:
        s.add("openssl.eku.rejects", f"EKU ({_xku_text(v.ex_xkusage)}) lacks codeSigning", "EKU")
        return 0
    if v.ex_xkusage & (XKU_ANYEKU | XKU_SSL_SERVER):
        s.add("openssl.eku.rejects", "EKU must not have anyExtendedKeyUsage or serverAuth", "EKU")
        return 0
    s.add("openssl.eku.allows", "KU critical with DS, EKU codeSigning (CABF CS BR 7.1.2.3)", "EKU")
    return 1


_CHECKS = {
    "sslclient": _ssl_client,
    "sslserver": _ssl_server,
    "nssslserver": _ns_ssl_server,
    "smimesign": _smime_sign,
    "smimeencrypt": _smime_encrypt,
    "crlsign": _crl_sign,
    "any": _any,
    "ocsphelper": _ocsp_helper,
    "timestampsign": _timestamp,
    "codesign": _code_sign,
}


def _label(p: OpenSSLPurpose, non_leaf: bool) -> str:
    return f"{p.name}{' CA' if non_leaf else ''}"


def _verdict_word(code: int) -> str:
    return "Yes" if code == 1 else "No" if code == 0 else f"Yes (WARNING code={code})"


def check_purpose(
    cert: x509.Certificate, purpose_id: str, non_leaf: bool, *, version: str = "3.0"
) -> tuple[int, tuple[Reason, ...]]:
    """``X509_check_purpose(cert, purpose, non_leaf)``: 1, 0, 2–5 (accepted with a warning) or -1.

    -1 means the certificate is invalid (``EXFLAG_INVALID``, every purpose) or the purpose does
    not exist in ``version`` (``codesign`` before 3.2). The last reason states the result.
    """
    _check_version(version)
    p = _BY_SNAME.get(purpose_id)
    if p is None:
        raise ValueError(f"unknown OpenSSL purpose {purpose_id!r}; known: {', '.join(_BY_SNAME)}")
    v = cache_extensions(cert)
    label = _label(p, non_leaf)
    if v.invalid:
        final = Reason(
            "openssl.invalid",
            f"{label} : Yes (WARNING code=-1) — the certificate is invalid, so "
            "X509_check_purpose returns -1 for every purpose",
            f"{_PURP} X509_check_purpose (ossl_x509v3_cache_extensions failed)",
        )
        return -1, (*v.invalid, final)
    if p.since > version:
        return -1, (
            Reason(
                "openssl.purpose.unknown",
                f"OpenSSL {version} has no '{p.name}' purpose (X509_PURPOSE_get_by_id returns -1)",
                f"{_PURP} X509_check_purpose (X509_PURPOSE_get_by_id)",
            ),
        )
    s = _Steps(p.function)
    code = _CHECKS[p.sname](s, v, non_leaf, version)
    s.reasons.append(
        Reason(
            f"openssl.result.{code}",
            f"{label} : {_verdict_word(code)}",
            f"{_PURP} {p.function} (returns {code})",
        )
    )
    return code, tuple(s.reasons)


def purpose_results(cert: x509.Certificate, *, version: str = "3.0") -> dict[tuple[str, bool], int]:
    """``{(sname, non_leaf): code}`` for every purpose of ``version``, leaf and CA."""
    return {
        (p.sname, ca): check_purpose(cert, p.sname, ca, version=version)[0]
        for p in purposes(version)
        for ca in (False, True)
    }


def purpose_text(cert: x509.Certificate, *, version: str = "3.0") -> str:
    """``openssl x509 -purpose -noout`` output (``apps/x509.c purpose_print``), byte for byte."""
    lines = ["Certificate purposes:"]
    for p in purposes(version):
        for ca in (False, True):
            code = check_purpose(cert, p.sname, ca, version=version)[0]
            lines.append(f"{_label(p, ca)} : {_verdict_word(code)}")
    return "\n".join(lines) + "\n"


# =============================================================================================
# Chain verification (x509_vfy.c: build_chain, check_extensions, internal_verify)
# =============================================================================================

#: X509_verify_cert_error_string() of the codes this model produces (3.0 numbering).
VERIFY_ERRORS: dict[int, str] = {
    0: "ok",
    2: "unable to get issuer certificate",
    7: "certificate signature failure",
    9: "certificate is not yet valid",
    10: "certificate has expired",
    18: "self-signed certificate",
    19: "self-signed certificate in certificate chain",
    20: "unable to get local issuer certificate",
    25: "path length constraint exceeded",
    26: "unsuitable certificate purpose",
    34: "unhandled critical extension",
    40: "proxy certificates not allowed, please set the appropriate flag",
    79: "invalid CA certificate",
    # check_id (v3_utl.c X509_check_host / X509_check_ip)
    62: "hostname mismatch",
    64: "IP address mismatch",
    # check_name_constraints (v3_ncons.c)
    **NC_ERRORS,
}
_MAX_CHAIN = 100


@dataclass(frozen=True)
class ChainResult:
    """What ``openssl verify [-purpose p]`` would say: the first error and its depth.

    ``codes`` holds ``X509_check_purpose`` per depth (``None`` where it was not reached);
    ``warnings`` the tolerated non-1 results ``(depth, code)``.
    """

    error: int
    depth: int | None
    path: tuple[x509.Certificate, ...]
    codes: tuple[int | None, ...]
    reasons: tuple[Reason, ...]
    warnings: tuple[tuple[int, int], ...] = ()

    @property
    def ok(self) -> bool:
        return self.error == 0

    @property
    def message(self) -> str:
        return VERIFY_ERRORS.get(self.error, f"error {self.error}")

    @property
    def short(self) -> str:
        """``OK`` or ``<error>@<depth>`` (the notation of docs/semantics.md §1.6.2)."""
        return "OK" if self.ok else f"{self.error}@{self.depth}"


def _likely_issued(issuer: x509.Certificate, subject: x509.Certificate) -> bool:
    """ossl_x509_likely_issued: names (X509_NAME_cmp), both cacheable, AKID, sig alg vs key."""
    if not names_equal(facts(issuer).subject_der, facts(subject).issuer_der):
        return False
    vi, vs = cache_extensions(issuer), cache_extensions(subject)
    if vi.invalid or vs.invalid:
        return False
    if vs.akid_keyid is not None and vi.skid is not None and vs.akid_keyid != vi.skid:
        return False
    sig, _ = _tbs_algorithms(subject)
    _, key = _tbs_algorithms(issuer)
    need, have = _SIG_KEY.get(sig or ""), _SPKI_KEY.get(key or "")
    return (
        need is not None
        and have is not None
        and (need == have or (have, need) == ("rsa", "rsa-pss"))
    )


def _find(
    cert: x509.Certificate, pool: Sequence[x509.Certificate], chain: list[x509.Certificate], at
) -> x509.Certificate | None:
    """find_issuer: a likely issuer not already on the chain, preferring one valid at ``at``
    (and, unlike OpenSSL, one whose signature verifies)."""
    found = [c for c in pool if c not in chain and _likely_issued(c, cert)]
    found.sort(key=lambda c: (link_error(cert, c) is not None, _time_error(c, at) is not None))
    return found[0] if found else None


def _time_error(cert: x509.Certificate, at: _dt.datetime) -> int | None:
    """ossl_x509_check_cert_time: notBefore <= at is valid, notAfter <= at is expired."""
    if cert.not_valid_before_utc > at:
        return 9
    if cert.not_valid_after_utc <= at:
        return 10
    return None


def _why_unlinked(top: x509.Certificate, pool: Sequence[x509.Certificate]) -> str:
    """Why no issuer was found for ``top`` when the reason is an invalid certificate."""
    if cache_extensions(top).invalid:
        return (
            f" — {describe(top)} is invalid (EXFLAG_INVALID), so ossl_x509_likely_issued "
            "cannot link it to any issuer"
        )
    issuer_der = facts(top).issuer_der
    for c in pool:
        if cache_extensions(c).invalid and names_equal(facts(c).subject_der, issuer_der):
            return (
                f" — its issuer {describe(c)} is invalid (EXFLAG_INVALID), so "
                "ossl_x509_likely_issued rejects it as an issuer"
            )
    return ""


_CN = x509.NameOID.COMMON_NAME.dotted_string
_EMAIL_ADDRESS = x509.NameOID.EMAIL_ADDRESS.dotted_string


@functools.lru_cache(maxsize=8192)
def openssl_names(cert: x509.Certificate) -> OpenSSLNames:
    """What OpenSSL's name checks read of ``cert``: the canonical subject, its emailAddress
    and CN values (CNs in UTF-8, ``None`` where ASN1_STRING_to_UTF8 fails) and the SAN."""
    subject_der = facts(cert).subject_der
    try:
        r = _NAME_INTERNAL.d2i(subject_der, 0, len(subject_der))
        rdns = [] if isinstance(r, _Absent) else r[0]
    except (_D2IError, der.DerError, IndexError):
        rdns = []
    entries = [e for rdn in rdns for e in rdn]  # type: ignore[union-attr]
    emails = tuple(_typed(e["value"]) for e in entries if e["object"] == _EMAIL_ADDRESS)
    cns: list[bytes | None] = []
    for e in entries:
        if e["object"] == _CN:
            try:
                cns.append(_to_utf8(*_typed(e["value"])))
            except (_D2IError, UnicodeError):
                cns.append(None)
    subject = _canon_der(subject_der) or ()
    return OpenSSLNames(subject, emails, tuple(cns), cache_extensions(cert).altname or ())


def check_name_constraints(
    path: Sequence[x509.Certificate],
) -> tuple[int, int, int, str] | None:
    """x509_vfy.c ``check_name_constraints`` over a built path (leaf first): the first
    ``(error, depth named, depth of the constraining CA, why)``, or None."""
    views = [cache_extensions(c) for c in path]
    if not any(v.name_constraints for v in views[1:]):
        return None
    return _nc_check_chain(
        [
            (openssl_names(c), v.name_constraints, v.self_issued)
            for c, v in zip(path, views, strict=True)
        ]
    )


def _ip_octets(host: str) -> bytes | None:
    import ipaddress

    try:
        return ipaddress.ip_address(host).packed
    except ValueError:
        return None


def _check_id(leaf: x509.Certificate, hostname: str, fail) -> None:
    """x509_vfy.c check_id: ``-verify_hostname`` (X509_check_host, no flags) or, for an IP
    address literal, ``-verify_ip`` (X509_check_ip), as ``SSL_set1_host`` chooses."""
    octets = _ip_octets(hostname)
    v = cache_extensions(leaf)
    if octets is not None:
        ok, why = check_ip(v.altname, octets)
        if not ok:
            fail(64, 0, f"IP address {hostname}: {why}", "check_id (v3_utl.c X509_check_ip)")
        return
    ok, why = check_host(v.altname, openssl_names(leaf).common_names, hostname)
    if not ok:
        fail(62, 0, why, "check_id (v3_utl.c X509_check_host)")


def verify_chain(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    roots: Sequence[x509.Certificate],
    purpose_id: str | None,
    *,
    at: _dt.datetime | None = None,
    version: str = "3.0",
    hostname: str | None = None,
) -> ChainResult:
    """``X509_verify_cert`` without ``-x509_strict``: build (trusted first; once a trusted
    certificate has joined, only trusted issuers), then for every depth check_extensions
    (unhandled critical 34, CA-ness 79, purpose 26, pathlen 25), check_id (``hostname``: 62,
    or 64 for an IP literal), then signatures (7) and validity (9/10) from the top down, then
    name constraints (47/48/49/51/53). The first error wins, as in ``openssl verify``.
    ``purpose_id=None`` is ``openssl verify`` without ``-purpose``; ``hostname`` is
    ``-verify_hostname`` (``-verify_ip`` for an IP address literal)."""
    _check_version(version)
    if purpose_id is not None and purpose_id not in {p.sname for p in purposes(version)}:
        raise ValueError(f"OpenSSL {version} has no purpose {purpose_id!r} (`-purpose` refuses it)")
    at = as_utc(at)
    roots, intermediates = tuple(roots), tuple(intermediates)
    reasons: list[Reason] = []
    chain = [leaf]
    ss_top = False
    joined = False  # a certificate from the trust store has joined the chain (as an issuer)
    while True:
        top = chain[-1]
        vt = cache_extensions(top)
        if vt.valid and vt.self_signed:
            ss_top = True
            break
        if len(chain) > _MAX_CHAIN:
            break
        issuer = _find(top, roots, chain, at)
        if issuer is not None:
            joined = True
        elif not joined:  # build_chain: no untrusted issuer once a trusted one has joined
            issuer = _find(top, intermediates, chain, at)
        if issuer is None:
            break
        chain.append(issuer)
    trusted = chain[-1] in roots and (joined or ss_top)
    path = tuple(chain)
    names = " → ".join(describe(c) for c in path)
    if not trusted or not ss_top:
        depth = len(chain) - 1
        if ss_top:  # noqa: SIM108 (the two build_chain outcomes read better apart)
            error = 18 if len(chain) == 1 else 19
        else:
            error = 2 if joined else 20
        why = _why_unlinked(chain[-1], (*roots, *intermediates))
        if error == 2 and not ss_top and not why:
            why = (
                f" — {describe(chain[-1])} came from the trusted certificates, and once a "
                "trusted certificate has joined the chain build_chain looks for its issuer among "
                "the trusted ones only (the untrusted pool is no longer searched; a chain "
                "ending below a self-signed root is trusted only with -partial_chain)"
            )
        reasons.append(
            Reason(
                f"openssl.verify.error.{error}",
                f"chain {names}: error {error} at depth {depth}: {VERIFY_ERRORS[error]}" + why,
                f"{_VFY} build_chain",
            )
        )
        return ChainResult(error, depth, path, (None,) * len(path), tuple(reasons))
    reasons.append(Reason("openssl.verify.path", f"chain built: {names}", f"{_VFY} build_chain"))
    error, depth = 0, None
    codes: list[int | None] = [None] * len(path)
    warnings: list[tuple[int, int]] = []
    num, plen = len(path), 0
    first: tuple[int, int, str, str] | None = None

    def fail(code: int, d: int, text: str, where: str) -> None:
        nonlocal first
        if first is None:
            first = (code, d, text, where)

    for i, x in enumerate(path):
        v = cache_extensions(x)
        who = f"depth {i} {describe(x)}"
        if v.unhandled_critical:
            fail(
                34,
                i,
                f"{who} has an unhandled critical extension {v.unhandled_critical[0]}",
                "check_extensions",
            )
        if v.proxy:
            fail(40, i, f"{who} is a proxy certificate", "check_extensions")
        ca_code = 0 if v.invalid else _check_ca_text(v)[0]
        if i > 0 and (ca_code == 0 or (i + 1 < num and ca_code != 1)):
            role = "intermediate" if i + 1 < num else "trust anchor"
            fail(
                79,
                i,
                f"{who} ({role}): X509_check_ca = {ca_code}; "
                + ("an intermediate must return exactly 1" if i + 1 < num else "0 is not a CA"),
                "check_extensions (X509_check_ca)",
            )
        elif i > 0:
            reasons.append(
                Reason(
                    "openssl.verify.ca",
                    f"{who}: X509_check_ca = {ca_code}"
                    + (" (a legacy CA, accepted for the trust anchor)" if ca_code != 1 else ""),
                    f"{_VFY} check_extensions (X509_check_ca)",
                )
            )
        if purpose_id is not None:
            code, steps = check_purpose(x, purpose_id, i > 0, version=version)
            codes[i] = code
            detail = steps[-2].text if len(steps) > 1 else steps[-1].text
            if code == 0:
                fail(
                    26,
                    i,
                    f"{who}: X509_check_purpose({purpose_id}, non_leaf={int(i > 0)}) = 0: {detail}",
                    "check_purpose",
                )
            else:
                if code != 1:
                    warnings.append((i, code))
                reasons.append(
                    Reason(
                        "openssl.verify.purpose",
                        f"{who}: X509_check_purpose({purpose_id}, non_leaf={int(i > 0)}) = {code}"
                        + ("" if code == 1 else " (tolerated without -x509_strict)"),
                        f"{_VFY} check_purpose",
                    )
                )
        if i > 1 and v.pathlen != -1 and plen > v.pathlen:
            fail(25, i, f"{who}: pathLenConstraint {v.pathlen} exceeded", "check_extensions")
        if i > 0 and not v.self_issued:
            plen += 1
    if hostname is not None:
        _check_id(leaf, hostname, fail)
    if first is None:
        # internal_verify: from the trust anchor down, signature of xs by xi, then xs's times.
        for n in range(num - 1, -1, -1):
            xs, xi = path[n], path[min(n + 1, num - 1)]
            if xs is not xi and link_error(xs, xi) is not None:
                fail(
                    7, n, f"depth {n} {describe(xs)}: signature does not verify", "internal_verify"
                )
                break
            t = _time_error(xs, at)
            if t is not None:
                when = xs.not_valid_before_utc if t == 9 else xs.not_valid_after_utc
                fail(
                    t,
                    n,
                    f"depth {n} {describe(xs)}: {'notBefore' if t == 9 else 'notAfter'} "
                    f"{when:%Y-%m-%d %H:%M:%SZ}, checked at {at:%Y-%m-%d %H:%M:%SZ}",
                    "internal_verify",
                )
                break
    nc = check_name_constraints(path)
    if nc is not None:
        code, d, k, text = nc
        fail(
            code,
            d,
            f"depth {d} {describe(path[d])}: {text} — nameConstraints of depth {k} "
            f"{describe(path[k])}",
            "check_name_constraints (v3_ncons.c NAME_CONSTRAINTS_check)",
        )
    if first is not None:
        error, depth, text, where = first
        reasons.append(
            Reason(
                f"openssl.verify.error.{error}",
                f"error {error} at depth {depth}: {VERIFY_ERRORS[error]} — {text}",
                f"{_VFY} {where}",
            )
        )
    else:
        reasons.append(
            Reason(
                "openssl.verify.ok",
                f"openssl verify{f' -purpose {purpose_id}' if purpose_id else ''}: OK",
                f"{_VFY} X509_verify_cert",
            )
        )
    return ChainResult(error, depth, path, tuple(codes), tuple(reasons), tuple(warnings))


# =============================================================================================
# The profile entry point
# =============================================================================================

_PROFILE_PURPOSE = {
    Purpose.TLS_SERVER: "sslserver",
    Purpose.TLS_CLIENT: "sslclient",
    Purpose.EMAIL_PROTECTION: "smimesign",
    Purpose.TIME_STAMPING: "timestampsign",
    Purpose.CODE_SIGNING: "codesign",
    Purpose.OCSP_SIGNING: "ocsphelper",
}


def _outcome(code: int) -> tuple[str, int | None]:
    if code == 1:
        return "allowed", None
    if code == 0:
        return "denied", None
    if code == -1:
        return "invalid", None
    return "warning", code


def _ocsp_delegated(cert: x509.Certificate) -> tuple[bool, Reason]:
    """ocsp_vfy.c ocsp_check_delegated: a delegated responder needs EKU with OCSPSigning."""
    v = cache_extensions(cert)
    src = "OpenSSL ocsp_vfy.c ocsp_check_delegated (EXFLAG_XKUSAGE && XKU_OCSP_SIGN)"
    ok = v.valid and v.xkusage and bool(v.ex_xkusage & XKU_OCSP_SIGN)
    if ok:
        text = "EKU contains OCSPSigning, as a delegated OCSP responder needs"
    elif not v.xkusage:
        text = (
            "EKU is absent: a delegated OCSP responder needs EKU OCSPSigning *present* "
            "(OCSP_R_MISSING_OCSPSIGNING_USAGE); only a CA signing its own responses needs none"
        )
    else:
        text = "EKU lacks OCSPSigning (OCSP_R_MISSING_OCSPSIGNING_USAGE)"
    return ok, Reason("openssl.ocsp.delegated", text, src)


#: The extensions that make RFC 5280 §6.1 policy processing able to fail a path.
_POLICY_CONTROLS = (
    EXT.POLICY_CONSTRAINTS.oid,
    EXT.POLICY_MAPPINGS.oid,
    EXT.INHIBIT_ANY_POLICY.oid,
)


def _policy_not_checked(path: Sequence[x509.Certificate]) -> list[Reason]:
    """A note, never a denial, when the path carries policy controls: ``openssl verify`` (and
    a TLS handshake) check policies only when asked (``-policy_check``, ``-explicit_policy``:
    ``X509_V_FLAG_POLICY_CHECK``), so by default OpenSSL accepts what RFC 5280 or Go refuse."""
    carrying = []
    for c in path:
        try:
            oids = {e.oid.dotted_string for e in c.extensions}
        except Exception:
            continue
        if oids & set(_POLICY_CONTROLS):
            carrying.append(describe(c))
    if not carrying:
        return []
    text = (
        f"{', '.join(carrying)} carries policy constraints, mappings or inhibitAnyPolicy; "
        "openssl verify checks certificate policies only with -policy_check or "
        "-explicit_policy (X509_V_FLAG_POLICY_CHECK), which is off by default, so they were "
        "not evaluated (with the flag, a requireExplicitPolicy CA above a leaf without "
        "policies gives error 43, 'no explicit policy')"
    )
    return [Reason("openssl.policy.not_checked", text, f"{_VFY} check_policy")]


def evaluate(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> Verdict:
    """The OpenSSL profile: ``X509_check_purpose`` for the mapped purpose, or (with
    ``ctx.roots``) ``openssl verify -purpose`` over the path built from the given certificates
    (with ``-verify_hostname ctx.hostname``, or ``-verify_ip``, for the TLS server purpose).
    OCSP signing adds ``ocsp_check_delegated`` unless the certificate is its own trust anchor.

    ``ctx.options["openssl_version"]``: ``"3.0"`` (default) or ``"3.2"`` (adds codesign).
    """
    version = str(ctx.options.get("openssl_version", "3.0"))
    _check_version(version)
    sname = _PROFILE_PURPOSE[purpose]
    p = _BY_SNAME[sname]
    if p.since > version:
        r = Reason(
            "openssl.purpose.unavailable",
            f"OpenSSL {version} has no code-signing purpose (codesign arrived in 3.2; "
            "X509_PURPOSE_MAX is 9 in 3.0), so it cannot be asked",
            f"{_PURP} xstandard[]",
        )
        return Verdict(purpose, NAME, "n/a", (r,))
    head = Reason(
        "openssl.purpose.map",
        f"{purpose.label} is OpenSSL purpose {sname} ('{p.name}', {p.function})",
        f"{_PURP} xstandard[]",
    )
    extra: list[Reason] = []
    if purpose is Purpose.EMAIL_PROTECTION:
        enc, enc_steps = check_purpose(cert, "smimeencrypt", False, version=version)
        why = enc_steps[-2].text if len(enc_steps) > 1 else enc_steps[-1].text
        extra.append(
            Reason(
                "openssl.smimeencrypt",
                f"S/MIME encryption would say {_verdict_word(enc)} because {why}",
                f"{_PURP} check_purpose_smime_encrypt",
            )
        )
    if ctx.chain_aware:
        host = ctx.hostname if purpose is Purpose.TLS_SERVER and ctx.hostname else None
        res = verify_chain(
            cert, ctx.intermediates, ctx.roots, sname, at=ctx.when, version=version, hostname=host
        )
        invalid = [c for c in res.path if cache_extensions(c).invalid]
        if res.ok:
            outcome, warning = (
                ("warning", res.warnings[0][1]) if res.warnings else ("allowed", None)
            )
        else:
            outcome, warning = ("invalid" if invalid else "denied"), None
        reasons = [head, *res.reasons[:-1], *extra]
        if invalid:
            reasons.extend(cache_extensions(invalid[0]).invalid)
        reasons.extend(_policy_not_checked(res.path))
        last = res.reasons[-1]
    else:
        code, steps = check_purpose(cert, sname, False, version=version)
        outcome, warning = _outcome(code)
        reasons = [head, *steps[:-1], *extra]
        last = steps[-1]
    if purpose is Purpose.OCSP_SIGNING and ctx.chain_aware and len(res.path) == 1:
        # ocsp_check_issuer: a one-certificate chain is the CA answering for itself
        reasons.append(
            Reason(
                "openssl.ocsp.own_ca",
                f"{describe(cert)} is itself the trust anchor: OCSP_basic_verify's chain is one "
                "certificate long, so ocsp_check_issuer matches the signer as the request's CA "
                "and runs ocsp_check_delegated (the OCSPSigning EKU test) only for longer chains",
                "OpenSSL ocsp_vfy.c ocsp_check_issuer",
            )
        )
    elif purpose is Purpose.OCSP_SIGNING:
        # OCSP_basic_verify runs the ocsphelper chain check, then ocsp_check_delegated.
        ok, delegated = _ocsp_delegated(cert)
        if outcome in ("allowed", "warning"):
            reasons.append(last)
            last = delegated
            if not ok:
                outcome, warning = "denied", None
        else:
            reasons.append(delegated)
    reasons.append(last)
    return Verdict(purpose, NAME, outcome, tuple(reasons), warning)


#: The purposes evaluate asks X509_check_purpose about for a leaf (codesign: under 3.2).
_KEY_PURPOSES = ("sslclient", "sslserver", "smimesign", "timestampsign", "ocsphelper")


def outcome_key(
    f: CertFacts,
    *,
    cert: x509.Certificate,
    at: _dt.datetime | None = None,
    chain: Sequence[x509.Certificate] = (),
) -> tuple:
    """What :func:`evaluate` reads of the leaf, reduced to what can change an outcome, for
    ``certlib.inventory``'s memo (equal keys and equal ``_chain_key`` ⇒ equal six outcomes
    under the inventory's context: ``options={}``, so OpenSSL 3.0; the pool is ``chain``).

    * ``at`` itself: constant within a scan, and it covers the chain certificates' own
      validity (``_time_error`` of issuers), which ``_chain_key`` does not.
    * What evaluate derives from the leaf's :class:`OpenSSLView` (``ossl_x509v3_cache_
      extensions``: every extension, the twelve cached ones through the lenient BER decoder so
      that a duplicated or undecodable SAN, SKI, ... makes it invalid; critical unsupported
      ones; first EKU/KU criticality; the version; the self-issued / self-signed heuristic:
      folded subject vs issuer, AKI key id vs SKI, AKI serial vs serial, AKI directory name,
      TBS signature algorithm vs key type). The leaf is never on its own chain (the inventory
      does not memoise then; ``c == cert`` below says so too), so only what depth 0 reads
      counts: ``X509_check_purpose(leaf, p, non_leaf=0)`` for the five purposes the profile
      maps under 3.0 and ``codesign`` under 3.2 (the code: allowed, denied, -1 invalid or the
      warning's number), the invalid flag (the verdict says invalid, no issuer is linked),
      ``valid and self_signed`` (no issuer search: error 18), whether there is an unhandled
      critical extension (error 34; which one is only text), ``proxy`` (error 40) and
      ``ocsp_check_delegated``. The check functions read nothing but the view, and the rest of
      the view (SKI, AKI key id, check_ca, pathlen, self_issued) is read of a leaf only through
      the issuer test below or for depth > 0.
    * The TBS (inner) signature algorithm OID (read by the self-signed heuristic and by
      ``ossl_x509_likely_issued`` against each candidate issuer's key type; both are reduced
      above and below as well, so this only widens the key).
    * ``ossl_x509_check_cert_time`` of the leaf: ``notBefore > at`` is error 9 and
      ``notAfter <= at`` error 10 — both strict and non-strict comparisons of both dates, since
      ``_chain_key`` has only ``at < notBefore`` and ``at > notAfter``.
    * For every chain certificate, in order (``find_issuer`` tries the roots, then the
      intermediates, preferring a linking, currently valid one): whether it is the leaf itself,
      whether ``_likely_issued`` makes it a candidate issuer (OpenSSL's case- and
      space-folded ``X509_NAME_cmp`` of its subject and the leaf's issuer, neither invalid, the
      leaf's AKI key id vs its SKI, the leaf's signature algorithm vs its key type) and, for
      candidates, whether its key verifies the leaf's signature (``link_error``; also
      ``internal_verify``'s error 7). Which issuer the path takes follows from these, and the
      rest of the path reads nothing of the leaf.
    * When a chain certificate has nameConstraints: :func:`openssl_names` of the leaf (the
      canonical subject, its emailAddress and CN values, the SAN), which
      ``check_name_constraints`` reads. The host name is not read (the inventory has none).

    Whatever cannot be computed (a certificate the model chokes on) gets a key unique to the
    certificate's bytes, so it is only ever shared with itself.
    """
    if at is None:
        at = _dt.datetime.now(_dt.UTC)  # as Context.when: then the key is this instant's only
    try:
        v = cache_extensions(cert)
        sig, _key = _tbs_algorithms(cert)
        nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
        dates = (nb > at, nb >= at, na < at, na <= at)
        issuers = tuple(
            (c == cert, likely, likely and link_error(cert, c) is None)
            for c in chain
            for likely in (_likely_issued(c, cert),)
        )
        ocsp_ok, _why = _ocsp_delegated(cert)
        view = (
            bool(v.invalid),
            v.valid and v.self_signed,
            bool(v.unhandled_critical),
            v.proxy,
            ocsp_ok,
            tuple(check_purpose(cert, p, False)[0] for p in _KEY_PURPOSES),
            check_purpose(cert, "codesign", False, version="3.2")[0],
        )
        names = (
            repr(openssl_names(cert))
            if any(cache_extensions(c).name_constraints for c in chain)
            else None
        )
        return (at, view, sig, dates, issuers, names)
    except Exception:  # judged afresh under a key only this certificate's bytes have
        return ("unkeyed", cert.fingerprint(_SHA256Hash()))


#: This profile in the registry (:mod:`certlib.profiles`).
PROFILE = Profile(NAME, judge_each(evaluate), outcome_key, "certlib.profiles.openssl")
