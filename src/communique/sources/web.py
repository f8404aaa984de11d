"""The web: a page at a URL, or every entry of an RSS/Atom feed, fetched within limits.

The fetch policy (:class:`communique.documents.limits.Limits`):

- only ``http`` and ``https``, for the URLs a user names, the links of a feed and redirects;
- a URL the user names is fetched wherever its host is; a link found in fetched content or a
  redirect to another host is refused (E009) when its address is loopback, private, link-local,
  multicast or reserved, unless ``allow_private`` (checked on the addresses actually connected
  to, so a name that resolves to 127.0.0.1 is caught too);
- one response body holds at most ``fetch_bytes``, and a fetch ends ``fetch_seconds`` after it
  started whatever the server does (a server that drips one byte at a time, or never answers);
- a feed entry is read from its own content or description; its link is fetched only when it
  has neither, or with ``fetch_links``.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from communique.documents.decode import charset_of, decode, is_binary
from communique.documents.limits import DEFAULT_LIMITS, Limits
from communique.errors import (
    CommuniqueError,
    FetchFailed,
    FetchRefused,
    InputTooLarge,
    NotAFeed,
    UnsupportedInput,
)
from communique.sources.items import Item, ItemError
from communique.version import __version__

USER_AGENT = f"communique/{__version__} (+https://pypi.org/project/communique)"
SCHEMES = ("http", "https")
SOCKET_TIMEOUT = 20.0  # seconds one network operation may wait
_CHUNK = 1 << 16


def public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local,
    shared, multicast, reserved or unspecified; an IPv4-mapped IPv6 address as its IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not ip.is_multicast


def check_scheme(url: str) -> None:
    """Raise FetchRefused (E009) for a URL that is not http(s)."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:
        raise FetchRefused(f"not a URL ({exc}); only http(s) links are fetched") from exc
    if scheme not in SCHEMES:
        raise FetchRefused(f"a {scheme or 'relative'}: link; only http(s) links are fetched")


