"""What every certificate in a Web PKI path must be, leaf or CA: decodable, without duplicate
extensions, X.509 v3, with a positive serial and a SHA-2 signature, and inside its validity."""

from __future__ import annotations

import datetime as _dt

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes

from certlib.cert.facts import CertFacts
from certlib.core.oids import extension
from certlib.core.verdicts import Outcome
from certlib.profiles.webpki.findings import BR, PYCA, Finding, day, finding

__all__ = ["structure", "validity"]


def structure(cert: x509.Certificate, f: CertFacts, *, issued: bool = True) -> list[Finding]:
    """Decoding, duplicates, version; for certificates whose signature a verifier checks
    (``issued``: not the trust anchor) also the serial number and the signature hash."""
    out: list[Finding] = []
    if f.errors:
        out.append(
            finding(
                Outcome.INVALID,
                "cert.malformed",
                "Some extensions cannot be decoded: " + "; ".join(f.errors) + ". Browsers and "
                "pyca refuse such a certificate outright.",
                "RFC 5280 §4.2 (DER); " + PYCA,
                "undecodable extension",
            )
        )
    dup = f.duplicated()
    if dup:
        out.append(
            finding(
                Outcome.INVALID,
                "cert.duplicate_extension",
                f"Extension(s) {', '.join(extension(o).name for o in dup)} appear more than once; "
                "RFC 5280 §4.2 forbids that and parsers reject the certificate.",
                "RFC 5280 §4.2",
                "duplicated extension",
            )
        )
    if f.version != 3:
        out.append(
            finding(
                Outcome.DENIED,
                "cert.version",
                f"This is an X.509 v{f.version} certificate; the BRs require v3 and pyca verifies "
                "v3 certificates only.",
                BR + "7.1.1; " + PYCA,
                "not X.509 v3 (BR 7.1.1)",
            )
        )
    if issued and f.serial <= 0:
        out.append(
            finding(
                Outcome.DENIED,
                "cert.serial",
                f"The serial number is {f.serial}; it MUST be a positive integer, and pyca "
                "rejects a negative one.",
                "RFC 5280 §4.1.2.2; " + BR + "7.1; " + PYCA,
                "serial number not positive",
            )
        )
    try:
        digest = cert.signature_hash_algorithm
    except UnsupportedAlgorithm:
        digest = None
    if issued and isinstance(digest, hashes.SHA1 | hashes.MD5):
        out.append(
            finding(
                Outcome.DENIED,
                "cert.signature_hash",
                f"Signed with {digest.name.upper()}: the BRs allow SHA-256/384/512 only, and "
                "pyca refuses the signature ('Forbidden signature algorithm').",
                BR + "7.1.3.2; " + PYCA,
                f"{digest.name.upper()} signature (BR 7.1.3.2)",
            )
        )
    return out


def validity(cert: x509.Certificate, when: _dt.datetime) -> list[Finding]:
    """Inside the validity period at ``when``? (pyca checks it too, chain-aware.)"""
    nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
    src = "RFC 5280 §4.1.2.5; pyca checks it while verifying the path"
    if when < nb:
        return [
            finding(
                Outcome.DENIED,
                "validity.not_yet_valid",
                f"Not valid yet on {day(when)}: notBefore is {day(nb)}.",
                src,
                "not yet valid",
            )
        ]
    if when > na:
        return [
            finding(
                Outcome.DENIED,
                "validity.expired",
                f"Expired on {day(na)}, before the evaluation date {day(when)}.",
                src,
                "expired",
            )
        ]
    return [
        finding(
            Outcome.ALLOWED,
            "validity.ok",
            f"Valid on {day(when)} ({day(nb)} to {day(na)}).",
            src,
        )
    ]
