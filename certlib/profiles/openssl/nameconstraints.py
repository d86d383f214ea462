"""OpenSSL 3.0's name constraint check (``crypto/x509/v3_ncons.c``: ``NAME_CONSTRAINTS_check``,
``nc_match``, ``NAME_CONSTRAINTS_check_CN``), over names decoded the way OpenSSL decodes them.

Why not :func:`certlib.cert.nameconstraints.check`: OpenSSL's matching differs in kind, not just in
parameters (:data:`certlib.cert.nameconstraints.OPENSSL` lists the parameters). It checks the
subject DN against directoryName subtrees as a prefix of the canonical encoding, every SAN in
its order with a verify error per outcome (47 permitted, 48 excluded, 49 min/max, 51
unsupported form, 53 unsupported name syntax), matches a dNSName constraint as a plain suffix
at a label boundary (``.x`` only below x), an rfc822Name domain exactly (``.x`` as a suffix), a
URI's host exactly (``.x`` as a suffix), and, for the leaf without a DNS SAN, each subject CN
that looks like a host name (``cn2dnsid``) as a DNS name.

Inputs are the shapes :mod:`certlib.profiles.openssl`'s BER decoder yields: a GeneralName is
``(form, value)`` with ``form`` the ASN.1 CHOICE arm name (``"dNSName"``, ...); strings are
``(universal tag, octets)``; a directoryName is a canonical name (a tuple of RDNs). Pure.

Not modelled: ``SmtpUTF8Mailbox`` otherNames (OpenSSL matches them against rfc822Name subtrees
after an A-label to U-label conversion); here they meet only otherName subtrees of their type,
like every other otherName (then 51).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from certlib.cert.nameconstraints import OPENSSL, Rules

__all__ = ["NC_ERRORS", "OpenSSLNames", "check_chain", "cn2dnsid", "nc_check"]

PERMITTED, EXCLUDED, MINMAX, UNSUPPORTED_TYPE, UNSUPPORTED_SYNTAX = 47, 48, 49, 51, 53
UNSPECIFIED = 1
#: X509_verify_cert_error_string() of what this module returns.
NC_ERRORS: dict[int, str] = {
    UNSPECIFIED: "unspecified certificate verification error",
    PERMITTED: "permitted subtree violation",
    EXCLUDED: "excluded subtree violation",
    MINMAX: "name constraints minimum and maximum not supported",
    UNSUPPORTED_TYPE: "unsupported name constraint type",
    UNSUPPORTED_SYNTAX: "unsupported or invalid name syntax",
}
#: v3_ncons.c NAME_CHECK_MAX: names × constraints above this is refused outright.
NAME_CHECK_MAX = 1 << 20
_IA5 = 22
_FORM_TAG = {
    "otherName": 0xA0,
    "rfc822Name": 0x81,
    "dNSName": 0x82,
    "x400Address": 0xA3,
    "directoryName": 0xA4,
    "ediPartyName": 0xA5,
    "uniformResourceIdentifier": 0x86,
    "iPAddress": 0x87,
    "registeredID": 0x88,
}

GeneralName = tuple[str, object]


@dataclass(frozen=True)
class OpenSSLNames:
    """What ``NAME_CONSTRAINTS_check`` reads of one certificate."""

    #: The canonical subject (RDNs of (oid, type, canonical octets)); () for an empty subject.
    subject: tuple
    #: The subject's emailAddress values as (universal tag, octets), in order.
    subject_emails: tuple[tuple[int, bytes], ...]
    #: The subject's CN values converted to UTF-8 (``None`` where conversion fails), in order.
    common_names: tuple[bytes | None, ...]
    #: The SAN's GeneralNames in order (``x->altname``); () without a SAN.
    altname: tuple[GeneralName, ...]

    @property
    def has_dns_san(self) -> bool:
        """``has_san_id(x, GEN_DNS)``."""
        return any(form == "dNSName" for form, _v in self.altname)


def _lower(b: bytes) -> bytes:
    """ia5ncasecmp folds ASCII letters only."""
    return bytes(c + 32 if 0x41 <= c <= 0x5A else c for c in b)


def _eq_nocase(a: bytes, b: bytes) -> bool:
    return len(a) == len(b) and _lower(a) == _lower(b)


def _nc_dns(name: bytes, base: bytes) -> int:
    if not base:
        return 0
    if len(name) < len(base):
        return PERMITTED
    tail = name[len(name) - len(base) :]
    if len(name) > len(base) and base[:1] != b"." and name[len(name) - len(base) - 1] != 0x2E:
        return PERMITTED
    return 0 if _eq_nocase(base, tail) else PERMITTED


def _nc_email(eml: bytes, base: bytes) -> int:
    at_b, at_e = base.rfind(b"@"), eml.rfind(b"@")
    if at_e < 0:
        return UNSUPPORTED_SYNTAX
    if at_b < 0 and base[:1] == b".":
        if len(eml) > len(base) and _eq_nocase(base, eml[len(eml) - len(base) :]):
            return 0
        return PERMITTED
    host_b = base
    if at_b >= 0:
        if at_b > 0:
            if at_b != at_e:
                return PERMITTED
            if b"\0" in base[:at_b] or b"\0" in eml[:at_e]:
                return UNSUPPORTED_SYNTAX
            if base[:at_b] != eml[:at_e]:  # the local part is case-sensitive
                return PERMITTED
        host_b = base[at_b + 1 :]
    return 0 if _eq_nocase(host_b, eml[at_e + 1 :]) else PERMITTED


def _nc_uri(uri: bytes, base: bytes) -> int:
    colon = uri.find(b":")
    if colon < 0 or len(uri) - colon < 3 or uri[colon + 1 : colon + 3] != b"//":
        return UNSUPPORTED_SYNTAX
    rest = uri[colon + 3 :]
    end = rest.find(b":")
    if end < 0:
        end = rest.find(b"/")
    host = rest if end < 0 else rest[:end]
    if not host:
        return UNSUPPORTED_SYNTAX
    if base[:1] == b".":
        if len(host) > len(base) and _eq_nocase(host[len(host) - len(base) :], base):
            return 0
        return PERMITTED
    return 0 if _eq_nocase(host, base) else PERMITTED


def _nc_ip(ip: bytes, base: bytes) -> int:
    if len(ip) not in (4, 16) or len(base) not in (8, 32):
        return UNSUPPORTED_SYNTAX
    if len(ip) * 2 != len(base):
        return PERMITTED
    mask = base[len(ip) :]
    ok = all(ip[i] & mask[i] == base[i] & mask[i] for i in range(len(ip)))
    return 0 if ok else PERMITTED


def _nc_dn(name: tuple, base: tuple) -> int:
    """nc_dn: the base's canonical encoding must be a prefix of the name's; both are whole
    RDN SETs, so that is an RDN-wise prefix."""
    return 0 if name[: len(base)] == base else PERMITTED


def _octets(value: object) -> bytes:
    return value[1] if isinstance(value, tuple) else b""  # type: ignore[return-value]


def _match_single(form: str, value: object, base: object) -> int:
    """nc_match_single (the forms are equal)."""
    if form == "directoryName":
        return _nc_dn(value, base)  # type: ignore[arg-type]
    if form == "dNSName":
        return _nc_dns(_octets(value), _octets(base))
    if form == "rfc822Name":
        return _nc_email(_octets(value), _octets(base))
    if form == "uniformResourceIdentifier":
        return _nc_uri(_octets(value), _octets(base))
    if form == "iPAddress":
        return _nc_ip(_octets(value), _octets(base))
    return UNSUPPORTED_TYPE


def _same_type(gen: GeneralName, base: GeneralName) -> bool:
    if gen[0] != base[0]:
        return False
    if gen[0] == "otherName":
        return _type_id(gen[1]) == _type_id(base[1])
    return True


def _type_id(value: object) -> object:
    """An otherName's type-id (the value is a dict or the tuple of its items)."""
    if isinstance(value, dict):
        return value.get("type_id")
    try:
        return dict(value).get("type_id")  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _minmax_valid(sub: dict) -> bool:
    return "maximum" not in sub and sub.get("minimum", 0) == 0


