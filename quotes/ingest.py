"""Ingestion at volume: stream articles, extract in worker processes, write with one writer.

Why this shape:
- stanza is fastest on batches of documents, so articles travel in batches;
- worker processes each load the pipeline once (one torch thread each) and only extract;
- the main process is the single SQLite writer and saves each article in its own transaction,
  so a run killed at any moment leaves whole articles only, and the next run skips them;
- at most a few batches are in flight, so memory stays bounded on huge folders;
- each batch has a time and memory budget: a batch over it is done again article by article,
  and an article over it alone is reported and skipped, so one can never stall the rest;
- workers die with the main process, whatever kills it.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from tqdm import tqdm

from . import db as storage
from .articles import InputError, InputNotice, InputWarning, former_id, is_file_source, read_inputs
from .models import Article, Extraction
from .nlp import TOKENIZER_ARTICLES, ModelsMissing, model_choice
from .registry import rebuild_speakers

# Articles a batch: one stanza call each (its tokenizer in runs of TOKENIZER_ARTICLES), and the
# unit of work of the worker processes and Ray tasks. Batches of 32 parse 6% more words per CPU
# second than batches of 8, with the same parses (docs/BENCHMARKS.md, issue 26).
BATCH_SIZE = 32
# Per article (and per batch, before a batch over it is done again by runs of
# TOKENIZER_ARTICLES, then article by article): far
# above what news takes (a few seconds), far below a run stalled by one input. README "Limits".
TIME_LIMIT = 300  # seconds
MEMORY_LIMIT = 3000  # MB the extraction may add to what its process held before
# An article this long is extracted alone, with a time limit of its own: batching saves little
# on it, and a batch with it that goes over its limit would cost that time twice.
ALONE_CHARS = 100_000
CHECK_EVERY = 0.5  # seconds between budget checks
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class Limits:
    seconds: float = TIME_LIMIT
    megabytes: int = MEMORY_LIMIT


@dataclass
class IngestReport:
    articles: int = 0
    skipped: int = 0
    quotes: int = 0
    errors: list[str] = field(default_factory=list)


class OverBudget(BaseException):
    """Raised inside an extraction that went over its time or memory budget. A BaseException,
    like KeyboardInterrupt, so that no ``except Exception`` on the way swallows it."""


def batched(items: Iterable, size: int, workers: int = 1, unit: int = 1) -> Iterator[list]:
    """``items`` in lists of ``size``, except the last ``size * workers`` or fewer, which are
    split evenly among the ``workers`` in whole runs of ``unit`` items: at the end of the input
    each worker gets its share, instead of one working through a whole batch while the others
    wait (and runs of ``unit`` from the start stay together: see ``TOKENIZER_ARTICLES``)."""
    buffer: list = []
    for item in items:
        buffer.append(item)
        if len(buffer) > size * workers:
            yield buffer[:size]
            buffer = buffer[size:]
    units = -(-len(buffer) // unit)
    parts = max(-(-len(buffer) // size), min(workers, units))
    for part in range(parts):
        yield buffer[part * units // parts * unit:(part + 1) * units // parts * unit]


def extract_batch(articles: list[Article], models: str | None = None,
                  limits: Limits = Limits()) -> list[Extraction | InputError]:
    """Extract a batch within ``limits``; if the batch fails or goes over, retry it by its runs
    of ``TOKENIZER_ARTICLES``, then article by article, so one bad or huge text can't sink the
    rest. Long articles go alone from the start."""
    from .pipeline import extract

    long = [len(article.text) > ALONE_CHARS for article in articles]
    if len(articles) > TOKENIZER_ARTICLES and any(long):  # as in batches of that many
        return [result for run in batched(articles, TOKENIZER_ARTICLES)
                for result in extract_batch(run, models, limits)]
    if len(articles) > 1 and any(long):
        short = [article for article, too_long in zip(articles, long, strict=True) if not too_long]
        results = iter(extract_batch(short, models, limits) if short else [])
        return [extract_batch([article], models, limits)[0] if too_long else next(results)
                for article, too_long in zip(articles, long, strict=True)]
    try:
        with budget(limits):
            return list(extract(articles, models))
    except (Exception, OverBudget) as error:  # a stanza failure on one odd text: isolate it below
        gc.collect()
        if len(articles) == 1:
            reason = str(error) if isinstance(error, OverBudget) else \
                f"extraction failed: {type(error).__name__}: {error}"
            return [InputError(path=articles[0].source or articles[0].id, reason=reason)]
    pieces = batched(articles, TOKENIZER_ARTICLES) if len(articles) > TOKENIZER_ARTICLES else ([a] for a in articles)
    return [result for piece in pieces for result in extract_batch(piece, models, limits)]


@contextmanager
def budget(limits: Limits) -> Iterator[None]:
    """Raise OverBudget in the code run inside once it has taken more than ``limits.seconds``
    or grown the process by more than ``limits.megabytes``: a timer signal checks every
    CHECK_EVERY seconds (the main thread only, where extraction runs). With every sentence
    bounded in length (quotes.nlp), no single step inside runs long."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    start, memory_start = time.monotonic(), resident_megabytes()

    def check(signum, frame):
        if time.monotonic() - start > limits.seconds:
            raise OverBudget(f"extraction stopped at its time limit ({limits.seconds:g} s); article skipped")
        if resident_megabytes() - memory_start > limits.megabytes:
            raise OverBudget(f"extraction stopped at its memory limit ({limits.megabytes} MB); article skipped")

    previous = signal.signal(signal.SIGALRM, check)
    signal.setitimer(signal.ITIMER_REAL, CHECK_EVERY, CHECK_EVERY)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def resident_megabytes() -> float:
    """This process's resident memory in MB (0 where /proc is not there to tell)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def load_models(models: str | None) -> None:
    """Load the pipeline (once per process); whatever stops it is one ModelsMissing line."""
    from .nlp import get_pipeline

    try:
        get_pipeline(models)
    except ModelsMissing:
        raise
    except Exception as error:
        first_line = (str(error).strip().splitlines() or [""])[0]
        raise ModelsMissing(f"the stanza models could not be loaded ({type(error).__name__}: {first_line})") from None


_load_error: ModelsMissing | None = None  # in a worker: why its pipeline did not load


def _init_worker(models: str | None, parent: int) -> None:
    """Each worker process: gone when its parent is, deaf to the terminal's Ctrl-C (the parent
    stops it), one torch thread, the pipeline loaded once."""
    global _load_error
    import torch

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    torch.set_num_threads(1)
    try:
        load_models(models)
    except ModelsMissing as error:
        _load_error = error  # told to the parent by _worker_ready: one line, not a traceback


def _worker_ready() -> None:
    if _load_error:
        raise _load_error


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends, however it ends (SIGKILL included): the kernel
    sends SIGKILL on Linux (prctl PR_SET_PDEATHSIG); elsewhere a thread watches the parent id."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        def watch():
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)
        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # it ended before we asked
        os._exit(1)


def extraction_results(batches: Iterator[list[Article]], workers: int | None, models: str | None,
                       limits: Limits = Limits(), cluster: bool = False) -> Iterator[Extraction | InputError]:
    """Extraction results in input order, with at most 2 batches per worker in flight, here or
    on a Ray ``cluster`` (quotes.distributed). Locally the models are loaded before the first
    batch (in the first worker) and a failure to load them is one ModelsMissing, raised before
    any article is tried; ``workers`` defaults to the CPUs, here or in the cluster."""
    first = next(batches, None)
    if first is None:  # nothing to extract: no models to load, no cluster to start
        return
    batches = itertools.chain([first], batches)
    model_choice(models)
    if cluster:
        from .distributed import cluster_extraction_results

        yield from cluster_extraction_results(batches, workers, models, limits)
        return
    workers = workers or os.cpu_count() or 1
    if workers <= 1:
        load_models(models)
        for batch in batches:
            yield from extract_batch(batch, models, limits)
        return
    context = get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                               initargs=(models, os.getpid()))
    try:
        pool.submit(_worker_ready).result()  # starts one worker (spawned on demand): its load
    except ModelsMissing:  # the workers are idle: a clean stop, which leaves no thread to race exit
        pool.shutdown(cancel_futures=True)
        raise
    except BaseException:
        stop_workers(pool)
        raise
    try:
        pending: deque[Future] = deque()
        for batch in batches:
            pending.append(pool.submit(extract_batch, batch, models, limits))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BaseException:  # Ctrl-C, SIGTERM, an error: stop now, not after the batches in flight
        stop_workers(pool)
        raise
    pool.shutdown()


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel the queued batches and end the workers now. ProcessPoolExecutor has no public
    way to end running workers before Python 3.14 (``terminate_workers``)."""
    processes = list((pool._processes or {}).values())  # shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def new_articles(db, items: Iterable[Article | InputNotice], report: IngestReport,
                 on_error: Callable[[str], None],
                 on_warning: Callable[[str], None]) -> Iterator[Article]:
    """Articles not yet stored with this extractor version; errors and warnings reported as
    they come; an article stored under its former id (before ids kept the folder) is dropped
    from there, so a re-ingest of an older database leaves no copy behind."""
    for item in items:
        if isinstance(item, InputWarning):
            on_warning(item.message())
        elif isinstance(item, InputNotice):  # an InputError: the only other kind of notice
            report.errors.append(item.message())
            on_error(item.message())
        elif elsewhere := other_file_under_its_id(db, item):
            message = InputError(path=item.source or item.id,
                                 reason=f"id {item.id!r} is stored for another file ({elsewhere}); skipped: "
                                        "ingest the folder above both, so their ids keep their folders").message()
            report.errors.append(message)
            on_error(message)
        else:
            former = former_id(item)
            if former and former != item.id:
                storage.forget_former_article(db, former, item)
            if storage.article_is_current(db, item, storage.extractor_version()):
                report.skipped += 1
            else:
                yield item


