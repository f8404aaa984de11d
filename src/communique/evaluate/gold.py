"""Gold annotations (docs/gold-format.md): loading, validation, and fetching their documents."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from communique.documents.corpus import FieldMap, raw_records, record_document, record_key
from communique.documents.load import read_document
from communique.errors import GoldError
from communique.model import EVENT_KINDS, TIMINGS, Document
from communique.settings import settings


@dataclass(frozen=True)
class GoldPerson:
    name: str | None
    country: str | None
    written: str | None = None  # the name as a text in another script writes it ("Ахмед Шараа")

    @property
    def names(self) -> str | None:
        """Every spelling of the name the gold gives (its Latin name and the name as written)."""
        both = " ".join(n for n in (self.name, self.written) if n)
        return both or None


@dataclass(frozen=True)
class GoldEncounter:
    kind: str
    timing: str
    main: bool
    participants: tuple[GoldPerson, ...]
    date: str | None
    place: tuple[str, str | None] | None


@dataclass(frozen=True)
class GoldDoc:
    path: Path
    corpus: str
    key: str | None
    publisher_country: str | None
    is_readout: bool
    encounters: tuple[GoldEncounter, ...]
    agreements: tuple[tuple[str, frozenset[str]], ...]
    statements: tuple[tuple[str, str, str | None], ...]
    topics: frozenset[str]
    initiatives: frozenset[str]
    relationships: frozenset[tuple[tuple[str, ...], str]]
    attendees: tuple[GoldPerson, ...]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def main(self) -> GoldEncounter | None:
        for e in self.encounters:
            if e.main:
                return e
        return None


def corpus_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit or settings().corpus)


def _person(item: Any, where: str) -> GoldPerson:
    if not isinstance(item, dict):
        raise GoldError(f"a participant must be a mapping, got {item!r}", source=where)
    return GoldPerson(item.get("name"), item.get("country"), item.get("written"))


def load_gold_file(path: Path) -> GoldDoc:
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise GoldError(f"not valid YAML: {exc}", source=where) from exc
    if not isinstance(data, dict) or "document" not in data:
        raise GoldError("missing the `document` block; see docs/gold-format.md", source=where)
    doc = data["document"]
    encounters = []
    for enc in data.get("encounters") or []:
        kind = enc.get("kind")
        if kind not in EVENT_KINDS:
            raise GoldError(f"unknown encounter kind {kind!r}", source=where)
        timing = enc.get("timing", "reported")
        if timing not in TIMINGS:
            raise GoldError(f"unknown timing {timing!r}", source=where)
        place = enc.get("place")
        encounters.append(
            GoldEncounter(
                kind=kind,
                timing=timing,
                main=bool(enc.get("main", False)),
                participants=tuple(_person(p, where) for p in enc.get("participants") or []),
                date=str(enc["date"]) if enc.get("date") else None,
                place=(place["name"], place.get("country")) if place else None,
            )
        )
    agreements = tuple(
        (a.get("title", ""), frozenset(a.get("parties") or []))
        for a in data.get("agreements") or []
    )
    statements = tuple(
        (s["actor"], s["stance"], s.get("target")) for s in data.get("statements") or []
    )
    relationships = frozenset(
        (tuple(sorted(r["countries"])), str(r["label"]).lower())
        for r in data.get("relationships") or []
    )
    return GoldDoc(
        path=path,
        corpus=doc["corpus"],
        key=str(doc["key"]) if doc.get("key") is not None else None,
        publisher_country=data.get("publisher_country"),
        is_readout=bool(data.get("is_readout", True)),
        encounters=tuple(encounters),
        agreements=agreements,
        statements=statements,
        topics=frozenset(data.get("topics") or []),
        initiatives=frozenset(data.get("initiatives") or []),
        relationships=relationships,
        attendees=tuple(_person(p, where) for p in data.get("attendees") or []),
    )


CONFIG_FILES = (  # beside the gold, not gold
    "corpora.yaml",
    "floors.yaml",
    "plover-floors.yaml",
    "titles.yaml",
)


def load_gold_dir(folder: str | Path) -> list[GoldDoc]:
    """The gold annotations of a folder and its subfolders, except those of a subfolder that is
    a gold set of its own (one with its own ``floors.yaml``: another language's readouts)."""
    root = Path(folder)
    if not root.is_dir():
        raise GoldError("not a folder of gold annotations", source=str(folder))
    return [
        load_gold_file(p)
        for p in sorted(root.rglob("*.yaml"))
        if p.name not in CONFIG_FILES and not _in_subset(root, p)
    ]


def gold_sets(folder: str | Path) -> list[Path]:
    """A gold folder and every subfolder of it with floors of its own, each scored apart."""
    root = Path(folder)
    return [root, *sorted(p.parent for p in root.rglob("floors.yaml") if p.parent != root)]


def _in_subset(root: Path, path: Path) -> bool:
    parent = path.parent
    while parent != root and root in parent.parents:
        if (parent / "floors.yaml").exists():
            return True
        parent = parent.parent
    return False


def load_fieldmaps(folder: str | Path) -> dict[str, FieldMap]:
    path = Path(folder) / "corpora.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {name: FieldMap(**spec) for name, spec in data.items()}


class DocumentSource:
    """Fetches the documents gold files point to, reading each corpus file once."""

    def __init__(self, root: Path, fieldmaps: dict[str, FieldMap]) -> None:
        self.root = root
        self.fieldmaps = fieldmaps

    @functools.cache  # noqa: B019 - one source per evaluation run
    def _index(self, corpus: str) -> dict[str, dict[str, Any]]:
        fm = self.fieldmaps.get(corpus, FieldMap())
        out: dict[str, dict[str, Any]] = {}
        for position, obj in raw_records(self.root / corpus, fm):
            if isinstance(obj, dict):
                out.setdefault(record_key(obj, fm, position), obj)
        return out

    def document(self, gold: GoldDoc) -> Document:
        if gold.key is None:
            return read_document(self.root / gold.corpus)
        record = self._index(gold.corpus).get(gold.key)
        if record is None:
            raise GoldError(
                f"no record with key {gold.key!r} in {gold.corpus}", source=str(gold.path)
            )
        fm = self.fieldmaps.get(gold.corpus, FieldMap())
        return record_document(record, fm, f"{gold.corpus}#{gold.key}")
