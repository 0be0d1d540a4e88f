"""Cues other than a reporting verb with a clause: acts and attitudes, nouns ("his claim
that ..."), "according to", "reportedly", "X: ...", "known as", "made it clear", "put it"."""

from __future__ import annotations

from ..models import CueType, SpeakerType, Word
from .contents import without_particle
from .parse import Context, Cue, Tree, span, spans_of
from .sources import mention_of, speaker_type, speaker_word, voicer
from .verb_cues import passive_cue, verb_cue
from .vocabulary import (
    ACTION_TOPICS,
    ACTORS,
    ATTITUDE_TOPICS,
    ATTITUDES,
    LIGHT_OBJECTS,
    NOMINAL_CUES,
    OWNED_TOPICS,
    TIME_WORDS,
    TOPIC_PREPOSITIONS,
)

SHORT_NAME_WORDS = 4  # "(ONS)", "(R-Fla.)": words inside a source's bracketed short name


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
    topics = OWNED_TOPICS if possessors else TOPIC_PREPOSITIONS
    content = [w for c in tree.kids(noun, "acl", "ccomp", "nmod", "acl:relcl") + detached_topic(tree, noun)
               if c.start > noun.end and nominal_content(tree, c, topics) for w in tree.subtree(c)]
    if not content:
        return None
    mention, kind = mention_of(tree, owners[0], context) if owners else (None, None)
    cue_type: CueType = "speech" if NOMINAL_CUES[noun.lemma.lower()] else "stance"
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


def nominal_content(tree: Tree, child: Word, topics: frozenset[str]) -> bool:
    """A "that"/"to" clause, or what one of ``topics`` brings in: "Trump's call for a ban",
    "Trump's attacks on Curiel"."""
    marks = {w.text.lower() for w in tree.kids(child, "mark", "case")}
    if child.deprel in ("nmod", "obl"):
        return bool(marks & topics)
    return bool(marks & {"that", "to"})


def according_cue(tree: Tree, index: int, context: Context) -> Cue | None:
    """"According to X, ...": X runs to the next comma (twelve words at most, unless it ends
    the sentence: "..., according to exit polls conducted by Edison Research for the
    Associated Press"); the rest of the sentence, on either side, is the content. Read from
    the surface: parsers mangle this one."""
    words = tree.sentence.words
    if index + 2 >= len(words) or words[index + 1].text.lower() != "to":
        return None
    source: list[Word] = []
    following = words[index + 2:]
    while len(source) < len(following):
        rest = following[len(source):]
        if bracketed := short_name(rest):  # "the Office for National Statistics (ONS)"
            source += bracketed
            continue
        word = rest[0]
        if word.upos == "PUNCT" and (word.text not in (".", "'", "’", "-") or spaced(context.text, word)):
            break
        source.append(word)
    ends_sentence = index > 0 and all(w.upos == "PUNCT" for w in words[index + 2 + len(source):])
    if not ends_sentence:
        source = source[:12]
    after = index + 2 + len(source)
    while source and source[-1].upos == "PUNCT" and source[-1].text != ")":  # "according to Tass[.]"
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


def short_name(words: list[Word]) -> list[Word]:
    """A bracketed short name opening ``words`` ("(ONS)", "(R-Fla.)"), brackets included, else
    nothing."""
    if not words or words[0].text != "(":
        return []
    close = next((i for i, w in enumerate(words[:SHORT_NAME_WORDS + 2]) if w.text == ")"), None)
    return words[:close + 1] if close is not None else []


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
    kind: SpeakerType = "person" if source.type == "PER" else "organization"
    return Cue(tree, colon, span(context.text, colon.start, colon.end), "speech", mention, kind, content)
