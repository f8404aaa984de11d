"""The rule language: token patterns on lemmas and word classes, with bounded gaps and slots.

A rule is one line of data (``data/rules/<lang>/*.yaml``) with its examples::

    - id: call.hold-phone
      kind: call
      pattern: "{a} hold|have @det? ~3 @phone conversation|call|talk with {b}"
      examples: ["The Minister held a long telephone conversation with Foreign Minister Wang Yi."]

Pattern elements (docs/rules.md has the full reference):

=================  ===========================================================================
``meet``           a word and every inflection of it ("meet", "meets", "met", "meeting")
``"met"``          exactly this word form (lowercase)
``@phone``         a word class or a named sub-pattern of ``data/lang/<lang>/classes.yaml``
``<PER>``          a token of a kind the extractor found: PER, STATE, ORG, TITLE, PLACE, DATE,
                   ACTOR (any party), PLURAL ("the two sides"), PRON, SELF; or of a shape: CAP
                   (capitalised), LOW (lowercase word), NUM, YEAR (1900-2099)
``a|b|c``          one of these (no spaces around ``|``); ``x&y`` a token that is both
``_``              any one token within the clause
``~4`` ``~2-6``    a gap of up to 4 (2 to 6) tokens that does not cross a clause break nor a
                   word of the class ``gap_stop`` ("about", "which": the object has begun)
``!x`` ``!(x y)``  the next token(s) are not this (zero-width: ``!@det _`` is a token that is
                   not a determiner)
``( x y | z )``    a group; `` | `` with spaces separates alternative sequences
``x? x* x+``       optional, repeated; ``x{1,3}`` bounded
``{a}`` ``{b}``    slots naming roles: where the actor's and the recipient's phrases are;
                   ``{both}`` joint parties; ``{date:<DATE>+}`` a slot that captures a sub-pattern
``^`` ``$``        the start of the sentence; the end of the clause
=================  ===========================================================================

Patterns compile to one regular expression each over an encoding of the sentence's tokens
(lemmas, form and tags of each token), so matching runs in C. Which rules a sentence can match is
decided from the words the rules require (the prefilter is derived from the rules themselves).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from communique.errors import RuleError
from communique.extractor.language import SEP, WORDS, Language, Token
from communique.resources import data_dir_files, load_yaml

# encoding of a token: " lemma1 lemma2 " \x1f form \x1f |tag|tag| \x1e ; a sentence starts with \x1d
# (language.token_code writes the first three parts)
_SEP, _END, _SOS = SEP, "\x1e", "\x1d"
_FIELD = "[^\x1f\x1e\x1d]*"
_ANY_TOKEN = "[^\x1e\x1d]*\x1e"
_NOT_BREAK = "(?![^\x1e\x1d]*\\|brk\\|)"
_TOKEN_IN_CLAUSE = _NOT_BREAK + _ANY_TOKEN
# a gap crosses neither a clause break nor a word of the class `gap_stop` ("about", "which")
_GAP_TOKEN = "(?![^\x1e\x1d]*\\|(?:brk|gap_stop)\\|)" + _ANY_TOKEN
ENTITY_TAGS = frozenset(
    {
        "PER",
        "STATE",
        "ORG",
        "TITLE",
        "PLACE",
        "DOC",
        "DATE",
        "ACTOR",
        "PLURAL",
        "PRON",
        "SELF",
        "CAP",
        "LOW",
        "NUM",
        "YEAR",
    }
)
_TOKEN_START = "(?<=[\x1e\x1d])"
_SHAPE_TAGS = {"CAP": "cap", "LOW": "low", "NUM": "num", "YEAR": "year"}

_LEX = re.compile(
    r"""\s*(?:
      (?P<open>!?\()
    | (?P<close>\))(?P<q1>[?*+]|\{\d+(?:,\d*)?\})?
    | (?P<bar>\|)(?=\s|$)
    | (?P<gap>~(?:\d+(?:-\d+)?)?)(?![^\s()])
    | (?P<anchor>[\^$])
    | (?P<atom>!?(?:"[^"\s]+"|@\w+|<[A-Z]+>|_|[^\s()|{}~"?*+!^$&]+)
        (?:[|&](?:"[^"\s]+"|@\w+|<[A-Z]+>|[^\s()|{}~"?*+!^$&]+))*)(?P<q2>[?*+]|\{\d+(?:,\d*)?\})?
    )""",
    re.X,
)


# -- the pattern tree ---------------------------------------------------------------------------
@dataclass
class _Node:
    kind: str  # atom | seq | alt | gap | slot | anchor
    value: Any = None
    children: list[_Node] = field(default_factory=list)
    quant: str = ""


class _SlotMatch:
    """A lexed slot, shaped like the other lexemes (``group(name)``)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def group(self, name: str) -> str | None:
        return self.text if name == "slot" else None


