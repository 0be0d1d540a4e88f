"""Shared fixtures: hand-built parses for the rule tests (no models), hand-built extractions
and databases built as `quotes ingest` builds them, and the real shipped stanza pipeline on the
example articles, loaded once per test session (those tests are marked ``slow``:
``pytest -m "not slow"`` runs the rule layer in seconds).

Helpers that tests call are plain functions here, handed to tests by fixtures of a shorter
name (``conllu`` gives ``parsed_from_conllu``), so no test module imports another."""

import inspect
import json
import re
import socket
import sqlite3
import sys
from pathlib import Path

import pytest
import sqlite_utils

from quotes.articles import read_inputs
from quotes.db import ensure_db_shape, extractor_version, open_db, save_extraction
from quotes.models import Article, Entity, Extraction, ParsedArticle, Quote, Sentence, Span, SpeakerRef, Word
from quotes.nlp import parse_articles
from quotes.pipeline import extract_parsed
from quotes.punctuation import Tree
from quotes.registry import rebuild_speakers

EXAMPLES = Path(__file__).parent.parent / "examples"
KERRY_EXAMPLE = EXAMPLES / "003_cd5996b88a391c0c.txt"  # Kerry calls for a war crimes inquiry
WAR_CRIMES = ("Russian and Syrian actions such as bombing hospitals in Syria cried out "
              "for a war crimes investigation")
# Calls that run the shipped models: a test making one, or using a fixture that does, is slow.
LOADS_MODELS = re.compile(r"parse_articles\(|get_pipeline\(|extract_batch|pipeline_predictor|run_and_print"
                          r"|pipeline_options|[\[,]\s*\"(?:extract|ingest|eval)\"|\bingest\(|\bextract\(")


def loads_models(function) -> bool:
    try:
        return bool(LOADS_MODELS.search(inspect.getsource(function)))
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(items):
    """Mark the tests that run the models ``slow``, so ``-m "not slow"`` is the rule layer."""
    for item in items:
        definitions = getattr(item, "_fixtureinfo", None)
        fixtures = [d.func for defs in definitions.name2fixturedefs.values() for d in defs] if definitions else []
        if any(loads_models(f) for f in [getattr(item, "function", None), *fixtures] if f is not None):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def conllu():
    """Build a ParsedArticle from CoNLL-U text (see ``parsed_from_conllu``)."""
    return parsed_from_conllu


def parsed_from_conllu(conllu: str, article_id: str = "rules") -> ParsedArticle:
    """A ParsedArticle from hand-written CoNLL-U: the rules' input without the models.

    Sentences are separated by blank lines and joined by a space, paragraphs by a line
    ``# newpar`` (a new line in the text); ``SpaceAfter=No`` in MISC glues a word to the next;
    ``NER=B-PER`` / ``I-PER`` in MISC mark entities."""
    text, sentences, entities = "", [], []
    for block in conllu.strip().split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines()]
        if text:
            text += "\n" if "# newpar" in lines else " "
        words, start = [], len(text)
        for line in lines:
            if not line or line.startswith("#"):
                continue
            index, form, lemma, upos, xpos, feats, head, deprel, _, misc = line.split("\t")
            fields = dict(item.split("=", 1) for item in misc.split("|") if "=" in item)
            words.append(Word(index=int(index), text=form, lemma=lemma, upos=upos,
                              xpos=None if xpos == "_" else xpos, feats=None if feats == "_" else feats,
                              head=int(head), deprel=deprel, start=len(text), end=len(text) + len(form),
                              ner=fields.get("NER", "O")))
            text += form + ("" if fields.get("SpaceAfter") == "No" else " ")
        text = text.rstrip(" ")
        sentences.append(Sentence(start=start, end=len(text), words=words))
        entities += entities_of(text, words)
    return ParsedArticle(article=Article(id=article_id, text=text), sentences=sentences, entities=entities)


def entities_of(text: str, words: list[Word]) -> list[Entity]:
    """Entities from the words' BIO tags."""
    found: list[Entity] = []
    for word in words:
        tag, _, kind = word.ner.partition("-")
        if tag in ("B", "S") or tag in ("I", "E") and not found:
            found.append(Entity(start=word.start, end=word.end, text=word.text, type=kind))
        elif tag in ("I", "E"):
            found[-1] = Entity(start=found[-1].start, end=word.end, text=text[found[-1].start:word.end], type=kind)
    return found


@pytest.fixture(scope="session")
def build_db():
    """Build a database as `quotes ingest` does (see ``database_built_like_ingest``)."""
    return database_built_like_ingest


def database_built_like_ingest(path: Path, extractions, version: str = "test") -> sqlite_utils.Database:
    """What `quotes ingest` does after extraction: save, link speakers, shape."""
    db = open_db(path)
    ensure_db_shape(db)
    for extraction in extractions:
        save_extraction(db, extraction, version)
    rebuild_speakers(db)
    ensure_db_shape(db)
    return db


@pytest.fixture(scope="session")
def span_of():
    """The Span of a phrase in a text (see ``span_of_phrase``)."""
    return span_of_phrase


def span_of_phrase(text: str, phrase: str, after: int = 0) -> Span:
    """The first ``phrase`` in ``text`` from ``after`` on, as a Span."""
    start = text.index(phrase, after)
    return Span(start=start, end=start + len(phrase), text=phrase)


@pytest.fixture(scope="session")
def example_text() -> str:
    """The text of the example article in which Kerry calls for a war crimes inquiry."""
    return KERRY_EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def war_crimes() -> str:
    """The text of Kerry's indirect quote in that article (as ``kerry_extraction`` reports it)."""
    return WAR_CRIMES


