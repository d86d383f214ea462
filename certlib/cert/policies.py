"""Certificate policy processing (RFC 5280 §6.1 as updated by RFC 9618's policy graph).

:func:`policy_info` reads the four policy extensions of one certificate (certificatePolicies,
policyMappings, policyConstraints, inhibitAnyPolicy); :func:`policies_valid` runs the policy
part of path validation over a chain. The algorithm follows Go ``crypto/x509`` ``verify.go``
``policiesValid`` step by step (the RFC's step names are in the comments), so a profile modelling
another implementation passes its own :class:`PolicyOptions` (initial policy set, the three
initial flags) and gets RFC 9618 semantics.

Pure: nothing is kept between calls; a graph is built per call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from certlib.cert import der
from certlib.cert.facts import CertFacts
from certlib.core.oids import ANY_POLICY, EXT

__all__ = ["PolicyError", "PolicyInfo", "PolicyOptions", "policies_valid", "policy_info"]


class PolicyError(ValueError):
    """A policy extension the implementation refuses to parse (Go: a parse failure)."""


@dataclass(frozen=True)
class PolicyInfo:
    """One certificate's policy extensions (``None``: the field or extension is absent)."""

    policies: tuple[str, ...] = ()
    mappings: tuple[tuple[str, str], ...] = ()
    require_explicit: int | None = None
    inhibit_mapping: int | None = None
    inhibit_any: int | None = None
    self_issued: bool = False

    @property
    def constrains(self) -> bool:
        """Carries something that can make policy validation fail."""
        return bool(
            self.mappings
            or self.require_explicit is not None
            or self.inhibit_mapping is not None
            or self.inhibit_any is not None
        )


@dataclass(frozen=True)
class PolicyOptions:
    """The initial inputs of §6.1.1 (c), (e), (f), (g); Go's defaults are all off."""

    user_policies: frozenset[str] = field(default_factory=frozenset)
    inhibit_mapping: bool = False
    require_explicit: bool = False
    inhibit_any: bool = False


def _int_field(value: bytes, what: str) -> int | None:
    """A skip count; a negative one is ignored (None), as Go's ``> 0 || Zero`` tests do."""
    try:
        n = der.parse_int(value)
    except der.DerError as exc:
        raise PolicyError(f"invalid {what} ({exc})") from None
    if n > 2**63 - 1 or n < -(2**63):
        raise PolicyError(f"invalid {what} (overflows int)")
    return n if n >= 0 else None


def policy_info(f: CertFacts) -> PolicyInfo:
    """The policy extensions of ``f``, read as Go's ``processExtensions`` reads them."""
    policies: list[str] = []
    mappings: list[tuple[str, str]] = []
    require = inhibit_map = inhibit_any = None
    try:
        ext = f.extension(EXT.CERTIFICATE_POLICIES.oid)
        if ext is not None:
            for tag, info in der.children(der.unwrap(ext.value, der.SEQUENCE)):
                parts = der.children(info) if tag == der.SEQUENCE else []
                if not parts or parts[0][0] != der.OID:
                    raise PolicyError("invalid certificate policies")
                oid = der.oid_text(parts[0][1])
                if oid in policies:
                    raise PolicyError("invalid certificate policies (a repeated policy)")
                policies.append(oid)
        ext = f.extension(EXT.POLICY_MAPPINGS.oid)
        if ext is not None:
            for tag, pair in der.children(der.unwrap(ext.value, der.SEQUENCE)):
                parts = der.children(pair) if tag == der.SEQUENCE else []
                if len(parts) < 2 or parts[0][0] != der.OID or parts[1][0] != der.OID:
                    raise PolicyError("invalid policy mappings extension")
                mappings.append((der.oid_text(parts[0][1]), der.oid_text(parts[1][1])))
        ext = f.extension(EXT.POLICY_CONSTRAINTS.oid)
        if ext is not None:
            for tag, value in der.children(der.unwrap(ext.value, der.SEQUENCE)):
                if tag == 0x80:
                    require = _int_field(value, "policy constraints extension")
                elif tag == 0x81:
                    inhibit_map = _int_field(value, "policy constraints extension")
        ext = f.extension(EXT.INHIBIT_ANY_POLICY.oid)
        if ext is not None:
            inhibit_any = _int_field(
                der.unwrap(ext.value, der.INTEGER), "inhibit any policy extension"
            )
    except der.DerError as exc:
        raise PolicyError(f"invalid policy extension ({exc})") from None
    return PolicyInfo(
        tuple(policies),
        tuple(mappings),
        require,
        inhibit_map,
        inhibit_any,
        f.subject_der == f.issuer_der,
    )


class _Node:
    __slots__ = ("children", "expected", "parents", "valid")

    def __init__(self, valid: str, parents: list[_Node]) -> None:
        self.valid = valid
        self.expected: list[str] = [valid]
        self.parents: set[_Node] = set()
        self.children: set[_Node] = set()
        for p in parents:
            p.children.add(self)
            self.parents.add(p)


