"""The word sets speaker resolution reads, derived from the lexicon (``quotes/lexicon/``)."""

from __future__ import annotations

import re

from ..lexicon import lexicon

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
