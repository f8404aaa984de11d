"""Scores extractions against gold: precision / recall / F1 per field, and readout-level rates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from communique.evaluate.gold import GoldDoc
from communique.model import ENCOUNTER_KINDS, Readout, kind_group

FIELDS = (
    "encounters",
    "kinds",
    "participants",
    "countries",
    "dates",
    "places",
    "agreements",
    "topics",
    "initiatives",
    "relationships",
    "attendees",
    "stances",
)
RATES = ("main_found", "counterpart_country", "kind", "counterpart_name", "principal", "date")
_SCORED_KINDS = ENCOUNTER_KINDS


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocResult:
    name: str
    counts: dict[str, Counts]
    rates: dict[str, bool]
    invented: list[str]
    errors: dict[str, dict[str, list[str]]] = field(default_factory=dict)


@dataclass
class Report:
    fields: dict[str, Counts]
    rates: dict[str, tuple[int, int]]  # name -> (hits, total)
    invented: tuple[int, int]
    documents: list[DocResult]
    failures: list[tuple[str, str]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "failures": [{"gold": g, "error": e} for g, e in self.failures],
            "fields": {
                k: {
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                    "tp": c.tp,
                    "fp": c.fp,
                    "fn": c.fn,
                }
                for k, c in self.fields.items()
            },
            "rates": {
                k: {"rate": round(h / t, 4) if t else None, "hits": h, "total": t}
                for k, (h, t) in self.rates.items()
            },
            "invented": {
                "rate": round(self.invented[0] / self.invented[1], 4) if self.invented[1] else 0,
                "documents": self.invented[0],
                "total": self.invented[1],
            },
        }


_PARTICLES = {
    "al",
    "el",
    "bin",
    "ibn",
    "de",
    "da",
    "van",
    "von",
    "der",
    "le",
    "la",
    "mr",
    "ms",
    "dr",
}


def name_tokens(name: str | None) -> frozenset[str]:
    """Comparable tokens of a name (casefolded, accents and particles stripped)."""
    if not name:
        return frozenset()
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).casefold()
    name = re.sub(r"'s\b", "", name)
    toks = re.findall(r"[a-z0-9\u0430-\u044f]+", re.sub(r"\b(al|el)-", "", name))
    return frozenset(t for t in toks if t not in _PARTICLES and len(t) > 1)


def same_person(g: tuple[str | None, str | None], p: tuple[str | None, str | None]) -> bool:
    """Same country and at least one shared name token ("Hayashi Yoshimasa" = "Yoshimasa
    Hayashi", "Blinken" = "Antony J. Blinken")."""
    return g[1] == p[1] and bool(name_tokens(g[0]) & name_tokens(p[0]))


def norm_place(name: str) -> str:
    from communique.extractor.lexicon import get_lexicon

    place = get_lexicon().places.get(name)
    if place is not None:
        name = place.name
    name = unicodedata.normalize("NFKD", name)
    return re.sub(r"[^a-z]", "", "".join(c for c in name if not unicodedata.combining(c)).lower())


def _compare(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> Counts:
    g, p = set(gold), set(pred)
    return Counts(len(g & p), len(p - g), len(g - p))


def _match(
    gold: list[Any], pred: list[Any], same: Callable[[Any, Any], bool]
) -> tuple[Counts, list[Any], list[Any]]:
    """Greedy one-to-one matching; returns counts and the unmatched gold and predicted items."""
    left = list(pred)
    missed = []
    tp = 0
    for g in gold:
        for i, p in enumerate(left):
            if same(g, p):
                tp += 1
                del left[i]
                break
        else:
            missed.append(g)
    return Counts(tp, len(left), len(missed)), missed, left


def _title_words(title: str) -> set[str]:
    stop = {"the", "a", "an", "of", "on", "and", "between", "in", "for", "to", "with", "such", "as"}
    return {w for w in re.findall(r"[a-z]+", title.lower()) if w not in stop and len(w) > 2}


def _same_agreement(g: tuple[str, frozenset[str]], p: tuple[str, frozenset[str]]) -> bool:
    if g[1] and p[1] and g[1] != p[1]:
        return False
    gw, pw = _title_words(g[0]), _title_words(p[0])
    if not gw or not pw:
        return False
    return len(gw & pw) / min(len(gw), len(pw)) >= 0.5


def _label(label: str) -> str:
    """A relationship label as compared: lowercase, without articles ("for a new era" = "for
    the new era")."""
    return " ".join(w for w in label.lower().split() if w not in ("a", "an", "the"))


# stances two sides hold towards each other ("the two sides agreed"; docs/gold-format.md)
MUTUAL_STANCES = frozenset({"agree", "cooperate", "cooperate_material", "meet", "sign"})


def _same_stance(g: tuple[str, str, str | None], p: tuple[str, str, str | None]) -> bool:
    return g[0] == p[0] and g[1] == p[1] and (g[2] == p[2] or g[2] is None or p[2] is None)


def _match_stances(
    gold: list[tuple[str, str, str | None]], pred: list[tuple[str, str, str | None]]
) -> tuple[Counts, list[Any], list[Any]]:
    """The largest one-to-one matching of stance facts (a fact with no target matches one with
    any; greedy matching would let it take the prediction that a fact with that very target
    needs), found by augmenting paths; returns counts and the unmatched gold and predicted."""
    owner: dict[int, int] = {}  # prediction -> gold

    def assign(g: int, seen: set[int]) -> bool:
        for k, p in enumerate(pred):
            if k in seen or not _same_stance(gold[g], p):
                continue
            seen.add(k)
            if k not in owner or assign(owner[k], seen):
                owner[k] = g
                return True
        return False

    matched = {g for g in range(len(gold)) if assign(g, set())}
    missed = [x for g, x in enumerate(gold) if g not in matched]
    extra = [p for k, p in enumerate(pred) if k not in owner]
    return Counts(len(owner), len(extra), len(missed)), missed, extra


class _View:
    """The extraction seen through the gold's units."""

    def __init__(self, r: Readout) -> None:
        self.r = r
        self.actors = {a.id: a for a in r.actors}

    def countries(self, ids: Iterable[str]) -> list[str]:
        out = []
        for i in ids:
            a = self.actors.get(i)
            c = a.country if a else i
            if c and c not in out:
                out.append(c)
        return out

    def persons(self, ids: Iterable[str]) -> list[tuple[str | None, str | None]]:
        out: list[tuple[str | None, str | None]] = []
        for i in ids:
            a = self.actors.get(i)
            if a is not None and a.kind == "person" and a.named:
                # the name as written and, where it differs, the lexicon's canonical name
                name = a.name if a.canonical in (None, a.name) else f"{a.name} {a.canonical}"
                out.append((name, a.country))
        return out

    def reported(self) -> list[Any]:
        return [e for e in self.r.events if e.kind in _SCORED_KINDS and e.timing == "reported"]


def score_document(gold: GoldDoc, readout: Readout) -> DocResult:
    v = _View(readout)
    counts: dict[str, Counts] = {}
    errors: dict[str, dict[str, list[str]]] = {}
    g_rep = [e for e in gold.encounters if e.timing == "reported" and e.kind in _SCORED_KINDS]
    p_rep = v.reported()

    def enc_key(
        kind: str, countries: Iterable[str | None], exact: bool
    ) -> tuple[str, tuple[str, ...]]:
        cs = tuple(sorted({c for c in countries if c}))
        return (kind if exact else kind_group(kind), cs)

    for name, exact in (("encounters", False), ("kinds", True)):
        gk = {enc_key(e.kind, (p.country for p in e.participants), exact) for e in g_rep}
        pk = {enc_key(e.kind, v.countries(e.actors + e.recipients), exact) for e in p_rep}
        counts[name] = _compare(gk, pk)
        errors[name] = {"missed": [str(x) for x in gk - pk], "extra": [str(x) for x in pk - gk]}
    gp = list(dict.fromkeys((p.names, p.country) for e in g_rep for p in e.participants if p.name))
    pp = list(dict.fromkeys(x for e in p_rep for x in v.persons(e.actors + e.recipients)))
    counts["participants"], pmiss, pextra = _match(gp, pp, same_person)
    errors["participants"] = {"missed": [str(x) for x in pmiss], "extra": [str(x) for x in pextra]}
    gc = {p.country for e in g_rep for p in e.participants if p.country}
    pc = {c for e in p_rep for c in v.countries(e.actors + e.recipients)}
    counts["countries"] = _compare(gc, pc)
    gd = {e.date for e in g_rep if e.date}
    pd = {e.date for e in p_rep if e.date}
    counts["dates"] = _compare(gd, pd)
    errors["dates"] = {"missed": sorted(gd - pd), "extra": sorted(pd - gd)}
    gpl = {(norm_place(e.place[0]), e.place[1]) for e in g_rep if e.place}
    ppl = {
        (norm_place(e.location.name), e.location.country)
        for e in p_rep
        if e.location and e.location.lat is not None
    }
    counts["places"] = _compare(gpl, ppl)
    errors["places"] = {"missed": [str(x) for x in gpl - ppl], "extra": [str(x) for x in ppl - gpl]}
    ga = list(gold.agreements)
    pa = [(a.title, frozenset(a.parties)) for a in readout.agreements]
    counts["agreements"], miss, extra = _match(ga, pa, _same_agreement)
    errors["agreements"] = {"missed": [m[0] for m in miss], "extra": [e[0] for e in extra]}
    if gold.is_readout:
        counts["topics"] = _compare(gold.topics, {t.id for t in readout.topics})
        errors["topics"] = {
            "missed": sorted(gold.topics - {t.id for t in readout.topics}),
            "extra": sorted({t.id for t in readout.topics} - gold.topics),
        }
        counts["initiatives"] = _compare(gold.initiatives, {i.name for i in readout.initiatives})
        counts["relationships"] = _compare(
            {(pair, _label(label)) for pair, label in gold.relationships},
            {(tuple(sorted(r.countries)), _label(r.label)) for r in readout.relationships},
        )
    ga_att = [(p.names, p.country) for p in gold.attendees if p.name]
    pa_att = v.persons(readout.attendees)
    counts["attendees"], _, _ = _match(ga_att, pa_att, same_person)
    gs = list(gold.statements)
    pub = gold.publisher_country
    ps: list[tuple[str, str, str | None]] = []
    for st in readout.statements:
        if not st.stance:
            continue  # a coded event with no stance of the taxonomy (a protest, an arrest)
        actors_c = v.countries(st.actors)
        targets = v.countries(st.recipients)
        for a in actors_c:
            if targets:
                ps.extend((a, st.stance, t) for t in targets if t != a)
            else:
                # a joint statement: for a mutual stance each side's target is the other
                # (docs/gold-format.md, "Stances"); a shared one about nobody named has none
                others = [c for c in actors_c if c != a] if st.stance in MUTUAL_STANCES else []
                if len(actors_c) > 2 and pub in actors_c:
                    # more than two sides: the publisher's principal and each counterpart,
                    # both ways, not every pair (docs/gold-format.md, "Stances")
                    others = [c for c in others if pub in (a, c)]
                ps.extend([(a, st.stance, o) for o in others] or [(a, st.stance, None)])
    ps = list(dict.fromkeys(ps))
    counts["stances"], smiss, sextra = _match_stances(gs, ps)
    errors["stances"] = {"missed": [str(m) for m in smiss], "extra": [str(e) for e in sextra]}

    rates: dict[str, bool] = {}
    gmain = gold.main
    pmain = readout.main_event
    if gold.is_readout and gmain is not None and gmain.kind in _SCORED_KINDS:
        pub = gold.publisher_country
        g_counter = [p for p in gmain.participants if p.country != pub or pub is None]
        g_home = [p for p in gmain.participants if pub is not None and p.country == pub]
        p_ids = (pmain.actors + pmain.recipients) if pmain else ()
        p_countries = set(v.countries(p_ids))
        p_persons = v.persons(p_ids)
        rates["main_found"] = pmain is not None
        rates["counterpart_country"] = pmain is not None and all(
            p.country in p_countries for p in g_counter if p.country
        )
        rates["kind"] = pmain is not None and kind_group(pmain.kind) == kind_group(gmain.kind)
        named = [p for p in g_counter if p.name]
        if named:
            rates["counterpart_name"] = pmain is not None and all(
                any(same_person((p.names, p.country), x) for x in p_persons) for p in named
            )
        home_named = [p for p in g_home if p.name]
        if home_named:
            rates["principal"] = pmain is not None and any(
                any(same_person((p.names, p.country), x) for x in p_persons) for p in home_named
            )
        if gmain.date:
            rates["date"] = pmain is not None and pmain.date == gmain.date
    gold_countries = {p.country for e in gold.encounters for p in e.participants if p.country}
    invented = []
    for e in p_rep:
        for c in v.countries(e.actors + e.recipients):
            if c not in gold_countries:
                invented.append(f"{e.kind}:{c}")
    return DocResult(_doc_name(gold), counts, rates, invented, errors)


def _doc_name(gold: GoldDoc) -> str:
    return f"{gold.corpus}#{gold.key}" if gold.key else gold.corpus


def aggregate(results: list[DocResult], failures: list[tuple[str, str]]) -> Report:
    fields = {f: Counts() for f in FIELDS}
    rates: dict[str, list[int]] = {r: [0, 0] for r in RATES}
    invented = 0
    for res in results:
        for f, c in res.counts.items():
            fields[f].tp += c.tp
            fields[f].fp += c.fp
            fields[f].fn += c.fn
        for r, ok in res.rates.items():
            rates[r][0] += int(ok)
            rates[r][1] += 1
        invented += bool(res.invented)
    return Report(
        fields=fields,
        rates={k: (h, t) for k, (h, t) in rates.items()},
        invented=(invented, len(results)),
        documents=results,
        failures=failures,
    )
