"""Document-level facts: agreements, topics, initiatives, relationship labels, attendees.

A language whose rules give them (``data/rules/<lang>/facts.yaml``: a signing phrase before a
kind of document the lexicon names, a list of people before "took part") and whose lexicon names
partnership labels is read by :func:`agreements_by_rules`, :func:`attendees_by_rules` and
:func:`relationships_by_lexicon`; English is read by the patterns below.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from communique.extractor.actors import ActorTable, EntityRef
from communique.extractor.analysis import Analysis
from communique.extractor.lexicon import (
    COUNTRY,
    DEMONYM,
    DOCUMENT,
    INITIATIVE,
    ORG,
    RELATION,
    Lexicon,
)
from communique.extractor.text import Sentence
from communique.resources import data_exists, load_yaml

_LIST_ITEM = re.compile(
    r",\s*(?:and\s+|as well as\s+)?[a-z][a-z\-]*(?:\s+[a-z][a-z\-]*){0,3}(?=[,.;]|\s+and\b|$)"
)


def _alt(words: Iterable[str]) -> str:
    return "|".join(
        re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


def _capital_either(word: str) -> str:
    """A word whose first letter may be either case ("[Pp]ermanent")."""
    first, rest = word[0], re.escape(word[1:]).replace(r"\ ", r"\s+")
    return f"[{first.upper()}{first.lower()}]{rest}" if first.isalpha() else re.escape(word)


@dataclass(frozen=True)
class _Patterns:
    sign: re.Pattern[str]
    doc_word: re.Pattern[str]
    title_end: re.Pattern[str]
    field_list: re.Pattern[str]
    title_lead: re.Pattern[str]
    title_tail: re.Pattern[str]
    relation: re.Pattern[str]
    relation_hint: re.Pattern[str]
    relation_weak: frozenset[str]
    attend: re.Pattern[str]
    not_yet: re.Pattern[str]
    pair_relation: re.Pattern[str]
    intensifiers: frozenset[str]
    bare_heads: frozenset[str]


@functools.cache
def _patterns(code: str) -> _Patterns:
    """The fact patterns of a language, built from ``data/lang/<code>/facts.yaml`` (English's
    when the language has none)."""
    name = (
        f"lang/{code}/facts.yaml"
        if data_exists(f"lang/{code}/facts.yaml")
        else "lang/en/facts.yaml"
    )
    w: dict[str, Any] = load_yaml(name) or {}

    def words(key: str) -> list[str]:
        return [str(x) for x in w.get(key) or ()]

    counts = _alt(words("signing_counts"))
    heads = "|".join(_capital_either(x) for x in words("relation_pair_heads"))
    own = "|".join(_capital_either(x) for x in words("relation_own_heads"))
    adjectives = "|".join(_capital_either(x) for x in words("relation_words"))
    relation_heads = _alt(words("relation_heads"))
    return _Patterns(
        sign=re.compile(
            rf"\b(?:{_alt(words('signing'))})\s+(?:(?:{_alt(words('signing_determiners'))})\s+)?"
            rf"(?:\d+\s+|(?:{counts})\s+)?",
            re.IGNORECASE,
        ),
        doc_word=re.compile(rf"(?:{_alt(words('documents'))})\b", re.IGNORECASE),
        title_end=re.compile(
            rf",(?! and)|;|\.(?:\s|$)|\band (?:{_alt(words('title_end_after_and'))})\b"
            rf"|\b(?:{_alt(words('title_end_words'))})\b"
        ),
        field_list=re.compile(rf"\b(?:{_alt(words('field_lists'))})\b"),
        title_lead=re.compile(rf"^(?:{_alt(words('title_leads'))})\s+"),
        title_tail=re.compile(rf"\s+(?:{_alt(words('title_tails'))}|on \w+day)\b.*$", re.DOTALL),
        relation=re.compile(
            rf"\b((?:(?:{adjectives}),?\s+(?:and\s+)?){{1,6}}(?:{relation_heads}))\b"
        ),
        relation_hint=re.compile(_alt(words("relation_hints")), re.IGNORECASE),
        relation_weak=frozenset(words("relation_weak")),
        attend=re.compile(rf"\b(?:{_alt(words('attendance'))})\b", re.IGNORECASE),
        not_yet=re.compile(rf"\b(?:{_alt(words('signing_not_yet'))})\s+(?:the\s+)?$", re.I),
        # a relationship named with its pair, any words before its head optional: "the
        # U.S.-Japan Alliance"; or the one the readout's parties have: "reaffirmed the alliance"
        pair_relation=re.compile(
            r"\b[A-Z][\w.']*(?:[ ][A-Z][\w.']*)??-[A-Z][\w.']*(?:[ ][A-Z][\w.']*)??\s+"
            rf"((?:[A-Za-z][a-z\-]+\s+){{0,4}}?(?:{heads}))\b"
            rf"|\b(?:{_alt(words('relation_own'))})\s+({own})\b"
        ),
        intensifiers=frozenset(words("relation_intensifiers")),
        bare_heads=frozenset(words("relation_bare_heads")),
    )


_LIST_NAME = re.compile(r"([A-Z][\w'\-]+(?:[ ][A-Z][\w'\-]+){1,3})")


@dataclass
class AgreementDraft:
    title: str
    start: int
    end: int
    parties: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    evidence: list[tuple[int, int]] = field(default_factory=list)


def find_agreements(
    text: str, sentences: list[Sentence], lex: Lexicon, code: str = "en"
) -> list[AgreementDraft]:
    pat = _patterns(code)
    out: dict[str, AgreementDraft] = {}
    for sent in sentences:
        for m in pat.sign.finditer(text, sent.start, sent.end):
            if pat.not_yet.search(text[max(sent.start, m.start() - 30) : m.start()]):
                continue  # "the upcoming signing of ...": not signed in this encounter
            rest_start = m.end()
            end_m = pat.title_end.search(text, rest_start, sent.end)
            rest_end = end_m.start() if end_m else sent.end
            # a list of fields continues past its commas: "on trade, agriculture and health"
            while end_m and text[rest_end] == ",":
                nxt = _LIST_ITEM.match(text, rest_end)
                if not nxt:
                    break
                rest_end = nxt.end()
                end_m = pat.title_end.search(text, rest_end, sent.end)
                rest_end = end_m.start() if end_m else sent.end
            phrase = text[rest_start:rest_end].strip()
            if pat.field_list.search(phrase):
                # "documents on cooperation in such fields as economy, trade, energy ..."
                list_end = re.search(r"\.(?:\s|$)", text[rest_start : sent.end])
                phrase = text[rest_start : rest_start + list_end.start() if list_end else sent.end]
                phrase = phrase.strip()
            dw = pat.doc_word.search(phrase)
            if not dw or dw.start() > 60:
                continue
            if m.group().lower().startswith("exchanged") and not dw:
                continue
            title = _clean_title(phrase, pat)
            if not title or len(title) < 6:
                continue
            key = _agreement_key(title)
            ev = (sent.start, sent.end)
            if key in out:
                if ev not in out[key].evidence:
                    out[key].evidence.append(ev)
                continue
            parties = []
            for lm in lex.find(title):
                c = lm.first(COUNTRY, DEMONYM)
                if c is not None and c.key not in parties:
                    parties.append(c.key)
            topics = sorted({t for _, _, t in lex.find_topics(title)})
            out[key] = AgreementDraft(
                title=title,
                start=rest_start,
                end=rest_start + len(phrase),
                parties=parties,
                topics=topics,
                evidence=[ev],
            )
    return list(out.values())


def _clean_title(phrase: str, pat: _Patterns) -> str:
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.I)
    phrase = pat.title_lead.sub("", phrase)
    phrase = pat.title_tail.sub("", phrase)
    return phrase.strip(" ,.;:\"'")


def _agreement_key(title: str) -> str:
    words = re.findall(r"[a-z]+", title.lower())
    stop = {"the", "a", "an", "of", "on", "and", "between", "in", "for", "bilateral", "to"}
    return " ".join(w for w in words if w not in stop)


def find_topics(text: str, lex: Lexicon) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for s, e, topic in lex.find_topics(text):
        out.setdefault(topic, []).append((s, e))
    return out


def find_initiatives(
    actors: ActorTable,
) -> dict[str, tuple[str | None, list[tuple[int, int]]]]:
    out: dict[str, tuple[str | None, list[tuple[int, int]]]] = {}
    for m in actors.matches:
        e = m.first(INITIATIVE)
        if e is None:
            continue
        owner = e.extra[0] if e.extra else None
        out.setdefault(e.key, (owner, []))[1].append((m.start, m.end))
    return out


def find_relationships(
    text: str, sentences: list[Sentence], lex: Lexicon, default_pair: list[str], code: str = "en"
) -> list[tuple[tuple[str, ...], str, tuple[int, int]]]:
    """Relationship labels with the country pair they qualify."""
    pat = _patterns(code)
    out: list[tuple[tuple[str, ...], str, tuple[int, int]]] = []
    if not pat.relation_hint.search(text):
        return out
    for sent in sentences:
        if not pat.relation_hint.search(sent.text):
            continue
        found = list(pat.relation.finditer(text, sent.start, sent.end))
        spans = [(m.start(1), m.end(1)) for m in found]
        for pm2 in pat.pair_relation.finditer(text, sent.start, sent.end):
            g = 1 if pm2.group(1) else 2
            if not any(s <= pm2.start(g) < e or pm2.start(g) <= s < pm2.end(g) for s, e in spans):
                found.append(pm2)
        for m in sorted(found, key=lambda x: x.start(x.lastindex or 1)):
            g = m.lastindex or 1
            words = re.sub(r"\s+", " ", m.group(g)).lower().strip().split()
            while len(words) > 1 and words[0] in pat.intensifiers:
                words = words[1:]  # "ironclad alliance": the alliance
            label = " ".join(words)
            # "Kazakhstan-China permanent comprehensive strategic partnership"
            before = text[max(sent.start, m.start(g) - 60) : m.start(g)]
            pair: list[str] = []
            pm = re.search(r"([A-Z][\w.'\- ]+?)-([A-Z][\w.' ]+?)\s+$", before)
            if pm:
                for lm in lex.find(pm.group(0)):
                    c = lm.first(COUNTRY, DEMONYM, ORG)
                    if c is not None and c.key not in pair:
                        pair.append(c.key)
                if len(pair) != 2:
                    continue  # "the Russia-Africa partnership": not between two countries
            elif label in pat.bare_heads or (len(words) == 2 and words[0] in pat.relation_weak):
                continue  # no kind of relationship named, and no pair
            if len(pair) != 2:
                pair = []
                for lm in lex.find(text[sent.start : sent.end]):
                    c = lm.first(COUNTRY, DEMONYM)
                    if c is not None and c.key not in pair:
                        pair.append(c.key)
                if len(pair) != 2:
                    pair = list(default_pair) if len(default_pair) == 2 else []
            if len(pair) == 2:
                out.append((tuple(sorted(pair)), label, (m.start(g), m.end(g))))
    return out


def find_attendee_sentences(sentences: list[Sentence], code: str = "en") -> list[Sentence]:
    attend = _patterns(code).attend
    return [s for s in sentences if attend.search(s.text)]


def list_names(sentence: Sentence, code: str = "en") -> list[tuple[int, int, str]]:
    """Names in a list before "were present" / "among others": "Cai Qi, Wang Yi, and Qin Gang"."""
    head_end = len(sentence.text)
    m = _patterns(code).attend.search(sentence.text)
    if m:
        head_end = m.start()
    others = re.search(r",?\s*among others", sentence.text)
    if others and others.start() < head_end:
        head_end = others.start()
    head = sentence.text[:head_end]
    if not re.fullmatch(r"[\w'\- ,.]+", head.strip() or "x"):
        return []
    out = []
    for nm in _LIST_NAME.finditer(head):
        out.append((sentence.start + nm.start(1), sentence.start + nm.end(1), nm.group(1)))
    return out


# -- languages whose facts are rules and lexicon entries ----------------------------------------
_OPEN, _CLOSE = "\u300a", "\u300b"  # the brackets of a title: 《联合声明》


def agreements_by_rules(an: Analysis) -> list[AgreementDraft]:
    """The documents signed, adopted or issued: every kind of document the lexicon names after a
    signing phrase of the fact rules, titled in the contract's words with the text's own title
    beside it ("Joint Statement (中华人民共和国和越南社会主义共和国联合声明)")."""
    out: dict[str, AgreementDraft] = {}
    text, lex = an.text, an.lex
    for i, sent in enumerate(an.sentences):
        if not an.might_match(i, an.grammar.facts):
            continue
        cues = [c for c in an.cues(i, an.grammar.facts) if c.rule.get("role") == "agreement"]
        if not cues:
            continue
        start = min(an.char_start(i, c.start) for c in cues)
        for m in an.actors.matches:
            if not (start <= m.start and m.end <= sent.end):
                continue
            doc = m.first(DOCUMENT)
            if doc is None:
                continue
            opened = text.rfind(_OPEN, sent.start, m.start)
            closed = text.find(_CLOSE, m.end, sent.end)
            if opened >= 0 and closed >= 0 and _CLOSE not in text[opened : m.start]:
                written, s, e = text[opened + 1 : closed], opened, closed + 1
            else:
                written, s, e = text[m.start : m.end], m.start, m.end
            title = f"{doc.key} ({written})"
            if title in out:
                continue
            parties: list[str] = []
            for lm in lex.find(written):
                c = lm.first(COUNTRY, DEMONYM)
                if c is not None and c.key not in parties:
                    parties.append(c.key)
            topics = sorted({t for _, _, t in lex.find_topics(written)})
            out[title] = AgreementDraft(title, s, e, parties, topics, [(sent.start, sent.end)])
    return list(out.values())


def attendees_by_rules(an: Analysis) -> list[EntityRef]:
    """The people a fact rule of role ``attendance`` lists ("王毅、何立峰等参加会见"): the persons
    the text names there, and each other name of the list."""
    out: list[EntityRef] = []
    lang = an.grammar.lang
    for i in range(len(an.sentences)):
        if not an.might_match(i, an.grammar.facts):
            continue
        for cue in an.cues(i, an.grammar.facts):
            span = cue.slots.get("names")
            if cue.rule.get("role") != "attendance" or not span:
                continue
            s, e = an.char_start(i, span[0]), an.char_end(i, span[1])
            refs = [r for r in an.actors.refs_between(s, e) if r.kind == "person"]
            out.extend(refs)
            covered = [(r.start, r.end) for r in refs]
            for ps, pe, name in _listed(an.text, s, e, lang.joiners):
                if not any(cs < pe and ps < ce for cs, ce in covered):
                    out.append(EntityRef(ps, pe, "person", name, None))
    return out


def _listed(
    text: str, start: int, end: int, joiners: tuple[str, ...]
) -> list[tuple[int, int, str]]:
    """The items of a list written with the language's joiners ("蔡奇、王毅"): short ones only."""
    if not joiners:
        return []
    pattern = re.compile("|".join(re.escape(j) for j in sorted(joiners, key=len, reverse=True)))
    out = []
    pos = start
    for m in [*pattern.finditer(text, start, end), None]:
        stop = m.start() if m is not None else end
        item = text[pos:stop]
        if 2 <= len(item.strip()) <= 4 and item.strip().isalpha():
            s = pos + (len(item) - len(item.lstrip()))
            out.append((s, s + len(item.strip()), item.strip()))
        if m is not None:
            pos = m.end()
    return out


def relationships_by_lexicon(
    an: Analysis, default_pair: list[str]
) -> list[tuple[tuple[str, ...], str, tuple[int, int]]]:
    """Partnership labels the lexicon names ("全面战略伙伴关系": comprehensive strategic
    partnership), each with the two countries its sentence names, else the main encounter's."""
    out: list[tuple[tuple[str, ...], str, tuple[int, int]]] = []
    for m in an.actors.matches:
        rel = m.first(RELATION)
        if rel is None:
            continue
        sent = next((x for x in an.sentences if x.start <= m.start < x.end), None)
        if sent is None:
            continue
        named = []
        for r in an.actors.refs_between(sent.start, sent.end):
            if r.kind == "state" and r.country and r.country not in named:
                named.append(r.country)
        pair = named if len(named) == 2 else []
        if not pair and len(default_pair) == 2 and set(named) <= set(default_pair):
            pair = list(default_pair)
        if len(pair) == 2:
            out.append((tuple(sorted(pair)), rel.key, (m.start, m.end)))
    return out
