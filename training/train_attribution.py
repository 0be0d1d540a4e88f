"""Train the attribution scorer (quotes/attribution.py) on annotated quotes.

    python training/train_attribution.py TRAIN.jsonl DEV.jsonl --parse-cache DIR --out PATH

Each article of TRAIN is parsed (or read from the parse cache shared with bench/eval_quotes.py),
the rules and the tagger find their quotes, and each quote is labelled by whether it matches
an annotated quote at 0.3 overlap (quotes/evaluate.py's one-to-one matching) and whether its
speaker mention is the annotated source too (``quote_labels``). One network is
trained per seed (``--seeds``), and so are three LightGBM boosters (``TREE_SEEDS``); the model
averages the networks' mean probability with the boosters' (quotes/attribution.py). A tenth of
TRAIN's articles (fixed by their ids) is held out to stop each network's and booster's training,
calibrate their probabilities (Platt scaling), set the keep threshold (half the F1 there) and
calibrate the probabilities of the quotes the pipeline keeps. DEV is only scored, never fitted on; with
``--fit-dev`` its fitted two thirds join TRAIN and only its validation third is scored
(quotes/gold_parts.py). The
script prints the rules' and the model's figures on DEV and the reliability
table, and writes the model to PATH.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from quotes.attribution import (  # noqa: E402
    CATEGORICAL,
    NUMERIC,
    AttributionModel,
    ScorerNetwork,
    kept_quotes,
    own_speakers,
    quote_features,
    same_quote,
)
from quotes.evaluate import (  # noqa: E402
    GoldQuote,
    Report,
    format_report,
    load_gold,
    match,
    score_article,
    speaker_right,
)
from quotes.gold_parts import Part, id_digest  # noqa: E402
from quotes.learned import Encoder, Trees, build_network, log_odds, tree_values  # noqa: E402
from quotes.models import ParsedArticle, Quote  # noqa: E402
from quotes.pipeline import judged_quotes  # noqa: E402
from quotes.tagger import TaggerModel, Tagging, tag_article  # noqa: E402

if TYPE_CHECKING:
    import torch

MATCH_OVERLAP = 0.3
# What a quote's label weighs: its span right (it matches an annotated quote at 0.3 overlap)
# counts this much, its speaker right too the rest (``quote_labels``). Chosen on the held-out tenth of
# the training articles among 1 (span only, until session 21), 0.6, 0.5 and 0 (span and speaker):
# F1 at 0.3 0.817 / 0.820 / 0.817 / 0.804, end to end 0.710 / 0.718 / 0.718 / 0.725.
SPAN_WEIGHT = 0.6
SEEDS = tuple(range(1, 9))  # one network each, their probabilities averaged (quotes/attribution.py)
TREE_SEEDS = (1, 2, 3)  # one booster each (bagging and feature sampling), their raw scores averaged
# LightGBM's settings for the boosters, chosen on dev's validation third among three (31 leaves
# and these categorical settings gave the lowest log loss; 15 and 63 leaves did no better):
# categories are split on as sets of at most 16 (a cue word, a first word), with strong
# smoothing, since most values are seen a few times only. The objective is the log loss of
# labels between 0 and 1 (``quote_labels``: a span right under the wrong speaker is 0.6).
TREE_PARAMETERS = {"objective": "cross_entropy", "num_leaves": 31, "learning_rate": 0.03, "min_child_samples": 30,
                   "cat_smooth": 50, "min_data_per_group": 50, "cat_l2": 20, "max_cat_threshold": 16,
                   "max_cat_to_onehot": 4, "feature_fraction": 0.5, "bagging_fraction": 0.8, "bagging_freq": 1,
                   "lambda_l2": 3.0, "num_threads": 1, "deterministic": True, "verbose": -1}


@dataclass
class Example:
    """One article: its analysis, the rules' quotes, their features and labels, the gold and
    the shipped tagger's reading (which the scorer reads too)."""

    parsed: ParsedArticle
    quotes: list[Quote]
    rows: list[dict]
    labels: list[float]
    gold: list[GoldQuote]
    tagging: Tagging | None


def examples(pairs: list[tuple[ParsedArticle, list[GoldQuote]]],
             fold_taggers: list[TaggerModel] | None = None) -> list[Example]:
    """Rules' quotes with features, labelled by matching them to the gold quotes. The tagger's
    features come from the shipped tagger, or, with ``fold_taggers`` (one per fold of the
    training articles, each trained without its fold), from the one that never saw the article:
    a tagger reads its own training articles too well, and a scorer fitted on that would trust
    it more than it deserves on new articles."""
    found = []
    for parsed, gold in pairs:
        tagger = fold_taggers[fold_of(parsed.article.id, len(fold_taggers))] if fold_taggers else None
        tagging = tag_article(parsed, tagger)
        quotes = judged_quotes(parsed, tagging)
        found.append(Example(parsed, quotes, quote_features(parsed, quotes, tagging), quote_labels(quotes, gold),
                             gold, tagging))
    return found


