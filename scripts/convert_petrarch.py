#!/usr/bin/env python3
"""Convert the event-data field's open dictionaries into communique's own data files.

Reads (``--dictionaries``, default ``../shared/dictionaries``):

- ``petrarch2/CAMEO.2.0.txt``       PETRARCH's CAMEO verb-pattern dictionary (MIT)
- ``petrarch2/Phoenix.agents.txt``  generic agents -> sector codes (MIT)
- ``petrarch2/Phoenix.discards.txt`` phrases of stories and sentences not to code (MIT)
- ``plover/CAMEO2PLOVER-2021.txt``  PLOVER's CAMEO -> PLOVER type, mode, context table (CC BY-SA)

and ``scripts/cameo_codebook.tsv`` (CAMEO code names and Goldstein values), and writes
(``--out``, default ``src/communique/data``):

- ``cameo.tsv``                     every CAMEO code: name, Goldstein, PLOVER type, mode, context
- ``rules/en/cameo-1.yaml`` ...     the verb patterns as rules of our rule language (docs/rules.md),
  ``rules/en/cameo.yaml``           most specific first; ``cameo.yaml`` (read last) holds the
                                    bare verbs with their default codes
- ``lang/en/cameo-classes.yaml``    PETRARCH's synonym sets (``&CURRENCY``) as word classes
- ``lang/en/agents.yaml``           agent words -> sectors
- ``lang/en/discards.yaml``         discard phrases
- ``docs/cameo-conversion.md``      what was converted, what was dropped and why

Deterministic: the same inputs give byte-identical outputs (``--check`` verifies the committed
files without writing). Every rule is compiled with communique's engine and must match its
generated example sentence, also against all the other CAMEO rules (where two rules match
overlapping words the earlier wins), before it is written.

    .venv/bin/python scripts/convert_petrarch.py            # rebuild
    .venv/bin/python scripts/convert_petrarch.py --check    # exit 1 if a file would change
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


PETRARCH_COMMIT = "676801cd"
DATA = "src/communique/data"
PLOVER_COMMIT = "5e0c24fb"

# names used in generated example sentences
SOURCE_NAME, TARGET_NAME = "Germany", "France"
SKIP_FILLER = "the capital"  # PETRARCH's `^` (skip a noun phrase)

# gaps (in tokens) where PETRARCH's parse-tree matching allows words in between
GAP_VERB_OBJECT = 6  # verb ... first element after it (the object phrase may hold the target)
GAP_PARTICLE = 2  # verb ... particle ("set ... out", "put ... forward")
GAP_ELEMENT = 4  # between later elements
GAP_IN_PHRASE = 3  # preposition ... its noun ("for (much-needed) aid")
GAP_IN_NOUN_PHRASE = 2  # {FINANCIAL AID}: modifiers before the head
GAP_PRE_VERB = 3  # pre-verb word ... verb ("&MILITARY *": "troops on Tuesday staged")
SKIP_GAP = "~1-5"  # `^`: a noun phrase

PARTICLES = frozenset(
    [
        "out",
        "up",
        "off",
        "down",
        "in",
        "on",
        "over",
        "back",
        "away",
        "forward",
        "aside",
        "ahead",
        "together",
        "apart",
        "around",
        "through",
        "behind",
        "along",
        "across",
    ]
)
PRE_VERB_ADVERBS = frozenset(
    ["not", "will", "would", "never", "also", "again", "strongly", "already"]
)

# the words a noun reading of a verb form follows ("the meeting", "their support", "of aid"):
# `cameo.noun-guard` keeps such nouns from being coded as the verb
# verb forms that are nouns in news far more often than verbs, once a word other than a verb
# stands before them (security forces, peace talks): `cameo.noun-phrase-guard`
MOSTLY_NOUNS = [
    "accord", "aid", "arms", "attack", "attacks", "call", "calls", "clashes", "conflict", "conflicts",
    "control", "demands", "dispute", "disputes", "force", "forces", "pressure", "ruling",
    "strike", "strikes", "supplies", "talks", "visit", "visits",
]  # fmt: skip
NOUN_CUES = [
    "a",
    "an",
    "the",
    "this",
    "these",
    "those",
    "their",
    "his",
    "her",
    "its",
    "our",
    "my",
    "your",
    "another",
    "every",
    "whose",
    "'s",
    "of",
]


# -- small helpers ------------------------------------------------------------------------------
def q(s: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def strip_comment(line: str) -> tuple[str, str]:
    """(content, comment) of a dictionary line (`#` and, in verb lines, `;` start comments)."""
    for ch in ("#",):
        if ch in line:
            i = line.index(ch)
            return line[:i], line[i + 1 :].strip()
    return line, ""


# -- the CAMEO codebook and PLOVER's table -----------------------------------------------------
@dataclass
class Code:
    code: str
    name: str
    goldstein: float
    plover: str = ""
    mode: str = ""
    context: str = ""
    note: str = ""


def read_codebook(path: Path) -> dict[str, Code]:
    out: dict[str, Code] = {}
    lines = [
        ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")
    ]
    header = lines[0].split("\t")
    assert header == ["code", "name", "goldstein"], header
    for ln in lines[1:]:
        code, name, gold = ln.split("\t")
        out[code] = Code(code, name, float(gold))
    return out


def read_plover_table(path: Path) -> dict[str, tuple[str, str, str, str]]:
    """code -> (type, mode, context, description) from CAMEO2PLOVER-2021.txt (first line wins)."""
    out: dict[str, tuple[str, str, str, str]] = {}
    for ln in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*(.*)$", ln)
        if not m:
            continue
        code, rest = m.groups()
        body, _, desc = rest.partition("#")
        parts = [p.strip() for p in body.split(",")]
        parts += [""] * (3 - len(parts))
        typ, mode, ctx = parts[0], parts[1], parts[2]
        ctx = ";".join(c.strip() for c in ctx.split(";") if c.strip())
        if code not in out:
            out[code] = (typ, mode, ctx, desc.strip())
    return out


def build_code_table(
    codebook: dict[str, Code], plover: dict[str, tuple[str, str, str, str]]
) -> dict[str, Code]:
    table = dict(codebook)
    for code, (_typ, _mode, _ctx, desc) in plover.items():
        if code not in table:
            # a code only PLOVER's table lists (1213, 1214): named from it, valued as its parent
            parent = code[:3]
            table[code] = Code(
                code,
                desc,
                codebook[parent].goldstein,
                note=f"not in the CAMEO codebook; in PLOVER's table; Goldstein of {parent}",
            )
    for code, c in table.items():
        hit = plover.get(code)
        if hit:
            c.plover, c.mode, c.context = hit[0], hit[1], hit[2]
        elif code[:2] in ("01", "02"):
            c.note = (
                c.note or "cue category dropped in PLOVER (manual, CAMEO to PLOVER translation)"
            )
    return dict(sorted(table.items(), key=lambda kv: (kv[0][:2], kv[0])))


def write_code_table(table: dict[str, Code]) -> str:
    lines = [
        "code\tname\tgoldstein\tplover\tplover_mode\tplover_context\tnote",
    ]
    for c in table.values():
        lines.append(
            "\t".join([c.code, c.name, f"{c.goldstein:.1f}", c.plover, c.mode, c.context, c.note])
        )
    return "\n".join(lines) + "\n"


# -- parsing CAMEO.2.0.txt ---------------------------------------------------------------------
@dataclass
class Verb:
    words: list[str]  # the phrase's words, uppercase ("ASK", "FOR")
    head: int  # index of the inflected word
    forms: list[str] | None  # irregular forms of the head word ({...}); [] for `{}`; None: regular
    code: str | None  # its own code, if any
    line: int
    text: str


@dataclass
class Pattern:
    line: int
    text: str  # the pattern as written, without code and comment
    code: str
    comment: str


@dataclass
class Block:
    name: str
    code: str
    line: int
    verbs: list[Verb] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


@dataclass
class Dictionary:
    synsets: dict[str, list[tuple[str, bool]]]  # name -> [(phrase, no_plural)]
    blocks: list[Block]
    transformations: list[tuple[int, str]]
    odd_lines: list[tuple[int, str]]


_CODE = re.compile(r"\[([^\]]*)\]")


def parse_cameo(path: Path) -> Dictionary:
    lines = path.read_text(encoding="utf-8").splitlines()
    synsets: dict[str, list[tuple[str, bool]]] = {}
    blocks: list[Block] = []
    transformations: list[tuple[int, str]] = []
    odd: list[tuple[int, str]] = []
    current_syn: str | None = None
    block: Block | None = None
    in_verbs = False
    for no, raw in enumerate(lines, 1):
        if raw.startswith("####### VERB PATTERNS"):
            in_verbs = True
            current_syn = None
            continue
        if raw.startswith("---") and in_verbs:
            m = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]", raw)
            if not m:
                odd.append((no, raw))
                continue
            block = Block(m.group(1), m.group(2).strip(), no)
            blocks.append(block)
            continue
        content, comment = strip_comment(raw)
        if not content.strip():
            continue
        if not in_verbs:
            s = content.strip()
            if s.startswith("&"):
                current_syn = s[1:]
                synsets[current_syn] = []
            elif s.startswith("+") and current_syn is not None:
                phrase = s[1:].strip()
                synsets[current_syn].append((phrase.rstrip("_"), phrase.endswith("_")))
            continue
        s = content.strip()
        if s.startswith("~"):
            transformations.append((no, s))
            continue
        if block is None:
            odd.append((no, raw))
            continue
        if s.startswith("-"):
            codes = list(_CODE.finditer(s))
            if not codes:
                odd.append((no, raw))
                continue
            last = codes[-1]
            text = s[1 : last.start()].strip()
            tail = s[last.end() :].strip()
            block.patterns.append(
                Pattern(no, text + (" " + tail if tail else ""), last.group(1).strip(), comment)
            )
            continue
        s = s.split(";")[0].strip()  # "SCRAP {...};shan 8/30/93"
        m = re.match(r"^(\S+)\s*(\{[^}]*\})?\s*(\[[^\]]*\])?\s*$", s)
        if not m:
            odd.append((no, raw))
            continue
        phrase, forms, code = m.groups()
        words, head = _verb_words(phrase)
        form_list: list[str] | None = None
        if forms is not None:
            form_list = []
            for f in forms[1:-1].replace(",", " ").split():
                fw, fh = _verb_words(f)
                form_list.append(fw[fh])
        block.verbs.append(
            Verb(words, head, form_list, code[1:-1].strip() if code else None, no, s)
        )
    return Dictionary(synsets, blocks, transformations, odd)


def _verb_words(phrase: str) -> tuple[list[str], int]:
    """``+ASK_FOR`` -> (["ASK", "FOR"], 0); ``WIRE_+TAP`` -> (["WIRE", "TAP"], 1)."""
    parts = phrase.split("_")
    head = 0
    words = []
    for i, p in enumerate(parts):
        if p.startswith("+"):
            head = i
            p = p[1:]
        words.append(p)
    words = [w for w in words]
    return words, head


# -- patterns: PETRARCH -> an element list -----------------------------------------------------
class Unsupported(Exception):
    """A pattern our rule language cannot express (the reason is the message)."""


@dataclass
class El:
    kind: str  # verb | word | np | syn | pp | src | tgt | skip | both
    words: list[str] = field(default_factory=list)  # word: alternatives ("BY/WITH"); np: words
    syn: str = ""
    prep: list[str] = field(default_factory=list)  # pp: preposition alternatives
    inner: list[El] = field(default_factory=list)  # pp: its elements


def lex_pattern(text: str) -> list[str]:
    toks: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "(){}":
            toks.append(c)
            i += 1
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in "(){}":
                j += 1
            tok = text[i:j]
            if tok.startswith("*") and len(tok) > 1:  # "*SCEPTICAL", "*_LAWS": a missing blank
                toks.append("*")
                tok = tok[1:].lstrip("_")
            toks.append(tok)
            i = j
    return toks


def parse_pattern(text: str) -> list[El]:
    toks = lex_pattern(text)
    out: list[El] = []
    i = 0
    seen_verb = False
    while i < len(toks):
        t = toks[i]
        if t == "(":
            j = toks.index(")", i) if ")" in toks[i:] else -1
            if j < 0:
                raise Unsupported("unbalanced parenthesis")
            inner = toks[i + 1 : j]
            if not inner or "(" in inner:
                raise Unsupported("empty or nested prepositional phrase")
            prep = inner[0]
            if not re.fullmatch(r"[A-Z][A-Z'/-]*", prep):
                raise Unsupported(f"prepositional phrase without a preposition ({prep})")
            out.append(El("pp", prep=prep.split("/"), inner=_elements(inner[1:])))
            i = j + 1
            continue
        if t == ")":
            raise Unsupported("unbalanced parenthesis")
        if t == "{":
            j = toks.index("}", i) if "}" in toks[i:] else -1
            if j < 0:
                raise Unsupported("unbalanced brace")
            out.extend(_elements(toks[i : j + 1]))
            i = j + 1
            continue
        if t == "*":
            if seen_verb:
                raise Unsupported("two verb positions")
            seen_verb = True
            out.append(El("verb"))
            i += 1
            continue
        if "*" in t:
            raise Unsupported(f"the verb inside a word ({t})")
        out.extend(_elements([t]))
        i += 1
    if not seen_verb:
        raise Unsupported("no verb position (*)")
    return out


def _elements(toks: list[str]) -> list[El]:
    out: list[El] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t == "{":
            j = toks.index("}", i)
            words = toks[i + 1 : j]
            if not words:
                raise Unsupported("empty noun phrase")
            if any(w in ("$", "+", "^", "%", "*") for w in words):
                raise Unsupported("an actor or skip inside a noun phrase")
            out.append(El("np", words=words))
            i = j + 1
            continue
        if t in ("(", ")", "}"):
            raise Unsupported("unbalanced brackets")
        if t == "$":
            out.append(El("src"))
        elif t == "+":
            out.append(El("tgt"))
        elif t == "^":
            out.append(El("skip"))
        elif t == "%":
            out.append(El("both"))
        elif t == "*":
            raise Unsupported("the verb inside a phrase")
        elif t.startswith("&") and "_" not in t[1:].rstrip("_"):
            out.append(El("syn", syn=t[1:]))
        else:
            if not re.fullmatch(r"[A-Z0-9&][A-Z0-9'./&_-]*", t) and "/" not in t:
                raise Unsupported(f"unreadable word {t!r}")
            out.append(El("word", words=t.split("/")))
        i += 1
    return out


# -- our syntax ---------------------------------------------------------------------------------
_FORBIDDEN = set('()|{}~"?*+!^$&') | {" "}


class Writer:
    """Turns dictionary words into atoms of our rule language, with the engine's tokenizer."""

    def __init__(self, lang: Any, synsets: dict[str, list[tuple[str, bool]]]) -> None:
        self.lang = lang
        self.synsets = synsets
        # the word classes and macros of lang/en/cameo-classes.yaml: name -> word list | pattern
        self.classes: dict[str, list[str] | str] = {}

    def tokens(self, word: str) -> list[str]:
        """A dictionary word ("CEASE_FIRE", "U.N.", "RE_ELECT") as the engine's tokens."""
        w = word
        w = re.sub(r"^RE_", "RE-", w)
        w = w.replace("_", " ").strip().lower()
        return [t.lower for t in self.lang.tokenize(w)]

    @staticmethod
    def atom(tok: str) -> str:
        if any(c in _FORBIDDEN for c in tok) or not tok:
            return '"' + tok + '"'
        return tok

    def phrase(self, word: str) -> str:
        """A word or underscore phrase: its tokens as consecutive atoms; `&X` inside -> @class."""
        parts = []
        for kind, piece in split_word(word, self.synsets):
            if kind == "syn":
                parts.append(self.syn(piece))
            else:
                parts.extend(self.atom(t) for t in self.tokens(piece))
        if not parts:
            raise Unsupported(f"no words in {word!r}")
        return " ".join(parts)

    def syn(self, name: str) -> str:
        """A synonym set as a word class (its words and their plurals, PETRARCH's rules), or as
        a macro where some members are phrases (`armed forces`)."""
        if name not in self.synsets:
            raise Unsupported(f"undefined synonym set &{name}")
        cname = syn_class(name)
        if cname not in self.classes:
            words: list[str] = []
            phrases: list[str] = []
            no_plurals = name.endswith("_")
            for member, no_plural in self.synsets[name]:
                toks = self.tokens(member)
                if not toks:
                    continue
                forms = [" ".join(toks)]
                if not (no_plural or no_plurals):
                    forms.append(_plural(forms[0]))
                for f in forms:
                    target = words if " " not in f else phrases
                    if f not in target:
                        target.append(f)
            # a phrase is a noun phrase whose last word is its head (PETRARCH matches heads):
            # where the head is a member on its own, the phrase adds nothing, since a rule's
            # gaps let modifiers stand before a member ("attack helicopter": "helicopter")
            alts = []
            for ph in phrases:
                toks = ph.split(" ")
                if toks[-1] in words:
                    continue
                # the head as a lemma: its plural matches without a phrase of its own
                alt = " ".join([*(self.exact(t) for t in toks[:-1]), self.atom(toks[-1])])
                singular = " ".join([*(self.exact(t) for t in toks[:-1]), self.atom(toks[-1][:-1])])
                if alt not in alts and not (toks[-1].endswith("s") and singular in alts):
                    alts.append(alt)
            if not alts:
                self.classes[cname] = words
            else:
                alts.sort(key=lambda a: (-len(a.split()), a))
                if words:
                    self.classes[cname + "_words"] = words
                    alts.append("@" + cname + "_words")
                self.classes[cname] = "( " + " | ".join(alts) + " )"
        return "@" + cname

    @staticmethod
    def exact(tok: str) -> str:
        return '"' + tok + '"'

    def collect_heads(self, verbs: list[Verb]) -> None:
        """Every form of the inflected word of each phrasal verb (`ask` of `ask for`), over the
        whole dictionary: one class per word (cameo_forms_ask) serves all its phrases."""
        self.heads: dict[str, list[str]] = {}
        for v in verbs:
            if self.is_phrasal(v) and v.forms != []:
                base = self.tokens(v.words[v.head])[0]
                forms = self.heads.setdefault(base, [])
                forms.extend(f for f in verb_forms(self, v) if f not in forms)

    def is_phrasal(self, v: Verb) -> bool:
        return not (len(v.words) == 1 and len(self.tokens(v.words[0])) == 1)

    def verbs(self, name: str, verbs: list[Verb]) -> str:
        """The verbs of a block (or of its verbs with one code): a word class of every form of
        its one-word verbs (cameo_verb_meet_people: meet, meets, met, meeting ...), and its
        phrasal verbs written out beside it (`@cameo_forms_ask for`)."""
        cname = "cameo_verb_" + slug(name).replace("-", "_")
        words: list[str] = []
        phrases: list[str] = []
        for v in verbs:
            if not self.is_phrasal(v):
                words.extend(f for f in verb_forms(self, v) if f not in words)
                continue
            seq: list[str] = []
            for i, word in enumerate(v.words):
                toks = self.tokens(word)
                if i == v.head and len(toks) == 1 and v.forms != []:
                    forms = self.heads[toks[0]]
                    if len(forms) == 1:
                        seq.append(self.exact(forms[0]))
                    else:
                        hname = "cameo_forms_" + slug(toks[0]).replace("-", "_")
                        self.classes[hname] = forms
                        seq.append("@" + hname)
                elif i == v.head:
                    seq.extend(self.exact(t) for t in toks)  # `{}`: this form only
                else:
                    seq.extend(self.atom(t) for t in toks)
            text = " ".join(seq)
            if text not in phrases:
                phrases.append(text)
        # phrasal verbs are written in the pattern itself, not in a macro: the engine tries a
        # rule only where one of the words that open it stands, and it sees those words through
        # a word class or a group, not through a macro
        if words:
            self.classes[cname] = words
        if not phrases:
            return "@" + cname
        phrases.sort(key=lambda a: (-len(a.split()), a))
        return "( " + " | ".join(([f"@{cname}"] if words else []) + phrases) + " )"


