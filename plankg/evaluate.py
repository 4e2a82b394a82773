"""Error analysis against gold annotation files (one JSON per document, GUIDELINES format).

Scores a built graph the way the guidelines define it (graph level: unique entities,
relations and targets) and lists false positives and misses per type, so that every
change to the recognisers can be measured and explained.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from plankg.graph.model import ENTITY_TYPES
from plankg.graph.model import RELATIONS as GRAPH_RELATIONS
from plankg.graph.quantity import split_scale

RELATIONS = tuple(r for r in GRAPH_RELATIONS if r != "sets_target")  # targets are scored on their own
QUOTES = "\"'“”‘’「」『』《》〈〉"


def norm(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    return "".join(ch for ch in s if ch not in QUOTES and not ch.isspace())


def base_figure(value: object, unit: str) -> tuple[float, str] | None:
    """7000 亿元 -> (7e11, 元); 30 ％ -> (30, %)."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    scale, base = split_scale(norm(unit).replace("％", "%"))
    return (v * scale.multiplier if scale else v), base


@dataclass
class Gold:
    entities: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    relations: dict[tuple[str, str, str], dict] = field(default_factory=dict)
    targets: list[dict] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


def load_gold(folder: Path) -> Gold:
    gold = Gold()
    files = sorted(Path(folder).glob("*.json"))
    if not files:
        raise FileNotFoundError(f"{folder}: no gold *.json files")
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        gold.texts[doc["id"]] = doc["text"]
        for e in doc.get("entities", []):
            names = {norm(e["name"]), *(norm(a) for a in e.get("aliases") or [])} - {""}
            gold.entities.setdefault((e["type"], norm(e["name"])), set()).update(names)
        for r in doc.get("relations", []):
            gold.relations[(norm(r["head"]), r["relation"], norm(r["tail"]))] = r
        gold.targets += [dict(t, doc=doc["id"]) for t in doc.get("targets", [])]
    return gold


