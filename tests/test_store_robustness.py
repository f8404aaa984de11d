"""The store under real conditions: a run killed with SIGKILL and restarted, web pages and
feeds from an HTTP server on 127.0.0.1, WARC archives, and the command line."""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from communique.documents.limits import Limits
from communique.runners.ingest import ingest
from communique.sources import read_items
from communique.store import Store
from store_helpers import corpus_slice, dump, fresh_url

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "communique"]


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_killed_run_resumes_to_the_same_database(engine: str, corpus: Path, tmp_path: Path) -> None:
    data = corpus_slice(corpus, tmp_path / "slice.jsonl", 600)
    args = [
        "ingest",
        str(data),
        "--text-field",
        "content_html",
        "--date-field",
        "pubDate",
        "--url-field",
        "link",
        "--title-field",
        "title",
        "--quiet",
    ]
    # the uninterrupted run
    clean_url = str(tmp_path / "clean.db") if engine == "sqlite" else fresh_url(engine, tmp_path)
    subprocess.run([*CLI, *args, "--db", clean_url], check=True, cwd=ROOT, capture_output=True)
    s = Store(clean_url)
    expected = dump(s)
    s.close()
    assert len(expected["documents"]) == 600

    # a run killed in the middle, then started again
    killed_url = str(tmp_path / "killed.db") if engine == "sqlite" else fresh_url(engine, tmp_path)
    proc = subprocess.Popen(
        [*CLI, *args, "--db", killed_url],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            probe = Store(killed_url)
            stored = probe.db.scalar("SELECT COUNT(*) FROM documents") or 0
            probe.close()
        except Exception:
            stored = 0
        if stored >= 150:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < stored < 600
    subprocess.run([*CLI, *args, "--db", killed_url], check=True, cwd=ROOT, capture_output=True)
    s = Store(killed_url)
    assert dump(s) == expected
    s.close()


class _Site(http.server.SimpleHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[str, bytes]]] = {}

    def do_GET(self) -> None:
        ctype, body = self.pages.get(self.path, ("text/plain", b""))
        if not body:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def site(examples: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    base = f"http://127.0.0.1:{server.server_port}"
    page = (examples / "state-visit-page.html").read_bytes()
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Readouts</title><link>{base}/</link><description>test feed</description>
<item><title>Call with Italian Foreign Minister Tajani</title><link>{base}/call</link>
<pubDate>Tue, 05 Mar 2024 21:00:00 +0000</pubDate>
<content:encoded><![CDATA[<p>Secretary Antony J. Blinken spoke today with Italian Deputy Prime
Minister and Foreign Minister Antonio Tajani to discuss preparations for the G7 ministerial meeting
in Capri and continued support for Ukraine. The Secretary thanked the Foreign Minister for Italy's
leadership of the G7 this year and for its contributions to security in the Red Sea.</p>]]></content:encoded>
</item>
<item><title>State visit</title><link>{base}/visit</link>
<pubDate>Thu, 16 May 2024 10:00:00 +0800</pubDate><description>short</description></item>
<item><title>Broken link</title><link>{base}/missing</link><description>x</description></item>
</channel></rss>""".encode()
    _Site.pages = {
        "/visit": ("text/html; charset=utf-8", page),
        "/feed.xml": ("application/rss+xml", feed),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


def test_pages_and_feeds_over_http(site: str, tmp_path: Path) -> None:
    # by default an entry is read from its own content or description, and nothing is fetched
    offline = Store(str(tmp_path / "offline.db"))
    s = ingest(offline, read_items([f"{site}/feed.xml"]))
    assert (s.added, s.failed) == (3, 0)
    offline.close()
    # --fetch-links reads the linked pages (on 127.0.0.1 here: --allow-private too); /call has
    # no page on this site
    linked = Store(str(tmp_path / "linked.db"))
    limits = Limits(fetch_links=True, allow_private=True)
    s = ingest(linked, read_items([f"{site}/feed.xml"], limits=limits))
    assert (s.added, s.failed) == (1, 2)
    linked.close()
    # entries with too little of their own are read from their pages when the feed is short
    store = Store(str(tmp_path / "web.db"))
    _Site.pages["/feed.xml"] = (
        "application/rss+xml",
        _Site.pages["/feed.xml"][1].replace(b"<description>short</description>", b""),
    )
    _Site.pages["/feed.xml"] = (
        "application/rss+xml",
        _Site.pages["/feed.xml"][1].replace(b"<description>x</description>", b""),
    )
    s = ingest(store, read_items([f"{site}/feed.xml"], limits=Limits(allow_private=True)))
    assert (s.added, s.failed) == (2, 1)
    rows = store.db.query("SELECT url, title, published FROM documents ORDER BY url")
    assert [r["url"] for r in rows] == [f"{site}/call", f"{site}/visit"]
    assert rows[0]["published"].startswith("2024-03-05")
    failure = store.db.query("SELECT origin, error FROM failures")[0]
    assert failure["origin"] == f"{site}/missing" and "E005" in failure["error"]
    again = ingest(store, read_items([f"{site}/visit"]))
    assert again.unchanged == 1
    store.close()


def test_warc_archive(examples: Path, tmp_path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for name, ctype in (
            ("state-visit-page.html", "text/html"),
            ("xinhua-wire.txt", "text/plain"),
        ):
            body = (examples / name).read_bytes()
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                f"https://example.org/{name}",
                "response",
                payload=BytesIO(body),
                http_headers=headers,
            )
            writer.write_record(rec)
    store = Store(str(tmp_path / "warc.db"))
    s = ingest(store, read_items([str(path)]))
    assert s.added == 1  # the HTML response; the plain-text one is not a page
    assert (
        store.db.scalar("SELECT url FROM documents") == "https://example.org/state-visit-page.html"
    )
    store.close()


def test_cli_ingest_query_export(examples: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    res = subprocess.run(
        [*CLI, "ingest", str(examples), "--db", db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert "10 added" in res.stderr
    out = subprocess.run(
        [*CLI, "events", "--db", db, "--country", "CHN", "-f", "jsonl"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [json.loads(x) for x in out.splitlines()]
    assert rows and all("CHN" in r["countries"] for r in rows)
    env = dict(os.environ, COMMUNIQUE_DB=db)
    csv_out = subprocess.run(
        [*CLI, "actors", "--kind", "person", "-f", "csv", "-n", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    assert csv_out.splitlines()[0].startswith("name,kind,country")
    assert len(csv_out.splitlines()) == 4
    res = subprocess.run(
        [*CLI, "export", str(tmp_path / "x"), "--format", "cameo", "--db", db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert (tmp_path / "x" / "events.cameo.tsv").exists()
    bad = subprocess.run(
        [*CLI, "ingest", str(tmp_path / "nope.txt"), "--db", db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1 and "nope.txt" in bad.stderr
    listed = subprocess.run(
        [*CLI, "failures", "--db", db, "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(listed)[0]["stage"] == "read"
