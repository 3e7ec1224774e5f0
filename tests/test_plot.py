"""Figures: what they draw, read back from the artists, on a hand-solvable 3-hour model."""

import numpy as np
import pandas as pd
import pytest

import jkenergy as jk

pytest.importorskip("matplotlib")
import matplotlib.pyplot as plt
from matplotlib import dates as mdates
from matplotlib.collections import PolyCollection

from jkenergy import plot

SNAPSHOTS = pd.date_range("2030-01-01", periods=3, freq="h")


def hand_model(link_mw: float = 15.0) -> jk.Network:
    """Three hours, weight 1.

    JP: load 10/20/30 MW, coal at 10/20/40 USD/MWh, a 10 MW / 10 MWh lossless battery
    (cyclic), electrolysis (efficiency 0.5) feeding a 4 MW hydrogen load at JP_H2 (whose
    import at 1000 USD/MWh is never used). KR: load 5/5/40 MW, gas at 50. One-way lossless
    link JP -> KR of ``link_mw``.

    By hand (link 15 MW): the link carries 5/5/15 (KR is dearer every hour); electrolysis
    draws 8 MW every hour; the battery charges 10 MW in hour 0 (cheapest) and gives it back
    in hour 2 (dearest). JP coal = load + exports + electrolysis + charging - discharging
    = 33/33/43; KR gas = 0/0/25.
    """
    n = jk.Network(SNAPSHOTS)
    n.add_bus("JP", country="JP")
    n.add_bus("KR", country="KR")
    n.add_bus("JP_H2", carrier="hydrogen", country="JP")
    n.add_load("JP_load", bus="JP", p=[10.0, 20.0, 30.0])
    n.add_load("KR_load", bus="KR", p=[5.0, 5.0, 40.0])
    n.add_load("JP_H2_load", bus="JP_H2", p=4.0)
    n.add_generator("JP_coal", bus="JP", carrier="coal", p_nom=100.0,
                    marginal_cost=[10.0, 20.0, 40.0])  # fmt: skip
    n.add_generator("KR_gas", bus="KR", carrier="lng_ccgt", p_nom=100.0, marginal_cost=50.0)
    n.add_generator("JP_lh2", bus="JP_H2", carrier="lh2_import", p_nom=50.0, marginal_cost=1e3)
    n.add_storage("JP_battery", bus="JP", carrier="battery", p_nom=10.0, e_nom=10.0)
    n.add_link("JP_electrolysis", bus0="JP", bus1="JP_H2", carrier="electrolysis",
               p_nom=100.0, efficiency=0.5)  # fmt: skip
    n.add_link("JP-KR", bus0="JP", bus1="KR", carrier="hvdc", p_nom=link_mw)
    return n


@pytest.fixture(scope="module")
def ds():
    return hand_model().optimize(algorithm="simplex").dataset


@pytest.fixture(scope="module")
def islanded():
    return hand_model(0.0).optimize(algorithm="simplex").dataset


def envelope(ax, x) -> tuple[np.ndarray, np.ndarray]:
    """Highest and lowest y of all filled areas at each x (the tops of the two stacks)."""
    verts = np.vstack(
        [p.vertices for c in ax.collections if isinstance(c, PolyCollection) for p in c.get_paths()]
    )
    at = [np.isclose(verts[:, 0], xi, rtol=0.0, atol=1e-6) for xi in x]
    return np.array([verts[a, 1].max() for a in at]), np.array([verts[a, 1].min() for a in at])


def test_dispatch_table_by_hand(ds):
    table = plot.dispatch_table(ds, "JP")
    assert list(table.columns) == [
        "coal", "battery charge", "battery discharge", "electrolysis", "exports"
    ]  # fmt: skip
    assert table["coal"].tolist() == pytest.approx([33.0, 33.0, 43.0])
    assert table["battery charge"].tolist() == pytest.approx([-10.0, 0.0, 0.0], abs=1e-9)
    assert table["battery discharge"].tolist() == pytest.approx([0.0, 0.0, 10.0], abs=1e-9)
    assert table["exports"].tolist() == pytest.approx([-5.0, -5.0, -15.0])
    assert table["electrolysis"].tolist() == pytest.approx([-8.0, -8.0, -8.0])
    # each row is the bus balance; the positive side is load + charging + exports + electrolysis
    assert table.sum(axis=1).tolist() == pytest.approx([10.0, 20.0, 30.0])
    assert table.clip(lower=0).sum(axis=1).tolist() == pytest.approx([33.0, 33.0, 53.0])
    kr = plot.dispatch_table(ds, "KR")
    assert list(kr.columns) == ["lng_ccgt", "imports"]
    assert kr["imports"].tolist() == pytest.approx([5.0, 5.0, 15.0])
    assert kr.sum(axis=1).tolist() == pytest.approx([5.0, 5.0, 40.0])


