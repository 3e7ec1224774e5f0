"""What the LP no longer hands to HiGHS, and that the optimum stays the same.

Outputs that can only be 0 (:func:`jkenergy.model.generators.zero_output`: a capacity that
can only be 0, or ``p_max_pu`` = 0 in the hour) are constants, not columns, and their limit
is no row. Reserve-margin rows of snapshots that another snapshot's rows imply are left out
(:func:`jkenergy.model.adequacy._drop_dominated`), with the firm transfers of those hours.
Each test works the optimum out by hand, with and without the removable part; the national
and areas weeks compare the objective against the un-reduced LP (the formulation as it
was, rebuilt here by switching the reductions off) solved in the same test.
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


def _margin_network(make_network, series):
    """One group, margin 10 %, three 1-h hours, load [100, 80, 90] MW. Gas 100 MW fixed at
    50 USD/MWh; pv 50 MW fixed at 0 USD/MWh, ``p_max_pu`` [0, 0.5, 0.2], credited by its
    availability; OCGT extendable at 5 USD/MW, 200 USD/MWh."""
    n = make_network(3)
    n.add_bus("JP", country="JP")
    n.add_load("d", "JP", p=series([100.0, 80.0, 90.0]))
    n.add_generator("gas", "JP", carrier="gas", p_nom=100.0, marginal_cost=50.0)
    n.add_generator("pv", "JP", carrier="solar", p_nom=50.0, p_max_pu=series([0.0, 0.5, 0.2]))
    n.add_generator("ocgt", "JP", carrier="gas", p_nom_extendable=True, capital_cost=5.0,
                    marginal_cost=200.0)  # fmt: skip
    n.add_reserve_margin("JP_rm", "JP", margin=0.1)
    return n


def test_dominated_reserve_margin_hours_are_left_out(make_network, series, solve, monkeypatch):
    """Firm capacity 100 + 50 a_t + P against 1.1 D_t: hour 0 needs P >= 110 - 100 = 10,
    hour 1 P >= 88 - 125 (no), hour 2 P >= 99 - 110 (no). Hour 0 has the highest
    requirement and the lowest pv credit, so it implies the other two: one row instead of
    three. Dispatch: pv 0 / 25 / 10 MW, gas 100 / 55 / 80 MW: 235 x 50 = 11,750 USD, OCGT
    10 MW x 5 = 50 USD: objective 11,800 USD with or without the two rows."""
    n = _margin_network(make_network, series)
    reduced = jk.solve.compile(n, algorithm="simplex")
    assert [len(h) for h in reduced.model.rm_plan.hours] == [1]
    assert solve(n).objective == pytest.approx(11800.0, rel=1e-9)
    with monkeypatch.context() as patch:
        _unreduced(patch)
        full = jk.solve.compile(n, algorithm="simplex")
        assert [len(h) for h in full.model.rm_plan.hours] == [3]
        assert solve(n).objective == pytest.approx(11800.0, rel=1e-9)
    assert full.shape[0] == reduced.shape[0] + 2


def test_dominance_across_groups_coupled_by_a_link(make_network, series, solve, monkeypatch):
    """JP and KR, margins 10 %, three 1-h hours, loads JP [100, 60, 50], KR [60, 100, 50] MW;
    in each gas 100 MW fixed at 50 USD/MWh and an OCGT extendable at 5 USD/MW (200 USD/MWh);
    a 5 MW two-way link credited in full.

    Requirements JP 110 / 66 / 55, KR 66 / 110 / 55 MW. Hour 2 is implied by hour 0 (both
    lower), hour 1 by none (KR's is higher): rows in hours 0 and 1 for both groups, and the
    link's firm-capacity row only there. Hour 0: JP has 100 + 5 imported (KR has 100 - 5 >=
    66 left), so its OCGT is 5 MW; hour 1 the same for KR: 2 x 5 x 5 = 50 USD. Energy: each
    country's gas serves its load, 420 MWh x 50 = 21,000 USD. Objective 21,050 USD with or
    without hour 2's rows (2 margin rows, 1 link row and 2 transfer columns fewer)."""
    n = make_network(3)
    n.add_bus("JP", country="JP")
    n.add_bus("KR", country="KR")
    n.add_load("dJ", "JP", p=series([100.0, 60.0, 50.0]))
    n.add_load("dK", "KR", p=series([60.0, 100.0, 50.0]))
    for c in ("JP", "KR"):
        n.add_generator(f"{c}_gas", c, carrier="gas", p_nom=100.0, marginal_cost=50.0)
        n.add_generator(f"{c}_ocgt", c, carrier="gas", p_nom_extendable=True, capital_cost=5.0,
                        marginal_cost=200.0)  # fmt: skip
        n.add_reserve_margin(f"{c}_rm", c, margin=0.1)
    n.add_link("JP-KR", "JP", "KR", carrier="hvdc", p_nom=5.0, bidirectional=True,
               capacity_credit=1.0)  # fmt: skip
    reduced = jk.solve.compile(n, algorithm="simplex")
    assert reduced.model.rm_plan.hours == [[0, 1], [0, 1]]
    assert solve(n).objective == pytest.approx(21050.0, rel=1e-9)
    with monkeypatch.context() as patch:
        _unreduced(patch)
        full = jk.solve.compile(n, algorithm="simplex")
        assert solve(n).objective == pytest.approx(21050.0, rel=1e-9)
    assert full.shape == (reduced.shape[0] + 3, reduced.shape[1] + 2)


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
    monkeypatch.setattr(adequacy, "_drop_dominated", lambda p, x: None)


@pytest.mark.parametrize("regions", ["national", "areas"])
def test_same_optimum_as_the_unreduced_lp_on_a_week(monkeypatch, regions):
    """The Japan-Korea week (168 h weighted to a year, optimisable link, reserve margins):
    the reduced and the un-reduced LP have the same optimum (1e-9 relative), and the
    reduced one has fewer rows and columns (solar at night, dominated reserve-margin hours;
    in the areas model also the eight offshore-wind sites with p_nom_max = 0)."""
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
