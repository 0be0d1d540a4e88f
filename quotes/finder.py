"""Find quotes in a parsed article: content span, kind, cue and the speaker *mention*.

Two sources of evidence meet here. Quotation marks (``quotemarks.py``) give direct
quotes; the parse gives cues (speech and stance verbs by lemma, "according to",
"quoted X as saying", a colon after a name) with their speaker mention and content:
the rest of the clause after "Lavrov said", the sentence before ", Lavrov said", both
sides of an interrupting ", he said,". A content holding quoted text is a mixed quote;
a quoted stretch outside every content goes to the nearest cue of its sentence, to a
cue ending the sentence before it ("Trump said:"), or continues the previous speaker.

The parse comes from small models that mislabel often (ccomp as conj, "says" as a
noun), so the rules lean on word order and word forms where labels are unreliable.
Which *person* a mention names (pronouns, surnames) is ``speakers.py``'s job.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .lexicon import cue_is_speech, lemma_guess, lexicon  # noqa: F401 (cue_is_speech: re-exported)
from .models import Entity, ParsedArticle, Quote, Sentence, Span, SpeakerRef, Word
from .quotemarks import QuotedSpan, quoted_spans

LEXICON = lexicon()
CUES = LEXICON.cues
SPEECH_VERBS = CUES.verbs_where(kind="speech")
STANCE_VERBS = CUES.verbs_where(kind="stance")
# Verbs whose object (with its "to ..." complement) is what was said or wanted.
OBJECT_CONTENT = CUES.verbs_where(object_is_content=True)
CUE_VERBS = SPEECH_VERBS | STANCE_VERBS
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
FORCED_VERBS = frozenset(CUES.forms("always_verb"))
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
CLAUSE_BREAKS = frozenset(GRAMMAR.clause_breaks)
THAT_CONJUNCTIONS = frozenset(GRAMMAR.that_conjunctions)
CLAUSE_MODIFIERS = ("acl:relcl", "acl", "advcl", "xcomp", "ccomp", "csubj")
NP_INTERNAL = ("flat", "flat:name", "compound", "appos", "nmod", "nmod:poss", "amod", "det", "conj")
SKIP_RIGHT = ("punct", "cc", "discourse")
ADJUNCTS = ("obl", "obl:tmod", "obl:npmod", "obl:unmarked", "advmod", "nmod:tmod", "nmod:npmod")
# A cue's phrase opening with these is its topic ("called for", "warned of"), not an adjunct.
TOPIC_PREPOSITIONS = frozenset(CUES.words.topic_prepositions)
QUOTE_CHARS = frozenset(MARKS.quote_chars)
# Speech verbs whose content is only a topic ("spoke about ...", "talked of ..."): never a place,
# an audience or "on condition of anonymity".
TOPIC_ONLY = CUES.verbs_where(topic_only=True)
# What these report is a clause: "said Monday", "said at a rally" or "said X, a lawyer" is none.
CLAUSE_ONLY = CUES.verbs_where(clause_only=True)
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


def repaired(word: Word, previous: Word | None) -> Word:
    """Trust the word form over the tagger for unmistakable reporting verbs ("says",
    "announced" or "Viguerie notes" as a NOUN, "told" lemmatized as "told"): small models
    get these wrong surprisingly often."""
    lower = word.text.lower()
    if word.upos == "VERB" and word.lemma in KNOWN_VERBS:
        return word
    lemma = lemma_guess(lower)
    known = lemma in KNOWN_VERBS
    # "Viguerie notes", "he says", "his attacks on" (the noun cue read as its verb); not "his
    # press briefing": no third-person -s ends in "ss".
    after_name = previous is not None and previous.upos in ("PROPN", "PRON") and lower.endswith("s") \
        and not lower.endswith("ss")
    if lower in FORCED_VERBS or known and (lower.endswith("ed") or after_name):
        return word.model_copy(update={"upos": "VERB", "lemma": lemma})
    return word


@dataclass
class Tree:
    """One parsed sentence with its words' children, for subtree spans."""

    sentence: Sentence
    children: dict[int, list[Word]]

    @classmethod
    def of(cls, sentence: Sentence) -> Tree:
        words = sentence.words
        sentence = sentence.model_copy(update={"words": [
            repaired(w, words[i - 1] if i else None) for i, w in enumerate(words)]})
        children: dict[int, list[Word]] = {w.index: [] for w in sentence.words}
        children[0] = []
        for word in sentence.words:
            children.setdefault(word.head, []).append(word)
        return cls(sentence, children)

    def head(self, word: Word) -> Word | None:
        return self.sentence.words[word.head - 1] if word.head else None

    def kids(self, word: Word, *deprels: str) -> list[Word]:
        return [w for w in self.children[word.index] if not deprels or w.deprel in deprels]

    def subtree(self, word: Word, skip: frozenset[int] = frozenset()) -> list[Word]:
        """The word and its descendants, leaving out the subtrees rooted at ``skip``."""
        found, todo = [], [word]
        while todo:
            current = todo.pop()
            if current.index in skip and current is not word:
                continue
            found.append(current)
            todo.extend(self.children[current.index])
        return sorted(found, key=lambda w: w.index)


@dataclass
class Cue:
    """A cue word with its speaker mention and, if the parse shows one, its content."""

    tree: Tree
    word: Word
    span: Span
    cue_type: str
    mention: Span | None
    mention_type: str | None
    content: list[tuple[int, int]]


@dataclass
class Context:
    """What every cue needs to know about its article: text, entities, quoted stretches.

    Entities and marks are sorted, non-overlapping spans looked up by bisection, so the
    work per cue does not grow with the article's length.
    """

    text: str
    entities: list[Entity]
    marks: list[QuotedSpan]
    entity_starts: list[int] = field(init=False)
    mark_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.entities = sorted(self.entities, key=lambda e: e.start)
        self.entity_starts = [e.start for e in self.entities]
        self.mark_starts = [m.start for m in self.marks]

    def quoted(self, word: Word) -> bool:
        return bool(within(self.marks, self.mark_starts, word.start, word.start + 1))

    def marks_in(self, start: int, end: int) -> list[QuotedSpan]:
        """The quoted stretches overlapping ``text[start:end]``."""
        return within(self.marks, self.mark_starts, start, end)

    def entities_in(self, start: int, end: int) -> list[Entity]:
        """The entities overlapping ``text[start:end]``."""
        return within(self.entities, self.entity_starts, start, end)


