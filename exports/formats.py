"""The one table of file formats: what `plankg build --format` writes and what `plankg view`, `query`,
`validate` and `push` read.

In the manner of rdflib's plugin table (rdflib/plugin.py): every format is registered once, under its name
(and aliases: turtle for ttl), with its file suffixes, media type, writer and reader. Writers and readers
are named by module and attribute and imported on first use, so the command line lists the formats
without importing networkx, rdflib or pyoxigraph.

* graph formats (GraphML, GEXF, node-link JSON) are written from and read back into a networkx graph;
* RDF formats are written by exports/rdfwrite.py and read by pyoxigraph (`syntax`, a `pyoxigraph.RdfFormat`
  name) or, where pyshacl needs an rdflib Graph, by rdflib (`rdflib_name`). TriG and RDF/XML are read only
  (`plankg query` and `validate` accept them; the build does not write them).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pyoxigraph as ox

Kind = Literal["graph", "rdf"]
GRAPH: Kind = "graph"
RDF: Kind = "rdf"


def _load(ref: str) -> Callable[..., Any]:
    """The attribute a "package.module:attribute" reference names, importing the module on first use."""
    module, _, attribute = ref.partition(":")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class Format:
    """One file format: how it is named, recognised, written and read."""

    name: str
    kind: Kind
    suffixes: tuple[str, ...]  # the first is the one written; all are recognised when reading
    media_type: str  # HTTP Content-Type (`plankg push`)
    aliases: tuple[str, ...] = ()
    writer: str | None = None  # "module:function"; graph: f(graph, path), RDF: f(graph, path, texts)
    reader: str | None = None  # graph formats: "module:function", f(path) -> networkx graph
    syntax: str | None = None  # RDF: the pyoxigraph RdfFormat member that parses (and serialises) it
    rdflib_name: str | None = None  # RDF: rdflib's parser name, for pyshacl
    quads: bool = False  # RDF: the file holds named graphs (read as a dataset, pushed one graph a request)
    prefixes: bool = False  # RDF writer: declare the common prefixes (Turtle, JSON-LD)
    default: bool = False  # written by `plankg build` without --format

    @property
    def suffix(self) -> str:
        """The suffix the build writes (graph.<suffix>)."""
        return self.suffixes[0]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def write(
        self, graph: nx.MultiDiGraph, path: str | os.PathLike[str], texts: Mapping[str, str] | None = None
    ) -> Path:
        """Write `graph` to `path` atomically; `texts` (document id -> text) only matters to RDF."""
        if self.writer is None:
            raise ValueError(f"{self.name}: plankg reads this format but does not write it")
        if self.kind == RDF:
            return _load(self.writer)(graph, path, texts)
        return _load(self.writer)(graph, path)

    def read(self, path: str | os.PathLike[str]) -> nx.Graph:
        """A graph format's file as the networkx graph it holds."""
        if self.reader is None:
            raise ValueError(f"{self.name}: no graph reader (RDF is read with rdf_format())")
        return _load(self.reader)(path)

    def rdf_format(self) -> ox.RdfFormat:
        """The pyoxigraph syntax of an RDF format."""
        import pyoxigraph as ox

        if self.syntax is None:
            raise ValueError(f"{self.name}: not an RDF format")
        return getattr(ox.RdfFormat, self.syntax)


_NAMES: dict[str, Format] = {}  # name and aliases -> format
_SUFFIXES: dict[str, Format] = {}  # ".ttl" -> format


def register(fmt: Format) -> Format:
    """Add a format; a name, alias or suffix that another format already has is an error."""
    for name in fmt.names:
        if name in _NAMES:
            raise ValueError(f"format name {name!r} is already registered for {_NAMES[name].name}")
    for suffix in fmt.suffixes:
        if suffix in _SUFFIXES:
            raise ValueError(f"suffix {suffix!r} is already registered for {_SUFFIXES[suffix].name}")
    for name in fmt.names:
        _NAMES[name] = fmt
    for suffix in fmt.suffixes:
        _SUFFIXES[suffix] = fmt
    return fmt


