"""Pure HTML rendering for the widgets and notebooks: no ipywidgets, no kernel, no state.

Every function takes certificates or verdicts and returns an HTML string, so the same views
appear in widgets (as ``HTML.value``), in notebooks (``IPython.display.HTML``) and in tests.

Outcomes are never shown by colour alone: each cell carries a symbol and the outcome word, and
the classes/data attributes (``verdict verdict-denied``, ``data-profile``, ``data-purpose``,
``data-outcome``) let tests and the browser select them.
"""

from __future__ import annotations

import html
import ipaddress
from collections.abc import Iterable, Mapping, Sequence

from cryptography import x509
from cryptography.x509.oid import NameOID

from certlib.cert import der
from certlib.cert.facts import facts
from certlib.core.oids import EXT, KU_BITS, OTHER_NAME, eku, extension
from certlib.core.verdicts import (
    OUTCOME_STYLE,
    OUTCOME_SYMBOL,
    PROFILE_LABELS,
    PROFILES,
    Outcome,
    Purpose,
    Verdict,
)

__all__ = [
    "OUTCOME_STYLE",
    "OUTCOME_SYMBOL",
    "PROFILE_LABELS",
    "certificate_html",
    "escape",
    "extensions_only_html",
    "extensions_only_rows",
    "general_html",
    "grid_hint_html",
    "issued_by",
    "issued_to",
    "key_usage_value",
    "legend_html",
    "openssl_text_html",
    "outcome_text",
    "problems_html",
    "reasons_html",
    "verdict_grid_html",
]

_CELL = "padding:3px 8px;border:1px solid #bbb;text-align:left;white-space:nowrap"


def escape(text: object) -> str:
    """``text`` as HTML text or attribute value (quotes escaped too)."""
    return html.escape(str(text), quote=True)


def outcome_text(v: Verdict) -> str:
    """The outcome as a cell shows it: symbol and word (``✓ allowed``), never colour alone."""
    word = v.outcome
    if v.warning_code is not None and v.outcome == Outcome.WARNING:
        word = f"warning (code={v.warning_code})"
    return f"{OUTCOME_SYMBOL.get(v.outcome, '?')} {word}"


