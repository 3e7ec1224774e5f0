"""Tests of the bundled Japan–Korea data set (jkenergy.study.datasets).

Expected values are worked out by hand from the published figures in SOURCES.md, never
copied from the loaders' output.
"""

from __future__ import annotations

import re
from importlib import resources

import pandas as pd
import pytest

from jkenergy.errors import DataError
from jkenergy.study import datasets as ds

DATA = resources.files("jkenergy.study") / "data"
LOADERS = {
    "demand": ds.demand,
    "capacity": ds.capacity,
    "links": ds.links,
    "technologies": ds.technologies,
    "fuels": ds.fuels,
    "economics": ds.economics,
    "hydrogen_imports": ds.hydrogen_imports,
    "plans": ds.plans,
    "potentials": ds.potentials,
    "regions": ds.regions,
    "nodes": ds.nodes,
    "fleet_changes": ds.fleet_changes,
    "link_changes": ds.link_changes,
    "capacity_credits": ds.capacity_credits,
    "carbon_prices": lambda: ds._bundled("carbon_prices"),
    "reserve_margins": lambda: ds._bundled("reserve_margins"),
}


def _sources_md() -> str:
    return (DATA / "SOURCES.md").read_text(encoding="utf-8")


def _documented_columns() -> dict[str, set[str]]:
    """Map each ``## `file.csv` `` section of SOURCES.md to the columns its table lists."""
    sections = re.split(r"^## ", _sources_md(), flags=re.M)
    out: dict[str, set[str]] = {}
    for section in sections:
        title = re.match(r"`([\w]+\.csv)`", section)
        if title:
            out[title.group(1)] = set(re.findall(r"^\| `(\w+)` \|", section, flags=re.M))
    return out


def _defined_source_keys() -> set[str]:
    text = _sources_md()
    keys = set()
    for heading in ("References", "Assumptions", "Unit conversions"):
        body = re.split(r"^## ", text.split(f"## {heading}\n", 1)[1], flags=re.M)[0]
        keys |= set(re.findall(r"^\| `([A-Z0-9*-]+)` \|", body, flags=re.M))
    return keys


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_each_table_loads(name):
    table = LOADERS[name]()
    assert isinstance(table, pd.DataFrame)
    assert len(table) > 0


def test_every_csv_is_a_table_with_a_loader():
    csvs = {p.name for p in DATA.iterdir() if p.name.endswith(".csv")}
    assert csvs == {f"{name}.csv" for name in LOADERS} == {f"{n}.csv" for n in ds.SCHEMAS}


def test_every_csv_column_is_documented_in_sources():
    documented = _documented_columns()
    for path in DATA.iterdir():
        if not path.name.endswith(".csv"):
            continue
        with resources.as_file(path) as p:
            columns = pd.read_csv(p, nrows=0).columns
        missing = set(columns) - documented.get(path.name, set())
        assert not missing, f"{path.name}: columns without a SOURCES.md entry: {missing}"


def test_every_source_key_is_defined_in_sources():
    defined = _defined_source_keys()
    for path in DATA.iterdir():
        if not path.name.endswith(".csv"):
            continue
        with resources.as_file(path) as p:
            used = pd.read_csv(p, dtype=str)["source"].str.split(";").explode()
        unknown = set(used) - defined
        assert not unknown, f"{path.name}: source keys not defined in SOURCES.md: {unknown}"


def test_area_energies_sum_to_national_japan():
    areas = ds.demand("areas")
    national = ds.demand("national")
    assert list(areas.index) == [*ds.JP_AREAS, "KR"]
    assert "Okinawa" not in areas.index
    jp_sum = areas.loc[list(ds.JP_AREAS), "annual_energy_twh"].sum()
    # FY2023 actual grid demand (OCCTO 2025 outlook): 803.579 TWh for 10 areas, less
    # Okinawa's 0.9 %, plus 10 % of the output of 87 GW of solar at 14 % behind the meter.
    jp = 803.579 * 0.991 + 0.10 * 87.0 * 0.140 * 8.76
    assert national.loc["JP", "annual_energy_twh"] == pytest.approx(jp, abs=1e-3)
    assert jp_sum == pytest.approx(jp, rel=1e-6)
    assert areas.loc["KR"].equals(national.loc["KR"])


def test_korean_demand_is_on_the_total_demand_basis():
    kr = ds.demand().loc["KR"]
    # 547.9 TWh of sales (PPA solar included) + 10 % of 36.77 GW of solar at 14.5 %.
    assert kr["annual_energy_twh"] == pytest.approx(547.9 + 0.1 * 36.77 * 0.145 * 8.76, abs=1e-3)
    # KPX estimate of total demand incl. PPA and behind-the-meter solar, 7 Aug 2023.
    assert kr["peak_gw"] == pytest.approx(100.571, abs=0.01)


