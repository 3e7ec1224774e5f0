"""An in-place re-solve must not reuse an LP built for other reserve margins."""

import pandas as pd

import jkenergy as jk
from jkenergy.model import prepare
from jkenergy.solve.resolve import _compatible


def _network(margin=None):
    n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    n.add_bus("A", country="A")
    n.add_load("d", bus="A", p=[100.0, 80.0])
    n.add_generator("g", bus="A", p_nom=100.0, marginal_cost=10.0)
    n.add_generator("peak", bus="A", p_nom_extendable=True, capital_cost=5e4)
    if margin is not None:
        n.add_reserve_margin("rm", countries="A", margin=margin)
    return n


def test_reserve_margins_are_structure():
    assert _compatible(prepare(_network(0.2)), prepare(_network(0.2)))
    assert not _compatible(prepare(_network()), prepare(_network(0.2)))
    assert not _compatible(prepare(_network(0.1)), prepare(_network(0.2)))