def verdict_grid_html(
    verdicts: Mapping[tuple[str, str], Verdict],
    *,
    profiles: Sequence[str] = PROFILES,
    purposes: Sequence[str] = tuple(Purpose),
    selected: tuple[str, str] | None = None,
    caption: str | None = None,
) -> str:
    """Purposes × profiles table; ``verdicts`` is keyed by ``(profile, purpose)``.

    ``selected`` (profile, purpose) gets the class ``verdict-selected`` and an outline.
    """
    head = "".join(
        f'<th style="{_CELL}" data-profile="{escape(p)}">{escape(PROFILE_LABELS.get(p, p))}</th>'
        for p in profiles
    )
    rows = []
    for purpose in purposes:
        label = Purpose(purpose).label if purpose in Purpose._value2member_map_ else purpose
        cells = [f'<th style="{_CELL}" scope="row">{escape(label)}</th>']
        for profile in profiles:
            v = verdicts.get((profile, str(purpose)))
            if v is None:
                cells.append(f'<td style="{_CELL}">?</td>')
                continue
            classes = f"verdict verdict-{v.outcome.replace('/', '')}"
            style = f"{_CELL};{OUTCOME_STYLE.get(v.outcome, '')}"
            if selected == (profile, str(purpose)):
                classes += " verdict-selected"
                style += ";outline:3px solid #1f5fbf;outline-offset:-3px;font-weight:bold"
            cells.append(
                f'<td class="{classes}" style="{style}" data-profile="{escape(profile)}"'
                f' data-purpose="{escape(purpose)}" data-outcome="{escape(v.outcome)}"'
                f' title="{escape(v.summary)}">{escape(outcome_text(v))}</td>'
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption style='text-align:left'>{escape(caption)}</caption>" if caption else ""
    return (
        '<table class="certlib-verdict-grid" style="border-collapse:collapse;font-size:90%">'
        f'{cap}<thead><tr><th style="{_CELL}">purpose \\ profile</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{legend_html()}"
    )


def legend_html() -> str:
    """The outcome symbols in words (under every grid)."""
    legend = " · ".join(f"{OUTCOME_SYMBOL[o]} {o}" for o in OUTCOME_SYMBOL)
    return f'<div class="certlib-legend" style="font-size:85%;color:#444">{escape(legend)}</div>'


def grid_hint_html() -> str:
    """The legend and what a click on a cell of a clickable grid does."""
    return legend_html() + (
        '<div class="certlib-grid-hint" style="font-size:85%;color:#444">'
        "Click a cell to see its reasons below (or pick the profile and purpose).</div>"
    )


def reasons_html(v: Verdict | None) -> str:
    """The reasons of one verdict, the deciding one first (``Verdict.ordered_reasons``).

    The first item has the class ``certlib-deciding`` and says "deciding"; the rest follow in
    evaluation order under "then, in the order checked".
    """
    if v is None:
        return '<div class="certlib-reasons">No verdict selected.</div>'
    label = Purpose(v.purpose).label if v.purpose in Purpose._value2member_map_ else v.purpose
    items = "".join(
        f'<li data-rule="{escape(r.rule)}"'
        + (' class="certlib-deciding"><b>deciding:</b> ' if i == 0 else ">")
        + f"<code>{escape(r.rule)}</code> {escape(r.text)}"
        f' <span class="certlib-source" style="color:#555">— {escape(r.source)}</span></li>'
        + (
            '<li class="certlib-then" style="list-style:none;color:#555;font-style:italic">'
            "then, in the order checked:</li>"
            if i == 0 and len(v.reasons) > 1
            else ""
        )
        for i, r in enumerate(v.ordered_reasons)
    )
    return (
        f'<div class="certlib-reasons" data-profile="{escape(v.profile)}"'
        f' data-purpose="{escape(v.purpose)}" data-outcome="{escape(v.outcome)}">'
        f"<b>{escape(label)} under {escape(PROFILE_LABELS.get(v.profile, v.profile))}:</b> "
        f'<span class="verdict verdict-{v.outcome.replace("/", "")}"'
        f' style="{OUTCOME_STYLE.get(v.outcome, "")};padding:0 4px">'
        f"{escape(outcome_text(v))}</span>"
        f"<ol>{items or '<li>(no reasons given)</li>'}</ol></div>"
    )


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    attrs = name.get_attributes_for_oid(oid)
    return str(attrs[0].value) if attrs else None


def issued_to(cert: x509.Certificate) -> str:
    """What the Windows General tab shows as "Issued to": the subject CN, else the full name."""
    return _name_attr(cert.subject, NameOID.COMMON_NAME) or cert.subject.rfc4514_string()


def issued_by(cert: x509.Certificate) -> str:
    """What the Windows General tab shows as "Issued by": the issuer CN, else the full name."""
    return _name_attr(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string()


def _rows_html(rows: Iterable[tuple[str, str]], cls: str) -> str:
    body = "".join(
        f'<tr><td style="{_CELL}">{escape(k)}</td>'
        f'<td style="{_CELL};white-space:normal">{escape(v)}</td></tr>'
        for k, v in rows
    )
    return (
        f'<table class="{cls}" style="border-collapse:collapse;font-size:90%">'
        f'<thead><tr><th style="{_CELL}">Field</th><th style="{_CELL}">Value</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def general_html(cert: x509.Certificate, *, has_private_key: bool | None = None) -> str:
    """The Windows General tab in brief: Issued to / Issued by / Valid from–to."""
    rows = [
        ("Issued to", issued_to(cert)),
        ("Issued by", issued_by(cert)),
        ("Valid from", cert.not_valid_before_utc.strftime("%Y-%m-%d %H:%M UTC")),
        ("Valid to", cert.not_valid_after_utc.strftime("%Y-%m-%d %H:%M UTC")),
        ("Subject", cert.subject.rfc4514_string()),
        ("Self-issued (subject = issuer)", "yes" if facts(cert).self_issued else "no"),
    ]
    if has_private_key is not None:
        rows.append(
            (
                "Private key",
                "present beside the certificate in this container"
                if has_private_key
                else "none found (a certificate alone never holds one)",
            )
        )
    return _rows_html(rows, "certlib-general")


def key_usage_value(bits: frozenset[str], mask: int) -> str:
    """Windows' Key Usage value: names in bit order, then the raw bytes in hex ("(a0)")."""
    names = [b.windows_name for b in KU_BITS if b.name in bits]
    raw = f"{mask & 0xFF:02x}" + (f" {mask >> 8:02x}" if mask >> 8 else "")
    return f"{', '.join(names) if names else '(no bits set)'} ({raw})"


def _san_text(value: bytes) -> str:
    """Windows-style SAN text from the raw extension value (read with certlib.cert.der, so it works
    even when cryptography refuses the certificate's other extensions, e.g. an empty EKU)."""
    parts = []
    try:
        for tag, v in der.children(der.unwrap(value, der.SEQUENCE)):
            if tag == 0x82:
                parts.append(f"DNS Name={v.decode('ascii', 'replace')}")
            elif tag == 0x81:
                parts.append(f"RFC822 Name={v.decode('ascii', 'replace')}")
            elif tag == 0x86:
                parts.append(f"URL={v.decode('ascii', 'replace')}")
            elif tag == 0x87:
                parts.append(f"IP Address={ipaddress.ip_address(v)}")
            elif tag == 0xA0:
                kids = der.children(v)
                type_id = der.oid_text(kids[0][1]) if kids and kids[0][0] == der.OID else "?"
                text = ""
                if len(kids) > 1:
                    inner = der.children(kids[1][1])
                    text = inner[0][1].decode("utf-8", "replace") if inner else ""
                name = OTHER_NAME.UPN.windows_name if type_id == OTHER_NAME.UPN.oid else type_id
                parts.append(f"Other Name: {name}={text}")
            else:
                parts.append(f"[{tag:#04x}] {v.hex()}")
    except (der.DerError, ValueError, IndexError) as exc:
        return f"(cannot decode: {exc})"
    return ", ".join(parts)


def extensions_only_rows(cert: x509.Certificate) -> list[tuple[str, str]]:
    """(Field, Value) rows as the Windows Details tab shows them under Show: "Extensions Only".

    Critical extensions are marked "(critical)" where Windows shows a warning icon.
    """
    f = facts(cert)
    rows: list[tuple[str, str]] = []
    for ext in f.extensions:
        info = extension(ext.oid)
        field = info.windows_name or info.openssl_name or ext.oid
        if ext.critical:
            field += " (critical)"
        if ext.oid == EXT.EXTENDED_KEY_USAGE.oid:
            value = ", ".join(
                # unnamed OIDs: "Unknown Key Usage (oid)", as third-party screenshots show it
                f"{eku(o).display_name} ({o})" if eku(o).known else f"Unknown Key Usage ({o})"
                for o in f.eku or ()
            )
            value = value or "(empty: the extension lists no purpose at all)"
        elif ext.oid == EXT.KEY_USAGE.oid:
            value = key_usage_value(f.key_usage or frozenset(), f.ku_openssl_mask)
        elif ext.oid == EXT.BASIC_CONSTRAINTS.oid:
            subject_type = "CA" if f.bc_ca else "End Entity"
            path = "None" if f.path_length is None else str(f.path_length)
            value = f"Subject Type={subject_type}, Path Length Constraint={path}"
        elif ext.oid == EXT.SUBJECT_ALTERNATIVE_NAME.oid:
            value = _san_text(ext.value)
        elif ext.oid == EXT.SUBJECT_KEY_IDENTIFIER.oid and f.subject_key_id is not None:
            value = f.subject_key_id.hex()
        elif ext.oid == EXT.AUTHORITY_KEY_IDENTIFIER.oid and f.authority_key_id is not None:
            value = f"KeyID={f.authority_key_id.hex()}"
        elif ext.oid == EXT.MS_APPLICATION_POLICIES.oid:
            value = ", ".join(
                f"[{i}]Application Certificate Policy: Policy Identifier={eku(o).display_name}"
                for i, o in enumerate(f.ms_application_policies or (), 1)
            )
        elif ext.oid == EXT.NETSCAPE_CERT_TYPE.oid:
            value = f"({f.ns_openssl_mask:02x})"
        else:
            value = ext.value.hex(" ") if len(ext.value) <= 32 else ext.value[:32].hex(" ") + " …"
        rows.append((field, value))
    return rows


def extensions_only_html(
    cert: x509.Certificate, *, intended_purposes: Sequence[str] | None = None
) -> str:
    """The "Extensions Only" Field/Value table plus the "intended purposes" sentences.

    ``intended_purposes`` defaults to :func:`certlib.profiles.windows.intended_purposes`.
    """
    rows = extensions_only_rows(cert)
    table = (
        _rows_html(rows, "certlib-extensions-only")
        if rows
        else '<div class="certlib-extensions-only">(no extensions: a v1 certificate?)</div>'
    )
    if intended_purposes is None:
        from certlib.profiles.windows import intended_purposes as _ip

        intended_purposes = _ip(cert)
    items = "".join(f"<li>{escape(s)}</li>" for s in intended_purposes) or "<li>(none)</li>"
    return (
        '<div class="certlib-windows-view">'
        "<div><b>Details → Show: “Extensions Only”</b></div>"
        f"{table}"
        "<div style='margin-top:6px'><b>This certificate is intended for the following"
        " purpose(s):</b></div>"
        f'<ul class="certlib-intended-purposes">{items}</ul>'
        '<div style="font-size:80%;color:#555">Dialog sentences as reproduced by third parties'
        " (docs/semantics.md §3.4), not taken from Windows resource files.</div></div>"
    )


def openssl_text_html(text: str, *, chain_aware: bool = False) -> str:
    """``openssl x509 -purpose -noout`` output in a <pre>, labelled leaf-only.

    That command never looks at issuers, so next to a chain-aware grid (``chain_aware``) the
    label says the two can disagree (a clientAuth-only CA: "SSL server : Yes" here, ✗ there).
    """
    note = "leaf only: <code>openssl x509 -purpose</code> looks at this certificate alone"
    note += "; the grid judges the chain" if chain_aware else ""
    return (
        '<div class="certlib-openssl-view"><div><b>openssl x509 -purpose -noout</b></div>'
        f'<div class="certlib-leaf-only" style="font-size:80%;color:#555">{note}</div>'
        f'<pre class="certlib-openssl-purpose" style="font-size:85%">{escape(text)}</pre></div>'
    )


def problems_html(problems: Iterable[object]) -> str:
    """Problems from :func:`certlib.sources.read_bytes` (path, container, kind, message)."""
    items = []
    for p in problems:
        where = " ".join(
            str(x)
            for x in (getattr(p, "path", None), getattr(p, "container", None))
            if x not in (None, "")
        )
        items.append(
            f'<li class="certlib-problem" data-kind="{escape(getattr(p, "kind", ""))}">'
            f"<b>{escape(getattr(p, 'kind', 'problem'))}</b>"
            f"{' in ' + escape(where) if where else ''}: {escape(getattr(p, 'message', p))}</li>"
        )
    if not items:
        return ""
    return (
        '<div class="certlib-problems" style="background:#fde8e8;padding:4px 8px;'
        'border-left:4px solid #b00000"><b>Problems</b>'
        f"<ul>{''.join(items)}</ul></div>"
    )


def certificate_html(
    cert: x509.Certificate,
    verdicts: Mapping[tuple[str, str], Verdict],
    *,
    title: str = "",
    has_private_key: bool | None = None,
    openssl_text: str | None = None,
    intended_purposes: Sequence[str] | None = None,
) -> str:
    """One certificate: General, Extensions Only, the verdict grid and the OpenSSL view."""
    ossl = openssl_text_html(openssl_text) if openssl_text is not None else ""
    return (
        '<div class="certlib-certificate" style="margin-bottom:12px">'
        f"{f'<h4>{escape(title)}</h4>' if title else ''}"
        f"{general_html(cert, has_private_key=has_private_key)}"
        f"<div style='display:flex;flex-wrap:wrap;gap:16px;margin-top:6px'>"
        f"<div>{extensions_only_html(cert, intended_purposes=intended_purposes)}</div>"
        f"<div>{ossl}</div></div>"
        f"{verdict_grid_html(verdicts)}</div>"
    )
