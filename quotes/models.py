"""The data model: what flows from one stage to the next.

articles.py makes ``Article``; nlp.py turns it into ``ParsedArticle``; finder/ finds
``Quote`` objects with their cue and speaker *mention*; speakers.py resolves each mention
to a ``SpeakerRef`` (name, type, role) inside the article; db.py stores everything and
keeps the cross-article speaker registry.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, Field

QuoteKind = Literal["direct", "mixed", "indirect"]
SpeakerType = Literal["person", "organization", "unnamed", "group"]
CueType = Literal["speech", "stance", "question"]

# The confidence from which quotes are right (span at 0.3 overlap) 90% of the time on PolNeAR
# dev's validation third, which no model was fitted on (precision 0.923, keeping 82% of the
# quotes; 0.901 from 0.49), as the learned scorer (quotes/attribution.py) gives it; measured by
# bench/eval_quotes.py's reliability table (README, Accuracy). Readers' lists show attributions
# at or above it that report speech, and the rest only on request (quotes/site/trust.py). The
# one place the threshold is set.
DEFAULT_MIN_CONFIDENCE = 0.6
# What readers' lists leave out whatever its confidence, as ``quotes extract --speech-only``
# does: stances ("believes", "backed") and reported questions ("Asked about the deal, Lavrov
# said": the words are a reporter's, put to Lavrov), no statement of the speaker's.
UNSPOKEN_CUE_TYPES: tuple[CueType, ...] = ("stance", "question")


def content_hash(text: str) -> str:
    """Stable id for a text: re-ingesting the same text gives the same hash."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Span(BaseModel):
    """A stretch of the article text; ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


class Article(BaseModel):
    """One news article as read from a file, a JSONL record or stdin."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = Field(default=None, description="file path (or '-') it was read from")
    body_start: int = Field(default=0, description="offset where the article body begins")
    body_end: int | None = Field(default=None, description="offset where trailing boilerplate begins")

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


class Word(BaseModel):
    """One syntactic word with its stanza annotation; offsets index the article text."""

    index: int  # 1-based position within its sentence
    text: str
    lemma: str
    upos: str
    xpos: str | None = None
    feats: str | None = None
    head: int  # 0 = root
    deprel: str
    start: int
    end: int
    ner: str = "O"  # BIOES tag of the token the word belongs to


class Entity(BaseModel):
    start: int
    end: int
    text: str
    type: str  # PER, ORG, LOC, MISC


class Sentence(BaseModel):
    start: int
    end: int
    words: list[Word]


class ParsedArticle(BaseModel):
    """An article with its stanza analysis (sentences, words, entities)."""

    article: Article
    sentences: list[Sentence]
    entities: list[Entity]


class SpeakerRef(BaseModel):
    """Who said a quote, as far as one article tells."""

    mention: Span | None = None
    name: str
    type: SpeakerType
    role: str | None = None


class Quote(BaseModel):
    """One attributed quote (a fragment of an attribution) in one article."""

    article_id: str
    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: Span | None = None
    cue_type: CueType = "speech"
    speaker: SpeakerRef | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    # One of two speakers' quotes of one content, through two cues ("Lavrov charged, and
    # officials denied, that ..."): the steps that keep one quote per content keep both.
    shared: bool = False
    # Found by the learned tagger (``tagged.tagged_quotes``), not by the rules: the scorer weighs
    # the two apart.
    tagged: bool = False

    def to_extract_json(self) -> dict:
        """The stable `quotes extract` JSON Lines schema."""
        return self.model_dump(include={"article_id", "start", "end", "text", "kind", "cue",
                                        "cue_type", "speaker", "confidence"})


class Extraction(BaseModel):
    """Everything found in one article: what storage receives."""

    article: Article
    quotes: list[Quote]
