"""Ranges over weather draws: a real sweep of a two-bus model whose every case is solved by
hand, summarised by :func:`jkenergy.sweeps.ranges.ranges`, drawn by
:func:`jkenergy.plot.ranges`, printed by ``jkenergy ranges``.

The model (one hour, weight 1, so every sum is over 1 h): Japan has no load and a 1,000 MW
generator at 10 USD/MWh that emits nothing; Korea a load of ``L`` MW (the "weather" axis,
``loads.KR_load.p``), 60 MW of free solar and 300 MW of gas at 30 USD/MWh emitting
0.5 tCO2/MWh. A lossless bidirectional link JP-KR may be built at 25 USD/MW
(``links.JP-KR.p_nom_max``: 0 is the islanded baseline, 1,000 the link). A carbon price
``c`` (``carbon_price.*``: 0 or 40 USD/t) makes Korea's gas cost ``30 + 0.5 c``.

By hand: importing costs 10 + 25 = 35 USD/MWh against gas at 30 (c = 0) or 50 (c = 40).

- c = 0: gas is cheaper; no link is built, every saving and gain is 0.
- c = 40: the link replaces Korea's gas, ``x = max(L - 60, 0)`` MW; the net saving is
  (50 - 35) x. System cost (link cost split half-half): Japan pays its generator 10 x and
  half the link 12.5 x, so Japan "saves" -22.5 x, Korea 50 x - 12.5 x = 37.5 x. Welfare
  (net cost at marginal prices): Korea's price falls from 50 to 35 (the cost of one more MW
  through a bigger link); with the carbon tax a transfer, Korea's net cost is its resource
  cost 30 (L - 60) before and 35 (L - 60) after, a gain of -5 x; Japan's generator earns its
  cost and the link's rent (35 - 10) x pays exactly its cost 25 x, so Japan gains 0. The
  gains sum to the saving, 15 x, less the carbon tax no longer collected, 20 x. The link
  carries x from Japan to Korea: the net flow Korea -> Japan is -x MWh.
- L = 400: 60 + 300 MW cannot serve it without the link: the baseline is infeasible, so
  that draw is excluded (and counted) in both carbon cases.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import jkenergy as jk
from jkenergy.cli import main
from jkenergy.errors import SweepError
from jkenergy.sweeps.ranges import describe_ranges, range_table, seed_values

LOADS = [40.0, 100.0, 160.0, 220.0, 400.0]
USED = LOADS[:-1]
OVER, ALONG, CARBON = "loads.KR_load.p", "links.JP-KR.p_nom_max", "carbon_price.*"
GRID = {OVER: LOADS, CARBON: [0, 40], ALONG: [0, 1000]}
KEYS = dict(over=OVER, along=ALONG, reference=0)


def _two_bus():
    """The model of the module docstring, as a closure (pickled by value for the workers)."""

    def build() -> jk.Network:
        n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
        n.add_bus("JP", country="JP")
        n.add_bus("KR", country="KR")
        n.add_load("KR_load", bus="KR", p=100.0)
        n.add_generator("JP_gen", bus="JP", carrier="nuclear", p_nom=1000.0, marginal_cost=10.0)
        n.add_generator("KR_solar", bus="KR", carrier="solar", p_nom=60.0)
        n.add_generator("KR_gas", bus="KR", carrier="lng_ccgt", p_nom=300.0,
                        marginal_cost=30.0, co2_intensity=0.5)  # fmt: skip
        n.add_link("JP-KR", bus0="JP", bus1="KR", carrier="hvdc", bidirectional=True,
                   p_nom_extendable=True, p_nom_max=1000.0, capital_cost=25.0)  # fmt: skip
        return n

    return build


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("ranges") / "store"
    jk.sweep(_two_bus(), GRID, path, workers=1, progress=False)
    return path


def link(load: float, carbon: float) -> float:
    return max(load - 60.0, 0.0) if carbon == 40 else 0.0


def test_every_draw_by_hand(store):
    values = seed_values(store, **KEYS)
    assert values.index.names == [CARBON, OVER]
    assert values.attrs["units"]["net saving"] == "M USD per 1 h"
    assert values.attrs["resolution"] == "1 snapshots of 1 h"
    for c in (0, 40):
        got = values.loc[c].loc[USED]
        x = np.array([link(L, c) for L in USED])
        assert got["optimal"].all()
        assert got["link"].to_numpy() == pytest.approx(x, abs=1e-6)
        assert got["net saving"].to_numpy() == pytest.approx(15e-6 * x, abs=1e-12)
        assert got["system cost saving JP"].to_numpy() == pytest.approx(-22.5e-6 * x, abs=1e-12)
        assert got["system cost saving KR"].to_numpy() == pytest.approx(37.5e-6 * x, abs=1e-12)
        assert got["welfare gain JP"].to_numpy() == pytest.approx(0.0 * x, abs=1e-12)
        assert got["welfare gain KR"].to_numpy() == pytest.approx(-5e-6 * x, abs=1e-12)
        assert got["net flow KR->JP"].to_numpy() == pytest.approx(-1e-6 * x, abs=1e-12)
        assert got["carbon price KR"].tolist() == [c] * 4
        # the draw whose baseline is infeasible is kept as a row, flagged, with no numbers
        bad = values.loc[(c, 400.0)]
        assert not bad["optimal"] and np.isnan(bad["net saving"])
        assert bad["note"].startswith("baseline: infeasible")


def test_ranges_match_numpy_on_the_hand_values(store):
    table = range_table(store, **KEYS)
    x = np.array([link(L, 40) for L in USED])  # 0, 40, 100, 160 MW
    saving = 15e-6 * x
    for quantity, hand in (("link", x), ("net saving", saving), ("welfare gain KR", -5e-6 * x)):
        row = table.loc[(40, quantity)]
        assert row["mean"] == pytest.approx(hand.mean(), abs=1e-9)
        assert row["p10"] == pytest.approx(np.percentile(hand, 10), abs=1e-9)
        assert row["median"] == pytest.approx(np.median(hand), abs=1e-9)
        assert row["p90"] == pytest.approx(np.percentile(hand, 90), abs=1e-9)
        assert (row["min"], row["max"]) == pytest.approx((hand.min(), hand.max()), abs=1e-9)
    # numpy's linear percentile by hand: P10 of 0, 40, 100, 160 is at rank 0.3 -> 12 MW
    assert table.loc[(40, "link"), "p10"] == pytest.approx(12.0, abs=1e-6)
    assert table.loc[(40, "link"), "p90"] == pytest.approx(100 + 0.7 * 60, abs=1e-6)
    # draws used, excluded (L = 400: baseline infeasible) and without a link
    counts = table.xs("link", level="quantity")[["seeds", "excluded", "no_link"]]
    assert counts.loc[0].tolist() == [4, 1, 4]
    assert counts.loc[40].tolist() == [4, 1, 1]
    assert table.loc[(0, "net saving"), ["mean", "max"]].tolist() == pytest.approx([0, 0], abs=1e-9)
    assert [label[0] for label, _ in table.attrs["excluded"]] == [0, 40]
    text = describe_ranges(table)
    assert "carbon_price.*=40: 4 seeds, 1 excluded, 1 without a link" in text


def test_a_missing_case_is_excluded_and_counted(store, tmp_path, caplog):
    """A case file damaged after the sweep reads as missing: its draw is excluded with the
    reason, not dropped."""
    copy = tmp_path / "copy"
    shutil.copytree(store, copy)
    ds = jk.open_sweep(copy)
    at = {OVER: 100.0, CARBON: 40, ALONG: 1000}
    path = copy / f"case-{ds['case_id'].sel(at).item()}.nc"
    path.write_bytes(path.read_bytes()[:100])
    table = range_table(copy, **KEYS)
    assert table.loc[(40, "link"), ["seeds", "excluded"]].tolist() == [3, 2]
    hand = np.array([0.0, 100.0, 160.0])
    assert table.loc[(40, "link"), "mean"] == pytest.approx(hand.mean(), abs=1e-6)
    notes = dict(table.attrs["excluded"])
    assert notes[(40, 100.0)].startswith("case: missing")
    assert "excluded: case: missing" in caplog.text


def test_the_baseline_must_be_a_case(store):
    with pytest.raises(SweepError, match="is not a value of that axis"):
        range_table(store, over=OVER, along=ALONG, reference=5)
    with pytest.raises(SweepError, match="is not an axis of the sweep"):
        range_table(store, along=ALONG, reference=0)  # over defaults to base.seed
    with pytest.raises(SweepError, match="flow country 'CN'"):
        range_table(store, **KEYS, flow=("CN", "JP"))


def test_the_figure_shows_each_case_spread(store):
    pytest.importorskip("matplotlib")
    from jkenergy import plot

    values = seed_values(store, **KEYS)
    fig = plot.ranges(values)
    assert fig.get_suptitle() == "Over 5 weather seeds (1 snapshots of 1 h): spread per case"
    saving_ax, link_ax = fig.axes
    assert saving_ax.get_ylabel() == "net saving [M USD per 1 h]"
    assert link_ax.get_ylabel() == "link [MW]"
    assert [t.get_text() for t in link_ax.get_xticklabels()] == [
        "0\nJP 0.0, KR 0.0 USD/t\n(1 excluded)",
        "40\nJP 40.0, KR 40.0 USD/t\n(1 excluded)",
    ]
    artists = {a.get_gid(): a for a in [*link_ax.collections, *link_ax.lines] if a.get_gid()}
    for case, c in enumerate((0, 40)):
        x = np.array([link(L, c) for L in USED])  # the excluded draw is not drawn
        gid = f"ranges:link:{case}"
        (bar,) = artists[f"{gid}:p10-p90"].get_segments()
        assert sorted(bar[:, 1]) == pytest.approx([np.percentile(x, 10), np.percentile(x, 90)])
        assert np.allclose(bar[:, 0], case)
        (span,) = artists[f"{gid}:min-max"].get_segments()
        assert sorted(span[:, 1]) == pytest.approx([x.min(), x.max()])
        assert artists[f"{gid}:median"].get_ydata() == pytest.approx([np.median(x)] * 2)
        assert sorted(artists[f"{gid}:seeds"].get_ydata()) == pytest.approx(sorted(x))
    legend = [t.get_text() for t in saving_ax.get_legend().get_texts()]
    assert legend == ["min–max", "P10–P90", "median", "weather seeds"]


def test_cli_prints_the_ranges_and_writes_table_and_figure(store, tmp_path, capsys):
    csv, png = tmp_path / "ranges.csv", tmp_path / "ranges.png"
    code = main(["ranges", str(store), "--over", OVER, "--along", ALONG, "--reference", "0",
                 "--out", str(csv), "--figure", str(png)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 4  # draws were excluded (an infeasible baseline): flagged in the exit code
    assert "carbon_price.*=40: 4 seeds, 1 excluded, 1 without a link" in out
    assert "excluded" in out and "baseline: infeasible" in out
    table = pd.read_csv(csv, index_col=[0, 1])
    assert table.loc[(40, "link"), "p90"] == pytest.approx(142.0, abs=1e-6)
    assert png.stat().st_size > 0
    assert main(["ranges", str(store), "--over", OVER, "--along", ALONG, "--reference", "0",
                 "--accept-nonoptimal"]) == 0  # fmt: skip
    assert main(["ranges", str(tmp_path / "nope")]) == 2
