"""decode's fast reader gives exactly the guarded reader's row, and facts() its old answers.

``certlib.cert.decode`` builds most rows straight from the DER (``certlib.cert.fast_row``) and
falls back to the field-by-field reader (``certlib.cert.guarded_row``) for anything unusual;
``certlib.cert.facts`` memoises per-extension results in a run's Memo and walks the TBS with an
inlined reader. Neither may change a single value, with or without a memo, so every certificate
we have (the 20k inventory bundle, the differential generator's odd certificates, the sample
inventory, x509-limbo, forge presets in every key type) is decoded both ways and compared, and
facts() is compared with the straightforward walk it replaced (kept below as the reference).
"""

from __future__ import annotations

import functools
import importlib
import json
import math
import warnings
from dataclasses import replace
from hashlib import sha256
from typing import Any

import pytest
from conftest import LIMBO, ROOT
from cryptography import x509
from cryptography.hazmat.bindings._rust import x509 as rust_x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_der_public_key
from cryptography.x509.name import _ASN1Type
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certlib import sources
from certlib.cert import der, keys, rfc4514
from certlib.cert.facts import CertFacts, facts
from certlib.cert.fast_row import decode_fast, is_sct_list
from certlib.cert.forge import PRESETS, forge
from certlib.cert.guarded_row import decode_guarded
from certlib.core.memo import Memo
from certlib.core.oids import NAME_ATTRIBUTE_SHORT_NAMES, public_key_algorithm

decode_mod = importlib.import_module(
    "certlib.cert.decode"
)  # certlib.cert.decode is also the function
facts_mod = importlib.import_module("certlib.cert.facts")

BUNDLE = ROOT / "benchmarks" / "out" / "inventory-20000" / "bundle.pem"


# --------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------


def _load_all(ders: list[bytes]) -> list[tuple[x509.Certificate, bytes]]:
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for d in ders:
            try:
                out.append((x509.load_der_x509_certificate(d), d))
            except ValueError:
                continue
    return out


@functools.cache
def corpus() -> dict[str, list[tuple[x509.Certificate, bytes]]]:
    """name -> [(certificate, the DER it was loaded from)]."""
    import certgen

    parts: dict[str, list[bytes]] = {}
    if BUNDLE.is_file():  # after `make bench`: the benchmark's 20,000 certificates
        parts["bundle"] = [
            c.public_bytes(Encoding.DER)
            for c in x509.load_pem_x509_certificates(BUNDLE.read_bytes())
        ]
    else:  # a fresh clone: 1,000 of the same shapes, made here
        parts["bundle"] = _look_alikes(BUNDLE_FALLBACK)
    parts["certgen"] = [g.certificate.public_bytes(Encoding.DER) for g in certgen.generate()]
    parts["sample"] = [
        r.der
        for r in sources.read_certificates(ROOT / "data" / "sample-inventory")
        if isinstance(r, sources.Found)
    ]
    limbo = LIMBO / "x509-limbo-eku-ku.json"  # vendored: missing is a failure
    pems = []
    for case in json.loads(limbo.read_text(encoding="utf-8"))["testcases"]:
        pems += [case["peer_certificate"], *case["untrusted_intermediates"]]
        pems += case["trusted_certs"]
    parts["limbo"] = [
        x509.load_pem_x509_certificate(p.encode()).public_bytes(Encoding.DER) for p in pems
    ]
    forged = []
    keys_memo = Memo()  # the RSA keys: each is a second of prime search
    for name, spec in PRESETS.items():
        for key_type in ("ec", "ec384", "rsa", "ed25519"):
            spec_k = replace(spec, key_type=key_type)
            forged.append(forge(spec_k, seed=f"fast-{name}", memo=keys_memo))
    parts["forge"] = [f.der for f in forged]
    return {k: _load_all(v) for k, v in parts.items()}


BUNDLE_FALLBACK = 1_000


def _look_alikes(n: int) -> list[bytes]:
    """``n`` leaves of the benchmark's four shapes under one intermediate (as bench_inventory)."""
    root = forge(PRESETS["root_ca"], seed="bench")
    ica = forge(PRESETS["intermediate_ca"], root, seed="bench")
    shapes = [PRESETS[k] for k in ("dual_use", "user_client", "no_eku", "code_signing")]
    out = [root.der, ica.der]
    for i in range(n - 2):
        name = f"h{i}.bench.example"
        spec = replace(shapes[i % 4], common_name=name, sans=(f"DNS:{name}",))
        out.append(forge(spec, ica, seed="bench").der)
    return out


