"""Vendor x509-limbo's online testcases (real site chains) into ``x509-limbo-online.json``.

Upstream keeps each online case as one pre-generated testcase JSON under
``limbo/_assets/online/<host>.limbo.json`` (a bot refreshes them from the live sites). This
reads those files from a bare git mirror of C2SP/x509-limbo at a given commit and writes them,
unchanged except for the fields noted in ``source.changes``, in the same top-level layout as
``x509-limbo-eku-ku.json``.

``python tests/reference/limbo_online.py GIT_DIR [COMMIT]`` rewrites the file (COMMIT defaults to
HEAD).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "x509-limbo" / "x509-limbo-online.json"
ASSETS = "limbo/_assets/online/"
#: Fields of a limbo testcase we keep, in upstream's order (the schema of the eku-ku subset).
FIELDS = (
    "id",
    "conflicts_with",
    "features",
    "importance",
    "description",
    "validation_kind",
    "trusted_certs",
    "untrusted_intermediates",
    "peer_certificate",
    "validation_time",
    "signature_algorithms",
    "key_usage",
    "extended_key_usage",
    "expected_result",
    "expected_peer_name",
    "expected_peer_names",
    "max_chain_depth",
    "crls",
)


def _git(git_dir: str, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", git_dir, *args], capture_output=True, text=True, check=True
    ).stdout


def build(git_dir: str, commit: str = "HEAD") -> dict[str, object]:
    """The vendored document for the online cases at ``commit`` of the mirror ``git_dir``."""
    sha, date = _git(git_dir, "log", "-1", "--format=%H %cI", commit).split()
    assets_sha, assets_date = _git(
        git_dir, "log", "-1", "--format=%H %cI", sha, "--", ASSETS
    ).split()
    paths = sorted(
        p for p in _git(git_dir, "ls-tree", "-r", "--name-only", sha, ASSETS).split() if p
    )
    cases = []
    dropped: set[str] = set()
    for path in paths:
        raw = json.loads(_git(git_dir, "show", f"{sha}:{path}"))
        missing = [k for k in FIELDS if k not in raw]
        if missing:
            raise SystemExit(f"{path}: upstream schema changed, fields missing: {missing}")
        dropped |= {k for k in raw if k not in FIELDS}
        case = {k: raw[k] for k in FIELDS}
        case["category"] = "online"
        cases.append(case)
    return {
        "about": (
            "The online (real-site chain) testcases of the C2SP x509-limbo path-validation test "
            "suite. See README.md in this folder for provenance."
        ),
        "source": {
            "repository": "https://github.com/C2SP/x509-limbo",
            "license": "Apache-2.0 (LICENSE file in this folder, copied from upstream)",
            "commit": sha,
            "commit_date": date,
            "assets_last_changed": {"commit": assets_sha, "date": assets_date},
            "selection": f"every file under {ASSETS} at that commit (upstream's pre-generated "
            "online cases, made by limbo/testcases/online.py from the live sites)",
            "changes": "fields outside the eku-ku subset's schema are dropped ("
            + (", ".join(sorted(dropped)) or "none")
            + "); 'category' = 'online' is added by us; certificates are byte-exact",
        },
        "selection": {"online": [c["id"] for c in cases]},
        "testcases": cases,
    }


def main(argv: list[str]) -> None:
    git_dir = argv[1]
    commit = argv[2] if len(argv) > 2 else "HEAD"
    doc = build(git_dir, commit)
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(doc['testcases'])} testcases to {OUT}")


if __name__ == "__main__":
    main(sys.argv)
