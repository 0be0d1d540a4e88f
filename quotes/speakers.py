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
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from dataclasses import dataclass, field

from .models import ParsedArticle, Quote, Span, SpeakerRef, Word

# ---- Word lists for names and roles (issue #23; to move into the lexicon) ----------------
# Peerages title a name like honorifics: neither part of the name nor a role by themselves.
MALE_PEERAGES = {"lord", "baron", "viscount"}  # not "Earl", a given name too
FEMALE_PEERAGES = {"lady", "baroness", "viscountess", "countess", "duchess"}
# Nouns that name a capacity a person speaks in (besides TITLE_WORDS): a singular unnamed
# source with one of these heads ("a museum spokeswoman", "a Cairo airport official") has its
# description as its role, and these may head an appositive or "its chairman, X".
ROLE_NOUNS = {
    "spokesman", "spokeswoman", "spokesperson", "official", "adviser", "advisor", "aide",
    "strategist", "director", "chairman", "chairwoman", "chair", "chairperson", "president",
    "minister", "secretary", "ambassador", "envoy", "senator", "governor", "mayor", "lawyer",
    "attorney", "judge", "prosecutor", "professor", "economist", "analyst", "executive",
    "manager", "commander", "officer", "diplomat", "employee", "staffer", "representative",
    "congressman", "congresswoman", "mp", "leader", "head", "chief", "founder", "owner", "host",
    "anchor", "correspondent", "reporter", "editor", "columnist", "writer", "pollster",
    "consultant", "nominee", "candidate", "premier", "chancellor", "commissioner", "inspector",
    "treasurer", "councillor", "councilman", "councilwoman", "legislator", "lawmaker",
    "delegate", "general", "colonel", "captain", "admiral", "developer", "administrator",
    "coordinator", "negotiator", "researcher", "scientist", "academic", "organiser",
    "organizer", "campaigner", "activist", "surgeon", "doctor", "engineer", "teacher",
    "principal", "deputy", "undersecretary", "counsel", "auditor", "regulator", "monitor",
}
# Verbs of "X, who heads the Refugee Council": the role they make ("head of ...").
HEADING_VERBS = {"head": "head", "lead": "leader", "chair": "chair", "run": "head",
                 "direct": "director"}
# Adverbs a mention may end on that belong to the clause ("Syrian state TV meanwhile").
CLAUSE_ADVERBS = {"meanwhile", "also", "however", "though", "too", "instead", "later",
                  "earlier", "again", "separately", "nonetheless", "likewise", "then"}
# Heads of things that carry an organisation's word: "an Observatory toll" is the Observatory's.
DOCUMENT_HEADS = {"toll", "tally", "count", "figures", "report", "statement", "estimate",
                  "data", "survey", "study", "analysis", "release", "communique"}
# More heads of organisations ("the airline said"), besides ORG_HEADS.
MORE_ORG_HEADS = {"airline", "carrier", "firm", "church", "outlet", "paper", "website",
                  "broadcaster", "station", "school", "university", "hospital", "charity",
                  "manufacturer", "bank", "club", "team", "magazine", "publication", "band",
                  "empire"}
# Heads of mentions that are no source at all: times, places, events and abstractions a
# parse can put where a speaker goes ("the terms echo earlier deals", "hopes of agreement",
# "time for Cruz to build bridges"). A closed list: any other noun may name a source.
NON_SOURCE_HEADS = {
    "term", "terms", "hope", "time", "moment", "day", "week", "month", "year", "period",
    "contrast", "interest", "priority", "tension", "practice", "obligation", "lesson",
    "offensive", "attack", "death", "fighting", "violence", "stop", "meeting",
    "city", "town", "village", "area", "region", "neighbourhood", "neighborhood", "street",
    "stream", "river",
}
# Words before a preposition that end an organisation's head: "Observatory [for Human Rights]".
NAME_PREPOSITIONS = {"of", "for", "on"}
# Nouns for people that are no capacity: an unnamed "friend" or "source" can be "he" or "she";
# "the page on climate" cannot.
PERSON_NOUNS = {"source", "man", "woman", "friend", "resident", "witness", "mother", "father",
                "son", "daughter", "brother", "sister", "wife", "husband", "nephew", "niece",
                "cousin", "neighbour", "neighbor", "colleague", "attendee", "person", "someone",
                "voter", "supporter", "critic", "expert", "insider", "member", "worker",
                "veteran", "student", "boy", "girl", "employee", "parent", "victim", "retiree",
                "progressive", "conservative", "liberal", "moderate", "revolutionary", "partner",
                "associate", "clerk", "tenant", "politician", "people"}
