"""Polytopes of linear systems: the simplex kernels (exact and float), faces and their
arithmetics (:mod:`~intelgame.geometry.faces`), batched faces (:mod:`~intelgame.geometry.vertices`),
the belief cells of a signalling game and the enumeration of supports."""
