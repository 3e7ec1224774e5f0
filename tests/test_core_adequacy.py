"""Reserve margins, capacity credits and retirement of existing plant.
Expected values are hand calculations (in each test's docstring).

Zones used throughout: an existing baseload unit of 100 MW at 10 USD/MWh (firm: its
``p_max_pu`` of 1) and an extendable peaker at 100 USD/MWh whose annualised capital cost
is ``PEAKER`` USD/MW/yr. One snapshot stands for one hour, so energy costs are small next to
capacity costs and the capacity choice is what the tests read.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import jkenergy as jk
from jkenergy.errors import ComponentError, UnknownComponentError

REL = 1e-6
PEAKER = jk.annualised_capital_cost(600_000.0, 0.07, 25, 0.0)
"""Annualised capital cost of the peaker: 600,000 USD/MW over 25 years at 7 % (51,486 USD/MW/yr)."""


def _zone(n, name, load, peaker_cost=PEAKER, **peaker):
    n.add_bus(name, country=name)
    n.add_load(f"{name}_load", bus=name, p=load)
    n.add_generator(f"{name}_base", bus=name, carrier="coal", p_nom=100.0, marginal_cost=10.0)
    n.add_generator(
        f"{name}_peaker",
        bus=name,
        carrier="ocgt",
        p_nom_extendable=True,
        capital_cost=peaker_cost,
        marginal_cost=100.0,
        **peaker,
    )


def _peakers(ds, zones="AB"):
    return {z: float(ds["generator_p_nom_opt"].sel(generator=f"{z}_peaker")) for z in zones}


def _price(ds, name):
    return float(ds["reserve_margin_price"].sel(reserve_margin=name))


# --------------------------------------------------------------------- one zone, the price


def test_annuity_of_the_peaker():
    """a = 0.07 / (1 - 1.07^-25) = 0.0858105; 600,000 x a = 51,486.3 USD/MW/yr."""
    assert PEAKER == pytest.approx(600_000 * 0.07 / (1 - 1.07**-25), rel=1e-12)
    assert PEAKER == pytest.approx(51_486.3, abs=0.1)


def test_binding_margin_price_is_the_peakers_annualised_capital_cost(make_network, solve):
    """Load [100, 80] MW, margin 0.2: firm 100 + P >= 120 -> P = 20 MW of peaker.
    Objective 20 x PEAKER + 10 x 180 MWh. The capacity price is the cost of one more MW of
    firm capacity, the peaker's annualised capital cost; only the peak hour's row binds."""
    n = make_network(2)
    _zone(n, "A", [100.0, 80.0])
    n.add_reserve_margin("A_rm", countries="A", margin=0.2)
    ds = solve(n).dataset
    assert _peakers(ds, "A")["A"] == pytest.approx(20.0, rel=REL)
    assert float(ds.attrs["objective"]) == pytest.approx(20 * PEAKER + 1800.0, rel=REL)
    assert _price(ds, "A_rm") == pytest.approx(PEAKER, rel=REL)
    hourly = ds["reserve_margin_hourly_price"].sel(reserve_margin="A_rm").values
    np.testing.assert_allclose(hourly, [PEAKER, 0.0], rtol=REL)
    assert ds["reserve_margin_price"].attrs["units"] == "USD/MW/yr"
    assert float(ds["reserve_margin_requirement"].sel(reserve_margin="A_rm")) == pytest.approx(
        120.0
    )


def test_price_per_firm_mw_when_the_peaker_counts_in_part(make_network, solve):
    """Peaker credit 0.8: 100 + 0.8 P >= 120 -> P = 25 MW; one more firm MW needs 1/0.8 MW of
    peaker, so the price is PEAKER / 0.8."""
    n = make_network(1)
    _zone(n, "A", 100.0, capacity_credit=0.8)
    n.add_reserve_margin("A_rm", countries="A", margin=0.2)
    ds = solve(n).dataset
    assert _peakers(ds, "A")["A"] == pytest.approx(25.0, rel=REL)
    assert _price(ds, "A_rm") == pytest.approx(PEAKER / 0.8, rel=REL)


def test_slack_margin_has_zero_price(make_network, solve):
    """Margin 0 with 100 MW of base for a 100 MW peak: nothing to build, price 0."""
    n = make_network(1)
    _zone(n, "A", 100.0)
    n.add_reserve_margin("A_rm", countries="A", margin=0.0)
    ds = solve(n).dataset
    assert _peakers(ds, "A")["A"] == pytest.approx(0.0, abs=1e-9)
    assert _price(ds, "A_rm") == pytest.approx(0.0, abs=1e-6)


def test_solar_counts_its_availability_at_the_peak(make_network, solve):
    """Solar 50 MW, p_max_pu [0.6, 0.0], load [90, 100]: the row at hour 1 (solar 0) binds:
    100 + P >= 1.2 x 100 -> P = 20, although hour 0 needs only 108 - 30 = 78 < 100."""
    n = make_network(2)
    _zone(n, "A", [90.0, 100.0])
    n.add_generator("A_solar", bus="A", carrier="solar", p_nom=50.0, p_max_pu=[0.6, 0.0])
    n.add_reserve_margin("A_rm", countries="A", margin=0.2)
    ds = solve(n).dataset
    assert _peakers(ds, "A")["A"] == pytest.approx(20.0, rel=REL)
    firm = ds["reserve_margin_firm_capacity"].sel(reserve_margin="A_rm").values
    np.testing.assert_allclose(firm, [150.0, 120.0], rtol=REL)


@pytest.mark.parametrize(
    "storage",
    [
        dict(p_nom=20.0, max_hours=2.0),  # tied: min(1, 2 h / 4 h) x 20 MW = 10 MW
        dict(p_nom=20.0, e_nom=40.0),  # sized apart: min(20, 40 MWh / 4 h) = 10 MW
        dict(p_nom=20.0, max_hours=8.0, capacity_credit=0.5),  # credit 0.5 x 20 = 10 MW
    ],
    ids=["max_hours", "e_nom", "credit"],
)
def test_storage_credit_by_duration(make_network, solve, storage):
    """A 20 MW store counted at 10 MW firm: 100 + 10 + P >= 120 -> P = 10."""
    n = make_network(1)
    _zone(n, "A", 100.0)
    n.add_storage("A_bat", bus="A", **storage)
    n.add_reserve_margin("A_rm", countries="A", margin=0.2)
    ds = solve(n).dataset
    assert _peakers(ds, "A")["A"] == pytest.approx(10.0, rel=REL)
    assert float(ds["storage_adequacy_revenue"].sel(storage="A_bat")) == pytest.approx(
        10.0 * PEAKER, rel=REL
    )


def test_extendable_storage_credit_by_duration_is_a_choice(make_network, solve):
    """Battery power 30,000 USD/MW/yr, energy 10,000 USD/MWh/yr, 4 h needed for full credit:
    firm F = min(P, E/4) costs 30,000 + 4 x 10,000 = 70,000 per MW > PEAKER: the peaker is
    built (20 MW). With energy at 5,000: 50,000 < PEAKER (51,486): 20 MW of 80 MWh storage."""
    for energy_cost, peaker, battery in ((10_000.0, 20.0, 0.0), (5_000.0, 0.0, 20.0)):
        n = make_network(1)
        _zone(n, "A", 100.0)
        n.add_storage(
            "A_bat", bus="A", p_nom_extendable=True, e_nom_extendable=True,
            capital_cost=30_000.0, capital_cost_energy=energy_cost,
        )  # fmt: skip
        n.add_reserve_margin("A_rm", countries="A", margin=0.2)
        ds = solve(n).dataset
        assert _peakers(ds, "A")["A"] == pytest.approx(peaker, abs=1e-6)
        assert float(ds["storage_p_nom_opt"].sel(storage="A_bat")) == pytest.approx(
            battery, abs=1e-6
        )
        if battery:
            assert float(ds["storage_e_nom_opt"].sel(storage="A_bat")) == pytest.approx(80.0)


# ------------------------------------------------------------- two zones and a link


def _two_zones(make_network, credit=None, p_nom=100.0, margin=0.5, link=True):
    """A peaks in hour 0 (100 MW, then 60), B in hour 1 (60, then 100); margin 0.5 each."""
    n = make_network(2)
    _zone(n, "A", [100.0, 60.0])
    _zone(n, "B", [60.0, 100.0])
    if link:
        n.add_link(
            "A-B", bus0="A", bus1="B", p_nom=p_nom, bidirectional=True,
            **({} if credit is None else {"capacity_credit": credit}),
        )  # fmt: skip
    n.add_reserve_margin("A_rm", countries="A", margin=margin)
    n.add_reserve_margin("B_rm", countries="B", margin=margin)
    return n


ENERGY = 10.0 * 320.0
"""Both zones' 320 MWh served by their own base units at 10 USD/MWh."""


