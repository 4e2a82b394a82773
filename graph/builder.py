"""Merge per-document facts into one corpus graph, resolving which names are one thing across documents.

Input is plain data (`DocumentFacts`), so the graph knows nothing of spaCy: the NLP side converts its Doc
extensions into these records. Documents are added one at a time (`add_document`); `finish` then decides
identities over the whole corpus at once, so the graph does not depend on the order documents came in:

* Districts are keyed by their division code (graph/divisions.py).
* Officials, Events and Platforms are first one node per document; `finish` clusters them into people,
  meetings and places by name plus posts and places, organiser and date, or owners (graph/identity.py),
  and gives each a stable id from its own keys: ``Official:王伟@成华区`` (the body of the person's first
  post), ``Event:经济工作会议@成华区@2024-01-04`` (organiser and date), ``Platform:高铁新城`` (a later
  namesake in an unrelated place: ``Platform:高铁新城@新建区``).
* Projects and Organizations are keyed by name. A short form joins the one long form it is a name of
  (湘湖金融城 / 杭州湘湖金融城, 西咸新区 / 陕西西咸新区), Platforms only where their places agree.
  A zone named by its kind only (高新区) is keyed by the district owning it, a body named by its level
  only by its document's district (graph/resolve.py gives them full names where it can).
* Industries are keyed by their sector (新能源 / 新能源产业).
* holds_post edges get `first_seen` / `last_seen`: the first and last dates of their documents.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable

import networkx as nx

from .divisions import divisions
from .identity import (
    EventSighting,
    PersonSighting,
    PlaceSighting,
    Post,
    depth,
    parse_day,
    place_affinity,
    resolve_events,
    resolve_people,
    resolve_places,
)
from .model import (
    Comparator,
    DocumentFacts,
    EntityKey,
    EntityRecord,
    NodeType,
    Relation,
    TargetRecord,
    clean_name,
    node_id,
    target_id,
)
from .resolve import (
    ZONE_BODY,
    company_stem,
    division_of_level,
    is_bare_kind,
    is_generic_body,
    is_generic_zone,
    long_kind_forms,
    title_level,
    zone_short_name,
    zone_stem,
    zone_words,
)

# one node per document until `finish` decides who is who
PER_DOCUMENT = (NodeType.OFFICIAL, NodeType.EVENT, NodeType.PLATFORM)
# a short form of one of these types joins the long form it names (湘湖金融城 -> 杭州湘湖金融城)
FORM_TYPES = (NodeType.PLATFORM, NodeType.PROJECT, NodeType.ORGANIZATION)
PROJECT_WORDS = ("项目", "工程")  # a project is named with or without them
PENDING = "\x1f"  # separates a per-document node's name from its document
# the tails a sector's name is written with or without, and the shortest name each leaves
INDUSTRY_TAILS = (("全产业链", 2), ("产业链", 2), ("产业", 2), ("行业", 2), ("业", 3))
SUBJECT_TYPES = (NodeType.DISTRICT, NodeType.PLATFORM, NodeType.PROJECT)  # what targets hang off


def industry_key(name: str, keep_ye: bool = False) -> str:
    """新能源产业 -> 新能源, 先进制造业 -> 先进制造, 光伏产业链 -> 光伏: a sector is one Industry whichever
    way a text words it (a short name keeps its 业: 旅游业, 农业). `keep_ye`: the label, which keeps
    the 业 of 现代物流业."""
    for tail, shortest in INDUSTRY_TAILS:
        if name.endswith(tail) and len(name) >= len(tail) + shortest and not (keep_ye and tail == "业"):
            return name[: -len(tail)]
    return name


def split_place(name: str) -> tuple[frozenset[str], str]:
    """A division written at the start of a name (its codes: namesakes give several) and the rest:
    陕西西咸新区 -> ({61}, 西咸新区); (∅, name) when the name starts with none."""
    index = divisions()
    for n in range(min(len(name) - 2, 8), 1, -1):
        divs = index.by_name.get(name[:n]) or index.by_short.get(name[:n])
        if divs:
            return frozenset(d.code for d in divs), name[n:]
    return frozenset(), name


OFFICIAL_PLACE = re.compile(r"^中国[(（]([^()（）]{2,8})[)）]")  # 中国(云南)自由贸易试验区: 云南's


def official_place(name: str) -> str:
    """中国(云南)自由贸易试验区 -> 云南自由贸易试验区: the official form writes its province in brackets."""
    return OFFICIAL_PLACE.sub(r"\1", name, count=1)


def short_kinds(name: str) -> str:
    """A zone's name with every kind written short, wherever it stands (某自由贸易试验区某片区 -> 某自贸试验区某片区)."""
    for form, kind in long_kind_forms().items():
        name = name.replace(form, kind)
    return name


