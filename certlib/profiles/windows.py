"""The Windows profile: CryptoAPI "valid usages", AND-matched along the chain; IIS and dialogs.

Per certificate (MS docs ``CertGetEnhancedKeyUsage``; docs/semantics.md §3.1, §3.2):

* neither EKU nor Application Policies → valid for all uses; an empty EKU → "no uses";
* the Microsoft Application Policies extension (1.3.6.1.4.1.311.21.10), when present,
  replaces the EKU ("Using Application Policies", TechNet cc776986);
* anyExtendedKeyUsage (and "All application policies") is reported to match every usage
  [unverified: hashicorp/vault PR #890 discussion only];
* Key Usage is not consulted for the purpose (Windows checks KU only when a CA signs);
* a critical extension CryptoAPI does not support, on the leaf or a CA of the path, fails the
  chain (MS docs ``CERT_TRUST_STATUS``: CERT_TRUST_HAS_NOT_SUPPORTED_CRITICAL_EXT; policy error
  CERT_E_CRITICAL). Which extensions it supports is not published: certlib takes RFC 5280's
  own and Microsoft's (``EXT.WINDOWS_SUPPORTED``) [unverified];
* MD5 and SHA-1 signatures are accepted: Microsoft's blocks (Security Advisory 2862973 for MD5,
  2880823 for SHA-1) apply only to certificates under roots of the Microsoft Root Certificate
  Program, and "enterprise issued certificates are not affected" (AskDS, 2013-08-14). certlib
  judges chains to the roots it is given, which it cannot tell apart from program roots.

Chain-aware: ``CERT_CHAIN_PARA.RequestedUsage`` with ``USAGE_MATCH_TYPE_AND`` (MS docs
``CERT_USAGE_MATCH``): every certificate on the path, root included, must support the usage,
"either by an explicit EKU setting or through an absent EKU extension in CA certificates".

Name constraints (MS docs ``CERT_TRUST_STATUS``): a CA's (root included) nameConstraints apply
to the SAN names, subject DN (as a directoryName) and subject emailAddress of every certificate
below it, matched as RFC 5280 says (:data:`certlib.cert.nameconstraints.WINDOWS`; the matching
details are [unverified]): CERT_TRUST_INVALID_NAME_CONSTRAINTS for constraints that do not parse,
CERT_TRUST_HAS_NOT_PERMITTED_NAME_CONSTRAINT / CERT_TRUST_HAS_EXCLUDED_NAME_CONSTRAINT for a name
outside / inside a subtree, CERT_TRUST_HAS_NOT_SUPPORTED_NAME_CONSTRAINT for x400Address,
ediPartyName or registeredID subtrees and a minimum/maximum. The subject CN is not taken as a DNS
name [unverified]; otherName (UPN) constraints are not checked by certlib (said in a reason);
CERT_TRUST_HAS_NOT_DEFINED_NAME_CONSTRAINT is not modelled [unverified].

Policies: CERT_TRUST_INVALID_POLICY_CONSTRAINTS ("a policy constraints extension, and one of the
issued certificates has a disallowed policy mapping extension or does not have a required
issuance policies extension") is modelled as RFC 5280 §6.1 policy processing with
initial-policy-set anyPolicy and the initial flags off ([unverified]: CryptoAPI's algorithm is not
published); every verdict on a path carrying policyConstraints, policyMappings or
inhibitAnyPolicy says so.

Issuer candidates: the chaining engine finds an issuer by key identifier when the child's AKI
has one ("key match"), by name otherwise (sysadmins.lv "Certificate Chaining Engine — how this
works"): an issuer whose SKI mismatches the AKI is not tried (:func:`certlib.cert.chain.
is_issuer_candidate`) [unverified for the fallbacks].

Host names: :func:`match_hostname_windows`.

The locally set EKU *property* of a store (intersected with the extension) is not modelled:
certlib sees certificates, not Windows stores.
"""

from __future__ import annotations

from cryptography import x509

from certlib.cert import nameconstraints as nc
from certlib.cert.chain import describe
from certlib.cert.facts import CertFacts, facts
from certlib.core.decision import Decision
from certlib.core.memo import Memo
from certlib.core.oids import EKU, EXT, eku
from certlib.core.verdicts import Context, Outcome, Profile, ProfileJudge, Purpose, Reason, Verdict
from certlib.profiles.common import (
    HostRules,
    candidate_paths,
    eku_names,
    ext_names,
    first_good_path,
    host_name_check,
    issuers,
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
    "SUPPORTED_CRITICAL",
    "WINDOWS_HOSTS",
    "effective_usages",
    "evaluate",
    "iis_binding_candidate",
    "intended_purposes",
    "judge",
    "match_hostname_windows",
    "outcome_key",
]

