"""Helpers shared by several test modules: hand-built extractions and a database built the
way `quotes ingest` builds it (save every extraction, rebuild the speaker registry, shape)."""

from pathlib import Path

import sqlite_utils

from quotes.db import ensure_db_shape, open_db, save_extraction
from quotes.models import Article, Extraction, Quote, Sentence, Span, SpeakerRef
from quotes.punctuation import Tree
from quotes.registry import rebuild_speakers

EXAMPLE = Path(__file__).parent.parent / "examples" / "003_cd5996b88a391c0c.txt"
WAR_CRIMES = ("Russian and Syrian actions such as bombing hospitals in Syria cried out "
              "for a war crimes investigation")


def build_db(path: Path, extractions, version: str = "test") -> sqlite_utils.Database:
    """What `quotes ingest` does after extraction: save, link speakers, shape."""
    db = open_db(path)
    ensure_db_shape(db)
    for extraction in extractions:
        save_extraction(db, extraction, version)
    rebuild_speakers(db)
    ensure_db_shape(db)
    return db


def span(text: str, phrase: str, after: int = 0) -> Span:
    start = text.index(phrase, after)
    return Span(start=start, end=start + len(phrase), text=phrase)


def kerry_extraction(text: str | None = None, article_id: str = "003") -> Extraction:
    """Kerry's "war crimes" quote (and one more of his) as the pipeline would report them."""
    text = EXAMPLE.read_text(encoding="utf-8") if text is None else text
    quotes = []
    for quote_text, kind in ((WAR_CRIMES, "indirect"),
                             ("Russia, and the regime, owe the world more than an explanation", "direct")):
        quote = span(text, quote_text)
        mention = span(text, "John Kerry") if kind == "indirect" else span(text, "Kerry", quote.end)
        cue = span(text, "said" if kind == "indirect" else "told", mention.start)
        quotes.append(Quote(article_id=article_id, start=quote.start, end=quote.end, text=quote.text,
                            kind=kind, cue=cue, confidence=0.9,
                            speaker=SpeakerRef(mention=mention, name="John Kerry", type="person",
                                               role="U.S. Secretary of State")))
    return Extraction(article=Article(id=article_id, text=text, outlet="Reuters"), quotes=quotes)


def punctuation_as_ud(sentence: Sentence) -> bool:
    """Whether every mark of a parsed sentence hangs as UD wants: no dependents, no crossed
    arc, and a final full stop after the root on the root."""
    heads = [w.head for w in sentence.words]
    tree, root = Tree(heads), heads.index(0) + 1
    marks = [w for w in sentence.words if w.upos == "PUNCT" and w.head]
    last = sentence.words[-1]
    return (all(m.index not in heads and tree.projective_under(m.index, m.head) for m in marks)
            and not (last.text == "." and root < last.index and last.head != root))
