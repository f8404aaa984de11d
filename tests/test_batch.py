"""Scale-out on Dask: a 2-worker LocalCluster gives the same rows as `ingest`, and a killed batch
started again ends with the same output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from communique.documents.corpus import FieldMap
from communique.runners.batch import run_batch
from communique.runners.ingest import ingest, load
from communique.runners.parquet import BATCH_TABLES, read_rows
from communique.sources import read_items
from communique.store import Store
from store_helpers import corpus_slice, dump, fresh_url

ROOT = Path(__file__).resolve().parent.parent
FIELDS = FieldMap(text="content_html", title="title", date="pubDate", url="link")
ARGS = [
    "--text-field",
    "content_html",
    "--title-field",
    "title",
    "--date-field",
    "pubDate",
    "--url-field",
    "link",
]


def _outputs(out: Path) -> dict[str, list[tuple[str, ...]]]:
    return {
        t: sorted(tuple(str(v) for v in r.values()) for r in read_rows(out, t))
        for t in BATCH_TABLES
    }


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_batch_on_two_workers_then_load_equals_ingest(
    engine: str, corpus: Path, tmp_path: Path
) -> None:
    data = corpus_slice(corpus, tmp_path / "slice.jsonl", 120, bad_line_after=5)
    out = tmp_path / "out"
    s = run_batch(read_items([str(data)], FIELDS), out, workers=2, partition_size=25)
    assert s.partitions == 5 and s.documents == 120 and s.failed == 1
    loaded = Store(fresh_url(engine, tmp_path))
    load(loaded, out)
    expected_db = dump(loaded)
    again = load(loaded, out)
    assert again.unchanged == 120 and dump(loaded) == expected_db
    loaded.close()
    ingested = Store(str(tmp_path / "ingested.db"))
    ingest(ingested, read_items([str(data)], FIELDS))
    assert dump(ingested) == expected_db
    ingested.close()
    rerun = run_batch(read_items([str(data)], FIELDS), out, workers=1, partition_size=25)
    assert rerun.skipped == 5 and rerun.documents == 0


def test_killed_batch_resumes_to_the_same_output(corpus: Path, tmp_path: Path) -> None:
    data = corpus_slice(corpus, tmp_path / "slice.jsonl", 400)
    cmd = [
        sys.executable,
        "-m",
        "communique",
        "batch",
        str(data),
        *ARGS,
        "--workers",
        "2",
        "--partition-size",
        "20",
        "--quiet",
    ]
    subprocess.run(
        [*cmd, "--out", str(tmp_path / "clean")], check=True, cwd=ROOT, capture_output=True
    )
    expected = _outputs(tmp_path / "clean")
    assert len(expected["documents"]) == 400

    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [*cmd, "--out", str(killed)],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        done = list((killed / "_partitions").glob("part-*.json")) if killed.exists() else []
        if len(done) >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the batch finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = len(list((killed / "_partitions").glob("part-*.json")))
    assert 0 < finished < 20
    res = subprocess.run(
        [*cmd, "--out", str(killed)], check=True, cwd=ROOT, capture_output=True, text=True
    )
    assert "already done" in res.stderr
    assert _outputs(killed) == expected
