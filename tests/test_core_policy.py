"""Policy constraints: CO2 caps (single, joint, separate), carbon prices, renewable share.
Expected values are hand calculations.

Fleet used throughout, per country: coal 150 MW @ 20 USD/MWh, 1.0 tCO2/MWh;
gas 150 MW @ 50 (JP) or 80 (KR) USD/MWh, 0.4 tCO2/MWh; load 100 MW.
Fuel-switch price = (mc_gas - mc_coal) / (ci_coal - ci_gas):
JP (50 - 20)/0.6 = 50 USD/t, KR (80 - 20)/0.6 = 100 USD/t.
"""

from __future__ import annotations

import numpy as np
import pytest

from jkenergy.errors import InfeasibleError

REL = 1e-6
ABS = 1e-6

GAS_MC = {"JP": 50.0, "KR": 80.0}


def _v(ds, var, **sel):
    return np.asarray(ds[var].sel(**sel).values, dtype=float)


def _p(ds, gen):
    return float(ds["generator_p"].sel(generator=gen).sum())


def _fleet(n, country):
    n.add_bus(f"{country}_el", country=country)
    n.add_load(f"{country}_load", f"{country}_el", p=100.0)
    n.add_generator(
        f"{country}_coal",
        f"{country}_el",
        carrier="coal",
        p_nom=150.0,
        marginal_cost=20.0,
        co2_intensity=1.0,
    )
    n.add_generator(
        f"{country}_gas",
        f"{country}_el",
        carrier="gas",
        p_nom=150.0,
        marginal_cost=GAS_MC[country],
        co2_intensity=0.4,
    )


# ------------------------------------------------------------------------------ CO2 caps


def test_binding_co2_cap_price_is_switch_cost(make_network, solve):
    """JP alone, cap 70 t: coal c + gas g = 100, c + 0.4 g <= 70 -> 0.6 c = 30 -> c = g = 50.
    co2_price = (50 - 20)/(1.0 - 0.4) = 50 USD/t. Both units interior, so the bus price is
    20 + 50*1.0 = 50 + 50*0.4 = 70. Objective = 50*20 + 50*50 = 3500.
    Emissions: coal 50 t, gas 20 t, total 70 t.
    """
    n = make_network(1)
    _fleet(n, "JP")
    n.add_co2_limit("cap", countries=["JP"], limit=70.0)
    r = solve(n)
    ds = r.dataset
    assert _p(ds, "JP_coal") == pytest.approx(50.0, rel=REL)
    assert _p(ds, "JP_gas") == pytest.approx(50.0, rel=REL)
    assert float(ds["co2_price"].sel(co2_limit="cap")) == pytest.approx(50.0, rel=REL)
    assert float(ds["co2_limit_emissions"].sel(co2_limit="cap")) == pytest.approx(70.0, rel=REL)
    assert float(ds["generator_emissions"].sel(generator="JP_coal")) == pytest.approx(50.0)
    assert float(ds["generator_emissions"].sel(generator="JP_gas")) == pytest.approx(20.0)
    assert float(ds["bus_price"].sel(bus="JP_el")[0]) == pytest.approx(70.0, rel=REL)
    assert r.objective == pytest.approx(3500.0, rel=REL)


def test_slack_co2_cap_has_zero_price(make_network, solve):
    """Cap 200 t > 100 t uncapped emissions: coal 100, co2_price 0, price 20, objective 2000."""
    n = make_network(1)
    _fleet(n, "JP")
    n.add_co2_limit("cap", countries=["JP"], limit=200.0)
    r = solve(n)
    ds = r.dataset
    assert _p(ds, "JP_coal") == pytest.approx(100.0, rel=REL)
    assert float(ds["co2_price"].sel(co2_limit="cap")) == pytest.approx(0.0, abs=ABS)
    assert float(ds["co2_limit_emissions"].sel(co2_limit="cap")) == pytest.approx(100.0)
    assert float(ds["bus_price"].sel(bus="JP_el")[0]) == pytest.approx(20.0, rel=REL)
    assert r.objective == pytest.approx(2000.0, rel=REL)


