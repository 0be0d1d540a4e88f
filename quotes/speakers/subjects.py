"""The subjects of the article outside quotes, in order: what pronouns may point back to."""

from __future__ import annotations

from dataclasses import dataclass

from .mentions import Mentions
from .names import Found, word_set
from .persons import Persons
from .vocabulary import SPEECH_WORDS
from .words import WordIndex


@dataclass
class Subjects:
    doc: WordIndex
    persons: Persons
    mentions: Mentions
    subjects: list[tuple[int, Found]]
    subject_starts: list[int]

    @classmethod
    def of(cls, doc: WordIndex, persons: Persons, mentions: Mentions) -> Subjects:
        """Each subject is described with what the subjects before it described (and tells
        ``mentions`` about the nameless ones)."""
        found = cls(doc, persons, mentions, [], [])
        found.subjects = found.find_subjects()
        found.subject_starts = [start for start, _ in found.subjects]
        return found

    def find_subjects(self) -> list[tuple[int, Found]]:
        """Nominal subjects outside quotes, in order: what pronouns may point back to."""
        subjects = []
        covered = -1
        for k, word in enumerate(self.doc.words):
            if (k <= covered or word.upos not in ("NOUN", "PROPN") or not self.is_subject(k)
                    or not self.doc.in_body(word.start) or self.doc.in_quote(word.start)):
                continue
            first, last = self.persons.phrase(k)
            covered = last
            found = self.mentions.describe(first, last)
            subjects.append((self.doc.words[first].start, found))
            if found.type != "person":  # for "the officials", "the ministry" later on
                lemma = self.doc.words[self.doc.lexical_head(first, last)].lemma.lower()
                entry = (self.doc.words[first].start, found, word_set(found.name))
                self.mentions.remember(lemma, entry)
        return subjects

    def is_subject(self, k: int) -> bool:
        """Tagged as a subject, or a phrase followed by a verb ("Lavrov told", "Assad also said",
        "Wael Alwan, the spokesman for Failaq al-Rahman, said")."""
        if k in self.persons.in_role:
            return False
        if self.doc.words[k].deprel.startswith("nsubj"):
            return True
        after = self.persons.phrase(k)[1] + 1
        while after < len(self.doc.words) and (
                self.doc.words[after].upos == "ADV" or after in self.persons.in_role
                or self.doc.words[after].text == "," and {after - 1, after + 1} & self.persons.in_role):
            after += 1
        return (after < len(self.doc.words) and self.doc.sentence_of[after] == self.doc.sentence_of[k]
                and (self.doc.words[after].upos in ("VERB", "AUX") or self.doc.words[after].text in SPEECH_WORDS))
