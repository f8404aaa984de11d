"""Text normalisation: the body every extractor sees, and all offsets point into."""

from __future__ import annotations

import re
import unicodedata

_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200b": "",
        "\ufeff": "",
        "\u2013": "-",
        "\r": "",
        "\t": " ",
    }
)
# an em dash spaced as a dash between words ("talks—in Geneva" -> "talks - in Geneva"), but not
# beside characters of a script written without spaces, where it joins a compound name
# (中国—中亚峰会, at a line's start when a hard wrap falls before it)
_EM_DASH = re.compile("\u2014")
_UNSPACED_CHAR = re.compile("[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
_SPACES = re.compile(r"[ ]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\w) +(?=[.,;:!?)](?:\s|$))")
_BLANK_LINES = re.compile(r"\n{3,}")
_HASHTAG = re.compile(r"(?<![\w&/#])#(?=[^\W\d_])")
_PAREN_SPACE = re.compile(r"\( +| +\)")


def normalize_text(text: str) -> str:
    """NFC, straight quotes and apostrophes, single spaces, lines stripped, at most one blank line;
    hashtag marks dropped ("#Lavrov" -> "Lavrov": Telegram posts tag names inside sentences).

    Idempotent: ``normalize_text(normalize_text(t)) == normalize_text(t)``.
    """
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    text = _EM_DASH.sub(_em_dash, text)
    lines = []
    for line in text.split("\n"):
        line = _HASHTAG.sub("", line)
        line = _PAREN_SPACE.sub(lambda m: m.group().strip(), line)
        line = _SPACES.sub(" ", line).strip()
        line = _SPACE_BEFORE_PUNCT.sub("", line)
        lines.append(line)
    text = "\n".join(lines)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def _em_dash(m: re.Match[str]) -> str:
    text, i = m.string, m.start()
    beside = text[i - 1 : i] + text[i + 1 : i + 2]
    return "\u2014" if _UNSPACED_CHAR.search(beside) else " - "
