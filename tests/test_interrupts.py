"""A stop requested by a signal handler is raised again at the solvers' work checks
(:mod:`intelgame.interrupts`): a SIGTERM whose exception a finalizer drops still ends the command."""

from __future__ import annotations

import gc
import os
import signal
import time
from pathlib import Path

import pytest
from games_for_tests import beer_quiche

from intelgame import interrupts
from intelgame.solvers.pbe.enumeration import pbe_solve

ZERO_333 = ("intelgame: 1\nkind: signalling\nname: zero\ntypes: {a: 1/3, b: 1/3, c: 1/3}\nmessages: [x, y, z]\n"
            "actions: [u, v, w]\npayoffs: {sender: '0', receiver: '0'}\n")


def test_a_requested_stop_is_raised_at_the_next_work_check() -> None:
    game = beer_quiche()
    interrupts.request(SystemExit(143))
    try:
        with pytest.raises(SystemExit) as info:
            pbe_solve(game)
        assert info.value.code == 143
    finally:
        interrupts.clear()
    assert len(pbe_solve(game)) > 0  # withdrawn: the same call solves


def test_a_sigterm_dropped_by_a_finalizer_still_ends_the_command(tmp_path: Path) -> None:
    """The child's garbage collector runs a callback that sleeps, so the SIGTERM handler runs
    inside it and its ``SystemExit`` is dropped as unraisable (as in a ``__del__``); the
    solver's next work check raises it again: exit 143, not a run to the budget's end."""
    from intelgame.cli.app import main

    (tmp_path / "g.yaml").write_text(ZERO_333)
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # the dropped exception's report
            gc.callbacks.append(lambda phase, info: time.sleep(0.005) if phase == "start" else None)
            gc.set_threshold(200)
            status = main(["solve", str(tmp_path / "g.yaml"), "--max-work", "1e12"])
        except BaseException:  # noqa: BLE001 - reported by the status
            status = 99
        finally:
            os._exit(status)
    time.sleep(1.5)
    os.kill(pid, signal.SIGTERM)
    start = time.monotonic()
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - start > 30:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("SIGTERM was lost: the solve ran on")
        time.sleep(0.01)
    assert os.waitstatus_to_exitcode(status) == 143
