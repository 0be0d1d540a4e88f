"""A learned tagger of attribution parts: which words are a content, a cue or a source.

Why: the rules find an attribution only where a cue of the lexicon or a pattern of theirs
fires; annotated news has a long tail of cues ("went after", "took issue with", "spotted")
that no list covers, and content edges drawn by conventions no rule states. A tagger trained
on annotated attributions reads the same stanza analysis the rules read (word vectors, tags,
dependency relations, the lexicon's cue kinds, quotation marks) and labels every word, so it
can propose what the rules miss and say how likely a span is to be a content.

The network: per word, the frozen GloVe vector of the shipped stanza models
(``en_quotes_pretrain.pt``) and small learned embeddings of its UPOS tag, dependency relation,
its head's tag and relation, entity type, the lexicon's cue kind of the word and of its head,
the direction and distance to its head, with flags for quotation marks and capitals; a two-
layer BiLSTM over each sentence; three BIO heads (content, cue, source). Trained by
``training/train_tagger.py``; shipped in ``quotes/attribution_model/tagger.pt``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .finder import quoted_spans
from .learned import NONE, UNKNOWN, ArticleWords, load_saved
from .lexicon import lexicon
from .models import ParsedArticle, Word

if TYPE_CHECKING:
    import torch

MODEL_PATH = Path(__file__).parent / "attribution_model" / "tagger.pt"
VECTORS_PATH = Path(__file__).parent / "stanza_models" / "en_quotes_pretrain.pt"
PARTS = ("content", "cue", "source")
TAGS = ("O", "B", "I")
OUTSIDE, BEGIN, INSIDE = range(len(TAGS))
CATEGORICAL = ("upos", "deprel", "head_upos", "head_deprel", "ner", "cue_kind", "head_cue_kind", "head_side")
FLAGS = ("quoted", "capitalised", "sentence_start")
UNKNOWN_WORD = 1  # the id of "<UNK>" in the vocabulary of stanza's word vectors
# Least probability of being (part of) a cue at which a verb no rule takes for a cue is handed to
# the rules as one (``finder.cues.sentence_cues``); chosen on PolNeAR dev among 0.4, 0.5 and 0.6,
# each with a scorer trained on its cues (quotes/attribution_model/README.md).
LEARNED_CUE = 0.6


@lru_cache(maxsize=1)
def cue_kinds() -> dict[str, str]:
    """Lemma -> speech, stance or action for the lexicon's cue verbs and nouns."""
    cues = lexicon().cues
    kinds: dict[str, str] = dict(cues.nouns)
    kinds.update({lemma: verb.kind for lemma, verb in cues.verbs.items()})
    return kinds


def head_side(word: Word) -> str:
    """Where the word's head is: root, or left/right and how far (1, 2, 3-5, 6+)."""
    if not word.head:
        return "root"
    distance = abs(word.head - word.index)
    bucket = "1" if distance == 1 else "2" if distance == 2 else "3-5" if distance <= 5 else "6+"
    return f"{'left' if word.head < word.index else 'right'}{bucket}"


@dataclass
class SentenceFeatures:
    """One sentence's words as the tagger reads them."""

    positions: list[int]  # article word positions
    forms: list[str]
    categorical: list[list[str]]
    flags: list[list[float]]
    context: np.ndarray | None = None  # per word, its vector from the pretrained encoder, if read


def with_context(sentences: list[SentenceFeatures]) -> None:
    """Give every sentence its words' vectors from the pretrained encoder (``encoder.py``; the
    encoder is uncased, so the lowercased forms are its input)."""
    from .encoder import word_vectors

    missing = [s for s in sentences if s.context is None]
    for sentence, vectors in zip(missing, word_vectors([s.forms for s in missing]), strict=True):
        sentence.context = vectors


