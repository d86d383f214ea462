"""The leaf (subscriber) rules: BR §7.1.2.7 EKU, basicConstraints and keyUsage, Chrome v1.8
§1.3.2's serverAuth-only date, and what pyca's EE policy checks without a chain.

Only the EKU and Chrome findings depend on the purpose; :func:`leaf_rules` reads the rest once
per certificate (:class:`LeafRules`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from cryptography import x509

from certlib.cert.facts import CertFacts
from certlib.core.oids import EKU, EXT, extension, ku_bit
from certlib.core.verdicts import Context, Outcome, Purpose
from certlib.profiles.webpki.dates import CHROME_LEAF_SERVER_AUTH_ONLY, dated
from certlib.profiles.webpki.findings import (
    BR,
    CHROME,
    PYCA,
    PYCA_EE,
    RFC_EKU,
    Finding,
    criticality,
    day,
    eku_names,
    finding,
    ku_bits,
)
from certlib.profiles.webpki.keys import key_rules
from certlib.profiles.webpki.names import san_rules
from certlib.profiles.webpki.structure import structure, validity
from certlib.profiles.webpki.tables import (
    CLIENT,
    FORBIDDEN_EKU,
    KU_ECC,
    KU_RSA,
    PYCA_KNOWN,
    SERVER,
)

__all__ = ["LeafRules", "leaf_rules"]


def _leaf_eku(f: CertFacts, purpose: Purpose) -> list[Finding]:
    src_present = BR + "7.1.2.7.6"
    src_values = BR + "7.1.2.7.10"
    if f.eku is None:
        return [
            finding(
                Outcome.DENIED,
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
            finding(
                Outcome.INVALID,
                "eku.empty",
                "The EKU extension is an empty SEQUENCE: RFC 5280 requires at least one key "
                "purpose (SIZE (1..MAX)); pyca fails with an ASN.1 parsing error.",
                RFC_EKU + "; " + PYCA,
                "empty EKU",
            )
        ]
    out: list[Finding] = []
    listed = eku_names(f.eku)
    if f.eku_critical:
        out.append(
            finding(
                Outcome.DENIED,
                "eku.critical",
                "The EKU extension is marked critical; BR §7.1.2.7.6 requires it non-critical "
                "and pyca's EE policy rejects it ('incorrect criticality').",
                src_present + "; " + PYCA_EE,
                "EKU critical (BR 7.1.2.7.6)",
            )
        )
    if SERVER in f.eku:
        if purpose is Purpose.TLS_SERVER:
            out.append(
                finding(
                    Outcome.ALLOWED,
                    "eku.purpose_present",
                    f"EKU lists serverAuth ({listed}).",
                    src_values,
                )
            )
    elif purpose is Purpose.TLS_SERVER:
        only_any = set(f.eku) == {EKU.ANY.oid}
        out.append(
            finding(
                Outcome.DENIED,
                "eku.purpose_missing",
                f"EKU ({listed}) does not list serverAuth: BR §7.1.2.7.10 requires it and pyca's "
                "ServerVerifier fails with 'required EKU not found'"
                + (
                    " (anyExtendedKeyUsage alone is not enough for an end entity)."
                    if only_any
                    else "."
                ),
                src_values + "; " + PYCA_EE,
                "serverAuth missing (BR 7.1.2.7.10)",
            )
        )
    else:
        out.append(
            finding(
                Outcome.DENIED,
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
        if CLIENT in f.eku:
            out.append(
                finding(
                    Outcome.ALLOWED,
                    "eku.purpose_present",
                    f"EKU lists clientAuth ({listed}); the BRs allow it (MAY).",
                    src_values + "; " + PYCA_EE,
                )
            )
        else:
            out.append(
                finding(
                    Outcome.DENIED,
                    "eku.purpose_missing",
                    f"EKU ({listed}) does not list clientAuth: pyca's ClientVerifier fails with "
                    "'required EKU not found'.",
                    PYCA_EE,
                    "clientAuth missing",
                )
            )
    forbidden = [o for o in f.eku if o in FORBIDDEN_EKU]
    if forbidden:
        out.append(
            finding(
                Outcome.DENIED,
                "eku.forbidden",
                f"EKU lists {eku_names(forbidden)}, which BR §7.1.2.7.10 says MUST NOT appear in a "
                "TLS subscriber certificate (codeSigning, emailProtection, timeStamping, "
                "OCSPSigning, anyExtendedKeyUsage, the CT precertificate OID).",
                src_values,
                f"{eku_names(forbidden)} present (BR 7.1.2.7.10)",
            )
        )
    other = [o for o in f.eku if o not in (SERVER, CLIENT, *FORBIDDEN_EKU)]
    if other:
        out.append(
            finding(
                Outcome.WARNING,
                "eku.not_recommended",
                f"EKU also lists {eku_names(other)}: BR §7.1.2.7.10 says any other value is NOT "
                "RECOMMENDED.",
                src_values,
                f"{eku_names(other)} NOT RECOMMENDED (BR 7.1.2.7.10)",
            )
        )
    return out


def _chrome_leaf(
    f: CertFacts, not_before: _dt.datetime, when: _dt.datetime, purpose: Purpose
) -> list[Finding]:
    """Chrome Root Program v1.8 §1.3.2: leaves issued on/after 2027-03-15 are serverAuth-only."""
    if not f.eku or SERVER not in f.eku:
        return []  # the BR findings already deny; there is no serverAuth to keep "only"
    extra = [o for o in f.eku if o != SERVER]
    date = day(CHROME_LEAF_SERVER_AUTH_ONLY)
    if not extra:
        return [
            finding(
                Outcome.ALLOWED,
                "chrome.leaf_server_auth_only",
                f"EKU is serverAuth only, as Chrome requires of leaves issued on or after {date}.",
                CHROME,
            )
        ]
    issued = day(not_before)
    client_note = (
        " For TLS client use this means: client authentication with a Web PKI certificate is "
        "being phased out (Let's Encrypt's default profile dropped clientAuth on 2026-02-11)."
        if purpose is Purpose.TLS_CLIENT
        else ""
    )
    if not_before >= CHROME_LEAF_SERVER_AUTH_ONLY:
        return [
            finding(
                Outcome.DENIED,
                "chrome.leaf_server_auth_only",
                f"Issued {issued}, on or after {date}, with EKU serverAuth + {eku_names(extra)}: "
                f"Chrome requires leaves issued from {date} to carry serverAuth only and "
                "distrusts hierarchies that keep issuing others." + client_note,
                CHROME,
                f"not serverAuth-only, issued on/after {date} (Chrome v1.8 §1.3.2)",
            )
        ]
    if when < CHROME_LEAF_SERVER_AUTH_ONLY:
        days = (CHROME_LEAF_SERVER_AUTH_ONLY - when).days
        timing = f"that rule starts {days} days after the evaluation date ({day(when)})"
    else:
        timing = f"that rule has applied since {date}, but this leaf was issued before it"
    return [
        finding(
            Outcome.WARNING,
            "chrome.leaf_server_auth_only",
            f"Compliant today, not after {date}: issued {issued} with EKU serverAuth + "
            f"{eku_names(extra)}. Chrome requires leaves issued on or after {date} to carry "
            f"serverAuth only; {timing}. A renewal with the same EKU would be denied."
            + client_note,
            CHROME,
            f"serverAuth + {eku_names(extra)}: not allowed for leaves issued from {date}",
        )
    ]


def _leaf_bc(f: CertFacts) -> list[Finding]:
    src = BR + "7.1.2.7.8"
    if not f.bc_present:
        return [
            finding(
                Outcome.ALLOWED,
                "bc.absent",
                "No basicConstraints: an end entity (BR §7.1.2.7.6: MAY be present).",
                src,
            )
        ]
    out: list[Finding] = []
    if f.bc_ca:
        out.append(
            finding(
                Outcome.DENIED,
                "bc.ca",
                "basicConstraints says cA=TRUE: this is a CA certificate in the leaf position. "
                "BR §7.1.2.7.8 requires cA=FALSE and pyca's EE policy rejects it "
                "('basicConstraints.cA must not be asserted in an EE certificate').",
                src + "; " + PYCA_EE,
                "cA=TRUE in a leaf (BR 7.1.2.7.8)",
            )
        )
    else:
        out.append(
            finding(Outcome.ALLOWED, "bc.end_entity", "basicConstraints says cA=FALSE.", src)
        )
    if f.path_length is not None:
        out.append(
            finding(
                Outcome.DENIED,
                "bc.path_length",
                f"basicConstraints carries pathLenConstraint={f.path_length}; BR §7.1.2.7.8 says "
                "it MUST NOT be present in a subscriber certificate.",
                src,
                "pathLenConstraint in a leaf (BR 7.1.2.7.8)",
            )
        )
    if not f.bc_critical:
        out.append(
            finding(
                Outcome.DENIED,
                "bc.not_critical",
                "basicConstraints is present but not critical; the BR §7.1.2.7.6 table marks it "
                "critical when present.",
                BR + "7.1.2.7.6",
                "basicConstraints not critical (BR 7.1.2.7.6)",
            )
        )
    return out


def _leaf_ku(f: CertFacts, kind: str, required: frozenset[str]) -> list[Finding]:
    src = BR + "7.1.2.7.11"
    out: list[Finding] = []
    if f.key_usage is None:
        out.append(
            finding(
                Outcome.WARNING,
                "ku.absent",
                "No keyUsage extension: BR §7.1.2.7.6 says it SHOULD be present (critical). "
                "Verifiers treat an absent KU as unrestricted.",
                BR + "7.1.2.7.6",
                "keyUsage absent (SHOULD, BR 7.1.2.7.6)",
            )
        )
        return out
    ku = f.key_usage
    if not f.ku_critical:
        out.append(
            finding(
                Outcome.DENIED,
                "ku.not_critical",
                "keyUsage is present but not critical; the BR §7.1.2.7.6 table marks it critical.",
                BR + "7.1.2.7.6",
                "keyUsage not critical (BR 7.1.2.7.6)",
            )
        )
    if "key_cert_sign" in ku:
        out.append(
            finding(
                Outcome.DENIED,
                "ku.key_cert_sign",
                "keyUsage asserts keyCertSign in an end-entity certificate: not permitted by "
                "BR §7.1.2.7.11, and pyca's EE policy rejects it ('EE keyUsage must not assert "
                "keyCertSign').",
                src + "; " + PYCA_EE,
                "keyCertSign in a leaf (BR 7.1.2.7.11)",
            )
        )
    if kind in ("rsa", "ec"):
        table = KU_RSA if kind == "rsa" else KU_ECC
        label = "RSA" if kind == "rsa" else "ECC"
        if not ku:
            out.append(
                finding(
                    Outcome.DENIED,
                    "ku.empty",
                    "keyUsage has no bit set; at least one MUST be set.",
                    src + "; RFC 5280 §4.2.1.3",
                    "keyUsage with no bits (BR 7.1.2.7.11)",
                )
            )
        bad = sorted(ku - table.keys() - {"key_cert_sign"})
        if bad:
            out.append(
                finding(
                    Outcome.DENIED,
                    "ku.not_permitted",
                    f"keyUsage asserts {ku_bits(bad)}, not permitted for an {label} key in a TLS "
                    f"subscriber certificate (permitted: {ku_bits(table)}).",
                    src,
                    f"{ku_bits(bad)} not permitted for {label} (BR 7.1.2.7.11)",
                )
            )
        if "digital_signature" not in ku and ku:
            level = table["digital_signature"]
            out.append(
                finding(
                    Outcome.DENIED if level == "MUST" else Outcome.WARNING,
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
                finding(
                    Outcome.WARNING,
                    "ku.not_recommended",
                    f"keyUsage asserts {ku_bits(discouraged)}: NOT RECOMMENDED for an {label} key "
                    "(dataEncipherment is a pending prohibition).",
                    src,
                    f"{ku_bits(discouraged)} NOT RECOMMENDED (BR 7.1.2.7.11)",
                )
            )
        if ku and not bad and "key_cert_sign" not in ku and "digital_signature" in ku:
            out.append(
                finding(
                    Outcome.ALLOWED,
                    "ku.ok",
                    f"keyUsage ({ku_bits(ku)}) fits an {label} TLS key.",
                    src,
                )
            )
    missing = sorted(required - ku)
    if missing:
        out.append(
            finding(
                Outcome.DENIED,
                "ku.required_missing",
                f"The caller requires keyUsage {ku_bits(missing)}, which the certificate does not "
                f"assert (it asserts {ku_bits(ku) or 'nothing'}).",
                "caller requirement (ctx.options['required_key_usage']); RFC 5280 §4.2.1.3",
                f"required {ku_bits(missing)} missing",
            )
        )
    return out


def _leaf_pyca_facts(cert: x509.Certificate, f: CertFacts) -> list[Finding]:
    """What pyca's EE policy checks without a chain: SAN, AKI, no nameConstraints, criticality."""
    out: list[Finding] = []
    san_critical = criticality(f, EXT.SUBJECT_ALTERNATIVE_NAME.oid)
    if san_critical is None:
        out.append(
            finding(
                Outcome.DENIED,
                "san.absent",
                "No subjectAltName: BR §7.1.2.7.6 requires it, and pyca's EE policy rejects a "
                "leaf without it (servers and clients alike). The subject CN is not used for "
                "name matching.",
                BR + "7.1.2.7.6; " + PYCA_EE,
                "subjectAltName absent (BR 7.1.2.7.6)",
            )
        )
    else:
        out += san_rules(cert, f, san_critical)
    aki_critical = criticality(f, EXT.AUTHORITY_KEY_IDENTIFIER.oid)
    if aki_critical is None:
        out.append(
            finding(
                Outcome.DENIED,
                "aki.absent",
                "No authorityKeyIdentifier: BR §7.1.2.7.6 requires it and pyca's EE policy "
                "rejects a leaf without it (so a self-signed leaf cannot be its own anchor).",
                BR + "7.1.2.7.6; " + PYCA_EE,
                "authorityKeyIdentifier absent (BR 7.1.2.7.6)",
            )
        )
    elif aki_critical or f.authority_key_id is None:
        out.append(
            finding(
                Outcome.DENIED,
                "aki.malformed",
                "authorityKeyIdentifier must be non-critical and carry a keyIdentifier.",
                BR + "7.1.2.11.1; " + PYCA_EE,
                "authorityKeyIdentifier malformed (BR 7.1.2.11.1)",
            )
        )
    if f.extension(EXT.NAME_CONSTRAINTS.oid) is not None:
        out.append(
            finding(
                Outcome.DENIED,
                "nc.present",
                "nameConstraints in an end-entity certificate: BR §7.1.2.7.6 says MUST NOT, and "
                "pyca's EE policy rejects it.",
                BR + "7.1.2.7.6; " + PYCA_EE,
                "nameConstraints in a leaf",
            )
        )
    unknown = [e.oid for e in f.extensions if e.critical and e.oid not in PYCA_KNOWN]
    if unknown:
        out.append(
            finding(
                Outcome.DENIED,
                "ext.unknown_critical",
                f"Critical extension(s) {', '.join(extension(o).name for o in unknown)} that the "
                "verifier does not process: RFC 5280 §4.2 says it MUST reject the certificate, "
                "and pyca does ('unaccounted-for critical extensions').",
                "RFC 5280 §4.2; " + PYCA,
                "unprocessed critical extension",
            )
        )
    return out


