"""JupyterLab in a real browser: the widgets render, react to clicks, and show real verdicts.

Starts JupyterLab on 127.0.0.1 (free port, random token, temporary Jupyter config/runtime/
settings/workspace directories, a copy of the notebooks) and drives Debian's Chromium with
Playwright. Screenshots go to ``test-artifacts/``. A run is judged finished when every cell
prompt shows a number (the kernel reports idle between cells, so /api/sessions alone is not
enough); cells are run through the Run menu, as a learner would.

Every notebook is opened at 1280×720 (a presenter's projector): after Run All no output area,
table or widget may be wider than its output area, the console must stay free of errors and no
request may leave 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browsing import (
    ARTIFACTS,
    FIT_VIEWPORT,
    ROOT,
    TIMEOUT_MS,
    PageWatch,
    assert_fits,
    cell_selector,
    chromium,
    free_port,
    isolated_jupyter_env,
    require_chromium,
    stop,
    truncated_cells,
    wait_until_up,
)

from certlib.cert.forge import PRESETS, forge

pytestmark = pytest.mark.browser


@dataclass
class Lab:
    url: str
    token: str
    root: Path

    def api(self, path: str) -> object:
        with urllib.request.urlopen(f"{self.url}{path}?token={self.token}", timeout=5) as r:
            return json.load(r)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    require_chromium()
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "root"
    root.mkdir()
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(nb, root / nb.name)
    env = isolated_jupyter_env(tmp)
    settings = Path(env["JUPYTERLAB_SETTINGS_DIR"])
    for ext, name, value in (
        ("apputils-extension", "notification", {"fetchNews": "false", "checkForUpdates": False}),
        # every cell in the DOM, so prompts and outputs can be checked without scrolling
        ("notebook-extension", "tracker", {"windowingMode": "none"}),
    ):
        f = settings / "@jupyterlab" / ext / f"{name}.jupyterlab-settings"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))
    port, token = free_port(), secrets.token_hex(16)
    args = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    log = (tmp / "lab.log").open("wb")
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    lab = Lab(f"http://127.0.0.1:{port}", token, root)
    try:
        wait_until_up(proc, lambda: lab.api("/api/status"), log, tmp / "lab.log", "JupyterLab")
        yield lab
    finally:
        stop(proc, log)


@pytest.fixture(scope="module")
def browser(lab: Lab) -> Iterator[object]:
    with chromium() as b:
        yield b


def _wait_idle(lab: Lab, notebook: str, timeout: float = 60) -> None:
    """Poll /api/sessions until the notebook's kernel exists and reports idle twice in a row."""
    deadline = time.monotonic() + timeout
    idle = 0
    while time.monotonic() < deadline:
        sessions = lab.api("/api/sessions")
        states = [
            s["kernel"]["execution_state"]
            for s in sessions  # type: ignore[union-attr]
            if s.get("path", "").endswith(notebook) and s.get("kernel")
        ]
        idle = idle + 1 if states and all(s == "idle" for s in states) else 0
        if idle >= 2:
            return
        time.sleep(0.25)
    raise AssertionError(f"kernel of {notebook} did not become idle")


def _open_and_run_all(page: object, lab: Lab, notebook: str) -> None:
    page.goto(f"{lab.url}/lab/tree/{notebook}?reset&token={lab.token}")  # type: ignore[attr-defined]
    page.wait_for_selector(  # type: ignore[attr-defined]
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook", timeout=TIMEOUT_MS
    )
    _wait_idle(lab, notebook)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()  # type: ignore[attr-defined]
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()  # type: ignore[attr-defined]
    time.sleep(0.5)
    _wait_idle(lab, notebook)
    # The kernel also reports idle between cells: poll the prompts until every cell has run.
    deadline = time.monotonic() + 60
    while not _all_cells_ran(page) and time.monotonic() < deadline:
        time.sleep(0.25)


def _all_cells_ran(page: object) -> bool:
    prompts = page.locator(  # type: ignore[attr-defined]
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt"
    ).all_inner_texts()
    return bool(prompts) and all(re.search(r"\[\d+\]", t) for t in prompts)


def _assert_widgets_rendered(page: object) -> None:
    text = page.locator(  # type: ignore[attr-defined]
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output"
    ).all_inner_texts()
    joined = "\n".join(text)
    for bad in ("VBox(children=", "HBox(children=", "Error displaying widget"):
        assert bad not in joined, f"widget did not render: {bad!r} in the output"
    errors = page.locator(  # type: ignore[attr-defined]
        ".jp-NotebookPanel:not(.lm-mod-hidden) [data-mime-type='application/vnd.jupyter.error']"
    )
    assert errors.count() == 0, errors.all_inner_texts()


_OUTPUTS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output"


def _new_page(browser: object) -> tuple[object, PageWatch]:
    page = browser.new_page(viewport=FIT_VIEWPORT)  # type: ignore[attr-defined]
    page.set_default_timeout(TIMEOUT_MS)
    return page, PageWatch(page)


