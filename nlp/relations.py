"""Relations between the mentions of one document, linked through sentence context.

Each relation keeps the sentence that supports it (character offsets) for provenance.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.divisions import division_suffixes, divisions
from plankg.graph.model import OWNER_RELATION, EntityKey, Level, NodeType, Relation
from plankg.graph.resolve import ZONE_TITLE

from .component import KnowledgeComponent
from .context import article_subject, focus_counts, main_district
from .dates import day_in
from .facts import Link, Mention, text_of
from .lexicon import Lexicon

DIVISION_LIST_SEPARATORS = frozenset("、和及与")  # between the items of a list of divisions


class RelationLinker(KnowledgeComponent):
    """Links between the mentions of one document: part_of, has_platform / has_project /
    develops_industry (owners), holds_post, held_event and spoke_at, each with its sentence."""

    files = ("speech_verbs.txt",)

    def __init__(self, name: str, organiser_gap_chars: int, speech_window_chars: int) -> None:
        super().__init__(name)
        self.organiser_gap_chars = organiser_gap_chars
        self.speech_window_chars = speech_window_chars
        self.index = divisions()

    def prepare(self, lexicon: Lexicon) -> None:
        self.speech = tuple(lexicon.lines("speech_verbs.txt"))

    def annotate(self, doc: Doc) -> Doc:
        mentions = doc._.mentions or []
        text = text_of(doc)
        focus = doc._.focus or {}
        sents = list(doc.sents)
        if not sents:  # an empty text: nothing to link
            doc._.relations = []
            return doc
        starts = [s.start_char for s in sents]

        def sentence_of(pos: int):
            return sents[max(0, bisect_right(starts, pos) - 1)]

        districts = [m for m in mentions if m.label == NodeType.DISTRICT]
        zones = doc._.zones or set()
        units = [  # in text order
            m
            for m in mentions
            if m.label == NodeType.DISTRICT or (m.label == NodeType.PLATFORM and m.canonical in zones)
        ]
        named = {d.attrs.get("code") for d in districts}
        main = article_subject(focus_counts(focus))
        rels: list[Link] = self.part_of(doc, districts, sentence_of, focus)
        events: list[tuple[Mention, object]] = []
        for m in mentions:
            sent = sentence_of(m.start)
            here = focus.get(sent.start_char)
            if m.label in OWNER_RELATION:
                rels += self.ownership(m, sent, here, districts, named)
            elif m.label == NodeType.OFFICIAL and m.attrs.get("posts"):
                rels += self.posts(m, sent, self.own_city(here, main), districts)
            elif m.label == NodeType.EVENT:
                rels += self.held_event(text, m, sent, here, units, doc._.year)
                events.append((m, sent))
        rels += self.spoke_at(text, mentions, events, sentence_of, doc._.sections or [])
        doc._.relations = rels
        return doc

    def ownership(self, m: Mention, sent, here, districts: list[Mention], named: set) -> list[Link]:
        """The district a platform, project or industry belongs to: the one its name starts with
        (天河智慧城 -> 天河区), else the unit in focus. A zone in focus of its own is owned by the
        district it is named after (南宁经开区 -> 南宁市), or the document's main district."""
        owner = self.owner(m, districts, named=named) or here
        if owner == m.key:
            owner = self.owner(m, districts, zone=True, named=named) or self.main_unit(districts)
        if not owner:
            return []
        return [Link(owner, OWNER_RELATION[m.label], m.key, sent.start_char, sent.end_char)]

    def held_event(
        self, text: str, m: Mention, sent, here, units: list[Mention], year: int | None
    ) -> list[Link]:
        """Who convened a meeting: the unit written just before it in its clause (广州市委召开…),
        else the unit in focus; its date is the day the sentence gives."""
        organiser = self.organiser(text, m, units, sent) or here
        if not organiser:
            return []
        attrs = {}
        day = day_in(text, sent.start_char, sent.end_char, year) if year else None
        if day:
            attrs["date"] = day
        return [Link(organiser, Relation.HELD_EVENT, m.key, sent.start_char, sent.end_char, attrs)]

    # -- part_of ----------------------------------------------------------------------
    def part_of(self, doc: Doc, districts: list[Mention], sentence_of, focus) -> list[Link]:
        """A division placed inside another where the text writes them together, as the guidelines
        ask: written right after one of its divisions (广州天河区, 江西省南昌县, also when a nearer
        division is named elsewhere), the next items of such a list (某市甲区、乙区和丙县: each in
        某市), a town in its county named in the same sentence, or a village (not in the gazetteer)
        right after its town or county (某镇某村). A name with a division's suffix is no village. And a
        county or town the text is about (a section's or sentence's subject) is in the division just
        above it when the headline names that one (深圳：某区…).

        Being the subject with the division above named anywhere else was right in under a third of
        the training articles' cases; with it in the headline, in about 40% (in the reviewed dev
        articles, five of six)."""
        out, seen, text = [], set(), text_of(doc)
        subjects = {key[1] for key in focus.values() if key}
        lead = len(text) - len(text.lstrip())  # the headline is the first line that has text
        headline = text.find("\n", lead) if "\n" in text[lead:] else sentence_of(lead).end_char
        by_code = {m.attrs["code"]: m for m in districts if m.attrs.get("code")}
        first = {}  # code -> where the division is first named
        for m in districts:
            first.setdefault(m.attrs.get("code"), m.start)
        listed: dict[int, Mention] = {}  # position in `districts` -> the division its list is in
        for i, m in enumerate(districts):
            div = self.index.by_code.get(m.attrs.get("code", ""))
            prev = districts[i - 1] if i else None
            touching = prev is not None and m.start - prev.end <= 1
            if div is None:
                # a village (not in the gazetteer) written right after its town or county
                parent = prev
                placed = (
                    touching
                    and not text[prev.end : m.start].strip()
                    and prev.attrs.get("level") in (Level.COUNTY, Level.TOWN)
                    and m.canonical != prev.canonical
                    and not m.text.endswith(division_suffixes())
                )
            else:
                ancestors = [a for a in self.index.ancestors(div) if a.code in by_code]
                if not ancestors:
                    continue
                codes = {a.code for a in ancestors}
                parent = by_code[ancestors[0].code]
                if touching and prev.attrs.get("code") in codes:
                    parent = listed[i] = prev  # 广州天河区
                    placed = True
                elif (
                    i - 1 in listed
                    and text[prev.end : m.start] in DIVISION_LIST_SEPARATORS
                    and listed[i - 1].attrs.get("code") in codes
                ):
                    parent = listed[i] = listed[i - 1]  # the next item of 某市甲区、乙区
                    placed = True
                elif div.parent == ancestors[0].code:
                    placed = (
                        div.level == Level.TOWN
                        and sentence_of(m.start).start_char == sentence_of(parent.start).start_char
                    ) or (
                        m.canonical in subjects
                        and div.level in (Level.COUNTY, Level.TOWN)
                        and first[div.parent] < headline
                    )
                else:
                    placed = False
            if not placed:
                continue
            key = (m.canonical, parent.canonical)
            if key not in seen:
                seen.add(key)
                sent = sentence_of(m.start)
                out.append(Link(m.key, Relation.PART_OF, parent.key, sent.start_char, sent.end_char))
        return out

    # -- owners -------------------------------------------------------------------------
    def owner(
        self, m: Mention, districts: list[Mention], zone: bool = False, named: set[str | None] | None = None
    ) -> EntityKey | None:
        """A platform or project named after a county or town belongs to it (天河智慧城 -> 天河区);
        a development zone also to the city it is named after (南宁经开区 -> 南宁市).

        `named`: the codes of `districts`, when the caller has them (asked once per mention)."""
        levels = (Level.CITY, Level.COUNTY, Level.TOWN) if zone else (Level.COUNTY, Level.TOWN)
        for d in districts:
            if d.end == m.start and d.attrs.get("level") in levels:
                return d.key  # 天河区珠江新城: the place written just before the name
        index = self.index
        if named is None:
            named = {d.attrs.get("code") for d in districts}
        for n in (4, 3, 2):
            divs = index.by_name.get(m.text[:n]) or index.by_short.get(m.text[:n]) or []
            local = [d for d in divs if d.level in levels]
            for d in local:
                if d.code in named or zone:
                    return EntityKey(NodeType.DISTRICT, d.name)
        return None

    @staticmethod
    def main_unit(districts: list[Mention]) -> EntityKey | None:
        main = main_district(districts)
        return main.key if main else None

    # -- holds_post ----------------------------------------------------------------------
    def posts(self, m: Mention, sent, here, districts: list[Mention]) -> list[Link]:
        """holds_post links of an official's posts; one link per body, its titles joined by 、.
        An unnamed body is the district in focus of its level; a title with no level or the same level
        after a district's post (区委副书记、代区长) stays in that district, one of a zone's body after a
        post in its other body (党工委副书记、管委会主任) goes with it, to be split by graph.resolve."""
        titles: dict[EntityKey, list[str]] = {}
        previous = None
        for post in m.attrs["posts"]:
            key = post.body
            if key is None:
                if previous and previous.type == NodeType.DISTRICT and self.may_stay(post.level, previous):
                    key = previous
                elif previous and previous.type == NodeType.ORGANIZATION and ZONE_TITLE.match(post.title):
                    key = previous  # 某区党工委副书记、管委会主任: the zone's other body (graph.resolve)
                else:
                    key = self.level_body(post.level, here, districts, m.start)
                if key is None:
                    continue
            previous = key
            titles.setdefault(key, []).append(post.title)
        return [
            Link(m.key, Relation.HOLDS_POST, key, sent.start_char, sent.end_char, {"title": "、".join(ts)})
            for key, ts in titles.items()
        ]

    def own_city(self, here, main):
        """A county-level city's article calls its own 市委 and 市长 so; the prefecture above it is named
        when meant (榆林市委常委、某市委书记…, then 市委副书记、市长 is the county-level city's). So where
        the sentence's focus is the prefecture of the article's subject, a county-level 市, posts read
        the subject instead."""
        if here is None or main is None or here == main:
            return here
        subject = [
            d
            for d in self.index.by_name.get(main[1], ())
            if d.level == Level.COUNTY and d.name.endswith("市")
        ]
        if any(a.name == here[1] and a.level == Level.CITY for d in subject for a in self.index.ancestors(d)):
            return main
        return here

    def may_stay(self, level: Level | None, district: EntityKey) -> bool:
        """A title with no body stays in the district of the post before it when it names no level or
        that district's (区委副书记、代区长)."""
        return level is None or any(d.level == level for d in self.index.by_name.get(district.name, ()))

    def level_body(self, level: Level | None, here, districts: list[Mention], pos: int):
        """The district an unnamed body (市委, 县政府) belongs to: the one in focus of that level
        (`level` None: of any level)."""
        if here is not None:
            focus_div = self.index.by_name.get(here[1])
            if not focus_div and level is not None:
                # a zone in focus: 市委 is the city's, the one the zone is named after if named
                of_level = [d for d in districts if d.attrs.get("level") == level]
                named_after = [d for d in of_level if here[1].startswith(d.text[:2])]
                if named_after or of_level:
                    return (named_after or of_level)[0].key
            if not focus_div or level is None or any(d.level == level for d in focus_div):
                return here
            if level == Level.CITY and any(
                d.level == Level.COUNTY and d.name.endswith("市") for d in focus_div
            ):
                return here  # a county-level city's own 市委
            for d in focus_div:
                for a in self.index.ancestors(d):
                    if a.level == level and any(x.canonical == a.name for x in districts):
                        return EntityKey(NodeType.DISTRICT, a.name)
        of_level = [d for d in districts if d.attrs.get("level") == level]
        if of_level:
            return min(of_level, key=lambda d: abs(d.start - pos)).key
        return None  # 市委常委 in a county's text that names no city: no holds_post (guidelines)

    # -- held_event / spoke_at -------------------------------------------------------------
    def organiser(self, text: str, event: Mention, units: list[Mention], sent) -> EntityKey | None:
        """The unit just before the event in its clause, with at most a few characters between;
        of several joined units (广州市委、市政府召开) the first of the clause."""
        ends = [u.end for u in units]
        before = units[bisect_left(ends, sent.start_char) : bisect_right(ends, event.start)]
        if not before:
            return None
        last = before[-1]
        gap = text[last.end : event.start]
        if len(gap) <= self.organiser_gap_chars and not re.search(r"[，,。；;]", gap):
            # 广州市委、市政府召开: the first district of the clause convenes
            clause = [d for d in before if not re.search(r"[，,。；;]", text[d.end : event.start])]
            return (clause[-1] if clause else last).key
        return None

    def spoke_at(self, text: str, mentions: list[Mention], events, sentence_of, sections) -> list[Link]:
        """An official followed closely by a speech verb (讲话, 主持) spoke at the events of the same
        sentence, else at the last event before, else at the first of the section."""
        out, seen = [], set()
        if not events:
            return out
        for m in mentions:
            if m.label != NodeType.OFFICIAL:
                continue
            sent = sentence_of(m.start)
            after = text[m.end : min(sent.end_char, m.end + self.speech_window_chars)]
            if not any(v in after for v in self.speech):
                continue
            section = next((x for x in sections if x.start <= m.start < x.end), None)
            lo, hi = (section.start, section.end) if section else (0, len(text))
            in_section = [(e, s) for e, s in events if lo <= e.start < hi]
            same = [e for e, s in in_section if s.start_char == sent.start_char]
            before = [e for e, s in in_section if s.start_char <= m.start]
            targets = same or before[-1:] or [e for e, _ in in_section[:1]]
            for e in targets:
                if (m.key, e.key) not in seen:
                    seen.add((m.key, e.key))
                    out.append(Link(m.key, Relation.SPOKE_AT, e.key, sent.start_char, sent.end_char))
        return out


@Language.factory(
    "plankg_relations",
    assigns=["doc._.relations"],
    requires=["doc._.mentions", "doc._.focus", "doc._.zones", "doc._.sections"],
    default_config={"organiser_gap_chars": 12, "speech_window_chars": 16},
)
def make_relations(
    nlp: Language, name: str, organiser_gap_chars: int, speech_window_chars: int
) -> RelationLinker:
    """organiser_gap_chars: the most characters between an organiser and its meeting's name;
    speech_window_chars: how soon after an official's name a speech verb must come."""
    return RelationLinker(name, organiser_gap_chars, speech_window_chars)


__all__ = ["RelationLinker"]
