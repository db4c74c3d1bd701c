"""The model catalog ships in the wheel and is loaded by name from any folder (issue 19,
SPEC.md section 4): ``intelgame models``, ``load_spec("beer_quiche")``, ``intelgame solve
beer_quiche``; the wheel's package list covers every package of intelgame/."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

import intelgame
from intelgame.cli.app import main
from intelgame.spec import load_spec
from intelgame.spec.catalog import catalog_file, model_names

ROOT = Path(__file__).resolve().parents[1]


def test_catalog_is_the_models_folder() -> None:
    assert model_names() == tuple(sorted(p.stem for p in (ROOT / "models").glob("*.yaml")))
    assert [e.name for e in intelgame.list_models()] == list(model_names())
    entry = next(e for e in intelgame.list_models() if e.name == "intelligence_market")
    assert (entry.title, entry.kind, entry.shape) == ("intelligence-market", "signalling", "2x2x2")
    assert entry.description.startswith("Chang, K. (2023)")


def test_a_name_loads_from_any_folder_and_a_file_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_spec("beer_quiche").name == "beer-quiche"
    assert load_spec("beer_quiche.yaml").name == "beer-quiche"
    assert intelgame.load_spec("prisoners_dilemma").kind == "normal"
    (tmp_path / "beer_quiche").write_text((ROOT / "models" / "prisoners_dilemma.yaml").read_text())
    assert load_spec("beer_quiche").name == "prisoners-dilemma"  # an existing file is read, not the catalog
    assert catalog_file("no_such_model") is None


def test_cli_solves_a_catalog_model_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["solve", "beer_quiche", "--json", "--exact"]) == 0
    assert len(json.loads(capsys.readouterr().out)["equilibria"]) == 4
    assert main(["validate", "matching_pennies"]) == 0
    assert "valid normal game" in capsys.readouterr().out
    assert main(["solve", "no_such_model"]) == 2
    assert "intelgame models" in capsys.readouterr().err


def test_models_command_lists_every_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [e["name"] for e in listed] == list(model_names())
    assert all(e["description"] and e["shape"] for e in listed)
    assert main(["models"]) == 0
    assert "beer_quiche" in capsys.readouterr().out


def test_the_wheel_lists_every_package_and_ships_the_models() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = {".".join(p.relative_to(ROOT).parent.parts) for p in (ROOT / "intelgame").rglob("__init__.py")}
    assert set(config["packages"]) == packages | {"intelgame.models"}
    assert config["package-dir"] == {"intelgame.models": "models"}
    assert config["package-data"]["intelgame.models"] == ["*.yaml"]
