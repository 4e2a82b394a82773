"""Quantified targets and reported figures: indicator, value, unit, comparator, year, status.

    固定资产投资额超830亿元、增长18%以上
      -> (固定资产投资额, 830, 亿元, >) and (固定资产投资额增速, 18, %, >=)

The grammar reads a clause left to right: a figure is a number with a unit; the words
just before it (突破, 不低于) or just after it (以上, 左右) give the comparator; the text
between the previous figure and this one names the indicator; 增长/增速 make a growth
rate of the indicator before it. Years come from the clause, the paragraph or the
document date; status from tense cues (力争 vs 完成了, a past year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an
from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.model import Comparator, EntityKey, NodeType, Status
from plankg.graph.quantity import scale_words

from .component import KnowledgeComponent
from .dates import CURRENT_YEAR, NO_YEAR, PLAN, RELATIVE_YEAR, YEAR_IN, plan_period
from .facts import Mention, TargetFact, text_of
from .lexicon import Lexicon, LongestMatcher, SpanCover
from .text import CJK, CJK_RANGE

SCALES = "|".join(scale_words())  # 万亿|千亿|百亿|亿|千万|百万|万|千
CN_NUM = "零一二两三四五六七八九十百千"
CLAUSE_END = re.compile(r"[，,；;。：:！？!?\n]")
GROWTH = ("同比增长", "比上年增长", "增长", "增速", "增幅", "同比增加", "增加")
LEAD_WORDS = (
    "其中",
    "同时",
    "力争",
    "争取",
    "确保",
    "推动",
    "深入推进",
    "全力推进",
    "大力推进",
    "加快建设",
    "推进",
    "今年",
    "全年",
    "年内",
    "预计",
    "努力",
    "启动",
    "分批有序",
    "持续",
    "主要预期目标是",
    "目标是",
    "实现",
    "完成",
    "达到",
    "加快推进",
    "加快",
    "将",
    "要",
    "并",
    "和",
    "及",
)
MONEY_HINTS = (
    "值",
    "额",
    "投资",
    "收入",
    "支出",
    "总量",
    "资金",
    "产值",
    "生产总值",
    "GDP",
    "规模",
    "营收",
    "税收",
    "消费",
)
PAST = (
    "今年以来",
    "以来",
    "已经",
    "已累计",
    "已完成",
    "已建成",
    "已实现",
    "已达",
    "已获",
    "已有",
    "累计",
    "同比",
    "比上年",
    "取得",
    "成功",
    "获批",
    "获评",
    "成为",
    "预计",
    "目前",
    "实现了",
    "完成了",
    "达到了",
    "过去一年",
    "这一年",
    "去年",
    "上年",
)
FUTURE_STRONG = ("力争", "争取", "确保", "目标", "预期", "计划", "草案", "努力")
FUTURE = ("将", "要", "推动", "到20", "拟", "明年", "提出", "明确")  # weak
INDICATOR_SYNONYMS = {"GDP": "地区生产总值", "gdp": "地区生产总值"}  # one name per indicator
SYNONYMS = re.compile("|".join(INDICATOR_SYNONYMS))
ENUMERATOR = re.compile(
    r"(?:^|(?<=[\s。；;，,]))?(?:\d{1,2}[.、．]|[一二三四五六七八九十]{1,2}[、.．])(?!\d)"
)
ACHIEVED = ("成功争取", "争取到", "已争取")
QUOTED_SPAN = re.compile(r"“[^”]*”")
HEADING_MARKS = ("■", "#")  # a marked heading line states no figures of its own
FIGURE_LIST_SEPARATORS = re.compile(r"\s*(?:[、,，和及与]|以及)\s*")  # between figures of one list
BARE_MONEY = ("亿", "千亿", "百亿", "万亿")  # scale words that stand for yuan when no unit follows


STEP, GRADE = "台阶", "级"  # after a scale word: a level reached or aimed at (千亿台阶, 千亿级)
LEVELS = (STEP, GRADE)
# 突破千亿元, 万亿元: one thousand (ten thousand) 亿元, the 一 left unwritten
BARE_SCALES = frozenset("十百千万")


def _number(text: str) -> float | None:
    try:
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return float(text)
        if text in BARE_SCALES:
            text = "一" + text
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


@dataclass
class Clause:
    """Where the figures of a sentence stand: the clause being read and the last indicator (a
    growth rate 增长18% belongs to the indicator before it)."""

    start: int
    previous_indicator: str = ""
    last_indicator: str = ""  # as it was given to the last figure (a list sibling shares it)
    last_end: int = -1  # where the last figure (and its comparator) ended


@dataclass
class SentenceContext:
    """What a sentence's figures share: its bounds, subject, year and tense."""

    start: int
    end: int
    subject: EntityKey | None
    running_year: int | None
    mode: Status


