"""Helpers the rfc5280, go and windows profiles share: collecting reasons, naming, host names.

Kept free of pandas and of extension re-parsing: everything purpose-related comes from
:func:`certlib.cert.facts.facts`; only host-name matching reads the SAN through ``cryptography``.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Iterator

from cryptography import x509

from certlib.cert import der
from certlib.cert.chain import CandidateRule, describe, is_issuer_candidate, iter_paths
from certlib.cert.facts import CertFacts, facts
from certlib.core.oids import EXT, eku, extension
from certlib.core.verdicts import Context, Purpose, Reason, Verdict

__all__ = [
    "SEVERITY",
    "Decision",
    "eku_names",
    "ext_names",
    "first_good_path",
    "host_name_check",
    "issuers",
    "match_hostname",
    "san_names",
]

#: How bad an outcome is; a verdict takes the worst outcome any rule produced.
SEVERITY: dict[str, int] = {"allowed": 0, "warning": 1, "n/a": 2, "denied": 3, "invalid": 4}


class Decision:
    """Reasons collected in evaluation order; the outcome is the worst one any rule produced.

    The reason that first produced the final outcome is moved last, so ``Verdict.summary``
    (the last reason) names the rule that decided.
    """

    __slots__ = ("_decisive", "outcome", "profile", "purpose", "reasons")

    def __init__(self, purpose: Purpose, profile: str) -> None:
        self.purpose = purpose
        self.profile = profile
        self.reasons: list[Reason] = []
        self.outcome = "allowed"
        self._decisive: int | None = None

    def note(self, rule: str, text: str, source: str) -> None:
        """A step that allows (or merely explains)."""
        self.reasons.append(Reason(rule, text, source))

    def fail(self, outcome: str, rule: str, text: str, source: str) -> None:
        """A step that denies or invalidates."""
        self.reasons.append(Reason(rule, text, source))
        if SEVERITY[outcome] > SEVERITY[self.outcome]:
            self.outcome = outcome
            self._decisive = len(self.reasons) - 1

    def add(self, outcome: str, reason: Reason) -> None:
        if outcome == "allowed":
            self.reasons.append(reason)
        else:
            self.fail(outcome, reason.rule, reason.text, reason.source)

    @property
    def failed(self) -> bool:
        return self.outcome != "allowed"

    def verdict(self) -> Verdict:
        reasons = self.reasons
        if self._decisive is not None and self._decisive != len(reasons) - 1:
            reasons = [*reasons]
            reasons.append(reasons.pop(self._decisive))
        return Verdict(self.purpose, self.profile, self.outcome, tuple(reasons))


Path = tuple[x509.Certificate, ...]


def first_good_path(
    d: Decision,
    cert: x509.Certificate,
    ctx: Context,
    problems_of: Callable[[Path], list[Reason]],
    candidate: CandidateRule = is_issuer_candidate,
) -> tuple[tuple[Path, ...], Path | None]:
    """Try each candidate path to ``ctx.roots`` in turn, as a path builder does.

    ``candidate`` is the profile's issuer-candidate rule (:func:`certlib.cert.chain.iter_paths`).

    Returns (the candidate paths, the first one ``problems_of`` finds nothing wrong with).
    Without any path, every dead end is added as ``denied``; when every path has problems,
    those of the first path are. The caller notes the good path (or what else it wants said).
    """
    paths, dead_ends = iter_paths(
        cert, ctx.intermediates, ctx.roots, at=ctx.when, candidate=candidate
    )
    if not paths:
        for reason in dead_ends:
            d.add("denied", reason)
        return paths, None
    first: list[Reason] | None = None
    for path in paths:
        problems = problems_of(path)
        if not problems:
            return paths, path
        if first is None:
            first = problems
    assert first is not None
    for reason in first:
        d.add("denied", reason)
    return paths, None


def issuers(path: Path) -> Iterator[tuple[int, CertFacts, str, str]]:
    """(position j, facts, role, who) of each certificate above the leaf, in path order.

    ``role`` is ``"root"`` for the last certificate and ``"intermediate"`` otherwise; ``who``
    is the role followed by :func:`certlib.cert.chain.describe`.
    """
    n = len(path)
    for j in range(1, n):
        cert = path[j]
        role = "root" if j == n - 1 else "intermediate"
        yield j, facts(cert), role, f"{role} {describe(cert)}"


def host_name_check(
    d: Decision, cert: x509.Certificate, purpose: Purpose, ctx: Context, source: str, suffix: str
) -> None:
    """``name.match`` or a denying ``name.mismatch`` for ``ctx.hostname`` (TLS server only).

    The mismatch text is :func:`match_hostname`'s explanation followed by ``suffix``.
    """
    if ctx.hostname and purpose is Purpose.TLS_SERVER:
        matched, text = match_hostname(cert, ctx.hostname)
        if matched:
            d.note("name.match", text, source)
        else:
            d.fail("denied", "name.mismatch", text + suffix, source)


def eku_names(oids: tuple[str, ...]) -> str:
    """``serverAuth, clientAuth`` (RFC names; unknown OIDs dotted)."""
    return _eku_names(oids if isinstance(oids, tuple) else tuple(oids))


@functools.lru_cache(maxsize=1024)
def _eku_names(oids: tuple[str, ...]) -> str:
    return ", ".join(eku(o).short_name for o in oids) if oids else "(none)"


def ext_names(oids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"{extension(o).name} ({o})" for o in oids)


def _dns_match(pattern: str, host: str) -> bool:
    """RFC 6125 §6.4.3: case-insensitive; ``*`` only as the whole left-most label."""
    pattern = pattern.lower().rstrip(".")
    p_labels = pattern.split(".")
    h_labels = host.split(".")
    if len(p_labels) != len(h_labels) or not all(h_labels):
        return False
    if p_labels[0] == "*":
        return len(p_labels) > 2 and p_labels[1:] == h_labels[1:]
    return p_labels == h_labels


def san_names(cert: x509.Certificate) -> tuple[list[str], list[bytes]] | None:
    """(dNSName entries, iPAddress octets) read from the raw SAN; ``None`` if there is no SAN.

    Read with :mod:`certlib.cert.der`, not ``cert.extensions``: cryptography refuses *every*
    extension of a certificate as soon as one (e.g. an empty EKU) is malformed.
    Raises :class:`certlib.cert.der.DerError` for an undecodable SAN.
    """
    ext = facts(cert).extension(EXT.SUBJECT_ALTERNATIVE_NAME.oid)
    if ext is None:
        return None
    dns: list[str] = []
    ips: list[bytes] = []
    for tag, value in der.children(der.unwrap(ext.value, der.SEQUENCE)):
        if tag == 0x82:  # [2] IA5String dNSName
            dns.append(value.decode("ascii", "replace"))
        elif tag == 0x87:  # [7] OCTET STRING iPAddress
            ips.append(value)
    return dns, ips


def host_and_ip(
    hostname: str,
) -> tuple[str, ipaddress.IPv4Address | ipaddress.IPv6Address | None]:
    """The host as the matchers compare it (an IPv6 literal's brackets dropped) and its IP
    address when it is one: the start every profile's host matcher shares."""
    host = hostname.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return host, ipaddress.ip_address(host)
    except ValueError:
        return host, None


def match_hostname(cert: x509.Certificate, hostname: str) -> tuple[bool, str]:
    """Does the SAN name ``hostname``? Returns (matched, explanation).

    DNS names match SAN dNSName entries (wildcard only as the whole left-most label, at least
    two labels after it); IP addresses match only SAN iPAddress entries. The subject CN is not
    consulted (RFC 9525 §6.3 / RFC 6125 §6.4.4 when a SAN is present).
    """
    host, ip = host_and_ip(hostname)
    try:
        names = san_names(cert)
    except der.DerError as exc:
        return False, f"the subjectAltName cannot be decoded ({exc})"
    if names is None:
        return False, (
            f"no subjectAltName extension, so nothing can name {hostname!r} "
            "(the subject CN is not consulted)"
        )
    dns, ips = names
    if ip is not None:
        if ip.packed in ips:
            return True, f"SAN iPAddress {ip} matches {hostname!r}"
        listed = ", ".join(_ip_text(b) for b in ips) or "none"
        return False, f"{hostname!r} is an IP address; SAN iPAddress entries: {listed}"
    wanted = host.lower().rstrip(".")
    for pattern in dns:
        if _dns_match(pattern, wanted):
            return True, f"SAN dNSName {pattern!r} matches {hostname!r}"
    listed = ", ".join(dns) or "none"
    return False, f"no SAN dNSName matches {hostname!r} (dNSName entries: {listed})"


def _ip_text(octets: bytes) -> str:
    try:
        return str(ipaddress.ip_address(octets))
    except ValueError:
        return octets.hex()
