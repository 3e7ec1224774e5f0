"""Links: losses, congestion, bidirectional flow, expansion, and the power-to-hydrogen-to-power
chain. Expected values are hand calculations.

Spec signs: link_p0 = net power leaving bus0 = f - eff*b; link_p1 = net power arriving at
bus1 = eff*f - b.
"""

from __future__ import annotations

import numpy as np
import pytest

from jkenergy.errors import InfeasibleError

REL = 1e-6
ABS = 1e-6


def _v(ds, var, **sel):
    return np.asarray(ds[var].sel(**sel).values, dtype=float)


def _two_buses(make_network, periods=1):
    """Bus A (JP) with a cheap 1000 MW generator @ 10, bus B (KR) with a 1000 MW one @ 50 and
    100 MW of load."""
    n = make_network(periods)
    n.add_bus("A", country="JP")
    n.add_bus("B", country="KR")
    n.add_load("loadB", "B", p=100.0)
    n.add_generator("genA", "A", carrier="coal", p_nom=1000.0, marginal_cost=10.0)
    n.add_generator("genB", "B", carrier="gas", p_nom=1000.0, marginal_cost=50.0)
    return n


def test_uncongested_lossy_link_price_ratio(make_network, solve):
    """Link A->B 200 MW, efficiency 0.9. B's load is met from A: p0 = 100/0.9 = 111.11 MW
    (< 200, interior), genB = 0. Prices: A = 10, B = 10/0.9 = 11.11.
    Objective = 111.11 * 10 = 1111.11.
    """
    n = _two_buses(make_network)
    n.add_link("AB", "A", "B", carrier="DC", p_nom=200.0, efficiency=0.9)
    r = solve(n)
    ds = r.dataset
    assert float(ds["link_p0"].sel(link="AB")[0]) == pytest.approx(100 / 0.9, rel=REL)
    assert float(ds["link_p1"].sel(link="AB")[0]) == pytest.approx(100.0, rel=REL)
    assert float(ds["generator_p"].sel(generator="genB")[0]) == pytest.approx(0.0, abs=ABS)
    assert float(ds["bus_price"].sel(bus="A")[0]) == pytest.approx(10.0, rel=REL)
    assert float(ds["bus_price"].sel(bus="B")[0]) == pytest.approx(10 / 0.9, rel=REL)
    assert r.objective == pytest.approx(1000 / 0.9, rel=REL)


def test_congested_link_prices_set_by_each_side(make_network, solve):
    """Link A->B 50 MW, efficiency 0.9: full at 50 MW, delivers 45, genB 55.
    Prices: A = 10 (genA marginal), B = 50 (genB marginal).
    Objective = 50*10 + 55*50 = 500 + 2750 = 3250.
    """
    n = _two_buses(make_network)
    n.add_link("AB", "A", "B", p_nom=50.0, efficiency=0.9)
    r = solve(n)
    ds = r.dataset
    assert float(ds["link_p0"].sel(link="AB")[0]) == pytest.approx(50.0, rel=REL)
    assert float(ds["link_p1"].sel(link="AB")[0]) == pytest.approx(45.0, rel=REL)
    assert float(ds["generator_p"].sel(generator="genB")[0]) == pytest.approx(55.0, rel=REL)
    assert float(ds["bus_price"].sel(bus="A")[0]) == pytest.approx(10.0, rel=REL)
    assert float(ds["bus_price"].sel(bus="B")[0]) == pytest.approx(50.0, rel=REL)
    assert r.objective == pytest.approx(3250.0, rel=REL)


def test_link_marginal_cost_enters_price_and_cost(make_network, solve):
    """Uncongested link with marginal_cost 2 USD/MWh on p0: price B = (10 + 2)/0.9 = 13.33.
    link_operating_cost = 2 * 111.11 = 222.22; objective = 1111.11 + 222.22 = 1333.33.
    """
    n = _two_buses(make_network)
    n.add_link("AB", "A", "B", p_nom=200.0, efficiency=0.9, marginal_cost=2.0)
    r = solve(n)
    ds = r.dataset
    assert float(ds["bus_price"].sel(bus="B")[0]) == pytest.approx(12 / 0.9, rel=REL)
    assert float(ds["link_operating_cost"].sel(link="AB")) == pytest.approx(200 / 0.9, rel=REL)
    assert r.objective == pytest.approx(1200 / 0.9, rel=REL)


