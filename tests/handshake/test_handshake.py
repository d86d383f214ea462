"""certlib.handshake: the myths notebook 01 will show, as real handshakes on 127.0.0.1, and the
promise that nothing outlives a run (threads, child processes, sockets)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from certlib.cert.forge import PRESETS, forge
from certlib.core.memo import Memo
from certlib.handshake import RSA_KEY_TRANSPORT, Identity, Loopback, as_identity
from certlib.handshake.peers.go import source

RSA_KX = "TLS_RSA_WITH_AES_128_GCM_SHA256"
IMPLS = ("openssl", "go")


#: Handshakes verify at the current time, so certificates are forged unseeded (dated from now,
#: not from forge's fixed reference time); one memo shares their keys within this module.
KEYS = Memo()


@pytest.fixture(scope="module")
def forged():
    return {name: forge(spec, memo=KEYS) for name, spec in PRESETS.items()}


@pytest.fixture(scope="module")
def lab():
    with Loopback() as lab:
        yield lab


def _client_auth(lab, forged, name: str, server_impl: str, client_impl: str = "openssl"):
    server = forged["web_server"]
    return lab.handshake(
        server,
        forged[name],
        server_impl=server_impl,
        client_impl=client_impl,
        server_trusts=[forged[name].path[-1]],
        client_trusts=[server.path[-1]],
        require_client_cert=True,
        hostname="shop.contoso.com",
    )


@pytest.mark.parametrize("server_impl", IMPLS)
def test_client_certificates_connect_over_tls13(lab, forged, server_impl) -> None:
    """Myth 3: user_client, dual_use and no_eku are client certificates to both servers."""
    results = {
        n: _client_auth(lab, forged, n, server_impl) for n in ("user_client", "dual_use", "no_eku")
    }
    assert len(results) == 3
    for name, r in results.items():
        assert r.ok, (name, r.error)
        assert r.version == "TLSv1.3" and r.refused_by == "none"
        assert r.client_chain[0] == forged[name].der  # the server received the client's leaf
        assert len(r.client_chain) == 2 and len(r.server_chain) == 2


def test_server_certificate_refused_as_client_certificate_by_openssl(lab, forged) -> None:
    r = _client_auth(lab, forged, "iis_server", "openssl")
    assert not r.ok and r.refused_by == "server"
    assert r.server.verify_failed and r.server.verify_code == 26
    assert "unsuitable certificate purpose" in r.server.error
    assert r.client.alert_received == "unsupported_certificate"
    assert "sslv3 alert unsupported certificate" in r.client.error


def test_server_certificate_refused_as_client_certificate_by_go(lab, forged) -> None:
    """Go's wording: an x509 error under "failed to verify certificate", alert bad_certificate."""
    r = _client_auth(lab, forged, "iis_server", "go")
    assert not r.ok and r.refused_by == "server" and r.server.verify_failed
    assert r.server.error == (
        "tls: failed to verify certificate: x509: certificate specifies an incompatible key usage"
    )
    assert r.client.alert_received == "bad_certificate"
    assert r.client.error == "[SSL: SSLV3_ALERT_BAD_CERTIFICATE] sslv3 alert bad certificate"


@pytest.mark.parametrize("server_impl", IMPLS)
@pytest.mark.parametrize("client_impl", IMPLS)
def test_tls13_server_key_only_signs(lab, forged, server_impl, client_impl) -> None:
    """Myth 1: in TLS 1.3 the keys come from an (EC)DHE group; the certificate key signs."""
    server = forged["iis_server"]  # an RSA key with keyEncipherment: still only signs
    r = lab.handshake(
        server,
        server_impl=server_impl,
        client_impl=client_impl,
        client_trusts=[server.path[-1]],
        hostname="www.contoso.com",
    )
    assert r.ok, r.error
    assert r.version == "TLSv1.3" and r.cipher.startswith("TLS_")
    assert r.key_exchange in ("x25519", "X25519MLKEM768")
    assert r.server_key_signed is True and r.server_key_decrypted is False
    # Go 1.27 offers and prefers the hybrid post-quantum group; OpenSSL 3.0 has none
    expected = "X25519MLKEM768" if (server_impl, client_impl) == ("go", "go") else "x25519"
    assert r.key_exchange == expected


@pytest.mark.parametrize("server_impl", IMPLS)
@pytest.mark.parametrize("client_impl", IMPLS)
def test_tls12_rsa_key_transport(lab, forged, server_impl, client_impl) -> None:
    """Myth 1, the exception: TLS 1.2 RSA key transport, the server key decrypts."""
    server = forged["iis_server"]
    r = lab.handshake(
        server,
        server_impl=server_impl,
        client_impl=client_impl,
        client_trusts=[server.path[-1]],
        version="1.2",
        cipher=RSA_KX,
        hostname="www.contoso.com",
    )
    assert r.ok, r.error
    assert r.version == "TLSv1.2" and r.cipher_id == 0x009C
    assert r.key_exchange == RSA_KEY_TRANSPORT
    assert r.server_key_decrypted is True and r.server_key_signed is False