def quote_labels(quotes: list[Quote], gold: list[GoldQuote]) -> list[float]:
    """Each quote's label: ``SPAN_WEIGHT`` when it matches an annotated quote at 0.3 overlap,
    1 when its speaker mention is also that quote's source (or both have none), else 0.

    Why the speaker counts: trained on spans alone, the scorer kept a quote whose content was
    right under the wrong speaker as readily as a right one, and chose between two nested
    quotes ("refused [to concede [that ...]]") by which content the annotators marked, not
    whose. Such quotes are confident misattributions to a reader. On spans and speakers alone
    (weight 0) it dropped too many quotes that are right but for their speaker: on the
    held-out tenth of the training articles F1 at 0.3 fell 0.817 -> 0.804 for end to end
    0.710 -> 0.725; with 0.6 both rose (0.820 and 0.718)."""
    judged = list(dict.fromkeys(same_quote(q) for q in quotes))  # one quote under several speakers is matched once
    pairs = match([(g.start, g.end) for g in gold], [(key[0], key[1]) for key in judged], MATCH_OVERLAP)
    gold_of = {judged[p]: gold[g] for g, p in pairs.items()}
    found = [0.0] * len(quotes)
    for n, quote in enumerate(quotes):
        annotated = gold_of.get(same_quote(quote))
        if annotated is not None:
            found[n] = 1.0 if speaker_right(annotated, quote) else SPAN_WEIGHT
    return found


def held_out(article_id: str, share: float = 0.1) -> bool:
    """A fixed tenth of the articles, by a hash of their ids (stable across runs and machines)."""
    return int(id_digest(article_id)[:8], 16) / 16**8 < share


def fold_of(article_id: str, folds: int) -> int:
    """Which of ``folds`` parts of the training articles an article is in (by a hash of its id)."""
    return int(id_digest(article_id)[8:16], 16) % folds


class Parsed(Protocol):
    parsed: ParsedArticle


ArticleExample = TypeVar("ArticleExample", bound=Parsed)


def split(found: list[ArticleExample]) -> tuple[list[ArticleExample], list[ArticleExample]]:
    """Training and held-out articles (of any script's examples); a tiny set (a test's) holds out
    its last article."""
    train = [e for e in found if not held_out(e.parsed.article.id)]
    holdout = [e for e in found if held_out(e.parsed.article.id)]
    if not train or not holdout:
        return found[:-1], found[-1:]
    return train, holdout


def fit(train: list[Example], holdout: list[Example], epochs: int = 60, hidden: int = 32,
        seeds: tuple[int, ...] = SEEDS) -> AttributionModel:
    """The features' encoder fitted on ``train``; one network per seed and the boosted trees
    trained on ``train``, each stopped and calibrated on ``holdout``; the keep threshold and the
    kept calibration from ``holdout``."""
    import torch

    rows = [row for e in train for row in e.rows]
    encoder = Encoder.fit(rows, CATEGORICAL, NUMERIC)
    data = Encoded(*encoder.encode(rows), torch.tensor([label for e in train for label in e.labels]))
    hold = Encoded(*encoder.encode([row for e in holdout for row in e.rows]),
                   torch.tensor([label for e in holdout for label in e.labels]))
    networks = [fit_network(encoder, data, hold, epochs, hidden, seed=seed) for seed in seeds]
    trees = fit_trees(data, hold)
    model = AttributionModel(encoder, networks, trees, trees_calibration(trees, hold), keep_threshold(holdout))
    model.kept_calibration = kept_calibration(model, holdout)
    return model


def kept_calibration(model: AttributionModel, holdout: list[Example]) -> tuple[float, float]:
    """Platt scaling of the probabilities of the quotes the pipeline keeps in the held-out
    articles (after one per content) to how often they are right."""
    import torch

    odds, right = [], []
    for e in holdout:
        kept = kept_quotes(e.parsed, e.quotes, model, e.tagging)
        matched = set(match([(g.start, g.end) for g in e.gold], [(q.start, q.end) for q, _ in kept],
                            MATCH_OVERLAP).values())
        for n, (_, p) in enumerate(kept):
            odds.append(log_odds(p))
            right.append(float(n in matched))
    if len(set(right)) < 2:  # a tiny held-out set (a test's) with no right or no wrong kept quote
        return 1.0, 0.0
    return platt(torch.tensor(odds), torch.tensor(right))


@dataclass
class Encoded:
    """Quotes' features as the network reads them, with their labels."""

    ids: torch.Tensor
    numbers: torch.Tensor
    labels: torch.Tensor


