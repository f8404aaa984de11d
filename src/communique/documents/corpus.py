"""Records of corpus files (JSON Lines, CSV, JSON arrays; gzip or not) mapped to Documents.

A :class:`FieldMap` says which record field holds the text, title, date, URL and key. Bad records
become :class:`RecordError` items in the stream (a batch goes on with the rest).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique.documents.load import make_document
from communique.errors import CommuniqueError, InputNotFound, MalformedRecord
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


def _open_text(path: Path) -> io.TextIOBase:
    if str(path) == "-":
        return sys.stdin  # type: ignore[return-value]
    if not path.exists():
        raise InputNotFound("no such corpus file; check the path", source=str(path))
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return open(path, encoding="utf-8", newline="")


def raw_records(path: Path, fieldmap: FieldMap) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    """``(position, record)`` or ``(position, error)`` for every record of the file."""
    fmt = corpus_format(path, fieldmap)
    with _open_text(path) as fh:
        if fmt == "jsonl":
            for i, line in enumerate(fh):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield i, exc
                    continue
                yield i, obj if isinstance(obj, dict) else ValueError("not a JSON object")
        elif fmt == "csv":
            delimiter = "\t" if path.name.lower().removesuffix(".gz").endswith(".tsv") else ","
            csv.field_size_limit(1 << 30)
            for i, row in enumerate(csv.DictReader(fh, delimiter=delimiter)):
                yield i, dict(row)
        else:
            data = lenient_json(fh.read())
            items = data if isinstance(data, list) else [data]
            for i, obj in enumerate(items):
                yield i, obj if isinstance(obj, dict) else ValueError("not a JSON object")


def lenient_json(text: str) -> Any:
    """JSON that tolerates trailing commas before ``]`` and ``}``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads(re.sub(r",(\s*[\]}])", r"\1", text))


def _pick(record: dict[str, Any], explicit: str | None, candidates: tuple[str, ...]) -> Any:
    if explicit:
        return record.get(explicit)
    for name in candidates:
        if record.get(name) not in (None, ""):
            return record[name]
    return None


def record_key(record: dict[str, Any], fieldmap: FieldMap, position: int) -> str:
    value = _pick(record, fieldmap.key, KEY_FIELDS)
    return str(value) if value not in (None, "") else f"#{position}"


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
        except (KeyError, IndexError):
            url = None
    return (
        text,
        str(url) if url else None,
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
