"""One document under analysis: its sentences as tagged tokens, and the rules that apply.

The rule engine (:mod:`communique.extractor.rules`) matches patterns on tokens that carry what
the extractor already found there: the parties (``<PER>``, ``<STATE>``, ``<ORG>``, ``<PLURAL>``
...), titles, places and dates. :class:`Analysis` builds those tagged tokens for a sentence once,
when a rule first needs them, and shares them between the encounter, timing, clause and stance
rules.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from communique.extractor.actors import ActorTable, EntityRef
from communique.extractor.dates import DateMention
from communique.extractor.language import Language, Token
from communique.extractor.lexicon import CAPITAL, DOCUMENT, PLACE, TITLE, Lexicon
from communique.extractor.rules import (
    Encoded,
    Rule,
    RuleMatch,
    RuleSet,
    rule_set,
    sentence_words,
)
from communique.extractor.text import Sentence

_NO_TAGS: frozenset[str] = frozenset()
_REF_TAGS = {
    "person": ("PER", "ACTOR"),
    "state": ("STATE", "ACTOR"),
    "org": ("ORG", "ACTOR"),
    "plural": ("PLURAL", "ACTOR"),
    "pronoun": ("PRON",),
    "self": ("SELF", "ACTOR"),
}


@dataclass(frozen=True)
class Grammar:
    """Every rule set of one language (and the user's rule folders), compiled once."""

    lang: Language
    encounters: RuleSet
    clauses: RuleSet
    contexts: RuleSet
    occasions: RuleSet
    affiliations: RuleSet
    dates: RuleSet
    places: RuleSet
    titles: RuleSet
    facts: RuleSet  # agreements signed, attendees present (languages that give them as rules)
    events: RuleSet  # the event rules: CAMEO verb patterns (cameo*.yaml), readout phrasings first
    modality: RuleSet  # what makes a coded phrasing negated, asked, intended or demanded

    @property
    def all(self) -> tuple[RuleSet, ...]:
        return (
            self.encounters,
            self.clauses,
            self.contexts,
            self.occasions,
            self.affiliations,
            self.dates,
            self.places,
            self.titles,
            self.facts,
            self.events,
            self.modality,
        )


@functools.cache
def get_grammar(lang: Language, user_dirs: tuple[str, ...] = ()) -> Grammar:
    g = Grammar(
        lang,
        encounters=rule_set("encounters", lang, user_dirs),
        clauses=rule_set("clauses", lang, user_dirs),
        contexts=rule_set("contexts", lang, user_dirs),
        occasions=rule_set("occasions", lang, user_dirs),
        affiliations=rule_set("affiliations", lang, user_dirs),
        dates=rule_set("dates", lang, user_dirs),
        places=rule_set("places", lang, user_dirs),
        titles=rule_set("titles", lang, user_dirs),
        facts=rule_set("facts", lang, user_dirs),
        # compiled with the others, before any sentence is tokenised: the words these rules
        # name become lemmas the tokens carry
        events=rule_set("cameo", lang, user_dirs),
        modality=rule_set("modality", lang, user_dirs),
    )
    return g


@dataclass(frozen=True, slots=True)
class Cue:
    """A match of a clause or context rule in a sentence, by token index."""

    rule: Rule
    start: int
    end: int
    slots: dict[str, tuple[int, int]]


@dataclass
class Analysis:
    text: str
    sentences: list[Sentence]
    actors: ActorTable
    lex: Lexicon
    grammar: Grammar
    dates: list[DateMention] = field(default_factory=list)  # every date expression, in order
    _encoded: dict[int, Encoded] = field(default_factory=dict)
    _words: dict[int, set[str]] = field(default_factory=dict)
    _cues: dict[tuple[int, str], list[Cue]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._match_starts = [m.start for m in self.actors.matches]
        self._date_starts = [d.start for d in self.dates]

    def words(self, index: int) -> set[str]:
        """The lowercase words of sentence ``index`` (what rule prefilters look at)."""
        hit = self._words.get(index)
        if hit is None:
            hit = sentence_words(self.sentences[index].text, self.grammar.lang)
            self._words[index] = hit
        return hit

    def might_match(self, index: int, rules: RuleSet) -> bool:
        return rules.might_match(self.sentences[index].text, self.words(index))

    def encoded(self, index: int) -> Encoded:
        hit = self._encoded.get(index)
        if hit is None:
            hit = self._encode(self.sentences[index])
            self._encoded[index] = hit
        return hit

    def _encode(self, sent: Sentence) -> Encoded:
        tokens = self.grammar.lang.tokenize(self.text, sent.start, sent.end)
        # a token's tags: one shared empty set until the token is tagged
        extra: list[AbstractSet[str]] = [_NO_TAGS] * len(tokens)
        starts = [t.start for t in tokens]

        def tag(start: int, end: int, names: tuple[str, ...]) -> None:
            i = max(0, bisect.bisect_right(starts, start) - 1)
            while i < len(tokens) and tokens[i].start < end:
                if tokens[i].end > start:
                    had = extra[i]
                    if isinstance(had, set):
                        had.update(names)
                    else:
                        extra[i] = set(names)
                i += 1

        for r in self.actors.refs_between(sent.start, sent.end):
            names = _REF_TAGS.get(r.kind)
            if names:
                tag(r.start, r.end, names)
            if r.via_demonym:
                tag(r.start, r.end, ("DEMONYM",))  # "Russian": an adjective, not a noun
        i = bisect.bisect_left(self._match_starts, sent.start)
        matches = self.actors.matches
        while i < len(matches) and matches[i].start < sent.end:
            m = matches[i]
            if m.first(TITLE) is not None:
                tag(m.start, m.end, ("TITLE",))
            elif m.first(DOCUMENT) is not None:
                tag(m.start, m.end, ("DOC",))
            elif m.first(PLACE, CAPITAL) is not None:
                tag(m.start, m.end, ("PLACE",))
            i += 1
        for d in self.dates_in(sent):
            tag(d.start, d.end, ("DATE",))
        return Encoded(tokens, extra)

    # -- rule matches ------------------------------------------------------------------------
    def matches(self, index: int, rules: RuleSet) -> list[RuleMatch]:
        """Matches of ``rules`` in sentence ``index``: where two overlap, the earlier rule wins."""
        sent = self.sentences[index]
        cands = rules.candidates(sent.text, self.words(index))
        if not cands:
            return []
        order = {r.id: k for k, r in enumerate(cands)}
        found = sorted(
            self.encoded(index).matches(cands), key=lambda m: (order[m.rule.id], m.start)
        )
        kept: list[RuleMatch] = []
        for m in found:
            if not m.rule.get("inside") and any(
                m.start < k.end and k.start < m.end and not k.rule.get("inside") for k in kept
            ):
                continue
            kept.append(m)
        kept.sort(key=lambda m: m.start)
        return kept

    def cues(self, index: int, rules: RuleSet) -> list[Cue]:
        """Every match of the clause or context rules in sentence ``index`` (overlaps kept)."""
        key = (index, rules.name)
        hit = self._cues.get(key)
        if hit is None:
            sent = self.sentences[index]
            cands = rules.candidates(sent.text, self.words(index))
            hit = (
                [Cue(m.rule, m.start, m.end, m.slots) for m in self.encoded(index).matches(cands)]
                if cands
                else []
            )
            self._cues[key] = hit
        return hit

    def dates_in(self, sent: Sentence) -> list[DateMention]:
        j = bisect.bisect_left(self._date_starts, sent.start)
        out = []
        while j < len(self.dates) and self.dates[j].start < sent.end:
            out.append(self.dates[j])
            j += 1
        return out

    def tokens(self, index: int) -> list[Token]:
        return self.encoded(index).tokens

    def char_start(self, index: int, token: int) -> int:
        toks = self.tokens(index)
        if token < len(toks):
            return toks[token].start
        return self.sentences[index].end

    def char_end(self, index: int, token: int) -> int:
        """The end offset of the token before ``token`` (the end of a token span)."""
        toks = self.tokens(index)
        if token <= 0:
            return self.sentences[index].start
        return toks[min(token, len(toks)) - 1].end

    def refs(self, start: int, end: int) -> list[EntityRef]:
        return self.actors.refs_between(start, end)
