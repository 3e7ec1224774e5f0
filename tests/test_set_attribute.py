"""Network.set_attribute: the one setter, validated as add_* is, all or nothing."""

from __future__ import annotations

import pandas as pd
import pytest

import jkenergy as jk


def network():
    n = jk.Network(pd.date_range("2030-01-01", periods=2, freq="h"))
    n.add_bus("A")
    n.add_bus("B")
    n.add_generator("g1", bus="A", p_nom=100.0, marginal_cost=10.0)
    n.add_generator(
        "g2", bus="A", p_nom=50.0, p_nom_extendable=True, p_nom_max=80.0, p_max_pu=[1.0, 0.5]
    )
    n.add_generator("g3", bus="B", p_nom=10.0)
    n.add_link("L", bus0="A", bus1="B", p_nom=5.0)
    return n


def test_a_value_is_set_and_the_order_of_components_kept():
    n = network()
    n.set_attribute("generators.g2.p_nom_max", 120.0)
    assert list(n.generators.index) == ["g1", "g2", "g3"]
    assert n.generators.loc["g2", "p_nom_max"] == 120.0
    assert n.get_series("generator", "p_max_pu")["g2"].tolist() == [1.0, 0.5]  # series kept


def test_a_series_replaces_a_scalar_and_back():
    n = network()
    n.set_attribute("generators.g1.p_max_pu", [0.2, 0.4])
    assert n.get_series("generator", "p_max_pu")["g1"].tolist() == [0.2, 0.4]
    n.set_attribute("generators.g2.p_max_pu", 0.7)
    assert n.get_series("generator", "p_max_pu")["g2"].tolist() == [0.7, 0.7]


@pytest.mark.parametrize(
    ("path", "value", "error", "message"),
    [
        ("generators.g2.p_nom_max", 40.0, jk.ComponentError, r"p_nom_max \(40\) must be >="),
        ("generators.g1.p_min_pu", 2.0, jk.ComponentError, "p_min_pu"),
        ("generators.g1.bus", "C", jk.UnknownComponentError, "'C' is not a bus"),
        ("generators.g9.p_nom", 1.0, jk.UnknownComponentError, "no generator named 'g9'"),
        ("generators.g1.pnom", 1.0, jk.ComponentError, "no attribute 'pnom'"),
        ("links.L.bus1", "A", jk.ComponentError, "bus0 and bus1 must differ"),
    ],
)
def test_a_refused_value_changes_nothing(path, value, error, message):
    n = network()
    before = (n.generators.copy(), {k: v.copy() for k, v in n.generators_t.items()})
    links = n.links.copy()
    with pytest.raises(error, match=message):
        n.set_attribute(path, value)
    pd.testing.assert_frame_equal(n.generators, before[0])
    assert n.generators_t.keys() == before[1].keys()
    for key, frame in before[1].items():
        pd.testing.assert_frame_equal(n.generators_t[key], frame)
    pd.testing.assert_frame_equal(n.links, links)


# ---------------------------------------------------- p_nom of a build of fixed size


def with_builds():
    n = network()
    n.add_link("new", bus0="A", bus1="B", p_nom_extendable=True, p_nom_min=80.0, p_nom_max=80.0)
    n.add_link("upgrade", bus0="B", bus1="A", p_nom=20.0, p_nom_extendable=True,
               p_nom_min=50.0, p_nom_max=50.0)  # fmt: skip
    return n


def test_p_nom_of_a_build_of_fixed_size_sets_its_size():
    n = with_builds()
    assert jk.network.fixed_size_build(n, "links", "new")
    assert not jk.network.fixed_size_build(n, "links", "L")  # not extendable
    assert not jk.network.fixed_size_build(n, "generators", "g2")  # p_nom_max 80, min 0
    assert not jk.network.fixed_size_build(n, "loads", "x")  # no such table column/name
    n.set_attribute("links.new.p_nom", 40.0)
    assert n.links.loc["new", ["p_nom", "p_nom_min", "p_nom_max"]].tolist() == [0.0, 40.0, 40.0]
    n.set_attribute("links.upgrade.p_nom", 30.0)  # existing 20 MW stay; the build is 30 MW
    assert n.links.loc["upgrade", ["p_nom", "p_nom_min", "p_nom_max"]].tolist() == [
        20.0, 30.0, 30.0,
    ]  # fmt: skip
    assert list(n.links.index) == ["L", "new", "upgrade"]
    # anything else: p_nom is the existing capacity
    n.set_attribute("links.L.p_nom", 7.0)
    n.set_attribute("generators.g2.p_nom", 60.0)
    assert n.links.loc["L", "p_nom"] == 7.0
    assert n.generators.loc["g2", ["p_nom", "p_nom_min", "p_nom_max"]].tolist() == [
        60.0, 0.0, 80.0,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (10.0, r"link 'upgrade' is a build of fixed size .* p_nom = 20: its size must be >= "
               r"that, got 10"),
        (-1.0, r"link 'upgrade': p_nom must be"),
        ("big", r"link 'upgrade': p_nom must be"),
    ],
)  # fmt: skip
def test_a_refused_size_changes_nothing(value, message):
    n = with_builds()
    links = n.links.copy()
    with pytest.raises(jk.ComponentError, match=message):
        n.set_attribute("links.upgrade.p_nom", value)
    pd.testing.assert_frame_equal(n.links, links)


def test_the_sweeps_rule_is_the_networks():
    from jkenergy.sweeps import grid

    assert grid.fixed_size_build is jk.network.fixed_size_build  # still importable there
