"""Name constraints and policy processing over a path, as the rfc5280 and windows profiles run
them (:mod:`certlib.cert.nameconstraints` with the profile's ``Rules``,
:mod:`certlib.cert.policies`).

Both read the same things of a path: the SAN and subject of every certificate below a CA with
name constraints (self-issued intermediates skipped, RFC 5280 §6.1.3(b)), the CAs' constraints
(the trust anchor's only when ``anchor`` says so), the four policy extensions of every
certificate but the anchor. Pure: nothing is kept between calls but what the run's memo holds
(:func:`what_path_reads`).
"""

from __future__ import annotations

from cryptography import x509

from certlib.cert import nameconstraints as nc
from certlib.cert.chain import describe
from certlib.cert.facts import CertFacts, facts
from certlib.cert.policies import (
    PolicyError,
    PolicyInfo,
    PolicyOptions,
    policies_valid,
    policy_info,
)
from certlib.core.memo import Memo
from certlib.core.oids import EXT
from certlib.core.verdicts import Outcome

__all__ = [
    "carries_policy_constraints",
    "constraint_violation",
    "constraints_of",
    "names_of",
    "policy_failure",
    "policy_info_of",
    "policy_raws",
    "what_path_reads",
]


def constraints_of(f: CertFacts, rules: nc.Rules) -> nc.NameConstraints | None:
    """The certificate's name constraints (None without the extension); NameConstraintError
    when they do not parse."""
    ext = f.extension(EXT.NAME_CONSTRAINTS.oid)
    return None if ext is None else nc.parse_name_constraints(ext.value, rules)


def names_of(f: CertFacts, rules: nc.Rules) -> nc.Names | None:
    """SAN names plus the subject as ``rules`` fold it in; NameConstraintError when the SAN
    or subject cannot be read."""
    ext = f.extension(EXT.SUBJECT_ALTERNATIVE_NAME.oid)
    san = None if ext is None else nc.parse_san(ext.value, strict=False)
    try:
        return nc.subject_names(san, f.subject_der, rules)
    except Exception as exc:  # a subject der cannot walk: unreadable, not a crash
        if isinstance(exc, nc.NameConstraintError):
            raise
        raise nc.NameConstraintError(f"the subject cannot be read ({exc})") from None


def constraint_violation(
    path: tuple[x509.Certificate, ...], rules: nc.Rules, *, anchor: bool, memo: Memo | None = None
) -> tuple[str, str] | None:
    """(rule suffix, text) of the first name-constraint problem on ``path``, or None.

    ``invalid``: a CA's nameConstraints do not parse; ``unreadable``: a constrained
    certificate's SAN or subject cannot be read; ``violated``: a name lies outside a subtree.
    """
    chain: list[tuple[nc.Names | None, nc.NameConstraints | None]] = []
    unreadable: dict[int, str] = {}
    n = len(path)
    for i, cert in enumerate(path):
        f = facts(cert, memo=memo)
        last = i == n - 1 and n > 1
        own = None
        if i > 0 and (not last or anchor):
            try:
                own = constraints_of(f, rules)
            except nc.NameConstraintError as exc:
                return (
                    Outcome.INVALID,
                    f"{describe(cert, memo=memo)} has name constraints that cannot be read: {exc}",
                )
        names = None
        if not last and not (i > 0 and f.self_issued):
            try:
                names = names_of(f, rules)
            except nc.NameConstraintError as exc:
                unreadable[i] = str(exc)
        chain.append((names, own))
    constrained_above = [any(own is not None for _n, own in chain[i + 1 :]) for i in range(n)]
    for i, why in unreadable.items():
        if constrained_above[i]:
            return "unreadable", (
                f"{describe(path[i], memo=memo)} is below a CA with name constraints but its "
                f"names cannot be read ({why})"
            )
    hit = nc.check(chain, rules)
    if hit is None:
        return None
    i, k, why = hit
    return "violated", (
        f"{describe(path[i], memo=memo)} is named outside the name constraints of "
        f"{describe(path[k], memo=memo)}: {why}"
    )


def policy_info_of(f: CertFacts) -> PolicyInfo | None:
    """The policy extensions, or None when one does not parse."""
    try:
        return policy_info(f)
    except PolicyError:
        return None


