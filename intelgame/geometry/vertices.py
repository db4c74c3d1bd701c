"""Faces of many small polytopes of one shape at once, by vertex enumeration (float path).

The batched PBE solver (:mod:`intelgame.solvers.pbe.batch`) asks the question of
:mod:`intelgame.geometry.faces` for a stack of systems with the same rows but different
coefficients, one per game:

.. math:: P_k = \\{x \\in \\mathbb{R}^n : E_k x = b_k,\\; U_k x \\le d_k,\\; x \\ge 0\\},
          \\qquad k = 1, \\dots, N.

Every :math:`P_k` the solver builds is bounded (each block of variables sums to one), so it is
the convex hull of its vertices, and

* :math:`P_k \\neq \\emptyset` iff it has a vertex;
* the range of :math:`x_i` over :math:`P_k` is the min and max of :math:`x_i` over the vertices;
* :math:`P_k^{+} = P_k \\cap \\{x > 0\\} \\neq \\emptyset` iff every upper end is positive (the
  mean of the maximisers is then in :math:`P_k^{+}`);
* the representative point is that of the scalar oracle (:mod:`intelgame.geometry.faces`):
  the mean of the :math:`2n` lexicographic optimisers, for each objective :math:`\\pm x_i`
  the lexicographically least vertex among the optimal ones (a vertex, as the least point of
  a face of :math:`P_k` is one of its vertices). Comparisons are within ``ZERO_FLOOR``: the
  optimal vertices are those within it of the optimum, then those within it of the least
  ``x_0`` among them, and so on.

Vertex enumeration thus decides every face, for all games at once, with the scalar oracle's
answer (up to rounding).

If the rows of :math:`E_k` are independent (:math:`e \\le n` of them), every vertex solves
:math:`E_k x = b_k` together with :math:`n - e` further rows of :math:`U_k x = d_k` or
:math:`x_j = 0` taken as equalities, with a non-singular square matrix; all those
:math:`\\binom{u + n}{n - e}` square systems are solved at once with numpy and their feasible
solutions kept. When none of those systems is regular (the rows of :math:`E_k` are
dependent, as in a degenerate game, or :math:`e > n`), the rows of :math:`E_k` but one are
tried in the same way, and failing that, every :math:`n` rows among all of them (a vertex
solves some :math:`n` independent active rows); every solution is checked against every
constraint. A square system is regular when its determinant exceeds ``SINGULAR`` times
Hadamard's bound (the product of its row norms).

Decisions are filtered as those of :class:`~intelgame.geometry.faces.FloatArithmetic`: a
residual, coordinate, width or (relative) determinant within ``ZERO_FLOOR`` of zero is zero,
beyond ``FILTER_BAND`` keeps its float sign, and in between marks that system's row
``uncertain`` (the solver then solves that game on its own, exactly if need be). Returned
values within ``ZERO_FLOOR`` of 0 or 1 are snapped to it. The lexicographic choice of the
representative point compares within ``ZERO_FLOOR`` without a band: it moves the point inside
its face, never the face.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from intelgame.speed.short_axes import every, largest, least, some
from intelgame.errors import Uncertain
from intelgame.geometry.faces import ZERO_FLOOR, Face, FloatArithmetic, LinearSystem, grey

#: Square systems solved per numpy call (and game), to bound memory.
MAX_SQUARE_SYSTEMS = 4096
#: Stacks of at least this many systems are deduplicated first (below, sorting costs more).
DEDUPLICATE = 64
#: A square system is singular when ``|det| <= ZERO_FLOOR * prod(row norms)`` (Hadamard's bound).
SINGULAR = ZERO_FLOOR
#: Stacks whose systems may need more square systems than this (``C(e + u + n, n)``, the most
#: the enumeration can try) are decided system by system by the scalar oracle
#: (:class:`~intelgame.geometry.faces.FloatArithmetic`, whose answer the vertices reproduce):
#: vertex enumeration grows exponentially with the variables (every 3x3x3 system stays under
#: it, C(18, 9) = 48620; a 4x4x4 rho-face has up to 16 variables).
SCALAR_FROM = 50_000




@dataclass(frozen=True)
class Faces:
    """The faces of a stack of ``N`` systems in ``n`` variables (rows where ``ok`` is false are
    meaningless)."""

    ok: np.ndarray  # (N,) bool: the face is non-empty
    point: np.ndarray  # (N, n)
    lower: np.ndarray  # (N, n)
    upper: np.ndarray  # (N, n)
    uncertain: np.ndarray  # (N,) bool: some float decision fell in the filter's band

    def take(self, rows: np.ndarray | slice) -> Faces:
        """The faces of ``rows``."""
        return Faces(self.ok[rows], self.point[rows], self.lower[rows], self.upper[rows], self.uncertain[rows])

    def reported(self, k: int) -> Face:
        """Game ``k``'s face (``ok[k]`` must hold), as the scalar oracle reports it."""
        return Face(tuple(self.point[k].tolist()), tuple(self.lower[k].tolist()), tuple(self.upper[k].tolist()))


