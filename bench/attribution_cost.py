"""What the learned attribution scorer adds to the pipeline's time per word, on one core.

Side by side in one process, on the same articles, with CPU time (``time.process_time``, so
other jobs on the machine do not count): stanza parsing, the rules (finder + speakers), and the
scorer (features + model). The pipeline before the scorer is parse + rules; after, parse +
rules + scorer.

Usage: python bench/attribution_cost.py INPUT... [--limit N]
       (e.g. examples/ or ../shared/data/eval/dev.jsonl --limit 40)
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    from quotes.articles import Article, read_inputs
    from quotes.attribution import score_quotes, shipped_model
    from quotes.ingest import BATCH_SIZE, batched
    from quotes.nlp import get_pipeline, parse_articles
    from quotes.pipeline import rule_quotes

    articles = [a for a in read_inputs(args.inputs) if isinstance(a, Article)][:args.limit]
    get_pipeline(threads=1)
    started = time.process_time()
    shipped_model()
    load = time.process_time() - started

    started = time.process_time()
    parsed = [p for batch in batched(articles, BATCH_SIZE) for p in parse_articles(batch)]
    parse = time.process_time() - started
    started = time.process_time()
    found = [rule_quotes(p) for p in parsed]
    rules = time.process_time() - started
    started = time.process_time()
    kept = [score_quotes(p, quotes) for p, quotes in zip(parsed, found, strict=True)]
    scorer = time.process_time() - started

    words = sum(len(s.words) for p in parsed for s in p.sentences)
    per_word = {name: seconds / words * 1e6 for name, seconds in
                (("parse", parse), ("rules", rules), ("scorer", scorer))}
    before = per_word["parse"] + per_word["rules"]
    print(f"{len(articles)} articles, {words} words, {sum(map(len, found))} rule quotes, "
          f"{sum(map(len, kept))} kept; scorer model load {load:.2f} s CPU (once per process)")
    for name, micro in per_word.items():
        print(f"  {name:8} {micro:9.1f} µs CPU per word")
    print(f"pipeline before the scorer {before:.1f} µs/word, after {before + per_word['scorer']:.1f} µs/word "
          f"({per_word['scorer'] / before:+.1%})")


if __name__ == "__main__":
    main()
