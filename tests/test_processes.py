"""The process tree read from /proc (``quotes/processes.py``), on real processes."""

import os
import signal
import subprocess
import sys

import pytest

from quotes.processes import descendants

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

# A child that starts a grandchild, says its pid and waits: a tree two levels deep.
PARENT = ("import subprocess, sys, time\n"
          "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
          "print(child.pid, flush=True)\n"
          "time.sleep(60)\n")


def test_descendants_are_children_and_their_children_and_nothing_else():
    child = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        grandchild = int(child.stdout.readline())
        assert descendants(child.pid) == {grandchild}
        assert {child.pid, grandchild} <= descendants(os.getpid())
        assert descendants(grandchild) == set()
    finally:
        os.killpg(child.pid, signal.SIGKILL)  # the session holds the child and the grandchild
        child.wait()
