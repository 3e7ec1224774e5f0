"""Cooperation analysis: hand-worked two-country cases and the identities that must hold."""

import numpy as np
import pandas as pd
import pytest

import jkenergy as jk
from jkenergy import analysis

USD = "[USD]"


def two_countries(link_mw: float, *, co2_cap: float | None = None, carbon_price=None,
                  allocation=None):  # fmt: skip
    """JP: 100 MW at 10 USD/MWh (1 tCO2/MWh); KR: 100 MW at 50 (0.5 t/MWh).
    Loads JP 30 MW, KR 40 MW; one snapshot of 1 h; lossless one-way link JP -> KR."""
    n = jk.Network(pd.date_range("2030-01-01", periods=1, freq="h"))
    n.add_bus("JP", country="JP")
    n.add_bus("KR", country="KR")
    n.add_load("JP_load", bus="JP", p=30.0)
    n.add_load("KR_load", bus="KR", p=40.0)
    n.add_generator("JP_g", bus="JP", carrier="coal", p_nom=100.0, marginal_cost=10.0,
                    co2_intensity=1.0)  # fmt: skip
    n.add_generator("KR_g", bus="KR", carrier="gas", p_nom=100.0, marginal_cost=50.0,
                    co2_intensity=0.5)  # fmt: skip
    n.add_link("JP-KR", bus0="JP", bus1="KR", p_nom=link_mw)
    if co2_cap is not None:
        n.add_co2_limit("joint", countries=["JP", "KR"], limit=co2_cap, allocation=allocation)
    for country, price in (carbon_price or {}).items():
        n.set_carbon_price(country, price)
    return n.optimize(algorithm="simplex").dataset


def test_congested_link_split_by_hand():
    """Link 20 MW: JP gen 50 MW at price 10, KR gen 20 MW at price 50.
    Consumer payment JP 30*10 = 300, KR 40*50 = 2000; generators earn their cost (surplus 0);
    congestion rent (50-10)*20 = 800, half each; net cost JP 300-400 = -100, KR 1600."""
    ds = two_countries(20.0)
    w = analysis.welfare(ds)
    assert w.loc["JP", "consumer payment " + USD] == pytest.approx(300.0)
    assert w.loc["KR", "consumer payment " + USD] == pytest.approx(2000.0)
    assert w["producer surplus " + USD].tolist() == pytest.approx([0.0, 0.0], abs=1e-9)
    assert w["congestion rent " + USD].tolist() == pytest.approx([400.0, 400.0])
    assert w["net cost " + USD].tolist() == pytest.approx([-100.0, 1600.0])
    c = analysis.country_costs(ds)
    assert c["system cost " + USD].tolist() == pytest.approx([500.0, 1000.0])


def test_link_share_moves_rent():
    ds = two_countries(20.0)
    w = analysis.welfare(ds, link_share=1.0)
    assert w["congestion rent " + USD].tolist() == pytest.approx([800.0, 0.0])


def test_congestion_rent_is_price_difference_times_flow():
    ds = two_countries(20.0)
    price = ds["bus_price"]
    flow = ds["link_p0"].sel(link="JP-KR")
    by_hand = float(((price.sel(bus="KR") - price.sel(bus="JP")) * flow * ds.snapshot_weight).sum())
    assert float(analysis.link_rent(ds).sel(link="JP-KR")) == pytest.approx(by_hand)
    assert by_hand == pytest.approx(800.0)


def test_costs_sum_to_objective_and_savings_split_sums_to_total():
    """Islanded objective 30*10 + 40*50 = 2300; linked 1500; saving 800, split 400/400 in
    welfare terms (JP 300 -> -100, KR 2000 -> 1600)."""
    results = {"islanded": two_countries(0.0), "link": two_countries(20.0)}
    table = analysis.cooperation_table(results, baseline="islanded")
    for name, ds in results.items():
        costs = analysis.country_costs(ds)["system cost " + USD]
        assert costs.sum() == pytest.approx(ds.attrs["objective"])
        assert table.loc[(name, "total"), "system cost [USD]"] == pytest.approx(
            ds.attrs["objective"]
        )
    saving = table.xs("link")["saving vs islanded [USD]"]
    assert saving["total"] == pytest.approx(800.0)
    assert saving[["JP", "KR"]].sum() == pytest.approx(saving["total"])
    gain = table.xs("link")["welfare gain vs islanded [USD]"]
    assert gain[["JP", "KR"]].tolist() == pytest.approx([400.0, 400.0])
    assert gain[["JP", "KR"]].sum() == pytest.approx(800.0)


