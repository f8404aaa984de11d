"""Accuracy on a corpus without annotation: titles as free labels, the body as the input.

Many corpora title each readout with its kind and counterpart ("Secretary Blinken's Call with
Estonian Foreign Minister Reinsalu", "Telephone conversation with President Stubb", "Russian-
Omani talks"). :func:`evaluate_titles` reads each title with the title rules
(``data/rules/<lang>/titles.yaml``), extracts from the body alone (the title withheld, as in many
feeds) and reports, per field, how often the main encounter agrees with the title: the
counterpart's country, the kind (call or in person), the counterpart's name and the publisher's
principal; and how often the body yields an encounter with a country the title does not name.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique.documents.corpus import FieldMap, Record, iter_corpus
from communique.documents.normalize import normalize_text
from communique.extractor import analyse, extract_document, language_of
from communique.extractor.analysis import Grammar, get_grammar
from communique.extractor.language import get_language
from communique.extractor.lexicon import COUNTRY, DEMONYM, ORG, get_lexicon
from communique.extractor.rules import Encoded
from communique.model import Document, Readout, kind_group

FIELDS = ("counterpart_country", "kind", "counterpart_name", "principal")


@dataclass(frozen=True, slots=True)
class TitleLabel:
    """What a title says: the kind of encounter and who took part."""

    kind: str  # call | in-person | message
    countries: tuple[str, ...]  # the counterpart's country or organisation (one)
    counterpart: str | None  # a name token of the counterpart, when the title names a person
    principal: str | None  # a name token of the principal, when the title names one
    rule: str


@dataclass
class TitleReport:
    """Agreement of body extractions with their titles, field by field."""

    corpus: str
    labelled: int = 0
    unlabelled: int = 0
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    invented: int = 0
    disagreements: list[dict[str, Any]] = field(default_factory=list)

    def rate(self, name: str) -> float | None:
        return self.hits[name] / self.totals[name] if self.totals[name] else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "labelled": self.labelled,
            "unlabelled": self.unlabelled,
            "fields": {
                name: {"rate": self.rate(name), "hits": self.hits[name], "total": self.totals[name]}
                for name in FIELDS
            },
            "invented": {
                "rate": self.invented / self.labelled if self.labelled else 0.0,
                "documents": self.invented,
                "total": self.labelled,
            },
            "disagreements": self.disagreements,
        }


def _fold(s: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c)
    )


def _name_tokens(text: str) -> set[str]:
    """The parts of a name that names compare on: words of three letters or more, or of two
    ideographs ("楚普": the last part of "穆罕默德·谢哈布丁·楚普")."""
    return {
        _fold(t)
        for t in re.findall(r"[^\W\d_][\w'\-]*", text)
        if len(t) > 2 or (len(t) == 2 and not t.isascii() and not t[0].isupper())
    }


def _capitalised(text: str) -> list[str]:
    """Capitalised words, in any script."""
    return [w for w in re.findall(r"[^\W\d_][\w'\-]+", text) if w[:1].isupper()]


def parse_title(
    title: str, grammar: Grammar | None = None, language: str | None = None
) -> TitleLabel | None:
    """The label a title gives, or None when no title rule reads it (or it names several
    counterpart countries). ``language``: the title's (its corpus record's); the title rules
    and the lexicon are that language's."""
    grammar = grammar or get_grammar(get_language(language or "en"))
    code = grammar.lang.code
    an = analyse(Document(text=normalize_text(title), language=code))
    if not an.sentences:
        return None
    rules = grammar.titles
    lex = get_lexicon(code)
    for i, _sent in enumerate(an.sentences[:1]):
        enc: Encoded = an.encoded(i)
        for m in enc.matches(rules.candidates(an.sentences[i].text)):
            slots = m.slots
            span = slots.get("counterpart") or slots.get("both")
            if span is None:
                continue
            start, end = an.char_start(i, span[0]), an.char_end(i, span[1])
            phrase = an.text[start:end]
            countries = []
            for lm in lex.find(phrase):
                entry = lm.first(COUNTRY, DEMONYM, ORG)
                if entry is not None and entry.key not in countries:
                    countries.append(entry.key)
            persons = [
                r
                for r in an.actors.refs_between(start, end)
                if r.kind == "person" and an.actors.persons[r.key].named
            ]
            for r in persons:
                person = an.actors.persons[r.key]
                if (
                    person.country
                    and (person.country_explicit or person.known)
                    and person.country not in countries
                ):
                    countries.append(person.country)
            counterpart = None
            if "counterpart" in slots:
                if _several(phrase, grammar):
                    return None  # "Call with Transatlantic Quad Foreign Ministers"
                tags = set().union(*(t.tags for t in enc.tokens[span[0] : span[1]]))
                if (
                    not persons
                    and not any(m.first("title") for m in lex.find(phrase))
                    and "TITLE" not in tags
                ):
                    return None  # "Meeting with Moldovan Civil Society": no office holder
                if persons:
                    # the last word of the name that names compare on ("Wang", not "Yi")
                    toks = persons[0].key.split(" ")
                    counterpart = next((t for t in reversed(toks) if len(t) > 2), toks[-1])
                else:
                    words = _capitalised(phrase)
                    counterpart = words[-1] if words else None
            principal = None
            if "principal" in slots:
                ps, pe = (
                    an.char_start(i, slots["principal"][0]),
                    an.char_end(i, slots["principal"][1]),
                )
                heads = [r for r in an.actors.refs_between(ps, pe) if r.kind == "person"]
                p_words = _capitalised(an.text[ps:pe])
                if heads:
                    principal = heads[0].key.split(" ")[-1]  # the canonical name's surname
                else:
                    principal = p_words[-1] if p_words else None
            return TitleLabel(
                str(m.rule.get("kind")), tuple(countries), counterpart, principal, m.rule.id
            )
    return None


