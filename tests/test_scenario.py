"""Scenario files: validation with file and key path in every error, extends, overrides."""

import time
from pathlib import Path

import pandas as pd
import pytest

import jkenergy as jk
from jkenergy.scenario import Scenario, ScenarioError, TimeOptions, load_scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "scenarios"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_scenario_validates(path):
    scenario = load_scenario(path)
    assert scenario.name
    if scenario.baseline:
        assert scenario.baseline_scenario() is not None


def test_extends_merges_key_by_key(tmp_path):
    write(tmp_path, "parent.yaml", "name: parent\nbase: {year: 2030, nuclear: operable}\n"
          "policy: {carbon_price: {KR: 10}}\n"
          "overrides: {generators.JP_solar.p_nom_max: 1.0e5}\n")  # fmt: skip
    child = write(tmp_path, "child.yaml", "name: child\nextends: parent.yaml\n"
                  "base: {interconnector: 2000}\npolicy: {carbon_price: {JP: 5}}\n"
                  "overrides: {generators.KR_solar.p_nom_max: 9.0e4}\n")  # fmt: skip
    s = load_scenario(child)
    assert s.name == "child"
    assert (s.base.year, s.base.nuclear, s.base.interconnector) == (2030, "operable", 2000.0)
    assert s.policy.carbon_price == {"KR": 10.0, "JP": 5.0}
    assert s.overrides == {
        "generators.JP_solar.p_nom_max": 1.0e5,
        "generators.KR_solar.p_nom_max": 9.0e4,
    }


def test_unknown_key_names_file_and_key_path(tmp_path):
    path = write(tmp_path, "bad.yaml", "name: bad\nbase: {year: 2030, interconector: 2000}\n")
    with pytest.raises(ScenarioError, match=r"bad\.yaml: base\.interconector: unknown key"):
        load_scenario(path)


def test_wrong_type_and_range_name_the_key(tmp_path):
    path = write(tmp_path, "bad.yaml", "name: bad\nbase: {regions: prefectures}\n")
    with pytest.raises(ScenarioError, match=r"bad\.yaml: base\.regions"):
        load_scenario(path)
    path = write(
        tmp_path,
        "bad2.yaml",
        "name: bad\npolicy: {co2_limits: {cap: {countries: [JP], limit: -1}}}\n",
    )
    with pytest.raises(ScenarioError, match=r"policy\.co2_limits\.cap\.limit"):
        load_scenario(path)
    path = write(tmp_path, "bad3.yaml", "name: bad\npolicy: {carbon_price: {KR: -5}}\n")
    with pytest.raises(ScenarioError, match=r"policy\.carbon_price"):
        load_scenario(path)


def test_regions_three_builds_three_japanese_nodes_and_bad_values_list_it(tmp_path):
    path = write(tmp_path, "three.yaml", "name: three\nbase: {regions: three}\ntime: {hours: 2}\n")
    n = load_scenario(path).network()
    assert list(n.buses.index[n.buses["carrier"] == "electricity"]) == [
        "East",
        "West",
        "Kyushu",
        "KR",
    ]
    bad = write(tmp_path, "four.yaml", "name: four\nbase: {regions: four}\n")
    with pytest.raises(ScenarioError, match=r"base\.regions: .*'national', 'three' or 'areas'"):
        load_scenario(bad)


def test_missing_name_and_malformed_yaml(tmp_path):
    with pytest.raises(ScenarioError, match="name: required key missing"):
        load_scenario(write(tmp_path, "a.yaml", "base: {year: 2030}\n"))
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(write(tmp_path, "b.yaml", "name: [unclosed\n"))
    with pytest.raises(ScenarioError, match="not found"):
        load_scenario(tmp_path / "missing.yaml")


def test_circular_extends(tmp_path):
    write(tmp_path, "a.yaml", "name: a\nextends: b.yaml\n")
    write(tmp_path, "b.yaml", "name: b\nextends: a.yaml\n")
    with pytest.raises(ScenarioError, match="circular"):
        load_scenario(tmp_path / "a.yaml")


def test_override_errors_name_file_and_component(tmp_path):
    path = write(
        tmp_path, "o.yaml", "name: o\ntime: {hours: 2}\noverrides: {generators.JP_sun.p_nom: 1}\n"
    )
    with pytest.raises(ScenarioError, match=r"o\.yaml.*JP_sun"):
        load_scenario(path).network()
    path = write(tmp_path, "p.yaml", "name: p\noverrides: {p_nom: 1}\n")
    with pytest.raises(ScenarioError, match=r"overrides.*<table>\.<component>\.<attribute>"):
        load_scenario(path)
    path = write(tmp_path, "q.yaml", "name: q\ntime: {hours: 2}\npolicy: {carbon_price: {CN: 5}}\n")
    with pytest.raises(ScenarioError, match=r"q\.yaml.*'CN'"):
        load_scenario(path).network()