def verb_forms(w: Writer, v: Verb) -> list[str]:
    """Every form of the verb's inflected word: those in {...}, else the regular ones (PETRARCH's
    rules, and English consonant doubling besides: plan, planned)."""
    toks = w.tokens(v.words[v.head])
    base = toks[0] if len(toks) == 1 else v.words[v.head].lower()
    if v.forms is not None:
        out = [base]
        if v.forms == []:
            return out
        for f in v.forms:
            ft = w.tokens(f)
            if len(ft) == 1 and ft[0] not in out:
                out.append(ft[0])
        return out
    return regular_forms(base)


def regular_forms(base: str) -> list[str]:
    out = [base]
    vowels = "aeiou"
    if base.endswith(("s", "x", "z", "sh", "ch")):
        out.append(base + "es")
    elif base.endswith("y") and len(base) > 1 and base[-2] not in vowels:
        out.append(base[:-1] + "ies")
    else:
        out.append(base + "s")
    if base.endswith("e"):
        out.append(base + "d")
    elif base.endswith("y") and len(base) > 1 and base[-2] not in vowels:
        out.append(base[:-1] + "ied")
    else:
        out.append(base + "ed")
    if base.endswith("ie"):
        out.append(base[:-2] + "ying")
    elif base.endswith("e") and len(base) > 2 and base[-2] not in vowels and base != "be":
        out.append(base[:-1] + "ing")
    else:
        out.append(base + "ing")
    # consonant-vowel-consonant: planned, committed (a spare form does no harm)
    if (
        len(base) >= 3
        and base[-1] not in vowels + "wxy"
        and base[-2] in vowels
        and base[-3] not in vowels
    ):
        out += [base + base[-1] + "ed", base + base[-1] + "ing"]
    return out


