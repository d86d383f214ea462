"""Memoised verdict outcomes equal fresh ones under the windows and go profiles.

Both profiles define ``outcome_key`` (what ``evaluate`` reads of the leaf itself); the inventory
memoises the six outcomes on ``(outcome_key, _chain_key)``. The oracle is the inventory with the
memo off, on ``memo_corpus`` plus leaves written here for what the shared corpus has little or
none of but these profiles read: Microsoft Application Policies (windows), a critical SKI or
AIA, a negative serial, duplicated extensions, a SHA-1 signature (go), each next to a plain
twin that differs in that one respect only, so a key that left it out would hand one of them
the other's outcomes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

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

PROFILES = ("windows", "go")
UNKNOWN = "1.3.6.1.4.1.55555.7.1"
_AIA = der.encode_sequence(
    der.encode_sequence(
        der.encode_oid("1.3.6.1.5.5.7.48.2"), der.encode_tlv(0x86, b"http://ca.example/ca.crt")
    )
)
_SKI = der.encode_tlv(der.OCTET_STRING, bytes(range(20)))

#: name -> (changes to the plain spec, the extension OID to duplicate after signing or None).
VARIANTS: dict[str, tuple[dict, str | None]] = {
    "plain": ({}, None),
    "rsa-other-san": ({"key_type": "rsa", "sans": (), "validity_days": 400}, None),
    "eku-empty": ({"eku": ()}, None),
    "eku-any": ({"eku": (EKU.ANY.oid,)}, None),
    "eku-code": ({"eku": (EKU.CODE_SIGNING.oid,)}, None),
    "app-server-eku-code": (
        {"eku": (EKU.CODE_SIGNING.oid,), "ms_application_policies": (EKU.SERVER_AUTH.oid,)},
        None,
    ),
    "app-empty": ({"ms_application_policies": ()}, None),
    "app-all-eku-code": (
        {
            "eku": (EKU.CODE_SIGNING.oid,),
            "ms_application_policies": (EKU.MS_ALL_APPLICATION_POLICIES.oid,),
        },
        None,
    ),
    "app-same-as-eku": ({"ms_application_policies": PRESETS["dual_use"].eku}, None),
    "ski-critical": (
        {
            "subject_key_identifier": False,
            "extra_extensions": ((EXT.SUBJECT_KEY_IDENTIFIER.oid, True, _SKI),),
        },
        None,
    ),
    "aia-critical": (
        {"extra_extensions": ((EXT.AUTHORITY_INFORMATION_ACCESS.oid, True, _AIA),)},
        None,
    ),
    "aia-noncritical": (
        {"extra_extensions": ((EXT.AUTHORITY_INFORMATION_ACCESS.oid, False, _AIA),)},
        None,
    ),
    "serial-negative": ({"serial_number": -7}, None),
    "unknown-critical": ({"extra_extensions": ((UNKNOWN, True, b"\x05\x00"),)}, None),
    "unknown-noncritical": ({"extra_extensions": ((UNKNOWN, False, b"\x05\x00"),)}, None),
    "dup-unknown": ({"extra_extensions": ((UNKNOWN, False, b"\x05\x00"),)}, UNKNOWN),
    "dup-eku": ({}, EXT.EXTENDED_KEY_USAGE.oid),
    "sha1-signed": ({"signature_hash": "sha1"}, None),
}
COPIES = 3


def _append_extension(oid: str, value: bytes):
    """A certgen.rewrite transform: one more (non-critical) extension after the others."""
    ext = der.encode_sequence(der.encode_oid(oid), der.encode_tlv(der.OCTET_STRING, value))

    def transform(items: list[bytes]) -> list[bytes]:
        out = []
        for item in items:
            if item[0] == 0xA3:  # [3] EXPLICIT Extensions: append one more
                seq = der.unwrap(der.unwrap(item, 0xA3), der.SEQUENCE)
                item = der.encode_tlv(0xA3, der.encode_sequence(seq, ext))
            out.append(item)
        return out

    return transform


def _extra(folder: Path) -> int:
    """The variant leaves, issued by memo_corpus's intermediate (same seed, same bytes), in
    file order plain twin and variant interleaved; returns how many files were written."""
    root = forge(PRESETS["root_ca"], seed="memo")
    ica = forge(PRESETS["intermediate_ca"], root, seed="memo")
    dup_values = {
        UNKNOWN: b"\x05\x00",
        EXT.EXTENDED_KEY_USAGE.oid: der.encode_sequence(der.encode_oid(EKU.CODE_SIGNING.oid)),
    }
    variants = {
        name: (changes, None if dup is None else _append_extension(dup, dup_values[dup]))
        for name, (changes, dup) in VARIANTS.items()
    }
    plain = replace(PRESETS["dual_use"], key_type="ec")
    return write_twins(folder, variants, plain=plain, ica=ica, tag="wg", copies=COPIES)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("memo-wg")
    n = build(folder)
    return folder, n + _extra(folder / "wg")


@pytest.fixture(scope="module")
def scans(corpus: tuple[Path, int]):
    """profile -> (fresh frame, fresh calls, memo frame, memo calls); each scanned once."""
    folder, _n = corpus
    done: dict[str, tuple[pd.DataFrame, int, pd.DataFrame, int]] = {}

    def get(profile: str):
        if profile not in done:
            with pytest.MonkeyPatch.context() as mp:
                fresh, fresh_calls = scan(folder, False, mp, profile)
                memo, memo_calls = scan(folder, True, mp, profile)
            done[profile] = (fresh, fresh_calls, memo, memo_calls)
        return done[profile]

    return get


@pytest.mark.parametrize("profile", PROFILES)
def test_memoised_outcomes_equal_fresh_ones(corpus: tuple[Path, int], scans, profile: str) -> None:
    _folder, n_files = corpus
    fresh, fresh_calls, memo, memo_calls = scans(profile)
    ok = fresh[fresh["status"] != "error"]
    assert len(ok) >= 450, len(ok)
    assert n_files >= 450 + 2 * COPIES * len(VARIANTS)
    assert fresh_calls == 6 * len(ok)
    pd.testing.assert_frame_equal(memo, fresh)
    # the forged leaves (memo_corpus's and this file's twins) share shapes: the memo is used
    # (on this corpus ~270 windows and ~260 go certificates of ~590 come from it)
    assert memo_calls % 6 == 0
    assert memo_calls <= fresh_calls - 6 * 200, (memo_calls, fresh_calls)
    # the chain-aware part is exercised: many linked, rooted leaves
    assert (ok["chain_complete"] & ok["issuer_sha256"].notna()).sum() >= 250
    # this file's leaves are all there, linked to the memo intermediate and rooted
    wg = ok[ok["source_path"].str.contains("/wg/", regex=False)]
    assert len(wg) == 2 * COPIES * len(VARIANTS)
    assert wg["chain_complete"].all()


@pytest.mark.parametrize("profile", PROFILES)
def test_every_key_group_has_one_outcome(scans, profile: str) -> None:
    """Stronger than memo == fresh (which compares each certificate with the first of its
    key only): every two certificates with equal keys got equal fresh outcomes."""
    fresh, *_rest = scans(profile)
    groups: dict[tuple, dict[tuple, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = 0
    for key, outcomes, path in memo_keys(fresh, profile):
        groups[key][outcomes].append(path)
        rows += 1
    bad = {k: dict(v) for k, v in groups.items() if len(v) > 1}
    assert not bad, bad
    assert rows >= 300
    shared = sum(1 for v in groups.values() if sum(map(len, v.values())) > 1)
    assert shared >= 20  # keys really are shared, so the check compares something


#: Variants whose six outcomes differ from their plain twin's, per profile (chain-aware, at AT).
#: Every other variant changes something the profile does not read for an outcome.
DIFFERS = {
    "windows": {
        "eku-empty",  # an empty EKU means "no uses"
        "eku-any",
        "eku-code",
        "app-server-eku-code",  # Application Policies replace the EKU
        "app-empty",
        "app-all-eku-code",
        "unknown-critical",  # CERT_TRUST_HAS_NOT_SUPPORTED_CRITICAL_EXT
    },
    "go": {
        "eku-empty",  # an empty EKU is transparent
        "eku-any",
        "eku-code",
        "app-server-eku-code",  # Go reads the EKU, not Application Policies
        "app-all-eku-code",
        "ski-critical",
        "aia-critical",
        "serial-negative",
        "unknown-critical",
        "dup-unknown",
        "dup-eku",
        "sha1-signed",  # 'insecure algorithm ECDSA-SHA1'
    },
}


@pytest.mark.parametrize("profile", PROFILES)
def test_twins_keys_differ_exactly_when_outcomes_do(corpus: tuple[Path, int], profile: str) -> None:
    """Each variant against its plain twin, judged directly (chain-aware, at AT): the key
    tells them apart exactly when an outcome differs, so the corpus pairs test each part of
    the key, and the key holds nothing these leaves vary without effect (key type, SAN,
    lifetime, ...)."""
    folder, _n = corpus
    root = forge(PRESETS["root_ca"], seed="memo").certificate
    ica = forge(PRESETS["intermediate_ca"], forge(PRESETS["root_ca"], seed="memo"), seed="memo")
    twins = read_twins(folder / "wg")

    def judged(cert: x509.Certificate) -> tuple[tuple[str, ...], tuple | None]:
        outcomes = tuple(
            purpose.verdict(
                cert, p, profile, intermediates=[ica.certificate], roots=[root], at=AT
            ).outcome
            for p in Purpose
        )
        return outcomes, purpose.outcome_key(profile, facts(cert), cert=cert, at=AT)

    differs = set()
    for name in VARIANTS:
        plain = {judged(c) for c in twins[(name, "a-plain")]}
        variant = {judged(c) for c in twins[(name, "b-variant")]}
        assert len(plain) == 1 and len(variant) == 1, (name, plain, variant)
        (p_out, p_key), (v_out, v_key) = plain.pop(), variant.pop()
        assert (p_out != v_out) == (p_key != v_key), (name, p_out, v_out, p_key, v_key)
        if p_out != v_out:
            differs.add(name)
    assert differs == DIFFERS[profile]
