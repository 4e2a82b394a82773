"""Discourse context: which district each sentence speaks of.

Plan news rarely repeats the subject: a section heading ("@荔湾区"), the paragraph's first
district, or the document's main district carries over to the sentences that follow,
and 该区/全区/我区 point back to it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.divisions import divisions
from plankg.graph.model import EntityKey, Level, NodeType

from .component import KnowledgeComponent
from .districts import zone_suffixes
from .facts import Mention, text_of
from .lexicon import Lexicon
from .text import CJK_RANGE

ZONE_BODY_AFTER = re.compile(r"(党工委|管委会|管委)")  # 南宁经开区党工委: the zone has a body of its own
LEVEL_WEIGHT = {Level.PROVINCE: 1, Level.CITY: 2, Level.COUNTY: 3, Level.TOWN: 3}


def main_district(districts: list[Mention]) -> Mention | None:
    """The district the document is mostly about: frequent, and as local as possible."""
    if not districts:
        return None
    counts = Counter(m.canonical for m in districts)
    first = {}
    for m in districts:
        first.setdefault(m.canonical, m)
    return max(
        first.values(),
        key=lambda m: (counts[m.canonical] * LEVEL_WEIGHT[m.attrs.get("level", Level.CITY)], -m.start),
    )


def focus_counts(focus: dict[int, EntityKey | None]) -> Counter:
    """How many sentences speak of each unit (`doc._.focus`: sentence start -> unit)."""
    return Counter(v for v in focus.values() if v)


def article_subject(counts: Counter) -> EntityKey | None:
    """The unit most sentences speak of: what the article is about."""
    return counts.most_common(1)[0][0] if counts else None


SUBJECT_LEAD = re.compile(
    r"^(?:\s|(?:19|20)\d\d年|\d{1,2}月\d{1,2}日|上午|下午|今年|去年|明年|全年|同时|其中|此外|另外|近日|目前|"
    rf"[,，、:：■@#—\-]|[{CJK_RANGE}]{{0,8}}?(?:书记|区长|县长|市长|镇长|主任|代表)[、，,]?)*$"
)


def in_quotes(text: str, pos: int) -> bool:
    before = text[max(0, pos - 20) : pos]
    return before.rfind("“") > before.rfind("”")


def sentence_district(mentions: list[Mention], text: str, sent_start: int) -> Mention | None:
    """The district a sentence is about: one in a post title (天河区委书记), else one that opens
    a clause (its subject). 广州天河区 reads as 天河区; quoted names (“合肥速度”) do not count."""
    index = divisions()
    chained: list[Mention] = []
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None and nxt.start - m.end <= 1:
            child = index.by_code.get(nxt.attrs.get("code", ""))
            parent = index.by_code.get(m.attrs.get("code", ""))
            if child and parent and index.is_inside(child, parent):
                continue  # the child that follows speaks for both
        if not in_quotes(text, m.start):
            chained.append(m)
    titled = [m for m in chained if re.match(r"(委|党委|党工委|政府|人大|政协)", text[m.end : m.end + 3])]
    if titled:
        return titled[0]
    for m in chained:
        clause_start = max(sent_start, *(text.rfind(p, sent_start, m.start) + 1 for p in "，,；;：:"))
        lead = text[clause_start : m.start]
        parent_lead = [x for x in mentions if x.end <= m.start and m.start - x.end <= 1]
        if parent_lead:
            lead = text[clause_start : parent_lead[0].start]
        if SUBJECT_LEAD.match(lead):
            return m
    return None


class ContextTracker(KnowledgeComponent):
    """Which unit (a district, or a zone acting as one) each sentence speaks of: `doc._.focus`."""

    files = ("zone_suffixes.tsv",)

    def __init__(self, name: str, heading_slack: int, heading_extra_chars: int) -> None:
        super().__init__(name)
        self.heading_slack = heading_slack
        self.heading_extra_chars = heading_extra_chars

    def prepare(self, lexicon: Lexicon) -> None:
        self.zones = zone_suffixes(lexicon, ("zone",))
        self.zone_body = re.compile(rf"(.+(?:{'|'.join(self.zones)}))(?:党工委|管委会|管理委员会)$")

    def annotate(self, doc: Doc) -> Doc:
        mentions = doc._.mentions or []
        text = text_of(doc)
        # a place a name starts with (西宁 in 西宁高新区) does not move the focus: the name speaks of itself
        districts = [m for m in mentions if m.label == NodeType.DISTRICT and not m.leading]
        doc._.zones = zone_names = self.acting_zones(text, mentions)
        units = sorted(
            districts + [m for m in mentions if m.label == NodeType.PLATFORM and m.canonical in zone_names],
            key=lambda m: m.start,
        )
        sections = doc._.sections or []
        for section in sections:
            section.district = self.section_district(section, districts)
        doc._.focus = self.sentence_focus(doc, text, units, sections, main_district(districts))
        return doc

    # -- rules ----------------------------------------------------------------------------------
    def acting_zones(self, text: str, mentions: list[Mention]) -> set[str]:
        """Development zones that act as districts (GUIDELINES: hard cases): a zone followed by its
        own 党工委/管委会 (南宁经开区管委会), or named in an organisation that is such a body."""
        zones = {
            m.canonical
            for m in mentions
            if m.label == NodeType.PLATFORM
            and m.text.endswith(self.zones)
            and ZONE_BODY_AFTER.match(text, m.end)
        }
        for m in mentions:
            body = self.zone_body.match(m.text) if m.label == NodeType.ORGANIZATION else None
            if body:
                zones.add(body.group(1))
        return zones

    def section_district(self, section, districts: list[Mention]):
        """ "@荔湾区" names its section's district: a heading that is a district name with at most a
        few characters more; a headline naming places in passing does not."""
        in_heading = [
            m
            for m in districts
            if section.start - 1 <= m.start < section.start + len(section.heading) + self.heading_slack
        ]
        first = in_heading[0] if in_heading and section.heading else None
        if (
            first is not None
            and section.heading.startswith(first.text)
            and len(section.heading) <= len(first.text) + self.heading_extra_chars
        ):
            return first.key
        return None

    @staticmethod
    def sentence_focus(doc: Doc, text: str, units: list[Mention], sections, main: Mention | None) -> dict:
        """Sentence start -> the unit it speaks of. A sentence's own subject (`sentence_district`)
        holds until its paragraph ends; then the section's district, or the document's main one."""
        focus: dict[int, EntityKey | None] = {}
        unit_starts = [m.start for m in units]
        base = current = main.key if main else None
        section_i = -1
        for sent in doc.sents:
            while section_i + 1 < len(sections) and sections[section_i + 1].start <= sent.start_char:
                section_i += 1
                if sections[section_i].district:
                    base = current = sections[section_i].district
            if sent.start_char > 0 and "\n" in text[max(0, sent.start_char - 3) : sent.start_char]:
                current = base  # a subject named in passing (长水街道成功创建...) ends with its paragraph
            here = units[bisect_left(unit_starts, sent.start_char) : bisect_left(unit_starts, sent.end_char)]
            named = sentence_district(here, text, sent.start_char)
            if named is not None:
                current = named.key
            focus[sent.start_char] = current
        return focus


@Language.factory(
    "plankg_context",
    assigns=["doc._.focus", "doc._.zones"],
    requires=["doc._.mentions", "doc._.sections", "token.is_sent_start"],
    default_config={"heading_slack": 4, "heading_extra_chars": 6},
)
def make_context(nlp: Language, name: str, heading_slack: int, heading_extra_chars: int) -> ContextTracker:
    """heading_slack: characters past a heading a district may start and still be in it;
    heading_extra_chars: how much longer than the district's name a heading naming it may be."""
    return ContextTracker(name, heading_slack, heading_extra_chars)
