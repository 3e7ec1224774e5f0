"""PyPSA in and out: the same network solved by jkenergy and by PyPSA (linopy + HiGHS) gives
the same objective and dispatch; what one side cannot express is refused by name."""

import logging

import numpy as np
import pandas as pd
import pytest

import jkenergy as jk

pypsa = pytest.importorskip("pypsa")

SNAPSHOTS = pd.date_range("2030-01-01", periods=6, freq="h")
SOLAR = np.array([0.0, 0.3, 0.9, 1.0, 0.5, 0.0])


@pytest.fixture(autouse=True)
def _quiet_pypsa():
    for name in ("pypsa", "linopy"):
        logging.getLogger(name).setLevel(logging.WARNING)


def solve_pypsa(n) -> float:
    # the objective counts new capacity only, as jkenergy does (PyPSA subtracts the capital
    # cost of the existing p_nom of extendable components)
    status, condition = n.optimize(
        solver_name="highs", log_to_console=False, include_objective_constant=True
    )
    assert (status, condition) == ("ok", "optimal")
    return float(n.objective)


def dispatch_network() -> jk.Network:
    """No storage and distinct costs everywhere: the optimal dispatch is unique."""
    n = jk.Network(SNAPSHOTS, weights=2.0)
    n.add_bus("JP", country="JP")
    n.add_bus("KR", country="KR")
    n.add_load("JP_load", bus="JP", p=[60.0, 70.0, 90.0, 100.0, 80.0, 65.0])
    n.add_load("KR_load", bus="KR", p=[40.0, 45.0, 55.0, 60.0, 50.0, 42.0])
    n.add_generator("JP_solar", bus="JP", carrier="solar", p_nom_extendable=True,
                    capital_cost=30.0, p_max_pu=SOLAR, p_nom_max=80.0)  # fmt: skip
    n.add_generator("JP_coal", bus="JP", carrier="coal", p_nom=70.0, marginal_cost=30.0,
                    p_min_pu=0.2, co2_intensity=0.9)  # fmt: skip
    n.add_generator("JP_lng", bus="JP", carrier="lng", p_nom=100.0, co2_intensity=0.4,
                    marginal_cost=[80.0, 81.0, 82.0, 83.0, 84.0, 85.0])  # fmt: skip
    n.add_generator("KR_lng", bus="KR", carrier="lng", p_nom=100.0, marginal_cost=95.0,
                    co2_intensity=0.4)  # fmt: skip
    n.add_generator("KR_nuclear", bus="KR", carrier="nuclear", p_nom=30.0, marginal_cost=10.0)
    n.add_link("JP-KR", bus0="JP", bus1="KR", carrier="DC", p_nom=5.0, p_nom_extendable=True,
               p_nom_max=25.0, efficiency=0.95, capital_cost=40.0, marginal_cost=0.5)  # fmt: skip
    return n


def storage_network() -> jk.Network:
    """Adds a battery (StorageUnit), a hydrogen store (Store), electrolysis and a joint CO2
    cap that binds."""
    n = dispatch_network()
    n.add_bus("JP_H2", carrier="hydrogen", country="JP")
    n.add_load("JP_H2_load", bus="JP_H2", p=5.0)
    n.add_storage("JP_battery", bus="JP", carrier="battery", p_nom_extendable=True,
                  max_hours=4.0, capital_cost=20.0, efficiency_store=0.95,
                  efficiency_dispatch=0.95, standing_loss=0.01)  # fmt: skip
    n.add_storage("JP_H2_tank", bus="JP_H2", carrier="hydrogen_storage", p_nom=float("inf"),
                  e_nom_extendable=True, capital_cost_energy=2.0)  # fmt: skip
    n.add_link("JP_electrolysis", bus0="JP", bus1="JP_H2", carrier="electrolysis",
               p_nom_extendable=True, capital_cost=25.0, efficiency=0.7)  # fmt: skip
    n.add_link("KR-JP_tie", bus0="KR", bus1="JP", carrier="AC", p_nom=3.0, bidirectional=True)
    n.add_co2_limit("joint", countries=["JP", "KR"], limit=500.0)
    return n


