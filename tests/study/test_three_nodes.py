"""Japan as three nodes (``japan_korea(regions="three")``): East 50 Hz, West 60 Hz, Kyushu.

Expected values are worked out by hand from the bundled CSV files (``nodes.csv``,
``links.csv``, ``link_changes.csv``, ``capacity.csv``, ``demand.csv`` via the A-D3 shares,
``reserve_margins.csv``), never read from the builder's output.
"""

import pandas as pd
import pytest

import jkenergy as jk
from jkenergy.errors import UnknownComponentError

# nodes.csv
EAST = ("Hokkaido", "Tohoku", "Tokyo")
WEST = ("Chubu", "Hokuriku", "Kansai", "Chugoku", "Shikoku")


@pytest.fixture(scope="module")
def three() -> jk.Network:
    return jk.japan_korea(2030, regions="three", interconnector="optimise")


def _electricity(n: jk.Network) -> list[str]:
    return list(n.buses.index[n.buses["carrier"] == "electricity"])


def test_buses_and_the_link_to_korea(three):
    assert _electricity(three) == ["East", "West", "Kyushu", "KR"]
    assert sorted(three.buses.index[three.buses["carrier"] == "hydrogen"]) == ["JP_H2", "KR_H2"]
    assert set(three.buses.loc[["East", "West", "Kyushu"], "country"]) == {"JP"}
    link = three.links.loc["JP-KR"]
    assert (link["bus0"], link["bus1"]) == ("Kyushu", "KR")  # Kyushu-Busan lands on Kyushu
    assert link["efficiency"] == pytest.approx(1 - (0.02 + 0.023 * 0.220))


def test_load_of_each_node_is_the_sum_of_its_areas(three):
    """A-D3 energy shares (%) of the national 807.016 TWh: East 3.5 + 9.4 + 32.9 = 45.8,
    West 14.9 + 3.3 + 16.1 + 6.8 + 3.1 = 44.2, Kyushu 10.0 (areas rounded to 0.001 TWh).
    All Japanese loads are scaled to 2030 by OCCTO's FY2030 over FY2023 grid demand,
    (808.6 + 5/9 (852.4 - 808.6)) / 803.579, as in the national model."""
    energy = three.get_series("load", "p").sum() / 1e6  # TWh over the full year, weight 1
    scale = (808.6 + 5 / 9 * (852.4 - 808.6)) / 803.579
    for node, share in {"East": 45.8, "West": 44.2, "Kyushu": 10.0}.items():
        assert energy[f"{node}_load"] == pytest.approx(share / 100 * 807.016 * scale, abs=0.01)
    japan = energy[["East_load", "West_load", "Kyushu_load"]].sum()
    assert japan == pytest.approx(807.016 * scale, rel=1e-6)


def test_hourly_load_equals_the_nine_areas_model():
    """The merge adds the areas' hourly loads: the same hours as the nine-area build."""
    areas = jk.japan_korea(2030, regions="areas", snapshots=48).get_series("load", "p")
    three = jk.japan_korea(2030, regions="three", snapshots=48).get_series("load", "p")
    for node, members in {"East": EAST, "West": WEST, "Kyushu": ("Kyushu",)}.items():
        expected = areas[[f"{a}_load" for a in members]].sum(axis=1)
        pd.testing.assert_series_equal(three[f"{node}_load"], expected, check_names=False)
    pd.testing.assert_series_equal(three["KR_load"], areas["KR_load"])


def test_only_the_two_binding_corridors_link_the_japanese_nodes(three):
    """links.csv + link_changes.csv, 2030. 50/60 Hz converters: Sakuma 300 + 300 (2027),
    Shin-Shinano 600, Higashi-Shimizu 300 + 600 (2027), Hida-Shinano 900 = 3,000 MW, all
    0.98 efficient (A-L4), both ways. Kanmon (Chugoku-Kyushu): 2,780 MW both ways, AC,
    lossless; its +1,000 MW counts from 2039 only."""
    grid = three.links[~three.links["carrier"].isin(["electrolysis", "h2_turbine"])]
    assert sorted(grid.index) == ["Chugoku-Kyushu_Kanmon", "East-West_fc", "JP-KR"]
    fc = grid.loc["East-West_fc"]
    assert (fc["bus0"], fc["bus1"], fc["p_nom"]) == (
        "East",
        "West",
        300 + 300 + 600 + 300 + 600 + 900,
    )
    assert fc["efficiency"] == pytest.approx(0.98)
    assert bool(fc["bidirectional"]) and not bool(fc["p_nom_extendable"])
    kanmon = grid.loc["Chugoku-Kyushu_Kanmon"]
    assert {kanmon["bus0"], kanmon["bus1"]} == {"West", "Kyushu"}
    assert (kanmon["p_nom"], kanmon["efficiency"], bool(kanmon["bidirectional"])) == (
        2780.0,
        1.0,
        True,
    )


