"""Train the boundary ranker (quotes/boundaries.py) on annotated quotes.

    python training/train_boundaries.py TRAIN.jsonl DEV.jsonl --parse-cache DIR --out PATH
        [--fit-dev] [--fold-taggers FOLD0.pt FOLD1.pt]

Each training article is tagged (with ``--fold-taggers``, by the fold tagger that never saw it,
as the scorer's training articles are: the shipped tagger reads its own training articles too
well), its quotes are found and kept as the pipeline keeps them before the ranker
(``quotes.pipeline.scored_quotes``), and each kept quote is matched to an annotated one at 0.3
overlap. Each movable edge's candidate words are labelled by whether the annotated edge (without
surrounding white space, punctuation and marks, as exact F1 reads it) is theirs; edges whose
annotated word is no candidate teach nothing and are left out. Per side, ``BOOSTER_SEEDS``
LightGBM lambdarank boosters learn to rank that word first, each stopped when ``STOP_ROUNDS``
rounds in a row did not raise how often it is first on the held-out tenth of the training
articles; the ranker averages their scores. The margin a word must win by is chosen on that
tenth too (``MARGINS``: the one making the most quotes exact there). The script prints the exact
matches before and after on the held-out tenth and DEV (with ``--fit-dev`` its validation third).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "training"))

from train_attribution import fold_of, split, training_arguments, training_parses  # noqa: E402

from quotes.boundaries import (  # noqa: E402
    CATEGORICAL,
    SIDES,
    ArticleColumns,
    BoundaryModel,
    Edge,
    Vocabulary,
    edge_values,
    edges,
    with_learned_edges,
)
from quotes.evaluate import GoldQuote, Report, format_report, match, score_article, trimmed  # noqa: E402
from quotes.learned import Trees  # noqa: E402
from quotes.models import ParsedArticle, Quote  # noqa: E402
from quotes.pipeline import judged_quotes, scored_quotes  # noqa: E402
from quotes.tagger import TaggerModel, Tagging, tag_article  # noqa: E402

MATCH_OVERLAP = 0.3
BOOSTER_SEEDS = (1,)  # three, averaged, gave the same exact matches for twice the trees' time (model card)
STOP_ROUNDS = 50
MAX_ROUNDS = 1000
MIN_WORD_COUNT = 100  # a word is its own category once seen this often in the training articles
MARGINS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
# LightGBM's settings: small trees (about 7,000 edges per side), words split on as sets.
PARAMETERS = {"objective": "lambdarank", "metric": "ndcg", "eval_at": [1], "num_leaves": 15,
              "learning_rate": 0.05, "min_child_samples": 20, "feature_fraction": 0.8, "bagging_fraction": 0.8,
              "bagging_freq": 1, "cat_smooth": 10, "max_cat_threshold": 16, "num_threads": 1,
              "deterministic": True, "verbose": -1}


@dataclass
class ArticleExample:
    """One article: its analysis, the tagger's reading, the kept quotes, the gold, and the
    edges of quotes matched to an annotated one whose annotated edge word is a candidate, with
    their labels (1 for that word)."""

    parsed: ParsedArticle
    tagging: Tagging
    quotes: list[Quote]
    gold: list[GoldQuote]
    edges: list[Edge]
    labels: list[list[int]]


def examples(pairs: list[tuple[ParsedArticle, list[GoldQuote]]],
             fold_taggers: list[TaggerModel] | None = None) -> list[ArticleExample]:
    found = []
    for parsed, gold in pairs:
        tagger = fold_taggers[fold_of(parsed.article.id, len(fold_taggers))] if fold_taggers else None
        tagging = tag_article(parsed, tagger)
        if tagging is None:
            raise SystemExit("the boundary ranker reads the tagger: train it first (training/train_tagger.py)")
        quotes = scored_quotes(parsed, judged_quotes(parsed, tagging), tagging)
        example = ArticleExample(parsed, tagging, quotes, gold, [], [])
        label_edges(example)
        found.append(example)
    return found


def label_edges(example: ArticleExample) -> None:
    """Each movable edge of a quote matched to an annotated one, labelled, where the annotated
    edge (as exact F1 reads it) is one of its candidate words."""
    text = example.parsed.article.text
    words = example.tagging.words.words
    gold = example.gold
    matched = {p: g for g, p in match([(g.start, g.end) for g in gold], [(q.start, q.end) for q in example.quotes],
                                      MATCH_OVERLAP).items()}
    for edge in edges(example.quotes, example.tagging):
        if edge.quote not in matched:
            continue
        start, end = trimmed(text, gold[matched[edge.quote]].start, gold[matched[edge.quote]].end)
        labels = [int(words[p].start == start if edge.side == "start" else words[p].end == end)
                  for p in edge.positions]
        if any(labels):
            example.edges.append(edge)
            example.labels.append(labels)


def side_data(found: list[ArticleExample], side: str,
              vocabulary: Vocabulary) -> tuple[np.ndarray, list[int], list[int]]:
    """Rows, labels and group sizes of one side's labelled edges."""
    rows: list[np.ndarray] = []
    labels: list[int] = []
    sizes: list[int] = []
    for e in found:
        chosen = [(edge, label) for edge, label in zip(e.edges, e.labels, strict=True) if edge.side == side]
        if not chosen:
            continue
        columns = ArticleColumns.of(e.tagging, vocabulary)
        rows.append(edge_values(e.quotes, [edge for edge, _ in chosen], columns, vocabulary))
        labels.extend(x for _, label in chosen for x in label)
        sizes.extend(len(label) for _, label in chosen)
    return np.concatenate(rows), labels, sizes


