"""certlib.frame: exact dtypes, empty frames, Parquet/CSV behaviour and the df.certs accessor.

Built from real certificates (forged here, plus the x509-limbo empty-EKU leaf that
cryptography refuses); no mocks.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from cryptography import x509

import certlib
from certlib.accessor import CertsAccessor
from certlib.cert.decode import COLUMNS, decode
from certlib.cert.forge import CertSpec, Forged, forge
from certlib.core.oids import EKU, EXAMPLE_UNKNOWN_OID
from certlib.frame import (
    ABSENT,
    EMPTY,
    NONE,
    SCHEMA,
    UNKNOWN,
    apply_schema,
    columns_markdown,
    flatten_lists,
    to_frame,
)

ROOT_DIR = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SERVER = EKU.SERVER_AUTH.oid

#: The dtype of every column, spelled out independently of SCHEMA.
EXPECTED_DTYPES = {
    "sha256": "str",
    "sha1": "str",
    "serial_number": "str",
    "version": "Int64",
    "subject": "str",
    "subject_cn": "str",
    "issuer": "str",
    "issuer_cn": "str",
    "self_issued": "boolean",
    "self_signed": "boolean",
    "not_before": "datetime64[us, UTC]",
    "not_after": "datetime64[us, UTC]",
    "validity_days": "float64",
    "public_key_algorithm": "category",
    "public_key_size": "Int64",
    "public_key_curve": "category",
    "spki_sha256": "str",
    "signature_algorithm": "category",
    "signature_hash": "category",
    "san_present": "boolean",
    "alternative_names": "object",
    "dns_names": "object",
    "eku_present": "boolean",
    "eku_critical": "boolean",
    "eku_oids": "object",
    "eku_names": "object",
    "ku_present": "boolean",
    "ku_critical": "boolean",
    "key_usage": "object",
    "bc_present": "boolean",
    "bc_critical": "boolean",
    "is_ca": "boolean",
    "path_length": "Int64",
    "ns_cert_type": "object",
    "ms_application_policies": "object",
    "extension_oids": "object",
    "unknown_critical_extensions": "object",
    "decode_errors": "object",
    "warnings": "object",
}
LIST_COLUMNS = [c for c, d in EXPECTED_DTYPES.items() if d == "object"]


def assert_dtypes(frame: pd.DataFrame) -> None:
    """Every schema column has exactly the expected dtype (object identity, not just name)."""
    assert list(frame.columns[: len(COLUMNS)]) == list(COLUMNS)
    default_str = pd.Series(["a"]).dtype
    for name, expected in EXPECTED_DTYPES.items():
        dtype = frame[name].dtype
        assert str(dtype) == expected, name
        if expected == "str":
            assert dtype == default_str == pd.StringDtype(na_value=np.nan), name
        elif expected == "category":
            assert isinstance(dtype, pd.CategoricalDtype), name
            assert dtype.categories.dtype == default_str, name
        elif expected == "boolean":
            assert dtype == pd.BooleanDtype(), name
        elif expected == "Int64":
            assert dtype == pd.Int64Dtype(), name
        elif expected.startswith("datetime64"):
            assert dtype == pd.DatetimeTZDtype("us", "UTC"), name
        elif expected == "object":
            assert dtype == np.dtype(object), name
            assert all(v is None or isinstance(v, list) for v in frame[name]), name


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def root() -> Forged:
    spec = CertSpec(
        common_name="Frame Root",
        ca=True,
        key_usage=frozenset({"key_cert_sign"}),
        not_before=T0,
        validity_days=3650,
    )
    return forge(spec, seed="frame")


def _leaf(root: Forged, cn: str, days: int, **kw: Any) -> x509.Certificate:
    spec = CertSpec(common_name=cn, not_before=T0, validity_days=days, **kw)
    return forge(spec, root, seed="frame").certificate


@pytest.fixture(scope="module")
def empty_eku_cert(limbo_dir: Path) -> x509.Certificate:
    data = json.loads((limbo_dir / "x509-limbo-eku-ku.json").read_text())
    case = next(c for c in data["testcases"] if c["id"] == "rfc5280::eku::ee-eku-empty")
    return x509.load_pem_x509_certificate(case["peer_certificate"].encode())


@pytest.fixture(scope="module")
def certs(root: Forged, empty_eku_cert: x509.Certificate) -> list[x509.Certificate]:
    """Six certificates: root, 3 leaves with different EKU/SAN shapes, an odd one, empty EKU."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        odd = forge(
            CertSpec(
                common_name="odd.test",
                key_type="ed25519",
                serial_number=-5,
                ns_cert_type=frozenset({"ssl_server"}),
                sans=("IP:192.0.2.7", "UPN:u@corp.test"),
                not_before=T0,
                validity_days=10,
            ),
            seed="frame",
        ).certificate
    return [
        root.certificate,
        _leaf(root, "web.test", 30, sans=("DNS:web.test", "DNS:www.web.test"), eku=(SERVER,)),
        _leaf(root, "both.test", 60, eku=(SERVER, EXAMPLE_UNKNOWN_OID), eku_critical=True),
        _leaf(root, "noeku.test", 400, sans=("email:a@noeku.test",)),
        odd,
        empty_eku_cert,
    ]  # fmt: skip


