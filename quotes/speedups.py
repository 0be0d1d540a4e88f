"""Faster computations with the same results as stanza's, and the switch that turns them off.

``QUOTES_SPEEDUPS=0`` runs stanza's own code everywhere, so that the throughput benchmarks
(``bench/nlp_throughput.py``, ``bench/ingest_throughput.py``) can time the old and the new path
in one run and the tests can check that both give the same parses. Each speed-up and what it
saves is in ``docs/BENCHMARKS.md`` ("Parsing speed, issue 26").
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterator
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


def spare_the_collector(enabled: bool) -> None:
    """Keep the objects alive now, the loaded pipeline's, out of Python's full garbage
    collections (``enabled``), or put them back in.

    A loaded pipeline is some 350,000 tracked Python objects (vocabularies, model modules) that
    live as long as the process. The many short-lived objects of each parse set off a full
    collection every few articles, and each walks all of them: 6-9% of the parse time, for no
    garbage. ``gc.freeze`` moves them where no collection looks, after collecting what is
    garbage already; called again (after another pipeline is loaded), it first gives the
    objects frozen before back to the collector, so that a replaced pipeline is freed."""
    import gc

    gc.unfreeze()
    if enabled:
        gc.collect()
        gc.freeze()


# stanza's modules that pad their batches with ``get_long_tensor``, imported there by name.
PADDING_MODULES = ("stanza.models.depparse.data", "stanza.models.pos.data", "stanza.models.ner.data",
                   "stanza.models.ner.model", "stanza.models.lemma.data", "stanza.models.mwt.data",
                   "stanza.models.common.char_model")
TOKENIZER_UTILS = "stanza.models.tokenization.utils"
CHAR_MODEL = "stanza.models.common.char_model"
DYNAMO_CACHE = "__dynamo_disable"  # where torch._compile._disable_dynamo keeps a method's plain form
# stanza's own functions replaced in its modules, by (module, name), kept to switch back to
STANZA_OWN: dict[tuple[str, str], Any] = {}


def use_fast_helpers(enabled: bool) -> None:
    """Make stanza's modules pad (``padded_long_tensor``) and hand over the tokenizer's words
    (``token_entries``) with these functions (``enabled``), or with stanza's own again: module
    globals, so it is for the process."""
    for name in PADDING_MODULES:
        swap(name, "get_long_tensor", padded_long_tensor, enabled)
    swap(TOKENIZER_UTILS, "reassemble_doc_from_tokens", token_entries, enabled)
    use_char_model_once_per_word(enabled)


def use_char_model_once_per_word(enabled: bool) -> None:
    """Make stanza's ``CharacterModel`` run once per distinct word (``enabled``), or per word
    again (a method of the class, so it is for the process)."""
    swap(CHAR_MODEL, "CharacterModel.forward", char_model_once_per_word, enabled)


@contextlib.contextmanager
def optimizers_without_dynamo(enabled: bool) -> Iterator[None]:
    """Let stanza build its optimizers without importing ``torch._dynamo`` (``enabled``).

    stanza's tokenizer, MWT, POS and parser trainers build an Adam optimizer even to predict
    (the parser a learning-rate schedule on it too), so they need real ones. torch wraps
    ``Optimizer.add_param_group`` to keep its compiler out, and imports that compiler
    (``torch._dynamo``) the first time it runs: 0.9 of the 3.3 s a pipeline took to load (and
    78 MB), in every process that loads one (each ``quotes extract``, each ingest worker), for
    no prediction (``docs/BENCHMARKS.md``). The wrapper first looks for the plain method in a
    cache on it, which is filled here for the load and emptied after: nothing here is compiled,
    and nothing else changes."""
    import torch

    plain = getattr(torch.optim.Optimizer.add_param_group, "__wrapped__", None)
    if not enabled or plain is None or hasattr(plain, DYNAMO_CACHE):
        yield
        return
    setattr(plain, DYNAMO_CACHE, plain)
    try:
        yield
    finally:
        delattr(plain, DYNAMO_CACHE)


def swap(module_name: str, name: str, replacement, enabled: bool) -> None:
    """Set ``module_name.name`` (a function, or ``Class.method``) to ``replacement`` or back to
    stanza's own."""
    owner, attribute = owner_and_attribute(module_name, name)
    own = STANZA_OWN.setdefault((module_name, name), getattr(owner, attribute))
    setattr(owner, attribute, replacement if enabled else own)


def stanza_own(module_name: str, name: str):
    """stanza's own ``module_name.name``, whether or not it is swapped for ours."""
    return STANZA_OWN.get((module_name, name)) or getattr(*owner_and_attribute(module_name, name))


def owner_and_attribute(module_name: str, name: str) -> tuple[Any, str]:
    """The module (or its class, for ``Class.method``) that holds ``name``, and the name there."""
    import importlib

    owner: Any = importlib.import_module(module_name)
    *classes, attribute = name.split(".")
    for class_name in classes:
        owner = getattr(owner, class_name)
    return owner, attribute


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


