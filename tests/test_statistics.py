"""Statistics by component x country x carrier, existing capacity, provenance attributes and
the attribute table, against values worked out by hand."""

import subprocess
import sys

import pandas as pd
import pytest

import jkenergy as jk
from jkenergy import analysis
from jkenergy.results import provenance


def tiny() -> jk.Network:
    """Two hours, weight 1.

    JP: load 2 / 30 MW; solar 20 MW with 20 / 10 MW available; coal at 10 USD/MWh with 30 MW
    existing, extendable at 1 USD/MW. KR: load 20 MW, gas at 50 USD/MWh (0.5 tCO2/MWh). A
    15 MW one-way link JP -> KR, lossless.

    By hand: the link is full both hours (KR's gas is dearer than anything in JP).
    Hour 0: JP needs 2 + 15 = 17 MW, solar gives 17 (3 MW curtailed) and sets JP's price, 0.
    Hour 1: JP needs 30 + 15 = 45 MW: solar 10, coal 35, so 5 MW of coal are built; the
    coal that is built for this hour alone sets JP's price at 10 + 1 = 11 USD/MWh.
    KR: gas 5 MW both hours at 50 USD/MWh.
    """
    n = jk.Network(pd.date_range("2030-01-01", periods=2, freq="h"))
    n.add_bus("JP", country="JP")
    n.add_bus("KR", country="KR")
    n.add_load("JP_load", bus="JP", p=[2.0, 30.0])
    n.add_load("KR_load", bus="KR", p=20.0)
    n.add_generator("JP_solar", bus="JP", carrier="solar", p_nom=20.0, p_max_pu=[1.0, 0.5])
    n.add_generator("JP_coal", bus="JP", carrier="coal", p_nom=30.0, p_nom_extendable=True,
                    capital_cost=1.0, marginal_cost=10.0, co2_intensity=1.0)  # fmt: skip
    n.add_generator("KR_gas", bus="KR", carrier="lng", p_nom=50.0, marginal_cost=50.0,
                    co2_intensity=0.5)  # fmt: skip
    n.add_link("JP-KR", bus0="JP", bus1="KR", carrier="DC", p_nom=15.0)
    return n


@pytest.fixture(scope="module")
def result():
    return tiny().optimize(algorithm="simplex")


def test_statistics_by_hand(result):
    s = analysis.statistics(result.dataset)
    assert s.attrs["status"] == "ok"
    solar = s.loc[("generator", "JP", "solar")]
    assert solar["energy [MWh]"] == pytest.approx(27.0)
    assert solar["curtailment [MWh]"] == pytest.approx(3.0)
    assert solar["capacity factor [-]"] == pytest.approx(27.0 / 40.0)
    assert solar["revenue [USD]"] == pytest.approx(17 * 0.0 + 10 * 11.0)
    coal = s.loc[("generator", "JP", "coal")]
    assert coal[["capacity [MW]", "existing capacity [MW]", "new capacity [MW]"]].tolist() == (
        pytest.approx([35.0, 30.0, 5.0])
    )
    assert coal["capital cost [USD]"] == pytest.approx(5.0)
    assert coal["operating cost [USD]"] == pytest.approx(350.0)
    assert coal["revenue [USD]"] == pytest.approx(35 * 11.0)
    assert coal["emissions [tCO2]"] == pytest.approx(35.0)
    assert coal["curtailment [MWh]"] == 0.0  # not renewable: spare capacity is not curtailment
    gas = s.loc[("generator", "KR", "lng")]
    assert gas[["energy [MWh]", "capacity factor [-]", "revenue [USD]"]].tolist() == (
        pytest.approx([10.0, 0.1, 500.0])
    )
    assert gas["emissions [tCO2]"] == pytest.approx(5.0)
    link = s.loc[("link", "JP-KR", "DC")]
    assert link["energy [MWh]"] == pytest.approx(30.0)
    assert link["capacity factor [-]"] == pytest.approx(1.0)
    assert link["revenue [USD]"] == pytest.approx(15 * (50 - 0) + 15 * (50 - 11))
    assert link["new capacity [MW]"] == 0.0
    # the costs sum to the objective
    costs = ["capital cost [USD]", "operating cost [USD]", "carbon cost [USD]"]
    assert s[costs].to_numpy().sum() == pytest.approx(result.objective)
    assert list(s.attrs["units"].values())[:2] == ["MW", "MW"]