def test_carbon_tax_is_a_transfer():
    """A JP carbon price of 5 USD/t raises JP's cost to 15: still cheaper than KR's 50.
    JP emits 50 t; tax 250 returns to JP's government; net costs sum to objective - tax."""
    ds = two_countries(20.0, carbon_price={"JP": 5.0})
    w = analysis.welfare(ds)
    assert w.loc["JP", "government revenue " + USD] == pytest.approx(250.0)
    e = analysis.emissions(ds)  # the tax is reported where it is set, apart from permit prices
    assert e["carbon price [USD/tCO2]"].tolist() == [5.0, 0.0]
    assert e["CO2 price [USD/tCO2]"].tolist() == [0.0, 0.0]
    assert w["net cost " + USD].sum() == pytest.approx(
        ds.attrs["objective"] - float(ds["generator_carbon_cost"].sum())
    )


def test_joint_cap_permits_valued_at_co2_price():
    """Joint cap 55 t. Without it: JP 50 MWh (50 t) + KR 20 MWh (10 t) = 60 t. Shifting 1 MWh
    from JP to KR saves 0.5 t at 40 USD: CO2 price 80 USD/t; shift 10 MWh -> JP 40 t,
    KR 15 t. Permit value to governments: JP 80*40 = 3200, KR 80*15 = 1200."""
    ds = two_countries(20.0, co2_cap=55.0)
    assert float(ds["co2_price"].sel(co2_limit="joint")) == pytest.approx(80.0)
    w = analysis.welfare(ds)
    assert w["government revenue " + USD].tolist() == pytest.approx([3200.0, 1200.0])
    assert w["net cost " + USD].sum() == pytest.approx(ds.attrs["objective"])
    e = analysis.emissions(ds)
    assert e["emissions [tCO2]"].tolist() == pytest.approx([40.0, 15.0])


def test_renewables_and_curtailment_by_hand():
    """Solar 100 MW at p_max_pu [1, 0.5], load 60 MW both hours, gas backup: solar produces
    60 + 50 = 110 MWh of 150 available; curtailment 40 MWh; share 110/120."""
    n = jk.Network(pd.date_range("2030-01-01", periods=2, freq="h"))
    n.add_bus("JP", country="JP")
    n.add_load("d", bus="JP", p=60.0)
    n.add_generator("pv", bus="JP", carrier="solar", p_nom=100.0, p_max_pu=[1.0, 0.5])
    n.add_generator("gas", bus="JP", carrier="gas", p_nom=100.0, marginal_cost=50.0)
    table = analysis.renewables(n.optimize().dataset)
    assert table.loc["JP", "renewable generation [MWh]"] == pytest.approx(110.0)
    assert table.loc["JP", "curtailment [MWh]"] == pytest.approx(40.0)
    assert table.loc["JP", "renewable share [-]"] == pytest.approx(110.0 / 120.0)


def test_link_flow_profile_and_utilisation():
    ds = two_countries(20.0)
    profile = analysis.link_flow_profile(ds, "JP-KR")
    assert profile.loc[1, 0] == pytest.approx(20.0)
    util = analysis.link_utilisation(ds).loc["JP-KR"]
    assert util["utilisation [-]"] == pytest.approx(1.0)


def test_price_duration_is_sorted_with_cumulative_weights():
    n = jk.Network(pd.date_range("2030-01-01", periods=3, freq="h"), weights=pd.Series(
        [1.0, 2.0, 3.0], index=pd.date_range("2030-01-01", periods=3, freq="h")))  # fmt: skip
    n.add_bus("JP", country="JP")
    n.add_load("d", bus="JP", p=[50.0, 150.0, 250.0])
    for name, mc in (("a", 10.0), ("b", 20.0), ("c", 30.0)):
        n.add_generator(name, bus="JP", carrier="gas", p_nom=100.0, marginal_cost=mc)
    pdc = analysis.price_duration(n.optimize().dataset)
    assert pdc["price [USD/MWh]"].tolist() == pytest.approx([30.0, 20.0, 10.0])
    assert pdc["duration [h]"].tolist() == pytest.approx([3.0, 5.0, 6.0])


