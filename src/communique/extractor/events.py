"""Sentence-level event coding: every sentence's events in CAMEO and PLOVER, with their source and
target actors (country and sector), Goldstein value and stance.

The phrasings are the event rules (``data/rules/<lang>/cameo*.yaml``: the project's readout
phrasings first, then PETRARCH2's CAMEO verb dictionary as converted by
``scripts/convert_petrarch.py``). For each sentence the coder

1. skips sentences the discards name (sports, entertainment: ``lang/<lang>/discards.yaml``);
2. matches the rules on the sentence's tokens (the tokens the encounter rules read), keeping a
   verb form only where it stands as a predicate: after its subject, an auxiliary, "to", a
   coordinator or an adverb; never after a determiner, a possessive or a preposition, where it
   is a noun ("the support", "in support of");
3. reads what the words around each phrasing say of it (``rules/<lang>/modality.yaml``):
   negated, asked, in an if-clause or only possible (not coded), intended or promised (its
   CAMEO 03x intent code, or a threat), an obligation laid on someone (a demand on them);
4. links phrasings that stand in one clause: what a demand, a threat or a welcome is about is
   part of it, not an event of its own; what a verb of saying reports is coded, as the
   speaker's when it names no actor (``data/events.yaml``, ``content``);
5. finds the source (the clause's subject: the first party before the phrasing and those
   coordinated with it; a pronoun is the last person named; "the two sides" the main
   encounter's parties; "we" or no one named, in a government's release, its principal) and
   the target (the first party after the phrasing, before the object ends);
6. gives each party a sector (``lang/<lang>/agents*.yaml``: "Israeli troops" MIL, a foreign
   minister GOV), each event its PLOVER type, mode and context and Goldstein value
   (``data/cameo.tsv``) and its stance (``data/stances.yaml``); the same source, target and
   code twice in a sentence is one event.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from communique.extractor.actors import EntityRef
from communique.extractor.analysis import Analysis, Cue
from communique.extractor.cameo import CameoCode, _discard_regex, agents, code_table, sector_of
from communique.extractor.encounters import (
    _captures,
    _clause_start,
    _coordinated,
    _is_location,
    _participants,
)
from communique.extractor.language import Language, Token
from communique.extractor.rules import Rule, RuleMatch, RuleSet
from communique.extractor.text import Sentence
from communique.resources import data_dir_files, data_exists, load_yaml

# tags the extractor gives a party's words (analysis._REF_TAGS): a verb form right after one is
# the party's predicate
_PARTY_TAGS = frozenset({"PER", "STATE", "ORG", "ACTOR", "PLURAL", "PRON", "SELF", "TITLE"})
_NOT_EVENTS = frozenset({"negated", "question", "conditional", "hypothetical"})
# CAMEO's categories of force (14 protest ... 20 mass violence): a phrasing of these ("killed",
# "repelled") has no content, so a stance noun in its clause ("the strike, which killed dozens,
# warrants condemnation"; "repel the aggression by X") is coded on its own
# the files of PETRARCH's converted patterns (scripts/convert_petrarch.py)
_PETRARCH = re.compile(r"rules/[a-z]+/cameo(-\d+)?\.yaml")
_FORCE = ("14", "15", "17", "18", "19", "20")


# -- the data --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Stance:
    id: str
    codes: tuple[str, ...]
    words: frozenset[str]
    cues: frozenset[str]  # one must stand in a phrasing whose rule names no stance


@dataclass(frozen=True)
class EventData:
    """``data/events.yaml`` and ``data/stances.yaml``, read once."""

    intent: dict[str, str]
    intent_plover: dict[str, str]
    obligation: dict[str, str]
    report: tuple[str, ...]
    keeps: tuple[str, ...]
    encounter_own: tuple[str, ...]
    encounter_never: tuple[str, ...]
    overrides: dict[str, dict[str, str]]
    stances: tuple[_Stance, ...]
    intended: frozenset[str]  # stances an intention to act keeps (``intended: true``)
    quiet: frozenset[str]  # rule ids that code nothing here
    needs_target: frozenset[str]  # PLOVER types that need a recipient

    def stance(self, code: str, words: set[str], cued: bool = False) -> str | None:
        """The first stance whose codes hold ``code`` and, where it lists words, one of whose
        words begins one of ``words`` (the phrasing's forms and lemmas: "condemn" holds
        "condemned" and "condemnation"). ``cued``: the phrasing's rule names no stance (a
        verb pattern of PETRARCH's, written for events of every kind), so the stance is its
        code's only where one of the stance's ``cues`` stands among ``words`` ("pledged" is
        an intent to cooperate; "led a delegation", coded 030 too, states no position)."""
        for st in self.stances:
            if not any(code.startswith(c) for c in st.codes):
                continue
            if st.words and not _begins(words, st.words):
                continue
            if cued and not _begins(words, st.cues):
                return None
            return st.id
        return None

    def code(self, code: str) -> CameoCode | None:
        """The code's row of the CAMEO table, with the documented PLOVER overrides."""
        row = code_table().get(code)
        over = self.overrides.get(code)
        if row is None or not over:
            return row
        return CameoCode(
            row.code,
            row.name,
            row.goldstein,
            over.get("plover", row.plover),
            over.get("plover_mode", row.plover_mode),
            over.get("plover_context", row.plover_context),
            row.note,
        )


def _begins(words: set[str], prefixes: frozenset[str]) -> bool:
    return any(w.startswith(x) for w in words for x in prefixes)


def _longest(table: dict[str, str], code: str) -> str | None:
    best: str | None = None
    for prefix in table:
        if code.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    return None if best is None else table[best]


def _has_prefix(prefixes: tuple[str, ...], code: str) -> bool:
    return any(code.startswith(p) for p in prefixes)


@functools.cache
def event_data() -> EventData:
    ev: dict[str, Any] = load_yaml("events.yaml")
    st: dict[str, Any] = load_yaml("stances.yaml")
    content = ev.get("content") or {}
    enc = ev.get("encounter_codes") or {}
    return EventData(
        intent={str(k): str(v) for k, v in (ev.get("intent") or {}).items()},
        intent_plover={str(k): str(v) for k, v in (ev.get("intent_plover") or {}).items()},
        obligation={str(k): str(v) for k, v in (ev.get("obligation") or {}).items()},
        report=tuple(str(c) for c in content.get("report") or ()),
        keeps=tuple(str(c) for c in content.get("intent") or ()),
        encounter_own=tuple(str(c) for c in enc.get("own") or ()),
        encounter_never=tuple(str(c) for c in enc.get("never") or ()),
        overrides={
            str(k): {kk: str(vv) for kk, vv in v.items()}
            for k, v in (ev.get("plover_overrides") or {}).items()
        },
        quiet=frozenset(str(r) for r in ev.get("quiet_rules") or ()),
        needs_target=frozenset(str(t) for t in ev.get("needs_target") or ()),
        intended=frozenset(str(k) for k, v in st.items() if v.get("intended")),
        stances=tuple(
            _Stance(
                str(name),
                tuple(str(c) for c in spec.get("codes") or ()),
                frozenset(str(w).lower() for w in spec.get("words") or ()),
                frozenset(str(w).lower() for w in spec.get("cues") or ()),
            )
            for name, spec in st.items()
        ),
    )


