"""Scoring a graph against gold annotation files (one JSON per document, README "Gold format").

The measure is the annotation guidelines' one, at the level of the graph (unique things and
their links), and gives the same numbers as the project's gold scorer:

- names compare after Unicode NFKC, trimming and dropping quotes and blanks;
- a corpus's gold is the union of its files, one entity of a type merging across documents
  where the canonical name of one is a name of the other (银川 / 银川市), except names that
  stand for a different body in every document (经开区, 县发改局: evaluation_generic.txt);
- predicted nodes of one type with the same label are one prediction; each matches the first
  unmatched gold entity sharing a name (meetings: one name containing the other);
- relations are (head, relation, tail) with both ends matched; targets (subject, figure) with
  figures compared in base units (7000 亿元 == 7e11 元).

Nodes and edges are read in the order of the GraphML file, as the greedy matching depends on it:
score a graph by its file (`read_graph`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from plankg.graph.datafiles import read_lines
from plankg.graph.model import ENTITY_TYPES, QUOTES, NodeType, Relation
from plankg.graph.quantity import split_scale

RELATIONS = tuple(r for r in Relation if r != Relation.SETS_TARGET)  # targets are scored on their own
GENERIC_FILE = Path(__file__).with_name("evaluation_generic.txt")
CONFIDENCE_BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0)


def norm(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    return "".join(ch for ch in s if ch not in QUOTES and not ch.isspace())


def _generic() -> tuple[frozenset[str], re.Pattern[str]]:
    lines = read_lines(GENERIC_FILE)
    pattern = next(line.split("\t", 1)[1] for line in lines if line.startswith("body\t"))
    return frozenset(line for line in lines if "\t" not in line), re.compile(pattern)


GENERIC_NAMES, GENERIC_BODY = _generic()


def is_generic(name: str) -> bool:
    """A name that stands for a different body in every document (经开区, 县发改局, 市委)."""
    return name in GENERIC_NAMES or bool(GENERIC_BODY.fullmatch(name))


def base_figure(value: object, unit: str) -> tuple[float, str] | None:
    """7000 亿元 -> (7e11, 元); 30 ％ -> (30, %)."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    scale, base = split_scale(norm(unit).replace("％", "%"))
    return (v * scale.multiplier if scale else v), base


def same_figure(a: tuple[float, str] | None, b: tuple[float, str] | None) -> bool:
    return (
        a is not None
        and b is not None
        and a[1] == b[1]
        and abs(a[0] - b[0]) <= 1e-6 * max(1.0, abs(a[0]), abs(b[0]))
    )


def similar_text(a: object, b: object) -> bool:
    """One contains the other, or half their character pairs are shared (indicators, titles)."""
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    pairs = lambda s: {s[i : i + 2] for i in range(len(s) - 1)} or {s}  # noqa: E731
    pa, pb = pairs(a), pairs(b)
    return len(pa & pb) / len(pa | pb) >= 0.5


def prf(tp: int, pred: int, gold: int) -> dict:
    p = tp / pred if pred else (1.0 if not gold else 0.0)
    r = tp / gold if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "pred": pred, "gold": gold, "p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


# -- gold ---------------------------------------------------------------------------------------------
@dataclass
class Gold:
    entities: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # merged key -> names
    relations: dict[tuple[str, str, str], dict] = field(default_factory=dict)
    targets: list[dict] = field(default_factory=list)  # each with "_subject": the merged subject name
    texts: dict[str, str] = field(default_factory=dict)


