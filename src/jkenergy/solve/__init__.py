"""Solve a network's LP with HiGHS, handed over in memory; re-solve it in place.

:mod:`~jkenergy.solve.highs` compiles the Pyomo model and hands it to HiGHS;
:mod:`~jkenergy.solve.resolve` changes costs, bounds and right-hand sides of a compiled LP
in place and re-solves it warm-started (what sweeps use).
"""

from ..network import register_optimizer
from .highs import (
    ALGORITHMS,
    AUTO_SIMPLEX_MAX_COLUMNS,
    auto_preset,
    hand_over,
    hipo_available,
    optimize,
)

register_optimizer(optimize)

__all__ = [
    "ALGORITHMS",
    "AUTO_SIMPLEX_MAX_COLUMNS",
    "auto_preset",
    "hand_over",
    "hipo_available",
    "optimize",
]
