"""The persons an article names, with the roles it states and the genders it shows: built
once from the word index, then asked for the fullest form of a name and a person's role."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .names import Found, Occurrence, bare, capitalized_modifier, contains, gender_of, name_keys, word_set
from .vocabulary import (DATE_WORDS, DAYS, HONORIFICS, HYPHENS, NAME_PARTICLES, ORG_HEADS, POSSESSIVE, SPEECH_WORDS,
                         TITLE_WORDS, ARTICLES)
from .words import WordIndex


@dataclass
class Persons:
    """Who the article names: name spans, occurrences with roles, and genders."""

    doc: WordIndex
    person_spans: list[tuple[int, int]] = field(default_factory=list)
    person_of: dict[int, int] = field(default_factory=dict)
    in_role: set[int] = field(default_factory=set)  # words inside a stated role
    occurrences: list[Occurrence] = field(default_factory=list)
    by_key: dict[str, list[Occurrence]] = field(default_factory=dict)
    longer_forms: dict[tuple[str, ...], list[Occurrence]] = field(default_factory=dict)
    roles: dict[str, list[str]] = field(default_factory=dict)
    titled: dict[str, list[tuple[int, str, set[str]]]] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: WordIndex) -> Persons:
        """Name spans first, then the occurrences (each marking the words of its role, which
        then name no one), their full names, roles and titles, and last the genders."""
        persons = cls(doc)
        persons.person_spans = persons.join_person_spans()
        persons.person_of = {k: n for n, (a, b) in enumerate(persons.person_spans) for k in range(a, b + 1)}
        persons.occurrences = persons.find_persons()
        for occurrence in persons.occurrences:
            for key in set(occurrence.keys):
                persons.by_key.setdefault(key, []).append(occurrence)
        for occurrence in persons.occurrences:
            occurrence.full = persons.expand(occurrence.keys, occurrence.start) or occurrence.name
            if occurrence.role:
                persons.roles.setdefault(occurrence.full, []).append(occurrence.role)
            for lemma in occurrence.role_lemmas:
                persons.titled.setdefault(lemma, []).append(
                    (occurrence.start, occurrence.full, word_set(occurrence.role)))
        persons.gender = persons.guess_genders()
        return persons

    def join_person_spans(self) -> list[tuple[int, int]]:
        """PER entities as word ranges, pieces of one name joined: the tagger often splits
        "Bashar al-Assad" or "Jean-Marc Ayrault" at the hyphen."""
        spans: list[tuple[int, int]] = []
        for entity, span in zip(self.doc.entities, self.doc.entity_ranges):
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
            spans.append((first, self.hyphenated_end(last)))
        return spans

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
            parts = self.role_parts(first, last, low, high)
            words = [k for a, b in parts for k in range(a, b + 1)]
            self.in_role.update(words)
            lemmas = [self.doc.words[k].lemma.lower() for k in words if self.doc.words[k].upos in ("NOUN", "PROPN")]
            text = self.doc.span_text(first, last)
            occurrences.append(Occurrence(self.doc.words[first].start, first, text, name_keys(text),
                                          self.role_text(parts), lemmas))
        return occurrences

    def expand(self, keys: tuple[str, ...], position: int) -> str | None:
        """The fullest form of a partial name in the article ("Mistura" -> "de Mistura" ->
        "Staffan de Mistura"), each step taking the form nearest before ``position``."""
        full = None
        while (longer := self.longer_name(keys, position)) is not None:
            full, keys = longer.name, longer.keys
        return full

    def longer_name(self, keys: tuple[str, ...], position: int) -> Occurrence | None:
        """The nearest (else the first) longer form of a name: same surname, else containing it."""
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
        i = bisect_right(candidates, position, key=lambda o: o.start) - 1
        return candidates[max(i, 0)]

    def best_role(self, name: str) -> str | None:
        """The fullest role the article states for a person."""
        return max(self.roles.get(name, []), key=len, default=None)

    def person(self, first: int, last: int, low: int, high: int) -> Found:
        """A named person from the words of their name, the role bounded by [low, high]."""
        text = self.doc.span_text(first, last)
        full = self.expand(name_keys(text), self.doc.words[first].start) or text
        role = self.role_text(self.role_parts(first, last, low, high))
        return Found(full, "person", role or self.best_role(full))

    def role_parts(self, first: int, last: int, low: int, high: int) -> list[tuple[int, int]]:
        """Word ranges of the title before a name and the appositive after it, within [low, high]."""
        return [r for r in (self.title_before(first, last, low), self.appositive(last, high)) if r]

    def role_text(self, parts: list[tuple[int, int]]) -> str | None:
        return ", ".join(self.doc.span_text(a, b) for a, b in parts) or None

    def title_before(self, first: int, last: int, low: int) -> tuple[int, int] | None:
        """Words like "U.S. Secretary of State" right before a name and attached to it."""
        own = self.person_of.get(first)
        k = first - 1
        while k >= low and self.titlelike(k, low, own):
            k -= 1
        start = k + 1
        if any(self.doc.words[j].text[:1].isupper() for j in range(start, first)):
            while not self.doc.words[start].text[:1].isupper():  # "prompted President Putin"
                start += 1
        while start < first and (self.doc.words[start].upos in ("ADP", "PART", "DET", "CCONJ", "PUNCT")):
            start += 1
        if start >= first or all(self.doc.words[j].upos not in ("NOUN", "PROPN")
                                 or self.doc.entity_type(j) not in (None, "PER") for j in range(start, first)):
            return None
        return start, first - 1

    def titlelike(self, k: int, low: int, own: int | None) -> bool:
        """Whether word ``k`` can belong to the title written right before a name.

        Lexical on purpose: parsers often attach such titles to the verb, not the name."""
        word = self.doc.words[k]
        if bare(word) in HONORIFICS | DATE_WORDS | SPEECH_WORDS or self.person_of.get(k, own) != own:
            return False
        if word.upos == "ADP":  # "Secretary of State", "Envoy for Syria"
            return (word.text.lower() in ("of", "for") and k > low
                    and self.doc.words[k - 1].text[:1].isupper() and self.doc.words[k + 1].text[:1].isupper())
        return word.upos in ("PROPN", "NOUN", "ADJ", "NUM") or word.text in POSSESSIVE or capitalized_modifier(word)

    def appositive(self, last: int, high: int) -> tuple[int, int] | None:
        """", the spokesman for Failaq al-Rahman" after a name: that phrase, article dropped."""
        if last + 1 > high or self.doc.words[last + 1].text != ",":
            return None
        start = last + 2
        while start <= high and self.doc.words[start].text.lower() in ARTICLES:
            start += 1
        end = start
        while end <= high and (self.doc.words[end].upos != "PUNCT" or self.doc.words[end].text in HYPHENS) \
                and end - start < 15:
            end += 1
        end -= 1
        if end < start or self.doc.entity_type(start) == "PER":
            return None
        words = self.doc.words[start:end + 1]
        if words[0].upos not in ("NOUN", "ADJ", "PROPN") or words[0].text.lower() in SPEECH_WORDS:
            return None
        if any(w.upos in ("VERB", "AUX", "PRON", "SCONJ") for w in words):
            return None
        if not any(w.upos == "NOUN" or bare(w) in TITLE_WORDS for w in words):
            return None
        return start, end

    def guess_genders(self) -> dict[str, str]:
        """"m"/"f" per full name from honorifics, gendered titles and nearby he/she."""
        votes: dict[str, list[str]] = {}
        for o in self.occurrences:
            before = bare(self.doc.words[o.first - 1]) if o.first else ""
            cues = [before] + [w.lower() for w in (o.role or "").replace(",", " ").split()]
            votes.setdefault(o.full, []).extend(gender_of(w) for w in cues if gender_of(w))
        starts = [o.start for o in self.occurrences]
        for k, word in enumerate(self.doc.words):
            gender = gender_of(word.text.lower()) if word.upos == "PRON" else None
            if not gender or not self.doc.in_body(word.start) or self.doc.in_quote(word.start):
                continue
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
            if span and not (b < last and self.doc.possessive(b)) and before != "ADP":
                return span
        return None
