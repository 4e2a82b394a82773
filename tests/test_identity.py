"""Who is who across documents, on hand-built records (no NLP): graph/identity.py's rules as GraphBuilder
applies them, and graph/resolve.py's keying of bodies named by their level only."""

from __future__ import annotations

import networkx as nx
import pytest

from plankg.graph.builder import GraphBuilder, industry_key
from plankg.graph.divisions import district_identity, divisions, short_forms
from plankg.graph.identity import EventSighting, PersonSighting, Post, resolve_events, resolve_people
from plankg.graph.model import DocumentFacts, EntityKey, EntityRecord, NodeType, Relation, RelationRecord
from plankg.graph.resolve import BodyResolver, division_of_level, is_generic_body

D, PERSON, ORG = NodeType.DISTRICT, NodeType.OFFICIAL, NodeType.ORGANIZATION


def district(name: str) -> EntityRecord:
    (div,) = [d for d in divisions().by_name[name]][:1]
    return EntityRecord(
        D, name, short_forms(name), {"code": div.code, "level": div.level}, district_identity(name, div.code)
    )


def code(name: str) -> str:
    return divisions().by_name[name][0].code


def post_doc(doc: str, date: str | None, person: str, place: str, title: str) -> DocumentFacts:
    """One article: `person`, `title` of `place`."""
    sentence = f"{place}{title}{person}出席会议。"
    return DocumentFacts(
        doc,
        date,
        len(sentence),
        "",
        [district(place), EntityRecord(PERSON, person)],
        [
            RelationRecord(
                EntityKey(PERSON, person),
                Relation.HOLDS_POST,
                EntityKey(D, place),
                sentence,
                0,
                len(sentence),
                {"title": title},
            )
        ],
        [],
    )


def people(graph: nx.MultiDiGraph, name: str) -> dict[str, list[str]]:
    """Official node id -> its documents."""
    return {n: d["docs"] for n, d in graph.nodes(data=True) if d["type"] == PERSON and d["label"] == name}


# -- people --------------------------------------------------------------------------------------
def test_unrelated_posts_at_the_same_time_are_two_people_and_no_chain_joins_them() -> None:
    """成华区 and 锦江区 are siblings: their 王伟 of the same months are two people; 成都市's 王伟 is related to
    both and joins one, never making the three one."""
    docs = [
        post_doc("a", "2024-01-10", "王伟", "成华区", "区委书记"),
        post_doc("b", "2024-02-10", "王伟", "成都市", "市委常委"),
        post_doc("c", "2024-03-10", "王伟", "锦江区", "区长"),
    ]
    found = people(GraphBuilder().build(docs), "王伟")
    assert len(found) == 2
    assert not any({"a", "c"} <= set(d) for d in found.values())


def test_a_career_across_related_places_is_one_person() -> None:
    """Years apart, 成华区 -> 成都市 -> 锦江区 is one career: each step is a district and its city."""
    docs = [
        post_doc("a", "2019-05-01", "王伟", "成华区", "区长"),
        post_doc("b", "2021-06-01", "王伟", "成都市", "副市长"),
        post_doc("c", "2024-03-10", "王伟", "锦江区", "区委书记"),
    ]
    assert people(GraphBuilder().build(docs), "王伟") == {"Official:王伟@成华区": ["a", "b", "c"]}


def test_an_untitled_mention_joins_the_one_person_it_can_be() -> None:
    untitled = DocumentFacts("z", "2024-05-01", 8, "", [EntityRecord(PERSON, "李明")], [], [])
    one = [post_doc("a", "2024-01-10", "李明", "长丰县", "县委书记"), untitled]
    assert people(GraphBuilder().build(one), "李明") == {"Official:李明@长丰县": ["a", "z"]}
    two = [*one, post_doc("b", "2024-02-10", "李明", "仙游县", "县长")]
    assert people(GraphBuilder().build(two), "李明") == {
        "Official:李明@长丰县": ["a"],
        "Official:李明@仙游县": ["b"],
        "Official:李明": ["z"],  # no telling which: kept apart
    }