class TargetExtractor(KnowledgeComponent):
    files = ("units.txt", "left_breakers.txt", "comparators.tsv")

    def __init__(self, name: str, category_chars: int) -> None:
        super().__init__(name)
        self.category_chars = category_chars

    def prepare(self, lexicon: Lexicon) -> None:
        units = sorted(lexicon.lines("units.txt"), key=len, reverse=True)
        unit_alt = "|".join(re.escape(u) for u in units)
        self.figure = re.compile(
            rf"(?P<num>\d+(?:\.\d+)?|[{CN_NUM}]+|万(?=亿))\s*(?P<more>[多余])?"
            rf"(?P<unit>(?:{SCALES})?(?:{unit_alt})|(?:{SCALES}))"
        )
        self.scaled_unit = re.compile(rf"[多余](?P<unit>{unit_alt})")
        self.verbs = LongestMatcher(
            [*lexicon.lines("left_breakers.txt"), *LEAD_WORDS, "吸引", "成功", "拥有", "新上"]
        )
        rows = lexicon.table("comparators.tsv")
        self.before = sorted(
            ((w, Comparator(c)) for w, c, pos in rows if pos == "before"), key=lambda x: -len(x[0])
        )
        self.after = sorted(
            ((w, Comparator(c)) for w, c, pos in rows if pos == "after"), key=lambda x: -len(x[0])
        )
        self.after_words = dict(self.after)
        self.category = re.compile(rf"[^，,；;。：:、\n等（(]{{1,{self.category_chars}}}")

    def annotate(self, doc: Doc) -> Doc:
        text = text_of(doc)
        mentions = doc._.mentions or []
        focus = doc._.focus or {}
        names = [m for m in mentions if m.label in (NodeType.PLATFORM, NodeType.PROJECT)]
        inside = SpanCover((m.start, m.end) for m in mentions if m.label != NodeType.DISTRICT)
        places = tuple(
            sorted({m.text for m in mentions if m.label == NodeType.DISTRICT}, key=len, reverse=True)
        )
        context = SentenceContext(
            0, 0, None, None, Status.ACTUAL
        )  # news reports results unless a plan is announced
        targets: list[TargetFact] = []
        for sent in doc.sents:
            s0, s1 = sent.start_char, sent.end_char
            if text[s0:s1].strip().startswith(HEADING_MARKS):
                continue
            context = self.sentence_context(doc, text, s0, s1, focus.get(s0), context)
            targets += self.sentence_targets(text, context, doc._.year, names, places, inside)
        doc._.targets = targets  # a subject may be None (none in reach): the graph leaves those out
        return doc

    def sentence_context(
        self, doc: Doc, text: str, s0: int, s1: int, subject: EntityKey | None, previous: SentenceContext
    ) -> SentenceContext:
        """The sentence's year and tense, carried over from the sentences before: an explicit year
        (2024年, not a deadline 到2027年) holds until the next; a new paragraph takes the tense of its
        section, and a strong cue (力争, 已) sets it for what follows."""
        sent_text = text[s0:s1]
        running_year = previous.running_year
        explicit = self.sentence_year(sent_text)
        if explicit is not None and not re.search(rf"(到|至)\s*{explicit}\s*年", sent_text):
            running_year = explicit
        mode = previous.mode
        if s0 > 0 and text[s0 - 1] == "\n" and not self.list_line(text, s0):
            mode = self.section_mode(doc, s0)
        mode = self.tense(sent_text, weak=False) or mode  # weak cues (将, 要) speak for one sentence
        return SentenceContext(s0, s1, subject, running_year, mode)

    def sentence_targets(
        self,
        text: str,
        context: SentenceContext,
        doc_year: int | None,
        names: list[Mention],
        places: tuple[str, ...],
        inside: SpanCover,
    ) -> list[TargetFact]:
        """The figures of one sentence, read left to right: each a number with a unit, its
        comparator from the words around it, its indicator from the text since the previous figure."""
        s0, s1 = context.start, context.end
        sent_text = text[s0:s1]
        clause = Clause(s0)
        out = []
        for m in self.figure.finditer(sent_text):
            start, end = s0 + m.start(), s0 + m.end()
            value = _number(m.group("num"))
            unit = m.group("unit")
            if unit[:-1] in scale_words() and text.startswith(STEP, end - 1):
                unit, end = unit[:-1], end - 1  # 迈上千亿台阶: a level, not 千亿台 (machines)
            elif unit in scale_words() and (more := self.scaled_unit.match(text, end)):
                unit += more.group("unit")  # 2万多亩: the unit follows 多 or 余
            if value is None or self.excluded(text, start, end, m.group("num"), unit, inside):
                continue
            target = self.figure_target(
                text, clause, start, end, value, unit, context, doc_year, names, places
            )
            if target is not None:
                if m.group("more") and target.comparator == Comparator.EQ:
                    target.comparator = self.after_words[m.group("more")]  # 100余个, 3000多亿元: >
                out.append(target)
        return out

    def figure_target(
        self,
        text: str,
        clause: Clause,
        start: int,
        end: int,
        value: float,
        unit: str,
        context: SentenceContext,
        doc_year: int | None,
        names: list[Mention],
        places: tuple[str, ...],
    ) -> TargetFact | None:
        """One figure as a target: the clause it stands in (a list item starts anew: 1.新增市场主体),
        comparator, subject (a platform or project opening the clause, else the sentence's),
        indicator, unit (亿 -> 亿元 for money), year and status. Advances `clause` past the figure."""
        clause.start = max(clause.start, self.clause_start(text, start, context.start))
        enumerated = ENUMERATOR.search(text, clause.start, start)
        if enumerated:
            clause.start = enumerated.end()
        comparator, before = self.comparator_before(text[clause.start : start])
        after_cmp, consumed = self.comparator_after(text, end)
        comparator = after_cmp or comparator or Comparator.EQ
        if comparator == Comparator.EQ and unit in scale_words() and text.startswith(LEVELS, end):
            comparator = Comparator.GE  # 迈上千亿台阶, 千亿级产业集群: a level is at least its amount
        own = self.subject_entity(text, names, clause.start, start)
        own_names = tuple(m.text for m in names if own and m.key == own)
        indicator, growth, named_after = self.indicator(
            before, text, end + consumed, clause.previous_indicator, own_names + places, unit
        )
        indicator = SYNONYMS.sub(lambda x: INDICATOR_SYNONYMS[x.group(0)], indicator)
        if indicator.startswith(GRADE) and text.startswith(GRADE, end):
            indicator = indicator[1:]  # 千亿级产业集群: the cluster, not 级产业集群
        if (
            not indicator
            and clause.last_end >= 0
            and FIGURE_LIST_SEPARATORS.fullmatch(text[clause.last_end : start])
        ):
            indicator = clause.last_indicator  # 分别增长9.91%、9.88%: a sibling in a list of figures
        if not indicator:
            clause.start = end + consumed
            return None
        if unit in BARE_MONEY or (unit in scale_words() and any(h in indicator for h in MONEY_HINTS)):
            unit += "元"  # a bare 亿 is 亿元 in plan news
        year = self.year(
            text[clause.start : start], text[context.start : context.end], doc_year, context.running_year
        )
        status = self.status(text[context.start : context.end], year, doc_year, context.mode)
        clause.previous_indicator = indicator[: -len("增速")] if growth and indicator != "增速" else indicator
        clause.last_indicator, clause.last_end = indicator, end + consumed
        clause.start = end + consumed + named_after
        return TargetFact(
            own or context.subject,
            indicator,
            value,
            unit,
            comparator,
            year,
            status,
            start,
            end,
            context.start,
            context.end,
        )

    # -- pieces ---------------------------------------------------------------------------
    def excluded(self, text: str, start: int, end: int, num: str, unit: str, inside: SpanCover) -> bool:
        if inside.covers(start, start + 1):  # the figure starts inside a name
            return True
        prev = text[max(0, start - 1) : start]
        nxt = text[end : end + 2]
        if prev == "第" or prev.isdigit() or prev in ".-/":
            return True
        if re.match(r"[\d年月日号期届次周岁]", nxt[:1]):
            return True
        if not num[0].isdigit():
            # Chinese numerals only as amounts with a scale or a measure word (突破千亿, 建强十个大平台)
            value = _number(num) or 0
            if not re.match(rf"(?:{SCALES})", unit) and value < 10:
                return True
            if num in BARE_SCALES and not unit.startswith(("万", "亿")):
                return True  # 百家, 千米: a bare 百 or 千 counts only before 万 or 亿 (千亿元)
            if re.match(r"[方大]", nxt[:1]) or text[end : end + 2] in ("方面",):
                return True
        after = text[end : end + 8]
        # 500万元以上固定资产投资: a figure qualifying the noun after it, not a target
        if re.match(rf"(以上|以下)[{CJK_RANGE}]{{2}}", after) and not re.match(
            r"(以上|以下)(的|，|,|、|。)", after
        ):
            if not re.match(r"(以上|以下)(企业|项目)?(?=[，,、。；;]|$)", after):
                return True
        return unit in ("天",) and "用时" not in text[max(0, start - 8) : start]

    def clause_start(self, text: str, pos: int, floor: int) -> int:
        i = pos
        while i > floor and not CLAUSE_END.match(text[i - 1]):
            if text[i - 1] == " " and i - 2 >= floor and CJK.match(text[i - 2]) and CJK.match(text[i]):
                break  # a space between two Chinese words separates items in scraped lists
            i -= 1
        return i

    def comparator_before(self, before: str) -> tuple[Comparator | None, str]:
        stripped = before.rstrip()
        for word, cmp in self.before:
            if stripped.endswith(word):
                rest = stripped[: -len(word)]
                # 达到/完成 after an 超/突破 already seen keeps the stronger reading
                for word2, cmp2 in self.before:
                    if rest.endswith(word2) and cmp2 != Comparator.EQ:
                        return cmp2, rest[: -len(word2)]
                return cmp, rest
        return None, stripped

    def comparator_after(self, text: str, end: int) -> tuple[Comparator | None, int]:
        for word, cmp in self.after:
            if text.startswith(word, end):
                return cmp, len(word)
        return None, 0

    def indicator(
        self,
        before: str,
        text: str,
        after_pos: int,
        previous: str,
        places: tuple[str, ...] = (),
        unit: str = "",
    ) -> tuple[str, bool, int]:
        """(indicator, is growth rate, characters after the figure that named it)."""
        name = before.strip(" 、，,：:")
        changed = True
        while changed:
            changed = False
            name = re.sub(
                r"^(?:(?:19|20)\d\d\s*年|到|至|[该全我本][省市区县镇乡旗]|去年|上年|过去一年|明年)+", "", name
            )
            words = (*places, *LEAD_WORDS)
            if not name.startswith(words):  # one test first: most names start with none of them
                break
            for word in words:
                if name.startswith(word):
                    name, changed = name[len(word) :].lstrip(" 、，,"), True
                    break
        name = name.strip(" 、，,")
        growth = False
        for g in GROWTH:
            if name.endswith(g):
                base = name[: -len(g)].rstrip("同比").strip(" 、，,") or previous
                if unit != "%":  # 同比增加6万头: an absolute increase, not a rate
                    return base + name[len(name[: -len(g)]) :], False, 0
                return (base + "增速" if base else "增速"), True, 0
        if name in ("总量", "总额", "规模", "总数"):
            return previous or name, False, 0
        if "等" in name:
            head, _, tail = name.partition("等")
            verb = re.match(r"^(新开工|建成|新建改造|新建|改造|完成|开工|引进|新增|签约|启动)", head)
            category = tail or self.category_after(text, after_pos)
            return ((verb.group(1) if verb else "") + category).strip(), False, 0 if tail else len(category)
        name = re.sub(r"(分别|均|共|合计)$", "", name)  # 城乡居民人均可支配收入分别达到…
        if not name or self.verbs_only(name):
            category = self.category_after(text, after_pos)
            if category:
                return category, growth, len(category)
        return name, growth, 0

    def verbs_only(self, name: str) -> bool:
        """打造, 成功争取, 吸引: words that introduce a count rather than name what is counted."""
        i = 0
        while i < len(name):
            word = self.verbs.match_at(name, i)
            if not word:
                return False
            i += len(word)
        return True

    def category_after(self, text: str, pos: int) -> str:
        m = self.category.match(text, pos)
        return m.group(0).strip() if m else ""

    def subject_entity(self, text: str, names, clause_start: int, pos: int):
        """A platform or project that opens the clause is the figure's subject (光电孵化园入驻项目10个)."""
        for m in names:
            if clause_start <= m.start < pos:
                lead = text[clause_start : m.start].strip()
                if not lead and not text.startswith("等", m.end) and not text.startswith("、", m.end):
                    return m.key
                return None
        return None

    @staticmethod
    def sentence_year(sent: str) -> int | None:
        """An explicit year (2024年,) that carries over to the sentences after it."""
        m = YEAR_IN.search(sent)
        return int(m.group(2)) if m else None

    def year(self, clause: str, sent: str, doc_year: int | None, running: int | None) -> int | None:
        if NO_YEAR.search(clause):
            return None
        for scope in (clause, sent):
            plan = PLAN.search(scope)
            if plan:
                return plan_period(plan.group(1))[1]
            m = YEAR_IN.search(scope)
            if m:
                return int(m.group(2))
            for word, delta in RELATIVE_YEAR.items():
                if word in scope and doc_year:
                    return doc_year + delta
            if any(w in scope for w in CURRENT_YEAR) and (running or doc_year):
                return running or doc_year
        return running or doc_year

    @staticmethod
    def section_mode(doc: Doc, pos: int) -> Status:
        """二、2023年主要目标 heads plans; 一、2022年工作回顾 heads results; news reports results."""
        heading = next((s.heading for s in doc._.sections or [] if s.start <= pos < s.end), "")
        if re.search(r"目标|计划|安排|任务|打算|思路|部署|展望", heading):
            return Status.TARGET
        return Status.ACTUAL

    @staticmethod
    def list_line(text: str, start: int) -> bool:
        """A short line under a heading or a line ending in a colon (主要目标是：)."""
        prev_end = text[max(0, start - 200) : start].rstrip()
        line_end = text.find("\n", start)
        line = text[start : line_end if line_end >= 0 else len(text)]
        return prev_end.endswith((":", "：", "◢")) or len(line) <= 40

    @staticmethod
    def tense(sent: str, weak: bool = True) -> Status | None:
        """'target' for plans (力争, 将, 目标), 'actual' for results (已, 累计, 同比), None if silent."""
        sent = QUOTED_SPAN.sub("", sent).replace("即将", "")  # “项目争取年” is a name, not a plan
        if any(w in sent for w in ACHIEVED):
            return Status.ACTUAL  # 成功争取: a plan that came true
        if any(w in sent for w in FUTURE_STRONG):
            return Status.TARGET
        if any(w in sent for w in PAST):
            return Status.ACTUAL
        if weak and any(w in sent for w in FUTURE):
            return Status.TARGET
        return None

    def status(self, sent: str, year: int | None, doc_year: int | None, mode: Status) -> Status:
        """Plans and results: a past year is a result; otherwise the sentence's own tense, else
        the tense of the text before it (a list under 主要目标是: stays a list of targets)."""
        if year is not None and doc_year is not None and year < doc_year:
            return Status.ACTUAL
        return self.tense(sent) or mode


@Language.factory(
    "plankg_targets",
    assigns=["doc._.targets"],
    requires=["doc._.mentions", "doc._.focus", "doc._.sections", "doc._.year", "token.is_sent_start"],
    default_config={"category_chars": 16},
)
def make_targets(nlp: Language, name: str, category_chars: int) -> TargetExtractor:
    """category_chars: the longest category read after a count (新建 5 个 -> 5 个 what)."""
    return TargetExtractor(name, category_chars)
