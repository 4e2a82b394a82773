"""Document structure: sentences, section headings and the document's date and year.

Plan news is full of short heading lines ("@荔湾区", "经济◢", "一、...") that set the
topic of what follows, and of relative years (今年, 过去一年) that need an anchor.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .dates import find_date, guess_year
from .facts import Section, text_of
from .text import SENT_END, sentence_bounds

HEADING_MARKS = ("@", "#", "■")  # a line opening with one of these is a heading whatever its length
HEADING_END_MARK = "◢"
NOT_HEADING_ENDS = "，,：:、"  # a short line ending in a comma or colon continues into the next


def is_heading(line: str, max_chars: int) -> bool:
    """A heading line: marked (@荔湾区, 经济◢), or short and without end punctuation (一、总体要求)."""
    s = line.strip()
    if not s:
        return False
    if s.startswith(HEADING_MARKS) or s.endswith(HEADING_END_MARK):
        return True
    return len(s) <= max_chars and s[-1] not in SENT_END and s[-1] not in NOT_HEADING_ENDS


def sections(text: str, heading_chars: int) -> list[Section]:
    """Spans of text under each heading line (the first section may have no heading)."""
    out: list[Section] = []
    pos = 0
    current = Section(0, 0, "")
    for line in text.splitlines(keepends=True):
        if is_heading(line, heading_chars):
            current.end = pos
            if current.end > current.start:
                out.append(current)
            heading = line.strip().lstrip("#@■ ").rstrip("◢ ")
            current = Section(pos, pos, heading)
        pos += len(line)
    current.end = len(text)
    out.append(current)
    return out


class DocumentStructure:
    """Sets sentence starts, sections and the document's date/year."""

    def __init__(self, name: str, heading_chars: int, dateline_chars: int) -> None:
        self.name = name
        self.heading_chars = heading_chars
        self.dateline_chars = dateline_chars

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        starts = [s for s, _ in sentence_bounds(text)]
        if len(doc):
            # one array write: setting token.is_sent_start one by one re-checks the whole Doc each time
            flags = numpy.where(numpy.isin(doc.to_array(IDX), starts), 1, -1).astype("int64")
            flags[0] = 1
            doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))
        doc._.sections = sections(text, self.heading_chars)
        if not doc._.date:
            doc._.date = find_date(text, self.dateline_chars)
        if doc._.year is None:
            doc._.year = int(doc._.date[:4]) if doc._.date else guess_year(text)
        return doc


@Language.factory(
    "plankg_structure",
    assigns=["token.is_sent_start", "doc._.sections", "doc._.date", "doc._.year"],
    default_config={"heading_chars": 24, "dateline_chars": 400},
)
def make_structure(nlp: Language, name: str, heading_chars: int, dateline_chars: int) -> DocumentStructure:
    """heading_chars: the longest unmarked line read as a heading; dateline_chars: how far into
    the text the document's date is looked for."""
    return DocumentStructure(name, heading_chars, dateline_chars)
