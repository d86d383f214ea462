"""Timing helpers the benchmarks share, and writing results into docs/benchmarks.md.

Each benchmark owns the text between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``; the rest
of the file (prose, other benchmarks' tables) is left untouched.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def timed(fn: Callable[[], object], n: int) -> list[float]:
    """Wall-clock seconds (``time.perf_counter``) of ``n`` calls of ``fn``, one sample each."""
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def median_ms(samples: list[float]) -> float:
    """The median of samples in seconds, in milliseconds."""
    return statistics.median(samples) * 1000


def median_table(rows: list[tuple[str, float, str]]) -> str:
    """A Markdown table of (measurement, median in ms, target) rows."""
    return "| measurement | median | target |\n|---|---|---|\n" + "\n".join(
        f"| {name} | {ms:.2f} ms | {target} |" for name, ms, target in rows
    )


def machine() -> str:
    """One line naming where the numbers come from, so a reader can judge them."""
    return (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}, {platform.system()}"
    )


def write_section(name: str, markdown: str, doc: Path = DOC) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    block = f"{start}\n{markdown.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else f"{text}\n{block}\n"
    doc.write_text(text)
