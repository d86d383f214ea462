"""Reasons are shown deciding reason first, in every display (issue 13 item 6).

The engine keeps the deciding reason last (``Verdict.summary``); a learner reads the first line,
so ``Verdict.ordered_reasons`` puts it first and every display (the explorer's and inspector's
reasons panel, the inventory browser's details, ``certlib explain``) uses that order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import certlib
from certlib import cli
from certlib.cert.forge import PRESETS, forge, forge_chain
from certlib.core.oids import EKU
from certlib.core.verdicts import Purpose, Reason, Verdict
from certlib.widgets import render
from certlib.widgets.explorer import ExplorerModel, ExplorerState

_RULE = re.compile(r'<li data-rule="([^"]+)"')


def _empty_eku_chain() -> tuple:
    c = forge_chain(
        PRESETS["root_ca"], PRESETS["intermediate_ca"], PRESETS["iis_server"].with_(eku=())
    )
    return c.leaf.certificate, {"roots": c.roots, "intermediates": c.intermediate_certificates}


def test_pure_property_moves_the_last_reason_first() -> None:
    a, b, c = (Reason(r, r.upper(), "src") for r in ("a", "b", "c"))
    v = Verdict(Purpose.TLS_SERVER, "rfc5280", "denied", (a, b, c))
    assert v.deciding_reason == c
    assert v.ordered_reasons == (c, a, b)
    assert v.reasons == (a, b, c)  # evaluation order is kept where stored
    empty = Verdict(Purpose.TLS_SERVER, "rfc5280", "allowed")
    assert empty.deciding_reason is None and empty.ordered_reasons == ()


def test_empty_eku_leaf_shows_eku_empty_first() -> None:
    cert, chain = _empty_eku_chain()
    shown = []
    for profile, outcome in (("rfc5280", "invalid"), ("windows", "denied")):
        v = certlib.verdict(cert, "tls_server", profile, **chain)
        assert v.outcome == outcome
        assert v.reasons[0].rule != "eku.empty"  # evaluation order: passing checks come first
        rules = _RULE.findall(render.reasons_html(v))
        assert rules[0] == "eku.empty", (profile, rules)
        assert sorted(rules) == sorted(r.rule for r in v.reasons)  # nothing lost
        shown.append(profile)
    assert shown == ["rfc5280", "windows"]


# (outcome, certificate spec, chain-aware, profile, purpose, the rule that must come first)
_KINDS = [
    ("invalid", "empty_eku", True, "rfc5280", "tls_server", "eku.empty"),
    ("denied", "user_client", False, "rfc5280", "tls_server", "eku.purpose_missing"),
    ("warning", "dual_use", False, "webpki", "tls_server", "webpki.warning"),
    ("allowed", "iis_server", False, "openssl", "tls_server", "openssl.result.1"),
    ("n/a", "iis_server", False, "webpki", "code_signing", "webpki.scope"),
]


@pytest.mark.parametrize(("outcome", "spec", "chained", "profile", "purpose", "first"), _KINDS)
def test_each_outcome_kind_shows_the_deciding_reason_first(
    outcome: str, spec: str, chained: bool, profile: str, purpose: str, first: str
) -> None:
    if spec == "empty_eku":
        cert, chain = _empty_eku_chain()
    else:
        cert, chain = forge(PRESETS[spec]).certificate, {}
    v = certlib.verdict(cert, purpose, profile, **chain)
    assert v.outcome == outcome
    html = render.reasons_html(v)
    assert _RULE.findall(html)[0] == first
    assert re.search(rf'<li data-rule="{re.escape(first)}" class="certlib-deciding">', html)
    assert html.count("certlib-deciding") == 1


def test_all_outcome_kinds_covered() -> None:
    assert sorted(k[0] for k in _KINDS) == sorted(certlib.core.verdicts.OUTCOMES)


def test_explorer_reasons_panel_deciding_first() -> None:
    m = ExplorerModel(ExplorerState.from_preset("iis_server", profile="rfc5280"))
    m.update(eku=())
    assert m.result.selected is not None and m.result.selected.outcome == "invalid"
    assert _RULE.findall(m.render()["reasons"])[0] == "eku.empty"


def test_cli_explain_text_deciding_first(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "client.pem"
    f.write_bytes(forge(PRESETS["user_client"].with_(eku=(EKU.CLIENT_AUTH.oid,))).pem)
    assert cli.main(["explain", str(f), "--profile", "rfc5280"]) == 0
    lines = capsys.readouterr().out.splitlines()
    i = lines.index("  tls_server / rfc5280: denied")
    assert lines[i + 1].startswith("    * deciding: [eku.purpose_missing]")
    assert lines[i + 2].startswith("    - [")
