"""certlib.cert.forge builds what the spec says: checked with cryptography AND the openssl binary.

No mocks: every test signs real certificates and reads them back; openssl (``x509 -text`` and
``asn1parse``) is the independent oracle for the raw-DER extensions and the TBS rewrites.
"""

from __future__ import annotations

import dataclasses
import itertools
import subprocess
import sys
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import verification

from certlib.cert.forge import (
    PRESET_DESCRIPTIONS,
    PRESETS,
    REFERENCE_TIME,
    CertSpec,
    Chain,
    Forged,
    forge,
    forge_chain,
)
from certlib.core.oids import (
    EKU,
    EXAMPLE_UNKNOWN_OID,
    EXT,
    KU_BITS,
    NS_CERT_TYPE_BITS,
    OTHER_NAME,
    eku,
)

ROOT_DIR = Path(__file__).resolve().parents[2]
ROOT_SPEC = CertSpec(
    common_name="Forge Test Root",
    ca=True,
    key_usage=frozenset({"key_cert_sign", "crl_sign"}),
)


@pytest.fixture(scope="module")
def root() -> Forged:
    return forge(ROOT_SPEC, seed="tests")


def leaf(root: Forged, **changes: object) -> Forged:
    return forge(CertSpec(common_name="leaf.test").with_(**changes), root, seed="tests")


def openssl_text(openssl_bin: str, cert: Forged) -> str:
    out = subprocess.run(
        [openssl_bin, "x509", "-noout", "-text"],
        input=cert.pem,
        capture_output=True,
        check=True,
    )
    return out.stdout.decode()