def fit_network(encoder: Encoder, data: Encoded, hold: Encoded, epochs: int, hidden: int,
                embedding: int = 8, seed: int = 1) -> ScorerNetwork:
    """Train one network from ``seed``; stop and calibrate it on ``hold``."""
    import torch

    torch.manual_seed(seed)
    ids, numbers, labels = data.ids, data.numbers, data.labels
    hold_ids, hold_numbers, hold_labels = hold.ids, hold.numbers, hold.labels
    config = {"hidden": hidden, "embedding": embedding}
    network = build_network(encoder, **config)
    optimiser = torch.optim.AdamW(network.parameters(), lr=0.01, weight_decay=0.01)
    loss_of = torch.nn.BCEWithLogitsLoss()
    best, best_state = float("inf"), None
    for _ in range(epochs):
        network.train()
        for batch in torch.randperm(len(labels)).split(256):
            optimiser.zero_grad()
            loss_of(network(ids[batch], numbers[batch]), labels[batch]).backward()
            optimiser.step()
        network.eval()
        with torch.no_grad():
            hold_loss = loss_of(network(hold_ids, hold_numbers), hold_labels).item()
        if hold_loss < best:
            best, best_state = hold_loss, {k: v.clone() for k, v in network.state_dict().items()}
    network.load_state_dict(best_state)
    network.eval()
    with torch.no_grad():
        hold_logits = network(hold_ids, hold_numbers)
    scale, shift = platt(hold_logits, hold_labels)
    return ScorerNetwork(network, config, scale, shift)


def fit_trees(data: Encoded, hold: Encoded, seeds: tuple[int, ...] = TREE_SEEDS) -> Trees:
    """One LightGBM booster per seed on ``data``, each stopped on ``hold`` (150 rounds without
    a better log loss), as one set of trees (the mean of their raw scores)."""
    import lightgbm

    categorical = list(range(data.ids.shape[1]))
    train = lightgbm.Dataset(tree_values(data.ids, data.numbers), data.labels.numpy(), categorical_feature=categorical)
    stop = lightgbm.Dataset(tree_values(hold.ids, hold.numbers), hold.labels.numpy(),
                            categorical_feature=categorical, reference=train)
    dumps = []
    for seed in seeds:
        booster = lightgbm.train({**TREE_PARAMETERS, "seed": seed}, train, num_boost_round=5000, valid_sets=[stop],
                                 callbacks=[lightgbm.early_stopping(150, verbose=False)])
        dumps.append(booster.dump_model(num_iteration=booster.best_iteration))
    return Trees.from_lightgbm(dumps)


def trees_calibration(trees: Trees, hold: Encoded) -> tuple[float, float]:
    """Platt scaling of the trees' raw scores on the held-out quotes."""
    import torch

    raw = torch.tensor(trees.raw_scores(tree_values(hold.ids, hold.numbers)), dtype=torch.float32)
    return platt(raw, hold.labels)


def platt(logits, labels, steps: int = 300) -> tuple[float, float]:
    """Scale and shift of the logits that make their probabilities match observed rates."""
    import torch

    scale = torch.ones(1, requires_grad=True)
    shift = torch.zeros(1, requires_grad=True)
    optimiser = torch.optim.LBFGS([scale, shift], max_iter=steps)
    loss_of = torch.nn.BCEWithLogitsLoss()

    def closure():
        optimiser.zero_grad()
        loss = loss_of(logits * scale + shift, labels)
        loss.backward()
        return loss
    optimiser.step(closure)
    return scale.item(), shift.item()


def keep_threshold(holdout: list[Example]) -> float:
    """Half the held-out F1 at 0.3 overlap, with a quote right under the wrong speaker counted
    as ``SPAN_WEIGHT`` of a right one (the labels' F1): dropping a quote whose expected label
    is p raises that F1 when p < F1 / 2, so with calibrated probabilities this is the
    F1-optimal threshold, and it does not chase the noise of a small held-out set."""
    best: dict[tuple, float] = {}  # of one quote under several speakers, the pipeline keeps one
    for n, e in enumerate(holdout):
        for quote, label in zip(e.quotes, e.labels, strict=True):
            key = (n, *same_quote(quote))
            best[key] = max(best.get(key, 0.0), label)
    right = sum(best.values())
    predicted = len(best)
    gold = sum(len(e.gold) for e in holdout)
    return round(right / (predicted + gold), 2)  # F1 / 2 = TP / (predicted + gold)


def scored_report(dataset: list[Example], model: AttributionModel | None) -> Report:
    """The evaluation figures of the rules (model None) or of the rules kept by ``model``."""
    from quotes.attribution import score_quotes

    report = Report(articles=len(dataset))
    for e in dataset:
        quotes = score_quotes(e.parsed, e.quotes, model, e.tagging) if model else own_speakers(e.quotes)
        score_article(report, e.parsed.article.text, e.gold, quotes)
    return report


