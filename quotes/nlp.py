"""The one stanza pipeline: tokens, sentences, POS, lemmas, dependencies and entities.

By default the compact English models shipped inside the package (``quotes/stanza_models``,
trained by ``training/``) are loaded fully offline. ``models="official"`` (or the
``QUOTES_MODELS=official`` environment variable) uses stanza's own English models from
``STANZA_RESOURCES_DIR`` instead, when the user has installed them.

The pipeline is loaded once per process and reused: it is the only global state.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
from pathlib import Path

from .lexicon import dateline, lexicon
from .models import Article, Entity, ParsedArticle, Sentence, Word
from .punctuation import attach_punctuation
from .speedups import (
    optimizers_without_dynamo,
    spare_the_collector,
    speedups_enabled,
    use_fast_helpers,
    with_cached_feature_names,
)
from .version import BUNDLED_DIR

DEVICES = ("auto", "cpu", "cuda")
PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "depparse", "ner")
PUNCTUATION = "ud_punct"  # our own stanza processor, after the parser: see punctuation_processor
PARAGRAPH = re.compile(r"[^\n]+")
# Titles written before a name, at which a sentence never ends in news prose.
NAME_TITLES = frozenset(lexicon().names.abbreviated_titles)
# Abbreviated months, after which a day follows: "on Nov." | "4. He'll ..." is "on Nov. 4." | "He'll ...".
MONTHS = frozenset(f"{month.capitalize()}." for month in lexicon().language.calendar.month_abbreviations)
CLOSING_QUOTES = frozenset(lexicon().language.marks.closing_tokens)
# The contractions edited English writes without an apostrophe; stanza's tokenizer also learnt
# the web treebank's typos ("its" for "it's", "dont", "horses" for "horse's") as two words.
BARE_CONTRACTIONS = frozenset(lexicon().language.grammar.bare_contractions)
APOSTROPHES = ("'", "’", "`")
# A dateline opening a story (see language.toml): split off before parsing.
DATELINE = dateline("lead")
# Bounds that keep the work on one line linear in its length, however it is written (a line of
# thousands of words with no full stop is no sentence): stanza's tokenizer goes over a line
# 1,000 characters at a time and re-reads the rest of the line at each step, so a longer line is
# cut into pieces (at a sentence end or a space where there is one) tokenized apart; and the
# tagger's and parser's work grows with the square and cube of a sentence's length, so a longer
# sentence is cut into sentences of at most MAX_SENTENCE_WORDS tokens. News text meets neither.
MAX_PIECE_CHARS = 5000
MAX_SENTENCE_WORDS = 150
# Articles tokenized in one call. stanza's tokenizer reads the texts of a call as one batch, and
# where it ends a sentence can depend on the other texts in it (4 of 285 dev articles split
# differently in calls of 32 than of 8), so calls keep ingest's former batches of 8 and stay
# the same however many articles a batch holds; the other processors, which give the same
# output in any batch, take the whole batch (larger calls: docs/BENCHMARKS.md, issue 26).
TOKENIZER_ARTICLES = 8
TOKENIZING = ("tokenize", "mwt")  # tokens and multi-word tokens, in calls of TOKENIZER_ARTICLES
# A full stop, not after a capitalised word of up to four letters: it may be a title or an
# initial ("Mr. Smith", "Sept. 4", "J. Smith" go on).
SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})(?<!\b[A-Z][a-z]{3})[.!?…][\"”’')\]]*\s+")
SPACE = re.compile(r"\s+")

_pipeline = None
_pipeline_key: tuple | None = None


MODEL_CHOICES = ("bundled", "official")


class ModelsMissing(RuntimeError):
    """The requested stanza models are not on this machine (or there are no such models)."""


def model_choice(models: str | None = None) -> str:
    """``models``, else ``QUOTES_MODELS``, else "bundled"; a name that is no choice is an error,
    not a silent fall back to the bundled models."""
    choice = models or os.environ.get("QUOTES_MODELS") or "bundled"
    if choice not in MODEL_CHOICES:
        raise ModelsMissing(f"QUOTES_MODELS={choice!r}: unknown models (expected {' or '.join(MODEL_CHOICES)})")
    return choice


class DeviceUnavailable(RuntimeError):
    """The requested device (``--device cuda``) is not on this machine."""


def resolve_device(device: str | None = None) -> str:
    """"cpu" or "cuda" for ``device`` (else ``QUOTES_DEVICE``, else "auto": a CUDA GPU when
    torch sees one, the CPU otherwise)."""
    choice = device or os.environ.get("QUOTES_DEVICE") or "auto"
    if choice not in DEVICES:
        raise DeviceUnavailable(f"unknown device {choice!r}: choose one of {', '.join(DEVICES)}")
    if choice == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if choice == "cuda":
        raise DeviceUnavailable("device cuda: torch sees no CUDA GPU on this machine (use --device cpu or auto)")
    return "cpu"


def bundled_model_paths(models_dir: Path = BUNDLED_DIR) -> dict[str, str]:
    """Paths of the shipped model files, read from the manifest written by training."""
    manifest = models_dir / "manifest.json"
    if not manifest.exists():
        raise ModelsMissing(f"{manifest}: no bundled stanza models (see training/README.md to train them)")
    files = json.loads(manifest.read_text(encoding="utf-8"))
    paths = {key: str(models_dir / name) for key, name in files.items()}
    missing = [p for p in paths.values() if not Path(p).exists()]
    if missing:
        raise ModelsMissing(f"{missing[0]}: bundled stanza model file is missing")
    return paths


class SentenceJoiner:
    """stanza's ``tokenize_postprocessor``: undoes two sentence splits news text provokes in
    any tokenizer, before tagging and parsing:

    - after a title that precedes a name: "... Ms." | "Gil said";
    - inside an attribution that goes on after a quote: "“The war is over,”" | "he said."
      (a comma inside the closing mark, or a closing mark and a next sentence in lower case);
    - between a month and its day closing the sentence: "... on Nov." | "4. He'll ..." (the day
      goes back, and the next sentence starts after it);

    and makes one it misses: a dateline is no part of the lead sentence ("WASHINGTON (AP) —" |
    "Clinton said ..."; parsed as one, the place becomes a second subject and a speaker).

    It also keeps a word with no apostrophe whole ("its" stays one word, not "it" "s"), unless
    it is a contraction news prose writes that way ("cannot", "gonna"): see ``one_word``.

    stanza tokenizes a batch of documents as one text joined by blank lines and gives the
    postprocessor tokens only, so ``expect`` tells it that text: sentences are joined only
    when no line break lies between them, never across paragraphs or documents.
    """

    def __init__(self) -> None:
        self.text = ""

    def expect(self, text: str) -> None:
        self.text = text

    def __call__(self, sentences: list[list]) -> list[list]:
        text, self.text = self.text, ""  # good for one call: never judge by a stale text
        sentences = [[one_word(token) for token in sentence] for sentence in sentences]
        spans = sentence_spans(text, sentences)
        if spans is None:
            return sentences
        joined: list[list] = []
        for i, sentence in enumerate(sentences):
            same_paragraph = i > 0 and "\n" not in text[spans[i - 1][1]:spans[i][0]]
            if joined and same_paragraph and day_of_month(joined[-1], sentence):
                joined[-1] = with_title_whole(joined[-1], text, spans[i - 1][1]) + sentence[:2]
                joined.extend([list(sentence[2:])] if len(sentence) > 2 else [])
            elif joined and same_paragraph and continues(joined[-1], sentence):
                joined[-1] = with_title_whole(joined[-1], text, spans[i - 1][1]) + sentence
            elif not same_paragraph:
                joined.extend(dateline_apart(list(sentence), text, spans[i][0]))
            else:
                joined.append(list(sentence))
        return [part for sentence in joined for part in bounded_sentence(sentence)]


_joiner = SentenceJoiner()  # part of the loaded pipeline: parse_articles tells it the text


def bounded_sentence(sentence: list, limit: int = MAX_SENTENCE_WORDS) -> list[list]:
    """A sentence of more than ``limit`` tokens as several, each cut after the last punctuation
    token of its second half if there is one (see ``MAX_SENTENCE_WORDS``). Tokens are kept as
    they are, so offsets stay those of the text."""
    parts = []
    while len(sentence) > limit:
        marks = [i for i in range(limit // 2, limit) if not any(map(str.isalnum, token_text(sentence[i])))]
        cut = marks[-1] + 1 if marks else limit
        parts.append(sentence[:cut])
        sentence = sentence[cut:]
    return [*parts, sentence]


def with_title_whole(sentence: list, text: str, end: int) -> list:
    """"Ms" "." at the end of a sentence that goes on is one token, "Ms.", as the parser
    expects a title (the splitter had cut the period off to end a sentence there)."""
    abbreviation = sentence[-2] + "." if len(sentence) >= 2 and isinstance(sentence[-2], str) else ""
    if sentence[-1:] == ["."] and abbreviation in NAME_TITLES | MONTHS \
            and text[end - len(abbreviation):end] == abbreviation:
        return sentence[:-2] + [sentence[-2] + "."]
    return sentence


def dateline_apart(sentence: list, text: str, start: int) -> list[list]:
    """A paragraph's first sentence, as two when it opens with a dateline."""
    match = DATELINE.match(text, start)
    if match is None:
        return [sentence]
    cursor = start
    for count, token in enumerate(sentence, 1):
        cursor = text.find(token_text(token), cursor) + len(token_text(token))
        if cursor >= match.end("dash"):
            return [sentence[:count], sentence[count:]] if count < len(sentence) else [sentence]
    return [sentence]


