"""Person recognition for scripts written without spaces (Chinese).

Chinese names an office holder as country or body, office, then name, with no space anywhere:
"法国总统马克龙", "中共中央总书记、国家主席习近平", "白俄罗斯国民会议共和国院主席科恰诺娃". A person is
found after an office: a name the people lexicon knows, or else the run of characters up to a
word that cannot be part of a name (the language's ``name_stops``, punctuation, a lexicon word).
The country is the nearest country or organisation before the office chain, with only the
words of a body between ("俄罗斯统一俄罗斯党主席"). Later mentions of a name found this way, and
of the last part of a transliterated name ("·"), are the same person.
"""

from __future__ import annotations

import functools
import re

from communique.extractor.actors import _Builder
from communique.extractor.language import Language
from communique.extractor.lexicon import COUNTRY, DEMONYM, ORG, PERSON, TITLE, Lexicon, Match

# what never stands inside a name or between a country and its office
_PUNCT = frozenset("，。、；：？！“”‘’（）《》「」『』【】,.;:?!\"'()[]\n 　…—")
_CHAIN = frozenset("、兼")  # offices held together: "国家主席、中央军委主席", "副总理兼外长"
_BODY_MAX = 12  # characters of a body's name between a country and an office


@functools.cache
def _stops(lang: Language) -> tuple[frozenset[str], int, str, int]:
    words = frozenset(str(w) for w in lang.words.get("name_stops") or ())
    longest = max((len(w) for w in words), default=1)
    joiners = str(lang.words.get("name_joiners") or "·")
    return words, int(lang.words.get("name_max") or 12), joiners, longest


_NAME_CHARS: dict[int, tuple[frozenset[str], frozenset[str]]] = {}


