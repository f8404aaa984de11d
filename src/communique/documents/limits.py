"""What one input may cost: the limits every reader and fetcher honours, with their defaults.

===================== ============================================================ ============
limit                 what it bounds                                                default
===================== ============================================================ ============
``max_chars``         one document's raw input (text, HTML, a record's text field)  2,000,000
                      in characters; a corpus record (a JSON Lines line, a CSV row,
                      a JSON array element) may take ``4 * max_chars`` bytes
``max_bytes``         what is read from one file, archive or corpus, after          1 GiB
                      decompression (a gzip bomb stops there)
``max_depth``         nesting of arrays and objects in one JSON record              64
``fetch_bytes``       one HTTP response body                                        50 MiB
``fetch_seconds``     one HTTP fetch from connect to its last byte                  60 s
``allow_private``     links of a feed or page (and redirects) may point to          no
                      loopback, private, link-local or reserved addresses
``fetch_links``       feed entries: fetch the linked page even when the entry       no
                      carries its own content or description
===================== ============================================================ ============

An input over a limit is a failure (E008) with its stage and origin; the run goes on. The
command line raises each limit with an option of the same name (``--max-chars``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CHARS = 2_000_000
MAX_BYTES = 1 << 30
MAX_DEPTH = 64
FETCH_BYTES = 50 << 20
FETCH_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Limits:
    max_chars: int = MAX_CHARS
    max_bytes: int = MAX_BYTES
    max_depth: int = MAX_DEPTH
    fetch_bytes: int = FETCH_BYTES
    fetch_seconds: float = FETCH_SECONDS
    allow_private: bool = False
    fetch_links: bool = False

    @property
    def record_bytes(self) -> int:
        """The most bytes one corpus record may take (a line, a row, an array element)."""
        return 4 * self.max_chars + 65_536


DEFAULT_LIMITS = Limits()
