"""Time and peak memory of `quotes ingest` on the worst inputs found so far, each in a folder
between two short articles (its batch-mates): a line with no punctuation (10 kB, 2 MB), 255 KB
of quotation marks. The inputs are generated here (seeded), so any checkout can be measured:

    python bench/pathological_inputs.py                      # this checkout
    python bench/pathological_inputs.py --python /work/main/.venv/bin/python --cap 600

``--python`` runs another installation's `quotes` (an editable install measures its own
checkout); ``--cap`` stops a run that takes longer (reported as "> CAP s"). Peak memory is the
largest resident size of the ingest process and its workers, sampled every 0.2 s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quotes.processes import descendants

EXAMPLES = Path(__file__).parent.parent / "examples"
BATCH_MATES = {
    "a_before.txt": "Talks resumed in Geneva on Monday.\n“We will not give up,” the envoy said.\n",
    "c_after.txt": "Rain fell in Paris.\n“It is the coldest week in years,” Marie Dupont told reporters.\n",
}


def unpunctuated_line(size: int, seed: int = 1) -> str:
    """``size`` characters of words from the examples, no punctuation, no line break."""
    words = sorted({w.lower() for path in EXAMPLES.glob("*.txt")
                    for w in re.findall(r"[A-Za-z]+", path.read_text(encoding="utf-8"))})
    rng, parts, length = random.Random(seed), [], 0
    while length < size:
        parts.append(rng.choice(words))
        length += len(parts[-1]) + 1
    return " ".join(parts)[:size] + "\n"


CASES = {
    "10 kB line, no punctuation": lambda: unpunctuated_line(10_000),
    "2 MB line, no punctuation": lambda: unpunctuated_line(2_000_000),
    "255 KB of quotation marks": lambda: "\"" * 255_000 + "\n",
}


def tree_rss_mb(pid: int) -> float:
    """Resident MB of ``pid`` and its descendants (Linux /proc)."""
    total = 0.0
    for member in {pid} | descendants(pid):
        try:
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total / 1e6


def run(python: str, folder: Path, db: Path, cap: float, extra: list[str]) -> tuple[float, float, bool, str]:
    command = [python, "-m", "quotes", "ingest", "--db", str(db), *extra, str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               cwd=folder.parent, start_new_session=True)
    start, peak = time.monotonic(), 0.0
    while process.poll() is None and time.monotonic() - start < cap:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(0.2)
    elapsed, capped = time.monotonic() - start, process.poll() is None
    if capped:
        os.killpg(process.pid, signal.SIGKILL)
    output = process.communicate()[0]
    return elapsed, peak, capped, output


def stored(db: Path) -> int:
    """How many of the batch-mates the database holds."""
    import sqlite3

    try:
        with sqlite3.connect(db) as conn:
            sources = [row[0] for row in conn.execute("select source from articles")]
    except sqlite3.Error:
        return 0
    return sum(Path(source).name in BATCH_MATES for source in sources)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="python of the installation to measure")
    parser.add_argument("--cap", type=float, default=900, help="stop a run after this many seconds")
    parser.add_argument("--case", choices=list(CASES), action="append", help="only these cases")
    parser.add_argument("ingest_options", nargs="*", default=["--workers", "1"],
                        help="options for `quotes ingest` (after --)")
    args = parser.parse_args()
    for name in args.case or CASES:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "inputs"
            folder.mkdir()
            for file, text in BATCH_MATES.items():
                (folder / file).write_text(text, encoding="utf-8")
            (folder / "b_worst.txt").write_text(CASES[name](), encoding="utf-8")
            db = Path(tmp) / "bench.db"
            elapsed, peak, capped, output = run(args.python, folder, db, args.cap, args.ingest_options)
            time_text = f"> {args.cap:.0f} s (stopped)" if capped else f"{elapsed:.0f} s"
            print(f"{name}: {time_text}, peak {peak:,.0f} MB, {stored(db)} of {len(BATCH_MATES)} batch-mates stored "
                  f"({args.python}, {' '.join(args.ingest_options)})")
            for line in output.strip().splitlines()[-3:]:
                print(f"    {line}")


if __name__ == "__main__":
    main()
