"""Linked-data tools behind `plankg validate`, `plankg query` and `plankg push`.

* validate: SHACL (exports/shapes.ttl, with exports/ontology.ttl mixed in) via pyshacl; violations come back
  as plain records (focus node, path, value, message) for readable printing.
* query: SPARQL 1.1 over an in-memory pyoxigraph store (a Rust engine: seconds on a million triples where
  rdflib's pure-Python evaluator takes minutes). Common prefixes (pkg:, org:, prov:, skos:, schema:, ...)
  are predeclared, so a query may use them without PREFIX lines.
* push: SPARQL 1.1 Graph Store HTTP Protocol (POST, or PUT with replace=True) to Oxigraph server, Jena
  Fuseki, Virtuoso, GraphDB ...; N-Quads files are sent one graph per request.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

# file suffix -> (pyoxigraph format name, rdflib format name, HTTP content type)
RDF_SUFFIXES: dict[str, tuple[str, str, str]] = {
    ".ttl": ("TURTLE", "turtle", "text/turtle"),
    ".turtle": ("TURTLE", "turtle", "text/turtle"),
    ".nt": ("N_TRIPLES", "nt", "application/n-triples"),
    ".nq": ("N_QUADS", "nquads", "application/n-quads"),
    ".trig": ("TRIG", "trig", "application/trig"),
    ".jsonld": ("JSON_LD", "json-ld", "application/ld+json"),
    ".rdf": ("RDF_XML", "xml", "application/rdf+xml"),
    ".owl": ("RDF_XML", "xml", "application/rdf+xml"),
}
QUAD_SUFFIXES = {".nq", ".trig"}

PREFIXES: dict[str, str] = {
    "pkg": "https://w3id.org/plankg/ontology#",
    "id": "https://w3id.org/plankg/id/",
    "unit": "https://w3id.org/plankg/unit/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}
QUERY_FORMATS = ("table", "csv", "json")


class LinkedDataError(Exception):
    """A problem the user can fix (unreadable file, bad query, server refused): one line, no traceback."""


def rdf_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in RDF_SUFFIXES:
        raise LinkedDataError(f"{path}: unknown RDF file type {suffix!r}; use one of {sorted(RDF_SUFFIXES)}")
    return suffix


# ---------------------------------------------------------------- reading


def load_store(paths: Path | Iterable[Path]):
    """An in-memory pyoxigraph Store with the given RDF files loaded (quads keep their graphs)."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in [paths] if isinstance(paths, Path | str) else paths:
        path = Path(path)
        fmt = getattr(ox.RdfFormat, RDF_SUFFIXES[rdf_suffix(path)][0])
        try:
            store.load(path=str(path), format=fmt)
        except FileNotFoundError:
            raise LinkedDataError(f"{path}: no such file") from None
        except (SyntaxError, ValueError, OSError) as exc:
            raise LinkedDataError(f"{path}: cannot parse as {fmt} ({exc})") from None
    return store


def read_rdflib(path: Path):
    """An rdflib Graph with every triple of the file (named graphs of quad files merged)."""
    from rdflib import Dataset, Graph

    suffix = rdf_suffix(path)
    fmt = RDF_SUFFIXES[suffix][1]
    try:
        if suffix in QUAD_SUFFIXES:
            data = Dataset()
            data.parse(path, format=fmt)
            graph = Graph()
            for s, p, o, _ in data.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph = Graph()
            graph.parse(path, format=fmt)
    except FileNotFoundError:
        raise LinkedDataError(f"{path}: no such file") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises many parser-specific types
        raise LinkedDataError(f"{path}: cannot parse as {fmt} ({exc})") from None
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    return graph


def short(term: Any) -> str:
    """A readable name: prefixed IRIs with percent-escapes decoded (id:District/天河区), literal values."""
    value = getattr(term, "value", None)
    if value is None:
        value = str(term)
    kind = type(term).__name__
    if kind in ("NamedNode", "URIRef"):
        for prefix, namespace in PREFIXES.items():
            if value.startswith(namespace):
                return f"{prefix}:{urllib.parse.unquote(value[len(namespace) :])}"
        return f"<{value}>"
    if kind in ("BlankNode", "BNode"):
        return f"_:{value}"
    return value


# ---------------------------------------------------------------- validate


@dataclass
class Violation:
    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str


def shapes_path() -> Path:
    return Path(str(resources.files("exports").joinpath("shapes.ttl")))