def test_area_peaks_exceed_national_peak_by_diversity():
    areas = ds.demand("areas").loc[list(ds.JP_AREAS)]
    # FY2024 forecast 158.568 GW = FY2023 actual + 0.8 %; 9 areas = 0.991 x 10 areas;
    # assumed diversity factor 1.03.
    national = 158.568 / 1.008 * 0.991
    assert areas["summer_peak_gw"].sum() == pytest.approx(national * 1.03, abs=0.05)
    assert areas["winter_peak_gw"].sum() > ds.demand().loc["JP", "winter_peak_gw"]


def test_peak_months_and_seasons():
    national = ds.demand("national")
    areas = ds.demand("areas")
    assert national.loc["JP", "peak_month"] == 8
    assert national.loc["JP", "peak_gw"] == pytest.approx(158.568 / 1.008 * 0.991, abs=0.01)
    assert national.loc["JP", "winter_peak_gw"] < national.loc["JP", "summer_peak_gw"]
    kr = national.loc["KR"]
    assert kr["peak_month"] in (6, 7, 8, 9)
    # Winter (92.66 GW, assumed, market basis) below the total-demand summer peak.
    assert kr["winter_peak_gw"] < kr["peak_gw"]
    for area in ("Hokkaido", "Tohoku"):
        assert areas.loc[area, "peak_month"] in (12, 1, 2)
        assert areas.loc[area, "winter_peak_gw"] > areas.loc[area, "summer_peak_gw"]
    for area in ("Tokyo", "Kansai", "Kyushu"):
        assert areas.loc[area, "peak_month"] == 8


def test_demand_rejects_unknown_resolution():
    with pytest.raises(ValueError, match="regions"):
        ds.demand("prefectures")


def test_capacity_nuclear_operable_and_operating_match_jaif():
    national = ds.capacity("national")
    # JAIF FY2024: 33 operable units 33.08 GW; 14 restarted units 13.25 GW.
    assert national.loc[("JP", "nuclear"), "p_nom_mw"] == pytest.approx(33_080, abs=10)
    assert national.loc[("JP", "nuclear"), "p_nom_operating_mw"] == pytest.approx(13_250, abs=10)
    # Andritz: 49.05 GW of hydro of which 27.47 GW pumped storage.
    assert national.loc[("JP", "pumped_hydro"), "p_nom_mw"] == 27_470
    assert national.loc[("JP", "hydro"), "p_nom_mw"] == 49_050 - 27_470
    assert national.loc[("JP", "solar"), "p_nom_mw"] == 87_000
    wind = national.loc[("JP", "onwind"), "p_nom_mw"] + national.loc[("JP", "offwind"), "p_nom_mw"]
    assert wind == 5_170
    areas = ds.capacity("areas")
    assert set(areas.index.get_level_values("region")) == set(ds.NODES)
    storage = areas[areas.index.get_level_values("technology").isin(ds.STORAGE_TECHNOLOGIES)]
    assert storage["e_nom_mwh"].notna().all()


def test_japan_thermal_fleet_is_the_supply_plan_projection():
    national = ds.capacity("national")["p_nom_mw"]
    # OCCTO FY2016 supply plan, FY2025 projection: coal 5,060, LNG 7,709, oil 3,005 万kW.
    assert national[("JP", "coal")] == 50_600
    assert national[("JP", "lng_ccgt")] == 77_090
    assert national[("JP", "oil")] == 30_050


