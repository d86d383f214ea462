"""A seeded random corpus of forged chains for the Go oracle test (tests/oracles/test_go_verify.py).

Each :class:`Scenario` is root → 0-2 intermediates → leaf plus the pools handed to the
verifier, a checking time and maybe a host name, with the features it exercises named in
``features`` (the test asserts each occurs often enough, so the corpus cannot silently
shrink). Everything is derived from one ``random.Random(seed)`` and forged with that seed, so
a failing case is reproduced by its seed.
"""

from __future__ import annotations

import math
import random
import warnings
from dataclasses import dataclass, field, replace
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.utils import CryptographyDeprecationWarning

from certlib.cert import der
from certlib.cert.forge import REFERENCE_TIME, CertSpec, Forged, forge
from certlib.core.memo import Memo
from certlib.core.oids import ANY_POLICY, EKU, EXT, OTHER_NAME, SIGNATURE_ALGORITHMS

UNKNOWN_EXT = "1.3.6.1.4.1.55555.9.1"
POLICY_A = "1.3.6.1.4.1.55555.10.1"
POLICY_B = "1.3.6.1.4.1.55555.10.2"
#: The checking time: inside every default validity period (forge starts them a day before
#: REFERENCE_TIME and runs 365 days).
AT = REFERENCE_TIME + timedelta(days=10)
#: RSA keys are slow to derive from a seed: only these subjects use them, shared by scenarios.
RSA_NAMES = ("Oracle RSA Root", "Oracle RSA Intermediate")


@dataclass
class Scenario:
    id: str
    leaf: Forged
    intermediates: list[Forged]
    roots: list[Forged]
    at: object = AT
    hostname: str | None = None
    features: set[str] = field(default_factory=set)

    #: How the failure message names the intermediates and the roots (the oracle's words).
    ROLES = ("intermediate", "root")

    def describe(self) -> str:
        """One line per certificate: the spec fields that differ from the defaults."""
        lines = []
        for role, certs in (
            ("leaf", [self.leaf]),
            (self.ROLES[0], self.intermediates),
            (self.ROLES[1], self.roots),
        ):
            for c in certs:
                spec = c.spec
                shown = {
                    k: getattr(spec, k)
                    for k in spec.__dataclass_fields__
                    if k != "issuer"
                    and getattr(spec, k) != CertSpec.__dataclass_fields__[k].default
                    and k not in ("subject",)
                }
                lines.append(f"  {role}: {shown} sha256={c.sha256[:16]}")
        lines.append(f"  at={self.at} hostname={self.hostname!r} features={sorted(self.features)}")
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------
# DER of the extensions forge has no field for
# ------------------------------------------------------------------------------------------


def _gn_dns(name: str) -> bytes:
    return der.encode_tlv(0x82, name.encode())


def _gn_email(name: str) -> bytes:
    return der.encode_tlv(0x81, name.encode())


def _gn_uri(name: str) -> bytes:
    return der.encode_tlv(0x86, name.encode())


def _gn_ip(octets: bytes) -> bytes:
    return der.encode_tlv(0x87, octets)


def _gn_upn(upn: str) -> bytes:
    value = der.encode_tlv(0xA0, der.encode_tlv(0x0C, upn.encode()))
    return der.encode_tlv(0xA0, der.encode_oid(OTHER_NAME.UPN.oid) + value)


def _gn_dirname(cn: str) -> bytes:
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, cn)])
    return der.encode_tlv(0xA4, name.public_bytes())


def san_ext(names: list[bytes], critical: bool = False) -> tuple[str, bool, bytes]:
    return (EXT.SUBJECT_ALTERNATIVE_NAME.oid, critical, der.encode_sequence(*names))


def nc_ext(
    permitted: list[bytes], excluded: list[bytes], critical: bool = True
) -> tuple[str, bool, bytes]:
    parts = []
    if permitted:
        parts.append(der.encode_tlv(0xA0, b"".join(der.encode_sequence(g) for g in permitted)))
    if excluded:
        parts.append(der.encode_tlv(0xA1, b"".join(der.encode_sequence(g) for g in excluded)))
    return (EXT.NAME_CONSTRAINTS.oid, critical, der.encode_sequence(*parts))


