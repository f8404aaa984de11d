"""The extractor: a pure, deterministic function ``Document -> Readout``."""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from communique.extractor.actors import ActorTable, EntityRef, Person, build_actors
from communique.extractor.actors_unspaced import UnspacedBuilder
from communique.extractor.analysis import Analysis, get_grammar
from communique.extractor.dates import DateMention, find_dates, local_publication_date
from communique.extractor.encounters import Encounter, encounters_in_sentence, free_dates
from communique.extractor.events import Context, EventDraft, code_events, person_sector
from communique.extractor.facts import (
    agreements_by_rules,
    attendees_by_rules,
    find_agreements,
    find_attendee_sentences,
    find_initiatives,
    find_relationships,
    find_topics,
    list_names,
    relationships_by_lexicon,
)
from communique.extractor.language import Language, get_language
from communique.extractor.layout import View, make_view
from communique.extractor.lexicon import Lexicon, Place, get_lexicon
from communique.extractor.rules import RuleSet
from communique.extractor.text import Sentence, split_sentences
from communique.model import (
    IN_PERSON_KINDS,
    Actor,
    Agreement,
    Document,
    Event,
    Initiative,
    Location,
    Readout,
    Relationship,
    Span,
    Topic,
)
from communique.resources import data_exists, load_yaml
from communique.version import __version__

EXTRACTOR = f"communique-rules/{__version__}"


@functools.cache
def _codes() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = load_yaml("codes.yaml")
    return data


class _Ids:
    """Actor ids: ``p1``.. for persons, ISO3/org code for states and organisations."""

    def __init__(self, actors: ActorTable, lex: Lexicon) -> None:
        self.actors = actors
        self.lex = lex
        order = sorted(actors.persons.values(), key=lambda p: p.first)
        self.person_ids = {p.name: f"p{i + 1}" for i, p in enumerate(order)}
        self.used_states: dict[str, list[tuple[int, int]]] = {}

    def of(self, ref: EntityRef) -> str:
        if ref.kind == "person":
            return self.person_ids[ref.key]
        self.used_states.setdefault(ref.key, [])
        return ref.key


def extract_document(
    document: Document, *, rules: Sequence[str] = (), statements: bool = True
) -> Readout:
    """Extract every fact of the Readout contract from a Document (pure: no I/O, no state).

    The rules read a view of the text with its layout undone (hard-wrapped lines joined, Markdown
    marks dropped: :mod:`communique.extractor.layout`); every offset in the Readout points into
    ``document.text`` as given. ``rules`` names folders of the user's own rule files, read
    before the package's (a user rule with a package rule's id replaces it). ``statements``:
    code every sentence's events in CAMEO and PLOVER (:mod:`communique.extractor.events`); off,
    the Readout has its encounters and facts but no statement events (for measuring their cost).
    """
    lang = language_of(document)
    view = make_view(document.text, lang)
    st = _analyse(replace(document, text=view.text), lang, tuple(rules))
    readout = _extract(st, statements=statements)
    if view.identity:
        return readout
    return _to_document_offsets(readout, view, document)


def language_of(document: Document) -> Language:
    """The language a document is read in: its own when the package has data for it (every
    language is a folder of data/lang/), else English."""
    code = document.language or "en"
    return get_language(code if data_exists(f"lang/{code}/words.yaml") else "en")


def analyse(document: Document, *, rules: Sequence[str] = ()) -> Analysis:
    """The analysis the rules run on (sentences, actors, tagged tokens) of the document's text
    as it stands (no layout undone): for tools that apply rule sets of their own."""
    return _analyse(document, language_of(document), tuple(rules)).analysis


@dataclass(frozen=True, slots=True)
class Firing:
    """One rule that matched: which rule, of which set, on which words of the document."""

    rule: str
    rule_set: str
    start: int
    end: int
    source: str  # the rule file

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


def explain(document: Document, *, rules: Sequence[str] = ()) -> list[Firing]:
    """Every rule that matches in the document, in text order: why a sentence got its codes."""
    lang = language_of(document)
    view = make_view(document.text, lang)
    st = _analyse(replace(document, text=view.text), lang, tuple(rules))
    an = st.analysis
    out = []
    for i in range(len(an.sentences)):
        for rs in an.grammar.all:
            for m in an.encoded(i).matches(rs.candidates(an.sentences[i].text)):
                s, e = view.span(an.char_start(i, m.start), an.char_end(i, m.end))
                out.append(Firing(m.rule.id, rs.name, s, e, m.rule.source))
    out.sort(key=lambda f: (f.start, f.rule_set, f.rule))
    return out


