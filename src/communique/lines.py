"""Line layout shared by the documents layer and the extractor: was a line ended by a wrap?

Plain-text and Markdown exports hard-wrap paragraphs at 50-90 columns. A line ended by a greedy
wrap is one whose next word would not have fitted: ``len(line) + 1 + len(next word) > width``,
where the width is the longest line of its block. A line that ends well short of the width ended
on purpose (a title, a place line such as "Sochi", a breadcrumb).
"""

from __future__ import annotations

MIN_WIDTH = 30  # narrower blocks are lists of short lines, not wrapped prose


def block_width(lines: list[str]) -> int:
    return max((len(x.rstrip()) for x in lines), default=0)


def wrapped(line: str, next_line: str, width: int) -> bool:
    """Whether ``line`` was ended by a wrap at ``width`` columns before ``next_line``."""
    first = next_line.strip().split(" ", 1)[0]
    return width >= MIN_WIDTH and bool(first) and len(line.rstrip()) + 1 + len(first) > width


def ends_open(line: str, continuers: frozenset[str]) -> bool:
    """Whether a line ends on a word that cannot end a sentence or a title ("spoke with", "the",
    "of"): the next line continues it."""
    words = line.rstrip().rsplit(" ", 1)
    return bool(words) and (words[-1].lower() in continuers or line.rstrip()[-1:] in ",-(")


def joins(
    line: str, next_line: str, width: int, block_len: int, continuers: frozenset[str]
) -> bool:
    """Whether ``next_line`` continues ``line`` in one hard-wrapped paragraph (``line`` does not
    end a sentence). ``width`` is the block's longest line, ``block_len`` its number of lines."""
    nxt = next_line.strip()
    if not nxt or not line.strip():
        return False
    if nxt[:1].islower() or nxt[:1].isdigit() or nxt[:1] in "(,;-":
        return True
    if ends_open(line, continuers) or wrapped(line, nxt, width):
        return True
    # a long line ending mid-sentence goes on: wrapping tools keep words joined by non-breaking
    # spaces together, so the next "word" may have been longer than it looks
    return block_len > 2 and len(line.rstrip()) >= 0.6 * width
