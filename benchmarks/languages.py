"""Extraction throughput per language, one core, in the same run: Chinese readouts (CCTV), Russian
readouts (kremlin.ru) and, as the baseline, English readouts (State Department).

    .venv/bin/python benchmarks/languages.py [--corpus DIR] [--docs 400] [--passes 3]

Each language runs in its own child process pinned to one CPU (so each peak RSS is its own),
after one warm-up pass that loads the language's data; docs/s are per second of the process's
CPU time (the machine may be shared). Chinese: CCTV items whose heading names an encounter;
Russian: kremlin.ru calls, talks and meetings with foreign office-holders (the titles
extract_throughput_ru.py selects); English: State Department readouts. Prints docs/s,
characters/s, peak RSS and the ratio of each language's docs/s to English's. The issue's target: Chinese and Russian at least
200 docs/s on one core.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from extract_throughput_ru import READOUT_TITLE  # the Kremlin's readouts: calls, talks, meetings

ROOT = Path(__file__).resolve().parent.parent
ENCOUNTER_HEADING = ("通电话", "会谈", "会见", "会晤", "视频")


def texts(language: str, corpus: Path, limit: int) -> list[tuple[str, str | None, str | None]]:
    """(text, publication date, URL) of readouts of one language, in corpus order."""
    out: list[tuple[str, str | None, str | None]] = []
    if language == "zh":
        path = corpus / "cctv-xwlb/news-2022-2024.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec["text"] and any(w in rec["title"] for w in ENCOUNTER_HEADING):
                    out.append((rec["text"], rec["date"], rec.get("url")))
    elif language == "ru":
        path = corpus / "kremlin-ru/kremlin-ru-2025.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec["text"] and rec["date"] and READOUT_TITLE.search(rec["title"] or ""):
                    out.append((rec["text"], rec["date"], rec.get("url")))
    else:
        from communique.documents.corpus import FieldMap, Record, iter_corpus

        fm = FieldMap(text="content_html", title="title", date="pubDate", url="link", key="link")
        path = corpus / "state-department/press-releases-2021-2022.jsonl.gz"
        for rec in iter_corpus(path, fm):
            title = rec.document.title or "" if isinstance(rec, Record) else ""
            if any(w in title for w in ("Call", "Meeting", "Meets", "Met ")):
                doc = rec.document  # type: ignore[union-attr]
                out.append((doc.text, doc.published, doc.url))
            if len(out) >= limit:
                break
    return out[:limit]


def child(language: str, corpus: Path, limit: int, passes: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from communique import extract
    from communique.documents import make_document

    docs = [make_document(t, published=p, url=u) for t, p, u in texts(language, corpus, limit)]
    for d in docs:  # warm-up: the language's lexicon, rules and caches
        extract(d)
    rates = []
    for _ in range(passes):
        # CPU time of this process on its one core: what the extraction costs, whatever else
        # the (shared) machine runs meanwhile
        start = time.process_time()
        for d in docs:
            extract(d)
        rates.append(len(docs) / (time.process_time() - start))
    chars = sum(len(d.text) for d in docs)
    rate = statistics.median(rates)
    print(
        json.dumps(
            {
                "language": language,
                "docs": len(docs),
                "docs_per_s": rate,
                "chars_per_s": rate * chars / max(len(docs), 1),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.corpus, args.docs, args.passes)
        return
    results = {}
    for language in ("en", "zh", "ru"):
        cmd = [
            sys.executable,
            __file__,
            "--child",
            language,
            "--corpus",
            str(args.corpus),
            "--docs",
            str(args.docs),
            "--passes",
            str(args.passes),
        ]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        results[language] = json.loads(out.strip().splitlines()[-1])
    base = results["en"]["docs_per_s"]
    print(f"{'language':<9}{'docs':>6}{'docs/s':>10}{'chars/s':>12}{'peak MB':>10}{'vs en':>8}")
    for language, r in results.items():
        print(
            f"{language:<9}{r['docs']:>6}{r['docs_per_s']:>10.0f}{r['chars_per_s']:>12.0f}"
            f"{r['peak_rss_mb']:>10.0f}{r['docs_per_s'] / base:>8.2f}"
        )


if __name__ == "__main__":
    main()
