"""Memoised verdict outcomes equal fresh ones under the openssl profile.

``certlib.profiles.openssl.outcome_key`` reduces what ``evaluate`` reads of the leaf (its
``OpenSSLView``, TBS signature algorithm, validity with OpenSSL's boundaries, and which chain
certificates ``ossl_x509_likely_issued`` takes for its issuer and whether they link); the
inventory memoises the six outcomes on it and ``_chain_key``. The oracle is the inventory with
the memo off, on ``memo_corpus`` plus leaves written here, each next to a plain twin that
differs in one respect the key must see (SAN absent / malformed / duplicated, notAfter or
notBefore at ``at``, the signature algorithm, a critical unknown extension, a negative serial,
v1), so a key that left it out would hand one of them the other's outcomes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import certgen
import pandas as pd
import pytest
from cryptography import x509
from memo_corpus import AT, build, memo_keys, read_twins, scan, write_twins

from certlib import profiles as purpose
from certlib.cert import der
from certlib.cert.facts import facts
from certlib.cert.forge import PRESETS, forge
from certlib.core.oids import EKU, EXT
from certlib.profiles import Purpose

PROFILE = "openssl"
UNKNOWN = "1.3.6.1.4.1.55555.7.2"
_SAN = EXT.SUBJECT_ALTERNATIVE_NAME.oid
_SAN_VALUE = der.encode_sequence(der.encode_tlv(0x82, b"dup.os.example"))

#: name -> (changes to the plain spec, a TBS transform applied after signing or None).
VARIANTS: dict[str, tuple[dict, str | None]] = {
    "plain": ({}, None),
    "san-absent": ({"sans": ()}, None),
    # an OCTET STRING where GeneralNames belongs: OpenSSL's decoder refuses it -> invalid
    "san-malformed": ({"sans": (), "extra_extensions": ((_SAN, False, b"\x04\x00"),)}, None),
    "san-duplicate": ({}, "dup-san"),
    "not-after-at": ({"validity_days": 10}, None),  # notAfter == AT: expired for OpenSSL
    "not-after-before-at": ({"validity_days": 9}, None),
    "not-before-at": ({"not_before": AT, "validity_days": 90}, None),  # valid from AT on
    "not-before-after-at": (
        {"not_before": AT + dt.timedelta(seconds=1), "validity_days": 90},
        None,
    ),
    "sha384": ({"signature_hash": "sha384"}, None),
    "eku-code": ({"eku": (EKU.CODE_SIGNING.oid,)}, None),
    "unknown-critical": ({"extra_extensions": ((UNKNOWN, True, b"\x05\x00"),)}, None),
    "unknown-noncritical": ({"extra_extensions": ((UNKNOWN, False, b"\x05\x00"),)}, None),
    "serial-negative": ({"serial_number": -7}, None),
    "v1": ({}, "v1"),
}
COPIES = 3


def _append_extension(oid: str, value: bytes):
    """A certgen.rewrite transform: one more (non-critical) extension after the others."""
    ext = der.encode_sequence(der.encode_oid(oid), der.encode_tlv(der.OCTET_STRING, value))

    def transform(items: list[bytes]) -> list[bytes]:
        out = []
        for item in items:
            if item[0] == 0xA3:
                seq = der.unwrap(der.unwrap(item, 0xA3), der.SEQUENCE)
                item = der.encode_tlv(0xA3, der.encode_sequence(seq, ext))
            out.append(item)
        return out

    return transform


_TRANSFORMS = {"dup-san": _append_extension(_SAN, _SAN_VALUE), "v1": certgen.drop_version}


def _cas():
    root = forge(PRESETS["root_ca"], seed="memo")
    return root, forge(PRESETS["intermediate_ca"], root, seed="memo")


def _extra(folder: Path) -> int:
    """The twin leaves, issued by memo_corpus's intermediate (same seed, same bytes)."""
    _root, ica = _cas()
    plain = replace(
        PRESETS["dual_use"], key_type="ec", not_before=AT - dt.timedelta(days=10), validity_days=90
    )
    variants = {
        name: (changes, None if t is None else _TRANSFORMS[t])
        for name, (changes, t) in VARIANTS.items()
    }
    return write_twins(folder, variants, plain=plain, ica=ica, tag="os", copies=COPIES)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("memo-openssl")
    n = build(folder)
    return folder, n + _extra(folder / "os")


