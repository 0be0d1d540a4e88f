"""`quotes ingest --ray` on 1 node and on 2 nodes of one CPU each, over the same articles in
one run, and the SQLite writer's own speed (extraction results ready, storage only).

For each cluster size: a local ``ray.cluster_utils.Cluster`` on the loopback interface; a
warm-up ingest (so every worker has loaded the models, as on a long run) into a throw-away
database; then the measured ingest into a fresh one. Prints articles/s, words/s and the
2-node/1-node ratio. The writer: the 2-node run's extraction results saved again into fresh
databases, ``--rounds`` times, timed alone; then how many NLP CPUs at the measured per-CPU
speed that one writer can keep busy.

Usage: python bench/ray_scaling.py INPUT.jsonl [--limit N] [--batch-size B] [--rounds R]
       (e.g. ../shared/data/eval/dev.jsonl: real news articles)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # loopback only; read when ray is imported


def limited_copy(path: str, limit: int, folder: Path) -> tuple[str, int]:
    """The first ``limit`` records of ``path`` in a temporary JSONL file, and their words."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()[:limit]
    out = folder / "input.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(out), sum(len(json.loads(line)["text"].split()) for line in lines)


def warm_up_input(path: str, count: int, folder: Path) -> str:
    """``count`` articles of ``path`` under other ids, so the measured run stores every one."""
    out = folder / "warm.jsonl"
    records = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()[:count]]
    out.write_text("".join(json.dumps({**r, "id": f"warm-{r['id']}"}) + "\n" for r in records), encoding="utf-8")
    return str(out)


def cluster_run(nodes: int, path: str, batch_size: int, folder: Path) -> tuple[float, int, list]:
    """Seconds and articles of the measured ingest on ``nodes`` one-CPU nodes, and the
    extraction results of the same articles computed on that cluster."""
    import ray
    from ray.cluster_utils import Cluster

    from quotes.ingest import batched, extraction_results, ingest

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    for _ in range(nodes - 1):
        cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, log_to_driver=False, logging_level="error")
    try:
        quiet = {"on_error": lambda message: None, "on_warning": lambda message: None}
        ingest(str(folder / f"warm-{nodes}.db"), [warm_up_input(path, 2 * nodes, folder)], batch_size=1,
               cluster=True, **quiet)
        started = time.perf_counter()
        report = ingest(str(folder / f"run-{nodes}.db"), [path], batch_size=batch_size, cluster=True, **quiet)
        seconds = time.perf_counter() - started
        results = []
        if nodes == 2:
            from quotes.articles import Article, read_inputs

            articles = (a for a in read_inputs([path]) if isinstance(a, Article))
            results = list(extraction_results(batched(articles, batch_size), None, None, cluster=True))
        return seconds, report.articles, results
    finally:
        ray.shutdown()
        cluster.shutdown()


def writer_run(results: list, rounds: int, folder: Path) -> tuple[float, float]:
    """Articles per second that the writer stores, and the seconds of the end-of-run speaker
    rebuild for one round."""
    from quotes import db as storage
    from quotes.models import Extraction
    from quotes.registry import rebuild_speakers

    extractions = [r for r in results if isinstance(r, Extraction)]
    version = storage.extractor_version()
    saving, rebuild = 0.0, 0.0
    for number in range(rounds):
        db = storage.open_db(folder / f"writer-{number}.db")
        storage.ensure_db_shape(db)
        started = time.perf_counter()
        for extraction in extractions:
            storage.save_extraction(db, extraction, version)
        saving += time.perf_counter() - started
        started = time.perf_counter()
        rebuild_speakers(db)
        rebuild += time.perf_counter() - started
    return len(extractions) * rounds / saving, rebuild / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5, help="writer rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path, words = limited_copy(args.input, args.limit, folder)
        runs = {nodes: cluster_run(nodes, path, args.batch_size, folder) for nodes in (1, 2)}
        per_second, rebuild = writer_run(runs[2][2], args.rounds, folder)
    print(f"{'cluster':<18} {'articles':>8} {'seconds':>8} {'art/s':>7} {'words/s':>8}")
    for nodes, (seconds, articles, _) in runs.items():
        print(f"{nodes} node(s) x 1 CPU {articles:>8} {seconds:>8.1f} {articles / seconds:>7.2f} "
              f"{words / seconds:>8.0f}")
    ratio = runs[1][0] / runs[2][0]
    per_cpu = runs[1][1] / runs[1][0]
    print(f"2 nodes / 1 node: {ratio:.2f}x")
    print(f"writer: {per_second:.0f} articles/s stored (extraction results ready; {args.rounds} rounds "
          f"of {runs[2][1]}), speaker rebuild {rebuild:.2f} s per run; one writer keeps about "
          f"{per_second / per_cpu:.0f} NLP CPUs busy at {per_cpu:.2f} articles/s per CPU")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