def _to_document_offsets(readout: Readout, view: View, document: Document) -> Readout:
    def spans(items: tuple[Span, ...]) -> tuple[Span, ...]:
        return tuple(Span(*view.span(s.start, s.end)) for s in items)

    return replace(
        readout,
        document=replace(readout.document, text=document.text),
        actors=tuple(replace(a, mentions=spans(a.mentions)) for a in readout.actors),
        events=tuple(replace(e, evidence=spans(e.evidence)) for e in readout.events),
        agreements=tuple(replace(a, evidence=spans(a.evidence)) for a in readout.agreements),
        topics=tuple(replace(t, evidence=spans(t.evidence)) for t in readout.topics),
        initiatives=tuple(replace(i, evidence=spans(i.evidence)) for i in readout.initiatives),
        relationships=tuple(replace(r, evidence=spans(r.evidence)) for r in readout.relationships),
        _actor_index={},
    )


@dataclass(frozen=True, slots=True)
class _State:
    document: Document
    analysis: Analysis
    ref_date: date | None
    publisher: str | None


def _analyse(document: Document, lang: Language, user_rules: tuple[str, ...]) -> _State:
    """Sentences, actors, the publisher and its day, and the rules: what every step reads."""
    lex = get_lexicon(lang.code)
    grammar = get_grammar(lang, user_rules)
    text = document.text
    sentences = split_sentences(
        text, lang.abbreviations, _heading_breaks(text, document.title), lang.terminators
    )
    publisher = document.source_country
    builder = UnspacedBuilder if lang.unspaced else None
    actors = build_actors(text, lex, publisher, lang, builder)
    if publisher is None and not document.source:
        # an unattributed readout: a header naming a government office, or a leader named with
        # no nationality (in an office the lexicon knows them by), tells whose readout it is
        _roles_from_offices(actors, lex, local_publication_date(document.published, None))
        publisher = _institution_publisher(text, lex, lang) or _implied_publisher(
            actors, lang.publisher_roles
        )
        if publisher is not None:
            actors = build_actors(text, lex, publisher, lang, builder)
            document = replace(document, source_country=publisher)
    tz = document.timezone or (lex.timezones.get(publisher) if publisher else None)
    ref_date = local_publication_date(document.published, tz)
    _name_office_holders(actors, lex, ref_date, lang)
    _roles_from_offices(actors, lex, ref_date)
    an = Analysis(text, sentences, actors, lex, grammar, _dates(text, sentences, ref_date, lang))
    _affiliate(an, publisher)
    return _State(document, an, ref_date, publisher)


def _heading_breaks(text: str, title: str | None) -> tuple[int, ...]:
    """Where a page's title, repeated in its text with no full stop after it (a breadcrumb,
    the title and the lead on one line; the title again over the transcript), begins and
    ends: a heading is a sentence of its own."""
    title = (title or "").strip()
    if len(title) < 8 or text.find(title, 0, len(title) + 200) < 0:
        return ()
    out: list[int] = []
    at = text.find(title)
    while at >= 0:
        out.extend((at, at + len(title)))
        at = text.find(title, at + len(title))
    return tuple(out)


def _affiliate(an: Analysis, publisher: str | None) -> None:
    """A person the text names with no nationality and the lexicon does not know takes the one
    foreign country the affiliation rules find ("congratulated her and the people of Albania",
    "thanked the Slovenian side")."""
    actors = an.actors
    loose = [
        p for p in actors.persons.values() if not p.country_explicit and not p.known and p.named
    ]
    if not loose:
        return
    found: list[tuple[int, str]] = []  # (sentence, country)
    for i in range(len(an.sentences)):
        if not an.might_match(i, an.grammar.affiliations):
            continue
        for m in an.matches(i, an.grammar.affiliations):
            span = m.slots.get("country")
            if not span:
                continue
            for r in actors.refs_between(an.char_start(i, span[0]), an.char_end(i, span[1])):
                if r.kind == "state" and r.country and r.country != publisher:
                    found.append((i, r.country))
    overall = _dominant([c for _, c in found])
    # someone else must speak for the publisher: its named or unnamed principal, or "I"
    home = any(p.country == publisher and p not in loose for p in actors.persons.values()) or any(
        r.kind == "self" for r in actors.refs
    )
    if not found or not home:
        return
    starts = [s.start for s in an.sentences]
    for p in loose:
        if p.country not in (None, publisher):
            continue
        # the country named where the person speaks ("X表示，墨方..."), else in the whole text
        own = {bisect.bisect_right(starts, s) - 1 for s, _ in p.mentions}
        country = _dominant([c for i, c in found if i in own]) or overall
        if country is not None:
            p.country = country
            p.country_explicit = True
    for r in actors.refs:
        if r.kind == "person":
            r.country = actors.persons[r.key].country


def _dominant(countries: list[str]) -> str | None:
    """The one country named, or the one named far more often than any other ("匈方"
    throughout, "中欧" once)."""
    ranked = Counter(countries).most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] < 3 * ranked[1][1]):
        return None
    return ranked[0][0]


