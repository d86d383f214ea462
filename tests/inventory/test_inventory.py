"""read_inventory: accounting, dedupe, issuer links, verdict columns, findings, robustness,
secrets, no network, parallel == serial."""

from __future__ import annotations

import base64
import datetime as dt
import io
import socket
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certlib import profiles as purpose
from certlib.cert.findings import FINDINGS
from certlib.cert.forge import PRESETS, CertSpec, forge
from certlib.core.oids import EKU, EXAMPLE_UNKNOWN_OID, EXT
from certlib.core.verdicts import Purpose
from certlib.inventory import VERDICT_COLUMNS, load_inventory, read_inventory, write_inventory
from certlib.sources.sample_data import PASSWORD, _pkcs7_unsorted

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-inventory"
AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
SEED = "inventory-tests"


def _files(directory: Path) -> set[str]:
    return {str(p) for p in directory.rglob("*") if p.is_file()}


def _named(df: pd.DataFrame) -> set[str]:
    return {f for files in df["source_files"] for f in files}


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(scope="module")
def chain():
    root = forge(PRESETS["root_ca"], seed=SEED)
    ica = forge(PRESETS["intermediate_ca"], root, seed=SEED)
    leaf = forge(PRESETS["iis_server"], ica, seed=SEED)
    client = forge(PRESETS["user_client"], ica, seed=SEED)
    return root, ica, leaf, client


@pytest.fixture()
def pile(tmp_path: Path, chain) -> Path:
    """Good, broken, duplicated and nested-zip inputs in a small tree."""
    root, ica, leaf, client = chain
    d = tmp_path / "pile"
    (d / "sub" / "deeper").mkdir(parents=True)
    (d / "root.pem").write_bytes(root.pem)
    (d / "ica.cer").write_bytes(ica.der)
    (d / "leaf.pem").write_bytes(leaf.pem)
    (d / "sub" / "leaf-copy.der").write_bytes(leaf.der)  # duplicate
    (d / "sub" / "bundle.pem").write_bytes(leaf.pem + ica.pem + root.pem)  # duplicates
    (d / "sub" / "deeper" / "client.pfx").write_bytes(
        client.pkcs12(b"pw-123", friendly_name=b"alice", chain=[ica])
    )
    inner = _zip([("c.pem", client.pem)])
    (d / "nested.zip").write_bytes(_zip([("a/leaf.der", leaf.der), ("inner.zip", inner)]))
    (d / "empty.cer").write_bytes(b"")
    (d / "truncated.der").write_bytes(leaf.der[:200])
    (d / "notes.txt").write_bytes(b"just some text, no certificate here\n")
    (d / "corrupt.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\nMIIB!!!!\n-----END CERTIFICATE-----\n"
    )
    return d


# --------------------------------------------------------------------------------------------
# accounting and dedupe
# --------------------------------------------------------------------------------------------


def test_every_input_file_is_accounted_for(pile: Path) -> None:
    df = read_inventory(pile, passwords=["pw-123"], at=AT)
    assert _named(df) == _files(pile)
    errors = df[df["status"] == "error"]
    assert {Path(p).name for p in errors["source_path"]} >= {
        "empty.cer",
        "truncated.der",
        "notes.txt",
        "corrupt.pem",
    }
    assert errors["error_kind"].notna().all() and errors["error"].notna().all()


def test_duplicates_are_one_row_with_all_provenance(pile: Path, chain) -> None:
    _root, _ica, leaf, client = chain
    df = read_inventory(pile, passwords=["pw-123"], at=AT)
    ok = df[df["status"] != "error"]
    assert ok["sha256"].is_unique
    assert len(ok) == 4
    row = ok.set_index("sha256").loc[leaf.sha256]
    assert row["source_count"] == 4  # leaf.pem, leaf-copy.der, bundle.pem#0, nested.zip!a/leaf.der
    assert {Path(f).name for f in row["source_files"]} == {
        "leaf.pem",
        "leaf-copy.der",
        "bundle.pem",
        "nested.zip",
    }
    assert any("nested.zip" in s and "a/leaf.der" in s for s in row["sources"])
    alice = ok.set_index("sha256").loc[client.sha256]
    assert bool(alice["has_private_key"]) is True
    assert "alice" in alice["friendly_names"]
    assert any("inner.zip" in s for s in alice["sources"])
    # PEM, DER and zip cannot say whether a key exists (they never carry one): unknown, not "no"
    assert pd.isna(row["has_private_key"])
    ica_row = ok.set_index("sha256").loc[chain[1].sha256]
    assert bool(ica_row["has_private_key"]) is False  # client.pfx carries it, without a key


