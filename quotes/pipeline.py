"""Extraction for a batch of articles: NLP -> quote finding -> speaker resolution -> scoring."""

from __future__ import annotations

from .attribution import score_quotes
from .document import Document
from .finder import find_quotes
from .models import Article, Extraction, ParsedArticle, Quote
from .nlp import parse_articles
from .speakers import resolve_speakers


def extract(articles: list[Article], models: str | None = None) -> list[Extraction]:
    """Every quote of every article, with its speaker resolved inside its article."""
    return [extract_parsed(p) for p in parse_articles(articles, models)]


def extract_parsed(parsed: ParsedArticle) -> Extraction:
    """Quotes and speakers of one already parsed article (also used on cached parses)."""
    return Extraction(article=parsed.article, quotes=score_quotes(parsed, rule_quotes(parsed)))


def rule_quotes(parsed: ParsedArticle) -> list[Quote]:
    """The rules' quotes with resolved speakers, before the learned scorer keeps or drops them."""
    document = Document.of(parsed)  # one view of the parse, read by the finder and speakers alike
    return resolve_speakers(document, find_quotes(document))
