"""Ingest throughput against the bare stanza pipeline, on the same texts in the same run.

Prints articles/s and words/s for: bare stanza (parse only, 1 process), `quotes ingest` with
1 worker and with 2 workers (each into a fresh database), the overhead of everything beyond
stanza, the 2-worker speed-up, and each run's peak memory.

Usage: python bench/ingest_throughput.py INPUT.jsonl [--limit N] [--keep DB]
                 [--compare [--rounds N] [--runs stanza,1,2] [--old-batch-size N]]
       (e.g. ../shared/data/eval/dev.jsonl: 285 real news articles)
--keep DB saves the 2-worker run's database, e.g. as the --source of bench/query_latency.py.
--compare runs each of --runs with stanza's own computations (``QUOTES_SPEEDUPS=0``) in batches
of --old-batch-size articles (the old path: 8, ingest's batch size before issue 26) and with
this package's speed-ups in ingest's batches (the new path), alternated --rounds times, and
prints the median words/s of each and their ratio (pin it, ``taskset -c 0``, for per-core
figures).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def bare_stanza(inputs: list[str], batch_size: int) -> dict:
    from quotes.articles import Article, read_inputs
    from quotes.ingest import batched
    from quotes.nlp import get_pipeline, parse_articles

    articles = [a for a in read_inputs(inputs) if isinstance(a, Article)]
    get_pipeline(threads=1)
    started, cpu_started = time.perf_counter(), time.process_time()
    for batch in batched(articles, batch_size):
        parse_articles(batch)
    return {"articles": len(articles), "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu_started}


def ingest_run(inputs: list[str], workers: int, keep: str | None, batch_size: int) -> dict:
    from quotes.ingest import ingest

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        report = ingest(str(Path(folder) / "bench.db"), inputs, workers=workers, on_error=lambda m: None,
                        batch_size=batch_size)
        seconds = time.perf_counter() - started
        if keep:  # SQLite's backup API: the WAL's pages come along
            with sqlite3.connect(Path(folder) / "bench.db") as source, sqlite3.connect(keep) as target:
                source.backup(target)
        return {"articles": report.articles, "seconds": seconds, "quotes": report.quotes}


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (ingest's workers)."""
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def child(kind: str, keep: str, batch_size: int, inputs: list[str]) -> None:
    import torch

    torch.set_num_threads(1)
    if kind == "stanza":
        result = bare_stanza(inputs, batch_size)  # its CPU time: parsing only, as its seconds
    else:
        started = cpu_seconds()
        result = ingest_run(inputs, int(kind), keep or None, batch_size)
        result["cpu_seconds"] = cpu_seconds() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["peak_rss_mb"] = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children) / 1024
    print(json.dumps(result))


def limited_copy(path: str, limit: int | None, folder: str) -> str:
    """A temporary JSONL file holding the first ``limit`` records of ``path``."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()[:limit or None]
    out = Path(folder) / "input.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(out)


def run(kind: str, inputs: list[str], keep: str | None = None, speedups: bool = True,
        batch_size: int | None = None) -> dict:
    from quotes.ingest import BATCH_SIZE

    batch = str(batch_size or BATCH_SIZE)
    out = subprocess.run([sys.executable, __file__, "--child", kind, keep or "", batch, *inputs], check=True,
                         capture_output=True, text=True,
                         env={**os.environ, "QUOTES_SPEEDUPS": "1" if speedups else "0"}).stdout
    return json.loads(out.strip().splitlines()[-1])


LABELS = {"stanza": "bare stanza", "1": "ingest 1 worker", "2": "ingest 2 workers"}


def compare(path: str, words: int, kinds: list[str], rounds: int, old_batch_size: int) -> None:
    """Old path (``QUOTES_SPEEDUPS=0``, batches of ``old_batch_size``) against new, alternated,
    each run a fresh process."""
    from quotes.ingest import BATCH_SIZE

    print(f"old: stanza's computations, {old_batch_size} articles a batch; "
          f"new: the speed-ups, {BATCH_SIZE} articles a batch (the last shared among the workers)")
    print(f"{'run':<16} {'path':<5} {'articles':>8} {'seconds':>8} {'words/s':>8} {'cpu s':>8} {'w/cpu s':>8} "
          f"{'peak MB':>8} {'load':>5}")
    speeds: dict[tuple[str, bool, str], list[float]] = {}
    for _ in range(rounds):
        for kind in kinds:
            for speedups in (False, True):
                r = run(kind, [path], speedups=speedups, batch_size=None if speedups else old_batch_size)
                speeds.setdefault((kind, speedups, "wall"), []).append(words / r["seconds"])
                speeds.setdefault((kind, speedups, "cpu"), []).append(words / r["cpu_seconds"])
                print(f"{LABELS[kind]:<16} {'new' if speedups else 'old':<5} {r['articles']:>8} "
                      f"{r['seconds']:>8.1f} {words / r['seconds']:>8.0f} {r['cpu_seconds']:>8.1f} "
                      f"{words / r['cpu_seconds']:>8.0f} {r['peak_rss_mb']:>8.0f} {os.getloadavg()[0]:>5.1f}",
                      flush=True)
    for kind in kinds:
        for clock, unit in (("wall", "words/s"), ("cpu", "words/CPU s")):
            old, new = (statistics.median(speeds[kind, flag, clock]) for flag in (False, True))
            print(f"{LABELS[kind]}: median {unit} old {old:.0f}, new {new:.0f}, ratio {new / old:.2f}x")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--keep", help="save the 2-worker run's database here")
    parser.add_argument("--compare", action="store_true", help="old path (QUOTES_SPEEDUPS=0) against new")
    parser.add_argument("--rounds", type=int, default=3, help="with --compare: runs of each path")
    parser.add_argument("--runs", default="stanza,1,2", help="with --compare: which of stanza,1,2")
    parser.add_argument("--old-batch-size", type=int, default=8,
                        help="with --compare: articles a batch on the old path (ingest's before issue 26)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = limited_copy(args.input, args.limit, folder)
        words = sum(len(json.loads(line)["text"].split()) for line in open(path, encoding="utf-8"))
        if args.compare:
            compare(path, words, args.runs.split(","), args.rounds, args.old_batch_size)
            return
        results = {kind: run(kind, [path], args.keep if kind == "2" else None)
                   for kind in ("stanza", "1", "2")}
    print(f"{'run':<16} {'articles':>8} {'seconds':>8} {'art/s':>7} {'words/s':>8} {'peak MB':>8}")
    for kind, label in LABELS.items():
        r = results[kind]
        print(f"{label:<16} {r['articles']:>8} {r['seconds']:>8.1f} {r['articles'] / r['seconds']:>7.2f} "
              f"{words / r['seconds']:>8.0f} {r['peak_rss_mb']:>8.0f}")
    overhead = results["1"]["seconds"] / results["stanza"]["seconds"] - 1
    speedup = results["1"]["seconds"] / results["2"]["seconds"]
    print(f"overhead beyond stanza (1 worker): {overhead:+.1%}   2-worker speed-up: {speedup:.2f}x")


if __name__ == "__main__":
    main()
