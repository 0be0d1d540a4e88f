"""Faster computations with the same results as stanza's, and the switch that turns them off.

``QUOTES_SPEEDUPS=0`` runs stanza's own code everywhere, so that the throughput benchmarks
(``bench/nlp_throughput.py``, ``bench/ingest_throughput.py``) can time the old and the new path
in one run and the tests can check that both give the same parses. Each speed-up and what it
saves is in ``docs/BENCHMARKS.md`` ("Parsing speed, issue 26").
"""

from __future__ import annotations

import itertools
import os
from typing import Any


def speedups_enabled() -> bool:
    """Whether the pipeline runs with this package's faster, same-result computations (the
    default); ``QUOTES_SPEEDUPS=0`` gives stanza's own."""
    return os.environ.get("QUOTES_SPEEDUPS", "1") != "0"


def with_cached_feature_names(pipeline) -> None:
    """Remember, per loaded vocabulary, the names stanza spells out for morphological features.

    The tagger predicts a feature vector for every position of a padded batch, and stanza
    turns each vector into its "Case=Nom|Number=Sing" name (and the parser each name back into
    a vector) by formatting every part anew: a tenth of the tagger's time, for a few hundred
    distinct vectors. Looking each one up after its first time gives the same strings and the
    same ids. Applied in place to the ``CompositeVocab`` objects of ``pipeline``'s processors."""
    from stanza.models.common.vocab import BaseMultiVocab, CompositeVocab

    for processor in pipeline.processors.values():
        vocabs = getattr(getattr(processor, "trainer", None), "vocab", None)
        if not isinstance(vocabs, BaseMultiVocab):
            continue
        for key in vocabs.keys():
            if isinstance(vocabs[key], CompositeVocab) and vocabs[key].sep is not None:
                remember_names(vocabs[key])


def remember_names(vocab) -> None:
    """``vocab.id2unit`` and ``vocab.unit2id`` answered from a table once computed (a
    ``CompositeVocab`` whose names are strings; its ids are lists, copied for each caller)."""
    spell, read = vocab.id2unit, vocab.unit2id
    names: dict = {}
    ids: dict[str, list[int]] = {}

    def id2unit(id):
        key = tuple(id) if isinstance(id, list) else id
        name = names.get(key)
        if name is None:
            name = names[key] = spell(id)
        return name

    def unit2id(unit):
        found = ids.get(unit)
        if found is None:
            found = ids[unit] = read(unit)
        return list(found)

    vocab.id2unit, vocab.unit2id = id2unit, unit2id


# stanza's modules that pad their batches with ``get_long_tensor``, imported there by name.
PADDING_MODULES = ("stanza.models.depparse.data", "stanza.models.pos.data", "stanza.models.ner.data",
                   "stanza.models.ner.model", "stanza.models.lemma.data", "stanza.models.mwt.data",
                   "stanza.models.common.char_model")


def use_fast_padding(enabled: bool) -> None:
    """Make stanza's data loaders pad their batches with ``padded_long_tensor`` (``enabled``)
    or with stanza's own ``get_long_tensor`` again: module globals, so it is for the process."""
    import importlib

    from stanza.models.common import data

    padding = padded_long_tensor if enabled else data.get_long_tensor
    for name in PADDING_MODULES:
        module: Any = importlib.import_module(name)
        module.get_long_tensor = padding


def padded_long_tensor(tokens_list: list, batch_size: int, pad_id: int | None = None):
    """stanza's ``get_long_tensor`` (rows of ids as one padded LongTensor) built in one step.

    stanza creates a tensor for each row and copies it into place: for the characters of every
    word of a batch that is thousands of small tensors (a tenth of the parser's loading of a
    batch). Rows of plain ints are laid into one padded array at once, giving the same tensor;
    anything else (rows of feature vectors) goes to stanza's own function."""
    import numpy as np
    import torch
    from stanza.models.common import data

    pad = data.constant.PAD_ID if pad_id is None else pad_id
    if not tokens_list or not all(type(row) is list for row in tokens_list) \
            or any(row and type(row[0]) is not int for row in tokens_list) or batch_size < len(tokens_list):
        return data.get_long_tensor(tokens_list, batch_size, pad)
    lengths = np.fromiter(map(len, tokens_list), dtype=np.int64, count=len(tokens_list))
    padded = np.full((batch_size, int(lengths.max())), pad, dtype=np.int64)
    padded[:len(tokens_list)][np.arange(padded.shape[1]) < lengths[:, None]] = \
        np.fromiter(itertools.chain.from_iterable(tokens_list), dtype=np.int64, count=int(lengths.sum()))
    return torch.from_numpy(padded)
