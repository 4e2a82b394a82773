"""Reading bytes as text: UTF-8 first, then the Chinese encodings, with one clear error otherwise."""

from __future__ import annotations

import pytest

from plankg.sources import InputError, decode

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
