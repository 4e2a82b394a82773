"""From an analysed spaCy Doc to the plain records the graph is built from.

The one place where NLP hands over: `doc._` extensions in, `plankg.graph.model` records out.
Which names of the document are one entity is decided by `plankg.graph.resolve`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from spacy.tokens import Doc

from plankg.graph.divisions import district_identity, short_forms
from plankg.graph.model import (
    DocumentFacts,
    EntityKey,
    EntityRecord,
    NodeType,
    RelationRecord,
    TargetRecord,
    clean_name,
)
from plankg.graph.resolve import BodyResolver, fold_aliases, named_district

from .facts import Mention


def entity_records(mentions: list[Mention]) -> dict[EntityKey, EntityRecord]:
    """One record per entity of the document, with every surface form as an alias; a District
    also gets its code, level, identity and the short forms of its name."""
    entities: dict[EntityKey, EntityRecord] = {}
    for m in mentions:
        key = EntityKey(m.label, clean_name(m.canonical))
        record = entities.setdefault(key, EntityRecord(m.label, key.name, confidence=0.0))
        record.confidence = max(record.confidence, m.confidence)
        for alias in (m.text, *m.aliases):
            alias = clean_name(alias)
            if alias and alias != key.name and alias not in record.aliases:
                record.aliases.append(alias)
        if m.label == NodeType.DISTRICT:
            record.attrs.setdefault("code", m.attrs.get("code", ""))
            record.attrs.setdefault("level", m.attrs.get("level", ""))
            record.identity = record.identity or district_identity(key.name, m.attrs.get("code", ""))
            for form in short_forms(key.name):
                if form not in record.aliases:
                    record.aliases.append(form)
    return entities


def mention_places(doc: Doc, mentions: list[Mention]) -> dict[EntityKey, list[str]]:
    """Per entity, the Districts the sentences naming it speak of (`doc._.focus`), most often first."""
    focus = doc._.focus or {}
    starts = sorted(focus)
    counts: dict[EntityKey, Counter[str]] = {}
    for m in mentions:
        if m.label == NodeType.DISTRICT or not starts:
            continue
        here = focus[starts[max(0, bisect_right(starts, m.start) - 1)]]
        if here is not None and here[0] == NodeType.DISTRICT:
            counts.setdefault(EntityKey(m.label, clean_name(m.canonical)), Counter())[here[1]] += 1
    return {
        key: [name for name, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]
        for key, c in counts.items()
    }


def doc_to_facts(doc: Doc, source: str = "") -> DocumentFacts:
    text = doc.text
    mentions = doc._.mentions or []
    entities = entity_records(mentions)
    for key, names in mention_places(doc, mentions).items():
        entities[key].places = names
    places = {m.text for m in mentions if m.label == NodeType.DISTRICT}
    places |= {m.canonical for m in mentions if m.label == NodeType.DISTRICT}
    folded = fold_aliases(entities, places)
    for key, into in folded.items():
        record = entities.pop(key, None)
        if record is not None:
            long = entities[into]
            long.places = long.places + [p for p in record.places if p not in long.places]

    def canon(key: EntityKey) -> EntityKey:
        key = EntityKey(key[0], clean_name(key[1]))
        return folded.get(key, key)

    for r in doc._.relations or []:  # an owner named only inside another name (南宁经开区 -> 南宁市)
        for end in (r.head, r.tail):
            key = canon(end)
            if key not in entities and key.type == NodeType.DISTRICT:
                entities[key] = named_district(key.name)
    original = doc.user_data.get("plankg_original")
    relations = [
        RelationRecord(
            canon(r.head),
            r.relation,
            canon(r.tail),
            text[r.start : r.end].strip(),
            r.start,
            r.end,
            dict(r.attrs, **({"sentence_original": original[r.start : r.end].strip()} if original else {})),
            r.confidence,
        )
        for r in doc._.relations or []
    ]
    # bodies named by their level only (县发改局, 经开区党工委, 市委) become the district's or zone's own
    relations, renamed = BodyResolver(entities, doc._.zones or ())(relations)
    targets = [
        TargetRecord(
            renamed.get(canon(t.subject), canon(t.subject)),
            t.indicator,
            t.value,
            t.unit,
            t.comparator,
            t.year,
            t.status,
            text[t.sent_start : t.sent_end].strip(),
            t.start,
            t.end,
            t.confidence,
        )
        for t in doc._.targets or []
        if t.subject is not None
    ]
    return DocumentFacts(
        doc._.doc_id or "doc", doc._.date, len(text), source, list(entities.values()), relations, targets
    )
