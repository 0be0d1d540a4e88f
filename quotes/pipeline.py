"""Extraction for a batch of articles: NLP -> quote finding -> speaker resolution."""

from __future__ import annotations

from .finder import find_quotes
from .models import Article, Extraction, ParsedArticle
from .nlp import parse_articles
from .speakers import resolve_speakers


def extract(articles: list[Article], models: str | None = None) -> list[Extraction]:
    """Every quote of every article, with its speaker resolved inside its article."""
    return [extract_parsed(p) for p in parse_articles(articles, models)]


def extract_parsed(parsed: ParsedArticle) -> Extraction:
    """Quotes and speakers of one already parsed article (also used on cached parses)."""
    return Extraction(article=parsed.article, quotes=resolve_speakers(parsed, find_quotes(parsed)))