NAME = Profile.WINDOWS

S_EKU = "MS docs CertGetEnhancedKeyUsage"
S_APP = "MS 'Using Application Policies' (TechNet cc776986)"
S_AND = "MS docs CERT_USAGE_MATCH (USAGE_MATCH_TYPE_AND)"
S_CHAIN = "MS docs CertGetCertificateChain / CERT_TRUST_STATUS"
S_NAME = (
    "MS docs CertVerifyCertificateChainPolicy (CERT_CHAIN_POLICY_SSL), "
    "HTTPSPolicyCallbackData (pwszServerName: 'either the DNS name or common name')"
)
S_NC = "MS docs CERT_TRUST_STATUS (name constraint errors), CERT_E_INVALID_NAME"
S_POLICY = (
    "MS docs CERT_TRUST_STATUS (CERT_TRUST_INVALID_POLICY_CONSTRAINTS), CERT_E_INVALID_POLICY"
)
#: GeneralName forms CryptoAPI documents as unsupported in name constraints.
_UNSUPPORTED_FORMS = frozenset({nc.X400, nc.EDI, nc.RID})
S_IIS = "heuristic, unverified (docs/semantics.md §3.3)"
S_ANY = "hashicorp/vault PR #890 discussion [unverified] (docs/semantics.md §3.1)"
S_CRIT = "MS docs CERT_TRUST_STATUS (CERT_TRUST_HAS_NOT_SUPPORTED_CRITICAL_EXT), CERT_E_CRITICAL"

#: Critical extensions CryptoAPI is taken to process (``EXT.WINDOWS_SUPPORTED``, [unverified]).
SUPPORTED_CRITICAL: frozenset[str] = frozenset(e.oid for e in EXT.WINDOWS_SUPPORTED)

#: Policy OIDs that stand for "every usage": anyExtendedKeyUsage, "All application policies".
_ALL = frozenset({EKU.ANY.oid, EKU.MS_ALL_APPLICATION_POLICIES.oid})


def effective_usages(f: CertFacts) -> tuple[str, tuple[str, ...] | None]:
    """(where the usages come from, the OIDs) — ``None`` OIDs mean "all uses"."""
    if f.ms_application_policies is not None:
        return "Application Policies", f.ms_application_policies
    if f.eku is not None:
        return "EKU", f.eku
    return "none", None


def _usage_reason(f: CertFacts, purpose: Purpose, who: str) -> tuple[bool, Reason]:
    """Does this one certificate support the usage? With the reason either way."""
    origin, oids = effective_usages(f)
    want = purpose.eku
    if oids is None:
        return True, Reason(
            "eku.absent",
            f"{who} has neither an EKU nor an Application Policies extension: valid for all "
            f"uses, {want.windows_name} included",
            S_EKU,
        )
    prefix = ""
    source = S_EKU
    if origin == "Application Policies":
        source = S_APP
        ignored = f" (the EKU extension, {eku_names(f.eku)}, is ignored)" if f.eku else ""
        prefix = f"{who} has Application Policies ({eku_names(oids)}), which replace EKU{ignored}"
    else:
        prefix = f"{who} has EKU ({eku_names(oids)})"
    if not oids:
        return False, Reason(
            "eku.empty",
            f"{who} has an empty {origin} list: that means 'no uses' (cUsageIdentifier == 0 "
            "without CRYPT_E_NOT_FOUND)",
            source,
        )
    if want.oid in oids:
        return True, Reason("eku.listed", f"{prefix}, which lists {want.windows_name}", source)
    if _ALL.intersection(oids):
        return True, Reason(
            "eku.any",
            f"{prefix}; [unverified] CryptoAPI is reported to treat anyExtendedKeyUsage / "
            f"'All application policies' as matching every usage, {want.windows_name} included",
            S_ANY,
        )
    return False, Reason(
        "eku.purpose_missing",
        f"{prefix}; {want.windows_name} ({want.oid}) is not among them: not valid for this "
        "usage (CERT_TRUST_IS_NOT_VALID_FOR_USAGE)",
        source,
    )


