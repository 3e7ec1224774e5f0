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
    # Published FY2023 grid demand (OCCTO via Argus): 831.1 TWh.
    assert national.loc["JP", "annual_energy_twh"] == pytest.approx(831.1)
    assert jp_sum == pytest.approx(831.1, rel=1e-3)
    assert areas.loc["KR"].equals(national.loc["KR"])


def test_area_peaks_exceed_national_peak_by_diversity():
    areas = ds.demand("areas").loc[list(ds.JP_AREAS)]
    # Assumed diversity factor 1.03 on the 159.5 GW national summer peak: 164.285 GW.
    assert areas["summer_peak_gw"].sum() == pytest.approx(159.5 * 1.03, abs=0.05)
    assert areas["winter_peak_gw"].sum() > ds.demand().loc["JP", "winter_peak_gw"]


def test_peak_months_and_seasons():
    national = ds.demand("national")
    areas = ds.demand("areas")
    assert national.loc["JP", "peak_month"] == 8
    assert national.loc["JP", "peak_gw"] == pytest.approx(159.5)
    assert national.loc["JP", "winter_peak_gw"] < national.loc["JP", "summer_peak_gw"]
    kr = national.loc["KR"]
    assert kr["peak_month"] in (6, 7, 8, 9)
    assert kr["peak_gw"] == pytest.approx(93.6)
    # Winter record 94.5 GW vs summer 93.6 GW: within a few percent.
    assert abs(kr["winter_peak_gw"] / kr["peak_gw"] - 1) < 0.03
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
    # Kyushu-KR: 220 km x 3,220 EUR/MW/km + 640 EUR/kW converter pair, 40 yr, FOM 1 %.
    capex = (220 * 3220 + 640 * 1000) * 1.13
    expected_link = capex * (0.05 / (1 - 1.05**-40) + 0.01)
    assert ds.capital_cost("Kyushu-KR_HVDC") == pytest.approx(expected_link, rel=1e-6)


def test_capital_cost_unknown_name():
    with pytest.raises(DataError, match="unobtainium"):
        ds.capital_cost("unobtainium")


def test_fuel_prices_converted_by_hand():
    fuels = ds.fuels()
    lng = (14.70 + 16.90) / 2 / 0.29307 * 1.057  # USD/MMBtu -> USD2025/MWh_th
    coal = (255.4 + 161.3 + 146.9 + 135.0) / 4 / (6000 * 4.1868 / 3600) * 1.057
    assert fuels.loc["gas", "price_usd_per_mwh_th"] == pytest.approx(lng, rel=1e-4)
    assert fuels.loc["coal", "price_usd_per_mwh_th"] == pytest.approx(coal, rel=1e-4)


def test_hydrogen_import_price_converted_by_hand():
    # 30 JPY/Nm3 at 150 JPY/USD; 0.08988 kg/Nm3; 33.33 kWh/kg.
    price = 30 / 150 / (0.08988 * 0.03333)
    row = ds.hydrogen_imports().loc[("JP", 2030)]
    assert row["price_usd_per_mwh_h2"] == pytest.approx(price, abs=0.01)
    assert row["annual_limit_twh_h2"] == pytest.approx(3e6 * 33.33 / 1e6, abs=0.01)


def test_plans_hold_scenario_figures():
    plans = ds.plans()["value"]
    assert plans.loc[("JP", "OCCTO demand forecast (2021)", 2030, "grid_demand")] == 818.0
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
