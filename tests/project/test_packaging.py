"""environment.yml (conda/Binder) and pyproject.toml (pip) must describe the same install."""

from __future__ import annotations

import re
import tomllib

import yaml
from conftest import ROOT


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_environment_python_satisfies_requires_python() -> None:
    requires = _pyproject()["project"]["requires-python"]
    minimum = tuple(int(x) for x in re.fullmatch(r">=\s*(\d+)\.(\d+)", requires).groups())
    pythons = [
        d for d in _environment()["dependencies"] if isinstance(d, str) and d.startswith("python")
    ]
    assert len(pythons) == 1, pythons
    version = tuple(int(x) for x in pythons[0].split("=")[-1].split(".")[:2])
    assert version >= minimum


def test_environment_installs_the_package_through_pip() -> None:
    deps = _environment()["dependencies"]
    pip_lists = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert len(pip_lists) == 1
    assert "pip" in deps
    assert any(re.fullmatch(r"(-e\s+)?\.(\[[\w,]+\])?", line) for line in pip_lists[0])


def test_environment_pins_nothing_pyproject_pins_differently() -> None:
    """Any package named in both files must carry the same version constraint."""
    ours = {}
    for spec in _pyproject()["project"]["dependencies"]:
        name = re.split(r"[<>=!~\[ ]", spec, maxsplit=1)[0].lower().replace("_", "-")
        ours[name] = spec[len(name) :].strip()
    for dep in _environment()["dependencies"]:
        if not isinstance(dep, str):
            continue
        name, _, version = dep.partition("=")
        name = name.lower().replace("_", "-")
        if name in ours and version:
            assert ours[name].lstrip("=") == version.lstrip("="), (name, ours[name], version)


def test_jupyterlab_and_ipywidgets_are_pinned_as_a_pair() -> None:
    deps = {
        re.split(r"[<>=!~\[ ]", d, maxsplit=1)[0].lower().replace("_", "-"): d
        for d in _pyproject()["project"]["dependencies"]
    }
    for name in ("jupyterlab", "ipywidgets", "jupyterlab-widgets"):
        assert "==" in deps[name], f"{name} must be pinned exactly: {deps[name]}"
