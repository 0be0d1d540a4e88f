"""Storage: schema, idempotent saves, per-article transactions, on real article text.

These tests build Extractions by hand from spans of a real example article (found with
str.find), so they check storage alone, whatever the models find.
"""

import sqlite3

import pytest

from quotes.db import (
    SaveResult,
    article_is_current,
    counts,
    ensure_db_shape,
    open_db,
    save_extraction,
)
from quotes.models import Extraction, Span, SpeakerRef
from quotes.registry import rebuild_speakers


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "sub" / "quotes.db")
    ensure_db_shape(database)
    return database


def test_open_db_creates_parent_dir_with_wal_and_foreign_keys(tmp_path):
    db = open_db(tmp_path / "new" / "dir" / "quotes.db")
    assert (tmp_path / "new" / "dir" / "quotes.db").exists()
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert db.execute("pragma busy_timeout").fetchone()[0] == 30000


def test_ensure_db_shape_is_idempotent(db):
    ensure_db_shape(db)
    ensure_db_shape(db)
    tables = set(db.table_names())
    assert {"articles", "quotes", "speakers", "aliases", "roles", "affiliations",
            "speaker_merges", "quotes_fts", "speakers_fts", "aliases_fts"} <= tables
    assert {"quotes_view", "speakers_view"} <= set(db.view_names())
    assert {fk.other_table for fk in db["quotes"].foreign_keys} == {"articles", "speakers"}


def test_save_stores_article_and_flattened_quotes(db, war_crimes, kerry_extraction):
    extraction = kerry_extraction()
    result = save_extraction(db, extraction, "v1")
    assert result == SaveResult("003", quotes=2, removed=0)
    assert counts(db) == {"articles": 1, "quotes": 2, "speakers": 0}
    row = next(db.query("select * from quotes where kind = 'indirect'"))
    text = extraction.article.text
    assert row["text"] == war_crimes == text[row["start"]:row["end"]]
    assert text[row["mention_start"]:row["mention_end"]] == row["mention_text"] == "John Kerry"
    assert row["cue_text"] == "said" and row["speaker_name"] == "John Kerry"
    context = text[row["context_start"]:row["context_end"]]
    assert context.startswith("U.S. Secretary of State John Kerry said") and "\n" not in context
    article = db["articles"].get("003")
    assert article["content_hash"] == extraction.article.content_hash
    assert article["extractor_version"] == "v1" and article["outlet"] == "Reuters"


def test_saving_the_same_article_again_is_a_no_op(db, kerry_extraction):
    extraction = kerry_extraction()
    save_extraction(db, extraction, "v1")
    first_ids = {r["id"] for r in db.query("select id from quotes")}
    assert article_is_current(db, extraction.article, "v1")
    assert save_extraction(db, extraction, "v1").unchanged
    assert {r["id"] for r in db.query("select id from quotes")} == first_ids
    assert db["quotes_fts"].count == 2


def test_quote_ids_are_stable_across_databases(tmp_path, kerry_extraction):
    ids = []
    for name in ("a.db", "b.db"):
        db = open_db(tmp_path / name)
        ensure_db_shape(db)
        save_extraction(db, kerry_extraction(), "v1")
        ids.append(sorted(r["id"] for r in db.query("select id from quotes")))
    assert ids[0] == ids[1] and len(set(ids[0])) == 2


def test_one_content_of_two_speakers_is_two_rows(tmp_path, kerry_extraction):
    """"Lavrov charged, and officials denied, that ...": two quotes over one span, two rows;
    the first keeps the id the span alone gives it, and saving again gives the same ids."""
    extraction = kerry_extraction()
    war_crimes = extraction.quotes[0]
    text = extraction.article.text
    lavrov = text.index("Lavrov")
    other_voice = war_crimes.model_copy(update={
        "cue": Span(start=lavrov - 5, end=lavrov - 1, text=text[lavrov - 5:lavrov - 1]), "shared": True,
        "speaker": SpeakerRef(mention=Span(start=lavrov, end=lavrov + 6, text="Lavrov"), name="Lavrov",
                              type="person")})
    ids = []
    for name, quotes in (("one.db", extraction.quotes), ("two.db", [*extraction.quotes, other_voice]),
                         ("again.db", [*extraction.quotes, other_voice])):
        db = open_db(tmp_path / name)
        ensure_db_shape(db)
        save_extraction(db, Extraction(article=extraction.article, quotes=quotes), "v1")
        rows = {r["id"]: r for r in db.query("select id, speaker_name, start, end from quotes")}
        ids.append(set(rows))
    assert len(ids[1]) == 3 and ids[0] < ids[1] and ids[1] == ids[2]
    extra = rows[(ids[1] - ids[0]).pop()]
    assert extra["speaker_name"] == "Lavrov" and (extra["start"], extra["end"]) == (war_crimes.start, war_crimes.end)


