"""The inventory on a Dask LocalCluster (1 and 2 worker processes) against
``stream_inventory`` on the same machine (issue 16).

Input: ``bench_inventory.generate``'s seeded EC pile (root, intermediate, leaves of four
shapes), cut into PEM files of ``--per-file`` certificates (the Dask scan reads runs of files
per partition, so one bundle would be one partition), cached under ``benchmarks/out/scale-N/``.
Leaves and their issuers land in different partitions (the issuers are in the first file).

Each measurement runs in a fresh subprocess: ``stream`` (``stream_inventory`` to one Parquet
file, ``--workers`` processes) and ``dask`` (``read_inventory_dask`` written as a Parquet
folder by the workers, LocalCluster of ``--workers`` single-threaded processes). Reported:
wall seconds, certificates per second, the scaling ratio (2 workers / 1), the bytes moved
between workers (the shuffle volume; 0 with one worker, whose shuffles stay in process) and the
peak RSS of each worker process.

    .venv/bin/python benchmarks/bench_scale.py --n 100000          # what docs/scale.md shows
    .venv/bin/python benchmarks/bench_scale.py                     # 1,000,000 (long on 2 cores)
    .venv/bin/python benchmarks/bench_scale.py --memory            # 25,000 and 100,000

``--memory``: the same partition size at N and 4N (``--memory-n``, default 25,000 and
100,000), two workers, the CLI's path (each partition written where it is judged), reporting
each worker's peak RSS and peak managed bytes (the task results Dask holds, checked at every
task transition): with the staging store neither should grow with the input.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
OUT = HERE / "out"


def corpus(n: int, per_file: int) -> Path:
    """``generate(n)``'s bundle cut into files of ``per_file`` certificates (cached)."""
    from bench_inventory import generate

    src = generate(n, OUT / f"million-{n}", files=False)
    folder = OUT / f"scale-{n}-{per_file}"
    if (folder / "DONE").exists():
        return folder / "parts"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "parts").mkdir(parents=True)
    end = b"-----END CERTIFICATE-----\n"
    chunk: list[bytes] = []
    k = 0
    with open(src / "bundle.pem", "rb") as fh:
        block = b""
        for line in fh:
            block += line
            if line == end:
                chunk.append(block)
                block = b""
                if len(chunk) == per_file:
                    (folder / "parts" / f"{k:06d}.pem").write_bytes(b"".join(chunk))
                    chunk, k = [], k + 1
    if chunk:
        (folder / "parts" / f"{k:06d}.pem").write_bytes(b"".join(chunk))
    (folder / "DONE").write_text(str(n))
    return folder / "parts"


def measure_stream(path: Path, workers: int) -> dict:
    from certlib.inventory import stream_inventory

    target = OUT / "scale-stream.parquet"
    t0 = time.perf_counter()
    summary = stream_inventory(path, target, workers=workers, progress=False, overwrite=True)
    seconds = time.perf_counter() - t0
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "rows": summary["rows"], "rss_mb": [me, kids]}


def _worker_stats(dask_worker) -> dict:
    moved = sum(e.get("total", 0) for e in dask_worker.transfer_incoming_log)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"in_bytes": moved, "peak_mb": peak}