def validate(path: Path, shapes: Path | None = None) -> tuple[bool, list[Violation]]:
    """SHACL-validate an RDF file against plankg's shapes (the ontology mixed in for class hierarchy)."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    data = read_rdflib(path)
    shapes_graph = Graph().parse(shapes or shapes_path(), format="turtle")
    # The ontology is added to the data so that sh:class sees rdfs:subClassOf and the declared base units.
    data.parse(str(resources.files("exports").joinpath("ontology.ttl")), format="turtle")
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


# ---------------------------------------------------------------- query


def queries_dir() -> Path:
    return Path(str(resources.files("exports").joinpath("queries")))


def example_queries() -> dict[str, Path]:
    """name -> path of the bundled example queries (exports/queries/*.rq)."""
    return {p.stem: p for p in sorted(queries_dir().glob("*.rq"))}


def read_query(query: str) -> str:
    """QUERY is SPARQL text, a path to a .rq file, or the name of a bundled example."""
    candidate = Path(query)
    if query.endswith((".rq", ".sparql")) or (len(query) < 300 and "\n" not in query and candidate.is_file()):
        try:
            return candidate.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise LinkedDataError(f"{query}: no such query file") from None
    examples = example_queries()
    if query in examples:
        return examples[query].read_text(encoding="utf-8")
    return query


_DECLARED = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:")


def with_prefixes(query: str) -> str:
    """Prepend PREFIX lines for the common prefixes the query uses but does not declare."""
    declared = set(_DECLARED.findall(query))
    body = re.sub(r"(?s)\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|<[^<>\s]*>|#[^\n]*", " ", query)
    lines = [
        f"PREFIX {prefix}: <{namespace}>"
        for prefix, namespace in PREFIXES.items()
        if prefix not in declared and re.search(rf"(?<![\w:]){re.escape(prefix)}:", body)
    ]
    return "\n".join([*lines, query]) if lines else query


@dataclass
class QueryResult:
    kind: str  # "select", "ask" or "graph"
    variables: list[str]
    rows: list[list[Any]]  # pyoxigraph terms (None when unbound); graph results: [s, p, o] rows
    boolean: bool | None = None

    def values(self) -> list[dict[str, str | None]]:
        """Rows as {variable: lexical value or IRI} dicts: what tests and scripts usually want."""
        return [
            {
                name: (None if term is None else term.value)
                for name, term in zip(self.variables, row, strict=True)
            }
            for row in self.rows
        ]


def run_query(store, query: str) -> QueryResult:
    import pyoxigraph as ox

    try:
        result = store.query(with_prefixes(query))
    except SyntaxError as exc:
        raise LinkedDataError(f"SPARQL syntax error: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", [], [], bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return QueryResult("select", names, [[solution[name] for name in names] for solution in result])
    return QueryResult(
        "graph", ["subject", "predicate", "object"], [[t.subject, t.predicate, t.object] for t in result]
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(term: Any) -> str:
    return "" if term is None else short(term).replace("\n", " ")


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """table: aligned columns with short names; csv: full IRIs and lexical values; json: SPARQL 1.1 JSON."""
    if fmt not in QUERY_FORMATS:
        raise LinkedDataError(f"unknown output format {fmt!r}; use one of {QUERY_FORMATS}")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean})
        return "true" if result.boolean else "false"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if t is None else t.value for t in row])
        return out.getvalue().rstrip("\n")
    if fmt == "json":
        return json.dumps(
            {
                "head": {"vars": result.variables},
                "results": {
                    "bindings": [
                        {
                            name: _json_term(t)
                            for name, t in zip(result.variables, row, strict=True)
                            if t is not None
                        }
                        for row in result.rows
                    ]
                },
            },
            ensure_ascii=False,
            indent=1,
        )
    cells = [[_cell(t) for t in row] for row in result.rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(result.variables)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(result.variables), rule, *(line(r) for r in cells)]
    body.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(body)


def _json_term(term: Any) -> dict[str, str]:
    kind = type(term).__name__
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != PREFIXES["xsd"] + "string":
        out["datatype"] = term.datatype.value
    return out


# ---------------------------------------------------------------- push


def _graph_payloads(path: Path, graph: str | None) -> Iterator[tuple[str | None, bytes, str]]:
    """(target graph IRI or None for the default graph, body, content type) requests for one file."""
    suffix = rdf_suffix(path)
    content_type = RDF_SUFFIXES[suffix][2]
    if suffix not in QUAD_SUFFIXES:
        yield graph, path.read_bytes(), content_type
        return
    import pyoxigraph as ox

    store = load_store(path)
    names: list[Any] = [ox.DefaultGraph(), *sorted(store.named_graphs(), key=lambda g: g.value)]
    for name in names:
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, name)]
        if not triples and graph is None:
            continue
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        target = graph if graph is not None else (None if isinstance(name, ox.DefaultGraph) else name.value)
        yield target, body, "application/n-triples"


def push(
    path: Path,
    endpoint: str,
    graph: str | None = None,
    user: str | None = None,
    password: str | None = None,
    replace: bool = False,
    timeout: float = 300.0,
) -> list[tuple[str, int]]:
    """Load an RDF file into a Graph Store Protocol endpoint; returns [(graph, HTTP status)] per request.

    Triples go to `graph` (an IRI) or the default graph; N-Quads/TriG go one named graph per request
    (all into `graph` when given). replace=True uses PUT (replaces the graph), otherwise POST (adds).
    """
    if not path.exists():
        raise LinkedDataError(f"{path}: no such file")
    headers = {}
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    done: list[tuple[str, int]] = []
    cleared: set[str | None] = set()
    for target, body, content_type in _graph_payloads(path, graph):
        query = "default" if target is None else urllib.parse.urlencode({"graph": target})
        url = f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
        # several quad graphs merged into one target: replace it once, then add
        method = "PUT" if replace and target not in cleared else "POST"
        cleared.add(target)
        request = urllib.request.Request(
            url,
            data=body,
            method=method,
            headers={**headers, "Content-Type": f"{content_type}; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                done.append((target or "default graph", response.status))
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode("utf-8", "replace").strip().splitlines()
            raise LinkedDataError(
                f"{endpoint}: {method} {target or 'default graph'} refused: HTTP {exc.code} {exc.reason}"
                + (f" ({detail[0]})" if detail else "")
            ) from None
        except urllib.error.URLError as exc:
            raise LinkedDataError(f"{endpoint}: cannot connect ({exc.reason})") from None
    return done
