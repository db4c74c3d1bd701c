"""The ``intelgame`` command line: :mod:`~intelgame.cli.app` (the typer commands, a thin layer
over the public API) and :mod:`~intelgame.cli.background` (its helper processes)."""

from intelgame.cli.app import app, console_main, main

__all__ = ["app", "console_main", "main"]
