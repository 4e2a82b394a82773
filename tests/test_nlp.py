"""The plankg spaCy pipeline, stage by stage, on the fixture texts and on short sentences.

Each test reads as an example: a piece of plan news in, the facts the pipeline should hand
to the graph (doc._.mentions / relations / targets / focus / date / year) out.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc

from plankg.graph.model import clean_name
from plankg.nlp.facts import Mention, TargetFact

FIXTURE_NAMES = ("xiaoshan", "jiangxia", "suzhou")
DATE = "2024-02-26"  # dateline for the inline sentences
Analyse = Callable[..., Doc]  # analyse(text, date=None) -> Doc, see conftest.py


# -- helpers ----------------------------------------------------------------------------
def mentions(doc: Doc, label: str) -> list[Mention]:
    """Mentions of one type, in text order."""
    return [m for m in doc._.mentions if m.label == label]


def names(doc: Doc, label: str) -> set[str]:
    """Canonical names of the mentions of one type."""
    return {m.canonical for m in mentions(doc, label)}


def relations(doc: Doc, relation: str) -> dict[tuple[str, str], dict]:
    """(head name, tail name) -> attributes, for one relation."""
    return {(r.head[1], r.tail[1]): r.attrs for r in doc._.relations if r.relation == relation}


def target_for(doc: Doc, value: float, unit: str) -> TargetFact:
    """The one target with this value and unit."""
    found = [t for t in doc._.targets if t.value == value and t.unit == unit]
    assert len(found) == 1, f"expected one target {value}{unit}, got {found}"
    return found[0]


@pytest.fixture(scope="session")
def fixture_docs(analyse: Analyse, fixture_text: Callable[[str], str]) -> dict[str, Doc]:
    """Each fixture text analysed once (their datelines give the dates)."""
    return {name: analyse(fixture_text(name)) for name in FIXTURE_NAMES}


@pytest.fixture(params=FIXTURE_NAMES)
def case(request: pytest.FixtureRequest, fixture_docs: dict[str, Doc], expected: dict) -> tuple[Doc, dict]:
    """(analysed fixture, what tests/fixtures/expected.json says it must yield)."""
    return fixture_docs[request.param], expected[request.param]


# -- plankg_structure ---------------------------------------------------------------------
def test_sentences_split_at_end_punctuation(analyse: Analyse) -> None:
    """。！？； end a sentence, a comma does not."""
    doc = analyse("萧山区召开大会。会议要加快发展！林则安出席，顾晓岚主持；陆一鸣讲话？", DATE)
    assert [s.text for s in doc.sents] == [
        "萧山区召开大会。",
        "会议要加快发展！",
        "林则安出席，顾晓岚主持；",
        "陆一鸣讲话？",
    ]


def test_closing_quote_stays_with_its_sentence(analyse: Analyse) -> None:
    doc = analyse("会议提出“加快发展！”林则安出席。", DATE)
    assert [s.text for s in doc.sents] == ["会议提出“加快发展！”", "林则安出席。"]


def test_line_breaks_end_sentences(analyse: Analyse) -> None:
    """A title line without punctuation is a sentence of its own."""
    doc = analyse("萧山区部署今年重点\n会议在萧山区召开。", DATE)
    assert [s.text.strip() for s in doc.sents] == ["萧山区部署今年重点", "会议在萧山区召开。"]


def test_heading_sections_set_the_subject(analyse: Analyse) -> None:
    """An "@X区" line opens a section about X区; sentences under it speak of X区."""
    text = "苏州两区部署工作\n\n@吴江区\n\n会议要求加快发展。\n\n@相城区\n\n会议要求扩大开放。"
    doc = analyse(text, DATE)
    headed = [(s.heading, s.district) for s in doc._.sections if s.heading.endswith("区")]
    assert headed == [("吴江区", ("District", "吴江区")), ("相城区", ("District", "相城区"))]
    first, second = (text.index(s) for s in ("会议要求加快", "会议要求扩大"))
    assert doc._.focus[first] == ("District", "吴江区")
    assert doc._.focus[second] == ("District", "相城区")


def test_fixture_section_headings(fixture_docs: dict[str, Doc], expected: dict) -> None:
    """suzhou.txt has two "@X区" sections, each bound to its district."""
    sections = [s for s in fixture_docs["suzhou"]._.sections if s.heading in expected["suzhou"]["headings"]]
    assert [(s.heading, s.district) for s in sections] == [
        (name, ("District", name)) for name in expected["suzhou"]["headings"]
    ]


def test_dateline_gives_the_date_and_year(case: tuple[Doc, dict]) -> None:
    """The first full date in the opening lines is the document's date; 今年 is its year."""
    doc, want = case
    assert doc._.date == want["date"]
    assert doc._.year == want["year"]


