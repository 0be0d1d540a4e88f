"""What the learned stages add to the pipeline's time per word, on one core.

Side by side in one process, on the same articles, with CPU time (``time.process_time``, so
other jobs on the machine do not count): stanza parsing, the rules (finder + speakers), the
tagger (``quotes/tagger.py``: the pretrained encoder's word vectors, its reading of every word, and
its attributions the rules miss, with their speakers; the encoder's share is timed again alone),
the scorer (features + model, over the rules' quotes and the tagger's) and the boundary ranker
(``quotes/boundaries.py``, over the kept quotes). The
pipeline before the learned stages is parse + rules; after, parse + the whole of
``extract_parsed``, timed as one: the stages timed apart build each article's ``Document`` and
resolve the rules' speakers a second time (the tagger's line), which the pipeline does once,
and miss the quotes the tagger's cue verbs add to the rules' work.

With ``--encoders``, it also times what larger whole encoders would add (the published systems
that score best on PolNeAR read BERT-base) by running encoders of the sizes of MiniLM-L6,
MiniLM-L12 / bge-small and BERT-base, all their layers, over the same sentences. Their weights
are random (the cost of a forward pass does not depend on them) and they run in float32. A
sentence is read as ``PIECES_PER_WORD`` word pieces per word.

Usage: python bench/attribution_cost.py INPUT... [--limit N] [--encoders]
       (e.g. examples/ or ../shared/data/eval/dev.jsonl --limit 40)
"""

from __future__ import annotations

import argparse
import time

# (layers, hidden size, attention heads, feed-forward size) of public English encoders
ENCODERS = {"MiniLM-L6-H384": (6, 384, 12, 1536), "MiniLM-L12-H384 / bge-small": (12, 384, 12, 1536),
            "BERT-base": (12, 768, 12, 3072)}
PIECES_PER_WORD = 1.3  # WordPiece pieces per word of English news, roughly
BATCH = 32


def encoder_seconds(lengths: list[int], layers: int, hidden: int, heads: int, feed_forward: int) -> float:
    """CPU seconds a transformer encoder of this size takes to read sentences of ``lengths``
    words, in batches of similar length (as a tagger on it would)."""
    import torch

    layer = torch.nn.TransformerEncoderLayer(hidden, heads, feed_forward, batch_first=True, activation="gelu")
    encoder = torch.nn.TransformerEncoder(layer, layers, enable_nested_tensor=False).eval()
    pieces = sorted(round(n * PIECES_PER_WORD) + 2 for n in lengths)  # with [CLS] and [SEP]
    started = time.process_time()
    with torch.inference_mode():
        for at in range(0, len(pieces), BATCH):
            chunk = pieces[at:at + BATCH]
            encoder(torch.randn(len(chunk), chunk[-1], hidden))
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--encoders", action="store_true",
                        help="also time transformer encoders of public models' sizes on the same sentences")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    from quotes.articles import Article, read_inputs
    from quotes.attribution import score_quotes, shipped_model
    from quotes.boundaries import shipped_boundaries, with_learned_edges
    from quotes.document import Document
    from quotes.encoder import pretrained_encoder, word_vectors
    from quotes.ingest import BATCH_SIZE, batched
    from quotes.nlp import get_pipeline, parse_articles
    from quotes.pipeline import extract_parsed, rule_quotes
    from quotes.speakers import resolve_speakers
    from quotes.tagged import tagged_quotes
    from quotes.tagger import shipped_tagger, tag_article

    articles = [a for a in read_inputs(args.inputs) if isinstance(a, Article)][:args.limit]
    get_pipeline(threads=1)
    started = time.process_time()
    shipped_model()
    shipped_tagger()
    shipped_boundaries()
    pretrained_encoder()
    load = time.process_time() - started

    started = time.process_time()
    parsed = [p for batch in batched(articles, BATCH_SIZE) for p in parse_articles(batch)]
    parse = time.process_time() - started
    started = time.process_time()
    found = [rule_quotes(p) for p in parsed]
    rules = time.process_time() - started
    started = time.process_time()
    taggings = [tag_article(p) for p in parsed]
    added = []
    for p, quotes, tagging in zip(parsed, found, taggings, strict=True):
        document = Document.of(p)
        extra = tagged_quotes(document, quotes, tagging)
        added.append(resolve_speakers(document, quotes + extra)[len(quotes):] if extra else [])
    tagger = time.process_time() - started
    started = time.process_time()
    kept = [score_quotes(p, quotes + extra, tagging=tagging)
            for p, quotes, extra, tagging in zip(parsed, found, added, taggings, strict=True)]
    scorer = time.process_time() - started
    started = time.process_time()
    for p, quotes, tagging in zip(parsed, kept, taggings, strict=True):
        with_learned_edges(p.article.text, quotes, tagging)
    boundaries = time.process_time() - started
    started = time.process_time()
    for p in parsed:
        extract_parsed(p)
    whole = time.process_time() - started
    started = time.process_time()
    word_vectors([s.forms for tagging in taggings if tagging for s in tagging.sentences])
    encoder = time.process_time() - started

    words = sum(len(s.words) for p in parsed for s in p.sentences)
    per_word = {name: seconds / words * 1e6 for name, seconds in
                (("parse", parse), ("rules", rules), ("tagger", tagger), ("scorer", scorer),
                     ("edges", boundaries))}
    before = per_word["parse"] + per_word["rules"]
    after = per_word["parse"] + whole / words * 1e6
    stages = sum(per_word.values())
    print(f"{len(articles)} articles, {words} words, {sum(map(len, found))} rule quotes, "
          f"{sum(map(len, added))} proposed by the tagger, {sum(map(len, kept))} kept; "
          f"the learned models and the encoder load {load:.2f} s CPU (once per process)")
    for name, micro in per_word.items():
        print(f"  {name:8} {micro:9.1f} µs CPU per word")
        if name == "tagger":
            print(f"    of which the pretrained encoder {encoder / words * 1e6:.1f} µs")
    print(f"pipeline before the learned stages {before:.1f} µs/word, after {after:.1f} µs/word "
          f"({after / before - 1:+.1%}; the stages timed apart sum to {stages:.1f}, {stages / before - 1:+.1%})")
    if args.encoders:
        lengths = [len(s.words) for p in parsed for s in p.sentences]
        for name, size in ENCODERS.items():
            micro = encoder_seconds(lengths, *size) / words * 1e6
            print(f"  encoder {name:28} {micro:7.1f} µs CPU per word more ({micro / before:+.1%})")


if __name__ == "__main__":
    main()
