"""The staged solve API: compile a network's LP once, solve it, read it back, change costs,
bounds and right-hand sides in place, and solve again.

>>> import pandas as pd
>>> import jkenergy as jk
>>> n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
>>> n.add_bus("JP", country="JP")
>>> n.add_load("d", bus="JP", p=[50.0, 150.0])
>>> n.add_generator("coal", bus="JP", carrier="coal", p_nom=100.0, marginal_cost=30.0)
>>> n.add_generator("gas", bus="JP", carrier="gas", p_nom=100.0, marginal_cost=80.0)
>>> lp = jk.solve.compile(n, algorithm="simplex")
>>> lp.solve().termination
<TerminationCondition.OPTIMAL: 'optimal'>
>>> round(lp.result().objective, 6)  # 50 x 30 + 100 x 30 + 50 x 80
8500.0
>>> n.generators.loc["gas", "marginal_cost"] = 60.0  # change the network ...
>>> lp.update(n)  # ... and the LP in place: only costs, bounds and right-hand sides differ
True
>>> round(lp.solve(warm_start=True).objective, 6)  # 4500 + 50 x 60
7500.0

The LP is the one :mod:`jkenergy.model` builds; :meth:`CompiledLP.update` rebuilds it for
the changed network and pushes what differs into HiGHS, so the formulation exists once.
:meth:`CompiledLP.set_costs`, :meth:`~CompiledLP.set_bounds` and :meth:`~CompiledLP.set_rhs`
change entries directly, by Pyomo component name and index, in the LP's own scaled units
(:mod:`jkenergy.model.inputs`: GW, GWh, million USD, MtCO2).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import highspy
import numpy as np
from pyomo.common.errors import InfeasibleConstraintException

from ..errors import InfeasibleError, SolverError
from ..model import build_model, prepare
from ..model.inputs import MONEY
from ..results import Result, SolutionStatus, SolveStats, TerminationCondition, build_dataset
from . import presets
from .handover import HandOver, Solution, StandardForm, standard_form, to_highs
from .options import SolverOptions
from .outcome import (
    SolveOutcome,
    solution_status,
    termination_of,
    verify,
)
from .progress import ProgressHook, ProgressLine, run_with_progress

if TYPE_CHECKING:
    from ..network import Network

logger = logging.getLogger(__name__)

_INF = highspy.kHighsInf


def _finite(values: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(values, dtype=float), -_INF, _INF)


def _standard_form(model: Any) -> StandardForm:
    """:func:`~jkenergy.solve.handover.standard_form`, with a row that its fixed variables
    (outputs that can only be 0, :func:`jkenergy.model.generators.zero_output`) leave
    constant and unsatisfiable reported as an :class:`~jkenergy.errors.InfeasibleError`."""
    try:
        return standard_form(model)
    except InfeasibleConstraintException as err:
        raise InfeasibleError(
            f"the LP is infeasible before it is solved: {err} (nothing left in the row can "
            "vary, e.g. a bus whose only supply has p_max_pu 0 or capacity 0 in that hour)"
        ) from err


class CompiledLP:
    """A network's LP, compiled and held by HiGHS in memory.

    Build it with :func:`compile`. :meth:`solve` runs HiGHS and returns a
    :class:`~jkenergy.solve.outcome.SolveOutcome`; :meth:`result` reads the solution back
    into a :class:`~jkenergy.results.Result`. Between solves, :meth:`update` makes the held
    LP that of a changed network (if only costs, bounds and right-hand sides changed), and
    :meth:`set_costs`, :meth:`set_bounds`, :meth:`set_rhs` change single entries.

    Attributes
    ----------
    network, inputs, model
        The network, its prepared inputs and its Pyomo model, as last compiled or updated.
    options : SolverOptions
    algorithm : str
        The preset that runs (``"auto"`` resolved by LP size).
    """

    def __init__(
        self, network: Network, options: SolverOptions | None = None, *, relax: bool = False
    ) -> None:
        self.options = options if options is not None else SolverOptions()
        start = time.perf_counter()
        self.network = network
        self.inputs = prepare(network, relax=relax)
        self.model = build_model(self.inputs)
        self._build_s = time.perf_counter() - start
        start = time.perf_counter()
        self.form = _standard_form(self.model)
        self.highs = to_highs(self.form)
        self._handover_s = time.perf_counter() - start
        self._solve_s = 0.0
        self._extraction_s = 0.0
        self._index: dict[str, dict[str, dict[Hashable, int]]] | None = None
        self.outcome: SolveOutcome | None = None
        if self.options.algorithm == "auto":
            name, preset = presets.auto_preset(self.form.shape[1])
        else:
            name, preset = self.options.algorithm, self.options.preset()
        self.algorithm = name
        self._highs_options = self.options.highs_options(preset)

    # ------------------------------------------------------------------ what it is

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of the LP."""
        return self.form.shape

    @property
    def stats(self) -> SolveStats:
        """Seconds of the last compile or update, of the solves since, and of the last read-back.

        Examples
        --------
        >>> import pandas as pd
        >>> import jkenergy as jk
        >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("b")
        >>> n.add_load("d", bus="b", p=1.0)
        >>> n.add_generator("g", bus="b", carrier="gas", p_nom=2.0)
        >>> compile(n).stats.rows  # one bus balance
        1
        """
        rows, columns = self.shape
        return SolveStats(
            self._build_s, self._handover_s, self._solve_s, self._extraction_s, rows, columns
        )

    @property
    def handover(self) -> HandOver:
        """The HiGHS object with the Pyomo variable of each column and constraint of each row."""
        return HandOver(self.highs, self.form.columns, self.form.rows, self.form)

    def use_algorithm(self, algorithm: str) -> None:
        """Solve with another preset from now on (the caller's other options are kept; the
        preset's own options win where both set one).

        Examples
        --------
        >>> import pandas as pd
        >>> import jkenergy as jk
        >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("b")
        >>> n.add_load("d", bus="b", p=1.0)
        >>> n.add_generator("g", bus="b", carrier="gas", p_nom=2.0, marginal_cost=5.0)
        >>> lp = compile(n)
        >>> lp.use_algorithm("ipm")
        >>> lp.solve().algorithm, round(lp.result().objective, 6)
        ('ipm', 5.0)
        """
        if algorithm not in presets.ALGORITHMS:
            raise SolverError(
                f"use_algorithm: algorithm must be one of {list(presets.ALGORITHMS)}, "
                f"got {algorithm!r}"
            )
        preset = presets.ALGORITHMS[algorithm]
        self.algorithm = algorithm
        self._highs_options = {**self.options.highs_options(preset), **preset}

    # ------------------------------------------------------------------ solve, read back

    def solve(
        self,
        *,
        warm_start: bool = False,
        basis: highspy.HighsBasis | None = None,
        log: bool = False,
        progress: bool | ProgressHook = False,
    ) -> SolveOutcome:
        """Run HiGHS on the LP as it is now.

        Parameters
        ----------
        warm_start : bool, default False
            Start the dual simplex from the last solve's basis (after :meth:`update` or a
            ``set_*``, typically far fewer iterations). Otherwise each solve starts from
            scratch with the configured algorithm, so its answer does not depend on what was
            solved before.
        basis : highspy.HighsBasis, optional
            Start the dual simplex from this basis (same LP shape) instead.
        log : bool, default False
            Show HiGHS's full log.
        progress : bool or callable, default False
            ``True`` shows a live line (stage, iteration, objective, elapsed) on standard
            error (:class:`~jkenergy.solve.progress.ProgressLine`); a callable receives a
            :class:`~jkenergy.solve.progress.Progress` record every second instead.

        Returns
        -------
        SolveOutcome
            A solution without a vertex (PDLP, interior point without crossover) that fails
            the requested tolerances ends ``unverified``, not ``optimal``.

        Examples
        --------
        >>> import pandas as pd
        >>> import jkenergy as jk
        >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("b")
        >>> n.add_load("d", bus="b", p=1.0)
        >>> n.add_generator("g", bus="b", carrier="gas", p_nom=2.0, marginal_cost=5.0)
        >>> outcome = compile(n, algorithm="simplex").solve()
        >>> outcome.termination, outcome.solution, round(outcome.objective, 6)
        (<TerminationCondition.OPTIMAL: 'optimal'>, <SolutionStatus.OPTIMAL: 'optimal'>, 5.0)
        """
        h = self.highs
        options = dict(self._highs_options)
        algorithm = self.algorithm
        if basis is not None or warm_start:
            options["solver"] = "simplex"
            algorithm = "simplex (warm start)"
        if not warm_start:
            h.clearSolver()
        if basis is not None:
            if h.setBasis(basis) == highspy.HighsStatus.kError:
                raise SolverError("solve: HiGHS rejected the basis (another LP's?)")
        h.resetOptions()
        h.setOptionValue("output_flag", bool(log or progress))
        h.setOptionValue("log_to_console", bool(log))
        for key, value in options.items():
            h.setOptionValue(key, value)
        start = time.perf_counter()
        if progress:
            hook = ProgressLine() if progress is True else progress
            run_with_progress(h, hook, stage=str(options.get("solver", "simplex")))
        else:
            h.run()
        solve_s = time.perf_counter() - start
        self._solve_s += solve_s
        term = termination_of(h)
        check = verify(h) if term == TerminationCondition.OPTIMAL else None
        if check is not None and not check.passed:
            term = TerminationCondition.UNVERIFIED
            logger.warning(
                "HiGHS %s claims optimality, but the solution fails the requested tolerances "
                "(%s): treated as not optimal", algorithm, check.describe(),
            )  # fmt: skip
        solution = solution_status(h, term)
        if check is not None and not check.primal_ok:
            solution = SolutionStatus.INFEASIBLE
        readable = term in (TerminationCondition.OPTIMAL, TerminationCondition.UNVERIFIED) or (
            h.getInfo().primal_solution_status == 2
        )
        objective = float(h.getObjectiveValue()) / MONEY if readable else math.nan
        self.outcome = SolveOutcome(term, solution, objective, algorithm, solve_s, check)
        logger.info(
            "LP %d rows x %d columns: HiGHS %s %.2f s (%s)",
            *self.shape, algorithm, solve_s, term,
        )  # fmt: skip
        return self.outcome

    def basis(self) -> highspy.HighsBasis | None:
        """The basis of the last solve (None unless it ended at a vertex).

        Examples
        --------
        >>> import pandas as pd
        >>> import jkenergy as jk
        >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("b")
        >>> n.add_load("d", bus="b", p=1.0)
        >>> n.add_generator("g", bus="b", carrier="gas", p_nom=2.0, marginal_cost=5.0)
        >>> lp = compile(n, algorithm="simplex")
        >>> _ = lp.solve()
        >>> lp.basis() is not None
        True
        """
        if self.highs.getInfo().basis_validity != 1:
            return None
        return self.highs.getBasis()

    def result(self) -> Result:
        """The last solve as a :class:`~jkenergy.results.Result` (dataset read back in bulk).

        Raises
        ------
        SolverError
            If nothing has been solved yet.

        Examples
        --------
        >>> import pandas as pd
        >>> import jkenergy as jk
        >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("b")
        >>> n.add_load("d", bus="b", p=1.0)
        >>> n.add_generator("g", bus="b", carrier="gas", p_nom=2.0, marginal_cost=5.0)
        >>> lp = compile(n, algorithm="simplex")
        >>> _ = lp.solve()
        >>> lp.result().dataset["bus_price"].values.ravel().tolist()
        [5.0]
        """
        outcome = self.outcome
        if outcome is None:
            raise SolverError("result: call solve() first")
        start = time.perf_counter()
        dataset = None
        if not math.isnan(outcome.objective):
            solution = Solution(self.handover)
            dataset = build_dataset(
                self.network, self.inputs, self.model, solution, outcome.objective
            )
        self._extraction_s = time.perf_counter() - start
        stats = self.stats.as_dict()
        if dataset is not None:
            dataset.attrs.update(
                outcome.attrs(),
                solver=f"HiGHS {self.handover.highs.version()}",
                **{f"stats_{k}": v for k, v in stats.items()},
            )
        return Result(
            str(outcome.status), str(outcome.termination), outcome.objective, dataset, stats
        )

    # ------------------------------------------------------------------ change in place

    def update(self, network: Network) -> bool:
        """Make the held LP that of ``network``, in place, if it differs only in costs,
        bounds, right-hand sides and the objective's constant.

        The network's LP is built and compiled by :mod:`jkenergy.model` as for any solve and
        compared with the held one: if the constraint matrices are equal, the entries that
        differ are changed in HiGHS (``changeColsCost``, ``changeColsBounds``,
        ``changeRowsBounds``, ``changeObjectiveOffset``) and the LP stays loaded, with its
        basis; otherwise nothing changes and False is returned (compile it anew).

        Returns
        -------
        bool
            Whether the LP was updated.

        Examples
        --------
        >>> import pandas as pd
        >>> import jkenergy as jk
        >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("b")
        >>> n.add_load("d", bus="b", p=1.0)
        >>> n.add_generator("g", bus="b", carrier="gas", p_nom=2.0, marginal_cost=5.0)
        >>> lp = compile(n, algorithm="simplex")
        >>> more = n.copy()
        >>> more.loads.loc["d", "p"] = 1.5  # a right-hand side
        >>> lp.update(more), round(lp.solve().objective, 6)
        (True, 7.5)
        >>> more.add_generator("h", bus="b", carrier="oil", p_nom=1.0)  # new columns
        >>> lp.update(more)
        False
        """
        start = time.perf_counter()
        inputs = prepare(network)
        model = build_model(inputs)
        form = _standard_form(model)
        if not self.form.same_matrix(form):
            return False
        self._push(form)
        self.network, self.inputs, self.model, self.form = network, inputs, model, form
        self._index = None
        self._build_s = time.perf_counter() - start
        self._handover_s = self._solve_s = self._extraction_s = 0.0
        self.outcome = None
        return True

    def _push(self, form: StandardForm) -> None:
        """Change the held LP's costs, bounds and right-hand sides to those of ``form``."""
        h, old = self.highs, self.form
        changed = np.flatnonzero(form.cost != old.cost)
        if len(changed):
            h.changeColsCost(len(changed), changed.astype(np.int32), form.cost[changed])
        changed = np.flatnonzero((form.lower != old.lower) | (form.upper != old.upper))
        if len(changed):
            h.changeColsBounds(
                len(changed), changed.astype(np.int32),
                _finite(form.lower[changed]), _finite(form.upper[changed]),
            )  # fmt: skip
        changed = np.flatnonzero(
            (form.row_lower != old.row_lower) | (form.row_upper != old.row_upper)
        )
        if len(changed):
            h.changeRowsBounds(  # type: ignore[attr-defined]  # in highspy, not its stub
                len(changed), changed.astype(np.int32),
                _finite(form.row_lower[changed]), _finite(form.row_upper[changed]),
            )  # fmt: skip
        if form.offset != old.offset:
            h.changeObjectiveOffset(form.offset)

    def _positions(
        self, kind: str, name: str, index: Iterable[Hashable] | None, caller: str
    ) -> tuple[np.ndarray, list[Hashable]]:
        """LP positions (columns or rows) of a Pyomo component's entries, and their keys."""
        if self._index is None:
            index_of: dict[str, dict[str, dict[Hashable, int]]] = {"column": {}, "row": {}}
            for what, items in (("column", self.form.columns), ("row", self.form.rows)):
                for j, item in enumerate(items):
                    parent = item.parent_component().local_name
                    index_of[what].setdefault(parent, {})[item.index()] = j
            self._index = index_of
        table = self._index[kind].get(name)
        if table is None:
            known = ", ".join(sorted(self._index[kind]))
            raise SolverError(f"{caller}: the LP has no {kind}s of {name!r}; it has: {known}")
        keys = list(table) if index is None else list(index)
        missing = [k for k in keys if k not in table]
        if missing:
            raise SolverError(
                f"{caller}: {name}{list(missing[:3])} not {kind}s of the LP (a variable in no "
                "row and no cost is not a column; check the index)"
            )
        return np.array([table[k] for k in keys], dtype=np.int32), keys

    @staticmethod
    def _values(
        values: float | Mapping[Hashable, float] | None, keys: list[Hashable]
    ) -> np.ndarray | None:
        if values is None:
            return None
        if isinstance(values, Mapping):
            return np.array([float(values[k]) for k in keys], dtype=float)
        return np.full(len(keys), float(values))

    def _select(
        self,
        kind: str,
        name: str,
        values: Mapping[Hashable, float] | float | None,
        index: Iterable[Hashable] | None,
        caller: str,
    ) -> tuple[np.ndarray, list[Hashable]]:
        if isinstance(values, Mapping) and index is None:
            index = list(values)
        return self._positions(kind, name, index, caller)

    def set_costs(
        self,
        variable: str,
        costs: float | Mapping[Hashable, float],
        index: Iterable[Hashable] | None = None,
    ) -> None:
        """Set objective coefficients of a variable's columns (M USD per LP unit).

        Parameters
        ----------
        variable : str
            Pyomo variable name (``"gen_p"``, ``"gen_p_nom"``, ``"link_p_nom"``, ...).
        costs : float or mapping
            One cost for every entry in ``index`` (default: all of the variable's columns),
            or ``{index: cost}``.

        Examples
        --------
        >>> import pandas as pd
        >>> import jkenergy as jk
        >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("b")
        >>> n.add_load("d", bus="b", p=1000.0)
        >>> n.add_generator("g", bus="b", carrier="gas", p_nom=2000.0, marginal_cost=5.0)
        >>> lp = compile(n)
        >>> lp.set_costs("gen_p", {(0, 0): 7.0 * 1e-3})  # 7 USD/MWh = 7e-3 M USD/GWh
        >>> round(lp.solve().objective, 6)  # 1000 MWh x 7 USD/MWh
        7000.0
        """
        pos, keys = self._select("column", variable, costs, index, "set_costs")
        value = self._values(costs, keys)
        assert value is not None
        self.highs.changeColsCost(len(pos), pos, value)
        self.form.cost[pos] = value

    def set_bounds(
        self,
        variable: str,
        lower: float | Mapping[Hashable, float] | None = None,
        upper: float | Mapping[Hashable, float] | None = None,
        index: Iterable[Hashable] | None = None,
    ) -> None:
        """Set bounds of a variable's columns (LP units); a bound left None is kept.

        Examples
        --------
        >>> import pandas as pd
        >>> import jkenergy as jk
        >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("b")
        >>> n.add_load("d", bus="b", p=1000.0)
        >>> n.add_generator("cheap", bus="b", carrier="coal", p_nom=2000.0, marginal_cost=5.0)
        >>> n.add_generator("dear", bus="b", carrier="gas", p_nom=2000.0, marginal_cost=9.0)
        >>> lp = compile(n)
        >>> lp.set_bounds("gen_p", upper=0.4, index=[(0, 0)])  # cheap: at most 0.4 GW
        >>> round(lp.solve().objective, 6)  # 400 x 5 + 600 x 9
        7400.0
        """
        pos, keys = self._select("column", variable, lower if lower is not None else upper,
                                 index, "set_bounds")  # fmt: skip
        lo = self._values(lower, keys)
        hi = self._values(upper, keys)
        lo = self.form.lower[pos] if lo is None else lo
        hi = self.form.upper[pos] if hi is None else hi
        self.highs.changeColsBounds(len(pos), pos, _finite(lo), _finite(hi))
        self.form.lower[pos], self.form.upper[pos] = lo, hi

    def set_rhs(
        self,
        constraint: str,
        lower: float | Mapping[Hashable, float] | None = None,
        upper: float | Mapping[Hashable, float] | None = None,
        index: Iterable[Hashable] | None = None,
    ) -> None:
        """Set right-hand sides of a constraint's rows (LP units): ``lower <= a x <= upper``;
        a side left None is kept (an equality row has both sides equal).

        Examples
        --------
        >>> import pandas as pd
        >>> import jkenergy as jk
        >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("b")
        >>> n.add_load("d", bus="b", p=1000.0)
        >>> n.add_generator("g", bus="b", carrier="gas", p_nom=2000.0, marginal_cost=5.0)
        >>> lp = compile(n)
        >>> lp.set_rhs("balance", lower=1.5, upper=1.5)  # demand 1.5 GW at every bus and hour
        >>> round(lp.solve().objective, 6)
        7500.0
        """
        pos, keys = self._select("row", constraint, lower if lower is not None else upper,
                                 index, "set_rhs")  # fmt: skip
        lo = self._values(lower, keys)
        hi = self._values(upper, keys)
        lo = self.form.row_lower[pos] if lo is None else lo
        hi = self.form.row_upper[pos] if hi is None else hi
        self.highs.changeRowsBounds(len(pos), pos, _finite(lo), _finite(hi))  # type: ignore[attr-defined]
        self.form.row_lower[pos], self.form.row_upper[pos] = lo, hi


def compile(network: Network, options: SolverOptions | None = None, **kwargs: Any) -> CompiledLP:
    """Build the network's LP and hand it to HiGHS, without solving it.

    Parameters
    ----------
    network : Network
    options : SolverOptions, optional
        Or the keyword arguments of :func:`~jkenergy.solve.optimize` (``algorithm``,
        ``threads``, ``time_limit``, any HiGHS option).

    Returns
    -------
    CompiledLP

    Examples
    --------
    >>> import pandas as pd
    >>> import jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=3, freq="h"))
    >>> n.add_bus("b")
    >>> n.add_load("d", bus="b", p=1.0)
    >>> n.add_generator("g", bus="b", carrier="gas", p_nom=2.0)
    >>> jk.solve.compile(n, algorithm="simplex").shape  # 3 balances; 3 outputs
    (3, 3)
    """
    if options is not None and kwargs:
        raise SolverError("compile: give options or keyword arguments, not both")
    if options is None:
        options = SolverOptions.from_kwargs(kwargs, caller="compile")
    return CompiledLP(network, options)
