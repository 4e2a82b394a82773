"""Choose one reading where candidate mentions overlap, and expose them as `doc.ents`.

Longer names win (天河中央商务区 over 天河); the tokenizer's words are split at entity
boundaries so every mention is an exact token span, whatever the segmenter did.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.model import NodeType

from .facts import Mention

PRIORITY = {
    NodeType.OFFICIAL: 0,
    NodeType.EVENT: 1,
    NodeType.ORGANIZATION: 2,
    NodeType.PROJECT: 3,
    NodeType.PLATFORM: 3,
    NodeType.DISTRICT: 4,
    NodeType.INDUSTRY: 5,
}


def choose(mentions: list[Mention]) -> list[Mention]:
    # officials first: a title + surname + name pattern is more reliable than any suffix grammar
    ranked = sorted(
        mentions,
        key=lambda m: (m.label != NodeType.OFFICIAL, -(m.end - m.start), PRIORITY.get(m.label, 9), m.start),
    )
    taken: list[Mention] = []
    used = bytearray()
    for m in ranked:
        if len(used) < m.end:
            used.extend(b"\0" * (m.end - len(used)))
        if any(used[m.start : m.end]):
            continue
        for i in range(m.start, m.end):
            used[i] = 1
        taken.append(m)
    return sorted(taken, key=lambda m: m.start)


def split_at(doc: Doc, boundaries: set[int]) -> Doc:
    """Split tokens so that every boundary offset falls between tokens.

    Each boundary is looked up among the token offsets (one array read), so the cost follows
    the number of mentions, not a Python walk over every token."""
    if not len(doc):
        return doc
    cuts_at = sorted(boundaries)
    starts, lengths = (column.tolist() for column in doc.to_array([IDX, LENGTH]).T)
    inner: dict[int, list[int]] = {}  # token index -> offsets of the cuts inside it, in order
    for cut in cuts_at:
        i = bisect_right(starts, cut) - 1
        if i >= 0 and starts[i] < cut < starts[i] + lengths[i]:
            inner.setdefault(i, []).append(cut - starts[i])
    with doc.retokenize() as retokenizer:
        for i, offsets in inner.items():
            token = doc[i]
            cuts = [0, *offsets, len(token.text)]
            orths = [token.text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))
    return doc


class MentionResolver:
    """Keeps one reading of overlapping mentions and exposes them as `doc.ents`."""

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc._.mentions or []
        kept = choose([m for m in mentions if not m.leading])
        # a place a name starts with (西宁 in 西宁高新区) stays a mention beside its name, not in doc.ents
        names = {m.start for m in kept if m.end - m.start > 1}
        leading = [m for m in mentions if m.leading and m.start in names]
        doc._.mentions = sorted(kept + leading, key=lambda m: (m.start, -m.end)) if leading else kept
        doc = split_at(doc, {b for m in kept for b in (m.start, m.end)})
        spans = [doc.char_span(m.start, m.end, label=m.label) for m in kept]
        doc.ents = [s for s in spans if s is not None]
        return doc


@Language.factory(
    "plankg_resolve",
    assigns=["doc.ents", "doc._.mentions"],
    requires=["doc._.mentions"],
    retokenizes=True,
)
def make_resolver(nlp: Language, name: str) -> MentionResolver:
    return MentionResolver()
