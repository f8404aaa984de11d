"""The extractor's view of a document: layout undone, every offset mapped back.

Readouts reach us hard-wrapped at 72 columns, as Markdown with bold headings and escaped
footers, with CRLF line ends, non-breaking spaces, soft hyphens and words hyphenated across
lines. The extractor reads a :class:`View` of ``Document.text`` in which wrapped lines of one
paragraph are joined, markup is gone and spaces are plain; :meth:`View.span` maps any span of
the view back to the document, so evidence always points into the text the user gave.

Which lines to join is decided per block of lines (between blank lines) by the greedy-wrap test:
a line ended by a wrap is one whose next word would not have fitted within the block's width. A
short line (a title, a place line such as "Sochi", a breadcrumb) ends its paragraph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from communique.extractor.language import Language
from communique.lines import joins

# characters dropped from the view (zero-width and soft hyphen) and replaced one for one
_DROP = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_SAME_LENGTH = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\t": " ",
        "\r": " ",
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
_MARKUP_HINT = re.compile(r"[*_\\\[#>\u2022\u25cf\u25aa]|^[ ]*(?:[-+]|\d{1,2}[.)])[ ]", re.M)
_SAME_LENGTH_CHARS = re.compile("[" + re.escape("".join(chr(c) for c in _SAME_LENGTH)) + "]")
_DROP_CHARS = re.compile("[" + "".join(sorted(_DROP)) + "]")
_MD_LINE_MARK = re.compile(
    r"^[ ]*(?:\\?#{1,6}[ ]+|\\?#{1,6}$|>[ ]?|[-*+\u2022\u25cf\u25aa][ ]+|\d{1,2}[.)][ ]+(?=[A-Z]))"
)
_MD_EMPHASIS = re.compile(r"(?<![\w*_\\])(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
_MD_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!>|])")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_TERMINAL = re.compile(r"""[.!?:;\u3002\uff01\uff1f\uff1a\uff1b]["')\]\u201d\u2019]*$""")
_UNSPACED_FULL = 0.8  # a wrapped line of an unspaced script fills this much of the width
_HEADING_LINE = re.compile(r"^(?:#|\\#|[A-Z0-9][A-Z0-9 ,.'&\-]+$)")