def _same(a: Any, b: Any) -> bool:
    """Equality that counts NaN equal to NaN and tells 1 from True."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _diff(fast: dict[str, Any], guarded: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    assert list(fast) == list(guarded) == list(decode_mod.COLUMNS)
    return {k: (fast[k], guarded[k]) for k in fast if not _same(fast[k], guarded[k])}


def _fresh(c: x509.Certificate, d: bytes) -> x509.Certificate:
    """A new object: cryptography caches parsed parts per object, and decode memoises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return x509.load_der_x509_certificate(d)


# --------------------------------------------------------------------------------------------
# decode: fast path == guarded path
# --------------------------------------------------------------------------------------------


def test_corpus_is_large_and_varied() -> None:
    parts = corpus()
    assert len(parts["certgen"]) >= 1_000
    assert len(parts["sample"]) >= 10
    assert len(parts["forge"]) == 4 * len(PRESETS)
    assert len(parts["bundle"]) == (20_000 if BUNDLE.is_file() else BUNDLE_FALLBACK)
    assert sum(map(len, parts.values())) >= 1_000


@pytest.mark.parametrize("part", ["bundle", "certgen", "sample", "limbo", "forge"])
def test_fast_row_equals_guarded_row(part: str) -> None:
    items = corpus()[part]  # every part exists (limbo: the limbo_dir fixture's data)
    memo = Memo(limit=512)  # one run's memo, small enough to be emptied along the way
    fast_taken = clean = missed = 0
    for i, (cert, d) in enumerate(items):
        guarded = decode_guarded(_fresh(cert, d))
        rows = [decode_mod.decode(_fresh(cert, d), der=d), decode_mod.decode(cert, memo=memo)]
        if part != "bundle" or i % 5 == 0:  # the bundle is 20,000 look-alikes
            rows += [
                decode_mod.decode(_fresh(cert, d)),
                decode_mod.decode(cert),
                decode_mod.decode(cert, der=d, memo=memo),  # the same object again: memo warm
                decode_guarded(_fresh(cert, d), memo=memo),
                decode_mod.decode(_fresh(cert, d), der=d, memo=memo, sha256=sha256(d).hexdigest()),
            ]
        for row in rows:
            assert not _diff(row, guarded), (part, guarded["sha256"], _diff(row, guarded))
        fast = decode_fast(_fresh(cert, d), d) is not None
        fast_taken += fast
        clean += not (guarded["decode_errors"] or guarded["warnings"])
        missed += not fast and not (guarded["decode_errors"] or guarded["warnings"])
    # The fast path must really be taken: for every clean row but the odd Name (T61String,
    # BMPString, multi-valued RDN, ...), and for all of the ordinary certificates.
    assert missed <= 0.01 * clean, (part, missed, clean)
    minimum = {"bundle": 1.0, "forge": 1.0, "sample": 0.9, "limbo": 0.9, "certgen": 0.6}[part]
    assert fast_taken >= minimum * len(items), (part, fast_taken, len(items))
    assert len(memo) > 0  # the memoised rows really went through the memo


def test_rows_with_errors_or_warnings_come_from_the_guarded_path() -> None:
    broken = 0
    for cert, d in corpus()["certgen"]:
        guarded = decode_guarded(_fresh(cert, d))
        if guarded["decode_errors"] or guarded["warnings"]:
            broken += 1
            assert decode_fast(_fresh(cert, d), d) is None, guarded["sha256"]
    assert broken >= 50  # the generator's malformed and duplicate extensions


def test_a_known_sha256_is_taken_not_hashed_again() -> None:
    """The inventory passes pass 1's SHA-256 of the DER: the fast row takes it as is, and
    ignores it when it has no DER of the caller's (it then encodes and hashes its own)."""
    taken = 0
    for cert, d in corpus()["forge"]:
        marker = "f" * 64
        row = decode_mod.decode(_fresh(cert, d), der=d, sha256=marker)
        if not (row["decode_errors"] or row["warnings"]):
            assert row["sha256"] == marker
            taken += 1
        assert decode_mod.decode(_fresh(cert, d), sha256=marker)["sha256"] == sha256(d).hexdigest()
    assert taken == len(corpus()["forge"])


