"""Why annotated quotes are missed: a table of recall error classes, and the cues of the quotes
no rule finds.

``python bench/recall_errors.py GOLD.jsonl --cache-folder FOLDER [--limit N] [--kind KIND] [--examples K]``
(``--parse-cache DIR`` as in bench/eval_quotes.py also works).

Each annotated quote that the pipeline's quotes (``pipeline.chosen_quotes``) do not match at
0.3 overlap falls in one class, judged on the candidates the learned scorer judges
(``pipeline.judged_quotes``: the rules' quotes, with the verbs the tagger reads as cues, and the
tagger's own attributions):

* dropped by the scorer: a candidate matches it at 0.3, the scorer did not keep it (under its
  keep threshold, or the other quote of a nested pair);
* taken by another annotated quote: a candidate covers 0.3 of it, but is matched to another
  (two fragments or two attributions merged into one content, or nested ones);
* boundary: a candidate overlaps it by less than 0.3;
* no candidate: no candidate touches it. These are broken down by the annotated cue: its
  form (a verb in or out of the cue lexicon, a cue noun, "according to", an adjective, ...),
  its construction (passive, relative clause, "said to"), whether a candidate has that cue
  (with its content elsewhere), and whether the annotation gives a source.

The classes decide which rule, lexicon entry or learned choice to work on; the lemmas of the
uncovered cues say which words, but the annotation also marks beliefs and intentions, which a
speech-only tool leaves out on purpose (stance cues stay typed as stance).

On PolNeAR (issue #22; measured until session 20 on the rules' quotes alone, without the tagger,
and so with a lower recall than the pipeline's) the classes held on dev and train alike: of the
missed indirect quotes, no candidate 74% / 78%, taken by another annotated quote 14% / 13%
(mostly a content running on into the next attribution: ", crediting her with ...", "and force
their hand"), dropped by the scorer 8% / 5% (nearly all at probability 0.2-0.4, where under half
are right) and boundary 5%. The uncovered cues are a long tail: no lemma but "say" (4%, its
content often a noun phrase: "everything he said") accounts for more than 1.5% of them; on dev
(table rows shown, 1,299 of 1,330) a verb outside the lexicon heads 35% ("went after", "battled
over"), one in it 23% (passives, participles, relative clauses), a noun 30% ("came under
scrutiny", "has the support of").
"""

from __future__ import annotations

import random
from collections import Counter

from eval_quotes import gold_arguments, parsed_gold

from quotes.attribution import quote_features, shipped_model
from quotes.evaluate import GoldQuote, match, overlap
from quotes.finder.vocabulary import KNOWN_VERBS, NOMINAL_CUES
from quotes.models import ParsedArticle, Quote, Word
from quotes.pipeline import chosen_quotes, judged_quotes
from quotes.tagger import tag_article

DROPPED = "dropped by the scorer"
TAKEN = "taken by another annotated quote"
BOUNDARY = "boundary: overlap below 0.3"
NO_CANDIDATE = "no candidate"


def cue_words(parsed: ParsedArticle, cue: tuple[int, int]) -> list[tuple[Word, list[Word]]]:
    """The words of the annotated cue, each with its sentence's words."""
    return [(w, s.words) for s in parsed.sentences if s.start < cue[1] and s.end > cue[0]
            for w in s.words if w.start < cue[1] and w.end > cue[0]]


def cue_form(parsed: ParsedArticle, text: str, cue: tuple[int, int] | None) -> tuple[str, str, str]:
    """(form, construction, lemma) of an annotated cue."""
    if cue is None:
        return "no cue annotated", "-", "-"
    words = cue_words(parsed, cue)
    phrase = text[cue[0]:cue[1]].lower()
    if not words:
        return "cue outside the parse", "-", phrase
    # The head word of a several-word cue ("made the case", "is convinced") is its last content word.
    content = [(w, s) for w, s in words if w.upos in ("VERB", "NOUN", "ADJ", "PROPN", "AUX")]
    word, sentence = (content or words)[-1]
    lemma = word.lemma.lower()
    if "according" in phrase:
        form = "according to"
    elif phrase.strip() in (":", "—", "--"):
        form = "punctuation"
    elif word.upos in ("VERB", "AUX"):
        form = "verb in the lexicon" if lemma in KNOWN_VERBS else "verb not in the lexicon"
    elif word.upos == "NOUN":
        form = "cue noun" if lemma in NOMINAL_CUES else "noun not in the lexicon"
    elif word.upos == "ADJ":
        form = "adjective"
    else:
        form = f"other ({word.upos})"
    if len(words) > 1 and form not in ("according to", "punctuation"):
        form += ", several words"
    kids = {w.deprel for w in sentence if w.head == word.index}
    if "aux:pass" in kids:
        construction = "passive ('was told', 'said to')" if "xcomp" in kids else "passive"
    elif word.deprel in ("acl:relcl", "acl"):
        construction = "relative or reduced clause"
    elif word.deprel in ("xcomp", "ccomp", "advcl"):
        construction = f"under another verb ({word.deprel})"
    elif word.deprel in ("conj",):
        construction = "conjoined"
    else:
        construction = "main"
    return form, construction, lemma


