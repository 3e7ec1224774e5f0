"""Hand a Pyomo model to HiGHS in memory and read the solution back in bulk.

The Pyomo model is compiled to matrix form by Pyomo's ``LinearStandardFormCompiler`` and
passed to ``highspy`` in one call (no LP file); after the solve, primal values and duals
are read back in bulk as arrays and mapped to the Pyomo components.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from ..errors import SolverError

_MODEL_STATUS = {
    "kOptimal": "optimal",
    "kTimeLimit": "time_limit",
    "kIterationLimit": "iteration_limit",
    "kSolutionLimit": "iteration_limit",
    "kObjectiveBound": "objective_limit",
    "kObjectiveTarget": "objective_limit",
    "kInfeasible": "infeasible",
    "kUnboundedOrInfeasible": "infeasible_or_unbounded",
    "kUnbounded": "unbounded",
    "kInterrupt": "interrupted",
    "kLoadError": "error",
    "kModelError": "error",
    "kPresolveError": "error",
    "kSolveError": "error",
    "kPostsolveError": "error",
    "kMemoryLimit": "error",
}
"""HiGHS model status -> our termination condition (anything else is ``"unknown"``)."""


@dataclass
class HandOver:
    """The LP as HiGHS holds it, with the maps from Pyomo components to columns and rows."""

    highs: highspy.Highs
    columns: list[Any]
    """Pyomo variable of each HiGHS column."""
    rows: list[Any]
    """Pyomo constraint of each HiGHS row."""

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.columns)


def hand_over(model: pyo.ConcreteModel) -> HandOver:
    """Compile the Pyomo model to matrix form and pass it to HiGHS in one call.

    Pyomo's :class:`~pyomo.repn.plugins.standard_form.LinearStandardFormCompiler` turns the
    model into ``c``, a sparse ``A`` and row senses in one pass over the constraints; the
    arrays go to ``highspy.Highs.passModel`` as one ``HighsLp``. On our models this is 3-5x
    faster than ``pyomo.contrib.solver``'s persistent HiGHS interface, which adds rows and
    columns one Pyomo component at a time (see benchmarks/README.md).
    """
    info = LinearStandardFormCompiler().write(model, mixed_form=True)
    a = info.A.tocsc()
    # Columns in order of first appearance in the rows (as Pyomo's persistent interface
    # orders them), so that degenerate LPs end at the same vertex whichever path is used.
    nonempty = np.diff(a.indptr) > 0
    first = np.full(a.shape[1], len(info.rows))
    first[nonempty] = a.indices[a.indptr[:-1][nonempty]]
    order = np.argsort(first, kind="stable")
    a = a[:, order]
    columns = [info.columns[j] for j in order]
    bounds = np.array([v.bounds for v in columns], dtype=float).reshape(len(columns), 2)
    lower = np.nan_to_num(bounds[:, 0], nan=-highspy.kHighsInf)
    upper = np.nan_to_num(bounds[:, 1], nan=highspy.kHighsInf)
    sense = np.fromiter((s for _, s in info.rows), int, len(info.rows))
    rhs = np.asarray(info.rhs, dtype=float).reshape(-1)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(columns), len(info.rows)
    cost = np.asarray(info.c.toarray(), dtype=float)
    lp.col_cost_ = cost[0, order] if cost.shape[0] else np.zeros(len(columns))
    lp.col_lower_, lp.col_upper_ = lower, upper
    lp.row_lower_ = np.where(sense <= 0, rhs, -highspy.kHighsInf)
    lp.row_upper_ = np.where(sense >= 0, rhs, highspy.kHighsInf)
    lp.offset_ = float(info.c_offset[0]) if len(info.c_offset) else 0.0
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise SolverError("optimize: HiGHS rejected the compiled LP")
    return HandOver(h, columns, [con for con, _ in info.rows])


def _run(model: pyo.ConcreteModel, options: dict[str, Any], log: bool):
    """Hand the model to HiGHS and solve it.

    Returns
    -------
    (HandOver, termination condition, objective in model units or None, hand-over s, solve s)
    """
    start = time.perf_counter()
    lp = hand_over(model)
    handover = time.perf_counter() - start
    h = lp.highs
    h.setOptionValue("output_flag", bool(log))
    for key, value in options.items():
        h.setOptionValue(key, value)
    start = time.perf_counter()
    h.run()
    solve = time.perf_counter() - start
    status = h.getModelStatus()
    term = _MODEL_STATUS.get(status.name, "unknown")
    if lp.shape[0] == 0 and status.name == "kModelEmpty":
        term = "optimal"
    info = h.getInfo()
    feasible = info.primal_solution_status == 2 or term == "optimal"
    objective = h.getObjectiveValue() if feasible else None
    return lp, term, objective, handover, solve


def _closest_to_zero(bounds: tuple[float | None, float | None]) -> float:
    lb, ub = bounds
    return min(max(0.0, -math.inf if lb is None else lb), math.inf if ub is None else ub)


class Solution:
    """Bulk access to primal values and duals of a solved LP, by Pyomo component."""

    def __init__(self, lp: HandOver) -> None:
        sol = lp.highs.getSolution()
        self._col = np.asarray(sol.col_value, dtype=float)
        self._row = np.asarray(sol.row_dual, dtype=float) if sol.dual_valid else None
        self._var_col = {id(v): j for j, v in enumerate(lp.columns)}
        self._con_row = {id(c): r for r, c in enumerate(lp.rows)}

    def values(self, var: pyo.Var, shape: tuple[int, ...]) -> np.ndarray:
        """Values of an indexed variable as an array of ``shape`` (0 where not declared).

        A variable that appears in no row and no cost is not handed to HiGHS; it takes the
        value in its bounds closest to 0.
        """
        out = np.zeros(shape)
        if len(var):
            keys, values = [], []
            for k, v in var.items():
                keys.append(k)
                j = self._var_col.get(id(v))
                values.append(self._col[j] if j is not None else _closest_to_zero(v.bounds))
            out[tuple(np.array(keys, dtype=int).reshape(len(keys), -1).T)] = values
        return out

    def duals(self, con: pyo.Constraint, shape: tuple[int, ...]) -> np.ndarray:
        """Duals of an indexed constraint as an array of ``shape`` (NaN where no row exists)."""
        out = np.full(shape, np.nan)
        if self._row is None or not len(con):
            return out
        keys, rows = [], []
        for k, c in con.items():
            r = self._con_row.get(id(c))
            if r is not None:
                keys.append(k)
                rows.append(r)
        if keys:
            out[tuple(np.array(keys, dtype=int).reshape(len(keys), -1).T)] = self._row[rows]
        return out
