"""The Go profile: ``crypto/x509`` ``Certificate.Verify`` (Go 1.27.3, :data:`GO_VERSION`) with
``VerifyOptions{KeyUsages, Roots, Intermediates, CurrentTime, DNSName}``.

What Go does (golang/go ``src/crypto/x509/verify.go`` ``Verify``/``isValid``/``buildChains``/
``checkChainForKeyUsage``/``policiesValid``/``VerifyHostname``, ``constraints.go``
``checkChainConstraints``, ``x509.go`` ``CheckSignatureFrom``, ``parser.go``
``processExtensions``; docs/semantics.md §2), checked against the real toolchain by
tests/oracles/test_go_verify.py:

* Key Usage is not checked against the purpose, for leaves or CAs (verify.go: "KeyUsage status
  flags are ignored", quoting Gutmann). The one KU rule Go has is in ``CheckSignatureFrom``: an
  *issuing* certificate (intermediate or root) with a non-zero KU must assert keyCertSign, and a
  v3 issuer must have basicConstraints with cA TRUE.
* ``Verify``'s order decides which error Go reports, and this profile follows it: the leaf's
  ``isValid`` (unhandled critical extensions, validity), ``VerifyHostname``, ``buildChains``
  (every pool certificate named as the issuer is a candidate, whatever the key identifiers say;
  per candidate the signature, CA-ness, MaxPathLen, critical extensions), then each built chain
  is filtered by ``policiesValid`` (RFC 9618 policy graph, :mod:`certlib.cert.policies`), the EKU
  nesting and the name constraints (:mod:`certlib.cert.nameconstraints` with ``GO`` rules: the
  SANs of every certificate below a constraining CA, never the subject CN). When every chain
  fails, a name-constraint failure is reported first, then key usage.
* EKU nests root → leaf: a certificate with no EKU, or with anyExtendedKeyUsage, is transparent;
  any other must list the requested usage. SGC OIDs do not count as serverAuth (current Go).
  An empty EKU SEQUENCE parses to empty lists, i.e. "no EKU" [unverified].
* ``ParseCertificate`` itself refuses duplicate extensions, a critical SKI, AKI or AIA, a
  negative pathLenConstraint, negative serials (Go ≥ 1.23), undecodable KU/BC/EKU, malformed
  SANs, name constraints or policy extensions: such certificates are ``invalid`` here. A
  critical SAN with no name Go parses, or critical name constraints with a form Go cannot
  check (directoryName), are unhandled critical extensions.
"""

from __future__ import annotations

import ipaddress

from cryptography import x509

from certlib.cert import nameconstraints as nc
from certlib.cert.chain import describe, is_issuer_candidate, link_error, validity_error
from certlib.cert.facts import CertFacts, facts
from certlib.cert.policies import PolicyError, PolicyInfo, policies_valid, policy_info
from certlib.core.decision import Decision
from certlib.core.memo import Memo
from certlib.core.oids import EKU, EXT, public_key_algorithm, signature_algorithm
from certlib.core.verdicts import Context, Outcome, Profile, ProfileJudge, Purpose, Reason, Verdict
from certlib.profiles.common import candidate_paths, eku_names, ext_names, issuers

__all__ = [
    "GO_KEY_USAGE",
    "GO_VERSION",
    "HANDLED_EXTENSIONS",
    "NAME",
    "evaluate",
    "go_issuer_candidate",
    "judge",
    "outcome_key",
    "verify_hostname",
]

NAME = Profile.GO
#: The Go release whose ``crypto/x509`` this profile models (checked against the real one by
#: tests/oracles/test_go_verify.py, which builds a verifier with that toolchain).
GO_VERSION = "1.27.3"

S_VERIFY = f"Go {GO_VERSION} crypto/x509 verify.go isValid"
S_BUILD = f"Go {GO_VERSION} crypto/x509 verify.go buildChains / cert_pool.go findPotentialParents"
S_CONSTRAINTS = f"Go {GO_VERSION} crypto/x509 constraints.go checkChainConstraints"
S_POLICY = f"Go {GO_VERSION} crypto/x509 verify.go policiesValid"
S_EKU = f"Go {GO_VERSION} crypto/x509 verify.go checkChainForKeyUsage (VerifyOptions.KeyUsages)"
S_SIG = f"Go {GO_VERSION} crypto/x509 x509.go CheckSignatureFrom"
S_PARSE = f"Go {GO_VERSION} crypto/x509 parser.go processExtensions / parseCertificate"
S_RSA_SIZE = (
    f"Go {GO_VERSION} crypto/rsa rsa.go checkKeySize (pkcs1v15.go VerifyPKCS1v15, fips.go "
    "VerifyPSS) via crypto/x509 x509.go checkSignature"
)
S_NAME = f"Go {GO_VERSION} crypto/x509 verify.go VerifyHostname / matchHostnames / validHostname"

