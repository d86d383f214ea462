"""pyca's rejection texts: each ``VerificationError`` message as a finding a learner can read,
keyed on a stable rule code, with pyca's own words kept."""

from __future__ import annotations

import re

from certlib.core.oids import extension
from certlib.core.verdicts import Outcome
from certlib.profiles.webpki.findings import PYCA_CA, PYCA_EE, Finding, finding

__all__ = ["PYCA_ERRORS", "translate"]


#: (substring of pyca's message, rule, what it means). The first match wins: specific first.
#: Covers every ``ValidationError`` text of pyca/cryptography 46-50 (``lib.rs``,
#: ``policy/mod.rs``, ``policy/extension.rs``, ``certificate.rs`` of
#: ``cryptography-x509-verification``); ``tests/oracles/test_pyca_verifier.py`` lists them and
#: checks that none falls through to the generic ``pyca.rejected``.
PYCA_ERRORS: tuple[tuple[str, str, str], ...] = (
    (
        "required EKU not found",
        "pyca.eku_missing",
        "the leaf's EKU does not list the policy's key purpose (anyExtendedKeyUsage alone does not "
        "count for an end entity)",
    ),
    (
        "Neither EKU nor anyEKU",
        "pyca.ca_eku_missing",
        "a CA in the path has an EKU that lists neither the policy's key purpose nor "
        "anyExtendedKeyUsage: pyca treats a CA's EKU as a constraint on what it may issue for",
    ),
    ("cA must not be asserted in an EE", "pyca.ee_is_ca", "the leaf is a CA certificate (cA=TRUE)"),
    (
        "EE keyUsage must not assert keyCertSign",
        "pyca.ee_key_cert_sign",
        "the leaf's keyUsage asserts keyCertSign",
    ),
    (
        "keyCertSign must be asserted in a CA",
        "pyca.ca_key_cert_sign",
        "a CA in the path (the trust anchor included) has a keyUsage without keyCertSign",
    ),
    (
        "cA must be asserted in a CA",
        "pyca.ca_not_ca",
        "a certificate used as an issuer has cA=FALSE",
    ),
    (
        "CA certificate has no basicConstraints",
        "pyca.ca_no_bc",
        "a CA in the path (the trust anchor included) has no basicConstraints",
    ),
    ("path length constraint violated", "pyca.path_length", "a CA's pathLenConstraint is exceeded"),
    (
        "no matching subjectAltName",
        "pyca.name_mismatch",
        "no subjectAltName of the leaf matches the requested name",
    ),
    ("has no subjectAltName", "pyca.san_absent", "the leaf has no subjectAltName"),
    (
        "subjectAltName MUST",
        "pyca.san_criticality",
        "the leaf's subjectAltName criticality does not fit its subject (critical iff empty)",
    ),
    (
        "not valid at validation time",
        "pyca.validity",
        "a certificate is outside its validity period at the evaluation time",
    ),
    (
        "validity dates between 1950 and 2049 must be UtcTime",
        "pyca.validity_encoding",
        "a validity date in 1950-2049 is encoded as GeneralizedTime (RFC 5280 §4.1.2.5 requires "
        "UTCTime)",
    ),
    ("signature does not match", "pyca.signature", "a signature in the path does not verify"),
    (
        "mismatch between signatureAlgorithm and SPKI algorithm",
        "pyca.signature_key_mismatch",
        "a certificate's signature algorithm does not fit its issuer's key type",
    ),
    (
        "issuer has malformed public key",
        "pyca.issuer_key",
        "an issuer's public key cannot be loaded",
    ),
    (
        "unaccounted-for critical",
        "pyca.unknown_critical",
        "a certificate has a critical extension the verifier does not process",
    ),
    (
        "duplicate extension",
        "pyca.duplicate_extension",
        "a certificate carries the same extension twice (RFC 5280 §4.2)",
    ),
    (
        "incorrect criticality",
        "pyca.criticality",
        "an extension has the wrong criticality (EKU must be non-critical; a CA's "
        "basicConstraints must be critical)",
    ),
    (
        "missing required extension",
        "pyca.extension_missing",
        "a required extension is missing (EE: subjectAltName, authorityKeyIdentifier; CA: "
        "basicConstraints, keyUsage)",
    ),
    (
        "prohibited extension",
        "pyca.extension_prohibited",
        "an extension the policy forbids is present (e.g. nameConstraints in the leaf)",
    ),
    ("authorityKeyIdentifier must", "pyca.aki", "an authorityKeyIdentifier is malformed"),
    ("X509v3", "pyca.version", "a certificate in the path is not X.509 v3"),
    (
        "serial",
        "pyca.serial",
        "a serial number is not a positive integer of 1 to 20 octets (RFC 5280 §4.1.2.2)",
    ),
    ("non-empty Issuer", "pyca.issuer_empty", "a certificate has an empty issuer name"),
    (
        "ASN.1 parsing error",
        "pyca.parse_error",
        "a certificate or extension cannot be parsed (e.g. an empty EKU SEQUENCE)",
    ),
    (
        "Forbidden public key algorithm",
        "pyca.key_algorithm",
        "an issuer key is not a Web PKI key type",
    ),
    ("key is too weak", "pyca.key_algorithm", "an issuer's RSA key is shorter than 2048 bits"),
    ("key too weak", "pyca.key_algorithm", "an issuer key is too weak"),
    (
        "Forbidden signature algorithm",
        "pyca.signature_algorithm",
        "a signature algorithm is not allowed in the Web PKI (e.g. SHA-1)",
    ),
    ("max depth", "pyca.depth", "the path is longer than the maximum chain depth"),
    ("depth calculation overflowed", "pyca.depth", "the path is longer than pyca can count"),
    (
        "Exceeded maximum",
        "pyca.budget",
        "path building gave up: pyca's budget of signature or name-constraint checks ran out",
    ),
    (
        "directoryName",
        "pyca.nc_unsupported",
        "a CA's nameConstraints holds a directoryName subtree, which pyca does not implement, so "
        "it refuses the path",
    ),
    (
        "unsupported name constraint",
        "pyca.nc_unsupported",
        "a CA's nameConstraints holds a name form pyca does not implement (otherName, "
        "x400Address, ediPartyName, URI, registeredID) and the leaf has a SAN of that form",
    ),
    (
        "nameConstraints must have non-empty",
        "pyca.nc_empty",
        "a CA's nameConstraints has neither permittedSubtrees nor excludedSubtrees",
    ),
    (
        "unsatisfiable",
        "pyca.nc_malformed_san",
        "a SAN is malformed, so it cannot be checked against a CA's name constraints",
    ),
    (
        "malformed",
        "pyca.nc_malformed",
        "a CA's name constraint is malformed (a DNS, IP or RFC 822 subtree pyca cannot read)",
    ),
    (
        "excluded name constraint matched",
        "pyca.nc_excluded",
        "a SAN of the leaf lies in a subtree a CA's nameConstraints exclude",
    ),
    (
        "no permitted name constraints matched",
        "pyca.nc_not_permitted",
        "a SAN of the leaf lies outside every permitted subtree of a CA's nameConstraints",
    ),
    ("name constraint", "pyca.name_constraints", "a name constraint is violated"),
    (
        "Python",
        "pyca.custom_validator",
        "a custom extension validator of the policy failed",
    ),
    (
        "all candidates exhausted with no interior errors",
        "pyca.no_path",
        "no issuer was found among the given intermediates and roots, or the only candidates were "
        "not usable CAs (pyca ignores e.g. an intermediate without basicConstraints, or one whose "
        "keyUsage lacks keyCertSign)",
    ),
)
_ENCOUNTERED = re.compile(r"\s*\(encountered processing <Certificate\(subject=(.*?), \.\.\.\)>\)")


