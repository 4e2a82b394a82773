"""Hard cases met while measuring extraction quality, each on sentences written for this test."""

from __future__ import annotations

from plankg.api import build
from plankg.sources import Document


def graph_of(*texts: str):
    docs = [Document(f"d{i}", text) for i, text in enumerate(texts)]
    return build(documents=docs).graph


def labels(graph, node_type: str) -> set[str]:
    return {d["label"] for _, d in graph.nodes(data=True) if d["type"] == node_type}


def edges(graph, relation: str) -> set[tuple[str, str]]:
    return {
        (graph.nodes[u]["label"], graph.nodes[v]["label"])
        for u, v, d in graph.edges(data=True)
        if d["relation"] == relation
    }


def targets(graph) -> list[dict]:
    return [d for _, d in graph.nodes(data=True) if d["type"] == "Target"]


def test_namesake_districts_in_different_cities_stay_apart() -> None:
    graph = graph_of(
        "2024年3月1日，北京市朝阳区召开会议。朝阳区委书记王立新表示要加快建设望京科技园。",
        "2024年3月2日，长春市朝阳区召开会议。朝阳区区长李明表示要推进红旗街商圈建设。",
    )
    chaoyang = [n for n, d in graph.nodes(data=True) if d["label"] == "朝阳区"]
    assert len(chaoyang) == 2
    assert {(a, b) for a, b in edges(graph, "part_of")} == {("朝阳区", "北京市"), ("朝阳区", "长春市")}


def test_a_development_zone_with_its_own_party_committee_acts_as_a_district() -> None:
    graph = graph_of(
        "3月5日，武汉经开区党工委书记王立新在经开区项目推进会上表示，武汉经开区将加快建设"
        "智能网联汽车产业园，今年力争新签约项目50个。"
    )
    assert ("武汉经开区", "智能网联汽车产业园") in edges(graph, "has_platform")
    assert ("武汉市", "武汉经开区") in edges(graph, "has_platform")
    assert ("王立新", "武汉经开区党工委") in edges(graph, "holds_post")
    [target] = targets(graph)
    assert (target["value"], target["unit"], target["status"]) == (50.0, "个", "target")


def test_sectors_are_whole_list_items() -> None:
    graph = graph_of(
        "2024年，江宁区将大力发展以现代物流业为重点、软件信息服务业和现代商贸业共同发展的服务业体系，"
        "培育壮大集成电路、智能电网等新兴产业。"
    )
    assert {"现代物流业", "现代商贸业", "集成电路", "智能电网"} <= labels(graph, "Industry")
    assert "商贸" not in labels(graph, "Industry")


def test_intercity_lines_sharing_a_suffix_are_separate_projects() -> None:
    graph = graph_of("2024年，宝安区将加快推进深江、深珠、穗莞城际建设，推动20号线通车。")
    assert {"深江城际", "深珠城际", "穗莞城际", "20号线"} <= labels(graph, "Project")


def test_headline_gdp_and_body_figure_are_one_target() -> None:
    graph = graph_of(
        "南山区委书记：推动今年GDP增长6%以上\n2024-02-20\n会议提出，推动今年南山区地区生产总值增长6%以上。"
    )
    found = [t for t in targets(graph) if t["value"] == 6.0]
    assert len(found) == 1
    assert found[0]["indicator"] == "地区生产总值增速"


def test_a_plan_that_came_true_is_actual() -> None:
    graph = graph_of("2024年12月20日\n过去一年，海曙区成功争取专项债资金15亿元，限上零售额增长4.2%。")
    assert {t["status"] for t in targets(graph)} == {"actual"}


def test_absolute_increase_is_not_a_growth_rate() -> None:
    graph = graph_of("2023年，阿荣旗肉羊存栏120万只，同比增加8万只。")
    indicators = {t["indicator"] for t in targets(graph)}
    assert not any(i.endswith("增速") for i in indicators)


def test_a_meeting_name_keeps_its_verbs_and_scope() -> None:
    graph = graph_of("2月18日，宁波市委召开全市民营经济高质量发展推进大会。")
    assert "全市民营经济高质量发展推进大会" in labels(graph, "Event")
    assert ("宁波市", "全市民营经济高质量发展推进大会") in edges(graph, "held_event")


def test_posts_in_a_zones_two_bodies_go_to_each_body() -> None:
    """A zone's 党工委 and 管委会 are Organizations; the second title names its body without the zone."""
    graph = graph_of("4月2日，德阳高新区党工委副书记、管委会主任周明远在项目推进会上讲话。")
    posts = edges(graph, "holds_post")
    assert {("周明远", "德阳高新区党工委"), ("周明远", "德阳高新区管委会")} <= posts
    assert "德阳高新区管委会" in labels(graph, "Organization")


def test_city_posts_in_a_county_text_that_names_no_city_have_no_body() -> None:
    """The guidelines: with no place of the post's level named anywhere, the Official has no holds_post."""
    graph = graph_of(
        "4月2日，中江县召开重点项目推进会。中江县委书记郑海波讲话，市委常委、副市长孙立群出席。"
        "市、县领导何志刚、吴建清参加会议。"
    )
    posts = edges(graph, "holds_post")
    assert ("郑海波", "中江县") in posts
    assert not {(a, b) for a, b in posts if a in ("孙立群", "何志刚", "吴建清")}
    assert {"孙立群", "何志刚", "吴建清"} <= labels(graph, "Official")


def test_a_county_level_citys_article_calls_its_own_bodies_shi() -> None:
    """In a 江油市 article, 市委副书记、市长 after 绵阳市委常委… is 江油市's: the prefecture is named when meant."""
    graph = graph_of(
        "江油市召开重点项目推进会\n4月2日，江油市召开重点项目推进会。"
        "绵阳市委常委、江油市委书记周明远，市委副书记、市长郑远航，市委常委魏书桐出席会议。"
        "江油市今年将新开工项目30个。"
    )
    posts = edges(graph, "holds_post")
    assert {("周明远", "绵阳市"), ("周明远", "江油市"), ("郑远航", "江油市"), ("魏书桐", "江油市")} <= posts
    assert ("郑远航", "绵阳市") not in posts


def test_a_chain_of_posts_never_runs_back_over_a_name() -> None:
    """涪城区委书记周明远、三台县委书记郑远航: the second chain starts after the first name."""
    graph = graph_of("4月2日，绵阳市召开项目推进会。涪城区委书记周明远、三台县委书记郑远航分别发言。")
    posts = {
        (a, b): d.get("title") for a, b, d in graph.edges(data=True) if d.get("relation") == "holds_post"
    }
    names = {n: d["label"] for n, d in graph.nodes(data=True)}
    posts = {(names[a], names[b]): title for (a, b), title in posts.items()}
    assert posts == {("周明远", "涪城区"): "区委书记", ("郑远航", "三台县"): "县委书记"}


def test_a_title_of_the_same_level_stays_in_the_district_named_before_it() -> None:
    """区委副书记、代区长: the second title names the level of the district already named, not the
    district the sentence is about."""
    graph = graph_of("4月2日，罗江区召开会议。德阳市政府副秘书长、中江县委副书记、代县长何志刚出席。")
    posts = edges(graph, "holds_post")
    assert ("何志刚", "中江县") in posts and ("何志刚", "罗江区") not in posts


def test_the_words_that_open_a_clause_are_no_part_of_the_body() -> None:
    graph = graph_of("4月2日，德阳高新区重点项目集中开工。开工仪式首先由德阳高新园党工委书记周明远致辞。")
    assert ("周明远", "德阳高新园党工委") in edges(graph, "holds_post")