def _name_chars(lang: Language, lex: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The characters names are written with (the language's and those of the lexicon's
    names), and the family names a Chinese name starts with."""
    hit = _NAME_CHARS.get(id(lex))
    if hit is None:
        chars = set(str(lang.words.get("name_characters") or ""))
        chars.update(str(lang.words.get("name_joiners") or ""))
        for form in lex.person_forms:
            chars.update(form)
        hit = frozenset(chars), frozenset(str(lang.words.get("family_names") or ""))
        _NAME_CHARS[id(lex)] = hit
    return hit


class UnspacedBuilder(_Builder):
    """Persons, their offices and countries in text without spaces."""

    def __init__(
        self, text: str, lex: Lexicon, default_country: str | None, lang: Language
    ) -> None:
        super().__init__(text, lex, default_country, lang)
        self.dotted = self._dotted_names()

    def _dotted_names(self) -> list[tuple[int, int]]:
        """Transliterated names written with a joiner ("穆罕默德·穆伊兹"): the parts the lexicon
        knows on their own are not separate mentions (穆罕默德 is not the Crown Prince here)."""
        _, most, joiners, _ = _stops(self.lang)
        chars, _ = _name_chars(self.lang, self.lex)
        text = self.text
        spans: list[tuple[int, int]] = []
        for jm in re.finditer(f"[{re.escape(joiners)}]", text):
            j = jm.start()
            if spans and spans[-1][0] <= j < spans[-1][1]:
                continue
            s = j
            while (
                s > 0
                and text[s - 1] in chars
                and j - s < most
                and text[s - 1] not in joiners
                and not self._no_name_at(s - 1, joiners)
            ):
                s -= 1
            e = j + 1
            while (
                e < len(text)
                and text[e] in chars
                and e - s < 3 * most
                and not self._stops_name(e)
                and not self._word_at(e, joiners)
            ):
                e += 1
            if s == j or e == j + 1 or text[e - 1] in joiners:
                continue
            spans.append((s, e))
        if spans:
            inside = {
                (m.start, m.end)
                for m in self.matches
                for s, e in spans
                if s <= m.start and m.end <= e and (m.start, m.end) != (s, e)
            }
            if inside:
                self.matches = [m for m in self.matches if (m.start, m.end) not in inside]
                self.by_start = {m.start: m for m in self.matches}
        return spans

    def _stops_name(self, pos: int) -> bool:
        """Whether the character at ``pos`` is part of a word that ends a name (the language's
        ``name_stops``: "与卡洛斯·门多萨通话": 与 and 通 are no part of the name, though names
        are written with them)."""
        words, _, _, longest = _stops(self.lang)
        text = self.text
        return any(
            text[start : start + n] in words
            for n in range(1, longest + 1)
            for start in range(max(0, pos - n + 1), pos + 1)
        )

    def _no_name_at(self, pos: int, joiners: str) -> bool:
        """Whether the character at ``pos``, before a transliterated name, belongs to another
        word: a word that ends a name, or a lexicon word that names no person and is not itself a
        part of the name ("总理阿努廷·参威拉军": 理 is the office's; "谢赫·哈西娜": the title
        谢赫 stands before the joiner, inside the name; "中国—阿拉伯国家峰会" is no name)."""
        return self._stops_name(pos) or self._other_word(self._match_covering(pos), joiners)

    def _word_at(self, pos: int, joiners: str) -> bool:
        """Whether a lexicon word that names no person begins at ``pos``, after a transliterated
        name ("迪亚斯-卡内尔国家主席": the office begins at 国)."""
        return self._other_word(self.by_start.get(pos), joiners)

    def _other_word(self, m: Match | None, joiners: str) -> bool:
        if m is None or m.first(PERSON) is not None:
            return False
        in_name = m.first(TITLE) is not None and m.end < len(self.text)
        return not (in_name and self.text[m.end] in joiners)

    def _stop_at(self, pos: int) -> bool:
        words, _, _, longest = _stops(self.lang)
        text = self.text
        if (
            text[pos] in _PUNCT
            or text[pos].isdigit()
            or (text[pos].isascii() and not text[pos].isalpha())
        ):
            return True
        for n in range(1, longest + 1):
            if text[pos : pos + n] in words:
                return True
        m = self.by_start.get(pos)
        return m is not None and m.first(PERSON) is None

    def name_after(self, pos: int) -> tuple[int, int, str] | None:
        """The name that follows an office at ``pos``: a known person, or the run of characters
        up to a stop."""
        m = self.by_start.get(pos)
        if m is not None and m.first(PERSON) is not None:
            end = m.end
            # "埃马纽埃尔·马克龙" where the lexicon knows only the surname, and the reverse
            return pos, end, self.text[pos:end]
        _, most, joiners, _ = _stops(self.lang)
        text = self.text
        end = pos
        while end < len(text) and end - pos < most + 1:
            c = text[end]
            if c in joiners and end > pos:
                end += 1
                continue
            if self._stop_at(end):
                break
            if not c.isalpha():
                break
            pm = self.by_start.get(end)
            if pm is not None and pm.first(PERSON) is not None and end > pos:
                # the lexicon knows the rest: "谢尔达尔·别尔德穆哈梅多夫"
                end = pm.end
                break
            end += 1
        while end > pos and text[end - 1] in joiners:
            end -= 1
        if end - pos < 2 or end - pos > most:
            return None
        name = text[pos:end]
        chars, families = _name_chars(self.lang, self.lex)
        if not all(c in chars for c in name) and not (name[0] in families and len(name) <= 3):
            return None
        return pos, end, name

    def country_before(self, title: Match) -> tuple[str | None, int]:
        """The nearest country or organisation before an office, with only a body's name between
        ("韩国三星集团会长": KOR; "来华访问的苏里南总统": SUR)."""
        idx = self._match_index_before(title.start)
        pos = title.start
        while idx >= 0:
            m = self.matches[idx]
            between = self.text[m.end : pos]
            if len(between) > _BODY_MAX or any(c in _PUNCT for c in between):
                return None, title.start
            words, _, _, _ = _stops(self.lang)
            # a verb or particle ends a body's name ("来华出席论坛的欧盟委员会主席": the forum is not
            # the office's); a joiner does not ("欧洲和外交部长")
            joiners = self.lang.joiners
            if any(w in between for w in words if w not in joiners):
                return None, title.start
            e = m.first(COUNTRY, DEMONYM, ORG)
            if e is not None:
                return e.key, m.start
            if m.first(TITLE) is None and m.first(PERSON) is not None:
                return None, title.start
            pos = m.start
            idx -= 1
        return None, title.start

    def find_titled_persons(self) -> None:
        # names written without an office before them come first, so that an office after a
        # name ("萨利姆·贾蒂拉总统") finds its holder
        self._dotted_persons()
        self._party_names()
        text = self.text
        chain: list[Match] = []
        for m in self.matches:
            t = m.first(TITLE)
            if t is None:
                continue
            if self.covers(m.start):
                continue
            if m.first(COUNTRY) is not None and not self._after_country(m):
                continue  # "苏丹主权委员会主席": Sudan, not a sultan ("阿曼苏丹": the sultan)
            if chain and not self._chained(chain[-1], m):
                self._close_chain(chain, None)
                chain = []
            chain.append(m)
            nxt = text[m.end : m.end + 1]
            if nxt and nxt in _CHAIN:
                continue  # another office of the same person follows
            found = self.name_after(m.end)
            self._close_chain(chain, found)
            chain = []
        if chain:
            self._close_chain(chain, None)

    def _after_country(self, m: Match) -> bool:
        idx = self._match_index_before(m.start)
        prev = self.matches[idx] if idx >= 0 else None
        return prev is not None and prev.end == m.start and prev.first(COUNTRY) is not None

    def _chained(self, prev: Match, m: Match) -> bool:
        between = self.text[prev.end : m.start]
        return (
            bool(between)
            and between[0] in _CHAIN
            and len(between) <= _BODY_MAX
            and not any(c in _PUNCT and c != "、" for c in between)
        )

    def _close_chain(self, chain: list[Match], found: tuple[int, int, str] | None) -> None:
        if not chain:
            return
        titles = [m.first(TITLE).key for m in chain]  # type: ignore[union-attr]
        # the country qualifies the first office of the chain, or the last one ("中共中央政治局
        # 常委、全国政协主席": the body is the last office's)
        country = None
        for m in (chain[0], chain[-1]):
            country, _ = self.country_before(m)
            if country is not None:
                break
        if found is not None:
            s, e, name = found
            self.add_person(
                s, e, name, country=country, explicit=country is not None, titles=titles
            )
            return
        first, last = chain[0], chain[-1]
        idx = self._match_index_before(first.start)
        before = self.matches[idx] if idx >= 0 else None
        if before is not None and before.end == first.start and before.first(PERSON) is not None:
            # "卢拉总统", "总统先生": a name with its office after it, as courtesy has it
            self.add_person(
                before.start,
                before.end,
                self.text[before.start : before.end],
                country=country,
                explicit=False,
                titles=titles,
            )
            return
        named = next((k for s, e, k in reversed(self.person_spans) if e == first.start), None)
        if named is not None:
            # a name the lexicon lacks, then its office ("萨利姆·贾蒂拉总统")
            p = self.persons[named]
            for t in titles:
                if t not in p.titles:
                    p.titles.append(t)
                    p.roles.add(self.lex.title_roles.get(t, "official"))
            if country and not p.country_explicit:
                p.country, p.country_explicit = country, True
            return
        form = self.text[last.start : last.end]
        if country is None and form in self.lang.words.get("foreign_offices", ()):
            return  # "总统" alone is a foreign president, never the publisher's own
        self.title_refs.append((last.start, last.end, titles[-1], country))

    def find_appositives(self) -> None:
        """No appositives in Chinese (the office comes first). Names written without an office
        before them are read first, by :meth:`find_titled_persons`: a transliterated name
        ("致电穆罕默德·穆伊兹": the one the lexicon knows by its last part, or a new one), and a
        name right after a word that introduces a party ("李强同桑切斯举行会谈": the language's
        ``party_openers``)."""

    def _same_given_name(self, name: str, person: str, joiners: str) -> bool:
        """Whether a full name can be the known person's: the lexicon spells them with no
        given name, or with one this name shares."""
        split = f"[{re.escape(joiners)}]"
        parts = re.split(split, name)
        full = [
            re.split(split, f) for f in self.lex.spellings.get(person, ()) if re.search(split, f)
        ]
        return not full or any(parts[0] in q or q[0] in parts for q in full)

    def _party_names(self) -> None:
        openers = tuple(str(w) for w in self.lang.words.get("party_openers") or ())
        if not openers:
            return
        text = self.text
        for om in re.finditer("|".join(re.escape(w) for w in openers), text):
            pos = om.end()
            if self.by_start.get(pos) is not None:
                continue  # a country, an office, a known person: read elsewhere
            if self.covers(pos):
                continue
            found = self.name_after(pos)
            if found is None:
                continue
            s, e, name = found
            if e < len(text) and not self._stop_at(e):
                continue  # the run goes on into words that are no name
            self.add_person(s, e, name, country=None, explicit=False, titles=[])

    def _dotted_persons(self) -> None:
        _, _, joiners, _ = _stops(self.lang)
        for s, e in self.dotted:
            if self.overlaps(s, e):
                continue
            whole = self.by_start.get(s)
            if whole is not None and whole.end == e and whole.first(PERSON) is not None:
                continue  # the lexicon knows the whole name: find_lexicon_persons takes it
            name = self.text[s:e]
            last = re.split(f"[{re.escape(joiners)}]", name)[-1]
            # the person the lexicon knows by this last name, unless it spells them in full
            # otherwise ("卡洛斯·费尔南德斯" is not "阿尔韦托·费尔南德斯")
            known = [
                p.key
                for m in self.lex.find(last)
                if (m.start, m.end) == (0, len(last))
                for p in m.entries
                if p.kind == PERSON and self._same_given_name(name, p.key, joiners)
            ]
            self.add_person(
                s,
                e,
                known[0] if len(set(known)) == 1 else name,
                country=None,
                explicit=False,
                titles=[],
                spelled=name,
            )

    def find_short_mentions(self) -> None:
        """Later mentions of a name found after an office, and of a transliterated name's last
        part ("埃马纽埃尔·马克龙" ... "马克龙")."""
        _, _, joiners, _ = _stops(self.lang)
        forms: dict[str, set[str]] = {}
        for key, p in self.persons.items():
            for form in p.forms:
                forms.setdefault(form, set()).add(key)
                parts = [x for x in re.split(f"[{re.escape(joiners)}]", form) if len(x) > 1]
                if len(parts) > 1:
                    forms.setdefault(parts[-1], set()).add(key)
        if not forms:
            return
        rx = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))
        for m in rx.finditer(self.text):
            keys = forms[m.group()]
            if len(keys) != 1 or self.covers(m.start()):
                continue
            lm = self._match_covering(m.start())
            if lm is not None and (lm.start, lm.end) != (m.start(), m.end()):
                continue  # inside a longer lexicon word
            key = next(iter(keys))
            self.persons[key].mentions.append((m.start(), m.end()))
            self.add_span(m.start(), m.end(), key)

    def _match_covering(self, pos: int) -> Match | None:
        idx = self._match_index_before(pos + 1)
        for k in (idx, idx + 1):
            if 0 <= k < len(self.matches):
                m = self.matches[k]
                if m.start <= pos < m.end:
                    return m
        return None
