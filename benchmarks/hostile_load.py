"""A short, bounded load test under attack, on loopback: `communique serve` answers normal
clients (listings, pages, search, extraction) while hostile clients hold half-open connections,
drip request heads, upload endless chunked bodies and send bad parameters.

    .venv/bin/python benchmarks/hostile_load.py [--db STORE] [--clients 32] [--seconds 30]

Prints, for the normal clients, the number of requests, errors (5xx other than 503, and failed
connections: the target is 0), requests shed with a 503 (the concurrency limits), p50 and p99
latency per kind of request; for the hostile ones what the server did with them; and the
server's resident memory at the start and at its peak. Without --db a store is made of the
examples and 300 State Department releases (when the corpus is there).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

NORMAL = {
    "api": [
        "/api/v1/events?limit=50",
        "/api/v1/events?country=USA&since=2021-06-01",
        "/api/v1/actors?country=USA",
        "/api/v1/documents?limit=50",
        "/api/v1/agreements",
        "/api/v1/relations/USA",
    ],
    "page": ["/", "/events?country=USA", "/actors", "/country/USA", "/network", "/map/USA"],
    "search": [
        "/api/v1/search?q=visa+exemption",
        "/api/v1/search?q=" + "+".join(["talks"] * 33),
        "/search?q=Ukraine+sovereignty",
    ],
}
BAD = [
    "/api/v1/events?offset=9223372036854775808",
    "/api/v1/events?since=abc",
    "/api/v1/search?q=" + "x" * 500,
    "/events?kind=picnic",
]
READOUT = (
    "Secretary Antony J. Blinken spoke today with Estonian Foreign Minister Urmas Reinsalu. "
    "They discussed support for Ukraine and security in the Baltic region. " * 30
)


def make_store(folder: Path) -> str:
    from corpus import corpus_root, state_department

    from communique.documents.corpus import FieldMap
    from communique.runners.ingest import ingest
    from communique.sources import read_items
    from communique.store import Store

    db = str(folder / "load.db")
    store = Store(db)
    ingest(store, read_items([str(ROOT / "examples")]))
    src = state_department(corpus_root())
    if src.exists():
        part = folder / "part.jsonl"
        with gzip.open(src, "rt", encoding="utf-8") as fh, part.open("w") as out:
            for _, line in zip(range(300), fh, strict=False):
                out.write(line)
        fields = FieldMap(text="content_html", title="title", date="pubDate", url="link")
        ingest(store, read_items([str(part)], fields))
    store.close()
    return db


def main() -> None:
    from web_helpers import rss_kb, running_serve

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--half-open", type=int, default=300)
    ap.add_argument(
        "--without",
        action="append",
        default=[],
        choices=("half_open", "slow_heads", "endless_uploads", "bad_params"),
        help="leave out one kind of attack (repeatable)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or make_store(Path(tmp))
        with running_serve(db, "--head-timeout", "5") as (base, proc):
            run(base, proc.pid, args, rss_kb)


def run(base: str, pid: int, args: argparse.Namespace, rss_kb: object) -> None:
    port = int(base.rsplit(":", 1)[1])
    stop = time.monotonic() + args.seconds
    times: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    rss = [rss_kb(pid)]  # type: ignore[operator]

    def note(key: str, n: int = 1) -> None:
        with lock:
            counts[key] += n

    def client(k: int) -> None:
        kinds = ["api", "page", "search", "api", "page"] + (["extract"] if k % 8 == 0 else [])
        i = 0
        while time.monotonic() < stop:
            kind = kinds[i % len(kinds)]
            i += 1
            started = time.perf_counter()
            try:
                if kind == "extract":
                    req = urllib.request.Request(
                        base + "/api/v1/extract",
                        data=json.dumps({"text": READOUT}).encode(),
                        headers={"content-type": "application/json"},
                    )
                else:
                    paths = NORMAL[kind]
                    req = urllib.request.Request(base + paths[(k + i) % len(paths)])
                with urllib.request.urlopen(req, timeout=30) as resp:
                    resp.read()
                ms = (time.perf_counter() - started) * 1000
                with lock:
                    times[kind].append(ms)
            except urllib.error.HTTPError as exc:
                note("shed (503)" if exc.code == 503 else f"errors ({exc.code})")
            except OSError as exc:
                note(f"errors ({type(exc).__name__})")

    def half_open() -> None:
        held: list[socket.socket] = []
        while time.monotonic() < stop:
            for s in [s for s in held if _closed(s)]:
                held.remove(s)
                s.close()
                note("half-open connections closed by the server")
            while len(held) < args.half_open:
                try:
                    held.append(socket.create_connection(("127.0.0.1", port), timeout=2))
                    note("half-open connections opened")
                except OSError:
                    note("half-open connections refused")
                    break
            time.sleep(0.5)
        for s in held:
            s.close()

    def slow_heads() -> None:
        while time.monotonic() < stop:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                    while time.monotonic() < stop:
                        s.sendall(b"X-Slow: a\r\n")
                        time.sleep(0.5)
            except OSError:
                note("slow heads cut off")

    def endless_uploads() -> None:
        while time.monotonic() < stop:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                    s.sendall(
                        b"POST /api/v1/extract HTTP/1.1\r\nHost: x\r\nContent-Type: "
                        b"application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    )
                    chunk = b"100000\r\n" + b"x" * 0x100000 + b"\r\n"
                    sent = 0
                    while time.monotonic() < stop and sent < 200:
                        s.sendall(chunk)
                        sent += 1
                    note("chunked uploads sent MB", sent)
            except OSError:
                note("chunked uploads cut off")

    def bad_params() -> None:
        while time.monotonic() < stop:
            for path in BAD:
                try:
                    urllib.request.urlopen(base + path, timeout=10).read()
                    note("bad parameters answered 2xx")
                except urllib.error.HTTPError as exc:
                    note(f"bad parameters answered {exc.code}")
                except OSError:
                    note("bad parameters: connection errors")
            time.sleep(0.05)

    def sample() -> None:
        while time.monotonic() < stop:
            rss.append(rss_kb(pid))  # type: ignore[operator]
            time.sleep(0.25)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
    attacks = [half_open, slow_heads, endless_uploads, bad_params]
    threads += [threading.Thread(target=f) for f in attacks if f.__name__ not in args.without]
    threads.append(threading.Thread(target=sample))
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    total = sum(len(v) for v in times.values())
    errors = sum(n for key, n in counts.items() if key.startswith("errors"))
    print(
        f"{args.clients} clients for {args.seconds:.0f} s on loopback, with {args.half_open} "
        f"half-open connections, dripping heads, endless chunked uploads and bad parameters"
    )
    print(
        f"normal requests answered: {total}, errors: {errors}, shed (503): {counts['shed (503)']}"
    )
    for kind, v in sorted(times.items()):
        v.sort()
        p99 = v[min(len(v) - 1, int(len(v) * 0.99))]
        print(f"   {kind:8} n={len(v):6}  p50 {statistics.median(v):8.1f} ms  p99 {p99:8.1f} ms")
    for key, n in sorted(counts.items()):
        if not key.startswith(("errors", "shed")):
            print(f"   {key}: {n}")
    for key, n in sorted(counts.items()):
        if key.startswith("errors"):
            print(f"   {key}: {n}")
    print(f"server RSS: {rss[0] / 1024:.0f} MB at the start, {max(rss) / 1024:.0f} MB at its peak")


def _closed(s: socket.socket) -> bool:
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        with contextlib.suppress(OSError):
            s.setblocking(True)


if __name__ == "__main__":
    main()
