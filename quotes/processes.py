"""The processes below a process, as Linux's /proc lists them.

`quotes ingest` extracts in worker processes, and multiprocessing adds a resource tracker, so
what a run costs and whether it cleans up after itself are questions about its whole process
tree, not about the one process started: the tests check that the workers die with their
parent, the memory benchmarks add up the tree's resident memory. Linux only; elsewhere (no
/proc) a process has no known descendants."""

from __future__ import annotations

import time
from pathlib import Path


def descendants(pid: int) -> set[int]:
    """Every process below ``pid``: its children, theirs, and so on."""
    children = children_by_parent()
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def children_by_parent() -> dict[int, list[int]]:
    """Each running process's children, from every /proc/PID/stat (a process that ends while
    it is read is left out)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name in brackets may hold spaces and ")": the fields after its last ")"
            # are state, then parent pid.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (a zombie, ended but not yet reaped, is not)."""
    running = set()
    for pid in pids:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                running.add(pid)
        except OSError:
            continue
    return running


def still_alive_after(pids: set[int], seconds: float) -> set[int]:
    """Those of ``pids`` still running once ``seconds`` have passed (or sooner, when none is)."""
    deadline = time.monotonic() + seconds
    while (running := alive(pids)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return running