def _parse(pattern: str, rule_id: str) -> _Node:
    items: list[Any] = []
    pos = 0
    text = pattern.strip()
    while pos < len(text):
        if text.startswith("{", pos) and text[pos + 1 : pos + 2].isalpha():
            # a slot; its sub-pattern may hold {m,n} quantifiers: find the matching brace
            depth, end = 0, pos
            while end < len(text):
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                end += 1
                if depth == 0:
                    break
            items.append(_SlotMatch(text[pos:end]))
            pos = end
            while pos < len(text) and text[pos] == " ":
                pos += 1
            continue
        m = _LEX.match(text, pos)
        if not m or m.end() == pos:
            raise RuleError(
                f"rule {rule_id!r}: cannot read the pattern at {text[pos : pos + 20]!r}; "
                "see docs/rules.md for the syntax"
            )
        items.append(m)
        pos = m.end()
        while pos < len(text) and text[pos] == " ":
            pos += 1
    node, k = _parse_alt(items, 0, rule_id)
    if k != len(items):
        raise RuleError(f"rule {rule_id!r}: unbalanced ')' in {pattern!r}")
    return node


def _parse_alt(items: list[Any], k: int, rule_id: str) -> tuple[_Node, int]:
    branches = [_Node("seq")]
    while k < len(items):
        m = items[k]
        if m.group("close"):
            break
        if m.group("bar"):
            branches.append(_Node("seq"))
            k += 1
            continue
        if m.group("open"):
            inner, k = _parse_alt(items, k + 1, rule_id)
            if k >= len(items) or not items[k].group("close"):
                raise RuleError(f"rule {rule_id!r}: '(' without ')'")
            inner.quant = items[k].group("q1") or ""
            if m.group("open").startswith("!"):
                inner = _Node("not", None, [inner])
            branches[-1].children.append(inner)
            k += 1
            continue
        if isinstance(m, _SlotMatch):
            body = m.text[1:-1]
            name, _, sub = body.partition(":")
            child = _parse(sub, rule_id) if sub else None
            branches[-1].children.append(_Node("slot", name, [child] if child else []))
        elif m.group("gap"):
            spec = m.group("gap")[1:] or "3"
            lo, _, hi = spec.partition("-")
            bounds = (int(lo), int(hi)) if hi else (0, int(lo))
            branches[-1].children.append(_Node("gap", bounds))
        elif m.group("anchor"):
            branches[-1].children.append(_Node("anchor", m.group("anchor")))
        else:
            branches[-1].children.append(_Node("atom", m.group("atom"), quant=m.group("q2") or ""))
        k += 1
    if len(branches) == 1:
        return branches[0], k
    if any(not b.children for b in branches):
        raise RuleError(f"rule {rule_id!r}: an empty alternative (' | | ' or a '|' at an end)")
    return _Node("alt", None, branches), k