def unsupported_critical(f: CertFacts) -> tuple[str, ...]:
    """The OIDs of critical extensions outside :data:`SUPPORTED_CRITICAL`, in order."""
    return tuple(e.oid for e in f.extensions if e.critical and e.oid not in SUPPORTED_CRITICAL)


def _critical_reason(oids: tuple[str, ...], who: str) -> Reason:
    return Reason(
        "ext.unknown_critical",
        f"{who} has critical extension(s) CryptoAPI does not support: {ext_names(oids)} "
        "(CERT_TRUST_HAS_NOT_SUPPORTED_CRITICAL_EXT, CERT_E_CRITICAL; which extensions "
        "Windows supports is [unverified])",
        S_CRIT,
    )


#: One CA of a path as :func:`_ca_checks` sees it: (facts, who, the problems found before its
#: usage is checked, those found after).
_CaCheck = tuple[CertFacts, str, list[Reason], list[Reason]]


def _ca_checks(path: tuple[x509.Certificate, ...], *, memo: Memo | None = None) -> list[_CaCheck]:
    """Per CA of ``path``, the purpose-independent part of :func:`_ca_problems`."""
    out = []
    for j, f, role, who in issuers(path, memo):
        unknown = unsupported_critical(f)
        before = [_critical_reason(unknown, who)] if unknown else []
        after: list[Reason] = []
        if role == "intermediate" and f.bc_present and not f.bc_ca:
            after.append(
                Reason(
                    "ca.not_ca",
                    f"{who} has basicConstraints cA FALSE (CERT_TRUST_INVALID_BASIC_CONSTRAINTS)",
                    S_CHAIN,
                )
            )
        elif role == "intermediate" and f.version == 3 and not f.bc_present:
            after.append(
                Reason(
                    "ca.not_ca",
                    f"[unverified] {who} is v3 without basicConstraints; assumed rejected "
                    "as a CA, as RFC 5280 §4.2.1.9 requires",
                    S_CHAIN,
                )
            )
        if f.key_usage is not None and "key_cert_sign" not in f.key_usage:
            after.append(
                Reason(
                    "ca.no_keycertsign",
                    f"[unverified] {who} has Key Usage without keyCertSign: Windows checks KU "
                    "when a CA signs, so it is assumed not to chain",
                    S_CHAIN,
                )
            )
        if f.bc_ca and f.path_length is not None:
            below = [c for c in path[1:j] if not facts(c, memo=memo).self_issued]
            if len(below) > f.path_length:
                after.append(
                    Reason(
                        "ca.path_length",
                        f"{who} has pathLenConstraint {f.path_length} but {len(below)} "
                        "intermediate CA(s) follow it (CERT_TRUST_INVALID_BASIC_CONSTRAINTS)",
                        S_CHAIN,
                    )
                )
        out.append((f, who, before, after))
    return out


def _ca_problems(checks: list[_CaCheck], purpose: Purpose) -> list[Reason]:
    """What is wrong with the CAs of a path (:func:`_ca_checks`) for ``purpose``: each CA's
    unsupported critical extensions, its usage (AND-matched), its CA checks, in path order."""
    problems: list[Reason] = []
    for f, who, before, after in checks:
        problems.extend(before)
        ok, reason = _usage_reason(f, purpose, who)
        if not ok:
            problems.append(
                Reason(
                    reason.rule,
                    reason.text + "; with USAGE_MATCH_TYPE_AND every certificate on the path "
                    "must support the usage",
                    S_AND,
                )
            )
        problems.extend(after)
    return problems