def test_to_pypsa_solves_to_the_same_objective_and_dispatch():
    n = dispatch_network()
    ours = n.optimize(algorithm="simplex")
    theirs = jk.to_pypsa(n)
    assert solve_pypsa(theirs) == pytest.approx(ours.objective, rel=1e-7)
    ds = ours.dataset
    for g in n.generators.index:
        np.testing.assert_allclose(
            theirs.generators_t.p[g], ds["generator_p"].sel(generator=g), atol=1e-5
        )
    flow = ds["link_p0"].sel(link="JP-KR")
    np.testing.assert_allclose(theirs.links_t.p0["JP-KR"], flow, atol=1e-5)
    assert theirs.links.at["JP-KR", "p_nom_opt"] == pytest.approx(
        float(ds["link_p_nom_opt"].sel(link="JP-KR")), abs=1e-5
    )


def test_storage_store_and_co2_cap_solve_to_the_same_objective():
    n = storage_network()
    ours = n.optimize(algorithm="simplex")
    theirs = jk.to_pypsa(n)
    assert solve_pypsa(theirs) == pytest.approx(ours.objective, rel=1e-7)
    assert float(ours.dataset["co2_price"].sel(co2_limit="joint")) > 0  # the cap binds
    assert theirs.global_constraints.at["joint", "mu"] == pytest.approx(
        -float(ours.dataset["co2_price"].sel(co2_limit="joint")), rel=1e-6
    )


def test_round_trip_keeps_every_attribute():
    n = storage_network()
    back = jk.from_pypsa(jk.to_pypsa(n))
    for table in ("buses", "generators", "storage", "links"):
        pd.testing.assert_frame_equal(
            getattr(back, table).astype(object), getattr(n, table).astype(object),
            check_names=False, check_index_type=False,
        )  # fmt: skip
    for attr in ("p_max_pu", "p_min_pu", "marginal_cost"):
        pd.testing.assert_frame_equal(
            back.get_series("generator", attr), n.get_series("generator", attr)
        )
    pd.testing.assert_frame_equal(back.get_series("load", "p"), n.get_series("load", "p"))
    pd.testing.assert_series_equal(back.snapshot_weightings, n.snapshot_weightings)
    pd.testing.assert_series_equal(back.snapshot_durations, n.snapshot_durations)
    assert back.co2_limits.loc["joint", "limit"] == 500.0


def test_from_pypsa_solves_a_network_built_in_pypsa():
    p = pypsa.Network()
    p.set_snapshots(SNAPSHOTS)
    p.snapshot_weightings.loc[:, :] = 3.0
    p.add("Carrier", "gas", co2_emissions=0.2)  # tCO2 per MWh of gas; efficiency 0.5
    p.add("Bus", ["north", "south"], carrier="AC")
    p.buses["country"] = ["JP", "KR"]
    p.add("Load", "north_load", bus="north", p_set=[30.0, 35.0, 50.0, 55.0, 40.0, 32.0])
    p.add("Load", "south_load", bus="south", p_set=20.0)
    p.add("Generator", "north_wind", bus="north", carrier="wind", p_nom_extendable=True,
          capital_cost=50.0, p_max_pu=[0.2, 0.8, 0.6, 0.1, 0.9, 0.4])  # fmt: skip
    p.add("Generator", "south_gas", bus="south", carrier="gas", p_nom=200.0,
          marginal_cost=60.0, efficiency=0.5)  # fmt: skip
    p.add("StorageUnit", "north_battery", bus="north", p_nom=10.0, max_hours=2.0,
          efficiency_store=0.9, efficiency_dispatch=0.9, cyclic_state_of_charge=True)  # fmt: skip
    p.add("Link", "south-north", bus0="south", bus1="north", p_nom=40.0, efficiency=0.97)
    theirs = solve_pypsa(p)
    n = jk.from_pypsa(p)
    assert n.buses["carrier"].tolist() == ["electricity", "electricity"]
    assert n.generators.at["south_gas", "co2_intensity"] == pytest.approx(0.4)
    ours = n.optimize(algorithm="simplex")
    assert ours.objective == pytest.approx(theirs, rel=1e-7)
    # emissions: 0.2 tCO2/MWh of gas / 0.5 efficiency x gas output, weighted 3 h
    gas = float((ours.dataset["generator_p"].sel(generator="south_gas") * 3.0).sum())
    assert float(ours.dataset["generator_emissions"].sel(generator="south_gas")) == pytest.approx(
        0.4 * gas
    )
    wind = float(ours.dataset["generator_p_nom_opt"].sel(generator="north_wind"))
    assert wind == pytest.approx(float(p.generators.at["north_wind", "p_nom_opt"]), rel=1e-6)