def test_missing_path_is_an_error_row(tmp_path: Path) -> None:
    df = read_inventory([tmp_path / "nope.pem"], at=AT)
    assert list(df["status"]) == ["error"]
    assert df["error_kind"].iloc[0] == "unreadable"


# --------------------------------------------------------------------------------------------
# issuer links and verdict columns
# --------------------------------------------------------------------------------------------


def test_issuer_links_are_signature_checked(pile: Path, chain) -> None:
    root, ica, leaf, client = chain
    df = read_inventory(pile, passwords=["pw-123"], at=AT).set_index("sha256")
    assert df.loc[leaf.sha256, "issuer_sha256"] == ica.sha256
    assert df.loc[client.sha256, "issuer_sha256"] == ica.sha256
    assert df.loc[ica.sha256, "issuer_sha256"] == root.sha256
    assert pd.isna(df.loc[root.sha256, "issuer_sha256"])
    assert list(df.loc[leaf.sha256, "chain_sha256"]) == [ica.sha256, root.sha256]
    assert bool(df.loc[leaf.sha256, "chain_complete"])


def test_same_name_other_key_is_not_linked(tmp_path: Path, chain) -> None:
    _root, _ica, leaf, _client = chain
    impostor = forge(PRESETS["intermediate_ca"], seed="someone else")  # same name, own key
    (tmp_path / "leaf.pem").write_bytes(leaf.pem)
    (tmp_path / "impostor.pem").write_bytes(impostor.pem)
    df = read_inventory(tmp_path, at=AT).set_index("sha256")
    assert pd.isna(df.loc[leaf.sha256, "issuer_sha256"])
    assert not bool(df.loc[leaf.sha256, "chain_complete"])


@pytest.mark.parametrize("profile", ["rfc5280", "openssl", "windows", "go", "webpki"])
def test_verdict_columns_equal_certlib_verdict(pile: Path, chain, profile: str) -> None:
    root, ica, leaf, client = chain
    df = read_inventory(pile, passwords=["pw-123"], at=AT, profile=profile).set_index("sha256")
    for forged in (leaf, client):
        for p in Purpose:
            expected = purpose.verdict(
                forged.certificate,
                p,
                profile,
                intermediates=[ica.certificate],
                roots=[root.certificate],
                at=AT,
            )
            assert df.loc[forged.sha256, p.value] == expected.outcome, (forged, p, profile)
    for col in VERDICT_COLUMNS:
        assert isinstance(df[col].dtype, pd.CategoricalDtype)


def test_iis_binding_candidate_needs_the_key(tmp_path: Path, chain) -> None:
    """IIS lists a certificate with its private key and a fitting EKU: with the key in a PFX
    it is a candidate, the same certificate from a .cer is unknown (only the key could decide),
    and a client certificate is not one, key or no key."""
    _root, ica, leaf, client = chain
    (tmp_path / "www.pfx").write_bytes(leaf.pkcs12(b"pw", friendly_name=b"www"))
    (tmp_path / "other").mkdir()
    www2 = forge(_spec("www2.test"), ica, seed=SEED)
    (tmp_path / "other" / "www2.cer").write_bytes(www2.der)
    (tmp_path / "other" / "client.cer").write_bytes(client.der)
    df = read_inventory(tmp_path, passwords=["pw"], at=AT).set_index("sha256")
    assert bool(df.loc[leaf.sha256, "iis_binding_candidate"]) is True
    assert bool(df.loc[leaf.sha256, "has_private_key"]) is True
    assert pd.isna(df.loc[www2.sha256, "iis_binding_candidate"])
    assert pd.isna(df.loc[www2.sha256, "has_private_key"])
    assert bool(df.loc[client.sha256, "iis_binding_candidate"]) is False
    expected = purpose.iis_binding_candidate(client.certificate, has_private_key=True).allowed
    assert expected is False
    assert df["iis_binding_candidate"].dtype == "boolean"


def test_long_tables_from_the_accessor(pile: Path, chain) -> None:
    _root, _ica, leaf, _client = chain
    df = read_inventory(pile, passwords=["pw-123"], at=AT)
    long = df.certs.verdicts(profiles=["rfc5280", "openssl"])
    ok = df[df["status"] != "error"]
    assert len(long) == len(ok) * 2 * len(Purpose)
    mine = long[(long["sha256"] == leaf.sha256) & (long["profile"] == "rfc5280")]
    row = df.set_index("sha256").loc[leaf.sha256]
    for _i, v in mine.iterrows():
        assert v["outcome"] == row[v["purpose"]]
    f = df.certs.findings()
    assert list(f.columns) == ["sha256", "subject_cn", "code", "description"]


