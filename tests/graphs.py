"""Hand-built graphs the tests share, so that export and query tests do not depend on the NLP.

* `build_graph()`: small, covers every node type and relation (two Targets, one without a year), aliases,
  two relations between one pair, two documents;
* `corpus()`: three reports (萧山, 江夏, 苏州) written out sentence by sentence, with every fact the bundled
  SPARQL queries ask about, their evidence offsets into the texts, and the texts themselves.

Imported as a plain module (`from graphs import ...`): pytest puts tests/ on sys.path for its test files.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from plankg.graph.model import Comparator, NodeType, Relation, Status, node_id, target_id

DOC_A = "tianhe-2024"
DOC_B = "liwan-2024"
SENT_A1 = "天河区委书记陈加猛在天河区高质量发展大会上作讲话。"
SENT_A2 = "广州天河区将加快建设天河中央商务区，推进白云大道改造工程。"
SENT_A3 = "今年天河区经济总量力争突破7000亿元，数字经济和人工智能产业规模继续扩大。"
SENT_B1 = "荔湾区人大常委会召开会议，审议白鹅潭大道建设方案。"


def ev(doc: str, sentence: str, start: int) -> dict:
    return {"doc": doc, "sentence": sentence, "start": start, "end": start + len(sentence)}


def add_node(g: nx.MultiDiGraph, node_type: str, name: str, aliases=(), docs=(DOC_A,), **extra) -> str:
    nid = node_id(node_type, name)
    g.add_node(nid, type=node_type, label=name, aliases=sorted(aliases), docs=sorted(docs), **extra)
    return nid


def add_edge(g: nx.MultiDiGraph, u: str, v: str, relation: str, evidence: list[dict], **extra) -> None:
    docs = sorted({e["doc"] for e in evidence})
    g.add_edge(u, v, key=relation, relation=relation, docs=docs, evidence=evidence, **extra)


def build_graph() -> nx.MultiDiGraph:
    """Every node type (two Targets, one without year), every relation, aliases, two documents."""
    g = nx.MultiDiGraph()
    g.graph["documents"] = {
        DOC_A: {"date": "2024-02-20", "chars": 1200, "source": "https://example.org/tianhe"},
        DOC_B: {"date": None, "chars": 800, "source": "gold/liwan.json"},
    }
    chen = add_node(g, "Official", "陈加猛")
    guangzhou = add_node(g, "District", "广州市", aliases=["广州"])
    tianhe = add_node(g, "District", "天河区", aliases=["天河"], docs=(DOC_A, DOC_B))
    liwan = add_node(g, "District", "荔湾区", aliases=["荔湾"], docs=(DOC_B,))
    cbd = add_node(g, "Platform", "天河中央商务区", aliases=["天河CBD", "a|b"])
    road = add_node(g, "Project", "白云大道改造工程")
    avenue = add_node(g, "Project", "白鹅潭大道", docs=(DOC_B,))
    digital = add_node(g, "Industry", "数字经济")
    ai = add_node(g, "Industry", "人工智能")
    congress = add_node(g, "Organization", "荔湾区人大常委会", docs=(DOC_B,))
    meeting = add_node(g, "Event", "高质量发展大会")

    gdp = target_id(tianhe, "经济总量", 7000.0, "亿元", 2024, "target")
    g.add_node(
        gdp,
        type="Target",
        label="经济总量 > 7000亿元 (2024)",
        aliases=[],
        docs=[DOC_A],
        indicator="经济总量",
        value=7000.0,
        unit="亿元",
        comparator=">",
        year=2024,
        status="target",
        sentence=SENT_A3,
        doc=DOC_A,
        start=300,
        end=300 + len(SENT_A3),
    )
    cost = target_id(avenue, "总投资", 35.5, "亿元", None, "target")
    g.add_node(
        cost,
        type="Target",
        label="总投资 = 35.5亿元",
        aliases=[],
        docs=[DOC_B],
        indicator="总投资",
        value=35.5,
        unit="亿元",
        comparator="=",
        year=None,
        status="target",
        sentence=SENT_B1,
        doc=DOC_B,
        start=0,
        end=len(SENT_B1),
    )

    add_edge(g, chen, tianhe, "holds_post", [ev(DOC_A, SENT_A1, 0)], title="区委书记")
    # supported by both documents; evidence deliberately out of order
    add_edge(g, tianhe, guangzhou, "part_of", [ev(DOC_B, SENT_B1, 0), ev(DOC_A, SENT_A2, 100)])
    add_edge(g, tianhe, cbd, "has_platform", [ev(DOC_A, SENT_A2, 100)])
    add_edge(g, tianhe, road, "has_project", [ev(DOC_A, SENT_A2, 100)])
    add_edge(g, liwan, avenue, "has_project", [ev(DOC_B, SENT_B1, 0)])
    add_edge(g, tianhe, digital, "develops_industry", [ev(DOC_A, SENT_A3, 300)])
    add_edge(g, tianhe, ai, "develops_industry", [ev(DOC_A, SENT_A3, 300)])
    add_edge(g, tianhe, meeting, "held_event", [ev(DOC_A, SENT_A1, 0)], date="2024-02-18")
    add_edge(g, chen, meeting, "spoke_at", [ev(DOC_A, SENT_A1, 0)])
    add_edge(g, tianhe, gdp, "sets_target", [ev(DOC_A, SENT_A3, 300)])
    add_edge(g, avenue, cost, "sets_target", [ev(DOC_B, SENT_B1, 0)])
    add_edge(g, liwan, guangzhou, "part_of", [ev(DOC_B, SENT_B1, 0)])
    # two relations between one pair (not a plausible pair: the exporter must simply keep both)
    add_edge(g, congress, liwan, "part_of", [ev(DOC_B, SENT_B1, 0)])
    add_edge(g, congress, liwan, "has_project", [ev(DOC_B, SENT_B1, 0)])
    add_edge(g, chen, congress, "holds_post", [ev(DOC_B, SENT_B1, 0)])  # no title
    return g


def reversed_copy(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph built in the opposite order (as another run or a parallel build might)."""
    r = nx.MultiDiGraph()
    r.graph["documents"] = dict(reversed(list(g.graph["documents"].items())))
    for n, d in reversed(list(g.nodes(data=True))):
        r.add_node(n, **d)
    for u, v, k, d in reversed(list(g.edges(keys=True, data=True))):
        r.add_edge(u, v, key=k, **dict(d, evidence=list(reversed(d["evidence"]))))
    return r


