"""Polytopes of linear systems, independent of games: the simplex kernels (exact and float,
:mod:`~intelgame.geometry.simplex`), faces and the arithmetics that decide them
(:mod:`~intelgame.geometry.faces`), batched faces (:mod:`~intelgame.geometry.vertices`) and the
enumeration of supports (:mod:`~intelgame.geometry.supports`)."""