def test_fleets_of_2030_by_hand():
    cap = ds.capacity("national", year=2030)
    mw = cap["p_nom_mw"]
    # Korea: 18 coal units (9.1 GW) retired and converted to LNG by 2030; Saeul 3 and 4.
    assert mw[("KR", "coal")] == pytest.approx(40_265 - 9_100)
    assert mw[("KR", "lng_ccgt")] == pytest.approx(46_389 + 9_100)
    assert mw[("KR", "nuclear")] == pytest.approx(26_050 + 2 * 1_400)
    # Shin-Hanul 3 and 4 only from 2032 and 2033.
    later = ds.capacity("national", year=2033)["p_nom_mw"]
    assert later[("KR", "nuclear")] == pytest.approx(26_050 + 4 * 1_400)
    # Japan: inefficient utility coal 16.1 -> 9 GW; oil -1.9 GW (supply-plan trend).
    assert mw[("JP", "coal")] == pytest.approx(50_600 - 7_100)
    assert mw[("JP", "oil")] == pytest.approx(30_050 - 1_900)
    # Nuclear restarts: Kashiwazaki-Kariwa 6 (2026) and 7 (2030), Tomari 3 (2027).
    operating = cap["p_nom_operating_mw"]
    assert operating[("JP", "nuclear")] == pytest.approx(13_253 + 1_356 + 912 + 1_356)
    assert mw[("JP", "nuclear")] == 33_083
    assert ds.capacity("national", year=2026)["p_nom_operating_mw"][
        ("JP", "nuclear")
    ] == pytest.approx(13_253 + 1_356)
    # A national change is split pro rata: Kyushu has 15 % of Japan's coal (A-C1).
    areas = ds.capacity("areas", year=2030)["p_nom_mw"]
    assert areas[("Kyushu", "coal")] == pytest.approx(7_590 - 7_100 * 7_590 / 50_600)
    assert ds.capacity("areas", year=2030)["p_nom_mw"].groupby(lambda r: r[0] in ds.JP_AREAS).sum()[
        True
    ] == pytest.approx(mw[mw.index.get_level_values("region") == "JP"].sum())


def test_fleet_change_that_would_go_negative_is_refused(monkeypatch):
    changes = ds.fleet_changes().copy()
    retirement = "Korea coal retirements 2023-2030 (18 units)"
    changes.loc[retirement, ["p_nom_change_mw", "p_nom_operating_change_mw"]] = -50_000
    monkeypatch.setattr(ds, "fleet_changes", lambda: changes)
    with pytest.raises(DataError, match="negative coal"):
        ds.capacity("national", year=2030)


def test_grid_plans_by_year():
    now, y2030, y2039 = ds.links(), ds.links(2030), ds.links(2039)
    fc = lambda t: t.loc[t["kind"] == "fc", "p_nom_forward_mw"].sum()  # noqa: E731
    # Frequency converters 2,100 MW -> 3,000 MW from FY2027 (Sakuma 600, Higashi-Shimizu 900).
    assert (fc(now), fc(ds.links(2026)), fc(y2030)) == (2100, 2100, 3000)
    # Tohoku -> Tokyo: +6,200 MW with the second line (5,000 -> 11,200 MW operating).
    assert y2030.loc["Tohoku-Tokyo", "p_nom_forward_mw"] == 6050 + 6200
    assert y2030.loc["Tohoku-Tokyo", "p_nom_backward_mw"] == 2360
    # Kanmon +1 GW only when the HVDC is in service (by March 2039).
    assert y2030.loc["Chugoku-Kyushu_Kanmon", "p_nom_forward_mw"] == 2780
    assert y2039.loc["Chugoku-Kyushu_Kanmon", "p_nom_forward_mw"] == 3780
    hokkaido = y2030.loc[y2030["bus0"] == "Hokkaido", "p_nom_forward_mw"].sum()
    assert hokkaido == 1200


def test_link_change_of_an_unknown_link_is_refused():
    table = ds.load_csv(DATA / "link_changes.csv", ds.SCHEMAS["link_changes"])
    table.loc[0, "link"] = "Tokyo-Osaka"
    with pytest.raises(DataError, match=r"not a link of links\.csv"):
        ds._check_link_changes(table)


def test_carbon_prices_of_2030_by_hand():
    # GX-ETS FY2026 floor 1,700 and ceiling 4,300 JPY/t, +3 %/yr to FY2030; carbon tax
    # 289 JPY/t; K-ETS 2025 reference price (mean of 2023-24 trades) 9,587 KRW/t.
    low, high = 1700 * 1.03**4, 4300 * 1.03**4
    p = ds.carbon_prices(2030)
    assert p["JP"] == pytest.approx((289 + (low + high) / 2) / 150, rel=1e-5)
    assert p["KR"] == pytest.approx(9587 / 1420)
    assert ds.carbon_prices(2030, "low")["JP"] == pytest.approx((289 + low) / 150, rel=1e-5)
    assert ds.carbon_prices(2030, "high")["JP"] == pytest.approx((289 + high) / 150, rel=1e-5)
    # Before the GX-ETS: the carbon tax only; later years hold the last published price.
    assert ds.carbon_prices(2025)["JP"] == pytest.approx(289 / 150)
    assert ds.carbon_prices(2040) == ds.carbon_prices(2030)
    assert ds.carbon_prices(2023)["KR"] == pytest.approx(11_500 / 1420)
    with pytest.raises(ValueError, match="gx_ets"):
        ds.carbon_prices(2030, "mid")


