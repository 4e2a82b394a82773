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
from plankg.graph.model import Level, NodeType

from .facts import Mention, text_of

ZONES = ("开发区", "经开区", "高新区", "新区", "自贸区", "示范区", "合作区")
ZONE_BODY = re.compile(rf"(.+(?:{'|'.join(ZONES)}))(?:党工委|管委会|管理委员会)$")  # 武汉经开区管委会
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


SUBJECT_LEAD = re.compile(
    r"^(?:\s|(?:19|20)\d\d年|\d{1,2}月\d{1,2}日|上午|下午|今年|去年|明年|全年|同时|其中|此外|另外|近日|目前|"
    r"[,，、:：■@#—\-]|[\u4e00-\u9fff]{0,8}?(?:书记|区长|县长|市长|镇长|主任|代表)[、，,]?)*$"
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


class ContextTracker:
    def __call__(self, doc: Doc) -> Doc:
        mentions = doc._.mentions or []
        text = text_of(doc)
        districts = [m for m in mentions if m.label == NodeType.DISTRICT]
        main = main_district(districts)
        # a development zone with its own 党工委/管委会 acts as a district (GUIDELINES: hard cases)
        zone_names = {
            m.canonical
            for m in mentions
            if m.label == NodeType.PLATFORM
            and m.text.endswith(ZONES)
            and re.match(r"(党工委|管委会|管委)", text[m.end : m.end + 3])
        }
        for m in mentions:
            body = ZONE_BODY.match(m.text) if m.label == NodeType.ORGANIZATION else None
            if body:
                zone_names.add(body.group(1))
        doc._.zones = zone_names
        units = sorted(
            districts + [m for m in mentions if m.label == NodeType.PLATFORM and m.canonical in zone_names],
            key=lambda m: m.start,
        )
        focus: dict[int, tuple[str, str] | None] = {}
        sections = doc._.sections or []
        for section in sections:
            in_heading = [
                m
                for m in districts
                if section.start - 1 <= m.start < section.start + len(section.heading) + 4
            ]
            # "@荔湾区" names its section's district; a headline naming places in passing does not
            first = in_heading[0] if in_heading and section.heading else None
            section.district = (
                first.key
                if first is not None
                and section.heading.startswith(first.text)
                and len(section.heading) <= len(first.text) + 6
                else None
            )
        unit_starts = [m.start for m in units]
        # the unit a paragraph falls back to: the document's main district, or its section's
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
        doc._.focus = focus
        return doc


@Language.factory("plankg_context")
def make_context(nlp: Language, name: str) -> ContextTracker:
    return ContextTracker()