def policies_ext(oids: list[str]) -> tuple[str, bool, bytes]:
    value = der.encode_sequence(*(der.encode_sequence(der.encode_oid(o)) for o in oids))
    return (EXT.CERTIFICATE_POLICIES.oid, False, value)


def policy_constraints_ext(
    require: int | None, inhibit_mapping: int | None
) -> tuple[str, bool, bytes]:
    parts = []
    if require is not None:
        parts.append(der.encode_tlv(0x80, der.encode_integer(require)[2:]))
    if inhibit_mapping is not None:
        parts.append(der.encode_tlv(0x81, der.encode_integer(inhibit_mapping)[2:]))
    return (EXT.POLICY_CONSTRAINTS.oid, True, der.encode_sequence(*parts))


def inhibit_any_ext(skip: int) -> tuple[str, bool, bytes]:
    return (EXT.INHIBIT_ANY_POLICY.oid, True, der.encode_integer(skip))


def mappings_ext(pairs: list[tuple[str, str]]) -> tuple[str, bool, bytes]:
    value = der.encode_sequence(
        *(der.encode_sequence(der.encode_oid(a), der.encode_oid(b)) for a, b in pairs)
    )
    return (EXT.POLICY_MAPPINGS.oid, True, value)


def aki_ext(key_id: bytes, critical: bool = False) -> tuple[str, bool, bytes]:
    return (
        EXT.AUTHORITY_KEY_IDENTIFIER.oid,
        critical,
        der.encode_sequence(der.encode_tlv(0x80, key_id)),
    )


def ski_of(cert: x509.Certificate) -> bytes:
    return ski_of_key(cert.public_key())


def ski_of_key(key) -> bytes:
    return x509.SubjectKeyIdentifier.from_public_key(key).digest


# ------------------------------------------------------------------------------------------
# RSA keys below 1024 bits (Go >= 1.24 refuses to verify with them: GODEBUG rsa1024min)
# ------------------------------------------------------------------------------------------

WEAK_RSA_BITS = 512
_RSA_SHA256 = next(a for a in SIGNATURE_ALGORITHMS if a.openssl_name == "sha256WithRSAEncryption")


def weak_rsa_key(seed: int) -> rsa.RSAPrivateKey:
    """A 512-bit RSA key derived from ``seed`` (cryptography generates nothing under 1024 bits;
    Fermat-tested primes are good enough for test material)."""
    rng = random.Random(f"go-corpus weak rsa {seed}")
    e, half = 65537, WEAK_RSA_BITS // 2

    def prime() -> int:
        while True:
            c = rng.getrandbits(half) | (0b11 << (half - 2)) | 1
            if (c - 1) % e and all(pow(rng.randrange(2, c - 1), c - 1, c) == 1 for _ in range(24)):
                return c

    p, q = prime(), prime()
    d = pow(e, -1, math.lcm(p - 1, q - 1))
    return rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=rsa.RSAPublicNumbers(e, p * q),
    ).private_key()


def _sign(key, digest: hashes.HashAlgorithm | None, tbs: bytes) -> bytes:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(tbs)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(tbs, ec.ECDSA(digest or hashes.SHA256(), deterministic_signing=True))
    return key.sign(tbs, padding.PKCS1v15(), digest or hashes.SHA256())


