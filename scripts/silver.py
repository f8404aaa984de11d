"""Development check on labels derived from State Department titles (not gold: titles are free labels).

"Secretary Blinken's Call with Estonian Foreign Minister Reinsalu" -> kind call, counterpart
country EST, counterpart surname Reinsalu, principal Blinken. Extraction reads the body only.
Prints the main-encounter rates and the misses. Usage: python scripts/silver.py [--show N]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from communique.documents.corpus import FieldMap, Record, iter_corpus
from communique.evaluate.gold import corpus_root
from communique.evaluate.scorer import name_tokens
from communique.extractor import extract_document
from communique.extractor.lexicon import COUNTRY, DEMONYM, ORG, get_lexicon

TITLE = re.compile(
    r"^(?P<who>.+?)['’]s? (?:(?P<tri>Trilateral|Virtual|Phone|Video|Bilateral|Joint) )?"
    r"(?P<kind>Call|Calls|Meeting|Meetings|Phone Call|Video Call|Conversation) [Ww]ith (?P<cp>.+)$"
)


def _wrapped(doc):  # type: ignore[no-untyped-def]
    """With --wrap N, the body hard-wrapped at N columns (as plain-text exports are)."""
    if "--wrap" not in sys.argv:
        return doc
    import dataclasses
    import textwrap

    width = int(sys.argv[sys.argv.index("--wrap") + 1])
    lines = [textwrap.fill(line, width) if line else line for line in doc.text.split("\n")]
    return dataclasses.replace(doc, text="\n\n".join(x for x in lines if x))


def main() -> None:
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0
    lex = get_lexicon()
    path = Path(corpus_root()) / "state-department/press-releases-2021-2022.jsonl.gz"
    fm = FieldMap(text="content_html", title="title", date="pubDate", url="link", key="link")
    n = hits_country = hits_kind = hits_name = hits_principal = found = invented = 0
    misses = []
    for rec in iter_corpus(path, fm):
        if not isinstance(rec, Record):
            continue
        m = TITLE.match(rec.document.title or "")
        if not m or "," in m.group("cp") or " and " in m.group("cp"):
            continue
        cp = m.group("cp")
        countries = []
        for lm in lex.find(cp):
            e = lm.first(COUNTRY, DEMONYM, ORG)
            if e is not None and e.key not in countries:
                countries.append(e.key)
        if len(countries) != 1:
            continue
        surname = cp.split()[-1]
        principal = m.group("who").split()[-1]
        kind = (
            "call"
            if re.search(r"Call|Phone|Video|Virtual|Conversation", m.group(0))
            else "in-person"
        )
        r = extract_document(_wrapped(rec.document))
        n += 1
        main = r.main_event
        ok = {"country": False, "kind": False, "name": False, "principal": False}
        if main is not None:
            found += 1
            ids = main.actors + main.recipients
            cs = r.countries_of(ids)
            names = [r.actor(i).name for i in ids if r.actor(i).kind == "person"]
            ok["country"] = countries[0] in cs
            ok["kind"] = (main.kind == "call") == (kind == "call")
            ok["name"] = any(name_tokens(surname) & name_tokens(x) for x in names)
            ok["principal"] = any(name_tokens(principal) & name_tokens(x) for x in names)
        hits_country += ok["country"]
        hits_kind += ok["kind"]
        hits_name += ok["name"]
        hits_principal += ok["principal"]
        allowed = {"USA", countries[0]}
        extra = {
            c
            for e in r.encounters
            if e.timing == "reported"
            for c in r.countries_of(e.actors + e.recipients)
            if c not in allowed
        }
        invented += bool(extra)
        if extra:
            misses.append((rec.document.title, [f"invented {sorted(extra)}"], r))
        if not all(ok.values()):
            misses.append((rec.document.title, [k for k, v in ok.items() if not v], r))
    print(
        f"{n} titled readouts; main found {found / n:.3f}; country {hits_country / n:.3f}; "
        f"kind {hits_kind / n:.3f}; counterpart name {hits_name / n:.3f}; principal {hits_principal / n:.3f}; with another country (invented or multilateral) {invented / n:.3f}"
    )
    for title, bad, r in misses[:show]:
        main = r.main_event
        desc = "none"
        if main is not None:
            desc = f"{main.kind} {[(r.actor(i).name, r.actor(i).country) for i in main.actors + main.recipients]}"
        first = r.text[:260].replace("\n", " | ")
        print(f"- {title}\n    wrong {bad}; got {desc}\n    {first}")


if __name__ == "__main__" and "--russia" not in sys.argv:
    main()


def russia() -> None:
    """Russian MFA posts that open with two flags (🇷🇺 + the counterpart's) and report a call,
    talks or a meeting: the counterpart country is the second flag."""
    import csv

    from communique.documents.load import make_document
    from communique.extractor.actors import flag_countries

    lex = get_lexicon()
    path = Path(corpus_root()) / "russia-mfa/mfa_telegram.csv"
    n = hits = kind_hits = 0
    misses = []
    for row in csv.DictReader(path.open(encoding="utf-8")):
        head = row["text"][:400]
        flags = [c for _, _, c in flag_countries(row["text"][:12], lex)]
        if len(flags) != 2 or flags[0] != "RUS":
            continue
        m = re.search(
            r"telephone conversation|phone call|held talks|talks with|held a meeting|met with|meeting with",
            head,
            re.I,
        )
        if not m:
            continue
        kind = "call" if re.search(r"phone", m.group(0), re.I) else "in-person"
        doc = make_document(
            row["text"], published=row["date"], url=f"https://t.me/MFARussia/{row['message_id']}"
        )
        r = extract_document(_wrapped(doc))
        n += 1
        main_e = r.main_event
        ok_c = main_e is not None and flags[1] in r.countries_of(main_e.actors + main_e.recipients)
        ok_k = main_e is not None and (main_e.kind == "call") == (kind == "call")
        hits += ok_c
        kind_hits += ok_k
        if not (ok_c and ok_k):
            desc = (
                "none"
                if main_e is None
                else f"{main_e.kind} {[(r.actor(i).name, r.actor(i).country) for i in main_e.actors + main_e.recipients]}"
            )
            misses.append((row["message_id"], flags[1], kind, desc, head[:200].replace("\n", " ")))
    print(f"{n} Russian MFA posts with two flags: country {hits / n:.3f}; kind {kind_hits / n:.3f}")
    for mid, c, k, desc, head in misses[:20]:
        print(f"- {mid} want {k} {c}; got {desc}\n    {head}")


if __name__ == "__main__" and "--russia" in sys.argv:
    russia()
