"""The Japan–Korea builder carries each country's planning reserve margin by default."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

import jkenergy as jk


def _published(country: str, year: int) -> float:
    """The margin of the plan year nearest ``year``, read from the CSV itself."""
    path = resources.files("jkenergy.study") / "data" / "reserve_margins.csv"
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8")) if r["country"] == country]
    nearest = min(rows, key=lambda r: (abs(int(r["year"]) - year), -int(r["year"])))
    return float(nearest["reserve_margin"])


def test_the_default_network_has_both_countries_reserve_margins():
    n = jk.japan_korea(2030, snapshots=24, interconnector=1000)
    rm = n.reserve_margins
    assert set(rm.index) == {"JP_reserve_margin", "KR_reserve_margin"}
    assert rm.loc["JP_reserve_margin", "margin"] == pytest.approx(_published("JP", 2030))
    assert rm.loc["KR_reserve_margin", "margin"] == pytest.approx(0.22)  # 11th Basic Plan
    assert n.links.loc["JP-KR", "capacity_credit"] == pytest.approx(0.95)  # A-R3


def test_reserve_margin_false_leaves_energy_value_only():
    n = jk.japan_korea(2030, snapshots=24, reserve_margin=False)
    assert n.reserve_margins.empty


def test_a_day_with_the_margins_solves_and_prices_capacity():
    r = jk.japan_korea(2030, snapshots=24).optimize()
    assert r.is_optimal
    prices = r.dataset["reserve_margin_price"]
    assert prices.attrs["units"] == "USD/MW/yr"
    assert (prices.values >= -1e-6).all()
