"""Scenario files: ``policy.reserve_margin`` is validated and reaches the network."""

from pathlib import Path

import pytest

from jkenergy.scenario import ScenarioError, load_scenario


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reserve_margin_reaches_the_network(tmp_path):
    path = _write(
        tmp_path,
        "name: rm\ntime: {hours: 6}\n"
        "policy: {reserve_margin: {KR_rm: {countries: [KR], margin: 0.22}}}\n",
    )
    n = load_scenario(path).network()
    rm = n.reserve_margins.loc["KR_rm"]
    assert rm["countries"] == ("KR",)
    assert float(rm["margin"]) == 0.22
    assert float(rm["storage_hours"]) == 4.0


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("{KR_rm: {countries: [KR], margin: -0.1}}", r"policy\.reserve_margin\.KR_rm\.margin"),
        ("{KR_rm: {countries: [], margin: 0.1}}", r"policy\.reserve_margin\.KR_rm\.countries"),
        ("{KR_rm: {countries: [KR]}}", r"policy\.reserve_margin\.KR_rm\.margin: required"),
        ("{KR_rm: {countries: [KR], margin: 0.1, peak: 1}}", r"KR_rm\.peak: unknown key"),
    ],
)
def test_bad_reserve_margin_names_the_key(tmp_path, body, key):
    path = _write(tmp_path, f"name: bad\npolicy: {{reserve_margin: {body}}}\n")
    with pytest.raises(ScenarioError, match=key):
        load_scenario(path)


def test_unknown_country_names_the_file(tmp_path):
    path = _write(
        tmp_path,
        "name: bad\ntime: {hours: 6}\n"
        "policy: {reserve_margin: {CN_rm: {countries: [CN], margin: 0.1}}}\n",
    )
    with pytest.raises(ScenarioError, match=r"s\.yaml: reserve_margin 'CN_rm': country 'CN'"):
        load_scenario(path).network()
