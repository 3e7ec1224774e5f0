"""Every example runs (on a shortened horizon; the full year is exercised by benchmarks)."""

import importlib.util
import sys
from pathlib import Path

import pytest

import jkenergy as jk
from jkenergy import analysis

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCENARIOS = sorted((EXAMPLES / "scenarios").glob("*.yaml"))


def shortened(path: Path, hours: int = 48) -> jk.Result:
    scenario = jk.load_scenario(path)
    time = scenario.time.model_copy(update={"hours": hours, "representative_days": None})
    return scenario.model_copy(update={"time": time}).solve()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_example_scenario_solves_and_costs_add_up(path):
    result = shortened(path)
    assert result.is_optimal
    ds = result.dataset
    costs = analysis.country_costs(ds)["system cost [USD]"]
    assert costs.sum() == pytest.approx(result.objective, rel=1e-9)
    net = analysis.welfare(ds)["net cost [USD]"].sum()
    assert net == pytest.approx(
        result.objective - float(ds["generator_carbon_cost"].sum()), rel=1e-6
    )


def test_interconnector_never_raises_total_cost():
    """A link the optimiser may leave at zero cannot make the system dearer."""
    islanded = shortened(EXAMPLES / "scenarios" / "islanded.yaml")
    linked = shortened(EXAMPLES / "scenarios" / "interconnector_optimal.yaml")
    assert linked.objective <= islanded.objective * (1 + 1e-9)


def test_two_country_example_runs():
    spec = importlib.util.spec_from_file_location("two_country", EXAMPLES / "two_country.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["two_country"] = module
    spec.loader.exec_module(module)
    result = module.stylised_network(24).optimize()
    assert result.is_optimal
