"""Sentence segmentation over the normalised text, keeping character offsets."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# a sentence ends at a full stop (or ! ?) before a capital (Latin, Latin-1/Extended or Cyrillic), a
# digit, a flag or a bullet, after an optional opening quotation mark or bracket
_END = re.compile(
    r"[.!?]+[\"')\]\u00bb]*"
    r"(?=\s+[\"'(\[\u00ab]?[A-Z0-9\u00c0-\u024f\u0400-\u042f\U0001F1E6-\U0001F1FF\u2022])"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


@functools.cache
def _terminator_pattern(terminators: str) -> re.Pattern[str]:
    """A sentence end in a script that needs no space after it (Chinese "。")."""
    return re.compile(rf"[{re.escape(terminators)}]+[\"')\]\u201d\u2019\u300d\u300f\uff09]*")


def split_sentences(
    text: str,
    abbreviations: frozenset[str] = frozenset(),
    breaks: tuple[int, ...] = (),
    terminators: str = "",
) -> list[Sentence]:
    """Sentences, never crossing a line break nor an offset of ``breaks`` (a heading that runs
    into the text on one line); ``abbreviations`` (the language's: "Mr", "U.S") and initials do
    not end one; ``terminators`` (the language's full stops that need no space after them:
    "。！？") end one wherever they stand."""
    if breaks:
        return [
            piece
            for sent in split_sentences(text, abbreviations, terminators=terminators)
            for piece in _cut(text, sent, breaks)
        ]
    end_pattern = _terminator_pattern(terminators) if terminators else _END
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
        for m in end_pattern.finditer(line):
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


def _cut(text: str, sent: Sentence, breaks: tuple[int, ...]) -> list[Sentence]:
    inside = [b for b in breaks if sent.start < b < sent.end]
    if not inside:
        return [sent]
    out: list[Sentence] = []
    start = sent.start
    for b in [*inside, sent.end]:
        _add(out, text, start, b, sent.paragraph)
        start = b
    return out
