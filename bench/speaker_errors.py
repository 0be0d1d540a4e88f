"""Why matched quotes get the wrong speaker: a table of error classes on annotated quotes.

``python bench/speaker_errors.py GOLD.jsonl --cache-folder FOLDER [--limit N] [--examples K]``
(``--parse-cache DIR`` as in bench/eval_quotes.py also works).

Scoring counts a speaker right when its mention overlaps the annotated source
(``quotes.evaluate.speaker_right``), so what matters is which *mention* the pipeline gives, not
which person it resolves to. Each matched quote (0.3 overlap) whose annotated source the mention
misses falls in one class:

* the quote is matched to another attribution than its cue's (the annotated cue is elsewhere):
  nested ones, where the annotated cue lies in the quote's content (the pipeline kept the outer
  attribution, the annotators the inner) or the quote's cue lies in the annotated content (the
  annotators marked the outer one, the pipeline kept the inner); another cue of the sentence; a
  cue in another sentence. No choice of mention for the finder's cue fixes these: they are
  content and cue errors.
* the cue is the annotated one: no source found; the annotated source in another sentence; a
  mention touching the source without overlapping it (a boundary); another mention of the
  sentence, split into pronoun for noun (or the reverse), organisation for person (or the
  reverse) and the rest.

This table decided issue #22's speaker ranker: on PolNeAR dev two thirds of the wrong speakers
are in the first group, and the rules' mention is right for 96% of the quotes whose cue is the
annotated one.
"""

from __future__ import annotations

import random
from collections import Counter

from eval_quotes import gold_arguments, parsed_gold

from quotes.evaluate import GoldQuote, match, overlap, speaker_right
from quotes.models import Entity, ParsedArticle, Quote
from quotes.pipeline import extract_parsed

OTHER_ATTRIBUTION = "matched to another attribution"
RIGHT_CUE = "cue is the annotated one"


def sentence_number(parsed: ParsedArticle, offset: int) -> int:
    return next((i for i, s in enumerate(parsed.sentences) if s.start <= offset < s.end), -1)


def entity_type(entities: list[Entity], start: int, end: int) -> str:
    return next((e.type for e in entities if e.start < end and e.end > start), "O")


def is_pronoun(parsed: ParsedArticle, start: int, end: int) -> bool:
    """Whether a mention is one pronoun (by the tagger)."""
    words = [w for s in parsed.sentences for w in s.words if start <= w.start < end]
    return len(words) == 1 and words[0].upos == "PRON"


def error_class(parsed: ParsedArticle, gold: GoldQuote, cue: tuple[int, int] | None, quote: Quote) -> tuple[str, str]:
    """(group, class) of one wrong speaker."""
    assert gold.speaker is not None
    if cue is not None and (quote.cue is None or overlap(cue, (quote.cue.start, quote.cue.end)) == 0):
        if quote.start <= cue[0] < quote.end:
            return OTHER_ATTRIBUTION, "nested: annotated cue inside the quote (the outer was kept)"
        if quote.cue is not None and gold.start <= quote.cue.start < gold.end:
            return OTHER_ATTRIBUTION, "nested: the quote's cue inside the annotated content (the inner was kept)"
        same = quote.cue is not None and sentence_number(parsed, cue[0]) == sentence_number(parsed, quote.cue.start)
        return OTHER_ATTRIBUTION, "another cue of the same sentence" if same else "a cue in another sentence"
    mention = quote.speaker.mention if quote.speaker else None
    if mention is None:
        return RIGHT_CUE, "no source found"
    source_start, source_end = gold.speaker
    if sentence_number(parsed, source_start) != sentence_number(parsed, mention.start):
        return RIGHT_CUE, "annotated source in another sentence"
    if min(abs(mention.start - source_end), abs(source_start - mention.end)) <= 2:
        return RIGHT_CUE, "mention touches the source (boundary)"
    if is_pronoun(parsed, source_start, source_end) != is_pronoun(parsed, mention.start, mention.end):
        return RIGHT_CUE, "another mention: pronoun for noun or noun for pronoun"
    types = {entity_type(parsed.entities, source_start, source_end),
             entity_type(parsed.entities, mention.start, mention.end)}
    if len(types) == 2 and "ORG" in types:
        return RIGHT_CUE, "another mention: organisation for person or other"
    return RIGHT_CUE, "another mention of the same sentence"


def main(argv: list[str] | None = None) -> None:
    parser = gold_arguments(__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=0, help="print K random examples per class")
    args = parser.parse_args(argv)
    records = parsed_gold(parser, args)
    classes: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = {}
    matched = with_source = no_source_given = 0
    for article, gold, parsed in records:
        quotes = extract_parsed(parsed).quotes
        pairs = match([(g.start, g.end) for g in gold], [(q.start, q.end) for q in quotes], 0.3)
        for g, p in pairs.items():
            matched += 1
            if gold[g].speaker is None:
                no_source_given += not speaker_right(gold[g], quotes[p])
                continue
            with_source += 1
            if speaker_right(gold[g], quotes[p]):
                continue
            key = error_class(parsed, gold[g], gold[g].cue, quotes[p])
            classes[key] += 1
            mention = quotes[p].speaker.mention if quotes[p].speaker else None
            source = article.text[gold[g].speaker[0]:gold[g].speaker[1]]  # type: ignore[index]
            examples.setdefault(key, []).append(f"{article.id}: {quotes[p].text[:60]!r} mention "
                                                f"{mention.text if mention else None!r}, annotated {source!r}")
    wrong = sum(classes.values())
    print(f"matched quotes {matched}, with an annotated source {with_source}, speaker wrong {wrong} "
          f"({wrong / max(1, with_source):.1%}); without an annotated source but given one: {no_source_given}")
    for group in (OTHER_ATTRIBUTION, RIGHT_CUE):
        inside = {k: v for k, v in classes.items() if k[0] == group}
        print(f"{sum(inside.values()):5d} {sum(inside.values()) / max(1, wrong):6.1%}  {group}")
        for (_, name), count in sorted(inside.items(), key=lambda kv: -kv[1]):
            print(f"  {count:5d} {count / max(1, wrong):6.1%}  {name}")
    rng = random.Random(1)
    for key, found in examples.items():
        if args.examples:
            print(f"== {key[1]}")
            for line in rng.sample(found, min(args.examples, len(found))):
                print("  " + line)


if __name__ == "__main__":
    main()
