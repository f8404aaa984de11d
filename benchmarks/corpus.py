"""The benchmarks' corpus: the State Department releases, replicated with changed ids."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = {"text": "content_html", "title": "title", "date": "pubDate", "url": "link", "key": "link"}


def corpus_root() -> str:
    return os.environ.get("COMMUNIQUE_CORPUS", str(ROOT.parent / "shared/corpus"))


def state_department(root: str | Path) -> Path:
    return Path(root) / "state-department/press-releases-2021-2022.jsonl.gz"


def replicate(src: Path, out: Path, copies: int) -> int:
    """``copies`` copies of a JSON Lines corpus, each record's ``link`` made unique."""
    n = 0
    with gzip.open(out, "wt", encoding="utf-8") as dst:
        for c in range(copies):
            with gzip.open(src, "rt", encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    rec["link"] = f"{rec['link']}?copy={c}"
                    dst.write(json.dumps(rec) + "\n")
                    n += 1
    return n