#: Purpose -> the ``x509.ExtKeyUsage`` constant a Go caller passes in ``VerifyOptions.KeyUsages``.
GO_KEY_USAGE: dict[Purpose, str] = {
    Purpose.TLS_SERVER: "ExtKeyUsageServerAuth",
    Purpose.TLS_CLIENT: "ExtKeyUsageClientAuth",
    Purpose.CODE_SIGNING: "ExtKeyUsageCodeSigning",
    Purpose.EMAIL_PROTECTION: "ExtKeyUsageEmailProtection",
    Purpose.TIME_STAMPING: "ExtKeyUsageTimeStamping",
    Purpose.OCSP_SIGNING: "ExtKeyUsageOCSPSigning",
}

#: Extensions ``processExtensions`` handles; a critical one of any other OID is "unhandled".
#: (A critical SAN with no name Go understands also counts as unhandled.)
HANDLED_EXTENSIONS: frozenset[str] = frozenset(
    {
        EXT.KEY_USAGE.oid,
        EXT.BASIC_CONSTRAINTS.oid,
        EXT.SUBJECT_ALTERNATIVE_NAME.oid,
        EXT.NAME_CONSTRAINTS.oid,
        EXT.CRL_DISTRIBUTION_POINTS.oid,
        EXT.AUTHORITY_KEY_IDENTIFIER.oid,
        EXT.POLICY_CONSTRAINTS.oid,
        EXT.EXTENDED_KEY_USAGE.oid,
        EXT.SUBJECT_KEY_IDENTIFIER.oid,
        EXT.CERTIFICATE_POLICIES.oid,
        EXT.POLICY_MAPPINGS.oid,
        EXT.INHIBIT_ANY_POLICY.oid,
        EXT.AUTHORITY_INFORMATION_ACCESS.oid,
    }
)


def _san(f: CertFacts) -> nc.Names | None:
    """The SAN's names as Go parses them; None without a SAN or when it does not parse."""
    ext = f.extension(EXT.SUBJECT_ALTERNATIVE_NAME.oid)
    if ext is None:
        return None
    try:
        return nc.parse_san(ext.value)
    except nc.NameConstraintError:
        return None


def _constraints(f: CertFacts) -> nc.NameConstraints | None:
    ext = f.extension(EXT.NAME_CONSTRAINTS.oid)
    if ext is None:
        return None
    try:
        return nc.parse_name_constraints(ext.value, nc.GO)
    except nc.NameConstraintError:
        return None


def _policy(f: CertFacts) -> PolicyInfo:
    try:
        return policy_info(f)
    except PolicyError:
        return PolicyInfo(self_issued=f.self_issued)


def _policy_unparsable(f: CertFacts) -> bool:
    try:
        policy_info(f)
    except PolicyError:
        return True
    return False


