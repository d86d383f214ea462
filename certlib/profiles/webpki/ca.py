"""The CA rules: a root (BR §7.1.2.1) or TLS sub-CA (BR §7.1.2.6.1, §7.1.2.10) and Chrome
v1.8 §1.3.2, applied to the CAs of a verified path or to a CA certificate judged on its own."""

from __future__ import annotations

from collections.abc import Sequence

from cryptography import x509

from certlib.cert.facts import CertFacts, facts
from certlib.core.memo import Memo
from certlib.core.verdicts import Context, Outcome, Purpose, Verdict
from certlib.profiles.webpki.dates import CHROME_SUBCA_SERVER_AUTH_ONLY, dated
from certlib.profiles.webpki.findings import (
    BR,
    CHROME,
    PYCA_CA,
    Finding,
    day,
    eku_names,
    finding,
    ku_bits,
    subject_text,
)
from certlib.profiles.webpki.outcome import TLS, scope, verdict
from certlib.profiles.webpki.structure import structure, validity
from certlib.profiles.webpki.tables import CLIENT, FORBIDDEN_EKU, KU_CA, SERVER

__all__ = ["ca_rules", "chain_rules", "evaluate_ca"]


def ca_rules(cert: x509.Certificate, *, root: bool, memo: Memo | None = None) -> list[Finding]:
    """BR §7.1.2.1 (root) or §7.1.2.6.1 + §7.1.2.10 (TLS sub-CA) and Chrome v1.8 §1.3.2."""
    f = facts(cert, memo=memo)
    who = f"{'root' if root else 'sub-CA'} {subject_text(cert)}"
    pre = "root" if root else "subca"
    ext_sec = "7.1.2.1.2" if root else "7.1.2.6.1"
    out = structure(cert, f, issued=not root)
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
            finding(
                Outcome.DENIED,
                f"{pre}.bc",
                f"The {who} {problem}: a CA certificate MUST carry a critical basicConstraints "
                "with cA=TRUE.",
                f"{BR}{ext_sec}, §{bc_sec}; {PYCA_CA}",
                f"{pre} basicConstraints (BR {bc_sec})",
            )
        )
    # keyUsage: MUST, critical; keyCertSign + cRLSign MUST, digitalSignature MAY (§7.1.2.10.7)
    if f.key_usage is None:
        out.append(
            finding(
                Outcome.DENIED,
                f"{pre}.ku_absent",
                f"The {who} has no keyUsage: BR requires it (critical), and pyca's CA policy "
                "rejects a CA without it.",
                f"{BR}{ext_sec}; {PYCA_CA}",
                f"{pre} keyUsage absent (BR {ext_sec})",
            )
        )
    else:
        missing = sorted(b for b, lvl in KU_CA.items() if lvl == "MUST" and b not in f.key_usage)
        bad = sorted(f.key_usage - KU_CA.keys())
        problems = []
        if not f.ku_critical:
            problems.append("is not critical")
        if missing:
            problems.append(f"lacks {ku_bits(missing)}")
        if bad:
            out.append(
                finding(
                    Outcome.DENIED,
                    f"{pre}.ku_extra",
                    f"The {who}'s keyUsage asserts {ku_bits(bad)}, not permitted for a CA (BR: "
                    "keyCertSign and cRLSign MUST, digitalSignature MAY, nothing else).",
                    f"{BR}{ext_sec}, §7.1.2.10.7",
                    f"{pre} keyUsage {ku_bits(bad)} (BR 7.1.2.10.7)",
                )
            )
        if problems:
            out.append(
                finding(
                    Outcome.DENIED,
                    f"{pre}.ku",
                    f"The {who}'s keyUsage {' and '.join(problems)} (BR: critical; keyCertSign "
                    "and cRLSign MUST, digitalSignature MAY, nothing else).",
                    f"{BR}{ext_sec}, §7.1.2.10.7"
                    + ("; " + PYCA_CA if "key_cert_sign" in missing else ""),
                    f"{pre} keyUsage (BR 7.1.2.10.7)",
                )
            )
    # EKU
    if root:
        if f.eku is not None:
            out.append(
                finding(
                    Outcome.DENIED,
                    "root.eku_present",
                    f"The {who} carries an EKU extension ({eku_names(f.eku or ())}): BR §7.1.2.1.2 "
                    "says extKeyUsage MUST NOT be present in a root certificate (pyca instead "
                    "reads it as a constraint on the chain).",
                    BR + "7.1.2.1.2",
                    "EKU in a root (BR 7.1.2.1.2)",
                )
            )
        return dated(out, cert.not_valid_before_utc)
    out += _subca_eku(cert, f, who)
    return dated(out, cert.not_valid_before_utc)