def test_without_link_credit_each_zone_builds_for_its_own_peak(make_network, solve):
    """Each zone: 100 + P >= 150 -> 50 MW; 100 MW of peakers, objective 100 x PEAKER + 3,200."""
    ds = solve(_two_zones(make_network, link=False)).dataset
    assert _peakers(ds) == pytest.approx({"A": 50.0, "B": 50.0}, rel=REL)
    assert float(ds.attrs["objective"]) == pytest.approx(100 * PEAKER + ENERGY, rel=REL)


def test_zero_link_credit_changes_nothing(make_network, solve):
    """Credit 0 (the default): the same peakers and cost as with no link at all."""
    islanded = solve(_two_zones(make_network, link=False)).objective
    for credit in (None, 0.0):
        ds = solve(_two_zones(make_network, credit=credit)).dataset
        assert _peakers(ds) == pytest.approx({"A": 50.0, "B": 50.0}, rel=REL)
        assert float(ds.attrs["objective"]) == pytest.approx(islanded, rel=REL)
        np.testing.assert_allclose(ds["reserve_margin_firm_import"].values, 0.0, atol=1e-9)


def test_link_credit_lets_fewer_peakers_serve_both_peaks(make_network, solve):
    """Credit 1 on a 100 MW link. Hour 0: A needs 150, B only 90. With z the firm capacity B
    sends to A: 100 + P_A + z >= 150 and 100 + P_B - z >= 90, so P_A + P_B >= 40 (and the
    same in hour 1 the other way). 40 MW of peakers instead of 100: the joint requirement
    is 1.5 x 160 = 240 against 200 of base. Objective 40 x PEAKER + 3,200."""
    ds = solve(_two_zones(make_network, credit=1.0)).dataset
    total = sum(_peakers(ds).values())
    assert total == pytest.approx(40.0, rel=REL)
    assert float(ds.attrs["objective"]) == pytest.approx(40 * PEAKER + ENERGY, rel=REL)
    # one more MW required in either zone needs one more MW of peaker somewhere: each
    # zone's price, summed over its two hours, is the peaker's cost (the split between
    # the hours is not unique, the sum is)
    assert _price(ds, "A_rm") == pytest.approx(PEAKER, rel=REL)
    assert _price(ds, "B_rm") == pytest.approx(PEAKER, rel=REL)