def _extract(st: _State, *, statements: bool = True) -> Readout:
    an, ref_date, publisher, document = st.analysis, st.ref_date, st.publisher, st.document
    text, sentences, actors, lex = an.text, an.sentences, an.actors, an.lex
    encounters, review = _find_encounters(an, ref_date, publisher)
    main = encounters[0] if encounters and encounters[0].timing == "reported" else None
    main_refs = (main.actors + main.recipients) if main else []

    ids = _Ids(actors, lex)
    events: list[Event] = []
    for n, enc in enumerate(encounters):
        event = _encounter_event(enc, n, ids, actors, lex, ref_date, main_refs)
        events.append(replace(event, main=True) if enc is main else event)
    main_date = (
        events[0].date
        if events and main is not None
        else (ref_date.isoformat() if ref_date else None)
    )

    if statements:
        roles = an.grammar.lang.principal_roles
        ctx = Context(
            publisher=publisher,
            principal=_principal(actors, publisher, roles)
            or _speaker(actors, publisher)
            or (EntityRef(0, 0, "state", publisher, publisher) if publisher else None),
            main_refs=list(main_refs),
            encounter_sentences={enc.sentence.start for enc in encounters},
        )
        for n, draft in enumerate(code_events(an, ctx)):
            events.append(_statement_event(draft, n, ids, main_date))

    topics = find_topics(text, lex)
    agreements = []
    main_countries = _countries(main_refs)
    by_rules = bool(an.grammar.facts.rules)  # facts as rules (Chinese), or as patterns (English)
    lex_code = an.grammar.lang.code
    drafts = (
        agreements_by_rules(an) if by_rules else find_agreements(text, sentences, lex, lex_code)
    )
    for n, ad in enumerate(drafts):
        parties = ad.parties if len(ad.parties) >= 2 else main_countries
        agreements.append(
            Agreement(
                id=f"a{n + 1}",
                title=ad.title,
                parties=tuple(parties),
                signatories=tuple(ids.of(r) for r in main_refs if r.kind == "person")
                if main is not None
                else (),
                date=main_date,
                topics=tuple(ad.topics),
                evidence=tuple(Span(s, e) for s, e in ad.evidence),
            )
        )
    initiatives = tuple(
        Initiative(name, owner, tuple(Span(s, e) for s, e in spans))
        for name, (owner, spans) in find_initiatives(actors).items()
    )
    found_relations = (
        relationships_by_lexicon(an, main_countries)
        if lex.has_relations
        else find_relationships(text, sentences, lex, main_countries, lex_code)
    )
    relationships = _dedupe_relationships(found_relations)
    listed = (
        attendees_by_rules(an)
        if by_rules
        else _listed_attendees(find_attendee_sentences(sentences, lex_code), actors, lex_code)
    )
    attendees = _attendees(listed, actors, ids, main_refs, publisher)

    actor_objs = _actor_objects(actors, ids, lex, an.grammar.lang.code)
    return Readout(
        document=document,
        actors=actor_objs,
        events=tuple(events),
        agreements=tuple(agreements),
        topics=tuple(
            Topic(t, tuple(Span(s, e) for s, e in spans)) for t, spans in sorted(topics.items())
        ),
        initiatives=initiatives,
        relationships=relationships,
        attendees=tuple(attendees),
        extractor=EXTRACTOR,
        needs_review=tuple(review),
    )


# -- encounters ------------------------------------------------------------------------------


def _dates(
    text: str, sentences: list[Sentence], ref_date: date | None, lang: Language
) -> list[DateMention]:
    """The date expressions of the text (one pass), each within a sentence."""
    if not sentences:
        return []
    return find_dates(text, sentences[0].start, sentences[-1].end, ref_date, lang)


_LEAD = 3  # the sentences that report a readout's main encounter


