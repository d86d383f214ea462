"""What the notebooks say a real handshake shows, as data, and the check that runs it.

A sentence such as "both libraries still connect, and the server's key decrypts" is a promise
about a live connection, so it is held like a stated verdict (:mod:`.lessons`): a :class:`Live`
check names the certificate (a :class:`~certlib.widgets.lessons.Scene`) and one
:class:`Connect` per library; :func:`check_live` runs each handshake the way the "Try it for
real" button does (:meth:`certlib.widgets.tryit.TryItModel.one`) and returns what disagrees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from certlib.cert.forge import PRESETS, CertSpec, Forged
from certlib.widgets.tryit import IMPLS, PURPOSES, TryItModel, subject_of

__all__ = ["LIVE_01", "NO_KEY_ENCIPHERMENT", "Connect", "Live", "Scene", "check_live"]

_KEY = {"signs": (True, False), "decrypts": (False, True)}


@dataclass(frozen=True)
class Scene:
    """A fixed certificate a notebook shows: forged from ``spec``, alone or with its chain."""

    spec: CertSpec
    chain: bool = False  # judge with the issuers forged from spec.issuer
    at: dt.datetime | None = None


@dataclass(frozen=True)
class Connect:
    """What the text says one handshake does.

    ``purpose``: ``tls_server`` (the certificate is the server's) or ``tls_client`` (it is a
    client certificate). ``impl``: the library at both ends. ``ok``: it connects (else the
    verifier refuses, and its error contains ``words`` when given). ``key_exchange``: the group
    or ``"RSA key transport"``; ``key``: ``"signs"`` or ``"decrypts"`` (the server's key).
    """

    purpose: str
    impl: str
    ok: bool
    version: str = "1.3"
    cipher: str | None = None
    key_exchange: str | None = None
    key: str | None = None
    words: str | None = None

    def __post_init__(self) -> None:
        if self.purpose not in PURPOSES or self.impl not in IMPLS:
            raise ValueError(f"purpose in {PURPOSES}, impl in {IMPLS}")
        if self.key is not None and self.key not in _KEY:
            raise ValueError(f"key must be one of {tuple(_KEY)}")


@dataclass(frozen=True)
class Live:
    """A certificate (``scene``), the handshakes said about it, and any verdicts said about it
    (``claims``, checked as a :class:`~certlib.widgets.lessons.Check`'s are)."""

    scene: Scene
    connects: tuple[Connect, ...]
    claims: tuple[Any, ...] = ()


def check_live(
    live: Live, forged: Forged, where: str, model: TryItModel | None = None
) -> list[str]:
    """Run every :class:`Connect` of ``live`` with ``forged`` (its certificate, forged from the
    scene); each expectation that does not hold, in words."""
    own = model is None
    model = model or TryItModel()
    problems: list[str] = []
    try:
        subject = subject_of(forged)
        for c in live.connects:
            r = model.one(subject, c.purpose, c.impl, version=c.version, cipher=c.cipher)
            verifier = r.client if c.purpose == "tls_server" else r.server
            said = f"{where}: {c.impl} {c.purpose} TLS {c.version}"
            if r.ok != c.ok:
                problems.append(f"{said}: text says ok={c.ok}, is ok={r.ok} ({r.error})")
            if c.words is not None and c.words not in (verifier.error or ""):
                problems.append(f"{said}: text quotes {c.words!r}, the error is {verifier.error!r}")
            if c.key_exchange is not None and r.key_exchange != c.key_exchange:
                problems.append(f"{said}: key exchange {c.key_exchange}, is {r.key_exchange}")
            if c.key is not None:
                got = (r.server_key_signed, r.server_key_decrypted)
                if got != _KEY[c.key]:
                    problems.append(f"{said}: the key {c.key}, is (signed, decrypted)={got}")
    finally:
        if own:
            model.close()
    return problems


#: Notebook 01's live handshakes: TLS 1.2 RSA key transport, and the server certificate without
#: keyEncipherment (what OpenSSL 3.0 and Go do, and what the profiles say about it).
_RSA_KX = "TLS_RSA_WITH_AES_128_GCM_SHA256"
NO_KEY_ENCIPHERMENT = PRESETS["iis_server"].with_(key_usage=frozenset({"digital_signature"}))
_GROUP = {"openssl": "x25519", "go": "X25519MLKEM768"}
_REFUSED = {
    "openssl": "unsuitable certificate purpose",
    "go": "certificate specifies an incompatible key usage",
}


def _both(purpose: str, ok: bool, **kw: Any) -> tuple[Connect, ...]:
    """The same handshake with OpenSSL and with Go at both ends."""
    return tuple(Connect(purpose, impl, ok, **kw) for impl in ("openssl", "go"))


def _live(text: str, *checks: Live) -> tuple[str, tuple[Live, ...]]:
    return text, checks


#: Notebook 01's sentences about live handshakes, by myth, as (text, checks) in notebook order
#: (:mod:`.lessons` makes them :class:`~certlib.widgets.lessons.Statement` objects).
LIVE_01: dict[str, tuple[tuple[str, tuple[Live, ...]], ...]] = {
    "myth 1": (
        _live(
            "In TLS 1.3 both libraries connect, the keys come from an x25519 key exchange (Go "
            "with Go prefers the post-quantum hybrid X25519MLKEM768), and the certificate's key "
            "only signs.",
            Live(
                Scene(PRESETS["iis_server"]),
                tuple(
                    Connect("tls_server", i, True, key_exchange=_GROUP[i], key="signs")
                    for i in ("openssl", "go")
                ),
            ),
        ),
        _live(
            "Pinned to TLS 1.2 with the RSA key transport suite "
            "`TLS_RSA_WITH_AES_128_GCM_SHA256`, both libraries connect and the server's key "
            "decrypts the premaster secret instead of signing.",
            Live(
                Scene(PRESETS["iis_server"]),
                _both(
                    "tls_server",
                    True,
                    version="1.2",
                    cipher=_RSA_KX,
                    key_exchange="RSA key transport",
                    key="decrypts",
                ),
            ),
        ),
        _live(
            "The same certificate without `keyEncipherment`, same suite: RFC 5246 §7.4.2 says the "
            "bit MUST be set for RSA key transport, yet OpenSSL 3.0 and Go both still connect — "
            "neither client checks it.",
            Live(
                Scene(NO_KEY_ENCIPHERMENT),
                _both("tls_server", True, version="1.2", cipher=_RSA_KX, key="decrypts"),
            ),
        ),
    ),
    "myth 3": (
        _live(
            "`user_client`, `dual_use` and `no_eku` connect as client certificates to both "
            "servers; `iis_server` is refused by both, each in its own words: OpenSSL's server "
            "says *unsuitable certificate purpose*, Go's *certificate specifies an incompatible "
            "key usage*.",
            *(
                Live(Scene(PRESETS[n]), _both("tls_client", True))
                for n in ("user_client", "dual_use", "no_eku")
            ),
            Live(
                Scene(PRESETS["iis_server"]),
                tuple(
                    Connect("tls_client", i, False, words=_REFUSED[i]) for i in ("openssl", "go")
                ),
            ),
        ),
    ),
}