@dataclass(frozen=True)
class _Words:
    """The words the predicate test reads (lang/<lang>/classes.yaml, words.yaml, agents)."""

    lead: frozenset[str]  # after one of these a verb form is a predicate ("and", "who", "it")
    base_lead: frozenset[str]  # ... a base form ("to", "will", "did")
    perfect_lead: frozenset[str]  # ... a past form ("has", "had")
    passive_lead: frozenset[str]  # ... a past or -ing form ("is", "were")
    skip: frozenset[str]  # adverbs and negations that may stand between ("also", "not")
    adverb_endings: tuple[str, ...]
    nominal: frozenset[str]  # after one of these it is a noun ("the", "their", "in")
    heads: frozenset[str]  # agent nouns that end a subject ("troops", "officials")
    time_words: frozenset[str]
    date_lead: frozenset[str]
    coordinators: frozenset[str]
    modifier_dets: frozenset[str]  # before a party it is a modifier ("a", "this": "a U.S. plan")
    agents: dict[str, str]
    agent_regex: re.Pattern[str] | None
    # whether the language has the predicate test's word classes (English); a language without
    # them (Chinese, Russian) writes its event rules with the words that make them predicates
    modelled: bool = True
    # what else the language's readouts need of the coder (words.yaml; docs/rules.md)
    chain_breaks: frozenset[str] = frozenset()  # `topic_chain`: clauses share one subject
    speech_class: str | None = None  # `anonymous_class`: verbs of a speaker's own words
    needs_target: bool = False  # `unattributed: needs_target`
    partner_stances: frozenset[str] = frozenset()
    speaker_label: re.Pattern[str] | None = None
    second_person: frozenset[str] = frozenset()  # whom a speaker addresses ("you", "Вас")


@functools.cache
def _words(lang: Language) -> _Words:
    c = lang.classes
    table = all_agents(lang.code)
    closed = (
        c.get("det", frozenset())
        | c.get("poss", frozenset())
        | c.get("prep", frozenset())
        | c.get("conj", frozenset())
        | lang.common
    )
    heads = {
        h
        for p in table
        if "~" not in p
        for h in [p.rsplit(" ", 1)[-1]]
        if h.isalpha() and len(h) > 2 and h not in closed
    }
    phrases = sorted((p for p in table if "~" not in p), key=len, reverse=True)
    rx = (
        re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])")
        if phrases
        else None
    )
    return _Words(
        lead=c.get("predicate_lead", frozenset()),
        base_lead=c.get("predicate_base", frozenset()),
        perfect_lead=c.get("predicate_perfect", frozenset()),
        passive_lead=c.get("predicate_passive", frozenset()),
        skip=c.get("predicate_skip", frozenset()) | c.get("neg", frozenset()),
        adverb_endings=tuple(str(e) for e in lang.words.get("adverb_endings") or ()),
        nominal=c.get("det", frozenset()) | c.get("poss", frozenset()) | c.get("prep", frozenset()),
        heads=frozenset(heads),
        time_words=c.get("weekday", frozenset())
        | c.get("month", frozenset())
        | c.get("daypart", frozenset()),
        date_lead=c.get("date_lead", frozenset()),
        coordinators=c.get("clause_coordinator", frozenset()),
        modifier_dets=c.get("modifier_det", frozenset()),
        agents=table,
        agent_regex=rx,
        modelled=bool(c.get("predicate_lead")),
        chain_breaks=frozenset(str(b) for b in lang.words.get("topic_chain") or ()),
        speech_class=str(lang.words["anonymous_class"])
        if lang.words.get("anonymous_class")
        else None,
        needs_target=lang.words.get("unattributed") == "needs_target",
        partner_stances=frozenset(str(x) for x in lang.words.get("partner_stances") or ()),
        speaker_label=(
            re.compile(str(lang.words["speaker_label"]))
            if lang.words.get("speaker_label")
            else None
        ),
        second_person=c.get("second_person", frozenset()),
    )


@functools.cache
def all_agents(code: str = "en") -> dict[str, str]:
    """Agent phrases -> agent codes: the converted Phoenix agents (``agents.yaml``) and any
    ``agents-*.yaml`` beside them (the project's own additions, read after: theirs win)."""
    out = dict(agents(code))
    for name in data_dir_files(f"lang/{code}"):
        base = name.rsplit("/", 1)[-1]
        if base.startswith("agents-") and base.endswith(".yaml") and data_exists(name):
            for k, v in ((load_yaml(name) or {}).get("agents") or {}).items():
                out[str(k).lower()] = str(v)
    return out


# -- the coded events ----------------------------------------------------------------------------
@dataclass
class EventDraft:
    """One coded event of a sentence, before it becomes a Readout Event."""

    cameo: str
    plover: str | None
    plover_mode: str | None
    plover_context: str | None
    goldstein: float
    stance: str | None
    source: list[EntityRef]
    target: list[EntityRef]
    sentence: Sentence
    trigger: tuple[int, int]
    rule: str
    sectors: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, key) -> sector
    named: bool = False  # its rule names its stance (written for it, not PETRARCH's verb)


@dataclass
class Context:
    """What the coder needs to know of the document beyond the sentence."""

    publisher: str | None
    principal: EntityRef | None  # the publisher's principal (or the publishing state)
    main_refs: list[EntityRef]  # the main encounter's parties ("the two sides")
    encounter_sentences: set[int]  # sentences (by start offset) that report an encounter
    # in a transcript, who speaks at the sentence being coded ("В.Путин: Уважаемый господин
    # Президент! ..."): set by code_events, turn by turn
    speaker: EntityRef | None = None


@dataclass
class _Coded:
    """A surviving phrasing of the event rules in one sentence, with what was found about it."""

    m: RuleMatch
    start: int  # character offsets of the phrasing
    end: int
    effects: set[str]
    clause: int = 0  # the token where the phrasing's clause starts
    passive: bool = False  # the clause says it in the passive ("readiness was expressed")
    governor: _Coded | None = None
    source: list[EntityRef] = field(default_factory=list)
    target: list[EntityRef] = field(default_factory=list)
    anonymous: bool = False  # its subject is someone no party names ("各方", "多国"): not coded


def code_events(an: Analysis, ctx: Context) -> list[EventDraft]:
    """The events of every sentence of the document, in text order."""
    rules = an.grammar.events
    if not rules.rules:
        return []
    out: list[EventDraft] = []
    last_person: list[EntityRef] = []
    turns = speaker_turns(an)
    for i, sent in enumerate(an.sentences):
        # the turn whose label stands last before the sentence ends (a label may open it)
        ctx.speaker = next((who for at, who in reversed(turns) if at < sent.end), None)
        if an.might_match(i, rules):
            out.extend(_sentence_events(an, i, ctx, last_person))
        persons = [r for r in an.refs(sent.start, sent.end) if r.kind == "person"]
        if persons:
            last_person = persons[:1]
    return out


def speaker_turns(an: Analysis) -> list[tuple[int, EntityRef]]:
    """A transcript's speaker labels (``speaker_label`` of ``lang/<lang>/words.yaml``: "В.Путин:",
    "Ван И (как переведено) :"), each with the person of the document whose name holds the
    label's surname; a label no person answers to ends the turn before it (an unknown speaker)."""
    pattern = _words(an.grammar.lang).speaker_label
    if pattern is None:
        return []
    turns: list[tuple[int, EntityRef]] = []
    for m in pattern.finditer(an.text):
        label = m.group("name") or m.group("translated") or ""
        words = [w for w in re.split(r"[\s.]+", label) if len(w) > 1]
        who = None
        for key, person in an.actors.persons.items():
            names = {n for form in [person.name, *person.forms] for n in form.split()}
            if (words and words[-1] in names) or (len(words) > 1 and set(words) <= names):
                who = EntityRef(m.start(), m.end(), "person", key, person.country)
                break
        turns.append((m.start(), who or EntityRef(m.start(), m.end(), "unknown", "")))
    return turns