def split_word(word: str, synsets: dict[str, Any]) -> list[tuple[str, str]]:
    """``FIGHTER_&AIRCRAFT`` -> [("word", "FIGHTER"), ("syn", "AIRCRAFT")]; synonym set names
    may themselves hold underscores (``&FIGHT_OF_WORDS``)."""
    pieces = word.split("_")
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        if p.startswith("&"):
            for j in range(len(pieces), i, -1):  # the longest synonym set name
                name = "_".join(pieces[i:j])[1:]
                if name in synsets:
                    out.append(("syn", name))
                    i = j
                    break
            else:
                raise Unsupported(f"undefined synonym set {p}")
            continue
        if p:
            out.append(("word", p))
        i += 1
    return out


def syn_class(name: str) -> str:
    return "cameo_" + slug(name).replace("-", "_")


# -- example realisation --------------------------------------------------------------------------
def past_form(verb: Verb) -> str:
    """A past-tense form of the verb's head word: from its {...} forms (the base where none is a
    past: PUT {PUTS PUTTING}), else the regular one."""
    base = verb.words[verb.head].lower()
    if verb.forms is not None:
        forms = [f.lower() for f in verb.forms if f.lower() != base]
        for test in (lambda f: f.endswith("ed"), lambda f: f.endswith(("d", "t"))):
            for f in forms:
                if test(f):
                    return f
        for f in forms:
            if not f.endswith("s") and not f.endswith("ing"):
                return f
        return base
    if base.endswith("e"):
        return base + "d"
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        return base[:-1] + "ied"
    return base + "ed"


def example_verb(block: Block, comment: str) -> str:
    """The verb for a pattern's example: the pattern's own word (PETRARCH notes it: `# RUSH`) if
    it is one of the block's verbs, else the verb named like the block, else its first plain one."""
    words = {v.words[v.head].upper(): v for v in block.verbs if len(v.words) == 1}
    want = (comment.split() or [""])[0].upper().replace("-", "_")
    if want in words:
        return realise_verb(words[want])
    for name in (block.name.upper(), block.name.upper().split("_")[0]):
        if name in words:
            return realise_verb(words[name])
    for v in block.verbs:
        if len(v.words) == 1 and v.forms != []:
            return realise_verb(v)
    return realise_verb(block.verbs[0])


def realise_verb(verb: Verb) -> str:
    words = [x.lower() for x in verb.words]
    words[verb.head] = past_form(verb)
    return " ".join(words).replace("re_", "re-")


def realise_word(word: str, synsets: dict[str, list[tuple[str, bool]]]) -> str:
    parts = []
    for kind, piece in split_word(word, synsets):
        if kind == "syn":
            parts.append(synsets[piece][0][0].replace("_", " ").lower())
        else:
            parts.append(piece.lower())
    out = " ".join(parts)
    return re.sub(r"^re ", "re-", out)


