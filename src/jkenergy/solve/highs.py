"""Solve a network with HiGHS, handed over in memory.

The Pyomo model is compiled to matrix form by Pyomo's ``LinearStandardFormCompiler`` and
passed to ``highspy`` in one call (no LP file); after the solve, primal values and duals
are read back in bulk as arrays and mapped to the Pyomo components.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from ..errors import InfeasibleError, SolverError, UnboundedError
from ..model import build_model, prepare
from ..model.inputs import CO2, MONEY, POWER
from ..results import Result, build_dataset

if TYPE_CHECKING:
    from ..network import Network

logger = logging.getLogger(__name__)

ALGORITHMS: dict[str, dict[str, Any]] = {
    "auto": {},
    "simplex": {"solver": "simplex"},
    "ipm": {"solver": "ipm", "run_crossover": "on"},
    "ipm-nocrossover": {"solver": "ipm", "run_crossover": "off"},
    "hipo": {"solver": "hipo", "run_crossover": "on"},
    "hipo-nocrossover": {"solver": "hipo", "run_crossover": "off"},
    "pdlp": {"solver": "pdlp"},
}
"""HiGHS option presets per ``algorithm`` name; ``"auto"`` (the default) picks one by LP size
(:func:`auto_preset`).

``"ipm"`` is HiGHS's IPX interior point, ``"hipo"`` its factorisation-based interior point
HiPO (needs the ``highspy-extras`` package, installed with jkenergy; see
:func:`hipo_available`), both with crossover to a vertex; ``"pdlp"`` is the first-order
method cuPDLP-C.

