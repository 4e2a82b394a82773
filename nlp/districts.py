"""Administrative divisions of every level, matched on characters against the national gazetteer.

Full names (天河区, 虎门镇) are always taken. Short forms (天河, 科右中旗) are ambiguous with
ordinary words and with namesakes elsewhere, so they are taken only when the document
anchors them: the full form, or a containing division, appears in the same text.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.divisions import Division, DivisionIndex, division_suffixes, divisions, short_forms
from plankg.graph.model import Level, NodeType

from .component import KnowledgeComponent
from .facts import Mention, text_of
from .lexicon import Lexicon, LongestMatcher, TextCodes
from .text import is_cjk

LEVEL_RANK = {level: rank for rank, level in enumerate(Level)}  # province first
NOT_A_NAME_BEFORE = "全各本该我"  # 全市, 我区, 该县: a level word, not a division's name


def zone_suffixes(lexicon: Lexicon, kinds: tuple[str, ...] = ("zone", "unit")) -> tuple[str, ...]:
    """Suffixes of zones (and of non-division statistical units) from zone_suffixes.tsv."""
    return tuple(suffix for suffix, kind in lexicon.table("zone_suffixes.tsv") if kind in kinds)


def opens_clause(text: str, start: int, end: int) -> bool:
    """The two characters at start..end begin a clause: nothing or no Chinese character before
    them, and not 长 after them."""
    before = text[start - 1] if start else ""
    return not is_cjk(before) and text[end : end + 1] != "长"


class Candidate(NamedTuple):
    start: int
    end: int
    surface: str
    options: list[Division]  # the divisions the surface may name
    full: bool  # a full name that stands on its own (no anchor needed)


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


class DistrictRecognizer(KnowledgeComponent):
    files = ("not_places.txt", "common_words.txt", "zone_suffixes.tsv")

    def __init__(self, name: str, short_county_chars: int) -> None:
        super().__init__(name)
        self.short_county_chars = short_county_chars
        self.index = divisions()
        self.full = LongestMatcher(self.index.by_name)
        self.short = LongestMatcher(self.index.by_short)

    def prepare(self, lexicon: Lexicon) -> None:
        self.not_places = lexicon.words("not_places.txt")
        self.vocabulary = lexicon.words("common_words.txt")
        self.not_divisions = tuple(s for s in zone_suffixes(lexicon) if s not in division_suffixes())

    def annotate(self, doc: Doc) -> Doc:
        text = text_of(doc)
        codes = TextCodes(text)
        full_hits = list(self.full.finditer(text, codes))
        full_names = {name for _, _, name in full_hits}
        candidates = self.full_names(text, full_hits)
        covered = {i for s, e, _ in full_hits for i in range(s, e)}
        candidates += self.short_forms(text, codes, covered)
        candidates += self.town_short_forms(text, candidates, covered)
        # Divisions named in full anchor their own short forms and those of places inside them.
        anchoring = Anchoring(self.index, [d for name in full_names for d in self.index.by_name[name]])
        mentions = doc._.mentions if doc._.mentions is not None else []
        for c in candidates:
            div = self.choose(c, anchoring, full_names)
            if div is None or (c.start > 0 and text[c.start - 1] in NOT_A_NAME_BEFORE):
                continue
            mentions.append(
                Mention(
                    c.start,
                    c.end,
                    NodeType.DISTRICT,
                    c.surface,
                    canonical=div.name,
                    source="gazetteer",
                    attrs={"code": div.code, "level": div.level},
                )
            )
        doc._.mentions = mentions
        return doc

    # -- rules ----------------------------------------------------------------------------------
    def full_names(self, text: str, hits: list[tuple[int, int, str]]) -> list[Candidate]:
        """Full division names (天河区). Names that are ordinary words (城区, 郊区) or a zone's
        (…开发区) are dropped; a two-character name inside a run of words (理县 in 管理县) or a
        town named after an ordinary word and named once (发展乡) is weak: it needs an anchor like
        a short form. A two-character county that opens a clause (萧县召开…, 。泾县…) stands on its
        own, unless 长 follows (代县长 is an acting county head)."""
        counts = Counter(name for *_, name in hits)
        out = []
        for s, e, name in hits:
            if name in self.not_places or name.endswith(self.not_divisions):
                continue
            options = self.index.by_name[name]
            weak = (len(name) == 2 and not opens_clause(text, s, e)) or (
                all(d.level == Level.TOWN for d in options)
                and name[:-1] in self.vocabulary
                and counts[name] < 2
            )
            out.append(Candidate(s, e, name, options, not weak))
        return out

    def short_forms(self, text: str, codes: TextCodes, covered: set[int]) -> list[Candidate]:
        """Short forms of provinces, cities and counties (天河 for 天河区) outside full names."""
        out = []
        for s, e, form in self.short.finditer(text, codes):
            if any(i in covered for i in range(s, e)) or form in self.not_places:
                continue
            out.append(Candidate(s, e, form, self.index.by_short[form], False))
        return out

    def town_short_forms(self, text: str, candidates: list[Candidate], covered: set[int]) -> list[Candidate]:
        """A town's short form (虎门 for 虎门镇) only once the text has named the town in full."""
        accepted = {c.surface for c in candidates if c.full and not c.surface.endswith(self.not_divisions)}
        towns = {name: [d for d in self.index.by_name[name] if d.level == Level.TOWN] for name in accepted}
        town_forms = {f: divs for name, divs in towns.items() if divs for f in short_forms(name)}
        if not town_forms:
            return []
        taken = covered | {i for c in candidates for i in range(c.start, c.end)}
        return [
            Candidate(s, e, form, town_forms[form], False)
            for s, e, form in LongestMatcher(town_forms).finditer(text)
            if not any(i in taken for i in range(s, e))
        ]

    def choose(self, c: Candidate, anchoring: Anchoring, full_names: set[str]) -> Division | None:
        """The division a surface form names: an anchored one first, then the highest level;
        None when nothing anchors a short form. Provinces and cities need no anchor, nor does a
        distinctive county short form of three characters or more (科右中旗)."""

        def anchored(d: Division) -> bool:
            return (d.name in full_names and d.name != c.surface) or anchoring.related(d)

        best = sorted(c.options, key=lambda d: (not anchored(d), LEVEL_RANK[d.level], d.code))[0]
        if c.full or best.level in (Level.PROVINCE, Level.CITY) or anchored(best):
            return best
        if (
            best.level == Level.COUNTY
            and len(c.surface) >= self.short_county_chars
            and c.surface not in full_names
        ):
            return best
        return None


@Language.factory(
    "plankg_districts",
    assigns=["doc._.mentions"],
    default_config={"short_county_chars": 3},
)
def make_districts(nlp: Language, name: str, short_county_chars: int) -> DistrictRecognizer:
    """short_county_chars: the shortest county short form taken without an anchor (科右中旗)."""
    return DistrictRecognizer(name, short_county_chars)
