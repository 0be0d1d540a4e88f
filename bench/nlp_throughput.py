"""Throughput of the shipped stanza pipeline on real news text.

Prints load time, words per second and peak memory for 1 and 2 torch threads, each measured
in a fresh subprocess so load time and memory are not shared between runs.

Usage: python bench/nlp_throughput.py [INPUT ...]   (default: examples/; e.g. add
       ../shared/data/eval/dev.jsonl for the 285 evaluation articles)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(inputs: list[str], threads: int) -> dict:
    """Run in this process: load the pipeline, parse every article, report figures."""
    import torch

    from quotes.articles import Article, read_inputs
    from quotes.nlp import get_pipeline, parse_articles

    torch.set_num_threads(threads)
    articles = [a for a in read_inputs(inputs) if isinstance(a, Article)]
    started = time.perf_counter()
    get_pipeline(threads=threads)
    loaded = time.perf_counter()
    parsed = parse_articles(articles)
    done = time.perf_counter()
    words = sum(len(s.words) for p in parsed for s in p.sentences)
    return {"threads": threads, "articles": len(articles), "words": words,
            "load_s": round(loaded - started, 2), "parse_s": round(done - loaded, 2),
            "words_per_s": round(words / (done - loaded), 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(sys.argv[3:], int(sys.argv[2]))))
        return
    inputs = sys.argv[1:] or [str(ROOT / "examples")]
    print(f"{'threads':>7} {'articles':>8} {'words':>8} {'load s':>7} {'parse s':>8} "
          f"{'words/s':>8} {'peak MB':>8}")
    for threads in (1, 2):
        out = subprocess.run([sys.executable, __file__, "--child", str(threads), *inputs],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{r['threads']:>7} {r['articles']:>8} {r['words']:>8} {r['load_s']:>7} "
              f"{r['parse_s']:>8} {r['words_per_s']:>8} {r['peak_rss_mb']:>8}")


if __name__ == "__main__":
    main()
