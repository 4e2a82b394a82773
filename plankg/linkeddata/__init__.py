"""Linked-data tools behind `plankg validate`, `plankg query` and `plankg push`, one module each:

    shacl.py    validate: SHACL shapes via pyshacl, violations as plain records
    sparql.py   query: files into a pyoxigraph store (quads as the union of their graphs), common prefixes,
                the bundled example queries
    params.py   query parameters: `--param name=value` into the query's VALUES clause, as SPARQL terms
    results.py  query results as a table, CSV or SPARQL 1.1 JSON
    push.py     push: SPARQL 1.1 Graph Store HTTP Protocol
    common.py   LinkedDataError, and which RDF format a file is (from exports/formats.py)

Everything is re-exported here (`from plankg import linkeddata as ld; ld.run_query(...)`).
"""

from __future__ import annotations

from .common import LinkedDataError, rdf_file_format
from .params import Parameter, bind, parameters, parse_assignments
from .push import push
from .results import QUERY_FORMATS, format_result, short
from .shacl import Violation, format_violations, read_rdflib, shapes_path, validate
from .sparql import (
    PREFIXES,
    QueryResult,
    describe,
    example_queries,
    has_union,
    list_queries,
    load_store,
    queries_dir,
    read_query,
    run_query,
    with_prefixes,
)

__all__ = [
    "PREFIXES",
    "QUERY_FORMATS",
    "LinkedDataError",
    "Parameter",
    "QueryResult",
    "Violation",
    "bind",
    "describe",
    "example_queries",
    "format_result",
    "format_violations",
    "has_union",
    "list_queries",
    "load_store",
    "parameters",
    "parse_assignments",
    "push",
    "queries_dir",
    "rdf_file_format",
    "read_query",
    "read_rdflib",
    "run_query",
    "shapes_path",
    "short",
    "validate",
    "with_prefixes",
]
