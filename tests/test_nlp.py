"""The stanza pipeline as shipped: offline model loading and the sentence repairs for news."""

import gc
import json
import os
import subprocess
import sys

import pytest

from quotes.finder import find_quotes
from quotes.models import Article
from quotes.nlp import (
    BUNDLED_DIR,
    PROCESSORS,
    ModelsMissing,
    SentenceJoiner,
    bundled_model_paths,
    get_pipeline,
    parse_articles,
    projective_parser,
)

GIL = ("Ms. Gil walked ahead. ''Follow us,'' Ms. Gil said, and the boys trailed behind. "
       "''We are here,'' Mr. Smith added.")


def joined(text: str, sentences: list[list]) -> list[list]:
    joiner = SentenceJoiner()
    joiner.expect(text)
    return joiner(sentences)


def test_sentences_never_end_at_a_title_or_inside_an_attribution():
    text = "''Follow us,'' Ms. Gil said. “Go!” he said. Then he left."
    sentences = [["''", "Follow", "us", ",", "''", "Ms."], ["Gil", "said", "."],
                 ["“", "Go", "!", "”"], ["he", "said", "."], ["Then", "he", "left", "."]]
    assert joined(text, sentences) == [
        ["''", "Follow", "us", ",", "''", "Ms.", "Gil", "said", "."],
        ["“", "Go", "!", "”", "he", "said", "."], ["Then", "he", "left", "."]]


def test_a_title_cut_from_its_period_is_one_token_again():
    text = "“Go,” Ms. Gil said."
    assert joined(text, [["“", "Go", ",", "”", "Ms", "."], ["Gil", "said", "."]]) == [
        ["“", "Go", ",", "”", "Ms.", "Gil", "said", "."]]


def test_a_day_closing_a_sentence_goes_back_to_its_month():
    text = "He will perform on Nov. 4. He'll be joined by guests."
    split = [["He", "will", "perform", "on", "Nov", "."], ["4", ".", "He", "'ll", "be", "joined", "by", "guests", "."]]
    assert joined(text, split) == [["He", "will", "perform", "on", "Nov.", "4", "."],
                                   ["He", "'ll", "be", "joined", "by", "guests", "."]]
    numbered = [["It", "ended", "in", "Aug", "."], ["3", "people", "died", "."]]  # no day: a real end
    assert joined("It ended in Aug. 3 people died.", numbered) == numbered


def test_real_sentence_ends_and_paragraph_breaks_stay():
    sentences = [["Lavrov", "spoke", "."], ["Kerry", "said", "no", "."], [("Don't", True), "go", "."]]
    assert joined("Lavrov spoke. Kerry said no. Don't go.", sentences) == sentences
    wrapped = [["“", "Go", ",", "”"], ["he", "said", "Ms."], ["Gil", "left", "."]]
    assert joined("“Go,”\n\nhe said Ms.\n\nGil left.", wrapped) == wrapped
    assert joined("", wrapped) == wrapped  # no text to check against: nothing is joined


def test_a_dateline_is_a_sentence_of_its_own():
    text = "MOSCOW/BEIRUT (Reuters) – Russia said it would keep up the strikes.\nNATO - the alliance - met."
    sentences = [["MOSCOW", "/", "BEIRUT", "(", "Reuters", ")", "–", "Russia", "said", "it", "would",
                  "keep", "up", "the", "strikes", "."], ["NATO", "-", "the", "alliance", "-", "met", "."]]
    assert joined(text, sentences) == [sentences[0][:7], sentences[0][7:]] + sentences[1:]
    lead = "Kerry - visibly tired - said no.\nHong Kong (AFP) – Stocks fell."
    tokens = [["Kerry", "-", "visibly", "tired", "-", "said", "no", "."], ["Hong", "Kong", "(", "AFP", ")", "–",
                                                                          "Stocks", "fell", "."]]
    assert joined(lead, tokens) == [tokens[0], tokens[1][:6], tokens[1][6:]]
    cnn = "WASHINGTON — (CNN) Russia is ready."  # the agency after the dash
    tokens = [["WASHINGTON", "—", "(", "CNN", ")", "Russia", "is", "ready", "."]]
    assert joined(cnn, tokens) == [tokens[0][:5], tokens[0][5:]]
    bullet = "Brussels • The United States is discussing a deal.\nKerry said • was no cue."
    tokens = [["Brussels", "•", "The", "United", "States", "is", "discussing", "a", "deal", "."],
              ["Kerry", "said", "•", "was", "no", "cue", "."]]  # a bullet after a place only
    assert joined(bullet, tokens) == [tokens[0][:2], tokens[0][2:], tokens[1]]


