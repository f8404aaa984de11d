"""Encounters: talks, meetings, calls, visits, summits and messages, with who, when and where."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import cast

from communique.errors import RuleError
from communique.extractor.actors import EntityRef
from communique.extractor.analysis import Analysis, Cue
from communique.extractor.dates import DateMention
from communique.extractor.language import Language
from communique.extractor.lexicon import CAPITAL, PLACE, Place
from communique.extractor.rules import Rule, RuleMatch
from communique.extractor.text import Sentence
from communique.model import ENCOUNTER_KINDS, EventKind, Timing


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: EventKind
    start: int
    end: int
    rule: str = ""


@dataclass
class Encounter:
    kind: EventKind
    actors: list[EntityRef]
    recipients: list[EntityRef]
    sentence: Sentence
    trigger: Trigger
    evidence: list[tuple[int, int]] = field(default_factory=list)
    date: date | None = None
    date_explicit: bool = False
    timing: Timing = "reported"
    place: Place | None = None
    host: str | None = None
    occasion: str | None = None
    visit_type: str | None = None

    def participant_keys(self) -> set[tuple[str, str]]:
        return {(r.kind, r.key) for r in (*self.actors, *self.recipients)}


def encounter_kind(rule: Rule) -> EventKind:
    """The kind an encounter rule codes, one of the contract's (a rule file naming another is an
    error that names the rule)."""
    kind = rule.get("kind")
    if kind not in ENCOUNTER_KINDS:
        raise RuleError(
            f"rule {rule.id!r} ({rule.source}): kind {kind!r} is not one of "
            f"{', '.join(ENCOUNTER_KINDS)}"
        )
    return cast(EventKind, kind)


def _participants(refs: list[EntityRef]) -> list[EntityRef]:
    """Persons (and the publisher's "I") if any, else states and organisations named (not
    demonyms), else plural refs."""
    persons = [r for r in refs if r.kind in ("person", "self")]
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


def encounters_in_sentence(an: Analysis, index: int, ref_date: date | None) -> list[Encounter]:
    """The encounters the encounter rules find in sentence ``index``, with their parties, timing,
    date, place and occasion."""
    grammar = an.grammar
    sentence = an.sentences[index]
    if not an.might_match(index, grammar.encounters):
        return []
    found = an.matches(index, grammar.encounters)
    if not found:
        return []
    text = an.text
    actors = an.actors
    clause_cues = an.cues(index, grammar.clauses)
    starts = sorted(c.end for c in clause_cues if c.rule.get("role") == "subject_start")
    stops = sorted(c.start for c in clause_cues if c.rule.get("role") == "object_stop")
    contexts = an.cues(index, grammar.contexts)
    locations = _captures(an, index, "location", "loc")
    out: list[Encounter] = []
    for i, m in enumerate(found):
        trig = Trigger(
            encounter_kind(m.rule),
            an.char_start(index, m.start),
            an.char_end(index, m.end),
            m.rule.id,
        )
        clause_tok = _clause_start(an, index, starts, m.start)
        subj_from = an.char_start(index, clause_tok) if clause_tok else sentence.start
        effects = _effects(contexts, m, clause_tok)
        if "negated" in effects or "topic" in effects:
            continue
        # the next phrasing ends this one's object (not one standing inside it)
        nxt = next(
            (_own_start(f) for f in found[i + 1 :] if not f.rule.get("inside")),
            len(an.tokens(index)),
        )
        roles: dict[str, list[EntityRef]] = {}
        for slot in m.slots:
            if slot not in ("a", "b", "both"):
                continue
            if m.side(slot) == "left":
                refs = [
                    r
                    for r in actors.refs_between(subj_from, trig.start)
                    if r.kind != "initiative" and not _is_location(r, locations)
                ]
                roles[slot] = _nearest_subject(_participants(refs), text, grammar.lang)
            else:
                at, captured = m.slots[slot]
                # a slot that captures a sub-pattern ("{a:@party}") reads only what it captured;
                # a bare one reads on to an object stop or the next encounter
                stop = captured if captured > at else min([s for s in stops if s >= at] + [nxt])
                obj_from, obj_to = an.char_start(index, at), an.char_end(index, stop)
                obj = [
                    r
                    for r in actors.refs_between(obj_from, obj_to)
                    if r.kind != "initiative" and not _is_location(r, locations)
                ]
                parts = _participants(obj)
                if not [r for r in parts if r.kind != "pronoun"] and any(
                    r.kind == "pronoun" for r in obj
                ):
                    # "held talks with him": the other person named earlier in the sentence
                    before = [
                        r for r in actors.refs_between(subj_from, trig.start) if r.kind == "person"
                    ]
                    parts = before[1:][-1:] if len(before) > 1 else []
                roles[slot] = parts
        if m.rule.get("parties") == "main":
            # "their April 2 telephone call": the same pair as the main encounter
            roles = {"both": [EntityRef(trig.start, trig.end, "plural", "")]}
        subj_p = roles.get("a", []) + roles.get("both", [])
        obj_p = roles.get("b", [])
        if m.rule.get("symmetric") and len(subj_p) < 2 and not _is_plural(subj_p):
            continue  # "Macron and Scholz met": a symmetric verb needs both parties
        right = [r for slot, refs in roles.items() if m.side(slot) == "right" for r in refs]
        if m.rule.get("object") == "person" and not any(
            r.kind in ("person", "self") for r in right
        ):
            continue  # "received support", "welcomed Ukraine's decision": not a meeting
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
        if "in-person" in effects and m.rule.get("soft") and enc.kind == "call":
            enc.kind = "meeting"
        if "planned" in effects:
            enc.timing = "planned"
        elif "past" in effects:
            enc.timing = "past"
        _set_date(enc, an, index, m, ref_date, firm="firm-past" in effects)
        _set_place(enc, an, index)
        enc.occasion = _occasion(an, index) or (
            f"{enc.visit_type} visit" if enc.visit_type else None
        )
        if m.rule.get("each") and len(enc.recipients) > 1:
            # "分别会见 A、B": an encounter with each of them
            out.extend(
                replace(enc, actors=list(enc.actors), recipients=[r], evidence=list(enc.evidence))
                for r in enc.recipients
            )
        else:
            out.append(enc)
    return out


def _own_start(m: RuleMatch) -> int:
    """Where a match's own words start: after a slot that opens it and captures a party
    ("{a:<PER>+} , который находится ... с визитом" starts at "," for the phrase before it)."""
    start = m.start
    for s, e in m.slots.values():
        if s == start and e > s:
            start = max(start, e)
    return start


def _clause_start(an: Analysis, index: int, starts: list[int], before: int) -> int:
    """The token where the clause of the phrasing at ``before`` starts: after the last clause
    break before it, unless what precedes that break is only a party being coordinated ("X,
    Foreign Minister of Croatia, and the Prime Minister spoke")."""
    cands = [s for s in starts if s < before]
    lang = an.grammar.lang
    while cands:
        tok = cands[-1]
        prev = cands[-2] if len(cands) > 1 else 0
        head = an.text[an.char_start(index, prev) : an.char_start(index, tok - 1)]
        if not (head.strip() and _only_parties(head, lang)):
            return tok
        cands.pop()
    return 0


def _only_parties(head: str, lang: Language) -> bool:
    """Whether a stretch holds only names, titles and their connectors (no verb)."""
    if lang.unspaced:
        return False  # no lowercase to tell a verb by: a clause break is a clause break
    for tok in _GAP_TOKEN.findall(head):
        if tok[:1].islower() and tok not in lang.coordination:
            return False
    return True


def _is_plural(refs: list[EntityRef]) -> bool:
    return bool(refs) and all(r.kind in ("plural", "pronoun") for r in refs)


def _effects(contexts: list[Cue], m: RuleMatch, clause_tok: int) -> set[str]:
    """What the context rules say of this encounter: past, planned, negated, a topic."""
    out = set()
    for c in contexts:
        scope = c.rule.get("scope", "touch")
        if scope == "before":
            hit = clause_tok <= c.start and c.end <= m.start
        elif scope == "earlier":
            hit = c.end <= m.start  # anywhere before the phrasing in its sentence
        elif scope == "just-before":
            hit = m.start - 3 <= c.end <= m.start
        elif scope == "sentence":
            hit = True
        elif scope == "overlap":
            hit = c.start < m.end and m.start < c.end
        elif scope == "after":
            hit = m.end <= c.start <= m.end + 6
        else:  # touch: the cue shares words with the phrasing or ends just before it
            hit = c.end >= m.start - 3 and c.start < m.end
        if hit:
            out.add(c.rule.get("effect"))
            if c.rule.get("effect") == "past" and c.rule.get("firm"):
                out.add("firm-past")
    return out


_GAP_TOKEN = re.compile(r"[^\W_][\w'\-.]*|\S")


def _coordinated(gap: str, lang: Language) -> bool:
    """Whether the words between two parties join them: "and", a comma or "&", with only titles,
    names, countries and their connectors around ("A, President-elect of X, and B")."""
    if lang.unspaced:
        # "习近平和夫人彭丽媛", "马克龙、朔尔茨": a joiner with at most an office beside it
        g = gap.strip()
        return (
            0 < len(g) <= 12
            and not any(c in "，。；：" for c in g)
            and any(g.startswith(j) or g.endswith(j) for j in lang.joiners)
        )
    joined = False
    for tok in _GAP_TOKEN.findall(gap):
        low = tok.lower()
        if low in lang.and_words or low == ",":
            joined = True
        elif tok[:1].islower() and low not in lang.coordination:
            return False
    return joined


def _nearest_subject(refs: list[EntityRef], text: str, lang: Language) -> list[EntityRef]:
    """The grammatical subject: the first reference of the clause and those coordinated with it
    ("A and B held talks", "A, B and C met"); later ones are objects of other verbs."""
    if len(refs) <= 1:
        return refs
    keep = [refs[0]]
    for nxt in refs[1:]:
        gap = text[keep[-1].end : nxt.start]
        if len(gap) < 250 and _coordinated(gap, lang):
            keep.append(nxt)
        else:
            break
    return keep


def _is_location(ref: EntityRef, locations: list[tuple[int, int, Cue]]) -> bool:
    """A capital or country named as a place ("in Beijing", "to Washington"), not an actor."""
    return ref.kind == "state" and any(s <= ref.start < e for s, e, _ in locations)


def free_dates(an: Analysis, index: int, phrasing: tuple[int, int] = (0, 0)) -> list[DateMention]:
    """The resolved dates of sentence ``index`` that the date rules do not give to something else
    (dates.yaml); a rule whose first word is part of the encounter's ``phrasing`` (token span)
    dates the encounter itself ("held talks on May 17")."""
    others = []
    for cue in an.cues(index, an.grammar.dates):
        span = cue.slots.get("date")
        if span and not (phrasing[0] <= cue.start < phrasing[1]):
            others.append((an.char_start(index, span[0]), an.char_end(index, span[1])))
    return [
        d
        for d in an.dates_in(an.sentences[index])
        if d.date is not None and not any(s <= d.start < e for s, e in others)
    ]


def _set_date(
    enc: Encounter, an: Analysis, index: int, m: RuleMatch, ref_date: date | None, firm: bool
) -> None:
    """The date nearest the phrasing that is not the date of something else (dates.yaml); a
    date before the verb binds more closely ("On May 17, X held talks")."""
    best = None
    best_dist = 1 << 30
    for d in free_dates(an, index, (m.start, m.end)):
        # the distance to the phrasing; a date before the verb binds more closely
        dist = (
            enc.trigger.start - d.start
            if d.start < enc.trigger.start
            else d.start - enc.trigger.end
        )
        if d.start < enc.trigger.start:
            dist //= 2
        if dist < best_dist:
            best, best_dist = d, dist
    if best is None or best.date is None:
        return
    enc.date = best.date
    enc.date_explicit = True
    if ref_date is not None and enc.timing == "reported":
        if best.date < ref_date - timedelta(days=10):
            enc.timing = "past"
        elif best.date > ref_date + timedelta(days=1):
            enc.timing = "planned"
    if (
        enc.timing == "past"
        and not firm
        and best.date >= (ref_date or best.date) - timedelta(days=2)
    ):
        # "On March 6, 2026 ... held a telephone conversation" posted the next day
        enc.timing = "reported"


def _captures(an: Analysis, index: int, role: str, slot: str) -> list[tuple[int, int, Cue]]:
    """Character spans that the place rules of ``role`` capture in slot ``slot``."""
    out = []
    for cue in an.cues(index, an.grammar.places):
        span = cue.slots.get(slot)
        if cue.rule.get("role") == role and span and span[1] > span[0]:
            out.append((an.char_start(index, span[0]), an.char_end(index, span[1]), cue))
    out.sort(key=lambda x: x[0])
    return out


def _set_place(enc: Encounter, an: Analysis, index: int) -> None:
    """Where the encounter was held (places.yaml), and for a visit its host and kind."""
    lex, text = an.lex, an.text
    subjects = _captures(an, index, "subject", "place")
    for start, end, cue in _captures(an, index, "place", "place"):
        if any(s <= start < e for s, e, _ in subjects):
            continue  # "the war in Gaza": a subject of the talks, not where they were held
        if cue.rule.get("visits_only") and enc.kind != "visit":
            continue
        place = lex.places.get(text[start:end])
        if place is None:
            match = next((m for m in an.actors.matches if m.start == start), None)
            entry = match.first(CAPITAL) if match else None
            place = lex.capitals.get(entry.key) if entry else None
            named = match.first(PLACE) if match and place is None else None
            if named is not None:
                # an inflected form ("в Кремле"): the place the lexicon entry names
                place = lex.places.get(named.key)
        if place is not None:
            enc.place = place
            break
    if enc.kind != "visit":
        return
    types = _captures(an, index, "visit-type", "type")
    if types:
        start, end, cue = types[0]
        # a rule may name the kind in the contract's words ("国事访问": state)
        enc.visit_type = str(cue.rule.get("value") or text[start:end]).lower()
    for start, end, _ in _captures(an, index, "host", "host"):
        if start < enc.trigger.start - 40:
            continue
        for r in an.actors.refs_between(start, end):
            if r.kind == "state" and r.country:
                enc.host = r.country
                break
        if enc.host:
            break
    if enc.host is None and enc.place is not None:
        enc.host = enc.place.country


def _occasion(an: Analysis, index: int) -> str | None:
    """The first occasion the occasion rules name in the sentence ("the G20 Summit")."""
    for m in an.matches(index, an.grammar.occasions):
        span = m.slots.get("occasion")
        if span and span[1] > span[0]:
            return an.text[an.char_start(index, span[0]) : an.char_end(index, span[1])]
    return None
