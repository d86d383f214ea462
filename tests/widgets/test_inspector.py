"""The inspector explains itself (issue 13 item 5): it updates as you paste and says so, judges a
bundle as a chain, says when it judges a CA as if it were a leaf, and shows the reasons of the
cell you click. Expected verdicts come from :func:`certlib.verdicts` on the same certificates.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

import certlib
from certlib.cert.forge import PRESETS, forge_chain
from certlib.core.oids import EKU
from certlib.core.verdicts import PROFILES, Purpose
from certlib.widgets.inspector import CertificateInspector, InspectorModel

_RULE = re.compile(r'<li data-rule="([^"]+)"')


@pytest.fixture(scope="module")
def chain() -> Any:
    """root → issuing CA limited to clientAuth → IIS server leaf: OpenSSL ✗ only with the chain."""
    ica = PRESETS["intermediate_ca"].with_(eku=(EKU.CLIENT_AUTH.oid,))
    return forge_chain(PRESETS["root_ca"], ica, PRESETS["iis_server"])


def _expected(cert: Any, **chain: Any) -> dict[tuple[str, str], str]:
    df = certlib.verdicts(cert, **chain)
    return {(str(r.profile), str(r.purpose)): str(r.outcome) for r in df.itertuples()}


def _outcomes(verdicts: dict) -> dict[tuple[str, str], str]:
    return {k: v.outcome for k, v in verdicts.items()}


def test_text_box_updates_as_you_paste_and_says_so(chain: Any) -> None:
    ins = CertificateInspector()
    assert ins.pem.continuous_update is True
    assert "Updates as you paste" in ins.hint.value
    assert ins.judged_box.layout.display == "none"  # nothing to judge yet
    ins.pem.value = chain.leaf.pem.decode()  # one change event, as a paste sends
    assert ins.judged_box.layout.display == ""
    assert len(ins.grid.outcomes()) == len(PROFILES) * len(Purpose) == 30
    assert ins.grid.outcomes() == _expected(chain.leaf.certificate)


def test_unchanged_input_is_not_read_again(chain: Any) -> None:
    m = InspectorModel()
    first = m.inspect([("pasted text", chain.leaf.pem)])
    assert m.inspect([("pasted text", chain.leaf.pem)]) is first
    assert m.inspect([("pasted text", chain.leaf.pem + b"\n")]) is not first


@pytest.mark.parametrize("fmt", ["pem", "p7b"])
def test_bundle_is_judged_as_a_chain(chain: Any, fmt: str) -> None:
    certs = [chain.leaf.certificate, *chain.intermediate_certificates, *chain.roots]
    data = (
        chain.leaf.pem + chain.intermediates[0].pem + chain.root.pem
        if fmt == "pem"
        else pkcs7.serialize_certificates(certs, serialization.Encoding.DER)
    )
    m = InspectorModel()
    ins = m.inspect([(f"bundle.{fmt}", data)])
    assert len(ins.certificates) == 3
    j = m.judgement
    assert j is not None and j.chain_aware
    # the leaf is judged, wherever the format put it (a PKCS#7 SET OF is sorted by its bytes)
    assert ins.certificates[j.subject].certificate == chain.leaf.certificate
    assert j.subject == 0 or fmt == "p7b"
    assert j.roots == tuple(chain.roots)
    assert j.intermediates == tuple(chain.intermediate_certificates)
    want = _expected(chain.leaf.certificate, roots=chain.roots, intermediates=j.intermediates)
    assert _outcomes(j.verdicts) == want
    # the chain matters: the issuing CA's clientAuth-only EKU denies TLS server under OpenSSL
    assert want[("openssl", "tls_server")] == "denied"
    assert ins.certificates[j.subject].verdicts[("openssl", "tls_server")].outcome == "allowed"
    html = m.judged_html()
    assert 'data-mode="chain"' in html
    assert "with the rest of the bundle as its chain" in html
    assert "intermediate “Contoso Issuing CA 1”" in html and "root “Contoso Root CA”" in html


def test_bundle_without_a_root_is_judged_alone_and_says_why(chain: Any) -> None:
    m = InspectorModel()
    m.inspect([("fullchain.pem", chain.leaf.pem + chain.intermediates[0].pem)])
    j = m.judgement
    assert j is not None and not j.chain_aware and j.intermediates == ()
    assert _outcomes(j.verdicts) == _expected(chain.leaf.certificate)
    assert "no self-signed root" in m.judged_html()
    assert 'data-mode="alone"' in m.judged_html()


def test_a_pasted_root_ca_is_said_to_be_judged_as_a_leaf(chain: Any) -> None:
    m = InspectorModel()
    m.inspect([("pasted text", chain.root.pem)])
    assert m.inspection.certificates[0].role == "CA, self-signed"
    html = m.judged_html()
    assert "is a CA certificate" in html
    assert "as if it were presented as a leaf" in html
    assert "paste a certificate it issued first" in html
    assert _outcomes(m.judgement.verdicts) == _expected(chain.root.certificate)
    # the learner's case: Windows and Go allow TLS server for the root judged as a leaf
    assert m.judgement.verdicts[("windows", "tls_server")].outcome == "allowed"


def test_a_ca_with_a_certificate_it_issued_offers_both_ways(chain: Any) -> None:
    m = InspectorModel()
    m.inspect([("pasted text", chain.intermediates[0].pem + chain.leaf.pem + chain.root.pem)])
    assert [label for label, _ in m.subject_options()] == [
        "1. Contoso Issuing CA 1 (CA)",
        "2. www.contoso.com (leaf)",
        "3. Contoso Root CA (CA, self-signed)",
    ]
    # the bottom of the chain is judged first, wherever it sits in the bundle
    assert m.subject == 1 and "the one that issued none of the others" in m.judged_html()
    # the CA: judged (with its own root) as if it were a leaf, and told how else
    m.judge_subject(0)
    assert "judge certificate 2 (issued by it)" in m.judged_html()
    ica = chain.intermediate_certificates[0]
    assert _outcomes(m.judgement.verdicts) == _expected(ica, roots=chain.roots)
    # as a CA in a chain: the leaf it issued, with it as intermediate
    j = m.judge_subject(1)
    assert j is not None and j.intermediates == (ica,) and j.roots == tuple(chain.roots)
    assert j.verdicts[("openssl", "tls_server")].outcome == "denied"
    assert "is a CA certificate" not in m.judged_html()
    with pytest.raises(IndexError):
        m.judge_subject(3)


def test_selected_cell_reasons_deciding_first(chain: Any) -> None:
    m = InspectorModel()
    m.inspect([("bundle.pem", chain.leaf.pem + chain.intermediates[0].pem + chain.root.pem)])
    v = m.select("openssl", "tls_server")
    assert v is not None and v.outcome == "denied"
    html = m.reasons_html()
    assert 'data-profile="openssl" data-purpose="tls_server" data-outcome="denied"' in html
    assert _RULE.findall(html) == [r.rule for r in v.ordered_reasons]
    for bad in (("nope", "tls_server"), ("go", "nope")):
        with pytest.raises(ValueError):
            m.select(*bad)


def test_widget_click_and_pick(chain: Any) -> None:
    ins = CertificateInspector()
    ins.pem.value = (chain.root.pem + chain.leaf.pem + chain.intermediates[0].pem).decode()
    assert [v for _label, v in ins.subject.options] == [0, 1, 2]
    assert ins.subject.value == 1  # the leaf, the one that issued none of the others
    ins.subject.value = 0  # the root: judged as if it were a leaf, and it says so
    assert 'data-subject="0"' in ins.judged.value and "is a CA certificate" in ins.judged.value
    ins.subject.value = 1  # judge the leaf: root and issuing CA become its chain
    assert 'data-subject="1"' in ins.judged.value and 'data-mode="chain"' in ins.judged.value
    leaf = chain.leaf.certificate
    want = _expected(leaf, roots=chain.roots, intermediates=chain.intermediate_certificates)
    assert ins.grid.outcomes() == want
    ins.grid.buttons[("openssl", "tls_server")].click()
    assert 'data-profile="openssl" data-purpose="tls_server"' in ins.reasons.value
    assert 'data-outcome="denied"' in ins.reasons.value
    marked = [k for k, b in ins.grid.buttons.items() if "verdict-selected" in b._dom_classes]
    assert marked == [("openssl", "tls_server")]
    # the per-certificate blocks below still judge each certificate alone
    assert ins.output.value.count('class="certlib-verdict-grid"') == 3
