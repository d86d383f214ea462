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

The modules, leaf to verdict: :mod:`.leaf` (subscriber rules; its purpose-independent part read
once per certificate), :mod:`.names` (SAN and host names), :mod:`.keys`, :mod:`.structure`
(what any certificate in a path must be), :mod:`.ca` (root and sub-CA rules), :mod:`.path`
(pyca's verifier) with :mod:`.rejections` (its messages explained), :mod:`.dates` (when each rule
took effect), :mod:`.tables`, :mod:`.findings` and :mod:`.outcome` (findings into a verdict).
"""

from __future__ import annotations

from cryptography import x509

from certlib.cert.facts import facts
from certlib.core.verdicts import Context, Outcome, ProfileJudge, Purpose, Verdict
from certlib.profiles.webpki.ca import chain_rules, evaluate_ca
from certlib.profiles.webpki.dates import (
    BR_1_EFFECTIVE,
    BR_PROFILES_EFFECTIVE,
    BR_RSA_2048_EFFECTIVE,
    CHROME_LEAF_SERVER_AUTH_ONLY,
    CHROME_SUBCA_SERVER_AUTH_ONLY,
    RULE_DATES,
    RuleDate,
)
from certlib.profiles.webpki.findings import BR, Finding, finding
from certlib.profiles.webpki.leaf import LeafRules, leaf_rules
from certlib.profiles.webpki.names import leaf_only_name
from certlib.profiles.webpki.outcome import NAME, TLS, preamble, scope, verdict
from certlib.profiles.webpki.path import PathPolicy, path_policy, verify

__all__ = [
    "BR_1_EFFECTIVE",
    "BR_PROFILES_EFFECTIVE",
    "BR_RSA_2048_EFFECTIVE",
    "CHROME_LEAF_SERVER_AUTH_ONLY",
    "CHROME_SUBCA_SERVER_AUTH_ONLY",
    "NAME",
    "PROFILE",
    "RULE_DATES",
    "RuleDate",
    "evaluate",
    "evaluate_ca",
    "judge",
]

# No ``outcome_key`` (certlib.inventory memoises outcomes only for profiles that define one):
# judge reads the leaf's validity even without a trust anchor (when
# certlib.inventory.judge._chain_key is None), its notBefore against
# CHROME_LEAF_SERVER_AUTH_ONLY, and
# its signature algorithm (SHA-1 / MD5 here, pyca's permitted algorithms chain-aware); none of
# them is in CertFacts. See tests/profiles/test_outcome_key_webpki.py for witness pairs.

#: What a chain-aware verdict says when pyca verified no path.
_CA_RULES_NOT_CHECKED: Finding = finding(
    Outcome.ALLOWED,
    "chain.ca_rules_not_checked",
    "No path was verified, so the BR rules for the root and sub-CAs (BR "
    "§7.1.2.1, §7.1.2.6.1, §7.1.2.10) were not checked.",
    f"{BR}7.1.2.1, §7.1.2.6.1, §7.1.2.10",
)


def judge(
    cert: x509.Certificate, ctx: Context, purposes: tuple[Purpose, ...]
) -> dict[Purpose, Verdict]:
    """Every purpose of ``purposes`` judged in one pass over ``cert``.

    The leaf's purpose-independent findings and pyca's policy are made once; then each TLS
    purpose adds its EKU and Chrome findings and, chain-aware, runs its own pyca verifier (server
    and client policies differ) and the CA rules of the verified path (memoised in
    ``ctx.memo``). Every other purpose is ``n/a`` without reading the certificate.
    """
    leaf: LeafRules | None = None
    path: PathPolicy | None = None
    if any(p in TLS for p in purposes):
        leaf = leaf_rules(cert, facts(cert, memo=ctx.memo), ctx)
        if ctx.chain_aware:
            path = path_policy(ctx)
    out: dict[Purpose, Verdict] = {}
    for purpose in purposes:
        if leaf is None or purpose not in TLS:
            out[purpose] = scope(purpose)
        else:
            out[purpose] = _decide(cert, purpose, ctx, leaf, path)
    return out


def _decide(
    cert: x509.Certificate,
    purpose: Purpose,
    ctx: Context,
    leaf: LeafRules,
    path: PathPolicy | None,
) -> Verdict:
    """One TLS purpose's verdict from the leaf findings read once (and pyca's policy)."""
    findings = [preamble(cert, purpose, ctx), *leaf.findings(purpose)]
    if path is not None:
        pyca_findings, chain = verify(cert, purpose, ctx, path)
        findings += pyca_findings
        if chain is not None:
            findings += chain_rules(chain, ctx.memo)
        else:
            findings.append(_CA_RULES_NOT_CHECKED)
        what = "the leaf and its verified path"
    else:
        what = "the certificate alone (no chain checked)"
        if ctx.hostname:
            findings.append(leaf_only_name(cert, purpose, ctx.hostname, memo=ctx.memo))
    return verdict(purpose, findings, what)


def evaluate(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> Verdict:
    """May ``cert`` be used as a TLS server / client certificate in the Web PKI, as of ``ctx.when``?

    Leaf-only (no ``ctx.roots``): BR §7.1.2.7 subscriber rules, Chrome v1.8 §1.3.2 dates and the
    chain-independent facts of pyca's ``webpki_defaults_ee`` policy. Chain-aware: additionally
    pyca's ServerVerifier (with ``ctx.hostname``, or the leaf's own first SAN when none is given,
    which the reasons say) or ClientVerifier, then the BR/Chrome CA rules on the verified path.
    One purpose of :func:`judge`.
    """
    purpose = Purpose(purpose)
    return judge(cert, ctx, (purpose,))[purpose]


#: This profile in the registry (:mod:`certlib.profiles`).
PROFILE = ProfileJudge(NAME, judge, None, "certlib.profiles.webpki")