def test_link_counts_at_most_credit_times_capacity(make_network, solve):
    """Credit 0.2 on 100 MW: z <= 20. Hour 0: P_A >= 50 - 20 = 30; hour 1: P_B >= 30. 60 MW."""
    ds = solve(_two_zones(make_network, credit=0.2)).dataset
    assert _peakers(ds) == pytest.approx({"A": 30.0, "B": 30.0}, rel=REL)
    assert float(ds.attrs["objective"]) == pytest.approx(60 * PEAKER + ENERGY, rel=REL)
    imports = ds["reserve_margin_firm_import"]
    assert float(imports.sel(reserve_margin="A_rm")[0]) == pytest.approx(20.0, rel=REL)
    assert float(imports.sel(reserve_margin="B_rm")[1]) == pytest.approx(20.0, rel=REL)
    # the link's adequacy value: 20 MW into A at A's price (PEAKER, hour 0) plus 20 MW into
    # B at B's (hour 1), less what it takes from the sender (whose rows are slack, price 0)
    assert float(ds["link_adequacy_value"].sel(link="A-B")) == pytest.approx(40 * PEAKER, rel=REL)


def test_link_serves_one_side_when_both_peak_together(make_network, solve):
    """Both zones peak in the same hour (100 MW), margin 0.2; A's peaker costs 40,000, B's
    60,000. A 100 MW link of credit 1: B may lean on A, but what A sends is taken from A's
    firm capacity: 100 + P_A - z >= 120, 100 + P_B + z >= 120. Cheapest: P_A = 40, z = 20,
    P_B = 0 (1.6 M USD), never P_A = P_B = 0 as if each side had the link's 100 MW to itself."""
    n = make_network(1)
    _zone(n, "A", 100.0, peaker_cost=40_000.0)
    _zone(n, "B", 100.0, peaker_cost=60_000.0)
    n.add_link("A-B", bus0="A", bus1="B", p_nom=100.0, bidirectional=True, capacity_credit=1.0)
    n.add_reserve_margin("A_rm", countries="A", margin=0.2)
    n.add_reserve_margin("B_rm", countries="B", margin=0.2)
    ds = solve(n).dataset
    assert _peakers(ds) == pytest.approx({"A": 40.0, "B": 0.0}, abs=1e-6)
    assert float(ds.attrs["objective"]) == pytest.approx(40 * 40_000.0 + 2_000.0, rel=REL)
    # one more firm MW in B saves 1 MW of A's peaker: both groups price 40,000
    assert _price(ds, "A_rm") == pytest.approx(40_000.0, rel=REL)
    assert _price(ds, "B_rm") == pytest.approx(40_000.0, rel=REL)