def test_dispatch_stacks_read_back_from_the_figure(ds):
    fig = plot.dispatch(ds, "JP")
    (ax,) = fig.axes
    x = mdates.date2num(SNAPSHOTS)
    top, bottom = envelope(ax, x)
    # positive stack = load + charging + exports + electrolysis; negative stack = the rest
    assert top == pytest.approx([10 + 10 + 5 + 8, 20 + 0 + 5 + 8, 30 + 0 + 15 + 8])
    assert bottom == pytest.approx([-(10 + 5 + 8), -(0 + 5 + 8), -(0 + 15 + 8)])
    polys = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(polys) == 5
    styles = {(tuple(c.get_facecolor()[0]), c.get_hatch()) for c in polys}
    # colour + hatch per carrier (the battery's charging and discharging share one style,
    # on opposite sides of zero): coal, battery, electrolysis, exports
    assert len(styles) == 4
    (load,) = [line for line in ax.get_lines() if line.get_label() == "load"]
    assert load.get_ydata() == pytest.approx([10.0, 20.0, 30.0])
    assert "JP" in ax.get_title() and "[MW]" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "battery discharge", "coal", "load", "battery charge", "electrolysis", "exports"
    ]  # fmt: skip
    plt.close(fig)


def test_dispatch_week_and_unknown_bus(ds):
    fig = plot.dispatch(ds, "KR", week="2030-01-01")
    assert "KR" in fig.axes[0].get_title()
    plt.close(fig)
    with pytest.raises(jk.DataError, match="no snapshots"):
        plot.dispatch(ds, "KR", week="2031-06-01")
    with pytest.raises(jk.UnknownComponentError, match="'Atlantis'"):
        plot.dispatch(ds, "Atlantis")
    with pytest.raises(jk.UnknownComponentError, match="'Atlantis'"):
        plot.dispatch_table(ds, "Atlantis")


def test_link_heatmap(ds):
    fig = plot.link_heatmap(ds, "JP-KR")
    ax, bar = fig.axes  # the heat map and its colour bar
    mesh = ax.collections[0]
    assert np.asarray(mesh.get_array()).ravel() == pytest.approx([5.0, 5.0, 15.0])
    assert mesh.norm.vmin == pytest.approx(-mesh.norm.vmax)  # centred at zero
    assert "MW" in bar.get_xlabel() and "JP → KR" in bar.get_xlabel()
    assert "[h]" in ax.get_xlabel() and "JP-KR" in ax.get_title()
    assert len(ax.patches) == 0  # no negative cells, nothing dotted
    plt.close(fig)
    flipped = ds.copy()
    flipped["link_p0"] = -ds["link_p0"]
    fig = plot.link_heatmap(flipped, "JP-KR")
    assert len(fig.axes[0].patches) == 3  # every cell flows KR -> JP: dotted
    plt.close(fig)
    with pytest.raises(jk.UnknownComponentError, match="'JP-CN'"):
        plot.link_heatmap(ds, "JP-CN")


def test_capacity_mix(ds, islanded):
    fig = plot.capacity_mix({"islanded": islanded, "linked": ds})
    (ax,) = fig.axes
    # 2 scenarios x 2 countries x 3 carriers (coal, lng_ccgt, battery); hydrogen bus left out
    assert len(ax.patches) == 12
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == [
        "LNG combined cycle", "battery", "coal"
    ]  # fmt: skip
    tops = sorted({round(p.get_y() + p.get_height(), 9) for p in ax.patches})
    assert tops[-1] == pytest.approx(0.11)  # JP: coal 100 MW + battery 10 MW, in GW
    assert "[GW]" in ax.get_ylabel() and "capacity" in ax.get_title()
    plt.close(fig)
    fig = plot.capacity_mix({"linked": ds}, country="KR")
    assert len(fig.axes[0].patches) == 3 and "KR" in fig.axes[0].get_title()
    plt.close(fig)
    with pytest.raises(jk.UnknownComponentError, match="'CN'"):
        plot.capacity_mix({"linked": ds}, country="CN")
    with pytest.raises(jk.DataError):
        plot.capacity_mix({})


