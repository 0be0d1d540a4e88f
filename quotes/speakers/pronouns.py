"""he/she/they/it/who: the previous speaker nearby, else the latest fitting subject or person."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from .mentions import Mentions
from .names import Found, Said, described_gender, word_set
from .persons import Persons
from .subjects import Subjects
from .vocabulary import FEMALE_WORDS, MALE_WORDS, MAX_LOOKBACK, PERSON_NOUNS, PRONOUN_KIND, ROLE_NOUNS
from .words import WordIndex


@dataclass
class Pronouns:
    doc: WordIndex
    persons: Persons
    subjects: Subjects
    mentions: Mentions

    def pronoun(self, k: int, history: list[Said]) -> Found | None:
        """he/she/they/it/who: the previous speaker nearby, else the latest fitting subject."""
        kind = PRONOUN_KIND[self.doc.words[k].text.lower()]
        position = self.doc.words[k].start
        if kind == "relative":
            antecedent = self.antecedent(k)
            if antecedent is not None and antecedent in self.persons.in_role:
                return self.role_holder(antecedent)
            if antecedent is not None:
                return self.mentions.describe(*self.persons.phrase(antecedent))
        previous = None
        if history and self.fits(history[-1].found, kind):
            back = self.doc.paragraph(position) - self.doc.paragraph(history[-1].quote.start)
            if back <= 1 or back == 2 and self.agreement(history[-1].found, kind) == 2:
                previous = history[-1]  # two paragraphs back only if surely the same gender
        subject_start, subject = self.last_subject(position, kind)
        if previous and subject and subject.name != previous.found.name:
            said_until = max(previous.quote.end, previous.speaker.mention.end
                             if previous.speaker.mention else 0)
            if self.doc.sentence_at(subject_start) > self.doc.sentence_at(said_until) \
                    and self.agreement(subject, kind) >= self.agreement(previous.found, kind):
                return subject
        if previous:
            return previous.found
        return subject or self.last_person(position, kind)

    def agreement(self, found: Found, kind: str) -> int:
        """How surely a pronoun agrees with a speaker: 2 by a known gender ("she" and "a
        spokeswoman", "Mrs. Clinton"), 1 if it may, 0 if it cannot. A speaker who surely
        agrees keeps the pronoun from a later subject who only may ("John Hart ... She added")."""
        if not self.fits(found, kind):
            return 0
        if kind not in ("m", "f"):
            return 1
        gender = self.persons.gender.get(found.name) if found.type == "person" else described_gender(found)
        return 2 if gender == kind else 1

    def role_holder(self, k: int) -> Found | None:
        """The person whose stated role word ``k`` belongs to ("Cornell Belcher, a Democratic
        pollster who ...": "who" is Belcher, not an unnamed pollster)."""
        occurrences = self.persons.occurrences
        i = bisect_left(occurrences, self.doc.words[k].start, key=lambda o: o.start)
        for o in reversed(occurrences[max(i - MAX_LOOKBACK, 0):i]):
            if self.doc.sentence_of[o.first] == self.doc.sentence_of[k]:
                return Found(o.full, "person", self.persons.best_role(o.full))
        return self.mentions.describe(*self.persons.phrase(k))

    def fits(self, found: Found, kind: str) -> bool:
        """Whether a pronoun of this kind can point to that speaker (he/she only to persons
        and unnamed people: not to "the page on climate")."""
        if kind in ("m", "f"):
            if found.type == "person":
                return self.persons.gender.get(found.name, kind) == kind
            return found.type == "unnamed" and not found.plural and described_gender(found) in (None, kind) \
                and bool(word_set(found.name) & (ROLE_NOUNS | PERSON_NOUNS | MALE_WORDS | FEMALE_WORDS))
        if kind == "plural":
            return found.type in ("group", "organization") or found.plural
        if kind == "neuter":
            return found.type == "organization"
        return True

    def last_subject(self, position: int, kind: str) -> tuple[int, Found | None]:
        """The latest subject a pronoun fits; he/she only look for named persons here."""
        i = bisect_left(self.subjects.subject_starts, position) - 1
        for start, found in reversed(self.subjects.subjects[max(i + 1 - MAX_LOOKBACK, 0):i + 1]):
            if self.fits(found, kind) and (kind not in ("m", "f") or found.type == "person"):
                return start, found
        return -1, None

    def last_person(self, position: int, kind: str) -> Found | None:
        """For he/she: the most recent person named, whatever their function in the sentence."""
        if kind not in ("m", "f"):
            return None
        i = bisect_left(self.persons.occurrences, position, key=lambda o: o.start) - 1
        for o in reversed(self.persons.occurrences[max(i + 1 - MAX_LOOKBACK, 0):i + 1]):
            found = Found(o.full, "person", self.persons.best_role(o.full))
            if self.fits(found, kind):
                return found
        return None

    def antecedent(self, k: int) -> int | None:
        """The noun a relative pronoun stands for: "Alwan, who ..." -> Alwan."""
        verb = self.doc.heads[k]
        if verb >= 0 and self.doc.words[verb].deprel.startswith("acl") and self.doc.heads[verb] >= 0:
            return self.doc.heads[verb]
        j = k - 1
        while j >= 0 and self.doc.sentence_of[j] == self.doc.sentence_of[k] and self.doc.words[j].upos == "PUNCT":
            j -= 1
        same_sentence = j >= 0 and self.doc.sentence_of[j] == self.doc.sentence_of[k]
        if same_sentence and self.doc.words[j].upos in ("NOUN", "PROPN"):
            return j
        return None