def rekey(f: Forged, key: rsa.RSAPrivateKey) -> Forged:
    """``f`` with ``key``'s public key (and subject key identifier) in its TBS, signed again by
    its issuer, or by ``key`` itself (sha256WithRSAEncryption) when ``f`` is self-signed.
    Certificates forged below the result are signed with ``key``."""
    raw = f.der
    tbs, alg, _ = der.elements(der.unwrap(raw, der.SEQUENCE))
    items = der.elements(der.unwrap(tbs, der.SEQUENCE))
    at = 6 if items[0][0] == 0xA0 else 5
    old_ski = der.encode_tlv(der.OCTET_STRING, ski_of(f.certificate))
    items[at] = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    new_ski = der.encode_tlv(der.OCTET_STRING, ski_of_key(key.public_key()))
    items[at + 1 :] = [i.replace(old_ski, new_ski) for i in items[at + 1 :]]
    signer, digest = key, hashes.SHA256()
    if f.issuer is None:
        alg = der.encode_sequence(der.encode_oid(_RSA_SHA256.oid), b"\x05\x00")
        items[at - 4] = alg
    else:  # the issuer signs again as it did (same algorithm identifier)
        signer, digest = f.issuer.private_key, f.certificate.signature_hash_algorithm
    new_tbs = der.encode_sequence(*items)
    signature = _sign(signer, digest, new_tbs)
    out = der.encode_sequence(new_tbs, alg, der.encode_tlv(der.BIT_STRING, b"\x00" + signature))
    with warnings.catch_warnings():  # a CA with a serial <= 0 was asked for (as forge does)
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        cert = x509.load_der_x509_certificate(out)
    return Forged(f.spec, cert, key, f.issuer)


# ------------------------------------------------------------------------------------------
# Random scenarios
# ------------------------------------------------------------------------------------------

_LEAF_EKUS: list[tuple[str, tuple[str, ...] | None]] = [
    ("eku.absent", None),
    ("eku.absent", None),
    ("eku.absent", None),
    ("eku.any", (EKU.ANY.oid,)),
    ("eku.empty", ()),
    ("eku.server", (EKU.SERVER_AUTH.oid,)),
    ("eku.client", (EKU.CLIENT_AUTH.oid,)),
    ("eku.server_client", (EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid)),
    ("eku.code", (EKU.CODE_SIGNING.oid,)),
    ("eku.email", (EKU.EMAIL_PROTECTION.oid,)),
    ("eku.any", (EKU.ANY.oid,)),
    ("eku.unknown", (UNKNOWN_EXT,)),
    ("eku.time_ocsp", (EKU.TIME_STAMPING.oid, EKU.OCSP_SIGNING.oid)),
]
_CA_EKUS = [
    ("ca_eku.absent", None),
    ("ca_eku.absent", None),
    ("ca_eku.server", (EKU.SERVER_AUTH.oid,)),
    ("ca_eku.any", (EKU.ANY.oid,)),
    ("ca_eku.client_email", (EKU.CLIENT_AUTH.oid, EKU.EMAIL_PROTECTION.oid)),
]

_NAMES_INSIDE = ["www.example.com", "a.example.com", "*.example.com", "example.com"]
_NAMES_OUTSIDE = ["www.other.org", "example.com.evil.net", "badexample.com"]


def _pick(rng: random.Random, table):
    return table[rng.randrange(len(table))]


def _key_type(rng: random.Random) -> str:
    return rng.choice(["ec", "ec", "ec", "ec384", "ed25519"])


def _ca_spec(rng: random.Random, name: str, feats: set[str], role: str) -> CertSpec:
    spec = CertSpec(
        common_name=name,
        key_type=_key_type(rng),
        ca=True,
        key_usage=frozenset({"key_cert_sign", "crl_sign"}),
    )
    r = rng.random()
    if role == "intermediate":
        if r < 0.05:
            spec = spec.with_(ca=False)
            feats.add("bc.ca_false")
        elif r < 0.09:
            spec = spec.with_(ca=None)
            feats.add("bc.absent")
        elif r < 0.2:
            spec = spec.with_(path_length=0)
            feats.add("bc.pathlen0")
        elif r < 0.24:
            spec = spec.with_(path_length=-1)
            feats.add("bc.pathlen_negative")
    elif r < 0.08:
        spec = spec.with_(path_length=0)
        feats.add("bc.pathlen0")
    r = rng.random()
    if r < 0.06:
        spec = spec.with_(key_usage=frozenset({"digital_signature"}))
        feats.add("ku.no_keycertsign")
    elif r < 0.12:
        spec = spec.with_(key_usage=None)
        feats.add("ku.absent")
    label, eku = _pick(rng, _CA_EKUS)
    if eku is not None:
        spec = spec.with_(eku=eku)
        feats.add(label)
    if rng.random() < 0.04:
        spec = spec.with_(extra_extensions=((UNKNOWN_EXT, True, b"\x05\x00"),))
        feats.add("critical.unknown_ca")
    if rng.random() < 0.04:
        spec = spec.with_(validity_days=5)
        feats.add("validity.ca_expired")
    if rng.random() < 0.04:
        spec = spec.with_(signature_hash="sha1")  # kept only under a non-Ed25519 signer
    return spec