def _alternating(make_network, series, bidirectional):
    """Hour 0: A cheap (10) / B dear (50); hour 1 the other way round. Load 100 on each bus.
    Link A<->B 60 MW, efficiency 0.95, marginal_cost 1 on f + b."""
    n = make_network(2)
    n.add_bus("A", country="JP")
    n.add_bus("B", country="KR")
    n.add_load("loadA", "A", p=100.0)
    n.add_load("loadB", "B", p=100.0)
    n.add_generator("genA", "A", carrier="gas", p_nom=1000.0, marginal_cost=series([10, 50]))
    n.add_generator("genB", "B", carrier="gas", p_nom=1000.0, marginal_cost=series([50, 10]))
    n.add_link(
        "AB",
        "A",
        "B",
        carrier="AC",
        p_nom=60.0,
        efficiency=0.95,
        bidirectional=bidirectional,
        marginal_cost=1.0,
    )
    return n


def test_bidirectional_link_flows_both_ways(make_network, series, solve):
    """Sending 1 MW costs 10 + 1 = 11 and saves 0.95*50 = 47.5, so the link is full each hour.
    h0: f = 60, b = 0 -> link_p0 = 60, link_p1 = 57; genA 160, genB 43.
    h1: f = 0, b = 60 -> link_p0 = -0.95*60 = -57, link_p1 = -60; genA 43, genB 160.
    Prices: A = [10, 50], B = [50, 10] (each side's generator is marginal).
    Objective = 2 * (160*10 + 43*50 + 60*1) = 2 * 3810 = 7620; link cost 120.
    """
    r = solve(_alternating(make_network, series, bidirectional=True))
    ds = r.dataset
    p0 = _v(ds, "link_p0", link="AB")
    p1 = _v(ds, "link_p1", link="AB")
    np.testing.assert_allclose(p0, [60, -57], atol=ABS)
    np.testing.assert_allclose(p1, [57, -60], atol=ABS)
    # never above capacity in either direction (f + b <= p_nom, f and b >= 0)
    assert np.all(np.maximum(np.abs(p0), np.abs(p1)) <= 60 + ABS)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="genA"), [160, 43], atol=ABS)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="genB"), [43, 160], atol=ABS)
    np.testing.assert_allclose(_v(ds, "bus_price", bus="A"), [10, 50], rtol=REL)
    np.testing.assert_allclose(_v(ds, "bus_price", bus="B"), [50, 10], rtol=REL)
    assert float(ds["link_operating_cost"].sel(link="AB")) == pytest.approx(120.0, rel=REL)
    assert r.objective == pytest.approx(7620.0, rel=REL)


def test_one_way_link_does_not_flow_backwards(make_network, series, solve):
    """Same, bidirectional=False: h1 cannot send B->A, so link_p0 = [60, 0].
    Objective = 3810 + (100*50 + 100*10) = 3810 + 6000 = 9810; link cost 60.
    """
    r = solve(_alternating(make_network, series, bidirectional=False))
    ds = r.dataset
    np.testing.assert_allclose(_v(ds, "link_p0", link="AB"), [60, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "link_p1", link="AB"), [57, 0], atol=ABS)
    assert float(ds["link_operating_cost"].sel(link="AB")) == pytest.approx(60.0, rel=REL)
    assert r.objective == pytest.approx(9810.0, rel=REL)


def _must_run_surplus(make_network, p_nom):
    """Bus A: must-run 100 MW (p_min_pu 1), load 70 -> 30 MW surplus with nowhere to go but a
    bidirectional link A<->B of efficiency 0.5 to an empty bus B. Balances force
      A: f - 0.5 b = 30,  B: 0.5 f - b = 0  ->  f = 40, b = 20, f + b = 60."""
    n = make_network(1)
    n.add_bus("A", country="JP")
    n.add_bus("B", country="JP")
    n.add_load("loadA", "A", p=70.0)
    n.add_generator("must_run", "A", carrier="nuclear", p_nom=100.0, p_min_pu=1.0)
    n.add_link("AB", "A", "B", p_nom=p_nom, efficiency=0.5, bidirectional=True)
    return n


def test_bidirectional_shared_capacity_allows_exact_fit(make_network, solve):
    """p_nom 60 = f + b: feasible; link_p0 = f - 0.5 b = 30, link_p1 = 0.5 f - b = 0."""
    ds = solve(_must_run_surplus(make_network, 60.0)).dataset
    assert float(ds["link_p0"].sel(link="AB")[0]) == pytest.approx(30.0, rel=REL)
    assert float(ds["link_p1"].sel(link="AB")[0]) == pytest.approx(0.0, abs=ABS)


