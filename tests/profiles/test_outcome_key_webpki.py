"""The webpki profile declares no ``outcome_key``; openssl declares one that must see more
than the facts. These tests say why.

A facts-only ``outcome_key(f)`` may use only :class:`certlib.cert.facts.CertFacts`; the inventory
adds :func:`certlib.inventory.judge._chain_key` (validity at ``at`` by ``at < notBefore`` /
``at > notAfter``, issuer name, AKI, links to the byte-equal candidate issuers; ``None`` when no
trust anchor was found). Both profiles read more of the leaf than that:

* openssl (chain-aware) rejects a leaf whose notAfter equals ``at`` (``ossl_x509_check_cert_time``:
  notAfter <= at is expired), which ``_chain_key`` calls valid; it also reads the leaf's TBS
  signature algorithm (self-signed heuristic, ``ossl_x509_likely_issued``). Its
  ``outcome_key(f, *, cert, at, chain)`` therefore reads the certificate, ``at`` and the chain,
  and gives the openssl witnesses below different keys (tests/profiles/test_outcome_key_openssl.py
  checks the memo against fresh verdicts on a corpus).
* webpki checks the leaf's validity even without a trust anchor (no ``_chain_key`` then), its
  notBefore against Chrome's 2027-03-15 serverAuth-only date, and its signature hash.

The witnesses below are pairs of certificates with equal facts (``CertFacts`` equality, and
the same public key) and equal ``_chain_key`` whose outcomes differ. The corpus test checks the
consequence in the inventory for webpki: with the memo on, nothing of it comes from the memo,
and the frames equal the ones computed afresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.serialization import Encoding
from memo_corpus import AT, build, scan

from certlib import profiles as purpose
from certlib.cert import der
from certlib.cert.facts import facts
from certlib.cert.forge import PRESETS, Forged, forge
from certlib.core.memo import Memo
from certlib.inventory import judge as inventory_judge
from certlib.profiles import Context, Purpose, openssl, webpki


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("memo-openssl-webpki")
    return folder, build(folder)


@pytest.fixture(scope="module")
def cas() -> tuple[Forged, Forged]:
    root = forge(PRESETS["root_ca"], seed="memo-witness")
    return root, forge(PRESETS["intermediate_ca"], root, seed="memo-witness")


def _leaf(ica: Forged, preset: str = "iis_server", **changes):
    spec = replace(
        PRESETS[preset],
        common_name="w.memo.example",
        sans=("DNS:w.memo.example",),
        serial_number=4242,
        **changes,
    )
    return forge(spec, ica, seed="memo-witness").certificate


def _outcomes(profile: str, cert, cas, *, rooted: bool, at: dt.datetime = AT) -> dict:
    root, ica = cas
    roots = (root.certificate,) if rooted else ()
    ctx = Context((ica.certificate,), roots, at, None, {})
    return {
        p.value: v.outcome for p, v in purpose.judge(cert, profile, tuple(Purpose), ctx).items()
    }


def _same_inputs(a, b, cas, *, at: dt.datetime = AT) -> None:
    """Everything a facts-only outcome_key and the inventory's chain key could see is equal."""
    root, ica = cas
    fa, fb = facts(a), facts(b)
    assert fa == fb
    assert (fa.spki_der, fa.extension_ders) == (fb.spki_der, fb.extension_ders)
    chain_certs = [ica.certificate, root.certificate]
    keys = [
        inventory_judge._chain_key(c, facts(c), ("ica", "root"), True, chain_certs, at, Memo())
        for c in (a, b)
    ]
    assert keys[0] == keys[1]
    assert keys[0] not in (None, ())  # a key the inventory would memoise on


def test_webpki_declares_no_outcome_key() -> None:
    assert not hasattr(webpki, "outcome_key")
    assert "outcome_key" not in webpki.__all__
    assert purpose.outcome_key("webpki", facts(forge(PRESETS["root_ca"]).certificate)) is None


def test_openssl_declares_a_context_outcome_key() -> None:
    assert "outcome_key" in openssl.__all__
    assert purpose.REGISTRY["openssl"].outcome_key is openssl.outcome_key


def _openssl_key(cert, cas, *, at: dt.datetime = AT) -> tuple | None:
    root, ica = cas
    chain = (ica.certificate, root.certificate)
    return purpose.outcome_key("openssl", facts(cert), cert=cert, at=at, chain=chain)


def test_openssl_witness_not_after_equal_to_at(cas) -> None:
    """notAfter == at: valid for ``_chain_key`` (and RFC 5280), expired for OpenSSL."""
    start = AT - dt.timedelta(days=10)
    ends_at = _leaf(cas[1], not_before=start, validity_days=10)
    later = _leaf(cas[1], not_before=start, validity_days=11)
    assert ends_at.not_valid_after_utc == AT
    _same_inputs(ends_at, later, cas)
    assert _outcomes("openssl", ends_at, cas, rooted=True)["tls_server"] == "denied"
    assert _outcomes("openssl", later, cas, rooted=True)["tls_server"] == "allowed"
    assert _openssl_key(ends_at, cas) != _openssl_key(later, cas)


