"""certlib.sources: every input shape, every messy reality of real exports, every Problem kind.

Files are built by tests/support/builders.py (cryptography, SST and JKS writers) and by the
``openssl`` binary, the tool that makes most of these files in real life.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import builders as b
import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certlib import sources
from certlib.sources import (
    PROBLEM_KINDS,
    RECOMMENDED_POWERSHELL_EXPORT,
    WARNING_CODES,
    Found,
    Problem,
    read_bytes,
    read_certificates,
    read_path,
    sniff,
)
from certlib.sources.readers import archives

PASSWORD = "Tr0ub4dor&3-pw"


def ders(found: list[Found]) -> list[bytes]:
    return [f.der for f in found]


def kinds(problems: list[Problem]) -> list[str]:
    return [p.kind for p in problems]


def has_warning(found: Found, code: str) -> bool:
    assert code in WARNING_CODES
    return any(w.startswith(code + ":") for w in found.warnings)


def check_codes(found: list[Found]) -> None:
    for f in found:
        for w in f.warnings:
            assert w.split(":", 1)[0] in WARNING_CODES, w


# --------------------------------------------------------------------------- openssl fixtures


_OPENSSL_RECIPES = [
    # (command line, file to write from stdout or None); {d} is the fixture folder
    (f"pkcs12 -export -legacy {{common}} -name 'my friendly' -passout pass:{PASSWORD} "
     "-out {d}/legacy.p12", None),
    ("pkcs12 -export -legacy {common} -passout pass: -out {d}/empty.p12", None),
    ("pkcs12 -export {common} -passout pass: -out {d}/modern-empty.p12", None),
    ("pkcs12 -export {common} -nomac -keypbe NONE -certpbe NONE -passout pass: "
     "-out {d}/nomac.p12", None),
    ("pkcs12 -export {common} -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 "
     f"-passout pass:{PASSWORD} -out {{d}}/3des.p12", None),
    (f"pkcs12 -in {{d}}/legacy.p12 -nokeys -legacy -passin pass:{PASSWORD}", "bag.pem"),
    ("crl2pkcs7 -nocrl -certfile {d}/leaf.pem -certfile {d}/ca.pem -out {d}/bundle.p7b.pem", None),
    ("crl2pkcs7 -nocrl -certfile {d}/leaf.pem -certfile {d}/ca.pem -outform DER "
     "-out {d}/bundle.p7b", None),
    ("x509 -in {d}/leaf.pem -trustout -addtrust serverAuth -addreject emailProtection "
     "-setalias 'trusted alias' -out {d}/trusted.pem", None),
    ("req -new -key {d}/leaf.key -subj /CN=req -out {d}/req.csr", None),
    ("crl -in {d}/crl.pem -outform DER -out {d}/crl.der", None),
    ("ecparam -name prime256v1 -genkey -out {d}/ecparam.key", None),
    ("req -x509 -key {d}/ecparam.key -subj /CN=ecparam -days 2 -out {d}/ecparam.crt", None),
    ("pkey -in {d}/leaf.key -pubout -out {d}/pub.pem", None),
    ("x509 -in {d}/leaf.pem -outform DER -out {d}/leaf.der", None),
    ("x509 -req -in {d}/req.csr -CA {d}/ca.pem -CAkey {d}/ca.key -set_serial -1234 -days 2 "
     "-out {d}/serial-1234.pem", None),
    ("x509 -req -in {d}/req.csr -CA {d}/ca.pem -CAkey {d}/ca.key -set_serial 0 -days 2 "
     "-out {d}/serial0.pem", None),
]  # fmt: skip


@pytest.fixture(scope="session")
def ossl(openssl_bin: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files made by the openssl CLI, the way users make them."""
    d = tmp_path_factory.mktemp("openssl")
    leaf, ca, leaf_key = b.chain()
    (d / "leaf.pem").write_bytes(b.pem(leaf))
    (d / "ca.pem").write_bytes(b.pem(ca))
    (d / "leaf.key").write_bytes(b.key_pem(leaf_key))
    (d / "ca.key").write_bytes(b.key_pem(b.ec_key(1)))
    (d / "crl.pem").write_bytes(b.crl(ca, b.ec_key(1)).public_bytes(b.PEM))
    common = f"-inkey {d}/leaf.key -in {d}/leaf.pem -certfile {d}/ca.pem"
    for recipe, stdout_file in _OPENSSL_RECIPES:
        out = b.openssl(openssl_bin, *shlex.split(recipe.format(d=d, common=common)))
        if stdout_file:
            (d / stdout_file).write_bytes(out)
    return d


# --------------------------------------------------------------------------- sniff


def _sniff_cases() -> list[tuple[str, bytes, str]]:
    leaf, ca, key = b.chain()
    p12 = b.pkcs12_bytes(b"x", key, leaf)
    cases = [
        ("empty", b"", "empty"),
        ("whitespace", b"  \r\n\t", "empty"),
        ("pem", b.pem(leaf), "pem"),
        ("pem with preamble", b"Bag Attributes\n  friendlyName: x\n" + b.pem(leaf), "pem"),
        ("pkcs7 pem", b"-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n", "pkcs7-pem"),
        ("der", b.der(leaf), "der"),
        ("der over 1023 bytes", b.der(b.big_cert()), "der"),
        ("pkcs7 der", b.pkcs7_der(leaf, ca), "pkcs7-der"),
        ("pkcs12", p12, "pkcs12"),
        ("sst", b.sst_bytes([(b.CTX_CERT, b.der(leaf), {})]), "sst"),
        ("jks", b.jks_bytes([("trusted", "a", b.der(ca))]), "jks"),
        ("jceks", b.jks_bytes([("trusted", "a", b.der(ca))], magic=b"\xce" * 4), "jceks"),
        ("zip", b.zip_bytes({"a.pem": b.pem(leaf)}), "zip"),
        ("gzip", b"\x1f\x8b\x08\x00" + b"\x00" * 20, "gzip"),
        ("utf-16le bom", b.utf16(b.pem(leaf)), "pem"),
        ("utf-16be bom", b.utf16(b.pem(leaf), big_endian=True), "pem"),
        ("utf-16le no bom", b.utf16(b.pem(leaf), bom=False), "pem"),
        ("utf-16be no bom", b.utf16(b.pem(leaf), bom=False, big_endian=True), "pem"),
        ("utf-8 bom", b"\xef\xbb\xbf" + b.pem(leaf), "pem"),
        ("base64 der", b.b64(b.der(leaf)), "base64-der"),
        ("base64 pem", b.b64(b.pem(leaf)), "base64-pem"),
        ("base64 pkcs12", b.b64(p12), "base64-pkcs12"),
        ("json-escaped pem", json.dumps(b.pem(leaf).decode())[1:-1].encode(), "json-escaped-pem"),
        (
            "ps csv",
            b.powershell_csv([{"Thumbprint": "AB", "RawData": "System.Byte[]"}]),
            "powershell-csv",
        ),
        ("csv", b"name,cert\nx,MIIB\n", "csv"),
        ("k8s yaml", b.yaml_bytes(b.k8s_secret("s", {"tls.crt": b.pem(leaf)})), "k8s-secret-yaml"),
        ("k8s json", b.json_bytes(b.k8s_secret("s", {"tls.crt": b.pem(leaf)})), "k8s-secret-json"),
        ("kubeconfig", b"apiVersion: v1\nkind: Config\nclusters: []\n", "yaml"),
        ("other json", b'{"Certificate": "x"}', "json"),
        ("text", b"hello world, this is not a certificate\n", "text"),
        ("text starting with 0", b"0123 not DER\n", "text"),
        ("binary", bytes(range(200, 256)) * 3, "unknown"),
    ]
    return cases


