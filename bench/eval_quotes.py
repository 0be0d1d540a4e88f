"""Score the real pipeline against annotated quotes.

``python bench/eval_quotes.py GOLD.jsonl [--limit N] [--part PART] [--parse-cache DIR] [--rules-only]``

All scoring lives in ``quotes.evaluate``; this script runs it with the shipped models. Parsing is
nearly all of the time (about 15 minutes for the 285 PolNeAR dev articles on one core), so
``--parse-cache DIR`` keeps each article's stanza analysis in DIR, keyed by the model files'
fingerprint, the NLP code and the lexicon it reads (``version.NLP_SOURCES``) and the article's content hash:
working on the quote finder then takes seconds per run, and retrained models or a changed
pipeline are never scored on stale parses. ``--cache-folder FOLDER`` reads the analyses in FOLDER
whatever today's fingerprint (to score a change to the NLP code on the parses made before it).
``--rules-only`` scores the rules with no learned model (the README's "rules" column).

After the figures comes the reliability table: quotes by tenth of confidence, with the mean
confidence (predicted precision) beside the share whose span is right at 0.3 overlap (observed
precision) and whose speaker is right too, and the lowest confidence from which precision
reaches 0.90 (the site's default filter, ``quotes.models.DEFAULT_MIN_CONFIDENCE``).
"""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from quotes.attribution import one_per_content
from quotes.evaluate import GoldQuote, load_gold, main, match, part_argument, speaker_right
from quotes.ingest import BATCH_SIZE, batched
from quotes.models import Article, ParsedArticle, Quote
from quotes.nlp import parse_articles
from quotes.pipeline import extract_parsed, rule_quotes
from quotes.version import NLP_SOURCES, code_fingerprint, models_fingerprint


def cache_folder(cache_dir: Path) -> Path:
    """Where ``cache_dir`` keeps the analyses of today's models and NLP code."""
    return cache_dir / f"{models_fingerprint()}-{code_fingerprint(NLP_SOURCES)}"


def cached_parser(folder: Path) -> Callable[[list[Article]], list[ParsedArticle]]:
    """The stanza analyses of articles, read from (and written to) ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)

    def parsed(articles: list[Article]) -> list[ParsedArticle]:
        paths = [folder / f"{article.content_hash}.json" for article in articles]
        missing = [a for a, path in zip(articles, paths, strict=True) if not path.exists()]
        for batch in batched(missing, BATCH_SIZE):  # cache as we go: an interrupted run keeps its work
            for fresh in parse_articles(batch):
                (folder / f"{fresh.article.content_hash}.json").write_text(fresh.model_dump_json())
        return [ParsedArticle.model_validate_json(path.read_text()) for path in paths]
    return parsed


def gold_arguments(description: str) -> argparse.ArgumentParser:
    """The arguments every error table takes: the gold file, where its parses are cached, a limit."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--parse-cache", type=Path)
    parser.add_argument("--cache-folder", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    part_argument(parser)
    return parser


def parsed_gold(parser: argparse.ArgumentParser,
                args: argparse.Namespace) -> list[tuple[Article, list[GoldQuote], ParsedArticle]]:
    """Each gold article with its annotated quotes and its cached stanza analysis; the cache is
    required, since parsing a whole file takes long."""
    folder = args.cache_folder or (cache_folder(args.parse_cache) if args.parse_cache else None)
    if folder is None:
        parser.error("give --cache-folder or --parse-cache (parsing the whole file takes long)")
    records = load_gold(args.gold, args.limit, args.part)
    analyses = cached_parser(folder)([article for article, _ in records])
    return [(article, gold, parsed) for (article, gold), parsed in zip(records, analyses, strict=True)]


def rules_alone(parsed: ParsedArticle) -> list[Quote]:
    """The rules' quotes with no learned model: no tagger, no scorer; of two quotes claiming one
    content the likelier by the rules' confidence (the README's "rules" column)."""
    return one_per_content(rule_quotes(parsed))


def predictor(folder: Path | None, rules_only: bool = False) -> Callable[[list[Article]], list[list[Quote]]]:
    """The real pipeline (or the rules alone), reading and writing stanza analyses in
    ``folder`` when one is given, else parsing every article."""
    parsed = cached_parser(folder) if folder else parse_articles
    quotes_of = rules_alone if rules_only else (lambda p: extract_parsed(p).quotes)

    def predict(articles: list[Article]) -> list[list[Quote]]:
        return [quotes_of(p) for p in parsed(articles)]
    return predict


def remembering(predict):
    """``predict`` that also keeps every prediction, by article id, for the reliability table."""
    seen: dict[str, list[Quote]] = {}

    def wrapped(articles: list[Article]) -> list[list[Quote]]:
        predictions = predict(articles)
        seen.update((article.id, quotes) for article, quotes in zip(articles, predictions, strict=True))
        return predictions
    return wrapped, seen


def judged(gold: list[tuple[Article, list[GoldQuote]]],
           predictions: dict[str, list[Quote]]) -> list[tuple[float, bool, bool]]:
    """(confidence, span right at 0.3, span and speaker right) for every predicted quote of the
    articles that were scored (with --roles, only the role set's)."""
    found = []
    for article, quotes_gold in gold:
        quotes = predictions.get(article.id)
        if quotes is None:
            continue
        loose = {p: g for g, p in match([(g.start, g.end) for g in quotes_gold],
                                        [(q.start, q.end) for q in quotes], 0.3).items()}
        for p, quote in enumerate(quotes):
            right = p in loose
            found.append((quote.confidence, right, right and speaker_right(quotes_gold[loose[p]], quote)))
    return found


def reliability_table(judgements: list[tuple[float, bool, bool]], target: float = 0.90) -> str:
    """Predicted vs observed precision per tenth of confidence, and the threshold for ``target``."""
    lines = ["reliability (confidence tenth: count, mean confidence, span right, span+speaker right):"]
    for tenth in range(10):
        inside = [j for j in judgements if min(9, int(j[0] * 10)) == tenth]
        if inside:
            n = len(inside)
            lines.append(f"  {tenth / 10:.1f}-{(tenth + 1) / 10:.1f}: {n:5d}  {sum(j[0] for j in inside) / n:.3f}"
                         f"  {sum(j[1] for j in inside) / n:.3f}  {sum(j[2] for j in inside) / n:.3f}")
    for step in range(101):
        kept = [j for j in judgements if j[0] >= step / 100]
        if kept and sum(j[1] for j in kept) / len(kept) >= target:
            right = sum(j[1] for j in kept)
            lines.append(f"precision >= {target:.2f} from confidence {step / 100:.2f}: "
                         f"precision {right / len(kept):.3f}, keeps {len(kept)}/{len(judgements)} quotes "
                         f"({right} right)")
            break
    return "\n".join(lines)


if __name__ == "__main__":
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--parse-cache", type=Path)
    options.add_argument("--cache-folder", type=Path)  # the cache's folder itself, whatever the NLP code
    options.add_argument("--rules-only", action="store_true")
    known, rest = options.parse_known_args()
    folder = known.cache_folder or (cache_folder(known.parse_cache) if known.parse_cache else None)
    predict, predictions = remembering(predictor(folder, known.rules_only))
    status = main(rest, predict=predict)
    if status == 0:
        gold_options = argparse.ArgumentParser(add_help=False)
        gold_options.add_argument("gold")
        gold_options.add_argument("--limit", type=int, default=None)
        part_argument(gold_options)
        gold_args, _ = gold_options.parse_known_args(rest)
        print(reliability_table(judged(load_gold(gold_args.gold, gold_args.limit, gold_args.part), predictions)))
    sys.exit(status)
