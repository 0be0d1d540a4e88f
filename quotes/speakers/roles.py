"""The role written around a name: the title before it ("U.S. Secretary of State John Kerry",
"its chairman, Sir Richard Vale"), the appositive after it ("Ed Balls, ex-chief economic
adviser to the Treasury") and "X, who heads Y". Words, not the parse, decide most of it:
parsers often attach such titles to the verb rather than to the name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import bare, capitalized_modifier
from .vocabulary import ARTICLES, DATE_WORDS, HEADING_VERBS, HONORIFICS, HYPHENS, POSSESSIVE, SPEECH_WORDS
from .words import WordIndex


@dataclass
class StatedRoles:
    """Finds the role stated with a name, given the article's words and its person names
    (``person_of``: word -> name span number), which a title never runs into."""

    doc: WordIndex
    person_of: dict[int, int]

    def parts(self, first: int, last: int, low: int, high: int) -> list[tuple[int, int]]:
        """Word ranges of the title before a name ("its chairman, Sir X" too) and the
        appositive after it, within [low, high]."""
        before = self.title_before(first, last, low) or self.title_before_comma(first, low)
        return [r for r in (before, self.appositive(last, high)) if r]

    def text(self, parts: list[tuple[int, int]]) -> str | None:
        """The role's words as written, without a possessive ending ("CNN’s" -> "CNN")."""
        text = ", ".join(self.doc.span_text(a, b) for a, b in parts)
        text = re.sub(r"^\d+\s*-\s*year\s*-\s*old\s+", "", text)  # an age is no capacity
        return re.sub(r"\s*['’]s?$", "", text) or None

    def stated(self, first: int, last: int, low: int, high: int, parts: list[tuple[int, int]]) -> str | None:
        """The role written around a name: its title and appositive, else "X, who heads Y"."""
        return self.text(parts) or self.heading_role(last, high)

    def title_before(self, first: int, last: int, low: int) -> tuple[int, int] | None:
        """Words like "U.S. Secretary of State" right before a name and attached to it."""
        words = self.doc.words
        own = self.person_of.get(first)
        k = first - 1
        while k >= low and self.titlelike(k, low, own):
            k -= 1
        start = k + 1
        if any(words[j].text[:1].isupper() for j in range(start, first)):
            while not words[start].text[:1].isupper():  # "prompted President Putin"
                start += 1
        while start < first and (words[start].upos in ("ADP", "PART", "DET", "CCONJ", "PUNCT")):
            start += 1
        if start >= first or all(words[j].upos not in ("NOUN", "PROPN")
                                 or self.doc.entity_type(j) not in (None, "PER") for j in range(start, first)):
            return None
        if not self.names_a_capacity(start, first - 1):
            return None
        return start, first - 1

    def names_a_capacity(self, start: int, end: int) -> bool:
        """Whether the words before a name are a title ("former secretary of state", "Lib Dem
        spokeswoman") or an affiliation ("CNN's", "Russian"), not a phrase the name happens to
        follow ("the outright hostility [Cruz faced]", "the last time [Sanders came]", "his
        friend"): a title or role noun in it, or capitalized words only."""
        words = range(start, end + 1)
        return any(self.doc.role_noun(j) for j in words) or all(
            self.doc.words[j].text[:1].isupper() or self.doc.words[j].text in POSSESSIVE
            or self.doc.words[j].upos == "PUNCT" for j in words)

    def titlelike(self, k: int, low: int, own: int | None) -> bool:
        """Whether word ``k`` can belong to the title written right before a name.

        Lexical on purpose: parsers often attach such titles to the verb, not the name."""
        word = self.doc.words[k]
        if bare(word) in HONORIFICS | DATE_WORDS | SPEECH_WORDS or self.person_of.get(k, own) != own:
            return False
        if word.upos == "ADP":  # "Secretary of State", "Envoy for Syria", "secretary of state"
            return (word.text.lower() in ("of", "for") and k > low
                    and (self.doc.words[k - 1].text[:1].isupper() and self.doc.words[k + 1].text[:1].isupper()
                         or self.doc.role_noun(k - 1)))
        if word.text.lower() == "and":
            return self.joins_title_words(k, low)
        return word.upos in ("PROPN", "NOUN", "ADJ", "NUM") or word.text in POSSESSIVE or capitalized_modifier(word)

    def joins_title_words(self, k: int, low: int) -> bool:
        """Whether "and" at ``k`` is inside one title ("Trade and Industry Secretary", "Health
        and Human Services Secretary"): capitalized common words on both sides, neither a name
        or place ("Britain and French Foreign Minister ..." joins two phrases)."""
        if k <= low or k + 1 >= len(self.doc.words):
            return False
        return all(self.doc.words[j].text[:1].isupper() and self.doc.entity_type(j) is None
                   and j not in self.person_of for j in (k - 1, k + 1))

    def title_before_comma(self, first: int, low: int) -> tuple[int, int] | None:
        """"said its chairman, Sir Richard Vale", "France's secretary of state for the elderly,
        Pascale Boistard": a noun phrase with a role noun and a determiner or possessive, a
        comma, then the name (honorifics between are neither name nor role)."""
        words = self.doc.words
        k = first - 1
        while k >= low and bare(words[k]) in HONORIFICS:
            k -= 1
        if k <= low or words[k].text != ",":
            return None
        end = k - 1
        head = end  # the role noun, before any "of"/"for" phrase: "secretary [of state ...]"
        while head >= max(low, end - 8) and not self.doc.role_noun(head):
            if not (words[head].upos in ("DET", "ADJ", "NOUN", "PROPN", "NUM")
                    or words[head].text.lower() in ("of", "for", "to")):
                return None
            head -= 1
        if head < max(low, end - 8) or head in self.person_of:
            return None
        start = head
        while start - 1 >= low and (words[start - 1].upos in ("ADJ", "NOUN", "PROPN", "NUM")
                                    or words[start - 1].text in POSSESSIVE) \
                and start - 1 not in self.person_of:
            start -= 1
        opener = words[start - 1] if start - 1 >= low else None
        determined = opener is not None and opener.upos in ("DET", "PRON") or any(
            words[j].text in POSSESSIVE for j in range(start, head))
        if not determined or opener is not None and opener.upos in ("VERB", "AUX"):
            return None
        return start, end

    def appositive(self, last: int, high: int) -> tuple[int, int] | None:
        """", the spokesman for Failaq al-Rahman" after a name: that phrase, article dropped;
        an age before it (", 67, a retired teacher") skipped, a relative clause after it
        (", a pollster who worked on ...") left out."""
        if last + 1 > high or self.doc.words[last + 1].text != ",":
            return None
        if last + 3 <= high and self.doc.words[last + 2].upos == "NUM" and self.doc.words[last + 3].text == ",":
            last += 2  # ", 67,"
        start = last + 2
        while start <= high and self.doc.words[start].text.lower() in ARTICLES:
            start += 1
        end = start
        while end <= high and (self.doc.words[end].upos != "PUNCT" or self.doc.words[end].text in HYPHENS) \
                and end - start < 15 and not self.doc.opens_clause(end):
            end += 1
        end -= 1
        if end < start or self.doc.entity_type(start) == "PER":
            return None
        words = self.doc.words[start:end + 1]
        nominal = [w.upos in ("NOUN", "ADJ", "PROPN") or self.doc.role_noun(k)
                   for k, w in enumerate(words, start)]
        if words[0].upos == "NUM" and len(words) > 1 and words[1].text in HYPHENS:
            nominal[0] = True  # "a 38-year-old veteran staffer"
        if not nominal[0] or words[0].text.lower() in SPEECH_WORDS:
            return None
        if any(w.upos in ("VERB", "AUX", "PRON", "SCONJ") and not ok for w, ok in zip(words, nominal, strict=True)):
            return None
        if not any(w.upos == "NOUN" or self.doc.role_noun(k) for k, w in enumerate(words, start)):
            return None
        return start, end

    def heading_role(self, last: int, high: int) -> str | None:
        """"Laura Chen, who heads the Refugee Council" -> "head of the Refugee Council"."""
        words = self.doc.words
        if last + 4 > high or words[last + 1].text != "," or words[last + 2].text.lower() != "who":
            return None
        verb = words[last + 3]
        if verb.upos != "VERB" or verb.lemma.lower() not in HEADING_VERBS:
            return None
        end = last + 4
        while end + 1 <= high and (words[end + 1].upos in ("DET", "ADJ", "NOUN", "PROPN", "NUM")
                                   or words[end + 1].text.lower() in ("of", "for")
                                   or words[end + 1].text in POSSESSIVE):
            end += 1  # the organisation: "the Refugee Council", "the Bank of England"
        if words[end].upos not in ("NOUN", "PROPN"):
            return None
        return f"{HEADING_VERBS[verb.lemma.lower()]} of {self.doc.span_text(last + 4, end)}"
