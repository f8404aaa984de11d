"""Chinese readouts: read in the original, coded into the same records as English.

Every text here is written for this test (no corpus text); the corpus gate measures the same on
real CCTV readouts (tests/gold/zh, tests/gold/titles.yaml).
"""

from __future__ import annotations

import pytest

import communique
from communique.documents import make_document
from communique.model import Readout


def _extract(text: str, published: str = "2024-05-14", **meta: str) -> Readout:
    return communique.extract(make_document(text, published=published, **meta))


def _main(r: Readout) -> tuple[str, set[str], str | None]:
    main = r.main_event
    assert main is not None, r.needs_review
    return main.kind, set(r.countries_of(main.actors + main.recipients)), main.date


def test_a_chinese_text_is_read_as_chinese() -> None:
    r = _extract("国家主席习近平同法国总统马克龙通电话。")
    assert r.document.language == "zh"
    assert _main(r) == ("call", {"CHN", "FRA"}, "2024-05-14")


def test_an_explicit_language_wins() -> None:
    text = "国家主席习近平同法国总统马克龙通电话。"
    assert communique.extract(make_document(text, language="en")).events == ()


@pytest.mark.parametrize(
    ("text", "kind", "countries"),
    [
        (
            "国家主席习近平13日在人民大会堂同来华访问的巴西总统卢拉举行会谈。",
            "talks",
            {"CHN", "BRA"},
        ),
        ("国务院总理李强今天下午在京会见新西兰总理希普金斯。", "meeting", {"CHN", "NZL"}),
        ("外交部长王毅当天应约同美国国务卿布林肯通电话。", "call", {"CHN", "USA"}),
        ("国家主席习近平晚上同俄罗斯总统普京举行视频会晤。", "call", {"CHN", "RUS"}),
        ("国家主席习近平致电哈萨克斯坦总统托卡耶夫，祝贺他连任。", "message", {"CHN", "KAZ"}),
        ("国家主席习近平抵达河内，对越南进行国事访问。", "visit", {"CHN", "VNM"}),
    ],
)
def test_kinds_of_encounter(text: str, kind: str, countries: set[str]) -> None:
    got_kind, got_countries, _ = _main(_extract(text))
    assert (got_kind, got_countries) == (kind, countries)


def test_names_are_canonical_and_as_written() -> None:
    r = _extract("国家主席习近平在人民大会堂会见法国总统马克龙。")
    macron = next(a for a in r.actors if a.country == "FRA" and a.kind == "person")
    assert macron.canonical == "Emmanuel Macron"
    assert macron.name == "马克龙"
    assert "President" in macron.titles
    text = r.document.text
    assert all(text[m.start : m.end] == "马克龙" for m in macron.mentions)


def test_a_person_the_lexicon_lacks_is_read_after_the_office() -> None:
    r = _extract("国务院总理李强在北京会见瑙鲁新任总统阿莫卢克斯。")
    kind, countries, _ = _main(r)
    assert (kind, countries) == ("meeting", {"CHN", "NRU"})
    guest = next(a for a in r.actors if a.country == "NRU" and a.kind == "person")
    assert guest.name == "阿莫卢克斯" and guest.canonical is None


def test_a_transliterated_name_with_its_middle_dot_is_one_person() -> None:
    r = _extract("国家主席习近平致电卡洛斯·门多萨·费尔南德斯，祝贺他就任智利总统。")
    kind, countries, _ = _main(r)
    assert (kind, countries) == ("message", {"CHN", "CHL"})
    assert any(a.name == "卡洛斯·门多萨·费尔南德斯" for a in r.actors)


def test_several_counterparts_met_one_by_one_are_several_meetings() -> None:
    r = _extract("全国人大常委会委员长赵乐际在北京分别会见斐济总理兰布卡、越南国会主席王廷惠。")
    meetings = [e for e in r.encounters if e.kind == "meeting" and e.timing == "reported"]
    assert [set(r.countries_of(e.actors + e.recipients)) for e in meetings] == [
        {"CHN", "FJI"},
        {"CHN", "VNM"},
    ]


