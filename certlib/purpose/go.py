"""The Go profile: ``crypto/x509`` ``Certificate.Verify`` with ``VerifyOptions.KeyUsages``.

What Go does (golang/go ``src/crypto/x509/verify.go`` ``isValid``/``checkChainForKeyUsage``,
``x509.go`` ``CheckSignatureFrom``, ``parser.go`` ``processExtensions``; docs/semantics.md §2):

* Key Usage is not checked against the purpose, for leaves or CAs (verify.go: "KeyUsage status
  flags are ignored", quoting Gutmann). The one KU rule Go has is in ``CheckSignatureFrom``: an
  *issuing* certificate (intermediate or root) with a non-zero KU must assert keyCertSign, and a
  v3 issuer must have basicConstraints with cA TRUE.
* EKU nests root → leaf: a certificate with no EKU, or with anyExtendedKeyUsage, is transparent;
  any other must list the requested usage. SGC OIDs do not count as serverAuth (current Go).
  An empty EKU SEQUENCE parses to empty lists, i.e. "no EKU" [unverified].
* Intermediates need ``BasicConstraintsValid && IsCA``; ``MaxPathLen`` counts every
  intermediate below (self-issued ones too); unhandled critical extensions fail the chain.
* ``ParseCertificate`` itself refuses duplicate extensions, a critical SKI or AIA, negative
  serials (Go ≥ 1.23) and undecodable KU/BC/EKU: such certificates are ``invalid`` here.
"""

from __future__ import annotations

from cryptography import x509

from certlib.chain import describe
from certlib.facts import CertFacts, facts
from certlib.oids import EKU, EXT, signature_algorithm
from certlib.purpose._common import (
    Decision,
    eku_names,
    ext_names,
    first_good_path,
    host_name_check,
    issuers,
)
from certlib.purpose.base import Context, Purpose, Reason, Verdict

__all__ = ["GO_KEY_USAGE", "HANDLED_EXTENSIONS", "PROFILE", "evaluate", "outcome_key"]

PROFILE = "go"

S_VERIFY = "Go crypto/x509 verify.go isValid"
S_EKU = "Go crypto/x509 verify.go checkChainForKeyUsage / isValid (VerifyOptions.KeyUsages)"
S_SIG = "Go crypto/x509 x509.go CheckSignatureFrom"
S_PARSE = "Go crypto/x509 parser.go processExtensions / parseCertificate"
S_NAME = "Go crypto/x509 verify.go VerifyHostname"

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
        (EXT.AUTHORITY_INFORMATION_ACCESS, "authority info access incorrectly marked critical"),
    ):
        ext = f.extension(info.oid)
        if ext is not None and ext.critical:
            out.append(Reason("go.parse_error", f"{who}: 'x509: {message}'", S_PARSE))
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


def _unhandled(f: CertFacts, who: str) -> Reason | None:
    unknown = [e.oid for e in f.extensions if e.critical and e.oid not in HANDLED_EXTENSIONS]
    if not unknown:
        return None
    return Reason(
        "go.unhandled_critical",
        f"{who} has critical extension(s) Go does not handle: {ext_names(unknown)} "
        "(UnhandledCriticalExtension)",
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
        d.add("denied", problem)


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


def _insecure_signature(child: x509.Certificate) -> Reason | None:
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
        f"{describe(child)} is signed with {alg.openssl_name}: 'x509: cannot verify "
        f"signature: {error}'",
        S_SIG,
    )


def _issuer_problems(child: x509.Certificate, parent: x509.Certificate) -> list[Reason]:
    """``CheckSignatureFrom``'s constraints on the parent (roots included) and the child's
    signature algorithm."""
    f = facts(parent)
    who = describe(parent)
    out: list[Reason] = []
    insecure = _insecure_signature(child)
    if insecure is not None:
        out.append(insecure)
    if f.version == 3 and not f.bc_present:
        out.append(
            Reason(
                "go.issuer_not_ca",
                f"{who} (issuer of {describe(child)}) is v3 without basicConstraints: "
                "ConstraintViolationError, 'parent certificate cannot sign this kind of "
                "certificate' (applies to roots too)",
                S_SIG,
            )
        )
    elif f.bc_present and not f.bc_ca:
        out.append(
            Reason(
                "go.issuer_not_ca",
                f"{who} (issuer of {describe(child)}) has cA FALSE: ConstraintViolationError",
                S_SIG,
            )
        )
    if f.key_usage and "key_cert_sign" not in f.key_usage:
        out.append(
            Reason(
                "go.issuer_no_keycertsign",
                f"{who} (issuer of {describe(child)}) has a non-zero Key Usage without "
                "keyCertSign: ConstraintViolationError (the only KU bit Go ever looks at)",
                S_SIG,
            )
        )
    return out


