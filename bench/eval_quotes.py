"""Score the real pipeline against annotated quotes.

``python bench/eval_quotes.py GOLD.jsonl [--limit N] [--parse-cache DIR]``

All scoring lives in ``quotes.evaluate``; this script runs it with the shipped models. Parsing is
nearly all of the time (about 15 minutes for the 285 PolNeAR dev articles on one core), so
``--parse-cache DIR`` keeps each article's stanza analysis in DIR, keyed by the model files'
fingerprint, the NLP code and the lexicon it reads (``version.NLP_SOURCES``) and the article's content hash:
working on the quote finder then takes seconds per run, and retrained models or a changed
pipeline are never scored on stale parses. ``--cache-folder FOLDER`` reads the analyses in FOLDER
whatever today's fingerprint (to score a change to the NLP code on the parses made before it).
"""

import argparse
import sys
from pathlib import Path
from typing import Callable

from quotes.evaluate import main, pipeline_predictor
from quotes.ingest import BATCH_SIZE, batched
from quotes.models import Article, ParsedArticle, Quote
from quotes.nlp import parse_articles
from quotes.pipeline import extract_parsed
from quotes.version import NLP_SOURCES, code_fingerprint, models_fingerprint


def cache_folder(cache_dir: Path) -> Path:
    """Where ``cache_dir`` keeps the analyses of today's models and NLP code."""
    return cache_dir / f"{models_fingerprint()}-{code_fingerprint(NLP_SOURCES)}"


def cached_parser(folder: Path) -> Callable[[list[Article]], list[ParsedArticle]]:
    """The stanza analyses of articles, read from (and written to) ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)

    def parsed(articles: list[Article]) -> list[ParsedArticle]:
        paths = [folder / f"{article.content_hash}.json" for article in articles]
        missing = [a for a, path in zip(articles, paths) if not path.exists()]
        for batch in batched(missing, BATCH_SIZE):  # cache as we go: an interrupted run keeps its work
            for fresh in parse_articles(batch):
                (folder / f"{fresh.article.content_hash}.json").write_text(fresh.model_dump_json())
        return [ParsedArticle.model_validate_json(path.read_text()) for path in paths]
    return parsed


def cached_predictor(folder: Path):
    """The real pipeline, reading and writing stanza analyses in ``folder``."""
    parsed = cached_parser(folder)

    def predict(articles: list[Article]) -> list[list[Quote]]:
        return [extract_parsed(p).quotes for p in parsed(articles)]
    return predict


if __name__ == "__main__":
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--parse-cache", type=Path)
    options.add_argument("--cache-folder", type=Path)  # the cache's folder itself, whatever the NLP code
    known, rest = options.parse_known_args()
    folder = known.cache_folder or (cache_folder(known.parse_cache) if known.parse_cache else None)
    sys.exit(main(rest, predict=cached_predictor(folder) if folder else pipeline_predictor()))
