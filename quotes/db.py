"""Storage: one SQLite database holding articles, their quotes and the speaker registry.

The whole schema lives here, in ``SCHEMA`` and ``ensure_db_shape``: ``registry.py`` only
writes rows into the speaker tables created here. Saving is per article and atomic, so a
crash (or Ctrl-C) mid-ingest never leaves an article with half of its quotes.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from sqlite_utils.utils import hash_record

from .models import DEFAULT_MIN_CONFIDENCE, UNSPOKEN_CUE_TYPES, Article, Extraction, Quote
from .version import extractor_version  # noqa: F401 (re-exported: ingest reads it here)

# Plain SQL because SQLite cannot add ON DELETE actions later: registry.py rebuilds the
# speaker tables, and deleting a speaker must unlink its quotes, not fail or delete them.
SCHEMA = """
create table if not exists articles (
    id text primary key,
    title text, outlet text, byline text, dateline text, published text, url text,
    text text, content_hash text, source text, extractor_version text, ingested_at text
);
create table if not exists speakers (
    id text primary key,
    name text, type text, current_role text,
    quote_count integer, article_count integer
);
create table if not exists quotes (
    id text primary key,
    article_id text references articles(id) on delete cascade,
    start integer, "end" integer, text text, kind text,
    cue_text text, cue_start integer, cue_end integer, cue_type text,
    mention_text text, mention_start integer, mention_end integer,
    speaker_name text, speaker_type text, role text,
    speaker_id text references speakers(id) on delete set null,
    confidence float,
    context_start integer, context_end integer,
    extractor_version text,
    published text,
    speaker text, outlet text
);
create table if not exists aliases (
    speaker_id text references speakers(id) on delete cascade,
    alias text,
    primary key (speaker_id, alias)
);
create table if not exists roles (
    id integer primary key,
    speaker_id text references speakers(id) on delete cascade,
    article_id text references articles(id) on delete cascade,
    role text, title text, organization text, published text
);
create table if not exists affiliations (
    speaker_id text references speakers(id) on delete cascade,
    organization_id text references speakers(id) on delete cascade,
    organization text,
    article_id text references articles(id) on delete cascade,
    primary key (speaker_id, organization, article_id)
);
create table if not exists speaker_months (
    speaker_id text references speakers(id) on delete cascade,
    month text,
    quotes integer,
    primary key (speaker_id, month)
);
create table if not exists facet_counts (
    table_name text,
    column_name text,
    value text,
    count integer,
    primary key (table_name, column_name, value)
);
create table if not exists speaker_merges (
    name text primary key,
    into_name text not null,
    created_at text
);
"""

# Reader-facing view: one row per quote with everything needed to judge it.
# ``rowid`` is the quote's rowid so Datasette can search it through quotes_fts.
# Fast at a million quotes: what readers sort, filter and facet on (published, speaker,
# outlet) is stored on quotes and indexed; the other article fields are looked up only for
# the rows shown, never joined for counts (every table page counts its rows, and a join
# would run for each one).
QUOTES_VIEW = """
select
    q.speaker,
    q.role,
    q.text as quote,
    (select substr(a.text, q.context_start + 1, q.context_end - q.context_start)
     from articles a where a.id = q.article_id) as context,
    (select a.title from articles a where a.id = q.article_id) as article,
    q.published,
    q.outlet,
    q.kind,
    q.cue_text as cue,
    q.cue_type,
    q.confidence,
    q.speaker_type,
    q.speaker_id,
    q.article_id,
    q.id,
    q.rowid as rowid
from quotes q
"""

# First and last dates are two lookups in the quotes(speaker_id, published) index.
SPEAKERS_VIEW = """
select
    s.id, s.name, s.type, s.current_role, s.quote_count, s.article_count,
    (select group_concat(alias, '; ') from aliases where speaker_id = s.id) as aliases,
    (select min(published) from quotes where speaker_id = s.id) as first_quoted,
    (select max(published) from quotes where speaker_id = s.id) as last_quoted
