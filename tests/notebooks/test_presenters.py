"""The presenters' tools in a real browser: the offline slide deck and the live Voilà app.

* The deck is built by ``scripts/slides.sh`` (what ``make slides`` runs) into a temporary
  folder, checked for any script or style sheet from the network, then opened from ``file://``
  in Chromium with every other request aborted: reveal.js must start, show one slide per
  slide/subslide cell, and draw the frozen purpose explorer with the verdicts certlib computes.
* The app is served by ``scripts/app.sh`` (what ``make app`` runs): clicking a checkbox and
  choosing a profile must change the verdict HTML to what :func:`certlib.verdict` says.

Both are checked at 1280×720 (a projector): nothing wider than its output area, no console
error, no request leaving the machine; the deck is walked with Space and the arrow keys, and
every slide must be reached and fit without scrolling. Screenshots go to ``test-artifacts/``.
Run time: about 60 s (npm ci adds ~10 s the first time).
"""

from __future__ import annotations

import dataclasses
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import pytest
from browsing import (
    ARTIFACTS,
    FIT_TOLERANCE,
    FIT_VIEWPORT,
    ROOT,
    TIMEOUT_MS,
    PageWatch,
    assert_fits,
    cell_selector,
    chromium,
    free_port,
    isolated_jupyter_env,
    shown_cells,
    stop,
    wait_until_up,
)
from panel_counts import expected as expected_counts

import certlib
from certlib.cert.forge import forge, forge_chain
from certlib.core.verdicts import OUTCOMES, PROFILE_LABELS, PROFILES, Purpose
from certlib.widgets.explorer import ExplorerState

pytestmark = pytest.mark.browser

VENV = Path(sys.executable).parent.parent
DECK = ROOT / "notebooks" / "90-slides.ipynb"
FALLBACKS = ("VBox(children=", "HBox(children=", "Error displaying widget")
_NETWORK = re.compile(r"^\s*(https?:)?//", re.I)


def expected_grid(state: ExplorerState) -> dict[tuple[str, str], str]:
    """(profile, purpose) -> outcome from certlib.verdicts on a freshly forged certificate."""
    issuers = state.issuer_specs()
    if issuers is None:
        return _grid(forge(state.leaf_spec()).certificate)
    chain = forge_chain(issuers[0], issuers[1], state.leaf_spec())
    return _grid(
        chain.leaf.certificate, roots=chain.roots, intermediates=chain.intermediate_certificates
    )


def _grid(cert: Any, **chain: Any) -> dict[tuple[str, str], str]:
    df = certlib.verdicts(cert, **chain)
    return {(str(r.profile), str(r.purpose)): str(r.outcome) for r in df.itertuples()}


def shown_grid(page: Any, scope: str) -> dict[tuple[str, str], str]:
    """The explorer's clickable verdict cells (buttons, not a table: clicks reach the kernel)."""
    return shown_cells(page, scope)


def _settled_grid(
    page: Any, scope: str, expected: dict[tuple[str, str], str], seconds: float = 10
) -> dict[tuple[str, str], str]:
    """The shown grid once it equals ``expected`` (or after ``seconds``): the kernel repaints
    the 30 cells one comm message at a time, so one changed cell does not mean all have."""
    deadline = time.monotonic() + seconds
    grid = shown_grid(page, scope)
    while grid != expected and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        grid = shown_grid(page, scope)
    return grid


def shown_counts(page: Any) -> dict[tuple[str, str], int]:
    cells = page.locator("table.certlib-inventory-counts td.count").evaluate_all(
        "cs => cs.map(c => [c.dataset.purpose, c.dataset.outcome, c.textContent])"
    )
    return {(p, o): int(n) for p, o, n in cells}


# -- the offline deck ---------------------------------------------------------------------------


