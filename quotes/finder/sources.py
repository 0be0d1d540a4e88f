"""Who a cue's source is: the speaker word (subject, agent, inverted or adjacent speaker)
and its full mention phrase with its type."""

from __future__ import annotations

from itertools import pairwise

from ..lexicon import lemma_guess
from ..models import Entity, Span, SpeakerType, Word
from .parse import Context, Tree, span
from .vocabulary import (
    CLAUSE_ADVERBS,
    CLOSING_MARKS,
    CONTENT_ENDS,
    EDGE_POS,
    GROUP_PRONOUNS,
    INVERTED_VERBS,
    NP_INTERNAL,
    QUANTIFIER_SPEAKERS,
    QUOTE_CHARS,
    RECEIVING_VERBS,
    RELATIVE,
    SPEECH_VERBS,
    SUBJECTS,
    TELL_VERBS,
    TIME_WORDS,
)


def voicer(tree: Tree, noun: Word) -> list[Word]:
    """"Republicans voiced fears that ...": the subject of the verb whose object the cue
    is; not "Clinton faced criticism of ...", where the subject is the target."""
    verb = tree.head(noun)
    if noun.deprel != "obj" or verb is None or verb.lemma in RECEIVING_VERBS:
        return []
    return tree.kids(verb, "nsubj")[:1]


def agents(tree: Tree, verb: Word) -> list[Word]:
    """The "by" phrases of a passive verb."""
    return [w for w in tree.kids(verb, "obl:agent", "obl") if any(c.lemma == "by" for c in tree.kids(w, "case"))]


def parenthetical_speaker(tree: Tree, verb: Word, mention: Span | None) -> list[Word]:
    """"Those discussions, the officials said, are ongoing": when the parser runs the subject
    of what was said and the speaker into one phrase ("Those discussions, the officials"), the
    speaker is the short phrase after its last comma: the cue is set off by commas and what
    follows it is a predicate with no subject of its own."""
    words = tree.sentence.words
    if mention is None or mention.end > verb.start or verb.index + 1 >= len(words):
        return []
    inside = [w for w in words if mention.start <= w.start and w.end <= mention.end]
    commas = [i for i, w in enumerate(inside) if w.text == ","]
    if not commas or words[verb.index].text != ",":
        return []
    last = inside[commas[-1] + 1:]
    after = [w for w in words[verb.index + 1:] if w.text not in QUOTE_CHARS][:2]
    predicate = bool(after) and (after[0].upos in ("AUX", "VERB") or after[0].upos == "ADV" and
                                 len(after) > 1 and after[1].upos in ("AUX", "VERB"))
    named = 0 < len(last) <= 4 and last[-1].upos in ("NOUN", "PROPN", "PRON")
    return last if predicate and named and commas[-1] > 0 else []


def quoted_source(tree: Tree, verb: Word) -> Word | None:
    """"Interfax quoted the ministry as saying ...": the one quoted is the speaker."""
    if verb.lemma != "quote":
        return None
    after = tree.sentence.words[verb.index:]
    for word, following in pairwise(after):
        if word.text.lower() == "as" and lemma_guess(following.text.lower()) in SPEECH_VERBS:
            return quoted_one(tree, verb)
    return None


def quoted_one(tree: Tree, verb: Word) -> Word | None:
    """Who "quoted" quotes: its object, else (the parser often hangs it on "saying")
    the first noun after it."""
    objects = tree.kids(verb, "obj")
    if objects:
        return objects[0]
    nouns = [w for w in tree.sentence.words[verb.index:] if w.upos in ("PROPN", "NOUN", "PRON")]
    return phrase_head(tree, nouns[0]) if nouns else None


