"""Core dispatch and capacity expansion on one bus, checked against hand calculations.

Every expected number below is worked out by hand (merit order, screening curves) in the
docstring or comment next to it; none is copied from the program's output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import jkenergy as jk

REL = 1e-6
ABS = 1e-6


def _values(ds, var, **sel):
    return np.asarray(ds[var].sel(**sel).values, dtype=float)


# --------------------------------------------------------------------------- merit order


def _merit_order(make_network, series, weights=1.0):
    """One bus, load [60, 150] MW; cheap 100 MW @ 10 USD/MWh, expensive 100 MW @ 50."""
    n = make_network(2, weights=weights)
    n.add_bus("JP_el", country="JP")
    n.add_load("JP_load", "JP_el", p=series([60.0, 150.0]))
    n.add_generator("cheap", "JP_el", carrier="coal", p_nom=100.0, marginal_cost=10.0)
    n.add_generator("dear", "JP_el", carrier="gas", p_nom=100.0, marginal_cost=50.0)
    return n


@pytest.mark.parametrize("algorithm", ["simplex", "ipm"])
def test_merit_order_dispatch_and_price(make_network, series, algorithm):
    """Hour 0: load 60 < 100 -> cheap 60 (interior), dear 0, price = 10.
    Hour 1: load 150 -> cheap 100 (at p_nom), dear 50 (interior), price = 50.
    Objective = 60*10 + 100*10 + 50*50 = 600 + 1000 + 2500 = 4100 USD.
    """
    n = _merit_order(make_network, series)
    r = n.optimize(algorithm=algorithm)
    ds = r.dataset
    assert r.is_optimal
    assert r.status == "ok"
    assert r.termination_condition == "optimal"
    np.testing.assert_allclose(_values(ds, "generator_p", generator="cheap"), [60, 100], atol=ABS)
    np.testing.assert_allclose(_values(ds, "generator_p", generator="dear"), [0, 50], atol=ABS)
    np.testing.assert_allclose(_values(ds, "bus_price", bus="JP_el"), [10, 50], rtol=REL)
    assert r.objective == pytest.approx(4100.0, rel=REL)
    # operating cost per generator: cheap 160 MWh * 10, dear 50 MWh * 50
    assert float(ds["generator_operating_cost"].sel(generator="cheap")) == pytest.approx(1600.0)
    assert float(ds["generator_operating_cost"].sel(generator="dear")) == pytest.approx(2500.0)
    # no capacity expansion: p_nom_opt = p_nom, no capital cost
    np.testing.assert_allclose(ds["generator_p_nom_opt"].values, [100, 100], rtol=REL)
    np.testing.assert_allclose(ds["generator_capital_cost"].values, [0, 0], atol=ABS)


def test_marginal_cost_series_and_p_max_pu_series(make_network, series, solve):
    """Solar 100 MW, p_max_pu [0.5, 0.0], mc 0; gas 200 MW @ mc [30, 40]; load 80.
    Hour 0: solar 50 (at availability), gas 30 -> price 30.
    Hour 1: solar 0, gas 80 -> price 40.
    Objective = 30*30 + 80*40 = 900 + 3200 = 4100.
    """
    n = make_network(2)
    n.add_bus("b", country="JP")
    n.add_load("l", "b", p=80.0)
    n.add_generator("pv", "b", carrier="solar", p_nom=100.0, p_max_pu=series([0.5, 0.0]))
    n.add_generator("gas", "b", carrier="gas", p_nom=200.0, marginal_cost=series([30.0, 40.0]))
    r = solve(n)
    ds = r.dataset
    np.testing.assert_allclose(_values(ds, "generator_p", generator="pv"), [50, 0], atol=ABS)
    np.testing.assert_allclose(_values(ds, "generator_p", generator="gas"), [30, 80], atol=ABS)
    np.testing.assert_allclose(_values(ds, "bus_price", bus="b"), [30, 40], rtol=REL)
    np.testing.assert_allclose(_values(ds, "generator_p_max_pu", generator="pv"), [0.5, 0.0])
    np.testing.assert_allclose(_values(ds, "load_p", load="l"), [80, 80])
    assert r.objective == pytest.approx(4100.0, rel=REL)


def test_p_min_pu_forces_must_run(make_network, solve):
    """Load 120; cheap 200 MW @ 10; dear 100 MW @ 50 with p_min_pu 0.6 -> dear >= 60.
    Dispatch: dear 60 (at its minimum), cheap 60 (interior) -> price 10.
    Objective = 60*10 + 60*50 = 3600.
    """
    n = make_network(1)
    n.add_bus("b", country="JP")
    n.add_load("l", "b", p=120.0)
    n.add_generator("cheap", "b", carrier="coal", p_nom=200.0, marginal_cost=10.0)
    n.add_generator("dear", "b", carrier="gas", p_nom=100.0, marginal_cost=50.0, p_min_pu=0.6)
    r = solve(n)
    ds = r.dataset
    assert float(ds["generator_p"].sel(generator="dear")[0]) == pytest.approx(60.0, rel=REL)
    assert float(ds["generator_p"].sel(generator="cheap")[0]) == pytest.approx(60.0, rel=REL)
    assert float(ds["bus_price"].sel(bus="b")[0]) == pytest.approx(10.0, rel=REL)
    assert r.objective == pytest.approx(3600.0, rel=REL)


# ------------------------------------------------------------------ capacity expansion

# Load-duration curve over 10 hourly snapshots: 180 MW for 1 h, 150 MW for 3 h, 100 MW for 6 h,
# i.e. load >= 100 for 10 h, >= 150 for 4 h, >= 180 for 1 h.
LDC = [180.0, 150.0, 150.0, 150.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0]
BASE_CAPEX, BASE_MC = 60.0, 10.0  # USD/MW over the horizon, USD/MWh
PEAK_CAPEX, PEAK_MC = 10.0, 30.0
# Screening curve crossover: 60 + 10 h = 10 + 30 h  ->  h* = 50 / 20 = 2.5 h.
# Baseload serves every layer lasting > 2.5 h (up to 150 MW), the peaker the top 30 MW (1 h).


def _screening(make_network, series, base_p_nom=0.0, base_p_nom_max=math.inf):
    n = make_network(len(LDC))
    n.add_bus("b", country="KR")
    n.add_load("l", "b", p=series(LDC))
    n.add_generator(
        "base",
        "b",
        carrier="nuclear",
        p_nom=base_p_nom,
        p_nom_extendable=True,
        p_nom_max=base_p_nom_max,
        capital_cost=BASE_CAPEX,
        marginal_cost=BASE_MC,
    )
    n.add_generator(
        "peak",
        "b",
        carrier="gas",
        p_nom_extendable=True,
        capital_cost=PEAK_CAPEX,
        marginal_cost=PEAK_MC,
    )
    return n


def test_screening_curve_optimal_sizes(make_network, series, solve):
    """Layer 0-100 MW (10 h): base 60+100=160 < peak 10+300=310 -> base.
    Layer 100-150 MW (4 h): base 60+40=100 < peak 10+120=130 -> base.
    Layer 150-180 MW (1 h): base 60+10=70 > peak 10+30=40 -> peak.
    base 150 MW, peak 30 MW.
    Objective = 150*60 + 30*10 + 10*(150 + 3*150 + 6*100) + 30*30
              = 9000 + 300 + 12000 + 900 = 22200 USD.
    """
    r = solve(_screening(make_network, series))
    ds = r.dataset
    assert float(ds["generator_p_nom_opt"].sel(generator="base")) == pytest.approx(150.0, rel=REL)
    assert float(ds["generator_p_nom_opt"].sel(generator="peak")) == pytest.approx(30.0, rel=REL)
    np.testing.assert_allclose(
        _values(ds, "generator_p", generator="peak"), [30] + [0] * 9, atol=ABS
    )
    assert float(ds["generator_capital_cost"].sel(generator="base")) == pytest.approx(9000.0)
    assert float(ds["generator_capital_cost"].sel(generator="peak")) == pytest.approx(300.0)
    assert float(ds["generator_operating_cost"].sel(generator="base")) == pytest.approx(12000.0)
    assert float(ds["generator_operating_cost"].sel(generator="peak")) == pytest.approx(900.0)
    assert r.objective == pytest.approx(22200.0, rel=REL)


def test_capital_cost_only_on_new_capacity(make_network, series, solve):
    """Existing base p_nom = 100 is sunk: the optimum is still base 150, peak 30, but only
    the 50 MW of new base capacity pays capital cost.
    Objective = 50*60 + 30*10 + 12000 + 900 = 3000 + 300 + 12900 = 16200 USD.
    """
    r = solve(_screening(make_network, series, base_p_nom=100.0))
    ds = r.dataset
    assert float(ds["generator_p_nom_opt"].sel(generator="base")) == pytest.approx(150.0, rel=REL)
    assert float(ds["generator_p_nom_opt"].sel(generator="peak")) == pytest.approx(30.0, rel=REL)
    assert float(ds["generator_capital_cost"].sel(generator="base")) == pytest.approx(3000.0)
    assert r.objective == pytest.approx(16200.0, rel=REL)


def test_existing_capacity_above_optimum_is_kept(make_network, series, solve):
    """Existing base 170 MW (> 150 optimum) is a lower bound: p_nom_opt = 170, no capex.
    Peak hour: base 170, peaker 10 MW (10*10 + 10*30 = 400 < extending base 10*60+10*10=700).
    Objective = 0 + 10*10 + 10*(170 + 3*150 + 6*100) + 10*30 = 100 + 12200 + 300 = 12600.
    """
    r = solve(_screening(make_network, series, base_p_nom=170.0))
    ds = r.dataset
    assert float(ds["generator_p_nom_opt"].sel(generator="base")) == pytest.approx(170.0, rel=REL)
    assert float(ds["generator_p_nom_opt"].sel(generator="peak")) == pytest.approx(10.0, rel=REL)
    assert float(ds["generator_capital_cost"].sel(generator="base")) == pytest.approx(0.0, abs=ABS)
    assert r.objective == pytest.approx(12600.0, rel=REL)


def test_p_nom_max_caps_expansion(make_network, series, solve):
    """base p_nom_max = 120 -> base 120, peak 60.
    Base energy: 4*120 + 6*100 = 1080 MWh; peak energy: 60 + 3*30 = 150 MWh.
    Objective = 120*60 + 60*10 + 1080*10 + 150*30 = 7200 + 600 + 10800 + 4500 = 23100.
    """
    r = solve(_screening(make_network, series, base_p_nom_max=120.0))
    ds = r.dataset
    assert float(ds["generator_p_nom_opt"].sel(generator="base")) == pytest.approx(120.0, rel=REL)
    assert float(ds["generator_p_nom_opt"].sel(generator="peak")) == pytest.approx(60.0, rel=REL)
    assert r.objective == pytest.approx(23100.0, rel=REL)


# ----------------------------------------------------------------- value of lost load


def test_voll_sheds_exactly_the_shortfall(make_network, series, solve):
    """Gen 80 MW @ 10, load [50, 100], voll 1000.
    Hour 0: gen 50, no shedding, price 10.  Hour 1: gen 80, unserved 20, price = voll = 1000.
    Objective = 50*10 + 80*10 + 20*1000 = 500 + 800 + 20000 = 21300; unserved cost 20000.
    """
    n = make_network(2)
    n.add_bus("b", country="JP", voll=1000.0)
    n.add_load("l", "b", p=series([50.0, 100.0]))
    n.add_generator("g", "b", carrier="gas", p_nom=80.0, marginal_cost=10.0)
    r = solve(n)
    ds = r.dataset
    np.testing.assert_allclose(_values(ds, "unserved_energy", bus="b"), [0, 20], atol=ABS)
    np.testing.assert_allclose(_values(ds, "generator_p", generator="g"), [50, 80], atol=ABS)
    np.testing.assert_allclose(_values(ds, "bus_price", bus="b"), [10, 1000], rtol=REL)
    assert float(ds["bus_unserved_cost"].sel(bus="b")) == pytest.approx(20000.0, rel=REL)
    assert r.objective == pytest.approx(21300.0, rel=REL)


def test_bus_without_voll_reports_zero_unserved(make_network, solve):
    """A bus without voll has no unserved variable: unserved_energy and its cost are 0."""
    n = make_network(2)
    n.add_bus("a", country="JP", voll=500.0)
    n.add_bus("b", country="JP")
    n.add_load("la", "a", p=10.0)
    n.add_load("lb", "b", p=10.0)
    n.add_generator("ga", "a", carrier="gas", p_nom=100.0, marginal_cost=1.0)
    n.add_generator("gb", "b", carrier="gas", p_nom=100.0, marginal_cost=1.0)
    ds = solve(n).dataset
    np.testing.assert_allclose(ds["unserved_energy"].values, 0.0, atol=ABS)
    np.testing.assert_allclose(ds["bus_unserved_cost"].values, 0.0, atol=ABS)


# ------------------------------------------------------------------- snapshot weights


def test_doubling_weights_doubles_costs_not_dispatch_or_prices(make_network, series, solve):
    """Weights 2 h: the same dispatch and per-MWh prices, every operating cost doubles.
    Objective = 2 * 4100 = 8200; cheap 2*1600 = 3200, dear 2*2500 = 5000.
    """
    r1 = solve(_merit_order(make_network, series, weights=1.0))
    r2 = solve(_merit_order(make_network, series, weights=2.0))
    assert r2.objective == pytest.approx(8200.0, rel=REL)
    assert r2.objective == pytest.approx(2 * r1.objective, rel=REL)
    d1, d2 = r1.dataset, r2.dataset
    np.testing.assert_allclose(d2["generator_p"].values, d1["generator_p"].values, atol=ABS)
    np.testing.assert_allclose(_values(d2, "bus_price", bus="JP_el"), [10, 50], rtol=REL)
    np.testing.assert_allclose(d2["generator_operating_cost"].values, [3200, 5000], rtol=REL)
    np.testing.assert_allclose(d2["snapshot_weight"].values, [2.0, 2.0])


def test_unequal_weights_weight_the_sums(make_network, series, solve):
    """Weights [1, 3]: hour 0 (load 60) counts once, hour 1 (load 150) three times.
    cheap: 60*10*1 + 100*10*3 = 600 + 3000 = 3600; dear: 50*50*3 = 7500.
    Objective = 11100; prices per MWh unchanged [10, 50].
    """
    r = solve(_merit_order(make_network, series, weights=[1.0, 3.0]))
    ds = r.dataset
    assert r.objective == pytest.approx(11100.0, rel=REL)
    assert float(ds["generator_operating_cost"].sel(generator="cheap")) == pytest.approx(3600.0)
    assert float(ds["generator_operating_cost"].sel(generator="dear")) == pytest.approx(7500.0)
    np.testing.assert_allclose(_values(ds, "generator_p", generator="cheap"), [60, 100], atol=ABS)
    np.testing.assert_allclose(_values(ds, "bus_price", bus="JP_el"), [10, 50], rtol=REL)
    np.testing.assert_allclose(ds["snapshot_weight"].values, [1.0, 3.0])


def test_weights_apply_to_emissions_and_unserved_cost(make_network, series, solve):
    """Weights [2, 0.5]; gen 80 MW @ 10 with 0.5 tCO2/MWh; load [50, 100]; voll 1000.
    Emissions = 0.5 * (50*2 + 80*0.5) = 0.5 * 140 = 70 t.
    Unserved cost = 20 MW * 0.5 h * 1000 = 10000.  Objective = 140*10 + 10000 = 11400.
    """
    n = make_network(2, weights=[2.0, 0.5])
    n.add_bus("b", country="JP", voll=1000.0)
    n.add_load("l", "b", p=series([50.0, 100.0]))
    n.add_generator("g", "b", carrier="gas", p_nom=80.0, marginal_cost=10.0, co2_intensity=0.5)
    r = solve(n)
    ds = r.dataset
    assert float(ds["generator_emissions"].sel(generator="g")) == pytest.approx(70.0, rel=REL)
    assert float(ds["bus_unserved_cost"].sel(bus="b")) == pytest.approx(10000.0, rel=REL)
    np.testing.assert_allclose(_values(ds, "bus_price", bus="b"), [10, 1000], rtol=REL)
    assert r.objective == pytest.approx(11400.0, rel=REL)


def test_p_nom_min_forces_new_capacity_paid_at_capital_cost():
    """Load 50 MW for 1 h; an existing 100 MW plant at 10 USD/MWh covers it. A second,
    extendable plant (capital 1,000 USD/MW, 5 USD/MWh) must be built to at least 80 MW:
    it is built to exactly 80 MW (more only costs), runs 50 MW:
    objective = 1,000 * 80 + 5 * 50 = 80,250."""
    n = jk.Network(pd.date_range("2030-01-01", periods=1, freq="h"))
    n.add_bus("JP", country="JP")
    n.add_load("d", bus="JP", p=50.0)
    n.add_generator("old", bus="JP", carrier="coal", p_nom=100.0, marginal_cost=10.0)
    n.add_generator("new", bus="JP", carrier="gas", p_nom_extendable=True, p_nom_min=80.0,
                    capital_cost=1000.0, marginal_cost=5.0)  # fmt: skip
    r = n.optimize(algorithm="simplex")
    assert float(r.dataset["generator_p_nom_opt"].sel(generator="new")) == pytest.approx(80.0)
    assert r.objective == pytest.approx(80_250.0)
    assert float(r.dataset["generator_capital_cost"].sel(generator="new")) == pytest.approx(
        80_000.0
    )


def test_p_nom_min_above_p_nom_max_is_rejected():
    n = jk.Network(pd.date_range("2030-01-01", periods=1, freq="h"))
    n.add_bus("JP", country="JP")
    with pytest.raises(jk.ComponentError, match="p_nom_min"):
        n.add_generator("g", bus="JP", p_nom_extendable=True, p_nom_min=10.0, p_nom_max=5.0)
