"""The pretrained encoder the tagger reads: loaded offline from its installed package, once per
process; a word's vector depends on its sentence, and the same sentences read the same."""

import numpy as np

from quotes.encoder import WIDTH, WORDS_PER_PART, pretrained_encoder, word_vectors


def test_each_word_gets_a_vector_of_its_sentence_offline(no_network):
    pretrained_encoder.cache_clear()  # loaded here, with no network, whatever ran before
    said_to_us = "the minister said the talks had failed".split()
    said_alone = "said".split()
    first, second = word_vectors([said_to_us, said_alone])
    assert first.shape == (len(said_to_us), WIDTH) and second.shape == (1, WIDTH)
    assert np.abs(first).sum(axis=1).min() > 0  # no word left without a vector
    said = first[said_to_us.index("said")]
    assert not np.allclose(said, second[0], atol=1e-3)  # the same word, read in another sentence
    assert pretrained_encoder() is pretrained_encoder()  # loaded once per process


def test_the_same_sentences_read_the_same_and_pads_change_little():
    sentences = ["Lavrov told reporters that Washington had broken the deal .".split(), ["word"] * 60]
    first, second = word_vectors(sentences), word_vectors(sentences)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))  # an article's quotes repeat
    alone, = word_vectors(sentences[:1])  # no pads beside the short sentence now
    assert np.abs(alone - first[0]).max() < 0.1 * np.abs(alone).mean()


def test_a_very_long_sentence_is_read_in_parts_and_a_pieceless_word_gets_zeros():
    words = ["Officials", "said", "\u200b"] + ["again"] * (WORDS_PER_PART + 50)
    vectors, = word_vectors([words])
    assert vectors.shape == (len(words), WIDTH)
    assert np.abs(vectors[2]).sum() == 0  # the zero-width space: no word piece, no vector
    assert np.abs(np.delete(vectors, 2, axis=0)).sum(axis=1).min() > 0
