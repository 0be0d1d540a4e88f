"""The NER training-data conventions of training/prepare_data.py (no shared data needed)."""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training"))

from prepare_data import TITLES, with_titles_added, without_titles  # noqa: E402


def tagged(pairs: str) -> list[dict]:
    return [{"text": t, "ner": tag} for t, tag in (pair.rsplit("/", 1) for pair in pairs.split())]


def test_titles_are_taken_out_of_person_names():
    sentence = tagged("Sir/B-PER Alex/I-PER Ferguson/I-PER met/O the/O President/B-PER ./O")
    assert [t["ner"] for t in without_titles(sentence)] == ["O", "B-PER", "I-PER", "O", "O", "O", "O"]


def test_titles_put_before_names_are_untagged_and_change_nothing_else():
    sentences = [tagged("Lavrov/B-PER met/O Sergei/B-PER Shoigu/I-PER in/O Moscow/B-LOC ./O")] * 200
    augmented = with_titles_added(sentences, random.Random(0))
    inserted = 0
    for before, after in zip(sentences, augmented, strict=True):
        kept = [t for t in after if t in before]
        assert kept == before  # every original token, in order, with its tag
        added = [(i, t) for i, t in enumerate(after) if t not in before]
        for i, token in added:
            assert token["ner"] == "O" and after[i + 1]["ner"] == "B-PER"
            assert token["text"].lower().rstrip(".") in TITLES
        inserted += len(added)
    assert 0.05 < inserted / 400 < 0.15  # about one name in ten
    assert with_titles_added(sentences, random.Random(0)) == augmented  # reproducible
