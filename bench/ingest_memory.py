"""Peak memory of `quotes ingest` over many articles: does it stay flat as the run goes on?

Why: users point `quotes ingest` at folders of thousands of articles. Reading is streamed and
at most two batches per worker are in flight, so memory should not grow with the number of
articles. This runs the real CLI in a subprocess on ``--articles`` articles made from real
news texts (the records of INPUT.jsonl, cycled, each cut to its first ``--words`` words at a
paragraph end and given a unique id and closing line, so each is new to the database), and
samples the resident memory of the whole process tree (the writer, its workers and
multiprocessing's helper) and the number of articles already stored.

It prints the tree's memory at each tenth of the run and the peaks: if memory were
proportional to the input, the late rows would be far above the early ones.

With ``--ray`` the run is `quotes ingest --ray` on a local Ray instance (its processes are in
the tree too): the writer's (driver's) column is the one that must stay flat.

Usage: python bench/ingest_memory.py INPUT.jsonl [--articles 2000] [--words 250] [--workers 2] [--ray]
       (e.g. ../shared/data/eval/dev.jsonl; Linux only: it reads /proc)
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

from quotes.processes import descendants


def cut(text: str, words: int) -> str:
    """The first paragraphs of ``text`` holding at least ``words`` words (whole paragraphs)."""
    kept, count = [], 0
    for paragraph in text.split("\n"):
        kept.append(paragraph)
        count += len(paragraph.split())
        if count >= words:
            break
    return "\n".join(kept)


def write_articles(source: str, articles: int, words: int, path: Path) -> int:
    """Write ``articles`` JSONL records made from ``source``; return their word count."""
    records = [json.loads(line) for line in open(source, encoding="utf-8") if line.strip()]
    total = 0
    with open(path, "w", encoding="utf-8") as out:
        for n, record in enumerate(islice(cycle(records), articles)):
            text = cut(record["text"], words) + f"\n\n(Archive copy {n}.)\n"
            total += len(text.split())
            out.write(json.dumps({"id": f"{record['id']}-{n}", "text": text}) + "\n")
    return total


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:  # not created yet, or busy for a moment
        return -1


def sample_run(command: list[str], db: Path, interval: float) -> list[tuple[float, int, float, float]]:
    """Run ``command``; every ``interval`` s record (seconds, articles stored, tree MB, writer MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    samples = []
    while process.poll() is None:
        tree = {process.pid} | descendants(process.pid)
        samples.append((time.perf_counter() - started, stored(db), sum(map(rss_mb, tree)),
                        rss_mb(process.pid)))
        time.sleep(interval)
    if process.returncode:
        raise SystemExit(f"Error: ingest failed ({process.returncode}): {process.stderr.read()[-500:]}")
    samples.append((time.perf_counter() - started, stored(db), 0.0, 0.0))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="JSON Lines of real articles (id, text)")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--words", type=int, default=250, help="about this many words per article")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ray", action="store_true", help="extract on a local Ray instance")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        inputs, db = Path(folder) / "articles.jsonl", Path(folder) / "quotes.db"
        words = write_articles(args.input, args.articles, args.words, inputs)
        command = [sys.executable, "-m", "quotes", "ingest", "--db", str(db),
                   "--workers", str(args.workers), *(["--ray"] if args.ray else []), str(inputs)]
        samples = sample_run(command, db, args.interval)
    seconds, done = samples[-1][0], samples[-1][1]
    print(f"{done} articles, {words:,} words, {args.workers} workers: {seconds:.0f} s, "
          f"{done / seconds:.2f} articles/s, {words / seconds:.0f} words/s")
    print(f"{'stored':>7} {'seconds':>8} {'tree MB':>8} {'writer MB':>9}")
    for tenth in range(1, 11):
        row = next((s for s in samples if s[1] >= done * tenth / 10 and s[2]), None)
        if row:
            print(f"{row[1]:>7} {row[0]:>8.0f} {row[2]:>8.0f} {row[3]:>9.0f}")
    print(f"peak: process tree {max(s[2] for s in samples):.0f} MB, "
          f"writer {max(s[3] for s in samples):.0f} MB")


if __name__ == "__main__":
    main()