def nc_match(gen: GeneralName, permitted: Sequence[dict], excluded: Sequence[dict]) -> int:
    """``nc_match``: 0, or the verify error for one name against one CA's subtrees."""
    match = 0
    for sub in permitted:
        base = sub["base"]
        if not _same_type(gen, base):
            continue
        if not _minmax_valid(sub):
            return MINMAX
        if match == 2:
            continue
        match = match or 1
        r = _match_single(gen[0], gen[1], base[1])
        if r == 0:
            match = 2
        elif r != PERMITTED:
            return r
    if match == 1:
        return PERMITTED
    for sub in excluded:
        base = sub["base"]
        if not _same_type(gen, base):
            continue
        if not _minmax_valid(sub):
            return MINMAX
        r = _match_single(gen[0], gen[1], base[1])
        if r == 0:
            return EXCLUDED
        if r != PERMITTED:
            return r
    return 0


def _shown(gen: GeneralName) -> str:
    form, value = gen
    if form == "directoryName":
        return "directoryName " + ",".join(
            "+".join(f"{oid}={v.decode('utf-8', 'replace')}" for oid, _t, v in rdn)
            for rdn in value  # type: ignore[union-attr]
        )
    if form == "iPAddress":
        import ipaddress

        octets = _octets(value)
        try:
            return f"iPAddress {ipaddress.ip_address(octets)}"
        except ValueError:
            return f"iPAddress {octets.hex()}"
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes):
        return f"{form} {value[1].decode('latin-1')!r}"
    return form


