"""Reproduce Chang (2023): the claims C1-C8 of docs/MODEL.md, checked one by one.

Every number here comes from the general solver run on the YAML specs
``models/intelligence_market.yaml`` and ``models/taepodong_1998.yaml`` (exact arithmetic at the
checked points, the float path for the figures' fine grids), and every threshold from the
symbolic analysis of the same specs. The closed forms of MODEL.md appear nowhere in this module:
the tests compare the numbers it reports against them.
"""

from __future__ import annotations

import json
from textwrap import shorten
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from rich.console import Console
from rich.progress import Progress

from intelgame.analysis.quality import Quality, assess
from intelgame.analysis.two_stage import interpretation_of, stage_solve
from intelgame.errors import SolverError, SpecError
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.output.files import new_folder, write_atomically
from intelgame.output.numbers import format_number
from intelgame.paper.commitment import CommitmentSection, commitment_markdown, commitment_section
from intelgame.paper.refinement_survivors import SurvivorRow, survivor_markdown, survivor_rows
from intelgame.solvers.pbe.result import PBEResult
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import load_spec
from intelgame.spec.catalog import catalog_file
from intelgame.spec.expressions import Expression, parse_expression
from intelgame.spec.loader import resolve_parameters
from intelgame.spec.model import SignallingSpec

#: The catalog models of the reproduction (intelgame.spec.catalog): the model and the 1998 case.
MODEL = "intelligence_market"
CASE = "taepodong_1998"
#: The parameters the reproduction's figures vary (a ``--set`` of either is refused with figures).
VARIED = ("c", "v")


@dataclass(frozen=True)
class Claim:
    """One claim's verdict and the numbers behind it."""

    key: str
    title: str
    passed: bool
    evidence: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reproduction:
    claims: tuple[Claim, ...]
    markdown_path: Path
    json_path: Path
    figures: tuple[Path, ...]
    survivors: tuple[SurvivorRow, ...] = ()


def catalog_spec(name: str) -> SignallingSpec:
    """The catalog model ``name`` (shipped in the wheel: the reproduction runs from any folder)."""
    path = catalog_file(name)
    if path is None:
        raise SpecError(f"the catalog has no model '{name}' (is the installation complete?)", file=name)
    spec = load_spec(path)
    assert isinstance(spec, SignallingSpec)
    return spec


def _literal(value: Any) -> Expression:
    return parse_expression(str(value), file="reproduce", line=None, key="value")


class _Model:
    """A spec with base overrides: solve it at points, exactly or not."""

    def __init__(self, spec: SignallingSpec, overrides: Mapping[str, Expression]) -> None:
        self.spec = spec
        self.overrides = dict(overrides)

    def at(self, **values: Any) -> dict[str, Expression]:
        return self.overrides | {k: _literal(v) for k, v in values.items()}

    def value(self, name: str, **values: Any) -> Any:
        return resolve_parameters(self.spec, self.at(**values))[name]

    def solve(self, *, exact: bool = True, **values: Any) -> tuple[SignallingGame, PBEResult, list[Quality]]:
        game = build_game(self.spec, self.at(**values))
        assert isinstance(game, SignallingGame)
        result = pbe_solve(game, exact=exact)
        interpretation = interpretation_of(self.spec, game)
        return game, result, [assess(game, eq, interpretation, tolerance=result.tolerance) for eq in result]


def _fmt(x: Any) -> str:
    return str(format_number(x, True)) if isinstance(x, (int, Fraction)) else f"{x:.4g}"


def _threshold(spec: SignallingSpec, parameter: str, overrides: Mapping[str, Expression]) -> Any:
    """The smallest value of ``parameter`` (``>= 0``; a probability ``<= 1`` for ``v``) from
    which a truthful PBE exists,
    derived symbolically by :mod:`intelgame.symbolic` from the same spec."""
    from intelgame.symbolic import thresholds

    values = resolve_parameters(spec, overrides)
    at = {name: values[name] for name in overrides if name != parameter}
    found = thresholds(spec, parameter, at=at, low=0, high=1 if parameter == "v" else None)
    truthful = [t for t in found if any(a.startswith("separating (truthful)") for a in t.appears)]
    if not truthful:
        setting = ", ".join(f"{name} = {_fmt(values[name])}" for name in overrides) or "the calibration"
        seen = "; ".join(sorted({str(t.expression) for t in found})) if found else ""
        reason = f"the thresholds in {parameter} are {shorten(seen, 300, placeholder=' ...')}" if seen else \
            f"{parameter} has no threshold in {'[0, 1]' if parameter == 'v' else '[0, oo)'}"
        raise SolverError(f"with {setting}, no value of {parameter} makes a truthful PBE appear ({reason}), so "
                          "the claims about that threshold cannot be checked")
    return min(truthful, key=lambda t: t.value).value


