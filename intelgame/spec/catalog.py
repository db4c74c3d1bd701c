"""The model catalog: the YAML specs shipped with intelgame, found by name.

The specs live in the repository's top-level ``models/`` folder; the wheel ships them as the data
package ``intelgame.models`` (``package-dir`` in ``pyproject.toml``), read here with
:mod:`importlib.resources`. In a source checkout (the package imported from the repository, or
an editable install) ``intelgame/models`` does not exist and the repository's ``models/`` is read
instead. A model's name is its file name without ``.yaml`` (``beer_quiche``).

This module only finds files; :func:`intelgame.spec.load_spec` reads a catalog model when it is
given a name that is not an existing file, and :func:`intelgame.catalog.list_models` describes them.

Examples
--------
>>> "beer_quiche" in model_names()
True
>>> catalog_file("beer_quiche").name
'beer_quiche.yaml'
>>> catalog_file("no_such_model") is None
True
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["SUFFIX", "catalog_directory", "catalog_file", "model_names"]

#: The file name suffix of a catalog model.
SUFFIX = ".yaml"


def catalog_directory() -> Path:
    """The folder of the catalog's YAML files: ``intelgame/models`` of an installed wheel, or
    the repository's ``models/`` in a source checkout."""
    installed = resources.files("intelgame") / "models"
    if isinstance(installed, Path) and installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "models"


def model_names() -> tuple[str, ...]:
    """The names of the catalog's models, sorted."""
    folder = catalog_directory()
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name[: -len(SUFFIX)] for p in folder.iterdir() if p.name.endswith(SUFFIX)))


def catalog_file(name: str) -> Path | None:
    """The file of the catalog model ``name`` (``beer_quiche`` or ``beer_quiche.yaml``), or
    ``None`` when the catalog has no such model."""
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
    if stem not in model_names():
        return None
    return catalog_directory() / f"{stem}{SUFFIX}"