def _parse_problems(f: CertFacts, who: str) -> list[Reason]:
    """Why Go's ``ParseCertificate`` would refuse this certificate outright."""
    out = [Reason("go.parse_error", f"{who}: {error}", S_PARSE) for error in f.errors]
    dup = f.duplicated()
    if dup:
        out.append(
            Reason(
                "go.parse_error",
                f"{who} repeats extension(s) {ext_names(dup)}: 'x509: certificate contains "
                "duplicate extension'",
                S_PARSE,
            )
        )
    for info, message in (
        (EXT.SUBJECT_KEY_IDENTIFIER, "subject key identifier incorrectly marked critical"),
        (EXT.AUTHORITY_KEY_IDENTIFIER, "authority key identifier incorrectly marked critical"),
        (EXT.AUTHORITY_INFORMATION_ACCESS, "authority info access incorrectly marked critical"),
    ):
        ext = f.extension(info.oid)
        if ext is not None and ext.critical:
            out.append(Reason("go.parse_error", f"{who}: 'x509: {message}'", S_PARSE))
    if f.bc_present and f.path_length is not None and f.path_length < 0:
        out.append(
            Reason(
                "go.parse_error",
                f"{who} has a negative pathLenConstraint ({f.path_length}): 'x509: invalid "
                "basic constraints' (parseBasicConstraintsExtension reads it as unsigned)",
                S_PARSE,
            )
        )
    for info, parse in (
        (EXT.SUBJECT_ALTERNATIVE_NAME, nc.parse_san),
        (EXT.NAME_CONSTRAINTS, lambda v: nc.parse_name_constraints(v, nc.GO)),
    ):
        ext = f.extension(info.oid)
        if ext is None:
            continue
        try:
            parse(ext.value)
        except nc.NameConstraintError as exc:
            out.append(Reason("go.parse_error", f"{who}: {info.name}: 'x509: {exc}'", S_PARSE))
    try:
        policy_info(f)
    except PolicyError as exc:
        out.append(Reason("go.parse_error", f"{who}: 'x509: {exc}'", S_PARSE))
    if f.serial < 0:
        out.append(
            Reason(
                "go.parse_error",
                f"{who} has a negative serial number: 'x509: negative serial number' "
                "(Go ≥ 1.23 unless GODEBUG x509negativeserial=1)",
                S_PARSE,
            )
        )
    return out


def _unhandled_oids(f: CertFacts) -> list[str]:
    """``UnhandledCriticalExtensions``: critical extensions of an OID Go does not process, a
    critical SAN with no name Go parses (only otherName, registeredID, ...), a critical
    nameConstraints with a form Go cannot check (directoryName, otherName, ...)."""
    out = []
    for e in f.extensions:
        if not e.critical:
            continue
        if e.oid not in HANDLED_EXTENSIONS:
            out.append(e.oid)
        elif e.oid == EXT.SUBJECT_ALTERNATIVE_NAME.oid:
            names = _san(f)
            if names is not None and not names.understood:
                out.append(e.oid)
        elif e.oid == EXT.NAME_CONSTRAINTS.oid:
            constraints = _constraints(f)
            if constraints is not None and constraints.unhandled:
                out.append(e.oid)
    return out


def _unhandled(f: CertFacts, who: str) -> Reason | None:
    unknown = _unhandled_oids(f)
    if not unknown:
        return None
    return Reason(
        "go.unhandled_critical",
        f"{who} has critical extension(s) Go does not handle: {ext_names(unknown)} "
        "('x509: unhandled critical extension'; a SAN counts when it holds no dNSName, "
        "rfc822Name, iPAddress or URI, nameConstraints when a subtree has another form)",
        S_VERIFY,
    )


def _eku_problem(f: CertFacts, purpose: Purpose, who: str) -> Reason | None:
    """None when the certificate lets the requested usage through (transparent or listed)."""
    oids = f.eku
    if not oids or EKU.ANY.oid in oids or purpose.eku.oid in oids:
        return None
    sgc = [o for o in oids if o in (EKU.MS_SGC.oid, EKU.NS_SGC.oid)]
    extra = (
        "; Server Gated Crypto OIDs do not count as serverAuth in current Go"
        if sgc and purpose is Purpose.TLS_SERVER
        else ""
    )
    return Reason(
        "eku.purpose_missing",
        f"{who} has EKU ({eku_names(oids)}) without {purpose.eku.short_name} or "
        f"anyExtendedKeyUsage: 'x509: certificate specifies an incompatible key usage'{extra}",
        S_EKU,
    )


def _leaf_eku(d: Decision, f: CertFacts, purpose: Purpose) -> None:
    usage = GO_KEY_USAGE[purpose]
    oids = f.eku
    if oids is None:
        d.note(
            "eku.absent",
            f"no EKU extension: Go places no restriction, so KeyUsages [{usage}] passes",
            S_EKU,
        )
    elif not oids:
        d.note(
            "eku.empty_as_absent",
            "[unverified] the EKU extension is an empty SEQUENCE: Go parses it to empty lists, "
            "the same as no EKU, so it restricts nothing (source reading; Go 1.19.8 accepted "
            "x509-limbo's ee-eku-empty)",
            S_EKU,
        )
    elif EKU.ANY.oid in oids:
        d.note(
            "eku.any",
            f"EKU ({eku_names(oids)}) has anyExtendedKeyUsage: Go treats the certificate as "
            f"good for any usage, {usage} included",
            S_EKU,
        )
    elif purpose.eku.oid in oids:
        d.note("eku.listed", f"EKU ({eku_names(oids)}) lists {purpose.eku.short_name}", S_EKU)
    else:
        problem = _eku_problem(f, purpose, "the certificate")
        assert problem is not None
        d.add(Outcome.DENIED, problem)


