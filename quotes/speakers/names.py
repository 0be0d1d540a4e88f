"""Speakers as found and names as compared: the records resolution passes around and the small
helpers that normalise names and words."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ..models import Quote, Span, SpeakerRef, SpeakerType, Word
from .vocabulary import COUNTING_WORDS, FEMALE_WORDS, MALE_WORDS, MAX_LOOKBACK

Value = TypeVar("Value")  # what an index entry points to: a name, or a Found


@dataclass
class Found:
    """A resolved speaker before it is attached to a mention, with its grammatical number."""

    name: str
    type: SpeakerType
    role: str | None = None
    plural: bool = False

    def ref(self, mention: Span | None) -> SpeakerRef:
        return SpeakerRef(mention=mention, name=self.name, type=self.type, role=self.role)


@dataclass
class Occurrence:
    """One place the article body names a person."""

    start: int
    first: int  # flat word index where the name (titles and honorifics excluded) begins
    name: str
    keys: tuple[str, ...]
    role: str | None
    role_lemmas: list[str] = field(default_factory=list)
    full: str = ""
    relation: str | None = None  # "brother" in "his brother Alastair Osman"


@dataclass
class Said:
    """A quote already resolved, as pronouns and continuations look back at it."""

    quote: Quote
    found: Found
    speaker: SpeakerRef  # as the finder gave it, before resolution: its mention and raw name


def name_keys(name: str) -> tuple[str, ...]:
    """Comparable tokens of a name: "Bashar al-Assad" and "Assad" share the key "assad"."""
    keys = []
    for token in name.replace("’", "'").split():
        token = token.lower().removesuffix("'s").strip(".,'")
        for prefix in ("al-", "el-"):
            token = token.removeprefix(prefix)
        if token:
            keys.append(token)
    return tuple(keys)


def contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether ``shorter`` occurs as a contiguous run inside ``longer``."""
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def bare(word: Word) -> str:
    """A word lowercased without dots: "Mr." -> "mr", "U.S." -> "us"."""
    return word.text.lower().replace(".", "")


def capitalized_modifier(word: Word) -> bool:
    """A capitalized participle modifying a name: "[United] Nations", which a small tagger
    calls a verb."""
    return word.upos == "VERB" and word.deprel in ("amod", "compound") and word.text[:1].isupper()


def clean_name(text: str) -> str:
    """An entity as a name: "the Kremlin's" -> "Kremlin"."""
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    return re.sub(r"['’]s?$", "", text).strip()


def word_set(text: str | None) -> set[str]:
    """Lowercased words without dots or possessives: "the U.N.'s envoy" -> {"the", "un", "envoy"}."""
    words = (text or "").lower().replace(".", "").split()
    return {re.sub(r"['’]s$", "", w).strip(",;:'’\"") for w in words}


def described_role(description: str) -> str:
    """An unnamed source's description as its role: "one West Virginia official" -> "West
    Virginia official" (counting words are not part of a capacity)."""
    return COUNTING_WORDS.sub("", description)


def described_gender(found: Found) -> str | None:
    """The gender an unnamed source's description gives ("a spokeswoman for the museum")."""
    genders = {gender_of(w) for w in word_set(f"{found.name} {found.role or ''}")} - {None}
    return genders.pop() if len(genders) == 1 else None


def gender_of(word: str) -> str | None:
    word = word.lower().rstrip(".")
    return "m" if word in MALE_WORDS else "f" if word in FEMALE_WORDS else None


def singular(word: str) -> str:
    """A rough singular for matching group nouns the tagger did not lemmatize ("Protesters")."""
    word = word.lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def is_plural(word: Word) -> bool:
    if word.feats and "Number=" in word.feats:
        return "Number=Plur" in word.feats
    return word.xpos in ("NNS", "NNPS")


def merge_spans(spans) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans covering the given ones."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def last_matching(entries: Sequence[tuple[int, Value, set[str]]], position: int,
                  modifiers: set[str]) -> tuple[int, Value] | None:
    """(start, value) of the latest entry before ``position`` whose words include all
    ``modifiers``, or None."""
    i = bisect_left(entries, position, key=lambda e: e[0])
    for start, value, words in reversed(entries[max(i - MAX_LOOKBACK, 0):i]):
        if modifiers <= words:
            return start, value
    return None
