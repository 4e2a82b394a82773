"""Loading the knowledge files in nlp/data (gazetteers, suffix grammars, word lists).

Everything the recognisers know lives in data files; this module only reads them once.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cache, cached_property
from itertools import accumulate, compress, count
from operator import add
from pathlib import Path

import numpy

from plankg.graph import datafiles
from plankg.graph.model import NodeType

DATA_DIR = Path(__file__).parent / "data"


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a file in nlp/data, in file order."""
    return datafiles.read_lines(DATA_DIR / name)


def read_table(name: str) -> list[list[str]]:
    return datafiles.read_table(DATA_DIR / name)


@cache
def word_set(name: str) -> frozenset[str]:
    return frozenset(read_lines(name))


SHORT_TEXT = 200  # below this many characters a Python scan beats numpy's per-call overhead
_last_text: tuple[str, tuple[numpy.ndarray, numpy.ndarray]] | None = None


def _codes(keys: Iterable[str]) -> numpy.ndarray:
    """Sorted codes of one- or two-character strings: a character is its code point, a pair
    (first << 21) | second (code points have 21 bits)."""
    return numpy.array(
        sorted({ord(k[0]) << 21 | ord(k[1]) if len(k) == 2 else ord(k) for k in keys}), dtype=numpy.uint64
    )


