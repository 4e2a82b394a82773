"""A small on-disk store of per-document results, for incremental builds.

Extraction is a pure per-document map and graph merging is associative, so the graph of a
corpus can be rebuilt from stored per-document facts without reading any text again.
`plankg build --update DIR NEW...` analyses only the new documents, replaces the stored
facts of documents seen again, and rebuilds the graph from the store: the result equals a
full rebuild. Each row knows the document it is (a part of) and the file it came from, so that a
document added again replaces its own earlier rows and no other document's.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
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
# document: the id of the whole document a row is (a part of); origin: the file it came from (resolved
# path), NULL for JSONL records. Stores written before these columns get them, empty.
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS documents (doc_id TEXT PRIMARY KEY, facts TEXT NOT NULL, text TEXT,"
    " document TEXT, origin TEXT)"
)
COLUMNS = ("document", "origin")


class StoreError(Exception):
    """A fact store that cannot be read (not SQLite, damaged, not plankg's); one line for the user."""


@dataclass
class Row:
    """What is stored beside a document's facts."""

    text: str | None
    document: str
    origin: str | None


@dataclass(frozen=True)
class Record:
    """A document's facts already in the store's form (to_json), made where they were analysed: a
    worker process sends this string instead of pickled objects the parent would decode and encode."""

    doc_id: str
    json: str


@dataclass
class Stored:
    """Documents a put_all added and replaced (whole documents, however many parts)."""

    added: int = 0
    replaced: int = 0


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
            have = {row[1] for row in self.db.execute("PRAGMA table_info(documents)")}
            for column in COLUMNS:
                if column not in have:
                    self.db.execute(f"ALTER TABLE documents ADD COLUMN {column} TEXT")
            self.db.execute("CREATE INDEX IF NOT EXISTS documents_document ON documents (document)")
        except sqlite3.OperationalError as exc:
            if "unable to open" in str(exc) or "readonly" in str(exc):
                raise OSError(f"{self.path}: cannot be written ({exc})") from None
            raise StoreError(f"{self.path}: not a plankg fact store ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a plankg fact store ({exc})") from None

    @staticmethod
    def index(path: Path) -> dict[str, str | None]:
        """Document id -> origin of every document in the store at `path`, read without writing to it.

        The whole file is checked first (PRAGMA quick_check), so that a damaged store stops an update
        before any analysis, in one line."""
        try:
            db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot be read ({exc})") from None
        try:
            check = db.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise StoreError(f"{path}: the fact store is damaged ({check[0] if check else 'no answer'})")
            have = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
            if "doc_id" not in have:
                raise StoreError(f"{path}: not a plankg fact store (no documents table)")
            if not set(COLUMNS) <= have:  # written before documents knew their files
                return {doc_id: None for (doc_id,) in db.execute("SELECT doc_id FROM documents")}
            rows = db.execute("SELECT doc_id, document, origin FROM documents")
            return {document or doc_id: origin for doc_id, document, origin in rows}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a plankg fact store ({exc})") from None
        finally:
            db.close()

    def put_all(
        self,
        facts: Iterable[DocumentFacts | Record],
        row_of: Callable[[str], Row],
        on_stored: Callable[[str, str], None] | None = None,
    ) -> Stored:
        """Store the facts with their documents' texts, in one transaction. A document stored before
        (same id) loses all its earlier rows first, parts included, and counts as replaced.
        `on_stored(doc_id, record)` sees each record as stored (the JSON the store reads back)."""
        counts, seen = Stored(), set()
        with self.db:
            for f in facts:
                row = row_of(f.doc_id)
                if row.document not in seen:
                    seen.add(row.document)
                    gone = self.db.execute(
                        "DELETE FROM documents WHERE document = ? OR doc_id = ?", (row.document, row.document)
                    ).rowcount
                    if gone:
                        counts.replaced += 1
                    else:
                        counts.added += 1
                record = f.json if isinstance(f, Record) else to_json(f)
                self.db.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?)",
                    (f.doc_id, record, row.text, row.document, row.origin),
                )
                if on_stored is not None:
                    on_stored(f.doc_id, record)
        return counts

    def documents(self) -> int:
        """How many whole documents the store holds."""
        return self._one("SELECT COUNT(DISTINCT COALESCE(document, doc_id)) FROM documents")

    def _one(self, sql: str) -> int:
        try:
            return self.db.execute(sql).fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the fact store is damaged ({exc})") from None

    def __iter__(self) -> Iterator[DocumentFacts]:
        try:
            for (text,) in self.db.execute("SELECT facts FROM documents ORDER BY doc_id"):
                yield from_json(text)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the fact store is damaged ({exc})") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(
                f"{self.path}: not a plankg fact store (a record does not read: {exc})"
            ) from None

    def close(self) -> None:
        self.db.close()


class StoredTexts(Mapping[str, str]):
    """Document id -> text, read from a fact store on demand: an export of 100,000 documents holds the
    last RECENT texts asked for, not the corpus. Its own read-only connection, opened at first use."""

    RECENT = 1024  # a few MB of news text; the evidence of one fact comes from a few documents

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._pid = os.getpid()  # a process forked from this one opens a connection of its own
        self._recent: OrderedDict[str, str | None] = OrderedDict()  # the last RECENT texts asked for

    def _query(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        try:
            if self._db is None or self._pid != os.getpid():
                self._pid = os.getpid()
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            return self._db.execute(sql, args)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the fact store is damaged ({exc})") from None

    def __getitem__(self, doc_id: str) -> str:
        if doc_id in self._recent:
            self._recent.move_to_end(doc_id)
            text = self._recent[doc_id]
        else:
            row = self._query("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            text = self._recent[doc_id] = row[0] if row else None
            if len(self._recent) > self.RECENT:
                self._recent.popitem(last=False)
        if text is None:
            raise KeyError(doc_id)
        return text

    def __iter__(self) -> Iterator[str]:
        yield from (i for (i,) in self._query("SELECT doc_id FROM documents WHERE text IS NOT NULL"))

    def __len__(self) -> int:
        return self._query("SELECT COUNT(*) FROM documents WHERE text IS NOT NULL").fetchone()[0]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
