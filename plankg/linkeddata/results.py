"""Query results for people and programs: an aligned table with short names, CSV, SPARQL 1.1 JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import urllib.parse
from typing import Any

from .common import LinkedDataError
from .sparql import PREFIXES, QueryResult

QUERY_FORMATS = ("table", "csv", "json")


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
