"""The inventory browser without a kernel: every filter alone and combined, the profile switch,
the detail of a row, escaping, frames without certificates, and the widget wiring.

Every expected count is computed here with plain pandas from the frame itself (never from the
model), and every expected verdict with ``df.certs.verdicts`` or :func:`certlib.verdict`.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from cryptography import x509

import certlib
from certlib.cert.findings import FINDINGS
from certlib.cert.forge import PRESETS, forge
from certlib.core.oids import EKU
from certlib.core.verdicts import OUTCOMES, PROFILES, Purpose
from certlib.inventory import load_inventory, read_inventory, write_inventory
from certlib.sources.sample_data import PASSWORD
from certlib.widgets.browser import (
    CHAIN_NOT_IN_FRAME,
    BrowserFilters,
    InventoryBrowser,
    InventoryBrowserModel,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-inventory"
AT = "2027-01-01"
PURPOSES = tuple(p.value for p in Purpose)
HOSTILE_CN = "<img src=x onerror=alert(1)>"
HOSTILE_FILE = "<b onmouseover=alert(2)>.pem"

_ROW = re.compile(r'<tr class="certlib-browser-row certlib-row-(\w+)" data-index="(\d+)"')
_BADGE = re.compile(r'data-purpose="(\w+)" data-outcome="([^"]*)"')


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return read_inventory(SAMPLE, passwords=[PASSWORD], at=AT, workers=1, progress=False)


@pytest.fixture
def model(df: pd.DataFrame) -> InventoryBrowserModel:
    return InventoryBrowserModel(df)


# --- independent expectations (plain pandas) -------------------------------------------------


def _certs(df: pd.DataFrame) -> pd.Series:
    return df["status"].astype(str).isin(["ok", "partial"])


def _is_ca(df: pd.DataFrame) -> pd.Series:
    return df["is_ca"].astype("boolean").fillna(False).astype(bool)


def _basenames(places: Any) -> list[str]:
    out = []
    for p in places:
        p = re.sub(r"#\d+$", "", str(p))  # the index inside a file, not a '#' in a name
        out += [part.rsplit("/", 1)[-1] for part in p.split("!")]
    return out


def _search(df: pd.DataFrame, needle: str) -> pd.Series:
    n = needle.lower()
    subj = df["subject_cn"].fillna("").str.lower().str.contains(n, regex=False)
    issuer = df["issuer_cn"].fillna("").str.lower().str.contains(n, regex=False)
    san = df["alternative_names"].map(lambda v: any(n in str(x).lower() for x in (v or [])))
    files = df["sources"].map(lambda v: any(n in f.lower() for f in _basenames(v)))
    return (subj | issuer | san.astype(bool) | files.astype(bool)).astype(bool)


def _has(df: pd.DataFrame, codes: set[str]) -> pd.Series:
    return df["findings"].map(lambda v: bool(codes & set(v))).astype(bool)


def _visible(html_text: str) -> list[int]:
    return [int(i) for _s, i in _ROW.findall(html_text)]


def _badges(table: str) -> dict[int, dict[str, str]]:
    """index -> purpose -> outcome, read back from the rendered table."""
    out: dict[int, dict[str, str]] = {}
    for chunk in table.split("<tr ")[1:]:
        m = re.match(r'class="certlib-browser-row certlib-row-\w+" data-index="(\d+)"', chunk)
        if m:
            out[int(m.group(1))] = dict(_BADGE.findall(chunk))
    return out


def _count(model: InventoryBrowserModel, **filters: Any) -> int:
    model.update(**filters)
    n = len(model.filtered())
    assert model.count_text() == f"{n} of {len(model.df)} rows"
    assert _visible(model.table_html()) == list(model.filtered().index)
    return n


# --- filters ---------------------------------------------------------------------------------


def test_no_filter_shows_every_row(df: pd.DataFrame, model: InventoryBrowserModel) -> None:
    assert len(df) == 18
    assert _count(model) == 18
    assert model.count_text() == "18 of 18 rows"
    assert [i for _label, i in model.options()] == list(df.index)


@pytest.mark.parametrize("status", ["ok", "partial", "error"])
def test_status_filter(df: pd.DataFrame, model: InventoryBrowserModel, status: str) -> None:
    expected = int((df["status"].astype(str) == status).sum())
    assert _count(model, status=status) == expected
    if status == "error":
        assert expected == 4


def test_text_search(df: pd.DataFrame, model: InventoryBrowserModel) -> None:
    # "contoso root" is the root's subject CN and the issuing CA's issuer CN
    assert int(df["subject_cn"].str.lower().str.contains("contoso root").fillna(False).sum()) == 1
    for needle in ("contoso root", "CONTOSO ROOT", "vpn", "alice", "sample", ".pfx", "www"):
        expected = _search(df, needle)
        assert _count(model, text=needle) == int(expected.sum()), needle
        assert list(model.filtered().index) == list(df.index[expected.to_numpy()])
    assert _count(model, text="contoso root") == 2
    assert set(model.filtered()["subject_cn"]) == {"Contoso Root CA", "Contoso Issuing CA 1"}
    # a file name only: the PFX holds www.contoso.com (and its chain)
    assert _count(model, text="iis-www.pfx") == int(_search(df, "iis-www.pfx").sum()) >= 1
    # an error row is found by its file name
    assert _count(model, text="request.csr") == 1
    assert model.filtered()["status"].astype(str).tolist() == ["error"]
    # a SAN that is nobody's CN
    sans = {str(x)[4:] for v in df["alternative_names"].dropna() for x in v}
    only_san = sorted(s for s in sans if s not in set(df["subject_cn"].dropna()))
    if only_san:
        assert _count(model, text=only_san[0]) == int(_search(df, only_san[0]).sum()) >= 1
    assert _count(model, text="no such certificate anywhere") == 0


@pytest.mark.parametrize("purpose", PURPOSES)
def test_purpose_outcome_filter(
    df: pd.DataFrame, model: InventoryBrowserModel, purpose: str
) -> None:
    seen = 0
    for outcome in OUTCOMES:
        expected = int((df[purpose].astype(str) == outcome).sum())
        assert _count(model, purpose=purpose, outcome=outcome) == expected
        seen += expected
    assert seen == int(_certs(df).sum()) == 14  # every certificate row has one outcome


def test_tls_client_allowed(df: pd.DataFrame, model: InventoryBrowserModel) -> None:
    expected = df.index[(df["tls_client"].astype(str) == "allowed").to_numpy()]
    assert 0 < _count(model, purpose="tls_client", outcome="allowed") == len(expected)
    assert list(model.filtered().index) == list(expected)
    # the outcome alone filters nothing while no purpose is chosen
    assert _count(model, purpose="", outcome="denied") == len(df)


def test_findings_filter(df: pd.DataFrame, model: InventoryBrowserModel) -> None:
    present = sorted({c for v in df["findings"] for c in v})
    assert "expired" in present
    for code in present:
        assert _count(model, findings=(code,)) == int(_has(df, {code}).sum()), code
    assert _count(model, findings=("expired",)) == 1
    both = {"expired", "weak-key", "ber-encoding"}
    assert _count(model, findings=tuple(both)) == int(_has(df, both).sum()) > 3
    assert _count(model, findings=("md5-signature",)) == int(_has(df, {"md5-signature"}).sum())
    assert _count(model, findings=()) == len(df)


def test_kind_and_key_filters(df: pd.DataFrame, model: InventoryBrowserModel) -> None:
    certs = _certs(df)
    ca = certs & _is_ca(df)
    assert _count(model, kind="ca") == int(ca.sum()) == 3
    assert _count(model, kind="end_entity") == int((certs & ~_is_ca(df)).sum()) == 11
    assert _count(model, kind="all") == len(df)
    key = df["has_private_key"]
    assert _count(model, key="yes") == int((certs & (key == True)).fillna(False).sum())  # noqa: E712
    assert _count(model, key="no") == int((certs & (key == False)).fillna(False).sum())  # noqa: E712
    assert _count(model, key="unknown") == int((certs & key.isna()).sum())
    assert sum(_count(model, key=k) for k in ("yes", "no", "unknown")) == int(certs.sum())
    assert _count(model, key="any") == len(df)


def test_filters_combine(df: pd.DataFrame, model: InventoryBrowserModel) -> None:
    ee = _certs(df) & ~_is_ca(df)
    server = df["tls_server"].astype(str) == "allowed"
    unknown_key = _certs(df) & df["has_private_key"].isna()
    contoso = _search(df, "contoso.com")
    expected = ee & server & unknown_key & contoso
    n = _count(
        model,
        kind="end_entity",
        purpose="tls_server",
        outcome="allowed",
        key="unknown",
        text="contoso.com",
    )
    assert n == int(expected.sum()) > 0
    assert list(model.filtered().index) == list(df.index[expected.to_numpy()])
    # adding a finding narrows further
    with_finding = expected & _has(df, {"sha1-signature", "tls-no-eku"})
    assert _count(model, findings=("sha1-signature", "tls-no-eku")) == int(with_finding.sum())
    # error status and a purpose filter exclude each other
    assert _count(model, findings=(), status="error") == 0
    assert _count(model, purpose="", kind="all", key="any", text="") == 4


def test_bad_filter_values_raise(model: InventoryBrowserModel) -> None:
    for bad in (
        {"status": "fine"},
        {"purpose": "tls"},
        {"outcome": "yes"},
        {"kind": "leaf"},
        {"key": "maybe"},
        {"profile": "nss"},
    ):
        with pytest.raises(ValueError):
            model.update(**bad)
    assert model.filters == BrowserFilters()


def test_max_rows_caps_table_and_list(df: pd.DataFrame) -> None:
    m = InventoryBrowserModel(df, max_rows=5)
    assert len(_visible(m.table_html())) == len(m.options()) == 5
    assert m.count_text() == "18 of 18 rows (the first 5 shown)"
    assert len(m.filtered()) == 18


# --- profiles ----------------------------------------------------------------------------------


def _pivot(df: pd.DataFrame, profile: str) -> pd.DataFrame:
    long = df.certs.verdicts(profiles=[profile])
    return long.pivot(index="sha256", columns="purpose", values="outcome").astype(str)


def test_own_profile_needs_no_recompute(df: pd.DataFrame, model: InventoryBrowserModel) -> None:
    assert model.profile == df.attrs["profile"] == "rfc5280"
    assert model.frame_for() is df
    model.table_html()
    assert model._long == {}


@pytest.mark.parametrize("profile", [p for p in PROFILES if p != "rfc5280"])
def test_profile_switch_changes_exactly_the_differing_cells(
    df: pd.DataFrame, model: InventoryBrowserModel, profile: str
) -> None:
    certs = df[_certs(df).to_numpy()]
    before = _badges(model.table_html())
    model.update(profile=profile)
    after = _badges(model.table_html())
    expected = _pivot(df, profile)
    own = certs.set_index("sha256")[list(PURPOSES)].astype(str)
    changed = {(i, p) for i in before for p in PURPOSES if before[i].get(p) != after[i].get(p)}
    differ = {
        (int(i), p)
        for i, sha in zip(certs.index, certs["sha256"], strict=True)
        for p in PURPOSES
        if expected.loc[sha, p] != own.loc[sha, p]
    }
    assert changed == differ
    for i, sha in zip(certs.index, certs["sha256"], strict=True):
        assert after[int(i)] == {p: expected.loc[sha, p] for p in PURPOSES}
    # filters read the switched columns
    for p in ("tls_server", "tls_client"):
        n = int((expected[p] == "allowed").sum())
        assert _count(model, purpose=p, outcome="allowed") == n
    assert f"under {html.escape(certlib.widgets.render.PROFILE_LABELS[profile])}" in (
        model.table_html()
    )


def test_some_profiles_really_differ(df: pd.DataFrame) -> None:
    """So the test above can fail: openssl and webpki disagree with rfc5280 on the sample."""
    own = df[_certs(df).to_numpy()].set_index("sha256")[list(PURPOSES)].astype(str)
    for profile in ("openssl", "webpki"):
        pv = _pivot(df, profile)
        assert int((pv.loc[own.index, list(PURPOSES)] != own).to_numpy().sum()) > 0


def test_profile_frames_are_cached(model: InventoryBrowserModel) -> None:
    model.update(profile="openssl")
    first = model.frame_for()
    model.update(profile="go")
    model.update(profile="openssl")
    assert model.frame_for() is first
    assert set(model._long) == {"openssl", "go"}
    model.update(profile=None)
    assert model.frame_for() is model.df


# --- one row in full ---------------------------------------------------------------------------


def _chain_verdict(df: pd.DataFrame, index: int, purpose: str, profile: str) -> certlib.Verdict:
    """certlib.verdict with the chain the inventory linked (independent of the model)."""
    row = df.loc[index]
    by_sha = {s: d for s, d in zip(df["sha256"], df["der"], strict=True) if isinstance(d, bytes)}
    cert = x509.load_der_x509_certificate(row["der"])
    chain = [x509.load_der_x509_certificate(by_sha[s]) for s in row["chain_sha256"]]
    if bool(row["self_signed"]):
        inters, roots = chain, [cert]
    elif bool(row["chain_complete"]):
        inters, roots = chain[:-1], chain[-1:]
    else:
        inters, roots = chain, []
    return certlib.verdict(
        cert, purpose, profile, intermediates=inters, roots=roots, at=df.attrs["at"]
    )


def _reason_blocks(detail: str) -> dict[str, tuple[str, list[str]]]:
    """purpose -> (outcome, [rules]) from the detail's reasons blocks."""
    out = {}
    for chunk in detail.split('<div class="certlib-reasons"')[1:]:
        m = re.match(r' data-profile="(\w+)" data-purpose="(\w+)" data-outcome="([^"]+)"', chunk)
        assert m
        out[m.group(2)] = (m.group(3), re.findall(r'<li data-rule="([^"]+)"', chunk))
    return out