@dataclass(frozen=True)
class LeafRules:
    """The findings on a leaf that no purpose changes, read once for every purpose: ``head``
    (structure, key, validity) and ``tail`` (basicConstraints, keyUsage, pyca's EE facts), both
    dated already; :meth:`findings` puts a purpose's EKU and Chrome rules between them."""

    f: CertFacts
    issued: _dt.datetime
    when: _dt.datetime
    head: tuple[Finding, ...]
    tail: tuple[Finding, ...]

    def findings(self, purpose: Purpose) -> list[Finding]:
        """Every leaf finding for ``purpose``, in the order the verdict lists them."""
        middle = _leaf_eku(self.f, purpose)
        middle += _chrome_leaf(self.f, self.issued, self.when, purpose)
        return [*self.head, *dated(middle, self.issued), *self.tail]


def leaf_rules(cert: x509.Certificate, f: CertFacts, ctx: Context) -> LeafRules:
    """The purpose-independent leaf findings of ``cert`` (whose facts are ``f``) in ``ctx``."""
    when = ctx.when
    issued = cert.not_valid_before_utc
    head = structure(cert, f)
    kind, key_findings = key_rules(cert)
    head += key_findings
    head += validity(cert, when)
    required = frozenset(ku_bit(n).name for n in ctx.options.get("required_key_usage", ()))
    tail = _leaf_bc(f)
    tail += _leaf_ku(f, kind, required)
    tail += _leaf_pyca_facts(cert, f)
    return LeafRules(f, issued, when, tuple(dated(head, issued)), tuple(dated(tail, issued)))