def test_co2_cap_counts_weighted_emissions(make_network, solve):
    """One snapshot of weight 2 h, cap 140 t = 2 h * 70 t/h: same split as the 70 t case,
    same per-tonne price 50 and per-MWh bus price 70; objective doubles to 7000."""
    n = make_network(1, weights=2.0)
    _fleet(n, "JP")
    n.add_co2_limit("cap", countries=["JP"], limit=140.0)
    r = solve(n)
    ds = r.dataset
    assert _p(ds, "JP_coal") == pytest.approx(50.0, rel=REL)
    assert float(ds["co2_price"].sel(co2_limit="cap")) == pytest.approx(50.0, rel=REL)
    assert float(ds["co2_limit_emissions"].sel(co2_limit="cap")) == pytest.approx(140.0)
    assert float(ds["bus_price"].sel(bus="JP_el")[0]) == pytest.approx(70.0, rel=REL)
    assert r.objective == pytest.approx(7000.0, rel=REL)


def test_separate_caps_give_two_prices(make_network, solve):
    """Caps of 75 t each. JP: 0.6 c = 75 - 40 -> c = 58.33, g = 41.67, price 50 USD/t.
    KR: same split, price 100 USD/t. Bus prices: JP 20 + 50 = 70; KR 20 + 100 = 120.
    Cost: JP 58.33*20 + 41.67*50 = 3250; KR 58.33*20 + 41.67*80 = 4500; total 7750.
    """
    n = make_network(1)
    _fleet(n, "JP")
    _fleet(n, "KR")
    n.add_co2_limit("cap_JP", countries=["JP"], limit=75.0)
    n.add_co2_limit("cap_KR", countries=["KR"], limit=75.0)
    r = solve(n)
    ds = r.dataset
    coal = 35.0 / 0.6
    for country in ("JP", "KR"):
        assert _p(ds, f"{country}_coal") == pytest.approx(coal, rel=REL)
        assert _p(ds, f"{country}_gas") == pytest.approx(100.0 - coal, rel=REL)
    assert float(ds["co2_price"].sel(co2_limit="cap_JP")) == pytest.approx(50.0, rel=REL)
    assert float(ds["co2_price"].sel(co2_limit="cap_KR")) == pytest.approx(100.0, rel=REL)
    assert float(ds["bus_price"].sel(bus="JP_el")[0]) == pytest.approx(70.0, rel=REL)
    assert float(ds["bus_price"].sel(bus="KR_el")[0]) == pytest.approx(120.0, rel=REL)
    assert r.objective == pytest.approx(7750.0, rel=REL)


def test_joint_cap_lets_cheaper_abatement_country_abate_more(make_network, solve):
    """Joint cap 150 t (= 75 + 75). Uncapped 200 t, so 50 t must go; JP abates at 50 USD/t
    (up to 60 t), KR at 100 USD/t -> JP abates all 50 t:
      JP: 0.6 c = 50 - 40 -> c = 16.67, g = 83.33, emits 50 t;  KR: coal 100, emits 100 t.
    One co2_price = 50 for both; bus prices JP 70, KR 20 + 50 = 70.
    Cost = 16.67*20 + 83.33*50 + 100*20 = 333.33 + 4166.67 + 2000 = 6500 <= 7750 separate.
    """
    n = make_network(1)
    _fleet(n, "JP")
    _fleet(n, "KR")
    n.add_co2_limit("joint", countries=["JP", "KR"], limit=150.0)
    r = solve(n)
    ds = r.dataset
    assert _p(ds, "JP_coal") == pytest.approx(10.0 / 0.6, rel=REL)
    assert _p(ds, "JP_gas") == pytest.approx(100.0 - 10.0 / 0.6, rel=REL)
    assert _p(ds, "KR_coal") == pytest.approx(100.0, rel=REL)
    assert _p(ds, "KR_gas") == pytest.approx(0.0, abs=ABS)
    assert list(ds["co2_price"].coords["co2_limit"].values) == ["joint"]
    assert float(ds["co2_price"].sel(co2_limit="joint")) == pytest.approx(50.0, rel=REL)
    assert float(ds["co2_limit_emissions"].sel(co2_limit="joint")) == pytest.approx(150.0)
    assert float(ds["bus_price"].sel(bus="KR_el")[0]) == pytest.approx(70.0, rel=REL)
    assert r.objective == pytest.approx(6500.0, rel=REL)
    assert r.objective <= 7750.0


