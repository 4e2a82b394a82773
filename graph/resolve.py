"""Entity resolution within one document: which of its names are one thing.

The graph keys an entity by its type and canonical name (a District by its division code);
these functions decide that key from the names one document uses, before its facts are merged
with the corpus (graph/builder.py resolves across documents by alias).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from .datafiles import read_lines, read_table
from .divisions import DATA_DIR, Division, district_identity, divisions, short_forms
from .model import EntityKey, EntityRecord, Level, NodeType, Relation, RelationRecord

# types whose short forms fold into a longer name of the same document
ALIAS_FOLD_TYPES = (NodeType.PLATFORM, NodeType.PROJECT, NodeType.ORGANIZATION, NodeType.EVENT)


def fold_aliases(entities: dict[EntityKey, EntityRecord], places: set[str]) -> dict[EntityKey, EntityKey]:
    """Within one text, a name that ends another of the same type is its short form
    (国际金融城 -> 广州国际金融城), as are a zone's proper part (青禾 of 青禾经济开发区) and a company's
    name without its legal form (某某 of 某某集团), so both become one entity: returns short key ->
    long key and adds the short names to the long record's aliases. A meeting differs from one with
    a wider scope (全市高质量发展大会), so events fold only behind a place name (`places`)."""
    mapping: dict[EntityKey, EntityKey] = {}
    names = sorted(entities, key=lambda k: -len(k[1]))
    # a name's proper part: a zone's without its kind, a company's without its legal form
    proper = {k: STEMS[k[0]](k[1]) if k[0] in STEMS else "" for k in names}

    def shortens(name: str, long: EntityKey) -> bool:
        if long[1].endswith(name) and len(name) >= 3:
            return True
        stem = proper[long]
        if long[0] == NodeType.ORGANIZATION:  # 某某制药 of 吉林某某制药有限公司
            return stem != "" and (stem == name or len(name) >= 3 and stem.endswith(name))
        return stem == name != ""

    for key in names:
        etype, name = key
        if etype not in ALIAS_FOLD_TYPES or len(name) < 2:
            continue
        longer = [
            k
            for k in names
            if k[0] == etype
            and len(k[1]) > len(name)
            and shortens(name, k)
            and k not in mapping
            and (etype != NodeType.EVENT or k[1][: -len(name)] in places)
        ]
        if len(longer) == 1:  # ambiguous short names (全省/全市高质量发展大会) stay apart
            mapping[key] = longer[0]
            entities[longer[0]].aliases.append(name)
            entities[longer[0]].aliases.extend(entities[key].aliases)
            entities[longer[0]].confidence = max(entities[longer[0]].confidence, entities[key].confidence)
    return mapping


@cache
def company_forms() -> tuple[str, ...]:
    return tuple(sorted(read_lines(DATA_DIR / "company_forms.txt"), key=len, reverse=True))


def ending(name: str, forms: Iterable[str]) -> str:
    """The first of `forms` (longest first) that ends `name` and leaves two characters or more
    before it; "" when none does."""
    return next((f for f in forms if name.endswith(f) and len(name) - len(f) >= 2), "")


def company_stem(name: str) -> str:
    """某某 of 某某集团有限公司: a company's name without its legal form (empty when it has none, or
    leaves under two characters)."""
    form = ending(name, company_forms())
    stem = name[: -len(form)] if form else ""
    return "" if stem.endswith(("有限", "股份", "有限责任")) else stem  # 有限公司 alone


def named_district(name: str) -> EntityRecord:
    """A District known only by its name (an owner named inside another name: 南宁经开区 -> 南宁市):
    its code when the gazetteer has exactly one division of that name."""
    namesakes = divisions().by_name.get(name, [])
    code = namesakes[0].code if len(namesakes) == 1 else ""
    return EntityRecord(
        NodeType.DISTRICT, name, aliases=short_forms(name), identity=district_identity(name, code)
    )


# -- bodies named by their level only ------------------------------------------------------------
# the level characters a title or a body name opens with, and the divisions they can name: the levels
# and the name endings of a division of that level (市 is also a county-level city: 琼海市)
LEVEL_OF_CHAR: dict[str, tuple[tuple[Level, ...], tuple[str, ...]]] = {
    "省": ((Level.PROVINCE,), ("省",)),
    "市": ((Level.CITY, Level.COUNTY), ("市",)),
    "州": ((Level.CITY,), ("州",)),
    "盟": ((Level.CITY,), ("盟",)),
    "区": ((Level.COUNTY,), ("区",)),
    "县": ((Level.COUNTY,), ("县",)),
    "旗": ((Level.COUNTY,), ("旗",)),
    "镇": ((Level.TOWN,), ("镇",)),
    "乡": ((Level.TOWN,), ("乡",)),
    "街道": ((Level.TOWN,), ("街道",)),
}
_LEVEL = "街道|[省市州盟区县旗镇乡]"
# the roles a person holds in a department (局长, 副主任, 党组书记 ...)
ROLE = r"(?:党组|党委|党工委)?(?:常务|专职|代理|代)?副?(?:局长|主任|部长|厅长|书记|主席|秘书长|组长|委员|成员|负责人)"
# a title in a department of a level-only body: 区发改局局长, 县委宣传部副部长, 市政府办公室主任
DEPARTMENT_TITLE = re.compile(
    rf"^(?P<level>{_LEVEL})(?P<dept>委(?:宣传部|组织部|统战部|政法委|办公室|办|农办|编办|政研室)|政府办公室|政府办|"
    rf"(?!委|政府|人民政府|人大|政协|党委|党工委)[^、，,]{{1,10}}?(?:局|委员会|委|办公室|办|中心|厅|署))"
    rf"(?P<role>{ROLE})$"
)
# an organisation named by its level only: 区委宣传部, 县政府办公室, 区商务局, 县人大常委会
LEVEL_BODY = re.compile(
    rf"^(?P<level>{_LEVEL})(?P<dept>委(?:宣传部|组织部|统战部|政法委|办公室|办|农办|编办|政研室)|政府办公室|政府办|"
    rf"人大常委会|政协|纪委监委|纪委|(?!委|政府|人民政府|党委|党工委)[^、，,]{{1,10}}?(?:局|委员会|委|办公室|中心|厅|署))$"
)
TITLE_LEVEL = re.compile(rf"^(?:常务副|副|代理|代)?({_LEVEL})")
# the level character written twice where a post phrase drops the place's stem (吴江区区长 -> 区区长)
DOUBLED_LEVEL = re.compile(r"^([省市区县州盟旗镇乡])((?:常务副|副|代理|代)?\1长)$")
ZONE_BODY = re.compile(r"^(?P<zone>.*?)(?P<body>党工委|管委会|管理委员会|工委)$")
# a title in a zone's own body, the zone left unsaid: 管委会主任, 党工委副书记
ZONE_TITLE = re.compile(
    r"^(?P<body>党工委|管委会|管理委员会)(?P<role>(?:常务|专职|代理|代)?副?(?:主任|书记|委员|成员))$"
)


@cache
def department_names() -> dict[str, str]:
    return {row[0]: row[1] for row in read_table(DATA_DIR / "body_names.tsv")}


@cache
def zone_words() -> dict[str, tuple[str, ...]]:
    """经开区 -> (经开区, 经济技术开发区, 经济开发区): a kind of zone and the forms of its name."""
    return {
        row[0]: (row[0], *(f for f in (row[1] if len(row) > 1 else "").split(",") if f))
        for row in read_table(DATA_DIR / "zones.tsv")
    }


def zone_stem(name: str) -> str:
    """The proper part of a zone's name (青禾经济开发区 -> 青禾, 溪岚先行区 -> 溪岚): texts name a
    zone by it alone. Empty when the name does not end with a kind of zone, or leaves under two
    characters, or only a kind (经济开发区 -> 开发区 is no stem)."""
    form = "" if is_generic_zone(name) else ending(name, zone_forms())
    stem = name[: -len(form)] if form else ""
    return "" if is_generic_zone(stem) or stem.endswith(("区", "园")) else stem


@cache
def zone_forms() -> tuple[str, ...]:
    """Every written form of every kind of zone, longest first."""
    return tuple(sorted({f for kind, fs in zone_words().items() for f in (kind, *fs)}, key=len, reverse=True))


ABBREVIATED_KINDS = ("经开区", "高新区", "自贸区", "自贸港", "综保区")  # the kinds texts write short


@cache
def long_kind_forms() -> dict[str, str]:
    """The long forms of the kinds texts write short, with the short kind (经济技术开发区 -> 经开区):
    kind by kind, longest first within a kind."""
    words = zone_words()
    return {
        form: kind
        for kind in ABBREVIATED_KINDS
        for form in sorted(words.get(kind, ())[1:], key=len, reverse=True)
    }


def zone_short_name(name: str) -> str:
    """A zone's name with its kind written short (江苏某某经济开发区 -> 江苏某某经开区, 某自由贸易港 ->
    某自贸港): texts write either. Empty when the name does not end with a long form of such a kind."""
    forms = long_kind_forms()
    form = ending(name, forms)
    return name[: -len(form)] + forms[form] if form else ""


STEMS = {NodeType.PLATFORM: zone_stem, NodeType.ORGANIZATION: company_stem}  # a name's proper part, by type


def is_generic_zone(name: str) -> bool:
    """高新区, 经开区, 园区: a kind of zone, not the name of one."""
    return name in zone_words()


def is_bare_kind(name: str) -> bool:
    """经开区, 园区, 管委会, 党工委: a kind of zone or of zone body with no name before it. A text calls its
    own zone so, but across texts the word names a different thing in every one, so it is no alias of
    a node (a corpus-wide alias 经开区 would equate every such zone with every other)."""
    zone = ZONE_BODY.match(name)
    return is_generic_zone(name) or bool(zone and not zone["zone"])


def is_generic_body(name: str) -> bool:
    """县发改局, 经开区党工委, 管委会: a body that is a different one in every text."""
    zone = ZONE_BODY.match(name)
    return bool(LEVEL_BODY.match(name)) or bool(zone and (not zone["zone"] or is_generic_zone(zone["zone"])))


def division_of_level(level: str, division: Division) -> Division | None:
    """The division a level word (市 in 市委书记, 县 in 县发改局) names in a text about `division`: the
    division itself or the nearest containing one of that level (区发改局 in 成华区 -> 成华区; 市委 in
    成华区 -> 成都市; 市委 in 琼海市, a county-level city -> 琼海市)."""
    levels, endings = LEVEL_OF_CHAR[level]
    for d in [division, *divisions().ancestors(division)]:
        if d.level in levels and d.name.endswith(endings):
            return d
    return None


def department_name(division: Division, dept: str) -> str:
    """The full name of a department of a division: (长丰县, 发改局) -> 长丰县发展和改革局."""
    names = department_names()
    if dept in names:
        return division.name + names[dept]
    if dept.startswith("委") and dept[1:] in names:  # 委办 is listed; 委宣传部 keeps its form
        return division.name + "委" + names[dept[1:]]
    return division.name + dept


def unique_division(name: str) -> Division | None:
    """The division of that full name, when the gazetteer has exactly one."""
    found = divisions().by_name.get(name, [])
    return found[0] if len(found) == 1 else None


def title_level(title: str) -> str | None:
    """The level word a title opens with: 副县长 -> 县, 市委书记 -> 市, 书记 -> None."""
    m = TITLE_LEVEL.match(title)
    return m.group(1) if m else None


def split_by_body(rel: RelationRecord, titles: dict[EntityKey, list[str]]) -> list[RelationRecord]:
    """One holds_post per body, with the titles held in it joined by 、."""
    return [
        RelationRecord(
            rel.head,
            rel.relation,
            body,
            rel.sentence,
            rel.start,
            rel.end,
            dict(rel.attrs, title="、".join(roles)),
            rel.confidence,
        )
        for body, roles in titles.items()
    ]


class BodyResolver:
    """Keys the bodies one document names by their level only (县发改局, 经开区党工委, 市委) by the district
    or zone they belong to, so that each is one body and not the same node in every text:

    * an Organization named by level only is the body of the district its sentence speaks of (its record's
      `places`), of that level: 县发改局 -> 长丰县发展和改革局, the text's form an alias;
    * a zone's 党工委 / 管委会 (经开区党工委) belongs to the zone of that kind the text names
      (保定经济技术开发区党工委), else to the district it speaks of (沁水县经开区党工委);
    * a post in a department (区发改局局长 at 成华区) is a post in that department (成华区发展和改革局, 局长);
    * a post whose level is not its district's (市委书记 in a sentence about 成华区) is in the division of
      that level that contains it (成都市), when the text names that division.
    """

    def __init__(self, entities: dict[EntityKey, EntityRecord], zones: Iterable[str] = ()) -> None:
        self.entities = entities
        self.zones = sorted(set(zones))
        self.index = divisions()

    def division(self, name: str) -> Division | None:
        record = self.entities.get(EntityKey(NodeType.DISTRICT, name))
        code = record.attrs.get("code", "") if record else ""
        return self.index.by_code.get(code)

    def near(self, owner: Division, spoken_of: str) -> list[str]:
        """The places of a body of `owner`: the owner when the text names it, else the district spoken of."""
        return [owner.name if EntityKey(NodeType.DISTRICT, owner.name) in self.entities else spoken_of]

    def add(self, record: EntityRecord, alias: str = "") -> EntityKey:
        key = EntityKey(record.type, record.name)
        existing = self.entities.setdefault(key, record)
        if alias and alias != key.name and alias not in existing.aliases:
            existing.aliases.append(alias)
        return key

    def zone_of(self, word: str) -> str | None:
        """The one zone of a kind (经开区) the text names: a zone acting as a district first, else any."""
        forms = (
            zone_words().get(word, (word,)) if word else tuple(f for fs in zone_words().values() for f in fs)
        )
        names = set()
        for k in self.entities:  # zones named as platforms, or inside their bodies' names (阳城经开区党工委)
            body = ZONE_BODY.match(k.name) if k.type == NodeType.ORGANIZATION else None
            name = k.name if k.type == NodeType.PLATFORM else body["zone"] if body else ""
            if name and not is_generic_zone(name) and name.endswith(forms):
                names.add(name)
        named = sorted(names)
        for pool in ([n for n in named if n in self.zones], named):
            if len(pool) == 1:
                return pool[0]
        return None

    def named_department(self, name: str) -> tuple[Division, str] | None:
        """(仙游县, 发改局) for 仙游县发改局: a division's name and a department's short name."""
        for n in range(len(name) - 2, 1, -1):
            if name[n:] in department_names():
                owner = self.division(name[:n]) or unique_division(name[:n])
                if owner is not None:
                    return owner, name[n:]
        return None

    def organisation_key(self, key: EntityKey) -> EntityKey | None:
        """The full key of an Organization named by its level only, or None when it is named in full."""
        record = self.entities[key]
        place = next((d for d in map(self.division, record.places) if d is not None), None)
        level = LEVEL_BODY.match(key.name)
        if level:
            owner = division_of_level(level["level"], place) if place else None
            if owner is None:
                return None
            return self.add(
                EntityRecord(
                    NodeType.ORGANIZATION,
                    department_name(owner, level["dept"]),
                    places=self.near(owner, place.name if place else owner.name),
                ),
                key.name,
            )
        named = self.named_department(key.name)
        if named:  # 仙游县发改局 -> 仙游县发展和改革局
            owner, dept = named
            return self.add(
                EntityRecord(
                    NodeType.ORGANIZATION, department_name(owner, dept), places=self.near(owner, owner.name)
                ),
                key.name,
            )
        zone = ZONE_BODY.match(key.name)
        if zone and (not zone["zone"] or is_generic_zone(zone["zone"])):
            named = self.zone_of(zone["zone"])
            if named:
                full = named + zone["body"]
            elif place is not None and zone["zone"]:
                full = place.name + key.name
            else:
                return None
            return self.add(EntityRecord(NodeType.ORGANIZATION, full, places=record.places[:1]), key.name)
        return None

    def post_bodies(self, rel: RelationRecord) -> list[RelationRecord]:
        """A holds_post at a District, split by the bodies its titles name (区委常委、区发改局局长 -> the
        District and its 发展和改革局)."""
        division = self.division(rel.tail.name)
        title = rel.attrs.get("title", "")
        if division is None or not title:
            return [rel]
        titles: dict[EntityKey, list[str]] = {}
        for part in title.split("、"):
            part = DOUBLED_LEVEL.sub(r"\2", part)  # 区区长 -> 区长, 市副市长 -> 副市长
            body, role = rel.tail, part
            dept = DEPARTMENT_TITLE.match(part)
            level = title_level(part)
            zone = ZONE_TITLE.match(part)
            if dept:
                owner = division_of_level(dept["level"], division)
                if owner is not None:
                    alias = dept["level"] + dept["dept"]
                    body = self.add(
                        EntityRecord(
                            NodeType.ORGANIZATION,
                            department_name(owner, dept["dept"]),
                            places=self.near(owner, rel.tail.name),
                        ),
                        alias,
                    )
                    role = dept["role"]
            elif zone and (named := self.zone_of("")):
                body = self.add(
                    EntityRecord(NodeType.ORGANIZATION, named + zone["body"], places=[division.name]),
                    zone["body"],
                )
                role = zone["role"]
            elif level:  # 市委书记 in a sentence about 成华区: 成都市, when the text names it
                owner = division_of_level(level, division)
                if owner is not None and owner.code != division.code:
                    named = EntityKey(NodeType.DISTRICT, owner.name)
                    if self.division(owner.name) == owner:
                        body = named
            titles.setdefault(body, []).append(role)
        return split_by_body(rel, titles)

    def __call__(
        self, relations: list[RelationRecord]
    ) -> tuple[list[RelationRecord], dict[EntityKey, EntityKey]]:
        """The relations with their bodies resolved, and old key -> new key of the renamed records."""
        renamed: dict[EntityKey, EntityKey] = {}
        for (
            rel
        ) in relations:  # a department named only in a post (仙游县发改局局长) is an Organization of the text
            if (
                rel.relation == Relation.HOLDS_POST
                and rel.tail.type == NodeType.ORGANIZATION
                and self.named_department(rel.tail.name)
            ):
                self.entities.setdefault(
                    EntityKey(*rel.tail), EntityRecord(NodeType.ORGANIZATION, rel.tail.name)
                )
        for key in sorted(k for k in self.entities if k.type == NodeType.ORGANIZATION):
            new = self.organisation_key(key)
            if new is not None and new != key:
                renamed[key] = new
                self.entities[new].aliases.extend(
                    a
                    for a in self.entities[key].aliases
                    if a not in self.entities[new].aliases and a != new.name
                )
        for key in renamed:
            del self.entities[key]
        out = []
        for rel in relations:
            rel.head, rel.tail = renamed.get(rel.head, rel.head), renamed.get(rel.tail, rel.tail)
            if rel.relation == Relation.HOLDS_POST and rel.tail.type == NodeType.DISTRICT:
                out += self.post_bodies(rel)
            elif rel.relation == Relation.HOLDS_POST and (zone := self.zone_named(rel.tail)):
                out += self.zone_posts(rel, zone)
            else:
                out.append(rel)
        return out, renamed

    def zone_named(self, key: EntityKey) -> str | None:
        """The zone a post's body is, or is a body of: a zone in focus (a Platform acting as a district),
        or the zone part of its 党工委 / 管委会 (德阳高新区党工委)."""
        if key.type == NodeType.PLATFORM and key.name in self.zones:
            return key.name
        body = ZONE_BODY.match(key.name) if key.type == NodeType.ORGANIZATION else None
        return body["zone"] if body and body["zone"] and not is_generic_zone(body["zone"]) else None

    def zone_posts(self, rel: RelationRecord, zone: str) -> list[RelationRecord]:
        """Posts at a zone split by the body each title names: 管委会主任 is in the zone's 管委会, and
        党工委副书记 in its 党工委 (guidelines: a zone's 党工委 / 管委会 are Organizations)."""
        titles: dict[EntityKey, list[str]] = {}
        for part in (rel.attrs.get("title") or "").split("、"):
            titled = ZONE_TITLE.match(part)
            body = rel.tail
            if titled:
                record = EntityRecord(NodeType.ORGANIZATION, zone + titled["body"], places=[])
                body = self.add(record)
            titles.setdefault(body, []).append(part)
        return split_by_body(rel, titles)
