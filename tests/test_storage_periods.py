"""Storage across representative periods (Kotzur et al. 2018), on hand-solvable networks."""

from __future__ import annotations

import numpy as np
import pytest

import jkenergy as jk
from jkenergy.aggregation import cluster_periods

REL = 1e-7


def _seasonal(make_network, series):
    """8 hourly snapshots = 4 "days" of 2 h. Days 0-1: no load, cheap energy (20 MW at
    10 USD/MWh); days 2-3: 10 MW of load, only gas at 100 USD/MWh. A store of 30 MWh,
    20 MW, charging efficiency 0.8, cyclic.

    Best plan: carry 30 MWh (all the store holds) from days 0-1 to days 2-3, bought as
    30 / 0.8 = 37.5 MWh at 10 = 375 USD; the other 40 - 30 = 10 MWh from gas at 100 =
    1,000 USD. Objective 1,375 USD. Without moving energy between days: 40 MWh of gas =
    4,000 USD.
    """
    n = make_network(8)
    n.add_bus("b", country="JP")
    n.add_load("l", "b", p=series([0, 0, 0, 0, 10, 10, 10, 10]))
    n.add_generator("cheap", "b", carrier="solar", p_nom=20.0, marginal_cost=10.0,
                    p_max_pu=series([1, 1, 1, 1, 0, 0, 0, 0]))  # fmt: skip
    n.add_generator("gas", "b", carrier="gas", p_nom=100.0, marginal_cost=100.0)
    n.add_storage("store", "b", carrier="hydrogen", p_nom=20.0, e_nom=30.0,
                  efficiency_store=0.8, cyclic=True)  # fmt: skip
    return n


def test_full_horizon_reference(make_network, series, solve):
    assert solve(_seasonal(make_network, series)).objective == pytest.approx(1375.0, rel=REL)


def test_inter_period_storage_moves_energy_across_typical_days(make_network, series, solve):
    """Two typical periods (days 0-1 -> A, days 2-3 -> B, sequence A A B B) reach the
    full-horizon optimum: the store fills to 30 MWh over the A days and empties over the B
    days, although A and B each appear only once in the LP."""
    agg = cluster_periods(_seasonal(make_network, series), [0, 0, 1, 1], period_hours=2)
    assert len(agg.snapshots) == 4
    assert agg.snapshot_weightings.tolist() == [2.0, 2.0, 2.0, 2.0]
    r = solve(agg)
    assert r.objective == pytest.approx(1375.0, rel=REL)
    ds = r.dataset
    start = ds["storage_e_period_start"].sel(storage="store").values
    assert start[0] == pytest.approx(0.0, abs=1e-6)  # cyclic: empty again after day 3
    assert start[2] == pytest.approx(30.0, rel=REL)  # full when the load days begin
    assert ds["period_typical"].values.tolist() == [0, 0, 1, 1]
    e = ds["storage_e"].sel(storage="store").values  # level on days 0 and 2 (the labels)
    assert (e >= -1e-6).all() and (e <= 30.0 + 1e-6).all()
    assert float(ds["generator_p"].sel(generator="gas") @ ds["snapshot_weight"]) == (
        pytest.approx(10.0, rel=REL)
    )


def test_without_linking_energy_cannot_cross_days(make_network, series, solve):
    """Each typical period cyclic on its own: nothing crosses from A to B, gas covers all."""
    agg = cluster_periods(
        _seasonal(make_network, series), [0, 0, 1, 1], period_hours=2, linked=False
    )
    assert solve(agg).objective == pytest.approx(4000.0, rel=REL)


def test_energy_bound_counts_the_carried_level(make_network, series, solve):
    """The per-period maximum of the intra-period level plus the level carried in must stay
    within e_nom: with e_nom = 10 MWh only 10 MWh cross -> 10/0.8*10 + 30*100 = 3,125 USD."""
    n = _seasonal(make_network, series)
    n.storage.loc["store", "e_nom"] = 10.0
    agg = cluster_periods(n, [0, 0, 1, 1], period_hours=2)
    assert solve(agg).objective == pytest.approx(3125.0, rel=REL)


def test_non_cyclic_starts_from_e_initial(make_network, series, solve):
    """Non-cyclic, starting full (30 MWh): the 30 MWh already stored serve days 2-3 and the
    cheap energy can refill nothing useful (it ends unused) -> gas 10 MWh = 1,000 USD."""
    n = _seasonal(make_network, series)
    n.storage.loc["store", ["cyclic", "e_initial"]] = [False, 30.0]
    agg = cluster_periods(n, [0, 0, 1, 1], period_hours=2)
    full = solve(n)
    r = solve(agg)
    assert r.objective == pytest.approx(full.objective, rel=REL)
    assert r.objective == pytest.approx(1000.0, rel=REL)
    assert float(r.dataset["storage_e_period_start"].sel(storage="store")[0]) == 30.0


def test_extendable_hydrogen_store_sized_across_periods(make_network, series, solve):
    """Energy capacity is a variable (e_nom_extendable, 1 USD/MWh/yr): it is sized to the
    carried 40 MWh (load of days 2-3), so all load is served by the cheap source:
    40 / 0.8 * 10 + 40 * 1 = 540 USD."""
    n = make_network(8)
    n.add_bus("b", country="JP")
    n.add_load("l", "b", p=series([0, 0, 0, 0, 10, 10, 10, 10]))
    n.add_generator("cheap", "b", carrier="solar", p_nom=20.0, marginal_cost=10.0,
                    p_max_pu=series([1, 1, 1, 1, 0, 0, 0, 0]))  # fmt: skip
    n.add_generator("gas", "b", carrier="gas", p_nom=100.0, marginal_cost=100.0)
    n.add_storage("store", "b", carrier="hydrogen", p_nom=float("inf"), e_nom_extendable=True,
                  capital_cost_energy=1.0, efficiency_store=0.8)  # fmt: skip
    r = solve(cluster_periods(n, [0, 0, 1, 1], period_hours=2))
    assert r.objective == pytest.approx(540.0, rel=REL)
    assert float(r.dataset["storage_e_nom_opt"].sel(storage="store")) == pytest.approx(40.0)


def test_round_trip_of_aggregated_result(make_network, series, solve, tmp_path):
    agg = cluster_periods(_seasonal(make_network, series), [0, 0, 1, 1], period_hours=2)
    r = solve(agg)
    r.to_netcdf(tmp_path / "agg.nc")
    back = jk.open_results(tmp_path / "agg.nc")
    assert back.objective == r.objective
    np.testing.assert_array_equal(
        back.dataset["storage_e_period_start"].values, r.dataset["storage_e_period_start"].values
    )
    assert (back.dataset["period"].values == r.dataset["period"].values).all()
