"""Datasette query latency on a large quotes database (default 1,000,000 quotes).

Why: a reader clicks a speaker, searches a phrase or opens a facet and expects an answer at
once, whatever the size of the archive. This builds an archive of the wanted size from REAL
extracted rows and times the real published app (``make_datasette``) on those common pages.

How the archive is made: the example articles (or ``--source``) go through the real pipeline
(``quotes.ingest.ingest``); their articles are then copied round after round with new ids and
publication dates spread over several years, each copy carrying its quotes (same text,
speaker, kind... and the id ``save_extraction`` would give them), roles and affiliations; the
speakers and aliases stay the ones the registry built, with their counts recomputed, so every
speaker link is valid. The copying is ``INSERT ... SELECT`` inside SQLite (faster than any
Python-side ``insert_all``), with no index or full-text index until the end, where
``ensure_db_shape`` builds exactly the product's indexes, FTS tables and views in bulk.

Caveat: each source quote is repeated N/Q times (Q = quotes in the source), so every search
or speaker matches at least N/Q rows: a heavy case. A real archive has more speakers and
rarer words.

Usage: python bench/query_latency.py [--quotes 1000000] [--source DB_OR_INPUT ...] [--keep PATH]
           [--experiment SQL_OR_FILE ...] [--setting NAME=VALUE ...] [--metadata YML]
After timing the product as shipped, the experiment options change the built database
(e.g. an extra CREATE INDEX), Datasette's settings or its metadata and time every page again,
to show the effect of a proposed change to db.py, publish.py or metadata.yml.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote_plus, urlsplit

import sqlite_utils
from datasette.utils import escape_fts
from sqlite_utils.utils import hash_record

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100
START_DATE = "2014-01-01"  # copies of undated articles are dated from here
YEARS = 6


@dataclass
class Timing:
    label: str
    url: str
    status: int
    rows: int
    matched: int | None  # filtered_table_rows_count (None: not a table page, or count timed out)
    timed_out: list[str]  # facets Datasette gave up on (facet_time_limit_ms)
    median_ms: float
    p95_ms: float
    sql: str | None
    params: dict | list | None


def source_database(sources: list[str], folder: Path) -> Path:
    """An existing quotes database, or a fresh one ingested from input files by the real pipeline."""
    if len(sources) == 1 and sources[0].endswith(".db"):
        path = Path(sources[0])
        if not path.is_file():
            raise SystemExit(f"Error: {path}: no such database")
        from quotes.db import ensure_db_shape, open_db

        copy = folder / "source.db"  # brought to the current schema, the user's file untouched
        shutil.copyfile(path, copy)
        ensure_db_shape(open_db(copy))
        return copy
    import torch

    from quotes.ingest import ingest

    torch.set_num_threads(1)  # the machine is shared: one core for stanza
    path = folder / "source.db"
    started = time.perf_counter()
    report = ingest(str(path), sources, workers=1, on_error=print)
    print(f"ingested {report.articles} articles, {report.quotes} quotes from {' '.join(sources)} "
          f"in {time.perf_counter() - started:.1f}s")
    if not report.quotes:
        raise SystemExit(f"Error: {' '.join(sources)}: no quotes extracted")
    return path


def copy_sql(db: sqlite_utils.Database, table: str, source: str, overrides: dict[str, str],
             skip: tuple[str, ...] = ()) -> str:
    """``INSERT INTO table SELECT ...`` from ``source``, column by column, some columns rewritten."""
    columns = [c.name for c in db[table].columns if c.name not in skip]
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
    return f'insert into "{table}" ({names}) select {values} from {source}'


def synthesise(source: Path, target: Path, quotes: int) -> None:
    """Fill ``target`` with copies of the source database's articles until it holds ``quotes`` quotes."""
    from quotes.db import SCHEMA

    db = sqlite_utils.Database(target)
    db.execute("pragma journal_mode = off")
    db.execute("pragma synchronous = off")
    db.execute("pragma cache_size = -500000")  # 500 MB
    db.executescript(SCHEMA)
    db.execute("attach database ? as src", [str(source)])
    per_round = db.execute("select count(*) from src.quotes").fetchone()[0]
    n_articles = db.execute("select count(*) from src.articles").fetchone()[0]
    rounds = math.ceil(quotes / per_round)
    days = YEARS * 365

    @db.register_function(deterministic=True)
    def quote_id(article_id, start, end):
        """The id ``save_extraction`` gives a quote (hash of article id and offsets)."""
        return hash_record({"article_id": article_id, "start": start, "end": end})

    @db.register_function(deterministic=True)
    def copy_id(article_id, n):
        return f"{article_id}-{n:06d}"

    db.executescript(f"""
        create temp table rounds as
            with recursive r(n) as (select 0 union all select n + 1 from r where n < {rounds - 1})
            select n from r;
        create temp table src_articles as
            select *, row_number() over (order by id) - 1 as i from src.articles;
    """)
    with db.conn:
        # Dates advance with each copy, so the archive covers YEARS years evenly.
        offset = f"(((r.n * {n_articles} + t.i) * {days}) / {rounds * n_articles})"
        db.execute(copy_sql(db, "articles", "temp.src_articles t, temp.rounds r", {
            "id": "copy_id(t.id, r.n)",
            "published": f"date(coalesce(t.published, '{START_DATE}'), '+' || {offset} || ' days')",
            "url": "t.url || '#' || r.n",
        }) + " order by r.n, t.id")
        article_id = "copy_id(t.article_id, r.n)"
        db.execute(copy_sql(db, "quotes", "temp.rounds r, src.quotes t", {
            "id": f"quote_id({article_id}, t.start, t.\"end\")", "article_id": article_id,
            "published": f"(select a.published from articles a where a.id = {article_id})",
        }) + " order by r.n, t.article_id, t.start limit ?", [quotes])
        db.execute(copy_sql(db, "speakers", "src.speakers t", {}))
        db.execute(copy_sql(db, "aliases", "src.aliases t", {}))
        db.execute(copy_sql(db, "speaker_merges", "src.speaker_merges t", {}))
        db.execute(copy_sql(db, "roles", "temp.rounds r, src.roles t join articles a on a.id = "
                            f"{article_id}", {"article_id": article_id, "published": "a.published"},
                            skip=("id",)))
        db.execute(copy_sql(db, "affiliations", "temp.rounds r, src.affiliations t",
                            {"article_id": article_id}))
    db.execute("detach database src")