def check_claims(model: _Model, case: _Model, progress: Callable[[str], None]) -> list[Claim]:
    """C1-C8 (MODEL.md), each from solver runs."""
    claims: list[Claim] = []
    choices = [c.evaluate(resolve_parameters(model.spec, model.overrides)) for c in model.spec.stage.choices]  # type: ignore[union-attr, arg-type]
    c_star = _threshold(model.spec, "c", model.overrides)
    grid = sorted(set(choices) | {Fraction(i, 24) for i in range(25)} | {c_star} if isinstance(c_star, Fraction) else set(choices))
    below = [c for c in grid if c < c_star]
    above = [c for c in grid if c >= c_star]
    solved = {}
    for c in grid:
        progress(f"solving the signalling stage at c = {_fmt(c)}")
        solved[c] = model.solve(c=c)

    # C1: information quality non-decreasing in c, full exactly from c*
    best_info = [max((q.mutual_information_bits for q in solved[c][2]), default=0.0) for c in grid]
    truthful = {c: any(q.label == "truthful" for q in solved[c][2]) for c in grid}
    monotone = all(b >= a - 1e-12 for a, b in zip(best_info, best_info[1:]))
    claims.append(Claim("C1", "autonomy buys security", monotone and all(truthful[c] == (c >= c_star) for c in grid),
                        f"c* = {_fmt(c_star)}; max I(state; report) rises from {best_info[0]:.3f} to {best_info[-1]:.3f} bits "
                        f"over {len(grid)} values of c, non-decreasing: {monotone}; truthful PBE exactly at c >= c*: "
                        f"{all(truthful[c] == (c >= c_star) for c in grid)}",
                        {"c_star": _fmt(c_star), "grid": [_fmt(c) for c in grid], "max_information_bits": best_info}))

    # C2: below c*, no fully revealing PBE; with eta = 0 and v > 0 fabrication in every PBE
    eta, v = model.value("eta"), model.value("v")
    no_full = all(q.label != "truthful" and q.mutual_information_bits < best_info[-1] - 1e-9
                  for c in below for q in solved[c][2])
    fabricated = all(any(lab.startswith("fabricated") for lab in q.labels) for c in below for q in solved[c][2])
    rates = {c: [q.false_report_probability for q in solved[c][2]] for c in below}
    claims.append(Claim("C2", "insufficient concessions bring low-quality information",
                        no_full and (fabricated or not (eta == 0 and 0 < v < 1)),
                        f"at all {len(below)} grid values c < c*: no fully revealing PBE: {no_full}; "
                        f"fabricated threat in every PBE (eta = {_fmt(eta)}, v = {_fmt(v)}): {fabricated}; "
                        f"P(false report) at c = 0: {', '.join(_fmt(r) for r in rates.get(grid[0], []))}",
                        {"no_fully_revealing_below": no_full, "fabricated_every_pbe": fabricated}))

    # C3: below c*, the reports are worth nothing to the client; at c >= c*, their full value
    worthless = all(q.receiver_value_of_reports == 0 for c in below for q in solved[c][2])
    game0 = solved[grid[0]][0]
    full_value = _full_information_value(game0)
    full = all(any(q.receiver_value_of_reports == full_value for q in solved[c][2]) for c in above)
    payoff0 = [q.receiver_payoff for q in solved[grid[0]][2]]
    claims.append(Claim("C3", "the client cannot profit from what it cannot check", worthless and full,
                        f"value of the reports to the client is 0 in every PBE at all c < c*: {worthless} "
                        f"(client payoff at c = 0: {', '.join(map(_fmt, payoff0))}); at c >= c* it is the full "
                        f"value of information {_fmt(full_value)}: {full}",
                        {"full_information_value": _fmt(full_value)}))

    # C4: manipulation with positive probability below c*
    manip = {c: [q.manipulation_probability for q in solved[c][2]] for c in below}
    manipulated = all(p is not None and p > 0 for ps in manip.values() for p in ps)
    claims.append(Claim("C4", "manipulation", manipulated or not 0 < v < 1,
                        f"every PBE at c < c* has the client take the patron-preferred, client-wrong action with "
                        f"positive probability: {manipulated} (at c = 0: {', '.join(_fmt(p) for p in manip.get(grid[0], []))})"))

    # C5: mismatch exactly below c*; the range widens with omega0
    most = {c: max(solved[c][2], key=lambda q: q.mutual_information_bits) for c in grid}  # the stage's selection
    errs = {c: (most[c].mismatch_probability or 0) > 0 for c in grid}
    exactly = all(errs[c] == (c < c_star) for c in grid)
    omega = model.value("omega0")
    widen = []
    for w in (omega, omega + 1, omega + 2):
        progress(f"threshold c* at omega0 = {_fmt(w)}")
        widen.append(_threshold(model.spec, "c", model.at(omega0=w)))
    widens = all(b > a for a, b in zip(widen, widen[1:]))
    claims.append(Claim("C5", "domestic politics: the client visibly errs below c*", exactly and widens,
                        f"mismatch probability > 0 in the most informative PBE exactly at the grid values c < c*: {exactly}; c* at omega0 = "
                        f"{', '.join(_fmt(w) for w in (omega, omega + 1, omega + 2))}: {', '.join(map(_fmt, widen))} (widening: {widens})",
                        {"c_star_by_omega0": [_fmt(x) for x in widen]}))

    # C6: own intelligence: c* decreases in v; truthful even at c = 0 from v_bar
    vs = [Fraction(1, 20), Fraction(1, 10), Fraction(1, 5), Fraction(3, 10)]
    c_by_v = []
    for vv in vs:
        progress(f"threshold c* at v = {_fmt(vv)}")
        c_by_v.append(_threshold(model.spec, "c", model.at(v=vv)))
    decreasing = all(b < a for a, b in zip(c_by_v, c_by_v[1:]))
    v_bar = _threshold(model.spec, "v", model.at(c=0))
    at_bar = any(q.label == "truthful" for q in model.solve(c=0, v=v_bar)[2])
    below_bar = any(q.label == "truthful" for q in model.solve(c=0, v=v_bar - Fraction(1, 1000))[2])
    claims.append(Claim("C6", "own intelligence substitutes for concessions", decreasing and at_bar and not below_bar,
                        f"c* at v = {', '.join(map(_fmt, vs))}: {', '.join(map(_fmt, c_by_v))} (decreasing: {decreasing}); "
                        f"v_bar = {_fmt(v_bar)}: truthful PBE at c = 0 and v = v_bar: {at_bar}, at v_bar - 1/1000: {below_bar}",
                        {"v_bar": _fmt(v_bar), "c_star_by_v": [_fmt(x) for x in c_by_v]}))

    # C7: the market: optimal concession
    lam = model.value("lam")
    progress("solving the concession stage")
    stage = stage_solve(model.spec, model.overrides, exact=True)
    smallest = min((c for c in choices if c >= c_star), default=None)
    buying = None if smallest is None else stage.outcomes[choices.index(smallest)].receiver_value
    worth = buying is not None and buying > (stage.outcomes[0].receiver_value or buying)
    expected = smallest if worth else choices[0]
    optimal = None if stage.optimal is None else stage.optimal.choice
    lam_hi = lam + 1
    stage_hi = stage_solve(model.spec, model.at(lam=lam_hi), exact=True)
    optimal_hi = None if stage_hi.optimal is None else stage_hi.optimal.choice
    claims.append(Claim("C7", "the market for intelligence", optimal == expected and optimal_hi == choices[0],
                        f"optimal concession at lam = {_fmt(lam)}: {_fmt(optimal) if optimal is not None else 'none'} "
                        f"(smallest grid value >= c* is {_fmt(smallest) if smallest is not None else 'none'}); "
                        f"at lam = {_fmt(lam_hi)}: {_fmt(optimal_hi) if optimal_hi is not None else 'none'}",
                        {"optimal": _fmt(optimal) if optimal is not None else None,
                         "optimal_high_lam": _fmt(optimal_hi) if optimal_hi is not None else None}))

    # C8: 1998: concealment, no concession on the grid buys a warning, own capability does
    concealed_all, truthful_any, interval = True, False, None
    for c in choices:
        progress(f"1998 case at c = {_fmt(c)}")
        game, result, qualities = case.solve(c=c)
        truthful_any |= any(q.label == "truthful" for q in qualities)
        concealed_all &= all(any(lab.startswith("concealed") for lab in q.labels) for q in qualities) and bool(qualities)
        if c == choices[0] and len(result) == 1:
            eq = result.equilibria[0]
            off = [m for m, on in enumerate(eq.on_path) if not on]
            if off:
                interval = eq.receiver_range[off[0]][0]
    v_case = _threshold(case.spec, "v", case.at(c=0))
    at_v = any(q.label == "truthful" for q in case.solve(c=0, v=v_case)[2])
    claims.append(Claim("C8", "the 1998 case: concealed threats", concealed_all and not truthful_any and at_v,
                        f"threat concealed in every PBE at every grid concession: {concealed_all}; a truthful PBE at some "
                        f"grid concession: {truthful_any}; at c = 0 the client alerts after the unused warning with any "
                        f"probability in [{', '.join(map(_fmt, interval)) if interval else '?'}]; own capability "
                        f"v >= {_fmt(v_case)} buys truthful intelligence at c = 0: {at_v}",
                        {"offpath_alert_interval": [_fmt(x) for x in interval] if interval else None,
                         "v_threshold": _fmt(v_case)}))
    return claims


