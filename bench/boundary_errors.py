"""Where matched quotes miss the exact span: a table of boundary error classes, and what cutting
each kind of trailing comma clause off indirect contents would change.

``python bench/boundary_errors.py GOLD.jsonl --cache-folder FOLDER [--limit N]``
(``--parse-cache DIR`` as in bench/eval_quotes.py also works).

Exact F1 compares spans without surrounding white space, punctuation and quotation marks
(``quotes.evaluate.trimmed``). Each matched quote (0.3 overlap) whose trimmed span differs from
the annotated one is classed by its start (early: the prediction starts before the annotation;
late: after) and its end, with the first word of the extra or missing text at the start and the
end. The simulation then cuts, one class at a time, every indirect content after its last comma
when the words after it form one dependency subtree of that class ("VERB:advcl" for ", saying
...", "relative" for ", which ...", "according to"), and prints the change in matches: on
PolNeAR dev no class gains (the annotators keep these clauses as often as they leave them out),
so the trailing clauses are left as they are.
"""

from __future__ import annotations

from collections import Counter

from eval_quotes import gold_arguments, parsed_gold

from quotes.evaluate import GoldQuote, Report, match, score_article, trimmed
from quotes.models import Article, ParsedArticle, Quote
from quotes.pipeline import extract_parsed

CUT_CLASSES = 12  # simulate the most frequent trailing-clause classes


def edge_class(predicted: int, annotated: int, early: str, late: str) -> str:
    return "ok" if predicted == annotated else early if predicted < annotated else late


def first_word(text: str) -> str:
    words = text.split()
    return words[0].lower() if words else "(space)"


def trailing_clause(parsed: ParsedArticle, quote: Quote) -> tuple[str, int] | None:
    """The class of the clause after an indirect content's last comma and the comma's offset,
    when the words after the comma form one subtree."""
    text = parsed.article.text
    end = quote.end
    while end > quote.start and text[end - 1] in " .\"”’'":
        end -= 1
    sentence = next((s for s in parsed.sentences if s.start <= end - 1 < s.end), None)
    if sentence is None:
        return None
    words = [w for w in sentence.words if quote.start <= w.start < end]
    comma = next((i for i in range(len(words) - 2, 0, -1) if words[i].text == ","), None)
    if comma is None:
        return None
    tail = words[comma + 1:]
    inside = {w.index for w in tail}
    heads = [w for w in tail if w.head not in inside]
    if len(heads) != 1:
        return None
    head, opener = heads[0], tail[0]
    if opener.text.lower() == "according":
        name = "according to"
    elif opener.upos == "CCONJ":
        name = "cconj:" + head.deprel.split(":")[0]
    elif head.deprel == "acl:relcl" or opener.upos == "PRON" and opener.deprel == "nsubj" and head.deprel == "acl":
        name = "relative"
    else:
        name = f"{head.upos}:{head.deprel.split(':')[0]}"
    return name, words[comma].start


def scored(found: list[tuple[Article, list[GoldQuote], ParsedArticle, list[Quote]]], cut: str | None) -> Report:
    """The figures with the contents whose trailing clause is of class ``cut`` cut before it."""
    report = Report()
    for article, gold, parsed, quotes in found:
        changed = []
        for quote in quotes:
            clause = trailing_clause(parsed, quote) if cut and quote.kind == "indirect" else None
            if clause and clause[0] == cut:
                quote = quote.model_copy(update={"end": clause[1], "text": article.text[quote.start:clause[1]]})
            changed.append(quote)
        score_article(report, article.text, gold, changed)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = gold_arguments(__doc__.splitlines()[0])
    args = parser.parse_args(argv)
    found = [(article, gold, parsed, extract_parsed(parsed).quotes)
             for article, gold, parsed in parsed_gold(parser, args)]
    classes: Counter[tuple[str, str, str]] = Counter()
    edges: Counter[tuple[str, str]] = Counter()
    clauses: Counter[str] = Counter()
    exact = 0
    for article, gold, parsed, quotes in found:
        text = article.text
        for g, p in match([(q.start, q.end) for q in gold], [(q.start, q.end) for q in quotes], 0.3).items():
            gold_start, gold_end = trimmed(text, gold[g].start, gold[g].end)
            start, end = trimmed(text, quotes[p].start, quotes[p].end)
            if (start, end) == (gold_start, gold_end):
                exact += 1
                continue
            classes[(quotes[p].kind, edge_class(start, gold_start, "starts early", "starts late"),
                     edge_class(end, gold_end, "ends early", "ends late"))] += 1
            if start != gold_start:
                edges[("start " + ("extra" if start < gold_start else "missing"),
                       first_word(text[min(start, gold_start):max(start, gold_start)]))] += 1
            if end != gold_end:
                edges[("end " + ("extra" if end > gold_end else "missing"),
                       first_word(text[min(end, gold_end):max(end, gold_end)]))] += 1
        for quote in quotes:
            clause = trailing_clause(parsed, quote) if quote.kind == "indirect" else None
            if clause:
                clauses[clause[0]] += 1
    wrong = sum(classes.values())
    print(f"matched quotes {exact + wrong}: exact {exact}, boundary wrong {wrong}")
    for (kind, start, end), count in classes.most_common():
        print(f"  {count:5d} {count / max(1, wrong):6.1%}  {kind:8s} {start:12s} {end}")
    print("first word of the extra or missing text:")
    for (edge, word), count in edges.most_common(16):
        print(f"  {count:5d}  {edge:13s} {word!r}")
    base = scored(found, None)
    print("cutting indirect contents before a trailing clause (change in matched quotes):")
    for name, count in clauses.most_common(CUT_CLASSES):
        report = scored(found, name)
        change = {key: report.spans[key].matched_pred - base.spans[key].matched_pred for key in base.spans}
        print(f"  {name:18s} {count:4d} contents: exact {change['exact']:+4d}, 0.8 {change['overlap 0.8']:+4d}, "
              f"0.3 {change['overlap 0.3']:+4d}, end-to-end "
              f"{report.end_to_end.matched_pred - base.end_to_end.matched_pred:+4d}")


if __name__ == "__main__":
    main()
