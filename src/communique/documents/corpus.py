"""Records of corpus files (JSON Lines, CSV, JSON arrays; gzip or not) mapped to Documents.

A :class:`FieldMap` says which record field holds the text, title, date, URL and key. Bad records
become :class:`RecordError` items in the stream (a batch goes on with the rest).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from communique.documents.decode import CappedReader
from communique.documents.limits import DEFAULT_LIMITS, Limits
from communique.documents.load import make_document
from communique.errors import (
    CommuniqueError,
    InputNotFound,
    InputTooLarge,
    InputUnreadable,
    MalformedRecord,
)
from communique.model import Document

TEXT_FIELDS = ("content_html", "content", "text", "body", "html", "article", "description")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("pubDate", "published", "date", "datetime", "timestamp", "created_at")
URL_FIELDS = ("link", "url", "source_url", "permalink")
KEY_FIELDS = ("id", "message_id", "link", "url", "guid")


@dataclass(frozen=True, slots=True)
class FieldMap:
    text: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    key: str | None = None
    url_template: str | None = None  # e.g. "https://t.me/MFARussia/{message_id}"
    source: str | None = None  # publisher name or domain, for every record
    format: str | None = None  # jsonl | csv | json; sniffed from the file name when None


@dataclass(frozen=True, slots=True)
class Record:
    key: str
    document: Document
    position: int


@dataclass(frozen=True, slots=True)
class RecordError:
    key: str
    position: int
    error: CommuniqueError


def corpus_format(path: Path, fieldmap: FieldMap) -> str:
    if fieldmap.format:
        return fieldmap.format
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson", ".jsonlines")):
        return "jsonl"
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith(".json"):
        return "json"
    if name.endswith(".txt"):
        # a JSON array with trailing commas (the PLOVER gold-standard file)
        return "json"
    raise MalformedRecord(
        "unknown corpus format; name the file .jsonl, .csv or .json or pass --format",
        source=str(path),
    )


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record of a corpus file as read: its value, or the error that kept it from being read
    with the record's raw text (kept for the failure; an oversized record keeps its head)."""

    position: int
    value: dict[str, Any] | None
    error: CommuniqueError | None = None
    raw: str | None = None


KEPT_RAW = 65_536  # characters of an oversized record kept with its failure
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)
_NEXT = re.compile(r'["\[\]{}]')
_STRING_STOP = re.compile(r'[\\"]')
_BARE_END = re.compile(r"[,\]\s]")
_SPACE = re.compile(r"\s*")
_SCAN = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"|[\[\]{}]', re.S)
_SPACE_OR_COMMA = re.compile(r"[\s,]*")
_TRAILING_COMMA = re.compile(r",(\s*[\]}])")
_CHUNK = 1 << 20


def _open_binary(path: Path, limits: Limits) -> IO[bytes]:
    """The file's bytes, decompressed when it is gzip, at most ``limits.max_bytes`` of them."""
    if str(path) == "-":
        raw: IO[bytes] = sys.stdin.buffer
    else:
        try:
            raw = open(path, "rb")  # noqa: SIM115 - closed with the stream that wraps it
        except FileNotFoundError as exc:
            raise InputNotFound("no such corpus file; check the path", source=str(path)) from exc
        except IsADirectoryError as exc:
            raise InputUnreadable("is a directory, not a corpus file", source=str(path)) from exc
        if path.suffix.lower() == ".gz":
            raw = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
    return io.BufferedReader(CappedReader(raw, limits.max_bytes, "the corpus"), _CHUNK)


def _open_records(path: Path, limits: Limits) -> TextIO:
    """The file as text: UTF-8 unless a byte-order mark says UTF-16 or UTF-32; bytes that are not
    text in that encoding are kept as surrogate escapes, so that only their records fail."""
    binary = _open_binary(path, limits)
    head = binary.peek(4)[:4]  # type: ignore[attr-defined]
    encoding = "utf-8-sig"
    for mark, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(mark):
            encoding = name
            break
    return io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")