def test_verdicts_leave_out_rows_whose_chain_is_not_in_the_frame(tmp_path: Path) -> None:
    """A row is judged with its whole linked chain or not at all: judged without its issuers,
    a serverAuth leaf under a clientAuth-only intermediate would pass Windows' EKU chaining
    and contradict the outcome the inventory stored."""
    root = forge(PRESETS["root_ca"].with_(common_name="EKU Root"), seed=SEED)
    ica = forge(
        PRESETS["intermediate_ca"].with_(common_name="Client-only CA", eku=(EKU.CLIENT_AUTH.oid,)),
        root,
        seed=SEED,
    )
    leaf = forge(PRESETS["iis_server"], ica, seed=SEED)
    for name, c in (("root.pem", root), ("ica.pem", ica), ("leaf.pem", leaf)):
        (tmp_path / name).write_bytes(c.pem)
    df = read_inventory(tmp_path, at=AT, profile="windows", progress=False)
    stored = df.set_index("sha256")
    assert stored.loc[leaf.sha256, "chain_sha256"] == [ica.sha256, root.sha256]
    assert stored.loc[leaf.sha256, "tls_server"] == "denied"  # the CA's EKU lacks serverAuth
    # what the leaf alone (no chain) gets: the contradiction a truncated chain would show
    alone = purpose.verdicts(leaf.certificate, profiles=["windows"], at=AT)
    assert set(alone.loc[alone["purpose"] == "tls_server", "outcome"]) == {"allowed"}

    # the whole frame: every row judged, the leaf as stored
    long = df.certs.verdicts(profiles=["windows"])
    assert set(long["sha256"]) == set(df["sha256"])
    mine = long[long["sha256"] == leaf.sha256].set_index("purpose")["outcome"]
    assert mine.to_dict() == {p.value: stored.loc[leaf.sha256, p.value] for p in Purpose}

    # frames without (all of) the leaf's issuers: the leaf is left out, not misjudged
    for part in (df[~df["is_ca"]], df[df["sha256"] != root.sha256]):
        long = part.certs.verdicts(profiles=["windows", "rfc5280"])
        assert leaf.sha256 not in set(long["sha256"])
    # the intermediate keeps its whole chain (the root) in the second frame: still judged
    long = df[df["sha256"] != leaf.sha256].certs.verdicts(profiles=["windows"])
    assert set(long["sha256"]) == {root.sha256, ica.sha256}
    assert df[~df["is_ca"]].certs.verdicts().empty


# --------------------------------------------------------------------------------------------
# findings: each code triggered by a purpose-built certificate, and nowhere else
# --------------------------------------------------------------------------------------------

_DS = frozenset({"digital_signature"})


