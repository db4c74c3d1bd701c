"""The catalog of published games shipped with intelgame: each model's name, kind, shape and
description (with its citation).

A catalog model is loaded by name wherever a spec file is expected: ``intelgame.load_spec
("beer_quiche")``, ``intelgame solve beer_quiche``; the files are found by
:mod:`intelgame.spec.catalog`.

Examples
--------
>>> entry = next(e for e in list_models() if e.name == "beer_quiche")
>>> entry.kind, entry.shape
('signalling', '2x2x2')
>>> entry.description.startswith("Cho, I.-K. and Kreps")
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from intelgame.spec import NormalSpec, Spec, load_spec
from intelgame.spec.catalog import catalog_file, model_names

__all__ = ["CatalogEntry", "list_models", "shape_of"]


@dataclass(frozen=True)
class CatalogEntry:
    """One model of the catalog: ``name`` (what :func:`~intelgame.spec.load_spec` accepts),
    the spec's own ``title`` (its ``name:`` key), ``kind``, ``shape`` (types x messages x
    actions, or rows x columns) and ``description``."""

    name: str
    title: str
    kind: str
    shape: str
    description: str
    path: Path

    def to_dict(self) -> dict[str, str]:
        """The entry as JSON-ready strings."""
        return {"name": self.name, "title": self.title, "kind": self.kind, "shape": self.shape,
                "description": self.description, "path": str(self.path)}


def shape_of(spec: Spec) -> str:
    """``"2x2x2"`` (types x messages x actions) or ``"2x2"`` (row x column strategies)."""
    if isinstance(spec, NormalSpec):
        sizes = [len(spec.strategies[p]) for p in spec.players]
    else:
        sizes = [len(spec.types), len(spec.messages), len(spec.actions)]
    return "x".join(map(str, sizes))


def list_models() -> tuple[CatalogEntry, ...]:
    """Every model of the catalog, by name."""
    entries = []
    for name in model_names():
        path = catalog_file(name)
        assert path is not None
        spec = load_spec(path)
        entries.append(CatalogEntry(name=name, title=spec.name, kind=spec.kind, shape=shape_of(spec),
                                    description=" ".join(spec.description.split()), path=path))
    return tuple(entries)
