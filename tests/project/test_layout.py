"""The tree keeps its shape: tests mirror the package, no module grows past 900 lines, no two
sibling modules share a name prefix (the sign of a missing package)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "certlib"
TESTS = ROOT / "tests"
#: Test folders that are not a layer of the package: what checks across layers.
ACROSS = {"oracles", "notebooks", "project", "support", "reference", "data"}


def test_every_test_folder_is_a_layer_or_says_what_it_checks_across() -> None:
    folders = sorted(p.name for p in TESTS.iterdir() if p.is_dir() and p.name != "__pycache__")
    layers = [f for f in folders if f not in ACROSS]
    for name in layers:
        assert (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file(), name
    assert len(layers) >= 10
    assert not list(TESTS.glob("test_*.py")), "tests live in tests/<layer>/"


def test_no_module_over_900_lines() -> None:
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert len(sizes) >= 100
    assert {str(p.relative_to(ROOT)): n for p, n in sizes.items() if n > 900} == {}


def test_no_family_of_sibling_modules_sharing_a_prefix() -> None:
    checked = 0
    for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir())]:
        stems = [p.stem for p in folder.glob("*.py") if not p.stem.startswith("__")]
        stems += [p.name for p in folder.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
        prefixes = {m.group(1) for s in stems if (m := re.match(r"([a-z0-9]+)_", s))}
        for prefix in prefixes:
            sharing = [s for s in stems if s == prefix or s.startswith(prefix + "_")]
            assert len(sharing) < 2, (str(folder.relative_to(ROOT)), sharing)
        checked += 1
    assert checked >= 12


def _package_of(module: str) -> str:
    path = ROOT / Path(*module.split("."))
    return module if path.is_dir() else module.rpartition(".")[0]


def test_no_private_name_crosses_a_package() -> None:
    """A package uses another's public names only: ``from certlib.x import _y`` is allowed
    inside ``x``'s own package (or from a package above it, which owns it), never from beside
    or above — what one layer needs of another is part of that layer's API."""
    crossings, seen, modules = [], 0, 0
    for path in sorted((ROOT / "certlib").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        here = module if rel.name == "__init__" else module.rpartition(".")[0]
        nodes = list(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
        for node in nodes:
            if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("certlib")):
                continue
            there = _package_of(node.module)
            for alias in node.names:
                seen += 1
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and not (there == here or there.startswith(here + ".")):
                    crossings.append(f"{module}: from {node.module} import {alias.name}")
        # ``module._name`` through a module imported by name reaches in just the same
        for name, target in _imported_modules(nodes).items():
            there = _package_of(target)
            if there == here or there.startswith(here + "."):
                continue
            for node in nodes:
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == name
                    and node.attr.startswith("_")
                    and not node.attr.startswith("__")
                ):
                    crossings.append(f"{module}: {target}.{node.attr}")
            modules += 1
    assert seen > 500  # the walk saw the package's imports
    assert modules > 20  # … and the modules of other packages imported by name
    assert crossings == []


def _imported_modules(nodes: list[ast.AST]) -> dict[str, str]:
    """Local name -> certlib module, for modules a file (its walked ``nodes``) imports by
    name."""
    found = {}
    for node in nodes:
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("certlib.") and a.asname:
                    found[a.asname] = a.name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("certlib"):
            for a in node.names:
                target = f"{node.module}.{a.name}"
                as_path = ROOT / Path(*target.split("."))
                if as_path.is_dir() or as_path.with_suffix(".py").is_file():
                    found[a.asname or a.name] = target
    return found
