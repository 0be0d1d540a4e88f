"""Speakers: turn each quote's speaker mention into a name, a type and a role.

Everything here happens inside one article. The finder hands over the local mention
("Lavrov", "he", "the ministry", "a Syrian military source"); this module says who that is
as far as the article tells: ``Lavrov`` is the ``Sergei Lavrov`` named elsewhere in it,
``he`` the previous quote's speaker or the latest matching subject, ``the ministry`` the last
ministry named, and a person's role is the fullest one the article states. Names are kept
apart from titles and honorifics so the cross-article registry can match them.

All lookups go through per-article indexes (dicts of position-sorted lists searched with
bisect), so long articles cost little more than one pass over their words.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .lexicon import lexicon
from .document import Document, as_document
from .models import ParsedArticle, Quote, Span, SpeakerRef, Word

LEXICON = lexicon()
NAMES = LEXICON.names
CALENDAR = LEXICON.language.calendar
HONORIFICS = set(NAMES.honorifics)
# Words that title a name rather than belong to it ("President", "Lt.", "Foreign Minister").
TITLE_WORDS = set(NAMES.titles)
ORG_HEADS = set(NAMES.organisation_heads_for("mention"))
# Populations that speak as a crowd: only plural, unnamed mentions of these are groups.
GROUP_HEADS = set(NAMES.group_heads)
MALE_WORDS = set(NAMES.male)
FEMALE_WORDS = set(NAMES.female)
PRONOUN_KIND = NAMES.pronoun_kinds()
# Lowercase particles inside names ("Bashar al-Assad", "Staffan de Mistura") and dates that
# sit right before names without titling them ("on Thursday Kerry said").
NAME_PARTICLES = set(NAMES.particles_for("joins"))
HYPHENS = {"-", "‐"}
DAYS = set(CALENDAR.days + CALENDAR.relative_days)
DATE_WORDS = DAYS | set(CALENDAR.months) | set(CALENDAR.month_abbreviations)
# Verbs and prepositions the tagger may take for nouns right before or after a name.
SPEECH_WORDS = set(LEXICON.cues.forms("not_in_names")) | set(LEXICON.cues.words.not_in_names)
ARTICLES = set(LEXICON.language.grammar.articles)
DEFINITE = set(LEXICON.language.grammar.definite)
NOMINAL = {"NOUN", "PROPN", "NUM", "PRON"}
POSSESSIVE = {"'s", "’s", "'", "’"}
# Punctuation after which a capital only marks a new sentence or quote.
OPENERS = {".", "!", "?", "“", "\"", "‘", "(", "[", "—", "–", ":", "-"}
# Byline ("By Jack Stubbs and John Davison") and credits ("Additional reporting by ...").
CREDITS = re.compile(r"(?i:\b(?:reporting|writing|editing|compiled|produced)\s+by\b"
                     r"|contributed to this report)"
                     r"|^\W*(?i:by)\s+[A-Z][\w.'’-]*(?:\s*(?:[A-Z][\w.'’-]*|and|,))*\s*$")
MAX_LOOKBACK = 50


@dataclass
class Found:
    """A resolved speaker before it is attached to a mention, with its grammatical number."""

    name: str
    type: str
    role: str | None = None
    plural: bool = False

    def ref(self, mention: Span | None) -> SpeakerRef:
        return SpeakerRef(mention=mention, name=self.name, type=self.type, role=self.role)


@dataclass
class Occurrence:
    """One place the article body names a person."""

    start: int
    first: int  # flat word index where the name (titles and honorifics excluded) begins
    name: str
    keys: tuple[str, ...]
    role: str | None
    role_lemmas: list[str] = field(default_factory=list)
    full: str = ""


@dataclass
class Said:
    """A quote already resolved, as pronouns and continuations look back at it."""

    quote: Quote
    found: Found
    raw_name: str | None


def resolve_speakers(parsed: ParsedArticle | Document, quotes: list[Quote]) -> list[Quote]:
    """Copies of ``quotes`` whose speaker has a name, type and role resolved in the article."""
    index = ArticleIndex(parsed, quotes)
    resolved: dict[int, Quote] = {}
    history: list[Said] = []
    for position in sorted(range(len(quotes)), key=lambda i: quotes[i].start):
        quote = quotes[position]
        if quote.speaker is None:
            resolved[position] = quote.model_copy()
            continue
        found = index.resolve_quote(quote, history)
        history.append(Said(quote, found, quote.speaker.name))
        speaker = found.ref(quote.speaker.mention)
        resolved[position] = quote.model_copy(update={"speaker": speaker})
    return [resolved[i] for i in range(len(quotes))]


def name_keys(name: str) -> tuple[str, ...]:
    """Comparable tokens of a name: "Bashar al-Assad" and "Assad" share the key "assad"."""
    keys = []
    for token in name.replace("’", "'").split():
        token = token.lower().removesuffix("'s").strip(".,'")
        for prefix in ("al-", "el-"):
            token = token.removeprefix(prefix)
        if token:
            keys.append(token)
    return tuple(keys)


def contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether ``shorter`` occurs as a contiguous run inside ``longer``."""
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def bare(word: Word) -> str:
    """A word lowercased without dots: "Mr." -> "mr", "U.S." -> "us"."""
    return word.text.lower().replace(".", "")