@pytest.fixture(scope="session")
def kerry_extraction():
    """Build Kerry's quotes as the pipeline reports them (see ``kerry_quotes``)."""
    return kerry_quotes


def kerry_quotes(text: str | None = None, article_id: str = "003") -> Extraction:
    """Kerry's "war crimes" quote (and one more of his) as the pipeline would report them, in
    the example article or in an edited ``text`` that still holds them."""
    text = KERRY_EXAMPLE.read_text(encoding="utf-8") if text is None else text
    quotes = []
    for quote_text, kind in ((WAR_CRIMES, "indirect"),
                             ("Russia, and the regime, owe the world more than an explanation", "direct")):
        quote = span_of_phrase(text, quote_text)
        mention = span_of_phrase(text, "John Kerry") if kind == "indirect" else span_of_phrase(text, "Kerry", quote.end)
        cue = span_of_phrase(text, "said" if kind == "indirect" else "told", mention.start)
        quotes.append(Quote(article_id=article_id, start=quote.start, end=quote.end, text=quote.text,
                            kind=kind, cue=cue, confidence=0.9,
                            speaker=SpeakerRef(mention=mention, name="John Kerry", type="person",
                                               role="U.S. Secretary of State")))
    return Extraction(article=Article(id=article_id, text=text, outlet="Reuters"), quotes=quotes)


@pytest.fixture(scope="session")
def punctuation_as_ud():
    """Tell whether a parsed sentence's marks hang as UD wants (see ``punctuation_follows_ud``)."""
    return punctuation_follows_ud


def punctuation_follows_ud(sentence: Sentence) -> bool:
    """Whether every mark of a parsed sentence hangs as UD wants: no dependents, no crossed
    arc, and a final full stop after the root on the root."""
    heads = [w.head for w in sentence.words]
    tree, root = Tree(heads), heads.index(0) + 1
    marks = [w for w in sentence.words if w.upos == "PUNCT" and w.head]
    last = sentence.words[-1]
    return (all(m.index not in heads and tree.projective_under(m.index, m.head) for m in marks)
            and not (last.text == "." and root < last.index and last.head != root))


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def example_articles() -> list[Article]:
    return [item for item in read_inputs([str(EXAMPLES)]) if isinstance(item, Article)]


@pytest.fixture(scope="session")
def example_parses(example_articles) -> list[ParsedArticle]:
    """Every example article as the shipped stanza pipeline analyses it."""
    return parse_articles(example_articles)


@pytest.fixture(scope="session")
def example_extractions(example_parses):
    """Extraction (article + quotes) of every example article, by the real pipeline."""
    return {e.article.id: e for e in map(extract_parsed, example_parses)}


@pytest.fixture(scope="session")
def example_db(tmp_path_factory, example_extractions) -> Path:
    """A database built from the example articles by the real pipeline and registry."""
    path = tmp_path_factory.mktemp("site") / "quotes.db"
    database_built_like_ingest(path, example_extractions.values(), extractor_version())
    return path


@pytest.fixture
def deep_tree(tmp_path):
    """A chain of folders deeper than Python's recursion limit, removed one by one afterwards
    (pytest's own clean-up recurses, and would fail on it)."""
    folders = [tmp_path / "deep"]
    for _ in range(sys.getrecursionlimit() + 200):
        folders.append(folders[-1] / "d")
    for folder in folders:
        folder.mkdir()
    yield folders
    for folder in reversed(folders):
        for path in folder.iterdir():
            if not path.is_dir():
                path.unlink()
        folder.rmdir()


@pytest.fixture(scope="session")
def stored_articles():
    """How many articles a database holds now, read while another process writes it (0 while
    it does not exist yet or is locked for a moment)."""
    def count(db_path: Path) -> int:
        try:
            with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as conn:
                return conn.execute("select count(*) from articles").fetchone()[0]
        except sqlite3.Error:
            return 0
    return count


@pytest.fixture(scope="session")
def only_quote():
    """The one quote a hand-built sentence must give (failing with what was found otherwise)."""
    def only(quotes: list[Quote]) -> Quote:
        assert len(quotes) == 1, [q.text for q in quotes]
        return quotes[0]
    return only


@pytest.fixture
def no_network(monkeypatch):
    """Any connection from here on fails: what runs must work offline."""
    def refuse(*args, **kwargs):
        raise OSError("network access in an offline test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


@pytest.fixture
def training_slice(example_parses, tmp_path):
    """What a training script reads, made from hand-written gold records of example articles:
    train and dev JSON Lines (the last record is dev) and a parse cache holding the session's
    analyses of them. Returns a function of the records giving (train, dev, parse cache)."""
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from eval_quotes import cache_folder

    parses = {p.article.id: p for p in example_parses}

    def write(records: list[dict]) -> tuple[Path, Path, Path]:
        cache = tmp_path / "parse"
        folder = cache_folder(cache)
        folder.mkdir(parents=True, exist_ok=True)
        for record in records:
            parsed = parses[record["id"]]
            (folder / f"{parsed.article.content_hash}.json").write_text(parsed.model_dump_json())
        train, dev = tmp_path / "train.jsonl", tmp_path / "dev.jsonl"
        train.write_text("".join(json.dumps(r) + "\n" for r in records[:-1]), encoding="utf-8")
        dev.write_text(json.dumps(records[-1]) + "\n", encoding="utf-8")
        return train, dev, cache
    return write
