"""Gold annotation files (one JSON per document, the annotation guidelines' format) as training data.

The gold names entities but not where they stand, so each name and alias is projected onto its
occurrences in the text: longer names first (广州国际金融城 over 国际金融城), then by type
priority, never overlapping.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from plankg.graph.model import NodeType

# which type wins where two gold names of the same length overlap
PRIORITY = {
    t: i
    for i, t in enumerate(
        ["Official", "Event", "Organization", "Project", "Platform", "District", "Industry"]
    )
}


@dataclass
class GoldDocument:
    id: str
    text: str
    entities: list[dict]
    relations: list[dict]
    targets: list[dict]
    path: Path | None = None

    @classmethod
    def read(cls, path: Path) -> GoldDocument:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            data["id"],
            data["text"],
            data.get("entities", []),
            data.get("relations", []),
            data.get("targets", []),
            Path(path),
        )


def read_gold(folders: Iterable[str | Path]) -> list[GoldDocument]:
    """Every *.json of the folders (or single files), sorted by id."""
    docs = []
    for folder in folders:
        folder = Path(folder)
        paths = [folder] if folder.is_file() else sorted(folder.glob("*.json"))
        docs += [GoldDocument.read(p) for p in paths]
    if not docs:
        raise FileNotFoundError(f"no gold *.json files in {', '.join(map(str, folders))}")
    return sorted(docs, key=lambda d: d.id)


def projected_spans(doc: GoldDocument) -> list[tuple[int, int, str, str]]:
    """(start, end, type, canonical name) of every gold name's occurrences, without overlaps."""
    text = doc.text
    found = []
    for entity in doc.entities:
        kind = entity["type"]
        for name in {entity["name"], *entity.get("aliases", [])}:
            if not name or (len(name) < 2 and kind != NodeType.DISTRICT):
                continue
            at = text.find(name)
            while at >= 0:
                found.append((at, at + len(name), kind, entity["name"]))
                at = text.find(name, at + 1)
    found.sort(key=lambda f: (-(f[1] - f[0]), PRIORITY[f[2]], f[0]))
    used = bytearray(len(text))
    spans = []
    for start, end, kind, name in found:
        if any(used[start:end]):
            continue
        used[start:end] = b"\1" * (end - start)
        spans.append((start, end, kind, name))
    return sorted(spans)


def folds(docs: list[GoldDocument], k: int, seed: int = 0) -> list[list[GoldDocument]]:
    """k folds of documents, deterministic: by a stable hash of the id, so a document keeps its fold
    whatever else is in the corpus. Another `seed` deals the documents into other folds: a change
    smaller than the retraining spread shows only in the mean over several such partitions."""
    import hashlib

    out: list[list[GoldDocument]] = [[] for _ in range(k)]
    for doc in docs:
        key = doc.id if not seed else f"{seed}:{doc.id}"  # seed 0 keeps the folds every CV so far used
        out[int(hashlib.sha1(key.encode()).hexdigest(), 16) % k].append(doc)
    return out


class GoldNames:
    """Which gold entity a predicted (type, name) is: by the gold canonical name or any alias."""

    def __init__(self, doc: GoldDocument) -> None:
        from plankg.graph.model import clean_name

        self.clean = clean_name
        self.by_name: dict[tuple[str, str], str] = {}
        for entity in doc.entities:
            for name in (entity["name"], *entity.get("aliases", [])):
                self.by_name.setdefault((entity["type"], clean_name(name)), entity["name"])
        self.relations = {(r["head"], r["relation"], r["tail"]) for r in doc.relations}

    def forms(self, kind: str, name: str) -> list[str]:
        """The cleaned names (canonical and aliases) of the gold entity `name` of this kind."""
        return [n for (k, n), canonical in self.by_name.items() if k == kind and canonical == name]

    def entity(self, kind: str, *names: str) -> str | None:
        for name in names:
            found = self.by_name.get((kind, self.clean(name)))
            if found:
                return found
        return None
