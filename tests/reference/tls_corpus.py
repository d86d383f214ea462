"""The Go oracle's corpus (tests/reference/go_corpus.py), moved in time so real handshakes can
judge it.

Python's ``ssl`` verifies at the current time only, so every scenario is re-forged with all
validity periods shifted by a whole number of days: the checking time ``AT`` lands on today
(``AT + shift <= now < AT + shift + 1 day``) and every certificate keeps its place relative to
it (expired, not yet valid, current). Keys, names and extensions are unchanged; serial numbers
and signatures differ because the validity does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from go_corpus import AT, Scenario, corpus

from certlib.cert.forge import REFERENCE_TIME, Forged, forge
from certlib.core.memo import Memo


def shift_for(now: datetime) -> timedelta:
    """The whole days that move ``AT`` to the start of ``now``'s day-long window."""
    return timedelta(days=(now - AT) // timedelta(days=1))


def retimed(seed: int, count: int, now: datetime | None = None) -> list[Scenario]:
    """``corpus(seed, count)`` with every validity shifted so ``AT`` becomes ``now``."""
    now = now or datetime.now(UTC)
    shift = shift_for(now)
    out = []
    keys = Memo()  # one for the whole corpus: each seeded key is derived once
    for sc in corpus(seed, count):
        memo: dict[int, Forged] = {}

        def move(f: Forged, memo: dict[int, Forged] = memo) -> Forged:
            if id(f) not in memo:
                issuer = move(f.issuer) if f.issuer is not None else None
                start = f.spec.not_before or (REFERENCE_TIME - timedelta(days=1))
                memo[id(f)] = forge(
                    f.spec.with_(not_before=start + shift), issuer, seed=seed, memo=keys
                )
            return memo[id(f)]

        out.append(
            Scenario(
                sc.id,
                move(sc.leaf),
                [move(c) for c in sc.intermediates],
                [move(c) for c in sc.roots],
                now,
                sc.hostname,
                set(sc.features),
            )
        )
    return out