# -- conversion ---------------------------------------------------------------------------------
@dataclass
class Rule:
    id: str
    pattern: str
    cameo: str | None
    reciprocal: str | None
    source: str
    examples: list[str]  # candidates; verification keeps the first that works
    tier: int  # 0: phrase patterns (most specific first), 1: the noun guard, 2: bare verbs
    weight: int  # number of literal elements (higher first)
    order: int


@dataclass
class Dropped:
    where: str
    text: str
    reason: str


def convert_pattern(
    w: Writer,
    block: Block,
    pat: Pattern,
    els: list[El],
    group: str,
    example_verb: str,
    reversed_roles: bool,
) -> tuple[str, list[str], int]:
    """(our pattern, example sentences to try, weight) for one PETRARCH pattern."""
    vi = next(i for i, e in enumerate(els) if e.kind == "verb")
    pre, post = els[:vi], els[vi + 1 :]
    flat = [x for e in els for x in (e, *e.inner)]
    n_src = sum(1 for x in flat if x.kind == "src")
    n_tgt = sum(1 for x in flat if x.kind == "tgt")
    n_both = sum(1 for x in flat if x.kind == "both")
    if n_src > 1 or n_tgt > 1 or n_both > 1:
        raise Unsupported("the same role twice")
    if n_both and (n_src or n_tgt):
        raise Unsupported("a compound actor with a source or target")
    # PETRARCH's $ (source) and + (target); `[:code]` codes the event the other way round
    roles = {"src": "b", "tgt": "a"} if reversed_roles else {"src": "a", "tgt": "b"}
    placed = ({roles["src"]} if n_src else set()) | ({roles["tgt"]} if n_tgt else set())
    subject_role: str | None = None  # a slot at the start: the clause before the phrasing
    object_role: str | None = None  # a slot after the verb (or after a final bare preposition)
    if not n_both:
        free = (
            [r for r in ("b", "a") if r not in placed]
            if reversed_roles
            else [r for r in ("a", "b") if r not in placed]
        )
        marker_first = bool(pre) and pre[0].kind in ("src", "tgt")
        if not marker_first and free:
            subject_role = free.pop(0)
        if free:
            object_role = free.pop(0)
    names = {"a": SOURCE_NAME, "b": TARGET_NAME}
    weight = 0

    def el_text(e: El) -> tuple[str, str]:
        nonlocal weight
        if e.kind == "word":
            alts = [w.phrase(x) for x in e.words]
            weight += 1
            txt = alts[0] if len(alts) == 1 else "( " + " | ".join(alts) + " )"
            return txt, realise_word(e.words[0], w.synsets)
        if e.kind == "np":
            weight += len(e.words)
            sub = [w.phrase(x) for x in e.words]
            return f" ~{GAP_IN_NOUN_PHRASE} ".join(sub), " ".join(
                realise_word(x, w.synsets) for x in e.words
            )
        if e.kind == "syn":
            weight += 1
            return w.syn(e.syn), realise_word("&" + e.syn, w.synsets)
        if e.kind in ("src", "tgt"):
            r = roles[e.kind]
            return "{" + r + "}", names[r]
        if e.kind == "both":
            return "{both}", f"{SOURCE_NAME} and {TARGET_NAME}"
        if e.kind == "skip":
            return SKIP_GAP, SKIP_FILLER
        if e.kind == "pp":
            weight += 1
            parts = [w.phrase(p) for p in e.prep]
            prep = parts[0] if len(parts) == 1 else "( " + " | ".join(parts) + " )"
            txt, ex = [prep], [realise_word(e.prep[0], w.synsets)]
            for x in e.inner:
                t, xe = el_text(x)
                if x.kind not in ("src", "tgt", "both", "skip"):
                    txt.append(f"~{GAP_IN_PHRASE}")
                txt.append(t)
                ex.append(xe)
            return " ".join(txt), " ".join(ex)
        raise Unsupported(f"unexpected element {e.kind}")

    parts: list[str] = []
    ex: list[str] = []
    # the subject and the words before the verb
    if subject_role:
        parts.append("{" + subject_role + "}")
    subject_ex = names[subject_role] if subject_role else ""
    pre_ex: list[str] = []
    for e in pre:
        txt, exs = el_text(e)
        parts.append(txt)
        if e.kind not in ("src", "tgt", "both"):
            parts.append(f"~{GAP_PRE_VERB}")
        pre_ex.append(exs)
    if pre:
        first = pre[0]
        noun_first = first.kind in ("np", "syn") or (
            first.kind == "word"
            and first.words[0].lower() not in PRE_VERB_ADVERBS
            and not first.words[0].endswith("LY")
        )
        if subject_ex and noun_first:
            subject_ex += "'s"  # "Germany's military staged exercises"
    ex.extend(x for x in [subject_ex, *pre_ex] if x)
    parts.append(group)
    ex.append(example_verb)

    # where the object slot goes: after a final bare preposition ("agree with {b}"), else
    # right after the verb, where it reads the whole object ("ask {b} for aid")
    after_prep = None
    if object_role:
        for k in range(len(post) - 1, -1, -1):
            if post[k].kind == "pp" and not post[k].inner:
                after_prep = k
                break
            if post[k].kind in ("pp", "word", "np", "syn"):
                break
        if after_prep is None:
            parts.append("{" + object_role + "}")
    post_ex: list[str] = []
    for k, e in enumerate(post):
        particle = e.kind == "word" and len(e.words) == 1 and e.words[0].lower() in PARTICLES
        txt, exs = el_text(e)
        if e.kind not in ("src", "tgt", "both", "skip"):
            gap = (GAP_PARTICLE if particle else GAP_VERB_OBJECT) if k == 0 else GAP_ELEMENT
            parts.append(f"~{gap}")
        parts.append(txt)
        if k == 0 and not particle and e.kind in ("word", "np", "syn"):
            last = (e.words[-1] if e.words else e.syn).lower()
            exs = ("" if last.endswith("s") else "the ") + exs  # "imposed the embargo"
        post_ex.append(exs)
        if k == after_prep and object_role:
            parts.append("{" + object_role + "}")
            post_ex.append(names[object_role])
    # the example's object: after its preposition; with a direct object, at the end after a
    # preposition ("imposed sanctions against France" reads better than "imposed France
    # sanctions"); the slot after the verb reads both. Variants in order of preference: the
    # converter keeps the first that the rule matches and no rule read earlier takes.
    variants: list[list[str]] = []
    if object_role and after_prep is None:
        name = names[object_role]
        direct = (
            bool(post)
            and post[0].kind in ("word", "np", "syn")
            and not (post[0].kind == "word" and post[0].words[0].lower() in PARTICLES)
        )
        if object_role == "a":
            variants.append([*post_ex, "by " + name])
        elif direct:
            variants.append([*post_ex, prep_for(pat.code) + " " + name])
        variants.append([name, *post_ex] if object_role == "b" else [*post_ex, "by " + name])
        variants.append(list(post_ex))
    else:
        variants.append(post_ex)
    sentences = []
    for v in variants:
        sentence = " ".join(x for x in [*ex, *v] if x).strip() + "."
        sentence = sentence[0].upper() + sentence[1:]
        if sentence not in sentences:
            sentences.append(sentence)
    return " ".join(parts), sentences, weight


def prep_for(code: str) -> str:
    root = code.lstrip(":")[:2]
    return {"04": "with", "05": "with", "06": "with", "07": "to", "08": "to", "03": "with"}.get(
        root, "against"
    )


def parse_code(raw: str) -> tuple[str | None, str | None, bool]:
    """(primary, reciprocal, reversed) of a PETRARCH code field; raises Unsupported."""
    raw = raw.replace("!", "").strip()
    if raw in ("---", ""):
        return None, None, False
    if ":" in raw:
        a, b = (x.strip() for x in raw.split(":", 1))
        if not a or a == "---":
            if not b or b == "---":
                return None, None, False
            return b, None, True
        return a, (b if b and b != "---" else None), False
    return raw, None, False