def within(spans: list, starts: list[int], start: int, end: int) -> list:
    """The spans (sorted by start, not overlapping each other) overlapping [start, end)."""
    first = max(0, bisect_right(starts, start) - 1)
    last = bisect_left(starts, end)
    return [s for s in spans[first:last] if s.end > start]


@dataclass
class CueIndex:
    """Cues grouped by sentence, looked up by offset: a quote only ever looks at the cues of
    the sentences around it, and bisection keeps that independent of the article's length."""

    sentences: list[Sentence]
    cues: list[list[Cue]]
    starts: list[int]

    @classmethod
    def of(cls, trees: list[Tree], cues: list[Cue]) -> CueIndex:
        """Index ``cues`` by the sentences of ``trees`` (in text order)."""
        by_start: dict[int, list[Cue]] = {tree.sentence.start: [] for tree in trees}
        for cue in cues:
            by_start[cue.tree.sentence.start].append(cue)
        return cls([t.sentence for t in trees], [by_start[t.sentence.start] for t in trees],
                   [t.sentence.start for t in trees])

    def touching(self, start: int, end: int) -> list[Cue]:
        """The cues of the sentences overlapping ``[start, end)``."""
        first = max(0, bisect_right(self.starts, start) - 1)
        return [c for i in range(first, bisect_left(self.starts, end)) if self.sentences[i].end > start
                for c in self.cues[i]]

    def ending_before(self, offset: int) -> list[Cue]:
        """The cues of the last sentence (with cues) ending at or before ``offset``."""
        i = bisect_right(self.starts, offset) - 1
        while i >= 0 and self.sentences[i].end > offset:
            i -= 1
        return self.cues[i] if i >= 0 else []

    def opens_sentence(self, offset: int) -> bool:
        """Whether ``offset`` starts a sentence (give or take a space)."""
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.sentences[i].end and offset - self.starts[i] <= 1

    def outside(self, spans: list[tuple[int, int]]) -> CueIndex:
        """The same index without the cues whose start falls inside one of ``spans``."""
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        starts = [m[0] for m in merged]

        def covered(offset: int) -> bool:
            i = bisect_right(starts, offset) - 1
            return i >= 0 and offset < merged[i][1]
        return CueIndex(self.sentences, [[c for c in cues if not covered(c.span.start)]
                                         for cues in self.cues], self.starts)


def find_quotes(parsed: ParsedArticle) -> list[Quote]:
    """Every quote of the article body, in text order, with cue and speaker mention."""
    article = parsed.article
    body_end = article.body_end if article.body_end is not None else len(article.text)
    marks = [m for m in quoted_spans(article.text) if article.body_start <= m.start < body_end]
    context = Context(article.text, parsed.entities, marks)
    trees = [Tree.of(s) for s in parsed.sentences
             if s.words and article.body_start <= s.start < body_end]
    # A cue inside quotation marks belongs to the quoted speech, not to the article.
    cues = [cue for tree in trees for cue in sentence_cues(tree, context)
            if not context.quoted(cue.word)]
    quotes, used = content_quotes(parsed, cues, context)
    quotes += mark_quotes(parsed, CueIndex.of(trees, cues), [m for m in marks if m not in used], quotes)
    return drop_overlaps(sorted(quotes, key=lambda q: q.start))


def sentence_cues(tree: Tree, context: Context) -> list[Cue]:
    """Verb, noun and adverb cues, "according to" and "NAME:" introductions in one sentence."""
    cues = [word_cue(tree, word, context) for word in tree.sentence.words]
    return [cue for cue in cues + [colon_cue(tree, context)] if cue is not None]


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


def naming_cue(tree: Tree, verb: Word, context: Context) -> Cue | None:
    """"the contests known as Super Tuesday", "Pfizer is best known for Lipitor": what is
    named and its name or reputation, two fragments with no source."""
    names = [(c, m) for c in tree.kids(verb) if c.start > verb.end
             for m in tree.kids(c, "case", "mark") if m.text.lower() in ("as", "for")]
    if not names:
        return verb_cue(tree, verb, context)  # "were known", "knew that ..."
    name, marker = names[0]
    head = tree.head(verb)
    if verb.deprel == "acl" and head is not None and head.start < verb.start:
        named = [w for w in tree.subtree(head, frozenset([verb.index])) if w.end <= verb.start]
    else:
        subjects = tree.kids(verb, "nsubj:pass", "nsubj")
        named = tree.subtree(subjects[0]) if subjects else []
    # The name runs from "as" to the end of its phrase and on over proper nouns: the parser
    # makes "Super" and "Tuesday" of "known as Super Tuesday" two phrases.
    words = tree.sentence.words
    end = tree.subtree(name)[-1].index
    while end < len(words) and words[end].upos == "PROPN":
        end += 1
    return Cue(tree, verb, span(context.text, verb.start, verb.end), "stance", None, None,
               spans_of([without_particle(named), words[marker.index:end]]))


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


def action_cue(tree: Tree, verb: Word, context: Context) -> Cue | None:
    """An act of a person or organisation about its object or its for/against/on phrase,
    trailing times and places left out ("promoted his business [since announcing ...]")."""
    passive = passive_cue(tree, verb, context, "stance")
    if passive is not None:
        return passive if passive.mention_type in ACTORS else None
    return actor_cue(tree, verb, context)


def actor_cue(tree: Tree, verb: Word, context: Context) -> Cue | None:
    """What a person or organisation does or feels about something: "backed Clinton",
    "is confident that ...", "is opposed to the deal"."""
    speaker = speaker_word(tree, verb, context) or next(iter(tree.kids(verb, "nsubj:pass")), None)
    if speaker is None:
        return None
    mention, kind = mention_of(tree, speaker, context, verb)
    if kind not in ACTORS:
        return None
    topics = ATTITUDE_TOPICS if verb.text.lower() in ATTITUDES else ACTION_TOPICS
    content = [w for c in tree.kids(verb) if c.start > verb.end and acted_on(tree, c, topics)
               for w in tree.subtree(c)]
    return Cue(tree, verb, span(context.text, verb.start, verb.end), "stance", mention, kind,
               spans_of([without_particle(content)])) if content else None


