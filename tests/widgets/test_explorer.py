"""Widget logic without a kernel: every explorer control, presets, the inspector, the quiz.

ipywidgets 8 works with no kernel and fires observers synchronously, so setting a control's
``value`` updates the HTML views at once. Every expected grid is computed independently with
:func:`certlib.verdicts` on a certificate forged from the model's current spec.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ipywidgets as w
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

import certlib
from certlib.cert.forge import PRESETS, forge, forge_chain
from certlib.core.oids import EKU, KU_BITS
from certlib.core.verdicts import PROFILES, Purpose
from certlib.widgets import render
from certlib.widgets.explorer import (
    EKU_CHOICES,
    EXPLORER_PRESETS,
    ExplorerModel,
    ExplorerState,
    PurposeExplorer,
    parse_oids,
)
from certlib.widgets.inspector import CertificateInspector, InspectorModel
from certlib.widgets.quiz import Question, Quiz, QuizModel

_CELL = re.compile(
    r'<td class="verdict [^"]*"[^>]*data-profile="([^"]+)" data-purpose="([^"]+)"'
    r' data-outcome="([^"]+)"'
)
_RULE = re.compile(r'<li data-rule="([^"]+)"')


def grid_of(html: str) -> dict[tuple[str, str], str]:
    """(profile, purpose) -> outcome, read back from the rendered grid."""
    return {(p, q): o for p, q, o in _CELL.findall(html)}


def expected_grid(ex: PurposeExplorer) -> dict[tuple[str, str], str]:
    """The grid certlib.verdicts gives for a freshly forged certificate of the same spec."""
    model = ex.model
    issuers = model.state.issuer_specs()
    chain: dict[str, Any] = {}
    if issuers is None:
        cert = forge(model.state.leaf_spec()).certificate
    else:
        c = forge_chain(issuers[0], issuers[1], model.state.leaf_spec())
        cert = c.leaf.certificate
        chain = {"roots": c.roots, "intermediates": c.intermediate_certificates}
    df = certlib.verdicts(cert, **chain)
    return {(str(r.profile), str(r.purpose)): str(r.outcome) for r in df.itertuples()}


def check_views(ex: PurposeExplorer) -> dict[tuple[str, str], str]:
    """Assert the grid and the reasons shown match the engine; return the grid."""
    shown = ex.grid.outcomes()  # what the clickable cells show
    assert shown == grid_of(ex.model.render()["grid"])  # the model's HTML table agrees
    assert len(shown) == len(PROFILES) * len(Purpose)
    assert shown == expected_grid(ex)
    # the same certificate the widget judged, cell by cell, with its reasons
    r = ex.result
    s = ex.model.state
    v = certlib.verdict(
        r.certificate,
        s.purpose,
        s.profile,
        roots=r.roots,
        intermediates=r.intermediates,
    )
    assert _RULE.findall(ex.views["reasons"].value) == [x.rule for x in v.ordered_reasons]
    assert f'data-outcome="{v.outcome}"' in ex.views["reasons"].value
    assert shown[(s.profile, s.purpose)] == v.outcome
    return shown


@pytest.fixture
def explorer() -> PurposeExplorer:
    return PurposeExplorer(preset="iis_server")


def _new_values(widget: Any) -> list[Any]:
    if isinstance(widget, w.Checkbox):
        return [not widget.value, widget.value]
    if isinstance(widget, w.Dropdown):
        values = [v for _label, v in widget.options]
        return [v for v in values if v != widget.value] + [widget.value]
    if isinstance(widget, w.Text):
        return ["1.2.3.4, not-an-oid", ""]
    raise AssertionError(f"unexpected control {widget!r}")


def test_every_control_matches_the_engine(explorer: PurposeExplorer) -> None:
    check_views(explorer)
    exercised = []
    changed_grid = set()
    # "preset" last: it resets everything else.
    names = sorted(explorer.controls, key=lambda n: (n == "preset", n))
    for name in names:
        widget = explorer.controls[name]
        if name == "ca_eku":
            explorer.controls["issuer"].value = "ca"
        for value in _new_values(widget):
            before = explorer.grid.outcomes()
            widget.value = value
            assert widget.value == value or name == "preset"
            check_views(explorer)
            if explorer.grid.outcomes() != before:
                changed_grid.add(name)
        if name == "ca_eku":
            explorer.controls["issuer"].value = "self"
        exercised.append(name)
    n_expected = len(EKU_CHOICES) + len(KU_BITS) + 4 + 1 + 4 + 3
    assert len(exercised) == len(explorer.controls) == n_expected == 34
    # every extension control changes at least one verdict somewhere, except those that
    # only some profiles see (all are listed explicitly so a regression shows).
    assert {"eku-serverAuth", "eku-clientAuth", "eku_present", "ku_present", "key_type"} <= (
        changed_grid
    )


def test_iis_preset_untick_server_auth_denies_tls_server(explorer: PurposeExplorer) -> None:
    """The browser scenario, without a browser.

    Unticking the only EKU leaves an *empty* EKU SEQUENCE (the extension stays present):
    RFC 5280 calls that invalid, OpenSSL and Windows deny, Go treats it as absent. With
    another purpose ticked (clientAuth) the EKU lacks serverAuth and all four deny.
    """
    c = explorer.controls
    c["preset"].value = "no_eku"
    c["preset"].value = "iis_server"
    grid = check_views(explorer)
    main = ("rfc5280", "openssl", "windows", "go")
    assert all(grid[(p, "tls_server")] == "allowed" for p in main)
    c["eku-serverAuth"].value = False
    assert explorer.result.spec.eku == ()
    grid = check_views(explorer)
    assert c["preset"].value == ""  # now a custom certificate
    assert [grid[(p, "tls_server")] for p in main] == ["invalid", "denied", "denied", "allowed"]
    assert 'data-outcome="invalid"' in explorer.views["reasons"].value
    c["eku-clientAuth"].value = True
    grid = check_views(explorer)
    assert all(grid[(p, "tls_server")] == "denied" for p in main)
    assert 'data-outcome="denied"' in explorer.views["reasons"].value
    c["eku-clientAuth"].value = False
    c["eku-serverAuth"].value = True
    grid = check_views(explorer)
    assert all(grid[(p, "tls_server")] == "allowed" for p in main)


def test_eku_absent_vs_empty(explorer: PurposeExplorer) -> None:
    c = explorer.controls
    c["eku_present"].value = False
    assert explorer.result.spec.eku is None
    assert c["eku-serverAuth"].disabled
    check_views(explorer)
    c["eku_present"].value = True
    c["eku-serverAuth"].value = False
    assert explorer.result.spec.eku == ()
    assert "(empty" in explorer.views["details"].value
    check_views(explorer)


def test_chain_aware_ca_eku(explorer: PurposeExplorer) -> None:
    c = explorer.controls
    c["issuer"].value = "ca"
    c["ca_eku"].value = "clientAuth"
    r = explorer.result
    assert len(r.roots) == 1 and len(r.intermediates) == 1
    grid = check_views(explorer)
    for p in ("openssl", "windows", "go"):
        assert grid[(p, "tls_server")] == "denied", p
    assert "chain-aware" in explorer.views["summary"].value


@pytest.mark.parametrize("name", EXPLORER_PRESETS)
def test_presets_apply_forge_presets(explorer: PurposeExplorer, name: str) -> None:
    explorer.controls["preset"].value = name
    spec, want = explorer.result.spec, PRESETS[name]
    assert spec.eku == want.eku
    assert spec.key_usage == want.key_usage
    assert spec.ca == want.ca
    assert spec.eku_critical == want.eku_critical
    assert spec.key_type == want.key_type
    # presets are issued by Contoso Issuing CA 1, except the self-signed lab certificate
    assert explorer.model.state.issuer == ("self" if want.issuer is None else "ca")
    for kp in EKU_CHOICES:
        assert explorer.controls[f"eku-{kp.short_name}"].value == (kp.oid in (want.eku or ()))
    check_views(explorer)
    assert explorer.preset_help.value  # the preset's description is shown


def test_selection_only_rerenders(explorer: PurposeExplorer) -> None:
    sha = explorer.result.leaf.sha256
    explorer.controls["profile"].value = "openssl"
    explorer.controls["purpose"].value = "tls_client"
    assert explorer.result.leaf.sha256 == sha  # no re-forge for a selection change
    assert re.search(
        r'verdict-selected"[^>]*data-profile="openssl" data-purpose="tls_client"',
        explorer.model.render()["grid"],
    )
    selected = [k for k, b in explorer.grid.buttons.items() if "verdict-selected" in b._dom_classes]
    assert selected == [("openssl", "tls_client")]
    check_views(explorer)


def test_grid_cells_carry_symbol_and_word_not_just_colour(explorer: PurposeExplorer) -> None:
    html = explorer.model.render()["grid"]
    for _p, _q, outcome in _CELL.findall(html):
        assert f"{render.OUTCOME_SYMBOL[outcome]} {outcome}" in html
    cells = explorer.grid.outcomes()
    assert len(cells) == len(PROFILES) * len(Purpose)
    for key, outcome in cells.items():
        assert explorer.grid.buttons[key].description.startswith(
            f"{render.OUTCOME_SYMBOL[outcome]} {outcome}"
        )
    assert "certlib-legend" in explorer.views["grid"].value


def test_details_panel_like_windows(explorer: PurposeExplorer) -> None:
    d = explorer.views["details"].value
    assert "Server Authentication (1.3.6.1.5.5.7.3.1)" in d
    assert "Digital Signature, Key Encipherment (a0)" in d
    assert "Subject Type=End Entity, Path Length Constraint=None" in d
    assert EKU.SERVER_AUTH.windows_purpose in d
    assert "openssl x509 -purpose" in explorer.views["openssl"].value


def test_css_classes_and_descriptions(explorer: PurposeExplorer) -> None:
    assert "certlib-eku-serverAuth" in explorer.controls["eku-serverAuth"]._dom_classes
    assert explorer.controls["eku-serverAuth"].description.startswith("serverAuth")
    assert "certlib-ku-digital_signature" in explorer.controls["ku-digital_signature"]._dom_classes
    assert explorer.controls["preset"].description == "Preset"


def test_other_eku_text(explorer: PurposeExplorer) -> None:
    assert parse_oids("1.2.3, x, 2.5.29.37.0 1.2.3") == (("1.2.3", "2.5.29.37.0"), ("x",))
    explorer.controls["eku-other"].value = "1.3.6.1.5.5.7.3.17, nonsense"
    assert explorer.result.spec.eku == (EKU.SERVER_AUTH.oid, "1.3.6.1.5.5.7.3.17")
    assert "nonsense" in explorer.views["status"].value
    check_views(explorer)


def test_model_without_widgets() -> None:
    m = ExplorerModel(ExplorerState())
    r = m.update(eku=(EKU.CLIENT_AUTH.oid,))
    assert r.verdicts[("rfc5280", "tls_server")].outcome == "denied"
    html = m.render()
    assert set(html) == {"grid", "reasons", "details", "openssl", "summary"}


def test_model_select_holds_the_cell() -> None:
    m = ExplorerModel(ExplorerState())
    sha = m.result.leaf.sha256
    r = m.select("windows", "code_signing")
    assert m.selection == ("windows", "code_signing")
    assert r.selected is r.verdicts[("windows", "code_signing")]
    assert r.leaf.sha256 == sha  # selecting never re-forges
    assert 'data-profile="windows" data-purpose="code_signing"' in m.render()["reasons"]
    for bad in (("nope", "tls_server"), ("go", "nope")):
        with pytest.raises(ValueError):
            m.select(*bad)
    assert m.selection == ("windows", "code_signing")


def test_clicking_every_cell_shows_its_reasons(explorer: PurposeExplorer) -> None:
    explorer.controls["issuer"].value = "ca"
    explorer.controls["ca_eku"].value = "clientAuth"
    clicked = 0
    for (profile, purpose), button in explorer.grid.buttons.items():
        button.click()
        assert explorer.model.selection == (profile, purpose)
        assert explorer.controls["profile"].value == profile  # the pickers follow the click
        assert explorer.controls["purpose"].value == purpose
        outcome = explorer.grid.outcomes()[(profile, purpose)]
        reasons = explorer.views["reasons"].value
        assert f'data-profile="{profile}" data-purpose="{purpose}"' in reasons
        assert f'data-outcome="{outcome}"' in reasons
        selected = [
            k for k, b in explorer.grid.buttons.items() if "verdict-selected" in b._dom_classes
        ]
        assert selected == [(profile, purpose)]
        clicked += 1
    assert clicked == len(PROFILES) * len(Purpose) == 30
    explorer.grid.buttons[("openssl", "tls_server")].click()
    assert 'data-outcome="denied"' in explorer.views["reasons"].value
    check_views(explorer)


def test_openssl_panel_says_it_is_leaf_only(explorer: PurposeExplorer) -> None:
    """Issue 13 item 6: a clientAuth-only CA: the text says "SSL server : Yes", the grid ✗."""
    explorer.controls["issuer"].value = "ca"
    explorer.controls["ca_eku"].value = "clientAuth"
    panel = explorer.views["openssl"].value
    assert "SSL server : Yes" in panel
    assert explorer.grid.outcomes()[("openssl", "tls_server")] == "denied"
    assert "leaf only" in panel and "the grid judges the chain" in panel
    explorer.controls["issuer"].value = "self"
    panel = explorer.views["openssl"].value
    assert "leaf only" in panel and "the grid judges the chain" not in panel


# ---------------------------------------------------------------------------------------------
# Inspector
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def samples() -> dict[str, Any]:
    chain = forge_chain(PRESETS["root_ca"], PRESETS["intermediate_ca"], PRESETS["iis_server"])
    leaf = chain.leaf
    certs = [leaf.certificate, *chain.intermediate_certificates]
    return {
        "leaf": leaf,
        "pem": leaf.pem + chain.intermediates[0].pem,
        "der": leaf.der,
        "p7b": pkcs7.serialize_certificates(certs, serialization.Encoding.DER),
        "p7b_pem": pkcs7.serialize_certificates(certs, serialization.Encoding.PEM),
        "pfx": leaf.pkcs12(b"s3cret", chain=chain.intermediate_certificates),
        "key_pem": leaf.key_pem(),
    }


def _no_key_material(html: str, leaf: Any, key_pem: bytes) -> None:
    assert "PRIVATE KEY" not in html
    body = [ln for ln in key_pem.decode().splitlines() if ln and not ln.startswith("-----")]
    assert not any(ln in html for ln in body)
    d = leaf.private_key.private_numbers().d
    assert f"{d:x}" not in html.replace(":", "").replace(" ", "")


@pytest.mark.parametrize(
    ("fmt", "name", "n_certs"),
    [
        ("pem", "chain.pem", 2),
        ("der", "server.cer", 1),
        ("p7b", "chain.p7b", 2),
        ("p7b_pem", "chain-pem.p7b", 2),
        ("pfx", "server.pfx", 2),
    ],
)
def test_inspector_formats(samples: dict[str, Any], fmt: str, name: str, n_certs: int) -> None:
    m = InspectorModel()
    ins = m.inspect([(name, samples[fmt])], passwords=("s3cret",))
    assert len(ins.certificates) == n_certs, ins.problems
    html = m.render()
    assert html.count('class="certlib-verdict-grid"') == n_certs
    assert "www.contoso.com" in html
    if fmt == "pfx":
        assert any(c.has_private_key for c in ins.certificates)
        assert "present beside the certificate" in html
    _no_key_material(html, samples["leaf"], samples["key_pem"])
    # the grid shows what the engine says about each certificate alone
    for c in ins.certificates:
        df = certlib.verdicts(c.certificate)
        assert {(str(r.profile), str(r.purpose)): str(r.outcome) for r in df.itertuples()} == {
            k: v.outcome for k, v in c.verdicts.items()
        }


def test_inspector_wrong_password_shows_problem(samples: dict[str, Any]) -> None:
    m = InspectorModel()
    ins = m.inspect([("server.pfx", samples["pfx"])], passwords=("wrong",))
    assert not ins.certificates
    assert ins.problems
    html = m.render()
    assert "certlib-problem" in html
    assert "server.pfx" in html
    _no_key_material(html, samples["leaf"], samples["key_pem"])


def test_inspector_widget_paste_upload_password(samples: dict[str, Any]) -> None:
    ins = CertificateInspector()
    assert "Paste PEM" in ins.output.value
    ins.pem.value = samples["pem"].decode()
    assert ins.output.value.count("certlib-verdict-grid") == 2
    ins.pem.value = ""
    data = samples["pfx"]
    ins.upload.value = (
        {
            "name": "server.pfx",
            "type": "application/x-pkcs12",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        },
    )
    assert "certlib-problem" in ins.output.value  # no password yet
    assert "certlib-verdict-grid" not in ins.output.value
    ins.password.value = "s3cret"
    assert ins.output.value.count("certlib-verdict-grid") == 2
    assert "certlib-problem" not in ins.output.value
    _no_key_material(ins.output.value, samples["leaf"], samples["key_pem"])


def test_inspector_garbage() -> None:
    m = InspectorModel()
    ins = m.inspect([("junk.cer", b"not a certificate at all")])
    assert not ins.certificates and ins.problems
    assert "certlib-problem" in m.render()


# ---------------------------------------------------------------------------------------------
# Quiz
# ---------------------------------------------------------------------------------------------


def _engine_question() -> Question:
    cert = forge(PRESETS["iis_server"]).certificate
    return Question(
        "RFC 5280, TLS client, serverAuth-only certificate:",
        choices=["allowed", "denied"],
        answer="denied",
        check=lambda: certlib.verdict(cert, "tls_client", "rfc5280").outcome,
        explanation="EKU lacks clientAuth.",
    )


def test_quiz_model_scoring() -> None:
    qs = [_engine_question(), Question("2 + 2 = 4", answer="True", explanation="Arithmetic.")]
    m = QuizModel(qs)
    assert (m.score, m.total) == (0, 2)
    fb = m.answer(0, "allowed")
    assert not fb.correct and "denied" in fb.text
    assert m.score == 0
    assert m.answer(0, "denied").correct
    assert m.answer(1, "True").correct
    assert m.score == 2
    m.answer(1, "False")
    assert m.score == 1
    assert m.score_text() == "Score: 1 / 2 (2 answered)"
    with pytest.raises(ValueError):
        m.answer(1, "maybe")


def test_quiz_detects_drift() -> None:
    q = Question("drift", choices=["a", "b"], answer="a", check=lambda: "b")
    with pytest.raises(AssertionError, match="drift"):
        QuizModel([q])
    with pytest.raises(ValueError):
        Question("no answer")


def test_quiz_widget() -> None:
    quiz = Quiz([_engine_question(), Question("True?", answer="True")])
    quiz.radios[0].value = "denied"
    assert "certlib-quiz-right" in quiz.feedback[0].value
    quiz.radios[1].value = "False"
    assert "certlib-quiz-wrong" in quiz.feedback[1].value
    assert quiz.score.value == "Score: 1 / 2 (2 answered)"