def one_word(token: str | tuple[str, bool]) -> str | tuple[str, bool]:
    """A token the tokenizer marked as several words, as one word when it is edited English's
    single word: a multi-word token there has an apostrophe or is a bare contraction."""
    if isinstance(token, str) or token[0].lower() in BARE_CONTRACTIONS \
            or any(mark in token[0] for mark in APOSTROPHES):
        return token
    return token[0]


def token_text(token) -> str:
    return token if isinstance(token, str) else token[0]  # (text, is_mwt) for multi-word tokens


def sentence_spans(text: str, sentences: list[list]) -> list[tuple[int, int]] | None:
    """Start and end offsets of each sentence in ``text``; None if the tokens do not line up."""
    spans, cursor = [], 0
    for sentence in sentences:
        start = None
        for token in sentence:
            found = text.find(token_text(token), cursor)
            if found < 0 or text[cursor:found].strip():
                return None
            start = found if start is None else start
            cursor = found + len(token_text(token))
        spans.append((cursor if start is None else start, cursor))
    return spans


def continues(previous: list, sentence: list) -> bool:
    """Whether ``sentence`` goes on from ``previous`` (see ``SentenceJoiner``)."""
    texts = [token_text(token) for token in previous[-3:]]
    first = token_text(sentence[0]) if sentence else ""
    ends_with_title = "".join(texts[-2:]) in NAME_TITLES or texts[-1] in NAME_TITLES
    after_quote = texts[-1] in CLOSING_QUOTES
    comma_quote = after_quote and len(texts) >= 2 and texts[-2] == ","
    return ends_with_title or comma_quote or after_quote and first[:1].islower()


