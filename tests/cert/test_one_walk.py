"""One walk of a certificate: general names, "self-signed" and loading each decided in one place,
and the cert layer keeps no state between calls (a run's Memo is the only memory)."""

from __future__ import annotations

import functools
import importlib
import pkgutil
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

import certlib.cert
import certlib.core
from certlib.cert import chain, der, general_names, keys
from certlib.cert.decode import decode
from certlib.cert.facts import facts
from certlib.cert.forge import PRESETS, CertSpec, forge
from certlib.cert.load import load_certificate
from certlib.cert.nameconstraints import parse_san
from certlib.core.memo import Memo
from certlib.core.oids import EXT

sys.path.insert(0, str(Path(__file__).parent))
import certgen

_CA_KU = frozenset({"key_cert_sign", "crl_sign"})


@functools.cache
def _corpus() -> list[x509.Certificate]:
    """The differential generator's certificates (odd SANs, broken extensions) and the presets."""
    certs = [g.certificate for g in certgen.generate()]
    keys_memo = Memo()
    certs += [forge(s, seed="walk", memo=keys_memo).certificate for s in PRESETS.values()]
    return certs


# --------------------------------------------------------------------------------------------
# general names
# --------------------------------------------------------------------------------------------


def test_der_text_of_each_general_name_is_what_cryptography_decodes() -> None:
    """text() (from DER) and object_text() (from cryptography) agree on every SAN both read."""
    compared = entries_seen = 0
    for cert in _corpus():
        raw = facts(cert).extension(EXT.SUBJECT_ALTERNATIVE_NAME.oid)
        if raw is None:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except Exception:  # ValueError, DuplicateExtension: cryptography refuses it
            continue  # only the DER reading exists
        items = general_names.entries(raw.value)
        ours = [general_names.text(tag, value) for tag, value in items]
        theirs = [general_names.object_text(n) for n in san]
        if any(t.startswith("DirName:") for t in theirs):
            continue  # DER text is hex for a directoryName, cryptography's is RFC 4514
        assert ours == theirs, cert.fingerprint(cert.signature_hash_algorithm).hex()
        simple = general_names.simple_texts(raw.value)
        assert simple is None or simple == theirs
        dns, ips = general_names.dns_and_ips(raw.value)
        assert dns == [n.value for n in san if isinstance(n, x509.DNSName)]
        assert ips == [n.value.packed for n in san if isinstance(n, x509.IPAddress)]
        compared += 1
        entries_seen += len(items)
    assert compared >= 200 and entries_seen >= 300


def test_general_names_report_malformed_sans() -> None:
    with pytest.raises(der.DerError):
        general_names.entries(b"\x30\x05\x82\x01a")  # the length runs past the end
    assert general_names.simple_texts(b"\x30\x00") is None  # empty: left to cryptography
    assert general_names.simple_texts(b"\x30\x81\x03\x82\x01a") is None  # non-minimal length
    assert general_names.simple_texts(b"\x30\x03\x82\x01a") == ["DNS:a"]


def test_name_constraints_read_sans_through_general_names() -> None:
    value = der.encode_sequence(
        der.encode_tlv(0x82, b"a.example"), der.encode_tlv(0x87, b"\1\2\3\4")
    )
    names = parse_san(value)
    assert names.dns == ("a.example",) and names.ip == (b"\1\2\3\4",)
    assert general_names.dns_and_ips(value) == (["a.example"], [b"\1\2\3\4"])
    assert general_names.names_tls_host(["email:a@b", "IP:1.2.3.4"])
    assert not general_names.names_tls_host(["email:a@b", "URI:https://x"])


# --------------------------------------------------------------------------------------------
# self-signed
# --------------------------------------------------------------------------------------------


def test_self_signed() -> None:
    root = forge(CertSpec(common_name="Walk Root", ca=True, key_usage=_CA_KU), seed="walk")
    leaf = forge(CertSpec(common_name="walk.example"), root, seed="walk")
    sha1 = forge(
        CertSpec(common_name="Walk SHA-1 Root", ca=True, key_usage=_CA_KU, signature_hash="sha1"),
        seed="walk",
    )
    # Self-issued (same name) but signed by another key: not self-signed.
    impostor = forge(CertSpec(common_name="Walk Root", ca=True, key_usage=_CA_KU), root, seed="x")
    assert keys.self_signed(root.certificate)
    assert keys.self_signed(sha1.certificate)  # cryptography's own check refuses SHA-1
    assert not keys.self_signed(leaf.certificate)
    assert facts(impostor.certificate).self_issued
    assert not keys.self_signed(impostor.certificate)
    assert (
        decode(root.certificate)["self_signed"] and not decode(impostor.certificate)["self_signed"]
    )


