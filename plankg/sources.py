"""Reading input documents: .txt files, folders of them, and JSON Lines.

Government sites publish in UTF-8, GB18030/GBK and Big5, often as saved HTML pages; this
module turns all of that into clean text, or into a one-line reason why it could not.
Every document gets an id that no other source holds (see DocumentIds).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
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
BOILERPLATE = re.compile(
    r"^(当前位置|您现在的位置|您的位置|首页\s*[>＞»]|分享到|打印本页|关闭窗口|【打印】|【关闭】|版权所有|Copyright|©"
    r"|主办单位|ICP备|.{0,20}ICP备|扫一扫)",
    re.I,
)
# Page metadata written as "label：value" lines (datelines, sources, editors, site footers): never news text,
# and the names in them (来源：某某市发展改革委, 主办：某某市人民政府办公室) are not facts of the article.
META_LABELS = (
    "来源|信息来源|文章来源|稿件来源|新闻来源|发布时间|发布日期|更新时间|发文日期|成文日期|作者|撰稿|摄影|编辑"
    "|责任编辑|编审|审核|审校|校对|主办|承办|协办|主管|技术支持|运维|网站标识码|政府网站标识码|索引号|发布机构"
    "|浏览次数|阅读次数|点击数|访问量|字号|字体|联系电话|联系我们|地址|邮编"
)
DATE_PREFIX = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
META_LINE = re.compile(rf"^(?:{DATE_PREFIX})?\s*[【\[（(]?\s*(?:{META_LABELS})\s*[:：]")
DATE_ONLY = re.compile(rf"^{DATE_PREFIX}$")
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# elements dropped whole: never article text
DROP_TAGS = "script, style, noscript, template, head, title, nav, header, footer, aside, form, iframe, select"
DROP_TAGS += ", button, svg, object, h1"  # h1: the headline (see HEADLINE_TOKENS)
BLOCK_TAGS = frozenset(
    "p div li ul ol tr td th table section article h1 h2 h3 h4 h5 h6 dd dt dl blockquote pre address"
    " center main figure figcaption".split()
)
# class/id words of menus, breadcrumbs, footers, share bars ... (compared with the words of "page-footer" etc.)
BOILERPLATE_TOKENS = frozenset(
    "nav navbar navigation menu crumb crumbs breadcrumb breadcrumbs bread position location footer foot"
    " bottom header share copyright sidebar toolbar tools login search friendlink links related comment"
    " comments banner gotop backtop".split()
)
HEADLINE_TOKENS = frozenset("title headline subtitle".split())
CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")


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
    origin: str | None = None  # the file it came from (resolved path); None for JSONL records
    damaged: int = 0  # bytes that were not valid in `encoding`, read as U+FFFD
    whole: str | None = None  # a part of a long text (split_long): the id of the whole document
    part: int = 1
    parts: int = 1

    @property
    def document(self) -> str:
        """The id of the whole document this text is (a part of)."""
        return self.whole or self.doc_id


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


@dataclass
class Page:
    """The article of a saved web page: its text, and its publication date when the page gives one."""

    text: str
    date: str | None = None


def _words(node) -> set[str]:
    """The words of an element's class and id: "page-footer main" -> {page, footer, main, page-footer}."""
    attrs = node.attributes
    values = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower().split()
    return set(values) | {w for v in values for w in re.split(r"[-_]", v) if w}


def _render(root) -> str:
    """Text of an element, a line per block element; whitespace as a browser shows it (none between
    Chinese characters, where a source line break falls inside a sentence)."""
    out: list[str] = []
    stack = [(root, False)]
    while stack:  # iterative: deeply nested markup must not hit the recursion limit
        node, closing = stack.pop()
        if closing:
            out.append("\n")
            continue
        tag = node.tag
        if tag == "-text":
            out.append(re.sub(r"\s+", " ", node.text_content or ""))
            continue
        if tag == "br":
            out.append("\n")
            continue
        if tag.startswith(("-", "!")):  # comments, doctype
            continue
        if tag in BLOCK_TAGS:
            out.append("\n")
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    return "".join(out)


