"""`plankg validate`: SHACL (exports/shapes.ttl, with exports/ontology.ttl mixed in) via pyshacl;
violations come back as plain records (focus node, path, value, message) for readable printing.

pyshacl works on rdflib Graphs, so this is the one reader that builds one (from pyoxigraph's parser).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .common import LinkedDataError, rdf_file_format
from .results import short
from .sparql import PREFIXES


def read_rdflib(path: Path):
    """An rdflib Graph with every triple of the file (named graphs of quad files merged).

    The file is parsed by pyoxigraph (every format, fast) and handed to rdflib term by term: rdflib's own
    N-Quads and JSON-LD parsers are slow and warn about their own deprecated internals."""
    import pyoxigraph as ox
    from rdflib import BNode, Graph, Literal, URIRef

    def term(t):
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == PREFIXES["xsd"] + "string":
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    rdf_format = rdf_file_format(path)
    graph = Graph()
    try:
        for t in ox.parse(path=str(path), format=rdf_format.rdf_format()):
            graph.add((term(t.subject), term(t.predicate), term(t.object)))
    except FileNotFoundError:
        raise LinkedDataError(f"{path}: no such file") from None
    except (SyntaxError, ValueError, OSError) as exc:
        raise LinkedDataError(f"{path}: cannot parse as {rdf_format.rdflib_name} ({exc})") from None
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    return graph


@dataclass
class Violation:
    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str


def shapes_path() -> Path:
    return Path(str(resources.files("plankg.exports").joinpath("shapes.ttl")))


def validate(path: Path, shapes: Path | None = None) -> tuple[bool, list[Violation]]:
    """SHACL-validate an RDF file against plankg's shapes (the ontology mixed in for class hierarchy)."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    data = read_rdflib(path)
    shapes_graph = Graph().parse(shapes or shapes_path(), format="turtle")
    # The ontology is added to the data so that sh:class sees rdfs:subClassOf and the declared base units.
    data.parse(str(resources.files("plankg.exports").joinpath("ontology.ttl")), format="turtle")
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", allow_warnings=True
    )
    violations = []
    for result in report.subjects(SH.resultSeverity, None):

        def get(prop, result=result) -> str:
            value = report.value(result, prop)
            if value is None:
                return ""
            if prop == SH.resultPath and type(value).__name__ == "BNode":
                inverse = report.value(value, SH.inversePath)
                return f"^{short(inverse)}" if inverse is not None else "(complex path)"
            return short(value)

        violations.append(
            Violation(
                severity=get(SH.resultSeverity).rsplit(":", 1)[-1],
                focus=get(SH.focusNode),
                path=get(SH.resultPath),
                value=get(SH.value),
                message=get(SH.resultMessage),
                shape=get(SH.sourceShape),
            )
        )
    violations.sort(key=lambda v: (v.severity != "Violation", v.focus, v.path, v.message, v.value))
    return bool(conforms), violations


def format_violations(violations: list[Violation]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v.severity}: {v.focus}")
        lines.append(f"  path:    {v.path or '-'}")
        if v.value:
            lines.append(f"  value:   {v.value}")
        lines.append(f"  message: {v.message}")
        if v.shape and not v.shape.startswith("_:"):
            lines.append(f"  shape:   {v.shape}")
    return "\n".join(lines)
