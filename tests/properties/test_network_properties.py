"""Properties of the network layer a user relies on, checked on random input (hypothesis).

- a failed ``add_*`` leaves the network exactly as it was, and a successful one adds one
  row and changes nothing else;
- bad input is always a :class:`~jkenergy.errors.JkEnergyError`, never a raw exception;
- :func:`jkenergy.aggregation.resample` keeps weighted energy (every time series times its
  weight, summed over time) and the total duration.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import jkenergy as jk
from jkenergy.components import COMPONENT_ATTRIBUTES, COMPONENT_TABLES
from jkenergy.errors import JkEnergyError

T = 3
SNAPSHOTS = pd.date_range("2030-01-01", periods=T, freq="h")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _base() -> jk.Network:
    n = jk.Network(SNAPSHOTS)
    n.add_bus("A", country="JP")
    n.add_bus("B", country="KR")
    n.add_load("L", "A", p=[1.0, 2.0, 3.0])
    n.add_generator("G", "A", carrier="solar", p_nom=5.0, p_max_pu=[0.0, 0.5, 1.0])
    n.add_renewable_share("res", country="JP", share=0.1)
    return n


def _state(n: jk.Network) -> dict:
    out = {"weights": n.snapshot_weightings.copy(), "durations": n.snapshot_durations.copy()}
    for table in COMPONENT_TABLES.values():
        out[table] = getattr(n, table).copy()
        out[f"{table}_t"] = {k: v.copy() for k, v in getattr(n, f"{table}_t").items()}
    out["co2_limits"] = n.co2_limits.copy()
    out["renewable_shares"] = n.renewable_shares.copy()
    out["carbon_prices"] = dict(n.carbon_prices)
    return out


def _assert_same(a: dict, b: dict, skip: str | None = None) -> None:
    for key, value in a.items():
        if key == skip:
            continue
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, b[key], obj=key)
        elif isinstance(value, pd.Series):
            pd.testing.assert_series_equal(value, b[key], obj=key)
        elif key.endswith("_t"):
            assert value.keys() == b[key].keys(), key
            for attr, frame in value.items():
                pd.testing.assert_frame_equal(frame, b[key][attr], obj=f"{key}[{attr}]")
        else:
            assert value == b[key], key


NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 5),
    st.sampled_from([0.0, 0.5, 1.0, 1.5, -0.1, 1e12]),
)
VALUES = st.one_of(
    NUMBERS,
    st.booleans(),
    st.sampled_from(["", "A", "B", "nowhere", "solar", "x"]),
    st.none(),
    st.lists(NUMBERS, min_size=0, max_size=T + 1),
    st.lists(st.sampled_from(["a", 0.5]), min_size=T, max_size=T),
)


@st.composite
def additions(draw):
    """A component type, a name (sometimes taken) and attributes (often invalid)."""
    component = draw(st.sampled_from(["bus", "load", "generator", "storage", "link"]))
    name = draw(st.sampled_from(["new", "A", "G", "L", ""]))
    spec = COMPONENT_ATTRIBUTES[component]
    keys = draw(st.lists(st.sampled_from([*spec, "unknown_attr"]), unique=True, max_size=5))
    attrs = {k: draw(VALUES) for k in keys}
    for key in ("bus", "bus0", "bus1"):  # mostly a real bus, so later checks are reached
        if key in spec and draw(st.booleans()):
            attrs[key] = draw(st.sampled_from(["A", "B"]))
    return component, name, attrs


def _add(n: jk.Network, component: str, name, attrs: dict) -> None:
    attrs = dict(attrs)
    if component == "bus":
        n.add_bus(name, **attrs)
    elif component == "load":
        n.add_load(name, attrs.pop("bus", "A"), attrs.pop("p", 1.0), **attrs)
    elif component == "link":
        n.add_link(name, attrs.pop("bus0", "A"), attrs.pop("bus1", "B"), **attrs)
    else:
        getattr(n, f"add_{component}")(name, attrs.pop("bus", "A"), **attrs)


@SETTINGS
@given(additions())
def test_failed_add_leaves_network_unchanged(addition):
    component, name, attrs = addition
    n = _base()
    before = _state(n)
    table = COMPONENT_TABLES[component]
    try:
        _add(n, component, name, attrs)
    except JkEnergyError:
        event("refused")
        _assert_same(before, _state(n))
    except TypeError as error:  # only Python's own argument errors (e.g. add_load(..., x=1))
        assert "unexpected keyword argument" in str(error)
        _assert_same(before, _state(n))
    else:
        event("added")
        after = _state(n)
        assert list(after[table].index) == [*before[table].index, name]
        if len(before[table]):
            pd.testing.assert_frame_equal(
                after[table].iloc[:-1], before[table], check_dtype=False, check_index_type=False
            )
        for key in before:
            if key not in (table, f"{table}_t"):
                _assert_same({key: before[key]}, {key: after[key]})


@st.composite
def series_networks(draw):
    n_snap = draw(st.integers(1, 12))
    snapshots = pd.date_range("2030-01-01", periods=n_snap, freq="h")
    weights = draw(st.lists(st.floats(0.1, 100.0), min_size=n_snap, max_size=n_snap))
    n = jk.Network(snapshots, weights=pd.Series(weights, index=snapshots))
    n.add_bus("A", country="JP")
    finite = st.floats(0.0, 1e4, allow_nan=False)
    n.add_load("L", "A", p=draw(st.lists(finite, min_size=n_snap, max_size=n_snap)))
    pu = st.lists(st.floats(0.0, 1.0), min_size=n_snap, max_size=n_snap)
    n.add_generator("PV", "A", carrier="solar", p_nom=10.0, p_max_pu=draw(pu))
    cost = st.lists(st.floats(-100.0, 100.0), min_size=n_snap, max_size=n_snap)
    n.add_generator("G", "A", carrier="gas", p_nom=10.0, marginal_cost=draw(cost))
    return n, draw(st.integers(1, 2 * n_snap))


@SETTINGS
@given(series_networks())
def test_resample_keeps_weighted_energy(case):
    n, hours = case
    r = jk.aggregation.resample(n, hours=hours)
    w0, w1 = n.snapshot_weightings.to_numpy(), r.snapshot_weightings.to_numpy()
    assert math.isclose(w1.sum(), w0.sum(), rel_tol=1e-12)
    assert math.isclose(r.snapshot_durations.sum(), n.snapshot_durations.sum(), rel_tol=1e-12)
    assert len(r.snapshots) == math.ceil(len(n.snapshots) / hours)
    for component, attr in (
        ("load", "p"),
        ("generator", "p_max_pu"),
        ("generator", "marginal_cost"),
    ):
        before = n.get_series(component, attr).to_numpy().T @ w0
        after = r.get_series(component, attr).to_numpy().T @ w1
        np.testing.assert_allclose(after, before, rtol=1e-9, atol=1e-9)