def _add_ext(spec: CertSpec, *ext: tuple[str, bool, bytes]) -> CertSpec:
    return spec.with_(extra_extensions=(*spec.extra_extensions, *ext))


def _name_constraints(rng: random.Random, feats: set[str]) -> tuple[str, bool, bytes]:
    kind = rng.choice(["dns", "dns", "dns_excl", "email", "ip", "uri", "dirname", "mixed"])
    feats.add(f"nc.{kind}")
    critical = rng.random() < 0.8
    if kind == "dns":
        permitted = [_gn_dns(rng.choice(["example.com", ".example.com", "www.example.com"]))]
        return nc_ext(permitted, [], critical)
    if kind == "dns_excl":
        return nc_ext([], [_gn_dns(rng.choice(["other.org", "a.example.com", "example.com"]))])
    if kind == "email":
        return nc_ext(
            [_gn_email(rng.choice(["example.com", ".example.com", "me@example.com"]))], []
        )
    if kind == "ip":
        return nc_ext([_gn_ip(bytes([192, 0, 2, 0, 255, 255, 255, 0]))], [], critical)
    if kind == "uri":
        return nc_ext([_gn_uri(rng.choice(["example.com", ".example.com"]))], [], critical)
    if kind == "dirname":
        return nc_ext([_gn_dirname("Oracle Subtree")], [], critical)
    return nc_ext([_gn_dns("example.com"), _gn_email("example.com")], [_gn_dns("bad.example.com")])


def _leaf_sans(rng: random.Random, feats: set[str]) -> tuple[list[bytes], list[str]]:
    """(raw GeneralNames, the DNS names among them)."""
    names: list[bytes] = []
    dns: list[str] = []
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        r = rng.random()
        if r < 0.45:
            n = rng.choice(_NAMES_INSIDE)
            feats.add("san.dns_inside")
        elif r < 0.65:
            n = rng.choice(_NAMES_OUTSIDE)
            feats.add("san.dns_outside")
        elif r < 0.7:
            n = "www.example.com."
            feats.add("san.trailing_dot")
        elif r < 0.74:
            n = "*.com"
            feats.add("san.wildcard_tld")
        else:
            n = ""
        if n:
            names.append(_gn_dns(n))
            dns.append(n)
            continue
        r = rng.random()
        if r < 0.3:
            names.append(
                _gn_email(rng.choice(["me@example.com", "you@other.org", "x@a.example.com"]))
            )
            feats.add("san.email")
        elif r < 0.55:
            names.append(_gn_ip(rng.choice([bytes([192, 0, 2, 7]), bytes([198, 51, 100, 1])])))
            feats.add("san.ip")
        elif r < 0.8:
            names.append(_gn_uri(rng.choice(["https://www.example.com/x", "https://other.org/"])))
            feats.add("san.uri")
        else:
            names.append(_gn_upn("user@example.com"))
            feats.add("san.upn")
    return names, dns


def _hostname(rng: random.Random, dns: list[str], feats: set[str]) -> str | None:
    r = rng.random()
    if r < 0.55:
        return None
    feats.add("host")
    if dns and r < 0.75:
        name = rng.choice(dns)
        if name.startswith("*."):
            return "foo" + name[1:]
        return name
    return rng.choice(
        [
            "www.example.com",
            "www.example.com.",
            "www.example.com..",
            "foo.com",
            "WWW.EXAMPLE.COM",
            "192.0.2.7",
            "nope.example.net",
        ]
    )