def test_monthly_demand_from_dataset_and_network(ds):
    fig = plot.monthly_demand(ds)
    top, bottom = fig.axes
    # January only, covered in part: mean x 744 h. JP 20 MW (the hydrogen load left out).
    heights = [p.get_height() for p in top.patches]
    assert heights == pytest.approx([20.0 * 744 / 1e6, (50.0 / 3) * 744 / 1e6])
    peaks = [line.get_ydata()[0] for line in bottom.get_lines()]
    assert peaks == pytest.approx([0.030, 0.040])
    assert "[TWh" in top.get_ylabel() and "[GW]" in bottom.get_ylabel()
    assert [t.get_text() for t in bottom.get_xticklabels()] == ["Jan*"]
    plt.close(fig)
    same = plot.monthly_demand(hand_model())
    assert [p.get_height() for p in same.axes[0].patches] == pytest.approx(heights)
    plt.close(same)


def test_monthly_demand_frame_shows_opposite_seasons():
    hours = pd.date_range("2030-01-01", "2030-12-31 23:00", freq="h")
    summer = 100.0 + 50.0 * (hours.month == 8)
    winter = 80.0 + 40.0 * (hours.month == 1)
    fig = plot.monthly_demand(pd.DataFrame({"JP": summer, "KR": winter}, index=hours))
    top, bottom = fig.axes
    assert len(top.patches) == 24
    jp, kr = bottom.get_lines()
    assert int(np.argmax(jp.get_ydata())) == 7 and int(np.argmax(kr.get_ydata())) == 0
    assert jp.get_ydata()[7] == pytest.approx(0.150)
    assert top.patches[0].get_height() == pytest.approx(100.0 * 744 / 1e6)
    assert [t.get_text() for t in bottom.get_xticklabels()][:2] == ["Jan", "Feb"]
    assert {a.get_text() for a in bottom.texts} == {"JP peak: Aug", "KR peak: Jan"}
    plt.close(fig)


def test_price_duration(ds, islanded):
    fig = plot.price_duration(ds)
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["JP", "KR"]
    jp = lines[0]
    # step curve from 0 h: JP prices 40, 20, 10 sorted high to low over 3 weighted hours
    assert jp.get_xdata() == pytest.approx([0.0, 1.0, 2.0, 3.0])
    assert jp.get_ydata() == pytest.approx([40.0, 40.0, 20.0, 10.0])
    assert "[h]" in ax.get_xlabel() and "[USD/MWh]" in ax.get_ylabel()
    plt.close(fig)
    fig = plot.price_duration({"islanded": islanded, "linked": ds}, buses=["KR"])
    assert [line.get_label() for line in fig.axes[0].get_lines()] == [
        "islanded: KR", "linked: KR"
    ]  # fmt: skip
    plt.close(fig)
    fig = plot.price_duration(ds, carrier="hydrogen")
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["JP_H2"]
    plt.close(fig)
    with pytest.raises(jk.UnknownComponentError, match="'ammonia'"):
        plot.price_duration(ds, carrier="ammonia")
    with pytest.raises(jk.UnknownComponentError, match="'JP_H2'"):
        plot.price_duration(ds, buses=["JP_H2"])


def test_saving_writes_png(ds, tmp_path):
    fig = plot.price_duration(ds, path=tmp_path / "sub" / "prices")
    written = tmp_path / "sub" / "prices.png"
    assert written.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plt.close(fig)
    paths = plot.save_all(ds, tmp_path / "all")
    assert [p.name for p in paths] == [
        "dispatch_JP.png", "dispatch_KR.png", "link_heatmap_JP-KR.png",
        "monthly_demand.png", "price_duration.png",
    ]  # fmt: skip
    for p in paths:
        assert p.stat().st_size > 1000 and p.read_bytes()[:4] == b"\x89PNG"


def test_capacity_mix_splits_existing_and_new():
    """KR's gas, extendable from 20 MW existing at 1 USD/MW, alone meets KR's 40 MW peak
    when there is no link: 20 MW are built on top of the 20 existing."""
    n = hand_model(0.0)
    n.generators.loc["KR_gas", ["p_nom", "p_nom_extendable", "capital_cost"]] = [20.0, True, 1.0]
    ds = n.optimize(algorithm="simplex").dataset
    fig = plot.capacity_mix({"islanded": ds}, country="KR")
    (ax,) = fig.axes
    heights = sorted(round(p.get_height(), 9) for p in ax.patches if p.get_height() > 0)
    assert heights == pytest.approx([0.020, 0.020])  # 20 MW existing + 20 MW new, in GW
    new = [p for p in ax.patches if p.get_linestyle() == "--"]
    assert len(new) == 1 and new[0].get_y() == pytest.approx(0.020)  # on top of the existing
    assert "new (light, dashed outline)" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)