@pytest.mark.parametrize(("name", "data", "expected"), _sniff_cases(), ids=lambda v: str(v)[:20])
def test_sniff_table(name: str, data: bytes, expected: str) -> None:
    assert sniff(data) == expected, name
    assert expected in sources.CONTAINERS


def test_sniff_uses_bytes_not_names(tmp_path: Path) -> None:
    """A .cer may be PEM or DER, a .jks may be PKCS#12 (misnamed exports are common)."""
    leaf, _, key = b.chain()
    (tmp_path / "pem.cer").write_bytes(b.pem(leaf))
    (tmp_path / "der.pem").write_bytes(b.der(leaf))
    (tmp_path / "store.jks").write_bytes(b.pkcs12_bytes(b"k", key, leaf, password=None))
    got = {Path(r.provenance.path).name: r.provenance.container for r in read_path(tmp_path)}
    assert got == {"pem.cer": "pem", "der.pem": "der", "store.jks": "pkcs12"}


def test_sniff_never_raises() -> None:
    for data in (b"\x30", b"\x30\x84\xff\xff\xff\xff", b"\xff\xfe\x00", b"PK", b"\x00" * 3):
        assert sniff(data) in sources.CONTAINERS


# --------------------------------------------------------------------------- PEM


def test_pem_bundle_keeps_order_and_indexes() -> None:
    leaf, ca, _ = b.chain()
    found, problems = read_bytes(b.pem(leaf, ca, leaf), "bundle.pem")
    assert problems == []
    assert ders(found) == [b.der(leaf), b.der(ca), b.der(leaf)]
    assert [f.provenance.index for f in found] == [0, 1, 2]
    assert {f.provenance.container for f in found} == {"pem"}
    assert all(f.provenance.path == "bundle.pem" for f in found)


def test_one_corrupt_block_does_not_lose_the_others() -> None:
    """cryptography's plural loader fails the whole file; we must not."""
    leaf, ca, _ = b.chain()
    bad = b.pem(ca).replace(b"\n", b"\n!!", 3)  # invalid base64 characters
    found, problems = read_bytes(b.pem(leaf) + bad + b.pem(ca), "mixed.pem")
    assert ders(found) == [b.der(leaf), b.der(ca)]
    assert [f.provenance.index for f in found] == [0, 2]
    assert kinds(problems) == ["corrupt"]
    assert problems[0].index == 1
    assert "PEM block 2" in problems[0].message and "line" in problems[0].message


def test_truncated_pem_block_is_reported_and_earlier_kept() -> None:
    leaf, ca, _ = b.chain()
    cut = b.pem(ca)[:200]
    found, problems = read_bytes(b.pem(leaf) + cut, "cut.pem")
    assert ders(found) == [b.der(leaf)]
    assert kinds(problems) == ["truncated"]


def test_pem_body_with_missing_lines_is_truncated_der() -> None:
    leaf, _, _ = b.chain()
    lines = b.pem(leaf).splitlines(keepends=True)
    found, problems = read_bytes(b"".join(lines[:3] + lines[-1:]))
    assert found == [] and kinds(problems) == ["truncated"]


def test_bag_attributes_preamble_gives_alias(ossl: Path) -> None:
    """`openssl pkcs12 -nokeys` output: Bag Attributes + subject=/issuer= lines (§3 row 3)."""
    found, problems = read_bytes((ossl / "bag.pem").read_bytes(), "bag.pem")
    assert problems == []
    aliases = {f.provenance.alias for f in found}
    assert "my friendly" in aliases
    assert len(found) == 2


def test_keytool_rfc_listing_alias() -> None:
    leaf, ca, _ = b.chain()
    text = (
        b"Keystore type: PKCS12\nKeystore provider: SUN\n\nYour keystore contains 2 entries\n\n"
        b"Alias name: myca\nCreation date: Nov 27, 2026\nEntry type: trustedCertEntry\n\n"
        + b.pem(ca)
        + b"\n\n"
        + b"*" * 43
        + b"\n"
        + b"*" * 43
        + b"\n\n\nAlias name: server\n"
        b"Entry type: PrivateKeyEntry\nCertificate chain length: 1\nCertificate[1]:\n" + b.pem(leaf)
    )
    found, problems = read_bytes(text)
    assert problems == []
    assert [f.provenance.alias for f in found] == ["myca", "server"]


@pytest.mark.parametrize(
    ("name", "transform", "note"),
    [
        ("crlf", b.crlf, "crlf"),
        ("utf8 bom", lambda t: b"\xef\xbb\xbf" + t, "utf8-bom"),
        ("utf16le bom crlf", lambda t: b.utf16(b.crlf(t)), "utf16"),
        ("utf16be bom", lambda t: b.utf16(t, big_endian=True), "utf16"),
        ("utf16le no bom", lambda t: b.utf16(t, bom=False), "utf16"),
        ("utf16be no bom", lambda t: b.utf16(t, bom=False, big_endian=True), "utf16"),
    ],
)
def test_text_encodings(name: str, transform, note: str) -> None:
    """PowerShell 5.1 `>`/Out-File writes UTF-16LE+BOM, certmgr writes CRLF (§3 rows 1, 2, 4)."""
    leaf, ca, _ = b.chain()
    found, problems = read_bytes(transform(b.pem(leaf, ca)))
    assert problems == [], name
    assert ders(found) == [b.der(leaf), b.der(ca)]
    assert all(has_warning(f, note) for f in found)


def test_single_line_and_indented_bodies() -> None:
    leaf, _, _ = b.chain()
    body = base64.b64encode(b.der(leaf))
    one_line = b"-----BEGIN CERTIFICATE-----\n" + body + b"\n-----END CERTIFICATE-----\n"
    indented = b"".join(b"    " + ln for ln in b.pem(leaf).splitlines(keepends=True))
    for data in (one_line, indented):
        found, problems = read_bytes(data)
        assert ders(found) == [b.der(leaf)] and problems == []


def test_json_escaped_pem_fragment() -> None:
    """testssl `pem_to_one_line` writes literal \\n (§3 row 19)."""
    leaf, ca, _ = b.chain()
    escaped = b.pem(leaf, ca).decode().replace("\n", "\\n").encode()
    found, problems = read_bytes(b'"cert": "' + escaped + b'"')
    assert problems == []
    assert ders(found) == [b.der(leaf), b.der(ca)]
    assert {f.provenance.container for f in found} == {"json-escaped-pem"}
    assert all(has_warning(f, "json-escaped") for f in found)


def test_testssl_json_document() -> None:
    leaf, ca, _ = b.chain()
    one_line = b.pem(leaf).decode().replace("\n", "\\n")  # testssl's literal backslash-n
    doc = [
        {"id": "cert_commonName", "finding": "leaf.example"},
        {"id": "cert", "finding": one_line},
        {"id": "intermediate_cert <#1>", "finding": b.pem(ca).decode()},
    ]
    found, problems = read_bytes(json.dumps(doc).encode(), "testssl.json")
    assert problems == []
    assert ders(found) == [b.der(leaf), b.der(ca)]
    assert [f.provenance.alias for f in found] == ["cert", "intermediate_cert <#1>"]
    assert {f.provenance.container for f in found} == {"json"}


def test_aws_acm_json_and_azure_cer() -> None:
    leaf, ca, _ = b.chain()
    acm = {"Certificate": b.pem(leaf).decode(), "CertificateChain": b.pem(ca).decode()}
    found, _ = read_bytes(json.dumps(acm).encode())
    assert [f.provenance.alias for f in found] == ["Certificate", "CertificateChain"]
    azure = {"id": "https://vault/certificates/x", "cer": base64.b64encode(b.der(leaf)).decode()}
    found, problems = read_bytes(json.dumps(azure).encode())
    assert ders(found) == [b.der(leaf)] and problems == []