def test_an_untitled_mention_follows_the_district_its_sentences_speak_of() -> None:
    untitled = DocumentFacts(
        "z",
        "2024-05-01",
        8,
        "",
        [district("仙游县"), EntityRecord(PERSON, "李明", places=["仙游县"])],
        [],
        [],
    )
    docs = [
        post_doc("a", "2024-01-10", "李明", "长丰县", "县委书记"),
        post_doc("b", "2024-02-10", "李明", "仙游县", "县长"),
        untitled,
    ]
    assert people(GraphBuilder().build(docs), "李明")["Official:李明@仙游县"] == ["b", "z"]


def test_ids_do_not_depend_on_the_order_documents_arrive_in() -> None:
    docs = [
        post_doc("a", "2024-01-10", "王伟", "成华区", "区委书记"),
        post_doc("b", "2024-01-12", "王伟", "道里区", "区长"),
        post_doc("c", "2024-04-01", "王伟", "成华区", "区委书记"),
    ]
    forward, backward = GraphBuilder().build(docs), GraphBuilder().build(docs[::-1])
    assert sorted(forward.nodes) == sorted(backward.nodes)
    assert people(forward, "王伟") == {"Official:王伟@成华区": ["a", "c"], "Official:王伟@道里区": ["b"]}


def test_sightings_cluster_without_a_graph() -> None:
    """graph/identity.py works on plain sightings: posts with division codes, and hints."""
    chenghua, daoli = frozenset({code("成华区")}), frozenset({code("道里区")})
    a = PersonSighting("a", "a", None, (Post("District:成华区", chenghua),))
    b = PersonSighting("b", "b", None, (Post("District:道里区", daoli),))
    c = PersonSighting("c", "c", None, hints=daoli)
    assert [[s.node for s in group] for group in resolve_people([a, b, c])] == [["a"], ["b", "c"]]


# -- meetings ------------------------------------------------------------------------------------
def meeting(
    node: str, organiser: str | None, day: str | None, reported: str | None = None, name: str = "推进会"
):
    from plankg.graph.identity import parse_day

    return EventSighting(
        node, node, name, frozenset({organiser} if organiser else ()), parse_day(day), parse_day(reported)
    )


def test_one_meeting_has_one_organiser_and_one_time() -> None:
    groups = resolve_events(
        [
            meeting("a", "District:长丰县", "2024-02-19"),
            meeting("b", "District:长丰县", None, reported="2024-02-22"),  # reported three days later
            meeting("c", "District:仙游县", "2024-02-19"),  # another county's
            meeting("d", "District:长丰县", "2024-08-20"),  # the same county, half a year later
            meeting("e", None, None, reported="2024-08-23"),  # no organiser: fits only d
        ]
    )
    assert [[s.node for s in g] for g in groups] == [["a", "b"], ["c"], ["d", "e"]]


def test_a_numbered_session_is_one_meeting_whatever_its_dates() -> None:
    name = "第三届人民代表大会第四次会议"
    groups = resolve_events(
        [
            meeting("open", "District:江夏区", "2024-01-09", name=name),
            meeting("close", "District:江夏区", "2024-01-19", name=name),
        ]
    )
    assert len(groups) == 1


def event_doc(doc: str, organiser: str, event: str, day: str) -> DocumentFacts:
    sentence = f"{organiser}召开{event}。"
    held = RelationRecord(
        EntityKey(D, organiser),
        Relation.HELD_EVENT,
        EntityKey(NodeType.EVENT, event),
        sentence,
        0,
        len(sentence),
        {"date": day},
    )
    return DocumentFacts(
        doc, day, len(sentence), "", [district(organiser), EntityRecord(NodeType.EVENT, event)], [held], []
    )


def test_a_meeting_is_one_whether_its_name_opens_with_its_place_or_not() -> None:
    """长丰县经济工作会议 is 长丰县's 经济工作会议, not 仙游县's; 武汉市江夏区第三届…会议 is 江夏区's session."""
    session = "第三届人民代表大会第四次会议"
    docs = [
        event_doc("a", "长丰县", "长丰县经济工作会议", "2024-01-05"),
        event_doc("b", "长丰县", "经济工作会议", "2024-01-06"),
        event_doc("c", "仙游县", "经济工作会议", "2024-01-06"),
        event_doc("d", "武汉市", "武汉市江夏区" + session, "2024-01-10"),
        event_doc("e", "江夏区", "江夏区" + session, "2024-01-12"),
    ]
    graph = GraphBuilder().build(docs)
    events = sorted(d["docs"] for _, d in graph.nodes(data=True) if d["type"] == NodeType.EVENT)
    assert events == [["a", "b"], ["c"], ["d", "e"]]


