"""Parts of a gold file: the validation part that no model is fitted or tuned on, and the rest.

PolNeAR's dev file may be trained on if a fixed part of it is kept that no model is fitted or
tuned on (its README). The shipped models train on its other two thirds ("fitted") beside the
train file, half as many articles again (382 -> 572), and the dev figures are the validation
part's. Kept apart from ``evaluate`` so that the command line can offer ``--part`` without
importing the evaluation code (the lexicon, the data model) at every start.
"""

from __future__ import annotations

import hashlib
from typing import Literal

Part = Literal["all", "validation", "fitted"]
PARTS: tuple[Part, ...] = ("all", "validation", "fitted")
VALIDATION_EVERY = 3  # one article in three is in the validation part
PART_HELP = ("score only this part of the file: 'validation' is one article in three (by a hash of its id), "
             "'fitted' the rest; the shipped models were also trained on the fitted part of PolNeAR dev, "
             "so dev figures are the validation part's")


def id_digest(article_id: str) -> str:
    """The sha256 hex digest of an article's id. Every split of the articles (this validation
    part, the training scripts' held-out tenth and folds) reads its own digits of it, so every
    script, run and machine draws the same articles and the splits do not follow each other."""
    return hashlib.sha256(article_id.encode("utf-8")).hexdigest()


def in_validation_part(article_id: str) -> bool:
    """Whether an article belongs to the validation part of its file (one in three)."""
    return int(id_digest(article_id), 16) % VALIDATION_EVERY == 0


def in_part(article_id: str, part: Part) -> bool:
    """Whether an article belongs to ``part`` of its file ("all" holds every article)."""
    return part == "all" or in_validation_part(article_id) == (part == "validation")
