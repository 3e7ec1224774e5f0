"""Properties of solved results, checked on random tiny networks (hypothesis).

- :func:`jkenergy.analysis.country_costs` splits the objective: its rows sum to it, for any
  share of a cross-border link's cost;
- ``open_results(to_netcdf(r))`` gives back ``r``: status, termination, objective, stats and
  the dataset, identical.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import xarray as xr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jkenergy as jk

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MONEY = st.floats(0.0, 200.0)


@st.composite
def networks(draw) -> jk.Network:
    """Two countries, 1-3 hours; each has a load, a gas plant able to cover it, and
    optionally extendable solar and a battery; a bidirectional link between them; maybe a
    carbon price and a value of lost load."""
    hours = draw(st.integers(1, 3))
    weight = draw(st.sampled_from([1.0, 2.0, 52.0]))
    n = jk.Network(pd.date_range("2030-01-01", periods=hours, freq="h"), weights=weight)
    profile = st.lists(st.floats(0.0, 1.0), min_size=hours, max_size=hours)
    for c in ("JP", "KR"):
        voll = draw(st.one_of(st.just(float("nan")), st.floats(500.0, 5000.0)))
        n.add_bus(c, country=c, voll=voll)
        load = draw(st.lists(st.floats(0.0, 100.0), min_size=hours, max_size=hours))
        n.add_load(f"{c}_load", c, p=load)
        n.add_generator(
            f"{c}_gas", c, carrier="gas", p_nom=100.0, marginal_cost=draw(MONEY), co2_intensity=0.4
        )
        if draw(st.booleans()):
            n.add_generator(
                f"{c}_pv",
                c,
                carrier="solar",
                p_nom_extendable=True,
                capital_cost=draw(MONEY),
                p_max_pu=draw(profile),
            )
        if draw(st.booleans()):
            n.add_storage(
                f"{c}_bat",
                c,
                p_nom_extendable=True,
                max_hours=2.0,
                capital_cost=draw(MONEY),
                efficiency_store=0.9,
                efficiency_dispatch=0.9,
                marginal_cost=draw(st.floats(0.0, 5.0)),
            )
        if draw(st.booleans()):
            n.set_carbon_price(c, draw(MONEY))
    n.add_link(
        "JP-KR",
        "JP",
        "KR",
        p_nom=draw(st.floats(0.0, 50.0)),
        p_nom_extendable=True,
        capital_cost=draw(MONEY),
        efficiency=draw(st.floats(0.8, 1.0)),
        marginal_cost=draw(st.floats(0.0, 5.0)),
        bidirectional=True,
    )
    return n


@SETTINGS
@given(networks(), st.floats(0.0, 1.0))
def test_country_costs_sum_to_the_objective(n, link_share):
    r = n.optimize(algorithm="simplex")
    assert r.status == "ok"
    costs = jk.analysis.country_costs(r.dataset, link_share=link_share)
    total = float(costs["system cost [USD]"].sum())
    assert abs(total - r.objective) <= 1e-6 * max(1.0, abs(r.objective))


@settings(SETTINGS, max_examples=5)  # a write and a read take about 2 s even for these
@given(networks())
def test_netcdf_round_trip_is_identity(n):
    r = n.optimize(algorithm="simplex")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "result.nc"
        r.to_netcdf(path)
        back = jk.open_results(path)
    assert (back.status, back.termination_condition) == (r.status, r.termination_condition)
    assert back.objective == r.objective
    assert back.stats == r.stats
    xr.testing.assert_identical(back.dataset, r.dataset)
