"""Resampling and representative days: conservation, exactness, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jkenergy as jk
from jkenergy.aggregation import representative_days, resample

REL = 1e-7


def _daily_network(days: list[str], weights: float = 1.0) -> jk.Network:
    """One bus, hourly, one day pattern per letter: A sunny, B windy, C peak demand.

    Solar, wind and gas are extendable, plus a battery and a hydrogen store (so storage
    within and across days matters)."""
    hour = np.arange(24)
    sun = np.clip(np.sin(np.pi * (hour - 6) / 12), 0, None)
    patterns = {
        "A": (100 + 20 * np.sin(np.pi * hour / 24), sun, np.full(24, 0.2)),
        "B": (110 + 10 * np.cos(np.pi * hour / 12), 0.3 * sun, np.full(24, 0.7)),
        "C": (160 + 30 * np.sin(np.pi * hour / 24), 0.5 * sun, np.full(24, 0.05)),
    }
    load = np.concatenate([patterns[d][0] for d in days])
    solar = np.concatenate([patterns[d][1] for d in days])
    wind = np.concatenate([patterns[d][2] for d in days])
    snapshots = pd.date_range("2030-01-01", periods=24 * len(days), freq="h")
    n = jk.Network(snapshots, weights=weights)
    n.add_bus("el", country="JP")
    n.add_bus("h2", carrier="hydrogen", country="JP")
    n.add_load("load", "el", p=load)
    n.add_generator("pv", "el", carrier="solar", p_nom_extendable=True, capital_cost=40.0,
                    p_max_pu=solar)  # fmt: skip
    n.add_generator("wind", "el", carrier="onwind", p_nom_extendable=True, capital_cost=60.0,
                    p_max_pu=wind)  # fmt: skip
    n.add_generator("gas", "el", carrier="gas", p_nom_extendable=True, capital_cost=30.0,
                    marginal_cost=np.where(np.arange(len(load)) % 24 < 12, 60.0, 80.0))  # fmt: skip
    n.add_storage("battery", "el", carrier="battery", p_nom_extendable=True, max_hours=4.0,
                  capital_cost=20.0, efficiency_store=0.95, efficiency_dispatch=0.95)  # fmt: skip
    n.add_link("electrolyser", "el", "h2", carrier="electrolysis", p_nom_extendable=True,
               capital_cost=10.0, efficiency=0.7)  # fmt: skip
    n.add_link("fuel_cell", "h2", "el", carrier="h2_turbine", p_nom_extendable=True,
               capital_cost=10.0, efficiency=0.5)  # fmt: skip
    n.add_storage("h2_store", "h2", carrier="hydrogen_store", p_nom=float("inf"),
                  e_nom_extendable=True, capital_cost_energy=0.01)  # fmt: skip
    return n


# ---------------------------------------------------------------------------- resample


def test_resample_conserves_weighted_energy_and_cost():
    """72 hourly snapshots in blocks of 5 h: 14 blocks of weight 5 and a last one of 2 h."""
    n = _daily_network(["A", "B", "C"])
    r = resample(n, hours=5)
    w, w_new = n.snapshot_weightings, r.snapshot_weightings
    assert len(r.snapshots) == 15  # 72 h in blocks of 5: 14 full + one of 2 h
    assert w_new.tolist() == [5.0] * 14 + [2.0]
    assert w_new.sum() == w.sum()
    for comp, attr in (("load", "p"), ("generator", "p_max_pu"), ("generator", "marginal_cost")):
        old = n.get_series(comp, attr).mul(w, axis=0).sum()
        new = r.get_series(comp, attr).mul(w_new, axis=0).sum()
        pd.testing.assert_series_equal(old, new, rtol=1e-12)
    assert r.snapshots[1] == pd.Timestamp("2030-01-01 05:00")
    assert n.snapshot_weightings.tolist() == [1.0] * 72  # input unchanged


def test_resample_by_one_is_the_same_lp():
    n = _daily_network(["A", "B"])
    assert resample(n, 1).optimize().objective == pytest.approx(n.optimize().objective, rel=REL)


def test_resample_rejects_bad_hours():
    with pytest.raises(jk.ComponentError, match="hours"):
        resample(_daily_network(["A"]), hours=0)


# ------------------------------------------------------------------ representative days


@pytest.mark.parametrize(
    ("extremes", "n_days"),
    [((), 3), (("peak_demand",), 4), (("peak_demand", "min_renewable"), 4)],
)
def test_as_many_typical_days_as_distinct_days_is_exact(extremes, n_days):
    """Six days repeating three patterns (A B C A B C), storage cyclic. Shifting the year by
    three days maps the LP onto itself, so by convexity an optimum exists in which day d and
    day d+3 are dispatched alike; that optimum is feasible for three typical days linked by
    the inter-period state of charge (exact bounds without standing loss), so the objective
    is reproduced exactly. Keeping the peak-demand day (the first C, also the lowest-renewable
    day) as an extreme day of its own adds a fourth typical day and changes nothing."""
    n = _daily_network(["A", "B", "C", "A", "B", "C"])
    full = n.optimize()
    agg = representative_days(n, n_days=n_days, extremes=extremes)
    assert len(agg.snapshots) == 24 * n_days
    assert sorted(agg.periods.counts.tolist()) == ([2, 2, 2] if n_days == 3 else [1, 1, 2, 2])
    assert agg.snapshot_weightings.sum() == 144.0
    r = agg.optimize()
    assert r.objective == pytest.approx(full.objective, rel=1e-6)
    seq = agg.periods.sequence
    assert seq[0] == seq[3] and seq[1] == seq[4]
    assert len({seq[0], seq[1], seq[2]}) == 3


def test_identical_days_must_share_a_dispatch():
    """With days A B A C B A (not periodic) the full-horizon optimum treats the A days
    differently, which three typical days cannot: the aggregated cost is higher, never
    lower (it is a restriction of the full LP)."""
    n = _daily_network(["A", "B", "A", "C", "B", "A"])
    agg = representative_days(n, n_days=3, extremes=())
    assert agg.optimize().objective >= n.optimize().objective * (1 - 1e-9)


def test_all_days_returns_every_day():
    n = _daily_network(["A", "B", "C"])
    agg = representative_days(n, n_days=10)
    assert agg.periods.sequence.tolist() == [0, 1, 2]
    assert agg.snapshots.equals(n.snapshots)
    assert agg.optimize().objective == pytest.approx(n.optimize().objective, rel=1e-6)


def test_clustering_is_deterministic():
    rng = np.random.default_rng(3)
    days = list(rng.choice(["A", "B", "C"], size=20))
    n = _daily_network(days)
    n.loads_t["p"] = n.loads_t["p"] * (1 + 0.05 * rng.random((480, 1)))
    a = representative_days(n, n_days=5, seed=0)
    b = representative_days(n, n_days=5, seed=0)
    np.testing.assert_array_equal(a.periods.sequence, b.periods.sequence)
    pd.testing.assert_frame_equal(a.loads_t["p"], b.loads_t["p"])
    assert a.snapshots.equals(b.snapshots)
    k = representative_days(n, n_days=5, seed=1, method="kmeans")
    assert k.snapshot_weightings.sum() == pytest.approx(480.0)


def test_extreme_days_are_kept_as_they_are():
    """Day 3 (pattern C) has the peak hour and the least renewable output: kept unchanged,
    standing for itself (weight 1), labelled by its own date."""
    rng = np.random.default_rng(0)
    days = ["A", "B", "A", "C", "B", "A", "B", "A"]
    n = _daily_network(days)
    n.loads_t["p"] = n.loads_t["p"] * (1 + 0.05 * rng.random((192, 1)))
    agg = representative_days(n, n_days=3, extremes=("peak_demand", "min_renewable"))
    k = agg.periods.sequence[3]
    assert agg.periods.counts[k] == 1
    day = agg.periods.snapshot_period == k
    np.testing.assert_allclose(
        agg.loads_t["p"]["load"].to_numpy()[day], n.loads_t["p"]["load"].to_numpy()[72:96]
    )
    assert agg.snapshots[day][0] == pd.Timestamp("2030-01-04")


def test_weighted_means_are_preserved():
    """tsam rescales typical days so that every series keeps its weighted mean."""
    rng = np.random.default_rng(1)
    days = list(rng.choice(["A", "B", "C"], size=30))
    n = _daily_network(days)
    n.loads_t["p"] = n.loads_t["p"] * (1 + 0.1 * rng.random((720, 1)))
    agg = representative_days(n, n_days=6)
    w = agg.snapshot_weightings
    energy = agg.get_series("load", "p")["load"].mul(w).sum()
    assert energy == pytest.approx(n.get_series("load", "p")["load"].sum(), rel=1e-6)


def test_representative_days_rejects_partial_days():
    snapshots = pd.date_range("2030-01-01", periods=30, freq="h")
    n = jk.Network(snapshots)
    n.add_bus("b")
    with pytest.raises(jk.ComponentError, match="whole periods"):
        representative_days(n, n_days=1)


def test_aggregated_network_cannot_be_aggregated_again():
    agg = representative_days(_daily_network(["A", "B", "C"]), n_days=2, extremes=())
    with pytest.raises(jk.ComponentError, match="already aggregated"):
        resample(agg, 2)


def test_medoid_typical_days_keep_the_hours_two_series_peak_together():
    """Two loads whose daily peaks fall in hours that vary from day to day, independently:
    each medoid typical day is a real day, rescaled, so each load's peak hour in it is
    the peak hour of that load on one and the same real day (the co-incidence an
    interconnector lives on). The "distribution" representation orders each series by its
    own cluster mean and need not keep it."""
    rng = np.random.default_rng(7)
    n_days = 40
    hours = np.arange(24)
    peaks = rng.integers(0, 24, size=(n_days, 2))  # (JP, KR) peak hour per day
    profile = 100 + 50 * np.exp(-0.5 * ((hours[None, None, :] - peaks[:, :, None]) / 2.0) ** 2)
    snapshots = pd.date_range("2030-01-01", periods=24 * n_days, freq="h")
    n = jk.Network(snapshots)
    for j, country in enumerate(("JP", "KR")):
        n.add_bus(country, country=country)
        n.add_load(f"{country}_load", country, p=profile[:, j, :].reshape(-1))
        n.add_generator(f"{country}_gas", country, carrier="gas", p_nom=500.0, marginal_cost=50.0)
    agg = representative_days(n, n_days=6, extremes=())
    p = agg.get_series("load", "p")
    real = {tuple(day) for day in peaks.tolist()}
    for k in range(6):
        day = agg.periods.snapshot_period == k
        typical = (int(np.argmax(p["JP_load"].to_numpy()[day])),
                   int(np.argmax(p["KR_load"].to_numpy()[day])))  # fmt: skip
        assert typical in real, (k, typical)


# ------------------------------------------------------- weights vs storage durations


def test_resample_sums_durations_not_weights():
    """Hourly snapshots weighted 52 (a short horizon standing for a year) last 1 h each; a
    block of 3 weighs 156 h and lasts 3 h (its storage step)."""
    n = _daily_network(["A"], weights=52.0)
    assert n.snapshot_durations.unique().tolist() == [1.0]
    r = resample(n, hours=3)
    assert r.snapshot_weightings.unique().tolist() == [156.0]
    assert r.snapshot_durations.unique().tolist() == [3.0]
    plain = resample(_daily_network(["A"]), hours=3)
    assert plain.snapshot_durations.tolist() == plain.snapshot_weightings.tolist()


def test_typical_days_of_an_annualised_horizon_keep_hourly_storage_steps():
    """Six days (A B C A B C) weighted 52: three typical days of weight 2 * 52 per hour, each
    hour still a 1-h storage step, and (as for weight 1) the objective is reproduced."""
    n = _daily_network(["A", "B", "C", "A", "B", "C"], weights=52.0)
    agg = representative_days(n, n_days=3, extremes=())
    assert agg.periods.duration.tolist() == [1.0] * 72
    assert agg.snapshot_durations.tolist() == [1.0] * 72
    assert agg.snapshot_weightings.unique().tolist() == [104.0]
    assert agg.optimize().objective == pytest.approx(n.optimize().objective, rel=1e-6)
