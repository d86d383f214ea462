"""Helpers the rfc5280, go and windows profiles share: paths, naming, host names (the reason
collector they decide with is :class:`certlib.core.decision.Decision`).

Kept free of pandas and of extension re-parsing: everything purpose-related comes from
:func:`certlib.cert.facts.facts`; only host-name matching reads the SAN through ``cryptography``.
Pure: nothing is kept between calls (a profile's ``judge`` shares work between purposes itself);
helpers that read facts take the run's ``memo`` (``Context.memo``) so they reuse its parses.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cryptography import x509

from certlib.cert import der
from certlib.cert.chain import CandidateRule, describe, is_issuer_candidate, iter_paths
from certlib.cert.facts import CertFacts, facts
from certlib.cert.general_names import dns_and_ips
from certlib.core.decision import Decision
from certlib.core.memo import Memo
from certlib.core.oids import EXT, eku, extension
from certlib.core.verdicts import Context, Outcome, Purpose, Reason

__all__ = [
    "RFC6125",
    "HostRules",
    "candidate_paths",
    "common_names",
    "eku_names",
    "ext_names",
    "first_good_path",
    "host_name_check",
    "issuers",
    "match_hostname",
]

Path = tuple[x509.Certificate, ...]


def candidate_paths(
    cert: x509.Certificate, ctx: Context, candidate: CandidateRule = is_issuer_candidate
) -> tuple[tuple[Path, ...], tuple[Reason, ...]]:
    """(every path from ``cert`` to ``ctx.roots``, the dead ends met), as a path builder
    finds them with the profile's issuer-candidate rule
    (:func:`certlib.cert.chain.iter_paths`): the same for every purpose.

    A profile's own ``candidate`` takes a keyword ``memo``: it is bound to ``ctx.memo`` once per
    run (the bound rule is kept in the memo, so searches memoised on it are shared by the run).
    """
    if candidate is not is_issuer_candidate:
        rule = candidate
        candidate = ctx.memo.get(
            "profiles.candidate_rule", rule, lambda: functools.partial(rule, memo=ctx.memo)
        )
    return iter_paths(
        cert, ctx.intermediates, ctx.roots, at=ctx.when, candidate=candidate, memo=ctx.memo
    )


def first_good_path(
    d: Decision,
    paths: tuple[Path, ...],
    dead_ends: tuple[Reason, ...],
    problems_of: Callable[[Path], list[Reason]],
) -> Path | None:
    """Try each candidate path (:func:`candidate_paths`) in turn, as a path builder does.

    Returns the first path ``problems_of`` finds nothing wrong with. Without any path, every
    dead end is added as ``denied``; when every path has problems, those of the first path
    are. The caller notes the good path (or what else it wants said).
    """
    if not paths:
        for reason in dead_ends:
            d.add(Outcome.DENIED, reason)
        return None
    first: list[Reason] | None = None
    for path in paths:
        problems = problems_of(path)
        if not problems:
            return path
        if first is None:
            first = problems
    assert first is not None
    for reason in first:
        d.add(Outcome.DENIED, reason)
    return None


def issuers(path: Path, memo: Memo | None = None) -> Iterator[tuple[int, CertFacts, str, str]]:
    """(position j, facts, role, who) of each certificate above the leaf, in path order.

    ``role`` is ``"root"`` for the last certificate and ``"intermediate"`` otherwise; ``who``
    is the role followed by :func:`certlib.cert.chain.describe`.
    """
    n = len(path)
    for j in range(1, n):
        cert = path[j]
        role = "root" if j == n - 1 else "intermediate"
        yield j, facts(cert, memo=memo), role, f"{role} {describe(cert, memo=memo)}"


@dataclass(frozen=True)
class HostRules:
    """Where a profile's host-name matcher departs from :data:`RFC6125`'s.

    The rfc5280, windows and webpki profiles match host names with one algorithm (an IP only
    against SAN iPAddress entries, a DNS name against SAN dNSName entries label by label, ``*``
    only as the whole left-most label); they differ in these details and in wording only.
    (Go's ``VerifyHostname`` is a different algorithm: ``validHostname``, IPv4-mapped
    addresses, exact matching for invalid names; see :func:`certlib.profiles.go.verify_hostname`.)
    """

    #: How many labels a wildcard pattern needs, ``*`` included (3: ``*.example.com``, not
    #: ``*.com``).
    wildcard_labels: int = 3
    #: Drop every trailing '.' of the host and the pattern (else only one).
    strip_all_dots: bool = True
    #: A ``*`` elsewhere than as the whole left-most label compares as a plain character (else
    #: such a pattern never matches).
    literal_star: bool = True
    #: Without a SAN dNSName, compare the subject CNs instead.
    cn_fallback: bool = False
    #: A mismatching IP address lists the SAN iPAddress entries.
    list_ips: bool = True
    #: What a mismatch without SAN says of the subject CN.
    cn_ignored: str = "the subject CN is not consulted"


#: RFC 6125 §6.4.3 as certlib reads it (the default host rules).
RFC6125 = HostRules()


def host_name_check(
    d: Decision,
    cert: x509.Certificate,
    purpose: Purpose,
    ctx: Context,
    source: str,
    suffix: str = "",
    rules: HostRules = RFC6125,
) -> None:
    """``name.match`` or a denying ``name.mismatch`` for ``ctx.hostname`` (TLS server only).

    The mismatch text is :func:`match_hostname`'s explanation followed by ``suffix``.
    """
    if ctx.hostname and purpose is Purpose.TLS_SERVER:
        matched, text = match_hostname(cert, ctx.hostname, rules, memo=ctx.memo)
        if matched:
            d.note("name.match", text, source)
        else:
            d.fail(Outcome.DENIED, "name.mismatch", text + suffix, source)


def eku_names(oids: tuple[str, ...] | list[str]) -> str:
    """``serverAuth, clientAuth`` (RFC names; unknown OIDs dotted)."""
    return ", ".join(eku(o).short_name for o in oids) if oids else "(none)"


def ext_names(oids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"{extension(o).name} ({o})" for o in oids)


def _strip_dots(name: str, every: bool) -> str:
    if every:
        return name.rstrip(".")
    return name[:-1] if name.endswith(".") else name


def _dns_match(pattern: str, host: str, rules: HostRules) -> bool:
    """``pattern`` (a dNSName or CN) names ``host`` (lower case, trailing dots stripped):
    case-insensitive, label by label, ``*`` only as the whole left-most label."""
    pattern = _strip_dots(pattern.lower(), rules.strip_all_dots)
    p_labels = pattern.split(".")
    h_labels = host.split(".")
    if len(p_labels) != len(h_labels) or not all(h_labels):
        return False
    if p_labels[0] == "*":
        return len(p_labels) >= rules.wildcard_labels and p_labels[1:] == h_labels[1:]
    if not rules.literal_star and "*" in pattern:
        return False
    return p_labels == h_labels


def common_names(f: CertFacts) -> list[str]:
    """The subject's commonName values ([] when the subject cannot be walked)."""
    out = []
    try:
        for _s, rdn in der.children(der.unwrap(f.subject_der, der.SEQUENCE)):
            for _q, ava in der.children(rdn):
                parts = der.children(ava)
                if len(parts) == 2 and der.oid_text(parts[0][1]) == "2.5.4.3":
                    out.append(parts[1][1].decode("utf-8", "replace"))
    except der.DerError:
        return []
    return out