def _full_information_value(game: SignallingGame) -> Any:
    """Value of perfect information to the receiver (message-independent receiver payoffs)."""
    ur, prior = game.receiver_payoffs, game.prior
    n_t, _, n_a = game.shape
    informed = sum(prior[t] * max(ur[t][0][a] for a in range(n_a)) for t in range(n_t))
    uninformed = max(sum(prior[t] * ur[t][0][a] for t in range(n_t)) for a in range(n_a))
    return informed - uninformed


def make_figures(model: _Model, out: Path, progress: Callable[[str], None]) -> list[Path]:
    """Phase diagram over (c, v); quality, fabrication, manipulation against c; optimal
    concession against v."""

    from intelgame.sweep import parse_grid, run_sweep
    from intelgame.output.figures import line_figure, phase_diagram

    figures = []
    progress("phase diagram over (c, v)")
    summary = run_sweep(model.spec, [parse_grid("c=0:1:41"), parse_grid("v=0:0.6:31")], out / "sweep",
                        overrides=model.overrides)
    from intelgame.symbolic import threshold_curves

    values = resolve_parameters(model.spec, model.overrides)
    curves = threshold_curves(model.spec, "c", "v", at={n: values[n] for n in model.overrides if n not in ("c", "v")},
                              truthful_only=True)
    figures.append(phase_diagram(summary, "c", "v", out / "phase_diagram_c_v.png", curves=curves,
                                 title="Most informative PBE over concession c and own capability v"))
    xs = [Fraction(i, 40) for i in range(41)]
    info, fabrication, manipulation = [], [], []
    for c in xs:
        progress(f"figure: c = {_fmt(c)}")
        game, result, qualities = model.solve(exact=False, c=c)
        best = max(range(len(qualities)), key=lambda i: qualities[i].mutual_information_bits)
        eq, q = result.equilibria[best], qualities[best]
        info.append(q.mutual_information_bits)
        no_threat, warn = game.types.index("no_threat"), game.messages.index("warn")
        fabrication.append(float(eq.sender[no_threat][warn]))
        manipulation.append(float(q.manipulation_probability or 0))
    figures.append(line_figure([float(c) for c in xs], {"I(state; report), bits": info,
                                                        "P(warn | no threat): fabrication": fabrication,
                                                        "manipulation probability": manipulation},
                               out / "quality_against_c.png", xlabel="concession c", ylabel="",
                               title="Information quality, fabrication and manipulation (most informative PBE)"))
    vs = [Fraction(i, 40) for i in range(25)]
    optimal = []
    for v in vs:
        progress(f"figure: optimal concession at v = {_fmt(v)}")
        stage = stage_solve(model.spec, model.at(v=v), exact=False)
        optimal.append(float(stage.optimal.choice) if stage.optimal else float("nan"))
    figures.append(line_figure([float(v) for v in vs], {"optimal concession": optimal}, out / "optimal_concession_against_v.png",
                               xlabel="own intelligence capability v", ylabel="c", step=True,
                               title="The client's optimal concession"))
    return figures


