"""Document structure: sentences, section headings and the document's date and year.

Plan news is full of short heading lines ("@荔湾区", "经济◢", "一、...") that set the
topic of what follows, and of relative years (今年, 过去一年) that need an anchor.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .facts import Section, text_of

SENT_END = set("。！？!?；;")
SENT_BREAK = re.compile("[" + re.escape("".join(sorted(SENT_END))) + "\n]")  # a sentence ends after one
HEADING_MAX = 24
ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
YEAR = re.compile(r"(?<![\d.到至])((?:19|20)\d\d)\s*年")
PLAN_START = re.compile(r"[“\"]?十([一二三四五六七八九])五[”\"]?(?:规划)?(?:的)?(?:开局之年|开局)")
# 十一五 began in 2006; each "十X五" plan is five years later than the previous one.
PLAN_FIRST_YEAR = {k: 2006 + i * 5 for i, k in enumerate("一二三四五六七八九")}


def plan_period(numeral: str) -> tuple[int, int]:
    """Years of the 十X五 five-year plan: 十四五 -> (2021, 2025)."""
    first = PLAN_FIRST_YEAR[numeral]
    return first, first + 4


def find_date(text: str, head: int = 400) -> str | None:
    """The first full date in the document's opening lines (its dateline)."""
    for m in ISO_DATE.finditer(text[:head]):
        y, mo, d = (int(g) for g in m.groups())
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


def guess_year(text: str) -> int | None:
    """The year 今年 refers to when no dateline gives it."""
    m = PLAN_START.search(text)
    if m:
        return plan_period(m.group(1))[0]
    years = Counter(int(y) for y in YEAR.findall(text))
    if not years:
        return None
    top = max(years.values())
    return min(y for y, n in years.items() if n == top)


def is_heading(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if s.startswith(("@", "#", "■")) or s.endswith("◢"):
        return True
    return len(s) <= HEADING_MAX and s[-1] not in SENT_END and s[-1] not in "，,：:、"


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences: split after end punctuation and at line breaks."""
    bounds, start = [], 0
    for m in SENT_BREAK.finditer(text):
        end = m.end()
        # keep closing quotes/brackets with the sentence they close
        while end < len(text) and text[end] in "”’」』)）":
            end += 1
        if text[start:end].strip():
            bounds.append((start, end))
        start = end
    if text[start:].strip():
        bounds.append((start, len(text)))
    return [(s, e) for s, e in _strip_bounds(text, bounds)]


def _strip_bounds(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in bounds:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def sections(text: str) -> list[Section]:
    """Spans of text under each heading line (the first section may have no heading)."""
    out: list[Section] = []
    pos = 0
    current = Section(0, 0, "")
    for line in text.splitlines(keepends=True):
        if is_heading(line):
            current.end = pos
            if current.end > current.start:
                out.append(current)
            heading = line.strip().lstrip("#@■ ").rstrip("◢ ")
            current = Section(pos, pos, heading)
        pos += len(line)
    current.end = len(text)
    out.append(current)
    return out


@Language.factory("plankg_structure")
def make_structure(nlp: Language, name: str) -> DocumentStructure:
    return DocumentStructure()


class DocumentStructure:
    """Sets sentence starts, sections and the document's date/year."""

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        starts = [s for s, _ in sentence_bounds(text)]
        if len(doc):
            # one array write: setting token.is_sent_start one by one re-checks the whole Doc each time
            flags = numpy.where(numpy.isin(doc.to_array(IDX), starts), 1, -1).astype("int64")
            flags[0] = 1
            doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))
        doc._.sections = sections(text)
        if not doc._.date:
            doc._.date = find_date(text)
        if doc._.year is None:
            doc._.year = int(doc._.date[:4]) if doc._.date else guess_year(text)
        return doc
