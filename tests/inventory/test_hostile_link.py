"""Linking never drops a certificate, and the answers do not depend on how a pile is cut.

Regression tests for issue 11's linking items: a damaged copy of a CA (its subject indexed,
its DER unloadable) must not turn the certificates it issued into ``internal`` error rows;
SHA-1 self-signed roots are self-signed *and* complete chains (``openssl verify`` is the
oracle); a reference time of 9999-12-31 must not overflow; chunking must not change dtypes;
``ca-as-leaf`` means "issued nothing here" whatever the mode; a PKCS#12 the password opens
but whose certificate cannot be parsed is ``corrupt``, not ``bad-password``. Cases that run
the CLI run it in a bounded child process (tests/support/bounded.py).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import certifi
import pandas as pd
import pytest
from bounded import run_cli
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from certlib import read_inventory
from certlib.cert.findings import FINDINGS
from certlib.cert.forge import CertSpec, Forged, forge
from certlib.inventory import load_inventory
from certlib.inventory import pool as inventory_pool
from certlib.inventory.stream import stream_inventory

AT = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
SEED = "hostile-link"
PASSWORD = "p12-right-password"


def _ca(cn: str, **kw) -> CertSpec:
    return CertSpec(common_name=cn, ca=True, key_usage=frozenset({"key_cert_sign"}), **kw)


def _leaf(cn: str, **kw) -> CertSpec:
    return CertSpec(common_name=cn, sans=(f"DNS:{cn}",), eku=("1.3.6.1.5.5.7.3.1",), **kw)


def _damage_version(der: bytes) -> bytes:
    """The DER with its version INTEGER set to 7: the subject and issuer still read (the
    inventory indexes them), but cryptography refuses to load it."""
    i = der.index(b"\xa0\x03\x02\x01\x02")
    return der[: i + 4] + b"\x07" + der[i + 5 :]


def _by_cn(df: pd.DataFrame) -> dict[str, pd.Series]:
    ok = df[df["status"] != "error"]
    return {row["subject_cn"]: row for _i, row in ok.iterrows()}


# --------------------------------------------------------------------------------------------
# item 1: a damaged copy of a CA
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def damaged_ca() -> tuple[Forged, list[Forged]]:
    ca = forge(_ca("Damaged Issuing CA"), seed=SEED)
    leaves = [forge(_leaf(f"leaf{i}.damaged.test"), ca, seed=SEED) for i in range(2)]
    return ca, leaves


def test_damaged_ca_loses_none_of_the_certificates_it_issued(tmp_path, damaged_ca) -> None:
    ca, leaves = damaged_ca
    (tmp_path / "ca.der").write_bytes(_damage_version(ca.der))
    for i, leaf in enumerate(leaves):
        (tmp_path / f"leaf{i}.pem").write_bytes(leaf.pem)
    df = read_inventory(tmp_path, at=AT)
    assert len(df) == 3
    assert df["status"].tolist().count("ok") == 2, df[["status", "error"]]
    bad = df[df["status"] == "error"]
    assert bad["error_kind"].tolist() == ["corrupt"]
    assert bad["source_path"].str.endswith("ca.der").all()
    for _i, row in df[df["status"] == "ok"].iterrows():
        assert "issuer-unusable" in row["findings"]
        assert pd.isna(row["issuer_sha256"]) and not row["chain_complete"]
    assert "internal" not in set(df["error_kind"].dropna())


def test_intact_copy_next_to_damaged_one_links_without_a_finding(tmp_path, damaged_ca) -> None:
    ca, leaves = damaged_ca
    (tmp_path / "ca-damaged.der").write_bytes(_damage_version(ca.der))
    (tmp_path / "ca.pem").write_bytes(ca.pem)
    for i, leaf in enumerate(leaves):
        (tmp_path / f"leaf{i}.pem").write_bytes(leaf.pem)
    df = read_inventory(tmp_path, at=AT)
    rows = _by_cn(df)
    assert len(rows) == 3 and (df["status"] == "error").sum() == 1
    for i in range(2):
        row = rows[f"leaf{i}.damaged.test"]
        assert row["issuer_sha256"] == ca.sha256
        assert "issuer-unusable" not in row["findings"]
    assert "issuer-unusable" in FINDINGS


def test_damaged_intermediate_keeps_its_leaf_and_the_root(tmp_path) -> None:
    root = forge(_ca("Hostile Root"), seed=SEED)
    ica = forge(_ca("Hostile Intermediate"), root, seed=SEED)
    leaf = forge(_leaf("under.damaged-ica.test"), ica, seed=SEED)
    (tmp_path / "root.pem").write_bytes(root.pem)
    (tmp_path / "ica.der").write_bytes(_damage_version(ica.der))
    (tmp_path / "leaf.pem").write_bytes(leaf.pem)
    for chunk in (1, 256):  # one certificate per chunk, and everything in one
        df = _read_chunked(tmp_path, chunk)
        rows = _by_cn(df)
        assert set(rows) == {"Hostile Root", "under.damaged-ica.test"}
        assert rows["Hostile Root"]["chain_complete"]
        assert "issuer-unusable" in rows["under.damaged-ica.test"]["findings"]
        assert df["error_kind"].dropna().tolist() == ["corrupt"]


def _read_chunked(path: Path, chunk: int, **kw) -> pd.DataFrame:
    old = inventory_pool._CHUNK, inventory_pool._CHUNK_MAX
    inventory_pool._CHUNK = inventory_pool._CHUNK_MAX = chunk
    try:
        return read_inventory(path, at=AT, **kw)
    finally:
        inventory_pool._CHUNK, inventory_pool._CHUNK_MAX = old


def test_damaged_ca_through_the_cli_is_bounded_and_loses_nothing(tmp_path, damaged_ca) -> None:
    ca, leaves = damaged_ca
    pile = tmp_path / "pile"
    pile.mkdir()
    (pile / "ca.der").write_bytes(_damage_version(ca.der))
    for i, leaf in enumerate(leaves):
        (pile / f"leaf{i}.pem").write_bytes(leaf.pem)
    for extra in ([], ["--stream"]):
        out = tmp_path / f"inv{len(extra)}.parquet"
        res = run_cli("scan", str(pile), "--format", "parquet", "-o", str(out), *extra)
        assert not res.timed_out and res.returncode == 0, res.stderr
        df = load_inventory(out)
        assert df["status"].tolist() == ["ok", "ok", "error"], extra
        assert df["error_kind"].tolist()[2] == "corrupt"


# --------------------------------------------------------------------------------------------
# item 7: SHA-1 self-signed roots
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key_type", ["rsa", "ec"])
def test_sha1_root_is_self_signed_and_its_chains_complete(
    tmp_path, key_type: str, openssl_bin: str
) -> None:
    sha1 = {"key_type": key_type, "signature_hash": "sha1"}
    root = forge(_ca(f"SHA-1 Root {key_type}", **sha1), seed=SEED)
    ica = forge(_ca(f"Under SHA-1 {key_type}", **sha1), root, seed=SEED)
    leaf = forge(_leaf(f"sha1-{key_type}.test"), ica, seed=SEED)
    when = max(f.certificate.not_valid_before_utc for f in (root, ica, leaf)) + dt.timedelta(1)
    for name, f in (("root", root), ("ica", ica), ("leaf", leaf)):
        (tmp_path / f"{name}.pem").write_bytes(f.pem)
    verify = subprocess.run(
        [
            openssl_bin,
            "verify",
            "-attime",
            str(int(when.timestamp())),
            "-CAfile",
            tmp_path / "root.pem",
            "-untrusted",
            tmp_path / "ica.pem",
            tmp_path / "leaf.pem",
        ],
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr  # the oracle accepts it
    df = read_inventory(tmp_path, at=when)
    rows = _by_cn(df)
    assert len(rows) == 3
    assert rows[f"SHA-1 Root {key_type}"]["self_signed"]
    assert all(r["chain_complete"] for r in rows.values()), {
        cn: r["chain_complete"] for cn, r in rows.items()
    }
    assert list(rows[f"sha1-{key_type}.test"]["chain_sha256"]) == [ica.sha256, root.sha256]


def test_certifi_sha1_roots_are_complete(tmp_path) -> None:
    bundle = Path(certifi.where()).read_bytes()
    (tmp_path / "cacert.pem").write_bytes(bundle)
    df = read_inventory(tmp_path, at=AT)
    sha1 = df[(df["signature_hash"] == "sha1") & (df["status"] != "error")]
    assert len(sha1) >= 1  # certifi still carries SHA-1 self-signed roots (3 in 2025)
    assert sha1["self_signed"].all()
    assert sha1["chain_complete"].all()


# --------------------------------------------------------------------------------------------
# item 8: a reference time at the end of time
# --------------------------------------------------------------------------------------------


def _forever(tmp_path: Path) -> Path:
    """A self-signed certificate with notAfter 99991231235959Z (RFC 5280 §4.1.2.5: "no
    well-defined expiration date")."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "forever.test")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(99)
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "forever.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_at_the_end_of_time_does_not_overflow(tmp_path) -> None:
    _forever(tmp_path)
    df = read_inventory(tmp_path, at="9999-12-31T00:00:00Z")
    assert df["status"].tolist() == ["ok"], df[["error_kind", "error"]]
    assert "expires-30d" in df.loc[0, "findings"] and "expired" not in df.loc[0, "findings"]