def _find_encounters(
    an: Analysis, ref_date: date | None, publisher: str | None
) -> tuple[list[Encounter], list[str]]:
    """The encounters, main first, and why a reader should check the result (an encounter the
    lead reports that could not be resolved)."""
    text, actors = an.text, an.actors
    raw: list[Encounter] = []
    lead_end = an.sentences[min(_LEAD, len(an.sentences)) - 1].end if an.sentences else 0
    for i in range(len(an.sentences)):
        raw.extend(encounters_in_sentence(an, i, ref_date))
    roles = an.grammar.lang.principal_roles
    principal = _principal(actors, publisher, roles) or _speaker(actors, publisher)
    kept: list[Encounter] = []
    main: Encounter | None = None
    dropped: list[tuple[Encounter, str]] = []
    for enc in raw:
        enc.actors = [_self_ref(r, principal) for r in enc.actors]
        if _is_plural(enc.actors) and main is not None:
            enc.actors = [_personify(r, actors, roles) for r in main.actors + main.recipients]
            enc.recipients = []
        elif _is_plural(enc.actors) and enc.trigger.start < lead_end and principal is not None:
            # "After the welcoming ceremony, the two heads of state held talks": the principal
            # and the one foreign leader the readout names
            other = _foreign_leader(actors, principal, roles)
            if other is not None:
                enc.actors, enc.recipients = [principal], [other]
        if _is_plural(enc.actors) or _is_plural(enc.recipients):
            dropped.append((enc, "its parties are only referred to"))
            continue
        if (
            not enc.actors
            and principal is not None
            and enc.recipients
            and all(r.country != principal.country for r in enc.recipients)
        ):
            enc.actors = [principal]
        if not enc.actors and not enc.recipients:
            dropped.append((enc, "no party could be identified"))
            continue
        _fix_counterpart_countries(enc, actors, text, publisher)
        if enc.kind == "visit":
            _orient_visit(enc, main, actors, roles)
        if enc.kind == "message" and not enc.recipients and len(enc.actors) < 2:
            dropped.append((enc, "the message has no addressee"))
            continue
        countries = _countries(enc.actors + enc.recipients)
        if len(countries) < 2 and not (enc.kind in ("summit", "visit") and enc.actors):
            dropped.append((enc, "the counterpart's country could not be told apart"))
            continue
        if enc.kind == "visit" and enc.host is None and len(countries) < 2:
            dropped.append((enc, "the host could not be identified"))
            continue
        if enc.kind == "visit" and countries == [enc.host]:
            dropped.append((enc, "a visit within the visitor's own country"))
            continue
        merged = _merge_into(kept, enc)
        if not merged:
            kept.append(enc)
            if main is None and enc.timing == "reported":
                main = enc
    reported = [e for e in kept if e.timing == "reported"]
    others = [e for e in kept if e.timing != "reported"]
    # the main encounter first: the earliest reported one between at least two countries
    reported.sort(key=lambda e: (len(_countries(e.actors + e.recipients)) < 2, e.trigger.start))
    if reported and reported[0].date is None:
        _date_from_lead(an, reported[0])
    _fill_dates(reported, ref_date)
    _fill_places(an, reported)
    review = [
        f"the lead reports a {enc.kind} ({enc.trigger.rule}: "
        f"{text[enc.trigger.start : enc.trigger.end]!r}) but {why}"
        for enc, why in dropped
        if enc.timing == "reported"
        and enc.trigger.start < lead_end
        and (not reported or reported[0].trigger.start > enc.trigger.start)
        and not any(e.trigger.start <= enc.trigger.start < e.trigger.end for e in kept)
    ]
    return reported + others, review[:3]


def _foreign_leader(
    actors: ActorTable, principal: EntityRef, roles: frozenset[str]
) -> EntityRef | None:
    """The one foreign office holder of a principal's rank the text names (the most mentioned,
    when one country has several), or None."""
    cands = [
        p
        for p in actors.persons.values()
        if p.named and p.country and p.country != principal.country and roles & p.roles
    ]
    if len({p.country for p in cands}) != 1:
        return None
    best = max(cands, key=lambda p: (len(p.mentions), -p.first))
    s, e = min(best.mentions)
    return EntityRef(s, e, "person", best.name, best.country)


@functools.cache
def _institution_heading(lang: Language) -> re.Pattern[str]:
    words = sorted(lang.words.get("institutions") or (), key=len, reverse=True)
    body = "|".join(re.escape(w) for w in words)
    return re.compile(rf"^(?:(?:The )?(?:{body})(?: of)? (?:the )?)(.+)$", re.M)


def _institution_publisher(text: str, lex: Lexicon, lang: Language) -> str | None:
    """ "Office of the President of the Republic of Peru" heading the text -> PER."""
    for m in _institution_heading(lang).finditer(text[:400]):
        for lm in lex.find(m.group(1)):
            c = lm.first("country", "demonym")
            if c is not None:
                return c.key
    return None


def _name_office_holders(
    actors: ActorTable, lex: Lexicon, day: date | None, lang: Language
) -> None:
    """ "The Prime Minister spoke to ..." on gov.uk in March 2024 is Rishi Sunak: an office holder
    the text does not name, identified from the people lexicon's offices and the date."""
    if day is None:
        return
    # the people lexicon's offices are written in English, whatever the text's language
    offices_lang = get_language("en")
    junior = offices_lang.junior
    for key, p in list(actors.persons.items()):
        if p.named or not p.country or not p.roles:
            continue
        words = [w for r in p.roles for w in offices_lang.role_words.get(r, ())]
        title = p.titles[0].lower() if p.titles else ""
        # a one-word title ("Secretary") names too many offices: the role's own words decide
        patterns = (*words, title) if " " in title or title in words else tuple(words)
        cands = {
            (start, name)
            for office, start, end, name in lex.offices.get(p.country, ())
            if start <= day.year
            and (end is None or day.year <= end)
            and any(re.match(rf"(?:\w+ )?{re.escape(w)}\b", office) for w in patterns)
            and not junior.intersection(re.findall(r"[a-z]+", office))
        }
        names = {name for _, name in cands}
        if len(names) != 1:
            continue  # nobody, or a year in which the office changed hands: stay unnamed
        name = names.pop()
        if name in actors.persons:
            _merge_person(actors, key, name)
            continue
        p.name, p.named, p.known = name, True, True
        if name in lex.written:
            p.forms = [lex.written[name]]  # as the language cites them ("Владимир Путин")
        actors.persons[name] = actors.persons.pop(key)
        for r in actors.refs:
            if r.kind == "person" and r.key == key:
                r.key = name