def test_self_signed_agrees_with_the_signature_check_of_links() -> None:
    """keys.self_signed is the rule the inventory used (a link from a certificate to itself)."""
    self_issued = 0
    certs = _corpus()
    for cert in certs:
        f = facts(cert)
        issued = f.self_issued and not any(e.startswith("TBSCertificate:") for e in f.errors)
        self_issued += issued
        try:
            linked = issued and chain.link_error(cert, cert) is None
        except Exception:
            linked = False
        assert keys.self_signed(cert) == linked
    assert len(certs) >= 1_000 and self_issued >= 100


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------


def test_load_certificate_keeps_warnings_and_errors_as_data() -> None:
    good = forge(PRESETS["web_server"], seed="walk").der
    negative = forge(replace(PRESETS["web_server"], serial_number=-5), seed="walk").der
    cert, notes = load_certificate(good)
    assert cert is not None and cert.public_bytes(Encoding.DER) == good and notes == []
    cert, notes = load_certificate(negative)
    assert cert is not None and len(notes) == 1 and "serial" in notes[0]
    cert, notes = load_certificate(b"\x30\x03\x02\x01\x00")
    assert cert is None and len(notes) == 1 and notes[0].startswith("cannot load: ")
    # inside a batch recorder: the same answers, and the recorder is left empty
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        answers = [load_certificate(d, log=log) for d in (negative, good, b"junk")]
        assert log == []
    assert [len(n) for _c, n in answers] == [1, 0, 1]
    assert answers[0][1] == load_certificate(negative)[1]


# --------------------------------------------------------------------------------------------
# no module state
# --------------------------------------------------------------------------------------------


def _module_containers() -> dict[str, int]:
    """Length of every module-level dict, set and list in certlib.core and certlib.cert."""
    out = {}
    for package in (certlib.core, certlib.cert):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if isinstance(value, dict | set | list) and not name.startswith("__"):
                    out[f"{info.name}.{name}"] = len(value)
    return out


def test_the_cert_layer_keeps_nothing_between_calls() -> None:
    before = _module_containers()
    assert len(before) >= 20  # the constant tables are found
    memo = Memo()
    certs = _corpus()[:300]
    root = forge(CertSpec(common_name="Walk Root", ca=True, key_usage=_CA_KU), seed="walk")
    for cert in certs:
        der_bytes = cert.public_bytes(Encoding.DER)
        for m in (None, memo):
            decode(cert, der=der_bytes, memo=m)
            facts(cert, memo=m)
            chain.link_error(cert, root.certificate, memo=m)
            chain.build_path(cert, [], [root.certificate], memo=m)
            chain.describe(cert, memo=m)
            keys.self_signed(cert, memo=m)
    assert _module_containers() == before
    assert len(memo) >= len(certs)  # the run's memo holds what was memoised


def test_link_and_path_answers_are_the_same_with_a_memo() -> None:
    root = forge(CertSpec(common_name="Walk Root", ca=True, key_usage=_CA_KU), seed="walk")
    ica = forge(CertSpec(common_name="Walk ICA", ca=True, key_usage=_CA_KU), root, seed="walk")
    leaves = [forge(CertSpec(common_name=f"l{i}.example"), ica, seed="walk") for i in range(5)]
    stranger = forge(CertSpec(common_name="Walk ICA", ca=True, key_usage=_CA_KU), seed="other")
    memo = Memo()
    checked = 0
    for leaf in leaves:
        c = leaf.certificate
        for parent in (ica.certificate, stranger.certificate, root.certificate):
            assert chain.link_error(c, parent, memo=memo) == chain.link_error(c, parent)
            checked += 1
        plain = chain.build_path(c, [ica.certificate], [root.certificate])
        memoised = chain.build_path(c, [ica.certificate], [root.certificate], memo=memo)
        assert plain == memoised and plain.found
        assert chain.find_issuer(c, [stranger.certificate, ica.certificate], memo=memo) == (
            ica.certificate
        )
    assert checked == 15
