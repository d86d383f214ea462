"""The Web PKI profile: may this certificate be used for TLS, as browsers and the CA/B Forum see it?

Two sources are combined, and every reason names which one it comes from:

* **Issuance rules** for publicly-trusted TLS certificates: the CA/B Forum TLS Baseline
  Requirements 2.2.6 certificate profiles (§7.1.2, in force since 2023-09-15) and the Chrome Root
  Program policy v1.8 §1.3.2 ("dedicated serverAuth hierarchies"), evaluated as of ``ctx.when``.
* **Verification** as a browser-like client does it: pyca/cryptography's
  ``cryptography.x509.verification`` with its default Web PKI policies (``webpki_defaults_ee`` /
  ``webpki_defaults_ca``). Chain-aware (``ctx.roots`` given) it really builds and verifies the path;
  leaf-only, the end-entity facts that policy checks without a chain are reported by us.

Outcomes (``Verdict.outcome``), decided by the worst finding:

* ``invalid``: the certificate is malformed where it matters (an extension that does not decode,
  a duplicated extension, an empty EKU SEQUENCE, which RFC 5280 §4.2.1.12 forbids).
* ``denied``: a browser refuses it (pyca's verifier rejects the path, or a rule pyca enforces on
  the leaf, or the name or validity period does not fit), or a MUST / MUST NOT of the BRs or of
  Chrome's policy is violated by a certificate issued while that rule was in force, including a
  criticality the BR §7.1.2.7.6 table prescribes (read as binding when the extension is present,
  as zlint's ``e_sub_cert_key_usage_not_critical`` / ``e_sub_cert_basic_constraints_not_critical``
  do).
* ``warning``: a browser accepts it, but a SHOULD / NOT RECOMMENDED rule is not met, or it is not
  compliant with today's rules: a BR rule it breaks took effect after it was issued (every BR rule
  is dated by the judged certificate's notBefore, :data:`RULE_DATES`; e.g. a sub-CA issued in 2013
  without EKU), or an upcoming Chrome date will forbid the same certificate (e.g.
  serverAuth+clientAuth issued before 2027-03-15: "compliant today, not after 2027-03-15").
* ``allowed``: every rule checked here is met.
* ``n/a``: purposes other than TLS server/client; the Web PKI judges TLS certificates only.

What is judged: the key-purpose rules (EKU, KU, basicConstraints, key type) of BR §7.1.2.7
(subscriber), §7.1.2.6.1/§7.1.2.10 (TLS sub-CA) and §7.1.2.1 (root), plus the end-entity facts
pyca enforces (SAN and AKI present, no nameConstraints, no unknown critical extension) and the
validity period. Chrome's sub-CA dates are stated for the CCADB disclosure date, which a
certificate does not carry: the CA certificate's notBefore stands in for it, and the reason says
so. Not judged: AIA, certificatePolicies, CRL distribution points, validity-period
length and subject naming (BR rules unrelated to what the key may be used for).

``tls_client`` is judged as a client certificate *from a Web PKI hierarchy*: pyca's
``ClientVerifier`` rules (EKU, if present, must list clientAuth; any SAN; no name matching), plus
the same BR subscriber profile, whose §7.1.2.7.10 requires serverAuth in every subscriber
certificate. A clientAuth-only certificate is therefore denied here (it belongs to a private
PKI: see the rfc5280 or windows profile), and serverAuth+clientAuth is at best a warning, because
Chrome is phasing clientAuth out of serverAuth hierarchies.

Names: chain-aware, pyca matches ``ctx.hostname``; with no hostname, pyca's ServerVerifier (which
needs a name) is given the leaf's own first DNS/IP SAN, and a reason says that name matching was
not requested. Leaf-only, a given hostname is matched against the SAN as pyca would (RFC 9525).

Options read from ``ctx.options``: ``required_key_usage`` (KU bit names the caller requires of
the leaf, like x509-limbo's ``key_usage``; an absent KU extension satisfies it, RFC 5280 §4.2.1.3)
and ``max_chain_depth`` (pyca's default is 8).
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from certlib.cert import der
from certlib.cert.facts import CertFacts, facts
from certlib.core.oids import EKU, EXT, eku, extension, ku_bit
from certlib.core.verdicts import Context, Profile, Purpose, Reason, Verdict, judge_each
from certlib.profiles.common import match_hostname

__all__ = [
    "BR_1_EFFECTIVE",
    "BR_PROFILES_EFFECTIVE",
    "BR_RSA_2048_EFFECTIVE",
    "CHROME_LEAF_SERVER_AUTH_ONLY",
    "CHROME_SUBCA_SERVER_AUTH_ONLY",
    "NAME",
    "RULE_DATES",
    "RuleDate",
    "evaluate",
    "evaluate_ca",
]

NAME = "webpki"

# No ``outcome_key`` (certlib.inventory memoises outcomes only for profiles that define one):
# evaluate reads the leaf's validity even without a trust anchor (when
# certlib.inventory.judge._chain_key is None), its notBefore against
# CHROME_LEAF_SERVER_AUTH_ONLY, and
# its signature algorithm (SHA-1 / MD5 here, pyca's permitted algorithms chain-aware); none of
# them is in CertFacts. See tests/test_memo_openssl_webpki.py for witness pairs.

#: BR 2.0.0 (ballot SC062) certificate profiles took effect on this date.
BR_PROFILES_EFFECTIVE = _dt.datetime(2023, 9, 15, tzinfo=_dt.UTC)
#: BR 1.0 (CA/B Forum ballot 76) took effect: subscriber EKU, CA keyUsage bits and criticality.
BR_1_EFFECTIVE = _dt.datetime(2012, 7, 1, tzinfo=_dt.UTC)
#: BR 1.x §6.1.5 / Appendix A: RSA moduli of at least 2048 bits for certificates issued from here.
BR_RSA_2048_EFFECTIVE = _dt.datetime(2014, 1, 1, tzinfo=_dt.UTC)
#: Chrome Root Program v1.8 §1.3.2: leaves issued on/after this date must be serverAuth-only.
CHROME_LEAF_SERVER_AUTH_ONLY = _dt.datetime(2027, 3, 15, tzinfo=_dt.UTC)
#: Chrome Root Program v1.8 §1.3.2: sub-CAs disclosed on/after this date must be serverAuth-only.
CHROME_SUBCA_SERVER_AUTH_ONLY = _dt.datetime(2026, 6, 15, tzinfo=_dt.UTC)

_BR = "CA/B Forum TLS Baseline Requirements 2.2.6 §"
_CHROME = "Chrome Root Program policy v1.8 §1.3.2"
_PYCA = "pyca/cryptography x509.verification"
_PYCA_EE = f"{_PYCA} (webpki_defaults_ee)"
_PYCA_CA = f"{_PYCA} (webpki_defaults_ca)"
_RFC_EKU = "RFC 5280 §4.2.1.12"

_SERVER = EKU.SERVER_AUTH.oid
_CLIENT = EKU.CLIENT_AUTH.oid
#: BR §7.1.2.7.10 and §7.1.2.10.6: key purposes that MUST NOT appear in TLS certificates.
_FORBIDDEN_EKU = (
    EKU.CODE_SIGNING.oid,
    EKU.EMAIL_PROTECTION.oid,
    EKU.TIME_STAMPING.oid,
    EKU.OCSP_SIGNING.oid,
    EKU.ANY.oid,
    EKU.CT_PRECERT_SIGNING.oid,
)
#: The eight extensions pyca's policies know; any other critical extension is rejected
#: ("certificate contains unaccounted-for critical extensions", policy/extension.rs).
_PYCA_KNOWN = frozenset(
    e.oid
    for e in (
        EXT.AUTHORITY_INFORMATION_ACCESS,
        EXT.AUTHORITY_KEY_IDENTIFIER,
        EXT.SUBJECT_KEY_IDENTIFIER,
        EXT.KEY_USAGE,
        EXT.SUBJECT_ALTERNATIVE_NAME,
        EXT.BASIC_CONSTRAINTS,
        EXT.NAME_CONSTRAINTS,
        EXT.EXTENDED_KEY_USAGE,
    )
)
#: BR §7.1.2.7.11 key usage per key type: bit -> "MUST" | "SHOULD" | "MAY" | "NOT RECOMMENDED".
_KU_RSA = {
    "digital_signature": "SHOULD",
    "key_encipherment": "MAY",
    "data_encipherment": "NOT RECOMMENDED",
}
_KU_ECC = {"digital_signature": "MUST", "key_agreement": "NOT RECOMMENDED"}
#: BR §7.1.2.10.7 CA key usage.
_KU_CA = {"key_cert_sign": "MUST", "crl_sign": "MUST", "digital_signature": "MAY"}
_WEBPKI_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
_RANK = {"allowed": 0, "warning": 1, "denied": 2, "invalid": 3}


@dataclass(frozen=True)
class RuleDate:
    """When a BR / root-program rule started to apply, and whether browsers enforce it.

    ``effective`` is compared with the judged certificate's notBefore (its issuance). A finding
    whose source names pyca's verifier is enforced whatever the issuance date (pyca, like Chrome,
    refuses the path); a rule that states CA/B Forum issuance compliance only denies a certificate
    issued while it was in force, and is a warning (naming the rule and its date) for one issued
    before: browsers accept such a certificate, it is just not compliant with today's rules.
    """

    effective: _dt.datetime
    rule: str


_BR2 = "BR 2.0.0 (ballot SC062) profile"
_BR1 = "BR 1.0 (ballot 76)"
#: Every BR rule whose outcome depends on the issuance date. Rules not listed are either enforced
#: by pyca's verifier or by browsers whatever the date (``cert.*``, ``eku.critical``, ``bc.ca``,
#: ``san.absent`` ...), come from RFC 5280 (``ku.empty``, malformed extensions), are dated by
#: their own code (the Chrome rules) or are warnings already.
RULE_DATES: dict[str, RuleDate] = {
    "key.size": RuleDate(
        BR_RSA_2048_EFFECTIVE,
        "BR §6.1.5 (RSA >= 2048 bits; Chrome's verifier flags shorter keys from this date)",
    ),
    "eku.absent": RuleDate(BR_1_EFFECTIVE, f"{_BR1} Appendix B (3)(F): EKU in every subscriber"),
    "eku.server_auth_missing": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.10"),
    "eku.forbidden": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.10"),
    "bc.path_length": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.8"),
    "bc.not_critical": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.6"),
    "ku.not_critical": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.6"),
    "ku.not_permitted": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.11"),
    "ku.digital_signature_missing": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.11"),
    "san.types": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.7.12"),
    "root.ku": RuleDate(BR_1_EFFECTIVE, f"{_BR1} Appendix B (1): root keyUsage"),
    "subca.ku": RuleDate(BR_1_EFFECTIVE, f"{_BR1} Appendix B (2): sub-CA keyUsage"),
    "root.ku_extra": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.10.7"),
    "subca.ku_extra": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.10.7"),
    "root.eku_present": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.1.2"),
    "subca.eku_absent": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.6.1"),
    "subca.server_auth_missing": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.10.6"),
    "subca.eku_forbidden": RuleDate(BR_PROFILES_EFFECTIVE, f"{_BR2} §7.1.2.10.6"),
}


@dataclass(frozen=True)
class _Finding:
    """A reason plus the outcome it pushes towards and a short label for the closing summary."""

    outcome: str
    reason: Reason
    short: str = ""


def _f(outcome: str, rule: str, text: str, source: str, short: str = "") -> _Finding:
    return _Finding(outcome, Reason(rule, text, source), short)


def _dated(findings: list[_Finding], issued: _dt.datetime) -> list[_Finding]:
    """Apply :data:`RULE_DATES`: a compliance-only rule violated by a certificate issued before
    the rule took effect is a warning naming the rule and its date, not a denial."""
    out: list[_Finding] = []
    for x in findings:
        date = RULE_DATES.get(x.reason.rule)
        if date is None or x.outcome != "denied":
            out.append(x)
        elif _PYCA in x.reason.source or issued >= date.effective:
            text = f"{x.reason.text} (In force for certificates issued from {_day(date.effective)}"
            text += f": {date.rule}; this one was issued {_day(issued)}.)"
            out.append(_Finding(x.outcome, Reason(x.reason.rule, text, x.reason.source), x.short))
        else:
            text = (
                f"{x.reason.text} Not compliant with today's rules, but this certificate was "
                f"issued {_day(issued)}, before that rule took effect on {_day(date.effective)} "
                f"({date.rule}), and browsers do not enforce it on certificates issued earlier: "
                "a warning, not a denial."
            )
            short = (
                f"{x.short or x.reason.rule}, a rule from {_day(date.effective)} (issued before)"
            )
            out.append(_Finding("warning", Reason(x.reason.rule, text, x.reason.source), short))
    return out


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------


def _names(oids: Iterable[str]) -> str:
    return ", ".join(eku(o).short_name for o in oids) or "(none)"


def _bits(names: Iterable[str]) -> str:
    return ", ".join(ku_bit(n).rfc_name for n in sorted(names, key=lambda n: ku_bit(n).bit))


def _day(t: _dt.datetime) -> str:
    return t.date().isoformat()


def _subject(cert: x509.Certificate) -> str:
    try:
        return cert.subject.rfc4514_string() or "(empty subject)"
    except ValueError:
        return "(undecodable subject)"


def _critical(f: CertFacts, oid: str) -> bool | None:
    ext = f.extension(oid)
    return None if ext is None else ext.critical


def _key_kind(cert: x509.Certificate) -> tuple[str, str]:
    """("rsa" | "ec" | "other", a description) of the subject public key."""
    try:
        key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        return "other", f"an unsupported public key ({exc})"
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa", f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec", f"ECDSA {_WEBPKI_CURVES.get(key.curve.name, key.curve.name)}"
    return "other", type(key).__name__.removesuffix("PublicKey").lstrip("_") or "unknown"


# --------------------------------------------------------------------------------------------
# leaf (subscriber) rules
# --------------------------------------------------------------------------------------------


def _structure(cert: x509.Certificate, f: CertFacts, *, issued: bool = True) -> list[_Finding]:
    """Decoding, duplicates, version; for certificates whose signature a verifier checks
    (``issued``: not the trust anchor) also the serial number and the signature hash."""
    out: list[_Finding] = []
    if f.errors:
        out.append(
            _f(
                "invalid",
                "cert.malformed",
                "Some extensions cannot be decoded: " + "; ".join(f.errors) + ". Browsers and "
                "pyca refuse such a certificate outright.",
                "RFC 5280 §4.2 (DER); " + _PYCA,
                "undecodable extension",
            )
        )
    dup = f.duplicated()
    if dup:
        out.append(
            _f(
                "invalid",
                "cert.duplicate_extension",
                f"Extension(s) {', '.join(extension(o).name for o in dup)} appear more than once; "
                "RFC 5280 §4.2 forbids that and parsers reject the certificate.",
                "RFC 5280 §4.2",
                "duplicated extension",
            )
        )
    if f.version != 3:
        out.append(
            _f(
                "denied",
                "cert.version",
                f"This is an X.509 v{f.version} certificate; the BRs require v3 and pyca verifies "
                "v3 certificates only.",
                _BR + "7.1.1; " + _PYCA,
                "not X.509 v3 (BR 7.1.1)",
            )
        )
    if issued and f.serial <= 0:
        out.append(
            _f(
                "denied",
                "cert.serial",
                f"The serial number is {f.serial}; it MUST be a positive integer, and pyca "
                "rejects a negative one.",
                "RFC 5280 §4.1.2.2; " + _BR + "7.1; " + _PYCA,
                "serial number not positive",
            )
        )
    try:
        digest = cert.signature_hash_algorithm
    except UnsupportedAlgorithm:
        digest = None
    if issued and isinstance(digest, hashes.SHA1 | hashes.MD5):
        out.append(
            _f(
                "denied",
                "cert.signature_hash",
                f"Signed with {digest.name.upper()}: the BRs allow SHA-256/384/512 only, and "
                "pyca refuses the signature ('Forbidden signature algorithm').",
                _BR + "7.1.3.2; " + _PYCA,
                f"{digest.name.upper()} signature (BR 7.1.3.2)",
            )
        )
    return out


def _key(cert: x509.Certificate) -> tuple[str, list[_Finding]]:
    kind, desc = _key_kind(cert)
    src = _BR + "6.1.5, §7.1.3.1"
    if kind == "rsa":
        size = int(desc.split("-")[1])
        if size < 2048 or size % 8:
            return kind, [
                _f(
                    "denied",
                    "key.size",
                    f"The key is {desc}: the BRs require an RSA modulus of at least 2048 bits, "
                    "divisible by 8 (pyca checks issuer keys only, so it would not object).",
                    src,
                    f"{desc} key (BR 6.1.5)",
                )
            ]
        return kind, [_f("allowed", "key.type", f"The key is {desc}, a Web PKI key type.", src)]
    if kind == "ec" and desc.split()[-1] in _WEBPKI_CURVES.values():
        return kind, [_f("allowed", "key.type", f"The key is {desc}, a Web PKI key type.", src)]
    return kind, [
        _f(
            "denied",
            "key.type",
            f"The key is {desc}: publicly-trusted TLS certificates carry RSA (>= 2048 bits) or "
            "ECDSA P-256/P-384/P-521 keys only (pyca checks issuer keys only, so it would not "
            "object to this leaf).",
            src,
            f"{desc} key not permitted (BR 6.1.5)",
        )
    ]


def _validity(cert: x509.Certificate, when: _dt.datetime) -> list[_Finding]:
    nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
    src = "RFC 5280 §4.1.2.5; pyca checks it while verifying the path"
    if when < nb:
        return [
            _f(
                "denied",
                "validity.not_yet_valid",
                f"Not valid yet on {_day(when)}: notBefore is {_day(nb)}.",
                src,
                "not yet valid",
            )
        ]
    if when > na:
        return [
            _f(
                "denied",
                "validity.expired",
                f"Expired on {_day(na)}, before the evaluation date {_day(when)}.",
                src,
                "expired",
            )
        ]
    return [
        _f(
            "allowed",
            "validity.ok",
            f"Valid on {_day(when)} ({_day(nb)} to {_day(na)}).",
            src,
        )
    ]


def _leaf_eku(f: CertFacts, purpose: Purpose) -> list[_Finding]:
    src_present = _BR + "7.1.2.7.6"
    src_values = _BR + "7.1.2.7.10"
    if f.eku is None:
        return [
            _f(
                "denied",
                "eku.absent",
                "No Extended Key Usage extension. BR §7.1.2.7.6 requires it in every TLS "
                "subscriber certificate (and Chrome's 2027 rule requires serverAuth only). "
                "Verifiers are laxer: pyca, OpenSSL and Go read an absent EKU as 'any purpose' "
                "and accept the leaf.",
                src_present,
                "EKU absent (BR 7.1.2.7.6)",
            )
        ]
    if not f.eku:
        return [
            _f(
                "invalid",
                "eku.empty",
                "The EKU extension is an empty SEQUENCE: RFC 5280 requires at least one key "
                "purpose (SIZE (1..MAX)); pyca fails with an ASN.1 parsing error.",
                _RFC_EKU + "; " + _PYCA,
                "empty EKU",
            )
        ]
    out: list[_Finding] = []
    listed = _names(f.eku)
    if f.eku_critical:
        out.append(
            _f(
                "denied",
                "eku.critical",
                "The EKU extension is marked critical; BR §7.1.2.7.6 requires it non-critical "
                "and pyca's EE policy rejects it ('incorrect criticality').",
                src_present + "; " + _PYCA_EE,
                "EKU critical (BR 7.1.2.7.6)",
            )
        )
    if _SERVER in f.eku:
        if purpose is Purpose.TLS_SERVER:
            out.append(
                _f(
                    "allowed",
                    "eku.purpose_present",
                    f"EKU lists serverAuth ({listed}).",
                    src_values,
                )
            )
    elif purpose is Purpose.TLS_SERVER:
        only_any = set(f.eku) == {EKU.ANY.oid}
        out.append(
            _f(
                "denied",
                "eku.purpose_missing",
                f"EKU ({listed}) does not list serverAuth: BR §7.1.2.7.10 requires it and pyca's "
                "ServerVerifier fails with 'required EKU not found'"
                + (
                    " (anyExtendedKeyUsage alone is not enough for an end entity)."
                    if only_any
                    else "."
                ),
                src_values + "; " + _PYCA_EE,
                "serverAuth missing (BR 7.1.2.7.10)",
            )
        )
    else:
        out.append(
            _f(
                "denied",
                "eku.server_auth_missing",
                f"EKU ({listed}) does not list serverAuth. BR §7.1.2.7.10 requires serverAuth in "
                "every subscriber certificate of a publicly-trusted TLS hierarchy, so a "
                "certificate without it is not a Web PKI certificate; judge a private client "
                "certificate with the rfc5280 or windows profile.",
                src_values,
                "serverAuth missing (BR 7.1.2.7.10)",
            )
        )
    if purpose is Purpose.TLS_CLIENT:
        if _CLIENT in f.eku:
            out.append(
                _f(
                    "allowed",
                    "eku.purpose_present",
                    f"EKU lists clientAuth ({listed}); the BRs allow it (MAY).",
                    src_values + "; " + _PYCA_EE,
                )
            )
        else:
            out.append(
                _f(
                    "denied",
                    "eku.purpose_missing",
                    f"EKU ({listed}) does not list clientAuth: pyca's ClientVerifier fails with "
                    "'required EKU not found'.",
                    _PYCA_EE,
                    "clientAuth missing",
                )
            )
    forbidden = [o for o in f.eku if o in _FORBIDDEN_EKU]
    if forbidden:
        out.append(
            _f(
                "denied",
                "eku.forbidden",
                f"EKU lists {_names(forbidden)}, which BR §7.1.2.7.10 says MUST NOT appear in a "
                "TLS subscriber certificate (codeSigning, emailProtection, timeStamping, "
                "OCSPSigning, anyExtendedKeyUsage, the CT precertificate OID).",
                src_values,
                f"{_names(forbidden)} present (BR 7.1.2.7.10)",
            )
        )
    other = [o for o in f.eku if o not in (_SERVER, _CLIENT, *_FORBIDDEN_EKU)]
    if other:
        out.append(
            _f(
                "warning",
                "eku.not_recommended",
                f"EKU also lists {_names(other)}: BR §7.1.2.7.10 says any other value is NOT "
                "RECOMMENDED.",
                src_values,
                f"{_names(other)} NOT RECOMMENDED (BR 7.1.2.7.10)",
            )
        )
    return out


def _chrome_leaf(
    f: CertFacts, not_before: _dt.datetime, when: _dt.datetime, purpose: Purpose
) -> list[_Finding]:
    """Chrome Root Program v1.8 §1.3.2: leaves issued on/after 2027-03-15 are serverAuth-only."""
    if not f.eku or _SERVER not in f.eku:
        return []  # the BR findings already deny; there is no serverAuth to keep "only"
    extra = [o for o in f.eku if o != _SERVER]
    date = _day(CHROME_LEAF_SERVER_AUTH_ONLY)
    if not extra:
        return [
            _f(
                "allowed",
                "chrome.leaf_server_auth_only",
                f"EKU is serverAuth only, as Chrome requires of leaves issued on or after {date}.",
                _CHROME,
            )
        ]
    issued = _day(not_before)
    client_note = (
        " For TLS client use this means: client authentication with a Web PKI certificate is "
        "being phased out (Let's Encrypt's default profile dropped clientAuth on 2026-02-11)."
        if purpose is Purpose.TLS_CLIENT
        else ""
    )
    if not_before >= CHROME_LEAF_SERVER_AUTH_ONLY:
        return [
            _f(
                "denied",
                "chrome.leaf_server_auth_only",
                f"Issued {issued}, on or after {date}, with EKU serverAuth + {_names(extra)}: "
                f"Chrome requires leaves issued from {date} to carry serverAuth only and "
                "distrusts hierarchies that keep issuing others." + client_note,
                _CHROME,
                f"not serverAuth-only, issued on/after {date} (Chrome v1.8 §1.3.2)",
            )
        ]
    if when < CHROME_LEAF_SERVER_AUTH_ONLY:
        days = (CHROME_LEAF_SERVER_AUTH_ONLY - when).days
        timing = f"that rule starts {days} days after the evaluation date ({_day(when)})"
    else:
        timing = f"that rule has applied since {date}, but this leaf was issued before it"
    return [
        _f(
            "warning",
            "chrome.leaf_server_auth_only",
            f"Compliant today, not after {date}: issued {issued} with EKU serverAuth + "
            f"{_names(extra)}. Chrome requires leaves issued on or after {date} to carry "
            f"serverAuth only; {timing}. A renewal with the same EKU would be denied."
            + client_note,
            _CHROME,
            f"serverAuth + {_names(extra)}: not allowed for leaves issued from {date}",
        )
    ]


def _leaf_bc(f: CertFacts) -> list[_Finding]:
    src = _BR + "7.1.2.7.8"
    if not f.bc_present:
        return [
            _f(
                "allowed",
                "bc.absent",
                "No basicConstraints: an end entity (BR §7.1.2.7.6: MAY be present).",
                src,
            )
        ]
    out: list[_Finding] = []
    if f.bc_ca:
        out.append(
            _f(
                "denied",
                "bc.ca",
                "basicConstraints says cA=TRUE: this is a CA certificate in the leaf position. "
                "BR §7.1.2.7.8 requires cA=FALSE and pyca's EE policy rejects it "
                "('basicConstraints.cA must not be asserted in an EE certificate').",
                src + "; " + _PYCA_EE,
                "cA=TRUE in a leaf (BR 7.1.2.7.8)",
            )
        )
    else:
        out.append(_f("allowed", "bc.end_entity", "basicConstraints says cA=FALSE.", src))
    if f.path_length is not None:
        out.append(
            _f(
                "denied",
                "bc.path_length",
                f"basicConstraints carries pathLenConstraint={f.path_length}; BR §7.1.2.7.8 says "
                "it MUST NOT be present in a subscriber certificate.",
                src,
                "pathLenConstraint in a leaf (BR 7.1.2.7.8)",
            )
        )
    if not f.bc_critical:
        out.append(
            _f(
                "denied",
                "bc.not_critical",
                "basicConstraints is present but not critical; the BR §7.1.2.7.6 table marks it "
                "critical when present.",
                _BR + "7.1.2.7.6",
                "basicConstraints not critical (BR 7.1.2.7.6)",
            )
        )
    return out


def _leaf_ku(f: CertFacts, kind: str, required: frozenset[str]) -> list[_Finding]:
    src = _BR + "7.1.2.7.11"
    out: list[_Finding] = []
    if f.key_usage is None:
        out.append(
            _f(
                "warning",
                "ku.absent",
                "No keyUsage extension: BR §7.1.2.7.6 says it SHOULD be present (critical). "
                "Verifiers treat an absent KU as unrestricted.",
                _BR + "7.1.2.7.6",
                "keyUsage absent (SHOULD, BR 7.1.2.7.6)",
            )
        )
        return out
    ku = f.key_usage
    if not f.ku_critical:
        out.append(
            _f(
                "denied",
                "ku.not_critical",
                "keyUsage is present but not critical; the BR §7.1.2.7.6 table marks it critical.",
                _BR + "7.1.2.7.6",
                "keyUsage not critical (BR 7.1.2.7.6)",
            )
        )
    if "key_cert_sign" in ku:
        out.append(
            _f(
                "denied",
                "ku.key_cert_sign",
                "keyUsage asserts keyCertSign in an end-entity certificate: not permitted by "
                "BR §7.1.2.7.11, and pyca's EE policy rejects it ('EE keyUsage must not assert "
                "keyCertSign').",
                src + "; " + _PYCA_EE,
                "keyCertSign in a leaf (BR 7.1.2.7.11)",
            )
        )
    if kind in ("rsa", "ec"):
        table = _KU_RSA if kind == "rsa" else _KU_ECC
        label = "RSA" if kind == "rsa" else "ECC"
        if not ku:
            out.append(
                _f(
                    "denied",
                    "ku.empty",
                    "keyUsage has no bit set; at least one MUST be set.",
                    src + "; RFC 5280 §4.2.1.3",
                    "keyUsage with no bits (BR 7.1.2.7.11)",
                )
            )
        bad = sorted(ku - table.keys() - {"key_cert_sign"})
        if bad:
            out.append(
                _f(
                    "denied",
                    "ku.not_permitted",
                    f"keyUsage asserts {_bits(bad)}, not permitted for an {label} key in a TLS "
                    f"subscriber certificate (permitted: {_bits(table)}).",
                    src,
                    f"{_bits(bad)} not permitted for {label} (BR 7.1.2.7.11)",
                )
            )
        if "digital_signature" not in ku and ku:
            level = table["digital_signature"]
            out.append(
                _f(
                    "denied" if level == "MUST" else "warning",
                    "ku.digital_signature_missing",
                    f"keyUsage lacks digitalSignature, which an {label} TLS key {level} assert "
                    "(TLS 1.3 and ECDHE key exchanges sign with it).",
                    src,
                    f"digitalSignature missing ({level}, BR 7.1.2.7.11)",
                )
            )
        discouraged = sorted(b for b in ku if table.get(b) == "NOT RECOMMENDED")
        if discouraged:
            out.append(
                _f(
                    "warning",
                    "ku.not_recommended",
                    f"keyUsage asserts {_bits(discouraged)}: NOT RECOMMENDED for an {label} key "
                    "(dataEncipherment is a pending prohibition).",
                    src,
                    f"{_bits(discouraged)} NOT RECOMMENDED (BR 7.1.2.7.11)",
                )
            )
        if ku and not bad and "key_cert_sign" not in ku and "digital_signature" in ku:
            out.append(
                _f(
                    "allowed",
                    "ku.ok",
                    f"keyUsage ({_bits(ku)}) fits an {label} TLS key.",
                    src,
                )
            )
    missing = sorted(required - ku)
    if missing:
        out.append(
            _f(
                "denied",
                "ku.required_missing",
                f"The caller requires keyUsage {_bits(missing)}, which the certificate does not "
                f"assert (it asserts {_bits(ku) or 'nothing'}).",
                "caller requirement (ctx.options['required_key_usage']); RFC 5280 §4.2.1.3",
                f"required {_bits(missing)} missing",
            )
        )
    return out


#: GeneralName tags in a SAN (RFC 5280 §4.2.1.6); BR §7.1.2.7.12 permits dNSName and iPAddress.
_SAN_TAGS = {
    0xA0: "otherName",
    0x81: "rfc822Name",
    0x82: "dNSName",
    0xA3: "x400Address",
    0xA4: "directoryName",
    0xA5: "ediPartyName",
    0x86: "uniformResourceIdentifier",
    0x87: "iPAddress",
    0x88: "registeredID",
}


def _san(cert: x509.Certificate, f: CertFacts, critical: bool) -> list[_Finding]:
    """BR §7.1.2.7.12: SAN criticality follows the subject; only dNSName / iPAddress entries."""
    ext = f.extension(EXT.SUBJECT_ALTERNATIVE_NAME.oid)
    assert ext is not None
    try:
        tags = [t for t, _v in der.children(der.unwrap(ext.value, der.SEQUENCE))]
    except der.DerError as exc:
        return [
            _f(
                "invalid",
                "san.malformed",
                f"The subjectAltName cannot be decoded ({exc}); pyca fails to parse it.",
                "RFC 5280 §4.2.1.6; " + _PYCA,
                "undecodable subjectAltName",
            )
        ]
    out: list[_Finding] = []
    try:
        empty_subject = len(cert.subject) == 0
    except ValueError:
        empty_subject = False
    src = _BR + "7.1.2.7.12"
    if empty_subject != critical:
        out.append(
            _f(
                "denied",
                "san.criticality",
                "subjectAltName must be critical exactly when the subject is empty; here the "
                f"subject is {'empty' if empty_subject else 'not empty'} and the SAN is "
                f"{'critical' if critical else 'not critical'}.",
                src + "; RFC 5280 §4.2.1.6; " + _PYCA_EE,
                "subjectAltName criticality",
            )
        )
    other = sorted({_SAN_TAGS.get(t, f"tag 0x{t:02x}") for t in tags} - {"dNSName", "iPAddress"})
    if not tags or other:
        what = f"also holds {', '.join(other)}" if tags else "is empty"
        out.append(
            _f(
                "denied",
                "san.types",
                f"The subjectAltName {what}: a TLS subscriber certificate's SAN holds at least "
                "one entry, each a dNSName or an iPAddress.",
                src,
                "SAN entries other than DNS/IP (BR 7.1.2.7.12)" if tags else "empty SAN",
            )
        )
    if not out:
        out.append(
            _f(
                "allowed",
                "san.present",
                f"subjectAltName is present with {len(tags)} DNS/IP name(s).",
                src + "; " + _PYCA_EE,
            )
        )
    return out


def _leaf_pyca_facts(cert: x509.Certificate, f: CertFacts) -> list[_Finding]:
    """What pyca's EE policy checks without a chain: SAN, AKI, no nameConstraints, criticality."""
    out: list[_Finding] = []
    san_critical = _critical(f, EXT.SUBJECT_ALTERNATIVE_NAME.oid)
    if san_critical is None:
        out.append(
            _f(
                "denied",
                "san.absent",
                "No subjectAltName: BR §7.1.2.7.6 requires it, and pyca's EE policy rejects a "
                "leaf without it (servers and clients alike). The subject CN is not used for "
                "name matching.",
                _BR + "7.1.2.7.6; " + _PYCA_EE,
                "subjectAltName absent (BR 7.1.2.7.6)",
            )
        )
    else:
        out += _san(cert, f, san_critical)
    aki_critical = _critical(f, EXT.AUTHORITY_KEY_IDENTIFIER.oid)
    if aki_critical is None:
        out.append(
            _f(
                "denied",
                "aki.absent",
                "No authorityKeyIdentifier: BR §7.1.2.7.6 requires it and pyca's EE policy "
                "rejects a leaf without it (so a self-signed leaf cannot be its own anchor).",
                _BR + "7.1.2.7.6; " + _PYCA_EE,
                "authorityKeyIdentifier absent (BR 7.1.2.7.6)",
            )
        )
    elif aki_critical or f.authority_key_id is None:
        out.append(
            _f(
                "denied",
                "aki.malformed",
                "authorityKeyIdentifier must be non-critical and carry a keyIdentifier.",
                _BR + "7.1.2.11.1; " + _PYCA_EE,
                "authorityKeyIdentifier malformed (BR 7.1.2.11.1)",
            )
        )
    if f.extension(EXT.NAME_CONSTRAINTS.oid) is not None:
        out.append(
            _f(
                "denied",
                "nc.present",
                "nameConstraints in an end-entity certificate: BR §7.1.2.7.6 says MUST NOT, and "
                "pyca's EE policy rejects it.",
                _BR + "7.1.2.7.6; " + _PYCA_EE,
                "nameConstraints in a leaf",
            )
        )
    unknown = [e.oid for e in f.extensions if e.critical and e.oid not in _PYCA_KNOWN]
    if unknown:
        out.append(
            _f(
                "denied",
                "ext.unknown_critical",
                f"Critical extension(s) {', '.join(extension(o).name for o in unknown)} that the "
                "verifier does not process: RFC 5280 §4.2 says it MUST reject the certificate, "
                "and pyca does ('unaccounted-for critical extensions').",
                "RFC 5280 §4.2; " + _PYCA,
                "unprocessed critical extension",
            )
        )
    return out