def _roles_from_offices(actors: ActorTable, lex: Lexicon, day: date | None) -> None:
    """A known person the text names without an office ("习近平指出", "Lula said") holds the
    roles of the offices the people lexicon lists for them on that day."""
    if day is None:
        return
    held = _office_roles(lex)
    for p in actors.persons.values():
        if p.known and p.country:
            for start, end, role in held.get(p.name, ()):
                if start <= day.year and (end is None or day.year <= end):
                    p.roles.add(role)


_OFFICE_ROLES: dict[int, dict[str, list[tuple[int, int | None, str]]]] = {}


def _office_roles(lex: Lexicon) -> dict[str, list[tuple[int, int | None, str]]]:
    """Person -> (first year, last year, role) of each principal office the people lexicon
    lists (its offices are written in English, whatever the text's language); once per lexicon."""
    hit = _OFFICE_ROLES.get(id(lex))
    if hit is not None:
        return hit
    offices_lang = get_language("en")
    out: dict[str, list[tuple[int, int | None, str]]] = {}
    for entries in lex.offices.values():
        for office, start, end, name in entries:
            if offices_lang.junior.intersection(re.findall(r"[a-z]+", office)):
                continue
            for role, words in offices_lang.role_words.items():
                if any(re.match(rf"(?:\w+ )?{re.escape(w)}\b", office) for w in words):
                    out.setdefault(name, []).append((start, end, role))
    _OFFICE_ROLES[id(lex)] = out
    return out


def _merge_person(actors: ActorTable, key: str, into: str) -> None:
    """An unnamed office holder ("the President", "Президент России") who is a person the text
    also names: one actor, the named one, with both's mentions and titles."""
    p, q = actors.persons[key], actors.persons[into]
    if p.country != q.country:
        return
    q.mentions.extend(m for m in p.mentions if m not in q.mentions)
    q.titles.extend(t for t in p.titles if t not in q.titles)
    q.roles |= p.roles
    del actors.persons[key]
    for r in actors.refs:
        if r.kind == "person" and r.key == key:
            r.key = into


def _implied_publisher(actors: ActorTable, roles: frozenset[str]) -> str | None:
    ranked = sorted(actors.persons.values(), key=lambda p: p.first)
    for p in ranked[:3]:
        if p.known and not p.country_explicit and p.country and roles.intersection(p.roles):
            return p.country
    return None


def _self_ref(ref: EntityRef, principal: EntityRef | None) -> EntityRef:
    """ "I" / "We" in a government's own release: its principal, or else the state."""
    if ref.kind != "self":
        return ref
    if principal is not None:
        return principal
    return EntityRef(ref.start, ref.end, "state", ref.key, ref.country)


def _is_plural(refs: list[EntityRef]) -> bool:
    return bool(refs) and all(r.kind in ("plural", "pronoun") for r in refs)


def _countries(refs: list[EntityRef]) -> list[str]:
    out: list[str] = []
    for r in refs:
        if r.country and r.country not in out:
            out.append(r.country)
    return out


def _principal(
    actors: ActorTable, publisher: str | None, roles: frozenset[str]
) -> EntityRef | None:
    """The publisher's own principal: its first-mentioned leader or minister, else any official."""
    if publisher is None:
        return None
    cands: list[Person] = [p for p in actors.persons.values() if p.country == publisher]
    if not cands:
        return None
    ranked = sorted(
        cands,
        key=lambda p: (not roles.intersection(p.roles), p.first),
    )
    p = ranked[0]
    s, e = min(p.mentions)
    return EntityRef(s, e, "person", p.name, p.country)


def _speaker(actors: ActorTable, publisher: str | None) -> EntityRef | None:
    """The principal of a release written in the first person ("Today, I welcomed the guest")
    that never names them: the publishing state speaks."""
    if publisher is None:
        return None
    for r in actors.refs:
        if r.kind == "self":
            return EntityRef(r.start, r.end, "state", publisher, publisher)
    return None


