"""The learned "whose is it" step: which district or zone each platform, project, industry and
meeting belongs to.

For every such entity and every unit of the document (district, platform — a zone may act as
a district —, and for meetings an organisation) a logistic model (nlp/linear.py, trained by
training/learn.py) gives the probability that the unit owns it (has_platform, has_project,
develops_industry, held_event), from the pair features of nlp/pairs.py, the rule linker's own
choice among them. The most likely owner is kept when it passes `first`, further owners when
they pass `more` (a project may be the city's and the county's). These links replace the rule
linker's owner links; posts, part_of and spoke_at stay the rules'.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.model import OWNER_RELATION, EntityKey, NodeType, Relation

from .dates import day_in
from .facts import Link, text_of
from .linear import LinearComponent
from .pairs import UNITS, DocumentView, PairFeatures, PairTable

MODEL_FILE = "owners.json"
OWNED = (NodeType.PLATFORM, NodeType.PROJECT, NodeType.INDUSTRY, NodeType.EVENT)
RELATION_OF = {**OWNER_RELATION, NodeType.EVENT: Relation.HELD_EVENT}
REPLACED = frozenset(RELATION_OF.values())


def owner_table(doc: Doc) -> tuple[list[EntityKey], PairTable]:
    """Every owned entity of the document with every unit that may own it: the items, and one table
    of pair features (its `items` index the first list)."""
    view = DocumentView.of(doc)
    rule = {(link.head, link.relation, link.tail) for link in doc._.relations or []}
    items = [key for key in view.entities if key.type in OWNED]
    where = {key: i for i, key in enumerate(items)}
    parts = []
    for event in (False, True):
        keys = [key for key in items if (key.type == NodeType.EVENT) == event]
        if not keys:
            continue
        kinds = (*UNITS, NodeType.ORGANIZATION) if event else UNITS
        table = PairFeatures(view, kinds).table(
            [(key.type, key.name, [(m.start, m.end) for m in view.entities[key]], key) for key in keys]
        )
        table.items = [where[keys[i]] for i in table.items]
        parts.append(table)
    table = PairTable.concat(parts)
    # back in the document's order of entities, units in theirs; no zone offered as its own owner
    order = sorted(
        (r for r in range(len(table)) if not same_zone(items[table.items[r]], table.units[r])),
        key=lambda r: table.items[r],
    )
    table = table.take(order)
    table.add(
        "rule",
        [
            float((unit, RELATION_OF[items[i].type], items[i]) in rule)
            for i, unit in zip(table.items, table.units, strict=True)
        ],
    )
    return items, table


def owner_rows(doc: Doc) -> list[tuple[EntityKey, EntityKey, dict]]:
    """(item, unit, features) for every owned entity of the document and every unit that may own it."""
    items, table = owner_table(doc)
    return [
        (items[i], unit, row) for i, unit, row in zip(table.items, table.units, table.rows(), strict=True)
    ]


def same_zone(item: EntityKey, unit: EntityKey) -> bool:
    """A zone acting as a unit does not own itself, nor its short or long form (经开区 / 某某经开区: one
    name ends the other, as `graph.resolve.fold_aliases` folds them)."""
    return item.type == unit.type and (item.name.endswith(unit.name) or unit.name.endswith(item.name))


def choose(
    scored: list[tuple[EntityKey, EntityKey, float, float]], first: float, more: float
) -> list[tuple[EntityKey, EntityKey, float]]:
    """Per item, its first-ranked owner if its probability is above `first`, and then every other
    above `more`. `scored` holds (item, unit, probability, rank score)."""
    by_item: dict[EntityKey, list[tuple[float, float, EntityKey]]] = {}
    for item, unit, p, rank in scored:
        by_item.setdefault(item, []).append((rank, p, unit))
    out = []
    for item, options in by_item.items():
        options.sort(key=lambda o: (-o[0], -o[1], o[2]))
        if options[0][1] <= first:
            continue
        out += [(item, unit, p) for k, (_, p, unit) in enumerate(options) if k == 0 or p > more]
    return out


class OwnerAttribution(LinearComponent):
    MODEL_FILE = MODEL_FILE

    def __call__(self, doc: Doc) -> Doc:
        if not self.active:
            return doc
        items, table = owner_table(doc)
        p, rank = self.model.decide(table)
        chosen = choose(
            [
                (items[i], unit, pi, ri)
                for i, unit, pi, ri in zip(table.items, table.units, p.tolist(), rank.tolist(), strict=True)
            ],
            self.model.settings.get("first", 0.1),
            self.model.settings.get("more", 0.5),
        )
        kept = [link for link in doc._.relations or [] if link.relation not in REPLACED]
        by_key: dict[EntityKey, list] = {}
        for m in doc._.mentions or []:
            by_key.setdefault(m.key, []).append(m)
        doc._.relations = kept + [
            link for item, unit, p in chosen for link in self.links(doc, item, unit, p, by_key)
        ]
        return doc

    @staticmethod
    def links(doc: Doc, item: EntityKey, unit: EntityKey, p: float, by_key: dict | None = None) -> list[Link]:
        """The link, once per sentence that names the item (its evidence), the sentence nearest to the
        unit first; a meeting's date is the day its sentences give. `by_key`: the mentions by entity."""
        if by_key is None:
            by_key = {}
            for m in doc._.mentions or []:
                by_key.setdefault(m.key, []).append(m)
        mentions = list(by_key.get(item, []))
        units = [m.start for m in by_key.get(unit, [])]
        mentions.sort(key=lambda m: (min((abs(m.start - u) for u in units), default=0), m.start))
        sentences = []
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            sent = span.sent if span is not None else doc[:].sent
            if (sent.start_char, sent.end_char) not in sentences:
                sentences.append((sent.start_char, sent.end_char))
        attrs = {}
        if item.type == NodeType.EVENT and doc._.year:
            day = next((d for a, b in sentences if (d := day_in(text_of(doc), a, b, doc._.year))), None)
            if day:
                attrs["date"] = day
        return [Link(unit, RELATION_OF[item.type], item, a, b, attrs, p) for a, b in sentences]


@Language.factory(
    "plankg_attribution",
    assigns=["doc._.relations"],
    requires=["doc._.mentions", "doc._.focus", "doc._.relations"],
    default_config={"enabled": True},
)
def make_attribution(nlp: Language, name: str, enabled: bool) -> OwnerAttribution:
    """enabled: false keeps the rule linker's owners."""
    return OwnerAttribution(name, enabled)
