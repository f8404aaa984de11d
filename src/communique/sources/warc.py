"""WARC archives (warcio): their HTML responses, with their target URIs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from communique.documents.decode import CappedReader, charset_of, decode
from communique.documents.limits import DEFAULT_LIMITS, Limits
from communique.errors import ArchiveUnreadable, CommuniqueError, InputTooLarge
from communique.sources.items import Item, ItemError


def warc_items(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item | ItemError]:
    """The successful HTML responses of a WARC archive; a response over the record limit fails
    alone, a damaged archive after the responses read so far."""
    from warcio.archiveiterator import ArchiveIterator

    cap = limits.record_bytes
    try:
        with path.open("rb") as raw:
            fh = CappedReader(raw, limits.max_bytes, "the archive")
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
                origin = f"{path}#{uri}"
                body = record.content_stream().read(cap + 1)
                if len(body) > cap:
                    yield ItemError(
                        origin,
                        InputTooLarge(f"response over {cap:,} bytes; raise it with --max-chars"),
                    )
                    continue
                yield Item(
                    origin=origin,
                    raw=decode(body, charset_of(ctype)),
                    fmt="html",
                    url=uri or None,
                )
    except CommuniqueError as exc:
        yield ItemError(str(path), exc)
    except Exception as exc:  # warcio raises several unrelated types on a damaged archive
        yield ItemError(str(path), ArchiveUnreadable(f"cannot read the WARC archive: {exc}"))
