"""Decode the parser's scores into the best labelled *projective* tree (Eisner's algorithm).

stanza's graph parser scores every (dependent, head) pair and every label of each arc, decodes
the arc scores alone with Chu-Liu-Edmonds, which finds the best tree of any shape, crossing
arcs included, and labels the tree afterwards. English trees almost never cross: GUM's dev
trees have 42 crossing arcs in 16,241 words, where the parser's had 95, most of them wrong.
The best tree without crossing arcs, scored with its labels and with no word given two subjects
or two objects, is right more often: GUM dev UAS / LAS 84.91 / 81.26 -> 85.29 / 81.64, GUM
test 84.96 / 80.92 -> 85.09 / 81.11 (full pipeline from raw text; the model card has each
step, and ``bench/parser_decoding.py`` compares the decoders). Eisner's algorithm (1996) finds
that tree by dynamic programming over spans; stanza does not implement it, so it is written
here, vectorised over each span length so that it is no slower than Chu-Liu-Edmonds.

Scores are a square array ``scores[dependent, head]`` with index 0 for the root, as stanza's
parser gives them; trees are arrays of heads with ``heads[0] = 0``, as stanza's decoder returns
them.
"""

from __future__ import annotations

import numpy as np
import torch
from stanza.models.common.biaffine import PairwiseBilinear
from stanza.models.common.vocab import VOCAB_PREFIX_SIZE
from stanza.models.depparse.head_constraints import DEPREL_TO_GROUP, find_head_constraint_violations

from .speedups import speedups_enabled


def best_projective_tree(scores: np.ndarray) -> np.ndarray:
    """The highest-scoring projective tree in which exactly one word hangs from the root.

    Spans are built over the words alone; the root's one dependent is chosen last, as the word
    whose left and right halves plus its root arc score best.

    Each table of best span scores is kept twice, by (first word, length) and by (last word,
    length), so that all the ways to split the spans of one length are two slices added
    together, with no gathering by index: the same sums in the same order as
    ``best_projective_tree_by_gathers`` (hence the same tree), 2-3 times as fast."""
    size = scores.shape[0] - 1
    heads = np.zeros(size + 1, dtype=int)
    if size == 1:
        return heads
    arc = scores[1:, 1:].T  # arc[h, d]: the score of word d hanging from word h (0-based)
    # complete spans headed at their first word (right) or last word (left), incomplete ones
    # (an arc between the ends plus what lies inside); by first word, then by last word
    by_first, by_last = np.full((2, 4, size, size), -np.inf)
    by_first[:2, :, 0] = by_last[:2, :, 0] = 0.0
    complete_right, complete_left, incomplete_right, incomplete_left = by_first
    complete_right_to, complete_left_to, incomplete_right_to, incomplete_left_to = by_last
    split_right, split_left, split_inner = np.zeros((3, size, size), dtype=int)
    for length in range(1, size):
        count = size - length
        start = np.arange(count)
        end = start + length
        inner = complete_right[:count, :length] + complete_left_to[length:, :length][:, ::-1]
        best = inner.argmax(1)
        split_inner[start, end] = start + best
        incomplete_right[:count, length] = incomplete_right_to[length:, length] = \
            inner[start, best] + np.diagonal(arc, length)
        incomplete_left[:count, length] = incomplete_left_to[length:, length] = \
            inner[start, best] + np.diagonal(arc, -length)
        right = incomplete_right[:count, 1:length + 1] + complete_right_to[length:, :length][:, ::-1]
        best = right.argmax(1)
        complete_right[:count, length] = complete_right_to[length:, length] = right[start, best]
        split_right[start, end] = start + 1 + best
        left = complete_left[:count, :length] + incomplete_left_to[length:, 1:length + 1][:, ::-1]
        best = left.argmax(1)
        complete_left[:count, length] = complete_left_to[length:, length] = left[start, best]
        split_left[start, end] = start + best
    root = int(np.argmax(scores[1:, 0] + complete_left[0, :] + complete_right_to[size - 1, ::-1]))
    return heads_from_splits(heads, root, split_right, split_left, split_inner)


