"""Where an indirect or mixed content begins and ends, chosen by a learned ranker among the
words near the edges the rules drew.

Why: the rules draw a content from the cue's complement in the parse, but where annotators put
its edges follows conventions the tree does not show, and the pretrained encoder the tagger
reads sees many of them: an adjunct before "that" is no part of what was said ("told investors
[last quarter] that its users ..."), nor a date after it ("announced his candidacy [in June
2015]") or the preposition heading a complement ("insisted [on] preparing her daughter ..."),
while the person urged to act is ("urged [the Obama administration] to block the deal").
For each edge of a kept quote, the words within ``WINDOW`` of it in its sentence and the clause
breaks further into the content (outside the quote's cue, its speaker mention and the other
quotes, and leaving none of its quoted words out) are ranked by gradient-boosted trees over
the tagger's probabilities at and around each word and the words and tags themselves (trained
by ``training/train_boundaries.py``; see the model card). An edge moves to the best word only
when it outranks the rules' own edge by more than the model's margin (chosen on held-out
articles).

Direct quotes keep the edges their quotation marks give. A content never ends up cutting off
the marks of a quoted stretch it reaches into, nor overlapping a quote it did not overlap, and
its kind is read again from the marks inside it (an indirect content grown into quoted words is
mixed).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .finder import QuotedSpan, kind_of, quoted_spans
from .learned import NONE, UNKNOWN, ArticleWords, Trees, load_saved
from .lexicon import lexicon
from .models import Quote, Word
from .tagger import FLAGS, Tagging

MODEL_PATH = Path(__file__).parent / "attribution_model" / "boundaries.pt"
SIDES = ("start", "end")
WINDOW = 6  # words either side of the rules' edge that may become the edge (4: a fifth fewer won)
CLAUSE_WINDOW = 25  # ... and how far into the content an edge may move at a clause break
GRAMMAR = lexicon().language.grammar
BREAKS = frozenset(GRAMMAR.content_breaks)
OPENERS = frozenset(GRAMMAR.content_openers)
CONJUNCTIONS = ("CCONJ", "SCONJ")
MOVABLE_KINDS = ("indirect", "mixed")
AROUND = ("before", "at", "after")  # the candidate word and the words just before and after it
# The columns the trees read: category ids first, then numbers.
CATEGORICAL = ("kind", *(f"word_{where}" for where in AROUND), *(f"upos_{where}" for where in AROUND))
NUMERIC = ("offset", "tagged", "log_chars", "mean_content", "least_content", "most_cue",
           *(f"{name}_{where}" for name in ("content", "begin", "cue") for where in AROUND))
OUTSIDE, BEGIN = 0, 1  # the tagger's tags
QUOTED = FLAGS.index("quoted")


@dataclass
class Edge:
    """One edge of one quote: the words that may become it, in text order, and which of them
    the rules chose."""

    quote: int
    side: str
    positions: list[int]
    rule: int


@dataclass
class Vocabulary:
    """The words, tags and kinds the trees tell apart (the rest read as one unknown value)."""

    words: list[str]
    tags: list[str]
    kinds: list[str]
    index: dict[str, dict[str, int]] = field(init=False, repr=False)

    @classmethod
    def fit(cls, articles: list[ArticleWords], min_count: int) -> Vocabulary:
        """The words seen at least ``min_count`` times in ``articles`` and every tag."""
        counts = Counter(w.text.lower() for words in articles for w in words.words)
        tags = sorted({w.upos for words in articles for w in words.words})
        return cls([UNKNOWN, NONE, *sorted(w for w, n in counts.items() if n >= min_count)],
                   [UNKNOWN, NONE, *tags], [UNKNOWN, *MOVABLE_KINDS])

    def __post_init__(self) -> None:
        self.index = {name: {value: i for i, value in enumerate(getattr(self, name))}
                      for name in ("words", "tags", "kinds")}

    def ids(self, values: list[str], table: str) -> np.ndarray:
        """The ids of ``values`` in the table ``table`` ("words", "tags" or "kinds")."""
        index = self.index[table]
        return np.array([index.get(v, 0) for v in values], dtype=np.float64)


@dataclass
class ArticleColumns:
    """Per article word, what the features read, padded with one empty word at either end (so
    that the words before the first and after the last read as none)."""

    inside: np.ndarray  # the tagger's probability that the word is in a content
    begin: np.ndarray  # ... that it begins one
    cue: np.ndarray  # ... that it is in a cue
    word: np.ndarray  # word ids
    upos: np.ndarray  # tag ids

    @classmethod
    def of(cls, tagging: Tagging, vocabulary: Vocabulary) -> ArticleColumns:
        probabilities = tagging.table
        words = tagging.words.words

        def padded(values: np.ndarray, empty: float) -> np.ndarray:
            return np.concatenate([[empty], values, [empty]])

        none_word, none_tag = vocabulary.words.index(NONE), vocabulary.tags.index(NONE)
        return cls(padded(1 - probabilities[:, 0, OUTSIDE], 0.0), padded(probabilities[:, 0, BEGIN], 0.0),
                   padded(1 - probabilities[:, 1, OUTSIDE], 0.0),
                   padded(vocabulary.ids([w.text.lower() for w in words], "words"), none_word),
                   padded(vocabulary.ids([w.upos for w in words], "tags"), none_tag))


def edges(quotes: list[Quote], tagging: Tagging) -> list[Edge]:
    """The movable edges of ``quotes``: each edge of an indirect or mixed content that a word
    near it may replace."""
    words = tagging.words
    covering = quotes_covering(quotes, words)
    quoted = quoted_words(tagging)
    found = []
    for number, quote in enumerate(quotes):
        if quote.kind not in MOVABLE_KINDS:
            continue
        inside = [p for p in words.between(quote.start, quote.end) if words.words[p].upos != "PUNCT"]
        if not inside:
            continue
        own = [(s.start, s.end) for s in (quote.cue, quote.speaker.mention if quote.speaker else None) if s]
        for side, edge in zip(SIDES, (inside[0], inside[-1]), strict=True):
            positions = [p for p in window(words, edge, side, (inside[0], inside[-1]))
                         if p == edge or not blocked(words.words[p], covering.get(p, set()) - {number}, own)
                         and not drops_quoted(p, edge, side, quoted)]
            if len(positions) > 1:
                found.append(Edge(number, side, positions, positions.index(edge)))
    return found


def quoted_words(tagging: Tagging) -> set[int]:
    """The positions of the words inside quotation marks (as the tagger read them)."""
    return {p for sentence in tagging.sentences for p, flags in zip(sentence.positions, sentence.flags, strict=True)
            if flags[QUOTED]}


def quotes_covering(quotes: list[Quote], words: ArticleWords) -> dict[int, set[int]]:
    """Per word position inside a quote, the quotes whose text holds it."""
    covering: dict[int, set[int]] = {}
    for number, quote in enumerate(quotes):
        for position in words.between(quote.start, quote.end):
            covering.setdefault(position, set()).add(number)
    return covering


def blocked(word: Word, others: set[int], own: list[tuple[int, int]]) -> bool:
    """Whether an edge may not move to ``word``: it is in another quote, or in the quote's own
    cue or speaker mention."""
    return bool(others) or any(word.start < end and start < word.end for start, end in own)


def drops_quoted(position: int, edge: int, side: str, quoted: set[int]) -> bool:
    """Whether moving the ``side`` edge from ``edge`` to ``position`` would leave quoted words
    out: a speaker's own words are the surest part of a content ("cautioned against ''a
    betrayal of our values'' in the way ...")."""
    left_out = range(edge, position) if side == "start" else range(position + 1, edge + 1)
    return any(p in quoted for p in left_out)


