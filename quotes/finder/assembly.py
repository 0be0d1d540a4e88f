"""Quotes from cues and quotation marks: contents widened to whole quoted stretches, quoted
stretches attached to the nearest cue or continuing the previous speaker, confidence."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise

from ..document import Document, as_document
from ..models import CueType, ParsedArticle, Quote, QuoteKind, Sentence, SpeakerRef, Word
from .cues import sentence_cues
from .marks import QuotedSpan, is_fragment, is_heading, is_scare_quote, quoted_spans
from .overlaps import drop_overlaps
from .parse import Context, Cue, Tree
from .sources import agents
from .vocabulary import ADDRESSED_OPENERS, ASKING_VERBS, QUESTION_OPENERS, QUOTE_CHARS

ADDRESSEE_WORDS = 4  # "asked [the foreign minister] whether ..."


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


def find_quotes(parsed: ParsedArticle | Document, learned_cues: frozenset[int] = frozenset()) -> list[Quote]:
    """Every quote of the article body, in text order, with cue and speaker mention;
    ``learned_cues`` are the offsets of words a learned tagger reads as cues (see
    ``cues.sentence_cues``)."""
    document = as_document(parsed)
    marks = [m for m in quoted_spans(document.text, document.paragraphs) if document.in_body(m.start)]
    context = Context(document.text, document.entities, marks)
    trees = [Tree.of(s) for s in document.sentences if s.words and document.in_body(s.start)]
    # A cue inside quotation marks belongs to the quoted speech, not to the article.
    found = [sentence_cues(tree, context, learned_cues) for tree in trees]
    cues = [cue for rules, _ in found for cue in rules if not context.quoted(cue.word)]
    quotes, used = content_quotes(document, cues, context)
    quotes += mark_quotes(document, CueIndex.of(trees, cues), [m for m in marks if m not in used], quotes)
    kept = drop_overlaps(sorted(quotes, key=lambda q: q.start))
    taught = [cue for _, learned in found for cue in learned if not context.quoted(cue.word)]
    return sorted(kept + learned_quotes(document, taught, context), key=lambda q: q.start)


def learned_quotes(document: Document, cues: list[Cue], context: Context) -> list[Quote]:
    """Quotes from the cues a tagger read. Where one claims the content of a quote of the
    lexicon's cues ("released a statement *saying* ..."), both stay: annotators mark one of
    the two, and the learned scorer, which reads both, keeps the likelier
    (``attribution.score_quotes``)."""
    quotes, _ = content_quotes(document, cues, context)
    return drop_overlaps(sorted(quotes, key=lambda q: q.start))


def content_quotes(document: Document, cues: list[Cue],
                   context: Context) -> tuple[list[Quote], set[QuotedSpan]]:
    """Quotes from cue contents, widened to whole quoted stretches; and the marks they took."""
    quotes, used = [], set()
    for cue in cues:
        for fragment in cue.content:
            start, end = widen(fragment, context.marks_in(*fragment))
            start, end = after_colon(document.article.text, start, end, context.marks_in(start, end))
            inside = [m for m in context.marks_in(start, end) if start <= m.start and m.end <= end]
            used.update(inside)
            kind = kind_of(document.article.text, start, end, inside)
            quotes.append(make_quote(document, start, end, kind, cue, confidence(kind, cue)))
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


def kind_of(text: str, start: int, end: int, inside: list[QuotedSpan]) -> QuoteKind:
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


def mark_quotes(document: Document, cues: CueIndex, marks: list[QuotedSpan],
                found: list[Quote]) -> list[Quote]:
    """Direct quotes for quoted stretches outside every content: nearest cue of the
    sentence, else the previous quote's speaker when the quote opens a sentence."""
    text = document.article.text
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
            kind: QuoteKind = "mixed" if is_fragment(text, mark) else "direct"
            score = confidence(kind, cue) - (0 if mark.closed else 0.1)  # where does it end?
            quotes.append(make_quote(document, mark.start, mark.end, kind, cue, score))
            continue
        # Marks come in order, so the latest quote made here is the nearest one made here.
        candidates = [q for q in quotes[-1:] if q.speaker is not None]
        candidates += attributed[max(0, bisect_right(ends, mark.start) - 1):][:1]
        previous = previous_quote(text, mark, [q for q in candidates if q.end <= mark.start])
        if previous and cues.opens_sentence(mark.start):
            quotes.append(continuation(text, mark, previous))
    return carry_back(text, marks, quotes)


def carry_back(text: str, marks: list[QuotedSpan], quotes: list[Quote]) -> list[Quote]:
    """A quote running over paragraphs (an opening mark, no closing one, the next paragraph
    opening again) belongs to whoever is named where it ends: "... ,” he said."."""
    by_start = {q.start: q for q in quotes}
    for mark, following in reversed(list(pairwise(marks))):
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


