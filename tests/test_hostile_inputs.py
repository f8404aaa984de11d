"""The hostile-input matrix (issue 11): each row puts one bad input between good ones and runs
``communique ingest`` on them (in process, with its real options). For every row: the good
inputs are all stored, the bad one is recorded with its stage and error code (or stored, when it
is only unusual), and the exit code is 1 exactly when something failed. Limits are lowered by
options so that bombs stay small and deadlines short. Servers are real, on 127.0.0.1."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.store import Store
from hostile import GOOD, gzip_bomb, hostile_site, nested

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("COMMUNIQUE_ARTIFACTS", ROOT / "artifacts"))
TALLY: Counter[str] = Counter()


def w(path: Path, data: bytes | str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def jl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def rec(i: int, **extra: object) -> dict[str, object]:
    return {"id": f"r{i}", "text": f"{GOOD[i % 3]} (record {i})", **extra}


@dataclass
class Case:
    name: str
    make: Callable[[Path, str], list[str]]  # (folder, site) -> the bad input(s)
    fails: list[tuple[str, str | tuple[str, ...]]] = field(default_factory=list)  # (stage, code)
    stored: int = 0  # documents the bad input itself holds that must be stored
    options: list[str] = field(default_factory=list)
    stdin: bytes | None = None


TEXT = GOOD[0].encode()
CASES = [
    # -- files of readouts -----------------------------------------------------------------------
    Case("empty file", lambda d, s: [w(d / "empty.txt", b"")], [("ingest", "E003")]),
    Case("only blank lines", lambda d, s: [w(d / "b.txt", "\n \n\t\n")], [("ingest", "E003")]),
    Case(
        "binary file",
        lambda d, s: [w(d / "x.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))],
        [("read", "E004")],
    ),
    Case(
        "NUL bytes after the start",
        lambda d, s: [w(d / "nul.txt", TEXT + b" " * 5000 + b"\x00 and more.\x00")],
        stored=1,
    ),
    Case(
        "Windows-1252 text",
        lambda d, s: [
            w(d / "cp.txt", (GOOD[1] + " Caf\u00e9 \u2013 r\u00e9sum\u00e9.").encode("cp1252"))
        ],
        stored=1,
    ),
    Case(
        "bytes that are no encoding",
        lambda d, s: [w(d / "bad.txt", TEXT + b" \x81\x8d\x8f\x90\x9d \xff\xfe")],
        stored=1,
    ),
    Case(
        "UTF-16 with a byte-order mark",
        lambda d, s: [w(d / "u16.txt", GOOD[2].encode("utf-16"))],
        stored=1,
    ),
    Case(
        "UTF-32 with a byte-order mark",
        lambda d, s: [w(d / "u32.txt", codecs.BOM_UTF32_LE + GOOD[1].encode("utf-32-le"))],
        stored=1,
    ),
    Case(
        "text over --max-chars",
        lambda d, s: [w(d / "long.txt", (GOOD[0] + " ") * 40)],
        [("read", "E008")],
        options=["--max-chars", "3000"],
    ),
    Case(
        "file over the byte limit of --max-chars",
        lambda d, s: [w(d / "huge.txt", b"a " * 100_000)],
        [("read", "E008")],
        options=["--max-chars", "3000"],
    ),
    Case(
        "HTML nested 5,000 levels",
        lambda d, s: [w(d / "deep.html", "<div>" * 5000 + GOOD[0] + "</div>" * 5000)],
        [("ingest", "E003")],  # the HTML parser stops at 256 levels: no text, quickly
    ),
    Case(
        "HTML page whose text is all script",
        lambda d, s: [w(d / "js.html", "<html><body><script>var a = 1;</script></body></html>")],
        [("ingest", "E003")],
    ),
    Case(
        "Markdown front matter: source_url is a number",
        lambda d, s: [w(d / "n.md", f"---\ntitle: A call\nsource_url: 5\n---\n{GOOD[0]}\n")],
        [("ingest", "E010")],
    ),
    Case(
        "Markdown front matter that is not YAML",
        lambda d, s: [w(d / "y.md", f"---\ntitle: [unclosed\n: : :\n---\n{GOOD[1]}\n")],
        stored=1,
    ),
    Case(
        "Markdown front matter: a YAML alias bomb as the title",
        lambda d, s: [
            w(
                d / "bomb.md",
                "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
                "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e]\n"
                f"title: *f\n---\n{GOOD[2]}\n",
            )
        ],
        [("ingest", "E010")],
    ),
    Case(
        "Markdown front matter: a date that is an object",
        lambda d, s: [w(d / "d.md", f"---\ndate: {{a: 1}}\n---\n{GOOD[2]}\n")],
        [("ingest", "E010")],
    ),
    # -- JSON Lines ------------------------------------------------------------------------------
    Case(
        "JSON Lines: bad JSON, not an object, bad UTF-8, a 4,400-digit integer",
        lambda d, s: [
            w(
                d / "c.jsonl",
                jl(rec(1)).encode()
                + b"{not json\n[1, 2]\n"
                + b'{"id": "u", "text": "caf\xe9 \xff"}\n'
                + b'{"id": "n", "text": "x", "n": '
                + b"9" * 4400
                + b"}\n"
                + jl(rec(2)).encode(),
            )
        ],
        [("read", "E020")] * 4,
        stored=2,
    ),
    Case(
        "JSON Lines: a record over the record limit",
        lambda d, s: [w(d / "big.jsonl", jl(rec(1), {"id": "big", "text": "a " * 60_000}, rec(2)))],
        [("read", "E008")],
        stored=2,
        options=["--max-chars", "10000"],
    ),
    Case(
        "JSON Lines: a record nested 100 levels",
        lambda d, s: [w(d / "deep.jsonl", jl(rec(1), nested(100), rec(2)))],
        [("read", "E008")],
        stored=2,
    ),
    Case(
        "JSON Lines: nesting past the recursion limit (depth limit raised)",
        lambda d, s: [w(d / "deeper.jsonl", jl(rec(1), nested(100_000), rec(2)))],
        [("read", "E020")],
        stored=2,
        options=["--max-depth", "1000000"],
    ),
    Case(
        "JSON Lines: NUL and lone surrogates in the fields",
        lambda d, s: [
            w(
                d / "nul.jsonl",
                jl(
                    '{"id": "z", "text": "'
                    + GOOD[1]
                    + '\\u0000 \\ud800.", "title": "a\\u0000b\\udfff"}'
                ),
            )
        ],
        stored=1,
    ),
    Case(
        "JSON Lines: a byte-order mark",
        lambda d, s: [w(d / "bom.jsonl", codecs.BOM_UTF8 + jl(rec(1), rec(2)).encode())],
        stored=2,
    ),
    Case(
        "JSON Lines in UTF-16",
        lambda d, s: [w(d / "u16.jsonl", jl(rec(1), rec(2)).encode("utf-16"))],
        stored=2,
    ),
    Case(
        "JSON Lines: URL with a broken IPv6 host",
        lambda d, s: [w(d / "ip.jsonl", jl(rec(1, url="http://[2001:db8::1/broken")))],
        [("ingest", "E010")],
    ),
    Case(
        "JSON Lines: title, URL and date of the wrong types",
        lambda d, s: [
            w(
                d / "types.jsonl",
                jl(
                    rec(1, title={"a": [1, 2]}),
                    rec(2, url=["https://a"]),
                    rec(3, date={"y": 2024}),
                    {"id": "t", "text": 12345},
                    rec(4, title=7),
                ),
            )
        ],
        [("ingest", "E010")] * 3 + [("read", "E020")],
        stored=1,
    ),
    Case(
        "JSON Lines: hostile title and a javascript: URL",
        lambda d, s: [
            w(
                d / "xss.jsonl",
                jl(
                    rec(
                        1,
                        title="<script>alert(1)</script>",
                        url="javascript:alert(document.cookie)",
                    )
                ),
            )
        ],
        stored=1,
    ),
    Case(
        "JSON Lines: a gzip bomb",
        lambda d, s: [
            str(gzip_bomb(d / "bomb.jsonl.gz", jl(rec(1), rec(2)).encode(), b"0", 8 << 20))
        ],
        [("read", "E008")],
        stored=2,
        options=["--max-bytes", "2000000"],
    ),
    Case(
        "JSON Lines: a truncated gzip file",
        lambda d, s: [
            w(
                d / "cut.jsonl.gz",
                gzip.compress(jl(*[rec(i) for i in range(40)]).encode())[:-600],
            )
        ],
        [("read", ("E002", "E020"))],
        stored=None,  # type: ignore[arg-type]  # whatever came before the cut
    ),
    Case(
        "JSON Lines named .gz that is not gzip",
        lambda d, s: [w(d / "fake.jsonl.gz", jl(rec(1)))],
        [("read", ("E002", "E020"))],
    ),
    # -- CSV -------------------------------------------------------------------------------------
    Case(
        "CSV: a row with bad UTF-8 and a row over the record limit",
        lambda d, s: [
            w(
                d / "c.csv",
                b"id,text\nr1,"
                + GOOD[0].encode()
                + b"\nr2,caf\xe9 \xff\nr3,"
                + b"a" * 90_000
                + b"\nr4,"
                + GOOD[1].encode()
                + b"\n",
            )
        ],
        [("read", "E020"), ("read", "E008")],
        stored=2,
        options=["--max-chars", "5000"],
    ),
    Case(
        "CSV with a byte-order mark",
        lambda d, s: [w(d / "bom.csv", codecs.BOM_UTF8 + f"id,text\nb1,{GOOD[2]}\n".encode())],
        stored=1,
    ),
    Case(
        "CSV: a gzip bomb",
        lambda d, s: [
            str(gzip_bomb(d / "bomb.csv.gz", f"id,text\nc1,{GOOD[0]}\n".encode(), b"\n", 8 << 20))
        ],
        [("read", "E008")],
        stored=1,
        options=["--max-bytes", "200000"],
    ),
    # -- JSON arrays -----------------------------------------------------------------------------
    Case(
        "JSON array: a bad element between good ones, trailing commas",
        lambda d, s: [
            w(
                d / "a.json",
                "["
                + json.dumps(rec(1))
                + ', {"id": "x", oops}, '
                + json.dumps(rec(2))[:-1]
                + ",},]",
            )
        ],
        [("read", "E020")],
        stored=2,
    ),
    Case(
        "JSON array: the file ends inside an element",
        lambda d, s: [w(d / "cut.json", "[" + json.dumps(rec(1)) + ', {"id": "y", "text": "ab')],
        [("read", "E020")],
        stored=1,
    ),
    Case(
        "JSON array: an element nested 100 levels",
        lambda d, s: [w(d / "deep.json", "[" + json.dumps(rec(1)) + "," + nested(100) + "]")],
        [("read", "E008")],
        stored=1,
    ),
    Case(
        "JSON: a top-level string",
        lambda d, s: [w(d / "s.json", '"just a string"')],
        [("read", "E020")],
    ),
    Case(
        "JSON array: a gzip bomb inside one string",
        lambda d, s: [
            str(
                gzip_bomb(
                    d / "bomb.json.gz",
                    ("[" + json.dumps(rec(1)) + ', {"text": "').encode(),
                    b"a",
                    8 << 20,
                )
            )
        ],
        [("read", "E008")],
        stored=1,
        options=["--max-bytes", "3000000"],
    ),
    # -- WARC ------------------------------------------------------------------------------------
    Case(
        "WARC damaged after a good response",
        lambda d, s: [warc(d, damage=True)],
        [("read", "E007")],
        stored=1,
    ),
    Case(
        "WARC response over the record limit",
        lambda d, s: [warc(d, big=True)],
        [("read", "E008")],
        stored=1,
        options=["--max-chars", "5000"],
    ),
    # -- stdin -----------------------------------------------------------------------------------
    Case(
        "stdin over the limit",
        lambda d, s: ["-"],
        [("read", "E008")],
        options=["--max-chars", "1000"],
        stdin=b"a " * 100_000,
    ),
    # -- hostile servers on 127.0.0.1 ------------------------------------------------------------
    Case(
        "a page that drips forever",
        lambda d, s: [f"{s}/drip"],
        [("read", "E005")],
        options=["--fetch-seconds", "1"],
    ),
    Case(
        "a page that streams forever",
        lambda d, s: [f"{s}/forever"],
        [("read", "E008")],
        options=["--fetch-bytes", "1000000"],
    ),
    Case(
        "a header that drips forever",
        lambda d, s: [f"{s}/slowhead"],
        [("read", "E005")],
        options=["--fetch-seconds", "1"],
    ),
    Case(
        "a server that never answers",
        lambda d, s: [f"{s}/silent"],
        [("read", "E005")],
        options=["--fetch-seconds", "1"],
    ),
    Case("a response shorter than announced", lambda d, s: [f"{s}/truncated"], [("read", "E005")]),
    Case("an image where a page was expected", lambda d, s: [f"{s}/binary"], [("read", "E004")]),
    Case("a page that is not there", lambda d, s: [f"{s}/nothing"], [("read", "E005")]),
    Case("a redirect to a local file", lambda d, s: [f"{s}/redirect-file"], [("read", "E009")]),
    Case(
        "a feed linking to a file, loopback, private, link-local and javascript: addresses",
        lambda d, s: [f"{s}/feed-links.xml"],
        [("read", "E009")] * 5,
        stored=1,  # the entry with its own text (its file: link is no URL of it)
    ),
    Case(
        "the same feed with --allow-private (file: and javascript: still refused)",
        lambda d, s: [f"{s}/feed-links.xml"],
        [("read", "E009")] * 2 + [("read", "E005")] * 2,
        stored=2,
        options=["--allow-private", "--fetch-seconds", "1"],
    ),
    Case(
        "a feed whose links redirect to a file and to loopback",
        lambda d, s: [f"{s}/feed-redirects.xml"],
        [("read", "E009")] * 2,
    ),
    Case(
        "a billion-laughs feed (entities left unexpanded)",
        lambda d, s: [f"{s}/feed-laughs.xml"],
        stored=1,
    ),
    Case(
        "a feed of 1,000 entries with their own text, offline",
        lambda d, s: [f"{s}/feed-big.xml"],
        stored=1000,
    ),
]


def warc(d: Path, damage: bool = False, big: bool = False) -> str:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    bodies = [f"<html><body><p>{GOOD[1]}</p></body></html>".encode()]
    if big:
        bodies.append(b"<html><body><p>" + b"a " * 50_000 + b"</p></body></html>")
    for n, body in enumerate(bodies):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://example.org/{n}", "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)
    data = buf.getvalue()
    if damage:
        data += b"\x1f\x8b\x08\x00garbage that is not a gzip member" * 10
    return w(d / ("damaged.warc.gz" if damage else "big.warc.gz"), data)


def code_of(error: str) -> str:
    m = re.search(r"\bE\d{3}\b", error)
    return m.group() if m else error


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with hostile_site() as base:
        yield base


@pytest.fixture(scope="module", autouse=True)
def tally() -> Iterator[None]:
    yield
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "hostile-matrix.json").write_text(json.dumps(dict(TALLY), indent=2) + "\n")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_fails_alone(case: Case, site: str, tmp_path: Path) -> None:
    good = [w(tmp_path / "good" / f"g{i}.txt", f"{text} (good {i})") for i, text in enumerate(GOOD)]
    bad = case.make(tmp_path / "bad", site)
    db = str(tmp_path / "h.db")
    inputs = [good[0], *bad, good[1], good[2]]
    result = CliRunner().invoke(
        app, ["ingest", *inputs, "--db", db, "--quiet", *case.options], input=case.stdin
    )
    store = Store(db)
    keys = {r["origin"] for r in store.db.query("SELECT origin FROM documents")}
    failures = store.db.query("SELECT origin, stage, error, raw FROM failures")
    n_docs = store.db.scalar("SELECT COUNT(*) FROM documents")
    store.close()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    # every good input stored, whatever came between them
    assert set(good) <= keys, result.output
    if case.stored is not None:
        assert n_docs == len(good) + case.stored, result.output
    # the bad input recorded: its stage and error code, with its origin
    got = sorted((f["stage"], code_of(f["error"])) for f in failures)
    assert len(got) == len(case.fails), f"{got}\n{result.output}"
    for (stage, code), (want_stage, want_code) in zip(got, sorted(case.fails), strict=True):
        assert stage == want_stage and code in (
            want_code if isinstance(want_code, tuple) else (want_code,)
        ), got
    assert all(f["origin"] for f in failures)
    assert result.exit_code == (1 if case.fails else 0), result.output
    TALLY["inputs tried"] += len(inputs)
    TALLY["failures recorded"] += len(failures)
    TALLY["documents stored"] += n_docs
    TALLY["documents lost"] += len(set(good) - keys)


def test_a_file_that_vanishes_mid_run_is_a_failure(tmp_path: Path) -> None:
    from communique.runners.ingest import ingest
    from communique.sources import read_items

    folder = tmp_path / "in"
    files = [w(folder / f"{i}.txt", f"{text} (file {i})") for i, text in enumerate(GOOD)]
    store = Store(str(tmp_path / "v.db"))

    def delete_the_second(summary: object) -> None:
        Path(files[1]).unlink(missing_ok=True)

    s = ingest(store, read_items([str(folder)]), batch=1, progress=delete_the_second)
    assert (s.added, s.failed) == (2, 1)
    failure = store.db.query("SELECT origin, stage, error FROM failures")[0]
    assert failure["origin"] == files[1] and failure["stage"] == "read"
    assert code_of(failure["error"]) == "E001"
    store.close()


def test_a_folder_with_a_symlink_loop_and_a_fifo_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    files = [w(folder / "sub" / f"{i}.txt", text) for i, text in enumerate(GOOD)]
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")
    db = str(tmp_path / "l.db")
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    store = Store(db)
    assert {r["origin"] for r in store.db.query("SELECT origin FROM documents")} == set(files)
    store.close()