def _spec(cn: str, **kw) -> CertSpec:
    base = dict(
        common_name=cn,
        sans=(f"DNS:{cn}",),
        eku=(EKU.SERVER_AUTH.oid,),
        key_usage=_DS,
        ca=False,
        validity_days=3000,
        not_before=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    base.update(kw)
    return CertSpec(**base)


FINDING_SPECS: dict[str, CertSpec] = {
    "clean": _spec("clean.test"),
    "expired": _spec("expired.test", not_before=dt.datetime(2020, 1, 1), validity_days=365),
    "expires-30d": _spec("soon.test", not_before=dt.datetime(2025, 6, 11), validity_days=365),
    "not-yet-valid": _spec("future.test", not_before=dt.datetime(2026, 7, 1)),
    "weak-key": _spec("weak.test", key_type="rsa1024"),
    "sha1-signature": _spec("sha1.test", signature_hash="sha1"),
    "negative-serial": _spec("negative.test", serial_number=-5),
    "unknown-critical-extension": _spec(
        "unknown.test", extra_extensions=((EXAMPLE_UNKNOWN_OID, True, b"\x05\x00"),)
    ),
    "empty-eku": _spec("emptyeku.test", eku=()),
    "empty-ku": _spec("emptyku.test", key_usage=frozenset()),
    "ku-eku-inconsistent": _spec(
        "inconsistent.test", eku=(EKU.CODE_SIGNING.oid,), key_usage=frozenset({"key_encipherment"})
    ),
    "any-eku": _spec("any.test", eku=(EKU.ANY.oid,)),
    "tls-no-eku": _spec("noeku.test", eku=None),
    "clientauth-in-tls-leaf": _spec("dual.test", eku=(EKU.SERVER_AUTH.oid, EKU.CLIENT_AUTH.oid)),
    "ca-as-leaf": _spec(
        "caleaf.test", ca=True, key_usage=frozenset({"key_cert_sign", "digital_signature"})
    ),
    "decode-error": _spec(
        "broken-san.test",
        sans=(),
        extra_extensions=((EXT.SUBJECT_ALTERNATIVE_NAME.oid, False, b"\x01\x01\xff"),),
    ),
}
#: Made differently (not issued by the test CA, or not by forge).
OTHER_FINDINGS = ("self-signed-leaf", "ber-encoding", "md5-signature")


@pytest.fixture(scope="module")
def findings_frame(tmp_path_factory, chain, openssl_bin: str) -> tuple[pd.DataFrame, dict]:
    root, ica, _leaf, _client = chain
    d = tmp_path_factory.mktemp("findings")
    (d / "root.pem").write_bytes(root.pem)
    (d / "ica.pem").write_bytes(ica.pem)
    sha: dict[str, str] = {"root": root.sha256, "ica": ica.sha256}
    for code, spec in FINDING_SPECS.items():
        f = forge(spec, ica, seed=SEED)
        (d / f"{code}.pem").write_bytes(f.pem)
        sha[code] = f.sha256
    selfsigned = forge(_spec("selfsigned.test"), seed=SEED)
    (d / "selfsigned.pem").write_bytes(selfsigned.pem)
    sha["self-signed-leaf"] = selfsigned.sha256
    ber = forge(_spec("ber.test"), ica, seed=SEED)
    ber2 = forge(_spec("ber2.test"), ica, seed=SEED)
    (d / "unsorted.p7b").write_bytes(_pkcs7_unsorted([ber.der, ber2.der]))
    sha["ber-encoding"], sha["ber-2"] = ber.sha256, ber2.sha256
    subprocess.run(
        [
            openssl_bin,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-md5",
            "-nodes",
            "-subj",
            "/CN=md5.test",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "extendedKeyUsage=serverAuth",
            "-days",
            "3650",
            "-keyout",
            str(d.parent / "md5-key.pem"),  # outside the scanned folder
            "-out",
            str(d / "md5.pem"),
        ],
        check=True,
        capture_output=True,
    )
    md5 = x509.load_pem_x509_certificate((d / "md5.pem").read_bytes())
    sha["md5-signature"] = md5.fingerprint(hashes.SHA256()).hex()
    sha["md5-not-before"] = md5.not_valid_before_utc.isoformat()
    df = read_inventory(d, at=AT)
    return df.set_index("sha256", drop=False), sha


@pytest.mark.parametrize("code", [*FINDING_SPECS.keys() - {"clean"}, *OTHER_FINDINGS])
def test_finding_is_triggered_where_expected(findings_frame, code: str) -> None:
    df, sha = findings_frame
    assert code in FINDINGS
    assert code in df.loc[sha[code], "findings"], df.loc[sha[code], "findings"]


@pytest.mark.parametrize("code", list(FINDINGS))
def test_finding_appears_nowhere_else(findings_frame, code: str) -> None:
    df, sha = findings_frame
    ok = df[df["status"] != "error"]
    having = {s for s, codes in zip(ok["sha256"], ok["findings"], strict=True) if code in codes}
    expected = {sha[code]} if code in sha else set()
    if code == "ber-encoding":
        expected.add(sha["ber-2"])  # the other certificate of the same unsorted PKCS#7
    if code == "not-yet-valid" and sha["md5-not-before"] > AT.isoformat():
        expected.add(sha["md5-signature"])  # openssl req -x509 starts validity "now"
    if code == "decode-error":
        assert df.loc[sha[code], "status"] == "partial"
        # cryptography refuses an empty EKU SEQUENCE on .extensions: decode says so
        expected.add(sha["empty-eku"])
    if code == "self-signed-leaf":
        # the MD5 certificate signed itself too: cryptography's verify_directly_issued_by
        # refuses MD5, but the inventory checks such a link with the key (chain.link_error)
        expected.add(sha["md5-signature"])
    assert having == expected


def test_clean_and_ca_certificates_have_no_findings(findings_frame) -> None:
    df, sha = findings_frame
    for who in ("clean", "root", "ica"):
        assert list(df.loc[sha[who], "findings"]) == [], who
    assert list(df.loc[sha["ber-2"], "findings"]) == ["ber-encoding"]


def test_every_finding_code_is_documented() -> None:
    doc = (ROOT / "docs" / "inventory.md").read_text()
    for code, text in FINDINGS.items():
        assert f"| `{code}` | {text} |" in doc, f"docs/inventory.md out of step for {code}"


# --------------------------------------------------------------------------------------------
# sample inventory
# --------------------------------------------------------------------------------------------


def test_sample_inventory_every_file_accounted() -> None:
    df = read_inventory(SAMPLE, passwords=[PASSWORD], at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert _named(df) == _files(SAMPLE)
    ok = df[df["status"] != "error"].set_index("subject_cn")
    assert "expires-30d" in ok.loc["soon.contoso.com", "findings"]
    assert "expired" in ok.loc["old.contoso.com", "findings"]
    assert bool(ok.loc["www.contoso.com", "has_private_key"])
    assert {"www legacy", "www.contoso.com"} <= set(ok.loc["www.contoso.com", "friendly_names"])
    errors = df[df["status"] == "error"]
    assert {Path(p).name for p in errors["source_path"]} == {
        "broken-mixed.pem",
        "broken-truncated.der",
        "request.csr",
        "revoked.crl",
    }


# --------------------------------------------------------------------------------------------
# robustness (hypothesis, bounded)
# --------------------------------------------------------------------------------------------


def _seed_inputs() -> list[bytes]:
    root = forge(PRESETS["root_ca"], seed=SEED)
    ica = forge(PRESETS["intermediate_ca"], root, seed=SEED)
    leaf = forge(PRESETS["user_client"], ica, seed=SEED)
    return [
        leaf.der,
        leaf.pem + ica.pem,
        leaf.pkcs12(b"pw", chain=[ica]),
        _pkcs7_unsorted([leaf.der, ica.der]),
        _zip([("x.pem", leaf.pem)]),
    ]


_INPUTS = _seed_inputs()


@st.composite
def mangled(draw) -> bytes:
    data = draw(st.sampled_from(_INPUTS))
    how = draw(st.sampled_from(["truncate", "flip", "concat"]))
    if how == "truncate":
        return data[: draw(st.integers(0, max(0, len(data) - 1)))]
    if how == "flip":
        buf = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(buf) - 1))
            buf[i] ^= 1 << draw(st.integers(0, 7))
        return bytes(buf)
    other = draw(st.sampled_from(_INPUTS))
    return data + draw(st.binary(max_size=8)) + other


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mangled())
def test_mangled_input_never_raises_and_is_accounted(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "input.bin"
    path.write_bytes(data)
    df = read_inventory([path], passwords=["pw"], at=AT)
    assert len(df) >= 1
    assert _named(df) == {str(path)}
    assert set(df["status"]) <= {"ok", "partial", "error"}


# --------------------------------------------------------------------------------------------
# secrets, network, parallel
# --------------------------------------------------------------------------------------------


def _secret_needles(forged, password: str) -> list[bytes]:
    pkcs8 = forged.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    b64 = base64.b64encode(pkcs8)
    pem_lines = forged.key_pem().splitlines()[1:-1]
    return [pkcs8, b64, b64[:48], *pem_lines[:3], password.encode()]


def test_no_key_material_or_password_in_any_output(tmp_path: Path, chain) -> None:
    _root, ica, leaf, _client = chain
    password = "s3cret-Pfx-Passw0rd"
    d = tmp_path / "in"
    d.mkdir()
    (d / "leaf.pfx").write_bytes(leaf.pkcs12(password.encode(), chain=[ica]))
    (d / "legacy.pfx").write_bytes(leaf.pkcs12(password.encode(), legacy=True))
    (d / "wrong.pfx").write_bytes(leaf.pkcs12(b"another one", chain=[ica]))
    df = read_inventory(d, passwords=[password], at=AT)
    assert df["has_private_key"].any()
    outputs = [repr(df.to_dict()).encode(), df.to_string().encode()]
    for fmt in ("parquet", "csv", "json", "jsonl"):
        outputs.append(write_inventory(df, tmp_path / f"inv.{fmt}").read_bytes())
    needles = _secret_needles(leaf, password)
    for blob in outputs:
        for needle in needles:
            assert needle not in blob


def test_no_network(monkeypatch, pile: Path) -> None:
    def refuse(*_a, **_k):
        raise AssertionError("read_inventory tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    df = read_inventory(pile, passwords=["pw-123"], at=AT)
    assert (df["status"] != "error").sum() == 4
    df2 = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT)
    assert len(df2) > 10


def test_two_workers_give_the_same_frame(pile: Path) -> None:
    one = read_inventory(pile, passwords=["pw-123"], at=AT, workers=1)
    two = read_inventory(pile, passwords=["pw-123"], at=AT, workers=2)
    pd.testing.assert_frame_equal(one, two)


def test_parquet_round_trip_is_lossless(tmp_path: Path) -> None:
    df = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT)
    back = load_inventory(write_inventory(df, tmp_path / "inv.parquet"))
    pd.testing.assert_frame_equal(df, back)
    assert back.attrs["profile"] == "rfc5280"


