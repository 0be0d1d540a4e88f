"""What a cue reports: the content right of the cue, left of it, or on both sides."""

from __future__ import annotations

from itertools import pairwise

from ..models import Span, Word
from .marks import is_title
from .parse import Tree, spans_of
from .sources import phrase
from .vocabulary import (
    ADDRESSEE_VERBS,
    ADJUNCTS,
    ANONYMITY_VERBS,
    ANONYMITY_WORDS,
    CLAUSE_BREAKS,
    CLAUSE_MODIFIERS,
    CLAUSE_ONLY,
    CLAUSE_OPENERS,
    CLOSING_MARKS,
    CONTENT_ENDS,
    CUE_VERBS,
    LEFT_CONTENT,
    OBJECT_CONTENT,
    QUOTE_CHARS,
    RELATIVE,
    SAID_FOR_SHORT,
    SKIP_RIGHT,
    SPEAKING_OCCASIONS,
    SPEECH_VERBS,
    STANCE_VERBS,
    SUBJECTS,
    TELL_VERBS,
    THAT_CONJUNCTIONS,
    TIME_WORDS,
    TOPIC_ONLY,
    TOPIC_PREPOSITIONS,
)


def verb_content(tree: Tree, verb: Word, speaker: Word | None,
                 mention: Span | None) -> list[tuple[int, int]]:
    """The reported content: what follows the cue ("said [that] ...", "urged X to ..."),
    what precedes it ("..., Lavrov said"), or both sides when the cue interrupts it
    ("Assad, Rycroft said, “would rather ...”")."""
    nested = nested_cues(tree, verb)
    following = right_content(tree, verb, speaker, nested)
    if asks_anonymity(verb, following):
        return []  # "a senior official, who asked not to be named, said ...": nothing said there
    phrase_start = min(verb.start, mention.start if mention else verb.start)
    before = [w for w in tree.sentence.words if w.end <= phrase_start and w.index not in nested]
    after = without_leading_time(following)
    if not reports_topic(verb, after):
        after = []  # "spoke at a rally", "speaking on condition of anonymity", "talked to reporters"
    after = without_particle(after)
    if verb.lemma == "continue" and after and (after[0].text.lower() == "to" or after[0].upos == "VERB"):
        after = []  # "Trump continues to trail", "kept marauding": going on, not speaking
    if verb.lemma in CLAUSE_ONLY and not reports_something(after):
        after = []  # "said Monday", "said at a rally", "said X, who ...": no clause, no content
    if verb.lemma in CLAUSE_ONLY and after_quote(before) and not resumes_report(after):
        after = []  # '"...," Sanders said while campaigning in Iowa': the writer's, not his
    right = spans_of([interrupted(tree, verb, mention), after])
    if right or introduces(tree, verb):
        return right
    if before and before[-1].text in CONTENT_ENDS and (
            verb.lemma not in CLAUSE_ONLY or reports_something(before)):  # not "In a statement, X said"
        return spans_of([before])
    left = [c for c in tree.kids(verb, *LEFT_CONTENT) if c.start < verb.start
            and not is_subject_side(tree, verb, c)]
    return spans_of([[w for c in left for w in tree.subtree(c, nested)]])


def asks_anonymity(verb: Word, after: list[Word]) -> bool:
    """Whether an asking verb asks to stay unnamed ("asked [not to be named]", "requested [not
    to be identified]"): a condition of speaking, not something said."""
    words = [w.text.lower() for w in after[:4] if w.text.lower() != "not"]  # "not" may hang on the verb
    return verb.lemma in ANONYMITY_VERBS and len(words) > 2 and words[:2] == ["to", "be"] \
        and words[2] in ANONYMITY_WORDS


def introduces(tree: Tree, verb: Word) -> bool:
    """Whether a colon right after the cue introduces what was said ("Speaking after the meeting,
    Mr Smith said:" and the quote in the next paragraph): then nothing before it is content."""
    words = tree.sentence.words
    return verb.index < len(words) and words[verb.index].text == ":"


