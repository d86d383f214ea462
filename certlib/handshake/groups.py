"""Key exchange groups and cipher suites by IANA code point, and which suites transport a key.

Both peers report the negotiated group by number (OpenSSL's ServerHello ``key_share`` or
ServerKeyExchange as seen on the wire, Go's ``ConnectionState.CurveID``), and the cipher suite
by its two-byte code, so one table names them alike.
"""

from __future__ import annotations

#: IANA "TLS Supported Groups" names (RFC 8446 §4.2.7, RFC 8422, RFC 7919, draft hybrid KEMs).
GROUPS: dict[int, str] = {
    23: "secp256r1",
    24: "secp384r1",
    25: "secp521r1",
    29: "x25519",
    30: "x448",
    256: "ffdhe2048",
    257: "ffdhe3072",
    258: "ffdhe4096",
    259: "ffdhe6144",
    260: "ffdhe8192",
    0x0201: "MLKEM1024",
    0x11EB: "SecP256r1MLKEM768",
    0x11EC: "X25519MLKEM768",
    0x11ED: "SecP384r1MLKEM1024",
}

#: What ``HandshakeResult.key_exchange`` says for a TLS 1.2 suite whose premaster secret the
#: client encrypts to the server certificate's RSA key (TLS_RSA_WITH_*): no group at all.
RSA_KEY_TRANSPORT = "RSA key transport"


def group_name(number: int | None) -> str | None:
    """The IANA name of group ``number`` (``group(N)`` if unknown), None for None or 0."""
    if not number:
        return None
    return GROUPS.get(number, f"group({number})")


def is_rsa_key_transport(cipher_id: int | None) -> bool:
    """TLS 1.2 TLS_RSA_WITH_* suites (IANA 0x0001-0x003D and 0x009C/0x009D): key transport.

    These are the suites whose key exchange is "RSA": the ECDHE/DHE ones carry it in their name
    and have other code points, TLS 1.3 suites (0x1301-0x1305) have none.
    """
    if cipher_id is None:
        return False
    return cipher_id in _RSA_KX


_RSA_KX = frozenset({0x0004, 0x0005, 0x000A, 0x002F, 0x0035, 0x003C, 0x003D, 0x009C, 0x009D})

#: TLS 1.2 suites both OpenSSL 3.0 and Go 1.27 implement, by IANA name (the ``cipher``
#: argument; OpenSSL's own names are found from the code point).
SUITES: dict[str, int] = {
    "TLS_RSA_WITH_AES_128_CBC_SHA": 0x002F,
    "TLS_RSA_WITH_AES_256_CBC_SHA": 0x0035,
    "TLS_RSA_WITH_AES_128_CBC_SHA256": 0x003C,
    "TLS_RSA_WITH_AES_128_GCM_SHA256": 0x009C,
    "TLS_RSA_WITH_AES_256_GCM_SHA384": 0x009D,
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256": 0xC02B,
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384": 0xC02C,
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": 0xC02F,
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384": 0xC030,
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256": 0xCCA8,
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256": 0xCCA9,
}