def test_legacy_and_trusted_labels(ossl: Path) -> None:
    """`X509 CERTIFICATE` loads; `TRUSTED CERTIFICATE` carries OpenSSL aux trust (§3 row 6)."""
    leaf, _, _ = b.chain()
    legacy = b.pem(leaf).replace(b"CERTIFICATE", b"X509 CERTIFICATE")
    assert ders(read_bytes(legacy)[0]) == [b.der(leaf)]
    found, problems = read_bytes((ossl / "trusted.pem").read_bytes())
    assert problems == []
    assert ders(found) == [b.der(leaf)]  # the aux data is cut off: exact certificate DER
    f = found[0]
    assert f.provenance.alias == "trusted alias"
    assert any(w.startswith("openssl-trust:") and "serverAuth" in w for w in f.warnings)
    assert any(w.startswith("openssl-reject:") and "emailProtection" in w for w in f.warnings)


def test_pkcs7_inside_certificate_label() -> None:
    """ADCS certnew.p7b?Enc=b64 (§3 row 7)."""
    leaf, ca, _ = b.chain()
    body = base64.encodebytes(b.pkcs7_der(leaf, ca))
    data = b"-----BEGIN CERTIFICATE-----\n" + body + b"-----END CERTIFICATE-----\n"
    found, problems = read_bytes(data)
    assert problems == []
    assert set(ders(found)) == {b.der(leaf), b.der(ca)}
    assert all(has_warning(f, "pkcs7-in-certificate-label") for f in found)
    assert {f.provenance.container for f in found} == {"pkcs7-pem"}


# ------------------------------------------------------------------ keys and non-certificates


def test_cert_with_its_key_sets_has_private_key(ossl: Path) -> None:
    leaf, ca, key = b.chain()
    for data in (b.key_pem(key) + b.pem(leaf, ca), b.pem(leaf, ca) + b.key_pem(key)):
        found, problems = read_bytes(data)
        assert problems == []
        assert [f.provenance.has_private_key for f in found] == [True, False]


def test_cert_with_rsa_traditional_key() -> None:
    from cryptography.hazmat.primitives import serialization as s

    key = b.rsa_key()
    cert = b.make_cert("rsa.example", key=key)
    trad = key.private_bytes(b.PEM, s.PrivateFormat.TraditionalOpenSSL, s.NoEncryption())
    assert b"RSA PRIVATE KEY" in trad
    found, problems = read_bytes(b.pem(cert) + trad)
    assert problems == [] and found[0].provenance.has_private_key


@pytest.mark.parametrize("style", ["pkcs8", "traditional"])
def test_encrypted_key_needs_a_password(style: str) -> None:
    """PKCS#8 `ENCRYPTED PRIVATE KEY` and OpenSSL's `Proc-Type: 4,ENCRYPTED` headers."""
    from cryptography.hazmat.primitives import serialization as s

    leaf, _, key = b.chain()
    if style == "pkcs8":
        key_text = b.key_pem(key, PASSWORD.encode())
    else:
        enc = s.BestAvailableEncryption(PASSWORD.encode())
        key_text = key.private_bytes(b.PEM, s.PrivateFormat.TraditionalOpenSSL, enc)
        assert b"Proc-Type: 4,ENCRYPTED" in key_text
    data = b.pem(leaf) + key_text
    found, problems = read_bytes(data, passwords=[PASSWORD])
    assert problems == [] and found[0].provenance.has_private_key
    found, problems = read_bytes(data)
    assert problems == []
    assert not found[0].provenance.has_private_key
    assert has_warning(found[0], "unmatched-key")


def test_key_that_matches_no_certificate_is_a_problem() -> None:
    leaf, _, _ = b.chain()
    found, problems = read_bytes(b.pem(leaf) + b.key_pem(b.ec_key(9)))
    assert len(found) == 1 and not found[0].provenance.has_private_key
    assert kinds(problems) == ["not-a-certificate"]
    assert "matches none" in problems[0].message


def test_lone_private_key_pem_and_der() -> None:
    _, _, key = b.chain()
    for data in (b.key_pem(key), b.key_der(key), b.key_pem(key, PASSWORD.encode())):
        found, problems = read_bytes(data, passwords=[PASSWORD])
        assert found == []
        assert kinds(problems) == ["not-a-certificate"]
        assert "private key" in problems[0].message


def test_ec_parameters_next_to_key_and_cert_are_quiet(ossl: Path) -> None:
    data = (ossl / "ecparam.key").read_bytes() + (ossl / "ecparam.crt").read_bytes()
    assert b"EC PARAMETERS" in data
    found, problems = read_bytes(data)
    assert problems == [] and found[0].provenance.has_private_key


@pytest.mark.parametrize(
    ("file", "what"),
    [
        ("req.csr", "signing request"),
        ("crl.pem", "CRL"),
        ("crl.der", "CRL"),
        ("pub.pem", "public key"),
    ],
)
def test_non_certificates_are_problems(ossl: Path, file: str, what: str) -> None:
    found, problems = read_bytes((ossl / file).read_bytes(), file)
    assert found == []
    assert kinds(problems) == ["not-a-certificate"]
    assert what in problems[0].message


def test_der_csr_and_crl_recognised(ossl: Path) -> None:
    _leaf, ca, key = b.chain()
    for data, what in (
        (b.csr(key).public_bytes(b.DER), "signing request"),
        (b.crl(ca, b.ec_key(1)).public_bytes(b.DER), "CRL"),
    ):
        found, problems = read_bytes(data)
        assert found == [] and kinds(problems) == ["not-a-certificate"]
        assert what in problems[0].message


def test_csr_between_certificates() -> None:
    leaf, ca, key = b.chain()
    data = b.pem(leaf) + b.csr(key).public_bytes(b.PEM) + b.pem(ca)
    found, problems = read_bytes(data)
    assert ders(found) == [b.der(leaf), b.der(ca)]
    assert [(p.kind, p.index) for p in problems] == [("not-a-certificate", 1)]


def test_unknown_pem_label() -> None:
    data = b"-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n"
    found, problems = read_bytes(data)
    assert found == [] and problems[0].kind in ("corrupt", "truncated", "not-a-certificate")


# --------------------------------------------------------------------------- DER


def test_der_certificate_and_concatenated_der() -> None:
    leaf, ca, _ = b.chain()
    found, problems = read_bytes(b.der(leaf) + b.der(ca))
    assert ders(found) == [b.der(leaf), b.der(ca)] and problems == []


def test_der_with_trailing_newline() -> None:
    """cryptography says ExtraData; we cut the element and warn."""
    leaf, _, _ = b.chain()
    found, problems = read_bytes(b.der(leaf) + b"\r\n")
    assert ders(found) == [b.der(leaf)] and problems == []
    assert has_warning(found[0], "trailing-data")


def test_large_der_is_not_mistaken_for_pkcs12() -> None:
    cert = b.big_cert()
    assert len(b.der(cert)) > 1023
    found, problems = read_bytes(b.der(cert))
    assert ders(found) == [b.der(cert)] and problems == []


def test_truncated_der() -> None:
    leaf, _, _ = b.chain()
    found, problems = read_bytes(b.der(leaf)[:-10])
    assert found == [] and kinds(problems) == ["truncated"]