Measured on the Japan-Korea networks (benchmarks/README.md, 2 shared cores): dual simplex
is the fastest preset up to a month of national hours (0.3 s for a week, 1.7-3.9 s for a
month against 12 s for IPX and 8.6 s for PDLP). On the full national year HiPO with
crossover solves in 133-161 s, IPX in 2,484 s; PDLP to a relative feasibility of 1e-5
reaches the optimum in 83-91 s but is not a vertex and, on some of the scenarios, fails
HiGHS's final check of the unscaled tolerances (status ``unknown``), which then costs a
second solve."""

AUTO_SIMPLEX_MAX_COLUMNS = 50_000
"""``"auto"`` uses simplex up to this many LP columns and :func:`auto_preset`'s large-LP
preset above."""

AUTO_LARGE: dict[str, Any] = {
    "solver": "pdlp",
    "primal_feasibility_tolerance": 1e-5,
    "dual_feasibility_tolerance": 1e-5,
}
"""The ``"auto"`` preset for large LPs when HiPO is not available: PDLP (first-order,
scales with the matrix size). If it ends without proving optimality (other than on the
time limit), ``"auto"`` solves again with interior point."""


@functools.cache
def hipo_available() -> bool:
    """Whether this HiGHS build can run HiPO (it needs ``highspy-extras``).

    ``pip install jkenergy`` installs ``highspy[extras]``; where no ``highspy-extras``
    wheel exists for the platform, ``"auto"`` uses PDLP for large LPs instead.
    """
    probe = highspy.Highs()
    probe.setOptionValue("output_flag", False)
    return probe.setOptionValue("solver", "hipo") == highspy.HighsStatus.kOk


def auto_preset(n_columns: int) -> tuple[str, dict[str, Any]]:
    """The preset ``"auto"`` uses for an LP of ``n_columns`` columns: (name, options).

    Simplex up to :data:`AUTO_SIMPLEX_MAX_COLUMNS`; above, HiPO with crossover where
    :func:`hipo_available`, else PDLP (:data:`AUTO_LARGE`).

    Examples
    --------
    >>> auto_preset(1_000)
    ('simplex', {'solver': 'simplex'})
    """
    if n_columns <= AUTO_SIMPLEX_MAX_COLUMNS:
        return "simplex", ALGORITHMS["simplex"]
    if hipo_available():
        return "hipo", ALGORITHMS["hipo"]
    return "pdlp", AUTO_LARGE


def _highs_options(
    algorithm: str,
    threads: int | None,
    time_limit: float | None,
    highs_options: dict[str, Any],
) -> dict[str, Any]:
    """Merge the algorithm preset with user options and check each name with HiGHS."""
    if algorithm not in ALGORITHMS:
        raise SolverError(
            f"optimize: algorithm must be one of {list(ALGORITHMS)}, got {algorithm!r}"
        )
    options = {**ALGORITHMS[algorithm], **highs_options}
    if threads is not None:
        options["threads"] = int(threads)
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    probe = highspy.Highs()
    probe.setOptionValue("output_flag", False)
    for key, value in options.items():
        if probe.setOptionValue(key, value) != highspy.HighsStatus.kOk:
            raise SolverError(
                f"optimize: HiGHS rejected option {key}={value!r} (unknown name or bad value)"
            )
    return options


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


def optimize(
    network: Network,
    algorithm: str = "auto",
    threads: int | None = None,
    time_limit: float | None = None,
    log: bool = False,
    **highs_options: Any,
) -> Result:
    """Build, solve and read back the LP of a network.

    Parameters
    ----------
    network : Network
    algorithm : str, default "auto"
        HiGHS preset, one of :data:`ALGORITHMS` (``"auto"``, ``"simplex"``, ``"ipm"``,
        ``"ipm-nocrossover"``, ``"hipo"``, ``"hipo-nocrossover"``, ``"pdlp"``).
        ``"auto"`` is simplex up to :data:`AUTO_SIMPLEX_MAX_COLUMNS` LP columns and HiPO
        above (PDLP where HiPO is not available, see :func:`auto_preset`); if the
        large-LP solve ends without proving optimality (other than on ``time_limit``) it
        solves again with interior point.
    threads : int, optional
        HiGHS threads.
    time_limit : float, optional
        Seconds; on reaching it the result is returned with ``status="warning"``.
    log : bool, default False
        Show HiGHS's log.
    **highs_options
        Any HiGHS option by its HiGHS name (``primal_feasibility_tolerance``,
        ``dual_feasibility_tolerance``, ``ipm_optimality_tolerance``, ...); a name HiGHS
        does not know raises :class:`~jkenergy.errors.SolverError`.

    Returns
    -------
    Result

    Raises
    ------
    InfeasibleError
        With the buses and snapshots that fall short (found by re-solving with slack).
    UnboundedError
        If HiGHS reports the objective unbounded.

    Examples
    --------
    >>> import pandas as pd
    >>> import jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    >>> n.add_bus("JP", country="JP")
    >>> n.add_load("d", bus="JP", p=[50.0, 150.0])
    >>> n.add_generator("coal", bus="JP", carrier="coal", p_nom=100.0, marginal_cost=30.0)
    >>> n.add_generator("gas", bus="JP", carrier="gas", p_nom=100.0, marginal_cost=80.0)
    >>> r = jk.optimize(n, algorithm="simplex")
    >>> r.dataset["bus_price"].sel(bus="JP").values.tolist()
    [30.0, 80.0]
    """
    options = _highs_options(algorithm, threads, time_limit, highs_options)
    start = time.perf_counter()
    x = prepare(network)
    model = build_model(x)
    build_s = time.perf_counter() - start
    auto = algorithm == "auto"
    if auto:
        columns = sum(len(v) for v in model.component_objects(pyo.Var, active=True))
        algorithm, preset = auto_preset(columns)
        options = {**preset, **options}
    lp, term, incumbent, handover_s, solve_s = _run(model, options, log)
    if algorithm != "simplex" and auto and term not in ("optimal", "time_limit"):
        fallback = "hipo" if algorithm == "pdlp" and hipo_available() else "ipm"
        logger.info("%s ended %s; auto solves again with %s", algorithm, term, fallback)
        kept = {k: v for k, v in options.items() if k not in preset or k in highs_options}
        options = {**kept, **ALGORITHMS[fallback]}
        algorithm = fallback
        lp, term, incumbent, handover2, solve2 = _run(model, options, log)
        handover_s, solve_s = handover_s + handover2, solve_s + solve2
    stats = {
        "build_s": build_s,
        "handover_s": handover_s,
        "solve_s": solve_s,
        "extraction_s": 0.0,
        "rows": float(lp.shape[0]),
        "columns": float(lp.shape[1]),
    }
    logger.info(
        "LP %d rows x %d columns: build %.2f s, hand-over %.2f s, HiGHS %s %.2f s (%s)",
        stats["rows"], stats["columns"], build_s, handover_s, algorithm, solve_s, term,
    )  # fmt: skip
    if term in ("infeasible", "infeasible_or_unbounded"):
        _diagnose(network, options, term)
    if term == "unbounded":
        raise UnboundedError(
            "optimize: HiGHS reported the model unbounded: some cost can fall without limit. "
            "Look for a negative marginal_cost on a component whose output is not capped "
            "(extendable with p_nom_max=inf)."
        )
    if term == "error":
        raise SolverError(
            f"optimize: HiGHS ended with an error ({lp.highs.getModelStatus().name}); "
            "re-run with log=True to see its log"
        )
    objective = math.nan
    dataset = None
    start = time.perf_counter()
    if incumbent is not None:
        objective = float(incumbent) / MONEY
        dataset = build_dataset(network, x, model, Solution(lp), objective)
    stats["extraction_s"] = time.perf_counter() - start
    status = "ok" if term == "optimal" else "warning"
    if dataset is not None:
        dataset.attrs.update(
            status=status,
            termination_condition=term,
            algorithm=algorithm,
            solver=f"HiGHS {lp.highs.version()}",
            **{f"stats_{k}": v for k, v in stats.items()},
        )
    return Result(status, term, objective, dataset, stats)


def _diagnose(network: Network, options: dict[str, Any], term: str) -> None:
    """Re-solve with slack on every balance and policy and raise with what falls short."""
    x = prepare(network, relax=True)
    model = build_model(x)
    lp, _, incumbent, _, _ = _run(
        model, {**options, "time_limit": options.get("time_limit", 600.0)}, False
    )
    if incumbent is None:
        raise InfeasibleError(f"optimize: HiGHS reported the model {term}; diagnosis failed")
    sol = Solution(lp)
    shape = (len(x.buses), x.n_snapshots)
    short = sol.values(model.slack_short, shape) / POWER
    surplus = sol.values(model.slack_surplus, shape) / POWER
    lines = []
    for label, arr in (("short of supply", short), ("with surplus it cannot absorb", surplus)):
        for b in np.flatnonzero(arr.max(axis=1) > 1e-6):
            ts = np.flatnonzero(arr[b] > 1e-6)
            when = ", ".join(str(x.snapshots[t]) for t in ts[:5]) + (" ..." if len(ts) > 5 else "")
            lines.append(
                f"bus {x.buses.names[b]!r} is {label} in {len(ts)} snapshot(s), up to "
                f"{arr[b].max():.6g} MW: {when}"
            )
    co2 = sol.values(model.slack_co2, (len(x.co2_limits),)) / CO2
    for c in np.flatnonzero(co2 > 1e-6):
        lines.append(f"co2_limit {x.co2_limits.index[c]!r} cannot be met: {co2[c]:.6g} tCO2 over")
    res_short = sol.values(model.slack_res, (len(x.renewable_shares),)) / POWER
    for r in np.flatnonzero(res_short > 1e-6):
        lines.append(
            f"renewable_share {x.renewable_shares.index[r]!r} cannot be met: "
            f"{res_short[r]:.6g} MWh short"
        )
    if not lines:
        if term == "infeasible_or_unbounded":
            raise UnboundedError(
                "optimize: HiGHS reported the model infeasible or unbounded, and every balance "
                "and policy can be met, so it is unbounded: look for a negative marginal_cost "
                "on a component whose output is not capped (extendable with p_nom_max=inf)."
            )
        raise InfeasibleError(
            f"optimize: HiGHS reported the model {term}, but every balance and policy can be "
            "met with zero slack; check storage e_initial against its capacity"
        )
    raise InfeasibleError(
        f"optimize: HiGHS reported the model {term}. Re-solved with slack on every bus "
        "balance and policy, the model falls short here:\n  " + "\n  ".join(lines)
    )
