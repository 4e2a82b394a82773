"""Features of "whose is it": an item (a platform, project, industry or event, or a target's
figure) and a unit that may own it (a district, a zone, an organisation).

Plan news rarely says whose a thing is in the same clause; the evidence is spread over the
article: the unit written right before the name (天河区珠江新城), the unit inside the name
(南安市综合…项目), the subject of the sentence or paragraph (the context component's focus),
the article's main subject (named first, most often, in the title), a zone with its own
党工委/管委会, how far apart the two stand, and how many other units stand between them.
One row of numbers per (item, unit) pair; nlp/linear.py turns rows into probabilities.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc

from plankg.graph.divisions import divisions
from plankg.graph.model import EntityKey, Level, NodeType

from .facts import Mention, text_of

LEVEL_NUMBER = {Level.PROVINCE: 1, Level.CITY: 2, Level.COUNTY: 3, Level.TOWN: 4}
OWN_BODY_AFTER = re.compile(r"(党工委|管委会|管委|委|政府|人民政府)")
CONVENING = ("召开", "举行", "举办", "开幕", "启动")
FAR = 5000  # distances are capped here
# the raw features, in order; the counts and distances among them are read on a log scale
FEATURES = [
    "item_type",
    "unit_type",
    "unit_level",
    "unit_count",
    "unit_rank",
    "unit_order",
    "unit_first",
    "unit_in_title",
    "unit_zone",
    "unit_body",
    "unit_focus_share",
    "unit_main_focus",
    "candidates",
    "unit_in_name",
    "unit_starts_name",
    "before",
    "after",
    "same_sentence",
    "same_paragraph",
    "adjacent",
    "focus_share",
    "focus_any",
    "sentence_gap",
    "convening",
    "between",
    "item_count",
    "item_first",
    "children",
    "parents",
    "rule",
    "before_rank",
    "after_rank",
    "opens_sentence",
    "nearest_in_sentence",
]
LOGS = [
    "unit_count",
    "unit_rank",
    "unit_order",
    "candidates",
    "before",
    "after",
    "sentence_gap",
    "between",
    "item_count",
    "children",
    "parents",
    "before_rank",
    "after_rank",
]
CATEGORIES = {"unit_level": [0, 1, 2, 3, 4, 5], "item_type": [2, 3, 4, 6, 7], "unit_type": [1, 2, 3, 5]}
TYPE_NUMBER = {t: i for i, t in enumerate(NodeType)}
UNITS = (NodeType.DISTRICT, NodeType.PLATFORM)  # what may own things: districts and zones acting as them


@dataclass
class DocumentView:
    """What every pair of one document shares: its sentences, paragraphs, units and their mentions."""

    text: str
    sentence_starts: list[int]
    paragraph_starts: list[int]
    entities: dict[EntityKey, list[Mention]]
    focus: dict[int, EntityKey | None]
    zones: set[str]
    focus_counts: Counter = field(default_factory=Counter)
    main_focus: EntityKey | None = None

    @classmethod
    def of(cls, doc: Doc) -> DocumentView:
        text = text_of(doc)
        entities: dict[EntityKey, list[Mention]] = defaultdict(list)
        for m in doc._.mentions or []:
            entities[m.key].append(m)
        focus = doc._.focus or {}
        counts = Counter(v for v in focus.values() if v)
        return cls(
            text,
            [s.start_char for s in doc.sents],
            [0] + [i + 1 for i, c in enumerate(text) if c == "\n"],
            dict(entities),
            focus,
            set(doc._.zones or ()),
            counts,
            counts.most_common(1)[0][0] if counts else None,
        )

    def sentence(self, pos: int) -> int:
        return max(0, bisect_right(self.sentence_starts, pos) - 1)

    def paragraph(self, pos: int) -> int:
        return max(0, bisect_right(self.paragraph_starts, pos) - 1)

    def units(self, kinds: tuple[NodeType, ...]) -> dict[EntityKey, list[Mention]]:
        """The entities of these types (the possible owners or subjects), with their mentions."""
        return {k: ms for k, ms in self.entities.items() if k.type in kinds}


class PairFeatures:
    """Rows of pair features for the items of one document."""

    def __init__(self, view: DocumentView, kinds: tuple[NodeType, ...] = UNITS) -> None:
        self.view = view
        self.units = view.units(kinds)
        n = max(1, len(view.text))
        self.n = n
        counts = {k: len(ms) for k, ms in self.units.items()}
        self.rank = {k: r for r, k in enumerate(sorted(counts, key=lambda k: -counts[k]))}
        self.first = {k: min(m.start for m in ms) for k, ms in self.units.items()}
        self.order = {k: r for r, k in enumerate(sorted(self.first, key=self.first.get))}
        title_end = view.text.find("\n") if "\n" in view.text else n
        self.in_title = {k: any(m.start < title_end for m in ms) for k, ms in self.units.items()}
        self.body = {
            k: any(OWN_BODY_AFTER.match(view.text, m.end) for m in ms) for k, ms in self.units.items()
        }
        self.positions = {k: sorted((m.start, m.end) for m in ms) for k, ms in self.units.items()}
        self.position_starts = {k: [a for a, _ in p] for k, p in self.positions.items()}
        # every unit mention by where it starts: how many other units stand between two places
        self.mention_starts = sorted((a, k) for k, p in self.positions.items() for a, _ in p)
        self.mention_start_at = [a for a, _ in self.mention_starts]
        self._unit_rows: dict[EntityKey, dict] = {}
        self.forms = {  # the unit's names of two characters or more, as its mentions write them
            k: [s for s in {k.name, *(m.text for m in ms)} if len(s) >= 2] for k, ms in self.units.items()
        }
        index = divisions()
        self.division = {
            k: index.by_code.get(ms[0].attrs.get("code", ""))
            for k, ms in self.units.items()
            if k.type == NodeType.DISTRICT
        }
        self.hierarchy = {}
        for k, d in self.division.items():
            if d is None:
                continue
            others = [d2 for k2, d2 in self.division.items() if k2 != k and d2 is not None]
            self.hierarchy[k] = (
                sum(index.is_inside(d2, d) for d2 in others),
                sum(index.is_inside(d, d2) for d2 in others),
            )

    def rows(
        self,
        item_type: NodeType,
        item_name: str,
        spans: list[tuple[int, int]],
        exclude: EntityKey | None = None,
    ) -> list[tuple[EntityKey, dict]]:
        """The rows of one item with every unit, and how the units rank among each other: which is
        nearest before the item, nearest after it, and nearest within its sentence."""
        places = self.places(spans)
        out = [(u, self.row(item_type, item_name, spans, u, places)) for u in self.units if u != exclude]
        for key, rank in (("before", "before_rank"), ("after", "after_rank")):
            for r, (_, row) in enumerate(sorted(out, key=lambda ur: (ur[1][key], ur[0]))):
                row[rank] = r
        in_sentence = [(row["before"], u) for u, row in out if row["same_sentence"]]
        nearest = min(in_sentence)[1] if in_sentence else None
        for u, row in out:
            row["nearest_in_sentence"] = float(u == nearest)
        return out

    def units_between(self, unit: EntityKey, lo: int, hi: int) -> int:
        """How many units other than `unit` have a mention starting in [lo, hi)."""
        window = self.mention_starts[
            bisect_left(self.mention_start_at, lo) : bisect_left(self.mention_start_at, hi)
        ]
        return len({k for _, k in window if k != unit})

    def unit_row(self, unit: EntityKey) -> dict:
        """The features of a unit alone (the same for every item)."""
        cached = self._unit_rows.get(unit)
        if cached is not None:
            return cached
        view, ums = self.view, self.units[unit]
        level = ums[0].attrs.get("level")
        f = {
            "unit_type": TYPE_NUMBER[unit.type],
            "unit_level": LEVEL_NUMBER.get(level, 0) if unit.type == NodeType.DISTRICT else 5,
            "unit_count": len(ums),
            "unit_rank": self.rank.get(unit, 99),
            "unit_order": self.order.get(unit, 99),
            "unit_first": self.first.get(unit, self.n) / self.n,
            "unit_in_title": float(self.in_title[unit]),
            "unit_zone": float(unit.name in view.zones),
            "unit_body": float(self.body[unit]),
            "unit_focus_share": view.focus_counts.get(unit, 0) / max(1, len(view.sentence_starts)),
            "unit_main_focus": float(unit == view.main_focus),
            "candidates": len(self.units),
        }
        children, parents = self.hierarchy.get(unit, (0, 0))
        f["children"], f["parents"] = children, parents
        self._unit_rows[unit] = f
        return f

    def places(self, spans: list[tuple[int, int]]) -> list[tuple[int, int, int, int, EntityKey | None]]:
        """Where each span of an item stands: (start, end, sentence, paragraph, the sentence's focus),
        the same for every unit it is paired with."""
        view = self.view
        out = []
        for start, end in spans:
            sent = view.sentence(start)
            focus = view.focus.get(view.sentence_starts[sent] if view.sentence_starts else 0)
            out.append((start, end, sent, view.paragraph(start), focus))
        return out

    def row(
        self,
        item_type: NodeType,
        item_name: str,
        spans: list[tuple[int, int]],
        unit: EntityKey,
        places: list[tuple[int, int, int, int, EntityKey | None]] | None = None,
    ) -> dict:
        view = self.view
        f = {"item_type": TYPE_NUMBER[item_type], **self.unit_row(unit)}
        forms = self.forms[unit]
        f["unit_in_name"] = float(any(s in item_name for s in forms))
        f["unit_starts_name"] = float(any(item_name.startswith(s) for s in forms))
        before = after = FAR
        same_sentence = same_paragraph = adjacent = convening = 0.0
        focus_hits, sentence_gap, between = 0, 1000, 99
        positions = self.positions[unit]
        starts = self.position_starts[unit]
        for start, end, sent, para, focus in places if places is not None else self.places(spans):
            if focus == unit:
                focus_hits += 1
            i = bisect_right(starts, start) - 1
            if i >= 0:
                a, b = positions[i]
                gap = start - b
                if gap >= 0:
                    before = min(before, gap)
                if -1 <= gap <= 1:
                    adjacent = 1.0
                if view.sentence(a) == sent:
                    same_sentence = 1.0
                    if any(v in view.text[b:start] for v in CONVENING):
                        convening = 1.0
                if view.paragraph(a) == para:
                    same_paragraph = 1.0
                sentence_gap = min(sentence_gap, sent - view.sentence(a))
                between = min(between, self.units_between(unit, b, start))
            if i + 1 < len(positions):
                a, _ = positions[i + 1]
                after = min(after, a - end)
                if view.sentence(a) == sent:
                    same_sentence = 1.0
        f.update(
            before=min(before, FAR),
            after=min(after, FAR),
            same_sentence=same_sentence,
            same_paragraph=same_paragraph,
            adjacent=adjacent,
            focus_share=focus_hits / max(1, len(spans)),
            focus_any=float(focus_hits > 0),
            sentence_gap=min(sentence_gap, 1000),
            convening=convening,
            between=between,
            item_count=len(spans),
            item_first=min(s for s, _ in spans) / self.n,
        )
        f["opens_sentence"] = float(self.opens_sentence(unit, spans, places))
        return f

    def opens_sentence(
        self,
        unit: EntityKey,
        spans: list[tuple[int, int]],
        places: list[tuple[int, int, int, int, EntityKey | None]] | None = None,
    ) -> bool:
        """A mention of the unit stands within the first few characters of an item's sentence (its
        subject: 天河区今年将…)."""
        view, starts = self.view, self.position_starts[unit]
        for start, _, sent, _, _ in places if places is not None else self.places(spans):
            s0 = view.sentence_starts[sent] if view.sentence_starts else 0
            i = bisect_left(starts, s0)  # the first mention at or after the sentence's start
            if i < len(starts) and starts[i] <= min(s0 + 6, start):
                return True
        return False
