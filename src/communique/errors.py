"""Every error code of the package, in one place.

Exceptions are narrow classes; each message starts with its class's code (added by
:class:`CommuniqueError`, never written into the message) and ends with a fix.

Codes
-----
E001  input not found
E002  input not readable (permissions, a directory where a file was expected)
E003  input empty: no text after cleaning
E004  unsupported input (binary file, unknown format)
E005  a URL (a page or a feed entry) could not be fetched
E006  not a readable RSS/Atom feed
E007  a WARC archive could not be read
E008  an input over a limit: too many characters, bytes (after decompression), nesting levels or
      seconds (``--max-chars``, ``--max-bytes``, ``--max-depth``, ``--fetch-seconds`` raise them)
E009  a URL refused by the fetch policy: not http(s), or a link to a loopback, private or
      link-local address (``--allow-private`` allows those)
E010  bad metadata value (an unparseable ``published`` date, an unknown country code)
E020  corpus record malformed (missing text field, bad JSON line), or a corpus file unreadable
E101  Readout JSON of another schema version
E201  gold annotation malformed
E301  store driver missing (psycopg for PostgreSQL)
E302  store unreachable (server down, wrong URL, no folder for the SQLite file)
E303  a query ran past its time limit (a PostgreSQL statement timeout, an interrupted SQLite query)

The REST API answers with one JSON envelope whose ``code`` is one of :class:`ApiCode`.
E401  rule or language data malformed (a pattern that does not parse, an unknown word class or
      language, a missing rule folder)
E501  an optional package the call needs is not installed (pandas for ``.to_pandas()``)
E502  a store the read-only handle cannot read (no such file, not a communique store, or one
      written by an older version and not yet migrated)
"""

from __future__ import annotations

import re
from enum import StrEnum

_CODE = re.compile(r"E\d{3}\b")


class CommuniqueError(Exception):
    """Base class of every error this package raises on purpose."""

    code = "E000"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        prefix = f"{source}: " if source else ""
        if not _CODE.match(message):
            message = f"{self.code} {message}"
        super().__init__(prefix + message)

    def naming(self, origin: str) -> str:
        """The message, naming the input it is about (``origin``) unless it already does."""
        return str(self) if self.source else f"{origin}: {self}"

    def __reduce__(self) -> tuple[object, ...]:
        # the message already carries its code and source: rebuild without adding them again
        # (errors travel to and from Dask workers inside the items they belong to)
        return (_restore, (type(self), str(self), self.source))


def _restore(cls: type[CommuniqueError], text: str, source: str | None) -> CommuniqueError:
    error = cls.__new__(cls)
    Exception.__init__(error, text)
    error.source = source
    return error


class InputNotFound(CommuniqueError):
    code = "E001"


class InputUnreadable(CommuniqueError):
    code = "E002"


class EmptyInput(CommuniqueError):
    code = "E003"


class UnsupportedInput(CommuniqueError):
    code = "E004"


class FetchFailed(CommuniqueError):
    code = "E005"


class NotAFeed(CommuniqueError):
    code = "E006"


class ArchiveUnreadable(CommuniqueError):
    code = "E007"


class InputTooLarge(CommuniqueError):
    code = "E008"


class FetchRefused(CommuniqueError):
    code = "E009"


class BadMetadata(CommuniqueError):
    code = "E010"


class MalformedRecord(CommuniqueError):
    code = "E020"


class SchemaError(CommuniqueError):
    code = "E101"


class GoldError(CommuniqueError):
    code = "E201"


class StoreError(CommuniqueError):
    """A store that cannot be used; the base class of the store's errors."""

    code = "E301"


class StoreUnavailable(StoreError):
    code = "E302"


class QueryTimeout(StoreError):
    code = "E303"


class ApiCode(StrEnum):
    """The ``code`` of the REST API's error envelope ``{"error": {"status", "code", "message"}}``."""

    TOO_LARGE = "too_large"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    HTTP_ERROR = "http_error"
    INVALID_REQUEST = "invalid_request"
    INTERNAL_ERROR = "internal_error"
    READ_ONLY = "read_only"
    UNAUTHORIZED = "unauthorized"
    UNREADABLE_INPUT = "unreadable_input"
    TIMEOUT = "timeout"  # a query ran past its time limit (503)
    OVERLOADED = "overloaded"  # too many requests at once (503)


class RuleError(CommuniqueError):
    """Rule files or language data that cannot be used."""

    code = "E401"


class MissingExtra(CommuniqueError):
    """An optional dependency (a package extra) is not installed."""

    code = "E501"


class StoreNotReadable(CommuniqueError):
    """A store that ``communique.open`` (read-only) cannot read as it is."""

    code = "E502"