def edge_facts(g: nx.MultiDiGraph) -> list[tuple]:
    return sorted(
        (u, v, d["relation"], d.get("title", ""), d.get("date", "")) for u, v, d in g.edges(data=True)
    )


# The child imports only the installed plankg: the graph reaches it pickled, not by importing the tests.
_WRITE_ALL = (
    "import pickle, sys\n"
    "from plankg.exports import write_all\n"
    "with open(sys.argv[1], 'rb') as fh:\n"
    "    graph, formats = pickle.load(fh)\n"
    "write_all(graph, sys.argv[2], formats=formats)\n"
)


def write_in_process(
    graph: nx.MultiDiGraph, out: Path, hash_seed: str, formats: Iterable[str]
) -> dict[str, bytes]:
    """write_all(graph, out, formats) in a fresh interpreter with PYTHONHASHSEED=hash_seed; the files' bytes."""
    out.mkdir(parents=True, exist_ok=True)
    pickled = out.with_name(out.name + ".pickle")
    pickled.write_bytes(pickle.dumps((graph, tuple(formats))))
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    subprocess.run([sys.executable, "-c", _WRITE_ALL, str(pickled), str(out)], check=True, env=env)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


# ---------------------------------------------------------------- three reports


class Report:
    """One document: its text is its sentences in order; facts cite a sentence by its number."""

    def __init__(self, corpus: Corpus, doc_id: str, date: str | None, sentences: list[str]) -> None:
        self.corpus, self.doc_id, self.sentences = corpus, doc_id, sentences
        self.starts = [sum(len(s) for s in sentences[:i]) for i in range(len(sentences))]
        self.text = "".join(sentences)
        corpus.texts[doc_id] = self.text
        corpus.graph.graph["documents"][doc_id] = {
            "date": date,
            "chars": len(self.text),
            "source": f"{doc_id}.txt",
        }

    def evidence(self, sentence: int, within: str | None = None) -> dict[str, Any]:
        """The sentence's span, or (as NLP gives Targets) the whole sentence with the span of `within`."""
        text, start = self.sentences[sentence], self.starts[sentence]
        if within is not None:
            at = text.index(within)
            return {
                "doc": self.doc_id,
                "sentence": text,
                "start": start + at,
                "end": start + at + len(within),
            }
        return {"doc": self.doc_id, "sentence": text, "start": start, "end": start + len(text)}

    def entity(self, node_type: NodeType, name: str) -> str:
        graph, nid = self.corpus.graph, node_id(node_type, name)
        if nid not in graph:
            graph.add_node(nid, type=str(node_type), label=name, aliases=[], docs=[])
        docs = graph.nodes[nid]["docs"]
        docs[:] = sorted({*docs, self.doc_id})
        return nid

    def relate(self, head: str, relation: Relation, tail: str, sentence: int, **attrs: Any) -> None:
        graph, key = self.corpus.graph, str(relation)
        if not graph.has_edge(head, tail, key=key):
            graph.add_edge(head, tail, key=key, relation=key, docs=[], evidence=[], **attrs)
        data = graph.edges[head, tail, key]
        data["docs"] = sorted({*data["docs"], self.doc_id})
        data["evidence"].append(self.evidence(sentence))

    def target(
        self,
        subject: str,
        indicator: str,
        value: float,
        unit: str,
        comparator: Comparator,
        year: int | None,
        status: Status,
        sentence: int,
        figure: str,
    ) -> str:
        """A target or reported figure; `figure` is its text in the sentence (the evidence span)."""
        tid = target_id(subject, indicator, value, unit, year, status)
        ev = self.evidence(sentence, figure)
        label = f"{indicator}{comparator}{value:g}{unit}" + (f"({year})" if year else "")
        self.corpus.graph.add_node(
            tid,
            type=str(NodeType.TARGET),
            label=label,
            aliases=[],
            docs=[self.doc_id],
            indicator=indicator,
            value=float(value),
            unit=unit,
            comparator=str(comparator),
            year=year,
            status=str(status),
            **ev,
        )
        self.relate(subject, Relation.SETS_TARGET, tid, sentence)
        return tid


