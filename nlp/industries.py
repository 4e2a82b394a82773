"""Industries: sectors named as development priorities.

A sector word (生物医药, 人工智能) is an Industry only where the clause names sectors to
develop; elsewhere it is ordinary vocabulary. Sectors come in lists (培育壮大A、B、C等
新兴产业; 以A为重点、B和C共同发展), so a lexicon hit is grown to its whole list item
(现代商贸业, not 商贸) and its neighbours in the same list are taken too.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.model import NodeType

from .component import KnowledgeComponent
from .facts import Mention, text_of
from .lexicon import Lexicon, LongestMatcher, SpanCover
from .text import CJK

ITEM_SEP = re.compile(r"[、]|和|及|与")
CLAUSE_SEP = re.compile(r"[，,。；;：:！？\n（）()“”]")
LIST_TAIL = re.compile(
    r"^(?:等)?(?:[一二三四五六七八九十两]+大)?(?:(?:战略性)?新兴|未来|主导|特色|优势|支柱|现代|先进|"
    r"千亿级|百亿级)*(?:产业集群|产业|行业|集群|领域|赛道)"
)
SECTOR_END = ("业", "产业", "经济", "装备", "制造", "材料", "医药", "设备", "健康", "服务")
PRAISE = ("世界级", "国际一流", "国际化", "全国", "全省", "千亿级", "百亿级", "万亿级")
ITEM_END = re.compile(r"^(?:[、，,。；;：:]|和|及|与|等|为|$)")
ITEM_STOP = re.compile(r"[一二三四五六七八九十两]+大|项目|企业|公司|基地|园区|产品|技术")


class IndustryRecognizer(KnowledgeComponent):
    files = ("industries.txt", "industry_cues.txt", "industry_lead_words.txt", "sector_non_items.txt")

    def __init__(self, name: str, max_item_chars: int) -> None:
        super().__init__(name)
        self.max_item_chars = max_item_chars

    def prepare(self, lexicon: Lexicon) -> None:
        # a word with a clause separator in it could never match inside a clause: leaving such
        # words out lets the whole text be scanned at once (see annotate)
        self.sectors = LongestMatcher(w for w in lexicon.lines("industries.txt") if not CLAUSE_SEP.search(w))
        self.cues = tuple(lexicon.lines("industry_cues.txt"))
        self.lead = lexicon.matcher("industry_lead_words.txt")
        self.non_items = lexicon.words("sector_non_items.txt")

    def annotate(self, doc: Doc) -> Doc:
        text = text_of(doc)
        mentions = doc._.mentions if doc._.mentions is not None else []
        seen: set[tuple[int, int]] = set()
        inside_name = SpanCover([(m.start, m.end) for m in mentions if m.label != NodeType.DISTRICT])
        # no word spans a separator, so the clauses' hits are the whole text's, cut at clause ends
        all_hits = list(self.sectors.finditer(text))
        hit_starts = [s for s, _, _ in all_hits]
        for c0, c1 in self.clauses(text):
            clause = text[c0:c1]
            hits = all_hits[bisect_left(hit_starts, c0) : bisect_left(hit_starts, c1)]
            if not hits or not any(cue in clause for cue in self.cues):
                continue
            for s, e, _word in hits:
                if inside_name.covers(s, e):
                    continue  # 金融 inside 湘湖金融城: part of a name
                for a, b in self.list_items(clause, s - c0, e - c0):
                    item = clause[a:b]
                    if (c0 + a, c0 + b) in seen or item in self.non_items or len(item) < 2:
                        continue
                    if inside_name.covers(c0 + a, c0 + b):
                        continue  # inside a platform or project name (新材料基地)
                    if not self.in_list_position(clause, a, b):
                        continue  # 建筑面积: the word, not a sector
                    seen.add((c0 + a, c0 + b))
                    canonical, aliases = sector_name(item)
                    mentions.append(
                        Mention(
                            c0 + a,
                            c0 + b,
                            NodeType.INDUSTRY,
                            item,
                            canonical=canonical,
                            aliases=aliases,
                            source="lexicon-list",
                        )
                    )
        doc._.mentions = mentions
        return doc

    @staticmethod
    def clauses(text: str):
        start = 0
        for m in CLAUSE_SEP.finditer(text):
            if m.start() > start:
                yield start, m.start()
            start = m.end()
        if start < len(text):
            yield start, len(text)

    def in_list_position(self, clause: str, a: int, b: int) -> bool:
        """A sector stands as a list item: a separator, lead word or clause edge on each side."""
        left_ok = (
            a == 0
            or bool(ITEM_SEP.match(clause[a - 1]) or self.lead.ending_at(clause, a))
            or clause[a - 1] in "以在为的"
        )
        right = clause[b:]
        right_ok = bool(
            ITEM_END.match(right) or LIST_TAIL.match(right) or self.lead.match_at(clause, b)
        ) or right.startswith(("共同", "作为"))
        return left_ok and right_ok

    def list_items(self, clause: str, s: int, e: int) -> list[tuple[int, int]]:
        """The list item around a hit, and its siblings when the list is a list of sectors."""
        a, b = self.item_bounds(clause, s, e)
        items = [(a, b)]
        # siblings to the left and right, separated by 、/和/及
        left = a
        while left > 0 and ITEM_SEP.match(clause[left - 1]):
            pa, pb = self.item_bounds(clause, left - 1, left - 1)
            if pa >= pb:
                break
            items.insert(0, (pa, pb))
            left = pa
        right = b
        while right < len(clause) and ITEM_SEP.match(clause[right]):
            na, nb = self.item_bounds(clause, right + 1, right + 1)
            if na >= nb:
                break
            items.append((na, nb))
            right = nb
        sector_list = (
            bool(LIST_TAIL.match(clause[right:]))
            or len(items) > 1
            and any(
                self.sectors.match_at(clause, x) or clause[x:y].endswith(SECTOR_END)
                for x, y in items
                if (x, y) != (a, b)
            )
        )
        return items if sector_list else [(a, b)]

    def item_bounds(self, clause: str, s: int, e: int) -> tuple[int, int]:
        """Grow [s, e) to the surrounding list item: stop at separators and lead words."""
        a = s
        while a > 0 and not ITEM_SEP.match(clause[a - 1]) and e - a < self.max_item_chars:
            if self.lead.ending_at(clause, a) or not CJK.match(clause[a - 1]):
                break
            a -= 1
        b = e
        while b < len(clause) and not ITEM_SEP.match(clause[b]) and b - a < self.max_item_chars:
            if not CJK.match(clause[b]) or self.lead.match_at(clause, b) and b > e:
                break
            if LIST_TAIL.match(clause[b:]) or clause.startswith(("等", "为", "的", "共同", "产业"), b):
                break
            if ITEM_STOP.match(clause[b:]):
                break
            b += 1
        if clause.startswith("业", b) and b - a < self.max_item_chars:
            b += 1  # 建筑业
        return a, b


def sector_name(item: str) -> tuple[str, tuple[str, ...]]:
    """The name a sector is keyed by, and the written form as an alias: 世界级服装产业 -> 服装
    (praise and the 产业/行业 tail dropped)."""
    for praise in PRAISE:
        if item.startswith(praise) and len(item) > len(praise) + 1:
            item = item[len(praise) :]  # 世界级服装 -> 服装
    for tail in ("产业", "行业"):
        if item.endswith(tail) and len(item) > len(tail) + 1:
            return item[: -len(tail)], (item,)
    return item, ()


@Language.factory(
    "plankg_industries",
    assigns=["doc._.mentions"],
    requires=["doc._.mentions"],
    default_config={"max_item_chars": 9},
)
def make_industries(nlp: Language, name: str, max_item_chars: int) -> IndustryRecognizer:
    """max_item_chars: the longest list item read as one sector name."""
    return IndustryRecognizer(name, max_item_chars)
