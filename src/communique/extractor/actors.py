"""Actors: people (with titles and countries), states and organisations, one per real entity.

Persons are found where a title names them ("President Xi Jinping", "Estonian Foreign Minister
Urmas Reinsalu", "Foreign Minister of Russia Sergey Lavrov", "Kassym-Jomart Tokayev, President of
Kazakhstan") or where the people lexicon knows them. Every later mention is resolved to the same
actor: surnames ("Tokayev"), titled references ("the Chinese President", "the Secretary") and
plural references ("the two heads of state", resolved by the encounter that owns them).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from communique.extractor.language import Language
from communique.extractor.lexicon import (
    CAPITAL,
    COUNTRY,
    DEMONYM,
    INITIATIVE,
    ORG,
    PERSON,
    PLACE,
    TITLE,
    Lexicon,
    Match,
)

_GAP = re.compile(r"[ ]+")
_RUN_TOKEN = re.compile(r"[ ]*(,|&|\([A-Z]{2,8}\)|-[A-Za-z]+|[A-Z]\.|[^\W\d_][\w'\-]*)")
# what may stand between a title and a known surname: capitalised words and words broken by a
# stray space ("A lexander"), never a lowercase word ("the President of Iran informed Putin")
_BROKEN_NAME = re.compile(r"(?:[ ]*(?:[A-Z][\w'\-]*|[A-Z] [a-z]+|of|the))*[ ]*")
_UPPER = "A-Z\u00c0-\u00de\u0100-\u017f"
_LETTER = "A-Za-z\u00c0-\u024f"
_LATIN = re.compile(f"[{_LETTER}]")
_LONGEST_NAME = 200  # characters: no person mention is longer (how far back covers() looks)


def _alternation(words: Iterable[str]) -> str:
    """An alternation of the words, longest first; one that never matches when there are none
    (a language without first-person releases)."""
    body = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return body or "(?!)"


@dataclass(frozen=True)
class _Words:
    """The language's words that person recognition reads, with the patterns built from them."""

    name_token: re.Pattern[str]
    honorific: re.Pattern[str]
    honorifics: frozenset[str]
    particle_name: re.Pattern[str]
    particles: frozenset[str]
    next_is_name: re.Pattern[str]
    connectors: frozenset[str]
    prepositions: frozenset[str]
    break_words: frozenset[str]
    qualifiers: frozenset[str]
    principal_roles: frozenset[str]
    plural_refs: re.Pattern[str]
    # what, right before a plural reference, makes it none ("со своей стороны": "for its part")
    plural_not_after: re.Pattern[str] | None
    pronoun: re.Pattern[str]
    first_person: re.Pattern[str]
    principal_titles: dict[str, str]
    role_words: dict[str, tuple[str, ...]]
    # a title alone names its holder, with no article ("Президент России поделился ...")
    titles_refer: bool = False
    # what may join a title to the country of its office: "of" ("President of Kazakhstan");
    # None where a country right after a title is its genitive ("Президент Турции")
    of_preps: frozenset[str | None] = frozenset({"of"})


@functools.cache
def words_of(lang: Language) -> _Words:
    """The patterns person recognition needs, built once from the language's word lists."""
    particles = lang.name_particles
    lower_particles = [p for p in particles if p.islower()]
    bd = "" if lang.unspaced else r"\b"  # no word boundaries in text without spaces
    plural = []
    for phrase in lang.plural_references:
        body = re.escape(phrase)
        if " " not in phrase and phrase[:1].isupper():
            # "Both agreed", "They discussed", "Стороны договорились"; not "Both Russia and China"
            body += r"(?= [^\W\d_])(?! [A-ZÀ-ÞА-ЯЁ])"
        plural.append(body)
    return _Words(
        name_token=re.compile(
            rf"(?:(?:{_alternation(particles)})[\s\-])*"
            rf"(?:[{_UPPER}][{_LETTER}'\-]*[a-z\u00df-\u024f]|[A-Z]{{3,}}(?![a-z])|[A-Z]\.|[A-Z][a-z]?)"
            r"(?:-[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u024f']+)*"
        ),
        honorific=re.compile(rf"\b(?:{_alternation(lang.honorific_phrases)})\.?[ ]+"),
        honorifics=lang.honorifics,
        # a particle, a hyphen and a capitalised word (any script: "al-Sudani", "ас-Сиси")
        particle_name=re.compile(
            rf"(?:{_alternation(lang.hyphen_particles)})-(?=[^\W\d_a-z])[\w']+"
        ),
        particles=frozenset(p.lower() for p in particles),
        next_is_name=re.compile(rf"(?:[ ]+(?:{_alternation(lower_particles)}))*[ ]+([^\W\d_])"),
        connectors=lang.title_connectors,
        prepositions=lang.title_prepositions,
        break_words=lang.break_words,
        qualifiers=lang.qualifiers,
        principal_roles=lang.principal_roles | {"organization_head"},
        plural_refs=re.compile(
            rf"{bd}(?:{'|'.join(sorted(plural, key=len, reverse=True)) or '(?!)'}){bd}"
        ),
        plural_not_after=(
            re.compile(f"(?:{lang.words['plural_not_after']})$")
            if lang.words.get("plural_not_after")
            else None
        ),
        pronoun=re.compile(rf"{bd}(?:{_alternation(lang.pronouns)}){bd}"),
        first_person=re.compile(rf"{bd}(?:{_alternation(lang.first_person)}){bd}"),
        principal_titles=dict(lang.words.get("principal_titles") or {}),
        role_words=lang.role_words,
        titles_refer=lang.words.get("title_reference") == "title",
        of_preps=frozenset(
            {"of", None} if lang.words.get("title_country") == "genitive" else {"of"}
        ),
    )


