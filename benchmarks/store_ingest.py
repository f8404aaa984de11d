"""Store benchmarks: ingest throughput against extraction alone, a 100,000-document ingest with
its peak memory, and query latency on the resulting store.

    .venv/bin/python benchmarks/store_ingest.py [--copies 50] [--corpus DIR] [--db PATH|URL]

1. The whole State Department corpus (2,025 releases), read the same way in both runs:
   extraction alone (read + clean + extract) and ingest into a fresh SQLite store (read + clean +
   extract + write + merge). Target: ingest at >= 80% of extraction alone.
2. A corpus of N copies of those releases with changed ids and URLs (N=50 gives 101,250
   documents), ingested in one run in a child process. Target: peak RSS < 1 GB, memory flat.
3. On that store, the median latency of `events --with`, `relations` and `search` (30 runs each).
   Target: < 200 ms median.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import replicate  # noqa: E402

FIELDS = {"text": "content_html", "title": "title", "date": "pubDate", "url": "link", "key": "link"}


def _fieldmap():  # type: ignore[no-untyped-def]
    from communique.sources import FieldMap

    return FieldMap(**FIELDS)


def extraction_alone(path: Path) -> tuple[int, float]:
    from communique.documents import make_document
    from communique.extractor import extract_document
    from communique.sources import Item, read_items

    n = 0
    start = time.perf_counter()
    for item in read_items([str(path)], _fieldmap()):
        if isinstance(item, Item):
            doc = make_document(item.raw, url=item.url, published=item.published, title=item.title)
            extract_document(doc)
            n += 1
    return n, time.perf_counter() - start


def ingest_run(path: Path, db: str) -> tuple[int, float]:
    from communique.runners.ingest import ingest
    from communique.sources import read_items
    from communique.store import Store

    store = Store(db)
    start = time.perf_counter()
    s = ingest(store, read_items([str(path)], _fieldmap()))
    elapsed = time.perf_counter() - start
    store.close()
    return s.seen, elapsed


def child_ingest(path: str, db: str) -> None:
    """Run in a child: ingest and report documents, seconds and peak RSS (MB) as JSON."""
    from communique.runners.ingest import ingest
    from communique.sources import read_items
    from communique.store import Store

    store = Store(db)
    samples = []
    start = time.perf_counter()

    def hook(s):  # type: ignore[no-untyped-def]
        if s.seen % 10000 == 0:
            samples.append((s.seen, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))

    s = ingest(store, read_items([path], _fieldmap()), progress=hook, batch=500)
    print(
        json.dumps(
            {
                "docs": s.seen,
                "failed": s.failed,
                "seconds": time.perf_counter() - start,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_by_docs": samples,
            }
        )
    )


def latency(db: str, runs: int = 30) -> dict[str, float]:
    from communique.queries import listings as q
    from communique.store import Store

    store = Store(db)
    cases = {
        "events --country CHN --with KAZ": lambda: q.events(
            store.db, q.Filters(country="CHN", with_="KAZ")
        ),
        "events --with UKR --kind call": lambda: q.events(
            store.db, q.Filters(with_="UKR", kind="call")
        ),
        "relations USA": lambda: q.relations(store.db, "USA", q.Filters()),
        "search visa exemption": lambda: q.search(store.db, "visa exemption"),
        "search Ukraine sovereignty": lambda: q.search(store.db, "Ukraine sovereignty"),
    }
    out = {}
    for name, fn in cases.items():
        fn()  # warm the cache once
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        out[name] = statistics.median(times)
    store.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--corpus", default=os.environ.get("COMMUNIQUE_CORPUS", str(ROOT.parent / "shared/corpus"))
    )
    ap.add_argument("--copies", type=int, default=50)
    ap.add_argument(
        "--db", default=None, help="store for the large run (default: a temporary SQLite file)"
    )
    ap.add_argument("--child", nargs=2, metavar=("CORPUS", "DB"))
    ap.add_argument("--queries-only", action="store_true", help="only part 3, on --db")
    args = ap.parse_args()
    if args.child:
        child_ingest(*args.child)
        return
    if args.queries_only:
        for name, ms in latency(args.db).items():
            print(f"   {name:34} {ms:8.1f} ms")
        return
    src = Path(args.corpus) / "state-department/press-releases-2021-2022.jsonl.gz"
    with tempfile.TemporaryDirectory() as tmp:
        n, alone = extraction_alone(src)
        m, stored = ingest_run(src, str(Path(tmp) / "one.db"))
        print(f"1. State Department corpus, {n} documents, one process:")
        print(f"   extraction alone   {n / alone:8.1f} docs/s")
        print(
            f"   ingest into SQLite {m / stored:8.1f} docs/s  ({(m / stored) / (n / alone):.0%} of extraction alone; target >= 80%)"
        )

        big = Path(tmp) / "big.jsonl.gz"
        total = replicate(src, big, args.copies)
        db = args.db or str(Path(tmp) / "big.db")
        res = subprocess.run(
            [sys.executable, __file__, "--child", str(big), db],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(res.stdout.strip().splitlines()[-1])
        print(
            f"2. {total} documents ({args.copies} copies, changed ids) in one run: "
            f"{r['docs'] / r['seconds']:.1f} docs/s, {r['seconds']:.0f} s, {r['failed']} failed, "
            f"peak RSS {r['peak_rss_mb']:.0f} MB (target < 1024 MB)"
        )
        print(
            "   peak RSS by documents: "
            + ", ".join(f"{d}: {mb:.0f} MB" for d, mb in r["rss_by_docs"])
        )
        if not args.db or not args.db.startswith("postgres"):
            print(f"   store size {Path(db).stat().st_size / 1e6:.0f} MB")
        lat = latency(db)
        print("3. median query latency on that store (30 runs each; target < 200 ms):")
        for name, ms in lat.items():
            print(f"   {name:34} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