def _assert_fits(page: object, notebook: str, minimum: int) -> None:
    """No output wider than its area (offenders listed), at least ``minimum`` outputs seen."""
    n = assert_fits(page, _OUTPUTS, notebook)
    assert n >= minimum, f"{notebook}: only {n} output areas"
    cut = truncated_cells(page, _OUTPUTS)
    assert cut == [], f"{notebook}: {len(cut)} table cell(s) cut short with '...': {cut}"


def _cell(page: object, profile: str, purpose: str) -> object:
    return page.locator(  # type: ignore[attr-defined]
        f".certlib-purpose-explorer {cell_selector(profile, purpose)}"
    ).first


def _expect_outcome(page: object, profiles: tuple[str, ...], outcome: str) -> None:
    for profile in profiles:
        page.wait_for_selector(  # type: ignore[attr-defined]
            f".certlib-purpose-explorer {cell_selector(profile, 'tls_server', outcome)}",
            timeout=TIMEOUT_MS,
        )


def test_purpose_explorer_in_jupyterlab(lab: Lab, browser: object) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page, watch = _new_page(browser)
    t0 = time.monotonic()
    _open_and_run_all(page, lab, "02-extended-key-usage.ipynb")
    assert _all_cells_ran(page), "not every cell of notebook 02 shows an execution count"
    _assert_widgets_rendered(page)
    _assert_fits(page, "02-extended-key-usage.ipynb", 5)
    checkboxes = page.locator(".jp-OutputArea-output .widget-checkbox input[type='checkbox']")
    assert checkboxes.count() >= 26  # 13 EKU + 9 KU + 4 toggles in the explorer alone
    explorer = page.locator(".certlib-purpose-explorer")
    explorer.scroll_into_view_if_needed()

    # choose another preset, then the IIS server certificate: the preset path is exercised
    preset = explorer.locator(".certlib-preset select")
    preset.select_option(label="no EKU extension")
    page.wait_for_selector(".certlib-purpose-explorer .certlib-eku_present input:not(:checked)")
    preset.select_option(label="IIS server certificate")
    server_auth = explorer.locator(".certlib-eku-serverAuth input[type='checkbox']")
    page.wait_for_selector(".certlib-purpose-explorer .certlib-eku-serverAuth input:checked")
    main = ("rfc5280", "openssl", "windows", "go")
    _expect_outcome(page, main, "allowed")
    reasons = explorer.locator(".certlib-reasons")
    before = reasons.inner_text()

    server_auth.click()  # untick serverAuth: the EKU is now an empty SEQUENCE
    _expect_outcome(page, ("openssl", "windows"), "denied")
    _expect_outcome(page, ("rfc5280",), "invalid")  # SIZE (1..MAX): empty EKU is malformed
    _expect_outcome(page, ("go",), "allowed")  # Go parses an empty EKU as no EKU
    page.wait_for_selector(".certlib-purpose-explorer .certlib-reasons[data-outcome='invalid']")
    assert reasons.inner_text() != before
    assert "invalid" in _cell(page, "rfc5280", "tls_server").inner_text()  # type: ignore[attr-defined]
    client_auth = explorer.locator(".certlib-eku-clientAuth input[type='checkbox']")
    client_auth.click()  # an EKU without serverAuth: denied under all four
    _expect_outcome(page, main, "denied")
    page.wait_for_selector(".certlib-purpose-explorer .certlib-reasons[data-outcome='denied']")
    assert "denied" in _cell(page, "rfc5280", "tls_server").inner_text()  # type: ignore[attr-defined]
    explorer.screenshot(path=str(ARTIFACTS / "browser-explorer-serverAuth-unticked.png"))

    _cell(page, "go", "code_signing").click()  # type: ignore[attr-defined]
    page.wait_for_selector(  # a click on a cell reaches the kernel: its reasons are shown
        ".certlib-purpose-explorer .certlib-reasons[data-profile='go'][data-purpose='code_signing']"
    )
    page.wait_for_selector(
        f".certlib-purpose-explorer {cell_selector('go', 'code_signing')}.verdict-selected"
    )
    _cell(page, "rfc5280", "tls_server").click()  # type: ignore[attr-defined]
    page.wait_for_selector(".certlib-purpose-explorer .certlib-reasons[data-profile='rfc5280']")

    client_auth.click()
    server_auth.click()  # tick serverAuth again
    _expect_outcome(page, main, "allowed")
    page.wait_for_selector(".certlib-purpose-explorer .certlib-reasons[data-outcome='allowed']")
    page.wait_for_selector(".certlib-purpose-explorer .certlib-eku-clientAuth input:not(:checked)")
    page.screenshot(path=str(ARTIFACTS / "browser-explorer.png"), full_page=False)
    _assert_fits(page, "02-extended-key-usage.ipynb (after the clicks)", 5)
    page.close()
    watch.check("02-extended-key-usage.ipynb")
    assert time.monotonic() - t0 < 60