def best_projective_tree_by_gathers(scores: np.ndarray) -> np.ndarray:
    """``best_projective_tree`` as first written, with tables by (first word, last word) read
    by gathering: stanza's path (``QUOTES_SPEEDUPS=0``) runs it, and the tests check the faster
    one against it."""
    size = scores.shape[0] - 1
    heads = np.zeros(size + 1, dtype=int)
    if size == 1:
        return heads
    arc = scores[1:, 1:].T  # arc[h, d]: the score of word d hanging from word h (0-based)
    # complete spans headed at their left end (right) or right end (left), incomplete ones
    # (an arc between the ends plus what lies inside), and the split point that made each best
    complete_right, complete_left = np.full((2, size, size), -np.inf)
    incomplete_right, incomplete_left = np.full((2, size, size), -np.inf)
    split_right, split_left, split_inner = np.zeros((3, size, size), dtype=int)
    np.fill_diagonal(complete_right, 0.0)
    np.fill_diagonal(complete_left, 0.0)
    for length in range(1, size):
        start = np.arange(size - length)
        i = start[:, None]
        j, r = i + length, np.arange(length)[None, :]
        inner = complete_right[i, i + r] + complete_left[i + r + 1, j]
        best = inner.argmax(1)
        split_inner[start, start + length] = start + best
        incomplete_right[start, start + length] = inner[start, best] + arc[start, start + length]
        incomplete_left[start, start + length] = inner[start, best] + arc[start + length, start]
        right = incomplete_right[i, i + r + 1] + complete_right[i + r + 1, j]
        best = right.argmax(1)
        complete_right[start, start + length] = right[start, best]
        split_right[start, start + length] = start + 1 + best
        left = complete_left[i, i + r] + incomplete_left[i + r, j]
        best = left.argmax(1)
        complete_left[start, start + length] = left[start, best]
        split_left[start, start + length] = start + best
    root = int(np.argmax(scores[1:, 0] + complete_left[0, :] + complete_right[:, size - 1]))
    return heads_from_splits(heads, root, split_right, split_left, split_inner)


def heads_from_splits(heads: np.ndarray, root: int, split_right: np.ndarray, split_left: np.ndarray,
                      split_inner: np.ndarray) -> np.ndarray:
    """The tree the best split points make, the word ``root`` (0-based) on the root: ``heads``
    filled in (1-based words, ``heads[0]`` the root's)."""
    size = len(heads) - 1
    spans = [("complete", 0, root, "left"), ("complete", root, size - 1, "right")]
    while spans:
        kind, first, last, side = spans.pop()
        if first == last:
            continue
        if kind == "complete" and side == "right":
            k = split_right[first, last]
            spans += [("incomplete", first, k, "right"), ("complete", k, last, "right")]
        elif kind == "complete":
            k = split_left[first, last]
            spans += [("complete", first, k, "left"), ("incomplete", k, last, "left")]
        else:
            heads[last + 1 if side == "right" else first + 1] = (first if side == "right" else last) + 1
            k = split_inner[first, last]
            spans += [("complete", first, k, "right"), ("complete", k + 1, last, "left")]
    return heads


def greedy_tree_if_projective(scores: np.ndarray) -> np.ndarray | None:
    """Each word's best head on its own, when together they make a projective tree with one
    word on the root; else None (then ``best_projective_tree`` must search).

    Such a choice scores at least as well as any tree, so it is the tree Eisner's search would
    find (barring two trees of exactly equal score), found in a few array operations instead of
    the search's cubic time: the parser's own choices form such a tree for most sentences of
    news (``docs/BENCHMARKS.md``, issue 26, has how many and the time saved)."""
    size = scores.shape[0] - 1
    heads = np.zeros(size + 1, dtype=int)
    heads[1:] = scores[1:].argmax(1)
    if np.count_nonzero(heads[1:] == 0) != 1:
        return None
    reached = heads.copy()  # each word's ancestor 2^k steps up: all the root after log2(n) steps
    for _ in range(max(1, int(size).bit_length())):
        reached = reached[reached]
    if reached.any():
        return None  # a cycle
    low, high = np.minimum(heads[1:], np.arange(1, size + 1)), np.maximum(heads[1:], np.arange(1, size + 1))
    crossing = (low[:, None] < low[None, :]) & (low[None, :] < high[:, None]) & (high[:, None] < high[None, :])
    return None if crossing.any() else heads


def decode_projective(vocab, batch_size: int, preds: list, sentlens: list[int],
                      resolve_head_constraints: bool = False) -> list[list[list]]:
    """stanza's ``GraphParser.decode_graph_predictions``, decoding the best labelled projective
    tree (``best_labelled_tree``); with ``resolve_head_constraints``, the best in which no word
    has two subjects or two objects (``with_one_subject_one_object``)."""
    sentences = []
    for i in range(batch_size):
        length = sentlens[i]
        arc_scores, label_scores = preds[0][i][:length, :length], preds[2][i][:length, :length, :]
        if resolve_head_constraints:
            tree, labels = with_one_subject_one_object(arc_scores, label_scores, vocab)
        else:
            tree, labels, _ = best_labelled_tree(arc_scores, label_scores)
        deprels = vocab.unmap([label + VOCAB_PREFIX_SIZE for label in labels])
        sentences.append([[head, deprel] for head, deprel in zip(tree[1:], deprels, strict=True)])
    return sentences


