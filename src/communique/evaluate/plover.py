"""Sentence-level event coding scored on PLOVER's gold-standard records (the GSR).

``../shared/corpus/plover-gsr/PLOVER_GSR_CAMEO.txt`` holds 322 news sentences, each with the event
a human coder gave it: a PLOVER type (2016 names), source and target actors (country code and
sector), mode and context. It is the event-data field's own test suite (openeventdata/PLOVER, CC
BY-SA 4.0); the file is read at run time and nothing of it is copied.

For each record a *coder* (by default :func:`communique.extract` on the sentence, dated with the
record's date, publisher ``wire``) returns its coded events: the Readout's events that carry a
PLOVER type (statements and encounters), or a list of :class:`CodedEvent`. Per PLOVER type the
report gives

- recall: the share of the type's records where an event of the gold type was coded;
- precision: the share of events coded as the type (any record) that match their record's type;
- source and target accuracy: of the records found, the share whose event names a gold source
  (target) country; sector accuracy where both sides give a sector;
- events per sentence: how many events the coder gave the type's records (over-coding);

and the same for the diplomatic subset and for all types.

Names: the GSR uses PLOVER's 2016 names, the 2021 manual renamed or merged some (the manual's
CAMEO-to-PLOVER translation table): DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, INVESTIGATE -> ACCUSE
(mode investigate), FIGHT -> ASSAULT. A coded event matches a record when both names agree once
mapped to 2021; rows are the GSR's own (2016) types. For precision a right event counts under its
record's type, a wrong one under the 2016 name its type, mode and CAMEO code give (ACCUSE with mode
investigate or a 09x code: INVESTIGATE; ASSAULT with a 19x code: FIGHT).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique.errors import CommuniqueError

# the GSR's (2016) type names -> the PLOVER 2021 names (manual: CAMEO to PLOVER translation)
TO_2021 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# the GSR's types, in the manual's order of the categories
GSR_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "DEMAND",
    "DISAPPROVE", "INVESTIGATE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
    "COERCE", "ASSAULT", "FIGHT",
)  # fmt: skip
DIPLOMATIC = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "DISAPPROVE", "REJECT", "DEMAND", "AID", "SANCTION",
)  # fmt: skip
# CAMEO-era country codes in the GSR that ISO 3166 spells otherwise
_COUNTRY_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "ROM": "ROU", "TMP": "TLS"}


def to_2021(name: str) -> str:
    """A PLOVER type in the 2021 manual's name (``DEMAND`` -> ``REQUEST``)."""
    up = name.strip().upper()
    return TO_2021.get(up, up)


# -- the gold records ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GoldActor:
    text: str
    code: str  # as the record gives it (ISO3, or IGO, NGO, IMG ... for non-state actors)
    country: str | None  # ISO3 where the code names a country (JAP -> JPN), else None
    sector: str | None  # three letters (GOV, MIL, REB ...), None where the record gives none


@dataclass(frozen=True, slots=True)
class GsrRecord:
    id: str
    date: str
    event: str  # the GSR's (2016) type name
    text: str
    source: tuple[GoldActor, ...]
    target: tuple[GoldActor, ...]
    mode: str | None = None
    context: str | None = None
    event_text: str = ""

    @property
    def event_2021(self) -> str:
        return to_2021(self.event)


def parse_lenient_json(text: str) -> Any:
    """JSON that tolerates trailing commas before ``]`` and ``}`` (outside strings)."""
    out = []
    i, n = 0, len(text)
    in_str = False
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            out.append(c)
        elif c == ",":
            j = i + 1
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j < n and text[j] in "]}":
                i += 1
                continue
            out.append(c)
        else:
            out.append(c)
        i += 1
    return json.loads("".join(out))


@functools.cache
def _iso3() -> frozenset[str]:
    from communique.resources import load_tsv

    return frozenset(r["iso3"] for r in load_tsv("countries.tsv"))


