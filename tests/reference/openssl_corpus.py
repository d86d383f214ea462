"""A seeded random corpus of forged chains for the ``openssl verify`` oracle
(tests/oracles/test_openssl_verify.py).

Each :class:`Case` is root → 0-2 intermediates → leaf plus the files handed to ``openssl
verify`` (``-CAfile`` roots, ``-untrusted`` intermediates), a checking time and maybe a host
name, with the features it exercises named in ``features`` (the test asserts each occurs
often enough, so the corpus cannot silently shrink). Everything comes from one
``random.Random(seed)`` and is forged with that seed, so a failing case is reproduced by it.
"""

from __future__ import annotations

import random
from datetime import timedelta

from go_corpus import (
    AT,
    Scenario,
    _add_ext,
    _gn_dirname,
    _gn_dns,
    _gn_email,
    _gn_ip,
    _gn_upn,
    _gn_uri,
    _key_type,
    aki_ext,
    nc_ext,
    san_ext,
)

from certlib.cert import der
from certlib.cert.forge import REFERENCE_TIME, CertSpec, Forged, forge
from certlib.core.memo import Memo
from certlib.core.oids import EKU

UNKNOWN_EXT = "1.3.6.1.4.1.55555.9.1"
#: Seeded RSA keys are slow: only these subjects use them, shared by cases.
RSA_NAMES = ("OSSL RSA Root", "OSSL RSA Intermediate")
ORG = "Oracle Subtree"


class Case(Scenario):
    """A go_corpus scenario, named as ``openssl verify`` takes it."""

    ROLES = ("untrusted", "CAfile")


_LEAF_EKUS: list[tuple[str, tuple[str, ...] | None]] = [
    ("eku.absent", None),
    ("eku.absent", None),
    ("eku.server", (EKU.SERVER_AUTH.oid,)),
    ("eku.server", (EKU.SERVER_AUTH.oid,)),
    ("eku.client", (EKU.CLIENT_AUTH.oid,)),
    ("eku.email", (EKU.EMAIL_PROTECTION.oid,)),
    ("eku.time", (EKU.TIME_STAMPING.oid,)),
    ("eku.ocsp", (EKU.OCSP_SIGNING.oid,)),
    ("eku.any", (EKU.ANY.oid,)),
    ("eku.unknown", (UNKNOWN_EXT,)),
]
_CA_EKUS = [
    ("ca_eku.absent", None),
    ("ca_eku.absent", None),
    ("ca_eku.absent", None),
    ("ca_eku.server", (EKU.SERVER_AUTH.oid,)),
    ("ca_eku.client_email", (EKU.CLIENT_AUTH.oid, EKU.EMAIL_PROTECTION.oid)),
]
_LEAF_KUS = [
    ("ku.absent", None),
    ("ku.absent", None),
    ("ku.ds", frozenset({"digital_signature"})),
    ("ku.ke", frozenset({"key_encipherment"})),
    ("ku.nr", frozenset({"content_commitment"})),
]

_DNS_INSIDE = [
    "www.example.com",
    "a.example.com",
    "*.example.com",
    "example.com",
    "WWW.Example.COM",
]
_DNS_OUTSIDE = [
    "www.other.org",
    "example.com.evil.net",
    "badexample.com",
    "*.com",
    "w*.example.com",
]
_CNS = [
    ("cn.host", "leaf.example.com"),
    ("cn.host", "www.example.com"),
    ("cn.host_outside", "leaf.other.org"),
    ("cn.not_host", "Oracle Leaf"),
    ("cn.not_host", "leaf"),
    ("cn.wildcard", "*.example.com"),
]
_HOSTS = [
    "www.example.com",
    "WWW.EXAMPLE.COM",
    "a.example.com",
    "a.b.example.com",
    "example.com",
    "leaf.example.com",
    "www.other.org",
    "foo.com",
    ".example.com",
    "wxyz.example.com",
    "192.0.2.7",
    "198.51.100.1",
    "2001:db8::1",
]