def openssl_ext_block(text: str, header: str) -> tuple[str, str]:
    """(header line, value lines) of one extension in ``openssl x509 -text`` output."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(header + ":"):
            body = []
            for nxt in lines[i + 1 :]:
                if nxt.startswith(" " * 16):
                    body.append(nxt.strip())
                else:
                    break
            return line.strip(), "\n".join(body)
    raise AssertionError(f"{header!r} not in openssl output:\n{text}")


def asn1_extensions(openssl_bin: str, cert: Forged) -> dict[str, tuple[bool, str]]:
    """openssl asn1parse view: extension name (or dotted OID) -> (critical, value hex)."""
    out = subprocess.run(
        [openssl_bin, "asn1parse", "-inform", "DER"],
        input=cert.der,
        capture_output=True,
        check=True,
    ).stdout.decode()
    result: dict[str, tuple[bool, str]] = {}
    name, critical = None, False
    for line in out.splitlines():
        field = line.split("prim:")[-1].strip()
        if field.startswith("OBJECT"):
            name, critical = field.split(":", 1)[1], False
        elif field.startswith("BOOLEAN") and name is not None:
            critical = field.endswith(":255")
        elif field.startswith("OCTET STRING") and "[HEX DUMP]" in field and name is not None:
            result[name] = (critical, field.split("]:", 1)[1].lower())
            name = None
    return result


def ossl_name(info: object) -> str:
    return info.openssl_name or info.oid  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------- names


def test_subject_rdns_and_issuer(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, subject=(("C", "US"), ("O", "Contoso"), ("OU", "IT")), common_name="host")
    assert f.certificate.subject.rfc4514_string() == "CN=host,OU=IT,O=Contoso,C=US"
    assert f.certificate.issuer == root.certificate.subject
    text = openssl_text(openssl_bin, f)
    assert "Subject: C = US, O = Contoso, OU = IT, CN = host" in text
    assert "Issuer: CN = Forge Test Root" in text


def test_empty_common_name_omits_cn(root: Forged) -> None:
    f = leaf(root, common_name="", subject=(("O", "NoCN"),))
    assert f.certificate.subject.rfc4514_string() == "O=NoCN"


def test_sans_every_kind(root: Forged, openssl_bin: str) -> None:
    sans = ("DNS:a.test", "IP:192.0.2.1", "email:a@b.test", "URI:https://u.test/x", "UPN:u@corp")
    f = leaf(root, sans=(*sans, "bare.test"))
    gns = f.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert gns.get_values_for_type(x509.DNSName) == ["a.test", "bare.test"]
    assert [str(i) for i in gns.get_values_for_type(x509.IPAddress)] == ["192.0.2.1"]
    assert gns.get_values_for_type(x509.RFC822Name) == ["a@b.test"]
    assert gns.get_values_for_type(x509.UniformResourceIdentifier) == ["https://u.test/x"]
    (other,) = gns.get_values_for_type(x509.OtherName)
    assert other.type_id == OTHER_NAME.UPN.object_identifier
    assert other.value == b"\x0c\x06u@corp"  # UTF8String
    _, body = openssl_ext_block(
        openssl_text(openssl_bin, f), ossl_name(EXT.SUBJECT_ALTERNATIVE_NAME)
    )
    assert body == (
        "DNS:a.test, IP Address:192.0.2.1, email:a@b.test, URI:https://u.test/x, "
        "othername: UPN::u@corp, DNS:bare.test"
    )


def test_bad_san_kind_rejected() -> None:
    with pytest.raises(ValueError, match="SAN kind"):
        forge(CertSpec(sans=("X400:nope",)))


# ---------------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("key_type", "cls", "bits", "ossl"),
    [
        ("ec", ec.EllipticCurvePublicKey, 256, "Public-Key: (256 bit)"),
        ("ec384", ec.EllipticCurvePublicKey, 384, "Public-Key: (384 bit)"),
        ("rsa", rsa.RSAPublicKey, 2048, "Public-Key: (2048 bit)"),
        ("rsa1024", rsa.RSAPublicKey, 1024, "Public-Key: (1024 bit)"),
        ("rsa3072", rsa.RSAPublicKey, 3072, "Public-Key: (3072 bit)"),
        ("ed25519", ed25519.Ed25519PublicKey, None, "ED25519 Public-Key:"),
    ],
)
def test_key_types(
    root: Forged, openssl_bin: str, key_type: str, cls: type, bits: int | None, ossl: str
) -> None:
    f = forge(CertSpec(common_name=f"k-{key_type}", key_type=key_type), root)  # unseeded: fast
    pub = f.certificate.public_key()
    assert isinstance(pub, cls)
    if bits is not None:
        assert pub.key_size == bits  # type: ignore[attr-defined]
    assert f.private_key.public_key() == pub
    assert ossl in openssl_text(openssl_bin, f)
    f.certificate.verify_directly_issued_by(root.certificate)


@pytest.mark.parametrize("key_type", ["ec", "ec384", "rsa1024", "ed25519"])
def test_issuer_of_each_key_type_signs(key_type: str) -> None:
    ca = forge(ROOT_SPEC.with_(common_name=f"ca-{key_type}", key_type=key_type), seed=5)
    ca.certificate.verify_directly_issued_by(ca.certificate)
    child = forge(CertSpec(common_name="child"), ca, seed=5)
    child.certificate.verify_directly_issued_by(ca.certificate)
    # the TBS rewrite re-signs with every key type too
    odd = forge(CertSpec(common_name="odd", version=1, serial_number=-1), ca, seed=5)
    assert odd.certificate.version == x509.Version.v1
    odd.certificate.verify_directly_issued_by(ca.certificate)
    own = forge(CertSpec(common_name="own", key_type=key_type, serial_number=0), seed=5)
    own.certificate.verify_directly_issued_by(own.certificate)


def test_seeded_rsa_key_is_valid_and_exact_size(openssl_bin: str, tmp_path: Path) -> None:
    f = forge(CertSpec(common_name="seeded-rsa", key_type="rsa"), seed=11)
    numbers = f.private_key.private_numbers()  # type: ignore[union-attr]
    assert numbers.public_numbers.n.bit_length() == 2048
    assert numbers.public_numbers.e == 65537
    key = tmp_path / "k.pem"
    key.write_bytes(f.key_pem())
    out = subprocess.run(
        [openssl_bin, "pkey", "-in", str(key), "-check", "-noout"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "valid" in out.stdout, out.stdout + out.stderr


# ---------------------------------------------------------------------------------- EKU


def test_eku_roundtrip_known_unknown_and_order(root: Forged, openssl_bin: str) -> None:
    oids = (EKU.CLIENT_AUTH.oid, EXAMPLE_UNKNOWN_OID, EKU.SERVER_AUTH.oid, EKU.MS_SGC.oid)
    f = leaf(root, eku=oids)
    ext = f.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert [o.dotted_string for o in ext.value] == list(oids)
    assert ext.critical is False
    header, body = openssl_ext_block(
        openssl_text(openssl_bin, f), ossl_name(EXT.EXTENDED_KEY_USAGE)
    )
    assert not header.endswith("critical")
    assert body == ", ".join(eku(o).openssl_text for o in oids)


def test_eku_critical_and_keypurpose_objects(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, eku=(EKU.TIME_STAMPING,), eku_critical=True)  # KeyPurpose normalised
    assert f.spec.eku == (EKU.TIME_STAMPING.oid,)
    ext = f.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert ext.critical is True
    header, body = openssl_ext_block(
        openssl_text(openssl_bin, f), ossl_name(EXT.EXTENDED_KEY_USAGE)
    )
    assert header.endswith("critical") and body == "Time Stamping"


def test_eku_absent_when_none(root: Forged) -> None:
    with pytest.raises(x509.ExtensionNotFound):
        leaf(root).certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)


def test_empty_eku_is_an_empty_sequence(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, eku=())
    exts = asn1_extensions(openssl_bin, f)
    assert exts[ossl_name(EXT.EXTENDED_KEY_USAGE)] == (False, "3000")
    assert (
        exts[ossl_name(EXT.EXTENDED_KEY_USAGE)][1] == x509.ExtendedKeyUsage([]).public_bytes().hex()
    )
    # openssl cannot print an empty list and falls back to dumping the bytes 30 00 as text
    _, body = openssl_ext_block(openssl_text(openssl_bin, f), ossl_name(EXT.EXTENDED_KEY_USAGE))
    assert body == "0."
    # cryptography 50 refuses to parse SEQUENCE SIZE (1..MAX) with 0 elements: consumers beware
    with pytest.raises(ValueError):
        _ = f.certificate.extensions


# ---------------------------------------------------------------------------------- KU


@pytest.mark.parametrize("bit", KU_BITS, ids=lambda b: b.name)
def test_each_key_usage_bit(root: Forged, openssl_bin: str, bit: object) -> None:
    names = {bit.name}  # type: ignore[attr-defined]
    if bit.name in ("encipher_only", "decipher_only"):  # type: ignore[attr-defined]
        names.add("key_agreement")  # cryptography only exposes these next to keyAgreement
    f = leaf(root, key_usage=frozenset(names))
    ku = f.certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical is True
    for other in KU_BITS:
        if other.name in ("encipher_only", "decipher_only") and "key_agreement" not in names:
            continue  # cryptography raises for these unless keyAgreement is set
        assert getattr(ku.value, other.name) is (other.name in names), other.name
    header, body = openssl_ext_block(openssl_text(openssl_bin, f), ossl_name(EXT.KEY_USAGE))
    assert header.endswith("critical")
    expected = [b.openssl_text for b in KU_BITS if b.name in names]
    assert body == ", ".join(expected)


def test_key_usage_der_matches_cryptography_for_all_valid_sets(root: Forged) -> None:
    """Our BIT STRING encoder must give the bytes the typed KeyUsage gives, for every set."""
    names = [b.name for b in KU_BITS]
    checked = 0
    for mask in range(1 << 9):
        chosen = {n for i, n in enumerate(names) if mask >> i & 1}
        flags = {n: n in chosen for n in names}
        try:
            typed = x509.KeyUsage(**flags)
        except ValueError:
            continue  # encipher/decipher only without keyAgreement: typed class refuses
        if mask % 7 and mask not in (0b1, 1 << 8, 0b111111111):  # sample to keep it quick
            continue
        f = forge(CertSpec(common_name="ku", key_usage=frozenset(chosen)), root)
        ext = f.certificate.extensions.get_extension_for_class(x509.KeyUsage)
        assert ext.value.public_bytes() == typed.public_bytes(), chosen
        checked += 1
    assert checked > 40


def test_key_usage_not_critical_and_odd_combination(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, key_usage=frozenset({"encipher_only"}), ku_critical=False)
    # bit 7 alone: one byte 0x01, no unused bits; cryptography's typed class could not build it
    assert asn1_extensions(openssl_bin, f)[ossl_name(EXT.KEY_USAGE)] == (False, "03020001")
    header, body = openssl_ext_block(openssl_text(openssl_bin, f), ossl_name(EXT.KEY_USAGE))
    assert not header.endswith("critical") and body == "Encipher Only"


def test_empty_key_usage_is_a_bitstring_with_no_bits(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, key_usage=frozenset())
    assert asn1_extensions(openssl_bin, f)[ossl_name(EXT.KEY_USAGE)] == (True, "030100")
    _, body = openssl_ext_block(openssl_text(openssl_bin, f), ossl_name(EXT.KEY_USAGE))
    assert body == "..."  # openssl dumps 03 01 00 as text: it has no bit names to print
    purpose = subprocess.run(
        [openssl_bin, "x509", "-noout", "-purpose"], input=f.pem, capture_output=True, check=True
    ).stdout.decode()
    assert purpose.count("WARNING code=-1") == 18  # docs/semantics.md §1.6.1 row "X empty KU"


def test_unknown_key_usage_name_rejected() -> None:
    with pytest.raises(ValueError, match="key usage"):
        CertSpec(key_usage=frozenset({"digitalSignature"}))  # RFC name, not certlib's name


# ---------------------------------------------------------------------------------- nsCertType


@pytest.mark.parametrize(
    ("bits", "hex_value"),
    [
        ({"ssl_client", "smime"}, "030205a0"),
        ({"ssl_server"}, "03020640"),
        ({"object_signing_ca"}, "03020001"),
        ({"ssl_ca", "smime_ca", "object_signing_ca"}, "03020007"),
        (set(), "030100"),
    ],
)
def test_ns_cert_type(root: Forged, openssl_bin: str, bits: set[str], hex_value: str) -> None:
    f = leaf(root, ns_cert_type=frozenset(bits))
    assert asn1_extensions(openssl_bin, f)[ossl_name(EXT.NETSCAPE_CERT_TYPE)] == (False, hex_value)
    if bits:
        _, body = openssl_ext_block(openssl_text(openssl_bin, f), ossl_name(EXT.NETSCAPE_CERT_TYPE))
        assert body == ", ".join(b.openssl_text for b in NS_CERT_TYPE_BITS if b.name in bits)


def test_ns_cert_type_text_from_brief(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, ns_cert_type=frozenset({"smime", "ssl_client"}))
    assert "Netscape Cert Type: \n                SSL Client, S/MIME" in openssl_text(
        openssl_bin, f
    )


# --------------------------------------------------------------------------- basicConstraints


@pytest.mark.parametrize(
    ("ca", "path_length", "critical", "typed", "ossl"),
    [
        (True, None, True, x509.BasicConstraints(True, None), "CA:TRUE"),
        (True, 0, True, x509.BasicConstraints(True, 0), "CA:TRUE, pathlen:0"),
        (True, 3, False, x509.BasicConstraints(True, 3), "CA:TRUE, pathlen:3"),
        (False, None, True, x509.BasicConstraints(False, None), "CA:FALSE"),
    ],
)
def test_basic_constraints(
    root: Forged,
    openssl_bin: str,
    ca: bool,
    path_length: int | None,
    critical: bool,
    typed: x509.BasicConstraints,
    ossl: str,
) -> None:
    f = leaf(root, ca=ca, path_length=path_length, bc_critical=critical)
    ext = f.certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert ext.value == typed and ext.critical is critical
    assert ext.value.public_bytes() == typed.public_bytes()
    header, body = openssl_ext_block(openssl_text(openssl_bin, f), ossl_name(EXT.BASIC_CONSTRAINTS))
    assert header.endswith("critical") is critical and body == ossl


def test_basic_constraints_absent_by_default(root: Forged) -> None:
    with pytest.raises(x509.ExtensionNotFound):
        leaf(root).certificate.extensions.get_extension_for_class(x509.BasicConstraints)


def test_ca_false_with_pathlen_is_buildable(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, ca=False, path_length=2)  # malformed per RFC 5280; for parser tests
    assert asn1_extensions(openssl_bin, f)[ossl_name(EXT.BASIC_CONSTRAINTS)] == (True, "3003020102")


# ---------------------------------------------------------------------------------- MS / extra


def test_ms_application_policies(root: Forged, openssl_bin: str) -> None:
    pols = (EKU.SERVER_AUTH.oid, EKU.MS_SMART_CARD_LOGON.oid)
    f = leaf(root, ms_application_policies=pols)
    ext = f.certificate.extensions.get_extension_for_oid(
        EXT.MS_APPLICATION_POLICIES.object_identifier
    )
    assert ext.critical is False
    # same shape as certificatePolicies: SEQUENCE OF SEQUENCE { policyIdentifier }
    typed = x509.CertificatePolicies(
        [x509.PolicyInformation(x509.ObjectIdentifier(o), None) for o in pols]
    )
    assert ext.value.value == typed.public_bytes()  # type: ignore[attr-defined]
    assert asn1_extensions(openssl_bin, f)[EXT.MS_APPLICATION_POLICIES.oid] == (
        False,
        typed.public_bytes().hex(),
    )
    assert f"{EXT.MS_APPLICATION_POLICIES.oid}: \n" in openssl_text(openssl_bin, f)


def test_unknown_critical_extension(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, extra_extensions=((EXAMPLE_UNKNOWN_OID, True, b"\x05\x00"),))
    ext = f.certificate.extensions.get_extension_for_oid(x509.ObjectIdentifier(EXAMPLE_UNKNOWN_OID))
    assert ext.critical is True and ext.value.value == b"\x05\x00"  # type: ignore[attr-defined]
    assert f"{EXAMPLE_UNKNOWN_OID}: critical" in openssl_text(openssl_bin, f)
    assert asn1_extensions(openssl_bin, f)[EXAMPLE_UNKNOWN_OID] == (True, "0500")


def test_ski_aki_links_and_toggles(root: Forged) -> None:
    f = leaf(root)
    ski = f.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = f.certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    root_ski = root.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert ski == x509.SubjectKeyIdentifier.from_public_key(f.certificate.public_key())  # type: ignore[arg-type]
    assert aki.key_identifier == root_ski.digest
    root_aki = root.certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    assert root_aki.value.key_identifier == root_ski.digest  # self-signed: keyid = own SKI
    bare = leaf(root, subject_key_identifier=False, authority_key_identifier=False)
    oids = {e.oid for e in bare.certificate.extensions}
    assert EXT.SUBJECT_KEY_IDENTIFIER.object_identifier not in oids
    assert EXT.AUTHORITY_KEY_IDENTIFIER.object_identifier not in oids


def test_aki_from_issuer_without_ski(openssl_bin: str) -> None:
    ca = forge(ROOT_SPEC.with_(common_name="No SKI CA", subject_key_identifier=False), seed=1)
    f = forge(CertSpec(common_name="child"), ca, seed=1)
    aki = f.certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    expected = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.certificate.public_key())  # type: ignore[arg-type]
    assert aki.key_identifier == expected.key_identifier


# ---------------------------------------------------------------------------------- TBS rewrites


def test_v1_has_no_extensions(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, version=1)
    assert f.certificate.version == x509.Version.v1
    assert len(f.certificate.extensions) == 0
    text = openssl_text(openssl_bin, f)
    assert "Version: 1 (0x0)" in text and "X509v3 extensions" not in text
    f.certificate.verify_directly_issued_by(root.certificate)


def test_v1_self_signed_root_and_v1_rejects_extensions(openssl_bin: str) -> None:
    f = forge(CertSpec(common_name="v1 root", version=1), seed=2)
    f.certificate.verify_directly_issued_by(f.certificate)
    assert f.certificate.subject == f.certificate.issuer
    with pytest.raises(ValueError, match="no extensions"):
        CertSpec(version=1, eku=(EKU.SERVER_AUTH.oid,))


@pytest.mark.parametrize(
    ("serial", "ossl"),
    [
        (-5, "Serial Number: -5 (-0x5)"),
        (-128, "Serial Number: -128 (-0x80)"),
        (-129, "Serial Number: -129 (-0x81)"),
        (0, "Serial Number: 0 (0x0)"),
        (127, "Serial Number: 127 (0x7f)"),
        (128, "Serial Number: 128 (0x80)"),
        (-(2**70), "Serial Number:\n             (Negative)40:00:00:00:00:00:00:00:00"),
    ],
)
def test_serial_numbers(root: Forged, openssl_bin: str, serial: int, ossl: str) -> None:
    f = leaf(root, serial_number=serial)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        assert f.certificate.serial_number == serial
    assert ossl in openssl_text(openssl_bin, f)
    f.certificate.verify_directly_issued_by(root.certificate)


def _verify_sha1(cert: x509.Certificate, issuer: x509.Certificate) -> None:
    """cryptography's verify_directly_issued_by refuses SHA-1; check the maths directly."""
    pub = issuer.public_key()
    if isinstance(pub, rsa.RSAPublicKey):
        pub.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), hashes.SHA1())
    else:
        assert isinstance(pub, ec.EllipticCurvePublicKey)
        pub.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(hashes.SHA1()))


