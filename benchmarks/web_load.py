"""A bounded load on the dashboard and the API, on loopback: 8 concurrent clients, a fixed
number of requests each, against `communique serve` on a given store.

    .venv/bin/python benchmarks/web_load.py --db /path/to/store.db [--clients 8] [--requests 40]

Targets: API listing endpoints < 100 ms median, dashboard pages < 1 s median, zero errors. The
server runs in its own process on 127.0.0.1 (uvicorn, --workers as given); only loopback is used.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

API = [
    "/api/v1/events?limit=50",
    "/api/v1/events?country=CHN&with=KAZ",
    "/api/v1/events?with=UKR&kind=call",
    "/api/v1/actors?country=USA&actor_kind=person",
    "/api/v1/documents?limit=50",
    "/api/v1/agreements?country=CHN",
    "/api/v1/relations/USA",
    "/api/v1/search?q=visa+exemption",
]
PAGES = [
    "/",
    "/events?country=USA",
    "/actors",
    "/country/USA",
    "/map/USA",
    "/network",
    "/search?q=Ukraine+sovereignty",
]


def hammer(base: str, paths: list[str], clients: int, requests: int) -> dict[str, list[float]]:
    """``clients`` threads, each sending ``requests`` GETs round-robin over ``paths``."""
    times: dict[str, list[float]] = {p: [] for p in paths}
    errors: list[str] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        for i in range(requests):
            path = paths[(offset + i) % len(paths)]
            t = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=30) as resp:
                    resp.read()
                    ok = resp.status == 200
            except OSError as exc:
                ok = False
                with lock:
                    errors.append(f"{path}: {exc}")
            ms = (time.perf_counter() - t) * 1000
            with lock:
                if ok:
                    times[path].append(ms)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    times["__errors__"] = [float(len(errors))]
    return times


def main() -> None:
    from web_helpers import running_server

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2, help="server processes (uvicorn --workers)")
    args = ap.parse_args()
    with running_server(args.db, workers=args.workers) as base:
        for p in API + PAGES:  # warm the caches once
            urllib.request.urlopen(base + p, timeout=60).read()
        for title, paths, target in (("API", API, 100.0), ("dashboard pages", PAGES, 1000.0)):
            res = hammer(base, paths, args.clients, args.requests)
            errors = int(res.pop("__errors__")[0])
            all_ms = [x for v in res.values() for x in v]
            print(
                f"{title}: {args.clients} clients x {args.requests} requests, {errors} errors, "
                f"median {statistics.median(all_ms):.1f} ms (target < {target:.0f} ms)"
            )
            for p, v in res.items():
                print(
                    f"   {p:45} median {statistics.median(v):8.1f} ms   p95 "
                    f"{sorted(v)[int(len(v) * 0.95) - 1]:8.1f} ms   n={len(v)}"
                )


if __name__ == "__main__":
    main()