def _path_problems(path: tuple[x509.Certificate, ...], purpose: Purpose) -> list[Reason]:
    problems: list[Reason] = []
    for j, f, role, who in issuers(path):
        problems.extend(_parse_problems(f, who))
        problems.extend(_issuer_problems(path[j - 1], path[j]))
        if role == "intermediate" and not (f.bc_present and f.bc_ca):
            problems.append(
                Reason(
                    "go.not_authorized_to_sign",
                    f"{who} lacks BasicConstraintsValid && IsCA: 'x509: certificate is not "
                    "authorized to sign other certificates'",
                    S_VERIFY,
                )
            )
        if f.bc_present and f.path_length is not None and j - 1 > f.path_length:
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
        eku = _eku_problem(f, purpose, who)
        if eku is not None:
            problems.append(eku)
    return problems


def _chain(d: Decision, cert: x509.Certificate, purpose: Purpose, ctx: Context) -> None:
    paths, path = first_good_path(d, cert, ctx, lambda p: _path_problems(p, purpose))
    if not paths:
        d.fail(
            "denied",
            "go.unknown_authority",
            "no chain to the given roots: 'x509: certificate signed by unknown authority'",
            "Go crypto/x509 verify.go buildChains",
        )
    elif path is not None:
        text = " → ".join(describe(c) for c in path)
        cas = [c for c in path[1:] if facts(c).eku]
        nested = (
            "EKU of " + ", ".join(describe(c) for c in cas) + " lets it through"
            if cas
            else "no CA on it restricts EKU"
        )
        d.note(
            "path.valid",
            f"chain {text}: signatures, validity, CA flags, MaxPathLen and critical "
            f"extensions pass; EKU nests root → leaf and {nested}",
            S_EKU,
        )


def _critical(f: CertFacts, oid: str) -> bool:
    ext = f.extension(oid)
    return ext is not None and ext.critical


def outcome_key(
    f: CertFacts, *, cert: x509.Certificate, at: object = None, chain: tuple = ()
) -> tuple:
    """Everything :func:`evaluate` reads of the certificate itself to reach an *outcome*.

    With no host name and default options (what the inventory passes), the leaf's outcomes
    come from:

    * :func:`_parse_problems` (``invalid``): undecodable extensions (``f.errors``), duplicated
      extensions, a critical SKI or AIA (the first of each OID, as :meth:`CertFacts.extension`
      finds it), a negative serial number;
    * :func:`_unhandled` (``denied``): the critical extensions outside
      :data:`HANDLED_EXTENSIONS`;
    * :func:`_leaf_eku` (``denied`` or not, per purpose): the EKU OIDs (absent and empty are
      transparent, anyExtendedKeyUsage passes, else the purpose must be listed).

    Key Usage is ignored for the leaf, and the host name check is skipped without
    ``ctx.hostname``. The chain part (:func:`_chain`) reads nothing else of the leaf than
    :func:`certlib.chain.iter_paths` does (validity at ``at``, issuer name, AKI, the links to
    its candidate issuers; the inventory's chain key covers those): ``_path_problems`` judges
    ``path[1:]``, except that ``_issuer_problems`` refuses the leaf's own MD2/MD5/SHA-1
    signature (:func:`_insecure_signature`, read from ``cert``: the key's last element), and
    MaxPathLen counts positions, not leaf facts; "unknown authority" means no path, which is
    ``iter_paths``' answer. Whoever makes :func:`evaluate` read more of the certificate adds
    it here; ``tests/test_memo_windows_go.py`` compares memoised and fresh outcomes.
    """
    unhandled = tuple(e.oid for e in f.extensions if e.critical and e.oid not in HANDLED_EXTENSIONS)
    return (
        bool(f.errors),
        f.duplicated(),
        _critical(f, EXT.SUBJECT_KEY_IDENTIFIER.oid),
        _critical(f, EXT.AUTHORITY_INFORMATION_ACCESS.oid),
        f.serial < 0,
        unhandled,
        f.eku,
        _insecure_signature(cert) is not None,
    )


def evaluate(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> Verdict:
    """Would ``cert.Verify(VerifyOptions{KeyUsages: [<purpose>]})`` succeed? (module docstring)"""
    d = Decision(purpose, PROFILE)
    f = facts(cert)
    for reason in _parse_problems(f, "the certificate"):
        d.add("invalid", reason)
    d.note(
        "ku.ignored",
        "Key Usage is not checked for the purpose: Go ignores KU bits in leaves and CAs "
        "('KeyUsage status flags are ignored'); only an issuer's keyCertSign matters",
        S_VERIFY,
    )
    unhandled = _unhandled(f, "the certificate")
    if unhandled is not None:
        d.add("denied", unhandled)
    _leaf_eku(d, f, purpose)
    if ctx.chain_aware:
        _chain(d, cert, purpose, ctx)
    host_name_check(d, cert, purpose, ctx, S_NAME, ": HostnameError")
    return d.verdict()
