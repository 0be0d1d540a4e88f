"""Shared fixtures: the real shipped stanza pipeline, loaded once per test session."""

import sys
from pathlib import Path

import pytest
from helpers import build_db

from quotes.articles import read_inputs
from quotes.db import extractor_version
from quotes.models import Article, ParsedArticle
from quotes.nlp import parse_articles
from quotes.pipeline import extract_parsed

EXAMPLES = Path(__file__).parent.parent / "examples"


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
    build_db(path, example_extractions.values(), extractor_version())
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