def day_of_month(previous: list, sentence: list) -> bool:
    """Whether ``sentence`` opens with the day ("4", ".") of a month ``previous`` ends with."""
    month = "".join(token_text(token) for token in previous[-2:])
    return (month in MONTHS or token_text(previous[-1]) in MONTHS) and len(sentence) >= 2 and \
        token_text(sentence[0]).isdigit() and token_text(sentence[1]) == "."


@functools.cache
def punctuation_processor() -> type:
    """Register (once) the stanza processor that re-attaches punctuation after the parser as
    Universal Dependencies prescribes (``quotes.punctuation``), for both sets of models.

    A processor inside the pipeline, not a step after it, so that everything that runs the
    pipeline (ingestion, the benchmarks, the model scores) gets the same trees."""
    from stanza.pipeline.processor import Processor, register_processor

    @register_processor(PUNCTUATION)
    class PunctuationProcessor(Processor):
        REQUIRES_DEFAULT = {"tokenize", "pos", "depparse"}  # no model: the parser's tree is all it needs
        PROVIDES_DEFAULT = {PUNCTUATION}

        def process(self, doc):
            for sentence in doc.sentences:
                words = sentence.words
                heads = attach_punctuation([w.text for w in words], [w.upos for w in words],
                                           [w.head for w in words])
                for word, head in zip(words, heads, strict=True):
                    if word.head != head:
                        word.head = head
                        if word.upos == "PUNCT":
                            word.deprel = "punct"
                sentence.build_dependencies()
            return doc

    return PunctuationProcessor