def without_leading_time(words: list[Word]) -> list[Word]:
    """"Russia said Thursday [it was prepared ...]": a day the parser hung inside the clause
    is when it was said (not "Thursday's vote was ...")."""
    while len(words) > 2 and words[0].text.lower() in TIME_WORDS and words[1].text not in ("'s", "’s"):
        words = words[1:]
    return words


def reports_topic(verb: Word, after: list[Word]) -> bool:
    """Whether the words ``after`` a cue verb may hold what it reports: any words, except after
    "speak" and "talk" (``topic_only``), which report only what they were about (``about_topic``).
    The tagger's attributions are held to it too (``tagged.tagged_quotes``)."""
    return verb.lemma not in TOPIC_ONLY or about_topic(after)


def about_topic(words: list[Word]) -> bool:
    """Whether the words after "speak" or "talk" say what about ("of the internment",
    "to voters about health care", "talking up his candidacy") or what for ("to hail Mr. Trump"),
    before any comma (", speaking on condition of anonymity, suggested ..." has no topic) and
    before any verb: "was speaking a day after Assad offered ... parts of Syria" says when, and
    the "of" is in another clause."""
    commas = [i for i, w in enumerate(words) if w.text == ","]
    words = [w for w in words[:commas[0] if commas else None] if w.upos != "PUNCT"]
    if len(words) < 2:
        return False
    if words[0].text.lower() == "to" and words[1].upos in ("VERB", "AUX"):
        return True
    for word in words:
        if word.upos in ("VERB", "AUX"):
            return False
        if word.text.lower() in ("about", "of", "up"):
            return True
    return False


def after_quote(before: list[Word]) -> bool:
    """Whether a cue phrase comes right after a quote (',” Sanders said'): the quote is
    what it reports. Not after a title ('on “Sunday Morning Futures,” Issa said the ...')."""
    if len(before) < 2 or before[-1].text not in CLOSING_MARKS or before[-2].text not in (",", "?", "!"):
        return False
    opening = max((i for i, w in enumerate(before[:-1]) if w.text in QUOTE_CHARS), default=-1)
    return not is_title(" ".join(w.text for w in before[opening + 1:-2]))


def resumes_report(words: list[Word]) -> bool:
    """Whether words after a cue that follows a quote report more: the quote going on
    (', he said, “...'), a "that" clause or another cue (", citing ...", "when asked
    whether ..."); not ", drawing cheers", "to laughs", "while campaigning in Iowa"."""
    words = [w for w in words if w.text != ","]
    return bool(words) and (words[0].text in QUOTE_CHARS or words[0].text.lower() == "that" or any(
        is_cue_verb(w) for w in words[:4]))


def reports_something(words: list[Word]) -> bool:
    """Whether a candidate content of "say" and the like is a clause, a quote or a word
    standing for one ("so"), not a time, a place or a relative clause about the speaker."""
    words = [w for w in words if w.text != ","]  # ", who runs ..." is still a relative clause
    if not words or words[0].text.lower() in ("who", "whom", "which"):
        return False
    said = " ".join(w.text.lower() for w in words if w.upos != "PUNCT")
    if said in SAID_FOR_SHORT or said.startswith(("the same ", "as much ")):
        return True
    return any(w.upos in ("VERB", "AUX") or w.text in QUOTE_CHARS for w in words)


def without_particle(words: list[Word]) -> list[Word]:
    """"called [on] X to ...", "referred [to] X": the cue's preposition is not content, nor
    is it before a gerund the tagger read as a subordinate clause ("talked [about] moving on",
    "called [for] reducing the rate": PolNeAR starts these contents after it 22 times in 25).
    An infinitive "to" is content ("declined to follow suit"), also before a verb tagged as a
    noun the parser still made the cue's complement ("declined to comment")."""
    if len(words) < 2:
        return words
    first, second = words[0], words[1]
    if first.upos == "SCONJ" and first.text.lower() in TOPIC_PREPOSITIONS and second.upos == "VERB":
        return words[1:]
    if not (first.upos == "ADP" or first.text.lower() == "to"):
        return words
    infinitive = second.upos in ("VERB", "AUX") or second.deprel == "xcomp"
    return words if first.upos != "ADP" and infinitive else words[1:]


