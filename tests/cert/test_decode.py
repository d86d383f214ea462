"""certlib.cert.decode: one row per certificate, checked against real certificates and openssl.

No mocks. Sources: the x509-limbo EKU/KU subset (incl. the empty EKU cryptography refuses),
certifi's Mozilla bundle, and certificates forged here for the odd cases. The ``openssl`` binary
is the independent oracle for fingerprints, serials, names, dates, key sizes, signature
algorithms and the purpose extensions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import re
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import certifi
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from certlib.cert.decode import COLUMNS, HANDLED_CRITICAL_EXTENSIONS, decode
from certlib.cert.forge import CertSpec, Forged, forge
from certlib.core.oids import (
    EKU,
    EXAMPLE_UNKNOWN_OID,
    EXT,
    NAME_ATTRIBUTE_SHORT_NAMES,
    NS_CERT_TYPE_BITS,
    eku,
    ku_bit,
)

EMPTY_EKU_ID = "rfc5280::eku::ee-eku-empty"


# ------------------------------------------------------------------------------- sources


def _load(pem: str | bytes) -> x509.Certificate:
    data = pem.encode() if isinstance(pem, str) else pem
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-positive serials warn on load; decode records it
        return x509.load_pem_x509_certificate(data)


@pytest.fixture(scope="module")
def limbo(limbo_dir: Path) -> dict[str, Any]:
    return json.loads((limbo_dir / "x509-limbo-eku-ku.json").read_text())


def limbo_pems(limbo: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(label, PEM) for every peer, trusted and intermediate certificate of every testcase."""
    for case in limbo["testcases"]:
        yield f"{case['id']} peer", case["peer_certificate"]
        for i, pem in enumerate(case["trusted_certs"]):
            yield f"{case['id']} trusted[{i}]", pem
        for i, pem in enumerate(case["untrusted_intermediates"]):
            yield f"{case['id']} intermediate[{i}]", pem


@pytest.fixture(scope="module")
def certifi_pem() -> bytes:
    return Path(certifi.where()).read_bytes()


@pytest.fixture(scope="module")
def certifi_certs(certifi_pem: bytes) -> list[x509.Certificate]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return x509.load_pem_x509_certificates(certifi_pem)


ROOT = CertSpec(
    common_name="Decode Test Root",
    ca=True,
    path_length=1,
    key_usage=frozenset({"key_cert_sign", "crl_sign"}),
)


@pytest.fixture(scope="module")
def root() -> Forged:
    return forge(ROOT, seed="decode")


def leaf(root: Forged, **changes: Any) -> Forged:
    return forge(CertSpec(common_name="leaf.test").with_(**changes), root, seed="decode")


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


# ------------------------------------------------------------------------- openssl oracle


