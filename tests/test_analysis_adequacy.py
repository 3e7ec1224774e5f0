"""A link's energy and adequacy value; capacity payments in welfare. Hand calculations."""

from __future__ import annotations

import pandas as pd
import pytest

import jkenergy as jk
from jkenergy import analysis

REL = 1e-6
PEAKER = 50_000.0
LINK = 10_000.0


def _zone(n, name, load):
    n.add_bus(name, country=name)
    n.add_load(f"{name}_load", bus=name, p=load)
    n.add_generator(f"{name}_base", bus=name, carrier="coal", p_nom=100.0, marginal_cost=10.0)
    n.add_generator(f"{name}_peaker", bus=name, carrier="ocgt", p_nom_extendable=True,
                    capital_cost=PEAKER, marginal_cost=100.0)  # fmt: skip


def _two_zones(link: bool):
    """A peaks in hour 0 (100 then 60 MW), B in hour 1; margin 0.5 each (150 MW at the peak
    against 100 of base). The extendable link (10,000 USD/MW/yr, credit 1) lets one zone's
    spare base cover the other's peak."""
    n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    _zone(n, "A", [100.0, 60.0])
    _zone(n, "B", [60.0, 100.0])
    if link:
        n.add_link("A-B", bus0="A", bus1="B", bidirectional=True, p_nom_extendable=True,
                   capital_cost=LINK, capacity_credit=1.0)  # fmt: skip
    n.add_reserve_margin("A_rm", countries="A", margin=0.5)
    n.add_reserve_margin("B_rm", countries="B", margin=0.5)
    return n.optimize(algorithm="simplex").dataset


def test_link_value_is_adequacy_and_pays_for_the_link():
    """Hour 0: 100 + P_A + z >= 150 with z <= L and z <= 100 + P_B - 90 (B's spare): with
    P_A = P_B = P, z = 50 - P <= 10 + P -> P >= 20; L = 30. Each MW of link (10,000) saves a
    MW of peaker in each zone (2 x 50,000) down to P = 20. Both zones' energy prices are 10
    (each base can serve the other's load), so the link's energy value is 0 and its
    adequacy value equals its capital cost, 30 x 10,000 = 300,000: it earns its cost."""
    ds = _two_zones(link=True)
    assert float(ds["link_p_nom_opt"].sel(link="A-B")) == pytest.approx(30.0, rel=REL)
    v = analysis.link_value(ds).loc["A-B"]
    assert v["energy value [USD]"] == pytest.approx(0.0, abs=1e-6)
    assert v["adequacy value [USD]"] == pytest.approx(30 * LINK, rel=REL)
    assert v["capital cost [USD]"] == pytest.approx(30 * LINK, rel=REL)
    assert v["net value [USD]"] == pytest.approx(0.0, abs=1e-6)


def test_cooperation_table_reports_energy_and_adequacy_value():
    """Islanded: 100 MW of peakers; linked: 40 MW and 30 MW of link. Saving
    60 x 50,000 - 300,000 = 2.7 M USD. The link's adequacy value (300,000) splits half-half."""
    results = {"islanded": _two_zones(link=False), "link": _two_zones(link=True)}
    table = analysis.cooperation_table(results, baseline="islanded")
    linked = table.xs("link")
    assert linked.loc["total", "saving vs islanded [USD]"] == pytest.approx(2.7e6, rel=REL)
    assert linked.loc["total", "link adequacy value [USD]"] == pytest.approx(3e5, rel=REL)
    assert linked.loc[["A", "B"], "link adequacy value [USD]"].tolist() == pytest.approx(
        [1.5e5, 1.5e5], rel=REL
    )
    assert linked.loc["total", "link energy value [USD]"] == pytest.approx(0.0, abs=1e-6)
    assert table.xs("islanded")["link adequacy value [USD]"].abs().max() == 0.0
    for name, ds in results.items():
        net = analysis.welfare(ds)["net cost [USD]"].sum()
        assert net == pytest.approx(ds.attrs["objective"], rel=REL), name


def test_welfare_counts_capacity_payments():
    """One zone, load [90, 80], margin 0.2: 1.2 x 90 = 108 -> 8 MW of peaker, price 50,000
    USD/MW/yr. The base never fills, so energy costs 10 USD/MWh in both hours.
    Consumers: 10 x 170 = 1,700 for energy + 108 x 50,000 for capacity. Base: no energy
    surplus, 100 x 50,000 capacity revenue; peaker: 8 x 50,000 capacity revenue pays its
    capital cost. Net cost = 1,700 + 8 x 50,000 = the objective."""
    n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    _zone(n, "A", [90.0, 80.0])
    n.add_reserve_margin("A_rm", countries="A", margin=0.2)
    ds = n.optimize(algorithm="simplex").dataset
    w = analysis.welfare(ds).loc["A"]
    assert w["consumer payment [USD]"] == pytest.approx(1_700.0 + 108 * PEAKER, rel=REL)
    assert w["producer surplus [USD]"] == pytest.approx(100 * PEAKER, rel=REL)
    assert w["net cost [USD]"] == pytest.approx(ds.attrs["objective"], rel=REL)
    assert ds.attrs["objective"] == pytest.approx(1_700.0 + 8 * PEAKER, rel=REL)


def test_fixed_cost_is_a_cost_of_the_country():
    """A kept plant's fixed O&M (50 MW x 30,000) is in the country's system cost and comes
    out of its producer surplus."""
    n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
    n.add_bus("A", country="A")
    n.add_load("d", bus="A", p=10.0)
    n.add_generator("oil", bus="A", p_nom=50.0, marginal_cost=100.0, fixed_cost=30_000.0)
    ds = n.optimize(algorithm="simplex").dataset
    costs = analysis.country_costs(ds).loc["A"]
    assert costs["fixed cost [USD]"] == pytest.approx(1.5e6)
    assert costs["system cost [USD]"] == pytest.approx(1.5e6 + 1_000.0)
    assert analysis.welfare(ds).loc["A", "net cost [USD]"] == pytest.approx(1.5e6 + 1_000.0)
