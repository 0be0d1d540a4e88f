"""Ingestion end to end: the real CLI, real pipeline, real SQLite files."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.processes import descendants, still_alive_after


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


def test_killed_ingest_leaves_whole_articles_and_resumes(tmp_path, examples_dir, stored_articles):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, examples_dir, copies=2)
    reference = tmp_path / "reference.db"
    # batches of 4 of the 10 articles: some are stored while the others are being extracted
    command = [sys.executable, "-m", "quotes", "ingest", "--workers", "1", "--batch-size", "4", str(corpus), "--db"]
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


def test_two_ingests_and_a_reader_share_one_database(tmp_path, examples_dir, stored_articles):
    """Two `quotes ingest` processes on one database and Datasette reading it meanwhile:
    both ingests succeed (the second waits for the write lock), every page answers, and the
    result is what one ingest gives."""
    import asyncio

    from quotes.publish import make_datasette

    corpus = tmp_path / "corpus"
    make_corpus(corpus, examples_dir, copies=1)
    # One article per batch, so the reader sees the database while the ingests still write.
    command = [sys.executable, "-m", "quotes", "ingest", "--workers", "1", "--batch-size", "1", str(corpus), "--db"]
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


# --- nothing lost: ids ------------------------------------------------------------------


def test_same_file_name_in_two_folders_is_two_articles_on_every_run(tmp_path, examples_dir, monkeypatch):
    """Ids keep the folders below the one named (a/news, b/news), whatever the current folder;
    files that would share an id never replace each other, in one run or across runs."""
    texts = sorted(examples_dir.glob("*.txt"))[:2]
    corpus = tmp_path / "corpus"
    for folder, source in zip(("a", "b"), texts, strict=True):
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "news.txt").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    db_path = tmp_path / "quotes.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", "--db", str(db_path), "--workers", "1", str(corpus)])
    assert first.exit_code == 0, first.output
    stored = article_sources(db_path)
    assert stored == {"a/news": str(corpus / "a" / "news.txt"), "b/news": str(corpus / "b" / "news.txt")}
    monkeypatch.chdir(corpus)  # named another way: the same two articles
    second = runner.invoke(cli, ["ingest", "--db", str(db_path), "--workers", "1", "."])
    assert second.exit_code == 0, second.output
    assert "0 articles ingested (2 unchanged)" in second.output

    alone = tmp_path / "alone.db"
    clash = runner.invoke(cli, ["ingest", "--db", str(alone), "--workers", "1", "a/news.txt", "b/news.txt"])
    assert clash.exit_code == 1
    assert "error: b/news.txt: id 'news' was already given to a different text (a/news.txt); skipped" in clash.output
    later = runner.invoke(cli, ["ingest", "--db", str(alone), "--workers", "1", "b/news.txt"])
    assert later.exit_code == 1
    assert ("error: b/news.txt: id 'news' is stored for another file (a/news.txt); skipped: "
            "ingest the folder above both, so their ids keep their folders") in later.output
    assert article_sources(alone) == {"news": "a/news.txt"}


def article_sources(db_path: Path) -> dict[str, str]:
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("select id, source from articles"))


def test_an_id_given_to_two_texts_is_an_error_and_the_summary_counts_what_is_stored(tmp_path, examples_dir):
    texts = [path.read_text(encoding="utf-8") for path in sorted(examples_dir.glob("*.txt"))[:3]]
    records = [{"id": "one", "text": texts[0]}, {"id": "two", "text": texts[1]},
               {"id": "one", "text": texts[2]}, {"id": "two", "text": texts[1]}]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    db_path = tmp_path / "quotes.db"
    result = CliRunner().invoke(cli, ["ingest", "--db", str(db_path), "--workers", "1", str(feed)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {feed}:3: id 'one' was already given to a different text ({feed}:1); skipped"]
    assert f"warning: {feed}:4: same id and text as {feed}:2; read once" in result.output
    counts = table_counts(db_path)
    assert f"{counts['articles']} articles ingested (0 unchanged), {counts['quotes']} quotes, 1 errors" in result.output
    with sqlite3.connect(db_path) as conn:
        assert dict(conn.execute("select id, text from articles")) == {"one": texts[0], "two": texts[1]}


def test_a_database_with_former_ids_keeps_no_copies_on_reingest(tmp_path, examples_dir):
    """Articles stored under the former ids (the file name alone) are replaced, quotes and all,
    by the same articles under their new ids, which keep the folder below the one named
    (corpus/x): a re-ingest leaves what a fresh ingest leaves."""
    corpus = tmp_path / "corpus"
    make_corpus(corpus, examples_dir, copies=1)
    command = ["ingest", "--workers", "1", str(tmp_path), "--db"]
    reference, older = tmp_path / "reference.db", tmp_path / "older.db"
    assert CliRunner().invoke(cli, command + [str(reference)]).exit_code == 0
    with sqlite3.connect(reference) as source, sqlite3.connect(older) as copy:
        source.backup(copy)
    with sqlite3.connect(older) as conn:  # what the former code stored: the same rows, id = stem
        conn.execute("pragma foreign_keys = on")
        for article_id, source in conn.execute("select id, source from articles").fetchall():
            stem = Path(source).stem
            conn.execute("update articles set extractor_version = 'old' where id = ?", [article_id])
            conn.execute("insert into articles select ? as id, title, outlet, byline, dateline, published, url, "
                         "text, content_hash, source, extractor_version, ingested_at from articles where id = ?",
                         [stem, article_id])
            conn.execute("update quotes set article_id = ? where article_id = ?", [stem, article_id])
            conn.execute("delete from articles where id = ?", [article_id])
    assert all("/" not in article_id for article_id in article_sources(older))
    result = CliRunner().invoke(cli, command + [str(older)])
    assert result.exit_code == 0, result.output
    assert quote_ids_by_article(older) == quote_ids_by_article(reference)
    assert table_counts(older) == table_counts(reference)


# --- nothing hung: per-article limits, workers, signals -----------------------------------


def test_a_line_of_thousands_of_words_is_cut_into_bounded_sentences(examples_dir):
    from quotes.models import Article
    from quotes.nlp import MAX_SENTENCE_WORDS, parse_articles

    words = (examples_dir / "003_cd5996b88a391c0c.txt").read_text(encoding="utf-8").replace(".", "").split()
    line = " ".join(words * 4)  # some 3,000 words, no full stop, one line
    [parsed] = parse_articles([Article(id="long", text=f"A headline\n{line}\n")])
    assert len(parsed.sentences) >= len(line.split()) // MAX_SENTENCE_WORDS
    assert max(len(sentence.words) for sentence in parsed.sentences) <= MAX_SENTENCE_WORDS
    for sentence in parsed.sentences:
        assert all(parsed.article.text[w.start:w.end] == w.text for w in sentence.words if w.start < w.end)


def test_a_long_line_is_cut_at_sentence_ends_not_after_titles():
    from quotes.nlp import MAX_PIECE_CHARS, line_pieces

    line = "Mr. Smith told Gen. Lee on Sept. 4 that J. Doe went home. " * 300
    pieces = line_pieces(7, line)
    assert len(pieces) > 1 and "".join(piece for _, piece in pieces) == line
    assert all(len(piece) <= MAX_PIECE_CHARS and piece.endswith("went home. ") for _, piece in pieces)
    assert all(line[offset - 7:offset - 7 + len(piece)] == piece for offset, piece in pieces)


@pytest.mark.parametrize("option, value, limit", [("--time-limit", "20", "time limit (20 s)"),
                                                  ("--memory-limit", "200", "memory limit (200 MB)")])
def test_an_article_over_its_limit_is_skipped_and_its_batch_mates_stored(tmp_path, option, value, limit):
    """A 2 MB line with no punctuation, between two short articles in one batch: reported in one
    line once it has taken its time (or memory) limit, the other two stored."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Talks resumed in Geneva.\n“We will not give up,” the envoy said.\n")
    (corpus / "b_huge.txt").write_text(" ".join(["word", "another", "sentence", "without", "end"] * 70_000))
    (corpus / "c.txt").write_text("Rain fell in Paris.\n“It is cold,” Marie Dupont told reporters.\n")
    assert (corpus / "b_huge.txt").stat().st_size > 2_000_000
    db_path = tmp_path / "quotes.db"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "quotes", "ingest", "--workers", "1", option, value,
                             "--db", str(db_path), str(corpus)], capture_output=True, text=True,
                            env={**os.environ, "OMP_NUM_THREADS": "1"}, timeout=600)
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {corpus / 'b_huge.txt'}: extraction stopped at its {limit}; article skipped"]
    assert result.stdout.startswith("2 articles ingested (0 unchanged)")
    assert sorted(Path(source).name for source in article_sources(db_path).values()) == ["a.txt", "c.txt"]
    assert elapsed < 240, elapsed  # the long article alone (at most 20 s), the model load, the others