def _gold_actors(value: Any) -> tuple[GoldActor, ...]:
    if not isinstance(value, list):
        return ()  # "" or missing: none
    out = []
    for a in value:
        if not isinstance(a, dict):
            continue
        code = str(a.get("code") or "").strip().upper()
        iso = _COUNTRY_FIXES.get(code, code)
        sector = str(a.get("sector") or "").strip()
        sec = sector[:3].upper() if re.match(r"[A-Za-z]{3}", sector) else None
        out.append(
            GoldActor(str(a.get("actorText") or ""), code, iso if iso in _iso3() else None, sec)
        )
    return tuple(out)


def read_gsr(path: str | Path) -> list[GsrRecord]:
    """Every event record of the GSR file (its DOCUMENT records, which describe the file, left out)."""
    p = Path(path)
    try:
        data = parse_lenient_json(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommuniqueError(f"{p}: cannot read the PLOVER gold standard ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise CommuniqueError(f"{p}: not a PLOVER gold-standard file ({exc})") from exc
    if not isinstance(data, list):
        raise CommuniqueError(f"{p}: not a PLOVER gold-standard file (no list of records)")
    out = []
    for rec in data:
        if (
            not isinstance(rec, dict)
            or rec.get("event") in (None, "DOCUMENT")
            or not rec.get("text")
        ):
            continue
        out.append(
            GsrRecord(
                id=str(rec.get("id")),
                date=str(rec.get("date") or ""),
                event=str(rec["event"]).upper(),
                text=str(rec["text"]),
                source=_gold_actors(rec.get("source")),
                target=_gold_actors(rec.get("target")),
                mode=str(rec["mode"]) if rec.get("mode") else None,
                context=str(rec["context"]) if rec.get("context") else None,
                event_text=str(rec.get("eventText") or ""),
            )
        )
    return out


# -- coded events ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CodedActor:
    country: str | None  # ISO3, or an organisation's code (UN, EU ...)
    sector: str | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class CodedEvent:
    plover: str  # 2021 or 2016 name
    plover_mode: str | None = None
    cameo: str | None = None
    source: tuple[CodedActor, ...] = ()
    target: tuple[CodedActor, ...] = ()
    rule: str | None = None

    @property
    def type_2021(self) -> str:
        return to_2021(self.plover)

    @property
    def gsr_type(self) -> str:
        """The GSR (2016) type this event is counted under."""
        t = self.plover.strip().upper()
        if t in GSR_TYPES:
            return t
        if t == "REQUEST":
            return "DEMAND"
        if t == "ACCUSE":
            investigate = (self.plover_mode or "") == "investigate" or (self.cameo or "")[
                :2
            ] == "09"
            return "INVESTIGATE" if investigate else "DISAPPROVE"
        return t

    def describe(self) -> str:
        def side(actors: tuple[CodedActor, ...]) -> str:
            return "+".join(f"{a.country or '?'}{a.sector or ''}" for a in actors) or "-"

        code = f" {self.cameo}" if self.cameo else ""
        mode = f"/{self.plover_mode}" if self.plover_mode else ""
        rule = f" ({self.rule})" if self.rule else ""
        return f"{self.plover}{mode}{code} {side(self.source)} -> {side(self.target)}{rule}"


def events_of(readout: Any) -> list[CodedEvent]:
    """The coded events of a Readout: its events (statements and encounters) with a PLOVER type."""
    out = []
    for e in readout.events:
        if not e.plover:
            continue
        out.append(
            CodedEvent(
                plover=e.plover,
                plover_mode=e.plover_mode,
                cameo=e.cameo,
                source=tuple(_coded_actor(readout, i) for i in e.actors),
                target=tuple(_coded_actor(readout, i) for i in e.recipients),
                rule=e.rule,
            )
        )
    return out


def _coded_actor(readout: Any, actor_id: str) -> CodedActor:
    try:
        a = readout.actor(actor_id)
    except KeyError:
        return CodedActor(None)
    return CodedActor(a.country, getattr(a, "sector", None), a.name)


Coder = Callable[[GsrRecord], Any]  # -> a Readout, or a sequence of CodedEvent


def extract_coder(record: GsrRecord) -> Any:
    """The project's extractor on one record: its sentence, dated, from a wire service."""
    import communique

    return communique.extract(record.text, published=record.date or None, source="wire")


def _coded(result: Any) -> list[CodedEvent]:
    if result is None:
        return []
    if hasattr(result, "events") and hasattr(result, "actor"):
        return events_of(result)
    return [e for e in result if isinstance(e, CodedEvent)]


# -- scoring --------------------------------------------------------------------------------------
@dataclass
class TypeScore:
    """One row of the report: a GSR type, the diplomatic subset or all types."""

    name: str
    records: int = 0
    hits: int = 0  # records where an event of the gold type was coded
    coded: int = 0  # events counted under this row's type(s)
    correct: int = 0  # ... that match their record's gold type
    events: int = 0  # events coded on this row's records (any type)
    source_total: int = 0
    source_hits: int = 0
    target_total: int = 0
    target_hits: int = 0
    sector_total: int = 0
    sector_hits: int = 0

    @property
    def recall(self) -> float | None:
        return self.hits / self.records if self.records else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.coded if self.coded else None

    @property
    def source_accuracy(self) -> float | None:
        return self.source_hits / self.source_total if self.source_total else None

    @property
    def target_accuracy(self) -> float | None:
        return self.target_hits / self.target_total if self.target_total else None

    @property
    def sector_accuracy(self) -> float | None:
        return self.sector_hits / self.sector_total if self.sector_total else None

    @property
    def per_sentence(self) -> float | None:
        return self.events / self.records if self.records else None

    def add(self, other: TypeScore) -> None:
        for f in (
            "records", "hits", "coded", "correct", "events", "source_total", "source_hits",
            "target_total", "target_hits", "sector_total", "sector_hits",
        ):  # fmt: skip
            setattr(self, f, getattr(self, f) + getattr(other, f))

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "records": self.records,
            "recall": r(self.recall),
            "precision": r(self.precision),
            "source": r(self.source_accuracy),
            "target": r(self.target_accuracy),
            "sector": r(self.sector_accuracy),
            "events_per_sentence": r(self.per_sentence),
            "hits": self.hits,
            "coded": self.coded,
            "correct": self.correct,
            "events": self.events,
        }


@dataclass
class RecordResult:
    record: GsrRecord
    events: list[CodedEvent]
    hit: bool
    source_ok: bool | None  # None: no hit, or the record names no source
    target_ok: bool | None
    sector_ok: bool | None
    error: str | None = None

    @property
    def wrong(self) -> list[CodedEvent]:
        """Coded events of another type than the record's."""
        return [e for e in self.events if e.type_2021 != self.record.event_2021]


@dataclass
class PloverReport:
    types: dict[str, TypeScore]
    diplomatic: TypeScore
    all: TypeScore
    results: list[RecordResult] = field(default_factory=list)

    @property
    def failures(self) -> list[RecordResult]:
        return [r for r in self.results if r.error]

    def rows(self) -> list[TypeScore]:
        return [*self.types.values(), self.diplomatic, self.all]

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.all.records,
            "types": {k: v.to_dict() for k, v in self.types.items()},
            "diplomatic": self.diplomatic.to_dict(),
            "all": self.all.to_dict(),
            "failures": [{"id": r.record.id, "error": r.error} for r in self.failures],
        }


