"""Nash equilibria of 2-player normal-form (bimatrix) games.

Notation (see :mod:`intelgame.games.normal_form`): payoff matrices :math:`A, B` of shape
:math:`n \\times k`, mixed strategies :math:`x \\in \\Delta_n` (row) and :math:`y \\in \\Delta_k`
(column). :math:`(x, y)` is a Nash equilibrium iff every pure strategy in each support is a best
reply: :math:`(Ay)_i = \\max_r (Ay)_r` for :math:`x_i > 0` and
:math:`(x^\\top B)_j = \\max_c (x^\\top B)_c` for :math:`y_j > 0`.

**Exact path** (``exact=True``): support enumeration in rational arithmetic (Algorithm 3.4 of
Nisan et al. 2007, ch. 3, extended to degenerate games). For every pair of non-empty supports
:math:`(I, J)`, with :math:`j_0 = \\min J` and :math:`i_0 = \\min I`, the equilibria with exactly
these supports form the product of two relatively open polytope faces:

* the :math:`x`-face: :math:`x_I > 0`, :math:`\\sum_{i \\in I} x_i = 1`, and every column of
  :math:`J` is a best reply,

  .. math:: (x^\\top B)_j - (x^\\top B)_{j_0} = 0 \\;(j \\in J), \\qquad
            (x^\\top B)_c - (x^\\top B)_{j_0} \\le 0 \\;(c \\notin J);

* the :math:`y`-face: the same with the roles swapped, :math:`y_J > 0`, :math:`\\sum y = 1`,
  :math:`(Ay)_i - (Ay)_{i_0} = 0` for :math:`i \\in I` and :math:`\\le 0` outside :math:`I`.

Each equilibrium has exactly one support pair, so enumerating all :math:`(2^n - 1)(2^k - 1)`
pairs finds **every** equilibrium, degenerate games included (pairs are pruned only by a
necessary condition: each :math:`j \\in J` must be a best reply to some mixture with support
exactly :math:`I`, and vice versa). A face that is not a single point is a continuum of
equilibria, reported once with a representative point (inside the face) and the range of every
probability over the face's closure; the payoffs are those at the representative point. Faces come from the shared oracle
:mod:`intelgame.geometry.faces`; existence is decided without any tolerance. Pairs are
visited by increasing total support size, so pure equilibria come first.

**Float path** (``exact=False``): the algorithms of Nashpy (Knight and Campbell 2018):
support enumeration, vertex enumeration (Algorithm 3.5 of Nisan et al. 2007) and Lemke-Howson
from every initial dropped label (Algorithm 3.6; Lemke and Howson 1964). Nashpy assumes a
nondegenerate game; on degenerate ones it may return spurious points (a tie decided by float
equality, a Lemke-Howson path ending off the best-response polytopes) and cannot describe
continua. What intelgame reports is therefore *certified*: Nashpy runs on payoffs mapped to
``[1, 2]`` per player (so its answer does not depend on their scale), and its points are
matched against the exact support enumeration above (float payoffs read as their decimal
``repr``). If they are exactly the exact equilibria, Nashpy's points are reported (each replaced
by the exact point in floats); if Nashpy missed one, returned a point that is not an
equilibrium, or the game has a continuum, the exact equilibria are reported in floats and the
result's ``method`` names what happened. (Nashpy 0.0.43's support enumeration, for example,
rejects a solution whose zero probability comes out as ``-1e-17`` and so loses mixed
equilibria of some nondegenerate games.) Lemke-Howson finds one equilibrium by design.

References
----------
N. Nisan, T. Roughgarden, E. Tardos, V. Vazirani (eds.), *Algorithmic Game Theory*, CUP 2007,
ch. 3 (B. von Stengel, "Equilibrium computation for two-player games in strategic and
extensive form"). D. Avis, G. Rosenberg, R. Savani, B. von Stengel, "Enumeration of Nash
equilibria for two-player games", *Economic Theory* 42 (2010) 9-37 (degenerate games and
components). C. E. Lemke, J. T. Howson, "Equilibrium points of bimatrix games", *J. SIAM*
12 (1964) 413-423. V. Knight, J. Campbell, "Nashpy: a Python library for the computation of Nash
equilibria", *JOSS* 3(30) (2018) 904.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np

from intelgame import interrupts
from intelgame.errors import SolverError
from intelgame.games.normal_form import NormalFormGame
from intelgame.geometry.numbers import Number
from intelgame.geometry.faces import FLOAT_TOLERANCE, Arithmetic, ExactArithmetic, Face, LinearSystem
from intelgame.geometry.supports import subsets
from intelgame.solvers.frames import NamedNash, named_nash, nash_frame, nash_result_html

if TYPE_CHECKING:
    import pandas

Scalar = Number  # Fraction/int on the exact path, float on the float path
Range = tuple[Scalar, Scalar]
Method = Literal["support_enumeration", "vertex_enumeration", "lemke_howson"]

#: Every method name :func:`nash_solve` accepts (one registry drives validation and tests).
METHODS: tuple[str, ...] = get_args(Method)

_NASHPY_METHODS = {"support_enumeration": "support_enumeration",
                   "vertex_enumeration": "vertex_enumeration",
                   "lemke_howson": "lemke_howson_enumeration"}


@dataclass(frozen=True)
class NashEquilibrium:
    """One Nash equilibrium, or one face of a continuum of them.

    ``row[i]`` and ``column[j]`` are the mixed strategies (the representative point of the face
    when ``is_continuum``); ``payoffs`` the two players' expected payoffs there. For a continuum,
    ``row_range[i]`` and ``column_range[j]`` are ``(low, high)`` over the closure of the face;
    both are ``None`` for an isolated point.
    """

    row: tuple[Scalar, ...]
    column: tuple[Scalar, ...]
    payoffs: tuple[Scalar, Scalar]
    row_range: tuple[Range, ...] | None = None
    column_range: tuple[Range, ...] | None = None
    is_continuum: bool = False

    @property
    def row_support(self) -> tuple[int, ...]:
        """Indices of the row strategies played with positive probability."""
        return tuple(i for i, p in enumerate(self.row) if p != 0)

    @property
    def column_support(self) -> tuple[int, ...]:
        """Indices of the column strategies played with positive probability."""
        return tuple(j for j, p in enumerate(self.column) if p != 0)

    @property
    def is_pure(self) -> bool:
        """True when both strategies are pure."""
        return len(self.row_support) == 1 and len(self.column_support) == 1

    def by_name(self, game: NormalFormGame) -> NamedNash:
        """This equilibrium keyed by the strategy and player names of ``game``
        (:class:`~intelgame.solvers.frames.NamedNash`)."""
        return named_nash(game, self)


@dataclass(frozen=True)
class NashResult:
    """The Nash equilibria of ``game`` with the provenance of the computation.

    ``method`` is the method asked for (recorded even when ``exact``, which always enumerates
    supports; on the float path it says when the exact equilibria replaced Nashpy's points),
    ``tolerance`` the tolerance with which float results are read (``0.0`` when ``exact``).
    """

    game: NormalFormGame
    equilibria: tuple[NashEquilibrium, ...]
    method: str
    exact: bool
    tolerance: float

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[NashEquilibrium]:
        return iter(self.equilibria)

    def to_frame(self, *, exact: bool = False) -> pandas.DataFrame:
        """One row per equilibrium with named columns (:func:`~intelgame.solvers.frames.nash_frame`)."""
        return nash_frame(self, exact=exact)

    def _repr_html_(self) -> str:
        return nash_result_html(self)


def nash_solve(game: NormalFormGame, *, method: Method = "support_enumeration", exact: bool = False) -> NashResult:
    """The Nash equilibria of a 2-player normal-form game.

    Parameters
    ----------
    game:
        The game (numeric payoffs).
    method:
        One of :data:`METHODS`: Nashpy's algorithm on the float path. Ignored (but recorded)
        when ``exact``, which always runs the complete exact support enumeration.
    exact:
        Enumerate every equilibrium in rational arithmetic, continua included; needs
        ``game.is_rational``.

    Returns
    -------
    NashResult
        Exact: every equilibrium, one entry per support pair (pure first). Float: Nashpy's
        points, on payoffs normalised to ``[1, 2]`` per player (so its answer does not depend
        on their scale), certified against the exact enumeration: when Nashpy's checked points
        are not exactly the exact equilibria (one missed, a duplicate, a continuum), the exact
        equilibria are returned in floats and ``method`` says so. Lemke-Howson finds one
        equilibrium by design; its point is kept when it is one of the exact equilibria.

    Raises
    ------
    SolverError
        Unknown ``method``; ``exact`` on irrational payoffs; Nashpy failing on the game (e.g. vertex enumeration on a one-row game).

    Examples
    --------
    >>> g = NormalFormGame(name="pennies", players=("row", "column"),
    ...     row_strategies=("heads", "tails"), column_strategies=("heads", "tails"),
    ...     row_payoffs=((1, -1), (-1, 1)), column_payoffs=((-1, 1), (1, -1)))
    >>> [(e.row, e.column) for e in nash_solve(g, exact=True)]
    [((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2)))]
    >>> nash_solve(g, method="lemke_howson").equilibria[0].row
    (0.5, 0.5)
    """
    if method not in METHODS:
        raise SolverError(f"unknown Nash method {method!r}; choose one of {', '.join(METHODS)}")
    if exact and not game.is_rational:
        raise SolverError("exact mode needs rational payoffs (int or Fraction); this game has floats")
    if exact:
        equilibria = _support_enumeration(game, ExactArithmetic())
        return NashResult(game, tuple(equilibria), method, True, 0.0)
    rational = game.to_rational()  # floats: their decimal repr
    certified = _support_enumeration(rational, ExactArithmetic())
    found, cut = _nashpy_equilibria(game, method)
    kept, strays = _matching(found, certified)
    paths = f"; {cut} of its {sum(game.shape)} Lemke-Howson paths cycled or failed" \
        if cut else ""
    if found and not strays and (method == "lemke_howson" or len(kept) == len(certified)):
        return NashResult(game, tuple(kept), f"{method} ({paths[2:]})" if cut else method, False, FLOAT_TOLERANCE)
    missed = len(certified) - len(kept)
    note = (f"{method} (exact: nashpy's {len(found)} points missed {missed} of the {len(certified)} "
            f"equilibria, {strays} not among them{paths})")
    if method == "lemke_howson":
        certified = certified[:1]
    return NashResult(game, tuple(_float_equilibrium(e) for e in certified), note, False, FLOAT_TOLERANCE)


def _float_equilibrium(e: NashEquilibrium) -> NashEquilibrium:
    """An exact equilibrium in floats."""
    def ranges(values: tuple[Range, ...] | None) -> tuple[Range, ...] | None:
        return None if values is None else tuple((float(lo), float(hi)) for lo, hi in values)

    return NashEquilibrium(tuple(map(float, e.row)), tuple(map(float, e.column)), (float(e.payoffs[0]), float(e.payoffs[1])),
                           ranges(e.row_range), ranges(e.column_range), e.is_continuum)


def _matching(found: list[NashEquilibrium], certified: list[NashEquilibrium]) -> tuple[list[NashEquilibrium], int]:
    """The isolated exact equilibria that some point of ``found`` is, within rounding
    (``1e-7``), in the exact enumeration's order and in floats (repeats of a point count once),
    and how many points of ``found`` are none of them (a continuum's points included)."""
    def close(f: NashEquilibrium, point: list[float]) -> bool:
        return all(abs(u - v) <= 1e-7 for u, v in zip(point, f.row + f.column))

    isolated = [(e, [float(v) for v in e.row + e.column]) for e in certified if not e.is_continuum]
    kept = [_float_equilibrium(e) for e, point in isolated if any(close(f, point) for f in found)]
    strays = sum(1 for f in found if not any(close(f, point) for _, point in isolated))
    return kept, strays


def _payoffs(a: Sequence[Sequence[Scalar]], b: Sequence[Sequence[Scalar]], x: Sequence[Scalar],
             y: Sequence[Scalar]) -> tuple[Scalar, Scalar]:
    """``(x^T A y, x^T B y)``."""
    def value(m: Sequence[Sequence[Scalar]]) -> Scalar:
        return sum(x[i] * m[i][j] * y[j] for i in range(len(x)) for j in range(len(y)))
    return value(a), value(b)


# -- exact path: support enumeration over the polytope oracle --------------------------------
def _best_reply_face(ar: Arithmetic, opponent_payoff: Sequence[Sequence[Scalar]], own: tuple[int, ...],
                     replies: tuple[int, ...]) -> Face | None:
    """The mixtures with support exactly ``own`` against which every opponent strategy in
    ``replies`` is a best reply; ``opponent_payoff[o][s]`` is the opponent's payoff from ``o``
    against our pure strategy ``s`` (``B^T`` for the row player, ``A`` for the column player)."""
    base = replies[0]

    def gain(o: int) -> tuple[Scalar, ...]:
        """Coefficients of ``payoff(o) - payoff(base)`` in our mixture on ``own``."""
        return tuple(opponent_payoff[o][s] - opponent_payoff[base][s] for s in own)

    eq_rows = (tuple(ar.number(1) for _ in own),) + tuple(gain(o) for o in replies[1:])
    others = [o for o in range(len(opponent_payoff)) if o not in replies]
    system = LinearSystem(len(own), eq_rows, (ar.number(1),) + (ar.number(0),) * (len(eq_rows) - 1),
                          tuple(gain(o) for o in others), (ar.number(0),) * len(others))
    return ar.open_face(system)


def _spread(face: Face, support: tuple[int, ...], size: int, zero: Scalar) -> tuple[tuple[Scalar, ...], tuple[Range, ...]]:
    """The face's point and ranges as full-length vectors (zero outside ``support``)."""
    point, ranges = [zero] * size, [(zero, zero)] * size
    for position, s in enumerate(support):
        point[s] = face.point[position]
        ranges[s] = (face.lower[position], face.upper[position])
    return tuple(point), tuple(ranges)


def _support_enumeration(game: NormalFormGame, ar: Arithmetic) -> list[NashEquilibrium]:
    """Every equilibrium, one per support pair with non-empty faces (module docstring).

    Pruning (loses nothing): ``j`` can only belong to ``J`` if it is a best reply to some
    mixture with support exactly ``I`` (the x-face of ``(I, {j})`` is non-empty), and likewise
    for ``I``; these single-reply faces are computed once per support.
    """
    a = [[ar.number(v) for v in row] for row in game.row_payoffs]
    b = [[ar.number(v) for v in row] for row in game.column_payoffs]
    b_transposed = [list(col) for col in zip(*b)]
    n, k = game.shape
    zero = ar.number(0)
    x_faces: dict[tuple[tuple[int, ...], tuple[int, ...]], Face | None] = {}
    y_faces: dict[tuple[tuple[int, ...], tuple[int, ...]], Face | None] = {}

    def x_face(rows: tuple[int, ...], columns: tuple[int, ...]) -> Face | None:
        if (rows, columns) not in x_faces:
            x_faces[rows, columns] = _best_reply_face(ar, b_transposed, rows, columns)
        return x_faces[rows, columns]

    def y_face(columns: tuple[int, ...], rows: tuple[int, ...]) -> Face | None:
        if (columns, rows) not in y_faces:
            y_faces[columns, rows] = _best_reply_face(ar, a, columns, rows)
        return y_faces[columns, rows]

    column_replies = {rows: {j for j in range(k) if x_face(rows, (j,)) is not None} for rows in subsets(n)}
    row_replies = {columns: {i for i in range(n) if y_face(columns, (i,)) is not None} for columns in subsets(k)}
    pairs = sorted(itertools.product(subsets(n), subsets(k)), key=lambda p: (len(p[0]) + len(p[1]), p))
    found = []
    for rows, columns in pairs:
        interrupts.check()
        if not (column_replies[rows].issuperset(columns) and row_replies[columns].issuperset(rows)):
            continue
        x_part = x_face(rows, columns)
        y_part = None if x_part is None else y_face(columns, rows)
        if x_part is None or y_part is None:
            continue
        x, x_range = _spread(x_part, rows, n, zero)
        y, y_range = _spread(y_part, columns, k, zero)
        continuum = not (x_part.is_point and y_part.is_point)
        found.append(NashEquilibrium(x, y, _payoffs(a, b, x, y), x_range if continuum else None,
                                     y_range if continuum else None, continuum))
    return found


# -- float path: Nashpy, certified by the exact enumeration ------------------------------------
def _nashpy_points(a: np.ndarray, b: np.ndarray, method: str) -> tuple[list[tuple[np.ndarray, np.ndarray]], int]:
    """The raw points of one Nashpy algorithm (its degeneracy warnings silenced: every point
    is checked afterwards), and the number of Lemke-Howson paths cut for cycling."""
    import nashpy

    # Equilibria are invariant under positive affine maps of a player's payoffs: each is mapped
    # to [1, 2] (vertex enumeration needs positive matrices for bounded polytopes).
    def unit(m: np.ndarray) -> np.ndarray:
        spread = float(m.max() - m.min()) or 1.0
        return np.asarray((m - m.min()) / spread + 1.0)

    if a.shape == (1, 1):  # one strategy each: the only profile is the equilibrium (Lemke-Howson cycles on it)
        return [(np.ones(1), np.ones(1))], 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        shifted = nashpy.Game(unit(a), unit(b))
        if method == "support_enumeration":
            return list(shifted.support_enumeration(tol=FLOAT_TOLERANCE)), 0
        if method == "lemke_howson":
            return _lemke_howson_points(unit(a), unit(b))
        return list(getattr(shifted, _NASHPY_METHODS[method])()), 0


#: Pivots of one Lemke-Howson path at most: Nashpy's path has no bound and cycles on some
#: degenerate games; a path that returns to a basis it has left, or runs beyond this, is
#: abandoned (the exact enumeration certifies anyway).
MAX_PIVOTS = 2000


def _lemke_howson_points(a: np.ndarray, b: np.ndarray) -> tuple[list[tuple[np.ndarray, np.ndarray]], int]:
    """Nashpy's ``lemke_howson_enumeration`` (Algorithm 3.6 of Nisan et al. 2007, one path per
    initial dropped label, with Nashpy's own tableaux and pivots), each path cut when it comes
    back to a basis (with the same entering label) or after :data:`MAX_PIVOTS` pivots: a cut
    path, or one where Nashpy fails to pivot, gives no point;
    the points and the paths cut."""
    from nashpy.algorithms.lemke_howson import create_col_tableau, create_row_tableau

    points, cut = [], 0
    for label in range(sum(a.shape)):
        columns, rows = create_col_tableau(a, True), create_row_tableau(b, True)
        order = [rows, columns] if label in rows.non_basic_variables else [columns, rows]
        entering, seen = label, set()
        try:
            for pivot in range(MAX_PIVOTS):
                state = (pivot % 2, entering, frozenset(rows.non_basic_variables),
                         frozenset(columns.non_basic_variables))
                if state in seen:  # the pivots are deterministic: the path cycles from here
                    cut += 1
                    break
                seen.add(state)
                entering = order[pivot % 2].pivot_and_drop_label(entering)
                if columns.non_basic_variables | rows.non_basic_variables == columns.labels:
                    points.append((rows.to_strategy(columns.non_basic_variables),
                                   columns.to_strategy(rows.non_basic_variables)))
                    break
            else:
                cut += 1
        except (ArithmeticError, LookupError, ValueError):  # a degenerate pivot Nashpy cannot make
            cut += 1
    return points, cut


def _nashpy_equilibria(game: NormalFormGame, method: str) -> tuple[list[NashEquilibrium], int]:
    """Nashpy's points as equilibria (unchecked: :func:`_matching` certifies them), and the
    number of Lemke-Howson paths cut for cycling or failing."""
    a, b = game.arrays()
    try:
        raw, cut = _nashpy_points(a, b, method)
    except (ArithmeticError, LookupError, ValueError, RuntimeError) as exc:
        reason = (str(exc).strip().splitlines() or [""])[0]
        raise SolverError(f"nashpy's {method} failed on game '{game.name}' ({type(exc).__name__}: "
                          f"{reason}); try method='support_enumeration' or exact=True") from exc
    found = []
    for x, y in raw:
        if np.shape(x) != (a.shape[0],) or np.shape(y) != (a.shape[1],) or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            continue
        row, column = tuple(map(float, x)), tuple(map(float, y))
        found.append(NashEquilibrium(row, column, (float(np.array(row) @ a @ np.array(column)),
                                                    float(np.array(row) @ b @ np.array(column)))))
    return found, cut