def shape(target: Path) -> None:
    """The product's indexes, FTS and views, plus speaker, month and facet counts that match
    the copied quotes."""
    from quotes.db import count_facets, ensure_db_shape, open_db
    from quotes.registry import count_months

    db = open_db(target)
    ensure_db_shape(db)
    with db.conn:
        db.execute("""
            update speakers set
                quote_count = (select count(*) from quotes where speaker_id = speakers.id),
                article_count = (select count(distinct article_id) from quotes
                                 where speaker_id = speakers.id)
        """)
        count_months(db)
    started = time.perf_counter()
    count_facets(db)
    print(f"count_facets (run at the end of every ingest): {time.perf_counter() - started:.1f}s")
    broken = db.execute("pragma foreign_key_check").fetchall()
    if broken:
        raise SystemExit(f"Error: {target}: {len(broken)} broken links after synthesis")
    db.close()


def pick(db: sqlite_utils.Database, speaker: str) -> tuple[str, str]:
    """The canonical name and id of the speaker one of whose names matches ``speaker``."""
    row = db.execute("""
        select s.name, s.id from speakers s join aliases a on a.speaker_id = s.id
        where a.rowid in (select rowid from aliases_fts where aliases_fts match ?)
        order by s.quote_count desc limit 1
    """, [f'"{speaker}"']).fetchone()
    if row is None:
        row = db.execute("select name, id from speakers order by quote_count desc limit 1").fetchone()
    return row


def queries(db: sqlite_utils.Database, speaker: str, search: str, phrase: str) -> list[tuple[str, str]]:
    """(label, URL) of the pages a reader opens most, with real names and words from the data."""
    name, speaker_id = pick(db, speaker)
    return [
        (f"quotes_by_speaker ({speaker})", f"/quotes/quotes_by_speaker.json?name={quote_plus(speaker)}"),
        (f"quotes_view speaker_id ({name})", f"/quotes/quotes_view.json?speaker_id={speaker_id}"),
        # Matching rows <= 20,000: the five default facets are counted live.
        (f"quotes_view _search={search}", f"/quotes/quotes_view.json?_search={quote_plus(search)}"),
        (f"who_said ({phrase})", f"/quotes/who_said.json?phrase={quote_plus(phrase)}"),
        # Asked for by name on the whole archive, facets are counted live (the default page
        # shows the same ones from facet_counts).
        ("quotes_view _facet= x3, whole archive",
         "/quotes/quotes_view.json?_facet=speaker&_facet=kind&_facet=outlet"),
        ("speakers by quote_count", "/quotes/speakers.json?_sort_desc=quote_count"),
        ("quotes table page", "/quotes/quotes.json"),
        # Also linked from the home page: what a first visit costs (five stored facets).
        ("quotes_view default page", "/quotes/quotes_view.json"),
        ("speakers_view", "/quotes/speakers_view.json"),
        ("most_quoted_speakers", "/quotes/most_quoted_speakers.json"),
        ("quotes_over_time", "/quotes/quotes_over_time.json"),
    ]


async def time_url(ds, label: str, url: str, runs: int) -> Timing:
    """One warm-up request, then ``runs`` timed ones through the real app."""
    response = await ds.client.get(url)
    elapsed = []
    for _ in range(runs):
        started = time.perf_counter()
        response = await ds.client.get(url)
        elapsed.append((time.perf_counter() - started) * 1000)
    data = response.json() if response.status_code == 200 else {}
    query = data.get("query") or {}
    # Facets that ran out of facet_time_limit_ms are left out of facet_results.
    asked = parse_qs(urlsplit(url).query).get("_facet", [])
    timed_out = [name for name in asked if data and name not in data.get("facet_results", {})]
    return Timing(label, url, response.status_code, len(data.get("rows", [])),
                  data.get("filtered_table_rows_count"), timed_out,
                  statistics.median(elapsed), statistics.quantiles(elapsed, n=20)[-1],
                  query.get("sql"), query.get("params"))


