"""`quotes ingest --ray` on a real Ray cluster of two nodes on this machine
(``ray.cluster_utils.Cluster``): the database must be the local path's, whatever dies mid-run."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.processes import descendants, still_alive_after

# A test cluster lives on the loopback interface only; Ray reads this when it is imported.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'quotes[ray]')")
from ray.cluster_utils import Cluster  # noqa: E402

pytestmark = pytest.mark.slow
TIMESTAMPS = {"ingested_at", "created_at"}


def database_contents(path: Path) -> dict[str, list[dict]]:
    """Every row of every table but the full-text indexes (derived from the rows) and the
    columns that record when a row was written."""
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        tables = [name for (name,) in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like '%fts%' "
            "and name not like 'sqlite_%'")]
        contents = {}
        for table in tables:
            columns = [row[1] for row in conn.execute(f"pragma table_info([{table}])") if row[1] not in TIMESTAMPS]
            selected = ", ".join(f"[{c}]" for c in columns)
            contents[table] = sorted((dict(row) for row in conn.execute(f"select {selected} from [{table}]")),
                                     key=repr)
    return contents


@pytest.fixture(scope="module")
def local_contents(tmp_path_factory, examples_dir) -> dict[str, list[dict]]:
    """The examples ingested the local way, one worker."""
    db_path = tmp_path_factory.mktemp("local") / "local.db"
    result = CliRunner().invoke(cli, ["ingest", "--db", str(db_path), "--workers", "1", str(examples_dir)])
    assert result.exit_code == 0, result.output
    return database_contents(db_path)


@pytest.fixture
def cluster():
    """A head and one more node, one CPU each."""
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    worker_node = cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    yield cluster, worker_node
    cluster.shutdown()


def ray_ingest(cluster: Cluster, db_path: Path, examples_dir: Path) -> subprocess.Popen:
    """`quotes ingest --ray` in its own process (the driver), one article per batch."""
    return subprocess.Popen([sys.executable, "-m", "quotes", "ingest", "--ray", "--batch-size", "1",
                             "--db", str(db_path), str(examples_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "RAY_ADDRESS": cluster.address})


def finish(process: subprocess.Popen, timeout: float = 300) -> str:
    stdout, stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    return stdout


def extracting_on(node) -> bool:
    """Whether a worker process of ``node`` is running an extraction task (Ray names a busy
    worker process after its task)."""
    raylet = node.all_processes[ray._private.ray_constants.PROCESS_TYPE_RAYLET][0].process.pid
    return any(command_line(pid).startswith(b"ray::extract_in_worker") for pid in descendants(raylet))


def command_line(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


def wait_for(condition, what: str, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.time() + timeout
    while not condition():
        assert process.poll() is None, f"ingest ended before {what}: {process.communicate()}"
        assert time.time() < deadline, f"no {what} in {timeout} s"
        time.sleep(0.1)


def test_a_two_node_cluster_gives_the_local_database(cluster, tmp_path, examples_dir, local_contents):
    head_and_worker, _ = cluster
    db_path = tmp_path / "ray.db"
    output = finish(ray_ingest(head_and_worker, db_path, examples_dir))
    assert "5 articles ingested (0 unchanged)" in output
    assert database_contents(db_path) == local_contents


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_node_removed_mid_run_gives_the_same_database(cluster, tmp_path, examples_dir, local_contents):
    head_and_worker, worker_node = cluster
    db_path = tmp_path / "ray.db"
    process = ray_ingest(head_and_worker, db_path, examples_dir)
    wait_for(lambda: extracting_on(worker_node), "extraction on the second node", process)
    head_and_worker.remove_node(worker_node)
    finish(process)
    assert database_contents(db_path) == local_contents


def test_a_killed_driver_leaves_whole_articles_and_a_rerun_completes(cluster, tmp_path, examples_dir,
                                                                     local_contents, stored_articles):
    head_and_worker, _ = cluster
    db_path = tmp_path / "ray.db"
    process = ray_ingest(head_and_worker, db_path, examples_dir)
    wait_for(lambda: stored_articles(db_path) >= 1, "a stored article", process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = database_contents(db_path)
    assert 1 <= len(partial["articles"]) < 5
    stored = {article["id"] for article in partial["articles"]}  # each with all its quotes
    assert [unlinked(q) for q in partial["quotes"]] == \
        [unlinked(q) for q in local_contents["quotes"] if q["article_id"] in stored]

    output = finish(ray_ingest(head_and_worker, db_path, examples_dir))
    assert f"{5 - len(stored)} articles ingested ({len(stored)} unchanged)" in output
    assert database_contents(db_path) == local_contents


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_a_run_on_a_local_instance_like_ctrl_c(tmp_path, examples_dir, stored_articles):
    """No RAY_ADDRESS: the run starts its own Ray instance, and SIGTERM ends the run and the
    instance (Ray's own crash handler would otherwise take the signal)."""
    db_path = tmp_path / "local.db"
    environment = {name: value for name, value in os.environ.items() if name != "RAY_ADDRESS"}
    process = subprocess.Popen([sys.executable, "-m", "quotes", "ingest", "--ray", "--batch-size", "1",
                                "--db", str(db_path), str(examples_dir)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    wait_for(lambda: stored_articles(db_path) >= 1, "a stored article", process)
    instance = descendants(process.pid)
    process.terminate()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr.strip().splitlines()[-1] == "Aborted!" and "Traceback" not in stderr
    assert not still_alive_after(instance, 30), "the local Ray instance outlived its run"
    assert 1 <= len(database_contents(db_path)["articles"]) < 5


def test_without_ray_the_flag_says_how_to_install_it(tmp_path, examples_dir):
    """Ray hidden from the import system, as on an install without the extra."""
    hide_ray = ("import sys; sys.modules['ray'] = None; from quotes.cli import cli; "
                "cli(['ingest', '--ray', '--db', sys.argv[1], sys.argv[2]])")
    result = subprocess.run([sys.executable, "-c", hide_ray, str(tmp_path / "q.db"), str(examples_dir)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: --ray needs Ray, which is not installed: pip install 'quotes[ray]'"
    assert not (tmp_path / "q.db").exists()


def test_an_address_nobody_answers_is_one_line(tmp_path, examples_dir):
    address = unused_loopback_address()
    result = subprocess.run([sys.executable, "-m", "quotes", "ingest", "--ray", "--db", str(tmp_path / "q.db"),
                             str(examples_dir)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "RAY_ADDRESS": address})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: RAY_ADDRESS {address}: no Ray cluster answers there")


def unlinked(quote: dict) -> dict:
    """A quote without its links to the speaker registry, which is rebuilt at the end of a run."""
    return {column: value for column, value in quote.items() if column not in ("speaker_id", "speaker")}


def unused_loopback_address() -> str:
    """A loopback port that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"
