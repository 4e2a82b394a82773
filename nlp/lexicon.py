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


def _codes(keys: Iterable[str]) -> numpy.ndarray:
    """Sorted codes of one- or two-character strings: a character is its code point, a pair
    (first << 21) | second (code points have 21 bits)."""
    return numpy.array(
        sorted({ord(k[0]) << 21 | ord(k[1]) if len(k) == 2 else ord(k) for k in keys}), dtype=numpy.uint64
    )


class TextCodes:
    """The codes of the characters of a text and of its character pairs (see `_codes`), computed
    once where several matchers scan the same text."""

    def __init__(self, text: str) -> None:
        self.text = text
        chars = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
        self.chars = chars.astype(numpy.uint64)
        self.pairs = (self.chars[:-1] << 21) | self.chars[1:]


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
        codes: TextCodes | None,
    ) -> Iterable[int]:
        """Positions worth a lookup: where a word's first characters are (shift 0, for `starts`)
        or one past where its last characters are (shift 1, for `ends`)."""
        if len(text) < SHORT_TEXT:
            if self.singles:
                return compress(count(shift), map(edge_chars.__contains__, text))
            return compress(count(2 * shift), map(pairs.__contains__, map(add, text, text[1:])))
        if codes is None or codes.text is not text:
            codes = TextCodes(text)
        at = _members(pair_codes, codes.pairs) + 2 * shift
        if self.singles:
            at = numpy.union1d(at, _members(self._single_codes, codes.chars) + shift)
        return at.tolist()

    def starts(self, text: str, codes: TextCodes | None = None) -> Iterator[tuple[int, str]]:
        """Every position where a word starts, with the longest word there (overlapping).
        `codes`: the text's TextCodes, when the caller scans it with several matchers."""
        match_at = self.match_at
        for i in self._candidates(text, self.first_chars, self._heads, self._head_codes, 0, codes):
            word = match_at(text, i)
            if word:
                yield i, word

    def ends(self, text: str, codes: TextCodes | None = None) -> Iterator[tuple[int, str]]:
        """Every position where a word ends, with the longest word ending there (overlapping)."""
        ending_at = self.ending_at
        for end in self._candidates(text, self.last_chars, self._tails, self._tail_codes, 1, codes):
            word = ending_at(text, end)
            if word:
                yield end, word

    def finditer(self, text: str, codes: TextCodes | None = None) -> Iterator[tuple[int, int, str]]:
        """Left to right, the longest word at each position, without overlaps."""
        after = 0
        for i, word in self.starts(text, codes):
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


class Lexicon:
    """The data files a component knows, held as text.

    A pipeline being built reads them from nlp/data (`KnowledgeComponent.initialize`); `to_disk`
    writes them into the component's folder of the saved pipeline and `from_disk` reads them
    back, so a packaged pipeline carries its own knowledge. Parsed forms are cached per lexicon.
    """

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = dict(texts)
        self._parsed: dict[tuple, object] = {}

    @classmethod
    def read(cls, folder: Path, names: Iterable[str]) -> Lexicon:
        return cls({name: (Path(folder) / name).read_text(encoding="utf-8") for name in names})

    def write(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in sorted(self.texts.items()):
            (folder / name).write_text(text, encoding="utf-8")

    def _cached(self, key: tuple, make):
        value = self._parsed.get(key)
        if value is None:
            value = self._parsed[key] = make()
        return value

    def lines(self, name: str) -> list[str]:
        """Non-empty, non-comment lines of the file, in file order."""
        return self._cached(("lines", name), lambda: datafiles.parse_lines(self.texts[name]))

    def table(self, name: str) -> list[list[str]]:
        return [line.split("\t") for line in self.lines(name)]

    def words(self, name: str) -> frozenset[str]:
        return self._cached(("words", name), lambda: frozenset(self.lines(name)))

    def matcher(self, *names: str) -> LongestMatcher:
        """A LongestMatcher of the words of one or more files."""
        return self._cached(
            ("matcher", names), lambda: LongestMatcher(w for n in names for w in self.lines(n))
        )

    def __getstate__(self) -> dict:
        return {"texts": self.texts}  # parsed forms are rebuilt where needed (worker processes)

    def __setstate__(self, state: dict) -> None:
        self.texts, self._parsed = state["texts"], {}
