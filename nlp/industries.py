"""Industries: sector-lexicon matches in sentences that talk about developing sectors.

A sector word (生物医药, 人工智能) is an Industry only where the sentence names it as a
priority (发展, 培育, 布局, 产业集群 ...); elsewhere it is ordinary vocabulary.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .facts import Mention
from .lexicon import LongestMatcher, industries, read_lines


class IndustryRecognizer:
    def __init__(self) -> None:
        self.lexicon = LongestMatcher(industries())
        self.cues = tuple(read_lines("industry_cues.txt"))

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        mentions = doc._.mentions if doc._.mentions is not None else []
        for sent in doc.sents:
            s_text = sent.text
            if not any(cue in s_text for cue in self.cues):
                continue
            for s, e, word in self.lexicon.finditer(s_text):
                start, end = sent.start_char + s, sent.start_char + e
                aliases: tuple[str, ...] = ()
                for tail in ("产业", "行业"):
                    if text.startswith(tail, end) and not word.endswith(("业", "产业")):
                        aliases = (word + tail,)
                        end += len(tail)
                        break
                mentions.append(Mention(start, end, "Industry", text[start:end], canonical=word,
                                        aliases=aliases, source="lexicon"))
        doc._.mentions = mentions
        return doc


@Language.factory("plankg_industries")
def make_industries(nlp: Language, name: str) -> IndustryRecognizer:
    return IndustryRecognizer()
