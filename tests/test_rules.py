"""The named rules of the recognisers, one linguistic pattern each, on sentences written for these tests."""

from __future__ import annotations

import pytest
from spacy.language import Language

from plankg.graph.divisions import district_identity, divisions, short_forms
from plankg.graph.model import Comparator, EntityKey, EntityRecord, Level, NodeType, Post, Status
from plankg.graph.resolve import company_stem, fold_aliases, named_district, zone_stem
from plankg.nlp.dates import day_in, find_date, guess_year, plan_period
from plankg.nlp.facts import Mention
from plankg.nlp.lexicon import LongestMatcher, SpanCover, TextCodes
from plankg.nlp.officials import resolve_post
from plankg.nlp.structure import is_heading, sections
from plankg.nlp.text import sentence_around, sentence_bounds

D = NodeType.DISTRICT


def district(text: str, start: int, canonical: str | None = None, level: Level = Level.COUNTY) -> Mention:
    name = canonical or text
    code = next((d.code for d in divisions().by_name.get(name, [])), "")
    return Mention(start, start + len(text), D, text, canonical=name, attrs={"code": code, "level": level})


# -- matching on characters ------------------------------------------------------------------
@pytest.mark.parametrize("filler", ["", "填充" * 150])  # a short text (Python scan) and a long one (numpy)
def test_longest_matcher_finds_the_longest_word_at_each_position(filler: str) -> None:
    matcher = LongestMatcher(["产业园", "科技产业园", "园", "大道"])
    text = filler + "建设科技产业园和滨江大道。"
    base = len(filler)
    assert list(matcher.finditer(text)) == [
        (base + 2, base + 7, "科技产业园"),
        (base + 10, base + 12, "大道"),
    ]
    assert (base + 4, "产业园") in list(matcher.starts(text))  # overlapping starts are all reported
    assert (base + 7, "科技产业园") in list(matcher.ends(text))
    assert list(matcher.finditer(text, TextCodes(text))) == list(matcher.finditer(text))
    assert matcher.match_at(text, base) is None and matcher.ending_at(text, base + 12) == "大道"


def test_span_cover_answers_containment() -> None:
    cover = SpanCover([(0, 5), (10, 20), (12, 14)])
    assert cover.covers(11, 19) and cover.covers(0, 5)
    assert not cover.covers(4, 11) and not cover.covers(21, 22)


# -- the gazetteer and in-document resolution -------------------------------------------------
def test_short_forms_of_divisions() -> None:
    assert short_forms("天河区") == ["天河"]
    assert short_forms("科尔沁右翼中旗") == ["科尔沁右翼中", "科右中旗"]
    assert "延边" in short_forms("延边朝鲜族自治州")
    assert short_forms("新区") == []  # nothing left but the suffix


def test_autonomous_units_are_written_without_their_ethnic_groups() -> None:
    """Texts write 务川县 for 务川仡佬族苗族自治县 and 湘西州 for 湘西土家族苗族自治州."""
    assert short_forms("务川仡佬族苗族自治县") == ["务川", "务川县"]
    assert short_forms("湘西土家族苗族自治州") == ["湘西", "湘西州"]
    assert short_forms("巴里坤哈萨克自治县") == ["巴里坤", "巴里坤县"]  # 哈萨克 without 族
    assert short_forms("恭城瑶族自治县") == ["恭城", "恭城县"]
    assert short_forms("宁夏回族自治区") == ["宁夏"]


def test_namesake_divisions_get_distinct_identities() -> None:
    codes = sorted(d.code for d in divisions().by_name["鼓楼区"])
    assert district_identity("鼓楼区", codes[0]) == "鼓楼区"
    assert district_identity("鼓楼区", codes[1]) == f"鼓楼区#{codes[1]}"
    assert named_district("鼓楼区").identity == "鼓楼区"  # ambiguous: no code, keyed by name


def test_fold_aliases_joins_a_short_name_to_the_long_one_it_ends() -> None:
    long, short = EntityKey(NodeType.PLATFORM, "滨海国际金融城"), EntityKey(NodeType.PLATFORM, "国际金融城")
    meeting, wider = (
        EntityKey(NodeType.EVENT, "高质量发展大会"),
        EntityKey(NodeType.EVENT, "全市高质量发展大会"),
    )
    entities = {k: EntityRecord(k.type, k.name) for k in (long, short, meeting, wider)}
    assert fold_aliases(entities, places={"滨海"}) == {
        short: long
    }  # 全市 is no place: the meetings stay apart
    assert entities[long].aliases == ["国际金融城"]


