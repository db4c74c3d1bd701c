"""``intelgame.cli.background.Background``: calls run in another process, in order; results and
exceptions come back; where no process can start, calls run here."""

from __future__ import annotations

import os

import pytest

from intelgame.cli import background
from intelgame.cli.background import Background
from intelgame.errors import SpecError


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def _fail(text: str) -> None:
    raise SpecError(text)


def test_calls_run_elsewhere_in_order() -> None:
    helper = Background()
    try:
        first, second = helper.submit(_pid_and_square, 3), helper.submit(_pid_and_square, 4)
        (pid2, b), (pid1, a) = second(), first()  # asked for in another order
    finally:
        helper.close()
    assert (a, b) == (9, 16)
    assert pid1 == pid2 != os.getpid()


def test_an_exception_comes_back() -> None:
    helper = Background()
    try:
        failing, after = helper.submit(_fail, "bad input"), helper.submit(_pid_and_square, 2)
        with pytest.raises(SpecError, match="bad input"):
            failing()
        assert after()[1] == 4  # the child keeps serving
    finally:
        helper.close()


def test_without_processes_calls_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(background.multiprocessing, "get_context", refuse)
    helper = Background()
    assert helper.submit(_pid_and_square, 5)() == (os.getpid(), 25)
    helper.close()