# ---------------------------------------------------------------------------- carbon price


@pytest.mark.parametrize(
    ("price", "coal", "gas", "bus_price", "carbon_cost", "operating_cost", "objective"),
    [
        # 60 > 50 switch price: coal 20 + 60 = 80 > gas 50 + 24 = 74 -> gas runs.
        # carbon cost = 60 * 0.4 * 100 = 2400; operating 50*100 = 5000; objective 7400.
        (60.0, 0.0, 100.0, 74.0, 2400.0, 5000.0, 7400.0),
        # 40 < 50: coal 20 + 40 = 60 < gas 50 + 16 = 66 -> coal runs.
        # carbon cost = 40 * 1.0 * 100 = 4000; operating 2000; objective 6000.
        (40.0, 100.0, 0.0, 60.0, 4000.0, 2000.0, 6000.0),
    ],
)
def test_carbon_price_shifts_merit_order(
    make_network, solve, price, coal, gas, bus_price, carbon_cost, operating_cost, objective
):
    n = make_network(1)
    _fleet(n, "JP")
    n.set_carbon_price("JP", price)
    r = solve(n)
    ds = r.dataset
    assert _p(ds, "JP_coal") == pytest.approx(coal, abs=ABS)
    assert _p(ds, "JP_gas") == pytest.approx(gas, abs=ABS)
    emissions = coal * 1.0 + gas * 0.4
    assert float(ds["generator_emissions"].sum()) == pytest.approx(emissions, rel=REL)
    assert float(ds["generator_carbon_cost"].sum()) == pytest.approx(carbon_cost, rel=REL)
    assert float(ds["generator_operating_cost"].sum()) == pytest.approx(operating_cost, rel=REL)
    assert float(ds["bus_price"].sel(bus="JP_el")[0]) == pytest.approx(bus_price, rel=REL)
    assert r.objective == pytest.approx(objective, rel=REL)


def test_carbon_price_applies_only_to_its_country(make_network, solve):
    """Carbon price 120 USD/t in KR (> 100 switch): KR runs gas (80 + 48 = 128 < 140),
    JP is untouched (coal, no carbon cost).
    Objective = JP 100*20 + KR (100*80 + 120*0.4*100) = 2000 + 8000 + 4800 = 14800.
    """
    n = make_network(1)
    _fleet(n, "JP")
    _fleet(n, "KR")
    n.set_carbon_price("KR", 120.0)
    r = solve(n)
    ds = r.dataset
    assert _p(ds, "JP_coal") == pytest.approx(100.0, rel=REL)
    assert _p(ds, "KR_gas") == pytest.approx(100.0, rel=REL)
    cc = ds["generator_carbon_cost"]
    assert float(cc.sel(generator="JP_coal")) == pytest.approx(0.0, abs=ABS)
    assert float(cc.sel(generator="KR_gas")) == pytest.approx(4800.0, rel=REL)
    assert float(ds["bus_price"].sel(bus="JP_el")[0]) == pytest.approx(20.0, rel=REL)
    assert float(ds["bus_price"].sel(bus="KR_el")[0]) == pytest.approx(128.0, rel=REL)
    assert r.objective == pytest.approx(14800.0, rel=REL)


# ------------------------------------------------------------------------ renewable share


def _renewables(make_network, series, weights=1.0, solar_carrier="solar", **net_kwargs):
    """JP, 2 hours, load 100. Solar 100 MW, p_max_pu [0.8, 0.2], mc 30 (dearer than gas);
    gas 200 MW, mc [20, 25], no emissions. Extra cost of a solar MWh: h0 10, h1 5."""
    n = make_network(2, weights=weights, **net_kwargs)
    n.add_bus("JP_el", country="JP")
    n.add_load("JP_load", "JP_el", p=100.0)
    n.add_generator(
        "JP_solar",
        "JP_el",
        carrier=solar_carrier,
        p_nom=100.0,
        p_max_pu=series([0.8, 0.2]),
        marginal_cost=30.0,
    )
    n.add_generator(
        "JP_gas", "JP_el", carrier="gas", p_nom=200.0, marginal_cost=series([20.0, 25.0])
    )
    return n