def test_a_zone_stem_is_its_short_form_in_one_text() -> None:
    """青禾 is what the text calls 青禾经济开发区; a kind alone (经济开发区) has no stem."""
    assert zone_stem("青禾经济开发区") == "青禾" and zone_stem("溪岚先行区") == "溪岚"
    assert zone_stem("经济开发区") == "" and zone_stem("星桥文化中心") == ""
    long, short = EntityKey(NodeType.PLATFORM, "青禾经济开发区"), EntityKey(NodeType.PLATFORM, "青禾")
    entities = {k: EntityRecord(k.type, k.name) for k in (long, short)}
    assert fold_aliases(entities, places=set()) == {short: long}


def test_a_company_named_without_its_legal_form_is_the_same_company() -> None:
    full, short = (
        EntityKey(NodeType.ORGANIZATION, "江苏青禾制药有限公司"),
        EntityKey(NodeType.ORGANIZATION, "青禾制药"),
    )
    group, bare = EntityKey(NodeType.ORGANIZATION, "溪岚集团"), EntityKey(NodeType.ORGANIZATION, "溪岚")
    entities = {k: EntityRecord(k.type, k.name) for k in (full, short, group, bare)}
    assert fold_aliases(entities, places=set()) == {short: full, bare: group}
    assert company_stem("溪岚控股集团有限公司") == "溪岚" and company_stem("有限公司") == ""


# -- structure, dates, sentences ---------------------------------------------------------------
def test_headings_and_sections() -> None:
    text = "@东湖区\n东湖区今年要建设科技园。\n一、总体要求\n全力推进项目建设，确保完成目标。\n"
    assert is_heading("@东湖区", 24) and is_heading("一、总体要求", 24)
    assert not is_heading("东湖区今年要建设科技园。", 24)
    assert [s.heading for s in sections(text, 24)] == ["东湖区", "一、总体要求"]


def test_dates_and_years() -> None:
    assert plan_period("四") == (2021, 2025)
    assert find_date("本报讯 2024年3月5日电 ……") == "2024-03-05"
    assert guess_year("“十四五”开局之年，……2019年……") == 2021
    assert guess_year("2022年如何，2023年如何，2023年又如何") == 2023
    text = "会议于2月20日召开。"
    assert day_in(text, 0, len(text), 2024) == "2024-02-20"
    assert day_in("于2月30日", 0, 6, 2024) is None  # no such day


def test_sentence_bounds_keep_closing_quotes() -> None:
    text = "他说：“要抓项目。”然后离开！\n第二行"
    assert [text[a:b] for a, b in sentence_bounds(text)] == ["他说：“要抓项目。”", "然后离开！", "第二行"]
    assert sentence_around(text, 12, 13) == (9, 14)  # from after 。 to before ！


# -- officials ---------------------------------------------------------------------------------
def test_person_names_after_a_title(nlp: Language) -> None:
    names = nlp.get_pipe("plankg_officials").names
    assert names.at("书记王建国主持", 2) == "王建国"
    assert names.at("县长魏川作报告", 2) == "魏川"  # 作 follows names far more often than it ends one
    assert names.at("书记强调", 2) is None  # 强调 is a word, not a name


def test_posts_split_into_title_and_body() -> None:
    phrase = "东湖区委书记"
    east_lake = district("东湖区", 0, level=Level.COUNTY)
    assert resolve_post(phrase, 0, east_lake) == Post("区委书记", EntityKey(D, "东湖区"))
    assert resolve_post("县委副书记", 0, None) == Post("县委副书记", level=Level.COUNTY)
    assert resolve_post("书记", 0, None) == Post("书记")
    org = resolve_post("东湖区发展和改革局局长", 0, east_lake)
    assert org == Post("局长", EntityKey(NodeType.ORGANIZATION, "东湖区发展和改革局"))