def meeting_stem(name: str) -> tuple[str, list[frozenset[str]]]:
    """A meeting's name without the places it opens with, and those places' codes (outermost first):
    某区经济工作会议 is the 经济工作会议 of 某区, and 某市某区第三届…会议 某区's session."""
    places = []
    codes, rest = split_place(name)
    while codes and len(rest) >= 4:
        places.append(codes)
        name = rest
        codes, rest = split_place(name)
    return name, places


def zone_kinds(name: str) -> list[str]:
    """The kinds of zone a name ends with: 阳城经济技术开发区 -> 经开区, 开发区, 经济技术开发区."""
    return [kind for kind, forms in zone_words().items() if name.endswith(forms)]


class GraphBuilder:
    """Accumulates documents into one MultiDiGraph; `finish` (or `build`) resolves identities."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()
        self.graph.graph["documents"] = {}
        # alias -> node id of Districts that come without a division code (hand-built records)
        self.alias_index: dict[tuple[str, str], str] = {}
        # evidence already on each edge from the document being added (evidence names its document,
        # so items of different documents never repeat each other): a set, as a popular edge
        # gathers thousands of items and a list scan made merging quadratic
        self.evidence_seen: dict[tuple[str, str, str], set[tuple]] = {}
        # one string object per distinct sentence: several facts of a sentence share it
        self.sentences: dict[str, str] = {}
        # the District nodes the sentences naming a node speak of (EntityRecord.places)
        self.places: dict[str, set[str]] = {}
        # per-document nodes of Officials and Events: node id -> (type, name, document)
        self.pending: dict[str, tuple[NodeType, str, str]] = {}
        self.finished = False
        # evidence already on each edge that nodes are merged into (while `finish` runs)
        self.merged_evidence: dict[tuple[str, str, str], set[tuple]] = {}

    # -- nodes ----------------------------------------------------------------------------
    def resolve(self, etype: NodeType, name: str) -> str:
        name = clean_name(name)
        return self.alias_index.get((etype, name), node_id(etype, name))

    def entity_id(self, record: EntityRecord, doc_id: str, owner: str | None, places: list[str]) -> str:
        """The node a record of a document goes to before identities are resolved."""
        name = clean_name(record.name)
        etype = record.type
        if record.identity:
            return node_id(etype, record.identity)
        if etype == NodeType.DISTRICT:
            for candidate in [name, *sorted(clean_name(a) for a in record.aliases)]:
                if (etype, candidate) in self.alias_index:
                    return self.alias_index[(etype, candidate)]
        if etype == NodeType.INDUSTRY:
            return node_id(etype, industry_key(name))
        generic = is_generic_zone(name) if etype == NodeType.PLATFORM else is_generic_body(name)
        if generic and etype in (NodeType.PLATFORM, NodeType.ORGANIZATION):
            # 高新区, 县发改局: a different one in every district; keyed by the owner or the district spoken of
            where = owner or (places[0] if places else None)
            return node_id(etype, f"{name}@{where.split(':', 1)[1] if where else doc_id}")
        if etype in PER_DOCUMENT:
            return node_id(etype, f"{name}{PENDING}{doc_id}")
        return node_id(etype, name)

    def add_entity(
        self, record: EntityRecord, doc_id: str, owner: str | None = None, places: list[str] | None = None
    ) -> str:
        places = places or []
        nid = self.entity_id(record, doc_id, owner, places)
        name = clean_name(record.name)
        aliases = {a for a in (clean_name(a) for a in record.aliases) if a and not is_bare_kind(a)} - {name}
        g = self.graph
        if nid not in g:
            label = industry_key(name, keep_ye=True) if record.type == NodeType.INDUSTRY else name
            g.add_node(nid, type=str(record.type), label=label, aliases=[], docs=[], confidence=0.0)
        data = g.nodes[nid]
        data["confidence"] = max(data["confidence"], record.confidence)
        names = set(data["aliases"]) | {data["label"], name} | aliases
        label = data["label"]
        # the canonical label is the fullest form seen (广州国际金融城 over 国际金融城); a sector's is its name
        if len(name) > len(label) and record.type not in (NodeType.DISTRICT, NodeType.INDUSTRY):
            label = name
        data["label"] = label
        data["aliases"] = sorted(n for n in names if n != label)
        add_sorted(data["docs"], doc_id)
        for key, value in record.attrs.items():
            data.setdefault(key, value)
        if record.type == NodeType.DISTRICT:
            for n in names:
                self.alias_index.setdefault((record.type, n), nid)
        if places:
            self.places.setdefault(nid, set()).update(places)
        if PENDING in nid:
            self.pending[nid] = (record.type, name, doc_id)
        return nid

    # -- edges ----------------------------------------------------------------------------
    def add_edge(
        self, u: str, v: str, relation: Relation, doc_id: str, evidence: dict, attrs: dict, confidence: float
    ) -> None:
        g = self.graph
        relation = str(relation)  # graph attributes are the contract's plain strings
        if g.has_edge(u, v, key=relation):
            data = g.edges[u, v, relation]
        else:
            g.add_edge(u, v, key=relation, relation=relation, docs=[], evidence=[], confidence=0.0)
            data = g.edges[u, v, relation]
        data["confidence"] = max(data["confidence"], confidence)
        add_sorted(data["docs"], doc_id)
        seen = self.evidence_seen.setdefault((u, v, relation), set())
        key = tuple(evidence.values())
        if key not in seen:
            seen.add(key)
            data["evidence"].append(evidence)
        merge_attrs(data, attrs)

    def evidence(self, doc_id: str, sentence: str, start: int, end: int) -> dict:
        """An evidence item; facts of one sentence share its string."""
        sentence = self.sentences.setdefault(sentence, sentence)
        return {"doc": doc_id, "sentence": sentence, "start": start, "end": end}

    # -- documents ------------------------------------------------------------------------
    def add_document(self, facts: DocumentFacts) -> None:
        g = self.graph
        self.evidence_seen = {}
        if facts.doc_id in g.graph["documents"]:  # added again: its evidence may be on the edges
            for u, v, key, data in g.edges(keys=True, data=True):
                for ev in data["evidence"]:
                    if ev["doc"] == facts.doc_id:
                        self.evidence_seen.setdefault((u, v, key), set()).add(tuple(ev.values()))
        g.graph["documents"][facts.doc_id] = {
            "date": facts.date,
            "chars": facts.chars,
            "source": facts.source,
        }
        ids: dict[EntityKey, str] = {}
        districts = [r for r in facts.entities if r.type == NodeType.DISTRICT]
        for record in districts:
            ids[EntityKey(record.type, record.name)] = self.add_entity(record, facts.doc_id)
        owners: dict[EntityKey, str] = {}  # a zone named by its kind only belongs to its owner
        for rel in sorted(facts.relations, key=lambda r: (r.head, r.tail)):
            if rel.relation == Relation.HAS_PLATFORM and rel.head in ids:
                owners.setdefault(EntityKey(*rel.tail), ids[rel.head])
        for record in facts.entities:
            if record.type == NodeType.DISTRICT:
                continue
            key = EntityKey(record.type, record.name)
            places = [ids[p] for p in (EntityKey(NodeType.DISTRICT, n) for n in record.places) if p in ids]
            ids[key] = self.add_entity(record, facts.doc_id, owners.get(key), places)
        for rel in facts.relations:
            u = ids.get(rel.head) or self.resolve(*rel.head)
            v = ids.get(rel.tail) or self.resolve(*rel.tail)
            if u == v or u not in g or v not in g:
                continue
            evidence = self.evidence(facts.doc_id, rel.sentence, rel.start, rel.end)
            self.add_edge(u, v, rel.relation, facts.doc_id, evidence, rel.attrs, rel.confidence)
        for t in facts.targets:
            subject = ids.get(t.subject) or self.resolve(*t.subject)
            if subject not in g:
                continue
            tid = target_id(subject, clean_name(t.indicator), t.value, t.unit, t.year, t.status)
            evidence = self.evidence(facts.doc_id, t.sentence, t.start, t.end)
            if tid not in g:
                g.add_node(
                    tid,
                    type=str(NodeType.TARGET),
                    label=_target_label(t),
                    aliases=[],
                    docs=[],
                    indicator=clean_name(t.indicator),
                    value=float(t.value),
                    unit=t.unit,
                    comparator=str(t.comparator),
                    year=t.year,
                    status=str(t.status),
                    sentence=t.sentence,
                    doc=facts.doc_id,
                    start=t.start,
                    end=t.end,
                    confidence=0.0,
                )
            data = g.nodes[tid]
            data["confidence"] = max(data["confidence"], t.confidence)
            add_sorted(data["docs"], facts.doc_id)
            self.add_edge(subject, tid, Relation.SETS_TARGET, facts.doc_id, evidence, {}, t.confidence)

    def build(self, documents: Iterable[DocumentFacts]) -> nx.MultiDiGraph:
        for facts in documents:
            self.add_document(facts)
        return self.finish()

    # -- identities over the whole corpus -------------------------------------------------
    def finish(self) -> nx.MultiDiGraph:
        """Resolve identities across documents (short forms, people, meetings) and date the posts."""
        if not self.finished:
            self.finished = True
            self.resolve_platforms()
            self.join_place_variants()
            self.join_short_forms()
            self.resolve_people()
            self.resolve_meetings()
            self.date_posts()
            self.drop_shared_aliases()
            self.merged_evidence = {}
        return self.graph

    def drop_shared_aliases(self) -> None:
        """A name that several nodes of one type carry (吉林 of 吉林省 and of 吉林市, 新塘 of a town and of
        a subdistrict) identifies none of them, so it is no alias of any; labels stay, and the text's words
        stay in the evidence. Run once identities are decided. Organizations keep theirs: a body named by
        its level (县发改局) is labelled with its full name and keeps the text's form as the alias that
        says how each text named it."""
        g = self.graph
        holders: Counter[tuple[str, str]] = Counter()
        for _, data in g.nodes(data=True):
            for name in {data["label"], *data["aliases"]}:
                holders[(data["type"], name)] += 1
        for _, data in g.nodes(data=True):
            if data["type"] == NodeType.ORGANIZATION:
                continue
            if any(holders[(data["type"], a)] > 1 for a in data["aliases"]):
                data["aliases"] = [a for a in data["aliases"] if holders[(data["type"], a)] == 1]

    def codes(self, nodes: Iterable[str]) -> frozenset[str]:
        """Division codes of District nodes."""
        g = self.graph
        return frozenset(g.nodes[n]["code"] for n in nodes if n in g and g.nodes[n].get("code"))

    def node_codes(self, nid: str) -> frozenset[str]:
        """Where a body or zone is: the districts its texts speak of, and (zones) the districts owning it."""
        g = self.graph
        owners = [u for u, _, k in g.in_edges(nid, keys=True) if k == Relation.HAS_PLATFORM]
        return self.codes([*self.places.get(nid, ()), *owners])

    def join_place_variants(self) -> None:
        """Zones written after related places with the same rest are one zone: 四川某某新区 / 成都某某新区
        (成都 lies in 四川), 中国(云南)自由贸易试验区某某片区 / 云南自贸试验区某某片区 (the kind written long
        or short). The node most texts name keeps its label; a rest that is a bare kind (成都高新区 /
        四川高新区) or places that are unrelated keep them apart."""
        g = self.graph
        by_rest: dict[str, list[tuple[frozenset[str], str]]] = {}
        for nid, data in sorted(g.nodes(data=True)):
            if data["type"] != NodeType.PLATFORM or "@" in nid:
                continue
            codes, rest = split_place(official_place(data["label"]))
            if codes and rest and not is_generic_zone(rest):
                by_rest.setdefault(short_kinds(rest), []).append((codes, nid))
        for variants in by_rest.values():
            if len(variants) < 2:
                continue
            keep = max(
                variants, key=lambda v: (len(g.nodes[v[1]]["docs"]), len(g.nodes[v[1]]["label"]), v[1])
            )
            others = [v for v in variants if v is not keep]
            if all(place_affinity(keep[0], codes) for codes, _ in others):
                for _, nid in others:
                    self.merge_into(nid, keep[1])

    def join_short_forms(self) -> None:
        """A Platform, Project or Organization named by a short form joins the one long form it names:

        * the short name is an alias of the long one (湘湖金融城 of 杭州湘湖金融城) or, for a Platform, what
          is left after the place the long one starts with (西咸新区 of 陕西西咸新区);
        * a zone named by its kind only (高新区, owned by 成都市) joins a zone of that kind named after that
          very place (西宁高新区); a zone body named after a district (阳城县经开区党工委) joins the body of the
          zone of that kind named after it (阳城经济技术开发区党工委).

        Other Platforms join only where their places agree (the same division, or one containing the other);
        a short form that fits several long ones stays apart."""
        g = self.graph
        by_name: dict[tuple[str, str], set[str]] = {}
        by_kind: dict[tuple[str, str, str], set[str]] = {}  # (type, body word, kind) -> named zones / bodies
        where: dict[str, frozenset[str]] = {}  # the places of a long form: named in it, owning it, spoken of
        named_at: dict[str, frozenset[str]] = {}  # the places named in it
        for nid, data in g.nodes(data=True):
            etype = data["type"]
            if etype not in FORM_TYPES or "@" in nid:
                continue
            for name in data["aliases"]:
                by_name.setdefault((etype, name), set()).add(nid)
            zone, body = data["label"], ""
            if etype == NodeType.ORGANIZATION:
                m = ZONE_BODY.match(data["label"])
                zone, body = (m["zone"], m["body"]) if m else ("", "")
            if etype == NodeType.ORGANIZATION and (stem := company_stem(data["label"])):
                by_name.setdefault((etype, stem), set()).add(nid)  # 某某 of 某某集团
            if etype == NodeType.PROJECT:  # 某某中心 of 某某中心项目
                for word in PROJECT_WORDS:
                    if data["label"].endswith(word):
                        by_name.setdefault((etype, data["label"][: -len(word)]), set()).add(nid)
            if etype == NodeType.PROJECT or not zone:
                continue
            codes, rest = split_place(zone)
            codes |= split_place(rest)[0]  # 江苏丰县经济开发区 is named after 丰县 too
            if etype == NodeType.PLATFORM:
                for name in [data["label"], *data["aliases"]]:
                    _, short = split_place(name)
                    if short != name and not is_generic_zone(short):
                        by_name.setdefault((etype, short), set()).add(nid)
                    # 青禾 and 青禾经开区 of (福建)青禾经济开发区
                    for form in {
                        zone_stem(name),
                        zone_stem(short),
                        zone_short_name(name),
                        zone_short_name(short),
                    }:
                        if form and form != data["label"]:
                            by_name.setdefault((etype, form), set()).add(nid)
            if not is_generic_zone(zone):  # named zones, and zones named after their place (西宁高新区)
                for kind in zone_kinds(zone):
                    by_kind.setdefault((etype, body, kind), set()).add(nid)
            where[nid] = codes | self.node_codes(nid)
            named_at[nid] = codes
        moves: dict[str, str] = {}
        for nid, data in sorted(g.nodes(data=True)):
            etype, name = data["type"], data["label"]
            if etype not in FORM_TYPES:
                continue
            mine, body, placed = self.node_codes(nid), "", False
            zone = name if etype == NodeType.PLATFORM else ""
            if etype == NodeType.ORGANIZATION and (m := ZONE_BODY.match(name)):
                zone, body = m["zone"], m["body"]
            codes, rest = split_place(zone)
            if zone and is_generic_zone(rest) and ("@" in nid or codes):  # 高新区@成都市, 阳城县经开区党工委
                # zones of that kind named after a place (成都高新技术产业开发区), not merely owned by one
                # and named after the very division this one is named after or owned by (满城高新区 is not
                # 石家庄's, though 正定县 lies in 石家庄市)
                mine = codes or mine
                longer = {n for n in by_kind.get((etype, body, rest), set()) - {nid} if named_at[n] & mine}
                placed = True
            elif "@" in nid:
                continue
            else:
                longer = by_name.get((etype, name), set()) - {nid}
            longer = {n for n in longer if (len(g.nodes[n]["label"]), n) > (len(name), nid)}
            if not longer:
                continue
            if etype == NodeType.PROJECT or (etype == NodeType.ORGANIZATION and not placed):
                if len(longer) == 1:
                    moves[nid] = next(iter(longer))
                continue
            scored = sorted((place_affinity(mine, where.get(n, frozenset())), n) for n in longer)
            best = scored[-1][0]
            top = [n for score, n in scored if score == best]
            if len(top) == 1 and (best > 0 or (not mine and not placed)):
                moves[nid] = top[0]
        for nid in sorted(moves):
            target = moves[nid]
            seen = {nid}
            while target in moves and target not in seen:  # 湘湖金融城 -> 杭州湘湖金融城 -> ...
                seen.add(target)
                target = moves[target]
            if target != nid:
                self.merge_into(nid, target)

    def resolve_platforms(self) -> None:
        """Platforms of one name become as many places as their owners say (graph/identity.py): the first
        seen keeps the plain name, another city's namesake is keyed by its owner (高铁新城@<owner>)."""
        g = self.graph
        by_name: dict[str, list[PlaceSighting]] = {}
        for nid, (etype, name, doc) in sorted(self.pending.items()):
            if etype != NodeType.PLATFORM or nid not in g:
                continue
            owners = [u for u, _, k in g.in_edges(nid, keys=True) if k == Relation.HAS_PLATFORM]
            # a zone named after its place (大连某某新区) is placed by its name wherever a text speaks of it
            hints = self.codes(self.places.get(nid, ())) | split_place(name)[0]
            sighting = PlaceSighting(nid, doc, self.codes(owners), hints)
            by_name.setdefault(name, []).append(sighting)
        documents = g.graph["documents"]
        for name in sorted(by_name):
            clusters = sorted(
                resolve_places(by_name[name]),
                key=lambda c: min(((documents.get(s.doc) or {}).get("date") or "9999", s.doc) for s in c),
            )
            taken: set[str] = set()
            for k, cluster in enumerate(clusters):
                nid = node_id(NodeType.PLATFORM, name)
                owners = Counter(
                    u
                    for s in cluster
                    for u, _, key in g.in_edges(s.node, keys=True)
                    if key == Relation.HAS_PLATFORM and g.nodes[u]["type"] == NodeType.DISTRICT
                )
                if k and owners:
                    top = min(owners, key=lambda o: (-owners[o], depth(g.nodes[o].get("code") or "?"), o))
                    nid = f"{nid}@{top.split(':', 1)[1]}"
                self.merge_cluster([s.node for s in cluster], unique_id(nid, taken))

    def resolve_people(self) -> None:
        """Officials of one name become as many people as graph/identity.py finds."""
        g = self.graph
        index = divisions()
        by_name: dict[str, list[PersonSighting]] = {}
        for nid, (etype, name, doc) in sorted(self.pending.items()):
            if etype != NodeType.OFFICIAL or nid not in g:
                continue
            posts, hints = [], set(self.codes(self.places.get(nid, ())))
            for _, body, key, data in g.out_edges(nid, keys=True, data=True):
                if key != Relation.HOLDS_POST:
                    continue
                body_data = g.nodes[body]
                if body_data["type"] == NodeType.DISTRICT:
                    codes = self.codes([body])
                    division = index.by_code.get(next(iter(codes), ""))
                    fixed = division is not None and any(
                        (level := title_level(part)) and division_of_level(level, division) == division
                        for part in str(data.get("title") or "").split("、")
                    )
                    if fixed:
                        posts.append(Post(body, codes))
                    else:
                        hints |= codes
                else:
                    posts.append(Post(body, self.node_codes(body)))
            day = parse_day(g.graph["documents"].get(doc, {}).get("date"))
            by_name.setdefault(name, []).append(
                PersonSighting(nid, doc, day, tuple(sorted(posts, key=repr)), frozenset(hints))
            )
        taken: set[str] = set()
        for name in sorted(by_name):
            for cluster in resolve_people(by_name[name]):
                anchored = [s for s in cluster if s.posts]
                if anchored:
                    post = max(anchored[0].posts, key=lambda p: (max(map(depth, p.codes), default=0), p.body))
                    nid = node_id(NodeType.OFFICIAL, f"{name}@{post.body.split(':', 1)[1]}")
                else:
                    nid = node_id(NodeType.OFFICIAL, name)
                self.merge_cluster([s.node for s in cluster], unique_id(nid, taken))

    def resolve_meetings(self) -> None:
        """Events of one name become as many meetings as graph/identity.py finds."""
        g = self.graph
        by_code = {
            d["code"]: n for n, d in g.nodes(data=True) if d["type"] == NodeType.DISTRICT and d.get("code")
        }
        by_name: dict[str, list[EventSighting]] = {}
        for nid, (etype, name, doc) in sorted(self.pending.items()):
            if etype != NodeType.EVENT or nid not in g:
                continue
            held = [
                (u, d) for u, _, k, d in g.in_edges(nid, keys=True, data=True) if k == Relation.HELD_EVENT
            ]
            days = sorted(day for _, d in held if (day := parse_day(d.get("date"))))
            reported = parse_day(g.graph["documents"].get(doc, {}).get("date"))
            organisers = frozenset(u for u, _ in held)
            stem, places = meeting_stem(name)
            named = [by_code[c] for codes in places for c in sorted(codes) if c in by_code]
            if named and organisers <= set(named):  # 某市某区第三届…会议, held by 某市 or by nobody: 某区's
                organisers = frozenset(named[-1:])
            sighting = EventSighting(nid, doc, name, organisers, days[0] if days else None, reported)
            by_name.setdefault(stem, []).append(sighting)
        taken: set[str] = set()
        for name in sorted(by_name):
            for cluster in resolve_events(by_name[name]):
                organisers = Counter(o for s in cluster for o in s.organisers)
                parts = [name]
                if organisers:
                    # the most often named; of a city and its districts convening together, the city
                    top = min(
                        organisers, key=lambda o: (-organisers[o], depth(g.nodes[o].get("code") or "?"), o)
                    )
                    parts.append(top.split(":", 1)[1])
                days = sorted(s.day for s in cluster if s.day) or sorted(
                    s.reported for s in cluster if s.reported
                )
                if days and not cluster[0].numbered:
                    parts.append(days[0].isoformat())
                self.merge_cluster(
                    [s.node for s in cluster], unique_id(node_id(NodeType.EVENT, "@".join(parts)), taken)
                )

    def date_posts(self) -> None:
        """Each holds_post edge gets the first and last dates of its documents (ISO), when known."""
        documents = self.graph.graph["documents"]
        for *_, key, data in self.graph.edges(keys=True, data=True):
            if key != Relation.HOLDS_POST:
                continue
            dates = sorted(d for doc in data["docs"] if (d := (documents.get(doc) or {}).get("date")))
            if dates:
                data["first_seen"], data["last_seen"] = dates[0], dates[-1]

    # -- merging nodes --------------------------------------------------------------------
    def merge_cluster(self, nodes: list[str], into: str) -> None:
        """The nodes of one thing become the node `into`, in the order given (the first one's label wins ties)."""
        for nid in nodes:
            self.merge_into(nid, into)
            self.pending.pop(nid, None)

    def merge_into(self, src: str, dst: str) -> None:
        """Node `src` becomes part of `dst` (created if need be): names, documents and every edge."""
        g = self.graph
        if src == dst or src not in g:
            return
        data = g.nodes[src]
        if dst not in g:
            g.add_node(dst, **{**data, "aliases": list(data["aliases"]), "docs": list(data["docs"])})
        else:
            merge_node(g.nodes[dst], data)
        self.places.setdefault(dst, set()).update(self.places.pop(src, ()))
        # comprehensions, not list(view): networkx's edge views count themselves by walking every edge
        for _, v, key, edata in [e for e in g.out_edges(src, keys=True, data=True)]:
            self.merge_edge(dst, dst if v == src else v, key, edata)
        for u, _, key, edata in [e for e in g.in_edges(src, keys=True, data=True)]:
            if u != src:
                self.merge_edge(u, dst, key, edata)
        for edge in [e for view in (g.out_edges(src, keys=True), g.in_edges(src, keys=True)) for e in view]:
            self.merged_evidence.pop(edge, None)
        g.remove_node(src)
        if g.nodes[dst]["type"] not in SUBJECT_TYPES:
            return
        for _, tid, key in [e for e in g.out_edges(dst, keys=True)]:  # a target's id names its subject
            if key == Relation.SETS_TARGET:
                t = g.nodes[tid]
                new = target_id(dst, t["indicator"], t["value"], t["unit"], t["year"], t["status"])
                if new != tid:
                    self.merge_into(tid, new)

    def merge_edge(self, u: str, v: str, key: str, data: dict) -> None:
        g = self.graph
        if u == v:
            return
        if not g.has_edge(u, v, key=key):
            g.add_edge(
                u, v, key=key, **{**data, "docs": list(data["docs"]), "evidence": list(data["evidence"])}
            )
            return
        mine = g.edges[u, v, key]
        mine["confidence"] = max(mine["confidence"], data["confidence"])
        for doc in data["docs"]:
            add_sorted(mine["docs"], doc)
        seen = self.merged_evidence.get((u, v, key))
        if seen is None:  # kept while merging: a popular edge takes thousands of merges
            seen = self.merged_evidence[(u, v, key)] = {tuple(ev.values()) for ev in mine["evidence"]}
        for ev in data["evidence"]:
            if tuple(ev.values()) not in seen:
                seen.add(tuple(ev.values()))
                mine["evidence"].append(ev)
        merge_attrs(
            mine, {k: v for k, v in data.items() if k not in ("relation", "docs", "evidence", "confidence")}
        )