def _page_date(lines: Iterable[str], tree) -> str | None:
    """The publication date: a <meta name="PubDate"> (Chinese government sites), else the first dateline."""
    for meta in tree.css("meta"):
        name = (meta.attributes.get("name") or meta.attributes.get("property") or "").lower()
        if name in {"pubdate", "publishdate", "firstpublishedtime", "article:published_time"}:
            found = DATE.search(meta.attributes.get("content") or "")
            if found:
                return _iso(found)
    for line in lines:
        found = DATE.search(line)
        if found:
            return _iso(found)
    return None


def _iso(match: re.Match[str]) -> str | None:
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def html_page(raw: str) -> Page:
    """The article text of a saved web page, without its menus, headline, dateline and footer.

    The page is parsed by selectolax (an HTML5 parser, as browsers parse); boilerplate goes by element
    (scripts, nav, header/footer, <h1>, menus and footers named by class or id, blocks that are mostly
    links), then by line: breadcrumbs, share bars, and "label：value" metadata lines (来源：, 发布时间：,
    责任编辑：, 主办：...). The page title and the headline never reach name recognition: in a headline a
    name runs into its verb (市委书记李某调研), and site names in titles and footers are not news.
    """
    from selectolax.lexbor import LexborHTMLParser

    raw = raw.encode("utf-8", "replace").decode("utf-8")  # lone surrogates (from JSON escapes) are not HTML
    tree = LexborHTMLParser(raw)
    title = tree.css_first("title")
    headlines = {" ".join(title.text().split())} if title is not None else set()
    headlines |= {part.strip() for h in list(headlines) for part in re.split(r"[_|｜—–-]+", h)}
    headlines |= {" ".join(h.text().split()) for h in tree.css("h1")}
    body = tree.body or tree.root
    if body is None:
        return Page("")
    total = len("".join(body.text().split())) or 1
    for node in body.css(DROP_TAGS):
        node.decompose()
    for node in body.css("[class], [id]"):
        words = _words(node)
        if words & BOILERPLATE_TOKENS or words & HEADLINE_TOKENS:
            text = "".join(node.text().split())
            if words & HEADLINE_TOKENS and not words & BOILERPLATE_TOKENS:
                if len(text) <= 80 and "。" not in text:  # a short line: a headline, not the article
                    headlines.add(" ".join(node.text().split()))
                    node.decompose()
            elif text.count("。") < 2 or len(text) < 0.4 * total:  # never the article itself
                node.decompose()
    for node in body.css("ul, ol, table, div, section, td, dl, p"):  # link lists: menus, "related news"
        links = node.css("a")
        if len(links) >= 3:
            text = len("".join(node.text().split()))
            linked = sum(len("".join(a.text().split())) for a in links)
            if text and linked >= 0.6 * text:
                node.decompose()
    kept, dropped = [], []
    headlines.discard("")
    for line in _render(body).splitlines():
        line = CJK_SPACE.sub("", line.strip())
        if not line:
            continue
        if META_LINE.match(line) or DATE_ONLY.match(line):
            dropped.append(line)
        elif not (BOILERPLATE.match(line) or line in headlines):
            kept.append(line)
    return Page("\n".join(kept), _page_date(dropped, tree))


