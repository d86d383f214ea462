"""The RFC 5280 profile: what the standard itself says a certificate may be used for.

Leaf rules (§4.2.1.3, §4.2.1.9, §4.2.1.12):

* EKU absent → no restriction; present → the purpose must be listed. anyExtendedKeyUsage
  satisfies any purpose unless ``ctx.options["rfc5280_any_eku"]`` is False (the RFC lets
  applications "reject certificates that include the anyExtendedKeyUsage OID but not the
  particular OID expected"). An empty EKU violates ``SIZE (1..MAX)`` → invalid.
* KU and EKU are processed independently and both must allow the purpose: a present KU must
  assert one of the bits the RFC lists as "may be consistent" with the purpose
  (``oids.KeyPurpose.consistent_ku``). The RFC words this for certificates with both
  extensions; certlib applies it without EKU too unless ``ctx.options["rfc5280_literal_ku"]``.
  A KU with no bits → invalid ("at least one of the bits MUST be set to 1"); keyCertSign
  without cA → invalid (§4.2.1.3 / §4.2.1.9).
* Unrecognised critical extensions → reject (§4.2).

Chain-aware (``ctx.roots``): path validation per §6.1 — signatures and validity
(:mod:`certlib.cert.chain`), every intermediate a CA (§6.1.4(k)), keyCertSign if KU present
(§6.1.4(n)), pathLenConstraint with self-issued intermediates not counted (§6.1.4(l),(m)). The
trust anchor must be a proper CA certificate (BC present, critical, cA TRUE; keyCertSign if KU
present), as x509-limbo's RFC 5280 cases demand (``ctx.options["rfc5280_anchor_checks"]=False``
turns that off: §6.1.1(d) treats the anchor as input information). Path validation does not process
EKU in CA certificates.

Name constraints (§4.2.1.10, §6.1.3(b),(c), §6.1.4(g)): :data:`certlib.cert.nameconstraints.RFC5280`
over the SAN of every certificate below a constrained CA, its subject DN as a directoryName and
its emailAddress attributes as rfc822Names (self-issued intermediates skipped; the subject CN is
never a DNS name). The anchor's own constraints count as initial-permitted/excluded-subtrees
(RFC 5937 §3) unless ``rfc5280_anchor_checks`` is False. A constraint of a form certlib cannot
check (x400Address, ediPartyName, otherName, registeredID) rejects a certificate that has a
name of that form — the RFC's "MUST either process the constraint or reject" — and is ignored
otherwise.

Policies (§6.1.2-§6.1.5): :func:`certlib.cert.policies.policies_valid` (the RFC 9618 policy graph,
which computes the same result as the valid_policy_tree) with initial-policy-set = {anyPolicy}
and initial-explicit-policy, initial-policy-mapping-inhibit and initial-any-policy-inhibit all
false: a path fails only when a certificate's policyConstraints/inhibitAnyPolicy/policyMappings
make an explicit policy required and none is valid for the whole path.

Issuer candidates: every certificate whose subject is the child's issuer name, matching key
identifiers first (:func:`rfc5280_issuer_candidate`): AKI/SKI is a path-building hint
(§4.2.1.1, RFC 4158 §3.5.12), not a validity rule.

Host names (``ctx.hostname``, TLS server purpose only): :func:`match_hostname_rfc`.
"""

from __future__ import annotations

from cryptography import x509

from certlib.cert import nameconstraints as nc
from certlib.cert.chain import describe, is_issuer_candidate_of, link_error
from certlib.cert.facts import CertFacts, facts
from certlib.core.decision import Decision
from certlib.core.memo import Memo
from certlib.core.oids import EKU, EXT, ku_bit
from certlib.core.verdicts import Context, Outcome, Profile, ProfileJudge, Purpose, Reason, Verdict
from certlib.profiles.common import (
    HostRules,
    candidate_paths,
    eku_names,
    ext_names,
    first_good_path,
    host_name_check,
    match_hostname,
)
from certlib.profiles.constraints import (
    carries_policy_constraints,
    constraint_violation,
    policy_failure,
    policy_raws,
    what_path_reads,
)

