"""``openssl verify [-purpose p]`` without ``-x509_strict``: chain building and verification as
``x509_vfy.c`` does them, with OpenSSL's verify error numbers and depths.

Split in two so a profile asked about several purposes builds a path once: :func:`build_chain`
(``build_chain``: which issuers, trusted or not) reads no purpose, and :func:`check_chain`
(``check_extensions``, ``check_id``, ``internal_verify``, ``check_name_constraints``) checks a
built path for one purpose; its purpose-independent parts (signatures and validity, name
constraints) are kept in the run's memo. :func:`verify_chain` is both, the one-call form.
Checked against the binary by ``tests/oracles/test_openssl_verify.py``.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cryptography import x509

from certlib.cert.chain import describe, link_error
from certlib.cert.facts import facts
from certlib.core.instants import as_utc
from certlib.core.memo import Memo
from certlib.core.oids import EXT
from certlib.core.verdicts import Reason
from certlib.profiles.openssl.asn1 import (
    D2IError,
    canon_der,
    name_rdns,
    names_equal,
    to_utf8,
    typed,
)
from certlib.profiles.openssl.extensions import cache_extensions, sig_fits_key, tbs_algorithms
from certlib.profiles.openssl.host import check_host, check_ip
from certlib.profiles.openssl.nameconstraints import NC_ERRORS, OpenSSLNames
from certlib.profiles.openssl.nameconstraints import check_chain as _nc_check_chain
from certlib.profiles.openssl.purposes import ca_code, check_purpose, check_version, purposes

__all__ = [
    "VERIFY_ERRORS",
    "VFY",
    "BuiltChain",
    "ChainResult",
    "build_chain",
    "check_chain",
    "check_name_constraints",
    "likely_issued",
    "openssl_names",
    "policy_not_checked",
    "verify_chain",
]

#: The source every x509_vfy.c reason cites.
VFY = "OpenSSL x509_vfy.c"

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
#: The extensions that make RFC 5280 §6.1 policy processing able to fail a path.
_POLICY_CONTROLS = frozenset(
    {EXT.POLICY_CONSTRAINTS.oid, EXT.POLICY_MAPPINGS.oid, EXT.INHIBIT_ANY_POLICY.oid}
)


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


@dataclass(frozen=True)
class BuiltChain:
    """What ``build_chain`` found for a leaf, before any check: the path (leaf first) and,
    unless it ends in a trusted self-signed certificate, the error and the depth it names."""

    path: tuple[x509.Certificate, ...]
    error: int  # 0: the path ends in a trusted, self-signed certificate
    depth: int | None
    reason: Reason  # build_chain's: the path built, or why there is none

    @property
    def ok(self) -> bool:
        return self.error == 0


def likely_issued(
    issuer: x509.Certificate, subject: x509.Certificate, memo: Memo | None = None
) -> bool:
    """ossl_x509_likely_issued: names (X509_NAME_cmp), both cacheable, AKID, sig alg vs key."""
    memo = Memo() if memo is None else memo
    if not names_equal(
        facts(issuer, memo=memo).subject_der, facts(subject, memo=memo).issuer_der, memo
    ):
        return False
    vi, vs = cache_extensions(issuer, memo), cache_extensions(subject, memo)
    if vi.invalid or vs.invalid:
        return False
    if vs.akid_keyid is not None and vi.skid is not None and vs.akid_keyid != vi.skid:
        return False
    sig, _ = tbs_algorithms(subject)
    _, key = tbs_algorithms(issuer)
    return sig_fits_key(sig, key)


def _find(
    cert: x509.Certificate,
    pool: Sequence[x509.Certificate],
    chain: list[x509.Certificate],
    at: _dt.datetime,
    memo: Memo,
) -> x509.Certificate | None:
    """find_issuer: a likely issuer not already on the chain, preferring one valid at ``at``
    (and, unlike OpenSSL, one whose signature verifies)."""
    found = [c for c in pool if c not in chain and likely_issued(c, cert, memo)]
    found.sort(
        key=lambda c: (link_error(cert, c, memo=memo) is not None, _time_error(c, at) is not None)
    )
    return found[0] if found else None


def _time_error(cert: x509.Certificate, at: _dt.datetime) -> int | None:
    """ossl_x509_check_cert_time: notBefore <= at is valid, notAfter <= at is expired."""
    if cert.not_valid_before_utc > at:
        return 9
    if cert.not_valid_after_utc <= at:
        return 10
    return None


def _why_unlinked(top: x509.Certificate, pool: Sequence[x509.Certificate], memo: Memo) -> str:
    """Why no issuer was found for ``top`` when the reason is an invalid certificate."""
    if cache_extensions(top, memo).invalid:
        return (
            f" — {describe(top, memo=memo)} is invalid (EXFLAG_INVALID), so "
            "ossl_x509_likely_issued cannot link it to any issuer"
        )
    issuer_der = facts(top, memo=memo).issuer_der
    for c in pool:
        if cache_extensions(c, memo).invalid and names_equal(
            facts(c, memo=memo).subject_der, issuer_der, memo
        ):
            return (
                f" — its issuer {describe(c, memo=memo)} is invalid (EXFLAG_INVALID), so "
                "ossl_x509_likely_issued rejects it as an issuer"
            )
    return ""


_CN = x509.NameOID.COMMON_NAME.dotted_string
_EMAIL_ADDRESS = x509.NameOID.EMAIL_ADDRESS.dotted_string


def openssl_names(cert: x509.Certificate, memo: Memo | None = None) -> OpenSSLNames:
    """What OpenSSL's name checks read of ``cert``: the canonical subject, its emailAddress
    and CN values (CNs in UTF-8, ``None`` where ASN1_STRING_to_UTF8 fails) and the SAN."""
    if memo is None:
        return _openssl_names(cert, Memo())
    return memo.get("openssl.names", cert, lambda: _openssl_names(cert, memo))


def _openssl_names(cert: x509.Certificate, memo: Memo) -> OpenSSLNames:
    subject_der = facts(cert, memo=memo).subject_der
    entries = [e for rdn in name_rdns(subject_der) for e in rdn]
    emails = tuple(typed(e["value"]) for e in entries if e["object"] == _EMAIL_ADDRESS)
    cns: list[bytes | None] = []
    for e in entries:
        if e["object"] == _CN:
            try:
                cns.append(to_utf8(*typed(e["value"])))
            except (D2IError, UnicodeError):
                cns.append(None)
    subject = canon_der(subject_der, memo) or ()
    return OpenSSLNames(subject, emails, tuple(cns), cache_extensions(cert, memo).altname or ())


def check_name_constraints(
    path: Sequence[x509.Certificate], memo: Memo | None = None
) -> tuple[int, int, int, str] | None:
    """x509_vfy.c ``check_name_constraints`` over a built path (leaf first): the first
    ``(error, depth named, depth of the constraining CA, why)``, or None."""
    memo = Memo() if memo is None else memo
    views = [cache_extensions(c, memo) for c in path]
    if not any(v.name_constraints for v in views[1:]):
        return None
    return _nc_check_chain(
        [
            (openssl_names(c, memo), v.name_constraints, v.self_issued)
            for c, v in zip(path, views, strict=True)
        ]
    )


def _ip_octets(host: str) -> bytes | None:
    try:
        return ipaddress.ip_address(host).packed
    except ValueError:
        return None


#: How a check reports an error: ``fail(code, depth, text, where)``; the first one wins.
_Fail = Callable[[int, int, str, str], None]


def _check_id(leaf: x509.Certificate, hostname: str, fail: _Fail, memo: Memo) -> None:
    """x509_vfy.c check_id: ``-verify_hostname`` (X509_check_host, no flags) or, for an IP
    address literal, ``-verify_ip`` (X509_check_ip), as ``SSL_set1_host`` chooses."""
    octets = _ip_octets(hostname)
    v = cache_extensions(leaf, memo)
    if octets is not None:
        ok, why = check_ip(v.altname, octets)
        if not ok:
            fail(64, 0, f"IP address {hostname}: {why}", "check_id (v3_utl.c X509_check_ip)")
        return
    ok, why = check_host(v.altname, openssl_names(leaf, memo).common_names, hostname)
    if not ok:
        fail(62, 0, why, "check_id (v3_utl.c X509_check_host)")


def _internal_verify(
    path: tuple[x509.Certificate, ...], at: _dt.datetime, *, memo: Memo | None = None
) -> tuple[int, int, str, str] | None:
    """internal_verify: from the trust anchor down, the signature of each certificate by the
    next, then its times; the first failure ``(error, depth, text, where)``, or None."""
    num = len(path)
    for n in range(num - 1, -1, -1):
        xs, xi = path[n], path[min(n + 1, num - 1)]
        if xs is not xi and link_error(xs, xi, memo=memo) is not None:
            return (
                7,
                n,
                f"depth {n} {describe(xs, memo=memo)}: signature does not verify",
                "internal_verify",
            )
        t = _time_error(xs, at)
        if t is not None:
            when = xs.not_valid_before_utc if t == 9 else xs.not_valid_after_utc
            return (
                t,
                n,
                f"depth {n} {describe(xs, memo=memo)}: {'notBefore' if t == 9 else 'notAfter'} "
                f"{when:%Y-%m-%d %H:%M:%SZ}, checked at {at:%Y-%m-%d %H:%M:%SZ}",
                "internal_verify",
            )
    return None


def build_chain(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    roots: Sequence[x509.Certificate],
    *,
    at: _dt.datetime | None = None,
    memo: Memo | None = None,
) -> BuiltChain:
    """x509_vfy.c build_chain: trusted issuers first; once a trusted certificate has joined,
    only trusted issuers. Errors 2/20 (no issuer) and 18/19 (an untrusted self-signed top)
    are found here; the path reads no purpose and no host name."""
    at = as_utc(at)
    memo = Memo() if memo is None else memo
    roots, intermediates = tuple(roots), tuple(intermediates)
    chain = [leaf]
    ss_top = False
    joined = False  # a certificate from the trust store has joined the chain (as an issuer)
    while True:
        top = chain[-1]
        vt = cache_extensions(top, memo)
        if vt.valid and vt.self_signed:
            ss_top = True
            break
        if len(chain) > _MAX_CHAIN:
            break
        issuer = _find(top, roots, chain, at, memo)
        if issuer is not None:
            joined = True
        elif not joined:  # build_chain: no untrusted issuer once a trusted one has joined
            issuer = _find(top, intermediates, chain, at, memo)
        if issuer is None:
            break
        chain.append(issuer)
    trusted = chain[-1] in roots and (joined or ss_top)
    path = tuple(chain)
    names = " → ".join(describe(c, memo=memo) for c in path)
    if trusted and ss_top:
        return BuiltChain(
            path,
            0,
            None,
            Reason("openssl.verify.path", f"chain built: {names}", f"{VFY} build_chain"),
        )
    depth = len(chain) - 1
    if ss_top:  # noqa: SIM108 (the two build_chain outcomes read better apart)
        error = 18 if len(chain) == 1 else 19
    else:
        error = 2 if joined else 20
    why = _why_unlinked(chain[-1], (*roots, *intermediates), memo)
    if error == 2 and not ss_top and not why:
        why = (
            f" — {describe(chain[-1], memo=memo)} came from the trusted certificates, and once a "
            "trusted certificate has joined the chain build_chain looks for its issuer among "
            "the trusted ones only (the untrusted pool is no longer searched; a chain "
            "ending below a self-signed root is trusted only with -partial_chain)"
        )
    reason = Reason(
        f"openssl.verify.error.{error}",
        f"chain {names}: error {error} at depth {depth}: {VERIFY_ERRORS[error]}" + why,
        f"{VFY} build_chain",
    )
    return BuiltChain(path, error, depth, reason)


def check_chain(
    built: BuiltChain,
    purpose_id: str | None,
    *,
    at: _dt.datetime | None = None,
    version: str = "3.0",
    hostname: str | None = None,
    memo: Memo | None = None,
) -> ChainResult:
    """The checks of ``X509_verify_cert`` over a built path, for one purpose: for every depth
    check_extensions (unhandled critical 34, proxy 40, CA-ness 79, purpose 26, pathlen 25),
    check_id (``hostname``: 62, or 64 for an IP literal), then signatures (7) and validity
    (9/10) from the top down, then name constraints (47/48/49/51/53); the first error wins.
    A path :func:`build_chain` could not trust is its own error. ``at`` must be the instant
    the path was built at."""
    path = built.path
    if not built.ok:
        return ChainResult(built.error, built.depth, path, (None,) * len(path), (built.reason,))
    at = as_utc(at)
    memo = Memo() if memo is None else memo
    reasons: list[Reason] = [built.reason]
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
        v = cache_extensions(x, memo)
        who = f"depth {i} {describe(x, memo=memo)}"
        if v.unhandled_critical:
            fail(
                34,
                i,
                f"{who} has an unhandled critical extension {v.unhandled_critical[0]}",
                "check_extensions",
            )
        if v.proxy:
            fail(40, i, f"{who} is a proxy certificate", "check_extensions")
        ca = ca_code(v)
        if i > 0 and (ca == 0 or (i + 1 < num and ca != 1)):
            role = "intermediate" if i + 1 < num else "trust anchor"
            fail(
                79,
                i,
                f"{who} ({role}): X509_check_ca = {ca}; "
                + ("an intermediate must return exactly 1" if i + 1 < num else "0 is not a CA"),
                "check_extensions (X509_check_ca)",
            )
        elif i > 0:
            reasons.append(
                Reason(
                    "openssl.verify.ca",
                    f"{who}: X509_check_ca = {ca}"
                    + (" (a legacy CA, accepted for the trust anchor)" if ca != 1 else ""),
                    f"{VFY} check_extensions (X509_check_ca)",
                )
            )
        if purpose_id is not None:
            code, steps = check_purpose(x, purpose_id, i > 0, version=version, memo=memo)
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
                        f"{VFY} check_purpose",
                    )
                )
        if i > 1 and v.pathlen != -1 and plen > v.pathlen:
            fail(25, i, f"{who}: pathLenConstraint {v.pathlen} exceeded", "check_extensions")
        if i > 0 and not v.self_issued:
            plen += 1
    if hostname is not None:
        _check_id(path[0], hostname, fail, memo)
    if first is None:
        signed = memo.get(
            "openssl.internal_verify", (path, at), lambda: _internal_verify(path, at, memo=memo)
        )
        if signed is not None:
            fail(*signed)
    nc = memo.get("openssl.name_constraints", path, lambda: check_name_constraints(path, memo))
    if nc is not None:
        code, d, k, text = nc
        fail(
            code,
            d,
            f"depth {d} {describe(path[d], memo=memo)}: {text} — nameConstraints of depth {k} "
            f"{describe(path[k], memo=memo)}",
            "check_name_constraints (v3_ncons.c NAME_CONSTRAINTS_check)",
        )
    if first is not None:
        error, depth, text, where = first
        reasons.append(
            Reason(
                f"openssl.verify.error.{error}",
                f"error {error} at depth {depth}: {VERIFY_ERRORS[error]} — {text}",
                f"{VFY} {where}",
            )
        )
    else:
        reasons.append(
            Reason(
                "openssl.verify.ok",
                f"openssl verify{f' -purpose {purpose_id}' if purpose_id else ''}: OK",
                f"{VFY} X509_verify_cert",
            )
        )
    return ChainResult(error, depth, path, tuple(codes), tuple(reasons), tuple(warnings))


def verify_chain(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    roots: Sequence[x509.Certificate],
    purpose_id: str | None,
    *,
    at: _dt.datetime | None = None,
    version: str = "3.0",
    hostname: str | None = None,
    memo: Memo | None = None,
) -> ChainResult:
    """``X509_verify_cert`` without ``-x509_strict``: :func:`build_chain`, then
    :func:`check_chain`; the first error wins, as in ``openssl verify``. ``purpose_id=None`` is
    ``openssl verify`` without ``-purpose``; ``hostname`` is ``-verify_hostname``
    (``-verify_ip`` for an IP address literal); ``memo`` the run's memo (a fresh one without)."""
    check_version(version)
    if purpose_id is not None and purpose_id not in {p.sname for p in purposes(version)}:
        raise ValueError(f"OpenSSL {version} has no purpose {purpose_id!r} (`-purpose` refuses it)")
    at = as_utc(at)
    memo = Memo() if memo is None else memo
    built = build_chain(leaf, intermediates, roots, at=at, memo=memo)
    return check_chain(built, purpose_id, at=at, version=version, hostname=hostname, memo=memo)


def policy_not_checked(
    path: Sequence[x509.Certificate], *, memo: Memo | None = None
) -> list[Reason]:
    """A note, never a denial, when the path carries policy controls: ``openssl verify`` (and
    a TLS handshake) check policies only when asked (``-policy_check``, ``-explicit_policy``:
    ``X509_V_FLAG_POLICY_CHECK``), so by default OpenSSL accepts what RFC 5280 or Go refuse."""
    carrying = []
    for c in path:
        try:
            oids = {e.oid.dotted_string for e in c.extensions}
        except Exception:
            continue
        if oids & _POLICY_CONTROLS:
            carrying.append(describe(c, memo=memo))
    if not carrying:
        return []
    text = (
        f"{', '.join(carrying)} carries policy constraints, mappings or inhibitAnyPolicy; "
        "openssl verify checks certificate policies only with -policy_check or "
        "-explicit_policy (X509_V_FLAG_POLICY_CHECK), which is off by default, so they were "
        "not evaluated (with the flag, a requireExplicitPolicy CA above a leaf without "
        "policies gives error 43, 'no explicit policy')"
    )
    return [Reason("openssl.policy.not_checked", text, f"{VFY} check_policy")]
