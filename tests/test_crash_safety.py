"""Nothing lost (issue 11): runs killed with SIGKILL at random points, concurrent writers, and
processes racing on a fresh database, on SQLite and PostgreSQL, each compared with an
uninterrupted run. The commands are the real ones, in their own processes."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from communique.documents.corpus import FieldMap
from communique.runners.batch import partitions, process_partition
from communique.sources import read_items
from communique.store import Store
from store_helpers import corpus_slice, dump, fresh_url

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "communique"]
FIELDS = ["--text-field", "content_html", "--date-field", "pubDate", "--url-field", "link",
          "--title-field", "title", "--quiet"]  # fmt: skip
FIELDMAP = FieldMap(text="content_html", title="title", date="pubDate", url="link")
ENGINES = ["sqlite", "postgresql"]


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True, check=check)


def url_for(engine: str, tmp_path: Path, name: str) -> str:
    return str(tmp_path / f"{name}.db") if engine == "sqlite" else fresh_url(engine, tmp_path)


def count(url: str) -> int:
    s = Store(url)
    n = int(s.db.scalar("SELECT COUNT(*) FROM documents") or 0)
    s.close()
    return n


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    s = Store(url)
    out = dump(s)
    s.close()
    return out


def kill_at_random_points(
    args: list[str], rng: random.Random, window: tuple[float, float], kills: int, after_kill: object
) -> int:
    """Start the command ``kills`` times, each killed with SIGKILL after a random delay within
    ``window`` seconds; ``after_kill()`` runs after each kill. Returns how many runs were
    killed while still running."""
    killed = 0
    for _ in range(kills):
        proc = subprocess.Popen(
            [*CLI, *args],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(*window))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        after_kill()  # type: ignore[operator]
    return killed


@pytest.mark.parametrize("engine", ENGINES)
def test_ingest_killed_at_random_points_ends_as_an_uninterrupted_run(
    engine: str, corpus: Path, tmp_path: Path
) -> None:
    data = str(corpus_slice(corpus, tmp_path / "slice.jsonl", 150))
    clean = url_for(engine, tmp_path, "clean")
    started = time.monotonic()
    cli("ingest", data, *FIELDS, "--db", clean)
    took = time.monotonic() - started
    expected = snapshot(clean)
    assert len(expected["documents"]) == 150

    killed_url = url_for(engine, tmp_path, "killed")
    rng = random.Random(11)
    stored: list[int] = []
    killed = kill_at_random_points(
        ["ingest", data, *FIELDS, "--db", killed_url],
        rng,
        (0.8, max(1.0, took * 0.9)),
        4,
        lambda: stored.append(count(killed_url)),
    )
    assert killed >= 2, "too few runs were killed while running"
    assert stored == sorted(stored), "a killed run lost documents stored before it"
    cli("ingest", data, *FIELDS, "--db", killed_url)
    assert snapshot(killed_url) == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_reprocess_killed_at_random_points_loses_no_document(
    engine: str, corpus: Path, tmp_path: Path
) -> None:
    data = str(corpus_slice(corpus, tmp_path / "slice.jsonl", 120))
    url = url_for(engine, tmp_path, "re")
    cli("ingest", data, *FIELDS, "--db", url)
    started = time.monotonic()
    cli("reprocess", "--all", "--db", url)
    took = time.monotonic() - started
    expected = snapshot(url)
    assert len(expected["documents"]) == 120

    counts: list[int] = []
    killed = kill_at_random_points(
        ["reprocess", "--all", "--db", url],
        random.Random(12),
        (0.8, max(1.0, took * 0.9)),
        4,
        lambda: counts.append(count(url)),
    )
    assert killed >= 2, "too few runs were killed while running"
    assert counts == [120] * len(counts), "a killed reprocess lost documents"
    cli("reprocess", "--all", "--db", url)
    assert snapshot(url) == expected


@pytest.fixture(scope="module")
def batch_output(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A `communique batch` output of 300 releases and a bad line (made without Dask)."""
    folder = tmp_path_factory.mktemp("batch")
    data = corpus_slice(corpus, folder / "slice.jsonl", 300, bad_line_after=10)
    out = folder / "out"
    for part in partitions(read_items([str(data)], FIELDMAP), 30):
        process_partition(part, str(out))
    return out


