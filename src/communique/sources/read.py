"""Every input a user names, expanded and read in order: each kind of input has its module."""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterator
from pathlib import Path

from communique.documents.corpus import FieldMap
from communique.documents.decode import decode
from communique.documents.limits import DEFAULT_LIMITS, Limits
from communique.errors import InputNotFound, InputTooLarge, InputUnreadable
from communique.sources.files import file_items, is_corpus, is_readable, is_warc
from communique.sources.items import Item, ItemError


def _wanted(folder: Path, f: Path) -> bool:
    rel = f.relative_to(folder).parts
    return (
        not any(part.startswith(".") for part in rel)
        and not f.name.upper().startswith(("README", "LICENSE", "MANIFEST"))
        and (is_readable(f) or is_corpus(f) or is_warc(f))
    )


def expand_paths(inputs: list[str]) -> Iterator[str]:
    """Files, folders (recursively, readable suffixes and corpora), globs, URLs and ``-``.

    A folder is listed when it is reached, all at once: a file that vanishes afterwards is
    still named, and reading it is a failure (never a silent skip)."""
    for item in inputs:
        if item == "-" or item.startswith(("http://", "https://")):
            yield item
            continue
        p = Path(item)
        if p.is_dir():
            try:
                listed = [f for f in sorted(p.rglob("*")) if _wanted(p, f) and f.is_file()]
            except OSError:
                listed = [p]  # unreadable folder: reading it names the error
            yield from (str(f) for f in listed)
            continue
        if not p.exists() and any(ch in item for ch in "*?["):
            matches = sorted(glob.glob(item, recursive=True))
            if matches:
                yield from matches
                continue
        yield item


def read_items(
    inputs: list[str], fieldmap: FieldMap | None = None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Item | ItemError]:
    """Every input as Items, in order (a corpus or an archive expands to its records), within
    ``limits``; an input that cannot be read is an ItemError and the next one is read."""
    fieldmap = fieldmap or FieldMap()
    for name in expand_paths(inputs):
        if name.startswith(("http://", "https://")):
            from communique.sources.web import url_items

            yield from url_items(name, limits)
            continue
        if name == "-":
            yield _stdin(fieldmap, limits)
            continue
        path = Path(name)
        if not path.exists():
            yield ItemError(name, InputNotFound("no such file or folder; check the path"))
        elif path.is_dir():
            yield ItemError(name, InputUnreadable("cannot list the folder; check its permissions"))
        elif is_warc(path):
            from communique.sources.warc import warc_items

            yield from warc_items(path, limits)
        else:
            yield from file_items(path, fieldmap, limits)


def _stdin(fieldmap: FieldMap, limits: Limits) -> Item | ItemError:
    data = sys.stdin.buffer.read(limits.record_bytes + 1)
    if len(data) > limits.record_bytes:
        return ItemError(
            "<stdin>",
            InputTooLarge(f"over {limits.record_bytes:,} bytes; raise the limit with --max-chars"),
        )
    return Item(origin="<stdin>", raw=decode(data), source=fieldmap.source)
