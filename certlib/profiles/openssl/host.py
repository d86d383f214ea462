"""OpenSSL 3.0's host and IP matching (``crypto/x509/v3_utl.c``: ``X509_check_host`` with the
flags ``openssl verify -verify_hostname`` uses, i.e. none, and ``X509_check_ip``).

Why its own matcher: the profiles differ (Go refuses a partial wildcard such as ``w*.example.com``
and ignores the CN; OpenSSL accepts the partial wildcard, falls back to the CN only when the
SAN has no dNSName, and matches a host given with a leading period against any subdomain).
Inputs are the shapes :mod:`certlib.profiles.openssl`'s decoder yields (see
:mod:`certlib.profiles.openssl.nameconstraints`). Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["check_host", "check_ip"]

_LABEL_START, _LABEL_IDNA, _LABEL_HYPHEN = 1, 2, 4


def _lower(b: bytes) -> bytes:
    return bytes(c + 32 if 0x41 <= c <= 0x5A else c for c in b)


def _alnum(c: int) -> bool:
    return 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A or 0x30 <= c <= 0x39


def _equal_nocase(pattern: bytes, subject: bytes, dot_subdomains: bool) -> bool:
    """equal_nocase with skip_prefix: a subject ``.x`` matches the pattern's equal-length
    suffix (a pattern NUL stops the skipping and never matches)."""
    if dot_subdomains and len(pattern) > len(subject):
        i = 0
        while len(pattern) - i > len(subject) and pattern[i] != 0:
            i += 1
        if len(pattern) - i == len(subject):
            pattern = pattern[i:]
    if len(pattern) != len(subject) or 0 in pattern:
        return False
    return _lower(pattern) == _lower(subject)


def _valid_star(p: bytes) -> int | None:
    """valid_star: the index of the one legal '*' (in the first label, at its start or end,
    not in an IDNA label, at least two dots after it), else None."""
    star = None
    state = _LABEL_START
    dots = 0
    n = len(p)
    for i, c in enumerate(p):
        if c == 0x2A:
            atstart = bool(state & _LABEL_START)
            atend = i == n - 1 or p[i + 1] == 0x2E
            if star is not None or state & _LABEL_IDNA or dots:
                return None
            if not atstart and not atend:
                return None
            star = i
            state &= ~_LABEL_START
        elif _alnum(c):
            if state & _LABEL_START and n - i >= 4 and _lower(p[i : i + 4]) == b"xn--":
                state |= _LABEL_IDNA
            state &= ~(_LABEL_HYPHEN | _LABEL_START)
        elif c == 0x2E:
            if state & (_LABEL_HYPHEN | _LABEL_START):
                return None
            state = _LABEL_START
            dots += 1
        elif c == 0x2D:
            if state & _LABEL_START:
                return None
            state |= _LABEL_HYPHEN
        else:
            return None
    if state & (_LABEL_START | _LABEL_HYPHEN) or dots < 2:
        return None
    return star


def _wildcard_match(prefix: bytes, suffix: bytes, subject: bytes) -> bool:
    if len(subject) < len(prefix) + len(suffix):
        return False
    if not _equal_nocase(prefix, subject[: len(prefix)], False):
        return False
    start, end = len(prefix), len(subject) - len(suffix)
    if not _equal_nocase(subject[end:], suffix, False):
        return False
    allow_idna = False
    if not prefix and suffix[:1] == b".":
        if start == end:
            return False
        allow_idna = True
    if not allow_idna and len(subject) >= 4 and _lower(subject[:4]) == b"xn--":
        return False
    part = subject[start:end]
    if part == b"*":
        return True
    return all(_alnum(c) or c == 0x2D for c in part)


def _equal_wildcard(pattern: bytes, subject: bytes, dot_subdomains: bool) -> bool:
    star = None
    if not (len(subject) > 1 and subject[:1] == b"."):
        star = _valid_star(pattern)
    if star is None:
        return _equal_nocase(pattern, subject, dot_subdomains)
    return _wildcard_match(pattern[:star], pattern[star + 1 :], subject)


def check_host(
    altname: Sequence[tuple[str, object]] | None,
    common_names: Sequence[bytes | None],
    host: str,
) -> tuple[bool, str]:
    """``X509_check_host(x, host, 0, 0, ...) > 0``, and which name decided. ``altname`` is
    the decoded SAN (None without one), ``common_names`` the subject CNs in UTF-8."""
    chk = host.encode("utf-8")
    if chk.endswith(b"\0") and len(chk) > 1:
        chk = chk[:-1]
    dot = len(chk) > 1 and chk[:1] == b"."
    dns_sans = [v[1] for form, v in (altname or ()) if form == "dNSName" and isinstance(v, tuple)]
    for value in dns_sans:
        if value and _equal_wildcard(value, chk, dot):
            return True, f"SAN dNSName {value.decode('latin-1')!r} matches {host!r}"
    if dns_sans:
        shown = ", ".join(repr(v.decode("latin-1")) for v in dns_sans)
        return False, (
            f"no SAN dNSName ({shown}) matches {host!r}; with DNS names in the SAN the "
            "subject CN is not consulted"
        )
    for cn in common_names:
        if cn is None:  # ASN1_STRING_to_UTF8 failed: X509_check_host returns -1
            return False, "a subject CN cannot be converted to UTF-8"
        if cn and _equal_wildcard(cn, chk, dot):
            return True, f"subject CN {cn.decode('utf-8', 'replace')!r} matches {host!r}"
    return False, f"no SAN dNSName and no subject CN matches {host!r}"


def check_ip(altname: Sequence[tuple[str, object]] | None, octets: bytes) -> tuple[bool, str]:
    """``X509_check_ip``: an exact iPAddress SAN (the CN is never consulted)."""
    for form, v in altname or ():
        if form == "iPAddress" and isinstance(v, tuple) and v[1] == octets:
            return True, "a SAN iPAddress equals it"
    return False, "no SAN iPAddress equals it (the subject CN is not consulted for an IP)"