def _ca_spec(rng: random.Random, name: str, feats: set[str], role: str) -> CertSpec:
    spec = CertSpec(
        common_name=name,
        key_type=_key_type(rng),
        ca=True,
        key_usage=frozenset({"key_cert_sign", "crl_sign"}),
    )
    if rng.random() < 0.3:
        spec = spec.with_(subject=(("O", ORG),))
        feats.add("subject.org")
    r = rng.random()
    if role == "intermediate":
        if r < 0.04:
            spec = spec.with_(ca=False)
            feats.add("bc.ca_false")
        elif r < 0.07:
            spec = spec.with_(ca=None)
            feats.add("bc.absent")
        elif r < 0.17:
            spec = spec.with_(path_length=0)
            feats.add("bc.pathlen0")
    elif r < 0.08:
        spec = spec.with_(path_length=0)
        feats.add("bc.pathlen0")
    r = rng.random()
    if r < 0.05:
        spec = spec.with_(key_usage=frozenset({"digital_signature"}))
        feats.add("ku.ca_no_keycertsign")
    elif r < 0.1:
        spec = spec.with_(key_usage=None)
        feats.add("ku.ca_absent")
    label, eku = _CA_EKUS[rng.randrange(len(_CA_EKUS))]
    if eku is not None:
        spec = spec.with_(eku=eku)
        feats.add(label)
    if rng.random() < 0.03:
        spec = spec.with_(extra_extensions=((UNKNOWN_EXT, True, b"\x05\x00"),))
        feats.add("critical.unknown_ca")
    if rng.random() < 0.03:
        spec = spec.with_(validity_days=5)
        feats.add("validity.ca_expired")
    return spec


def _name_constraints(rng: random.Random, feats: set[str]) -> tuple[str, bool, bytes]:
    """Permitted and/or excluded subtrees of one or two name forms."""
    permitted: list[bytes] = []
    excluded: list[bytes] = []
    for _ in range(rng.choice([1, 1, 2])):
        kind = rng.choice(["dns", "dns", "dns", "email", "ip", "uri", "dirname", "othername"])
        where = permitted if rng.random() < 0.6 else excluded
        feats.add(f"nc.{kind}.{'permitted' if where is permitted else 'excluded'}")
        if kind == "dns":
            base = rng.choice(["example.com", ".example.com", "www.example.com", "other.org", ""])
            where.append(_gn_dns(base))
        elif kind == "email":
            base = rng.choice(["example.com", ".example.com", "me@example.com", "other.org"])
            where.append(_gn_email(base))
        elif kind == "ip":
            where.append(
                _gn_ip(
                    rng.choice(
                        [
                            bytes([192, 0, 2, 0, 255, 255, 255, 0]),
                            bytes([198, 51, 100, 0, 255, 255, 255, 128]),
                        ]
                    )
                )
            )
        elif kind == "uri":
            where.append(_gn_uri(rng.choice(["www.example.com", ".example.com", "other.org"])))
        elif kind == "dirname":
            where.append(_gn_dirname_org(rng.choice([ORG, "Elsewhere"])))
        else:
            where.append(_gn_upn("example.com"))
    return nc_ext(permitted, excluded, rng.random() < 0.8)


def _gn_dirname_org(org: str) -> bytes:
    """directoryName ``O=org`` (a prefix of every subject forged with ``subject=(("O", org),)``)."""
    from cryptography import x509

    name = x509.Name([x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, org)])
    return der.encode_tlv(0xA4, name.public_bytes())


def _leaf_sans(rng: random.Random, feats: set[str]) -> list[bytes]:
    names: list[bytes] = []
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        r = rng.random()
        if r < 0.4:
            names.append(_gn_dns(rng.choice(_DNS_INSIDE)))
            feats.add("san.dns_inside")
        elif r < 0.55:
            names.append(_gn_dns(rng.choice(_DNS_OUTSIDE)))
            feats.add("san.dns_outside")
        elif r < 0.67:
            names.append(
                _gn_email(rng.choice(["me@example.com", "you@other.org", "x@a.example.com"]))
            )
            feats.add("san.email")
        elif r < 0.8:
            names.append(
                _gn_ip(
                    rng.choice(
                        [
                            bytes([192, 0, 2, 7]),
                            bytes([198, 51, 100, 1]),
                            bytes.fromhex("20010db8000000000000000000000001"),
                        ]
                    )
                )
            )
            feats.add("san.ip")
        elif r < 0.9:
            names.append(
                _gn_uri(
                    rng.choice(
                        [
                            "https://www.example.com/x",
                            "https://other.org/",
                            "http://a.example.com:8",
                        ]
                    )
                )
            )
            feats.add("san.uri")
        elif r < 0.95:
            names.append(_gn_dirname("Oracle Dir"))
            feats.add("san.dirname")
        else:
            names.append(_gn_upn("user@example.com"))
            feats.add("san.upn")
    return names


