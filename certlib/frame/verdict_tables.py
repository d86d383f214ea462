"""Verdicts as pandas tables that look like the widgets' grid: one vocabulary everywhere.

Notebooks show verdicts both in HTML grids and in DataFrames; a learner should not have to
translate ``rfc5280``/``denied`` in one place into "RFC 5280"/"✗ denied" in another. These
functions use the grid's own labels, symbols and colours (:mod:`certlib.core.verdicts`), so
notebooks hold only calls, never formatting logic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd
from cryptography import x509

from certlib.core.verdicts import (
    OUTCOME_STYLE,
    OUTCOME_SYMBOL,
    PROFILE_LABELS,
    PROFILES,
    Purpose,
    Verdict,
)

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

__all__ = [
    "OPENSSL_PURPOSE_MEANINGS",
    "compare_table",
    "openssl_purpose_table",
    "reasons_table",
    "style_outcomes",
    "verdict_table",
]

#: Each line of ``openssl x509 -purpose`` (without its " CA" twin) and what it asks.
OPENSSL_PURPOSE_MEANINGS: dict[str, str] = {
    "SSL client": "May this certificate authenticate a TLS client? (sslclient)",
    "SSL server": "May it authenticate a TLS server? (sslserver)",
    "Netscape SSL server": "TLS server, with Netscape's older extra rules: an RSA key needs "
    "keyEncipherment (nssslserver)",
    "S/MIME signing": "May it sign e-mail? (smimesign)",
    "S/MIME encryption": "May e-mail be encrypted to it? (smimeencrypt)",
    "CRL signing": "May it sign certificate revocation lists? (crlsign)",
    "Any Purpose": "No check at all: always Yes (any)",
    "OCSP helper": "May it sign OCSP responses? OpenSSL checks nothing here for a leaf; the "
    "real check happens when a response is verified (ocsphelper)",
    "Time Stamp signing": "May it sign RFC 3161 time stamps? Needs a critical timeStamping EKU "
    "(timestampsign)",
}


def _cell(outcome: object) -> str:
    return f"{OUTCOME_SYMBOL.get(str(outcome), '?')} {outcome}"


def _colour(text: object) -> str:
    return OUTCOME_STYLE.get(str(text).partition(" ")[2], "")


def style_outcomes(frame: pd.DataFrame) -> Styler:
    """A frame of outcome words (columns may be profile ids) shown as the grid shows them."""
    labels = PROFILE_LABELS
    shown = frame.map(_cell).rename(columns=lambda c: labels.get(c, c))
    return shown.style.map(_colour)


def verdict_table(
    cert: x509.Certificate,
    *,
    purposes: Sequence[str] = tuple(Purpose),
    profiles: Sequence[str] = PROFILES,
    intermediates: Sequence[x509.Certificate] = (),
    roots: Sequence[x509.Certificate] = (),
    at: dt.datetime | None = None,
) -> Styler:
    """Purposes × profiles for one certificate, as a styled table (rows: purpose labels)."""
    from certlib.profiles import verdict_list

    found = verdict_list(
        cert,
        profiles=profiles,
        purposes=purposes,
        intermediates=intermediates,
        roots=roots,
        at=at,
    )
    outcome = {(v.profile, v.purpose.value): v.outcome for v in found}
    frame = pd.DataFrame(
        {p: {Purpose(u).label: outcome[(p, Purpose(u).value)] for u in purposes} for p in profiles}
    )
    return style_outcomes(frame)


def compare_table(
    certs: Mapping[str, x509.Certificate],
    purpose: str = "tls_server",
    *,
    profiles: Sequence[str] = PROFILES,
    intermediates: Sequence[x509.Certificate] = (),
    roots: Sequence[x509.Certificate] = (),
    at: dt.datetime | None = None,
) -> Styler:
    """Several certificates (rows, by label) × profiles for one purpose, styled like the grid."""
    from certlib.profiles import verdict_list

    kw = dict(intermediates=intermediates, roots=roots, at=at)
    outcome = {
        (v.profile, label): v.outcome
        for label, c in certs.items()
        for v in verdict_list(c, profiles=profiles, purposes=(purpose,), **kw)
    }
    frame = pd.DataFrame({p: {label: outcome[(p, label)] for label in certs} for p in profiles})
    return style_outcomes(frame).set_caption(f"{Purpose(purpose).label}: verdict per profile")


def reasons_table(v: Verdict, *, rules: Sequence[str] = ()) -> pd.DataFrame:
    """One verdict's reasons (rule, what it says, source); only rules starting with ``rules``."""
    rows = [r for r in v.reasons if not rules or r.rule.startswith(tuple(rules))]
    return pd.DataFrame(
        [(r.rule, r.text, r.source) for r in rows], columns=["rule", "what it says", "source"]
    )


def openssl_purpose_table(cert: x509.Certificate) -> pd.DataFrame:
    """``openssl x509 -purpose`` as a table: each purpose asked as a leaf and as a CA, explained.

    Every line of the text appears in exactly one row (a line OpenSSL prints that is not in
    :data:`OPENSSL_PURPOSE_MEANINGS` still gets its row, with an empty meaning).
    """
    from certlib.profiles import openssl_purpose_text

    answers: dict[str, dict[str, str]] = {}
    for line in openssl_purpose_text(cert).splitlines():
        name, sep, answer = line.partition(" : ")
        if not sep:
            continue
        base, is_ca = (name[:-3], True) if name.endswith(" CA") else (name, False)
        answers.setdefault(base, {})["as a CA certificate" if is_ca else "as this certificate"] = (
            answer
        )
    return pd.DataFrame(
        [
            (
                name,
                got.get("as this certificate", ""),
                got.get("as a CA certificate", ""),
                OPENSSL_PURPOSE_MEANINGS.get(name, ""),
            )
            for name, got in answers.items()
        ],
        columns=["OpenSSL purpose", "as this certificate", "as a CA certificate", "what it asks"],
    ).set_index("OpenSSL purpose")
