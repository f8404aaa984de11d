"""Turn raw input (plain text, HTML, Markdown with front matter) into a :class:`Document`."""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from communique.documents.dates import normalize_published
from communique.documents.decode import read_text, scrub
from communique.documents.html import html_to_content, looks_like_html
from communique.documents.language import detect_language
from communique.documents.metadata import (
    is_boilerplate,
    is_byline,
    parse_iso_stamp,
    place_date_line,
)
from communique.documents.normalize import normalize_text
from communique.documents.publishers import (
    Publisher,
    host_name,
    publisher_by_name,
    publisher_from_text,
    publisher_from_url,
)
from communique.errors import BadMetadata, EmptyInput, UnsupportedInput
from communique.lines import block_width, joins
from communique.model import Document
from communique.resources import load_yaml

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n(?:---|\.\.\.)\s*\n", re.S)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.M)
FORMAT_BY_SUFFIX = {
    **dict.fromkeys((".md", ".markdown", ".mdown"), "markdown"),
    **dict.fromkeys((".html", ".htm", ".xhtml", ".shtml"), "html"),
}
"""The input format a file's suffix names (any other file is sniffed: text, HTML or Markdown)."""


def document_id(text: str) -> str:
    """Content identity: the first 16 hex digits of the SHA-256 of the normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def make_document(
    raw: str,
    *,
    url: str | None = None,
    published: object = None,
    source: str | None = None,
    source_country: str | None = None,
    title: str | None = None,
    fmt: str | None = None,
    name: str | None = None,
    language: str | None = None,
) -> Document:
    """Build a Document from raw text, HTML or Markdown (``fmt`` forces one; else it is sniffed).

    Caller-given ``url``, ``published``, ``source``, ``source_country``, ``title`` and
    ``language`` (ISO 639-1: en, zh, ru) override what is found in the input (the language is
    otherwise told by the script). ``name`` labels the input in error messages.
    """
    found: dict[str, Any] = {}
    raw = scrub(raw)  # NUL characters and lone surrogates: no text, and unstorable
    if fmt == "markdown" and not _FRONT_MATTER.match(raw.lstrip()):
        raw, fmt = _strip_markdown(raw), "text"  # Markdown without front matter: its text
    if fmt is None:
        if raw.lstrip().startswith("---") and _FRONT_MATTER.match(raw.lstrip()):
            fmt = "markdown"
        elif looks_like_html(raw):
            fmt = "html"
        else:
            fmt = "text"
    if fmt == "html":
        content = html_to_content(raw, url=url)
        body = content.text
        found.update(title=content.title, published=content.date, url=content.url)
        found["sitename"] = content.sitename
    elif fmt == "markdown":
        body, meta = _split_front_matter(raw.lstrip())
        body = _strip_markdown(body)
        found.update(
            title=meta.get("title"),
            published=meta.get("date") or meta.get("published"),
            url=meta.get("source_url") or meta.get("url"),
            source=meta.get("source"),
        )
    elif fmt == "text":
        body = raw
    else:
        raise UnsupportedInput(f"unknown format {fmt!r}; use text, html or markdown", source=name)

    text = normalize_text(body)
    text, text_meta = _peel_text_metadata(text)
    for key, value in text_meta.items():
        found.setdefault(key, value)
        if found[key] is None:
            found[key] = value
    if not text.strip():
        raise EmptyInput(
            "no text left after cleaning; check that the input is a readout "
            "(an HTML page may hold its body in a script the cleaner cannot read)",
            source=name,
        )

    url = _url(url or found.get("url"), name)
    title = _text(title, "title", name) or _text(found.get("title"), "title", name)
    source = _text(source, "source", name)
    found_source = _text(found.get("sitename") or found.get("source"), "source", name)
    publisher: Publisher | None = (
        publisher_by_name(source)
        or publisher_from_url(url)
        or publisher_from_text(normalize_text(raw) if fmt == "text" else text)
    )
    published_iso = normalize_published(
        published if published not in (None, "") else found.get("published"), source=name
    )
    return Document(
        text=text,
        id=document_id(text),
        url=url,
        title=title,
        published=published_iso,
        source=source or (publisher.name if publisher else found_source) or host_name(url),
        source_country=source_country or (publisher.country if publisher else None),
        timezone=publisher.timezone if publisher else None,
        language=language or detect_language(text),
    )


MAX_URL = 8192  # characters of a document's URL (its key in the store)


def _text(value: object, what: str, name: str | None) -> str | None:
    """A metadata value as text: a string, or a number written as one; anything else (an object,
    a list, a boolean) is an error naming its type, never its (possibly huge) value."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:  # an integer with thousands of digits
            pass
    raise BadMetadata(
        f"the {what} is {type(value).__name__}, not text; give it as a string", source=name
    )