def interrupted(tree: Tree, verb: Word, mention: Span | None) -> list[Word]:
    """The words before a cue phrase set off by commas mid-sentence (", Rycroft said,",
    ", said Doyle,", ", Trump told CNN on Friday," with its addressee and adjuncts, as
    ``cue_phrase_end`` reads them right of the cue), one word included: "Otherwise, she said,
    countries may ..." (PolNeAR marks "Otherwise", "Instead", "Now" as content; on its
    training articles 12 of the 13 such words found were annotated)."""
    words = tree.sentence.words
    if mention is None or verb.index >= len(words):
        return []
    phrase_start, phrase_end = (verb.start, mention.end) if mention.start > verb.start else (mention.start, None)
    before = [w for w in words if w.end <= phrase_start]
    if len(before) < 2 or before[-1].text != ",":
        return []
    # Where the cue phrase ends is sought only now: most cues have no comma before them.
    end = phrase_end if phrase_end is not None else cue_phrase_end(tree, verb, None)[0]
    after = next((w for w in words if w.start >= end), None)
    if after is None or after.text not in (",", "“", "\"", "``", "‘"):
        return []
    return [] if speaking_occasion(before) else before


def occasion(words: list[Word]) -> bool:
    """Whether words are a prepositional phrase with no clause in it ("in an interview with
    Reuters", "for the first time"): where or when something was said, not what."""
    return bool(words) and words[0].upos == "ADP" and not any(w.upos in ("VERB", "AUX") for w in words)


def speaking_occasion(words: list[Word]) -> bool:
    """Whether a prepositional phrase before the speaker tells where or how they spoke
    ("In a statement Thursday,", "At a rally for Cruz,"), not what they said."""
    words = [w for w in words if w.upos != "PUNCT"]
    return occasion(words) and any(
        w.lemma.lower() in SPEAKING_OCCASIONS or w.text.lower() in SPEAKING_OCCASIONS for w in words)


def right_content(tree: Tree, verb: Word, speaker: Word | None, nested: frozenset[int]) -> list[Word]:
    """The content right of the cue, leading adjuncts and the addressee ("told reporters
    on Friday") left out."""
    lead_end, children = cue_phrase_end(tree, verb, speaker)
    if speaker is not None and speaker.start < verb.start or opens_clause(tree, lead_end):
        return clause_after(tree, verb, lead_end, nested)
    if not children or not reports_complement(tree, verb, children[0]):
        return []
    # Right of the cue only: "The contrast, said Doyle, would be clear" hangs "contrast" on "clear".
    return [w for c in children for w in tree.subtree(c, nested) if w.start > verb.end]


def cue_phrase_end(tree: Tree, verb: Word, speaker: Word | None) -> tuple[int, list[Word]]:
    """Where the cue phrase ends, past the adjuncts and the addressee right of the verb ("said
    [in an interview afterward]", "told [reporters]"), and the verb's right children after it."""
    children = [c for c in tree.kids(verb) if c.start > verb.end and c.deprel not in SKIP_RIGHT
                and c is not speaker]
    lead_end = verb.end
    while children and (is_adjunct(tree, children[0]) or is_addressee(verb, children[0], children[1:])):
        # The addressee is its noun phrase: "told The Associated Press [that he thinks ...]"
        # with the clause misparsed as a relative clause on "Press" is still what was told.
        lead = tree.subtree(children[0]) if is_adjunct(tree, children[0]) else phrase(tree, children[0])
        lead_end = max(lead_end, lead[-1].end)
        children = children[1:]
    return lead_end, children