def policy_failure(
    path: tuple[x509.Certificate, ...],
    opts: PolicyOptions | None = None,
    *,
    memo: Memo | None = None,
) -> str | None:
    """Why RFC 5280 §6.1 policy processing fails on ``path`` (the anchor's own extensions
    are input, not processed), or None."""
    infos = []
    for cert in path[:-1] if len(path) > 1 else path:
        try:
            infos.append(policy_info(facts(cert, memo=memo)))
        except PolicyError as exc:
            return f"{describe(cert, memo=memo)} has a policy extension that cannot be read: {exc}"
    if len(path) > 1:
        infos.append(PolicyInfo(self_issued=True))  # the anchor: input only
    return policies_valid(infos, opts)


def carries_policy_constraints(
    path: tuple[x509.Certificate, ...], *, memo: Memo | None = None
) -> bool:
    """Some certificate on the path has policyConstraints, policyMappings or
    inhibitAnyPolicy (what can make policy processing fail)."""
    oids = (EXT.POLICY_CONSTRAINTS.oid, EXT.POLICY_MAPPINGS.oid, EXT.INHIBIT_ANY_POLICY.oid)
    return any(facts(c, memo=memo).extension(o) is not None for c in path for o in oids)


#: The policy extensions path validation reads of every certificate, in this order.
POLICY_EXTENSIONS: tuple[str, ...] = (
    EXT.CERTIFICATE_POLICIES.oid,
    EXT.POLICY_MAPPINGS.oid,
    EXT.POLICY_CONSTRAINTS.oid,
    EXT.INHIBIT_ANY_POLICY.oid,
)


def policy_raws(f: CertFacts) -> tuple[tuple[bool, bytes] | None, ...]:
    """``(critical, value)`` of the first of each :data:`POLICY_EXTENSIONS` (None: absent), in
    one walk over the extensions."""
    found: dict[str, tuple[bool, bytes]] = {}
    for e in f.extensions:
        if e.oid in _POLICY_SET and e.oid not in found:
            found[e.oid] = (e.critical, e.value)
    return tuple(found.get(oid) for oid in POLICY_EXTENSIONS)


_POLICY_SET = frozenset(POLICY_EXTENSIONS)


def what_path_reads(
    f: CertFacts, chain: tuple[CertFacts, ...], memo: Memo | None
) -> tuple[bool, bool, bool]:
    """For a profile's outcome key, what path validation of the leaf ``f`` under ``chain``
    (the facts of its issuers) depends on: (the leaf's policy extensions do not parse, policy
    processing could fail — a policy extension of the leaf or of a chain certificate does not
    parse or constrains —, a chain certificate carries name constraints).

    With a run's ``memo`` the chain's part is kept per chain (table
    ``constraints.chain``, by the identity of its facts, which the entry holds) and the
    leaf's per its policy extensions (table ``constraints.leaf_policy``): a pile's leaves
    share a few chains and their CA's policy extensions."""
    leaf = _leaf_policy(f, memo)
    if memo is None:
        chain_policed, constrained = _chain_part(chain)
    else:
        table = memo.table("constraints.chain")
        key = tuple(map(id, chain))
        hit = table.get(key)
        if hit is None or any(a is not b for a, b in zip(hit[0], chain, strict=True)):
            hit = (chain, _chain_part(chain))
            memo.room(table)
            table[key] = hit
        chain_policed, constrained = hit[1]
    return leaf[0], leaf[0] or leaf[1] or chain_policed, constrained


def _leaf_policy(f: CertFacts, memo: Memo | None) -> tuple[bool, bool]:
    """(the policy extensions do not parse, they constrain) of ``f``."""
    if memo is None:
        return _policy_flags(f)
    table = memo.table("constraints.leaf_policy")
    key = (policy_raws(f), f.subject_der == f.issuer_der)
    hit = table.get(key)
    if hit is None:
        hit = _policy_flags(f)
        memo.room(table)
        table[key] = hit
    return hit  # type: ignore[return-value]


def _policy_flags(f: CertFacts) -> tuple[bool, bool]:
    info = policy_info_of(f)
    return info is None, info is not None and info.constrains


def _chain_part(chain: tuple[CertFacts, ...]) -> tuple[bool, bool]:
    """(policy processing could fail on a chain certificate, one carries name constraints)."""
    policed = any(none or constrains for none, constrains in map(_policy_flags, chain))
    constrained = any(c.extension(EXT.NAME_CONSTRAINTS.oid) is not None for c in chain)
    return policed, constrained
