"""A parallel sweep that is interrupted leaves no process behind (issue #13): the pool's workers
are terminated when the run is stopped, a worker being started when the signal arrives is in the
pool's table (the signal waits for the start to finish), and a worker ends by itself when the
process that started the pool dies without stopping it (SIGKILL). Each test names the worker
processes by the pids they write, and waits a bounded time for them to be gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from intelgame.sweep.executors import _signals_deferred, run_in_order

LINUX_PROC = Path("/proc/self/stat").exists()
REPO = Path(__file__).resolve().parents[1]
WAIT = 15.0


def record_and_sleep(task: tuple[str, float]) -> int:
    """Write this worker's pid and its parent's (the forkserver) to a file in ``task[0]``, then
    sleep ``task[1]`` seconds (module level: it runs in a pool worker)."""
    folder, seconds = task
    if seconds:
        Path(folder, f"{os.getpid()}.pid").write_text(f"{os.getpid()} {os.getppid()}")
    time.sleep(seconds)
    return os.getpid()


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not exited (a zombie, exited but not yet reaped by
    its new parent, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def gone(pids: set[int]) -> bool:
    """Wait up to :data:`WAIT` seconds for every process of ``pids`` to be gone."""
    deadline = time.monotonic() + WAIT
    while any(map(running, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(map(running, pids))


def worker_pids(folder: Path, count: int) -> tuple[set[int], set[int]]:
    """The pids of the ``count`` workers that wrote to ``folder`` and of their parents, once they did."""
    deadline = time.monotonic() + WAIT
    while len(list(folder.glob("*.pid"))) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    pairs = [tuple(map(int, f.read_text().split())) for f in folder.glob("*.pid")]
    assert len(pairs) >= count, "the workers did not start"
    return {p for p, _ in pairs}, {q for _, q in pairs}


@pytest.mark.skipif(not LINUX_PROC, reason="reads /proc")
def test_stopping_a_parallel_run_terminates_its_workers(tmp_path: Path) -> None:
    """Closed early (as on Ctrl-C or SIGTERM), the run terminates both workers in the middle of
    their 60-second tasks. It terminated none before: it read the pool's process table after
    ``shutdown``, which empties it, and the workers ran their tasks to the end."""

    def tasks(parallelism: int) -> Iterator[tuple[str, float]]:
        assert parallelism == 2
        yield str(tmp_path), 0.0
        for _ in range(6):
            yield str(tmp_path), 60.0

    results = run_in_order(record_and_sleep, tasks, "processes", 2, None)
    first = next(results)
    workers, _ = worker_pids(tmp_path, 2)
    assert first > 0
    started = time.monotonic()
    results.close()
    assert time.monotonic() - started < WAIT  # not waiting for the tasks
    assert gone(workers)


@pytest.mark.skipif(not LINUX_PROC, reason="reads /proc")
def test_workers_end_when_the_process_that_started_them_is_killed(tmp_path: Path) -> None:
    """A pool whose parent dies without stopping it (SIGKILL: no handler runs) ends: its workers
    watch the parent, and the forkserver ends once the parent and the workers are gone."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_sweep_interrupt import record_and_sleep
        from intelgame.sweep.executors import run_in_order

        def tasks(parallelism):
            for _ in range(6):
                yield {str(tmp_path)!r}, 60.0

        if __name__ == "__main__":
            for _ in run_in_order(record_and_sleep, tasks, "processes", 2, None):
                pass
    """)
    path = tmp_path / "pool.py"
    path.write_text(script)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen([sys.executable, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=environment)
    try:
        workers, servers = worker_pids(tmp_path, 2)
    finally:
        process.kill()
    _, err = process.communicate(timeout=WAIT)  # the pipe closes only when the workers and the server are gone
    assert gone(workers | servers)
    assert b"Traceback" not in err, err


def test_signals_wait_for_the_end_of_a_deferred_block() -> None:
    """SIGTERM (and SIGINT) arriving in the block run their handler when the block ends, once.
    Both handlers are set here: an earlier test in the same worker may have left SIGINT ignored
    (one full run found SIG_IGN there, set by none of intelgame's code)."""
    seen: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda number, _: seen.append(number))
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with _signals_deferred():
            signal.raise_signal(signal.SIGTERM)
            signal.raise_signal(signal.SIGTERM)
            assert seen == []
        assert seen == [signal.SIGTERM]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        with pytest.raises(KeyboardInterrupt):
            with _signals_deferred():
                signal.raise_signal(signal.SIGINT)
                seen.append(0)
        assert seen == [signal.SIGTERM, 0]
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