@pytest.mark.parametrize(
    ("key_type", "ossl"), [("ec", "ecdsa-with-SHA1"), ("rsa1024", "sha1WithRSAEncryption")]
)
def test_sha1_signature(openssl_bin: str, key_type: str, ossl: str) -> None:
    ca = forge(ROOT_SPEC.with_(common_name=f"sha1 ca {key_type}", key_type=key_type), seed=3)
    f = forge(CertSpec(common_name="old", signature_hash="sha1", version=1), ca, seed=3)
    assert isinstance(f.certificate.signature_hash_algorithm, hashes.SHA1)
    assert f.certificate.version == x509.Version.v1
    text = openssl_text(openssl_bin, f)
    assert text.count(f"Signature Algorithm: {ossl}") == 2  # TBS and outer agree
    _verify_sha1(f.certificate, ca.certificate)
    with pytest.raises(ValueError, match="signature algorithm"):
        f.certificate.verify_directly_issued_by(ca.certificate)
    f3 = forge(CertSpec(common_name="old3", signature_hash="sha1", eku=()), ca, seed=3)
    _verify_sha1(f3.certificate, ca.certificate)


def test_sha384_and_ed25519_rules(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, signature_hash="sha384")
    assert isinstance(f.certificate.signature_hash_algorithm, hashes.SHA384)
    assert "ecdsa-with-SHA384" in openssl_text(openssl_bin, f)
    ed = forge(ROOT_SPEC.with_(common_name="ed ca", key_type="ed25519"), seed=1)
    with pytest.raises(ValueError, match="Ed25519"):
        forge(CertSpec(signature_hash="sha1"), ed)