def is_addressee(verb: Word, child: Word, following: list[Word]) -> bool:
    """Whom a cue speaks to: the object of a verb whose object always is ("told [reporters]"),
    or the first of two objects of a verb whose first may be ("asked [him] whether ..."), but
    not an object with an infinitive after it where the object is content: "urged [Russia to
    use its influence]" and "asked [voters to ...]" report that Russia or the voters should act
    (PolNeAR's content starts at the object twice as often as at "to")."""
    if child.deprel not in ("obj", "iobj"):
        return False
    if verb.lemma in TELL_VERBS:
        return True
    if verb.lemma in OBJECT_CONTENT and following and following[0].deprel == "xcomp":
        return False
    return verb.lemma in ADDRESSEE_VERBS and bool(following)


def opens_clause(tree: Tree, offset: int) -> bool:
    """Whether the word at ``offset`` opens a clause: "Asked [whether] ..."."""
    following = [w for w in tree.sentence.words if w.start >= offset][:1]
    return bool(following) and following[0].text.lower() in CLAUSE_OPENERS


def clause_after(tree: Tree, verb: Word, after: int, nested: frozenset[int]) -> list[Word]:
    """The rest of the cue's clause after ``after``, from its "that" when an addressee or an
    occasion comes first: "told reporters in Greenville [that ...]", "said in a telephone
    interview [that ...]"."""
    words = rest_of_clause(tree, verb, after, nested)
    that = [w for w in words[:10] if w.text.lower() == "that"]
    if that and (verb.lemma in TELL_VERBS or occasion(words[:words.index(that[0])])):
        return words[words.index(that[0]):]
    return words


def reports_complement(tree: Tree, verb: Word, first: Word) -> bool:
    """Whether a cue's first dependent on the right is what it reports: a clause (also one
    labelled adverbial: "announcing [that ...]"), a stance verb's infinitive ("wants [to
    ...]"), the object of a verb whose object is its content ("urged [Russia to ...]") or of a
    cue in a participle clause ("..., citing [a scheduling conflict]")."""
    if first.deprel in ("ccomp", "parataxis") or that_clause(tree, first):
        return True
    if first.deprel == "xcomp" and verb.lemma in STANCE_VERBS:
        return True
    if first.deprel == "obj" and participle_clause(tree, verb):
        return True
    return first.deprel in ("obj", "xcomp") and verb.lemma in OBJECT_CONTENT


def participle_clause(tree: Tree, verb: Word) -> bool:
    """A cue in a participle clause with no subject of its own ("..., citing [a scheduling
    conflict]", "..., explaining [the campaign's decision]"): what it names is what was said."""
    return verb.deprel == "advcl" and verb.text.lower().endswith("ing") and not tree.kids(verb, "nsubj")


def that_clause(tree: Tree, word: Word) -> bool:
    """A "that"/"whether" clause labelled adverbial ("announcing [that he would not seek
    ...]" as advcl): a complement all the same, unless "so that", "now that"."""
    marks = [m for m in tree.kids(word, "mark") if m.text.lower() in ("that", "whether")]
    if word.deprel != "advcl" or not marks:
        return False
    before = tree.sentence.words[marks[0].index - 2] if marks[0].index > 1 else None
    return before is None or before.text.lower() not in THAT_CONJUNCTIONS