def test_cli_at_the_end_of_time_is_bounded(tmp_path) -> None:
    pile = tmp_path / "pile"
    pile.mkdir()
    _forever(pile)
    out = tmp_path / "inv.parquet"
    res = run_cli(
        "scan", str(pile), "--at", "9999-12-31T00:00:00Z", "--format", "parquet", "-o", str(out)
    )
    assert not res.timed_out and res.returncode == 0, res.stderr
    assert load_inventory(out)["status"].tolist() == ["ok"]


# --------------------------------------------------------------------------------------------
# item 11: dtypes do not depend on chunking
# --------------------------------------------------------------------------------------------

KEY_TYPES = ("ec", "ec384", "rsa", "rsa1024", "ed25519")


def test_category_columns_survive_many_chunks_and_parquet(tmp_path) -> None:
    ca = forge(_ca("Varied Keys CA"), seed=SEED)
    (tmp_path / "ca.pem").write_bytes(ca.pem)
    for kt in KEY_TYPES:
        hashes_ = ("sha256",) if kt == "ed25519" else ("sha256", "sha384")
        for h in hashes_:
            f = forge(_leaf(f"{kt}-{h}.keys.test", key_type=kt, signature_hash=h), ca, seed=SEED)
            (tmp_path / f"{kt}-{h}.pem").write_bytes(f.pem)
    one = _read_chunked(tmp_path, 256)
    many = _read_chunked(tmp_path, 1)
    assert len(one) == 1 + 2 * (len(KEY_TYPES) - 1) + 1
    for col in (
        "public_key_algorithm",
        "public_key_curve",
        "signature_algorithm",
        "signature_hash",
    ):
        assert isinstance(many[col].dtype, pd.CategoricalDtype), (col, many[col].dtype)
    pd.testing.assert_frame_equal(many, one)
    path = tmp_path.parent / "varied.parquet"
    many.to_parquet(path)
    pd.testing.assert_frame_equal(load_inventory(path), many)