from speakers s
"""


# Facets shown on the whole archive, counted once per ingest into facet_counts: grouping a
# million quotes takes about a second per column, far too slow for a page load. Each is also
# counted over the trusted quotes, what the Quotes page shows by default. (Each is a column
# of quotes too, indexed with the trust columns: both counts read only that index.)
SUMMARY_FACETS = {"quotes_view": ("speaker", "role", "kind", "speaker_type", "cue_type", "outlet", "published")}
TRUST_COLUMNS = ("confidence", "cue_type")
# Indexes that carry the trust columns, so what is counted or listed for readers (trusted or
# not) reads the index, not the rows: a speaker's quotes by date (it also serves lookups by
# speaker_id alone), and each stored facet column. Named as when they held fewer columns;
# ensure_db_shape makes an older one again.
TRUSTED_INDEXES = {
    "idx_quotes_speaker_id_published": ["speaker_id", "published", *TRUST_COLUMNS],
    **{f"idx_quotes_{column}": [column, *(c for c in TRUST_COLUMNS if c != column)]
       for column in SUMMARY_FACETS["quotes_view"]},
}

# (confidence, cue_type) counts the trusted quotes.
INDEXES = {
    "quotes": [["article_id"], ["speaker_name"], list(TRUST_COLUMNS)],
    "aliases": [["alias"]],
    "roles": [["speaker_id"], ["article_id"]],
    "affiliations": [["organization_id"], ["article_id"]],
    "articles": [["published"], ["outlet"]],
}

# What SQLite says to the process that loses a race to set up a new database (``settle_races``).
LOST_RACE = ("already exists", "locked", "vtable constructor failed")
QUOTE_KEY = ("article_id", "start", "end")  # what a quote's id hashes (``with_ids``)
FTS = {"quotes": ["text"], "speakers": ["name"], "aliases": ["alias"]}
# Quote text is searched with stemming ("war crime" finds "war crimes"); names are not
# (a stemmed "Davis" would also match "Davi").
FTS_TOKENIZERS = {"quotes": "porter"}


@dataclass
class SaveResult:
    """What one ``save_extraction`` call changed."""

    article_id: str
    quotes: int = 0  # quotes stored for the article
    removed: int = 0  # quotes of an earlier extraction that were replaced
    unchanged: bool = False  # same text, same extractor version: nothing written


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating) a database that ingest can write while Datasette reads it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("pragma busy_timeout = 30000")
    settle_races(db.enable_wal)
    db.execute("pragma foreign_keys = on")
    return db


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One transaction that takes the write lock as it begins (``BEGIN IMMEDIATE``), waiting
    for it up to the busy timeout. sqlite-utils' ``atomic`` begins deferred: its first read
    takes a snapshot, and in WAL mode a write after another process committed fails at once
    with "database is locked" (SQLite cannot wait for a newer snapshot), which is what two
    ingests on one database ran into."""
    db.execute("begin immediate")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.execute("commit")


def ensure_db_shape(db: sqlite_utils.Database) -> None:
    """Create every table, index, full-text index and view; safe to run any number of times."""
    settle_races(lambda: create_shape(db))


def settle_races(step: Callable[[], None], attempts: int = 6) -> None:
    """Run a set-up ``step`` that another process may be running on the same new database
    at the same moment (two ingests, an ingest and `quotes serve`): the one that loses a race
    ("already exists", or a lock SQLite will not wait for, as when switching to WAL) waits a
    moment and goes again, and finds the work done. Every step here is idempotent. A full-text
    index created by the other process between this one's check and its own creation can also
    fail as "vtable constructor failed" (the index's shadow tables exist already): the same
    lost race, seen once in a clean-clone test run of two ingests on one new database."""
    for attempt in range(1, attempts + 1):
        try:
            step()
            return
        except sqlite3.OperationalError as error:
            if attempt == attempts or not any(m in str(error) for m in LOST_RACE):
                raise
            time.sleep(0.1 * attempt)


