"""Build, solve and read back the LP of a network: :func:`optimize`.

It is the staged API (:mod:`jkenergy.solve.compiled`) in one call, with the ``"auto"``
preset's second try and the diagnosis of an infeasible model.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..errors import SolverError, UnboundedError
from ..results import Result, TerminationCondition
from . import presets
from .compiled import CompiledLP
from .diagnosis import diagnose
from .options import SolverOptions
from .progress import ProgressHook

if TYPE_CHECKING:
    from ..network import Network

logger = logging.getLogger(__name__)

_T = TerminationCondition


def optimize(
    network: Network,
    algorithm: str = "auto",
    threads: int | None = None,
    time_limit: float | None = None,
    log: bool = False,
    progress: bool | ProgressHook = False,
    **highs_options: Any,
) -> Result:
    """Build, solve and read back the LP of a network.

    Parameters
    ----------
    network : Network
    algorithm : str, default "auto"
        HiGHS preset, one of :data:`~jkenergy.solve.presets.ALGORITHMS` (``"auto"``,
        ``"simplex"``, ``"ipm"``, ``"ipm-nocrossover"``, ``"hipo"``, ``"hipo-nocrossover"``,
        ``"pdlp"``). ``"auto"`` is simplex up to
        :data:`~jkenergy.solve.presets.AUTO_SIMPLEX_MAX_COLUMNS` LP columns and HiPO above
        (PDLP where HiPO is not available, see :func:`~jkenergy.solve.presets.auto_preset`);
        if the large-LP solve ends without a verified optimum (other than on
        ``time_limit``) it solves again with interior point.
    threads : int, optional
        HiGHS threads (a positive integer).
    time_limit : float, optional
        Seconds (> 0); on reaching it the result is returned with ``status="warning"``.
    log : bool, default False
        Show HiGHS's full log.
    progress : bool or callable, default False
        ``True`` shows a live line on standard error while HiGHS solves (stage, iteration,
        objective or gap, elapsed seconds); a callable receives a
        :class:`~jkenergy.solve.progress.Progress` record every second instead (what the
        CLI uses).
    **highs_options
        Any HiGHS option by its HiGHS name (``primal_feasibility_tolerance``,
        ``dual_feasibility_tolerance``, ``ipm_optimality_tolerance``, ...). A Python caller
        may also pass options that write files (``solution_file``,
        ``write_solution_to_file``, ``log_file``): scenario and grid files may not
        (:data:`~jkenergy.solve.options.FILE_SAFE_OPTIONS`).

    Returns
    -------
    Result
        ``status="ok"`` only for a verified optimum: a solution without a vertex (PDLP,
        interior point without crossover) that fails the requested tolerances has
        termination condition ``"unverified"`` and ``status="warning"``.

    Raises
    ------
    SolverError
        One line naming the argument, for a bad ``algorithm``, ``threads``, ``time_limit`` or
        an option HiGHS rejects.
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
    options = SolverOptions.from_arguments(algorithm, threads, time_limit, highs_options)
    lp = CompiledLP(network, options)
    outcome = lp.solve(log=log, progress=progress)
    if (
        options.algorithm == "auto"
        and lp.algorithm != "simplex"
        and outcome.termination not in (_T.OPTIMAL, _T.TIME_LIMIT)
    ):
        fallback = presets.fallback(lp.algorithm)
        logger.info("%s ended %s; auto solves again with %s", lp.algorithm, outcome.termination,
                    fallback)  # fmt: skip
        lp.use_algorithm(fallback)
        outcome = lp.solve(log=log, progress=progress)
    stats = lp.stats
    logger.info(
        "LP %d rows x %d columns: build %.2f s, hand-over %.2f s, HiGHS %s %.2f s (%s)",
        stats.rows, stats.columns, stats.build_s, stats.handover_s, outcome.algorithm,
        stats.solve_s, outcome.termination,
    )  # fmt: skip
    if outcome.termination in (_T.INFEASIBLE, _T.INFEASIBLE_OR_UNBOUNDED):
        diagnose(network, options, str(outcome.termination))
    if outcome.termination == _T.UNBOUNDED:
        raise UnboundedError(
            "optimize: HiGHS reported the model unbounded: some cost can fall without limit. "
            "Look for a negative marginal_cost on a component whose output is not capped "
            "(extendable with p_nom_max=inf)."
        )
    if outcome.termination == _T.ERROR:
        raise SolverError(
            f"optimize: HiGHS ended with an error ({lp.highs.getModelStatus().name}); "
            "re-run with log=True to see its log"
        )
    return lp.result()