#: Digests ``checkSignature`` will not verify (x509.go): MD5 and SHA-1 with
#: InsecureAlgorithmError (SHA-1 since Go 1.18; the GODEBUG x509sha1=1 escape hatch is gone
#: since Go 1.24), MD2 with ErrUnsupportedAlgorithm (Go maps it to no hash).
INSECURE_HASHES = frozenset({"md2", "md5", "sha1"})
#: Go's ``SignatureAlgorithm.String()`` for them, by (key family, digest).
_GO_NAMES = {
    ("RSA", "md5"): "MD5-RSA",
    ("RSA", "sha1"): "SHA1-RSA",
    ("EC", "sha1"): "ECDSA-SHA1",
    ("DSA", "sha1"): "DSA-SHA1",
}


def _insecure_signature(child: x509.Certificate, *, memo: Memo | None = None) -> Reason | None:
    """A MD2/MD5/SHA-1 signature on ``child``: Go will not check it, so the link fails."""
    alg = signature_algorithm(child.signature_algorithm_oid)
    if alg.hash not in INSECURE_HASHES:
        return None
    if alg.hash == "md2":  # Go maps MD2WithRSA to no hash at all: ErrUnsupportedAlgorithm
        error = "algorithm unimplemented"
    else:
        name = _GO_NAMES.get((alg.key_algorithm, alg.hash or ""), alg.openssl_name)
        error = f"insecure algorithm {name}"
    return Reason(
        "go.insecure_algorithm",
        f"{describe(child, memo=memo)} is signed with {alg.openssl_name}: 'x509: cannot verify "
        f"signature: {error}'",
        S_SIG,
    )


#: ``checkKeySize``: RSA keys under this many bits verify nothing (GODEBUG rsa1024min, on by
#: default since Go 1.24; module-less builds and go.mod files below go 1.24 turn it off).
MIN_RSA_BITS = 1024


def _weak_rsa_issuer(
    child: x509.Certificate, parent: x509.Certificate, *, memo: Memo | None = None
) -> Reason | None:
    """An RSA issuer key under :data:`MIN_RSA_BITS`: ``rsa.VerifyPKCS1v15``/``VerifyPSS``
    refuse it before looking at the signature, so ``checkSignature`` fails for any child."""
    if public_key_algorithm(parent.public_key_algorithm_oid).name != "RSA":
        return None
    try:
        bits = parent.public_key().key_size  # type: ignore[union-attr]
    except Exception:  # an RSA key cryptography cannot load: the link fails on its own
        return None
    if bits >= MIN_RSA_BITS:
        return None
    return Reason(
        "go.weak_rsa_key",
        f"{describe(parent, memo=memo)} (issuer of {describe(child, memo=memo)}) has a "
        f"{bits}-bit RSA key: 'crypto/rsa: {bits}-bit keys are insecure', so its signatures "
        "are never checked (default since Go 1.24; GODEBUG rsa1024min=0 lifts it); Go "
        "reports 'x509: certificate signed by unknown authority'",
        S_RSA_SIZE,
    )


def _issuer_problems(
    child: x509.Certificate, parent: x509.Certificate, *, memo: Memo | None = None
) -> list[Reason]:
    """``CheckSignatureFrom``'s constraints on the parent (roots included) and the child's
    signature algorithm."""
    f = facts(parent, memo=memo)
    who = describe(parent, memo=memo)
    out: list[Reason] = []
    insecure = _insecure_signature(child, memo=memo)
    if insecure is not None:
        out.append(insecure)
    weak = _weak_rsa_issuer(child, parent, memo=memo)
    if weak is not None:
        out.append(weak)
    if f.version == 3 and not f.bc_present:
        out.append(
            Reason(
                "go.issuer_not_ca",
                f"{who} (issuer of {describe(child, memo=memo)}) is v3 without basicConstraints: "
                "ConstraintViolationError, 'parent certificate cannot sign this kind of "
                "certificate' (applies to roots too)",
                S_SIG,
            )
        )
    elif f.bc_present and not f.bc_ca:
        out.append(
            Reason(
                "go.issuer_not_ca",
                f"{who} (issuer of {describe(child, memo=memo)}) has cA FALSE: "
                "ConstraintViolationError",
                S_SIG,
            )
        )
    if f.key_usage and "key_cert_sign" not in f.key_usage:
        out.append(
            Reason(
                "go.issuer_no_keycertsign",
                f"{who} (issuer of {describe(child, memo=memo)}) has a non-zero Key Usage without "
                "keyCertSign: ConstraintViolationError (the only KU bit Go ever looks at)",
                S_SIG,
            )
        )
    return out