def test_certificate_inspector_upload(lab: Lab, browser: object, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    cert_file = tmp_path / "server.cer"
    cert_file.write_bytes(forge(PRESETS["iis_server"]).der)
    page, watch = _new_page(browser)
    _open_and_run_all(page, lab, "01-client-vs-server.ipynb")
    inspector = page.locator(".certlib-certificate-inspector")
    inspector.wait_for()
    _assert_widgets_rendered(page)
    _assert_fits(page, "01-client-vs-server.ipynb", 5)
    inspector.scroll_into_view_if_needed()
    # ipywidgets' FileUpload keeps its <input type=file> detached: answer its file chooser
    with page.expect_file_chooser() as chooser:
        inspector.locator("button.certlib-inspector-upload").click()
    chooser.value.set_files(str(cert_file))
    grid = inspector.locator(".certlib-inspector-output .certlib-verdict-grid")
    grid.wait_for()
    out = inspector.locator(".certlib-inspector-output").inner_text()
    assert "www.contoso.com" in out
    assert "PRIVATE KEY" not in out
    assert inspector.locator("td.verdict").count() == 30  # the certificate judged alone
    assert inspector.locator(".certlib-cell").count() == 30  # the clickable grid
    inspector.locator(cell_selector("go", "code_signing")).click()
    page.wait_for_selector(
        ".certlib-inspector-reasons .certlib-reasons"
        "[data-profile='go'][data-purpose='code_signing']"
    )
    inspector.screenshot(path=str(ARTIFACTS / "browser-inspector.png"))
    _assert_fits(page, "01-client-vs-server.ipynb (certificate uploaded)", 5)
    page.close()
    watch.check("01-client-vs-server.ipynb")


def test_inventory_browser_in_jupyterlab(lab: Lab, browser: object) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    # notebook 05 reads ../data/sample-inventory relative to itself
    data = lab.root.parent / "data" / "sample-inventory"
    if not data.exists():
        shutil.copytree(ROOT / "data" / "sample-inventory", data)
    page, watch = _new_page(browser)
    _open_and_run_all(page, lab, "05-inventory.ipynb")
    assert _all_cells_ran(page), "not every cell of notebook 05 shows an execution count"
    _assert_widgets_rendered(page)
    _assert_fits(page, "05-inventory.ipynb", 5)
    ib = page.locator(".certlib-inventory-browser")
    ib.wait_for()
    ib.scroll_into_view_if_needed()
    sel = ".certlib-inventory-browser div.certlib-browser-count"
    page.wait_for_selector(f"{sel}[data-visible='18'][data-total='18']")
    assert ib.locator("tr.certlib-browser-row").count() == 18
    assert ib.locator("td.verdict").count() == 14 * 6

    ib.locator(".certlib-browser-text input").fill("contoso root")
    page.wait_for_selector(f"{sel}[data-visible='2']")
    assert ib.locator("tr.certlib-browser-row").count() == 2
    ib.locator("tr.certlib-browser-row[data-index='8']").click()  # a click on the row picks it
    detail = ib.locator(".certlib-browser-detail .certlib-browser-detail")
    page.wait_for_selector(".certlib-browser-detail h4:text-is('Contoso Root CA')")
    assert ib.locator(".certlib-browser-rows select").input_value() is not None
    table_box = ib.locator(".widget-html-content > div.certlib-browser-table").bounding_box()
    detail_box = detail.bounding_box()
    assert table_box and detail_box
    gap = detail_box["y"] - (table_box["y"] + table_box["height"])
    assert 0 <= gap < 60, f"the detail panel is {gap:.0f} px below the table"
    assert detail.locator("ul.certlib-sources li").count() == 7
    assert detail.locator(".certlib-reasons").count() == 6

    ib.locator(".certlib-browser-profile select").select_option(label="OpenSSL 3.0")
    page.wait_for_selector(".certlib-browser-verdicts[data-profile='openssl']")
    ib.locator(".certlib-browser-text input").fill("")
    page.wait_for_selector(f"{sel}[data-visible='18']")
    ib.locator(".certlib-browser-status select").select_option(label="error")
    page.wait_for_selector(f"{sel}[data-visible='4']")
    assert ib.locator("tr.certlib-row-error").count() == 4
    ib.screenshot(path=str(ARTIFACTS / "browser-inventory-browser.png"))
    _assert_fits(page, "05-inventory.ipynb (row selected)", 5)
    page.close()
    watch.check("05-inventory.ipynb")


# 01, 02 and 05 are checked by the tests above, which run them anyway.
@pytest.mark.parametrize(
    "notebook", ["00-start-here.ipynb", "03-key-usage-meets-eku.ipynb", "04-who-decides.ipynb"]
)
def test_notebook_fits_1280x720(lab: Lab, browser: object, notebook: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page, watch = _new_page(browser)
    _open_and_run_all(page, lab, notebook)
    assert _all_cells_ran(page), f"not every cell of {notebook} shows an execution count"
    _assert_widgets_rendered(page)
    _assert_fits(page, notebook, 3)
    page.screenshot(path=str(ARTIFACTS / f"browser-{notebook[:2]}-1280x720.png"))
    page.close()
    watch.check(notebook)