def html_to_text(raw: str) -> str:
    """Body text of a saved web page (see html_page)."""
    return html_page(raw).text


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<body" in head or "<!doctype html" in head or head.count("<p") > 2


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding); UTF-8 (with or without BOM) first, then detection."""
    text, encoding, _ = decode_counting(data, name)
    return text, encoding


def decode_counting(data: bytes, name: str) -> tuple[str, str, int]:
    """Bytes -> (text, encoding, damaged bytes). A UTF-8 text with a few invalid bytes (a damaged
    byte, a file cut in the middle of a character) is read with U+FFFD for each of them, never skipped."""
    if not data.strip():
        raise InputError(f"{name}: file is empty")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged
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
            return gb[2], "gb18030", 0
        if big5:
            return big5[2], "big5", 0
    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: cannot detect the text encoding")
    return str(best), best.encoding, 0


def _damaged_utf8(data: bytes) -> tuple[str, str, int] | None:
    """UTF-8 with a few bad bytes: at least ten valid multi-byte characters for every bad byte. Text in
    GBK or Big5 read as UTF-8 is mostly bad bytes, so it never passes."""
    text = data.decode("utf-8", errors="surrogateescape")  # each bad byte -> one U+DC80..U+DCFF
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    valid = sum(1 for ch in text if ch > "\x7f" and not "\udc80" <= ch <= "\udcff")
    if not bad or valid < 10 * bad:
        return None
    text = re.sub("[\udc80-\udcff]", "\ufffd", text).removeprefix("\ufeff")
    return text, "utf-8", bad


def damaged_warning(source: str, count: int) -> InputWarning:
    return InputWarning(
        f"{source}: {count} damaged byte{'s' if count != 1 else ''} (not valid UTF-8) read as U+FFFD; the rest"
        " of the file is analysed"
    )


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
    text, encoding, damaged = decode_counting(path.read_bytes(), str(path))
    date = None
    if path.suffix.lower() in (".html", ".htm") or looks_like_html(text):
        page = html_page(text)
        text, date = page.text, page.date
    text = normalise(text)
    if not text.strip():
        raise InputError(f"{path}: no text in file")
    return Document(
        doc_id or path.stem,
        text,
        date=date,
        source=str(path),
        encoding=encoding,
        origin=str(path.resolve()),
        damaged=damaged,
    )


def read_jsonl(path: Path) -> Iterator[Document | InputError]:
    """One document per line: {"id": ..., "text": ..., "date": optional}; bad lines become errors."""
    text, _, damaged = decode_counting(path.read_bytes(), str(path))
    if damaged:
        yield damaged_warning(str(path), damaged)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise TypeError(f"a line must be a JSON object, not {type(record).__name__}")
            doc_id, body = str(record["id"]), record["text"]
            if not isinstance(body, str):
                raise TypeError(f'the field "text" is not a string but {type(body).__name__}: {body!r:.40}')
            if not body.strip():
                raise ValueError('the field "text" is empty')
        except (ValueError, KeyError, TypeError) as exc:
            yield InputError(f"{path}:{number}: skipped bad line ({exc.__class__.__name__}: {exc})")
            continue
        date = record.get("date")
        if looks_like_html(body):
            page = html_page(body)
            body, date = page.text, date or page.date
            if not body.strip():
                yield InputError(f"{path}:{number}: skipped bad line (a web page without article text)")
                continue
        yield Document(
            doc_id, normalise(body), date=str(date)[:10] if date else None, source=f"{path}:{number}"
        )


def part_bounds(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """Where a long text is cut: after at most `limit` (PART_CHARS) characters, at a paragraph end when
    there is one."""
    limit = limit or PART_CHARS
    bounds, start = [], 0
    while start < len(text):
        end = min(len(text), start + limit)
        if end < len(text):
            cut = text.rfind("\n", start + limit // 2, end)
            end = cut + 1 if cut > start else end
        bounds.append((start, end))
        start = end
    return bounds or [(0, 0)]


def split_long(doc: Document, limit: int | None = None) -> Iterator[Document]:
    """A very long text becomes parts cut at paragraph ends: id, id.p2, id.p3 ... (each knows its number
    and the count, for progress reports)."""
    limit = limit or PART_CHARS
    if len(doc.text) <= limit:
        yield doc
        return
    bounds = part_bounds(doc.text, limit)
    for part, (start, end) in enumerate(bounds, 1):
        yield Document(
            doc.doc_id if part == 1 else f"{doc.doc_id}.p{part}",
            doc.text[start:end],
            doc.date,
            f"{doc.source}#chars={start}-{end}",
            doc.encoding,
            origin=doc.origin,
            whole=doc.doc_id,
            part=part,
            parts=len(bounds),
        )


def large_file_warning(path: Path, doc: Document) -> InputWarning:
    parts = len(part_bounds(doc.text))
    return InputWarning(
        f"{path}: large file ({path.stat().st_size / 2**20:.0f} MB, {len(doc.text):,} characters) is analysed"
        f" as {parts:,} parts ({doc.doc_id}, {doc.doc_id}.p2 ...); many articles in one file are"
        " better given as JSON Lines, one article a line"
    )


class DocumentIds:
    """Gives each document an id that no other source holds, in this build or in the build it updates.

    A file's id is its path under the input folder without the suffix (news/a/report.txt given as news/
    -> a/report; a file given by itself -> its stem); a JSONL record's is its "id". A file already in the
    build being updated (same resolved path) keeps the id it has there, so re-adding it replaces its own
    earlier version and nothing else. An id held by another source is never taken over: the newcomer gets
    a longer one (its parent folders, or its suffix, then -2, -3 ...) and a warning says so.
    """

    def __init__(self, stored: Mapping[str, str | None] | None = None) -> None:
        self.owner: dict[str, str | None] = dict(stored or {})  # id -> origin (None: from an older store)
        self.by_origin = {origin: doc_id for doc_id, origin in self.owner.items() if origin}
        self.read: set[str] = set()  # origins read in this build

    def _free(self, doc_id: str, origin: str) -> bool:
        return self.owner.get(doc_id, origin) in (origin, None)

    def assign(self, doc: Document) -> InputError | None:
        """Set `doc.doc_id`; an InputWarning when the wanted id was taken, an InputError for a file given twice."""
        origin = doc.origin or f"id:{doc.doc_id}"
        note: InputError | None = None
        if origin in self.read:
            if doc.origin:
                return InputError(f"{doc.source}: given twice; read once")
            new = self._numbered(doc.doc_id)
            note = InputWarning(f"{doc.source}: id {doc.doc_id!r} is used twice; this document is {new!r}")
            doc.doc_id, origin = new, f"id:{new}"
        elif origin in self.by_origin:
            doc.doc_id = self.by_origin[origin]  # re-added: replaces its own earlier version
        elif not self._free(doc.doc_id, origin):
            new = self._alternative(doc, origin)
            held = self.owner[doc.doc_id]
            by = held if held and not held.startswith("id:") else "another document"
            note = InputWarning(f"{doc.source}: id {doc.doc_id!r} is taken by {by}; this document is {new!r}")
            doc.doc_id = new
            origin = origin if doc.origin else f"id:{new}"
        self.owner[doc.doc_id] = origin
        self.by_origin[origin] = doc.doc_id
        self.read.add(origin)
        return note

    def _numbered(self, doc_id: str) -> str:
        n = 2
        while f"{doc_id}-{n}" in self.owner:
            n += 1
        return f"{doc_id}-{n}"

    def _alternative(self, doc: Document, origin: str) -> str:
        if doc.origin is None:
            return self._numbered(doc.doc_id)
        path = Path(origin)
        held = self.owner.get(doc.doc_id) or ""
        with_suffix = doc.doc_id + path.suffix
        candidates = [with_suffix] if Path(held).parent == path.parent else []
        parts = path.with_suffix("").parts
        depth = len(doc.doc_id.split("/"))
        candidates += ["/".join(parts[-n:]) for n in range(depth + 1, min(len(parts), depth + 4))]
        candidates.append(with_suffix)
        return next((c for c in candidates if self._free(c, origin)), None) or self._numbered(doc.doc_id)


def iter_documents(inputs: list[Path], ids: DocumentIds | None = None) -> Iterator[Document | InputError]:
    """Every document under the given paths, in a stable order; unreadable ones as errors, and warnings
    (large files, damaged bytes, ids taken) just before the document they concern."""
    ids = ids if ids is not None else DocumentIds()
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
                if suffix in JSONL_SUFFIXES:
                    items: Iterable[Document | InputError] = read_jsonl(path)
                else:
                    doc_id = path.relative_to(root).with_suffix("").as_posix() if root.is_dir() else None
                    items = [read_text_file(path, doc_id)]
                for item in items:
                    if isinstance(item, InputError):
                        yield item
                        continue
                    note = ids.assign(item)
                    if note is not None:
                        yield note
                        if not isinstance(note, InputWarning):
                            continue
                    if item.origin and path.stat().st_size > LARGE_BYTES:
                        yield large_file_warning(path, item)
                    if item.damaged:
                        yield damaged_warning(str(path), item.damaged)
                    yield from split_long(simplify(item))
            except InputError as exc:
                yield exc
            except OSError as exc:
                yield InputError(f"{path}: cannot read ({exc.strerror or exc})")
        if root.is_dir() and not found:
            yield InputError(f"{root}: folder has no .txt, .html or .jsonl documents")