def _open_text(path: Path) -> io.TextIOBase:
    """The file as text (any size; :func:`read_records` reads corpora within limits)."""
    return _open_records(path, Limits(max_bytes=1 << 62))  # type: ignore[return-value]


def raw_records(
    path: Path, fieldmap: FieldMap, limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    """``(position, record)`` or ``(position, error)`` for every record of the file."""
    for rec in read_records(path, fieldmap, limits):
        yield rec.position, rec.value if rec.value is not None else rec.error  # type: ignore[misc]


def read_records(
    path: Path, fieldmap: FieldMap, limits: Limits = DEFAULT_LIMITS
) -> Iterator[RawRecord]:
    """Every record of a corpus file, streamed: a bad record (bad bytes, bad JSON, too large, too
    deeply nested, not an object) comes back with its error and raw text and the next one is
    read. What cannot be read at all (a missing file, a damaged gzip stream, more than
    ``limits.max_bytes`` after decompression) raises, after the records read so far."""
    fmt = corpus_format(path, fieldmap)
    with _open_records(path, limits) as fh:
        try:
            if fmt == "jsonl":
                yield from _jsonl(fh, limits)
            elif fmt == "csv":
                delimiter = "\t" if path.name.lower().removesuffix(".gz").endswith(".tsv") else ","
                yield from _csv(fh, delimiter, limits)
            else:
                yield from _json(fh, limits)
        except UnicodeDecodeError as exc:
            # a UTF-16/32 text (by its byte-order mark) cut inside a character: the decoder
            # cannot keep the bytes as escapes
            raise InputUnreadable(
                f"the text breaks off inside a character of its {exc.encoding} encoding "
                "(a truncated or mislabelled file); the records before it were read",
                source=str(path),
            ) from exc


def _too_large(position: int, head: str, limits: Limits) -> RawRecord:
    return RawRecord(
        position,
        None,
        InputTooLarge(
            f"record over {limits.record_bytes:,} bytes; raise the limit with --max-chars"
        ),
        _readable(head[:KEPT_RAW]),
    )


def _readable(text: str) -> str:
    """Surrogate escapes (bytes that were not text) as U+FFFD."""
    return _ESCAPED.sub("\ufffd", text)


def _not_text(position: int, raw: str) -> RawRecord:
    return RawRecord(
        position,
        None,
        MalformedRecord("record has bytes that are not UTF-8; re-encode the file as UTF-8"),
        _readable(raw),
    )


def _decoded(position: int, text: str, limits: Limits) -> RawRecord:
    """A JSON record's text parsed, or why it cannot be."""
    if _ESCAPED.search(text):
        return _not_text(position, text)
    if json_too_deep(text, limits.max_depth):
        return RawRecord(
            position,
            None,
            InputTooLarge(
                f"record nested over {limits.max_depth} levels; raise the limit with --max-depth"
            ),
            text,
        )
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:
        try:
            obj = json.loads(_TRAILING_COMMA.sub(r"\1", text))
        except (ValueError, RecursionError):
            return RawRecord(position, None, MalformedRecord(f"bad record: {exc}"), text)
    if not isinstance(obj, dict):
        return RawRecord(position, None, MalformedRecord("bad record: not a JSON object"), text)
    return RawRecord(position, obj, raw=text)


def json_too_deep(text: str, max_depth: int) -> bool:
    """Whether arrays and objects nest deeper than ``max_depth`` in a JSON text."""
    if text.count("[") + text.count("{") <= max_depth:
        return False
    depth = 0
    for m in _SCAN.finditer(text):
        ch = text[m.start()]
        if ch in "[{":
            depth += 1
            if depth > max_depth:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _jsonl(fh: TextIO, limits: Limits) -> Iterator[RawRecord]:
    cap = limits.record_bytes
    position = -1
    while True:
        line = fh.readline(cap)
        if not line:
            return
        position += 1
        if len(line) >= cap and not line.endswith(("\n", "\r")):
            head = line
            while line and not line.endswith(("\n", "\r")):  # skip the rest of the record
                line = fh.readline(cap)
            yield _too_large(position, head, limits)
            continue
        if not line.strip():
            continue
        yield _decoded(position, line, limits)


class _Oversize(Exception):
    def __init__(self, head: str) -> None:
        self.head = head


class _CappedLines:
    """The lines of a text stream for the csv module, none longer than ``cap``: a longer one is
    skipped and raises _Oversize (the iterator goes on after it)."""

    def __init__(self, fh: TextIO, cap: int) -> None:
        self.fh, self.cap = fh, cap

    def __iter__(self) -> _CappedLines:
        return self

    def __next__(self) -> str:
        line = self.fh.readline(self.cap)
        if not line:
            raise StopIteration
        if len(line) >= self.cap and not line.endswith(("\n", "\r")):
            head = line
            while line and not line.endswith(("\n", "\r")):
                line = self.fh.readline(self.cap)
            raise _Oversize(head)
        return line


def _csv(fh: TextIO, delimiter: str, limits: Limits) -> Iterator[RawRecord]:
    csv.field_size_limit(limits.record_bytes)
    lines = _CappedLines(fh, limits.record_bytes)
    reader = csv.reader(lines, delimiter=delimiter)
    header: list[str] | None = None
    position = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except _Oversize as big:
            if header is None:
                raise MalformedRecord("the header row is over the record limit") from None
            yield _too_large(position, big.head, limits)
            position += 1
            continue
        except csv.Error as exc:
            if header is None:
                raise MalformedRecord(f"unreadable header row: {exc}") from exc
            yield RawRecord(position, None, MalformedRecord(f"bad record: {exc}"), None)
            position += 1
            continue
        if header is None:
            header = [_readable(h) for h in row]
            continue
        if not row:
            continue
        raw = _csv_line(row, delimiter)
        if any(_ESCAPED.search(v) for v in row):
            yield _not_text(position, raw)
        else:
            yield RawRecord(position, dict(zip(header, row, strict=False)), raw=raw)
        position += 1


def _csv_line(row: list[str], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(row)
    return out.getvalue()


def _json(fh: TextIO, limits: Limits) -> Iterator[RawRecord]:
    """A JSON array of records (trailing commas allowed) or one record, element by element."""
    reader = _JsonStream(fh, limits)
    first = reader.skip()
    if first == "":
        return
    if first == "{":
        yield reader.element(0)
        return
    if first != "[":
        raise MalformedRecord("not a JSON array or object; check the file's format")
    reader.pos += 1
    position = 0
    while True:
        ch = reader.skip(commas=True)
        if ch in ("]", ""):
            return
        yield reader.element(position)
        position += 1


class _JsonStream:
    """Elements of a JSON text read in chunks: each element's extent is found by scanning its
    brackets and strings once, so a bad element fails alone and no more than one record (of at
    most ``limits.record_bytes``) is held; the scanned part of a larger one is dropped."""

    def __init__(self, fh: TextIO, limits: Limits) -> None:
        self.fh, self.limits = fh, limits
        self.buf, self.pos, self.eof = "", 0, False

    def _fill(self, keep_from: int) -> int:
        """Read another chunk, dropping what is before ``keep_from``; returns the shift."""
        chunk = self.fh.read(_CHUNK)
        if not chunk:
            self.eof = True
        self.buf = self.buf[keep_from:] + chunk
        self.pos -= keep_from
        return keep_from

    def skip(self, commas: bool = False) -> str:
        """Skip white space (and commas); the next character, or "" at the end."""
        rx = _SPACE_OR_COMMA if commas else _SPACE
        while True:
            m = rx.match(self.buf, self.pos)
            self.pos = m.end() if m else self.pos
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if self.eof:
                return ""
            self._fill(self.pos)

    def element(self, position: int) -> RawRecord:
        cap = self.limits.record_bytes
        buf = self.buf
        start = p = self.pos
        opener = buf[start]
        mode = "string" if opener == '"' else "tree" if opener in "[{" else "bare"
        if mode == "string":
            p += 1
        depth = 0
        oversize, head = False, ""
        while True:
            buf = self.buf
            if mode == "string":
                m = _STRING_STOP.search(buf, p)
                if m is not None and buf[m.start()] == "\\":
                    if m.start() + 1 < len(buf):
                        p = m.start() + 2
                        continue
                    p, m = m.start(), None  # an escape cut by the chunk: read on
                elif m is not None:
                    p = m.end()
                    mode = "tree" if depth else "done"
                    if mode == "done":
                        break
                    continue
                else:
                    p = len(buf)
            elif mode == "tree":
                m = _NEXT.search(buf, p)
                if m is not None:
                    ch = buf[m.start()]
                    p = m.end()
                    if ch == '"':
                        mode = "string"
                    elif ch in "[{":
                        depth += 1
                    else:
                        depth -= 1
                        if depth <= 0:
                            break
                    continue
                p = len(buf)
            else:
                m = _BARE_END.search(buf, p)
                if m is not None:
                    p = m.start()
                    break
                p = len(buf)
            # the element goes on beyond what was read
            if not oversize and p - start > cap:
                oversize, head = True, buf[start : start + KEPT_RAW]
            if self.eof:
                self.pos = len(self.buf)
                raw = head if oversize else self.buf[start:]
                if mode == "bare":
                    break
                return RawRecord(
                    position,
                    None,
                    MalformedRecord("bad record: the file ends inside it"),
                    _readable(raw[:KEPT_RAW]),
                )
            self.pos = p
            shift = self._fill(p if oversize else start)
            start, p = start - shift, p - shift
        self.pos = p
        if oversize or p - start > cap:
            return _too_large(position, head or self.buf[start : start + KEPT_RAW], self.limits)
        return _decoded(position, self.buf[start:p], self.limits)


def _pick(record: dict[str, Any], explicit: str | None, candidates: tuple[str, ...]) -> Any:
    if explicit:
        return record.get(explicit)
    for name in candidates:
        if record.get(name) not in (None, ""):
            return record[name]
    return None


MAX_KEY = 1000  # characters of a record's key kept in its origin


def record_key(record: dict[str, Any], fieldmap: FieldMap, position: int) -> str:
    """The record's key field (a string or a number), else its position."""
    value = _pick(record, fieldmap.key, KEY_FIELDS)
    if isinstance(value, str) and value:
        return value[:MAX_KEY]
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return str(value)[:MAX_KEY]
        except ValueError:  # an integer with thousands of digits
            pass
    return f"#{position}"


def record_fields(
    record: dict[str, Any], fieldmap: FieldMap, name: str
) -> tuple[str, str | None, Any, Any]:
    """``(text, url, published, title)`` of a record, by the field map (or the usual names)."""
    text = _pick(record, fieldmap.text, TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        field = fieldmap.text or "/".join(TEXT_FIELDS)
        raise MalformedRecord(
            f"record has no text in field {field!r}; pass --text-field", source=name
        )
    url = _pick(record, fieldmap.url, URL_FIELDS)
    if not url and fieldmap.url_template:
        try:
            url = fieldmap.url_template.format(**record)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            url = None
    return (
        text,
        url if url else None,
        _pick(record, fieldmap.date, DATE_FIELDS),
        _pick(record, fieldmap.title, TITLE_FIELDS),
    )


def record_document(record: dict[str, Any], fieldmap: FieldMap, name: str) -> Document:
    text, url, published, title = record_fields(record, fieldmap, name)
    return make_document(
        text, url=url, published=published, title=title, source=fieldmap.source, name=name
    )


def iter_corpus(
    path: str | Path, fieldmap: FieldMap | None = None
) -> Iterator[Record | RecordError]:
    """Every record of a corpus file as a :class:`Record` or a :class:`RecordError`."""
    fieldmap = fieldmap or FieldMap()
    p = Path(path)
    for position, obj in raw_records(p, fieldmap):
        label = f"{path}#{position}"
        if isinstance(obj, Exception):
            yield RecordError(
                f"#{position}", position, MalformedRecord(f"bad record: {obj}", source=label)
            )
            continue
        key = record_key(obj, fieldmap, position)
        try:
            yield Record(key, record_document(obj, fieldmap, f"{path}#{key}"), position)
        except CommuniqueError as exc:
            yield RecordError(key, position, exc)