_TRIED: dict[int, tuple[RuleSet, RuleSet]] = {}


def _tried(rules: RuleSet, quiet: frozenset[str]) -> RuleSet:
    """The event rules less those that code nothing here (``quiet_rules``), built once per
    rule set."""
    hit = _TRIED.get(id(rules))
    if hit is None or hit[0] is not rules:
        kept = RuleSet(rules.name, [r for r in rules.rules if r.id not in quiet], rules.lang)
        hit = _TRIED[id(rules)] = (rules, kept)
    return hit[1]


def _discarded(text: str, code: str) -> bool:
    """A sentence naming a sports or entertainment phrase of PETRARCH's discards is not coded
    (a readout that mentions a World Cup still codes its other sentences)."""
    low = " " + re.sub(r"\s+", " ", text.lower())
    phrases = _discard_phrases(code)
    if phrases is not None and next(phrases.iter(low), None) is None:
        return False  # none of the phrases is in it: the pattern cannot match
    return _discard_pattern(code).search(low) is not None


@functools.cache
def _discard_lists(code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The stems and words of the story and sentence discards, less PETRARCH's bare years
    (1914-2013: its guard against historical chronologies, which would leave every readout that
    names a year, "the 2013 agreement", uncoded) and the look-backs ``discards-communique.yaml``
    lists as not applied for the same reason ("two weeks ago", "World War II")."""
    data = (
        load_yaml(f"lang/{code}/discards.yaml") if data_exists(f"lang/{code}/discards.yaml") else {}
    )
    own = f"lang/{code}/discards-communique.yaml"
    skip = {
        str(x).lower()
        for x in ((load_yaml(own) or {}) if data_exists(own) else {}).get("not_applied") or ()
    }

    def applied(x: object) -> bool:
        return not str(x).isdigit() and str(x).lower() not in skip

    stems: list[str] = []
    words: list[str] = []
    for section in ((data or {}).get("story") or {}, (data or {}).get("sentence") or {}):
        stems += [str(x) for x in section.get("stems") or () if applied(x)]
        words += [str(x) for x in section.get("words") or () if applied(x)]
    return tuple(stems), tuple(words)


@functools.cache
def _discard_pattern(code: str) -> re.Pattern[str]:
    """The discards as one pattern (:func:`_discard_lists`)."""
    stems, words = _discard_lists(code)
    return _discard_regex({"stems": list(stems), "words": list(words)})


@functools.cache
def _discard_phrases(code: str) -> Any:
    """The discards' phrases in one automaton (Aho-Corasick): a sentence holding none of them
    is not searched with the pattern (which tries every phrase at every character). None when
    a phrase is empty (the pattern then matches without one)."""
    stems, words = _discard_lists(code)
    phrases = {*stems, *words}
    if "" in phrases:
        return None
    auto = ahocorasick.Automaton()
    for p in phrases:
        auto.add_word(p, 0)
    auto.add_word("\x00\x00", 0)  # never in a text; an automaton needs one word
    auto.make_automaton()
    return auto


def _sentence_events(
    an: Analysis, i: int, ctx: Context, last_person: list[EntityRef]
) -> list[EventDraft]:
    rules = an.grammar.events
    sent = an.sentences[i]
    data = event_data()
    rules = _tried(rules, data.quiet)
    sent_words = an.words(i)
    if not rules.might_match(sent.text, sent_words):
        return []
    enc = an.encoded(i)
    words = _words(an.grammar.lang)
    order = rules.index_of
    lang = an.grammar.lang
    verbs: dict[int, bool] = {}  # token -> whether a verb may stand there (asked once)

    def open_at(k: int) -> bool:
        if not _verbish(enc.tokens[k]):
            return True  # a phrasing that opens with a noun ("troops remained"): judged later
        hit = verbs.get(k)
        if hit is None:
            hit = verbs[k] = _predicate_at(enc.tokens, enc.extra, k, words, lang)
        return hit

    found = [
        m
        for m in rules.first_matches(enc, sent_words, open_at, _gated)
        if _is_predicate(enc.tokens, enc.extra, m, words, lang, verbs)
    ]
    found.sort(key=lambda m: (order[m.rule.id], m.start))
    kept: list[RuleMatch] = []
    for m in found:
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    kept.sort(key=lambda m: m.start)
    coded = [m for m in kept if m.rule.get("cameo")]
    if not coded or _discarded(sent.text, lang.code):
        return []
    clause_cues = an.cues(i, an.grammar.clauses)
    starts = sorted(c.end for c in clause_cues if c.rule.get("role") == "subject_start")
    stops = sorted(c.start for c in clause_cues if c.rule.get("role") == "object_stop")
    modal = an.cues(i, an.grammar.modality)
    locations = _captures(an, i, "location", "loc")
    items: list[_Coded] = []
    chain = 1 if words.chain_breaks else 0
    for m in coded:
        # in a language whose clauses chain one subject, a clause break right before the
        # phrasing opens its clause ("，愿同巴方加强合作": the subject is the chain's)
        clause_tok = _clause_start(an, i, starts, m.start + chain)
        items.append(
            _Coded(
                m,
                an.char_start(i, m.start),
                an.char_end(i, m.end),
                _effects(modal, m, clause_tok, enc.tokens),
                clause_tok,
                _passive(enc.tokens, clause_tok, m.end, words, lang),
            )
        )
    _link(items, enc.tokens, enc.extra, words, lang)
    # an object reads on to the next phrasing that is a verb of its own (not a noun phrasing:
    # "condemned the attack by Russia" reads "the attack by Russia")
    boundaries = [m.start for m in coded]
    verbal = [not m.rule.get("nominal") for m in coded]
    for k, it in enumerate(items):
        nxt = next((boundaries[j] for j in range(k + 1, len(coded)) if verbal[j]), len(enc.tokens))
        it.source, it.target = _roles(an, i, it.m, it.clause, stops, nxt, locations)
        if "a" in it.m.slots and all(r.kind == "pronoun" for r in it.source):
            # no party before the phrasing (or only a pronoun, which a verb in the first
            # person overrules: "хочу вас за это поблагодарить")
            chained, it.anonymous = _unnamed_subject(an, i, it, starts)
            if it.anonymous and ctx.speaker is not None:
                # "Хочу вас поблагодарить" in a transcript: whoever the label names
                it.anonymous = ctx.speaker.kind == "unknown"
                it.source = [] if it.anonymous else [ctx.speaker]
            elif it.anonymous:
                it.source = []
            elif not it.source:
                it.source = chained
        if k and _coordinated_predicate(enc.tokens, it.m.start, words):
            # "Moscow welcomes the fact that ... and reaffirms": the first predicate's subject
            first = next((x for x in items[:k] if x.source), None)
            if first is not None:
                it.source = first.source
    out: list[EventDraft] = []
    for it in items:
        draft = _draft(an, i, it, ctx, last_person, data)
        if draft is not None:
            out.append(draft)
    return _collapse(out)


# -- verbs, not nouns ---------------------------------------------------------------------------
def _form(tok: Token, lang: Language) -> str:
    """A verb form's shape: ``past`` (-ed or irregular), ``ing``, ``s`` (-s) or ``base``."""
    low = tok.lower
    if low in lang.irregular or low.endswith("ed"):
        return "past"
    if low.endswith("ing"):
        return "ing"
    if low.endswith("s") and not low.endswith("ss"):
        return "s"
    return "base"


def _gated(rule: Rule) -> bool:
    """Whether a rule's first word must stand as a verb: every rule but the noun phrasings
    (``nominal``), including those that code nothing (a verb's idiom that is no event: at a
    noun it has nothing to keep from being coded)."""
    return not rule.get("nominal")


def _is_predicate(
    tokens: list[Token],
    extra: list[AbstractSet[str]],
    m: RuleMatch,
    w: _Words,
    lang: Language,
    known: dict[int, bool] | None = None,
) -> bool:
    """Whether the phrasing's first word stands as a verb of its clause, from what precedes it
    (no parser): "to" and modals take a base form ("to impose", "will support"), "has" a past
    form, "is" a past or -ing form; after its subject (a party, a name, an agent noun such as
    "troops") any finite form; after a comma a participle; never after a determiner, a
    possessive or a preposition ("the support", "in support of"). Adverbs, negations and dates
    may stand between. Rules marked ``nominal`` (noun phrasings) pass."""
    if m.rule.get("nominal") or m.start >= len(tokens) or not w.modelled:
        return True
    # the phrasing's verb: its first word, or in a pattern that opens with its subject noun
    # ("- TROOPS * ON ALERT": "troops remained on alert") its first verb form
    k = m.start
    if not _verbish(tokens[k]):
        k = next((j for j in range(m.start, m.end) if _verbish(tokens[j])), m.start)
    if known is not None and k in known:
        return known[k]
    hit = _predicate_at(tokens, extra, k, w, lang)
    if known is not None:
        known[k] = hit
    return hit


def _predicate_at(
    tokens: list[Token], extra: list[AbstractSet[str]], k: int, w: _Words, lang: Language
) -> bool:
    """Whether the word at token ``k`` stands as a verb (:func:`_is_predicate`)."""
    tok = tokens[k]
    m_start = k
    tags = extra[m_start]
    if tags & _PARTY_TAGS or "DATE" in tags:
        return False  # a name, a title or a date: "United States", "the Court"
    opening = _sentence_open(tokens, m_start)
    if "cap" in tok.tags and not opening:
        return False  # a capitalised word inside a sentence is a name's
    form = _form(tok, lang)
    # a past participle right before "by" after a noun or a comma is a reduced relative clause
    # ("nationals suspected by the West", "rebels backed by Rwanda"): not the clause's verb
    after = k + 1
    while after < len(tokens) and tokens[after].lower in w.skip:
        after += 1  # "joined later by"
    by_agent = form == "past" and after < len(tokens) and tokens[after].lower == "by"
    j = m_start - 1
    dated = False  # the word to the right was part of a date ("on Friday")
    while j >= 0:
        t = tokens[j]
        low = t.lower
        if "DATE" in extra[j] or low in w.time_words or "num" in t.tags:
            dated = True
            j -= 1
            continue
        if (
            (dated and low in w.date_lead)
            or low in w.skip
            or (low.endswith(w.adverb_endings) and "low" in t.tags and len(low) > 4)
        ):
            j -= 1
            continue
        if low == "to":
            return form in ("base", "ing")  # "to impose", "commitment to deepening"
        if low in w.base_lead:
            return form == "base"
        if low in w.perfect_lead:
            return form == "past"
        if low in w.passive_lead:
            return form in ("past", "ing")
        if low in w.lead:
            return form != "ing"
        if "DEMONYM" in extra[j] and not extra[j] & {"PER", "ORG"} and not low.endswith("s"):
            # "European allies", "Russian support": an adjective and its noun ("the
            # Palestinians reject": a plural demonym is the subject)
            return False
        name = "cap" in t.tags and not _sentence_open(tokens, j)
        if extra[j] & _PARTY_TAGS and _indefinite(tokens, extra, j, w):
            return False  # a party named as a noun's modifier: "a U.S. request", "an EU plan"
        if extra[j] & _PARTY_TAGS or name or low in w.heads:
            return form != "ing" and not by_agent  # after its subject
        if low == ",":
            return form == "ing" or (form == "past" and not by_agent)
        if t.tags & {"brk", "punct"} and low not in ("'s", "'"):
            return True  # after a quotation mark or a bracket
        if low in w.nominal or low in ("'s", "'"):
            return False
        if _verbish(t):
            # two verb forms: the first is the verb ("signed agreements") unless the second
            # is its -ing complement ("continue working") or a past form after a plural noun
            # ("both sides agreed", "security forces opened")
            return form == "ing" or (form == "past" and _form(t, lang) == "s")
        # after another lowercase word: a past form is the predicate of a plural subject
        # ("youths resorted", "talks resumed"), anything else a noun ("outspoken support")
        return form == "past" and not by_agent
    return True  # the sentence's first word


def _indefinite(tokens: list[Token], extra: list[AbstractSet[str]], j: int, w: _Words) -> bool:
    """Whether the party whose words end at token ``j`` follows an indefinite or demonstrative
    determiner, with at most one adjective between ("a U.S. request", "this EU proposal", "a
    key U.S. ally"): then it modifies the noun after it."""
    while j >= 0 and extra[j] & _PARTY_TAGS:
        j -= 1
    if j < 0:
        return False
    t = tokens[j]
    if (
        t.lower not in w.modifier_dets
        and t.lower.isalpha()
        and "low" in t.tags
        and t.lower not in w.nominal
        and t.lower not in w.lead
        and t.lower not in w.skip
        and not _verbish(t)
    ):
        j -= 1  # an adjective: "a key U.S. ally", "a fresh EU offer"
    return j >= 0 and tokens[j].lower in w.modifier_dets


def _verbish(tok: Token) -> bool:
    """Whether a word is a form of a verb the event rules know (PETRARCH's verb classes)."""
    return _verb_tags(tok.tags)


@functools.lru_cache(maxsize=8192)
def _verb_tags(tags: frozenset[str]) -> bool:
    """:func:`_verbish` of a token's tags (tokens of one form share them: asked once)."""
    return any(t.startswith(("cameo_verb_", "cameo_forms_")) for t in tags)


def _sentence_open(tokens: list[Token], k: int) -> bool:
    return all(t.tags & {"punct", "brk"} for t in tokens[:k])


# -- what the words around a phrasing say of it -------------------------------------------------
def _effects(cues: list[Cue], m: RuleMatch, clause_tok: int, tokens: list[Token]) -> set[str]:
    out: set[str] = set()
    for c in cues:
        scope = c.rule.get("scope", "touch")
        if scope == "sentence":
            hit = True
        elif scope == "just-before":
            hit = m.start - 3 <= c.end <= m.start and c.start < m.start
        elif scope == "before":
            hit = clause_tok <= c.start and c.end <= m.start
        elif scope == "comma-before":
            hit = c.end <= m.start and not any(
                t.lower in (",", ";", ":") for t in tokens[c.end : m.start]
            )
        else:  # touch
            hit = c.end >= m.start - 3 and c.start < m.end
        if hit:
            out.add(str(c.rule.get("effect")))
    return out


def _link(
    items: list[_Coded],
    tokens: list[Token],
    extra: list[AbstractSet[str]],
    w: _Words,
    lang: Language,
) -> None:
    """Give each phrasing the earlier phrasing of its clause whose content it is ("demanded that
    France *release* ...", "threatened to *impose* ..."), if any."""
    that = lang.classes.get("complementizer", frozenset())
    # where clauses chain one subject, a clause break ends what a phrasing governs, unless it
    # is a verb of saying ("表示，中方支持...": what is said)
    breaks = w.chain_breaks
    report = event_data().report
    for k, b in enumerate(items):
        head = tokens[b.m.start] if b.m.start < len(tokens) else None
        finite = (
            head is not None
            and not b.m.rule.get("nominal")
            and _form(head, lang) in ("past", "s")
            and "low" in head.tags
        )
        for a in reversed(items[:k]):
            if a.m.end > b.m.start:
                continue
            if (
                _ours(b.m.rule)
                and not _ours(a.m.rule)
                and a.m.start < len(tokens)
                and not _verbish(tokens[a.m.start])
            ):
                continue  # PETRARCH's noun phrase ("missile launches") governs no stance
            verbal = _ours(b.m.rule) and not b.m.rule.get("nominal")
            if _boundary(tokens, extra, a.m.end, b.m.start, w, lang, verbal=verbal):
                break
            if _own_predicate(tokens, a, b, w, that) and not _has_prefix(
                report, str(a.m.rule.get("cameo"))
            ):
                # "Pakistan, a key U.S. ally against ..., has refused": a finite verb with its own
                # auxiliary is a predicate of its own, not the content of a phrasing before it
                # (what a verb of saying reports keeps its speaker: "said it had expelled")
                break
            if (
                breaks
                and not _has_prefix(report, str(a.m.rule.get("cameo")))
                and any(t.lower in breaks for t in tokens[a.m.end : b.m.start])
            ):
                break
            if (
                finite
                and str(a.m.rule.get("cameo")).startswith("04")
                and not any(t.lower in that for t in tokens[a.m.end : b.m.start])
            ):
                # after an encounter's verb, a finite verb is a predicate of its own ("met with
                # X in Washington, D.C. Secretary Blinken congratulated him"), not its content
                break
            b.governor = a
            break


def _own_predicate(
    tokens: list[Token], a: _Coded, b: _Coded, w: _Words, that: frozenset[str]
) -> bool:
    """Whether the phrasing ``b`` opens with a verb after its own tense auxiliary ("has",
    "will", "is" with an -ing form), with no "that" or "to" between it and the phrasing ``a``
    before it."""
    if b.m.rule.get("nominal"):
        return False
    between = tokens[a.m.end : b.m.start]
    if any(t.lower in that or t.lower == "to" for t in between):
        return False
    j = b.m.start - 1
    while j >= a.m.end and tokens[j].lower in w.skip:
        j -= 1
    if j < a.m.end or j < 0:
        return False
    low = tokens[j].lower
    if low in w.passive_lead:
        # "is refusing" is its own; "were taken hostage", "was implicated": a passive, whose
        # subject is no source, stays with the phrasing before it
        return tokens[b.m.start].lower.endswith("ing")
    return low in w.perfect_lead or (low in w.base_lead and low != "to")


def _boundary(
    tokens: list[Token],
    extra: list[AbstractSet[str]],
    start: int,
    end: int,
    w: _Words,
    lang: Language,
    verbal: bool = False,
) -> bool:
    """Whether a new clause or a coordinated predicate begins between two phrasings: a
    semicolon or colon; a coordinator ("and", "but", "while") after which an inflected verb
    comes before or as the second phrasing ("and reaffirmed", "and the Minister said"; a verb of
    the readout phrasings PETRARCH's classes lack, "and urged", where the second phrasing is
    ``verbal``); not one that joins objects ("discussed the war and efforts to support
    Ukraine") or infinitives ("called on X to stop and withdraw")."""
    for j in range(start, end):
        low = tokens[j].lower
        if low in (";", ":"):
            return True
        if low not in w.coordinators:
            continue
        for k in range(j + 1, min(end + 1, len(tokens))):
            t = tokens[k]
            verb = _verbish(t) or (verbal and k == end)
            if (
                verb
                and "low" in t.tags
                and _form(t, lang) in ("past", "s")
                and _predicate_at(tokens, extra, k, w, lang)
            ):
                return True  # not a noun that is also a verb form ("and British forces")
    return False


# -- who did it to whom --------------------------------------------------------------------------
def _roles(
    an: Analysis,
    i: int,
    m: RuleMatch,
    clause_tok: int,
    stops: list[int],
    nxt: int,
    locations: list[tuple[int, int, Cue]],
) -> tuple[list[EntityRef], list[EntityRef]]:
    """The parties of the slots ``{a}`` (source), ``{b}`` (target) and ``{both}`` (joint)."""
    sent = an.sentences[i]
    trig_start = an.char_start(i, m.start)
    subj_from = an.char_start(i, clause_tok) if clause_tok else sent.start
    roles: dict[str, list[EntityRef]] = {}
    for slot in ("a", "b", "both"):
        if slot not in m.slots:
            continue
        if m.side(slot) == "left":
            lang = an.grammar.lang
            start = _after_opening_phrase(an.text, subj_from, trig_start, lang)
            refs = [r for r in an.refs(start, trig_start) if r.kind != "initiative"]
            # a place named in the subject ("opposition groups in Zimbabwe") is its country
            # when no party is named otherwise
            roles[slot] = (
                _subject([r for r in refs if not _is_location(r, locations)], an.text, lang)
                or _subject(refs, an.text, lang)
                or _plural_opening(an.text, subj_from, trig_start, lang)
            )
        else:
            at = m.slots[slot][0]
            toks = an.tokens(i)
            if at < len(toks) and toks[at].lower in an.grammar.lang.classes.get(
                "complementizer", frozenset()
            ):
                at += 1  # "demanded that the US cancel": the that-clause's subject
            stop = min([s for s in stops if s > at] + [max(nxt, m.end)])
            if (
                stop == nxt < len(toks)
                and m.rule.get("stance")
                and _agent_after(an, i, stop)
                and not any(
                    r.kind != "plural" for r in an.refs(an.char_start(i, at), an.char_end(i, stop))
                )
            ):
                # a stance's object names no party before the next phrasing, which is part of
                # it and names its agent ("condemned the military strikes launched by the
                # United States"): it reads on to the clause's end
                stop = min([s for s in stops if s > stop] + [len(toks)])
            obj_from, obj_to = an.char_start(i, at), an.char_end(i, stop)
            refs = [
                _owner(r) if r.kind == "initiative" else r
                for r in an.refs(obj_from, obj_to)
                if r.kind != "plural"
                and not _is_location(r, locations)
                and (r.kind != "initiative" or r.country)
            ]
            if not refs and _names_initiative(an, i, at, stop):
                # "supports the initiatives": the owner of the initiatives named before
                before = [r for r in an.refs(0, obj_from) if r.kind == "initiative" and r.country]
                refs = [_owner(before[-1])] if before else []
            if not refs and _addresses(an, i, at, stop):
                # "congratulations on your election": whom the readout addresses
                refs = [EntityRef(obj_from, obj_from, "addressee", "")]
            if not refs:
                # a place named as the target ("aid to Turkey") is its country
                refs = [
                    r
                    for r in an.refs(obj_from, obj_to)
                    if r.kind in ("state", "org") and _is_location(r, locations)
                ]
            if not refs and at < len(toks) and toks[at].lower in ("him", "her"):
                # "spoke with Prime Minister Mitchell to congratulate him": the last person
                # named before, in the sentence, who is not the subject
                subject = {(r.kind, r.key) for r in roles.get("a", [])}
                before = [
                    r
                    for r in an.refs(sent.start, trig_start)
                    if r.kind == "person" and (r.kind, r.key) not in subject
                ]
                refs = before[-1:]
            roles[slot] = _object(refs, an.text, an.grammar.lang)
    source = roles.get("a", []) + roles.get("both", [])
    return source, roles.get("b", [])


def _unnamed_subject(
    an: Analysis, i: int, it: _Coded, starts: list[int]
) -> tuple[list[EntityRef], bool]:
    """Where a phrasing's clause names no party before it: whether its subject is someone no
    party names (``anonymous_subjects``: "各方一致认为", "多国谴责"), and in a language whose
    clauses share the subject of the sentence's first one (``topic_chain``: "中方高度重视...，
    支持...，愿同巴方加强合作"), the party that opens the nearest earlier clause."""
    lang = an.grammar.lang
    toks = an.tokens(i)
    anonymous = lang.anonymous_subjects
    if anonymous and any(t.lower in anonymous for t in toks[it.clause : it.m.start]):
        return [], True
    speech = _words(lang).speech_class
    if speech and any(speech in lang.word_classes(t.lower) for t in toks[it.clause : it.m.end]):
        return [], True  # "хочу поблагодарить", "поздравляю": whoever speaks
    if not _words(lang).chain_breaks:
        return [], False
    bounds = [0, *sorted(s for s in starts if 0 < s <= it.clause)]
    for k in range(len(bounds) - 2, -1, -1):
        lo, hi = bounds[k], bounds[k + 1]
        head = toks[lo:hi]
        if any(t.lower in anonymous for t in head):
            return [], True
        refs = an.refs(an.char_start(i, lo), an.char_start(i, hi))
        opening = [r for r in refs if r.kind != "initiative"]
        # the party must open the clause (after at most a word such as a date or "他")
        if opening and an.text[an.char_start(i, lo) : opening[0].start].strip(' ，,"“') == "":
            return _subject(opening, an.text, lang), False
    return [], False


def _addresses(an: Analysis, i: int, start: int = 0, stop: int | None = None) -> bool:
    """Whether the sentence (its tokens ``start:stop``) addresses someone ("Вас", "your")."""
    second = _words(an.grammar.lang).second_person
    return any(t.lower in second for t in an.tokens(i)[start:stop])


def _after_opening_phrase(text: str, start: int, end: int, lang: Language) -> int:
    """Where the subject begins after an opening prepositional phrase and its comma ("In a
    meeting with Prime Minister Hun Sen, Deputy Secretary Sherman stressed ...": the subject is
    Sherman, not Hun Sen); ``start`` where the clause opens with no such phrase."""
    head = text[start:end]
    first = head.lstrip(" \"'(").split(" ", 1)[0].lower()
    comma = head.rfind(", ")
    if comma < 0 or first not in lang.classes.get("prep", frozenset()):
        return start
    if re.search(r"\b(?:side|part)\s*$", head[:comma], re.IGNORECASE):
        return start  # "On the Russian Side, a positive assessment was expressed": its speaker
    return start + comma + 2


def _agent_after(an: Analysis, i: int, k: int) -> bool:
    """Whether a party follows a "by" within the words at token ``k`` ("strikes launched by the
    United States")."""
    toks = an.tokens(i)
    by = next((j for j in range(k, min(k + 4, len(toks))) if toks[j].lower == "by"), None)
    if by is None or by + 1 >= len(toks):
        return False
    near = an.char_end(i, min(by + 3, len(toks)))  # after "by" and a determiner
    return any(
        r.kind in ("state", "org", "person") and r.start <= near
        for r in an.refs(an.char_start(i, by + 1), an.sentences[i].end)
    )


def _plural_opening(text: str, start: int, end: int, lang: Language) -> list[EntityRef]:
    """ "The two sides agreed", "Both sides condemned": a plural reference opening the clause,
    written with a capital the reference list does not spell."""
    head = text[start:end].lstrip(" \"'(")
    low = head.lower()
    for phrase in lang.plural_references:
        p = phrase.lower()
        if " " in p and low.startswith(p) and not low[len(p) : len(p) + 1].isalnum():
            s = start + (len(text[start:end]) - len(head))
            return [EntityRef(s, s + len(p), "plural", "")]
    return []


def _owner(ref: EntityRef) -> EntityRef:
    """An initiative named as a target stands for the state that owns it (the Belt and Road
    Initiative: China)."""
    return EntityRef(ref.start, ref.end, "state", ref.country or "", ref.country)


def _names_initiative(an: Analysis, i: int, start: int, end: int) -> bool:
    words = an.grammar.lang.classes.get("initiative_head", frozenset())
    return any(t.lower in words for t in an.tokens(i)[start:end])


def _subject(refs: list[EntityRef], text: str, lang: Language) -> list[EntityRef]:
    """The clause's subject: the first party and those coordinated with it; a pronoun or a plural
    reference standing first stands for itself (resolved by the caller)."""
    if not refs:
        return []
    first_kinds = [r for r in refs if r.kind in ("pronoun", "plural", "self")]
    parts = _participants([r for r in refs if r.kind != "pronoun"])
    if first_kinds and (not parts or first_kinds[0].start < parts[0].start):
        return [first_kinds[0]]
    run = _coordinated_run(parts, text, lang)
    # "Deputy Secretary Sherman and her counterparts": a plural reference coordinated with
    # the named parties joins them
    after = [r for r in refs if r.kind == "plural" and run and r.start >= run[-1].end]
    if after and _coordinated(text[run[-1].end : after[0].start], lang):
        run.append(after[0])
    return run


def _object(refs: list[EntityRef], text: str, lang: Language) -> list[EntityRef]:
    """The phrasing's target: the first party after it and those coordinated with it
    ("condemned Russia's war against Ukraine": Russia; "thanked Saudi Arabia and the UAE")."""
    refs = [r for r in refs if r.kind != "pronoun"]
    return _coordinated_run(refs, text, lang)


def _coordinated_run(refs: list[EntityRef], text: str, lang: Language) -> list[EntityRef]:
    if not refs:
        return []
    refs = sorted(refs, key=lambda r: r.start)
    keep = [refs[0]]
    for r in refs[1:]:
        gap = text[keep[-1].end : r.start]
        if len(gap) < 250 and _coordinated(gap, lang):
            keep.append(r)
        else:
            break
    return keep


def _resolve(refs: list[EntityRef], ctx: Context, last_person: list[EntityRef]) -> list[EntityRef]:
    """Pronouns, plural references and "we" made parties."""
    out: list[EntityRef] = []
    for r in refs:
        if r.kind == "pronoun":
            out.extend(last_person[:1] or ([ctx.principal] if ctx.principal else []))
        elif r.kind == "plural":
            out.extend(ctx.main_refs)
        elif r.kind == "addressee":
            # the main encounter's parties that are not the publisher's (in a transcript, not
            # the speaker's)
            own = ctx.speaker.country if ctx.speaker is not None else ctx.publisher
            out.extend(x for x in ctx.main_refs if x.country != own)
        elif r.kind == "self":
            out.append(ctx.principal or EntityRef(r.start, r.end, "state", r.key, r.country))
        else:
            out.append(r)
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in out:
        if (r.kind, r.key) not in seen:
            seen.add((r.kind, r.key))
            unique.append(r)
    return unique


def _draft(
    an: Analysis,
    i: int,
    it: _Coded,
    ctx: Context,
    last_person: list[EntityRef],
    data: EventData,
) -> EventDraft | None:
    m = it.m
    code = str(m.rule.get("cameo"))
    gov = it.governor
    # what a governing phrasing does with this one
    while gov is not None and _has_prefix(data.report, str(gov.m.rule.get("cameo"))):
        if not it.source and not _has_prefix(data.report, code):
            it.source = gov.source  # reported speech: the speaker's
        gov = gov.governor if not it.source or gov.governor is None else None
    if _has_prefix(data.report, code):
        return None  # "said", "stressed": what they report is coded, not the saying
    if (
        gov is not None
        and not _has_prefix(data.keeps, str(gov.m.rule.get("cameo")))
        and "intent" not in it.effects
        and not (_ours(m.rule) and _own_stance(it, gov, data, an.tokens(i)))
    ):
        # the content of a demand, a threat, an appeal (not a stated intent)
        return None
    if gov is not None and gov.effects & _NOT_EVENTS:
        return None
    if it.effects & _NOT_EVENTS:
        return None
    speaker = _speaker_of(it, ctx, last_person)
    if m.rule.get("obligation"):
        # "Libya must hand over ...", said by someone: their demand on the clause's subject;
        # what the speaker's own side must do is its intent, coded on its verb
        own = {r.country for r in speaker}
        plural = any(r.kind in ("plural", "self") for r in it.target)
        if plural and not own & {r.country for r in ctx.main_refs}:
            subject = []  # "the parties should exercise restraint": parties not named
        else:
            subject = _resolve(it.target, ctx, last_person)
            if not subject or {r.country for r in subject} <= own or plural:
                # what the speaker's own side should do ("the two sides need to expand
                # cooperation", said by one of them): an intent, not a demand
                return None
        if not speaker:
            return None
        it.source, it.target = [], subject
        return _finish(an, i, it, code, None, speaker, subject, data)
    source = _resolve(it.source, ctx, last_person)
    if not source and it.anonymous:
        return None  # "各方一致认为": no party to code it for
    joint = it.passive or m.rule.get("joint")  # "readiness was expressed", "условлено"
    if not source and joint and not _reported(it, data) and _joint(ctx.main_refs):
        source = list(ctx.main_refs)  # "readiness was expressed": both sides of the talks
    target = _resolve(it.target, ctx, last_person)
    if not target and ctx.speaker is not None and "b" in m.slots and _addresses(an, i):
        # in a transcript, "Рад Вас приветствовать": whom the speaker addresses
        target = _resolve([EntityRef(it.start, it.start, "addressee", "")], ctx, last_person)
    if not source and not target and _words(an.grammar.lang).needs_target:
        return None  # no word names who did it, nor to whom: no diplomatic event to code
    source = source or speaker
    intended = "intent" in it.effects
    if "obligation" in it.effects:
        own_side = not source or {r.country for r in source} <= {r.country for r in speaker}
        if own_side or any(r.kind in ("plural", "self") for r in it.source):
            intended = True
        else:
            code = _longest(data.obligation, code) or "100"
            source, target = speaker, source
    plover_type: str | None = None
    stance_free = False  # the code changed: the stance follows the new code, not the rule
    if code != str(m.rule.get("cameo")):
        stance_free = True
    act: str | None = None  # the code of the act only intended
    if intended:
        new = _longest(data.intent, code)
        if new is not None:
            plover_type = _longest(data.intent_plover, code)
            stance_free = stance_free or new.startswith("13")
            act, code = code, new
    if _has_prefix(data.encounter_never, code) or m.rule.get("topic"):
        return None  # "discussed", also "will discuss": a topic, not an event
    if _has_prefix(data.encounter_own, code) and (
        an.sentences[i].start in ctx.encounter_sentences or code == "040"
    ):
        return None
    stance = None if stance_free else m.rule.get("stance")
    if not target and stance in _words(an.grammar.lang).partner_stances:
        # "深化各领域合作" in a readout of talks: cooperation with the other side
        own = {r.country for r in source}
        target = [r for r in ctx.main_refs if r.country and r.country not in own]
    return _finish(an, i, it, code, plover_type, source, target, data, stance, stance_free, act)


def _finish(
    an: Analysis,
    i: int,
    it: _Coded,
    code: str,
    plover_type: str | None,
    source: list[EntityRef],
    target: list[EntityRef],
    data: EventData,
    stance: str | None = None,
    stance_free: bool = False,
    act: str | None = None,
) -> EventDraft | None:
    """The event of a phrasing once its code and parties are known. ``act``: the code of the
    act the phrasing only intends (its code is then the intent's)."""
    m = it.m
    row = data.code(code)
    if row is None:
        return None
    if stance is None and not stance_free:
        stance = m.rule.get("stance")
    coded = stance  # whether the event has a stance decides whether 01x/02x are coded
    if stance is None:
        lemmas = {lem for t in an.tokens(i)[m.start : m.end] for lem in t.lemmas}
        coded = data.stance(code, lemmas)
        # a rule that names no stance (PETRARCH's verb patterns) gives its code's only where
        # its words name it
        cued = m.rule.get("stance") is None
        stance = data.stance(code, lemmas, cued=cued)
        if act is not None:
            # an intended act whose stance is the act's ("committed to impose costs": sanction)
            done = data.stance(act, lemmas, cued=cued)
            if done in data.intended:
                stance = done
    plover = plover_type or row.plover
    if not plover and not coded:
        return None
    attributed = bool(m.rule.get("attributed"))
    if attributed:
        # a stance the text attributes to a party in passing ("thanked Turkey for its support
        # of Ukraine"): a fact of the readout, no event the sentence reports (no PLOVER type)
        plover = None
    keys = {(r.kind, r.key) for r in source}
    countries = {r.country for r in source if r.country}
    target = [
        r
        for r in target
        if (r.kind, r.key) not in keys and not (r.country and r.country in countries)
    ]
    if not source:
        return None
    if plover in data.needs_target and not target and len({r.country for r in source}) < 2:
        return None  # aid, cooperation, sanctions go to someone (PLOVER: recipient required)
    return EventDraft(
        cameo=code,
        plover=plover,
        plover_mode=row.plover_mode if not (plover_type or attributed) else None,
        plover_context=None if attributed else row.plover_context,
        goldstein=row.goldstein,
        stance=stance,
        source=source,
        target=target,
        sentence=an.sentences[i],
        trigger=(it.start, it.end),
        rule=m.rule.id,
        sectors=_sectors(an, i, source + target),
        named=m.rule.get("stance") is not None,
    )


def _coordinated_predicate(tokens: list[Token], k: int, w: _Words) -> bool:
    """Whether the verb at ``k`` follows a coordinator ("... and reaffirmed"), its auxiliaries
    and adverbs between ("... but was still refusing", "and has called")."""
    aux = w.perfect_lead | w.passive_lead | (w.base_lead - {"to"})
    j = k - 1
    while j >= 0 and (tokens[j].lower in w.skip or tokens[j].lower in aux):
        j -= 1
    return j >= 0 and tokens[j].lower in w.coordinators


def _passive(tokens: list[Token], start: int, end: int, w: _Words, lang: Language) -> bool:
    """Whether the clause up to the phrasing's end has a passive verb ("was expressed", "were
    discussed"): a form of "be" followed by a past participle."""
    for j in range(start, min(end, len(tokens)) - 1):
        if tokens[j].lower in w.passive_lead:
            k = j + 1
            while k < end and tokens[k].lower in w.skip:
                k += 1
            if k < len(tokens) and "low" in tokens[k].tags and _form(tokens[k], lang) == "past":
                return True
    return False


def _reported(it: _Coded, data: EventData) -> bool:
    gov = it.governor
    return gov is not None and _has_prefix(data.report, str(gov.m.rule.get("cameo")))


def _ours(rule: Rule) -> bool:
    """Whether an event rule is the project's (written for readouts' stances), not one of
    PETRARCH's converted patterns."""
    return not _PETRARCH.fullmatch(rule.source)


def _own_stance(it: _Coded, gov: _Coded, data: EventData, tokens: list[Token]) -> bool:
    """Whether a stance phrasing (a rule that names its stance) in the clause of another is a
    stance of its own: what was agreed ("agreed to continue the efforts to support Ukraine"),
    a phrasing that names its own actor ("thanked Norway for its support for Moldova"), the
    purpose of an encounter, after "to" ("spoke with him to congratulate him"), a stance noun in the clause
    of an act of force ("the strike, which killed dozens, warrants condemnation")."""
    m = it.m
    return (
        _agreed(gov, data)
        or ("a" in m.slots and m.side("a") == "right")
        or (
            _purpose(gov, data)
            and any(t.lower == "to" for t in tokens[max(0, m.start - 2) : m.start])
        )
        or bool(m.rule.get("nominal") and _violent(gov))
        or _accusation(it, gov)
    )


def _accusation(it: _Coded, gov: _Coded) -> bool:
    """An accusation named as a noun ("concerned about the expansion of the war as a result of
    the aggression by the US and Israel") in the clause of a statement (CAMEO 01x: concern,
    regret, optimism) is one of its own (docs/gold-format.md: only a qualifying clause on a
    condemnation is part of it)."""
    code = str(it.m.rule.get("cameo"))
    return (
        bool(it.m.rule.get("nominal"))
        and code.startswith("112")
        and str(gov.m.rule.get("cameo")).startswith("01")
    )


def _violent(gov: _Coded) -> bool:
    """Whether a governing phrasing is an act of force, itself no one's topic or content."""
    if not _has_prefix(_FORCE, str(gov.m.rule.get("cameo"))):
        return False
    up = gov.governor
    while up is not None:
        if up.m.rule.get("topic"):
            return False  # "discussed the strikes that killed ...": all of it a topic
        up = up.governor
    return True


def _purpose(gov: _Coded, data: EventData) -> bool:
    """Whether a governing phrasing is an encounter whose purpose the phrasing is ("spoke with
    him to congratulate him"); not "discussed", whose content is a topic."""
    code = str(gov.m.rule.get("cameo"))
    return (
        _has_prefix(data.encounter_own, code)
        and not _has_prefix(data.encounter_never, code)
        and not gov.m.rule.get("topic")
    )


def _agreed(gov: _Coded, data: EventData) -> bool:
    """Whether a governing phrasing is itself what was agreed, offered or promised ("agreed to
    continue the efforts to support Ukraine": the support is agreed too, docs/gold-format.md)."""
    up = gov.governor
    while up is not None:
        if _has_prefix(data.keeps, str(up.m.rule.get("cameo"))):
            return True
        up = up.governor
    return False


def _joint(refs: list[EntityRef]) -> bool:
    return len({r.country for r in refs if r.country}) >= 2


def _speaker_of(it: _Coded, ctx: Context, last_person: list[EntityRef]) -> list[EntityRef]:
    """Who says what a phrasing reports: the subject of the verb of saying that governs it, else
    in a transcript the speaker of the turn, else the publisher's principal (a government's
    release speaks for it)."""
    gov = it.governor
    while gov is not None:
        if gov.source and not _has_prefix(_FORCE, str(gov.m.rule.get("cameo"))):
            # (who killed or struck says nothing)
            found = _resolve(gov.source, ctx, last_person)
            if found:
                return found
        gov = gov.governor
    if ctx.speaker is not None:
        return [] if ctx.speaker.kind == "unknown" else [ctx.speaker]
    return [ctx.principal] if ctx.principal is not None else []


def _collapse(drafts: list[EventDraft]) -> list[EventDraft]:
    """The same source, target and code twice in a sentence is one event; an event whose source
    and target another event of the same PLOVER type and sentence has, with a more specific
    code, is that event ("offered to hand over": 030 and 0353)."""
    out: list[EventDraft] = []
    for d in drafts:
        key = _dyad(d)
        dup = next(
            (
                o
                for o in out
                if _dyad(o) == key and (o.cameo == d.cameo or (o.plover and o.plover == d.plover))
            ),
            None,
        )
        if dup is None and not d.target:
            # the same source and code with a target already: the same act ("rejected the
            # plan, and said they also opposed the deployment")
            dup = next((o for o in out if o.cameo == d.cameo and _dyad(o)[0] == key[0]), None)
            if dup is not None:
                continue
        if dup is None:
            out.append(d)
        elif (len(d.cameo) > len(dup.cameo) and dup.stance == d.stance) or (
            d.named and not dup.named and d.stance
        ):
            # the more specific code; or the stance a rule written for it names ("pledged to
            # remain in close contact": meet, not the cooperation PETRARCH's "pledge" says)
            out[out.index(dup)] = d
    return out


def _dyad(d: EventDraft) -> tuple[frozenset[str], frozenset[str]]:
    return (
        frozenset(r.country or r.key for r in d.source),
        frozenset(r.country or r.key for r in d.target),
    )


# -- sectors ----------------------------------------------------------------------------------
def _sectors(an: Analysis, i: int, refs: list[EntityRef]) -> dict[tuple[str, str], str]:
    """A sector for each party where its words give one: a person's office ("Foreign Minister"
    GOV), the agent named with a state ("Israeli troops" MIL, "the Sudanese government" GOV,
    "police in Cairo" COP)."""
    out: dict[tuple[str, str], str] = {}
    code = an.grammar.lang.code
    for r in refs:
        sector = None
        if r.kind == "person":
            p = an.actors.persons.get(r.key)
            if p is not None:
                sector = person_sector(tuple(p.titles), code)
        elif r.kind in ("state", "org"):
            sector = _agent_near(an, i, r)
        if sector:
            out[(r.kind, r.key)] = sector
    return out


@functools.cache
def person_sector(titles: tuple[str, ...], code: str = "en") -> str | None:
    """The sector a person's titles give (the longest agent phrase in one of them)."""
    w = _words_for(code)
    for title in titles:
        low = title.lower()
        hit = w.agents.get(low)
        if hit is None and w.agent_regex is not None:
            found = w.agent_regex.findall(low)
            if found:
                hit = w.agents.get(max(found, key=len))
        sector = sector_of(hit, code) if hit else None
        if sector:
            return sector
    return None


def _words_for(code: str) -> _Words:
    from communique.extractor.language import get_language

    return _words(get_language(code))


def _agent_near(an: Analysis, i: int, ref: EntityRef) -> str | None:
    """The agent right after a state's name ("Russian forces", "U.S. officials"), or right
    before it with "of"/"in" ("the army of Sudan", "opposition groups in Zimbabwe")."""
    w = _words(an.grammar.lang)
    if w.agent_regex is None:
        return None
    text = an.text
    sent = an.sentences[i]
    after = text[ref.end : min(sent.end, ref.end + 60)].lower()
    m = re.match(r"(?:'s)?\s+((?:[\w-]+\s+){0,2}?)", after)
    if m:
        rest = after[m.end() :] if m else after
        hit = w.agent_regex.match(rest)
        if hit:
            sector = sector_of(w.agents[hit.group(1)], an.grammar.lang.code)
            if sector:
                return sector
    before = text[max(sent.start, ref.start - 60) : ref.start].lower()
    m2 = re.search(r"([\w\- ]+?)\s+(?:of|in|from)\s+(?:the\s+)?$", before)
    if m2:
        for hit in w.agent_regex.finditer(m2.group(1)):
            if hit.end() == len(m2.group(1)):
                sector = sector_of(w.agents[hit.group(1)], an.grammar.lang.code)
                if sector:
                    return sector
    return None
