"""Character classes and sentence bounds of Chinese text: one definition for every component.

Sentences end after 。！？!?；; and at line breaks; closing quotes and brackets stay with the
sentence they close.
"""

from __future__ import annotations

import re

CJK_RANGE = "\u4e00-\u9fff"  # CJK Unified Ideographs: the characters of Chinese names
CJK = re.compile(f"[{CJK_RANGE}]")
SENT_END = frozenset("。！？!?；;")
SENT_BREAK = re.compile("[" + re.escape("".join(sorted(SENT_END))) + "\n]")  # a sentence ends after one
SENT_OR_LINE_END = SENT_END | {"\n"}
CLOSERS = "”’」』)）"


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences: split after end punctuation and at line breaks, blanks trimmed."""
    bounds, start = [], 0
    for m in SENT_BREAK.finditer(text):
        end = m.end()
        while end < len(text) and text[end] in CLOSERS:  # keep closing quotes with their sentence
            end += 1
        if text[start:end].strip():
            bounds.append((start, end))
        start = end
    if text[start:].strip():
        bounds.append((start, len(text)))
    return _strip_bounds(text, bounds)


def _strip_bounds(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in bounds:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence (or line) holding [start, end): end punctuation and line breaks
    excluded on both sides."""
    lo = start
    while lo > 0 and text[lo - 1] not in SENT_OR_LINE_END:
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] not in SENT_OR_LINE_END:
        hi += 1
    return lo, hi