# Adjectives that make a definite description no statement of a role ("the only candidate").
NON_ROLE_ADJECTIVES = {"only", "same", "other", "next", "first", "last", "potential", "possible",
                       "likely", "eventual", "future", "ideal", "real"}

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "mme"} | MALE_PEERAGES | FEMALE_PEERAGES
# Words that title a name rather than belong to it ("President", "Lt.", "Foreign Minister").
TITLE_WORDS = {
    "president", "minister", "secretary", "chancellor", "envoy", "ambassador", "general",
    "gen", "lieutenant", "lt", "colonel", "col", "major", "maj", "captain", "capt", "admiral",
    "sergeant", "sgt", "senator", "sen", "representative", "rep", "governor", "gov", "mayor",
    "king", "queen", "prince", "princess", "sheikh", "emir", "pope", "prime", "deputy", "vice",
    "foreign", "defense", "defence", "interior", "state", "chief", "spokesman", "spokeswoman",
    "spokesperson", "commander", "director", "chairman", "chairwoman", "judge", "prosecutor",
    "professor", "prof", "ayatollah", "cardinal", "reverend", "rev", "bishop", "archbishop",
    "sultan", "crown", "premier", "special", "un", "us",
}
ORG_HEADS = {
    "ministry", "government", "kremlin", "army", "military", "agency", "council", "office",
    "department", "committee", "un", "administration", "embassy", "police", "command",
    "coalition", "observatory", "monitor", "organization", "organisation", "group", "media",
    "television", "tv", "channel", "newspaper", "daily", "radio", "parliament", "senate",
    "congress", "court", "cabinet", "presidency", "commission", "service", "regime", "front",
    "alliance", "party", "movement", "union", "company", "network", "center", "centre",
    "institute", "foundation", "bureau", "authority", "authorities", "opposition", "state",
    "pentagon", "interfax", "reuters", "tass", "ria",
} | MORE_ORG_HEADS
# Populations that speak as a crowd: only plural, unnamed mentions of these are groups.
GROUP_HEADS = {
    "rebel", "resident", "activist", "protester", "protestor", "insurgent", "fighter",
    "militant", "civilian", "villager", "refugee", "demonstrator", "witness", "people",
    "inhabitant", "survivor", "student", "worker", "citizen", "voter", "doctor", "medic", "force",
    "troop", "soldier",
}
MALE_WORDS = {"he", "him", "his", "himself", "mr", "spokesman", "chairman", "congressman",
              "businessman", "king", "prince", "sir"} | MALE_PEERAGES
FEMALE_WORDS = {"she", "her", "hers", "herself", "mrs", "ms", "miss", "spokeswoman",
                "chairwoman", "congresswoman", "businesswoman", "queen", "princess", "dame"} | FEMALE_PEERAGES
PRONOUN_KIND = {
    **{w: "m" for w in ("he", "him", "his", "himself")},
    **{w: "f" for w in ("she", "her", "hers", "herself")},
    **{w: "plural" for w in ("they", "them", "their", "themselves")},
    **{w: "neuter" for w in ("it", "its", "itself")},
    **{w: "first" for w in ("i", "me", "my", "we", "us", "our")},
    **{w: "relative" for w in ("who", "whom", "whose", "which", "that")},
}
# Lowercase particles inside names ("Bashar al-Assad", "Staffan de Mistura") and dates that
# sit right before names without titling them ("on Thursday Kerry said").
NAME_PARTICLES = {"al", "el", "de", "da", "di", "van", "von", "der", "bin", "ibn", "abu"}
HYPHENS = {"-", "‐"}
DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday"}
DATE_WORDS = DAYS | {"january", "february", "march", "april", "may", "june", "july", "august",
                         "september", "october", "november", "december", "jan", "feb", "aug", "sept",
                         "oct", "nov", "dec"}
# Verbs and prepositions the tagger may take for nouns right before or after a name.
SPEECH_WORDS = {"said", "says", "say", "told", "tells", "added", "adds", "according", "asked", "asks",
                "stated", "warned", "wrote", "noted", "insisted", "argued", "explained", "quoted"}
ARTICLES = {"a", "an", "the"}
DEFINITE = {"the", "this", "that", "these", "those"}
NOMINAL = {"NOUN", "PROPN", "NUM", "PRON"}
POSSESSIVE = {"'s", "’s", "'", "’"}
# Punctuation after which a capital only marks a new sentence or quote.
OPENERS = {".", "!", "?", "“", "\"", "‘", "(", "[", "—", "–", ":", "-"}
# Byline ("By Jack Stubbs and John Davison") and credits ("Additional reporting by ...").
CREDITS = re.compile(r"(?i:\b(?:reporting|writing|editing|compiled|produced)\s+by\b"
                     r"|contributed to this report)"
                     r"|^\W*(?i:by)\s+[A-Z][\w.'’-]*(?:\s*(?:[A-Z][\w.'’-]*|and|,))*\s*$")
