"""Spatial aggregation: jk.aggregate_buses. Expected values are hand calculations."""

from __future__ import annotations

import numpy as np
import pytest

import jkenergy as jk
from jkenergy.errors import ComponentError

REL = 1e-6


def _chain(make_network):
    """A - B - C. A: 200 MW at 10 USD/MWh; B: load 50; C: load 50 and 100 MW at 100 USD/MWh.
    A-B is 500 MW (never full), B-C 30 MW (full): C imports 30 and makes 20.
    Objective = 10 x (50 + 30) + 100 x 20 = 2,800 per hour."""
    n = make_network(2)
    for b in "ABC":
        n.add_bus(b, country="JP")
    n.add_load("B_load", bus="B", p=50.0)
    n.add_load("C_load", bus="C", p=50.0)
    n.add_generator("A_coal", bus="A", carrier="coal", p_nom=200.0, marginal_cost=10.0)
    n.add_generator("C_gas", bus="C", carrier="gas", p_nom=100.0, marginal_cost=100.0)
    n.add_link("A-B", bus0="A", bus1="B", p_nom=500.0, bidirectional=True)
    n.add_link("B-C", bus0="B", bus1="C", p_nom=30.0, bidirectional=True)
    return n


def test_chain_keeps_the_binding_corridor_and_the_objective(make_network, solve):
    n = _chain(make_network)
    full = solve(n)
    assert full.objective == pytest.approx(2 * 2_800.0, rel=REL)
    a = jk.aggregate_buses(n, {"A": "AB", "B": "AB"})
    assert list(a.buses.index) == ["AB", "C"]
    assert list(a.links.index) == ["B-C"]  # A-B is inside the group: dropped
    assert (a.links.loc["B-C", "bus0"], a.links.loc["B-C", "bus1"]) == ("AB", "C")
    assert list(a.loads.index) == ["AB_load", "C_load"]
    r = solve(a)
    assert r.objective == pytest.approx(full.objective, rel=REL)
    np.testing.assert_allclose(r.dataset["link_p0"].sel(link="B-C").values, 30.0, rtol=REL)
    assert n.buses.index.tolist() == ["A", "B", "C"]  # the input is unchanged


def test_merging_across_a_binding_corridor_drops_its_limit(make_network, solve):
    """B and C merged: the full B-C link no longer limits; C's gas is not needed:
    objective 10 x 100 = 1,000 per hour (a relaxation, cheaper than 2,800)."""
    a = jk.aggregate_buses(_chain(make_network), {"B": "BC", "C": "BC"})
    assert list(a.links.index) == ["A-B"]
    assert solve(a).objective == pytest.approx(2 * 1_000.0, rel=REL)


def test_loads_summed_and_generators_merged_by_capacity(make_network):
    """Solar 10 MW [0.5, 1.0] and 30 MW [1.0, 0.0]: merged 40 MW whose availability
    carries the same MW: [(5 + 30)/40, (10 + 0)/40] = [0.875, 0.25]. Gas units of different
    cost stay apart."""
    n = make_network(2)
    n.add_bus("X", country="JP")
    n.add_bus("Y", country="JP")
    n.add_load("dX", bus="X", p=[10.0, 20.0])
    n.add_load("dY", bus="Y", p=[1.0, 2.0])
    n.add_generator("sX", bus="X", carrier="solar", p_nom=10.0, p_max_pu=[0.5, 1.0])
    n.add_generator("sY", bus="Y", carrier="solar", p_nom=30.0, p_max_pu=[1.0, 0.0])
    n.add_generator("gX", bus="X", carrier="gas", p_nom=5.0, marginal_cost=50.0)
    n.add_generator("gY", bus="Y", carrier="gas", p_nom=5.0, marginal_cost=60.0)
    a = jk.aggregate_buses(n, {"X": "JP", "Y": "JP"})
    assert a.get_series("load", "p")["JP_load"].tolist() == [11.0, 22.0]
    assert float(a.generators.loc["JP_solar", "p_nom"]) == 40.0
    np.testing.assert_allclose(
        a.get_series("generator", "p_max_pu")["JP_solar"].values, [0.875, 0.25]
    )
    assert sorted(a.generators.index) == ["JP_gas", "JP_gas_2", "JP_solar"]


def test_new_build_potential_weights_the_profile(make_network):
    """Extendable wind with potentials 100 and 300 MW, p_max_pu 0.2 and 0.6: merged
    potential 400 MW at (20 + 180)/400 = 0.5."""
    n = make_network(1)
    for b in "XY":
        n.add_bus(b, country="JP")
    for b, cap, cf in (("X", 100.0, 0.2), ("Y", 300.0, 0.6)):
        n.add_generator(
            f"w{b}", bus=b, carrier="wind", p_nom_extendable=True, p_nom_max=cap,
            capital_cost=1.0, p_max_pu=cf,
        )  # fmt: skip
    a = jk.aggregate_buses(n, {"X": "G", "Y": "G"})
    assert float(a.generators.loc["G_wind", "p_nom_max"]) == 400.0
    assert float(a.get_series("generator", "p_max_pu")["G_wind"].iloc[0]) == pytest.approx(0.5)


def test_parallel_links_merged_and_storage_kept(make_network):
    """Two fixed links from group 1 to group 2 (10 MW at 0.9, 30 MW at 0.98): one of 40 MW at
    (9 + 29.4)/40 = 0.96; an extendable one stays on its own; the store moves to its group."""
    n = make_network(1)
    for b in ("a1", "a2", "b1"):
        n.add_bus(b, country="JP")
    n.add_link("l1", bus0="a1", bus1="b1", p_nom=10.0, efficiency=0.9, carrier="ac")
    n.add_link("l2", bus0="a2", bus1="b1", p_nom=30.0, efficiency=0.98, carrier="ac")
    n.add_link("new", bus0="a2", bus1="b1", carrier="ac", p_nom_extendable=True, capital_cost=5.0)
    n.add_storage("bat", bus="a2", p_nom=5.0, max_hours=2.0)
    a = jk.aggregate_buses(n, {"a1": "A", "a2": "A", "b1": "B"})
    assert sorted(a.links.index) == ["A-B_ac", "new"]
    merged = a.links.loc["A-B_ac"]
    assert float(merged["p_nom"]) == 40.0
    assert float(merged["efficiency"]) == pytest.approx(0.96)
    assert a.links.loc["new", "bus0"] == "A"
    assert a.storage.loc["bat", "bus"] == "A"


def test_policies_and_periods_are_kept(make_network):
    n = _chain(make_network)
    n.add_co2_limit("cap", countries="JP", limit=1e6)
    n.add_reserve_margin("rm", countries="JP", margin=0.1)
    a = jk.aggregate_buses(n, {"A": "AB", "B": "AB"})
    assert list(a.co2_limits.index) == ["cap"]
    assert list(a.reserve_margins.index) == ["rm"]


def test_bad_mappings_are_refused(make_network):
    n = _chain(make_network)
    n.add_bus("K", country="KR")
    with pytest.raises(ComponentError, match="not a bus"):
        jk.aggregate_buses(n, {"Z": "G"})
    with pytest.raises(ComponentError, match="differ in country"):
        jk.aggregate_buses(n, {"C": "G", "K": "G"})
    with pytest.raises(ComponentError, match="name of a bus left out"):
        jk.aggregate_buses(n, {"A": "C"})