def test_renewable_share_binding(make_network, series, solve):
    """share 0.4 -> solar >= 0.4 * 200 = 80 MWh. Cheapest first: h1 (extra 5) up to its
    20 MW, then h0 (extra 10) for 60 MW: solar [60, 20], gas [40, 80].
    renewable_share_price = 10 USD/MWh (the h0 solar MWh is marginal).
    Bus prices [20, 25] (gas marginal). Objective = (1800 + 800) + (600 + 2000) = 5200.
    """
    n = _renewables(make_network, series)
    n.add_renewable_share("res", country="JP", share=0.4)
    r = solve(n)
    ds = r.dataset
    np.testing.assert_allclose(_v(ds, "generator_p", generator="JP_solar"), [60, 20], atol=ABS)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="JP_gas"), [40, 80], atol=ABS)
    price = float(ds["renewable_share_price"].sel(renewable_share="res"))
    assert price > 0
    assert price == pytest.approx(10.0, rel=REL)
    np.testing.assert_allclose(_v(ds, "bus_price", bus="JP_el"), [20, 25], rtol=REL)
    assert r.objective == pytest.approx(5200.0, rel=REL)


def test_renewable_share_weighted(make_network, series, solve):
    """Weights [3, 1]: need 0.4 * (300 + 100) = 160 MWh. h1 gives 20 MWh (extra 5), the rest
    140 MWh from h0 -> 140/3 = 46.67 MW. Price still 10 USD/MWh (per MWh, not per snapshot).
    Objective = 3*(46.67*30 + 53.33*20) + (20*30 + 80*25) = 3*2466.67 + 2600 = 10000.
    """
    n = _renewables(make_network, series, weights=[3.0, 1.0])
    n.add_renewable_share("res", country="JP", share=0.4)
    r = solve(n)
    ds = r.dataset
    np.testing.assert_allclose(_v(ds, "generator_p", generator="JP_solar"), [140 / 3, 20], atol=ABS)
    assert float(ds["renewable_share_price"].sel(renewable_share="res")) == pytest.approx(10.0)
    assert r.objective == pytest.approx(10000.0, rel=REL)


def test_renewable_share_slack_has_zero_price(make_network, series, solve):
    """share 0.0: gas everywhere (cheaper), price 0, objective 100*20 + 100*25 = 4500."""
    n = _renewables(make_network, series)
    n.add_renewable_share("res", country="JP", share=0.0)
    r = solve(n)
    ds = r.dataset
    np.testing.assert_allclose(_v(ds, "generator_p", generator="JP_solar"), [0, 0], atol=ABS)
    assert float(ds["renewable_share_price"].sel(renewable_share="res")) == pytest.approx(
        0.0, abs=ABS
    )
    assert r.objective == pytest.approx(4500.0, rel=REL)


def test_renewable_share_counts_only_electricity_load(make_network, series, solve):
    """A hydrogen bus with 50 MW of load in JP does not raise the requirement (spec: share of
    electricity load): still solar [60, 20], objective 5200 + 2*50*1 (H2 supply @ 1) = 5300.
    """
    n = _renewables(make_network, series)
    n.add_bus("JP_h2", carrier="hydrogen", country="JP")
    n.add_load("JP_h2_load", "JP_h2", p=50.0)
    n.add_generator(
        "JP_h2_import", "JP_h2", carrier="hydrogen_import", p_nom=100.0, marginal_cost=1.0
    )
    n.add_renewable_share("res", country="JP", share=0.4)
    r = solve(n)
    ds = r.dataset
    np.testing.assert_allclose(_v(ds, "generator_p", generator="JP_solar"), [60, 20], atol=ABS)
    assert r.objective == pytest.approx(5300.0, rel=REL)


