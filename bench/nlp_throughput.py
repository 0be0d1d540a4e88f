"""Throughput of the shipped stanza pipeline on real news text.

Prints load time, words per second (of wall-clock time, and of the process's CPU time: on a
shared core the second is far steadier) and peak memory on one torch thread, for stanza's own
computations (``QUOTES_SPEEDUPS=0``) and this package's (the default), alternated ``--rounds``
times, each run in a fresh subprocess so load time and memory are not shared between runs;
then the median words/s of each and their ratio, and the median load time. On a shared machine, pin it to one core
(``taskset -c 0``) for per-core figures. ``--char-model`` times, instead of stanza's path, this
package's with only the character model run per word again (``quotes.speedups.char_model_once_per_word``
off), to see what that one speed-up gives.

Usage: python bench/nlp_throughput.py [--rounds N] [--char-model] [INPUT ...]   (default: examples/;
       e.g. ../shared/data/eval/dev.jsonl for the 285 evaluation articles)
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAR_MODEL_PER_WORD = "BENCH_CHAR_MODEL_PER_WORD"  # set for the child: the one speed-up off


def measure(inputs: list[str], threads: int) -> dict:
    """Run in this process: load the pipeline, parse every article, report figures."""
    import torch

    from quotes.articles import Article, read_inputs
    from quotes.nlp import get_pipeline, parse_articles
    from quotes.speedups import use_char_model_once_per_word

    torch.set_num_threads(threads)
    articles = [a for a in read_inputs(inputs) if isinstance(a, Article)]
    started = time.perf_counter()
    get_pipeline(threads=threads)  # parse_articles below reuses it
    if os.environ.get(CHAR_MODEL_PER_WORD):
        use_char_model_once_per_word(False)
    loaded, cpu_started = time.perf_counter(), time.process_time()
    parsed = parse_articles(articles)
    done, cpu = time.perf_counter(), time.process_time() - cpu_started
    words = sum(len(s.words) for p in parsed for s in p.sentences)
    return {"threads": threads, "articles": len(articles), "words": words,
            "load_s": round(loaded - started, 2), "parse_s": round(done - loaded, 2),
            "words_per_s": round(words / (done - loaded), 1), "cpu_s": round(cpu, 2),
            "words_per_cpu_s": round(words / cpu, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(sys.argv[3:], int(sys.argv[2]))))
        return
    args = sys.argv[1:]
    rounds = int(args[1]) if args[:1] == ["--rounds"] else 2
    inputs = args[2:] if args[:1] == ["--rounds"] else args
    char_model = inputs[:1] == ["--char-model"]
    inputs = (inputs[1:] if char_model else inputs) or [str(ROOT / "examples")]
    baseline = ("per word", {CHAR_MODEL_PER_WORD: "1"}) if char_model else ("stanza", {"QUOTES_SPEEDUPS": "0"})
    paths = dict([baseline, ("quotes", {"QUOTES_SPEEDUPS": "1"})])
    print(f"{'path':>8} {'articles':>8} {'words':>8} {'load s':>7} {'parse s':>8} {'words/s':>8} "
          f"{'cpu s':>7} {'w/cpu s':>8} {'peak MB':>8} {'load':>5}")
    speeds: dict[str, list[float]] = {label: [] for label in paths}
    cpu_speeds: dict[str, list[float]] = {label: [] for label in paths}
    loads: dict[str, list[float]] = {label: [] for label in paths}
    for _ in range(rounds):
        for label, environment in paths.items():
            out = subprocess.run([sys.executable, __file__, "--child", "1", *inputs], check=True,
                                 capture_output=True, text=True, env={**os.environ, **environment}).stdout
            r = json.loads(out.strip().splitlines()[-1])
            speeds[label].append(r["words_per_s"])
            cpu_speeds[label].append(r["words_per_cpu_s"])
            loads[label].append(r["load_s"])
            print(f"{label:>8} {r['articles']:>8} {r['words']:>8} {r['load_s']:>7} {r['parse_s']:>8} "
                  f"{r['words_per_s']:>8} {r['cpu_s']:>7} {r['words_per_cpu_s']:>8} {r['peak_rss_mb']:>8} "
                  f"{os.getloadavg()[0]:>5.1f}", flush=True)
    for name, figures in (("words/s", speeds), ("words/CPU s", cpu_speeds)):
        old, new = statistics.median(figures[baseline[0]]), statistics.median(figures["quotes"])
        print(f"median {name}: {baseline[0]}'s path {old:.0f}, quotes' path {new:.0f}, ratio {new / old:.3f}x")
    print(f"median load s: {baseline[0]}'s path {statistics.median(loads[baseline[0]]):.2f}, "
          f"quotes' path {statistics.median(loads['quotes']):.2f}")


if __name__ == "__main__":
    main()
