"""Which word signals which attribution: the cue builders, by word class."""

from __future__ import annotations

from dataclasses import replace

from ..models import Word
from .parse import Context, Cue, Tree
from .phrase_cues import (
    according_cue,
    action_cue,
    actor_cue,
    colon_cue,
    hearsay_cue,
    light_verb_cue,
    naming_cue,
    noun_cue,
    put_it_cue,
)
from .verb_cues import raised_subject, reports_clause, verb_cue
from .vocabulary import ACTION_VERBS, ATTITUDES, CUE_VERBS, HEARSAY_ADVERBS, NOMINAL_CUES


def sentence_cues(tree: Tree, context: Context,
                  learned: frozenset[int] = frozenset()) -> tuple[list[Cue], list[Cue]]:
    """The cues of one sentence: verb, noun and adverb cues, "according to" and "NAME:"
    introductions; and apart from them, the verbs at the offsets in ``learned`` that no rule
    takes for a cue, which a learned tagger read as cues ("the president *hopes* ...",
    "*slammed* the deal"), with their subject and complement found as for any cue verb (the
    rules draw contents closer to the annotators' than the tagger's own spans do). A verb no
    rule reads as a cue is no evidence of speech: a stance cue."""
    rules, taught = [], []
    for word in tree.sentence.words:
        cue = word_cue(tree, word, context)
        if cue is not None:
            rules.append(cue)
        elif word.start in learned and word.upos == "VERB":
            taught.append(verb_cue(tree, word, context))
    colon = colon_cue(tree, context)
    return with_shared_contents(rules, context.text) + ([colon] if colon is not None else []), taught


def with_shared_contents(cues: list[Cue], text: str) -> list[Cue]:
    """"Lavrov charged, and administration officials sharply denied, that the United States had
    'revoked' the proposal": two cue verbs joined by "and", each with its own subject, the
    first with no complement of its own, the clause set off by commas after the second. The
    clause is what each of them said (one charged it, the others denied it), so the first cue
    takes the second's content too and each speaker gets a quote of it. Without the commas
    ("Lavrov charged and officials denied that ...") the sentence does not say that the first
    verb reaches the clause, and it is left alone."""
    by_word = {cue.word.index: cue for cue in cues}
    shared = []
    for cue in cues:
        first = by_word.get(cue.word.head) if cue.word.deprel == "conj" else None
        if (first is None or first.content or not cue.content or first.mention is None or cue.mention is None
                or first.word.upos != "VERB" or cue.word.upos != "VERB" or first.mention == cue.mention):
            continue
        between = text[cue.word.end:cue.content[0][0]]
        if between.strip().startswith(",") and "," in text[first.word.end:cue.mention.start]:
            shared.append((first, cue))
    taken = {first.word.index: replace(first, content=cue.content, shared=True) for first, cue in shared}
    taken.update({cue.word.index: replace(cue, shared=True) for _, cue in shared})
    return [taken.get(cue.word.index, cue) for cue in cues]


def word_cue(tree: Tree, word: Word, context: Context) -> Cue | None:
    """The attribution this word signals, if any."""
    lower = word.text.lower()
    if lower == "known" and word.upos == "VERB":
        return naming_cue(tree, word, context)
    if word.upos in ("ADJ", "VERB") and lower in ATTITUDES:  # "is opposed to": not a passive
        return actor_cue(tree, word, context)
    if word.upos == "VERB" and word.lemma in CUE_VERBS or reports_clause(tree, word) or raised_subject(tree, word):
        return verb_cue(tree, word, context)
    if word.upos == "VERB" and word.lemma in ACTION_VERBS:
        return action_cue(tree, word, context)
    if word.upos == "VERB" and word.lemma == "make":
        return light_verb_cue(tree, word, context)
    if word.upos == "VERB" and word.lemma == "put" and any(c.text.lower() == "it" for c in tree.kids(word, "obj")):
        return put_it_cue(tree, word, context)
    if word.upos == "NOUN" and word.lemma.lower() in NOMINAL_CUES:
        return noun_cue(tree, word, context)
    if word.upos == "ADV" and lower in HEARSAY_ADVERBS:
        return hearsay_cue(tree, word, context)
    if lower == "according":
        return according_cue(tree, word.index - 1, context)
    return None
