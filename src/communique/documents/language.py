"""Which language a document is written in, from its script: Han characters (zh), Cyrillic (ru),
else Latin (en). A light, deterministic detector: readouts are written in one language, and the
languages communique reads differ in script. An explicit language always wins."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def detect_language(text: str) -> str:
    """ "zh", "ru" or "en" by the script most of the first 4,000 characters are written in."""
    sample = text[:4000]
    han = len(_HAN.findall(sample))
    cyrillic = len(_CYRILLIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    # a Han character carries about as much as a word of three letters
    scores = {"zh": han * 3, "ru": cyrillic, "en": latin}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else "en"