def speaker_word(tree: Tree, verb: Word, context: Context) -> Word | None:
    """The cue's source: its active subject, a passive agent, or the subject up the chain
    ("..., saying", "quoted X as saying")."""
    before_verb = [w for w in tree.sentence.words[:verb.index - 1] if w.text not in QUOTE_CHARS]
    if verb.text.lower().endswith("ing") and before_verb and before_verb[-1].text in (",", ":", "—"):
        # "..., saying" / ',” adding': no subject of its own; after "X said, adding" it is X's.
        return cue_subject(tree, verb, context) or clause_subject(tree, verb, context)
    # A subject after the cue is the content's subject mislabelled when a noun right before
    # the cue is there to speak ("Democrats said they want ...") or the cue goes on from an
    # earlier one ("... and said Trump melted down"); "..., said Lavrov" is inverted.
    before = tree.sentence.words[verb.index - 2] if verb.index > 1 else None
    trust_after = before is None or before.upos not in ("NOUN", "PROPN", "PRON", "CCONJ")
    current = verb
    for _ in range(3):
        subjects = [subject for kid in tree.kids(current, *SUBJECTS)
                    if (w := past_opening_adverb(tree, kid, context)) is not None
                    and not context.quoted(w) and not clausal_subject(w)
                    and (w.start < verb.start or trust_after) and (subject := dated_subject(tree, w)) is not None
                    ] or agents(tree, current)
        if subjects:
            return set_off_subject(tree, subjects, verb) or subjects[0]
        head = tree.head(current)
        participle = current.text.lower().endswith("ing")  # "..., saying": labels vary
        if head is None or not participle and current.deprel not in ("advcl", "xcomp", "conj", "acl"):
            return None
        if current is verb and unjoined_conjunct(tree, verb, before):
            return None  # the noun phrase before it speaks (adjacent_speaker)
        if head.lemma == "quote" and current.deprel in ("advcl", "xcomp", "obl"):
            return quoted_one(tree, head)
        current = head
    return None


def unjoined_conjunct(tree: Tree, verb: Word, before: Word | None) -> bool:
    """A cue the parser made a conjunct of the verb before it though no "and" joins them and a
    noun phrase stands right before it: "air strikes hit areas of Sheikh Saeed, the
    Observatory reported" is a clause and its source, not "strikes ... reported" ("Trump
    attacked Clinton and said ..." shares its subject)."""
    return (verb.deprel == "conj" and not tree.kids(verb, "cc") and before is not None
            and before.upos in ("NOUN", "PROPN"))


def inverted_speaker(tree: Tree, verb: Word, context: Context) -> Word | None:
    """"..., said Angie Holan, Politifact's editor." / "The contrast, said Doyle, would be
    clear": a cue after a comma followed by a noun phrase that ends the sentence or is set
    off by a comma has its speaker after it, whatever the parser made of the phrase (iobj,
    obj, a second subject) or of the clause before (its subject is no speaker)."""
    words = tree.sentence.words
    position = verb.index - 1
    before = [w for w in words[:position] if w.text not in CLOSING_MARKS]
    if not before or before[-1].text != "," or verb.lemma not in INVERTED_VERBS or verb.text.lower().endswith("ing"):
        return None
    after = [w for w in tree.kids(verb, "nsubj", "iobj", "obj") if w.start > verb.end and not context.quoted(w)]
    if not after or after[0].upos not in ("PROPN", "NOUN") or tree.subtree(after[0])[0].index != verb.index + 1:
        return None
    last = tree.subtree(after[0])[-1].index
    if last < len(words) and words[last].text not in (",", ".", "!", "?", ";"):
        return None  # "said Obama is wrong": the subject of what was said
    clause_before = any(w.upos in ("VERB", "AUX") for w in before)
    # "The contrast with Trump, said Doyle, would be ...": the content's predicate resumes.
    resumes = last + 1 < len(words) and words[last].text == "," and words[last + 1].upos in ("VERB", "AUX")
    subjects = [w for w in tree.kids(verb, *SUBJECTS) if w.start < verb.start]
    # "The contrast with Trump, said Doyle, ..." but not "Graham, a candidate, said Obama, ...".
    common_before = bool(subjects) and subjects[0].upos == "NOUN" and after[0].upos == "PROPN"
    return after[0] if clause_before or resumes or common_before else None


def dated_subject(tree: Tree, word: Word) -> Word | None:
    """The subject itself, unless it is a day or time, which says when, never who: then the
    subject of the participle right before it ("A news report published [Wednesday] said",
    parsed as "report published" and "Wednesday said"), or none ("[Thursday] at the
    conference, Sen. Lindsey Graham called out ...")."""
    if word.text.lower() not in TIME_WORDS or len(tree.subtree(word)) > 2:
        return word
    if word.index < 2 or (before := tree.sentence.words[word.index - 2]).upos != "VERB":
        return None
    owners = [w for w in tree.kids(before, "nsubj", "nsubj:pass") if w.start < before.start]
    return owners[0] if owners else None


def clausal_subject(word: Word) -> bool:
    """"It's unclear how [the plan would be carried out]": a clause is what is said, never who."""
    return word.deprel == "csubj" and word.upos in ("VERB", "AUX")


