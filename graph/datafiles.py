"""Reading the knowledge files that ship beside the code (gazetteers, word lists, tables).

One reader for every data folder: UTF-8, one entry per line, `#` starts a comment line,
tables are tab-separated.
"""

from __future__ import annotations

from pathlib import Path


def read_lines(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a data file, in file order."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def read_table(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in read_lines(path)]