def nc_check(
    names: OpenSSLNames, nc: dict, *, leaf: bool, rules: Rules = OPENSSL
) -> tuple[int, str] | None:
    """``NAME_CONSTRAINTS_check`` (and, for the leaf without a DNS SAN, ``_check_CN``) of one
    certificate against one CA's decoded nameConstraints: ``(error, which name)`` or None."""
    permitted = tuple(nc.get("permittedSubtrees") or ())
    excluded = tuple(nc.get("excludedSubtrees") or ())
    entries = sum(len(rdn) for rdn in names.subject)
    name_count = entries + len(names.altname)
    if name_count and len(permitted) + len(excluded) > NAME_CHECK_MAX // name_count:
        return UNSPECIFIED, "too many names × constraints (NAME_CHECK_MAX)"
    candidates: list[GeneralName] = []
    if entries and "directoryName" in _handled(rules):
        candidates.append(("directoryName", names.subject))
    if entries and rules.subject_email:
        for utype, data in names.subject_emails:
            if utype != _IA5:
                return UNSUPPORTED_SYNTAX, "a subject emailAddress is not an IA5String"
            candidates.append(("rfc822Name", (utype, data)))
    for gen in candidates:
        r = nc_match(gen, permitted, excluded)
        if r:
            return r, f"subject {_shown(gen)}"
    for gen in names.altname:
        r = nc_match(gen, permitted, excluded)
        if r:
            return r, f"SAN {_shown(gen)}"
    if leaf and rules.subject_cn and not names.has_dns_san:
        for cn in names.common_names:
            if cn is None:
                return UNSPECIFIED, "a subject CN cannot be converted to UTF-8"
            dnsid, bad = cn2dnsid(cn)
            if bad:
                return UNSUPPORTED_SYNTAX, "a subject CN has an embedded NUL"
            if not dnsid:
                continue
            gen = ("dNSName", (_IA5, dnsid))
            r = nc_match(gen, permitted, excluded)
            if r:
                return r, f"subject CN {dnsid.decode('latin-1')!r} (as a DNS name)"
    return None


def _handled(rules: Rules) -> set[str]:
    return {form for form, tag in _FORM_TAG.items() if tag in rules.handled_forms}


def cn2dnsid(cn: bytes) -> tuple[bytes, bool]:
    """``cn2dnsid``: (the CN if it looks like a host name of two or more labels, else b"";
    whether it has an embedded NUL, which OpenSSL refuses with error 53)."""
    while cn.endswith(b"\0"):
        cn = cn[:-1]
    if b"\0" in cn:
        return b"", True
    isdns = False
    n = len(cn)
    for i, c in enumerate(cn):
        if 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A or 0x30 <= c <= 0x39 or c == 0x5F:
            continue
        if 0 < i < n - 1:
            if c == 0x2D:
                continue
            if c == 0x2E and cn[i + 1] != 0x2E and cn[i - 1] != 0x2D and cn[i + 1] != 0x2D:
                isdns = True
                continue
        isdns = False
        break
    return (cn if isdns else b""), False


def check_chain(
    chain: Sequence[tuple[OpenSSLNames, dict | None, bool]], rules: Rules = OPENSSL
) -> tuple[int, int, int, str] | None:
    """x509_vfy.c ``check_name_constraints``: for each certificate from the top down (a
    self-issued one is skipped unless it is the leaf), the constraints of every certificate
    above it, top first. Entries are (names, decoded nameConstraints or None, self-issued),
    leaf first. Returns the first ``(error, depth of the named certificate, depth of the
    CA, why)`` or None."""
    num = len(chain)
    for i in range(num - 1, -1, -1):
        names, _nc, self_issued = chain[i]
        if i != 0 and self_issued:
            continue
        for j in range(num - 1, i, -1):
            nc = chain[j][1]
            if nc is None:
                continue
            found = nc_check(names, nc, leaf=i == 0, rules=rules)
            if found is not None:
                return found[0], i, j, found[1]
    return None