def _markdown(claims: Sequence[Claim], figures: Sequence[Path], out: Path, parameters: Mapping[str, Any]) -> str:
    lines = ["# Reproduction of Chang (2023), \"I know something you don't know\"", "",
             "Every number below comes from intelgame's general PBE solver run on `models/intelligence_market.yaml` "
             "and `models/taepodong_1998.yaml`; thresholds come from its symbolic analysis of the same specs.", "",
             "## Calibration", "", "| parameter | value |", "| --- | --- |"]
    lines += [f"| {k} | {_fmt(v)} |" for k, v in parameters.items()]
    lines += ["", "## Claims", "", "| claim | verdict | evidence |", "| --- | --- | --- |"]
    lines += [f"| {c.key} {c.title} | {'PASS' if c.passed else 'FAIL'} | {c.evidence} |" for c in claims]
    lines += ["", "## Figures", ""]
    lines += [f"![{f.stem}]({f.relative_to(out)})" for f in figures]
    lines += ["", "How to read them: the phase diagram colours each (c, v) by the most informative PBE "
              "(truthful, noisy, babbling) with the symbolic threshold c*(v) drawn over it; the second figure follows "
              "the most informative PBE along c; the third shows the concession the client buys as its own "
              "capability grows.", ""]
    return "\n".join(lines)


