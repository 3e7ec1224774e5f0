"""Bad input is refused on add, with an error that names the component and the field, and a
failed add_* leaves the network unchanged."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from jkenergy.errors import (
    ComponentError,
    DuplicateComponentError,
    JkEnergyError,
    UnknownComponentError,
)

TABLES = ("buses", "loads", "generators", "storage", "links")


@pytest.fixture
def net(make_network):
    """3 hourly snapshots; an electricity bus 'A' (JP), 'B' (KR) and a hydrogen bus 'H' (JP)."""
    n = make_network(3)
    n.add_bus("A", country="JP")
    n.add_bus("B", country="KR")
    n.add_bus("H", carrier="hydrogen", country="JP")
    return n


def _snapshot(n):
    return {name: getattr(n, name).copy() for name in TABLES}


def _assert_unchanged(n, before):
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(n, name), before[name], obj=name)


def _raises(n, exc, parts, call):
    """``call()`` raises ``exc``; its message contains every part; the network is unchanged."""
    before = _snapshot(n)
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    for part in parts:
        assert re.search(part, message), f"{part!r} not in error message {message!r}"
    _assert_unchanged(n, before)
    return info.value


# ------------------------------------------------------------------------------ unknown names


@pytest.mark.parametrize(
    ("component", "call"),
    [
        ("load", lambda n: n.add_load("L1", "nowhere", p=1.0)),
        ("generator", lambda n: n.add_generator("G1", "nowhere", carrier="gas", p_nom=1.0)),
        ("storage", lambda n: n.add_storage("S1", "nowhere", p_nom=1.0)),
    ],
)
def test_unknown_bus(net, component, call):
    err = _raises(net, UnknownComponentError, [r"[LGS]1", "nowhere", r"\bbus\b"], lambda: call(net))
    assert isinstance(err, KeyError)
    assert isinstance(err, JkEnergyError)


@pytest.mark.parametrize(
    ("bus0", "bus1", "field"), [("nowhere", "B", "bus0"), ("A", "nowhere", "bus1")]
)
def test_link_to_missing_bus(net, bus0, bus1, field):
    err = _raises(
        net,
        UnknownComponentError,
        ["AB", "nowhere", field],
        lambda: net.add_link("AB", bus0, bus1, p_nom=10.0),
    )
    assert isinstance(err, KeyError)


def test_co2_limit_on_unknown_country(net):
    err = _raises(
        net,
        UnknownComponentError,
        ["cap", "XX", "countr"],
        lambda: net.add_co2_limit("cap", countries=["JP", "XX"], limit=10.0),
    )
    assert isinstance(err, KeyError)


def test_carbon_price_unknown_country(net):
    _raises(net, UnknownComponentError, ["XX"], lambda: net.set_carbon_price("XX", 30.0))


def test_renewable_share_unknown_country(net):
    _raises(
        net,
        UnknownComponentError,
        ["res", "XX", "country"],
        lambda: net.add_renewable_share("res", country="XX", share=0.3),
    )


def test_unknown_error_message_is_not_quoted_by_keyerror(net):
    """UnknownComponentError is a KeyError, but str() shows the message plainly."""
    with pytest.raises(UnknownComponentError) as info:
        net.add_load("L1", "nowhere", p=1.0)
    assert not str(info.value).startswith('"')


# ---------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize(
    ("first", "second", "name"),
    [
        (None, lambda n: n.add_bus("A", country="JP"), "A"),
        (
            lambda n: n.add_load("L1", "A", p=1.0),
            lambda n: n.add_load("L1", "B", p=2.0),
            "L1",
        ),
        (
            lambda n: n.add_generator("G1", "A", carrier="gas", p_nom=1.0),
            lambda n: n.add_generator("G1", "B", carrier="coal", p_nom=2.0),
            "G1",
        ),
        (
            lambda n: n.add_storage("S1", "A", p_nom=1.0),
            lambda n: n.add_storage("S1", "A", p_nom=2.0),
            "S1",
        ),
        (
            lambda n: n.add_link("AB", "A", "B", p_nom=1.0),
            lambda n: n.add_link("AB", "B", "A", p_nom=2.0),
            "AB",
        ),
        (
            lambda n: n.add_co2_limit("cap", countries=["JP"], limit=1.0),
            lambda n: n.add_co2_limit("cap", countries=["KR"], limit=2.0),
            "cap",
        ),
        (
            lambda n: n.add_renewable_share("res", country="JP", share=0.1),
            lambda n: n.add_renewable_share("res", country="KR", share=0.2),
            "res",
        ),
    ],
)
def test_duplicate_name(net, first, second, name):
    if first is not None:
        first(net)
    err = _raises(net, DuplicateComponentError, [re.escape(name)], lambda: second(net))
    assert isinstance(err, ComponentError)
    assert isinstance(err, ValueError)


# ---------------------------------------------------------------------- bad numeric values

BAD_GENERATOR = [
    ({"p_nom": -1.0}, "p_nom"),
    ({"p_nom_max": -5.0, "p_nom_extendable": True}, "p_nom_max"),
    ({"capital_cost": -1.0}, "capital_cost"),
    ({"p_max_pu": 1.2}, "p_max_pu"),
    ({"p_max_pu": -0.1}, "p_max_pu"),
    ({"p_min_pu": -0.1}, "p_min_pu"),
    ({"p_min_pu": 0.5, "p_max_pu": 0.3}, "p_m(in|ax)_pu"),
    ({"marginal_cost": math.nan}, "marginal_cost"),
    ({"marginal_cost": math.inf}, "marginal_cost"),
    ({"p_nom": math.nan}, "p_nom"),
    ({"co2_intensity": math.nan}, "co2_intensity"),
]


@pytest.mark.parametrize(("kwargs", "field"), BAD_GENERATOR)
def test_bad_generator_values(net, kwargs, field):
    kwargs = {"p_nom": 10.0, **kwargs}
    err = _raises(
        net,
        ComponentError,
        ["G1", field],
        lambda: net.add_generator("G1", "A", carrier="gas", **kwargs),
    )
    assert isinstance(err, ValueError)


def test_negative_marginal_cost_is_allowed(net):
    net.add_generator("G1", "A", carrier="ror", p_nom=10.0, marginal_cost=-5.0)
    assert "G1" in net.generators.index


def _series(n_values, values, start="2030-01-01"):
    return pd.Series(values, index=pd.date_range(start, periods=n_values, freq="h"), dtype=float)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"p_max_pu": _series(3, [0.5, 1.5, 0.2])}, "p_max_pu"),  # a value above 1
        ({"p_max_pu": _series(3, [0.5, np.nan, 0.2])}, "p_max_pu"),  # NaN
        ({"p_max_pu": _series(2, [0.5, 0.5])}, "p_max_pu"),  # too short
        ({"p_max_pu": _series(4, [0.5, 0.5, 0.5, 0.5])}, "p_max_pu"),  # too long
        ({"p_max_pu": _series(3, [0.5, 0.5, 0.5], start="2031-01-01")}, "p_max_pu"),  # dates
        ({"p_min_pu": _series(3, [0.0, -0.2, 0.0])}, "p_min_pu"),
        # p_min_pu 1.0 > p_max_pu 0.9 in the last snapshot
        ({"p_min_pu": _series(3, [0.0, 0.0, 1.0]), "p_max_pu": 0.9}, "p_m(in|ax)_pu"),
        ({"marginal_cost": _series(3, [1.0, np.inf, 1.0])}, "marginal_cost"),
        ({"marginal_cost": _series(3, [1.0, np.nan, 1.0])}, "marginal_cost"),
        ({"marginal_cost": _series(2, [1.0, 1.0])}, "marginal_cost"),
    ],
)
def test_bad_generator_series(net, kwargs, field):
    _raises(
        net,
        ComponentError,
        ["G1", field],
        lambda: net.add_generator("G1", "A", carrier="solar", p_nom=10.0, **kwargs),
    )


@pytest.mark.parametrize(
    "p",
    [
        math.nan,
        math.inf,
        _series(3, [1.0, np.nan, 1.0]),
        _series(3, [1.0, np.inf, 1.0]),
        _series(2, [1.0, 1.0]),
        _series(3, [1.0, 1.0, 1.0], start="2030-01-02"),
    ],
    ids=["nan", "inf", "series-nan", "series-inf", "series-short", "series-other-dates"],
)
def test_bad_load(net, p):
    _raises(net, ComponentError, ["L1", r"\bp\b"], lambda: net.add_load("L1", "A", p=p))


BAD_STORAGE = [
    ({"p_nom": -1.0}, "p_nom"),
    ({"e_nom": -1.0}, "e_nom"),
    ({"max_hours": -2.0}, "max_hours"),
    ({"capital_cost": -1.0}, "capital_cost"),
    ({"capital_cost_energy": -1.0}, "capital_cost_energy"),
    ({"efficiency_store": 0.0}, "efficiency_store"),
    ({"efficiency_store": 1.1}, "efficiency_store"),
    ({"efficiency_dispatch": -0.5}, "efficiency_dispatch"),
    ({"efficiency_dispatch": 1.5}, "efficiency_dispatch"),
    ({"standing_loss": -0.1}, "standing_loss"),
    ({"standing_loss": 1.5}, "standing_loss"),
    ({"e_initial": -1.0, "cyclic": False}, "e_initial"),
    ({"efficiency_store": math.nan}, "efficiency_store"),
]


@pytest.mark.parametrize(("kwargs", "field"), BAD_STORAGE)
def test_bad_storage_values(net, kwargs, field):
    kwargs = {"p_nom": 10.0, **kwargs}
    err = _raises(net, ComponentError, ["S1", field], lambda: net.add_storage("S1", "A", **kwargs))
    assert isinstance(err, ValueError)


BAD_LINK = [
    ({"p_nom": -1.0}, "p_nom"),
    ({"capital_cost": -1.0}, "capital_cost"),
    ({"efficiency": 0.0}, "efficiency"),
    ({"efficiency": -0.3}, "efficiency"),
    ({"efficiency": 1.2}, "efficiency"),
    ({"efficiency": math.nan}, "efficiency"),
    ({"p_nom_max": -1.0, "p_nom_extendable": True}, "p_nom_max"),
]


@pytest.mark.parametrize(("kwargs", "field"), BAD_LINK)
def test_bad_link_values(net, kwargs, field):
    kwargs = {"p_nom": 10.0, **kwargs}
    err = _raises(
        net, ComponentError, ["AB", field], lambda: net.add_link("AB", "A", "B", **kwargs)
    )
    assert isinstance(err, ValueError)


@pytest.mark.parametrize("share", [-0.1, 1.5, math.nan])
def test_bad_renewable_share(net, share):
    _raises(
        net,
        ComponentError,
        ["res", "share"],
        lambda: net.add_renewable_share("res", country="JP", share=share),
    )


@pytest.mark.parametrize("weights", [0.0, -1.0, math.nan, math.inf])
def test_bad_snapshot_weights(weights):
    import jkenergy as jk

    with pytest.raises(ComponentError, match="weight"):
        jk.Network(snapshots=pd.date_range("2030-01-01", periods=2, freq="h"), weights=weights)


def test_weights_series_must_match_snapshots():
    import jkenergy as jk

    snapshots = pd.date_range("2030-01-01", periods=3, freq="h")
    with pytest.raises(ComponentError, match="weight"):
        jk.Network(snapshots=snapshots, weights=pd.Series([1.0, 2.0], index=snapshots[:2]))


# --------------------------------------------------------------------------- what is fine


def test_conversion_link_between_carriers_is_fine(net):
    """An electrolyser from an electricity bus to a hydrogen bus is a normal link."""
    net.add_link("electrolyser", "A", "H", carrier="electrolysis", p_nom=10.0, efficiency=0.62)
    assert "electrolyser" in net.links.index
    assert net.links.loc["electrolyser", "bus0"] == "A"
    assert net.links.loc["electrolyser", "bus1"] == "H"


def test_good_adds_populate_tables(net):
    net.add_load("L1", "A", p=_series(3, [1.0, 2.0, 3.0]))
    net.add_generator("G1", "A", carrier="solar", p_nom=5.0, p_max_pu=_series(3, [0, 0.5, 1]))
    net.add_storage("S1", "A", p_nom=1.0, max_hours=4.0)
    net.add_link("AB", "A", "B", p_nom=1.0, efficiency=1.0, bidirectional=True)
    assert list(net.buses.index) == ["A", "B", "H"]
    assert list(net.loads.index) == ["L1"]
    assert list(net.generators.index) == ["G1"]
    assert list(net.storage.index) == ["S1"]
    assert list(net.links.index) == ["AB"]
    assert net.generators.loc["G1", "bus"] == "A"
    assert net.generators.loc["G1", "carrier"] == "solar"
    assert net.generators.loc["G1", "p_nom"] == 5.0
    assert net.buses.loc["H", "carrier"] == "hydrogen"
    assert net.buses.loc["B", "country"] == "KR"


def test_failed_add_leaves_nothing_behind(net):
    """After a refused add the same name can be added correctly (no half-written row)."""
    n_before = len(net.generators)
    with pytest.raises(ComponentError):
        net.add_generator(
            "G1", "A", carrier="solar", p_nom=10.0, p_max_pu=_series(3, [0.5, 2.0, 0.5])
        )
    assert len(net.generators) == n_before
    net.add_generator("G1", "A", carrier="solar", p_nom=10.0, p_max_pu=_series(3, [0.5, 1, 0.5]))
    assert len(net.generators) == n_before + 1

    with pytest.raises(UnknownComponentError):
        net.add_link("AB", "A", "nowhere")
    assert len(net.links) == 0
    net.add_link("AB", "A", "B", p_nom=1.0)
    assert len(net.links) == 1

    with pytest.raises(UnknownComponentError):
        net.add_co2_limit("cap", countries=["XX"], limit=1.0)
    net.add_co2_limit("cap", countries=["JP"], limit=1.0)  # not a duplicate


# ------------------------------------------------- non-numeric and ragged series on add


@pytest.mark.parametrize(
    "p_max_pu",
    [
        ["a", 0.5, 0.5],  # a string in a list
        [[0.5, 0.5], [0.5]],  # ragged
        [0.5, None, 0.5],  # None -> NaN
        pd.Series(["0.5", "x", "0.5"], index=pd.date_range("2030-01-01", periods=3, freq="h")),
        pd.Series([0.5, object(), 0.5], index=pd.date_range("2030-01-01", periods=3, freq="h")),
    ],
    ids=["string-in-list", "ragged", "none", "string-series", "object-series"],
)
def test_non_numeric_or_ragged_series_is_a_component_error(net, p_max_pu):
    error = _raises(
        net,
        ComponentError,
        ["G1", "p_max_pu"],
        lambda: net.add_generator("G1", "A", carrier="solar", p_nom=10.0, p_max_pu=p_max_pu),
    )
    assert "\n" not in str(error)


# ------------------------------------------------------ tables edited after add_*


def _set_profile(n, values):
    frame = n.generators_t["p_max_pu"]
    frame["PV"] = values


def _set_weight(n, value):
    weights = n.snapshot_weightings
    weights.iloc[1] = value


def _solvable(make_network):
    n = make_network(3)
    n.add_bus("A", country="JP")
    n.add_bus("B", country="KR")
    n.add_load("L", "A", p=10.0)
    n.add_generator("G", "A", carrier="gas", p_nom=100.0, marginal_cost=5.0)
    n.add_generator("PV", "A", carrier="solar", p_nom=20.0, p_max_pu=[0.0, 0.5, 1.0])
    n.add_storage("S", "A", p_nom=5.0, max_hours=2.0)
    n.add_link("AB", "A", "B", p_nom=5.0)
    return n


@pytest.mark.parametrize(
    ("edit", "parts", "exc"),
    [
        (lambda n: n.generators.loc.__setitem__(("G", "marginal_cost"), np.nan),
         ["generator 'G'", "marginal_cost", "nan"], ComponentError),
        (lambda n: n.generators.loc.__setitem__(("G", "p_nom"), -1.0),
         ["generator 'G'", "p_nom"], ComponentError),
        (lambda n: _set_profile(n, [0.0, np.nan, 1.0]), ["generator 'PV'", "p_max_pu"],
         ComponentError),
        (lambda n: _set_profile(n, [0.0, 1.5, 1.0]), ["generator 'PV'", "p_max_pu"],
         ComponentError),
        (lambda n: n.loads.loc.__setitem__(("L", "p"), np.nan), ["load 'L'", r"\bp\b"],
         ComponentError),
        (lambda n: n.storage.loc.__setitem__(("S", "efficiency_store"), 0.0),
         ["storage 'S'", "efficiency_store"], ComponentError),
        (lambda n: n.generators.loc.__setitem__(("G", "carrier"), np.nan),
         ["generator 'G'", "carrier"], ComponentError),
        (lambda n: n.links.loc.__setitem__(("AB", "bus1"), "nowhere"),
         ["link 'AB'", "bus1", "nowhere"], UnknownComponentError),
        (lambda n: n.links.loc.__setitem__(("AB", "efficiency"), np.nan),
         ["link 'AB'", "efficiency"], ComponentError),
        (lambda n: n.buses.loc.__setitem__(("A", "voll"), -1.0), ["bus 'A'", "voll"],
         ComponentError),
        (lambda n: _set_weight(n, 0.0), ["weights", "0.0"],
         ComponentError),
        (lambda n: _set_weight(n, np.nan), ["weights", "nan"],
         ComponentError),
    ],
    ids=["nan-cost", "negative-p_nom", "nan-profile", "profile-above-1", "nan-load",
         "zero-efficiency", "carrier-missing", "unknown-bus", "nan-efficiency", "negative-voll",
         "zero-weight", "nan-weight"],
)  # fmt: skip
def test_tables_edited_after_add_are_validated_at_optimize(make_network, edit, parts, exc):
    """A value put into a table after add_* is refused when the LP is built, with a one-line
    error naming the component and the attribute, before anything is solved."""
    n = _solvable(make_network)
    edit(n)
    with pytest.raises(exc) as info:
        n.optimize()
    message = str(info.value)
    assert "\n" not in message
    for part in parts:
        assert re.search(part, message), f"{part!r} not in error message {message!r}"


def test_unedited_network_solves(make_network):
    """The network the edits start from: gas at 5 covers hour 0 less what the store shifts
    from hour 2's solar surplus (5 MW for one hour), so gas 10 - 5 = 5 MWh: 25 USD."""
    assert _solvable(make_network).optimize().objective == pytest.approx(25.0, rel=1e-9)


def test_policy_edited_after_add_is_validated_at_optimize(make_network):
    n = _solvable(make_network)
    n.add_renewable_share("res", country="JP", share=0.1)
    n.renewable_shares.loc["res", "share"] = np.nan
    with pytest.raises(ComponentError, match=r"renewable_share 'res'.*share"):
        n.optimize()
