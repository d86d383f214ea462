"""The live Voilà app's "Try it for real" button in a real browser (headless Chromium).

The app is served as ``make app`` serves it (the ``app`` fixture of
tests/notebooks/test_presenters.py). A click runs the explorer's certificate in four real
handshakes in the app's kernel; the page must show the four outcomes, each equal to what
:func:`certlib.handshake.handshake` does with the same preset, beside the ``openssl`` and ``go``
verdicts, in each library's words; a new preset clears them and a second click shows the other
answer. At 1280×720 nothing is wider than its output area, the console stays free of errors and no
request leaves 127.0.0.1.
"""

from __future__ import annotations

import pytest
from browsing import ARTIFACTS, FIT_VIEWPORT, TIMEOUT_MS, PageWatch, assert_fits, chromium
from test_presenters import app  # noqa: F401  (the Voilà app fixture)

from certlib.widgets.explorer import EXPLORER_PRESETS

pytestmark = pytest.mark.browser

SCOPE = ".certlib-purpose-explorer .certlib-tryit"
OUTCOMES = f"{SCOPE} .certlib-tryit-outcome"
#: (purpose, impl) -> connects, for the two presets clicked (tests/widgets/test_tryit.py runs the
#: model against handshake() itself for these presets).
EXPECTED = {
    "iis_server": {"tls_server": "true", "tls_client": "false"},
    "user_client": {"tls_server": "false", "tls_client": "true"},
}


def _shown(page) -> dict[tuple[str, str], tuple[str, str]]:
    cells = page.locator(OUTCOMES).evaluate_all(
        """cs => cs.map(c => [c.dataset.purpose, c.dataset.impl, c.dataset.ok,
                              c.dataset.agrees])"""
    )
    return {(p, i): (ok, agrees) for p, i, ok, agrees in cells}


def _click_and_wait(page) -> dict[tuple[str, str], tuple[str, str]]:
    page.locator(f"{SCOPE} .certlib-tryit-button").click()
    page.wait_for_function(
        f"document.querySelectorAll('{OUTCOMES}').length === 4", timeout=TIMEOUT_MS
    )
    return _shown(page)


def _want(preset: str) -> dict[tuple[str, str], tuple[str, str]]:
    return {(p, i): (ok, "true") for p, ok in EXPECTED[preset].items() for i in ("openssl", "go")}


def test_try_it_for_real_in_the_app(app: str) -> None:  # noqa: F811
    assert {"iis_server", "user_client"} <= set(EXPLORER_PRESETS)
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport=FIT_VIEWPORT)
        page.set_default_timeout(TIMEOUT_MS)
        watch = PageWatch(page)
        page.goto(app)
        page.wait_for_selector(f"{SCOPE} .certlib-tryit-button")
        assert page.locator(OUTCOMES).count() == 0

        shown = _click_and_wait(page)  # the app opens on the IIS server certificate
        assert len(shown) == 4
        assert shown == _want("iis_server")
        text = page.locator(SCOPE).inner_text()
        assert "unsuitable certificate purpose" in text  # OpenSSL's server, in its words
        assert "certificate specifies an incompatible key usage" in text  # Go's
        assert "Traceback" not in page.locator("body").inner_text()
        page.locator(SCOPE).screenshot(path=str(ARTIFACTS / "tryit-app-iis_server.png"))
        assert_fits(page, ".jp-OutputArea-output", "the app with handshakes")

        page.locator(".certlib-purpose-explorer .certlib-preset select").select_option(
            label="user client certificate"
        )
        page.wait_for_function(f"document.querySelectorAll('{OUTCOMES}').length === 0")
        shown = _click_and_wait(page)
        assert len(shown) == 4
        assert shown == _want("user_client")
        page.locator(SCOPE).screenshot(path=str(ARTIFACTS / "tryit-app-user_client.png"))
        assert_fits(page, ".jp-OutputArea-output", "the app with handshakes (user_client)")
        page.close()
    watch.check("the app's Try it for real")
