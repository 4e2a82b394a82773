"""One table of Chinese scale words serves the recogniser, the RDF writer and `plankg eval`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plankg.evaluate import base_figure
from plankg.exports.units import in_base_unit as rdf_base_value
from plankg.exports.units import parse_unit
from plankg.graph.quantity import in_base_unit, split_scale


@pytest.mark.parametrize(
    ("value", "unit", "yuan"),
    [
        (1, "千亿元", 10**11),
        (50, "百亿元", 5 * 10**11),
        (3, "千万元", 3 * 10**7),
        (2, "万亿元", 2 * 10**12),
        (35.5, "亿元", 3_550_000_000),
        (8, "万元", 80_000),
    ],
)
def test_every_scale_word_gives_the_value_in_yuan(value: float, unit: str, yuan: int) -> None:
    base_value, base = in_base_unit(value, unit)
    assert (base_value, base) == (Decimal(yuan), "元")
    rdf_unit = parse_unit(unit)
    assert rdf_unit.base is not None and rdf_unit.base.name == "YUAN"
    assert rdf_base_value(value, rdf_unit) == Decimal(yuan)
    assert base_figure(value, unit) == (pytest.approx(yuan), "元")


def test_units_without_a_scale_word_stay_as_they_are() -> None:
    assert split_scale("%") == (None, "%")
    assert split_scale("亿") == (None, "亿")  # a scale word alone is the unit as written
    assert parse_unit("千瓦").base.name == "KW"  # a unit that starts with 千 is not 1000 瓦 in RDF
