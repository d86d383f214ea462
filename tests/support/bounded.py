"""Run a piece of Python or a command in a child process bounded in time and memory.

The hostile-input tests use it so that a hang or a runaway allocation fails one test with a
clear message instead of freezing or killing the whole pytest run.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass

#: Default limits: generous for a scan of a few small files, far below what a runaway needs.
TIMEOUT_S = 60.0
MEMORY_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class Outcome:
    """What the bounded child did: its exit code (None on time-out) and its output."""

    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool


def _limit(memory: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


def run_bounded(
    argv: list[str],
    *,
    timeout: float = TIMEOUT_S,
    memory: int = MEMORY_BYTES,
    cwd: str | os.PathLike[str] | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> Outcome:
    """Run ``argv`` with an address-space limit of ``memory`` bytes for at most ``timeout`` s."""
    try:
        proc = subprocess.run(
            argv,
            input=stdin,
            capture_output=True,
            timeout=timeout,
            preexec_fn=_limit(memory),
            cwd=cwd,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode("utf-8", "replace")
        err = (exc.stderr or b"").decode("utf-8", "replace")
        return Outcome(None, out, err, timed_out=True)
    return Outcome(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        timed_out=False,
    )


def run_python(code: str, **kwargs) -> Outcome:
    """Run ``code`` with this interpreter under :func:`run_bounded`."""
    return run_bounded([sys.executable, "-c", code], **kwargs)


def run_cli(*args: str, **kwargs) -> Outcome:
    """Run ``certlib ARGS…`` (as ``python -m certlib``) under :func:`run_bounded`."""
    return run_bounded([sys.executable, "-m", "certlib", *args], **kwargs)