@pytest.mark.parametrize(
    "dateline, date",
    [
        ("2023-12-05 08:30 来源:萧山发布", "2023-12-05"),
        ("2023年12月5日 萧山日报", "2023-12-05"),
        ("2023/12/05", "2023-12-05"),
    ],
)
def test_dateline_formats(analyse: Analyse, dateline: str, date: str) -> None:
    doc = analyse(f"萧山区部署明年工作\n{dateline}\n\n萧山区召开会议。")
    assert doc._.date == date
    assert doc._.year == 2023


def test_given_date_wins_over_the_dateline(analyse: Analyse) -> None:
    """A date passed in (e.g. from JSONL) is kept; 今年 follows it."""
    doc = analyse("2023-12-05 萧山日报\n萧山区今年力争固定资产投资突破900亿元。", "2024-03-01")
    assert doc._.date == "2024-03-01"
    assert doc._.year == 2024
    assert target_for(doc, 900, "亿元").year == 2024


@pytest.mark.parametrize(
    "text, year",
    [
        ("今年是“十四五”开局之年，萧山区力争固定资产投资突破700亿元。", 2021),
        ("2023年，萧山区地区生产总值增长6%。2023年萧山区固定资产投资增长8%。", 2023),
    ],
)
def test_year_without_a_dateline(analyse: Analyse, text: str, year: int) -> None:
    """No dateline: a 十X五 opening year, else the year the text mentions most."""
    doc = analyse(text)
    assert doc._.date is None
    assert doc._.year == year


# -- plankg_districts -----------------------------------------------------------------------
def test_fixture_districts(case: tuple[Doc, dict]) -> None:
    doc, want = case
    assert set(want["districts"]) <= names(doc, "District")


def test_full_names_carry_code_and_level(analyse: Analyse) -> None:
    doc = analyse("武汉市江夏区召开会议。", DATE)
    by_name = {m.text: m for m in mentions(doc, "District")}
    assert by_name["武汉市"].attrs["level"] == "city"
    assert by_name["江夏区"].attrs["level"] == "county"
    assert by_name["江夏区"].attrs["code"].startswith(by_name["武汉市"].attrs["code"][:4])


def test_short_form_anchored_by_the_full_form(analyse: Analyse) -> None:
    """萧山 is read as 萧山区 once the text names 萧山区."""
    doc = analyse("萧山区召开会议。萧山要加快发展。", DATE)
    short = [m for m in mentions(doc, "District") if m.text == "萧山"]
    assert len(short) == 1 and short[0].canonical == "萧山区"


def test_anchor_picks_the_right_namesake(analyse: Analyse) -> None:
    """Four cities have a 鼓楼区; 南京市鼓楼区 anchors the later 鼓楼 to Nanjing's."""
    doc = analyse("南京市鼓楼区召开会议。鼓楼将加快发展。", DATE)
    short = [m for m in mentions(doc, "District") if m.text == "鼓楼"]
    assert len(short) == 1
    assert short[0].canonical == "鼓楼区" and short[0].attrs["code"].startswith("3201")