@pytest.mark.parametrize("profile", ["rfc5280", "openssl", "webpki"])
def test_detail_of_every_certificate(
    df: pd.DataFrame, model: InventoryBrowserModel, profile: str
) -> None:
    model.update(profile=profile)
    for index in df.index[_certs(df).to_numpy()]:
        row = df.loc[index]
        model.select(index)
        detail = model.detail_html()
        assert detail == model.detail_html(index)
        for place in row["sources"]:
            assert f"<code>{html.escape(place)}</code>" in detail
        for code in row["findings"]:
            assert html.escape(FINDINGS[code]) in detail
        for name in row["friendly_names"]:
            assert html.escape(name) in detail
        for sha in row["chain_sha256"]:
            cn = df.loc[df["sha256"] == sha, "subject_cn"].iloc[0]
            assert f'<li data-sha256="{sha}">{html.escape(cn)}</li>' in detail
        for value in (row["sha256"], row["serial_number"], row["subject"], row["issuer"]):
            assert html.escape(value) in detail
        blocks = _reason_blocks(detail)
        assert list(blocks) == list(PURPOSES)
        for purpose in PURPOSES:
            v = _chain_verdict(df, index, purpose, profile)
            assert blocks[purpose] == (v.outcome, [r.rule for r in v.ordered_reasons]), (
                index,
                purpose,
            )
            for r in v.reasons:
                assert html.escape(r.text) in detail
            if profile == "rfc5280":  # the inventory's own columns agree with the detail
                assert str(row[purpose]) == v.outcome


