"""The staged solve API: compile -> solve -> read back; change in place -> re-solve.

Every expected value is worked out by hand in the test's docstring (merit order: the
cheapest generator with room sets the price)."""

from __future__ import annotations

import numpy as np
import pytest

import jkenergy as jk
from jkenergy.solve import (
    CompiledLP,
    SolutionStatus,
    SolveStats,
    Status,
    TerminationCondition,
)
from jkenergy.solve.resolve import ParametricLP


def _merit(make_network, series):
    """Coal 100 MW at 30 USD/MWh, gas 100 MW at 80, load [50, 150] MW of 1 h each.

    Hour 0: coal 50 (price 30). Hour 1: coal 100, gas 50 (price 80).
    Objective 50 x 30 + 100 x 30 + 50 x 80 = 8,500 USD."""
    n = make_network(2)
    n.add_bus("JP", country="JP")
    n.add_load("d", "JP", p=series([50.0, 150.0]))
    n.add_generator("coal", "JP", carrier="coal", p_nom=100.0, marginal_cost=30.0)
    n.add_generator("gas", "JP", carrier="gas", p_nom=100.0, marginal_cost=80.0)
    return n


def test_compile_solve_read_back(make_network, series):
    lp = jk.solve.compile(_merit(make_network, series), algorithm="simplex")
    assert isinstance(lp, CompiledLP)
    assert lp.shape == (2, 4)  # 2 balances; 2 generators x 2 hours
    outcome = lp.solve()
    assert outcome.termination is TerminationCondition.OPTIMAL
    assert outcome.solution is SolutionStatus.OPTIMAL
    assert outcome.status is Status.OK
    assert outcome.objective == pytest.approx(8_500.0)
    r = lp.result()
    assert (r.status, r.termination_condition) == ("ok", "optimal")
    assert r.objective == pytest.approx(8_500.0)
    ds = r.dataset
    np.testing.assert_allclose(ds["bus_price"].sel(bus="JP"), [30.0, 80.0])
    np.testing.assert_allclose(ds["generator_p"].sel(generator="coal"), [50.0, 100.0])
    np.testing.assert_allclose(ds["generator_p"].sel(generator="gas"), [0.0, 50.0])
    assert ds.attrs["solution_status"] == "optimal"
    stats = lp.stats
    assert isinstance(stats, SolveStats)
    assert (stats.rows, stats.columns) == (2, 4)
    assert min(stats.build_s, stats.handover_s, stats.solve_s, stats.extraction_s) >= 0.0
    assert r.stats == stats.as_dict()


def test_the_enums_are_the_strings_results_carry():
    assert TerminationCondition.OPTIMAL == "optimal" and Status.WARNING == "warning"
    assert str(TerminationCondition.TIME_LIMIT) == "time_limit"


def test_update_in_place_then_resolve(make_network, series):
    """Gas at 60 USD/MWh: hour 1 costs 100 x 30 + 50 x 60; objective 1,500 + 6,000 = 7,500 and
    the price of hour 1 is 60."""
    n = _merit(make_network, series)
    lp = jk.solve.compile(n, algorithm="simplex")
    lp.solve()
    changed = n.copy()
    changed.generators.loc["gas", "marginal_cost"] = 60.0
    assert lp.update(changed)
    outcome = lp.solve(warm_start=True)
    assert outcome.algorithm == "simplex (warm start)"
    assert outcome.objective == pytest.approx(7_500.0)
    np.testing.assert_allclose(lp.result().dataset["bus_price"].sel(bus="JP"), [30.0, 60.0])
    # the network itself is not changed by compiling or updating
    assert n.generators.loc["gas", "marginal_cost"] == 80.0


def test_update_refuses_a_change_of_structure(make_network, series):
    """A third generator adds columns: the held LP is left as it was (8,500 USD)."""
    n = _merit(make_network, series)
    lp = jk.solve.compile(n, algorithm="simplex")
    bigger = n.copy()
    bigger.add_generator("oil", "JP", carrier="oil", p_nom=10.0, marginal_cost=1.0)
    assert not lp.update(bigger)
    assert lp.solve().objective == pytest.approx(8_500.0)