def _constraint_problems(
    path: tuple[x509.Certificate, ...], *, memo: Memo | None = None
) -> list[Reason]:
    """Name constraints (root included) and policy processing (see the module docstring)."""
    out: list[Reason] = []
    for _j, f, _role, who in issuers(path, memo):
        ext = f.extension(EXT.NAME_CONSTRAINTS.oid)
        if ext is None:
            continue
        try:
            parsed = nc.parse_name_constraints(ext.value, nc.WINDOWS)
        except nc.NameConstraintError:
            continue  # reported below as CERT_TRUST_INVALID_NAME_CONSTRAINTS
        forms = {*parsed.permitted.other, *parsed.excluded.other}
        if forms & _UNSUPPORTED_FORMS or nc.has_subtree_bounds(ext.value):
            out.append(
                Reason(
                    "ca.name_constraints_unsupported",
                    f"{who} has name constraints with a form CryptoAPI does not support "
                    "(x400Address, ediPartyName, registeredID) or a minimum/maximum: "
                    "CERT_TRUST_HAS_NOT_SUPPORTED_NAME_CONSTRAINT",
                    S_NC,
                )
            )
    found = constraint_violation(path, nc.WINDOWS, anchor=True, memo=memo)
    if found is not None:
        kind, text = found
        flag = {
            Outcome.INVALID: "CERT_TRUST_INVALID_NAME_CONSTRAINTS",
            "unreadable": "CERT_TRUST_INVALID_NAME_CONSTRAINTS [unverified]",
        }.get(kind)
        if flag is None:
            flag = (
                "CERT_TRUST_HAS_EXCLUDED_NAME_CONSTRAINT"
                if " is excluded by " in text
                else "CERT_TRUST_HAS_NOT_PERMITTED_NAME_CONSTRAINT"
            )
        out.append(
            Reason(
                f"ca.name_constraints_{kind}",
                f"{text} ({flag}, CERT_E_INVALID_NAME; matched as RFC 5280 §4.2.1.10 says, "
                "the details [unverified])",
                S_NC,
            )
        )
    why = policy_failure(path, memo=memo)
    if why is not None:
        out.append(
            Reason(
                "ca.policy",
                f"[unverified] policy processing fails: {why} (CERT_TRUST_INVALID_POLICY_"
                "CONSTRAINTS, CERT_E_INVALID_POLICY; modelled as RFC 5280 §6.1 with "
                "initial-policy-set anyPolicy and the initial flags off)",
                S_POLICY,
            )
        )
    return out


class _Paths:
    """The candidate paths of a certificate and, per path, what does not depend on the
    purpose: its CA checks, name-constraint and policy problems, the notes a good path gets
    (each worked out when a purpose first asks; keyed by the identity of a path of
    ``paths``, which this object keeps alive; facts and names come from the run's memo)."""

    __slots__ = ("_checks", "_constraints", "_notes", "dead_ends", "memo", "paths")

    def __init__(self, cert: x509.Certificate, ctx: Context) -> None:
        self.memo = ctx.memo
        self.paths, self.dead_ends = candidate_paths(cert, ctx)
        self._checks: dict[int, list[_CaCheck]] = {}
        self._constraints: dict[int, list[Reason]] = {}
        self._notes: dict[int, Decision] = {}

    def problems(self, path: tuple[x509.Certificate, ...], purpose: Purpose) -> list[Reason]:
        key = id(path)
        if key not in self._checks:
            self._checks[key] = _ca_checks(path, memo=self.memo)
            self._constraints[key] = _constraint_problems(path, memo=self.memo)
        return _ca_problems(self._checks[key], purpose) + self._constraints[key]

    def notes(self, path: tuple[x509.Certificate, ...]) -> Decision:
        key = id(path)
        if key not in self._notes:
            rec = self._notes[key] = Decision(None, NAME)
            _constraint_notes(rec, path, memo=self.memo)
        return self._notes[key]


def _chain(d: Decision, paths: _Paths, purpose: Purpose) -> None:
    path = first_good_path(d, paths.paths, paths.dead_ends, lambda p: paths.problems(p, purpose))
    if path is not None:
        text = " → ".join(describe(c, memo=paths.memo) for c in path)
        d.note(
            "path.valid",
            f"chain {text}: every certificate supports {purpose.eku.windows_name} "
            "(a CA without EKU passes everything) and the CA checks hold",
            S_AND,
        )
        d.replay(paths.notes(path))


