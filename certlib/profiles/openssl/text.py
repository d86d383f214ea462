"""What ``openssl x509 -purpose -noout`` prints (``apps/x509.c purpose_print``), byte for byte.

Checked against the real binary by ``tests/oracles/test_openssl_purpose.py``.
"""

from __future__ import annotations

from cryptography import x509

from certlib.core.memo import Memo
from certlib.profiles.openssl.purposes import check_purpose, label, purposes, verdict_word

__all__ = ["purpose_text"]


def purpose_text(cert: x509.Certificate, *, version: str = "3.0", memo: Memo | None = None) -> str:
    """``openssl x509 -purpose -noout`` output (``apps/x509.c purpose_print``), byte for byte.
    ``memo``: the caller's run memo; without it the call owns one (the certificate's view is
    computed once for every line either way)."""
    memo = Memo() if memo is None else memo
    lines = ["Certificate purposes:"]
    for p in purposes(version):
        for ca in (False, True):
            code = check_purpose(cert, p.sname, ca, version=version, memo=memo)[0]
            lines.append(f"{label(p, ca)} : {verdict_word(code)}")
    return "\n".join(lines) + "\n"