@functools.cache
def projective_parser() -> type:
    """Make stanza's parser processor decode the best labelled projective tree
    (``quotes.projective``) instead of the best tree of any shape, for both sets of models.

    The subclass takes stanza's place in its registry of processors by name: registering it
    with ``register_processor`` would list "depparse" twice, and the pipeline would parse twice."""
    from stanza.pipeline.depparse_processor import DepparseProcessor
    from stanza.pipeline.registry import NAME_TO_PROCESSOR_CLASS

    from .projective import decode_projective, with_chunked_scorers  # imports stanza: only once a pipeline is wanted

    class ProjectiveDepparseProcessor(DepparseProcessor):
        def _set_up_model(self, config, pipeline, device):
            super()._set_up_model(config, pipeline, device)
            # the graph parser decodes through this static method, looked up on the model
            self.trainer.model.decode_graph_predictions = decode_projective
            if speedups_enabled():
                with_chunked_scorers(self.trainer.model)

    NAME_TO_PROCESSOR_CLASS["depparse"] = ProjectiveDepparseProcessor
    return ProjectiveDepparseProcessor


def pipeline_options(models: str) -> dict:
    """Keyword arguments for ``stanza.Pipeline`` for the bundled or the official models (and
    our parser and punctuation processors registered with stanza, which they name)."""
    projective_parser()
    punctuation_processor()
    common = {"lang": "en", "download_method": None, "tokenize_postprocessor": _joiner,
              # one subject and one object per word (quotes.projective): our parser's saved
              # training arguments would turn off what stanza does by default
              "depparse_resolve_head_constraints": True}
    if models == "official":
        resources = Path(os.environ.get("STANZA_RESOURCES_DIR", Path.home() / "stanza_resources"))
        if not (resources / "en").exists():
            raise ModelsMissing(f"{resources}/en: official stanza English models are not installed")
        return {**common, "dir": str(resources), "processors": ",".join((*PROCESSORS, PUNCTUATION))}
    paths = bundled_model_paths()
    options = {**common, "dir": str(BUNDLED_DIR),
               "processors": {**{name: "quotes" for name in PROCESSORS}, PUNCTUATION: "quotes"},
               "allow_unknown_language": True,
               "pos_pretrain_path": paths["pretrain"],
               "depparse_pretrain_path": paths["pretrain"],
               "ner_pretrain_path": paths["pretrain"],
               "ner_charlm_forward_file": None, "ner_charlm_backward_file": None,
               "pos_charlm_forward_file": None, "pos_charlm_backward_file": None,
               "depparse_charlm_forward_file": None, "depparse_charlm_backward_file": None,
               "lemma_charlm_forward_file": None, "lemma_charlm_backward_file": None}
    for name in PROCESSORS:
        options[f"{name}_model_path"] = paths[name]
    return options


