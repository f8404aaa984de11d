"""Extraction throughput and peak memory on the Kremlin's Russian readouts, one core, against a
baseline in the same run: pymorphy3 parsing every word of the same texts (what lemmatising
alone costs, the analyser's own cache only), and English extraction on the State Department
readouts for reference.

    .venv/bin/python benchmarks/extract_throughput_ru.py [--corpus DIR] [--passes 3]

Readouts are the items titled as a call, talks, a meeting or a conversation with a foreign
office-holder (and dated: announcements are left out); "all" is every item of the corpus
(greetings, meetings with officials, long transcripts). Each side runs in its own child process
pinned to one CPU, so each peak RSS is its own. The first pass starts with empty caches (each
new word form is analysed once per process); the median is of the passes after it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_throughput import child_json, peak_rss_mb, pin_one_core

ROOT = Path(__file__).resolve().parent.parent
KREMLIN = "kremlin-ru/kremlin-ru-2025.jsonl.gz"
STATE = "state-department/press-releases-2021-2022.jsonl.gz"
# titles of a call, talks, a meeting or a conversation with a foreign office-holder
READOUT_TITLE = re.compile(
    r"Телефонный разговор|переговоры|Беседа с Президентом|Встреча (?:со?|с избранным) "
    r"(?:Президентом|Министром|Эмиром|Султаном|Наследным|Премьер|заместителем Премьер|членом|"
    r"спецпосланником|Президентом)"
)
EN_TITLE = re.compile(r"\b(?:Call|Calls|Meeting|Meetings|Meets|Met|Phone|Visit|Conversation)\b")


def load(corpus: Path, which: str) -> list[object]:
    from communique.documents.corpus import FieldMap, Record, iter_corpus

    if which == "en":
        fm = FieldMap(text="content_html", title="title", date="pubDate", url="link", key="link")
        recs = [r for r in iter_corpus(corpus / STATE, fm) if isinstance(r, Record)]
        return [r.document for r in recs if EN_TITLE.search(r.document.title or "")]
    fm = FieldMap(key="url", text="text", title="title", date="date", url="url")
    docs = [r.document for r in iter_corpus(corpus / KREMLIN, fm) if isinstance(r, Record)]
    if which == "ru-readouts":
        return [d for d in docs if d.published and READOUT_TITLE.search(d.title or "")]
    return docs


def worker_communique(corpus: Path, which: str, passes: int) -> dict[str, float]:
    from communique.extractor import extract_document

    docs = load(corpus, which)
    pin_one_core()
    extract_document(docs[0])  # the rules and the lexicon once, as a long-running process would
    times = []
    cpu = []
    events = 0
    for _ in range(passes + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        events = 0
        for d in docs:
            events += len(extract_document(d).events)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {
        "docs": len(docs),
        "words": sum(len(d.text.split()) for d in docs),  # type: ignore[attr-defined]
        "first": times[0],
        "seconds": statistics.median(times[1:]),
        "cpu_seconds": statistics.median(cpu[1:]),
        "events": events,
        "peak_rss_mb": peak_rss_mb(),
    }


def worker_pymorphy(corpus: Path, which: str, passes: int) -> dict[str, float]:
    import pymorphy3

    docs = load(corpus, which)
    pin_one_core()
    morph = pymorphy3.MorphAnalyzer(lang="ru")
    word = re.compile(r"[^\W\d_]+")
    texts = [d.text for d in docs]  # type: ignore[attr-defined]
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        for t in texts:
            for w in word.findall(t):
                morph.parse(w)
        times.append(time.perf_counter() - start)
    return {"docs": len(docs), "seconds": statistics.median(times), "peak_rss_mb": peak_rss_mb()}


def run_child(kind: str, corpus: Path, which: str, passes: int) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--worker", kind, "--which", which, "--corpus", str(corpus)]
    cmd += ["--passes", str(passes)]
    return child_json(cmd, kind)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--corpus", default=os.environ.get("COMMUNIQUE_CORPUS", str(ROOT.parent / "shared/corpus"))
    )
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--worker", choices=["communique", "pymorphy"])
    ap.add_argument("--which", default="ru-readouts")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if args.worker:
        worker = worker_communique if args.worker == "communique" else worker_pymorphy
        print(json.dumps(worker(corpus, args.which, args.passes)))
        return

    rows = []
    for which, label in (("ru-readouts", "Kremlin readouts"), ("ru-all", "Kremlin, every item")):
        ours = run_child("communique", corpus, which, args.passes)
        base = run_child("pymorphy", corpus, which, args.passes)
        rows.append((label, ours, base))
    en = run_child("communique", corpus, "en", args.passes)

    print(f"one core; median of {args.passes} passes after a first pass with empty caches")
    print("docs/s by the wall clock, and by the process's CPU time (what one free core gives")
    print("when other processes share the machine)")
    head = (
        f"{'':46}{'docs':>6}{'docs/s':>9}{'CPU d/s':>9}{'1st pass':>9}{'words/s':>9}{'peak MB':>8}"
    )
    print(head)
    for label, ours, base in rows:
        n = ours["docs"]
        print(
            f"{'communique, ' + label:46}{n:6d}{n / ours['seconds']:9.1f}"
            f"{n / ours['cpu_seconds']:9.1f}{n / ours['first']:9.1f}"
            f"{ours['words'] / ours['seconds']:9.0f}{ours['peak_rss_mb']:8.0f}"
        )
        print(
            f"{'baseline: pymorphy3 parse of every word, ' + label[:7]:46}{n:6d}"
            f"{n / base['seconds']:9.1f}{'':18}{ours['words'] / base['seconds']:9.0f}"
            f"{base['peak_rss_mb']:8.0f}"
        )
        print(f"{'':46}ratio communique / baseline: {base['seconds'] / ours['seconds']:.1f}x")
    n = en["docs"]
    print(
        f"{'communique, State Department readouts (en)':46}{n:6d}{n / en['seconds']:9.1f}"
        f"{n / en['cpu_seconds']:9.1f}{n / en['first']:9.1f}{en['words'] / en['seconds']:9.0f}"
        f"{en['peak_rss_mb']:8.0f}"
    )
    print("target: Russian readouts >= 200 docs/s on one core")


if __name__ == "__main__":
    main()