# --------------------------------------------------------------------------------------------
# item 12: ca-as-leaf in memory and streamed
# --------------------------------------------------------------------------------------------


def test_ca_as_leaf_is_the_same_in_memory_and_streamed(tmp_path) -> None:
    pile = tmp_path / "pile"
    pile.mkdir()
    # a self-signed root with an e-mail SAN that issued nothing here (as three Mozilla roots)
    lone = forge(_ca("Lone Root", sans=("email:ca@lone.test",)), seed=SEED)
    # the same shape that did issue a leaf here
    busy = forge(_ca("Busy Root", sans=("email:ca@busy.test",)), seed=SEED)
    child = forge(_leaf("child.busy.test"), busy, seed=SEED)
    # named as issuer by a certificate its key did not sign (another key, same name)
    named = forge(_ca("Named Root", sans=("DNS:named.test",)), seed=SEED)
    impostor_ca = forge(_ca("Named Root", sans=("DNS:named.test",)), seed="other")
    stray = forge(_leaf("stray.named.test"), impostor_ca, seed=SEED)
    for name, f in (("lone", lone), ("busy", busy), ("child", child), ("named", named)):
        (pile / f"{name}.pem").write_bytes(f.pem)
    (pile / "stray.pem").write_bytes(stray.pem)
    memory = read_inventory(pile, at=AT)
    stream_inventory(pile, tmp_path / "s.parquet", at=AT)
    streamed = load_inventory(tmp_path / "s.parquet")
    for df in (memory, streamed):
        flagged = {r["subject_cn"] for r in _by_cn(df).values() if "ca-as-leaf" in r["findings"]}
        assert flagged == {"Lone Root", "Named Root"}
    pd.testing.assert_frame_equal(streamed, memory)