def test_set_bounds_costs_and_rhs(make_network, series):
    """In the LP's units (GW, million USD per GWh = USD/MWh x 1e-3):

    - coal at most 80 MW in hour 1: gas makes 70; 1,500 + 80 x 30 + 70 x 80 = 9,500;
    - then gas at 50 USD/MWh in hour 1: 1,500 + 2,400 + 70 x 50 = 7,400;
    - then demand of hour 1 at 120 MW: coal 80, gas 40; 1,500 + 2,400 + 40 x 50 = 5,900.
    """
    lp = jk.solve.compile(_merit(make_network, series), algorithm="simplex")
    coal, gas = 0, 1  # positions in the order the generators were added
    lp.set_bounds("gen_p", upper={(coal, 1): 0.080})
    assert lp.solve().objective == pytest.approx(9_500.0)
    lp.set_costs("gen_p", 50.0 * 1e-3, index=[(gas, 1)])
    assert lp.solve().objective == pytest.approx(7_400.0)
    lp.set_rhs("balance", lower=0.120, upper=0.120, index=[(0, 1)])
    outcome = lp.solve(warm_start=True)
    assert outcome.objective == pytest.approx(5_900.0)
    np.testing.assert_allclose(lp.result().dataset["bus_price"].sel(bus="JP"), [30.0, 50.0])


def test_set_errors_name_the_component_and_index(make_network, series):
    lp = jk.solve.compile(_merit(make_network, series), algorithm="simplex")
    with pytest.raises(jk.SolverError, match=r"no columns of 'gen_q'.*gen_p"):
        lp.set_costs("gen_q", 1.0)
    with pytest.raises(jk.SolverError, match=r"gen_p\[\(5, 0\)\]"):
        lp.set_bounds("gen_p", upper=1.0, index=[(5, 0)])
    with pytest.raises(jk.SolverError, match="no rows of 'co2_cap'"):
        lp.set_rhs("co2_cap", upper=1.0)
    with pytest.raises(jk.SolverError, match=r"call solve\(\) first"):
        lp.result()
    with pytest.raises(jk.SolverError, match="options or keyword arguments"):
        jk.solve.compile(_merit(make_network, series), jk.solve.SolverOptions(), threads=1)


def _expansion(make_network, series, base_cost=60.0, peak_cost=10.0):
    """Base (20 MW existing, extendable, mc 10) and peak (extendable, mc 30) against loads
    [150, 100, 50] MW of 1 h; capital cost is paid on capacity above the existing 20 MW.
    A band of load that runs h hours is cheaper on base if base_cost - peak_cost < 20 h."""
    n = make_network(3)
    n.add_bus("b", country="KR")
    n.add_load("l", "b", p=series([150.0, 100.0, 50.0]))
    n.add_generator("base", "b", carrier="nuclear", p_nom=20.0, p_nom_extendable=True,
                    capital_cost=base_cost, marginal_cost=10.0)  # fmt: skip
    n.add_generator("peak", "b", carrier="gas", p_nom_extendable=True, capital_cost=peak_cost,
                    marginal_cost=30.0)  # fmt: skip
    return n


def test_resolve_changes_costs_and_the_objective_constant(make_network, series):
    """Base at capital cost 70, peak at 15: base is worth it for bands over (70 - 15) / 20 =
    2.75 h, i.e. the bottom 50 MW (3 h). Base: 70 x (50 - 20) + 150 MWh x 10 = 3,600; peak
    100 MW: 1,500 + 150 MWh x 30 = 6,000. Objective 9,600 (the base was 8,800: 60 x 30 +
    1,500 + 1,000 + 4,500). The constant -c_cap x p_nom moves from -1,200 to -1,400: a stale
    constant would give 9,800."""
    lp = ParametricLP(_expansion(make_network, series), {"algorithm": "simplex"})
    assert lp.basis is not None
    assert lp.lp.outcome.objective == pytest.approx(8_800.0)
    case = _expansion(make_network, series, base_cost=70.0, peak_cost=15.0)
    r = lp.solve(case)
    assert r.is_optimal and r.dataset.attrs["algorithm"] == "simplex (warm start)"
    assert r.objective == pytest.approx(9_600.0)
    p_nom = r.dataset["generator_p_nom_opt"]
    np.testing.assert_allclose(p_nom.sel(generator=["base", "peak"]), [50.0, 100.0])
    assert r.objective == pytest.approx(case.optimize(algorithm="simplex").objective)


def test_resolve_returns_none_for_another_structure(make_network, series):
    lp = ParametricLP(_expansion(make_network, series), {"algorithm": "simplex"})
    other = _expansion(make_network, series)
    other.add_generator("wind", "b", carrier="onwind", p_nom=10.0)
    assert lp.solve(other) is None


def test_optimize_is_the_staged_api_in_one_call(make_network, series):
    n = _merit(make_network, series)
    r = n.optimize(algorithm="simplex")
    lp = jk.solve.compile(n, algorithm="simplex")
    lp.solve()
    staged = lp.result()
    assert r.objective == staged.objective
    np.testing.assert_array_equal(r.dataset["generator_p"], staged.dataset["generator_p"])