class ArticleIndex:
    """Words, entities, persons, roles and subjects of one article, indexed by position."""

    def __init__(self, parsed: ParsedArticle | Document, quotes: list[Quote]):
        document = as_document(parsed)
        article = document.article
        self.text = article.text
        self.words: list[Word] = []
        self.sentence_of: list[int] = []
        self.heads: list[int] = []
        for number, sentence in enumerate(document.sentences):
            base = len(self.words)
            for word in sentence.words:
                self.words.append(word)
                self.sentence_of.append(number)
                self.heads.append(base + word.head - 1 if word.head else -1)
        self.starts = [w.start for w in self.words]
        # Words the article capitalizes inside sentences ("Russian", "Syrian"): proper words,
        # so they keep their capital where they open a sentence too.
        self.proper_words = {w.text for k, w in enumerate(self.words)
                             if k and w.text[:1].isupper() and w.text[1:].islower()
                             and self.sentence_of[k - 1] == self.sentence_of[k]
                             and self.words[k - 1].text not in OPENERS}
        # Words the article writes in lower case somewhere: common words wherever they stand
        # ("Administration officials" opening a sentence, "administration officials" later).
        self.lowercase_words = {w.text for w in self.words if w.text.islower()}
        self.ends = [w.end for w in self.words]
        paragraphs = document.written_paragraphs()
        self.paragraph_starts = [start for start, _ in paragraphs]
        self.credits = {i for i, (start, end) in enumerate(paragraphs) if CREDITS.search(self.text[start:end])}
        self.body = document.body
        self.quoted = merge_spans((q.start, q.end) for q in quotes)
        self.quoted_starts = [start for start, _ in self.quoted]
        self.entity_of: dict[int, int] = {}
        self.place_names = {e.text for e in document.entities if e.type == "LOC" and " " not in e.text}
        self.entities = [e for e in document.entities if self.in_body(e.start)]
        self.entity_ranges = [self.word_range(e.start, e.end) for e in self.entities]
        for number, span in enumerate(self.entity_ranges):
            for k in range(span[0], span[1] + 1) if span else ():
                self.entity_of[k] = number
        self.person_spans = self.join_person_spans()
        self.person_of = {k: n for n, (a, b) in enumerate(self.person_spans) for k in range(a, b + 1)}
        self.in_role: set[int] = set()
        self.occurrences = self.find_persons()
        self.by_key: dict[str, list[Occurrence]] = {}
        self.longer_forms: dict[tuple[str, ...], list[Occurrence]] = {}
        for occurrence in self.occurrences:
            for key in set(occurrence.keys):
                self.by_key.setdefault(key, []).append(occurrence)
        self.roles: dict[str, list[str]] = {}
        self.titled: dict[str, list[tuple[int, str, set[str]]]] = {}
        for occurrence in self.occurrences:
            occurrence.full = self.expand(occurrence.keys, occurrence.start) or occurrence.name
            if occurrence.role:
                self.roles.setdefault(occurrence.full, []).append(occurrence.role)
            for lemma in occurrence.role_lemmas:
                self.titled.setdefault(lemma, []).append(
                    (occurrence.start, occurrence.full, word_set(occurrence.role)))
        self.gender = self.guess_genders()
        self.organization_names = {clean_name(e.text) for e in document.entities if e.type != "PER"}
        self.organizations = self.index_organizations()
        self.described: dict[str, list[tuple[int, Found, set[str]]]] = {}
        self.subjects = self.find_subjects()
        self.subject_starts = [start for start, _ in self.subjects]

    # -- positions -------------------------------------------------------------------

    def in_body(self, position: int) -> bool:
        """Inside the article body and not in a byline or credits paragraph."""
        return (self.body[0] <= position < self.body[1]
                and self.paragraph(position) not in self.credits)

    def paragraph(self, position: int) -> int:
        """Number of the (non-blank) paragraph holding ``position``."""
        return bisect_right(self.paragraph_starts, position) - 1

    def in_quote(self, position: int) -> bool:
        i = bisect_right(self.quoted_starts, position) - 1
        return i >= 0 and position < self.quoted[i][1]

    def word_range(self, start: int, end: int) -> tuple[int, int] | None:
        """First and last flat word indexes overlapping ``text[start:end]``."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end) - 1
        return (first, last) if first <= last else None

    def sentence_at(self, position: int) -> int:
        k = max(bisect_right(self.starts, position) - 1, 0)
        return self.sentence_of[k] if self.words else 0

    def span_text(self, first: int, last: int) -> str:
        return self.text[self.words[first].start:self.words[last].end]

    def entity_type(self, k: int) -> str | None:
        number = self.entity_of.get(k)
        return self.entities[number].type if number is not None else None

    # -- persons ---------------------------------------------------------------------

    def join_person_spans(self) -> list[tuple[int, int]]:
        """PER entities as word ranges, pieces of one name joined: the tagger often splits
        "Bashar al-Assad" or "Jean-Marc Ayrault" at the hyphen."""
        spans: list[tuple[int, int]] = []
        for entity, span in zip(self.entities, self.entity_ranges):
            if entity.type != "PER" or span is None or entity.text.lower() in ORG_HEADS or all(
                    bare(self.words[k]) in TITLE_WORDS | HONORIFICS | DAYS or self.words[k].upos == "ADJ"
                    for k in range(span[0], span[1] + 1)):
                continue  # a title, a day or an adjective alone ("Envoy", "Republican") names no one
            first, last = span
            if spans and self.sentence_of[spans[-1][1]] == self.sentence_of[first] and all(
                    self.words[k].text.lower() in NAME_PARTICLES | HYPHENS or
                    self.words[k].upos == "PROPN" and k not in self.entity_of
                    for k in range(spans[-1][1] + 1, first)) and first - spans[-1][1] <= 3:
                first = spans.pop()[0]
            while first > 0 and self.words[first - 1].text in NAME_PARTICLES \
                    and self.sentence_of[first - 1] == self.sentence_of[first]:
                first -= 1  # "de Mistura"
            spans.append((first, self.hyphenated_end(last)))
        return spans

    def hyphenated_end(self, last: int) -> int:
        """Extend a name over a written-together tail the tagger left out ("Bashar" + "al-Assad")."""
        while last + 2 < len(self.words) and self.sentence_of[last + 2] == self.sentence_of[last]:
            k = last + 1 if self.words[last + 1].text in NAME_PARTICLES else last
            if not (self.hyphen_joins(k) and self.words[k + 2].text[:1].isupper()):
                break
            last = k + 2
        return last

    def hyphen_joins(self, k: int) -> bool:
        """Whether word ``k`` and the word two after it are written as one with a hyphen
        between them ("Holtz-Eakin", "AFL-CIO"), which the tokenizer makes three words."""
        if k + 2 >= len(self.words) or self.words[k + 1].text not in HYPHENS:
            return False
        word, hyphen, tail = self.words[k:k + 3]
        return word.end == hyphen.start and hyphen.end == tail.start

    def find_persons(self) -> list[Occurrence]:
        """Every person named in the body, as a name without titles, with its stated role."""
        occurrences = []
        for span in self.person_spans:
            name = self.name_range(*span)
            if name is None:
                continue
            first, last = name
            if first in self.in_role:  # "Rahman" in "the spokesman for Failaq al-Rahman"
                continue
            sentence = self.sentence_of[first]
            low = bisect_left(self.sentence_of, sentence)
            high = bisect_right(self.sentence_of, sentence) - 1
            parts = self.role_parts(first, last, low, high)
            words = [k for a, b in parts for k in range(a, b + 1)]
            self.in_role.update(words)
            lemmas = [self.words[k].lemma.lower() for k in words if self.words[k].upos in ("NOUN", "PROPN")]
            text = self.span_text(first, last)
            occurrences.append(Occurrence(self.words[first].start, first, text, name_keys(text),
                                          self.role_text(parts), lemmas))
        return occurrences

    def name_range(self, first: int, last: int) -> tuple[int, int] | None:
        """The name inside a PER span: leading titles/honorifics and a trailing 's dropped;
        a name starts after the last title between two joined names ("[German Foreign]
        Minister [Frank-Walter Steinmeier]"), never inside one ("Larry King's")."""
        titles = [k for k in range(first, last) if bare(self.words[k]) in TITLE_WORDS and k not in self.entity_of]
        first = titles[-1] + 1 if titles else first
        while first < last and (bare(self.words[first]) in HONORIFICS | TITLE_WORDS
                                or self.words[first].text in self.place_names):
            first += 1
        while last >= first and (self.words[last].text in POSSESSIVE or self.words[last].upos == "PUNCT"):
            last -= 1
        if first == last and bare(self.words[first]) in HONORIFICS:  # "Ms" alone names no one
            return None
        return (first, last) if first <= last else None

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
        text = self.span_text(first, last)
        full = self.expand(name_keys(text), self.words[first].start) or text
        role = self.role_text(self.role_parts(first, last, low, high))
        return Found(full, "person", role or self.best_role(full))

    # -- roles -----------------------------------------------------------------------

    def role_parts(self, first: int, last: int, low: int, high: int) -> list[tuple[int, int]]:
        """Word ranges of the title before a name and the appositive after it, within [low, high]."""
        return [r for r in (self.title_before(first, last, low), self.appositive(last, high)) if r]

    def role_text(self, parts: list[tuple[int, int]]) -> str | None:
        return ", ".join(self.span_text(a, b) for a, b in parts) or None

    def title_before(self, first: int, last: int, low: int) -> tuple[int, int] | None:
        """Words like "U.S. Secretary of State" right before a name and attached to it."""
        own = self.person_of.get(first)
        k = first - 1
        while k >= low and self.titlelike(k, low, own):
            k -= 1
        start = k + 1
        if any(self.words[j].text[:1].isupper() for j in range(start, first)):
            while not self.words[start].text[:1].isupper():  # "prompted President Putin"
                start += 1
        while start < first and (self.words[start].upos in ("ADP", "PART", "DET", "CCONJ", "PUNCT")):
            start += 1
        if start >= first or all(self.words[j].upos not in ("NOUN", "PROPN")
                                 or self.entity_type(j) not in (None, "PER") for j in range(start, first)):
            return None
        return start, first - 1

    def titlelike(self, k: int, low: int, own: int | None) -> bool:
        """Whether word ``k`` can belong to the title written right before a name.

        Lexical on purpose: parsers often attach such titles to the verb, not the name."""
        word = self.words[k]
        if bare(word) in HONORIFICS | DATE_WORDS | SPEECH_WORDS or self.person_of.get(k, own) != own:
            return False
        if word.upos == "ADP":  # "Secretary of State", "Envoy for Syria"
            return (word.text.lower() in ("of", "for") and k > low
                    and self.words[k - 1].text[:1].isupper() and self.words[k + 1].text[:1].isupper())
        return word.upos in ("PROPN", "NOUN", "ADJ", "NUM") or word.text in POSSESSIVE or capitalized_modifier(word)

    def appositive(self, last: int, high: int) -> tuple[int, int] | None:
        """", the spokesman for Failaq al-Rahman" after a name: that phrase, article dropped."""
        if last + 1 > high or self.words[last + 1].text != ",":
            return None
        start = last + 2
        while start <= high and self.words[start].text.lower() in ARTICLES:
            start += 1
        end = start
        while end <= high and (self.words[end].upos != "PUNCT" or self.words[end].text in HYPHENS) \
                and end - start < 15:
            end += 1
        end -= 1
        if end < start or self.entity_type(start) == "PER":
            return None
        words = self.words[start:end + 1]
        if words[0].upos not in ("NOUN", "ADJ", "PROPN") or words[0].text.lower() in SPEECH_WORDS:
            return None
        if any(w.upos in ("VERB", "AUX", "PRON", "SCONJ") for w in words):
            return None
        if not any(w.upos == "NOUN" or bare(w) in TITLE_WORDS for w in words):
            return None
        return start, end

    # -- genders, organizations, subjects ------------------------------------------

    def guess_genders(self) -> dict[str, str]:
        """"m"/"f" per full name from honorifics, gendered titles and nearby he/she."""
        votes: dict[str, list[str]] = {}
        for o in self.occurrences:
            before = bare(self.words[o.first - 1]) if o.first else ""
            cues = [before] + [w.lower() for w in (o.role or "").replace(",", " ").split()]
            votes.setdefault(o.full, []).extend(gender_of(w) for w in cues if gender_of(w))
        starts = [o.start for o in self.occurrences]
        for k, word in enumerate(self.words):
            gender = gender_of(word.text.lower()) if word.upos == "PRON" else None
            if not gender or not self.in_body(word.start) or self.in_quote(word.start):
                continue
            i = bisect_left(starts, word.start) - 1
            if i >= 0 and self.sentence_of[k] - self.sentence_of[self.occurrences[i].first] <= 1:
                votes.setdefault(self.occurrences[i].full, []).append(gender)
        return {name: max(("m", "f"), key=v.count) for name, v in votes.items()
                if v and v.count("m") != v.count("f")}

    def index_organizations(self) -> dict[str, list[tuple[int, str, set[str]]]]:
        """ORG entities by each of their lowercased words, so "the ministry" finds them."""
        index: dict[str, list[tuple[int, str, set[str]]]] = {}
        for entity in self.entities:
            if entity.type == "ORG":
                name = clean_name(entity.text)
                words = word_set(name)
                for key in words:
                    index.setdefault(key, []).append((entity.start, name, words))
        return index

    def find_subjects(self) -> list[tuple[int, Found]]:
        """Nominal subjects outside quotes, in order: what pronouns may point back to."""
        subjects = []
        covered = -1
        for k, word in enumerate(self.words):
            if (k <= covered or word.upos not in ("NOUN", "PROPN") or not self.is_subject(k)
                    or not self.in_body(word.start) or self.in_quote(word.start)):
                continue
            first, last = self.phrase(k)
            covered = last
            found = self.describe(first, last)
            subjects.append((self.words[first].start, found))
            if found.type != "person":  # for "the officials", "the ministry" later on
                lemma = self.words[self.lexical_head(first, last)].lemma.lower()
                entry = (self.words[first].start, found, word_set(found.name))
                self.described.setdefault(lemma, []).append(entry)
        return subjects

    def is_subject(self, k: int) -> bool:
        """Tagged as a subject, or a phrase followed by a verb ("Lavrov told", "Assad also said",
        "Wael Alwan, the spokesman for Failaq al-Rahman, said")."""
        if k in self.in_role:
            return False
        if self.words[k].deprel.startswith("nsubj"):
            return True
        after = self.phrase(k)[1] + 1
        while after < len(self.words) and (
                self.words[after].upos == "ADV" or after in self.in_role
                or self.words[after].text == "," and {after - 1, after + 1} & self.in_role):
            after += 1
        return (after < len(self.words) and self.sentence_of[after] == self.sentence_of[k]
                and (self.words[after].upos in ("VERB", "AUX") or self.words[after].text in SPEECH_WORDS))

    def phrase(self, head: int) -> tuple[int, int]:
        """The noun phrase ending at ``head``: determiners, adjectives and nouns before it."""
        if head in self.person_of:
            return self.person_spans[self.person_of[head]]
        first = head
        while first - 1 >= 0 and self.sentence_of[first - 1] == self.sentence_of[head]:
            before = self.words[first - 1]
            if bare(before) in DATE_WORDS or not (before.upos in ("DET", "ADJ", "NOUN", "PROPN", "NUM")
                                                  or before.text in POSSESSIVE):
                break
            first -= 1
        last = head
        while (last + 1 < len(self.words) and self.sentence_of[last + 1] == self.sentence_of[head]
               and self.words[last + 1].upos in ("NOUN", "PROPN")):
            last += 1
        return first, last

    # -- mentions --------------------------------------------------------------------

    def resolve_quote(self, quote: Quote, history: list[Said]) -> Found:
        """The speaker of one quote, given the quotes before it."""
        speaker = quote.speaker
        if speaker.mention is None:
            return self.continuation(speaker, history)
        span = self.word_range(speaker.mention.start, speaker.mention.end)
        if span is None:
            return Found(speaker.mention.text.strip() or speaker.name, "unnamed")
        first, last = span
        if first == last and self.words[first].text.lower() in PRONOUN_KIND:
            return self.pronoun(first, history) or Found(speaker.mention.text, "unnamed")
        return self.describe(first, last)

    def continuation(self, speaker: SpeakerRef, history: list[Said]) -> Found:
        """A quote going on from an earlier one: the same speaker as resolved there."""
        for said in reversed(history[-MAX_LOOKBACK:]):
            if said.raw_name == speaker.name:
                return said.found
        if history:
            return history[-1].found
        full = self.expand(name_keys(speaker.name), len(self.text)) or speaker.name
        return Found(full, speaker.type, speaker.role or self.best_role(full))

    def describe(self, first: int, last: int) -> Found:
        """What a (non-pronoun) mention names: a person, an organization, a group or nobody."""
        last = self.name_after_title(first, last)
        named = self.named_person(first, last)
        if named:
            return self.person(*named, first, last)
        head = self.lexical_head(first, last)
        word = self.words[head]
        lemma = word.lemma.lower()
        plural = is_plural(word)
        number = self.entity_of.get(head)
        if number is not None and self.entities[number].type in ("ORG", "LOC", "GPE"):
            return Found(self.entity_name(number, first, last), "organization", plural=plural)
        modifiers = self.definite_modifiers(first, head)
        if lemma in ORG_HEADS or bare(word) in ORG_HEADS:
            return self.organization(first, last, head, modifiers)
        group_noun = lemma in GROUP_HEADS or singular(word.text) in GROUP_HEADS
        if word.upos == "PROPN" and word.text[:1].isupper() and not group_noun:
            return self.proper_run(head, first, last)
        if modifiers is not None:
            titled = self.last_matching(self.titled.get(lemma, []), word.start, modifiers)
            if titled:  # "the envoy" -> the latest person whose role has "envoy"
                return Found(titled[1], "person", self.best_role(titled[1]))
            found = self.last_matching(self.described.get(lemma, []), word.start, modifiers)
            if found:  # "the officials" -> the "administration officials" met before
                return found[1]
        kind = "group" if group_noun and (plural or word.text.lower().endswith("s")) else "unnamed"
        return Found(self.description(first, last), kind, plural=plural)

    def name_after_title(self, first: int, last: int) -> int:
        """The mention's end, moved over the name its title goes on to: a mention cut at
        "Russian Deputy" or "U.S. Secretary of State" names whoever follows the title."""
        if bare(self.words[last]) not in TITLE_WORDS or not self.words[last].text[:1].isupper():
            return last
        k = last + 1
        while (k < len(self.words) and self.sentence_of[k] == self.sentence_of[last]
               and k not in self.person_of and bare(self.words[k]) in TITLE_WORDS | {"of", "for"}):
            k += 1  # the rest of the title: "Foreign Minister", "of State"
        if k >= len(self.words) or self.sentence_of[k] != self.sentence_of[last]:
            return last
        if k in self.person_of and self.person_spans[self.person_of[k]][0] >= first:
            return self.person_spans[self.person_of[k]][1]
        end = k - 1
        while (end + 1 < len(self.words) and self.sentence_of[end + 1] == self.sentence_of[last]
               and self.words[end + 1].upos == "PROPN" and self.words[end + 1].text[:1].isupper()
               and self.entity_type(end + 1) is None):
            end += 1  # a name the tagger missed: "Minister Sergei Ryabkov"
        return end if end >= k else last

    def entity_name(self, number: int, first: int, last: int) -> str:
        """An ORG/LOC entity's name, widened over capitalized words the tagger left out
        inside the mention ("The United Nations" tagged only on "Nations", "AFL-CIO" on "CIO")."""
        a, b = self.entity_ranges[number]
        while a - 1 >= first:
            if self.capitalized(a - 1):
                a -= 1
            elif a - 2 >= first and self.hyphen_joins(a - 2) and self.capitalized(a - 2):
                a -= 2
            else:
                break
        while b + 1 <= last:
            if self.capitalized(b + 1):
                b += 1
            elif self.hyphen_joins(b) and b + 2 <= last and self.capitalized(b + 2):
                b += 2  # "AFL-CIO" tagged only on "CIO"
            elif self.words[b + 1].text in ("of", "for") and b + 2 <= last and self.capitalized(b + 2):
                b += 2  # "Observatory for Human Rights"
            else:
                break
        return clean_name(self.span_text(a, b))

    def possessive(self, k: int) -> bool:
        """Whether word ``k`` ends a possessor ("Syria's", "Kerry’s")."""
        return self.words[k].text in POSSESSIVE or (
            k + 1 < len(self.words) and self.words[k + 1].text in POSSESSIVE)

    def capitalized(self, k: int) -> bool:
        word = self.words[k]
        return (word.upos in ("PROPN", "NOUN", "ADJ") or capitalized_modifier(word)) and word.text[:1].isupper()

    def named_person(self, first: int, last: int) -> tuple[int, int] | None:
        """The PER entity a mention is about (not one it merely mentions: "for Lavrov", "Kerry's")."""
        for k in range(first, last + 1):
            number = self.person_of.get(k)
            if number is None:
                continue
            a, b = self.person_spans[number]
            a, b = max(a, first), min(b, last)
            span = self.name_range(a, b)
            before = self.words[a - 1].upos if a > first else ""
            if span and not (b < last and self.possessive(b)) and before != "ADP":
                return span
        return None

    def lexical_head(self, first: int, last: int) -> int:
        """The mention's head noun: the last nominal before a preposition, comma or clause."""
        head = None
        for k in range(first, last + 1):
            word = self.words[k]
            joined = word.text in POSSESSIVE or k > first and self.words[k - 1].end == word.start \
                and self.words[k - 1].text in HYPHENS  # "Syria's", "Moscow-backed"
            ends_phrase = not joined and (
                word.upos in ("ADP", "SCONJ", "VERB", "AUX") or word.text in (",", "(", "—")
                or (word.upos == "PRON" and PRONOUN_KIND.get(word.text.lower()) == "relative"))
            if head is not None and ends_phrase:
                break
            if word.upos in NOMINAL:
                head = k
        return last if head is None else head

    def definite_modifiers(self, first: int, head: int) -> set[str] | None:
        """What a definite description adds to its head ("the Russian foreign minister" ->
        {"russian", "foreign"}), None if the mention is not definite: its antecedent must
        have all those words."""
        if self.words[first].text.lower() not in DEFINITE or head == first:
            return None
        return word_set(" ".join(self.words[k].text for k in range(first + 1, head)
                                 if self.words[k].upos not in ("PUNCT", "PART", "DET")))

    def organization(self, first: int, last: int, head: int, modifiers: set[str] | None) -> Found:
        """"Interfax news agency" -> Interfax; "the ministry" -> the last ministry named."""
        for k in range(first, head):
            number = self.entity_of.get(k)
            if (number is not None and self.entities[number].type == "ORG"
                    and not self.possessive(self.entity_ranges[number][1])):
                return Found(self.entity_name(number, first, head - 1), "organization")
        if modifiers is not None:  # "the ministry": the latest ministry named or described
            position, key = self.words[head].start, bare(self.words[head])
            named = self.last_matching(self.organizations.get(key, []), position, modifiers)
            described = self.last_matching(self.described.get(self.words[head].lemma.lower(), []),
                                           position, modifiers)
            if named and (not described or named[0] > described[0]):
                return Found(named[1], "organization")
            if described and described[1].type == "organization":
                return described[1]
        return Found(self.description(first, last), "organization")

    def proper_run(self, head: int, first: int, last: int) -> Found:
        """A name the tagger missed: the PROPN run around the head, titles dropped; a person
        unless the article tags it as a place or organization elsewhere (or it is all caps)."""
        a = head
        while a > first and (self.words[a - 1].upos == "PROPN" or self.joined_by_hyphen(a - 1)):
            a -= 1
        b = head
        while b < last and (self.words[b + 1].upos == "PROPN" or self.joined_by_hyphen(b + 1)):
            b += 1
        span = self.name_range(a, b) or (a, b)
        text = clean_name(self.span_text(*span))
        if (text.isupper() or text in self.organization_names) \
                and not self.expand(name_keys(text), self.words[head].start):
            return Found(text, "organization")  # tagged as a place or organization elsewhere
        return self.person(*span, first, last)

    def joined_by_hyphen(self, k: int) -> bool:
        """Whether word ``k`` is a hyphen written between two name parts ("al-Selmo", "Jean-Marc"),
        which the tokenizer splits off and the tagger calls punctuation."""
        if self.words[k].text not in HYPHENS or k == 0 or k + 1 >= len(self.words):
            return False
        before, after = self.words[k - 1], self.words[k + 1]
        return (before.end == self.words[k].start and self.words[k].end == after.start
                and before.upos == after.upos == "PROPN")

    @staticmethod
    def last_matching(entries: list[tuple[int, object, set[str]]], position: int, modifiers: set[str]):
        """(start, value) of the latest entry before ``position`` whose words include all
        ``modifiers``, or None."""
        i = bisect_left(entries, position, key=lambda e: e[0])
        for start, value, words in reversed(entries[max(i - MAX_LOOKBACK, 0):i]):
            if modifiers <= words:
                return start, value
        return None

    def description(self, first: int, last: int) -> str:
        """A nameless mention as a name: leading article and trailing clauses dropped."""
        while first < last and self.words[first].text.lower() in ARTICLES:
            first += 1
        end = first
        while (end + 1 <= last and self.words[end + 1].text not in (",", "(", "—")
               and PRONOUN_KIND.get(self.words[end + 1].text.lower()) != "relative"):
            end += 1
        while end > first and self.words[end].upos == "PUNCT":
            end -= 1
        text = self.span_text(first, end)
        word = self.words[first]
        starts_sentence = first == 0 or self.sentence_of[first - 1] != self.sentence_of[first] \
            or self.words[first - 1].text in OPENERS
        common = word.upos != "PROPN" and first not in self.entity_of or word.text.lower() in self.lowercase_words
        if starts_sentence and common and not word.text.isupper() and word.text not in self.proper_words:
            text = text[0].lower() + text[1:]
        return text

    # -- pronouns --------------------------------------------------------------------

    def pronoun(self, k: int, history: list[Said]) -> Found | None:
        """he/she/they/it/who: the previous speaker nearby, else the latest fitting subject."""
        kind = PRONOUN_KIND[self.words[k].text.lower()]
        position = self.words[k].start
        if kind == "relative":
            antecedent = self.antecedent(k)
            if antecedent is not None:
                return self.describe(*self.phrase(antecedent))
        previous = None
        if history and self.paragraph(history[-1].quote.start) >= self.paragraph(position) - 1:
            if self.fits(history[-1].found, kind):
                previous = history[-1]
        subject_start, subject = self.last_subject(position, kind)
        if previous and subject and subject.name != previous.found.name:
            said_until = max(previous.quote.end, previous.quote.speaker.mention.end
                             if previous.quote.speaker.mention else 0)
            if self.sentence_at(subject_start) > self.sentence_at(said_until):
                return subject
        if previous:
            return previous.found
        return subject or self.last_person(position, kind)

    def fits(self, found: Found, kind: str) -> bool:
        """Whether a pronoun of this kind can point to that speaker."""
        if kind in ("m", "f"):
            if found.type == "person":
                return self.gender.get(found.name, kind) == kind
            return found.type == "unnamed" and not found.plural
        if kind == "plural":
            return found.type in ("group", "organization") or found.plural
        if kind == "neuter":
            return found.type == "organization"
        return True

    def last_subject(self, position: int, kind: str) -> tuple[int, Found | None]:
        """The latest subject a pronoun fits; he/she only look for named persons here."""
        i = bisect_left(self.subject_starts, position) - 1
        for start, found in reversed(self.subjects[max(i + 1 - MAX_LOOKBACK, 0):i + 1]):
            if self.fits(found, kind) and (kind not in ("m", "f") or found.type == "person"):
                return start, found
        return -1, None

    def last_person(self, position: int, kind: str) -> Found | None:
        """For he/she: the most recent person named, whatever their function in the sentence."""
        if kind not in ("m", "f"):
            return None
        i = bisect_left(self.occurrences, position, key=lambda o: o.start) - 1
        for o in reversed(self.occurrences[max(i + 1 - MAX_LOOKBACK, 0):i + 1]):
            found = Found(o.full, "person", self.best_role(o.full))
            if self.fits(found, kind):
                return found
        return None

    def antecedent(self, k: int) -> int | None:
        """The noun a relative pronoun stands for: "Alwan, who ..." -> Alwan."""
        verb = self.heads[k]
        if verb >= 0 and self.words[verb].deprel.startswith("acl") and self.heads[verb] >= 0:
            return self.heads[verb]
        j = k - 1
        while j >= 0 and self.sentence_of[j] == self.sentence_of[k] and self.words[j].upos == "PUNCT":
            j -= 1
        if j >= 0 and self.sentence_of[j] == self.sentence_of[k] and self.words[j].upos in ("NOUN", "PROPN"):
            return j
        return None


def capitalized_modifier(word: Word) -> bool:
    """A capitalized participle modifying a name: "[United] Nations", which a small tagger
    calls a verb."""
    return word.upos == "VERB" and word.deprel in ("amod", "compound") and word.text[:1].isupper()


def clean_name(text: str) -> str:
    """An entity as a name: "the Kremlin's" -> "Kremlin"."""
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    return re.sub(r"['’]s?$", "", text).strip()


def word_set(text: str | None) -> set[str]:
    """Lowercased words without dots or possessives: "the U.N.'s envoy" -> {"the", "un", "envoy"}."""
    words = (text or "").lower().replace(".", "").split()
    return {re.sub(r"['’]s$", "", w).strip(",;:'’\"") for w in words}


def gender_of(word: str) -> str | None:
    word = word.lower().rstrip(".")
    return "m" if word in MALE_WORDS else "f" if word in FEMALE_WORDS else None


def singular(word: str) -> str:
    """A rough singular for matching group nouns the tagger did not lemmatize ("Protesters")."""
    word = word.lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def is_plural(word: Word) -> bool:
    if word.feats and "Number=" in word.feats:
        return "Number=Plur" in word.feats
    return word.xpos in ("NNS", "NNPS")


def merge_spans(spans) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans covering the given ones."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
