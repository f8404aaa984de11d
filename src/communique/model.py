"""The value types of a readout: frozen dataclasses that point into the document text.

A :class:`Readout` owns the normalised text of its :class:`Document`; every actor mention, event,
agreement and statement carries character offsets into that text (``evidence``), so each fact can
be shown in the sentence it came from (like spaCy's ``Doc``/``Span``).
"""

from __future__ import annotations

import html
import itertools
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

SCHEMA = "communique/readout@1"

ActorKind = Literal["person", "state", "organization"]
EventKind = Literal[
    "talks", "meeting", "call", "visit", "summit", "message", "signing", "statement"
]
Timing = Literal["reported", "past", "planned"]

# The one list of event kinds; everything else is derived from it.
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)
ACTOR_KINDS: tuple[ActorKind, ...] = get_args(ActorKind)
TIMINGS: tuple[Timing, ...] = get_args(Timing)
# Encounters of people (what the store merges across reports and the scorer scores): every kind
# but a signing (recorded as an agreement) and a statement.
ENCOUNTER_KINDS: tuple[EventKind, ...] = tuple(
    k for k in EVENT_KINDS if k not in ("signing", "statement")
)
IN_PERSON_KINDS: frozenset[str] = frozenset({"talks", "meeting", "visit", "summit", "signing"})
# The coarse classes of encounters (canonical events, the dashboard's colours).
KIND_GROUPS: tuple[str, ...] = ("in-person", "call", "message")


def kind_group(kind: str) -> str:
    """The coarse class of an encounter kind: ``in-person``, ``call``, ``message`` or the kind."""
    if kind in IN_PERSON_KINDS:
        return "in-person"
    return kind


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into ``Document.text``."""

    start: int
    end: int

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Document:
    """The normalised body an extractor sees, with its metadata."""

    text: str
    id: str = ""
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    source: str | None = None
    source_country: str | None = None
    language: str = "en"
    timezone: str | None = None  # IANA zone of the publisher, used to resolve relative dates

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "source": self.source,
            "source_country": self.source_country,
            "language": self.language,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: ActorKind
    country: str | None
    titles: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()
    canonical: str | None = None  # the people lexicon's name for this person, when it knows them
    named: bool = True  # False for an office holder the text never names ("the Prime Minister")
    # the sector a person's office gives (GOV, MIL, JUD, COP ...: CAMEO agent codes), when known
    sector: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "titles": list(self.titles),
            "mentions": [[m.start, m.end] for m in self.mentions],
            "canonical": self.canonical,
            "named": self.named,
            "sector": self.sector,
        }


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    country: str | None
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    kind: EventKind
    actors: tuple[str, ...]
    recipients: tuple[str, ...] = ()
    date: str | None = None
    location: Location | None = None
    occasion: str | None = None
    stance: str | None = None
    cameo: str | None = None
    plover: str | None = None
    plover_mode: str | None = None
    goldstein: float | None = None
    topics: tuple[str, ...] = ()
    evidence: tuple[Span, ...] = ()
    timing: Timing = "reported"
    visit_type: str | None = None  # state | official | working | private, for visits
    rule: str | None = None  # the id of the rule that coded it (`communique explain` shows why)
    main: bool = False  # the encounter the readout reports (at most one per readout)
    # (actor id, sector) for the parties whose sector the event's sentence gives (a statement's
    # "Israeli troops": MIL; a minister: GOV), as CAMEO agent codes
    sectors: tuple[tuple[str, str], ...] = ()

    def sector_of(self, actor_id: str) -> str | None:
        """The sector of one of this event's parties, where its sentence gives one."""
        return dict(self.sectors).get(actor_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "actors": list(self.actors),
            "recipients": list(self.recipients),
            "date": self.date,
            "location": self.location.to_dict() if self.location else None,
            "occasion": self.occasion,
            "stance": self.stance,
            "cameo": self.cameo,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "goldstein": self.goldstein,
            "topics": list(self.topics),
            "evidence": [e.to_dict() for e in self.evidence],
            "timing": self.timing,
            "visit_type": self.visit_type,
            "rule": self.rule,
            "main": self.main,
            "sectors": dict(self.sectors),
        }