def _matches(actors: Iterable[CodedActor], gold: Iterable[GoldActor]) -> bool:
    """Whether a coded actor is one of the gold actors: the same country, or, for a non-state
    gold actor (IGO, NGO, IMG ...), any actor that is not a country."""
    gold = list(gold)
    countries = {g.country for g in gold if g.country}
    non_state = any(g.country is None for g in gold)
    for a in actors:
        c = (a.country or "").upper()
        if c and c in countries:
            return True
        if non_state and c not in _iso3():
            return True
    return False


def _sector_matches(actors: Iterable[CodedActor], gold: Iterable[GoldActor]) -> bool:
    pairs = {(g.country, g.sector) for g in gold if g.sector}
    return any(((a.country or "").upper(), (a.sector or "")[:3].upper()) in pairs for a in actors)


def score_record(
    record: GsrRecord, events: Sequence[CodedEvent], error: str | None = None
) -> RecordResult:
    hits = [e for e in events if e.type_2021 == record.event_2021]
    source_ok = target_ok = sector_ok = None
    if hits:
        if record.source:
            source_ok = any(_matches(e.source, record.source) for e in hits)
        if record.target:
            target_ok = any(_matches(e.target, record.target) for e in hits)
        gold_sectors = [g for g in (*record.source, *record.target) if g.sector]
        if gold_sectors and any(a.sector for e in hits for a in (*e.source, *e.target)):
            sector_ok = any(
                _sector_matches(e.source, record.source) or _sector_matches(e.target, record.target)
                for e in hits
            )
    return RecordResult(record, list(events), bool(hits), source_ok, target_ok, sector_ok, error)


