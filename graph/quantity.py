"""Chinese scale words (万, 亿, 千亿 ...): one table (graph/data/scales.tsv) for every reader.

A target's unit is kept as written (亿元); comparing figures across scales needs the value in
its base unit (7000 亿元 == 7e11 元), which `split_scale` and `in_base_unit` give.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

from .datafiles import read_table

DATA_DIR = Path(__file__).parent / "data"


class Scale(NamedTuple):
    word: str  # 亿
    name: str  # HundredMillion (used in unit IRIs)
    multiplier: int  # 10**8


@cache
def scales() -> tuple[Scale, ...]:
    """The scale words, longest first where one starts another (万亿 before 万)."""
    return tuple(Scale(word, name, int(factor)) for word, name, factor in read_table(DATA_DIR / "scales.tsv"))


def scale_words() -> tuple[str, ...]:
    return tuple(s.word for s in scales())


def split_scale(unit: str) -> tuple[Scale | None, str]:
    """亿元 -> (亿, 元); 千亿 -> (None, 千亿): a scale word alone is the unit; % -> (None, %)."""
    for scale in scales():
        if unit.startswith(scale.word) and len(unit) > len(scale.word):
            return scale, unit[len(scale.word) :]
    return None, unit


def in_base_unit(value: float, unit: str) -> tuple[Decimal, str]:
    """The value in the unit without its scale word, exactly: (35.5, 亿元) -> (3550000000, 元)."""
    scale, base = split_scale(unit)
    return Decimal(repr(float(value))) * (scale.multiplier if scale else 1), base