class _Graph:
    def __init__(self) -> None:
        self.strata: list[dict[str, _Node]] = [{ANY_POLICY: _Node(ANY_POLICY, [])}]
        self.parent_index: dict[str, list[_Node]] = {}
        self.depth = 0

    def insert(self, n: _Node) -> None:
        self.strata[self.depth][n.valid] = n

    def parents_with_expected(self, expected: str) -> list[_Node]:
        return self.parent_index.get(expected, []) if self.depth else []

    def parent_with_any(self) -> _Node | None:
        return self.strata[self.depth - 1].get(ANY_POLICY) if self.depth else None

    def parents(self) -> list[_Node]:
        return list(self.strata[self.depth - 1].values()) if self.depth else []

    def leaves(self) -> dict[str, _Node]:
        return self.strata[self.depth]

    def delete_leaf(self, policy: str) -> None:
        n = self.strata[self.depth].pop(policy, None)
        if n is None:
            return
        for p in n.parents:
            p.children.discard(n)
        for c in n.children:
            c.parents.discard(n)

    def valid_policy_nodes(self) -> list[_Node]:
        out = []
        for i in range(self.depth, -1, -1):
            for n in self.strata[i].values():
                if n.valid == ANY_POLICY or len(n.parents) != 1:
                    continue
                if next(iter(n.parents)).valid == ANY_POLICY:
                    out.append(n)
        return out

    def prune(self) -> None:
        for i in range(self.depth - 1, 0, -1):
            for key, n in list(self.strata[i].items()):
                if not n.children:
                    for p in n.parents:
                        p.children.discard(n)
                    del self.strata[i][key]

    def incr_depth(self) -> None:
        self.parent_index = {}
        for n in self.strata[self.depth].values():
            for e in n.expected:
                self.parent_index.setdefault(e, []).append(n)
        self.depth += 1
        self.strata.append({})


def policies_valid(chain: list[PolicyInfo], opts: PolicyOptions | None = None) -> str | None:
    """None when the chain (leaf first, trust anchor last) passes policy validation, else why.

    The trust anchor's own extensions are not processed (§6.1: it is an input, not a path
    certificate), exactly as Go does.
    """
    opts = opts or PolicyOptions()
    if len(chain) == 1:
        return None
    n = len(chain) - 1
    pg: _Graph | None = _Graph()
    inhibit_any = 0 if opts.inhibit_any else n + 1
    explicit = 0 if opts.require_explicit else n + 1
    mapping = 0 if opts.inhibit_mapping else n + 1
    user = set(opts.user_policies) or {ANY_POLICY}

    for i in range(n - 1, -1, -1):
        cert = chain[i]
        if not cert.policies:  # 6.1.3 (e)
            pg = None
        if explicit == 0 and pg is None:  # 6.1.3 (f)
            return (
                f"certificate {i} (0 = leaf) has no certificate policies while an explicit "
                "policy is required (requireExplicitPolicy)"
            )
        if pg is not None:
            pg.incr_depth()
            for policy in cert.policies:  # 6.1.3 (d)(1)
                if policy == ANY_POLICY:
                    continue
                parents = pg.parents_with_expected(policy)
                if not parents:
                    anyp = pg.parent_with_any()
                    if anyp is not None:
                        parents = [anyp]
                if parents:
                    pg.insert(_Node(policy, parents))
            # 6.1.3 (d)(2): anyPolicy, unless inhibited (self-issued intermediates excepted)
            if ANY_POLICY in cert.policies and (
                inhibit_any > 0 or (n - i < n and cert.self_issued)
            ):
                missing: dict[str, list[_Node]] = {}
                leaves = pg.leaves()
                for p in pg.parents():
                    for e in p.expected:
                        if e not in leaves:
                            missing.setdefault(e, []).append(p)
                for oid, parents in missing.items():
                    pg.insert(_Node(oid, parents))
            pg.prune()  # 6.1.3 (d)(3)
            if i != 0 and cert.mappings:  # 6.1.4 (b)
                maps: dict[str, list[str]] = {}
                for issuer_p, subject_p in cert.mappings:
                    if mapping > 0:
                        if ANY_POLICY in (issuer_p, subject_p):
                            return f"certificate {i} maps anyPolicy (policyMappings)"
                        maps.setdefault(issuer_p, []).append(subject_p)
                    else:
                        pg.delete_leaf(issuer_p)
                pg.prune()
                for issuer_p, subjects in maps.items():
                    matching = pg.leaves().get(issuer_p)
                    if matching is not None:
                        matching.expected = subjects
                    else:
                        anyleaf = pg.leaves().get(ANY_POLICY)
                        if anyleaf is not None:
                            node = _Node(issuer_p, [anyleaf])
                            node.expected = subjects
                            pg.insert(node)
        if i != 0:
            if not cert.self_issued:  # 6.1.4 (h)
                explicit = max(explicit - 1, 0)
                mapping = max(mapping - 1, 0)
                inhibit_any = max(inhibit_any - 1, 0)
            if cert.require_explicit is not None and cert.require_explicit < explicit:
                explicit = cert.require_explicit  # 6.1.4 (i)
            if cert.inhibit_mapping is not None and cert.inhibit_mapping < mapping:
                mapping = cert.inhibit_mapping
            if cert.inhibit_any is not None and cert.inhibit_any < inhibit_any:
                inhibit_any = cert.inhibit_any  # 6.1.4 (j)

    explicit = max(explicit - 1, 0)  # 6.1.5 (a)
    if chain[0].require_explicit == 0:  # 6.1.5 (b)
        explicit = 0
    valid: list[_Node] = []
    if pg is not None:  # 6.1.5 (g)
        valid = pg.valid_policy_nodes()
        anyleaf = pg.leaves().get(ANY_POLICY)
        if anyleaf is not None:
            valid.append(anyleaf)
    authority = {node.valid for node in valid}
    user_set = set(authority)
    if user != {ANY_POLICY}:
        user_set &= user
        if ANY_POLICY in authority:
            user_set |= user
    if explicit == 0 and not user_set:
        return (
            "an explicit policy is required (requireExplicitPolicy) but no policy is valid "
            "for the whole chain"
        )
    return None