class Corpus:
    """A graph and the texts it was read from (document id -> text)."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()
        self.graph.graph["documents"] = {}
        self.texts: dict[str, str] = {}

    def report(self, doc_id: str, date: str | None, sentences: Iterable[str]) -> Report:
        return Report(self, doc_id, date, list(sentences))


D, OF, PL, PR, IN, EV = (
    NodeType.DISTRICT,
    NodeType.OFFICIAL,
    NodeType.PLATFORM,
    NodeType.PROJECT,
    NodeType.INDUSTRY,
    NodeType.EVENT,
)
R = Relation
TARGET, ACTUAL = Status.TARGET, Status.ACTUAL


def corpus() -> Corpus:
    """Three plan reports as NLP should read them: officials and posts, meetings with dates and
    speakers, platforms, projects, industries, targets and reported figures in 亿元 and %."""
    c = Corpus()
    x = c.report(
        "xiaoshan",
        "2024-02-26",
        [
            "2月25日，萧山区召开全区高质量发展大会。",
            "区委书记林则安、区委副书记、区长顾晓岚出席会议并讲话。",
            "杭州市萧山区将做强萧山经济技术开发区、湘湖未来科技城和钱江数智产业园。",
            "推进湘湖蓝工程和通城大道快速路项目建设。",
            "大力发展集成电路、生物医药和智能装备产业。",
            "今年全区地区生产总值力争突破2400亿元，增长6.5%以上。",
            "固定资产投资不低于900亿元。",
            "到2027年，数字经济核心产业增加值达到800亿元左右。",
        ],
    )
    xiaoshan, meeting = x.entity(D, "萧山区"), x.entity(EV, "全区高质量发展大会")
    x.relate(xiaoshan, R.HELD_EVENT, meeting, 0, date="2024-02-25")
    for name, title in (("林则安", "区委书记"), ("顾晓岚", "区委副书记、区长")):
        official = x.entity(OF, name)
        x.relate(official, R.HOLDS_POST, xiaoshan, 1, title=title)
        x.relate(official, R.SPOKE_AT, meeting, 1)
    x.relate(xiaoshan, R.PART_OF, x.entity(D, "杭州市"), 2)
    for name in ("萧山经济技术开发区", "湘湖未来科技城", "钱江数智产业园"):
        x.relate(xiaoshan, R.HAS_PLATFORM, x.entity(PL, name), 2)
    for name in ("湘湖蓝工程", "通城大道快速路项目"):
        x.relate(xiaoshan, R.HAS_PROJECT, x.entity(PR, name), 3)
    for name in ("集成电路", "生物医药", "智能装备"):
        x.relate(xiaoshan, R.DEVELOPS_INDUSTRY, x.entity(IN, name), 4)
    x.target(xiaoshan, "地区生产总值", 2400, "亿元", Comparator.GT, 2024, TARGET, 5, "2400亿元")
    x.target(xiaoshan, "地区生产总值增速", 6.5, "%", Comparator.GE, 2024, TARGET, 5, "6.5%")
    x.target(xiaoshan, "固定资产投资", 900, "亿元", Comparator.GE, 2024, TARGET, 6, "900亿元")
    x.target(xiaoshan, "数字经济核心产业增加值", 800, "亿元", Comparator.APPROX, 2027, TARGET, 7, "800亿元")

    j = c.report(
        "jiangxia",
        "2024-01-10",
        [
            "1月9日，江夏区第三届人民代表大会第四次会议开幕。",
            "区委副书记、代区长秦志航作政府工作报告，区委书记杜明川出席。",
            "武汉市江夏区依托江夏经济开发区和庙山大健康产业园，建设江夏大道改造工程和美丽江夏工程。",
            "发展光电子信息、生物医药和新能源汽车产业。",
            "2023年全区地区生产总值1380亿元，增长6.8%。",
            "今年地区生产总值增长7%左右，一般公共预算收入超过60亿元。",
        ],
    )
    jiangxia, congress = j.entity(D, "江夏区"), j.entity(EV, "第三届人民代表大会第四次会议")
    j.relate(jiangxia, R.HELD_EVENT, congress, 0, date="2024-01-09")
    qin = j.entity(OF, "秦志航")
    j.relate(qin, R.HOLDS_POST, jiangxia, 1, title="区委副书记、代区长")
    j.relate(qin, R.SPOKE_AT, congress, 1)
    j.relate(j.entity(OF, "杜明川"), R.HOLDS_POST, jiangxia, 1, title="区委书记")
    j.relate(jiangxia, R.PART_OF, j.entity(D, "武汉市"), 2)
    for name in ("江夏经济开发区", "庙山大健康产业园"):
        j.relate(jiangxia, R.HAS_PLATFORM, j.entity(PL, name), 2)
    for name in ("江夏大道改造工程", "美丽江夏工程"):
        j.relate(jiangxia, R.HAS_PROJECT, j.entity(PR, name), 2)
    for name in ("光电子信息", "生物医药", "新能源汽车"):
        j.relate(jiangxia, R.DEVELOPS_INDUSTRY, j.entity(IN, name), 3)
    j.target(jiangxia, "地区生产总值", 1380, "亿元", Comparator.EQ, 2023, ACTUAL, 4, "1380亿元")
    j.target(jiangxia, "地区生产总值增速", 6.8, "%", Comparator.EQ, 2023, ACTUAL, 4, "6.8%")
    j.target(jiangxia, "地区生产总值增速", 7, "%", Comparator.APPROX, 2024, TARGET, 5, "7%")
    j.target(jiangxia, "一般公共预算收入", 60, "亿元", Comparator.GT, 2024, TARGET, 5, "60亿元")

    s = c.report(
        "suzhou",
        "2024-02-19",
        [
            "2月18日，吴江区召开全区高质量发展大会，区委书记钱立峰讲话。",
            "苏州市吴江区将建设吴江经济技术开发区和太湖新城，发展高端纺织产业。",
            "今年吴江区规上工业总产值力争超过5000亿元。",
            "相城区召开经济工作会议，区委书记赵欣然讲话。",
            "苏州市相城区将推进相城经济技术开发区和苏州高铁新城建设，发展智能车联网产业。",
        ],
    )
    wujiang, suzhou = s.entity(D, "吴江区"), s.entity(D, "苏州市")
    meeting = s.entity(EV, "全区高质量发展大会")  # the same name as 萧山's meeting: one node, two organisers
    s.relate(wujiang, R.HELD_EVENT, meeting, 0, date="2024-02-18")
    qian = s.entity(OF, "钱立峰")
    s.relate(qian, R.HOLDS_POST, wujiang, 0, title="区委书记")
    s.relate(qian, R.SPOKE_AT, meeting, 0)
    s.relate(wujiang, R.PART_OF, suzhou, 1)
    for name in ("吴江经济技术开发区", "太湖新城"):
        s.relate(wujiang, R.HAS_PLATFORM, s.entity(PL, name), 1)
    s.relate(wujiang, R.DEVELOPS_INDUSTRY, s.entity(IN, "高端纺织"), 1)
    s.target(wujiang, "规上工业总产值", 5000, "亿元", Comparator.GT, 2024, TARGET, 2, "5000亿元")
    xiangcheng, work = s.entity(D, "相城区"), s.entity(EV, "经济工作会议")
    s.relate(xiangcheng, R.HELD_EVENT, work, 3)  # no date
    zhao = s.entity(OF, "赵欣然")
    s.relate(zhao, R.HOLDS_POST, xiangcheng, 3, title="区委书记")
    s.relate(zhao, R.SPOKE_AT, work, 3)
    s.relate(xiangcheng, R.PART_OF, suzhou, 4)
    for name in ("相城经济技术开发区", "苏州高铁新城"):
        s.relate(xiangcheng, R.HAS_PLATFORM, s.entity(PL, name), 4)
    s.relate(xiangcheng, R.DEVELOPS_INDUSTRY, s.entity(IN, "智能车联网"), 4)
    return c
