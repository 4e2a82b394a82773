"""Loading the knowledge files in nlp/data (gazetteers, suffix grammars, word lists).

Everything the recognisers know lives in data files; this module only reads them once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file, in file order."""
    out = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def read_table(name: str) -> list[list[str]]:
    return [line.split("\t") for line in read_lines(name)]


@cache
def word_set(name: str) -> frozenset[str]:
    return frozenset(read_lines(name))


class LongestMatcher:
    """Longest-match lookup of a word set in text, scanning by character.

    Matching on characters (not tokens) keeps names whole even where the segmenter
    splits them.
    """

    def __init__(self, words: Iterable[str]):
        self.words = {w for w in words if w}
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)
        # lengths of the words behind each first character: most positions fail on one lookup
        by_first: dict[str, set[int]] = {}
        for w in self.words:
            by_first.setdefault(w[0], set()).add(len(w))
        self.by_first = {ch: sorted(ns, reverse=True) for ch, ns in by_first.items()}
        self.first_chars = set(self.by_first)

    def match_at(self, text: str, i: int) -> str | None:
        lengths = self.by_first.get(text[i]) if i < len(text) else None
        if not lengths:
            return None
        for n in lengths:
            piece = text[i : i + n]
            if len(piece) == n and piece in self.words:
                return piece
        return None

    def ending_at(self, text: str, end: int) -> str | None:
        """Longest word that ends exactly at `end`."""
        for n in self.lengths:
            if n <= end and text[end - n : end] in self.words:
                return text[end - n : end]
        return None

    def finditer(self, text: str) -> Iterable[tuple[int, int, str]]:
        i = 0
        while i < len(text):
            word = self.match_at(text, i)
            if word:
                yield i, i + len(word), word
                i += len(word)
            else:
                i += 1


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province | city | county | town
    parent: str | None


DIVISION_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "街道办事处",
    "街道",
    "地区",
    "林区",
    "新区",
    "矿区",
    "省",
    "市",
    "区",
    "县",
    "镇",
    "乡",
    "旗",
    "盟",
)

BANNER_ABBREV = {"左翼": "左", "右翼": "右"}


def short_forms(name: str) -> list[str]:
    """Short forms a text may use for a division: 天河区 -> 天河, 科尔沁右翼中旗 -> 科右中旗."""
    forms = []
    for suffix in DIVISION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            # Ethnic autonomous units: 延边朝鲜族自治州 -> 延边; 内蒙古自治区 -> 内蒙古.
            if "族" in stem and suffix.startswith("自治"):
                head = stem[: stem.index("族")]
                for n in (2, 3):
                    if len(head) > n:
                        forms.append(head[:n])
                stem = head if len(head) == 2 else stem
            forms.append(stem)
            break
    for wing, short in BANNER_ABBREV.items():
        if wing in name and name.endswith("旗"):
            before, after = name.split(wing, 1)
            forms.append(before[0] + short + after)  # 科尔沁右翼中旗 -> 科右中旗
    return [f for f in dict.fromkeys(forms) if f != name and len(f) >= 2]


@dataclass
class DivisionIndex:
    by_code: dict[str, Division] = field(default_factory=dict)
    by_name: dict[str, list[Division]] = field(default_factory=dict)
    by_short: dict[str, list[Division]] = field(default_factory=dict)

    _ancestors: dict[str, list[Division]] = field(default_factory=dict)

    def ancestors(self, division: Division) -> list[Division]:
        """Containing divisions, nearest first (cached: asked for again and again)."""
        cached = self._ancestors.get(division.code)
        if cached is None:
            cached, code = [], division.parent
            while code and code in self.by_code:
                cached.append(self.by_code[code])
                code = self.by_code[code].parent
            self._ancestors[division.code] = cached
        return cached

    def is_inside(self, child: Division, parent: Division) -> bool:
        return any(a.code == parent.code for a in self.ancestors(child))


@cache
def divisions() -> DivisionIndex:
    index = DivisionIndex()
    for row in read_table("divisions.tsv")[1:]:
        code, name, level, parent = (row + [""] * 4)[:4]
        div = Division(code, name, level, parent or None)
        index.by_code[code] = div
        index.by_name.setdefault(name, []).append(div)
    for div in index.by_code.values():
        if div.level == "town":
            continue  # town short forms are too often ordinary words; accepted only after the full form
        for form in short_forms(div.name):
            index.by_short.setdefault(form, []).append(div)
    return index


@cache
def name_suffixes() -> dict[str, tuple[str, int]]:
    return {row[0]: (row[1], int(row[2])) for row in read_table("name_suffixes.tsv")}


@cache
def surnames() -> frozenset[str]:
    return word_set("surnames.txt")


@cache
def titles() -> LongestMatcher:
    return LongestMatcher(read_lines("titles.txt"))


@cache
def industries() -> frozenset[str]:
    return word_set("industries.txt")