def unique_id(nid: str, taken: set[str]) -> str:
    """`nid`, or nid#2, nid#3 ... when another thing of the same keys came first."""
    candidate, n = nid, 1
    while candidate in taken:
        n += 1
        candidate = f"{nid}#{n}"
    taken.add(candidate)
    return candidate


def merge_node(data: dict, other: dict) -> None:
    """Attributes of a node merged into another: the fullest label, every name, document and attribute."""
    label = data["label"]
    if len(other["label"]) > len(label) and data["type"] not in (NodeType.DISTRICT, NodeType.INDUSTRY):
        label = other["label"]
    names = set(data["aliases"]) | set(other["aliases"]) | {data["label"], other["label"]}
    data["label"] = label
    data["aliases"] = sorted(n for n in names if n != label and not is_bare_kind(n))
    for doc in other["docs"]:
        add_sorted(data["docs"], doc)
    data["confidence"] = max(data.get("confidence", 0.0), other.get("confidence", 0.0))
    for key, value in other.items():
        data.setdefault(key, value)


def merge_attrs(data: dict, attrs: dict) -> None:
    """An edge's attributes from another supporting fact: titles join (区委副书记、区长), the rest keep the first."""
    for key, value in attrs.items():
        if value in (None, ""):
            continue
        if key == "title" and data.get("title") and value not in data["title"].split("、"):
            data["title"] = "、".join(dict.fromkeys([*data["title"].split("、"), *value.split("、")]))
        else:
            data.setdefault(key, value)


def add_sorted(items: list[str], item: str) -> None:
    """Insert into a sorted list unless present (document lists grow with the corpus)."""
    at = bisect_left(items, item)
    if at == len(items) or items[at] != item:
        items.insert(at, item)


# how a target's label words its comparator (= is left unsaid)
COMPARATOR_WORDS = {
    Comparator.GT: "超",
    Comparator.GE: "不低于",
    Comparator.APPROX: "约",
    Comparator.LE: "不超过",
    Comparator.LT: "低于",
}


def _target_label(t: TargetRecord) -> str:
    cmp = COMPARATOR_WORDS.get(t.comparator, "")
    year = f"({t.year})" if t.year else ""
    return f"{clean_name(t.indicator)}{cmp}{t.value:g}{t.unit}{year}"


def summary(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Counts of nodes by type and edges by relation, for the CLI report."""
    nodes: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        nodes[data.get("type", "?")] = nodes.get(data.get("type", "?"), 0) + 1
    edges: dict[str, int] = {}
    for *_, data in graph.edges(data=True):
        edges[data.get("relation", "?")] = edges.get(data.get("relation", "?"), 0) + 1
    return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}


__all__ = ["GraphBuilder", "add_sorted", "summary"]
