"""Solve a network's LP with HiGHS, handed over in memory; re-solve it in place.

:mod:`~jkenergy.solve.presets` names the HiGHS algorithm presets;
:mod:`~jkenergy.solve.options` checks solver options; :mod:`~jkenergy.solve.handover`
compiles the Pyomo model and hands it to HiGHS; :mod:`~jkenergy.solve.diagnosis` says where
an infeasible model falls short; :mod:`~jkenergy.solve.optimizer` is :func:`optimize`;
:mod:`~jkenergy.solve.resolve` changes costs, bounds and right-hand sides of a compiled LP
in place and re-solves it warm-started (what sweeps use).
"""

from ..network import register_optimizer
from .handover import hand_over
from .optimizer import optimize
from .presets import ALGORITHMS, AUTO_SIMPLEX_MAX_COLUMNS, auto_preset, hipo_available

register_optimizer(optimize)

__all__ = [
    "ALGORITHMS",
    "AUTO_SIMPLEX_MAX_COLUMNS",
    "auto_preset",
    "hand_over",
    "hipo_available",
    "optimize",
]