# ---------------------------------------------------------------------------------- dates


def test_dates_explicit_and_default(root: Forged) -> None:
    start = datetime(2020, 2, 29, 12, 0, tzinfo=UTC)
    f = leaf(root, not_before=start, validity_days=10)
    assert f.certificate.not_valid_before_utc == start
    assert f.certificate.not_valid_after_utc == start + timedelta(days=10)
    naive = leaf(root, not_before=datetime(2030, 1, 1), validity_days=1)  # naive = UTC
    assert naive.certificate.not_valid_before_utc == datetime(2030, 1, 1, tzinfo=UTC)
    seeded = leaf(root)
    assert seeded.certificate.not_valid_before_utc == REFERENCE_TIME - timedelta(days=1)
    fresh = forge(CertSpec(common_name="fresh"), root)
    age = datetime.now(UTC) - fresh.certificate.not_valid_before_utc
    assert timedelta(hours=23) < age < timedelta(hours=25)


# ---------------------------------------------------------------------------------- chains


def test_preset_leaf_forges_its_issuers_and_validates_as_webpki() -> None:
    f = forge(PRESETS["iis_server"])
    assert [x.spec for x in f.path] == [
        PRESETS["iis_server"],
        PRESETS["intermediate_ca"],
        PRESETS["root_ca"],
    ]
    chain = f.as_chain()
    store = verification.Store(list(chain.roots))
    verifier = (
        verification.PolicyBuilder()
        .store(store)
        .time(f.certificate.not_valid_before_utc + timedelta(hours=1))
        .build_server_verifier(x509.DNSName("www.contoso.com"))
    )
    built = verifier.verify(f.certificate, list(chain.intermediate_certificates))
    assert [c.subject for c in built] == [c.subject for c in chain.certificates]


