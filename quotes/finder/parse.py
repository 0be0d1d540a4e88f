"""The finder's view of the parse: sentences with their words' children (``Tree``), the
article's entities and quoted stretches (``Context``), and the cue record the rules build."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..models import CueType, Entity, Sentence, Span, SpeakerType, Word
from .marks import QuotedSpan


@dataclass
class Tree:
    """One parsed sentence with its words' children, for subtree spans."""

    sentence: Sentence
    children: dict[int, list[Word]]

    @classmethod
    def of(cls, sentence: Sentence) -> Tree:
        """The tree of a sentence of a ``Document`` (whose tags are repaired)."""
        children: dict[int, list[Word]] = {w.index: [] for w in sentence.words}
        children[0] = []
        for word in sentence.words:
            children.setdefault(word.head, []).append(word)
        return cls(sentence, children)

    def head(self, word: Word) -> Word | None:
        return self.sentence.words[word.head - 1] if word.head else None

    def kids(self, word: Word, *deprels: str) -> list[Word]:
        return [w for w in self.children[word.index] if not deprels or w.deprel in deprels]

    def subtree(self, word: Word, skip: frozenset[int] = frozenset()) -> list[Word]:
        """The word and its descendants, leaving out the subtrees rooted at ``skip``."""
        found, todo = [], [word]
        while todo:
            current = todo.pop()
            if current.index in skip and current is not word:
                continue
            found.append(current)
            todo.extend(self.children[current.index])
        return sorted(found, key=lambda w: w.index)


@dataclass
class Cue:
    """A cue word with its speaker mention and, if the parse shows one, its content."""

    tree: Tree
    word: Word
    span: Span
    cue_type: CueType
    mention: Span | None
    mention_type: SpeakerType | None
    content: list[tuple[int, int]]
    shared: bool = False  # its content is another cue's too (``cues.with_shared_contents``)


@dataclass
class Context:
    """What every cue needs to know about its article: text, entities, quoted stretches.

    Entities and marks are sorted, non-overlapping spans looked up by bisection, so the
    work per cue does not grow with the article's length.
    """

    text: str
    entities: list[Entity]
    marks: list[QuotedSpan]
    entity_starts: list[int] = field(init=False)
    mark_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.entities = sorted(self.entities, key=lambda e: e.start)
        self.entity_starts = [e.start for e in self.entities]
        self.mark_starts = [m.start for m in self.marks]

    def quoted(self, word: Word) -> bool:
        return bool(within(self.marks, self.mark_starts, word.start, word.start + 1))

    def marks_in(self, start: int, end: int) -> list[QuotedSpan]:
        """The quoted stretches overlapping ``text[start:end]``."""
        return within(self.marks, self.mark_starts, start, end)

    def entities_in(self, start: int, end: int) -> list[Entity]:
        """The entities overlapping ``text[start:end]``."""
        return within(self.entities, self.entity_starts, start, end)


def within(spans: list, starts: list[int], start: int, end: int) -> list:
    """The spans (sorted by start, not overlapping each other) overlapping [start, end)."""
    first = max(0, bisect_right(starts, start) - 1)
    last = bisect_left(starts, end)
    return [s for s in spans[first:last] if s.end > start]


def spans_of(runs: list[list[Word]]) -> list[tuple[int, int]]:
    return [span for span in map(words_span, runs) if span]


def words_span(words: list[Word]) -> tuple[int, int] | None:
    """Start and end of a run of words, without punctuation at its edges."""
    while words and (words[0].upos == "PUNCT" and words[0].text not in "\"“‘'`" or
                     words[0].upos == "CCONJ" and len(words) > 1):  # "[and] charged that"
        words = words[1:]
    while words and (words[-1].upos == "PUNCT" and words[-1].text not in "\"”’'" or words[-1].upos == "CCONJ"):
        words = words[:-1]
    return (words[0].start, words[-1].end) if words else None


def span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])
