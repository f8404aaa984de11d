"""Extraction with full event coding against extraction without it, in the same benchmark run:
what coding every sentence's events in CAMEO and PLOVER costs (communique.extractor.events).

    .venv/bin/python benchmarks/event_coding.py [--corpus DIR] [--passes 5] [--limit N]

The State Department readouts (as benchmarks/extract_throughput.py prepares them: HTML to text
once) are extracted by two child processes pinned to one CPU, one with event coding
(``extract_document(doc)``) and one without (``extract_document(doc, statements=False)``), so
each peak RSS is its own; each loads the rules once, as a long-running process would, then runs
the documents ``--passes`` times (median kept). Prints docs/s, words/s, peak RSS, statement
events per document and the ratio of the two speeds (target: with coding >= 75% of without).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_throughput import ROOT, child_json, peak_rss_mb, pin_one_core, prepare


def worker(texts: Path, passes: int, coding: bool) -> dict[str, float]:
    from communique.extractor import extract_document
    from communique.model import Document

    pin_one_core()
    docs = [Document(**json.loads(line)) for line in texts.open(encoding="utf-8")]
    load = time.perf_counter()
    extract_document(docs[0], statements=coding)  # the lexicons and rules, once
    load = time.perf_counter() - load
    times = []
    statements = 0
    for _ in range(passes):
        start = time.perf_counter()
        statements = 0
        for d in docs:
            statements += len(extract_document(d, statements=coding).statements)
        times.append(time.perf_counter() - start)
    return {
        "docs": len(docs),
        "seconds": statistics.median(times),
        "statements": statements,
        "first_document_s": load,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_child(mode: str, texts: Path, passes: int) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--worker", mode, "--texts", str(texts)]
    cmd += ["--passes", str(passes)]
    return child_json(cmd, mode)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument(
        "--corpus", default=os.environ.get("COMMUNIQUE_CORPUS", str(ROOT.parent / "shared/corpus"))
    )
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--limit", type=int, default=0, help="only the first N readouts")
    ap.add_argument("--worker", choices=["with", "without"])
    ap.add_argument("--texts")
    args = ap.parse_args()

    if args.worker:
        print(json.dumps(worker(Path(args.texts), args.passes, args.worker == "with")))
        return

    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "texts.jsonl"
        prepare(Path(args.corpus), texts)
        if args.limit:
            lines = texts.read_text(encoding="utf-8").splitlines()[: args.limit]
            texts.write_text("\n".join(lines) + "\n", encoding="utf-8")
        words = sum(len(json.loads(line)["text"].split()) for line in texts.open())
        without = run_child("without", texts, args.passes)
        with_ = run_child("with", texts, args.passes)

    n = int(with_["docs"])
    print(
        f"State Department readouts: {n} documents, {words} words "
        f"(one core, median of {args.passes} passes)"
    )
    print(f"{'':30}{'docs/s':>10}{'words/s':>11}{'peak RSS MB':>13}{'statements/doc':>16}")
    for name, r in (("without event coding", without), ("with event coding", with_)):
        print(
            f"{name:30}{n / r['seconds']:10.1f}{words / r['seconds']:11.0f}"
            f"{r['peak_rss_mb']:13.0f}{r['statements'] / n:16.1f}"
        )
    ratio = without["seconds"] / with_["seconds"]
    print(f"speed with coding / without: {ratio:.2f} (target >= 0.75)")
    print(
        f"first document (loading the rules): {without['first_document_s']:.2f} s without, "
        f"{with_['first_document_s']:.2f} s with (the event rules are compiled either way)"
    )


if __name__ == "__main__":
    main()