def _fix_counterpart_countries(
    enc: Encounter, actors: ActorTable, text: str, publisher: str | None
) -> None:
    """A counterpart given the publisher's country only by default gets the one foreign country
    the sentence (or the flag emoji of the text) names instead."""
    refs = enc.actors + enc.recipients
    persons = [r for r in refs if r.kind == "person"]
    if len(persons) < 2:
        return
    defaulted = [
        r
        for r in persons
        if not actors.persons[r.key].country_explicit and not actors.persons[r.key].known
    ]
    if not defaulted:
        return
    sent = enc.sentence
    foreign = []
    for r in actors.refs_between(sent.start, sent.end):
        if r.kind == "state" and r.country and r.country != publisher and r.country not in foreign:
            foreign.append(r.country)
    if len(foreign) != 1:
        foreign = list(dict.fromkeys(c for c in actors.flags if c != publisher))
    if len(foreign) != 1:
        return
    # only a person who shares the publisher's country with another participant by default alone
    # is a counterpart whose country was missed; the first-mentioned one is the principal
    home = [r for r in persons if r.country == publisher]
    if len(home) < 2:
        return
    principal = min(home, key=lambda r: actors.persons[r.key].first)
    for r in defaulted:
        if r.key == principal.key or r.country != publisher:
            continue
        p = actors.persons[r.key]
        p.country = foreign[0]
        for other in actors.refs:
            if other.kind == "person" and other.key == r.key:
                other.country = foreign[0]
        r.country = foreign[0]


def _personify(ref: EntityRef, actors: ActorTable | None, roles: frozenset[str]) -> EntityRef:
    """A state reference stands for its leading person when the text names one."""
    if ref.kind != "state" or actors is None:
        return ref
    cands = [p for p in actors.persons.values() if p.country == ref.country and p.mentions]
    if not cands:
        return ref
    best = max(
        cands,
        key=lambda p: (bool(roles.intersection(p.roles)), len(p.mentions), -p.first),
    )
    s, e = min(best.mentions)
    return EntityRef(s, e, "person", best.name, best.country)


def _orient_visit(
    enc: Encounter, main: Encounter | None, actors: ActorTable, roles: frozenset[str]
) -> None:
    """A visitor is the actor and the host the recipient (CAMEO/PLOVER convention)."""
    refs = enc.actors + enc.recipients
    host = enc.host
    if host is None:
        return
    visitors = [r for r in refs if r.country and r.country != host]
    hosts = [r for r in refs if r.country == host]
    if not visitors and main is not None:
        visitors = [r for r in main.actors + main.recipients if r.country and r.country != host]
    if not hosts and main is not None:
        hosts = [r for r in main.actors + main.recipients if r.country == host]
    if not hosts:
        hosts = [
            _personify(
                EntityRef(enc.trigger.start, enc.trigger.end, "state", host, host), actors, roles
            )
        ]
    if visitors:
        enc.actors = visitors[:1]
        enc.recipients = hosts[:1]


_TALK_KINDS = frozenset({"talks", "meeting"})


def _same_kind(a: str, b: str) -> bool:
    """Talks and a meeting with the same parties are one encounter reported twice ("Talks with
    X" heading a body that says "received X"); a visit and its talks are two."""
    return a == b or (a in _TALK_KINDS and b in _TALK_KINDS)


def _merge_into(kept: list[Encounter], enc: Encounter) -> bool:
    """Fold a repeated mention of the same encounter into the first one."""
    keys = enc.participant_keys()
    countries = set(_countries(enc.actors + enc.recipients))
    for other in kept:
        if not _same_kind(other.kind, enc.kind) or other.timing != enc.timing:
            continue
        if enc.date and other.date and enc.date != other.date:
            continue
        okeys = other.participant_keys()
        ocountries = set(_countries(other.actors + other.recipients))
        if keys <= okeys or okeys <= keys or (countries and countries == ocountries):
            other.evidence.extend(e for e in enc.evidence if e not in other.evidence)
            if other.date is None and enc.date is not None:
                other.date, other.date_explicit = enc.date, enc.date_explicit
            other.place = other.place or enc.place
            other.occasion = other.occasion or enc.occasion
            other.host = other.host or enc.host
            other.visit_type = other.visit_type or enc.visit_type
            _union_participants(other, enc)
            return True
    return False


def _union_participants(into: Encounter, new: Encounter) -> None:
    """Participants of both mentions; a person stands for their state (never the reverse)."""
    have = into.actors + into.recipients
    person_countries = {r.country for r in have if r.kind == "person"}
    keys = {(r.kind, r.key) for r in have}
    for side, target in ((new.actors, into.actors), (new.recipients, into.recipients)):
        for r in side:
            if (r.kind, r.key) in keys or r.kind in ("plural", "pronoun"):
                continue
            if r.kind != "person" and r.country in person_countries:
                continue
            if r.kind == "person":
                # a person replaces the bare state reference of their country
                into.actors[:] = [
                    x for x in into.actors if x.kind == "person" or x.country != r.country
                ]
                into.recipients[:] = [
                    x for x in into.recipients if x.kind == "person" or x.country != r.country
                ]
                person_countries.add(r.country)
            target.append(r)
            keys.add((r.kind, r.key))


