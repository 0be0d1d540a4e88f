"""The words the rules read, as data: one place for every word list in ``quotes``.

``cues.toml`` holds the cue verbs (one entry each, with their properties) and the other words
that signal an attribution; ``names.toml`` titles, honorifics, organisation heads, name
particles and spellings; ``roles.toml`` the capacities people speak in and the mentions around
them (role nouns, peerages, heads that are no source) and how the role gold set is compared;
``language.toml`` function words, days and months, quotation marks and datelines. The files
are validated by the pydantic models below when first loaded, and loaded once per process
(``lexicon()``). Modules derive the sets they need from here and define none of their own
(``tests/test_lexicon.py`` checks it).

Where two modules used different lists for one idea (the organisation heads of speakers.py
and of the registry, the name particles), each entry says which reader takes it, so each
keeps its behaviour and the difference is visible in one place.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

LEXICON_DIR = Path(__file__).parent
WORD = re.compile(r"[a-z]+")
# Suffixes taken off a verb form to find its lemma, tried in order ("criticizes", "urged").
SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
            ("es", ""), ("s", ""), ("d", ""))
# A cue phrase that reports speech without a cue word.
SPEECH_MARKS = (":", "-", "—", "–")


class Strict(BaseModel):
    """Unknown keys are typos: refuse them rather than silently ignore a new property."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def lowercase(words: list[str]) -> list[str]:
    """Entries that are compared with lowercased text must be lowercase themselves."""
    wrong = [w for w in words if w != w.lower()]
    if wrong:
        raise ValueError(f"not lowercase: {wrong}")
    return words


class CueVerb(Strict):
    """One cue verb; the properties are explained at the top of cues.toml."""

    kind: Literal["speech", "stance", "action"]
    irregular: list[str] = []
    always_verb: list[str] = []
    not_in_names: list[str] = []
    object_is_content: bool = False
    addressee: Literal["always", "first"] | None = None
    clause_only: bool = False
    topic_only: bool = False
    inverted: bool = False
    asks: bool = False


class CueWords(Strict):
    speech_nouns: list[str]
    speaking_occasions: list[str]
    attitudes: list[str]
    hearsay_adverbs: list[str]
    anonymity_verbs: list[str]
    anonymity_words: list[str]
    light_objects: list[str]
    raising_verbs: list[str]
    receiving_verbs: list[str]
    said_for_short: list[str]
    topic_prepositions: list[str]
    owned_topics: list[str]
    action_topics: list[str]
    attitude_topics: list[str]
    not_in_names: list[str]

    _lowercase = field_validator("*")(lowercase)


class Cues(Strict):
    verbs: dict[str, CueVerb]
    nouns: dict[str, Literal["speech", "stance"]]
    words: CueWords

    def verbs_where(self, **properties: object) -> frozenset[str]:
        """The lemmas of the verbs with all these property values: ``verbs_where(kind="speech")``."""
        return frozenset(lemma for lemma, verb in self.verbs.items()
                         if all(getattr(verb, name) == value for name, value in properties.items()))

    def forms(self, prop: Literal["irregular", "always_verb", "not_in_names"]) -> dict[str, str]:
        """Form -> lemma for the forms every verb lists under ``prop``."""
        return {form: lemma for lemma, verb in self.verbs.items() for form in getattr(verb, prop)}


class NerTraining(Strict):
    titles: list[str]
    abbreviated: list[str]


class Names(Strict):
    honorifics: list[str]
    titles: list[str]
    abbreviated_titles: list[str]
    spokes_titles: list[str]
    dropped: list[str]
    group_heads: list[str]
    male: list[str]
    female: list[str]
    agencies: list[str]
    ner_training: NerTraining
    pronouns: dict[Literal["m", "f", "plural", "neuter", "first", "relative"], list[str]]
    organisation_heads: dict[str, list[Literal["mention", "generic", "name"]]]
    name_particles: dict[str, list[Literal["joins", "prefix", "article"]]]
    spelling_variants: dict[str, list[str]]
    places: dict[str, str]
    place_phrases: dict[str, str]
    organisation_places: dict[Literal["keys"], list[str]]

    def organisation_heads_for(self, reader: Literal["mention", "generic", "name"]) -> frozenset[str]:
        return frozenset(w for w, readers in self.organisation_heads.items() if reader in readers)

    def particles_for(self, reader: Literal["joins", "prefix", "article"]) -> frozenset[str]:
        return frozenset(w for w, readers in self.name_particles.items() if reader in readers)

    def pronoun_kinds(self) -> dict[str, str]:
        """Pronoun -> what it can stand for ("he" -> "m", "who" -> "relative")."""
        return {word: kind for kind, words in self.pronouns.items() for word in words}

    def spelling(self) -> dict[str, str]:
        """Variant -> the one spelling the registry compares ("sergey" -> "sergei")."""
        return {variant: canonical for canonical, variants in self.spelling_variants.items()
                for variant in variants}