def get_pipeline(models: str | None = None, threads: int | None = None, device: str | None = None):
    """Load the stanza pipeline once per process (and again only if the models, the device or
    ``QUOTES_SPEEDUPS`` change; torch's thread count is the process's, set here when given)."""
    global _pipeline, _pipeline_key
    import torch

    models = model_choice(models)
    device = resolve_device(device)
    if threads:
        torch.set_num_threads(threads)
    key = (models, device, speedups_enabled())
    if _pipeline is None or _pipeline_key != key:
        import stanza

        logging.getLogger("stanza").setLevel(logging.WARNING)
        with optimizers_without_dynamo(speedups_enabled()):
            _pipeline = stanza.Pipeline(use_gpu=device != "cpu", device=device, logging_level="ERROR",
                                        **pipeline_options(models))
        if speedups_enabled():
            with_cached_feature_names(_pipeline)
        use_fast_helpers(speedups_enabled())  # stanza's module globals: follow the loaded pipeline
        _pipeline_key = key
        spare_the_collector(speedups_enabled())
    return _pipeline


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Non-empty lines with their offsets: news paragraphs are single lines (a line longer
    than ``MAX_PIECE_CHARS`` in pieces: see there)."""
    return [piece for m in PARAGRAPH.finditer(text) if m.group().strip()
            for piece in line_pieces(m.start(), m.group())]


def line_pieces(offset: int, line: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, str]]:
    """``line`` (at ``offset``) in pieces of at most ``limit`` characters, each ending at the
    last sentence end, else the last space, of its second half (else at the limit)."""
    pieces, start = [], 0
    while len(line) - start > limit:
        window = (line, start + limit // 2, start + limit)
        ends = [m.end() for m in SENTENCE_END.finditer(*window)] \
            or [m.end() for m in SPACE.finditer(*window)] or [start + limit]
        pieces.append((offset + start, line[start:ends[-1]]))
        start = ends[-1]
    return [*pieces, (offset + start, line[start:])] if line[start:].strip() else pieces


def parse_articles(articles: list[Article], models: str | None = None) -> list[ParsedArticle]:
    """Run stanza over a batch of articles (one stanza document per paragraph): the tokenizer on
    each ``TOKENIZER_ARTICLES`` of them in turn, the other processors on all at once."""
    import stanza
    import torch

    nlp = get_pipeline(models)
    chunks = [(i, offset, para) for i, article in enumerate(articles)
              for offset, para in paragraphs(article.text)]
    docs = [stanza.Document([], text=para) for _, _, para in chunks]
    # stanza runs its models under no_grad; inference mode also skips autograd's version
    # counting (5% of the CPU time, same parses: docs/BENCHMARKS.md); off with QUOTES_SPEEDUPS=0
    with torch.inference_mode(speedups_enabled()):
        for group in range(0, len(articles), TOKENIZER_ARTICLES):
            tokenized = [k for k, (i, _, _) in enumerate(chunks) if group <= i < group + TOKENIZER_ARTICLES]
            _joiner.expect("\n\n".join(chunks[k][2] for k in tokenized))  # how stanza joins the documents
            nlp.bulk_process([docs[k] for k in tokenized], processors=TOKENIZING)
        docs = nlp.bulk_process(docs, processors=[name for name in nlp.processors if name not in TOKENIZING])
    sentences: list[list[Sentence]] = [[] for _ in articles]
    entities: list[list[Entity]] = [[] for _ in articles]
    for (i, offset, _), doc in zip(chunks, docs, strict=True):
        sentences[i].extend(convert_sentence(s, offset) for s in doc.sentences)
        entities[i].extend(Entity(start=e.start_char + offset, end=e.end_char + offset,
                                  text=e.text, type=e.type) for e in doc.ents)
    return [ParsedArticle(article=a, sentences=s, entities=e)
            for a, s, e in zip(articles, sentences, entities, strict=True)]


def convert_sentence(sentence, offset: int) -> Sentence:
    """A stanza sentence as our pydantic Sentence, offsets into the article text."""
    words = []
    for token in sentence.tokens:
        for word in token.words:
            start = word.start_char if word.start_char is not None else token.start_char
            end = word.end_char if word.end_char is not None else token.end_char
            words.append(Word(index=word.id, text=word.text, lemma=word.lemma or word.text,
                              upos=word.upos or "X", xpos=word.xpos, feats=word.feats,
                              head=word.head or 0, deprel=word.deprel or "dep",
                              start=start + offset, end=end + offset, ner=token.ner or "O"))
    return Sentence(start=words[0].start, end=words[-1].end, words=words)
