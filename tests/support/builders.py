"""Build the input files the source readers are tested on: certificates and every container.

Everything is made here (cryptography, plus small writers for the Windows SST and Java JKS
layouts) or by the ``openssl`` binary in the tests, so no fixture file is checked in. The SST
and JKS writers follow the published layouts (Wine's ``crypt32/serialize.c`` for SST, pyjks
for JKS) independently of the readers.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import io
import json
import struct
import subprocess
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PEM = serialization.Encoding.PEM
DER = serialization.Encoding.DER


@functools.cache
def ec_key(seed: int = 0) -> ec.EllipticCurvePrivateKey:
    """A fresh P-256 key per seed (cached: tests reuse them)."""
    return ec.generate_private_key(ec.SECP256R1())


@functools.cache
def rsa_key(seed: int = 0) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_cert(
    cn: str,
    *,
    key: object | None = None,
    issuer: x509.Certificate | None = None,
    issuer_key: object | None = None,
    ca: bool = False,
    serial: int = 1000,
    sans: Sequence[str] = (),
    extra_extensions: Iterable[tuple[x509.ExtensionType, bool]] = (),
) -> x509.Certificate:
    """A simple certificate; self-signed unless ``issuer``/``issuer_key`` are given."""
    key = key or ec_key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())  # type: ignore[attr-defined]
        .serial_number(serial)
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    if sans:
        names = [x509.DNSName(s) for s in sans]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    for ext, critical in extra_extensions:
        builder = builder.add_extension(ext, critical=critical)
    return builder.sign(issuer_key or key, hashes.SHA256())  # type: ignore[arg-type]


@functools.cache
def chain() -> tuple[x509.Certificate, x509.Certificate, object]:
    """(leaf, CA, leaf key): the leaf is signed by the CA and is not a CA itself."""
    ca_key = ec_key(1)
    ca = make_cert("Test CA", key=ca_key, ca=True, serial=1)
    leaf_key = ec_key(2)
    leaf = make_cert(
        "leaf.example", key=leaf_key, issuer=ca, issuer_key=ca_key, sans=["leaf.example"]
    )
    return leaf, ca, leaf_key


def big_cert() -> x509.Certificate:
    """A DER certificate over 1023 bytes: certigo's magic rule would call it PKCS#12."""
    return make_cert("big.example", sans=[f"host{i}.big.example" for i in range(40)])


def san_boolean_cert() -> x509.Certificate:
    """Loads, but ``.extensions`` raises (a SAN holding a BOOLEAN)."""
    bad = x509.UnrecognizedExtension(ExtensionOID.SUBJECT_ALTERNATIVE_NAME, b"\x01\x01\xff")
    return make_cert("bad-san.example", extra_extensions=[(bad, False)])


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(PEM) for c in certs)


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(DER)


def key_pem(key: object, password: bytes | None = None) -> bytes:
    enc = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(  # type: ignore[attr-defined]
        PEM, serialization.PrivateFormat.PKCS8, enc
    )


def key_der(key: object) -> bytes:
    return key.private_bytes(  # type: ignore[attr-defined]
        DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def crl(issuer: x509.Certificate, issuer_key: object) -> x509.CertificateRevocationList:
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(NOW)
        .next_update(NOW + dt.timedelta(days=7))
        .sign(issuer_key, hashes.SHA256())  # type: ignore[arg-type]
    )


def csr(key: object, cn: str = "req.example") -> x509.CertificateSigningRequest:
    return (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
        .sign(key, hashes.SHA256())  # type: ignore[arg-type]
    )


def pkcs7_der(*certs: x509.Certificate) -> bytes:
    """A DER PKCS#7 as cryptography writes it (sorted SET OF: no BER warning)."""
    return pkcs7.serialize_certificates(list(certs), DER)


def pkcs12_bytes(
    name: bytes | None,
    key: object | None,
    cert: x509.Certificate | None,
    cas: Sequence[x509.Certificate | pkcs12.PKCS12Certificate] = (),
    password: bytes | None = b"secret",
) -> bytes:
    enc = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(name, key, cert, list(cas), enc)  # type: ignore[arg-type]


def utf16(text: bytes, *, bom: bool = True, big_endian: bool = False) -> bytes:
    codec = "utf-16-be" if big_endian else "utf-16-le"
    mark = (b"\xfe\xff" if big_endian else b"\xff\xfe") if bom else b""
    return mark + text.decode("ascii").encode(codec)


def crlf(text: bytes) -> bytes:
    return text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def b64(data: bytes) -> bytes:
    return base64.b64encode(data)


# --------------------------------------------------------------------------- Windows SST


SST_HEADER = b"\x00\x00\x00\x00CERT"
PROP_KEY_PROV_INFO = 2
PROP_SHA1 = 3
PROP_EKU = 9
PROP_FRIENDLY_NAME = 11
PROP_ARCHIVED = 19
CTX_CERT, CTX_CRL = 32, 33


def sst_element(prop_id: int, value: bytes) -> bytes:
    return struct.pack("<III", prop_id, 1, len(value)) + value


def sst_friendly_name(name: str) -> bytes:
    return (name + "\x00").encode("utf-16-le")


def sst_eku(oids: Sequence[x509.ObjectIdentifier]) -> bytes:
    """DER SEQUENCE OF OBJECT IDENTIFIER, built by cryptography's EKU encoder."""
    ext = x509.ExtendedKeyUsage(list(oids))
    return ext.public_bytes()