@contextlib.contextmanager
def _client(workers: int, plugin: object | None = None) -> Iterator[Any]:
    """A client of ``workers`` single-threaded worker processes, ``plugin`` registered and
    certlib imported in each (imports are not the scan)."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as lc,
        Client(lc) as client,
    ):
        if plugin is not None:
            client.register_plugin(plugin)
        client.run(lambda: __import__("certlib.scale.plan"))
        yield client


def measure_dask(path: Path, workers: int, partition_size: int) -> dict:
    import dask

    from certlib.scale import read_inventory_dask
    from certlib.scale.write import prepare_folder, summarise, tally_parts

    dask.config.set({"distributed.admin.low-level-log-length": 10_000_000})
    folder = OUT / "scale-dask"
    shutil.rmtree(folder, ignore_errors=True)
    with _client(workers) as client:
        t0 = time.perf_counter()
        ddf = read_inventory_dask(
            path, client=client, partition_size=partition_size, exact_categories=False
        )
        tallies = client.compute(tally_parts(ddf, prepare_folder(folder))).result()
        seconds = time.perf_counter() - t0
        stats = client.run(_worker_stats)
        partitions = ddf.npartitions
    total = summarise(tallies)
    return {
        "seconds": seconds,
        "rows": total["rows"],
        "partitions": partitions,
        "shuffle_bytes": sum(s["in_bytes"] for s in stats.values()),
        "peak_mb": sorted(s["peak_mb"] for s in stats.values()),
    }


class _PeakManaged:
    """Worker plugin (registered by instance): peak ``worker.state.nbytes``."""

    name = "bench-peak-managed"

    def setup(self, worker) -> None:
        self.worker, self.peak = worker, 0

    def transition(self, key, start, finish, **kw) -> None:
        self.peak = max(self.peak, self.worker.state.nbytes)


def _peak_managed(dask_worker) -> int:
    return dask_worker.plugins[_PeakManaged.name].peak


def measure_memory(path: Path, workers: int, partition_size: int) -> dict:
    """One scan written where judged (``write_to``), as ``certlib scan --dask`` runs it."""
    from distributed.diagnostics.plugin import WorkerPlugin

    from certlib.scale import read_inventory_dask
    from certlib.scale.write import prepare_folder, summarise

    plugin = type("PeakManaged", (_PeakManaged, WorkerPlugin), {})()
    folder = OUT / "scale-memory"
    shutil.rmtree(folder, ignore_errors=True)
    with _client(workers, plugin) as client:
        t0 = time.perf_counter()
        ddf = read_inventory_dask(
            path,
            client=client,
            partition_size=partition_size,
            exact_categories=False,
            write_to=prepare_folder(folder),
        )
        tallies = client.compute(ddf).result()
        seconds = time.perf_counter() - t0
        stats = client.run(_worker_stats)
        managed = client.run(_peak_managed)
    return {
        "seconds": seconds,
        "rows": summarise(tallies)["rows"],
        "partitions": len(tallies),
        "peak_mb": sorted(s["peak_mb"] for s in stats.values()),
        "managed_mb": sorted(m / 2**20 for m in managed.values()),
    }


def _sub(kind: str, path: Path, workers: int, partition_size: int) -> dict:
    cmd = [sys.executable, __file__, "--measure", kind, "--path", str(path)]
    cmd += ["--workers", str(workers), "--partition-size", str(partition_size)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="certificates (default 1M)")
    ap.add_argument("--per-file", type=int, default=1000, help="certificates per PEM file")
    ap.add_argument("--partition-size", type=int, default=10, help="files per Dask partition")
    ap.add_argument("--memory", action="store_true", help="peak memory per worker at N and 4N")
    ap.add_argument("--memory-n", type=int, default=25_000, help="N of --memory (and 4N)")
    ap.add_argument(
        "--kinds",
        default="stream,dask",
        help="which runs: stream, dask or both (stream_inventory's million run is also in "
        "bench_inventory.py --million)",
    )
    ap.add_argument("--measure", choices=("stream", "dask", "memory"), help=argparse.SUPPRESS)
    ap.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure == "stream":
        print(json.dumps(measure_stream(args.path, args.workers)))
        return 0
    if args.measure == "dask":
        print(json.dumps(measure_dask(args.path, args.workers, args.partition_size)))
        return 0
    if args.measure == "memory":
        print(json.dumps(measure_memory(args.path, args.workers, args.partition_size)))
        return 0
    if args.memory:
        results = {"per_file": args.per_file, "partition_size": args.partition_size}
        for n in (args.memory_n, 4 * args.memory_n):
            results[str(n)] = r = _sub("memory", corpus(n, args.per_file), 2, args.partition_size)
            print(f"memory n={n}: {r}", file=sys.stderr, flush=True)
        print(json.dumps(results, indent=1))
        return 0
    path = corpus(args.n, args.per_file)
    results = {"n": args.n, "per_file": args.per_file, "partition_size": args.partition_size}
    kinds = [k for k in ("stream", "dask") if k in args.kinds.split(",")]
    for kind in kinds:
        for w in (1, 2):
            results[f"{kind}-{w}"] = r = _sub(kind, path, w, args.partition_size)
            print(f"{kind} workers={w}: {r}", file=sys.stderr, flush=True)
    for kind in kinds:
        one, two = results[f"{kind}-1"]["seconds"], results[f"{kind}-2"]["seconds"]
        results[f"{kind}-scaling"] = one / two
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