def test_detail_of_root_lists_its_seven_places_and_key_states(
    df: pd.DataFrame, model: InventoryBrowserModel
) -> None:
    root = int(df.index[df["subject_cn"] == "Contoso Root CA"][0])
    model.select(root)
    detail = model.detail_html()
    assert len(df.loc[root, "sources"]) == 7
    assert detail.count("<li><code>") == 7
    assert "self-signed" in detail
    states = {True: "yes: a private key", False: "no: a source", None: "unknown"}
    for index in df.index[_certs(df).to_numpy()]:
        key = df.loc[index, "has_private_key"]
        expected = states[None if pd.isna(key) else bool(key)]
        assert expected in model.detail_html(index)


def test_detail_of_error_rows(df: pd.DataFrame, model: InventoryBrowserModel) -> None:
    model.update(status="error")
    assert model.selected == df.index[(df["status"].astype(str) == "error").to_numpy()][0]
    for index in model.filtered().index:
        row = df.loc[index]
        detail = model.detail_html(index)
        for value in (row["source_path"], row["error_kind"], row["error"]):
            assert html.escape(value) in detail
        assert model.row_verdicts(index) == {}
        assert "certlib-reasons" not in detail


def test_selection_follows_filters(df: pd.DataFrame, model: InventoryBrowserModel) -> None:
    assert model.selected == df.index[0]
    www = int(df.index[df["subject_cn"] == "www.contoso.com"][0])
    model.select(www)
    model.update(text="www")
    assert model.selected == www
    model.update(text="alice")
    assert model.selected == int(df.index[df["subject_cn"] == "Alice Smith"][0])
    model.update(text="nothing matches this")
    assert model.selected is None
    assert "No row selected" in model.detail_html()
    assert "No rows match" in model.table_html()
    with pytest.raises(KeyError):
        model.select(999)