__all__ = [
    "NAME",
    "RECOGNISED_EXTENSIONS",
    "RFC9525",
    "evaluate",
    "judge",
    "match_hostname_rfc",
    "outcome_key",
    "rfc5280_issuer_candidate",
]

NAME = Profile.RFC5280

S_EKU = "RFC 5280 §4.2.1.12"
S_KU = "RFC 5280 §4.2.1.3"
S_BC = "RFC 5280 §4.2.1.9"
S_EXT = "RFC 5280 §4.2"
S_CA = "RFC 5280 §6.1.4(k)"
S_KCS = "RFC 5280 §6.1.4(n)"
S_PATHLEN = "RFC 5280 §6.1.4(l),(m)"
S_ANCHOR = "RFC 5280 §6.1.1(d), §4.2.1.9"
S_NAME = "RFC 9525 §6.3 (obsoletes RFC 6125 §6.4; RFC 5280 §4.2.1.6)"
S_NC = "RFC 5280 §4.2.1.10, §6.1.3(b),(c), §6.1.4(g)"
S_POLICY = "RFC 5280 §6.1.2-§6.1.5 (RFC 9618 policy graph)"

#: Extensions RFC 5280 defines (§4.2.1, §4.2.2): a critical one of any other OID is rejected.
RECOGNISED_EXTENSIONS: frozenset[str] = frozenset(
    {
        EXT.AUTHORITY_KEY_IDENTIFIER.oid,
        EXT.SUBJECT_KEY_IDENTIFIER.oid,
        EXT.KEY_USAGE.oid,
        EXT.CERTIFICATE_POLICIES.oid,
        EXT.POLICY_MAPPINGS.oid,
        EXT.SUBJECT_ALTERNATIVE_NAME.oid,
        EXT.ISSUER_ALTERNATIVE_NAME.oid,
        EXT.SUBJECT_DIRECTORY_ATTRIBUTES.oid,
        EXT.BASIC_CONSTRAINTS.oid,
        EXT.NAME_CONSTRAINTS.oid,
        EXT.POLICY_CONSTRAINTS.oid,
        EXT.EXTENDED_KEY_USAGE.oid,
        EXT.CRL_DISTRIBUTION_POINTS.oid,
        EXT.INHIBIT_ANY_POLICY.oid,
        EXT.FRESHEST_CRL.oid,
        EXT.AUTHORITY_INFORMATION_ACCESS.oid,
        EXT.SUBJECT_INFORMATION_ACCESS.oid,
    }
)


def rfc5280_issuer_candidate(
    child: x509.Certificate, parent: x509.Certificate, *, memo: Memo | None = None
) -> bool:
    """Name chaining only (§6.1.3(a)(4)): a key identifier mismatch does not exclude a
    candidate, it only orders it after the matching ones (§4.2.1.1: the AKI "facilitates"
    path construction; RFC 4158 §3.5.12 scores, never excludes)."""
    return facts(child, memo=memo).issuer_der == facts(parent, memo=memo).subject_der


def _ku_text(bits: frozenset[str] | tuple[str, ...]) -> str:
    return ", ".join(ku_bit(b).rfc_name for b in sorted(bits, key=lambda b: ku_bit(b).bit))


#: Purpose -> the KU bits RFC 5280 lists as consistent with it, as text.
_CONSISTENT_TEXT: dict[Purpose, str] = {p: _ku_text(p.eku.consistent_ku or ()) for p in Purpose}


# --------------------------------------------------------------------------------------------
# The certificate on its own
# --------------------------------------------------------------------------------------------


