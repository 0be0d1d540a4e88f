"""Extraction for a batch of articles: NLP -> tagging -> quote finding (rules, with the verbs
the tagger reads as cues) -> speaker resolution -> scoring, and the tagger's additions."""

from __future__ import annotations

from .attribution import score_quotes
from .document import Document
from .finder import find_quotes
from .models import Article, Extraction, ParsedArticle, Quote
from .nlp import parse_articles
from .speakers import resolve_speakers
from .tagger import TaggerModel, Tagging, learned_cues, tag_article, tagged_quotes, with_tagged_sources


def extract(articles: list[Article], models: str | None = None) -> list[Extraction]:
    """Every quote of every article, with its speaker resolved inside its article."""
    return [extract_parsed(p) for p in parse_articles(articles, models)]


def extract_parsed(parsed: ParsedArticle, tagger: TaggerModel | None = None) -> Extraction:
    """Quotes and speakers of one already parsed article (also used on cached parses): the
    rules' quotes (from the lexicon's cues and the verbs the tagger reads as cues) the scorer
    keeps (it reads the tagger's reading too), and the tagger's attributions the rules do not
    have."""
    document = Document.of(parsed)  # one view of the parse, read by the finder and speakers alike
    tagging = tag_article(parsed, tagger)
    found = candidate_quotes(document, tagging)
    kept = score_quotes(parsed, resolve_speakers(document, found), tagging=tagging)
    extra = tagged_quotes(document, found, tagging)
    # Speakers of the tagger's quotes are resolved among all quotes, in text order ("he added").
    tagged = resolve_speakers(document, found + extra)[len(found):] if extra else []
    return Extraction(article=parsed.article, quotes=sorted(kept + tagged, key=lambda q: (q.start, q.end)))


def scored_quotes(parsed: ParsedArticle, tagger: TaggerModel | None = None) -> list[Quote]:
    """The quotes the learned scorer keeps of the rules' (without the tagger's additions)."""
    tagging = tag_article(parsed, tagger)
    return score_quotes(parsed, rule_quotes(parsed, tagging), tagging=tagging)


def rule_quotes(parsed: ParsedArticle, tagging: Tagging | None = None) -> list[Quote]:
    """The rules' quotes with resolved speakers, before the learned scorer keeps or drops them;
    with ``tagging``, as the pipeline finds them (``candidate_quotes``)."""
    document = Document.of(parsed)
    return resolve_speakers(document, candidate_quotes(document, tagging))


def candidate_quotes(document: Document, tagging: Tagging | None) -> list[Quote]:
    """The rules' quotes, with the verbs the tagger reads as cues among their cues and the
    tagger's source for quoted words they leave without a speaker."""
    return with_tagged_sources(document, find_quotes(document, learned_cues(tagging)), tagging)