# --- escaping, odd frames ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> pd.DataFrame:
    d = tmp_path_factory.mktemp("hostile")
    evil = dataclasses.replace(PRESETS["iis_server"], common_name=HOSTILE_CN, key_label="evil")
    (d / HOSTILE_FILE).write_bytes(forge(evil, seed="browser").pem)
    (d / "<i>broken.cer").write_bytes(b"\x30\x82\x05\x00")  # an error row with a hostile path
    return read_inventory(d, at=AT, workers=1, progress=False)


def test_hostile_names_are_escaped(hostile: pd.DataFrame) -> None:
    assert HOSTILE_CN in set(hostile["subject_cn"].dropna())
    assert (hostile["status"].astype(str) == "error").sum() == 1
    b = InventoryBrowser(hostile)
    for index in hostile.index:
        b.rows.value = index
        for view in (b.table.value, b.detail.value, b.count.value):
            assert HOSTILE_CN not in view
            assert "<b onmouseover" not in view and "<i>" not in view
            assert "onerror=alert(1)>" not in view
    b.rows.value = int(hostile.index[hostile["subject_cn"] == HOSTILE_CN][0])
    assert html.escape(HOSTILE_CN) in b.table.value
    assert html.escape(HOSTILE_CN) in b.detail.value
    assert html.escape(HOSTILE_FILE) in b.detail.value
    b.controls["text"].value = "<img"
    assert b.model.count_text() == f"1 of {len(hostile)} rows"
    b.controls["text"].value = "onmouseover"  # the file name
    assert b.model.count_text() == f"1 of {len(hostile)} rows"


