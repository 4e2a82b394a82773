"""IRI minting: every resource of the RDF export gets a stable IRI computed from the graph alone.

IRIs are minted under https://w3id.org/plankg/id/ from the node id alone ("<Type>/<percent-encoded
canonical name>", Targets included), so the same entity gets the same IRI in every build and links made by
others keep working. No blank nodes are used: every resource has a stable IRI, which also keeps the
serialisation byte-identical from one run to the next.

The functions return plain strings, so that pyoxigraph (`NamedNode(iri)`), rdflib (`URIRef(iri)`) and
SPARQL text can all use them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from .common import split_node_id

ID_BASE = "https://w3id.org/plankg/id/"


def _enc(text: Any) -> str:
    """Percent-encode one IRI path segment (injective: distinct names never share an IRI)."""
    return _quoted(str(text))


@lru_cache(maxsize=1 << 16)
def _quoted(text: str) -> str:
    """The same names recur in every fact of a document: each is encoded once."""
    return quote(text, safe="")


def _digest(*parts: Any) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]


def entity_iri(node: Any, data: Mapping[str, Any] | None = None) -> str:
    """Stable IRI of a graph node: <base><Type>/<percent-encoded name>, from the node id."""
    node_type, name = split_node_id(node, data or {})
    return f"{ID_BASE}{_enc(node_type)}/{_enc(name)}"


def document_iri(doc_id: str) -> str:
    return f"{ID_BASE}document/{_enc(doc_id)}"


def graph_iri(doc_id: str) -> str:
    """Name of the per-document graph in N-Quads output."""
    return f"{ID_BASE}graph/{_enc(doc_id)}"


def role_iri(title: str) -> str:
    return f"{ID_BASE}role/{_enc(title)}"


def post_iri(tail: Any, tail_data: Mapping[str, Any], title: str) -> str:
    """A post (e.g. 天河区 区委书记) is shared by whoever holds it: it depends on place and title only."""
    node_type, name = split_node_id(tail, tail_data)
    return f"{ID_BASE}post/{_enc(node_type)}/{_enc(name)}/{_enc(title)}"


def membership_iri(person: Any, body: Any) -> str:
    """An official's membership of a body (one holds_post edge): person and body."""
    return f"{ID_BASE}membership/{_digest(person, body)}"


def assertion_iri(u: Any, relation: str, v: Any) -> str:
    return f"{ID_BASE}assertion/{_digest(u, relation, v)}"


def evidence_iri(ev: Mapping[str, Any]) -> str:
    """Evidence is keyed by document and character span, so a sentence behind several facts is one resource."""
    if ev.get("start") is not None and ev.get("end") is not None:
        return f"{ID_BASE}evidence/{_enc(ev['doc'])}/{ev['start']}-{ev['end']}"
    return f"{ID_BASE}evidence/{_enc(ev['doc'])}/{_digest(ev.get('sentence', ''))}"


def agent_iri(version: str) -> str:
    return f"{ID_BASE}agent/plankg/{_enc(version)}"


def build_iri(version: str, docs: Iterable[str]) -> str:
    """The build activity: same software version and same documents -> same IRI."""
    return f"{ID_BASE}build/{_digest(version, *sorted(docs))}"