# -- bodies named by their level only ------------------------------------------------------------
def test_a_level_word_names_the_division_of_that_level() -> None:
    chenghua = divisions().by_name["成华区"][0]
    assert division_of_level("区", chenghua).name == "成华区"
    assert division_of_level("市", chenghua).name == "成都市"
    assert division_of_level("县", chenghua) is None
    qionghai = divisions().by_name["琼海市"][0]  # a county-level city's 市委 is its own
    assert division_of_level("市", qionghai).name == "琼海市"


@pytest.mark.parametrize(
    ("name", "generic"),
    [
        ("县发改局", True),
        ("区委宣传部", True),
        ("经开区党工委", True),
        ("长丰县发展和改革局", False),
        ("新华社", False),
    ],
)
def test_generic_bodies(name: str, generic: bool) -> None:
    assert is_generic_body(name) is generic


def test_level_only_bodies_and_posts_get_the_district_they_belong_to() -> None:
    entities = {
        EntityKey(D, "长丰县"): district("长丰县"),
        EntityKey(ORG, "县委宣传部"): EntityRecord(ORG, "县委宣传部", places=["长丰县"]),
        EntityKey(PERSON, "陈志刚"): EntityRecord(PERSON, "陈志刚"),
    }
    post = RelationRecord(
        EntityKey(PERSON, "陈志刚"),
        Relation.HOLDS_POST,
        EntityKey(D, "长丰县"),
        "…",
        0,
        1,
        {"title": "县委常委、县发改局局长"},
    )
    relations, renamed = BodyResolver(entities)([post])
    assert renamed == {EntityKey(ORG, "县委宣传部"): EntityKey(ORG, "长丰县委宣传部")}
    assert entities[EntityKey(ORG, "长丰县委宣传部")].aliases == ["县委宣传部"]
    assert [(r.tail.name, r.attrs["title"]) for r in relations] == [
        ("长丰县", "县委常委"),
        ("长丰县发展和改革局", "局长"),
    ]
    assert entities[EntityKey(ORG, "长丰县发展和改革局")].aliases == ["县发改局"]


def test_a_zone_body_belongs_to_the_zone_of_its_kind_the_text_names() -> None:
    entities = {
        EntityKey(D, "长子县"): district("长子县"),
        EntityKey(NodeType.PLATFORM, "长子经济技术开发区"): EntityRecord(
            NodeType.PLATFORM, "长子经济技术开发区"
        ),
        EntityKey(ORG, "经开区党工委"): EntityRecord(ORG, "经开区党工委", places=["长子县"]),
    }
    _, renamed = BodyResolver(entities)([])
    assert renamed == {EntityKey(ORG, "经开区党工委"): EntityKey(ORG, "长子经济技术开发区党工委")}


def test_a_meeting_convened_by_a_city_and_its_districts_is_keyed_by_the_city() -> None:
    sentence = "2月20日，广州市与天河区召开高质量发展大会。"
    event = EntityKey(NodeType.EVENT, "高质量发展大会")
    held = [
        RelationRecord(
            EntityKey(D, place),
            Relation.HELD_EVENT,
            event,
            sentence,
            0,
            len(sentence),
            {"date": "2024-02-20"},
        )
        for place in ("天河区", "广州市")
    ]
    facts = DocumentFacts(
        "gz",
        "2024-02-21",
        len(sentence),
        "",
        [district("广州市"), district("天河区"), EntityRecord(*event)],
        held,
        [],
    )
    graph = GraphBuilder().build([facts])
    assert [n for n, d in graph.nodes(data=True) if d["type"] == "Event"] == [
        "Event:高质量发展大会@广州市@2024-02-20"
    ]


# -- short and long forms ------------------------------------------------------------------------
def platform_doc(doc: str, owner: str, platform: str, kind: NodeType = NodeType.PLATFORM) -> DocumentFacts:
    sentence = f"{owner}加快建设{platform}。"
    relation = Relation.HAS_PLATFORM if kind == NodeType.PLATFORM else Relation.HAS_PROJECT
    return DocumentFacts(
        doc,
        "2024-06-01",
        len(sentence),
        "",
        [district(owner), EntityRecord(kind, platform)],
        [
            RelationRecord(
                EntityKey(D, owner),
                relation,
                EntityKey(kind, platform),
                sentence,
                0,
                len(sentence),
            )
        ],
        [],
    )