def _structure(d: Decision, f: CertFacts) -> None:
    """Decodable, no duplicate extensions, no unrecognised critical extension (§4.2)."""
    for error in f.errors:
        d.fail(Outcome.INVALID, "ext.malformed", f"an extension cannot be decoded: {error}", S_EXT)
    dup = f.duplicated()
    if dup:
        d.fail(
            Outcome.INVALID,
            "ext.duplicate",
            f"extension(s) appear more than once: {ext_names(dup)}; "
            "'A certificate MUST NOT include more than one instance of a particular extension'",
            S_EXT,
        )
    unknown = [e.oid for e in f.extensions if e.critical and e.oid not in RECOGNISED_EXTENSIONS]
    if unknown:
        d.fail(
            Outcome.DENIED,
            "ext.unknown_critical",
            f"critical extension(s) RFC 5280 does not define: {ext_names(unknown)}; a "
            "certificate-using system MUST reject a certificate with a critical extension it "
            "does not recognise",
            S_EXT,
        )


def _bc_ku_consistency(d: Decision, f: CertFacts) -> None:
    """keyCertSign ⇔ cA, pathLen only for CAs, KU with at least one bit."""
    ku = f.key_usage
    if ku is not None and not ku:
        d.fail(
            Outcome.INVALID,
            "ku.empty",
            "the Key Usage extension asserts no bit; 'When the keyUsage extension appears in a "
            "certificate, at least one of the bits MUST be set to 1'",
            S_KU,
        )
    if ku and "key_cert_sign" in ku and not f.bc_ca:
        where = "basicConstraints is absent" if not f.bc_present else "cA is FALSE"
        d.fail(
            Outcome.INVALID,
            "ku.keycertsign_without_ca",
            f"Key Usage asserts keyCertSign but {where}: 'If the keyCertSign bit is asserted, "
            "then the cA bit in the basic constraints extension MUST also be asserted' "
            "(§4.2.1.3; §4.2.1.9: if cA is not asserted, keyCertSign MUST NOT be)",
            f"{S_KU}, {S_BC}",
        )
    if f.path_length is not None and not f.bc_ca:
        d.fail(
            Outcome.INVALID,
            "bc.pathlen_without_ca",
            f"basicConstraints has pathLenConstraint {f.path_length} but cA is FALSE; 'CAs MUST "
            "NOT include the pathLenConstraint field unless the cA boolean is asserted'",
            S_BC,
        )


def _ku(d: Decision, f: CertFacts, purpose: Purpose, literal: bool, ku_text: str) -> None:
    """KU is processed on its own: a present KU must assert a bit consistent with the purpose.

    The RFC states the table for certificates carrying both KU and EKU; certlib also applies
    it when EKU is absent (the key still has to do what the purpose needs), unless
    ``literal`` (option ``rfc5280_literal_ku``) restricts it to the RFC's wording.
    ``ku_text`` names the certificate's KU bits (worked out once for every purpose).
    """
    ku = f.key_usage
    if ku is None:
        d.note("ku.absent", "no Key Usage extension: the key usage is not restricted", S_KU)
        return
    if not ku:
        return  # already invalid (ku.empty)
    if f.eku is None and literal:
        d.note(
            "ku.not_compared",
            f"Key Usage ({ku_text}) is not compared with {purpose.eku.short_name}: the "
            "certificate has no EKU, and §4.2.1.12 requires consistency only 'If a "
            "certificate contains both a key usage extension and an extended key usage "
            "extension' (option rfc5280_literal_ku=True)",
            S_EKU,
        )
        return
    consistent = purpose.eku.consistent_ku or ()
    hit = ku.intersection(consistent)
    if hit:
        d.note(
            "ku.consistent",
            f"Key Usage {ku_text} includes {_ku_text(hit)}, which the RFC lists as "
            f"consistent with {purpose.eku.short_name}",
            S_EKU,
        )
    else:
        d.fail(
            Outcome.DENIED,
            "ku.inconsistent",
            f"Key Usage {ku_text} has none of the bits consistent with "
            f"{purpose.eku.short_name} ({_CONSISTENT_TEXT[purpose]}); KU and EKU are processed "
            "independently and the certificate may only be used for a purpose both allow"
            + (
                " (with no EKU, certlib still requires a KU bit the purpose needs; option "
                "rfc5280_literal_ku=True compares only when both extensions are present)"
                if f.eku is None
                else ""
            ),
            f"{S_EKU}, {S_KU}",
        )


