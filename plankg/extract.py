"""From an analysed spaCy Doc to the plain records the graph is built from.

This is the one place that knows both sides: `nlp/` Doc extensions in, `graph/` records out.
"""

from __future__ import annotations

from spacy.tokens import Doc

from plankg.graph.builder import DocumentFacts, EntityRecord, RelationRecord, TargetRecord, clean_name
from plankg.nlp.lexicon import divisions, short_forms

ALIAS_FOLD_TYPES = ("Platform", "Project", "Organization", "Event")


def district_identity(name: str, code: str) -> str:
    """The node key of a division: its name, or name#code for all but the first of namesakes
    in the national gazetteer (朝阳区 in Beijing, 朝阳区#220104 in Changchun). Fixed by the
    gazetteer, so the same division gets the same key in every build."""
    namesakes = sorted(d.code for d in divisions().by_name.get(name, []))
    if not code or not namesakes or code == namesakes[0]:
        return name
    return f"{name}#{code}"


def fold_aliases(
    entities: dict[tuple[str, str], EntityRecord], places: set[str]
) -> dict[tuple[str, str], tuple[str, str]]:
    """Within one text, a name that ends another of the same type is its short form
    (国际金融城 -> 广州国际金融城), so both become one entity. A meeting differs from one with
    a wider scope (全市高质量发展大会), so events fold only behind a place name."""
    mapping: dict[tuple[str, str], tuple[str, str]] = {}
    names = sorted(entities, key=lambda k: -len(k[1]))
    for key in names:
        etype, name = key
        if etype not in ALIAS_FOLD_TYPES or len(name) < 3:
            continue
        longer = [
            k
            for k in names
            if k[0] == etype
            and len(k[1]) > len(name)
            and k[1].endswith(name)
            and k not in mapping
            and (etype != "Event" or k[1][: -len(name)] in places)
        ]
        if len(longer) == 1:  # ambiguous short names (全省/全市高质量发展大会) stay apart
            mapping[key] = longer[0]
            entities[longer[0]].aliases.append(name)
            entities[longer[0]].aliases.extend(entities[key].aliases)
    return mapping


def doc_to_facts(doc: Doc, source: str = "") -> DocumentFacts:
    text = doc.text
    entities: dict[tuple[str, str], EntityRecord] = {}
    for m in doc._.mentions or []:
        key = (m.label, clean_name(m.canonical))
        record = entities.setdefault(key, EntityRecord(m.label, key[1]))
        for alias in (m.text, *m.aliases):
            alias = clean_name(alias)
            if alias and alias != key[1] and alias not in record.aliases:
                record.aliases.append(alias)
        if m.label == "District":
            record.attrs.setdefault("code", m.attrs.get("code", ""))
            record.attrs.setdefault("level", m.attrs.get("level", ""))
            record.identity = record.identity or district_identity(key[1], m.attrs.get("code", ""))
            for form in short_forms(key[1]):
                if form not in record.aliases:
                    record.aliases.append(form)
    places = {m.text for m in doc._.mentions or [] if m.label == "District"}
    places |= {m.canonical for m in doc._.mentions or [] if m.label == "District"}
    folded = fold_aliases(entities, places)
    for key in folded:
        entities.pop(key, None)

    def canon(key: tuple[str, str]) -> tuple[str, str]:
        key = (key[0], clean_name(key[1]))
        return folded.get(key, key)

    for r in doc._.relations or []:  # an owner named only inside another name (武汉经开区 -> 武汉市)
        for label, name in (r.head, r.tail):
            key = canon((label, name))
            if key not in entities and label == "District":
                namesakes = divisions().by_name.get(key[1], [])
                code = namesakes[0].code if len(namesakes) == 1 else ""
                entities[key] = EntityRecord(
                    "District", key[1], aliases=short_forms(key[1]), identity=district_identity(key[1], code)
                )
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
        )
        for r in doc._.relations or []
    ]
    targets = [
        TargetRecord(
            canon(t.subject),
            t.indicator,
            t.value,
            t.unit,
            t.comparator,
            t.year,
            t.status,
            text[t.sent_start : t.sent_end].strip(),
            t.start,
            t.end,
        )
        for t in doc._.targets or []
    ]
    return DocumentFacts(
        doc._.doc_id or "doc", doc._.date, len(text), source, list(entities.values()), relations, targets
    )
