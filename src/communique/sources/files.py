"""Files on disk: readouts (text, HTML, Markdown) and corpora (JSON Lines, CSV, JSON)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from communique.documents.corpus import (
    FieldMap,
    RawRecord,
    corpus_format,
    read_records,
    record_fields,
    record_key,
)
from communique.documents.decode import read_text
from communique.documents.limits import DEFAULT_LIMITS, Limits
from communique.documents.load import FORMAT_BY_SUFFIX
from communique.errors import CommuniqueError, InputNotFound, InputUnreadable, MalformedRecord
from communique.sources.items import Item, ItemError

READABLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".md", ".markdown"}
CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines", ".csv", ".tsv", ".json")


def is_readable(path: Path) -> bool:
    """A readout file a folder is searched for."""
    return path.suffix.lower() in READABLE_SUFFIXES


def is_corpus(path: Path) -> bool:
    return path.name.lower().removesuffix(".gz").endswith(CORPUS_SUFFIXES)


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith((".warc", ".warc.gz", ".arc.gz"))


def file_items(
    path: Path, fieldmap: FieldMap, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Item | ItemError]:
    """A corpus file's records, or a readout file as one item."""
    if is_corpus(path):
        yield from corpus_items(path, fieldmap, limits)
        return
    try:
        raw = read_text(path, max_bytes=limits.record_bytes)
    except CommuniqueError as exc:
        yield ItemError(str(path), exc)
        return
    yield Item(
        origin=str(path),
        raw=raw,
        fmt=FORMAT_BY_SUFFIX.get(path.suffix.lower()),
        source=fieldmap.source,
    )


def corpus_items(
    path: Path, fieldmap: FieldMap, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Item | ItemError]:
    """Every record of a corpus file as an Item, or an ItemError with its raw text: a bad record
    fails alone. A file that cannot be read on (gone, damaged, over ``limits.max_bytes``) is one
    more failure after the records read so far."""
    try:
        corpus_format(path, fieldmap)
        for rec in read_records(path, fieldmap, limits):
            yield _record_item(path, rec, fieldmap)
    except FileNotFoundError:
        yield ItemError(str(path), InputNotFound("no such corpus file (it vanished)"))
    except CommuniqueError as exc:
        yield ItemError(str(path), exc)
    except OSError as exc:  # a damaged gzip stream, a read error
        yield ItemError(str(path), InputUnreadable(f"cannot read the corpus on: {exc}"))
    except Exception as exc:  # EOFError, zlib.error, ...: the file cannot be read on
        yield ItemError(
            str(path), MalformedRecord(f"cannot read the corpus on: {type(exc).__name__}: {exc}")
        )


def _record_item(path: Path, rec: RawRecord, fieldmap: FieldMap) -> Item | ItemError:
    if rec.value is None:
        error = rec.error or MalformedRecord("bad record")
        return ItemError(f"{path}#{rec.position}", error, rec.raw)
    origin = f"{path}#{record_key(rec.value, fieldmap, rec.position)}"
    try:
        text, url, published, title = record_fields(rec.value, fieldmap, origin)
    except CommuniqueError as exc:
        return ItemError(origin, exc, rec.raw)
    except Exception as exc:  # a record no rule foresaw: it fails alone
        return ItemError(origin, MalformedRecord(f"bad record: {type(exc).__name__}"), rec.raw)
    return Item(
        origin=origin,
        raw=text,
        url=url,
        published=published,
        title=title,
        source=fieldmap.source,
    )