def classify(gold: list[GoldQuote], kept: list[Quote], candidates: list[Quote]) -> dict[int, str]:
    """The class of every annotated quote the kept quotes miss, by gold index."""
    spans = [(g.start, g.end) for g in gold]
    found = match(spans, [(q.start, q.end) for q in kept], 0.3)
    by_candidates = match(spans, [(q.start, q.end) for q in candidates], 0.3)
    classes = {}
    for g, gspan in enumerate(spans):
        if g in found:
            continue
        shares = [overlap(gspan, (q.start, q.end)) / max(1, gspan[1] - gspan[0]) for q in candidates]
        if g in by_candidates:
            classes[g] = DROPPED
        elif any(share >= 0.3 for share in shares):
            classes[g] = TAKEN
        elif any(shares):
            classes[g] = BOUNDARY
        else:
            classes[g] = NO_CANDIDATE
    return classes


def table(title: str, counts: Counter, total: int, rows: int = 40) -> None:
    print(title)
    for key, count in counts.most_common(rows):
        print(f"  {count:5d} {count / max(1, total):6.1%}  {key if isinstance(key, str) else ' | '.join(key)}")


def main(argv: list[str] | None = None) -> None:
    parser = gold_arguments(__doc__.splitlines()[0])
    parser.add_argument("--kind", default="indirect", help="annotated kind to class ('all' for every kind)")
    parser.add_argument("--examples", type=int, default=0, help="print K examples per class and per form")
    args = parser.parse_args(argv)
    records = parsed_gold(parser, args)
    model = shipped_model()
    classes: Counter[str] = Counter()
    forms: Counter[tuple[str, str]] = Counter()
    lemmas: Counter[tuple[str, str]] = Counter()
    dropped_at: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    considered = 0
    for article, gold, parsed in records:
        tagging = tag_article(parsed)
        candidates = judged_quotes(parsed, tagging)
        probabilities = (model.probabilities(quote_features(parsed, candidates, tagging)) if model and candidates
                         else [1.0] * len(candidates))
        kept = chosen_quotes(parsed, candidates, tagging)  # the same candidates, not found twice
        chosen = [g for g, q in enumerate(gold) if args.kind in ("all", q.kind)]
        considered += len(chosen)
        by_candidates = match([(g.start, g.end) for g in gold], [(q.start, q.end) for q in candidates], 0.3)
        for g, name in classify(gold, kept, candidates).items():
            if g not in chosen:
                continue
            classes[name] += 1
            cue = gold[g].cue
            if name == DROPPED:
                dropped_at[f"probability {int(probabilities[by_candidates[g]] * 10) / 10:.1f}"] += 1
            gold_text = article.text[gold[g].start:gold[g].end][:90]
            if name != NO_CANDIDATE:
                near = max(candidates, key=lambda q: overlap((gold[g].start, gold[g].end), (q.start, q.end)))
                examples.setdefault(name, []).append(f"{article.id}: annotated {gold_text!r}, candidate "
                                                     f"{near.text[:90]!r}")
                continue
            form, construction, lemma = cue_form(parsed, article.text, cue)
            cue_found = cue is not None and any(q.cue and overlap(cue, (q.cue.start, q.cue.end)) for q in candidates)
            source = "with a source" if gold[g].speaker else "no source annotated"
            forms[(form, construction)] += 1
            forms[("(any form)", "the cue has a candidate, content elsewhere" if cue_found else "cue not found")] += 1
            forms[("(any form)", source)] += 1
            lemmas[(form, lemma)] += 1
            examples.setdefault(form, []).append(
                f"{article.id}: cue {article.text[cue[0]:cue[1]] if cue else None!r} "
                f"content {gold_text!r}")
    missed = sum(classes.values())
    print(f"annotated {args.kind} quotes {considered}, missed at 0.3 overlap {missed} "
          f"(recall {1 - missed / max(1, considered):.3f})")
    table("by class:", classes, missed)
    table("dropped by the scorer, by its probability:", dropped_at, classes[DROPPED])
    table("no candidate, by the annotated cue (form | construction):", forms, classes[NO_CANDIDATE])
    table("no candidate, most frequent cue lemmas (form | lemma):", lemmas, classes[NO_CANDIDATE])
    rng = random.Random(1)
    for name, found in examples.items() if args.examples else ():
        print(f"== {name}")
        for line in rng.sample(found, min(args.examples, len(found))):
            print("  " + line)


if __name__ == "__main__":
    main()
