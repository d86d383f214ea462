"""`make lab` really serves the notebooks and opens at 00-start-here (README's first command);
`make lab` and `make app` both need a random token that no other user can read in ``ps``."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import ROOT

VENV = Path(sys.executable).parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE")
    }
    for name in ("CONFIG", "RUNTIME", "DATA"):
        env[f"JUPYTER_{name}_DIR"] = str(tmp_path / name.lower())
    env["JUPYTERLAB_SETTINGS_DIR"] = str(tmp_path / "settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp_path / "workspaces")
    return env


def _start(script: str, port: int, tmp_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["sh", script, str(VENV), str(port)],
        cwd=ROOT,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen[str]) -> None:
    """SIGTERM the server's process group (the script exec'd the server), SIGKILL after 30 s."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (kernels run in their own session: walk ppids)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def _command_lines(pid: int) -> list[bytes]:
    lines = []
    for p in _descendants(pid):
        try:
            lines.append(Path(f"/proc/{p}/cmdline").read_bytes())
        except OSError:
            continue
    return lines


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _status_without_token(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=30) as r:
            return r.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")


def _wait(proc: subprocess.Popen[str], url: str, name: str, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=60)
        except urllib.error.HTTPError:
            raise
        except OSError:
            assert proc.poll() is None, f"{name} exited early"
            assert time.monotonic() < deadline, f"{name} did not come up in {seconds} s"
            time.sleep(0.5)


def _assert_refused(status: int, location: str) -> None:
    assert status == 403 or (status == 302 and "/login" in location), (status, location)


def test_lab_script_serves_the_start_notebook(tmp_path: Path) -> None:
    port = _free_port()
    proc = _start("scripts/lab.sh", port, tmp_path)
    try:
        first = "".join(proc.stdout.readline() for _ in range(2))
        url = re.search(
            r"http://127\.0\.0\.1:\d+/lab/tree/00-start-here\.ipynb\?token=(\w+)", first
        )
        assert url, first
        token = url.group(1)
        assert len(token) == 48
        api = f"http://127.0.0.1:{port}/api/contents"
        with _wait(proc, f"{api}?token={token}", "jupyter lab") as r:
            listing = json.load(r)
        names = sorted(c["name"] for c in listing["content"] if c["type"] == "notebook")
        assert names == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
        assert "00-start-here.ipynb" in names
        with urllib.request.urlopen(url.group(0), timeout=10) as page:
            assert page.status == 200 and b"JupyterLab" in page.read()
        _assert_refused(*_status_without_token(api))
        _assert_refused(*_status_without_token(f"{api}?token=wrong{token}"))
        lines = _command_lines(proc.pid)
        assert any(b"jupyter" in line for line in lines), lines
        assert all(token.encode() not in line for line in lines)
    finally:
        _stop(proc)


def test_app_script_needs_its_token_and_hides_it(tmp_path: Path) -> None:
    port = _free_port()
    proc = _start("scripts/app.sh", port, tmp_path)
    try:
        first = "".join(proc.stdout.readline() for _ in range(2))
        url = re.search(rf"http://127\.0\.0\.1:{port}/\?token=(\w+)", first)
        assert url, first
        token = url.group(1)
        assert len(token) == 48
        root = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 90
        while True:  # up once it answers at all (a refusal is an answer)
            try:
                status, location = _status_without_token(root)
                break
            except OSError:
                assert proc.poll() is None, "voila exited early"
                assert time.monotonic() < deadline, "voila did not come up in 90 s"
                time.sleep(0.5)
        _assert_refused(status, location)
        _assert_refused(*_status_without_token(f"{root}?token=wrong{token}"))
        with urllib.request.urlopen(url.group(0), timeout=120) as page:  # runs the notebook
            assert page.status == 200
            assert b"<html" in page.read(4096).lower()
            lines = _command_lines(proc.pid)  # while the kernel runs
        assert any(b"voila" in line for line in lines), lines
        assert any(b"ipykernel" in line for line in lines), lines  # the kernel was checked too
        assert all(token.encode() not in line for line in lines)
    finally:
        _stop(proc)
