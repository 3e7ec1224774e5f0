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
    # candidate capex 1,523,692 USD/MW, 40 years at 5 %; fixed O&M 2.5 %/yr on the cable
    # (800,492 USD/MW) and 1.5 %/yr on the converters (723,200 USD/MW)
    fom = (0.025 * 800_492 + 0.015 * 723_200) / 1_523_692
    assert link["capital_cost"] == pytest.approx(
        jk.annualised_capital_cost(1_523_692, 0.05, 40, fom), rel=1e-5
    )
    assert bool(link["bidirectional"]) and bool(link["p_nom_extendable"])
    # 24 hours stand for the 8,760 hours of 2030
    assert n.snapshot_weightings.iloc[0] == pytest.approx(8760 / 24)


def test_fixed_interconnector_is_new_build_paid_at_capital_cost_and_none():
    link = jk.japan_korea(2030, interconnector=2000.0, snapshots=3).links.loc["JP-KR"]
    assert (link["p_nom"], link["p_nom_min"], link["p_nom_max"]) == (0.0, 2000.0, 2000.0)
    assert bool(link["p_nom_extendable"])
    fom = (0.025 * 800_492 + 0.015 * 723_200) / 1_523_692
    assert link["capital_cost"] == pytest.approx(
        jk.annualised_capital_cost(1_523_692, 0.05, 40, fom), rel=1e-5
    )
    assert "JP-KR" not in jk.japan_korea(2030, snapshots=3).links.index


def test_annual_demand_follows_plans():
    """JP 2030: the base-year energy x OCCTO's FY2030 over FY2023 grid demand, FY2030
    interpolated between FY2025 (808.6) and FY2034 (852.4 TWh). KR 2030: the base-year
    energy x (1 + 7/15 x (129.3/98.3 - 1)), the 11th Basic Plan's peaks on one basis."""
    n = jk.japan_korea(2030)
    energy = n.get_series("load", "p").sum() / 1e6  # TWh
    jp_base = 803.579 * 0.991 + 0.10 * 87.0 * 0.140 * 8.76
    kr_base = 547.9 + 0.10 * 36.77 * 0.145 * 8.76
    jp_2030 = 808.6 + 5 / 9 * (852.4 - 808.6)
    assert energy["JP_load"] == pytest.approx(jp_base * jp_2030 / 803.579, rel=1e-3)
    assert energy["KR_load"] == pytest.approx(kr_base * (1 + 7 / 15 * (129.3 / 98.3 - 1)), rel=1e-3)


def test_areas_model_has_nine_areas_and_korea():
    n = jk.japan_korea(2030, regions="areas", interconnector=1000.0, snapshots=6)
    electricity = n.buses.index[n.buses["carrier"] == "electricity"]
    assert len(electricity) == 10
    assert n.links.loc["JP-KR", "bus0"] == "Kyushu"
    # Tohoku-Tokyo in 2030: 6,050 + 6,200 MW (second line) / 2,360 MW: two one-way links
    assert n.links.loc["Tohoku-Tokyo", "p_nom"] == 12_250.0
    assert n.links.loc["Tohoku-Tokyo_reverse", "p_nom"] == 2360.0
    # the 50/60 Hz frequency converters: 2,100 MW today, 3,000 MW from FY2027
    fc = n.links[n.links["carrier"] == "fc"]
    assert fc["p_nom"].sum() == 3000.0
    today = jk.japan_korea(2025, regions="areas", snapshots=2).links
    assert today.loc[today["carrier"] == "fc", "p_nom"].sum() == 2100.0
    # Kanmon: 2,780 MW until the +1 GW HVDC is in service (by March 2039)
    assert n.links.loc["Chugoku-Kyushu_Kanmon", "p_nom"] == 2780.0


def test_nuclear_cases():
    def jp_nuclear(year=2030, **kw):
        return jk.japan_korea(year, snapshots=2, **kw).generators.loc["JP_nuclear", "p_nom"]

    # operating: 13,253 MW restarted + Kashiwazaki-Kariwa 6 (1,356, 2026), Tomari 3
    # (912, 2027), Kashiwazaki-Kariwa 7 (1,356, 2030)
    assert jp_nuclear() == pytest.approx(13_253 + 1_356 + 912 + 1_356)
    assert jp_nuclear(2025) == pytest.approx(13_253)
    assert jp_nuclear(nuclear="operable") == 33_083.0
    # policy: 21 % (midpoint of 20-22 %) of 935 TWh at the fleet's 80.5 % availability
    assert jp_nuclear(nuclear="policy") == pytest.approx(0.21 * 935e6 / (0.805 * 8760))
    areas = jk.japan_korea(2030, regions="areas", snapshots=2, nuclear="policy").generators
    jp = areas[(areas["carrier"] == "nuclear") & (areas["bus"] != "KR")]
    assert jp["p_nom"].sum() == pytest.approx(0.21 * 935e6 / (0.805 * 8760))
    # spread in proportion to the operable units: Kansai has 6,578 of 33,083 MW
    assert jp.loc["Kansai_nuclear", "p_nom"] == pytest.approx(jp["p_nom"].sum() * 6578 / 33083)
    # Korea's fleet of 2030 (Saeul 3 and 4 added) in every case
    kr = jk.japan_korea(2030, snapshots=2).generators.loc["KR_nuclear", "p_nom"]
    assert kr == 26_050 + 2 * 1_400
    with pytest.raises(ComponentError, match="nuclear"):
        jk.japan_korea(2030, snapshots=2, nuclear="phase-out")


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
    # KR replaced, JP keeps its stated 2030 price: (289 + (1,700 + 4,300)/2 x 1.03^4) / 150
    jp = (289 + (1700 + 4300) / 2 * 1.03**4) / 150
    assert n.carbon_prices == pytest.approx({"KR": 30.0, "JP": jp}, rel=1e-5)
    assert n.co2_limits.loc["joint", "countries"] == ("JP", "KR")


