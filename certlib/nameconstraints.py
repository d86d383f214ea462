"""Name constraints (RFC 5280 §4.2.1.10): parse a nameConstraints extension and the names a
certificate claims, and check a chain's names against its CAs' subtrees.

Implementations agree on the outline (every name of a form a CA constrains must lie in one of
its permitted subtrees and in none of its excluded ones, applied to every certificate below the
CA) and differ in the details, so those are the fields of :class:`Rules`: whether a dNSName
constraint with a leading period means "subdomains only", whether an rfc822Name domain
constraint also covers subdomains, whether the subject CN or emailAddress counts as a name,
how a wildcard SAN meets an excluded subtree, and which name forms the implementation can
check at all. :data:`GO` is ``crypto/x509``'s (``constraints.go`` ``checkChainConstraints``,
``parser.go`` ``parseNameConstraintsExtension``); other profiles add their own ``Rules``.

Pure: DER in, answers out; nothing is kept between calls.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from certlib import der

__all__ = [
    "GO",
    "OPENSSL",
    "NameConstraintError",
    "NameConstraints",
    "Names",
    "Rules",
    "Subtrees",
    "check",
    "parse_name_constraints",
    "parse_san",
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


GO = Rules("go")

#: OpenSSL 3.0 (``v3_ncons.c``), for the record of how it differs from Go: a leading-period
#: dNSName constraint means subdomains only, an rfc822Name domain matches the mail domain
#: exactly, the subject DN (directoryName), its emailAddress attributes and, for a leaf without
#: a DNS SAN, a host-name-like CN are names too, and names are not validated first. The matching
#: itself is :mod:`certlib.nameconstraints_openssl` (per-name verify errors 47/48/49/51/53).
OPENSSL = Rules(
    "openssl",
    email_domain_as_dns_suffix=False,
    wildcard_meets_excluded_parent=False,
    subject_cn=True,
    subject_email=True,
    handled_forms=frozenset({DNS, RFC822, IP, URI, DIRECTORY}),
    strict_names=False,
)


@dataclass(frozen=True)
class Subtrees:
    dns: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    ip: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    uri: tuple[str, ...] = ()
    #: Forms present that the rules do not handle (GeneralName tags).
    other: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.dns or self.email or self.ip or self.uri or self.other)


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
    return Subtrees(tuple(dns), tuple(email), tuple(ips), tuple(uri), tuple(other))


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


def parse_san(value: bytes) -> Names:
    """The SAN's names; :class:`NameConstraintError` for what Go's ``parseSANExtension``
    refuses (non-IA5 text, an IP of odd length, an IPv4-mapped IPv6 address, a URI whose
    host is not a valid domain)."""
    dns: list[str] = []
    email: list[str] = []
    ips: list[bytes] = []
    uris: list[str] = []
    other: list[int] = []
    try:
        items = der.children(der.unwrap(value, der.SEQUENCE))
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
            if host and not domain_valid(host, False):
                raise NameConstraintError(f"cannot parse URI {text!r}: invalid domain")
            uris.append(text)
        elif tag == IP:
            if len(data) not in (4, 16):
                raise NameConstraintError(f"cannot parse IP address of length {len(data)}")
            if len(data) == 16 and data[:12] == b"\x00" * 10 + b"\xff\xff":
                raise NameConstraintError("SAN iPAddress contains IPv4-mapped IPv6 address")
            ips.append(data)
        else:
            other.append(tag)
    return Names(tuple(dns), tuple(email), tuple(ips), tuple(uris), tuple(other))


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
        return next((c for c in domains if c.lower() == domain), None)
    return _dns_hit(domains, domain, excluded, rules) if domains else None


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
    hosts: list[tuple[str, str]] = []
    for uri in names.uri:
        host = _uri_host(uri).lower()
        if not host:
            return f"URI with empty host ({uri!r}) cannot be matched against constraints"
        if ":" in host and not host.endswith("]"):
            host = host.rpartition(":")[0]
        if _is_ip(host) or (host.startswith("[") and host.endswith("]")):
            return f"URI with IP ({uri!r}) cannot be matched against constraints"
        hosts.append((uri, host))
    mailboxes: list[tuple[str, tuple[str, str]]] = []
    for email in names.email:
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
        why = _check_one("URI", uri, p.uri, x.uri, lambda cs, e, h=host: _dns_hit(cs, h, e, rules))
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
