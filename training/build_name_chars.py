"""Build name_chars.tsv: how often a character ends a Chinese personal name vs. follows one.

Counted over a character-level BIO corpus with PER tags (the MSRA NER data of SIGHAN 2006);
the recogniser uses the ratio to decide whether a 3rd character after a surname still
belongs to the name (陈加猛) or already starts the next word (魏川作报告).

    python -m training.build_name_chars CORPUS.bio [CORPUS.bio ...]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path


def sentences(path: Path):
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 2:
            if sent:
                yield sent
            sent = []
            continue
        sent.append((parts[0], parts[1]))
    if sent:
        yield sent


def count(paths: list[Path]) -> tuple[Counter, Counter]:
    in_name, after_name = Counter(), Counter()
    for path in paths:
        for sent in sentences(path):
            i = 0
            while i < len(sent):
                if sent[i][1] == "B-PER":
                    j = i + 1
                    while j < len(sent) and sent[j][1] == "I-PER":
                        j += 1
                    if 2 <= j - i <= 3:
                        for ch, _ in sent[i + 1 : j]:
                            in_name[ch] += 1
                        if j < len(sent):
                            after_name[sent[j][0]] += 1
                    i = j
                else:
                    i += 1
    return in_name, after_name


def main(argv: list[str]) -> None:
    in_name, after_name = count([Path(p) for p in argv])
    out = Path(__file__).resolve().parents[1] / "nlp" / "data" / "name_chars.tsv"
    rows = [
        "# char\tin_given_name\tafter_name  (counts; built by build_name_chars.py from MSRA NER PER spans)"
    ]
    for ch in sorted(set(in_name) | set(after_name)):
        if in_name[ch] + after_name[ch] >= 2:
            rows.append(f"{ch}\t{in_name[ch]}\t{after_name[ch]}")
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
