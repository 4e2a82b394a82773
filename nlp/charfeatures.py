"""What the learned recogniser sees of each character: the character and its neighbours, the
word the segmenter put it in, and everything the rules and lexicons say about it.

The rules become evidence here rather than the final word: a rule candidate covering a
character (a suffix-grammar Platform, a gazetteer District, a title+name Official ...) is a
feature with its position in the candidate (B/I/E/S), as are lexicon matches (left breakers,
titles, name suffixes, sector words, generic words). The CRF learns when to trust them and
where names really begin and end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .facts import Mention
from .lexicon import Lexicon, LongestMatcher, TextCodes

FILES = (
    "left_breakers.txt",
    "titles.txt",
    "surnames.txt",
    "industries.txt",
    "name_suffixes.tsv",
    "org_suffixes.tsv",
    "event_suffixes.txt",
    "generic_names.txt",
)
CN_NUMERALS = frozenset("零一二两三四五六七八九十百千万亿")
PUNCTUATION = frozenset("，,。；;：:！？!?、（）()“”\"'《》【】[]·—-…")
PAD = "#"


def char_class(ch: str) -> str:
    """H Chinese, N Chinese numeral, D digit, L Latin letter, S blank, P punctuation, O other."""
    if "\u4e00" <= ch <= "\u9fff":
        return "N" if ch in CN_NUMERALS else "H"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L"
    if ch.isspace():
        return "S"
    return "P" if ch in PUNCTUATION else "O"


# the class of every character of the CJK block and of ASCII, computed once
CLASSES = {chr(c): char_class(chr(c)) for c in [*range(0x4E00, 0xA000), *range(0x80)]}


def _mark(tags: defaultdict[int, list[str]], start: int, end: int, name: str) -> None:
    """Tag the characters of [start, end) with `name` + their position (B/I/E, S alone)."""
    if end - start == 1:
        tags[start].append(name + "S")
        return
    tags[start].append(name + "B")
    inside = name + "I"
    for i in range(start + 1, end - 1):
        tags[i].append(inside)
    tags[end - 1].append(name + "E")


class CharFeatures:
    """Per-character feature strings for a text, its tokens and the rule candidates in it."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.breakers = lexicon.matcher("left_breakers.txt")
        self.titles = lexicon.matcher("titles.txt")
        self.surnames = lexicon.words("surnames.txt")
        self.sectors = lexicon.matcher("industries.txt")
        self.generic = lexicon.matcher("generic_names.txt")
        suffix_type = {row[0]: row[1] for row in lexicon.table("name_suffixes.tsv")}
        suffix_type.update({row[0]: row[1] for row in lexicon.table("org_suffixes.tsv")})
        suffix_type.update({s: "Event" for s in lexicon.lines("event_suffixes.txt")})
        self.suffix_type = suffix_type
        self.suffixes = LongestMatcher(suffix_type)

    def lexicon_tags(self, text: str, tags: defaultdict[int, list[str]]) -> None:
        codes = TextCodes(text)
        n = len(text)
        for s, e, _ in self.breakers.finditer(text, codes):
            _mark(tags, s, e, "BRK")
        for end, word in self.titles.ends(text, codes):
            if end < n:
                tags[end].append("AFTER_TITLE")
            _mark(tags, end - len(word), end, "TTL")
        for i, word in self.suffixes.starts(text, codes):
            _mark(tags, i, i + len(word), "SUF" + self.suffix_type[word])
            if i + len(word) < n:
                tags[i + len(word)].append("AFTER_SUF")
        for s, e, _ in self.sectors.finditer(text, codes):
            _mark(tags, s, e, "IND")
        for s, e, _ in self.generic.finditer(text, codes):
            _mark(tags, s, e, "GEN")

    def __call__(
        self, text: str, tokens: Iterable[tuple[int, int]], candidates: Iterable[Mention]
    ) -> list[list[str]]:
        n = len(text)
        tags: defaultdict[int, list[str]] = defaultdict(list)  # only the few marked characters have any
        for m in candidates:
            if 0 <= m.start < m.end <= n:
                _mark(tags, m.start, m.end, "R" + m.label)
                _mark(tags, m.start, m.end, "S" + m.source)
        self.lexicon_tags(text, tags)
        tokens = list(tokens)
        word_at = [-1] * n
        for k, (s, e) in enumerate(tokens):
            for i in range(s, min(e, n)):
                word_at[i] = k
        words = [text[s:e] for s, e in tokens]
        classes = [CLASSES.get(c) or char_class(c) for c in text]
        padded = PAD + PAD + text + PAD + PAD
        cls = ["#", "#", *classes, "#", "#"]
        quoted = False
        out = []
        for i, ch in enumerate(text):
            j = i + 2  # index into the padded text
            if ch == "“":
                quoted = True
            f = [
                "bias",
                "c=" + ch,
                "t=" + classes[i],
                "c-1=" + padded[j - 1],
                "c+1=" + padded[j + 1],
                "c-2=" + padded[j - 2],
                "c+2=" + padded[j + 2],
                "b-1=" + padded[j - 1 : j + 1],
                "b+1=" + padded[j : j + 2],
                "b-2=" + padded[j - 2 : j],
                "b+2=" + padded[j + 1 : j + 3],
                "t-1=" + cls[j - 1] + classes[i],
                "t+1=" + classes[i] + cls[j + 1],
            ]
            k = word_at[i]
            if k >= 0:
                s, e = tokens[k]
                f.append("wp=" + ("S" if e - s == 1 else "B" if i == s else "E" if i == e - 1 else "I"))
                if len(words[k]) <= 4:
                    f.append("w=" + words[k])
                if i == s and k > 0:
                    f.append("pw=" + words[k - 1])
                if i == e - 1 and k + 1 < len(words):
                    f.append("nw=" + words[k + 1])
            if ch in self.surnames:
                f.append("SUR")
            if quoted:
                f.append("Q")
            if ch == "”":
                quoted = False
            if i in tags:
                f += tags[i]
            out.append(f)
        return out


def bio_spans(labels: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) of the B-/I- runs of a label sequence."""
    out: list[tuple[int, int, str]] = []
    start, kind = None, None
    for i, y in enumerate([*labels, "O"]):
        continues = y.startswith("I-") and y[2:] == kind
        if not continues:
            if start is not None:
                out.append((start, i, kind))
            start, kind = (i, y[2:]) if y != "O" else (None, None)
    return out


def bio_labels(n: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    labels = ["O"] * n
    for s, e, kind in spans:
        labels[s] = "B-" + kind
        for i in range(s + 1, e):
            labels[i] = "I-" + kind
    return labels
