"""pyoxigraph terms of the RDF export: namespaces, the model's classes and properties, typed literals.

The export writes pyoxigraph terms only (its serialisers are Rust; rdflib terms cost a gigabyte on a
thousand articles). Terms are made once per name: a build states millions of triples.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from plankg.graph.model import NODE_TYPES, NodeType, Relation

from . import units as unitvocab
from .common import as_float, clean_text

LANG = "zh"


class Vocabulary:
    """A namespace whose terms are pyoxigraph NamedNodes, each made on first use and kept."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.terms: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        term = self.terms.get(name)
        if term is None:
            term = self.terms[name] = ox.NamedNode(self.base + name)
        return term

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        term = self.__dict__[name] = self[name]  # found without __getattr__ from now on
        return term

    def __str__(self) -> str:
        return self.base


PKG = Vocabulary("https://w3id.org/plankg/ontology#")
OA = Vocabulary("http://www.w3.org/ns/oa#")
ORG = Vocabulary("http://www.w3.org/ns/org#")
PROV = Vocabulary("http://www.w3.org/ns/prov#")
SKOS = Vocabulary("http://www.w3.org/2004/02/skos/core#")
SDO = Vocabulary("https://schema.org/")
DCT = Vocabulary("http://purl.org/dc/terms/")
OWL = Vocabulary("http://www.w3.org/2002/07/owl#")
RDF = Vocabulary("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Vocabulary("http://www.w3.org/2000/01/rdf-schema#")
XSD = Vocabulary("http://www.w3.org/2001/XMLSchema#")
TIME = Vocabulary("http://www.w3.org/2006/time#")
UNIT = Vocabulary(unitvocab.UNIT_BASE)

# The prefixes Turtle and JSON-LD declare, in the order they are written.
PREFIXES: dict[str, str] = {
    "pkg": PKG.base,
    "org": ORG.base,
    "prov": PROV.base,
    "skos": SKOS.base,
    "schema": SDO.base,
    "dcterms": DCT.base,
    "owl": OWL.base,
    "oa": OA.base,
    "unit": UNIT.base,
    "time": TIME.base,
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "xsd": XSD.base,
}

RELATION_PROPERTIES: dict[str, ox.NamedNode] = {
    Relation.PART_OF: PKG.partOf,
    Relation.HAS_PLATFORM: PKG.hasPlatform,
    Relation.HAS_PROJECT: PKG.hasProject,
    Relation.DEVELOPS_INDUSTRY: PKG.developsIndustry,
    Relation.HELD_EVENT: PKG.heldEvent,
    Relation.SPOKE_AT: PKG.spokeAt,
    Relation.SETS_TARGET: PKG.setsTarget,
}
CLASSES: dict[str, ox.NamedNode] = {node_type: PKG[node_type] for node_type in NODE_TYPES}
# schema.org types stated explicitly (not only through rdfs:subClassOf), with schema:name.
SCHEMA_TYPES: dict[str, ox.NamedNode] = {
    NodeType.OFFICIAL: SDO.Person,
    NodeType.DISTRICT: SDO.AdministrativeArea,
    NodeType.PLATFORM: SDO.Place,
}


def relation_property(relation: str) -> ox.NamedNode:
    """pkg: property of a relation; unknown relations get a camelCase pkg: name rather than being dropped."""
    if relation in RELATION_PROPERTIES:
        return RELATION_PROPERTIES[relation]
    head, *rest = [p for p in re.split(r"[^0-9A-Za-z]+", relation) if p] or ["relatedTo"]
    return PKG[head.lower() + "".join(p.capitalize() for p in rest)]


# how OWL-Time states an instant of each date type
INSTANT_PROPERTIES: dict[str, ox.NamedNode] = {
    XSD.date.value: TIME.inXSDDate,
    XSD.gYearMonth.value: TIME.inXSDgYearMonth,
    XSD.gYear.value: TIME.inXSDgYear,
}

_DATE_TYPES = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), XSD.date),
    (re.compile(r"\d{4}-\d{2}"), XSD.gYearMonth),
    (re.compile(r"\d{4}"), XSD.gYear),
)


def zh(text: Any) -> ox.Literal:
    """A Chinese label."""
    return ox.Literal(clean_text(text), language=LANG)


def plain(text: Any) -> ox.Literal:
    return ox.Literal(clean_text(text))


def typed(value: Any, datatype: ox.NamedNode) -> ox.Literal:
    return ox.Literal(str(value), datatype=datatype)


def date(value: Any) -> ox.Literal | None:
    """xsd:date, xsd:gYearMonth or xsd:gYear by the form of the text; other text stays a plain literal."""
    text = clean_text(value or "").strip()
    if not text:
        return None
    for pattern, datatype in _DATE_TYPES:
        if pattern.fullmatch(text):
            return typed(text, datatype)
    return ox.Literal(text)


def canonical_decimal(number: Decimal) -> ox.Literal:
    """xsd:decimal in canonical form (always a point: 100000000.0), so every RDF syntax writes the same."""
    text = format(number.normalize(), "f")
    return typed(text if "." in text else f"{text}.0", XSD.decimal)


CONFIDENCE_PLACES = 4  # pkg:confidence is rounded to this many decimal places


def confidence(value: Any) -> ox.Literal | None:
    """pkg:confidence as xsd:decimal rounded to 4 places (0.95 -> "0.95", 1.0 -> "1.0"): exact in SPARQL
    comparisons (FILTER(?c >= 0.9) compares decimals), short in the files; None when not a number."""
    number = as_float(value)
    if number is None:
        return None
    return canonical_decimal(Decimal(repr(round(number, CONFIDENCE_PLACES))))


def decimal(value: Any) -> ox.Literal | None:
    """A float attribute as xsd:decimal (its shortest repr, so 35.5 stays 35.5), None when not a number."""
    number = as_float(value)
    if number is None:
        return None
    return typed(format(Decimal(repr(number)), "f"), XSD.decimal)