@dataclass(frozen=True, slots=True)
class Agreement:
    id: str
    title: str
    parties: tuple[str, ...]
    signatories: tuple[str, ...] = ()
    date: str | None = None
    topics: tuple[str, ...] = ()
    evidence: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "parties": list(self.parties),
            "signatories": list(self.signatories),
            "date": self.date,
            "topics": list(self.topics),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Initiative:
    name: str
    owner: str | None = None
    evidence: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "owner": self.owner,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Relationship:
    countries: tuple[str, ...]
    label: str
    evidence: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "countries": list(self.countries),
            "label": self.label,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Readout:
    """Everything extracted from one document; serialises to Readout JSON version 1."""

    document: Document
    actors: tuple[Actor, ...] = ()
    events: tuple[Event, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    topics: tuple[Topic, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    attendees: tuple[str, ...] = ()
    extractor: str = ""
    # why a reader should check this extraction (an encounter the lead reports that could not
    # be resolved); empty when nothing calls for a look
    needs_review: tuple[str, ...] = ()
    _actor_index: dict[str, Actor] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._actor_index.update({a.id: a for a in self.actors})

    # views -----------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.document.text

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id (``KeyError`` if there is none)."""
        return self._actor_index[actor_id]

    def evidence_text(self, span: Span) -> str:
        return span.text_of(self.document.text)

    @property
    def encounters(self) -> tuple[Event, ...]:
        """Events that are encounters (everything but statements)."""
        return tuple(e for e in self.events if e.kind != "statement")

    @property
    def statements(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.kind == "statement")

    @property
    def main_event(self) -> Event | None:
        """The encounter the readout reports (marked ``main``; for readouts stored before that
        mark existed, the first reported encounter)."""
        for event in self.events:
            if event.main:
                return event
        for event in self.events:
            if event.kind != "statement" and event.timing == "reported":
                return event
        return None

    def countries_of(self, actor_ids: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for aid in actor_ids:
            c = self._actor_index[aid].country
            if c and c not in out:
                out.append(c)
        return out

    # serialisation ---------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "extractor": self.extractor,
            "document": self.document.to_dict(),
            "actors": [a.to_dict() for a in self.actors],
            "events": [e.to_dict() for e in self.events],
            "agreements": [a.to_dict() for a in self.agreements],
            "topics": [t.id for t in self.topics],
            "topic_evidence": {t.id: [e.to_dict() for e in t.evidence] for t in self.topics},
            "initiatives": [i.to_dict() for i in self.initiatives],
            "relationships": [r.to_dict() for r in self.relationships],
            "attendees": list(self.attendees),
            "needs_review": list(self.needs_review),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def _repr_html_(self) -> str:
        """How Jupyter shows a Readout: the text with its actors marked, and the facts, each
        linked to its evidence (:func:`readout_html`)."""
        return readout_html(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Readout:
        """Rebuild a Readout from its JSON form (the inverse of :meth:`to_dict`)."""
        if data.get("schema") != SCHEMA:
            from communique.errors import SchemaError

            raise SchemaError(f"expected schema {SCHEMA!r}, got {data.get('schema')!r}")

        def spans(items: list[dict[str, int]]) -> tuple[Span, ...]:
            return tuple(Span(i["start"], i["end"]) for i in items)

        d = data["document"]
        document = Document(
            text=d["text"],
            id=d.get("id") or "",
            url=d.get("url"),
            title=d.get("title"),
            published=d.get("published"),
            source=d.get("source"),
            source_country=d.get("source_country"),
            language=d.get("language") or "en",
        )
        actors = tuple(
            Actor(
                id=a["id"],
                name=a["name"],
                kind=a["kind"],
                country=a.get("country"),
                titles=tuple(a.get("titles", ())),
                mentions=tuple(Span(s, e) for s, e in a.get("mentions", ())),
                canonical=a.get("canonical"),
                named=a.get("named", True),
                sector=a.get("sector"),
            )
            for a in data.get("actors", ())
        )
        events = tuple(
            Event(
                id=e["id"],
                kind=e["kind"],
                actors=tuple(e.get("actors", ())),
                recipients=tuple(e.get("recipients", ())),
                date=e.get("date"),
                location=Location(**e["location"]) if e.get("location") else None,
                occasion=e.get("occasion"),
                stance=e.get("stance"),
                cameo=e.get("cameo"),
                plover=e.get("plover"),
                plover_mode=e.get("plover_mode"),
                goldstein=e.get("goldstein"),
                topics=tuple(e.get("topics", ())),
                evidence=spans(e.get("evidence", [])),
                timing=e.get("timing", "reported"),
                visit_type=e.get("visit_type"),
                rule=e.get("rule"),
                main=bool(e.get("main", False)),
                sectors=tuple((e.get("sectors") or {}).items()),
            )
            for e in data.get("events", ())
        )
        agreements = tuple(
            Agreement(
                id=a["id"],
                title=a["title"],
                parties=tuple(a.get("parties", ())),
                signatories=tuple(a.get("signatories", ())),
                date=a.get("date"),
                topics=tuple(a.get("topics", ())),
                evidence=spans(a.get("evidence", [])),
            )
            for a in data.get("agreements", ())
        )
        topic_ev = data.get("topic_evidence", {})
        topics = tuple(Topic(t, spans(topic_ev.get(t, []))) for t in data.get("topics", ()))
        initiatives = tuple(
            Initiative(i["name"], i.get("owner"), spans(i.get("evidence", [])))
            for i in data.get("initiatives", ())
        )
        relationships = tuple(
            Relationship(tuple(r["countries"]), r["label"], spans(r.get("evidence", [])))
            for r in data.get("relationships", ())
        )
        return cls(
            document=document,
            actors=actors,
            events=events,
            agreements=agreements,
            topics=topics,
            initiatives=initiatives,
            relationships=relationships,
            attendees=tuple(data.get("attendees", ())),
            extractor=data.get("extractor", ""),
            needs_review=tuple(data.get("needs_review", ())),
        )


# -- notebooks -------------------------------------------------------------------------------------
# A Readout shows itself in Jupyter (``Readout._repr_html_``) the way displaCy shows entities: the
# text with every actor mention marked and labelled, then the facts, each linked to the sentences
# it came from (a click scrolls to them and ``:target`` lights them up). Plain HTML and CSS: no
# script, no event handler attribute; every piece of the text is escaped.
_KIND_COLOURS = {"person": "#aa9cfc", "state": "#feca74", "organization": "#7aecec"}
_Mark = tuple[int, int, int, str, str]  # start, end, layer (0 evidence, 1 mention), id, label
_render_ids = itertools.count(1)


def readout_html(r: Readout) -> str:
    """The HTML a notebook shows for a Readout (see :meth:`Readout._repr_html_`)."""
    uid = f"cq-{r.document.id[:8] or 'doc'}-{next(_render_ids)}"
    spans: dict[tuple[int, int], str] = {}

    def anchor(span: Span) -> str:
        key = (span.start, span.end)
        if key not in spans:
            spans[key] = f"{uid}-s{len(spans) + 1}"
        return spans[key]

    facts = _facts_html(r, anchor)
    marks: list[_Mark] = []
    for (start, end), ident in spans.items():
        marks.append((start, end, 0, ident, ""))
    for a in r.actors:
        label = " ".join(x for x in (a.kind, a.country or "") if x)
        for m in a.mentions:
            marks.append((m.start, m.end, 1, a.id, label))
    body = _marked_text(r.text, marks, {a.id: a for a in r.actors})
    d = r.document
    meta = " · ".join(
        x
        for x in (
            d.source or "unknown publisher",
            d.source_country or "",
            d.published or "undated",
            f"{len(r.actors)} actors, {len(r.events)} events, {len(r.agreements)} agreements",
        )
        if x
    )
    title = html.escape(d.title or d.url or d.id or "Readout")
    return (
        f'<div class="communique-readout" id="{uid}" style="font-family: system-ui, sans-serif; '
        'line-height: 1.6; max-width: 64em">'
        f"<style>#{uid} .cq-ev:target {{ background: #fde68a; outline: 2px solid #f59e0b; }}"
        f"#{uid} .cq-ev {{ scroll-margin: 4em; }}</style>"
        f'<div class="cq-head"><strong>{title}</strong><br>'
        f'<span style="color: #6b7785; font-size: 0.85em">{html.escape(meta)}</span></div>'
        '<div class="cq-text" style="white-space: pre-wrap; padding: 0.6em 0; '
        f'border-bottom: 1px solid #dde3ea">{body}</div>'
        f'<ol class="cq-facts" style="padding-left: 1.6em">{facts}</ol></div>'
    )


def _names(r: Readout, ids: tuple[str, ...]) -> str:
    out = []
    for i in ids:
        a = r._actor_index.get(i)
        if a is None:
            out.append(html.escape(i))
        elif a.kind == "person" and a.country:
            out.append(f"{html.escape(a.name)} ({html.escape(a.country)})")
        else:
            out.append(html.escape(a.name))
    return ", ".join(out)


def _facts_html(r: Readout, anchor: Any) -> str:
    def links(evidence: tuple[Span, ...]) -> str:
        return " ".join(
            f'<a class="cq-link" href="#{anchor(s)}" title="{html.escape(r.evidence_text(s))}">'
            f"evidence{'' if len(evidence) == 1 else f' {n}'}</a>"
            for n, s in enumerate(evidence, 1)
        )

    items = []
    for e in r.events:
        what = e.kind if e.kind != "statement" else f"statement: {e.stance or '?'}"
        if e.timing != "reported":
            what += f" ({e.timing})"
        who = _names(r, e.actors)
        if e.recipients:
            who += " → " + _names(r, e.recipients)
        where = ", ".join(x for x in (e.location.name if e.location else "", e.occasion or "") if x)
        parts = [e.date or "undated", where, f"CAMEO {e.cameo}" if e.cameo else ""]
        detail = " · ".join(html.escape(x) for x in parts if x)
        items.append(
            f'<li class="cq-fact" data-event="{html.escape(e.id)}"><b>{html.escape(what)}</b> '
            f'{who} <span style="color: #6b7785">{detail}</span> {links(e.evidence)}</li>'
        )
    for ag in r.agreements:
        items.append(
            f'<li class="cq-fact"><b>agreement</b> {html.escape(ag.title)} '
            f'<span style="color: #6b7785">{html.escape(" ".join(ag.parties))}</span> '
            f"{links(ag.evidence)}</li>"
        )
    for rel in r.relationships:
        items.append(
            f'<li class="cq-fact"><b>relationship</b> {html.escape("–".join(rel.countries))}: '
            f"{html.escape(rel.label)} {links(rel.evidence)}</li>"
        )
    for ini in r.initiatives:
        items.append(
            f'<li class="cq-fact"><b>initiative</b> {html.escape(ini.name)} '
            f"{links(ini.evidence)}</li>"
        )
    for t in r.topics:
        items.append(
            f'<li class="cq-fact"><b>topic</b> {html.escape(t.id)} {links(t.evidence)}</li>'
        )
    if r.attendees:
        items.append(f'<li class="cq-fact"><b>attendees</b> {_names(r, r.attendees)}</li>')
    return "".join(items)


def _marked_text(text: str, marks: list[_Mark], actors: dict[str, Actor]) -> str:
    """``text`` escaped, with evidence spans (layer 0) around actor mentions (layer 1); an
    element that crosses another is closed and opened again (its id stays on the first piece)."""

    def opening(mark: _Mark, first: bool) -> str:
        _, _, layer, ident, _ = mark
        if layer == 0:
            id_attr = f' id="{ident}"' if first else ""
            return f'<span class="cq-ev"{id_attr}>'
        colour = _KIND_COLOURS.get(actors[ident].kind, "#ddd")
        return (
            f'<mark class="cq-ent" data-actor="{html.escape(ident)}" style="background: {colour}; '
            'padding: 0.1em 0.35em; border-radius: 0.35em; line-height: 1">'
        )

    def closing(mark: _Mark) -> str:
        _, _, layer, _, label = mark
        if layer == 0:
            return "</span>"
        return (
            '<span class="cq-label" style="font-size: 0.65em; font-weight: bold; '
            f'text-transform: uppercase; margin-left: 0.4em">{html.escape(label)}</span></mark>'
        )

    valid = [m for m in marks if 0 <= m[0] < m[1] <= len(text)]
    cuts = sorted({0, len(text), *(m[0] for m in valid), *(m[1] for m in valid)})
    starts: dict[int, list[_Mark]] = {}
    for m in valid:
        starts.setdefault(m[0], []).append(m)
    out: list[str] = []
    stack: list[_Mark] = []
    for i, pos in enumerate(cuts):
        ending = [m for m in stack if m[1] == pos]
        if ending:
            deepest = min(stack.index(m) for m in ending)
            reopen = [m for m in stack[deepest:] if m[1] != pos]
            for m in reversed(stack[deepest:]):
                out.append(closing(m) if m[1] == pos else "</mark>" if m[2] else "</span>")
            del stack[deepest:]
            for m in reopen:
                out.append(opening(m, first=False))
                stack.append(m)
        for m in sorted(starts.get(pos, ()), key=lambda m: (-m[1], m[2])):
            out.append(opening(m, first=True))
            stack.append(m)
        if i + 1 < len(cuts):
            out.append(html.escape(text[pos : cuts[i + 1]]))
    return "".join(out)
