"""The fast signature link (cached issuer key) answers exactly as verify_directly_issued_by.

``chain.link_error`` verifies most links with the issuer's public key object kept from an
earlier call and only hands unusual ones (SHA-1, PSS, mismatched inner/outer algorithms, keys
of the wrong family) to cryptography. The oracle is cryptography itself: for every
(child, candidate issuer) pair below, both answers must agree, and the fast path must have
been taken where it should. cryptography refuses SHA-1 and MD5 signatures outright; those
links are checked with the issuer's key, and ``openssl verify`` is the oracle for them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from certlib import sources
from certlib.cert import chain, der
from certlib.cert.facts import facts
from certlib.cert.forge import PRESETS, CertSpec, forge
from certlib.core.memo import Memo
from certlib.core.oids import SIGNATURE_ALGORITHMS

#: Forged keys, kept for the module (seeded RSA keys cost up to a second each).
_KEYS = Memo()


def _oracle(child: x509.Certificate, parent: x509.Certificate) -> str | None:
    """cryptography's answer; for SHA-1/MD5 (which it refuses to check) the issuer key's own."""
    try:
        child.verify_directly_issued_by(parent)
    except InvalidSignature as exc:
        return chain._error_text(exc)
    except Exception as exc:
        digest = child.signature_hash_algorithm
        if digest is None or digest.name not in ("sha1", "md5"):
            return chain._error_text(exc)
        legacy = _legacy_oracle(child, parent, digest)
        return chain._error_text(exc) if legacy == "unsupported" else legacy
    return None


def _legacy_oracle(child, parent, digest) -> str | None:
    """The signature checked with the issuer's key: None if it verifies, else the error."""
    key = parent.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(child.signature, child.tbs_certificate_bytes, ec.ECDSA(digest))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(child.signature, child.tbs_certificate_bytes, padding.PKCS1v15(), digest)
        else:
            return "unsupported"
    except InvalidSignature as exc:
        return chain._error_text(exc)
    return None


def _forged_pairs() -> list[tuple[x509.Certificate, x509.Certificate]]:
    pairs = []
    for key_type in ("ec", "ec384", "rsa", "ed25519"):
        root = forge(replace(PRESETS["root_ca"], key_type=key_type), seed="fast-link", memo=_KEYS)
        # same name, other key: the signature must fail to verify
        twin = forge(
            replace(PRESETS["root_ca"], key_type=key_type), seed="fast-link-twin", memo=_KEYS
        )
        digests = ("sha256",) if key_type == "ed25519" else ("sha1", "sha256", "sha384", "sha512")
        for digest in digests:
            leaf = forge(
                replace(PRESETS["iis_server"], signature_hash=digest), root, seed="fl", memo=_KEYS
            )
            pairs.append((leaf.certificate, root.certificate))
            pairs.append((leaf.certificate, twin.certificate))
    return pairs


def _sample_pairs() -> list[tuple[x509.Certificate, x509.Certificate]]:
    certs = {}
    for result in sources.read_certificates(ROOT / "data" / "sample-inventory"):
        if isinstance(result, sources.Found):
            try:
                c = x509.load_der_x509_certificate(result.der)
            except ValueError:
                continue
            certs[c.fingerprint(c.signature_hash_algorithm or _sha256()).hex()] = c
    cs = list(certs.values())
    return [(a, b) for a in cs for b in cs if facts(a).issuer_der == facts(b).subject_der]


def _sha256():
    from cryptography.hazmat.primitives import hashes

    return hashes.SHA256()


def test_fast_link_agrees_with_cryptography() -> None:
    pairs = _forged_pairs() + _sample_pairs()
    fast = 0
    for child, parent in pairs:
        got = chain._fast_link(child, parent)
        want = _oracle(child, parent)
        if got is not chain._SLOW:
            fast += 1
            assert got == want, (child.subject, parent.subject)
        assert chain._link_error(child, parent) == want
        der = child.public_bytes(Encoding.DER)
        assert chain._link_error(child, parent, der) == want
    # 3 key types x (sha256/384/512) + Ed25519, each x (issuer, twin), take the fast path;
    # SHA-1 never does; the sample inventory adds its own links
    assert fast >= (3 * 3 + 1) * 2 + 10
    assert len(pairs) >= (3 * 4 + 1) * 2 + 10


