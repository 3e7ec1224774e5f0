"""Build, solve and read back the LP of a network: :func:`optimize`."""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING, Any

import pyomo.environ as pyo

from ..errors import SolverError, UnboundedError
from ..model import build_model, prepare
from ..model.inputs import MONEY
from ..results import Result, build_dataset
from . import presets
from .diagnosis import _diagnose
from .handover import Solution, _run
from .options import _highs_options

if TYPE_CHECKING:
    from ..network import Network

logger = logging.getLogger(__name__)


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
        algorithm, preset = presets.auto_preset(columns)
        options = {**preset, **options}
    lp, term, incumbent, handover_s, solve_s = _run(model, options, log)
    if algorithm != "simplex" and auto and term not in ("optimal", "time_limit"):
        fallback = "hipo" if algorithm == "pdlp" and presets.hipo_available() else "ipm"
        logger.info("%s ended %s; auto solves again with %s", algorithm, term, fallback)
        kept = {k: v for k, v in options.items() if k not in preset or k in highs_options}
        options = {**kept, **presets.ALGORITHMS[fallback]}
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
            **{f"stats_{k}": v for k, v in stats.items()},
        )
    return Result(status, term, objective, dataset, stats)