def test_the_comparison_can_fail() -> None:
    cert, d = corpus()["certgen"][0]
    row = decode_mod.decode(cert, der=d)
    other = dict(row, subject=row["subject"] + "x", validity_days=float("nan"))
    assert set(_diff(other, row)) == {"subject", "validity_days"}
    assert _diff(dict(row, version=True), dict(row, version=1))


def test_the_guarded_reader_only_reads_what_the_fast_one_gives_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    real = decode_mod.decode_guarded
    monkeypatch.setattr(
        decode_mod, "decode_guarded", lambda c, memo=None: calls.append(c) or real(c, memo=memo)
    )
    cert, d = corpus()["forge"][0]
    decode_mod.decode(cert, der=d)
    assert calls == []
    broken = [c for c, d in corpus()["certgen"] if decode_fast(_fresh(c, d), d) is None]
    assert len(broken) >= 50
    decode_mod.decode(broken[0])
    assert calls == [broken[0]]


# --------------------------------------------------------------------------------------------
# Names: the RFC 4514 writer against cryptography
# --------------------------------------------------------------------------------------------

_STRING_TYPES = (_ASN1Type.UTF8String, _ASN1Type.PrintableString, _ASN1Type.IA5String)
_SPECIALS = st.sampled_from(list('\\"+,;<>#= \x00\t\n\u00e9\u4e2d\U0001f600'))
_VALUES = st.lists(st.one_of(_SPECIALS, st.characters()), max_size=12).map("".join)
_ATTRIBUTE = st.tuples(
    st.sampled_from([*sorted(rfc4514.ATTRIBUTE_TEXT), "1.3.6.1.4.1.55555.1", "2.5.4.45"]),
    _VALUES,
    st.sampled_from((*_STRING_TYPES, _ASN1Type.BMPString, _ASN1Type.T61String)),
)


def _name_der(rdns: list[list[tuple[str, str, _ASN1Type]]]) -> bytes | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            name = x509.Name(
                [
                    x509.RelativeDistinguishedName(
                        [
                            x509.NameAttribute(x509.ObjectIdentifier(o), v, t, _validate=False)
                            for o, v, t in rdn
                        ]
                    )
                    for rdn in rdns
                ]
            )
        return name.public_bytes()
    except (ValueError, UnicodeEncodeError):
        return None  # not encodable (e.g. a non-ASCII value as PrintableString)