def _eku(d: Decision, f: CertFacts, purpose: Purpose, any_ok: bool, eku_text: str) -> None:
    """EKU absent, empty, listing the purpose, or anyExtendedKeyUsage; ``eku_text`` names
    the certificate's EKU OIDs (worked out once for every purpose)."""
    oids = f.eku
    want = purpose.eku
    if oids is None:
        d.note(
            "eku.absent",
            f"no Extended Key Usage extension: the key may be used for any purpose, "
            f"{want.short_name} included",
            S_EKU,
        )
    elif not oids:
        d.fail(
            Outcome.INVALID,
            "eku.empty",
            "the Extended Key Usage extension is an empty SEQUENCE: 'ExtKeyUsageSyntax ::= "
            "SEQUENCE SIZE (1..MAX) OF KeyPurposeId' requires at least one purpose",
            S_EKU,
        )
    elif want.oid in oids:
        d.note("eku.listed", f"EKU ({eku_text}) lists {want.short_name}", S_EKU)
    elif EKU.ANY.oid in oids and any_ok:
        d.note(
            "eku.any",
            f"EKU ({eku_text}) has anyExtendedKeyUsage, which RFC 5280 lets stand for "
            f"{want.short_name} (an application MAY reject it; option rfc5280_any_eku=False)",
            S_EKU,
        )
    elif EKU.ANY.oid in oids:
        d.fail(
            Outcome.DENIED,
            "eku.any_rejected",
            f"EKU ({eku_text}) has anyExtendedKeyUsage but not {want.short_name}; this "
            "application rejects that, as the RFC allows: 'Applications that require the "
            "presence of a particular purpose MAY reject certificates that include the "
            "anyExtendedKeyUsage OID but not the particular OID expected'",
            S_EKU,
        )
    else:
        d.fail(
            Outcome.DENIED,
            "eku.purpose_missing",
            f"EKU ({eku_text}) does not list {want.short_name}: 'the certificate MUST "
            "only be used for one of the purposes indicated'",
            S_EKU,
        )


# --------------------------------------------------------------------------------------------
# Path validation
# --------------------------------------------------------------------------------------------


def _is_ca_problems(f: CertFacts, who: str, rule_prefix: str, source: str) -> list[Reason]:
    """§6.1.4(k) and (n), plus §4.2.1.9's 'MUST mark the extension as critical'."""
    out: list[Reason] = []
    if f.errors:
        out.append(
            Reason(
                f"{rule_prefix}.malformed",
                f"{who} has undecodable extensions: " + "; ".join(f.errors),
                S_EXT,
            )
        )
    if not f.bc_present:
        out.append(
            Reason(
                f"{rule_prefix}.not_ca",
                f"{who} is a v3 certificate without basicConstraints, so it is not a CA: 'If "
                "the basic constraints extension is not present in a version 3 certificate ... "
                "the certified public key MUST NOT be used to verify certificate signatures'",
                source,
            )
        )
    elif not f.bc_ca:
        out.append(
            Reason(
                f"{rule_prefix}.not_ca",
                f"{who} has basicConstraints with cA FALSE, so its key MUST NOT verify "
                "certificate signatures",
                source,
            )
        )
    elif not f.bc_critical:
        out.append(
            Reason(
                f"{rule_prefix}.bc_not_critical",
                f"{who} marks basicConstraints non-critical; conforming CAs 'MUST mark the "
                "extension as critical' in CA certificates",
                S_BC,
            )
        )
    ku = f.key_usage
    if ku is not None and "key_cert_sign" not in ku:
        bits = _ku_text(ku) if ku else "no bits at all"
        out.append(
            Reason(
                f"{rule_prefix}.no_keycertsign",
                f"{who} has Key Usage ({bits}) without keyCertSign, so its key may not verify "
                "certificate signatures",
                S_KCS,
            )
        )
    return out