class _DeckParser(HTMLParser):
    """Every URL the page loads by itself, and the nesting of reveal's <section> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.stack: list[list[bool]] = []  # per open <section>: [has a child section]
        self.leaves = 0
        self.sections = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "data-src") and value is not None:
                self.urls.append((tag, name, value))
        if tag == "section":
            if self.stack:
                self.stack[-1][0] = True
            self.stack.append([False])
            self.sections += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            has_child = self.stack.pop()[0]
            self.leaves += not has_child


def _slide_cells() -> int:
    nb = nbformat.read(DECK, as_version=4)
    kinds = [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in nb.cells]
    assert kinds[0] == "slide", "the deck must open with a slide"
    return sum(k in ("slide", "subslide") for k in kinds)


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deck") / "slides"
    done = subprocess.run(
        ["sh", "scripts/slides.sh", str(VENV), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    html = out / "90-slides.slides.html"
    assert html.is_file(), sorted(p.name for p in out.iterdir())
    return html


def test_deck_loads_nothing_from_the_network(deck: Path) -> None:
    text = deck.read_text()
    parser = _DeckParser()
    parser.feed(text)
    scripts = [u for t, _, u in parser.urls if t == "script"]
    sheets = [u for t, _, u in parser.urls if t == "link"]
    assert scripts == ["vendor/jquery.min.js", "vendor/require.js"]
    assert "vendor/reveal.js/dist/reveal.css" in sheets
    remote = [u for u in parser.urls if _NETWORK.match(u[2])]
    assert remote == []
    # nor in inline scripts and styles (module imports, require() paths, @import)
    assert re.findall(r"""["'(]\s*(?:https?:)?//[^"')\s]+\.(?:m?js|css)\b""", text) == []
    for needed in ("vendor/html-manager/embed-amd.js", "vendor/reveal.js/dist/reveal.js"):
        assert needed in text
        assert (deck.parent / needed).is_file()
    for u in (*scripts, *sheets):
        assert (deck.parent / u).is_file(), u
    theme = deck.parent / "vendor/reveal.js/dist/theme/white.css"
    assert re.findall(r"@import url\(([^)]*)\)", theme.read_text()) == [
        "./fonts/source-sans-pro/source-sans-pro.css"
    ]
    assert "application/vnd.jupyter.widget-state+json" in text  # the frozen widget's state


def test_deck_has_one_section_per_slide_cell(deck: Path) -> None:
    parser = _DeckParser()
    parser.feed(deck.read_text())
    n = _slide_cells()
    assert 12 <= n <= 16
    assert parser.leaves == n
    assert not parser.stack


def test_deck_offline_in_chromium(deck: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    n = _slide_cells()
    aborted: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            aborted.append(r.request.url)
            r.abort()

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(deck.as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        assert page.evaluate("Reveal.getTotalSlides()") == n
        assert page.locator(".reveal .slides section:not(:has(section))").count() == n
        explorer = page.locator(".certlib-purpose-explorer")
        explorer.wait_for(state="attached")
        index = page.evaluate(
            "Reveal.getSlides().findIndex(s => s.querySelector('.certlib-purpose-explorer'))"
        )
        assert index > 0
        page.evaluate(
            f"Reveal.slide(...Object.values(Reveal.getIndices(Reveal.getSlides()[{index}])))"
        )
        page.wait_for_selector(".certlib-purpose-explorer .widget-checkbox input", state="visible")
        boxes = explorer.locator(".widget-checkbox input[type='checkbox']")
        assert boxes.count() == 26  # 13 EKU + 9 KU + 4 flags
        checked = explorer.locator(
            ".certlib-eku-serverAuth input:checked, .certlib-eku-clientAuth input:checked"
        )
        assert checked.count() == 2  # the dual_use preset it was frozen with
        assert explorer.locator(".widget-html-content").first.is_visible()
        state = ExplorerState.from_preset("dual_use")
        grid = shown_grid(page, ".certlib-purpose-explorer")
        assert len(grid) == len(PROFILES) * len(Purpose)
        assert grid == expected_grid(state)
        text = page.locator(".reveal").inner_text()
        for bad in FALLBACKS:
            assert bad not in text
        page.screenshot(path=str(ARTIFACTS / "presenters-deck-explorer.png"))
        page.evaluate("Reveal.slide(0, 0)")
        page.screenshot(path=str(ARTIFACTS / "presenters-deck-title.png"))
        page.close()
    assert aborted == [], "the deck asked the network for these"
    assert errors == []


# -- the live Voilà app -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("voila")
    port = free_port()
    log = (tmp / "voila.log").open("w")
    proc = subprocess.Popen(
        ["sh", "scripts/app.sh", str(VENV), str(port)],
        cwd=ROOT,
        env=isolated_jupyter_env(tmp),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        said = "".join(proc.stdout.readline() for _ in range(2))  # type: ignore[union-attr]
        found = re.search(rf"http://127\.0\.0\.1:{port}/\?token=\w+", said)
        assert found, (
            said
        )  # the app needs its token (tests/project/test_make_lab.py checks refusals)
        url = found.group(0)

        def listening() -> None:  # enough: GET / itself runs the notebook
            socket.create_connection(("127.0.0.1", port), timeout=1).close()

        wait_until_up(proc, listening, log, tmp / "voila.log", "Voilà")
        yield url
    finally:
        stop(proc, log)  # the script exec'd voila: this PID is the server's


def test_live_app_reacts_like_certlib(app: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    explorer_scope = ".certlib-purpose-explorer"
    with chromium() as browser:
        page = browser.new_page(viewport=FIT_VIEWPORT)
        page.set_default_timeout(TIMEOUT_MS)
        watch = PageWatch(page)
        page.goto(app)
        page.wait_for_selector(f"{explorer_scope} .certlib-eku-serverAuth input:checked")
        page.wait_for_selector("table.certlib-inventory-counts[data-profile='rfc5280']")
        assert assert_fits(page, ".jp-OutputArea-output", "the app") >= 2
        columns = page.evaluate(  # the EKU column and the KU/issuer column, side by side
            """() => [...document.querySelector('.certlib-purpose-explorer').children[1].children]
                     .map(c => Math.round(c.getBoundingClientRect().top))"""
        )
        assert len(columns) == 2 and columns[0] == columns[1], columns
        body = page.locator("body").inner_text()
        for bad in (*FALLBACKS, "InventoryPanelModel(", "Traceback"):
            assert bad not in body  # widgets drawn, code cells hidden, no error
        state = ExplorerState.from_preset("iis_server")
        assert shown_grid(page, explorer_scope) == expected_grid(state)
        assert shown_counts(page) == expected_counts("rfc5280")

        # untick serverAuth: the EKU becomes an empty SEQUENCE
        page.locator(f"{explorer_scope} .certlib-eku-serverAuth input").click()
        page.wait_for_selector(
            f"{explorer_scope} {cell_selector('rfc5280', 'tls_server', 'invalid')}"
        )
        unticked = dataclasses.replace(state, eku=())
        grid = _settled_grid(page, explorer_scope, expected_grid(unticked))
        assert len(grid) == len(PROFILES) * len(Purpose)
        assert grid == expected_grid(unticked)
        reasons = page.locator(f"{explorer_scope} .certlib-reasons")
        assert reasons.get_attribute("data-outcome") == "invalid"

        # the app's text: "Click a cell of the grid … to read its reasons, the deciding one first"
        page.locator(f"{explorer_scope} {cell_selector('go', 'tls_server')}").click()
        picked = f"{explorer_scope} .certlib-reasons[data-profile='go'][data-purpose='tls_server']"
        page.wait_for_selector(picked)
        first = page.locator(f"{picked} li").first
        assert first.get_attribute("class") == "certlib-deciding"
        assert "deciding" in first.inner_text()
        assert page.locator(f"{picked} li").count() >= 2  # then the rest, in the order checked

        # another profile re-judges the inventory
        page.locator(".certlib-inventory-profile select").select_option(
            label=PROFILE_LABELS["webpki"]
        )
        page.wait_for_selector("table.certlib-inventory-counts[data-profile='webpki']")
        counts = shown_counts(page)
        assert len(counts) == len(Purpose) * len(OUTCOMES)
        assert counts == expected_counts("webpki")
        assert counts != expected_counts("rfc5280")
        page.screenshot(path=str(ARTIFACTS / "presenters-app.png"))
        page.locator(".certlib-inventory-panel").screenshot(
            path=str(ARTIFACTS / "presenters-app-inventory.png")
        )
        assert_fits(page, ".jp-OutputArea-output", "the app (after the clicks)")
        page.close()
    watch.check("the app")  # Voila's own template links Font Awesome from a CDN


_SLIDE_FITS_JS = """tol => {
    const s = Reveal.getCurrentSlide();
    const box = document.querySelector('.reveal .slides').getBoundingClientRect();
    const r = s.getBoundingClientRect();
    const bad = [];
    if (s.scrollHeight > s.clientHeight + tol)
        bad.push(`scrolls: ${s.scrollHeight} > ${s.clientHeight}`);
    if (r.bottom > box.bottom + tol || r.bottom > innerHeight + tol)
        bad.push(`bottom ${Math.round(r.bottom)} > slide ${Math.round(box.bottom)}`);
    if (r.top < Math.min(box.top, 0) - tol) bad.push(`top ${Math.round(r.top)} above the slide`);
    return bad;
}"""


def test_deck_walks_every_slide_and_each_fits(deck: Path) -> None:
    """Space and the arrow keys alone visit every slide (vertical ones included), even after a
    click inside the frozen widget; every slide fits 1280×720; the frozen widget says so."""
    ARTIFACTS.mkdir(exist_ok=True)
    n = _slide_cells()
    with chromium() as browser:
        page = browser.new_page(viewport=FIT_VIEWPORT)
        page.set_default_timeout(TIMEOUT_MS)
        watch = PageWatch(page)
        page.goto(deck.as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
        visited: list[tuple[int, int]] = []
        problems: list[str] = []
        clicked = False
        keys = ("Space", "ArrowRight", "ArrowDown", "PageDown")
        for step in range(n * 8):
            h, v = page.evaluate("[Reveal.getIndices().h, Reveal.getIndices().v]")
            if (h, v) not in visited:
                visited.append((h, v))
                page.wait_for_timeout(150)  # widgets and layout settle
                for bad in page.evaluate(_SLIDE_FITS_JS, FIT_TOLERANCE):
                    problems.append(f"slide {h}.{v}: {bad}")
                scope = ".reveal .slides section.present .jp-OutputArea-output"
                try:
                    assert_fits(page, scope, f"slide {h}.{v}")
                except AssertionError as e:
                    problems.append(str(e))
                page.screenshot(path=str(ARTIFACTS / f"presenters-deck-{len(visited):02d}.png"))
            explorer = page.locator("section.present .certlib-purpose-explorer")
            if not clicked and explorer.count():
                clicked = True
                caption = explorer.locator(".certlib-frozen-caption")
                assert caption.is_visible() and "Frozen" in caption.inner_text()
                boxes = explorer.locator("input[type='checkbox']")
                assert boxes.count() == 26
                assert explorer.locator("input[type='checkbox']:disabled").count() == 26
                assert explorer.locator(".certlib-cell:disabled").count() == 30
                before = boxes.evaluate_all("bs => bs.map(b => b.checked)")
                explorer.locator(".certlib-eku-codeSigning input").click(force=True)
                explorer.locator(".certlib-preset select").click(force=True)
                assert boxes.evaluate_all("bs => bs.map(b => b.checked)") == before
                kept = page.evaluate(  # an input inside a widget cannot keep the focus
                    """() => {
                        const i = document.createElement('input');
                        document.querySelector('section.present .certlib-purpose-explorer')
                            .appendChild(i);
                        i.focus();
                        const kept = document.activeElement === i;
                        i.remove();
                        return kept;
                    }"""
                )
                assert not kept, "a focused input inside the widget would swallow the keys"
            if page.evaluate("Reveal.isLastSlide() && !Reveal.availableFragments().next"):
                break
            before_key = page.evaluate("JSON.stringify(Reveal.getIndices())")
            page.keyboard.press(keys[step % len(keys)])
            try:
                page.wait_for_function(
                    "b => JSON.stringify(Reveal.getIndices()) !== b", arg=before_key, timeout=3000
                )
            except Exception:
                problems.append(f"{keys[step % len(keys)]} did not move the deck from {before_key}")
                break
        page.close()
    assert problems == [], "\n".join(problems)
    assert len(visited) == n, f"visited {len(visited)} of {n} slides: {visited}"
    assert clicked, "the walk never reached the frozen explorer"
    watch.check("the deck")
