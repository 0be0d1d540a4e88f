"""What a (non-pronoun) mention names: a person, an organisation, a group or nobody."""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field
from itertools import pairwise

from ..models import SpeakerType
from .descriptions import Descriptions
from .names import Found, bare, clean_name, described_role, is_plural, last_matching, name_keys, singular, word_set
from .organizations import Organizations
from .persons import Persons
from .vocabulary import CLAUSE_ADVERBS, DOCUMENT_HEADS, GROUP_HEADS, NON_SOURCE_HEADS, ORG_HEADS, TITLE_WORDS
from .words import WordIndex

Entry = tuple[int, Found, set[str]]


@dataclass
class Mentions:
    """Describes mentions, reading the persons, descriptions and organisations of the article
    and the nameless sources described before (``described``, by head lemma, in text order:
    filled by ``Subjects.of`` and by each quote's unnamed source as it is resolved, so "the
    officials" is the "administration officials" met before)."""

    doc: WordIndex
    persons: Persons
    descriptions: Descriptions
    organizations: Organizations
    described: dict[str, list[Entry]] = field(default_factory=dict)

    def remember(self, lemma: str, entry: Entry) -> None:
        """A nameless subject or source, for the definite mentions after it."""
        insort(self.described.setdefault(lemma, []), entry, key=lambda e: e[0])

    def speaker(self, first: int, last: int, previous: str | None) -> Found | None:
        """Who a quote's (non-pronoun) mention names, or None if it is no source at all ("the
        terms echo earlier deals"); ``previous``: the person who spoke last nearby."""
        while last > first and self.doc.words[last].text.lower() in CLAUSE_ADVERBS:
            last -= 1  # "Syrian state TV meanwhile"
        if not self.could_speak(self.doc.lexical_head(first, last)):
            return self.person_inside(first, last)  # "time for Cruz"; "the terms" is no one
        if self.coordinated(first, last) or self.two_entities(first, last):
            return Found(self.doc.description(first, last), "group", plural=True)
        found = self.describe(first, last, previous)
        self.remember_description(first, last, found)
        return self.organizations.with_full_name(found, self.doc.words[first].start)

    def could_speak(self, k: int) -> bool:
        """Whether a mention headed by word ``k`` can be a source: anything but a common noun
        for a time, place, event or abstraction ("the terms", "hopes of agreement")."""
        word = self.doc.words[k]
        if word.upos != "NOUN" or k in self.doc.entity_of or word.text[:1].isupper():
            return True
        return not {word.lemma.lower(), bare(word), singular(word.text)} & NON_SOURCE_HEADS

    def person_inside(self, first: int, last: int) -> Found | None:
        """The person a mention that is no source names ("time for Cruz"), else no one."""
        persons = self.persons
        for k in range(first, last + 1):
            if k in persons.person_of:
                span = self.doc.name_range(*persons.person_spans[persons.person_of[k]])
                if span:
                    return persons.person(*span, first, last)
        return None

    def coordinated(self, first: int, last: int) -> bool:
        """Whether a mention names several people ("Trump and House Speaker Paul Ryan", "Sens.
        Johnny Isakson of Georgia and John Boozman"): two names with "and" between."""
        persons, words = self.persons, self.doc.words
        names = sorted({persons.person_of[k] for k in range(first, last + 1) if k in persons.person_of
                        and self.doc.name_range(*persons.person_spans[persons.person_of[k]])})
        for a, b in pairwise(names):
            between = range(persons.person_spans[a][1] + 1, persons.person_spans[b][0])
            if any(words[j].text.lower() == "and" for j in between) \
                    and not any(words[j].upos in ("ADP", "VERB") and words[j].text.lower() != "of"
                                for j in between):
                return True
        return False

    def two_entities(self, first: int, last: int) -> bool:
        """Whether a mention is two named organisations or places joined by "and" and nothing
        else ("Moscow and Beijing", "The Justice Department and the FBI"): what they said
        together is neither's alone, and naming the last would give Beijing Moscow's words too."""
        doc = self.doc
        numbers = {doc.entity_of[k] for k in range(first, last + 1) if k in doc.entity_of}
        # Two people are ``coordinated``'s; a person joined to a place is as often the parser's
        # mistake ("to protect Assad and Washington supporting rebels") as a pair.
        if any(doc.entities[n].type == "PER" for n in numbers):
            return False
        spans = sorted(doc.entity_span(n) for n in numbers)
        if len(spans) != 2 or spans[0][1] >= spans[1][0]:
            return False
        (a_start, a_end), (b_start, b_end) = spans
        outside = [*range(first, a_start), *range(a_end + 1, b_start), *range(b_end + 1, last + 1)]
        joints = [doc.words[k].text.lower() for k in outside]
        return first <= a_start and b_end <= last and joints.count("and") == 1 and \
            all(word in ("and", "the") for word in joints)

    def remember_description(self, first: int, last: int, found: Found) -> None:
        """An unnamed source once quoted is met again as "the source": index it by its head."""
        if found.type not in ("unnamed", "group") or first in self.persons.person_of:
            return
        head = self.doc.lexical_head(first, last)
        self.remember(self.doc.words[head].lemma.lower(), (self.doc.words[first].start, found, word_set(found.name)))

    def describe(self, first: int, last: int, previous: str | None = None) -> Found:
        """What a (non-pronoun) mention names: a person, an organization, a group or nobody
        (``previous``: the person who spoke last, whom a role description may go on with)."""
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
            name = self.doc.entity_name(number, first, last)
            person = self.persons.person_named(name, word.start)
            if person:  # "Trump" tagged as an organisation where "Donald Trump" is a person
                return Found(person, "person", self.persons.best_role(person))
            return Found(name, "organization", plural=plural)
        modifiers = self.doc.definite_modifiers(first, head)
        if lemma in ORG_HEADS or bare(word) in ORG_HEADS:
            return self.organization(first, last, head, modifiers)
        group_noun = lemma in GROUP_HEADS or singular(word.text) in GROUP_HEADS
        if word.upos == "PROPN" and word.text[:1].isupper() and not group_noun:
            return self.proper_run(head, first, last)
        if modifiers is not None:
            titled = last_matching(self.persons.titled.get(lemma, []), word.start, modifiers)
            if titled:  # "the envoy" -> the latest person whose role has "envoy"
                return Found(titled[1], "person", self.persons.best_role(titled[1]))
            found = last_matching(self.described.get(lemma, []), word.start, modifiers)
            if found:  # "the officials" -> the "administration officials" met before
                return found[1]
            person = self.descriptions.referent(first, head, previous) \
                if not plural and self.doc.role_noun(head) else None
            if person:  # "the senator" -> the senator the article is about
                return Found(person, "person", described_role(self.doc.description(first, last)))
        owner = self.organizations.document_owner(first, head) if lemma in DOCUMENT_HEADS else None
        if owner:  # "an Observatory toll" is the Observatory's
            return owner
        related = last_matching(self.persons.related.get(lemma, []), word.start, set()) \
            if self.doc.words[first].text.lower() in ("his", "her", "the") and not plural else None
        if related:  # "his brother" -> "his brother Alastair Osman" named before
            return Found(related[1], "person", self.persons.best_role(related[1]))
        kind: SpeakerType = "group" if group_noun and (plural or word.text.lower().endswith("s")) else "unnamed"
        description = self.doc.description(first, last)
        role = described_role(description) if kind == "unnamed" and not plural and self.doc.role_noun(head) else None
        return Found(description, kind, role, plural=plural)

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
                    and not self.doc.possessive(self.doc.entity_span(number)[1])):
                return Found(self.doc.entity_name(number, first, head - 1), "organization")
        if modifiers is not None:  # "the ministry": the latest ministry named or described
            position, key = self.doc.words[head].start, bare(self.doc.words[head])
            named = last_matching(self.organizations.by_word.get(key, []), position, modifiers)
            described = last_matching(self.described.get(self.doc.words[head].lemma.lower(), []),
                                      position, modifiers)
            if named and (not described or named[0] > described[0]):
                return Found(named[1], "organization")
            if described and described[1].type == "organization":
                return described[1]
            recent = self.organizations.recent(first) if not modifiers and self.organizations.generic(head) else None
            if recent:  # "the airline": the organisation just named
                return Found(recent, "organization")
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
