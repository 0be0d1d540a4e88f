"""The `quotes` command line: ingest, extract, serve, eval, speakers."""

from __future__ import annotations

import json
import sqlite3
import sys
from functools import wraps

import click

from . import __version__

DEFAULT_DB = "db/quotes.db"

db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite database file")
models_option = click.option("--models", type=click.Choice(["bundled", "official"]), default=None,
                             help="stanza models: shipped with quotes (default) or stanza's official "
                                  "English models if installed (env QUOTES_MODELS)")


def report_error(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def fail_on_missing_models(func):
    """Turn a missing-model problem into a one-line error instead of a traceback."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        from .nlp import ModelsMissing

        try:
            return func(*args, **kwargs)
        except ModelsMissing as error:
            raise click.ClickException(str(error)) from None
    return wrapper


def fail_on_database_errors(func):
    """Turn a database SQLite cannot use (not a database, locked past the busy timeout,
    read-only) into a one-line error naming the file; each write is one transaction, so the
    database keeps what it held."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except sqlite3.Error as error:
            path = kwargs.get("db_path") or click.get_current_context().obj
            raise click.ClickException(f"{path}: {error}") from None
    return wrapper


@click.group()
@click.version_option(__version__)
def cli():
    """Find quotes and their speakers in news articles; store and publish them."""


@cli.command()
@db_option
@click.argument("inputs", nargs=-1, required=True)
@click.option("--workers", type=int, default=None,
              help="extraction processes (default: number of CPUs)")
@models_option
@fail_on_missing_models
@fail_on_database_errors
def ingest(db_path, inputs, workers, models):
    """Ingest INPUTS (.txt/.md/.html files, directories, .jsonl, or - for stdin) into the database.

    Unchanged articles are skipped; each article is written in one transaction. Bad inputs are
    reported one line each; the exit status is 1 if any input failed.
    """
    from .ingest import ingest as run_ingest

    report = run_ingest(db_path, list(inputs), workers=workers, models=models,
                        on_error=report_error)
    click.echo(f"{report.articles} articles ingested ({report.skipped} unchanged), "
               f"{report.quotes} quotes, {len(report.errors)} errors -> {db_path}")
    if report.errors:
        sys.exit(1)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@models_option
@fail_on_missing_models
def extract(inputs, models):
    """Print the quotes of INPUTS as JSON Lines (no database).

    One object per quote: article_id, start, end, text, kind, cue, speaker, confidence.
    Offsets are Python string indices into the article text exactly as given.
    """
    from .articles import InputError, read_inputs
    from .ingest import BATCH_SIZE, batched, extract_batch

    errors = []

    def articles():
        for item in read_inputs(list(inputs)):
            if isinstance(item, InputError):
                errors.append(item)
            else:
                yield item

    for batch in batched(articles(), BATCH_SIZE):
        for result in extract_batch(batch, models):
            if isinstance(result, InputError):
                errors.append(result)
                continue
            for quote in result.quotes:
                click.echo(json.dumps(quote.to_extract_json(), ensure_ascii=False))
    for error in errors:
        report_error(error.message())
    if errors:
        sys.exit(1)


@cli.command()
@db_option
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="interface to bind; the default keeps the server on this machine")
def serve(db_path, port, host):
    """Publish the database with Datasette (read-only, metadata.yml, plugins)."""
    from .publish import serve as run_serve

    run_serve(db_path, port=port, host=host)


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=int, default=None, help="only the first N articles")
@click.option("--roles", "roles_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="role gold file (bench/roles_gold.jsonl): score only its articles, with role "
                   "coverage, role precision and name accuracy")
@models_option
@fail_on_missing_models
def evaluate_command(gold, limit, roles_path, models):
    """Score extraction against annotated GOLD JSONL (PolNeAR format)."""
    from .evaluate import run_and_print

    run_and_print(gold, limit=limit, models=models, roles_path=roles_path)


@cli.group(invoke_without_command=True)
@db_option
@click.pass_context
@fail_on_database_errors
def speakers(ctx, db_path):
    """List speakers with their aliases, roles and quote counts."""
    ctx.obj = db_path
    if ctx.invoked_subcommand is None:
        from .db import open_db
        from .registry import list_speakers

        for row in list_speakers(open_db(db_path)):
            click.echo(json.dumps(row, ensure_ascii=False))


@speakers.command()
@click.argument("keep")
@click.argument("other")
@click.pass_obj
@fail_on_database_errors
def merge(db_path, keep, other):
    """Merge speaker OTHER into KEEP (names or ids); survives re-ingestion."""
    from .db import open_db
    from .registry import merge_speakers

    try:
        merge_speakers(open_db(db_path), keep, other)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"merged {other!r} into {keep!r}")
