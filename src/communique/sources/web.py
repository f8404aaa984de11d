"""The web: a page at a URL, or every entry of an RSS/Atom feed."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

from communique.documents.decode import charset_of, decode
from communique.errors import FetchFailed, NotAFeed
from communique.sources.items import Item, ItemError
from communique.version import __version__

USER_AGENT = f"communique/{__version__} (+https://pypi.org/project/communique)"
FETCH_ERRORS = (urllib.error.URLError, OSError, ValueError)


def fetch(url: str, timeout: float = 20.0) -> tuple[bytes, str]:
    """GET a URL; returns the body and its content type."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read(), resp.headers.get("Content-Type", "")


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
    except FETCH_ERRORS as exc:
        yield ItemError(url, FetchFailed(f"cannot fetch: {exc}"))
        return
    if is_feed(body, ctype):
        yield from feed_items(url, body)
        return
    yield Item(origin=url, raw=decode(body, charset_of(ctype)), fmt="html", url=url)


def feed_items(feed_url: str, body: bytes) -> Iterator[Item | ItemError]:
    import feedparser

    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        yield ItemError(feed_url, NotAFeed(f"not a readable feed: {parsed.bozo_exception}"))
        return
    for entry in parsed.entries:
        link = entry.get("link")
        content = ""
        if entry.get("content"):
            content = max((c.get("value", "") for c in entry["content"]), key=len)
        summary = entry.get("summary", "")
        published = entry.get("published") or entry.get("updated")
        origin = link or f"{feed_url}#{entry.get('id', '')}"
        raw = content or summary
        if len(content) < 200 and link:
            # a feed of headlines: read the page itself
            try:
                page, ctype = fetch(link)
            except FETCH_ERRORS as exc:
                yield ItemError(origin, FetchFailed(f"cannot fetch the feed entry: {exc}"))
                continue
            raw = decode(page, charset_of(ctype))
        yield Item(
            origin=origin,
            raw=raw,
            fmt="html",
            url=link,
            published=published,
            title=entry.get("title"),
        )