@lru_cache(maxsize=None)
def _square_systems(fixed: tuple[int, ...], pool: tuple[int, ...], n: int) -> np.ndarray:
    """The row sets ``fixed + c`` for every ``(n - len(fixed))``-subset ``c`` of ``pool``, as
    an index array (C, n)."""
    chosen = [fixed + c for c in itertools.combinations(pool, n - len(fixed))]
    return np.array(chosen, dtype=np.intp).reshape(len(chosen), n)


def batch_faces(eq: np.ndarray, eq_rhs: np.ndarray, ub: np.ndarray, ub_rhs: np.ndarray, *,
                strict: bool) -> Faces:
    """The faces :math:`P_k^{+}` (``strict``) or :math:`P_k` of the stack ``eq`` (N, e, n),
    ``eq_rhs`` (N, e), ``ub`` (N, u, n), ``ub_rhs`` (N, u); see the module docstring.

    Equal systems (common among games with small integer payoffs) are decided once: in a
    stack of at least :data:`DEDUPLICATE` systems, the distinct ones (bit for bit) are found
    first and their faces copied to their repeats."""
    n_games, e, n = eq.shape
    if math.comb(e + ub.shape[1] + n, n) > SCALAR_FROM:
        return _scalar_faces(eq, eq_rhs, ub, ub_rhs, strict=strict)
    if n_games < DEDUPLICATE:
        return _distinct_faces(eq, eq_rhs, ub, ub_rhs, strict=strict)
    first, inverse = distinct_rows(np.concatenate([a.reshape(n_games, -1) for a in (eq, eq_rhs, ub, ub_rhs)], axis=1))
    if len(first) == n_games:
        return _distinct_faces(eq, eq_rhs, ub, ub_rhs, strict=strict)
    faces = _distinct_faces(eq[first], eq_rhs[first], ub[first], ub_rhs[first], strict=strict)
    return faces.take(inverse)


def _scalar_faces(eq: np.ndarray, eq_rhs: np.ndarray, ub: np.ndarray, ub_rhs: np.ndarray, *,
                  strict: bool) -> Faces:
    """:func:`batch_faces` one system at a time by the scalar oracle; a system whose decision
    it cannot certify (:class:`~intelgame.errors.Uncertain`) is marked ``uncertain``."""
    n_games, _, n = eq.shape
    ok, uncertain = np.zeros(n_games, dtype=bool), np.zeros(n_games, dtype=bool)
    point, lower, upper = (np.zeros((n_games, n)) for _ in range(3))
    arithmetic = FloatArithmetic()
    for k, rows in enumerate(zip(eq.tolist(), eq_rhs.tolist(), ub.tolist(), ub_rhs.tolist())):
        eq_rows, eq_b, ub_rows, ub_b = rows
        system = LinearSystem(n, tuple(map(tuple, eq_rows)), tuple(eq_b), tuple(map(tuple, ub_rows)), tuple(ub_b))
        try:
            face = arithmetic.open_face(system) if strict else arithmetic.closed_face(system)
        except Uncertain:
            uncertain[k] = True
            continue
        if face is not None:
            ok[k] = True
            point[k], lower[k], upper[k] = face.point, face.lower, face.upper
    return Faces(ok, point, lower, upper, uncertain)