def is_adjunct(tree: Tree, word: Word) -> bool:
    """A short time or place phrase ("on Friday", "in a statement"), not a clause the
    parser mislabelled as one."""
    words = tree.subtree(word)
    # "urged [a strong stand]" labelled obl: a bare noun phrase that names no time is content.
    bare_noun = word.deprel.startswith("obl") and word.upos in ("NOUN", "PROPN") and not tree.kids(
        word, "case") and not any(w.text.lower() in TIME_WORDS for w in words)
    # "calling [for an end] to ...", "warned [of] ...": these prepositions bring in what the
    # cue is about, never a time or place, however the parser attached the rest.
    topic = any(c.text.lower() in TOPIC_PREPOSITIONS for c in tree.kids(word, "case")) and not any(
        w.text.lower() in TIME_WORDS or w.upos == "NUM" for w in words)
    return word.deprel in ADJUNCTS and len(words) <= 5 and not bare_noun and not topic and not any(
        w.upos in ("VERB", "AUX") or w.text.lower() == "that" for w in words)


def rest_of_clause(tree: Tree, verb: Word, after: int, nested: frozenset[int]) -> list[Word]:
    """After a cue whose speaker came first ("Lavrov said ...", "Kerry urged Russia to ..."),
    the content is the rest of its clause. Labels from a small parser are too often wrong (a ccomp tagged
    conj, obj or nsubj, the verb itself a noun compound) to trust one relation here."""
    head = tree.head(verb)
    modifies_left = verb.deprel in CLAUSE_MODIFIERS and head is not None and head.start < verb.start
    end = tree.subtree(verb)[-1].end if modifies_left and not bare_participle(tree, verb) else tree.sentence.end
    for clause in tree.kids(verb, "conj"):  # "..., and he railed against ..." is not said
        if clause.start > after and (tree.kids(clause, "nsubj") and tree.kids(clause, "cc") and not
                                     tree.kids(clause, "mark") or is_cue_verb(clause)):
            cut = tree.subtree(clause)[0].start
            # Not "said [the Clintons] and [the foundation had been careful]": a noun phrase
            # alone is never what "said" reports, so the clause is the rest of the content.
            if verb.lemma not in CLAUSE_ONLY or reports_something(
                    [w for w in tree.sentence.words if after <= w.start and w.end <= cut]):
                end = min(end, cut)
    end = min([end] + [w.start for w in next_attribution(tree, verb, after) + next_participle(tree, after)])
    inside = {w.index for c in nested for w in tree.subtree(tree.sentence.words[c - 1])}
    return [w for w in tree.sentence.words if after <= w.start and w.end <= end and w.index not in inside]


def bare_participle(tree: Tree, verb: Word) -> bool:
    """"praised Putin, saying [he was ...]" with the clause hung on "praised": a speech
    participle after a comma with nothing of its own on the right still reports what follows."""
    words = tree.sentence.words
    return verb.lemma in SPEECH_VERBS and verb.index > 1 and words[verb.index - 2].text == "," and not any(
        c.start > verb.end and c.deprel not in SKIP_RIGHT for c in tree.kids(verb))


def is_cue_verb(word: Word) -> bool:
    return word.upos == "VERB" and word.lemma in CUE_VERBS


def next_participle(tree: Tree, after: int) -> list[Word]:
    """Where the writer takes over again: the comma before ", adding that ..." (a cue of
    its own), ", while ...", ", which ...", a semicolon, or the "and" of "... and said that":
    annotated contents stop there. A comma inside a closing quote (',” claiming') counts.
    (", but ..." and ", though ..." go on with what was said as often as not.)"""
    words = tree.sentence.words
    for i, (mark, word) in enumerate(pairwise(words)):
        if word.start > after and writer_resumes(tree, words, i):
            return [mark]
    return []


def writer_resumes(tree: Tree, words: list[Word], i: int) -> bool:
    """Whether the writer takes over at ``words[i]``: a semicolon, a comma before a clause
    break or a speech participle, or "and" before a speech verb."""
    mark, word = words[i], words[i + 1]
    if mark.text == ";":
        return True
    if is_comma(words, i) and (breaks_clause(tree, word) or is_speech_participle(word)):
        return True
    return mark.upos == "CCONJ" and is_speech_verb(word)


