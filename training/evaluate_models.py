"""Score the shipped pipeline on held-out test data (for the model card).

- UD: the full pipeline from raw text of the GUM test documents, scored with the CoNLL 2018
  shared-task evaluator that ships with stanza (tokens, sentences, UPOS, lemmas, UAS, LAS).
- NER: the NER model on UNER English PUD (gold tokens), entity-level exact-match F1 for
  PER, ORG, LOC and over the three.

Usage: python training/evaluate_models.py WORK_DIR [--json OUT]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import stanza
from stanza.models.common.utils import ud_scores as conll18_scores
from stanza.utils.conll import CoNLL

from quotes.nlp import pipeline_options

TYPES = ("PER", "ORG", "LOC")


def ud_scores(work: Path) -> dict[str, float]:
    raw = (work / "data" / "tokenize" / "en_quotes.test.txt").read_text(encoding="utf-8")
    gold_path = work / "ud" / "UD_English-Quotes" / "en_quotes-ud-test.conllu"
    options = pipeline_options("bundled")
    options["processors"] = {k: v for k, v in options["processors"].items() if k != "ner"}
    nlp = stanza.Pipeline(use_gpu=False, logging_level="WARN", **options)
    doc = nlp(raw)
    system_path = work / "eval_system.conllu"
    CoNLL.write_doc2conll(doc, str(system_path))
    result = conll18_scores(str(gold_path), str(system_path))
    names = {"Tokens": "tokens", "Sentences": "sentences", "UPOS": "upos", "Lemmas": "lemma",
             "UAS": "uas", "LAS": "las"}
    return {ours: round(100 * result[theirs].f1, 2) for theirs, ours in names.items()}


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans from BIO or BIOES tags."""
    found, start, kind = set(), None, None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, label = tag.partition("-")
        if start is not None and (prefix in ("O", "B", "S") or label != kind):
            found.add((start, i, kind))
            start = None
        if prefix in ("B", "S") or (prefix in ("I", "E") and start is None):
            start, kind = i, label
    return {s for s in found if s[2] in TYPES}


def ner_scores(work: Path) -> dict[str, float]:
    sentences = json.loads((work / "ner" / "en_quotes.test.json").read_text(encoding="utf-8"))
    options = pipeline_options("bundled")
    options["processors"] = {"tokenize": "quotes", "ner": "quotes"}
    nlp = stanza.Pipeline(use_gpu=False, logging_level="WARN", tokenize_pretokenized=True, **options)
    doc = nlp([[t["text"] for t in s] for s in sentences])
    counts = Counter()
    for gold_sentence, predicted in zip(sentences, doc.sentences, strict=True):
        gold = spans([t["ner"] for t in gold_sentence])
        system = spans([t.ner for t in predicted.tokens])
        for kind in TYPES + ("ALL",):
            g = {s for s in gold if kind in ("ALL", s[2])}
            p = {s for s in system if kind in ("ALL", s[2])}
            counts[kind, "tp"] += len(g & p)
            counts[kind, "gold"] += len(g)
            counts[kind, "pred"] += len(p)
    scores = {}
    for kind in TYPES + ("ALL",):
        precision = counts[kind, "tp"] / max(counts[kind, "pred"], 1)
        recall = counts[kind, "tp"] / max(counts[kind, "gold"], 1)
        scores[f"ner_f1_{kind.lower()}"] = round(200 * precision * recall / max(precision + recall, 1e-9), 2)
    return scores


def main() -> None:
    work = Path(sys.argv[1])
    scores = {**ud_scores(work), **ner_scores(work)}
    print(json.dumps(scores, indent=2))
    if "--json" in sys.argv:
        Path(sys.argv[sys.argv.index("--json") + 1]).write_text(json.dumps(scores, indent=2) + "\n")


if __name__ == "__main__":
    main()
