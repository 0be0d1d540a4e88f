"""Extraction for a batch of articles: NLP -> tagging -> quote finding (rules, with the verbs
the tagger reads as cues, and the tagger's attributions the rules miss) -> speaker resolution ->
scoring -> the words opening a content that the tagger reads as cue words moved into the cue ->
content edges chosen by the boundary ranker."""

from __future__ import annotations

from .attribution import score_quotes
from .boundaries import with_learned_edges
from .document import Document
from .finder import find_quotes
from .models import Article, Extraction, ParsedArticle, Quote
from .nlp import parse_articles
from .speakers import resolve_speakers
from .tagged import speaker_alternatives, tagged_quotes, with_tagged_cue_words, with_tagged_sources
from .tagger import TaggerModel, Tagging, learned_cues, tag_article


def extract(articles: list[Article], models: str | None = None) -> list[Extraction]:
    """Every quote of every article, with its speaker resolved inside its article."""
    return [extract_parsed(p) for p in parse_articles(articles, models)]


def extract_parsed(parsed: ParsedArticle, tagger: TaggerModel | None = None) -> Extraction:
    """Quotes and speakers of one already parsed article (also used on cached parses). Each
    article is tagged alone, so that its quotes never depend on the articles read beside it (in
    bfloat16 the encoder's sums depend on the batch's shape). Of the rules' quotes (from the
    lexicon's cues and the verbs the tagger reads as cues) and the tagger's attributions the
    rules do not have, those the scorer keeps (it reads the tagger's reading too)."""
    tagging = tag_article(parsed, tagger)
    return Extraction(article=parsed.article, quotes=chosen_quotes(parsed, judged_quotes(parsed, tagging), tagging))


def chosen_quotes(parsed: ParsedArticle, candidates: list[Quote], tagging: Tagging | None) -> list[Quote]:
    """Of the judged ``candidates`` (``judged_quotes``), the ones the scorer keeps, with the
    content edges the boundary ranker chooses, in text order (also for bench/recall_errors.py,
    which classes the candidates it drops)."""
    moved = with_learned_edges(parsed.article.text, scored_quotes(parsed, candidates, tagging), tagging)
    return sorted(moved, key=lambda q: (q.start, q.end))


def scored_quotes(parsed: ParsedArticle, candidates: list[Quote], tagging: Tagging | None) -> list[Quote]:
    """The quotes the scorer keeps, with their edges as the rules drew them but for the cue words
    moved (what the boundary ranker is trained on)."""
    kept = score_quotes(parsed, candidates, tagging=tagging)
    # The scorer judges each content as the rules drew it; words at its start the tagger reads
    # as part of the cue then go to the cue.
    return with_tagged_cue_words(parsed.article.text, kept, tagging)


def judged_quotes(parsed: ParsedArticle, tagging: Tagging | None) -> list[Quote]:
    """Every quote the scorer judges, with resolved speakers: the rules' and the tagger's
    attributions the rules do not have, each also with the other speakers the tagger reads in
    its cue's sentence (``tagged.speaker_alternatives``; the scorer keeps the likeliest). The
    scorer weighs the tagger's in the same way as the rules' (``Quote.tagged`` is one of its
    features), which on PolNeAR dev did better than a threshold on the tagger's own
    probability: F1 0.817 against 0.813 at 0.3 overlap, 0.719 against 0.717 end to end."""
    document = Document.of(parsed)  # one view of the parse, read by the finder and speakers alike
    found = candidate_quotes(document, tagging)
    quotes = found + tagged_quotes(document, found, tagging)
    # All speakers are resolved in one pass, in text order ("he added" may follow either kind);
    # each quote's other likely speakers too, for the scorer to choose between.
    return resolve_speakers(document, quotes, speaker_alternatives(document, quotes, tagging))


def rule_quotes(parsed: ParsedArticle, tagging: Tagging | None = None) -> list[Quote]:
    """The rules' quotes with resolved speakers, before the learned scorer keeps or drops them;
    with ``tagging``, as the pipeline finds them (``candidate_quotes``)."""
    document = Document.of(parsed)
    return resolve_speakers(document, candidate_quotes(document, tagging))


def candidate_quotes(document: Document, tagging: Tagging | None) -> list[Quote]:
    """The rules' quotes, with the verbs the tagger reads as cues among their cues and the
    tagger's source for quoted words they leave without a speaker."""
    return with_tagged_sources(document, find_quotes(document, learned_cues(tagging)), tagging)