def test_import_from_a_zone_without_margin(make_network, solve):
    """B has no margin: a 40 MW link of credit 0.5 brings 0.5 x 40 x 0.95 = 19 MW of firm
    capacity into A (the importer receives what arrives, efficiency 0.95), nothing is taken
    from B; A needs 120 - 100 - 19 = 1 MW of peaker."""
    n = make_network(1)
    _zone(n, "A", 100.0)
    _zone(n, "B", 10.0)
    n.add_link("B-A", bus0="B", bus1="A", p_nom=40.0, efficiency=0.95, capacity_credit=0.5)
    n.add_reserve_margin("A_rm", countries="A", margin=0.2)
    ds = solve(n).dataset
    assert _peakers(ds)["A"] == pytest.approx(1.0, rel=REL)
    assert _peakers(ds)["B"] == pytest.approx(0.0, abs=1e-9)


def test_joint_margin_covers_the_coincident_peak(make_network, solve):
    """One margin over A and B: firm 200 + P_A + P_B >= 1.5 x 160 = 240 -> 40 MW, as the
    link with credit 1 gave; links inside the group are not counted (copper plate)."""
    n = _two_zones(make_network, link=False)
    n.reserve_margins = n.reserve_margins.iloc[0:0]
    n.add_reserve_margin("AB_rm", countries=["A", "B"], margin=0.5)
    ds = solve(n).dataset
    assert sum(_peakers(ds).values()) == pytest.approx(40.0, rel=REL)


@pytest.mark.parametrize("national", [("A_rm", "B_rm"), ("A_rm",)], ids=["both", "A only"])
def test_national_and_joint_margins_together(make_network, solve, national):
    """National margins and a joint one over both zones (overlapping groups); the link is
    inside the joint group, so there it counts nothing. The joint row (200 + P_A + P_B >=
    240) binds: 40 MW of peakers, as the national rows with the link gave. With no margin
    of B's own, A's imports from B are not taken from any other group's row."""
    n = _two_zones(make_network, credit=1.0)
    n.reserve_margins = n.reserve_margins.loc[list(national)]
    n.add_reserve_margin("AB_rm", countries=["A", "B"], margin=0.5)
    ds = solve(n).dataset
    assert sum(_peakers(ds).values()) == pytest.approx(40.0, rel=REL)
    np.testing.assert_allclose(
        ds["reserve_margin_firm_import"].sel(reserve_margin="AB_rm").values, 0.0, atol=1e-9
    )