def test_reserve_margins_and_capacity_credits():
    margins = ds.reserve_margins(2030)
    # Japan: capacity-market target 18,679 over H3 demand 15,905 万kW; Korea: 22 %.
    assert margins["JP"] == pytest.approx(18_679 / 15_905 - 1, abs=1e-4)
    assert margins["KR"] == pytest.approx(157.8 / 129.3 - 1, abs=1e-3)
    credits = ds.capacity_credits()["capacity_credit"]
    assert ((credits > 0) & (credits <= 1)).all()
    assert set(credits.index.get_level_values("technology")) == {
        "solar",
        "onwind",
        "offwind",
        "battery",
    }


def test_tokyo_chubu_frequency_converters():
    links = ds.links()
    fc = links[(links["kind"] == "fc")]
    assert set(zip(fc["bus0"], fc["bus1"], strict=True)) == {("Tokyo", "Chubu")}
    # Sakuma 300 + Shin-Shinano 600 + Higashi-Shimizu 300 + Hida-Shinano 900 MW.
    assert fc["p_nom_forward_mw"].sum() == 300 + 600 + 300 + 900


def test_kyushu_korea_hvdc_efficiency_follows_loss_rule():
    link = ds.links().loc["Kyushu-KR_HVDC"]
    assert (link["bus0"], link["bus1"], link["status"]) == ("Kyushu", "KR", "candidate")
    assert link["length_km"] == 220
    expected = 1 - (0.02 + 0.023 * 220 / 1000)  # 0.97494
    assert link["efficiency"] == pytest.approx(expected, abs=1e-9)
    assert ds.hvdc_efficiency(220.0) == pytest.approx(expected)


def test_existing_hvdc_links_follow_loss_rule():
    links = ds.links()
    kii = links.loc["Kansai-Shikoku_Kii"]
    assert kii["efficiency"] == pytest.approx(1 - (0.02 + 0.023 * 100 / 1000))


def test_annualised_cost_of_electrolysis_by_hand():
    # Published 1,886 EUR2025/kW_e, 4 %/yr FOM, 25 yr; 1.13 USD/EUR; 5 % discount rate.
    capex_usd_per_mw = 1886 * 1.13 * 1000
    annuity = 0.05 / (1 - 1.05**-25)
    expected = capex_usd_per_mw * (annuity + 0.04)
    assert ds.capital_cost("electrolysis") == pytest.approx(expected, rel=1e-6)


def test_annualised_cost_of_storage_energy_and_link_by_hand():
    # Steel tank incl. compressor: 60.05 EUR/kWh, FOM 2 %, 30 yr -> USD/MWh/yr.
    expected_tank = 60.05 * 1.13 * 1000 * (0.05 / (1 - 1.05**-30) + 0.02)
    assert ds.capital_cost("hydrogen_storage_tank") == pytest.approx(expected_tank, rel=1e-6)
    # Kyushu-KR: 220 km x 3,220 EUR/MW/km (FOM 2.5 %) + 640 EUR/kW converter pair
    # (FOM 1.5 %), 40 yr.
    cable, converters = 220 * 3220 * 1.13, 640 * 1000 * 1.13
    fom = 0.025 * cable + 0.015 * converters
    expected_link = (cable + converters) * 0.05 / (1 - 1.05**-40) + fom
    assert ds.capital_cost("Kyushu-KR_HVDC") == pytest.approx(expected_link, rel=1e-5)


def test_offshore_wind_connection_by_hand():
    # AC substations 850 EUR/kW (FOM 1.5 %) + 30 km of AC subsea cable at 4,510 EUR/MW/km
    # (FOM 2.5 %), 40 yr, x 1.13 USD/EUR.
    station, cable = 850 * 1.13e3, 4510 * 30 * 1.13
    expected = (station + cable) * 0.05 / (1 - 1.05**-40) + 0.015 * station + 0.025 * cable
    assert ds.capital_cost("offwind_connection") == pytest.approx(expected, rel=1e-5)


def test_capital_cost_unknown_name():
    with pytest.raises(DataError, match="unobtainium"):
        ds.capital_cost("unobtainium")


def test_fuel_prices_converted_by_hand():
    fuels = ds.fuels()["price_usd_per_mwh_th"]

    def lng(usd_per_t):  # 52 MMBtu/t (HHV), LHV = 0.9 HHV, USD2024 -> USD2025 x 1.027
        return usd_per_t / 52 / 0.29307 / 0.9 * 1.027

    # Customs averages: Japan FY2024 65.87 Mt for 6.17 trn JPY; Korea 2024 46.34 Mt for
    # 29.2 bn USD.
    assert fuels[("gas", "JP")] == pytest.approx(lng(6.17e12 / 65.87e6 / 150), rel=1e-4)
    assert fuels[("gas", "KR")] == pytest.approx(lng(29.2e9 / 46.34e6), rel=1e-4)
    coal = (255.4 + 161.3 + 146.9 + 135.0) / 4 / (6000 * 4.1868 / 3600) * 1.057
    assert fuels[("coal", "JP")] == pytest.approx(coal, rel=1e-4)