def go_issuer_candidate(
    child: x509.Certificate, parent: x509.Certificate, *, memo: Memo | None = None
) -> bool:
    """``findPotentialParents``: every pool certificate whose subject is the child's issuer
    name; key identifiers only order the candidates (matching, one absent, mismatching last),
    a mismatch never excludes one."""
    return facts(child, memo=memo).issuer_der == facts(parent, memo=memo).subject_der


def _build_problems(
    path: tuple[x509.Certificate, ...], *, memo: Memo | None = None
) -> list[Reason]:
    """What ``buildChains`` checks while it appends each candidate (``CheckSignatureFrom``,
    ``isValid``): a path with any of these is never a candidate chain."""
    problems: list[Reason] = []
    for j, f, role, who in issuers(path, memo):
        problems.extend(_parse_problems(f, who))
        problems.extend(_issuer_problems(path[j - 1], path[j], memo=memo))
        if role == "intermediate" and not (f.bc_present and f.bc_ca):
            problems.append(
                Reason(
                    "go.not_authorized_to_sign",
                    f"{who} lacks BasicConstraintsValid && IsCA: 'x509: certificate is not "
                    "authorized to sign other certificates'",
                    S_VERIFY,
                )
            )
        if f.bc_present and f.path_length is not None and j - 1 > f.path_length >= 0:
            problems.append(
                Reason(
                    "go.path_length",
                    f"{who} has MaxPathLen {f.path_length} but {j - 1} intermediate(s) follow "
                    "it (Go counts self-issued ones too): 'x509: too many intermediates for "
                    "path length constraint'",
                    S_VERIFY,
                )
            )
        unhandled = _unhandled(f, who)
        if unhandled is not None:
            problems.append(unhandled)
    return problems


def _policy_problem(
    path: tuple[x509.Certificate, ...], *, memo: Memo | None = None
) -> Reason | None:
    why = policies_valid([_policy(facts(c, memo=memo)) for c in path])
    if why is None:
        return None
    return Reason(
        "go.policy",
        f"policy validation fails on {_text(path, memo=memo)}: {why} ('x509: no valid chains "
        "built: 1 candidate chains with invalid policies')",
        S_POLICY,
    )


def _eku_problems(
    path: tuple[x509.Certificate, ...], purpose: Purpose, *, memo: Memo | None = None
) -> list[Reason]:
    """``checkChainForKeyUsage`` with one requested usage, issuers only (the leaf's EKU is
    :func:`_leaf_eku`'s, reported once)."""
    out = []
    for _j, f, _role, who in issuers(path, memo):
        eku = _eku_problem(f, purpose, who)
        if eku is not None:
            out.append(eku)
    return out


def _constraint_problem(
    path: tuple[x509.Certificate, ...], *, memo: Memo | None = None
) -> Reason | None:
    chain = []
    for c in path:
        f = facts(c, memo=memo)
        chain.append((_san(f), _constraints(f)))
    hit = nc.check(chain, nc.GO)
    if hit is None:
        return None
    i, k, why = hit
    return Reason(
        "go.name_constraints",
        f"{describe(path[i], memo=memo)} is named outside the name constraints of "
        f"{describe(path[k], memo=memo)}: "
        f"'x509: a root or intermediate certificate is not authorized to sign for this name: "
        f"{why}' (the subject CN is never checked)",
        S_CONSTRAINTS,
    )


def _text(path: tuple[x509.Certificate, ...], *, memo: Memo | None = None) -> str:
    return " → ".join(describe(c, memo=memo) for c in path)


