"""What a (non-pronoun) mention names: a person, an organisation, a group or nobody."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from .names import Found, bare, clean_name, is_plural, name_keys, singular, word_set
from .persons import Persons
from .vocabulary import GROUP_HEADS, MAX_LOOKBACK, ORG_HEADS, TITLE_WORDS
from .words import WordIndex

Entry = tuple[int, Found, set[str]]


@dataclass
class Mentions:
    """Describes mentions, reading the persons and organisations of the article and the
    nameless subjects described before (``described``, by head lemma, filled in text order by
    ``Subjects.of``: "the officials" is the "administration officials" met before)."""

    doc: WordIndex
    persons: Persons
    organizations: dict[str, list[tuple[int, str, set[str]]]] = field(default_factory=dict)
    described: dict[str, list[Entry]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.organizations = self.index_organizations()

    def remember(self, lemma: str, entry: Entry) -> None:
        """A nameless subject, for the definite mentions after it."""
        self.described.setdefault(lemma, []).append(entry)

    def index_organizations(self) -> dict[str, list[tuple[int, str, set[str]]]]:
        """ORG entities by each of their lowercased words, so "the ministry" finds them."""
        index: dict[str, list[tuple[int, str, set[str]]]] = {}
        for entity in self.doc.entities:
            if entity.type == "ORG":
                name = clean_name(entity.text)
                words = word_set(name)
                for key in words:
                    index.setdefault(key, []).append((entity.start, name, words))
        return index

    def describe(self, first: int, last: int) -> Found:
        """What a (non-pronoun) mention names: a person, an organization, a group or nobody."""
        last = self.name_after_title(first, last)
        named = self.persons.named_person(first, last)
        if named:
            return self.persons.person(*named, first, last)
        head = self.doc.lexical_head(first, last)
        word = self.doc.words[head]
        lemma = word.lemma.lower()
        plural = is_plural(word)
        number = self.doc.entity_of.get(head)
        if number is not None and self.doc.entities[number].type in ("ORG", "LOC", "GPE"):
            return Found(self.doc.entity_name(number, first, last), "organization", plural=plural)
        modifiers = self.doc.definite_modifiers(first, head)
        if lemma in ORG_HEADS or bare(word) in ORG_HEADS:
            return self.organization(first, last, head, modifiers)
        group_noun = lemma in GROUP_HEADS or singular(word.text) in GROUP_HEADS
        if word.upos == "PROPN" and word.text[:1].isupper() and not group_noun:
            return self.proper_run(head, first, last)
        if modifiers is not None:
            titled = self.last_matching(self.persons.titled.get(lemma, []), word.start, modifiers)
            if titled:  # "the envoy" -> the latest person whose role has "envoy"
                return Found(titled[1], "person", self.persons.best_role(titled[1]))
            found = self.last_matching(self.described.get(lemma, []), word.start, modifiers)
            if found:  # "the officials" -> the "administration officials" met before
                return found[1]
        kind = "group" if group_noun and (plural or word.text.lower().endswith("s")) else "unnamed"
        return Found(self.doc.description(first, last), kind, plural=plural)

    def name_after_title(self, first: int, last: int) -> int:
        """The mention's end, moved over the name its title goes on to: a mention cut at
        "Russian Deputy" or "U.S. Secretary of State" names whoever follows the title."""
        if bare(self.doc.words[last]) not in TITLE_WORDS or not self.doc.words[last].text[:1].isupper():
            return last
        k = last + 1
        while (k < len(self.doc.words) and self.doc.sentence_of[k] == self.doc.sentence_of[last]
               and k not in self.persons.person_of and bare(self.doc.words[k]) in TITLE_WORDS | {"of", "for"}):
            k += 1  # the rest of the title: "Foreign Minister", "of State"
        if k >= len(self.doc.words) or self.doc.sentence_of[k] != self.doc.sentence_of[last]:
            return last
        if k in self.persons.person_of and self.persons.person_spans[self.persons.person_of[k]][0] >= first:
            return self.persons.person_spans[self.persons.person_of[k]][1]
        end = k - 1
        while (end + 1 < len(self.doc.words) and self.doc.sentence_of[end + 1] == self.doc.sentence_of[last]
               and self.doc.words[end + 1].upos == "PROPN" and self.doc.words[end + 1].text[:1].isupper()
               and self.doc.entity_type(end + 1) is None):
            end += 1  # a name the tagger missed: "Minister Sergei Ryabkov"
        return end if end >= k else last

    def organization(self, first: int, last: int, head: int, modifiers: set[str] | None) -> Found:
        """"Interfax news agency" -> Interfax; "the ministry" -> the last ministry named."""
        for k in range(first, head):
            number = self.doc.entity_of.get(k)
            if (number is not None and self.doc.entities[number].type == "ORG"
                    and not self.doc.possessive(self.doc.entity_ranges[number][1])):
                return Found(self.doc.entity_name(number, first, head - 1), "organization")
        if modifiers is not None:  # "the ministry": the latest ministry named or described
            position, key = self.doc.words[head].start, bare(self.doc.words[head])
            named = self.last_matching(self.organizations.get(key, []), position, modifiers)
            described = self.last_matching(self.described.get(self.doc.words[head].lemma.lower(), []),
                                           position, modifiers)
            if named and (not described or named[0] > described[0]):
                return Found(named[1], "organization")
            if described and described[1].type == "organization":
                return described[1]
        return Found(self.doc.description(first, last), "organization")

    def proper_run(self, head: int, first: int, last: int) -> Found:
        """A name the tagger missed: the PROPN run around the head, titles dropped; a person
        unless the article tags it as a place or organization elsewhere (or it is all caps)."""
        a = head
        while a > first and (self.doc.words[a - 1].upos == "PROPN" or self.doc.joined_by_hyphen(a - 1)):
            a -= 1
        b = head
        while b < last and (self.doc.words[b + 1].upos == "PROPN" or self.doc.joined_by_hyphen(b + 1)):
            b += 1
        span = self.doc.name_range(a, b) or (a, b)
        text = clean_name(self.doc.span_text(*span))
        if (text.isupper() or text in self.doc.organization_names) \
                and not self.persons.expand(name_keys(text), self.doc.words[head].start):
            return Found(text, "organization")  # tagged as a place or organization elsewhere
        return self.persons.person(*span, first, last)

    @staticmethod
    def last_matching(entries: list[tuple[int, object, set[str]]], position: int, modifiers: set[str]):
        """(start, value) of the latest entry before ``position`` whose words include all
        ``modifiers``, or None."""
        i = bisect_left(entries, position, key=lambda e: e[0])
        for start, value, words in reversed(entries[max(i - MAX_LOOKBACK, 0):i]):
            if modifiers <= words:
                return start, value
        return None
