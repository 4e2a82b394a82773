"""The learned spoke_at step: which officials spoke at, or chaired, which meetings.

The rule linker asks for a speech verb right after the name and then takes the meeting of the
sentence; real reports write 会议由某某主持, list several officials before one 分别致辞, put the
speaker in a report's header (在…会议上 县长某某) or give the speech sentences after the meeting
was named. For every (official, meeting) pair of a document a logistic model (nlp/linear.py,
trained by training/learn.py) weighs the cue words around the official's mentions
(data/speaker_cues.tsv: speak, chair, remark, attend), where the meeting stands relative to them
(same sentence, the nearest meeting before, sentences apart, other meetings between), how
prominent both are in the article, and the rule linker's own choice. Pairs above the model's
threshold become spoke_at links, replacing the rule linker's.
"""

from __future__ import annotations

import re
import shutil
from bisect import bisect_left, bisect_right
from itertools import accumulate
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.datafiles import read_table
from plankg.graph.model import EntityKey, NodeType, Relation

from .facts import Link, Mention, text_of
from .lexicon import DATA_DIR
from .linear import LinearComponent

MODEL_FILE = "speakers.json"
KINDS = ("speak", "chair", "remark", "attend")
CUE_WINDOW = 40  # how far after a name its cue word may stand (characters, within the sentence)
FAR = 5000
CLAUSE_BREAK = re.compile(r"[，,。；;：:]")
SPEAKER_FEATURES = [
    *(f"cue_{k}" for k in KINDS),  # some mention of the official has this cue
    *(f"near_{k}" for k in KINDS),  # ... in the meeting's sentence or with it the nearest meeting before
    "chaired_by",  # 由某某主持
    "respectively",  # 某某、某某分别致辞
    "header",  # 在…会议上 县长某某 (a report's byline)
    "cue_distance",  # characters from the name to its nearest speak/chair cue
    "officials_before_cue",  # other officials' names between the name and that cue
    "same_sentence",
    "nearest_before",  # the meeting is the nearest one named before a mention of the official
    "event_before",
    "event_after",
    "sentence_gap",
    "events_between",
    "same_section",
    "event_count",
    "event_rank",
    "event_order",
    "event_in_title",
    "events",
    "official_count",
    "official_order",
    "official_posts",
    "officials",
    "rule",
]
SPEAKER_LOGS = [
    "cue_distance",
    "officials_before_cue",
    "event_before",
    "event_after",
    "sentence_gap",
    "events_between",
    "event_count",
    "event_rank",
    "event_order",
    "events",
    "official_count",
    "official_order",
    "officials",
]


CUES_FILE = "speaker_cues.tsv"


def cue_words(folder: Path = DATA_DIR) -> dict[str, str]:
    """The cue words of `folder` (default: the shipped nlp/data) and their kinds."""
    return {word: kind for word, kind in read_table(Path(folder) / CUES_FILE)}


