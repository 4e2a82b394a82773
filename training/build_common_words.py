"""Build common_words.txt: frequent 2-3 character words of general news vocabulary.

Counted over gold-segmented news text (People's Daily 1998, PKU standard, which splits
personal names into surname + given name, so real names do not appear as words). The
official recogniser rejects a "name" that is really such a word (书记强调 is not a person 强调),
and a town whose name stem is an ordinary word (发展乡) needs more evidence than its name.

    python -m training.build_common_words CORPUS.seg [CORPUS.seg ...]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

MIN_COUNT = 5


def main(argv: list[str]) -> None:
    here = Path(__file__).resolve().parents[1] / "nlp" / "data"
    counts: Counter[str] = Counter()
    for path in argv:
        with open(path, encoding="utf-8") as reader:
            for line in reader:
                for word in line.split():
                    if 2 <= len(word) <= 3:
                        counts[word] += 1
    words = sorted(w for w, n in counts.items() if n >= MIN_COUNT)
    header = f"# {len(words)} words; built by build_common_words.py from PKU-segmented People's Daily 1998\n"
    (here / "common_words.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