def _openssl(openssl_bin: str, pem: bytes, *args: str) -> str:
    out = subprocess.run(
        [openssl_bin, "x509", "-noout", *args], input=pem, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8", "replace")


def _unescape_openssl(text: str) -> str:
    """OpenSSL's RFC 2253 text in decode's spelling.

    OpenSSL escapes UTF-8 bytes as ``\\XX`` (turned back into text here) and spells RFC 4514's
    ``STREET`` as ``street``.
    """
    text = re.sub(
        r"(?:\\[0-9A-F]{2})+",
        lambda m: bytes.fromhex(m.group(0).replace("\\", "")).decode("utf-8"),
        text,
    )
    return re.sub(r"(^|,)street=", r"\1STREET=", text)


def _ext_block(text: str, header: str) -> tuple[bool, str] | None:
    """(critical, first value line) of an extension in ``openssl x509 -text``, or None."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(header + ":") and line.startswith(" " * 12 + header):
            return stripped.endswith("critical"), lines[i + 1].strip()
    return None


def _openssl_san(entry: str) -> str:
    """An ``openssl -text`` SAN entry in decode's spelling."""
    kind, _, value = entry.partition(":")
    if kind == "IP Address":
        return f"IP:{ipaddress.ip_address(value)}"
    if kind == "Registered ID":
        return f"RID:{value}"
    if kind == "othername":  # "othername: UPN::user@x"
        label, _, rest = value.strip().partition("::")
        return f"othername:{label}:{rest}"
    if kind == "DirName":  # "/C=US/O=x/CN=y" (simple names only) -> RFC 4514 order
        return "DirName:" + _unescape_openssl(",".join(reversed(value.strip("/").split("/"))))
    return f"{kind}:{value}"


def openssl_view(openssl_bin: str, pem: bytes) -> dict[str, Any]:
    """What openssl says about a certificate, in decode's vocabulary."""
    text = _openssl(
        openssl_bin, pem, "-serial", "-subject", "-issuer", "-fingerprint", "-sha256",
        "-nameopt", "RFC2253", "-text",
    )  # fmt: skip
    sha1 = _openssl(openssl_bin, pem, "-fingerprint", "-sha1")
    view: dict[str, Any] = {}
    for line in text.splitlines():
        if line.startswith("serial="):
            view["serial_number"] = line[7:].lower()
        elif line.startswith("subject="):
            view["subject"] = _unescape_openssl(line[8:])
        elif line.startswith("issuer="):
            view["issuer"] = _unescape_openssl(line[7:])
        elif line.startswith("sha256 Fingerprint="):
            view["sha256"] = line.split("=", 1)[1].replace(":", "").lower()
    view["sha1"] = sha1.strip().split("=", 1)[1].replace(":", "").lower()
    view["version"] = int(re.search(r"Version: (\d+)", text).group(1))  # type: ignore[union-attr]
    view["signature_algorithm"] = re.search(r"Signature Algorithm: (.+)", text).group(1)  # type: ignore[union-attr]
    for field, label in (("not_before", "Not Before"), ("not_after", "Not After ")):
        raw = re.search(rf"{label}: (.+) GMT", text).group(1)  # type: ignore[union-attr]
        view[field] = dt.datetime.strptime(" ".join(raw.split()), "%b %d %H:%M:%S %Y").replace(
            tzinfo=dt.UTC
        )
    bits = re.search(r"Public-Key: \((\d+) bit\)", text)
    view["public_key_size"] = int(bits.group(1)) if bits else None
    view["ku"] = _ext_block(text, "X509v3 Key Usage")
    view["eku"] = _ext_block(text, "X509v3 Extended Key Usage")
    view["bc"] = _ext_block(text, "X509v3 Basic Constraints")
    view["san"] = _ext_block(text, "X509v3 Subject Alternative Name")
    view["ns"] = _ext_block(text, "Netscape Cert Type")
    view["text"] = text
    return view


def compare_with_openssl(openssl_bin: str, cert: x509.Certificate) -> list[str]:
    """Every disagreement between decode(cert) and openssl, as readable lines."""
    row = decode(cert)
    o = openssl_view(openssl_bin, _pem(cert))
    bad: list[str] = []

    def check(what: str, ours: object, theirs: object) -> None:
        if ours != theirs:
            bad.append(f"{row['subject']}: {what}: decode={ours!r} openssl={theirs!r}")

    for field in ("sha256", "sha1", "serial_number", "version", "subject", "issuer"):
        check(field, row[field], o[field])
    check("signature_algorithm", row["signature_algorithm"], o["signature_algorithm"])
    check("not_before", row["not_before"], o["not_before"])
    check("not_after", row["not_after"], o["not_after"])
    if o["public_key_size"] is not None:  # openssl prints no bit count for Ed25519/Ed448
        check("public_key_size", row["public_key_size"], o["public_key_size"])

    check("ku_present", row["ku_present"], o["ku"] is not None)
    if o["ku"] is not None and row["key_usage"]:
        text = ", ".join(ku_bit(n).openssl_text for n in row["key_usage"])
        check("key_usage", (row["ku_critical"], text), o["ku"])
    elif o["ku"] is not None:  # a KU with no bit set: openssl prints a dump ("...")
        check("key_usage", (row["ku_critical"], "..."), o["ku"])
    check("eku_present", row["eku_present"], o["eku"] is not None)
    if o["eku"] is not None and row["eku_oids"]:  # openssl prints junk ("0.") for an empty EKU
        text = ", ".join(eku(oid).openssl_text for oid in row["eku_oids"])
        check("eku", (row["eku_critical"], text), o["eku"])
    check("bc_present", row["bc_present"], o["bc"] is not None)
    if o["bc"] is not None:
        text = "CA:TRUE" if row["is_ca"] else "CA:FALSE"
        if row["path_length"] is not None:
            text += f", pathlen:{row['path_length']}"
        check("basic_constraints", (row["bc_critical"], text), o["bc"])
    check("san_present", row["san_present"], o["san"] is not None)
    if o["san"] is not None:
        theirs = [_openssl_san(e) for e in o["san"][1].split(", ")]
        check("alternative_names", row["alternative_names"], theirs)
    if o["ns"] is not None or row["ns_cert_type"] is not None:
        names = {b.name: b.openssl_text for b in NS_CERT_TYPE_BITS}
        ours = ", ".join(names[n] for n in row["ns_cert_type"] or ())
        check("ns_cert_type", ours, o["ns"][1] if o["ns"] else None)
    for oid in row["unknown_critical_extensions"]:
        if f"{oid}: critical" not in o["text"]:
            bad.append(f"{row['subject']}: openssl does not show {oid} as critical")
    if row["decode_errors"] and not row["eku_present"]:
        bad.append(f"{row['subject']}: unexpected decode errors {row['decode_errors']}")
    return bad


# -------------------------------------------------------------------------------- the row


def test_row_has_every_column_and_only_plain_values(root: Forged) -> None:
    row = decode(leaf(root, sans=("DNS:a.test",), eku=(EKU.SERVER_AUTH.oid,)).certificate)
    assert tuple(row) == COLUMNS
    assert len(COLUMNS) == len(set(COLUMNS)) == 39
    plain = (str, int, float, bool, list, dt.datetime, type(None))
    assert {k: type(v).__name__ for k, v in row.items() if not isinstance(v, plain)} == {}
    for k, v in row.items():
        if isinstance(v, list):
            assert all(isinstance(x, str) for x in v), k


def test_no_private_key_material_in_a_row(root: Forged) -> None:
    f = leaf(root, key_type="rsa", sans=("DNS:k.test",))
    text = repr(decode(f.certificate))
    numbers = f.private_key.private_numbers()  # type: ignore[union-attr]
    for secret in (numbers.d, numbers.p, numbers.q):
        assert f"{secret:x}" not in text and str(secret) not in text
    assert "PRIVATE" not in text
    assert f.key_pem().decode().splitlines()[1] not in text


# ----------------------------------------------------------------------------- x509-limbo


def test_limbo_every_certificate_decodes(limbo: dict[str, Any]) -> None:
    pems = list(limbo_pems(limbo))
    rows = {label: decode(_load(pem)) for label, pem in pems}
    assert len(limbo["testcases"]) == 33
    assert len(rows) == len(pems) == 82
    assert all(r["sha256"] and len(r["sha256"]) == 64 for r in rows.values())
    with_errors = sorted(label for label, r in rows.items() if r["decode_errors"])
    assert with_errors == [f"{EMPTY_EKU_ID} peer"]
    assert not any(r["warnings"] for r in rows.values())


def test_limbo_empty_eku_row(limbo: dict[str, Any]) -> None:
    case = next(c for c in limbo["testcases"] if c["id"] == EMPTY_EKU_ID)
    cert = _load(case["peer_certificate"])
    with pytest.raises(ValueError, match="InvalidSize"):  # what cryptography 50 does with it
        _ = cert.extensions
    row = decode(cert)
    assert row["eku_present"] is True
    assert row["eku_critical"] is False
    assert row["eku_oids"] == [] and row["eku_names"] == []
    assert len(row["decode_errors"]) == 1
    assert row["decode_errors"][0].startswith("extensions: ValueError: error parsing asn1 value")
    assert "InvalidSize" in row["decode_errors"][0]
    # Everything else is still read: the SAN through certlib's own DER fallback.
    assert row["alternative_names"] == ["DNS:example.com"] and row["dns_names"] == ["example.com"]
    assert row["key_usage"] == ["digital_signature"] and row["ku_present"] is True
    assert row["subject"] == "CN=example.com" and row["issuer"] == "CN=x509-limbo-root"
    assert row["extension_oids"] == [
        EXT.SUBJECT_KEY_IDENTIFIER.oid,
        EXT.AUTHORITY_KEY_IDENTIFIER.oid,
        EXT.KEY_USAGE.oid,
        EXT.EXTENDED_KEY_USAGE.oid,
        EXT.SUBJECT_ALTERNATIVE_NAME.oid,
    ]


def test_limbo_agrees_with_openssl(limbo: dict[str, Any], openssl_bin: str) -> None:
    bad = [
        b
        for _label, pem in limbo_pems(limbo)
        for b in compare_with_openssl(openssl_bin, _load(pem))
    ]
    assert bad == []


def test_limbo_pathlen_and_ca_flags(limbo: dict[str, Any]) -> None:
    case = next(
        c for c in limbo["testcases"] if c["id"] == "pathlen::ee-with-intermediate-pathlen-0"
    )
    ica = decode(_load(case["untrusted_intermediates"][0]))
    assert (ica["bc_present"], ica["is_ca"], ica["path_length"]) == (True, True, 0)
    assert ica["self_issued"] is False and ica["self_signed"] is False
    root = decode(_load(case["trusted_certs"][0]))
    assert root["self_issued"] is True and root["self_signed"] is True
    assert "key_cert_sign" in root["key_usage"]


# --------------------------------------------------------------------------------- certifi


def test_certifi_bundle_decodes(certifi_pem: bytes, certifi_certs: list[x509.Certificate]) -> None:
    rows = [decode(c) for c in certifi_certs]
    in_file = certifi_pem.count(b"-----BEGIN CERTIFICATE-----")
    assert len(rows) == len(certifi_certs) == in_file > 100
    assert [r for r in rows if r["decode_errors"]] == []
    assert len({r["sha256"] for r in rows}) == len(rows)
    assert all(r["self_issued"] and r["self_signed"] and r["is_ca"] for r in rows)
    # SHA-1 self-signed roots are still self-signed (cryptography's issuer check refuses SHA-1).
    assert sum(r["signature_hash"] == "sha1" for r in rows) >= 1
    # Roots with serial 0: kept, flagged in warnings (cryptography deprecates them).
    zero = [r for r in rows if r["serial_number"] == "00"]
    assert zero, "the bundle has serial-0 roots; if not, pick another warning source"
    for r in rows:
        has_warning = any("CryptographyDeprecationWarning" in w for w in r["warnings"])
        assert has_warning == (r["serial_number"] == "00"), r["subject"]
    assert {r["public_key_algorithm"] for r in rows} == {"RSA", "EC"}


def test_certifi_agrees_with_openssl(
    certifi_certs: list[x509.Certificate], openssl_bin: str
) -> None:
    bad = [b for c in certifi_certs for b in compare_with_openssl(openssl_bin, c)]
    assert bad == []


# ------------------------------------------------------------------- forged: every column


def test_rsa_leaf_every_column(root: Forged, openssl_bin: str) -> None:
    f = leaf(
        root,
        key_type="rsa",
        sans=("DNS:www.example.test", "DNS:example.test"),
        eku=(EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid),
        key_usage=frozenset({"key_encipherment", "digital_signature"}),
        ca=False,
        validity_days=90,
        serial_number=0x00FF12,
    )
    row = decode(f.certificate)
    assert row["sha256"] == hashlib.sha256(f.der).hexdigest()
    assert row["sha1"] == hashlib.sha1(f.der).hexdigest()
    assert row["serial_number"] == "ff12"
    assert row["version"] == 3
    assert (row["subject"], row["subject_cn"]) == ("CN=leaf.test", "leaf.test")
    assert (row["issuer"], row["issuer_cn"]) == ("CN=Decode Test Root", "Decode Test Root")
    assert (row["self_issued"], row["self_signed"]) == (False, False)
    assert row["not_before"] == f.certificate.not_valid_before_utc
    assert row["not_before"].tzinfo is not None and row["not_before"].utcoffset() == dt.timedelta(0)
    assert row["validity_days"] == 90
    assert (row["public_key_algorithm"], row["public_key_size"]) == ("RSA", 2048)
    assert row["public_key_curve"] is None
    spki = f.certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert row["spki_sha256"] == hashlib.sha256(spki).hexdigest()
    # The issuer (root) is EC: the signature algorithm is the issuer's.
    assert (row["signature_algorithm"], row["signature_hash"]) == ("ecdsa-with-SHA256", "sha256")
    assert row["alternative_names"] == ["DNS:www.example.test", "DNS:example.test"]
    assert row["dns_names"] == ["www.example.test", "example.test"]
    assert (row["eku_present"], row["eku_critical"]) == (True, False)
    assert row["eku_oids"] == [EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid]
    assert row["eku_names"] == ["serverAuth", "clientAuth"]
    assert (row["ku_present"], row["ku_critical"]) == (True, True)
    assert row["key_usage"] == ["digital_signature", "key_encipherment"]  # bit order
    assert (row["bc_present"], row["bc_critical"], row["is_ca"]) == (True, True, False)
    assert row["path_length"] is None
    assert row["ns_cert_type"] is None and row["ms_application_policies"] is None
    assert row["unknown_critical_extensions"] == []
    assert row["decode_errors"] == [] and row["warnings"] == []
    assert compare_with_openssl(openssl_bin, f.certificate) == []


def test_spki_sha256_matches_openssl_pubkey(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, key_type="ec384")
    pub = subprocess.run(
        [openssl_bin, "x509", "-noout", "-pubkey"], input=f.pem, capture_output=True, check=True
    ).stdout
    der = subprocess.run(
        [openssl_bin, "pkey", "-pubin", "-outform", "DER"],
        input=pub,
        capture_output=True,
        check=True,
    ).stdout
    row = decode(f.certificate)
    assert row["spki_sha256"] == hashlib.sha256(der).hexdigest()
    assert (row["public_key_algorithm"], row["public_key_size"]) == ("EC", 384)
    assert row["public_key_curve"] == "secp384r1"


def test_ed25519_self_signed_negative_serial_every_san_type(openssl_bin: str) -> None:
    spec = CertSpec(
        common_name="odd.test",
        key_type="ed25519",
        serial_number=-10,
        sans=(
            "DNS:a.test",
            "IP:192.0.2.1",
            "IP:2001:db8::1",
            "email:a@b.test",
            "URI:https://a.test/x",
            "UPN:user@corp.test",
            "RID:1.2.3.4",
        ),
        ns_cert_type=frozenset({"ssl_server", "smime", "ssl_client"}),
        ms_application_policies=(EKU.CLIENT_AUTH.oid, EKU.MS_SMART_CARD_LOGON.oid),
        extra_extensions=((EXAMPLE_UNKNOWN_OID, True, b"\x05\x00"), ("2.25.7", False, b"\x05\x00")),
    )
    cert = forge(spec, seed="decode").certificate
    row = decode(cert)
    assert row["serial_number"] == "-0a"
    assert any(
        w.startswith("serial_number: CryptographyDeprecationWarning:") for w in row["warnings"]
    )
    assert (row["self_issued"], row["self_signed"]) == (True, True)
    assert (row["public_key_algorithm"], row["public_key_size"]) == ("Ed25519", 256)
    assert row["public_key_curve"] is None
    assert (row["signature_algorithm"], row["signature_hash"]) == ("ED25519", None)
    assert row["alternative_names"] == [
        "DNS:a.test",
        "IP:192.0.2.1",
        "IP:2001:db8::1",
        "email:a@b.test",
        "URI:https://a.test/x",
        "othername:UPN:user@corp.test",
        "RID:1.2.3.4",
    ]
    assert row["dns_names"] == ["a.test"]
    assert row["ns_cert_type"] == ["ssl_client", "ssl_server", "smime"]  # bit order
    assert row["ms_application_policies"] == [EKU.CLIENT_AUTH.oid, EKU.MS_SMART_CARD_LOGON.oid]
    assert (row["eku_present"], row["ku_present"], row["bc_present"]) == (False, False, False)
    assert (row["eku_oids"], row["key_usage"], row["is_ca"]) == ([], [], False)
    assert row["unknown_critical_extensions"] == [EXAMPLE_UNKNOWN_OID]
    assert EXAMPLE_UNKNOWN_OID in row["extension_oids"] and "2.25.7" in row["extension_oids"]
    assert row["decode_errors"] == []
    assert compare_with_openssl(openssl_bin, cert) == []


def test_v1_certificate_without_extensions(root: Forged, openssl_bin: str) -> None:
    f = leaf(root, version=1, signature_hash="sha1", key_type="rsa")
    row = decode(f.certificate)
    assert row["version"] == 1
    assert row["extension_oids"] == [] and row["alternative_names"] == []
    assert (row["san_present"], row["eku_present"], row["ku_present"], row["bc_present"]) == (
        False,
        False,
        False,
        False,
    )
    assert (row["signature_algorithm"], row["signature_hash"]) == ("ecdsa-with-SHA1", "sha1")
    assert row["ns_cert_type"] is None and row["ms_application_policies"] is None
    assert row["decode_errors"] == []
    assert compare_with_openssl(openssl_bin, f.certificate) == []


def test_eku_names_known_and_unknown_and_ku_bit_order(root: Forged, openssl_bin: str) -> None:
    f = leaf(
        root,
        eku=(EKU.CODE_SIGNING.oid, EXAMPLE_UNKNOWN_OID, EKU.MS_SGC.oid, EKU.ANY.oid),
        eku_critical=True,
        key_usage=frozenset({"decipher_only", "key_agreement", "content_commitment"}),
        ku_critical=False,
        ca=True,
        path_length=3,
        bc_critical=False,
    )
    row = decode(f.certificate)
    assert row["eku_names"] == ["codeSigning", EXAMPLE_UNKNOWN_OID, "msSGC", "anyExtendedKeyUsage"]
    assert row["eku_critical"] is True
    assert row["key_usage"] == ["content_commitment", "key_agreement", "decipher_only"]
    assert (row["ku_critical"], row["bc_critical"], row["is_ca"], row["path_length"]) == (
        False,
        False,
        True,
        3,
    )
    assert compare_with_openssl(openssl_bin, f.certificate) == []


def test_handled_critical_extensions_are_not_unknown(root: Forged) -> None:
    assert {EXT.KEY_USAGE.oid, EXT.BASIC_CONSTRAINTS.oid, EXT.EXTENDED_KEY_USAGE.oid} <= (
        HANDLED_CRITICAL_EXTENSIONS
    )
    assert EXT.SUBJECT_KEY_IDENTIFIER.oid not in HANDLED_CRITICAL_EXTENSIONS  # OpenSSL rejects it
    row = decode(leaf(root, eku=(EKU.SERVER_AUTH.oid,), eku_critical=True).certificate)
    assert row["unknown_critical_extensions"] == []  # KU, BC, EKU all critical here


def test_empty_eku_falls_back_to_der_for_the_san(root: Forged) -> None:
    sans = (
        "DNS:a.test",
        "IP:2001:db8::5",
        "email:e@a.test",
        "URI:urn:x",
        "UPN:u@a.test",
        "RID:1.2.9",
    )
    normal = decode(leaf(root, sans=sans).certificate)
    refused = decode(leaf(root, sans=sans, eku=()).certificate)
    assert normal["decode_errors"] == []
    assert refused["decode_errors"][0].startswith("extensions: ValueError")
    assert refused["alternative_names"] == normal["alternative_names"]
    assert refused["dns_names"] == ["a.test"]
    assert (refused["eku_present"], refused["eku_oids"]) == (True, [])
    assert (normal["eku_present"], normal["eku_oids"]) == (False, [])


def test_directory_name_and_name_attributes_match_openssl(openssl_bin: str) -> None:
    """Every NAME_ATTRIBUTE_SHORT_NAMES entry prints as openssl -nameopt RFC2253 does."""
    values = {
        "1.3.6.1.4.1.311.60.2.1.3": "US",
        "2.5.4.97": "VATDE-123",
        "1.2.840.113549.1.9.1": "pki@example.test",
    }
    attrs = [
        x509.NameAttribute(x509.ObjectIdentifier(oid), values.get(oid, f"v{i}"))
        for i, oid in enumerate(NAME_ATTRIBUTE_SHORT_NAMES)
    ]
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, 'Ünïcode, "quoted" + plus'))
    name = x509.Name(attrs)
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    dir_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Org"),
                          x509.NameAttribute(NameOID.COMMON_NAME, "dir")])  # fmt: skip
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DirectoryName(dir_name)]), False)
        .sign(key, hashes.SHA384())
    )
    row = decode(cert)
    assert "1.2.840" not in row["subject"] and "2.5.4" not in row["subject"]
    assert row["subject_cn"] == 'Ünïcode, "quoted" + plus'
    assert row["alternative_names"] == ["DirName:CN=dir,O=Org"]
    assert (row["signature_algorithm"], row["signature_hash"]) == ("ecdsa-with-SHA384", "sha384")
    assert compare_with_openssl(openssl_bin, cert) == []


