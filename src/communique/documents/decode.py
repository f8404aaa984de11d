"""Bytes to text: the one decoding policy for files, web responses and archive records."""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import IO

from communique.errors import InputNotFound, InputTooLarge, InputUnreadable, UnsupportedInput

FALLBACK = "cp1252"  # what text that is not UTF-8 almost always is (Windows, old CMS exports)
_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _bom(data: bytes) -> tuple[int, str] | None:
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return len(mark), encoding
    return None


def is_binary(data: bytes) -> bool:
    """A NUL byte near the start and no byte-order mark: not text (an image, a PDF). UTF-16 and
    UTF-32 files with their byte-order mark are text."""
    return _bom(data) is None and b"\x00" in data[:4096]


def scrub(text: str) -> str:
    """``text`` as a database can hold it: NUL characters and lone surrogates (from a JSON
    ``\\u0000`` or ``\\ud800`` escape) become U+FFFD."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub("\ufffd", text)


def decode(data: bytes, charset: str | None = None) -> str:
    """The text of ``data``. A byte-order mark wins (UTF-8, UTF-16, UTF-32); a ``charset`` the
    sender declared (an HTTP Content-Type) is trusted, bad bytes replaced; otherwise UTF-8 if the
    bytes are UTF-8, else Windows-1252, else UTF-8 with bad bytes replaced. Never raises."""
    bom = _bom(data)
    if bom is not None:
        return data[bom[0] :].decode(bom[1], errors="replace")
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


def read_text(path: Path, *, name: str | None = None, max_bytes: int | None = None) -> str:
    """A text file's content under the decoding policy. Raises InputNotFound (E001),
    InputUnreadable (E002), UnsupportedInput (E004, binary) or InputTooLarge (E008, over
    ``max_bytes``, found without reading the file); ``name`` labels the input in the message
    (none: the message is the error alone)."""
    if not path.exists():
        raise InputNotFound("no such file; check the path", source=name)
    if path.is_dir():
        raise InputUnreadable("is a directory; pass its files or use the CLI", source=name)
    try:
        with path.open("rb") as fh:
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    except FileNotFoundError as exc:  # gone between the check and the read
        raise InputNotFound("no such file (it vanished); check the path", source=name) from exc
    except OSError as exc:
        raise InputUnreadable(f"cannot read: {exc.strerror}", source=name) from exc
    if max_bytes is not None and len(data) > max_bytes:
        raise InputTooLarge(
            f"file over {max_bytes:,} bytes; raise the limit with --max-chars", source=name
        )
    if is_binary(data):
        raise UnsupportedInput("binary file; give text, HTML or Markdown", source=name)
    return decode(data)


class CappedReader(io.RawIOBase):
    """A binary stream that gives at most ``limit`` bytes, then raises InputTooLarge (E008) if
    there is more: what a gzip member or an archive may expand to is bounded before it is held,
    and what came before the limit is still read."""

    def __init__(self, raw: IO[bytes], limit: int, what: str = "input") -> None:
        self.raw = raw
        self.limit = limit
        self.what = what
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer)
        if self.count >= self.limit:
            if self.raw.read(1):
                raise InputTooLarge(
                    f"{self.what} over {self.limit:,} bytes after decompression; "
                    "raise the limit with --max-bytes"
                )
            return 0
        data = self.raw.read(min(len(view), self.limit - self.count))
        n = len(data)
        view[:n] = data
        self.count += n
        return n

    def close(self) -> None:
        try:
            self.raw.close()
        finally:
            super().close()
