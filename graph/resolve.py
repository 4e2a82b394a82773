"""Entity resolution within one document: which of its names are one thing.

The graph keys an entity by its type and canonical name (a District by its division code);
these functions decide that key from the names one document uses, before its facts are merged
with the corpus (graph/builder.py resolves across documents by alias).
"""

from __future__ import annotations

from .divisions import district_identity, divisions, short_forms
from .model import EntityKey, EntityRecord, NodeType

# types whose short forms fold into a longer name of the same document
ALIAS_FOLD_TYPES = (NodeType.PLATFORM, NodeType.PROJECT, NodeType.ORGANIZATION, NodeType.EVENT)


def fold_aliases(entities: dict[EntityKey, EntityRecord], places: set[str]) -> dict[EntityKey, EntityKey]:
    """Within one text, a name that ends another of the same type is its short form
    (国际金融城 -> 广州国际金融城), so both become one entity: returns short key -> long key and
    adds the short names to the long record's aliases. A meeting differs from one with a wider
    scope (全市高质量发展大会), so events fold only behind a place name (`places`)."""
    mapping: dict[EntityKey, EntityKey] = {}
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
            and (etype != NodeType.EVENT or k[1][: -len(name)] in places)
        ]
        if len(longer) == 1:  # ambiguous short names (全省/全市高质量发展大会) stay apart
            mapping[key] = longer[0]
            entities[longer[0]].aliases.append(name)
            entities[longer[0]].aliases.extend(entities[key].aliases)
            entities[longer[0]].confidence = max(entities[longer[0]].confidence, entities[key].confidence)
    return mapping


def named_district(name: str) -> EntityRecord:
    """A District known only by its name (an owner named inside another name: 武汉经开区 -> 武汉市):
    its code when the gazetteer has exactly one division of that name."""
    namesakes = divisions().by_name.get(name, [])
    code = namesakes[0].code if len(namesakes) == 1 else ""
    return EntityRecord(
        NodeType.DISTRICT, name, aliases=short_forms(name), identity=district_identity(name, code)
    )