def test_a_chain_of_posts_and_names_listed_after_one_title(nlp: Language) -> None:
    officials = nlp.get_pipe("plankg_officials")
    text = "会上，市人大常委会副主任、东湖区委书记王建国讲话，市领导赵一鸣、钱小红出席。"
    end = text.index("王建国")
    start = officials.chain_start(text, end)
    assert text[start:end] == "市人大常委会副主任、东湖区委书记"
    assert [p.text for p in officials.split_posts(text[start:end], start)] == [
        "市人大常委会副主任",
        "东湖区委书记",
    ]
    listed = officials.listed_after(text, text.index("赵一鸣") + 3, [])
    assert [m.text for m in listed] == ["钱小红"]


# -- names -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def names(nlp: Language):
    return nlp.get_pipe("plankg_names")


def test_left_boundary_stops_at_verbs_figures_and_people(names) -> None:
    text = "要加快推进滨江科技产业园建设"
    suffix = text.index("产业园")
    assert text[names.left_boundary(text, suffix) : suffix] == "滨江科技"
    text = "总投资50亿元滨江产业园"
    suffix = text.index("产业园")
    assert text[names.left_boundary(text, suffix) : suffix] == "滨江"
    text = "王建国滨江产业园"
    assert names.left_boundary(text, 5, frozenset({3})) == 3  # never into a person's name


def test_category_words_are_not_names(names) -> None:
    assert not names.is_name("推进重点项目", 2, "重点", "项目", NodeType.PROJECT, [])
    assert names.counted_category("引进36家氢能产业项目", 5, NodeType.PROJECT)
    assert names.not_a_name_by_suffix("建设大项目", 2, "大", "项目", False)
    assert names.not_a_name_by_suffix("优化公交站点", 2, "公交", "站", False)
    assert names.is_name("建设滨江大道", 2, "滨江", "大道", NodeType.PROJECT, [])


def test_events_need_more_than_generic_words(names) -> None:
    assert not names.event_named("重点项目")
    assert names.event_named("2024年重点项目")
    assert names.event_named("数字经济")


def test_a_full_place_before_a_name_is_its_place(names) -> None:
    text = "东湖区滨江新城建设"
    east_lake = district("东湖区", 0)
    start = names.place_cut(text, 0, text.index("新城"), NodeType.PLATFORM, [east_lake], [0])
    assert text[start:].startswith("滨江")


def test_shared_suffix_items_and_quoted_programmes(names) -> None:
    text = "推进东西、南北、滨江城际建设"
    start = text.index("滨江")
    items = names.shared_suffix_items(text, start, "城际", NodeType.PROJECT)
    assert sorted(m.canonical for m in items) == ["东西城际", "南北城际"]
    quoted = names.quoted_projects("实施“千村示范”工程和“清河行动计划”。")
    assert [m.canonical for m in quoted] == ["千村示范工程", "清河行动计划"]


def test_media_companies_and_list_items(names) -> None:
    assert [m.text for m in names.media("东湖日报记者张三报道")] == ["东湖日报"]
    text = "包括绿源、蓝海等12个项目。"
    assert sorted(m.text for m in names.listed_items(text, [], frozenset())) == ["绿源", "蓝海"]


# -- context -----------------------------------------------------------------------------------
def test_zones_with_their_own_body_act_as_districts(nlp: Language) -> None:
    context = nlp.get_pipe("plankg_context")
    text = "滨江经开区党工委召开会议。"
    zone = Mention(0, 5, NodeType.PLATFORM, "滨江经开区")
    body = Mention(0, 8, NodeType.ORGANIZATION, "滨江经开区党工委")
    assert context.acting_zones(text, [zone]) == {"滨江经开区"}
    assert context.acting_zones(text, [body]) == {"滨江经开区"}
    assert context.acting_zones("滨江经开区建设提速。", [zone]) == set()


# -- relations ---------------------------------------------------------------------------------
def test_an_unnamed_body_is_the_district_in_focus_of_its_level(nlp: Language) -> None:
    relations = nlp.get_pipe("plankg_relations")
    here = EntityKey(D, "东城区")
    city = district("北京市", 0, level=Level.PROVINCE)
    assert relations.level_body(Level.COUNTY, here, [city], 0) == here
    assert relations.level_body(None, here, [], 0) == here


# -- targets -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def targets(nlp: Language):
    return nlp.get_pipe("plankg_targets")


def test_comparators_before_and_after_a_figure(targets) -> None:
    assert targets.comparator_before("经济总量突破") == (Comparator.GT, "经济总量")
    assert targets.comparator_before("力争达到") == (Comparator.EQ, "力争")
    text = "增长8%以上，"
    assert targets.comparator_after(text, 4) == (Comparator.GE, 2)