def window(words: ArticleWords, edge: int, side: str, bounds: tuple[int, int]) -> list[int]:
    """Word positions in ``edge``'s sentence, no punctuation, that leave the content a word:
    within ``WINDOW`` of ``edge``, and further into the content, up to ``CLAUSE_WINDOW``, at a
    clause break (a content that runs on into another clause: ", crediting her with ...")."""
    sentence = words.sentence_of[edge]
    first, last = bounds
    near = range(max(0, edge - WINDOW), min(len(words.words), edge + WINDOW + 1))
    far = range(edge + WINDOW + 1, min(last, edge + CLAUSE_WINDOW) + 1) if side == "start" \
        else range(max(first, edge - CLAUSE_WINDOW), edge - WINDOW)
    return sorted(p for p in (*near, *far)
                  if words.sentence_of[p] == sentence and words.words[p].upos != "PUNCT"
                  and (p <= last if side == "start" else p >= first)
                  and (p in near or at_clause_break(words, p, side)))


def at_clause_break(words: ArticleWords, position: int, side: str) -> bool:
    """Whether a content may end at the word at ``position`` (a break follows it) or begin there
    (a break precedes it, or it opens a clause: "that", "to")."""
    if side == "start" and words.words[position].text.lower() in OPENERS:
        return True
    beside = position + 1 if side == "end" else position - 1
    if not 0 <= beside < len(words.words):
        return False
    word = words.words[beside]
    return word.text.lower() in BREAKS or word.upos in CONJUNCTIONS


def edge_values(quotes: list[Quote], found: list[Edge], columns: ArticleColumns,
                vocabulary: Vocabulary) -> np.ndarray:
    """One row per candidate of every edge in ``found``, in order: the columns ``CATEGORICAL``
    then ``NUMERIC``."""
    sizes = [len(e.positions) for e in found]
    at = np.array([p for e in found for p in e.positions]) + 1  # padded positions
    rule = np.repeat([e.positions[e.rule] + 1 for e in found], sizes)
    quote = np.repeat([e.quote for e in found], sizes)
    kinds = vocabulary.ids([q.kind for q in quotes], "kinds")[quote]
    tagged = np.array([float(q.tagged) for q in quotes])[quote]
    chars = np.array([math.log1p(q.end - q.start) for q in quotes])[quote]
    low, high = np.minimum(at, rule), np.maximum(at, rule)
    sums = np.concatenate([[0.0], np.cumsum(columns.inside)])
    mean = (sums[high + 1] - sums[low]) / (high - low + 1)
    widest = int((high - low).max(initial=0)) + 1
    span = np.minimum(low[:, None] + np.arange(widest)[None, :], high[:, None])  # repeats the last
    near = [at - 1, at, at + 1]
    return np.column_stack([
        kinds, *(columns.word[n] for n in near), *(columns.upos[n] for n in near),
        at - rule, tagged, chars, mean, columns.inside[span].min(axis=1), columns.cue[span].max(axis=1),
        *(columns.inside[n] for n in near), *(columns.begin[n] for n in near), *(columns.cue[n] for n in near),
    ]).astype(np.float64)