def test_namesake_short_form_without_anchor_is_not_a_place(analyse: Analyse) -> None:
    """鼓楼 alone may be a drum tower or any of four districts: not taken."""
    doc = analyse("鼓楼夜市人气旺，游客络绎不绝。", DATE)
    assert mentions(doc, "District") == []


def test_adjacent_divisions_give_part_of(analyse: Analyse) -> None:
    """成都市双流区: the county is part of the city written before it."""
    doc = analyse("成都市双流区召开经济工作会议。", DATE)
    assert ("双流区", "成都市") in relations(doc, "part_of")


def test_scope_words_are_not_places(analyse: Analyse) -> None:
    """全区 / 全市 refer back to the district in focus; they are not names."""
    doc = analyse("萧山区召开会议，全区上下、全市各地积极响应。", DATE)
    assert {m.text for m in mentions(doc, "District")} == {"萧山区"}


# -- plankg_officials -----------------------------------------------------------------------
def test_fixture_officials_and_posts(case: tuple[Doc, dict]) -> None:
    """Every official named with a title chain, with the office they hold in which district."""
    doc, want = case
    assert set(want["officials"]) <= names(doc, "Official")
    posts = relations(doc, "holds_post")
    for person, held in want["officials"].items():
        for body, title in held.items():
            assert posts[(person, body)]["title"] == title


def test_reporters_are_not_officials(case: tuple[Doc, dict]) -> None:
    doc, want = case
    assert not set(want["not_officials"]) & names(doc, "Official")


def test_title_chain_with_deputy_secretary_and_head(analyse: Analyse) -> None:
    """区委副书记、区长X: one person, two titles, both in the district named at the chain's start."""
    doc = analyse("萧山区委副书记、区长顾晓岚主持会议。", DATE)
    (official,) = mentions(doc, "Official")
    assert official.text == "顾晓岚"
    assert relations(doc, "holds_post") == {("顾晓岚", "萧山区"): {"title": "区委副书记、区长"}}


def test_two_names_after_city_leaders(analyse: Analyse) -> None:
    """市领导沈建华、陆一鸣: both names are officials."""
    doc = analyse("市领导沈建华、陆一鸣出席会议。", DATE)
    assert [m.text for m in mentions(doc, "Official")] == ["沈建华", "陆一鸣"]


@pytest.mark.parametrize(
    "byline", ["记者 许文静", "萧山日报记者许文静报道。", "本报记者 许文静 通讯员 陈小菲"]
)
def test_reporter_bylines_are_not_officials(analyse: Analyse, byline: str) -> None:
    doc = analyse(f"萧山区召开会议。\n{byline}", DATE)
    assert mentions(doc, "Official") == []


def test_later_mentions_of_an_official_without_title(analyse: Analyse) -> None:
    text = "萧山区委书记林则安出席会议。林则安表示，要加快发展。"
    doc = analyse(text, DATE)
    assert [m.start for m in mentions(doc, "Official")] == [text.index("林则安"), text.rindex("林则安")]


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (
            "萧山区举办招商推介会。沈建华表示，萧山区将优化营商环境。沈建华说，欢迎投资。",
            ["沈建华", "沈建华"],
        ),
        ("会上，陆一鸣强调，要抓项目。", ["陆一鸣"]),
        ("会议指出，要加快发展。同时表示，将推进项目。", []),  # no name before the verb
        ("萧山日报记者许文静说，会场气氛热烈。", []),  # a name that does not open its clause
    ],
)
def test_an_untitled_name_before_a_speech_verb_is_a_candidate(
    analyse: Analyse, text: str, speakers: list[str]
) -> None:
    assert [m.text for m in mentions(analyse(text, DATE), "Official")] == speakers


# -- plankg_names -----------------------------------------------------------------------------
def test_fixture_platforms_and_projects(case: tuple[Doc, dict]) -> None:
    doc, want = case
    assert set(want["platforms"]) <= names(doc, "Platform")
    projects = {m.canonical: set(m.aliases) for m in mentions(doc, "Project")}
    for name, aliases in want["projects"].items():
        assert name in projects
        assert set(aliases) <= projects[name]