def _leaf_findings(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> list[_Finding]:
    f = facts(cert)
    when = ctx.when
    out = _structure(cert, f)
    kind, key_findings = _key(cert)
    out += key_findings
    out += _validity(cert, when)
    out += _leaf_eku(f, purpose)
    out += _chrome_leaf(f, cert.not_valid_before_utc, when, purpose)
    out += _leaf_bc(f)
    required = frozenset(ku_bit(n).name for n in ctx.options.get("required_key_usage", ()))
    out += _leaf_ku(f, kind, required)
    out += _leaf_pyca_facts(cert, f)
    return _dated(out, cert.not_valid_before_utc)


# --------------------------------------------------------------------------------------------
# CA rules (roots and TLS sub-CAs of a verified chain)
# --------------------------------------------------------------------------------------------


def _ca_findings(cert: x509.Certificate, *, root: bool) -> list[_Finding]:
    """BR §7.1.2.1 (root) or §7.1.2.6.1 + §7.1.2.10 (TLS sub-CA) and Chrome v1.8 §1.3.2."""
    f = facts(cert)
    who = f"{'root' if root else 'sub-CA'} {_subject(cert)}"
    pre = "root" if root else "subca"
    ext_sec = "7.1.2.1.2" if root else "7.1.2.6.1"
    out = _structure(cert, f, issued=not root)
    # basicConstraints: MUST, critical, cA TRUE (§7.1.2.1.4 / §7.1.2.10.4)
    bc_sec = "7.1.2.1.4" if root else "7.1.2.10.4"
    if not f.bc_present or not f.bc_ca or not f.bc_critical:
        problem = (
            "has no basicConstraints"
            if not f.bc_present
            else "has cA=FALSE"
            if not f.bc_ca
            else "has a non-critical basicConstraints"
        )
        out.append(
            _f(
                "denied",
                f"{pre}.bc",
                f"The {who} {problem}: a CA certificate MUST carry a critical basicConstraints "
                "with cA=TRUE.",
                f"{_BR}{ext_sec}, §{bc_sec}; {_PYCA_CA}",
                f"{pre} basicConstraints (BR {bc_sec})",
            )
        )
    # keyUsage: MUST, critical; keyCertSign + cRLSign MUST, digitalSignature MAY (§7.1.2.10.7)
    if f.key_usage is None:
        out.append(
            _f(
                "denied",
                f"{pre}.ku_absent",
                f"The {who} has no keyUsage: BR requires it (critical), and pyca's CA policy "
                "rejects a CA without it.",
                f"{_BR}{ext_sec}; {_PYCA_CA}",
                f"{pre} keyUsage absent (BR {ext_sec})",
            )
        )
    else:
        missing = sorted(b for b, lvl in _KU_CA.items() if lvl == "MUST" and b not in f.key_usage)
        bad = sorted(f.key_usage - _KU_CA.keys())
        problems = []
        if not f.ku_critical:
            problems.append("is not critical")
        if missing:
            problems.append(f"lacks {_bits(missing)}")
        if bad:
            out.append(
                _f(
                    "denied",
                    f"{pre}.ku_extra",
                    f"The {who}'s keyUsage asserts {_bits(bad)}, not permitted for a CA (BR: "
                    "keyCertSign and cRLSign MUST, digitalSignature MAY, nothing else).",
                    f"{_BR}{ext_sec}, §7.1.2.10.7",
                    f"{pre} keyUsage {_bits(bad)} (BR 7.1.2.10.7)",
                )
            )
        if problems:
            out.append(
                _f(
                    "denied",
                    f"{pre}.ku",
                    f"The {who}'s keyUsage {' and '.join(problems)} (BR: critical; keyCertSign "
                    "and cRLSign MUST, digitalSignature MAY, nothing else).",
                    f"{_BR}{ext_sec}, §7.1.2.10.7"
                    + ("; " + _PYCA_CA if "key_cert_sign" in missing else ""),
                    f"{pre} keyUsage (BR 7.1.2.10.7)",
                )
            )
    # EKU
    if root:
        if f.eku is not None:
            out.append(
                _f(
                    "denied",
                    "root.eku_present",
                    f"The {who} carries an EKU extension ({_names(f.eku or ())}): BR §7.1.2.1.2 "
                    "says extKeyUsage MUST NOT be present in a root certificate (pyca instead "
                    "reads it as a constraint on the chain).",
                    _BR + "7.1.2.1.2",
                    "EKU in a root (BR 7.1.2.1.2)",
                )
            )
        return _dated(out, cert.not_valid_before_utc)
    out += _subca_eku(cert, f, who)
    return _dated(out, cert.not_valid_before_utc)


def _subca_eku(cert: x509.Certificate, f: CertFacts, who: str) -> list[_Finding]:
    src = _BR + "7.1.2.10.6"
    if f.eku is None:
        return [
            _f(
                "denied",
                "subca.eku_absent",
                f"The {who} has no EKU: BR §7.1.2.6.1 requires a non-critical EKU in a TLS "
                "sub-CA and Chrome requires serverAuth (+clientAuth before 2026-06-15) there. "
                "Verifiers (pyca, OpenSSL, Go) treat an EKU-less CA as unrestricted.",
                _BR + "7.1.2.6.1; " + _CHROME,
                "sub-CA EKU absent (BR 7.1.2.6.1)",
            )
        ]
    out: list[_Finding] = []
    listed = _names(f.eku)
    if f.eku_critical:
        out.append(
            _f(
                "denied",
                "subca.eku_critical",
                f"The {who}'s EKU is critical; BR §7.1.2.6.1 requires it non-critical and pyca's "
                "CA policy rejects it.",
                _BR + "7.1.2.6.1; " + _PYCA_CA,
                "sub-CA EKU critical (BR 7.1.2.6.1)",
            )
        )
    if _SERVER not in f.eku:
        out.append(
            _f(
                "denied",
                "subca.server_auth_missing",
                f"The {who}'s EKU ({listed}) lacks serverAuth, which a TLS sub-CA MUST list.",
                src,
                "sub-CA without serverAuth (BR 7.1.2.10.6)",
            )
        )
    forbidden = [o for o in f.eku if o in _FORBIDDEN_EKU]
    if forbidden:
        out.append(
            _f(
                "denied",
                "subca.eku_forbidden",
                f"The {who}'s EKU lists {_names(forbidden)}, which MUST NOT appear in a TLS "
                "sub-CA (anyExtendedKeyUsage is allowed only in an unrestricted cross-certificate, "
                "BR §7.1.2.2.4, which Chrome's dedicated-hierarchy rule no longer admits).",
                src + "; " + _CHROME,
                f"sub-CA {_names(forbidden)} (BR 7.1.2.10.6)",
            )
        )
    other = [o for o in f.eku if o not in (_SERVER, _CLIENT, *_FORBIDDEN_EKU)]
    if other:
        out.append(
            _f(
                "warning",
                "subca.eku_not_recommended",
                f"The {who}'s EKU also lists {_names(other)}: NOT RECOMMENDED in a TLS sub-CA.",
                src,
                f"sub-CA {_names(other)} NOT RECOMMENDED",
            )
        )
    if _SERVER in f.eku and not forbidden and not other:
        nb = cert.not_valid_before_utc
        cutoff = _day(CHROME_SUBCA_SERVER_AUTH_ONLY)
        proxy = (
            f"CCADB disclosure dates are not known here, so the CA certificate's notBefore "
            f"({_day(nb)}) stands in for it"
        )
        if _CLIENT not in f.eku:
            out.append(
                _f(
                    "allowed",
                    "chrome.subca_eku",
                    f"The {who}'s EKU is serverAuth only, as Chrome requires.",
                    _CHROME,
                )
            )
        elif nb < CHROME_SUBCA_SERVER_AUTH_ONLY:
            out.append(
                _f(
                    "allowed",
                    "chrome.subca_eku",
                    f"The {who}'s EKU is serverAuth + clientAuth, which Chrome accepts for "
                    f"sub-CAs disclosed before {cutoff} ({proxy}).",
                    _CHROME,
                )
            )
        else:
            out.append(
                _f(
                    "denied",
                    "chrome.subca_eku",
                    f"The {who}'s EKU is serverAuth + clientAuth, but Chrome requires serverAuth "
                    f"only for sub-CAs disclosed on or after {cutoff} ({proxy}).",
                    _CHROME,
                    f"sub-CA serverAuth+clientAuth from {cutoff} (Chrome v1.8 §1.3.2)",
                )
            )
    return out


# --------------------------------------------------------------------------------------------
# chain-aware: pyca/cryptography x509.verification
# --------------------------------------------------------------------------------------------

#: (substring of pyca's message, rule, what it means). The first match wins: specific first.
#: Covers every ``ValidationError`` text of pyca/cryptography 46-50 (``lib.rs``,
#: ``policy/mod.rs``, ``policy/extension.rs``, ``certificate.rs`` of
#: ``cryptography-x509-verification``); ``tests/test_webpki_pyca_oracle.py`` lists them and checks
#: that none falls through to the generic ``pyca.rejected``.
_PYCA_ERRORS: tuple[tuple[str, str, str], ...] = (
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


def _translate(message: str, verifier: str, policy_eku: str) -> _Finding:
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
    for needle, code, text in _PYCA_ERRORS:
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
    return _f("denied", rule, text, _PYCA_CA if exhausted else _PYCA_EE, f"pyca: {short}")


def _server_subject(
    cert: x509.Certificate, hostname: str | None
) -> tuple[x509.DNSName | x509.IPAddress, _Finding]:
    """The name pyca's ServerVerifier must match, and a reason saying where it came from."""
    if hostname:
        try:
            return x509.IPAddress(ipaddress.ip_address(hostname)), _f(
                "allowed", "name.requested", f"Name matching requested for IP {hostname}.", _PYCA
            )
        except ValueError:
            return x509.DNSName(hostname), _f(
                "allowed", "name.requested", f"Name matching requested for {hostname}.", _PYCA
            )
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = san.get_values_for_type(x509.DNSName)
        ips = san.get_values_for_type(x509.IPAddress)
    except (x509.ExtensionNotFound, ValueError):
        dns, ips = [], []
    note = (
        "No hostname was requested, so name matching is not part of this verdict; pyca's "
        "ServerVerifier needs a name, so it was given the leaf's own first {kind} SAN '{name}'"
        "{extra}."
    )
    if dns:
        name = dns[0]
        extra = ""
        if name.startswith("*."):
            name = "www" + name[1:]
            extra = f" (wildcard {dns[0]} instantiated as {name})"
        return x509.DNSName(name), _f(
            "allowed", "name.not_requested", note.format(kind="DNS", name=name, extra=extra), _PYCA
        )
    if ips:
        return x509.IPAddress(ips[0]), _f(
            "allowed",
            "name.not_requested",
            note.format(kind="IP", name=ips[0], extra=""),
            _PYCA,
        )
    return x509.DNSName("invalid"), _f(
        "allowed",
        "name.not_requested",
        "No hostname was requested and the leaf has no DNS or IP SAN; pyca's ServerVerifier "
        "was given the placeholder name 'invalid', which cannot match: a TLS server "
        "certificate needs a DNS or IP SAN (BR §7.1.2.7.12).",
        _PYCA,
    )


def _leaf_only_name(cert: x509.Certificate, purpose: Purpose, hostname: str) -> _Finding:
    """Without a chain pyca cannot run; match the name the way it does (SAN only, RFC 9525)."""
    src = "RFC 9525 §6.3; certlib.profiles.common.match_hostname"
    if purpose is Purpose.TLS_CLIENT:
        return _f(
            "allowed",
            "name.ignored",
            f"A hostname ({hostname}) was given, but client certificates are not name-matched "
            "(pyca's ClientVerifier only requires a SAN).",
            _PYCA,
        )
    matched, why = match_hostname(cert, hostname)
    if matched:
        return _f("allowed", "name.match", why[0].upper() + why[1:] + ".", src)
    return _f(
        "denied",
        "name.mismatch",
        why[0].upper() + why[1:] + "; a browser would refuse the connection.",
        src,
        f"name {hostname} not in the SAN",
    )


def _pyca(
    cert: x509.Certificate, purpose: Purpose, ctx: Context
) -> tuple[list[_Finding], list[x509.Certificate] | None]:
    """Run pyca's verifier; return its findings and the verified chain (leaf first) or None."""
    builder = PolicyBuilder().store(Store(list(ctx.roots))).time(ctx.when)
    depth = ctx.options.get("max_chain_depth")
    if depth is not None:
        builder = builder.max_chain_depth(int(depth))
    intermediates = list(ctx.intermediates)
    policy_eku = "serverAuth" if purpose is Purpose.TLS_SERVER else "clientAuth"
    out: list[_Finding] = []
    try:
        if purpose is Purpose.TLS_SERVER:
            subject, name_finding = _server_subject(cert, ctx.hostname)
            out.append(name_finding)
            verifier_name = "ServerVerifier"
            chain = builder.build_server_verifier(subject).verify(cert, intermediates)
        else:
            verifier_name = "ClientVerifier"
            if ctx.hostname:
                out.append(
                    _f(
                        "allowed",
                        "name.ignored",
                        f"A hostname ({ctx.hostname}) was given, but pyca's ClientVerifier does "
                        "no name matching for client certificates: it only requires a SAN.",
                        _PYCA,
                    )
                )
            chain = builder.build_client_verifier().verify(cert, intermediates).chain
    except VerificationError as exc:
        out.append(_translate(str(exc), verifier_name, policy_eku))
        return out, None
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        out.append(
            _f(
                "denied",
                "pyca.error",
                f"pyca could not run the verification: {exc}.",
                _PYCA,
                "pyca could not verify",
            )
        )
        return out, None
    path = " <- ".join(_subject(c) for c in chain)
    out.append(
        _f(
            "allowed",
            "pyca.verified",
            f"pyca's {verifier_name} built and verified a path of {len(chain)} certificate(s) "
            f"to a given root on {_day(ctx.when)}: {path}. Its Web PKI policies accepted every "
            f"certificate, with {policy_eku} as the policy EKU.",
            f"{_PYCA_EE}; {_PYCA_CA}",
        )
    )
    return out, list(chain)


def _chain_findings(chain: Sequence[x509.Certificate]) -> list[_Finding]:
    """BR/Chrome CA rules for the intermediates and the anchor of a verified chain."""
    out: list[_Finding] = []
    for ca in chain[1:-1]:
        out += _ca_findings(ca, root=False)
    if len(chain) > 1:
        anchor = chain[-1]
        out += _ca_findings(anchor, root=facts(anchor).self_issued)
    return out


# --------------------------------------------------------------------------------------------
# verdicts
# --------------------------------------------------------------------------------------------


def _verdict(purpose: Purpose, findings: list[_Finding], what: str) -> Verdict:
    outcome = max((x.outcome for x in findings), key=_RANK.__getitem__, default="allowed")
    label = purpose.label
    if outcome == "allowed":
        text = f"Allowed for {label} under the Web PKI: every rule checked here holds for {what}."
    else:
        shorts = [x.short or x.reason.rule for x in findings if x.outcome == outcome]
        kind = {
            "warning": "Allowed with warnings",
            "denied": "Denied",
            "invalid": "Invalid certificate, not usable",
        }[outcome]
        text = f"{kind} for {label} under the Web PKI: " + "; ".join(dict.fromkeys(shorts)) + "."
    summary = Reason(f"webpki.{outcome}", text, f"{_BR}7.1.2; {_CHROME}; {_PYCA}")
    return Verdict(purpose, NAME, outcome, (*(x.reason for x in findings), summary))


def _scope(purpose: Purpose) -> Verdict:
    return Verdict(
        purpose,
        NAME,
        "n/a",
        (
            Reason(
                "webpki.scope",
                f"The Web PKI profile judges TLS certificates only; {purpose.label} is outside "
                "it (see the rfc5280 or windows profile).",
                _BR + "1.1; " + _CHROME,
            ),
        ),
    )


def _preamble(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> _Finding:
    nb = cert.not_valid_before_utc
    old = (
        f" This certificate was issued {_day(nb)}, before those profiles took effect "
        f"({_day(BR_PROFILES_EFFECTIVE)}); earlier BR versions applied at issuance."
        if nb < BR_PROFILES_EFFECTIVE
        else ""
    )
    mode = (
        "chain-aware: pyca/cryptography builds and verifies the path to the given roots"
        if ctx.chain_aware
        else "leaf-only: no roots given, so no chain and no signature is checked"
    )
    return _f(
        "allowed",
        "webpki.profile",
        f"Judged as a {purpose.label} leaf against the BR 2.2.6 subscriber profile and Chrome "
        f"Root Program v1.8 as of {_day(ctx.when)} ({mode}).{old}",
        f"{_BR}7.1.2.7; {_CHROME}",
    )


def evaluate(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> Verdict:
    """May ``cert`` be used as a TLS server / client certificate in the Web PKI, as of ``ctx.when``?

    Leaf-only (no ``ctx.roots``): BR §7.1.2.7 subscriber rules, Chrome v1.8 §1.3.2 dates and the
    chain-independent facts of pyca's ``webpki_defaults_ee`` policy. Chain-aware: additionally
    pyca's ServerVerifier (with ``ctx.hostname``, or the leaf's own first SAN when none is given,
    which the reasons say) or ClientVerifier, then the BR/Chrome CA rules on the verified path.
    """
    purpose = Purpose(purpose)
    if purpose not in (Purpose.TLS_SERVER, Purpose.TLS_CLIENT):
        return _scope(purpose)
    findings = [_preamble(cert, purpose, ctx), *_leaf_findings(cert, purpose, ctx)]
    if ctx.chain_aware:
        pyca_findings, chain = _pyca(cert, purpose, ctx)
        findings += pyca_findings
        if chain is not None:
            findings += _chain_findings(chain)
        else:
            findings.append(
                _f(
                    "allowed",
                    "chain.ca_rules_not_checked",
                    "No path was verified, so the BR rules for the root and sub-CAs (BR "
                    "§7.1.2.1, §7.1.2.6.1, §7.1.2.10) were not checked.",
                    f"{_BR}7.1.2.1, §7.1.2.6.1, §7.1.2.10",
                )
            )
        what = "the leaf and its verified path"
    else:
        what = "the certificate alone (no chain checked)"
        if ctx.hostname:
            findings.append(_leaf_only_name(cert, purpose, ctx.hostname))
    return _verdict(purpose, findings, what)


def evaluate_ca(
    cert: x509.Certificate, purpose: Purpose, ctx: Context, *, root: bool | None = None
) -> Verdict:
    """Judge a CA certificate on its own against the root (BR §7.1.2.1) or TLS sub-CA
    (BR §7.1.2.6.1, §7.1.2.10) rules and Chrome v1.8 §1.3.2; ``root`` defaults to "self-issued".
    """
    purpose = Purpose(purpose)
    if purpose not in (Purpose.TLS_SERVER, Purpose.TLS_CLIENT):
        return _scope(purpose)
    is_root = facts(cert).self_issued if root is None else root
    findings = [
        _f(
            "allowed",
            "webpki.profile",
            f"Judged as a {'root' if is_root else 'TLS subordinate'} CA certificate against the "
            f"BR 2.2.6 CA profiles and Chrome Root Program v1.8 as of {_day(ctx.when)}.",
            f"{_BR}7.1.2.1, §7.1.2.6, §7.1.2.10; {_CHROME}",
        ),
        *_validity(cert, ctx.when),
        *_ca_findings(cert, root=is_root),
    ]
    return _verdict(purpose, findings, f"the {'root' if is_root else 'sub-CA'} certificate")


#: This profile in the registry (:mod:`certlib.profiles`).
PROFILE = Profile(NAME, judge_each(evaluate), None, "certlib.profiles.webpki")
