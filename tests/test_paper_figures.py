"""Figures for papers (issue 19, item 5): spec labels, ``sweep --plot`` (a quantity against one
parameter, heat maps over two), figure formats, readable legends."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from intelgame.cli.app import main
from intelgame.errors import SpecError
from intelgame.output.figures import OTHER_CURVES, curve_groups, phase_diagram
from intelgame.output.frames import read_sweep
from intelgame.output.sweep_plots import dominant_values, figure_name
from intelgame.spec import load_spec, parse_spec
from intelgame.sweep import parse_grid, run_sweep
from intelgame.sweep.summary import DOMINANT_LABELS, DOMINANT_METRICS
from test_cli import BEER_QUICHE

MARKET = "models/intelligence_market.yaml"
# beer-quiche with labels on the game and on a parameter
LABELLED = BEER_QUICHE.replace("name: beer-quiche\n", 'name: bq\nlabel: "Beer & quiche"\n').replace(
    "parameters: {p: 1/10}", 'parameters:\n  p: {value: "1/10", range: [0, 1], label: "prior of the weak type"}\n  q: 2')


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_labels_of_the_game_and_its_parameters() -> None:
    spec = parse_spec(LABELLED)
    assert (spec.title, spec.parameter_label("p"), spec.parameter_label("q")) == ("Beer & quiche",
                                                                                 "prior of the weak type", "q")
    assert spec.ranges == {"p": (0, 1)}
    plain = parse_spec(LABELLED.replace('label: "Beer & quiche"\n', ""))
    assert plain.title == "bq"


@pytest.mark.parametrize(("old", "new", "line", "key"), [
    ('label: "prior of the weak type"', "label: 3", 6, "parameters.p.label"),
    ('label: "Beer & quiche"', 'label: ""', 4, "label"),
    ('label: "Beer & quiche"', 'label: [a]', 4, "label"),
    ('label: "prior of the weak type"', 'label: "two\\nlines"', 6, "parameters.p.label"),
    ('range: [0, 1],', 'range: [0, 1], lable: x,', 6, "parameters.p.lable"),
])
def test_bad_labels_are_named_by_file_line_and_key(old: str, new: str, line: int, key: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(LABELLED.replace(old, new), file="bq.yaml")
    assert (caught.value.file, caught.value.line, caught.value.key) == ("bq.yaml", line, key)


def test_catalog_models_label_their_figures() -> None:
    spec = load_spec(MARKET)
    assert spec.title != spec.name and spec.parameter_label("c") != "c"


def test_curve_legend_groups_equal_labels_names_blank_ones_and_caps_the_rest() -> None:
    labels = ["c*(v)", "c threshold: ", "", "c threshold: x", "c threshold: x", *(f"t{i}" for i in range(30))]
    groups = curve_groups(labels, limit=5)
    assert groups[:5] == ["c*(v)", "c threshold", "threshold", "c threshold: x", "c threshold: x"]
    assert groups[5] == "t0" and set(groups[6:]) == {OTHER_CURVES}
    assert len(set(groups)) == 6 and "" not in groups


def _svg_texts(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_phase_diagram_legend_lists_what_appears_and_caps_many_curves(tmp_path: Path) -> None:
    summary = run_sweep(load_spec(MARKET), [parse_grid("c=0:1:5"), parse_grid("v=0:1:4")], tmp_path / "s")
    present = {DOMINANT_LABELS[int(c)] for c in np.unique(summary.dominant["label"])}
    curves = [(f"c threshold: kind {i}", lambda v: v) for i in range(36)] + [("", lambda v: v / 2)]
    path = phase_diagram(summary, "c", "v", tmp_path / "map.svg", curves=curves, title="T")
    text = _svg_texts(path)
    for label in DOMINANT_LABELS:
        assert (f"<!-- {label} -->" in text) == (label in present), label
    assert text.count("<!-- c threshold: kind") == 5 and f"<!-- {OTHER_CURVES} -->" in text
    assert "<dc:date>" not in text  # no creation date: the same figure, the same file


def test_heat_map_values_are_those_of_the_phase_diagram(tmp_path: Path) -> None:
    summary = run_sweep(load_spec(MARKET), [parse_grid("c=0:1:11"), parse_grid("v=0:1:7")], tmp_path / "s")
    frame = read_sweep(tmp_path / "s")
    for metric in DOMINANT_METRICS:  # the CSV holds rounded floats
        (cs, vs), values = dominant_values(frame, ["c", "v"], metric)
        assert np.allclose(values, summary.dominant[metric], rtol=1e-9, atol=1e-12, equal_nan=True), metric
    assert np.allclose(cs, summary.axis("c").to_array()) and np.allclose(vs, summary.axis("v").to_array())


def test_figure_names_are_file_names() -> None:
    assert figure_name("map", "sigma[threat][warn]", "png") == "map_sigma_threat_warn.png"
    assert figure_name("map", "a/../b", "svg") == "map_a_b.svg"


def test_one_parameter_sweep_plots_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain, plotted = tmp_path / "plain", tmp_path / "plotted"
    assert run(capsys, "sweep", MARKET, "--grid", "c=0:1:6", "--out", str(plain))[0] == 0
    code, out, err = run(capsys, "sweep", MARKET, "--grid", "c=0:1:6", "--out", str(plotted), "--plot",
                         "rho[warn][alert]", "--plot", "count", "--figure-format", "svg")
    assert code == 0 and err == "", err
    assert "quantities -> " in out
    text = _svg_texts(plotted / "quantities.svg")
    assert "rho[warn][alert]" in text and "client&#39;s concession c" in text.replace("'", "&#39;")
    assert (plain / "sweep.csv").read_bytes() == (plotted / "sweep.csv").read_bytes()
    assert sorted(p.name for p in plain.iterdir()) == ["sweep.csv"]  # without --plot: no figure, as before


def test_two_parameter_sweep_draws_heat_maps_as_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sweep", MARKET, "--grid", "c=0:1:4", "--grid", "v=0:1:3", "--no-curves",
                       "--out", str(tmp_path), "--plot", "sigma[no_threat][warn]", "--figure-format", "pdf")
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map_sigma_no_threat_warn.pdf", "phase_diagram.pdf",
                                                         "sweep.csv"]
    assert (tmp_path / "phase_diagram.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("args", "message"), [
    (["--plot", "nope"], "'nope' is not a column of this sweep"),
    (["--plot", "quality"], "'quality' is not a number"),
    (["--plot", "count", "--grid", "v=0:1:2", "--grid", "rho=1:2:2"], "one or two parameters"),
    (["--figure-format", "gif"], "--figure-format"),
])
def test_bad_plots_are_refused_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               args: list[str], message: str) -> None:
    out = tmp_path / "out"
    code, _, err = run(capsys, "sweep", MARKET, "--grid", "c=0:1:3", "--out", str(out), *args)
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()