def test_sha1_and_mismatched_algorithms_go_to_cryptography() -> None:
    root = forge(PRESETS["root_ca"], seed="fast-link", memo=_KEYS)
    sha1 = forge(replace(PRESETS["iis_server"], signature_hash="sha1"), root, seed="fl", memo=_KEYS)
    assert chain._fast_link(sha1.certificate, root.certificate) is chain._SLOW
    # cryptography refuses SHA-1 outright; the link is still checked, with the issuer's key
    with pytest.raises(ValueError, match="Unsupported signature algorithm"):
        sha1.certificate.verify_directly_issued_by(root.certificate)
    assert chain.link_error(sha1.certificate, root.certificate) is None
    twin = forge(PRESETS["root_ca"], seed="fast-link-twin", memo=_KEYS)
    assert chain.link_error(sha1.certificate, twin.certificate) == "InvalidSignature"
    # outer signatureAlgorithm rewritten (SHA-256 -> SHA-384) while the TBS still says SHA-256
    leaf = forge(PRESETS["iis_server"], root, seed="fl", memo=_KEYS).certificate
    data = leaf.public_bytes(Encoding.DER)
    inner, outer, tbs = chain._signature_algorithms(leaf)
    assert inner == outer and tbs == leaf.tbs_certificate_bytes
    sha384 = next(a for a in SIGNATURE_ALGORITHMS if a.openssl_name == "ecdsa-with-SHA384")
    other = der.encode_sequence(der.encode_oid(sha384.oid))
    tampered = data[::-1].replace(outer[::-1], other[::-1], 1)[::-1]  # the last occurrence
    bad = x509.load_der_x509_certificate(tampered)
    assert chain._signature_algorithms(bad)[:2] == (inner, other)
    assert chain._fast_link(bad, root.certificate) is chain._SLOW
    assert chain.link_error(bad, root.certificate) == _oracle(bad, root.certificate)


@pytest.mark.parametrize("name", ["CN=other issuer"])
def test_name_mismatch_goes_to_cryptography(name: str) -> None:
    root = forge(PRESETS["root_ca"], seed="fast-link", memo=_KEYS)
    stranger = forge(CertSpec(common_name=name, ca=True), seed="fast-link", memo=_KEYS)
    leaf = forge(PRESETS["iis_server"], root, seed="fl", memo=_KEYS).certificate
    assert chain._fast_link(leaf, stranger.certificate) is chain._SLOW
    assert chain.link_error(leaf, stranger.certificate) == _oracle(leaf, stranger.certificate)
    assert Path(ROOT).exists()


def test_a_der_that_is_not_the_certificates_is_ignored() -> None:
    root = forge(PRESETS["root_ca"], seed="fast-link", memo=_KEYS)
    leaf = forge(PRESETS["iis_server"], root, seed="fl", memo=_KEYS).certificate
    other = forge(PRESETS["dual_use"], root, seed="fl", memo=_KEYS).certificate.public_bytes(
        Encoding.DER
    )
    own = chain._signature_algorithms(leaf)
    assert chain._signature_algorithms(leaf, other) == own
    assert chain._signature_algorithms(leaf, leaf.public_bytes(Encoding.DER)) == own
    assert chain._link_error(leaf, root.certificate, other) is None


@pytest.mark.parametrize("key_type", ["ec", "rsa"])
def test_sha1_links_agree_with_openssl_verify(tmp_path: Path, key_type: str) -> None:
    """``openssl verify`` (3.0, default level) accepts a SHA-1 signed leaf under its CA, and
    so does the link; under a same-named CA with another key both refuse."""
    import subprocess

    root = forge(replace(PRESETS["root_ca"], key_type=key_type), seed="sha1-link", memo=_KEYS)
    twin = forge(replace(PRESETS["root_ca"], key_type=key_type), seed="sha1-link-twin", memo=_KEYS)
    leaf = forge(
        replace(PRESETS["iis_server"], signature_hash="sha1"), root, seed="sha1", memo=_KEYS
    )
    (tmp_path / "leaf.pem").write_bytes(leaf.pem)
    checked = 0
    for ca, name in ((root, "root"), (twin, "twin")):
        (tmp_path / f"{name}.pem").write_bytes(ca.pem)
        run = subprocess.run(
            [
                "openssl",
                "verify",
                "-CAfile",
                str(tmp_path / f"{name}.pem"),
                "-no_check_time",
                str(tmp_path / "leaf.pem"),
            ],
            capture_output=True,
            text=True,
        )
        linked = chain.link_error(leaf.certificate, ca.certificate) is None
        assert linked == (run.returncode == 0) == (name == "root"), (name, run.stdout, run.stderr)
        checked += 1
    assert checked == 2