def find(name: str) -> Format | None:
    """The format of a name or alias ("turtle", "TTL", ".ttl" all give ttl), None when unknown."""
    return _NAMES.get(name.lower().lstrip("."))


def get(name: str) -> Format:
    fmt = find(name)
    if fmt is None:
        raise KeyError(f"unknown format {name!r}; choose from {sorted(_NAMES)}")
    return fmt


def for_path(path: str | os.PathLike[str], kind: Kind | None = None) -> Format | None:
    """The format a file's suffix names (of `kind` when given), None when there is none."""
    fmt = _SUFFIXES.get(Path(path).suffix.lower())
    return fmt if fmt is not None and (kind is None or fmt.kind == kind) else None


def all_formats(kind: Kind | None = None) -> list[Format]:
    """Every registered format (of `kind`), in registration order."""
    return [f for f in dict.fromkeys(_NAMES.values()) if kind is None or f.kind == kind]


def writable(kind: Kind | None = None) -> list[Format]:
    """The formats the build can write (of `kind`)."""
    return [f for f in all_formats(kind) if f.writer is not None]


def choices() -> tuple[str, ...]:
    """Every name and alias `plankg build --format` accepts."""
    return tuple(name for f in writable() for name in f.names)


def defaults() -> tuple[str, ...]:
    """What `plankg build` writes without --format."""
    return tuple(f.name for f in writable() if f.default)


def suffixes(kind: Kind | None = None) -> list[str]:
    """Every suffix recognised when reading (of `kind`), sorted."""
    return sorted(s for f in all_formats(kind) for s in f.suffixes)


_X = "plankg.exports"
# -- graph formats: networkx in and out
register(
    Format(
        "graphml",
        GRAPH,
        (".graphml", ".xml"),
        "application/graphml+xml",
        writer=f"{_X}.graphml:write_graphml",
        reader=f"{_X}.graphml:read_graphml",
        default=True,
    )
)
# -- RDF (issue 4): Turtle, JSON-LD, N-Triples, N-Quads (one named graph per document)
register(
    Format(
        "ttl",
        RDF,
        (".ttl", ".turtle"),
        "text/turtle",
        aliases=("turtle",),
        writer=f"{_X}.rdfwrite:write_turtle",
        syntax="TURTLE",
        rdflib_name="turtle",
        prefixes=True,
        default=True,
    )
)
register(
    Format(
        "jsonld",
        RDF,
        (".jsonld",),
        "application/ld+json",
        writer=f"{_X}.rdfwrite:write_jsonld",
        syntax="JSON_LD",
        rdflib_name="json-ld",
        prefixes=True,
    )
)
register(
    Format(
        "nt",
        RDF,
        (".nt",),
        "application/n-triples",
        writer=f"{_X}.rdfwrite:write_ntriples",
        syntax="N_TRIPLES",
        rdflib_name="nt",
    )
)
register(
    Format(
        "nq",
        RDF,
        (".nq",),
        "application/n-quads",
        writer=f"{_X}.rdfwrite:write_nquads",
        syntax="N_QUADS",
        rdflib_name="nquads",
        quads=True,
    )
)
# -- Gephi and d3 (issue 5): GEXF 1.3 with viz colours and sizes, networkx node-link JSON
register(
    Format(
        "gexf",
        GRAPH,
        (".gexf",),
        "application/gexf+xml",
        writer=f"{_X}.gexf:write_gexf",
        reader=f"{_X}.gexf:read_gexf",
    )
)
register(
    Format(
        "json",
        GRAPH,
        (".json",),
        "application/json",
        writer=f"{_X}.nodelink:write_nodelink",
        reader=f"{_X}.nodelink:read_nodelink",
    )
)
# -- read only: RDF others write, which `plankg query`, `validate` and `push` accept
register(Format("trig", RDF, (".trig",), "application/trig", syntax="TRIG", rdflib_name="trig", quads=True))
register(Format("rdfxml", RDF, (".rdf", ".owl"), "application/rdf+xml", syntax="RDF_XML", rdflib_name="xml"))
