"""Generate the sample inventory (``data/sample-inventory``): one pile in every export shape.

Everything is derived from ``seed`` and fixed dates, never from "now", so regenerating gives the
same bytes: certificates come from :func:`certlib.cert.forge.forge` with the seed (forge dates count
from ``forge.REFERENCE_TIME`` = 2026-01-01), CSR and CRL use deterministic ECDSA (RFC 6979),
the zip members carry a fixed timestamp, and the SST/CSV/YAML writers are plain byte builders.

Not byte-stable, by necessity: the two ``.pfx`` files. PKCS#12 needs a random salt for the
key derivation and a random IV for each encrypted bag, and neither ``cryptography`` nor the
``openssl pkcs12`` command lets a caller fix them; their *contents* (certificates, names) are
stable. :data:`NOT_BYTE_STABLE` names them so tests can skip them.

Reference date for the "expiring" example: 2027-01-01 (``EXPIRING_AT``). ``expiring.pem``
expires on 2027-01-15, so a scan ``--at 2027-01-01`` flags it ``expires-30d``; a scan at any
real date after 2027-01-15 shows it ``expired``. ``expired.pem`` expired on 2020-12-31.
"""

from __future__ import annotations

import base64
import datetime as _dt
import errno
import hashlib
import io
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from certlib.cert.der import SET, encode_integer, encode_oid, encode_sequence, encode_tlv
from certlib.cert.forge import PRESETS, CertSpec, Forged, forge
from certlib.core.memo import Memo
from certlib.core.oids import CONTENT_TYPE, EKU

__all__ = ["EXPIRING_AT", "NOT_BYTE_STABLE", "PASSWORD", "generate"]

#: Password of both sample ``.pfx`` files (documented in data/README.md; a demo value).
PASSWORD = "certlib-demo"
#: The date relative to which ``expiring.pem`` is "expiring" (expires 2027-01-15).
EXPIRING_AT = _dt.datetime(2027, 1, 1, tzinfo=_dt.UTC)
#: Files whose bytes change on every run (random PKCS#12 salts/IVs), contents stable.
NOT_BYTE_STABLE: frozenset[str] = frozenset({"iis-www.pfx", "iis-www-legacy.pfx"})
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_UTC = _dt.UTC


#: Leaves live 825 days from 2025-12-31 (to 2028-04-04), so they are valid at EXPIRING_AT.
LEAF_DAYS = 825


def _leaf(name: str) -> CertSpec:
    return replace(PRESETS[name], validity_days=LEAF_DAYS)


def _specs() -> dict[str, CertSpec]:
    ica = PRESETS["intermediate_ca"]
    ds_ke = frozenset({"digital_signature", "key_encipherment"})
    server = dict(eku=(EKU.SERVER_AUTH.oid,), key_usage=ds_ke, ca=False, issuer=ica)
    valid = dict(validity_days=LEAF_DAYS)
    return {
        "root": PRESETS["root_ca"],
        "ica": ica,
        "iis": _leaf("iis_server"),
        "alice": _leaf("user_client"),
        "dual": _leaf("dual_use"),
        "codesign": _leaf("code_signing"),
        "smime": _leaf("smime"),
        "noeku": _leaf("no_eku"),
        "caleaf": _leaf("ca_as_leaf"),
        "expired": CertSpec(
            common_name="old.contoso.com",
            sans=("DNS:old.contoso.com",),
            not_before=_dt.datetime(2020, 1, 1, tzinfo=_UTC),
            validity_days=365,
            **server,
        ),
        "expiring": CertSpec(
            common_name="soon.contoso.com",
            sans=("DNS:soon.contoso.com",),
            not_before=_dt.datetime(2026, 1, 15, tzinfo=_UTC),
            validity_days=365,
            **server,
        ),
        "weak": CertSpec(
            common_name="printer.contoso.com",
            sans=("DNS:printer.contoso.com",),
            key_type="rsa1024",
            **valid,
            **server,
        ),
        "sha1": CertSpec(
            common_name="legacy-app.contoso.com",
            sans=("DNS:legacy-app.contoso.com",),
            signature_hash="sha1",
            **valid,
            **server,
        ),
        "selfsigned": CertSpec(
            common_name="nas.contoso.local",
            sans=("DNS:nas.contoso.local",),
            **valid,
            eku=(EKU.SERVER_AUTH.oid,),
            key_usage=ds_ke,
            ca=False,
        ),
    }


def _crlf_b64(der: bytes) -> bytes:
    """certmgr "Base-64 encoded X.509 (.CER)": PEM with CRLF line ends and 64-char lines."""
    body = base64.b64encode(der)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return b"\r\n".join([b"-----BEGIN CERTIFICATE-----", *lines, b"-----END CERTIFICATE-----", b""])