@dataclass
class BoundaryModel:
    """The trained ranker: its vocabulary, one set of trees per side (the mean of several
    boosters' raw scores), and the margin by which a word must outrank the rules' edge to
    become the edge."""

    vocabulary: Vocabulary
    trees: dict[str, Trees]
    margin: float

    def save(self, path: Path) -> None:
        import torch

        path.parent.mkdir(parents=True, exist_ok=True)
        v = self.vocabulary
        torch.save({"words": v.words, "tags": v.tags, "kinds": v.kinds, "margin": self.margin,
                    "trees": {side: trees.saved() for side, trees in self.trees.items()}}, path)

    @classmethod
    def load(cls, path: Path) -> BoundaryModel:
        saved = load_saved(path)
        return cls(Vocabulary(saved["words"], saved["tags"], saved["kinds"]),
                   {side: Trees.restored(trees) for side, trees in saved["trees"].items()}, saved["margin"])


@lru_cache(maxsize=1)
def shipped_boundaries() -> BoundaryModel | None:
    """The packaged ranker, loaded once per process; None when the package ships none."""
    return BoundaryModel.load(MODEL_PATH) if MODEL_PATH.exists() else None


def with_learned_edges(text: str, quotes: list[Quote], tagging: Tagging | None,
                       model: BoundaryModel | None = None) -> list[Quote]:
    """``quotes`` with the edges the ranker moves (see the module's docstring)."""
    model = model or shipped_boundaries()
    if model is None or tagging is None or not quotes:
        return quotes
    moves: dict[int, dict[str, int]] = {}
    for edge, best in chosen_edges(quotes, tagging, model):
        word = tagging.words.words[best]
        moves.setdefault(edge.quote, {})[edge.side] = word.start if edge.side == "start" else word.end
    # Both edges moved far in may cross: such a quote stays as it was.
    moves = {n: new for n, new in moves.items() if new.get("start", quotes[n].start) < new.get("end", quotes[n].end)}
    if not moves:
        return quotes
    marks = quoted_spans(text)
    result = [moved(text, quote, moves[n], marks) if n in moves else quote for n, quote in enumerate(quotes)]
    # Two contents grown into the words between them would overlap: such moves do not stand.
    return [quotes[n] if n in moves and new_overlap(n, quotes, result) else quote for n, quote in enumerate(result)]


def new_overlap(number: int, before: list[Quote], after: list[Quote]) -> bool:
    """Whether quote ``number`` as moved overlaps another quote (as it was or as moved) that it
    did not overlap before."""
    def overlap(a: Quote, b: Quote) -> bool:
        return a.start < b.end and b.start < a.end

    return any(overlap(after[number], other) and not overlap(before[number], before[n])
               for n in range(len(before)) if n != number for other in (before[n], after[n]))


def chosen_edges(quotes: list[Quote], tagging: Tagging, model: BoundaryModel) -> list[tuple[Edge, int]]:
    """The edges the ranker moves, each with the position of its new edge word."""
    every = edges(quotes, tagging)
    if not every:
        return []
    columns = ArticleColumns.of(tagging, model.vocabulary)
    chosen = []
    for side in SIDES:
        found = [e for e in every if e.side == side]
        if not found:
            continue
        scores = model.trees[side].raw_scores(edge_values(quotes, found, columns, model.vocabulary))
        at = 0
        for edge in found:
            group = scores[at:at + len(edge.positions)]
            at += len(edge.positions)
            best = int(np.argmax(group))
            if group[best] - group[edge.rule] > model.margin:
                chosen.append((edge, edge.positions[best]))
    return chosen


def moved(text: str, quote: Quote, new: dict[str, int], marks: list[QuotedSpan]) -> Quote:
    """``quote`` with its new edges, widened to the marks of a quoted stretch they would cut
    off, and its kind read again."""
    start, end = new.get("start", quote.start), new.get("end", quote.end)
    for mark in marks:
        if mark.start < start < mark.end and not any(ch.isalnum() for ch in text[mark.start:start]):
            start = mark.start
        if mark.start < end < mark.end and not any(ch.isalnum() for ch in text[end:mark.end]):
            end = mark.end
    inside = [m for m in marks if start <= m.start and m.end <= end]
    return quote.model_copy(update={"start": start, "end": end, "text": text[start:end],
                                    "kind": kind_of(text, start, end, inside)})
