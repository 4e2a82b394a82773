"""`plankg query`: SPARQL 1.1 over an in-memory pyoxigraph store (a Rust engine: seconds on a million
triples where rdflib's pure-Python evaluator takes minutes).

Common prefixes (pkg:, org:, prov:, skos:, schema:, ...) are predeclared, so a query may use them without
PREFIX lines. The example queries are bundled in the package (exports/queries/*.rq); their parameters
(`--param name=value`) are in params.py.

Quad files (N-Quads, TriG) are queried as the union of their graphs: every triple is also put once into the
store's default graph (the RDF merge, so no row comes twice), while `GRAPH ?g { ... }` still sees each
named graph. A query therefore gives the same rows on graph.ttl and graph.nq.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .common import LinkedDataError, rdf_file_format

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


def load_store(paths: Path | Iterable[Path], union: bool = True):
    """An in-memory pyoxigraph Store with the given RDF files loaded. Quads keep their graphs and, with
    `union` (the default), every triple is also in the default graph once: the union plain queries see."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in [paths] if isinstance(paths, Path | str) else paths:
        path = Path(path)
        rdf_format = rdf_file_format(path)
        fmt = rdf_format.rdf_format()
        try:
            store.load(path=str(path), format=fmt)
            if union and rdf_format.quads:
                parsed = ox.parse(path=str(path), format=fmt)
                store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in parsed)
        except FileNotFoundError:
            raise LinkedDataError(f"{path}: no such file") from None
        except (SyntaxError, ValueError, OSError) as exc:
            raise LinkedDataError(f"{path}: cannot parse as {fmt} ({exc})") from None
    return store


def queries_dir() -> Path:
    return Path(str(resources.files("plankg.exports").joinpath("queries")))


def example_queries() -> dict[str, Path]:
    """name -> path of the bundled example queries (exports/queries/*.rq)."""
    return {p.stem: p for p in sorted(queries_dir().glob("*.rq"))}


def describe(query: str) -> str:
    """The question a query answers: its leading comment lines, parameter declarations left out."""
    lines = []
    for line in query.splitlines():
        if not line.startswith("#"):
            break
        text = line.lstrip("#").strip()
        if not re.match(r"(?i)param\s", text):
            lines.append(text)
    return " ".join(lines)


def list_queries() -> str:
    """`plankg query --list`: every bundled query, what it asks, its parameters with their defaults."""
    from .params import parameters

    out = []
    for name, path in example_queries().items():
        text = path.read_text(encoding="utf-8")
        out.append(f"{name}\n    {describe(text)}")
        for p in parameters(text):
            out.append(f"    --param {p.name} ({p.kind}, default {p.default_value}): {p.description}")
    return "\n".join(out)


def has_union(paths: Iterable[Path]) -> bool:
    """Whether any of the files holds named graphs (then queries see their union)."""
    return any(rdf_file_format(p).quads for p in paths)


# A bundled query's name (or a mistyped one): one word of letters, digits, -, _ and dots, no SPARQL in it.
_NAME = re.compile(r"[\w.-]+")


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
    if _NAME.fullmatch(query.strip()):
        import difflib

        close = difflib.get_close_matches(query.strip(), list(examples), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise LinkedDataError(
            f"{query}: no such bundled query, file or SPARQL text; {hint}bundled queries: {', '.join(examples)}"
            " (plankg query --list)"
        )
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