# ------------------------------------------------------------------------ retirement


def _retire_zone(make_network, margin=None, **oil):
    """Base 100 MW covers the 100 MW load; old oil 50 MW at 200 USD/MWh, fixed O&M 30,000."""
    n = make_network(1)
    _zone(n, "A", 100.0)
    attrs = dict(carrier="oil", p_nom=50.0, marginal_cost=200.0, fixed_cost=30_000.0)
    n.add_generator("A_oil", bus="A", **{**attrs, **oil})
    if margin is not None:
        n.add_reserve_margin("A_rm", countries="A", margin=margin)
    return n


def _oil(ds, what):
    return float(ds[f"generator_p_nom_{what}"].sel(generator="A_oil"))


def test_plant_whose_fixed_cost_exceeds_its_value_is_retired(make_network, solve):
    """Oil never runs (base covers the load): keeping it costs 30,000/MW and earns nothing,
    so all 50 MW retire. Objective = 10 x 100 = 1,000."""
    ds = solve(_retire_zone(make_network, retirable=True)).dataset
    assert _oil(ds, "retired") == pytest.approx(50.0, rel=REL)
    assert _oil(ds, "opt") == pytest.approx(0.0, abs=1e-9)
    assert _oil(ds, "existing") == pytest.approx(50.0)
    assert float(ds.attrs["objective"]) == pytest.approx(1_000.0, rel=REL)


def test_fixed_cost_of_plant_that_cannot_retire_is_a_constant(make_network, solve):
    """Not retirable: the 50 MW stay and pay 50 x 30,000 = 1.5 M USD, a constant on top of the
    1,000 of energy; results report it as generator_fixed_cost."""
    r = solve(_retire_zone(make_network))
    assert r.objective == pytest.approx(1_000.0 + 1_500_000.0, rel=REL)
    assert float(r.dataset["generator_fixed_cost"].sel(generator="A_oil")) == pytest.approx(
        1_500_000.0
    )
    assert _oil(r.dataset, "retired") == pytest.approx(0.0)


def test_must_run_floor_is_kept(make_network, solve):
    """p_nom_min 40 MW must be kept: 10 MW retire; objective 1,000 + 40 x 30,000."""
    ds = solve(_retire_zone(make_network, retirable=True, p_nom_min=40.0)).dataset
    assert _oil(ds, "retired") == pytest.approx(10.0, rel=REL)
    assert float(ds.attrs["objective"]) == pytest.approx(1_000.0 + 1_200_000.0, rel=REL)


def test_margin_keeps_the_cheapest_firm_capacity(make_network, solve):
    """Margin 0.2 needs 20 MW beyond the base: keeping oil (30,000) beats a new peaker
    (51,486): 20 MW kept, 30 retired, price 30,000 = the fixed cost of the marginal MW kept.
    Objective 1,000 + 20 x 30,000."""
    ds = solve(_retire_zone(make_network, margin=0.2, retirable=True)).dataset
    assert _oil(ds, "opt") == pytest.approx(20.0, rel=REL)
    assert _oil(ds, "retired") == pytest.approx(30.0, rel=REL)
    assert _peakers(ds, "A")["A"] == pytest.approx(0.0, abs=1e-9)
    assert _price(ds, "A_rm") == pytest.approx(30_000.0, rel=REL)
    assert float(ds.attrs["objective"]) == pytest.approx(601_000.0, rel=REL)