def aggregate(results: list[RecordResult]) -> PloverReport:
    types = {t: TypeScore(t) for t in GSR_TYPES}
    for res in results:
        gold = res.record.event
        row = types.setdefault(gold, TypeScore(gold))
        row.records += 1
        row.hits += res.hit
        row.events += len(res.events)
        for ok, total, hit in (
            (res.source_ok, "source_total", "source_hits"),
            (res.target_ok, "target_total", "target_hits"),
            (res.sector_ok, "sector_total", "sector_hits"),
        ):
            if ok is not None:
                setattr(row, total, getattr(row, total) + 1)
                setattr(row, hit, getattr(row, hit) + ok)
        for e in res.events:
            # a right event counts under its record's type (ASSAULT on a FIGHT record: FIGHT),
            # a wrong one under the GSR type its own type, mode and code give
            right = e.type_2021 == res.record.event_2021
            name = gold if right else e.gsr_type
            label = types.setdefault(name, TypeScore(name))
            label.coded += 1
            label.correct += right
    types = {k: v for k, v in types.items() if v.records or v.coded}
    diplomatic, everything = TypeScore("diplomatic"), TypeScore("all")
    for name, row in types.items():
        everything.add(row)
        if name in DIPLOMATIC:
            diplomatic.add(row)
    return PloverReport(types, diplomatic, everything, results)


def evaluate_plover(
    path: str | Path,
    coder: Coder | None = None,
    *,
    records: list[GsrRecord] | None = None,
) -> PloverReport:
    """Score ``coder`` (default: the project's extractor) on the GSR file at ``path``."""
    recs = records if records is not None else read_gsr(path)
    run = coder or extract_coder
    results = []
    for rec in recs:
        try:
            events = _coded(run(rec))
            error = None
        except Exception as exc:  # one failing record does not stop the evaluation
            events, error = [], f"{type(exc).__name__}: {exc}"
        results.append(score_record(rec, events, error))
    return aggregate(results)


def check_plover_floors(report: PloverReport, floors: dict[str, float]) -> list[str]:
    """Messages for every figure below its floor. Names: ``<row>.<metric>`` with row a GSR type,
    ``diplomatic`` or ``all`` and metric recall, precision, source, target, sector; or
    ``<row>.events_per_sentence`` as a ceiling."""
    rows = {r.name: r.to_dict() for r in report.rows()}
    out = []
    for name, floor in floors.items():
        row, _, metric = name.partition(".")
        if row not in rows or metric not in rows[row]:
            out.append(f"unknown floor {name!r}")
            continue
        value = rows[row][metric]
        if value is None:
            continue
        if metric == "events_per_sentence":
            if value > floor + 1e-9:
                out.append(f"{name} {value:.3f} above its ceiling {floor:.3f}")
        elif value + 1e-9 < floor:
            out.append(f"{name} {value:.3f} below its floor {floor:.3f}")
    return out
