"""What the LP no longer hands to HiGHS, and that the optimum stays the same.

Outputs that can only be 0 (:func:`jkenergy.model.generators.zero_output`: a capacity that
can only be 0, or ``p_max_pu`` = 0 in the hour) are constants, not columns, and their limit
is no row. Each test works the optimum out by hand, with and without the removable part;
the national and areas weeks compare the objective against the un-reduced LP (the
formulation as it was, rebuilt here by switching the reduction off) solved in the same
test.
"""

from __future__ import annotations

import numpy as np
import pytest

import jkenergy as jk
from jkenergy.errors import InfeasibleError
from jkenergy.model import adequacy, generators


def _pv_and_gas(make_network, series, with_offwind: bool):
    """Load 100 MW in two 1-h hours; gas 200 MW at 50 USD/MWh; pv extendable at 10 USD/MW
    with ``p_max_pu`` [0, 0.5]; optionally offwind at 0 USD/MWh, free capacity, but
    ``p_nom_max`` = 0 (no potential).

    By hand: hour 0 only gas can run (pv's output is 0): 100 x 50 = 5,000 USD. Hour 1: a MW
    of pv saves 0.5 x 50 = 25 USD for 10 USD, so pv is built until it covers the load,
    0.5 P = 100 MW, P = 200 MW: capital 200 x 10 = 2,000 USD, gas 0. Objective 7,000 USD,
    with or without the offwind, which can build nothing. LP: 2 balances, 1 pv limit
    (hour 1; in hour 0 pv's output is fixed at 0), columns gas x 2, pv x 1, pv capacity:
    3 rows x 4 columns; the offwind adds none."""
    n = make_network(2)
    n.add_bus("JP", country="JP")
    n.add_load("d", "JP", p=series([100.0, 100.0]))
    n.add_generator("gas", "JP", carrier="gas", p_nom=200.0, marginal_cost=50.0)
    n.add_generator("pv", "JP", carrier="solar", p_nom_extendable=True, capital_cost=10.0,
                    p_max_pu=series([0.0, 0.5]))  # fmt: skip
    if with_offwind:
        n.add_generator("offwind", "JP", carrier="offwind", p_nom_extendable=True,
                        p_nom_max=0.0, capital_cost=0.0)  # fmt: skip
    return n


@pytest.mark.parametrize("with_offwind", [False, True])
def test_zero_outputs_are_not_handed_over(make_network, series, solve, with_offwind):
    """See :func:`_pv_and_gas` for the hand-worked optimum and LP size."""
    n = _pv_and_gas(make_network, series, with_offwind)
    lp = jk.solve.compile(n, algorithm="simplex")
    assert lp.shape == (3, 4)
    result = solve(n)
    assert result.objective == pytest.approx(7000.0, rel=1e-9)
    ds = result.dataset
    assert ds["generator_p_nom_opt"].sel(generator="pv").item() == pytest.approx(200.0)
    assert ds["generator_p"].sel(generator="pv").values.tolist() == pytest.approx([0.0, 100.0])
    if with_offwind:
        assert ds["generator_p_nom_opt"].sel(generator="offwind").item() == 0.0
        assert ds["generator_p"].sel(generator="offwind").values.tolist() == [0.0, 0.0]


def test_zero_capacity_credited_generator_in_a_reserve_margin(make_network, series, solve):
    """Load 100 MW in two 1-h hours, reserve margin 10 %: 110 MW of firm capacity. Gas
    100 MW (fixed) at 50 USD/MWh; OCGT extendable at 5 USD/MW, marginal cost 200 USD/MWh;
    a generator credited in full whose capacity can only be 0 (p_nom = p_nom_max = 0).

    By hand: gas runs 100 MW in both hours, 2 x 100 x 50 = 10,000 USD; the OCGT is built
    for the missing 10 MW of firm capacity, 10 x 5 = 50 USD, and never runs. Objective
    10,050 USD with or without the zero generator, which adds no firm capacity, no column
    and no row: one reserve-margin row (the peak hour: nothing varies), 2 balances."""
    objectives, shapes = [], []
    for zero in (False, True):
        n = make_network(2)
        n.add_bus("JP", country="JP")
        n.add_load("d", "JP", p=series([100.0, 100.0]))
        n.add_generator("gas", "JP", carrier="gas", p_nom=100.0, marginal_cost=50.0)
        n.add_generator("ocgt", "JP", carrier="gas", p_nom_extendable=True, capital_cost=5.0,
                        marginal_cost=200.0)  # fmt: skip
        if zero:
            n.add_generator("none", "JP", carrier="coal", p_nom_extendable=True, p_nom_max=0.0,
                            capacity_credit=1.0)  # fmt: skip
        n.add_reserve_margin("JP_rm", "JP", margin=0.1)
        shapes.append(jk.solve.compile(n, algorithm="simplex").shape)
        objectives.append(solve(n).objective)
    assert objectives == pytest.approx([10050.0, 10050.0], rel=1e-9)
    assert shapes[0] == shapes[1]


def test_a_bus_left_with_nothing_that_can_run_is_infeasible(make_network, series):
    """Load 10 MW in both hours; the only supply is pv of 100 MW with ``p_max_pu`` [0, 1]:
    in hour 0 nothing can serve the load, so the LP is infeasible before it is solved (its
    balance is a constant row), and the error says which row."""
    n = make_network(2)
    n.add_bus("JP", country="JP")
    n.add_load("d", "JP", p=series([10.0, 10.0]))
    n.add_generator("pv", "JP", carrier="solar", p_nom=100.0, p_max_pu=series([0.0, 1.0]))
    with pytest.raises(InfeasibleError, match=r"balance\[0,0\]"):
        jk.solve.compile(n, algorithm="simplex")


def _unreduced(monkeypatch):
    """Switch the reduction off: no output or capacity counts as fixed at 0, so the LP is
    built as before the reduction (every output a column, every limit a row)."""

    def none_per_snapshot(x):
        return np.zeros((len(x.generators), x.n_snapshots), dtype=bool)

    def none(x):
        return np.zeros(len(x.generators), dtype=bool)

    monkeypatch.setattr(generators, "zero_output", none_per_snapshot)
    monkeypatch.setattr(generators, "zero_capacity", none)
    monkeypatch.setattr(adequacy, "zero_capacity", none)


@pytest.mark.parametrize("regions", ["national", "areas"])
def test_same_optimum_as_the_unreduced_lp_on_a_week(monkeypatch, regions):
    """The Japan-Korea week (168 h weighted to a year, optimisable link, reserve margins):
    the reduced and the un-reduced LP have the same optimum (1e-9 relative), and the
    reduced one has fewer rows and columns (solar at night; in the areas model also the
    eight offshore-wind sites with p_nom_max = 0)."""
    net = jk.japan_korea(regions=regions, interconnector="optimise", snapshots=168)
    reduced = jk.solve.compile(net, algorithm="simplex")
    objective = reduced.solve().objective
    with monkeypatch.context() as patch:
        _unreduced(patch)
        full = jk.solve.compile(net, algorithm="simplex")
        full_objective = full.solve().objective
    assert reduced.outcome.termination == full.outcome.termination == "optimal"
    assert objective == pytest.approx(full_objective, rel=1e-9)
    assert reduced.shape[0] < full.shape[0] and reduced.shape[1] < full.shape[1]