# -- compiling ------------------------------------------------------------------------------------
class _Compiler:
    def __init__(self, lang: Language, rule_id: str) -> None:
        self.lang = lang
        self.rule_id = rule_id
        self.slot_count = 0
        self.slots: dict[str, str] = {}  # regex group -> slot name
        self.lemmas: set[str] = set()
        self.macro_stack: list[str] = []
        self.left_slots: set[str] = set()  # slots before the phrasing: they read the clause before
        self.first_words: frozenset[str] | None = None  # words one of which opens every match
        self.free_head = False  # nothing but zero-width slots before the phrasing

    def compile_top(self, node: _Node) -> str:
        """The pattern with its core (what lies between the leading and trailing slots, gaps
        and anchors) in a group ``__t``: the words of the phrasing itself."""
        if node.kind != "seq" or node.quant:
            self.free_head = True
            self.first_words = _atom_words(node, self.lang)
            return f"{_TOKEN_START}(?P<__t>{self.compile(node)})"
        kids = node.children
        lo, hi = 0, len(kids)
        while lo < hi and kids[lo].kind in ("slot", "gap", "anchor") and not kids[lo].children:
            lo += 1
        while (
            hi > lo and kids[hi - 1].kind in ("slot", "gap", "anchor") and not kids[hi - 1].children
        ):
            hi -= 1
        self.left_slots = {c.value for c in kids[:lo] if c.kind == "slot"}
        anchored = any(c.kind == "anchor" for c in kids[:lo])
        # a gap between a leading slot and the phrasing moves only the slot: the slot reads the
        # whole clause before the phrasing anyway, so the gap is dropped
        head_kids = [c for c in kids[:lo] if anchored or c.kind != "gap"]
        self.free_head = not anchored
        if lo < hi and self.free_head:
            self.first_words = _atom_words(kids[lo], self.lang)
        head = "".join(self.compile(c) for c in head_kids)
        core = "".join(self.compile(c) for c in kids[lo:hi])
        tail = "".join(self.compile(c) for c in kids[hi:])
        return f"{_TOKEN_START}{head}(?P<__t>{core}){tail}"

    def compile(self, node: _Node) -> str:
        if node.kind == "seq":
            body = "".join(self.compile(c) for c in node.children)
            return self._quant(f"(?:{body})", node.quant) if node.quant else body
        if node.kind == "alt":
            body = "|".join(self.compile(c) for c in node.children)
            return self._quant(f"(?:{body})", node.quant)
        if node.kind == "gap":
            lo, hi = node.value
            return f"(?:{_GAP_TOKEN}){{{lo},{hi}}}?"
        if node.kind == "anchor":
            if node.value == "^":
                # the sentence start, after any emoji, bullets or quotation marks
                return f"(?<={_SOS})(?:[^\x1e\x1d]*\\|punct\\|{_ANY_TOKEN})*"
            return f"(?={_SOS}|\\Z|{_NOT_BREAK[3:-1]})"
        if node.kind == "not":
            return f"(?!{self.compile(node.children[0])})"
        if node.kind == "slot":
            self.slot_count += 1
            group = f"{node.value}__{self.slot_count}"
            self.slots[group] = node.value
            inner = self.compile(node.children[0]) if node.children else ""
            return f"(?P<{group}>{inner})"
        return self._quant(self._atom(node.value), node.quant)

    @staticmethod
    def _quant(body: str, quant: str) -> str:
        if not quant:
            return body
        if not body.startswith("(?:") or not body.endswith(")"):
            body = f"(?:{body})"
        return body + quant

    def _atom(self, atom: str) -> str:
        negated = atom.startswith("!")
        if negated:
            atom = atom[1:]
        alts: list[str] = []
        run: list[str] = []  # plain words in a row: one lemma field read for all of them
        for a in atom.split("|"):
            if _is_plain_word(a):
                run.append(a)
                continue
            if run:
                alts.append(self._words(run))
                run = []
            alts.append(self._all(a))
        if run:
            alts.append(self._words(run))
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if negated:
            return f"(?!{body})"  # zero-width: the next token is not this
        return body

    def _all(self, a: str) -> str:
        """``x&y``: one token that is both."""
        parts = a.split("&")
        if len(parts) == 1:
            return self._one(a)
        return "".join(f"(?={self._one(p)})" for p in parts[1:]) + self._one(parts[0])

    def _one(self, a: str) -> str:
        if a == "_":
            return _TOKEN_IN_CLAUSE
        if a.startswith('"'):
            form = re.escape(a[1:-1].lower())
            return f"{_FIELD}{_SEP}{form}{_SEP}{_ANY_TOKEN}"
        if a.startswith("@"):
            name = a[1:]
            if name in self.lang.macros:
                if name in self.macro_stack:
                    raise RuleError(f"rule {self.rule_id!r}: class @{name} refers to itself")
                self.macro_stack.append(name)
                body = self.compile(_parse(self.lang.macros[name], f"{self.rule_id} @{name}"))
                self.macro_stack.pop()
                return f"(?:{body})"
            if name not in self.lang.classes and name not in self.lang.grammeme_classes:
                raise RuleError(
                    f"rule {self.rule_id!r}: unknown word class @{name}; define it in "
                    f"data/lang/{self.lang.code}/classes.yaml"
                )
            return f"[^\x1e\x1d]*?\\|{name}\\|{_ANY_TOKEN}"
        if a.startswith("<"):
            tag = a[1:-1]
            if tag not in ENTITY_TAGS:
                raise RuleError(
                    f"rule {self.rule_id!r}: unknown token kind <{tag}>; one of "
                    + ", ".join(sorted(ENTITY_TAGS))
                )
            tag = _SHAPE_TAGS.get(tag, tag)
            return f"[^\x1e\x1d]*?\\|{tag}\\|{_ANY_TOKEN}"
        return self._words([a])

    def _words(self, words: list[str]) -> str:
        """A token one of whose lemmas is one of ``words``. Each is one token, so one pass over
        the lemma field tries them all (``meet|see|host``: the field is not read once a word)."""
        low = [w.lower() for w in words]
        self.lemmas.update(low)
        if len(low) == 1:
            alt = re.escape(low[0])
        else:
            alt = "(?:" + "|".join(re.escape(w) for w in low) + ")"
        return f"{_FIELD}? {alt} {_FIELD}{_SEP}{_ANY_TOKEN}"


def _is_plain_word(a: str) -> bool:
    """Whether an alternative of an atom is a word read on lemmas (not a form, a class, a
    token kind, ``_`` or ``x&y``)."""
    return a != "_" and a[:1] not in ('"', "@", "<") and "&" not in a