def test_forge_chain_links(openssl_bin: str, tmp_path: Path) -> None:
    chain = forge_chain(
        PRESETS["root_ca"].with_(issuer=None),
        PRESETS["intermediate_ca"].with_(issuer=None, path_length=1),
        CertSpec(common_name="ica2", ca=True, key_usage=frozenset({"key_cert_sign"})),
        PRESETS["dual_use"].with_(issuer=None),
        seed=9,
    )
    assert isinstance(chain, Chain) and len(chain.intermediates) == 2
    certs = chain.certificates
    assert certs[0] == chain.leaf.certificate and certs[-1] == chain.root.certificate
    for child, parent in itertools.pairwise(certs):
        child.verify_directly_issued_by(parent)
    chain.root.certificate.verify_directly_issued_by(chain.root.certificate)
    assert chain.intermediate_certificates == certs[1:-1]
    (tmp_path / "root.pem").write_bytes(chain.root.pem)
    (tmp_path / "ica.pem").write_bytes(b"".join(f.pem for f in chain.intermediates))
    (tmp_path / "leaf.pem").write_bytes(chain.leaf.pem)
    out = subprocess.run(
        [
            openssl_bin,
            "verify",
            "-attime",
            str(int((REFERENCE_TIME + timedelta(days=1)).timestamp())),
            "-CAfile",
            str(tmp_path / "root.pem"),
            "-untrusted",
            str(tmp_path / "ica.pem"),
            "-purpose",
            "sslserver",
            str(tmp_path / "leaf.pem"),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and out.stdout.strip().endswith("OK"), out.stdout + out.stderr


def test_single_spec_chain_is_self_signed() -> None:
    chain = forge_chain(ROOT_SPEC, seed=1)
    assert chain.root is chain.leaf and chain.certificates == (chain.root.certificate,)
    with pytest.raises(ValueError):
        forge_chain()


# ---------------------------------------------------------------------------------- presets


EXPECTED_PRESET_EKU = {
    "iis_server": (EKU.SERVER_AUTH.oid,),
    "iis_self_signed": (EKU.SERVER_AUTH.oid,),
    "web_server": (EKU.SERVER_AUTH.oid,),
    "user_client": (EKU.CLIENT_AUTH.oid,),
    "dual_use": (EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid),
    "no_eku": None,
    "any_eku_only": (EKU.ANY.oid,),
    "code_signing": (EKU.CODE_SIGNING.oid,),
    "ca_as_leaf": None,
    "root_ca": None,
    "intermediate_ca": None,
    "smime": (EKU.EMAIL_PROTECTION.oid,),
    "time_stamping": (EKU.TIME_STAMPING.oid,),
    "ocsp_signing": (EKU.OCSP_SIGNING.oid,),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_PRESET_EKU))
def test_presets(name: str) -> None:
    assert set(PRESETS) == set(EXPECTED_PRESET_EKU) == set(PRESET_DESCRIPTIONS)
    assert PRESET_DESCRIPTIONS[name]
    f = forge(PRESETS[name])
    cert = f.certificate
    issuer = f.issuer.certificate if f.issuer else cert
    cert.verify_directly_issued_by(issuer)
    try:
        ekus = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        got = tuple(o.dotted_string for o in ekus)
    except x509.ExtensionNotFound:
        got = None
    assert got == EXPECTED_PRESET_EKU[name]
    bc = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert bc.ca is (name in ("ca_as_leaf", "root_ca", "intermediate_ca"))
    assert (f.issuer is None) is (name in ("root_ca", "iis_self_signed"))


def test_preset_details() -> None:
    iis = forge(PRESETS["iis_server"]).certificate
    assert isinstance(iis.public_key(), rsa.RSAPublicKey)
    ku = iis.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and ku.key_encipherment and not ku.key_cert_sign
    ts = forge(PRESETS["time_stamping"]).certificate
    assert ts.extensions.get_extension_for_class(x509.ExtendedKeyUsage).critical
    cs = forge(PRESETS["code_signing"]).certificate
    assert cs.extensions.get_extension_for_class(x509.KeyUsage).critical
    user = forge(PRESETS["user_client"]).certificate
    san = user.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) and san.get_values_for_type(x509.OtherName)


