"""Which mentions in different documents are one person, one meeting or one platform.

A name alone does not make an identity: two officials called 王伟 may hold posts in Sichuan and in
Heilongjiang, and every district holds its own 经济工作会议 each year. The builder hands this module one
*sighting* per document (what that document says about the person or meeting) and gets back clusters of
sightings, each one real thing. The rules:

People (same name)
* Two sightings whose posts are in related places are one person: the same body, the same district, or a
  district and one containing it (成华区 / 成都市), when the documents are at most `LINK_DAYS` apart.
* Two sightings whose posts are in unrelated places within `CONFLICT_DAYS` of each other (or undated) are
  two people, and no chain of merges may join them (a cannot-link). Posts far apart in time may still be
  one career if sightings in between link them (成华区 2019, 成都市 2021, 锦江区 2024).
* A post counts only when the text fixes its place: a titled body (区委书记 at a 区, a named organisation).
  A bare title (书记, 主任) linked to the district in focus is a hint, as are the districts the sentences
  naming the person speak of. A sighting with hints only (王伟表示) joins the one person its hints point
  to, or the one person of that name when it has no hints; otherwise it stays with the other untitled
  sightings of the name.

Meetings (same name)
* One meeting has one organiser and one time: sightings with different organisers, or with dates more than
  `SAME_MEETING_DAYS` apart (dates the text gives) or `REPORTED_DAYS` apart (the documents' dates when the
  text gives none), are different meetings. A numbered session (第三届人民代表大会第四次会议) happens
  once per organiser, whatever the dates.
* Sightings without an organiser join the one meeting they fit, else group among themselves.

Platforms (same name)
* Owners in related divisions are one platform, owners in unrelated ones two (two cities' 高铁新城); an
  unowned sighting joins the one platform its districts point to.

Every decision is made on the whole set of sightings, in a fixed order (strongest links first, then the
smallest time gap, then document ids), so a build and an `--update` of the same documents agree.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from .divisions import divisions

LINK_DAYS = 5 * 366  # one term of office: sightings further apart are linked only through others
CONFLICT_DAYS = 366  # unrelated posts this close in time belong to two people
SAME_MEETING_DAYS = 7  # dates of one meeting (sessions last a few days)
REPORTED_DAYS = 60  # documents reporting one meeting, when they give no date

NUMBERED = re.compile(
    r"第?[一二三四五六七八九十百零\d]+届.*第?[一二三四五六七八九十\d]+次|第[一二三四五六七八九十百零\d]+次"
)


def parse_day(value: str | None) -> date | None:
    """An ISO date (2024-02-20) as a date; None for anything less precise."""
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def gap_days(a: date | None, b: date | None) -> int | None:
    return None if a is None or b is None else abs((a - b).days)


@cache
def ancestry(code: str) -> frozenset[str]:
    """A division code with the codes of every division containing it."""
    index = divisions()
    division = index.by_code.get(code)
    if division is None:
        return frozenset({code})
    return frozenset({code, *(a.code for a in index.ancestors(division))})


@cache
def depth(code: str) -> int:
    return len(ancestry(code))


def place_affinity(a: frozenset[str], b: frozenset[str]) -> int:
    """2: a division in common; 1: one contains the other; 0: unrelated (or unknown)."""
    if a & b:
        return 2
    if any(x in ancestry(y) or y in ancestry(x) for x in a for y in b):
        return 1
    return 0


# -- people --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Post:
    """A post a document gives: its body (node id) and the division codes the body is in."""

    body: str
    codes: frozenset[str] = frozenset()


@dataclass
class PersonSighting:
    """What one document says about a person of a given name."""

    node: str  # the document's provisional node
    doc: str
    day: date | None
    posts: tuple[Post, ...] = ()  # posts whose place the text fixes
    hints: frozenset[str] = frozenset()  # division codes of bare-title posts and of the sentences' districts

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(c for p in self.posts for c in p.codes)

    def order(self) -> tuple:
        return (self.day or date.max, self.doc, self.node)


def post_affinity(a: Sequence[Post], b: Sequence[Post]) -> int:
    """3: a body in common; 2: a district in common; 1: containment; 0: unrelated posts."""
    if {p.body for p in a} & {p.body for p in b}:
        return 3
    return place_affinity(frozenset(c for p in a for c in p.codes), frozenset(c for p in b for c in p.codes))


def resolve_people(sightings: Sequence[PersonSighting]) -> list[list[PersonSighting]]:
    """Sightings of one name, grouped into people (see the module's rules); clusters and their members are
    in order of first sighting.

    Sightings with the same posts, each within `LINK_DAYS` of the previous, are one person from the start
    (a unit): the pairwise rules then run on units, so a name seen in thousands of documents costs as
    much as the few posts it holds."""
    items = sorted(sightings, key=PersonSighting.order)
    units = _units([s for s in items if s.posts])
    links, conflicts = [], set()
    for i, a in enumerate(units):
        for j in range(i + 1, len(units)):
            b = units[j]
            gap = a.gap(b)
            affinity = post_affinity(a.posts, b.posts) if not a.docs & b.docs else 0
            if affinity and (gap is None or gap <= LINK_DAYS):
                links.append(((-affinity, gap or 0, i, j), i, j))
            elif not affinity and (gap is None or gap <= CONFLICT_DAYS):
                conflicts.add((i, j))
    groups = [
        sorted((s for i in members for s in units[i].members), key=PersonSighting.order)
        for members in agglomerate(len(units), links, conflicts)
    ]
    reach = [_Reach(g) for g in groups]
    rest: list[PersonSighting] = []
    joined: dict[int, list[PersonSighting]] = {}
    for s in items:
        if s.posts:
            continue
        at = _best_person(s, reach)
        if at is None:
            rest.append(s)
        else:
            joined.setdefault(at, []).append(s)
    for at, extra in joined.items():
        groups[at] = sorted(groups[at] + extra, key=PersonSighting.order)
    if rest:
        groups.append(rest)
    return sorted(groups, key=lambda g: g[0].order())


@dataclass
class _Unit:
    """Sightings with the same posts, each within LINK_DAYS of the previous: one person."""

    members: list[PersonSighting]

    @property
    def posts(self) -> tuple[Post, ...]:
        return self.members[0].posts

    @property
    def docs(self) -> frozenset[str]:
        return frozenset(s.doc for s in self.members)

    @property
    def span(self) -> tuple[date, date] | None:
        """First and last day; None when a sighting is undated (its time is unknown)."""
        days = [s.day for s in self.members]
        return None if None in days else (min(days), max(days))  # type: ignore[type-var]

    def gap(self, other: _Unit) -> int | None:
        """Days between the two spans (0 when they overlap); None when either is unknown."""
        a, b = self.span, other.span
        if a is None or b is None:
            return None
        return max(0, (b[0] - a[1]).days, (a[0] - b[1]).days)


def _units(titled: list[PersonSighting]) -> list[_Unit]:
    by_posts: dict[tuple[Post, ...], list[PersonSighting]] = {}
    for s in titled:  # in order of first sighting
        by_posts.setdefault(s.posts, []).append(s)
    units = []
    for same in by_posts.values():
        run = [same[0]]
        for s in same[1:]:
            if s.day and run[-1].day and (s.day - run[-1].day).days > LINK_DAYS:
                units.append(_Unit(run))
                run = []
            run.append(s)
        units.append(_Unit(run))
    return sorted(units, key=lambda u: u.members[0].order())


class _Reach:
    """A titled person as an untitled sighting sees it: where (division codes) and when (sorted days)."""

    def __init__(self, group: list[PersonSighting]) -> None:
        self.codes = frozenset(c for m in group for c in m.codes)
        self.days = sorted(m.day for m in group if m.day)
        self.undated = any(m.day is None for m in group)

    def near(self, day: date | None) -> bool:
        """Some sighting within LINK_DAYS of `day` (or of unknown time)."""
        if day is None or self.undated:
            return True
        at = bisect_left(self.days, day)
        return any(
            abs((self.days[k] - day).days) <= LINK_DAYS for k in (at - 1, at) if 0 <= k < len(self.days)
        )


def _best_person(s: PersonSighting, reach: list[_Reach]) -> int | None:
    """The one titled person an untitled sighting is (see `best_group`), among those in reach in time."""
    near = [k for k, r in enumerate(reach) if r.near(s.day)]
    return best_group(s.hints, [(k, reach[k].codes) for k in near])


def best_group(hints: frozenset[str], groups: list[tuple[int, frozenset[str]]]) -> int | None:
    """The one group (index, division codes) a sighting placed only by hints belongs to: the one its hints
    point to most closely, or the only one when it has no hints; None when that is not one group."""
    if not hints:
        return groups[0][0] if len(groups) == 1 else None
    scored = [(place_affinity(hints, codes), k) for k, codes in groups]
    best = max((score for score, _ in scored), default=0)
    top = [k for score, k in scored if score == best]
    return top[0] if best and len(top) == 1 else None


# -- places --------------------------------------------------------------------------------------
@dataclass
class PlaceSighting:
    """What one document says about a platform of a given name: the districts owning it, and the
    districts its sentences speak of."""

    node: str
    doc: str
    owners: frozenset[str] = frozenset()
    hints: frozenset[str] = frozenset()


def resolve_places(sightings: Sequence[PlaceSighting]) -> list[list[PlaceSighting]]:
    """Sightings of one platform name, grouped into places: owners in related divisions (the same, or one
    containing the other) are one platform, owners in unrelated ones two (two cities' 高铁新城); a sighting
    without an owner joins the one platform its hints point to, else stays with the other unowned ones.
    Platforms do not move, so time plays no part."""
    items = sorted(sightings, key=lambda s: (s.doc, s.node))
    by_owners: dict[frozenset[str], list[PlaceSighting]] = {}
    for s in items:
        if s.owners:
            by_owners.setdefault(s.owners, []).append(s)
    units = list(by_owners.values())
    links, conflicts = [], set()
    for i, a in enumerate(units):
        for j in range(i + 1, len(units)):
            affinity = place_affinity(a[0].owners, units[j][0].owners)
            if affinity:
                links.append(((-affinity, i, j), i, j))
            else:
                conflicts.add((i, j))
    groups = [[s for i in members for s in units[i]] for members in agglomerate(len(units), links, conflicts)]
    codes = [(k, frozenset(c for s in g for c in s.owners)) for k, g in enumerate(groups)]
    rest: list[PlaceSighting] = []
    joined: dict[int, list[PlaceSighting]] = {}
    for s in items:
        if s.owners:
            continue
        at = best_group(s.hints, codes)
        if at is None:
            rest.append(s)
        else:
            joined.setdefault(at, []).append(s)
    groups = [sorted(g + joined.get(k, []), key=lambda s: (s.doc, s.node)) for k, g in enumerate(groups)]
    if rest:
        groups.append(rest)
    return sorted(groups, key=lambda g: (g[0].doc, g[0].node))


# -- meetings ------------------------------------------------------------------------------------
@dataclass
class EventSighting:
    """What one document says about a meeting of a given name."""

    node: str
    doc: str
    name: str  # as the document names it
    organisers: frozenset[str] = frozenset()  # node ids of who convened it
    day: date | None = None  # the date the text gives
    reported: date | None = None  # the document's date
    numbered: bool = field(init=False)

    def __post_init__(self) -> None:
        self.numbered = bool(NUMBERED.search(self.name))

    @property
    def when(self) -> date | None:
        return self.day or self.reported

    def order(self) -> tuple:
        return (self.when or date.max, self.doc, self.node)


def resolve_events(sightings: Sequence[EventSighting]) -> list[list[EventSighting]]:
    """Sightings of one name, grouped into meetings (see the module's rules): those with organisers among
    the sightings sharing an organiser, then those without one join the one meeting they fit, or group
    among themselves."""
    items = sorted(sightings, key=EventSighting.order)
    held = [s for s in items if s.organisers]
    meetings: list[_Meeting] = []
    for component in _sharing_organisers(held):
        meetings += _complete_link(component)
    rest: list[EventSighting] = []
    joined: dict[int, list[EventSighting]] = {}
    for s in items:
        if s.organisers:
            continue
        fits = [k for k, m in enumerate(meetings) if m.fits(_Meeting([s]))]
        if len(fits) == 1:
            joined.setdefault(fits[0], []).append(s)
        else:
            rest.append(s)
    groups = [sorted(m.members + joined.get(k, []), key=EventSighting.order) for k, m in enumerate(meetings)]
    groups += [m.members for m in _complete_link(rest)]
    return sorted(groups, key=lambda g: g[0].order())


@dataclass
class _Meeting:
    """Sightings taken for one meeting, with what any further sighting must agree with."""

    members: list[EventSighting]

    def __post_init__(self) -> None:
        sets = [s.organisers for s in self.members if s.organisers]
        self.organisers = frozenset.intersection(*sets) if sets else None  # who convened it, if anyone says
        self.docs = frozenset(s.doc for s in self.members)
        self.numbered = all(s.numbered for s in self.members)
        self.whens = sorted(s.when for s in self.members if s.when)
        self.days = sorted(s.day for s in self.members if s.day)

    def fits(self, other: _Meeting) -> bool:
        """Could the two be one meeting: one organiser, dates close enough (every pair of sightings)."""
        if self.docs & other.docs:
            return False  # one text naming two meetings alike means two meetings
        if (
            self.organisers is not None
            and other.organisers is not None
            and not self.organisers & other.organisers
        ):
            return False
        if self.numbered and other.numbered:
            return True
        return (
            _span(self.whens, other.whens) <= REPORTED_DAYS
            and _span(self.days, other.days) <= SAME_MEETING_DAYS
        )

    def __or__(self, other: _Meeting) -> _Meeting:
        return _Meeting(self.members + other.members)


def _span(a: list[date], b: list[date]) -> int:
    days = a[:1] + a[-1:] + b[:1] + b[-1:]
    return (max(days) - min(days)).days if days else 0


def _sharing_organisers(held: list[EventSighting]) -> list[list[EventSighting]]:
    """The sightings in groups connected by a shared organiser (only they can be one meeting)."""
    root: dict[str, str] = {}

    def find(x: str) -> str:
        while root.setdefault(x, x) != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for s in held:
        first, *others = sorted(s.organisers)
        for o in others:
            root[find(o)] = find(first)
    groups: dict[str, list[EventSighting]] = {}
    for s in held:
        groups.setdefault(find(min(s.organisers)), []).append(s)
    return list(groups.values())


def _complete_link(items: list[EventSighting]) -> list[_Meeting]:
    """Meetings in which every two sightings fit, merged closest in time first. Dated sightings are tried
    together only within `REPORTED_DAYS` of each other (numbered sessions: always); undated ones with all."""
    alike: dict[tuple, list[EventSighting]] = {}  # the same organisers and dates: one meeting at once
    for s in items:
        alike.setdefault((s.organisers, s.day, s.reported), []).append(s)
    singles, items = [], []
    for same in alike.values():
        by_doc: dict[str, list[EventSighting]] = {}
        for s in same:  # (a text naming two meetings alike keeps them apart)
            by_doc.setdefault(s.doc, []).append(s)
        for k in range(max(len(v) for v in by_doc.values())):
            singles.append(_Meeting([v[k] for v in by_doc.values() if len(v) > k]))
            items.append(singles[-1].members[0])
    dated = sorted((i for i, s in enumerate(items) if s.when), key=lambda i: (items[i].when, i))
    undated = {i for i, s in enumerate(items) if not s.when}
    pairs = [
        (i, j) for i in sorted(undated) for j in range(len(items)) if j != i and (j not in undated or j > i)
    ]
    for x, i in enumerate(dated):
        for j in dated[x + 1 :]:
            if (items[j].when - items[i].when).days > REPORTED_DAYS and not items[i].numbered:
                break  # sorted by time: every later one is further
            pairs.append((i, j))
    links = sorted(
        (gap_days(items[i].when, items[j].when) or 0, min(i, j), max(i, j))
        for i, j in pairs
        if singles[i].fits(singles[j])
    )
    root = list(range(len(items)))
    merged = {i: (m, [i]) for i, m in enumerate(singles)}
    for _, i, j in links:
        a, b = root[i], root[j]
        if a == b or not merged[a][0].fits(merged[b][0]):
            continue
        (ma, ia), (mb, ib) = merged[a], merged.pop(b)
        merged[a] = (ma | mb, ia + ib)
        for k in ib:
            root[k] = a
    return [merged[k][0] for k in sorted(merged)]


# -- clustering ----------------------------------------------------------------------------------
def agglomerate(
    n: int, links: list[tuple[tuple, int, int]], conflicts: set[tuple[int, int]]
) -> list[list[int]]:
    """Union of items 0..n-1 along `links` (taken in the order of their sort keys), skipping a link that
    would put a conflicting pair into one cluster. Clusters come as sorted member lists, in order of
    their first member."""
    members = {i: [i] for i in range(n)}
    root = list(range(n))
    against: dict[int, set[int]] = {i: set() for i in range(n)}
    for i, j in conflicts:
        against[i].add(j)
        against[j].add(i)
    for _, i, j in sorted(links):
        a, b = root[i], root[j]
        if a == b or any(k in against[a] for k in members[b]):
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        for k in members[b]:
            root[k] = a
        members[a] += members.pop(b)
        against[a] |= against.pop(b)
    return sorted(sorted(m) for m in members.values())