def test_scenario_builds_the_network_it_describes(tmp_path):
    path = write(tmp_path, "s.yaml", "name: s\nbase: {interconnector: 1500}\ntime: {hours: 6}\n"
                 "policy: {co2_limits: {joint: {countries: [JP, KR], limit: 1.0e8}}}\n"
                 "overrides: {links.JP-KR.efficiency: 0.95}\n")  # fmt: skip
    n = load_scenario(path).network()
    assert len(n.snapshots) == 6
    assert n.links.loc["JP-KR", ["p_nom_min", "p_nom_max", "efficiency"]].tolist() == [
        1500.0,
        1500.0,
        0.95,
    ]
    assert n.co2_limits.loc["joint", "limit"] == 1.0e8
    assert isinstance(n, jk.Network)


# ------------------------------------------------------- settings that would be lost


def test_key_given_twice_names_file_and_key_path(tmp_path):
    """PyYAML keeps the last of two equal keys: the first ``policy:`` would vanish."""
    path = write(tmp_path, "twice.yaml", "name: twice\npolicy: {carbon_price: {KR: 10}}\n"
                 "time: {hours: 24}\npolicy: {carbon_price: {JP: 5}}\n")  # fmt: skip
    with pytest.raises(
        ScenarioError, match=r"twice\.yaml: policy: key given twice \(lines 2 and 4"
    ):
        load_scenario(path)
    nested = write(tmp_path, "nested.yaml", "name: n\npolicy:\n  carbon_price:\n"
                   "    KR: 10\n    KR: 20\n")  # fmt: skip
    with pytest.raises(ScenarioError, match=r"nested\.yaml: policy\.carbon_price\.KR: key given"):
        load_scenario(nested)


def test_key_given_twice_in_an_extended_file_names_that_file(tmp_path):
    write(tmp_path, "parent.yaml", "name: p\nbase: {year: 2030}\nbase: {year: 2040}\n")
    child = write(tmp_path, "child.yaml", "name: c\nextends: parent.yaml\n")
    with pytest.raises(ScenarioError, match=r"parent\.yaml: base: key given twice"):
        load_scenario(child)


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("{hours: 48, representative_days: 3}", "3 days is more than the horizon's 2 "
         r"\(time.hours: 48\)"),
        ("{representative_days: 366}", r"366 days is more than the horizon's 365 \(the year 2030"),
    ],
)  # fmt: skip
def test_more_representative_days_than_the_horizon_has(tmp_path, time, message):
    path = write(tmp_path, "days.yaml", f"name: days\ntime: {time}\n")
    with pytest.raises(ScenarioError, match=rf"days\.yaml: time\.representative_days: {message}"):
        load_scenario(path)


def test_representative_days_up_to_the_horizon_are_accepted(tmp_path):
    """2032 is a leap year: 366 days; 48 hours hold 2 days."""
    path = write(tmp_path, "leap.yaml", "name: leap\nbase: {year: 2032}\n"
                 "time: {representative_days: 366}\n")  # fmt: skip
    assert load_scenario(path).time.representative_days == 366
    path = write(tmp_path, "two.yaml", "name: two\ntime: {hours: 48, representative_days: 2}\n")
    assert load_scenario(path).time.representative_days == 2


def test_scenario_and_baseline_of_the_same_name_is_an_error(tmp_path):
    write(tmp_path, "base.yaml", "name: same\n")
    scenario = write(tmp_path, "s.yaml", "name: same\nbaseline: base.yaml\n")
    with pytest.raises(ScenarioError, match=r"s\.yaml: baseline: .*base\.yaml has the same name"):
        load_scenario(scenario).baseline_scenario()
    itself = write(tmp_path, "self.yaml", "name: self\nbaseline: self.yaml\n")
    with pytest.raises(ScenarioError, match="has the same name 'self'"):
        load_scenario(itself).baseline_scenario()


def test_error_message_of_a_huge_value_stays_short(tmp_path):
    path = write(tmp_path, "huge.yaml", "name: huge\nbase: {year: [" + "1, " * 20_000 + "1]}\n")
    with pytest.raises(ScenarioError, match=r"huge\.yaml: base\.year") as err:
        load_scenario(path)
    assert len(str(err.value)) < 300


