"""Certificate -> one flat row of plain Python values, with ECS-style ``snake_case`` names.

Every table, inventory, widget and notebook wants the same per-certificate view. Two readers
build it: :mod:`certlib.cert.fast_row` straight from the DER for the common certificate (~4x
cheaper), and :mod:`certlib.cert.guarded_row`, the reference, which reads one field at a time
behind a guard so that a bad field costs that field, never the row, and which takes every
certificate the fast reader hands back (anything unusual, any error or warning).

Purpose-relevant extensions (EKU, KU, basic constraints, Netscape cert type, Microsoft
application policies) come from :func:`certlib.cert.facts.facts`, which reads the raw DER and so
also sees what ``cryptography`` refuses (an empty EKU SEQUENCE). Column meanings and dtypes are in
:data:`certlib.frame.SCHEMA` and ``docs/columns.md``. A certificate holds no private key, and
nothing here ever looks for one.
"""

from __future__ import annotations

from typing import Any

from cryptography import x509

from certlib.cert.columns import COLUMNS, HANDLED_CRITICAL_EXTENSIONS, serial_hex
from certlib.cert.fast_row import decode_fast
from certlib.cert.guarded_row import decode_guarded
from certlib.cert.rfc4514 import name_text
from certlib.core.memo import Memo

__all__ = ["COLUMNS", "HANDLED_CRITICAL_EXTENSIONS", "decode", "name_text", "serial_hex"]


def decode(
    cert: x509.Certificate,
    *,
    der: bytes | None = None,
    memo: Memo | None = None,
    sha256: str | None = None,
) -> dict[str, Any]:
    """One row (keys = :data:`COLUMNS`) for ``cert``; never raises for a loaded certificate.

    ``der``, when given, must be the DER ``cert`` was loaded from (the inventory holds it): the
    fingerprints are then hashed from it instead of asking cryptography to re-encode. ``memo``:
    the run's (:class:`certlib.core.memo.Memo`), where facts, issuer Name text and the extension
    bytes cryptography accepted are kept across certificates; None keeps nothing. ``sha256``:
    the hex SHA-256 of ``der`` when the caller already hashed it (the inventory's pass 1 did),
    so it is not hashed twice.

    Warnings are caught with ``warnings.catch_warnings``, which is process-global: decode in
    processes (as the inventory does), not in threads, or warnings may land in the wrong row.
    """
    row = decode_fast(cert, der, memo=memo, sha256=sha256)
    if row is not None:
        return row
    return decode_guarded(cert, memo=memo)