def set_off_subject(tree: Tree, subjects: list[Word], verb: Word) -> Word | None:
    """"Many of the closures, he said, have ...": of two subjects before the cue, the one
    set off by a comma next to it is the speaker; the first opens the content. So is a
    relative pronoun before a second subject."""
    before = [w for w in subjects if w.start < verb.start]
    if len(before) < 2:
        return None
    if before[0].text.lower() in ("which", "what", "that"):  # "which Lavrov believes will ..."
        return before[1]
    first_end = max(w.end for w in tree.subtree(before[-2]) if w.upos != "PUNCT" or w is before[-2])
    between = [w for w in tree.sentence.words if first_end <= w.start < before[-1].start]
    return before[-1] if any(w.text == "," for w in between) else None


def opening_adverb(tree: Tree, word: Word, context: Context) -> bool:
    """"Moreover, ..." / "Instead, ...": a sentence opener a weak tagger took for a name."""
    words = tree.sentence.words
    return word.index == 1 and len(words) > 1 and words[1].text == "," and not any(
        e.start <= word.start < e.end for e in context.entities_in(word.start, word.end))


def past_opening_adverb(tree: Tree, subject: Word, context: Context) -> Word | None:
    """A subject, or for a sentence opener a weak tagger took for it, the subject the parser
    then hung on the opener as its apposition ("Meanwhile, [the Confederation of British
    Industry (CBI)] warned ..."); None when there is none."""
    if not opening_adverb(tree, subject, context):
        return subject
    if subject.text.lower() not in CLAUSE_ADVERBS:
        return None  # "Weingarten, a longtime Clinton supporter, said": a name, not an opener
    return next(iter(tree.kids(subject, "appos")), None)


def cue_subject(tree: Tree, participle: Word, context: Context) -> Word | None:
    """The subject of the speech verb a participle hangs on ("Whether the truce holds is
    unclear, the ministry said, adding ..." is the ministry's, not the truce's)."""
    head = tree.head(participle)
    if head is None or head.lemma not in SPEECH_VERBS or head.start > participle.start:
        return None
    subjects = [w for w in tree.kids(head, "nsubj") if not context.quoted(w)]
    return subjects[0] if subjects else None


def clause_subject(tree: Tree, verb: Word, context: Context) -> Word | None:
    """The first subject of the sentence before ``verb``, outside quotes."""
    for word in tree.sentence.words[:verb.index - 1]:
        if word.deprel in SUBJECTS and not context.quoted(word):
            return word
    return None


def adjacent_speaker(tree: Tree, verb: Word, context: Context) -> Word | None:
    """When the parse gives no subject: the noun phrase right after an inverted cue
    ("..., said Edward Alden") or right before it ("...,” Viguerie on Tuesday says")."""
    candidates = (inverted_candidate(tree, verb) + preceding_candidates(tree, verb)
                  + opening_candidate(tree, verb))
    for word in candidates:
        if word.upos in ("PROPN", "NOUN", "PRON") and not context.quoted(word):
            return phrase_head(tree, word, verb)
        if word.text.lower() in QUANTIFIER_SPEAKERS and word.index < verb.index and not context.quoted(word):
            return word
    return None


def inverted_candidate(tree: Tree, verb: Word) -> list[Word]:
    """The word after a cue that follows a content ("..., said Alden"), past DET, ADJ and NUM
    ("said Russian Foreign Ministry spokeswoman ...", "said the senator", "said one official")."""
    words = tree.sentence.words
    position = verb.index - 1
    if position == 0 or words[position - 1].text not in CONTENT_ENDS or position + 1 >= len(words):
        return []
    after = next((w for w in words[position + 1:position + 4] if w.upos not in ("DET", "ADJ", "NUM")),
                 words[position + 1])
    # "— says he made ...": the subject of what is said, not an inverted speaker.
    content_subject = after.deprel in SUBJECTS and after.head and words[after.head - 1].head == verb.index
    # "...,” Kasper told POLITICO": whom one tells is never an inverted speaker.
    if content_subject or verb.lemma in TELL_VERBS:
        return []
    # ", said Alden" follows a clause; "Graham, a candidate, said Obama is ..." does not.
    clause_before = any(w.upos in ("VERB", "AUX") for w in words[:position])
    after_comma = words[position - 1].text == ","
    return [after] if not after_comma or after.upos == "PROPN" and clause_before else []