async def time_all(path: Path, urls: list[tuple[str, str]], runs: int, settings: dict | None = None,
                   metadata: Path | None = None) -> list[Timing]:
    from quotes.publish import METADATA_PATH, make_datasette

    ds = make_datasette(path, metadata or METADATA_PATH)
    ds._settings.update(settings or {})  # experiments only: make_datasette takes no settings
    return [await time_url(ds, label, url, runs) for label, url in urls]


def print_timings(timings: list[Timing]) -> None:
    print(f"{'query':<44} {'median ms':>9} {'p95 ms':>8} {'rows':>5} {'matched':>8}  notes")
    for t in timings:
        notes = []
        if t.status != 200:
            notes.append(f"HTTP {t.status}")
        elif not t.rows:
            notes.append("NO ROWS")
        if t.median_ms >= TARGET_MS:
            notes.append(f"misses {TARGET_MS} ms")
        if t.timed_out:
            notes.append("facets timed out: " + ", ".join(t.timed_out))
        matched = "" if t.matched is None else str(t.matched)
        print(f"{t.label:<44} {t.median_ms:>9.1f} {t.p95_ms:>8.1f} {t.rows:>5} {matched:>8}  "
              + "; ".join(notes))


def print_plans(path: Path, timings: list[Timing]) -> None:
    """EXPLAIN QUERY PLAN of the main query of every page that missed the target."""
    db = sqlite_utils.Database(path)
    db.register_function(escape_fts)  # Datasette's, used by its _search= queries
    for t in timings:
        if t.median_ms < TARGET_MS or not t.sql:
            continue
        print(f"\n-- {t.label}: {t.url}\n{t.sql.strip()}\n-- params: {t.params}")
        for row in db.execute(f"explain query plan {t.sql}", t.params or {}).fetchall():
            print(f"   {row[-1]}")


def report(path: Path, timings: list[Timing]) -> None:
    print_timings(timings)
    print_plans(path, timings)


def run_experiments(path: Path, scripts: list[str]) -> None:
    """Run each SQL script (text, or a .sql file) on the built database, timing it."""
    db = sqlite_utils.Database(path)
    for script in scripts:
        sql = Path(script).read_text() if script.endswith(".sql") else script
        started = time.perf_counter()
        db.executescript(sql)
        print(f"  ran {script} in {time.perf_counter() - started:.1f}s")
    db.close()


def parse_setting(text: str) -> tuple[str, object]:
    """``name=value`` with a JSON value (false, 100) or a plain string."""
    name, _, value = text.partition("=")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


def print_sizes(path: Path) -> None:
    db = sqlite_utils.Database(path)
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    counts = {t: db[t].count for t in ("articles", "quotes", "speakers", "aliases", "roles",
                                       "affiliations")}
    first, last = db.execute("select min(published), max(published) from articles").fetchone()
    print(f"database {path}: {size / 1e6:,.0f} MB; " + ", ".join(f"{t} {n:,}" for t, n in counts.items())
          + f"; published {first} to {last}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=1_000_000, help="quotes in the built database")
    parser.add_argument("--source", nargs="+", default=[str(ROOT / "examples")],
                        help="a quotes .db, or inputs to ingest (default: examples/)")
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per query")
    parser.add_argument("--speaker", default="Lavrov")
    parser.add_argument("--search", default="Aleppo")
    parser.add_argument("--phrase", default="war crimes")
    parser.add_argument("--experiment", action="append", default=[], metavar="SQL",
                        help="SQL (or a .sql file) to run on the built database, then time again")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="Datasette setting for the experiment run, e.g. suggest_facets=false")
    parser.add_argument("--metadata", type=Path, help="metadata.yml to use for the experiment run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        folder = Path(folder)
        source = source_database(args.source, folder)
        target = args.keep or folder / "large.db"
        if target.exists():
            raise SystemExit(f"Error: {target}: already exists, choose a new --keep path")
        started = time.perf_counter()
        synthesise(source, target, args.quotes)
        copied = time.perf_counter()
        shape(target)
        done = time.perf_counter()
        print(f"built in {done - started:.1f}s (copy rows {copied - started:.1f}s, "
              f"ensure_db_shape: indexes + FTS {done - copied:.1f}s)")
        print_sizes(target)

        urls = queries(sqlite_utils.Database(target), args.speaker, args.search, args.phrase)
        report(target, asyncio.run(time_all(target, urls, args.runs)))
        if args.experiment or args.setting or args.metadata:
            print("\nEXPERIMENT (not the product as shipped):")
            run_experiments(target, args.experiment)
            settings = dict(parse_setting(s) for s in args.setting)
            print(f"  settings {settings}, metadata {args.metadata or 'metadata.yml'}")
            report(target, asyncio.run(time_all(target, urls, args.runs, settings, args.metadata)))


if __name__ == "__main__":
    main()
