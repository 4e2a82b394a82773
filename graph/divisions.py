"""The national gazetteer of administrative divisions (graph/data/divisions.tsv).

Both sides need it: the recognisers find divisions in text, and the graph keys a division by
its code so that namesakes in different cities (two 鼓楼区) stay apart. It lives here, in the
model layer, so that `nlp/` imports it from `graph/` and nothing imports back up the flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .datafiles import read_lines, read_table
from .model import Level

DATA_DIR = Path(__file__).parent / "data"
BANNER_ABBREV = {"左翼": "左", "右翼": "右"}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: Level
    parent: str | None


@cache
def division_suffixes() -> tuple[str, ...]:
    return tuple(read_lines(DATA_DIR / "division_suffixes.txt"))


@cache
def ethnic_groups() -> tuple[str, ...]:
    """The 56 ethnic groups, with and without 族 where the name stays two characters or more
    (巴里坤哈萨克自治县 writes 哈萨克), longest first."""
    names = set()
    for group in read_lines(DATA_DIR / "ethnic_groups.txt"):
        names.add(group)
        if len(group) >= 3:
            names.add(group[:-1])
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def autonomous_head(stem: str) -> str:
    """The place name before the ethnic groups of an autonomous unit: 务川仡佬族苗族 -> 务川."""
    groups = ethnic_groups()
    while True:
        found = next((g for g in groups if stem.endswith(g) and len(stem) - len(g) >= 2), None)
        if found is None:
            return stem
        stem = stem[: -len(found)]


def short_forms(name: str) -> list[str]:
    """Short forms a text may use for a division: 天河区 -> 天河, 科尔沁右翼中旗 -> 科右中旗,
    务川仡佬族苗族自治县 -> 务川, 务川县; 湘西土家族苗族自治州 -> 湘西, 湘西州."""
    forms = []
    for suffix in division_suffixes():
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                head = autonomous_head(stem)
                if head != stem:
                    forms.append(head)
                    if suffix[-1] in "县州旗":
                        forms.append(head + suffix[-1])
                    break
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
    for row in read_table(DATA_DIR / "divisions.tsv")[1:]:
        code, name, level, parent = (row + [""] * 4)[:4]
        div = Division(code, name, Level(level), parent or None)
        index.by_code[code] = div
        index.by_name.setdefault(name, []).append(div)
    for div in index.by_code.values():
        if div.level == Level.TOWN:
            continue  # town short forms are too often ordinary words; accepted only after the full form
        for form in short_forms(div.name):
            index.by_short.setdefault(form, []).append(div)
    return index


def district_identity(name: str, code: str) -> str:
    """The node key of a division: its name, or name#code for all but the first of namesakes
    in the national gazetteer (朝阳区 in Beijing, 朝阳区#220104 in Changchun). Fixed by the
    gazetteer, so the same division gets the same key in every build."""
    namesakes = sorted(d.code for d in divisions().by_name.get(name, []))
    if not code or not namesakes or code == namesakes[0]:
        return name
    return f"{name}#{code}"
