"""The one path from an input to stored rows: item -> Document -> Readout -> rows, or a failure.

Every entry point goes through :func:`process`: ``communique extract`` (which prints the Readout),
``ingest`` and ``reprocess`` (which store the rows), ``batch`` (which writes them as Parquet) and
the API. A failure is data, never an exception: the input could not be read (``read``), no
document could be made of it (``ingest``), or the extractor failed on the document (``extract``,
a bug: the document is kept).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from communique.documents import make_document
from communique.errors import CommuniqueError
from communique.extractor import EXTRACTOR, extract_document
from communique.model import Document, Readout
from communique.sources import Item, ItemError
from communique.tables import Row, Rows, document_key, document_row, document_rows, failure_row

__all__ = ["EXTRACTOR", "Failure", "Outcome", "process"]

Stored = Callable[[str, str, str], bool]
"""``stored(key, document id, extractor)``: whether that document is already stored as is."""


@dataclass(frozen=True, slots=True)
class Failure:
    stage: str  # read | ingest | extract
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


def process(
    item: Item | ItemError, *, stored: Stored | None = None, rules: Sequence[str] = ()
) -> Outcome:
    """Read, clean and extract one input. With ``stored``, a document already stored as is
    (same key, content and extractor) is not extracted again (``unchanged``); ``rules``: folders
    of the user's own rule files, read before the package's."""
    if isinstance(item, ItemError):
        failure = Failure("read", str(item.error), item.error.naming(item.origin), item.raw)
        return Outcome(item.origin, failure=failure)
    try:
        doc = make_document(
            item.raw,
            url=item.url,
            published=item.published,
            title=item.title,
            source=item.source,
            fmt=item.fmt,
            name=item.origin,
            language=item.language,
        )
    except CommuniqueError as exc:
        failure = Failure("ingest", str(exc), exc.naming(item.origin), item.raw)
        return Outcome(item.origin, item, failure=failure)
    if stored is not None and stored(document_key(doc), doc.id, EXTRACTOR):
        return Outcome(item.origin, item, doc, unchanged=True)
    try:
        readout = extract_document(doc, rules=rules)
    except Exception as exc:  # the extractor's own bug: recorded, the run goes on
        error = f"{type(exc).__name__}: {exc}"
        failure = Failure("extract", error, f"{item.origin}: {error}")
        return Outcome(item.origin, item, doc, failure=failure)
    return Outcome(item.origin, item, doc, readout)