@pytest.mark.parametrize("form", ["non-minimal", "indefinite"])
def test_ber_certificate_is_kept_with_a_warning(form: str) -> None:
    """Non-DER lengths: cryptography refuses, the certificate must still be counted (§3 row 9)."""
    leaf, _, _ = b.chain()
    raw = b.der(leaf)
    body = raw[4:] if raw[1] == 0x82 else raw[3:]
    if form == "non-minimal":
        data = b"\x30\x83" + len(body).to_bytes(3, "big") + body
    else:
        data = b"\x30\x80" + body + b"\x00\x00"
    found, problems = read_bytes(data)
    assert problems == []
    assert ders(found) == [data]  # the original bytes, to fingerprint
    assert has_warning(found[0], "not-der")


@pytest.mark.parametrize("serial", ["-1234", "0"])
def test_nonpositive_serial_is_flagged_not_dropped(ossl: Path, serial: str) -> None:
    """§3 row 10: cryptography warns, Go refuses; we keep the row and warn."""
    found, problems = read_bytes((ossl / f"serial{serial}.pem").read_bytes())
    assert problems == [] and len(found) == 1
    assert has_warning(found[0], "nonpositive-serial")


def test_lazily_failing_extension_still_found() -> None:
    """§3 row 11: the SAN holds a BOOLEAN; loading works, `.extensions` would raise."""
    cert = b.san_boolean_cert()
    found, problems = read_bytes(b.pem(cert))
    assert ders(found) == [b.der(cert)] and problems == []


# --------------------------------------------------------------------------- PKCS#7


@pytest.mark.parametrize("file", ["bundle.p7b.pem", "bundle.p7b"])
def test_openssl_pkcs7_ber_warning_recorded(ossl: Path, file: str) -> None:
    """crl2pkcs7 writes an unsorted SET OF: cryptography's BER fallback warns (§3 row 8)."""
    leaf, ca, _ = b.chain()
    found, problems = read_bytes((ossl / file).read_bytes(), file)
    assert problems == []
    assert set(ders(found)) == {b.der(leaf), b.der(ca)}  # a SET OF: order not relied on
    expected = "pkcs7-pem" if file.endswith(".pem") else "pkcs7-der"
    assert {f.provenance.container for f in found} == {expected}
    assert all(has_warning(f, "ber-fallback") for f in found)


def test_pkcs7_written_by_cryptography_has_no_warning() -> None:
    leaf, ca, _ = b.chain()
    found, problems = read_bytes(b.pkcs7_der(leaf, ca))
    assert problems == [] and all(f.warnings == () for f in found)


def test_pkcs7_without_certificates(openssl_bin: str) -> None:
    empty = b.openssl(openssl_bin, "crl2pkcs7", "-nocrl", "-outform", "DER")
    found, problems = read_bytes(empty)
    assert found == [] and kinds(problems) == ["empty"]


def test_pkcs7_with_a_broken_certificate_keeps_the_others() -> None:
    """cryptography refuses the whole bundle; cutting certificates out by hand keeps the rest."""
    leaf, ca, _ = b.chain()
    raw = b.der(ca)
    not_before = raw.index(b"\x17\x0d") + 2
    broken = raw[:not_before] + b"99999999ZZZZ" + raw[not_before + 12 :]  # impossible UTCTime
    data = _rewrap_pkcs7([b.der(leaf), broken])
    found, problems = read_bytes(data)
    assert problems == []
    assert ders(found) == [b.der(leaf), broken]
    assert all(has_warning(f, "pkcs7-by-hand") for f in found)
    assert has_warning(found[1], "not-der") and not has_warning(found[0], "not-der")


def test_pkcs7_ber_certificate_is_reencoded_by_cryptography() -> None:
    """A BER certificate inside a PKCS#7 comes back as DER (cryptography re-encodes it)."""
    leaf, ca, _ = b.chain()
    raw = b.der(ca)
    body = raw[4:] if raw[1] == 0x82 else raw[3:]
    found, problems = read_bytes(_rewrap_pkcs7([b.der(leaf), b"\x30\x80" + body + b"\x00\x00"]))
    assert problems == [] and ders(found) == [b.der(leaf), raw]
    assert all(has_warning(f, "ber-fallback") for f in found)


def _rewrap_pkcs7(certs: list[bytes]) -> bytes:
    """A minimal SignedData around arbitrary certificate encodings (indefinite lengths)."""
    oid_signed = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02"
    oid_data = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01"
    signed = (
        b"\x30\x80"
        + b"\x02\x01\x01"
        + b"\x31\x00"
        + b"\x30\x80"
        + oid_data
        + b"\x00\x00"
        + b"\xa0\x80"
        + b"".join(certs)
        + b"\x00\x00"
        + b"\x31\x00"
        + b"\x00\x00"
    )
    return b"\x30\x80" + oid_signed + b"\xa0\x80" + signed + b"\x00\x00" + b"\x00\x00"


# --------------------------------------------------------------------------- PKCS#12


def test_legacy_rc2_pkcs12_with_password(ossl: Path) -> None:
    """`openssl pkcs12 -export -legacy`: RC2-40 certificate bag (§3 row 12)."""
    leaf, ca, _ = b.chain()
    found, problems = read_bytes((ossl / "legacy.p12").read_bytes(), passwords=[PASSWORD])
    assert problems == []
    by_der = {f.der: f.provenance for f in found}
    assert by_der[b.der(leaf)].alias == "my friendly"
    assert by_der[b.der(leaf)].has_private_key is True
    assert by_der[b.der(ca)].has_private_key is False
    assert {p.container for p in by_der.values()} == {"pkcs12"}


@pytest.mark.parametrize("file", ["empty.p12", "modern-empty.p12", "nomac.p12"])
def test_pkcs12_empty_or_no_password(ossl: Path, file: str) -> None:
    """Empty vs absent password are different encodings: both are tried (§3 row 14)."""
    found, problems = read_bytes((ossl / file).read_bytes(), passwords=["wrong"])
    assert problems == [] and len(found) == 2


def test_pkcs12_password_with_trailing_newline(ossl: Path) -> None:
    """A password read from a file or Secret often ends in \\n (§3 row 15)."""
    found, problems = read_bytes((ossl / "3des.p12").read_bytes(), passwords=[PASSWORD + "\r\n"])
    assert problems == [] and len(found) == 2


def test_pkcs12_wrong_password(ossl: Path) -> None:
    found, problems = read_bytes(
        (ossl / "legacy.p12").read_bytes(), passwords=["nope", b"also-wrong"]
    )
    assert found == []
    assert kinds(problems) == ["bad-password"]
    assert problems[0].message == (
        "wrong password or unsupported legacy encryption "
        "(tried 2 supplied password(s), empty and none)"
    )
    _, problems = read_bytes((ossl / "legacy.p12").read_bytes(), passwords=["nope\r\n"])
    assert "tried 1 supplied password(s)" in problems[0].message  # the CR/LF retry is not extra