def _with_tbs_signature_algorithm(cert, issuer_key, alg_der: bytes):
    """``cert`` with its TBS signature algorithm replaced by ``alg_der``, signed again by
    ``issuer_key`` under the outer algorithm it had (so the signature still verifies)."""
    raw = cert.public_bytes(Encoding.DER)
    tbs, outer, _sig = der.elements(der.unwrap(raw, der.SEQUENCE))
    items = der.elements(der.unwrap(tbs, der.SEQUENCE))
    items[2 if items[0][0] == 0xA0 else 1] = alg_der
    new_tbs = der.encode_sequence(*items)
    if isinstance(issuer_key, ec.EllipticCurvePrivateKey):
        sig = issuer_key.sign(new_tbs, ec.ECDSA(hashes.SHA256()))
    else:
        sig = issuer_key.sign(new_tbs, padding.PKCS1v15(), hashes.SHA256())
    out = der.encode_sequence(new_tbs, outer, der.encode_tlv(der.BIT_STRING, b"\x00" + sig))
    return x509.load_der_x509_certificate(out)


def test_openssl_witness_tbs_signature_algorithm(cas) -> None:
    """A TBS signature algorithm for another key type than the issuer's (the outer one and the
    signature stay right): ``ossl_x509_likely_issued`` refuses the issuer. The facts are equal;
    ``_chain_key`` happens to differ too (the link check also refuses the mismatch), but the
    openssl key must tell them apart by itself."""
    _root, ica = cas
    start = AT - dt.timedelta(days=10)
    plain = _leaf(ica, not_before=start, validity_days=90)
    ec_issuer = isinstance(ica.private_key, ec.EllipticCurvePrivateKey)
    other = (
        der.encode_sequence(der.encode_oid("1.2.840.113549.1.1.11"), b"\x05\x00")
        if ec_issuer
        else der.encode_sequence(der.encode_oid("1.2.840.10045.4.3.2"))
    )
    same = der.encode_sequence(der.encode_oid("1.2.840.10045.4.3.2")) if ec_issuer else None
    if same is None:
        same = der.encode_sequence(der.encode_oid("1.2.840.113549.1.1.11"), b"\x05\x00")
    good = _with_tbs_signature_algorithm(plain, ica.private_key, same)
    odd = _with_tbs_signature_algorithm(plain, ica.private_key, other)
    assert facts(good) == facts(odd)
    assert facts(good).spki_der == facts(odd).spki_der
    assert _outcomes("openssl", good, cas, rooted=True)["tls_server"] == "allowed"
    assert _outcomes("openssl", odd, cas, rooted=True)["tls_server"] == "denied"
    assert _openssl_key(good, cas) != _openssl_key(odd, cas)


def test_webpki_witness_validity_without_anchor(cas) -> None:
    """No trust anchor: the inventory's key has no chain part, yet webpki checks validity."""
    expired = _leaf(cas[1], not_before=AT - dt.timedelta(days=400), validity_days=90)
    current = _leaf(cas[1], not_before=AT - dt.timedelta(days=10), validity_days=90)
    assert facts(expired) == facts(current)
    assert facts(expired).spki_der == facts(current).spki_der
    assert _outcomes("webpki", expired, cas, rooted=False)["tls_server"] == "denied"
    assert _outcomes("webpki", current, cas, rooted=False)["tls_server"] == "allowed"


def test_webpki_witness_signature_hash(cas) -> None:
    """SHA-1 vs SHA-256 signature: the facts do not carry the signature algorithm."""
    start = AT - dt.timedelta(days=10)
    sha1 = _leaf(cas[1], not_before=start, validity_days=90, signature_hash="sha1")
    sha256 = _leaf(cas[1], not_before=start, validity_days=90)
    assert facts(sha1) == facts(sha256)
    assert facts(sha1).spki_der == facts(sha256).spki_der
    assert _outcomes("webpki", sha1, cas, rooted=False)["tls_server"] == "denied"
    assert _outcomes("webpki", sha256, cas, rooted=False)["tls_server"] == "allowed"


def test_webpki_witness_chrome_not_before(cas) -> None:
    """serverAuth+clientAuth issued before / after 2027-03-15: warning / denied (judged
    without an anchor; the forged CAs are not BR-conformant, so a chain denies both)."""
    at = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
    before = _leaf(
        cas[1], "dual_use", not_before=dt.datetime(2027, 3, 10, tzinfo=dt.UTC), validity_days=90
    )
    after = _leaf(
        cas[1], "dual_use", not_before=dt.datetime(2027, 3, 20, tzinfo=dt.UTC), validity_days=90
    )
    _same_inputs(before, after, cas, at=at)
    assert _outcomes("webpki", before, cas, rooted=False, at=at)["tls_server"] == "warning"
    assert _outcomes("webpki", after, cas, rooted=False, at=at)["tls_server"] == "denied"


@pytest.mark.parametrize("profile", ["webpki"])
def test_inventory_never_memoises_and_equals_fresh(
    profile: str, corpus: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, n_files = corpus
    fresh, fresh_calls = scan(folder, False, monkeypatch, profile)
    memos: list[Memo] = []
    memo, memo_calls = scan(folder, True, monkeypatch, profile, memos)
    ok = fresh[fresh["status"] != "error"]
    assert n_files >= 450
    assert len(ok) >= 450, len(ok)
    pd.testing.assert_frame_equal(memo, fresh)
    # no outcome_key: every certificate is judged afresh, six verdicts each
    assert memo_calls == fresh_calls == 6 * len(ok), (memo_calls, fresh_calls, len(ok))
    assert len(memos) == 1  # one run, one memo (workers=1: no worker processes)
    assert not memos[0].table(inventory_judge._OUTCOMES)  # nothing was memoised for webpki
    assert (ok["chain_complete"] & ok["issuer_sha256"].notna()).sum() >= 250