def _has_slot(node: _Node) -> bool:
    return node.kind == "slot" or any(_has_slot(c) for c in node.children)


def _macro(lang: Language, name: str, depth: int) -> _Node | None:
    """The parsed pattern of the macro class ``@name`` (None: too deep, a class that refers to
    itself, or not a macro)."""
    if depth > 8 or name not in lang.macros:
        return None
    return _parsed(lang.macros[name], f"@{name}")


@functools.lru_cache(maxsize=4096)
def _parsed(pattern: str, label: str) -> _Node:
    """:func:`_parse`, once per pattern: the words of a macro are asked for by every rule that
    names it (the tree is only read)."""
    return _parse(pattern, label)


def _atom_words(node: _Node, lang: Language, depth: int = 0) -> frozenset[str] | None:
    """The words (forms or lemmas) one of which opens every match of ``node`` (None: unknown)."""
    if node.quant in ("?", "*") or node.quant.startswith("{0"):
        return None
    if node.kind == "atom":
        if node.value.startswith("!"):
            return None
        out_words: set[str] = set()
        for alt in node.value.split("|"):
            first = alt.split("&")[0]
            if first.startswith("@") and first[1:] in lang.macros:
                sub = _macro(lang, first[1:], depth)
                got = _atom_words(sub, lang, depth + 1) if sub is not None else None
            else:
                got = _anchors(_Node("atom", alt), lang, words_only=False, depth=depth)
            if got is None:
                return None
            out_words |= got
        return frozenset(out_words)
    if node.kind == "seq":
        return _atom_words(node.children[0], lang, depth) if node.children else None
    if node.kind == "alt":
        return _union(node.children, lambda branch: _atom_words(branch, lang, depth))
    return None


def _union(
    children: Iterable[_Node], words: Callable[[_Node], frozenset[str] | None]
) -> frozenset[str] | None:
    """The words of every alternative together; None where one of them has no known words."""
    out: set[str] = set()
    for c in children:
        got = words(c)
        if got is None:
            return None
        out |= got
    return frozenset(out)


def _anchors(
    node: _Node, lang: Language, words_only: bool = True, depth: int = 0
) -> frozenset[str] | None:
    """Words one of which any match must contain (None: no such guarantee). With
    ``words_only`` (for the prefilter, which sees only words) punctuation gives no guarantee."""
    if node.quant in ("?", "*") or (node.quant.startswith("{0")):
        return None
    if node.kind == "not":
        return None
    if node.kind == "atom":
        atom = node.value
        if atom.startswith("!"):
            return None
        words = set()
        for a in atom.split("|"):
            a = a.split("&")[0]
            if a.startswith('"'):
                words.add(a[1:-1].lower())
            elif a[:1] in ("@", "<", "_"):
                if a.startswith("@") and a[1:] in lang.classes:
                    words.update(lang.classes[a[1:]])
                    continue
                sub = _macro(lang, a[1:], depth) if a.startswith("@") else None
                got = _anchors(sub, lang, words_only, depth + 1) if sub is not None else None
                if got is None:
                    return None
                words.update(got)
                continue
            else:
                words.add(a.lower())
        if words_only and not all(WORDS.fullmatch(w) for w in words):
            return None  # punctuation is not seen by the prefilter
        return frozenset(words)
    if node.kind == "seq":
        best: frozenset[str] | None = None
        for c in node.children:
            got = _anchors(c, lang, words_only, depth)
            if got is not None and (best is None or _cost(got, lang) < _cost(best, lang)):
                best = got
        return best
    if node.kind == "alt":
        out: set[str] = set()
        for c in node.children:
            got = _anchors(c, lang, words_only, depth)
            if got is None:
                return None
            out |= got
        return frozenset(out)
    if node.kind == "slot" and node.children:
        return _anchors(node.children[0], lang, words_only, depth)
    return None


# tags a token's own text gives it (Language._form) beside its word classes
_FORM_TAGS = frozenset({"cap", "upper", "low", "num", "year", "brk", "comma", "punct"})