def platforms(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    return {n: d["docs"] for n, d in graph.nodes(data=True) if d["type"] == NodeType.PLATFORM}


def test_a_short_form_joins_the_long_form_of_a_related_place() -> None:
    """天府新区 owned by 成都市 is 四川天府新区 (成都市 lies in 四川省); owned by 荆州市 it is not."""
    docs = [
        platform_doc("a", "双流区", "四川天府新区"),
        platform_doc("b", "成都市", "天府新区"),
        platform_doc("c", "荆州市", "天府新区"),
    ]
    assert platforms(GraphBuilder().build(docs)) == {
        "Platform:四川天府新区": ["a", "b"],
        "Platform:天府新区@荆州市": ["c"],  # a namesake after the first is keyed by its owner
    }


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        pytest.param(  # texts call a zone by its proper part, also behind its province
            [
                ("成都市", "青禾经济开发区"),
                ("成都市", "青禾"),
                ("福州市", "福建南屿新区"),
                ("福州市", "南屿"),
            ],
            {"Platform:青禾经济开发区": ["a", "b"], "Platform:福建南屿新区": ["c", "d"]},
            id="proper part",
        ),
        pytest.param(  # its kind long or short; 江苏丰县经济开发区 is named after 丰县 behind its province
            [
                ("徐州市", "江苏丰县经济开发区"),
                ("丰县", "丰县经开区"),
                ("海口市", "青禾自由贸易港"),
                ("海口市", "青禾自贸港"),
            ],
            {"Platform:江苏丰县经济开发区": ["a", "b"], "Platform:青禾自由贸易港": ["c", "d"]},
            id="kind written short",
        ),
    ],
)
def test_a_zone_is_one_whichever_form_a_text_writes(written: list[tuple[str, str]], expected: dict) -> None:
    docs = [platform_doc(doc, owner, zone) for doc, (owner, zone) in zip("abcd", written, strict=True)]
    assert platforms(GraphBuilder().build(docs)) == expected


def test_a_sector_is_one_whichever_tail_a_text_writes() -> None:
    assert industry_key("先进制造业") == industry_key("先进制造") == "先进制造"
    assert industry_key("光伏产业链") == industry_key("光伏产业") == "光伏"
    assert industry_key("旅游业") == "旅游业" and industry_key("农业") == "农业"  # too short to lose 业
    assert industry_key("现代物流业", keep_ye=True) == "现代物流业"  # the label keeps it


def test_a_project_is_one_with_or_without_the_word_project() -> None:
    docs = [
        platform_doc("a", "成都市", "星桥文化中心项目", NodeType.PROJECT),
        platform_doc("b", "成都市", "星桥文化中心", NodeType.PROJECT),
    ]
    graph = GraphBuilder().build(docs)
    projects = {n: d["docs"] for n, d in graph.nodes(data=True) if d["type"] == NodeType.PROJECT}
    assert projects == {"Project:星桥文化中心项目": ["a", "b"]}


def test_a_zone_named_by_its_kind_belongs_to_its_owner() -> None:
    """Two cities' 高新区 stay apart; 成都市's is 成都高新区, 正定县's is not 石家庄's."""
    docs = [
        platform_doc("a", "成都市", "成都高新区"),
        platform_doc("b", "成都市", "高新区"),
        platform_doc("c", "西安市", "高新区"),
        platform_doc("d", "石家庄市", "石家庄高新区"),
        platform_doc("e", "正定县", "正定高新区"),
    ]
    assert platforms(GraphBuilder().build(docs)) == {
        "Platform:成都高新区": ["a", "b"],
        "Platform:高新区@西安市": ["c"],
        "Platform:石家庄高新区": ["d"],
        "Platform:正定高新区": ["e"],
    }


