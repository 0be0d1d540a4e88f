"""Speech and stance verbs: speaker, content, passives and raised subjects."""

from __future__ import annotations

from ..models import CueType, Span, Word
from .contents import verb_content
from .parse import Context, Cue, Tree, span, spans_of
from .sources import (
    adjacent_speaker,
    agents,
    inverted_speaker,
    mention_of,
    parenthetical_speaker,
    quoted_source,
    speaker_type,
    speaker_word,
    voicer,
)
from .vocabulary import (
    ADDRESSEE_VERBS,
    CLAUSE_ONLY,
    CUE_VERBS,
    RAISING_VERBS,
    RELATIVE,
    RELATIVE_CONTENT,
    SPEECH_VERBS,
)


def reports_clause(tree: Tree, word: Word) -> bool:
    """A verb outside the cue lexicon with a finite "that"/"whether" clause and a subject,
    or "it is (un)clear whether ..."."""
    if word.upos not in ("VERB", "ADJ"):
        return False
    if word.lemma.lower() in ("clear", "unclear") and tree.kids(word, "expl", "nsubj") and any(
            c.start > word.end for c in tree.kids(word, "csubj", "ccomp", "advcl")):
        return True
    if not tree.kids(word, "nsubj"):
        return False
    for clause in tree.kids(word, "ccomp"):
        if clause.start > word.end and any(m.text.lower() in ("that", "whether") for m in tree.kids(clause, "mark")):
            return True
    return False


def raised_subject(tree: Tree, verb: Word) -> Word | None:
    """"Trump appears to ...", "he is said to have ...": an impression or hearsay about the
    subject, who is part of the content, not its source."""
    complements = [c for c in tree.kids(verb, "xcomp") if c.start > verb.end]
    if not complements:
        return None
    if verb.lemma in RAISING_VERBS and verb.upos in ("VERB", "AUX"):
        subjects = tree.kids(verb, "nsubj")
    elif verb.lemma in CUE_VERBS and tree.kids(verb, "aux:pass"):
        subjects = tree.kids(verb, "nsubj:pass")
    else:
        return None
    return subjects[0] if subjects and subjects[0].start < verb.start else None


def verb_cue(tree: Tree, verb: Word, context: Context) -> Cue:
    """A speech or stance verb, its subject as mention and its complement as content."""
    raised = raised_subject(tree, verb)
    if raised is not None:
        return raised_cue(tree, verb, raised, context)
    speaker = (quoted_source(tree, verb) or inverted_speaker(tree, verb, context)
               or speaker_word(tree, verb, context) or unagentive_speaker(tree, verb, context))
    if speaker is not None and speaker.deprel == "nmod:poss" and tree.head(speaker) is verb:
        # "He stepped up his attacks on ...", the noun taken for a verb: "his" is "He".
        speaker = next(iter(voicer(tree, verb)), speaker)
    mention, kind = mention_of(tree, speaker, context, verb) if speaker else (None, None)
    inserted = parenthetical_speaker(tree, verb, mention)
    if inserted:
        speaker = inserted[-1]
        mention = span(context.text, inserted[0].start, inserted[-1].end)
        kind = speaker_type(mention.start, mention.end, speaker, context.entities_in(mention.start, mention.end))
    cue_type: CueType = "speech" if verb.lemma in SPEECH_VERBS else "stance"
    passive = passive_cue(tree, verb, context, cue_type)
    if passive is not None:
        return passive
    content = verb_content(tree, verb, speaker, mention)
    content = leading_pronoun(tree, mention, content) + content if content else relative_content(tree, verb)
    if mention is not None:  # a mislabelled parse can hand back the speaker as content
        content = [short for a, b in content if (short := clear_of(context.text, a, b, mention))]
    return Cue(tree, verb, span(context.text, verb.start, verb.end), cue_type, mention, kind, content)


def unagentive_speaker(tree: Tree, verb: Word, context: Context) -> Word | None:
    """When the parse gives the cue no subject: the noun phrase beside it
    (``adjacent_speaker``), unless the cue is a passive speech verb. What stands before it is
    what was said or whom it was said to ("Clinton was asked whether ...", "he was told that
    ...", "it was widely reported that ..."), and with no "by" phrase nobody is said to have
    spoken. A passive stance verb keeps it: "the government is worried that ...", "her advisers
    are not convinced that ..." hold the view."""
    if verb.lemma in SPEECH_VERBS and tree.kids(verb, "aux:pass"):
        return None
    return adjacent_speaker(tree, verb, context)


