"""Sentence segmentation over the normalised text, keeping character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_END = re.compile(
    r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9\u00c0-\u024f\U0001F1E6-\U0001F1FF\u2022])"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str, abbreviations: frozenset[str] = frozenset()) -> list[Sentence]:
    """Sentences, never crossing a line break; ``abbreviations`` (the language's: "Mr",
    "U.S") and initials do not end one."""
    out: list[Sentence] = []
    para = 0
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            para += 1
            continue
        cut = 0
        for m in _END.finditer(line):
            if m.group().startswith(".") and _is_abbreviation(line, m.start(), abbreviations):
                continue
            end = m.end()
            _add(out, text, line_start + cut, line_start + end, para)
            cut = end
        _add(out, text, line_start + cut, line_start + len(line), para)
    return out


def _is_abbreviation(line: str, dot: int, abbreviations: frozenset[str]) -> bool:
    j = dot
    while j > 0 and not line[j - 1].isspace() and line[j - 1] not in "(\"'":
        j -= 1
    word = line[j:dot]
    if len(word) == 1 and word.isupper():
        return True  # an initial: "Antony J. Blinken"
    return word in abbreviations


def _add(out: list[Sentence], text: str, start: int, end: int, para: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], para))