@pytest.fixture(scope="module")
def scans(corpus: tuple[Path, int]):
    """(fresh frame, fresh calls, memo frame, memo calls), scanned once."""
    folder, _n = corpus
    with pytest.MonkeyPatch.context() as mp:
        fresh, fresh_calls = scan(folder, False, mp, PROFILE)
        memo, memo_calls = scan(folder, True, mp, PROFILE)
    return fresh, fresh_calls, memo, memo_calls


def test_outcome_key_is_declared() -> None:
    from certlib.profiles import openssl

    assert "outcome_key" in openssl.__all__
    cert = _cas()[1].certificate
    key = purpose.outcome_key(PROFILE, facts(cert), cert=cert, at=AT, chain=())
    assert key is not None and key[0] == PROFILE


def test_memoised_outcomes_equal_fresh_ones(corpus: tuple[Path, int], scans) -> None:
    _folder, n_files = corpus
    fresh, fresh_calls, memo, memo_calls = scans
    ok = fresh[fresh["status"] != "error"]
    assert len(ok) >= 450, len(ok)
    assert n_files >= 450 + 2 * COPIES * len(VARIANTS)
    assert fresh_calls == 6 * len(ok)
    pd.testing.assert_frame_equal(memo, fresh)
    # the memo is used: at most 70% of the verdicts are computed afresh
    assert memo_calls % 6 == 0
    assert memo_calls <= 0.7 * fresh_calls, (memo_calls, fresh_calls)
    assert (ok["chain_complete"] & ok["issuer_sha256"].notna()).sum() >= 250
    # this file's leaves are all there, linked to the memo intermediate and rooted
    leaves = ok[ok["source_path"].str.contains("/os/", regex=False)]
    assert len(leaves) == 2 * COPIES * len(VARIANTS)
    assert leaves["chain_complete"].all()


def test_every_key_group_has_one_outcome(scans) -> None:
    """Stronger than memo == fresh: every two certificates with equal keys got equal fresh
    outcomes."""
    fresh, *_rest = scans
    groups: dict[tuple, dict[tuple, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = 0
    for key, outcomes, path in memo_keys(fresh, PROFILE):
        groups[key][outcomes].append(path)
        rows += 1
    bad = {k: dict(v) for k, v in groups.items() if len(v) > 1}
    assert not bad, bad
    assert rows >= 300
    shared = sum(1 for v in groups.values() if sum(map(len, v.values())) > 1)
    assert shared >= 20  # keys really are shared, so the check compares something


#: Variants whose six outcomes differ from their plain twin's (chain-aware, at AT).
DIFFERS = {
    "san-malformed",  # undecodable SAN: invalid
    "san-duplicate",  # two SANs: invalid
    "not-after-at",  # notAfter == at: expired (error 10)
    "not-after-before-at",
    "not-before-after-at",  # error 9
    "eku-code",
    "unknown-critical",  # error 34
}


def test_twins_keys_differ_when_outcomes_do(corpus: tuple[Path, int]) -> None:
    """Each variant against its plain twin, judged directly (chain-aware, at AT, the pool the
    inventory passes): different outcomes always come with different keys, and the copies of
    one twin (which differ only in their names, SAN and key) share one key."""
    folder, _n = corpus
    root, ica = _cas()
    chain = (ica.certificate, root.certificate)
    twins = read_twins(folder / "os")

    def judged(cert: x509.Certificate) -> tuple[tuple[str, ...], tuple | None]:
        outcomes = tuple(
            purpose.verdict(
                cert,
                p,
                PROFILE,
                intermediates=[ica.certificate],
                roots=[root.certificate],
                at=AT,
            ).outcome
            for p in Purpose
        )
        return outcomes, purpose.outcome_key(PROFILE, facts(cert), cert=cert, at=AT, chain=chain)

    differs = set()
    for name in VARIANTS:
        plain = {judged(c) for c in twins[(name, "a-plain")]}
        variant = {judged(c) for c in twins[(name, "b-variant")]}
        assert len(plain) == 1 and len(variant) == 1, (name, plain, variant)
        (p_out, p_key), (v_out, v_key) = plain.pop(), variant.pop()
        if p_out != v_out:
            assert p_key != v_key, (name, p_out, v_out, p_key)
            differs.add(name)
    assert differs >= DIFFERS, differs
