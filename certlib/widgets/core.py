"""What every widget model and notebook view shares: judge one certificate under every
profile × purpose, the OpenSSL ``-purpose`` text, and the two composed views notebooks show.

It sits between the pure renderers (:mod:`.render`) and the models/widgets (:mod:`.explorer`,
:mod:`.inspector`, ...), so those import it and it imports none of them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from cryptography import x509

from certlib.core.memo import Memo
from certlib.core.verdicts import PROFILES, Purpose, Verdict
from certlib.profiles import openssl_purpose_text, verdict_list
from certlib.widgets.render import (
    extensions_only_html,
    general_html,
    openssl_text_html,
    verdict_grid_html,
)

__all__ = ["grid_html", "judge", "openssl_text", "side_by_side_html"]


def judge(
    cert: x509.Certificate,
    *,
    profiles: Sequence[str] = PROFILES,
    purposes: Sequence[Purpose] = tuple(Purpose),
    intermediates: Sequence[x509.Certificate] = (),
    roots: Sequence[x509.Certificate] = (),
    memo: Memo | None = None,
) -> dict[tuple[str, str], Verdict]:
    """``{(profile, purpose): Verdict}`` from :func:`certlib.profiles.verdict_list`, nothing
    else (purpose-major, as the grid reads them). ``memo``: the model's own, for its lifetime."""
    # One instant for the whole table (as certlib.verdicts does), so chain searches are shared.
    at = _dt.datetime.now(_dt.UTC).replace(microsecond=0) if roots else None
    found = verdict_list(
        cert,
        profiles=profiles,
        purposes=purposes,
        intermediates=intermediates,
        roots=roots,
        at=at,
        memo=memo,
    )
    by_key = {(v.profile, str(v.purpose)): v for v in found}
    return {
        (profile, str(purpose)): by_key[(profile, str(purpose))]
        for purpose in purposes
        for profile in profiles
    }


def openssl_text(cert: x509.Certificate, *, memo: Memo | None = None) -> str:
    """``openssl x509 -purpose -noout`` text, or why it cannot be shown (never raises)."""
    try:
        return openssl_purpose_text(cert, memo=memo)
    except Exception as exc:  # a view must show something: the reason is the text
        return f"(unavailable: {type(exc).__name__}: {exc})"


def grid_html(
    cert: x509.Certificate,
    *,
    intermediates: Sequence[x509.Certificate] = (),
    roots: Sequence[x509.Certificate] = (),
    selected: tuple[str, str] | None = None,
    caption: str | None = None,
) -> str:
    """The purposes × profiles verdict grid of ``cert`` as HTML (for notebooks)."""
    verdicts = judge(cert, intermediates=intermediates, roots=roots)
    return verdict_grid_html(verdicts, selected=selected, caption=caption)


def side_by_side_html(cert: x509.Certificate) -> str:
    """The Windows-style "Extensions Only" view next to ``openssl x509 -purpose -noout``."""
    return (
        '<div style="display:flex;flex-wrap:wrap;gap:24px">'
        f"<div>{general_html(cert)}{extensions_only_html(cert)}</div>"
        f"<div>{openssl_text_html(openssl_text(cert))}</div></div>"
    )