def _several(phrase: str, grammar: Grammar) -> bool:
    """Whether a counterpart phrase names several parties ("French and German counterparts",
    "多米尼克总理、俄罗斯国家杜马副主席")."""
    lang = grammar.lang
    if lang.unspaced:
        return any(j in phrase for j in lang.joiners)
    words = re.findall(r"[\w']+|[,&]", phrase.lower())
    plural = lang.words.get("plural_heads") or ()
    return bool({"and", ",", "&"} & set(words)) or bool(words and words[-1] in plural)


def _publisher_free(label: TitleLabel, publisher: str | None) -> TitleLabel | None:
    countries = tuple(c for c in label.countries if c != publisher)
    if len(countries) != 1:
        return None  # none, or several counterparts: not a label for one encounter
    return dataclasses.replace(label, countries=countries)


def _title_heads(body: str, title: str) -> bool:
    """Whether the text opens with the title, running into the lead on the same line."""
    title = title.strip()
    at = body.find(title, 0, len(title) + 200)
    return at >= 0 and "\n" not in body[: at + len(title) + 1]


def _first_line(text: str) -> tuple[str, str]:
    head, _, rest = text.strip().partition("\n")
    return head.strip(), rest.strip()


def score_one(label: TitleLabel, readout: Readout) -> tuple[dict[str, bool | None], set[str]]:
    """Field by field, whether the body's main encounter agrees with the title (None: the title
    says nothing of that field); and the countries of reported encounters the title does not
    name."""
    main = readout.main_event
    publisher = readout.document.source_country
    ids = (main.actors + main.recipients) if main else ()
    countries = set(readout.countries_of(ids)) if main else set()
    names = set().union(*(_actor_name_tokens(readout, i) for i in ids)) if main else set()
    out: dict[str, bool | None] = {
        "counterpart_country": main is not None and label.countries[0] in countries,
        "kind": main is not None and _group(main.kind) == label.kind,
        "counterpart_name": None,
        "principal": None,
    }
    if label.counterpart and _fold(label.counterpart) not in {"president", "minister"}:
        out["counterpart_name"] = main is not None and _fold(label.counterpart) in names
    if label.principal and _fold(label.principal) in _known_surnames() | names:
        out["principal"] = main is not None and _fold(label.principal) in names
    elif publisher:
        out["principal"] = main is not None and publisher in countries
    allowed = {label.countries[0], publisher}
    extra = {
        c
        for e in readout.encounters
        if e.timing == "reported"
        for c in readout.countries_of(e.actors + e.recipients)
        if c not in allowed
    }
    return out, extra