def prf(tp: int, pred: int, gold: int) -> dict:
    p = tp / pred if pred else (1.0 if not gold else 0.0)
    r = tp / gold if gold else 1.0
    return {"tp": tp, "pred": pred, "gold": gold, "p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


@dataclass
class Report:
    entities: dict[str, dict]
    relations: dict[str, dict]
    targets: dict
    errors: dict[str, list[str]]


def score(gold: Gold, graph: nx.MultiDiGraph) -> Report:
    errors: dict[str, list[str]] = defaultdict(list)
    names = {}
    for n, d in graph.nodes(data=True):
        aliases = d.get("aliases") or []
        if isinstance(aliases, str):
            aliases = aliases.split("|")
        names[n] = {norm(d.get("label", "")), *(norm(a) for a in aliases)} - {""}
    matched: dict[str, tuple[str, str]] = {}
    ent_report = {}
    for etype in ENTITY_TYPES:
        golds = {k: v for k, v in gold.entities.items() if k[0] == etype}
        preds = sorted(n for n, d in graph.nodes(data=True) if d.get("type") == etype)
        used: set = set()
        for n in preds:
            for key, gnames in golds.items():
                if key in used:
                    continue
                hit = bool(names[n] & gnames) or (
                    etype == "Event" and any(a in b or b in a for a in names[n] for b in gnames)
                )
                if hit:
                    used.add(key)
                    matched[n] = key
                    break
            else:
                errors[f"FP {etype}"].append(graph.nodes[n].get("label", n))
        errors[f"MISS {etype}"] += sorted(k[1] for k in golds if k not in used)
        ent_report[etype] = prf(len(used), len(preds), len(golds))
    ent_report["all"] = prf(*(sum(r[k] for r in ent_report.values()) for k in ("tp", "pred", "gold")))

    pred_rels: dict[str, set] = defaultdict(set)
    for u, v, d in graph.edges(data=True):
        rel = d.get("relation")
        if rel not in RELATIONS:
            continue
        if u in matched and v in matched:
            key = (matched[u][1], rel, matched[v][1])
        else:
            key = (graph.nodes[u].get("label", u), rel, graph.nodes[v].get("label", v))
        pred_rels[rel].add(key)
    rel_report = {}
    for rel in RELATIONS:
        golds = {k for k in gold.relations if k[1] == rel}
        rel_report[rel] = prf(len(pred_rels[rel] & golds), len(pred_rels[rel]), len(golds))
        errors[f"FP {rel}"] += sorted(f"{h} -> {t}" for h, _, t in pred_rels[rel] - golds)
        errors[f"MISS {rel}"] += sorted(f"{h} -> {t}" for h, _, t in golds - pred_rels[rel])
    rel_report["all"] = prf(*(sum(r[k] for r in rel_report.values()) for k in ("tp", "pred", "gold")))

    name_to_gold = {n: key[1] for key, ns in gold.entities.items() for n in ns}
    preds = []
    for u, v, d in graph.edges(data=True):
        t = graph.nodes[v]
        if d.get("relation") == "sets_target" and t.get("type") == "Target":
            subject = matched.get(u, ("?", graph.nodes[u].get("label", u)))[1]
            preds.append((subject, base_figure(t.get("value"), t.get("unit", "")), t))
    used_t: set[int] = set()
    checks = {k: [0, 0] for k in ("indicator", "comparator", "year", "status")}
    for gt in gold.targets:
        subject = name_to_gold.get(norm(gt["subject"]), norm(gt["subject"]))
        fig = base_figure(gt["value"], gt["unit"])
        for i, (psubj, pfig, t) in enumerate(preds):
            if i in used_t or psubj != subject or pfig is None or fig is None or pfig[1] != fig[1]:
                continue
            if abs(pfig[0] - fig[0]) > 1e-6 * max(1.0, abs(fig[0])):
                continue
            used_t.add(i)
            for k in checks:
                want = gt.get(k)
                if k == "year" and want is None:
                    continue
                got = t.get(k)
                ok = (
                    (norm(want) in norm(got) or norm(got) in norm(want))
                    if k == "indicator"
                    else (str(want) == str(got).split(".")[0] if k == "year" else norm(want) == norm(got))
                )
                checks[k][1] += 1
                checks[k][0] += bool(ok)
                if not ok:
                    errors[f"WRONG target {k}"].append(
                        f"{subject} {gt['indicator']} {gt['value']}{gt['unit']}: gold {want!r} got {got!r}"
                    )
            break
        else:
            errors["MISS target"].append(f"{subject} {gt['indicator']} {gt['value']}{gt['unit']}")
    for i, (psubj, _, t) in enumerate(preds):
        if i not in used_t:
            errors["FP target"].append(f"{psubj} {t.get('indicator')} {t.get('value'):g}{t.get('unit')}")
    tgt = prf(len(used_t), len(preds), len(gold.targets))
    tgt.update({f"{k}_accuracy": (ok / n if n else None) for k, (ok, n) in checks.items()})
    return Report(ent_report, rel_report, tgt, dict(errors))


def format_report(report: Report, show_errors: bool = True) -> str:
    head = f"{'':<20}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'pred':>6}{'gold':>6}"

    def row(name: str, r: dict) -> str:
        return (
            f"{name:<20}{r['p']:>8.3f}{r['r']:>8.3f}{r['f1']:>8.3f}{r['tp']:>6}{r['pred']:>6}{r['gold']:>6}"
        )

    lines = ["ENTITIES", head, *(row(k, r) for k, r in report.entities.items())]
    lines += ["RELATIONS", head, *(row(k, r) for k, r in report.relations.items())]
    lines += ["TARGETS", head, row("targets", report.targets)]
    acc = ", ".join(
        f"{k[:-9]} {v:.3f}" for k, v in report.targets.items() if k.endswith("_accuracy") and v is not None
    )
    lines.append(f"  accuracy over matched: {acc}")
    lines.append(
        f"entity F1 {report.entities['all']['f1']:.3f} | relation F1 {report.relations['all']['f1']:.3f} | "
        f"target F1 {report.targets['f1']:.3f}"
    )
    if show_errors:
        for kind in sorted(report.errors):
            items = report.errors[kind]
            if items:
                lines.append(f"\n{kind} ({len(items)}):")
                lines += [f"  {x}" for x in items]
    return "\n".join(lines)