def test_certifi_roots_with_sans_are_ca_as_leaf_in_both_modes(tmp_path) -> None:
    pile = tmp_path / "pile"
    pile.mkdir()
    (pile / "cacert.pem").write_bytes(Path(certifi.where()).read_bytes())
    memory = read_inventory(pile, at=AT)
    stream_inventory(pile, tmp_path / "s.parquet", at=AT)
    streamed = load_inventory(tmp_path / "s.parquet")
    with_san = memory["alternative_names"].map(lambda v: len(v) > 0)
    flagged = memory["findings"].map(lambda v: "ca-as-leaf" in v)
    assert with_san.sum() >= 1 and flagged.sum() == with_san.sum()
    pd.testing.assert_frame_equal(streamed, memory)


# --------------------------------------------------------------------------------------------
# item 13: PKCS#12 that opens but holds an unparseable certificate
# --------------------------------------------------------------------------------------------


def test_pkcs12_with_unparseable_certificate_is_corrupt_not_bad_password(
    tmp_path, damaged_ca, openssl_bin: str
) -> None:
    ca, _leaves = damaged_ca
    bad = tmp_path / "bad.pem"
    bad.write_bytes(x509.load_der_x509_certificate(ca.der).public_bytes(serialization.Encoding.PEM))
    damaged = _damage_version(ca.der)
    pem = subprocess.run(
        [openssl_bin, "x509", "-inform", "DER", "-outform", "PEM"],
        input=damaged,
        capture_output=True,
        check=True,
    ).stdout
    bad.write_bytes(pem)  # openssl reads version 7; cryptography refuses it
    pile = tmp_path / "pile"
    pile.mkdir()
    subprocess.run(
        [
            openssl_bin,
            "pkcs12",
            "-export",
            "-nokeys",
            "-in",
            bad,
            "-passout",
            f"pass:{PASSWORD}",
            "-out",
            pile / "damaged.p12",
        ],
        check=True,
        capture_output=True,
    )
    right = read_inventory(pile, passwords=[PASSWORD], at=AT)
    assert right["status"].tolist() == ["error"]
    assert right["error_kind"].tolist() == ["corrupt"], right["error"].tolist()
    assert "version" in right.loc[0, "error"] and PASSWORD not in right.loc[0, "error"]
    wrong = read_inventory(pile, passwords=["not-it"], at=AT)
    assert wrong["error_kind"].tolist() == ["bad-password"]
    out = tmp_path / "inv.csv"
    res = run_cli("scan", str(pile), "--password", PASSWORD, "-o", str(out))
    assert not res.timed_out and res.returncode in (0, 1), res.stderr
    text = out.read_text()
    assert "corrupt" in text and "bad-password" not in text and PASSWORD not in text
