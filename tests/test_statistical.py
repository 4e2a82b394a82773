"""The statistical recognition layer (nlp/statistical.py) on sentences written for these tests.

The rules find an official only after a title (区委书记林则安); the statistical layer adds a
person the rules miss when a speech verb or title is close, and never touches what the rules
found.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from plankg.nlp import pipeline, statistical
from plankg.nlp.facts import Mention

pytestmark = pytest.mark.skipif(not statistical.available(), reason="no trained statistical model")

ALL_LABELS = ["Person", "Official", "District", "Platform", "Project", "Industry", "Organization", "Event"]


def build(labels: list[str], enabled: bool = True) -> Language:
    """The pipeline of nlp/pipeline.cfg (character segmentation) with the statistical layer's labels set."""
    return pipeline.create(
        None,
        {"components.plankg_statistical.labels": labels, "components.plankg_statistical.enabled": enabled},
    )


@pytest.fixture(scope="module")
def with_persons() -> Language:
    return build(["Person"])


def test_component_loads_before_resolve() -> None:
    nlp = pipeline.create(None)
    names = nlp.pipe_names
    assert "plankg_statistical" in names
    assert names.index("plankg_statistical") < names.index("plankg_resolve")
    assert nlp.get_pipe("plankg_statistical").inner is not None


def test_person_near_speech_verb_is_added(with_persons: Language) -> None:
    """No title in front of 赵明辉, so the title+name rule misses him; 表示 makes him an official."""
    text = "会上，赵明辉表示，今年要加快推进产业园区建设，抓好重点项目落地。"
    rules_only = build(["Person"], enabled=False)(text)
    assert not [m for m in rules_only._.mentions if m.text == "赵明辉"]
    doc = with_persons(text)
    added = [m for m in doc._.mentions if m.source == "statistical"]
    assert [(m.text, m.label) for m in added] == [("赵明辉", "Official")]
    assert "赵明辉" in {e.text for e in doc.ents}


def test_person_without_cue_or_with_reporter_word_is_not_an_official(with_persons: Language) -> None:
    doc = with_persons("萧山日报记者许文静报道。")
    assert not [m for m in doc._.mentions if m.source == "statistical"]


def test_rule_mentions_are_never_overridden() -> None:
    """Every label on: the rules' mentions come out unchanged, and nothing statistical overlaps them."""
    text = (
        "2月25日上午，杭州市萧山区召开全区高质量发展大会。萧山区委书记林则安在会上作讲话，"
        "要加快建设湘湖未来科技城，培育壮大集成电路产业。"
    )
    rules = build(ALL_LABELS, enabled=False)(text)
    both = build(ALL_LABELS)(text)
    assert {(m.start, m.end, m.label) for m in rules._.mentions} <= {
        (m.start, m.end, m.label) for m in both._.mentions
    }
    for m in both._.mentions:
        if m.source == "statistical":
            assert not any(r.start < m.end and m.start < r.end for r in rules._.mentions)


def test_overlapping_statistical_span_is_dropped_before_resolve(with_persons: Language) -> None:
    """Even a longer statistical reading over a rule mention gives way (resolve prefers longer)."""
    component = with_persons.get_pipe("plankg_statistical")
    doc = with_persons.make_doc("区委书记林则安表示要加快发展。")
    doc._.mentions = [Mention(4, 7, "Official", "林则安", source="title+name")]

    inner = component.inner

    class Fake:
        def pipe(self, texts):
            for text in texts:
                d = inner.make_doc(text)
                d.ents = [d.char_span(3, 7, label="Person")]  # 记林则安: longer, overlapping
                yield d

    component.inner = Fake()
    try:
        out = component(doc)
    finally:
        component.inner = inner
    assert [(m.text, m.source) for m in out._.mentions] == [("林则安", "title+name")]


def test_a_batch_of_documents_gets_what_each_gets_alone(with_persons: Language) -> None:
    """nlp.pipe hands the layer whole batches, whose pieces its inner model reads together; every
    document comes out as it does when analysed by itself, whatever else is in the batch."""
    texts = [
        "会上，赵明辉表示，今年要加快推进产业园区建设。",
        "萧山日报记者许文静报道。",
        "",
        "座谈会上，钱立新指出，要抓好重点项目落地；孙卫东强调，要优化营商环境。",
    ]
    alone = [with_persons(text)._.mentions for text in texts]
    together = [doc._.mentions for doc in with_persons.pipe(texts, batch_size=4)]
    key = lambda ms: [(m.start, m.end, m.label, m.source) for m in ms or []]  # noqa: E731
    assert [key(ms) for ms in together] == [key(ms) for ms in alone]
    assert ("Official", "statistical") in {(m.label, m.source) for ms in together for m in ms or []}