def host_and_ip(
    hostname: str,
) -> tuple[str, ipaddress.IPv4Address | ipaddress.IPv6Address | None]:
    """The host as the matchers compare it (an IPv6 literal's brackets dropped) and its IP
    address when it is one."""
    host = hostname.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return host, ipaddress.ip_address(host)
    except ValueError:
        return host, None


def match_hostname(
    cert: x509.Certificate, hostname: str, rules: HostRules = RFC6125, *, memo: Memo | None = None
) -> tuple[bool, str]:
    """Does the SAN name ``hostname``? Returns (matched, explanation).

    IP addresses match only SAN iPAddress entries; DNS names match SAN dNSName entries
    (:class:`HostRules` says how wildcards and trailing dots count). With the default
    :data:`RFC6125` rules the subject CN is not consulted (RFC 9525 §6.3 / RFC 6125 §6.4.4
    when a SAN is present) and a wildcard needs at least two labels after it. The SAN is read
    from the raw extension (:func:`certlib.cert.general_names.dns_and_ips`), not
    ``cert.extensions``: cryptography refuses *every* extension of a certificate as soon as one
    (e.g. an empty EKU) is malformed.
    """
    host, ip = host_and_ip(hostname)
    f = facts(cert, memo=memo)
    san = f.extension(EXT.SUBJECT_ALTERNATIVE_NAME.oid)
    try:
        names = None if san is None else dns_and_ips(san.value)
    except der.DerError as exc:
        return False, f"the subjectAltName cannot be decoded ({exc})"
    if names is None and not rules.cn_fallback:
        return False, (
            f"no subjectAltName extension, so nothing can name {hostname!r} ({rules.cn_ignored})"
        )
    dns, ips = names if names is not None else ([], [])
    if ip is not None:
        if ip.packed in ips:
            return True, f"SAN iPAddress {ip} matches {hostname!r}"
        if not rules.list_ips:
            return False, f"{hostname!r} is an IP address and no SAN iPAddress equals it"
        listed = ", ".join(_ip_text(b) for b in ips) or "none"
        return False, f"{hostname!r} is an IP address; SAN iPAddress entries: {listed}"
    wanted = _strip_dots(host.lower(), rules.strip_all_dots)
    for pattern in dns:
        if _dns_match(pattern, wanted, rules):
            return True, f"SAN dNSName {pattern!r} matches {hostname!r}"
    if dns or not rules.cn_fallback:
        listed = ", ".join(dns) or "none"
        return False, f"no SAN dNSName matches {hostname!r} (dNSName entries: {listed})"
    cns = common_names(f)
    for cn in cns:
        if _dns_match(cn, wanted, rules):
            return True, (
                f"no SAN dNSName, so the subject CN {cn!r} is compared and matches "
                f"{hostname!r} ([unverified] CN fallback)"
            )
    return False, (
        f"no SAN dNSName and no subject CN matches {hostname!r} (CN: {', '.join(cns) or 'none'}; "
        "[unverified] CN fallback)"
    )


def _ip_text(octets: bytes) -> str:
    try:
        return str(ipaddress.ip_address(octets))
    except ValueError:
        return octets.hex()