class _Chains:
    """What ``buildChains`` finds for a certificate, the same for every purpose: the candidate
    paths and dead ends, the chains it builds (no :func:`_build_problems`), what is wrong with
    the first candidate, and per built chain its policy and name-constraint problems (each
    worked out when a purpose first asks; facts and links come from the run's memo)."""

    __slots__ = ("_names", "_policy", "built", "dead_ends", "first_problems", "memo", "paths")

    def __init__(self, cert: x509.Certificate, ctx: Context) -> None:
        memo = self.memo = ctx.memo
        self.paths, self.dead_ends = candidate_paths(cert, ctx, go_issuer_candidate)
        problems = [_build_problems(p, memo=memo) for p in self.paths]
        self.built = tuple(p for p, found in zip(self.paths, problems, strict=True) if not found)
        self.first_problems = problems[0] if problems else []
        self._policy: dict[int, Reason | None] = {}
        self._names: dict[int, Reason | None] = {}

    def policy(self, i: int) -> Reason | None:
        if i not in self._policy:
            self._policy[i] = _policy_problem(self.built[i], memo=self.memo)
        return self._policy[i]

    def names(self, i: int) -> Reason | None:
        if i not in self._names:
            self._names[i] = _constraint_problem(self.built[i], memo=self.memo)
        return self._names[i]


def _chain(d: Decision, chains: _Chains, purpose: Purpose, leaf_eku_ok: bool) -> None:
    """``buildChains`` then ``Verify``'s filters (policies, key usage, name constraints) and
    its choice of error when every candidate chain fails."""
    memo = chains.memo
    if not chains.paths:
        for reason in chains.dead_ends:
            if reason not in d.reasons:
                d.add(Outcome.DENIED, reason)
        d.fail(
            Outcome.DENIED,
            "go.unknown_authority",
            "no chain to the given roots: 'x509: certificate signed by unknown authority'",
            S_BUILD,
        )
        return
    if not chains.built:
        for reason in chains.first_problems:
            d.add(Outcome.DENIED, reason)
        return
    policy: list[Reason] = []
    usage: list[list[Reason]] = []
    names: list[Reason] = []
    for i, path in enumerate(chains.built):
        problem = chains.policy(i)
        if problem is not None:
            policy.append(problem)
            continue
        eku = _eku_problems(path, purpose, memo=memo)
        if eku or not leaf_eku_ok:
            usage.append(eku)
            continue
        constraint = chains.names(i)
        if constraint is not None:
            names.append(constraint)
            continue
        cas = [c for c in path[1:] if facts(c, memo=memo).eku]
        nested = (
            "EKU of " + ", ".join(describe(c, memo=memo) for c in cas) + " lets it through"
            if cas
            else "no CA on it restricts EKU"
        )
        d.note(
            "path.valid",
            f"chain {_text(path, memo=memo)}: signatures, validity, CA flags, MaxPathLen, critical "
            f"extensions, policies and name constraints pass; EKU nests root → leaf and "
            f"{nested}",
            S_EKU,
        )
        return
    # Verify: a name-constraint failure wins; then key usage (when no chain had bad policies)
    if names:
        d.add(Outcome.DENIED, names[0])
    elif usage and not policy:
        for reason in usage[0]:
            d.add(Outcome.DENIED, reason)
    else:
        for reason in policy[:1] + [r for u in usage[:1] for r in u]:
            d.add(Outcome.DENIED, reason)


def _valid_hostname(host: str, pattern: bool) -> bool:
    """verify.go ``validHostname``: letters, digits, '-' (not first), '_'; a pattern may have
    ``*`` as its whole first label; an input may end in one '.'."""
    if not pattern and host.endswith("."):
        host = host[:-1]
    if not host or host == "*":
        return False
    for i, part in enumerate(host.split(".")):
        if not part:
            return False
        if pattern and i == 0 and part == "*":
            continue
        for j, c in enumerate(part):
            if not (c.isascii() and (c.isalnum() or c == "_" or (c == "-" and j != 0))):
                return False
    return True


def _lower_ascii(s: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)