def test_statistics_by_bus_and_from_the_result(result):
    by_bus = result.statistics(by="bus")
    assert by_bus.index.names == ["component", "bus", "carrier"]
    assert by_bus.loc[("generator", "KR", "lng"), "energy [MWh]"] == pytest.approx(10.0)
    with pytest.raises(ValueError, match="by must be"):
        result.statistics(by="planet")


def test_existing_capacity_in_the_result(result, tmp_path):
    ds = result.dataset
    assert ds["generator_p_nom_existing"].sel(generator="JP_coal").item() == 30.0
    assert ds["generator_p_nom_opt"].sel(generator="JP_coal").item() == pytest.approx(35.0)
    assert ds["link_p_nom_existing"].sel(link="JP-KR").item() == 15.0
    assert ds["generator_p_nom_existing"].attrs["units"] == "MW"
    assert "storage_p_nom_existing" in ds


def test_provenance_attributes_survive_netcdf(result, tmp_path):
    result.to_netcdf(tmp_path / "r.nc")
    info = provenance(jk.open_results(tmp_path / "r.nc").dataset)
    assert info["jkenergy version"] == jk.__version__
    assert info["time resolution"] == "2 snapshots of 1 h standing for 2 h"
    assert info["solver"].startswith("HiGHS ")
    assert (info["status"], info["termination condition"]) == ("ok", "optimal")


def test_time_resolution_of_representative_periods():
    """Four hours in two 2-hour periods, both represented by the first."""
    n = jk.Network(pd.date_range("2030", periods=4, freq="h"))
    n.add_bus("JP")
    n.add_load("d", bus="JP", p=[1.0, 2.0, 1.0, 2.0])
    n.add_generator("g", bus="JP", p_nom=5.0)
    ds = jk.aggregation.cluster_periods(n, [0, 0], period_hours=2).optimize().dataset
    assert ds.attrs["time_representative_periods"] == 1
    assert ds.attrs["time_periods"] == 2
    assert ds.attrs["time_hours"] == 4.0
    assert ds.attrs["time_resolution"] == (
        "1 representative periods of 2 h standing for 2 periods (4 h; storage linked across "
        "periods)"
    )


def test_attribute_table_is_a_frame_with_a_markdown_view():
    table = jk.attribute_table()
    assert table.loc[("link", "efficiency"), "unit"] == "p.u."
    assert table.loc[("load", "p"), "required"]
    assert pd.isna(table.loc[("storage", "max_hours"), "default"])
    md = jk.attribute_table(format="markdown").splitlines()
    assert md[0] == "| component | attribute | unit | default | description |"
    assert len(md) == 2 + len(table)
    with pytest.raises(ValueError, match="'frame' or 'markdown'"):
        jk.attribute_table(format="html")


def test_import_is_lazy_for_plot_sweeps_and_pypsa():
    code = (
        "import sys, jkenergy as jk\n"
        "heavy = ('matplotlib', 'dask', 'pypsa', 'jkenergy.plot', 'jkenergy.sweeps')\n"
        "print([m for m in heavy if m in sys.modules])\n"
        "jk.plot; jk.sweep\n"
        "print(sorted(m for m in ('matplotlib', 'jkenergy.plot', 'jkenergy.sweeps') "
        "if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = out.stdout.splitlines()
    assert before == "[]"
    assert after == "['jkenergy.plot', 'jkenergy.sweeps', 'matplotlib']"
    with pytest.raises(AttributeError, match="no attribute 'plotting'"):
        jk.plotting  # noqa: B018