class SpeakerRows:
    """The pair features of one document's officials and meetings."""

    def __init__(self, doc: Doc, cues: dict[str, str]) -> None:
        self.text = text = text_of(doc)
        self.cues = sorted(cues.items(), key=lambda wk: -len(wk[0]))
        self.sent_starts = [s.start_char for s in doc.sents]
        self.sent_ends = [s.end_char for s in doc.sents]
        self.sections = [(s.start, s.end) for s in doc._.sections or []]
        self._sections: dict[int, int] = {}
        self._meetings: dict[EntityKey, tuple[list[int], ...]] = {}
        by_key: dict[EntityKey, list[Mention]] = {}
        for m in doc._.mentions or []:
            if m.label in (NodeType.OFFICIAL, NodeType.EVENT):
                by_key.setdefault(m.key, []).append(m)
        self.events = {k: ms for k, ms in by_key.items() if k.type == NodeType.EVENT}
        self.officials = {k: ms for k, ms in by_key.items() if k.type == NodeType.OFFICIAL}
        # the rule linker's choice, one feature among the others
        self.rule = {
            (link.head, link.tail) for link in doc._.relations or [] if link.relation == Relation.SPOKE_AT
        }
        self.event_starts = sorted((m.start, k) for k, ms in self.events.items() for m in ms)
        self.event_at = [a for a, _ in self.event_starts]
        spans = sorted((m.start, m.end) for ms in self.officials.values() for m in ms)
        self.official_at = [a for a, _ in spans]
        self.official_end = [b for _, b in spans]
        title_end = text.find("\n") if "\n" in text else len(text)
        self.doc_rows = {}
        for kind, group in (("event", self.events), ("official", self.officials)):
            counts = {k: len(ms) for k, ms in group.items()}
            firsts = {k: min(m.start for m in ms) for k, ms in group.items()}
            rank = {k: r for r, k in enumerate(sorted(counts, key=lambda k: (-counts[k], firsts[k])))}
            order = {k: r for r, k in enumerate(sorted(firsts, key=firsts.get))}
            for k in group:
                row = {f"{kind}_count": counts[k], f"{kind}_order": order[k]}
                if kind == "event":
                    row |= {"event_rank": rank[k], "event_in_title": float(firsts[k] < title_end)}
                else:
                    row["official_posts"] = float(any(m.attrs.get("posts") for m in group[k]))
                self.doc_rows[k] = row
        self.official_cues = {k: [self.cue(m) for m in ms] for k, ms in self.officials.items()}

    def sentence(self, pos: int) -> int:
        return max(0, bisect_right(self.sent_starts, pos) - 1)

    def section(self, pos: int) -> int:
        """The index of the first section holding `pos` (-1: none); asked for the same mentions by
        every pair, so remembered."""
        found = self._sections.get(pos)
        if found is None:
            found = self._sections[pos] = next(
                (i for i, (a, b) in enumerate(self.sections) if a <= pos < b), -1
            )
        return found

    def reach(self, m: Mention, end: int) -> int:
        """Where the words about this official stop: at the next official's name, unless the two
        are listed together (李某、副区长赵某分别致辞: the list shares its verb)."""
        i = bisect_right(self.official_at, m.start)
        at = m.end
        while i < len(self.official_at) and self.official_at[i] < end:
            if CLAUSE_BREAK.search(self.text, at, self.official_at[i]):
                return self.official_at[i]
            at = self.official_end[i]
            i += 1
        return end

    def cue(self, m: Mention) -> dict:
        """What the words around one mention of an official say it did."""
        text, sent = self.text, self.sentence(m.start)
        end = self.reach(
            m, min(self.sent_ends[sent] if sent < len(self.sent_ends) else len(text), m.end + CUE_WINDOW)
        )
        after = text[m.end : end]
        found: dict[str, int] = {}
        for word, kind in self.cues:
            i = after.find(word)
            if i >= 0 and i < found.get(kind, FAR):
                found[kind] = i
        speak = min(found.get("speak", FAR), found.get("chair", FAR))
        others = bisect_left(self.official_at, m.end + speak) - bisect_left(self.official_at, m.end)
        before = CLAUSE_BREAK.split(text[max(0, m.start - 20) : m.start])[-1]  # the clause so far
        header = 0.0
        i = bisect_right(self.event_at, m.start) - 1
        if i >= 0:
            e_start, e_key = self.event_starts[i]
            e_end = max(x.end for x in self.events[e_key] if x.start == e_start)
            gap = text[e_end : m.start]
            header = float(len(gap) <= 30 and gap.startswith("上"))
        return {
            "kinds": found,
            "chaired_by": float("由" in before and "主持" in after),
            "respectively": float("分别" in after[: max(0, speak)] and speak < FAR),
            "header": header,
            "cue_distance": speak,
            "officials_before_cue": others if speak < FAR else 0,
            "sentence": sent,
        }

    def rows(self) -> list[tuple[EntityKey, EntityKey, dict]]:
        """(official, meeting, features) for every pair of the document."""
        out = []
        for o, oms in self.officials.items():
            cues = self.official_cues[o]
            for e, ems in self.events.items():
                out.append((o, e, self.row(o, oms, cues, e, ems, (o, e) in self.rule)))
        return out

    def meeting_arrays(self, e: EntityKey, ems: list[Mention]) -> tuple[list[int], ...]:
        """A meeting's mentions as sorted arrays, once per meeting (every official's pair asks): their
        starts; their ends, with the latest start among the mentions ending by each; their sentences.
        A name's nearest mentions are then bisections, not a loop over all (a long text repeats them)."""
        found = self._meetings.get(e)
        if found is None:
            starts = sorted(x.start for x in ems)
            by_end = sorted((x.end, x.start) for x in ems)
            last_start = list(accumulate((a for _, a in by_end), max))
            sentences = sorted(self.sentence(x.start) for x in ems)
            found = self._meetings[e] = (starts, [b for b, _ in by_end], last_start, sentences)
        return found

    def row(self, o, oms: list[Mention], cues: list[dict], e, ems: list[Mention], rule: bool) -> dict:
        f = {
            **self.doc_rows[o],
            **self.doc_rows[e],
            "events": len(self.events),
            "officials": len(self.officials),
        }
        e_sents = {self.sentence(m.start) for m in ems}
        e_sections = {self.section(m.start) for m in ems}
        for k in KINDS:
            f[f"cue_{k}"] = f[f"near_{k}"] = 0.0
        before = after = gap = between = FAR
        same = nearest = same_section = 0.0
        f["cue_distance"], f["officials_before_cue"] = FAR, 0
        starts, ends, last_start, sentences = self.meeting_arrays(e, ems)
        for m, cue in zip(oms, cues, strict=True):
            i = bisect_right(self.event_at, m.end) - 1
            nearest_here = i >= 0 and self.event_starts[i][1] == e
            here = cue["sentence"] in e_sents
            for k in cue["kinds"]:
                f[f"cue_{k}"] = 1.0
                if here or nearest_here:
                    f[f"near_{k}"] = 1.0
            for k in ("chaired_by", "respectively", "header"):
                f[k] = max(f.get(k, 0.0), cue[k])
            if cue["cue_distance"] < f["cue_distance"]:
                f["cue_distance"], f["officials_before_cue"] = (
                    cue["cue_distance"],
                    cue["officials_before_cue"],
                )
            same = max(same, float(here))
            nearest = max(nearest, float(nearest_here))
            same_section = max(same_section, float(self.section(m.start) in e_sections))
            j = bisect_right(ends, m.start)  # the meeting's mentions that end before this name
            if j:
                before = min(before, m.start - ends[j - 1])
                # fewest other meetings between: from the latest-starting of those mentions
                lo = bisect_right(self.event_at, last_start[j - 1])
                hi = bisect_left(self.event_at, m.start)
                between = min(between, len({k for _, k in self.event_starts[lo:hi] if k != e}))
            first_after = bisect_left(starts, m.end)  # the first mention that starts after it
            if first_after < len(starts):
                after = min(after, starts[first_after] - m.end)
            at = bisect_left(sentences, cue["sentence"])  # the nearest sentences of the meeting
            for near in sentences[max(0, at - 1) : at + 1]:
                gap = min(gap, abs(cue["sentence"] - near))
        f.update(
            same_sentence=same,
            nearest_before=nearest,
            event_before=before,
            event_after=after,
            sentence_gap=gap,
            events_between=between if between < FAR else 99,
            same_section=same_section,
            rule=float(rule),
        )
        return f