def test_text_search_keeps_hash_signs_in_file_and_member_names(tmp_path: Path) -> None:
    """Only a trailing ``#<digits>`` (the index inside a file) is cut from a place."""
    one = forge(dataclasses.replace(PRESETS["iis_server"], common_name="one.example"), seed=1)
    two = forge(dataclasses.replace(PRESETS["iis_server"], common_name="two.example"), seed=2)
    three = forge(dataclasses.replace(PRESETS["iis_server"], common_name="three.example"), seed=3)
    (tmp_path / "web#prod.pem").write_bytes(one.pem)
    (tmp_path / "pair#7.pem").write_bytes(two.pem + three.pem)  # places pair#7.pem#0 and #1
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("certs/api#v2.der", three.der)
    (tmp_path / "bundle#1.zip").write_bytes(buf.getvalue())
    (tmp_path / "bad#x.der").write_bytes(b"\x30\x82\x05\x00")  # an error row
    df = read_inventory(tmp_path, at=AT, workers=1, progress=False)
    model = InventoryBrowserModel(df)

    def found(needle: str) -> set[str]:
        model.update(text=needle)
        return {_text_or(r) for _i, r in model.filtered().iterrows()}

    def _text_or(row: pd.Series) -> str:
        return str(row["subject_cn"]) if str(row["status"]) != "error" else "error"

    assert found("prod.pem") == found("web#prod.pem") == {"one.example"}
    assert found("pair#7.pem") == {"two.example", "three.example"}
    assert found("api#v2.der") == {"three.example"}  # a zip member's name
    assert found("bundle#1.zip") == {"three.example"}  # the zip's own name
    assert found("bad#x.der") == {"error"}
    assert found("#0") == set()  # the index inside a file is not part of any name
    error = df.index[df["status"].astype(str) == "error"][0]
    assert "bad#x.der" in model.row_label(error)


