"""Extraction for a batch of articles: NLP -> quote finding -> speaker resolution."""

from __future__ import annotations

from .document import Document
from .finder import find_quotes
from .models import Article, Extraction, ParsedArticle
from .nlp import parse_articles
from .speakers import resolve_speakers


def extract(articles: list[Article], models: str | None = None) -> list[Extraction]:
    """Every quote of every article, with its speaker resolved inside its article."""
    return [extract_parsed(p) for p in parse_articles(articles, models)]


def extract_parsed(parsed: ParsedArticle) -> Extraction:
    """Quotes and speakers of one already parsed article (also used on cached parses)."""
    document = Document.of(parsed)  # one view of the parse, read by the finder and speakers alike
    return Extraction(article=parsed.article, quotes=resolve_speakers(document, find_quotes(document)))