def convert(
    d: Dictionary, table: dict[str, Code], lang: Any
) -> tuple[list[Rule], list[Dropped], Writer, dict[str, int], set[str]]:
    w = Writer(lang, d.synsets)
    bare_words: set[str] = set()  # one-word verbs coded bare (for the noun guard)
    rules: list[Rule] = []
    dropped: list[Dropped] = []
    stats: collections.Counter[str] = collections.Counter()
    order = 0
    # PETRARCH files a verb under the first block that lists it (a later listing changes
    # nothing: neither its code nor the patterns that apply to it)
    owner: dict[str, str] = {}
    stats["verbs listed"] = sum(len(b.verbs) for b in d.blocks)
    stats["patterns"] = sum(len(b.patterns) for b in d.blocks)
    for block in d.blocks:
        keep = []
        for v in block.verbs:
            key = "_".join(("+" if i == v.head else "") + x for i, x in enumerate(v.words)).upper()
            if key in owner:
                where = (
                    "earlier in this block"
                    if owner[key] == block.name
                    else f"in block {owner[key]}"
                )
                dropped.append(
                    Dropped(
                        f"{block.name} line {v.line}",
                        v.text,
                        f"a verb already listed {where} (PETRARCH keeps the first)",
                    )
                )
                continue
            owner[key] = block.name
            keep.append(v)
        block.verbs = keep
    w.collect_heads([v for b in d.blocks for v in b.verbs])
    for block in d.blocks:
        stats["blocks"] += 1
        bslug = slug(block.name)
        if not block.verbs:
            for p in block.patterns:
                dropped.append(
                    Dropped(
                        f"{block.name} line {p.line}",
                        f"- {p.text} [{p.code}]",
                        "its verb block has no verbs",
                    )
                )
            continue
        stats["verbs"] += len(block.verbs)
        group = w.verbs(block.name, block.verbs)
        block_rules: list[Rule] = []
        last: dict[str, int] = {}  # PETRARCH stores patterns in a tree: a repeated one overwrites
        for k, p in enumerate(block.patterns, 1):
            last[re.sub(r"\s+", " ", p.text)] = k
        for k, p in enumerate(block.patterns, 1):
            where = f"{block.name} line {p.line}"
            original = f"- {p.text} [{p.code}]"
            try:
                primary, recip, rev = parse_code(p.code)
            except Unsupported as exc:
                dropped.append(Dropped(where, original, str(exc)))
                continue
            bad = [c for c in (primary, recip) if c is not None and c not in table]
            if bad:
                dropped.append(Dropped(where, original, f"unknown CAMEO code {bad[0]}"))
                continue
            norm = re.sub(r"\s+", " ", p.text)
            if last[norm] != k:
                later = block.patterns[last[norm] - 1]
                why = (
                    "duplicate of a later line"
                    if later.code == p.code
                    else (
                        f"overridden by line {later.line}, the same pattern coded [{later.code}] "
                        "(PETRARCH keeps the last)"
                    )
                )
                dropped.append(Dropped(where, original, why))
                continue
            if True:
                try:
                    els = parse_pattern(p.text)
                    if len(els) == 1:
                        raise Unsupported("the bare verb (the block's verbs code it)")
                    pattern, examples, weight = convert_pattern(
                        w, block, p, els, group, example_verb(block, p.comment), rev
                    )
                except Unsupported as exc:
                    dropped.append(Dropped(where, original, str(exc)))
                    continue
                src = f"PETRARCH2 CAMEO.2.0.txt: {block.name} {original}"
                if p.comment:
                    src += f"  # {p.comment}"
                order += 1
                block_rules.append(
                    Rule(
                        f"cameo.{bslug}.{k}",
                        pattern,
                        primary,
                        recip,
                        src,
                        examples,
                        0,
                        weight,
                        order,
                    )
                )
        rules.extend(merge_same_shape(block_rules, stats))
        # bare verbs: one rule per code
        by_code: dict[str, list[Verb]] = {}
        for v in block.verbs:
            raw = v.code if v.code is not None else block.code
            try:
                primary, recip, rev = parse_code(raw)
            except Unsupported:
                primary = None
            if primary is None:
                stats["verbs without a code"] += 1
                continue
            key = raw.replace("!", "").strip()
            by_code.setdefault(key, []).append(v)
        for raw, verbs in by_code.items():
            primary, recip, rev = parse_code(raw)
            where = f"{block.name} verbs"
            if primary not in table or (recip is not None and recip not in table):
                dropped.append(
                    Dropped(where, " ".join(v.text for v in verbs), f"unknown CAMEO code {raw}")
                )
                continue
            same = [id(v) for v in verbs] == [id(v) for v in block.verbs]
            vgroup = w.verbs(block.name if same else f"{block.name}_{slug(raw)}", verbs)
            for v in verbs:
                if len(v.words) == 1:
                    # the forms a noun may share: base, -s, -ing (not the past)
                    bare_words.update(verb_forms(w, v))
            names = (block.name.upper(), block.name.upper().split("_")[0])
            ev = next((v for n in names for v in verbs if v.words == [n]), None)
            ev = ev or next((v for v in verbs if len(v.words) == 1 and v.forms != []), verbs[0])
            if rev:
                pattern = "{b} " + vgroup + " {a}"
                examples = [f"{TARGET_NAME} {realise_verb(ev)} {SOURCE_NAME}."]
            else:
                pattern = "{a} " + vgroup + " {b}"
                examples = [f"{SOURCE_NAME} {realise_verb(ev)} {TARGET_NAME}."]
            src = f"PETRARCH2 CAMEO.2.0.txt: {block.name} " + ", ".join(v.text for v in verbs)
            if not any(v.code for v in verbs):
                src += f" (the block's code [{block.code}])"
            order += 1
            rules.append(
                Rule(
                    f"cameo.{bslug}.v{slug(raw)}",
                    pattern,
                    primary,
                    recip,
                    src,
                    examples,
                    2,
                    0,
                    order,
                )
            )
    for no, text in d.transformations:
        dropped.append(
            Dropped(
                f"line {no}",
                text,
                "a transformation (verb within verb): engine logic, not a pattern",
            )
        )
    for no, text in d.odd_lines:
        dropped.append(Dropped(f"line {no}", text.strip(), "unreadable line"))
    return rules, dropped, w, dict(stats), bare_words


_LAST_WORD = re.compile(r"^(.*) ([a-z0-9'./-]+(?:\|[a-z0-9'./-]+)*)$")


def merge_same_shape(rules: list[Rule], stats: collections.Counter[str]) -> list[Rule]:
    """Patterns of one block with one code that differ only in their last word become one rule
    (`* DEMONSTRATION [141]`, `* PROTEST [141]` -> `... demonstration|protest`): one line per
    meaning to read, and fewer regular expressions to compile."""
    groups: dict[tuple[Any, ...], list[tuple[Rule, list[str]]]] = {}
    out: list[Rule | tuple[Any, ...]] = []
    for r in rules:
        m = _LAST_WORD.match(r.pattern)
        if not m:
            out.append(r)
            continue
        key = (r.cameo, r.reciprocal, m.group(1))
        if key not in groups:
            groups[key] = []
            out.append(key)
        groups[key].append((r, m.group(2).split("|")))
    merged: list[Rule] = []
    for item in out:
        if isinstance(item, Rule):
            merged.append(item)
            continue
        members = groups[item]
        first = members[0][0]
        if len(members) == 1:
            merged.append(first)
            continue
        words: list[str] = []
        for _, ws in members:
            words.extend(x for x in ws if x not in words)
        stats["patterns merged into another rule"] += len(members) - 1
        head = first.source.split(": ", 1)[0]
        block = first.source.split(": ", 1)[1].split(" ", 1)[0]
        lines = [r.source.split(f": {block} ", 1)[1] for r, _ in members]
        examples = [e for r, _ in members for e in r.examples]
        merged.append(
            Rule(
                first.id,
                f"{item[2]} {'|'.join(words)}",
                first.cameo,
                first.reciprocal,
                f"{head}: {block} " + " / ".join(lines),
                examples,
                first.tier,
                first.weight,
                first.order,
            )
        )
    return merged