def best_labelled_tree(arc_scores: np.ndarray, label_scores: np.ndarray,
                       barred: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, float]:
    """The projective tree, labels and score that maximise the log-probability of the labelled
    arcs, log P(head) + log P(label | head), skipping (word, head, label) choices ``barred``.

    stanza picks the tree on the arc scores alone and labels it afterwards; counting each arc's
    best label too prefers arcs the parser can also name: with the repair below, GUM dev UAS /
    LAS with gold segmentation 85.61 / 81.92 -> 85.78 / 82.14, EWT dev 85.85 / 82.09 -> 85.93 /
    82.27."""
    allowed = label_scores if barred is None else np.where(barred, -np.inf, label_scores)
    scores = arc_scores + allowed.max(-1)
    greedy = greedy_tree_if_projective(scores) if speedups_enabled() else None
    if greedy is not None:
        tree = greedy
    else:
        tree = best_projective_tree(scores) if speedups_enabled() else best_projective_tree_by_gathers(scores)
    words = np.arange(1, len(tree))
    labels = allowed[words, tree[1:]].argmax(-1)
    return tree, labels, scores[words, tree[1:]].sum()


def with_one_subject_one_object(arc_scores: np.ndarray, label_scores: np.ndarray, vocab,
                                rounds: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """The best labelled tree in which no word has two subjects or two objects, searched as
    stanza's ``resolve_head_constraint_violations`` does: for a word with rival subjects (or
    objects), each rival in turn keeps the function, the others may not take it there, and the
    best of those trees wins; a few rounds for several such words. stanza's repair re-decodes
    with Chu-Liu-Edmonds; over projective trees (and with unlabelled decoding) it moved GUM dev
    UAS / LAS from raw text 85.03 / 81.31 to 85.18 / 81.47."""
    names = vocab.unmap(list(range(VOCAB_PREFIX_SIZE, VOCAB_PREFIX_SIZE + label_scores.shape[-1])))
    group_of = np.array([DEPREL_TO_GROUP.get(name, "") for name in names])
    barred = np.zeros(label_scores.shape, dtype=bool)  # grows with each round's verdict
    tree, labels, _ = best_labelled_tree(arc_scores, label_scores)
    for _ in range(rounds):
        violations = find_head_constraint_violations(tree, [names[label] for label in labels])
        if not violations:
            break
        head, group, rivals = violations[0]
        trials = []
        for keeper in rivals:
            trial_barred = barred.copy()
            for word in rivals:
                if word != keeper:
                    trial_barred[word, head, group_of == group] = True
            trials.append((*best_labelled_tree(arc_scores, label_scores, trial_barred), trial_barred))
        tree, labels, _, barred = max(trials, key=lambda trial: trial[2])
    return tree, labels


class ChunkedPairwiseBilinear(torch.nn.Module):
    """stanza's ``PairwiseBilinear`` (the parser's label scorer: a score for every label of
    every (dependent, head) pair), computed a few sentences at a time, with the same results.

    stanza multiplies the whole batch by the weights at once: for the label scorer that is a
    (words x 201 x 51) intermediate, some 120 MB for a batch of 3,000 words, which is then
    copied once more to reorder it. Sentences in groups of ``chunk_words`` words keep it in the
    cache, and weights stored as (in1, label, in2) need no reordering copy. The arithmetic is
    the same matrix products in the same order: on 9,676 words of news the parses were
    identical, and the parser ran 1.3 times as fast (``docs/BENCHMARKS.md``)."""

    # Buffers (registered below): declared so they read as tensors, not as Module attributes.
    weight: torch.Tensor
    bias: torch.Tensor

    def __init__(self, scorer: PairwiseBilinear, chunk_words: int = 256) -> None:
        super().__init__()
        size1, size2, labels = scorer.weight.shape
        self.size1, self.size2, self.labels, self.chunk_words = size1, size2, labels, chunk_words
        weight = scorer.weight.detach().permute(0, 2, 1).reshape(size1, labels * size2)
        self.register_buffer("weight", weight.contiguous())
        bias = scorer.bias if isinstance(scorer.bias, torch.Tensor) else torch.zeros(labels)
        self.register_buffer("bias", bias.detach().to(scorer.weight.device))

    def forward(self, input1: torch.Tensor, input2: torch.Tensor) -> torch.Tensor:
        sentences, length1, _ = input1.shape
        length2 = input2.shape[1]
        output = input1.new_empty(sentences, length1, length2, self.labels)
        heads = input2.transpose(1, 2)
        step = max(1, self.chunk_words // length1)
        for start in range(0, sentences, step):
            end = min(sentences, start + step)
            count = end - start
            partial = (input1[start:end].reshape(count * length1, self.size1) @ self.weight)
            scores = torch.bmm(partial.view(count, length1 * self.labels, self.size2), heads[start:end])
            output[start:end] = scores.view(count, length1, self.labels, length2).transpose(2, 3)
        return output.add_(self.bias)  # in place: the (batch x words x words x labels) scores are not copied again


def with_chunked_scorers(model: torch.nn.Module) -> torch.nn.Module:
    """The parser ``model`` with each multi-label ``PairwiseBilinear`` replaced in place by a
    ``ChunkedPairwiseBilinear`` (single-score ones are small: they stay)."""
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, PairwiseBilinear) and child.weight.shape[2] > 1:
                setattr(module, name, ChunkedPairwiseBilinear(child))
    return model
