"""``python -m intelgame.cli``: the console script."""

from intelgame.cli.app import console_main

if __name__ == "__main__":  # pragma: no cover
    console_main()