def _text_codes(text: str) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The codes of the characters of `text` and of its character pairs. Kept for the last text:
    the recognisers scan the same document text with several matchers."""
    global _last_text
    cached = _last_text
    if cached is not None and cached[0] is text:
        return cached[1]
    chars = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32).astype(
        numpy.uint64
    )
    codes = chars, (chars[:-1] << 21) | chars[1:]
    _last_text = (text, codes)
    return codes


def _members(keys: numpy.ndarray, values: numpy.ndarray) -> numpy.ndarray:
    """Indices (ascending) of the `values` found in the sorted array `keys`."""
    if not len(keys) or not len(values):
        return numpy.zeros(0, dtype=numpy.intp)
    at = numpy.searchsorted(keys, values)
    numpy.minimum(at, len(keys) - 1, out=at)
    return numpy.flatnonzero(keys[at] == values)


def _lengths_by(words: list[str], part: slice) -> dict[str, list[int]]:
    """word[part] -> the lengths of the words behind it, longest first."""
    grouped: dict[str, list[int]] = {}
    for word in sorted(words, key=len, reverse=True):
        lengths = grouped.get(word[part])
        if lengths is None:
            grouped[word[part]] = [len(word)]
        elif lengths[-1] != len(word):
            lengths.append(len(word))
    return grouped


class LongestMatcher:
    """Longest-match lookup of a word set in text, scanning by character.

    Matching on characters (not tokens) keeps names whole even where the segmenter
    splits them. Words are indexed by their first two and last two characters: most
    positions of a text fail on one lookup, and whole-text scans (`starts`, `ends`,
    `finditer`) find the few candidate positions with one array lookup (numpy) instead
    of a Python loop over every character.
    """

    def __init__(self, words: Iterable[str]):
        self.words = {w for w in words if w}
        self.first_chars = {w[0] for w in self.words}
        self.last_chars = {w[-1] for w in self.words}
        self.singles = frozenset(w for w in self.words if len(w) == 1)
        # first two characters -> lengths of the words behind them, longest first
        self._heads = _lengths_by([w for w in self.words if len(w) > 1], slice(0, 2))

    # indexes that only some uses need (a gazetteer is never matched backwards), built on demand
    @cached_property
    def _tails(self) -> dict[str, list[int]]:
        """Last two characters -> lengths of the words behind them, longest first."""
        return _lengths_by([w for w in self.words if len(w) > 1], slice(-2, None))

    # the same keys as sorted code arrays, for `_members`
    @cached_property
    def _head_codes(self) -> numpy.ndarray:
        return _codes(self._heads)

    @cached_property
    def _tail_codes(self) -> numpy.ndarray:
        return _codes(self._tails)

    @cached_property
    def _single_codes(self) -> numpy.ndarray:
        return _codes(self.singles)

    def match_at(self, text: str, i: int) -> str | None:
        """Longest word that starts exactly at `i` (i >= 0)."""
        if i >= len(text) or text[i] not in self.first_chars:
            return None  # most positions
        lengths = self._heads.get(text[i : i + 2])
        if lengths:
            words = self.words
            for n in lengths:
                # near the end of the text the slice is shorter than n; it is then the
                # candidate of its own (shorter) length, so the result is still the longest
                piece = text[i : i + n]
                if piece in words:
                    return piece
        return text[i] if text[i] in self.singles else None

    def ending_at(self, text: str, end: int) -> str | None:
        """Longest word that ends exactly at `end` (0 <= end <= len(text))."""
        if not 0 < end <= len(text) or text[end - 1] not in self.last_chars:
            return None  # most positions
        lengths = self._tails.get(text[end - 2 : end]) if end >= 2 else None
        if lengths:
            words = self.words
            for n in lengths:
                if n <= end and text[end - n : end] in words:
                    return text[end - n : end]
        return text[end - 1] if text[end - 1] in self.singles else None

    def _candidates(
        self,
        text: str,
        edge_chars: set[str],
        pairs: dict[str, list[int]],
        pair_codes: numpy.ndarray,
        shift: int,
    ) -> Iterable[int]:
        """Positions worth a lookup: where a word's first characters are (shift 0, for `starts`)
        or one past where its last characters are (shift 1, for `ends`)."""
        if len(text) < SHORT_TEXT:
            if self.singles:
                return compress(count(shift), map(edge_chars.__contains__, text))
            return compress(count(2 * shift), map(pairs.__contains__, map(add, text, text[1:])))
        chars, text_pairs = _text_codes(text)
        at = _members(pair_codes, text_pairs) + 2 * shift
        if self.singles:
            at = numpy.union1d(at, _members(self._single_codes, chars) + shift)
        return at.tolist()

    def starts(self, text: str) -> Iterator[tuple[int, str]]:
        """Every position where a word starts, with the longest word there (overlapping)."""
        match_at = self.match_at
        for i in self._candidates(text, self.first_chars, self._heads, self._head_codes, 0):
            word = match_at(text, i)
            if word:
                yield i, word

    def ends(self, text: str) -> Iterator[tuple[int, str]]:
        """Every position where a word ends, with the longest word ending there (overlapping)."""
        ending_at = self.ending_at
        for end in self._candidates(text, self.last_chars, self._tails, self._tail_codes, 1):
            word = ending_at(text, end)
            if word:
                yield end, word

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Left to right, the longest word at each position, without overlaps."""
        after = 0
        for i, word in self.starts(text):
            if i >= after:
                after = i + len(word)
                yield i, after, word


class SpanCover:
    """Does one of a set of spans [x, y) contain [a, b)? The spans sorted by start, with a
    running maximum of their ends, answer in one bisection instead of a scan of every span."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [x for x, _ in ordered]
        self.reach = list(accumulate((y for _, y in ordered), max))

    def covers(self, a: int, b: int) -> bool:
        i = bisect_right(self.starts, a)
        return i > 0 and self.reach[i - 1] >= b


@cache
def name_suffixes() -> dict[str, tuple[NodeType, int]]:
    """Suffix -> (the entity type it makes, the fewest characters a name has before it)."""
    return {row[0]: (NodeType(row[1]), int(row[2])) for row in read_table("name_suffixes.tsv")}


@cache
def surnames() -> frozenset[str]:
    return word_set("surnames.txt")


@cache
def titles() -> LongestMatcher:
    return LongestMatcher(read_lines("titles.txt"))


@cache
def industries() -> frozenset[str]:
    return word_set("industries.txt")
