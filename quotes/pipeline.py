"""Extraction for a batch of articles: NLP -> quote finding -> speaker resolution."""

from __future__ import annotations

from .finder import find_quotes
from .models import Article, Extraction
from .nlp import parse_articles
from .speakers import resolve_speakers


def extract(articles: list[Article], models: str | None = None) -> list[Extraction]:
    """Every quote of every article, with its speaker resolved inside its article."""
    parsed = parse_articles(articles, models)
    return [Extraction(article=p.article, quotes=resolve_speakers(p, find_quotes(p)))
            for p in parsed]