@pytest.mark.parametrize("client_impl", IMPLS)
def test_no_key_encipherment_is_not_enforced_by_clients(lab, forged, client_impl) -> None:
    """The truth, not the wish: neither OpenSSL 3.0's client nor Go's checks the server
    certificate's keyUsage for RSA key transport (OpenSSL checks digitalSignature only for
    ECDSA certificates, ssl3_check_cert_and_algorithm; Go not at all), so a certificate with
    digitalSignature alone still completes a TLS_RSA_WITH_* handshake."""
    spec = PRESETS["iis_server"].with_(key_usage=frozenset({"digital_signature"}))
    server = forge(spec, memo=KEYS)
    r = lab.handshake(
        server,
        server_impl="go",
        client_impl=client_impl,
        client_trusts=[server.path[-1]],
        version="1.2",
        cipher=RSA_KX,
        hostname="www.contoso.com",
    )
    assert r.ok, r.error
    assert r.key_exchange == RSA_KEY_TRANSPORT and r.server_key_decrypted


def test_wrong_host_and_unknown_root_are_the_clients_refusals(lab, forged) -> None:
    server = forged["web_server"]
    results = [
        lab.handshake(server, client_impl=ci, client_trusts=trusts, hostname=host)
        for ci in IMPLS
        for trusts, host in (([server.path[-1]], "wrong.contoso.com"), ([], "shop.contoso.com"))
    ]
    assert len(results) == 4
    for r in results:
        assert not r.ok and r.refused_by == "client" and r.client.verify_failed
        assert r.server.alert_received in ("bad_certificate", "unknown_ca")
        assert r.server_chain[0] == server.der  # the chain arrived before it was refused


def test_a_key_that_is_not_the_certificates(lab, forged) -> None:
    """OpenSSL refuses to load it (the server never starts); Go serves it and the client
    rejects the server's signature. A result either way, never an exception."""
    server = forged["web_server"]
    wrong = Identity(
        server.certificate, forged["user_client"].private_key, (server.issuer.certificate,)
    )
    got = {
        (si, ci): lab.handshake(
            wrong,
            server_impl=si,
            client_impl=ci,
            client_trusts=[server.path[-1]],
            hostname="shop.contoso.com",
        )
        for si in IMPLS
        for ci in IMPLS
    }
    assert len(got) == 4 and not any(r.ok for r in got.values())
    for ci in IMPLS:
        assert got[("openssl", ci)].refused_by == "server"
        assert (
            got[("openssl", ci)].server.error == "[X509: KEY_VALUES_MISMATCH] key values mismatch"
        )
        assert got[("go", ci)].refused_by == "client"
    assert got[("go", "openssl")].client.error == "[SSL: BAD_SIGNATURE] bad signature"
    assert "invalid signature by the server certificate" in got[("go", "go")].client.error


def test_forged_identity_sends_its_chain_without_the_root(forged) -> None:
    ident = as_identity(forged["web_server"])
    assert len(ident.chain) == 1 and ident.chain[0] == forged["web_server"].issuer.certificate
    assert "PRIVATE" not in repr(ident)


def test_the_go_source_ships_as_package_data() -> None:
    assert source().is_file() and source().suffix == ".go"
    assert "crypto/tls" in source().read_text()


def _children() -> set[int]:
    try:
        import psutil

        return {p.pid for p in psutil.Process().children(recursive=True)}
    except ImportError:  # pragma: no cover - psutil is present in the dev environment
        me = str(os.getpid())
        out = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if stat.read_text().split(") ", 1)[1].split()[1] == me:
                    out.add(int(stat.parent.name))
            except (OSError, IndexError):
                continue
        return out


def _sockets() -> int:
    count = 0
    for fd in Path("/proc/self/fd").iterdir():
        try:
            if os.readlink(fd).startswith("socket:"):
                count += 1
        except OSError:
            continue
    return count


def test_nothing_outlives_a_run(forged) -> None:
    """Many handshakes, ok and failing, every pairing: no thread, child process or socket left."""
    threads = {t.ident for t in threading.enumerate()}
    children, sockets = _children(), _sockets()
    outcomes = []
    with Loopback() as lab:
        for si in IMPLS:
            for ci in IMPLS:
                for name in ("user_client", "iis_server", "no_eku"):
                    outcomes.append(_client_auth(lab, forged, name, si, ci).ok)
                    outcomes.append(
                        lab.handshake(forged["web_server"], server_impl=si, client_impl=ci).ok
                    )
        assert _children() - children  # the Go helper ran, as a child of this process
    assert len(outcomes) == 24 and outcomes.count(True) == 8
    assert {t.ident for t in threading.enumerate()} == threads
    assert _children() == children
    assert _sockets() == sockets