def create_shape(db: sqlite_utils.Database) -> None:
    """Each step of ``ensure_db_shape``, each one a no-op when already done."""
    db.executescript(SCHEMA)
    migrate(db)
    for table, column_lists in INDEXES.items():
        for columns in column_lists:
            db.table(table).create_index(columns, if_not_exists=True)
    for name, columns in TRUSTED_INDEXES.items():
        db.table("quotes").create_index(columns, index_name=name, if_not_exists=True)
    for table, columns in FTS.items():
        # A no-op when the index already has this shape; rebuilt once when it does not (a
        # database made before quote search was stemmed).
        db.table(table).enable_fts(columns, create_triggers=True, tokenize=FTS_TOKENIZERS.get(table),
                             replace=True)
    db.create_view("quotes_view", QUOTES_VIEW, replace=True)
    db.create_view("speakers_view", SPEAKERS_VIEW, replace=True)


def migrate(db: sqlite_utils.Database) -> None:
    """Bring a database made by an earlier schema up to date (a no-op on a current one)."""
    columns = db["quotes"].columns_dict
    copies = {"published": "(select published from articles where id = quotes.article_id)",
              "outlet": "(select outlet from articles where id = quotes.article_id)",
              "speaker": "coalesce((select name from speakers where id = quotes.speaker_id), speaker_name)"}
    for column, value in copies.items():
        if column not in columns:
            with write_transaction(db):
                db.table("quotes").add_column(column, str)
                db.execute(f"update quotes set {column} = {value}")
    # Superseded by the (speaker_id, published) index.
    db.execute("drop index if exists idx_quotes_speaker_id")
    # An index made before it held the trust columns is made again.
    for index in db.table("quotes").indexes:
        if index.name in TRUSTED_INDEXES and index.columns != TRUSTED_INDEXES[index.name]:
            db.execute(f"drop index [{index.name}]")


def trusted(alias: str = "") -> str:
    """The readers' default rule in SQL, for a quotes (or quotes_view) row named ``alias``,
    with ``:min_confidence`` to bind."""
    prefix = f"{alias}." if alias else ""
    unspoken = ", ".join(f"'{cue_type}'" for cue_type in UNSPOKEN_CUE_TYPES)
    return f"({prefix}confidence >= :min_confidence and coalesce({prefix}cue_type, '') not in ({unspoken}))"