def test_hydrogen_produced_and_imported():
    """Electrolyser 0.5 efficient feeds an H2 load of 10 MW from 30 USD power; import at 100.
    Power route costs 60 per MWh_H2, cheaper: produced 10 MWh per hour, imported 0."""
    n = jk.Network(pd.date_range("2030-01-01", periods=2, freq="h"))
    n.add_bus("KR", country="KR")
    n.add_bus("KR_H2", carrier="hydrogen", country="KR")
    n.add_load("h2_demand", bus="KR_H2", p=10.0)
    n.add_generator("power", bus="KR", carrier="nuclear", p_nom=100.0, marginal_cost=30.0)
    n.add_generator("import", bus="KR_H2", carrier="lh2_import", p_nom=100.0, marginal_cost=100.0)
    n.add_link("ely", bus0="KR", bus1="KR_H2", p_nom=100.0, efficiency=0.5)
    table = analysis.hydrogen(n.optimize().dataset)
    assert table.loc["KR", "produced [MWh]"] == pytest.approx(20.0)
    assert table.loc["KR", "imported [MWh]"] == pytest.approx(0.0, abs=1e-9)
    assert np.isfinite(table.to_numpy()).all()


def test_chronological_lays_typical_days_over_the_calendar():
    """Four days whose loads alternate between two shapes cluster into two typical days;
    laid out over the calendar again, the load is the original hour by hour."""
    from jkenergy import aggregation as timeseries

    index = pd.date_range("2030-01-01", periods=96, freq="h")
    day_a = 100.0 + 50.0 * np.sin(np.arange(24) / 24 * 2 * np.pi)
    day_b = 300.0 - 80.0 * np.cos(np.arange(24) / 24 * 2 * np.pi)
    load = np.concatenate([day_a, day_b, day_a, day_b])
    n = jk.Network(index)
    n.add_bus("JP", country="JP")
    n.add_load("d", bus="JP", p=load)
    n.add_generator("g", bus="JP", carrier="gas", p_nom=1000.0, marginal_cost=10.0)
    aggregated = timeseries.representative_days(n, n_days=2, extremes=(), representation="medoid")
    ds = aggregated.optimize().dataset
    assert ds.sizes["snapshot"] == 48
    laid_out = analysis.chronological(ds, "load_p").sel(load="d")
    assert laid_out["snapshot"].to_index().equals(index)
    assert laid_out.to_numpy() == pytest.approx(load)
    assert analysis.chronological(two_countries(20.0), "load_p").sizes["snapshot"] == 1


def test_joint_cap_with_allocation_pays_the_permit_seller():
    """As the joint-cap case (price 80 USD/t; JP emits 40 t, KR 15 t) with permits allocated
    JP 30 t, KR 25 t: JP buys 10 t from KR. Government revenue JP 80*30 = 2400,
    KR 80*25 = 2000; the net costs still sum to the objective."""
    ds = two_countries(20.0, co2_cap=55.0, allocation={"JP": 30.0, "KR": 25.0})
    w = analysis.welfare(ds)
    assert w["government revenue " + USD].tolist() == pytest.approx([2400.0, 2000.0])
    assert w["net cost " + USD].sum() == pytest.approx(ds.attrs["objective"])


def test_allocation_must_match_countries_and_limit():
    n = jk.Network(pd.date_range("2030-01-01", periods=1, freq="h"))
    n.add_bus("JP", country="JP")
    n.add_bus("KR", country="KR")
    with pytest.raises(jk.ComponentError, match="allocation must sum"):
        n.add_co2_limit(
            "joint", countries=["JP", "KR"], limit=55.0, allocation={"JP": 30.0, "KR": 20.0}
        )
    with pytest.raises(jk.ComponentError, match="exactly the countries"):
        n.add_co2_limit("joint", countries=["JP", "KR"], limit=55.0, allocation={"JP": 55.0})
    assert n.co2_limits.empty