# ---------------------------------------------------------------------------------- determinism

_DETERMINISM_SCRIPT = """
import sys
from certlib.cert.forge import PRESETS, CertSpec, forge, forge_chain
from certlib.core.memo import Memo
from certlib.core.oids import EXAMPLE_UNKNOWN_OID
seed = sys.argv[1]
keys = Memo()  # the presets share their CAs (and RSA keys): forged once
out = [forge(PRESETS[n], seed=seed, memo=keys).sha256 for n in sorted(PRESETS)]
odd = CertSpec(common_name="odd", key_type="ed25519", eku=(), key_usage=frozenset(),
    ns_cert_type=frozenset({"smime", "ssl_client", "ssl_ca"}), serial_number=-7, version=3,
    extra_extensions=((EXAMPLE_UNKNOWN_OID, True, b"\\x05\\x00"),))
out.append(forge(odd, seed=seed).sha256)
out.append(forge(CertSpec(common_name="v1", version=1, signature_hash="sha1",
    key_type="rsa1024"), seed=seed).sha256)
out.append(forge_chain(CertSpec(common_name="r", ca=True, key_type="ec384"),
    CertSpec(common_name="l"), seed=seed).leaf.sha256)
print(" ".join(out))
"""


def _run_determinism(seed: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _DETERMINISM_SCRIPT, seed],
        capture_output=True,
        text=True,
        cwd=ROOT_DIR,
        check=True,
    )
    return out.stdout.split()


