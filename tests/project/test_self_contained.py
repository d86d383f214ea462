"""The checkout stands alone: nothing tracked points outside it, and every citation resolves.

Learners and users have only the clone. Design notes that live beside our own checkout are not
theirs, so no tracked file may name them; and every "semantics §N" citation (in code, reasons,
notebooks, docs) and every link to ``docs/semantics.md#…`` must land on a heading that exists.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

from conftest import ROOT

SEMANTICS = ROOT / "docs" / "semantics.md"

# Spelled in pieces so that this file, which is scanned too, does not match itself.
_OUTSIDE = [
    r"\.\./" + "shared",
    "/work/" + "shared",
    "CERTLIB_" + "SHARED",
    "SEMANTICS" + r"\.md",
    "SEMANTICS" + " §",
    "INPUTS" + r"\.md",
    "INPUTS" + " §",
    "JUPYTER" + r"\.md",
    "ARCHITECTURE" + r"\.md",
]
OUTSIDE = re.compile("|".join(_OUTSIDE))

#: ``semantics §3.3``, ``semantics.md §1.6.2``, ``semantics §6.2–6.3`` (a range names both ends).
CITATION = re.compile(
    r"semantics(?:\.md)?\)?\s*§\s*(\d+(?:\.\d+)*)(?:\s*[–-]\s*§?(\d+(?:\.\d+)*))?"
)
#: ``semantics.md#s3-3`` in a Markdown link.
LINK = re.compile(r"semantics\.md#([A-Za-z0-9_-]+)")
#: ``## <a id="s3-3"></a>3.3 Title``: the anchor and the number it must carry.
HEADING = re.compile(r'^#{1,6} <a id="(s[0-9-]+)"></a>(\d+(?:\.\d+)*)\.? ', re.M)


@cache
def tracked() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [ROOT / name for name in out.split("\0") if name]


@cache
def texts() -> dict[Path, str]:
    found: dict[Path, str] = {}
    for path in tracked():
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:4096]:
            continue  # binary (DER, PFX, zip …)
        found[path] = data.decode("utf-8", "replace")
    return found


@cache
def headings() -> dict[str, str]:
    """Section number -> anchor id, from docs/semantics.md."""
    return {num: anchor for anchor, num in HEADING.findall(SEMANTICS.read_text(encoding="utf-8"))}


def test_the_scan_sees_the_whole_checkout() -> None:
    files = texts()
    assert len(tracked()) >= 150
    assert Path(__file__).resolve() in files
    assert any(p.suffix == ".ipynb" for p in files) and any(p.suffix == ".py" for p in files)


def test_no_tracked_file_points_outside_the_checkout() -> None:
    hits = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}"
        for path, text in texts().items()
        for n, line in enumerate(text.splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert hits == [], "tracked lines refer to files outside the repository:\n" + "\n".join(hits)


def test_the_pattern_catches_what_it_must() -> None:
    for bad in ("../" + "shared/docs/x", "see SEMANTICS" + ".md", "(SEMANTICS" + " §3.3)"):
        assert OUTSIDE.search(bad), bad
    assert not OUTSIDE.search("docs/architecture.md and docs/semantics.md §3.3")


def test_semantics_headings_have_stable_anchors() -> None:
    numbered = headings()
    assert len(numbered) >= 40
    for num, anchor in numbered.items():
        assert anchor == "s" + num.replace(".", "-"), (num, anchor)
    text = SEMANTICS.read_text(encoding="utf-8")
    assert len(HEADING.findall(text)) == len(numbered), "a section number is used twice"


def _citations() -> list[tuple[str, str]]:
    cited = []
    for path, text in texts().items():
        if path == SEMANTICS:
            continue
        for match in CITATION.finditer(text):
            cited += [(str(path.relative_to(ROOT)), n) for n in match.groups() if n]
    return cited


def test_every_semantics_citation_resolves() -> None:
    cited = _citations()
    files = {f for f, _ in cited}
    assert len(cited) >= 30, cited  # the notebooks, the profiles and the widgets all cite it
    assert any(f.startswith("notebooks/") for f in files)
    assert any(f.startswith("certlib/profiles/") for f in files)
    missing = sorted({(f, n) for f, n in cited if n not in headings()})
    assert missing == [], f"cited sections missing from docs/semantics.md: {missing}"


def test_every_link_to_semantics_lands_on_an_anchor() -> None:
    anchors = set(headings().values())
    links = [
        (str(path.relative_to(ROOT)), a)
        for path, text in texts().items()
        for a in LINK.findall(text)
    ]
    assert len(links) >= 10
    broken = sorted({(f, a) for f, a in links if a not in anchors})
    assert broken == [], f"links to anchors docs/semantics.md does not have: {broken}"


def test_notebook_links_to_semantics_are_relative_and_working() -> None:
    notebooks = [p for p in texts() if p.parent.name == "notebooks" and p.suffix == ".ipynb"]
    linked = 0
    for nb in notebooks:
        for target in re.findall(r"\]\(([^)\s]*semantics\.md[^)\s]*)\)", texts()[nb]):
            linked += 1
            file_part = target.split("#", 1)[0]
            assert (nb.parent / file_part).resolve() == SEMANTICS, (nb.name, target)
    assert linked >= 8


#: A relative Markdown link: ``[text](path)`` or ``[text](path#anchor)``, no scheme, no mailto.
RELATIVE_LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:)(?!#)([^)\s#]+)(?:#[^)\s]*)?\)")


def test_every_relative_link_in_docs_and_notebooks_resolves() -> None:
    """Moving a module must not leave a link in a doc, README or notebook pointing at nothing."""
    checked = 0
    broken = []
    for path, text in texts().items():
        if path.suffix not in (".md", ".ipynb") or "tests/data" in path.as_posix():
            continue
        for target in RELATIVE_LINK.findall(text):
            checked += 1
            if not (path.parent / target).exists():
                broken.append(f"{path.relative_to(ROOT)} -> {target}")
    assert broken == []
    assert checked >= 30
