"""Officials: a chain of posts (body + office, joined by 、) followed by a personal name.

    广州市人大常委会副主任、天河区委书记陈加猛  ->  陈加猛
        post 1: body 广州市人大常委会 (Organization), title 副主任
        post 2: body 天河区 (District), title 区委书记
    县委副书记、代理县长魏川                    ->  魏川, body left to context (the county in focus)

A name is a surname from the surname list plus one or two characters; whether a third
character still belongs to the name is decided from how often it ends names versus
follows them in a person-name corpus (nlp/data/name_chars.tsv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.model import EntityKey, NodeType, Post
from plankg.graph.resolve import LEVEL_OF_CHAR, title_level

from .component import KnowledgeComponent
from .facts import Mention, text_of
from .lexicon import Lexicon, LongestMatcher
from .text import CJK

NOT_NAME_CHARS = set(
    "的了在和与及等是为对从到向把被将也都又就还但而并或且之其这那我你他她它们个年月日市区县镇乡省"
)
# surnames that are far more often function words right after a title (委员和列席会议的同志)
FUNCTION_SURNAMES = set("和与同向于从对把被将也都就还而并在及")
NOT_POSTS = ("领导", "同志")  # 市领导张三, 李四同志: a name follows, but no post
NOT_POST_AT = re.compile(f"(?=({'|'.join(NOT_POSTS)}))")
# the last word of a clause's opening before a chain of posts (据…, 会议首先由…); not the 由 of 自由贸易
CHAIN_OPENER = re.compile(r"据|(?<!自)由")
CHAIN_STOPS = '，,。；;：:！？!?\n（(“”"'  # a chain of posts never runs over these
NAME_LIST_TAIL = re.compile(r"(?:、[\u4e00-\u9fff]{2,4}){2,}")  # the items after a list's first name
SENTENCE_ENDS = "。！？!?\n"
CLAUSE_OPENERS = '，,。；;：:！？!?\n“"（( \u3000'  # what stands before a name that opens a clause
# a transliterated name (Uyghur, Mongolian, Tibetan …): parts joined by the middle dot
DOTTED_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}(?:[·•・][\u4e00-\u9fff]{1,8})+")
# a name typeset with spaces between its characters (a report's byline: 区长 某 某)
SPACED_NAME = re.compile(
    r"([\u4e00-\u9fff])[ \u3000]{1,3}([\u4e00-\u9fff])(?:[ \u3000]{1,3}([\u4e00-\u9fff]))?(?=\s|$|[，,。、])"
)
# a level character (省, 市 … 街道) and the level of the body it opens a title with
LEVEL_CHARS = {char: levels[0] for char, (levels, _) in LEVEL_OF_CHAR.items()}
ORG_BODY = re.compile(
    r"^(.*?(?:人大常委会|人民代表大会常务委员会|政协|发展和改革委员会|发展改革委|发改委|委员会|管委会|管理委员会|党工委|"
    r"宣传部|组织部|统战部|办公室|局|厅))(.+)$"
)
OWN_BODY = ("委", "政府", "党委", "党工委")
STEM_SUFFIXES = ("街道", "自治区", "自治州", "自治县", "省", "市", "区", "县", "镇", "乡", "旗", "盟")


class PersonNames:
    """Chinese personal names: a surname from the surname list plus one or two characters.

    Whether a second given-name character still belongs to the name is decided from how often it
    ends names versus follows them in a person-name corpus (name_chars.tsv); a "name" that is an
    ordinary word (书记强调 -> 强调) is not one."""

    files = ("surnames.txt", "name_chars.tsv", "common_words.txt")

    def __init__(self, lexicon: Lexicon) -> None:
        self.surnames = lexicon.words("surnames.txt")
        self.odds = {row[0]: (int(row[1]), int(row[2])) for row in lexicon.table("name_chars.tsv")}
        self.common = lexicon.words("common_words.txt")

    def at(self, text: str, i: int) -> str | None:
        """A personal name starting at i, or None."""
        names = self.surnames
        family = (
            text[i : i + 2]
            if text[i : i + 2] in names
            else (text[i] if i < len(text) and text[i] in names else None)
        )
        if not family or len(family) > 2 or family in FUNCTION_SURNAMES:
            return None
        j = i + len(family)
        given = ""
        for k in range(2):  # given names have one or two characters
            if j + k >= len(text):
                break
            ch = text[j + k]
            if not CJK.match(ch) or ch in NOT_NAME_CHARS:
                break
            if k == 1:
                in_name, after = self.odds.get(ch, (1, 0))
                if after > in_name:
                    break
            given += ch
        if not given:
            return None
        common = self.common
        name = family + given
        if name in common or (len(name) == 3 and name[:2] in common and len(family) == 1):
            name = name[:2] if len(name) == 3 and name[:2] not in common else None
        return name

    def could_be(self, word: str) -> bool:
        """Whether a word of two or three characters may be a personal name: a surname and a given
        name of characters names use, not an ordinary word (a looser test than `at`)."""
        for family in (word[:2], word[:1]):
            given = word[len(family) :]
            if family in self.surnames and family not in FUNCTION_SURNAMES and 1 <= len(given) <= 2:
                if all(CJK.match(ch) and ch not in NOT_NAME_CHARS for ch in given):
                    return word not in self.common
        return False

    def written_at(self, text: str, i: int) -> tuple[str, int] | None:
        """The name a title is followed by, as (name, end): a Han name, a transliterated one
        (某某·某某) or one typeset with spaces (某 某), the spaces left out of the name."""
        dotted = DOTTED_NAME.match(text, i)
        if dotted:  # the last part ends where a character more often follows a name than ends one
            dot = max(dotted.group(0).rfind(ch) for ch in "·•・")
            end = min(i + dot + 3, dotted.end())  # at least two characters after the dot where written
            while end < dotted.end() and end - (i + dot) <= 5:
                in_name, after = self.odds.get(text[end], (1, 0))
                if text[end] in NOT_NAME_CHARS or after > in_name:
                    break
                end += 1
            return text[i:end], end
        name = self.at(text, i)
        if name:
            return name, i + len(name)
        spaced = SPACED_NAME.match(text, i)
        if spaced and spaced.group(1) in self.surnames:
            return "".join(g for g in spaced.groups() if g), spaced.end()
        return None


@dataclass
class PostPhrase:
    text: str  # the whole post phrase, e.g. 天河区委书记
    start: int


class OfficialRecognizer(KnowledgeComponent):
    """Officials: a chain of posts (body + office, joined by 、) followed by a personal name."""

    files = ("titles.txt", "name_list_cues.txt", "speech_verbs.txt", *PersonNames.files)

    def __init__(self, name: str, max_chain_chars: int) -> None:
        super().__init__(name)
        self.max_chain_chars = max_chain_chars

    def prepare(self, lexicon: Lexicon) -> None:
        self.titles: LongestMatcher = lexicon.matcher("titles.txt")
        self.names = PersonNames(lexicon)
        self.list_cues: LongestMatcher = lexicon.matcher("name_list_cues.txt")
        self.speech = tuple(lexicon.lines("speech_verbs.txt"))

    def annotate(self, doc: Doc) -> Doc:
        text = text_of(doc)
        mentions = doc._.mentions if doc._.mentions is not None else []
        district_at = self.districts_by_start(mentions)
        found: list[Mention] = []
        i = 0
        for end in self.title_ends(text):
            if end < i or end >= len(text):
                continue
            i = j = end
            while j < len(text) and text[j] in " \u3000":
                j += 1
            written = self.names.written_at(text, j)
            if not written:
                continue
            name, name_end = written
            chain_start = self.chain_start(text, i)
            if found and chain_start < found[-1].end:  # a chain never runs back over a name found before it
                comma = text.find("、", found[-1].end, min(i, found[-1].end + 3))
                chain_start = comma + 1 if comma >= 0 else found[-1].end
            posts = [
                resolve_post(p.text, p.start, self.innermost(district_at, p.start))
                for p in self.split_posts(text[chain_start:i], chain_start)
            ]
            titled = [
                Mention(
                    j,
                    name_end,
                    NodeType.OFFICIAL,
                    text[j:name_end],
                    canonical=name,
                    source="title+name",
                    attrs={"posts": posts},
                )
            ]
            titled += self.listed_after(text, name_end, posts, district_at)
            found += titled
            i = titled[-1].end
        found += self.name_lists(text, found)
        found += self.speakers(text, found)
        found += self.untitled_mentions(text, found)
        doc._.mentions = mentions + found
        return doc

    # -- rules ----------------------------------------------------------------------------------
    def title_ends(self, text: str) -> list[int]:
        """Where a name may start: right after a title (区委书记), 领导 or 同志."""
        ends = {end for end, _ in self.titles.ends(text)}
        ends.update(m.end(1) for m in NOT_POST_AT.finditer(text))
        return sorted(ends)

    def listed_after(
        self, text: str, k: int, posts: list[Post], district_at: dict[int, Mention] | None = None
    ) -> list[Mention]:
        """Names listed after the same title share its posts: 市领导秦立川、郑远航; an item of the list
        ends at its 、."""
        out = []
        while k < len(text) - 1 and text[k] == "、":
            other = self.names.at(text, k + 1)
            if not other or k + 1 in (district_at or {}):  # 、某县委书记…: the next chain of posts
                break
            # inside a list an item runs to its 、 (郑远航、: the odds of 航 ending a name do not count)
            end = text.find("、", k + 1, k + 5)
            item = text[k + 1 : end] if end > 0 else ""
            if len(other) < len(item) <= 3 and all(CJK.match(ch) for ch in item):
                other = item
            out.append(
                Mention(
                    k + 1,
                    k + 1 + len(other),
                    NodeType.OFFICIAL,
                    other,
                    source="title+name",
                    attrs={"posts": posts},
                )
            )
            k += 1 + len(other)
        return out

    def name_lists(self, text: str, found: list[Mention]) -> list[Mention]:
        """A bare list of at least three personal names in a sentence about officials
        (在主席台就座的还有秦立川、郑远航、魏川等): the people of a platform or an attendance list."""
        known = {m.text for m in found}
        by_end = {m.end: m for m in found}
        out = []
        for m in NAME_LIST_TAIL.finditer(text):
            head = by_end.get(m.start()) or self.name_ending_at(text, m.start(), found)
            if head is None:
                continue
            items = [(head.start, head.text)]
            start = m.start() + 1
            tail = m.group()[1:].split("、")
            for k, item in enumerate(tail):
                name = self.names.at(text, start)
                if name and (name == item or k == len(tail) - 1 and len(item) - len(name) == 1):
                    items.append((start, name))
                start += len(item) + 1
            if len(items) < 3 or len(items) < 0.9 * (len(tail) + 1):
                continue
            a = max(text.rfind(ch, 0, m.start()) for ch in SENTENCE_ENDS) + 1
            b = min([x for x in (text.find(ch, m.end()) for ch in SENTENCE_ENDS) if x >= 0] or [len(text)])
            if next(self.list_cues.ends(text[a:b]), None) is None and not any(n in known for _, n in items):
                continue
            taken = {x.start for x in found} | {x.start for x in out}
            out += [
                Mention(s, s + len(name), NodeType.OFFICIAL, name, source="name-list")
                for s, name in items
                if s not in taken
            ]
        return out

    def name_ending_at(self, text: str, end: int, found: list[Mention]) -> Mention | None:
        """The personal name that ends right before a list's first 、 (还有秦立川、): the longest that
        overlaps no name found already."""
        for size in (4, 3, 2):
            s = end - size
            if s >= 0 and self.names.at(text, s) == text[s:end]:
                if not any(m.start < end and s < m.end for m in found):
                    return Mention(s, end, NodeType.OFFICIAL, text[s:end], source="name-list")
        return None

    def speakers(self, text: str, found: list[Mention]) -> list[Mention]:
        """A personal name that opens a clause and is followed by a speech verb (某某表示，…; 某某强调):
        an untitled speaker, as a candidate the recogniser accepts or rejects."""
        taken = bytearray(len(text))
        for m in found:
            taken[m.start : m.end] = b"\1" * (m.end - m.start)
        out = []
        for verb in self.speech:
            for hit in re.finditer(re.escape(verb), text):
                end = hit.start()
                for start in (end - 3, end - 2):
                    if (
                        start < 0
                        or (start and text[start - 1] not in CLAUSE_OPENERS)
                        or any(taken[start:end])
                    ):
                        continue
                    if self.names.could_be(text[start:end]):
                        out.append(Mention(start, end, NodeType.OFFICIAL, text[start:end], source="speech"))
                        taken[start:end] = b"\1" * (end - start)
                        break
        return sorted(out, key=lambda m: m.start)

    @staticmethod
    def untitled_mentions(text: str, found: list[Mention]) -> list[Mention]:
        """Later mentions of the same people without a title (林则安表示)."""
        taken = {(m.start, m.end) for m in found}
        out = []
        for name in {m.text for m in found}:
            for m in re.finditer(re.escape(name), text):
                if (m.start(), m.end()) not in taken:
                    out.append(Mention(m.start(), m.end(), NodeType.OFFICIAL, name, source="known-name"))
        return out

    @staticmethod
    def districts_by_start(mentions: list[Mention]) -> dict[int, Mention]:
        """The longest District mention starting at each offset."""
        district_at: dict[int, Mention] = {}
        for m in mentions:
            if m.label == NodeType.DISTRICT and (
                m.start not in district_at or len(m.text) > len(district_at[m.start].text)
            ):
                district_at[m.start] = m
        return district_at

    @staticmethod
    def innermost(district_at: dict[int, Mention], pos: int) -> Mention | None:
        """广州白云区委书记: the body is the last of the adjacent divisions (白云区)."""
        m = district_at.get(pos)
        while m is not None and m.end in district_at:
            m = district_at[m.end]
        return m

    def chain_start(self, text: str, title_end: int) -> int:
        """Walk left over post phrases joined by 、 until punctuation, a blank or the length limit;
        the words that open the clause are no part of it (会议由某局局长…, 据某区党工委委员…)."""
        start = title_end
        while start > 0:
            ch = text[start - 1]
            if ch in CHAIN_STOPS or ch.isspace():
                break
            start -= 1
            if title_end - start > self.max_chain_chars:
                break
        openers = list(CHAIN_OPENER.finditer(text, start, title_end))
        return openers[-1].end() if openers else start

    @staticmethod
    def split_posts(chain: str, offset: int) -> list[PostPhrase]:
        """The post phrases of a chain (广州市人大常委会副主任、天河区委书记), without the parts that
        end in 领导 or 同志 (no post), nor a bare level (the 市 of 市、县领导)."""
        posts, pos = [], 0
        for part in chain.split("、"):
            if part and part not in LEVEL_CHARS and not part.endswith(NOT_POSTS):
                posts.append(PostPhrase(part, offset + pos))
            pos += len(part) + 1
        return posts


def resolve_post(post: str, post_start: int, district_at_start: Mention | None) -> Post:
    """Split a post phrase into its title and body.

    The body is a named District or Organization when the phrase names one (天河区委书记,
    阿荣旗发展和改革委员会主任); an unnamed body keeps the level its first character gives
    (市委书记 -> city, 副市长 -> city), or nothing (书记).
    """
    m = ORG_BODY.match(post)
    if district_at_start is not None:
        offset = district_at_start.start - post_start
        rest = post[offset + len(district_at_start.text) :]
        stem_len = offset + len(_stem(district_at_start))
        if (
            m
            and not rest.startswith(OWN_BODY)
            and not any(rest.startswith(c + b) for c in LEVEL_CHARS for b in OWN_BODY)
        ):
            return Post(m.group(2), EntityKey(NodeType.ORGANIZATION, m.group(1)))
        title = re.sub(
            r"^([省市区县镇乡旗])(?:人民政府|政府)(?=\1)", "", post[stem_len:]
        )  # 区人民政府区长 -> 区长
        return Post(title, EntityKey(NodeType.DISTRICT, district_at_start.canonical))
    if m and len(m.group(1)) >= 4 and not any(m.group(1).startswith(c) for c in LEVEL_CHARS):
        return Post(m.group(2), EntityKey(NodeType.ORGANIZATION, m.group(1)))  # 阿荣旗发展和改革委员会主任
    level = title_level(post)  # 副市长, 代县长: the level is the office's
    return Post(post, level=LEVEL_CHARS[level]) if level else Post(post)


def _stem(m: Mention) -> str:
    """天河区 -> 天河: the part of a division name before its level suffix."""
    name = m.text
    for suffix in STEM_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@Language.factory(
    "plankg_officials",
    assigns=["doc._.mentions"],
    requires=["doc._.mentions"],
    default_config={"max_chain_chars": 40},
)
def make_officials(nlp: Language, name: str, max_chain_chars: int) -> OfficialRecognizer:
    """max_chain_chars: how far left of a title a chain of posts is read."""
    return OfficialRecognizer(name, max_chain_chars)
