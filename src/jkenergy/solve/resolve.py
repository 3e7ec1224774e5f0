"""Re-solve one compiled LP for networks that differ only in costs, bounds and right-hand
sides, warm-started from the same basis (what sweeps use).

:class:`ParametricLP` compiles the LP of a base network once
(:class:`~jkenergy.solve.compiled.CompiledLP`) and solves it to get a basis. Each
:meth:`ParametricLP.solve` then updates the held LP to the case's network in place
(:meth:`~jkenergy.solve.compiled.CompiledLP.update`: the case's LP is built by
:mod:`jkenergy.model` as for any solve, and only its differing costs, bounds and right-hand
sides are pushed into HiGHS) and runs the dual simplex from the base's basis. Every solve
starts from that same basis, so a result does not depend on which cases were solved before
it. A case whose constraint matrix differs is not re-solved (``None``: the caller builds it).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..results import TerminationCondition
from .compiled import CompiledLP
from .options import SolverOptions

if TYPE_CHECKING:
    from ..network import Network
    from ..results import Result

_REUSABLE = (
    TerminationCondition.OPTIMAL,
    TerminationCondition.TIME_LIMIT,
    TerminationCondition.ITERATION_LIMIT,
)


class ParametricLP:
    """One compiled LP re-solved in place for cases of a sweep.

    Parameters
    ----------
    network : Network
        The structural base of a group of cases.
    options : mapping
        Keyword arguments of :func:`~jkenergy.solve.optimize` (``log`` and ``progress`` are
        ignored: a sweep's workers solve silently).
    warm_start : bool, default True
        Solve the base once and start every case's dual simplex from its basis; otherwise
        each case runs the configured algorithm from scratch (still without rebuilding the
        HiGHS model).

    Examples
    --------
    >>> import pandas as pd
    >>> import jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
    >>> n.add_bus("b")
    >>> n.add_load("d", bus="b", p=10.0)
    >>> n.add_generator("g", bus="b", carrier="gas", p_nom=20.0, marginal_cost=3.0)
    >>> lp = ParametricLP(n, {"algorithm": "simplex"})
    >>> case = n.copy()
    >>> case.generators.loc["g", "marginal_cost"] = 4.0
    >>> round(lp.solve(case).objective, 6)
    40.0
    """

    def __init__(
        self, network: Network, options: Mapping[str, Any], warm_start: bool = True
    ) -> None:
        start = time.perf_counter()
        self.network = network
        self.lp = CompiledLP(network, SolverOptions.from_kwargs(options, caller="sweep"))
        self.algorithm = self.lp.algorithm
        self.basis = None
        self.base_solve_s = 0.0
        if warm_start:
            outcome = self.lp.solve()
            self.base_solve_s = outcome.solve_s
            if outcome.termination == TerminationCondition.OPTIMAL:
                self.basis = self.lp.basis()
        self.setup_s = time.perf_counter() - start

    def solve(self, network: Network) -> Result | None:
        """Solve ``network`` (the base plus parametric changes) in place.

        Returns
        -------
        jkenergy.Result or None
            None if the network's LP differs in structure (its constraint matrix), or if the
            solve did not end with a usable solution (the caller then solves it the ordinary
            way, which diagnoses).
        """
        if not self.lp.update(network):
            return None
        outcome = self.lp.solve(basis=self.basis)
        if not outcome.has_solution or outcome.termination not in _REUSABLE:
            return None
        return self.lp.result()