def _match_hostnames(pattern: str, host_parts: list[str]) -> bool:
    pattern = _lower_ascii(pattern)
    if not pattern or not host_parts:
        return False
    parts = pattern.split(".")
    if len(parts) != len(host_parts):
        return False
    return all(
        (i == 0 and p == "*") or p == h
        for i, (p, h) in enumerate(zip(parts, host_parts, strict=True))
    )


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def verify_hostname(
    cert: x509.Certificate, host: str, *, memo: Memo | None = None
) -> tuple[bool, str]:
    """``Certificate.VerifyHostname`` (Go): (matched, explanation).

    An IP (optionally in brackets) matches only SAN iPAddress entries. Otherwise, when the
    host and a dNSName are both valid host names (``validHostname``), the dNSName may have a
    wildcard as its whole first label (``*.com`` matches ``foo.com``: Go has no minimum label
    count) and one trailing '.' on the host is ignored; else only an exact, case-insensitive
    match counts, so ``www.example.com..`` and a dNSName ``www.example.com.`` match nothing.
    The subject CN is ignored.
    """
    candidate = host[1:-1] if len(host) >= 3 and host[0] == "[" and host[-1] == "]" else host
    names = _san(facts(cert, memo=memo))
    ip = _parse_ip(candidate)
    if ip is not None:
        for octets in names.ip if names else ():
            if ipaddress.ip_address(octets) == ip or (
                ip.version == 6
                and ip.ipv4_mapped is not None
                and ipaddress.ip_address(octets) == ip.ipv4_mapped
            ):
                return True, f"SAN iPAddress {ipaddress.ip_address(octets)} matches {host!r}"
        return False, f"{host!r} is an IP address and no SAN iPAddress equals it: HostnameError"
    name = _lower_ascii(host)
    valid = _valid_hostname(name, False)
    parts = _lower_ascii(name[:-1] if name.endswith(".") else name).split(".")
    dns = names.dns if names else ()
    for pattern in dns:
        if valid and _valid_hostname(pattern, True):
            if _match_hostnames(pattern, parts):
                return True, f"SAN dNSName {pattern!r} matches {host!r} (matchHostnames)"
        elif pattern not in ("", ".") and name not in ("", ".") and _lower_ascii(pattern) == name:
            return True, f"SAN dNSName {pattern!r} equals {host!r} (matchExactly)"
    listed = ", ".join(dns) or "none"
    how = "" if valid else f" ({host!r} is not a valid host name, so only an exact match counts)"
    return False, (
        f"no SAN dNSName matches {host!r} (dNSName entries: {listed}){how}: 'x509: certificate "
        "is valid for ..., not ...' (HostnameError; the subject CN is ignored)"
    )


def _critical(f: CertFacts, oid: str) -> bool:
    ext = f.extension(oid)
    return ext is not None and ext.critical


def _raw(f: CertFacts, oid: str) -> tuple[bool, bytes] | None:
    ext = f.extension(oid)
    return None if ext is None else (ext.critical, ext.value)


