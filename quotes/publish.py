"""Publishing: a Datasette app over a quotes database, with our metadata and display plugin.

``quotes serve`` and the tests build the app the same way, through ``make_datasette``.
Datasette opens the file read-only (``mode=ro``); the database is in WAL mode, so an
ingest can keep writing while the site is up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from datasette.app import Datasette
from datasette.utils import parse_metadata

PACKAGE_DIR = Path(__file__).parent
PLUGINS_DIR = PACKAGE_DIR / "plugins"
# Package data, so a wheel can serve; the top-level metadata.yml is a link to it.
METADATA_PATH = PACKAGE_DIR / "metadata.yml"
# metadata.yml describes the database under this name, whatever the file is called.
DATABASE_NAME = "quotes"
# Every page of the site reads these; a file without them answers 500 everywhere.
REQUIRED_TABLES = ("articles", "quotes", "speakers")
# No suggested facets: Datasette would try every column as a facet on every page, about
# 50 ms each at a million quotes. Default facets are in metadata.yml (plugins/narrow_facets.py).
SETTINGS = {
    "suggest_facets": False,
    "sql_time_limit_ms": 1000,
    "facet_time_limit_ms": 500,
    "max_returned_rows": 1000,
    "default_page_size": 50,
    "allow_download": False,
}


class NotServable(ValueError):
    """A file the site cannot serve; the message is one line naming it."""


def check_database(db_path: Path) -> None:
    """Refuse, before anything starts, a file that is not a quotes database SQLite can read."""
    try:
        with closing(sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            names = {name for (name,) in conn.execute("select name from sqlite_master")}
    except sqlite3.Error as error:
        raise NotServable(f"{db_path}: {error}") from None
    missing = [table for table in REQUIRED_TABLES if table not in names]
    if missing:
        raise NotServable(f"{db_path}: not a quotes database (missing tables: {', '.join(missing)}); "
                          f"create one with `quotes ingest`")


def make_datasette(db_path: str | Path, metadata_path: str | Path = METADATA_PATH) -> Datasette:
    """The Datasette app for one quotes database, served under the name ``quotes``."""
    db_path, metadata_path = Path(db_path), Path(metadata_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: no such database (create it with `quotes ingest`)")
    if not metadata_path.is_file():
        raise FileNotFoundError(f"{metadata_path}: Datasette metadata file is missing")
    check_database(db_path)
    ds = Datasette([str(db_path)], metadata=parse_metadata(metadata_path.read_text(encoding="utf-8")),
                   plugins_dir=str(PLUGINS_DIR), settings=SETTINGS)
    database = next(db for name, db in ds.databases.items() if name != "_internal")
    if database.name != DATABASE_NAME:
        ds.remove_database(database.name)
        ds.add_database(database, name=DATABASE_NAME)
    return ds


def site_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(db_path: str | Path, port: int = 8001, host: str = "127.0.0.1",
          metadata_path: str | Path = METADATA_PATH, announce: Callable[[str], None] = print) -> None:
    """Serve the database until interrupted, as ``datasette serve`` would; ``announce`` gets
    the one line saying where. Raises FileNotFoundError or NotServable before starting."""
    import uvicorn

    ds = make_datasette(db_path, metadata_path)
    announce(f"Serving {db_path} at {site_url(host, port)}")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