def other_file_under_its_id(db, article: Article) -> str | None:
    """The source of another file whose different text is stored under ``article``'s id. A
    file's id is its path below the folder named (``news`` for ``a/news.txt`` named alone), so
    two files can share one: the later must not replace the earlier. Ids from JSONL, stdin and
    the web are their provider's, and a new text under one replaces the old."""
    stored = storage.stored_article(db, article.id)
    if (stored is None or stored["content_hash"] == article.content_hash
            or not (is_file_source(article.source) and is_file_source(stored["source"]))
            or storage.same_place(stored["source"], article.source)):
        return None
    return stored["source"]


def ingest(db_path: str, inputs: list[str], workers: int | None = None, models: str | None = None,
           on_error: Callable[[str], None] = print, batch_size: int = BATCH_SIZE,
           on_warning: Callable[[str], None] = print, limits: Limits = Limits(),
           cluster: bool = False) -> IngestReport:
    """Ingest every article of ``inputs`` into the database at ``db_path``, extracting here
    (``workers`` processes) or on a Ray ``cluster``."""
    db = storage.open_db(db_path)
    storage.ensure_db_shape(db)
    report = IngestReport()
    articles = new_articles(db, read_inputs(inputs), report, on_error, on_warning)
    shares = workers or os.cpu_count() or 1  # with --ray and no --workers: at least this machine's CPUs
    batches = batched(articles, batch_size, shares, TOKENIZER_ARTICLES)
    results = extraction_results(batches, workers, models, limits, cluster)
    for result in tqdm(results, unit="article", disable=None, leave=False):
        if isinstance(result, InputError):
            report.errors.append(result.message())
            on_error(result.message())
            continue
        saved = storage.save_extraction(db, result, storage.extractor_version())
        if saved.unchanged:  # stored meanwhile by another ingest
            report.skipped += 1
            continue
        report.articles += 1
        report.quotes += saved.quotes
    rebuild_speakers(db)  # also ensures the database shape
    return report