def test_custom_renewable_carriers(make_network, series, solve):
    """Network(renewable_carriers={"wave"}): a 'wave' generator counts, same answer as solar."""
    n = _renewables(make_network, series, solar_carrier="wave", renewable_carriers={"wave"})
    n.add_renewable_share("res", country="JP", share=0.4)
    r = solve(n)
    np.testing.assert_allclose(
        _v(r.dataset, "generator_p", generator="JP_solar"), [60, 20], atol=ABS
    )
    assert r.objective == pytest.approx(5200.0, rel=REL)


def test_unlisted_carrier_is_not_renewable(make_network, series, solve):
    """With the default renewable carriers, 'wave' does not count: no renewable generation
    is possible, so a 40 % share is infeasible."""
    n = _renewables(make_network, series, solar_carrier="wave")
    n.add_renewable_share("res", country="JP", share=0.4)
    with pytest.raises(InfeasibleError):
        solve(n)


# ------------------------------------------------ renewable share: losses do not count


def test_renewable_share_nets_out_storage_losses(make_network, series, solve):
    """A renewable MWh lost in storage does not count towards the share.

    JP, 2 hours, load 100. Solar extendable at 40 USD/MW (p_nom 0), p_max_pu [1, 0], mc 0;
    gas 1000 MW, mc 50; storage 50 MW, max_hours 10, eta_store 1, eta_dispatch 0.5
    (round trip 0.5), cyclic. Share 0.6 of 200 MWh = 120 MWh.

    Counted = solar - storage losses, losses = sum_t (p_store - p_dispatch) (cyclic).
    Solar S = 100 + x with x charged at h0 and x/2 dispatched at h1: counted
    100 + x - x/2 = 100 + x/2 >= 120 -> x = 40 (<= 50 MW), S = 140, gas [0, 80].
    (Charging and discharging in the same hour only adds loss.) Building solar for its own
    sake does not pay: a MW costs 40 and saves 0.5 MWh of gas = 25.
    Objective = 140*40 + 80*50 = 9600. Share price: one more required MWh needs
    x + 2 -> S + 2 (+80) and saves 1 MWh of gas (-50): 30 USD/MWh.
    (Counting gross solar output, as before, S = 120 was enough: x = 20, objective 9300,
    and 20 MWh burnt in the cycle counted as 10 MWh of renewable supply.)
    """
    n = make_network(2)
    n.add_bus("JP_el", country="JP")
    n.add_load("JP_load", "JP_el", p=100.0)
    n.add_generator(
        "JP_solar", "JP_el", carrier="solar", p_nom_extendable=True, capital_cost=40.0,
        p_max_pu=series([1.0, 0.0]),
    )  # fmt: skip
    n.add_generator("JP_gas", "JP_el", carrier="gas", p_nom=1000.0, marginal_cost=50.0)
    n.add_storage(
        "JP_bat", "JP_el", p_nom=50.0, max_hours=10.0, efficiency_store=1.0,
        efficiency_dispatch=0.5,
    )  # fmt: skip
    n.add_renewable_share("res", country="JP", share=0.6)
    r = solve(n)
    ds = r.dataset
    assert float(ds["generator_p_nom_opt"].sel(generator="JP_solar")) == pytest.approx(140.0)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="JP_solar"), [140, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="JP_gas"), [0, 80], atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_p_store", storage="JP_bat"), [40, 0], atol=ABS)
    np.testing.assert_allclose(_v(ds, "storage_p_dispatch", storage="JP_bat"), [0, 20], atol=ABS)
    price = float(ds["renewable_share_price"].sel(renewable_share="res"))
    assert price == pytest.approx(30.0, rel=REL)
    assert r.objective == pytest.approx(9600.0, rel=REL)