def _one_of(node: _Node, lang: Language, depth: int = 0) -> frozenset[str] | None:
    """Words one of which every match of ``node`` reads as a lemma or a form of one of its
    tokens (None: no such words known). Unlike :func:`_anchors` (the prefilter's, on a text's
    words) this holds of the tokens the pattern runs over: a word of a class counts only for
    a class given by its words (not by grammemes, nor a name a tag could share)."""
    if node.quant in ("?", "*") or node.quant.startswith("{0"):
        return None
    if node.kind == "atom":
        if node.value.startswith("!"):
            return None
        out: set[str] = set()
        for alt in node.value.split("|"):
            a = alt.split("&")[0]  # a token that is x&y is x
            if a == "_" or a.startswith("<"):
                return None
            if a.startswith('"'):
                out.add(a[1:-1].lower())
            elif a.startswith("@"):
                name = a[1:]
                if name in lang.macros:  # as _Compiler._one: a macro before a class
                    sub = _macro(lang, name, depth)
                    got = _one_of(sub, lang, depth + 1) if sub is not None else None
                    if got is None:
                        return None
                    out |= got
                elif (
                    name in lang.classes
                    and name not in lang.grammeme_classes
                    and name not in _FORM_TAGS
                    and name.islower()
                ):
                    out |= lang.classes[name]
                else:
                    return None
            else:
                out.add(a.lower())
        if any("\u00a6" in w or " " in w for w in out):
            return None  # not as the token's code spells it
        return frozenset(out)
    if node.kind == "seq":
        best: frozenset[str] | None = None
        for c in node.children:
            got = _one_of(c, lang, depth)
            if got is not None and (best is None or len(got) < len(best)):
                best = got
        return best
    if node.kind == "alt":
        return _union(node.children, lambda c: _one_of(c, lang, depth))
    if node.kind == "slot" and node.children:
        return _one_of(node.children[0], lang, depth)
    return None


def _requires(node: _Node, lang: Language) -> tuple[frozenset[str], ...]:
    """Sets of words each of which a match must read on some token (:func:`_one_of` of each
    element of the pattern's sequence that every match goes through)."""
    if node.kind == "slot" and node.children:
        return _requires(node.children[0], lang)
    if node.kind == "seq" and not node.quant:
        out: list[frozenset[str]] = []
        for c in node.children:
            out.extend(_requires(c, lang))
        return tuple(out)
    got = _one_of(node, lang)
    return (got,) if got is not None else ()


_INTERNED: dict[frozenset[str], frozenset[str]] = {}


def _interned(words: frozenset[str]) -> frozenset[str]:
    """One object for equal sets of required words (a verb class is required by hundreds of
    rules: kept once, not once per rule)."""
    return _INTERNED.setdefault(words, words)


def _cost(words: frozenset[str], lang: Language) -> int:
    """How often a prefilter on these words lets a sentence through: frequent words cost most."""
    return len(words) + 1000 * len(words & lang.common)


