"""What learned stages share: the article's words in text order, and two kinds of model over
feature dicts: a small network (one embedding per categorical feature, numbers as they are,
one hidden layer) and gradient-boosted trees.

The attribution scorer (``attribution.py``: keep or drop a quote) averages both over features
of the rules' output and the stanza analysis, and the boundary ranker (``boundaries.py``) ranks
content edges with the trees; networks of this kind were also the experiments tried beside them
(a speaker-mention ranker, session 13's boundary chooser; see the model card). A model
ships as one ``torch.save`` file of plain tensors, lists and numbers, loaded with
``weights_only=True``; torch is imported only when a network is built or used.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

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


def tree_values(ids: torch.Tensor, numbers: torch.Tensor) -> np.ndarray:
    """Encoded rows as the trees read them: category ids, then numbers, one row an example."""
    return np.concatenate([ids.numpy().astype(np.float64), numbers.numpy().astype(np.float64)], axis=1)


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


@dataclass
class Trees:
    """Gradient-boosted decision trees, trained by LightGBM (``training/train_attribution.py``)
    and evaluated here with numpy: every row through every tree at once, one level a step.

    Why not LightGBM at run time: its wheel needs the system's OpenMP library, which a machine
    with only Python may lack, and its model files are its own; the trees are plain arrays,
    read from LightGBM's JSON dump (``from_lightgbm``), and ``tests/test_attribution.py`` checks
    that they give LightGBM's own scores. Nodes are numbered across all trees, and a leaf is a
    node whose children are itself: a step leaves it where it is. A
    numeric node sends a value to its left child when it is at most the threshold, a
    categorical one when it is among the node's categories (its row of ``categories``, padded
    with -1). Features are never missing (the encoder gives every row every feature), so
    LightGBM's directions for missing values never apply."""

    feature: np.ndarray       # per node: the column it reads
    threshold: np.ndarray     # per node: where a numeric node splits (inf for a leaf)
    category_row: np.ndarray  # per node: its row of ``categories``, -1 unless categorical
    categories: np.ndarray    # per categorical node: the category ids that go left
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray         # per node: a leaf's value, 0 for the others
    roots: np.ndarray         # per tree: its root node

    def __post_init__(self) -> None:
        # Category membership as a table, so that a step costs one lookup per row and tree.
        self.goes_left = np.zeros((len(self.categories), int(self.categories.max(initial=0)) + 2), dtype=bool)
        for row, chosen in enumerate(self.categories):
            self.goes_left[row, chosen[chosen >= 0]] = True

    def raw_scores(self, values: np.ndarray) -> np.ndarray:
        """The sum of the trees' leaf values for each row of ``values`` (rows x features).

        Each step moves the (row, tree) pairs not yet at a leaf one level down; most paths are
        far shorter than the deepest, and stepping only those still moving took a third less
        time than stepping every pair as deep as the deepest tree."""
        rows = np.repeat(np.arange(len(values)), len(self.roots))
        node = np.tile(self.roots, len(values))
        moving = np.arange(len(node))
        last_category = self.goes_left.shape[1] - 1  # always right: no node has it among its own
        while moving.size:
            at = node[moving]
            value = values[rows[moving], self.feature[at]]
            left = value <= self.threshold[at]
            category_row = self.category_row[at]
            categorical = np.flatnonzero(category_row >= 0)
            ids = np.clip(value[categorical], 0, last_category).astype(np.int32)
            left[categorical] = self.goes_left[category_row[categorical], ids]
            below = np.where(left, self.left[at], self.right[at])
            node[moving] = below
            moving = moving[below != at]
        return self.value[node].reshape(len(values), len(self.roots)).sum(axis=1)

    @classmethod
    def from_lightgbm(cls, dumps: list[dict[str, Any]]) -> Trees:
        """The trees of LightGBM boosters' ``dump_model()`` (binary models), as one model whose
        raw score is the mean of theirs (each leaf divided by the number of boosters)."""
        nodes: list[list[float]] = []  # feature, threshold, category row, left, right, value
        category_sets: list[list[int]] = []

        def add(tree: dict[str, Any], share: float) -> int:
            """The node of ``tree``."""
            index = len(nodes)
            if "leaf_value" in tree:
                nodes.append([0, math.inf, -1, index, index, tree["leaf_value"] * share])
                return index
            nodes.append([])
            if tree["decision_type"] == "==":
                category_sets.append([int(c) for c in str(tree["threshold"]).split("||")])
                split = [tree["split_feature"], math.inf, len(category_sets) - 1]
            else:
                split = [tree["split_feature"], float(tree["threshold"]), -1]
            left = add(tree["left_child"], share)
            right = add(tree["right_child"], share)
            nodes[index] = [*split, left, right, 0.0]
            return index

        roots = [add(tree["tree_structure"], 1 / len(dumps)) for dump in dumps for tree in dump["tree_info"]]
        categories = np.full((max(1, len(category_sets)), max(map(len, category_sets), default=1)), -1)
        for row, chosen in enumerate(category_sets):
            categories[row, :len(chosen)] = chosen
        feature, threshold, category_row, left, right, value = (np.array(column) for column in zip(*nodes, strict=True))
        return cls(feature.astype(np.int32), threshold, category_row.astype(np.int32), categories.astype(np.int32),
                   left.astype(np.int32), right.astype(np.int32), value, np.array(roots, dtype=np.int32))

    def saved(self) -> dict[str, Any]:
        import torch

        return {name: torch.from_numpy(getattr(self, name)) for name in self.__dataclass_fields__}

    @classmethod
    def restored(cls, saved: dict[str, Any]) -> Trees:
        return cls(**{name: saved[name].numpy() for name in cls.__dataclass_fields__})


def load_saved(path) -> dict[str, Any]:
    """A file written by ``torch.save`` of plain data, read offline and without pickled code."""
    import torch

    return torch.load(path, map_location="cpu", weights_only=True)
