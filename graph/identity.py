"""Which mentions in different documents are one person or one meeting.

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
  text gives none), are different meetings. A numbered session
  (第三届人民代表大会第四次会议) happens once per organiser, whatever the dates.
* Sightings without an organiser join the one meeting they fit, else group among themselves.

Every decision is made on the whole set of sightings, in a fixed order (strongest links first, then the
smallest time gap, then document ids), so a build and an `--update` of the same documents agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
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
    in order of first sighting."""
    items = sorted(sightings, key=PersonSighting.order)
    titled = [s for s in items if s.posts]
    links, conflicts = [], set()
    for i, a in enumerate(titled):
        for j in range(i + 1, len(titled)):
            b = titled[j]
            gap = gap_days(a.day, b.day)
            affinity = post_affinity(a.posts, b.posts) if a.doc != b.doc else 0
            if affinity and (gap is None or gap <= LINK_DAYS):
                links.append(((-affinity, gap or 0, i, j), i, j))
            elif not affinity and (gap is None or gap <= CONFLICT_DAYS):
                conflicts.add((i, j))
    clusters = agglomerate(len(titled), links, conflicts)
    groups = [[titled[i] for i in members] for members in clusters]
    rest: list[PersonSighting] = []
    joined: dict[int, list[PersonSighting]] = {}
    for s in items:
        if s.posts:
            continue
        at = _best_person(s, groups)
        if at is None:
            rest.append(s)
        else:
            joined.setdefault(at, []).append(s)
    for at, extra in joined.items():
        groups[at] = sorted(groups[at] + extra, key=PersonSighting.order)
    if rest:
        groups.append(rest)
    return sorted(groups, key=lambda g: g[0].order())


def _best_person(s: PersonSighting, groups: list[list[PersonSighting]]) -> int | None:
    """The one titled person an untitled sighting is: the one its hints point to most closely, or the only
    one in reach when it has no hints; None when that is not one person."""
    near = [
        k
        for k, g in enumerate(groups)
        if any(m.doc != s.doc and (gap_days(m.day, s.day) or 0) <= LINK_DAYS for m in g)
    ]
    if not s.hints:
        return near[0] if len(near) == 1 else None
    scored = [(place_affinity(s.hints, frozenset(c for m in groups[k] for c in m.codes)), k) for k in near]
    best = max((score for score, _ in scored), default=0)
    top = [k for score, k in scored if score == best]
    return top[0] if best and len(top) == 1 else None


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


def same_meeting_time(a: EventSighting, b: EventSighting) -> bool:
    if a.numbered and b.numbered:
        return True
    if a.day and b.day:
        return (gap_days(a.day, b.day) or 0) <= SAME_MEETING_DAYS
    gap = gap_days(a.when, b.when)
    return gap is None or gap <= REPORTED_DAYS


def compatible_meetings(a: EventSighting, b: EventSighting) -> bool:
    if a.doc == b.doc and a.node != b.node:
        return False  # one text naming two meetings alike means two meetings
    if a.organisers and b.organisers and not a.organisers & b.organisers:
        return False
    return same_meeting_time(a, b)


def resolve_events(sightings: Sequence[EventSighting]) -> list[list[EventSighting]]:
    """Sightings of one name, grouped into meetings (see the module's rules)."""
    items = sorted(sightings, key=EventSighting.order)
    held = [s for s in items if s.organisers]
    groups = _complete_link(
        held, lambda a, b: compatible_meetings(a, b) and bool(a.organisers & b.organisers)
    )
    rest: list[EventSighting] = []
    joined: dict[int, list[EventSighting]] = {}
    for s in items:
        if s.organisers:
            continue
        fits = [k for k, g in enumerate(groups) if all(compatible_meetings(s, m) for m in g)]
        if len(fits) == 1:
            joined.setdefault(fits[0], []).append(s)
        else:
            rest.append(s)
    for at, extra in joined.items():
        groups[at] = sorted(groups[at] + extra, key=EventSighting.order)
    groups += _complete_link(rest, compatible_meetings)
    return sorted(groups, key=lambda g: g[0].order())


def _complete_link(items: list[EventSighting], fits: Callable[[EventSighting, EventSighting], bool]):
    """Clusters in which every two sightings fit, merged closest in time first."""
    links, conflicts = [], set()
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if fits(a, b):
                links.append(((gap_days(a.when, b.when) or 0, i, j), i, j))
            else:
                conflicts.add((i, j))
    return [[items[i] for i in members] for members in agglomerate(len(items), links, conflicts)]


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