@pytest.mark.parametrize(
    "text, name",
    [
        ("萧山区将加快建设湘湖开发区。", "湘湖开发区"),
        ("江夏区要推进庙山大健康产业园提质增效。", "庙山大健康产业园"),
        ("萧山区全力推进通城大道快速路项目。", "通城大道快速路项目"),
        ("吴江区依托太湖新城集聚创新资源。", "太湖新城"),
    ],
)
def test_names_start_after_the_verb(analyse: Analyse, text: str, name: str) -> None:
    """The left boundary of a name is the verb or preposition before it (加快建设|X开发区)."""
    doc = analyse(text, DATE)
    found = [m for m in doc._.mentions if m.label in ("Platform", "Project")]
    assert [m.text for m in found] == [name]
    assert text[found[0].start : found[0].end] == name


def test_district_in_front_of_a_name_is_its_owner(analyse: Analyse) -> None:
    """萧山区钱江数智产业园: the platform is 钱江数智产业园, and it belongs to 萧山区."""
    doc = analyse("萧山区钱江数智产业园今年新引进企业30家。", DATE)
    assert names(doc, "Platform") == {"钱江数智产业园"}
    assert ("萧山区", "钱江数智产业园") in relations(doc, "has_platform")


def test_quoted_programme_name(analyse: Analyse) -> None:
    """“湘湖蓝”工程 is the project 湘湖蓝工程, also called 湘湖蓝."""
    doc = analyse("萧山区要加快推进“湘湖蓝”工程。", DATE)
    (project,) = mentions(doc, "Project")
    assert project.canonical == "湘湖蓝工程"
    assert project.aliases == ("湘湖蓝",)
    assert doc.text[project.start : project.end] == "“湘湖蓝”工程"


def test_generic_categories_are_not_names(analyse: Analyse) -> None:
    """重点项目 names a category of projects, not one project."""
    doc = analyse("萧山区今年安排重点项目120个，推进产业园区建设。", DATE)
    assert not [m for m in doc._.mentions if m.label in ("Platform", "Project")]


def test_platform_after_a_visit_verb(analyse: Analyse) -> None:
    """林则安到湘湖科技城调研: the official visits the platform."""
    doc = analyse("萧山区委书记林则安到湘湖科技城调研。", DATE)
    assert names(doc, "Platform") == {"湘湖科技城"}


# -- plankg_industries --------------------------------------------------------------------------
def test_fixture_industries(case: tuple[Doc, dict]) -> None:
    doc, want = case
    assert set(want["industries"]) <= names(doc, "Industry")


def test_sector_list_gives_every_item(analyse: Analyse) -> None:
    doc = analyse("萧山区将培育壮大集成电路、生物医药、智能装备等新兴产业。", DATE)
    assert [m.text for m in mentions(doc, "Industry")] == ["集成电路", "生物医药", "智能装备"]
    assert set(relations(doc, "develops_industry")) == {
        ("萧山区", "集成电路"),
        ("萧山区", "生物医药"),
        ("萧山区", "智能装备"),
    }


def test_sector_word_outside_a_sector_clause_is_not_an_industry(analyse: Analyse) -> None:
    doc = analyse("萧山区生物医药公司负责人介绍了情况。", DATE)
    assert mentions(doc, "Industry") == []


def test_industry_item_does_not_swallow_a_platform(analyse: Analyse) -> None:
    doc = analyse("萧山区召开会议。湘湖金融城新引进金融机构30家。", DATE)
    assert mentions(doc, "Industry") == []
    assert names(doc, "Platform") == {"湘湖金融城"}


# -- events: held_event and spoke_at ----------------------------------------------------------
def test_fixture_events_with_organiser_and_date(case: tuple[Doc, dict]) -> None:
    doc, want = case
    held = relations(doc, "held_event")
    for event in want["events"]:
        assert event["name"] in names(doc, "Event")
        assert (event["organiser"], event["name"]) in held
        dates = {
            r.attrs.get("date")
            for r in doc._.relations
            if r.relation == "held_event" and r.tail[1] == event["name"]
        }
        assert event["date"] in dates