def _path_problems(
    path: tuple[x509.Certificate, ...], anchor_checks: bool, *, memo: Memo | None = None
) -> list[Reason]:
    problems: list[Reason] = []
    n = len(path)
    for i in range(1, n - 1):
        cert = path[i]
        f = facts(cert, memo=memo)
        who = f"intermediate {describe(cert, memo=memo)}"
        if f.version < 3:
            problems.append(
                Reason(
                    "ca.not_ca",
                    f"{who} is a v{f.version} certificate: nothing out of band confirms it is a "
                    "CA, so it is rejected",
                    S_CA,
                )
            )
        else:
            problems.extend(_is_ca_problems(f, who, "ca", S_CA))
        unknown = [e.oid for e in f.extensions if e.critical and e.oid not in RECOGNISED_EXTENSIONS]
        if unknown:
            problems.append(
                Reason(
                    "ca.unknown_critical",
                    f"{who} has critical extension(s) RFC 5280 does not define: "
                    f"{ext_names(unknown)}",
                    "RFC 5280 §6.1.4(o)",
                )
            )
    if n > 1 and anchor_checks:
        anchor = path[-1]
        f = facts(anchor, memo=memo)
        if f.version >= 3:
            problems.extend(
                _is_ca_problems(
                    f, f"trust anchor {describe(anchor, memo=memo)}", "anchor", S_ANCHOR
                )
            )
    # pathLenConstraint: non-self-issued intermediates below each CA (§6.1.4(l),(m)).
    for j in range(1, n):
        f = facts(path[j], memo=memo)
        if not (f.bc_ca and f.path_length is not None):
            continue
        below = [c for c in path[1:j] if not facts(c, memo=memo).self_issued]
        if len(below) > f.path_length:
            role = "trust anchor" if j == n - 1 else "intermediate"
            problems.append(
                Reason(
                    "ca.path_length",
                    f"{role} {describe(path[j], memo=memo)} has pathLenConstraint "
                    f"{f.path_length} but {len(below)} non-self-issued intermediate CA "
                    f"certificate(s) follow it ({', '.join(describe(c, memo=memo) for c in below)}"
                    "); self-issued certificates and the leaf are not counted",
                    S_PATHLEN,
                )
            )
    problems.extend(_constraint_problems(path, anchor_checks, memo=memo))
    return problems


def _constraint_problems(
    path: tuple[x509.Certificate, ...], anchor_checks: bool, *, memo: Memo | None = None
) -> list[Reason]:
    """Name constraints (with the anchor's when ``anchor_checks``) and policy processing."""
    out: list[Reason] = []
    found = constraint_violation(path, nc.RFC5280, anchor=anchor_checks, memo=memo)
    if found is not None:
        kind, text = found
        out.append(Reason(f"ca.name_constraints_{kind}", text + " (§6.1.3(b),(c))", S_NC))
    why = policy_failure(path, memo=memo)
    if why is not None:
        out.append(
            Reason(
                "ca.policy",
                f"policy processing fails: {why} (initial-policy-set anyPolicy; the initial "
                "explicit-policy, policy-mapping-inhibit and any-policy-inhibit flags false)",
                S_POLICY,
            )
        )
    return out


