"""One view of a parsed article that every rule stage reads, built once per article (like
spaCy's ``Doc``): its sentences with the tagger's known errors repaired, its entities, its
paragraphs and its body.

The small models get a few reporting verbs wrong surprisingly often ("says", "announced" or
"Viguerie notes" tagged as nouns, "told" lemmatized as "told"). Repairing them here, once,
means the quote finder and speaker resolution see the same tree.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .lexicon import known_verbs, lemma_guess, lexicon
from .models import Article, Entity, ParsedArticle, Sentence, Word

# News paragraphs are lines.
PARAGRAPH = re.compile(r"[^\n]+")
# Forms read as their verb whatever the tagger says (cues.toml, ``always_verb``).
ALWAYS_VERBS = frozenset(lexicon().cues.forms("always_verb"))


@dataclass
class Document:
    """A parsed article as the rules read it."""

    article: Article
    sentences: list[Sentence]
    entities: list[Entity]
    paragraphs: list[tuple[int, int]]

    @classmethod
    def of(cls, parsed: ParsedArticle) -> Document:
        return cls(parsed.article, [repaired_sentence(s) for s in parsed.sentences], parsed.entities,
                   paragraphs_of(parsed.article.text))

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def body(self) -> tuple[int, int]:
        """Where the article body begins and where trailing boilerplate begins."""
        end = self.article.body_end
        return self.article.body_start, len(self.text) if end is None else end

    def in_body(self, offset: int) -> bool:
        start, end = self.body
        return start <= offset < end

    def written_paragraphs(self) -> list[tuple[int, int]]:
        """The paragraphs holding more than white space."""
        return [(start, end) for start, end in self.paragraphs if self.text[start:end].strip()]


def as_document(parsed: ParsedArticle | Document) -> Document:
    """A document for a parsed article; the same one when it is one already."""
    return parsed if isinstance(parsed, Document) else Document.of(parsed)


def paragraphs_of(text: str) -> list[tuple[int, int]]:
    """Start and end of every line of ``text`` (news paragraphs are lines)."""
    return [(m.start(), m.end()) for m in PARAGRAPH.finditer(text)]


def paragraph_index(paragraphs: list[tuple[int, int]], offset: int) -> int:
    """The number of the paragraph holding (or last before) ``offset``."""
    return bisect_right([start for start, _ in paragraphs], offset) - 1


def repaired_sentence(sentence: Sentence) -> Sentence:
    words = sentence.words
    return sentence.model_copy(update={"words": [repaired(w, words[i - 1] if i else None)
                                                 for i, w in enumerate(words)]})


def repaired(word: Word, previous: Word | None) -> Word:
    """Trust the word form over the tagger for unmistakable reporting verbs ("says",
    "announced" or "Viguerie notes" as a NOUN, "told" lemmatized as "told")."""
    lower = word.text.lower()
    verbs = known_verbs()
    if word.upos == "VERB" and word.lemma in verbs:
        return word
    lemma = lemma_guess(lower)
    known = lemma in verbs
    # "Viguerie notes", "he says", "his attacks on" (the noun cue read as its verb); not "his
    # press briefing": no third-person -s ends in "ss".
    after_name = previous is not None and previous.upos in ("PROPN", "PRON") and lower.endswith("s") \
        and not lower.endswith("ss")
    # A verb the tagger got right but lemmatized as its own form ("warning", "voting", "knew").
    tagged_verb = word.upos == "VERB"
    if lower in ALWAYS_VERBS or known and (lower.endswith("ed") or after_name or tagged_verb):
        return word.model_copy(update={"upos": "VERB", "lemma": lemma})
    return word
