"""communique: structured, source-grounded event data from diplomatic readouts.

>>> import communique
>>> r = communique.extract("President Xi Jinping held talks with President Kassym-Jomart "
...                        "Tokayev of Kazakhstan in Xi'an.", published="2023-05-17")
>>> r.main_event.kind
'talks'

``communique.open(db)`` reads a store (read-only) for analysis: listings as pandas or Arrow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from communique.errors import CommuniqueError
from communique.model import (
    Actor,
    Agreement,
    Document,
    Event,
    Initiative,
    Location,
    Readout,
    Relationship,
    Span,
    Topic,
)
from communique.version import __version__

if TYPE_CHECKING:
    from communique.analysis import StoreReader


def extract(
    text: str | Document,
    *,
    published: Any = None,
    url: str | None = None,
    source: str | None = None,
    source_country: str | None = None,
    title: str | None = None,
    fmt: str | None = None,
    rules: Sequence[str] = (),
) -> Readout:
    """Extract a Readout from text, HTML or Markdown (or a ready Document).

    ``published`` (ISO 8601 date or datetime, or RFC 822), ``url``, ``source`` (publisher name or
    domain) and ``source_country`` (ISO3) override what the input itself shows. ``rules`` names
    folders of your own rule files (docs/rules.md), read before the package's rules.
    """
    from communique.documents import make_document
    from communique.extractor import extract_document

    if isinstance(text, Document):
        return extract_document(text, rules=rules)
    doc = make_document(
        text,
        url=url,
        published=published,
        source=source,
        source_country=source_country,
        title=title,
        fmt=fmt,
    )
    return extract_document(doc, rules=rules)


def open(db: str | None = None) -> StoreReader:
    """A read-only handle on a store (a SQLite file or a ``postgresql://`` URL; default
    ``COMMUNIQUE_DB``, else ``./communique.db``) with the CLI's listings and filters:
    ``events``, ``statements``, ``actors``, ``relations``, ``agreements``, ``documents``,
    ``search``, each giving records with ``.to_pandas()`` and ``.to_arrow()``, and ``readout``
    (a stored Readout). See docs/analysis.md.

    >>> store = communique.open("communique.db")
    >>> store.events(country="CHN", since="2024-01-01").to_pandas()
    """
    from communique.analysis import open_store  # not at import: the CLI starts without it

    return open_store(db)


__all__ = [
    "Actor",
    "Agreement",
    "CommuniqueError",
    "Document",
    "Event",
    "Initiative",
    "Location",
    "Readout",
    "Relationship",
    "Span",
    "Topic",
    "__version__",
    "extract",
    "open",
]