def test_fixture_speakers(case: tuple[Doc, dict]) -> None:
    """Officials who speak at, report to or chair a meeting; not those who only attend."""
    doc, want = case
    spoke = set(relations(doc, "spoke_at"))
    assert {tuple(pair) for pair in want["speakers"]} <= spoke
    assert not {person for person, _ in spoke} & set(want["not_speakers"])


def test_meeting_date_from_the_sentence(analyse: Analyse) -> None:
    """2月25日 in the sentence + the document's year give the meeting date."""
    doc = analyse("2月25日上午，杭州市萧山区召开全区高质量发展大会。", DATE)
    assert relations(doc, "held_event") == {("萧山区", "全区高质量发展大会"): {"date": "2024-02-25"}}


@pytest.mark.parametrize(
    "verb, speaks",
    [
        ("作讲话", True),
        ("主持会议", True),
        ("作政府工作报告", True),
        ("出席会议", False),
        ("参加会议", False),
    ],
)
def test_spoke_at_only_with_speaking_or_chairing(analyse: Analyse, verb: str, speaks: bool) -> None:
    doc = analyse(f"萧山区召开全区高质量发展大会。萧山区委书记林则安{verb}。", DATE)
    assert (("林则安", "全区高质量发展大会") in relations(doc, "spoke_at")) is speaks


def test_congress_session_is_an_event(analyse: Analyse) -> None:
    doc = analyse("1月9日，武汉市江夏区第三届人民代表大会第四次会议开幕。", "2024-01-10")
    assert names(doc, "Event") == {"第三届人民代表大会第四次会议"}
    assert relations(doc, "held_event")[("江夏区", "第三届人民代表大会第四次会议")] == {"date": "2024-01-09"}


def test_promotion_conference_is_an_event(analyse: Analyse) -> None:
    """…推进大会 is a common meeting name (the bundled sample has 高质量发展推进大会)."""
    doc = analyse("杭州市萧山区召开高质量发展推进大会。", DATE)
    assert names(doc, "Event") == {"高质量发展推进大会"}


# -- plankg_targets -----------------------------------------------------------------------------
def test_fixture_targets(case: tuple[Doc, dict]) -> None:
    """Every figure in expected.json, with indicator, comparator, year, status and subject."""
    doc, want = case
    for t in want["targets"]:
        same = [x for x in doc._.targets if (x.value, x.unit, x.year) == (t["value"], t["unit"], t["year"])]
        got = same[0] if len(same) == 1 else None
        assert got is not None, t
        assert got.subject == ("District", t["subject"])
        assert got.indicator.endswith(t["indicator"]) and len(got.indicator) <= len(t["indicator"]) + 2, got
        assert (got.comparator, got.year, got.status) == (t["comparator"], t["year"], t["status"]), got


@pytest.mark.parametrize(
    "phrase, comparator",
    [
        ("突破900亿元", ">"),
        ("超900亿元", ">"),
        ("超过900亿元", ">"),
        ("不低于900亿元", ">="),
        ("900亿元以上", ">="),
        ("900亿元左右", "~"),
        ("达到900亿元", "="),
    ],
)
def test_comparators(analyse: Analyse, phrase: str, comparator: str) -> None:
    doc = analyse(f"萧山区力争今年固定资产投资{phrase}。", DATE)
    target = target_for(doc, 900, "亿元")
    assert (target.indicator, target.comparator) == ("固定资产投资", comparator)


def test_upper_bound_with_yinei(analyse: Analyse) -> None:
    doc = analyse("萧山区今年城镇登记失业率控制在3%以内。", DATE)
    target = target_for(doc, 3, "%")
    assert (target.indicator, target.comparator) == ("城镇登记失业率", "<=")