def test_a_kind_word_is_no_alias_of_the_zone_a_text_calls_so() -> None:
    """Each text calls its own zone 经开区 (and its body 管委会); across texts the word names every zone,
    so it stays in the evidence and out of the node's aliases, while real short forms stay."""
    zone = [
        EntityRecord(NodeType.PLATFORM, "青禾经济技术开发区", ["经开区", "青禾经开区"]),
        EntityRecord(NodeType.PLATFORM, "松岭经济技术开发区", ["经开区"]),
        EntityRecord(ORG, "松岭经济技术开发区管委会", ["管委会"]),
    ]
    docs = [
        DocumentFacts(doc, None, 10, "", [record], [], []) for doc, record in zip("abc", zone, strict=True)
    ]
    docs.append(platform_doc("d", "成都市", "高新区"))
    docs.append(platform_doc("e", "成都市", "成都高新区"))  # the bare 高新区 of d joins it
    graph = GraphBuilder().build(docs)
    aliases = {d["label"]: d["aliases"] for _, d in graph.nodes(data=True) if d["type"] != D}
    assert aliases == {
        "青禾经济技术开发区": ["青禾经开区"],
        "松岭经济技术开发区": [],
        "松岭经济技术开发区管委会": [],
        "成都高新区": [],
    }


def test_a_name_two_nodes_carry_is_an_alias_of_neither() -> None:
    """吉林 is the short form of the province and of its city; a body keeps the form its text wrote."""
    records = [
        district("吉林省"),
        district("吉林市"),
        district("天河区"),
        EntityRecord(ORG, "青禾市发展和改革委员会", ["市发改委"]),
        EntityRecord(ORG, "松岭市发展和改革委员会", ["市发改委", "松岭市发改委"]),
    ]
    docs = [DocumentFacts(f"d{i}", None, 10, "", [r], [], []) for i, r in enumerate(records)]
    graph = GraphBuilder().build(docs)
    aliases = {d["label"]: d["aliases"] for _, d in graph.nodes(data=True)}
    assert aliases == {
        "吉林省": [],
        "吉林市": [],
        "天河区": ["天河"],
        "青禾市发展和改革委员会": ["市发改委"],
        "松岭市发展和改革委员会": ["市发改委", "松岭市发改委"],
    }


def test_a_zone_named_after_its_place_is_one_wherever_a_text_speaks_of_it() -> None:
    """松江某某 is owned by 松江区 in one text; another names it among places far away (its sentences speak
    of 天河区) without an owner: its name places it, so it is the same zone, while an unnamed-place
    namesake (东部新城) seen the same way stays apart."""
    far = [district("天河区")]
    docs = [
        platform_doc("a", "松江区", "松江青禾新城"),
        DocumentFacts(
            "b",
            None,
            10,
            "",
            [*far, EntityRecord(NodeType.PLATFORM, "松江青禾新城", places=["天河区"])],
            [],
            [],
        ),
        platform_doc("c", "松江区", "东部新城"),
        DocumentFacts(
            "d", None, 10, "", [*far, EntityRecord(NodeType.PLATFORM, "东部新城", places=["天河区"])], [], []
        ),
    ]
    assert platforms(GraphBuilder().build(docs)) == {
        "Platform:松江青禾新城": ["a", "b"],
        "Platform:东部新城": ["c"],
        "Platform:东部新城#2": ["d"],
    }


def test_a_zone_written_after_related_places_is_one() -> None:
    """四川青禾新区 / 成都青禾新区 (成都 lies in 四川); the official 中国(云南)… form and the short kind;
    unrelated places (宁波 / 南宁) or a bare kind after the place (成都高新区 / 四川高新区) stay apart."""
    written = [
        ("成都市", "四川青禾新区"),
        ("成都市", "四川青禾新区"),
        ("成都市", "成都青禾新区"),
        ("昆明市", "中国(云南)自由贸易试验区青禾片区"),
        ("昆明市", "云南自贸试验区青禾片区"),
        ("宁波市", "宁波东部新城"),
        ("南宁市", "南宁东部新城"),
        ("成都市", "成都高新区"),
        ("成都市", "四川高新区"),
    ]
    docs = [platform_doc(f"d{i}", owner, zone) for i, (owner, zone) in enumerate(written)]
    assert platforms(GraphBuilder().build(docs)) == {
        "Platform:四川青禾新区": ["d0", "d1", "d2"],
        "Platform:中国(云南)自由贸易试验区青禾片区": ["d3", "d4"],
        "Platform:宁波东部新城": ["d5"],
        "Platform:南宁东部新城": ["d6"],
        "Platform:成都高新区": ["d7"],
        "Platform:四川高新区": ["d8"],
    }