def test_csv_and_json_shapes(tmp_path: Path) -> None:
    import json

    df = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT)
    csv_text = write_inventory(df, tmp_path / "inv.csv").read_text()
    assert "tls-no-eku" in csv_text and "2028-04-04T00:00:00Z" in csv_text
    records = json.loads(write_inventory(df, tmp_path / "inv.json").read_text())
    assert len(records) == len(df)
    assert isinstance(records[0]["sources"], list)
    lines = write_inventory(df, tmp_path / "inv.jsonl").read_text().splitlines()
    assert len(lines) == len(df)
    with pytest.raises(ValueError):
        write_inventory(df, tmp_path / "inv.xlsx")


def test_stream_inventory_writes_the_same_rows(tmp_path: Path, pile: Path) -> None:
    from certlib.inventory import stream_inventory

    target = tmp_path / "stream.parquet"
    summary = stream_inventory(pile, target, passwords=["pw-123"], at=AT, rows_per_group=2)
    streamed = load_inventory(target)
    direct = read_inventory(pile, passwords=["pw-123"], at=AT)
    assert summary["rows"] == len(direct) and summary["certificates"] == 4
    pd.testing.assert_frame_equal(streamed, direct, check_like=False)


def test_an_internal_error_becomes_a_named_error_row(monkeypatch, pile: Path, chain) -> None:
    from certlib.inventory import judge as inventory_judge

    _root, _ica, leaf, _client = chain
    real = inventory_judge._judge_one

    def flaky(item, *args):
        if item.sha == leaf.sha256:
            raise RuntimeError("simulated bug")
        return real(item, *args)

    monkeypatch.setattr(inventory_judge, "_judge_one", flaky)
    df = read_inventory(pile, passwords=["pw-123"], at=AT, workers=1)
    row = df[df["sha256"] == leaf.sha256].iloc[0]
    assert row["status"] == "error" and row["error_kind"] == "internal"
    assert "simulated bug" in row["error"]
    assert row["source_count"] == 4  # still names every place it was found
    assert _named(df) == _files(pile)