def noun_guards(w: Writer, words: set[str]) -> list[Rule]:
    """Rules read after the phrase patterns and before the bare verbs that match a verb form
    used as a noun, adjective or name, and code nothing: where one matches, the bare verb rule
    (which overlaps it) does not fire. PETRARCH tells nouns from verbs with a parser; these
    stand in for it."""
    w.classes["cameo_noun_cue"] = list(NOUN_CUES)
    w.classes["cameo_verb_forms"] = sorted(words)
    w.classes["cameo_mostly_nouns"] = sorted(f for f in MOSTLY_NOUNS if f in words)
    why = "communique, not PETRARCH: "
    return [
        Rule(
            "cameo.noun-guard",
            "@cameo_noun_cue @cameo_verb_forms",
            None,
            None,
            why + "a verb form after a determiner, a possessive or 'of' is a noun or an "
            "adjective (the meeting, their support, of aid, the agreed text)",
            ["Germany praised the meeting."],
            1,
            3,
            0,
        ),
        Rule(
            "cameo.name-guard",
            "( @cameo_verb_forms&<CAP> <CAP> | <CAP> @cameo_verb_forms&<CAP> )",
            None,
            None,
            why + "a capitalised verb form beside another capitalised word is part of a name "
            "(United Nations, Defense Forces)",
            ["Germany praised United Nations officials."],
            1,
            2,
            0,
        ),
        Rule(
            "cameo.noun-phrase-guard",
            "!@cameo_verb_forms _ @cameo_mostly_nouns",
            None,
            None,
            why + "after a word that is not a verb, these forms are nouns far more often than "
            "verbs in news (security forces, peace talks, rebel attacks, humanitarian aid)",
            ["Germany praised security forces."],
            1,
            1,
            0,
        ),
        Rule(
            "cameo.according-guard",
            "according to",
            None,
            None,
            why + "`according to` is no verb (ACCORD, GRANT block)",
            ["According to Germany, France praised Spain."],
            1,
            0,
            0,
        ),
    ]


def order_rules(rules: list[Rule]) -> list[Rule]:
    return sorted(rules, key=lambda r: (r.tier, -r.weight, r.order))


# -- verification ---------------------------------------------------------------------------------
def verification_language(classes: dict[str, list[str] | str]) -> Any:
    """English as the package loads it, plus the CAMEO classes (as the language loader will
    read them from every classes*.yaml)."""
    from communique.extractor import language

    lang = language.get_language.__wrapped__("en")  # a fresh copy: the cached one stays as it is
    add_classes(lang, classes)
    return lang


def add_classes(lang: Any, classes: dict[str, Any]) -> None:
    for name, value in classes.items():
        if isinstance(value, str):
            lang.macros[name] = value
        else:
            lang.classes[name] = frozenset(str(x).lower() for x in value)
    lang._class_cache.clear()


def verify(
    rules: list[Rule], table: dict[str, Code], lang: Any
) -> tuple[list[Rule], list[Dropped], dict[str, Any]]:
    """Compile every rule; keep those that match their example, also against all the others."""
    from communique.errors import RuleError
    from communique.extractor.rules import Encoded, RuleSet, compile_rule

    compiled = []
    kept: list[Rule] = []
    dropped: list[Dropped] = []
    for r in rules:
        try:
            c = compile_rule(rule_dict(r, table), lang, "cameo")
        except RuleError as exc:
            dropped.append(Dropped(r.id, r.source, f"does not compile: {exc}"))
            continue
        compiled.append((r, c))
    rs = RuleSet("cameo", [c for _, c in compiled], lang)
    bad_alone = bad_overlap = 0
    for r, c in compiled:
        problem = ""
        for example in r.examples:
            enc = Encoded(lang.tokenize(example))
            alone = list(enc.matches([c]))
            if not alone:
                problem = (
                    problem
                    or f"does not match its generated example {example!r} (converter limitation)"
                )
                continue
            cands = rs.candidates(example)
            order = {x.id: k for k, x in enumerate(cands)}
            found = sorted(enc.matches(cands), key=lambda m: (order[m.rule.id], m.start))
            winners: list[Any] = []
            for m in found:
                if any(m.start < k.end and k.start < m.end for k in winners):
                    continue
                winners.append(m)
            if c.id in {m.rule.id for m in winners}:
                r.examples = [example]
                kept.append(r)
                problem = ""
                break
            beaten = next(
                m.rule.id
                for m in winners
                if any(m.start < a.end and a.start < m.end for a in alone)
            )
            if not problem or problem.startswith("does not match"):
                problem = f"never fires: on its example {example!r} {beaten} (read earlier) takes its words"
        if problem:
            if problem.startswith("never fires"):
                bad_overlap += 1
            else:
                bad_alone += 1
            dropped.append(Dropped(r.id, r.source, problem))
    return kept, dropped, {"no match": bad_alone, "shadowed": bad_overlap}


def rule_dict(r: Rule, table: dict[str, Code]) -> dict[str, Any]:
    c = table[r.cameo] if r.cameo else None
    d: dict[str, Any] = {
        "id": r.id,
        "pattern": r.pattern,
        "cameo": r.cameo,
    }
    if r.reciprocal:
        d["cameo_reciprocal"] = r.reciprocal
    d.update(
        plover=(c.plover or None) if c else None,
        plover_mode=(c.mode or None) if c else None,
        plover_context=(c.context or None) if c else None,
        goldstein=c.goldstein if c else None,
        source=r.source,
        examples=r.examples[:1],
    )
    return d


# -- writing YAML by hand (stable, compact, readable) --------------------------------------------
def scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, float):
        return f"{v:.1f}"
    if isinstance(v, str):
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", v) and v.lower() not in (
            "null",
            "true",
            "false",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
        ):
            return v
        return q(v)
    return str(v)


def rules_yaml(header: str, rules: list[Rule], table: dict[str, Code]) -> str:
    out = [header.rstrip("\n"), ""]
    for r in rules:
        d = rule_dict(r, table)
        out.append(f"- id: {d['id']}")
        out.append(f"  pattern: {q(d['pattern'])}")
        out.append(f"  cameo: {q(d['cameo']) if d['cameo'] else 'null'}")
        if "cameo_reciprocal" in d:
            out.append(f"  cameo_reciprocal: {q(d['cameo_reciprocal'])}")
        for k in ("plover", "plover_mode", "plover_context", "goldstein"):
            out.append(f"  {k}: {scalar(d[k])}")
        out.append(f"  source: {q(d['source'])}")
        out.append(f"  examples: [{q(d['examples'][0])}]")
    return "\n".join(out) + "\n"


def classes_yaml(w: Writer) -> str:
    lines = [
        "# Word classes for the CAMEO rules (rules/en/cameo*.yaml): PETRARCH's synonym sets",
        "# (cameo_currency: &CURRENCY) and the verbs of each verb block (cameo_verb_meet_people:",
        "# MEET_PEOPLE), every form written out (meet, meets, met, meeting).",
        "# Generated by scripts/convert_petrarch.py from PETRARCH2 CAMEO.2.0.txt (openeventdata/",
        f"# petrarch2 commit {PETRARCH_COMMIT}, MIT; see ../../rules/en/CAMEO-LICENSE.md). Do not",
        "# edit: rerun the converter.",
        "#",
        "# Same structure as classes.yaml: `classes:` maps a name (written @name in a rule) to either",
        "# a list of words (lowercase; a token that is one of them carries the class) or a pattern",
        '# (a macro), used where a set holds phrases: cameo_verb_ask: "( \\"ask\\"|... \\"for\\" |',
        "# @cameo_verb_ask_words )\". Synonym sets list their plurals (PETRARCH's rules).",
        "classes:",
    ]
    for name in sorted(w.classes):
        value = w.classes[name]
        if isinstance(value, str):
            lines.append(f"  {name}: {q(value)}")
        else:
            lines.append(f"  {name}: [" + ", ".join(q(x) for x in value) + "]")
    return "\n".join(lines) + "\n"


