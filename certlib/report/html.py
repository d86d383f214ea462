"""One self-contained HTML file an analyst can hand on: the inventory's numbers, plots and tables.

Self-contained means it opens offline years later: CSS inline, figures as inline SVG (text as
paths, so no fonts), no script, no external reference. Deterministic means the same frame gives
the same bytes (fixed SVG id salt, no dates in the SVG metadata, no generation time), so a
report can be diffed and committed. Every piece of text from the frame goes through
``html.escape``: subjects, file names and error messages are chosen by whoever made the files.
Only named columns are written; ``der`` and anything else not listed here never reach the page.
"""

from __future__ import annotations

import html
import io
import os
import re
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from certlib.core.verdicts import PROFILE_LABELS
from certlib.report.plots import (
    EXPIRY_COLOURS,
    OUTCOME_COLOURS,
    plot_expiry,
    plot_findings,
    plot_key_types,
    plot_verdicts,
)
from certlib.report.summary import (
    PURPOSES,
    certificate_rows,
    expiry_table,
    finding_counts,
    is_ca,
    key_type_counts,
    reference_time,
    summary,
    verdict_counts,
)

__all__ = ["SECTIONS", "report_html", "write_report"]

#: Section id -> heading, in page order (tests check every heading is there).
SECTIONS: dict[str, str] = {
    "accounting": "Accounting",
    "verdicts": "Verdicts",
    "findings": "Findings",
    "expiry": "Expiry",
    "keys": "Public keys",
    "iis": "IIS binding candidates",
    "chains": "Incomplete chains",
    "certificates": "All certificates",
}

#: Salt for matplotlib's SVG element ids: fixed, so the same figure gives the same bytes.
_SVG_SALT = "certlib-report"
_SVG_LOCK = threading.Lock()

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;
max-width:1200px;padding:0 1em;color:#222}
h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0;font-size:13px}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
figure{margin:.6em 0}svg{max-width:100%;height:auto}
.small{font-size:12px;color:#555}.scroll{overflow-x:auto}
""" + "".join(
    f".o-{name.replace('/', '')}{{background:{colour}33}}"
    for name, colour in {**OUTCOME_COLOURS, **EXPIRY_COLOURS}.items()
)


# --------------------------------------------------------------------------------------------
# small HTML helpers: every cell goes through _text
# --------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """Any cell as escaped text: list items one per line, timestamps in UTC, missing empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):  # one item per line, each escaped on its own
        return "<br>".join(html.escape(str(v)) for v in value)
    if hasattr(value, "tolist") and not isinstance(value, str):
        return _text(value.tolist())
    if isinstance(value, pd.Timestamp):
        return "" if pd.isna(value) else html.escape(value.strftime("%Y-%m-%d %H:%M UTC"))
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value))


def _outcome_class(value: Any) -> str:
    """A CSS class from the fixed outcome/state vocabulary only (never from free text)."""
    name = str(value)
    if name in OUTCOME_COLOURS or name in EXPIRY_COLOURS:
        return f' class="o-{name.replace("/", "")}"'
    return ""


