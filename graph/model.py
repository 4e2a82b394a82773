"""The knowledge-graph model: the one vocabulary `nlp/` (which produces facts) and `exports/`
(which serialises them) both import, so that neither needs to know the other.

One `networkx.MultiDiGraph` holds the whole corpus.

Nodes
    id          "<Type>:<key>", the thing's own stable keys (graph/builder.py): a District its name (or
                name#code for namesakes), an Official "<name>@<body of the first post>", an Event
                "<name>@<organiser>@<date>", others their canonical name (a zone or body named by its kind
                only: "<name>@<owner>"); Targets "Target:<subject>|<indicator>|<value><unit>|<year>|<status>"
    type        a NodeType
    label       canonical (fullest) name
    aliases     sorted list of other names (never contains `label`)
    docs        sorted list of document ids the node was seen in
    confidence  the probability that the node is right (the highest of its mentions'), 0..1
    Target nodes also carry indicator, value (float), unit, comparator, year (int|None),
    status (a Status), and sentence/doc/start/end of their evidence.

Edges (key = relation)
    relation    a Relation
    docs        sorted list of supporting document ids
    confidence  the probability that the fact is right (the highest of its supporting documents'), 0..1
    evidence    list of {"doc", "sentence", "start", "end"} dicts (character offsets into the document)
    title       holds_post only: the office, e.g. 区委书记
    first_seen, last_seen   holds_post only: ISO dates of the first and last documents reporting the post
    date        held_event only: ISO date of the meeting, when known

Documents are kept in graph.graph["documents"]: {doc_id: {"date": iso-date|None, "chars": int, "source": str}}.

What NLP hands over per document is a `DocumentFacts` of the records below; their enum fields
are `StrEnum`s, so they compare, hash, format and serialise as the plain strings of the contract.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import NamedTuple

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - Python 3.10

    class StrEnum(str, Enum):
        def __str__(self) -> str:
            return str(self.value)

        def __format__(self, spec: str) -> str:
            return format(self.value, spec)


class NodeType(StrEnum):
    OFFICIAL = "Official"
    DISTRICT = "District"
    PLATFORM = "Platform"
    PROJECT = "Project"
    INDUSTRY = "Industry"
    ORGANIZATION = "Organization"
    EVENT = "Event"
    TARGET = "Target"


class Relation(StrEnum):
    HOLDS_POST = "holds_post"
    PART_OF = "part_of"
    HAS_PLATFORM = "has_platform"
    HAS_PROJECT = "has_project"
    DEVELOPS_INDUSTRY = "develops_industry"
    HELD_EVENT = "held_event"
    SPOKE_AT = "spoke_at"
    SETS_TARGET = "sets_target"


class Comparator(StrEnum):
    GT = ">"
    GE = ">="
    EQ = "="
    APPROX = "~"
    LE = "<="
    LT = "<"


class Status(StrEnum):
    TARGET = "target"
    ACTUAL = "actual"


class Level(StrEnum):
    """Levels of the national division codes."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWN = "town"


NODE_TYPES: tuple[NodeType, ...] = tuple(NodeType)
ENTITY_TYPES: tuple[NodeType, ...] = NODE_TYPES[:-1]  # all but Target
RELATIONS: tuple[Relation, ...] = tuple(Relation)
# what a district (or a zone acting as one) is linked to its platforms, projects and industries by
OWNER_RELATION: dict[NodeType, Relation] = {
    NodeType.PLATFORM: Relation.HAS_PLATFORM,
    NodeType.PROJECT: Relation.HAS_PROJECT,
    NodeType.INDUSTRY: Relation.DEVELOPS_INDUSTRY,
}

QUOTES = "\"'“”‘’「」『』《》〈〉"


_NOT_IN_NAMES = re.compile(rf"[\s{re.escape(QUOTES)}]")  # \s: the characters str.isspace() is true of


@lru_cache(maxsize=1 << 16)
def clean_name(name: str) -> str:
    """Names keep their quotes and spaces out: “某某工程” -> 某某工程. (Cached: a corpus repeats its
    names in every document, and graph building asks for each name several times a record.)"""
    return _NOT_IN_NAMES.sub("", unicodedata.normalize("NFC", name))


def node_id(node_type: str, name: str) -> str:
    """Stable node id from type and key (the canonical name, or the keys graph/builder.py gives it)."""
    return f"{node_type}:{name}"


def target_id(subject_id: str, indicator: str, value: float, unit: str, year: int | None, status: str) -> str:
    number = f"{value:g}"
    return f"Target:{subject_id.split(':', 1)[1]}|{indicator}|{number}{unit}|{year if year is not None else ''}|{status}"


# -- records NLP hands to the graph ------------------------------------------------------------
class EntityKey(NamedTuple):
    """An entity of one document: its type and canonical name."""

    type: NodeType
    name: str


@dataclass(frozen=True)
class Post:
    """An office in a post phrase: 天河区委书记 -> title 区委书记 in the District 天河区.

    `body` names the body (a District or an Organization) when the phrase does; an unnamed
    body keeps the `level` its title gives (市委书记 -> city), or neither (书记)."""

    title: str
    body: EntityKey | None = None
    level: Level | None = None


@dataclass
class EntityRecord:
    type: NodeType
    name: str
    aliases: list[str] = field(default_factory=list)
    attrs: dict = field(default_factory=dict)
    # an external identity (a division code): records with one merge by it alone, so that
    # namesakes in different cities (two 鼓楼区) stay apart and 鼓楼 never merges them
    identity: str = ""
    confidence: float = 1.0  # probability that this is a real entity of this type (rules: 1.0)
    # the Districts (canonical names, of the same document) that the sentences naming this entity speak
    # of, most often first: where an untitled 王伟表示 or a bare 县发改局 is, for resolving it
    places: list[str] = field(default_factory=list)


@dataclass
class RelationRecord:
    head: EntityKey
    relation: Relation
    tail: EntityKey
    sentence: str
    start: int
    end: int
    attrs: dict = field(default_factory=dict)
    confidence: float = 1.0


@dataclass
class TargetRecord:
    subject: EntityKey
    indicator: str
    value: float
    unit: str
    comparator: Comparator
    year: int | None
    status: Status
    sentence: str
    start: int
    end: int
    confidence: float = 1.0


@dataclass
class DocumentFacts:
    doc_id: str
    date: str | None
    chars: int
    source: str
    entities: list[EntityRecord]
    relations: list[RelationRecord]
    targets: list[TargetRecord]