# ----------------------------------------------------------------- forged: what breaks


def test_subject_that_fails_lazily_costs_only_its_fields(root: Forged) -> None:
    f = leaf(root, sans=("DNS:leaf.test",), eku=(EKU.SERVER_AUTH.oid,))
    der = f.der
    at = der.index(b"\x0c\x09leaf.test")
    bad = der[: at + 6] + b"\xff" + der[at + 7 :]  # invalid UTF-8 inside the subject CN
    cert = x509.load_der_x509_certificate(bad)
    with pytest.raises(ValueError):
        _ = cert.subject
    row = decode(cert)
    assert row["subject"] is None and row["subject_cn"] is None
    failed = sorted(e.split(":", 1)[0] for e in row["decode_errors"])
    assert failed == ["subject", "subject_cn"]
    assert all("ValueError" in e for e in row["decode_errors"])
    assert row["sha256"] == hashlib.sha256(bad).hexdigest()
    assert row["issuer"] == "CN=Decode Test Root"
    assert row["eku_names"] == ["serverAuth"] and row["dns_names"] == ["leaf.test"]


def test_malformed_san_is_a_named_error_and_the_row_survives(root: Forged) -> None:
    f = leaf(root, extra_extensions=((EXT.SUBJECT_ALTERNATIVE_NAME.oid, False, b"\x01\x01\xff"),))
    row = decode(f.certificate)
    failed = [e.split(":", 1)[0] for e in row["decode_errors"]]
    assert failed == ["extensions", "alternative_names"]
    assert "DerError" in row["decode_errors"][1]
    assert row["san_present"] is True
    assert row["alternative_names"] is None and row["dns_names"] is None
    assert row["subject"] == "CN=leaf.test" and row["sha256"] == f.sha256


