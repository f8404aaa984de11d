"""Encounters: talks, meetings, calls, visits, summits and messages, with who, when and where."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from communique.extractor.actors import ActorTable, EntityRef
from communique.extractor.dates import find_dates
from communique.extractor.lexicon import CAPITAL, COUNTRY, PLACE, Lexicon, Place, StemFinder
from communique.extractor.text import Sentence
from communique.resources import load_yaml

_KIND_ORDER = ("call", "message", "talks", "visit", "summit", "meeting")

# where the object of an encounter verb ends: "spoke with X to discuss Russia's war" -> X
_OBJECT_STOP = re.compile(
    r"\b(?:to (?!the\b|a\b|an\b|his\b|her\b|their\b|its\b)[a-z]+|about|"
    r"regarding|concerning|on (?:the )?(?=[a-z])(?!the (?:sidelines|margins))|where|during which|"
    r"following|after|ahead of|amid|since|"
    r"(?:and|, and) (?:discussed|reviewed|reaffirmed|expressed|underscored|highlighted|welcomed|"
    r"agreed|exchanged|noted|emphasi[sz]ed|stressed)|in which|as (?:part|they|he|she|the)|"
    r"who (?!is in|was in|are in|were in)|that(?! includ))\b|[;:]"
)
_SUBJECT_START = re.compile(r"(?:^|[;:]|\bthat\b|, (?:and|but) )", re.I)
_OCCASION = re.compile(
    r"\b(?:on the (?:sidelines|margins) of|in the margins of|within the framework of|"
    r"on the occasion of|at|for|during|ahead of|attending)\s+(?:the\s+)?"
    r"(?P<occ>(?:\d{1,2}(?:st|nd|rd|th)\s+|[A-Z0-9][\w\-'.]*\s+(?:(?:of|on|and|for|the)\s+)?){0,7}"
    r"(?:Summit|Forum|Conference|Meeting|Assembly|Session|Games|Congress|Dialogue|Ministerial|"
    r"Council|Olympics|Expo|Week|Festival|Consultations|Format|Talks|Ceremony|Celebrations|"
    r"Parade|Cup|Gathering)(?:\s+(?:of|on)\s+(?:the\s+)?[A-Z][\w\-']*(?:\s+[A-Z][\w\-']*){0,4})?)"
)
_SUBJECT_PLACE = re.compile(
    r"\b(?:war|situation|crisis|conflict|attacks?|violence|developments?|events|fighting|"
    r"hostilities|elections?|peace|stability|security|aggression|invasion|operations?|people|"
    r"refugees|hostages|access|aid|assistance|ceasefire|escalation|tensions)\s+(?:\w+\s+)?(?:in|to|on)\s*$",
    re.I,
)
_VISIT_TYPE = re.compile(
    r"\b(state|official|working|official friendly|official goodwill|private|pastoral) visit\b", re.I
)
_VISIT_DEST = re.compile(
    r"\b(?:visit(?:ed|ing|s)?|trip|travel(?:led|ed)?|arrived|is|was|are|were)\s+(?:to|in)\s+(?:the\s+)?$"
)


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: str
    start: int
    end: int


@dataclass
class Encounter:
    kind: str
    actors: list[EntityRef]
    recipients: list[EntityRef]
    sentence: Sentence
    trigger: Trigger
    evidence: list[tuple[int, int]] = field(default_factory=list)
    date: date | None = None
    date_explicit: bool = False
    timing: str = "reported"
    place: Place | None = None
    host: str | None = None
    occasion: str | None = None
    visit_type: str | None = None

    def participant_keys(self) -> set[tuple[str, str]]:
        return {(r.kind, r.key) for r in (*self.actors, *self.recipients)}


@functools.cache
def _trigger_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    data = load_yaml("encounters.yaml")
    out = []
    for kind in _KIND_ORDER:
        for pat in data[kind]:
            out.append((kind, re.compile(pat, re.IGNORECASE)))
    return tuple(out)


@functools.cache
def _timing_patterns() -> dict[str, tuple[re.Pattern[str], ...]]:
    data = load_yaml("timing.yaml")
    return {k: tuple(re.compile(p, re.IGNORECASE) for p in v) for k, v in data.items()}


@functools.cache
def _trigger_prefilter() -> StemFinder:
    """Word stems that every trigger contains (data/encounters.yaml `prefilter`): a cheap test
    that lets most sentences skip the trigger patterns."""
    return StemFinder(load_yaml("encounters.yaml")["prefilter"])


@functools.cache
def _patterns_by_stem() -> dict[str, tuple[int, ...]]:
    """For each prefilter stem, the indices of the trigger patterns that spell it."""
    stems = load_yaml("encounters.yaml")["prefilter"]
    out: dict[str, tuple[int, ...]] = {}
    for stem in stems:
        out[stem.lower()] = tuple(
            i for i, (_, rx) in enumerate(_trigger_patterns()) if stem.lower() in rx.pattern.lower()
        )
    return out


def find_triggers(sentence: Sentence) -> list[Trigger]:
    """Non-overlapping encounter triggers in a sentence, earliest first."""
    found: list[Trigger] = []
    stems = _trigger_prefilter().stems(sentence.text)
    if not stems:
        return found
    by_stem = _patterns_by_stem()
    wanted = sorted({i for stem in stems for i in by_stem.get(stem, ())})
    patterns = _trigger_patterns()
    for kind, rx in (patterns[i] for i in wanted):
        for m in rx.finditer(sentence.text):
            s, e = sentence.start + m.start(), sentence.start + m.end()
            if any(not (e <= t.start or s >= t.end) for t in found):
                continue
            found.append(Trigger(kind, s, e))
    found.sort(key=lambda t: t.start)
    return found


_TOPIC_CUE = re.compile(
    r"\b(?:discuss(?:ed|es|ing)?|about|regarding|concerning|importance of|need (?:for|to)|"
    r"efforts? (?:to|for)|progress (?:in|on|of)|conclusion (?:of|on|to)|outcome of|prospects (?:for|of)|"
    r"agenda of|results of|implementation of)\b",
    re.I,
)
_WEAK_TRIGGER = re.compile(r"(?:received|receives|hosted|hosts|welcomed|welcomes)\b", re.I)


def _clause_start(text: str, sentence: Sentence, pos: int) -> int:
    head = text[sentence.start : pos]
    last = 0
    for m in _SUBJECT_START.finditer(head):
        if m.end() < len(head) - 1:
            last = m.end()
    return sentence.start + last


def _object_end(text: str, sentence: Sentence, pos: int) -> int:
    m = _OBJECT_STOP.search(text, pos, sentence.end)
    return m.start() if m else sentence.end


def _participants(refs: list[EntityRef]) -> list[EntityRef]:
    """Persons if any, else states and organisations named (not demonyms), else plural refs."""
    persons = [r for r in refs if r.kind == "person"]
    if persons:
        return _unique(persons)
    states = [r for r in refs if r.kind in ("state", "org") and not r.via_demonym]
    if states:
        return _unique(states)
    plural = [r for r in refs if r.kind in ("plural", "self")]
    if plural:
        return plural[:1]
    # "Russian-Chinese talks took place in the Kremlin"
    return _unique([r for r in refs if r.kind == "state"])


def _unique(refs: list[EntityRef]) -> list[EntityRef]:
    seen: set[tuple[str, str]] = set()
    out = []
    for r in refs:
        if (r.kind, r.key) not in seen:
            seen.add((r.kind, r.key))
            out.append(r)
    return out


def encounters_in_sentence(
    text: str,
    sentence: Sentence,
    actors: ActorTable,
    lex: Lexicon,
    ref_date: date | None,
) -> list[Encounter]:
    out = []
    triggers = find_triggers(sentence)
    for i, trig in enumerate(triggers):
        subj_from = _clause_start(text, sentence, trig.start)
        if i > 0:
            subj_from = max(subj_from, sentence.start)
        subject = [r for r in actors.refs_between(subj_from, trig.start) if r.kind != "initiative"]
        obj_to = _object_end(text, sentence, trig.end)
        if i + 1 < len(triggers):
            obj_to = (
                min(obj_to, triggers[i + 1].start) if triggers[i + 1].start > trig.end else obj_to
            )
        obj = [
            r
            for r in actors.refs_between(trig.end, obj_to)
            if r.kind != "initiative" and not _is_location(text, r)
        ]
        subject = [r for r in subject if not _is_location(text, r)]
        subj_p = _nearest_subject(_participants(subject), text, trig.start)
        if text[trig.start : trig.start + 6].lower() == "their ":
            # "their April 2 telephone call": the same pair as the main encounter
            subj_p = [EntityRef(trig.start, trig.start + 5, "plural", "")]
        obj_p = _participants(obj)
        if not [r for r in obj_p if r.kind != "pronoun"] and any(r.kind == "pronoun" for r in obj):
            # "held talks with him": the other person named earlier in the sentence
            others = [r for r in _participants(subject) if r not in subj_p and r.kind == "person"]
            obj_p = others[-1:]
        if _TOPIC_CUE.search(text, subj_from, trig.start):
            # "discussed ... talks with Iran", "the importance of ... negotiations": a subject
            # of the conversation, not an encounter
            continue
        if _WEAK_TRIGGER.match(text, trig.start) and not any(r.kind == "person" for r in obj_p):
            # "received support", "welcomed Ukraine's decision": not a meeting
            continue
        if text[trig.end - 4 : trig.end] == "from":
            # "Wang Yi received a phone call from X": the caller is the actor
            subj_p, obj_p = obj_p, subj_p
        enc = Encounter(
            kind=trig.kind,
            actors=subj_p,
            recipients=[
                r for r in obj_p if (r.kind, r.key) not in {(s.kind, s.key) for s in subj_p}
            ],
            sentence=sentence,
            trigger=trig,
            evidence=[(sentence.start, sentence.end)],
        )
        _set_timing_and_date(enc, text, sentence, ref_date)
        _set_place_and_occasion(enc, text, sentence, actors, lex)
        out.append(enc)
    return out


_COORDINATION = re.compile(
    r"\s*(?:,|and|&|, and)\s*(?:\(?[A-Z][\w'\-.]*\)?\s*|(?:of|the|for|and|responsible|on|to|in|at)\s+"
    r"|[,\-\u2013\u2014]\s*)*"
)


def _nearest_subject(refs: list[EntityRef], text: str, pos: int) -> list[EntityRef]:
    """The grammatical subject: the first reference of the clause and those coordinated with it
    ("A and B held talks", "A, B and C met"); later ones are objects of other verbs."""
    if len(refs) <= 1:
        return refs
    keep = [refs[0]]
    for nxt in refs[1:]:
        gap = text[keep[-1].end : nxt.start]
        if len(gap) < 250 and _COORDINATION.fullmatch(gap):
            keep.append(nxt)
        else:
            break
    return keep


def _is_location(text: str, ref: EntityRef) -> bool:
    """A capital or country named as a place ("in Beijing", "to Washington"), not an actor."""
    return ref.kind == "state" and bool(
        re.search(
            r"\b(?:in|at|to|from|near|via)\s+(?:the\s+)?$", text[max(0, ref.start - 12) : ref.start]
        )
    )


def _set_timing_and_date(
    enc: Encounter, text: str, sentence: Sentence, ref_date: date | None
) -> None:
    pats = _timing_patterns()
    # a cue counts only where it touches the trigger: "Following the informal meeting of CIS
    # leaders, Putin held a bilateral meeting" is a reported meeting after an earlier one
    lo = max(sentence.start, enc.trigger.start - 60)
    hi = min(sentence.end, enc.trigger.end + 60)
    near_lo, near_hi = enc.trigger.start - 20, enc.trigger.end + 40

    def touches(kind: str) -> bool:
        for rx in pats.get(kind, ()):
            for m in rx.finditer(text, lo, hi):
                if m.end() >= near_lo and m.start() <= near_hi:
                    return True
        return False

    window = text[lo:hi]
    if touches("planned"):
        enc.timing = "planned"
    elif touches("past"):
        enc.timing = "past"
    dates = find_dates(text, sentence.start, sentence.end, ref_date)
    best = None
    best_dist = 1 << 30
    for d in dates:
        if d.date is None:
            continue
        if _OTHER_DATE.search(text[max(sentence.start, d.start - 30) : d.start]):
            continue  # "relations established on January 6, 1976": the date of something else
        dist = abs(d.start - enc.trigger.start)
        if d.start < enc.trigger.start:
            dist //= 2  # "On May 17, X held talks": a date before the verb binds to it
        if dist < best_dist:
            best, best_dist = d, dist
    if best is not None and best.date is not None:
        enc.date = best.date
        enc.date_explicit = True
        if ref_date is not None and enc.timing == "reported":
            if best.date < ref_date - timedelta(days=10):
                enc.timing = "past"
            elif best.date > ref_date + timedelta(days=1):
                enc.timing = "planned"
        if enc.timing == "past" and best.date >= (ref_date or best.date) - timedelta(days=2):
            # "on March 6 ... held a telephone conversation" re-posted the next day
            enc.timing = "reported" if not _strong_past(window) else "past"


_OTHER_DATE = re.compile(
    r"\b(?:established|founded|signed|adopted|concluded|ratified|born|elected|since|"
    r"anniversary of|dating (?:back )?to)\s+(?:on\s+|in\s+)?(?:the\s+)?$",
    re.I,
)


def _strong_past(window: str) -> bool:
    return bool(
        re.search(r"\b(?:previous|last|earlier|prior|recalled|follows?|following)\b", window, re.I)
    )


def _set_place_and_occasion(
    enc: Encounter, text: str, sentence: Sentence, actors: ActorTable, lex: Lexicon
) -> None:
    lo, hi = sentence.start, sentence.end
    for m in actors.matches:
        if m.start < lo or m.end > hi:
            continue
        entry = m.first(PLACE, CAPITAL)
        if entry is None:
            continue
        before = text[max(sentence.start, m.start - 12) : m.start]
        if not re.search(r"(?:\bin|\bto|\bat|\bvisit(?:ed|ing|s)?|,|\()\s*$", before):
            continue
        if _SUBJECT_PLACE.search(text[max(sentence.start, m.start - 40) : m.start]):
            continue  # "the war in Gaza": a subject of the talks, not where they were held
        if entry.kind == CAPITAL and re.search(r"\bto\s*$", before) and enc.kind != "visit":
            continue
        place = lex.places.get(text[m.start : m.end]) or (
            lex.capitals.get(entry.key) if entry.kind == CAPITAL else None
        )
        if place is not None:
            enc.place = place
            break
    if enc.kind == "visit":
        vt = _VISIT_TYPE.search(text, sentence.start, sentence.end)
        if vt:
            enc.visit_type = vt.group(1).lower()
        for m in actors.matches:
            if m.start < enc.trigger.start - 40 or m.start > sentence.end:
                continue
            c = m.first(COUNTRY, CAPITAL)
            if c is None:
                continue
            before = text[max(sentence.start, m.start - 30) : m.start]
            if (
                _VISIT_DEST.search(before)
                or re.search(r"\b(?:to|in)\s+(?:the\s+)?$", before)
                or re.search(r"\bvisit\s+$", before)
            ):
                enc.host = c.key
                break
        if enc.host is None and enc.place is not None:
            enc.host = enc.place.country
    occ = _OCCASION.search(text, sentence.start, sentence.end)
    if occ:
        enc.occasion = occ.group("occ").strip()
    elif enc.visit_type:
        enc.occasion = f"{enc.visit_type} visit"
