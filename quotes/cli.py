"""The `quotes` command line: ingest, extract, serve, eval, speakers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import sys
from functools import wraps
from pathlib import Path

import click

from . import __version__
from .gold_parts import PART_HELP, PARTS

DEFAULT_DB = "db/quotes.db"



class NoSuchDatabase(click.ClickException):
    """A command that reads a database was given a path with no file: one line, exit status 2
    (a usage error), and nothing created; only ``ingest`` makes a new database."""

    exit_code = 2


def existing_db(path: str) -> str:
    if not Path(path).is_file():
        hint = "create it with `quotes ingest`" if not Path(path).exists() else "not a file"
        raise NoSuchDatabase(f"{path}: no such database ({hint})")
    return path


def require_existing_db(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return None if value is None else existing_db(value)


db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite database file (created if missing)")
existing_db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                                  type=click.Path(dir_okay=False), callback=require_existing_db,
                                  help="SQLite database file (must exist)")
models_option = click.option("--models", type=click.Choice(["bundled", "official"]), default=None,
                             help="stanza models: shipped with quotes (default) or stanza's official "
                                  "English models if installed (env QUOTES_MODELS)")


def use_device(ctx, param, value: str) -> None:
    """Check the --device choice (a missing GPU is a one-line error) and pass it on through
    QUOTES_DEVICE, which the pipeline reads in this process and in ingest's workers."""
    if value == "cuda":
        from .nlp import DeviceUnavailable, resolve_device

        try:
            resolve_device(value)
        except DeviceUnavailable as error:
            raise click.ClickException(str(error)) from None
    os.environ["QUOTES_DEVICE"] = value


device_option = click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto",
                             show_default=True, envvar="QUOTES_DEVICE", expose_value=False,
                             callback=use_device,
                             help="run stanza on a CUDA GPU or the CPU; auto: the GPU when torch "
                                  "sees one (env QUOTES_DEVICE)")