# -- agents and discards --------------------------------------------------------------------------
def convert_agents(path: Path) -> tuple[str, dict[str, int]]:
    subst: dict[str, list[str]] = {}
    entries: dict[str, str] = {}
    sources: dict[str, int] = {}
    stats: collections.Counter[str] = collections.Counter()
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        content = raw.split("#")[0].strip()
        if not content:
            continue
        m = re.match(r"^(!\w+!)\s*=\s*(.*)$", content)
        if m:
            subst[m.group(1)] = [
                x.strip().replace(" ", "_") for x in m.group(2).split(",") if x.strip()
            ]
            continue
        m = re.match(r"^(.*?)\s*(\{[^}]*\})?\s*\[([^\]\}]*)[\]\}]\s*$", content)
        if not m:
            stats["unreadable lines"] += 1
            continue
        phrase, plural, code = m.group(1).strip(), m.group(2), m.group(3).strip()
        if code.startswith("~"):
            codes = code[1:]
            suffix = ""
        elif code.endswith("~"):
            codes = code[:-1]
            suffix = "~"
        else:
            stats["unreadable lines"] += 1
            continue
        if not re.fullmatch(r"(?:[A-Z]{3})+", codes):
            stats["unreadable codes"] += 1
            continue
        stats["entries"] += 1
        # expand !SUBST! markers: each member replaces the marker, no plural formed
        variants = [phrase]
        for marker, members in subst.items():
            variants = [
                x
                for v in variants
                for x in ([v.replace(marker, m) for m in members] if marker in v else [v])
            ]
        has_subst = "!" in phrase
        forms: list[str] = []
        for v in variants:
            base = _agent_phrase(v)
            if not base:
                continue
            forms.append(base)
            if has_subst:
                continue
            if plural is not None:
                for p in plural[1:-1].split():
                    pf = _agent_phrase(p)
                    if pf:
                        forms.append(pf)
            elif not v.rstrip().endswith("_"):
                forms.append(_plural(base))
        for f in forms:
            if f not in entries:
                entries[f] = codes + suffix
                sources[f] = no
    stats["phrases"] = len(entries)
    groups = collections.Counter(g for c in entries.values() for g in re.findall("[A-Z]{3}", c))
    unknown = set(groups) - set(SECTORS) - set(RELIGIONS) - set(OTHER_CODES)
    if unknown:
        raise SystemExit(f"agents: codes of no known kind {sorted(unknown)}: classify them")
    lines = [
        "# Agents: words for generic actors (offices, forces, groups) and the sectors they give an",
        "# actor, so that a source or target gets one (`USAGOV`, `RUSMIL`).",
        "# Generated by scripts/convert_petrarch.py from PETRARCH2 Phoenix.agents.txt (openeventdata/",
        f"# petrarch2 commit {PETRARCH_COMMIT}, MIT; see ../../rules/en/CAMEO-LICENSE.md). Do not edit:",
        "# rerun the converter.",
        "#",
        "# agents: lowercase phrase -> its CAMEO agent codes, three letters each (`GOVMIL`: government,",
        "#   military; `REBMUS`: rebels, Muslim). Singular and plural forms are each listed; a `~`",
        "#   between words means others may stand between them (PETRARCH's blank). An actor's sector",
        "#   is the first code listed under `sectors`; `religions` are not sectors. The codes go after",
        "#   the country's (`USA` + `GOV` = `USAGOV`); codes written with a trailing `~` go before it",
        "#   (`IGO~`: IGO observers).",
        "# sectors, religions, other: what each code means, and how many phrases carry it.",
    ]
    for title, names in (("sectors", SECTORS), ("religions", RELIGIONS), ("other", OTHER_CODES)):
        lines.append(f"{title}:")
        for code in sorted(names):
            lines.append(f"  {code}: {{name: {q(names[code])}, phrases: {groups.get(code, 0)}}}")
    lines.append("agents:")
    for f in sorted(entries):
        lines.append(f"  {q(f)}: {entries[f]}")
    return "\n".join(lines) + "\n", dict(stats)


def _agent_phrase(p: str) -> str:
    p = p.strip().rstrip("_")
    # underscore: consecutive words; blank: words may stand between (written ~)
    chunks = [c.strip() for c in re.split(r"\s+", p) if c.strip()]
    out = " ~ ".join(" ".join(x for x in c.split("_") if x) for c in chunks)
    out = re.sub(r"\s+", " ", out).strip().lower()
    return out


def _plural(p: str) -> str:
    """PETRARCH's regular plural of a phrase's last word (none for a word already ending in s)."""
    words = p.split(" ")
    last = words[-1]
    if last.endswith("ss"):
        last += "es"
    elif last.endswith("s"):
        return p
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    words[-1] = last
    return " ".join(words)


# CAMEO's actor codes that agents carry: sectors (roles) and religions (Phoenix's own MUS for
# Muslim, PPL for people in general)
SECTORS = {
    "AGR": "agriculture",
    "BUS": "business",
    "COP": "police",
    "CRM": "criminal",
    "CVL": "civilian",
    "DEV": "development",
    "EDU": "education",
    "ELI": "elites",
    "ENV": "environment",
    "GOV": "government",
    "HLH": "health",
    "HRI": "human rights",
    "IGO": "intergovernmental organization",
    "IMG": "international militarized group",
    "JUD": "judiciary",
    "LAB": "labor",
    "LEG": "legislature",
    "MED": "media",
    "MIL": "military",
    "NGO": "non-governmental organization",
    "OPP": "political opposition",
    "PTY": "political party",
    "RAD": "radical",
    "REB": "rebels",
    "REF": "refugees",
    "REL": "religious",
    "SPY": "state intelligence",
    "UAF": "unaligned armed forces",
}
RELIGIONS = {
    "BUD": "Buddhist",
    "CHR": "Christian",
    "CTH": "Catholic",
    "HIN": "Hindu",
    "JEW": "Jewish",
    "MAR": "Maronite",
    "MUS": "Muslim",
    "PRO": "Protestant",
}
OTHER_CODES = {"PPL": "people (no sector)"}


def convert_discards(path: Path) -> tuple[str, dict[str, int]]:
    story_stems: list[str] = []
    story_words: list[str] = []
    sent_stems: list[str] = []
    sent_words: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        content = raw.split("#")[0].strip()
        if not content:
            continue
        story = content.startswith("+")
        text = content.lstrip("+").strip()
        whole = text.endswith("_")
        text = re.sub(r"\s+", " ", text.rstrip("_").strip()).lower()
        if not text:
            continue
        target = (
            (story_words if whole else story_stems)
            if story
            else (sent_words if whole else sent_stems)
        )
        if text not in target:
            target.append(text)
    lines = [
        "# Discards: phrases that mark a story or a sentence as not to be coded (sports, entertainment,",
        '# history): "World Cup", "Academy Award", a year 1914-1971.',
        "# Generated by scripts/convert_petrarch.py from PETRARCH2 Phoenix.discards.txt (openeventdata/",
        f"# petrarch2 commit {PETRARCH_COMMIT}, MIT; see ../../rules/en/CAMEO-LICENSE.md). Do not edit:",
        "# rerun the converter.",
        "#",
        "# Matching, as PETRARCH's: case-insensitive, on text with runs of blanks made one blank; a phrase",
        '# matches where a word begins. `stems` may continue into a longer word ("basketball" matches',
        '# "basketballs"); `words` must end where a word ends. `story`: the whole document is not coded;',
        "# `sentence`: only the sentence that holds the phrase is not.",
    ]
    for name, stems, words in (
        ("story", story_stems, story_words),
        ("sentence", sent_stems, sent_words),
    ):
        lines.append(f"{name}:")
        for key, items in (("stems", stems), ("words", words)):
            lines.append(f"  {key}:")
            for it in sorted(items):
                lines.append(f"    - {q(it)}")
    stats = {
        "story phrases": len(story_stems) + len(story_words),
        "sentence phrases": len(sent_stems) + len(sent_words),
    }
    return "\n".join(lines) + "\n", stats


