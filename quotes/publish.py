"""Publishing: a Datasette app over a quotes database, with our metadata and display plugin.

``quotes serve`` and the tests build the app the same way, through ``make_datasette``.
Datasette opens the file read-only (``mode=ro``); the database is in WAL mode, so an
ingest can keep writing while the site is up.
"""

from __future__ import annotations

from pathlib import Path

from datasette.app import Datasette
from datasette.utils import parse_metadata

PACKAGE_DIR = Path(__file__).parent
PLUGINS_DIR = PACKAGE_DIR / "plugins"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
# Package data, so a wheel can serve; the top-level metadata.yml is a link to it.
METADATA_PATH = PACKAGE_DIR / "metadata.yml"
# metadata.yml describes the database under this name, whatever the file is called.
DATABASE_NAME = "quotes"
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


def make_datasette(db_path: str | Path, metadata_path: str | Path = METADATA_PATH) -> Datasette:
    """The Datasette app for one quotes database, served under the name ``quotes``."""
    db_path, metadata_path = Path(db_path), Path(metadata_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: no such database (create it with `quotes ingest`)")
    if not metadata_path.is_file():
        raise FileNotFoundError(f"{metadata_path}: Datasette metadata file is missing")
    ds = Datasette([str(db_path)], metadata=parse_metadata(metadata_path.read_text(encoding="utf-8")),
                   plugins_dir=str(PLUGINS_DIR), template_dir=str(TEMPLATES_DIR),
                   static_mounts=[("quotes-static", str(STATIC_DIR))], settings=SETTINGS)
    database = next(db for name, db in ds.databases.items() if name != "_internal")
    if database.name != DATABASE_NAME:
        ds.remove_database(database.name)
        ds.add_database(database, name=DATABASE_NAME)
    return ds


def serve(db_path: str | Path, port: int = 8001, host: str = "127.0.0.1",
          metadata_path: str | Path = METADATA_PATH) -> None:
    """Serve the database until interrupted, as ``datasette serve`` would."""
    import uvicorn

    try:
        ds = make_datasette(db_path, metadata_path)
    except FileNotFoundError as error:
        raise SystemExit(f"Error: {error}") from None
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