@pytest.fixture(scope="module")
def eku_chain(tmp_path_factory) -> tuple[pd.DataFrame, Any, Any, Any]:
    """root → intermediate with EKU clientAuth only → serverAuth leaf, read under Windows
    (which chains EKUs: the leaf is denied TLS server with its chain, allowed without)."""
    d = tmp_path_factory.mktemp("ekuca")
    root = forge(dataclasses.replace(PRESETS["root_ca"], common_name="EKU Root"), seed="ekuca")
    ica_spec = dataclasses.replace(
        PRESETS["intermediate_ca"], common_name="Client-only CA", eku=(EKU.CLIENT_AUTH.oid,)
    )
    ica = forge(ica_spec, root, seed="ekuca")
    leaf = forge(PRESETS["iis_server"], ica, seed="ekuca")
    for name, c in (("root.pem", root), ("ica.pem", ica), ("leaf.pem", leaf)):
        (d / name).write_bytes(c.pem)
    df = read_inventory(d, at=AT, profile="windows", workers=1, progress=False)
    return df, root, ica, leaf


def test_rows_whose_chain_is_not_in_the_frame(eku_chain) -> None:
    df, _root, _ica, leaf = eku_chain
    full = InventoryBrowserModel(df)
    i_full = int(df.index[df["sha256"] == leaf.sha256][0])
    assert df.loc[i_full, "tls_server"] == "denied"
    assert full.row_verdicts(i_full)["tls_server"].outcome == "denied"

    ee = df[~df["is_ca"].astype(bool)]
    (i,) = ee.index
    model = InventoryBrowserModel(ee)
    note = html.escape(CHAIN_NOT_IN_FRAME)

    # the inventory's own profile: the stored outcomes, in the table and the detail alike
    model.select(i)
    stored = {p: str(ee.loc[i, p]) for p in PURPOSES}
    assert _badges(model.table_html())[i] == stored
    assert {p: v.outcome for p, v in model.row_verdicts(i).items()} == stored
    detail = model.detail_html(i)
    assert note in detail
    assert _reason_blocks(detail)["tls_server"] == ("denied", ["inventory.stored"])
    assert note not in model.table_html()
    assert model.chain_cut(i) and not full.chain_cut(i_full)

    # any other profile: "?" titled with why, and no verdict in the detail
    for profile in ("rfc5280", "openssl"):
        model.update(profile=profile)
        assert profile in set(full.long_verdicts(profile)["profile"])  # judgeable with the chain
        table = model.table_html()
        assert _badges(table)[i] == dict.fromkeys(PURPOSES, "")
        assert table.count(f'title="{note}"') == len(PURPOSES)
        assert model.row_verdicts(i) == {}
        detail = model.detail_html(i)
        assert note in detail
        unknown = re.findall(
            rf'data-profile="{profile}" data-purpose="(\w+)"'
            rf' data-outcome="" title="{re.escape(note)}"',
            detail,
        )
        assert unknown == list(PURPOSES)
        assert "verdict-" not in detail.split("certlib-browser-verdicts", 1)[1]
        # the whole frame's model judges the leaf under that profile: no "?" there
        full.update(profile=profile)
        assert note not in full.table_html()
        assert set(_badges(full.table_html())[i_full].values()) <= set(OUTCOMES)


