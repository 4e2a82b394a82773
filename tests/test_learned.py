"""The learned layers: trained from gold files, shipped inside the pipeline, giving a confidence.

Training here runs on the three annotated fixture articles (tests/fixtures/gold), which is far too
little to learn much but enough to show that every layer trains, saves, loads and decides.
"""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
from spacy.language import Language

from plankg.graph.divisions import divisions
from plankg.graph.model import EntityKey, NodeType, Relation
from plankg.nlp.attribution import choose, same_zone
from plankg.nlp.facts import Mention
from plankg.nlp.linear import LogisticModel
from plankg.nlp.pipeline import SHIPPED_SEGMENTER, create
from plankg.nlp.recognizer import abbreviated_places, division_attrs
from training import learn
from training.gold import GoldDocument, folds, projected_spans, read_gold

GOLD = Path(__file__).parent / "fixtures" / "gold"
TEXT = (Path(__file__).parent / "fixtures" / "xiaoshan.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("models")
    learn.train(read_gold([GOLD]), out, log=lambda _: None)
    return out


@pytest.fixture(scope="module")
def pipeline_with(trained: Path) -> Language:
    models = {name: {"model": str(trained / name)} for name in learn.LEARNED}
    return create(SHIPPED_SEGMENTER, models=models)


def test_gold_names_are_projected_onto_the_text_longest_first() -> None:
    (doc,) = [d for d in read_gold([GOLD]) if d.id == "xiaoshan"]
    spans = {(doc.text[s:e], kind) for s, e, kind, _ in projected_spans(doc)}
    assert ("萧山经济技术开发区", "Platform") in spans  # not its 萧山 (a District alias)
    assert ("萧山区", "District") in spans and ("林则安", "Official") in spans


def test_folds_are_stable_whatever_else_is_in_the_corpus() -> None:
    docs = read_gold([GOLD])
    alone = {d.id: k for k, part in enumerate(folds(docs, 5)) for d in part}
    fewer = {d.id: k for k, part in enumerate(folds(docs[:2], 5)) for d in part}
    assert all(alone[i] == k for i, k in fewer.items())


def test_another_seed_deals_the_documents_into_other_folds_the_same_way_each_time() -> None:
    docs = [GoldDocument(f"doc{i:03d}", "", [], [], []) for i in range(60)]
    partition = lambda seed: [[d.id for d in part] for part in folds(docs, 5, seed)]  # noqa: E731
    assert partition(0) == [[d.id for d in part] for part in folds(docs, 5)]
    assert partition(1) == partition(1) != partition(0) != partition(2)
    assert sorted(i for part in partition(1) for i in part) == [d.id for d in docs]


def test_every_layer_trains_and_saves(trained: Path) -> None:
    assert (trained / "plankg_recognizer" / "crf.model").stat().st_size > 0
    assert (trained / "plankg_recognizer" / "calibration.json").exists()
    for name, file in (
        ("plankg_attribution", "owners.json"),
        ("plankg_speakers", "speakers.json"),
        ("plankg_target_subjects", "subjects.json"),
    ):
        model = LogisticModel.read(trained / name / file)
        assert model.features and len(model.coef) == len(model.mean)


def test_the_trained_pipeline_recognises_what_it_learned(pipeline_with: Language, tmp_path: Path) -> None:
    doc = pipeline_with(TEXT)
    found = {(m.label, m.text) for m in doc._.mentions}
    assert (NodeType.OFFICIAL, "林则安") in found and (NodeType.PLATFORM, "湘湖未来科技城") in found
    assert all(0.0 <= m.confidence <= 1.0 for m in doc._.mentions)
    assert all(0.0 <= r.confidence <= 1.0 for r in doc._.relations)
    assert all(t.subject is not None and 0.0 <= t.confidence <= 1.0 for t in doc._.targets)
    # saved and loaded again, it decides the same
    pipeline_with.to_disk(tmp_path / "pipeline")
    import spacy

    again = spacy.load(tmp_path / "pipeline")(TEXT)
    assert [(m.start, m.end, m.label, round(m.confidence, 6)) for m in again._.mentions] == [
        (m.start, m.end, m.label, round(m.confidence, 6)) for m in doc._.mentions
    ]


def test_switched_off_learned_layers_leave_the_rules(trained: Path) -> None:
    off = {f"components.{name}.enabled": False for name in learn.LEARNED}
    rules = create(SHIPPED_SEGMENTER, off)
    doc = rules(TEXT)
    assert {m.source for m in doc._.mentions} <= {
        "gazetteer",
        "title+name",
        "known-name",
        "suffix",
        "quoted",
        "congress",
        "media",
        "company",
        "list",
        "shared-suffix",
        "lexicon-list",
        "speech",
    }
    assert all(m.confidence == 1.0 for m in doc._.mentions)


def test_owners_are_the_most_likely_unit_and_the_very_likely_others() -> None:
    item = EntityKey(NodeType.PROJECT, "某某大道改造工程")
    city, county, town = (EntityKey(NodeType.DISTRICT, n) for n in ("某市", "某县", "某镇"))
    scored = [(item, city, 0.55, 0.55), (item, county, 0.8, 0.8), (item, town, 0.2, 0.2)]
    assert choose(scored, first=0.1, more=0.5) == [(item, county, 0.8), (item, city, 0.55)]
    assert choose(scored, first=0.9, more=0.5) == []  # nothing likely enough


def test_the_first_owner_is_the_first_ranked_and_the_others_are_kept_by_probability() -> None:
    """The choice model ranks 某镇 first, though the pointwise probability of 某市 is higher."""
    item = EntityKey(NodeType.PROJECT, "某某大道改造工程")
    city, town = (EntityKey(NodeType.DISTRICT, n) for n in ("某市", "某镇"))
    scored = [(item, city, 0.7, -1.0), (item, town, 0.4, 2.0)]
    assert choose(scored, first=0.1, more=0.5) == [(item, town, 0.4), (item, city, 0.7)]
    assert choose(scored, first=0.1, more=0.8) == [(item, town, 0.4)]
    assert choose(scored, first=0.5, more=0.5) == []  # the first-ranked is not likely enough


def test_a_logistic_model_round_trips_and_is_calibrated() -> None:
    model = LogisticModel(
        ["near", "kind"],
        ["near"],
        {"kind": [1, 2]},
        [0.0] * 4,
        [1.0] * 4,
        [-1.0, 0.0, 0.5, -0.5],
        0.0,
        calibration=[[0.0, 0.0], [0.5, 0.2], [1.0, 0.9]],
    )
    again = LogisticModel.from_json(model.to_json())
    rows = [{"near": 0, "kind": 1}, {"near": 100, "kind": 2}]
    p = again.probabilities(rows)
    assert p.shape == (2,) and p[0] > p[1]  # nearer is likelier
    assert numpy.allclose(p, model.probabilities(rows))


def test_the_choice_model_learns_which_candidate_of_an_item_is_right() -> None:
    """Each item's right candidate is its nearest one (items far from every candidate mostly have
    none): the choice model, scored out of fold, ranks the right one first."""
    from training.logistic import fit, fit_choice

    rng = numpy.random.default_rng(7)
    rows, labels, items, documents = [], [], [], []
    for k in range(300):
        far = float(rng.random() < 0.5)
        near = rng.random(3) * 10 + far * 50
        for j, d in enumerate(near):
            rows.append({"near": float(d), "far": far})
            labels.append(int(j == near.argmin() and (not far or rng.random() < 0.3)))
            items.append(f"item{k}")
            documents.append(f"doc{k % 30}")
    model, _ = fit(rows, labels, documents, ["near", "far"], [], {})
    scores = fit_choice(model, rows, labels, documents, items)
    right_first = [
        max(range(3 * k, 3 * k + 3), key=lambda i: scores[i])
        for k in range(300)
        if any(labels[3 * k : 3 * k + 3])
    ]
    assert all(labels[i] for i in right_first)  # held-out rank scores put the right candidate first
    again = LogisticModel.from_json(model.to_json())
    p, rank = again.decide(rows[:3])
    assert again.choice == model.choice and rank.argmax() == numpy.argmin([r["near"] for r in rows[:3]])


def test_a_place_the_rules_did_not_propose_is_keyed_by_the_gazetteer() -> None:
    name, attrs = division_attrs("萧山")
    assert name == "萧山区" and attrs["code"]
    name, attrs = division_attrs("某某村")  # not in the gazetteer: kept as written, below the towns
    assert name == "某某村" and attrs == {"code": "", "level": "town"}


def test_a_place_written_behind_the_one_containing_it_is_the_inner_one() -> None:
    name, attrs = division_attrs("四川武侯区")
    assert name == "武侯区" and attrs["code"] == divisions().by_name["武侯区"][0].code
    assert division_attrs("浙江武侯区")[1]["code"] == ""  # 武侯区 is not in 浙江: no reading
    assert division_attrs("大成都")[0] == "成都市"  # a city writ large


def test_a_place_abbreviated_to_its_first_character_is_the_place_the_text_names() -> None:
    city = Mention(
        0, 5, NodeType.DISTRICT, "克拉玛依市", canonical="克拉玛依市", attrs=division_attrs("克拉玛依市")[1]
    )
    short = Mention(9, 11, NodeType.DISTRICT, "克市", canonical="克市", attrs=division_attrs("克市")[1])
    county = Mention(20, 22, NodeType.DISTRICT, "某县", canonical="某县", attrs=division_attrs("某县")[1])
    abbreviated_places([city, short, county])
    assert (short.canonical, short.attrs["code"]) == ("克拉玛依市", city.attrs["code"])
    assert county.attrs["code"] == ""  # no place of the text fits


def test_relations_of_the_learned_owner_layer_name_their_relation(pipeline_with: Language) -> None:
    doc = pipeline_with(TEXT)
    owners = {r.relation for r in doc._.relations}
    assert owners <= set(Relation)


def test_a_build_with_the_shipped_pipeline_gives_confidences(tmp_path: Path) -> None:
    """`plankg build` as a user runs it: the shipped pipeline, its learned layers on."""
    import os
    import subprocess
    import sys

    import networkx as nx

    env = {k: v for k, v in os.environ.items() if k != "PLANKG_PIPELINE"}
    script = Path(sys.executable).with_name("plankg")
    done = subprocess.run(
        [str(script), "build", "--out", str(tmp_path), "--quiet"], env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()
    graph = nx.read_graphml(tmp_path / "graph.graphml")
    confidences = [d["confidence"] for _, d in graph.nodes(data=True)]
    assert confidences and all(0.0 <= c <= 1.0 for c in confidences) and min(confidences) < 1.0


CEREMONY = (
    "3月5日,临安区2026年一季度重大项目集中开工仪式在於潜镇举行。区委书记王立明宣布项目开工,"
    "区长李建平、副区长赵晓东分别致辞。仪式由区委副书记陈文主持,市人大常委会副主任周国强出席。"
)


@pytest.fixture(scope="module")
def shipped() -> Language:
    import spacy

    from plankg.nlp.pipeline import PIPELINE_DIR

    return spacy.load(PIPELINE_DIR)


def test_speaker_features_read_the_ways_reports_name_a_speaker(shipped: Language) -> None:
    """会议由某某主持, 某某、某某分别致辞, 某某宣布开工; 出席 alone is attendance, and a cue belongs
    to the official of its clause (陈文主持, not the 出席 of the next name)."""
    from plankg.nlp.speakers import speaker_rows

    rows = {official.name: row for official, _, row in speaker_rows(shipped(CEREMONY))}
    assert rows["陈文"]["chaired_by"] == 1.0 and rows["陈文"]["cue_chair"] == 1.0
    assert rows["陈文"]["cue_attend"] == 0.0
    assert rows["李建平"]["respectively"] == 1.0 and rows["李建平"]["officials_before_cue"] == 1
    assert rows["王立明"]["cue_speak"] == 1.0 and rows["王立明"]["officials_before_cue"] == 0
    assert rows["周国强"]["cue_attend"] == 1.0 and rows["周国强"]["cue_speak"] == 0.0


def test_the_shipped_speaker_model_keeps_speakers_and_leaves_attendees(shipped: Language) -> None:
    doc = shipped(CEREMONY)
    spoke = {r.head.name for r in doc._.relations if r.relation == Relation.SPOKE_AT}
    assert {"王立明", "李建平", "赵晓东", "陈文"} <= spoke and "周国强" not in spoke
    assert all(0.0 < r.confidence <= 1.0 for r in doc._.relations if r.relation == Relation.SPOKE_AT)


def test_a_village_written_after_its_town_is_part_of_it(shipped: Language) -> None:
    """Villages are not in the division gazetteer; the recogniser finds them and the town written
    right before is their parent."""
    doc = shipped("临安区於潜镇光明村今年新建茶叶加工厂,全村茶园面积达到3000亩。")
    part_of = {(r.head.name, r.tail.name) for r in doc._.relations if r.relation == Relation.PART_OF}
    assert {("光明村", "於潜镇"), ("於潜镇", "临安区")} <= part_of


def test_counties_listed_one_after_another_are_not_inside_each_other(shipped: Language) -> None:
    """务川县 and 玉屏县 are short forms of autonomous counties: the gazetteer knows them, so the
    second of the list is no village of the first."""
    doc = shipped("安顺市召开会议,正安县、务川县、玉屏县负责同志参加。")
    codes = {m.text: m.attrs.get("code") for m in doc._.mentions if m.label == NodeType.DISTRICT}
    assert codes["务川县"] and codes["玉屏县"]
    part_of = {(r.head.name, r.tail.name) for r in doc._.relations if r.relation == Relation.PART_OF}
    assert not {(a, b) for a, b in part_of if a.endswith("县") and b.endswith("县")}


def test_a_place_a_name_starts_with_is_a_district_beside_the_name() -> None:
    """成都高新区: the CRF tags one name per character, so the recogniser adds the gazetteer place the
    name starts with; plankg_resolve keeps it beside the name (not in doc.ents)."""
    import spacy

    from plankg.nlp.facts import Mention
    from plankg.nlp.recognizer import LearnedRecognizer
    from plankg.nlp.resolve import MentionResolver

    def mention(start: int, end: int, label: NodeType, text: str) -> Mention:
        return Mention(start, end, label, text, canonical=text)

    text = "成都高新区举行签约仪式,成都晚报报道。"
    zone, paper = (
        mention(0, 5, NodeType.PLATFORM, "成都高新区"),
        mention(12, 16, NodeType.ORGANIZATION, "成都晚报"),
    )
    places = [mention(0, 2, NodeType.DISTRICT, "成都"), mention(12, 14, NodeType.DISTRICT, "成都")]
    leading = LearnedRecognizer.leading_places([zone, paper], [*places, zone, paper])
    assert [(m.start, m.end) for m in leading] == [(0, 2)]  # not inside a newspaper's name
    assert leading[0].leading

    doc = spacy.blank("zh").make_doc(text)
    doc._.mentions = [zone, paper, *leading]
    doc = MentionResolver()(doc)
    assert [(m.start, m.label) for m in doc._.mentions] == [
        (0, NodeType.PLATFORM),
        (0, NodeType.DISTRICT),
        (12, NodeType.ORGANIZATION),
    ]
    assert [e.text for e in doc.ents] == ["成都高新区", "成都晚报"]


def test_units_between_two_places_are_counted_alike_by_table_and_by_groups(monkeypatch) -> None:
    """Short documents count distinct units in a window from one table, long ones per window start;
    both agree with counting by hand."""
    import random

    from plankg.nlp import pairs

    rng = random.Random(7)
    for size in (0, 1, 6, 80, 300):
        features = pairs.PairFeatures.__new__(pairs.PairFeatures)
        features.mention_starts = sorted((rng.randrange(2000), rng.choice("ABCDEFGH")) for _ in range(size))
        lo = numpy.array([rng.randrange(size + 1) for _ in range(200)])
        hi = numpy.array([rng.randrange(size + 1) for _ in range(200)])
        by_hand = [len({k for _, k in features.mention_starts[a:b]}) for a, b in zip(lo, hi, strict=True)]
        assert features._distinct_units()(lo, hi).tolist() == by_hand
        monkeypatch.setattr(pairs, "DENSE_MENTIONS", -1)
        assert features._distinct_units()(lo, hi).tolist() == by_hand
        monkeypatch.undo()


def test_pair_features_rank_the_units_of_each_item(analyse) -> None:
    """For 天河区's project, 天河区 stands right before it: nearest before, in the same sentence."""
    from plankg.nlp.attribution import owner_rows

    doc = analyse("广州市召开推进会。天河区将加快建设天河智慧城产业园,番禺区推进广州南站商务区建设。")
    rows = {(item.name, unit.name): row for item, unit, row in owner_rows(doc)}
    park = [name for name, _ in rows if name.endswith("产业园")][0]
    near, far = rows[(park, "天河区")], rows[(park, "广州市")]
    assert near["before_rank"] == 0 and near["nearest_in_sentence"] == 1.0 and near["same_sentence"] == 1.0
    assert far["before_rank"] > 0 and far["nearest_in_sentence"] == 0.0 and far["same_sentence"] == 0.0
    assert (park, park) not in rows  # an item is not its own owner


def test_a_meeting_of_the_whole_province_fits_the_province(analyse) -> None:
    """全省…推进会 held in a county: the name's reach says the province convened it."""
    from plankg.nlp.attribution import owner_rows

    doc = analyse("7月2日,全省油茶产业发展推进会在崇义县召开。江西省有关部门和崇义县负责同志参加。")
    rows = {(item.name, unit.name): row for item, unit, row in owner_rows(doc)}
    meeting = [name for name, _ in rows if name.endswith("推进会")][0]
    assert rows[(meeting, "江西省")]["scope_fits"] == 1.0 and rows[(meeting, "江西省")]["scope_other"] == 0.0
    assert rows[(meeting, "崇义县")]["scope_fits"] == 0.0 and rows[(meeting, "崇义县")]["scope_other"] == 1.0


def test_target_features_read_the_words_between_name_and_figure(analyse) -> None:
    """某某项目等24个项目,总投资…: a total of the list the project opens, not the project's own;
    总投资80亿元的某某项目: the figure describes the project written after it."""
    from plankg.nlp.target_subjects import subject_rows

    doc = analyse(
        "萧县集中开工萧县光伏组件生产项目等24个项目,总投资120亿元。"
        "总投资80亿元的萧县智能装备制造项目同日开工。"
    )
    targets = doc._.targets
    rows = {(targets[i].value, unit.name): row for i, unit, row in subject_rows(doc)}
    listed = [row for (value, name), row in rows.items() if value == 120.0 and name.endswith("生产项目")]
    described = [row for (value, name), row in rows.items() if value == 80.0 and name.endswith("制造项目")]
    assert listed and listed[0]["list_between"] == 1.0 and listed[0]["project_near"] == 0.0
    assert described and described[0]["figure_of_unit"] == 1.0 and described[0]["project_near"] == 1.0


def test_a_figure_repeated_for_one_subject_is_kept_once() -> None:
    """The headline figure again in the body: one target, the likelier copy; rates stay apart."""
    from plankg.graph.model import Comparator, Status
    from plankg.nlp.facts import TargetFact
    from plankg.nlp.target_subjects import once_per_subject

    here = EntityKey(NodeType.DISTRICT, "萧县")

    def figure(indicator: str, value: float, unit: str, confidence: float) -> TargetFact:
        return TargetFact(
            here, indicator, value, unit, Comparator.EQ, 2024, Status.ACTUAL, 0, 1, 0, 1, confidence
        )

    kept = once_per_subject(
        [
            figure("签约项目", 19, "个", 0.6),
            figure("本次共签约项目", 19, "个", 0.8),
            figure("总投资", 1.2, "亿元", 0.7),
            figure("协议投资额", 12000, "万元", 0.5),
            figure("地区生产总值增速", 6, "%", 0.9),
            figure("固定资产投资增速", 6, "%", 0.9),
        ]
    )
    assert [(t.indicator, t.value) for t in kept] == [
        ("本次共签约项目", 19),
        ("总投资", 1.2),
        ("地区生产总值增速", 6),
        ("固定资产投资增速", 6),
    ]


def part_of_pairs(doc) -> set[tuple[str, str]]:
    return {(r.head.name, r.tail.name) for r in doc._.relations if r.relation == Relation.PART_OF}


def test_every_item_of_a_list_after_its_city_is_part_of_it(shipped: Language) -> None:
    """绵阳市涪城区、游仙区和三台县: the city is written once, before the first item only."""
    doc = shipped("绵阳市涪城区、游仙区和三台县今年共安排重点项目120个,总投资860亿元。")
    assert {("涪城区", "绵阳市"), ("游仙区", "绵阳市"), ("三台县", "绵阳市")} <= part_of_pairs(doc)


def test_a_county_written_after_its_province_is_in_it_although_its_city_is_named(shipped: Language) -> None:
    doc = shipped("绵阳市召开全市项目工作会议。会议通报,四川省三台县一季度新开工项目35个。")
    assert ("三台县", "四川省") in part_of_pairs(doc)


def test_the_headline_places_the_county_an_article_is_about(shipped: Language) -> None:
    """Being the subject is not enough: the division above it must be named in the headline."""
    body = "三台县召开一季度项目推进会。三台县今年计划实施重点项目60个,年度投资150亿元。"
    placed = shipped("绵阳市一季度重点项目进展顺利\n" + body)
    assert ("三台县", "绵阳市") in part_of_pairs(placed)
    elsewhere = shipped("三台县一季度项目推进会召开\n" + body + "绵阳市有关部门负责同志出席会议。")
    assert ("三台县", "绵阳市") not in part_of_pairs(elsewhere)


def test_a_session_named_over_a_line_break_is_still_an_event(shipped: Language) -> None:
    """A work report's heading breaks the session's name over two lines; the CRF never saw a name with
    a line break in it, so the rule's reading is kept, keyed without the break."""
    doc = shipped(
        "涪城区人民政府工作报告\n——2025年1月8日在绵阳市涪城区第十届\n人民代表大会第三次会议上\n"
        "区长 魏川\n各位代表：现在，我代表区人民政府向大会报告工作。"
    )
    from plankg.nlp.handover import doc_to_facts

    events = [e for e in doc_to_facts(doc).entities if e.type == NodeType.EVENT]
    assert [e.name for e in events] == ["第十届人民代表大会第三次会议"]
    assert events[0].confidence == shipped.get_pipe("plankg_recognizer").line_break_confidence


def test_a_zone_is_not_its_own_owner() -> None:
    """经开区 and 德阳经开区 are one zone (one name ends the other): neither is offered as the other's owner."""
    zone = EntityKey(NodeType.PLATFORM, "德阳经开区")
    assert same_zone(zone, EntityKey(NodeType.PLATFORM, "经开区"))
    assert same_zone(EntityKey(NodeType.PLATFORM, "经开区"), zone)
    assert not same_zone(zone, EntityKey(NodeType.DISTRICT, "德阳市"))
    assert not same_zone(EntityKey(NodeType.PLATFORM, "德阳经开区电子产业园"), zone)


class OneNameTagger:
    """A stand-in for the CRF that tags the characters [start, end) as one name of type `kind`."""

    def __init__(self, start: int, end: int, kind: str = "Official") -> None:
        self.span, self.kind = (start, end), kind

    def tag(self, features: list) -> list[str]:
        start, end = self.span
        return [
            f"B-{self.kind}" if i == start else f"I-{self.kind}" if start < i < end else "O"
            for i in range(len(features))
        ]

    def labels(self) -> list[str]:
        return ["O", f"B-{self.kind}", f"I-{self.kind}"]

    def marginal(self, label: str, i: int) -> float:
        return 0.9


def test_a_learned_name_stops_before_a_verb_that_follows_names(shipped: Language, monkeypatch) -> None:
    """许某陪同: a CRF that runs the name into 陪同 is cut back to the two-character name."""
    text = "副县长魏川陪同调研。"
    recognizer = shipped.get_pipe("plankg_recognizer")
    monkeypatch.setattr(recognizer, "tagger", lambda: OneNameTagger(3, 6))  # 魏川陪
    doc = shipped.make_doc(text)
    for name, component in shipped.pipeline:
        doc = component(doc)
        if name == "plankg_recognizer":
            break
    assert [m.text for m in doc._.mentions if m.label == NodeType.OFFICIAL] == ["魏川"]


def recognised(nlp: Language, text: str) -> list[Mention]:
    """The mentions after the recogniser (the components after it left out)."""
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        doc = component(doc)
        if name == "plankg_recognizer":
            break
    return doc._.mentions


@pytest.mark.parametrize(
    ("text", "start", "end", "kept"),
    [
        (
            "省农业农村厅牵头，县交通运输局配合落实。",
            0,
            15,
            ["县交通运输局"],
        ),  # two clauses: the last one's name
        ("县里召开会议；局长讲话。", 0, 8, []),  # what follows the mark is no name of two characters
        ("县交通运输局配合落实。", 0, 6, ["县交通运输局"]),  # no mark: the span as the CRF read it
    ],
)
def test_a_learned_name_does_not_run_over_a_clause_mark(
    shipped: Language, monkeypatch, text: str, start: int, end: int, kept: list[str]
) -> None:
    recognizer = shipped.get_pipe("plankg_recognizer")
    monkeypatch.setattr(recognizer, "tagger", lambda: OneNameTagger(start, end, "Organization"))
    learned = [m.text for m in recognised(shipped, text) if m.label == NodeType.ORGANIZATION]
    assert [t for t in learned if text.find(t) < end and text.find(t) + len(t) > start] == kept


class HesitantTagger:
    """A stand-in for a CRF whose best label sequence is all O, though it gives the characters
    [start, end) a 0.4 chance of being one name of type `kind` (B- on the first, I- after) and O 0.6."""

    LABELS = ("O", "B-Official", "I-Official", "B-Project", "I-Project")

    def __init__(self, start: int, end: int, kind: str) -> None:
        self.span, self.kind = (start, end), kind

    def labels(self) -> list[str]:
        return list(self.LABELS)

    def tag(self, features: list) -> list[str]:
        return ["O"] * len(features)

    def marginal(self, label: str, i: int) -> float:
        start, end = self.span
        if not start <= i < end:
            return 1.0 if label == "O" else 0.0
        named = f"B-{self.kind}" if i == start else f"I-{self.kind}"
        return 0.6 if label == "O" else 0.4 if label == named else 0.0


@pytest.mark.parametrize(
    ("kind", "weight", "found"),
    [
        ("Official", 0.5, ["魏川"]),  # 0.4 > 0.5 x 0.6: the likelier reading is the name
        ("Official", 1.0, []),  # weight 1: the best sequence alone
        ("Project", 0.5, []),  # a type the setting does not name
    ],
)
def test_a_name_the_crf_hesitates_over_is_read_from_its_characters_likeliest_labels(
    shipped: Language, monkeypatch, kind: str, weight: float, found: list[str]
) -> None:
    text = "会上，魏川作了讲话。"
    recognizer = shipped.get_pipe("plankg_recognizer")
    monkeypatch.setattr(recognizer, "tagger", lambda: HesitantTagger(3, 5, kind))
    monkeypatch.setattr(recognizer, "posterior_o_weight", weight)
    names = [m for m in recognised(shipped, text) if m.source == "learned"]
    assert [m.text for m in names] == found
    assert all(m.label == NodeType.OFFICIAL and 0.0 < m.confidence <= 1.0 for m in names)


def test_a_bylines_spaced_name_survives_the_crf(shipped: Language) -> None:
    from plankg.nlp.handover import doc_to_facts

    doc = shipped(
        "涪城区人民政府工作报告\n——2025年1月8日在涪城区第十届人民代表大会第三次会议上\n区长 魏 川\n各位代表："
    )
    officials = [e.name for e in doc_to_facts(doc).entities if e.type == NodeType.OFFICIAL]
    assert officials == ["魏川"]


def test_a_report_that_speaks_of_its_whole_prefecture_favours_the_prefecture(analyse) -> None:
    """全州…, 全州…, 全国…: two of the text's three reach words fit a prefecture, none a county."""
    from plankg.nlp.target_subjects import subject_rows

    doc = analyse(
        "楚雄州召开经济工作会议。全州地区生产总值增长6%,全州固定资产投资增长8%,"
        "增速高于全国平均水平。禄丰市负责同志参加会议。"
    )
    share = {unit.name: row["unit_scope_share"] for _, unit, row in subject_rows(doc)}
    assert share["楚雄彝族自治州"] == pytest.approx(2 / 3) and share["禄丰市"] == 0.0
