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

from .component import KnowledgeComponent
from .facts import Mention, text_of
from .lexicon import Lexicon, LongestMatcher
from .text import CJK_RANGE

NAME_CHAR = re.compile(rf"[{CJK_RANGE}A-Za-z0-9·（）()]")
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
    rf"(?<![{CJK_RANGE}])((?:[{CJK_RANGE}]{{1,6}})(?:报|社|网|台))(?=(?:全媒体)?记者|讯|客户端|发|电|报道|消息|供图)"
)
NOT_MEDIA = ("本报", "该报", "我报", "本网", "本台", "该社")  # "this paper": no name
SOURCE_LINE = re.compile(rf"来源\s*[:：]\s*([{CJK_RANGE}A-Za-z+]{{2,10}}?)(?=\s|作者|$)", re.M)
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


def covered_by(text: str, *matchers: LongestMatcher) -> bool:
    """True when `text` is made only of words of the matchers (and 的/和/与/及/、 between them)."""
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


class NameRecognizer(KnowledgeComponent):
    """Platform / Project / Organization / Event mentions from suffix grammars."""

    files = (
        "name_suffixes.tsv",
        "org_suffixes.tsv",
        "event_suffixes.txt",
        "left_breakers.txt",
        "event_breakers.txt",
        "generic_names.txt",
        "descriptive_words.txt",
        "common_words.txt",
        "company_suffixes.txt",
        "company_verbs.txt",
        "units.txt",
    )

    def __init__(self, name: str, max_name_chars: int, max_list_item_chars: int) -> None:
        super().__init__(name)
        self.max_name_chars = max_name_chars
        self.max_list_item_chars = max_list_item_chars

    def prepare(self, lexicon: Lexicon) -> None:
        self.suffixes = {
            row[0]: (NodeType(row[1]), int(row[2])) for row in lexicon.table("name_suffixes.tsv")
        }
        self.org_suffixes = {row[0]: NodeType(row[1]) for row in lexicon.table("org_suffixes.tsv")}
        self.event_suffixes = lexicon.lines("event_suffixes.txt")
        all_suffixes = {**{s: t for s, (t, _) in self.suffixes.items()}, **self.org_suffixes}
        all_suffixes.update({s: NodeType.EVENT for s in self.event_suffixes})
        self.suffix_type = all_suffixes
        self.suffix_matcher = LongestMatcher(all_suffixes)
        self.name_end = LongestMatcher(
            [x for x, (t, n) in self.suffixes.items() if len(x) >= 2 and t == NodeType.PLATFORM]
        )
        self.breakers = lexicon.matcher("left_breakers.txt")
        # meeting names contain verbs (推进大会, 动员部署会): only the convening verb ends them
        self.event_breakers = lexicon.matcher("event_breakers.txt")
        self.generic = lexicon.matcher("generic_names.txt")
        self.descriptive = lexicon.matcher("descriptive_words.txt")
        self.vocabulary = LongestMatcher(lexicon.words("common_words.txt"))
        endings = "|".join(sorted(lexicon.lines("company_suffixes.txt"), key=len, reverse=True))
        verbs = "|".join(lexicon.lines("company_verbs.txt"))
        self.company = re.compile(rf"(?<![{CJK_RANGE}])([{CJK_RANGE}]{{2,6}}?({endings}))(?=(?:{verbs}))")
        units = lexicon.lines("units.txt")
        unit_alt = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
        # a figure ends in a unit: only before a unit's last character is the regex worth running
        self.unit_ends = {u[-1] for u in units}
        self.figure_before = re.compile(rf"\d(?:\.\d+)?\s*(?:万|亿)?(?:{unit_alt})$")

    def annotate(self, doc: Doc) -> Doc:
        text = text_of(doc)
        mentions = doc._.mentions if doc._.mentions is not None else []
        districts = [m for m in mentions if m.label == NodeType.DISTRICT]
        # names never run into a person's name (林则安到湘湖科技城)
        person_ends = frozenset(m.end for m in mentions if m.label == NodeType.OFFICIAL)
        found: list[Mention] = []
        found += self.suffix_names(text, districts, person_ends)
        found += self.quoted_projects(text)
        found += self.congresses(text)
        found += self.media(text)
        found += self.companies(text, found, person_ends)
        found += self.listed_items(text, found, person_ends)
        doc._.mentions = mentions + found
        return doc

    # -- suffix grammar ---------------------------------------------------------------
    def suffix_names(self, text: str, districts: list[Mention], person_ends: frozenset[int]) -> list[Mention]:
        """Names found from their right end: a suffix (商务区, 产业园, 大道, 项目, 大会 ...), its
        stem grown left to a left boundary, the place in front cut off, and the candidate kept
        when `is_name` accepts it. Names do not overlap; a rejected candidate may still be the
        start of a longer name (文化大道改造工程)."""
        out = []
        full_district_ends = {m.end: m for m in districts if m.text == m.canonical}
        by_start = sorted(districts, key=lambda d: d.start)
        starts = [d.start for d in by_start]
        after = 0  # end of the last name taken
        for i, suffix in self.suffix_matcher.starts(text):
            if i < after:
                continue
            label = self.suffix_type[suffix]
            end = i + len(suffix)
            phase = PHASE.match(text[end:])
            if phase and label == NodeType.PROJECT:
                end += phase.end()  # …项目二期: a phase is part of the project's name
            start = self.left_boundary(
                text,
                i,
                person_ends,
                self.event_breakers if label == NodeType.EVENT else self.breakers,
                stop_at_names=label in (NodeType.PLATFORM, NodeType.PROJECT),
            )
            start = self.place_cut(text, start, i, label, by_start, starts)
            stem = text[start:i]
            min_stem = self.suffixes.get(suffix, (label, 2))[1]
            if len(stem) < min_stem or not self.is_name(text, start, stem, suffix, label, starts):
                continue
            if label in (NodeType.PLATFORM, NodeType.PROJECT) and start in full_district_ends and start == i:
                continue  # nothing but a place before the suffix (天河区项目)
            out.append(Mention(start, end, label, text[start:end], source="suffix", attrs={"suffix": suffix}))
            if suffix in SHARED_SUFFIX:
                out += self.shared_suffix_items(text, start, suffix, label)
            after = end
        return out

    @staticmethod
    def place_cut(
        text: str, start: int, suffix_start: int, label: NodeType, by_start: list[Mention], starts: list[int]
    ) -> int:
        """Where the name starts once the place in front is cut off: a full district name before a
        platform or project is its place, not part of its name (天河区珠江新城 -> 珠江新城); an
        event's organiser is written before its name too (广州天河区召开… -> …), and 全市 stays with
        an event (全市高质量发展大会: a meeting of the whole city)."""
        lo = bisect_left(starts, start)
        for m in by_start[lo : bisect_right(starts, suffix_start)]:
            if (
                label == NodeType.EVENT
                and start <= m.start
                and m.end < suffix_start
                and m.start in (start, start + 1)
            ):
                start = m.end
                continue
            if (
                m.start == start
                and m.end < suffix_start
                and m.text == m.canonical
                and label != NodeType.ORGANIZATION
            ):
                start = m.end
                break
        if label == NodeType.EVENT and text[max(0, start - 2) : start] in SCOPES:
            start -= 2
        return start

    def is_name(
        self, text: str, start: int, stem: str, suffix: str, label: NodeType, district_starts: list[int]
    ) -> bool:
        """Does stem + suffix name one thing, rather than a category or a goal?

        `district_starts`: sorted start offsets of the document's district mentions."""
        lo = bisect_left(district_starts, start)
        place_inside = lo < bisect_left(district_starts, start + len(stem))  # a district starts in the stem
        starts_with_place = lo < len(district_starts) and district_starts[lo] == start
        if "等" in stem or self.counted_category(text, start, label):
            return False
        if self.not_a_name_by_suffix(text, start, stem, suffix, place_inside):
            return False
        if suffix == "号线":
            return bool(re.fullmatch(r"[^\d]*\d+", stem))
        if label == NodeType.PLATFORM and not place_inside and self.descriptive.match_at(stem, 0):
            return False
        if label == NodeType.EVENT:
            return self.event_named(stem)
        if suffix not in ROADS and _generic_cover(stem, self.generic):
            return False
        if label == NodeType.PLATFORM and not starts_with_place and self.aspiration(stem):
            return False
        return not (suffix in VOCAB_CHECKED and not starts_with_place and self.ordinary_words(stem))

    @staticmethod
    def counted_category(text: str, start: int, label: NodeType) -> bool:
        """36家氢能产业项目: a count before a platform or project names a category, not a thing."""
        return label in (NodeType.PLATFORM, NodeType.PROJECT) and bool(
            COUNTED.search(text[max(0, start - 6) : start])
        )

    @staticmethod
    def not_a_name_by_suffix(text: str, start: int, stem: str, suffix: str, place_inside: bool) -> bool:
        """Suffixes with words of their own: 公交站点 (站 + 点), a bare …园 without a place in its
        name (校园, 家园), 大项目 / 好项目 (categories), 主体工程 / 配套工程 (part of a named work)."""
        if suffix == "站" and text[start + len(stem) + 1 : start + len(stem) + 2] in ("点", "台", "长"):
            return True
        if suffix == "园" and not place_inside:
            return True
        if suffix in ("项目", "工程") and stem[-1:] in "大好新重优实":
            return True
        return suffix == "工程" and stem.endswith(PART_OF_WORKS)

    def event_named(self, stem: str) -> bool:
        """A meeting's name is more than generic words (工作会议), unless a year or an ordinal
        names it (2024年工作会议, 第三次会议)."""
        return not _generic_cover(stem, self.generic) or bool(
            re.search(r"\d{4}年|第[一二三四五六七八九十\d]", stem)
        )

    def aspiration(self, stem: str) -> bool:
        """世界级服装产业集群先行区: ordinary and descriptive words with a descriptive one among
        them name an aspiration, not a place."""
        return covered_by(stem, self.descriptive, self.vocabulary) and any(
            True for _ in self.descriptive.finditer(stem)
        )

    def ordinary_words(self, stem: str) -> bool:
        """促进签约项目, 高校成果就地转化项目: a stem of four or more characters made only of
        ordinary words (no quote, no digit) has no proper name in it."""
        if len(stem) < 4 or re.search(r"[“”\d]", stem):
            return False
        return covered_by(stem, self.generic, self.vocabulary)

    def shared_suffix_items(self, text: str, start: int, suffix: str, label: NodeType) -> list[Mention]:
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
        self,
        text: str,
        suffix_start: int,
        person_ends: frozenset[int] = frozenset(),
        breakers: LongestMatcher | None = None,
        stop_at_names: bool = True,
    ) -> int:
        """Grow a name left from its suffix over name characters until a word that cannot be inside
        a name (推进, 加快, 的), a figure (500亿元), the end of a person's name, another name's end
        (新材料基地|化工园区) or the length limit."""
        breakers = breakers or self.breakers
        start = suffix_start
        while start > 0 and suffix_start - start < self.max_name_chars:
            ch = text[start - 1]
            if not NAME_CHAR.match(ch):
                break
            if breakers.ending_at(text, start) or (
                ch in self.unit_ends and self.figure_before.search(text[max(0, start - 12) : start])
            ):
                break
            if start in person_ends:
                break
            if stop_at_names and start < suffix_start and self.name_end.ending_at(text, start):
                break
            start -= 1
        return start

    # -- quoted programmes ------------------------------------------------------------
    @staticmethod
    def quoted_projects(text: str) -> list[Mention]:
        """“千村示范工程”, “稳岗扩工”工程, “365”项目: quoted names of programmes and projects."""
        out = []
        for m in QUOTED.finditer(text):
            inner = m.group(1).strip()
            after = QUOTE_SUFFIX.match(text[m.end() :])
            if after and after.group(1) != "品牌":
                name = inner + after.group(1)
                out.append(
                    Mention(
                        m.start(),
                        m.end() + after.end(),
                        NodeType.PROJECT,
                        name,
                        aliases=(inner,),
                        source="quoted",
                    )
                )
            elif re.search(r"(工程|项目|专项行动|行动计划)$", inner):
                out.append(Mention(m.start(1), m.end(1), NodeType.PROJECT, inner, source="quoted"))
        return out

    # -- congresses -------------------------------------------------------------------
    @staticmethod
    def congresses(text: str) -> list[Mention]:
        """第十六届人民代表大会第四次会议, 第十一次党代会: sessions named by their ordinals."""
        return [
            Mention(m.start(), m.end(), NodeType.EVENT, m.group(0), source="congress")
            for m in CONGRESS.finditer(text)
        ]

    # -- news media -------------------------------------------------------------------
    @staticmethod
    def media(text: str) -> list[Mention]:
        """新快报记者, 新华社发, 人民网讯, 来源:南方+: the outlets credited in a news article."""
        out = [
            Mention(m.start(1), m.end(1), NodeType.ORGANIZATION, m.group(1), source="media")
            for m in MEDIA.finditer(text)
            if m.group(1) not in NOT_MEDIA
        ]
        out += [
            Mention(m.start(1), m.end(1), NodeType.ORGANIZATION, m.group(1), source="media")
            for m in SOURCE_LINE.finditer(text)
        ]
        return out

    # -- companies ------------------------------------------------------------------------
    def companies(self, text: str, found: list[Mention], person_ends: frozenset[int]) -> list[Mention]:
        """恒拓科技获评, 华辰新材料获批: a company short name right before a company verb."""
        out = []
        for m in self.company.finditer(text):
            end = m.end(1)
            start = max(m.start(1), self.left_boundary(text, end - len(m.group(2)), person_ends))
            name = text[start:end]
            if len(name) - len(m.group(2)) < 2 or _generic_cover(name, self.generic):
                continue
            if any(f.start <= start < f.end or start <= f.start < end for f in found):
                continue
            out.append(Mention(start, end, NodeType.ORGANIZATION, name, source="company"))
        return out

    # -- list heads: "深达威等81个...项目" -------------------------------------------------
    def listed_items(self, text: str, found: list[Mention], person_ends: frozenset[int]) -> list[Mention]:
        """深达威、海博思创等12个项目: the items of a list headed by 等 + a count of projects or parks."""
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
                start = self.left_boundary(text, end, person_ends)
                item = text[start:end].strip('“”"')
                if (
                    2 <= len(item) <= self.max_list_item_chars
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


@Language.factory(
    "plankg_names",
    assigns=["doc._.mentions"],
    requires=["doc._.mentions"],
    default_config={"max_name_chars": 24, "max_list_item_chars": 12},
)
def make_names(nlp: Language, name: str, max_name_chars: int, max_list_item_chars: int) -> NameRecognizer:
    """max_name_chars: how far left of its suffix a name may grow; max_list_item_chars: the longest
    item of a 等-headed list taken as a name."""
    return NameRecognizer(name, max_name_chars, max_list_item_chars)
