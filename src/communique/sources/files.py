"""Files on disk: readouts (text, HTML, Markdown) and corpora (JSON Lines, CSV, JSON)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

from communique.documents.corpus import (
    FieldMap,
    corpus_format,
    raw_records,
    record_fields,
    record_key,
)
from communique.documents.decode import read_text
from communique.documents.load import FORMAT_BY_SUFFIX
from communique.errors import CommuniqueError, MalformedRecord
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


def file_items(path: Path, fieldmap: FieldMap) -> Iterator[Item | ItemError]:
    """A corpus file's records, or a readout file as one item."""
    if is_corpus(path):
        yield from corpus_items(path, fieldmap)
        return
    try:
        raw = read_text(path)
    except CommuniqueError as exc:
        yield ItemError(str(path), exc)
        return
    yield Item(
        origin=str(path),
        raw=raw,
        fmt=FORMAT_BY_SUFFIX.get(path.suffix.lower()),
        source=fieldmap.source,
    )


def corpus_items(path: Path, fieldmap: FieldMap) -> Iterator[Item | ItemError]:
    try:
        corpus_format(path, fieldmap)
        for position, obj in raw_records(path, fieldmap):
            if isinstance(obj, Exception):
                yield ItemError(f"{path}#{position}", MalformedRecord(f"bad record: {obj}"))
                continue
            origin = f"{path}#{record_key(obj, fieldmap, position)}"
            try:
                text, url, published, title = record_fields(obj, fieldmap, origin)
            except CommuniqueError as exc:
                yield ItemError(origin, exc)
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
        yield ItemError(str(path), MalformedRecord(f"cannot read the corpus: {exc}"))
