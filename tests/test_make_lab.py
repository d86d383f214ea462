"""`make lab` really serves the notebooks and opens at 00-start-here (README's first command)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_script_serves_the_start_notebook(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    for name in ("CONFIG", "RUNTIME", "DATA"):
        env[f"JUPYTER_{name}_DIR"] = str(tmp_path / name.lower())
    env["JUPYTERLAB_SETTINGS_DIR"] = str(tmp_path / "settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp_path / "workspaces")
    venv = Path(sys.executable).parent.parent
    proc = subprocess.Popen(
        ["sh", "scripts/lab.sh", str(venv), str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        first = "".join(proc.stdout.readline() for _ in range(2))
        url = re.search(
            r"http://127\.0\.0\.1:\d+/lab/tree/00-start-here\.ipynb\?token=(\w+)", first
        )
        assert url, first
        token = url.group(1)
        api = f"http://127.0.0.1:{port}/api/contents?token={token}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(api, timeout=5) as r:
                    listing = json.load(r)
                break
            except OSError:
                assert proc.poll() is None, "jupyter lab exited early"
                assert time.monotonic() < deadline, "jupyter lab did not come up in 60 s"
                time.sleep(0.5)
        names = sorted(c["name"] for c in listing["content"] if c["type"] == "notebook")
        assert names == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
        assert "00-start-here.ipynb" in names
        with urllib.request.urlopen(url.group(0), timeout=10) as page:
            assert page.status == 200 and b"JupyterLab" in page.read()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