def raised_cue(tree: Tree, verb: Word, raised: Word, context: Context) -> Cue:
    """"Trump appears to ...", "the deal is expected to pass": the subject and its complement
    are the content, and there is no source ("it is expected"), unless a "by" phrase names
    who holds the view ("Pigs are considered unclean [by Muslims]"): on the cue or, as the
    parser often hangs it, on a complement that is no verb ("to be signed [by the governor]"
    and "to pass [by the end of the month]" are the complement's own)."""
    complements = tree.kids(verb, "xcomp")
    agent = next(iter(agents(tree, verb) + [a for c in complements if c.upos in ("ADJ", "NOUN", "PROPN")
                                            for a in agents(tree, c)]), None)
    mention, kind = mention_of(tree, agent, context, verb) if agent else (None, None)
    skip = frozenset({agent.index}) if agent else frozenset()
    content = spans_of([tree.subtree(raised), [w for c in complements for w in tree.subtree(c, skip)]])
    return Cue(tree, verb, span(context.text, verb.start, verb.end), "stance", mention, kind, content)


def clear_of(text: str, start: int, end: int, mention: Span) -> tuple[int, int] | None:
    """A content span without the speaker's mention: whole when apart from it, cut before
    it when it runs on into it ("Since announcing that he would not run[, Mr. Biden has
    been ...]"), nothing when it starts on it."""
    if end <= mention.start or start >= mention.end:
        return start, end
    cut = mention.start
    while cut > start and text[cut - 1] in " ,;:—–-":
        cut -= 1
    return (start, cut) if cut > start else None


def passive_cue(tree: Tree, verb: Word, context: Context, cue_type: CueType) -> Cue | None:
    """"Sanders was backed by young voters": no clause reported, the subject is the content
    and the agent, if any, the source."""
    target = passive_target(tree, verb)
    if target is None:
        return None
    speaker = next(iter(agents(tree, verb)), None)
    mention, kind = mention_of(tree, speaker, context, verb) if speaker else (None, None)
    return Cue(tree, verb, span(context.text, verb.start, verb.end), cue_type, mention, kind,
               spans_of([tree.subtree(target), predicate_as(tree, verb)]))


def predicate_as(tree: Tree, verb: Word) -> list[Word]:
    """"Twitter is seen as [a news site]", "the deal was criticized as [a security threat]":
    what the subject is taken for is part of the attribution, a fragment of its own."""
    phrase = next((tree.subtree(c) for c in tree.kids(verb, "obl", "advcl") if c.start > verb.end
                   and any(m.text.lower() == "as" for m in tree.kids(c, "case", "mark"))), [])
    return phrase[1:] if phrase and phrase[0].text.lower() == "as" else phrase


def passive_target(tree: Tree, verb: Word) -> Word | None:
    """The subject of a passive cue that reports no clause ("Pence was dubbed the winner",
    "Trump was introduced by Christie"): what the attribution is about."""
    if (verb.lemma in ADDRESSEE_VERBS or verb.lemma in CLAUSE_ONLY or not tree.kids(verb, "aux:pass")
            or tree.kids(verb, "ccomp", "parataxis", "xcomp")):
        return None  # "Trump was asked about ..." is the addressee
    subjects = [w for w in tree.kids(verb, "nsubj:pass")
                if w.start < verb.start and w.text.lower() not in ("it", "there", "this", "what")]
    return subjects[0] if subjects else None


def relative_content(tree: Tree, verb: Word) -> list[tuple[int, int]]:
    """"..., which he called ...", "what most people would consider ...": what was said is
    the relative pronoun standing for it."""
    pronouns = [w for w in tree.kids(verb, "obj", "nsubj:pass", "ccomp")
                if w.start < verb.start and w.text.lower() in RELATIVE_CONTENT]
    if pronouns:
        return [(pronouns[0].start, pronouns[0].end)]
    return spans_of([antecedent(tree, verb)])


def antecedent(tree: Tree, verb: Word) -> list[Word]:
    """"everything [he said]", "something [she opposed]": a relative clause with no relative
    word and no object of its own reports the noun phrase it modifies (up to the clause)."""
    head = tree.head(verb)
    if (verb.deprel != "acl:relcl" or head is None or head.upos not in ("NOUN", "PRON") or head.start > verb.start
            or not tree.kids(verb, "nsubj") or tree.kids(verb, "obj", "ccomp", "xcomp", "mark")
            or any(w.text.lower() in RELATIVE for w in tree.subtree(verb) if w.start < verb.start)):
        return []
    clause = tree.subtree(verb)[0].start
    return [w for w in tree.subtree(head) if w.end <= clause]


def leading_pronoun(tree: Tree, mention: Span | None,
                    content: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """"..., which he believes [will make it impossible ...]": the relative pronoun right
    before the speaker opens the content, a fragment of its own."""
    if mention is None or content[0][0] < mention.end:
        return []
    before = [w for w in tree.sentence.words if w.end <= mention.start][-1:]
    return [(before[0].start, before[0].end)] if before and before[0].upos == "PRON" and \
        before[0].text.lower() in ("which", "what") else []
