"""facts(): what a certificate says about its use, read from the raw TBS, never raising."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest
from cryptography import x509

from certlib.cert import der
from certlib.cert.facts import facts
from certlib.cert.forge import CertSpec, forge
from certlib.core.oids import EKU, EXT, KU_BITS, NS_CERT_TYPE_BITS


def _cert(**kw) -> x509.Certificate:
    return forge(CertSpec(**kw)).certificate


def test_absent_extensions_are_none() -> None:
    f = facts(_cert(subject_key_identifier=False, authority_key_identifier=False))
    assert (f.eku, f.key_usage, f.ns_cert_type, f.ms_application_policies) == (None,) * 4
    assert not f.bc_present and not f.bc_ca and f.path_length is None
    assert f.errors == ()


def test_empty_eku_and_empty_ku_are_told_apart_from_absent() -> None:
    f = facts(_cert(eku=(), key_usage=frozenset()))
    assert f.eku == ()
    assert f.key_usage == frozenset() and f.ku_openssl_mask == 0


@pytest.mark.parametrize("bit", KU_BITS, ids=lambda b: b.name)
def test_each_ku_bit_and_its_openssl_mask(bit) -> None:
    f = facts(_cert(key_usage=frozenset({bit.name}), ku_critical=False))
    assert f.key_usage == {bit.name}
    assert f.ku_openssl_mask == bit.openssl_mask
    assert f.ku_critical is False


@pytest.mark.parametrize("bit", [b for b in NS_CERT_TYPE_BITS if b.name != "reserved"])
def test_each_netscape_bit(bit) -> None:
    f = facts(_cert(ns_cert_type=frozenset({bit.name})))
    assert f.ns_cert_type == {bit.name}
    assert f.ns_openssl_mask == bit.openssl_mask


def test_eku_order_criticality_and_unknown_oids_kept() -> None:
    oids = (EKU.CLIENT_AUTH.oid, "1.2.3.4.5", EKU.ANY.oid)
    f = facts(_cert(eku=oids, eku_critical=True))
    assert f.eku == oids and f.eku_critical


def test_basic_constraints_and_path_length() -> None:
    f = facts(_cert(ca=True, path_length=2, bc_critical=False))
    assert (f.bc_present, f.bc_ca, f.path_length, f.bc_critical) == (True, True, 2, False)
    f = facts(_cert(ca=False))
    assert (f.bc_present, f.bc_ca) == (True, False)


def test_application_policies_and_key_identifiers() -> None:
    f = facts(_cert(ms_application_policies=(EKU.SERVER_AUTH.oid,)))
    assert f.ms_application_policies == (EKU.SERVER_AUTH.oid,)
    assert f.subject_key_id and f.authority_key_id == f.subject_key_id  # self-signed


def test_malformed_eku_is_an_error_not_an_exception() -> None:
    bad = bytes.fromhex("3003020101")  # SEQUENCE { INTEGER 1 }: not a KeyPurposeId
    f = facts(_cert(extra_extensions=((EXT.EXTENDED_KEY_USAGE.oid, False, bad),)))
    assert f.eku is None
    assert len(f.errors) == 1 and "extendedKeyUsage" in f.errors[0]


def test_duplicates_are_reported() -> None:
    # cryptography's builder refuses a repeated OID, so repeat one in the facts themselves.
    f = facts(_cert(key_usage=frozenset({"digital_signature"})))
    ku = f.extension(EXT.KEY_USAGE.oid)
    twice = dataclasses.replace(f, extensions=(*f.extensions, ku))
    assert twice.duplicated() == (EXT.KEY_USAGE.oid,)
    assert f.duplicated() == ()


def test_v1_has_no_extensions(tmp_path, openssl_bin) -> None:
    c = _cert(version=1)
    f = facts(c)
    assert f.version == 1 and f.extensions == ()
    path = tmp_path / "v1.pem"
    path.write_bytes(forge(CertSpec(version=1)).pem)
    text = subprocess.run(
        [openssl_bin, "x509", "-in", str(path), "-noout", "-text"], capture_output=True, text=True
    ).stdout
    assert "Version: 1 (0x0)" in text


def test_negative_serial_is_read_signed() -> None:
    assert facts(_cert(serial_number=-5)).serial == -5


def test_der_reader_rejects_what_is_not_der() -> None:
    with pytest.raises(der.DerError):
        der.read_tlv(b"\x30\x80\x00\x00")  # indefinite length is BER
    with pytest.raises(der.DerError):
        der.read_tlv(b"\x30\x05\x00")  # truncated
    assert der.oid_text(bytes.fromhex("2b06010505070301")) == EKU.SERVER_AUTH.oid