def is_comma(words: list[Word], i: int) -> bool:
    """A comma, or a closing quotation mark right after one (',” claiming')."""
    mark = words[i]
    return mark.text == "," or mark.text in CLOSING_MARKS and i > 0 and words[i - 1].text == ","


def breaks_clause(tree: Tree, word: Word) -> bool:
    """", while ...", ", which ..." (not a relative clause the reported clause goes on after)."""
    return word.text.lower() in CLAUSE_BREAKS and not embedded_relative(tree, word)


def is_speech_verb(word: Word) -> bool:
    return is_cue_verb(word) and word.lemma in SPEECH_VERBS


def is_speech_participle(word: Word) -> bool:
    """", adding that ...", ", saying ...": a cue of its own."""
    return word.text.lower().endswith("ing") and is_speech_verb(word)


def embedded_relative(tree: Tree, pronoun: Word) -> bool:
    """"said the decision, which struck down ..., illustrates ...": a relative clause the
    reported clause goes on after (with its predicate) is inside the content, not the
    writer's comment on it."""
    clause = tree.head(pronoun)
    if pronoun.text.lower() not in ("which", "where") or clause is None or clause.deprel != "acl:relcl":
        return False
    following = [w for w in tree.sentence.words[tree.subtree(clause)[-1].index:] if w.text != ","]
    return bool(following) and following[0].upos in ("VERB", "AUX")


def next_attribution(tree: Tree, verb: Word, after: int) -> list[Word]:
    """Where a later attribution in the sentence begins (", while 9 percent found ..."):
    the comma or conjunction before its subject."""
    words = tree.sentence.words
    for other in words[verb.index:]:
        subjects = [s for s in tree.kids(other, "nsubj") if s.start > after]
        if other.upos == "VERB" and other.lemma in CUE_VERBS and subjects:
            first = subject_start = tree.subtree(subjects[0])[0].index - 1
            while first > 0 and words[first - 1].upos in ("PUNCT", "CCONJ", "SCONJ"):
                first -= 1
            comma = any(w.text in (",", ";") for w in words[first:subject_start])
            return [words[first]] if comma and words[first].start > after else []
    return trailing_attribution(tree, after)


def trailing_attribution(tree: Tree, after: int) -> list[Word]:
    """The comma of a short attribution closing the sentence (", a new poll indicates."),
    however the parser attached it."""
    words = [w for w in tree.sentence.words if w.upos != "PUNCT" or w.text in (",", ";")]
    commas = [i for i, w in enumerate(words) if w.text == "," and w.start > after]
    if not commas:
        return []
    tail = words[commas[-1] + 1:]
    cues = [i for i, w in enumerate(tail) if is_cue_verb(w)]
    if len(tail) <= 8 and cues and len(tail) - cues[0] <= 4 and tail[0].upos != "VERB" and not any(
            w.text.lower() in CLAUSE_OPENERS for w in tail):
        return [words[commas[-1]]]
    return []


def is_subject_side(tree: Tree, verb: Word, child: Word) -> bool:
    """A left child that is the subject or sits between the subject and the cue."""
    subjects = tree.kids(verb, *SUBJECTS)
    return child.deprel in SUBJECTS or any(child.start > s.start for s in subjects)


def nested_cues(tree: Tree, verb: Word) -> frozenset[int]:
    """Clauses inside a content that carry their own attribution ("which he called ...");
    never the cue's own governor ("Clinton said ..., calling on ...") nor a relative clause
    whose subject is its relative pronoun ("attacks which reportedly claimed 100 lives")."""
    governors, head = set(), tree.head(verb)
    while head is not None and head.index not in governors:
        governors.add(head.index)
        head = tree.head(head)
    return frozenset(w.index for w in tree.sentence.words
                     if w is not verb and w.index not in governors and w.upos == "VERB"
                     and w.lemma in SPEECH_VERBS and w.deprel in ("acl:relcl", "parataxis")
                     and any(s.text.lower() not in RELATIVE for s in tree.kids(w, "nsubj")))