@dataclass(frozen=True, slots=True)
class View:
    """The text the extractor analyses, and the map from its offsets to the document's."""

    text: str
    _view_starts: tuple[int, ...]  # start of each copied segment in the view
    _doc_starts: tuple[int, ...]  # where that segment starts in the document
    identity: bool = False

    def doc_offset(self, pos: int) -> int:
        if self.identity:
            return pos
        i = bisect.bisect_right(self._view_starts, pos) - 1
        if i < 0:
            return pos
        return self._doc_starts[i] + (pos - self._view_starts[i])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A view span as a document span (an end maps from its last character)."""
        if self.identity:
            return start, end
        s = self.doc_offset(start)
        e = self.doc_offset(end - 1) + 1 if end > start else s
        return s, max(s, e)


class _Builder:
    """Collects edits (replace ``doc[a:b]`` with a string) and renders the view with its map."""

    def __init__(self, text: str) -> None:
        self.src = text
        self.edits: dict[int, tuple[int, str]] = {}

    def replace(self, start: int, end: int, new: str) -> None:
        if start < end or new:
            self.edits[start] = (end, new)

    def build(self) -> View:
        if not self.edits:
            return View(self.src, (0,), (0,), identity=True)
        out: list[str] = []
        view_starts = [0]
        doc_starts = [0]
        pos = 0
        vlen = 0
        for start in sorted(self.edits):
            end, new = self.edits[start]
            if start < pos:
                continue  # overlapping edit: the first one wins
            out.append(self.src[pos:start])
            vlen += start - pos
            if new:
                # a replacement maps, character by character, onto the start of what it replaces
                view_starts.append(vlen)
                doc_starts.append(start)
                out.append(new)
                vlen += len(new)
            view_starts.append(vlen)
            doc_starts.append(end)
            pos = end
        out.append(self.src[pos:])
        return View("".join(out), tuple(view_starts), tuple(doc_starts))


def make_view(text: str, lang: Language) -> View:
    """The view of ``text``: markup removed, wrapped paragraphs joined, spaces made plain."""
    b = _Builder(text)
    plain = text.translate(_SAME_LENGTH)
    if plain != text:
        for m in _SAME_LENGTH_CHARS.finditer(text):
            b.replace(m.start(), m.end(), plain[m.start() : m.end()])
    for m in _DROP_CHARS.finditer(text):
        b.replace(m.start(), m.end(), "")
    lines = _lines(plain)
    _strip_markup(plain, lines, b)
    _reflow(plain, lines, b, lang)
    return b.build()


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _strip_markup(text: str, lines: list[tuple[int, int]], b: _Builder) -> None:
    """Markdown line marks (headings, quotes, bullets), escapes, emphasis and links."""
    if not _MARKUP_HINT.search(text):
        return
    for start, end in lines:
        line = text[start:end]
        if not line.strip():
            continue
        m = _MD_LINE_MARK.match(line)
        if m:
            b.replace(start, start + m.end(), "")
            # a bare "###" or "\###" line keeps nothing
        for em in _MD_ESCAPE.finditer(line):
            if m is None or em.start() >= m.end():
                b.replace(start + em.start(), start + em.end(), "")
        for lm in _MD_LINK.finditer(line):
            b.replace(start + lm.start(), start + lm.start(1), "")
            b.replace(start + lm.end(1), start + lm.end(), "")
        for em in _MD_EMPHASIS.finditer(line):
            mark = len(em.group(1))
            b.replace(start + em.start(), start + em.start() + mark, "")
            b.replace(start + em.end() - mark, start + em.end(), "")


def _content(text: str, start: int, end: int) -> str:
    """A line as the reader sees it: without its Markdown line mark and edge spaces."""
    line = text[start:end]
    m = _MD_LINE_MARK.match(line)
    if m:
        line = line[m.end() :]
    return line.strip().replace("**", "").replace("__", "")


def _reflow(text: str, lines: list[tuple[int, int]], b: _Builder, lang: Language) -> None:
    """Join the lines of a hard-wrapped paragraph (one space, or nothing after a line-end hyphen
    between lowercase letters)."""
    block: list[tuple[int, int]] = []
    for ln in [*lines, (len(text) + 1, len(text) + 1)]:
        if ln[0] <= len(text) and text[ln[0] : ln[1]].strip():
            block.append(ln)
            continue
        if len(block) > 1:
            _reflow_block(text, block, b, lang)
        block = []


def _reflow_block(text: str, block: list[tuple[int, int]], b: _Builder, lang: Language) -> None:
    contents = [_content(text, s, e) for s, e in block]
    width = max(len(c) for c in contents)
    for i in range(len(block) - 1):
        cur, nxt = contents[i], contents[i + 1]
        if not cur or not nxt or _MD_LINE_MARK.match(text[block[i + 1][0] : block[i + 1][1]]):
            continue
        if _is_heading(cur) or _is_heading(nxt):
            continue
        if _TERMINAL.search(cur) and not _ends_with_abbreviation(cur, lang):
            continue  # a sentence ends at the line end: the paragraph may go on, the reading does not
        if lang.unspaced:
            # no words to measure: a line ended by a wrap is about as long as the longest one
            if len(cur) < _UNSPACED_FULL * width or cur[-1:] in lang.terminators:
                continue
        elif not joins(cur, nxt, width, len(block), lang.continuers):
            continue  # a short line of its own: a title, a place line, a breadcrumb
        line_end = block[i][1]
        next_start = block[i + 1][0]
        # the break and the spaces around it
        a = line_end
        while a > block[i][0] and text[a - 1] == " ":
            a -= 1
        z = next_start
        while z < block[i + 1][1] and text[z] == " ":
            z += 1
        left, right = text[a - 1 : a], text[z : z + 1]
        if lang.unspaced and (
            not (left.isascii() and right.isascii()) or (left.isdigit() and right.isdigit())
        ):
            b.replace(a, z, "")  # a wrapped line of Chinese goes on with no space ("3\n0日")
        elif (
            text[a - 1 : a] == "-"
            and a - 2 >= 0
            and text[a - 2].islower()
            and text[z : z + 1].islower()
        ):
            b.replace(a - 1, z, "")  # "coop-\neration" -> "cooperation"
        else:
            b.replace(a, z, " ")


def _is_heading(line: str) -> bool:
    return (
        len(line) < 80
        and bool(_HEADING_LINE.match(line))
        and line.upper() == line
        and any(c.isalpha() for c in line)
    )


def _ends_with_abbreviation(line: str, lang: Language) -> bool:
    word = line.rsplit(" ", 1)[-1].rstrip(".")
    return (len(word) == 1 and word.isupper()) or word in lang.abbreviations