# ------------------------------------------------------------- hostile YAML

# 9 levels of 9 aliases: 9**9 (387 million) strings once expanded, from about 400 bytes
BOMB = "name: bomb\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_alias_bomb_in_a_scenario_fails_fast_and_short(tmp_path):
    path = write(tmp_path, "bomb.yaml", BOMB)
    assert len(BOMB) < 500
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match=r"bomb\.yaml: line 2: YAML anchors and aliases") as e:
        load_scenario(path)
    assert time.perf_counter() - start < 0.5
    assert len(str(e.value)) < 300


def test_alias_bomb_in_a_grid_file_fails_fast_and_short(tmp_path):
    from jkenergy.sweeps.grid import SweepError, load_grid

    path = write(tmp_path, "grid.yaml", BOMB.replace("name: bomb\n", "") + "axes: {x: *i}\n")
    start = time.perf_counter()
    with pytest.raises(SweepError, match=r"grid\.yaml: .*YAML anchors and aliases") as e:
        load_grid(path)
    assert time.perf_counter() - start < 0.5
    assert len(str(e.value)) < 300


def test_single_alias_and_merge_key_are_refused_too(tmp_path):
    path = write(tmp_path, "merge.yaml", "name: m\nx: &p {year: 2030}\nbase:\n  <<: *p\n")
    with pytest.raises(ScenarioError, match=r"merge\.yaml: line 2: YAML anchors"):
        load_scenario(path)


def test_a_scenario_from_scratch_gets_the_stated_policies_of_its_year():
    """No ``extends:``, no policy section: the builder's stated 2030 carbon prices, by hand
    (JP: carbon tax 289 + GX-ETS midpoint (1,700 + 4,300)/2 x 1.03^4 JPY/t at 150 JPY/USD;
    KR: K-ETS 9,587 KRW/t at 1,420 KRW/USD), the same as the islanded example's."""
    expected = {"JP": (289 + 3000 * 1.03**4) / 150, "KR": 9587 / 1420}
    scratch = Scenario(name="scratch", time={"hours": 2}).network()
    assert scratch.carbon_prices == pytest.approx(expected, rel=1e-5)
    example = load_scenario(EXAMPLES / "islanded.yaml")
    islanded = example.model_copy(update={"time": TimeOptions(hours=2)}).network()
    assert islanded.carbon_prices == pytest.approx(expected, rel=1e-5)
    low = Scenario(name="low", base={"gx_ets": "low"}, time={"hours": 2}).network()
    assert low.carbon_prices["JP"] == pytest.approx((289 + 1700 * 1.03**4) / 150, rel=1e-5)


def test_caps_replace_both_stated_carbon_prices():
    caps = load_scenario(EXAMPLES / "carbon_separate_caps.yaml")
    network = caps.model_copy(update={"time": TimeOptions(hours=2)}).network()
    assert network.carbon_prices == {}


# ------------------------------------------- p_nom of a build of fixed size, in overrides

FIXED_LINK_MODEL = """
import pandas as pd
import jkenergy as jk


def build():
    n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    n.add_bus("A", country="JP")
    n.add_bus("B", country="KR")
    n.add_load("d", bus="B", p=100.0)
    n.add_generator("gA", bus="A", carrier="gas", p_nom=200.0, marginal_cost=10.0)
    n.add_generator("gB", bus="B", carrier="gas", p_nom=200.0, marginal_cost=50.0)
    n.add_link("AB", bus0="A", bus1="B", capital_cost=30.0, p_nom_extendable=True,
               p_nom_min=80.0, p_nom_max=80.0)
    return n


def with_a_minimum():
    n = build()
    n.add_generator("gC", bus="B", p_nom_extendable=True, p_nom_min=50.0, p_nom_max=100.0)
    return n
"""


@pytest.mark.parametrize("size", [0.0, 40.0, 80.0])
def test_override_of_p_nom_sets_the_size_of_a_build_of_fixed_size(tmp_path, size):
    """The sweep's hand model (tests/sweeps/test_sizes.py) as a scenario file: bus A has a
    generator at 10 USD/MWh, bus B a load of 100 MW and a generator at 50 USD/MWh, 2 hours
    of weight 1; the new link A -> B (80 MW, p_nom_min = p_nom_max, 30 USD/MW) of size S
    carries S MW: objective = 30 S + 2 (10 S + 50 (100 - S)) = 10000 - 50 S.

    An override ``links.AB.p_nom: S`` used to set the existing capacity under the 80 MW
    build instead: the link stayed 80 MW with S of it free, 30 (80 - S) + 2 (800 + 1000) =
    6000 - 30 S (4800 for S = 40), whatever S was meant.
    """
    path = fixed_link_scenario(tmp_path, "f", f"links.AB.p_nom: {size}")
    result = load_scenario(path).solve(algorithm="simplex")
    assert result.is_optimal
    assert float(result.dataset["link_p_nom_opt"].sel(link="AB")) == pytest.approx(size)
    assert result.objective == pytest.approx(10000.0 - 50.0 * size)


