"""Typed outcomes of a solve: why HiGHS stopped, what solution it left, how long each stage took.

Three separate questions, three types (defined in :mod:`jkenergy.results`, which a result
carries them in, and used here to read HiGHS's answer):

- :class:`TerminationCondition`: why the solver stopped (``optimal``, ``time_limit``, ...).
- :class:`SolutionStatus`: what the solution vector is (optimal, feasible, infeasible, none).
- :class:`Status`: the verdict a result carries, ``ok`` only for a verified optimum.

They are string enums, so they compare equal to the plain strings results have always
carried (``result.status == "ok"``) and are written to NetCDF as those strings.

A solution without a vertex (first-order PDLP, interior point without crossover) is
checked after the solve against the tolerances it was asked for (:func:`verify`); one that
fails the check ends :attr:`TerminationCondition.UNVERIFIED`, never ``optimal``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import highspy

from ..results import SolutionStatus, Status, TerminationCondition

_MODEL_STATUS = {
    "kOptimal": TerminationCondition.OPTIMAL,
    "kTimeLimit": TerminationCondition.TIME_LIMIT,
    "kIterationLimit": TerminationCondition.ITERATION_LIMIT,
    "kSolutionLimit": TerminationCondition.ITERATION_LIMIT,
    "kObjectiveBound": TerminationCondition.OBJECTIVE_LIMIT,
    "kObjectiveTarget": TerminationCondition.OBJECTIVE_LIMIT,
    "kInfeasible": TerminationCondition.INFEASIBLE,
    "kUnboundedOrInfeasible": TerminationCondition.INFEASIBLE_OR_UNBOUNDED,
    "kUnbounded": TerminationCondition.UNBOUNDED,
    "kInterrupt": TerminationCondition.INTERRUPTED,
    "kLoadError": TerminationCondition.ERROR,
    "kModelError": TerminationCondition.ERROR,
    "kPresolveError": TerminationCondition.ERROR,
    "kSolveError": TerminationCondition.ERROR,
    "kPostsolveError": TerminationCondition.ERROR,
    "kMemoryLimit": TerminationCondition.ERROR,
}
"""HiGHS model status -> termination condition (anything else is ``unknown``)."""


def termination_of(highs: highspy.Highs) -> TerminationCondition:
    """The termination condition of HiGHS's last run, before any verification.

    An LP with no rows is ``kModelEmpty`` to HiGHS, which still solves it (each column at
    its cheapest bound): that is optimal.

    Examples
    --------
    >>> import highspy
    >>> h = highspy.Highs()
    >>> h.setOptionValue("output_flag", False)
    <HighsStatus.kOk: 0>
    >>> _ = h.addVariable(lb=1.0, ub=2.0, obj=3.0)
    >>> _ = h.run()
    >>> termination_of(h)
    <TerminationCondition.OPTIMAL: 'optimal'>
    """
    status = highs.getModelStatus().name
    if status == "kModelEmpty":
        return TerminationCondition.OPTIMAL
    return _MODEL_STATUS.get(status, TerminationCondition.UNKNOWN)


@dataclass(frozen=True)
class Verification:
    """A solution without a vertex checked against the tolerances it was asked for.

    Infeasibilities are HiGHS's absolute measures on the unscaled LP (as HiGHS's
    ``primal_feasibility_tolerance`` and ``dual_feasibility_tolerance`` are defined);
    ``objective_error`` is HiGHS's relative primal-dual objective gap, checked against
    ``optimality_tolerance``.
    """

    primal_infeasibility: float
    dual_infeasibility: float
    objective_error: float
    primal_tolerance: float
    dual_tolerance: float
    objective_tolerance: float

    @property
    def primal_ok(self) -> bool:
        """Whether every row and bound is met within the primal tolerance."""
        return self.primal_infeasibility <= self.primal_tolerance

    @property
    def passed(self) -> bool:
        """Whether the solution meets all three tolerances."""
        return (
            self.primal_ok
            and self.dual_infeasibility <= self.dual_tolerance
            and self.objective_error <= self.objective_tolerance
        )

    def describe(self) -> str:
        """One line: each measure against its tolerance.

        Examples
        --------
        >>> Verification(2e-5, 0.0, 1e-9, 1e-7, 1e-7, 1e-7).describe()
        'primal infeasibility 2e-05 (tolerance 1e-07), dual infeasibility 0 (1e-07), objective gap 1e-09 (1e-07)'
        """  # noqa: E501
        return (
            f"primal infeasibility {self.primal_infeasibility:.3g} (tolerance "
            f"{self.primal_tolerance:.3g}), dual infeasibility {self.dual_infeasibility:.3g} "
            f"({self.dual_tolerance:.3g}), objective gap {self.objective_error:.3g} "
            f"({self.objective_tolerance:.3g})"
        )


def verify(highs: highspy.Highs) -> Verification | None:
    """Check the last solution against the tolerances HiGHS was given, if it has no vertex.

    A vertex (simplex, or interior point with crossover) comes with a valid basis, and
    HiGHS's own checks of it are kept. A solution without one (PDLP, interior point without
    crossover) is called optimal by HiGHS when its *relative* residuals are small, up to ten
    times the tolerance; on a badly scaled LP that can leave rows violated by far more than
    ``primal_feasibility_tolerance``. Returns None for a vertex or if no solution exists.

    Examples
    --------
    >>> import highspy
    >>> h = highspy.Highs()
    >>> h.setOptionValue("output_flag", False)
    <HighsStatus.kOk: 0>
    >>> _ = h.addVariable(lb=1.0, ub=2.0, obj=3.0)
    >>> _ = h.run()
    >>> verify(h) is None  # simplex: a vertex
    True
    """
    info = highs.getInfo()
    if info.basis_validity == 1 or info.primal_solution_status == 0:
        return None

    def value(name: str) -> float:
        out = float(getattr(info, name))
        return math.inf if out < 0 else out  # HiGHS reports -1 where it did not compute it

    def option(name: str) -> float:
        value = highs.getOptionValue(name)  # some highspy versions return (status, value)
        return float(value[-1] if isinstance(value, tuple) else value)

    return Verification(
        primal_infeasibility=value("max_primal_infeasibility"),
        dual_infeasibility=value("max_dual_infeasibility"),
        objective_error=value("primal_dual_objective_error"),
        primal_tolerance=option("primal_feasibility_tolerance"),
        dual_tolerance=option("dual_feasibility_tolerance"),
        objective_tolerance=option("optimality_tolerance"),
    )


def solution_status(highs: highspy.Highs, term: TerminationCondition) -> SolutionStatus:
    """What the solution HiGHS left is, given the (verified) termination condition.

    Examples
    --------
    >>> import highspy
    >>> h = highspy.Highs()
    >>> h.setOptionValue("output_flag", False)
    <HighsStatus.kOk: 0>
    >>> _ = h.addVariable(lb=1.0, ub=2.0, obj=3.0)
    >>> _ = h.run()
    >>> solution_status(h, termination_of(h))
    <SolutionStatus.OPTIMAL: 'optimal'>
    """
    if term == TerminationCondition.OPTIMAL:
        return SolutionStatus.OPTIMAL
    primal = highs.getInfo().primal_solution_status
    if primal == 2:
        return SolutionStatus.FEASIBLE
    if primal == 1:
        return SolutionStatus.INFEASIBLE
    return SolutionStatus.NONE


@dataclass(frozen=True)
class SolveOutcome:
    """What one :meth:`~jkenergy.solve.compiled.CompiledLP.solve` ended with."""

    termination: TerminationCondition
    solution: SolutionStatus
    objective: float
    """Objective in USD (NaN without a primal solution)."""
    algorithm: str
    """The preset that ran (``"simplex"``, ``"hipo"``, ``"simplex (warm start)"``, ...)."""
    solve_s: float
    verification: Verification | None = None
    """The tolerance check of a solution without a vertex (None for a vertex)."""

    @property
    def status(self) -> Status:
        """``ok`` for a verified optimum, else ``warning``."""
        return Status.OK if self.termination == TerminationCondition.OPTIMAL else Status.WARNING

    @property
    def has_solution(self) -> bool:
        """Whether a primal solution can be read back (the objective is not NaN)."""
        return not math.isnan(self.objective)

    def attrs(self) -> dict[str, Any]:
        """Dataset attributes describing this outcome.

        Examples
        --------
        >>> o = SolveOutcome(TerminationCondition.TIME_LIMIT, SolutionStatus.FEASIBLE, 5.0,
        ...                  "simplex", 1.0)
        >>> o.attrs()["status"], o.has_solution
        ('warning', True)
        """
        out: dict[str, Any] = {
            "status": str(self.status),
            "termination_condition": str(self.termination),
            "solution_status": str(self.solution),
            "algorithm": self.algorithm,
        }
        if self.verification is not None:
            out["verification"] = self.verification.describe()
        return out