def _merge(entities: dict[tuple[str, str], set[str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """key -> merged key: keys of one type join where the canonical name of one is a name of the other."""
    parent = {k: k for k in entities}

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    by_name = defaultdict(list)
    for key, names in entities.items():
        for name in names:
            by_name[(key[0], name)].append(key)
    for key in entities:
        if is_generic(key[1]):
            continue
        for other in by_name[key]:
            a, b = root(key), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {k: root(k) for k in entities}


def load_gold(folder: Path | Iterable[Path]) -> Gold:
    paths = sorted(Path(folder).glob("*.json")) if isinstance(folder, (str, Path)) else sorted(folder)
    if not paths:
        raise FileNotFoundError(f"{folder}: no gold *.json files")
    entities: dict[tuple[str, str], set[str]] = {}
    raw_relations, raw_targets, texts = [], [], {}
    for path in paths:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        texts[doc["id"]] = doc["text"]
        local: dict[str, tuple[str, str]] = {}  # a name in this document -> its entity
        for e in doc.get("entities", []):
            key = (e["type"], norm(e["name"]))
            names = {n for n in (norm(e["name"]), *(norm(a) for a in e.get("aliases") or [])) if n}
            entities.setdefault(key, set()).update(names)
            for n in names:
                local.setdefault(n, key)
        raw_relations += [
            (local.get(norm(r["head"])), r, local.get(norm(r["tail"]))) for r in doc.get("relations", [])
        ]
        raw_targets += [
            (local.get(norm(t["subject"])), dict(t, doc=doc["id"])) for t in doc.get("targets", [])
        ]
    to_root = _merge(entities)
    gold = Gold(texts=texts)
    for key, root_key in to_root.items():
        gold.entities.setdefault(root_key, set()).update(entities[key])
    for head, r, tail in raw_relations:
        h = to_root[head][1] if head else norm(r["head"])
        t = to_root[tail][1] if tail else norm(r["tail"])
        gold.relations[(h, r["relation"], t)] = r
    for subject, t in raw_targets:
        t["_subject"] = to_root[subject][1] if subject else norm(t["subject"])
        gold.targets.append(t)
    return gold


# -- the graph ----------------------------------------------------------------------------------------
def read_graph(path: Path) -> nx.MultiDiGraph:
    """A GraphML file as the scorer reads it (node and edge order of the file)."""
    return nx.read_graphml(path, force_multigraph=True)


def _names(data: dict) -> set[str]:
    aliases = data.get("aliases") or []
    if isinstance(aliases, str):
        aliases = aliases.split("|")
    return {n for n in (norm(data.get("label", "")), *(norm(a) for a in aliases if str(a).strip())) if n}


@dataclass
class Report:
    entities: dict[str, dict]
    relations: dict[str, dict]
    targets: dict
    errors: dict[str, list[str]]
    reliability: dict[str, list[tuple[float, float, int, int]]] = field(default_factory=dict)


def score(gold: Gold, graph: nx.MultiDiGraph) -> Report:
    errors: dict[str, list[str]] = defaultdict(list)
    judged: dict[str, list[tuple[float, bool]]] = defaultdict(list)  # confidence, right: per kind of fact
    names = {n: _names(d) for n, d in graph.nodes(data=True)}
    matched: dict[str, tuple[str, str]] = {}
    entity_report = {}
    for etype in ENTITY_TYPES:
        golds = [k for k in gold.entities if k[0] == etype]
        groups: dict[str, list[str]] = {}
        for n, d in graph.nodes(data=True):
            if d.get("type") == etype:
                groups.setdefault(norm(d.get("label", "")) or n, []).append(n)
        used: set = set()
        for label, members in groups.items():
            predicted = set().union(*(names[n] for n in members))
            hit = None
            for key in golds:
                if key in used:
                    continue
                gnames = gold.entities[key]
                if predicted & gnames or (
                    etype == NodeType.EVENT and any(a in b or b in a for a in predicted for b in gnames)
                ):
                    hit = key
                    break
            if hit is not None:
                used.add(hit)
                for n in members:
                    matched[n] = hit
            else:
                errors[f"FP {etype}"].append(label)
            confidence = max(float(graph.nodes[n].get("confidence", 1.0)) for n in members)
            judged[str(etype)].append((confidence, hit is not None))
        errors[f"MISS {etype}"] += sorted(k[1] for k in golds if k not in used)
        entity_report[str(etype)] = prf(len(used), len(groups), len(golds))
    entity_report["all"] = prf(*(sum(r[k] for r in entity_report.values()) for k in ("tp", "pred", "gold")))

    predicted_relations: dict[str, set] = defaultdict(set)
    confidence_of: dict[tuple, float] = {}
    attr_ok = attr_n = 0
    for u, v, d in graph.edges(data=True):
        rel = d.get("relation")
        if rel not in RELATIONS:
            continue
        if u in matched and v in matched:
            key = (matched[u][1], rel, matched[v][1])
            g = gold.relations.get(key)
            for attr in ("title", "date"):
                if g and g.get(attr):
                    attr_n += 1
                    want, got = g[attr], d.get(attr, "")
                    attr_ok += similar_text(want, got) if attr == "title" else norm(want) == norm(got)
        else:
            key = ("?", u, v)
        predicted_relations[rel].add(key)
        confidence_of[key] = max(confidence_of.get(key, 0.0), float(d.get("confidence", 1.0)))
    relation_report: dict = {}
    for rel in RELATIONS:
        golds = {k for k in gold.relations if k[1] == rel}
        found = predicted_relations[rel]
        relation_report[str(rel)] = prf(len(found & golds), len(found), len(golds))
        for key in found:
            judged["relation"].append((confidence_of[key], key in golds))
        errors[f"FP {rel}"] += sorted(
            f"{graph.nodes[k[1]].get('label', k[1])} -> {graph.nodes[k[2]].get('label', k[2])}"
            if k[0] == "?"
            else f"{k[0]} -> {k[2]}"
            for k in found - golds
        )
        errors[f"MISS {rel}"] += sorted(f"{h} -> {t}" for h, _, t in golds - found)
    relation_report["all"] = prf(
        *(sum(r[k] for r in relation_report.values() if isinstance(r, dict)) for k in ("tp", "pred", "gold"))
    )
    relation_report["attribute_accuracy"] = round(attr_ok / attr_n, 4) if attr_n else None

    predicted = []
    for u, v, d in graph.edges(data=True):
        if d.get("relation") != Relation.SETS_TARGET or graph.nodes[v].get("type") != NodeType.TARGET:
            continue
        t = graph.nodes[v]
        subject = matched.get(u, ("?", "?" + str(u)))[1]
        predicted.append(
            (subject, base_figure(t.get("value"), t.get("unit")), t, float(d.get("confidence", 1.0)))
        )
    used_t: set[int] = set()
    checks = {k: [0, 0] for k in ("indicator", "comparator", "year", "status")}
    for gt in gold.targets:
        subject, fig = gt["_subject"], base_figure(gt["value"], gt["unit"])
        hit = next(
            (
                i
                for i, p in enumerate(predicted)
                if i not in used_t and p[0] == subject and same_figure(p[1], fig)
            ),
            None,
        )
        if hit is None:
            errors["MISS target"].append(f"{subject} {gt['indicator']} {gt['value']}{gt['unit']}")
            continue
        used_t.add(hit)
        t = predicted[hit][2]
        checks["indicator"][0] += similar_text(gt["indicator"], t.get("indicator", ""))
        checks["comparator"][0] += norm(gt["comparator"]) == norm(t.get("comparator", ""))
        if gt.get("year") is not None:
            checks["year"][0] += str(gt["year"]) == str(t.get("year", "")).split(".")[0]
            checks["year"][1] += 1
        checks["status"][0] += norm(gt.get("status", "")) == norm(t.get("status", ""))
        for k in ("indicator", "comparator", "status"):
            checks[k][1] += 1
    for i, (subject, _, t, confidence) in enumerate(predicted):
        judged["target"].append((confidence, i in used_t))
        if i not in used_t:
            errors["FP target"].append(f"{subject} {t.get('indicator')} {t.get('value')}{t.get('unit')}")
    target_report = prf(len(used_t), len(predicted), len(gold.targets))
    for k, (ok, n) in checks.items():
        target_report[k + "_accuracy"] = round(ok / n, 4) if n else None
    return Report(entity_report, relation_report, target_report, dict(errors), reliability(judged))


def reliability(
    judged: dict[str, list[tuple[float, bool]]],
) -> dict[str, list[tuple[float, float, int, int]]]:
    """Per kind of fact (each entity type, relations, targets): for each confidence bin [low, high),
    how many facts there are and how many are right."""
    out = {}
    for kind, items in judged.items():
        rows = []
        for low, high in zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:], strict=False):
            inside = [right for c, right in items if low <= c < high or (high == 1.0 and c == 1.0)]
            rows.append((low, high, len(inside), sum(inside)))
        out[kind] = rows
    return out


def format_report(report: Report, show_errors: bool = True) -> str:
    head = f"{'':<20}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'pred':>6}{'gold':>6}"

    def row(name: str, r: dict) -> str:
        return (
            f"{name:<20}{r['p']:>8.3f}{r['r']:>8.3f}{r['f1']:>8.3f}{r['tp']:>6}{r['pred']:>6}{r['gold']:>6}"
        )

    t = report.targets
    lines = ["ENTITIES", head, *(row(k, r) for k, r in report.entities.items())]
    lines += ["RELATIONS", head, *(row(k, r) for k, r in report.relations.items() if isinstance(r, dict))]
    lines.append(f"relation attributes (title, date) accuracy: {report.relations['attribute_accuracy']}")
    lines += ["TARGETS", head, row("targets", t)]
    lines.append(
        "  accuracy over matched: " + ", ".join(f"{k[:-9]} {t[k]}" for k in t if k.endswith("_accuracy"))
    )
    lines.append(
        f"entity F1 {report.entities['all']['f1']:.3f} | relation F1 {report.relations['all']['f1']:.3f} | "
        f"target F1 {t['f1']:.3f}"
    )
    if show_errors:
        for kind in sorted(report.errors):
            items = report.errors[kind]
            if items:
                lines.append(f"\n{kind} ({len(items)}):")
                lines += [f"  {x}" for x in items]
    return "\n".join(lines)


def format_reliability(report: Report) -> str:
    """The reliability table: of the facts whose confidence falls in a bin, the share that is right."""
    lines = [f"{'confidence':<12}" + "".join(f"{k:>14}" for k in report.reliability)]
    kinds = list(report.reliability)
    for b, (low, high, *_) in enumerate(next(iter(report.reliability.values()), [])):
        cells = []
        for kind in kinds:
            _, _, n, right = report.reliability[kind][b]
            cells.append(f"{right / n:>8.2f} ({n:>3})" if n else f"{'-':>14}")
        lines.append(f"{f'{low:.2f}-{high:.2f}':<12}" + "".join(f"{c:>14}" for c in cells))
    return "\n".join(lines)
