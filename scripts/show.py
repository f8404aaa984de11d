"""Print a compact view of a Readout (development aid): python scripts/show.py FILE|-"""

import sys

import communique
from communique.documents import make_document, read_document


def show(r: communique.Readout) -> None:
    x = r.to_dict()
    d = x["document"]
    print("##", d["title"], "|", d["published"], d["source_country"])
    for a in x["actors"]:
        if a["kind"] == "person":
            print("  actor", a["id"], a["name"], a["country"], a["titles"], len(a["mentions"]))
    for e in x["events"]:
        ev = e["evidence"][0]
        loc = e["location"]["name"] if e["location"] else None
        print(
            "  ",
            e["id"],
            e["kind"],
            e["timing"],
            e["actors"],
            "->",
            e["recipients"],
            e["date"],
            loc,
            e["occasion"],
            e["stance"] or "",
            "|",
            r.text[ev["start"] : ev["end"]][:90],
        )
    for a in x["agreements"]:
        print("  agreement", a["title"][:80], a["parties"])
    print("  topics", x["topics"])
    print("  initiatives", [i["name"] for i in x["initiatives"]])
    print("  relationships", [(r["countries"], r["label"]) for r in x["relationships"]])
    print("  attendees", x["attendees"])


if __name__ == "__main__":
    arg = sys.argv[1]
    doc = make_document(sys.stdin.read()) if arg == "-" else read_document(arg)
    show(communique.extract(doc))
