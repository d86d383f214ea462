"""The README's promises hold: its Python snippets run, and its first CLI example works."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

README = (ROOT / "README.md").read_text()
BIN = Path(sys.executable).parent


def test_readme_names_the_two_commands_and_ci_calls_one() -> None:
    assert "make lab" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_readme_python_blocks_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert len(blocks) == 2
    for block in blocks:
        subprocess.run([sys.executable, "-c", block], cwd=ROOT, check=True, timeout=300)


def test_readme_first_cli_example_scans_the_sample_inventory() -> None:
    first = re.search(r"```sh\n(certlib scan [^\n#]*?)\s*#", README)
    assert first is not None
    args = first.group(1).split()
    assert args == ["certlib", "scan", "data/sample-inventory"]
    done = subprocess.run(
        [str(BIN / "certlib"), *args[1:], "--no-progress", "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    files = [p for p in (ROOT / "data" / "sample-inventory").iterdir() if p.is_file()]
    assert len(lines) - 1 >= len(files) // 2  # header + one row per certificate or bad file
    assert "file(s)" in done.stderr  # the summary goes to stderr, data to stdout
