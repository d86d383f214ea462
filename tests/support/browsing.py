"""What the browser tests share: Debian's Chromium, its flags, free ports, isolated Jupyter dirs.

Chromium runs as root (so ``--no-sandbox``), headless, with background networking, component
updates and sync off: the machine has no network, and each refused connection would slow it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000
JUPYTER_DIR_VARS = (
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_RUNTIME_DIR",
    "JUPYTERLAB_SETTINGS_DIR",
    "JUPYTERLAB_WORKSPACES_DIR",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's Chromium "
            "(`make system-deps` or `apt-get install -y chromium`)"
        )


def isolated_jupyter_env(tmp: Path) -> dict[str, str]:
    """os.environ with every per-user Jupyter directory moved into ``tmp``."""
    env = dict(os.environ)
    for var in JUPYTER_DIR_VARS:
        d = tmp / var.lower()
        d.mkdir(parents=True, exist_ok=True)
        env[var] = str(d)
    return env


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (its own browser download is unreachable)."""
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def wait_until_up(
    proc: Any, ready: Any, log: Any, log_path: Path, name: str, seconds: float = 60
) -> None:
    """Poll ``ready()`` (raising OSError until the server answers); fail with the server's
    log if it exits or takes longer than ``seconds``."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            ready()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"{name} did not start:\n" + log_path.read_text())
            time.sleep(0.2)


def stop(proc: Any, log: Any) -> None:
    """Terminate a server started with Popen (kill it after 10 s) and close its log."""
    import subprocess

    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def cell_selector(profile: str, purpose: str, outcome: str | None = None) -> str:
    """CSS selector of one clickable verdict cell (``certlib.widgets.cells``), by outcome."""
    state = f".verdict-{outcome.replace('/', '')}" if outcome else ""
    return f".certlib-cell.certlib-cell-{profile}-{purpose}{state}"


def shown_cells(page: Any, scope: str) -> dict[tuple[str, str], str]:
    """(profile, purpose) -> outcome of the clickable verdict cells under ``scope``."""
    cells = page.locator(f"{scope} .certlib-cell").evaluate_all(
        """cs => cs.map(c => {
            const cl = [...c.classList];
            const cell = cl.find(x => x.startsWith('certlib-cell-')).slice(13);
            const v = cl.find(x => x.startsWith('verdict-') && x !== 'verdict-selected');
            return [cell, v ? v.slice(8) : ''];
        })"""
    )
    out = {}
    for cell, outcome in cells:
        profile, _, purpose = cell.partition("-")
        out[(profile, purpose)] = "n/a" if outcome == "na" else outcome
    return out


# -- what every page must satisfy: it fits, it logs no error, it asks nothing from outside -------

#: Pixels of slack for sub-pixel rounding (a table 1 px wider than its area is not a clip).
FIT_TOLERANCE = 2
FIT_VIEWPORT = {"width": 1280, "height": 720}
_LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:", "file://", "data:", "blob:", "about:")

_OVERFLOW_JS = """([scope, tol]) => {
  const label = e => {
    const cls = typeof e.className === 'string' ? e.className.trim().split(/\\s+/) : [];
    const own = cls.filter(c => c.startsWith('certlib') || c.startsWith('widget')).slice(0, 2);
    return e.tagName.toLowerCase() + (own.length ? '.' + own.join('.') : '');
  };
  const where = e => {  // the cell (its first input line) or the slide it is in
    const cell = e.closest('.jp-Cell') || e.closest('section');
    if (!cell) return '';
    const line = cell.querySelector('.cm-line, .jp-InputArea pre, h1, h2, h3');
    return `[${(line ? line.textContent : '').trim().slice(0, 50)}]`;
  };
  const out = [];
  for (const area of document.querySelectorAll(scope)) {
    if (area.getClientRects().length === 0) continue;  // not displayed
    const box = area.getBoundingClientRect();
    const els = [area, ...area.querySelectorAll(
      'table, pre, .jupyter-widgets, .widget-html-content, .certlib-browser-table')];
    const contained = e => {  // inside a scroll container that is not itself checked
      for (let p = e.parentElement; p && p !== area; p = p.parentElement)
        if (/auto|scroll/.test(getComputedStyle(p).overflowX) && !els.includes(p)) return true;
      return false;
    };
    for (const e of els) {
      if (e.getClientRects().length === 0 || contained(e)) continue;
      const r = e.getBoundingClientRect();
      if (e.scrollWidth > e.clientWidth + tol && e.clientWidth > 0)
        out.push(`${where(e)} ${label(e)}: scrollWidth ${e.scrollWidth}`
                 + ` > clientWidth ${e.clientWidth}`);
      else if (r.right > box.right + tol)
        out.push(`${where(e)} ${label(e)}: right edge ${Math.round(r.right)}`
                 + ` > area ${Math.round(box.right)}`);
    }
  }
  return out;
}"""


def overflowing(page: Any, scope: str) -> list[str]:
    """Elements under each ``scope`` element that are wider than it or than themselves.

    Checked: the scope elements (output areas), their tables, <pre>s and widgets (boxes that
    scroll count: a widget must fit), and the inventory browser's table box. Content inside
    any other scroll container (a table meant to scroll sideways, as in the inventory report)
    is not counted: the brief allows "scroll inside the table", not a clipped column."""
    return page.evaluate(_OVERFLOW_JS, [scope, FIT_TOLERANCE])


def assert_fits(page: Any, scope: str, what: str) -> int:
    """Fail with the list of offenders if anything under ``scope`` overflows; return how many
    scope elements were checked (so a test can assert it looked at something)."""
    n = page.locator(scope).count()
    bad = overflowing(page, scope)
    assert not bad, f"{what}: {len(bad)} element(s) wider than their area:\n" + "\n".join(bad)
    return n


class PageWatch:
    """Console errors, page errors and requests to anywhere but this machine, for one page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.requests = 0
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", self._request)

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text} ({msg.location.get('url', '')})")

    def _request(self, request: Any) -> None:
        self.requests += 1
        if not request.url.startswith(_LOCAL):
            self.outside.append(request.url)

    def check(self, what: str) -> None:
        assert self.requests > 0, f"{what}: no request seen (is the watch attached?)"
        assert self.outside == [], f"{what}: requests that left the machine: {self.outside}"
        assert self.errors == [], f"{what}: errors in the console:\n" + "\n".join(self.errors)


def truncated_cells(page: Any, scope: str) -> list[str]:
    """Table cells under ``scope`` cut short with "..." (pandas' ``display.max_colwidth``)."""
    return page.locator(f"{scope} td").evaluate_all(
        """cs => cs.map(c => c.textContent.trim())
                   .filter(t => t.endsWith('...') || t.endsWith('…'))"""
    )