def _cryptography_fields(name_der: bytes) -> tuple[str, str | None, list[str]] | None:
    """name_text and _common_name as the guarded path reads them, and the warnings raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            name = rust_x509.parse_name_bytes(name_der)
        except ValueError:
            return None
        text = decode_mod.name_text(name)
        cn = rfc4514.common_name(name)
    return text, cn, [str(w.message) for w in caught]


def _fast_fields(name_der: bytes) -> tuple[str, str | None] | None:
    try:
        return rfc4514.name_fields_from_der(name_der)
    except (rfc4514.Unhandled, der.NotStrictDer):
        return None


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_ATTRIBUTE, min_size=1, max_size=2), max_size=5))
def test_name_writer_matches_cryptography(rdns: list[list[tuple[str, str, _ASN1Type]]]) -> None:
    name_der = _name_der(rdns)
    if name_der is None:
        return
    expected = _cryptography_fields(name_der)
    fast = _fast_fields(name_der)
    if expected is None:
        assert fast is None
        return
    text, cn, warned = expected
    if fast is not None:
        assert not warned, (name_der.hex(), warned)
        assert fast == (text, cn), name_der.hex()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2.5.4.3", "2.5.4.10", "2.5.4.11", "2.5.4.7", "2.5.4.5"]),
            st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_name_writer_handles_ordinary_utf8_names(attrs: list[tuple[str, str]]) -> None:
    """Not vacuous: single-valued UTF8String names are always written by the fast writer."""
    name_der = _name_der([[(o, v, _ASN1Type.UTF8String)] for o, v in attrs])
    assert name_der is not None
    fast = _fast_fields(name_der)
    expected = _cryptography_fields(name_der)
    assert expected is not None
    if any(o == "2.5.4.3" and len(v.encode()) > 64 for o, v in attrs):
        assert fast is None  # cryptography warns about the CN length: the guarded path says so
        return
    assert fast == expected[:2]


@pytest.mark.parametrize(
    "value",
    [
        *("", " ", "  ", "#a", " a", "a ", "a  ", "a\\b", 'a"b', "a+b,c;d<e>f", "\x00", "# ", "é"),
        *("x" * 200, "é" * 100, " " + "y" * 300 + " ", "a\nb", "a\n "),  # long-form lengths
    ],
)
def test_escaping_edge_cases(value: str) -> None:
    name_der = _name_der([[("2.5.4.10", value, _ASN1Type.UTF8String)]])
    assert name_der is not None
    assert _fast_fields(name_der) == _cryptography_fields(name_der)[:2]


def test_length_limits_are_cryptographys() -> None:
    from cryptography.x509.name import _NAMEOID_LENGTH_LIMIT

    ours = rfc4514.LENGTH_LIMITS
    assert {o.dotted_string: v for o, v in _NAMEOID_LENGTH_LIMIT.items()} == ours


def test_default_attribute_names_are_cryptographys() -> None:
    from cryptography.x509.name import _NAMEOID_TO_NAME

    for oid, short in _NAMEOID_TO_NAME.items():
        dotted = oid.dotted_string
        assert rfc4514.ATTRIBUTE_TEXT[dotted] == NAME_ATTRIBUTE_SHORT_NAMES.get(dotted, short)


# --------------------------------------------------------------------------------------------
# facts(): unchanged, against the straightforward walk it replaced
# --------------------------------------------------------------------------------------------


def _reference_tbs(tbs: bytes) -> tuple[int, bytes, bytes, bytes, bytes, list[der.RawExtension]]:
    tag, start, end = der.read_tlv(tbs)
    if tag != der.SEQUENCE:
        raise der.DerError("TBSCertificate is not a SEQUENCE")
    offset, items = start, []
    while offset < end:
        t, s, e = der.read_tlv(tbs, offset)
        items.append((t, offset, e))
        offset = e
    version, idx = 1, 0
    if items and items[0][0] == 0xA0:
        inner = tbs[items[0][1] : items[0][2]]
        _t, s, e = der.read_tlv(inner)
        version = der.parse_int(der.unwrap(inner[s:e], der.INTEGER)) + 1
        idx = 1
    if len(items) < idx + 6:
        raise der.DerError("TBSCertificate has too few fields")

    def whole(i: int) -> bytes:
        return tbs[items[i][1] : items[i][2]]

    extensions = []
    for t, s, _e in items[idx + 6 :]:
        if t != 0xA3:
            continue
        _t3, vs, ve = der.read_tlv(tbs, s)
        ext_list = []
        ext_seq = der.unwrap(tbs[vs:ve], der.SEQUENCE)
        offset = 0
        while offset < len(ext_seq):
            et, es, ee = der.read_tlv(ext_seq, offset)
            ext_list.append((et, ext_seq[es:ee]))
            offset = ee
        for etag, ext in ext_list:
            if etag != der.SEQUENCE:
                raise der.DerError("an Extension is not a SEQUENCE")
            parts = []
            offset = 0
            while offset < len(ext):
                pt, ps, pe = der.read_tlv(ext, offset)
                parts.append((pt, ext[ps:pe]))
                offset = pe
            if (
                len(parts) not in (2, 3)
                or parts[0][0] != der.OID
                or parts[-1][0] != der.OCTET_STRING
            ):
                raise der.DerError("malformed Extension")
            critical = der.parse_bool(parts[1][1]) if len(parts) == 3 else False
            oid = der._oid_text(parts[0][1])
            extensions.append(der.RawExtension(oid, critical, parts[-1][1]))
    serial = der.unwrap(whole(idx), der.INTEGER)
    return version, serial, whole(idx + 2), whole(idx + 4), whole(idx + 5), extensions


def _reference_facts(tbs_bytes: bytes) -> CertFacts:
    errors: list[str] = []
    try:
        version, serial, issuer, subject, _spki, extensions = _reference_tbs(tbs_bytes)
    except der.DerError as exc:
        errors.append(f"TBSCertificate: cannot walk ({exc})")
        version, serial, issuer, subject, extensions = 3, b"\x00", b"", b"", []
    values: dict[str, object] = dict(facts_mod._DEFAULTS)
    seen: set[str] = set()
    for ext in extensions:
        if ext.oid in seen:
            continue
        seen.add(ext.oid)
        try:
            facts_mod._read_extension(ext, values, None)
        except der.DerError as exc:
            errors.append(f"{facts_mod._name(ext.oid)}: cannot decode ({exc})")
    return CertFacts(
        version=version,
        serial=der.parse_int(serial),
        subject_der=subject,
        issuer_der=issuer,
        extensions=tuple(extensions),
        errors=tuple(errors),
        **values,  # type: ignore[arg-type]
    )


def _all_corpus() -> list[tuple[x509.Certificate, bytes]]:
    return [item for part in corpus().values() for item in part]


def test_facts_unchanged_on_the_corpus() -> None:
    memo = Memo(limit=512)  # one run's memo, small enough to be emptied along the way
    checked = with_errors = 0
    for cert, d in _all_corpus():
        tbs = cert.tbs_certificate_bytes
        expected = _reference_facts(tbs)
        fresh = _fresh(cert, d)
        for f in (
            facts(cert),
            facts(cert, tbs=tbs),
            facts(fresh),
            facts(cert, memo=memo),
            facts(fresh, tbs=tbs, memo=memo),
            facts(cert, memo=memo),  # kept by identity
        ):
            assert f == expected, expected
            assert f.__dict__.keys() == expected.__dict__.keys()
            assert len(f.extension_ders) == len(f.extensions)
        checked += 1
        with_errors += bool(expected.errors)
    assert checked >= 1_000 and with_errors >= 50
    assert len(memo) > 0  # the memoised reads went through the memo


def test_facts_are_kept_per_object_only_in_the_memo_given() -> None:
    (cert, d), (other, _) = corpus()["forge"][:2]
    memo = Memo()
    first = facts(cert, memo=memo)
    assert facts(cert, memo=memo) is first  # the same object: kept
    assert facts(_fresh(cert, d), memo=memo) is not first  # another object: read again
    assert facts(cert) is not first and facts(cert, memo=Memo()) is not first  # no module state
    assert facts(cert) == first
    assert facts(other, memo=memo) != first


def test_tbs_fields_by_products() -> None:
    for cert, _d in corpus()["forge"] + corpus()["sample"]:
        tbs = cert.tbs_certificate_bytes
        t = der.tbs_fields(tbs)
        *_head, spki, _exts = _reference_tbs(tbs)
        assert t.spki == spki
        assert t.spki == cert.public_key().public_bytes(
            Encoding.DER, PublicFormat.SubjectPublicKeyInfo
        )
        assert all(e in tbs for e in t.extension_ders)


def test_tbs_slice_of_the_der_is_cryptographys_tbs() -> None:
    for cert, d in _all_corpus():
        _tag, start, _end = der.read_tlv(d)
        _t, _s, tbs_end = der.read_tlv(d, start)
        assert d[start:tbs_end] == cert.tbs_certificate_bytes
        assert d == cert.public_bytes(Encoding.DER)


def test_malformed_tbs_errors_unchanged() -> None:
    """Cut-short and retagged TBS bytes give the same facts (and errors) as the reference."""
    cert, _d = corpus()["forge"][0]
    tbs = cert.tbs_certificate_bytes
    variants = [tbs[:n] for n in range(0, len(tbs), 7)]
    variants += [
        tbs[:i] + bytes([b]) + tbs[i + 1 :]
        for i in range(0, len(tbs), 3)
        for b in (0x31, 0x81, 0xFF)
    ]
    memo = Memo()
    for v in variants:
        assert facts(cert, tbs=v) == _reference_facts(v), v.hex()
        assert facts_mod._from_tbs(v, memo) == _reference_facts(v), v.hex()


# --------------------------------------------------------------------------------------------
# EC keys read from the SPKI: the same size and curve as cryptography, or left to it
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("curve", [ec.SECP256R1(), ec.SECP384R1(), ec.SECP521R1()])
def test_ec_key_fields_match_cryptography(curve: ec.EllipticCurve) -> None:
    for i in range(20):
        spki = (
            ec.generate_private_key(curve)
            .public_key()
            .public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        )
        key = load_der_public_key(spki)
        algorithm = public_key_algorithm(x509.ObjectIdentifier("1.2.840.10045.2.1"))
        assert keys.ec_key_fields(spki) == (key.key_size, key.curve.name, algorithm.name)
        # one byte of Y (or X) changed: off the curve, which cryptography refuses
        bad = bytearray(spki)
        bad[-1 - i] ^= 0x01
        with pytest.raises(ValueError):
            load_der_public_key(bytes(bad))
        assert keys.ec_key_fields(bytes(bad)) is None
        # compressed points and truncations are left to cryptography
        assert keys.ec_key_fields(spki[:-1]) is None


def test_ec_key_fields_leave_other_keys_to_cryptography() -> None:
    for key_type in ("rsa", "ed25519"):
        cert = forge(replace(PRESETS["root_ca"], key_type=key_type), seed="fast-ec").certificate
        spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        assert keys.ec_key_fields(spki) is None
    p256 = ec.generate_private_key(ec.SECP256R1()).public_key()
    compressed = p256.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
    spki = p256.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    assert keys.ec_key_fields(spki[:-66] + b"\x03\x22\x00" + compressed) is None


def _reference_extension(ext: bytes) -> der.RawExtension:
    parts = []
    offset = 0
    while offset < len(ext):
        t, s, e = der.read_tlv(ext, offset)
        parts.append((t, ext[s:e]))
        offset = e
    if len(parts) not in (2, 3) or parts[0][0] != der.OID or parts[-1][0] != der.OCTET_STRING:
        raise der.DerError("malformed Extension")
    critical = der.parse_bool(parts[1][1]) if len(parts) == 3 else False
    return der.RawExtension(der._oid_text(parts[0][1]), critical, parts[-1][1])


def _outcome(fn: Any, arg: bytes) -> Any:
    try:
        return fn(arg)
    except der.DerError as exc:
        return f"DerError: {exc}"


def test_raw_extension_reader_matches_the_reference_on_mutations() -> None:
    contents = set()
    for cert, _d in corpus()["forge"] + corpus()["certgen"][:300]:
        for ext_der in facts(cert).extension_ders:
            _t, s, e = der.read_tlv(ext_der)
            contents.add(ext_der[s:e])
    assert len(contents) >= 50
    memo = Memo()
    checked = 0
    for content in sorted(contents):
        variants = [content, content[:-1], content + b"\x00", content[:5]]
        for i in range(min(len(content), 16)):
            for b in (0x00, 0x01, 0x04, 0x81, 0x82, 0xFF):
                variants.append(content[:i] + bytes([b]) + content[i + 1 :])
        for v in variants:
            expected = _outcome(_reference_extension, v)
            assert _outcome(der._raw_extension, v) == expected, v.hex()
            assert _outcome(lambda b: der._raw_extension(b, memo), v) == expected, v.hex()
            checked += 1
    assert checked >= 5_000


def test_a_wrong_der_is_not_trusted() -> None:
    """decode(cert, der=...) of another certificate's DER neither lies nor poisons facts()."""
    (a, a_der), (b, b_der) = corpus()["forge"][:2]
    a, b = _fresh(a, a_der), _fresh(b, b_der)
    memo = Memo()
    assert decode_mod.decode(a, der=b_der, memo=memo) == decode_guarded(a)
    assert facts(a, memo=memo) == _reference_facts(a.tbs_certificate_bytes)
    assert decode_mod.decode(b, der=bytearray(b_der), memo=memo) == decode_guarded(b)
    assert facts(b, memo=memo) == _reference_facts(b.tbs_certificate_bytes)