def test_renewable_share_nets_out_link_losses(make_network, solve):
    """A renewable MWh lost on a link inside the country does not count.

    One hour; JP buses A and B, load 100 each. Solar at A extendable at 60 USD/MW,
    p_max_pu 1; gas at B 1000 MW, mc 50; link A-B bidirectional 100 MW, efficiency 0.9.
    Share 0.6 of 200 MWh = 120 MWh.

    Counted = S - 0.1 (f + r). With S = 100 + f (A's load first, the rest sent to B, r = 0):
    0.9 S + 10 >= 120 -> S = 1100/9 = 122.22 MW, f = 200/9 = 22.22 MW, B receives 20,
    gas 80. A MW of solar beyond that costs 60 and saves 0.9 * 50 = 45: not built.
    Objective = 60 * 1100/9 + 80 * 50 = 7333.33 + 4000 = 11333.33.
    Share price: one more MWh needs f + 1/0.9 (S + 1/0.9: +66.67), B receives 1 more
    (-50): 16.67 USD/MWh. (Gross counting: S = 120, objective 11300.)
    """
    n = make_network(1)
    n.add_bus("A", country="JP")
    n.add_bus("B", country="JP")
    n.add_load("A_load", "A", p=100.0)
    n.add_load("B_load", "B", p=100.0)
    n.add_generator("A_solar", "A", carrier="solar", p_nom_extendable=True, capital_cost=60.0)
    n.add_generator("B_gas", "B", carrier="gas", p_nom=1000.0, marginal_cost=50.0)
    n.add_link("A-B", bus0="A", bus1="B", p_nom=100.0, efficiency=0.9, bidirectional=True)
    n.add_renewable_share("res", country="JP", share=0.6)
    r = solve(n)
    ds = r.dataset
    assert float(ds["generator_p_nom_opt"].sel(generator="A_solar")) == pytest.approx(1100 / 9)
    np.testing.assert_allclose(_v(ds, "link_p0", link="A-B"), [200 / 9], atol=ABS)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="B_gas"), [80], atol=ABS)
    price = float(ds["renewable_share_price"].sel(renewable_share="res"))
    assert price == pytest.approx(50 / 3, rel=REL)
    assert r.objective == pytest.approx(34000 / 3, rel=REL)


def test_renewable_share_charges_export_losses_to_the_sender(make_network, solve):
    """On a cross-border link the loss of a flow counts against the country it leaves.

    One hour. JP: load 100, solar extendable at 60 USD/MW, gas 1000 MW at mc 50. KR: load
    100, gas 1000 MW at mc 100. Link JP->KR one-way, 50 MW, efficiency 0.9: a JP gas MWh
    reaches KR for 50/0.9 = 55.6 < 100, so the link runs full, f = 50, KR receives 45.
    JP share 0.6 of JP's 100 MWh = 60; JP's loss 0.1 * 50 = 5 MWh counts against it:
    S - 5 >= 60 -> S = 65 (solar at 60 is dearer than gas at 50), JP gas 150 - 65 = 85,
    KR gas 55. Objective = 65*60 + 85*50 + 55*100 = 13650; share price 60 - 50 = 10.
    (Counting gross output: S = 60, objective 13600.)
    """
    n = make_network(1)
    n.add_bus("JP", country="JP")
    n.add_bus("KR", country="KR")
    n.add_load("JP_load", "JP", p=100.0)
    n.add_load("KR_load", "KR", p=100.0)
    n.add_generator("JP_solar", "JP", carrier="solar", p_nom_extendable=True, capital_cost=60.0)
    n.add_generator("JP_gas", "JP", carrier="gas", p_nom=1000.0, marginal_cost=50.0)
    n.add_generator("KR_gas", "KR", carrier="gas", p_nom=1000.0, marginal_cost=100.0)
    n.add_link("JP-KR", bus0="JP", bus1="KR", p_nom=50.0, efficiency=0.9)
    n.add_renewable_share("res", country="JP", share=0.6)
    r = solve(n)
    ds = r.dataset
    assert float(ds["generator_p_nom_opt"].sel(generator="JP_solar")) == pytest.approx(65.0)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="JP_gas"), [85], atol=ABS)
    np.testing.assert_allclose(_v(ds, "generator_p", generator="KR_gas"), [55], atol=ABS)
    price = float(ds["renewable_share_price"].sel(renewable_share="res"))
    assert price == pytest.approx(10.0, rel=REL)
    assert r.objective == pytest.approx(13650.0, rel=REL)
