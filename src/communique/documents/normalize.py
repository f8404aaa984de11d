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
        "\u2014": " - ",
        "\r": "",
        "\t": " ",
    }
)
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