def sst_bytes(
    entries: Sequence[tuple[int, bytes, dict[int, bytes]]], *, end_marker: bool = True
) -> bytes:
    """Serialized store: per entry its properties *then* its context element (Wine's order)."""
    out = bytearray(SST_HEADER)
    for context_id, value, props in entries:
        for prop_id, prop_value in props.items():
            out += sst_element(prop_id, prop_value)
        out += sst_element(context_id, value)
    if end_marker:
        out += b"\x00" * 12
    return bytes(out)


def sst_cert_props(
    cert_der: bytes,
    *,
    name: str | None = None,
    has_key: bool = False,
    sha1: bytes | None = None,
    eku: Sequence[x509.ObjectIdentifier] | None = None,
    archived: bool = False,
) -> dict[int, bytes]:
    props: dict[int, bytes] = {PROP_SHA1: sha1 or hashlib.sha1(cert_der).digest()}
    if name is not None:
        props[PROP_FRIENDLY_NAME] = sst_friendly_name(name)
    if has_key:
        props[PROP_KEY_PROV_INFO] = b"\x01" * 40  # opaque CRYPT_KEY_PROV_INFO blob
    if eku is not None:
        props[PROP_EKU] = sst_eku(eku)
    if archived:
        props[PROP_ARCHIVED] = b""
    return props


# --------------------------------------------------------------------------- Java JKS


def _java_utf(text: str) -> bytes:
    raw = text.encode("utf-8")
    return struct.pack(">H", len(raw)) + raw


def jks_bytes(
    entries: Sequence[tuple],
    *,
    password: str = "changeit",
    magic: bytes = b"\xfe\xed\xfe\xed",
    version: int = 2,
) -> bytes:
    """Entries: ("trusted", alias, der) | ("key", alias, encrypted_key, [der, …]) |
    ("secret", alias, blob). The trailer is the keyed SHA-1 keytool writes."""
    out = bytearray(magic + struct.pack(">II", version, len(entries)))
    for entry in entries:
        kind, alias = entry[0], entry[1]
        tag = {"key": 1, "trusted": 2, "secret": 3}[kind]
        out += struct.pack(">I", tag) + _java_utf(alias) + struct.pack(">Q", 1_700_000_000_000)
        if kind == "trusted":
            out += (_java_utf("X.509") if version == 2 else b"") + _u32_blob(entry[2])
        elif kind == "key":
            out += _u32_blob(entry[2]) + struct.pack(">I", len(entry[3]))
            for cert_der in entry[3]:
                out += (_java_utf("X.509") if version == 2 else b"") + _u32_blob(cert_der)
        else:
            out += b"\xac\xed\x00\x05" + entry[2]  # a Java serialization stream
    digest = hashlib.sha1(password.encode("utf-16-be") + b"Mighty Aphrodite" + out).digest()
    return bytes(out) + digest


def _u32_blob(value: bytes) -> bytes:
    return struct.pack(">I", len(value)) + value


# --------------------------------------------------------------------------- text formats


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def claims_huge(data: bytes) -> bytes:
    """A zip (:func:`zip_bytes`, one member) whose central directory says that member is
    600 MiB uncompressed."""
    at = data.index(b"PK\x01\x02")
    return data[: at + 24] + struct.pack("<I", 600 * 1024**2) + data[at + 28 :]


def k8s_secret(
    name: str, data: dict[str, bytes], *, namespace: str = "default", string_data=None
) -> dict:
    doc = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "kubernetes.io/tls",
        "metadata": {"name": name, "namespace": namespace},
        "data": {k: base64.b64encode(v).decode() for k, v in data.items()},
    }
    if string_data:
        doc["stringData"] = {k: v.decode() for k, v in string_data.items()}
    return doc


def yaml_bytes(doc: object) -> bytes:
    return yaml.safe_dump(doc, sort_keys=False).encode()


def json_bytes(doc: object) -> bytes:
    return json.dumps(doc, indent=2).encode()


def powershell_csv(rows: Sequence[dict[str, str]], *, type_line: bool = True) -> bytes:
    """What Windows PowerShell 5.1 ``Export-Csv`` writes: every field quoted, CRLF."""
    columns = list(rows[0])
    lines = []
    if type_line:
        lines.append("#TYPE System.Management.Automation.PSCustomObject")
    lines.append(",".join(f'"{c}"' for c in columns))
    for row in rows:
        lines.append(",".join('"' + row.get(c, "").replace('"', '""') + '"' for c in columns))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


# --------------------------------------------------------------------------- openssl CLI


def openssl(binary: str, *args: str | Path, stdin: bytes | None = None) -> bytes:
    """Run the openssl binary; fail loudly with its stderr."""
    proc = subprocess.run([binary, *map(str, args)], input=stdin, capture_output=True, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"openssl {args} failed: {proc.stderr.decode(errors='replace')}")
    return proc.stdout


def sample_secret_needles(sample: Path) -> list[bytes]:
    """The sample PFX's password and the IIS private key in the shapes a leak would take
    (DER PKCS#8, the start of its base64 and of its hex): what no output may contain."""
    from certlib.sources.sample_data import PASSWORD

    p12 = pkcs12.load_pkcs12((sample / "iis-www.pfx").read_bytes(), PASSWORD.encode())
    assert p12.key is not None
    pkcs8 = p12.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return [PASSWORD.encode(), pkcs8, base64.b64encode(pkcs8)[:48], pkcs8.hex()[:64].encode()]
