"""Reading input documents: .txt files, folders of them, and JSON Lines.

Government sites publish in UTF-8, GB18030/GBK and Big5, often as saved HTML pages; this
module turns all of that into clean text, or into a one-line reason why it could not.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from charset_normalizer import from_bytes

from plankg.nlp.text import is_cjk

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_BYTES = 200 * 1024 * 1024
LARGE_BYTES = 10 * 1024 * 1024  # a text file this big is likely many articles: say how it is read
PART_CHARS = 100_000  # longer texts are analysed in parts (spaCy keeps whole documents in memory)
FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF10, 0xFF1A)}  # ０-９
FULLWIDTH.update({i: i - 0xFEE0 for i in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
FULLWIDTH.update({i: i - 0xFEE0 for i in range(0xFF41, 0xFF5B)})  # ａ-ｚ
FULLWIDTH.update({0xFF0E: ord("."), 0xFF05: ord("%"), 0x3000: ord(" "), 0xFF0B: ord("+"), 0xFF0D: ord("-")})
TAG = re.compile(r"<[^>]+>")
DROP_BLOCKS = re.compile(r"<(script|style|nav|header|footer|noscript)\b.*?</\1>", re.S | re.I)
BLOCK_TAGS = re.compile(r"</?(p|div|br|li|tr|h[1-6]|section|article)\b[^>]*>", re.I)
BOILERPLATE = re.compile(
    r"^(当前位置|您现在的位置|首页\s*[>＞]|分享到|打印本页|关闭窗口|【打印】|版权所有|Copyright|主办单位|ICP备)",
    re.I,
)


class InputError(Exception):
    """A document or input path that cannot be read; the message is one line for the user."""


class InputWarning(InputError):
    """A document that is read, with something the user should know (a very large file)."""


@dataclass
class Document:
    doc_id: str
    text: str  # what is analysed: normalised, and Simplified Chinese
    date: str | None = None
    source: str = ""
    encoding: str = "utf-8"
    original: str | None = None  # the Traditional Chinese text, when `text` is its conversion


@cache
def _to_simplified():
    from opencc import OpenCC

    return OpenCC("t2s")


@cache
def _traditional_marks() -> tuple[frozenset[str], tuple[str, ...]] | None:
    """What t2s can change: the characters it rewrites on their own, and the phrases it rewrites
    that contain none of those. A text with neither converts to itself. Read from the
    converter's own tables (an internal attribute of opencc-python-reimplemented); None when
    they cannot be read, and then every text is converted."""
    try:
        tables = [table for group in _to_simplified()._dict_chain_data for _, _, table in group]
    except (AttributeError, TypeError, ValueError):
        return None
    # the converter replaces a match with the first of its space-separated readings
    changed = [key for table in tables for key, value in table.items() if value.split(" ")[0] != key]
    chars = frozenset(key for key in changed if len(key) == 1)
    phrases = tuple(key for key in changed if len(key) > 1 and chars.isdisjoint(key))
    return chars, phrases


def may_be_traditional(text: str) -> bool:
    """False when t2s would leave `text` as it is: the check costs far less than converting."""
    marks = _traditional_marks()
    if marks is None:
        return True
    chars, phrases = marks
    return not chars.isdisjoint(text) or any(p in text for p in phrases)


def simplify(doc: Document) -> Document:
    """Traditional Chinese is analysed in Simplified form; the original stays for provenance."""
    if not may_be_traditional(doc.text):
        return doc  # nothing to convert (most input is Simplified already)
    converted = _to_simplified().convert(doc.text)
    changed = sum(a != b for a, b in zip(doc.text, converted, strict=False))
    cjk = sum(1 for ch in doc.text if is_cjk(ch)) or 1
    if changed / cjk >= 0.02:
        doc.original, doc.text = doc.text, converted
    return doc


def normalise(text: str) -> str:
    """Full-width digits/letters to ASCII (same length, so offsets stay valid), unify newlines."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(FULLWIDTH)


