"""How long one explorer toggle takes: forge + 30 verdicts + render, as the widget does it.

Drives :class:`certlib.widgets.explorer.PurposeExplorer` without a kernel (observers fire
synchronously), alternating one Key Usage checkbox so every sample forges a new certificate.
Measured self-signed (certificate alone) and issued by a CA (chain-aware verdicts), EC and RSA,
plus the inspector on a PEM paste. Target: median ≤ 50 ms per toggle.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import machine, median_ms, median_table, timed, write_section

from certlib.cert.forge import PRESETS, forge
from certlib.core.memo import Memo
from certlib.widgets.explorer import PurposeExplorer
from certlib.widgets.inspector import InspectorModel


def toggler(issuer: str, key_type: str) -> Callable[[], None]:
    ex = PurposeExplorer(preset="iis_server")
    ex.controls["issuer"].value = issuer
    ex.controls["key_type"].value = key_type
    box = ex.controls["ku-key_agreement"]

    def toggle() -> None:
        box.value = not box.value
        assert len(ex.grid.outcomes()) == 30  # the clickable grid was repainted

    toggle()  # warm caches (keys, issuers)
    return toggle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=100, help="samples per measurement")
    parser.add_argument("--write", action="store_true", help="rewrite docs/benchmarks.md")
    args = parser.parse_args()

    rows = []
    for issuer, key_type, label in (
        ("self", "ec", "toggle, self-signed EC leaf"),
        ("ca", "ec", "toggle, EC leaf issued by a CA (chain-aware)"),
        ("self", "rsa", "toggle, self-signed RSA-2048 leaf"),
        ("ca", "rsa", "toggle, RSA-2048 leaf issued by a CA (chain-aware)"),
    ):
        samples = timed(toggler(issuer, key_type), args.n)
        rows.append((label, median_ms(samples), "≤ 50 ms"))

    pem = forge(PRESETS["iis_server"], memo=Memo()).pem
    model = InspectorModel()
    pastes = iter(range(10**9))

    def inspect() -> None:
        # a new name each time: the model skips input it has just read
        model.inspect([(f"pasted {next(pastes)}", pem)])
        model.render()

    rows.append(
        (
            "inspector: PEM paste → grid + views",
            median_ms(timed(inspect, args.n)),
            "—",
        )
    )
    table = median_table(rows)
    text = f"{table}\n\nMachine: {machine()}; {args.n} samples each (forge + verdicts + HTML)."
    print(text)
    if args.write:
        write_section("widgets", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
