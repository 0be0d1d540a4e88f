"""The parser's scores decoded into the best projective tree, one subject and object a word."""

import itertools

import numpy as np
from stanza.models.common.chuliu_edmonds import chuliu_edmonds_one_root
from stanza.models.common.vocab import VOCAB_PREFIX_SIZE

from quotes.nlp import get_pipeline
from quotes.projective import (
    best_labelled_tree,
    best_projective_tree,
    best_projective_tree_by_gathers,
    greedy_tree_if_projective,
    with_one_subject_one_object,
)
from quotes.punctuation import Tree


def non_projective_words(heads: list[int]) -> list[int]:
    """Words whose arc spans a word its head does not dominate (``heads[0]`` is the root's)."""
    tree = Tree(heads[1:])
    return [word for word in range(1, len(heads)) if heads[word] and not all(
        heads[word] in tree.lineage[between]
        for between in range(min(word, heads[word]) + 1, max(word, heads[word])))]


def one_root_trees(size: int):
    """Every tree over ``size`` words with exactly one word on the root."""
    for heads in itertools.product(range(size + 1), repeat=size):
        tree = [0, *heads]
        if heads.count(0) != 1 or any(tree[w] == w for w in range(1, size + 1)):
            continue
        if all(reaches_root(tree, word) for word in range(1, size + 1)):
            yield tree


def reaches_root(heads: list[int], word: int) -> bool:
    for _ in heads:
        word = heads[word]
    return word == 0


def score(scores: np.ndarray, heads) -> float:
    return sum(scores[word, heads[word]] for word in range(1, len(heads)))


def test_it_finds_the_best_projective_tree_with_one_root_word():
    """Against every tree, for random scores over up to five words."""
    rng = np.random.default_rng(7)
    for size in (1, 2, 3, 4, 5):
        candidates = [t for t in one_root_trees(size) if not non_projective_words(t)]
        for _ in range(20):
            scores = rng.normal(size=(size + 1, size + 1))
            heads = list(best_projective_tree(scores))
            assert heads in candidates
            assert score(scores, heads) == max(score(scores, t) for t in candidates)


def test_where_the_best_tree_crosses_it_keeps_the_best_that_does_not():
    """"A hearing is scheduled today on the issue": "on the issue" belongs to "hearing", but
    the arc crosses "scheduled" -> "today"; scores making that tree the best of all."""
    scores = np.full((8, 8), -10.0)
    wanted = {1: 2, 2: 4, 3: 4, 4: 0, 5: 4, 6: 7, 7: 2}  # A hearing is scheduled today on+issue
    for word, head in wanted.items():
        scores[word, head] = -0.1
    scores[7, 4] = -0.5  # "issue" on "scheduled": worse, but without a crossing
    assert non_projective_words(list(chuliu_edmonds_one_root(scores))) == [7]
    heads = best_projective_tree(scores)
    assert non_projective_words(list(heads)) == []
    assert heads[7] == 4


def test_an_arc_the_parser_can_also_name_wins_a_close_call():
    """Word 2 hangs from word 1 a little more likely than from word 3, but no label fits the
    first arc well: the labelled tree takes the second."""
    arc_scores = np.log(np.array([[1, 1, 1, 1], [1, 0.01, 0.01, 0.98], [0.01, 0.55, 0.01, 0.43],
                                  [0.98, 0.01, 0.01, 0.01]]))
    label_scores = np.log(np.full((4, 4, 2), 0.5))
    label_scores[2, 1] = np.log([0.6, 0.4])
    label_scores[2, 3] = np.log([0.99, 0.01])
    assert best_projective_tree(arc_scores)[2] == 1
    tree, labels, score = best_labelled_tree(arc_scores, label_scores)
    assert tree[2] == 3 and labels[1] == 0
    assert np.isclose(score, np.log(0.98 * 0.5) + np.log(0.43 * 0.99) + np.log(0.98 * 0.5))