MAX_LOOKBACK = 50
NO_SOURCE_CONFIDENCE = 0.5  # a quote whose mention is no source is half as sure


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
    relation: str | None = None  # "brother" in "his brother Alastair Osman"


@dataclass
class Said:
    """A quote already resolved, as pronouns and continuations look back at it."""

    quote: Quote
    found: Found
    raw_name: str | None


def resolve_speakers(parsed: ParsedArticle, quotes: list[Quote]) -> list[Quote]:
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
        if found is None:  # a mention that is no source: no speaker, and less sure of the quote
            resolved[position] = quote.model_copy(update={
                "speaker": None, "confidence": round(quote.confidence * NO_SOURCE_CONFIDENCE, 2)})
            continue
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

    def __init__(self, parsed: ParsedArticle, quotes: list[Quote]):
        article = parsed.article
        self.text = article.text
        self.words: list[Word] = []
        self.sentence_of: list[int] = []
        self.heads: list[int] = []
        for number, sentence in enumerate(parsed.sentences):
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
        paragraphs = [m for m in re.finditer(r"[^\n]+", self.text) if m.group().strip()]
        self.paragraph_starts = [m.start() for m in paragraphs]
        self.credits = {i for i, m in enumerate(paragraphs) if CREDITS.search(m.group())}
        self.body = (article.body_start, article.body_end or len(self.text))
        self.quoted = merge_spans((q.start, q.end) for q in quotes)
        self.quoted_starts = [start for start, _ in self.quoted]
        self.entity_of: dict[int, int] = {}
        self.place_names = {e.text for e in parsed.entities if e.type == "LOC" and " " not in e.text}
        self.entities = [e for e in parsed.entities if self.in_body(e.start)]
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
        self.related: dict[str, list[tuple[int, str, set[str]]]] = {}
        self.titled: dict[str, list[tuple[int, str, set[str]]]] = {}
        self.form_counts = Counter(o.keys for o in self.occurrences)
        for occurrence in self.occurrences:
            occurrence.full = self.expand(occurrence.keys, occurrence.start) or occurrence.name
            if occurrence.role and not self.between_quote_marks(occurrence.start):
                self.roles.setdefault(occurrence.full, []).append(occurrence.role)
            for lemma in occurrence.role_lemmas:
                self.titled.setdefault(lemma, []).append(
                    (occurrence.start, occurrence.full, word_set(occurrence.role)))
            if occurrence.relation:
                self.related.setdefault(occurrence.relation, []).append((occurrence.start, occurrence.full, set()))
        self.mentioned = {k for q in quotes if q.speaker and q.speaker.mention
                          for span in [self.word_range(q.speaker.mention.start, q.speaker.mention.end)]
                          if span for k in range(span[0], span[1] + 1)}
        self.gender = self.guess_genders()
        self.organization_names = {clean_name(e.text) for e in parsed.entities if e.type != "PER"}
        self.organizations = self.index_organizations()
        self.long_organizations = self.find_long_organizations()
        self.name_counts = Counter(o.full for o in self.occurrences)
        self.described_roles: dict[str, list[str]] = {}
        self.add_described_roles()
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

    def between_quote_marks(self, position: int) -> bool:
        """Inside quotation marks in its paragraph, where a title is someone's words (a crowd
        cheering "President Bernie Sanders"), not the article's statement of a role."""
        before = self.text[self.paragraph_starts[self.paragraph(position)]:position] \
            if self.paragraph_starts and self.paragraph(position) >= 0 else ""
        return before.count("“") > before.count("”") or before.count('"') % 2 == 1

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
            spans.append((first, self.without_common_tail(first, self.hyphenated_end(last))))
        return spans

    def without_common_tail(self, first: int, last: int) -> int:
        """The end of a long name without a common word the tagger ran on into (a headline's
        "Donna Brazile Leak", where the article writes "leak" in lower case elsewhere)."""
        while last - first >= 2 and self.words[last].text.lower() in self.lowercase_words:
            last -= 1
        return last

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
                                          self.stated_role(first, last, low, high, parts), lemmas,
                                          relation=None if parts else self.relation_before(first, low)))
        return occurrences

    def relation_before(self, first: int, low: int) -> str | None:
        """The relation noun written right before a name ("his brother Alastair Osman",
        "another friend, Mariam Emara"): no role, but how the article may refer back."""
        k = first - 1
        if k >= low and self.words[k].text == ",":
            k -= 1
        if k >= low and self.words[k].upos == "NOUN" and self.words[k].lemma.lower() in PERSON_NOUNS:
            return self.words[k].lemma.lower()
        return None

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
        text = self.span_text(first, last)
        full = self.expand(name_keys(text), self.words[first].start) or text
        role = self.stated_role(first, last, low, high, self.role_parts(first, last, low, high))
        return Found(full, "person", role or self.best_role(full))

    # -- roles -----------------------------------------------------------------------

    def role_parts(self, first: int, last: int, low: int, high: int) -> list[tuple[int, int]]:
        """Word ranges of the title before a name ("its chairman, Sir X" too) and the
        appositive after it, within [low, high]."""
        before = self.title_before(first, last, low) or self.title_before_comma(first, low)
        return [r for r in (before, self.appositive(last, high)) if r]

    def role_text(self, parts: list[tuple[int, int]]) -> str | None:
        """The role's words as written, without a possessive ending ("CNN’s" -> "CNN")."""
        text = ", ".join(self.span_text(a, b) for a, b in parts)
        text = re.sub(r"^\d+\s*-\s*year\s*-\s*old\s+", "", text)  # an age is no capacity
        return re.sub(r"\s*['’]s?$", "", text) or None

    def stated_role(self, first: int, last: int, low: int, high: int,
                    parts: list[tuple[int, int]]) -> str | None:
        """The role written around a name: its title and appositive, else "X, who heads Y"."""
        return self.role_text(parts) or self.heading_role(last, high)

    def title_before_comma(self, first: int, low: int) -> tuple[int, int] | None:
        """"said its chairman, Sir Richard Vale", "France's secretary of state for the elderly,
        Pascale Boistard": a noun phrase with a role noun and a determiner or possessive, a
        comma, then the name (honorifics between are neither name nor role)."""
        k = first - 1
        while k >= low and bare(self.words[k]) in HONORIFICS:
            k -= 1
        if k <= low or self.words[k].text != ",":
            return None
        end = k - 1
        head = end  # the role noun, before any "of"/"for" phrase: "secretary [of state ...]"
        while head >= max(low, end - 8) and not self.role_noun(head):
            if not (self.words[head].upos in ("DET", "ADJ", "NOUN", "PROPN", "NUM")
                    or self.words[head].text.lower() in ("of", "for", "to")):
                return None
            head -= 1
        if head < max(low, end - 8) or head in self.person_of:
            return None
        start = head
        while start - 1 >= low and (self.words[start - 1].upos in ("ADJ", "NOUN", "PROPN", "NUM")
                                    or self.words[start - 1].text in POSSESSIVE) \
                and start - 1 not in self.person_of:
            start -= 1
        opener = self.words[start - 1] if start - 1 >= low else None
        determined = opener is not None and opener.upos in ("DET", "PRON") or any(
            self.words[j].text in POSSESSIVE for j in range(start, head))
        if not determined or opener is not None and opener.upos in ("VERB", "AUX"):
            return None
        return start, end

    def opens_clause(self, k: int) -> bool:
        """Whether word ``k`` starts a relative or subordinate clause ("who", "which", "because")."""
        word = self.words[k]
        return PRONOUN_KIND.get(word.text.lower()) == "relative" and word.text.lower() != "that" \
            or word.upos == "SCONJ"

    def heading_role(self, last: int, high: int) -> str | None:
        """"Laura Chen, who heads the Refugee Council" -> "head of the Refugee Council"."""
        if last + 4 > high or self.words[last + 1].text != "," \
                or self.words[last + 2].text.lower() != "who":
            return None
        verb = self.words[last + 3]
        if verb.upos != "VERB" or verb.lemma.lower() not in HEADING_VERBS:
            return None
        end = last + 4
        while end + 1 <= high and (self.words[end + 1].upos in ("DET", "ADJ", "NOUN", "PROPN", "NUM")
                                   or self.words[end + 1].text.lower() in ("of", "for")
                                   or self.words[end + 1].text in POSSESSIVE):
            end += 1  # the organisation: "the Refugee Council", "the Bank of England"
        if self.words[end].upos not in ("NOUN", "PROPN"):
            return None
        return f"{HEADING_VERBS[verb.lemma.lower()]} of {self.span_text(last + 4, end)}"

    def role_noun(self, k: int) -> bool:
        """Whether word ``k`` names a capacity ("chairman", "MP", "ex-chief")."""
        word = self.words[k]
        tail = re.split(r"[-‐]", word.text.lower())[-1].replace(".", "")
        return (word.upos in ("NOUN", "PROPN") or "-" in word.text) and (
            word.lemma.lower() in ROLE_NOUNS or bare(word) in ROLE_NOUNS | TITLE_WORDS
            or tail in ROLE_NOUNS)

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
        if not self.names_a_capacity(start, first - 1):
            return None
        return start, first - 1

    def names_a_capacity(self, start: int, end: int) -> bool:
        """Whether the words before a name are a title ("former secretary of state", "Lib Dem
        spokeswoman") or an affiliation ("CNN's", "Russian"), not a phrase the name happens to
        follow ("the outright hostility [Cruz faced]", "the last time [Sanders came]", "his
        friend"): a title or role noun in it, or capitalized words only."""
        words = range(start, end + 1)
        return any(self.role_noun(j) for j in words) or all(
            self.words[j].text[:1].isupper() or self.words[j].text in POSSESSIVE or self.words[j].upos == "PUNCT"
            for j in words)

    def titlelike(self, k: int, low: int, own: int | None) -> bool:
        """Whether word ``k`` can belong to the title written right before a name.

        Lexical on purpose: parsers often attach such titles to the verb, not the name."""
        word = self.words[k]
        if bare(word) in HONORIFICS | DATE_WORDS | SPEECH_WORDS or self.person_of.get(k, own) != own:
            return False
        if word.upos == "ADP":  # "Secretary of State", "Envoy for Syria", "secretary of state"
            return (word.text.lower() in ("of", "for") and k > low
                    and (self.words[k - 1].text[:1].isupper() and self.words[k + 1].text[:1].isupper()
                         or self.role_noun(k - 1)))
        if word.text.lower() == "and":
            return self.joins_title_words(k, low)
        return word.upos in ("PROPN", "NOUN", "ADJ", "NUM") or word.text in POSSESSIVE or capitalized_modifier(word)

    def joins_title_words(self, k: int, low: int) -> bool:
        """Whether "and" at ``k`` is inside one title ("Trade and Industry Secretary", "Health
        and Human Services Secretary"): capitalized common words on both sides, neither a name
        or place ("Britain and French Foreign Minister ..." joins two phrases)."""
        if k <= low or k + 1 >= len(self.words):
            return False
        return all(self.words[j].text[:1].isupper() and self.entity_type(j) is None
                   and j not in self.person_of for j in (k - 1, k + 1))

    def appositive(self, last: int, high: int) -> tuple[int, int] | None:
        """", the spokesman for Failaq al-Rahman" after a name: that phrase, article dropped;
        an age before it (", 67, a retired teacher") skipped, a relative clause after it
        (", a pollster who worked on ...") left out."""
        if last + 1 > high or self.words[last + 1].text != ",":
            return None
        if last + 3 <= high and self.words[last + 2].upos == "NUM" and self.words[last + 3].text == ",":
            last += 2  # ", 67,"
        start = last + 2
        while start <= high and self.words[start].text.lower() in ARTICLES:
            start += 1
        end = start
        while end <= high and (self.words[end].upos != "PUNCT" or self.words[end].text in HYPHENS) \
                and end - start < 15 and not self.opens_clause(end):
            end += 1
        end -= 1
        if end < start or self.entity_type(start) == "PER":
            return None
        words = self.words[start:end + 1]
        nominal = [w.upos in ("NOUN", "ADJ", "PROPN") or self.role_noun(k)
                   for k, w in enumerate(words, start)]
        if words[0].upos == "NUM" and len(words) > 1 and words[1].text in HYPHENS:
            nominal[0] = True  # "a 38-year-old veteran staffer"
        if not nominal[0] or words[0].text.lower() in SPEECH_WORDS:
            return None
        if any(w.upos in ("VERB", "AUX", "PRON", "SCONJ") and not ok for w, ok in zip(words, nominal)):
            return None
        if not any(w.upos == "NOUN" or self.role_noun(k) for k, w in enumerate(words, start)):
            return None
        return start, end

    # -- title-only mentions ------------------------------------------------------

    def add_described_roles(self) -> None:
        """Roles stated by a definite description of a person named nearby ("Trump made a
        detour ... the Republican presidential nominee has mixed ...", "the senator from
        Vermont was rallying"): each becomes one of that person's roles."""
        for k, word in enumerate(self.words):
            if not self.role_noun(k) or word.upos != "NOUN" or is_plural(word) or k in self.in_role \
                    or k in self.person_of or k in self.mentioned or not self.in_body(word.start) \
                    or self.between_quote_marks(word.start):
                continue
            first, last = self.phrase(k)
            if last != k or self.words[first].text.lower() != "the" or not self.states_a_role(first, k):
                continue
            person = self.role_referent(first, k)
            if person:
                self.described_roles.setdefault(person, []).append(described_role(self.span_text(first, k)))

    def states_a_role(self, first: int, head: int) -> bool:
        """Whether "the ... <role noun>" says what someone is, not what they might be or who
        else is there: no "the only candidate", "to be the nominee", "as the potential leader",
        "Ryan and the party chairman", and no name right after it (that is a title)."""
        if any(self.words[j].text.lower() in NON_ROLE_ADJECTIVES for j in range(first, head)):
            return False
        if head + 1 < len(self.words) and head + 1 in self.person_of:
            return False
        if first > 0 and self.words[first - 1].text.lower() in ("as", "and", "with", "or"):
            return False
        word = self.words[head]
        children = [self.words[j] for j, h in enumerate(self.heads) if h == head]
        return word.deprel != "conj" and not any(c.deprel in ("cop", "conj") for c in children)

    def role_referent(self, first: int, head: int, previous: str | None = None) -> str | None:
        """The person a definite role description ("the senator", "the CNN host") means: the
        one named with that title, else the ``previous`` speaker (a quote's description goes
        on like a pronoun: "Feinberg said ... the Gawker employee wrote"), else the person the
        article names most among those named in this and the two sentences before (outside
        quotation marks), never one named inside the description or the subject it is the
        object of ("Todd asked the real estate mogul")."""
        position = self.words[first].start
        modifiers = self.definite_modifiers(first, head) or set()
        titled = self.last_matching(self.titled.get(self.words[head].lemma.lower(), []), position, modifiers)
        if titled:
            return titled[1]
        sentence = self.sentence_of[first]
        excluded = self.subject_names(head) | {o.full for o in self.occurrences if first <= o.first <= head}
        gender = gender_of(self.words[head].text)
        if previous and previous not in excluded and (gender is None or self.gender.get(previous, gender) == gender):
            return previous
        i = bisect_left(self.occurrences, position, key=lambda o: o.start)
        nearby = [o for o in self.occurrences[max(i - MAX_LOOKBACK, 0):i]
                  if self.sentence_of[o.first] >= sentence - 2 and o.full not in excluded
                  and not self.between_quote_marks(o.start)
                  and (gender is None or self.gender.get(o.full, gender) == gender)]
        if not nearby:
            return None
        return max(nearby, key=lambda o: (self.name_counts[o.full], o.start)).full

    def subject_names(self, k: int) -> set[str]:
        """Full names of the persons who are subjects of the verb word ``k`` depends on."""
        verb = self.heads[k]
        if verb < 0:
            return set()
        return {o.full for j, head in enumerate(self.heads) if head == verb and j != k
                and self.words[j].deprel.startswith("nsubj") and j in self.person_of
                for o in self.occurrences_at(j)}

    def occurrences_at(self, k: int) -> list[Occurrence]:
        """The person occurrences whose name span covers word ``k``."""
        a, b = self.person_spans[self.person_of[k]]
        return [o for o in self.occurrences if a <= o.first <= b]

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
            if not gender or not self.in_body(word.start) or self.in_quote(word.start) or k in self.mentioned:
                continue  # a quote's "she" is what the genders are for: it cannot vote
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
            if self.words[first].upos == "DET" and first < head:
                break  # a determiner opens the phrase: not "[In] 2003 the party"
            first -= 1
        last = head
        while (last + 1 < len(self.words) and self.sentence_of[last + 1] == self.sentence_of[head]
               and self.words[last + 1].upos in ("NOUN", "PROPN")):
            last += 1
        return first, last

    # -- mentions --------------------------------------------------------------------

    def resolve_quote(self, quote: Quote, history: list[Said]) -> Found | None:
        """The speaker of one quote, given the quotes before it; None if its mention is no
        source at all ("the terms echo earlier deals")."""
        speaker = quote.speaker
        if speaker.mention is None:
            return self.continuation(speaker, history)
        span = self.word_range(speaker.mention.start, speaker.mention.end)
        if span is None:
            return Found(speaker.mention.text.strip() or speaker.name, "unnamed")
        first, last = span
        if first == last and self.words[first].text.lower() in PRONOUN_KIND:
            return self.pronoun(first, history) or Found(speaker.mention.text, "unnamed")
        while last > first and self.words[last].text.lower() in CLAUSE_ADVERBS:
            last -= 1  # "Syrian state TV meanwhile"
        if not self.could_speak(self.lexical_head(first, last)):
            return self.person_inside(first, last)  # "time for Cruz"; "the terms" is no one
        if self.coordinated(first, last):
            return Found(self.description(first, last), "group", plural=True)
        found = self.describe(first, last, self.previous_person(history, self.words[first].start))
        self.remember_description(first, last, found)
        return self.with_full_organization(found, self.words[first].start)

    def could_speak(self, k: int) -> bool:
        """Whether a mention headed by word ``k`` can be a source: anything but a common noun
        for a time, place, event or abstraction ("the terms", "hopes of agreement")."""
        word = self.words[k]
        if word.upos != "NOUN" or k in self.entity_of or word.text[:1].isupper():
            return True
        return not {word.lemma.lower(), bare(word), singular(word.text)} & NON_SOURCE_HEADS

    def person_inside(self, first: int, last: int) -> Found | None:
        """The person a mention that is no source names ("time for Cruz"), else no one."""
        for k in range(first, last + 1):
            if k in self.person_of:
                span = self.name_range(*self.person_spans[self.person_of[k]])
                if span:
                    return self.person(*span, first, last)
        return None

    def previous_person(self, history: list[Said], position: int) -> str | None:
        """The person who spoke last, if in this paragraph or the one before."""
        if history and history[-1].found.type == "person" \
                and self.paragraph(history[-1].quote.start) >= self.paragraph(position) - 1:
            return history[-1].found.name
        return None

    def remember_description(self, first: int, last: int, found: Found) -> None:
        """An unnamed source once quoted is met again as "the source": index it by its head."""
        if found.type not in ("unnamed", "group") or first in self.person_of:
            return
        head = self.lexical_head(first, last)
        entries = self.described.setdefault(self.words[head].lemma.lower(), [])
        insort(entries, (self.words[first].start, found, word_set(found.name)), key=lambda e: e[0])

    def coordinated(self, first: int, last: int) -> bool:
        """Whether a mention names several people ("Trump and House Speaker Paul Ryan", "Sens.
        Johnny Isakson of Georgia and John Boozman"): two names with "and" between."""
        names = sorted({self.person_of[k] for k in range(first, last + 1) if k in self.person_of
                        and self.name_range(*self.person_spans[self.person_of[k]])})
        for a, b in zip(names, names[1:]):
            between = range(self.person_spans[a][1] + 1, self.person_spans[b][0])
            if any(self.words[j].text.lower() == "and" for j in between) \
                    and not any(self.words[j].upos in ("ADP", "VERB") and self.words[j].text.lower() != "of"
                                for j in between):
                return True
        return False

    def with_full_organization(self, found: Found, position: int) -> Found:
        """An organisation's short name as the full name the article gave it: "Observatory" ->
        "Syrian Observatory for Human Rights", "Daily News" -> "New York Daily News"."""
        if found.type != "organization":
            return found
        full = self.full_organization_name(found.name, position)
        return Found(full, found.type, found.role, found.plural) if full else found

    def full_organization_name(self, name: str, position: int) -> str | None:
        """The nearest longer organisation name in the article (before ``position``, else the
        first) that contains ``name`` and has the same head word; None if there is none."""
        words = name.split()
        head = organization_head(name)
        fitting = [(start, long) for start, long in self.long_organizations
                   if len(long.split()) > len(words) and (
                       organization_head(long) == head
                       and contains(tuple(long.lower().split()), tuple(name.lower().split()))
                       or name.replace(".", "") == initials(long)  # "AP", "F.B.I."
                       or abbreviates(words, long.split()))]
        before = [f for f in fitting if f[0] < position]
        return (before[-1] if before else fitting[0])[1] if fitting else None

    def find_long_organizations(self) -> list[tuple[int, str]]:
        """Every organisation entity of the body as written in full, in text order: its words
        and the "for Human Rights" the tagger left out."""
        names = []
        for number, (entity, span) in enumerate(zip(self.entities, self.entity_ranges)):
            if entity.type == "PER" or span is None:
                continue
            high = bisect_right(self.sentence_of, self.sentence_of[span[0]]) - 1
            name = self.entity_name(number, span[0], high)
            words = [w for w in name.split() if w.lower() not in DATE_WORDS]
            if len(words) > 1:
                names.append((entity.start, " ".join(words)))
        return names

    def continuation(self, speaker: SpeakerRef, history: list[Said]) -> Found:
        """A quote going on from an earlier one: the same speaker as resolved there."""
        for said in reversed(history[-MAX_LOOKBACK:]):
            if said.raw_name == speaker.name:
                return said.found
        if history:
            return history[-1].found
        full = self.expand(name_keys(speaker.name), len(self.text)) or speaker.name
        return Found(full, speaker.type, speaker.role or self.best_role(full))

    def describe(self, first: int, last: int, previous: str | None = None) -> Found:
        """What a (non-pronoun) mention names: a person, an organization, a group or nobody
        (``previous``: the person who spoke last, whom a role description may go on with)."""
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
            name = self.entity_name(number, first, last)
            person = self.person_named(name, word.start)
            if person:  # "Trump" tagged as an organisation where "Donald Trump" is a person
                return Found(person, "person", self.best_role(person))
            return Found(name, "organization", plural=plural)
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
            person = self.role_referent(first, head, previous) if not plural and self.role_noun(head) else None
            if person:  # "the senator" -> the senator the article is about
                return Found(person, "person", described_role(self.description(first, last)))
        owner = self.document_owner(first, head) if lemma in DOCUMENT_HEADS else None
        if owner:  # "an Observatory toll" is the Observatory's
            return owner
        related = self.last_matching(self.related.get(lemma, []), word.start, set()) \
            if self.words[first].text.lower() in ("his", "her", "the") and not plural else None
        if related:  # "his brother" -> "his brother Alastair Osman" named before
            return Found(related[1], "person", self.best_role(related[1]))
        kind = "group" if group_noun and (plural or word.text.lower().endswith("s")) else "unnamed"
        description = self.description(first, last)
        role = described_role(description) if kind == "unnamed" and not plural and self.role_noun(head) else None
        return Found(description, kind, role, plural=plural)

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
            if span and not (b < last and (self.possessive(b) or self.modifies_noun(b))) and before != "ADP":
                return span
        return None

    def modifies_noun(self, k: int) -> bool:
        """Whether the name ending at ``k`` only modifies the common noun after it: "a senior
        Cruz adviser", "Clinton press secretary Brian Fallon" are not Cruz or Clinton."""
        return k + 1 < len(self.words) and self.words[k + 1].upos == "NOUN" \
            and self.sentence_of[k + 1] == self.sentence_of[k]

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
            recent = self.recent_organization(first) if not modifiers and self.generic_organization(head) else None
            if recent:  # "the airline": the organisation just named
                return Found(recent, "organization")
        return Found(self.description(first, last), "organization")

    def document_owner(self, first: int, head: int) -> Found | None:
        """The organisation named by the capitalized words before a document's head ("an
        Observatory toll", "a Pentagon statement"), if any."""
        k = head
        while k - 1 >= first and self.words[k - 1].text[:1].isupper() and self.words[k - 1].upos in ("PROPN", "NOUN"):
            k -= 1
        if k == head:
            return None
        return Found(clean_name(self.span_text(k, head - 1)), "organization")

    def generic_organization(self, head: int) -> bool:
        """Whether a head names a kind of organisation the article would have named just before
        ("the company", "the airline"), not one of several ("the army", "the governments")."""
        word = self.words[head]
        return not is_plural(word) and word.lemma.lower() in MORE_ORG_HEADS | {"company", "newspaper"}

    def recent_organization(self, first: int) -> str | None:
        """The organisation named last before word ``first``, in its sentence or the two before."""
        position = self.words[first].start
        for number in range(len(self.entities) - 1, -1, -1):
            entity, span = self.entities[number], self.entity_ranges[number]
            if entity.type != "ORG" or span is None or entity.start >= position:
                continue
            if self.sentence_of[span[0]] < self.sentence_of[first] - 2:
                return None
            name = self.entity_name(number, span[0], span[1])
            return self.full_organization_name(name, position) or name
        return None

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
            if antecedent is not None and antecedent in self.in_role:
                return self.role_holder(antecedent)
            if antecedent is not None:
                return self.describe(*self.phrase(antecedent))
        previous = None
        if history and self.fits(history[-1].found, kind):
            back = self.paragraph(position) - self.paragraph(history[-1].quote.start)
            if back <= 1 or back == 2 and self.agreement(history[-1].found, kind) == 2:
                previous = history[-1]  # two paragraphs back only if surely the same gender
        subject_start, subject = self.last_subject(position, kind)
        if previous and subject and subject.name != previous.found.name:
            said_until = max(previous.quote.end, previous.quote.speaker.mention.end
                             if previous.quote.speaker.mention else 0)
            if self.sentence_at(subject_start) > self.sentence_at(said_until) \
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
        gender = self.gender.get(found.name) if found.type == "person" else described_gender(found)
        return 2 if gender == kind else 1

    def role_holder(self, k: int) -> Found | None:
        """The person whose stated role word ``k`` belongs to ("Cornell Belcher, a Democratic
        pollster who ...": "who" is Belcher, not an unnamed pollster)."""
        i = bisect_left(self.occurrences, self.words[k].start, key=lambda o: o.start)
        for o in reversed(self.occurrences[max(i - MAX_LOOKBACK, 0):i]):
            if self.sentence_of[o.first] == self.sentence_of[k]:
                return Found(o.full, "person", self.best_role(o.full))
        return self.describe(*self.phrase(k))

    def fits(self, found: Found, kind: str) -> bool:
        """Whether a pronoun of this kind can point to that speaker (he/she only to persons
        and unnamed people: not to "the page on climate")."""
        if kind in ("m", "f"):
            if found.type == "person":
                return self.gender.get(found.name, kind) == kind
            return found.type == "unnamed" and not found.plural and described_gender(found) in (None, kind) \
                and bool(word_set(found.name) & (ROLE_NOUNS | PERSON_NOUNS | MALE_WORDS | FEMALE_WORDS))
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


def described_role(description: str) -> str:
    """An unnamed source's description as its role: "one West Virginia official" -> "West
    Virginia official" (counting words are not part of a capacity)."""
    return re.sub(r"^(?:(?:one|another|some|a|an|the)\s+)+", "", description, flags=re.I)


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


def described_gender(found: Found) -> str | None:
    """The gender an unnamed source's description gives ("a spokeswoman for the museum")."""
    genders = {gender_of(w) for w in word_set(f"{found.name} {found.role or ''}")} - {None}
    return genders.pop() if len(genders) == 1 else None


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
