"""Named platforms, projects, organisations and events, found by suffix grammars.

A name is recognised from its right end (商务区, 产业园, 大道, 项目, 大会 ...) and grown to
the left over characters until a word that cannot be inside a name (推进, 加快, 的, 、),
punctuation or a length limit. Candidates made only of generic words (重点项目,
产业园区) are dropped: they name a category, not a thing.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.model import NodeType

from .facts import Mention, text_of
from .lexicon import LongestMatcher, name_suffixes, read_lines, read_table, word_set

MAX_NAME = 24
NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·（）()]")
PHASE = re.compile(r"^(?:[一二三四五六七八九十\d]+期(?:工程)?)")
QUOTED = re.compile(r"[“\"]([^”\"“\n]{2,20})[”\"]")
QUOTE_SUFFIX = re.compile(r"^(工程|项目|行动|专项行动|计划|活动|品牌)")
SCOPES = ("全省", "全市", "全区", "全县", "全镇", "全旗", "全州", "全国")
PART_OF_WORKS = ("主体", "配套", "附属", "一期", "二期")  # 主体工程 is part of a named project
VOCAB_CHECKED = ("项目", "工程", "行动", "专项行动", "中心", "研发中心", "创新中心", "基地", "站")
COUNTED = re.compile(r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*(?:个|家|项|座|条|所|处|批|大)$")
ROADS = ("大道", "大桥", "隧道", "城际", "高速", "快速路", "铁路", "高铁")  # 文化大道 is a name
SHARED_SUFFIX = ("城际", "高速", "大道", "铁路", "大桥", "号线")
LIST_HEAD = re.compile(r"^等\s*(?:[\d.]+|[二两三四五六七八九十百千]+|一(?!批))\s*(?:个|条|项|家|座|所|处|批)")
CONGRESS = re.compile(
    r"(?:第?[一二三四五六七八九十百零\d]+届)\s*(?:人民代表大会|人大)\s*(?:常委会)?\s*(?:第?[一二三四五六七八九十\d]+次)"
    r"\s*(?:全体)?会议|第[一二三四五六七八九十百零\d]+次(?:党代会|党员代表大会)"
)
MEDIA = re.compile(
    r"(?<![\u4e00-\u9fff])((?:[\u4e00-\u9fff]{1,6})(?:报|社|网|台))(?=(?:全媒体)?记者|讯|客户端|发|电|报道|消息|供图)"
)
SOURCE_LINE = re.compile(r"来源\s*[:：]\s*([\u4e00-\u9fffA-Za-z+]{2,10}?)(?=\s|作者|$)", re.M)
DIGITS = re.compile(r"[\d０-９]")


def _generic_cover(text: str, generic: LongestMatcher) -> bool:
    """True when `text` is made only of generic words (or numbers/measure words)."""
    i = 0
    while i < len(text):
        word = generic.match_at(text, i)
        if word:
            i += len(word)
        elif text[i] in '的和与及、·“”"' or DIGITS.match(text[i]):
            i += 1
        else:
            return False
    return True


class NameRecognizer:
    """Platform / Project / Organization / Event mentions from suffix grammars."""

    def __init__(self) -> None:
        self.suffixes = name_suffixes()
        self.org_suffixes = {row[0]: NodeType(row[1]) for row in read_table("org_suffixes.tsv")}
        self.event_suffixes = read_lines("event_suffixes.txt")
        all_suffixes = {**{s: t for s, (t, _) in self.suffixes.items()}, **self.org_suffixes}
        all_suffixes.update({s: NodeType.EVENT for s in self.event_suffixes})
        self.suffix_type = all_suffixes
        self.suffix_matcher = LongestMatcher(all_suffixes)
        self.name_end = LongestMatcher(
            [x for x, (t, n) in self.suffixes.items() if len(x) >= 2 and t == NodeType.PLATFORM]
        )
        self.breakers = LongestMatcher(read_lines("left_breakers.txt"))
        self.hard_stops: set[int] = set()  # ends of officials' names in the current document
        # meeting names contain verbs (推进大会, 动员部署会): only the convening verb ends them
        self.event_breakers = LongestMatcher(read_lines("event_breakers.txt"))
        self.generic = LongestMatcher(read_lines("generic_names.txt"))
        self.descriptive = LongestMatcher(read_lines("descriptive_words.txt"))
        self.vocabulary = LongestMatcher(word_set("common_words.txt"))
        endings = "|".join(sorted(read_lines("company_suffixes.txt"), key=len, reverse=True))
        verbs = "|".join(read_lines("company_verbs.txt"))
        self.company = re.compile(rf"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{{2,6}}?({endings}))(?=(?:{verbs}))")
        units = "|".join(re.escape(u) for u in sorted(read_lines("units.txt"), key=len, reverse=True))
        # a figure ends in a unit: only before a unit's last character is the regex worth running
        self.unit_ends = {u[-1] for u in read_lines("units.txt")}
        self.figure_before = re.compile(rf"\d(?:\.\d+)?\s*(?:万|亿)?(?:{units})$")

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        mentions = doc._.mentions if doc._.mentions is not None else []
        districts = [m for m in mentions if m.label == NodeType.DISTRICT]
        found: list[Mention] = []
        # names never run into a person's name (林则安到湘湖科技城)
        self.hard_stops = {m.end for m in mentions if m.label == NodeType.OFFICIAL}
        found += self.suffix_names(text, districts)
        found += self.quoted_projects(text)
        found += self.congresses(text, districts)
        found += self.media(text)
        found += self.companies(text, found)
        found += self.listed_items(text, found)
        doc._.mentions = mentions + found
        return doc

    # -- suffix grammar ---------------------------------------------------------------
    def suffix_names(self, text: str, districts: list[Mention]) -> list[Mention]:
        out = []
        full_district_ends = {m.end: m for m in districts if m.text == m.canonical}
        by_start = sorted(districts, key=lambda d: d.start)
        starts = [d.start for d in by_start]
        after = 0  # end of the last name taken: names do not overlap
        for i, suffix in self.suffix_matcher.starts(text):
            if i < after:
                continue
            end = i + len(suffix)
            # prefer a longer suffix that starts later (产业园 inside 产业园区 is handled by longest match)
            label = self.suffix_type[suffix]
            phase = PHASE.match(text[end:])
            if phase and label == NodeType.PROJECT:
                end += phase.end()
            start = self.left_boundary(
                text,
                i,
                self.event_breakers if label == NodeType.EVENT else self.breakers,
                stop_at_names=label in (NodeType.PLATFORM, NodeType.PROJECT),
            )
            name = text[start:end]
            # a full district name in front is the place, not part of the name (天河区珠江新城);
            # an event's organiser is written before its name too (广州天河区召开...)
            lo = bisect_left(starts, start)
            for m in by_start[lo : bisect_right(starts, i)]:
                if (
                    label == NodeType.EVENT
                    and start <= m.start
                    and m.end < i
                    and (m.start == start or m.start == start + 1)
                ):
                    start = m.end
                    name = text[start:end]
                    continue
                if m.start == start and m.end < i and m.text == m.canonical and label != NodeType.ORGANIZATION:
                    start = m.end
                    name = text[start:end]
                    break
            if label == NodeType.EVENT and text[max(0, start - 2) : start] in SCOPES:
                start -= 2  # 全市高质量发展大会 keeps its scope
                name = text[start:end]
            stem = text[start:i]
            min_stem = self.suffixes.get(suffix, (label, 2))[1]
            if len(stem) >= min_stem and self.is_name(text, start, stem, suffix, label, starts):
                if not (label in (NodeType.PLATFORM, NodeType.PROJECT) and start in full_district_ends and start == i):
                    out.append(Mention(start, end, label, name, source="suffix", attrs={"suffix": suffix}))
                    if suffix in SHARED_SUFFIX:
                        out += self.shared_suffix_items(text, start, suffix, label)
                    after = end
            # else: a rejected candidate may still be the start of a longer name (文化大道改造工程)
        return out

    def is_name(
        self, text: str, start: int, stem: str, suffix: str, label: str, district_starts: list[int]
    ) -> bool:
        """Does stem + suffix name one thing, rather than a category or a goal?

        `district_starts`: sorted start offsets of the document's district mentions."""
        lo = bisect_left(district_starts, start)
        place_inside = lo < bisect_left(district_starts, start + len(stem))  # a district starts in the stem
        if "等" in stem:
            return False
        if label in (NodeType.PLATFORM, NodeType.PROJECT) and COUNTED.search(text[max(0, start - 6) : start]):
            return False  # 36家氢能产业项目: a count of a category, not a name
        if suffix == "站" and text[start + len(stem) + 1 : start + len(stem) + 2] in ("点", "台", "长"):
            return False  # 公交站点
        if suffix == "园" and not place_inside:
            return False  # a bare ...园 needs a place in its name (中关村房山园), else 校园, 家园
        if label == NodeType.PLATFORM and not place_inside and self.descriptive.match_at(stem, 0):
            return False  # 现代都市工业集聚区, 世界级…先行区: an aspiration
        if suffix == "号线":
            return bool(re.fullmatch(r"[^\d]*\d+", stem))
        if suffix in ("项目", "工程") and stem[-1:] in "大好新重优实":  # 大项目, 好项目: categories
            return False
        if suffix == "工程" and stem.endswith(PART_OF_WORKS):
            return False
        if label == NodeType.EVENT:
            return not _generic_cover(stem, self.generic) or bool(
                re.search(r"\d{4}年|第[一二三四五六七八九十\d]", stem)
            )
        if suffix not in ROADS and _generic_cover(stem, self.generic):
            return False
        starts_with_place = lo < len(district_starts) and district_starts[lo] == start
        if (
            label == NodeType.PLATFORM
            and not starts_with_place
            and self._covered(stem, self.descriptive, self.vocabulary)
            and any(True for _ in self.descriptive.finditer(stem))
        ):
            return False  # 世界级服装产业集群先行区: an aspiration, not a place
        if (
            suffix in VOCAB_CHECKED
            and len(stem) >= 4
            and not starts_with_place
            and not re.search(r"[“”\d]", stem)
        ):
            # 促进签约项目, 高校成果就地转化项目: ordinary words only, no proper name in it
            if self._covered(stem, self.generic, self.vocabulary):
                return False
        return True

    @staticmethod
    def _covered(text: str, *matchers: LongestMatcher) -> bool:
        i = 0
        while i < len(text):
            word = None
            for matcher in matchers:
                w = matcher.match_at(text, i)
                if w and (word is None or len(w) > len(word)):
                    word = w
            if word:
                i += len(word)
            elif text[i] in "的和与及、":
                i += 1
            else:
                return False
        return True

    def shared_suffix_items(self, text: str, start: int, suffix: str, label: str) -> list[Mention]:
        """深大、深惠、龙大城际: short list items before a name share its suffix."""
        out = []
        end = start
        while end > 1 and text[end - 1] == "、":
            item_end = end - 1
            item_start = item_end
            while item_start > 0 and NAME_CHAR.match(text[item_start - 1]) and item_end - item_start < 4:
                if self.breakers.ending_at(text, item_start) or text[item_start - 1] in "及和与":
                    break
                item_start -= 1
            item = text[item_start:item_end]
            if not (2 <= len(item) <= 3) or self.suffix_matcher.ending_at(item, len(item)):
                break
            out.append(
                Mention(
                    item_start,
                    item_end,
                    label,
                    item + suffix,
                    canonical=item + suffix,
                    source="shared-suffix",
                    aliases=(item,),
                )
            )
            end = item_start
        return out

    def left_boundary(
        self, text: str, suffix_start: int, breakers: LongestMatcher | None = None, stop_at_names: bool = True
    ) -> int:
        breakers = breakers or self.breakers
        start = suffix_start
        while start > 0 and suffix_start - start < MAX_NAME:
            ch = text[start - 1]
            if not NAME_CHAR.match(ch):
                break
            if breakers.ending_at(text, start) or (
                ch in self.unit_ends and self.figure_before.search(text[max(0, start - 12) : start])
            ):
                break
            if start in self.hard_stops:
                break
            if stop_at_names and start < suffix_start and self.name_end.ending_at(text, start):
                break  # 新材料基地|化工园区: another name ends here
            start -= 1
        return start

    # -- quoted programmes ------------------------------------------------------------
    def quoted_projects(self, text: str) -> list[Mention]:
        """“百千万工程”, “工业回流”工程, “822”项目: quoted names of programmes and projects."""
        out = []
        for m in QUOTED.finditer(text):
            inner = m.group(1).strip()
            after = QUOTE_SUFFIX.match(text[m.end() :])
            if after and after.group(1) != "品牌":
                name = inner + after.group(1)
                out.append(
                    Mention(
                        m.start(), m.end() + after.end(), NodeType.PROJECT, name, aliases=(inner,), source="quoted"
                    )
                )
            elif re.search(r"(工程|项目|专项行动|行动计划)$", inner):
                out.append(Mention(m.start(1), m.end(1), NodeType.PROJECT, inner, source="quoted"))
        return out

    # -- congresses -------------------------------------------------------------------
    def congresses(self, text: str, districts: list[Mention]) -> list[Mention]:
        return [
            Mention(m.start(), m.end(), NodeType.EVENT, m.group(0), source="congress")
            for m in CONGRESS.finditer(text)
        ]

    # -- news media -------------------------------------------------------------------
    def media(self, text: str) -> list[Mention]:
        """新快报记者, 新华社发, 人民网讯, 来源:南方+: the outlets credited in a news article."""
        out = [
            Mention(m.start(1), m.end(1), NodeType.ORGANIZATION, m.group(1), source="media")
            for m in MEDIA.finditer(text)
            if m.group(1) not in ("本报", "该报", "我报", "本网", "本台", "该社")  # "this paper": no name
        ]
        out += [
            Mention(m.start(1), m.end(1), NodeType.ORGANIZATION, m.group(1), source="media")
            for m in SOURCE_LINE.finditer(text)
        ]
        return out

    # -- companies ------------------------------------------------------------------------
    def companies(self, text: str, found: list[Mention]) -> list[Mention]:
        """赛隆科技获评, 中裕新材料获批: a company short name right before a company verb."""
        out = []
        for m in self.company.finditer(text):
            start, end = m.start(1), m.end(1)
            name = m.group(1)
            start = max(start, self.left_boundary(text, end - len(m.group(2))))
            name = text[start:end]
            if len(name) - len(m.group(2)) < 2 or _generic_cover(name, self.generic):
                continue
            if any(f.start <= start < f.end or start <= f.start < end for f in found):
                continue
            out.append(Mention(start, end, NodeType.ORGANIZATION, name, source="company"))
        return out

    # -- list heads: "深达威等81个...项目" -------------------------------------------------
    def listed_items(self, text: str, found: list[Mention]) -> list[Mention]:
        out = []
        for m in re.finditer("等", text):
            head = LIST_HEAD.match(text[m.start() :])
            if not head:
                continue
            tail = re.match(
                r"[^，,。；;：:\n]{0,20}?(项目|工程|道路|公园|平台|园区|活动)", text[m.start() + head.end() :]
            )
            if not tail:
                continue
            label = NodeType.PLATFORM if tail.group(1) in ("平台", "园区") else NodeType.PROJECT
            # walk the list backwards over 、-separated items
            end = m.start()
            while end > 0:
                start = self.left_boundary(text, end)
                item = text[start:end].strip('“”"')
                if (
                    2 <= len(item) <= 12
                    and not _generic_cover(item, self.generic)
                    and not DIGITS.search(item)
                ):
                    if not any(f.start <= start and end <= f.end for f in found):
                        out.append(Mention(start, end, label, item, source="list"))
                if start > 0 and text[start - 1] == "、":
                    end = start - 1
                else:
                    break
        return out


@Language.factory("plankg_names")
def make_names(nlp: Language, name: str) -> NameRecognizer:
    return NameRecognizer()
