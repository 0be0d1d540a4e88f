"""Speakers: turn each quote's speaker mention into a name, a type and a role.

Everything here happens inside one article. The finder hands over the local mention
("Lavrov", "he", "the ministry", "a Syrian military source"); this module says who that is
as far as the article tells: ``Lavrov`` is the ``Sergei Lavrov`` named elsewhere in it,
``he`` the previous quote's speaker or the latest matching subject, ``the ministry`` the last
ministry named, and a person's role is the fullest one the article states. Names are kept
apart from titles and honorifics so the cross-article registry can match them.

Built in steps, each from the ones before it: the word index of the article (``words.py``),
the persons it names with the roles written around their names (``persons.py``, ``roles.py``)
and their genders, the title-only descriptions of them ("the senator", ``descriptions.py``,
which add the roles they state), the organisations it names (``organizations.py``), the
describer of mentions (``mentions.py``), the subjects in order (``subjects.py``, which tell the
describer about the nameless ones as they go), and pronoun resolution (``pronouns.py``).
``ArticleIndex`` composes them. A mention that is no source at all ("the terms echo earlier
deals") gives the quote no speaker and halves its confidence. All lookups go through per-article indexes (dicts of
position-sorted lists searched with bisect), so long articles cost little more than one pass
over their words.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..document import Document, as_document
from ..models import ParsedArticle, Quote, SpeakerRef
from .descriptions import Descriptions
from .mentions import Mentions
from .names import Found, Occurrence, Said, clean_name, contains, merge_spans, name_keys
from .organizations import Organizations
from .persons import Persons
from .pronouns import Pronouns
from .subjects import Subjects
from .vocabulary import CREDITS, MAX_LOOKBACK, NO_SOURCE_CONFIDENCE, PRONOUN_KIND
from .words import WordIndex

__all__ = ["CREDITS", "ArticleIndex", "clean_name", "contains", "merge_spans", "name_keys", "resolve_speakers"]


def resolve_speakers(parsed: ParsedArticle | Document, quotes: list[Quote],
                     alternatives: Sequence[Quote] = ()) -> list[Quote]:
    """Copies of ``quotes`` whose speaker has a name, type and role resolved in the article,
    then those of ``alternatives`` that name a source.

    An alternative is one of ``quotes`` with another speaker mention (``tagged.speaker_alternatives``,
    for the scorer to choose between). It is resolved as that quote would be at its place in the
    article, but never enters the history that a later "he added" reads, nor the index of
    mentions: the quotes' own speakers resolve as they would without it."""
    index = ArticleIndex(parsed, quotes)
    every = list(quotes) + list(alternatives)
    resolved: dict[int, Quote | None] = {}
    history: list[Said] = []
    # At one place, the alternatives first: a quote's history holds the quotes before it, not itself.
    for position in sorted(range(len(every)), key=lambda i: (every[i].start, i < len(quotes))):
        quote = every[position]
        alternative = position >= len(quotes)
        if quote.speaker is None:
            resolved[position] = None if alternative else quote.model_copy()
            continue
        found = index.resolve_mention(quote.speaker, history)
        if found is None:  # a mention that is no source: no speaker, and less sure of the quote
            resolved[position] = None if alternative else quote.model_copy(update={
                "speaker": None, "confidence": round(quote.confidence * NO_SOURCE_CONFIDENCE, 2)})
            continue
        if not alternative:
            history.append(Said(quote, found, quote.speaker))
        resolved[position] = quote.model_copy(update={"speaker": found.ref(quote.speaker.mention)})
    return [q for i in range(len(every)) if (q := resolved[i]) is not None]


class ArticleIndex:
    """Words, persons, descriptions, organisations, subjects and pronouns of one article, built
    in that order."""

    def __init__(self, parsed: ParsedArticle | Document, quotes: list[Quote]):
        self.doc = WordIndex.of(as_document(parsed), quotes)
        self.persons = Persons.of(self.doc)
        descriptions = Descriptions.of(self.doc, self.persons)
        self.mentions = Mentions(self.doc, self.persons, descriptions, Organizations(self.doc))
        self.subjects = Subjects.of(self.doc, self.persons, self.mentions)
        self.pronouns = Pronouns(self.doc, self.persons, self.subjects, self.mentions)

    @property
    def occurrences(self) -> list[Occurrence]:
        return self.persons.occurrences

    def expand(self, keys: tuple[str, ...], position: int) -> str | None:
        return self.persons.expand(keys, position)

    def resolve_mention(self, speaker: SpeakerRef, history: list[Said]) -> Found | None:
        """The speaker of one quote (as the finder gave it), given the quotes before it; None
        if its mention is no source at all ("the terms echo earlier deals")."""
        if speaker.mention is None:
            return self.continuation(speaker, history)
        span = self.doc.word_range(speaker.mention.start, speaker.mention.end)
        if span is None:
            return Found(speaker.mention.text.strip() or speaker.name, "unnamed")
        first, last = span
        if first == last and self.doc.words[first].text.lower() in PRONOUN_KIND:
            return self.pronouns.pronoun(first, history) or Found(speaker.mention.text, "unnamed")
        return self.mentions.speaker(first, last, self.previous_person(history, self.doc.words[first].start))

    def previous_person(self, history: list[Said], position: int) -> str | None:
        """The person who spoke last, if in this paragraph or the one before."""
        if history and history[-1].found.type == "person" \
                and self.doc.paragraph(history[-1].quote.start) >= self.doc.paragraph(position) - 1:
            return history[-1].found.name
        return None

    def continuation(self, speaker: SpeakerRef, history: list[Said]) -> Found:
        """A quote going on from an earlier one: the same speaker as resolved there."""
        for said in reversed(history[-MAX_LOOKBACK:]):
            if said.speaker.name == speaker.name:
                return said.found
        if history:
            return history[-1].found
        full = self.persons.expand(name_keys(speaker.name), len(self.doc.text)) or speaker.name
        return Found(full, speaker.type, speaker.role or self.persons.best_role(full))
