"""TLS alert descriptions by number (RFC 8446 §6, RFC 5246 §7.2), one vocabulary for both peers.

OpenSSL reports the alert a peer sent by number (observed on the wire through the message
callback); the Go helper reports it by number too (the value of the ``remote error`` it read).
The result record carries the RFC name, e.g. ``"unsupported_certificate"``, so outcomes from the
two libraries compare without parsing their prose.
"""

from __future__ import annotations

ALERTS: dict[int, str] = {
    0: "close_notify",
    10: "unexpected_message",
    20: "bad_record_mac",
    21: "decryption_failed",
    22: "record_overflow",
    40: "handshake_failure",
    41: "no_certificate",
    42: "bad_certificate",
    43: "unsupported_certificate",
    44: "certificate_revoked",
    45: "certificate_expired",
    46: "certificate_unknown",
    47: "illegal_parameter",
    48: "unknown_ca",
    49: "access_denied",
    50: "decode_error",
    51: "decrypt_error",
    70: "protocol_version",
    71: "insufficient_security",
    80: "internal_error",
    86: "inappropriate_fallback",
    90: "user_canceled",
    109: "missing_extension",
    110: "unsupported_extension",
    112: "unrecognized_name",
    113: "bad_certificate_status_response",
    115: "unknown_psk_identity",
    116: "certificate_required",
    120: "no_application_protocol",
}


def alert_name(number: int | None) -> str | None:
    """The RFC name of alert ``number`` (``alert(N)`` for one not in the table), None for None."""
    if number is None:
        return None
    return ALERTS.get(number, f"alert({number})")