def test_hydrogen_import_price_converted_by_hand():
    imports = ds.hydrogen_imports()
    # 2030, both countries: Australian production 1.7 USD/kg + shipping 2-3 USD/kg
    # (Hydrogen Council), midpoint 4.2 USD/kg at 33.33 kWh/kg.
    for country in ("JP", "KR"):
        row = imports.loc[(country, 2030)]
        assert row["kind"] == "cost_estimate"
        assert row["price_usd_per_mwh_h2"] == pytest.approx(4.2 / 0.03333, abs=0.01)
    assert imports.loc[("JP", 2030), "annual_limit_twh_h2"] == pytest.approx(3 * 33.33, abs=0.01)
    assert imports.loc[("KR", 2030), "annual_limit_twh_h2"] == pytest.approx(1.94 * 33.33, abs=0.01)
    # 2040: both policy targets; Japan 25 JPY/Nm3 at 150 JPY/USD, 0.08988 kg/Nm3.
    assert (imports.xs(2040, level="year")["kind"] == "policy_target").all()
    price = 25 / 150 / (0.08988 * 0.03333)
    assert imports.loc[("JP", 2040), "price_usd_per_mwh_h2"] == pytest.approx(price, abs=0.01)


def test_plans_hold_scenario_figures():
    plans = ds.plans()["value"]
    assert plans.loc[("JP", "OCCTO demand outlook (2025)", 2034, "grid_demand")] == 852.4
    kr_mix = plans.xs(("KR", "10th Basic Plan (2023)", 2030), level=[0, 1, 2])
    assert kr_mix.sum() == pytest.approx(0.324 + 0.197 + 0.229 + 0.216 + 0.021)


def test_describe_returns_and_prints(capsys):
    text = ds.describe()
    assert "base year 2023" in text and "Kyushu-KR_HVDC" in text
    assert ds.describe(print_=True) == text
    assert capsys.readouterr().out.strip() == text.strip()


SCHEMA = {
    "name": ds.Column("str", key=True),
    "p": ds.Column("float"),
    "kind": ds.Column("str", allowed=("a", "b")),
}


def _write(tmp_path, text: str):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    return path


def test_load_csv_reads_a_good_file(tmp_path):
    table = ds.load_csv(_write(tmp_path, "name,p,kind\nx,1.5,a\ny,2,b\n"), SCHEMA)
    assert table["p"].tolist() == [1.5, 2.0]


@pytest.mark.parametrize(
    ("text", "column", "row"),
    [
        ("name,p,kind\nx,1.5,a\ny,abc,b\n", "p", 1),  # not a number
        ("name,p,kind\nx,1.5,a\ny,,b\n", "p", 1),  # NaN where not allowed
        ("name,p,kind\nx,-1,a\n", "p", 0),  # negative
        ("name,p,kind\nx,1,a\ny,2,c\n", "kind", 1),  # not an allowed value
        ("name,p,kind\nx,1,a\nx,2,b\n", "name", 1),  # duplicate key
    ],
)
def test_load_csv_names_file_column_and_row(tmp_path, text, column, row):
    with pytest.raises(DataError) as err:
        ds.load_csv(_write(tmp_path, text), SCHEMA)
    message = str(err.value)
    assert "bad.csv" in message
    assert f"column '{column}'" in message
    assert f"row {row}" in message


def test_load_csv_missing_and_extra_columns(tmp_path):
    with pytest.raises(DataError, match=r"missing column.*'kind'"):
        ds.load_csv(_write(tmp_path, "name,p\nx,1\n"), SCHEMA)
    with pytest.raises(DataError, match=r"unexpected column.*'colour'"):
        ds.load_csv(_write(tmp_path, "name,p,kind,colour\nx,1,a,red\n"), SCHEMA)


def test_bundled_checks_reject_inconsistent_links():
    table = ds.load_csv(DATA / "links.csv", ds.SCHEMAS["links"])
    table.loc[table["name"] == "Kyushu-KR_HVDC", "efficiency"] = 0.99
    with pytest.raises(DataError, match=re.escape("links.csv: column 'efficiency'")):
        ds._check_links(table)
