"""Ingestion end to end: the real CLI, real pipeline, real SQLite files."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from quotes.cli import cli


def table_counts(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("articles", "quotes", "speakers")}


def quote_ids_by_article(db_path: Path) -> dict[str, set[str]]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("select article_id, id from quotes").fetchall()
        ids = {a: set() for (a,) in conn.execute("select id from articles")}
    for article_id, quote_id in rows:
        ids[article_id].add(quote_id)
    return ids


def test_ingest_twice_gives_identical_counts(tmp_path, examples_dir):
    db_path = tmp_path / "quotes.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", "--db", str(db_path), "--workers", "1", str(examples_dir)])
    assert first.exit_code == 0, first.output
    counts = table_counts(db_path)
    assert counts["articles"] == 5 and counts["quotes"] >= 25 and counts["speakers"] >= 10
    second = runner.invoke(cli, ["ingest", "--db", str(db_path), "--workers", "1", str(examples_dir)])
    assert second.exit_code == 0, second.output
    assert "0 articles ingested (5 unchanged)" in second.output
    assert table_counts(db_path) == counts


def test_bad_inputs_are_reported_and_good_ones_ingested(tmp_path, examples_dir):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    missing = tmp_path / "missing.txt"
    db_path = tmp_path / "quotes.db"
    good = examples_dir / "003_cd5996b88a391c0c.txt"
    result = CliRunner().invoke(cli, ["ingest", "--db", str(db_path), "--workers", "1",
                                      str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt"),
                                      str(missing), str(good)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    for name in ("empty.txt", "binary.txt", "missing.txt"):
        assert sum(name in line for line in errors) == 1
    assert "Traceback" not in result.output
    assert table_counts(db_path)["articles"] == 1


def make_corpus(folder: Path, examples_dir: Path, copies: int) -> None:
    """Distinct articles from the examples (a different closing line makes a different text)."""
    folder.mkdir()
    for k in range(copies):
        for path in sorted(examples_dir.glob("*.txt")):
            text = path.read_text(encoding="utf-8") + f"\nThis is copy {k} of the article.\n"
            (folder / f"{path.stem}_{k}.txt").write_text(text, encoding="utf-8")


def test_killed_ingest_leaves_whole_articles_and_resumes(tmp_path, examples_dir):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, examples_dir, copies=2)
    reference = tmp_path / "reference.db"
    command = [sys.executable, "-m", "quotes", "ingest", "--workers", "1", str(corpus), "--db"]
    subprocess.run(command + [str(reference)], check=True, capture_output=True)
    expected = quote_ids_by_article(reference)

    killed = tmp_path / "killed.db"
    process = subprocess.Popen(command + [str(killed)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env={**os.environ, "OMP_NUM_THREADS": "1"})
    deadline = time.time() + 300
    while time.time() < deadline and process.poll() is None:
        if killed.exists() and stored_articles(killed) >= 3:
            break
        time.sleep(0.2)
    assert process.poll() is None, "ingest finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()

    with sqlite3.connect(killed) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    partial = quote_ids_by_article(killed)
    assert 3 <= len(partial) < len(expected), (len(partial), len(expected))
    for article_id, quote_ids in partial.items():
        assert quote_ids == expected[article_id]

    subprocess.run(command + [str(killed)], check=True, capture_output=True)
    assert quote_ids_by_article(killed) == expected
    assert table_counts(killed) == table_counts(reference)


def stored_articles(db_path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_two_ingests_and_a_reader_share_one_database(tmp_path, examples_dir):
    """Two `quotes ingest` processes on one database and Datasette reading it meanwhile:
    both ingests succeed (the second waits for the write lock), every page answers, and the
    result is what one ingest gives."""
    import asyncio

    from quotes.publish import make_datasette

    corpus = tmp_path / "corpus"
    make_corpus(corpus, examples_dir, copies=1)
    command = [sys.executable, "-m", "quotes", "ingest", "--workers", "1", str(corpus), "--db"]
    reference, shared = tmp_path / "reference.db", tmp_path / "shared.db"
    subprocess.run(command + [str(reference)], check=True, capture_output=True)

    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    ingests = [subprocess.Popen(command + [str(shared)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    statuses = []
    while any(p.poll() is None for p in ingests):
        if stored_articles(shared):
            response = asyncio.run(make_datasette(shared).client.get("/quotes/quotes.json?_shape=array"))
            statuses.append(response.status_code)
        time.sleep(0.5)
    errors = [p.stderr.read() for p in ingests]
    assert [p.returncode for p in ingests] == [0, 0], errors
    assert statuses and set(statuses) == {200}, statuses
    with sqlite3.connect(shared) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert quote_ids_by_article(shared) == quote_ids_by_article(reference)
    assert table_counts(shared) == table_counts(reference)