def _date_from_lead(an: Analysis, enc: Encounter) -> None:
    """A heading that names the encounter ("Telephone conversation with X") is dated by the
    lead that follows it ("Yesterday evening, the President briefed his interlocutor ...")."""
    starts = [s.start for s in an.sentences]
    index = starts.index(enc.sentence.start) if enc.sentence.start in starts else -1
    if index < 0 or enc.sentence.text.rstrip()[-1:] in ".!?":
        return  # the encounter's own sentence has no date: none is borrowed
    for i in range(index + 1, min(index + 3, len(an.sentences))):
        found = free_dates(an, i)
        if found:
            enc.date, enc.date_explicit = found[0].date, True
            return


def _fill_dates(reported: list[Encounter], ref_date: date | None) -> None:
    """Reported encounters without a date of their own share the main one's, else the
    publication day (a readout reports the day's encounter)."""
    main_date = reported[0].date if reported and reported[0].date else ref_date
    for enc in reported:
        if enc.date is None:
            enc.date = main_date


def _fill_places(an: Analysis, reported: list[Encounter]) -> None:
    """Reported encounters in person with no place of their own took place where the page's
    dateline says (the place rules of role `dateline`: "7 May 2025 18:20 Moscow, the
    Kremlin")."""
    if not _has_dateline_rules(an.grammar.places) or not any(
        e.place is None and e.kind in IN_PERSON_KINDS for e in reported
    ):
        return
    place = None
    for i in range(min(len(an.sentences), 6)):
        if not an.might_match(i, an.grammar.places):
            continue
        for cue in an.cues(i, an.grammar.places):
            span = cue.slots.get("place")
            if cue.rule.get("role") == "dateline" and span and span[1] > span[0]:
                start, end = an.char_start(i, span[0]), an.char_end(i, span[1])
                place = _place_at(an, start, end)
                if place is not None:
                    break
        if place is not None:
            break
    if place is None:
        return
    for enc in reported:
        # a visit only where the dateline is in the country it goes to
        if (
            enc.place is None
            and enc.kind in IN_PERSON_KINDS
            and (enc.kind != "visit" or enc.host == place.country)
        ):
            enc.place = place


@functools.cache
def _has_dateline_rules(places: RuleSet) -> bool:
    return any(r.get("role") == "dateline" for r in places.rules)


def _place_at(an: Analysis, start: int, end: int) -> Place | None:
    """The place the lexicon names at ``start`` (its surface form or, inflected, its entry)."""
    place = an.lex.places.get(an.text[start:end])
    if place is None:
        for m in an.actors.matches:
            if m.start == start:
                named = m.first("place")
                place = an.lex.places.get(named.key) if named is not None else None
                break
    return place


def _location(enc: Encounter, lex: Lexicon) -> Location | None:
    if enc.place is not None:
        return Location(enc.place.name, enc.place.country, enc.place.lat, enc.place.lon)
    if enc.kind == "visit" and enc.host:
        return Location(lex.country_names.get(enc.host, enc.host), enc.host, None, None)
    return None


def _encounter_event(
    enc: Encounter,
    n: int,
    ids: _Ids,
    actors: ActorTable,
    lex: Lexicon,
    ref_date: date | None,
    main_refs: list[EntityRef],
) -> Event:
    location = _location(enc, lex)
    refs = enc.actors + enc.recipients
    if (
        enc.kind in ("talks", "meeting")
        and location is not None
        and location.country
        and any(r.country == location.country for r in refs)
        and any(r.country != location.country for r in refs)
    ):
        # in one participant's country: the visitor is the actor, the host the recipient
        enc.actors = [r for r in refs if r.country != location.country]
        enc.recipients = [r for r in refs if r.country == location.country]
    actor_ids = tuple(dict.fromkeys(ids.of(r) for r in enc.actors))
    recipient_ids = tuple(
        i for i in dict.fromkeys(ids.of(r) for r in enc.recipients) if i not in actor_ids
    )
    codes = _codes()[_code_row(enc, location)]
    return Event(
        id=f"e{n + 1}",
        kind=enc.kind,
        actors=actor_ids,
        recipients=recipient_ids,
        date=enc.date.isoformat() if enc.date else None,
        location=location,
        occasion=enc.occasion,
        cameo=codes["cameo"],
        plover=codes["plover"],
        plover_mode=codes.get("plover_mode"),
        goldstein=float(codes["goldstein"]),
        evidence=tuple(Span(s, e) for s, e in enc.evidence),
        timing=enc.timing,
        visit_type=enc.visit_type,
        rule=enc.trigger.rule or None,
    )


def _code_row(enc: Encounter, location: Location | None) -> str:
    kind = enc.kind
    if kind in ("talks", "meeting") and location is not None and location.country:
        countries = _countries(enc.actors + enc.recipients)
        if location.country in countries:
            return f"{kind}_host"
        if countries:
            return f"{kind}_third"
    if kind == "message":
        sent = enc.sentence.text.lower()
        for row, spec in _codes().items():
            if row.startswith("message_") and any(c in sent for c in spec.get("cues") or ()):
                return row
    if kind in IN_PERSON_KINDS or kind in ("call", "message", "summit", "visit"):
        return kind
    return "meeting"