def fit_side(vocabulary: Vocabulary, train: list[ArticleExample], holdout: list[ArticleExample], side: str) -> Trees:
    """The mean of ``BOOSTER_SEEDS`` lambdarank boosters for one side's edges."""
    import lightgbm

    def dataset(found: list[ArticleExample], reference=None):
        values, labels, sizes = side_data(found, side, vocabulary)
        return lightgbm.Dataset(values, labels, group=sizes, reference=reference,
                                categorical_feature=list(range(len(CATEGORICAL))), free_raw_data=False)

    data = dataset(train)
    stop = dataset(holdout, data)
    boosters = [lightgbm.train({**PARAMETERS, "seed": seed}, data, num_boost_round=MAX_ROUNDS, valid_sets=[stop],
                               callbacks=[lightgbm.early_stopping(STOP_ROUNDS, verbose=False)])
                for seed in BOOSTER_SEEDS]
    return Trees.from_lightgbm([b.dump_model(num_iteration=b.best_iteration) for b in boosters])


def exact_matches(found: list[ArticleExample], model: BoundaryModel | None) -> Report:
    """The figures of the kept quotes, their edges moved by ``model`` (as they are without)."""
    report = Report(articles=len(found))
    for e in found:
        text = e.parsed.article.text
        quotes = with_learned_edges(text, e.quotes, e.tagging, model) if model else e.quotes
        score_article(report, text, e.gold, quotes)
    return report


def exact(report: Report) -> int:
    return report.spans["exact"].matched_gold


def main(argv: list[str] | None = None) -> int:
    parser = training_arguments(__doc__.splitlines()[0], "boundaries.pt")
    parser.add_argument("--fold-taggers", type=Path, nargs="*", default=[],
                        help="taggers trained by training/train_tagger.py --fold K/N, in fold order: "
                             "they read TRAIN's articles (else the shipped tagger)")
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    train_parses, dev_parses = training_parses(args)
    train_all = examples(train_parses, [TaggerModel.load(path) for path in args.fold_taggers])
    dev = examples(dev_parses)
    train, holdout = split(train_all)
    if not any(e.edges for e in train) or not any(e.edges for e in holdout):
        parser.error(f"{args.train}: too few quote edges to learn from")
    vocabulary = Vocabulary.fit([e.tagging.words for e in train], MIN_WORD_COUNT)
    trees = {side: fit_side(vocabulary, train, holdout, side) for side in SIDES}
    print(f"train {len(train)} articles ({sum(map(len, (e.edges for e in train)))} edges), holdout {len(holdout)} "
          f"({sum(map(len, (e.edges for e in holdout)))} edges); {len(vocabulary.words)} words; trees: "
          + ", ".join(f"{side} {len(t.roots)}" for side, t in trees.items()), flush=True)
    before = exact(exact_matches(holdout, None))
    by_margin = {m: exact(exact_matches(holdout, BoundaryModel(vocabulary, trees, m))) for m in MARGINS}
    margin = max(MARGINS, key=lambda m: (by_margin[m], m))
    print(f"holdout exact matches: {before} as drawn; by margin " +
          ", ".join(f"{m}: {n}" for m, n in by_margin.items()) + f"; margin {margin}")
    model = BoundaryModel(vocabulary, trees, margin)
    model.save(args.out)
    print(f"== dev, edges as drawn ==\n{format_report(exact_matches(dev, None))}")
    print(f"== dev, edges chosen ==\n{format_report(exact_matches(dev, model))}")
    print(f"model written to {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
