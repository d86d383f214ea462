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

The locally set EKU *property* of a store (intersected with the extension) is not modelled:
certlib sees certificates, not Windows stores.
"""

from __future__ import annotations

from cryptography import x509

from certlib.chain import describe
from certlib.facts import CertFacts, facts
from certlib.oids import EKU, EXT, eku
from certlib.purpose._common import (
    Decision,
    eku_names,
    ext_names,
    first_good_path,
    host_name_check,
    issuers,
)
from certlib.purpose.base import Context, Purpose, Reason, Verdict

__all__ = [
    "PROFILE",
    "SUPPORTED_CRITICAL",
    "effective_usages",
    "evaluate",
    "iis_binding_candidate",
    "intended_purposes",
    "outcome_key",
]

PROFILE = "windows"

S_EKU = "MS docs CertGetEnhancedKeyUsage"
S_APP = "MS 'Using Application Policies' (TechNet cc776986)"
S_AND = "MS docs CERT_USAGE_MATCH (USAGE_MATCH_TYPE_AND)"
S_CHAIN = "MS docs CertGetCertificateChain / CERT_TRUST_STATUS"
S_NAME = "MS docs CertVerifyCertificateChainPolicy (CERT_CHAIN_POLICY_SSL)"
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


def _ca_problems(path: tuple[x509.Certificate, ...], purpose: Purpose) -> list[Reason]:
    problems: list[Reason] = []
    for j, f, role, who in issuers(path):
        unknown = unsupported_critical(f)
        if unknown:
            problems.append(_critical_reason(unknown, who))
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
        if role == "intermediate" and f.bc_present and not f.bc_ca:
            problems.append(
                Reason(
                    "ca.not_ca",
                    f"{who} has basicConstraints cA FALSE (CERT_TRUST_INVALID_BASIC_CONSTRAINTS)",
                    S_CHAIN,
                )
            )
        elif role == "intermediate" and f.version == 3 and not f.bc_present:
            problems.append(
                Reason(
                    "ca.not_ca",
                    f"[unverified] {who} is v3 without basicConstraints; assumed rejected "
                    "as a CA, as RFC 5280 §4.2.1.9 requires",
                    S_CHAIN,
                )
            )
        if f.key_usage is not None and "key_cert_sign" not in f.key_usage:
            problems.append(
                Reason(
                    "ca.no_keycertsign",
                    f"[unverified] {who} has Key Usage without keyCertSign: Windows checks KU "
                    "when a CA signs, so it is assumed not to chain",
                    S_CHAIN,
                )
            )
        if f.bc_ca and f.path_length is not None:
            below = [c for c in path[1:j] if not facts(c).self_issued]
            if len(below) > f.path_length:
                problems.append(
                    Reason(
                        "ca.path_length",
                        f"{who} has pathLenConstraint {f.path_length} but {len(below)} "
                        "intermediate CA(s) follow it (CERT_TRUST_INVALID_BASIC_CONSTRAINTS)",
                        S_CHAIN,
                    )
                )
    return problems


def _chain(d: Decision, cert: x509.Certificate, purpose: Purpose, ctx: Context) -> None:
    _, path = first_good_path(d, cert, ctx, lambda p: _ca_problems(p, purpose))
    if path is not None:
        text = " → ".join(describe(c) for c in path)
        d.note(
            "path.valid",
            f"chain {text}: every certificate supports {purpose.eku.windows_name} "
            "(a CA without EKU passes everything) and the CA checks hold",
            S_AND,
        )


def outcome_key(f: CertFacts) -> tuple:
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
    :func:`certlib.chain.iter_paths` does (validity at ``at``, issuer name, AKI, the links to
    its candidate issuers; the inventory's chain key covers those): ``_ca_problems`` looks
    only at ``path[1:]`` (usages, basicConstraints, Key Usage and pathLenConstraint of the
    CAs, self-issued CAs below each one). Whoever makes :func:`evaluate` read more of the
    certificate adds it here; ``tests/test_memo_windows_go.py`` compares memoised and fresh
    outcomes.
    """
    return (bool(f.errors), bool(unsupported_critical(f)), effective_usages(f)[1])


def evaluate(cert: x509.Certificate, purpose: Purpose, ctx: Context) -> Verdict:
    """Would CryptoAPI consider ``cert`` valid for ``purpose``? (see the module docstring)"""
    d = Decision(purpose, PROFILE)
    f = facts(cert)
    for error in f.errors:
        d.fail(
            "invalid",
            "ext.malformed",
            f"[unverified] an extension cannot be decoded ({error}); CryptoAPI is assumed to "
            "refuse the certificate",
            S_EKU,
        )
    d.note(
        "ku.not_checked",
        "Key Usage is not consulted for the purpose (Windows checks KU only for CA signing)",
        S_EKU,
    )
    ok, reason = _usage_reason(f, purpose, "the certificate")
    d.add("allowed" if ok else "denied", reason)
    unknown = unsupported_critical(f)
    if unknown:
        d.add("denied", _critical_reason(unknown, "the certificate"))
    if ctx.chain_aware:
        _chain(d, cert, purpose, ctx)
    host_name_check(d, cert, purpose, ctx, S_NAME, " (CERT_E_CN_NO_MATCH)")
    return d.verdict()


def iis_key(f: CertFacts, *, has_private_key: bool) -> tuple:
    """All :func:`iis_binding_candidate` reads: equal keys, equal outcomes (inventory memo)."""
    return (has_private_key, f.eku)


def iis_binding_candidate(cert: x509.Certificate, *, has_private_key: bool) -> Verdict:
    """Would IIS Manager list ``cert`` for an HTTPS binding? (heuristic, unverified)

    The widely repeated rule: a certificate from LocalMachine\\My (Personal) or
    LocalMachine\\WebHosting that has a private key and either no EKU or serverAuth in its EKU.
    No primary Microsoft statement of the EKU filter exists (docs/semantics.md §3.3);
    ``netsh http add sslcert`` and PowerShell bindings do not apply it.
    """
    d = Decision(Purpose.TLS_SERVER, PROFILE)
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
            "denied",
            "iis.no_private_key",
            "heuristic, unverified: no associated private key, so IIS Manager does not offer it",
            S_IIS,
        )
    oids = facts(cert).eku
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
            "denied",
            "iis.eku_without_server_auth",
            f"heuristic, unverified: EKU ({eku_names(oids)}) lacks Server Authentication, so "
            "the list is believed to leave it out (anyExtendedKeyUsage does not count here)",
            S_IIS,
        )
    return d.verdict()


def intended_purposes(cert: x509.Certificate) -> list[str]:
    """The lines under "This certificate is intended for the following purpose(s):".

    ``["All application policies"]`` without EKU/Application Policies; ``[]`` for an empty
    EKU; else each purpose's dialog sentence (``oids`` ``windows_purpose``, one line per
    sentence), falling back to its friendly name or dotted OID. The sentences come from
    third-party reproductions (docs/semantics.md §3.4) and are unverified.
    """
    _origin, oids = effective_usages(facts(cert))
    if oids is None:
        return [EKU.ANY.windows_purpose or "All application policies"]
    out: list[str] = []
    for oid in oids:
        kp = eku(oid)
        lines = kp.windows_purpose.split("; ") if kp.windows_purpose else [kp.display_name]
        out.extend(line for line in lines if line not in out)
    return out