def sst_bytes(items: list[tuple[bytes, str | None]]) -> bytes:
    """A Windows serialized store (layout in :mod:`certlib.sources.sst`): per certificate its SHA-1
    and friendly-name properties, then the certificate context element (prop 32), then the end
    marker."""

    def element(prop: int, value: bytes) -> bytes:
        return struct.pack("<III", prop, 1, len(value)) + value

    out = bytearray(b"\x00\x00\x00\x00CERT")
    for der, friendly in items:
        out += element(3, hashlib.sha1(der).digest())
        if friendly:
            out += element(11, (friendly + "\0").encode("utf-16-le"))
        out += element(32, der)
    out += b"\x00" * 12
    return bytes(out)


def _powershell_csv(rows: list[tuple[Forged, str, bool]]) -> bytes:
    """The recommended PowerShell 7 export (quoted, UTF-8, CRLF), RawDataB64 re-parseable."""
    header = [
        "PSParentPath",
        "Subject",
        "Thumbprint",
        "NotAfter",
        "FriendlyName",
        "HasPrivateKey",
        "EnhancedKeyUsageList",
        "RawDataB64",
    ]
    lines = [",".join(f'"{h}"' for h in header)]
    for f, friendly, has_key in rows:
        c = f.certificate
        ekus = ""
        try:
            eku = c.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            ekus = ";".join(o.dotted_string for o in eku)
        except x509.ExtensionNotFound:
            pass
        cells = [
            r"Microsoft.PowerShell.Security\Certificate::LocalMachine\My",
            ", ".join(reversed([a.rfc4514_string() for a in c.subject])),
            hashlib.sha1(f.der).hexdigest().upper(),
            c.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%S.0000000Z"),
            friendly,
            "True" if has_key else "False",
            ekus,
            base64.b64encode(f.der).decode(),
        ]
        lines.append(",".join('"' + v.replace('"', '""') + '"' for v in cells))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _k8s_secret(chain_pem: bytes) -> bytes:
    b64 = base64.b64encode(chain_pem).decode()
    return (
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata:\n"
        "  name: www-contoso-tls\n"
        "  namespace: web\n"
        "  annotations:\n"
        "    cert-manager.io/common-name: www.contoso.com\n"
        "type: kubernetes.io/tls\n"
        "data:\n"
        f"  tls.crt: {b64}\n"
        '  tls.key: ""  # sample: the private key was removed on purpose\n'
    ).encode()


def _pkcs7_unsorted(ders: list[bytes]) -> bytes:
    """A certs-only PKCS#7 whose SET OF certificates is not in DER order, as
    ``openssl crl2pkcs7`` writes it: cryptography reads it only via its BER fallback."""
    certs = sorted(ders, reverse=True)  # DER wants ascending order: make it descending
    signed = encode_sequence(
        encode_integer(1),
        encode_tlv(SET, b""),
        encode_sequence(encode_oid(CONTENT_TYPE.DATA)),
        encode_tlv(0xA0, b"".join(certs)),
        encode_tlv(SET, b""),
    )
    return encode_sequence(encode_oid(CONTENT_TYPE.SIGNED_DATA), encode_tlv(0xA0, signed))


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def _csr(f: Forged) -> bytes:
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "renew.contoso.com")]))
        .sign(f.private_key, hashes.SHA256(), ecdsa_deterministic=True)  # type: ignore[arg-type]
    )
    return csr.public_bytes(serialization.Encoding.PEM)


def _crl(issuer: Forged, revoked: Forged) -> bytes:
    when = _dt.datetime(2026, 2, 1, tzinfo=_UTC)
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(when)
        .next_update(when + _dt.timedelta(days=30))
        .add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(revoked.certificate.serial_number)
            .revocation_date(when)
            .build()
        )
        .sign(issuer.private_key, hashes.SHA256(), ecdsa_deterministic=True)  # type: ignore[arg-type]
    )
    return crl.public_bytes(serialization.Encoding.DER)


def _legacy_pfx(f: Forged, chain: list[Forged], password: str) -> bytes:
    """RC2-40 certificate bag (what old Windows/IIS exports look like): only the openssl
    binary writes it; without it we fall back to cryptography's 3DES legacy and say so."""
    exe = shutil.which("openssl")
    if exe is None:
        return f.pkcs12(password.encode(), friendly_name=b"www legacy", legacy=True, chain=chain)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "k.pem").write_bytes(f.key_pem())
        (t / "c.pem").write_bytes(f.pem)
        (t / "ca.pem").write_bytes(b"".join(c.pem for c in chain))
        (t / "pw").write_text(password)
        subprocess.run(
            [
                exe,
                "pkcs12",
                "-export",
                "-legacy",
                "-inkey",
                str(t / "k.pem"),
                "-in",
                str(t / "c.pem"),
                "-certfile",
                str(t / "ca.pem"),
                "-name",
                "www legacy",
                "-passout",
                f"file:{t / 'pw'}",
                "-out",
                str(t / "out.pfx"),
            ],
            check=True,
            capture_output=True,
        )
        return (t / "out.pfx").read_bytes()