def acted_on(tree: Tree, child: Word, topics: frozenset[str]) -> bool:
    """Whether a dependent of an act or attitude is what it is about: its object or clause,
    or a phrase led by one of ``topics`` (not "on Monday" after "voted")."""
    if child.deprel in ("obj", "iobj", "ccomp", "xcomp"):
        return True
    return child.deprel == "obl" and any(c.text.lower() in topics for c in tree.kids(child, "case")) \
        and not any(w.text.lower() in TIME_WORDS or w.upos == "NUM" for w in tree.subtree(child))


def light_verb_cue(tree: Tree, verb: Word, context: Context) -> Cue | None:
    """"He made it clear that ...", "Christie has been making the case that ...": the
    clause is what was said."""
    light = [w for w in tree.kids(verb, "obj", "xcomp") if w.lemma.lower() in LIGHT_OBJECTS]
    if not light:
        return None
    clause = next((w for w in tree.subtree(verb) if w.start > light[0].end and any(
        m.text.lower() == "that" for m in tree.kids(w, "mark"))), None)
    if clause is None:
        return None
    cue = verb_cue(tree, verb, context)
    return Cue(tree, verb, cue.span, "speech", cue.mention, cue.mention_type,
               spans_of([tree.subtree(clause)]))


def put_it_cue(tree: Tree, verb: Word, context: Context) -> Cue:
    """"As Professor Foner put it: ''...''": a way of saying, whose quote is the one it
    introduces."""
    cue = verb_cue(tree, verb, context)
    return Cue(tree, verb, cue.span, "speech", cue.mention, cue.mention_type, [])


def noun_cue(tree: Tree, noun: Word, context: Context) -> Cue | None:
    """"his claim that ...", "Trump's call for ...", "the ministry's warning to ...": a
    nominal cue whose content is its clause or topic and whose source is its possessor;
    a possessive pronoun gives way to the subject it stands for ("He stepped up his
    attacks on ...": "He")."""
    possessors = [w for w in tree.kids(noun, "nmod:poss") if not context.quoted(w)]
    owners = [w for w in possessors if w.upos != "PRON"] + [
        w for w in tree.kids(noun, "nmod") if w.start > noun.end and any(
            c.text.lower() in ("by", "from") for c in tree.kids(w, "case"))] + voicer(tree, noun) + [
        w for w in possessors if w.upos == "PRON"]
    content = [w for c in tree.kids(noun, "acl", "ccomp", "nmod", "acl:relcl") + detached_topic(tree, noun)
               if c.start > noun.end and nominal_content(tree, c, topic=True) for w in tree.subtree(c)]
    if not content:
        return None
    mention, kind = mention_of(tree, owners[0], context) if owners else (None, None)
    cue_type = "speech" if NOMINAL_CUES[noun.lemma.lower()] else "stance"
    return Cue(tree, noun, span(context.text, noun.start, noun.end), cue_type, mention, kind,
               spans_of([without_particle(content)]))


def detached_topic(tree: Tree, noun: Word) -> list[Word]:
    """"renewed its call [for a ceasefire]" parsed with the phrase on the verb: a for/about/of
    phrase right after the cue is its topic all the same."""
    verb, end = tree.head(noun), tree.subtree(noun)[-1].index
    if noun.deprel != "obj" or verb is None:
        return []
    return [c for c in tree.kids(verb, "obl") if tree.subtree(c)[0].index == end + 1 and any(
        m.text.lower() in TOPIC_PREPOSITIONS for m in tree.kids(c, "case"))]


def voicer(tree: Tree, noun: Word) -> list[Word]:
    """"Republicans voiced fears that ...": the subject of the verb whose object the cue
    is; not "Clinton faced criticism of ...", where the subject is the target."""
    verb = tree.head(noun)
    if noun.deprel != "obj" or verb is None or verb.lemma in RECEIVING_VERBS:
        return []
    return tree.kids(verb, "nsubj")[:1]


def nominal_content(tree: Tree, child: Word, topic: bool) -> bool:
    """A "that"/"to" clause, or (when ``topic``) what for/of/about bring in: "Trump's call
    for a ban" but not "the call for" with no one making it."""
    marks = {w.text.lower() for w in tree.kids(child, "mark", "case")}
    if child.deprel in ("nmod", "obl"):
        return topic and bool(marks & TOPIC_PREPOSITIONS)
    return bool(marks & {"that", "to"})


def verb_cue(tree: Tree, verb: Word, context: Context) -> Cue:
    """A speech or stance verb, its subject as mention and its complement as content."""
    raised = raised_subject(tree, verb)
    if raised is not None:
        content = spans_of([tree.subtree(raised), [w for c in tree.kids(verb, "xcomp") for w in tree.subtree(c)]])
        return Cue(tree, verb, span(context.text, verb.start, verb.end), "stance", None, None, content)
    speaker = (quoted_source(tree, verb) or inverted_speaker(tree, verb, context)
               or speaker_word(tree, verb, context) or adjacent_speaker(tree, verb, context))
    if speaker is not None and speaker.deprel == "nmod:poss" and tree.head(speaker) is verb:
        # "He stepped up his attacks on ...", the noun taken for a verb: "his" is "He".
        speaker = next(iter(voicer(tree, verb)), speaker)
    mention, kind = mention_of(tree, speaker, context, verb) if speaker else (None, None)
    inserted = parenthetical_speaker(tree, verb, mention)
    if inserted:
        speaker = inserted[-1]
        mention = span(context.text, inserted[0].start, inserted[-1].end)
        kind = speaker_type(mention.start, mention.end, speaker, context.entities_in(mention.start, mention.end))
    cue_type = "speech" if verb.lemma in SPEECH_VERBS else "stance"
    passive = passive_cue(tree, verb, context, cue_type)
    if passive is not None:
        return passive
    content = verb_content(tree, verb, speaker, mention)
    content = leading_pronoun(tree, mention, content) + content if content else relative_content(tree, verb)
    if mention is not None:  # a mislabelled parse can hand back the speaker as content
        content = [short for a, b in content if (short := clear_of(context.text, a, b, mention))]
    return Cue(tree, verb, span(context.text, verb.start, verb.end), cue_type, mention, kind, content)


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


def passive_cue(tree: Tree, verb: Word, context: Context, cue_type: str) -> Cue | None:
    """"Sanders was backed by young voters": no clause reported, the subject is the content
    and the agent, if any, the source."""
    target = passive_target(tree, verb)
    if target is None:
        return None
    speaker = next(iter(agents(tree, verb)), None)
    mention, kind = mention_of(tree, speaker, context, verb) if speaker else (None, None)
    return Cue(tree, verb, span(context.text, verb.start, verb.end), cue_type, mention, kind,
               spans_of([tree.subtree(target)]))


