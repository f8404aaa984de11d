"""Bytes to text: the one decoding policy for files, web responses and archive records."""

from __future__ import annotations

import codecs
from pathlib import Path

from communique.errors import InputNotFound, InputUnreadable, UnsupportedInput

FALLBACK = "cp1252"  # what text that is not UTF-8 almost always is (Windows, old CMS exports)


def is_binary(data: bytes) -> bool:
    """A NUL byte near the start: not text (an image, a PDF, a UTF-16 file)."""
    return b"\x00" in data[:4096]


def decode(data: bytes, charset: str | None = None) -> str:
    """The text of ``data``. A byte-order mark wins; a ``charset`` the sender declared (an HTTP
    Content-Type) is trusted, bad bytes replaced; otherwise UTF-8 if the bytes are UTF-8, else
    Windows-1252, else UTF-8 with bad bytes replaced. Never raises."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if charset:
        try:
            return data.decode(charset, errors="replace")
        except LookupError:
            pass  # a charset Python does not know: read the bytes as undeclared
    for encoding in ("utf-8", FALLBACK):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def charset_of(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    if "charset=" not in content_type:
        return None
    return content_type.split("charset=", 1)[1].split(";")[0].strip().strip('"') or None


def read_text(path: Path, *, name: str | None = None) -> str:
    """A text file's content under the decoding policy. Raises InputNotFound (E001),
    InputUnreadable (E002) or UnsupportedInput (E004, binary); ``name`` labels the input in the
    message (none: the message is the error alone)."""
    if not path.exists():
        raise InputNotFound("no such file; check the path", source=name)
    if path.is_dir():
        raise InputUnreadable("is a directory; pass its files or use the CLI", source=name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputUnreadable(f"cannot read: {exc.strerror}", source=name) from exc
    if is_binary(data):
        raise UnsupportedInput("binary file; give text, HTML or Markdown", source=name)
    return decode(data)