def generate(
    out: str | Path,
    *,
    seed: int = 2026,
    log: Callable[[str], None] | None = None,
    overwrite: bool = False,
):
    """Write the sample inventory into ``out`` (created if needed); returns the file names.

    Each file is written atomically. If any of them exists already, nothing is written and
    ``FileExistsError`` names them, unless ``overwrite=True`` (regenerating in place)."""
    from certlib.core.outputs import OutputExistsError, atomic_output

    out = Path(out)
    keys = Memo()  # this build's own: seeded keys (and issuers) are derived once
    f = {k: forge(spec, seed=seed, memo=keys) for k, spec in _specs().items()}
    root, ica = f["root"], f["ica"]
    pem = lambda *keys: b"".join(f[k].pem for k in keys)  # noqa: E731
    files: dict[str, bytes] = {
        "root-ca.pem": root.pem,
        "root-ca-utf16.pem": b"\xff\xfe"
        + root.pem.decode().replace("\n", "\r\n").encode("utf-16-le"),
        "intermediate-ca.cer": ica.der,
        "chain.pem": pem("ica", "root"),
        "iis-www.cer": _crlf_b64(f["iis"].der),
        "user-alice.der": f["alice"].der,
        "vpn-dual-use.pem": f["dual"].pem,
        "code-signing.crt": f["codesign"].pem,
        "smime-bob.cer": f["smime"].der,
        "intranet-no-eku.pem": f["noeku"].pem,
        "ca-as-leaf.pem": f["caleaf"].pem,
        "expired.pem": f["expired"].pem,
        "expiring.pem": f["expiring"].pem,
        "weak-rsa1024.pem": f["weak"].pem,
        "sha1-signed.pem": f["sha1"].pem,
        "selfsigned-nas.pem": f["selfsigned"].pem,
        "chain.p7b": pkcs7.serialize_certificates(
            [f["iis"].certificate, ica.certificate, root.certificate], serialization.Encoding.PEM
        ),
        "chain-der.p7b": pkcs7.serialize_certificates(
            [f["alice"].certificate, ica.certificate], serialization.Encoding.DER
        ),
        "chain-unsorted.p7b": _pkcs7_unsorted([f["dual"].der, ica.der, root.der]),
        "store.sst": sst_bytes(
            [
                (f["iis"].der, "IIS www.contoso.com"),
                (f["dual"].der, "VPN gateway"),
                (f["expiring"].der, None),
            ]
        ),
        "powershell-export.csv": _powershell_csv(
            [
                (f["iis"], "IIS www.contoso.com", True),
                (f["alice"], "", False),
                (f["weak"], "old printer", False),
            ]
        ),
        "k8s-tls-secret.yaml": _k8s_secret(pem("iis", "ica")),
        "bundle.zip": _zip(
            [
                ("exports/smime-bob.pem", f["smime"].pem),
                ("exports/code-signing.der", f["codesign"].der),
                ("nested.zip", _zip([("deep/sha1-signed.cer", f["sha1"].der)])),
            ]
        ),
        "broken-truncated.der": f["dual"].der[:300],
        "broken-mixed.pem": f["noeku"].pem
        + b"-----BEGIN CERTIFICATE-----\nMIIBcorrupted!!notbase64@@\n-----END CERTIFICATE-----\n"
        + f["caleaf"].pem,
        "request.csr": _csr(f["noeku"]),
        "revoked.crl": _crl(ica, f["expired"]),
        "iis-www.pfx": f["iis"].pkcs12(
            PASSWORD.encode(), friendly_name=b"www.contoso.com", chain=[ica, root]
        ),
        "iis-www-legacy.pfx": _legacy_pfx(f["iis"], [ica, root], PASSWORD),
    }
    taken = sorted(n for n in files if os.path.lexists(out / n))
    if taken and not overwrite:
        raise OutputExistsError(
            errno.EEXIST, f"{out} already holds {', '.join(taken)}; use --force to replace them"
        )
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        with atomic_output(out / name, overwrite=overwrite) as tmp:
            tmp.write_bytes(data)
        if log is not None:
            log(name)
    return sorted(files)