def _actor_name_tokens(readout: Readout, actor_id: str) -> set[str]:
    """The name tokens of an actor as written and of its canonical name ("习近平": Xi Jinping)."""
    a = readout.actor(actor_id)
    return _name_tokens(a.name) | _name_tokens(a.canonical or "")


def _group(kind: str) -> str:
    return "in-person" if kind_group(kind) == "in-person" else kind


def _known_surnames() -> frozenset[str]:
    lex = get_lexicon()
    return frozenset(_fold(s) for s in lex.surnames)


def evaluate_titles(
    path: str | Path,
    fieldmap: FieldMap | None = None,
    *,
    title_line: bool = False,
    limit: int | None = None,
    extract: Callable[[Document], Readout] = extract_document,
) -> TitleReport:
    """Extract every titled record of a corpus from its body and compare with its title.

    ``title_line``: the corpus has no title field; the first line of each text is its label,
    withheld from the body when it is a heading (a first line that is the lead sentence, as in
    a Telegram post, stays in the body: the label then checks the rules' reading of the lead
    against the title rules' reading of it)."""
    report = TitleReport(corpus=str(path))
    for rec in _records(iter_corpus(path, fieldmap or FieldMap()), limit):
        doc = rec.document
        grammar = get_grammar(language_of(doc))  # titles are read in the body's language
        title = doc.title or ""
        body = doc.text
        if title_line:
            title, rest = _first_line(doc.text)
            # a heading line is withheld; a first line that is the lead sentence is body text
            if not title.rstrip(" )").endswith((".", "!", "?")):
                body = rest
        elif title and _title_heads(body, title):
            # a page whose text opens with its title (a breadcrumb, the title, the lead on one
            # line): the body starts after it
            body = body[body.find(title.strip()) + len(title.strip()) :].strip()
        label = parse_title(title, grammar) if title else None
        if label is not None:
            label = _publisher_free(label, doc.source_country)
        if label is None or not body:
            report.unlabelled += 1
            continue
        readout = extract(dataclasses.replace(doc, text=body, title=None))
        fields, extra = score_one(label, readout)
        report.labelled += 1
        wrong = []
        for name, ok in fields.items():
            if ok is None:
                continue
            report.totals[name] += 1
            report.hits[name] += bool(ok)
            if not ok:
                wrong.append(name)
        if extra:
            report.invented += 1
            wrong.append("invented " + " ".join(sorted(extra)))
        if wrong:
            main = readout.main_event
            got = (
                f"{main.kind} {sorted(readout.countries_of(main.actors + main.recipients))}"
                if main
                else "no main encounter"
            )
            report.disagreements.append(
                {"key": rec.key, "title": title, "wrong": wrong, "got": got, "rule": label.rule}
            )
    return report


def _records(items: Iterable[object], limit: int | None) -> Iterable[Record]:
    n = 0
    for item in items:
        if isinstance(item, Record):
            yield item
            n += 1
            if limit is not None and n >= limit:
                return


def title_floor_problems(report: TitleReport, floors: dict[str, float]) -> list[str]:
    """Each figure below its pinned floor (``invented`` is a ceiling)."""
    problems = []
    for name in FIELDS:
        floor = floors.get(name)
        rate = report.rate(name)
        if floor is not None and rate is not None and rate + 1e-9 < floor:
            problems.append(f"{name} {rate:.3f} < {floor}")
    ceiling = floors.get("invented")
    invented = report.to_dict()["invented"]["rate"]
    if ceiling is not None and invented > ceiling + 1e-9:
        problems.append(f"invented {invented:.3f} > {ceiling}")
    return problems
