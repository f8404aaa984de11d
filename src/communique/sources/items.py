"""What sources yield: an input on its way to :func:`communique.process.process`, or the error
that kept it from being read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from communique.errors import CommuniqueError


@dataclass(frozen=True, slots=True)
class Item:
    """One input: where it came from and its raw content, with the metadata the source knows."""

    origin: str  # file path, "corpus.jsonl.gz#key", URL, "archive.warc.gz#uri", "<stdin>"
    raw: str
    fmt: str | None = None  # text | html | markdown; sniffed when None
    url: str | None = None
    published: Any = None
    title: str | None = None
    source: str | None = None
    language: str | None = None  # ISO 639-1 ("zh"); detected from the text when None


@dataclass(frozen=True, slots=True)
class ItemError:
    """An input that could not even be read (a missing file, a bad record, an unreachable URL)."""

    origin: str
    error: CommuniqueError
    raw: str | None = None