def article_features(parsed: ParsedArticle, words: ArticleWords) -> list[SentenceFeatures]:
    """The tagger's input for every sentence of an article."""
    kinds = cue_kinds()
    marks = quoted_spans(parsed.article.text)
    quoted = {i for m in marks for i in words.between(m.start, m.end)}
    sentences: dict[int, SentenceFeatures] = {}
    for i, word in enumerate(words.words):
        sentence = sentences.setdefault(words.sentence_of[i], SentenceFeatures([], [], [], []))
        head = words.head_word(i)
        entity = word.ner.split("-")[-1] if word.ner != "O" else "O"
        sentence.positions.append(i)
        sentence.forms.append(word.text.lower())
        sentence.categorical.append([
            word.upos, word.deprel, head.upos if head else NONE, head.deprel if head else NONE, entity,
            kinds.get(word.lemma.lower(), NONE), kinds.get(head.lemma.lower(), NONE) if head else NONE,
            head_side(word)])
        sentence.flags.append([float(i in quoted), float(word.text[:1].isupper()), float(word.index == 1)])
    return list(sentences.values())


@dataclass
class Vocabulary:
    """Ids of the categorical values (fitted on the training words) and of the word forms."""

    values: dict[str, list[str]]

    @classmethod
    def fit(cls, sentences: list[SentenceFeatures], min_count: int = 2) -> Vocabulary:
        values = {}
        for n, name in enumerate(CATEGORICAL):
            counts: dict[str, int] = {}
            for sentence in sentences:
                for row in sentence.categorical:
                    counts[row[n]] = counts.get(row[n], 0) + 1
            values[name] = [UNKNOWN] + sorted(v for v, c in counts.items() if c >= min_count)
        return cls(values)

    @cached_property
    def lookups(self) -> list[dict[str, int]]:
        """Value -> id, per categorical feature in the order of ``CATEGORICAL``."""
        return [{v: i for i, v in enumerate(self.values[name])} for name in CATEGORICAL]

    def encode(self, sentence: SentenceFeatures) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """Word ids (in the GloVe vocabulary), categorical ids, flags and encoder vectors (none
        if the sentence has none) of one sentence."""
        import torch

        word_ids, _ = word_vectors()

        ids = torch.tensor([[lookup.get(value, 0) for lookup, value in zip(self.lookups, row, strict=True)]
                            for row in sentence.categorical], dtype=torch.long)
        forms = torch.tensor([word_ids.get(form, UNKNOWN_WORD) for form in sentence.forms], dtype=torch.long)
        context = (torch.from_numpy(sentence.context) if sentence.context is not None
                   else torch.zeros(len(sentence.forms), 0))
        return forms, ids, torch.tensor(sentence.flags, dtype=torch.float32), context


def build_network(vocabulary: Vocabulary, vectors: torch.Tensor, hidden: int = 96, embedding: int = 12,
                  layers: int = 2, dropout: float = 0.3, encoder: int = 0, projection: int = 96) -> torch.nn.Module:
    """Frozen word vectors, learned tag embeddings and (if ``encoder``, their width) the
    pretrained encoder's vectors projected to ``projection`` -> BiLSTM -> one BIO head per part."""
    import torch
    from torch import nn

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.vectors = nn.Embedding.from_pretrained(vectors, freeze=True)
            self.embeddings = nn.ModuleList(nn.Embedding(len(vocabulary.values[name]), embedding)
                                            for name in CATEGORICAL)
            width = vectors.shape[1] + embedding * len(CATEGORICAL) + len(FLAGS) + (projection if encoder else 0)
            self.project = nn.Linear(encoder, projection) if encoder else None
            self.dropout = nn.Dropout(dropout)
            self.lstm = nn.LSTM(width, hidden, num_layers=layers, bidirectional=True, batch_first=True,
                                dropout=dropout)
            self.heads = nn.Linear(2 * hidden, len(PARTS) * len(TAGS))

        def forward(self, forms, ids, flags, context, lengths):
            parts = [self.vectors(forms)] + [table(ids[..., i]) for i, table in enumerate(self.embeddings)]
            if self.project is not None:  # dropped out before the projection too, as trained
                parts.append(self.project(self.dropout(context)))
            x = self.dropout(torch.cat(parts + [flags], dim=-1))
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            out, _ = self.lstm(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=forms.shape[1])
            logits = self.heads(self.dropout(out))
            return logits.view(*logits.shape[:2], len(PARTS), len(TAGS))

    return Tagger()


def pad(batch: list[tuple]) -> tuple:
    """Sentences of one batch, padded: forms, ids, flags, encoder vectors, lengths."""
    import torch
    from torch.nn.utils.rnn import pad_sequence

    forms, ids, flags, context = zip(*batch, strict=True)
    lengths = torch.tensor([len(f) for f in forms])
    return (pad_sequence(list(forms), batch_first=True), pad_sequence(list(ids), batch_first=True),
            pad_sequence(list(flags), batch_first=True), pad_sequence(list(context), batch_first=True), lengths)


