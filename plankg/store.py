"""A small on-disk store of per-document results, for incremental builds.

Extraction is a pure per-document map and graph merging is associative, so the graph of a
corpus can be rebuilt from stored per-document facts without reading any text again.
`plankg build --update DIR NEW...` analyses only the new documents, replaces the stored
facts of documents seen again, and rebuilds the graph from the store: the result equals a
full rebuild.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from plankg.graph.model import (
    Comparator,
    DocumentFacts,
    EntityKey,
    EntityRecord,
    NodeType,
    Relation,
    RelationRecord,
    Status,
    TargetRecord,
)

STORE_NAME = "facts.sqlite"
SCHEMA = "CREATE TABLE IF NOT EXISTS documents (doc_id TEXT PRIMARY KEY, facts TEXT NOT NULL, text TEXT)"


def to_json(facts: DocumentFacts) -> str:
    # the records are flat dataclasses: their __dict__ is what asdict's deep copy would give, at a
    # tenth of the cost
    data = {
        **vars(facts),
        "entities": [vars(e) for e in facts.entities],
        "relations": [vars(r) for r in facts.relations],
        "targets": [vars(t) for t in facts.targets],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def key(pair: list[str]) -> EntityKey:
    return EntityKey(NodeType(pair[0]), pair[1])


def from_json(text: str) -> DocumentFacts:
    data = json.loads(text)
    return DocumentFacts(
        doc_id=data["doc_id"],
        date=data["date"],
        chars=data["chars"],
        source=data["source"],
        entities=[EntityRecord(**{**e, "type": NodeType(e["type"])}) for e in data["entities"]],
        relations=[
            RelationRecord(
                **{
                    **r,
                    "head": key(r["head"]),
                    "relation": Relation(r["relation"]),
                    "tail": key(r["tail"]),
                }
            )
            for r in data["relations"]
        ],
        targets=[
            TargetRecord(
                **{
                    **t,
                    "subject": key(t["subject"]),
                    "comparator": Comparator(t["comparator"]),
                    "status": Status(t["status"]),
                }
            )
            for t in data["targets"]
        ],
    )


class FactStore:
    """SQLite file of DocumentFacts keyed by document id."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.execute(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise OSError(f"{self.path}: not a plankg fact store ({exc})") from None

    def put_all(self, facts: Iterable[DocumentFacts], text_of: Callable[[str], str | None]) -> int:
        """Store the facts with their documents' texts (replacing same ids), in one transaction."""
        count = 0
        with self.db:
            for f in facts:
                self.db.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?, ?)",
                    (f.doc_id, to_json(f), text_of(f.doc_id)),
                )
                count += 1
        return count

    def texts(self) -> dict[str, str]:
        return {i: t for i, t in self.db.execute("SELECT doc_id, text FROM documents") if t is not None}

    def __iter__(self) -> Iterator[DocumentFacts]:
        for (text,) in self.db.execute("SELECT facts FROM documents ORDER BY doc_id"):
            yield from_json(text)

    def close(self) -> None:
        self.db.close()