def _policy_with_visible_string(text: bytes) -> bytes:
    """CertificatePolicies: anyPolicy with a user notice whose explicitText is a VisibleString."""
    notice = der.encode_sequence(der.encode_tlv(0x1A, text))
    qualifier = der.encode_sequence(der.encode_oid("1.3.6.1.5.5.7.2.2"), notice)
    info = der.encode_sequence(der.encode_oid("2.5.29.32.0"), der.encode_sequence(qualifier))
    return der.encode_sequence(info)


def test_a_warning_cryptography_gives_once_per_object_is_kept() -> None:
    """cryptography warns about a UTF-8 VisibleString in a policy while parsing ``.extensions``,
    once per certificate object: the fast path must neither swallow that warning nor, having
    seen the policy once, skip it for the next certificate that carries the same bytes."""
    import certgen

    value = _policy_with_visible_string("h\u00e9llo".encode())
    spec = certgen._with_raw(
        replace(PRESETS["iis_server"], key_type="ec"), "2.5.29.32", value, False
    )
    root = forge(replace(PRESETS["root_ca"], key_type="ec"), seed="fast-cp-root")
    certs = [forge(spec, root, seed=f"fast-cp-{i}") for i in range(3)]
    for forged in certs:
        d = forged.der
        guarded = decode_guarded(_fresh(forged.certificate, d))
        assert any("VisibleString" in w for w in guarded["warnings"]), guarded["warnings"]
        for row in (
            decode_mod.decode(_fresh(forged.certificate, d)),
            decode_mod.decode(_fresh(forged.certificate, d), der=d),
        ):
            assert not _diff(row, guarded), _diff(row, guarded)
    # the same policy without the UTF-8 is accepted quietly, and then taken by the fast path
    clean = certgen._with_raw(
        PRESETS["iis_server"], "2.5.29.32", _policy_with_visible_string(b"hi"), False
    )
    forged = forge(clean, root, seed="fast-cp-clean")
    d = forged.der
    guarded = decode_guarded(_fresh(forged.certificate, d))
    assert not guarded["warnings"] and not guarded["decode_errors"]
    assert decode_fast(_fresh(forged.certificate, d), d) == guarded


