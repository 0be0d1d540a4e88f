"""The learned boundary ranker: the shipped model loads offline; edges move only within their
sentence, never into a cue, a speaker mention or another quote, and never cut the marks of a
quoted stretch off; its training script runs end to end on a tiny hand-annotated slice."""

import sys
from pathlib import Path

from quotes.boundaries import (
    CATEGORICAL,
    CLAUSE_WINDOW,
    MODEL_PATH,
    SIDES,
    WINDOW,
    BoundaryModel,
    at_clause_break,
    chosen_edges,
    edges,
    moved,
    new_overlap,
    shipped_boundaries,
    with_learned_edges,
)
from quotes.finder import quoted_spans
from quotes.learned import Trees
from quotes.models import Quote, Span
from quotes.pipeline import judged_quotes, scored_quotes
from quotes.tagger import tag_article

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "training"))
import train_boundaries  # noqa: E402


def test_the_shipped_ranker_loads_without_the_network(no_network):
    model = BoundaryModel.load(MODEL_PATH)
    assert MODEL_PATH.stat().st_size < 2_000_000
    assert set(model.trees) == set(SIDES) and all(len(t.roots) for t in model.trees.values())
    assert model.margin >= 0
    assert "that" in model.vocabulary.words and "VERB" in model.vocabulary.tags
    assert shipped_boundaries() is shipped_boundaries()  # loaded once per process


def kept(parsed):
    tagging = tag_article(parsed)
    return scored_quotes(parsed, judged_quotes(parsed, tagging), tagging), tagging


def test_edges_stay_in_their_sentence_out_of_cues_mentions_and_other_quotes_and_keep_quoted_words(example_parses):
    seen = far = 0
    for parsed in example_parses:
        quotes, tagging = kept(parsed)
        words = tagging.words
        quoted = {p for m in quoted_spans(parsed.article.text) for p in words.between(m.start, m.end)}
        for edge in edges(quotes, tagging):
            quote = quotes[edge.quote]
            assert quote.kind != "direct"  # quotation marks decide a direct quote's edges
            assert len({words.sentence_of[p] for p in edge.positions}) == 1
            others = [(q.start, q.end) for n, q in enumerate(quotes) if n != edge.quote]
            own = [s for s in (quote.cue, quote.speaker.mention if quote.speaker else None) if s]
            for p in edge.positions:
                word = words.words[p]
                if p == edge.positions[edge.rule]:
                    continue
                seen += 1
                assert word.upos != "PUNCT"
                assert not any(word.start < b and a < word.end for a, b in others)
                assert not any(word.start < s.end and s.start < word.end for s in own)
                rule = edge.positions[edge.rule]
                left_out = range(rule, p) if edge.side == "start" else range(p + 1, rule + 1)
                assert not quoted & set(left_out)  # a speaker's own words stay in
                if abs(p - rule) > WINDOW:  # far from the rules' edge: inside the content, at a clause break
                    far += 1
                    assert (p > rule if edge.side == "start" else p < rule) and abs(p - rule) <= CLAUSE_WINDOW
                    assert at_clause_break(words, p, edge.side)
    assert seen > 100 and far > 10


def test_the_ranker_moves_edges_of_indirect_and_mixed_quotes_to_their_candidates_only(example_parses):
    """What the ranker changes on the examples: only edges of indirect and mixed quotes, each
    to one of its candidate words (or a quotation mark just before or after it), the quote's
    cue, speaker and confidence as they were."""
    moved_quotes = 0
    for parsed in example_parses:
        text = parsed.article.text
        quotes, tagging = kept(parsed)
        words = tagging.words.words
        candidates = {(e.quote, e.side): e.positions for e in edges(quotes, tagging)}
        chosen = with_learned_edges(text, quotes, tagging)
        assert len(chosen) == len(quotes)
        for n, (before, after) in enumerate(zip(quotes, chosen, strict=True)):
            if (before.start, before.end) == (after.start, after.end):
                assert after == before
                continue
            moved_quotes += 1
            assert before.kind in ("indirect", "mixed")
            assert (after.cue, after.speaker, after.confidence) == (before.cue, before.speaker, before.confidence)
            assert after.text == text[after.start:after.end]
            starts = {words[p].start for p in candidates.get((n, "start"), [])}
            ends = {words[p].end for p in candidates.get((n, "end"), [])}
            assert after.start == before.start or after.start in starts or not text[after.start].isalnum()
            assert after.end == before.end or after.end in ends or not text[after.end - 1].isalnum()
    assert moved_quotes


def test_an_adjunct_before_that_is_left_out(example_articles):
    """"said afterward that ...": the rules take the adverb into the content (it hangs on the
    complement), annotators leave it out; the ranker moves the edge past it. (The pipeline also
    has the tagger's reading of the content, which starts at "that", as the rules' rival.)"""
    from quotes.nlp import parse_articles
    from quotes.pipeline import extract_parsed

    text = "Officials said afterward that he would campaign later in the day in North Carolina."
    article = example_articles[0].model_copy(update={"id": "adjunct", "text": text, "body_start": 0,
                                                      "body_end": None})
    parsed = parse_articles([article])[0]
    tagging = tag_article(parsed)
    drawn = {q.text: q for q in judged_quotes(parsed, tagging) if not q.tagged}  # the rules' quote
    assert list(drawn) == ["afterward that he would campaign later in the day in North Carolina"]
    [moved] = with_learned_edges(text, list(drawn.values()), tagging)
    assert moved.text == "that he would campaign later in the day in North Carolina"
    [quote] = extract_parsed(parsed).quotes
    assert quote.text == "that he would campaign later in the day in North Carolina"


TEXT = 'Obama called the law "a betrayal of our values" in a speech on Monday.'