def start_ingest_with_workers(tmp_path, examples_dir) -> tuple[subprocess.Popen, set[int], Path]:
    """`quotes ingest --workers 2` on 15 articles, once both workers are extracting."""
    corpus = tmp_path / "corpus"
    make_corpus(corpus, examples_dir, copies=3)
    db_path = tmp_path / "quotes.db"
    process = subprocess.Popen([sys.executable, "-m", "quotes", "ingest", "--workers", "2", "--db", str(db_path),
                                str(corpus)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "OMP_NUM_THREADS": "1"})
    deadline = time.time() + 300
    workers: set[int] = set()
    while time.time() < deadline and process.poll() is None and len(workers) < 2:
        workers = {pid for pid in descendants(process.pid)
                   if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")}
        time.sleep(0.5)
    assert process.poll() is None and len(workers) == 2, "ingest ended before both workers started"
    return process, descendants(process.pid), db_path


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_parent_killed_by_sigkill(tmp_path, examples_dir):
    process, children, _ = start_ingest_with_workers(tmp_path, examples_dir)
    process.kill()
    process.wait()
    assert not still_alive_after(children, 10), "workers (or the resource tracker) outlived their parent"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_a_run_like_ctrl_c(tmp_path, examples_dir):
    process, children, db_path = start_ingest_with_workers(tmp_path, examples_dir)
    process.terminate()
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1
    assert stderr.strip().splitlines()[-1] == "Aborted!" and "Traceback" not in stderr
    assert not still_alive_after(children, 10)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


# --- nothing hung: inputs and models -----------------------------------------------------


def test_a_fifo_a_deep_tree_and_a_forged_name_are_one_line_each(tmp_path, examples_dir, deep_tree):
    corpus = deep_tree[0]
    shutil.copy(examples_dir / "003_cd5996b88a391c0c.txt", deep_tree[-1] / "deep.txt")
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "bad\nerror: forged.txt").write_text("")
    db_path = tmp_path / "quotes.db"
    result = subprocess.run([sys.executable, "-m", "quotes", "ingest", "--workers", "1", "--db", str(db_path),
                             str(corpus)], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert result.returncode == 1
    assert sorted(result.stderr.splitlines()) == [
        f"error: {corpus}/bad\\nerror: forged.txt: empty file",
        f"error: {corpus}/pipe.txt: not a regular file (a FIFO)"]
    assert result.stdout.startswith("1 articles ingested")
    assert [Path(source).name for source in article_sources(db_path).values()] == ["deep.txt"]


def test_closed_stdin_is_an_error_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "quotes", "ingest", "--db", str(tmp_path / "q.db"), "-"],
                            capture_output=True, text=True, timeout=120, preexec_fn=lambda: os.close(0))
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["error: -: standard input is closed"]