def test_a_word_keeps_one_object_and_the_rival_takes_its_next_best_label():
    """"gave the cat a fish": the parser's labels make "cat" and "fish" both objects of
    "gave"; the rival with the better second choice, "cat" as indirect object, gives way."""
    deprels = get_pipeline().processors["depparse"].vocab["deprel"]
    label = {name: deprels.unit2id(name) - VOCAB_PREFIX_SIZE for name in ("obj", "iobj", "det", "root")}
    scores = np.full((6, 6), -10.0)
    for word, head in {1: 0, 2: 3, 3: 1, 4: 5, 5: 1}.items():  # gave the cat a fish
        scores[word, head] = -0.1
    label_scores = np.full((6, 6, len(deprels) - VOCAB_PREFIX_SIZE), -10.0)
    label_scores[1, 0, label["root"]] = label_scores[2, 3, label["det"]] = label_scores[4, 5, label["det"]] = -0.1
    label_scores[3, 1, label["obj"]], label_scores[3, 1, label["iobj"]] = -0.2, -0.3
    label_scores[5, 1, label["obj"]], label_scores[5, 1, label["iobj"]] = -0.1, -3.0
    tree, labels = with_one_subject_one_object(scores, label_scores, deprels)
    assert list(tree) == [0, 0, 3, 1, 5, 1]
    assert deprels.unmap([int(x) + VOCAB_PREFIX_SIZE for x in labels]) == ["root", "det", "iobj", "det", "obj"]


def test_shipped_pipeline_gives_projective_trees_with_one_subject_and_object_a_word(example_parses):
    sentences = [sentence for parsed in example_parses for sentence in parsed.sentences]
    assert len(sentences) > 100
    assert [" ".join(w.text for w in s.words) for s in sentences
            if non_projective_words([0, *(w.head for w in s.words)])] == []
    for sentence in sentences:
        for head in {w.head for w in sentence.words}:
            relations = [w.deprel for w in sentence.words if w.head == head]
            assert sum(r in ("nsubj", "csubj", "nsubj:pass", "csubj:pass") for r in relations) <= 1
            assert relations.count("obj") <= 1


def test_each_words_best_head_is_taken_when_it_makes_a_projective_tree():
    """The shortcut gives Eisner's tree whenever it answers, and declines (None) when the
    words' best heads make two root words, a cycle or crossing arcs."""
    rng = np.random.default_rng(11)
    answered = 0
    for size in range(1, 30):
        for _ in range(30):
            scores = rng.normal(size=(size + 1, size + 1))
            scores[:, 1:] += 3 * np.eye(size + 1, size)  # most words prefer the next one: trees are common
            np.fill_diagonal(scores, -np.inf)
            greedy = greedy_tree_if_projective(scores)
            if greedy is not None:
                answered += 1
                assert list(greedy) == list(best_projective_tree(scores))
    assert answered > 50

    def best_heads(heads: list[int]) -> np.ndarray:
        scores = np.full((len(heads), len(heads)), -5.0)
        scores[np.arange(1, len(heads)), heads[1:]] = -0.1
        return scores
    assert list(greedy_tree_if_projective(best_heads([0, 2, 0, 2, 3]))) == [0, 2, 0, 2, 3]
    assert greedy_tree_if_projective(best_heads([0, 0, 0, 2])) is None  # two words on the root
    assert greedy_tree_if_projective(best_heads([0, 2, 1, 0])) is None  # 1 and 2 hang from each other
    assert greedy_tree_if_projective(best_heads([0, 3, 0, 2, 2])) is None  # 3 -> 1 crosses the root -> 2


def test_the_sliced_search_finds_the_tree_the_first_one_found():
    """``best_projective_tree`` (tables read by slices) against the first implementation
    (``QUOTES_SPEEDUPS=0``), on random parser-like scores up to the longest sentence parsed."""
    rng = np.random.default_rng(5)
    for size in [*range(1, 30), 60, 150]:
        for _ in range(5):
            scores = rng.normal(size=(size + 1, size + 1)).astype(np.float32)
            np.fill_diagonal(scores, -np.inf)
            assert list(best_projective_tree(scores)) == list(best_projective_tree_by_gathers(scores))
