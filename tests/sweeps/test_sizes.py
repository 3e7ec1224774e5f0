"""A grid's ``p_nom`` sets the size of the component, whatever kind of capacity it has.

Hand values on a 2-bus network: bus A has a generator at 10 USD/MWh, bus B a load of
100 MW and a generator at 50 USD/MWh, for 2 hours of weight 1; the link A -> B (efficiency
1) of size S carries min(S, 100) MW. For a build of size S at 30 USD/MW (capital cost over
the horizon) the objective is 30 S + 2 (10 S + 50 (100 - S)) = 10000 - 50 S for S <= 100.
"""

from __future__ import annotations

import pandas as pd
import pytest

import jkenergy as jk
from jkenergy.sweeps import SweepError, make_job, solve_case, validate
from jkenergy.sweeps.grid import Grid

HOURS, LOAD, CHEAP, DEAR, CAPITAL = 2, 100.0, 10.0, 50.0, 30.0


def two_bus(**link) -> jk.Network:
    n = jk.Network(pd.date_range("2030", periods=HOURS, freq="h"))
    n.add_bus("A", country="JP")
    n.add_bus("B", country="KR")
    n.add_load("d", bus="B", p=LOAD)
    n.add_generator("gA", bus="A", carrier="gas", p_nom=200.0, marginal_cost=CHEAP)
    n.add_generator("gB", bus="B", carrier="gas", p_nom=200.0, marginal_cost=DEAR)
    n.add_link("AB", bus0="A", bus1="B", capital_cost=CAPITAL, **link)
    return n


def fixed_build() -> jk.Network:  # a new link of 80 MW, as interconnector: <MW> makes it
    return two_bus(p_nom_extendable=True, p_nom_min=80.0, p_nom_max=80.0)


def existing() -> jk.Network:  # a link that exists, 80 MW, not extendable
    return two_bus(p_nom=80.0)


def optimised() -> jk.Network:  # a link the optimiser sizes
    return two_bus(p_nom_extendable=True)


def _solve(builder, values, reuse):
    job = make_job(builder, ".", solver={"algorithm": "simplex"}, reuse=reuse)
    result, _, timings = solve_case(job, values)
    assert result.is_optimal
    assert ("reused" in timings) == reuse  # the in-place re-solve path is the one tested
    return result.objective, float(result.dataset["link_p_nom_opt"].sel(link="AB"))


@pytest.mark.parametrize("reuse", [True, False], ids=["re-solve", "rebuild"])
@pytest.mark.parametrize("size", [0.0, 40.0, 80.0])
def test_size_of_a_build_of_fixed_size(size, reuse):
    objective, built = _solve(fixed_build, {"links.AB.p_nom": size}, reuse)
    assert built == pytest.approx(size)
    # the build is paid for: 30 S, and saves (50 - 10) USD/MWh x 2 h x S
    by_hand = CAPITAL * size + HOURS * (CHEAP * size + DEAR * (LOAD - size))
    assert objective == pytest.approx(by_hand)
    assert objective == pytest.approx(10000.0 - 50.0 * size)


@pytest.mark.parametrize("reuse", [True, False], ids=["re-solve", "rebuild"])
def test_size_of_an_existing_component(reuse):
    objective, built = _solve(existing, {"links.AB.p_nom": 40.0}, reuse)
    assert built == 40.0
    assert objective == pytest.approx(HOURS * (CHEAP * 40.0 + DEAR * 60.0))  # no capital cost


@pytest.mark.parametrize("reuse", [True, False], ids=["re-solve", "rebuild"])
def test_p_nom_of_an_optimised_build_is_its_existing_capacity(reuse):
    # building is worth 2 x 40 USD/MW > 30: the link carries the whole load; 40 MW exist
    objective, built = _solve(optimised, {"links.AB.p_nom": 40.0}, reuse)
    assert built == pytest.approx(LOAD)
    assert objective == pytest.approx(CAPITAL * (LOAD - 40.0) + HOURS * CHEAP * LOAD)


def test_size_and_bounds_of_a_fixed_build_in_one_case_are_refused(tmp_path):
    job = make_job(fixed_build, tmp_path)
    cases = Grid.from_spec(
        [{"links.AB.p_nom": 40.0, "links.AB.p_nom_max": 90.0}, {"links.AB.p_nom": 90.0}]
    ).cases()
    errors = validate(job, cases)
    assert "set either its size or its bounds" in errors[cases[0].id]
    assert cases[1].id not in errors


def test_a_fixed_build_cannot_shrink_below_its_existing_capacity(tmp_path):
    def on_existing():
        return two_bus(p_nom=20.0, p_nom_extendable=True, p_nom_min=80.0, p_nom_max=80.0)

    job = make_job(on_existing, tmp_path)
    case = Grid.from_spec([{"links.AB.p_nom": 10.0}]).cases()[0]
    assert (
        "existing capacity p_nom = 20: its size must be >= that, got 10"
        in validate(job, [case])[case.id]
    )
    with pytest.raises(SweepError, match="1 of 1 cases are invalid"):
        jk.sweep(on_existing, [case.values], tmp_path / "s", strict=True, progress=False)


def _scenario(interconnector: float) -> jk.Scenario:
    return jk.Scenario.model_validate(
        {"name": "fixed-link", "base": {"interconnector": interconnector},
         "time": {"hours": 6}, "solver": {"algorithm": "simplex"}}
    )  # fmt: skip


@pytest.mark.parametrize("size", [0, 1000])
def test_sweeping_the_japan_korea_link_equals_building_it_that_size(size, tmp_path):
    """The tutorial's sweep: a case of ``links.JP-KR.p_nom`` on ``interconnector: 2000`` is
    the study built with ``interconnector: <size>``."""
    job = make_job(_scenario(2000), tmp_path)
    swept, _, timings = solve_case(job, {"links.JP-KR.p_nom": size})
    assert timings.get("reused") == 1.0
    built = _scenario(size).solve()
    assert swept.is_optimal and built.is_optimal
    assert float(swept.dataset["link_p_nom_opt"].sel(link="JP-KR")) == pytest.approx(size)
    assert swept.objective == pytest.approx(built.objective, rel=1e-7)