def _url(value: object, name: str | None) -> str | None:
    """A document's URL: text that parses as a URL, of a sane length."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadMetadata(
            f"the URL is {type(value).__name__}, not text; give it as a string", source=name
        )
    if len(value) > MAX_URL:
        raise BadMetadata(f"the URL is over {MAX_URL} characters; shorten it", source=name)
    try:
        urlsplit(value)
    except ValueError as exc:
        raise BadMetadata(f"unreadable URL {value[:200]!r} ({exc}); fix it", source=name) from exc
    return scrub(value)


def read_document(path: str | Path, **overrides: Any) -> Document:
    """Read a file (text, HTML or Markdown, by suffix or content) into a Document."""
    p = Path(path)
    raw = read_text(p, name=str(path))
    fmt = overrides.pop("fmt", None) or FORMAT_BY_SUFFIX.get(p.suffix.lower())
    return make_document(raw, fmt=fmt, name=str(path), **overrides)


def _split_front_matter(raw: str) -> tuple[str, dict[str, Any]]:
    m = _FRONT_MATTER.match(raw)
    if not m:
        return raw, {}
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):  # hostile or broken YAML
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    for key, value in list(meta.items()):
        if isinstance(value, datetime | date):
            meta[key] = value.isoformat()
    return raw[m.end() :], meta


def _strip_markdown(body: str) -> str:
    body = _MD_LINK.sub(r"\1", body)
    body = _MD_HEADING.sub("", body)
    return _MD_EMPH.sub(r"\2", body)


@functools.cache
def _continuers() -> frozenset[str]:
    """Words that cannot end a heading (data/lang/en/words.yaml `continuers`)."""
    return frozenset(
        str(w).lower() for w in load_yaml("lang/en/words.yaml").get("continuers") or ()
    )


def _block(lines: list[str], start: int) -> tuple[int, int]:
    """The width and the number of lines of the block (up to a blank line) from ``start``."""
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return block_width(lines[start:end]), end - start


_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u9fff]")  # kana and ideographs
_UNSPACED_PUNCT = re.compile("[，、；。]")  # inside or at the end of a sentence


def _running_text(line: str, nxt: str, width: int) -> bool:
    """Whether a line of a script written without spaces is running text, never a heading: it
    holds sentence punctuation, or it fills its hard-wrapped block and the next line goes on
    ("新华社北京7月5日电 国家主席习近平5日在人民大会\n堂会见…": the dateline's space made it look
    like a heading of two words, cut off from the rest of its sentence)."""
    if not _UNSPACED.search(line):
        return False
    return bool(_UNSPACED_PUNCT.search(line)) or (bool(nxt.strip()) and len(line) >= 0.8 * width)


def _peel_text_metadata(text: str) -> tuple[str, dict[str, Any]]:
    """Remove breadcrumbs and a timestamp line from the head of a scraped page and boilerplate
    lines from its tail; note a title line (kept in the body); return the body and what was found."""
    meta: dict[str, Any] = {}
    lines = text.split("\n")
    head: list[str] = []
    i = 0
    # leading block: boilerplate, a short title line, a timestamp line
    while i < len(lines) and len(head) < 6:
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if is_boilerplate(line):
            i += 1
            continue
        stamp = parse_iso_stamp(line) or place_date_line(line)
        if stamp is not None:
            meta.setdefault("published", stamp.isoformat())
            i += 1
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        width, block_len = _block(lines, i)
        if joins(line, nxt, width, block_len, _continuers()):
            break  # the first line of a hard-wrapped paragraph, not a heading
        if (
            len(line) < 200
            and not line.endswith((".", ":", ";"))
            and len(line.split()) >= 2
            and not _running_text(line, nxt, width)
        ):
            # a heading line (kept in the body): the last one before the body is the title,
            # unless it is a by-line ("Matthew Miller, Department Spokesperson")
            if len(line.split()) >= 4 and not is_byline(line):
                meta["title"] = line
            head.append(line)
            i += 1
            continue
        break
    # each heading line a paragraph of its own: a title is never read into the next line
    body_lines = [*(x for h in head for x in (h, "")), *lines[i:]] if head else lines[i:]
    while body_lines and (not body_lines[-1].strip() or is_boilerplate(body_lines[-1])):
        body_lines.pop()
    return "\n".join(body_lines).strip(), meta
