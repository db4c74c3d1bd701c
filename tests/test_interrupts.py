"""A stop requested by a signal handler is raised again at the solvers' work checks
(:mod:`intelgame.interrupts`): a SIGTERM whose exception a finalizer drops still ends the command."""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from games_for_tests import beer_quiche

import intelgame.cli.app  # noqa: F401 - the module, for the tests that patch it
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
    """SIGTERM raised inside a garbage-collector callback once the solve runs: the handler runs
    there, and its ``SystemExit`` is dropped as unraisable (as in a ``__del__``); the solver's
    next work check raises it again: exit 143, not a run to the budget's end (1e12)."""
    from intelgame.cli.app import main
    from intelgame.cli.stopping import terminate

    (tmp_path / "g.yaml").write_text(ZERO_333)
    err = tmp_path / "err.txt"
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT, 0o644), 2)  # the dropped exception's report
            sys.stderr = open(2, "w", closefd=False)
            sys.unraisablehook = sys.__unraisablehook__  # pytest's would keep the report in memory
            fired: list[bool] = []

            def collecting(phase: str, info: object) -> None:
                if phase == "start" and not fired and signal.getsignal(signal.SIGTERM) is terminate:
                    fired.append(True)
                    signal.raise_signal(signal.SIGTERM)  # the handler runs here, in the callback

            gc.callbacks.append(collecting)
            gc.set_threshold(200)
            status = main(["solve", str(tmp_path / "g.yaml"), "--max-work", "1e12"])
        except BaseException:  # noqa: BLE001 - reported by the status
            status = 99
        finally:
            sys.stderr.flush()
            os._exit(status)
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
    report = err.read_text()
    assert "Exception ignored" in report and "SystemExit: 143" in report, report  # the handler's raise was dropped
    assert os.waitstatus_to_exitcode(status) == 143


def test_a_request_left_by_an_earlier_command_is_withdrawn(capsys: pytest.CaptureFixture[str]) -> None:
    """A request that no command withdrew (a signal between a command's end and its clean-up)
    does not stop the next command of the process, and the next one's end withdraws it."""
    from intelgame.cli.app import main

    interrupts.request(SystemExit(143))
    try:
        assert main(["solve", "beer_quiche"]) == 0
        assert interrupts.pending() is None
    finally:
        interrupts.clear()
    assert "beer" in capsys.readouterr().out


def test_a_request_still_pending_at_the_end_sets_the_status(monkeypatch: pytest.MonkeyPatch) -> None:
    """A signal whose every raise was dropped after the last work check still ends the command
    with its status (143 for SIGTERM, 130 for Ctrl-C)."""
    cli_app = sys.modules["intelgame.cli.app"]
    for stop, code in ((SystemExit(143), 143), (KeyboardInterrupt(), 130)):
        monkeypatch.setattr(cli_app, "_command_status", lambda command, argv, stop=stop: interrupts.request(stop) or 0)
        assert cli_app.main(["validate", "beer_quiche"]) == code
        assert interrupts.pending() is None


def test_a_handler_not_installed_from_python_is_left_as_it_is() -> None:
    """``signal.signal`` returns ``None`` for a handler set outside Python (an embedding host):
    there is nothing to put back, and putting ``None`` back would raise."""
    from intelgame.cli.stopping import install_handlers

    before = signal.getsignal(signal.SIGTERM)
    assert install_handlers({signal.SIGTERM: None}) == {}
    assert signal.getsignal(signal.SIGTERM) is before