def test_growth_rate_is_its_own_target(analyse: Analyse) -> None:
    """增长6.5%以上、总量突破2400亿元: a growth rate (…增速, %) and a level (亿元), same indicator."""
    doc = analyse("萧山区今年地区生产总值增长6.5%以上、总量突破2400亿元。", DATE)
    rate, level = target_for(doc, 6.5, "%"), target_for(doc, 2400, "亿元")
    assert (rate.indicator, rate.comparator) == ("地区生产总值增速", ">=")
    assert (level.indicator, level.comparator) == ("地区生产总值", ">")


@pytest.mark.parametrize(
    "text, year, status",
    [
        ("萧山区力争今年固定资产投资突破900亿元。", 2024, "target"),
        ("萧山区到2027年数字经济核心产业增加值达到900亿元左右。", 2027, "target"),
        ("过去一年，萧山区固定资产投资同比增长8.1%，总额达900亿元。", 2023, "actual"),
    ],
)
def test_year_and_status(analyse: Analyse, text: str, year: int, status: str) -> None:
    """今年 is the document's year, 到2027年 a plan horizon, 过去一年 the year before (a result)."""
    doc = analyse(text, DATE)
    target = target_for(doc, 900, "亿元")
    assert (target.year, target.status) == (year, status)


def test_text_before_figure_gives_the_indicator_not_the_place(analyse: Analyse) -> None:
    """今年萧山区地区生产总值…: the district is the subject, not part of the indicator."""
    doc = analyse("会议提出，今年萧山区地区生产总值增长6.5%以上。", DATE)
    target = target_for(doc, 6.5, "%")
    assert target.subject == ("District", "萧山区")
    assert target.indicator == "地区生产总值增速"


def test_dates_and_ordinals_are_not_targets(analyse: Analyse) -> None:
    """2月25日, 第2季度, 35周年 and 第三届 are not figures; 12个 is."""
    doc = analyse("萧山区2月25日召开第三届大会。萧山区第2季度新开工项目12个，今年是萧山区建区35周年。", DATE)
    assert [(t.value, t.unit) for t in doc._.targets] == [(12.0, "个")]


def test_target_offsets_point_at_the_figure(case: tuple[Doc, dict]) -> None:
    doc, _ = case
    for t in doc._.targets:
        figure = doc.text[t.start : t.end]
        assert figure.startswith(f"{t.value:g}") and figure.endswith(t.unit[-1])
        assert t.sent_start <= t.start < t.end <= t.sent_end


# -- plankg_resolve: doc.ents ------------------------------------------------------------------
def test_ents_match_mentions(case: tuple[Doc, dict]) -> None:
    """Every kept mention is exactly one entity span (tokens are split at name boundaries)."""
    doc, _ = case
    assert doc.ents
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (m.start, m.end, m.label) for m in doc._.mentions
    ]
    for m in doc._.mentions:  # quoted names drop their quotes: “湘湖蓝”工程 -> 湘湖蓝工程
        assert clean_name(doc.text[m.start : m.end]) == m.text


def test_mentions_do_not_overlap(case: tuple[Doc, dict]) -> None:
    doc, _ = case
    spans = sorted((m.start, m.end) for m in doc._.mentions)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))


def test_longer_name_wins_over_the_place_inside_it(analyse: Analyse) -> None:
    """萧山经济技术开发区 is one Platform, not 萧山 + the rest."""
    doc = analyse("萧山区将加快建设萧山经济技术开发区。", DATE)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("萧山区", "District"),
        ("萧山经济技术开发区", "Platform"),
    ]


def test_a_post_chain_starts_after_the_clause_opening(analyse: Analyse) -> None:
    """会议首先由… and 据… open the clause; the 由 of 自由贸易 is part of the body's name."""
    doc = analyse(
        "会议首先由德阳高新园党工委书记周明远致辞，上海自由贸易试验区管委会副主任郑海波出席。"
        "据德阳经开区党工委委员吴建清介绍，项目进展顺利。",
        DATE,
    )
    bodies = {m.text: [p.body.name for p in m.attrs["posts"]] for m in mentions(doc, "Official")}
    assert bodies == {
        "周明远": ["德阳高新园党工委"],
        "郑海波": ["上海自由贸易试验区管委会"],
        "吴建清": ["德阳经开区党工委"],
    }