def _path_notes(
    d: Decision,
    path: tuple[x509.Certificate, ...],
    anchor_checks: bool,
    *,
    memo: Memo | None = None,
) -> None:
    text = " → ".join(describe(c, memo=memo) for c in path)
    d.note(
        "path.valid",
        f"certification path ({len(path)} certificate(s), leaf first): {text}; signatures, "
        "validity periods, CA status, keyCertSign and path length constraints all hold",
        "RFC 5280 §6.1",
    )
    if len(path) > 1 and not anchor_checks:
        d.note(
            "anchor.input_only",
            f"the trust anchor {describe(path[-1], memo=memo)} is used as input information only "
            "(option rfc5280_anchor_checks=False): its own extensions are not checked",
            "RFC 5280 §6.1.1(d)",
        )
    with_eku = [
        (c, facts(c, memo=memo).eku) for c in path[1:] if facts(c, memo=memo).eku is not None
    ]
    if with_eku:
        listed = "; ".join(f"{describe(c, memo=memo)}: {eku_names(e or ())}" for c, e in with_eku)
        text = (
            f"CA certificate(s) on the path carry EKU ({listed}); RFC 5280 path validation "
            "does not process EKU in CA certificates, so it does not restrict the leaf here "
            "(Go, Windows and OpenSSL do nest it)"
        )
    else:
        text = "RFC 5280 path validation does not process EKU in CA certificates (none carry one)"
    d.note("path.eku_not_processed", text, "RFC 5280 §6.1, §4.2.1.12")
    constrained = [c for c in path[1:] if facts(c, memo=memo).extension(EXT.NAME_CONSTRAINTS.oid)]
    if constrained:
        d.note(
            "path.name_constraints",
            "every name below "
            + ", ".join(describe(c, memo=memo) for c in constrained)
            + " lies within its name constraints (SAN names, the subject DN as a "
            "directoryName and its emailAddress as rfc822Name; the subject CN is not a name)",
            S_NC,
        )
    if carries_policy_constraints(path, memo=memo):
        d.note(
            "path.policy",
            "policy processing passes (initial-policy-set anyPolicy; the initial "
            "explicit-policy, policy-mapping-inhibit and any-policy-inhibit flags false)",
            S_POLICY,
        )


def _path_steps(cert: x509.Certificate, ctx: Context) -> Decision:
    """Path validation, recorded once for every purpose (it does not depend on the purpose)."""
    anchor_checks = bool(ctx.options.get("rfc5280_anchor_checks", True))
    rec = Decision(None, NAME)
    paths, dead_ends = candidate_paths(cert, ctx, rfc5280_issuer_candidate)
    path = first_good_path(
        rec, paths, dead_ends, lambda p: _path_problems(p, anchor_checks, memo=ctx.memo)
    )
    if path is not None:
        _path_notes(rec, path, anchor_checks, memo=ctx.memo)
    elif len(paths) > 1:
        rec.note(
            "path.alternatives",
            f"{len(paths)} candidate paths were tried; none satisfies §6.1 (problems of the "
            "first are shown)",
            "RFC 5280 §6.1",
        )
    return rec


# --------------------------------------------------------------------------------------------


def _raw(f: CertFacts, oid: str) -> tuple[bool, bytes] | None:
    ext = f.extension(oid)
    return None if ext is None else (ext.critical, ext.value)


