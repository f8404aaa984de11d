"""The one path from an input to stored rows: item -> Document -> Readout -> rows, or a failure.

Every entry point goes through :func:`process`: ``communique extract`` (which prints the Readout),
``ingest`` and ``reprocess`` (which store the rows), ``batch`` (which writes them as Parquet) and
the API. A failure is data, never an exception: the input could not be read or is over the
size limit (``read``), no document could be made of it (``ingest``), or the extractor failed on
the document (``extract``, a bug: the document is kept). Whatever an input holds, ``process``
returns: an exception no rule foresaw is the failure of its stage.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from communique.documents import make_document
from communique.documents.decode import scrub
from communique.documents.limits import DEFAULT_LIMITS, Limits
from communique.errors import CommuniqueError, InputTooLarge
from communique.extractor import EXTRACTOR, extract_document
from communique.model import Document, Readout
from communique.sources import Item, ItemError
from communique.tables import Row, Rows, document_key, document_row, document_rows, failure_row

__all__ = ["EXTRACTOR", "Failure", "Outcome", "document_of", "process"]

Stored = Callable[[str, str, str], bool]
"""``stored(key, document id, extractor)``: whether that document is already stored as is."""


@dataclass(frozen=True, slots=True)
class Failure:
    stage: str  # read | ingest | extract (the runners add store: a document the database refused)
    error: str  # as the store records it
    message: str  # the error naming its input, for people
    raw: str | None = None  # the raw input, kept when no document holds it


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input."""

    origin: str
    item: Item | None = None
    document: Document | None = None
    readout: Readout | None = None
    failure: Failure | None = None
    unchanged: bool = False  # already stored as is: not extracted again

    @property
    def key(self) -> str | None:
        return document_key(self.document) if self.document is not None else None

    def rows(self) -> Rows:
        """The rows of the document and its extraction (:func:`document_rows`); empty when no
        document was made."""
        if self.document is None or self.item is None:
            return {}
        row = document_row(
            self.document,
            self.readout,
            raw=self.item.raw,
            raw_format=self.item.fmt,
            origin=self.item.origin,
            extractor=EXTRACTOR,
        )
        return document_rows(row, self.readout)

    def failure_row(self) -> Row | None:
        """The ``failures`` row of a failed input."""
        if self.failure is None:
            return None
        f = self.failure
        return failure_row(self.origin, f.stage, f.error, f.raw, self.key)


def _kept(raw: str | None, limits: Limits) -> str | None:
    """The raw input a failure keeps: storable, and no longer than the size limit."""
    if raw is None:
        return None
    return scrub(raw[: limits.max_chars])


def _storable(item: Item) -> Item:
    """The item with text a database can hold (no NUL, no lone surrogate) in every field."""
    changes = {}
    for name in ("origin", "raw", "url", "title", "source", "published"):
        value = getattr(item, name)
        if isinstance(value, str) and (clean := scrub(value)) is not value:
            changes[name] = clean
    return dataclasses.replace(item, **changes) if changes else item


def document_of(item: Item) -> Document:
    """The Document an input makes, with the metadata the source gave (raises the
    CommuniqueError that says why none can be made)."""
    return make_document(
        item.raw,
        url=item.url,
        published=item.published,
        title=item.title,
        source=item.source,
        fmt=item.fmt,
        name=item.origin,
        language=item.language,
    )


def process(
    item: Item | ItemError,
    *,
    stored: Stored | None = None,
    limits: Limits = DEFAULT_LIMITS,
    rules: Sequence[str] = (),
) -> Outcome:
    """Read, clean and extract one input. With ``stored``, a document already stored as is
    (same key, content and extractor) is not extracted again (``unchanged``). An input over
    ``limits.max_chars`` characters fails at ``read`` (E008), before any work is spent on it.
    ``rules``: folders of the user's own rule files, read before the package's."""
    if isinstance(item, ItemError):
        origin = scrub(item.origin)
        failure = Failure(
            "read", str(item.error), item.error.naming(origin), _kept(item.raw, limits)
        )
        return Outcome(origin, failure=failure)
    item = _storable(item)
    if len(item.raw) > limits.max_chars:
        exc = InputTooLarge(
            f"{len(item.raw):,} characters, over the limit of {limits.max_chars:,}; "
            "raise it with --max-chars"
        )
        failure = Failure("read", str(exc), exc.naming(item.origin), _kept(item.raw, limits))
        return Outcome(item.origin, item, failure=failure)
    try:
        doc = document_of(item)
    except CommuniqueError as exc:
        failure = Failure("ingest", str(exc), exc.naming(item.origin), item.raw)
        return Outcome(item.origin, item, failure=failure)
    except Exception as exc:  # a cleaning bug or an input no rule foresaw: recorded, run goes on
        error = f"{type(exc).__name__}: {exc}"[:1000]
        failure = Failure("ingest", error, f"{item.origin}: {error}", item.raw)
        return Outcome(item.origin, item, failure=failure)
    if stored is not None and stored(document_key(doc), doc.id, EXTRACTOR):
        return Outcome(item.origin, item, doc, unchanged=True)
    try:
        readout = extract_document(doc, rules=rules)
    except Exception as exc:  # the extractor's own bug: recorded, the run goes on
        error = f"{type(exc).__name__}: {exc}"[:1000]
        failure = Failure("extract", error, f"{item.origin}: {error}")
        return Outcome(item.origin, item, doc, failure=failure)
    return Outcome(item.origin, item, doc, readout)