def passive_target(tree: Tree, verb: Word) -> Word | None:
    """The subject of a passive cue that reports no clause ("Pence was dubbed the winner",
    "Trump was introduced by Christie"): what the attribution is about."""
    if (verb.lemma in ADDRESSEE_VERBS or verb.lemma in CLAUSE_ONLY or not tree.kids(verb, "aux:pass")
            or tree.kids(verb, "ccomp", "parataxis", "xcomp")):
        return None  # "Trump was asked about ..." is the addressee
    subjects = [w for w in tree.kids(verb, "nsubj:pass")
                if w.start < verb.start and w.text.lower() not in ("it", "there", "this", "what")]
    return subjects[0] if subjects else None


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


def relative_content(tree: Tree, verb: Word) -> list[tuple[int, int]]:
    """"..., which he called ...", "what most people would consider ...": what was said is
    the relative pronoun standing for it."""
    pronouns = [w for w in tree.kids(verb, "obj", "nsubj:pass", "ccomp")
                if w.start < verb.start and w.text.lower() in RELATIVE_CONTENT]
    return [(pronouns[0].start, pronouns[0].end)] if pronouns else []


def leading_pronoun(tree: Tree, mention: Span | None,
                    content: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """"..., which he believes [will make it impossible ...]": the relative pronoun right
    before the speaker opens the content, a fragment of its own."""
    if mention is None or content[0][0] < mention.end:
        return []
    before = [w for w in tree.sentence.words if w.end <= mention.start][-1:]
    return [(before[0].start, before[0].end)] if before and before[0].upos == "PRON" and \
        before[0].text.lower() in ("which", "what") else []


def quoted_source(tree: Tree, verb: Word) -> Word | None:
    """"Interfax quoted the ministry as saying ...": the one quoted is the speaker."""
    if verb.lemma != "quote":
        return None
    after = tree.sentence.words[verb.index:]
    for word, following in zip(after, after[1:]):
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
        subjects = [w for w in tree.kids(current, *SUBJECTS)
                    if not context.quoted(w) and not clausal_subject(w) and not opening_adverb(tree, w, context)
                    and (w.start < verb.start or trust_after)] or agents(tree, current)
        if subjects:
            return set_off_subject(tree, subjects, verb) or subjects[0]
        head = tree.head(current)
        participle = current.text.lower().endswith("ing")  # "..., saying": labels vary
        if head is None or not participle and current.deprel not in ("advcl", "xcomp", "conj", "acl"):
            return None
        if head.lemma == "quote" and current.deprel in ("advcl", "xcomp", "obl"):
            return quoted_one(tree, head)
        current = head
    return None


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
    words = tree.sentence.words
    position = verb.index - 1
    candidates = []
    if position > 0 and words[position - 1].text in CONTENT_ENDS and position + 1 < len(words):
        # "said Russian Foreign Ministry spokeswoman ...", "said the senator", "said one official":
        # past DET, ADJ and NUM.
        after = next((w for w in words[position + 1:position + 4] if w.upos not in ("DET", "ADJ", "NUM")),
                     words[position + 1])
        # ", said Alden" follows a clause; "Graham, a candidate, said Obama is ..." does not.
        clause_before = any(w.upos in ("VERB", "AUX") for w in words[:position])
        # "— says he made ...": the subject of what is said, not an inverted speaker.
        content_subject = after.deprel in SUBJECTS and after.head and \
            words[after.head - 1].head == verb.index
        # "...,” Kasper told POLITICO": whom one tells is never an inverted speaker.
        if not content_subject and verb.lemma not in TELL_VERBS and (
                words[position - 1].text != "," or after.upos == "PROPN" and clause_before):
            candidates.append(after)
    before = position - 1
    while before > 0 and position - before < 4 and words[before].text.lower() not in QUANTIFIER_SPEAKERS and (
            words[before].upos in ("ADV", "ADP", "NUM", "AUX", "PART")  # "Clinton [has repeatedly] accused"
            or words[before].text.lower() in TIME_WORDS):
        before -= 1
    if before >= 0:
        candidates.append(words[before])
        if words[before].text == ",":  # "Tad Devine, a senior adviser to Mr. Sanders, said"
            commas = [i for i in range(max(0, before - 15), before) if words[i].text == ","]
            if commas and commas[-1] > 0 and words[commas[-1] - 1].upos == "PROPN":
                candidates.append(words[commas[-1] - 1])
    # "“...,” Jim Bennett, 57, told": the phrase opening after the quote or the sentence start.
    opening = position
    while opening > 0 and words[opening - 1].text not in ("”", "\"", "''", "’"):
        opening -= 1
    if opening < position:
        candidates.append(words[opening])
    for word in candidates:
        if word.upos in ("PROPN", "NOUN", "PRON") and not context.quoted(word):
            return phrase_head(tree, word, verb)
        if word.text.lower() in QUANTIFIER_SPEAKERS and word.index < verb.index and not context.quoted(word):
            return word
    return None


def phrase_head(tree: Tree, word: Word, cue: Word | None = None) -> Word:
    """Climb from a word to the head of its noun phrase, staying on its side of the cue
    ("Crowley told Becerra" parsed as one name must not give Becerra) and of any quotation
    mark (a speaker after a quote hung on a noun inside it)."""
    while word.deprel in NP_INTERNAL:
        head = tree.head(word)
        if head is None or head.upos not in ("PROPN", "NOUN", "PRON") or cue is not None and (
                (head.index < cue.index) != (word.index < cue.index)) or across_quote_mark(tree, word, head):
            break
        word = head
    return word


def across_quote_mark(tree: Tree, word: Word, other: Word) -> bool:
    """Whether a quotation mark stands between two words."""
    low, high = sorted((word.index, other.index))
    return any(w.text in QUOTE_CHARS for w in tree.sentence.words[low:high - 1])


def mention_of(tree: Tree, word: Word, context: Context,
               cue: Word | None = None) -> tuple[Span | None, str | None]:
    """The full mention phrase of a speaker word (titles, appositions; no relative
    clauses), never reaching across its cue. A relative "who" is its own mention, as
    annotators mark it; speakers.py says whom it stands for."""
    if word.text.lower() in RELATIVE and word.deprel in SUBJECTS:
        antecedent = relative_antecedent(tree, word)
        if word.text.lower() == "that" and antecedent is not None:  # "the group that endorsed him"
            return mention_of(tree, antecedent, context, cue)
        kind = "person" if word.text.lower() in ("who", "whom") else "organization"
        return span(context.text, word.start, word.end), kind
    if word.upos == "PRON" or word.deprel == "expl":
        # "it said" is the ministry speaking; "it seems" is nobody.
        if word.lemma.lower() in ("there", "this", "that", "what") or word.deprel == "expl" or (
                word.lemma.lower() == "it" and (cue is None or cue.lemma not in SPEECH_VERBS)):
            return None, None
        lower = word.text.lower()
        return span(context.text, word.start, word.end), "group" if lower in GROUP_PRONOUNS else "person"
    parts = [word] + [w for w in split_subject(tree, word) if not opening_adverb(tree, w, context)]
    indexes = {w.index for part in parts for w in phrase(tree, part)}
    if cue is not None:
        indexes = {i for i in indexes if i != cue.index and (i < cue.index) == (word.index < cue.index)}
    first = last = word.index
    while first - 1 in indexes:
        first -= 1
    while last + 1 in indexes:
        last += 1
    words = tree.sentence.words[first - 1:last]
    while len(words) > 1 and (words[-1].upos in EDGE_POS or words[-1].text.lower() in TIME_WORDS):
        words = words[:-1]
    while len(words) > 1 and words[0].upos in EDGE_POS:
        words = words[1:]
    following = tree.sentence.words[words[-1].index:words[-1].index + 1]
    if following and following[0].text == ")" and "(" in [w.text for w in words]:
        words = words + following  # "Sen. Lindsey Graham (R-SC)": the party keeps its bracket
    start, end = words[0].start, words[-1].end
    for entity in context.entities_in(start, end):  # a name the parser cut in two ("Sergei" + "Lavrov")
        crosses_cue = cue is not None and entity.start < cue.end and entity.end > cue.start
        if not crosses_cue and (entity.start < end <= entity.end or entity.start <= start < entity.end):
            start, end = min(start, entity.start), max(end, entity.end)
    return span(context.text, start, end), speaker_type(start, end, word, context.entities_in(start, end))


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


def speaker_type(start: int, end: int, head: Word, entities: list[Entity]) -> str:
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


def verb_content(tree: Tree, verb: Word, speaker: Word | None,
                 mention: Span | None) -> list[tuple[int, int]]:
    """The reported content: what follows the cue ("said [that] ...", "urged X to ..."),
    what precedes it ("..., Lavrov said"), or both sides when the cue interrupts it
    ("Assad, Rycroft said, “would rather ...”")."""
    nested = nested_cues(tree, verb)
    phrase_start = min(verb.start, mention.start if mention else verb.start)
    before = [w for w in tree.sentence.words if w.end <= phrase_start and w.index not in nested]
    after = without_leading_time(right_content(tree, verb, speaker, nested))
    if verb.lemma in TOPIC_ONLY and not about_topic(after):
        after = []  # "spoke at a rally", "speaking on condition of anonymity", "talked to reporters"
    after = without_particle(after)
    if verb.lemma == "continue" and after and (after[0].text.lower() == "to" or after[0].upos == "VERB"):
        after = []  # "Trump continues to trail", "kept marauding": going on, not speaking
    if verb.lemma in CLAUSE_ONLY and not reports_something(after):
        after = []  # "said Monday", "said at a rally", "said X, who ...": no clause, no content
    if verb.lemma in CLAUSE_ONLY and after_quote(before) and not resumes_report(after):
        after = []  # '"...," Sanders said while campaigning in Iowa': the writer's, not his
    right = spans_of([interrupted(tree, verb, mention), after])
    if right:
        return right
    if before and before[-1].text in CONTENT_ENDS and (
            verb.lemma not in CLAUSE_ONLY or reports_something(before)):  # not "In a statement, X said"
        return spans_of([before])
    left = [c for c in tree.kids(verb, *LEFT_CONTENT) if c.start < verb.start
            and not is_subject_side(tree, verb, c)]
    return spans_of([[w for c in left for w in tree.subtree(c, nested)]])


def without_leading_time(words: list[Word]) -> list[Word]:
    """"Russia said Thursday [it was prepared ...]": a day the parser hung inside the clause
    is when it was said (not "Thursday's vote was ...")."""
    while len(words) > 2 and words[0].text.lower() in TIME_WORDS and words[1].text not in ("'s", "’s"):
        words = words[1:]
    return words


def about_topic(words: list[Word]) -> bool:
    """Whether the words after "speak" or "talk" say what about ("of the internment",
    "to voters about health care", "talking up his candidacy") or what for ("to hail Mr. Trump"),
    before any comma (", speaking on condition of anonymity, suggested ..." has no topic)."""
    commas = [i for i, w in enumerate(words) if w.text == ","]
    words = [w for w in words[:commas[0] if commas else None] if w.upos != "PUNCT"]
    return len(words) > 1 and (any(w.text.lower() in ("about", "of", "up") for w in words) or
                               words[0].text.lower() == "to" and words[1].upos in ("VERB", "AUX"))


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
    """"called [on] X to ...", "referred [to] X": the cue's preposition is not content
    (an infinitive "to" is: "declined to follow suit")."""
    if len(words) < 2 or not (words[0].upos == "ADP" or words[0].text.lower() == "to"):
        return words
    return words if words[0].upos != "ADP" and words[1].upos in ("VERB", "AUX") else words[1:]


def interrupted(tree: Tree, verb: Word, mention: Span | None) -> list[Word]:
    """The words before a cue phrase set off by commas mid-sentence (", Rycroft said,",
    ", said Doyle,")."""
    words = tree.sentence.words
    if mention is None or verb.index >= len(words):
        return []
    if mention.start > verb.start:
        before = [w for w in words if w.end <= verb.start]
        after = next((w for w in words if w.start >= mention.end), None)
    else:
        before = [w for w in words if w.end <= mention.start]
        after = words[verb.index]
    if len(before) < 3 or before[-1].text != "," or after is None or after.text not in (",", "“", "\"", "``", "‘"):
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
    children = [c for c in tree.kids(verb) if c.start > verb.end and c.deprel not in SKIP_RIGHT
                and c is not speaker]
    lead_end = verb.end
    while children and (is_adjunct(tree, children[0]) or children[0].deprel in ("obj", "iobj") and (
            verb.lemma in ADDRESSEE_VERBS and len(children) > 1 or verb.lemma in TELL_VERBS)):
        # The addressee is its noun phrase: "told The Associated Press [that he thinks ...]"
        # with the clause misparsed as a relative clause on "Press" is still what was told.
        lead = tree.subtree(children[0]) if is_adjunct(tree, children[0]) else phrase(tree, children[0])
        lead_end = max(lead_end, lead[-1].end)
        children = children[1:]
    following = [w for w in tree.sentence.words if w.start >= lead_end][:1]
    opens_clause = bool(following) and following[0].text.lower() in CLAUSE_OPENERS  # "Asked whether ..."
    if speaker is not None and speaker.start < verb.start or opens_clause:
        words = rest_of_clause(tree, verb, lead_end, nested)
        that = [w for w in words[:10] if w.text.lower() == "that"]
        # "told reporters in Greenville that ...", "said in a telephone interview that ..."
        if that and (verb.lemma in TELL_VERBS or occasion(words[:words.index(that[0])])):
            return words[words.index(that[0]):]
        return words
    if not children:
        return []
    first = children[0]
    clausal = first.deprel in ("ccomp", "parataxis") or that_clause(tree, first) or (
        first.deprel == "xcomp" and verb.lemma in STANCE_VERBS) or (
        first.deprel in ("obj", "xcomp") and verb.lemma in OBJECT_CONTENT)
    # Right of the cue only: "The contrast, said Doyle, would be clear" hangs "contrast" on "clear".
    return [w for c in children for w in tree.subtree(c, nested) if w.start > verb.end] if clausal else []


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
    for i, (mark, word) in enumerate(zip(words, words[1:])):
        comma = mark.text == "," or mark.text in CLOSING_MARKS and i > 0 and words[i - 1].text == ","
        if word.start > after and (mark.text == ";" or comma and (
                word.text.lower() in CLAUSE_BREAKS and not embedded_relative(tree, word)
                or word.text.lower().endswith("ing") and is_cue_verb(word)
                and word.lemma in SPEECH_VERBS) or mark.upos == "CCONJ" and is_cue_verb(word)
                and word.lemma in SPEECH_VERBS):
            return [mark]
    return []


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


def spans_of(runs: list[list[Word]]) -> list[tuple[int, int]]:
    return [span for span in map(words_span, runs) if span]


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


def words_span(words: list[Word]) -> tuple[int, int] | None:
    """Start and end of a run of words, without punctuation at its edges."""
    while words and (words[0].upos == "PUNCT" and words[0].text not in "\"“‘'`" or
                     words[0].upos == "CCONJ" and len(words) > 1):  # "[and] charged that"
        words = words[1:]
    while words and (words[-1].upos == "PUNCT" and words[-1].text not in "\"”’'" or words[-1].upos == "CCONJ"):
        words = words[:-1]
    return (words[0].start, words[-1].end) if words else None


def according_cue(tree: Tree, index: int, context: Context) -> Cue | None:
    """"According to X, ...": X runs to the next comma (twelve words at most, unless it ends
    the sentence: "..., according to exit polls conducted by Edison Research for the
    Associated Press"); the rest of the sentence, on either side, is the content. Read from
    the surface: parsers mangle this one."""
    words = tree.sentence.words
    if index + 2 >= len(words) or words[index + 1].text.lower() != "to":
        return None
    source = []
    for word in words[index + 2:]:
        if word.upos == "PUNCT" and (word.text not in (".", "'", "’", "-") or spaced(context.text, word)):
            break
        source.append(word)
    ends_sentence = index > 0 and all(w.upos == "PUNCT" for w in words[index + 2 + len(source):])
    if not ends_sentence:
        source = source[:12]
    after = index + 2 + len(source)
    while source and source[-1].upos == "PUNCT":  # "according to Tass news agency[.]"
        source.pop()
    if not source or context.quoted(words[index]):
        return None
    mention = span(context.text, source[0].start, source[-1].end)
    entities = context.entities_in(mention.start, mention.end)
    kind = speaker_type(mention.start, mention.end, source[-1], entities)
    cue = span(context.text, words[index].start, words[index + 1].end)
    # "The Observatory said that according to its tallies, ...": what comes before is the
    # frame of another report, not part of this one.
    before = words[:index] if index == 0 or words[index - 1].text.lower() != "that" else []
    rest = [] if source_apposition(words[after:]) else words[after:]
    return Cue(tree, words[index], cue, "speech", mention, kind, spans_of([before, rest]))


def source_apposition(words: list[Word]) -> bool:
    """Whether what follows a source is who it is ("..., according to John Weaver, [a
    Republican strategist]."): a noun phrase ending the sentence, not something said."""
    inner = [w for w in words if w.upos != "PUNCT"]
    return bool(inner) and words[0].text == "," and len(inner) <= 12 and \
        inner[0].upos in ("DET", "ADJ", "NOUN", "PROPN", "NUM") and not any(w.upos in ("VERB", "AUX") for w in inner)


def spaced(text: str, word: Word) -> bool:
    """Whether a word stands apart ("Republicans - who ..." is a dash, "Edison-Research" a hyphen)."""
    return text[word.start - 1:word.start].isspace() and text[word.end:word.end + 1].isspace()


def hearsay_cue(tree: Tree, adverb: Word, context: Context) -> Cue:
    """"Google and Facebook have reportedly looked at Twitter": someone unnamed says so; the
    clause on both sides of the adverb is the content (two fragments, as annotated)."""
    head = tree.head(adverb) or adverb
    clause = [w for w in tree.subtree(head, frozenset(
        w.index for w in tree.kids(head) if w.deprel in ("advcl", "parataxis", "conj")))
              if w is not adverb]
    before = [w for w in clause if w.end <= adverb.start]
    after = [w for w in clause if w.start >= adverb.end]
    return Cue(tree, adverb, span(context.text, adverb.start, adverb.end), "speech", None, None,
               spans_of([before, after]))


def colon_cue(tree: Tree, context: Context) -> Cue | None:
    """"John McCain: Populist anger appeals to ..." (headlines, introductions)."""
    words = tree.sentence.words
    colons = [i for i, w in enumerate(words[:7]) if w.text == ":"]
    if not colons or colons[0] == 0 or colons[0] + 1 >= len(words):
        return None
    colon = words[colons[0]]
    named = [e for e in context.entities_in(words[0].start, colon.start)
             if e.type in ("PER", "ORG") and words[0].start <= e.start
             and e.end == words[colons[0] - 1].end]
    if not named:
        return None
    source = named[0]
    content = spans_of([words[colons[0] + 1:]])
    mention = span(context.text, words[0].start if source.start - words[0].start < 40 else source.start, source.end)
    kind = "person" if source.type == "PER" else "organization"
    return Cue(tree, colon, span(context.text, colon.start, colon.end), "speech", mention, kind, content)


def span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def content_quotes(parsed: ParsedArticle, cues: list[Cue],
                   context: Context) -> tuple[list[Quote], set[QuotedSpan]]:
    """Quotes from cue contents, widened to whole quoted stretches; and the marks they took."""
    quotes, used = [], set()
    for cue in cues:
        for fragment in cue.content:
            start, end = widen(fragment, context.marks_in(*fragment))
            start, end = after_colon(parsed.article.text, start, end, context.marks_in(start, end))
            inside = [m for m in context.marks_in(start, end) if start <= m.start and m.end <= end]
            used.update(inside)
            kind = kind_of(parsed.article.text, start, end, inside)
            quotes.append(make_quote(parsed, start, end, kind, cue, confidence(kind, cue)))
    return quotes, used


def widen(content: tuple[int, int], marks: list[QuotedSpan]) -> tuple[int, int]:
    """Grow a content span over every quoted stretch it cuts into."""
    start, end = content
    for mark in marks:
        if mark.start < end and mark.end > start:
            start, end = min(start, mark.start), max(end, mark.end)
    return start, end


def after_colon(text: str, start: int, end: int, marks: list[QuotedSpan]) -> tuple[int, int]:
    """"... shot back: ''That would be good.''": what follows the colon is the quote."""
    colon = text.rfind(":", start, end)
    after = [m for m in marks if colon >= 0 and colon < m.start]
    if after and not text[colon + 1:after[0].start].strip() and after[-1].end >= end:
        return after[0].start, end
    return start, end


def kind_of(text: str, start: int, end: int, inside: list[QuotedSpan]) -> str:
    """direct if the quoted stretches cover the content, mixed if they cover part of it."""
    if not inside:
        return "indirect"
    outside = "".join(text[a:b] for a, b in gaps(start, end, inside))
    return "mixed" if any(ch.isalnum() for ch in outside) else "direct"


def gaps(start: int, end: int, inside: list[QuotedSpan]) -> list[tuple[int, int]]:
    result, cursor = [], start
    for mark in sorted(inside, key=lambda m: m.start):
        result.append((cursor, mark.start))
        cursor = mark.end
    return result + [(cursor, end)]


def mark_quotes(parsed: ParsedArticle, cues: CueIndex, marks: list[QuotedSpan],
                found: list[Quote]) -> list[Quote]:
    """Direct quotes for quoted stretches outside every content: nearest cue of the
    sentence, else the previous quote's speaker when the quote opens a sentence."""
    text = parsed.article.text
    free = cues.outside([(m.start, m.end) for m in marks] + [(q.start, q.end) for q in found])
    attributed = sorted((q for q in found if q.speaker is not None), key=lambda q: q.end)
    ends = [q.end for q in attributed]
    quotes: list[Quote] = []
    for mark in marks:
        if is_scare_quote(text, mark) or is_heading(text, mark):
            continue
        # "+ 2": the splitter often ends a sentence at the closing mark of '"...," Trump said.'
        cue = nearest_cue(text, mark, free.touching(mark.start, mark.end + 2)) or introducing_cue(
            text, mark, cues.ending_before(mark.start))
        if cue:
            kind = "mixed" if is_fragment(text, mark) else "direct"
            score = confidence(kind, cue) - (0 if mark.closed else 0.1)  # where does it end?
            quotes.append(make_quote(parsed, mark.start, mark.end, kind, cue, score))
            continue
        # Marks come in order, so the latest quote made here is the nearest one made here.
        candidates = [q for q in quotes[-1:] if q.speaker is not None]
        candidates += attributed[max(0, bisect_right(ends, mark.start) - 1):][:1]
        previous = previous_quote(text, mark, [q for q in candidates if q.end <= mark.start])
        if previous and cues.opens_sentence(mark.start):
            quotes.append(continuation(text, mark, previous))
    return carry_back(text, marks, quotes)


def is_fragment(text: str, mark: QuotedSpan) -> bool:
    """Quoted words carried on by the sentence around them, the rest being the writer's
    ('attacks which "reportedly claimed the lives of 100 people"'): a mixed quote."""
    inner = text[mark.start:mark.end].lstrip("".join(QUOTE_CHARS) + " ")
    before = text[max(0, mark.start - 2):mark.start].strip()
    return bool(inner) and inner[0].islower() and bool(before) and before[-1].isalnum()


def is_scare_quote(text: str, mark: QuotedSpan) -> bool:
    """A few words in marks inside a sentence, with no punctuation of their own: a title, a
    term or a scare quote (the ‘special relationship’, “The Apprentice”), not a quotation.
    "“No,” he said" has its comma inside; a quote opening a sentence is a quotation."""
    inner = text[mark.start:mark.end].strip("".join(QUOTE_CHARS) + " ")
    before = text[max(0, mark.start - 2):mark.start].strip()
    opens = not before or before[-1] in ".!?:\n"
    return not opens and (len(inner.split()) <= 4 and not any(ch in inner for ch in ",.!?;:")
                          or is_title(inner))


def is_heading(text: str, mark: QuotedSpan) -> bool:
    """A line of capitals in marks, alone on its line: a subheading (“ATROCIOUS CRIMES”) that
    quotes a phrase from below it, not a quotation of its own."""
    line_start = text.rfind("\n", 0, mark.start) + 1
    line_end = text.find("\n", mark.end)
    line = text[line_start:len(text) if line_end < 0 else line_end].strip()
    inner = text[mark.start:mark.end]
    return line == inner.strip() and any(ch.isalpha() for ch in inner) and inner == inner.upper()


def is_title(words: str) -> bool:
    """Title-cased words, as names of shows, books and films are written (“Fox News Sunday.”,
    “Failure to Adjust: How Americans Got Left Behind”), not speech."""
    tokens = TITLE_TOKEN.findall(words.rstrip(",."))
    content = [t for t in tokens if t.lower() not in TITLE_SMALL_WORDS]
    return 2 <= len(tokens) <= 10 and all(t[0].isupper() for t in content) and not any(
        ch in words.rstrip(",.") for ch in ",;!?")


def carry_back(text: str, marks: list[QuotedSpan], quotes: list[Quote]) -> list[Quote]:
    """A quote running over paragraphs (an opening mark, no closing one, the next paragraph
    opening again) belongs to whoever is named where it ends: "... ,” he said."."""
    by_start = {q.start: q for q in quotes}
    for mark, following in reversed(list(zip(marks, marks[1:]))):
        own, later = by_start.get(mark.start), by_start.get(following.start)
        if mark.continues and later and later.speaker and later.speaker.mention and not (
                own and own.speaker and own.speaker.mention):
            by_start[mark.start] = later.model_copy(update={
                "start": mark.start, "end": mark.end, "text": text[mark.start:mark.end],
                "kind": "direct", "confidence": round(later.confidence * 0.9, 2)})
    return sorted(by_start.values(), key=lambda q: q.start)


def nearest_cue(text: str, mark: QuotedSpan, cues: list[Cue]) -> Cue | None:
    """The closest of the cues (those of the sentences the quote touches), same paragraph; a
    cue naming its source before one that names nobody ("... which “reportedly claimed ...”
    on Monday, as well as reports of shelling": Guterres, not "reports")."""
    best, best_distance = None, None
    for cue in cues:
        if cue.span.start >= mark.end:
            gap = (mark.end, cue.span.start)
        else:
            gap = (cue.span.end, mark.start)
        if "\n" in text[gap[0]:gap[1]]:
            continue
        distance = (cue.mention is None, gap[1] - gap[0] + (0 if cue.span.start >= mark.end else 5))
        if best_distance is None or distance < best_distance:
            best, best_distance = cue, distance
    return best


def introducing_cue(text: str, mark: QuotedSpan, cues: list[Cue]) -> Cue | None:
    """A cue without content ending the sentence just before the quote: "Trump said:"."""
    for cue in cues:
        between = text[cue.tree.sentence.end:mark.start]
        if not cue.content and cue.mention and between.strip() in ("", ":") and between.count("\n") <= 2:
            return cue
    return None


def continuation(text: str, mark: QuotedSpan, previous: Quote) -> Quote:
    """A quote going on from ``previous``: another fragment of the same attribution (cue
    and speaker mention), in the same paragraph or the next one ("..., he said. [new
    paragraph] “But we do not need ...”" is still "he")."""
    same_paragraph = "\n" not in text[previous.end:mark.start]
    return previous.model_copy(update={
        "start": mark.start, "end": mark.end, "text": text[mark.start:mark.end], "kind": "direct",
        "confidence": round(previous.confidence * (1.0 if same_paragraph else 0.6), 2)})


def previous_quote(text: str, mark: QuotedSpan, quotes: list[Quote]) -> Quote | None:
    """The last of ``quotes`` (all before ``mark``), if at most one paragraph of prose back."""
    if not quotes:
        return None
    previous = max(quotes, key=lambda q: q.end)
    return previous if prose_lines(text, previous.end, mark.start, 2) <= 1 else None


def prose_lines(text: str, start: int, end: int, limit: int) -> int:
    """How many non-blank whole lines lie in ``text[start:end]``, counted backwards from
    ``end`` and at most ``limit``: the cost stays that of a few paragraphs however far
    back ``start`` is."""
    count, line_end = 0, text.rfind("\n", start, end)
    while count < limit and line_end > start:
        line_start = text.rfind("\n", start, line_end)
        if line_start < 0:
            break
        count += bool(text[line_start + 1:line_end].strip())
        line_end = line_start
    return count


def confidence(kind: str, cue: Cue) -> float:
    """How often such a quote comes out right, span and speaker (measured on annotated
    news): quote marks and a speech cue with a named subject are the best signs."""
    score = {"direct": 0.9, "mixed": 0.8, "indirect": 0.6}[kind]
    if cue.cue_type == "stance":  # a quote next to "believes" is rarely what was believed
        score *= 0.75 if kind == "indirect" else 0.4
    if cue.mention is None:
        score *= 0.5
    return round(score, 2)


def make_quote(parsed: ParsedArticle, start: int, end: int, kind: str, cue: Cue,
               score: float) -> Quote:
    speaker = None
    if cue.mention is not None:
        speaker = SpeakerRef(mention=cue.mention, name=cue.mention.text, type=cue.mention_type)
    return Quote(article_id=parsed.article.id, start=start, end=end,
                 text=parsed.article.text[start:end], kind=kind, cue=cue.span,
                 cue_type=cue.cue_type, speaker=speaker, confidence=score)


def overlap_share(a: Quote, b: Quote) -> float:
    """How much two quotes overlap, as a share of the shorter one."""
    return (min(a.end, b.end) - max(a.start, b.start)) / max(1, min(a.end - a.start, b.end - b.start))


def contains_cue(outer: Quote, inner: Quote) -> bool:
    """Whether ``inner``'s cue lies in ``outer``'s content: "refused [to concede that ...]"
    is one attribution whose content holds another; the outer one is the one annotated.
    A direct quote keeps its own cue ("“...,” said X, according to RIA")."""
    return inner.kind != "direct" and inner.cue is not None and outer.start <= inner.cue.start \
        and inner.cue.end <= outer.end


def drop_overlaps(quotes: list[Quote]) -> list[Quote]:
    """Keep one quote where two mostly overlap (two cues claiming the same content).

    ``quotes`` come sorted by start and kept ones barely overlap, so only the kept quotes
    reaching past this one's start are compared: the last few.
    """
    kept: list[Quote] = []
    for quote in quotes:
        reaching = []
        for i in range(len(kept) - 1, -1, -1):
            if kept[i].end <= quote.start:
                break
            reaching.append(i)
        clash = [i for i in reversed(reaching) if overlap_share(kept[i], quote) > 0.5]
        if not clash:
            kept.append(quote)
            continue
        rival = kept[clash[0]]
        if contains_cue(quote, rival) or not contains_cue(rival, quote) and (
                quote.confidence, quote.end - quote.start) > (rival.confidence, rival.end - rival.start):
            kept[clash[0]] = quote
    return sorted(kept, key=lambda q: q.start)
