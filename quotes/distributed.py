"""Extraction on a Ray cluster: ``quotes ingest --ray``.

The same batches as the local path (``quotes.ingest``) go to Ray tasks instead of a process
pool; the results stream back, in input order, to the one SQLite writer in the driver, which
keeps every local guarantee (one transaction per article, unchanged articles skipped, bad
inputs one line each, a killed run resumable).

Why this shape:
- Ray tasks, not actors: a task lost with its worker or node is retried by Ray on any node
  with a free CPU (``TASK_RETRIES``), which a pool of actors would have to re-implement;
  Ray keeps worker processes alive between tasks, and the pipeline is cached per process
  (``quotes.nlp.get_pipeline``), so each worker still loads the models only once;
- one CPU per task and one torch thread, as in the local workers;
- at most ``IN_FLIGHT_PER_CPU`` batches per CPU are submitted and not yet stored, so the
  driver's memory stays flat however large the corpus and however fast the cluster;
- ``RAY_ADDRESS`` names an existing cluster (Ray's own convention; ``ray start --head`` prints
  it); without it a private local instance is started on the loopback interface and shut
  down at the end. Ray's other fallback, the last cluster recorded under /tmp/ray, is not
  used: after a killed run that record names a dead cluster and ``ray.init`` hangs on it.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING

from .articles import InputError
from .models import Article, Extraction

if TYPE_CHECKING:
    from .ingest import Limits

IN_FLIGHT_PER_CPU = 2
TASK_RETRIES = 3  # a batch whose worker or node dies is tried again elsewhere this many times
FORWARDED_ENVIRONMENT = ("QUOTES_MODELS", "QUOTES_DEVICE", "QUOTES_SPEEDUPS")
CONNECT_TIMEOUT = 10  # seconds to reach RAY_ADDRESS before saying it does not answer
# Ray binds a local instance to the machine's network address unless told it is not a cluster
# node; read by Ray when it is imported.
LOOPBACK_ONLY = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"


class ClusterUnavailable(Exception):
    """Ray is not installed, or the cluster named by RAY_ADDRESS does not answer: one line."""


def import_ray() -> ModuleType:
    """Ray, or one line saying how to install it. Without RAY_ADDRESS the run will start its
    own instance, which should serve this machine only: Ray reads that wish at import."""
    if not os.environ.get("RAY_ADDRESS"):
        os.environ.setdefault(LOOPBACK_ONLY, "0")
    try:
        import ray
    except ImportError:
        raise ClusterUnavailable("--ray needs Ray, which is not installed: pip install 'quotes[ray]'") from None
    return ray


def check_answers(address: str) -> None:
    """Fail in one line, and at once, when RAY_ADDRESS names no listening host: ``ray.init``
    would retry for minutes. Ray Client addresses (``ray://``) are left to Ray."""
    if address.startswith("ray://") or address in ("auto", "local"):
        return
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
    except (OSError, ValueError) as error:
        raise ClusterUnavailable(f"RAY_ADDRESS {address}: no Ray cluster answers there ({error})") from None


@contextmanager
def ray_session() -> Iterator[ModuleType]:
    """Ray, connected to RAY_ADDRESS's cluster or to a local instance started here; a session
    opened here is closed here (a local instance with it)."""
    ray = import_ray()
    if ray.is_initialized():  # the caller manages its own connection
        yield ray
        return
    address = os.environ.get("RAY_ADDRESS")
    if address:
        check_answers(address)
    forwarded = {name: os.environ[name] for name in FORWARDED_ENVIRONMENT if name in os.environ}
    on_terminate = signal.getsignal(signal.SIGTERM)
    ray.init(address=address or "local", include_dashboard=False, log_to_driver=False,
             logging_level=logging.ERROR, runtime_env={"env_vars": forwarded} if forwarded else None)
    restore_handler(signal.SIGTERM, on_terminate)
    try:
        yield ray
    finally:
        ray.shutdown()


def restore_handler(signum: int, handler) -> None:
    """Put back a Python signal handler that ``ray.init`` displaced: Ray installs a native
    crash handler that dumps a stack and ends the driver on SIGTERM, where ``quotes ingest``
    stops like Ctrl-C (each stored article whole, 'Aborted!')."""
    if callable(handler) and threading.current_thread() is threading.main_thread():
        signal.signal(signum, handler)


def extract_in_worker(batch: list[Article], models: str | None, limits: Limits) -> list[Extraction | InputError]:
    """One Ray task. The worker process loads the pipeline on its first task and keeps it."""
    import torch

    from .ingest import extract_batch, load_models

    torch.set_num_threads(1)
    load_models(models)
    return extract_batch(batch, models, limits)


def cluster_extraction_results(batches: Iterator[list[Article]], workers: int | None, models: str | None,
                               limits: Limits) -> Iterator[Extraction | InputError]:
    """Extraction results in input order, computed on the Ray cluster, with at most
    ``IN_FLIGHT_PER_CPU`` batches per CPU (``workers`` CPUs, or the cluster's) not yet stored."""
    with ray_session() as ray:
        task = ray.remote(num_cpus=1, max_retries=TASK_RETRIES)(extract_in_worker)
        pending: deque = deque()
        try:
            for batch in batches:
                pending.append((batch, task.remote(batch, models, limits)))
                while len(pending) >= IN_FLIGHT_PER_CPU * (workers or cluster_cpus(ray)):
                    yield from batch_results(ray, *pending.popleft())
            while pending:
                yield from batch_results(ray, *pending.popleft())
        except BaseException:  # Ctrl-C, SIGTERM, an error: nothing more is computed for us
            for _, ref in pending:
                ray.cancel(ref, force=True)
            raise


def cluster_cpus(ray: ModuleType) -> int:
    """The CPUs the cluster has now (it may grow or shrink during a run)."""
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def batch_results(ray: ModuleType, batch: list[Article], ref) -> list[Extraction | InputError]:
    """A batch's results; a batch that failed on every try is one error line per article
    (nothing stored for them, so the next run tries them again)."""
    from .nlp import ModelsMissing

    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as error:
        if isinstance(error.cause, ModelsMissing):
            raise error.cause from None
        reason = f"extraction failed on the cluster: {type(error.cause).__name__}: {error.cause}"
    except ray.exceptions.RayError as error:  # its worker or node died on every try
        reason = f"extraction failed on the cluster: {type(error).__name__}"
    return [InputError(path=article.source or article.id, reason=reason) for article in batch]
