"""What the NLP pipeline hands to the graph: mentions, relations and targets as Doc extensions.

Offsets are character offsets into `doc.text`; the graph keeps them as provenance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from plankg.graph.model import Comparator, EntityKey, NodeType, Relation, Status

LEADING = "leading"  # Mention.attrs key of a place nested at the start of a name


@dataclass
class Mention:
    start: int
    end: int
    label: NodeType
    text: str
    canonical: str = ""  # name the graph should key on (e.g. the full division name)
    aliases: tuple[str, ...] = ()
    source: str = "rule"  # which recogniser found it
    attrs: dict = field(default_factory=dict)
    confidence: float = 1.0  # the probability that this is a name of this type (rules: 1.0)

    def __post_init__(self) -> None:
        if not self.canonical:
            self.canonical = self.text

    @property
    def key(self) -> EntityKey:
        return EntityKey(self.label, self.canonical)

    @property
    def leading(self) -> bool:
        """A place a longer name starts with (西宁 in 西宁高新区): the recogniser adds it beside the
        name, plankg_resolve keeps it out of doc.ents, and it does not move the sentence focus."""
        return bool(self.attrs.get(LEADING))


@dataclass
class Link:
    """A relation between two mentions' entities, with the sentence that supports it."""

    head: EntityKey
    relation: Relation
    tail: EntityKey
    start: int  # evidence: the supporting sentence
    end: int
    attrs: dict = field(default_factory=dict)
    confidence: float = 1.0


@dataclass
class TargetFact:
    subject: EntityKey
    indicator: str
    value: float
    unit: str
    comparator: Comparator
    year: int | None
    status: Status
    start: int  # the figure's own characters
    end: int
    sent_start: int
    sent_end: int
    confidence: float = 1.0


@dataclass
class Section:
    start: int
    end: int
    heading: str
    district: EntityKey | None = None


def text_of(doc: Doc) -> str:
    """The document's text, read once per Doc: `doc.text` joins all tokens on every access,
    and the recognisers read it many times. Retokenising never changes the text."""
    cached = doc.user_data.get("plankg_text")
    if cached is None:
        cached = doc.user_data["plankg_text"] = doc.text
    return cached


def register_extensions() -> None:
    """Idempotently declare the Doc extensions plankg uses."""
    defaults = {
        "doc_id": None,
        "date": None,  # ISO date of the document, when known
        "year": None,  # the year 今年 refers to
        "sections": None,
        "mentions": None,
        "relations": None,
        "targets": None,
        "focus": None,  # sentence start char -> (label, canonical) of the unit the sentence speaks of
        "zones": None,  # canonical names of development zones that act as districts
    }
    for name, default in defaults.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
