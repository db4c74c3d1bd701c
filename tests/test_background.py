"""``intelgame.cli.background.helper_executor``: calls run in other processes; results and
exceptions come back; where no process can start, calls run here."""

from __future__ import annotations

import os

import pytest

from intelgame.cli import background
from intelgame.cli.background import InProcessExecutor, helper_executor
from intelgame.errors import SpecError


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def _fail(text: str) -> None:
    raise SpecError(text)


def test_calls_run_elsewhere() -> None:
    with helper_executor(2) as helpers:
        first, second = helpers.submit(_pid_and_square, 3), helpers.submit(_pid_and_square, 4)
        (pid2, b), (pid1, a) = second.result(), first.result()  # asked for in another order
    assert (a, b) == (9, 16)
    assert os.getpid() not in (pid1, pid2)


def test_an_exception_comes_back() -> None:
    with helper_executor(1) as helpers:
        failing, after = helpers.submit(_fail, "bad input"), helpers.submit(_pid_and_square, 2)
        with pytest.raises(SpecError, match="bad input"):
            failing.result()
        assert after.result()[1] == 4  # the worker keeps serving


def test_without_processes_calls_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(background.multiprocessing, "get_context", refuse)
    with helper_executor(2) as helpers:
        assert isinstance(helpers, InProcessExecutor)
        assert helpers.submit(_pid_and_square, 5).result() == (os.getpid(), 25)
        with pytest.raises(SpecError, match="bad input"):
            helpers.submit(_fail, "bad input").result()
