"""Years and dates as Chinese plan news writes them: datelines, 2024年, 今年, 十四五.

One home for the patterns the structure, relation and target components share.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
YEAR = re.compile(r"(?<![\d.到至])((?:19|20)\d\d)\s*年")
# a day of a month, with its year when written (2月20日, 2024年2月20日)
DAY = re.compile(r"(?:((?:19|20)\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# an explicit year a figure refers to (到2027年, 2024年:), with 到/至 when it is a deadline
YEAR_IN = re.compile(r"(到|至)?\s*((?:19|20)\d\d)\s*(?:年(?!\d)|(?=[:：]))")
# years relative to the document's year
RELATIVE_YEAR = {"今年": 0, "本年": 0, "明年": 1, "去年": -1, "上年": -1, "过去一年": -1, "上一年": -1}
CURRENT_YEAR = ("全年", "这一年", "年内", "当年")  # the year under discussion
NO_YEAR = re.compile(r"(今后|未来)[一二三四五两]年|[一二三四五两]年内|力争[一二三四五两]年")  # 今后五年: null
PLAN = re.compile(r"十([一二三四五六七八九])五")  # the 十X五 five-year plans
PLAN_START = re.compile(r"[“\"]?十([一二三四五六七八九])五[”\"]?(?:规划)?(?:的)?(?:开局之年|开局)")
# 十一五 began in 2006; each "十X五" plan is five years later than the previous one.
PLAN_FIRST_YEAR = {k: 2006 + i * 5 for i, k in enumerate("一二三四五六七八九")}


def plan_period(numeral: str) -> tuple[int, int]:
    """Years of the 十X五 five-year plan: 十四五 -> (2021, 2025)."""
    first = PLAN_FIRST_YEAR[numeral]
    return first, first + 4


def find_date(text: str, head: int = 400) -> str | None:
    """The first full date in the document's first `head` characters (its dateline)."""
    for m in ISO_DATE.finditer(text[:head]):
        y, mo, d = (int(g) for g in m.groups())
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


def guess_year(text: str) -> int | None:
    """The year 今年 refers to when no dateline gives it: a plan's first year (十四五开局之年),
    else the year the text names most often (the earliest of ties)."""
    m = PLAN_START.search(text)
    if m:
        return plan_period(m.group(1))[0]
    years = Counter(int(y) for y in YEAR.findall(text))
    if not years:
        return None
    top = max(years.values())
    return min(y for y, n in years.items() if n == top)


def day_in(text: str, start: int, end: int, year: int) -> str | None:
    """The ISO date of the first day written in text[start:end] (2月20日), the year taken from the
    text when written there, else `year`."""
    day = DAY.search(text, start, end)
    if not day:
        return None
    y = int(day.group(1)) if day.group(1) else year
    try:
        return date(y, int(day.group(2)), int(day.group(3))).isoformat()
    except ValueError:
        return None