def shifting_store_pypsa(weight: float, step: float):
    """Three hourly snapshots, load 0, 10, 5 MW; a cheap generator (10 USD/MWh, 50 MW)
    available in the first snapshot only, a peaker (100 USD/MWh) always, and a lossless
    cyclic Store (0.5 USD per MWh of capacity). Weightings: ``objective`` = ``generators``
    = ``weight``, ``stores`` = ``step``."""
    p = pypsa.Network()
    p.set_snapshots(SNAPSHOTS[:3])
    p.snapshot_weightings["objective"] = weight
    p.snapshot_weightings["generators"] = weight
    p.snapshot_weightings["stores"] = step
    p.add("Bus", "b", carrier="AC")
    p.add("Load", "d", bus="b", p_set=[0.0, 10.0, 5.0])
    p.add("Generator", "cheap", bus="b", carrier="solar", p_nom=50.0, marginal_cost=10.0,
          p_max_pu=[1.0, 0.0, 0.0])  # fmt: skip
    p.add("Generator", "peak", bus="b", carrier="oil", p_nom=50.0, marginal_cost=100.0)
    p.add("Store", "tank", bus="b", carrier="tank", e_nom_extendable=True, capital_cost=0.5,
          e_cyclic=True)  # fmt: skip
    return p


@pytest.mark.parametrize(("weight", "step", "hand"), [(2.0, 2.0, 315.0), (2.0, 1.0, 307.5)])
def test_store_steps_by_the_stores_weighting_costs_by_the_objective(weight, step, hand):
    """Hand solution. A MWh through the store costs 10 (cheap) + 0.5 (capacity) < 100
    (peak), so the store serves all the load of snapshots 1 and 2. It empties by
    ``step`` x 10 + ``step`` x 5 = 15 ``step`` MWh, so e_nom = 15 ``step`` MWh, filled in
    snapshot 0 by the cheap generator at 15 MW (15 ``step`` MWh over a ``step``-hour time
    step). The cheap energy is paid at ``weight``: objective = 10 x 15 x ``weight`` +
    0.5 x 15 ``step`` = 300 + 7.5 ``step``:

    - weightings all 2 h on hourly snapshots: 300 + 15 = 315. jkenergy's default duration
      rule would step storage by min(2, 1) = 1 h (307.5); from_pypsa must carry the stores
      weighting as the durations (the bug behind 33,095 vs 34,466 above);
    - ``stores`` 1 h, ``objective`` = ``generators`` 2 h (a sample standing for twice its
      hours): 300 + 7.5 = 307.5, the same as a jkenergy network with weights 2 and the
      default durations, which to_pypsa must write as ``stores`` = 1 (not 2).
    """
    p = shifting_store_pypsa(weight, step)
    assert solve_pypsa(p) == pytest.approx(hand, rel=1e-9)
    assert float(p.stores.at["tank", "e_nom_opt"]) == pytest.approx(15.0 * step, rel=1e-9)
    n = jk.from_pypsa(p)
    assert n.snapshot_durations.tolist() == [step] * 3
    ours = n.optimize(algorithm="simplex")
    assert ours.objective == pytest.approx(hand, rel=1e-9)
    e_nom = float(ours.dataset["storage_e_nom_opt"].sel(storage="tank"))
    assert e_nom == pytest.approx(15.0 * step, rel=1e-9)
    # and back: the same optimum in PyPSA from jkenergy's network, and from one built in
    # jkenergy whose durations follow the default rule (min(2 h, 1 h) = 1 h when step is 1)
    assert solve_pypsa(jk.to_pypsa(n)) == pytest.approx(hand, rel=1e-9)
    if step == 1.0:
        n.snapshot_durations = None  # the default rule: min(2 h, 1 h to the next) = 1 h
        assert n.snapshot_durations.tolist() == [1.0] * 3
        assert n.optimize(algorithm="simplex").objective == pytest.approx(hand, rel=1e-9)
        back = jk.to_pypsa(n)
        assert back.snapshot_weightings["stores"].tolist() == [1.0] * 3
        assert back.snapshot_weightings["objective"].tolist() == [weight] * 3
        assert solve_pypsa(back) == pytest.approx(hand, rel=1e-9)