def test_shipped_pipeline_parses_the_lead_without_its_dateline():
    text = "WASHINGTON (Reuters) - Senator John McCain said the deal was a mistake."
    [parsed] = parse_articles([Article(id="dateline", text=text)])
    assert text[parsed.sentences[0].start:parsed.sentences[0].end] == "WASHINGTON (Reuters) -"
    [quote] = find_quotes(parsed)
    assert quote.speaker.mention.text == "Senator John McCain"


def test_shipped_pipeline_keeps_a_title_with_its_name():
    wrapped = "Kerry said ``the talks\nfailed'' and Ms.\nGil left."  # hard-wrapped lines stay apart
    [parsed, lines] = parse_articles([Article(id="gil", text=GIL), Article(id="lines", text=wrapped)])
    texts = [GIL[s.start:s.end] for s in parsed.sentences]
    assert texts[0] == "Ms. Gil walked ahead."
    assert texts[1].startswith("''Follow us,'' Ms. Gil said")
    assert all("\n" not in wrapped[s.start:s.end] for s in lines.sentences)
    [follow] = [q for q in find_quotes(parsed) if "Follow us" in q.text]
    assert follow.speaker.mention.text.endswith("Gil")


def test_shipped_pipeline_ends_a_sentence_after_its_date():
    text = "The campaign says the hip-hop artist will perform on Nov. 4. He’ll also be joined by guests."
    [parsed] = parse_articles([Article(id="date", text=text)])
    assert [text[s.start:s.end] for s in parsed.sentences] == [
        "The campaign says the hip-hop artist will perform on Nov. 4.", "He’ll also be joined by guests."]
    [quote] = find_quotes(parsed)
    assert quote.text == "the hip-hop artist will perform on Nov. 4"


def test_a_word_is_split_only_where_it_has_an_apostrophe_or_is_a_bare_contraction():
    text = "Its envoy cannot go, whereas it's late."
    tokens = [[("Its", True), "envoy", ("cannot", True), "go", ",", ("whereas", True), ("it's", True), "late", "."]]
    assert joined(text, tokens) == [
        ["Its", "envoy", ("cannot", True), "go", ",", "whereas", ("it's", True), "late", "."]]


def test_shipped_pipeline_keeps_its_and_whereas_whole():
    text = ("Its forces, the ministry said, would stay, whereas its allies cannot. "
            "Russia defended its strikes, its envoy said.")
    [parsed] = parse_articles([Article(id="its", text=text)])
    words = [word.text for sentence in parsed.sentences for word in sentence.words]
    assert words.count("Its") == 1 and words.count("its") == 3 and "whereas" in words
    assert "s" not in words and "can" in words  # "cannot" is still "can" "not"


def test_missing_model_file_is_named(tmp_path):
    manifest = json.loads((BUNDLED_DIR / "manifest.json").read_text())
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelsMissing, match="bundled stanza model file is missing"):
        bundled_model_paths(tmp_path)
    with pytest.raises(ModelsMissing, match="no bundled stanza models"):
        bundled_model_paths(tmp_path / "elsewhere")


def official_layout(root, paths: dict[str, str]) -> None:
    """A stanza resources directory as ``stanza.download`` lays it out (resources.json,
    en/<processor>/<package>.pt), holding the shipped model files under package "default"."""
    english = {"lang_name": "English", "default_processors": dict.fromkeys(PROCESSORS, "default"),
               "pretrain": {"default": {}}}
    for name in [*PROCESSORS, "pretrain"]:
        (root / "en" / name).mkdir(parents=True)
        (root / "en" / name / "default.pt").symlink_to(paths[name])
        if name in ("pos", "depparse", "ner"):
            english[name] = {"default": {"dependencies": [{"model": "pretrain", "package": "default"}]}}
        elif name != "pretrain":
            english[name] = {"default": {}}
    (root / "resources.json").write_text(json.dumps({"en": english}))


def test_official_models_load_from_the_resources_dir_with_our_processors(tmp_path, monkeypatch, punctuation_as_ud):
    """``--models official`` reads stanza's own resources directory, never the network, and
    keeps the sentence joiner, the projective parser and the punctuation processor (here over the shipped files
    laid out as stanza.download would, the official models being unreachable from CI)."""
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path / "absent"))
    with pytest.raises(ModelsMissing, match="official stanza English models are not installed"):
        parse_articles([Article(id="none", text="Talks failed.")], models="official")
    official_layout(tmp_path / "resources", bundled_model_paths())
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path / "resources"))
    text = ("“Those who refuse to leave will be wiped out,” Russian Foreign Minister Sergei Lavrov "
            "said in Moscow. ''Follow us,'' Ms. Gil said.")
    [parsed] = parse_articles([Article(id="official", text=text)], models="official")
    assert len(parsed.sentences) == 2  # the joiner kept "Ms." with "Gil" and the quote with "said"
    assert all(punctuation_as_ud(sentence) for sentence in parsed.sentences)
    assert type(get_pipeline("official").processors["depparse"]) is projective_parser()