# -- statements ------------------------------------------------------------------------------


def _statement_event(d: EventDraft, n: int, ids: _Ids, main_date: str | None) -> Event:
    """A coded event of a sentence (:mod:`communique.extractor.events`) as a statement."""
    actor_ids = tuple(dict.fromkeys(ids.of(r) for r in d.source))
    recipients = tuple(i for i in dict.fromkeys(ids.of(r) for r in d.target) if i not in actor_ids)
    sectors = {
        ids.of(r): d.sectors[(r.kind, r.key)]
        for r in d.source + d.target
        if (r.kind, r.key) in d.sectors
    }
    return Event(
        id=f"s{n + 1}",
        kind="statement",
        actors=actor_ids,
        recipients=recipients,
        date=main_date,
        stance=d.stance,
        cameo=d.cameo,
        plover=d.plover,
        plover_mode=d.plover_mode,
        goldstein=d.goldstein,
        evidence=(Span(d.sentence.start, d.sentence.end),),
        rule=d.rule,
        sectors=tuple(sectors.items()),
    )


# -- the rest --------------------------------------------------------------------------------


def _dedupe_relationships(
    found: list[tuple[tuple[str, ...], str, tuple[int, int]]],
) -> tuple[Relationship, ...]:
    merged: dict[tuple[tuple[str, ...], str], list[Span]] = {}
    for pair, label, (s, e) in found:
        merged.setdefault((pair, label), []).append(Span(s, e))
    # a label that is a part of a longer one for the same pair is the same fact
    keys = list(merged)
    out = []
    for pair, label in keys:
        if any(p == pair and label != other and label in other for p, other in keys):
            continue
        out.append(Relationship(pair, label, tuple(merged[(pair, label)])))
    return tuple(out)


def _listed_attendees(sentences: list[Sentence], actors: ActorTable, code: str) -> list[EntityRef]:
    """The persons of sentences that say who was present, or the names they list."""
    out: list[EntityRef] = []
    for sent in sentences:
        persons = [r for r in actors.refs_between(sent.start, sent.end) if r.kind == "person"]
        if not persons:
            persons = [
                EntityRef(s, e, "person", name, None) for s, e, name in list_names(sent, code)
            ]
        out.extend(persons)
    return out


def _attendees(
    listed: list[EntityRef],
    actors: ActorTable,
    ids: _Ids,
    main_refs: list[EntityRef],
    publisher: str | None,
) -> list[str]:
    """Other officials present; unnamed-country ones belong to the publisher's country."""
    principals = {r.key for r in main_refs if r.kind == "person"}
    out: list[str] = []
    for r in listed:
        if r.key in principals:
            continue
        if r.key not in actors.persons:  # a name the list gives that no rule found before
            actors.persons[r.key] = Person(name=r.key, country=None, mentions=[(r.start, r.end)])
            ids.person_ids[r.key] = f"p{len(ids.person_ids) + 1}"
        p = actors.persons[r.key]
        if p.country is None:
            p.country = publisher
        aid = ids.of(r)
        if aid not in out:
            out.append(aid)
    return out


def _actor_objects(
    actors: ActorTable, ids: _Ids, lex: Lexicon, lang_code: str
) -> tuple[Actor, ...]:
    out: list[Actor] = []
    for p in sorted(actors.persons.values(), key=lambda p: ids.person_ids.get(p.name, "")):
        if p.name not in ids.person_ids:
            continue
        out.append(
            Actor(
                id=ids.person_ids[p.name],
                name=p.display,
                kind="person",
                country=p.country,
                titles=tuple(p.titles),
                mentions=tuple(Span(s, e) for s, e in sorted(set(p.mentions))),
                canonical=p.name if p.known else None,
                named=p.named,
                sector=person_sector(tuple(p.titles), lang_code) if p.titles else None,
            )
        )
    for iso3, spans in sorted(actors.states.items()):
        out.append(
            Actor(
                id=iso3,
                name=lex.country_names.get(iso3, iso3),
                kind="state",
                country=iso3,
                mentions=tuple(Span(s, e) for s, e in sorted(set(spans))),
            )
        )
    for code, spans in sorted(actors.orgs.items()):
        if code in actors.states:
            continue
        out.append(
            Actor(
                id=code,
                name=lex.org_names.get(code, code),
                kind="organization",
                country=code,
                mentions=tuple(Span(s, e) for s, e in sorted(set(spans))),
            )
        )
    known = {a.id for a in out}
    for code in ids.used_states:
        if code not in known:
            kind = "state" if code in lex.country_names else "organization"
            out.append(
                Actor(
                    id=code,
                    name=lex.country_names.get(code) or lex.org_names.get(code, code),
                    kind=kind,  # type: ignore[arg-type]
                    country=code,
                )
            )
            known.add(code)
    return tuple(out)
