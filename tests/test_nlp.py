"""The stanza pipeline as shipped: offline model loading and the sentence repairs for news."""

import json

import pytest

from quotes.finder import find_quotes
from quotes.models import Article
from quotes.nlp import BUNDLED_DIR, ModelsMissing, bundled_model_paths, join_news_sentences, parse_articles

GIL = ("Ms. Gil walked ahead. ''Follow us,'' Ms. Gil said, and the boys trailed behind. "
       "''We are here,'' Mr. Smith added.")


def test_sentences_never_end_at_a_title_or_inside_an_attribution():
    sentences = [["''", "Follow", "us", ",", "''", "Ms."], ["Gil", "said", "."],
                 ["“", "Go", ",", "”"], ["he", "said", "."], ["Then", "he", "left", "."]]
    assert join_news_sentences(sentences) == [
        ["''", "Follow", "us", ",", "''", "Ms.", "Gil", "said", "."],
        ["“", "Go", ",", "”", "he", "said", "."], ["Then", "he", "left", "."]]


def test_a_real_sentence_end_stays():
    sentences = [["Lavrov", "spoke", "."], ["Kerry", "said", "no", "."], [("Don't", True), "go", "."]]
    assert join_news_sentences(sentences) == sentences


def test_shipped_pipeline_keeps_a_title_with_its_name():
    [parsed] = parse_articles([Article(id="gil", text=GIL)])
    texts = [GIL[s.start:s.end] for s in parsed.sentences]
    assert texts[0] == "Ms. Gil walked ahead."
    assert texts[1].startswith("''Follow us,'' Ms. Gil said")
    [follow] = [q for q in find_quotes(parsed) if "Follow us" in q.text]
    assert follow.speaker.mention.text.endswith("Gil")


def test_missing_model_file_is_named(tmp_path):
    manifest = json.loads((BUNDLED_DIR / "manifest.json").read_text())
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelsMissing, match="bundled stanza model file is missing"):
        bundled_model_paths(tmp_path)
    with pytest.raises(ModelsMissing, match="no bundled stanza models"):
        bundled_model_paths(tmp_path / "elsewhere")
