"""Solve a network's LP with HiGHS, handed over in memory; re-solve it in place.

One call: :func:`optimize` (:mod:`~jkenergy.solve.optimizer`). In stages:
:func:`compile` -> :meth:`CompiledLP.solve` -> :meth:`CompiledLP.result`, with
:meth:`CompiledLP.update` / ``set_costs`` / ``set_bounds`` / ``set_rhs`` in place between
solves (:mod:`~jkenergy.solve.compiled`). The pieces: :mod:`~jkenergy.solve.presets`
(algorithm presets), :mod:`~jkenergy.solve.options` (the one solver-options type),
:mod:`~jkenergy.solve.handover` (Pyomo model -> HiGHS in memory, solution back),
:mod:`~jkenergy.solve.outcome` (typed termination, solution status, stats, the tolerance
check), :mod:`~jkenergy.solve.progress` (live progress from HiGHS's log),
:mod:`~jkenergy.solve.diagnosis` (where an infeasible model falls short),
:mod:`~jkenergy.solve.resolve` (a sweep's in-place re-solve) and
:mod:`~jkenergy.solve.size` (where the LP's rows, columns and nonzeros go).
"""

from ..network import register_optimizer
from ..results import SolutionStatus, SolveStats, Status, TerminationCondition
from .compiled import CompiledLP, compile
from .handover import hand_over
from .optimizer import optimize
from .options import FILE_SAFE_OPTIONS, SolverOptions
from .outcome import SolveOutcome
from .presets import ALGORITHMS, AUTO_SIMPLEX_MAX_COLUMNS, auto_preset, hipo_available
from .progress import Progress, ProgressLine
from .size import lp_size, presolve_size

register_optimizer(optimize)

__all__ = [
    "ALGORITHMS",
    "AUTO_SIMPLEX_MAX_COLUMNS",
    "FILE_SAFE_OPTIONS",
    "CompiledLP",
    "Progress",
    "ProgressLine",
    "SolutionStatus",
    "SolveOutcome",
    "SolveStats",
    "SolverOptions",
    "Status",
    "TerminationCondition",
    "auto_preset",
    "compile",
    "hand_over",
    "hipo_available",
    "lp_size",
    "optimize",
    "presolve_size",
]
