"""An in-place re-solve must not reuse an LP built for other reserve margins wrongly.

The model: 100 / 80 MW for two hours, ``g`` (100 MW, 10 USD/MWh) and an extendable peaker
at 50,000 USD/MW/yr (100 USD/MWh, so it never runs). A margin m needs firm capacity
100 (1 + m) MW at the peak, so the peaker is 100 m MW and, by hand, the cost is
180 MWh x 10 + 50,000 x 100 m USD: 501,800 USD at m = 0.1 and 1,001,800 USD at m = 0.2.
"""

import pandas as pd
import pytest

import jkenergy as jk
from jkenergy.solve.resolve import ParametricLP


def _network(margin=None):
    n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    n.add_bus("A", country="A")
    n.add_load("d", bus="A", p=[100.0, 80.0])
    n.add_generator("g", bus="A", p_nom=100.0, marginal_cost=10.0)
    n.add_generator("peak", bus="A", p_nom_extendable=True, capital_cost=5e4, marginal_cost=100.0)
    if margin is not None:
        n.add_reserve_margin("rm", countries="A", margin=margin)
    return n


def test_a_changed_margin_is_a_right_hand_side_and_is_re_solved_right():
    lp = ParametricLP(_network(0.1), {"algorithm": "simplex"})
    assert lp.solve(_network(0.1)).objective == pytest.approx(501_800.0)
    assert lp.solve(_network(0.2)).objective == pytest.approx(1_001_800.0)


def test_a_margin_added_or_removed_is_structure_and_not_re_solved_in_place():
    assert ParametricLP(_network(), {"algorithm": "simplex"}).solve(_network(0.2)) is None
    assert ParametricLP(_network(0.2), {"algorithm": "simplex"}).solve(_network()) is None