def html_to_text(raw: str) -> str:
    """Body text of a saved web page: drop scripts/menus, keep paragraphs, strip boilerplate lines."""
    raw = DROP_BLOCKS.sub(" ", raw)
    raw = BLOCK_TAGS.sub("\n", raw)
    text = html.unescape(TAG.sub("", raw))
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line and not BOILERPLATE.match(line))


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<body" in head or "<!doctype html" in head or head.count("<p") > 2


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding); UTF-8 (with or without BOM) first, then detection."""
    if not data.strip():
        raise InputError(f"{name}: file is empty")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _mostly_chinese(text):
            candidates.append((_rare_share(text) if enc == "gb18030" else 0.0, enc, text))
    if candidates:
        # Big5 bytes often decode as valid GB18030, but into rare characters outside GB2312
        gb = next((c for c in candidates if c[1] == "gb18030"), None)
        big5 = next((c for c in candidates if c[1] == "big5"), None)
        if gb and (big5 is None or gb[0] < 0.05):
            return gb[2], "gb18030"
        if big5:
            return big5[2], "big5"
    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: cannot detect the text encoding")
    return str(best), best.encoding


def _rare_share(text: str) -> float:
    """Share of Chinese characters outside GB2312 (high for mis-decoded Big5)."""
    cjk = [ch for ch in text[:5000] if is_cjk(ch)]
    if not cjk:
        return 0.0
    rare = 0
    for ch in cjk:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare / len(cjk)


def _mostly_chinese(text: str) -> bool:
    sample = text[:5000]
    cjk = sum(1 for ch in sample if is_cjk(ch))
    return cjk >= max(1, len(sample.strip()) // 10)


def read_text_file(path: Path, doc_id: str | None = None) -> Document:
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"{path}: file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    text, encoding = decode(path.read_bytes(), str(path))
    if path.suffix.lower() in (".html", ".htm") or looks_like_html(text):
        text = html_to_text(text)
    text = normalise(text)
    if not text.strip():
        raise InputError(f"{path}: no text in file")
    return Document(doc_id or path.stem, text, source=str(path), encoding=encoding)


def read_jsonl(path: Path) -> Iterator[Document | InputError]:
    """One document per line: {"id": ..., "text": ..., "date": optional}; bad lines become errors."""
    text, _ = decode(path.read_bytes(), str(path))
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            doc_id, body = str(record["id"]), record["text"]
            if not isinstance(body, str) or not body.strip():
                raise ValueError("empty text")
        except (ValueError, KeyError, TypeError) as exc:
            yield InputError(f"{path}:{number}: skipped bad line ({exc.__class__.__name__}: {exc})")
            continue
        if looks_like_html(body):
            body = html_to_text(body)
        date = record.get("date")
        yield Document(
            doc_id, normalise(body), date=str(date)[:10] if date else None, source=f"{path}:{number}"
        )


def split_long(doc: Document, limit: int = PART_CHARS) -> Iterator[Document]:
    """A very long text becomes parts cut at paragraph ends: id, id.p2, id.p3 ..."""
    if len(doc.text) <= limit:
        yield doc
        return
    start, part = 0, 1
    while start < len(doc.text):
        end = min(len(doc.text), start + limit)
        if end < len(doc.text):
            cut = doc.text.rfind("\n", start + limit // 2, end)
            end = cut + 1 if cut > start else end
        doc_id = doc.doc_id if part == 1 else f"{doc.doc_id}.p{part}"
        yield Document(
            doc_id, doc.text[start:end], doc.date, f"{doc.source}#chars={start}-{end}", doc.encoding
        )
        start, part = end, part + 1


def large_file_warning(path: Path, doc: Document) -> InputWarning:
    parts = -(-len(doc.text) // PART_CHARS)
    return InputWarning(
        f"{path}: large file ({path.stat().st_size / 2**20:.0f} MB, {len(doc.text):,} characters) is analysed"
        f" as about {parts:,} parts ({doc.doc_id}, {doc.doc_id}.p2 ...); many articles in one file are"
        " better given as JSON Lines, one article a line"
    )


def iter_documents(inputs: list[Path]) -> Iterator[Document | InputError]:
    """Every document under the given paths, in a stable order; unreadable ones as errors."""
    for root in inputs:
        if not root.exists():
            yield InputError(f"{root}: no such file or folder")
            continue
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        found = False
        for path in files:
            suffix = path.suffix.lower()
            if root.is_dir() and suffix not in TEXT_SUFFIXES | JSONL_SUFFIXES:
                continue
            found = True
            try:
                items = read_jsonl(path) if suffix in JSONL_SUFFIXES else [read_text_file(path)]
                if suffix not in JSONL_SUFFIXES and path.stat().st_size > LARGE_BYTES:
                    yield large_file_warning(path, items[0])
                for item in items:
                    yield from ([item] if isinstance(item, InputError) else split_long(simplify(item)))
            except InputError as exc:
                yield exc
            except OSError as exc:
                yield InputError(f"{path}: cannot read ({exc.strerror or exc})")
        if root.is_dir() and not found:
            yield InputError(f"{root}: folder has no .txt, .html or .jsonl documents")