# -- rules ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    id: str
    pattern: str
    body: str  # the regular expression the pattern compiles to (compiled when first matched)
    slots: dict[str, str]  # regex group -> slot name
    anchors: frozenset[str] | None
    data: dict[str, Any]  # every other field of the rule (kind, stance, timing ...)
    examples: tuple[Any, ...] = ()
    source: str = ""
    left_slots: frozenset[str] = frozenset()
    first_words: frozenset[str] | None = None  # a match can only start on one of these words
    # a match reads one word of each of these sets on its tokens (Encoded.words)
    requires: tuple[frozenset[str], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern. Compiled when the rule is first tried: of the thousands of
        CAMEO rules a run tries few, and Python's regex compiler is the slowest part of
        loading them."""
        return re.compile(self.body)


@dataclass(frozen=True, slots=True)
class RuleMatch:
    rule: Rule
    start: int  # first token index of the phrasing (slots and edge gaps excluded)
    end: int  # one past its last token
    slots: dict[str, tuple[int, int]]  # slot name -> token span (empty span for a role marker)

    def side(self, slot: str) -> str:
        """``left`` for a slot that opens the pattern (it reads the clause before the phrasing),
        ``right`` for any other (it reads the words from the slot on)."""
        return "left" if slot in self.rule.left_slots else "right"


def compile_rule(raw: dict[str, Any], lang: Language, source: str = "") -> Rule:
    rule_id = str(raw.get("id") or "")
    pattern = raw.get("pattern")
    if not rule_id or not isinstance(pattern, str):
        raise RuleError(f"{source}: every rule needs an `id` and a `pattern` (got {raw!r})")
    tree = _parse(pattern, rule_id)
    if tree.kind == "alt" and _has_slot(tree):
        raise RuleError(
            f"rule {rule_id!r}: a pattern whose alternatives (' | ') hold slots must group them "
            "after its leading slot: write '{a} ( x | y )', not '{a} x | {a} y' (a slot opening "
            "an alternative would not read the clause before the phrasing)"
        )
    comp = _Compiler(lang, rule_id)
    body = comp.compile_top(tree)
    if not source.startswith("rules/"):
        # a user's rule (or one built in code) is checked now; the package's are checked by
        # the test suite and compiled when first tried (Rule.regex)
        try:
            re.compile(body)
        except re.error as exc:
            raise RuleError(f"rule {rule_id!r}: the pattern does not compile ({exc})") from exc
    lang.add_known_lemmas(comp.lemmas)
    if lang.dictionary is not None:
        lang.dictionary.add(comp.lemmas)  # a text without spaces is cut at the rules' words
    data = {k: v for k, v in raw.items() if k not in ("id", "pattern", "examples")}
    examples = tuple(raw.get("examples") or ())
    return Rule(
        rule_id,
        pattern,
        body,
        comp.slots,
        _anchors(tree, lang),
        data,
        examples,
        source,
        frozenset(comp.left_slots),
        comp.first_words,
        tuple(sorted({_interned(w) for w in _requires(tree, lang)}, key=len)),
    )


class _Group:
    """Rules that open on the same words (a verb block's forms): their tokens are looked up
    once per sentence."""

    def __init__(self, first: frozenset[str], members: list[tuple[int, Rule]]) -> None:
        self.first = first
        self.members = members


class RuleSet:
    """Rules of one kind (encounters, timing, stances ...), in priority order."""

    def __init__(self, name: str, rules: Iterable[Rule], lang: Language) -> None:
        self.name = name
        self.rules = tuple(rules)
        self.lang = lang
        self._always = tuple(i for i, r in enumerate(self.rules) if r.anchors is None)
        index: dict[str, list[int]] = {}
        for i, r in enumerate(self.rules):
            for w in r.anchors or ():
                index.setdefault(w, []).append(i)
        self._index = {w: tuple(v) for w, v in index.items()}

        self._seen: set[str] = set()  # words whose rules are known
        self._hits: dict[str, tuple[int, ...]] = {}  # word -> the rules it anchors (if any)

    def _learn(self, words: set[str]) -> None:
        if words <= self._seen:
            return  # every word known (most sentences once the common words are)
        for word in words - self._seen:
            found: set[int] = set()
            for lemma in self.lang.lemmas(word):
                found.update(self._index.get(lemma, ()))
            if found:
                self._hits[word] = tuple(sorted(found))
            self._seen.add(word)

    def _picked(self, words: set[str]) -> set[int]:
        """The candidates (:meth:`candidates`) of a text's ``words``, by rule index."""
        self._learn(words)
        hits = self._hits
        picked = set(self._always)
        for w in words & hits.keys():
            picked.update(hits[w])
        return picked

    def candidates(self, text: str, words: set[str] | None = None) -> list[Rule]:
        """The rules whose required words occur in ``text`` (and those that require none);
        ``words``: the text's lowercase words, when the caller has them already."""
        if words is None:
            words = sentence_words(text, self.lang)
        return [self.rules[i] for i in sorted(self._picked(words))]

    @functools.cached_property
    def index_of(self) -> dict[str, int]:
        """Rule id -> its place in the rule order."""
        return {r.id: k for k, r in enumerate(self.rules)}

    @functools.cached_property
    def _grouped(self) -> tuple[list[_Group], dict[int, int]]:
        """The rules with known first words, grouped by them (in rule order); rule index ->
        its group's index."""
        by_first: dict[frozenset[str], list[tuple[int, Rule]]] = {}
        for k, r in enumerate(self.rules):
            if r.first_words is not None:
                by_first.setdefault(r.first_words, []).append((k, r))
        groups = [_Group(first, members) for first, members in by_first.items()]
        group_of = {k: g for g, grp in enumerate(groups) for k, _ in grp.members}
        return groups, group_of

    @functools.cached_property
    def _opening(self) -> dict[str, tuple[int, ...]]:
        """Word (a form or a lemma) -> the groups (:attr:`_grouped`) that it opens."""
        groups, _ = self._grouped
        index: dict[str, list[int]] = {}
        for g, grp in enumerate(groups):
            for w in grp.first:
                index.setdefault(w, []).append(g)
        return {w: tuple(v) for w, v in index.items()}

    @functools.cached_property
    def _visit_info(self) -> tuple[list[int], list[tuple[frozenset[str], ...]]]:
        """Rule index -> its group (-1: no first words); rule index -> the sets of words it
        requires (:attr:`Rule.requires`) that its group's first words do not already give."""
        _, group_of = self._grouped
        groups = [group_of.get(k, -1) for k in range(len(self.rules))]
        need = [
            tuple(
                w
                for w in r.requires
                # a first word that stands is one of w: nothing more to check
                if r.first_words is None or not r.first_words <= w
            )
            for r in self.rules
        ]
        return groups, need

    @functools.cached_property
    def _loose(self) -> bool:
        """Whether some rule has no known first words."""
        return any(r.first_words is None for r in self.rules)

    def first_matches(
        self,
        enc: Encoded,
        words: set[str],
        open_at: Callable[[int], bool],
        is_gated: Callable[[Rule], bool],
    ) -> list[RuleMatch]:
        """At each token, the earliest candidate (:meth:`candidates` of the text's ``words``)
        that matches there among those that open on the same words (rules that ``is_gated``
        holds back are tried only where ``open_at`` the token), and every match of candidates
        with no known first words: what :meth:`Encoded.matches` and an overlap resolution by
        rule order would keep, with each token's rules tried in order until one matches.

        Only the groups whose first words stand in the sentence are visited: the sentence's
        tokens are looked up in an index of first words (built once), and a group's members
        are checked as candidates only then."""
        opening = self._opening
        # group -> the tokens where its first words stand, a list for each word
        at: dict[int, list[list[int]]] = {}
        for w, tokens in enc.index.items():
            hit = opening.get(w)
            if hit is None:
                continue
            for g in hit:
                found = at.get(g)
                if found is None:
                    at[g] = [tokens]
                else:
                    found.append(tokens)
        if not at and not self._loose:
            return []
        # the candidates of the groups found, in rule order, less those that require a word
        # no token has (beyond the first word the group stands on)
        group_of, need = self._visit_info
        picked = self._picked(words)
        present = enc.words
        visit: dict[int, list[Rule]] = {}
        rules = self.rules
        for k in sorted([k for k in picked if group_of[k] in at]):
            sets = need[k]
            if sets and _lacks(sets, present):
                continue
            members = visit.get(group_of[k])
            if members is None:
                visit[group_of[k]] = [rules[k]]
            else:
                members.append(rules[k])
        # and every candidate with no first words
        loose = [rules[k] for k in sorted(picked) if group_of[k] < 0] if self._loose else []
        out: list[RuleMatch] = []
        string, starts = enc.string, enc.starts
        for g in sorted(visit):
            members = visit[g]
            lists = at[g]
            for i in lists[0] if len(lists) == 1 else sorted(set().union(*lists)):
                is_open = open_at(i)
                pos = starts[i]
                for rule in members:
                    if not is_open and is_gated(rule):
                        continue
                    m = rule.regex.match(string, pos)
                    if m is not None:
                        match = enc.to_match(rule, m)
                        if match is not None:
                            out.append(match)
                            break
        if loose:
            out.extend(enc.matches(loose))
        return out

    def might_match(self, text: str, words: set[str] | None = None) -> bool:
        if self._always:
            return True
        if words is None:
            words = sentence_words(text, self.lang)
        self._learn(words)
        return not words.isdisjoint(self._hits.keys())


def _lacks(requires: tuple[frozenset[str], ...], words: frozenset[str]) -> bool:
    """Whether one of the sets of words a rule requires meets none of ``words`` (it cannot
    match)."""
    for need in requires:  # noqa: SIM110 (a loop: no generator made per rule)
        if need.isdisjoint(words):
            return True
    return False


def sentence_words(text: str, lang: Language | None = None) -> set[str]:
    """The lowercase words of a text, as the prefilter sees them (a text without spaces: the
    words its language's dictionary cuts it into)."""
    if lang is not None and lang.unspaced:
        return {t.lower for t in lang.tokenize(text)}
    return set(WORDS.findall(text.lower()))


# -- matching ------------------------------------------------------------------------------------
class Encoded:
    """A sentence's tokens as one string the compiled patterns run over."""

    def __init__(
        self, tokens: list[Token], extra_tags: list[AbstractSet[str]] | None = None
    ) -> None:
        self.tokens = tokens
        # the tags the extractor gave each token (PER, STATE, DATE ...), beside its own
        self.extra: list[AbstractSet[str]] = (
            extra_tags if extra_tags is not None else [set() for _ in tokens]
        )
        if extra_tags is None:
            pieces = [t.code + _END for t in tokens]
        else:
            if len(extra_tags) < len(tokens):
                raise IndexError("a token without its tags")
            pieces = [
                f"{t.code}{'|'.join(x)}|{_END}" if x else t.code + _END
                for t, x in zip(tokens, extra_tags, strict=False)
            ]
        self.string = _SOS + "".join(pieces)
        # where each token starts: after the sentence mark and the tokens before it
        self.starts = list(itertools.accumulate(map(len, pieces), initial=1))[:-1]

    @functools.cached_property
    def index(self) -> dict[str, list[int]]:
        """Each form or lemma of the sentence's tokens -> the tokens (ascending) that have it."""
        index: dict[str, list[int]] = {}
        get = index.get
        for i, t in enumerate(self.tokens):
            for w in t.lemmas:
                found = get(w)
                if found is None:
                    index[w] = [i]
                else:
                    found.append(i)
        return index

    @functools.cached_property
    def words(self) -> frozenset[str]:
        """Every word of the tokens' lemma fields (their forms and lemmas, as the patterns read
        them: a word a rule ``requires`` stands here or the rule cannot match)."""
        return frozenset(" ".join(self.index).split(" "))

    def token_at(self, pos: int) -> int:
        return bisect.bisect_left(self.starts, pos)

    def _positions(self, words: frozenset[str]) -> list[int]:
        """Token indices at which one of ``words`` stands (as a form or a lemma)."""
        index = self.index
        # the sentence's words that are among the rule's, looked up from the smaller side (a
        # rule's first words can be a class of hundreds of forms; `frozenset & dict.keys()`
        # would walk all of them)
        if len(words) > len(index):
            hit = [w for w in index if w in words]
        else:
            hit = [w for w in words if w in index]
        if not hit:
            return []
        if len(hit) == 1:
            return index[next(iter(hit))]
        found: set[int] = set()
        for w in hit:
            found.update(index[w])
        return sorted(found)

    def matches(
        self, rules: Iterable[Rule], allow: Callable[[Rule, int], bool] | None = None
    ) -> Iterator[RuleMatch]:
        """Every match of ``rules``; ``allow(rule, token)``, where given, says whether a rule
        may match at a token (it is asked before the pattern is tried, for rules whose first
        words are known)."""
        string, starts = self.string, self.starts
        for rule in rules:
            if rule.requires and _lacks(rule.requires, self.words):
                continue  # a word it needs is in no token
            if rule.first_words is None:
                for each in rule.regex.finditer(string):
                    match = self.to_match(rule, each)
                    if match is not None:
                        yield match
                continue
            # a match starts on one of the rule's first words: try there only
            regex = rule.regex
            last_end = -1
            for i in self._positions(rule.first_words):
                if allow is not None and not allow(rule, i):
                    continue
                pos = starts[i]
                if pos < last_end:
                    continue
                m = regex.match(string, pos)
                if m is not None:
                    last_end = m.end()
                    match = self.to_match(rule, m)
                    if match is not None:
                        yield match

    def to_match(self, rule: Rule, m: re.Match[str]) -> RuleMatch | None:
        """A regex match of ``rule`` as a RuleMatch (None if it is empty)."""
        if m.end() == m.start():
            return None
        starts = self.starts
        at = bisect.bisect_left
        slots: dict[str, tuple[int, int]] = {}
        for group, name in rule.slots.items():
            start, end = m.span(group)
            if start >= 0 and name not in slots:
                slots[name] = (at(starts, start), at(starts, end))
        start, end = m.span("__t")
        return RuleMatch(rule, at(starts, start), at(starts, end), slots)


# -- loading -------------------------------------------------------------------------------------
def _rule_entries(data: Any, source: str) -> list[dict[str, Any]]:
    if data is None:
        return []
    if isinstance(data, dict):
        data = data.get("rules")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise RuleError(f"{source}: a rule file holds a list of rules (or `rules:` with one)")
    return data


@functools.cache
def _package_rules(lang_code: str, name: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    out = []
    for file_name in data_dir_files(f"rules/{lang_code}"):
        stem = file_name.rsplit("/", 1)[-1].split(".", 1)[0]
        if stem == name or stem.startswith(f"{name}-") or stem.startswith(f"{name}_"):
            for raw in _rule_entries(load_yaml(file_name), file_name):
                out.append((file_name, raw))
    return tuple(out)


def _user_rules(
    dirs: tuple[str, ...], lang_code: str, name: str
) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for d in dirs:
        root = Path(d)
        folder = root / lang_code if (root / lang_code).is_dir() else root
        if not folder.is_dir():
            raise RuleError(f"{d}: no such rule folder; give a folder of rule files (*.yaml)")
        for path in sorted(folder.glob("*.yaml")):
            stem = path.stem
            if stem == name or stem.startswith(f"{name}-") or stem.startswith(f"{name}_"):
                try:
                    data = yaml.safe_load(path.read_text(encoding="utf-8"))
                except yaml.YAMLError as exc:
                    raise RuleError(f"{path}: not valid YAML ({exc})") from exc
                out.extend((str(path), raw) for raw in _rule_entries(data, str(path)))
    return out


_CACHE: dict[tuple[str, str, tuple[str, ...]], RuleSet] = {}


def rule_set(name: str, lang: Language, user_dirs: tuple[str, ...] = ()) -> RuleSet:
    """The rules ``data/rules/<lang>/<name>*.yaml``, user rules first (they take precedence)."""
    key = (name, lang.code, user_dirs)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    entries = [*_user_rules(user_dirs, lang.code, name), *_package_rules(lang.code, name)]
    rules = []
    seen: set[str] = set()
    for source, raw in entries:
        rule = compile_rule(raw, lang, source)
        if rule.id in seen:
            continue  # a user rule with a package rule's id replaces it
        seen.add(rule.id)
        rules.append(rule)
    rs = RuleSet(name, rules, lang)
    _CACHE[key] = rs
    return rs