class _Fetch:
    """One fetch: its connections (each checked against the policy), and a watchdog that shuts
    them down at the deadline."""

    def __init__(self, url: str, limits: Limits, trusted: bool) -> None:
        self.limits = limits
        self.trusted_host = (urlsplit(url).hostname or "").lower() if trusted else None
        self.deadline = time.monotonic() + limits.fetch_seconds
        self.sockets: list[socket.socket] = []
        self.expired = False
        self.lock = threading.Lock()

    def create_connection(
        self, address: tuple[str, int], timeout: Any = None, source_address: Any = None, **_: Any
    ) -> socket.socket:
        host, port = address
        allowed_anywhere = self.limits.allow_private or (host.lower() == self.trusted_host)
        errors: list[OSError] = []
        refused = None
        for family, kind, proto, _name, sockaddr in socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        ):
            if not allowed_anywhere and not public_address(str(sockaddr[0])):
                refused = sockaddr[0]
                continue
            sock = socket.socket(family, kind, proto)
            with self.lock:
                if self.expired:
                    sock.close()
                    raise TimeoutError("the fetch deadline passed")
                self.sockets.append(sock)
            sock.settimeout(min(SOCKET_TIMEOUT, max(0.1, self.deadline - time.monotonic())))
            try:
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                errors.append(exc)
        if errors:
            raise errors[0]
        if refused is not None:
            raise FetchRefused(
                f"{host} is at {refused}, a loopback, private or reserved address; "
                "pass --allow-private to fetch such links"
            )
        raise OSError(f"no address for {host}")

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects to http(s) only (a refusal, E009, for any other scheme); where they point is
    checked when they connect."""

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        target = headers.get("location") or headers.get("uri")
        if target:
            check_scheme(urljoin(req.full_url, target))
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(fetch: _Fetch) -> urllib.request.OpenerDirector:
    def connection(cls: type[http.client.HTTPConnection]) -> Callable[..., Any]:
        def make(host: str, **kw: Any) -> http.client.HTTPConnection:
            conn = cls(host, **kw)
            conn._create_connection = fetch.create_connection  # type: ignore[attr-defined]
            return conn

        return make

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(connection(http.client.HTTPConnection), req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(
                connection(http.client.HTTPSConnection),
                req,
                context=self._context,  # type: ignore[attr-defined]
            )

    opener = urllib.request.OpenerDirector()
    for handler in (
        Http(),
        Https(),
        _Redirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(url: str, limits: Limits = DEFAULT_LIMITS, *, trusted: bool = True) -> tuple[bytes, str]:
    """GET a URL within the policy; returns the body and its content type. ``trusted``: the
    user named this URL (its own host may be private); a link found in content is not.

    Raises FetchRefused (E009), InputTooLarge (E008) or FetchFailed (E005)."""
    check_scheme(url)
    job = _Fetch(url, limits, trusted)
    watchdog = threading.Timer(limits.fetch_seconds, job.expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        with _opener(job).open(req, timeout=SOCKET_TIMEOUT) as resp:
            ctype = resp.headers.get("Content-Type", "")
            chunks, size = [], 0
            while True:
                chunk = resp.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limits.fetch_bytes:
                    raise InputTooLarge(
                        f"response over {limits.fetch_bytes:,} bytes; "
                        "raise the limit with --fetch-bytes"
                    )
                chunks.append(chunk)
                if job.expired:
                    break
            if getattr(resp, "length", None):  # fewer bytes than its Content-Length
                raise http.client.IncompleteRead(b"".join(chunks), resp.length)
        if job.expired:
            raise TimeoutError("the fetch deadline passed")
        return b"".join(chunks), ctype
    except CommuniqueError:
        raise
    except Exception as exc:  # urllib, http.client, ssl and socket raise many unrelated types
        if job.expired:
            raise FetchFailed(
                f"no complete answer within {limits.fetch_seconds:g} s; "
                "raise the limit with --fetch-seconds"
            ) from exc
        reason = getattr(exc, "reason", None)
        if isinstance(reason, CommuniqueError):  # a refusal inside urllib's URLError
            raise reason from exc
        raise FetchFailed(f"cannot fetch: {type(exc).__name__}: {exc}") from exc
    finally:
        watchdog.cancel()


def is_feed(body: bytes, ctype: str) -> bool:
    head = body[:1000].lstrip().lower()
    return any(t in ctype for t in ("rss", "atom")) or (
        (head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed"))
        and (b"<rss" in body[:2000].lower() or b"<feed" in body[:2000].lower())
    )


def url_items(url: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item | ItemError]:
    """A web page, or every entry of an RSS/Atom feed."""
    try:
        body, ctype = fetch(url, limits, trusted=True)
    except CommuniqueError as exc:
        yield ItemError(url, exc)
        return
    if is_feed(body, ctype):
        yield from feed_items(url, body, limits)
        return
    if is_binary(body):
        yield ItemError(url, UnsupportedInput(f"not a page ({ctype or 'binary'}); give HTML"))
        return
    yield Item(origin=url, raw=decode(body, charset_of(ctype)), fmt="html", url=url)


def feed_items(
    feed_url: str, body: bytes, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Item | ItemError]:
    """Every entry of a feed: its own content (or description), else the linked page."""
    import feedparser

    try:
        parsed = feedparser.parse(body)
    except Exception as exc:  # feedparser's parsers raise unrelated types on hostile XML
        yield ItemError(feed_url, NotAFeed(f"not a readable feed: {type(exc).__name__}"))
        return
    if parsed.bozo and not parsed.entries:
        yield ItemError(feed_url, NotAFeed(f"not a readable feed: {parsed.bozo_exception}"))
        return
    for n, entry in enumerate(parsed.entries):
        try:
            yield _entry_item(feed_url, n, entry, limits)
        except Exception as exc:  # an entry no rule foresaw fails alone
            yield ItemError(
                f"{feed_url}#{n}", NotAFeed(f"unreadable feed entry: {type(exc).__name__}")
            )


def _entry_item(feed_url: str, n: int, entry: Any, limits: Limits) -> Item | ItemError:
    link = entry.get("link") or None
    if not isinstance(link, str):
        link = None
    content = ""
    if entry.get("content"):
        content = max((str(c.get("value") or "") for c in entry["content"]), key=len)
    summary = str(entry.get("summary") or "")
    own = content if content.strip() else summary
    published = entry.get("published") or entry.get("updated")
    origin = link or f"{feed_url}#{entry.get('id') or n}"
    url = link
    if link is not None:
        try:
            check_scheme(link)
        except FetchRefused:
            url = None  # a file:, javascript: or data: "link" is no document's URL
    raw = own
    if link is not None and (limits.fetch_links or not own.strip()):
        try:
            page, ctype = fetch(link, limits, trusted=False)
        except CommuniqueError as exc:
            return ItemError(origin, exc)
        if is_binary(page):
            return ItemError(origin, UnsupportedInput(f"the linked page is not HTML ({ctype})"))
        raw = decode(page, charset_of(ctype))
    return Item(
        origin=origin,
        raw=raw,
        fmt="html",
        url=url,
        published=published,
        title=entry.get("title"),
    )
