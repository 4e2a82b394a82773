"""Reading the knowledge files that ship beside the code (gazetteers, word lists, tables).

One reader for every data folder: UTF-8, one entry per line, `#` starts a comment line,
tables are tab-separated.
"""

from __future__ import annotations

from pathlib import Path


def parse_lines(text: str) -> list[str]:
    """Non-empty, non-comment lines of a data file's text, in file order."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def read_lines(path: Path) -> list[str]:
    return parse_lines(Path(path).read_text(encoding="utf-8"))


def read_table(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in read_lines(path)]
