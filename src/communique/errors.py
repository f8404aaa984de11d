"""Narrow exception classes, each message starting with a stable code and ending with a fix.

Codes
-----
E001  input not found
E002  input not readable (permissions, a directory where a file was expected, bad encoding)
E003  input empty: no text after cleaning
E004  unsupported input (binary file, unknown format)
E010  bad metadata value (an unparseable ``published`` date, an unknown country code)
E020  corpus record malformed (missing text field, bad JSON line)
E101  Readout JSON of another schema version
E201  gold annotation malformed
E301  rule or language data malformed (a pattern that does not parse, an unknown word class or
      language, a rule file without examples)
"""

from __future__ import annotations


class CommuniqueError(Exception):
    """Base class of every error this package raises on purpose."""

    code = "E000"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        prefix = f"{source}: " if source else ""
        if not message.startswith("E"):
            message = f"{self.code} {message}"
        super().__init__(prefix + message)


class InputNotFound(CommuniqueError):
    code = "E001"


class InputUnreadable(CommuniqueError):
    code = "E002"


class EmptyInput(CommuniqueError):
    code = "E003"


class UnsupportedInput(CommuniqueError):
    code = "E004"


class BadMetadata(CommuniqueError):
    code = "E010"


class MalformedRecord(CommuniqueError):
    code = "E020"


class SchemaError(CommuniqueError):
    code = "E101"


class GoldError(CommuniqueError):
    code = "E201"


class RuleError(CommuniqueError):
    code = "E301"
