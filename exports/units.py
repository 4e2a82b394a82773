"""The unit vocabulary of targets: the unit text as written (亿元, %, 万平方米) -> a unit IRI.

Base units (元, %, 平方米, 个 ...) are declared once in ontology.ttl under https://w3id.org/plankg/unit/
with English and Chinese labels and, where QUDT has the same unit, skos:exactMatch to the QUDT IRI
(counting words such as 个/家/项 are skos:broadMatch qudt unit:NUM). A unit written with a Chinese scale
word (万, 亿, 千亿 ..., the table of plankg.graph.quantity) gets its own IRI, e.g. unit:HundredMillion-YUAN for 亿元, described in the data
itself with pkg:baseUnit and pkg:conversionMultiplier (1E8), so that values can be compared across scales
(pkg:valueInBaseUnit). Unit texts outside the table keep a percent-encoded IRI and just a label.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple
from urllib.parse import quote

from plankg.graph.quantity import split_scale

UNIT_BASE = "https://w3id.org/plankg/unit/"
QUDT_UNIT = "http://qudt.org/vocab/unit/"


class BaseUnit(NamedTuple):
    name: str  # local name under UNIT_BASE
    label_en: str
    qudt: str | None  # QUDT unit local name (skos:exactMatch), or None
    count: bool = False  # a counting word: skos:broadMatch unit:NUM


# Every base unit text the target recogniser knows (nlp/data/units.txt); ontology.ttl declares each.
BASE_UNITS: dict[str, BaseUnit] = {
    "元": BaseUnit("YUAN", "yuan (CNY)", "CCY_CNY"),
    "美元": BaseUnit("USD", "US dollar", "CCY_USD"),
    "%": BaseUnit("PERCENT", "percent", "PERCENT"),
    "个百分点": BaseUnit("PERCENTAGE_POINT", "percentage point", None),
    "平方公里": BaseUnit("KM2", "square kilometre", "KiloM2"),
    "平方千米": BaseUnit("KM2", "square kilometre", "KiloM2"),
    "平方米": BaseUnit("M2", "square metre", "M2"),
    "公顷": BaseUnit("HA", "hectare", "HA"),
    "亩": BaseUnit("MU", "mu (1/15 hectare)", None),
    "公里": BaseUnit("KM", "kilometre", "KiloM"),
    "千米": BaseUnit("KM", "kilometre", "KiloM"),
    "米": BaseUnit("M", "metre", "M"),
    "千瓦时": BaseUnit("KWH", "kilowatt hour", "KiloW-HR"),
    "千瓦": BaseUnit("KW", "kilowatt", "KiloW"),
    "兆瓦": BaseUnit("MW", "megawatt", "MegaW"),
    "吨": BaseUnit("TONNE", "tonne", "TON_Metric"),
    "斤": BaseUnit("JIN", "jin (500 g)", None),
    "天": BaseUnit("DAY", "day", "DAY"),
    "倍": BaseUnit("TIMES", "times (multiple)", None),
    "标箱": BaseUnit("TEU", "twenty-foot equivalent unit", None, True),
    "人次": BaseUnit("PERSON_TIME", "person-time (visits)", None, True),
    "人": BaseUnit("PERSON", "persons", None, True),
    "户": BaseUnit("HOUSEHOLD", "households", None, True),
    "家": BaseUnit("ENTERPRISE", "enterprises / institutions (家)", None, True),
    "个": BaseUnit("ITEM", "items (个)", None, True),
    "条": BaseUnit("ITEM_TIAO", "items (条)", None, True),
    "项": BaseUnit("ITEM_XIANG", "items (项)", None, True),
    "宗": BaseUnit("ITEM_ZONG", "items (宗)", None, True),
    "座": BaseUnit("ITEM_ZUO", "items (座)", None, True),
    "所": BaseUnit("ITEM_SUO", "institutions (所)", None, True),
    "套": BaseUnit("ITEM_TAO", "sets / dwellings (套)", None, True),
    "头": BaseUnit("HEAD", "head of livestock", None, True),
    "只": BaseUnit("ITEM_ZHI", "items / animals (只)", None, True),
    "辆": BaseUnit("VEHICLE", "vehicles", None, True),
    "片": BaseUnit("ITEM_PIAN", "items / areas (片)", None, True),
    "处": BaseUnit("SITE", "sites", None, True),
    "台": BaseUnit("MACHINE", "machines / sets (台)", None, True),
    "张": BaseUnit("ITEM_ZHANG", "items (张)", None, True),
    "间": BaseUnit("ROOM", "rooms", None, True),
    "栋": BaseUnit("BUILDING", "buildings", None, True),
    "艘": BaseUnit("VESSEL", "vessels", None, True),
    "架": BaseUnit("AIRCRAFT", "aircraft", None, True),
    "棵": BaseUnit("TREE", "trees", None, True),
    "株": BaseUnit("PLANT", "plants", None, True),
    "名": BaseUnit("PERSON_MING", "persons (名)", None, True),
    "次": BaseUnit("TIMES_CI", "times / occurrences (次)", None, True),
    "场": BaseUnit("EVENT_CHANG", "events / sessions (场)", None, True),
    "种": BaseUnit("KIND", "kinds (种)", None, True),
    "件": BaseUnit("ITEM_JIAN", "items (件)", None, True),
    "口": BaseUnit("ITEM_KOU", "wells / items (口)", None, True),
    "小时": BaseUnit("HOUR", "hour", "HR"),
    "立方米": BaseUnit("M3", "cubic metre", "M3"),
    "吉瓦": BaseUnit("GW", "gigawatt", "GigaW"),
    "GW": BaseUnit("GW", "gigawatt", "GigaW"),
    "MW": BaseUnit("MW", "megawatt", "MegaW"),
    "GWh": BaseUnit("GWH", "gigawatt hour", "GigaW-HR"),
    "公斤": BaseUnit("KG", "kilogram", "KiloGM"),
    "千克": BaseUnit("KG", "kilogram", "KiloGM"),
}


class Unit(NamedTuple):
    iri: str
    text: str
    base: BaseUnit | None  # None: unknown unit text
    multiplier: int  # value * multiplier is in the base unit


def base_unit_iri(base: BaseUnit) -> str:
    return UNIT_BASE + base.name


def parse_unit(text: str) -> Unit:
    """亿元 -> Unit(unit:HundredMillion-YUAN, base 元, 10**8); % -> unit:PERCENT; 万xyz -> encoded IRI."""
    text = text.strip()
    if text in BASE_UNITS:
        base = BASE_UNITS[text]
        return Unit(base_unit_iri(base), text, base, 1)
    scale, rest = split_scale(text)
    if scale is not None and rest in BASE_UNITS:
        base = BASE_UNITS[rest]
        return Unit(f"{UNIT_BASE}{scale.name}-{base.name}", text, base, scale.multiplier)
    return Unit(UNIT_BASE + quote(text or "none", safe=""), text, None, 1)


def in_base_unit(value: float, unit: Unit) -> Decimal:
    """value expressed in the base unit, exactly (Decimal arithmetic: 35.5 亿元 -> 3550000000)."""
    return Decimal(repr(value)) * unit.multiplier
