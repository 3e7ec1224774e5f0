"""Result dataset layout (names, dims, units, coordinates), NetCDF round trip, objective
decomposition, solver options, statuses and errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import jkenergy as jk
from jkenergy.errors import (
    InfeasibleError,
    JkEnergyError,
    SolverError,
    UnboundedError,
)

REL = 1e-6

EXPECTED = {
    # name: (dims, units) -- units None: dimensionless, only the attr's presence is checked
    "generator_p": (("generator", "snapshot"), "MW"),
    "generator_p_nom_opt": (("generator",), "MW"),
    "generator_p_max_pu": (("generator", "snapshot"), None),
    "generator_emissions": (("generator",), "tCO2"),
    "generator_capital_cost": (("generator",), "USD"),
    "generator_operating_cost": (("generator",), "USD"),
    "generator_carbon_cost": (("generator",), "USD"),
    "storage_p_store": (("storage", "snapshot"), "MW"),
    "storage_p_dispatch": (("storage", "snapshot"), "MW"),
    "storage_e": (("storage", "snapshot"), "MWh"),
    "storage_p_nom_opt": (("storage",), "MW"),
    "storage_e_nom_opt": (("storage",), "MWh"),
    "storage_capital_cost": (("storage",), "USD"),
    "storage_operating_cost": (("storage",), "USD"),
    "link_p0": (("link", "snapshot"), "MW"),
    "link_p1": (("link", "snapshot"), "MW"),
    "link_p_nom_opt": (("link",), "MW"),
    "link_capital_cost": (("link",), "USD"),
    "link_operating_cost": (("link",), "USD"),
    "load_p": (("load", "snapshot"), "MW"),
    "bus_price": (("bus", "snapshot"), "USD/MWh"),
    "unserved_energy": (("bus", "snapshot"), "MW"),
    "bus_unserved_cost": (("bus",), "USD"),
    "co2_price": (("co2_limit",), "USD/tCO2"),
    "co2_limit_emissions": (("co2_limit",), "tCO2"),
    "renewable_share_price": (("renewable_share",), "USD/MWh"),
    "snapshot_weight": (("snapshot",), "h"),
}

COORDS = {
    # coordinate: (dim, {component: expected value})
    "generator_bus": ("generator", {"JP_solar": "JP_el", "KR_coal": "KR_el"}),
    "generator_carrier": ("generator", {"JP_solar": "solar", "KR_gas": "gas"}),
    "generator_country": ("generator", {"JP_gas": "JP", "KR_coal": "KR"}),
    "storage_bus": ("storage", {"JP_battery": "JP_el", "JP_h2_tank": "JP_h2"}),
    "link_bus0": ("link", {"KR_JP": "KR_el", "electrolyser": "JP_el"}),
    "link_bus1": ("link", {"KR_JP": "JP_el", "electrolyser": "JP_h2"}),
    "link_carrier": ("link", {"KR_JP": "DC", "electrolyser": "electrolysis"}),
    "bus_carrier": ("bus", {"JP_el": "electricity", "JP_h2": "hydrogen"}),
    "bus_country": ("bus", {"KR_el": "KR", "JP_island": "JP"}),
    "load_bus": ("load", {"JP_load": "JP_el", "JP_h2_load": "JP_h2"}),
}


def _mixed(make_network, series):
    """Every component and policy at once; 3 snapshots with weights [1, 2, 1]."""
    n = make_network(3, weights=[1.0, 2.0, 1.0])
    n.add_bus("JP_el", country="JP")
    n.add_bus("KR_el", country="KR")
    n.add_bus("JP_h2", carrier="hydrogen", country="JP")
    n.add_bus("JP_island", country="JP", voll=300.0)  # no supply: 10 MW always unserved
    n.add_load("JP_load", "JP_el", p=series([100.0, 150.0, 120.0]))
    n.add_load("KR_load", "KR_el", p=80.0)
    n.add_load("JP_h2_load", "JP_h2", p=10.0)
    n.add_load("island_load", "JP_island", p=10.0)
    n.add_generator(
        "JP_solar",
        "JP_el",
        carrier="solar",
        p_nom=50.0,
        p_nom_extendable=True,
        capital_cost=20.0,
        p_max_pu=series([0.0, 0.8, 0.5]),
    )
    n.add_generator(
        "JP_gas", "JP_el", carrier="gas", p_nom=100.0, marginal_cost=60.0, co2_intensity=0.4
    )
    n.add_generator(
        "KR_coal", "KR_el", carrier="coal", p_nom=150.0, marginal_cost=25.0, co2_intensity=1.0
    )
    n.add_generator(
        "KR_gas",
        "KR_el",
        carrier="gas",
        p_nom=50.0,
        p_nom_extendable=True,
        capital_cost=5.0,
        marginal_cost=70.0,
        co2_intensity=0.4,
    )
    n.add_storage(
        "JP_battery",
        "JP_el",
        p_nom=20.0,
        max_hours=2.0,
        efficiency_store=0.9,
        efficiency_dispatch=0.9,
        marginal_cost=0.5,
    )
    n.add_storage("JP_h2_tank", "JP_h2", carrier="hydrogen", p_nom=50.0, e_nom=100.0)
    n.add_link(
        "KR_JP",
        "KR_el",
        "JP_el",
        carrier="DC",
        p_nom=40.0,
        p_nom_extendable=True,
        capital_cost=3.0,
        efficiency=0.97,
        bidirectional=True,
        marginal_cost=0.1,
    )
    n.add_link(
        "electrolyser", "JP_el", "JP_h2", carrier="electrolysis", p_nom=30.0, efficiency=0.62
    )
    n.set_carbon_price("KR", 10.0)
    n.add_co2_limit("JP_cap", countries=["JP"], limit=1000.0)
    n.add_renewable_share("JP_res", country="JP", share=0.1)
    return n


@pytest.fixture
def mixed_result(make_network, series, solve):
    return solve(_mixed(make_network, series))


def _minimal(make_network):
    n = make_network(2)
    n.add_bus("b", country="JP")
    n.add_load("l", "b", p=10.0)
    n.add_generator("g", "b", carrier="gas", p_nom=20.0, marginal_cost=3.0)
    return n


# ---------------------------------------------------------------------------- layout


def test_result_status(mixed_result):
    r = mixed_result
    assert r.is_optimal is True
    assert r.status == "ok"
    assert r.termination_condition == "optimal"
    assert isinstance(r.objective, float)
    assert math.isfinite(r.objective)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_dataset_variable_dims_units(mixed_result, name):
    ds = mixed_result.dataset
    assert isinstance(ds, xr.Dataset)
    assert name in ds.data_vars, f"missing {name}"
    dims, units = EXPECTED[name]
    assert ds[name].dims == dims
    assert "units" in ds[name].attrs
    if units is not None:
        assert ds[name].attrs["units"] == units


def test_dataset_component_labels(mixed_result):
    ds = mixed_result.dataset
    assert set(ds["generator"].values) == {"JP_solar", "JP_gas", "KR_coal", "KR_gas"}
    assert set(ds["storage"].values) == {"JP_battery", "JP_h2_tank"}
    assert set(ds["link"].values) == {"KR_JP", "electrolyser"}
    assert set(ds["bus"].values) == {"JP_el", "KR_el", "JP_h2", "JP_island"}
    assert set(ds["load"].values) == {"JP_load", "KR_load", "JP_h2_load", "island_load"}
    assert list(ds["co2_limit"].values) == ["JP_cap"]
    assert list(ds["renewable_share"].values) == ["JP_res"]
    snapshots = pd.date_range("2030-01-01", periods=3, freq="h")
    assert pd.DatetimeIndex(ds["snapshot"].values).equals(snapshots)
    np.testing.assert_allclose(ds["snapshot_weight"].values, [1.0, 2.0, 1.0])


@pytest.mark.parametrize("coord", sorted(COORDS))
def test_component_metadata_coordinates(mixed_result, coord):
    ds = mixed_result.dataset
    dim, values = COORDS[coord]
    assert coord in ds.coords, f"missing coordinate {coord}"
    assert ds.coords[coord].dims == (dim,)
    for component, expected in values.items():
        assert ds.coords[coord].sel({dim: component}).item() == expected


def test_input_echo(mixed_result):
    """load_p and generator_p_max_pu repeat the inputs."""
    ds = mixed_result.dataset
    np.testing.assert_allclose(ds["load_p"].sel(load="JP_load").values, [100, 150, 120])
    np.testing.assert_allclose(ds["load_p"].sel(load="KR_load").values, [80, 80, 80])
    np.testing.assert_allclose(
        ds["generator_p_max_pu"].sel(generator="JP_solar").values, [0.0, 0.8, 0.5]
    )
    np.testing.assert_allclose(ds["generator_p_max_pu"].sel(generator="JP_gas").values, 1.0)


def test_dataset_attrs(mixed_result):
    r = mixed_result
    attrs = r.dataset.attrs
    assert attrs["objective"] == pytest.approx(r.objective, rel=1e-12)
    assert attrs["status"] == "ok"
    assert attrs["termination_condition"] == "optimal"


def test_stats(mixed_result):
    stats = mixed_result.stats
    for key in ("build_s", "handover_s", "solve_s", "extraction_s"):
        assert stats[key] >= 0.0
    assert stats["rows"] > 0
    assert stats["columns"] > 0


def test_island_unserved_energy(mixed_result):
    """The supply-less island bus sheds its whole 10 MW load at price voll = 300.
    Unserved cost = 300 * 10 * (1 + 2 + 1) = 12000."""
    ds = mixed_result.dataset
    np.testing.assert_allclose(ds["unserved_energy"].sel(bus="JP_island").values, 10.0)
    np.testing.assert_allclose(ds["bus_price"].sel(bus="JP_island").values, 300.0, rtol=REL)
    assert float(ds["bus_unserved_cost"].sel(bus="JP_island")) == pytest.approx(12000.0)


def test_objective_decomposition(mixed_result):
    """objective = sum of every *_capital_cost, *_operating_cost, *_carbon_cost and
    bus_unserved_cost in the dataset."""
    ds = mixed_result.dataset
    parts = [
        name
        for name in ds.data_vars
        if name.endswith(("_capital_cost", "_fixed_cost", "_operating_cost", "_carbon_cost"))
        or name == "bus_unserved_cost"
    ]
    for name in (
        "generator_capital_cost",
        "generator_operating_cost",
        "generator_carbon_cost",
        "storage_capital_cost",
        "storage_operating_cost",
        "link_capital_cost",
        "link_operating_cost",
        "bus_unserved_cost",
    ):
        assert name in parts
    total = sum(float(ds[name].sum()) for name in parts)
    assert total == pytest.approx(mixed_result.objective, rel=REL)
    # the carbon cost is the KR carbon price times the KR emissions
    kr = ["KR_coal", "KR_gas"]
    assert float(ds["generator_carbon_cost"].sel(generator=kr).sum()) == pytest.approx(
        10.0 * float(ds["generator_emissions"].sel(generator=kr).sum()), rel=REL
    )
    assert float(ds["generator_carbon_cost"].sel(generator=["JP_gas"]).sum()) == pytest.approx(
        0.0, abs=1e-6
    )


def test_objective_decomposition_hand_example(make_network, series, solve):
    """Hand example: extendable gas (capex 7/MW, mc 10, 0.5 t/MWh, carbon price 4), voll 100,
    existing 5 MW coal (mc 2, 1 t/MWh); load [10, 30], weights [1, 2].
    Gas: serves above coal's 5 MW: 5 and 25 MW; build 25 MW? Per MW of gas for the top 20 MW
    layer (only h1, 2 h): 7 + 2*(10 + 2) = 31 < 2*100 = 200 unserved -> build.
    gas_p_nom = 25; capex 175; gas op = 10*(5*1 + 25*2) = 550; gas carbon = 4*0.5*55 = 110;
    coal op = 2*5*3 = 30; coal carbon = 4*1*15 = 60. Objective = 175+550+110+30+60 = 925.
    (Coal effective 2 + 4 = 6 < gas 12, so coal always runs at 5 MW.)
    """
    n = make_network(2, weights=[1.0, 2.0])
    n.add_bus("b", country="KR", voll=100.0)
    n.add_load("l", "b", p=series([10.0, 30.0]))
    n.add_generator("coal", "b", carrier="coal", p_nom=5.0, marginal_cost=2.0, co2_intensity=1.0)
    n.add_generator(
        "gas",
        "b",
        carrier="gas",
        p_nom_extendable=True,
        capital_cost=7.0,
        marginal_cost=10.0,
        co2_intensity=0.5,
    )
    n.set_carbon_price("KR", 4.0)
    r = solve(n)
    ds = r.dataset
    assert float(ds["generator_p_nom_opt"].sel(generator="gas")) == pytest.approx(25.0)
    assert float(ds["generator_capital_cost"].sel(generator="gas")) == pytest.approx(175.0)
    assert float(ds["generator_operating_cost"].sel(generator="gas")) == pytest.approx(550.0)
    assert float(ds["generator_carbon_cost"].sel(generator="gas")) == pytest.approx(110.0)
    assert float(ds["generator_operating_cost"].sel(generator="coal")) == pytest.approx(30.0)
    assert float(ds["generator_carbon_cost"].sel(generator="coal")) == pytest.approx(60.0)
    assert float(ds["bus_unserved_cost"].sum()) == pytest.approx(0.0, abs=1e-6)
    assert r.objective == pytest.approx(925.0, rel=REL)


# ---------------------------------------------------------------------- NetCDF round trip


def _round_trip(result, path):
    result.to_netcdf(path)
    back = jk.open_results(path)
    xr.testing.assert_identical(back.dataset, result.dataset)
    assert back.objective == result.objective
    assert back.status == result.status
    assert back.termination_condition == result.termination_condition
    assert back.is_optimal == result.is_optimal
    return back


def test_netcdf_round_trip(mixed_result, tmp_path):
    _round_trip(mixed_result, tmp_path / "r.nc")


def test_netcdf_round_trip_minimal(make_network, solve, tmp_path):
    """No storage, links or policies: empty component dims must survive the round trip."""
    result = solve(_minimal(make_network))
    assert result.objective == pytest.approx(2 * 10 * 3.0, rel=REL)
    _round_trip(result, tmp_path / "minimal.nc")


def test_open_results_accepts_str_path(mixed_result, tmp_path):
    path = tmp_path / "s.nc"
    mixed_result.to_netcdf(str(path))
    assert jk.open_results(str(path)).objective == mixed_result.objective


# ----------------------------------------------------------------------------- algorithms

LDC = [180.0, 150.0, 150.0, 150.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0]


def _screening(make_network, series):
    """Screening-curve model (see test_core_dispatch): objective 22200 USD by hand."""
    n = make_network(len(LDC))
    n.add_bus("b", country="KR")
    n.add_load("l", "b", p=series(LDC))
    n.add_generator(
        "base", "b", carrier="nuclear", p_nom_extendable=True, capital_cost=60.0, marginal_cost=10.0
    )
    n.add_generator(
        "peak", "b", carrier="gas", p_nom_extendable=True, capital_cost=10.0, marginal_cost=30.0
    )
    return n


@pytest.mark.parametrize(
    ("algorithm", "rel"),
    [
        ("simplex", 1e-6),
        ("ipm", 1e-6),
        ("ipm-nocrossover", 1e-5),
        ("hipo", 1e-6),
        ("hipo-nocrossover", 1e-5),
        ("pdlp", 1e-4),
    ],
)
def test_algorithms_agree(make_network, series, algorithm, rel):
    r = _screening(make_network, series).optimize(algorithm=algorithm)
    assert r.is_optimal
    assert r.objective == pytest.approx(22200.0, rel=rel)
    assert float(r.dataset["generator_p_nom_opt"].sel(generator="base")) == pytest.approx(
        150.0, rel=max(rel, 1e-3) if algorithm == "pdlp" else rel
    )


def test_default_algorithm_and_threads(make_network, series):
    r = _screening(make_network, series).optimize(threads=1)
    assert r.is_optimal
    assert r.objective == pytest.approx(22200.0, rel=REL)


def test_unknown_algorithm(make_network):
    with pytest.raises(JkEnergyError, match="magic"):
        _minimal(make_network).optimize(algorithm="magic")


# ------------------------------------------------------------------- solver status / errors


def test_iteration_limit_returns_non_optimal_result(make_network, series):
    """simplex_iteration_limit=0 with presolve off cannot reach the optimum: a result comes back
    marked not optimal instead of an exception."""
    n = _mixed(make_network, series)
    r = n.optimize(algorithm="simplex", presolve="off", simplex_iteration_limit=0)
    assert r.is_optimal is False
    assert r.termination_condition != "optimal"
    assert r.status == "warning"


def test_time_limit_returns_non_optimal_result(make_network, series):
    n = _mixed(make_network, series)
    r = n.optimize(algorithm="simplex", time_limit=1e-9, presolve="off")
    assert r.is_optimal is False
    assert r.termination_condition == "time_limit"
    assert r.status == "warning"


def test_unknown_highs_option(make_network):
    with pytest.raises(SolverError, match="not_a_highs_option"):
        _minimal(make_network).optimize(not_a_highs_option=1)


def test_highs_option_passed_through(make_network):
    """A valid HiGHS option is accepted and the model still solves."""
    r = _minimal(make_network).optimize(algorithm="simplex", presolve="off")
    assert r.is_optimal
    assert r.objective == pytest.approx(60.0, rel=REL)


def test_infeasible_names_bus_and_snapshot(make_network, series):
    """Load [50, 100] on a bus with 80 MW and no voll: short by 20 MW in 01:00 only."""
    n = make_network(2)
    n.add_bus("JP_el", country="JP")
    n.add_load("JP_load", "JP_el", p=series([50.0, 100.0]))
    n.add_generator("JP_gas", "JP_el", carrier="gas", p_nom=80.0, marginal_cost=10.0)
    with pytest.raises(InfeasibleError) as info:
        n.optimize(algorithm="simplex")
    err = info.value
    assert isinstance(err, SolverError)
    assert isinstance(err, RuntimeError)
    message = str(err)
    assert "JP_el" in message
    assert "2030-01-01 01:00" in message
    assert "2030-01-01 00:00" not in message  # hour 0 is not short (50 <= 80)


def test_unbounded_storage_sink(make_network):
    """A generator paid to produce (mc -10, extendable, no capex, p_nom_max inf) and a free,
    extendable, non-cyclic store that never has to give energy back: produce X, store X,
    objective -10 X -> -inf. Genuinely unbounded."""
    n = make_network(2)
    n.add_bus("b", country="JP")
    n.add_load("l", "b", p=1.0)
    n.add_generator("subsidised", "b", carrier="onwind", p_nom_extendable=True, marginal_cost=-10.0)
    n.add_storage("sink", "b", p_nom_extendable=True, e_nom_extendable=True, cyclic=False)
    with pytest.raises(UnboundedError) as info:
        n.optimize(algorithm="simplex")
    assert isinstance(info.value, SolverError)


def test_unbounded_lossy_link_loop(make_network):
    """Two free extendable lossy one-way links A->B->A burn energy: with A's generator paid
    to produce (mc -10), g = 0.75 f grows without bound."""
    n = make_network(1)
    n.add_bus("A", country="JP")
    n.add_bus("B", country="JP")
    n.add_generator("subsidised", "A", carrier="onwind", p_nom_extendable=True, marginal_cost=-10.0)
    n.add_link("AB", "A", "B", p_nom_extendable=True, efficiency=0.5)
    n.add_link("BA", "B", "A", p_nom_extendable=True, efficiency=0.5)
    with pytest.raises(UnboundedError):
        n.optimize()