# -- the report -----------------------------------------------------------------------------------
def conversion_doc(
    stats: dict[str, Any],
    rules: list[Rule],
    dropped: list[Dropped],
    agent_stats: dict[str, int],
    discard_stats: dict[str, int],
    files: dict[str, int],
) -> str:
    reasons = collections.Counter(_reason_group(d.reason) for d in dropped)
    by_tier = collections.Counter(r.tier for r in rules)
    lines = [
        "# The CAMEO dictionaries, converted",
        "",
        "Generated by `scripts/convert_petrarch.py` (do not edit; rerun it). What the converter read from",
        "`../shared/dictionaries/`, what it wrote, and every PETRARCH pattern it left out, with the reason.",
        "",
        "## Counts",
        "",
        "| | |",
        "|---|---|",
        f"| verb blocks in CAMEO.2.0.txt | {stats['blocks']} |",
        f"| verbs (synonyms) listed in them / distinct | {stats['verbs listed']} / {stats['verbs']} |",
        f"| patterns in them | {stats['patterns']} |",
        f"| word classes (lang/en/cameo-classes.yaml: synonym sets, verb blocks) | {stats['classes']} |",
        f"| rules written | {len(rules)} |",
        f"| &nbsp; phrase patterns (coding) | {sum(1 for r in rules if r.tier == 0 and r.cameo)} |",
        f"| &nbsp; phrase patterns coding nothing (PETRARCH `[---]`: they keep a bare verb from firing) | {sum(1 for r in rules if r.tier == 0 and not r.cameo)} |",
        f"| &nbsp; noun guards (verb forms read as nouns or names; code nothing) | {by_tier[1]} |",
        f"| &nbsp; bare verbs (one rule per verb block and code) | {by_tier[2]} |",
        f"| patterns merged into another rule (same block, code and shape; last word differs) | {stats.get('patterns merged into another rule', 0)} |",
        f"| patterns and lines left out | {len(dropped)} |",
        f"| agents: entries / phrases with their forms | {agent_stats.get('entries', 0)} / {agent_stats.get('phrases', 0)} |",
        f"| discards: story / sentence phrases | {discard_stats['story phrases']} / {discard_stats['sentence phrases']} |",
        "",
        "Files: " + ", ".join(f"`{k}` ({v} bytes)" for k, v in files.items()) + ".",
        "",
        "## Left out, by reason",
        "",
        "| reason | count |",
        "|---|---|",
    ]
    for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| {reason} | {n} |")
    lines += ["", "## Every pattern left out", "", "| where | pattern | reason |", "|---|---|---|"]
    for d in dropped:
        lines.append(f"| {d.where} | `{d.text.replace('|', '/')}` | {d.reason.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def _reason_group(reason: str) -> str:
    if reason.startswith("unknown CAMEO code"):
        return "unknown CAMEO code"
    if reason.startswith("a verb already listed"):
        return "a verb already listed (PETRARCH keeps the first listing)"
    if reason.startswith("overridden by line"):
        return (
            "the same pattern again later in the block with another code (PETRARCH keeps the last)"
        )
    if reason.startswith("undefined synonym set"):
        return "undefined synonym set"
    if reason.startswith("does not match its generated example"):
        return "no example the rule matches could be generated"
    if reason.startswith("never fires"):
        return "never fires: a rule read earlier takes its words"
    if reason.startswith("unreadable word"):
        return "unreadable word"
    if reason.startswith("the verb inside"):
        return "the verb inside a word"
    return reason


# -- main -----------------------------------------------------------------------------------------
def build(dictionaries: Path) -> tuple[dict[str, str], str]:
    from communique.extractor.language import get_language

    codebook = read_codebook(ROOT / "scripts" / "cameo_codebook.tsv")
    plover = read_plover_table(dictionaries / "plover" / "CAMEO2PLOVER-2021.txt")
    table = build_code_table(codebook, plover)
    d = parse_cameo(dictionaries / "petrarch2" / "CAMEO.2.0.txt")

    base_lang = get_language.__wrapped__("en")
    rules, dropped, writer, stats, bare_words = convert(d, table, base_lang)
    rules.extend(noun_guards(writer, bare_words))
    classes = writer.classes
    classes_text = classes_yaml(writer)
    stats["classes"] = len(classes)
    rules = order_rules(rules)
    lang = verification_language(classes)
    kept, bad, vstats = verify(rules, table, lang)
    dropped += bad
    stats.update(vstats)

    header_common = (
        f"# Generated by scripts/convert_petrarch.py from PETRARCH2 CAMEO.2.0.txt (openeventdata/petrarch2\n"
        f"# commit {PETRARCH_COMMIT}, MIT: see CAMEO-LICENSE.md) and PLOVER's CAMEO2PLOVER-2021.txt (CC BY-SA\n"
        "# 4.0: see ../../PLOVER-LICENSE.md). Do not edit: rerun the converter (docs/cameo-conversion.md\n"
        "# lists what it left out and why).\n"
        "#\n"
        "# Each rule: `pattern` in our rule language (docs/rules.md): the verb block's verbs as lemmas\n"
        "# (irregular forms quoted), {a} the source (by default the subject: the clause before the\n"
        "# phrasing), {b} the target (by default what follows the verb), bounded gaps ~N where PETRARCH's\n"
        "# parse allowed words between, @cameo_* PETRARCH's synonym sets (lang/en/cameo-classes.yaml).\n"
        "# `cameo` the CAMEO code (null: the pattern codes nothing; PETRARCH's [---] keeps a verb's noun\n"
        "# or idiom from being coded), `cameo_reciprocal` PETRARCH's paired code for the reverse\n"
        "# direction ([042:043]: X visits Y, Y hosts X), `plover`, `plover_mode`, `plover_context` from\n"
        "# CAMEO2PLOVER-2021 (null where PLOVER drops the code: 01x, 02x), `goldstein` the code's value\n"
        "# (data/cameo.tsv), `source` the PETRARCH line it came from (block, pattern, and the word it was\n"
        "# first written for), `examples` a generated sentence it matches (checked by the converter).\n"
        "#\n"
        "# Files are read in name order (cameo-1.yaml, cameo-2.yaml, ..., cameo.yaml) and where two\n"
        "# rules match overlapping words the earlier wins: the most specific patterns come first,\n"
        "# cameo.yaml (last) holds the noun guards and the bare verbs with their default codes.\n"
    )
    phrase_rules = [r for r in kept if r.tier == 0]
    verb_rules = [r for r in kept if r.tier > 0]
    chunk = 1200
    outputs: dict[str, str] = {}
    n_files = max(1, (len(phrase_rules) + chunk - 1) // chunk)
    for i in range(n_files):
        part = phrase_rules[i * chunk : (i + 1) * chunk]
        head = (
            f"# CAMEO phrase patterns, part {i + 1} of {n_files} (most specific first).\n"
            + header_common
        )
        outputs[f"{DATA}/rules/en/cameo-{i + 1}.yaml"] = rules_yaml(head, part, table)
    outputs[f"{DATA}/rules/en/cameo.yaml"] = rules_yaml(
        "# CAMEO verbs: the noun guards, then every verb block's bare verbs with their default codes.\n"
        + header_common,
        verb_rules,
        table,
    )
    outputs[f"{DATA}/lang/en/cameo-classes.yaml"] = classes_text
    outputs[f"{DATA}/cameo.tsv"] = write_code_table(table)
    agents_text, agent_stats = convert_agents(dictionaries / "petrarch2" / "Phoenix.agents.txt")
    outputs[f"{DATA}/lang/en/agents.yaml"] = agents_text
    discards_text, discard_stats = convert_discards(
        dictionaries / "petrarch2" / "Phoenix.discards.txt"
    )
    outputs[f"{DATA}/lang/en/discards.yaml"] = discards_text
    sizes = {
        k.removeprefix(DATA + "/"): len(v.encode("utf-8"))
        for k, v in outputs.items()
        if k.endswith(".yaml")
    }
    doc = conversion_doc(stats, kept, dropped, agent_stats, discard_stats, sizes)
    summary = (
        f"{stats['blocks']} verb blocks, {stats['verbs listed']} verbs ({stats['verbs']} distinct), {stats['patterns']} patterns -> "
        f"{len(kept)} rules ({len(phrase_rules)} phrase patterns in {n_files} files, "
        f"{len(verb_rules)} in cameo.yaml); {len(dropped)} left out; "
        f"{len(classes)} classes; agents {agent_stats.get('phrases', 0)} phrases; "
        f"discards {discard_stats}"
    )
    outputs["docs/cameo-conversion.md"] = doc
    return outputs, summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument(
        "--dictionaries",
        type=Path,
        default=ROOT.parent / "shared" / "dictionaries",
        help="the shared dictionaries folder (default ../shared/dictionaries)",
    )
    ap.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="the project folder to write into (default: this checkout)",
    )
    ap.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any file would change"
    )
    args = ap.parse_args(argv)
    outputs, summary = build(args.dictionaries)
    changed = []
    for rel, text in outputs.items():
        path = args.root / rel
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            changed.append(rel)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    rules_dir = args.root / DATA / "rules" / "en"
    # the converter's numbered parts (cameo-1.yaml ...); other cameo-*.yaml files are the
    # project's own event rules (cameo-0-readouts.yaml), not the converter's to remove
    stale = [
        p
        for p in sorted(rules_dir.glob("cameo-*.yaml"))
        if re.fullmatch(r"cameo-\d+\.yaml", p.name) and f"{DATA}/rules/en/{p.name}" not in outputs
    ]
    for p in stale:
        changed.append(f"{DATA}/rules/en/{p.name} (stale)")
        if not args.check:
            p.unlink()
    print(summary)
    if changed:
        print(("would change: " if args.check else "wrote: ") + ", ".join(changed))
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