def test_corridors_follow_the_grid_plans_by_year():
    """2025: converters 300 + 600 + 300 + 900 = 2,100 MW (before FY2027). 2040: Kanmon
    2,780 + 1,000 MW (OCCTO's subsea HVDC, in service for 2039)."""
    early = jk.japan_korea(2025, regions="three", snapshots=2).links
    assert early.loc["East-West_fc", "p_nom"] == 2100.0
    late = jk.japan_korea(2040, regions="three", snapshots=2).links
    assert late.loc["Chugoku-Kyushu_Kanmon", "p_nom"] == 3780.0


def test_fleets_are_the_sum_of_the_areas(three):
    """capacity.csv, solar (A-C1 shares of 87.0 GW): East 2,610 + 12,180 + 23,490 = 38,280;
    West 13,050 + 1,740 + 8,700 + 7,830 + 3,480 = 34,800; Kyushu 13,920 MW; Korea 36,770."""
    solar = three.generators[three.generators["carrier"] == "solar"]
    expected = {"East": 38_280.0, "West": 34_800.0, "Kyushu": 13_920.0, "KR": 36_770.0}
    assert solar.set_index("bus")["p_nom"].to_dict() == expected
    assert list(solar.index) == ["East_solar", "West_solar", "Kyushu_solar", "KR_solar"]
    # hourly availability stays a capacity factor
    pu = three.get_series("generator", "p_max_pu")[list(solar.index)]
    assert ((pu >= 0) & (pu <= 1)).all().all()


def test_one_new_build_unit_per_node_and_existing_storage_kept(three):
    """Batteries, electrolysers and hydrogen turbines (no existing capacity, alike in every
    area) once per node; pumped hydro (capacity.csv: every area but Hokuriku) per area."""
    storage = three.storage
    batteries = storage[storage["carrier"] == "battery"]
    assert batteries["bus"].to_dict() == {
        "East_battery": "East",
        "West_battery": "West",
        "Kyushu_battery": "Kyushu",
        "KR_battery": "KR",
    }
    pumped = storage.index[storage["carrier"] == "pumped_hydro"]
    areas = ("Hokkaido", "Tohoku", "Tokyo", "Chubu", "Kansai", "Chugoku", "Shikoku", "Kyushu")
    assert sorted(pumped) == sorted([f"{a}_pumped_hydro" for a in (*areas, "KR")])
    links = three.links
    for carrier, h2_end in (("electrolysis", "bus1"), ("h2_turbine", "bus0")):
        units = links[links["carrier"] == carrier]
        assert list(units.index) == [f"{n}_{carrier}" for n in ("East", "West", "Kyushu", "KR")]
        assert set(units[h2_end]) == {"JP_H2", "KR_H2"}


def test_policies_carry_over_per_country(three):
    """Reserve margins are per country, so the merge keeps them: Japan 18,679 / 15,905 - 1
    = 17.44 % (capacity-market target over H3 demand, rounded in reserve_margins.csv),
    Korea 22 %. Carbon prices likewise (both countries have one in 2030)."""
    rm = three.reserve_margins
    assert rm.loc["JP_reserve_margin", "countries"] == ("JP",)
    assert rm.loc["JP_reserve_margin", "margin"] == pytest.approx(18_679 / 15_905 - 1, abs=5e-5)
    assert rm.loc["KR_reserve_margin", "margin"] == 0.22
    assert set(three.carbon_prices) == {"JP", "KR"}
    assert three.carbon_prices["KR"] == pytest.approx(9_587 / 1_420)  # K-ETS 2024 reference


def test_overrides_name_the_merged_components():
    n = jk.japan_korea(
        2030, regions="three", snapshots=2, **{"generators.East_solar.p_nom_max": 5e4}
    )
    assert n.generators.loc["East_solar", "p_nom_max"] == 5e4
    with pytest.raises(
        UnknownComponentError, match=r"japan_korea: no generator named 'Tokyo_solar'"
    ):
        jk.japan_korea(2030, regions="three", snapshots=2, **{"generators.Tokyo_solar.p_nom": 1.0})


def test_three_nodes_solve_and_the_link_size_is_optimised():
    result = jk.japan_korea(
        2030, regions="three", interconnector="optimise", snapshots=24
    ).optimize()
    assert result.is_optimal
    flows = result.dataset["link_p0"].sel(link="East-West_fc").to_numpy()
    assert (abs(flows) <= 3000.0 + 1e-6).all()
