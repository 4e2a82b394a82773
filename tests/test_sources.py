"""Reading bytes as text: UTF-8 first, then the Chinese encodings, with one clear error otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.sources import (
    Document,
    DocumentIds,
    InputError,
    InputWarning,
    decode,
    decode_counting,
    html_page,
    iter_documents,
    read_jsonl,
)

TEXT = "东湖区今年计划实施重点项目一百个，总投资超过五百亿元。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("gbk"), "gb18030"),
        ("東湖區今年計劃實施重點項目一百個，總投資超過五百億元。".encode("big5"), "big5"),
    ],
)
def test_encodings_are_detected(data: bytes, encoding: str) -> None:
    text, found = decode(data, "news.txt")
    assert found == encoding
    assert text.lstrip("\ufeff").startswith(("东湖区", "東湖區"))


def test_utf16_with_a_byte_order_mark_is_read() -> None:
    text, _ = decode(TEXT.encode("utf-16"), "news.txt")
    assert text.strip("\ufeff") == TEXT


@pytest.mark.parametrize(("data", "message"), [(b"  \n", "empty"), (b"\x00\x01\x02binary" * 10, "binary")])
def test_empty_and_binary_files_are_one_line_errors(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode(data, "bad.txt")


# -- damaged bytes (issue 12) -------------------------------------------------------------------------
def test_a_damaged_utf8_byte_becomes_a_replacement_character() -> None:
    data = TEXT.encode("utf-8")
    text, encoding, damaged = decode_counting(data[:9] + b"\xff" + data[9:], "news.txt")
    assert (encoding, damaged) == ("utf-8", 1)
    assert text == TEXT[:3] + "\ufffd" + TEXT[3:]


def test_a_file_cut_in_the_middle_of_a_character_is_read() -> None:
    data = TEXT.encode("utf-8")[:-1]  # `head -c`: the last 。 lost its last byte
    text, _, damaged = decode_counting(data, "news.txt")
    assert damaged == 2 and text == TEXT[:-1] + "\ufffd\ufffd"


def test_gbk_is_never_taken_for_damaged_utf8() -> None:
    """Read as UTF-8, GBK is nearly all bad bytes: it is detected as GBK, even in mostly-ASCII text."""
    assert decode_counting(TEXT.encode("gbk"), "news.txt")[1:] == ("gb18030", 0)
    _, _, damaged = decode_counting(("Report 2024: " * 50 + TEXT).encode("gbk"), "news.txt")
    assert damaged == 0


def test_a_jsonl_text_that_is_not_a_string(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "a", "text": 5}\n{"id": "b", "text": "  "}\n[1, 2]\n', encoding="utf-8")
    errors = [str(e) for e in read_jsonl(feed)]
    assert 'the field "text" is not a string but int' in errors[0]
    assert 'the field "text" is empty' in errors[1]
    assert "must be a JSON object, not list" in errors[2]


# -- web pages (issue 12) -------------------------------------------------------------------------------
def test_a_web_page_loses_its_title_headline_dateline_and_footer() -> None:
    page = html_page(
        "<html><head><title>区长王强调研重点项目_某某区人民政府</title></head><body>"
        '<div class="nav"><a>首页</a><a>政务公开</a></div>'
        '<div class="article-title">区长王强调研重点项目</div>'
        "<p>2024年3月1日 10:00 来源：某某区融媒体中心</p>"
        "<p>3月1日，某某区区长王强到东湖区<strong>重点项目</strong>现场调研。</p>"
        "<p>他强调，要加快建设\n东湖科技园。</p>"
        '<div id="footer">主办：某某区人民政府办公室</div>'
        "<p>责任编辑：李四</p></body></html>"
    )
    assert page.text == "3月1日，某某区区长王强到东湖区重点项目现场调研。\n他强调，要加快建设东湖科技园。"
    assert page.date == "2024-03-01"  # from the dateline that was dropped


def test_menus_of_links_are_dropped_and_a_link_in_a_sentence_kept() -> None:
    page = html_page(
        "<body><ul><li><a>首页</a></li><li><a>要闻</a></li><li><a>通知公告</a></li></ul>"
        "<p>根据<a>《东湖区国土空间规划》</a>，东湖区将建设三个产业园。</p></body>"
    )
    assert page.text == "根据《东湖区国土空间规划》，东湖区将建设三个产业园。"


# -- document ids (issue 12) -----------------------------------------------------------------------------
def test_files_in_folders_are_named_by_their_path_there(tmp_path: Path) -> None:
    for name in ("a/report.txt", "b/report.txt", "c/d/report.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    ids = [d.doc_id for d in iter_documents([tmp_path]) if isinstance(d, Document)]
    assert ids == ["a/report", "b/report", "c/d/report"]


def test_a_file_keeps_its_stored_id_and_another_file_gets_a_new_one(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt"
    a.write_text(TEXT, encoding="utf-8")
    b.write_text(TEXT, encoding="utf-8")
    stored = DocumentIds(
        {"a-report": str(a.resolve()), "report": "/elsewhere/report.txt"}
    )  # the earlier build
    items = list(iter_documents([a, b], stored))
    assert [d.doc_id for d in items if isinstance(d, Document)] == ["a-report", "b/report"]
    (note,) = [i for i in items if isinstance(i, InputWarning)]
    assert "'report' is taken by" in str(note)


def test_a_file_given_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "news.txt").write_text(TEXT, encoding="utf-8")
    items = list(iter_documents([tmp_path, tmp_path / "news.txt"]))
    assert [type(i).__name__ for i in items] == ["Document", "InputError"]
    assert "given twice" in str(items[1])


def test_repeated_jsonl_ids_are_kept_apart_with_a_warning(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(f'{{"id": "x", "text": "{TEXT}"}}\n' * 2, encoding="utf-8")
    items = list(iter_documents([feed]))
    assert [i.doc_id for i in items if isinstance(i, Document)] == ["x", "x-2"]
    assert any(isinstance(i, InputWarning) and "used twice" in str(i) for i in items)
