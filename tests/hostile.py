"""Hostile inputs for the hardening tests (issue 11): a web server on 127.0.0.1 that misbehaves
on purpose, and makers of bad files. Nothing here is mocked: the servers are real sockets, the
files real files."""

from __future__ import annotations

import gzip
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

GOOD = [
    "Secretary Antony J. Blinken spoke today with Estonian Foreign Minister Urmas Reinsalu about "
    "support for Ukraine and security in the Baltic region.",
    "President Xi Jinping held talks with President Kassym-Jomart Tokayev of Kazakhstan in Xi'an "
    "on May 17, 2023. The two heads of state signed a joint declaration.",
    "Foreign Minister Wang Yi met with Pakistani Foreign Minister Ishaq Dar in Beijing on "
    "Wednesday to discuss the China-Pakistan Economic Corridor.",
]
PAGE = (
    b"<html><head><title>Call with the Foreign Minister of Italy</title></head><body><article>"
    b"<p>Secretary Antony J. Blinken spoke today with Italian Deputy Prime Minister and Foreign "
    b"Minister Antonio Tajani to discuss preparations for the G7 ministerial meeting in Capri.</p>"
    b"</article></body></html>"
)
MAX_SECONDS = 30  # a misbehaving handler gives up after this long (no thread outlives a test)


def rss(items: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
        "<link>http://example.org/</link><description>d</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def item(title: str, link: str | None, description: str | None) -> str:
    parts = [f"<title>{title}</title>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if description is not None:
        parts.append(f"<description><![CDATA[{description}]]></description>")
    return "<item>" + "".join(parts) + "</item>"


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>t</title><item><title>x</title>
<description>&lol9;</description></item></channel></rss>"""


class Hostile(http.server.BaseHTTPRequestHandler):
    """Routes of a server that misbehaves on purpose."""

    protocol_version = "HTTP/1.1"
    base: ClassVar[str] = ""
    feeds: ClassVar[dict[str, bytes]] = {}

    def log_message(self, *args: object) -> None:
        return

    def _head(self, status: int = 200, ctype: str = "text/html", length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()

    def _drip(self, data: bytes) -> None:
        end = time.monotonic() + MAX_SECONDS
        try:
            while time.monotonic() < end:
                self.wfile.write(data)
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            return

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/page":
            self._head(length=len(PAGE))
            self.wfile.write(PAGE)
        elif path == "/drip":  # a body that never ends, one byte at a time
            self._head()
            self._drip(b"<")
        elif path == "/forever":  # a body that never ends, fast
            self._head()
            end = time.monotonic() + MAX_SECONDS
            chunk = b"<p>" + b"a" * 65536 + b"</p>"
            try:
                while time.monotonic() < end:
                    self.wfile.write(chunk)
            except OSError:
                return
        elif path == "/slowhead":  # a header that never ends
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            self._drip(b"a")
        elif path == "/silent":  # never answers
            time.sleep(MAX_SECONDS)
        elif path == "/truncated":  # announces more than it sends
            self._head(length=100_000)
            self.wfile.write(PAGE)
        elif path == "/binary":
            body = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
            self._head(ctype="image/png", length=len(body))
            self.wfile.write(body)
        elif path == "/redirect-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/redirect-loopback":
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.server.server_address[1]}/page")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path in self.feeds:
            body = self.feeds[path]
            self._head(ctype="application/rss+xml", length=len(body))
            self.wfile.write(body)
        else:
            self.send_error(404)


@contextmanager
def hostile_site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_port}"
    Hostile.base = base
    Hostile.feeds = {
        "/feed-links.xml": rss(
            [
                item("a local file", "file://localhost/etc/passwd", None),
                item("this host", f"{base}/page", None),
                item("a private address", "http://10.255.255.1/readout", None),
                item("a link-local address", "http://169.254.169.254/latest/meta-data/", None),
                item("a script", "javascript:alert(1)", None),
                item("own text", "file:///etc/shadow", GOOD[0]),
            ]
        ),
        "/feed-big.xml": rss(
            [
                item(f"readout {i}", f"https://www.state.gov/r/{i}", f"{GOOD[i % 3]} ({i})")
                for i in range(1000)
            ]
        ),
        "/feed-laughs.xml": LAUGHS,
        "/feed-redirects.xml": rss(
            [
                item("to a file", f"{base}/redirect-file", None),
                item("to loopback", f"{base}/redirect-loopback", None),
            ]
        ),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- bad files -------------------------------------------------------------------------------------
def gzip_bomb(path: Path, head: bytes, filler: bytes, size: int) -> Path:
    """A gzip file of ``head`` then ``size`` bytes of ``filler`` (a few KB on disk)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(head)
        block = filler * ((1 << 20) // max(1, len(filler)))
        written = 0
        while written < size:
            fh.write(block)
            written += len(block)
    return path


def nested(depth: int) -> str:
    return '{"text": "' + GOOD[0] + '", "deep": ' + "[" * depth + "]" * depth + "}"