@pytest.mark.parametrize("environment, message", [
    ({"QUOTES_MODELS": "bogus"}, "Error: QUOTES_MODELS='bogus': unknown models (expected bundled or official)"),
    ({"QUOTES_MODELS": "official", "STANZA_RESOURCES_DIR": "{tmp}/none"},
     "Error: {tmp}/none/en: official stanza English models are not installed"),
    ({"QUOTES_MODELS": "official", "STANZA_RESOURCES_DIR": "{tmp}/broken"},
     "Error: the stanza models could not be loaded (ValueError: No processors to load for language en.  "
     "Language en is currently unsupported)"),
])
def test_models_that_do_not_load_are_one_line_with_the_default_workers(tmp_path, examples_dir, environment, message):
    (tmp_path / "broken" / "en").mkdir(parents=True)
    (tmp_path / "broken" / "resources.json").write_text("{}")
    environment = {name: value.format(tmp=tmp_path) for name, value in environment.items()}
    result = subprocess.run([sys.executable, "-m", "quotes", "ingest", "--db", str(tmp_path / "q.db"),
                             str(examples_dir)], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "OMP_NUM_THREADS": "1", **environment})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [message.format(tmp=tmp_path)]


def test_batches_are_full_until_the_last_share_of_each_worker():
    from quotes.ingest import batched

    def sizes(count, size, workers, unit=1):
        batches = list(batched(iter(range(count)), size, workers, unit))
        assert [item for batch in batches for item in batch] == list(range(count))  # all, in order
        return [len(batch) for batch in batches]

    assert sizes(40, 32, 2) == [20, 20]  # not 32 and 8, one worker idle for most of the run
    assert sizes(100, 32, 2) == [32, 32, 18, 18]
    assert sizes(40, 8, 2) == [8] * 5
    assert sizes(17, 8, 1) == [8, 8, 1]  # one worker: plain batches of the size
    assert sizes(3, 32, 4) == [1, 1, 1]
    assert sizes(0, 8, 2) == []
    assert sizes(40, 32, 2, 8) == [16, 24]  # in runs of 8, as the tokenizer's calls
    assert sizes(100, 32, 2, 8) == [32, 32, 16, 20]