def char_model_once_per_word(self, chars, chars_mask, word_orig_idx: list[int], sentlens: list[int],
                             wordlens: list[int]):
    """stanza's ``CharacterModel.forward`` (a vector per word from an LSTM over its characters,
    packed by sentence as the tagger, the parser and the entity tagger read it) computed once
    per distinct word of the call.

    A word's vector depends on its characters alone, and news repeats its words ("the",
    "said", names): the tagger's and the parser's calls hold three words for each distinct
    one, the entity tagger's two. stanza's own method runs on the distinct words (in the
    order stanza sorted the words, longest first), handed to it as one sentence, and each
    word takes its form's vector. The LSTM runs over another set of words, so a vector can
    differ from stanza's in the last bits of a float, as stanza's own does from one call to the
    next (no word of the 285 dev articles parses differently: docs/BENCHMARKS.md). In training
    (dropout differs per occurrence) it is stanza's own method on every word."""
    import numpy as np
    from stanza.models.common.utils import tensor_unsort
    from stanza.models.common.vocab import PAD_ID
    from torch.nn.utils.rnn import PackedSequence, pack_sequence, pad_packed_sequence

    own = stanza_own(CHAR_MODEL, "CharacterModel.forward")
    if self.training:
        return own(self, chars, chars_mask, word_orig_idx, sentlens, wordlens)
    rows = np.column_stack([np.asarray(wordlens, dtype=np.int64), chars.cpu().numpy()])  # length, characters
    keys = rows.view(np.dtype((np.void, rows.itemsize * rows.shape[1]))).ravel().tolist()  # each row's bytes
    numbers: dict[object, int] = {}  # each form's, by its key
    firsts: list[int] = []  # the first word of each form
    for word, key in enumerate(keys):
        if key not in numbers:
            numbers[key] = len(firsts)
            firsts.append(word)
    forms = chars[firsts]
    computed = own(self, forms, forms == PAD_ID, list(range(len(firsts))), [len(firsts)],
                   [wordlens[word] for word in firsts])
    vectors = computed.data if isinstance(computed, PackedSequence) else computed[0]
    res = tensor_unsort(vectors[[numbers[key] for key in keys]], word_orig_idx)
    res = pack_sequence(res.split(sentlens))
    return pad_packed_sequence(res, batch_first=True)[0] if self.pad else res


def token_entries(tokens: list[list[str]], mwts: list[list[bool]], expansions: list[list], raw_text: str) -> list:
    """stanza's ``reassemble_doc_from_tokens`` (the tokenizer postprocessor's words as the
    dicts the tokenizer makes its ``Document`` from) without building a ``Document`` first.

    stanza builds a ``Document`` from the words, expands the multi-word tokens it was given
    expansions for, and serialises it again, only for the tokenizer to build the ``Document``
    anew from those dicts (about 1% of the parse time). With no expansion given, that
    round trip gives each word its id, text, offsets and a ``misc`` of its multi-word mark and
    the spaces around it, written here directly, in the same order of keys. Expansions, no
    words, empty words or words not found in the text go to stanza's own function."""
    words = [word for sentence in tokens for word in sentence]
    spans = word_spans(words, raw_text) if words and all(words) and not any(map(any, expansions)) else None
    if spans is None:
        return stanza_own(TOKENIZER_UTILS, "reassemble_doc_from_tokens")(tokens, mwts, expansions, raw_text)
    numbers = [number for sentence in tokens for number in range(1, len(sentence) + 1)]
    marks = [mark for sentence in mwts for mark in sentence]
    next_starts = [start for start, _ in spans[1:]] + [len(raw_text)]
    after = [raw_text[end:start] for (_, end), start in zip(spans, next_starts, strict=True)]
    before = [raw_text[:spans[0][0]]] + [""] * (len(spans) - 1)
    flat = map(word_entry, numbers, words, marks, spans, after, before)
    return [list(itertools.islice(flat, len(sentence))) for sentence in tokens]


def word_spans(words: list[str], text: str) -> list[tuple[int, int]] | None:
    """Where each word is in ``text``, each found after the one before (None if one is not)."""
    spans, cursor = [], 0
    for word in words:
        start = text.find(word, cursor)
        if start < 0:
            return None
        cursor = start + len(word)
        spans.append((start, cursor))
    return spans


def word_entry(number: int, word: str, mwt: bool, span: tuple[int, int], after: str, before: str) -> dict:
    """One word's dict as ``Token.to_dict`` writes it for a one-word token: ``misc`` holds the
    multi-word mark (placed before the offsets, as the word's own field) and the spaces after
    and before it when they are not stanza's default (one space after, none before)."""
    from stanza.models.common.utils import space_after_to_misc, space_before_to_misc

    entry: dict[str, Any] = {"id": number, "text": word}
    if mwt:
        entry["misc"] = "MWT=Yes"
    entry["start_char"], entry["end_char"] = span
    pieces = ["MWT=Yes"] if mwt else []
    pieces += [space_after_to_misc(after)] if after != " " else []
    pieces += [space_before_to_misc(before)] if before else []
    if pieces:
        entry["misc"] = "|".join(sorted(pieces)) if len(pieces) > 1 else pieces[0]
    return entry