def test_pkcs12_legacy_without_legacy_provider(ossl: Path) -> None:
    """With the legacy provider off, RC2-40 fails like a wrong password."""
    code = (
        "import sys; from certlib.sources import read_bytes;"
        f"f, p = read_bytes(open(sys.argv[1], 'rb').read(), passwords=[{PASSWORD!r}]);"
        "print(p[0].kind if p else 'ok')"
    )
    env = {**os.environ, "CRYPTOGRAPHY_OPENSSL_NO_LEGACY": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(ossl / "legacy.p12")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == "bad-password"


def test_pkcs12_trust_only_store() -> None:
    """keytool's trust-only .p12: cert=None, everything in additional_certs (§3 row 24)."""
    _, ca, _ = b.chain()
    data = b.pkcs12_bytes(None, None, None, [pkcs12.PKCS12Certificate(ca, b"myca")])
    found, problems = read_bytes(data, passwords=["secret"])
    assert problems == []
    assert [(f.der, f.provenance.alias, f.provenance.has_private_key) for f in found] == [
        (b.der(ca), "myca", False)
    ]


def test_pkcs12_truncated_and_corrupt(ossl: Path) -> None:
    data = (ossl / "legacy.p12").read_bytes()
    found, problems = read_bytes(data[: len(data) // 2], passwords=[PASSWORD])
    assert found == [] and kinds(problems) == ["truncated"]
    broken = data[:40] + bytes(200) + data[240:]
    found, problems = read_bytes(broken, passwords=[PASSWORD])
    assert found == [] and problems[0].kind in ("corrupt", "bad-password")


def test_same_certificate_gives_same_der_in_every_container(ossl: Path) -> None:
    """Deduplication downstream keys on the exact DER (§3 row 21)."""
    leaf, _, _ = b.chain()
    seen = set()
    for file in ("leaf.pem", "leaf.der", "legacy.p12", "bundle.p7b", "bag.pem"):
        found, _ = read_bytes((ossl / file).read_bytes(), passwords=[PASSWORD])
        seen |= {f.der for f in found if f.der == b.der(leaf)}
    assert seen == {b.der(leaf)}


# --------------------------------------------------------------------------- SST


def test_sst_friendly_name_key_and_properties() -> None:
    leaf, ca, _ = b.chain()
    eku = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    data = b.sst_bytes(
        [
            (
                b.CTX_CERT,
                b.der(leaf),
                b.sst_cert_props(b.der(leaf), name="Web ☃", has_key=True, eku=eku),
            ),
            (b.CTX_CERT, b.der(ca), {}),  # no properties: must not inherit the leaf's
        ]
    )
    found, problems = read_bytes(data, "store.sst")
    assert problems == []
    first, second = found
    assert first.der == b.der(leaf) and second.der == b.der(ca)
    assert first.provenance.alias == "Web ☃" and first.provenance.has_private_key
    assert second.provenance.alias is None and not second.provenance.has_private_key
    assert {f.provenance.container for f in found} == {"sst"}
    eku_notes = [w for w in first.warnings if w.startswith("store-eku-restriction:")]
    assert eku_notes and "serverAuth" in eku_notes[0] and "clientAuth" in eku_notes[0]


def test_sst_sha1_mismatch_and_archived_warn() -> None:
    leaf, _, _ = b.chain()
    props = b.sst_cert_props(b.der(leaf), sha1=b"\x00" * 20, archived=True)
    found, problems = read_bytes(b.sst_bytes([(b.CTX_CERT, b.der(leaf), props)]))
    assert problems == []
    assert has_warning(found[0], "sst-sha1-mismatch") and has_warning(found[0], "archived")
    good = b.sst_cert_props(b.der(leaf))
    found, _ = read_bytes(b.sst_bytes([(b.CTX_CERT, b.der(leaf), good)]))
    assert found[0].warnings == ()


def test_sst_crl_element_and_truncation() -> None:
    leaf, ca, _ = b.chain()
    crl_der = b.crl(ca, b.ec_key(1)).public_bytes(b.DER)
    data = b.sst_bytes(
        [(b.CTX_CERT, b.der(leaf), {}), (b.CTX_CRL, crl_der, {}), (b.CTX_CERT, b.der(ca), {})]
    )
    found, problems = read_bytes(data)
    assert ders(found) == [b.der(leaf), b.der(ca)]
    assert kinds(problems) == ["not-a-certificate"] and "CRL" in problems[0].message
    cut = data[: len(data) - 12 - 100]  # inside the last certificate
    found, problems = read_bytes(cut)
    assert ders(found) == [b.der(leaf)]
    assert kinds(problems) == ["not-a-certificate", "truncated"]
    no_end = data[:-12]
    found, problems = read_bytes(no_end)
    assert len(found) == 2 and "truncated" in kinds(problems)


def test_sst_empty_store() -> None:
    found, problems = read_bytes(b.sst_bytes([]))
    assert found == [] and kinds(problems) == ["empty"]


# --------------------------------------------------------------------------- JKS


def test_jks_trusted_and_key_entries_without_password() -> None:
    leaf, ca, _ = b.chain()
    data = b.jks_bytes(
        [
            ("trusted", "myca", b.der(ca)),
            ("key", "server", b"\x30\x03\x02\x01\x00", [b.der(leaf), b.der(ca)]),
        ],
        password="store-pass-42",
    )
    found, problems = read_bytes(data, "keystore.jks")
    assert problems == []
    got = [(f.der, f.provenance.alias, f.provenance.has_private_key) for f in found]
    assert got == [
        (b.der(ca), "myca", False),
        (b.der(leaf), "server", True),
        (b.der(ca), "server", False),
    ]
    assert all(has_warning(f, "keystore-unverified") for f in found)
    found, _ = read_bytes(data, passwords=["store-pass-42"])
    assert all(not has_warning(f, "keystore-unverified") for f in found)


def test_jks_version1_changeit_and_truncated() -> None:
    _, ca, _ = b.chain()
    data = b.jks_bytes([("trusted", "a", b.der(ca))], version=1)
    found, problems = read_bytes(data)
    assert problems == [] and found[0].warnings == ()  # "changeit" verifies
    found, problems = read_bytes(data[:-30])
    assert found == [] and kinds(problems) == ["truncated"]
    found, problems = read_bytes(data[:-10])  # digest cut: certificates were all read
    assert len(found) == 1 and kinds(problems) == ["truncated"]


def test_jceks_secret_entry_is_unsupported() -> None:
    _, ca, _ = b.chain()
    data = b.jks_bytes(
        [("trusted", "a", b.der(ca)), ("secret", "s", b"\x73\x72" * 10)], magic=b"\xce" * 4
    )
    found, problems = read_bytes(data)
    assert ders(found) == [b.der(ca)] and found[0].provenance.container == "jceks"
    assert kinds(problems) == ["unsupported"] and "secret key" in problems[0].message


def test_real_keytool_jks(tmp_path: Path) -> None:
    assert shutil.which("keytool"), "needs Java's keytool (scripts/system-deps.sh installs it)"
    ks = tmp_path / "real.jks"
    subprocess.run(
        [
            "keytool",
            "-genkeypair",
            "-keystore",
            str(ks),
            "-storetype",
            "JKS",
            "-storepass",
            "s3cretpw",
            "-keypass",
            "s3cretpw",
            "-alias",
            "server",
            "-keyalg",
            "EC",
            "-dname",
            "CN=server",
            "-validity",
            "2",
        ],
        check=True,
        capture_output=True,
    )
    found, problems = read_bytes(ks.read_bytes(), passwords=["s3cretpw"])
    assert problems == []
    assert [(f.provenance.alias, f.provenance.has_private_key) for f in found] == [("server", True)]
    assert found[0].warnings == ()


# --------------------------------------------------------------------------- base64


def test_bare_base64_der_and_double_base64_pem() -> None:
    """Azure `cer` / many APIs, and Kubernetes `data:` (§3 row 20)."""
    leaf, ca, _ = b.chain()
    found, problems = read_bytes(base64.encodebytes(b.der(leaf)))
    assert ders(found) == [b.der(leaf)] and problems == []
    assert found[0].provenance.container == "base64-der"
    found, problems = read_bytes(b.b64(b.pem(leaf, ca)))
    assert ders(found) == [b.der(leaf), b.der(ca)] and problems == []
    assert {f.provenance.container for f in found} == {"base64-pem"}


def test_base64_of_pkcs12(ossl: Path) -> None:
    found, problems = read_bytes(b.b64((ossl / "legacy.p12").read_bytes()), passwords=[PASSWORD])
    assert problems == [] and {f.provenance.container for f in found} == {"base64-pkcs12"}


# --------------------------------------------------------------------------- PowerShell CSV


def _recommended_rows() -> list[dict[str, str]]:
    leaf, ca, _ = b.chain()
    return [
        {
            "RawDataB64": base64.b64encode(b.der(leaf)).decode(),
            "NotAfterUtc": "2027-01-01T00:00:00.0000000Z",
            "EKU": "1.3.6.1.5.5.7.3.1",
            "DnsNames": "leaf.example",
            "HasPrivateKey": "True",
            "FriendlyName": "IIS binding",
            "Thumbprint": hashlib.sha1(b.der(leaf)).hexdigest().upper(),
            "PSParentPath": "Microsoft.PowerShell.Security\\Certificate::LocalMachine\\My",
        },
        {
            "RawDataB64": base64.b64encode(b.der(ca)).decode(),
            "NotAfterUtc": "",
            "EKU": "",
            "DnsNames": "",
            "HasPrivateKey": "False",
            "FriendlyName": "",
            "Thumbprint": "",
            "PSParentPath": "",
        },
    ]


@pytest.mark.parametrize("type_line", [True, False])
def test_powershell_csv_recommended_export(type_line: bool) -> None:
    leaf, ca, _ = b.chain()
    data = b.powershell_csv(_recommended_rows(), type_line=type_line)
    found, problems = read_bytes(data, "certs.csv")
    assert problems == []
    assert [
        (f.der, f.provenance.alias, f.provenance.has_private_key, f.provenance.index) for f in found
    ] == [(b.der(leaf), "IIS binding", True, 0), (b.der(ca), None, False, 1)]
    assert {f.provenance.container for f in found} == {"powershell-csv"}


def test_powershell_default_export_csv_is_metadata_only() -> None:
    """`Get-ChildItem Cert:\\… | Export-Csv`: RawData becomes the text System.Byte[] (§1.2)."""
    rows = [
        {
            "Subject": "CN=a",
            "RawData": "System.Byte[]",
            "Thumbprint": "AB",
            "HasPrivateKey": "True",
        },
        {
            "Subject": "CN=b",
            "RawData": "System.Byte[]",
            "Thumbprint": "CD",
            "HasPrivateKey": "False",
        },
    ]
    found, problems = read_bytes(b.powershell_csv(rows))
    assert found == []
    assert kinds(problems) == ["unsupported"]
    assert "metadata only" in problems[0].message
    assert "ToBase64String($_.RawData)" in problems[0].message
    assert RECOMMENDED_POWERSHELL_EXPORT in problems[0].message


def test_csv_with_pem_column_semicolons_and_utf16() -> None:
    leaf, _, _ = b.chain()
    pem_cell = b.pem(leaf).decode().replace('"', '""')
    text = f'name;certificate\r\nweb;"{pem_cell}"\r\n'.encode()
    for data in (text, b.utf16(text)):
        found, problems = read_bytes(data)
        assert ders(found) == [b.der(leaf)] and problems == []
        assert found[0].provenance.container == "csv"


def test_csv_rows_without_certificate() -> None:
    rows = _recommended_rows()
    rows[1]["RawDataB64"] = ""
    found, problems = read_bytes(b.powershell_csv(rows))
    assert len(found) == 1 and kinds(problems) == ["empty"] and "row" in problems[0].message


# --------------------------------------------------------------------------- Kubernetes


def _tls_secret(name: str = "web-tls", namespace: str = "prod") -> dict:
    leaf, ca, key = b.chain()
    return b.k8s_secret(
        name,
        {"tls.crt": b.pem(leaf, ca), "tls.key": b.key_pem(key), "ca.crt": b.pem(ca)},
        namespace=namespace,
    )


@pytest.mark.parametrize(
    ("render", "container"), [(b.yaml_bytes, "k8s-secret-yaml"), (b.json_bytes, "k8s-secret-json")]
)
def test_k8s_tls_secret(render, container: str) -> None:
    leaf, ca, _ = b.chain()
    found, problems = read_bytes(render(_tls_secret()), "secret")
    assert problems == []
    got = [(f.der, f.provenance.alias, f.provenance.has_private_key) for f in found]
    assert got == [
        (b.der(leaf), "tls.crt", True),
        (b.der(ca), "tls.crt", False),
        (b.der(ca), "ca.crt", False),
    ]
    assert {f.provenance.container for f in found} == {container}


def test_k8s_list_and_multi_document_yaml() -> None:
    doc = {"apiVersion": "v1", "kind": "List", "items": [_tls_secret("a"), _tls_secret("b")]}
    for data in (b.yaml_bytes(doc), b.json_bytes(doc)):
        found, problems = read_bytes(data)
        assert problems == []
        aliases = [f.provenance.alias for f in found]
        assert aliases[:3] == ["prod/a/tls.crt", "prod/a/tls.crt", "prod/a/ca.crt"]
        assert aliases[3] == "prod/b/tls.crt"
    multi = b.yaml_bytes(_tls_secret("a")) + b"---\n" + b.yaml_bytes(_tls_secret("b"))
    found, _ = read_bytes(multi)
    assert len(found) == 6 and found[-1].provenance.alias == "prod/b/ca.crt"


def test_k8s_string_data_and_keystore_with_sibling_password() -> None:
    leaf, ca, key = b.chain()
    p12 = b.pkcs12_bytes(b"server", key, leaf, [ca], password=PASSWORD.encode())
    doc = b.k8s_secret(
        "ks",
        {"keystore.p12": p12, "keystore-password": PASSWORD.encode() + b"\n"},
        string_data={"extra-ca.crt": b.pem(ca)},
    )
    found, problems = read_bytes(b.yaml_bytes(doc))
    assert problems == []
    aliases = [(f.provenance.alias, f.provenance.has_private_key) for f in found]
    assert aliases == [
        ("keystore.p12/server", True),
        ("keystore.p12", False),
        ("extra-ca.crt", None),  # plain PEM cannot say: unknown
    ]


def test_k8s_secret_without_certificates() -> None:
    doc = b.k8s_secret("opaque", {"token": b"abc", "password": b"hunter22"})
    found, problems = read_bytes(b.yaml_bytes(doc))
    assert found == [] and kinds(problems) == ["not-a-certificate"]
    assert "hunter22" not in problems[0].message


def test_kubeconfig_certificate_data() -> None:
    leaf, ca, _ = b.chain()
    text = (
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
        f"    certificate-authority-data: {base64.b64encode(b.pem(ca)).decode()}\n"
        "users:\n- name: u\n  user:\n"
        f"    client-certificate-data: {base64.b64encode(b.pem(leaf)).decode()}\n"
    ).encode()
    found, problems = read_bytes(text)
    assert problems == []
    assert [(f.der, f.provenance.alias) for f in found] == [
        (b.der(ca), "certificate-authority-data"),
        (b.der(leaf), "client-certificate-data"),
    ]


def test_bad_yaml_with_pem_falls_back_to_the_pem_blocks() -> None:
    leaf, _, _ = b.chain()
    block = "".join("    " + ln for ln in b.pem(leaf).decode().splitlines(keepends=True))
    data = f"apiVersion: v1\nkind: ConfigMap\ndata:\n  ca.crt: |\n{block}  bad: [\n".encode()
    found, problems = read_bytes(data)
    assert ders(found) == [b.der(leaf)] and problems == []
    assert has_warning(found[0], "yaml-unparsed")


def test_bad_yaml_is_corrupt_without_echoing_content() -> None:
    data = b"apiVersion: v1\nkind: Secret\ndata:\n  tls.key: [unclosed SECRETVALUE\n"
    found, problems = read_bytes(data)
    assert found == [] and kinds(problems) == ["corrupt"]
    assert "SECRETVALUE" not in problems[0].message and "line" in problems[0].message


# --------------------------------------------------------------------------- zip


def test_nested_zip_paths() -> None:
    leaf, ca, _ = b.chain()
    inner = b.zip_bytes({"deep/c.pem": b.pem(ca)})
    outer = b.zip_bytes({"dir/a.pem": b.pem(leaf), "b.zip": inner, "dir/": b""})
    found, problems = read_bytes(outer, "a.zip")
    assert problems == []
    assert [f.provenance.path for f in found] == ["a.zip!dir/a.pem", "a.zip!b.zip!deep/c.pem"]
    assert [f.provenance.container for f in found] == ["pem", "pem"]


def test_zip_depth_limit() -> None:
    leaf, _, _ = b.chain()
    data = b.zip_bytes({"leaf.pem": b.pem(leaf)})
    for level in range(3):
        data = b.zip_bytes({f"z{level}.zip": data})
    found, problems = read_bytes(data, "top.zip")
    assert found == []
    assert kinds(problems) == ["zip-limit"]
    assert problems[0].path == "top.zip!z2.zip!z1.zip!z0.zip"


def test_zip_member_and_size_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    leaf, _, _ = b.chain()
    data = b.zip_bytes({f"{i}.pem": b.pem(leaf) for i in range(5)})
    monkeypatch.setattr(archives, "MAX_ZIP_MEMBERS", 3)
    found, problems = read_bytes(data)
    assert len(found) == 3 and kinds(problems) == ["zip-limit"]
    monkeypatch.setattr(archives, "MAX_ZIP_MEMBERS", 10_000)
    monkeypatch.setattr(archives, "MAX_ZIP_TOTAL_BYTES", 2 * len(b.pem(leaf)) + 10)
    found, problems = read_bytes(data)
    assert len(found) == 2 and kinds(problems) == ["zip-limit"]


def test_zip_bomb_ratio() -> None:
    leaf, _, _ = b.chain()
    data = b.zip_bytes({"zeros.bin": bytes(3 * 1024 * 1024), "ok.pem": b.pem(leaf)})
    found, problems = read_bytes(data, "bomb.zip")
    assert ders(found) == [b.der(leaf)]
    assert kinds(problems) == ["zip-limit"] and "ratio" in problems[0].message
    assert problems[0].path == "bomb.zip!zeros.bin"


def test_zip_corrupt_truncated_and_empty() -> None:
    leaf, _, _ = b.chain()
    data = b.zip_bytes({"a.pem": b.pem(leaf)}, compression=zipfile.ZIP_STORED)
    found, problems = read_bytes(data[: len(data) // 2])
    assert found == [] and kinds(problems) == ["truncated"]
    found, problems = read_bytes(b.zip_bytes({}))
    assert found == [] and kinds(problems) == ["empty"]
    at = data.index(b"-----BEGIN")
    damaged = data[:at] + b"X" + data[at + 1 :]  # CRC no longer matches
    found, problems = read_bytes(damaged)
    assert found == [] and kinds(problems) == ["corrupt"]


def test_damaged_zip_member_does_not_lose_the_others() -> None:
    leaf, ca, _ = b.chain()
    data = bytearray(b.zip_bytes({"a.pem": b.pem(leaf) * 3, "b.pem": b.pem(ca)}))
    start = 30 + len("a.pem")  # first local header has no extra field
    data[start + 2 : start + 40] = b"\xff" * 38  # garbage deflate stream
    found, problems = read_bytes(bytes(data), "d.zip")
    assert ders(found) == [b.der(ca)]
    assert [(p.path, p.kind) for p in problems] == [("d.zip!a.pem", "corrupt")]


def test_csv_with_bare_carriage_return() -> None:
    rows = _recommended_rows()
    rows[1]["FriendlyName"] = "odd\rname"
    data = b.powershell_csv(rows).replace(b'"odd\rname"', b"odd\rname")
    found, problems = read_bytes(data)
    assert found and all(p.kind in PROBLEM_KINDS for p in problems)


def test_encrypted_zip_member(tmp_path: Path) -> None:
    assert shutil.which("zip"), "needs Info-ZIP zip (scripts/system-deps.sh installs it)"
    leaf, _, _ = b.chain()
    (tmp_path / "leaf.pem").write_bytes(b.pem(leaf))
    archive = tmp_path / "locked.zip"
    subprocess.run(
        ["zip", "-q", "-P", PASSWORD, str(archive), "leaf.pem"], cwd=tmp_path, check=True
    )
    found, problems = read_bytes(archive.read_bytes(), "locked.zip", passwords=["x", PASSWORD])
    assert ders(found) == [b.der(leaf)] and problems == []
    found, problems = read_bytes(archive.read_bytes(), "locked.zip", passwords=["wrong"])
    assert found == [] and kinds(problems) == ["bad-password"]
    assert problems[0].path == "locked.zip!leaf.pem" and PASSWORD not in problems[0].message


# --------------------------------------------------------------------------- files and folders


def test_read_path_walks_sorted_and_recursive(tmp_path: Path) -> None:
    leaf, ca, _ = b.chain()
    (tmp_path / "b.pem").write_bytes(b.pem(ca))
    (tmp_path / "a.pem").write_bytes(b.pem(leaf))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.der").write_bytes(b.der(leaf))
    (tmp_path / "notes.txt").write_bytes(b"just notes\n")
    results = list(read_path(tmp_path))
    names = [os.path.relpath(_path(r), tmp_path) for r in results]
    assert names == ["a.pem", "b.pem", "notes.txt", os.path.join("sub", "c.der")]
    assert isinstance(results[2], Problem) and results[2].kind == "not-a-certificate"
    assert results == list(read_path(str(tmp_path)))  # deterministic
    shallow = [os.path.basename(_path(r)) for r in read_path(tmp_path, recursive=False)]
    assert shallow == ["a.pem", "b.pem", "notes.txt"]


def _path(r: Found | Problem) -> str:
    return r.provenance.path if isinstance(r, Found) else r.path


def test_unreadable_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "missing.pem"
    (tmp_path / "dangling.pem").symlink_to(tmp_path / "nowhere")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    results = list(read_certificates([missing, tmp_path / "dangling.pem", fifo]))
    # each named for what it is (a dangling link used to be a plain "unreadable")
    kinds = [r.kind for r in results]  # type: ignore[union-attr]
    assert kinds == ["unreadable", "dangling-link", "fifo"]
    assert all(isinstance(r, Problem) and r.index is None for r in results)
    assert "FIFO" in results[2].message  # type: ignore[union-attr]


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    leaf, _, _ = b.chain()
    (tmp_path / "big.pem").write_bytes(b.pem(leaf))
    monkeypatch.setattr(sources, "MAX_INPUT_BYTES", 100)
    results = list(read_path(tmp_path / "big.pem"))
    assert [r.kind for r in results] == ["too-large"]  # type: ignore[union-attr]


def test_read_certificates_many_paths_and_single(tmp_path: Path) -> None:
    leaf, ca, _ = b.chain()
    (tmp_path / "a.pem").write_bytes(b.pem(leaf))
    (tmp_path / "b.pem").write_bytes(b.pem(ca))
    many = list(read_certificates([tmp_path / "b.pem", str(tmp_path / "a.pem")]))
    assert [r.der for r in many] == [b.der(ca), b.der(leaf)]  # type: ignore[union-attr]
    single = list(read_certificates(tmp_path / "a.pem"))
    assert [r.der for r in single] == [b.der(leaf)]  # type: ignore[union-attr]


def test_every_input_file_yields_something(tmp_path: Path) -> None:
    for name, data in {"empty": b"", "ws": b"\n\n", "bin": b"\x00\x01\x02"}.items():
        (tmp_path / name).write_bytes(data)
    results = list(read_path(tmp_path))
    assert sorted(os.path.basename(_path(r)) for r in results) == ["bin", "empty", "ws"]
    assert {r.kind for r in results} <= {"empty", "not-a-certificate"}  # type: ignore[union-attr]


def test_internal_errors_become_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("parser bug")

    monkeypatch.setitem(sources._READERS, "pem", boom)
    leaf, _, _ = b.chain()
    found, problems = read_bytes(b.pem(leaf))
    assert found == [] and kinds(problems) == ["corrupt"]
    assert "RuntimeError" in problems[0].message


# ------------------------------------------------------------------ problem kinds and secrecy


def _problem_corpus(ossl: Path) -> list[tuple[bytes, list[str]]]:
    leaf, _ca, key = b.chain()
    return [
        ((ossl / "legacy.p12").read_bytes(), ["wrong-one"]),
        (b.key_pem(key), []),
        (b.key_pem(key, PASSWORD.encode()), [PASSWORD]),
        (b.pem(leaf) + b.key_pem(b.ec_key(9)), []),
        (b.der(leaf)[:-20], []),
        (b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", []),
        (b"", []),
        (b.jks_bytes([("secret", "s", b"x")], magic=b"\xce" * 4), []),
        (b.powershell_csv([{"RawData": "System.Byte[]", "Thumbprint": "A"}]), []),
        (b.yaml_bytes(b.k8s_secret("s", {"tls.key": b.key_pem(key), "password": b"hunter22"})), []),
    ]


def test_every_problem_kind_is_produced(ossl: Path, tmp_path: Path, monkeypatch) -> None:
    seen: set[str] = set()
    for data, passwords in _problem_corpus(ossl):
        seen |= {p.kind for p in read_bytes(data, passwords=passwords)[1]}
    seen |= {r.kind for r in read_path(tmp_path / "missing")}  # type: ignore[union-attr]
    nested = b.zip_bytes({"a": b.zip_bytes({"b": b.zip_bytes({"c": b.zip_bytes({"d": b"x"})})})})
    seen |= {p.kind for p in read_bytes(nested)[1]}
    (tmp_path / "big").write_bytes(b"x" * 200)
    monkeypatch.setattr(sources, "MAX_INPUT_BYTES", 100)
    seen |= {r.kind for r in read_path(tmp_path / "big")}  # type: ignore[union-attr]
    odd = tmp_path / "odd"
    odd.mkdir()
    os.mkfifo(odd / "fifo")
    (odd / "dangling").symlink_to(odd / "nowhere")
    (odd / "loop").symlink_to(odd / "loop")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(odd / "sock"))
        walked = [r.kind for r in read_path(odd)]  # type: ignore[union-attr]
    walked += [r.kind for r in read_path("/dev/null")]  # type: ignore[union-attr]
    assert walked == ["dangling-link", "fifo", "link-loop", "socket", "device"]
    seen |= set(walked)
    assert seen == PROBLEM_KINDS


def test_no_password_or_key_material_in_messages(ossl: Path) -> None:
    _, _, key = b.chain()
    key_b64 = b"".join(b.key_pem(key).splitlines()[1:-1]).decode()
    fragments = [key_b64[i : i + 16] for i in range(0, len(key_b64) - 16, 16)]
    fragments += [b.key_der(key)[-40:].hex()[i : i + 16] for i in range(0, 64, 16)]
    secrets = [PASSWORD, "wrong-one", "hunter22", *fragments]
    for data, passwords in _problem_corpus(ossl):
        found, problems = read_bytes(data, passwords=[*passwords, PASSWORD])
        texts = [p.message for p in problems] + [w for f in found for w in f.warnings]
        for text in texts:
            for secret in secrets:
                assert secret not in text, (secret, text)
        for f in found:
            assert b"PRIVATE KEY" not in f.der


# --------------------------------------------------------------------------- property tests


@pytest.fixture(scope="module")
def samples(ossl: Path) -> list[bytes]:
    leaf, ca, _key = b.chain()
    return [
        b.pem(leaf, ca),
        b.der(leaf),
        (ossl / "bundle.p7b").read_bytes(),
        (ossl / "legacy.p12").read_bytes(),
        b.sst_bytes([(b.CTX_CERT, b.der(leaf), b.sst_cert_props(b.der(leaf), name="n"))]),
        b.jks_bytes([("trusted", "a", b.der(ca))]),
        b.zip_bytes({"a.pem": b.pem(leaf)}),
        b.yaml_bytes(_tls_secret()),
        b.powershell_csv(_recommended_rows()),
        b.utf16(b.pem(leaf)),
        b.b64(b.der(ca)),
        (ossl / "trusted.pem").read_bytes(),
    ]


def _check(data: bytes) -> None:
    found, problems = read_bytes(data, "fuzz", passwords=[PASSWORD])
    assert found or problems
    check_codes(found)
    assert all(isinstance(f, Found) and f.der for f in found)
    assert all(p.kind in PROBLEM_KINDS and p.message for p in problems)


_FAST = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_FAST
@given(data=st.data())
def test_truncated_inputs_never_raise(samples: list[bytes], data: st.DataObject) -> None:
    sample = data.draw(st.sampled_from(samples))
    cut = data.draw(st.integers(0, len(sample)))
    _check(sample[:cut])


@_FAST
@given(data=st.data())
def test_bit_flipped_inputs_never_raise(samples: list[bytes], data: st.DataObject) -> None:
    sample = bytearray(data.draw(st.sampled_from(samples)))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(sample) - 1))
        sample[at] ^= 1 << data.draw(st.integers(0, 7))
    _check(bytes(sample))


@_FAST
@given(data=st.data())
def test_concatenated_inputs_never_raise(samples: list[bytes], data: st.DataObject) -> None:
    parts = data.draw(st.lists(st.sampled_from(samples), min_size=2, max_size=3))
    _check(b"".join(parts))


@_FAST
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(blob: bytes) -> None:
    _check(blob)


def test_docs_inputs_md_is_in_sync() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "inputs.md").read_text()
    assert RECOMMENDED_POWERSHELL_EXPORT in doc
    for word in [*PROBLEM_KINDS, *WARNING_CODES]:
        assert f"`{word}`" in doc, word
    for container in sources.CONTAINERS:
        if container in ("text", "unknown", "empty", "gzip"):
            continue
        if container.startswith("base64-"):
            container = "base64-"  # documented once as a family
        assert f"`{container}" in doc, container


def test_has_private_key_is_unknown_where_the_format_cannot_say() -> None:
    """DER, PEM and PKCS#7 cannot say whether a key exists, so they say
    nothing (None); PKCS#12 and a CSV's HasPrivateKey column can, and say True or False; a CSV
    without that column says nothing."""
    leaf, ca, key = b.chain()
    for data in (b.der(leaf), b.pem(leaf) + b.pem(ca)):
        found, _ = read_bytes(data)
        assert [f.provenance.has_private_key for f in found] in ([None], [None, None])
    p12 = b.pkcs12_bytes(b"server", key, leaf, [ca], password=PASSWORD.encode())
    found, _ = read_bytes(p12, passwords=[PASSWORD])
    assert [f.provenance.has_private_key for f in found] == [True, False]
    rows = [{k: v for k, v in r.items() if k != "HasPrivateKey"} for r in _recommended_rows()]
    found, problems = read_bytes(b.powershell_csv(rows), "certs.csv")
    assert problems == [] and [f.provenance.has_private_key for f in found] == [None, None]
