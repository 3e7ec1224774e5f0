"""Storage: arbitrage with losses, cyclic / non-cyclic state of charge, standing loss with
snapshot weights, and storage capacity expansion. Expected values are hand calculations.

State of charge (spec): e(t) = (1-sl)^D(t) e(t-1) + D(t) (eta_s p_store(t) - p_dispatch(t)/eta_d),
D(t) the snapshot's duration (its weight, at most the time to the next snapshot).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import jkenergy as jk

REL = 1e-6
ABS = 1e-6


def _v(ds, var, **sel):
    return np.asarray(ds[var].sel(**sel).values, dtype=float)


def test_cyclic_arbitrage_with_losses(make_network, series, solve):
    """One bus, load 100, generator 1000 MW with mc [10, 50, 20, 40] (always interior, so
    prices = mc). Battery 50 MW, max_hours 0.6 -> e_nom 30 MWh, eta_store 0.9,
    eta_dispatch 0.8, cyclic.

    Per stored MWh: buy at h0 costs 10/0.9 = 11.11, sells 0.8*50 = 40 at h1; buy at h2 costs
    20/0.9 = 22.22, sells 0.8*40 = 32 at h3. Both cycles pay, each limited by e_nom = 30:
      p_store = [30/0.9, 0, 30/0.9, 0] = [33.33, 0, 33.33, 0]   (below 50 MW)
      p_dispatch = [0, 30*0.8, 0, 30*0.8] = [0, 24, 0, 24]
      e = [30, 0, 30, 0]   (cyclic: e(-1) = e(3) = 0)
    Generator = [133.33, 76, 133.33, 76].
    Objective = 133.33*10 + 76*50 + 133.33*20 + 76*40 = 1333.33 + 3800 + 2666.67 + 3040
              = 10840  (= 12000 without storage - 866.67 - 293.33).
    """
    n = make_network(4)
    n.add_bus("b", country="JP")
    n.add_load("l", "b", p=100.0)
    n.add_generator("g", "b", carrier="gas", p_nom=1000.0, marginal_cost=series([10, 50, 20, 40]))
    n.add_storage(
        "bat",
        "b",
        p_nom=50.0,
        max_hours=0.6,
        efficiency_store=0.9,
        efficiency_dispatch=0.8,
        cyclic=True,
    )
    r = solve(n)
    ds = r.dataset
    charge = 30.0 / 0.9
    np.testing.assert_allclose(
        _v(ds, "storage_p_store", storage="bat"), [charge, 0, charge, 0], atol=ABS
    )
    np.testing.assert_allclose(
        _v(ds, "storage_p_dispatch", storage="bat"), [0, 24, 0, 24], atol=ABS
    )
    np.testing.assert_allclose(_v(ds, "storage_e", storage="bat"), [30, 0, 30, 0], atol=ABS)
    np.testing.assert_allclose(
        _v(ds, "generator_p", generator="g"), [100 + charge, 76, 100 + charge, 76], atol=ABS
    )
    np.testing.assert_allclose(_v(ds, "bus_price", bus="b"), [10, 50, 20, 40], rtol=REL)
    assert float(ds["storage_p_nom_opt"].sel(storage="bat")) == pytest.approx(50.0)
    assert float(ds["storage_e_nom_opt"].sel(storage="bat")) == pytest.approx(30.0)
    assert float(ds["storage_capital_cost"].sel(storage="bat")) == pytest.approx(0.0, abs=ABS)
    assert r.objective == pytest.approx(10840.0, rel=REL)


def test_non_cyclic_starts_from_e_initial(make_network, series, solve):
    """As above but 3 hours with mc [50, 10, 40], e_nom 30 (max_hours NaN), cyclic=False,
    e_initial = 30 MWh (full).
    h0: discharge the initial 30 MWh -> 24 MW (0.8*30) at price 50; e(0) = 0.
    h1: recharge 30/0.9 = 33.33 MW at 10; e(1) = 30.
    h2: discharge 24 MW at 40; e(2) = 0 (energy left at the end is worthless).
    Objective = 76*50 + 133.33*10 + 76*40 = 3800 + 1333.33 + 3040 = 8173.33.
    """
    n = make_network(3)
    n.add_bus("b", country="JP")
    n.add_load("l", "b", p=100.0)
    n.add_generator("g", "b", carrier="gas", p_nom=1000.0, marginal_cost=series([50, 10, 40]))
    n.add_storage(
        "bat",
        "b",
        p_nom=50.0,
        e_nom=30.0,
        efficiency_store=0.9,
        efficiency_dispatch=0.8,
        cyclic=False,
        e_initial=30.0,
    )
    r = solve(n)
    ds = r.dataset
    charge = 30.0 / 0.9
    np.testing.assert_allclose(_v(ds, "storage_p_dispatch", storage="bat"), [24, 0, 24], atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_p_store", storage="bat"), [0, charge, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_e", storage="bat"), [0, 30, 0], atol=ABS)
    assert float(ds["storage_e_nom_opt"].sel(storage="bat")) == pytest.approx(30.0)
    assert r.objective == pytest.approx(3800.0 + (100.0 + charge) * 10.0 + 3040.0, rel=REL)


def test_standing_loss_compounds_with_weight(solve):
    """2 snapshots 2 h apart of weight 2 h (so 2-h storage steps); mc [10, 50]; load 100;
    store 100 MW / 100 MWh, lossless
    conversion, standing_loss 0.1 per hour, cyclic=False, e_initial = 100 (full).
    Decay over one 2-h snapshot: (1 - 0.1)^2 = 0.81 (not 1 - 0.1*2 = 0.8).
    Holding is worth it (0.81*50 = 40.5 > 10), and topping up at h0 too:
      e(0) = 0.81*100 + 2*p_store(0) = 100  ->  p_store(0) = 9.5 MW
      e(1) = 0.81*100 - 2*p_dispatch(1) = 0  ->  p_dispatch(1) = 40.5 MW
    Generator = [109.5, 59.5]; objective = 2*(109.5*10 + 59.5*50) = 2*(1095 + 2975) = 8140.
    (With the linear 1 - sl*w the numbers would be 10 MW, 40 MW and 8200.)
    """
    n = jk.Network(pd.date_range("2030-01-01", periods=2, freq="2h"), weights=2.0)
    assert n.snapshot_durations.tolist() == [2.0, 2.0]
    n.add_bus("b", country="JP")
    n.add_load("l", "b", p=100.0)
    n.add_generator("g", "b", carrier="gas", p_nom=1000.0, marginal_cost=[10.0, 50.0])
    n.add_storage(
        "tank",
        "b",
        carrier="heat",
        p_nom=100.0,
        e_nom=100.0,
        standing_loss=0.1,
        cyclic=False,
        e_initial=100.0,
    )
    r = solve(n)
    ds = r.dataset
    np.testing.assert_allclose(_v(ds, "storage_p_store", storage="tank"), [9.5, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_p_dispatch", storage="tank"), [0, 40.5], atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_e", storage="tank"), [100, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="g"), [109.5, 59.5], atol=ABS)
    np.testing.assert_allclose(_v(ds, "bus_price", bus="b"), [10, 50], rtol=REL)
    assert r.objective == pytest.approx(8140.0, rel=REL)


def _expansion(make_network, series, **storage_kwargs):
    """2 hours, mc [10, 50], load 100, lossless cyclic storage to be sized."""
    n = make_network(2)
    n.add_bus("b", country="KR")
    n.add_load("l", "b", p=100.0)
    n.add_generator("g", "b", carrier="gas", p_nom=1000.0, marginal_cost=series([10, 50]))
    n.add_storage("bat", "b", cyclic=True, **storage_kwargs)
    return n


def test_extendable_power_with_max_hours(make_network, series, solve):
    """max_hours 1, capital_cost 15 USD/MW (pays power and energy), marginal_cost 2 on dispatch.
    Per MW: charge 1 MWh at 10, discharge at 50: 50 - 10 - 2 - 15 = 23 > 0, so build until
    discharge covers the whole h1 load: p_nom_opt = 100 MW, e_nom_opt = 100 MWh.
    e = [100, 0]; generator = [200, 0].
    Objective = 100*15 + 200*10 + 100*2 = 1500 + 2000 + 200 = 3700.
    """
    r = solve(
        _expansion(
            make_network,
            series,
            p_nom_extendable=True,
            max_hours=1.0,
            capital_cost=15.0,
            marginal_cost=2.0,
        )
    )
    ds = r.dataset
    assert float(ds["storage_p_nom_opt"].sel(storage="bat")) == pytest.approx(100.0, rel=REL)
    assert float(ds["storage_e_nom_opt"].sel(storage="bat")) == pytest.approx(100.0, rel=REL)
    np.testing.assert_allclose(_v(ds, "storage_e", storage="bat"), [100, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_p_dispatch", storage="bat"), [0, 100], atol=ABS)
    assert float(ds["storage_capital_cost"].sel(storage="bat")) == pytest.approx(1500.0)
    assert float(ds["storage_operating_cost"].sel(storage="bat")) == pytest.approx(200.0)
    assert r.objective == pytest.approx(3700.0, rel=REL)


def test_storage_capital_cost_only_on_new_power(make_network, series, solve):
    """Same with existing p_nom = 40: still 100 MW, capex only on 60 MW: 60*15 = 900.
    Objective = 900 + 2000 + 200 = 3100.
    """
    r = solve(
        _expansion(
            make_network,
            series,
            p_nom=40.0,
            p_nom_extendable=True,
            max_hours=1.0,
            capital_cost=15.0,
            marginal_cost=2.0,
        )
    )
    ds = r.dataset
    assert float(ds["storage_p_nom_opt"].sel(storage="bat")) == pytest.approx(100.0, rel=REL)
    assert float(ds["storage_capital_cost"].sel(storage="bat")) == pytest.approx(900.0)
    assert r.objective == pytest.approx(3100.0, rel=REL)


def test_extendable_energy_independent_of_power(make_network, series, solve):
    """max_hours NaN, p_nom fixed 60 MW, e_nom_extendable, capital_cost_energy 5 USD/MWh.
    Per MWh of energy capacity: 50 - 10 - 5 = 35 > 0 -> build until power binds: 60 MWh.
    generator = [160, 40]; objective = 60*5 + 160*10 + 40*50 = 300 + 1600 + 2000 = 3900.
    """
    r = solve(
        _expansion(
            make_network,
            series,
            p_nom=60.0,
            max_hours=math.nan,
            e_nom_extendable=True,
            capital_cost_energy=5.0,
        )
    )
    ds = r.dataset
    assert float(ds["storage_e_nom_opt"].sel(storage="bat")) == pytest.approx(60.0, rel=REL)
    assert float(ds["storage_p_nom_opt"].sel(storage="bat")) == pytest.approx(60.0, rel=REL)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="g"), [160, 40], atol=ABS)
    assert float(ds["storage_capital_cost"].sel(storage="bat")) == pytest.approx(300.0)
    assert r.objective == pytest.approx(3900.0, rel=REL)


def test_e_nom_max_caps_energy_expansion(make_network, series, solve):
    """As above with e_nom_max 40: e_nom_opt 40, generator [140, 60].
    Objective = 40*5 + 140*10 + 60*50 = 200 + 1400 + 3000 = 4600.
    """
    r = solve(
        _expansion(
            make_network,
            series,
            p_nom=60.0,
            max_hours=math.nan,
            e_nom_extendable=True,
            e_nom_max=40.0,
            capital_cost_energy=5.0,
        )
    )
    ds = r.dataset
    assert float(ds["storage_e_nom_opt"].sel(storage="bat")) == pytest.approx(40.0, rel=REL)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="g"), [140, 60], atol=ABS)
    assert r.objective == pytest.approx(4600.0, rel=REL)


def test_energy_capacity_bounds_state_of_charge(make_network, series, solve):
    """Fixed e_nom = 25 MWh, p_nom 100 MW, lossless: moves exactly 25 MWh from h0 to h1.
    generator = [125, 75]; objective = 1250 + 3750 = 5000.
    """
    r = solve(_expansion(make_network, series, p_nom=100.0, e_nom=25.0))
    ds = r.dataset
    np.testing.assert_allclose(_v(ds, "storage_e", storage="bat"), [25, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="g"), [125, 75], atol=ABS)
    assert r.objective == pytest.approx(5000.0, rel=REL)


# ------------------------------------------- snapshot weight vs storage time step


def _week_arbitrage(snapshots, weights, **kwargs):
    """Load 100, gas 1000 MW with mc 10 in even hours and 50 in odd hours, a cyclic store
    of 100 MW / 30 MWh (energy sized on its own), efficiency_dispatch 0.9."""
    n = jk.Network(snapshots, weights=weights, **kwargs)
    n.add_bus("b", country="JP")
    n.add_load("l", "b", p=100.0)
    mc = pd.Series(np.where(np.arange(len(snapshots)) % 2 == 0, 10.0, 50.0), index=snapshots)
    n.add_generator("g", "b", carrier="gas", p_nom=1000.0, marginal_cost=mc)
    n.add_storage("s", "b", p_nom=100.0, e_nom=30.0, efficiency_dispatch=0.9)
    return n


def test_week_weighted_to_a_year_steps_storage_by_real_hours(solve):
    """A week of 168 hourly snapshots weighted 52 (to stand for a year): storage advances
    1 h per snapshot, not 52 h.

    With 1-h steps the 30 MWh store fills in each cheap hour (p_store 30 MW; a stored MWh
    bought at 10 sells for 0.9 * 50 = 45) and empties in the next (p_dispatch 0.9 * 30 =
    27 MW): generator [130, 73, ...]. Objective = 52 * 84 * (130*10 + 73*50) =
    52 * 84 * 4950 = 21,621,600 USD. (With a 52-h step the store moves only 30/52 =
    0.58 MW: objective about 26.0 M USD.) The same week with weight 1 dispatches
    identically and costs 1/52 of it.
    """
    week = pd.date_range("2030-01-07", periods=168, freq="h")
    n = _week_arbitrage(week, 52.0)
    assert (n.snapshot_durations == 1.0).all()
    r = solve(n)
    ds = r.dataset
    ones = _week_arbitrage(week, 1.0)
    r1 = solve(ones)
    store, dispatch = np.tile([30.0, 0.0], 84), np.tile([0.0, 27.0], 84)
    np.testing.assert_allclose(_v(ds, "storage_p_store", storage="s"), store, atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_p_dispatch", storage="s"), dispatch, atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_e", storage="s"), store, atol=ABS)
    np.testing.assert_allclose(
        _v(ds, "generator_p", generator="g"), 100 + store - dispatch, atol=ABS
    )
    assert r.objective == pytest.approx(52 * 84 * 4950.0, rel=REL)
    assert r1.objective == pytest.approx(84 * 4950.0, rel=REL)
    np.testing.assert_allclose(
        _v(ds, "storage_p_store", storage="s"),
        _v(r1.dataset, "storage_p_store", storage="s"),
        atol=ABS,
    )
    np.testing.assert_allclose(ds["snapshot_duration"].values, 1.0)


def test_explicit_durations_override_the_default(solve):
    """durations=2 on hourly snapshots weighted 52: each snapshot lasts 2 h for storage, so
    30 MWh are charged at 15 MW and returned at 0.9 * 30 / 2 = 13.5 MW: generator
    [115, 86.5, ...], objective 52 * 84 * (1150 + 4325) = 52 * 84 * 5475."""
    week = pd.date_range("2030-01-07", periods=168, freq="h")
    n = _week_arbitrage(week, 52.0, durations=2.0)
    r = solve(n)
    np.testing.assert_allclose(
        _v(r.dataset, "storage_p_store", storage="s"), np.tile([15.0, 0.0], 84), atol=ABS
    )
    np.testing.assert_allclose(
        _v(r.dataset, "storage_p_dispatch", storage="s"), np.tile([0.0, 13.5], 84), atol=ABS
    )
    assert r.objective == pytest.approx(52 * 84 * 5475.0, rel=REL)


def test_default_duration_is_the_weight_up_to_the_spacing():
    """Default duration = min(weight, hours to the next snapshot; the last snapshot uses the
    step before it; a single snapshot its weight)."""
    hourly = pd.date_range("2030", periods=3, freq="h")
    assert jk.Network(hourly, weights=52.0).snapshot_durations.tolist() == [1.0, 1.0, 1.0]
    assert jk.Network(hourly, weights=0.5).snapshot_durations.tolist() == [0.5, 0.5, 0.5]
    three = pd.date_range("2030", periods=3, freq="3h")
    w = pd.Series([3.0, 3.0, 2.0], index=three)
    assert jk.Network(three, weights=w).snapshot_durations.tolist() == [3.0, 3.0, 2.0]
    irregular = pd.DatetimeIndex(["2030-01-01 00:00", "2030-01-01 01:00", "2030-01-01 05:00"])
    assert jk.Network(irregular, weights=8.0).snapshot_durations.tolist() == [1.0, 4.0, 4.0]
    one = pd.date_range("2030", periods=1, freq="h")
    assert jk.Network(one, weights=8760.0).snapshot_durations.tolist() == [8760.0]
    n = jk.Network(hourly, weights=1.0)
    n.snapshot_weightings[:] = 365.0  # weights changed later: durations follow the rule
    assert n.snapshot_durations.tolist() == [1.0, 1.0, 1.0]