def test_generators_weighting_apart_from_objective_is_refused():
    p = shifting_store_pypsa(2.0, 2.0)
    p.snapshot_weightings["generators"] = 1.0
    with pytest.raises(jk.ComponentError, match=r"snapshot_weightings: generators differs"):
        jk.from_pypsa(p)


def test_what_jkenergy_lacks_is_refused_by_name():
    def base():
        p = pypsa.Network()
        p.set_snapshots(SNAPSHOTS[:2])
        p.add("Bus", ["a", "b"])
        return p

    p = base()
    p.add("Line", "a-b", bus0="a", bus1="b", x=0.1, s_nom=10.0)
    with pytest.raises(jk.ComponentError, match=r"Line 'a-b'.*no lines"):
        jk.from_pypsa(p)
    p = base()
    p.add("Generator", "g", bus="a", p_nom=10.0, committable=True)
    with pytest.raises(jk.ComponentError, match=r"Generator 'g': committable=True"):
        jk.from_pypsa(p)
    p = base()
    p.add("Generator", "g", bus="a", p_nom=10.0, ramp_limit_up=0.5)
    with pytest.raises(jk.ComponentError, match=r"Generator 'g': ramp_limit_up"):
        jk.from_pypsa(p)
    p = base()
    p.add("Link", "l", bus0="a", bus1="b", p_nom=10.0, efficiency=0.9, p_min_pu=-1.0)
    with pytest.raises(jk.ComponentError, match=r"Link 'l': p_min_pu=-1 with efficiency"):
        jk.from_pypsa(p)
    p = base()
    p.add("Generator", "g", bus="a", p_nom=10.0, p_nom_extendable=True)
    with pytest.raises(jk.ComponentError, match=r"Generator 'g': extendable with p_nom_min"):
        jk.from_pypsa(p)


def test_what_pypsa_lacks_is_refused_by_name():
    n = dispatch_network()
    n.set_carbon_price("KR", 10.0)
    with pytest.raises(jk.ComponentError, match=r"carbon_price 'KR'"):
        jk.to_pypsa(n)
    n = dispatch_network()
    n.add_link("KR-JP", bus0="KR", bus1="JP", p_nom=5.0, efficiency=0.9, bidirectional=True)
    with pytest.raises(jk.ComponentError, match=r"link 'KR-JP': bidirectional"):
        jk.to_pypsa(n)
    n = dispatch_network()
    n.add_co2_limit("jp", countries="JP", limit=10.0)
    with pytest.raises(jk.ComponentError, match=r"co2_limit 'jp': countries"):
        jk.to_pypsa(n)
    n = jk.Network(SNAPSHOTS)
    n.add_bus("JP", voll=1e4)
    with pytest.raises(jk.ComponentError, match=r"bus 'JP': voll"):
        jk.to_pypsa(n)
