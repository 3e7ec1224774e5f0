"""Scenario files on a user's own network: ``base: {builder: "module:function", ...}``.

The model: one bus, 90 MW for 2 hours; ``cheap`` (20 USD/MWh) and ``dear`` (80 USD/MWh,
0.5 tCO2/MWh). With the override ``cheap.p_nom = 60`` and a carbon price of 10 USD/t,
by hand: 2 h x (60 MW x 20 + 30 MW x (80 + 0.5 x 10)) = 2 x (1,200 + 2,550) = 7,500 USD.
"""

from __future__ import annotations

import pytest

import jkenergy as jk
from jkenergy.cli import main
from jkenergy.scenario import ScenarioError, load_scenario

MODEL = """
import pandas as pd
import jkenergy as jk


def build(load_mw=90.0, hours=2):
    n = jk.Network(pd.date_range("2030-01-01", periods=hours, freq="h"))
    n.add_bus("X", country="XX")
    n.add_load("X_load", bus="X", p=load_mw)
    n.add_generator("cheap", bus="X", carrier="hydro", p_nom=50.0, marginal_cost=20.0)
    n.add_generator(
        "dear", bus="X", carrier="gas", p_nom=100.0, marginal_cost=80.0, co2_intensity=0.5
    )
    return n


def not_a_network():
    return 42
"""


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "own_model_for_tests.py").write_text(MODEL)
    return tmp_path


def scenario(folder, body: str):
    path = folder / "s.yaml"
    path.write_text("name: own\n" + body)
    return path


def test_a_users_builder_next_to_the_file_gets_policies_and_overrides(folder):
    path = scenario(
        folder,
        "base: {builder: 'own_model_for_tests:build', load_mw: 90}\n"
        "policy: {carbon_price: {XX: 10}}\n"
        "overrides: {generators.cheap.p_nom: 60}\n",
    )
    result = load_scenario(path).solve()
    assert result.is_optimal
    assert result.objective == pytest.approx(7_500.0)


def test_jkenergy_run_works_on_a_users_builder(folder, capsys):
    path = scenario(
        folder,
        "base: {builder: 'own_model_for_tests:build'}\n"
        "policy: {carbon_price: {XX: 10}}\n"
        "overrides: {generators.cheap.p_nom: 60}\n",
    )
    out = folder / "out"
    assert main(["run", str(path), "--out", str(out)]) == 0
    assert jk.open_results(out / "result.nc").objective == pytest.approx(7_500.0)


@pytest.mark.parametrize(
    ("base", "message"),
    [
        ("{builder: 'no_such_module_xyz:build'}", r"base\.builder: cannot import"),
        ("{builder: 'own_model_for_tests:nothing'}", r"base\.builder: .* no function 'nothing'"),
        ("{builder: 'own_model_for_tests'}", r"base\.builder: .*module:function"),
        ("{builder: 'own_model_for_tests:build', loads: 3}", r"base: .*'loads'"),
        ("{builder: 'own_model_for_tests:not_a_network'}", r"returned int, expected"),
    ],
)
def test_a_bad_builder_is_an_error_naming_the_file_and_key(folder, base, message):
    path = scenario(folder, f"base: {base}\n")
    with pytest.raises(ScenarioError, match=r"s\.yaml"):
        load_scenario(path).network()
    with pytest.raises(ScenarioError, match=message):
        load_scenario(path).network()


def test_settings_a_users_builder_cannot_take_are_refused(folder):
    hours = scenario(folder, "base: {builder: 'own_model_for_tests:build'}\ntime: {hours: 1}\n")
    with pytest.raises(ScenarioError, match=r"time\.hours: the builder"):
        load_scenario(hours).network()
    override = scenario(
        folder,
        "base: {builder: 'own_model_for_tests:build'}\noverrides: {generators.coal.p_nom: 1}\n",
    )
    with pytest.raises(ScenarioError, match=r"no generator named 'coal'"):
        load_scenario(override).network()


def test_the_japan_korea_builder_still_refuses_unknown_keys(folder):
    path = scenario(folder, "base: {builder: 'jkenergy:japan_korea', interconector: 1}\n")
    with pytest.raises(ScenarioError, match=r"base\.interconector: unknown key"):
        load_scenario(path)
