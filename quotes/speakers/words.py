"""The article's words in one flat, position-sorted index: sentences, heads, entities,
paragraphs, the body and the quoted stretches, looked up by bisection."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..document import Document
from ..models import Entity, Quote, Word
from .names import bare, capitalized_modifier, clean_name, merge_spans, word_set
from .vocabulary import (
    ARTICLES,
    CREDITS,
    DEFINITE,
    HONORIFICS,
    HYPHENS,
    NOMINAL,
    OPENERS,
    POSSESSIVE,
    PRONOUN_KIND,
    ROLE_NOUNS,
    TITLE_WORDS,
)


@dataclass
class WordIndex:
    """Every word of the article with its sentence, head and entity, by flat position."""

    text: str
    words: list[Word]
    sentence_of: list[int]
    heads: list[int]
    starts: list[int]
    ends: list[int]
    proper_words: set[str]
    lowercase_words: set[str]
    paragraph_starts: list[int]
    credits: set[int]
    body: tuple[int, int]
    quoted: list[tuple[int, int]]
    quoted_starts: list[int]
    place_names: set[str]
    organization_names: set[str]
    entities: list[Entity]
    entity_ranges: list[tuple[int, int] | None]
    entity_of: dict[int, int]
    mentioned: set[int]  # the words of the quotes' speaker mentions

    @classmethod
    def of(cls, document: Document, quotes: list[Quote]) -> WordIndex:
        """The index of a document whose ``quotes`` are found (pronouns inside them say nothing
        about who speaks)."""
        words: list[Word] = []
        sentence_of: list[int] = []
        heads: list[int] = []
        for number, sentence in enumerate(document.sentences):
            base = len(words)
            for word in sentence.words:
                words.append(word)
                sentence_of.append(number)
                heads.append(base + word.head - 1 if word.head else -1)
        # Words the article capitalizes inside sentences ("Russian", "Syrian"): proper words,
        # so they keep their capital where they open a sentence too.
        proper_words = {w.text for k, w in enumerate(words)
                        if k and w.text[:1].isupper() and w.text[1:].islower()
                        and sentence_of[k - 1] == sentence_of[k] and words[k - 1].text not in OPENERS}
        # Words the article writes in lower case somewhere: common words wherever they stand
        # ("Administration officials" opening a sentence, "administration officials" later).
        lowercase_words = {w.text for w in words if w.text.islower()}
        paragraphs = document.written_paragraphs()
        text = document.text
        quoted = merge_spans((q.start, q.end) for q in quotes)
        index = cls(text=text, words=words, sentence_of=sentence_of, heads=heads, starts=[w.start for w in words],
                    ends=[w.end for w in words], proper_words=proper_words, lowercase_words=lowercase_words,
                    paragraph_starts=[start for start, _ in paragraphs],
                    credits={i for i, (start, end) in enumerate(paragraphs) if CREDITS.search(text[start:end])},
                    body=document.body, quoted=quoted, quoted_starts=[start for start, _ in quoted],
                    place_names={e.text for e in document.entities if e.type == "LOC" and " " not in e.text},
                    organization_names={clean_name(e.text) for e in document.entities if e.type != "PER"},
                    entities=[], entity_ranges=[], entity_of={}, mentioned=set())
        index.entities = [e for e in document.entities if index.in_body(e.start)]
        index.entity_ranges = [index.word_range(e.start, e.end) for e in index.entities]
        index.entity_of = {k: number for number, span in enumerate(index.entity_ranges)
                           for k in (range(span[0], span[1] + 1) if span else ())}
        index.mentioned = {k for q in quotes if q.speaker and q.speaker.mention
                           for span in [index.word_range(q.speaker.mention.start, q.speaker.mention.end)]
                           if span for k in range(span[0], span[1] + 1)}
        return index

    def in_body(self, position: int) -> bool:
        """Inside the article body and not in a byline or credits paragraph."""
        return (self.body[0] <= position < self.body[1]
                and self.paragraph(position) not in self.credits)

    def paragraph(self, position: int) -> int:
        """Number of the (non-blank) paragraph holding ``position``."""
        return bisect_right(self.paragraph_starts, position) - 1

    def in_quote(self, position: int) -> bool:
        i = bisect_right(self.quoted_starts, position) - 1
        return i >= 0 and position < self.quoted[i][1]

    def between_quote_marks(self, position: int) -> bool:
        """Inside quotation marks in its paragraph, where a title is someone's words (a crowd
        cheering "President Bernie Sanders"), not the article's statement of a role."""
        before = self.text[self.paragraph_starts[self.paragraph(position)]:position] \
            if self.paragraph_starts and self.paragraph(position) >= 0 else ""
        return before.count("“") > before.count("”") or before.count('"') % 2 == 1

    def word_range(self, start: int, end: int) -> tuple[int, int] | None:
        """First and last flat word indexes overlapping ``text[start:end]``."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end) - 1
        return (first, last) if first <= last else None

    def sentence_at(self, position: int) -> int:
        k = max(bisect_right(self.starts, position) - 1, 0)
        return self.sentence_of[k] if self.words else 0

    def span_text(self, first: int, last: int) -> str:
        return self.text[self.words[first].start:self.words[last].end]

    def entity_type(self, k: int) -> str | None:
        number = self.entity_of.get(k)
        return self.entities[number].type if number is not None else None

    def hyphen_joins(self, k: int) -> bool:
        """Whether word ``k`` and the word two after it are written as one with a hyphen
        between them ("Holtz-Eakin", "AFL-CIO"), which the tokenizer makes three words."""
        if k + 2 >= len(self.words) or self.words[k + 1].text not in HYPHENS:
            return False
        word, hyphen, tail = self.words[k:k + 3]
        return word.end == hyphen.start and hyphen.end == tail.start

    def name_range(self, first: int, last: int) -> tuple[int, int] | None:
        """The name inside a PER span: leading titles/honorifics and a trailing 's dropped;
        a name starts after the last title between two joined names ("[German Foreign]
        Minister [Frank-Walter Steinmeier]"), never inside one ("Larry King's")."""
        titles = [k for k in range(first, last) if bare(self.words[k]) in TITLE_WORDS and k not in self.entity_of]
        first = titles[-1] + 1 if titles else first
        while first < last and (bare(self.words[first]) in HONORIFICS | TITLE_WORDS
                                or self.words[first].text in self.place_names):
            first += 1
        while last >= first and (self.words[last].text in POSSESSIVE or self.words[last].upos == "PUNCT"):
            last -= 1
        if first == last and bare(self.words[first]) in HONORIFICS:  # "Ms" alone names no one
            return None
        return (first, last) if first <= last else None

    def entity_span(self, number: int) -> tuple[int, int]:
        """The words of entity ``number``, one known to lie on the body's words (as every
        ``entity_of`` value does); ``entity_ranges`` holds None for an entity that does not."""
        span = self.entity_ranges[number]
        if span is None:
            raise ValueError(f"entity {number} ({self.entities[number].text!r}) covers no words")
        return span

    def entity_name(self, number: int, first: int, last: int) -> str:
        """An ORG/LOC entity's name, widened over capitalized words the tagger left out
        inside the mention ("The United Nations" tagged only on "Nations", "AFL-CIO" on "CIO")."""
        a, b = self.entity_span(number)
        while a - 1 >= first:
            if self.capitalized(a - 1):
                a -= 1
            elif a - 2 >= first and self.hyphen_joins(a - 2) and self.capitalized(a - 2):
                a -= 2
            else:
                break
        while b + 1 <= last:
            if self.capitalized(b + 1):
                b += 1
            elif self.hyphen_joins(b) and b + 2 <= last and self.capitalized(b + 2):
                b += 2  # "AFL-CIO" tagged only on "CIO"
            elif self.words[b + 1].text in ("of", "for") and b + 2 <= last and self.capitalized(b + 2):
                b += 2  # "Observatory for Human Rights"
            else:
                break
        return clean_name(self.span_text(a, b))

    def role_noun(self, k: int) -> bool:
        """Whether word ``k`` names a capacity ("chairman", "MP", "ex-chief")."""
        word = self.words[k]
        tail = re.split(r"[-‐]", word.text.lower())[-1].replace(".", "")
        return (word.upos in ("NOUN", "PROPN") or "-" in word.text) and (
            word.lemma.lower() in ROLE_NOUNS or bare(word) in ROLE_NOUNS | TITLE_WORDS
            or tail in ROLE_NOUNS)

    def opens_clause(self, k: int) -> bool:
        """Whether word ``k`` starts a relative or subordinate clause ("who", "which", "because")."""
        word = self.words[k]
        return PRONOUN_KIND.get(word.text.lower()) == "relative" and word.text.lower() != "that" \
            or word.upos == "SCONJ"

    def possessive(self, k: int) -> bool:
        """Whether word ``k`` ends a possessor ("Syria's", "Kerry’s")."""
        return self.words[k].text in POSSESSIVE or (
            k + 1 < len(self.words) and self.words[k + 1].text in POSSESSIVE)

    def capitalized(self, k: int) -> bool:
        word = self.words[k]
        return (word.upos in ("PROPN", "NOUN", "ADJ") or capitalized_modifier(word)) and word.text[:1].isupper()

    def lexical_head(self, first: int, last: int) -> int:
        """The mention's head noun: the last nominal before a preposition, comma or clause."""
        head = None
        for k in range(first, last + 1):
            word = self.words[k]
            joined = word.text in POSSESSIVE or k > first and self.words[k - 1].end == word.start \
                and self.words[k - 1].text in HYPHENS  # "Syria's", "Moscow-backed"
            ends_phrase = not joined and (
                word.upos in ("ADP", "SCONJ", "VERB", "AUX") or word.text in (",", "(", "—")
                or (word.upos == "PRON" and PRONOUN_KIND.get(word.text.lower()) == "relative"))
            if head is not None and ends_phrase:
                break
            if word.upos in NOMINAL:
                head = k
        return last if head is None else head

    def definite_modifiers(self, first: int, head: int) -> set[str] | None:
        """What a definite description adds to its head ("the Russian foreign minister" ->
        {"russian", "foreign"}), None if the mention is not definite: its antecedent must
        have all those words."""
        if self.words[first].text.lower() not in DEFINITE or head == first:
            return None
        return word_set(" ".join(self.words[k].text for k in range(first + 1, head)
                                 if self.words[k].upos not in ("PUNCT", "PART", "DET")))

    def joined_by_hyphen(self, k: int) -> bool:
        """Whether word ``k`` is a hyphen written between two name parts ("al-Selmo", "Jean-Marc"),
        which the tokenizer splits off and the tagger calls punctuation."""
        if self.words[k].text not in HYPHENS or k == 0 or k + 1 >= len(self.words):
            return False
        before, after = self.words[k - 1], self.words[k + 1]
        return (before.end == self.words[k].start and self.words[k].end == after.start
                and before.upos == after.upos == "PROPN")

    def description(self, first: int, last: int) -> str:
        """A nameless mention as a name: leading article and trailing clauses dropped."""
        while first < last and self.words[first].text.lower() in ARTICLES:
            first += 1
        end = first
        while (end + 1 <= last and self.words[end + 1].text not in (",", "(", "—")
               and PRONOUN_KIND.get(self.words[end + 1].text.lower()) != "relative"):
            end += 1
        while end > first and self.words[end].upos == "PUNCT":
            end -= 1
        text = self.span_text(first, end)
        word = self.words[first]
        starts_sentence = first == 0 or self.sentence_of[first - 1] != self.sentence_of[first] \
            or self.words[first - 1].text in OPENERS
        common = word.upos != "PROPN" and first not in self.entity_of or word.text.lower() in self.lowercase_words
        if starts_sentence and common and not word.text.isupper() and word.text not in self.proper_words:
            text = text[0].lower() + text[1:]
        return text