def test_stated_carbon_prices_are_the_default():
    n = jk.japan_korea(2030, snapshots=2)
    jp = (289 + (1700 + 4300) / 2 * 1.03**4) / 150
    assert n.carbon_prices == pytest.approx({"JP": jp, "KR": 9587 / 1420}, rel=1e-5)
    high = jk.japan_korea(2030, snapshots=2, gx_ets="high").carbon_prices["JP"]
    assert high == pytest.approx((289 + 4300 * 1.03**4) / 150, rel=1e-5)
    none = jk.japan_korea(2030, snapshots=2, carbon_price={"JP": 0.0, "KR": 0.0})
    assert none.carbon_prices == {}
    with pytest.raises(ComponentError, match="CN"):
        jk.japan_korea(2030, snapshots=2, carbon_price={"CN": 0.0})
    with pytest.raises(ComponentError, match="gx_ets"):
        jk.japan_korea(2030, snapshots=2, gx_ets="mid")


def test_lng_price_and_offshore_connection_in_the_network():
    n = jk.japan_korea(2030, snapshots=2)
    g = n.generators
    # CCGT: fuel at each country's 2024 customs average / 0.58 + VOM 6.3393 USD/MWh
    for country, usd_per_t in (("JP", 6.17e12 / 65.87e6 / 150), ("KR", 29.2e9 / 46.34e6)):
        fuel = usd_per_t / 52 / 0.29307 / 0.9 * 1.027
        expected = fuel / 0.58 + 6.3393
        assert g.loc[f"{country}_lng_ccgt", "marginal_cost"] == pytest.approx(expected, rel=1e-4)
    a30, a40 = jk.annuity(0.05, 30), jk.annuity(0.05, 40)
    turbine = 2115 * 1.13e3 * (a30 + 0.0232)  # technology-data 2,114.991 EUR/kW, FOM 2.32 %
    station, cable = 850 * 1.13e3, 4510 * 30 * 1.13
    connection = (station + cable) * a40 + 0.015 * station + 0.025 * cable
    assert g.loc["KR_offwind", "capital_cost"] == pytest.approx(turbine + connection, rel=1e-3)


def test_hydrogen_imports_of_the_same_kind_in_both_countries():
    g = jk.japan_korea(2030, snapshots=2).generators
    assert g.loc["JP_lh2_import", "marginal_cost"] == g.loc["KR_lh2_import", "marginal_cost"]
    assert g.loc["KR_lh2_import", "marginal_cost"] == pytest.approx(4.2 / 0.03333, abs=0.01)


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
    """Export price = delivered 2030 cost 126.01 USD/MWh (4.2 USD/kg) minus the chain's
    annualised cost (liquefaction + ships + terminal, USD/MW/yr) over 8,760 h."""
    a20, a30 = jk.annuity(0.05, 20), jk.annuity(0.05, 30)
    chain = 1264.47e3 * (a20 + 0.025) + 1113.73e3 * (a20 + 0.04) + 600e3 * (a30 + 0.02)
    n = jk.japan_korea(2030, snapshots=2, hydrogen_chain="separate", hydrogen_demand={"JP": 99.99})
    assert n.generators.loc["JP_lh2_import", "marginal_cost"] == pytest.approx(
        126.01 - chain / 8760
    )
    assert n.generators.loc["JP_lh2_import", "bus"] == "JP_LH2_source"
    assert n.links.loc["JP_lh2_chain", "capital_cost"] == pytest.approx(chain)
    assert n.get_series("load", "p")["JP_H2_demand"].iloc[0] == pytest.approx(99.99e6 / 8760)
    assert "JP-KR_lh2_shuttle" not in n.links.index
    shared = jk.japan_korea(2030, snapshots=2, hydrogen_chain="shared")
    assert bool(shared.links.loc["JP-KR_lh2_shuttle", "bidirectional"])
    with pytest.raises(ComponentError, match="hydrogen_chain"):
        jk.japan_korea(2030, snapshots=2, hydrogen_chain="pipeline")


def test_p_nom_override_on_a_fixed_size_link_sets_its_size():
    """``interconnector=2000`` makes the JP-KR link a new build of fixed size: p_nom 0 (none
    exists), p_nom_min = p_nom_max = 2000 MW, paid at capital cost. Overriding its
    ``p_nom`` with 1000 must give the network ``interconnector=1000`` gives (a 1000 MW
    build: p_nom 0, bounds 1000), not 1000 MW of free existing capacity under a 2000 MW
    build."""
    over = jk.japan_korea(2030, interconnector=2000, snapshots=2,
                          **{"links.JP-KR.p_nom": 1000.0})  # fmt: skip
    built = jk.japan_korea(2030, interconnector=1000, snapshots=2)
    cols = ["p_nom", "p_nom_min", "p_nom_max", "p_nom_extendable", "capital_cost"]
    assert over.links.loc["JP-KR", cols].tolist() == built.links.loc["JP-KR", cols].tolist()
    assert over.links.loc["JP-KR", ["p_nom", "p_nom_min", "p_nom_max"]].tolist() == [
        0.0, 1000.0, 1000.0,
    ]  # fmt: skip