def distinct_rows(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(first, inverse)`` of the rows of the float array ``table`` (N, K) that are equal bit
    for bit: ``table[first[inverse]] == table``, ``first`` in no particular order.

    Each row is hashed to one integer (its bit patterns mixed by SplitMix64's finaliser, which
    spreads the high bits of a float over the low ones, times fixed odd multipliers, summed
    modulo 2**64), so that only a 1-D array is sorted; a hash collision between different rows
    (checked) falls back to comparing whole rows."""
    bits = np.ascontiguousarray(table, dtype=float).view(np.uint64)
    _, first, inverse = np.unique(row_hashes(bits), return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if len(first) < len(bits) and not np.array_equal(bits[first][inverse], bits):  # distinct hashes: distinct rows
        rows = bits.view(np.dtype((np.void, 8 * bits.shape[1]))).reshape(-1)
        _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
    return first, inverse


def row_hashes(bits: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each row of ``bits`` (N, K) uint64 (see :func:`distinct_rows`)."""
    z = bits ^ (bits >> np.uint64(30))
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return np.asarray(z @ _multipliers(bits.shape[1]))


@lru_cache(maxsize=None)
def _multipliers(k: int) -> np.ndarray:
    """``k`` fixed odd 64-bit multipliers for :func:`distinct_rows`."""
    return np.random.default_rng(k).integers(0, 2 ** 63, size=k, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


def _distinct_faces(eq: np.ndarray, eq_rhs: np.ndarray, ub: np.ndarray, ub_rhs: np.ndarray, *,
                    strict: bool) -> Faces:
    """:func:`batch_faces` without the deduplication.

    First, while some equality row has a single non-zero coefficient, on the same variable in
    every game (a block of one variable summing to one: a pure strategy), that variable is
    fixed and substituted out; a pure profile's system thus needs no square system at all.
    Then, while some equality row ``a . x = b`` is the same in every game (a block of
    probabilities summing to one), its last variable ``x_j = (b - sum_{i != j} a_i x_i) / a_j``
    is substituted out and ``x_j >= 0`` becomes an inequality: the vertices are enumerated in
    the remaining variables (fewer, smaller square systems) and mapped back by the affine map
    ``x = M y + c`` common to all games."""
    n_games, _, n = eq.shape
    tol = ZERO_FLOOR
    doubt = np.zeros(n_games, dtype=bool)
    columns = list(range(n))
    fixed: dict[int, np.ndarray] = {}
    while (pick := _singleton_row(eq)) is not None:
        r, j = pick
        value = eq_rhs[:, r] / eq[:, r, j]
        fixed[columns.pop(j)] = value
        eq_rhs = np.delete(eq_rhs - eq[:, :, j] * value[:, None], r, axis=1)
        eq = np.delete(np.delete(eq, r, axis=1), j, axis=2)
        ub_rhs = ub_rhs - ub[:, :, j] * value[:, None]
        ub = np.delete(ub, j, axis=2)
    lift = np.eye(len(columns)), np.zeros(len(columns))
    while (pick := _common_row(eq, eq_rhs)) is not None:
        eq, eq_rhs, ub, ub_rhs, lift = _substitute(eq, eq_rhs, ub, ub_rhs, lift, *pick)
    ok = np.zeros(n_games, dtype=bool)
    point, lower, upper = (np.zeros((n_games, n)) for _ in range(3))
    if n_games:
        reduced = [np.zeros((n_games, len(columns))) for _ in range(3)]
        _reduced_faces(eq, eq_rhs, ub, ub_rhs, tol, ok, *reduced, n_fixed=len(fixed), lift=lift, doubt=doubt)
        for values, part in zip((point, lower, upper), reduced):
            values[:, columns] = part
            for column, value in fixed.items():
                values[:, column] = value
        for value in fixed.values():
            doubt |= grey(value)
            ok &= value >= -tol
    if strict:
        doubt |= ok & some(grey(upper), axis=1)
        ok &= every(upper > tol, axis=1)
    return Faces(ok, _snap(point, tol), _snap(lower, tol), _snap(upper, tol), doubt)


def _singleton_row(eq: np.ndarray) -> tuple[int, int] | None:
    """An equality row with exactly one non-zero entry, in the same column in every game."""
    nonzero = eq != 0
    for r in np.flatnonzero(np.all(nonzero.sum(axis=2) == 1, axis=0)).tolist():
        column = nonzero[:, r].argmax(axis=1)
        if np.all(column == column[0]):
            return r, int(column[0])
    return None


def _common_row(eq: np.ndarray, eq_rhs: np.ndarray) -> tuple[int, int] | None:
    """An equality row with two or more non-zero entries, the same (and the same right-hand
    side) in every game, and its last non-zero column."""
    same = np.all(eq == eq[:1], axis=(0, 2)) & np.all(eq_rhs == eq_rhs[:1], axis=0)
    for r in np.flatnonzero(same).tolist():
        nonzero = np.flatnonzero(eq[0, r])
        if len(nonzero) >= 2:
            return r, int(nonzero[-1])
    return None


def _substitute(eq: np.ndarray, eq_rhs: np.ndarray, ub: np.ndarray, ub_rhs: np.ndarray,
                lift: tuple[np.ndarray, np.ndarray], r: int,
                j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Substitute ``y_j = coef . y + const`` from the common equality row ``r`` (see
    :func:`_distinct_faces`) into every row and into the map ``x = M y + c``; ``y_j >= 0``
    becomes the inequality ``-coef . y <= const``."""
    n_games = eq.shape[0]
    row = eq[0, r]
    coef = -row / row[j]
    coef[j] = 0.0
    const = eq_rhs[0, r] / row[j]
    eq_rhs = np.delete(eq_rhs - eq[:, :, j] * const, r, axis=1)
    eq = np.delete(np.delete(eq + eq[:, :, j:j + 1] * coef, r, axis=1), j, axis=2)
    ub_rhs = np.concatenate([ub_rhs - ub[:, :, j] * const, np.full((n_games, 1), const)], axis=1)
    ub = np.concatenate([ub + ub[:, :, j:j + 1] * coef, np.broadcast_to(-coef, (n_games, 1, len(coef)))], axis=1)
    ub = np.delete(ub, j, axis=2)
    m, c = lift
    m, c = np.delete(m + np.outer(m[:, j], coef), j, axis=1), c + m[:, j] * const
    return eq, eq_rhs, ub, ub_rhs, (m, c)


def _reduced_faces(eq: np.ndarray, eq_rhs: np.ndarray, ub: np.ndarray, ub_rhs: np.ndarray, tol: float,
                   ok: np.ndarray, point: np.ndarray, lower: np.ndarray, upper: np.ndarray, *,
                   n_fixed: int, lift: tuple[np.ndarray, np.ndarray], doubt: np.ndarray) -> None:
    """The faces of the systems in ``y`` (no presolve), written to the output arrays in
    ``x = M y + c`` (``lift``); ``n_fixed`` constant variables were substituted out (see
    :func:`_lexicographic_mean`)."""
    n_games, e, n = eq.shape
    if n == 0:  # nothing left to choose: the constraints hold or not
        ok[:] = every(np.abs(eq_rhs) <= tol, axis=1) & every(ub_rhs >= -tol, axis=1)
        doubt |= some(grey(eq_rhs), axis=1) | some(grey(ub_rhs), axis=1)
        for values in (point, lower, upper):
            values[:] = lift[1]
        return
    # A vertex solves n independent rows, all of E's among them if they are independent (the
    # first try), else all of E's but one if those are (the second), else any n rows (the last).
    todo = np.arange(n_games)
    others = tuple(range(e, e + ub.shape[1] + n))
    for drop in (0, 1):
        for removed in itertools.combinations(range(e), drop):
            if e - drop > n or not len(todo):
                continue
            fixed = tuple(r for r in range(e) if r not in removed)
            regular = _vertex_faces(eq[todo], eq_rhs[todo], ub[todo], ub_rhs[todo], fixed, others, tol,
                                    todo, ok, point, lower, upper, n_fixed, lift, doubt)
            todo = todo[~regular]
    if len(todo):
        _vertex_faces(eq[todo], eq_rhs[todo], ub[todo], ub_rhs[todo], (), tuple(range(e)) + others, tol,
                      todo, ok, point, lower, upper, n_fixed, lift, doubt)


def _feasible(rows: np.ndarray, rows_rhs: np.ndarray, e: int, x: np.ndarray,
              tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Which candidate points ``x`` (N, C, n) satisfy game ``g``'s constraints ``rows``
    (N, R, n), ``rows_rhs`` (N, R) (the first ``e`` equalities, the others inequalities
    ``<=``, ``-x <= 0`` among them), within ``tol``, and which of those decisions were
    uncertain (:func:`grey`), (N, C) each: every residual in one product."""
    residual = np.matmul(x, rows.transpose(0, 2, 1))  # (N, C, R)
    residual -= rows_rhs[:, None]
    feasible = ~np.any(residual > tol, axis=2)
    if e:
        feasible &= ~np.any(np.abs(residual[..., :e]) > tol, axis=2)
    uncertain = np.any(grey(residual), axis=2)
    return feasible, uncertain


def _vertex_faces(eq: np.ndarray, eq_rhs: np.ndarray, ub: np.ndarray, ub_rhs: np.ndarray, fixed: tuple[int, ...],
                  pool: tuple[int, ...], tol: float, where: np.ndarray, ok: np.ndarray, point: np.ndarray,
                  lower: np.ndarray, upper: np.ndarray, n_fixed: int,
                  lift: tuple[np.ndarray, np.ndarray], doubt: np.ndarray) -> np.ndarray:
    """Vertex enumeration: solve every square system made of the rows ``fixed`` and
    ``n - len(fixed)`` rows of ``pool`` (indices into the rows of ``eq``, ``ub`` and
    ``-x <= 0``, stacked), keep the solutions that satisfy every constraint, and write the
    faces to rows ``where`` of the outputs. Returns which games had a regular square system."""
    n_games, e, n = eq.shape
    rows = np.concatenate([eq, ub, np.broadcast_to(-np.eye(n), (n_games, n, n))], axis=1)
    rows_rhs = np.concatenate([eq_rhs, ub_rhs, np.zeros((n_games, n))], axis=1)
    combos = _square_systems(fixed, pool, n)
    norms = np.linalg.norm(rows, axis=-1)  # (N, rows): each row's, once for every square system holding it
    x = np.zeros((n_games, 0, n))
    regular = np.zeros((n_games, 0), dtype=bool)
    unsure = np.zeros(n_games, dtype=bool)
    for start in range(0, len(combos), MAX_SQUARE_SYSTEMS):  # bounded memory per call
        chosen = combos[start:start + MAX_SQUARE_SYSTEMS]
        good, solution, near = _solve_squares(rows, rows_rhs, chosen, np.prod(norms[:, chosen], axis=-1))
        x = np.concatenate([x, solution], axis=1)
        regular = np.concatenate([regular, good], axis=1)
        unsure |= some(near, axis=1)
    feasible, uncertain = _feasible(rows, rows_rhs, e, x, tol)
    unsure |= some(regular & uncertain, axis=1)
    feasible &= regular
    found = some(feasible, axis=1)
    x = x @ lift[0].T + lift[1]  # the candidates in the original variables
    # only the candidates feasible in some game matter below (in their order: the first one
    # left is the same); most square systems' solutions are not vertices
    keep = np.flatnonzero(some(feasible, axis=0))
    if not len(keep):  # no vertex anywhere: one candidate keeps the reductions below defined
        keep = np.arange(min(1, feasible.shape[1]))
    if len(keep) < feasible.shape[1]:
        x, feasible = x[:, keep], feasible[:, keep]
    low = least(np.where(feasible[..., None], x, np.inf), axis=1)  # (N, n)
    high = largest(np.where(feasible[..., None], x, -np.inf), axis=1)
    ok[where] = found
    wide_ranges = high - low
    high = np.where(found[:, None] & (wide_ranges <= tol), low, high)  # a zero width is a decision: the face is a point there
    unsure |= found & some(np.where(np.isfinite(wide_ranges), grey(wide_ranges), False), axis=1)
    doubt[where] |= unsure
    lower[where] = np.where(found[:, None], low, 0.0)
    upper[where] = np.where(found[:, None], high, 0.0)
    # a single point (every range within tol) is its own representative; the others need the
    # lexicographic optimisers
    mean = np.where(found[:, None], low, 0.0)
    wide = np.flatnonzero(found & some(high - low > tol, axis=1))
    if len(wide):
        mean[wide] = _lexicographic_mean(x[wide], feasible[wide], low[wide], high[wide], tol, n_fixed)
    point[where] = mean
    return some(regular, axis=1)


def _solve_squares(rows: np.ndarray, rows_rhs: np.ndarray, chosen: np.ndarray,
                   scale: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(regular, x, uncertain)`` for the square systems ``square x = rhs`` of the rows
    ``chosen`` (C, n) of ``rows`` (N, R, n), ``rows_rhs`` (N, R), (N, C) and (N, C, n):
    regular when ``|det| > SINGULAR * scale``, ``scale`` (N, C) the product of each system's row
    norms (Hadamard's bound), uncertain when the relative determinant
    is in the filter's band (:func:`grey`); ``x`` is meaningless (0) where not regular.
    Cramer's rule for ``n <= 2`` (a few array operations instead of a LAPACK call per
    system), LAPACK's solve above, for the regular systems only; the determinant (a decision
    value only) from the rows' minors up to ``n = 4`` (:func:`_determinants`)."""
    n = rows.shape[-1]
    if n <= 2:
        square, rhs = rows[:, chosen], rows_rhs[:, chosen]  # (N, C, n, n), (N, C, n)
        a = square[..., 0, 0]
        det = a if n == 1 else a * square[..., 1, 1] - square[..., 0, 1] * square[..., 1, 0]
    else:
        det = _determinants(rows, chosen) if n <= 4 else np.linalg.det(rows[:, chosen])
    good = np.abs(det) > SINGULAR * scale
    near = grey(np.divide(det, scale, out=np.zeros_like(det), where=scale > 0))
    if n > 2:  # only the regular systems are solved (each by its own LU: the same solution)
        x = np.zeros((*good.shape, n))
        games, systems = np.nonzero(good)
        picked = (games[:, None], chosen[systems])
        x[games, systems] = np.linalg.solve(rows[picked], rows_rhs[picked][..., None])[..., 0]
        return good, x, near
    safe = np.where(good, det, 1.0)
    if n == 1:
        return good, rhs / safe[..., None], near
    b, c, d = square[..., 0, 1], square[..., 1, 0], square[..., 1, 1]
    u, v = rhs[..., 0], rhs[..., 1]
    return good, np.stack([(u * d - b * v) / safe, (a * v - u * c) / safe], axis=-1), near


def _determinants(rows: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """The determinants (N, C) of the square systems of the rows ``chosen`` (C, n), ``n`` 3 or
    4, of ``rows`` (N, R, n), by Laplace expansion: for ``n = 3`` the first row against the
    cross product of the other two, for ``n = 4`` the 2x2 minors of the first two rows against
    their complements in the last two. The products and minors of every pair of rows are
    formed once and shared by all the systems holding it (a few array operations instead of a
    LAPACK factorisation per system)."""
    n = rows.shape[-1]
    first, second = rows[:, :, None, :], rows[:, None, :, :]  # every ordered pair of rows
    columns = [(1, 2), (2, 0), (0, 1)] if n == 3 else [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    pairs = np.stack([first[..., i] * second[..., j] - first[..., j] * second[..., i] for i, j in columns],
                     axis=-1)  # (N, R, R, 3 or 6): cross products, or 2x2 minors
    if n == 3:
        return np.asarray(np.einsum("gck,gck->gc", rows[:, chosen[:, 0]], pairs[:, chosen[:, 1], chosen[:, 2]]))
    complements = pairs[:, chosen[:, 2], chosen[:, 3], ::-1] * np.array([1.0, -1.0, 1.0, 1.0, -1.0, 1.0])
    return np.asarray(np.einsum("gck,gck->gc", pairs[:, chosen[:, 0], chosen[:, 1]], complements))


def _lexicographic_mean(x: np.ndarray, feasible: np.ndarray, low: np.ndarray, high: np.ndarray,
                        tol: float, n_fixed: int) -> np.ndarray:
    """The mean over the objectives ``x_i`` and ``-x_i`` of the lexicographically least
    optimal candidate (optimal: ``x_i`` within ``tol`` of ``low_i``, resp. ``high_i``; then
    ``x_0`` within ``tol`` of its least value among those, and so on), (N, n). Each of the
    ``n_fixed`` constant variables substituted out contributes two objectives whose optimal
    set is the whole polytope: twice its lexicographically least vertex."""
    n_games, candidates, n = x.shape
    # each game's feasible candidates, moved to the front in their order (the first one left
    # is the same): most games have a few vertices among many candidates
    width = max(int(feasible.sum(axis=1).max(initial=0)), 1)
    if 2 * width <= candidates:
        order = np.argsort(~feasible, axis=1, kind="stable")[:, :width]
        x, feasible = np.take_along_axis(x, order[..., None], axis=1), np.take_along_axis(feasible, order, axis=1)
    coordinates = x.transpose(0, 2, 1)  # (N, n, C)
    mask = np.concatenate([coordinates <= low[..., None] + tol, coordinates >= high[..., None] - tol,
                           np.ones_like(coordinates[:, :1], dtype=bool)], axis=1) & feasible[:, None, :]  # (N, 2n+1, C)
    for k in range(n):
        values = coordinates[:, None, k, :]
        lowest = least(np.where(mask, values, np.inf), axis=2)
        mask &= values <= lowest[..., None] + tol
    chosen = x[np.arange(n_games)[:, None], mask.argmax(axis=2)]  # (N, 2n+1, n): the first one left
    total = chosen[:, :2 * n].sum(axis=1) + 2 * n_fixed * chosen[:, 2 * n]
    return np.asarray(total / (2 * (n + n_fixed)))


def _snap(values: np.ndarray, tol: float) -> np.ndarray:
    """Values within ``tol`` of 0 or 1 become 0 or 1 (as ``FloatArithmetic`` cleans them)."""
    values = np.where(np.abs(values) <= tol, 0.0, values)
    return np.where(np.abs(values - 1.0) <= tol, 1.0, values)