def test_chunked_label_scorer_gives_stanza_scores():
    import torch
    from stanza.models.common.biaffine import PairwiseBilinear

    from quotes.projective import ChunkedPairwiseBilinear

    torch.manual_seed(0)
    stanza_scorer = PairwiseBilinear(7, 5, 4)
    torch.nn.init.normal_(stanza_scorer.weight)
    torch.nn.init.normal_(stanza_scorer.bias)
    dependents, heads = torch.randn(3, 6, 7), torch.randn(3, 6, 5)
    with torch.inference_mode():
        expected = stanza_scorer(dependents, heads)
        for chunk_words in (1, 6, 12, 1000):  # one sentence, two, all at once
            got = ChunkedPairwiseBilinear(stanza_scorer, chunk_words)(dependents, heads)
            assert got.shape == expected.shape == (3, 6, 6, 4)
            assert torch.allclose(got, expected, atol=1e-5)


def test_shipped_pipeline_uses_the_speedups(example_parses):
    from stanza.models.common.char_model import CharacterModel
    from stanza.models.depparse import data
    from stanza.models.tokenization import utils

    from quotes.projective import ChunkedPairwiseBilinear
    from quotes.speedups import char_model_once_per_word, padded_long_tensor, token_entries

    pipeline = get_pipeline()
    assert isinstance(pipeline.processors["depparse"].trainer.model.deprel.scorer.W_bilin, ChunkedPairwiseBilinear)
    assert "id2unit" in vars(pipeline.processors["pos"].trainer.vocab["feats"])  # the remembered names
    assert data.get_long_tensor is padded_long_tensor
    assert utils.reassemble_doc_from_tokens is token_entries
    assert CharacterModel.forward is char_model_once_per_word
    assert gc.get_freeze_count() > 100_000  # the loaded pipeline, out of the full collections