def preceding_candidates(tree: Tree, verb: Word) -> list[Word]:
    """The word before the cue, past a few adverbs, auxiliaries and times ("Clinton [has
    repeatedly] accused"); after a comma, also the name before an apposition ("Tad Devine, a
    senior adviser to Mr. Sanders, said")."""
    words = tree.sentence.words
    position = verb.index - 1
    before = position - 1
    while before > 0 and position - before < 4 and skippable_before_cue(words[before]):
        before -= 1
    if before < 0:
        return []
    if words[before].text != ",":
        return [words[before]]
    commas = [i for i in range(max(0, before - 15), before) if words[i].text == ","]
    named = bool(commas) and commas[-1] > 0 and words[commas[-1] - 1].upos == "PROPN"
    # "..., his chief of staff, [Mark Reed], said": the name set off right before the cue
    last_name = [words[before - 1]] if before > 0 and words[before - 1].upos == "PROPN" else []
    return [words[before], words[commas[-1] - 1]] + last_name if named else [words[before]] + last_name


def skippable_before_cue(word: Word) -> bool:
    """An adverb, auxiliary, number or time between a speaker and the cue; never a
    quantifier that can be the speaker ("Most said")."""
    lower = word.text.lower()
    if lower in QUANTIFIER_SPEAKERS:
        return False
    return word.upos in ("ADV", "ADP", "NUM", "AUX", "PART") or lower in TIME_WORDS


def opening_candidate(tree: Tree, verb: Word) -> list[Word]:
    """The word opening the phrase before the cue, after a closing quote or at the sentence
    start: "“...,” [Jim] Bennett, 57, told"."""
    words = tree.sentence.words
    position = opening = verb.index - 1
    while opening > 0 and words[opening - 1].text not in CLOSING_MARKS:
        opening -= 1
    return [words[opening]] if opening < position else []


def phrase_head(tree: Tree, word: Word, cue: Word | None = None) -> Word:
    """Climb from a word to the head of its noun phrase, staying on its side of the cue
    ("Crowley told Becerra" parsed as one name must not give Becerra) and of any quotation
    mark (a speaker after a quote hung on a noun inside it)."""
    while word.deprel in NP_INTERNAL:
        head = tree.head(word)
        if head is None or head.upos not in ("PROPN", "NOUN", "PRON") or cue is not None and (
                (head.index < cue.index) != (word.index < cue.index)) or across_quote_mark(tree, word, head):
            break
        if cue is not None and word.deprel == "appos" and (runs_into(tree, word, cue) or tree.kids(head, "case")):
            break  # nor is a speaker ever the apposition of a place or occasion ("In a statement, ...")
        word = head
    return word


def runs_into(tree: Tree, word: Word, cue: Word) -> bool:
    """Whether the phrase of ``word`` goes on to the cue with no comma closing it: in "... hit
    areas of Sheikh Saeed, [the Syrian Observatory ... group] reported" the parser hung the
    source on the end of the content as an apposition; "Tad Devine, a senior adviser, said"
    closes it, and the name before it is the source."""
    last = max(w.index for w in tree.subtree(word))
    return last < cue.index and all(w.text != "," for w in tree.sentence.words[last:cue.index - 1])


def across_quote_mark(tree: Tree, word: Word, other: Word) -> bool:
    """Whether a quotation mark stands between two words."""
    low, high = sorted((word.index, other.index))
    return any(w.text in QUOTE_CHARS for w in tree.sentence.words[low:high - 1])


def mention_of(tree: Tree, word: Word, context: Context,
               cue: Word | None = None) -> tuple[Span | None, SpeakerType | None]:
    """The full mention phrase of a speaker word (titles, appositions; no relative
    clauses), never reaching across its cue. A relative "who" is its own mention, as
    annotators mark it; speakers.py says whom it stands for."""
    if is_relative_subject(word):
        antecedent = relative_antecedent(tree, word)
        if word.text.lower() == "that" and antecedent is not None:  # "the group that endorsed him"
            return mention_of(tree, antecedent, context, cue)
        kind: SpeakerType = "person" if word.text.lower() in ("who", "whom") else "organization"
        return span(context.text, word.start, word.end), kind
    if word.upos == "PRON" or word.deprel == "expl":
        if stands_for_nobody(word, cue):
            return None, None
        pronoun_kind: SpeakerType = "group" if word.text.lower() in GROUP_PRONOUNS else "person"
        return span(context.text, word.start, word.end), pronoun_kind
    words = trimmed(mention_words(tree, word, context, cue))
    words += closing_bracket(tree, words)
    start, end = joined_names(words[0].start, words[-1].end, context, cue)
    return span(context.text, start, end), speaker_type(start, end, word, context.entities_in(start, end))


def is_relative_subject(word: Word) -> bool:
    """"the officials [who] said", "the group [that] endorsed him"."""
    return word.text.lower() in RELATIVE and word.deprel in SUBJECTS


