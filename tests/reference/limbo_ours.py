"""Our own corrected copy of x509-limbo's ``rfc5280::ica-ku-keycertsign`` (not upstream's).

Upstream's case trusts the root but supplies no intermediate, so every validator fails it for
"no issuer" instead of the rule it describes: an intermediate with pathLenConstraint=0 whose
Key Usage lacks keyCertSign (RFC 5280 §4.2.1.9). This builds the same extension profile as
upstream's ``limbo/testcases/rfc5280/...`` definition (root → ICA → EE, EC P-256, the ICA's KU
present with no bits) and *supplies* the intermediate.

``python tests/reference/limbo_ours.py`` rewrites ``tests/data/x509-limbo/certlib-ours.json``; keys
and signatures are fresh on every run, the extension profile is fixed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OUT = Path(__file__).resolve().parents[1] / "data" / "x509-limbo" / "certlib-ours.json"
CASE_ID = "certlib::rfc5280::ica-ku-keycertsign-with-intermediate"
NOT_BEFORE = dt.datetime(1970, 1, 1, 0, 0, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(2969, 5, 3, 0, 0, 1, tzinfo=dt.UTC)


def _ku(**bits: bool) -> x509.KeyUsage:
    names = [
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    ]
    return x509.KeyUsage(**{n: bits.get(n, False) for n in names})


def _cert(subject, issuer, key, signer, issuer_key, extensions) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if issuer_key is not None:
        aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key())
        builder = builder.add_extension(aki, False)
    for value, critical in extensions:
        builder = builder.add_extension(value, critical)
    return builder.sign(signer, hashes.SHA256())


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def build() -> dict:
    """One limbo-schema testcase: root (trusted) → ICA (untrusted, supplied) → EE."""
    root_key, ica_key, ee_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    san = x509.SubjectAlternativeName([x509.DNSName("example.com")])
    root_name, ica_name = _name("x509-limbo-root"), _name("x509-limbo-intermediate-pathlen-0")
    root = _cert(
        root_name,
        root_name,
        root_key,
        root_key,
        None,
        [
            (x509.BasicConstraints(ca=True, path_length=None), True),
            (_ku(key_cert_sign=True, crl_sign=True), False),
            (san, False),
        ],
    )
    ica = _cert(
        ica_name,
        root_name,
        ica_key,
        root_key,
        root_key,
        [(x509.BasicConstraints(ca=True, path_length=0), True), (_ku(), False)],
    )
    ee = _cert(
        _name("example.com"),
        ica_name,
        ee_key,
        ica_key,
        ica_key,
        [
            (_ku(digital_signature=True), False),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
            (san, False),
        ],
    )

    def pem(c: x509.Certificate) -> str:
        return c.public_bytes(serialization.Encoding.PEM).decode()

    return {
        "id": CASE_ID,
        "origin": "certlib (ours): a corrected copy of upstream rfc5280::ica-ku-keycertsign",
        "corrects": "rfc5280::ica-ku-keycertsign",
        "description": (
            "root -> ICA -> EE with the ICA supplied as an untrusted intermediate. The ICA has "
            "basicConstraints cA with pathLenConstraint=0 and a Key Usage extension without "
            "keyCertSign (no bits at all), which RFC 5280 §4.2.1.9 and §4.2.1.3 forbid for a "
            "certificate that signs certificates. Upstream's case omits the ICA, so validators "
            "fail it for 'no issuer' instead."
        ),
        "validation_kind": "SERVER",
        "trusted_certs": [pem(root)],
        "untrusted_intermediates": [pem(ica)],
        "peer_certificate": pem(ee),
        "validation_time": None,
        "key_usage": [],
        "extended_key_usage": [],
        "expected_result": "FAILURE",
        "expected_peer_name": {"kind": "DNS", "value": "example.com"},
        "max_chain_depth": None,
        "features": [],
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps({"testcases": [build()]}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
