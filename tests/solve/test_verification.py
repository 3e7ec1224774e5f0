"""A solution without a vertex is optimal only if it meets the tolerances it was asked for.

HiGHS calls a PDLP (or no-crossover interior point) solution optimal when its *relative*
residuals are small, up to ten times the tolerance; on a badly scaled LP that leaves rows
violated by far more than ``primal_feasibility_tolerance``. The violation is recomputed here
from the LP's arrays and the solution vector, independently of HiGHS's info."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jkenergy as jk
from jkenergy.solve.outcome import Verification


def _badly_scaled(big: float) -> jk.Network:
    """Two buses 6 orders of magnitude apart (loads ~1e6 MW and ~1 MW), a day of hours, solar
    with a profile, storage and a lossy link: coefficients and right-hand sides over many
    orders of magnitude."""
    T = 24
    hours = np.arange(T)
    n = jk.Network(pd.date_range("2030", periods=T, freq="h"))
    n.add_bus("a")
    n.add_bus("b")
    n.add_load("da", bus="a", p=big * (1 + 0.5 * np.sin(hours / 3)))
    n.add_load("db", bus="b", p=1.0 + 0.5 * np.cos(hours / 4))
    pv = np.clip(np.sin((hours - 6) / 12 * np.pi), 0, 1)
    n.add_generator("pv", bus="a", carrier="solar", p_nom_extendable=True, capital_cost=50.0,
                    p_max_pu=pv)  # fmt: skip
    n.add_generator("gas", bus="a", carrier="gas", p_nom_extendable=True, capital_cost=80.0,
                    marginal_cost=60.0)  # fmt: skip
    n.add_generator("gb", bus="b", carrier="gas", p_nom=3.0, marginal_cost=90.0)
    n.add_link("ab", bus0="a", bus1="b", p_nom_extendable=True, capital_cost=5.0,
               efficiency=0.97)  # fmt: skip
    n.add_storage("bat", bus="a", p_nom_extendable=True, capital_cost=3.0, max_hours=4,
                  efficiency_store=0.95, efficiency_dispatch=0.95)  # fmt: skip
    return n


def _max_violation(lp) -> float:
    """Largest violation of a row or a bound by the solution, from the LP's own arrays."""
    form = lp.form
    x = np.asarray(lp.highs.getSolution().col_value)
    ax = form.matrix @ x
    rows = np.maximum(form.row_lower - ax, ax - form.row_upper)
    cols = np.maximum(form.lower - x, x - form.upper)
    return float(max(rows.max(initial=0.0), cols.max(initial=0.0)))


@pytest.mark.parametrize("tolerance", [1e-7, 1e-4])
def test_pdlp_result_outside_tolerance_is_not_optimal(tolerance):
    """PDLP ends 'optimal' to HiGHS, but some row is violated by more than the tolerance it
    was given: the result must be a warning, termination 'unverified', never 'optimal'."""
    n = _badly_scaled(1e6)
    tol = {"primal_feasibility_tolerance": tolerance, "dual_feasibility_tolerance": tolerance}
    lp = jk.solve.compile(n, algorithm="pdlp", **tol)
    outcome = lp.solve()
    assert lp.highs.getModelStatus().name == "kOptimal"  # what HiGHS says
    violation = _max_violation(lp)
    assert violation > tolerance  # worked out from the solution, not from HiGHS's report
    assert outcome.termination == "unverified"
    assert outcome.status == "warning" and outcome.solution == "infeasible"
    assert outcome.verification.primal_infeasibility == pytest.approx(violation, rel=1e-3)
    r = lp.result()
    assert not r.is_optimal and r.status == "warning"
    assert "primal infeasibility" in r.dataset.attrs["verification"]
    # the result is still there to look at, close to the simplex optimum
    exact = n.optimize(algorithm="simplex")
    assert exact.is_optimal
    assert r.objective == pytest.approx(exact.objective, rel=1e-3)


def test_pdlp_result_within_tolerance_stays_optimal(make_network, series):
    """A well scaled LP (loads of 150 MW): PDLP's solution meets 1e-7 and is optimal."""
    n = make_network(3)
    n.add_bus("b")
    n.add_load("l", "b", p=series([150.0, 100.0, 50.0]))
    n.add_generator("g", "b", carrier="gas", p_nom=200.0, marginal_cost=10.0)
    lp = jk.solve.compile(n, algorithm="pdlp")
    outcome = lp.solve()
    assert _max_violation(lp) <= 1e-7
    assert outcome.termination == "optimal" and outcome.verification.passed
    assert outcome.objective == pytest.approx(3_000.0, rel=1e-6)


def test_optimize_auto_does_not_accept_an_unverified_pdlp_result(monkeypatch):
    """'auto' on its PDLP preset treats an unverified result as stopping short and solves
    again with interior point (which ends at a vertex)."""
    import jkenergy.solve.presets as presets

    monkeypatch.setattr(presets, "AUTO_SIMPLEX_MAX_COLUMNS", 0)
    monkeypatch.setattr(presets, "hipo_available", lambda: False)
    monkeypatch.setattr(presets, "AUTO_LARGE", {"solver": "pdlp"})
    r = _badly_scaled(1e6).optimize()
    assert r.is_optimal and r.dataset.attrs["algorithm"] == "ipm"


def test_verification_describes_each_measure():
    v = Verification(2e-5, 0.0, 1e-9, 1e-7, 1e-7, 1e-7)
    assert not v.passed and not v.primal_ok
    assert Verification(1e-8, 1e-8, 1e-8, 1e-7, 1e-7, 1e-7).passed
    assert Verification(1e-8, 1e-6, 1e-8, 1e-7, 1e-7, 1e-7).primal_ok