def test_the_two_heads_of_state_are_the_principal_and_the_one_foreign_leader() -> None:
    text = (
        "欢迎仪式后，两国元首举行会谈。\n\n"
        "习近平指出，中方愿同巴西一道推进合作。卢拉总统表示，巴方高度重视对华关系。"
    )
    kind, countries, _ = _main(_extract(text, source_country="CHN"))
    assert (kind, countries) == ("talks", {"CHN", "BRA"})


@pytest.mark.parametrize(
    ("lead", "published", "date"),
    [
        (
            "当地时间11月15日上午，国家主席习近平在巴厘岛会见美国总统拜登。",
            "2022-11-15",
            "2022-11-15",
        ),
        ("国家主席习近平14日晚在旧金山会见美国总统拜登。", "2023-11-15", "2023-11-14"),
        ("国家主席习近平31日在北京会见美国总统拜登。", "2024-04-01", "2024-03-31"),
        ("国家主席习近平昨天在北京会见美国总统拜登。", "2024-04-01", "2024-03-31"),
        ("2023年1月6日，国家主席习近平在北京会见美国总统拜登。", "2023-01-07", "2023-01-06"),
    ],
)
def test_dates_against_the_broadcast_day(lead: str, published: str, date: str) -> None:
    assert _main(_extract(lead, published=published))[2] == date


def test_a_place_and_a_venue_stand_for_their_city() -> None:
    r = _extract("国家主席习近平在人民大会堂同来华进行国事访问的越南国家主席苏林举行会谈。")
    talks = r.main_event
    assert talks is not None and talks.location is not None
    assert (talks.location.name, talks.location.country) == ("Beijing", "CHN")
    visit = next(e for e in r.encounters if e.kind == "visit")
    assert visit.visit_type == "state"
    assert r.actor(visit.actors[0]).country == "VNM"


def test_an_earlier_meeting_recalled_in_speech_is_not_reported() -> None:
    text = "国家主席习近平同法国总统马克龙通电话。习近平指出，去年4月，我同总统先生在广州会晤。"
    r = _extract(text)
    assert [e.kind for e in r.encounters if e.timing == "reported"] == ["call"]


def test_a_hard_wrapped_text_reads_as_the_same_text() -> None:
    flat = "国家主席习近平5日在人民大会堂同来华进行国事访问的哈萨克斯坦总统托卡耶夫举行会谈。两国元首宣布建立永久全面战略伙伴关系。"
    wrapped = "\n".join(flat[i : i + 30] for i in range(0, len(flat), 30))
    a, b = _extract(flat), _extract(wrapped)
    assert _main(a) == _main(b) == ("talks", {"CHN", "KAZ"}, "2024-05-05")
    ev = b.main_event.evidence[0]  # type: ignore[union-attr]
    assert b.document.text[ev.start : ev.end].replace("\n", "").startswith("国家主席习近平5日")


def test_agreements_relationships_and_attendees() -> None:
    text = (
        "国家主席习近平同哈萨克斯坦总统托卡耶夫举行会谈。会谈后，两国元首共同签署《中哈联合声明》，"
        "并见证签署多份合作文件。双方宣布建立永久全面战略伙伴关系。\n\n王毅、何立峰等参加会谈。"
    )
    r = _extract(text)
    titles = {a.title.split(" (")[0] for a in r.agreements}
    assert {"Joint Statement", "Cooperation Documents"} <= titles
    assert {(tuple(sorted(x.countries)), x.label) for x in r.relationships} == {
        (("CHN", "KAZ"), "permanent comprehensive strategic partnership")
    }
    assert {r.actor(i).canonical for i in r.attendees} == {"Wang Yi", "He Lifeng"}


def test_domestic_news_has_no_encounter() -> None:
    text = "国务院总理李强主持召开国务院常务会议，研究部署进一步优化营商环境的措施。"
    assert _extract(text).encounters == ()


def test_a_short_name_several_countries_share_is_the_one_the_text_names() -> None:
    text = "国家主席习近平同巴基斯坦总理夏巴兹举行会谈。习近平指出，中方愿同巴方深化合作。"
    r = _extract(text)
    assert set(r.countries_of([a.id for a in r.actors if a.kind == "state"])) <= {"CHN", "PAK"}