@dataclass
class _RunItem:
    kind: str  # person | title | country | office | name | conn | other
    start: int
    end: int
    prep: str | None
    match: Match | None = None
    word: str = ""


@dataclass
class Person:
    name: str
    country: str | None = None
    country_explicit: bool = False
    titles: list[str] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    known: bool = False  # from the people lexicon
    forms: list[str] = field(default_factory=list)  # the name as the text spells it
    named: bool = True  # False: an office holder the text never names

    @property
    def display(self) -> str:
        """The name as the text spells it, completed from the lexicon when the text gives only
        a surname ("President Zelenskyy" -> "Volodymyr Zelenskyy")."""
        if not self.forms:
            return self.name
        best = max(self.forms, key=lambda f: (len(f.split(" ")), len(f)))
        if len(best.split(" ")) > 1 or not self.known or not _LATIN.search(best):
            return best  # a full name, an unknown one, or one in another script ("习近平")
        parts = self.name.split(" ")
        return " ".join([*parts[:-1], best]) if parts[-1] != best else self.name

    @property
    def tokens(self) -> list[str]:
        return [t for t in re.split(r"[ ]+", self.name) if t]

    @property
    def first(self) -> int:
        return min(s for s, _ in self.mentions) if self.mentions else 1 << 30


@dataclass
class EntityRef:
    """An actor reference in the text: a person, a state, an organisation, or a plural/titled one."""

    start: int
    end: int
    kind: str  # person | state | org | plural | pronoun | initiative
    key: str  # person name, ISO3, org code, initiative name; "" for plural/pronoun
    country: str | None = None
    via_demonym: bool = False


@dataclass
class ActorTable:
    persons: dict[str, Person]
    refs: list[EntityRef]  # every actor reference, sorted by offset
    states: dict[str, list[tuple[int, int]]]
    orgs: dict[str, list[tuple[int, int]]]
    matches: list[Match]
    flags: list[str] = field(default_factory=list)  # countries of flag emoji, in text order

    def __post_init__(self) -> None:
        self._starts = [r.start for r in self.refs]

    def refs_between(self, start: int, end: int) -> list[EntityRef]:
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.refs) and self.refs[i].start < end:
            r = self.refs[i]
            if r.end <= end:
                out.append(r)
            i += 1
        return out


def _country_of_match(m: Match) -> tuple[str, str] | None:
    e = m.first(COUNTRY, DEMONYM, CAPITAL)
    if e is not None:
        return e.key, e.kind
    o = m.first(ORG)
    if o is not None:
        return o.key, ORG
    return None


