"""Title-only descriptions of a person named elsewhere: "the senator", "the Republican
presidential nominee". Each means someone the article names (the one named with that title,
the speaker it goes on from, or the person most named nearby), and states that person's role."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from .names import described_role, gender_of, is_plural, last_matching
from .persons import Persons
from .vocabulary import MAX_LOOKBACK, NON_ROLE_ADJECTIVES
from .words import WordIndex


@dataclass
class Descriptions:
    doc: WordIndex
    persons: Persons

    @classmethod
    def of(cls, doc: WordIndex, persons: Persons) -> Descriptions:
        """The describer, having told ``persons`` the roles the article's descriptions state."""
        descriptions = cls(doc, persons)
        descriptions.add_described_roles()
        return descriptions

    def add_described_roles(self) -> None:
        """Roles stated by a definite description of a person named nearby ("Trump made a
        detour ... the Republican presidential nominee has mixed ...", "the senator from
        Vermont was rallying"): each becomes one of that person's roles."""
        doc, persons = self.doc, self.persons
        for k, word in enumerate(doc.words):
            if not doc.role_noun(k) or word.upos != "NOUN" or is_plural(word) or k in persons.in_role \
                    or k in persons.person_of or k in doc.mentioned or not doc.in_body(word.start) \
                    or doc.between_quote_marks(word.start):
                continue
            first, last = persons.phrase(k)
            if last != k or doc.words[first].text.lower() != "the" or not self.states_a_role(first, k):
                continue
            person = self.referent(first, k)
            if person:
                persons.described_roles.setdefault(person, []).append(described_role(doc.span_text(first, k)))

    def states_a_role(self, first: int, head: int) -> bool:
        """Whether "the ... <role noun>" says what someone is, not what they might be or who
        else is there: no "the only candidate", "to be the nominee", "as the potential leader",
        "Ryan and the party chairman", and no name right after it (that is a title)."""
        words = self.doc.words
        if any(words[j].text.lower() in NON_ROLE_ADJECTIVES for j in range(first, head)):
            return False
        if head + 1 < len(words) and head + 1 in self.persons.person_of:
            return False
        if first > 0 and words[first - 1].text.lower() in ("as", "and", "with", "or"):
            return False
        word = words[head]
        children = [words[j] for j, h in enumerate(self.doc.heads) if h == head]
        return word.deprel != "conj" and not any(c.deprel in ("cop", "conj") for c in children)

    def referent(self, first: int, head: int, previous: str | None = None) -> str | None:
        """The person a definite role description ("the senator", "the CNN host") means: the
        one named with that title, else the ``previous`` speaker (a quote's description goes
        on like a pronoun: "Feinberg said ... the Gawker employee wrote"), else the person the
        article names most among those named in this and the two sentences before (outside
        quotation marks), never one named inside the description or the subject it is the
        object of ("Todd asked the real estate mogul")."""
        doc, persons = self.doc, self.persons
        position = doc.words[first].start
        modifiers = doc.definite_modifiers(first, head) or set()
        titled = last_matching(persons.titled.get(doc.words[head].lemma.lower(), []), position, modifiers)
        if titled:
            return titled[1]
        sentence = doc.sentence_of[first]
        excluded = self.subject_names(head) | {o.full for o in persons.occurrences if first <= o.first <= head}
        gender = gender_of(doc.words[head].text)
        if previous and previous not in excluded and (gender is None or persons.gender.get(previous, gender) == gender):
            return previous
        i = bisect_left(persons.occurrences, position, key=lambda o: o.start)
        nearby = [o for o in persons.occurrences[max(i - MAX_LOOKBACK, 0):i]
                  if doc.sentence_of[o.first] >= sentence - 2 and o.full not in excluded
                  and not doc.between_quote_marks(o.start)
                  and (gender is None or persons.gender.get(o.full, gender) == gender)]
        if not nearby:
            return None
        return max(nearby, key=lambda o: (persons.name_counts[o.full], o.start)).full

    def subject_names(self, k: int) -> set[str]:
        """Full names of the persons who are subjects of the verb word ``k`` depends on."""
        verb = self.doc.heads[k]
        if verb < 0:
            return set()
        return {o.full for j, head in enumerate(self.doc.heads) if head == verb and j != k
                and self.doc.words[j].deprel.startswith("nsubj") and j in self.persons.person_of
                for o in self.persons.occurrences_at(j)}