def translate(message: str, verifier: str, policy_eku: str) -> Finding:
    """A VerificationError message as a finding a learner can read (pyca's words kept too)."""
    raw = message.removeprefix("validation failed: ")
    where = ""
    m = _ENCOUNTERED.search(raw)
    if m:
        subject = m.group(1).removeprefix("<Name(").removesuffix(")>")
        where = f" (while checking {subject})"
        raw = _ENCOUNTERED.sub("", raw)
    # pyca prints a forbidden algorithm as a Rust debug dump; keep just its OID.
    raw = re.sub(
        r"AlgorithmIdentifier \{.*?ObjectIdentifier \{ oid: ([0-9.]+) \}.*\}", r"OID \1", raw
    )
    rule, meaning = "pyca.rejected", "the path was rejected"
    for needle, code, text in PYCA_ERRORS:
        if needle in raw:
            rule, meaning = code, text
            break
    meaning = meaning.replace(
        "the policy's key purpose", f"the policy's key purpose ({policy_eku})"
    )
    exhausted = raw.startswith("candidates exhausted") and rule != "pyca.no_path"
    oid = re.search(r"invalid extension: ([0-9.]+):", raw)
    ext = f" [{extension(oid.group(1)).name}]" if oid else ""
    text = (
        f"pyca's {verifier} rejected the path{where}: {meaning}{ext}."
        + (" Every candidate issuer was rejected." if exhausted else "")
        + f" pyca says: '{raw}'."
    )
    short = re.sub(r"\s*\([^)]*\)", "", meaning).split(":")[0] + ext
    return finding(Outcome.DENIED, rule, text, PYCA_CA if exhausted else PYCA_EE, f"pyca: {short}")