def test_retirable_and_extendable_keeps_old_before_building_new(make_network, solve):
    """Oil also extendable at PEAKER capital cost; margin 0.8 needs 80 MW beyond the base:
    all 50 MW kept (30,000 each), 30 new (PEAKER each; the separate peaker costs the
    same, so the split between them is free: the sum is 30). Price = PEAKER."""
    n = _retire_zone(
        make_network, margin=0.8, retirable=True, p_nom_extendable=True, capital_cost=PEAKER
    )
    ds = solve(n).dataset
    assert _oil(ds, "retired") == pytest.approx(0.0, abs=1e-6)
    assert _oil(ds, "new") + _peakers(ds, "A")["A"] == pytest.approx(30.0, rel=REL)
    assert _price(ds, "A_rm") == pytest.approx(PEAKER, rel=REL)
    expected = 1_000.0 + 50 * 30_000.0 + 30 * PEAKER
    assert float(ds.attrs["objective"]) == pytest.approx(expected, rel=REL)
    capital = float(ds["generator_capital_cost"].sum())
    assert capital == pytest.approx(30 * PEAKER, rel=REL)


def test_objective_is_the_sum_of_the_reported_costs(make_network, solve):
    """Capital + fixed + operating costs in the dataset add up to the objective."""
    ds = solve(_retire_zone(make_network, margin=0.8, retirable=True)).dataset
    parts = ["generator_capital_cost", "generator_fixed_cost", "generator_operating_cost"]
    assert sum(float(ds[p].sum()) for p in parts) == pytest.approx(
        float(ds.attrs["objective"]), rel=REL
    )


def test_capacity_payments_balance(make_network, solve):
    """Loads pay price x (1 + margin) x demand; generators, storage and links earn price x firm
    capacity: where every row with a price binds, the two are equal (LP duality)."""
    ds = solve(_two_zones(make_network, credit=0.2)).dataset
    paid = float(ds["load_adequacy_payment"].sum())
    earned = sum(
        float(ds[v].sum())
        for v in ("generator_adequacy_revenue", "storage_adequacy_revenue", "link_adequacy_value")
    )
    assert paid == pytest.approx(earned, rel=REL)
    assert paid == pytest.approx(1.5 * 100 * 2 * PEAKER, rel=REL)


# ------------------------------------------------------------------------ validation


def test_validation(make_network):
    n = make_network(1)
    n.add_bus("A", country="A")
    with pytest.raises(UnknownComponentError, match="country 'X'"):
        n.add_reserve_margin("rm", countries="X", margin=0.1)
    with pytest.raises(ComponentError, match="margin must be"):
        n.add_reserve_margin("rm", countries="A", margin=-0.1)
    with pytest.raises(ComponentError, match="storage_hours must be"):
        n.add_reserve_margin("rm", countries="A", margin=0.1, storage_hours=0.0)
    with pytest.raises(ComponentError, match="capacity_credit must be"):
        n.add_generator("g", bus="A", capacity_credit=1.5)
    n.add_bus("B", country="A")
    with pytest.raises(
        ComponentError, match=r"capacity_credit must be a number in \[0, 1\], got nan"
    ):
        n.add_link("l", bus0="A", bus1="B", capacity_credit=math.nan)
    with pytest.raises(ComponentError, match="retirable needs existing capacity"):
        n.add_generator("g0", bus="A", retirable=True)
    with pytest.raises(ComponentError, match=r"p_nom_min .* must be <= p_nom"):
        n.add_generator("g1", bus="A", p_nom=10.0, p_nom_min=20.0, retirable=True)


def test_margin_over_a_group_without_load_is_refused(make_network):
    n = make_network(1)
    n.add_bus("A", country="A")
    n.add_generator("g", bus="A", p_nom=10.0)
    n.add_reserve_margin("rm", countries="A", margin=0.1)
    with pytest.raises(ComponentError, match="no electricity load"):
        n.optimize()


def test_margin_that_cannot_be_met_is_diagnosed(make_network):
    """Nothing extendable and 100 MW firm for a 120 MW requirement."""
    n = make_network(1)
    n.add_bus("A", country="A")
    n.add_load("d", bus="A", p=100.0)
    n.add_generator("g", bus="A", p_nom=100.0)
    n.add_storage("s", bus="A", p_nom_extendable=True, p_nom_max=5.0, max_hours=4.0)
    n.add_reserve_margin("rm", countries="A", margin=0.2)
    with pytest.raises(jk.InfeasibleError, match="reserve_margin 'rm'"):
        n.optimize()
