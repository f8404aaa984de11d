"""How extraction time grows with document size: real readouts joined into texts of 10 KB up to
10 MB, each extracted in its own child process (one core), with the time per size, the ratio of
each size's time to the previous one (1 doubling of the size), and the peak memory.

    .venv/bin/python benchmarks/extract_scaling.py [--max-size 10000000] [--budget 300]

A linear extractor doubles its time when the size doubles (ratio ~2.0 per doubling); a quadratic
one quadruples it (~4.0). Sizes after one that took longer than ``--budget`` seconds are not run
(their time is extrapolated from the last ratio and marked ``~``). The size limit of ingest is
``--max-chars`` (2,000,000 characters by default; documents/limits.py): this measures the
extractor itself, without it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def readouts(source: str = "corpus") -> str:
    """Readouts as plain text: ``corpus``, 3 MB of State Department releases (when the corpus is
    there; else the examples); ``examples``, the ten example readouts of the repository (a long
    text made of them names the same few people and places over and over)."""
    from corpus import corpus_root, state_department

    from communique.documents import make_document

    texts: list[str] = []
    src = state_department(corpus_root())
    if source == "corpus" and src.exists():
        with gzip.open(src, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                try:
                    texts.append(make_document(rec["content_html"], fmt="html").text)
                except Exception:  # a release without text
                    continue
                if sum(map(len, texts)) > 3_000_000:
                    break
    else:
        texts = [p.read_text() for p in sorted((ROOT / "examples").glob("*.txt"))]
    return "\n\n".join(texts)


def one(size: int, source: str) -> None:
    """In the child: extract a text of ``size`` characters and print its figures as JSON."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from communique.documents import make_document
    from communique.extractor import extract_document

    base = readouts(source)
    text = (base * (size // len(base) + 1))[:size]
    doc = make_document(text, fmt="text")
    extract_document(make_document(base[:5000], fmt="text"))  # load the lexicons first
    started = time.process_time()
    readout = extract_document(doc)
    seconds = time.process_time() - started
    print(
        json.dumps(
            {
                "size": size,
                "seconds": seconds,
                "events": len(readout.events),
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-size", type=int, default=10_000)
    ap.add_argument("--max-size", type=int, default=10_000_000)
    ap.add_argument("--budget", type=float, default=300.0, help="seconds one size may take")
    ap.add_argument(
        "--source",
        choices=("corpus", "examples"),
        default="corpus",
        help="corpus: real releases (3 MB, then repeated); examples: ten readouts repeated",
    )
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one(args.one, args.source)
        return
    sizes = []
    size = args.min_size
    while size <= args.max_size:
        sizes.append(size)
        size *= 2
    if sizes[-1] != args.max_size:
        sizes.append(args.max_size)
    print(f"{'size':>12} {'seconds':>10} {'ratio':>7} {'s/MB':>8} {'events':>7} {'peak RSS':>9}")
    previous: tuple[int, float] | None = None
    ratio = 2.0
    over = False
    for size in sizes:
        if over and previous is not None:
            seconds = previous[1] * ratio ** math.log2(size / previous[0])
            print(f"{size:>12,} {'~' + format(seconds, '.1f'):>10} {'~' + format(ratio, '.2f'):>7}")
            previous = (size, seconds)
            continue
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--source", args.source],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        shown = "-"
        if previous is not None and previous[1] > 0:
            ratio = (r["seconds"] / previous[1]) ** (1 / math.log2(size / previous[0]))
            shown = f"{ratio:.2f}"
        print(
            f"{size:>12,} {r['seconds']:>10.2f} {shown:>7} {r['seconds'] / size * 1e6:>8.2f} "
            f"{r['events']:>7} {r['rss_mb']:>7.0f}MB",
            flush=True,
        )
        previous = (size, r["seconds"])
        over = r["seconds"] > args.budget
    print("\nratio: the time of a size over the time of half that size (2.0 linear, 4.0 quadratic)")


if __name__ == "__main__":
    main()
