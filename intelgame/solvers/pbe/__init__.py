"""Perfect Bayesian equilibria of signalling games: the support enumeration of one game
(:mod:`~intelgame.solvers.pbe.enumeration`), of a batch of games (:mod:`~intelgame.solvers.pbe.batch`)
and the table of a batch's equilibria (:mod:`~intelgame.solvers.pbe.table`)."""