def fixed_link_scenario(tmp_path, name: str, overrides: str) -> Path:
    (tmp_path / "fixed_link_model_for_tests.py").write_text(FIXED_LINK_MODEL)
    body = f"name: {name}\nbase: {{builder: 'fixed_link_model_for_tests:build'}}\n"
    return write(tmp_path, f"{name}.yaml", body + f"overrides: {{{overrides}}}\n")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ("links.AB.p_nom: 40, links.AB.p_nom_min: 60", r"links\.AB\.p_nom_min: .* before"),
        ("generators.gB.p_nom: 100, generators.gB.p_nom_extendable: true, "
         "generators.gB.p_nom_min: 250, generators.gB.p_nom_max: 250",
         r"generators\.gB\.p_nom_extendable: .* after"),
    ],
)  # fmt: skip
def test_override_of_p_nom_and_the_bounds_of_a_fixed_build_is_refused(tmp_path, overrides, message):
    path = fixed_link_scenario(tmp_path, "g", overrides)
    with pytest.raises(ScenarioError, match=r"g\.yaml: overrides: .*p_nom and " + message):
        load_scenario(path).network()


def test_override_of_p_nom_on_a_fixed_build_made_existing_capacity(tmp_path):
    """``p_nom: 40`` with ``p_nom_extendable: false``: the 80 MW build becomes an existing,
    free 40 MW link (the bounds first, then p_nom). By hand: 2 h x (10 x 40 + 50 x 60) =
    6800 USD, no capital cost."""
    path = fixed_link_scenario(
        tmp_path, "e", "links.AB.p_nom: 40, links.AB.p_nom_extendable: false"
    )
    result = load_scenario(path).solve(algorithm="simplex")
    assert float(result.dataset["link_p_nom_opt"].sel(link="AB")) == pytest.approx(40.0)
    assert result.objective == pytest.approx(6800.0)


def test_override_of_p_nom_and_the_bounds_of_an_optimised_build(tmp_path):
    """Not a build of fixed size: the bounds, then p_nom as the existing capacity; lowering
    both bounds below the current minimum works in one file."""
    path = fixed_link_scenario(
        tmp_path, "h", "generators.gB.p_nom: 100, generators.gB.p_nom_extendable: true, "
        "generators.gB.p_nom_max: 300",
    )  # fmt: skip
    n = load_scenario(path).network()
    assert n.generators.loc["gB", ["p_nom", "p_nom_min", "p_nom_max"]].tolist() == [
        100.0, 0.0, 300.0,
    ]  # fmt: skip
    path = fixed_link_scenario(
        tmp_path, "k", "generators.gC.p_nom: 5, generators.gC.p_nom_max: 30, "
        "generators.gC.p_nom_min: 10",
    )  # fmt: skip
    text = path.read_text().replace(":build'", ":with_a_minimum'")
    n = load_scenario(write(tmp_path, "k.yaml", text)).network()
    assert n.generators.loc["gC", ["p_nom", "p_nom_min", "p_nom_max"]].tolist() == [
        5.0, 10.0, 30.0,
    ]  # fmt: skip


def test_override_of_the_japan_korea_links_p_nom_is_its_size(tmp_path):
    """``interconnector: 2000`` with ``links.JP-KR.p_nom: 1000`` is the study built with
    ``interconnector: 1000`` (a new 1000 MW link paid at capital cost), not 1000 MW of free
    capacity under a 2000 MW build."""
    path = write(tmp_path, "i.yaml", "name: i\nbase: {interconnector: 2000}\ntime: {hours: 2}\n"
                 "overrides: {links.JP-KR.p_nom: 1000}\n")  # fmt: skip
    overridden = load_scenario(path).network().links.loc["JP-KR"]
    built = Scenario(name="b", base={"interconnector": 1000}, time={"hours": 2}).network()
    pd.testing.assert_series_equal(overridden, built.links.loc["JP-KR"])
    assert overridden[["p_nom", "p_nom_min", "p_nom_max"]].tolist() == [0.0, 1000.0, 1000.0]