class Calendar(Strict):
    days: list[str]
    months: list[str]
    month_abbreviations: list[str]
    relative_days: list[str]
    times: list[str]

    _lowercase = field_validator("*")(lowercase)

    @field_validator("months")
    @classmethod
    def twelve(cls, months: list[str]) -> list[str]:
        if len(months) != 12:
            raise ValueError("a month's number is its place: there must be twelve")
        return months


class Grammar(Strict):
    articles: list[str]
    definite: list[str]
    group_pronouns: list[str]
    relative: list[str]
    relative_content: list[str]
    quantifier_speakers: list[str]
    title_small_words: list[str]
    clause_openers: list[str]
    question_openers: list[str]
    addressed_question_openers: list[str]
    clause_breaks: list[str]
    content_breaks: list[str]
    content_openers: list[str]
    that_conjunctions: list[str]
    name_stopwords: list[str]
    source_determiners: list[str]
    bare_contractions: list[str]

    _lowercase = field_validator("*")(lowercase)


class Marks(Strict):
    quote_chars: list[str]
    closing: list[str]
    closing_tokens: list[str]
    openers: list[str]
    closers: list[str]


class Datelines(Strict):
    lead: str
    header: str

    @field_validator("*")
    @classmethod
    def compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern, re.X)
        except re.error as error:
            raise ValueError(f"not a regular expression: {error}") from None
        return pattern


class Language(Strict):
    calendar: Calendar
    grammar: Grammar
    marks: Marks
    datelines: Datelines


class Peerages(Strict):
    male: list[str]
    female: list[str]

    _lowercase = field_validator("*")(lowercase)


class RoleScoring(Strict):
    abbreviations: dict[str, str]
    function_words: list[str]
    honorifics: list[str]

    _lowercase = field_validator("function_words", "honorifics")(lowercase)


class Roles(Strict):
    role_nouns: list[str]
    person_nouns: list[str]
    non_role_adjectives: list[str]
    counting_words: list[str]
    clause_adverbs: list[str]
    non_source_heads: list[str]
    document_heads: list[str]
    name_prepositions: list[str]
    peerages: Peerages
    heading_verbs: dict[str, str]
    scoring: RoleScoring

    _lowercase = field_validator("role_nouns", "person_nouns", "non_role_adjectives", "counting_words",
                                 "clause_adverbs", "non_source_heads", "document_heads", "name_prepositions")(lowercase)


class Lexicon(Strict):
    cues: Cues
    names: Names
    roles: Roles
    language: Language


@cache
def lexicon() -> Lexicon:
    """The lexicon, read and validated on first use."""
    def read(name: str) -> dict:
        with (LEXICON_DIR / f"{name}.toml").open("rb") as handle:
            return tomllib.load(handle)
    return Lexicon(cues=Cues.model_validate(read("cues")), names=Names.model_validate(read("names")),
                   roles=Roles.model_validate(read("roles")), language=Language.model_validate(read("language")))


def dateline(name: Literal["lead", "header"]) -> re.Pattern[str]:
    return re.compile(getattr(lexicon().language.datelines, name), re.X)


@cache
def known_verbs() -> frozenset[str]:
    """Every cue verb's lemma: what ``lemma_guess`` may take a form back to."""
    return frozenset(lexicon().cues.verbs)


@cache
def irregular_forms() -> dict[str, str]:
    return lexicon().cues.forms("irregular")


@cache
def speech_verbs() -> frozenset[str]:
    return lexicon().cues.verbs_where(kind="speech")


def lemma_guess(word: str) -> str:
    """A crude English verb lemma for cue words that come without a parse (or a wrong one):
    the listed irregular form, else a suffix taken off when what remains is a cue verb."""
    irregular = irregular_forms()
    if word in irregular:
        return irregular[word]
    verbs = known_verbs()
    for suffix, repl in SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] + repl in verbs:
            return word[: -len(suffix)] + repl
    if word.endswith("ed") and word[:-3] in verbs:  # slammed, ripped
        return word[:-3]
    return word


def cue_is_speech(cue_text: str) -> bool:
    """Whether a cue phrase ("said", "has told", "according to", ":") reports speech or writing:
    a speech verb, a speech noun ("in a statement"), "according to" or a bare colon or dash."""
    text = cue_text.lower()
    if text.strip() in SPEECH_MARKS or "according to" in text:
        return True
    nouns = lexicon().cues.words.speech_nouns
    return any(lemma_guess(word) in speech_verbs() or word in nouns for word in WORD.findall(text))