@lru_cache(maxsize=1)
def word_vectors() -> tuple[dict[str, int], torch.Tensor]:
    """The GloVe vectors of the shipped stanza models, with their word ids (loaded once)."""
    saved = load_saved(VECTORS_PATH)
    return dict(saved["vocab"]["_unit2id"]), saved["emb"]


@dataclass
class TaggerModel:
    """A trained tagger: its vocabulary, network and settings."""

    vocabulary: Vocabulary
    network: torch.nn.Module
    config: dict[str, Any]

    def probabilities(self, sentences: list[SentenceFeatures], batch_size: int = 64) -> list[torch.Tensor]:
        """Per sentence, a (words x parts x tags) tensor of probabilities."""
        import torch

        found: list[torch.Tensor] = []
        if self.config.get("encoder"):
            with_context(sentences)
        self.network.eval()
        with torch.inference_mode():
            for at in range(0, len(sentences), batch_size):
                chunk = sentences[at:at + batch_size]
                encoded = [self.vocabulary.encode(s) for s in chunk]
                batch = pad(encoded)
                probs = torch.softmax(self.network(*batch), dim=-1)
                found.extend(probs[n, :len(s.forms)] for n, s in enumerate(chunk))
        return found

    def save(self, path: Path) -> None:
        import torch

        path.parent.mkdir(parents=True, exist_ok=True)
        state = {k: v for k, v in self.network.state_dict().items() if not k.startswith("vectors.")}
        torch.save({"state": state, "values": self.vocabulary.values, "config": self.config}, path)

    @classmethod
    def load(cls, path: Path) -> TaggerModel:
        saved = load_saved(path)
        vocabulary = Vocabulary(saved["values"])
        _, vectors = word_vectors()
        network = build_network(vocabulary, vectors, **saved["config"])
        network.load_state_dict({**saved["state"], "vectors.weight": vectors})  # the vectors ship once
        network.eval()
        return cls(vocabulary, network, saved["config"])


@lru_cache(maxsize=1)
def shipped_tagger() -> TaggerModel | None:
    """The packaged tagger, loaded once per process; None when the package ships none."""
    return TaggerModel.load(MODEL_PATH) if MODEL_PATH.exists() else None


@dataclass
class Tagging:
    """The tagger's reading of one article: per sentence, a (words x parts x tags) tensor of
    probabilities, read by the additions here and by the scorer (``attribution.py``)."""

    words: ArticleWords
    sentences: list[SentenceFeatures]
    probabilities: list[torch.Tensor]

    @cached_property
    def table(self) -> np.ndarray:
        """Per article word, in word order: the (parts x tags) probabilities, in float64 (what
        every reader below, and the boundary ranker, compute from)."""
        import torch

        if not self.probabilities:
            return np.zeros((0, len(PARTS), len(TAGS)))
        return torch.cat(self.probabilities).double().numpy()

    def part_probabilities(self, part: int) -> list[list[float]]:
        """Per article word: the probabilities of O, B and I for ``part`` (0 content, 1 cue,
        2 source)."""
        return self.table[:, part].tolist()

    def inside(self, part: str) -> list[float]:
        """Per article word: the probability that it is (part of) a ``part`` ("content", "cue"
        or "source"), beginning or inside."""
        return (1 - self.table[:, PARTS.index(part), OUTSIDE]).tolist()


def learned_cues(tagging: Tagging | None) -> frozenset[int]:
    """The offsets of the words the tagger reads as cues (for the finder's ``learned_cues``)."""
    if tagging is None:
        return frozenset()
    return frozenset(word.start for word, probability in zip(tagging.words.words, tagging.inside("cue"), strict=True)
                     if probability >= LEARNED_CUE)


def tag_article(parsed: ParsedArticle, model: TaggerModel | None = None) -> Tagging | None:
    """The shipped (or given) tagger's reading of ``parsed``; None when there is no tagger."""
    model = model or shipped_tagger()
    if model is None:
        return None
    words = ArticleWords.of(parsed)
    sentences = article_features(parsed, words)
    return Tagging(words, sentences, model.probabilities(sentences))
