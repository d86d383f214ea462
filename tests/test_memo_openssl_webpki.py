"""The openssl and webpki profiles declare no ``outcome_key``, and these tests say why.

A profile's ``outcome_key(f)`` may use only :class:`certlib.facts.CertFacts`; the inventory adds
:func:`certlib.inventory._chain_key` (validity at ``at`` by ``at < notBefore`` / ``at > notAfter``,
issuer name, AKI, links to the byte-equal candidate issuers; ``None`` when no trust anchor was
found). Both profiles read more of the leaf than that, so any facts-only key would be wrong:

* openssl (chain-aware) rejects a leaf whose notAfter equals ``at`` (``ossl_x509_check_cert_time``:
  notAfter <= at is expired), which ``_chain_key`` calls valid; it also reads the leaf's TBS
  signature algorithm (self-signed heuristic, ``ossl_x509_likely_issued``).
* webpki checks the leaf's validity even without a trust anchor (no ``_chain_key`` then), its
  notBefore against Chrome's 2027-03-15 serverAuth-only date, and its signature hash.

The witnesses below are pairs of certificates with equal facts (``CertFacts`` equality, and
the same public key) and equal ``_chain_key`` whose outcomes differ. The corpus test checks the
consequence in the inventory: with the memo on, nothing of these profiles comes from it, and the
frames equal the ones computed afresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from memo_corpus import AT, build, scan

from certlib import inventory, purpose
from certlib.facts import facts
from certlib.forge import PRESETS, Forged, forge
from certlib.purpose import Context, Purpose, openssl, webpki

PROFILES = ("openssl", "webpki")


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
    return {p.value: purpose._run(cert, p, profile, ctx).outcome for p in Purpose}


def _same_inputs(a, b, cas, *, at: dt.datetime = AT) -> None:
    """Everything a facts-only outcome_key and the inventory's chain key could see is equal."""
    root, ica = cas
    fa, fb = facts(a), facts(b)
    assert fa == fb
    assert (fa.spki_der, fa.extension_ders) == (fb.spki_der, fb.extension_ders)
    chain_certs = [ica.certificate, root.certificate]
    keys = [
        inventory._chain_key(c, facts(c), ("ica", "root"), True, chain_certs, at) for c in (a, b)
    ]
    assert keys[0] == keys[1]
    assert keys[0] not in (None, ())  # a key the inventory would memoise on


@pytest.mark.parametrize("profile", PROFILES)
def test_no_outcome_key_is_declared(profile: str) -> None:
    module = {"openssl": openssl, "webpki": webpki}[profile]
    assert not hasattr(module, "outcome_key")
    assert "outcome_key" not in module.__all__
    assert purpose.outcome_key(profile, facts(forge(PRESETS["root_ca"]).certificate)) is None


def test_openssl_witness_not_after_equal_to_at(cas) -> None:
    """notAfter == at: valid for ``_chain_key`` (and RFC 5280), expired for OpenSSL."""
    start = AT - dt.timedelta(days=10)
    ends_at = _leaf(cas[1], not_before=start, validity_days=10)
    later = _leaf(cas[1], not_before=start, validity_days=11)
    assert ends_at.not_valid_after_utc == AT
    _same_inputs(ends_at, later, cas)
    assert _outcomes("openssl", ends_at, cas, rooted=True)["tls_server"] == "denied"
    assert _outcomes("openssl", later, cas, rooted=True)["tls_server"] == "allowed"


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


@pytest.mark.parametrize("profile", PROFILES)
def test_inventory_never_memoises_and_equals_fresh(
    profile: str, corpus: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, n_files = corpus
    fresh, fresh_calls = scan(folder, False, monkeypatch, profile)
    memo, memo_calls = scan(folder, True, monkeypatch, profile)
    ok = fresh[fresh["status"] != "error"]
    assert n_files >= 450
    assert len(ok) >= 450, len(ok)
    pd.testing.assert_frame_equal(memo, fresh)
    # no outcome_key: every certificate is judged afresh, six verdicts each
    assert memo_calls == fresh_calls == 6 * len(ok), (memo_calls, fresh_calls, len(ok))
    assert not inventory._OUTCOMES
    assert (ok["chain_complete"] & ok["issuer_sha256"].notna()).sum() >= 250
