"""Query parameters: `plankg query G districts-backing-industry --param industry=生物医药`.

A query declares a parameter in a comment line and gives its default in a VALUES clause, so the .rq file
stays plain SPARQL that any store runs as it is:

    # param industry (text): the industry, by its name or an alias
    ...
    VALUES ?industry { "人工智能"@zh }

A value given on the command line replaces what is inside the braces, written as a SPARQL term of the
parameter's kind (never pasted as text): a text becomes an escaped "..."@zh literal, a date must be
YYYY-MM-DD and becomes xsd:date, a number must be a number, an IRI must be a full IRI or use a known
prefix. A parameter given twice gives VALUES two rows (`--param industry=A --param industry=B`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .common import LinkedDataError

_DECLARATION = re.compile(r"(?im)^\s*#\s*param\s+([A-Za-z_]\w*)\s*\(\s*(\w+)\s*\)\s*:?\s*(.*?)\s*$")
_IRI_CHARS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*")
_PREFIXED = re.compile(r"([A-Za-z][\w-]*):([\w.%-]*)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"-?\d{4}")
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("an empty text")
    return _string(value.strip()) + "@zh"


def _date(value: str) -> str:
    if not _DATE.fullmatch(value.strip()):
        raise ValueError("a date is written YYYY-MM-DD")
    return f"{_string(value.strip())}^^<{_XSD}date>"


def _year(value: str) -> str:
    if not _YEAR.fullmatch(value.strip()):
        raise ValueError("a year is four digits")
    return f"{_string(value.strip())}^^<{_XSD}gYear>"


def _number(value: str) -> str:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not number.is_finite():
        raise ValueError("not a finite number")
    text = format(number, "f")
    return f"{_string(text)}^^<{_XSD}decimal>"


def _iri(value: str) -> str:
    from .sparql import PREFIXES

    value = value.strip().removeprefix("<").removesuffix(">")
    prefixed = _PREFIXED.fullmatch(value)
    if prefixed and prefixed.group(1) in PREFIXES:
        return f"<{PREFIXES[prefixed.group(1)]}{prefixed.group(2)}>"
    if not _IRI_CHARS.fullmatch(value):
        raise ValueError("an IRI is absolute (https://...) or uses a known prefix (pkg:hasPlatform)")
    return f"<{value}>"


KINDS = {"text": _text, "date": _date, "year": _year, "number": _number, "iri": _iri}


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # a key of KINDS
    description: str
    default: str  # the VALUES clause's content as written in the query

    @property
    def default_value(self) -> str:
        """The default as a user would type it: 人工智能, 2024-02-25, 0.9, pkg:hasPlatform."""
        text = self.default.strip()
        literal = re.match(r'"((?:[^"\\]|\\.)*)"', text)
        return literal.group(1) if literal else text


def _values_clause(query: str, name: str) -> re.Match[str] | None:
    return re.search(rf"VALUES\s+\?{re.escape(name)}\s*\{{([^{{}}]*)\}}", query, flags=re.IGNORECASE)


def parameters(query: str) -> list[Parameter]:
    """The parameters a query declares, in order, each with its default from its VALUES clause."""
    found = []
    for name, kind, description in _DECLARATION.findall(query):
        kind = kind.lower()
        if kind not in KINDS:
            raise LinkedDataError(f"parameter {name}: unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        clause = _values_clause(query, name)
        if clause is None:
            raise LinkedDataError(
                f"parameter {name} is declared but the query has no VALUES ?{name} {{ ... }}"
            )
        found.append(Parameter(name, kind, description, clause.group(1).strip()))
    return found


def parse_assignments(items: list[str] | tuple[str, ...]) -> dict[str, list[str]]:
    """["industry=人工智能", "industry=生物医药"] -> {"industry": ["人工智能", "生物医药"]}."""
    values: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise LinkedDataError(f"--param {item!r}: write NAME=VALUE")
        values.setdefault(name.strip(), []).append(value)
    return values


def bind(query: str, values: dict[str, list[str]]) -> str:
    """The query with each given parameter's VALUES clause holding the given values (as SPARQL terms)."""
    if not values:
        return query
    declared = {p.name: p for p in parameters(query)}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise LinkedDataError(f"unknown parameter(s) {', '.join(unknown)}; this query takes: {known}")
    spans = []
    for name, given in values.items():
        parameter = declared[name]
        try:
            terms = [KINDS[parameter.kind](value) for value in given]
        except ValueError as exc:
            raise LinkedDataError(f"--param {name}={given[0]!r}: {exc}") from None
        clause = _values_clause(query, name)
        assert clause is not None  # parameters() checked
        spans.append((clause.start(1), clause.end(1), " " + " ".join(terms) + " "))
    for start, end, text in sorted(spans, reverse=True):  # from the end: earlier offsets stay valid
        query = query[:start] + text + query[end:]
    return query