def test_unknown_signature_algorithm_self_signed_is_unknown() -> None:
    f = forge(CertSpec(common_name="sig.test"), seed="decode-sig")
    ecdsa_sha256 = bytes.fromhex("2a8648ce3d040302")
    assert f.der.count(ecdsa_sha256) == 2  # TBS signature field and outer signatureAlgorithm
    cert = x509.load_der_x509_certificate(f.der.replace(ecdsa_sha256, ecdsa_sha256[:-1] + b"\x63"))
    row = decode(cert)
    assert row["signature_algorithm"] == "1.2.840.10045.4.3.99"
    assert row["self_issued"] is True and row["self_signed"] is None
    assert any(w.startswith("self_signed: cannot check the signature") for w in row["warnings"])
    assert [e.split(":", 1)[0] for e in row["decode_errors"]] == ["signature_hash"]
    assert row["signature_hash"] is None
    assert row["public_key_algorithm"] == "EC"


def test_tampered_signature_is_not_self_signed() -> None:
    f = forge(CertSpec(common_name="tamper.test"), seed="decode-tamper")
    der = f.der.replace(b"tamper.test", b"tamper.tesu")  # subject and issuer stay equal
    row = decode(x509.load_der_x509_certificate(der))
    assert row["self_issued"] is True and row["self_signed"] is False
    assert row["decode_errors"] == [] and row["warnings"] == []