def test_same_seed_same_bytes_across_processes() -> None:
    a = _run_determinism("42")
    b = _run_determinism("42")
    c = _run_determinism("43")
    assert a == b
    assert len(a) == len(PRESETS) + 3
    assert all(x != y for x, y in zip(a, c, strict=True))


def test_same_seed_same_bytes_in_process_and_int_vs_str_seeds_differ() -> None:
    spec = PRESETS["dual_use"]
    assert forge(spec, seed=1).der == forge(spec, seed=1).der
    assert forge(spec, seed=1).der != forge(spec, seed="1").der
    assert forge(spec).der != forge(spec).der  # unseeded: fresh serial and validity


def test_different_subjects_get_different_keys() -> None:
    a = forge(CertSpec(common_name="a"), seed=1)
    b = forge(CertSpec(common_name="b"), seed=1)
    b2 = forge(CertSpec(common_name="b", key_label="rekey"), seed=1)
    pubs = {
        x.certificate.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        for x in (a, b, b2)
    }
    assert len(pubs) == 3


def test_spec_normalisation_and_equality() -> None:
    a = CertSpec(key_usage={"digital_signature"}, eku=[EKU.SERVER_AUTH], sans=["x.test"])  # type: ignore[arg-type]
    b = CertSpec(
        key_usage=frozenset({"digital_signature"}), eku=(EKU.SERVER_AUTH.oid,), sans=("x.test",)
    )
    assert a == b and hash(a) == hash(b) and a.canonical() == b.canonical()
    assert a.with_(common_name="y").common_name == "y" and a.common_name == "example.com"
    for bad in (
        {"eku": ("serverAuth",)},
        {"ms_application_policies": ("1.x",)},
        {"extra_extensions": (("3.1", False, b""),)},
    ):
        with pytest.raises(ValueError, match="dotted OID"):
            CertSpec(**bad)  # type: ignore[arg-type]
    for bad in (
        {"key_type": "dsa"},
        {"signature_hash": "md5"},
        {"version": 2},
        {"subject": (("X", "1"),)},
    ):
        with pytest.raises(ValueError):
            CertSpec(**bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- secrets


def test_no_key_material_in_repr_or_str(root: Forged) -> None:
    f = forge(CertSpec(common_name="secret", key_type="rsa1024"), root)
    numbers = f.private_key.private_numbers()  # type: ignore[union-attr]
    key_pem = f.key_pem().decode()
    for text in (repr(f), str(f), f"{f}", repr([f])):
        assert f.sha256 in text and "CN=secret" in text
        assert "PRIVATE" not in text and "private" not in text.lower()
        assert str(numbers.d) not in text and format(numbers.d, "x") not in text
        assert key_pem.splitlines()[1] not in text
    chain_repr = repr(f.as_chain())
    assert "PRIVATE" not in chain_repr and str(numbers.p) not in chain_repr


def test_key_pem_roundtrip_plain_and_encrypted() -> None:
    f = forge(CertSpec(common_name="pem"), seed=1)
    plain = serialization.load_pem_private_key(f.key_pem(), None)
    assert plain.public_key() == f.certificate.public_key()
    enc = f.key_pem(b"pw")
    assert b"ENCRYPTED PRIVATE KEY" in enc
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(enc, None)
    assert serialization.load_pem_private_key(enc, b"pw").public_key() == f.certificate.public_key()


@pytest.mark.parametrize(
    ("legacy", "ossl"), [(False, "PBES2"), (True, "pbeWithSHA1And3-KeyTripleDES-CBC")]
)
def test_pkcs12(openssl_bin: str, tmp_path: Path, legacy: bool, ossl: str) -> None:
    f = forge(PRESETS["user_client"], seed=1)
    blob = f.pkcs12(b"pw", friendly_name=b"alice", legacy=legacy, chain=f.path[1:])
    loaded = pkcs12.load_pkcs12(blob, b"pw")
    assert loaded.cert is not None and loaded.cert.certificate == f.certificate
    assert loaded.cert.friendly_name == b"alice"
    assert [c.certificate for c in loaded.additional_certs] == [x.certificate for x in f.path[1:]]
    assert loaded.key is not None and loaded.key.public_key() == f.certificate.public_key()
    path = tmp_path / "u.pfx"
    path.write_bytes(blob)
    info = subprocess.run(
        [openssl_bin, "pkcs12", "-in", str(path), "-info", "-noout", "-passin", "pass:pw"],
        capture_output=True,
        text=True,
    )
    assert info.returncode == 0, info.stderr
    assert ossl in info.stderr + info.stdout
    nopass = pkcs12.load_pkcs12(f.pkcs12(None), None)
    assert nopass.cert is not None and nopass.cert.certificate == f.certificate


def test_every_field_is_covered_here() -> None:
    """Adding a CertSpec field without a round-trip test above should fail this list."""
    covered = {
        "common_name": test_empty_common_name_omits_cn,
        "subject": test_subject_rdns_and_issuer,
        "sans": test_sans_every_kind,
        "key_type": test_key_types,
        "eku": test_eku_roundtrip_known_unknown_and_order,
        "eku_critical": test_eku_critical_and_keypurpose_objects,
        "key_usage": test_each_key_usage_bit,
        "ku_critical": test_key_usage_not_critical_and_odd_combination,
        "ca": test_basic_constraints,
        "path_length": test_basic_constraints,
        "bc_critical": test_basic_constraints,
        "ns_cert_type": test_ns_cert_type,
        "ms_application_policies": test_ms_application_policies,
        "extra_extensions": test_unknown_critical_extension,
        "version": test_v1_has_no_extensions,
        "not_before": test_dates_explicit_and_default,
        "validity_days": test_dates_explicit_and_default,
        "serial_number": test_serial_numbers,
        "signature_hash": test_sha1_signature,
        "subject_key_identifier": test_ski_aki_links_and_toggles,
        "authority_key_identifier": test_ski_aki_links_and_toggles,
        "issuer": test_preset_leaf_forges_its_issuers_and_validates_as_webpki,
        "key_label": test_different_subjects_get_different_keys,
    }
    assert {f.name for f in dataclasses.fields(CertSpec)} == set(covered)
