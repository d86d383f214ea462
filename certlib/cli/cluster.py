"""``certlib scan PATH... --dask ADDRESS -o folder/``: the scan on a Dask cluster.

``ADDRESS`` is a running scheduler (``tcp://host:8786``, what a Kubernetes, batch-system or
cloud deployment prints) or ``local`` for a ``LocalCluster`` of one single-threaded worker
process per CPU. The workers read the inputs, judge and write one Parquet file per partition
into the output folder (:mod:`certlib.scale.write`); this process lists the inputs, shows
Dask's progress bar on stderr and prints the summary from the partitions' tallies. Exit codes
and ``--fail-on`` are those of ``certlib scan``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

#: The hidden subfolder of the output folder where the workers stage partitions (the output
#: folder is shared with them already); removed when the scan ends, whatever the outcome.
STAGING = ".certlib-staging"


@contextlib.contextmanager
def client_for(address: str) -> Iterator[Any]:
    """A ``distributed.Client`` on ``address`` (``local``: a LocalCluster sized to this
    machine), closed afterwards (a LocalCluster too)."""
    from distributed import Client, LocalCluster

    if address == "local":
        workers = os.cpu_count() or 1
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
    else:
        # how long to try: Dask's distributed.comm.timeouts.connect (30 s unless configured)
        with Client(address) as client:
            yield client


def summary_text(total: dict[str, Any]) -> str:
    """``certlib scan``'s summary lines from :func:`certlib.scale.write.summarise`."""
    from certlib.cert.findings import FINDINGS

    status = total["status"]
    certs = int(status.get("ok", 0) + status.get("partial", 0))
    lines = [
        f"{certs} certificate(s) ({int(status.get('partial', 0))} partial), "
        f"{int(status.get('error', 0))} error row(s), {total['files']} file(s)"
    ]
    found = total["findings"]
    if found:
        rank = {c: i for i, c in enumerate(FINDINGS)}
        order = sorted(found, key=lambda c: (-found[c], rank.get(c, len(rank))))
        lines.append("findings: " + ", ".join(f"{c}={found[c]}" for c in order))
    return "\n".join(lines)


def fail_on(total: dict[str, Any], codes: set[str]) -> int:
    """1 when a ``--fail-on`` code (or ``error``) was found, else 0 (said on stderr)."""
    hits = set(total["findings"]) & codes
    if "error" in codes and total["status"].get("error", 0):
        hits.add("error")
    if hits:
        print(f"fail-on: found {', '.join(sorted(hits))}", file=sys.stderr)
        return 1
    return 0


def run_dask(args: argparse.Namespace, scan: dict[str, Any], codes: set[str]) -> int:
    """The ``--dask`` scan; 2 when it cannot run (no Dask, no scheduler, output refused)."""
    from certlib.core.terminal import printable

    def fail(msg: str) -> int:
        print(f"certlib scan: {printable(msg)}", file=sys.stderr)
        return 2

    try:
        from distributed import progress, wait

        from certlib.scale import read_inventory_dask
        from certlib.scale.write import prepare_folder, remove_folder, summarise
    except ImportError:
        return fail("--dask needs the scale extra: pip install 'certlib[scale]'")
    try:
        folder = prepare_folder(args.output, overwrite=args.force)
    except OSError as exc:
        return fail(f"cannot write output: {exc}")
    try:
        with client_for(args.dask) as client:
            if args.dask == "local" and not args.no_progress:
                print(f"dashboard: {client.dashboard_link}", file=sys.stderr)
            ddf = read_inventory_dask(
                args.paths,
                passwords=scan["passwords"],
                profile=scan["profile"],
                at=scan["at"],
                client=client,
                recursive=scan["recursive"],
                exact_categories=False,
                staging=folder / STAGING,  # the output folder is shared with the workers
                write_to=folder,  # each partition written by the task that judged it
            )
            fut = client.compute(ddf)
            if not args.no_progress and sys.stderr.isatty():  # as scan's own bar
                with contextlib.redirect_stdout(sys.stderr):
                    progress(fut)
            wait(fut)
            tallies = fut.result()
    except (OSError, TimeoutError) as exc:
        remove_folder(folder)
        return fail(f"cannot run on the Dask cluster {args.dask!r}: {exc}")
    finally:
        remove_folder(folder / STAGING)  # nothing but the parts stays in the output folder
    total = summarise(tallies)
    print(summary_text(total), file=sys.stderr)
    return fail_on(total, codes)
