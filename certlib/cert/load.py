"""Loading one certificate from DER, keeping what cryptography warned about while loading.

A negative serial or a BER-encoded certificate loads with a warning that may become an error
in a later cryptography; an inventory keeps those warnings in the certificate's row instead of
letting them reach the terminal, and a certificate that does not load becomes an error note,
never an exception. This is the one place that does both.
"""

from __future__ import annotations

import warnings

from cryptography import x509

__all__ = ["load_certificate"]


def load_certificate(
    der: bytes, *, log: list[warnings.WarningMessage] | None = None
) -> tuple[x509.Certificate | None, list[str]]:
    """``(certificate, the first line of each warning raised while loading it)``, or
    ``(None, ["cannot load: <why>"])``.

    ``log``: the list of an enclosing ``warnings.catch_warnings(record=True)`` (with
    ``simplefilter("always")``) when the caller records a whole batch at once, which costs less
    than one recorder per certificate; it is cleared before and after. Without it the load has
    a recorder of its own.
    """
    if log is None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            return _load(der, caught)
    log.clear()
    try:
        return _load(der, log)
    finally:
        log.clear()


def _load(der: bytes, log: list) -> tuple[x509.Certificate | None, list[str]]:
    try:
        cert = x509.load_der_x509_certificate(der)
    except Exception as exc:
        return None, [f"cannot load: {exc}"]
    return cert, [str(w.message).splitlines()[0] for w in log]