def test_new_version_replaces_the_articles_quotes(db, war_crimes, kerry_extraction):
    extraction = kerry_extraction()
    save_extraction(db, extraction, "v1")
    assert not article_is_current(db, extraction.article, "v2")
    fewer = Extraction(article=extraction.article, quotes=extraction.quotes[:1])
    assert save_extraction(db, fewer, "v2") == SaveResult("003", quotes=1, removed=2)
    assert [r["text"] for r in db.query("select text from quotes")] == [war_crimes]
    assert db["articles"].get("003")["extractor_version"] == "v2"
    search = db.query("select rowid from quotes_fts where quotes_fts match 'explanation'")
    assert list(search) == []


def test_changed_text_is_extracted_again(db, example_text, kerry_extraction):
    save_extraction(db, kerry_extraction(), "v1")
    edited = example_text + "\nAn added paragraph.\n"
    assert not article_is_current(db, kerry_extraction(edited).article, "v1")
    assert save_extraction(db, kerry_extraction(edited), "v1").quotes == 2


def test_failure_mid_article_leaves_previous_state(db, kerry_extraction):
    save_extraction(db, kerry_extraction(), "v1")
    # A real SQLite error on the second quote's insert, after the first went in.
    db.execute("create trigger fail before insert on quotes when new.kind = 'direct' "
               "begin select raise(abort, 'disk on fire'); end")
    with pytest.raises(sqlite3.IntegrityError):
        save_extraction(db, kerry_extraction(), "v2")
    with pytest.raises(sqlite3.IntegrityError):
        save_extraction(db, kerry_extraction(article_id="other"), "v2")
    assert db["articles"].get("003")["extractor_version"] == "v1"
    assert counts(db) == {"articles": 1, "quotes": 2, "speakers": 0}


def test_deleting_a_speaker_unlinks_its_quotes(db, kerry_extraction):
    save_extraction(db, kerry_extraction(), "v1")
    db["speakers"].insert({"id": "kerry", "name": "John Kerry", "type": "person"})
    db["aliases"].insert({"speaker_id": "kerry", "alias": "Kerry"})
    db.execute("update quotes set speaker_id = 'kerry'")
    db.execute("delete from speakers")
    assert counts(db)["quotes"] == 2
    assert [r["n"] for r in db.query("select count(*) n from quotes where speaker_id is null")] == [2]
    assert db["aliases"].count == 0


def test_quotes_view_shows_registry_name_outlet_and_context(db, war_crimes, kerry_extraction):
    save_extraction(db, kerry_extraction(), "v1")
    rows = {r["kind"]: r for r in db.query("select * from quotes_view")}
    assert rows["indirect"]["speaker"] == "John Kerry"  # as the article names him, until the registry runs
    assert rows["indirect"]["outlet"] == "Reuters"
    assert war_crimes in rows["indirect"]["context"]
    db.execute("insert into speakers (id, name, type) values ('kerry', 'John F. Kerry', 'person')")
    db.execute("update quotes set speaker_id = 'kerry', speaker = 'John F. Kerry'")  # a stale link
    rebuild_speakers(db)
    rows = list(db.query("select v.speaker, s.name from quotes_view v join speakers s on s.id = v.speaker_id"))
    assert len(rows) == 2 and all(r["speaker"] == r["name"] == "John Kerry" for r in rows)


def test_quotes_carry_their_articles_date(db, kerry_extraction):
    extraction = kerry_extraction()
    extraction.article.published = "2016-09-29"
    save_extraction(db, extraction, "v1")
    assert {r["published"] for r in db.query("select published from quotes")} == {"2016-09-29"}
    assert {r["published"] for r in db.query("select published from quotes_view")} == {"2016-09-29"}
    db["speakers"].insert({"id": "kerry", "name": "John Kerry", "type": "person"})
    db.execute("update quotes set speaker_id = 'kerry'")
    row = next(db.query("select * from speakers_view"))
    assert row["first_quoted"] == row["last_quoted"] == "2016-09-29"


def query_plan(db, sql: str) -> str:
    return "\n".join(row[-1] for row in db.execute(f"explain query plan {sql}").fetchall())


def test_common_reads_use_indexes_not_sorts_or_joins(db):
    # Newest quotes first: read in index order, no sort of every quote.
    plan = query_plan(db, "select * from quotes_view order by published desc limit 20")
    assert "TEMP B-TREE" not in plan and "idx_quotes_published" in plan
    # A speaker's quotes by date: one index range.
    plan = query_plan(db, "select * from quotes_view where speaker_id = 'x' order by published")
    assert "TEMP B-TREE" not in plan and "idx_quotes_speaker_id_published" in plan
    # Counting the view (every table page does) reads neither articles nor speakers.
    plan = query_plan(db, "select count(*) from quotes_view")
    assert "articles" not in plan and "speakers" not in plan