def _die(*_args) -> None:
    import os

    os._exit(3)  # what a segfault in a worker looks like to the pool


def test_a_dead_worker_becomes_error_rows_not_an_exception(monkeypatch, pile: Path) -> None:
    from certlib.inventory import pool as inventory_pool

    monkeypatch.setattr(inventory_pool, "judge_chunk", _die)
    df = read_inventory(pile, passwords=["pw-123"], at=AT, workers=2)
    assert (df["status"] == "error").all()
    assert df["error"].str.contains("worker process failed: BrokenProcessPool").sum() == 4
    assert _named(df) == _files(pile)


def test_progress_bar_goes_to_stderr_only_when_asked(capsys, pile: Path) -> None:
    read_inventory(pile, passwords=["pw-123"], at=AT, progress=True)
    out, err = capsys.readouterr()
    assert out == "" and "judging" in err
    read_inventory(pile, passwords=["pw-123"], at=AT, progress=False)
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    read_inventory(pile, passwords=["pw-123"], at=AT)  # auto: short scan, not a TTY → quiet
    assert capsys.readouterr() == ("", "")


def test_unknown_profile_is_a_caller_error(pile: Path) -> None:
    with pytest.raises(ValueError, match="profile"):
        read_inventory(pile, profile="nope")


def test_huge_pem_is_read_in_pieces_with_the_same_result(monkeypatch, tmp_path: Path, chain):
    from certlib.inventory import pieces as inventory_pieces
    from certlib.inventory import read as inventory_read

    root, ica, leaf, _client = chain
    corrupt = b"-----BEGIN CERTIFICATE-----\nMIIB!!!!\n-----END CERTIFICATE-----\n"
    leaves = [forge(_spec(f"p{i}.test"), ica, seed=SEED).pem for i in range(30)]
    blob = b"".join([root.pem, ica.pem, *leaves[:10], corrupt, *leaves[10:], leaf.pem, leaf.pem])
    (tmp_path / "big.pem").write_bytes(blob)
    whole = read_inventory(tmp_path, at=AT)
    monkeypatch.setattr(inventory_pieces, "BIG_PEM", 1000)
    monkeypatch.setattr(inventory_pieces, "_PIECE", 700)  # many cuts, some mid-block
    cut: list[bool] = []  # whole_file of each piece the reader was handed
    real = inventory_read._pieces

    def counted(path: str):
        for data, offset, whole_file in real(path):
            cut.append(whole_file)
            yield data, offset, whole_file

    monkeypatch.setattr(inventory_read, "_pieces", counted)
    pieces = read_inventory(tmp_path, at=AT)
    assert len(cut) >= len(blob) // 700 // 2 and not any(cut), cut  # really read in pieces
    pd.testing.assert_frame_equal(whole.drop(columns="error"), pieces.drop(columns="error"))
    err = pieces[pieces["status"] == "error"]
    assert list(err["sources"].iloc[0]) == [f"{tmp_path / 'big.pem'}#12"]


