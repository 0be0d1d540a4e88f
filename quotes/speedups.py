"""Faster computations with the same results as stanza's, and the switch that turns them off.

``QUOTES_SPEEDUPS=0`` runs stanza's own code everywhere, so that the throughput benchmarks
(``bench/nlp_throughput.py``, ``bench/ingest_throughput.py``) can time the old and the new path
in one run and the tests can check that both give the same parses. Each speed-up and what it
saves is in ``docs/BENCHMARKS.md`` ("Parsing speed, issue 26").
"""

from __future__ import annotations

import os


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