def speaker_rows(doc: Doc, cues: dict[str, str] | None = None) -> list[tuple[EntityKey, EntityKey, dict]]:
    """(official, meeting, features) for every pair of the document."""
    return SpeakerRows(doc, cues if cues is not None else cue_words()).rows()


class Speakers(LinearComponent):
    MODEL_FILE = MODEL_FILE

    def __init__(self, name: str, enabled: bool) -> None:
        super().__init__(name, enabled)
        self.cues_from = DATA_DIR  # the folder whose cue words this component reads
        self.cues = cue_words(self.cues_from)

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        """The model and the cue words it was trained with (a saved pipeline keeps its own)."""
        super().to_disk(path, exclude=exclude)
        if (self.cues_from / CUES_FILE).resolve() != (Path(path) / CUES_FILE).resolve():
            shutil.copyfile(self.cues_from / CUES_FILE, Path(path) / CUES_FILE)

    def from_disk(self, path: str | Path, *, exclude=()):
        super().from_disk(path, exclude=exclude)
        self.cues_from = Path(path) if (Path(path) / CUES_FILE).exists() else DATA_DIR
        self.cues = cue_words(self.cues_from)
        return self

    def __call__(self, doc: Doc) -> Doc:
        if not self.active:
            return doc
        view = SpeakerRows(doc, self.cues)
        rows = view.rows()
        p = self.model.probabilities([r for _, _, r in rows])
        threshold = self.model.settings.get("threshold", 0.5)
        links = [
            link
            for (o, e, _), pi in zip(rows, p, strict=True)
            if pi > threshold
            for link in self.links(view, o, e, float(pi))
        ]
        kept = [link for link in doc._.relations or [] if link.relation != Relation.SPOKE_AT]
        doc._.relations = kept + links
        return doc

    @staticmethod
    def links(view: SpeakerRows, o: EntityKey, e: EntityKey, p: float) -> list[Link]:
        """The link with the sentences that tell the official speaking (a mention with a speak or
        chair cue), else the one of the mention nearest the meeting."""
        mentions = view.officials[o]
        cued = [
            m
            for m, cue in zip(mentions, view.official_cues[o], strict=True)
            if {"speak", "chair"} & set(cue["kinds"])
        ]
        if not cued:
            e_at = [m.start for m in view.events[e]]
            cued = [min(mentions, key=lambda m: (min(abs(m.start - a) for a in e_at), m.start))]
        out, seen = [], set()
        for m in cued:
            sent = view.sentence(m.start)
            if sent not in seen:
                seen.add(sent)
                a = view.sent_starts[sent] if view.sent_starts else 0
                b = view.sent_ends[sent] if view.sent_ends else len(view.text)
                out.append(Link(o, Relation.SPOKE_AT, e, a, b, {}, p))
        return out


@Language.factory(
    "plankg_speakers",
    assigns=["doc._.relations"],
    requires=["doc._.mentions", "doc._.relations", "doc._.sections"],
    default_config={"enabled": True},
)
def make_speakers(nlp: Language, name: str, enabled: bool) -> Speakers:
    """enabled: false keeps the rule linker's spoke_at."""
    return Speakers(name, enabled)
