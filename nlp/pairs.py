"""Features of "whose is it": an item (a platform, project, industry or event, or a target's
figure) and a unit that may own it (a district, a zone, an organisation).

Plan news rarely says whose a thing is in the same clause; the evidence is spread over the
article: the unit written right before the name (天河区珠江新城), the unit inside the name
(南安市综合…项目), the subject of the sentence or paragraph (the context component's focus),
the article's main subject (named first, most often, in the title), a zone with its own
党工委/管委会, how far apart the two stand, and how many other units stand between them.
One row of numbers per (item, unit) pair, kept as columns of a PairTable; nlp/linear.py turns them into probabilities.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy
from spacy.tokens import Doc

from plankg.graph.divisions import divisions
from plankg.graph.model import EntityKey, Level, NodeType

from .context import article_subject, focus_counts
from .facts import Mention, text_of
from .lexicon import read_table

LEVEL_NUMBER = {Level.PROVINCE: 1, Level.CITY: 2, Level.COUNTY: 3, Level.TOWN: 4}
OWN_BODY_AFTER = re.compile(r"(党工委|管委会|管委|委|政府|人民政府)")
CONVENING = ("召开", "举行", "举办", "开幕", "启动")
FAR = 5000  # distances are capped here
DENSE_MENTIONS = 1500  # up to this many unit mentions, 'units between' comes from one table
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
    "scope_fits",
    "scope_other",
    "unit_scope_share",
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
# 全省 / 全市 …: the levels of the unit a meeting or figure of that reach belongs to (全国: none)
SCOPES = {
    row[0]: {Level(v) for v in (row + [""])[1].split(",") if v} for row in read_table("scope_words.tsv")
}
SCOPE_WORD = re.compile("|".join(sorted(SCOPES, key=len, reverse=True)))
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
        for key, ms in entities.items():  # a place inside a name counts where the text has it nowhere else
            alone = [m for m in ms if not m.leading]
            if alone and len(alone) < len(ms):
                entities[key] = alone
        focus = doc._.focus or {}
        counts = focus_counts(focus)
        return cls(
            text,
            [s.start_char for s in doc.sents],
            [0] + [i + 1 for i, c in enumerate(text) if c == "\n"],
            dict(entities),
            focus,
            set(doc._.zones or ()),
            counts,
            article_subject(counts),
        )

    def sentence(self, pos: int) -> int:
        return max(0, bisect_right(self.sentence_starts, pos) - 1)

    def level(self, unit: EntityKey) -> Level | None:
        """The division level of a District unit (None for a zone or organisation)."""
        return self.entities[unit][0].attrs.get("level") if unit.type == NodeType.DISTRICT else None

    def paragraph(self, pos: int) -> int:
        return max(0, bisect_right(self.paragraph_starts, pos) - 1)

    def units(self, kinds: tuple[NodeType, ...]) -> dict[EntityKey, list[Mention]]:
        """The entities of these types (the possible owners or subjects), with their mentions."""
        return {k: ms for k, ms in self.entities.items() if k.type in kinds}


@dataclass
class PairTable:
    """Pair features as columns, one value per pair: pair r is (items[r] — the index of its item —,
    units[r]). The decision layers score it as a matrix; `rows()` gives the same as dicts (training)."""

    items: list[int]
    units: list[EntityKey]
    columns: dict[str, numpy.ndarray]

    def __len__(self) -> int:
        return len(self.units)

    def add(self, name: str, values) -> None:
        self.columns[name] = numpy.broadcast_to(numpy.asarray(values, dtype=float), (len(self),)).copy()

    def raw(self, features: list[str]) -> numpy.ndarray:
        """The columns of `features`, in order (a missing one is zeros)."""
        zeros = numpy.zeros(len(self))
        return (
            numpy.column_stack([self.columns.get(f, zeros) for f in features]) if features else zeros[:, None]
        )

    def take(self, order: list[int]) -> PairTable:
        """The pairs in this order."""
        index = numpy.asarray(order, dtype=numpy.int64)
        return PairTable(
            [self.items[r] for r in order],
            [self.units[r] for r in order],
            {name: values[index] for name, values in self.columns.items()},
        )

    @staticmethod
    def concat(tables: list[PairTable]) -> PairTable:
        if not tables:
            return PairTable([], [], {})
        names = list(tables[0].columns)
        return PairTable(
            [i for t in tables for i in t.items],
            [u for t in tables for u in t.units],
            {name: numpy.concatenate([t.columns[name] for t in tables]) for name in names},
        )

    def rows(self) -> list[dict]:
        names = list(self.columns)
        return [
            dict(zip(names, values, strict=True))
            for values in zip(*(self.columns[n].tolist() for n in names), strict=True)
        ]


class PairFeatures:
    """The pair features of the items of one document (`table`)."""

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
        # every unit mention by where it starts: how many other units stand between two places
        self.mention_starts = sorted((a, k) for k, p in self.positions.items() for a, _ in p)
        self.mention_start_at = [a for a, _ in self.mention_starts]
        self._unit_rows: dict[EntityKey, dict] = {}
        # the reach words of the whole text (全州, 全县 …): a report speaks of its own unit this way
        self.scope_words = Counter(m.group(0) for m in SCOPE_WORD.finditer(view.text))
        self.scope_total = sum(self.scope_words.values())
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

    def table(self, items: list[tuple[NodeType, str, list[tuple[int, int]], EntityKey | None]]) -> PairTable:
        """The pairs of many items (type, name, spans, the unit to leave out) with every unit, item by
        item in the order given, units in document order; with how the units rank among each other
        for an item: which is nearest before it, nearest after it, and nearest within its sentence.

        The position features are computed for all spans of all items at once, one unit at a time
        (numpy over the spans), reduced per item, and kept as columns: a document's items times its
        units would otherwise be that many Python loops and dicts."""
        units = list(self.units)
        if not items or not units:
            return PairTable([], [], {name: numpy.zeros(0) for name in FEATURES if name != "rule"})
        view = self.view
        lengths = [len(spans) for _, _, spans, _ in items]
        offsets = numpy.cumsum([0, *lengths[:-1]])  # where each item's spans start
        flat = [span for _, _, spans, _ in items for span in spans]
        p_start = numpy.array([a for a, _ in flat], dtype=numpy.int64)
        p_end = numpy.array([b for _, b in flat], dtype=numpy.int64)
        sent_starts = numpy.array(view.sentence_starts or [0], dtype=numpy.int64)
        p_sent = numpy.maximum(0, numpy.searchsorted(sent_starts, p_start, "right") - 1)
        para_starts = numpy.array(view.paragraph_starts, dtype=numpy.int64)
        p_para = numpy.maximum(0, numpy.searchsorted(para_starts, p_start, "right") - 1)
        p_focus = [
            view.focus.get(int(sent_starts[k]) if view.sentence_starts else 0) for k in p_sent.tolist()
        ]
        s0 = sent_starts[p_sent] if view.sentence_starts else numpy.zeros_like(p_start)
        opens_limit = numpy.minimum(s0 + 6, p_start)
        conv = self._convening_at()
        between_of = self._distinct_units()
        mention_at = numpy.array(self.mention_start_at, dtype=numpy.int64)
        per_unit = {}
        for unit in self.units:
            u_start, u_end, u_sent, u_para = self._unit_arrays(unit)
            count = len(u_start)
            i = numpy.searchsorted(u_start, p_start, "right") - 1
            has = i >= 0
            ii = numpy.maximum(i, 0)
            b = u_end[ii]
            gap = p_start - b
            same_before = has & (u_sent[ii] == p_sent)
            lo = numpy.searchsorted(mention_at, b, "left")
            hi = numpy.searchsorted(mention_at, p_start, "left")
            own = (numpy.searchsorted(u_start, p_start, "left") - numpy.searchsorted(u_start, b, "left")) > 0
            between = numpy.where(has, between_of(lo, hi) - (own & (hi > lo)), 99)
            nxt = i + 1 < count
            jj = numpy.minimum(i + 1, count - 1)
            k = numpy.searchsorted(u_start, s0, "left")
            kk = numpy.minimum(k, count - 1)
            reduced = {}
            for name, values, how in (
                ("before", numpy.where(has & (gap >= 0), gap, FAR), numpy.minimum),
                ("after", numpy.where(nxt, u_start[jj] - p_end, FAR), numpy.minimum),
                ("same_sentence", same_before | (nxt & (u_sent[jj] == p_sent)), numpy.maximum),
                ("same_paragraph", has & (u_para[ii] == p_para), numpy.maximum),
                ("adjacent", has & (gap >= -1) & (gap <= 1), numpy.maximum),
                ("convening", same_before & conv(b, p_start), numpy.maximum),
                ("sentence_gap", numpy.where(has, p_sent - u_sent[ii], 1000), numpy.minimum),
                ("between", between, numpy.minimum),
                ("focus", numpy.array([f == unit for f in p_focus], dtype=numpy.int64), numpy.add),
                ("opens", (k < count) & (u_start[kk] <= opens_limit), numpy.maximum),
            ):
                reduced[name] = how.reduceat(values.astype(numpy.int64), offsets)
            per_unit[unit] = reduced
        return self._columns(items, units, per_unit)

    def _columns(self, items, units: list[EntityKey], per_unit: dict) -> PairTable:
        """Matrices (items x units) of every feature, flattened item by item without the left-out pairs."""
        n_items, n_units = len(items), len(units)
        position = {u: j for j, u in enumerate(units)}

        def matrix(name: str) -> numpy.ndarray:
            return numpy.array([per_unit[u][name] for u in units], dtype=float).T

        excluded = numpy.zeros((n_items, n_units), dtype=bool)
        for i, (_, _, _, exclude) in enumerate(items):
            if exclude in position:
                excluded[i, position[exclude]] = True
        keep = ~excluded.ravel()
        spans_of = numpy.array([len(spans) for _, _, spans, _ in items], dtype=float)[:, None]
        before = numpy.minimum(matrix("before"), FAR)
        after = numpy.minimum(matrix("after"), FAR)
        same_sentence = matrix("same_sentence")
        focus = matrix("focus")
        cols = {
            "item_type": numpy.repeat([[float(TYPE_NUMBER[t])] for t, _, _, _ in items], n_units, axis=1),
        }
        unit_rows = [self.unit_row(u) for u in units]
        for name in unit_rows[0]:
            cols[name] = numpy.tile([float(r[name]) for r in unit_rows], (n_items, 1))
        names = [name for _, name, _, _ in items]
        in_name = numpy.zeros((n_items, n_units))
        starts_name = numpy.zeros((n_items, n_units))
        for j, u in enumerate(units):
            for form in self.forms[u]:
                in_name[:, j] = numpy.maximum(in_name[:, j], [form in name for name in names])
                starts_name[:, j] = numpy.maximum(
                    starts_name[:, j], [name.startswith(form) for name in names]
                )
        cols["unit_in_name"], cols["unit_starts_name"] = in_name, starts_name
        cols["scope_fits"], cols["scope_other"] = self._scopes(names, units)
        cols.update(
            before=before,
            after=after,
            same_sentence=same_sentence,
            same_paragraph=matrix("same_paragraph"),
            adjacent=matrix("adjacent"),
            focus_share=focus / numpy.maximum(1.0, spans_of),
            focus_any=(focus > 0).astype(float),
            sentence_gap=numpy.minimum(matrix("sentence_gap"), 1000),
            convening=matrix("convening"),
            between=numpy.minimum(matrix("between"), 99),
            item_count=numpy.repeat(spans_of, n_units, axis=1),
            item_first=numpy.repeat(
                [[min(a for a, _ in spans) / self.n] for _, _, spans, _ in items], n_units, axis=1
            ),
            opens_sentence=matrix("opens"),
        )
        # ranks among the units of each item, ties by unit key; a left-out unit ranks last
        key_rank = numpy.empty(n_units)
        key_rank[sorted(range(n_units), key=units.__getitem__)] = numpy.arange(n_units)
        tie = numpy.broadcast_to(key_rank, (n_items, n_units))
        steps = numpy.broadcast_to(numpy.arange(n_units, dtype=float), (n_items, n_units))
        for name, values in (("before_rank", before), ("after_rank", after)):
            order = numpy.lexsort((tie, numpy.where(excluded, FAR + 1, values)), axis=-1)
            ranks = numpy.empty((n_items, n_units))
            numpy.put_along_axis(ranks, order, steps, axis=-1)
            cols[name] = ranks
        candidate = (same_sentence > 0) & ~excluded
        order = numpy.lexsort((tie, numpy.where(candidate, before, numpy.inf)), axis=-1)[:, :1]
        nearest = numpy.zeros((n_items, n_units))
        numpy.put_along_axis(nearest, order, 1.0, axis=-1)
        cols["nearest_in_sentence"] = nearest * candidate.any(axis=1, keepdims=True)
        item_of = numpy.repeat(numpy.arange(n_items), n_units)[keep]
        unit_of = numpy.tile(numpy.arange(n_units), n_items)[keep]
        return PairTable(
            item_of.tolist(),
            [units[j] for j in unit_of.tolist()],
            {name: values.ravel()[keep] for name, values in cols.items()},
        )

    def _scopes(self, names: list[str], units: list[EntityKey]) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Matrices (items x units): the item's name says its reach (全省…推进会) and the unit is a
        division of that level / of another level or no division."""
        levels = [self.view.level(u) for u in units]
        fits = numpy.zeros((len(names), len(units)))
        other = numpy.zeros((len(names), len(units)))
        for i, name in enumerate(names):
            found = SCOPE_WORD.search(name)
            if found is None:
                continue
            wanted = SCOPES[found.group(0)]
            fits[i] = [float(level in wanted) for level in levels]
            other[i] = 1.0 - fits[i]
        return fits, other

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
            "unit_scope_share": self.scope_share(view.level(unit)),
        }
        children, parents = self.hierarchy.get(unit, (0, 0))
        f["children"], f["parents"] = children, parents
        self._unit_rows[unit] = f
        return f

    def scope_share(self, level: Level | None) -> float:
        """The share of the text's reach words (全州, 全县 …) that fit a division of this level: a work
        report names its own unit seldom and its reach often (全州生产总值…)."""
        if not self.scope_total or level is None:
            return 0.0
        return sum(n for word, n in self.scope_words.items() if level in SCOPES[word]) / self.scope_total

    def _unit_arrays(self, unit: EntityKey) -> tuple[numpy.ndarray, ...]:
        """A unit's mentions (start, end, sentence, paragraph), by start."""
        view, positions = self.view, self.positions[unit]
        return (
            numpy.array([a for a, _ in positions], dtype=numpy.int64),
            numpy.array([b for _, b in positions], dtype=numpy.int64),
            numpy.array([view.sentence(a) for a, _ in positions], dtype=numpy.int64),
            numpy.array([view.paragraph(a) for a, _ in positions], dtype=numpy.int64),
        )

    def _convening_at(self):
        """f(b, e) -> whether a convening verb (召开 ...) stands wholly inside text[b:e], elementwise."""
        text = self.view.text
        found = sorted({(m.start(), m.end()) for v in CONVENING for m in re.finditer(re.escape(v), text)})
        v_start = numpy.array([a for a, _ in found], dtype=numpy.int64)
        v_end_min = (
            numpy.minimum.accumulate(numpy.array([b for _, b in found], dtype=numpy.int64)[::-1])[::-1]
            if found
            else numpy.zeros(0, dtype=numpy.int64)
        )

        def inside(b: numpy.ndarray, e: numpy.ndarray) -> numpy.ndarray:
            if not found:
                return numpy.zeros(len(b), dtype=bool)
            k = numpy.searchsorted(v_start, b, "left")  # the first verb starting at or after b
            kk = numpy.minimum(k, len(found) - 1)
            return (k < len(found)) & (v_end_min[kk] <= e)

        return inside

    def _distinct_units(self):
        """f(lo, hi) -> how many different units have a mention among mention_starts[lo:hi],
        elementwise (a mention counts when the unit's previous mention lies before lo)."""
        keys = [k for _, k in self.mention_starts]
        last: dict = {}
        previous = numpy.empty(len(keys), dtype=numpy.int64)
        for j, k in enumerate(keys):
            previous[j] = last.get(k, -1)
            last[k] = j
        size = len(keys)
        if size <= DENSE_MENTIONS:
            index = numpy.arange(size)
            fresh = (previous[None, :] < index[:, None]) & (index[None, :] >= index[:, None])
            table = numpy.zeros((size + 1, size + 1), dtype=numpy.int64)
            table[:size, 1:] = numpy.cumsum(fresh, axis=1)

            def distinct(lo: numpy.ndarray, hi: numpy.ndarray) -> numpy.ndarray:
                return numpy.where(hi > lo, table[lo, hi], 0)

            return distinct

        def distinct_grouped(lo: numpy.ndarray, hi: numpy.ndarray) -> numpy.ndarray:
            # many mentions: one running count per distinct window start instead of a full table
            out = numpy.zeros(len(lo), dtype=numpy.int64)
            wanted = numpy.flatnonzero(hi > lo)
            if not len(wanted):
                return out
            order = wanted[numpy.argsort(lo[wanted], kind="stable")]
            starts = lo[order]
            cuts = numpy.flatnonzero(numpy.diff(starts)) + 1
            for group in numpy.split(order, cuts):
                a = int(lo[group[0]])
                running = numpy.cumsum(previous[a:] < a)
                out[group] = running[hi[group] - a - 1]
            return out

        return distinct_grouped
