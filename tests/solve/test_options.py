"""The one solver-options type: bad arguments are one-line errors naming the argument; scenario
files may set only HiGHS options that do not touch files."""

from __future__ import annotations

import highspy
import pytest

import jkenergy as jk
from jkenergy.solve.options import FILE_SAFE_OPTIONS, SolverOptions


def _tiny(make_network):
    """One hour, 100 MW of load, one 150 MW generator at 10 USD/MWh: 1,000 USD."""
    n = make_network(1)
    n.add_bus("JP", country="JP")
    n.add_load("d", "JP", p=100.0)
    n.add_generator("g", "JP", carrier="gas", p_nom=150.0, marginal_cost=10.0)
    return n


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"time_limit": "x"}, "time_limit"),
        ({"time_limit": -1.0}, "time_limit"),
        ({"threads": "two"}, "threads"),
        ({"threads": 0}, "threads"),
        ({"threads": 1.5}, "threads"),
        ({"threads": True}, "threads"),
        ({"algorithm": "fastest"}, "algorithm"),
        ({"presolve": "sometimes"}, "presolve"),
        ({"no_such_option": 1}, "no_such_option"),
    ],
)
def test_bad_arguments_are_one_line_errors_naming_the_argument(make_network, kwargs, argument):
    with pytest.raises(jk.SolverError) as err:
        _tiny(make_network).optimize(**kwargs)
    message = str(err.value)
    assert message.startswith("optimize: ") and argument in message
    assert "\n" not in message


def test_good_arguments_reach_highs(make_network):
    r = _tiny(make_network).optimize(algorithm="simplex", threads=1, time_limit=30, presolve="off")
    assert r.is_optimal and r.objective == pytest.approx(1_000.0)


@pytest.mark.parametrize(
    "option",
    ["solution_file", "write_solution_to_file", "log_file", "write_model_file",
     "read_basis_file", "write_basis_file", "write_iis_model_file", "glpsol_cost_row_location",
     "mip_improving_solution_file", "output_flag"],
)  # fmt: skip
def test_scenario_files_may_not_set_options_that_touch_files(tmp_path, option):
    target = tmp_path / "written.txt"
    value = "true" if option.startswith("write_") and not option.endswith("file") else target
    if option in ("glpsol_cost_row_location",):
        value = 0
    if option == "output_flag":
        value = "true"
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        f"name: s\ntime: {{hours: 24}}\nsolver: {{options: {{{option}: {value}}}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(jk.ScenarioError) as err:
        jk.load_scenario(scenario)
    message = str(err.value)
    assert str(scenario) in message and "solver.options" in message and repr(option) in message
    assert not target.exists()


def test_scenario_files_may_set_tolerances_and_limits(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "name: s\ntime: {hours: 24}\nsolver: {algorithm: simplex, threads: 1, "
        "options: {presolve: 'off', simplex_iteration_limit: 100000, "
        "primal_feasibility_tolerance: 1.0e-8}}\n",
        encoding="utf-8",
    )
    s = jk.load_scenario(scenario)
    assert s.solver.as_kwargs() == {
        "algorithm": "simplex", "threads": 1, "presolve": "off",
        "simplex_iteration_limit": 100000, "primal_feasibility_tolerance": 1e-8,
    }  # fmt: skip


def test_python_callers_may_write_a_solution_file(make_network, tmp_path):
    """A Python caller's code can write files anyway: optimize passes the option on."""
    target = tmp_path / "solution.txt"
    r = _tiny(make_network).optimize(
        algorithm="simplex", solution_file=str(target), write_solution_to_file=True
    )
    assert r.is_optimal and target.exists()


def test_every_file_safe_option_is_a_highs_option_that_touches_no_file():
    probe = highspy.Highs()
    probe.setOptionValue("output_flag", False)
    for name in FILE_SAFE_OPTIONS:
        status, _ = probe.getOptionValue(name)
        assert status == highspy.HighsStatus.kOk, name
        words = set(name.split("_"))
        assert not words & {"file", "write", "read", "log", "output"}, name


def test_options_type_round_trip():
    o = SolverOptions.from_kwargs({"algorithm": "ipm", "threads": 2, "log": True, "presolve": "on"})
    assert o == SolverOptions(algorithm="ipm", threads=2, options={"presolve": "on"})
    assert SolverOptions.from_kwargs(o.as_kwargs()) == o
    assert o.highs_options() == {"solver": "ipm", "run_crossover": "on", "presolve": "on",
                                 "threads": 2}  # fmt: skip