def _skip_gap(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


class _Builder:
    def __init__(
        self, text: str, lex: Lexicon, default_country: str | None, lang: Language
    ) -> None:
        self.text = text
        self.lex = lex
        self.lang = lang
        self.w = words_of(lang)
        self.default_country = default_country
        self.matches = lex.find(text)
        self.by_start = {m.start: m for m in self.matches}
        self.persons: dict[str, Person] = {}
        self.person_spans: list[tuple[int, int, str]] = []  # (start, end, person key)
        self._spans: list[tuple[int, int]] = []  # the same spans, sorted: what covers() reads
        self.title_refs: list[tuple[int, int, str, str | None]] = []  # titled references

    # -- words -------------------------------------------------------------------------------
    def _listed(self, word: str, words: frozenset[str]) -> bool:
        """Whether a word is in a list of names.yaml: as written, or (where the language has a
        morphology) by one of its dictionary forms ("Комитета": комитет)."""
        if word in words:
            return True
        return self.lang.morphology is not None and any(
            f in words for f in self.lang.lemmas(word.lower())
        )

    def _office(self, word: str) -> bool:
        return self._listed(word, self.lex.office_words)

    def _stop(self, word: str) -> bool:
        return self._listed(word, self.lex.stopwords)

    def _next_is_name(self, pos: int) -> bool:
        """Whether a capitalised word (any script) follows, after any lowercase particles."""
        m = self.w.next_is_name.match(self.text, pos)
        return m is not None and m.group(1).isupper()

    def _not_name(self, word: str) -> bool:
        """A word the language's grammar says is no name (a verb, an adjective: the class
        `not_name` of classes.yaml's grammemes)."""
        return "not_name" in self.lang.word_classes(word.lower())

    # -- person spans --------------------------------------------------------------------------
    def add_span(self, start: int, end: int, key: str) -> None:
        self.person_spans.append((start, end, key))
        bisect.insort(self._spans, (start, end))

    def covers(self, pos: int) -> bool:
        """Whether a person mention found so far covers ``pos`` (a binary search, not a scan:
        a long text names people thousands of times)."""
        return self.overlaps(pos, pos + 1)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a person mention found so far overlaps ``start:end``."""
        i = bisect.bisect_left(self._spans, (end, -1)) - 1
        while i >= 0:
            s, e = self._spans[i]
            if e > start:
                return True
            if start - s > _LONGEST_NAME:
                return False
            i -= 1
        return False

    # -- person recognition ------------------------------------------------------------------
    def name_at(self, pos: int) -> tuple[int, int, str] | None:
        """A personal name starting at ``pos``: up to five name tokens, none an office word."""
        pos = _skip_gap(self.text, pos)
        hm = self.w.honorific.match(self.text, pos)
        if hm:
            pos = hm.end()
        start = pos
        end = pos
        tokens: list[str] = []
        while len(tokens) < 5:
            lm = self.by_start.get(pos)
            if lm is not None:
                pe = lm.first(PERSON)
                if pe is not None and not tokens:
                    return start, lm.end, self.text[start : lm.end]
                if lm.first(COUNTRY, DEMONYM, CAPITAL, ORG, TITLE, INITIATIVE) is not None:
                    break
            m = self.w.name_token.match(self.text, pos)
            if not m:
                break
            tok = m.group()
            possessive = tok.endswith("'s")
            if possessive:
                tok = tok[:-2]
            if self._office(tok) or self._stop(tok):
                break
            tokens.append(tok)
            end = m.start() + len(tok)
            if possessive:
                break
            gm = _GAP.match(self.text, end)
            if not gm:
                break
            pos = gm.end()
        if not tokens:
            return None
        # a name is not a bare initial, and a lone token must look like a surname
        if all(len(t.rstrip(".")) <= 1 for t in tokens):
            return None
        # trailing initials/particles are not part of a name
        while tokens and len(tokens[-1].rstrip(".")) <= 1:
            tokens.pop()
            end = self.text.rfind(tokens[-1], start, end) + len(tokens[-1]) if tokens else start
        if not tokens:
            return None
        return start, end, self.text[start:end]

    def country_before(self, title: Match) -> tuple[str | None, int]:
        """A country, demonym or organisation qualifying a title from the left.

        "Estonian Foreign Minister", "Russia's Deputy Foreign Minister", "Australia Department of
        Foreign Affairs and Trade Secretary", "UN Secretary-General"; not "President Yoon of the
        Republic of Korea and Prime Minister ..." (that country belongs to the earlier title).
        """
        pos = title.start
        idx = self._match_index_before(pos)
        steps = 0
        while idx >= 0 and steps < 10:
            m = self.matches[idx]
            between = self.text[m.end : pos]
            if "\n" in between or not _only_office_words(between, self.lex, self.w.qualifiers):
                break  # not across a line: "Tallinn" (a place line) does not qualify "President"
            c = _country_of_match(m)
            if c is not None:
                before = self.text[max(0, m.start - 8) : m.start]
                # "... of the Republic of Korea and Prime Minister X": an earlier title's
                # country; "spoke to Finnish President-elect X": a nationality all the same
                if c[1] != DEMONYM and re.search(r"\b(?:of|for|to|in|at)(?: the)?\s*$", before):
                    break
                return c[0], m.start
            if m.first(TITLE) is None:
                break
            pos = m.start
            idx -= 1
            steps += 1
        return None, title.start

    def _match_index_before(self, pos: int) -> int:
        lo, hi = 0, len(self.matches)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.matches[mid].end <= pos:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    def title_run(self, title: Match) -> tuple[list[_RunItem], bool]:
        """The capitalised phrase that follows a title, as typed items, up to a lowercase word.

        "President of Kazakhstan Kassym-Jomart Tokayev", "Minister of Foreign Affairs, African
        Cooperation and Moroccan Expatriates Nasser Bourita", "Special Representative for Korean
        Peninsula Affairs Liu Xiaoming", "President Kassym-Jomart Tokayev of Kazakhstan".
        """
        text = self.text
        lead = text[max(0, title.start - 60) : title.start]
        # "the President", "The Azerbaijani President": a definite office, complete in itself
        coordinated = bool(re.search(r"\b[Tt]he\s+(?:[A-Z][\w\-']+\s+){0,3}$", lead))
        items: list[_RunItem] = []
        pos = title.end
        prep: str | None = None
        for _ in range(40):
            p = _skip_gap(text, pos)
            if p >= len(text) or text[p] in '.;:!?\n"':
                break
            m = self.by_start.get(p)
            if m is not None:
                if m.first(PERSON) is not None:
                    items.append(_RunItem("person", m.start, m.end, prep, m))
                elif m.first(TITLE) is not None:
                    complete = any(x.kind == "country" and x.prep in self.w.of_preps for x in items)
                    if coordinated or complete:
                        # "The Prime Minister of Canada and Albanian Prime Minister Horvat", "X,
                        # Foreign Minister of Portugal, and External Affairs Minister Y": a second
                        # person's title after "and" (and their nationality)
                        k = len(items)
                        while k and items[k - 1].kind == "country":
                            k -= 1
                        while k and items[k - 1].kind == "conn" and items[k - 1].word in (",", "&"):
                            k -= 1
                        if (
                            k
                            and items[k - 1].kind == "conn"
                            and items[k - 1].word in self.lang.and_words
                        ):
                            del items[k - 1 :]
                            while items and items[-1].kind == "conn":
                                items.pop()
                            break
                    items.append(_RunItem("title", m.start, m.end, prep, m))
                    prep = None
                elif (
                    m.first(COUNTRY, DEMONYM, ORG) is None
                    and m.first(CAPITAL)
                    and (prep != "of" and self._next_is_name(m.end))
                ):
                    # "Foreign Minister Stanley Kakubo": a capital's name used as a given name
                    items.append(_RunItem("name", m.start, m.end, prep, m, text[m.start : m.end]))
                elif m.first(COUNTRY, DEMONYM, CAPITAL, ORG) is not None:
                    items.append(_RunItem("country", m.start, m.end, prep, m))
                elif (
                    m.first(PLACE) is not None
                    and " " not in text[m.start : m.end]
                    and None not in self.w.of_preps
                ):
                    # a one-word place name inside a person's name ("Tete Antonio"); where a
                    # genitive follows a title, a place there is the office's ("Президентом
                    # Абхазии")
                    items.append(_RunItem("name", m.start, m.end, prep, m, text[m.start : m.end]))
                else:
                    items.append(_RunItem("other", m.start, m.end, prep, m))
                pos = m.end
                continue
            if text[p] == "(":
                inner = self.by_start.get(p + 1)
                if (
                    inner is not None
                    and inner.end < len(text)
                    and text[inner.end] == ")"
                    and inner.first(COUNTRY, DEMONYM, ORG) is not None
                ):
                    # "Secretary General of the Organization for ... (OECD) Mathias Cormann"
                    items.append(_RunItem("country", inner.start, inner.end, prep, inner))
                    pos = inner.end + 1
                    continue
            tm = _RUN_TOKEN.match(text, p)
            if not tm:
                break
            word = tm.group(1)
            ws, we = tm.start(1), tm.end(1)
            bare = word.rstrip(".")
            if word in (",", "&") or word.startswith("("):
                items.append(_RunItem("conn", ws, we, prep, None, word))
            elif word.startswith("-"):
                items.append(_RunItem("office", ws, we, prep, None, word))  # "-Designate", "-elect"
            elif bare in self.w.honorifics:
                if word == bare and we < len(text) and text[we] == ".":
                    we += 1
                items.append(_RunItem("hon", ws, we, prep, None, bare))
            elif (self.w.particle_name.fullmatch(word) and word.split("-", 1)[1][:1].isupper()) or (
                word.lower() in self.w.particles and self._next_is_name(we)
            ):
                items.append(_RunItem("name", ws, we, prep, None, word))
            elif word[0].islower():
                low = word.lower()
                if low in self.w.connectors:
                    if low in self.w.prepositions:
                        prep = low
                    items.append(_RunItem("conn", ws, we, prep, None, low))
                else:
                    break
            elif word.endswith("'s"):
                if word[:-2] and not self._office(word[:-2]):
                    items.append(_RunItem("name", ws, we - 2, prep, None, word[:-2]))
                break
            elif self._office(word):
                items.append(_RunItem("office", ws, we, prep, None, word))
            elif word in self.w.break_words or self._not_name(word):
                break
            elif self._stop(word):
                items.append(_RunItem("office", ws, we, prep, None, word))
            else:
                items.append(_RunItem("name", ws, we, prep, None, word))
            pos = we
        while items and items[-1].kind == "conn":
            items.pop()
        return items, coordinated

    def name_in_run(self, items: list[_RunItem]) -> tuple[int, int, str] | None:
        """The first name segment of a title run that is not itself part of an office name."""
        i = 0
        while i < len(items):
            it = items[i]
            if it.kind == "person":
                prev = items[i - 1] if i > 0 else None
                if prev is not None and prev.kind == "conn" and prev.word == "the" and i >= 2:
                    prev = items[i - 2]
                if prev is not None and prev.kind == "conn" and prev.word in self.lang.and_words:
                    return None  # "the Iraqi Prime Minister and Melanie Joly": someone else
                return it.start, it.end, self.text[it.start : it.end]
            if it.kind != "name":
                i += 1
                continue
            j = i
            while (
                j + 1 < len(items)
                and (
                    items[j + 1].kind == "name"
                    or (
                        items[j + 1].kind == "hon"
                        and j + 2 < len(items)
                        and items[j + 2].kind == "name"
                    )
                )
                and self.text[items[j].end : items[j + 1].start].strip() in ("", "-")
            ):
                j += 1
            seg = items[i : j + 1]
            nxt = items[j + 1] if j + 1 < len(items) else None
            prev = items[i - 1] if i > 0 else None
            followed_by_office = (
                nxt is not None
                and nxt.kind in ("office", "title")
                and not self.text[seg[-1].end : nxt.start].strip()
            )
            adjacent = prev is None or prev.kind in ("title", "office", "country", "hon")
            if prev is not None and prev.kind == "conn" and prev.word == "the" and i >= 2:
                prev = items[i - 2]  # "... and the Right Honourable Christopher Luxon"
            if prev is not None and prev.kind == "conn" and prev.word in self.lang.and_words:
                return None  # "the Iraqi Prime Minister and Melanie Joly": someone else
            words = [x.word for x in seg if x.word[:1].isupper()]
            real = [w for w in words if len(w.rstrip(".")) > 1]
            after = items[j + 2] if j + 2 < len(items) else None
            if (
                len(words) == 1
                and nxt is not None
                and nxt.kind == "conn"
                and (
                    nxt.word in ("for", "on", "to")
                    or (
                        nxt.word in self.lang.and_words
                        and after is not None
                        and after.kind == "office"
                    )
                )
            ):
                followed_by_office = True
            if not followed_by_office and real and (len(words) >= 2 or adjacent):
                start, end = seg[0].start, seg[-1].end
                # trailing initials are not part of a name
                while seg and len(seg[-1].word.rstrip(".")) <= 1:
                    seg = seg[:-1]
                    end = seg[-1].end if seg else start
                if seg:
                    return start, end, self.text[start:end]
            i = j + 1
        return None

    def add_person(
        self,
        start: int,
        end: int,
        name: str,
        *,
        country: str | None,
        explicit: bool,
        titles: list[str],
        spelled: str | None = None,
        cases: frozenset[str] = frozenset(),
    ) -> None:
        """A person mention; ``spelled``: the name as the text writes it, when ``name`` is
        already the canonical one; ``cases``: the grammatical cases the title before the name
        puts it in."""
        canonical_given = spelled is not None
        spelled = re.sub(r"\s+", " ", spelled or name).strip()
        if self.lang.analyser is not None and not canonical_given:
            # an inflected name, as a reader cites it: in the nominative ("с Президентом ...
            # Ахмедом Шараа" -> "Ахмед Шараа"), read in the case of the title before it
            spelled = self.lang.nominative_name(
                spelled, cases or self.lang.cases(spelled.split(" ")[0])
            )
            name = spelled
        lm = self.by_start.get(start)
        if lm is not None and lm.end == end:
            known = lm.first(PERSON)
            if known is not None:
                name = known.key
                spelled = self.lex.written.get(name, spelled)
        if " " not in name.strip():
            # a surname alone ("Prime Minister Kishida") that the people lexicon knows uniquely,
            # or whose office tells between namesakes ("Foreign Minister Wang": Wang Yi)
            full = self.lex.surnames.get(name.strip(), set())
            if len(full) > 1 and titles:
                full = {n for n in full if self._held(n, titles)} or full
            if len(full) == 1 and not any(
                name.strip() in q.tokens and q.name not in full for q in self.persons.values()
            ):
                name = next(iter(full))
        if re.search(r"\b[A-Z]{3,}\b", name):
            # "KAMIKAWA Yoko" (Japanese style): the surname in capitals
            name = " ".join(t.title() if t.isupper() and len(t) > 2 else t for t in name.split(" "))
            if name not in self.lex.people:
                swapped = " ".join(reversed(name.split(" ")))
                if swapped in self.lex.people:
                    name = swapped
        key = self._resolve_name(name)
        p = self.persons.get(key)
        if p is None:
            p = Person(name=key)
            self.persons[key] = p
            known_country = self.lex.people.get(key)
            if known_country:
                p.country = known_country
                p.known = True
        if country and (explicit or not p.country_explicit):
            p.country = country
            p.country_explicit = p.country_explicit or explicit
        for t in titles:
            if t not in p.titles:
                p.titles.append(t)
                p.roles.add(self.lex.title_roles.get(t, "official"))
        if (start, end) not in p.mentions:
            p.mentions.append((start, end))
        if spelled not in p.forms and not spelled.isupper():
            p.forms.append(spelled)
        self.add_span(start, end, key)

    def _resolve_name(self, name: str) -> str:
        """The key of an existing person this name refers to, or the name itself."""
        name = re.sub(r"\s+", " ", name).strip()
        if name in self.persons:
            return name
        toks = name.split(" ")
        if self.lang.analyser is not None:
            # a name the lexicon spells otherwise ("Мухаммед Бен Заид ..."): the person whose
            # name as written has the same words
            folded = name.casefold().replace("ё", "е")
            for key, p in self.persons.items():
                if any(f.casefold().replace("ё", "е") == folded for f in p.forms):
                    return key
        for key, p in self.persons.items():
            ptoks = p.tokens
            if len(toks) < len(ptoks) and all(t in ptoks for t in toks):
                return key
            if len(toks) > len(ptoks) and all(t in toks for t in ptoks):
                # a longer form of a name seen first in short: keep the longer one
                self.persons[name] = self.persons.pop(key)
                self.persons[name].name = name
                self.person_spans = [
                    (s, e, name if k == key else k) for s, e, k in self.person_spans
                ]
                return name
        return name

    def find_titled_persons(self) -> None:
        text = self.text
        for m in self.matches:
            t = m.first(TITLE)
            if t is None:
                continue
            if self.covers(m.start):
                continue
            country_left, _ = self.country_before(m)
            if country_left is None and len(t.extra) > 1:
                country_left = t.extra[1]  # an office whose form names its state
            items, _coordinated = self.title_run(m)
            found = self.name_in_run(items)
            titles = [t.key] + [
                x.match.first(TITLE).key  # type: ignore[union-attr]
                for x in items
                if x.kind == "title" and (found is None or x.start < found[0])
            ]
            if found is not None:
                s, e, name = found
                country = self._nationality(
                    country_left, _run_country(items, s, self.lang.and_words)
                )
                self.add_person(
                    s,
                    e,
                    name,
                    country=country,
                    explicit=country is not None,
                    titles=titles,
                    cases=self.lang.cases(text[m.start : m.end].split(" ")[0]),
                )
                continue
            # a surname the people lexicon knows, just after the title despite a typo or an
            # unusual word between ("President of Belarus A lexander Lukashenko")
            known = self._known_surname_after(m.end)
            if known is not None:
                s, e, name = known
                country = self._nationality(
                    country_left, _run_country(items, s, self.lang.and_words)
                )
                self.add_person(
                    s, e, name, country=country, explicit=country is not None, titles=titles
                )
                continue
            # a titled reference without a name: "the Chinese President", "the Secretary",
            # "the Prime Minister of Italy"
            lead = text[max(0, m.start - 40) : m.start]
            if "plural" in self.lang.word_classes(text[m.start : m.end].split(" ")[0].lower()):
                continue  # "Президенты обсудили": the parties together, not one office holder
            if (
                self.w.titles_refer
                or re.search(r"\b(?:the|The)\s+(?:[A-Z][\w\-']+\s+){0,2}$", lead)
                or m.start == 0
                or country_left is not None
            ):
                country = country_left or _office_country(
                    items, self.w.of_preps, self.lang.and_words
                )
                self.title_refs.append((m.start, m.end, t.key, country))

    def _held(self, name: str, titles: list[str]) -> bool:
        """Whether the people lexicon lists ``name`` in an office that one of ``titles`` names."""
        offices = self.lex.person_offices.get(name, ())
        for t in titles:
            role = self.lex.title_roles.get(t, "")
            words = [t.lower(), *self.w.role_words.get(role, ())]
            if any(w in office for office in offices for w in words):
                return True
        return False

    def _nationality(self, left: str | None, run: str | None) -> str | None:
        """A state named after the name ("... Albanese of Australia") is the person's own even
        when an organisation qualifies the title ("2024 G20 Chair Prime Minister ...")."""
        if (
            left is not None
            and run is not None
            and left not in self.lex.country_names
            and run in self.lex.country_names
        ):
            return run
        return left or run

    def _known_surname_after(self, pos: int) -> tuple[int, int, str] | None:
        window = self.text[pos : pos + 40].split("\n", 1)[0].split(".", 1)[0]
        for wm in re.finditer(r"[A-Z][\w'\-]+", window):
            full = self.lex.surnames.get(wm.group(), set())
            if len(full) == 1 and _BROKEN_NAME.fullmatch(window[: wm.start()]):
                return pos + wm.start(), pos + wm.end(), next(iter(full))
        return None

    def find_appositives(self) -> None:
        """ "Kassym-Jomart Tokayev, President of Kazakhstan" and "Sergey Lavrov, Russia's ..."."""
        text = self.text
        for m in self.matches:
            t = m.first(TITLE)
            if t is None:
                continue
            head = text[max(0, m.start - 60) : m.start]
            am = re.search(r"((?:[A-Z][\w'\-]*\.?[ ]){0,3}[A-Z][\w'\-]+),[ ]+(?:the |a )?$", head)
            if not am:
                continue
            name_start = m.start - len(head) + am.start(1)
            found = self.name_at(name_start)
            if found is None:
                continue
            s, e, name = found
            if e != m.start - len(head) + am.end(1):
                continue
            country_left, _ = self.country_before(m)
            items, _ = self.title_run(m)
            if self.name_in_run(items) is not None:
                continue  # "X, Foreign Minister Y": the title names Y, not X
            country = country_left or _run_country(items, len(self.text), self.lang.and_words)
            more = [x.match.first(TITLE).key for x in items if x.kind == "title"]  # type: ignore[union-attr]
            self.add_person(
                s, e, name, country=country, explicit=country is not None, titles=[t.key, *more]
            )

    def find_lexicon_persons(self) -> None:
        for m in self.matches:
            e = m.first(PERSON)
            if e is None:
                continue
            if self.covers(m.start):
                continue
            # the name as the text writes it where it inflects (its display is then its
            # nominative); the lexicon's name otherwise
            name = self.text[m.start : m.end] if self.lang.analyser is not None else e.key
            self.add_person(m.start, m.end, name, country=None, explicit=False, titles=[])

    def find_short_mentions(self) -> None:
        """Surnames and given names of known persons ("Tokayev", "Xi") used alone."""
        index: dict[str, set[str]] = {}
        for key, p in self.persons.items():
            toks = [t for t in p.tokens if len(t.rstrip(".")) > 1]
            if len(toks) < 2:
                continue
            for tok in {toks[-1], toks[0]}:
                if tok in self.lex.stopwords or tok in self.lex.office_words:
                    continue
                index.setdefault(tok, set()).add(key)
        if not index:
            return
        rx = re.compile(
            r"\b(" + "|".join(re.escape(t) for t in sorted(index, key=len, reverse=True)) + r")\b"
        )
        for m in rx.finditer(self.text):
            keys = index[m.group(1)]
            if len(keys) != 1:
                continue
            if self.covers(m.start()):
                continue
            key = next(iter(keys))
            self.persons[key].mentions.append((m.start(), m.end()))
            self.add_span(m.start(), m.end(), key)

    def resolve_title_refs(self) -> list[tuple[int, int, str]]:
        """Titled references to the unique person holding that title (and country, if given)."""
        out = []
        for s, e, title, country in self.title_refs:
            if self.covers(s):
                continue
            role = self.lex.title_roles.get(title)
            cands = [
                k
                for k, p in self.persons.items()
                if title in p.titles and (country is None or p.country == country)
            ]
            if country is None and self.default_country and cands:
                # "The President", "the Minister" in a government's own readout: its own
                # office holder, never a foreign one
                own = [k for k in cands if self.persons[k].country == self.default_country]
                if own or role in self.w.principal_roles or title in self.w.principal_titles:
                    cands = own
            if not cands and role and role != "official":
                # "the Secretary" for the Secretary of State: same role, and the country the
                # reference names, or else the publisher's own
                home = country or self.default_country
                cands = [
                    k
                    for k, p in self.persons.items()
                    if role in p.roles and home is not None and p.country == home
                ]
            if not cands:
                cands = self._unnamed_principal(title, role, country)
            if len(cands) == 1:
                key = cands[0]
                self.persons[key].mentions.append((s, e))
                out.append((s, e, key))
        return out

    def _unnamed_principal(self, title: str, role: str | None, country: str | None) -> list[str]:
        """ "The Prime Minister spoke to ..." in a government's own readout that never names its
        principal: an actor for the office holder, of the publisher's country."""
        home = self.default_country
        if country is None and title in self.w.principal_titles:
            role = self.w.principal_titles[title]
        if country is not None and role is not None:
            home = country  # "Taiwan's Vice Foreign Minister", "the Chinese Ambassador"
        elif home is None or role not in self.w.principal_roles:
            return []
        where = self.lex.country_names.get(home) or self.lex.org_names.get(home) or home
        name = f"{title[:1].upper()}{title[1:]} of {where}"
        if name not in self.persons:
            self.persons[name] = Person(
                name=name, country=home, titles=[title], roles={role}, named=False
            )
        return [name]

    def assign_default_countries(self) -> None:
        for p in self.persons.values():
            if p.country is None and self.default_country:
                p.country = self.default_country


def _office_country(
    items: list[_RunItem],
    of_preps: frozenset[str | None] = frozenset({"of"}),
    and_words: frozenset[str] = frozenset({"and", "&"}),
) -> str | None:
    """The country of a title with no name: "the President of Indonesia" (not the country of
    another office coordinated with it: "the Head of State and the Ugandan Foreign Minister")."""
    for x in items:
        if x.kind == "title" or (x.kind == "conn" and (x.word in and_words or x.word == ",")):
            return None
        if x.kind == "country" and x.prep in of_preps and x.match is not None:
            c = _country_of_match(x.match)
            return c[0] if c else None
    return None


def _run_country(
    items: list[_RunItem],
    name_start: int | None = None,
    and_words: frozenset[str] = frozenset({"and", "&"}),
) -> str | None:
    """The nationality a title run states: a country after "of" (not a portfolio after "for")
    before the name, or "of <Country>" right after it ("President Tokayev of Kazakhstan")."""
    for k, x in enumerate(items):
        if (
            name_start is not None
            and x.start > name_start
            and (x.kind == "title" or (x.kind == "conn" and (x.word in and_words or x.word == ",")))
        ):
            break  # "... Catherine Colonna and President Murmu of India": another person's
        if x.kind != "country" or x.match is None:
            continue
        if name_start is not None and x.start > name_start:
            j = k - 1
            if j >= 0 and items[j].kind == "conn" and items[j].word == "the":
                j -= 1  # "... Lombardi of the Grand Duchy of Luxembourg"
            prev = items[j] if j >= 0 else None
            if not (prev is not None and prev.kind == "conn" and prev.word == "of"):
                continue
            if j >= 1 and items[j - 1].kind not in ("name", "person"):
                continue
        elif x.prep not in ("of", None):
            continue
        c = _country_of_match(x.match)
        if c is not None:
            return c[0]
    # no nationality: an organisation's own official ("Secretary General of the Organization
    # for Economic ... (OECD)"), not an envoy "to the UN"
    for x in items:
        if name_start is not None and x.start > name_start:
            break
        if x.kind == "country" and x.match is not None and x.prep == "for":
            c = _country_of_match(x.match)
            if c is not None and c[1] == ORG:
                return c[0]
    return None


def _only_office_words(between: str, lex: Lexicon, qualifiers: frozenset[str]) -> bool:
    """True when the text between a qualifier and a title is only office words (or nothing)."""
    between = between.replace("(", " ").replace(")", " ").strip()
    if between in ("", "'s"):
        return True
    if between.startswith("'s "):
        between = between[3:]
    tokens = [t for t in re.split(r"[ ]+", between) if t]
    has_office = False
    for tok in tokens:
        if tok in lex.office_words or re.fullmatch(r"[A-Z]{2,8}", tok):
            has_office = True
        elif tok in qualifiers:
            continue
        elif tok not in ("of", "and", "the", "for", "&"):
            return False
    if all(tok in qualifiers for tok in tokens):
        return True
    # bare connectors ("Korea and Prime Minister") join two people, not a qualifier and its title
    return has_office


_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")


def flag_countries(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """Flag emoji (pairs of regional indicator symbols) as ``(start, end, ISO3)``."""
    out = []
    for m in _FLAG.finditer(text):
        flag = m.group()
        iso3 = lex.iso2.get("".join(chr(ord(c) - 0x1F1E6 + 65) for c in flag))
        if iso3:
            out.append((m.start(), m.end(), iso3))
    return out


class _Cover:
    """Membership of a position in a set of spans, by binary search."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def contains(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        while i >= 0:
            s, e = self.spans[i]
            if s <= pos < e:
                return True
            if pos - s > 200:
                return False
            i -= 1
        return False


def _sentence_start(text: str, pos: int) -> bool:
    head = text[:pos].rstrip(" ")
    return not head or head[-1] in ".!?\n:;\"'(" or head.endswith(("Today", "Yesterday"))


def build_actors(
    text: str,
    lex: Lexicon,
    default_country: str | None,
    lang: Language,
    builder: type[_Builder] | None = None,
) -> ActorTable:
    """All actors of a text, with every mention resolved (``builder``: how persons are found,
    for a script that needs its own way: :mod:`communique.extractor.actors_unspaced`)."""
    b = (builder or _Builder)(text, lex, default_country, lang)
    b.find_titled_persons()
    b.find_appositives()
    b.find_lexicon_persons()
    b.find_short_mentions()
    titled = b.resolve_title_refs()
    refs: list[EntityRef] = []
    person_cover: list[tuple[int, int]] = []
    for s, e, key in [*b.person_spans, *titled]:
        if key in b.persons:
            refs.append(EntityRef(s, e, "person", key, b.persons[key].country))
            person_cover.append((s, e))
    states: dict[str, list[tuple[int, int]]] = {}
    orgs: dict[str, list[tuple[int, int]]] = {}
    for m in b.matches:
        c = m.first(COUNTRY, CAPITAL, DEMONYM)
        if c is not None:
            states.setdefault(c.key, []).append((m.start, m.end))
            refs.append(EntityRef(m.start, m.end, "state", c.key, c.key, c.kind == DEMONYM))
            continue
        o = m.first(ORG)
        if o is not None:
            orgs.setdefault(o.key, []).append((m.start, m.end))
            refs.append(EntityRef(m.start, m.end, "org", o.key, o.key))
            continue
        i = m.first(INITIATIVE)
        if i is not None:
            owner = lex.initiative_owner.get(i.key)
            refs.append(EntityRef(m.start, m.end, "initiative", i.key, owner))
        elif m.first(PLACE) is not None:
            continue
    flags = flag_countries(text, lex)
    for s, e, iso3 in flags:
        states.setdefault(iso3, []).append((s, e))
        refs.append(EntityRef(s, e, "state", iso3, iso3))
    w = b.w
    for pm in w.plural_refs.finditer(text):
        if w.plural_not_after and w.plural_not_after.search(
            text, max(0, pm.start() - 40), pm.start()
        ):
            continue
        refs.append(EntityRef(pm.start(), pm.end(), "plural", ""))
    for pm in w.pronoun.finditer(text):
        refs.append(EntityRef(pm.start(), pm.end(), "pronoun", ""))
    if default_country:
        # "Today I met with ...", "On the margins of the summit, I met ...": a minister's own
        # release speaks for the publisher (not a numeral: "Abdullah II", "World War I")
        for pm in w.first_person.finditer(text):
            if pm.group() == "I" and text[pm.end() : pm.end() + 1] == ".":
                continue  # an initial
            prev = text[max(0, pm.start() - 30) : pm.start()].rstrip(" ").rsplit(" ", 1)[-1]
            if prev[:1].isupper() and prev[-1:].isalpha() and not _sentence_start(text, pm.start()):
                continue
            refs.append(EntityRef(pm.start(), pm.end(), "self", default_country, default_country))
    # person-internal country mentions ("President ... of Kazakhstan") stay state mentions, but a
    # state reference inside a person span is not a separate actor reference
    covered = _Cover(person_cover)
    refs = [r for r in refs if r.kind == "person" or not covered.contains(r.start)]
    refs.sort(key=lambda r: (r.start, -r.end))
    b.assign_default_countries()
    for r in refs:
        if r.kind == "person":
            r.country = b.persons[r.key].country
    return ActorTable(b.persons, refs, states, orgs, b.matches, [iso3 for _, _, iso3 in flags])