def _constraint_notes(
    d: Decision, path: tuple[x509.Certificate, ...], *, memo: Memo | None = None
) -> None:
    """What was and was not evaluated of name constraints and policies on the good path."""
    constrained = [c for c in path[1:] if facts(c, memo=memo).extension(EXT.NAME_CONSTRAINTS.oid)]
    if constrained:
        upn = []
        for c in constrained:
            try:
                parsed = nc.parse_name_constraints(
                    facts(c, memo=memo).extension(EXT.NAME_CONSTRAINTS.oid).value,  # type: ignore[union-attr]
                    nc.WINDOWS,
                )
            except nc.NameConstraintError:
                continue
            if nc.OTHER_NAME in {*parsed.permitted.other, *parsed.excluded.other}:
                upn.append(describe(c, memo=memo))
        d.note(
            "path.name_constraints",
            "every name below "
            + ", ".join(describe(c, memo=memo) for c in constrained)
            + " lies within its name constraints (SAN, subject DN and emailAddress; "
            "[unverified] the subject CN is not taken as a DNS name)"
            + (
                f"; otherName (UPN) constraints of {', '.join(upn)} are not checked by certlib"
                if upn
                else ""
            ),
            S_NC,
        )
    if carries_policy_constraints(path, memo=memo):
        d.note(
            "path.policy",
            "[unverified] the path carries policyConstraints, policyMappings or "
            "inhibitAnyPolicy; CryptoAPI's policy algorithm is not published: certlib runs "
            "RFC 5280 §6.1 policy processing (initial-policy-set anyPolicy, initial flags off) "
            "and it passes",
            S_POLICY,
        )


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

    With no host name and default options (what the inventory passes), the leaf's outcomes
    come from:

    * whether any extension failed to decode (``f.errors`` → ``invalid``);
    * whether it has a critical extension CryptoAPI does not support
      (:func:`unsupported_critical` → ``denied``; which ones only changes the reason text);
    * its effective usages (:func:`effective_usages`): Application Policies when present,
      else the EKU, else "all uses". Only the OIDs decide (absent, empty, listing the usage,
      or holding anyExtendedKeyUsage / "All application policies"); where they come from
      and the ignored EKU beside Application Policies only change the reason texts.

    Key Usage is not consulted for the leaf, and the host name check is skipped without
    ``ctx.hostname``. The chain part (:func:`_chain`) reads nothing else of the leaf than
    :func:`certlib.cert.chain.iter_paths` does (validity at ``at``, issuer name, AKI, the links to
    its candidate issuers; the inventory's chain key covers those): ``_ca_problems`` looks
    only at ``path[1:]`` (usages, basicConstraints, Key Usage and pathLenConstraint of the
    CAs, self-issued CAs below each one). Whoever makes :func:`evaluate` read more of the
    certificate adds it here; ``tests/profiles/test_outcome_key_windows_go.py`` compares memoised
    and fresh outcomes.

    Name constraints and policies read the leaf too: its SAN and subject when a chain
    certificate carries name constraints, its policy extensions when some certificate can make
    policy processing fail, and whether they parse at all.
    """
    base = (bool(f.errors), bool(unsupported_critical(f)), effective_usages(f)[1])
    if cert is None:
        return base
    unparsed, policed, constrained = what_path_reads(
        f, tuple(facts(c, memo=memo) for c in chain), memo
    )
    return (
        *base,
        unparsed,
        (_raw(f, EXT.SUBJECT_ALTERNATIVE_NAME.oid), f.subject_der) if constrained else None,
        policy_raws(f) if policed else None,
    )


def judge(
    cert: x509.Certificate, ctx: Context, purposes: tuple[Purpose, ...]
) -> dict[Purpose, Verdict]:
    """Would CryptoAPI consider ``cert`` valid for each of ``purposes``? (see the module
    docstring). The leaf's structure, its critical extensions and the candidate paths' CA,
    name-constraint and policy checks are worked out once for all purposes."""
    memo = ctx.memo
    f = facts(cert, memo=memo)
    leaf = Decision(None, NAME)
    for error in f.errors:
        leaf.fail(
            Outcome.INVALID,
            "ext.malformed",
            f"[unverified] an extension cannot be decoded ({error}); CryptoAPI is assumed to "
            "refuse the certificate",
            S_EKU,
        )
    leaf.note(
        "ku.not_checked",
        "Key Usage is not consulted for the purpose (Windows checks KU only for CA signing)",
        S_EKU,
    )
    unknown = unsupported_critical(f)
    critical = _critical_reason(unknown, "the certificate") if unknown else None
    paths = _Paths(cert, ctx) if ctx.chain_aware else None
    out: dict[Purpose, Verdict] = {}
    for purpose in purposes:
        d = leaf.fork(purpose)
        ok, reason = _usage_reason(f, purpose, "the certificate")
        d.add(Outcome.ALLOWED if ok else Outcome.DENIED, reason)
        if critical is not None:
            d.add(Outcome.DENIED, critical)
        if paths is not None:
            _chain(d, paths, purpose)
        host_name_check(d, cert, purpose, ctx, S_NAME, " (CERT_E_CN_NO_MATCH)", WINDOWS_HOSTS)
        out[purpose] = d.verdict()
    return out


def evaluate(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> Verdict:
    """:func:`judge` for one purpose."""
    return judge(cert, ctx, (purpose,))[purpose]


#: CryptoAPI's SSL policy host matching (:func:`match_hostname_windows`).
WINDOWS_HOSTS = HostRules(cn_fallback=True, list_ips=False)


def match_hostname_windows(cert: x509.Certificate, hostname: str) -> tuple[bool, str]:
    """``CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL)`` with ``pwszServerName``:
    (matched, explanation).

    An IP address matches SAN iPAddress entries. A DNS name matches SAN dNSName entries
    case-insensitively (``*`` as the whole left-most label with at least two labels after it,
    [unverified]); when the certificate has no SAN dNSName, the subject CN is compared instead
    (MS docs HTTPSPolicyCallbackData: "the server name from the certificate, either the DNS
    name or common name"; that the CN is used only without a SAN dNSName is [unverified]).
    """
    return match_hostname(cert, hostname, WINDOWS_HOSTS)


def iis_key(f: CertFacts, *, has_private_key: bool) -> tuple:
    """All :func:`iis_binding_candidate` reads: equal keys, equal outcomes (inventory memo)."""
    return (has_private_key, f.eku)


def iis_binding_candidate(
    cert: x509.Certificate, *, has_private_key: bool, memo: Memo | None = None
) -> Verdict:
    """Would IIS Manager list ``cert`` for an HTTPS binding? (heuristic, unverified)

    The widely repeated rule: a certificate from LocalMachine\\My (Personal) or
    LocalMachine\\WebHosting that has a private key and either no EKU or serverAuth in its EKU.
    No primary Microsoft statement of the EKU filter exists (docs/semantics.md §3.3);
    ``netsh http add sslcert`` and PowerShell bindings do not apply it.
    """
    d = Decision(Purpose.TLS_SERVER, NAME)
    d.note(
        "iis.store",
        "heuristic, unverified (docs/semantics.md §3.3): IIS Manager lists certificates from the "
        "LocalMachine\\My (Personal) and LocalMachine\\WebHosting stores; the store is assumed",
        S_IIS,
    )
    if has_private_key:
        d.note("iis.private_key", "heuristic, unverified: the private key is present", S_IIS)
    else:
        d.fail(
            Outcome.DENIED,
            "iis.no_private_key",
            "heuristic, unverified: no associated private key, so IIS Manager does not offer it",
            S_IIS,
        )
    oids = facts(cert, memo=memo).eku
    if oids is None:
        d.note("iis.no_eku", "heuristic, unverified: no EKU extension, so it is offered", S_IIS)
    elif EKU.SERVER_AUTH.oid in oids:
        d.note(
            "iis.server_auth",
            f"heuristic, unverified: EKU ({eku_names(oids)}) includes Server Authentication",
            S_IIS,
        )
    else:
        d.fail(
            Outcome.DENIED,
            "iis.eku_without_server_auth",
            f"heuristic, unverified: EKU ({eku_names(oids)}) lacks Server Authentication, so "
            "the list is believed to leave it out (anyExtendedKeyUsage does not count here)",
            S_IIS,
        )
    return d.verdict()


def intended_purposes(cert: x509.Certificate, *, memo: Memo | None = None) -> list[str]:
    """The lines under "This certificate is intended for the following purpose(s):".

    ``["All application policies"]`` without EKU/Application Policies; ``[]`` for an empty
    EKU; else each purpose's dialog sentence (``oids`` ``windows_purpose``, one line per
    sentence), falling back to its friendly name or dotted OID. The sentences come from
    third-party reproductions (docs/semantics.md §3.4) and are unverified.
    """
    _origin, oids = effective_usages(facts(cert, memo=memo))
    if oids is None:
        return [EKU.ANY.windows_purpose or "All application policies"]
    out: list[str] = []
    for oid in oids:
        kp = eku(oid)
        lines = kp.windows_purpose.split("; ") if kp.windows_purpose else [kp.display_name]
        out.extend(line for line in lines if line not in out)
    return out


#: This profile in the registry (:mod:`certlib.profiles`).
PROFILE = ProfileJudge(NAME, judge, outcome_key, "certlib.profiles.windows")