def gold_parses(path: Path, parse_cache: Path | None, limit: int | None,
                cached_only: bool = False, part: Part = "all") -> list[tuple[ParsedArticle, list[GoldQuote]]]:
    """Gold articles of ``part`` of ``path`` with their parses (cached in ``parse_cache`` if
    given; with ``cached_only``, only the articles already there)."""
    from eval_quotes import cache_folder, cached_parser

    from quotes.nlp import parse_articles

    records = load_gold(path, limit, part)
    if parse_cache and cached_only:
        folder = cache_folder(parse_cache)
        records = [r for r in records if (folder / f"{r[0].content_hash}.json").exists()]
    articles = [article for article, _ in records]
    parsed = cached_parser(cache_folder(parse_cache))(articles) if parse_cache else parse_articles(articles)
    return list(zip(parsed, [gold for _, gold in records], strict=True))


def training_parses(args: argparse.Namespace) -> tuple[list[tuple[ParsedArticle, list[GoldQuote]]],
                                                       list[tuple[ParsedArticle, list[GoldQuote]]]]:
    """The articles to train on (TRAIN, and with ``--fit-dev`` the fitted part of DEV) and to
    report on (DEV, or with ``--fit-dev`` its validation part, which no model is fitted or tuned
    on: ``quotes.gold_parts``), with their parses."""
    def read(path: Path, part: Part = "all") -> list[tuple[ParsedArticle, list[GoldQuote]]]:
        return gold_parses(path, args.parse_cache, args.limit, args.cached_only, part)
    if not args.fit_dev:
        return read(args.train), read(args.dev)
    return read(args.train) + read(args.dev, "fitted"), read(args.dev, "validation")


def training_arguments(description: str, model_file: str) -> argparse.ArgumentParser:
    """The arguments every training script of the learned attribution models takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("train", type=Path, help="gold JSON Lines to train on (PolNeAR format)")
    parser.add_argument("dev", type=Path, help="gold JSON Lines to report on")
    parser.add_argument("--fit-dev", action="store_true",
                        help="train on DEV's fitted two thirds too and report on its validation third "
                             "(quotes/gold_parts.py; as the shipped models are trained)")
    parser.add_argument("--parse-cache", type=Path, default=None, help="stanza analyses cache folder")
    parser.add_argument("--out", type=Path, default=ROOT / "quotes" / "attribution_model" / model_file)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles of each file")
    parser.add_argument("--cached-only", action="store_true",
                        help="use only the articles whose analysis the parse cache already holds")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = training_arguments(__doc__.splitlines()[0], "scorer.pt")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS),
                        help="one network per seed, their probabilities averaged")
    parser.add_argument("--fold-taggers", type=Path, nargs="*", default=[],
                        help="taggers trained by training/train_tagger.py --fold K/N, in fold order: "
                             "they give TRAIN's articles their tagger features (else the shipped tagger)")
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    fold_taggers = [TaggerModel.load(path) for path in args.fold_taggers]
    train_parses, dev_parses = training_parses(args)
    train_all, dev = examples(train_parses, fold_taggers), examples(dev_parses)
    if not any(e.rows for e in train_all):
        parser.error(f"{args.train}: no quotes to train on (with --cached-only: does {args.parse_cache} "
                     "hold analyses of today's models and NLP code?)")
    train, holdout = split(train_all)
    print(f"train {len(train)} articles ({sum(len(e.rows) for e in train)} quotes), "
          f"holdout {len(holdout)}, dev {len(dev)}", flush=True)
    model = fit(train, holdout, epochs=args.epochs, hidden=args.hidden, seeds=tuple(args.seeds))
    model.save(args.out)
    calibrations = ", ".join(f"{n.scale:.3f} x + {n.shift:.3f}" for n in model.networks)
    trees_scale, trees_shift = model.trees_calibration
    print(f"keep threshold {model.keep_threshold:.2f}; {len(model.networks)} networks, calibrations {calibrations}; "
          f"{len(model.trees.roots)} trees, calibration {trees_scale:.3f} x + {trees_shift:.3f}; "
          f"kept calibration {model.kept_calibration[0]:.3f} x + {model.kept_calibration[1]:.3f}")
    for name, chosen in (("rules", None), ("rules + scorer", model)):
        figures = scored_report(holdout, chosen).spans["overlap 0.3"]
        print(f"holdout, {name}: P {figures.precision:.3f} R {figures.recall:.3f} F1 {figures.f1:.3f}")
    print("== dev, rules ==\n" + format_report(scored_report(dev, None)))
    print("== dev, rules + scorer ==\n" + format_report(scored_report(dev, model)))
    print(f"model written to {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