def outcome_key(
    f: CertFacts,
    *,
    cert: x509.Certificate | None = None,
    at: object = None,
    chain: tuple[x509.Certificate, ...] = (),
    memo: Memo | None = None,
) -> tuple:
    """Everything :func:`evaluate` reads of the certificate itself to reach an *outcome*.

    With no host name and default options, two certificates with equal keys get the same
    outcome for every purpose once their places in the chain match (what
    :func:`certlib.cert.chain.iter_paths` reads of a leaf: validity at ``at``, issuer name, AKI and
    the links to its candidate issuers; the inventory adds those). Reason *texts* differ (they
    name the certificate), outcomes do not. Beyond the structural facts, path validation reads
    of the leaf: its SAN and subject (only when a chain certificate carries name constraints),
    its policy extensions (only when some certificate can make policy processing fail; whether
    they parse, always), and, because :func:`rfc5280_issuer_candidate` also tries issuers whose
    SKI does not match the leaf's AKI, whether each such chain certificate's key verifies the
    leaf. Whoever makes :func:`evaluate` read more of the certificate adds it here;
    ``tests/inventory/test_run_memo.py`` compares memoised and fresh outcomes on a varied corpus.
    """
    unknown = tuple(
        e.oid for e in f.extensions if e.critical and e.oid not in RECOGNISED_EXTENSIONS
    )
    base = (
        bool(f.errors),
        bool(f.duplicated()),
        unknown,
        f.key_usage,
        f.bc_present,
        f.bc_ca,
        f.path_length is not None,
        f.eku,
    )
    if cert is None:
        return base
    chain_facts = tuple(facts(c, memo=memo) for c in chain)
    unparsed, policed, constrained = what_path_reads(f, chain_facts, memo)
    # rfc5280_issuer_candidate and not is_issuer_candidate, on the facts in hand (``f`` are
    # ``cert``'s): a memo lookup per certificate and pair adds up over a pile of leaves
    extra_links = tuple(
        link_error(cert, c, memo=memo) is None
        for c, fc in zip(chain, chain_facts, strict=True)
        if f.issuer_der == fc.subject_der and not is_issuer_candidate_of(f, fc)
    )
    return (
        *base,
        unparsed,
        (_raw(f, EXT.SUBJECT_ALTERNATIVE_NAME.oid), f.subject_der) if constrained else None,
        policy_raws(f) if policed else None,
        extra_links,
    )


def judge(
    cert: x509.Certificate, ctx: Context, purposes: tuple[Purpose, ...]
) -> dict[Purpose, Verdict]:
    """RFC 5280's answer for each of ``purposes``: may ``cert`` be used for it? (see the module
    docstring). The structure checks and path validation are done once for all purposes."""
    memo = ctx.memo
    f = facts(cert, memo=memo)
    leaf = Decision(None, NAME)
    _structure(leaf, f)
    _bc_ku_consistency(leaf, f)
    literal = bool(ctx.options.get("rfc5280_literal_ku", False))
    any_ok = bool(ctx.options.get("rfc5280_any_eku", True))
    ku_text = _ku_text(f.key_usage) if f.key_usage else ""
    eku_text = eku_names(f.eku) if f.eku else ""
    path = _path_steps(cert, ctx) if ctx.chain_aware else None
    out: dict[Purpose, Verdict] = {}
    for purpose in purposes:
        d = leaf.fork(purpose)
        _ku(d, f, purpose, literal, ku_text)
        _eku(d, f, purpose, any_ok, eku_text)
        if path is not None:
            d.replay(path)
        host_name_check(d, cert, purpose, ctx, S_NAME, rules=RFC9525)
        out[purpose] = d.verdict()
    return out


def evaluate(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> Verdict:
    """:func:`judge` for one purpose."""
    return judge(cert, ctx, (purpose,))[purpose]


#: RFC 9525 §6.3 host matching (:func:`match_hostname_rfc`).
RFC9525 = HostRules(
    wildcard_labels=2,
    strip_all_dots=False,
    literal_star=False,
    list_ips=False,
    cn_ignored="the subject CN is never consulted",
)


def match_hostname_rfc(cert: x509.Certificate, hostname: str) -> tuple[bool, str]:
    """RFC 9525 §6.3 (which obsoletes RFC 6125): does a SAN name ``hostname``?

    An IP address (optionally in brackets) matches only SAN iPAddress entries. A DNS name
    matches a SAN dNSName case-insensitively, one trailing dot on either ignored; ``*`` counts
    only as the complete left-most label and stands for exactly one label (``*.example.com``
    matches ``www.example.com``, not ``example.com`` nor ``a.b.example.com``; ``*.com``
    matches ``example.com``: the RFC sets no minimum label count; partial wildcards such as
    ``w*.example.com`` never match). The subject CN is never consulted (§6.3: a CN-ID is not
    a reference identifier), with or without a SAN.
    """
    return match_hostname(cert, hostname, RFC9525)


#: This profile in the registry (:mod:`certlib.profiles`).
PROFILE = ProfileJudge(NAME, judge, outcome_key, "certlib.profiles.rfc5280")
