"""The word sets and dependency labels the finder reads: the sets derived from the lexicon
(``quotes/lexicon/``) under the names the rules use, and groups of Universal Dependencies labels."""

from __future__ import annotations

import re

from ..lexicon import lexicon

LEXICON = lexicon()
CUES = LEXICON.cues
SPEECH_VERBS = CUES.verbs_where(kind="speech")
STANCE_VERBS = CUES.verbs_where(kind="stance")
# Verbs whose object (with its "to ..." complement) is what was said or wanted.
OBJECT_CONTENT = CUES.verbs_where(object_is_content=True)
CUE_VERBS = SPEECH_VERBS | STANCE_VERBS
# Speech verbs that ask: their question contents are questions, not statements.
ASKING_VERBS = CUES.verbs_where(asks=True)
# Acts that take a position without words ("Obama backed Clinton", "the F.B.I. released its
# findings", "delegates voted for Cruz"): annotated news counts them as attributions when a
# person or an organisation acts; "the measure blocks ..." is no one's.
ACTION_VERBS = CUES.verbs_where(kind="action")
ACTORS = ("person", "organization", "group")
ATTITUDES = frozenset(CUES.words.attitudes)
ACTION_TOPICS = frozenset(CUES.words.action_topics)
ATTITUDE_TOPICS = ACTION_TOPICS | frozenset(CUES.words.attitude_topics)
LIGHT_OBJECTS = frozenset(CUES.words.light_objects)
KNOWN_VERBS = CUE_VERBS | ACTION_VERBS
RAISING_VERBS = frozenset(CUES.words.raising_verbs)
# Nouns that carry an attribution of their own; True for speech, False for stance.
NOMINAL_CUES = {noun: kind == "speech" for noun, kind in CUES.nouns.items()}
SPEECH_NOUNS = frozenset(CUES.words.speech_nouns)
SPEAKING_OCCASIONS = SPEECH_NOUNS | frozenset(CUES.words.speaking_occasions)
GRAMMAR = LEXICON.language.grammar
RELATIVE = frozenset(GRAMMAR.relative)
RELATIVE_CONTENT = frozenset(GRAMMAR.relative_content)
GROUP_PRONOUNS = frozenset(GRAMMAR.group_pronouns)
QUANTIFIER_SPEAKERS = frozenset(GRAMMAR.quantifier_speakers)
TITLE_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")
TITLE_SMALL_WORDS = frozenset(GRAMMAR.title_small_words)
SUBJECTS = ("nsubj", "csubj")
LEFT_CONTENT = ("ccomp", "parataxis", "dep", "xcomp", "obj", "advcl", "csubj:outer")
MARKS = LEXICON.language.marks
CLOSING_MARKS = tuple(MARKS.closing)
CONTENT_ENDS = (",", "”", "\"", "''", "’", "—", "--", "–")
EDGE_POS = ("ADP", "ADV", "PUNCT", "CCONJ", "SCONJ", "AUX", "PART")
CALENDAR = LEXICON.language.calendar
TIME_WORDS = frozenset(CALENDAR.days + CALENDAR.relative_days + CALENDAR.times)
CLAUSE_OPENERS = frozenset(GRAMMAR.clause_openers)
QUESTION_OPENERS = frozenset(GRAMMAR.question_openers)
# Question words that may follow an addressee: "asked [the minister] whether ...".
ADDRESSED_OPENERS = frozenset(GRAMMAR.addressed_question_openers)
CLAUSE_BREAKS = frozenset(GRAMMAR.clause_breaks)
THAT_CONJUNCTIONS = frozenset(GRAMMAR.that_conjunctions)
CLAUSE_MODIFIERS = ("acl:relcl", "acl", "advcl", "xcomp", "ccomp", "csubj")
NP_INTERNAL = ("flat", "flat:name", "compound", "appos", "nmod", "nmod:poss", "amod", "det", "conj")
SKIP_RIGHT = ("punct", "cc", "discourse")
ADJUNCTS = ("obl", "obl:tmod", "obl:npmod", "obl:unmarked", "advmod", "nmod:tmod", "nmod:npmod")
# A cue's phrase opening with these is its topic ("called for", "warned of"), not an adjunct.
TOPIC_PREPOSITIONS = frozenset(CUES.words.topic_prepositions)
OWNED_TOPICS = TOPIC_PREPOSITIONS | frozenset(CUES.words.owned_topics)
QUOTE_CHARS = frozenset(MARKS.quote_chars)
# Speech verbs whose content is only a topic ("spoke about ...", "talked of ..."): never a place,
# an audience or "on condition of anonymity".
TOPIC_ONLY = CUES.verbs_where(topic_only=True)
# What these report is a clause: "said Monday", "said at a rally" or "said X, a lawyer" is none.
CLAUSE_ONLY = CUES.verbs_where(clause_only=True)
# Adverbs that belong to the clause, not to a speaker's name: "Meanwhile, the CBI warned".
CLAUSE_ADVERBS = frozenset(LEXICON.roles.clause_adverbs)
# A request to stay unnamed, no statement: "asked [not to be named]", "requested not to be identified".
ANONYMITY_VERBS = frozenset(CUES.words.anonymity_verbs)
ANONYMITY_WORDS = frozenset(CUES.words.anonymity_words)
# Adverbs that report hearsay with no source: "she was reportedly chatting with him".
HEARSAY_ADVERBS = frozenset(CUES.words.hearsay_adverbs)
# "faced criticism", "drew fire": the subject is what the nominal cue is about.
RECEIVING_VERBS = frozenset(CUES.words.receiving_verbs)
# What stands for a whole statement: "said so", "said the same of Sanders", "did not say when".
SAID_FOR_SHORT = frozenset(CUES.words.said_for_short)
# The first object of these is the addressee, not the content.
ADDRESSEE_VERBS = CUES.verbs_where(addressee="always") | CUES.verbs_where(addressee="first")
# Cues that come before their speaker ("..., said Lavrov", "..., wrote Kerry"); never those
# whose object comes after them ("..., defended [his record]", "..., asked [a judge] to ...").
INVERTED_VERBS = CUES.verbs_where(inverted=True)
# Their object is always the addressee: "Trump told cheering supporters".
TELL_VERBS = CUES.verbs_where(addressee="always")