def outcome_key(
    f: CertFacts,
    *,
    cert: x509.Certificate,
    at: object = None,
    chain: tuple = (),
    memo: Memo | None = None,
) -> tuple:
    """Everything :func:`evaluate` reads of the certificate itself to reach an *outcome*.

    With no host name and default options (what the inventory passes), the leaf's outcomes
    come from:

    * :func:`_parse_problems` (``invalid``): undecodable extensions (``f.errors``), duplicated
      extensions, a critical SKI, AKI or AIA (the first of each OID, as
      :meth:`CertFacts.extension` finds it), a negative pathLenConstraint, a SAN, name
      constraints or policy extension Go refuses, a negative serial number;
    * :func:`_unhandled` (``denied``): the critical extensions outside
      :data:`HANDLED_EXTENSIONS`, and a critical SAN / nameConstraints Go cannot use;
    * :func:`_leaf_eku` (``denied`` or not, per purpose): the EKU OIDs (absent and empty are
      transparent, anyExtendedKeyUsage passes, else the purpose must be listed);
    * the chain filters: the SAN (name constraints of the CAs above), the leaf's own
      policy extensions (:func:`_policy_problem`).

    Key Usage is ignored for the leaf, and the host name check is skipped without
    ``ctx.hostname``. Path building reads what :func:`certlib.cert.chain.iter_paths` does (validity
    at ``at``, issuer name, AKI, the links to its candidate issuers; the inventory's chain key
    covers those for the default candidate rule) and, because Go also tries issuers whose SKI
    does not match the leaf's AKI (:func:`go_issuer_candidate`), whether each such chain
    certificate's key verifies the leaf: that is in this key. ``_issuer_problems`` refuses
    the leaf's own MD2/MD5/SHA-1 signature (:func:`_insecure_signature`, read from ``cert``).
    Whoever makes :func:`evaluate` read more of the certificate adds it here;
    ``tests/profiles/test_outcome_key_windows_go.py`` compares memoised and fresh outcomes.
    """
    constrained = any(
        facts(c, memo=memo).extension(EXT.NAME_CONSTRAINTS.oid) is not None for c in chain
    )
    policies = tuple(
        _raw(f, info.oid)
        for info in (
            EXT.CERTIFICATE_POLICIES,
            EXT.POLICY_MAPPINGS,
            EXT.POLICY_CONSTRAINTS,
            EXT.INHIBIT_ANY_POLICY,
        )
    )
    policed = _policy(f).constrains or any(_policy(facts(c, memo=memo)).constrains for c in chain)
    extra_links = tuple(
        link_error(cert, c, memo=memo) is None
        for c in chain
        if go_issuer_candidate(cert, c, memo=memo) and not is_issuer_candidate(cert, c, memo=memo)
    )
    return (
        bool(f.errors),
        f.duplicated(),
        _critical(f, EXT.SUBJECT_KEY_IDENTIFIER.oid),
        _critical(f, EXT.AUTHORITY_KEY_IDENTIFIER.oid),
        _critical(f, EXT.AUTHORITY_INFORMATION_ACCESS.oid),
        f.bc_present and f.path_length is not None and f.path_length < 0,
        f.serial < 0,
        tuple(_unhandled_oids(f)),
        f.eku,
        _insecure_signature(cert, memo=memo) is not None,
        _raw(f, EXT.NAME_CONSTRAINTS.oid),
        f.extension(EXT.SUBJECT_ALTERNATIVE_NAME.oid) is not None and _san(f) is None,
        _policy_unparsable(f),
        # the SAN matters only under a CA with name constraints, the leaf's policies only
        # when some certificate can make policy validation fail
        _raw(f, EXT.SUBJECT_ALTERNATIVE_NAME.oid) if constrained else None,
        policies if policed else None,
        extra_links,
    )


def judge(
    cert: x509.Certificate, ctx: Context, purposes: tuple[Purpose, ...]
) -> dict[Purpose, Verdict]:
    """Would ``cert.Verify(VerifyOptions{KeyUsages: [<purpose>], DNSName: ctx.hostname})``
    succeed, for each of ``purposes``? (module docstring). Checks run in ``Verify``'s order, so
    the decisive reason is the one Go reports: the leaf's ``isValid`` (critical extensions,
    validity), the host name, chain building, then the chain filters. Everything but the
    usage is worked out once for all purposes."""
    memo = ctx.memo
    f = facts(cert, memo=memo)
    leaf = Decision(None, NAME)
    for reason in _parse_problems(f, "the certificate"):
        leaf.add(Outcome.INVALID, reason)
    leaf.note(
        "ku.ignored",
        "Key Usage is not checked for the purpose: Go ignores KU bits in leaves and CAs "
        "('KeyUsage status flags are ignored'); only an issuer's keyCertSign matters",
        S_VERIFY,
    )
    unhandled = _unhandled(f, "the certificate")
    if unhandled is not None:
        leaf.add(Outcome.DENIED, unhandled)
    chains = None
    if ctx.chain_aware:
        expired = validity_error(cert, ctx.when, memo=memo)
        if expired is not None:
            leaf.add(Outcome.DENIED, expired)
        chains = _Chains(cert, ctx)
    out: dict[Purpose, Verdict] = {}
    for purpose in purposes:
        d = leaf.fork(purpose)
        if ctx.hostname and purpose is Purpose.TLS_SERVER:
            matched, text = verify_hostname(cert, ctx.hostname, memo=memo)
            if matched:
                d.note("name.match", text, S_NAME)
            else:
                d.fail(Outcome.DENIED, "name.mismatch", text, S_NAME)
        if chains is not None:
            _chain(d, chains, purpose, _eku_problem(f, purpose, "the certificate") is None)
        _leaf_eku(d, f, purpose)
        out[purpose] = d.verdict()
    return out


def evaluate(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> Verdict:
    """:func:`judge` for one purpose."""
    return judge(cert, ctx, (purpose,))[purpose]


#: This profile in the registry (:mod:`certlib.profiles`).
PROFILE = ProfileJudge(NAME, judge, outcome_key, "certlib.profiles.go")
