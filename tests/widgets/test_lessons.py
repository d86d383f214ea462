"""The notebooks' instructions and stated verdicts agree with the engine and with the text.

``certlib.widgets.lessons`` holds every explorer step and every verdict sentence as data; here each
step is driven through :class:`~certlib.widgets.explorer.ExplorerModel` and each statement's
certificate is forged and judged, every claim compared; each item's text must appear in its
notebook; and every sentence of a notebook that states a verdict must be one of them.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from certlib.core.oids import EKU
from certlib.widgets import lessons
from certlib.widgets.lessons import Action, Claim, Connect, Live, Scene, Stage, Statement, Step
from certlib.widgets.live import NO_KEY_ENCIPHERMENT

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
ITEMS = list(lessons.iter_items())
STATEMENTS = [i for i in ITEMS if isinstance(i, Statement)]
#: Sentences with verdict words that state no engine verdict, and why.
NOT_VERDICTS: dict[str, str] = {
    "Developers and security engineers who need to predict": "who the notebooks are for",
    "For Server Authentication it reads": "Windows dialog wording",
    "the HTTPS binding dialog lists only certificates": "IIS behaviour (01 self-check)",
    "may reject** certificates that list": "RFC 5280 text",
    "An **empty** EKU is not allowed:": "RFC 5280 text",
    "MAY reject anyEKU without the expected OID": "RFC comparison table",
    "RFC 5280 lets applications reject it": "RFC 5280 text",
    "`smimeencrypt` wants keyEncipherment": "OpenSSL source reading (S/MIME)",
    "No purpose consistent with both": "RFC 5280 quotation",
    "**Absent** EKU: no restriction from EKU": "RFC 5280 summary on a slide",
    "`Yes (WARNING code=-1)`-style lines": "how OpenSSL prints the checked verdict",
    "say Yes without checking anything": "OpenSSL's -purpose lines: test_verdict_tables.py",
    "How to read it:": "the legend of the grid's symbols",
    "the only purpose EKU allows (TLS client)": "the RFC rule; its verdicts follow, checked",
}
_VERDICT_WORDS = re.compile(
    r"✓|✗|⚠|⊘|\baccept|\bden(y|ies|ied)\b|\ballow(s|ed)?\b|\brefus|\breject|\b(Yes|No)\b"
    r"|\bhonou?rs?\b|\bobjects\b|\bpasses\b"
)
#: Notebooks whose verdict sentences are covered here (05's inventory facts are asserted by its
#: own self-check cell against the scanned sample).
COVERED = ("00", "01", "02", "03", "04", "90", "91")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _prose(name: str) -> list[str]:
    """Markdown cells (slides, fragments, speaker notes) of one notebook, normalised."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    return [_norm(c.source) for c in nb.cells if c.cell_type == "markdown"]


def _claims(item: Step | Statement) -> list[Claim]:
    if isinstance(item, Step):
        return [c for stage in item.stages for c in stage.claims]
    return [c for check in item.checks for c in check.claims]


def _connects(item: Step | Statement) -> list[Connect]:
    """The live handshakes a statement promises (notebook 01's myths)."""
    if isinstance(item, Step):
        return []
    return [c for check in item.checks if isinstance(check, Live) for c in check.connects]


def test_the_lessons_cannot_silently_shrink() -> None:
    steps = [i for i in ITEMS if isinstance(i, Step)]
    assert len(steps) == 7
    assert len(STATEMENTS) == 40
    assert sum(len(c.profiles) for i in ITEMS for c in _claims(i)) == 311
    assert sum(len(_connects(i)) for i in ITEMS) == 14
    assert len([i for i in ITEMS if _connects(i)]) == 4
    assert all(_claims(i) or _connects(i) for i in ITEMS)


@pytest.mark.parametrize(
    "name", [n for n, items in lessons.LESSONS.items() if any(isinstance(i, Step) for i in items)]
)
def test_explorer_steps_show_what_the_text_says(name: str) -> None:
    steps = tuple(i for i in lessons.LESSONS[name] if isinstance(i, Step))
    assert lessons.run_steps(steps) == []


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: f"{s.where[:2]}:{s.text[:40]}")
def test_stated_verdicts_hold(statement: Statement) -> None:
    assert lessons.check_statement(statement) == []


@pytest.mark.parametrize("item", ITEMS, ids=lambda s: f"{s.where[:2]}:{s.text[:40]}")
def test_text_appears_in_its_notebook(item: Step | Statement) -> None:
    assert any(_norm(item.text) in cell for cell in _prose(item.where)), item.text


def test_checker_catches_the_reported_disagreement() -> None:
    """Issue 13's step 1 as it was written: unticking serverAuth does not deny under Go."""
    old = Step(
        "02-extended-key-usage.ipynb",
        "untick serverAuth",
        (
            Stage(
                (Action.preset("iis_server"), Action.tick_eku(EKU.SERVER_AUTH.oid, False)),
                (Claim("tls_server", "denied", ("rfc5280", "openssl", "windows", "go")),),
            ),
        ),
    )
    problems = lessons.check_step(old)
    assert len(problems) == 2  # RFC 5280 says invalid, Go says allowed
    assert any("under go" in p and "is allowed" in p for p in problems)


def test_live_checker_catches_a_wrong_handshake_claim() -> None:
    """The wish the issue wrote down: a client refusing a server certificate without
    keyEncipherment for RSA key transport. OpenSSL connects, so the check names both misses."""
    wish = Statement(
        "01-client-vs-server.ipynb",
        "the client refuses it",
        (
            Live(
                Scene(NO_KEY_ENCIPHERMENT),
                (
                    Connect(
                        "tls_server",
                        "openssl",
                        False,
                        version="1.2",
                        cipher="TLS_RSA_WITH_AES_128_GCM_SHA256",
                        key="signs",
                        words="keyEncipherment",
                    ),
                ),
            ),
        ),
    )
    problems = lessons.check_statement(wish)
    assert len(problems) == 3, problems  # it connects; no such words; the key decrypts
    assert "text says ok=False, is ok=True" in problems[0]
    assert "the key signs, is (signed, decrypted)=(False, True)" in problems[2]


def _sentences(cell: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.:;!?])\s+(?=[A-Z*`(0-9\"])", cell) if s]


def test_every_verdict_sentence_is_checked() -> None:
    """Take every checked text out of its cell: no verdict word may remain unexplained."""
    texts: dict[str, list[str]] = {}
    for item in ITEMS:
        texts.setdefault(item.where, []).append(_norm(item.text))
    replaced, exempt, unchecked = 0, set(), []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        if path.name[:2] not in COVERED:
            continue
        for cell in _prose(path.name):
            for text in texts.get(path.name, ()):
                replaced += cell.count(text)
                cell = cell.replace(text, " [checked] ")
            for sentence in _sentences(cell):
                if not _VERDICT_WORDS.search(sentence):
                    continue
                keys = {k for k in NOT_VERDICTS if k in sentence}
                if keys:
                    exempt |= keys
                else:
                    unchecked.append(f"{path.name}: {sentence}")
    assert unchecked == []
    assert replaced == len(ITEMS)
    assert exempt == set(NOT_VERDICTS)  # no stale exemption
