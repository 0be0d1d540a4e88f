"""The organisations an article names, and an organisation's short name as the full one the
article gave: "Observatory" is the "Syrian Observatory for Human Rights", "AP" the "Associated
Press", "the airline" the airline just named, "an Observatory toll" the Observatory's."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .names import Found, clean_name, contains, is_plural, word_set
from .vocabulary import DATE_WORDS, GENERIC_ORG_HEADS, NAME_PREPOSITIONS
from .words import WordIndex


@dataclass
class Organizations:
    """ORG entities by each of their words (``by_word``, so "the ministry" finds them) and every
    organisation entity of the body written in full, in text order (``long_names``)."""

    doc: WordIndex
    by_word: dict[str, list[tuple[int, str, set[str]]]] = field(default_factory=dict)
    long_names: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_word = self.index_by_word()
        self.long_names = self.find_long_names()

    def index_by_word(self) -> dict[str, list[tuple[int, str, set[str]]]]:
        """ORG entities by each of their lowercased words, so "the ministry" finds them."""
        index: dict[str, list[tuple[int, str, set[str]]]] = {}
        for entity in self.doc.entities:
            if entity.type == "ORG":
                name = clean_name(entity.text)
                words = word_set(name)
                for key in words:
                    index.setdefault(key, []).append((entity.start, name, words))
        return index

    def find_long_names(self) -> list[tuple[int, str]]:
        """Every organisation entity of the body as written in full, in text order: its words
        and the "for Human Rights" the tagger left out."""
        names = []
        for number, (entity, span) in enumerate(zip(self.doc.entities, self.doc.entity_ranges, strict=True)):
            if entity.type == "PER" or span is None:
                continue
            high = bisect_right(self.doc.sentence_of, self.doc.sentence_of[span[0]]) - 1
            name = self.doc.entity_name(number, span[0], high)
            words = [w for w in name.split() if w.lower() not in DATE_WORDS]
            if len(words) > 1:
                names.append((entity.start, " ".join(words)))
        return names

    def with_full_name(self, found: Found, position: int) -> Found:
        """An organisation's short name as the full name the article gave it: "Observatory" ->
        "Syrian Observatory for Human Rights", "Daily News" -> "New York Daily News"."""
        if found.type != "organization":
            return found
        full = self.full_name(found.name, position)
        return Found(full, found.type, found.role, found.plural) if full else found

    def full_name(self, name: str, position: int) -> str | None:
        """The nearest longer organisation name in the article (before ``position``, else the
        first) that contains ``name`` and has the same head word; None if there is none."""
        words = name.split()
        head = organization_head(name)
        fitting = [(start, long) for start, long in self.long_names
                   if len(long.split()) > len(words) and (
                       organization_head(long) == head
                       and contains(tuple(long.lower().split()), tuple(name.lower().split()))
                       or name.replace(".", "") == initials(long)  # "AP", "F.B.I."
                       or abbreviates(words, long.split()))]
        before = [f for f in fitting if f[0] < position]
        return (before[-1] if before else fitting[0])[1] if fitting else None

    def recent(self, first: int) -> str | None:
        """The organisation named last before word ``first``, in its sentence or the two before."""
        doc = self.doc
        position = doc.words[first].start
        for number in range(len(doc.entities) - 1, -1, -1):
            entity, span = doc.entities[number], doc.entity_ranges[number]
            if entity.type != "ORG" or span is None or entity.start >= position:
                continue
            if doc.sentence_of[span[0]] < doc.sentence_of[first] - 2:
                return None
            name = doc.entity_name(number, span[0], span[1])
            return self.full_name(name, position) or name
        return None

    def generic(self, head: int) -> bool:
        """Whether a head names a kind of organisation the article would have named just before
        ("the company", "the airline"), not one of several ("the army", "the governments")."""
        word = self.doc.words[head]
        return not is_plural(word) and word.lemma.lower() in GENERIC_ORG_HEADS

    def document_owner(self, first: int, head: int) -> Found | None:
        """The organisation named by the capitalized words before a document's head ("an
        Observatory toll", "a Pentagon statement"), if any."""
        words = self.doc.words
        k = head
        while k - 1 >= first and words[k - 1].text[:1].isupper() and words[k - 1].upos in ("PROPN", "NOUN"):
            k -= 1
        if k == head:
            return None
        return Found(clean_name(self.doc.span_text(k, head - 1)), "organization")


def abbreviates(short: list[str], long: list[str]) -> bool:
    """Whether a name is a longer one cut short at its start: "NY Daily News" for "New York
    Daily News" (initials), "Patriot" for "Patriot Coal" (a first word; not "EgyptAir" for
    "EgyptAir Flight MS804", whose code names a thing the organisation owns)."""
    if any(any(c.isdigit() for c in w) for w in long):
        return False
    if len(short) == 1 and len(long) > 1 and long[0] == short[0]:
        return True
    for n in range(2, len(long) - len(short) + 2):
        if initials(" ".join(long[:n])) == short[0].replace(".", "") and long[n:] == short[1:]:
            return True
    return False


def initials(name: str) -> str:
    """"Associated Press" -> "AP"; "Federal Bureau of Investigation" -> "FBI"."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def organization_head(name: str) -> str:
    """The word an organisation's name is about, before any "of"/"for" phrase, lowercased:
    "Syrian Observatory for Human Rights" -> "observatory", "Daily News" -> "news"."""
    words = name.lower().split()
    cut = next((i for i, w in enumerate(words) if i and w in NAME_PREPOSITIONS), len(words))
    return words[cut - 1] if cut else ""
