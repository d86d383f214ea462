"""A seeded generator of odd certificates for the OpenSSL differential test.

Every certificate is real and signed (built with :mod:`certlib.cert.forge`), then, where forge
cannot express it, rewritten at the TBS level and signed again: duplicate extensions, v1
certificates that keep extensions, self-issued names that differ only in case, spacing or string
type, and extension values in the BER forms OpenSSL tolerates or rejects. Each certificate carries
the "classes" it exercises, so the test can prove every combination was hit.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

from certlib.cert import der
from certlib.cert.facts import facts
from certlib.cert.forge import CertSpec, Forged, forge
from certlib.core.memo import Memo
from certlib.core.oids import EKU, EXT, KU_BITS, NS_CERT_TYPE_BITS

__all__ = ["GenCert", "generate", "summary"]

SEED = "certgen-2026"
#: The generator's forge keys (seeded RSA keys cost up to a second each: kept, and shared).
_KEYS = Memo()
UNKNOWN_EKU = "1.3.6.1.4.1.55555.1.2"
UNKNOWN_EXT = "1.3.6.1.4.1.55555.9.9"
SMART_CARD = EKU.MS_SMART_CARD_LOGON.oid
EKU_POOL: tuple[tuple[str, int], ...] = (
    (EKU.SERVER_AUTH.oid, 10),
    (EKU.CLIENT_AUTH.oid, 10),
    (EKU.EMAIL_PROTECTION.oid, 6),
    (EKU.CODE_SIGNING.oid, 4),
    (EKU.TIME_STAMPING.oid, 7),
    (EKU.OCSP_SIGNING.oid, 5),
    (EKU.ANY.oid, 6),
    (EKU.MS_SGC.oid, 3),
    (EKU.NS_SGC.oid, 3),
    (EKU.DVCS.oid, 1),
    (UNKNOWN_EKU, 4),
    (SMART_CARD, 3),
    (EKU.IPSEC_IKE.oid, 1),
)
KU_NAMES = tuple(b.name for b in KU_BITS)
NS_NAMES = tuple(b.name for b in NS_CERT_TYPE_BITS)
KU_COMBOS = (
    {"digital_signature"},
    {"digital_signature", "key_encipherment"},
    {"key_encipherment"},
    {"key_agreement"},
    {"digital_signature", "content_commitment"},
    {"content_commitment"},
    {"data_encipherment"},
    {"key_cert_sign"},
    {"key_cert_sign", "crl_sign"},
    {"key_cert_sign", "crl_sign", "digital_signature"},
    {"crl_sign"},
    {"digital_signature", "key_cert_sign"},
    {"decipher_only"},
    {"encipher_only", "key_agreement"},
)

TS_EKUS: tuple[tuple[str, ...], ...] = (
    (EKU.TIME_STAMPING.oid,),
    (EKU.TIME_STAMPING.oid, UNKNOWN_EKU),
    (EKU.TIME_STAMPING.oid, EKU.MS_INDIVIDUAL_CODE_SIGNING.oid),
    (EKU.TIME_STAMPING.oid, EKU.ANY.oid),
    (EKU.TIME_STAMPING.oid, EKU.SERVER_AUTH.oid),
    (EKU.TIME_STAMPING.oid, EKU.TIME_STAMPING.oid),
    (UNKNOWN_EKU,),
)
TS_KUS: tuple[frozenset[str] | None, ...] = (
    None,
    frozenset({"digital_signature"}),
    frozenset({"content_commitment"}),
    frozenset({"digital_signature", "content_commitment"}),
    frozenset({"digital_signature", "key_encipherment"}),
    frozenset({"key_cert_sign"}),
)

SA = bytes.fromhex("06082b06010505070301")  # serverAuth OID TLV
TS = bytes.fromhex("06082b06010505070308")  # timeStamping OID TLV
#: (label, extension OID, value) — values OpenSSL decodes although a DER reader would not.
LENIENT: tuple[tuple[str, str, bytes], ...] = (
    ("eku trailing bytes", EXT.EXTENDED_KEY_USAGE.oid, b"\x30\x0a" + SA + b"\x00\x00"),
    ("eku indefinite length", EXT.EXTENDED_KEY_USAGE.oid, b"\x30\x80" + SA + b"\x00\x00"),
    ("eku long-form length", EXT.EXTENDED_KEY_USAGE.oid, b"\x30\x81\x0a" + SA),
    ("eku primitive SEQUENCE tag", EXT.EXTENDED_KEY_USAGE.oid, b"\x10\x0a" + SA),
    ("eku high-tag-form OID", EXT.EXTENDED_KEY_USAGE.oid, b"\x30\x0b\x1f\x06" + SA[1:]),
    ("eku ts trailing", EXT.EXTENDED_KEY_USAGE.oid, b"\x30\x0a" + TS + b"\x05\x00"),
    ("ku trailing bytes", EXT.KEY_USAGE.oid, bytes.fromhex("0302078000")),
    ("ku constructed BIT STRING", EXT.KEY_USAGE.oid, bytes.fromhex("230403020780")),
    ("ku unused bits set (masked: empty)", EXT.KEY_USAGE.oid, bytes.fromhex("03020101")),
    ("ku unused bits set (DS kept)", EXT.KEY_USAGE.oid, bytes.fromhex("03020781")),
    ("ku 0x030107 (empty)", EXT.KEY_USAGE.oid, bytes.fromhex("030107")),
    ("ku three octets", EXT.KEY_USAGE.oid, bytes.fromhex("0304002080ff")),
    ("bc explicit FALSE", EXT.BASIC_CONSTRAINTS.oid, bytes.fromhex("3003010100")),
    ("bc TRUE as 0x01", EXT.BASIC_CONSTRAINTS.oid, bytes.fromhex("3003010101")),
    ("bc pathlen only", EXT.BASIC_CONSTRAINTS.oid, bytes.fromhex("3003020101")),
    (
        "bc huge pathlen",
        EXT.BASIC_CONSTRAINTS.oid,
        bytes.fromhex("300e0101ff020900ffffffffffffffff"),
    ),
    ("ns 0x030107", EXT.NETSCAPE_CERT_TYPE.oid, bytes.fromhex("030107")),
    ("ns two octets", EXT.NETSCAPE_CERT_TYPE.oid, bytes.fromhex("0303002080")),
    ("ns constructed", EXT.NETSCAPE_CERT_TYPE.oid, bytes.fromhex("230403020520")),
    (
        "ski indefinite constructed",
        EXT.SUBJECT_KEY_IDENTIFIER.oid,
        bytes.fromhex("248004020102000000"),
    ),
    ("san empty", EXT.SUBJECT_ALTERNATIVE_NAME.oid, bytes.fromhex("3000")),
    ("crldp fullname", EXT.CRL_DISTRIBUTION_POINTS.oid, bytes.fromhex("300a3008a006a0048602612f")),
)
#: (label, extension OID, value) — values OpenSSL cannot decode: the certificate is invalid.
MALFORMED: tuple[tuple[str, str, bytes], ...] = (
    ("eku truncated", EXT.EXTENDED_KEY_USAGE.oid, b"\x30\x0b" + SA),
    ("eku INTEGER inside", EXT.EXTENDED_KEY_USAGE.oid, bytes.fromhex("3003020101")),
    ("eku SET", EXT.EXTENDED_KEY_USAGE.oid, b"\x31\x0a" + SA),
    (
        "eku OID 0x80 padding",
        EXT.EXTENDED_KEY_USAGE.oid,
        bytes.fromhex("300b06092b0601050507038001"),
    ),
    ("eku empty OID", EXT.EXTENDED_KEY_USAGE.oid, bytes.fromhex("30020600")),
    ("eku indefinite without EOC", EXT.EXTENDED_KEY_USAGE.oid, b"\x30\x80" + SA),
    ("eku 30 82 00 00", EXT.EXTENDED_KEY_USAGE.oid, bytes.fromhex("30820000")),
    ("eku empty value", EXT.EXTENDED_KEY_USAGE.oid, b""),
    ("ku unused 8", EXT.KEY_USAGE.oid, bytes.fromhex("03020880")),
    ("ku OCTET STRING", EXT.KEY_USAGE.oid, bytes.fromhex("04020780")),
    ("ku no octets", EXT.KEY_USAGE.oid, bytes.fromhex("0300")),
    ("bc BOOLEAN length 2", EXT.BASIC_CONSTRAINTS.oid, bytes.fromhex("300401020000")),
    ("bc padded INTEGER", EXT.BASIC_CONSTRAINTS.oid, bytes.fromhex("30070101ff02020005")),
    ("bc INTEGER before BOOLEAN", EXT.BASIC_CONSTRAINTS.oid, bytes.fromhex("30060201000101ff")),
    ("bc extra element", EXT.BASIC_CONSTRAINTS.oid, bytes.fromhex("30080101ff0201000500")),
    ("bc empty INTEGER", EXT.BASIC_CONSTRAINTS.oid, bytes.fromhex("30050101ff0200")),
    ("bc negative pathlen", EXT.BASIC_CONSTRAINTS.oid, bytes.fromhex("30060101ff0201ff")),
    ("bc primitive SEQUENCE", EXT.BASIC_CONSTRAINTS.oid, bytes.fromhex("10030101ff")),
    ("ns unused 8", EXT.NETSCAPE_CERT_TYPE.oid, bytes.fromhex("03020880")),
    ("ns OCTET STRING", EXT.NETSCAPE_CERT_TYPE.oid, bytes.fromhex("04020780")),
    ("ski INTEGER", EXT.SUBJECT_KEY_IDENTIFIER.oid, bytes.fromhex("020101")),
    ("aki unknown field", EXT.AUTHORITY_KEY_IDENTIFIER.oid, bytes.fromhex("3004830201ff")),
    ("aki bad dirName", EXT.AUTHORITY_KEY_IDENTIFIER.oid, bytes.fromhex("3006a104a4023000")),
    ("san bad tag", EXT.SUBJECT_ALTERNATIVE_NAME.oid, bytes.fromhex("3003890178")),
    ("san truncated", EXT.SUBJECT_ALTERNATIVE_NAME.oid, bytes.fromhex("30058203617a")),
    ("crldp empty DistributionPoint", EXT.CRL_DISTRIBUTION_POINTS.oid, bytes.fromhex("30023000")),
    ("nc garbage", EXT.NAME_CONSTRAINTS.oid, bytes.fromhex("0102")),
    ("ipAddrBlocks garbage", "1.3.6.1.5.5.7.1.7", bytes.fromhex("0102")),
    ("proxyCertInfo garbage", "1.3.6.1.5.5.7.1.14", bytes.fromhex("0102")),
)
#: Extensions OpenSSL never decodes: garbage in them changes nothing.
IGNORED_GARBAGE: tuple[tuple[str, str, bytes], ...] = (
    ("policies garbage", EXT.CERTIFICATE_POLICIES.oid, b"\x01\x02"),
    ("ian garbage", EXT.ISSUER_ALTERNATIVE_NAME.oid, b"\x01\x02"),
    ("aia garbage", EXT.AUTHORITY_INFORMATION_ACCESS.oid, b"\x01\x02"),
)

_SPEC_FIELD_FOR_OID = {
    EXT.EXTENDED_KEY_USAGE.oid: "eku",
    EXT.KEY_USAGE.oid: "key_usage",
    EXT.BASIC_CONSTRAINTS.oid: "ca",
    EXT.NETSCAPE_CERT_TYPE.oid: "ns_cert_type",
    EXT.SUBJECT_KEY_IDENTIFIER.oid: "subject_key_identifier",
    EXT.AUTHORITY_KEY_IDENTIFIER.oid: "authority_key_identifier",
    EXT.SUBJECT_ALTERNATIVE_NAME.oid: "sans",
}


@dataclass(frozen=True)
class GenCert:
    """One generated certificate, the classes it exercises, and how it was made."""

    index: int
    certificate: x509.Certificate
    classes: frozenset[str]
    how: str

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


# ---------------------------------------------------------------------------------------------
# TBS rewriting (DER helpers: certlib.cert.der)
# ---------------------------------------------------------------------------------------------


def _sign(key, data: bytes) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    assert isinstance(key, rsa.RSAPrivateKey)
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _alg_for(key) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return der.encode_sequence(der.encode_oid("1.2.840.10045.4.3.2"))
    return der.encode_sequence(der.encode_oid("1.2.840.113549.1.1.11"), b"\x05\x00")


def rewrite(
    cert: x509.Certificate, key, transform: Callable[[list[bytes]], list[bytes]]
) -> x509.Certificate:
    """Apply ``transform`` to the TBS elements and sign again with ``key`` (its algorithm)."""
    raw = cert.public_bytes(serialization.Encoding.DER)
    tbs, _alg, _sig = der.elements(der.unwrap(raw, der.SEQUENCE))
    items = transform(der.elements(der.unwrap(tbs, der.SEQUENCE)))
    alg = _alg_for(key)
    version_present = items[0][0] == 0xA0
    items[2 if version_present else 1] = alg  # TBS signature must equal the outer one
    new_tbs = der.encode_sequence(*items)
    out = der.encode_sequence(
        new_tbs, alg, der.encode_tlv(der.BIT_STRING, b"\x00" + _sign(key, new_tbs))
    )
    return x509.load_der_x509_certificate(out)


def drop_version(items: list[bytes]) -> list[bytes]:
    """v3 -> v1 (the DEFAULT version field is simply absent), extensions kept."""
    return items[1:] if items[0][0] == 0xA0 else items


def placeholder(oid: str) -> tuple[str, bytes, bytes]:
    """(dotted placeholder, placeholder TLV, real TLV): same length, last octet changed."""
    real = der.encode_oid(oid)
    ph = real[:-1] + bytes([0x7E if real[-1] != 0x7E else 0x7D])
    return der.oid_text(ph[2:]), ph, real


def swap_placeholder(ph: bytes, real: bytes) -> Callable[[list[bytes]], list[bytes]]:
    def transform(items: list[bytes]) -> list[bytes]:
        return [i.replace(ph, real) if i[0] == 0xA3 else i for i in items]

    return transform


# ---------------------------------------------------------------------------------------------
# Issuers and keys
# ---------------------------------------------------------------------------------------------

_CA_KU = frozenset({"key_cert_sign", "crl_sign"})


@functools.cache
def roots() -> dict[str, Forged]:
    return {
        "ec": forge(
            CertSpec(common_name="certgen Root EC", ca=True, key_usage=_CA_KU),
            seed=SEED,
            memo=_KEYS,
        ),
        "rsa": forge(
            CertSpec(common_name="certgen Root RSA", ca=True, key_usage=_CA_KU, key_type="rsa"),
            seed=SEED,
            memo=_KEYS,
        ),
    }


@functools.cache
def ec_key(n: int) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(10_000_019 * (n + 1), ec.SECP256R1())


# ---------------------------------------------------------------------------------------------
# Random extension mixes
# ---------------------------------------------------------------------------------------------


def _eku(rng: random.Random) -> tuple[str, ...] | None:
    r = rng.random()
    if r < 0.25:
        return None
    if r < 0.33:
        return ()
    k = rng.choice((1, 1, 1, 2, 2, 3, 4))
    oids, weights = zip(*EKU_POOL, strict=True)
    picked: list[str] = []
    while len(picked) < k:
        o = rng.choices(oids, weights)[0]
        if o not in picked:
            picked.append(o)
    return tuple(picked)


def _bits(rng: random.Random, names: tuple[str, ...], p: float) -> frozenset[str]:
    return frozenset(n for n in names if rng.random() < p)


def _ku(rng: random.Random) -> frozenset[str] | None:
    r = rng.random()
    if r < 0.30:
        return None
    if r < 0.36:
        return frozenset()
    if r < 0.70:
        return frozenset(rng.choice(KU_COMBOS))
    return _bits(rng, KU_NAMES, 0.25)


def _ns(rng: random.Random) -> frozenset[str] | None:
    if rng.random() < 0.72:
        return None
    if rng.random() < 0.06:
        return frozenset()
    return _bits(rng, NS_NAMES, 0.3)


def _spec(rng: random.Random, cn: str, *, bc_absent_bias: float = 0.35) -> CertSpec:
    ca: bool | None = None
    path_length = None
    if rng.random() >= bc_absent_bias:
        ca = rng.random() < 0.5
        if ca and rng.random() < 0.35:
            path_length = rng.randrange(0, 4)
        elif not ca and rng.random() < 0.15:
            path_length = rng.randrange(0, 3)
    key_type = "rsa" if rng.random() < 0.15 else "ec"
    if key_type == "rsa":  # seeded RSA keys are slow to find: share one
        cn = "gen-rsa"
    return CertSpec(
        common_name=cn,
        key_type=key_type,
        key_label="rsa" if key_type == "rsa" else f"k{rng.randrange(6)}",
        eku=_eku(rng),
        eku_critical=rng.random() < 0.25,
        key_usage=_ku(rng),
        ku_critical=rng.random() < 0.7,
        ca=ca,
        path_length=path_length,
        bc_critical=rng.random() < 0.75,
        ns_cert_type=_ns(rng),
        sans=("DNS:gen.example",) if rng.random() < 0.5 else (),
    )


def _with_raw(spec: CertSpec, oid: str, value: bytes, critical: bool) -> CertSpec:
    """Replace whatever the spec would write for ``oid`` by a raw value."""
    field = _SPEC_FIELD_FOR_OID.get(oid)
    changes: dict[str, object] = {}
    if field in ("eku", "key_usage", "ca", "ns_cert_type"):
        changes[field] = None
        if field == "ca":
            changes["path_length"] = None
    elif field in ("subject_key_identifier", "authority_key_identifier"):
        changes[field] = False
    elif field == "sans":
        changes["sans"] = ()
    extra = (*spec.extra_extensions, (oid, critical, value))
    return spec.with_(extra_extensions=extra, **changes)


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------

_NAME_TYPES = {
    "printable": _ASN1Type.PrintableString,
    "utf8": _ASN1Type.UTF8String,
    "ia5": _ASN1Type.IA5String,
    "t61": _ASN1Type.T61String,
    "bmp": _ASN1Type.BMPString,
}


def _name(cn: str, kind: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Certgen", _ASN1Type.UTF8String),
            x509.NameAttribute(NameOID.COMMON_NAME, cn, _NAME_TYPES[kind]),
        ]
    )


NAME_VARIANTS: tuple[tuple[str, str, str, str, str], ...] = (
    # label, subject CN, subject type, issuer CN, issuer type
    ("same", "Legacy Root", "utf8", "Legacy Root", "utf8"),
    ("case", "Legacy Root", "utf8", "LEGACY root", "utf8"),
    ("spaces", "Legacy Root", "utf8", "  Legacy \t  Root ", "utf8"),
    ("string type", "Legacy Root", "printable", "Legacy Root", "utf8"),
    ("t61 vs bmp", "Legacy Root", "t61", "legacy root", "bmp"),
    ("ia5", "Legacy Root", "ia5", "legacy  root", "printable"),
    ("different", "Legacy Root", "utf8", "Legacy Root 2", "utf8"),
    ("non-ascii case", "Légacy Root", "utf8", "LéGACY ROOT", "utf8"),
    ("non-ascii differs", "Légacy Root", "utf8", "LÉgacy Root", "utf8"),
)


def _named_v1(rng: random.Random, i: int) -> tuple[x509.Certificate, set[str], str]:
    """A v1 certificate whose issuer name equals its subject canonically (or not), signed by
    its own key (self-signed), another EC key (heuristic still says self-signed) or an RSA key
    (signature algorithm does not match the EC key: not self-signed)."""
    label, scn, stype, icn, itype = rng.choice(NAME_VARIANTS)
    signer_kind = rng.choice(("own", "own", "other ec", "rsa"))
    key = ec_key(i % 7)
    if signer_kind == "own":
        signer = key
    elif signer_kind == "other ec":
        signer = ec_key(100 + i % 3)
    else:
        signer = roots()["rsa"].private_key
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(scn, stype))
        .issuer_name(_name(icn, itype))
        .public_key(key.public_key())
        .serial_number(1000 + i)
        .not_valid_before(roots()["ec"].certificate.not_valid_before_utc)
        .not_valid_after(roots()["ec"].certificate.not_valid_after_utc)
    )
    cert = builder.sign(ec_key(0), hashes.SHA256())
    cert = rewrite(cert, signer, drop_version)
    classes = {"v1", "name_variant", f"name_{label}", f"signer_{signer_kind}"}
    return cert, classes, f"v1 names {label!r}, signed by {signer_kind}"


def _one(i: int) -> tuple[x509.Certificate, set[str], str]:
    rng = random.Random(f"{SEED}:{i}")
    r = rng.random()
    cn = f"gen{rng.randrange(5)}"
    if r < 0.04:
        key_type = rng.choice(("ec", "ec", "rsa"))
        v1 = CertSpec(
            common_name="v1ss-rsa" if key_type == "rsa" else f"v1ss{i % 4}",
            version=1,
            key_type=key_type,
            serial_number=i + 1,
        )
        f = forge(v1, seed=SEED, memo=_KEYS)
        return f.certificate, {"v1", "v1_self", "self_signed"}, "v1 self-signed (forge)"
    if r < 0.07:
        issuer = roots()[rng.choice(("ec", "ec", "rsa"))]
        f = forge(
            CertSpec(common_name=cn, version=1, serial_number=i + 1), issuer, seed=SEED, memo=_KEYS
        )
        return f.certificate, {"v1", "issued"}, "v1 issued (forge)"
    if r < 0.11:
        return _named_v1(rng, i)

    kind = "self" if r < 0.33 else "v1_ext" if r < 0.38 else "issued"
    spec = _spec(rng, cn, bc_absent_bias=0.7 if kind == "v1_ext" else 0.35)
    spec = spec.with_(serial_number=i + 1)
    classes: set[str] = set()
    how = [kind]
    if rng.random() < 0.08:  # near the time-stamping rule's edges
        spec = spec.with_(
            eku=rng.choice(TS_EKUS),
            eku_critical=rng.random() < 0.8,
            key_usage=rng.choice(TS_KUS),
        )
        how.append("timestamp probe")
    q = rng.random()
    if q < 0.10:
        label, oid, value = rng.choice(MALFORMED)
        spec = _with_raw(spec, oid, value, rng.random() < 0.3)
        classes.add("malformed")
        how.append(f"malformed: {label}")
    elif q < 0.20:
        label, oid, value = rng.choice(LENIENT)
        spec = _with_raw(spec, oid, value, rng.random() < 0.3)
        classes.add("lenient")
        how.append(f"lenient: {label}")
    elif q < 0.23:
        label, oid, value = rng.choice(IGNORED_GARBAGE)
        spec = _with_raw(spec, oid, value, False)
        classes.add("ignored_garbage")
        how.append(label)
    if rng.random() < 0.04:
        spec = spec.with_(
            extra_extensions=(*spec.extra_extensions, (UNKNOWN_EXT, True, b"\x05\x00"))
        )
        classes.add("unknown_critical")
    dup_oid = None
    if rng.random() < 0.06:
        candidates = [EXT.CERTIFICATE_POLICIES.oid, UNKNOWN_EXT, EXT.NETSCAPE_COMMENT.oid]
        present = {o for o, _c, _v in spec.extra_extensions}
        for oid, field in _SPEC_FIELD_FOR_OID.items():
            v = getattr(spec, field)
            if v not in (None, False, ()) and oid not in present:
                candidates.append(oid)
        dup_oid = rng.choice(candidates)
        dup_value = {
            EXT.EXTENDED_KEY_USAGE.oid: b"\x30\x0a" + SA,
            EXT.KEY_USAGE.oid: bytes.fromhex("03020780"),
            EXT.BASIC_CONSTRAINTS.oid: bytes.fromhex("3000"),
            EXT.NETSCAPE_CERT_TYPE.oid: bytes.fromhex("03020640"),
            EXT.SUBJECT_KEY_IDENTIFIER.oid: bytes.fromhex("04020102"),
            EXT.AUTHORITY_KEY_IDENTIFIER.oid: bytes.fromhex("3004800201 02".replace(" ", "")),
            EXT.SUBJECT_ALTERNATIVE_NAME.oid: bytes.fromhex("3003820178"),
            EXT.CERTIFICATE_POLICIES.oid: bytes.fromhex("3006300406022a03"),
            UNKNOWN_EXT: b"\x05\x00",
            EXT.NETSCAPE_COMMENT.oid: bytes.fromhex("16017a"),
        }[dup_oid]
        ph_dotted, ph, real = placeholder(dup_oid)
        if dup_oid not in present and dup_oid not in _SPEC_FIELD_FOR_OID:
            spec = spec.with_(
                extra_extensions=(*spec.extra_extensions, (dup_oid, False, dup_value))
            )
        spec = spec.with_(extra_extensions=(*spec.extra_extensions, (ph_dotted, False, dup_value)))
        classes.add("duplicate")
        how.append(f"duplicate {dup_oid}")

    if kind == "issued":
        issuer = roots()[rng.choice(("ec", "ec", "ec", "rsa"))]
        forged = forge(spec, issuer, seed=SEED, memo=_KEYS)
        signer = issuer.private_key
        classes.add("issued")
    else:
        forged = forge(spec, seed=SEED, memo=_KEYS)
        signer = forged.private_key
        classes.add("self_signed")
    cert = forged.certificate
    if dup_oid is not None:
        cert = rewrite(cert, signer, swap_placeholder(ph, real))
    if kind == "v1_ext":
        if rng.random() < 0.3:  # an AKI that does not match: the heuristic says not self-signed
            cert = rewrite(cert, signer, _bad_aki)
            classes.add("v1_ext_bad_aki")
        cert = rewrite(cert, signer, drop_version)
        classes.update({"v1", "v1_ext"})
    classes.add(spec.key_type)
    return cert, classes, "; ".join(how)


def _bad_aki(items: list[bytes]) -> list[bytes]:
    aki = der.encode_oid(EXT.AUTHORITY_KEY_IDENTIFIER.oid)
    out = []
    for item in items:
        if item[0] != 0xA3:
            out.append(item)
            continue
        exts = der.elements(der.unwrap(der.unwrap(item, 0xA3), der.SEQUENCE))
        exts = [e for e in exts if aki not in e]
        key_id = der.encode_sequence(der.encode_tlv(0x80, b"\xde\xad"))
        exts.append(der.encode_sequence(aki, der.encode_tlv(der.OCTET_STRING, key_id)))
        out.append(der.encode_tlv(0xA3, der.encode_sequence(*exts)))
    return out


def _fact_classes(cert: x509.Certificate) -> set[str]:
    f = facts(cert)
    out: set[str] = set()
    if f.eku is None:
        out.add("eku_absent" if f.extension(EXT.EXTENDED_KEY_USAGE.oid) is None else "eku_raw")
    elif not f.eku:
        out.add("eku_empty")
    else:
        out.add("eku_present")
        names = {
            EKU.ANY.oid: "eku_any",
            EKU.MS_SGC.oid: "eku_ms_sgc",
            EKU.NS_SGC.oid: "eku_ns_sgc",
            UNKNOWN_EKU: "eku_unknown",
            SMART_CARD: "eku_smart_card",
            EKU.TIME_STAMPING.oid: "eku_timestamp",
            EKU.OCSP_SIGNING.oid: "eku_ocsp",
            EKU.SERVER_AUTH.oid: "eku_server",
            EKU.CLIENT_AUTH.oid: "eku_client",
            EKU.EMAIL_PROTECTION.oid: "eku_email",
            EKU.CODE_SIGNING.oid: "eku_code",
        }
        out.update(names[o] for o in f.eku if o in names)
        if f.eku == (EKU.TIME_STAMPING.oid,) and f.eku_critical:
            out.add("eku_timestamp_only_critical")
    if f.eku is not None and f.eku_critical:
        out.add("eku_critical")
    if f.key_usage is None:
        out.add("ku_absent" if f.extension(EXT.KEY_USAGE.oid) is None else "ku_raw")
    elif not f.key_usage:
        out.add("ku_empty")
    else:
        out.add("ku_bits")
    if not f.bc_present:
        out.add("bc_absent")
    elif f.bc_ca:
        out.add("bc_ca_pathlen" if f.path_length is not None else "bc_ca")
    else:
        out.add("bc_notca_pathlen" if f.path_length is not None else "bc_notca")
    if f.ns_cert_type is not None:
        out.add("ns")
    return out


def generate(n: int = 1200) -> list[GenCert]:
    """``n`` certificates, deterministic for a given ``n`` (each index has its own RNG)."""
    out = []
    for i in range(n):
        cert, classes, how = _one(i)
        classes |= _fact_classes(cert)
        out.append(GenCert(i, cert, frozenset(classes), how))
    return out


def summary(g: GenCert) -> str:
    """How the certificate was made and its extensions, for failure messages."""
    f = facts(g.certificate)
    lines = [f"#{g.index} v{f.version} {g.how}; classes: {', '.join(sorted(g.classes))}"]
    for e in f.extensions:
        from certlib.core.oids import extension

        lines.append(
            f"    {extension(e.oid).name}{' (critical)' if e.critical else ''}: {e.value.hex()}"
        )
    return "\n".join(lines)