def test_stream_schema_is_fixed_before_any_row(tmp_path: Path) -> None:
    """A column that is empty in the first row group must still be typed as what it holds
    (lists), or a later group holding a value could not be written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from certlib.inventory import load_inventory, stream_inventory
    from certlib.inventory.stream import arrow_schema

    root = forge(PRESETS["root_ca"], seed="schema")
    plain = forge(PRESETS["iis_server"], root, seed="schema")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.pem").write_bytes(root.pem + plain.pem)
    target = tmp_path / "out.parquet"
    summary = stream_inventory(tmp_path / "in", target, at=AT, workers=1)
    schema = pq.read_schema(target)
    assert summary["rows"] == 2
    for name in ("ns_cert_type", "ms_application_policies", "findings", "friendly_names"):
        assert schema.field(name).type == pa.list_(pa.string()), name
    assert schema.field("der").type == pa.binary()
    assert [f.name for f in arrow_schema()] == schema.names
    df = load_inventory(target)
    assert df["ns_cert_type"].isna().all() and len(df) == 2


def _bundle(chain, n: int) -> bytes:
    root, ica, leaf, _client = chain
    bad_base64 = b"-----BEGIN CERTIFICATE-----\nMIIB!!!!\n-----END CERTIFICATE-----\n"
    truncated = b"-----BEGIN CERTIFICATE-----\nMIIBxTCCAWugAwIBAgIU\n"
    leaves = [forge(_spec(f"b{i}.test"), ica, seed=SEED).pem for i in range(n)]
    a, b = n // 3, 2 * n // 3
    parts = [root.pem, ica.pem, *leaves[:a], bad_base64, *leaves[a:b], truncated, *leaves[b:]]
    return b"".join([*parts, leaf.pem, leaf.pem])


def test_workers_read_a_big_bundle_in_pieces_with_the_same_rows(
    monkeypatch, tmp_path: Path, chain
) -> None:
    """With workers running, a bundle of CERTIFICATE blocks is read by them in pieces; block
    indexes, problem texts (block and line numbers) and provenance must be what one reader of
    the whole file gives."""
    from certlib.inventory import pieces as inventory_pieces
    from certlib.inventory import read as inventory_read

    (tmp_path / "bundle.pem").write_bytes(_bundle(chain, 60))
    serial = read_inventory(tmp_path, at=AT, workers=1)
    calls = []
    real = inventory_read._collect_pieces

    def spy(path, pieces, *args, **kwargs):
        pieces = list(pieces)
        calls.append(len(pieces))
        return real(path, pieces, *args, **kwargs)

    monkeypatch.setattr(inventory_pieces, "PARALLEL_READ", 4096)
    monkeypatch.setattr(inventory_pieces, "_READ_PIECE_MIN", 4096)
    monkeypatch.setattr(inventory_read, "_collect_pieces", spy)
    parallel = read_inventory(tmp_path, at=AT, workers=2)
    assert calls and calls[0] >= 2  # it really was read in pieces
    pd.testing.assert_frame_equal(serial, parallel)
    err = parallel[parallel["status"] == "error"]
    assert len(err) == 2 and err["error"].str.contains("PEM block").all()
    assert (parallel["status"] != "error").sum() == 63


def test_a_bundle_with_other_blocks_is_read_whole(monkeypatch, tmp_path: Path, chain) -> None:
    """A private key (or any non-certificate block) keeps the file in one reader: a key and
    its certificate in different pieces could not be matched."""
    import certlib.inventory as inventory
    from certlib.inventory import pieces as inventory_pieces

    _root, _ica, leaf, _client = chain
    (tmp_path / "bundle.pem").write_bytes(_bundle(chain, 30) + leaf.key_pem())
    monkeypatch.setattr(inventory_pieces, "PARALLEL_READ", 4096)
    monkeypatch.setattr(inventory_pieces, "_READ_PIECE_MIN", 4096)
    pool = inventory.start_pool(2)
    try:
        assert inventory_pieces._bundle_pieces(str(tmp_path / "bundle.pem"), pool) is None
        (tmp_path / "plain.pem").write_bytes(_bundle(chain, 30))
        assert len(inventory_pieces._bundle_pieces(str(tmp_path / "plain.pem"), pool) or []) >= 2
        assert inventory_pieces._bundle_pieces(str(tmp_path / "plain.pem"), None) is None
    finally:
        if pool is not None:
            pool.shutdown()


def test_a_huge_bundle_read_by_workers_gives_the_serial_rows(
    monkeypatch, tmp_path: Path, chain
) -> None:
    from certlib.inventory import pieces as inventory_pieces

    (tmp_path / "huge.pem").write_bytes(_bundle(chain, 30))
    monkeypatch.setattr(inventory_pieces, "BIG_PEM", 1000)
    monkeypatch.setattr(inventory_pieces, "_PIECE", 700)  # many cuts, some mid-block
    serial = read_inventory(tmp_path, at=AT, workers=1)
    parallel = read_inventory(tmp_path, at=AT, workers=2)
    pd.testing.assert_frame_equal(serial, parallel)
    assert (parallel["status"] == "error").sum() == 2
    assert parallel["error"].dropna().str.contains("read in pieces").sum() == 2


def test_workers_reading_small_files_give_the_serial_rows(monkeypatch) -> None:
    """With workers running, small files are read by them in batches; the sample inventory
    (zip, PKCS#12 with a password, SST, broken files, duplicates) must come out exactly as one
    reader makes it, in the same order."""
    from certlib.inventory import read as inventory_read

    serial = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT, workers=1)
    merged = []
    real = inventory_read._merge_batch
    monkeypatch.setattr(inventory_read, "_FILE_BATCH", 3)
    monkeypatch.setattr(inventory_read, "_merge_batch", lambda *a: merged.append(1) or real(*a))
    parallel = read_inventory(SAMPLE, passwords=[PASSWORD], at=AT, workers=2)
    assert len(merged) >= 5  # it really was read in batches
    pd.testing.assert_frame_equal(serial, parallel)
    assert (parallel["status"] == "error").sum() >= 3


def test_a_file_gone_before_a_worker_reads_it_is_an_unreadable_row(
    monkeypatch, tmp_path: Path, chain
) -> None:
    """Files listed, then gone (or unreadable) when read: the same error row whether the main
    process or a worker's batch tried to read it."""
    from certlib.inventory import pipeline
    from certlib.inventory import read as inventory_read

    _root, _ica, leaf, _client = chain
    (tmp_path / "a.pem").write_bytes(leaf.pem)
    listed = [(str(tmp_path / "a.pem"), None), (str(tmp_path / "gone.pem"), None)]
    monkeypatch.setattr(pipeline, "iter_input_files", lambda paths, recursive=True: iter(listed))
    monkeypatch.setattr(inventory_read, "_small", lambda path: True)  # even the missing one
    serial = read_inventory(tmp_path, at=AT, workers=1)
    parallel = read_inventory(tmp_path, at=AT, workers=2)
    pd.testing.assert_frame_equal(serial, parallel)
    gone = parallel[parallel["source_path"].str.endswith("gone.pem")].iloc[0]
    assert gone["status"] == "error" and gone["error_kind"] == "unreadable"
    assert "No such file" in gone["error"]


@pytest.mark.parametrize(
    "at",
    [
        AT,
        AT.replace(tzinfo=None),
        AT.date(),
        "2026-06-01",
        "2026-06-01T00:00:00Z",
        "2026-06-01T02:00:00+02:00",
        pd.Timestamp("2026-06-01", tz="UTC"),
    ],
    ids=["aware", "naive", "date", "iso-date", "iso-z", "iso-offset", "timestamp"],
)
def test_at_takes_every_usual_form(pile: Path, at) -> None:
    """A string or a date is what a notebook user types; all mean the same instant."""
    df = read_inventory(pile, passwords=["pw-123"], at=at)
    assert df.attrs["at"] == read_inventory(pile, passwords=["pw-123"], at=AT).attrs["at"]
    assert len(df.certs.verdicts(profiles=["rfc5280"])) > 0


def test_a_bad_at_string_is_a_clear_error(pile: Path) -> None:
    with pytest.raises(ValueError, match="ISO-8601"):
        read_inventory(pile, at="first of June")
