"""Every input a user names, expanded and read in order: each kind of input has its module."""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterator
from pathlib import Path

from communique.documents.corpus import FieldMap
from communique.errors import InputNotFound
from communique.sources.files import file_items, is_corpus, is_readable, is_warc
from communique.sources.items import Item, ItemError


def expand_paths(inputs: list[str]) -> Iterator[str]:
    """Files, folders (recursively, readable suffixes and corpora), globs, URLs and ``-``."""
    for item in inputs:
        if item == "-" or item.startswith(("http://", "https://")):
            yield item
            continue
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if (
                    f.is_file()
                    and not any(part.startswith(".") for part in rel)
                    and not f.name.upper().startswith(("README", "LICENSE", "MANIFEST"))
                    and (is_readable(f) or is_corpus(f) or is_warc(f))
                ):
                    yield str(f)
            continue
        if not p.exists() and any(ch in item for ch in "*?["):
            matches = sorted(glob.glob(item, recursive=True))
            if matches:
                yield from matches
                continue
        yield item


def read_items(inputs: list[str], fieldmap: FieldMap | None = None) -> Iterator[Item | ItemError]:
    """Every input as Items, in order (a corpus or an archive expands to its records)."""
    fieldmap = fieldmap or FieldMap()
    for name in expand_paths(inputs):
        if name.startswith(("http://", "https://")):
            from communique.sources.web import url_items

            yield from url_items(name)
            continue
        if name == "-":
            yield Item(origin="<stdin>", raw=sys.stdin.read(), source=fieldmap.source)
            continue
        path = Path(name)
        if not path.exists():
            yield ItemError(name, InputNotFound("no such file or folder; check the path"))
        elif is_warc(path):
            from communique.sources.warc import warc_items

            yield from warc_items(path)
        else:
            yield from file_items(path, fieldmap)
