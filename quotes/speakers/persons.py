"""The persons an article names, with the roles it states and the genders it shows: built
once from the word index, then asked for the fullest form of a name and a person's role."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from .names import Found, Occurrence, bare, contains, gender_of, name_keys, word_set
from .roles import StatedRoles
from .vocabulary import (
    DATE_WORDS,
    DAYS,
    HONORIFICS,
    HYPHENS,
    NAME_PARTICLES,
    ORG_HEADS,
    PERSON_NOUNS,
    POSSESSIVE,
    TITLE_WORDS,
)
from .words import WordIndex


@dataclass
class Persons:
    """Who the article names: name spans, occurrences with roles, and genders; the roles
    descriptions state ("the Republican nominee") are added by ``Descriptions.of``."""

    doc: WordIndex
    person_spans: list[tuple[int, int]] = field(default_factory=list)
    person_of: dict[int, int] = field(default_factory=dict)
    stated: StatedRoles = field(init=False)  # reads person_of, so made once that is known
    in_role: set[int] = field(default_factory=set)  # words inside a stated role
    occurrences: list[Occurrence] = field(default_factory=list)
    by_key: dict[str, list[Occurrence]] = field(default_factory=dict)
    longer_forms: dict[tuple[str, ...], list[Occurrence]] = field(default_factory=dict)
    form_counts: Counter[tuple[str, ...]] = field(default_factory=Counter)
    name_counts: Counter[str] = field(default_factory=Counter)
    roles: dict[str, list[str]] = field(default_factory=dict)
    described_roles: dict[str, list[str]] = field(default_factory=dict)
    related: dict[str, list[tuple[int, str, set[str]]]] = field(default_factory=dict)
    titled: dict[str, list[tuple[int, str, set[str]]]] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: WordIndex) -> Persons:
        """Name spans first, then the occurrences (each marking the words of its role, which
        then name no one), their full names, roles, titles and relations, and last the genders."""
        persons = cls(doc)
        persons.person_spans = persons.join_person_spans()
        persons.person_of = {k: n for n, (a, b) in enumerate(persons.person_spans) for k in range(a, b + 1)}
        persons.stated = StatedRoles(doc, persons.person_of)
        persons.occurrences = persons.find_persons()
        for occurrence in persons.occurrences:
            for key in set(occurrence.keys):
                persons.by_key.setdefault(key, []).append(occurrence)
        persons.form_counts = Counter(o.keys for o in persons.occurrences)
        for occurrence in persons.occurrences:
            occurrence.full = persons.expand(occurrence.keys, occurrence.start) or occurrence.name
            if occurrence.role and not doc.between_quote_marks(occurrence.start):
                persons.roles.setdefault(occurrence.full, []).append(occurrence.role)
            for lemma in occurrence.role_lemmas:
                persons.titled.setdefault(lemma, []).append(
                    (occurrence.start, occurrence.full, word_set(occurrence.role)))
            if occurrence.relation:
                persons.related.setdefault(occurrence.relation, []).append((occurrence.start, occurrence.full, set()))
        persons.gender = persons.guess_genders()
        persons.name_counts = Counter(o.full for o in persons.occurrences)
        return persons

    def join_person_spans(self) -> list[tuple[int, int]]:
        """PER entities as word ranges, pieces of one name joined: the tagger often splits
        "Bashar al-Assad" or "Jean-Marc Ayrault" at the hyphen."""
        spans: list[tuple[int, int]] = []
        for entity, span in zip(self.doc.entities, self.doc.entity_ranges, strict=True):
            if entity.type != "PER" or span is None or entity.text.lower() in ORG_HEADS or all(
                    bare(self.doc.words[k]) in TITLE_WORDS | HONORIFICS | DAYS or self.doc.words[k].upos == "ADJ"
                    for k in range(span[0], span[1] + 1)):
                continue  # a title, a day or an adjective alone ("Envoy", "Republican") names no one
            first, last = span
            if spans and self.doc.sentence_of[spans[-1][1]] == self.doc.sentence_of[first] and all(
                    self.doc.words[k].text.lower() in NAME_PARTICLES | HYPHENS or
                    self.doc.words[k].upos == "PROPN" and k not in self.doc.entity_of
                    for k in range(spans[-1][1] + 1, first)) and first - spans[-1][1] <= 3:
                first = spans.pop()[0]
            while first > 0 and self.doc.words[first - 1].text in NAME_PARTICLES \
                    and self.doc.sentence_of[first - 1] == self.doc.sentence_of[first]:
                first -= 1  # "de Mistura"
            spans.append((first, self.without_common_tail(first, self.hyphenated_end(last))))
        return spans

    def without_common_tail(self, first: int, last: int) -> int:
        """The end of a long name without a common word the tagger ran on into (a headline's
        "Donna Brazile Leak", where the article writes "leak" in lower case elsewhere)."""
        while last - first >= 2 and self.doc.words[last].text.lower() in self.doc.lowercase_words:
            last -= 1
        return last

    def hyphenated_end(self, last: int) -> int:
        """Extend a name over a written-together tail the tagger left out ("Bashar" + "al-Assad")."""
        while last + 2 < len(self.doc.words) and self.doc.sentence_of[last + 2] == self.doc.sentence_of[last]:
            k = last + 1 if self.doc.words[last + 1].text in NAME_PARTICLES else last
            if not (self.doc.hyphen_joins(k) and self.doc.words[k + 2].text[:1].isupper()):
                break
            last = k + 2
        return last

    def find_persons(self) -> list[Occurrence]:
        """Every person named in the body, as a name without titles, with its stated role."""
        occurrences = []
        for span in self.person_spans:
            name = self.doc.name_range(*span)
            if name is None:
                continue
            first, last = name
            if first in self.in_role:  # "Rahman" in "the spokesman for Failaq al-Rahman"
                continue
            sentence = self.doc.sentence_of[first]
            low = bisect_left(self.doc.sentence_of, sentence)
            high = bisect_right(self.doc.sentence_of, sentence) - 1
            parts = self.stated.parts(first, last, low, high)
            words = [k for a, b in parts for k in range(a, b + 1)]
            self.in_role.update(words)
            lemmas = [self.doc.words[k].lemma.lower() for k in words if self.doc.words[k].upos in ("NOUN", "PROPN")]
            text = self.doc.span_text(first, last)
            occurrences.append(Occurrence(self.doc.words[first].start, first, text, name_keys(text),
                                          self.stated.stated(first, last, low, high, parts), lemmas,
                                          relation=None if parts else self.relation_before(first, low)))
        return occurrences

    def relation_before(self, first: int, low: int) -> str | None:
        """The relation noun written right before a name ("his brother Alastair Osman",
        "another friend, Mariam Emara"): no role, but how the article may refer back."""
        k = first - 1
        if k >= low and self.doc.words[k].text == ",":
            k -= 1
        if k >= low and self.doc.words[k].upos == "NOUN" and self.doc.words[k].lemma.lower() in PERSON_NOUNS:
            return self.doc.words[k].lemma.lower()
        return None

    def expand(self, keys: tuple[str, ...], position: int) -> str | None:
        """The fullest form of a partial name in the article ("Mistura" -> "de Mistura" ->
        "Staffan de Mistura"), each step taking the most salient form (``salience``)."""
        full = None
        while (longer := self.longer_name(keys, position)) is not None:
            full, keys = longer.name, longer.keys
        return full

    def longer_name(self, keys: tuple[str, ...], position: int) -> Occurrence | None:
        """The most salient longer form of a name: same surname, else containing it."""
        if keys not in self.longer_forms:
            candidates = [o for o in self.by_key.get(keys[-1], []) if len(o.keys) > len(keys)
                          and o.keys[-len(keys):] == keys] if keys else []
            if keys and not candidates:
                candidates = [o for o in self.by_key.get(keys[0], [])
                              if len(o.keys) > len(keys) and contains(o.keys, keys)]
            self.longer_forms[keys] = candidates
        candidates = self.longer_forms[keys]
        if not candidates:
            return None
        return max(candidates, key=lambda o: self.salience(o, position))

    def salience(self, occurrence: Occurrence, position: int) -> tuple[int, bool, int]:
        """How likely a partial name at ``position`` means this fuller form: the form the
        article uses most ("Sanders" is Bernie, not his wife Jane named once), then the
        nearest before, else the first after."""
        before = occurrence.start < position
        return self.form_counts[occurrence.keys], before, occurrence.start if before else -occurrence.start

    def person_named(self, name: str, position: int) -> str | None:
        """The full name of the person the article names ``name`` (a surname or a full name
        it tags as a person elsewhere), or None."""
        keys = name_keys(name)
        if not keys or not any(o.keys == keys or o.keys[-len(keys):] == keys for o in self.by_key.get(keys[-1], [])):
            return None
        return self.expand(keys, position) or name

    def best_role(self, name: str) -> str | None:
        """The fullest role the article states with a person's name, else the first one a
        description of them states ("the Republican presidential nominee")."""
        stated = max(self.roles.get(name, []), key=len, default=None)
        return stated or next(iter(self.described_roles.get(name, [])), None)

    def person(self, first: int, last: int, low: int, high: int) -> Found:
        """A named person from the words of their name, the role bounded by [low, high]."""
        text = self.doc.span_text(first, last)
        full = self.expand(name_keys(text), self.doc.words[first].start) or text
        role = self.stated.stated(first, last, low, high, self.stated.parts(first, last, low, high))
        return Found(full, "person", role or self.best_role(full))

    def guess_genders(self) -> dict[str, str]:
        """"m"/"f" per full name from honorifics, gendered titles and nearby he/she."""
        votes: dict[str, list[str]] = {}
        for o in self.occurrences:
            before = bare(self.doc.words[o.first - 1]) if o.first else ""
            cues = [before] + [w.lower() for w in (o.role or "").replace(",", " ").split()]
            votes.setdefault(o.full, []).extend(gender for gender in map(gender_of, cues) if gender)
        starts = [o.start for o in self.occurrences]
        for k, word in enumerate(self.doc.words):
            gender = gender_of(word.text.lower()) if word.upos == "PRON" else None
            if not gender or not self.doc.in_body(word.start) or self.doc.in_quote(word.start) \
                    or k in self.doc.mentioned:
                continue  # a quote's "she" is what the genders are for: it cannot vote
            i = bisect_left(starts, word.start) - 1
            if i >= 0 and self.doc.sentence_of[k] - self.doc.sentence_of[self.occurrences[i].first] <= 1:
                votes.setdefault(self.occurrences[i].full, []).append(gender)
        return {name: max(("m", "f"), key=v.count) for name, v in votes.items()
                if v and v.count("m") != v.count("f")}

    def phrase(self, head: int) -> tuple[int, int]:
        """The noun phrase ending at ``head``: determiners, adjectives and nouns before it."""
        if head in self.person_of:
            return self.person_spans[self.person_of[head]]
        first = head
        while first - 1 >= 0 and self.doc.sentence_of[first - 1] == self.doc.sentence_of[head]:
            before = self.doc.words[first - 1]
            if bare(before) in DATE_WORDS or not (before.upos in ("DET", "ADJ", "NOUN", "PROPN", "NUM")
                                                  or before.text in POSSESSIVE):
                break
            if self.doc.words[first].upos == "DET" and first < head:
                break  # a determiner opens the phrase: not "[In] 2003 the party"
            first -= 1
        last = head
        while (last + 1 < len(self.doc.words) and self.doc.sentence_of[last + 1] == self.doc.sentence_of[head]
               and self.doc.words[last + 1].upos in ("NOUN", "PROPN")):
            last += 1
        return first, last

    def named_person(self, first: int, last: int) -> tuple[int, int] | None:
        """The PER entity a mention is about (not one it merely mentions: "for Lavrov", "Kerry's")."""
        for k in range(first, last + 1):
            number = self.person_of.get(k)
            if number is None:
                continue
            a, b = self.person_spans[number]
            a, b = max(a, first), min(b, last)
            span = self.doc.name_range(a, b)
            before = self.doc.words[a - 1].upos if a > first else ""
            if span and not (b < last and (self.doc.possessive(b) or self.modifies_noun(b))) and before != "ADP":
                return span
        return None

    def modifies_noun(self, k: int) -> bool:
        """Whether the name ending at ``k`` only modifies the common noun after it: "a senior
        Cruz adviser", "Clinton press secretary Brian Fallon" are not Cruz or Clinton."""
        return k + 1 < len(self.doc.words) and self.doc.words[k + 1].upos == "NOUN" \
            and self.doc.sentence_of[k + 1] == self.doc.sentence_of[k]

    def occurrences_at(self, k: int) -> list[Occurrence]:
        """The person occurrences whose name span covers word ``k``."""
        a, b = self.person_spans[self.person_of[k]]
        return [o for o in self.occurrences if a <= o.first <= b]
