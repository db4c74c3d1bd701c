"""The ``intelgame`` package imports its public names on first use: each one resolves, and
importing the CLI loads no numpy (so it can choose numpy's BLAS threads first)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import intelgame


def test_every_public_name_resolves_from_its_module() -> None:
    assert sorted(intelgame._HOMES) == sorted(intelgame.__all__)
    for name in intelgame.__all__:
        value = getattr(intelgame, name)
        assert value is getattr(sys.modules[intelgame._HOMES[name]], name)
    assert set(intelgame.__all__) <= set(dir(intelgame))


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        intelgame.nope  # type: ignore[attr-defined]  # noqa: B018


def test_importing_the_cli_loads_no_numpy_and_sets_one_blas_thread() -> None:
    code = ("import os, sys; os.environ.pop('OPENBLAS_NUM_THREADS', None); import intelgame.cli.app; "
            "print('numpy' in sys.modules, os.environ['OPENBLAS_NUM_THREADS'])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "1"]