def _table(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    headers: Sequence[str] | None = None,
    numeric: Iterable[str] = (),
    coloured: Iterable[str] = (),
    index: str | None = None,
) -> str:
    """An HTML table of ``columns`` (only those: nothing else of the frame is written)."""
    numeric, coloured = set(numeric), set(coloured)
    heads = list(headers or columns)
    if index is not None:
        heads = [index, *heads]
    head = "".join(f"<th>{_text(h)}</th>" for h in heads)
    out = [f"<div class='scroll'><table><thead><tr>{head}</tr></thead><tbody>"]
    for label, row in zip(frame.index, frame[list(columns)].itertuples(index=False), strict=True):
        cells = [f"<th>{_text(label)}</th>"] if index is not None else []
        for col, value in zip(columns, row, strict=True):
            attr = ' class="n"' if col in numeric else ""
            if col in coloured:
                attr = _outcome_class(value)
            cells.append(f"<td{attr}>{_text(value)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _svg(fig: Figure, label: str, scope: str) -> str:
    """``fig`` as an inline ``<svg>`` element: deterministic bytes, text drawn as paths.

    Element ids get the prefix ``scope`` so that several figures in one page never share an
    id (matplotlib names glyphs ``DejaVuSans-41`` in every file it writes).
    """
    buf = io.StringIO()
    # rcParams are global: the lock keeps two reports built in threads from racing here
    with _SVG_LOCK, matplotlib.rc_context({"svg.hashsalt": _SVG_SALT, "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{scope}-{m.group(1)}"', svg)
    svg = re.sub(
        r'(href="#|url\(#)([^")]+)',
        lambda m: m.group(1) + (f"{scope}-{m.group(2)}" if m.group(2) in ids else m.group(2)),
        svg,
    )
    # namespace URIs are not fetched, but HTML needs none (its parser knows svg and xlink:href)
    root, rest = svg.split(">", 1)
    root = re.sub(r'\s+xmlns(?::xlink)?="[^"]*"', "", root)
    return (
        root.replace("<svg", f'<svg role="img" aria-label="{html.escape(label)}"', 1) + ">" + rest
    )


def _figure(fig: Figure, caption: str, scope: str) -> str:
    caption_html = f"<figcaption class='small'>{_text(caption)}</figcaption>"
    return f"<figure>{_svg(fig, caption, 'fig-' + scope)}{caption_html}</figure>"


def _section(key: str, *parts: str) -> str:
    return f'<section id="{key}"><h2>{SECTIONS[key]}</h2>{"".join(parts)}</section>'


def _p(text: str) -> str:
    return f"<p>{_text(text)}</p>"


def _none(what: str) -> str:
    return f"<p class='small'>{_text(what)}</p>"


# --------------------------------------------------------------------------------------------
# sections
# --------------------------------------------------------------------------------------------


def _profile_name(profile: str | None) -> str | None:
    """The profile as people read it (``OpenSSL 3.0 (openssl)``): the label and the id."""
    return f"{PROFILE_LABELS.get(profile, profile)} ({profile})" if profile else None


def _header(df: pd.DataFrame, s: dict[str, Any], title: str) -> str:
    facts = {
        "profile": _profile_name(s["profile"]) or "(not recorded)",
        "reference time": s["at"],
        "input files": s["files"],
        "certificates": f"{s['certificates']} ({s['partial']} partial; {s['ca']} CA, "
        f"{s['end_entity']} end-entity)",
        "error rows": s["error_rows"],
        "expired / expiring within 30 days": f"{s['expired']} / {s['expiring']}",
    }
    items = "".join(f"<dt>{_text(k)}</dt><dd>{_text(v)}</dd>" for k, v in facts.items())
    return f"<header><h1>{_text(title)}</h1><dl class='facts'>{items}</dl></header>"


def _accounting(df: pd.DataFrame, s: dict[str, Any]) -> str:
    parts = [
        _p(
            f"{s['files']} input file(s) are named by the rows below: {s['certificates']} "
            f"distinct certificate(s) and {s['error_rows']} error row(s) for what could not be "
            "read. No file is left out."
        )
    ]
    if s["errors_by_kind"]:
        kinds = pd.DataFrame(
            {"kind": list(s["errors_by_kind"]), "rows": list(s["errors_by_kind"].values())}
        )
        parts.append(_table(kinds, ["kind", "rows"], numeric=["rows"]))
    if "status" in df.columns:
        errors = df[(df["status"] == "error").to_numpy(dtype=bool)]
        if len(errors):
            parts.append(
                _table(
                    errors,
                    ["source_path", "error_kind", "error"],
                    headers=["path", "kind", "message"],
                )
            )
    if not s["error_rows"]:
        parts.append(_none("No error rows."))
    return _section("accounting", *parts)


def _verdicts(df: pd.DataFrame, s: dict[str, Any]) -> str:
    table = verdict_counts(df)
    parts = [
        _p(
            f"Outcomes of the {_profile_name(s['profile']) or 'inventory'} profile for the "
            f"{s['end_entity']} end-entity certificate(s) (CAs left out: their TLS verdict "
            "answers a different question)."
        ),
        _table(table, list(table.columns), numeric=table.columns, index="purpose"),
        _figure(plot_verdicts(df), "Verdicts per purpose, end-entity certificates", "verdicts"),
    ]
    return _section("verdicts", *parts)


def _findings(df: pd.DataFrame) -> str:
    table = finding_counts(df)
    if table.empty:
        return _section("findings", _none("No findings."))
    return _section(
        "findings",
        _table(table, ["code", "count", "meaning"], numeric=["count"]),
        _figure(plot_findings(df), "Certificates per finding code", "findings"),
    )


def _expiry(df: pd.DataFrame, s: dict[str, Any]) -> str:
    at = reference_time(df)
    table = expiry_table(df, at)
    soon = table[table["state"].isin(["expired", "expiring"]).to_numpy(dtype=bool)]
    parts = [_figure(plot_expiry(df, at), "Certificates by month of notAfter", "expiry")]
    parts.append(_p(f"Expired or expiring within 30 days of {s['at']}: {len(soon)}."))
    if len(soon):
        cols = ["subject_cn", "issuer_cn", "not_after", "days_left", "state", "purposes_allowed"]
        heads = ["subject CN", "issuer CN", "notAfter", "days left", "state", "purposes allowed"]
        parts.append(_table(soon, cols, headers=heads, numeric=["days_left"], coloured=["state"]))
    return _section("expiry", *parts)


def _keys(df: pd.DataFrame) -> str:
    if not len(certificate_rows(df)):
        return _section("keys", _none("No certificates."))
    table = key_type_counts(df)
    return _section(
        "keys",
        _table(table, ["key_type", "count"], headers=["key", "certificates"], numeric=["count"]),
        _figure(plot_key_types(df), "Certificates per public key type", "keys"),
    )


def _iis(df: pd.DataFrame, s: dict[str, Any]) -> str:
    counts = s["iis_candidates"]
    parts = [
        _p(
            f"IIS Manager would offer {counts['true']} certificate(s) for an HTTPS binding; "
            f"{counts['false']} not; {counts['unknown']} unknown (the EKU allows it but no "
            "source says whether its private key is present)."
        )
    ]
    certs = certificate_rows(df)
    if "iis_binding_candidate" in certs.columns:
        yes = certs[certs["iis_binding_candidate"].astype("boolean").fillna(False).to_numpy(bool)]
        if len(yes):
            cols = ["subject_cn", "not_after", "has_private_key", "friendly_names", "source_files"]
            heads = ["subject CN", "notAfter", "private key", "friendly names", "files"]
            parts.append(_table(yes, cols, headers=heads))
    return _section("iis", *parts)


def _chains(df: pd.DataFrame) -> str:
    certs = certificate_rows(df)
    if "chain_complete" not in certs.columns or not len(certs):
        return _section("chains", _none("No certificates."))
    ee = certs[~is_ca(certs).to_numpy()]
    broken = ee[(ee["chain_complete"].astype("boolean") == False).fillna(False).to_numpy(bool)]  # noqa: E712
    parts = [
        _p(
            f"{len(broken)} end-entity certificate(s) whose chain does not reach a self-signed "
            "certificate in this inventory (the issuer is missing, or its signature does not "
            "verify)."
        )
    ]
    if len(broken):
        view = broken.assign(issuer_found=broken["issuer_sha256"].notna())
        cols = ["subject_cn", "issuer", "issuer_found", "source_files"]
        heads = ["subject CN", "issuer", "issuer in inventory", "files"]
        parts.append(_table(view, cols, headers=heads))
    return _section("chains", *parts)


_CERT_COLUMNS = ("subject_cn", "issuer_cn", "not_after", *PURPOSES, "findings", "sources")


def _certificates(df: pd.DataFrame) -> str:
    certs = certificate_rows(df)
    if not len(certs):
        return _section("certificates", _none("No certificates."))
    view = certs.reindex(columns=list(_CERT_COLUMNS))
    heads = ["subject CN", "issuer CN", "notAfter", *PURPOSES, "findings", "sources"]
    return _section(
        "certificates",
        _p(f"{len(certs)} certificate(s), in inventory order."),
        _table(view, _CERT_COLUMNS, headers=heads, coloured=PURPOSES),
    )


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------


def report_html(df: pd.DataFrame, *, title: str | None = None) -> str:
    """The report for inventory frame ``df`` as one self-contained HTML document.

    Expiry is judged at the frame's ``df.attrs["at"]`` (the time the inventory was judged
    at); a frame without one is judged now, and then two calls can differ.
    """
    s = summary(df)
    title = title or "Certificate inventory report"
    body = [
        _header(df, s, title),
        _accounting(df, s),
        _verdicts(df, s),
        _findings(df),
        _expiry(df, s),
        _keys(df),
        _iis(df, s),
        _chains(df),
        _certificates(df),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_text(title)}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n<footer class='small'><p>Made by certlib. Self-contained: no scripts, "
        "no external resources.</p></footer>\n</body></html>\n"
    )


def write_report(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    overwrite: bool = False,
) -> Path:
    """Write :func:`report_html` to ``path`` (UTF-8) and return the path. Atomic, like
    :func:`certlib.inventory.write_inventory`: an existing ``path`` raises ``FileExistsError``
    unless ``overwrite=True``, and a failed write leaves the previous file untouched."""
    from certlib.core.outputs import atomic_output

    target = Path(path)
    text = report_html(df, title=title)
    with atomic_output(target, overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target