def _sct(
    log: int, sig_len: int = 70, ext: bytes = b"", hash_alg: int = 4, sig_alg: int = 3
) -> bytes:
    body = bytes([0]) + bytes([log]) * 32 + (1_700_000_000_000).to_bytes(8, "big")
    body += len(ext).to_bytes(2, "big") + ext + bytes([hash_alg, sig_alg])
    body += sig_len.to_bytes(2, "big") + bytes(range(sig_len))
    return len(body).to_bytes(2, "big") + body


def _sct_value(scts: list[bytes]) -> bytes:
    data = b"".join(scts)
    return der.encode_tlv(der.OCTET_STRING, len(data).to_bytes(2, "big") + data)


def test_sct_lists_are_judged_as_cryptography_would() -> None:
    """Every SCT list our reader accepts, cryptography accepts quietly, and the rows agree."""
    import certgen

    good = _sct_value([_sct(1), _sct(2, ext=b"\x00\x01", hash_alg=4, sig_alg=1)])
    variants = [good, _sct_value([_sct(3, sig_len=0)]), _sct_value([])]
    variants += [_sct_value([_sct(1, hash_alg=h)]) for h in (0, 1, 6, 7)]
    variants += [_sct_value([_sct(1, sig_alg=a)]) for a in (0, 2, 4)]
    variants += [good[:-1], good + b"\x00", good[:2] + good[3:]]
    for i in range(3, min(len(good), 60), 5):
        variants += [good[:i] + bytes([good[i] ^ 0x01]) + good[i + 1 :]]
    root = forge(replace(PRESETS["root_ca"], key_type="ec"), seed="fast-sct-root")
    accepted = 0
    for n, value in enumerate(variants):
        spec = certgen._with_raw(
            replace(PRESETS["iis_server"], key_type="ec"), "1.3.6.1.4.1.11129.2.4.2", value, False
        )
        forged = forge(spec, root, seed=f"fast-sct-{n}")
        if is_sct_list(value):
            accepted += 1
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                assert _fresh(forged.certificate, forged.der).extensions  # no error, no warning
        d = forged.der
        guarded = decode_guarded(_fresh(forged.certificate, d))
        for row in (
            decode_mod.decode(_fresh(forged.certificate, d), der=d),
            decode_mod.decode(_fresh(forged.certificate, d)),
        ):
            assert not _diff(row, guarded), (value.hex(), _diff(row, guarded))
    assert accepted >= 5
