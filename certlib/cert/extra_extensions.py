"""DER for the extensions :class:`certlib.cert.forge.CertSpec` has no field for: name constraints
and the policy extensions, as ``(oid, critical, value)`` triples for ``CertSpec.extra_extensions``.

Notebooks and tests forge constrained CAs with these (a CA permitting only ``example.com``, a
CA requiring an explicit policy) without writing DER by hand. Pure functions.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from certlib.cert import der
from certlib.core.oids import EXT

__all__ = [
    "certificate_policies",
    "general_name",
    "inhibit_any_policy",
    "name_constraints",
    "policy_constraints",
    "policy_mappings",
]

Extension = tuple[str, bool, bytes]


def general_name(text: str) -> bytes:
    """``DNS:x``, ``email:x``, ``URI:x``, ``IP:10.0.0.0/8`` (a network, as constraints hold
    it) or ``DirName:<Name DER hex>`` as a GeneralName TLV; a bare name is a dNSName."""
    kind, sep, value = text.partition(":")
    if not sep:
        kind, value = "DNS", text
    k = kind.strip().upper()
    if k == "DNS":
        return der.encode_tlv(0x82, value.encode("ascii"))
    if k == "EMAIL":
        return der.encode_tlv(0x81, value.encode("ascii"))
    if k == "URI":
        return der.encode_tlv(0x86, value.encode("ascii"))
    if k == "IP":
        net = ipaddress.ip_network(value, strict=False)
        return der.encode_tlv(0x87, net.network_address.packed + net.netmask.packed)
    if k == "DIRNAME":
        return der.encode_tlv(0xA4, bytes.fromhex(value))
    raise ValueError(f"unknown name kind {kind!r} in {text!r} (DNS, email, URI, IP, DirName)")


def name_constraints(
    permitted: Iterable[str] = (), excluded: Iterable[str] = (), *, critical: bool = True
) -> Extension:
    """A nameConstraints extension (RFC 5280 §4.2.1.10) with the given subtrees."""
    parts = []
    for tag, names in ((0xA0, tuple(permitted)), (0xA1, tuple(excluded))):
        if names:
            trees = b"".join(der.encode_sequence(general_name(n)) for n in names)
            parts.append(der.encode_tlv(tag, trees))
    return (EXT.NAME_CONSTRAINTS.oid, critical, der.encode_sequence(*parts))


def certificate_policies(*oids: str, critical: bool = False) -> Extension:
    """A certificatePolicies extension listing ``oids`` (no qualifiers)."""
    value = der.encode_sequence(*(der.encode_sequence(der.encode_oid(o)) for o in oids))
    return (EXT.CERTIFICATE_POLICIES.oid, critical, value)


def _skip(tag: int, n: int) -> bytes:
    return der.encode_tlv(tag, der.encode_integer(n)[2:])


def policy_constraints(
    require_explicit: int | None = None,
    inhibit_mapping: int | None = None,
    *,
    critical: bool = True,
) -> Extension:
    """A policyConstraints extension (requireExplicitPolicy [0], inhibitPolicyMapping [1])."""
    parts = []
    if require_explicit is not None:
        parts.append(_skip(0x80, require_explicit))
    if inhibit_mapping is not None:
        parts.append(_skip(0x81, inhibit_mapping))
    return (EXT.POLICY_CONSTRAINTS.oid, critical, der.encode_sequence(*parts))


def policy_mappings(pairs: Iterable[tuple[str, str]], *, critical: bool = True) -> Extension:
    """A policyMappings extension: (issuerDomainPolicy, subjectDomainPolicy) pairs."""
    value = der.encode_sequence(
        *(der.encode_sequence(der.encode_oid(a), der.encode_oid(b)) for a, b in pairs)
    )
    return (EXT.POLICY_MAPPINGS.oid, critical, value)


def inhibit_any_policy(skip: int, *, critical: bool = True) -> Extension:
    """An inhibitAnyPolicy extension with SkipCerts ``skip``."""
    return (EXT.INHIBIT_ANY_POLICY.oid, critical, der.encode_integer(skip))