@pytest.mark.parametrize("speedups, compiler_loaded", [("1", False), ("0", True)])
def test_loading_builds_stanzas_optimizers_without_torchs_compiler(speedups, compiler_loaded):
    """stanza's trainers build real optimizers as they load; with the speed-ups that costs no
    import of ``torch._dynamo`` (about a second of each process's start), and stanza's path
    still imports it. A fresh process: the tests' own training imports it in this one."""
    script = ("import sys\n"
              "from quotes.nlp import get_pipeline\n"
              "trainer = get_pipeline().processors['tokenize'].trainer\n"
              "print(type(trainer.optimizer).__name__, 'torch._dynamo' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={**os.environ, "QUOTES_SPEEDUPS": speedups})
    assert result.stdout.split() == ["Adam", str(compiler_loaded)]


def test_stanza_own_path_gives_the_same_parses_as_the_speedups(example_articles, example_parses, monkeypatch):
    """``QUOTES_SPEEDUPS=0`` (stanza's label scorer, the first Eisner search for every
    sentence, stanza's feature names and padding, no inference mode) gives every head, label,
    tag, lemma and entity the speed-ups give."""
    from stanza.models.common import data as common
    from stanza.models.common.char_model import CharacterModel
    from stanza.models.depparse import data
    from stanza.models.tokenization import utils

    from quotes.projective import ChunkedPairwiseBilinear
    from quotes.speedups import char_model_once_per_word, token_entries

    monkeypatch.setenv("QUOTES_SPEEDUPS", "0")
    stanza_parses = parse_articles(example_articles)
    pipeline = get_pipeline()
    assert not isinstance(pipeline.processors["depparse"].trainer.model.deprel.scorer.W_bilin, ChunkedPairwiseBilinear)
    assert "id2unit" not in vars(pipeline.processors["pos"].trainer.vocab["feats"])  # stanza's own method
    assert data.get_long_tensor is common.get_long_tensor
    assert utils.reassemble_doc_from_tokens is not token_entries
    assert CharacterModel.forward is not char_model_once_per_word
    assert gc.get_freeze_count() == 0
    assert [p.model_dump() for p in stanza_parses] == [p.model_dump() for p in example_parses]


def test_auto_device_is_the_cpu_without_a_gpu_and_cuda_fails_in_one_line(examples_dir):
    import torch
    from click.testing import CliRunner

    from quotes.cli import cli
    from quotes.nlp import DeviceUnavailable, resolve_device

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    assert resolve_device("auto") == resolve_device() == "cpu"
    with pytest.raises(DeviceUnavailable):
        resolve_device("cuda")
    result = CliRunner().invoke(cli, ["extract", "--device", "cuda", str(examples_dir)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: device cuda: torch sees no CUDA GPU on this machine (use --device cpu or auto)"]


def test_fast_padding_gives_stanzas_tensors():
    import random

    import torch
    from stanza.models.common.data import get_long_tensor

    from quotes.speedups import padded_long_tensor

    rng = random.Random(1)
    for _ in range(200):
        rows = [[rng.randint(0, 99) for _ in range(rng.randint(0, 20))] for _ in range(rng.randint(1, 40))]
        rows[0].append(1)  # stanza's own fails when every row is empty
        for batch_size, pad in ((len(rows), 0), (len(rows) + 2, 7)):
            expected, got = get_long_tensor(rows, batch_size, pad), padded_long_tensor(rows, batch_size, pad)
            assert got.dtype == expected.dtype and torch.equal(got, expected)
    features = [[[1, 2, 3]] * 5, [[4, 5, 6]] * 3]  # rows of vectors: stanza's own function
    assert torch.equal(padded_long_tensor(features, 2), get_long_tensor(features, 2))


def test_char_model_once_per_word_gives_stanzas_vectors(example_articles, example_parses, monkeypatch):
    """On every call the tagger, the parser and the entity tagger make for the examples, the
    character model run once per distinct word gives each word the vector stanza's gives it (to
    the last bits of a float: the LSTM runs over a different set of words), packed alike."""
    import torch
    from stanza.models.common.char_model import CharacterModel

    from quotes.speedups import CHAR_MODEL, char_model_once_per_word, stanza_own

    own = stanza_own(CHAR_MODEL, "CharacterModel.forward")
    calls = []

    def both(self, *arguments):
        expected, got = own(self, *arguments), char_model_once_per_word(self, *arguments)
        calls.append((self, torch.equal(got.batch_sizes, expected.batch_sizes)
                      and torch.allclose(got.data, expected.data, rtol=0, atol=1e-6),
                      len(torch.unique(arguments[0], dim=0)) < len(arguments[0])))
        return expected

    models = [get_pipeline().processors[name].trainer.model.charmodel for name in ("pos", "depparse", "ner")]
    monkeypatch.setattr(CharacterModel, "forward", both)
    parse_articles(example_articles)
    assert {id(model) for model, _, _ in calls} == {id(model) for model in models}
    assert all(same for _, same, _ in calls)
    assert all(repeated for _, _, repeated in calls)  # each call had words to compute once


def test_tokenizer_entries_are_stanzas_round_trip(example_articles, example_parses, monkeypatch):
    """On the examples' real tokenizer output (every call the tokenizer makes), and on words
    with every kind of space around them and multi-word marks, the dicts written directly are
    those stanza's Document round trip gives, keys in the same order."""
    import random

    import stanza
    from stanza.models.tokenization import utils

    from quotes.nlp import _joiner, paragraphs
    from quotes.speedups import TOKENIZER_UTILS, stanza_own, token_entries

    own = stanza_own(TOKENIZER_UTILS, "reassemble_doc_from_tokens")
    calls = []

    def both(*arguments):
        expected, got = own(*arguments), token_entries(*arguments)
        calls.append(json.dumps(got) == json.dumps(expected))  # values and the order of keys
        return got

    tokenizer = get_pipeline().processors["tokenize"]  # loaded before the patch, which its loading would undo
    monkeypatch.setattr(utils, "reassemble_doc_from_tokens", both)
    texts = [text for article in example_articles for _, text in paragraphs(article.text)]
    _joiner.expect("\n\n".join(texts))
    tokenizer.bulk_process([stanza.Document([], text=text) for text in texts])
    rng = random.Random(4)
    for _ in range(300):
        words = [[rng.choice(["Don't", "a", "x|y", "!", "été"]) for _ in range(rng.randint(1, 5))]
                 for _ in range(rng.randint(0, 3))]
        gaps = iter(rng.choice(["", " ", "  ", "\n\n", "\t", "\u00a0", " \r\n", "\\"]) for _ in range(99))
        text = "".join(next(gaps) + word for sentence in words for word in sentence) + next(gaps)
        both(words, [[rng.random() < 0.3 for _ in sentence] for sentence in words],
             [[None] * len(sentence) for sentence in words], text)
    assert len(calls) > 300 and all(calls)


def test_a_large_batch_parses_as_its_runs_of_tokenizer_articles_apart(example_articles, example_parses):
    """The tokenizer takes a batch's articles in runs of TOKENIZER_ARTICLES (its sentence ends
    can depend on its batch-mates); the other processors take the whole batch at once and give
    what they give the runs apart."""
    from quotes.nlp import TOKENIZER_ARTICLES

    articles = [a.model_copy(update={"id": f"{a.id}-{n}"}) for n in range(3) for a in example_articles]
    assert len(articles) > TOKENIZER_ARTICLES
    apart = [p for start in range(0, len(articles), TOKENIZER_ARTICLES)
             for p in parse_articles(articles[start:start + TOKENIZER_ARTICLES])]
    assert [p.model_dump() for p in parse_articles(articles)] == [p.model_dump() for p in apart]