def stands_for_nobody(pronoun: Word, cue: Word | None) -> bool:
    """"there", "this", an expletive, and "it" unless it speaks: "it said" is the ministry
    speaking; "it seems" is nobody."""
    lemma = pronoun.lemma.lower()
    if lemma in ("there", "this", "that", "what") or pronoun.deprel == "expl":
        return True
    return lemma == "it" and (cue is None or cue.lemma not in SPEECH_VERBS)


def mention_words(tree: Tree, word: Word, context: Context, cue: Word | None) -> list[Word]:
    """The contiguous run of words around ``word`` in its noun phrase and in the other subjects
    a weak parser split it into, on the speaker's side of the cue."""
    parts = [word] + [w for w in split_subject(tree, word) if not opening_adverb(tree, w, context)]
    indexes = {w.index for part in parts for w in phrase(tree, part)}
    if cue is not None:
        indexes = {i for i in indexes if i != cue.index and (i < cue.index) == (word.index < cue.index)}
    first = last = word.index
    while first - 1 in indexes:
        first -= 1
    while last + 1 in indexes:
        last += 1
    return tree.sentence.words[first - 1:last]


def trimmed(words: list[Word]) -> list[Word]:
    """A mention without function words and times at its edges."""
    while len(words) > 1 and (words[-1].upos in EDGE_POS or words[-1].text.lower() in TIME_WORDS):
        words = words[:-1]
    while len(words) > 1 and words[0].upos in EDGE_POS:
        words = words[1:]
    return words


def closing_bracket(tree: Tree, words: list[Word]) -> list[Word]:
    """The ")" right after a mention that opens one: "Sen. Lindsey Graham (R-SC)" keeps its
    party's bracket."""
    following = tree.sentence.words[words[-1].index:words[-1].index + 1]
    opened = "(" in [w.text for w in words]
    return following if following and following[0].text == ")" and opened else []


def joined_names(start: int, end: int, context: Context, cue: Word | None) -> tuple[int, int]:
    """A mention widened over the names it cuts into, when the parser cut one in two
    ("Sergei" + "Lavrov"); never over a name that runs across the cue."""
    for entity in context.entities_in(start, end):
        crosses_cue = cue is not None and entity.start < cue.end and entity.end > cue.start
        if not crosses_cue and (entity.start < end <= entity.end or entity.start <= start < entity.end):
            start, end = min(start, entity.start), max(end, entity.end)
    return start, end


def relative_antecedent(tree: Tree, pronoun: Word) -> Word | None:
    """The noun a relative clause's pronoun stands for: "the group [that endorsed him]"."""
    verb = tree.head(pronoun)
    noun = tree.head(verb) if verb is not None and verb.deprel == "acl:relcl" else None
    return noun if noun is not None and noun.upos in ("NOUN", "PROPN") and noun.start < pronoun.start else None


def phrase(tree: Tree, word: Word) -> list[Word]:
    """A noun phrase without its clauses and trailing punctuation ("who ...", ", 57,")."""
    skip = frozenset(w.index for w in tree.children[word.index]
                     if (w.deprel in ("acl:relcl", "acl", "punct", "cc:preconj") or w.upos == "VERB")
                     and w.start > word.end or w.deprel == "case")
    return tree.subtree(word, skip)


def split_subject(tree: Tree, word: Word) -> list[Word]:
    """The other nominal subjects of the same verb: a weak parser splits one long subject
    ("United Nations" + "Secretary General António Guterres") into several. Only those
    adjacent to the mention join it (``mention_of`` keeps a contiguous run)."""
    head = tree.head(word)
    if word.deprel not in SUBJECTS or head is None:
        return []
    return [w for w in tree.kids(head, *SUBJECTS) if w is not word and w.upos in ("PROPN", "NOUN")]


def speaker_type(start: int, end: int, head: Word, entities: list[Entity]) -> SpeakerType:
    """PER -> person, ORG -> organization, other noun phrases ("a source") -> unnamed."""
    inside = [e for e in entities if e.start < end and e.end > start]
    if any(e.type == "PER" and e.start <= head.start < e.end for e in inside):
        return "person"
    if any(e.type in ("ORG", "GPE", "NORP") and e.start <= head.start < e.end for e in inside):
        return "organization"
    if head.upos == "PROPN":
        return "person" if any(e.type == "PER" for e in inside) else "organization"
    if any(e.type == "PER" for e in inside):
        return "person"
    return "unnamed"