@pytest.mark.parametrize("which", ["empty", "errors_only"])
def test_frames_without_certificates(tmp_path: Path, which: str) -> None:
    if which == "empty":
        frame = read_inventory([], at=AT, progress=False)
    else:
        (tmp_path / "junk.txt").write_bytes(b"not a certificate")
        frame = read_inventory([tmp_path, tmp_path / "missing.cer"], at=AT, progress=False)
    n = len(frame)
    b = InventoryBrowser(frame)
    assert b.model.count_text() == f"{n} of {n} rows"
    for profile in PROFILES:
        b.controls["profile"].value = profile
        b.controls["purpose"].value = "tls_server"
        assert b.model.count_text() == f"0 of {n} rows"
        b.controls["purpose"].value = ""
    for name, value in (("kind", "ca"), ("key", "yes"), ("status", "ok"), ("text", "x")):
        b.controls[name].value = value
        assert b.model.count_text() == f"0 of {n} rows"
    assert "No row selected" in b.detail.value
    assert b.rows.options == ()
    if which == "errors_only":
        assert n == 2
        b.controls["text"].value = ""
        b.controls["status"].value = "error"
        b.controls["kind"].value = "all"
        b.controls["key"].value = "any"
        assert b.model.count_text() == f"2 of {n} rows"
        assert "junk.txt" in b.detail.value and "missing.cer" in b.table.value
        b.rows.value = b.rows.options[1][1]
        assert "missing.cer" in b.detail.value


def test_parquet_round_trip_browses_the_same(df: pd.DataFrame, tmp_path: Path) -> None:
    write_inventory(df, tmp_path / "inv.parquet")
    again = load_inventory(tmp_path / "inv.parquet")
    a, b = InventoryBrowserModel(df), InventoryBrowserModel(again)
    assert a.table_html() == b.table_html()
    for index in df.index:
        assert a.detail_html(index) == b.detail_html(index)
    a.update(profile="go", text="contoso")
    b.update(profile="go", text="contoso")
    assert a.table_html() == b.table_html()


def test_plain_certificate_frame_without_inventory_columns(df: pd.DataFrame) -> None:
    """certlib.to_frame gives no status, verdict or der columns: browse it, judge nothing."""
    certs = [x509.load_der_x509_certificate(d) for d in df["der"].dropna()]
    frame = certlib.to_frame(certs)
    m = InventoryBrowserModel(frame)
    assert m.count_text() == f"{len(certs)} of {len(certs)} rows"
    names = frame["subject_cn"].str.lower() + "\n" + frame["issuer_cn"].str.lower()
    assert _count(m, text="contoso root") == int(names.str.contains("contoso root").sum()) == 2
    m.update(text="", profile="openssl")
    assert "certlib-reasons" not in m.detail_html()
    assert m.row_verdicts(m.selected) == {}


