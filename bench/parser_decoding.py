"""Attachment scores of the shipped tagger and parser under each way of decoding the parser's
scores: stanza's own (Chu-Liu-Edmonds, then labels; with and without its subject/object
repair) and ours (``quotes.projective``: the best labelled projective tree; with and without
the repair).

Gold tokens and sentences, so that only the parse differs; the tags are our tagger's.

Usage: python bench/parser_decoding.py TREEBANK.conllu [...]
       e.g. ../shared/data/ud/ewt/en_ewt-ud-dev.conllu, or WORK/ud/UD_English-Quotes/
       en_quotes-ud-dev.conllu (GUM's dev documents, written by training/prepare_data.py)
"""

from __future__ import annotations

import sys
import tempfile
from functools import partial
from pathlib import Path

import stanza
from stanza.models.common.utils import ud_scores
from stanza.models.depparse.model import GraphParser
from stanza.utils.conll import CoNLL

from quotes.nlp import pipeline_options
from quotes.projective import decode_projective

DECODERS = {"stanza": GraphParser.decode_graph_predictions, "projective labelled": decode_projective}


def with_repair(decode, repair: bool, vocab, batch_size, preds, sentlens, resolve_head_constraints=False):
    """A decoder with the subject/object repair forced on or off."""
    return decode(vocab, batch_size, preds, sentlens, resolve_head_constraints=repair)


def main(paths: list[str]) -> None:
    options = pipeline_options("bundled")
    options["processors"] = {k: v for k, v in options["processors"].items() if k not in ("mwt", "ner")}
    nlp = stanza.Pipeline(use_gpu=False, logging_level="WARN", tokenize_pretokenized=True, **options)
    parser = nlp.processors["depparse"].trainer.model
    print(f"{'treebank':<28} {'decoding':<22} {'repair':<7} {'UAS':>6} {'LAS':>6}")
    for path in paths:
        sentences = [[w.text for w in s.words] for s in CoNLL.conll2doc(path).sentences]
        for name, decode in DECODERS.items():
            for repair in (False, True):
                parser.decode_graph_predictions = partial(with_repair, decode, repair)
                with tempfile.TemporaryDirectory() as tmp:
                    system = Path(tmp) / "system.conllu"
                    CoNLL.write_doc2conll(nlp(sentences), str(system))
                    scores = ud_scores(path, str(system))
                print(f"{Path(path).name:<28} {name:<22} {'yes' if repair else 'no':<7} "
                      f"{100 * scores['UAS'].f1:>6.2f} {100 * scores['LAS'].f1:>6.2f}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
