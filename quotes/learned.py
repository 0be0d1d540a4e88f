"""What learned stages share: the article's words in text order, and a small network over
feature dicts (one embedding per categorical feature, numbers as they are, one hidden layer).

The attribution scorer (``attribution.py``: keep or drop a quote) is such a network over
features of the rules' output and the stanza analysis, and so were the experiments tried beside
it (a speaker-mention ranker, a boundary chooser; see the model card). A network ships as one
``torch.save`` file of plain tensors, lists and numbers, loaded with ``weights_only=True``;
torch is imported only when a network is built or used.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .models import ParsedArticle, Word

if TYPE_CHECKING:
    import torch

UNKNOWN = "<unk>"
NONE = "<none>"


@dataclass
class ArticleWords:
    """The words of an article in text order, looked up by offset."""

    words: list[Word]
    sentence_of: list[int]
    starts: list[int]
    sentences: int

    @classmethod
    def of(cls, parsed: ParsedArticle) -> ArticleWords:
        words, sentence_of = [], []
        for number, sentence in enumerate(parsed.sentences):
            words.extend(sentence.words)
            sentence_of.extend([number] * len(sentence.words))
        return cls(words, sentence_of, [w.start for w in words], max(1, len(parsed.sentences)))

    def between(self, start: int, end: int) -> list[int]:
        """Positions of the words starting inside ``[start, end)``."""
        first = bisect_right(self.starts, start - 1)
        last = bisect_right(self.starts, end - 1)
        return list(range(first, last))

    def at(self, offset: int) -> int | None:
        """Position of the word covering (or starting nearest after) ``offset``."""
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and self.words[i].end > offset:
            return i
        return i + 1 if i + 1 < len(self.words) else None

    def head_of(self, positions: list[int]) -> int | None:
        """The word of ``positions`` whose head lies outside them (the phrase's head)."""
        if not positions:
            return None
        chosen = set(positions)
        for i in positions:
            if self.head_position(i) not in chosen:
                return i
        return positions[0]

    def head_position(self, i: int) -> int | None:
        """Position of the head of word ``i`` (None for a sentence's root)."""
        word = self.words[i]
        return i - word.index + word.head if word.head else None

    def head_word(self, i: int) -> Word | None:
        head = self.head_position(i)
        return self.words[head] if head is not None else None

    def children(self, i: int) -> list[Word]:
        """Direct dependents of word ``i`` (same sentence)."""
        word = self.words[i]
        first = i - word.index + 1
        sentence = self.sentence_of[i]
        found = []
        j = first
        while j < len(self.words) and self.sentence_of[j] == sentence:
            if self.words[j].head == word.index:
                found.append(self.words[j])
            j += 1
        return found


def log1(value: float) -> float:
    return math.log1p(max(0.0, value))


def log_odds(probability: float) -> float:
    """The log-odds of a probability, kept finite at 0 and 1 (for Platt scaling)."""
    probability = min(max(probability, 1e-6), 1 - 1e-6)
    return math.log(probability / (1 - probability))


@dataclass
class Encoder:
    """Turns feature dicts into index and number tensors with a fixed vocabulary per
    categorical feature (in the order of ``vocab``) and the ``numeric`` features in order."""

    vocab: dict[str, list[str]]
    numeric: tuple[str, ...]

    @classmethod
    def fit(cls, rows: list[dict], categorical: tuple[str, ...], numeric: tuple[str, ...],
            min_count: int = 3) -> Encoder:
        vocab = {}
        for name in categorical:
            counts: dict[str, int] = {}
            for row in rows:
                counts[row[name]] = counts.get(row[name], 0) + 1
            vocab[name] = [UNKNOWN] + sorted(v for v, c in counts.items() if c >= min_count)
        return cls(vocab, numeric)

    def encode(self, rows: list[dict]) -> tuple[torch.Tensor, torch.Tensor]:
        import torch

        lookup = {name: {v: i for i, v in enumerate(values)} for name, values in self.vocab.items()}
        ids = torch.tensor([[table.get(row[name], 0) for name, table in lookup.items()] for row in rows],
                           dtype=torch.long).reshape(len(rows), len(lookup))
        numbers = torch.tensor([[float(row[name]) for name in self.numeric] for row in rows],
                               dtype=torch.float32).reshape(len(rows), len(self.numeric))
        return ids, numbers


def build_network(encoder: Encoder, embedding: int = 8, hidden: int = 32) -> torch.nn.Module:
    """One embedding per categorical feature, numbers as they are, one hidden layer, one logit."""
    import torch
    from torch import nn

    class Scorer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embeddings = nn.ModuleList(nn.Embedding(len(values), embedding) for values in encoder.vocab.values())
            width = embedding * len(encoder.vocab) + len(encoder.numeric)
            self.layers = nn.Sequential(nn.Linear(width, hidden), nn.ReLU(), nn.Dropout(0.1), nn.Linear(hidden, 1))

        def forward(self, ids: torch.Tensor, numbers: torch.Tensor) -> torch.Tensor:
            parts = [table(ids[:, i]) for i, table in enumerate(self.embeddings)]
            return self.layers(torch.cat(parts + [numbers], dim=1)).squeeze(1)

    return Scorer()


def load_saved(path) -> dict[str, Any]:
    """A file written by ``torch.save`` of plain data, read offline and without pickled code."""
    import torch

    return torch.load(path, map_location="cpu", weights_only=True)
