"""Administrative divisions of every level, matched on characters against the national gazetteer.

Full names (天河区, 虎门镇) are always taken. Short forms (天河, 科右中旗) are ambiguous with
ordinary words and with namesakes elsewhere, so they are taken only when the document
anchors them: the full form, or a containing division, appears in the same text.
"""

from __future__ import annotations

from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.divisions import Division, DivisionIndex, divisions, short_forms
from plankg.graph.model import Level, NodeType

from .facts import Mention, text_of
from .lexicon import LongestMatcher, word_set

LEVEL_RANK = {level: rank for rank, level in enumerate(Level)}  # province first
# Statistical units that are development zones or farms, not administrative divisions: the
# guidelines make zones Platforms.
ZONE_SUFFIXES = (
    "园区",
    "开发区",
    "高新区",
    "经开区",
    "示范区",
    "试验区",
    "管理区",
    "管委会",
    "委员会",
    "合作区",
    "保税区",
    "农场",
    "林场",
    "牧场",
    "海域",
    "渔场",
    "基地",
)


class DistrictRecognizer:
    def __init__(self) -> None:
        index = divisions()
        self.index = index
        self.full = LongestMatcher(index.by_name)
        self.short = LongestMatcher(index.by_short)
        self.not_places = word_set("not_places.txt")
        self.vocabulary = word_set("common_words.txt")

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        full_hits = list(self.full.finditer(text))
        full_names = {name for _, _, name in full_hits}
        candidates: list[tuple[int, int, str, list[Division], bool]] = []
        counts = Counter(name for *_, name in full_hits)
        for s, e, name in full_hits:
            if name in self.not_places or name.endswith(ZONE_SUFFIXES):
                continue  # 城区, 郊区: division names that are ordinary words
            options = self.index.by_name[name]
            weak = len(name) == 2 or (
                all(d.level == Level.TOWN for d in options) and name[:-1] in self.vocabulary and counts[name] < 2
            )  # 理县 inside 管理县, 发展乡: need the containing division in the text too
            candidates.append((s, e, name, options, not weak))
        covered = {i for s, e, _ in full_hits for i in range(s, e)}
        for s, e, form in self.short.finditer(text):
            if any(i in covered for i in range(s, e)) or form in self.not_places:
                continue
            candidates.append((s, e, form, self.index.by_short[form], False))
        # a town's short form (虎门 for 虎门镇) only once the text has named the town in full
        accepted = {
            name for *_, name, _, is_full in candidates if is_full and not name.endswith(ZONE_SUFFIXES)
        }
        towns = {name: [d for d in self.index.by_name[name] if d.level == Level.TOWN] for name in accepted}
        town_forms = {f: divs for name, divs in towns.items() if divs for f in short_forms(name)}
        if town_forms:
            taken = covered | {i for s, e, *_ in candidates for i in range(s, e)}
            for s, e, form in LongestMatcher(town_forms).finditer(text):
                if not any(i in taken for i in range(s, e)):
                    candidates.append((s, e, form, town_forms[form], False))

        # Divisions named in full anchor their own short forms and those of places inside them.
        anchors = [d for name in full_names for d in self.index.by_name[name]]
        anchoring = Anchoring(self.index, anchors)
        chosen: list[tuple[int, int, str, Division]] = []
        for s, e, surface, options, is_full in candidates:
            div = self.choose(options, anchoring, surface, is_full, full_names)
            if div is not None:
                chosen.append((s, e, surface, div))
        mentions = doc._.mentions if doc._.mentions is not None else []
        for s, e, surface, div in chosen:
            if s > 0 and text[s - 1] in "全各本该我":  # 全市, 我区: not a name
                continue
            mentions.append(
                Mention(
                    s,
                    e,
                    NodeType.DISTRICT,
                    surface,
                    canonical=div.name,
                    source="gazetteer",
                    attrs={"code": div.code, "level": div.level},
                )
            )
        doc._.mentions = mentions
        return doc

    def choose(
        self, options: list[Division], anchoring: Anchoring, surface: str, is_full: bool, full_names: set
    ) -> Division | None:
        """Pick the division a surface form refers to, or None when nothing anchors a short form."""

        def anchored(d: Division) -> bool:
            return (d.name in full_names and d.name != surface) or anchoring.related(d)

        ranked = sorted(options, key=lambda d: (not anchored(d), LEVEL_RANK[d.level], d.code))
        best = ranked[0]
        if is_full or best.level in (Level.PROVINCE, Level.CITY) or anchored(best):
            return best
        if best.level == Level.COUNTY and len(surface) >= 3 and surface not in full_names:
            return best  # 科右中旗: a distinctive short form of a county
        return None


class Anchoring:
    """Which divisions the anchors of one document vouch for: the anchors' ancestors and
    descendants. Sets of codes, so each candidate costs a few lookups, not a walk over
    every anchor's ancestry."""

    def __init__(self, index: DivisionIndex, anchors: list[Division]) -> None:
        self.index = index
        self.codes = {a.code for a in anchors}
        self.above = {p.code for a in anchors for p in index.ancestors(a)}  # contain an anchor

    def related(self, d: Division) -> bool:
        """d contains an anchor or lies inside one (a division never contains itself)."""
        return d.code in self.above or any(a.code in self.codes for a in self.index.ancestors(d))


@Language.factory("plankg_districts")
def make_districts(nlp: Language, name: str) -> DistrictRecognizer:
    return DistrictRecognizer()