def test_ensure_db_shape_migrates_the_previous_schema(db, kerry_extraction):
    extraction = kerry_extraction()
    extraction.article.published = "2016-09-29"
    save_extraction(db, extraction, "v1")
    # Back to an earlier shape: no quotes.published, .speaker or .outlet, a speaker_id-only
    # index, old views.
    for name in ("quotes_view", "speakers_view"):
        db.execute(f"drop view {name}")
    for name in ("idx_quotes_published", "idx_quotes_speaker_id_published", "idx_quotes_speaker",
                 "idx_quotes_outlet"):
        db.execute(f"drop index {name}")
    for column in ("published", "speaker", "outlet"):
        db.execute(f"alter table quotes drop column {column}")
    db.execute("create index idx_quotes_speaker_id on quotes(speaker_id)")
    ensure_db_shape(db)
    ensure_db_shape(db)
    rows = list(db.query("select published, speaker, outlet from quotes_view"))
    assert {(r["published"], r["speaker"], r["outlet"]) for r in rows} == {("2016-09-29", "John Kerry", "Reuters")}
    indexes = {index.name for index in db["quotes"].indexes}
    assert {"idx_quotes_published", "idx_quotes_speaker_id_published"} <= indexes
    assert "idx_quotes_speaker_id" not in indexes
    assert db["quotes_fts"].count == 2
    assert list(db.query("select rowid from quotes_fts where quotes_fts match 'explanation'"))


def outcomes_of_processes_at_once(target, argument_lists, timeout: float = 300) -> list[str]:
    """Run ``target(*arguments, barrier, results)`` in one process per argument list, all
    released together by a barrier, and return what each put in ``results``. The processes are
    spawned, not forked, as `quotes ingest` spawns its workers: a fork copies whatever locks the
    test process's other threads (torch's, Datasette's) hold at that moment, and a child that
    waits on one never ends. A process that fails or hangs is an outcome, never a hung test."""
    import multiprocessing
    import queue

    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(len(argument_lists)), context.Queue()
    processes = [context.Process(target=target, args=(*arguments, barrier, results))
                 for arguments in argument_lists]
    for process in processes:
        process.start()
    outcomes = []
    for _ in processes:
        try:
            outcomes.append(results.get(timeout=timeout))
        except queue.Empty:
            outcomes.append(f"no outcome in {timeout} s")
            break
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            outcomes.append(f"process {process.pid} still running")
    return outcomes


def _put_outcome(barrier, results, work) -> None:
    """Wait for the other processes, do ``work`` and put "ok" or the failure, whatever it is."""
    try:
        barrier.wait(timeout=120)
        work()
        results.put("ok")
    except Exception as error:
        results.put(f"{type(error).__name__}: {error}")


def _shape_at_barrier(path, barrier, results):
    _put_outcome(barrier, results, lambda: ensure_db_shape(open_db(path)))


def test_processes_creating_one_new_database_at_once(tmp_path):
    """Two ingests (or an ingest and `quotes serve`) starting together on a new database race
    to switch it to WAL and create the same tables, FTS and views: both must succeed."""
    outcomes = []
    for attempt in range(10):
        path = tmp_path / f"new{attempt}.db"
        outcomes += outcomes_of_processes_at_once(_shape_at_barrier, [(path,), (path,)])
    assert outcomes == ["ok"] * 20


def _save_at_barrier(path, extractions, barrier, results):
    def save_all():
        db = open_db(path)
        for number, extraction in enumerate(extractions):
            save_extraction(db, extraction, "v1")
            if number % 20 == 19:
                rebuild_speakers(db)

    _put_outcome(barrier, results, save_all)


def test_processes_saving_into_one_database_at_once(tmp_path, example_text, kerry_extraction):
    """Two ingests saving articles and rebuilding the registry on one database at the same
    time: each write waits for the other's instead of failing with "database is locked"."""
    path = tmp_path / "shared.db"
    ensure_db_shape(open_db(path))
    articles = {prefix: [kerry_extraction(example_text, f"{prefix}{number}") for number in range(60)]
                for prefix in ("a", "b")}
    outcomes = outcomes_of_processes_at_once(_save_at_barrier, [(path, extractions)
                                                               for extractions in articles.values()])
    assert outcomes == ["ok", "ok"]
    assert counts(open_db(path))["articles"] == 120