def test_extension_facts_cannot_read_is_unknown_not_absent(root: Forged) -> None:
    f = leaf(
        root,
        extra_extensions=(
            (EXT.EXTENDED_KEY_USAGE.oid, True, b"\x30\x03\x06\x05\x2b"),  # OID overruns
            (EXT.BASIC_CONSTRAINTS.oid, False, b"\x04\x00"),  # not a SEQUENCE
        ),
    )
    row = decode(f.certificate)
    failed = [e.split(":", 1)[0] for e in row["decode_errors"]]
    assert failed == ["extendedKeyUsage", "basicConstraints", "extensions"]
    assert (row["eku_present"], row["eku_critical"], row["eku_oids"], row["eku_names"]) == (
        True,
        True,
        None,
        None,
    )
    assert (row["bc_present"], row["is_ca"], row["path_length"]) == (True, None, None)
    assert row["ku_present"] is False and row["key_usage"] == []
    assert row["subject"] == "CN=leaf.test"


@pytest.mark.parametrize("digest", ["md5", "sha1", "sha256"])
def test_self_signed_with_a_legacy_digest(openssl_bin: str, tmp_path: Path, digest: str) -> None:
    """cryptography gives no parameters for md5WithRSA; the row still says self-signed, as
    the inventory's link check (``chain.link_error``) does, and as ``openssl verify`` would."""
    key, pem = tmp_path / "k.pem", tmp_path / "c.pem"
    args = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", f"-{digest}", "-days", "9"]
    args += ["-subj", f"/CN={digest}.test", "-keyout", str(key), "-out", str(pem)]
    subprocess.run([openssl_bin, *args], check=True, capture_output=True)
    cert = x509.load_pem_x509_certificate(pem.read_bytes())
    row = decode(cert)
    assert row["signature_hash"] == digest
    assert row["self_signed"] is True
