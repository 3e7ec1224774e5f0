"""Solver presets and options: every preset is a valid HiGHS configuration, options reach
HiGHS, and a value HiGHS rejects is an error instead of a silent fallback."""

from __future__ import annotations

import inspect

import highspy
import pytest

import jkenergy as jk
from jkenergy.solve import hand_over


def _screening(make_network, series):
    """Base (capex 60, mc 10) and peak (capex 10, mc 30) against loads [150, 100, 50] MW
    of 1 h each. Base pays for a band running more than (60 - 10) / (30 - 10) = 2.5 h:
    only the bottom 50 MW (3 h). Base 50 MW: 3,000 + 150 MWh x 10 = 4,500; peak 100 MW:
    1,000 + 150 MWh x 30 = 5,500. Objective 10,000 USD."""
    n = make_network(3)
    n.add_bus("b", country="KR")
    n.add_load("l", "b", p=series([150.0, 100.0, 50.0]))
    n.add_generator("base", "b", carrier="nuclear", p_nom_extendable=True, capital_cost=60.0,
                    marginal_cost=10.0)  # fmt: skip
    n.add_generator("peak", "b", carrier="gas", p_nom_extendable=True, capital_cost=10.0,
                    marginal_cost=30.0)  # fmt: skip
    return n


@pytest.mark.parametrize("algorithm", list(jk.ALGORITHMS))
def test_every_preset_is_accepted_by_highs(algorithm):
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for key, value in jk.ALGORITHMS[algorithm].items():
        assert h.setOptionValue(key, value) == highspy.HighsStatus.kOk, (key, value)


def test_default_algorithm_is_documented():
    default = inspect.signature(jk.optimize).parameters["algorithm"].default
    assert default in jk.ALGORITHMS
    assert f'default "{default}"' in jk.optimize.__doc__


@pytest.mark.parametrize("algorithm", list(jk.ALGORITHMS))
def test_presets_reach_the_same_optimum(make_network, series, algorithm):
    r = _screening(make_network, series).optimize(algorithm=algorithm)
    assert r.is_optimal
    assert r.objective == pytest.approx(10_000.0, rel=1e-4 if algorithm == "pdlp" else 1e-6)


def test_threads_time_limit_and_tolerances_reach_highs(make_network, series):
    r = _screening(make_network, series).optimize(
        algorithm="ipm",
        threads=1,
        time_limit=60.0,
        primal_feasibility_tolerance=1e-8,
        dual_feasibility_tolerance=1e-8,
        ipm_optimality_tolerance=1e-9,
    )
    assert r.is_optimal
    assert r.objective == pytest.approx(10_000.0, rel=1e-6)


def test_rejected_option_value_is_an_error(make_network, series):
    """HiGHS answers a bad value with an error status; we raise instead of letting it fall
    back to its default silently (as an unavailable solver such as "hipo" would)."""
    with pytest.raises(jk.SolverError, match="solver"):
        _screening(make_network, series).optimize(solver="no-such-solver")


def test_hand_over_keeps_the_lp_size(make_network, series):
    """The matrix HiGHS receives has one row per Pyomo constraint row and one column per
    variable that appears in a row or the objective."""
    from jkenergy.model import build_model, prepare

    model = build_model(prepare(_screening(make_network, series)))
    lp = hand_over(model)
    assert lp.shape == (lp.highs.getNumRow(), lp.highs.getNumCol())
    # 3 balance rows + 2 x 3 capacity rows; 2 x 3 outputs + 2 capacities
    assert lp.shape == (9, 8)


def test_hipo_is_installed_with_jkenergy():
    """pyproject asks for highspy[extras]: HiPO must be there on a supported platform."""
    from jkenergy.solve import hipo_available

    assert hipo_available()


def test_auto_picks_simplex_for_small_and_hipo_for_large_lps(monkeypatch):
    import jkenergy.solve.presets as solve

    assert solve.auto_preset(1_000)[0] == "simplex"
    assert solve.auto_preset(solve.AUTO_SIMPLEX_MAX_COLUMNS)[0] == "simplex"
    name, options = solve.auto_preset(solve.AUTO_SIMPLEX_MAX_COLUMNS + 1)
    assert name == "hipo" and options == {"solver": "hipo", "run_crossover": "on"}
    monkeypatch.setattr(solve, "hipo_available", lambda: False)
    name, options = solve.auto_preset(solve.AUTO_SIMPLEX_MAX_COLUMNS + 1)
    assert name == "pdlp" and options["solver"] == "pdlp"


def test_result_names_the_algorithm_that_ran(make_network, series):
    r = _screening(make_network, series).optimize()
    assert r.dataset.attrs["algorithm"] == "simplex"


@pytest.mark.parametrize(
    ("hipo", "large", "fallback"),
    [(True, "hipo", "ipm"), (False, "pdlp", "ipm")],
)
def test_auto_falls_back_to_interior_point_when_the_large_lp_preset_stops_short(
    make_network, series, monkeypatch, hipo, large, fallback
):
    """Force "auto" onto its large-LP preset with an iteration limit of 1: it cannot prove
    optimality, so the LP is solved again with IPX and the optimum (10,000 USD) comes back."""
    import jkenergy.solve.presets as solve

    monkeypatch.setattr(solve, "AUTO_SIMPLEX_MAX_COLUMNS", 0)
    monkeypatch.setattr(solve, "hipo_available", lambda: hipo)
    limits = {"ipm_iteration_limit": 1, "pdlp_iteration_limit": 1}
    monkeypatch.setitem(solve.ALGORITHMS, "hipo", {**solve.ALGORITHMS["hipo"], **limits})
    monkeypatch.setattr(solve, "AUTO_LARGE", {**solve.AUTO_LARGE, **limits})
    r = _screening(make_network, series).optimize()
    assert r.is_optimal
    assert r.dataset.attrs["algorithm"] == fallback
    assert r.objective == pytest.approx(10_000.0, rel=1e-6)


def test_auto_falls_back_from_pdlp_to_hipo_where_available(make_network, series, monkeypatch):
    import jkenergy.solve.presets as solve

    monkeypatch.setattr(solve, "AUTO_SIMPLEX_MAX_COLUMNS", 0)
    monkeypatch.setattr(
        solve, "auto_preset", lambda n: ("pdlp", {**solve.AUTO_LARGE, "pdlp_iteration_limit": 1})
    )
    r = _screening(make_network, series).optimize()
    assert r.is_optimal
    assert r.dataset.attrs["algorithm"] == "hipo"
    assert r.objective == pytest.approx(10_000.0, rel=1e-6)
