"""Dask scale-out: documents per second of the same extraction in-process, on a 1-worker and on a
2-worker LocalCluster, measured in one run on the same corpus.

    .venv/bin/python benchmarks/batch_scaling.py [--copies 5] [--partition-size 250]

Targets: 2 workers >= 1.7x the documents per second of 1 worker; the distributed run costs no
more than 15% per document over plain in-process extraction (1 worker vs in-process). The corpus
is the State Department releases replicated N times with changed URLs (N=5: 10,125 documents).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import replicate  # noqa: E402


def main() -> None:
    from communique.runners.batch import Partition, process_partition, run_batch
    from communique.sources import FieldMap, Item, read_items

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--corpus", default=os.environ.get("COMMUNIQUE_CORPUS", str(ROOT.parent / "shared/corpus"))
    )
    ap.add_argument("--copies", type=int, default=5)
    ap.add_argument("--partition-size", type=int, default=250)
    args = ap.parse_args()
    fm = FieldMap(text="content_html", title="title", date="pubDate", url="link")
    src = Path(args.corpus) / "state-department/press-releases-2021-2022.jsonl.gz"
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "corpus.jsonl.gz"
        n = replicate(src, data, args.copies)
        items = [it for it in read_items([str(data)], fm) if isinstance(it, Item)]

        # in-process: the same per-partition work, no Dask
        if hasattr(os, "sched_setaffinity"):
            cores = os.sched_getaffinity(0)
            os.sched_setaffinity(0, {sorted(cores)[0]})
        start = time.perf_counter()
        for i in range(0, len(items), args.partition_size):
            process_partition(
                Partition(i, "x", items[i : i + args.partition_size]), str(Path(tmp) / "inproc")
            )
        inproc = time.perf_counter() - start
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, cores)

        rates = {}
        for workers in (1, 2):
            out = Path(tmp) / f"out{workers}"
            s = run_batch(iter(items), out, workers=workers, partition_size=args.partition_size)
            rates[workers] = s.documents / s.seconds
        print(
            f"{n} documents (State Department corpus x{args.copies}), partitions of {args.partition_size}"
        )
        print(f"  in-process (one core)      {n / inproc:8.1f} docs/s")
        print(
            f"  Dask LocalCluster 1 worker {rates[1]:8.1f} docs/s  "
            f"(cost per document +{(n / rates[1]) / inproc - 1:.1%} over in-process; target <= 15%)"
        )
        print(
            f"  Dask LocalCluster 2 workers{rates[2]:8.1f} docs/s  "
            f"(speed-up {rates[2] / rates[1]:.2f}x over 1 worker; target >= 1.7x)"
        )
        print(
            f"  per core: {rates[2] / 2:.0f} docs/s = {rates[2] / 2 * 86400:,.0f} documents a day"
        )


if __name__ == "__main__":
    main()
