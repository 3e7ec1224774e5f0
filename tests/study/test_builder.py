"""The one-call Japan–Korea builder on the bundled data (short horizons)."""

import pandas as pd
import pytest

import jkenergy as jk
from jkenergy.errors import ComponentError, UnknownComponentError


def test_national_buses_and_interconnector_from_data():
    n = jk.japan_korea(2030, interconnector="optimise", snapshots=24)
    assert sorted(n.buses.index) == ["JP", "JP_H2", "KR", "KR_H2"]
    link = n.links.loc["JP-KR"]
    # HVDC rule: 1 - (2 % + 2.3 % per 1,000 km) over 220 km
    assert link["efficiency"] == pytest.approx(1 - (0.02 + 0.023 * 0.220))
    # candidate capex 1,523,692 USD/MW, 40 years at 5 %, 1 % fixed O&M
    assert link["capital_cost"] == pytest.approx(
        jk.annualised_capital_cost(1_523_692, 0.05, 40, 0.01)
    )
    assert bool(link["bidirectional"]) and bool(link["p_nom_extendable"])
    # 24 hours stand for the 8,760 hours of 2030
    assert n.snapshot_weightings.iloc[0] == pytest.approx(8760 / 24)


def test_fixed_interconnector_is_new_build_paid_at_capital_cost_and_none():
    link = jk.japan_korea(2030, interconnector=2000.0, snapshots=3).links.loc["JP-KR"]
    assert (link["p_nom"], link["p_nom_min"], link["p_nom_max"]) == (0.0, 2000.0, 2000.0)
    assert bool(link["p_nom_extendable"])
    assert link["capital_cost"] == pytest.approx(
        jk.annualised_capital_cost(1_523_692, 0.05, 40, 0.01)
    )
    assert "JP-KR" not in jk.japan_korea(2030, snapshots=3).links.index


def test_annual_demand_follows_plans():
    """JP 2030: OCCTO's 818.0 TWh. KR 2030: 547.9 TWh x (1 + 7/15 x (129.3/93.6 - 1))."""
    n = jk.japan_korea(2030)
    energy = n.get_series("load", "p").sum() / 1e6  # TWh
    assert energy["JP_load"] == pytest.approx(818.0, rel=1e-3)
    assert energy["KR_load"] == pytest.approx(547.9 * (1 + 7 / 15 * (129.3 / 93.6 - 1)), rel=1e-3)


def test_areas_model_has_nine_areas_and_korea():
    n = jk.japan_korea(2030, regions="areas", interconnector=1000.0, snapshots=6)
    electricity = n.buses.index[n.buses["carrier"] == "electricity"]
    assert len(electricity) == 10
    assert n.links.loc["JP-KR", "bus0"] == "Kyushu"
    # Tohoku-Tokyo has 6,050 / 2,360 MW by direction: two one-way links
    assert n.links.loc["Tohoku-Tokyo", "p_nom"] == 6050.0
    assert n.links.loc["Tohoku-Tokyo_reverse", "p_nom"] == 2360.0
    # the four 50/60 Hz frequency converters add up to 2,100 MW
    fc = n.links[n.links["carrier"] == "fc"]
    assert fc["p_nom"].sum() == 2100.0


def test_nuclear_option():
    operating = jk.japan_korea(2030, snapshots=2).generators.loc["JP_nuclear", "p_nom"]
    operable = jk.japan_korea(2030, snapshots=2, nuclear="operable").generators.loc[
        "JP_nuclear", "p_nom"
    ]
    assert (operating, operable) == (13_253.0, 33_083.0)


def test_overrides_by_dotted_path_and_errors():
    n = jk.japan_korea(2030, snapshots=2, **{"generators.JP_solar.p_nom_max": 123_456.0})
    assert n.generators.loc["JP_solar", "p_nom_max"] == 123_456.0
    with pytest.raises(UnknownComponentError, match="JP_sun"):
        jk.japan_korea(2030, snapshots=2, **{"generators.JP_sun.p_nom_max": 1.0})
    with pytest.raises(ComponentError, match="colour"):
        jk.japan_korea(2030, snapshots=2, **{"generators.JP_solar.colour": 1.0})
    with pytest.raises(ComponentError, match="p_nom_max"):
        jk.japan_korea(2030, snapshots=2, **{"generators.JP_solar.p_nom_max": -1.0})


def test_policies_and_no_hydrogen():
    n = jk.japan_korea(
        2030,
        snapshots=2,
        hydrogen=False,
        carbon_price={"KR": 30.0},
        co2_limits={"joint": {"countries": ["JP", "KR"], "limit": 1e8}},
    )
    assert "JP_H2" not in n.buses.index
    assert n.carbon_prices == {"KR": 30.0}
    assert n.co2_limits.loc["joint", "countries"] == ("JP", "KR")


def test_bad_arguments():
    with pytest.raises(ComponentError, match="regions"):
        jk.japan_korea(2030, regions="prefectures")
    with pytest.raises(ComponentError, match="interconnector"):
        jk.japan_korea(2030, interconnector="big", snapshots=2)
    with pytest.raises(ComponentError, match="snapshots"):
        jk.japan_korea(2030, snapshots=pd.date_range("2031-01-01", periods=2, freq="h"))


def test_zero_capacity_link_gives_the_islanded_result():
    islanded = jk.japan_korea(2030, snapshots=24).optimize()
    zero = jk.japan_korea(2030, interconnector=0.0, snapshots=24).optimize()
    assert zero.objective == pytest.approx(islanded.objective, rel=1e-7)
    gen = islanded.dataset["generator_p"].sum("snapshot")
    assert zero.dataset["generator_p"].sum("snapshot").values == pytest.approx(
        gen.values, rel=1e-5, abs=1e-3
    )


def test_hydrogen_chain_options_by_hand():
    """Export price = delivered target 66.76 USD/MWh minus the chain's annualised cost
    (liquefaction + ships + terminal, USD/MW/yr) over 8,760 h."""
    a20, a30 = jk.annuity(0.05, 20), jk.annuity(0.05, 30)
    chain = 1264.47e3 * (a20 + 0.025) + 1113.73e3 * (a20 + 0.04) + 600e3 * (a30 + 0.02)
    n = jk.japan_korea(2030, snapshots=2, hydrogen_chain="separate", hydrogen_demand={"JP": 99.99})
    assert n.generators.loc["JP_lh2_import", "marginal_cost"] == pytest.approx(66.76 - chain / 8760)
    assert n.generators.loc["JP_lh2_import", "bus"] == "JP_LH2_source"
    assert n.links.loc["JP_lh2_chain", "capital_cost"] == pytest.approx(chain)
    assert n.get_series("load", "p")["JP_H2_demand"].iloc[0] == pytest.approx(99.99e6 / 8760)
    assert "JP-KR_lh2_shuttle" not in n.links.index
    shared = jk.japan_korea(2030, snapshots=2, hydrogen_chain="shared")
    assert bool(shared.links.loc["JP-KR_lh2_shuttle", "bidirectional"])
    with pytest.raises(ComponentError, match="hydrogen_chain"):
        jk.japan_korea(2030, snapshots=2, hydrogen_chain="pipeline")