def quote(start: str, end: str, kind: str = "mixed") -> Quote:
    first, last = TEXT.index(start), TEXT.index(end) + len(end)
    return Quote(article_id="a", start=first, end=last, text=TEXT[first:last], kind=kind, confidence=0.9,
                 cue=Span(start=6, end=12, text="called"))


def test_a_moved_edge_keeps_the_marks_of_a_quoted_stretch_and_the_kind_is_read_again():
    marks = quoted_spans(TEXT)
    # The start moved onto the first quoted word takes its opening mark: the quote is direct now.
    direct = moved(TEXT, quote("the law", "values\""), {"start": TEXT.index("a betrayal")}, marks)
    assert direct.text == '"a betrayal of our values"' and direct.kind == "direct"
    # The end moved onto the last quoted word takes the closing mark; the content stays mixed.
    mixed = moved(TEXT, quote("the law", "Monday"), {"end": TEXT.index("values") + len("values")}, marks)
    assert mixed.text == 'the law "a betrayal of our values"' and mixed.kind == "mixed"
    # An indirect content grown into quoted words is mixed.
    grown = moved(TEXT, quote("in a speech", "Monday", "indirect"), {"start": TEXT.index("the law")}, marks)
    assert grown.kind == "mixed"


GOLD = {  # content, as annotated, of example articles' quotes
    "002_6d97062325c34ccb": ["he plans to meet with Lavrov"],
    "003_cd5996b88a391c0c": ["Russian and Syrian actions such as bombing hospitals in Syria cried out for a war "
                             "crimes investigation", "there was no basis in international law for bombing hospitals"],
    "004_390c1e4a347e204a": ["Those responsible should be held accountable for these actions"],
}


def test_training_runs_end_to_end_on_a_tiny_slice(example_parses, training_slice, tmp_path, capsys):
    parses = {p.article.id: p for p in example_parses}
    records = [{"id": i, "text": parses[i].article.text,
                "quotes": [{"start": parses[i].article.text.index(c), "end": parses[i].article.text.index(c) + len(c),
                            "kind": "indirect", "cue_text": "said"} for c in contents]}
               for i, contents in GOLD.items()]
    train, dev, cache = training_slice(records + records[-1:])
    out = tmp_path / "boundaries.pt"

    status = train_boundaries.main([str(train), str(dev), "--parse-cache", str(cache), "--out", str(out)])

    assert status == 0
    printed = capsys.readouterr().out
    assert "== dev, edges chosen ==" in printed and "quote span, exact" in printed
    model = BoundaryModel.load(out)
    assert set(model.trees) == set(SIDES) and model.margin in train_boundaries.MARGINS
    parsed = parses["004_390c1e4a347e204a"]
    quotes, tagging = kept(parsed)
    assert len(with_learned_edges(parsed.article.text, quotes, tagging, model)) == len(quotes)


def test_training_labels_the_annotated_edge_word(example_parses):
    parsed = next(p for p in example_parses if p.article.id == "003_cd5996b88a391c0c")
    text = parsed.article.text
    content = GOLD[parsed.article.id][1]
    gold = [train_boundaries.GoldQuote(text.index(content), text.index(content) + len(content), "indirect", None,
                                       True)]
    [example] = train_boundaries.examples([(parsed, gold)])
    words = example.tagging.words.words
    assert example.edges
    for edge, labels in zip(example.edges, example.labels, strict=True):
        assert sum(labels) == 1
        word = words[edge.positions[labels.index(1)]]
        if edge.side == "start":
            assert text[word.start:].startswith(content)
        else:
            assert text[:word.end].endswith(content)


def test_a_move_that_would_make_two_quotes_overlap_does_not_stand():
    law, speech = quote("the law", "values\""), quote("in a speech", "Monday", "indirect")
    grown = quote("the law", "speech")
    assert new_overlap(0, [law, speech], [grown, speech])
    assert not new_overlap(0, [law, speech], [quote("called", "values\""), speech])
    # Quotes that overlapped before (nested ones) may go on doing so.
    assert not new_overlap(0, [grown, speech], [quote("the law", "Monday"), speech])


def far_in_ranker(side: str) -> Trees:
    """Trees that score a start candidate 1 when it lies more than six words in, and an end
    candidate 1 when it lies more than six words back: they move every edge they can far in."""
    offset = len(CATEGORICAL)  # the first number: the candidate's distance from the rules' edge

    def leaf(value: float) -> dict:
        return {"leaf_value": value}

    far, near = leaf(1.0), leaf(0.0)
    split = {"split_feature": offset, "decision_type": "<=", "threshold": WINDOW if side == "start" else -WINDOW - 1,
             "left_child": near if side == "start" else far, "right_child": far if side == "start" else near}
    return Trees.from_lightgbm([{"tree_info": [{"tree_structure": split}]}])


def test_edges_moved_far_in_from_both_sides_never_cross(example_parses):
    model = BoundaryModel(shipped_boundaries().vocabulary, {side: far_in_ranker(side) for side in SIDES}, 0.0)
    moved_quotes = crossing = 0
    for parsed in example_parses:
        quotes, tagging = kept(parsed)
        chosen = chosen_edges(quotes, tagging, model)
        sides = {}
        for edge, position in chosen:
            sides.setdefault(edge.quote, {})[edge.side] = position
        crossed = {n for n, moves in sides.items() if moves.get("start", -1) > moves.get("end", 10**9)}
        result = with_learned_edges(parsed.article.text, quotes, tagging, model)
        assert all(q.start < q.end for q in result)
        assert all(result[n] == quotes[n] for n in crossed)
        crossing += len(crossed)
        moved_quotes += sum(a != b for a, b in zip(quotes, result, strict=True))
    assert moved_quotes and crossing
