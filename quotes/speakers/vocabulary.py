"""The word sets speaker resolution reads, derived from the lexicon (``quotes/lexicon/``)."""

from __future__ import annotations

import re

from ..lexicon import lexicon

LEXICON = lexicon()
NAMES = LEXICON.names
ROLES = LEXICON.roles
CALENDAR = LEXICON.language.calendar
MALE_PEERAGES = set(ROLES.peerages.male)
FEMALE_PEERAGES = set(ROLES.peerages.female)
# Peerages title a name like honorifics: neither part of it nor a role by themselves.
HONORIFICS = set(NAMES.honorifics) | MALE_PEERAGES | FEMALE_PEERAGES
# Words that title a name rather than belong to it ("President", "Lt.", "Foreign Minister").
TITLE_WORDS = set(NAMES.titles)
ORG_HEADS = set(NAMES.organisation_heads_for("mention"))
# Kinds of organisation an article goes on with after naming one ("the airline").
GENERIC_ORG_HEADS = set(NAMES.organisation_heads_for("generic"))
# Populations that speak as a crowd: only plural, unnamed mentions of these are groups.
GROUP_HEADS = set(NAMES.group_heads)
MALE_WORDS = set(NAMES.male) | MALE_PEERAGES
FEMALE_WORDS = set(NAMES.female) | FEMALE_PEERAGES
PRONOUN_KIND = NAMES.pronoun_kinds()
# Capacities a person speaks in besides the titles ("official", "pollster"), and nouns for
# people that are no capacity ("friend", "source").
ROLE_NOUNS = set(ROLES.role_nouns)
PERSON_NOUNS = set(ROLES.person_nouns)
NON_ROLE_ADJECTIVES = set(ROLES.non_role_adjectives)
HEADING_VERBS = ROLES.heading_verbs
CLAUSE_ADVERBS = set(ROLES.clause_adverbs)
NON_SOURCE_HEADS = set(ROLES.non_source_heads)
DOCUMENT_HEADS = set(ROLES.document_heads)
NAME_PREPOSITIONS = set(ROLES.name_prepositions)
# Counting words opening an unnamed source's description: "one West Virginia official".
COUNTING_WORDS = re.compile(rf"^(?:(?:{'|'.join(map(re.escape, ROLES.counting_words))})\s+)+", re.I)
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
NO_SOURCE_CONFIDENCE = 0.5  # a quote whose mention is no source is half as sure
