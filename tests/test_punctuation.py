"""Punctuation re-attached after the parser as Universal Dependencies prescribes."""


from quotes.punctuation import attach_punctuation

ASSAD = "Assad ( the president ) said talks failed .".split()
ASSAD_UPOS = "PROPN PUNCT DET NOUN PUNCT VERB NOUN VERB PUNCT".split()


def test_brackets_hang_from_what_they_enclose_and_the_full_stop_from_the_root():
    parsed = [6, 6, 4, 1, 8, 0, 8, 6, 7]  # "(" on "said", ")" on "failed", "." on "talks"
    assert attach_punctuation(ASSAD, ASSAD_UPOS, parsed) == [6, 4, 4, 1, 4, 0, 8, 6, 6]


def test_a_mark_loses_its_dependents_to_its_head():
    parsed = [6, 4, 4, 1, 4, 0, 9, 6, 8]  # "talks" under the full stop
    assert attach_punctuation(ASSAD, ASSAD_UPOS, parsed)[6] == 8


def test_a_comma_after_a_fronted_phrase_hangs_from_that_phrase():
    words = "In Aleppo , fighting resumed .".split()
    upos = "ADP PROPN PUNCT NOUN VERB PUNCT".split()
    parsed = [2, 5, 4, 5, 0, 5]  # the comma on the subject after it
    assert attach_punctuation(words, upos, parsed) == [2, 5, 2, 5, 0, 5]


def test_commas_around_a_clause_hang_from_it_and_an_acceptable_choice_stays():
    words = "Russia , which denies it , fights .".split()
    upos = "PROPN PUNCT PRON VERB PRON PUNCT VERB PUNCT".split()
    bracketing = [7, 4, 4, 1, 4, 4, 0, 7]  # both commas on the relative clause
    assert attach_punctuation(words, upos, bracketing) == bracketing
    opening_on_the_verb = [7, 7, 4, 1, 4, 4, 0, 7]  # crosses the clause's arc from "Russia"
    assert attach_punctuation(words, upos, opening_on_the_verb) == bracketing


def test_a_tree_rooted_in_a_mark_is_left_alone():
    parsed = [2, 0, 2]
    assert attach_punctuation(["Yes", "!", "no"], ["INTJ", "PUNCT", "INTJ"], parsed) == parsed


def test_shipped_pipeline_hangs_every_mark_projectively(example_parses, punctuation_as_ud):
    """Over the example articles: no mark has a dependent or crosses an arc, and a full stop
    after the root hangs from it."""
    sentences = [sentence for parsed in example_parses for sentence in parsed.sentences]
    assert sum(w.upos == "PUNCT" for s in sentences for w in s.words) > 300
    assert [s for s in sentences if not punctuation_as_ud(s)] == []