def run_reproduction(out: Path, *, overrides: Mapping[str, Expression] | None = None, console: Console | None = None,
                     figures: bool = True) -> Reproduction:
    """Check C1-C8, draw the figures, write ``report.md`` and ``results.json`` into ``out``."""
    varied = [name for name in VARIED if name in (overrides or {})] if figures else []
    if varied:
        raise SpecError(f"the reproduction's figures vary {' and '.join(VARIED)} themselves, so "
                        f"{', '.join(varied)} cannot be set; set the other parameters", file="--set", key=varied[0])
    spec, case_spec = catalog_spec(MODEL), catalog_spec(CASE)
    model, case = _Model(spec, overrides or {}), _Model(case_spec, overrides or {})
    err = console or Console(stderr=True)
    with new_folder(out), Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("reproducing", total=None)
        step = lambda label: bar.update(task, description=label)  # noqa: E731
        claims = check_claims(model, case, step)
        survivors = refinement_survivors(model, case, step)
        paths = make_figures(model, out, step) if figures else []
        commitment = commitment_extension(model, case, claims, out if figures else None, step)
    parameters = resolve_parameters(spec, model.overrides)
    markdown = out / "report.md"
    write_atomically(markdown, _markdown(claims, paths, out, parameters)
                     + "\n".join(commitment_markdown(commitment, out)) + "\n"
                     + "\n".join(survivor_markdown(survivors)))
    results = out / "results.json"
    write_atomically(results, json.dumps({"claims": [c.__dict__ for c in claims],
                                          "parameters": {k: _fmt(v) for k, v in parameters.items()},
                                          "commitment": commitment.to_dict(),
                                          "refinement_survivors": [row.to_dict() for row in survivors]},
                                         indent=2, default=str) + "\n")
    return Reproduction(tuple(claims), markdown, results,
                        tuple(paths) + (() if commitment.figure is None else (commitment.figure,)),
                        tuple(survivors))


def commitment_extension(model: _Model, case: _Model, claims: Sequence[Claim], out: Path | None,
                         progress: Callable[[str], None]) -> CommitmentSection:
    """The extension section (:mod:`intelgame.paper.commitment`) at the threshold C1 found,
    its figure in ``out`` (none without)."""
    text = str(next(c for c in claims if c.key == "C1").data["c_star"])
    c_star = None if "." in text or "e" in text else Fraction(text)  # an irrational c* has no exact row
    curves = []
    if out is not None:
        from intelgame.symbolic import threshold_curves

        values = resolve_parameters(model.spec, model.overrides)
        curves = threshold_curves(model.spec, "c", "v", truthful_only=True,
                                  at={n: values[n] for n in model.overrides if n not in VARIED})
    return commitment_section(model.spec, case.spec, model.overrides, c_star, out, progress, curves)


def refinement_survivors(model: _Model, case: _Model, progress: Callable[[str], None]) -> list[SurvivorRow]:
    """The extension's table (:mod:`intelgame.paper.refinement_survivors`): both models at every
    concession of the paper model's stage grid, solved exactly."""
    choices = [c.evaluate(resolve_parameters(model.spec, model.overrides)) for c in model.spec.stage.choices]  # type: ignore[union-attr, arg-type]
    rows: list[SurvivorRow] = []
    for name, which in ((MODEL, model), (CASE, case)):
        def solve(c: Any, which: _Model = which) -> tuple[SignallingGame, PBEResult, list[Quality]]:
            return which.solve(c=c)

        rows += survivor_rows(name, solve, choices, _fmt, progress)
    return rows