def confidence(kind: QuoteKind, cue: Cue) -> float:
    """How often such a quote comes out right, span and speaker (measured on annotated
    news): quote marks and a speech cue with a named subject are the best signs."""
    score = {"direct": 0.9, "mixed": 0.8, "indirect": 0.6}[kind]
    if cue.cue_type == "stance":  # a quote next to "believes" is rarely what was believed
        score *= 0.75 if kind == "indirect" else 0.4
    if cue.mention is None or mentions_the_one_asked(cue):  # the quote will have no speaker
        score *= 0.5
    return round(score, 2)


def make_quote(document: Document, start: int, end: int, kind: QuoteKind, cue: Cue,
               score: float) -> Quote:
    speaker = None
    if cue.mention is not None and not mentions_the_one_asked(cue):
        assert cue.mention_type is not None  # mention_of types every mention it finds
        speaker = SpeakerRef(mention=cue.mention, name=cue.mention.text, type=cue.mention_type)
    text = document.article.text[start:end]
    return Quote(article_id=document.article.id, start=start, end=end, text=text, kind=kind, cue=cue.span,
                 cue_type=cue_type_of(cue, kind, text), speaker=speaker, confidence=score, shared=cue.shared)


def cue_type_of(cue: Cue, kind: QuoteKind, content: str) -> CueType:
    return asked_or(cue.cue_type, cue.word, cue.tree.kids(cue.word), kind, content)


def asked_or(cue_type: CueType, verb: Word, kids: list[Word], kind: QuoteKind, content: str) -> CueType:
    """``cue_type``, or "question" where a cue that asks ("asked", "questioned", "pressed")
    reports a question, no statement: when its content is a reported question ("whether ...",
    "the minister whether ...") or when its subject is the one asked ("Asked about the deal,
    Lavrov said ...", "Lavrov was asked about ..."): the words are the asker's, usually a
    reporter's, quoted or not ("Kerry was asked, 'Will Russia stop?'"). A question in the
    asker's own quoted words ("'Are you really ready?' de Mistura asked") is what they said:
    speech. Rule cues and the tagger's alike."""
    if asks_its_subject(verb, kids) or kind == "indirect" and verb.lemma.lower() in ASKING_VERBS \
            and is_question(content):
        return "question"
    return cue_type


def mentions_the_one_asked(cue: Cue) -> bool:
    """Whether the cue's mention is whom its question was put to, not who asked
    (``asks_its_subject``); a "by" agent asked ("asked by reporters"). The cue keeps the mention,
    which tells which quoted words it introduces ("Blumenthal was asked, '...?'"); only its
    quotes' speaker and confidence leave it out."""
    if cue.mention is None or not asks_its_subject(cue.word, cue.tree.kids(cue.word)):
        return False
    return not any(cue.mention.start < agent.end and agent.start < cue.mention.end
                   for agent in agents(cue.tree, cue.word))


def asks_its_subject(verb: Word, kids: list[Word]) -> bool:
    """Whether a cue puts its question to its subject ("Lavrov was asked about ...", "Asked
    about the deal, Lavrov said", "Trump bristled when asked whether ..."): its words are the
    asker's, usually an unnamed reporter's, so the subject is no speaker of them (PolNeAR gives
    such attributions no source, or the "by" agent), and the answer has a cue of its own."""
    return verb.lemma.lower() in ASKING_VERBS and subject_asked(verb, kids)


def subject_asked(verb: Word, kids: list[Word]) -> bool:
    """Whether an asking verb puts its question to its subject: a passive ("was asked about",
    "Asked by reporters if ...") or a participle opening a clause of its own ("Asked about the
    deal, Lavrov said", "Lavrov, asked about it, said"; a sentence's first word whatever the
    parser's label). Not a verb sharing its subject with another ("spoke and asked people to
    give") nor a perfect ("having asked the court to rule"): the subject asks."""
    if not verb.text.lower().endswith("ed") or any(k.deprel == "nsubj" for k in kids):
        return False
    if any(k.deprel in ("nsubj:pass", "aux:pass") for k in kids):
        return True
    return not any(k.deprel == "aux" for k in kids) and (verb.deprel in ("advcl", "acl") or verb.index == 1)


def is_question(content: str) -> bool:
    """Whether a content is a reported question: it opens with a question word or ends with
    a question mark, or a few words of addressee come before "whether", "if", "why" or "how"
    ("asked [the minister whether ...]"; not "who" or "which", which open relative clauses, nor
    after a request: "pressed [Clinton to do more if she wanted ...]")."""
    edges = "".join(QUOTE_CHARS) + " "
    words = content.strip(edges).lower().split()
    if not words:
        return False
    opener = next((i for i, w in enumerate(words[:ADDRESSEE_WORDS + 1]) if w in QUESTION_OPENERS), None)
    addressed = opener is not None and words[opener] in ADDRESSED_OPENERS and "to" not in words[:opener]
    return opener == 0 or addressed or content.rstrip(edges).endswith("?")
