"""WARC archives (warcio): their HTML responses, with their target URIs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from communique.documents.decode import charset_of, decode
from communique.errors import ArchiveUnreadable
from communique.sources.items import Item, ItemError


def warc_items(path: Path) -> Iterator[Item | ItemError]:
    """The successful HTML responses of a WARC archive."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                ctype = (
                    record.http_headers.get_header("Content-Type", "")
                    if record.http_headers
                    else ""
                )
                if "html" not in ctype.lower():
                    continue
                status = record.http_headers.get_statuscode() if record.http_headers else "200"
                if status and not str(status).startswith("2"):
                    continue
                body = record.content_stream().read()
                yield Item(
                    origin=f"{path}#{uri}",
                    raw=decode(body, charset_of(ctype)),
                    fmt="html",
                    url=uri or None,
                )
    except Exception as exc:  # warcio raises several unrelated types on a damaged archive
        yield ItemError(str(path), ArchiveUnreadable(f"cannot read the WARC archive: {exc}"))