@pytest.mark.parametrize("engine", ENGINES)
def test_load_killed_at_random_points_ends_as_an_uninterrupted_load(
    engine: str, batch_output: Path, tmp_path: Path
) -> None:
    out = batch_output
    clean = url_for(engine, tmp_path, "clean")
    started = time.monotonic()
    cli("load", str(out), "--db", clean, check=False)  # exit 1: the output holds a failure
    took = time.monotonic() - started
    expected = snapshot(clean)
    assert len(expected["documents"]) == 300 and len(expected["failures"]) == 1

    killed_url = url_for(engine, tmp_path, "killed")
    stored: list[int] = []
    killed = kill_at_random_points(
        ["load", str(out), "--db", killed_url],
        random.Random(13),
        (0.7, max(0.8, took * 0.9)),
        4,
        lambda: stored.append(count(killed_url)),
    )
    assert killed >= 1, "no load was killed while running"
    assert stored == sorted(stored)
    cli("load", str(out), "--db", killed_url, check=False)
    assert snapshot(killed_url) == expected


def by_document(url: str) -> dict[str, list[tuple[str, ...]]]:
    """Every data table but what depends on the order concurrent writers happen to write in:
    which input a document shared by two of them came from (``origin``), and the ids the
    cross-report merge gives canonical events (which report came first)."""
    from communique.tables import DATA_TABLES

    s = Store(url)
    out = {}
    for table in DATA_TABLES:
        if table in ("canonical_events", "failures"):
            continue
        rows = s.db.query(f"SELECT * FROM {table}")
        out[table] = sorted(
            tuple(str(v) for k, v in r.items() if k not in ("origin", "canonical_id")) for r in rows
        )
    s.close()
    return out


@pytest.mark.parametrize("engine", ENGINES)
def test_concurrent_writers_end_as_a_sequential_run(
    engine: str, corpus: Path, tmp_path: Path
) -> None:
    data = corpus_slice(corpus, tmp_path / "all.jsonl", 180)
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    parts = []
    for n, (a, b) in enumerate(((0, 120), (60, 180), (30, 150))):
        p = tmp_path / f"part{n}.jsonl"
        p.write_text("".join(lines[a:b]), encoding="utf-8")
        parts.append(str(p))
    sequential = url_for(engine, tmp_path, "seq")
    for p in parts:
        cli("ingest", p, *FIELDS, "--db", sequential)
    expected = by_document(sequential)

    shared = url_for(engine, tmp_path, "shared")
    cli("ingest", parts[0], *FIELDS, "--db", shared)  # then: two ingests and a reprocess at once
    procs = [
        subprocess.Popen([*CLI, "ingest", p, *FIELDS, "--db", shared], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for p in parts[1:]
    ] + [
        subprocess.Popen([*CLI, "reprocess", "--all", "--db", shared], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ]  # fmt: skip
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert by_document(shared) == expected
    s = Store(shared)
    assert s.db.scalar("SELECT COUNT(*) FROM documents") == 180
    unlinked = s.db.scalar(
        "SELECT COUNT(*) FROM events WHERE canonical_id IS NULL AND kind IN "
        "('talks', 'meeting', 'call', 'visit', 'summit', 'message') AND timing <> 'planned' "
        "AND countries LIKE '%,%,%,%'"
    )
    assert unlinked == 0
    s.close()


def _open_fresh(url: str, barrier: multiprocessing.synchronize.Barrier, errors: object) -> None:
    barrier.wait()
    try:
        Store(url).close()
    except Exception as exc:
        errors.put(f"{type(exc).__name__}: {exc}")  # type: ignore[attr-defined]


@pytest.mark.parametrize("engine", ENGINES)
def test_processes_starting_together_migrate_a_fresh_database_once(
    engine: str, tmp_path: Path
) -> None:
    ctx = multiprocessing.get_context("spawn")
    for attempt in range(3):
        url = url_for(engine, tmp_path, f"fresh{attempt}")
        barrier = ctx.Barrier(4)
        errors = ctx.Queue()
        procs = [ctx.Process(target=_open_fresh, args=(url, barrier, errors)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=120)
        found = []
        while not errors.empty():
            found.append(errors.get())
        assert found == [], found
        s = Store(url)
        versions = [r["version"] for r in s.db.query("SELECT version FROM schema_migrations")]
        s.close()
        assert versions == sorted(set(versions)) and len(versions) >= 4
