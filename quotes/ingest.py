"""Ingestion at volume: stream articles, extract in worker processes, write with one writer.

Why this shape:
- stanza is fastest on batches of documents, so articles travel in batches;
- worker processes each load the pipeline once (one torch thread each) and only extract;
- the main process is the single SQLite writer and saves each article in its own transaction,
  so a run killed at any moment leaves whole articles only, and the next run skips them;
- at most a few batches are in flight, so memory stays bounded on huge folders.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

from tqdm import tqdm

from . import db as storage
from .articles import InputError, read_inputs
from .models import Article, Extraction
from .registry import rebuild_speakers

BATCH_SIZE = 8


@dataclass
class IngestReport:
    articles: int = 0
    skipped: int = 0
    quotes: int = 0
    errors: list[str] = field(default_factory=list)


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_batch(articles: list[Article], models: str | None = None) -> list[Extraction | InputError]:
    """Extract a batch; if the batch fails, retry article by article so one bad text can't sink the rest."""
    from .pipeline import extract

    try:
        return list(extract(articles, models))
    except Exception:  # a stanza failure on one odd text: isolate it below
        if len(articles) == 1:
            error = sys.exc_info()[1]
            return [InputError(path=articles[0].source or articles[0].id,
                               reason=f"extraction failed: {type(error).__name__}: {error}")]
    return [result for article in articles for result in extract_batch([article], models)]


def _init_worker(models: str | None) -> None:
    """Each worker process: one torch thread, the pipeline loaded once."""
    import torch

    from .nlp import get_pipeline

    torch.set_num_threads(1)
    get_pipeline(models)


def extraction_results(batches: Iterator[list[Article]], workers: int,
                       models: str | None) -> Iterator[Extraction | InputError]:
    """Extraction results in input order, with at most 2 batches per worker in flight."""
    if workers <= 1:
        for batch in batches:
            yield from extract_batch(batch, models)
        return
    context = get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(models,)) as pool:
        pending: deque[Future] = deque()
        for batch in batches:
            pending.append(pool.submit(extract_batch, batch, models))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def new_articles(db, items: Iterable[Article | InputError], report: IngestReport,
                 on_error: Callable[[str], None]) -> Iterator[Article]:
    """Articles not yet stored with this extractor version; errors reported as they come."""
    for item in items:
        if isinstance(item, InputError):
            report.errors.append(item.message())
            on_error(item.message())
        elif storage.article_is_current(db, item, storage.extractor_version()):
            report.skipped += 1
        else:
            yield item


def ingest(db_path: str, inputs: list[str], workers: int | None = None, models: str | None = None,
           on_error: Callable[[str], None] = print, batch_size: int = BATCH_SIZE) -> IngestReport:
    """Ingest every article of ``inputs`` into the database at ``db_path``."""
    workers = workers or os.cpu_count() or 1
    db = storage.open_db(db_path)
    storage.ensure_db_shape(db)
    report = IngestReport()
    articles = new_articles(db, read_inputs(inputs), report, on_error)
    results = extraction_results(batched(articles, batch_size), workers, models)
    for result in tqdm(results, unit="article", disable=None, leave=False):
        if isinstance(result, InputError):
            report.errors.append(result.message())
            on_error(result.message())
            continue
        saved = storage.save_extraction(db, result, storage.extractor_version())
        report.articles += 1
        report.quotes += saved.quotes
    rebuild_speakers(db)  # also ensures the database shape
    return report
