"""The live app's inventory panel without a kernel: counts, HTML, and the profile dropdown.

Expected counts are computed independently: a verdict per certificate with
:func:`certlib.verdict` (chain-aware along the chain the inventory linked, a self-signed
certificate as its own anchor, as ``df.certs.verdicts`` does), counted with plain Python.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from panel_counts import AT, SAMPLE, expected

import certlib
from certlib.cert.forge import PRESETS, forge
from certlib.core.verdicts import OUTCOMES, PROFILES, Purpose
from certlib.widgets.panel import (
    InventoryPanel,
    InventoryPanelModel,
    outcome_counts,
    outcome_counts_html,
)

_COUNT = re.compile(r'data-purpose="([^"]+)" data-outcome="([^"]+)"[^>]*>(\d+)</td>')


def shown(html: str) -> dict[tuple[str, str], int]:
    return {(p, o): int(n) for p, o, n in _COUNT.findall(html)}


@pytest.fixture(scope="module")
def model() -> InventoryPanelModel:
    return InventoryPanelModel(SAMPLE, passwords=["certlib-demo"], at=AT)


def test_outcome_counts_shape_and_totals(model: InventoryPanelModel) -> None:
    df = model.frame("rfc5280")
    counts = outcome_counts(df)
    assert list(counts.index) == [str(p) for p in Purpose]
    assert list(counts.columns) == list(OUTCOMES)
    n_certs = int((df["status"] != "error").sum())
    assert n_certs == 14  # the sample inventory's distinct certificates (data/README.md)
    assert (counts.sum(axis=1) == n_certs).all()
    for purpose in counts.index:  # the same numbers plain value_counts gives
        vc = df.loc[df["status"] != "error", purpose].astype(str).value_counts()
        assert counts.loc[purpose][counts.loc[purpose] > 0].to_dict() == vc.to_dict()


@pytest.mark.parametrize("profile", ["rfc5280", "webpki"])
def test_counts_match_certlib_verdict(model: InventoryPanelModel, profile: str) -> None:
    html = model.html(profile)
    assert len(shown(html)) == len(Purpose) * len(OUTCOMES)
    assert shown(html) == expected(profile)
    assert f'data-profile="{profile}"' in html
    assert "14 certificates" in html and "4 unreadable files" in html


def test_profiles_disagree_on_the_sample(model: InventoryPanelModel) -> None:
    by_profile = {p: outcome_counts(model.frame(p)) for p in PROFILES}
    assert by_profile["rfc5280"].loc["tls_server", "allowed"] == 10
    assert by_profile["webpki"].loc["tls_server", "allowed"] == 0  # a private PKI
    assert len({t.to_json() for t in by_profile.values()}) > 1


def test_panel_dropdown_rejudges(model: InventoryPanelModel) -> None:
    panel = InventoryPanel(model)
    assert [v for _, v in panel.profile.options] == list(PROFILES)
    first = panel.view.value
    assert shown(first) == shown(outcome_counts_html(model.frame("rfc5280")))
    panel.profile.value = "webpki"  # observers fire synchronously without a kernel
    assert panel.view.value != first
    assert shown(panel.view.value) == expected("webpki")
    assert panel.widget._dom_classes == ("certlib-inventory-panel",)
    panel.profile.value = "rfc5280"
    assert panel.view.value == first


def test_frames_are_read_once_per_profile(
    model: InventoryPanelModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.frame("go")
    calls = []
    monkeypatch.setattr(
        "certlib.widgets.panel.read_inventory",
        lambda *a, **k: calls.append(k) or pytest.fail("re-read"),
    )
    model.html("go")
    assert calls == []


def test_paths_from_a_generator_serve_every_profile() -> None:
    """A generator (``Path.glob``) is read once into a tuple: the second profile sees the same
    files, not an exhausted iterator."""
    files = sorted(str(p) for p in SAMPLE.glob("*.pem"))
    model = InventoryPanelModel(SAMPLE.glob("*.pem"), passwords=["certlib-demo"], at=AT)
    first, second = model.frame("rfc5280"), model.frame("webpki")
    assert len(first) > 0
    assert len(second) == len(first)
    assert sorted(map(str, model.paths)) == files
    assert set(second["sha256"].dropna()) == set(first["sha256"].dropna())
    assert 'data-certificates="0"' not in model.html("go")
    # a single path stays as given
    assert InventoryPanelModel(SAMPLE).paths == SAMPLE
    assert InventoryPanelModel(str(SAMPLE)).paths == str(SAMPLE)


def test_every_profile_is_judged_at_one_instant(monkeypatch: pytest.MonkeyPatch) -> None:
    """``at=None`` is fixed once (now, to the second), not re-taken by each profile's read."""
    from certlib.widgets import panel as inventory_panel

    seen = []
    real = inventory_panel.read_inventory

    def spy(*args, **kwargs):
        seen.append(kwargs["at"])
        return real(*args, **kwargs)

    monkeypatch.setattr(inventory_panel, "read_inventory", spy)
    model = InventoryPanelModel(SAMPLE / "root-ca.pem")
    assert isinstance(model.at, dt.datetime)
    assert model.at.tzinfo is not None and model.at.utcoffset() == dt.timedelta(0)
    assert model.at.microsecond == 0
    frames = [model.frame(p) for p in ("rfc5280", "webpki", "go")]
    assert seen == [model.at] * 3
    assert {f.attrs["at"] for f in frames} == {frames[0].attrs["at"]}
    # a given time is kept (as UTC)
    assert InventoryPanelModel(SAMPLE, at=AT).at == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


def test_counts_html_of_a_plain_certificate_frame() -> None:
    """A ``certlib.to_frame`` frame has no ``status`` column: every row is a certificate."""
    root = forge(PRESETS["root_ca"], seed="panel")
    leaf = forge(PRESETS["iis_server"], root, seed="panel")
    frame = certlib.to_frame([root.certificate, leaf.certificate])
    assert "status" not in frame.columns
    html = outcome_counts_html(frame)
    assert 'data-certificates="2"' in html
    assert "2 certificates" in html and "unreadable" not in html