def test_bidirectional_shared_capacity_is_enforced(make_network, solve):
    """p_nom 50 < f + b = 60 needed (each direction alone would fit in 50): infeasible."""
    with pytest.raises(InfeasibleError):
        solve(_must_run_surplus(make_network, 50.0))


@pytest.mark.parametrize(
    ("p_nom", "p_nom_max", "expected_p_nom_opt", "expected_capex", "expected_objective"),
    [
        # per MW of link: 2 h * (50 - 10) = 80 > 30 capex -> build all 100 MW:
        # 100*30 + 2*100*10 = 3000 + 2000 = 5000
        (0.0, np.inf, 100.0, 3000.0, 5000.0),
        # existing 40 MW is sunk: capex 60*30 = 1800 -> 1800 + 2000 = 3800
        (40.0, np.inf, 100.0, 1800.0, 3800.0),
        # capped at 70 MW: 70*30 + 2*(70*10 + 30*50) = 2100 + 4400 = 6500
        (0.0, 70.0, 70.0, 2100.0, 6500.0),
    ],
)
def test_extendable_link(
    make_network, solve, p_nom, p_nom_max, expected_p_nom_opt, expected_capex, expected_objective
):
    """Lossless extendable link A->B, capital_cost 30 USD/MW, two hours."""
    n = _two_buses(make_network, periods=2)
    n.add_link(
        "AB", "A", "B", p_nom=p_nom, p_nom_extendable=True, p_nom_max=p_nom_max, capital_cost=30.0
    )
    r = solve(n)
    ds = r.dataset
    assert float(ds["link_p_nom_opt"].sel(link="AB")) == pytest.approx(expected_p_nom_opt)
    assert float(ds["link_capital_cost"].sel(link="AB")) == pytest.approx(expected_capex)
    assert r.objective == pytest.approx(expected_objective, rel=REL)


def test_power_to_hydrogen_to_power_chain(make_network, series, solve):
    """Electricity bus 'el' (load 100, generator mc [10, 100]) and hydrogen bus 'h2'.
    Electrolyser el->h2 50 MW, efficiency 0.62; hydrogen store (non-cyclic, starts empty);
    fuel cell h2->el, efficiency 0.5. Chain efficiency 0.62*0.5 = 0.31:
    10/0.31 = 32.3 < 100, so the electrolyser runs flat out in h0:
      h0: electrolyser 50 MW in, 31 MW H2 out, stored: e(0) = 31 MWh; generator 150.
      h1: 31 MW H2 to the fuel cell -> 15.5 MW electricity; generator 84.5.
    Prices: el = [10, 100]; h2 = 0.5 * 100 = 50 in h1 (fuel cell marginal), and also 50 in
    h0 (the store carries it over losslessly, not at a bound).
    Objective = 150*10 + 84.5*100 = 1500 + 8450 = 9950 (= 11000 - (1550 - 500)).
    """
    n = make_network(2)
    n.add_bus("el", carrier="electricity", country="JP")
    n.add_bus("h2", carrier="hydrogen", country="JP")
    n.add_load("demand", "el", p=100.0)
    n.add_generator("g", "el", carrier="gas", p_nom=1000.0, marginal_cost=series([10, 100]))
    n.add_link("electrolyser", "el", "h2", carrier="electrolysis", p_nom=50.0, efficiency=0.62)
    n.add_link("fuel_cell", "h2", "el", carrier="fuel_cell", p_nom=1000.0, efficiency=0.5)
    n.add_storage(
        "h2_tank", "h2", carrier="hydrogen", p_nom=1000.0, e_nom=1000.0, cyclic=False, e_initial=0.0
    )
    r = solve(n)
    ds = r.dataset
    np.testing.assert_allclose(_v(ds, "link_p0", link="electrolyser"), [50, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "link_p1", link="electrolyser"), [31, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_p_store", storage="h2_tank"), [31, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_p_dispatch", storage="h2_tank"), [0, 31], atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_e", storage="h2_tank"), [31, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "link_p0", link="fuel_cell"), [0, 31], atol=ABS)
    np.testing.assert_allclose(_v(ds, "link_p1", link="fuel_cell"), [0, 15.5], atol=ABS)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="g"), [150, 84.5], atol=ABS)
    np.testing.assert_allclose(_v(ds, "bus_price", bus="el"), [10, 100], rtol=REL)
    np.testing.assert_allclose(_v(ds, "bus_price", bus="h2"), [50, 50], rtol=REL)
    assert r.objective == pytest.approx(9950.0, rel=REL)
    assert ds["bus_carrier"].sel(bus="h2").item() == "hydrogen"