def report_error(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def report_warning(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


time_limit_option = click.option("--time-limit", type=click.FloatRange(min=1), default=None,
                                  help="seconds one article may take to extract before it is "
                                       "skipped with an error [default: 300]")
memory_limit_option = click.option("--memory-limit", type=click.IntRange(min=100), default=None,
                                   help="MB one batch of articles may add to its process before "
                                        "its articles are tried alone [default: 3000]")


def extraction_limits(time_limit: float | None, memory_limit: int | None):
    from .ingest import Limits

    defaults = Limits()
    return Limits(seconds=time_limit or defaults.seconds, megabytes=memory_limit or defaults.megabytes)


@contextlib.contextmanager
def terminate_as_interrupt():
    """SIGTERM stops a run the way Ctrl-C does (workers ended, each stored article whole).
    An error raised once the signal came (a worker pipe closed under a batch being read) is
    part of stopping, not a failure of its own: the run ends as 'Aborted!' all the same."""
    stopping = False

    def interrupt(signum, frame):
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    except Exception:
        if stopping:
            raise KeyboardInterrupt from None
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


def fail_on_missing_models(func):
    """Turn a missing-model problem into a one-line error instead of a traceback."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        from concurrent.futures.process import BrokenProcessPool

        from .nlp import ModelsMissing

        try:
            return func(*args, **kwargs)
        except ModelsMissing as error:
            raise click.ClickException(str(error)) from None
        except BrokenProcessPool as error:  # a worker died: killed, out of memory
            raise click.ClickException(f"an extraction worker stopped ({error})") from None
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
            path = kwargs.get("db_path") or click.get_current_context().obj or DEFAULT_DB
            raise click.ClickException(f"{path}: {error}") from None
    return wrapper


@click.group()
@click.version_option(__version__)
def cli():
    """Find quotes and their speakers in news articles; store and publish them."""


@cli.command()
@db_option
@click.argument("inputs", nargs=-1, required=True)
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="extraction processes (default: number of CPUs; with --ray, tasks at once, "
                   "default: the cluster's CPUs)")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="articles sent to a worker at once [default: 32; the last ones shared among the workers]")
@click.option("--ray", "cluster", is_flag=True,
              help="extract on a Ray cluster: the one named by RAY_ADDRESS, else a local one "
                   "(needs pip install 'quotes[ray]')")
@models_option
@time_limit_option
@memory_limit_option
@device_option
@fail_on_missing_models
@fail_on_database_errors
def ingest(db_path, inputs, workers, batch_size, cluster, models, time_limit, memory_limit):
    """Ingest INPUTS (.txt/.md/.html files, directories, .jsonl, or - for stdin) into the database.

    Unchanged articles are skipped; each article is written in one transaction. Bad inputs are
    reported one line each; the exit status is 1 if any input failed.
    """
    from .articles import printable
    from .distributed import ClusterUnavailable, import_ray
    from .ingest import BATCH_SIZE
    from .ingest import ingest as run_ingest

    with terminate_as_interrupt():
        try:
            if cluster:  # before the database is touched: a missing Ray creates nothing
                import_ray()
            report = run_ingest(db_path, list(inputs), workers=workers, models=models,
                                batch_size=batch_size or BATCH_SIZE,
                                on_error=report_error, on_warning=report_warning,
                                limits=extraction_limits(time_limit, memory_limit), cluster=cluster)
        except ClusterUnavailable as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"{report.articles} articles ingested ({report.skipped} unchanged), "
               f"{report.quotes} quotes, {len(report.errors)} errors -> {printable(db_path)}")
    if report.errors:
        sys.exit(1)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@models_option
@time_limit_option
@memory_limit_option
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help="print only quotes at least this confident")
@click.option("--speech-only", is_flag=True,
              help="drop stance cues (believes, expects, wants, ...) and questions (asked whether ...): "
                   "print only what was said")
@device_option
@fail_on_missing_models
def extract(inputs, models, time_limit, memory_limit, min_confidence, speech_only):
    """Print the quotes of INPUTS as JSON Lines (no database).

    One object per quote: article_id, start, end, text, kind, cue, cue_type (speech, stance or question),
    speaker, confidence. Offsets are Python string indices into the article text exactly as
    given. The filters apply to this output only; ingest stores every quote.
    """
    from .articles import InputError, InputWarning, read_inputs
    from .ingest import BATCH_SIZE, batched, extraction_results

    errors = []

    def articles():
        for item in read_inputs(list(inputs)):
            if isinstance(item, InputWarning):
                report_warning(item.message())
            elif isinstance(item, InputError):
                errors.append(item)
            else:
                yield item

    limits = extraction_limits(time_limit, memory_limit)
    with terminate_as_interrupt():
        for result in extraction_results(batched(articles(), BATCH_SIZE), 1, models, limits):
            if isinstance(result, InputError):
                errors.append(result)
                continue
            for quote in result.quotes:
                if quote.confidence < min_confidence or (speech_only and quote.cue_type != "speech"):
                    continue
                click.echo(json.dumps(quote.to_extract_json(), ensure_ascii=False))
    for error in errors:
        report_error(error.message())
    if errors:
        sys.exit(1)


@cli.command()
@existing_db_option
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="interface to bind; the default keeps the server on this machine")
def serve(db_path, port, host):
    """Publish the database with Datasette (read-only, metadata.yml, plugins).

    Prints the URL it serves; a file that is not a quotes database is a one-line error.
    """
    from .publish import NotServable
    from .publish import serve as run_serve

    try:
        run_serve(db_path, port=port, host=host, announce=click.echo)
    except (FileNotFoundError, NotServable) as error:
        raise click.ClickException(str(error)) from None


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=int, default=None, help="only the first N articles")
@click.option("--part", type=click.Choice(PARTS), default="all", show_default=True, help=PART_HELP)
@click.option("--roles", "roles_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="role gold file (bench/roles_gold.jsonl): score only its articles, with role "
                   "coverage, role precision and name accuracy")
@models_option
@device_option
@fail_on_missing_models
def evaluate_command(gold, limit, part, roles_path, models):
    """Score extraction against annotated GOLD JSONL (PolNeAR format)."""
    from .evaluate import run_and_print

    run_and_print(gold, limit=limit, models=models, roles_path=roles_path, part=part)


@cli.group(invoke_without_command=True)
@click.option("--db", "db_path", default=None, type=click.Path(dir_okay=False),
              help=f"SQLite database file (must exist)  [default: {DEFAULT_DB}]")
@click.pass_context
@fail_on_database_errors
def speakers(ctx, db_path):
    """List speakers with their aliases, roles and quote counts."""
    ctx.obj = db_path
    if ctx.invoked_subcommand is None:
        from .db import open_db
        from .registry import list_speakers

        for row in list_speakers(open_db(existing_db(db_path or DEFAULT_DB))):
            click.echo(json.dumps(row, ensure_ascii=False))


@speakers.command()
@click.option("--db", "db_path", default=None, type=click.Path(dir_okay=False),
              help="SQLite database file (must exist; also accepted before `merge`)")
@click.argument("keep")
@click.argument("other")
@click.pass_obj
@fail_on_database_errors
def merge(group_db_path, db_path, keep, other):
    """Merge speaker OTHER into KEEP (names or ids); survives re-ingestion."""
    from .db import open_db
    from .registry import merge_speakers

    database = open_db(existing_db(db_path or group_db_path or DEFAULT_DB))
    try:
        merge_speakers(database, keep, other)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"merged {other!r} into {keep!r}")