@pytest.fixture(scope="module")
def frame(certs: list[x509.Certificate]) -> pd.DataFrame:
    return to_frame(certs)


# ----------------------------------------------------------------------------- schema


def test_schema_is_the_decode_columns_and_the_doc_is_generated_from_it() -> None:
    assert tuple(SCHEMA) == COLUMNS
    assert {c: SCHEMA[c].dtype for c in COLUMNS} == EXPECTED_DTYPES
    doc = (ROOT_DIR / "docs" / "columns.md").read_text()
    assert doc == columns_markdown(), (
        'regenerate: .venv/bin/python -c "from certlib.frame import columns_markdown as m; '
        "open('docs/columns.md', 'w').write(m())\""
    )
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| `([^`]+)` \| (.+) \|$", doc, re.M)
    assert [(n, d) for n, d, _ in rows] == [(c, EXPECTED_DTYPES[c]) for c in COLUMNS]
    assert all(meaning.strip() for _, _, meaning in rows)
    assert "## List columns" in doc and "Parquet" in doc and "CSV" in doc


def test_default_string_dtype_is_what_the_schema_uses() -> None:
    assert str(pd.Series(["a"]).dtype) == "str"


# ------------------------------------------------------------------------------ frames


def test_dtypes_exact_for_every_column(frame: pd.DataFrame) -> None:
    assert frame.shape == (6, len(COLUMNS))
    assert_dtypes(frame)
    assert isinstance(frame.index, pd.RangeIndex)


def test_values_match_decode(frame: pd.DataFrame, certs: list[x509.Certificate]) -> None:
    for i, cert in enumerate(certs):
        row = decode(cert)
        got = frame.iloc[i]
        for name in COLUMNS:
            value, expected = got[name], row[name]
            if expected is None:
                assert value is None or pd.isna(value), name
            elif isinstance(expected, list):
                assert value == expected, name
            else:
                assert value == expected, name


def test_frame_content_spot_checks(frame: pd.DataFrame) -> None:
    by_cn = frame.set_index("subject_cn")
    assert by_cn.loc["Frame Root", "self_signed"]
    assert by_cn.loc["Frame Root", "path_length"] is pd.NA
    assert by_cn.loc["odd.test", "public_key_algorithm"] == "Ed25519"
    assert pd.isna(by_cn.loc["odd.test", "signature_hash"])
    assert pd.isna(by_cn.loc["odd.test", "public_key_curve"])
    assert by_cn.loc["odd.test", "ns_cert_type"] == ["ssl_server"]
    assert by_cn.loc["web.test", "ns_cert_type"] is None
    assert by_cn.loc["odd.test", "serial_number"] == "-05"
    assert by_cn.loc["web.test", "validity_days"] == 30.0
    assert frame["not_after"].min() == pd.Timestamp(T0 + dt.timedelta(days=10))
    assert frame["public_key_size"].tolist() == [256, 256, 256, 256, 256, 256]


def test_empty_input_gives_typed_empty_frame(frame: pd.DataFrame) -> None:
    empty = to_frame([])
    assert empty.shape == (0, len(COLUMNS))
    assert_dtypes(empty)
    assert certlib.to_frame(iter(())).columns.tolist() == list(COLUMNS)
    eku = empty.certs.eku_table()
    san = empty.certs.san_table()
    assert eku.empty and san.empty
    assert eku.columns.tolist() == frame.certs.eku_table().columns.tolist()
    assert (eku.dtypes == frame.certs.eku_table().dtypes).all()
    assert san.columns.tolist() == ["sha256", "subject_cn", "san_type", "san_value"]
    assert empty.certs.expiring("30D", at=T0).empty and empty.certs.expired(at=T0).empty


def test_mixed_certificates_and_row_dicts(certs: list[x509.Certificate]) -> None:
    error_row = {"sha256": "00" * 32, "source_path": "/tmp/bad.cer", "finding": "unparseable"}
    mixed = to_frame([certs[1], decode(certs[2]), error_row])
    assert mixed.columns.tolist() == [*COLUMNS, "source_path", "finding"]
    assert_dtypes(mixed)
    assert mixed["source_path"].tolist()[2] == "/tmp/bad.cer"
    assert pd.isna(mixed.loc[0, "source_path"])
    bad = mixed.iloc[2]
    assert pd.isna(bad["subject"]) and bad["self_signed"] is pd.NA and bad["version"] is pd.NA
    assert pd.isna(bad["not_after"]) and pd.isna(bad["public_key_algorithm"])
    assert bad["eku_oids"] is None and bad["decode_errors"] is None
    assert mixed.loc[0, "subject_cn"] == "web.test" and mixed.loc[1, "subject_cn"] == "both.test"


def test_apply_schema_refuses_a_scalar_in_a_list_column(frame: pd.DataFrame) -> None:
    broken = frame.astype({"eku_oids": object}).copy()
    broken.loc[0, "eku_oids"] = "1.3.6.1.5.5.7.3.1"
    with pytest.raises(TypeError, match="expected a list"):
        apply_schema(broken)


# ------------------------------------------------------------------- Parquet and CSV


def test_parquet_round_trip_keeps_columns_dtypes_and_values(
    frame: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "certs.parquet"
    frame.to_parquet(path)
    raw = pd.read_parquet(path)
    assert raw.columns.tolist() == frame.columns.tolist()
    for name in COLUMNS:  # every non-list dtype survives as is
        if name not in LIST_COLUMNS:
            assert str(raw[name].dtype) == EXPECTED_DTYPES[name], name
    cell = raw.loc[1, "eku_oids"]
    assert isinstance(cell, np.ndarray) and cell.tolist() == [EKU.SERVER_AUTH.oid]

    back = apply_schema(raw)
    assert_dtypes(back)
    for name in COLUMNS:
        for a, b in zip(back[name], frame[name], strict=True):
            if isinstance(b, list):
                assert a == b and isinstance(a, list), name
            elif b is None or pd.isna(b):
                assert a is None or pd.isna(a), name
            else:
                assert a == b, name
    for name in ("public_key_algorithm", "signature_algorithm", "signature_hash"):
        assert set(back[name].cat.categories) == set(frame[name].cat.categories)


def test_flatten_lists_for_csv(frame: pd.DataFrame, tmp_path: Path) -> None:
    flat = flatten_lists(frame)
    assert str(flat["eku_oids"].dtype) == "str"
    assert flat.loc[1, "dns_names"] == "web.test;www.web.test"
    assert flat.loc[0, "eku_oids"] == ""  # [] -> "" ...
    assert pd.isna(flat.loc[0, "ns_cert_type"])  # ... while None stays missing
    assert frame.loc[1, "dns_names"] == ["web.test", "www.web.test"]  # the input is untouched
    path = tmp_path / "certs.csv"
    flat.to_csv(path, index=False)
    again = pd.read_csv(path, parse_dates=["not_after"])
    assert again["not_after"].dt.tz is not None
    assert again["not_after"].tolist() == frame["not_after"].tolist()
    assert again.loc[1, "dns_names"] == "web.test;www.web.test"

    # With an error row (all unknown) too: records -> frame -> CSV -> frame.
    full = to_frame([*frame.to_dict("records"), {"sha256": "ab" * 32}])
    flatten_lists(full).to_csv(path, index=False)
    back = apply_schema(pd.read_csv(path), list_sep=";")
    assert_dtypes(back)
    assert back["self_signed"].tolist()[-3:] == [True, False, pd.NA]
    for name in COLUMNS:
        for a, b in zip(back[name], full[name], strict=True):
            if isinstance(b, list):
                assert a == (b or None), name  # read_csv reads "" as missing: [] -> None
            elif b is None or pd.isna(b):
                assert a is None or pd.isna(a), name
            else:
                assert a == b, name


# -------------------------------------------------------------------------- accessor


def test_eku_table_has_explicit_markers(frame: pd.DataFrame) -> None:
    table = frame.certs.eku_table()
    assert table.columns.tolist() == [
        "sha256",
        "subject_cn",
        "eku_oid",
        "eku_name",
        "eku_display_name",
        "eku_critical",
    ]
    assert {c: str(t) for c, t in table.dtypes.items()} == {
        "sha256": "str",
        "subject_cn": "str",
        "eku_oid": "str",
        "eku_name": "str",
        "eku_display_name": "str",
        "eku_critical": "boolean",
    }
    assert not table.isna().any().any()
    got = list(zip(table["subject_cn"], table["eku_oid"], table["eku_name"], strict=True))
    assert got == [
        ("Frame Root", ABSENT, ABSENT),
        ("web.test", EKU.SERVER_AUTH.oid, "serverAuth"),
        ("both.test", EKU.SERVER_AUTH.oid, "serverAuth"),
        ("both.test", EXAMPLE_UNKNOWN_OID, EXAMPLE_UNKNOWN_OID),
        ("noeku.test", ABSENT, ABSENT),
        ("odd.test", ABSENT, ABSENT),
        ("example.com", EMPTY, EMPTY),
    ]
    assert table.index.tolist() == [0, 1, 2, 2, 3, 4, 5]  # joins back to the frame
    assert table.loc[2, "eku_critical"].tolist() == [True, True]
    assert table.loc[1, "eku_display_name"] == "Server Authentication"
    assert (table.loc[[1, 2], "sha256"] == frame.loc[[1, 2, 2], "sha256"].to_numpy()).all()


def test_eku_table_marks_unknown_rows(frame: pd.DataFrame) -> None:
    with_error = to_frame([*frame.to_dict("records")[:2], {"sha256": "ff" * 32}])
    table = with_error.certs.eku_table()
    assert table["eku_oid"].tolist() == [ABSENT, EKU.SERVER_AUTH.oid, UNKNOWN]
    assert table["eku_critical"].isna().tolist() == [False, False, True]


def test_san_table(frame: pd.DataFrame) -> None:
    table = frame.certs.san_table()
    got = list(zip(table["subject_cn"], table["san_type"], table["san_value"], strict=True))
    assert got == [
        ("Frame Root", NONE, NONE),
        ("web.test", "DNS", "web.test"),
        ("web.test", "DNS", "www.web.test"),
        ("both.test", NONE, NONE),
        ("noeku.test", "email", "a@noeku.test"),
        ("odd.test", "IP", "192.0.2.7"),
        ("odd.test", "othername", "UPN:u@corp.test"),
        ("example.com", "DNS", "example.com"),
    ]
    assert {str(t) for t in table.dtypes} == {"str"}
    unknown = to_frame([{"sha256": "ab" * 32, "subject_cn": "x"}]).certs.san_table()
    assert unknown["san_type"].tolist() == [UNKNOWN]


def test_expiring_and_expired(frame: pd.DataFrame) -> None:
    at = T0 + dt.timedelta(days=5)
    cns = lambda df: sorted(df["subject_cn"])  # noqa: E731
    assert cns(frame.certs.expiring("30D", at=at)) == ["odd.test", "web.test"]
    assert cns(frame.certs.expiring(pd.Timedelta(days=55), at=at)) == [
        "both.test",
        "odd.test",
        "web.test",
    ]
    assert cns(frame.certs.expiring(dt.timedelta(days=24), at=at)) == ["odd.test"]
    # Boundaries are inclusive: a certificate is valid at its notAfter instant (RFC 5280).
    assert cns(frame.certs.expiring("0D", at=T0 + dt.timedelta(days=10))) == ["odd.test"]
    assert cns(frame.certs.expired(at=T0 + dt.timedelta(days=10))) == []
    assert cns(frame.certs.expired(at=T0 + dt.timedelta(days=31))) == ["odd.test", "web.test"]
    # Naive datetimes and strings are taken as UTC.
    assert cns(frame.certs.expired(at="2026-01-31 00:00:01")) == ["odd.test", "web.test"]
    assert cns(frame.certs.expired(at=dt.datetime(2026, 1, 11))) == []  # its notAfter: valid
    assert cns(frame.certs.expired(at=dt.datetime(2026, 1, 11, 0, 0, 1))) == ["odd.test"]
    # The limbo leaf runs to 2969, the root to 2035: neither expires within a year of T0.
    year = frame.certs.expiring("365D", at=T0)
    assert "Frame Root" not in set(year["subject_cn"]) and "example.com" not in set(
        year["subject_cn"]
    )
    assert frame.certs.not_yet_valid(at=T0 - dt.timedelta(days=1))["subject_cn"].tolist() == [
        "Frame Root",
        "web.test",
        "both.test",
        "noeku.test",
        "odd.test",
    ]
    assert len(frame.certs.valid_at(at=T0 + dt.timedelta(days=45))) == 4


def test_expiring_defaults_to_now(frame: pd.DataFrame) -> None:
    now = pd.Timestamp.now(tz="UTC")
    expected = frame[
        (frame["not_after"] >= now) & (frame["not_after"] <= now + pd.Timedelta("30D"))
    ]
    assert frame.certs.expiring().index.tolist() == expected.index.tolist()
    assert frame.certs.expired().index.tolist() == frame.index[frame["not_after"] < now].tolist()


def test_accessor_tolerates_extra_columns_and_names_missing_ones(frame: pd.DataFrame) -> None:
    extended = frame.assign(verdict="allowed", findings=[[] for _ in range(len(frame))])
    assert len(extended.certs.eku_table()) == 7
    assert len(extended.certs.expired(at=T0 + dt.timedelta(days=31))) == 2
    with pytest.raises(KeyError, match="eku_oids"):
        frame.drop(columns="eku_oids").certs.eku_table()


def test_the_accessor_is_one_declared_class_nothing_attached(frame: pd.DataFrame) -> None:
    """Every df.certs method is written in certlib.accessor; no module can bolt one on."""
    methods = [n for n, v in vars(CertsAccessor).items() if callable(v) and not n.startswith("_")]
    assert len(methods) == 18
    assert {getattr(CertsAccessor, n).__module__ for n in methods} == {"certlib.accessor"}
    assert not hasattr(CertsAccessor, "register_method")
    assert not hasattr(CertsAccessor, "EXTENDED_BY")
    assert frame.certs.frame is frame
    with pytest.raises(AttributeError):
        frame.certs.ca_count  # noqa: B018 - an undeclared name is an AttributeError
    pd.testing.assert_frame_equal(frame.certs.eku_table(), certlib.frame.eku_table(frame))


def test_an_integer_beyond_int64_becomes_missing_not_an_exception() -> None:
    """x509-limbo has pathLenConstraint 2**64: the frame must still build (Int64 cannot hold it)."""
    from certlib.frame import to_frame

    df = to_frame([{"path_length": 2**64}, {"path_length": 3}, {"path_length": -(2**63)}])
    assert df["path_length"].isna().tolist() == [True, False, False]
    assert df["path_length"].tolist()[1:] == [3, -(2**63)]