def trusted_facets_key(table: str, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> str:
    """facet_counts' table_name for the trusted rows of ``table`` at this threshold (a new
    threshold finds no stored counts until the next ingest counts them). The name predates
    questions being left out with stances; kept, so that a database counted before still shows
    its facets (counting its few questions) until its next ingest."""
    return f"{table} where confidence >= {min_confidence} and not stance"


def count_facets(db: sqlite_utils.Database) -> None:
    """Refill facet_counts from the tables as they are now (run after every ingest): every
    row, and the trusted rows."""
    with write_transaction(db):
        db.execute("delete from facet_counts")
        for table, columns in SUMMARY_FACETS.items():
            for key, condition in ((table, "1"), (trusted_facets_key(table), trusted())):
                for column in columns:
                    db.execute(f"""
                        insert into facet_counts (table_name, column_name, value, count)
                        select :key, :column, [{column}], count(*) from [{table}]
                        where [{column}] is not null and {condition} group by [{column}]
                    """, {"key": key, "column": column, "min_confidence": DEFAULT_MIN_CONFIDENCE})


def article_is_current(db: sqlite_utils.Database, article: Article, version: str) -> bool:
    """True when this exact text was already extracted by this extractor version."""
    rows = db.query("select 1 from articles where id = ? and content_hash = ? and extractor_version = ?",
                    [article.id, article.content_hash, version])
    return next(rows, None) is not None


def forget_former_article(db: sqlite_utils.Database, former_id: str, article: Article) -> bool:
    """Delete the article stored under ``former_id`` (an id from an earlier id scheme) if it is
    ``article``: read from the same place (the same file, however it was named) or the same
    text. Its quotes, roles and affiliations go with it; ``article`` is stored under its own id."""
    rows = db.query("select source, content_hash from articles where id = ?", [former_id])
    same = any(row["content_hash"] == article.content_hash or same_place(row["source"], article.source)
               for row in rows)
    if same:
        with write_transaction(db):
            db.execute("delete from articles where id = ?", [former_id])
    return same


def stored_article(db: sqlite_utils.Database, article_id: str) -> dict | None:
    """The source and content hash stored under ``article_id``, if any."""
    return next(db.query("select source, content_hash from articles where id = ?", [article_id]), None)


def same_place(source: str | None, other: str | None) -> bool:
    """Whether two sources name the same file (or the same line of a JSONL file)."""
    if not source or not other:
        return False
    return source == other or Path(source).resolve() == Path(other).resolve()


def save_extraction(db: sqlite_utils.Database, extraction: Extraction,
                    version: str) -> SaveResult:
    """Store one article and replace its quotes, all in one transaction."""
    article = extraction.article
    if article_is_current(db, article, version):
        return SaveResult(article.id, unchanged=True)
    with write_transaction(db):
        db.table("articles").upsert(article_row(article, version), pk="id")
        removed = db.execute("delete from quotes where article_id = ?", [article.id]).rowcount
        rows = with_ids([quote_row(article, q, version) for q in extraction.quotes])
        db.table("quotes").insert_all(rows, pk="id")
    return SaveResult(article.id, quotes=len(rows), removed=removed)


def with_ids(rows: list[dict]) -> list[dict]:
    """The quote rows with their ids; the same quote found twice is one row.

    A quote's id is a hash of its article and span, so re-ingesting an article gives its quotes
    the ids they had. One content said by two speakers through two cues ("Lavrov charged, and
    officials denied, that ...") is two quotes; the second one's id hashes its cue too."""
    by_id: dict[str, dict] = {}
    for row in rows:
        row_id = hash_record(row, QUOTE_KEY)
        first = by_id.get(row_id)
        if first is not None and first["cue_start"] != row["cue_start"]:
            row_id = hash_record(row, (*QUOTE_KEY, "cue_start"))
        by_id.setdefault(row_id, {"id": row_id, **row})
    return list(by_id.values())


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """How many articles, quotes and speakers the database holds."""
    return {table: db[table].count if db[table].exists() else 0
            for table in ("articles", "quotes", "speakers")}


def article_row(article: Article, version: str) -> dict:
    return {
        **article.model_dump(include={"id", "title", "outlet", "byline", "dateline",
                                      "published", "url", "text", "source"}),
        "content_hash": article.content_hash,
        "extractor_version": version,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def quote_row(article: Article, quote: Quote, version: str) -> dict:
    """A Quote flattened into columns; speaker_id is left for registry.py to fill in."""
    cue, speaker = quote.cue, quote.speaker
    mention = speaker.mention if speaker else None
    context_start, context_end = paragraph_bounds(article.text, [quote, cue, mention])
    return {
        "article_id": article.id,
        "start": quote.start,
        "end": quote.end,
        "text": quote.text,
        "kind": quote.kind,
        "cue_text": cue.text if cue else None,
        "cue_start": cue.start if cue else None,
        "cue_end": cue.end if cue else None,
        "cue_type": quote.cue_type,
        "mention_text": mention.text if mention else None,
        "mention_start": mention.start if mention else None,
        "mention_end": mention.end if mention else None,
        "speaker_name": speaker.name if speaker else None,
        # The name readers see: registry.py replaces it with the speaker's registry name.
        "speaker": speaker.name if speaker else None,
        "speaker_type": speaker.type if speaker else None,
        "role": speaker.role if speaker else None,
        "speaker_id": None,
        "confidence": quote.confidence,
        "context_start": context_start,
        "context_end": context_end,
        "extractor_version": version,
        # Copies of the article's date and outlet, so quotes can be sorted, filtered and
        # faceted by them through an index.
        "published": article.published,
        "outlet": article.outlet,
    }


def paragraph_bounds(text: str, spans: list) -> tuple[int, int]:
    """Start and end of the paragraph(s) (lines) holding all the given spans."""
    spans = [span for span in spans if span is not None]
    start = min(span.start for span in spans)
    end = max(span.end for span in spans)
    paragraph_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if paragraph_end == -1 else paragraph_end