def _subca_eku(cert: x509.Certificate, f: CertFacts, who: str) -> list[Finding]:
    src = BR + "7.1.2.10.6"
    if f.eku is None:
        return [
            finding(
                Outcome.DENIED,
                "subca.eku_absent",
                f"The {who} has no EKU: BR §7.1.2.6.1 requires a non-critical EKU in a TLS "
                "sub-CA and Chrome requires serverAuth (+clientAuth before 2026-06-15) there. "
                "Verifiers (pyca, OpenSSL, Go) treat an EKU-less CA as unrestricted.",
                BR + "7.1.2.6.1; " + CHROME,
                "sub-CA EKU absent (BR 7.1.2.6.1)",
            )
        ]
    out: list[Finding] = []
    listed = eku_names(f.eku)
    if f.eku_critical:
        out.append(
            finding(
                Outcome.DENIED,
                "subca.eku_critical",
                f"The {who}'s EKU is critical; BR §7.1.2.6.1 requires it non-critical and pyca's "
                "CA policy rejects it.",
                BR + "7.1.2.6.1; " + PYCA_CA,
                "sub-CA EKU critical (BR 7.1.2.6.1)",
            )
        )
    if SERVER not in f.eku:
        out.append(
            finding(
                Outcome.DENIED,
                "subca.server_auth_missing",
                f"The {who}'s EKU ({listed}) lacks serverAuth, which a TLS sub-CA MUST list.",
                src,
                "sub-CA without serverAuth (BR 7.1.2.10.6)",
            )
        )
    forbidden = [o for o in f.eku if o in FORBIDDEN_EKU]
    if forbidden:
        out.append(
            finding(
                Outcome.DENIED,
                "subca.eku_forbidden",
                f"The {who}'s EKU lists {eku_names(forbidden)}, which MUST NOT appear in a TLS "
                "sub-CA (anyExtendedKeyUsage is allowed only in an unrestricted cross-certificate, "
                "BR §7.1.2.2.4, which Chrome's dedicated-hierarchy rule no longer admits).",
                src + "; " + CHROME,
                f"sub-CA {eku_names(forbidden)} (BR 7.1.2.10.6)",
            )
        )
    other = [o for o in f.eku if o not in (SERVER, CLIENT, *FORBIDDEN_EKU)]
    if other:
        out.append(
            finding(
                Outcome.WARNING,
                "subca.eku_not_recommended",
                f"The {who}'s EKU also lists {eku_names(other)}: NOT RECOMMENDED in a TLS sub-CA.",
                src,
                f"sub-CA {eku_names(other)} NOT RECOMMENDED",
            )
        )
    if SERVER in f.eku and not forbidden and not other:
        nb = cert.not_valid_before_utc
        cutoff = day(CHROME_SUBCA_SERVER_AUTH_ONLY)
        proxy = (
            f"CCADB disclosure dates are not known here, so the CA certificate's notBefore "
            f"({day(nb)}) stands in for it"
        )
        if CLIENT not in f.eku:
            out.append(
                finding(
                    Outcome.ALLOWED,
                    "chrome.subca_eku",
                    f"The {who}'s EKU is serverAuth only, as Chrome requires.",
                    CHROME,
                )
            )
        elif nb < CHROME_SUBCA_SERVER_AUTH_ONLY:
            out.append(
                finding(
                    Outcome.ALLOWED,
                    "chrome.subca_eku",
                    f"The {who}'s EKU is serverAuth + clientAuth, which Chrome accepts for "
                    f"sub-CAs disclosed before {cutoff} ({proxy}).",
                    CHROME,
                )
            )
        else:
            out.append(
                finding(
                    Outcome.DENIED,
                    "chrome.subca_eku",
                    f"The {who}'s EKU is serverAuth + clientAuth, but Chrome requires serverAuth "
                    f"only for sub-CAs disclosed on or after {cutoff} ({proxy}).",
                    CHROME,
                    f"sub-CA serverAuth+clientAuth from {cutoff} (Chrome v1.8 §1.3.2)",
                )
            )
    return out


def chain_rules(chain: Sequence[x509.Certificate], memo: Memo) -> list[Finding]:
    """BR/Chrome CA rules for the intermediates and the anchor of a verified chain.

    A CA's findings depend on that certificate alone, so they are memoised in the run's
    ``memo``: the server and client paths of one leaf, and the leaves of one run that shares
    its memo, reuse them.
    """
    out: list[Finding] = []
    for ca in chain[1:-1]:
        out += _memoised(memo, ca, False)
    if len(chain) > 1:
        out += _memoised(memo, chain[-1], None)
    return out


def _memoised(memo: Memo, cert: x509.Certificate, root: bool | None) -> tuple[Finding, ...]:
    """:func:`ca_rules` of ``cert`` from ``memo`` (keyed by the certificate's value, i.e. its
    DER); ``root=None``: judged as a root exactly when self-issued (the trust anchor)."""

    def make() -> tuple[Finding, ...]:
        is_root = facts(cert, memo=memo).self_issued if root is None else root
        return tuple(ca_rules(cert, root=is_root, memo=memo))

    return memo.get("webpki.ca_rules", (cert, root), make)


def evaluate_ca(
    cert: x509.Certificate, purpose: Purpose, ctx: Context, *, root: bool | None = None
) -> Verdict:
    """Judge a CA certificate on its own against the root (BR §7.1.2.1) or TLS sub-CA
    (BR §7.1.2.6.1, §7.1.2.10) rules and Chrome v1.8 §1.3.2; ``root`` defaults to "self-issued".
    """
    purpose = Purpose(purpose)
    if purpose not in TLS:
        return scope(purpose)
    is_root = facts(cert, memo=ctx.memo).self_issued if root is None else root
    findings = [
        finding(
            Outcome.ALLOWED,
            "webpki.profile",
            f"Judged as a {'root' if is_root else 'TLS subordinate'} CA certificate against the "
            f"BR 2.2.6 CA profiles and Chrome Root Program v1.8 as of {day(ctx.when)}.",
            f"{BR}7.1.2.1, §7.1.2.6, §7.1.2.10; {CHROME}",
        ),
        *validity(cert, ctx.when),
        *ca_rules(cert, root=is_root, memo=ctx.memo),
    ]
    return verdict(purpose, findings, f"the {'root' if is_root else 'sub-CA'} certificate")
