"""The inventory browser: filter an inventory frame, read one row in full.

:class:`InventoryBrowserModel` is plain Python over the frame :func:`certlib.read_inventory`
returns (or :func:`certlib.inventory.load_inventory` reads back). It holds the filters as a
frozen :class:`BrowserFilters`, and renders the visible rows, a count line and the detail of
one selected row as HTML. :class:`InventoryBrowser` wires ipywidgets controls to the model;
its observers only copy values, so tests drive the same code without a kernel.

The profile selector switches the six verdict columns: the inventory's own profile
(``df.attrs["profile"]``) is the frame as it is; any other is recomputed from the stored DER
with the chain the inventory linked (``df.certs.verdicts(profiles=[p])``), once per profile.
A row whose linked issuers are not in the frame (e.g. ``df[~df.is_ca]``) cannot be rejudged:
it keeps its stored outcomes under the inventory's own profile, and shows "?" (with
:data:`CHAIN_NOT_IN_FRAME` as the title) under any other.

Every text taken from the frame (names, file names, error messages: chosen by whoever made
the files) is HTML-escaped.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from certlib.cert.findings import FINDINGS
from certlib.core.verdicts import OUTCOMES, PROFILES, Outcome, Purpose, Reason, Verdict
from certlib.widgets import render

__all__ = [
    "CHAIN_NOT_IN_FRAME",
    "KEY_CHOICES",
    "KIND_CHOICES",
    "STATUS_CHOICES",
    "BrowserFilters",
    "InventoryBrowser",
    "InventoryBrowserModel",
]

#: The six purpose columns, in table order.
PURPOSES: tuple[str, ...] = tuple(p.value for p in Purpose)
#: Status filter values ("" = any).
STATUS_CHOICES: tuple[str, ...] = ("", "ok", "partial", "error")
#: CA / end-entity filter values. "ca" is basicConstraints cA=TRUE; every other certificate
#: is an end entity (a CA used as a leaf included), as in certlib.report.summary.
KIND_CHOICES: tuple[str, ...] = ("all", "ca", "end_entity")
#: has_private_key filter values ("unknown" = <NA>: only .cer/.pem/.p7b sources).
KEY_CHOICES: tuple[str, ...] = ("any", "yes", "no", "unknown")

_KIND_LABELS = {"all": "all", "ca": "CA", "end_entity": "end-entity"}
_KEY_LABELS = {"any": "any", "yes": "yes", "no": "no", "unknown": "unknown"}
_STATUS_LABELS = {"": "any", "ok": "ok", "partial": "partial", "error": "error"}
# The table fits its output area at 1280 px (no clipped column, no scrollbar at the bottom of
# a tall widget): headers and verdicts wrap at spaces, names and messages anywhere (_TEXT);
# numbers, statuses and dates stay whole (_TIGHT).
_CELL = "padding:2px 6px;border:1px solid #bbb;text-align:left"
_TEXT = _CELL + ";overflow-wrap:anywhere"
_TIGHT = _CELL + ";white-space:nowrap"
#: A click on a table row picks it in the row list (a native <select>): the list's change
#: event is what reaches the kernel (an HTML table cannot talk to it).
_PICK = (
    "var s=this.closest('.certlib-inventory-browser')"
    ".querySelector('.certlib-browser-rows select');"
    "if(s){s.selectedIndex=+this.dataset.pos;"
    "s.dispatchEvent(new Event('change',{bubbles:true}));}"
)
#: Why a row's verdicts under another profile are unknown (its linked issuers were left out).
CHAIN_NOT_IN_FRAME = (
    "the chain's certificates are not in this frame: other profiles cannot be judged"
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _true(value: Any) -> bool:
    """True only for a present, true value (``<NA>`` and None are not true)."""
    return not _missing(value) and bool(value)


def _text(value: Any, default: str = "") -> str:
    return default if _missing(value) else str(value)


def _items(value: Any) -> list[Any]:
    """A list cell as a list (None/NaN → [], numpy arrays from Parquet → list)."""
    if value is None or isinstance(value, str | bytes):
        return [] if value is None else [value]
    if isinstance(value, Iterable):
        return list(value)
    return []


_INDEX_SUFFIX = re.compile(r"#\d+\Z")


def _file_names(place: str) -> list[str]:
    """The file names in one ``sources`` entry: ``dir/a.zip!x/b.pem#2`` → ``a.zip``, ``b.pem``.

    Only a trailing ``#<digits>`` (the index inside a file) is cut: a ``#`` in a file or
    member name (``web#prod.pem``) stays part of the name.
    """
    place = _INDEX_SUFFIX.sub("", place)
    return [part.replace("\\", "/").rsplit("/", 1)[-1] for part in place.split("!")]


def _date(value: Any) -> str:
    if _missing(value):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _datetime(value: Any) -> str:
    if _missing(value):
        return "unknown"
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M:%S UTC")


def _badge(purpose: str, outcome: Any, *, unknown: str = "") -> str:
    """One verdict cell; ``unknown`` (a reason) makes a missing outcome a titled "?"."""
    if _missing(outcome):
        if unknown:
            return (
                f'<td class="verdict verdict-unknown" style="{_CELL}" title="{_e(unknown)}"'
                f' data-purpose="{_e(purpose)}" data-outcome="">?</td>'
            )
        return f'<td style="{_CELL}" data-purpose="{_e(purpose)}" data-outcome="">–</td>'
    o = str(outcome)
    return (
        f'<td class="verdict verdict-{_e(o.replace("/", ""))}"'
        f' style="{_CELL};{render.OUTCOME_STYLE.get(o, "")}"'
        f' data-purpose="{_e(purpose)}" data-outcome="{_e(o)}">'
        f"{_e(render.OUTCOME_SYMBOL.get(o, '?'))} {_e(o)}</td>"
    )


@dataclass(frozen=True)
class BrowserFilters:
    """Everything the browser's controls say, as plain values. Filters combine with AND.

    * ``text``: case-insensitive substring of the subject CN, issuer CN (the full name when a
      certificate has no CN), a subjectAltName entry or an input file name.
    * ``status``: ``ok`` / ``partial`` / ``error``; ``""`` = any.
    * ``purpose`` + ``outcome``: rows whose verdict column ``purpose`` (under ``profile``) is
      ``outcome``; ``purpose=""`` = any (``outcome`` is then ignored).
    * ``findings``: rows with any of these finding codes; ``()`` = any.
    * ``kind``: ``all`` / ``ca`` / ``end_entity`` (the last two: certificate rows only).
    * ``key``: has_private_key ``any`` / ``yes`` / ``no`` / ``unknown`` (all but ``any``:
      certificate rows only).
    * ``profile``: whose verdicts the six columns show; ``None`` = the inventory's own.
    """

    text: str = ""
    status: str = ""
    purpose: str = ""
    outcome: str = Outcome.ALLOWED
    findings: tuple[str, ...] = ()
    kind: str = "all"
    key: str = "any"
    profile: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "findings", tuple(self.findings))
        checks = (
            ("status", self.status, STATUS_CHOICES),
            ("purpose", self.purpose, ("", *PURPOSES)),
            ("outcome", self.outcome, OUTCOMES),
            ("kind", self.kind, KIND_CHOICES),
            ("key", self.key, KEY_CHOICES),
            ("profile", self.profile, (None, *PROFILES)),
        )
        for name, value, allowed in checks:
            if value not in allowed:
                raise ValueError(f"{name} must be one of {list(allowed)}, not {value!r}")


class InventoryBrowserModel:
    """An inventory frame, the current filters and selection → frames and HTML.

    ``max_rows`` caps how many visible rows the table and the row list show (the count line
    still counts them all).
    """

    def __init__(self, df: pd.DataFrame, *, max_rows: int = 200) -> None:
        if not df.index.is_unique:
            df = df.reset_index(drop=True)
        self.df = df
        self.max_rows = int(max_rows)
        self.own_profile: str = str(df.attrs.get("profile") or "rfc5280")
        self.filters = BrowserFilters()
        self.selected: Any = None
        self._views: dict[str, pd.DataFrame] = {self.own_profile: df}
        self._long: dict[str, pd.DataFrame] = {}
        self._row_verdicts: dict[tuple[Any, str], dict[str, Verdict]] = {}
        self._mask: tuple[BrowserFilters, pd.Series] | None = None
        self._is_cert = self._col("status").astype(str).isin(["ok", "partial"]).to_numpy()
        if "status" not in df.columns:
            self._is_cert = pd.Series(True, index=df.index).to_numpy()
        self._haystack = pd.Series(
            [self._search_text(row) for _i, row in df.iterrows()], index=df.index, dtype=object
        )
        self._names = {
            str(sha): _text(cn) or _text(subj)
            for sha, cn, subj in zip(
                self._col("sha256"), self._col("subject_cn"), self._col("subject"), strict=True
            )
            if not _missing(sha)
        }
        self._index_of = {
            str(sha): i
            for i, sha, cert in zip(df.index, self._col("sha256"), self._is_cert, strict=True)
            if cert and not _missing(sha)
        }
        # certificate rows whose linked chain is not all in this frame: not rejudged
        self._chain_cut = frozenset(
            i
            for i, chain, cert in zip(
                df.index, self._col("chain_sha256"), self._is_cert, strict=True
            )
            if cert and any(str(s) not in self._index_of for s in _items(chain))
        )
        self._sync_selection()

    # ---------------------------------------------------------------- state

    def _col(self, name: str) -> pd.Series:
        if name in self.df.columns:
            return self.df[name]
        return pd.Series([None] * len(self.df), index=self.df.index, dtype=object)

    @staticmethod
    def _search_text(row: pd.Series) -> str:
        parts: list[str] = []
        for cn, full in (("subject_cn", "subject"), ("issuer_cn", "issuer")):
            parts.append(_text(row.get(cn)) or _text(row.get(full)))
        parts += [str(x) for x in _items(row.get("alternative_names"))]
        places = _items(row.get("sources")) or _items(row.get("source_files"))
        if not places and not _missing(row.get("source_path")):
            places = [row.get("source_path")]
        for place in places:
            parts += _file_names(str(place))
        return "\n".join(parts).casefold()

    def chain_cut(self, index: Any) -> bool:
        """True when a certificate row's linked issuers are not (all) in this frame: its
        verdicts under profiles other than the inventory's own cannot be judged."""
        return index in self._chain_cut

    @property
    def profile(self) -> str:
        """The profile whose verdicts the columns show."""
        return self.filters.profile or self.own_profile

    def update(self, **changes: Any) -> BrowserFilters:
        """Change some filters (names of :class:`BrowserFilters` fields); returns the new ones."""
        if "findings" in changes:
            changes["findings"] = tuple(changes["findings"] or ())
        if "text" in changes:
            changes["text"] = changes["text"] or ""
        self.filters = dataclasses.replace(self.filters, **changes)
        self._sync_selection()
        return self.filters

    def select(self, index: Any) -> None:
        """Choose the row the detail shows (an index label of the frame, or None)."""
        if index is not None and index not in self.df.index:
            raise KeyError(index)
        self.selected = index
        self._sync_selection()

    def _sync_selection(self) -> None:
        shown = self.shown().index
        if self.selected not in shown:
            self.selected = shown[0] if len(shown) else None

    # ---------------------------------------------------------------- frames

    def long_verdicts(self, profile: str) -> pd.DataFrame:
        """``df.certs.verdicts(profiles=[profile])`` (full reasons), computed once per profile.

        Empty for a frame without the ``der`` column (e.g. from ``to_frame``): nothing to judge.
        """
        if profile not in self._long:
            if "der" not in self.df.columns:
                self._long[profile] = pd.DataFrame(columns=["sha256", "purpose", "outcome"])
            else:
                self._long[profile] = self.df.certs.verdicts(profiles=[profile])
        return self._long[profile]

    def frame_for(self, profile: str | None = None) -> pd.DataFrame:
        """The whole frame with the six verdict columns of ``profile`` (default: the selected)."""
        profile = profile or self.profile
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {list(PROFILES)}, not {profile!r}")
        if profile not in self._views:
            view = self.df.copy()
            long = self.long_verdicts(profile)
            for purpose in PURPOSES:
                dtype = self.df[purpose].dtype if purpose in self.df.columns else object
                if len(long):
                    sel = long[long["purpose"].astype(str) == purpose]
                    by_sha = dict(zip(sel["sha256"], sel["outcome"].astype(str), strict=True))
                else:
                    by_sha = {}
                values = [
                    by_sha.get(str(sha)) if cert and not _missing(sha) else None
                    for sha, cert in zip(self._col("sha256"), self._is_cert, strict=True)
                ]
                view[purpose] = pd.Series(values, index=view.index, dtype=object).astype(dtype)
            view.attrs = {**self.df.attrs, "profile": profile}
            self._views[profile] = view
        return self._views[profile]

    def mask(self) -> pd.Series:
        """Boolean mask over the frame: the rows the filters let through."""
        if self._mask is None or self._mask[0] != self.filters:
            self._mask = (self.filters, self._compute_mask())
        return self._mask[1]

    def _compute_mask(self) -> pd.Series:
        f = self.filters
        view = self.frame_for()
        keep = pd.Series(True, index=view.index)
        cert = pd.Series(self._is_cert, index=view.index)
        if f.text.strip():
            needle = f.text.strip().casefold()
            keep &= self._haystack.map(lambda hay: needle in hay).astype(bool)
        if f.status:
            keep &= self._col("status").astype(str).eq(f.status).to_numpy()
        if f.purpose:
            col = view[f.purpose] if f.purpose in view.columns else self._col(f.purpose)
            keep &= col.astype(object).map(lambda v: not _missing(v) and str(v) == f.outcome)
        if f.findings:
            wanted = set(f.findings)
            keep &= self._col("findings").map(lambda v: bool(wanted & set(_items(v)))).astype(bool)
        if f.kind != "all":
            ca = self._col("is_ca").astype(object).map(_true).astype(bool)
            keep &= cert & (ca if f.kind == "ca" else ~ca)
        if f.key != "any":
            key = self._col("has_private_key").astype(object)
            want = {"yes": True, "no": False}.get(f.key)
            if want is None:
                keep &= cert & key.map(_missing).astype(bool)
            else:
                keep &= cert & key.map(lambda v, w=want: not _missing(v) and bool(v) is w)
        return keep.astype(bool)

    def filtered(self) -> pd.DataFrame:
        """The visible rows (all of them), verdict columns of the selected profile."""
        return self.frame_for()[self.mask().to_numpy()]

    def shown(self) -> pd.DataFrame:
        """The visible rows the table and the row list show (at most ``max_rows``)."""
        return self.filtered().head(self.max_rows)

    # ---------------------------------------------------------------- HTML

    def count_text(self) -> str:
        """``"7 of 18 rows"`` (plus how many the table shows when capped)."""
        n, total = int(self.mask().sum()), len(self.df)
        text = f"{n} of {total} rows"
        if n > self.max_rows:
            text += f" (the first {self.max_rows} shown)"
        return text

    def count_html(self) -> str:
        return (
            f'<div class="certlib-browser-count" data-visible="{int(self.mask().sum())}"'
            f' data-total="{len(self.df)}">{_e(self.count_text())}</div>'
        )

    def row_label(self, index: Any) -> str:
        """What the row list shows for one row: its CN (or path for an error row)."""
        row = self.df.loc[index]
        if str(row.get("status")) == "error":
            kind = _text(row.get("error_kind"), "error")
            path = _text(row.get("source_path"), "?")
            return f"{index}: ⚠ {_file_names(path)[-1]} ({kind})"
        name = _text(row.get("subject_cn")) or _text(row.get("subject"), "(no subject)")
        return f"{index}: {name}"

    def options(self) -> list[tuple[str, Any]]:
        """``(label, index)`` for every row the list shows."""
        return [(self.row_label(i), i) for i in self.shown().index]

    def table_html(self) -> str:
        """The visible rows: names, notAfter, six verdict badges, findings, source count."""
        shown = self.shown()
        head = "".join(
            f'<th style="{_CELL}">{_e(h)}</th>'
            for h in ("#", "status", "subject CN", "issuer CN", "not after")
        )
        head += "".join(
            f'<th style="{_CELL}" data-purpose="{_e(p)}">{_e(Purpose(p).label)}</th>'
            for p in PURPOSES
        )
        head += f'<th style="{_CELL}">findings</th><th style="{_CELL}">sources</th>'
        body = []
        for pos, (i, row) in enumerate(shown.iterrows()):
            status = _text(row.get("status"), "ok")
            style = "outline:2px solid #1f5fbf;cursor:pointer" if i == self.selected else ""
            attrs = (
                f'class="certlib-browser-row certlib-row-{_e(status)}" data-index="{_e(i)}"'
                f' style="{style or "cursor:pointer"}" data-pos="{pos}" onclick="{_e(_PICK)}"'
                ' title="click to read this row in full"'
            )
            lead = f'<td style="{_TIGHT}">{_e(i)}</td><td style="{_TIGHT}">{_e(status)}</td>'
            if status == "error":
                msg = (
                    f"<b>{_e(_text(row.get('error_kind'), 'error'))}</b> in "
                    f"<code>{_e(_text(row.get('source_path'), '?'))}</code>: "
                    f"{_e(_text(row.get('error')))}"
                )
                span = 3 + len(PURPOSES) + 2
                body.append(
                    f"<tr {attrs}>{lead}<td colspan={span} class='certlib-error'"
                    f' style="{_TEXT};background:#fde8e8">{msg}</td></tr>'
                )
                continue
            cut = i in self._chain_cut and self.profile != self.own_profile
            unknown = CHAIN_NOT_IN_FRAME if cut else ""
            cells = [
                f'<td style="{_TEXT}">{_e(_text(row.get("subject_cn")))}</td>',
                f'<td style="{_TEXT}">{_e(_text(row.get("issuer_cn")))}</td>',
                f'<td style="{_TIGHT}">{_e(_date(row.get("not_after")))}</td>',
                *(_badge(p, row.get(p), unknown=unknown) for p in PURPOSES),
                f'<td style="{_TEXT}">'
                + ", ".join(
                    f'<code class="certlib-finding" title="{_e(FINDINGS.get(str(c), ""))}">'
                    f"{_e(c)}</code>"
                    for c in _items(row.get("findings"))
                )
                + "</td>",
                f'<td style="{_TIGHT}">{_e(_text(row.get("source_count"), "0"))}</td>',
            ]
            body.append(f"<tr {attrs}>{lead}{''.join(cells)}</tr>")
        if not body:
            body.append(
                f'<tr><td colspan={5 + len(PURPOSES) + 2} style="{_CELL}">No rows match.</td></tr>'
            )
        label = render.PROFILE_LABELS.get(self.profile, self.profile)
        return (
            '<div class="certlib-browser-table" style="max-height:420px;overflow-y:auto">'
            '<table style="border-collapse:collapse;font-size:85%;width:100%">'
            f"<caption style='text-align:left'>Verdicts under {_e(label)}"
            " (click a row to read it in full below)</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )

    # ---------------------------------------------------------------- one row

    def _chain_rows(self, index: Any) -> list[Any]:
        chain = _items(self.df.loc[index].get("chain_sha256"))
        return [self._index_of[str(s)] for s in chain if str(s) in self._index_of]

    def row_verdicts(self, index: Any, profile: str | None = None) -> dict[str, Verdict]:
        """``{purpose: Verdict}`` for one certificate row under ``profile`` (default: the
        selected), with reasons, judged with the chain the inventory linked (as
        ``df.certs.verdicts()`` does). Empty for an error row.

        A row whose chain is not in this frame (:meth:`chain_cut`) is not rejudged: under the
        inventory's own profile it gets the stored outcomes (one reason saying so), under any
        other profile nothing."""
        profile = profile or self.profile
        key = (index, profile)
        if key in self._row_verdicts:
            return self._row_verdicts[key]
        row = self.df.loc[index]
        sha = _text(row.get("sha256"))
        if not self._is_cert[self.df.index.get_loc(index)] or not sha:
            return {}
        if index in self._chain_cut:
            out = self._stored_verdicts(row) if profile == self.own_profile else {}
            self._row_verdicts[key] = out
            return out
        if "der" not in self.df:
            return {}
        if profile in self._long or profile != self.own_profile:
            long = self.long_verdicts(profile)
        else:  # the inventory's own profile: judge just this row (with its chain rows)
            sub = self.df.loc[[index, *self._chain_rows(index)]]
            long = sub.certs.verdicts(profiles=[profile], at=self.df.attrs.get("at"))
        mine = long[long["sha256"].astype(str) == sha] if len(long) else long
        out: dict[str, Verdict] = {}
        for r in mine.itertuples(index=False):
            reasons = tuple(
                Reason(rule=str(rule), text=str(text), source=str(source))
                for rule, text, source in zip(r.rules, r.reasons, r.sources, strict=True)
            )
            code = None if _missing(r.warning_code) else int(r.warning_code)
            out[str(r.purpose)] = Verdict(
                purpose=Purpose(str(r.purpose)),
                profile=str(r.profile),
                outcome=str(r.outcome),
                reasons=reasons,
                warning_code=code,
            )
        self._row_verdicts[key] = out
        return out

    def _stored_verdicts(self, row: pd.Series) -> dict[str, Verdict]:
        """The outcomes the frame stores for one row (the inventory's own profile)."""
        reason = Reason(
            rule="inventory.stored",
            text=(
                "the outcome the inventory stored (judged with the whole chain when it was "
                f"read); {CHAIN_NOT_IN_FRAME}, nor these reasons recomputed"
            ),
            source="certlib.read_inventory",
        )
        return {
            p: Verdict(
                purpose=Purpose(p),
                profile=self.own_profile,
                outcome=str(row.get(p)),
                reasons=(reason,),
            )
            for p in PURPOSES
            if not _missing(row.get(p)) and str(row.get(p)) in OUTCOMES
        }

    def detail_html(self, index: Any = None) -> str:
        """Everything about one row (default: the selected one)."""
        index = self.selected if index is None else index
        if index is None:
            return '<div class="certlib-browser-detail">No row selected.</div>'
        row = self.df.loc[index]
        places = "".join(f"<li><code>{_e(p)}</code></li>" for p in _items(row.get("sources"))) or (
            f"<li><code>{_e(_text(row.get('source_path'), '?'))}</code></li>"
        )
        found = f"<div><b>Found in</b></div><ul class='certlib-sources'>{places}</ul>"
        if str(row.get("status")) == "error":
            return (
                f'<div class="certlib-browser-detail" data-index="{_e(index)}">'
                f"<h4>Error row {_e(index)}: no certificate</h4>"
                + _pairs_html(
                    [
                        ("Path", _text(row.get("source_path"), "?")),
                        ("Kind", _text(row.get("error_kind"), "error")),
                        ("Message", _text(row.get("error"))),
                    ]
                )
                + found
                + "</div>"
            )
        key = row.get("has_private_key")
        key_text = (
            "unknown (no source could say: only .cer/.pem/.p7b)"
            if _missing(key)
            else "yes: a private key came with a source (never read into the frame)"
            if bool(key)
            else "no: a source that could carry one had none"
        )
        ekus = _items(row.get("eku_names"))
        identity = [
            ("Subject", _text(row.get("subject"))),
            ("Issuer", _text(row.get("issuer"))),
            ("Serial", _text(row.get("serial_number"))),
            ("Valid from", _datetime(row.get("not_before"))),
            ("Valid to", _datetime(row.get("not_after"))),
            ("SHA-256", _text(row.get("sha256"))),
            ("Status", _text(row.get("status"), "ok")),
            ("CA (basicConstraints)", "yes" if _true(row.get("is_ca")) else "no"),
            (
                "Extended Key Usage",
                ", ".join(map(str, ekus)) if _true(row.get("eku_present")) else "(absent)",
            ),
            ("Friendly names", ", ".join(map(str, _items(row.get("friendly_names")))) or "(none)"),
            ("Private key", key_text),
        ]
        if str(row.get("status")) == "partial":
            identity.append(("Problem", _text(row.get("error"))))
        # chain: this certificate, then its linked issuers nearest first
        chain = _items(row.get("chain_sha256"))
        links = [
            f'<li data-sha256="{_e(s)}">{_e(self._names.get(str(s), str(s)[:16] + "…"))}</li>'
            for s in chain
        ]
        if _true(row.get("self_signed")):
            state = "self-signed"
        elif _true(row.get("chain_complete")):
            state = "complete: ends in a self-signed certificate from this inventory"
        elif chain:
            state = "incomplete: the top issuer is not in this inventory"
        else:
            issuer = _text(row.get("issuer_cn")) or _text(row.get("issuer"))
            state = f"no issuer in this inventory (issuer: {issuer})"
        chain_html = (
            f"<div><b>Chain</b> ({_e(state)})</div><ol class='certlib-chain'>{''.join(links)}</ol>"
            if links
            else f"<div><b>Chain</b>: {_e(state)}</div>"
        )
        codes = _items(row.get("findings"))
        findings = "".join(
            f'<li data-code="{_e(c)}"><code>{_e(c)}</code> '
            f"{_e(FINDINGS.get(str(c), 'unknown finding code'))}</li>"
            for c in codes
        )
        findings_html = (
            f"<div><b>Findings</b></div><ul class='certlib-findings'>{findings}</ul>"
            if findings
            else "<div><b>Findings</b>: none</div>"
        )
        verdicts = self.row_verdicts(index)
        label = render.PROFILE_LABELS.get(self.profile, self.profile)
        reasons = "".join(render.reasons_html(verdicts[p]) for p in PURPOSES if p in verdicts)
        if index in self._chain_cut:
            note = f'<div class="certlib-chain-missing"><i>{_e(CHAIN_NOT_IN_FRAME)}</i></div>'
            if self.profile != self.own_profile:
                reasons = "".join(
                    f'<div class="certlib-reasons" data-profile="{_e(self.profile)}"'
                    f' data-purpose="{_e(p)}" data-outcome="" title="{_e(CHAIN_NOT_IN_FRAME)}">'
                    f"<b>{_e(Purpose(p).label)} under {_e(label)}:</b> ?</div>"
                    for p in PURPOSES
                )
            reasons = note + reasons
        title = _text(row.get("subject_cn")) or _text(row.get("subject"), "(no subject)")
        return (
            f'<div class="certlib-browser-detail" data-index="{_e(index)}">'
            f"<h4>{_e(title)}</h4>"
            f"{_pairs_html(identity)}{found}{chain_html}{findings_html}"
            f'<div class="certlib-browser-verdicts" data-profile="{_e(self.profile)}">'
            f"<div><b>Purposes under {_e(label)}</b></div>"
            f"{reasons or '<div>(no verdicts: the frame holds no loadable DER for it)</div>'}"
            "</div></div>"
        )


def _pairs_html(rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(
        f'<tr><th style="{_CELL}" scope="row">{_e(k)}</th><td style="{_TEXT}">{_e(v)}</td></tr>'
        for k, v in rows
    )
    return f'<table class="certlib-identity" style="border-collapse:collapse">{body}</table>'


def _finding_options(df: pd.DataFrame) -> list[tuple[str, str]]:
    counts: dict[str, int] = {}
    for codes in df["findings"] if "findings" in df.columns else ():
        for c in _items(codes):
            counts[str(c)] = counts.get(str(c), 0) + 1
    order = [c for c in FINDINGS if c in counts] + sorted(c for c in counts if c not in FINDINGS)
    return [(f"{c} ({counts[c]})", c) for c in order]


class InventoryBrowser:
    """Filter an inventory and read one row in full.

    Controls (``controls``, keyed by :class:`BrowserFilters` field): ``text`` (Text),
    ``status``, ``profile``, ``purpose``, ``outcome`` (Dropdowns), ``findings``
    (SelectMultiple), ``kind`` and ``key`` (ToggleButtons); ``rows`` (Select) picks the row
    for the detail. Views are ``HTML`` widgets: ``count``, ``table``, ``detail`` (classes
    ``certlib-browser-count`` / ``-table`` / ``-detail``).
    """

    def __init__(self, df: pd.DataFrame, *, max_rows: int = 200) -> None:
        import ipywidgets as w

        self.model = InventoryBrowserModel(df, max_rows=max_rows)
        m = self.model
        wide = {"description_width": "initial"}
        self.controls: dict[str, Any] = {
            "text": w.Text(
                description="Search",
                placeholder="subject/issuer CN, SAN or file name",
                continuous_update=True,
                layout=w.Layout(width="360px"),
            ),
            "status": w.Dropdown(
                options=[(_STATUS_LABELS[s], s) for s in STATUS_CHOICES],
                value=m.filters.status,
                description="Status",
            ),
            "profile": w.Dropdown(
                options=[(render.PROFILE_LABELS.get(p, p), p) for p in PROFILES],
                value=m.profile,
                description="Profile",
            ),
            "purpose": w.Dropdown(
                options=[("any purpose", ""), *((Purpose(p).label, p) for p in PURPOSES)],
                value=m.filters.purpose,
                description="Purpose",
            ),
            "outcome": w.Dropdown(
                options=list(OUTCOMES), value=m.filters.outcome, description="is", style=wide
            ),
            "findings": w.SelectMultiple(
                options=_finding_options(m.df),
                value=(),
                description="Findings (any of)",
                rows=5,
                style=wide,
            ),
            "kind": w.ToggleButtons(
                options=[(_KIND_LABELS[k], k) for k in KIND_CHOICES],
                value=m.filters.kind,
                description="Certificates",
                style=wide,
            ),
            "key": w.ToggleButtons(
                options=[(_KEY_LABELS[k], k) for k in KEY_CHOICES],
                value=m.filters.key,
                description="Private key",
                style=wide,
            ),
        }
        self.rows = w.Select(options=[], rows=8, description="Row", layout=w.Layout(width="420px"))
        self.count = w.HTML()
        self.table = w.HTML()
        self.detail = w.HTML()
        for name, widget in (
            *self.controls.items(),
            ("rows", self.rows),
            ("count", self.count),
            ("table", self.table),
            ("detail", self.detail),
        ):
            widget.add_class(f"certlib-browser-{name}")
        self._syncing = False
        for name, widget in self.controls.items():
            widget.observe(lambda c, name=name: self._set(name, c["new"]), names="value")
        self.rows.observe(lambda c: self._select(c["new"]), names="value")
        c = self.controls
        self.widget = w.VBox(
            [
                w.HTML(
                    "<b>Inventory browser</b> — filter the rows, click one (or pick it in the "
                    "Row list) to read it in full. Filters combine (AND)."
                ),
                w.HBox([c["text"], c["status"], c["profile"]]),
                w.HBox([c["purpose"], c["outcome"]]),
                c["kind"],
                c["key"],
                w.HBox(
                    [c["findings"], self.rows],
                    layout=w.Layout(flex_flow="row wrap", grid_gap="4px 24px"),
                ),
                self.count,
                self.table,
                self.detail,  # right under the table: a click on a row shows it here
            ]
        )
        self.widget.add_class("certlib-inventory-browser")
        self.refresh()

    def _set(self, name: str, value: Any) -> None:
        self.model.update(**{name: value})
        self.refresh()

    def _select(self, index: Any) -> None:
        if self._syncing or index is None:
            return
        self.model.select(index)
        self.refresh()

    def refresh(self) -> None:
        """Copy the model's results into the views."""
        m = self.model
        self._syncing = True
        try:
            options = m.options()
            if list(self.rows.options) != options:
                self.rows.options = options
            self.rows.value = m.selected
        finally:
            self._syncing = False
        self.controls["outcome"].disabled = not m.filters.purpose
        self.count.value = m.count_html()
        self.table.value = m.table_html()
        self.detail.value = m.detail_html()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
