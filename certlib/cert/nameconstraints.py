"""Name constraints (RFC 5280 §4.2.1.10): parse a nameConstraints extension and the names a
certificate claims, and check a chain's names against its CAs' subtrees.

Implementations agree on the outline (every name of a form a CA constrains must lie in one of
its permitted subtrees and in none of its excluded ones, applied to every certificate below the
CA) and differ in the details, so those are the fields of :class:`Rules`: whether a dNSName
constraint with a leading period means "subdomains only", whether an rfc822Name domain
constraint also covers subdomains, whether the subject CN or emailAddress counts as a name,
how a wildcard SAN meets an excluded subtree, and which name forms the implementation can
check at all. :data:`GO` is ``crypto/x509``'s (``constraints.go`` ``checkChainConstraints``,
``parser.go`` ``parseNameConstraintsExtension``); :data:`RFC5280` is the RFC's own reading
(§4.2.1.10: dNSName by added labels, rfc822Name mailbox / host / ``.domain``, URI host exact or
``.domain``, iPAddress with mask, directoryName as a leading run of RDNs, the subject's
emailAddress checked as an rfc822Name); :data:`WINDOWS` is CryptoAPI's as far as Microsoft
documents it (the RFC's matching, [unverified] in the details); other profiles add their own
``Rules``.

Pure: DER in, answers out; nothing is kept between calls.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from certlib.cert import der, general_names

__all__ = [
    "GO",
    "OPENSSL",
    "RFC5280",
    "WINDOWS",
    "NameConstraintError",
    "NameConstraints",
    "Names",
    "Rules",
    "Subtrees",
    "check",
    "has_subtree_bounds",
    "parse_name_constraints",
    "parse_san",
    "subject_names",
]

#: GeneralName tags (context-specific, primitive unless noted).
OTHER_NAME, RFC822, DNS, X400, DIRECTORY, EDI, URI, IP, RID = (
    0xA0,
    0x81,
    0x82,
    0xA3,
    0xA4,
    0xA5,
    0x86,
    0x87,
    0x88,
)
_FORM = {
    OTHER_NAME: "otherName",
    RFC822: "rfc822Name",
    DNS: "dNSName",
    X400: "x400Address",
    DIRECTORY: "directoryName",
    EDI: "ediPartyName",
    URI: "uniformResourceIdentifier",
    IP: "iPAddress",
    RID: "registeredID",
}


class NameConstraintError(ValueError):
    """The implementation refuses the extension or a name outright (a parse failure)."""


@dataclass(frozen=True)
class Rules:
    """What differs between implementations (see the module docstring)."""

    name: str
    #: ``.example.com`` as a dNSName/URI constraint matches subdomains only (Go, errata 5997).
    dns_leading_period: bool = True
    #: An rfc822Name constraint without ``@`` covers the mail domain's subdomains too (Go
    #: matches it as a DNS suffix; RFC 5280 reserves that for a leading period).
    email_domain_as_dns_suffix: bool = True
    #: An excluded ``foo.example.com`` also excludes a ``*.example.com`` SAN (Go).
    wildcard_meets_excluded_parent: bool = True
    #: The subject's CN / emailAddress count as names (Go: never).
    subject_cn: bool = False
    subject_email: bool = False
    #: Name forms whose constraints the implementation can check; a constraint of another
    #: form is "unhandled" (refused when the extension is critical, ignored otherwise).
    handled_forms: frozenset[int] = field(default_factory=lambda: frozenset({DNS, RFC822, IP, URI}))
    #: Validate claimed DNS / mail domains before matching (Go's ``domainNameValid``).
    strict_names: bool = True
    #: A URI constraint without a leading period names exactly one host (RFC 5280: "the
    #: constraint MUST be specified as a fully qualified domain name"); Go adds labels as for
    #: dNSName.
    uri_host_exact: bool = False
    #: A URI without a host or a mailbox that does not parse fails only under a constraint of
    #: its own form (RFC 5280: "Restrictions apply only when the specified name form is
    #: present"); Go refuses it whatever the constraints.
    unparsable_only_if_constrained: bool = False
    #: A constraint of a form the rules cannot check rejects a certificate that has a name of
    #: that form (RFC 5280 §4.2.1.10: "the application MUST either process the constraint or
    #: reject the certificate"); Go instead treats a critical extension with such a form as an
    #: unhandled critical extension (the caller's business).
    unhandled_named_rejects: bool = False


GO = Rules("go")

#: RFC 5280 §4.2.1.10 as written (see the module docstring). A dNSName ``.example.com`` means
#: subdomains only (the RFC gives the leading period only for URI and rfc822Name; read the same
#: way here, as errata 5997 proposes). Wildcard SANs are plain strings to the RFC: an excluded
#: ``foo.example.com`` does not exclude ``*.example.com``. The subject CN is never a name.
RFC5280 = Rules(
    "rfc5280",
    dns_leading_period=True,
    email_domain_as_dns_suffix=False,
    wildcard_meets_excluded_parent=False,
    subject_cn=False,
    subject_email=True,
    handled_forms=frozenset({DNS, RFC822, IP, URI, DIRECTORY}),
    strict_names=False,
    uri_host_exact=True,
    unparsable_only_if_constrained=True,
    unhandled_named_rejects=True,
)

#: CryptoAPI (MS docs ``CERT_TRUST_STATUS``: name constraints on dNSName, rfc822Name, URI,
#: iPAddress, directoryName and the UPN otherName; x400Address, ediPartyName, registeredID,
#: other otherNames and minimum/maximum are CERT_TRUST_HAS_NOT_SUPPORTED_NAME_CONSTRAINT).
#: How each form matches is not published: the RFC's matching is assumed [unverified]; UPN
#: constraints are not checked by certlib (the windows profile says so in a reason). The one
#: difference from the RFC rules: a constraint form CryptoAPI cannot check is reported as its
#: own status (CERT_TRUST_HAS_NOT_SUPPORTED_NAME_CONSTRAINT), not folded into the name check.
WINDOWS = replace(RFC5280, name="windows", unhandled_named_rejects=False)

#: OpenSSL 3.0 (``v3_ncons.c``), for the record of how it differs from Go: a leading-period
#: dNSName constraint means subdomains only, an rfc822Name domain matches the mail domain
#: exactly, the subject DN (directoryName), its emailAddress attributes and, for a leaf without
#: a DNS SAN, a host-name-like CN are names too, and names are not validated first. The matching
#: itself is :mod:`certlib.profiles.openssl.nameconstraints` (per-name verify errors
#: 47/48/49/51/53).
OPENSSL = Rules(
    "openssl",
    email_domain_as_dns_suffix=False,
    wildcard_meets_excluded_parent=False,
    subject_cn=True,
    subject_email=True,
    handled_forms=frozenset({DNS, RFC822, IP, URI, DIRECTORY}),
    strict_names=False,
)

#: A directoryName as RFC 5280 §7.1 compares it: RDNs in order, each a set of
#: (attribute OID, value) with string values case-folded and inner whitespace collapsed.
DistinguishedName = tuple[frozenset[tuple[str, str]], ...]


@dataclass(frozen=True)
class Subtrees:
    dns: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    ip: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    uri: tuple[str, ...] = ()
    #: Forms present that the rules do not handle (GeneralName tags).
    other: tuple[int, ...] = ()
    #: directoryName subtrees (only when the rules handle that form).
    dirs: tuple[DistinguishedName, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.dns or self.email or self.ip or self.uri or self.other or self.dirs)


@dataclass(frozen=True)
class NameConstraints:
    permitted: Subtrees
    excluded: Subtrees

    @property
    def unhandled(self) -> tuple[str, ...]:
        """Names of the constraint forms the rules could not use."""
        tags = dict.fromkeys((*self.permitted.other, *self.excluded.other))
        return tuple(_FORM.get(t, f"[{t & 0x1F}]") for t in tags)


@dataclass(frozen=True)
class Names:
    """The names a SAN claims, by form (text as stored; IPs as octets)."""

    dns: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    ip: tuple[bytes, ...] = ()
    uri: tuple[str, ...] = ()
    other: tuple[int, ...] = ()
    #: directoryNames: the SAN's, plus the subject's when the caller folds it in
    #: (:func:`subject_names`).
    dirs: tuple[DistinguishedName, ...] = ()

    @property
    def understood(self) -> bool:
        """At least one dNSName, rfc822Name, iPAddress or URI (Go: else a critical SAN is
        an unhandled critical extension)."""
        return bool(self.dns or self.email or self.ip or self.uri)


def domain_valid(s: str, constraint: bool) -> bool:
    """Go ``parser.go`` ``domainNameValid``: printable ASCII labels, none empty, no trailing
    period; a constraint may start with one period. The empty string passes (as in Go)."""
    if not s:
        return True
    if s.endswith("."):
        return False
    if constraint and s.startswith("."):
        s = s[1:]
    return all(label and all(33 <= ord(c) <= 126 for c in label) for label in s.split("."))


def _ia5(value: bytes, what: str) -> str:
    if any(b > 0x7F for b in value):
        raise NameConstraintError(f"{what} is malformed (not IA5)")
    return value.decode("ascii")


def parse_mailbox(text: str) -> tuple[str, str] | None:
    """(local part, domain) of an RFC 2821 Mailbox as Go ``parseRFC2821Mailbox`` reads it."""
    if not text:
        return None
    local: list[str] = []
    i = 0
    if text[0] == '"':
        i = 1
        while True:
            if i >= len(text):
                return None
            c = text[i]
            i += 1
            if c == '"':
                break
            if c == "\\":
                if i >= len(text) or ord(text[i]) in (0, 10, 13) or ord(text[i]) > 127:
                    return None
                local.append(text[i])
                i += 1
            elif ord(c) in (10, 13, 34, 92) or ord(c) == 0 or ord(c) > 127:
                return None
            else:
                local.append(c)
    else:
        atext = set("!#$%&'*+-/=?^_`{|}~.")
        while i < len(text):
            c = text[i]
            if c == "\\":
                i += 1
                if i >= len(text):
                    return None
                local.append(text[i])
                i += 1
            elif c.isascii() and (c.isalnum() or c in atext):
                local.append(c)
                i += 1
            else:
                break
        lp = "".join(local)
        if not lp or lp[0] == "." or lp[-1] == "." or ".." in lp:
            return None
    if i >= len(text) or text[i] != "@":
        return None
    domain = text[i + 1 :]
    if not domain_valid(domain, False) or "@" in domain:
        return None
    return "".join(local), domain


def _ip_network(value: bytes) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    if len(value) not in (8, 32):
        raise NameConstraintError(f"IP constraint contained value of length {len(value)}")
    half = len(value) // 2
    addr, mask = value[:half], value[half:]
    bits = int.from_bytes(mask, "big")
    width = half * 8
    ones = bin(bits).count("1")
    if bits != ((1 << width) - 1) ^ ((1 << (width - ones)) - 1):
        raise NameConstraintError(f"IP constraint contained invalid mask {mask.hex()}")
    if half == 16 and addr[:12] == b"\x00" * 10 + b"\xff\xff":
        raise NameConstraintError("IP constraint contained IPv4-mapped IPv6 address")
    net = int.from_bytes(addr, "big") & bits
    cls = ipaddress.IPv4Network if half == 4 else ipaddress.IPv6Network
    return cls((net, ones))


def _subtrees(value: bytes, rules: Rules) -> Subtrees:
    dns: list[str] = []
    email: list[str] = []
    ips: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    uri: list[str] = []
    other: list[int] = []
    dirs: list[DistinguishedName] = []
    for tag, subtree in der.children(value):
        if tag != der.SEQUENCE:
            raise NameConstraintError("invalid NameConstraints extension")
        parts = der.children(subtree)
        if not parts:
            raise NameConstraintError("invalid NameConstraints extension")
        base_tag, base = parts[0]
        if base_tag not in rules.handled_forms:
            other.append(base_tag)
        elif base_tag == DNS:
            text = _ia5(base, "constraint value")
            if not domain_valid(text, True):
                raise NameConstraintError(f"failed to parse dnsName constraint {text!r}")
            dns.append(text)
        elif base_tag == RFC822:
            text = _ia5(base, "constraint value")
            ok = parse_mailbox(text) is not None if "@" in text else domain_valid(text, True)
            if not ok:
                raise NameConstraintError(f"failed to parse rfc822Name constraint {text!r}")
            email.append(text)
        elif base_tag == IP:
            ips.append(_ip_network(base))
        elif base_tag == URI:
            text = _ia5(base, "constraint value")
            if _is_ip(text) or not domain_valid(text, True):
                raise NameConstraintError(f"failed to parse URI constraint {text!r}")
            uri.append(text)
        elif base_tag == DIRECTORY:
            dirs.append(_dn(base))
    return Subtrees(tuple(dns), tuple(email), tuple(ips), tuple(uri), tuple(other), tuple(dirs))


#: Directory string types and how their content decodes.
_STRINGS = {0x0C: "utf-8", 0x13: "ascii", 0x14: "latin-1", 0x16: "ascii", 0x1E: "utf-16-be"}
_STRINGS[0x1C] = "utf-32-be"


def _dn(name: bytes) -> DistinguishedName:
    """A Name (its full TLV) as :data:`DistinguishedName`; NameConstraintError if malformed."""
    try:
        out = []
        for set_tag, rdn in der.children(der.unwrap(name, der.SEQUENCE)):
            if set_tag != der.SET:
                raise NameConstraintError("directoryName is malformed (an RDN is not a SET)")
            avas = set()
            for seq_tag, ava in der.children(rdn):
                parts = der.children(ava) if seq_tag == der.SEQUENCE else []
                if len(parts) != 2 or parts[0][0] != der.OID:
                    raise NameConstraintError("directoryName is malformed (bad attribute)")
                (_t, oid), (vtag, value) = parts
                avas.add((der.oid_text(oid), _dn_value(vtag, value)))
            out.append(frozenset(avas))
    except der.DerError as exc:
        raise NameConstraintError(f"directoryName is malformed ({exc})") from None
    return tuple(out)


def _dn_emails(name: bytes) -> tuple[str, ...]:
    """The emailAddress attribute values of a Name, as written (IA5 text)."""
    out = []
    for _s, rdn in der.children(der.unwrap(name, der.SEQUENCE)):
        for _q, ava in der.children(rdn):
            parts = der.children(ava)
            if len(parts) == 2 and der.oid_text(parts[0][1]) == EMAIL_ADDRESS:
                out.append(_ia5(parts[1][1], "subject emailAddress"))
    return tuple(out)


def _dn_value(tag: int, value: bytes) -> str:
    codec = _STRINGS.get(tag)
    if codec is None:
        return f"#{tag:02x}{value.hex()}"
    try:
        text = value.decode(codec)
    except UnicodeDecodeError:
        return f"#{tag:02x}{value.hex()}"
    return " ".join(text.split()).casefold()


def _dn_text(dn: DistinguishedName) -> str:
    return ",".join("+".join(f"{o}={v}" for o, v in sorted(rdn)) for rdn in dn) or "(empty)"


def has_subtree_bounds(value: bytes) -> bool:
    """Does a GeneralSubtree carry ``minimum`` ≠ 0 or a ``maximum``? (RFC 5280: "minimum
    MUST be zero, and maximum MUST be absent"; CryptoAPI: not supported.) False when the
    extension does not parse (that is :func:`parse_name_constraints`' error to report)."""
    try:
        for _tag, trees in der.children(der.unwrap(value, der.SEQUENCE)):
            for _t, subtree in der.children(trees):
                for tag, field_value in der.children(subtree)[1:]:
                    if tag == 0x81 or (tag == 0x80 and der.parse_int(field_value) != 0):
                        return True
    except der.DerError:
        return False
    return False


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def parse_name_constraints(value: bytes, rules: Rules = GO) -> NameConstraints:
    """The extension's subtrees; :class:`NameConstraintError` for what ``rules`` refuse."""
    try:
        fields = dict(der.children(der.unwrap(value, der.SEQUENCE)))
        if set(fields) - {0xA0, 0xA1}:
            raise NameConstraintError("invalid NameConstraints extension")
        permitted = _subtrees(fields.get(0xA0, b""), rules)
        excluded = _subtrees(fields.get(0xA1, b""), rules)
    except der.DerError as exc:
        raise NameConstraintError(f"invalid NameConstraints extension ({exc})") from None
    if not fields.get(0xA0) and not fields.get(0xA1):
        raise NameConstraintError("empty name constraints extension")
    return NameConstraints(permitted, excluded)


def parse_san(value: bytes, strict: bool = True) -> Names:
    """The SAN's names; :class:`NameConstraintError` for what Go's ``parseSANExtension``
    refuses (non-IA5 text, an IP of odd length, an IPv4-mapped IPv6 address, a URI whose
    host is not a valid domain). ``strict=False`` refuses only what cannot be read at all
    (non-IA5 text, an IP of odd length, a malformed directoryName); directoryNames are kept
    in ``dirs`` (and not counted in ``other``) either way."""
    dns: list[str] = []
    email: list[str] = []
    ips: list[bytes] = []
    uris: list[str] = []
    other: list[int] = []
    dirs: list[DistinguishedName] = []
    try:
        items = general_names.entries(value)
    except der.DerError as exc:
        raise NameConstraintError(f"invalid subject alternative names ({exc})") from None
    for tag, data in items:
        if tag == RFC822:
            email.append(_ia5(data, "SAN rfc822Name"))
        elif tag == DNS:
            dns.append(_ia5(data, "SAN dNSName"))
        elif tag == URI:
            text = _ia5(data, "SAN uniformResourceIdentifier")
            host = _uri_host(text)
            if strict and host and not domain_valid(host, False):
                raise NameConstraintError(f"cannot parse URI {text!r}: invalid domain")
            uris.append(text)
        elif tag == IP:
            if len(data) not in (4, 16):
                raise NameConstraintError(f"cannot parse IP address of length {len(data)}")
            mapped = len(data) == 16 and data[:12] == b"\x00" * 10 + b"\xff\xff"
            if strict and mapped:
                raise NameConstraintError("SAN iPAddress contains IPv4-mapped IPv6 address")
            ips.append(data)
        elif tag == DIRECTORY:
            try:
                dirs.append(_dn(data))
            except NameConstraintError:
                other.append(tag)  # unreadable: left to the caller, as Go leaves it
        else:
            other.append(tag)
    return Names(tuple(dns), tuple(email), tuple(ips), tuple(uris), tuple(other), tuple(dirs))


#: PKCS #9 emailAddress, the subject attribute RFC 5280 §4.2.1.10 checks as an rfc822Name.
EMAIL_ADDRESS = "1.2.840.113549.1.9.1"


def subject_names(names: Names | None, subject: bytes, rules: Rules) -> Names | None:
    """``names`` (the SAN's, None without one) with the subject folded in as ``rules`` say:
    the subject DN as a directoryName when the rules handle that form (and it is not empty),
    its emailAddress attributes as rfc822Names (``rules.subject_email``). None when nothing
    is left to check. :class:`NameConstraintError` for a subject that does not parse."""
    base = names or Names()
    dn = _dn(subject)
    dirs = base.dirs
    emails = base.email
    if DIRECTORY in rules.handled_forms and dn:
        dirs = (dn, *dirs)
    if rules.subject_email:
        emails = (*emails, *_dn_emails(subject))
    if names is None and not dirs and not emails:
        return None
    return Names(base.dns, emails, base.ip, base.uri, base.other, dirs)


def _uri_host(uri: str) -> str:
    """The URI's host[:port] as Go's ``url.URL.Host`` holds it ('' when there is none)."""
    try:
        return urlsplit(uri).netloc.rpartition("@")[2]
    except ValueError:
        return ""


def _dns_suffix(constraint: str, name: str, rules: Rules) -> bool:
    """Go ``dnsHasSuffix``: a label-wise, case-insensitive suffix; ``.x`` only below x."""
    if not constraint:
        return True
    c, n = constraint.lower(), name.lower()
    if len(c) > len(n) or not n.endswith(c):
        return False
    if c[0] == "." and not rules.dns_leading_period:
        c = c[1:]
    return c[0] == "." or len(n) == len(c) or n[len(n) - len(c) - 1] == "."


def _dns_hit(constraints: tuple[str, ...], name: str, excluded: bool, rules: Rules) -> str | None:
    for c in constraints:
        if _dns_suffix(c, name, rules):
            return c
    if excluded and rules.wildcard_meets_excluded_parent and name.startswith("*"):
        parent = _first_label_trimmed(name.lower())
        for c in constraints:
            if parent and _first_label_trimmed(c.lower()) == parent:
                return c
    return None


def _first_label_trimmed(name: str) -> str:
    dot = name.find(".")
    return "" if dot < 0 else name[dot:]


def _email_hit(
    constraints: tuple[str, ...], mailbox: tuple[str, str], excluded: bool, rules: Rules
) -> str | None:
    local, domain = mailbox
    for c in constraints:
        if "@" in c:
            parsed = parse_mailbox(c)
            if parsed is not None and parsed[0] == local and parsed[1].lower() == domain:
                return c
    domains = tuple(c for c in constraints if "@" not in c)
    if not rules.email_domain_as_dns_suffix:
        # RFC 5280: "example.com" is that host exactly, ".example.com" any host below it
        for c in domains:
            low = c.lower()
            if low.startswith(".") and domain.endswith(low) and len(domain) > len(low):
                return c
            if not low.startswith(".") and low == domain:
                return c
        return None
    return _dns_hit(domains, domain, excluded, rules) if domains else None


def _uri_hit(constraints: tuple[str, ...], host: str, excluded: bool, rules: Rules) -> str | None:
    if not rules.uri_host_exact:
        return _dns_hit(constraints, host, excluded, rules)
    for c in constraints:
        low = c.lower()
        if low.startswith("."):
            if host.endswith(low) and len(host) > len(low):
                return c
        elif low == host:
            return c
    return None


def _dir_hit(constraints: tuple[DistinguishedName, ...], dn: DistinguishedName) -> str | None:
    """RFC 5280 §4.2.1.10: a name is in a directoryName subtree when the subtree's RDNs
    are the name's leading RDNs."""
    for c in constraints:
        if len(c) <= len(dn) and dn[: len(c)] == c:
            return _dn_text(c)
    return None


def _ip_hit(
    nets: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...], octets: bytes
) -> str | None:
    ip = ipaddress.ip_address(octets)
    return next((str(n) for n in nets if n.version == ip.version and ip in n), None)


def _check_one(
    kind: str,
    shown: str,
    permitted: tuple,
    excluded: tuple,
    hit,
) -> str | None:
    if permitted and hit(permitted, False) is None:
        return f"{kind} {shown!r} is not permitted by any constraint"
    if excluded:
        c = hit(excluded, True)
        if c is not None:
            return f"{kind} {shown!r} is excluded by constraint {c!r}"
    return None


def _violation(names: Names, nc: NameConstraints, rules: Rules) -> str | None:
    """Go ``checkChainConstraints``: URIs and mail addresses must parse, then
    ``chainConstraints.check`` tries IPs, DNS names, URIs, mail addresses in that order."""
    p, x = nc.permitted, nc.excluded
    if rules.unhandled_named_rejects:
        forms = set(p.other) | set(x.other)
        named = [t for t in names.other if t in forms]
        if named:
            form = _FORM.get(named[0], f"[{named[0] & 0x1F}]")
            return (
                f"a {form} constraint cannot be checked and the certificate has a {form} "
                "name: the application MUST either process the constraint or reject"
            )
    hosts: list[tuple[str, str]] = []
    uri_constrained = not rules.unparsable_only_if_constrained or bool(p.uri or x.uri)
    for uri in names.uri:
        host = _uri_host(uri).lower()
        if ":" in host and not host.endswith("]"):
            host = host.rpartition(":")[0]
        if not uri_constrained:
            continue
        if not host:
            return f"URI with empty host ({uri!r}) cannot be matched against constraints"
        if _is_ip(host) or (host.startswith("[") and host.endswith("]")):
            return f"URI with IP ({uri!r}) cannot be matched against constraints"
        hosts.append((uri, host))
    mailboxes: list[tuple[str, tuple[str, str]]] = []
    email_constrained = not rules.unparsable_only_if_constrained or bool(p.email or x.email)
    for email in names.email if email_constrained else ():
        parsed = parse_mailbox(email)
        if parsed is None:
            return f"cannot parse rfc822Name {email!r}"
        mailboxes.append((email, (parsed[0], parsed[1].lower())))
    for octets in names.ip:
        shown = str(ipaddress.ip_address(octets))
        why = _check_one("IP address", shown, p.ip, x.ip, lambda cs, _e, o=octets: _ip_hit(cs, o))
        if why:
            return why
    for name in names.dns:
        if rules.strict_names and not domain_valid(name, False):
            return f"cannot parse dnsName {name!r}"
        why = _check_one(
            "DNS name", name, p.dns, x.dns, lambda cs, e, n=name: _dns_hit(cs, n, e, rules)
        )
        if why:
            return why
    for uri, host in hosts:
        why = _check_one("URI", uri, p.uri, x.uri, lambda cs, e, h=host: _uri_hit(cs, h, e, rules))
        if why:
            return why
    for email, mailbox in mailboxes:
        why = _check_one(
            "email address",
            email,
            p.email,
            x.email,
            lambda cs, e, m=mailbox: _email_hit(cs, m, e, rules),
        )
        if why:
            return why
    for dn in names.dirs:
        why = _check_one(
            "directoryName", _dn_text(dn), p.dirs, x.dirs, lambda cs, _e, d=dn: _dir_hit(cs, d)
        )
        if why:
            return why
    return None


def check(
    chain: list[tuple[Names | None, NameConstraints | None]], rules: Rules = GO
) -> tuple[int, int, str] | None:
    """The first violation on a chain, leaf first: ``(position of the named certificate,
    position of the constraining CA, why)``, or None.

    Each entry is (the certificate's SAN names, ``None`` without a SAN extension; its name
    constraints or ``None``). Constraints of the certificate at position k apply to the
    names of every certificate below it (positions < k); a certificate without a SAN is not
    checked (with ``rules.subject_cn`` / ``subject_email`` the caller folds those into
    ``Names``).
    """
    for i, (names, _own) in enumerate(chain):
        if names is None:
            continue
        for k in range(i + 1, len(chain)):
            nc = chain[k][1]
            if nc is None:
                continue
            why = _violation(names, nc, rules)
            if why is not None:
                return i, k, why
    return None
