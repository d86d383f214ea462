"""What a decoded row is: its columns, in order, and the small rules every reader of them shares.

:func:`certlib.cert.decode.decode` builds the row (two readers: :mod:`certlib.cert.fast_row`
and the reference :mod:`certlib.cert.guarded_row`); the frame, the inventory and the docs key on
:data:`COLUMNS`.
"""

from __future__ import annotations

from certlib.core.oids import EXT

__all__ = ["COLUMNS", "HANDLED_CRITICAL_EXTENSIONS", "Unknown", "serial_hex"]

#: Every column :func:`decode` returns, in order (the frame, the inventory and the docs use it).
COLUMNS: tuple[str, ...] = (
    "sha256",
    "sha1",
    "serial_number",
    "version",
    "subject",
    "subject_cn",
    "issuer",
    "issuer_cn",
    "self_issued",
    "self_signed",
    "not_before",
    "not_after",
    "validity_days",
    "public_key_algorithm",
    "public_key_size",
    "public_key_curve",
    "spki_sha256",
    "signature_algorithm",
    "signature_hash",
    "san_present",
    "alternative_names",
    "dns_names",
    "eku_present",
    "eku_critical",
    "eku_oids",
    "eku_names",
    "ku_present",
    "ku_critical",
    "key_usage",
    "bc_present",
    "bc_critical",
    "is_ca",
    "path_length",
    "ns_cert_type",
    "ms_application_policies",
    "extension_oids",
    "unknown_critical_extensions",
    "decode_errors",
    "warnings",
)

#: Extensions a validator is expected to process when critical: OpenSSL 3.0's
#: ``X509_supported_extension`` list (:data:`certlib.core.oids.EXT.OPENSSL_SUPPORTED`), which covers
#: every extension RFC 5280 §4.2 says an application MUST recognise. A critical extension outside
#: it lands in ``unknown_critical_extensions``: RFC 5280 says such a certificate MUST be rejected,
#: and OpenSSL does (X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION). Note that a critical AKI, SKI, AIA
#: or CT poison counts as unknown here, because OpenSSL rejects those too.
HANDLED_CRITICAL_EXTENSIONS: frozenset[str] = frozenset(e.oid for e in EXT.OPENSSL_SUPPORTED)


class Unknown(Exception):
    """A field reader's "cannot tell" (not a decode error): the field gets its default.

    With a message it is recorded in ``warnings``; without one it is silent, for fields that
    depend on one whose failure is already recorded.
    """


def serial_hex(serial: int) -> str:
    """Lowercase hex of the serial's magnitude in whole bytes, sign kept: ``-0a``, ``00``, ``7f``.

    The digits are what ``openssl x509 -serial`` prints, lowercased (identifier normalisation).
    """
    digits = f"{abs(serial):x}"
    if len(digits) % 2:
        digits = "0" + digits
    return ("-" if serial < 0 else "") + digits