def _policy_exts(rng: random.Random, feats: set[str], role: str) -> list[tuple[str, bool, bytes]]:
    out = []
    r = rng.random()
    if r < 0.3:
        out.append(
            policies_ext(rng.choice([[POLICY_A], [POLICY_B], [ANY_POLICY], [POLICY_A, POLICY_B]]))
        )
        feats.add("policy.policies")
    if role != "leaf":
        r = rng.random()
        if r < 0.08:
            out.append(policy_constraints_ext(rng.choice([0, 0, 1]), None))
            feats.add("policy.require_explicit")
        elif r < 0.12:
            out.append(inhibit_any_ext(0))
            feats.add("policy.inhibit_any")
        elif r < 0.16:
            out.append(mappings_ext([rng.choice([(POLICY_A, POLICY_B), (ANY_POLICY, POLICY_A)])]))
            feats.add("policy.mappings")
        elif r < 0.18:
            out.append(policy_constraints_ext(None, 0))
            feats.add("policy.inhibit_mapping")
    return out


def scenario(
    rng: random.Random,
    index: int,
    seed: int,
    weak: rsa.RSAPrivateKey | None = None,
    memo: Memo | None = None,
) -> Scenario:
    """One scenario; ``weak`` is the RSA key under 1024 bits given to some CAs and leaves
    (:func:`weak_rsa_key`, derived once per corpus); ``memo``: the corpus build's (keys and
    issuers derived once)."""
    weak = weak or weak_rsa_key(seed)
    feats: set[str] = set()
    tag = f"s{index}"
    n_int = rng.choice([0, 1, 1, 2])
    feats.add(f"depth.{n_int}")
    names = [f"Oracle Root {tag}"] + [f"Oracle Int{k} {tag}" for k in range(n_int)]
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
            spec = spec.with_(key_type="rsa")
        specs.append(spec)
    # name constraints on one CA
    if rng.random() < 0.3:
        k = rng.randrange(len(specs))
        specs[k] = _add_ext(specs[k], _name_constraints(rng, feats))
        feats.add("nc.on_root" if k == 0 else "nc.on_intermediate")
    if rng.random() < 0.35:
        for k in range(len(specs)):
            specs[k] = _add_ext(specs[k], *_policy_exts(rng, feats, "ca" if k else "root"))
    # GODEBUG x509negativeserial (Go 1.23): a CA with a negative serial does not parse, so
    # it never enters a pool; rsa1024min (Go 1.24): a CA with an RSA key under 1024 bits
    # cannot verify what it signed
    if rng.random() < 0.05:
        k = rng.randrange(len(specs))
        specs[k] = specs[k].with_(serial_number=-rng.randrange(1, 1 << 62))
        feats.add("serial.negative_ca")
    weak_at = rng.randrange(len(specs)) if rng.random() < 0.06 else None
    # the leaf
    label, eku = _pick(rng, _LEAF_EKUS)
    feats.add(label)
    leaf = CertSpec(common_name=f"leaf.{tag}.example.com", key_type=_key_type(rng), eku=eku)
    san, dns = _leaf_sans(rng, feats)
    if san:
        critical = rng.random() < 0.25
        leaf = _add_ext(leaf, san_ext(san, critical))
        if critical:
            feats.add("san.critical")
    else:
        feats.add("san.absent")
    r = rng.random()
    if r < 0.04:
        leaf = leaf.with_(
            extra_extensions=(*leaf.extra_extensions, (UNKNOWN_EXT, True, b"\x05\x00"))
        )
        feats.add("critical.unknown_leaf")
    elif r < 0.07:
        leaf = leaf.with_(ca=True)
        feats.add("leaf.ca")
    elif r < 0.1:
        leaf = leaf.with_(key_usage=frozenset({"key_encipherment"}))
        feats.add("leaf.ku_odd")
    r = rng.random()
    if r < 0.05:
        leaf = leaf.with_(validity_days=5)
        feats.add("validity.leaf_expired")
    elif r < 0.08:
        leaf = leaf.with_(not_before=REFERENCE_TIME + timedelta(days=30))
        feats.add("validity.leaf_not_yet")
    r = rng.random()
    if r < 0.04:
        leaf = leaf.with_(serial_number=-rng.randrange(1, 1 << 62))
        feats.add("serial.negative_leaf")
    elif r < 0.06:
        leaf = leaf.with_(serial_number=0)
        feats.add("serial.zero")
    weak_leaf = rng.random() < 0.04
    sha1_leaf = rng.random() < 0.03
    if rng.random() < 0.15:
        leaf = _add_ext(leaf, *_policy_exts(rng, feats, "leaf"))

    # forge top-down
    forged: list[Forged] = []
    for spec in specs:
        if spec.signature_hash == "sha1":
            signer = forged[-1].spec if forged else spec
            if signer.key_type == "ed25519":
                spec = spec.with_(signature_hash="sha256")
            else:
                feats.add("sig.sha1_ca")
        forged.append(forge(spec, forged[-1] if forged else None, seed=seed, memo=memo))
        if weak_at == len(forged) - 1:
            forged[-1] = rekey(forged[-1], weak)
            feats.add("key.rsa_weak_ca")
    issuer = forged[-1]
    if sha1_leaf and issuer.spec.key_type != "ed25519":
        leaf = leaf.with_(signature_hash="sha1")
        feats.add("sig.sha1_leaf")
    r = rng.random()
    if r < 0.08:
        leaf = _add_ext(leaf.with_(authority_key_identifier=False), aki_ext(bytes(20 * [7])))
        feats.add("kid.mismatch")
    elif r < 0.13:
        leaf = leaf.with_(authority_key_identifier=False)
        feats.add("kid.aki_absent")
    elif r < 0.17:
        leaf = _add_ext(
            leaf.with_(authority_key_identifier=False), aki_ext(ski_of(issuer.certificate), True)
        )
        feats.add("kid.aki_critical")
    else:
        feats.add("kid.match")
    leaf_f = forge(leaf, issuer, seed=seed, memo=memo)
    if weak_leaf:  # the leaf's own key is never used by Verify: Go accepts it
        leaf_f = rekey(leaf_f, weak)
        feats.add("key.rsa_weak_leaf")

    roots = [forged[0]]
    intermediates = list(forged[1:])
    r = rng.random()
    if intermediates and r < 0.08:
        intermediates.pop(rng.randrange(len(intermediates)))
        feats.add("pool.missing_intermediate")
    elif r < 0.16:
        decoy = forge(
            CertSpec(common_name=f"Oracle Decoy {tag}", ca=True, key_type="ec"),
            seed=seed,
            memo=memo,
        )
        (roots if rng.random() < 0.5 else intermediates).append(decoy)
        feats.add("pool.unrelated_ca")
    elif r < 0.22:
        # same subject as the leaf's issuer, another key: a candidate whose signature fails
        twin = forge(
            issuer.spec.with_(key_label="twin", issuer=None),
            forged[-2] if len(forged) > 1 else None,
            seed=seed,
            memo=memo,
        )
        (intermediates if len(forged) > 1 else roots).insert(0, twin)
        feats.add("pool.same_name_other_key")
    if rng.random() < 0.1:
        rng.shuffle(intermediates)
        feats.add("pool.shuffled")
    host = _hostname(rng, dns, feats)
    return Scenario(f"seed{seed}-{tag}", leaf_f, intermediates, roots, AT, host, feats)


def corpus(seed: int, count: int) -> list[Scenario]:
    rng = random.Random(seed)
    weak = weak_rsa_key(seed)
    memo = Memo()  # one per corpus build: its keys (and issuers) are derived once
    return [scenario(rng, i, seed, weak, memo) for i in range(count)]


__all__ = ["AT", "Scenario", "corpus", "replace"]
