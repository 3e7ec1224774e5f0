"""Hand a Pyomo model to HiGHS in memory and read the solution back in bulk.

The Pyomo model is compiled to matrix form by Pyomo's ``LinearStandardFormCompiler`` and
passed to ``highspy`` in one call (no LP file); after the solve, primal values and duals
are read back in bulk as arrays and mapped to the Pyomo components.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from ..errors import SolverError


@dataclass
class StandardForm:
    """The LP as arrays: minimise ``cost @ x + offset`` subject to
    ``row_lower <= matrix @ x <= row_upper`` and ``lower <= x <= upper`` (``inf`` where
    unbounded), with the Pyomo variable of each column and constraint of each row."""

    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    matrix: Any
    """The constraint matrix, ``scipy.sparse.csc_matrix``."""
    offset: float
    columns: list[Any]
    """Pyomo variable of each column."""
    rows: list[Any]
    """Pyomo constraint of each row."""

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return len(self.rows), len(self.columns)

    def same_matrix(self, other: StandardForm) -> bool:
        """Whether ``other`` has the same constraint matrix (shape, pattern and values): then
        it differs from this LP at most in costs, bounds and right-hand sides.

        Examples
        --------
        >>> import pyomo.environ as pyo
        >>> def lp(cost, coefficient):
        ...     m = pyo.ConcreteModel()
        ...     m.x = pyo.Var(bounds=(0, 4))
        ...     m.c = pyo.Constraint(expr=coefficient * m.x >= 1)
        ...     m.o = pyo.Objective(expr=cost * m.x)
        ...     return standard_form(m)
        >>> lp(2, 1).same_matrix(lp(3, 1)), lp(2, 1).same_matrix(lp(2, 5))
        (True, False)
        """
        a, b = self.matrix, other.matrix
        return (
            a.shape == b.shape
            and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices)
            and np.array_equal(a.data, b.data)
        )


def standard_form(model: pyo.ConcreteModel) -> StandardForm:
    """Compile the Pyomo model to matrix form.

    Pyomo's :class:`~pyomo.repn.plugins.standard_form.LinearStandardFormCompiler` turns the
    model into ``c``, a sparse ``A`` and row senses in one pass over the constraints. A
    variable that appears in no row and no cost is not a column.

    Examples
    --------
    >>> import pyomo.environ as pyo
    >>> m = pyo.ConcreteModel()
    >>> m.x = pyo.Var(bounds=(0, 4))
    >>> m.y = pyo.Var(bounds=(0, None))
    >>> m.c = pyo.Constraint(expr=m.x + 2 * m.y >= 1)
    >>> m.o = pyo.Objective(expr=3 * m.x + m.y + 5)
    >>> f = standard_form(m)
    >>> f.cost.tolist(), f.upper.tolist(), f.row_lower.tolist(), f.offset
    ([3.0, 1.0], [4.0, inf], [1.0], 5.0)
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
    sense = np.fromiter((s for _, s in info.rows), int, len(info.rows))
    rhs = np.asarray(info.rhs, dtype=float).reshape(-1)
    cost = np.asarray(info.c.toarray(), dtype=float)
    return StandardForm(
        cost=cost[0, order] if cost.shape[0] else np.zeros(len(columns)),
        lower=np.nan_to_num(bounds[:, 0], nan=-np.inf),
        upper=np.nan_to_num(bounds[:, 1], nan=np.inf),
        row_lower=np.where(sense <= 0, rhs, -np.inf),
        row_upper=np.where(sense >= 0, rhs, np.inf),
        matrix=a,
        offset=float(info.c_offset[0]) if len(info.c_offset) else 0.0,
        columns=columns,
        rows=[con for con, _ in info.rows],
    )


def to_highs(form: StandardForm) -> highspy.Highs:
    """Pass the arrays to a new ``highspy.Highs`` as one ``HighsLp`` (``passModel``).

    Examples
    --------
    >>> import pyomo.environ as pyo
    >>> m = pyo.ConcreteModel()
    >>> m.x = pyo.Var(bounds=(0, 4))
    >>> m.c = pyo.Constraint(expr=m.x >= 1)
    >>> m.o = pyo.Objective(expr=2 * m.x)
    >>> h = to_highs(standard_form(m))
    >>> _ = h.run()
    >>> h.getObjectiveValue()
    2.0
    """
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = form.shape
    lp.col_cost_ = form.cost
    lp.col_lower_ = np.clip(form.lower, -inf, inf)
    lp.col_upper_ = np.clip(form.upper, -inf, inf)
    lp.row_lower_ = np.clip(form.row_lower, -inf, inf)
    lp.row_upper_ = np.clip(form.row_upper, -inf, inf)
    lp.offset_ = form.offset
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = form.matrix.indptr
    lp.a_matrix_.index_ = form.matrix.indices
    lp.a_matrix_.value_ = form.matrix.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise SolverError("optimize: HiGHS rejected the compiled LP")
    return h


@dataclass
class HandOver:
    """The LP as HiGHS holds it, with the maps from Pyomo components to columns and rows."""

    highs: highspy.Highs
    columns: list[Any]
    """Pyomo variable of each HiGHS column."""
    rows: list[Any]
    """Pyomo constraint of each HiGHS row."""
    form: StandardForm | None = None
    """The arrays handed over (what an in-place update compares against)."""

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return len(self.rows), len(self.columns)


def hand_over(model: pyo.ConcreteModel) -> HandOver:
    """Compile the Pyomo model to matrix form and pass it to HiGHS in one call.

    :func:`standard_form`, then :func:`to_highs`. On our models this is 3-5x faster than
    ``pyomo.contrib.solver``'s persistent HiGHS interface, which adds rows and columns one
    Pyomo component at a time (see benchmarks/README.md).

    Examples
    --------
    >>> import pyomo.environ as pyo
    >>> m = pyo.ConcreteModel()
    >>> m.x = pyo.Var(bounds=(0, 4))
    >>> m.c = pyo.Constraint(expr=m.x >= 1)
    >>> m.o = pyo.Objective(expr=2 * m.x)
    >>> hand_over(m).shape
    (1, 1)
    """
    form = standard_form(model)
    return HandOver(to_highs(form), form.columns, form.rows, form)


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