def case(rng: random.Random, index: int, seed: int, memo: Memo | None = None) -> Case:
    feats: set[str] = set()
    tag = f"c{index}"
    n_int = rng.choice([0, 1, 1, 2, 2])
    feats.add(f"depth.{n_int}")
    names = [f"OSSL Root {tag}"] + [f"OSSL Int{k} {tag}" for k in range(n_int)]
    if rng.random() < 0.04:
        names[0] = RSA_NAMES[0]
        feats.add("key.rsa")
    if n_int and rng.random() < 0.04:
        names[1] = RSA_NAMES[1]
        feats.add("key.rsa")
    specs = []
    for k, name in enumerate(names):
        spec = _ca_spec(rng, name, feats, "root" if k == 0 else "intermediate")
        if name in RSA_NAMES:
            spec = spec.with_(key_type="rsa", subject=())
        specs.append(spec)
    if rng.random() < 0.45:
        k = rng.randrange(len(specs))
        specs[k] = _add_ext(specs[k], _name_constraints(rng, feats))
        feats.add("nc.on_root" if k == 0 else "nc.on_intermediate")
    # the leaf
    label, eku = _LEAF_EKUS[rng.randrange(len(_LEAF_EKUS))]
    feats.add(label)
    cn_label, cn = _CNS[rng.randrange(len(_CNS))]
    feats.add(cn_label)
    ku_label, ku = _LEAF_KUS[rng.randrange(len(_LEAF_KUS))]
    feats.add(ku_label)
    leaf = CertSpec(
        common_name=cn,
        key_type=_key_type(rng),
        eku=eku,
        key_usage=ku,
        key_label=tag,
        subject=((("O", ORG),) if rng.random() < 0.4 else ()),
    )
    san = _leaf_sans(rng, feats)
    if san:
        leaf = _add_ext(leaf, san_ext(san, rng.random() < 0.2))
    else:
        feats.add("san.absent")
    r = rng.random()
    if r < 0.04:
        leaf = _add_ext(leaf, (UNKNOWN_EXT, True, b"\x05\x00"))
        feats.add("critical.unknown_leaf")
    elif r < 0.07:
        leaf = leaf.with_(ca=True)
        feats.add("leaf.ca")
    elif r < 0.09:
        leaf = leaf.with_(ca=False, path_length=None)
        feats.add("leaf.bc_false")
    r = rng.random()
    if r < 0.04:
        leaf = leaf.with_(validity_days=5)
        feats.add("validity.leaf_expired")
    elif r < 0.07:
        leaf = leaf.with_(not_before=REFERENCE_TIME + timedelta(days=30))
        feats.add("validity.leaf_not_yet")

    forged: list[Forged] = []
    for spec in specs:
        forged.append(forge(spec, forged[-1] if forged else None, seed=seed, memo=memo))
    issuer = forged[-1]
    if rng.random() < 0.05:
        leaf = _add_ext(leaf.with_(authority_key_identifier=False), aki_ext(bytes(20 * [7])))
        feats.add("kid.mismatch")
    leaf_f = forge(leaf, issuer, seed=seed, memo=memo)

    roots = [forged[0]]
    intermediates = list(forged[1:])
    r = rng.random()
    if intermediates and r < 0.08:
        intermediates.pop(rng.randrange(len(intermediates)))
        feats.add("pool.missing_intermediate")
    elif intermediates and r < 0.2:
        # a trusted intermediate: also (or only) in the CAfile
        k = rng.randrange(len(intermediates))
        roots.append(intermediates[k])
        if rng.random() < 0.4:
            intermediates.pop(k)
        if rng.random() < 0.2:
            roots.pop(0)
            feats.add("pool.no_root")
        feats.add("pool.trusted_intermediate")
    elif r < 0.26:
        decoy = forge(CertSpec(common_name=f"OSSL Decoy {tag}", ca=True), seed=seed, memo=memo)
        (roots if rng.random() < 0.5 else intermediates).append(decoy)
        feats.add("pool.unrelated_ca")
    elif r < 0.29:
        roots = [leaf_f]
        feats.add("pool.leaf_trusted")
    host = None
    if rng.random() < 0.5:
        host = rng.choice(_HOSTS)
        feats.add("host.ip" if ":" in host or host[0].isdigit() else "host.dns")
    return Case(f"seed{seed}-{tag}", leaf_f, intermediates, roots, AT, host, feats)


def corpus(seed: int, count: int) -> list[Case]:
    rng = random.Random(seed)
    memo = Memo()  # one per corpus build: its keys (and issuers) are derived once
    return [case(rng, i, seed, memo) for i in range(count)]


__all__ = ["AT", "Case", "corpus"]