def test_cost_and_welfare_bars(ds, islanded):
    """Saving by hand: islanded, JP coal runs 28 MW each hour (load + electrolysis 8 +
    battery) at 10/20/40 = 1,960 USD and KR gas 50 MWh at 50 = 2,500; linked (docstring of
    hand_model) coal 33/33/43 = 2,710 and gas 25 MWh = 1,250. Saving 4,460 - 3,960 = 500 USD.
    Without a carbon price the welfare gains sum to the saving too."""
    fig = plot.cost_and_welfare({"islanded": islanded, "linked": ds}, "islanded")
    (ax,) = fig.axes
    saving, welfare = ax.containers  # two bar series: JP, KR, both
    assert [b.get_height() for b in saving][2] == pytest.approx(500e-9)
    assert sum(b.get_height() for b in list(saving)[:2]) == pytest.approx(500e-9)
    assert [b.get_height() for b in welfare][2] == pytest.approx(500e-9)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["JP", "KR", "both"]
    assert "linked against islanded" in ax.get_title() and "[bn USD]" in ax.get_ylabel()
    plt.close(fig)
    with pytest.raises(jk.DataError, match="besides the baseline"):
        plot.cost_and_welfare({"islanded": islanded}, "islanded")


def test_dispatch_of_a_representative_day_names_its_weight():
    """Two days, both represented by the first: the figure shows that day and says it stands
    for 2 of the 2 days; the scenario's name leads the title."""
    n = jk.Network(pd.date_range("2030-01-01", periods=48, freq="h"))
    n.add_bus("JP", country="JP")
    n.add_load("d", bus="JP", p=np.tile(np.arange(24.0) + 10.0, 2))
    n.add_generator("g", bus="JP", carrier="coal", p_nom=100.0, marginal_cost=1.0)
    ds = jk.aggregation.cluster_periods(n, [0, 0], period_hours=24).optimize().dataset
    fig = plot.dispatch(ds, "JP", name="demo")
    (ax,) = fig.axes
    assert ax.get_title() == (
        "demo: dispatch at JP (electricity)\nrepresentative day 2030-01-01 (weight: 2 of 2 days)"
    )
    (load,) = [line for line in ax.get_lines() if line.get_label() == "load"]
    assert load.get_ydata() == pytest.approx(np.arange(24.0) + 10.0)
    plt.close(fig)
    fig = plot.dispatch(ds, "JP", week="2030-01-02")
    assert "2030-01-02 as representative day 2030-01-01" in fig.axes[0].get_title()
    plt.close(fig)
    with pytest.raises(jk.DataError, match="outside the periods"):
        plot.dispatch(ds, "JP", week="2031-01-01")


def test_save_run_writes_the_answer_figures(ds, islanded, tmp_path):
    paths = plot.save_run({"islanded": islanded, "linked": ds}, "linked", "islanded", tmp_path)
    assert [p.name for p in paths] == [
        "dispatch_JP.png", "dispatch_KR.png", "link_heatmap_JP-KR.png", "cost_and_welfare.png",
        "capacity_mix.png", "price_duration.png",
    ]  # fmt: skip
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_carrier_names_for_readers():
    assert plot.nice("offwind") == "offshore wind"
    assert plot.nice("lng_ccgt discharge") == "LNG combined cycle discharge"
    assert plot.nice("battery_storage") == "battery storage"


def test_cost_and_welfare_draws_solver_noise_as_zero(islanded):
    """The same optimum twice, one copy's dispatch scaled by (1 + 1e-12) (solver noise):
    the table's welfare gain shows about 1e-12 of the cost, which the figure draws as 0 (at
    most NOISE = 1e-6 of the baseline's objective); a real 500 USD saving on this 4,460 USD
    system (test above) stays drawn."""
    noisy = islanded.copy(deep=True)
    noisy["generator_p"] = noisy["generator_p"] * (1 + 1e-12)
    table = jk.analysis.cooperation_table({"islanded": islanded, "same": noisy}, "islanded")
    gain = table.loc["same", "welfare gain vs islanded [USD]"]
    assert 0 < gain.abs().max() < 1e-6  # the noise is in the table (about 4e-9 USD in total)
    fig = plot.cost_and_welfare({"islanded": islanded, "same": noisy}, "islanded")
    (ax,) = fig.axes
    assert all(b.get_height() == 0.0 for c in ax.containers for b in c)
    plt.close(fig)