def test_frame_with_duplicate_index_labels(df: pd.DataFrame) -> None:
    doubled = pd.concat([df, df])
    doubled.attrs = dict(df.attrs)
    m = InventoryBrowserModel(doubled)
    assert m.count_text() == "36 of 36 rows"
    m.update(status="error")
    assert m.count_text() == "8 of 36 rows"


# --- the widget ----------------------------------------------------------------------------------


def test_widget_wiring(df: pd.DataFrame) -> None:
    b = InventoryBrowser(df)
    c = b.controls
    assert set(c) == {f.name for f in dataclasses.fields(BrowserFilters)}

    def shown() -> list[int]:
        return _visible(b.table.value)

    def expect(mask: pd.Series) -> None:
        idx = list(df.index[mask.to_numpy()])
        assert shown() == idx
        assert [v for _label, v in b.rows.options] == idx
        assert f'data-visible="{len(idx)}" data-total="{len(df)}"' in b.count.value
        assert f">{len(idx)} of {len(df)} rows<" in b.count.value
        if idx:
            assert b.rows.value == b.model.selected
            assert f'data-index="{b.rows.value}"' in b.detail.value

    everything = pd.Series(True, index=df.index)
    expect(everything)

    c["text"].value = "contoso root"
    expect(_search(df, "contoso root"))
    c["text"].value = ""
    expect(everything)

    c["status"].value = "error"
    expect(df["status"].astype(str) == "error")
    assert "Error row" in b.detail.value
    c["status"].value = ""

    assert c["outcome"].disabled  # no purpose chosen: the outcome means nothing yet
    c["purpose"].value = "tls_client"
    assert not c["outcome"].disabled
    c["outcome"].value = "allowed"
    expect(df["tls_client"].astype(str) == "allowed")
    table = b.table.value
    c["profile"].value = "openssl"
    assert b.table.value != table
    pv = _pivot(df, "openssl")
    allowed = set(pv.index[pv["tls_client"] == "allowed"])
    expect(df["sha256"].isin(allowed))
    assert 'data-profile="openssl"' in b.detail.value
    c["profile"].value = "rfc5280"
    c["purpose"].value = ""

    c["findings"].value = ("expired", "weak-key")
    expect(_has(df, {"expired", "weak-key"}))
    assert [v for _label, v in c["findings"].options] == [
        code for code in FINDINGS if _has(df, {code}).any()
    ]
    c["findings"].value = ()

    c["kind"].value = "ca"
    expect(_certs(df) & _is_ca(df))
    c["key"].value = "no"
    expect(_certs(df) & _is_ca(df) & (df["has_private_key"] == False).fillna(False))  # noqa: E712
    c["kind"].value = "all"
    c["key"].value = "any"
    expect(everything)

    # picking a row shows its detail
    bob = int(df.index[df["subject_cn"] == "Bob Jones"][0])
    b.rows.value = bob
    assert b.model.selected == bob
    assert "<h4>Bob Jones</h4>" in b.detail.value
    assert f'data-index="{bob}" style="outline' in b.table.value
    # a filter that keeps Bob keeps him selected; one that hides him moves the selection
    c["text"].value = "bob"
    assert b.rows.value == bob and "<h4>Bob Jones</h4>" in b.detail.value
    c["text"].value = "alice"
    assert "<h4>Alice Smith</h4>" in b.detail.value
    assert b.rows.value == int(df.index[df["subject_cn"] == "Alice Smith"][0])


def test_widget_exported_and_displayable(df: pd.DataFrame) -> None:
    import certlib.widgets as widgets

    assert widgets.InventoryBrowser is InventoryBrowser
    assert widgets.InventoryBrowserModel is InventoryBrowserModel
    assert "InventoryBrowser" in widgets.__all__
    b = InventoryBrowser(df)
    bundle = b._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "certlib-inventory-browser" in b.widget._dom_classes