def test_names_listed_after_one_title_run_to_their_commas(analyse: Analyse) -> None:
    """郑树强 stays whole inside the list, although 强 more often follows a name than ends one."""
    doc = analyse("市委常委韩立明、郑树强、张海宁出席活动。", DATE)
    assert {m.text: [p.title for p in m.attrs["posts"]] for m in mentions(doc, "Official")} == {
        "韩立明": ["市委常委"],
        "郑树强": ["市委常委"],
        "张海宁": ["市委常委"],
    }


def test_a_bare_list_of_names_on_the_platform_is_a_list_of_officials(analyse: Analyse) -> None:
    doc = analyse("大会开幕。在主席台就座的还有秦立川、郑远航、魏书桐、苏明远等。", DATE)
    assert {"秦立川", "郑远航", "魏书桐", "苏明远"} <= names(doc, "Official")


def test_a_list_of_names_in_a_sentence_not_about_officials_is_left_alone(analyse: Analyse) -> None:
    doc = analyse("本届作文比赛的一等奖由张晓雨、李思彤、王梓涵获得。", DATE)
    assert not names(doc, "Official") & {"张晓雨", "李思彤", "王梓涵"}


def test_a_sentence_that_opens_with_xiangmu_speaks_of_the_last_project(analyse: Analyse) -> None:
    """项目一期投资12亿元 after a sentence naming a project: the figure's anaphor feature points at it."""
    from plankg.nlp.target_subjects import subject_table

    doc = analyse("三台县举行签约仪式。华辰光电显示模组项目落户三台县。项目一期投资12亿元。", DATE)
    table = subject_table(doc)
    anaphor = dict(zip((unit.name for unit in table.units), table.columns["anaphor"].tolist(), strict=True))
    assert anaphor["华辰光电显示模组项目"] == 1.0
    assert anaphor["三台县"] == 0.0


def test_a_figure_whose_clause_says_quanxian_belongs_to_a_county(analyse: Analyse) -> None:
    """全县…达25万只: the clause's scope word fits the county, not the city named before it."""
    from plankg.nlp.target_subjects import subject_table

    doc = analyse("绵阳市三台县大力发展特色养殖。截至去年，全县肉牛存栏量达25万头。", DATE)
    table = subject_table(doc)
    fits = dict(
        zip((unit.name for unit in table.units), table.columns["clause_scope_fits"].tolist(), strict=True)
    )
    other = dict(
        zip((unit.name for unit in table.units), table.columns["clause_scope_other"].tolist(), strict=True)
    )
    assert (fits["三台县"], other["三台县"]) == (1.0, 0.0)
    assert (fits["绵阳市"], other["绵阳市"]) == (0.0, 1.0)


def test_a_transliterated_name_after_a_title_is_one_official(analyse: Analyse) -> None:
    doc = analyse("4月2日，县委副书记、县长艾力·吐尔逊宣布项目开工。", DATE)
    [official] = mentions(doc, "Official")
    assert official.canonical == "艾力·吐尔逊"
    assert [p.title for p in official.attrs["posts"]] == ["县委副书记", "县长"]
    short = [m.canonical for m in mentions(analyse("旗长巴·图，副旗长苏明远出席。", DATE), "Official")]
    assert short == ["巴·图", "苏明远"]  # one character after the dot: the name ends with it


def test_a_bylines_name_typeset_with_spaces_is_one_official(analyse: Analyse) -> None:
    """A work report's byline spaces the name out (区长 魏 川); the name is keyed without the spaces."""
    doc = analyse("涪城区人民政府工作报告\n区长 魏 川\n各位代表：", DATE)
    [official] = mentions(doc, "Official")
    assert (official.text, official.canonical) == ("魏 川", "魏川")
