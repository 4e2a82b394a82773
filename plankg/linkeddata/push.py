"""`plankg push`: the SPARQL 1.1 Graph Store HTTP Protocol (POST, or PUT with replace=True) to Oxigraph
server, Jena Fuseki, Virtuoso, GraphDB ...; quad files (N-Quads, TriG) are sent one graph per request.
Content types come from the format registry.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from plankg.exports import formats

from .common import LinkedDataError, rdf_file_format
from .sparql import load_store


def _graph_payloads(path: Path, graph: str | None) -> Iterator[tuple[str | None, bytes, str]]:
    """(target graph IRI or None for the default graph, body, content type) requests for one file."""
    fmt = rdf_file_format(path)
    if not fmt.quads:
        yield graph, path.read_bytes(), fmt.media_type
        return
    import pyoxigraph as ox

    ntriples = formats.get("nt")  # each graph of a quad file goes as N-Triples
    store = load_store(path, union=False)  # each graph as it is
    names: list[Any] = [ox.DefaultGraph(), *sorted(store.named_graphs(), key=lambda g: g.value)]
    for name in names:
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, name)]
        if not triples and graph is None:
            continue
        body = ox.serialize(triples, format=ntriples.rdf_format())
        target = graph if graph is not None else (None if isinstance(name, ox.DefaultGraph) else name.value)
        yield target, body, ntriples.media_type


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