def test_indicators_growth_rates_and_counts(targets) -> None:
    assert targets.indicator("地区生产总值", "", 0, "")[:2] == ("地区生产总值", False)
    assert targets.indicator("增长", "", 0, "固定资产投资", unit="%")[:2] == ("固定资产投资增速", True)
    text = "新建5所学校，"
    assert targets.indicator("新建", text, 4, "")[0] == "学校"  # a verb alone: what is counted follows


def test_years_and_tense(targets) -> None:
    assert targets.year("到2027年", "到2027年，产值超100亿元", 2024, None) == 2027
    assert targets.year("今后五年", "今后五年", 2024, None) is None
    assert targets.year("今年", "今年", 2024, None) == 2024
    assert targets.tense("力争全年增长6%") == Status.TARGET
    assert targets.tense("今年以来已完成投资") == Status.ACTUAL
    assert targets.status("完成投资", 2023, 2024, Status.TARGET) == Status.ACTUAL  # a past year is a result


def test_figures_that_are_not_targets(targets) -> None:
    nothing = SpanCover([])
    assert targets.excluded("排名第3个", 3, 5, "3", "个", nothing)  # an ordinal
    assert not targets.excluded("新建3个", 2, 4, "3", "个", nothing)
    text = "500万元以上项目"
    assert targets.excluded(text, 0, 4, "500", "万元", nothing)  # qualifies the noun after it


def test_a_scale_word_without_a_digit_is_one_of_it(analyse) -> None:
    """突破千亿元 is more than 1000 亿元; a bare 百 or 千 before anything but 万/亿 is no figure."""
    doc = analyse("凤城县:到2027年,全县规上工业总产值突破千亿元。全县百家企业参与,新修道路全长千米。")
    figures = {(t.indicator, t.value, t.unit, t.comparator, t.year) for t in doc._.targets}
    assert figures == {("规上工业总产值", 1000.0, "亿元", Comparator.GT, 2027)}


def test_more_than_written_between_number_and_unit(analyse) -> None:
    """100余个, 3000多亿元 and 2万多亩 are more than the number; a level (迈上千亿台阶, 千亿级) is at
    least its amount, in 亿元 (台 of 台阶 is no unit); 万亿元 is ten thousand 亿元."""
    doc = analyse(
        "凤城县:今年签约项目120余个,完成投资3000多亿元,新增茶园2万多亩。"
        "全县地区生产总值迈上千亿台阶,正在打造百亿级产业集群。到2030年,工业产值突破万亿元。"
    )
    figures = {(t.value, t.unit, t.comparator) for t in doc._.targets}
    assert figures == {
        (120.0, "个", Comparator.GT),
        (3000.0, "亿元", Comparator.GT),
        (2.0, "万亩", Comparator.GT),
        (1000.0, "亿元", Comparator.GE),
        (100.0, "亿元", Comparator.GE),
        (10000.0, "亿元", Comparator.GT),
    }


def test_a_two_character_county_that_opens_a_clause_stands_alone(analyse) -> None:
    """萧县召开…: a two-character county needs no city before it when it starts the clause; inside a
    run of words (管理县) or as 代县长 (an acting county head) it is no place."""

    def places(text: str) -> set[str]:
        return {m.canonical for m in analyse(text)._.mentions if m.label == D}

    assert places("萧县召开重点项目推进会。") == {"萧县"}
    assert places("5月8日,泾县举行项目集中开工仪式。") == {"泾县"}
    assert places("推进管理县级事务。会上,代县长李某致辞。") == set()


def test_an_unnamed_city_body_in_a_zone_article_is_the_city(analyse) -> None:
    """When a development zone is the subject, 市委/市长 still belong to the city the text names."""
    doc = analyse(
        "南太湖新区党工委、管委会召开2026年工作会议\n1月8日,南太湖新区党工委、管委会召开2026年工作会议。"
        "南太湖新区今年将新开工项目40个,力争湖州市重大项目数量继续领先。市委副书记、市长李华出席会议并讲话。"
    )
    posts = {
        (r.head.name, r.tail.name, r.attrs["title"]) for r in doc._.relations if r.relation == "holds_post"
    }
    assert posts == {("李华", "湖州市", "市委副书记、市长")}
