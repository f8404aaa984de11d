"""Sources: what a user points at (files, folders, corpora, URLs, feeds, WARC archives), read into
store Items. Reading never stops on a bad input: it yields an ItemError naming it and goes on.
"""

from __future__ import annotations

import glob
import gzip
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from communique.errors import CommuniqueError
from communique.ingest.corpus import (
    FieldMap,
    corpus_format,
    raw_records,
    record_fields,
    record_key,
)
from communique.store import Item, ItemError

READABLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".md", ".markdown"}
CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines", ".csv", ".tsv", ".json")
USER_AGENT = "communique/0.1 (+https://pypi.org/project/communique)"
_FMT_BY_SUFFIX = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
}


def expand_paths(inputs: list[str]) -> Iterator[str]:
    """Files, folders (recursively, readable suffixes and corpora), globs, URLs and ``-``."""
    for item in inputs:
        if item == "-" or item.startswith(("http://", "https://")):
            yield item
            continue
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if (
                    f.is_file()
                    and not any(part.startswith(".") for part in rel)
                    and not f.name.upper().startswith(("README", "LICENSE", "MANIFEST"))
                    and (f.suffix.lower() in READABLE_SUFFIXES or is_corpus(f) or is_warc(f))
                ):
                    yield str(f)
            continue
        if not p.exists() and any(ch in item for ch in "*?["):
            matches = sorted(glob.glob(item, recursive=True))
            if matches:
                yield from matches
                continue
        yield item


def is_corpus(path: Path) -> bool:
    return path.name.lower().removesuffix(".gz").endswith(CORPUS_SUFFIXES)


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith((".warc", ".warc.gz", ".arc.gz"))


def read_items(inputs: list[str], fieldmap: FieldMap | None = None) -> Iterator[Item | ItemError]:
    """Every input as Items, in order (a corpus or an archive expands to its records)."""
    fieldmap = fieldmap or FieldMap()
    for name in expand_paths(inputs):
        if name.startswith(("http://", "https://")):
            yield from url_items(name)
            continue
        if name == "-":
            import sys

            yield Item(origin="<stdin>", raw=sys.stdin.read(), source=fieldmap.source)
            continue
        path = Path(name)
        if not path.exists():
            yield ItemError(name, "E001 no such file or folder; check the path")
            continue
        if is_warc(path):
            yield from warc_items(path)
        elif is_corpus(path):
            yield from corpus_items(path, fieldmap)
        else:
            yield from file_item(path, fieldmap)


def count_items(inputs: list[str], fieldmap: FieldMap | None = None) -> int | None:
    """How many items ``read_items`` will yield, for a progress bar's ETA (None: unknown, as for
    URLs, feeds and WARC archives)."""
    fieldmap = fieldmap or FieldMap()
    total = 0
    for name in expand_paths(inputs):
        if name == "-" or name.startswith(("http://", "https://")):
            return None
        path = Path(name)
        if is_warc(path):
            return None
        if is_corpus(path) and path.exists():
            try:
                total += sum(1 for _ in raw_records(path, fieldmap))
            except (CommuniqueError, OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError):
                total += 1
        else:
            total += 1
    return total


def file_item(path: Path, fieldmap: FieldMap) -> Iterator[Item | ItemError]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield ItemError(str(path), f"E002 cannot read: {exc.strerror}")
        return
    if b"\x00" in data[:4096]:
        yield ItemError(str(path), "E004 binary file; give text, HTML or Markdown")
        return
    raw = data.decode("utf-8-sig", errors="replace")
    yield Item(
        origin=str(path),
        raw=raw,
        fmt=_FMT_BY_SUFFIX.get(path.suffix.lower()),
        source=fieldmap.source,
    )


def corpus_items(path: Path, fieldmap: FieldMap) -> Iterator[Item | ItemError]:
    try:
        corpus_format(path, fieldmap)
        records = raw_records(path, fieldmap)
        for position, obj in records:
            if isinstance(obj, Exception):
                yield ItemError(f"{path}#{position}", f"E020 bad record: {obj}")
                continue
            origin = f"{path}#{record_key(obj, fieldmap, position)}"
            try:
                text, url, published, title = record_fields(obj, fieldmap, origin)
            except CommuniqueError as exc:
                yield ItemError(origin, str(exc))
                continue
            yield Item(
                origin=origin,
                raw=text,
                url=url,
                published=published,
                title=title,
                source=fieldmap.source,
            )
    except (CommuniqueError, OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError) as exc:
        yield ItemError(str(path), f"E020 cannot read the corpus: {exc}")


def fetch(url: str, timeout: float = 20.0) -> tuple[bytes, str]:
    """GET a URL; returns the body and its content type."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read(), resp.headers.get("Content-Type", "")


def _decode(body: bytes, ctype: str) -> str:
    charset = "utf-8"
    if "charset=" in ctype:
        charset = ctype.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def is_feed(body: bytes, ctype: str) -> bool:
    head = body[:1000].lstrip().lower()
    return any(t in ctype for t in ("rss", "atom")) or (
        (head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed"))
        and (b"<rss" in body[:2000].lower() or b"<feed" in body[:2000].lower())
    )


def url_items(url: str) -> Iterator[Item | ItemError]:
    """A web page, or every entry of an RSS/Atom feed (its full content when the feed carries
    it, else the linked page)."""
    try:
        body, ctype = fetch(url)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        yield ItemError(url, f"E005 cannot fetch: {exc}")
        return
    if is_feed(body, ctype):
        yield from feed_items(url, body)
        return
    yield Item(origin=url, raw=_decode(body, ctype), fmt="html", url=url)


def feed_items(feed_url: str, body: bytes) -> Iterator[Item | ItemError]:
    import feedparser

    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        yield ItemError(feed_url, f"E006 not a readable feed: {parsed.bozo_exception}")
        return
    for entry in parsed.entries:
        link = entry.get("link")
        content = ""
        if entry.get("content"):
            content = max((c.get("value", "") for c in entry["content"]), key=len)
        summary = entry.get("summary", "")
        published = entry.get("published") or entry.get("updated")
        origin = link or f"{feed_url}#{entry.get('id', '')}"
        if len(content) < 200 and link:
            # a feed of headlines: read the page itself
            try:
                page, ctype = fetch(link)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                yield ItemError(origin, f"E005 cannot fetch the feed entry: {exc}")
                continue
            yield Item(
                origin=origin,
                raw=_decode(page, ctype),
                fmt="html",
                url=link,
                published=published,
                title=entry.get("title"),
            )
            continue
        yield Item(
            origin=origin,
            raw=content or summary,
            fmt="html",
            url=link,
            published=published,
            title=entry.get("title"),
        )


def warc_items(path: Path) -> Iterator[Item | ItemError]:
    """HTML responses of a WARC archive (warcio), with their target URIs."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                ctype = (
                    record.http_headers.get_header("Content-Type", "")
                    if record.http_headers
                    else ""
                )
                if "html" not in ctype.lower():
                    continue
                status = record.http_headers.get_statuscode() if record.http_headers else "200"
                if status and not str(status).startswith("2"):
                    continue
                body = record.content_stream().read()
                yield Item(
                    origin=f"{path}#{uri}",
                    raw=_decode(body, ctype),
                    fmt="html",
                    url=uri or None,
                )
    except Exception as exc:  # warcio raises several unrelated types on a damaged archive
        yield ItemError(str(path), f"E007 cannot read the WARC archive: {exc}")
