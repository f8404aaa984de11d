"""Sources: what a user points at (files, folders, globs, corpora, URLs, feeds, WARC archives,
stdin) read into :class:`Item`s, with no database and no extraction. Reading never stops on a bad
input: it yields an :class:`ItemError` naming it and goes on."""

from communique.documents.corpus import FieldMap
from communique.sources.items import Item, ItemError
from communique.sources.read import expand_paths, read_items

__all__ = ["FieldMap", "Item", "ItemError", "expand_paths", "read_items"]
