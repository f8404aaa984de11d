"""Who published a document: recognised from its URL or markers in its text (data/publishers.yaml)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

from communique.resources import load_yaml


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    country: str | None
    timezone: str


@functools.cache
def _publishers() -> tuple[tuple[Publisher, tuple[str, ...], tuple[str, ...]], ...]:
    out = []
    for row in load_yaml("publishers.yaml"):
        pub = Publisher(
            name=row["name"],
            country=row.get("country"),
            timezone=row.get("timezone") or "UTC",
        )
        domains = tuple(d.lower() for d in row.get("domains", ()))
        markers = tuple(row.get("markers", ()))
        out.append((pub, domains, markers))
    return tuple(out)


def publisher_from_url(url: str | None) -> Publisher | None:
    """The publisher whose domain (or domain/path prefix) the URL belongs to."""
    if not url:
        return None
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
        host = (parts.hostname or "").lower()
    except ValueError:  # not a URL (an unclosed IPv6 bracket, a bad port)
        return None
    path = parts.path.lower()
    best: tuple[int, Publisher] | None = None
    for pub, domains, _ in _publishers():
        for dom in domains:
            dom_host, _, dom_path = dom.partition("/")
            if host != dom_host and not host.endswith("." + dom_host):
                continue
            if dom_path and not path.lstrip("/").startswith(dom_path):
                continue
            score = len(dom)
            if best is None or score > best[0]:
                best = (score, pub)
    return best[1] if best else None


def host_name(url: str | None) -> str | None:
    """The host of a URL without ``www.``: how a publisher communique does not know is named
    (``example.org``); None without a URL or a host."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    host = host.removeprefix("www.")
    return host if "." in host else None


def publisher_from_text(text: str) -> Publisher | None:
    """The publisher named by a marker in the first or last 600 characters of the text."""
    head, tail = text[:600], text[-600:]
    for pub, _, markers in _publishers():
        for marker in markers:
            if marker in head or marker in tail:
                return pub
    return None


def publisher_by_name(name: str | None) -> Publisher | None:
    if not name:
        return None
    low = name.lower()
    for pub, domains, _ in _publishers():
        if pub.name.lower() == low or low in domains:
            return pub
    return None
