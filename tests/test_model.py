import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import communique
import communique.documents
from communique.model import Readout


def test_readout_json_round_trip_on_every_example(examples: Path) -> None:
    for path in sorted(examples.glob("*.*")):
        if path.name == "README.md":
            continue
        r = communique.extract(communique.documents.read_document(path))
        data = json.loads(r.to_json())
        assert data["schema"] == "communique/readout@1"
        again = Readout.from_dict(data)
        assert again.to_dict() == r.to_dict()


@given(st.text(min_size=1, max_size=400))
def test_any_text_extracts_and_round_trips(text: str) -> None:
    try:
        r = communique.extract(text, published="2024-01-01")
    except communique.CommuniqueError:
        return  # e.g. empty after cleaning: a named error, never a crash
    data = r.to_dict()
    assert Readout.from_dict(json.loads(json.dumps(data))).to_dict() == data
    for e in r.events:
        for ev in e.evidence:
            assert 0 <= ev.start < ev.end <= len(r.text)
    for a in r.actors:
        for m in a.mentions:
            assert 0 <= m.start < m.end <= len(r.text)
