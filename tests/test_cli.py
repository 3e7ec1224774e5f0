"""The ``jkenergy`` command: outputs, the cooperation identity, exit codes."""

from pathlib import Path

import pandas as pd
import pytest

import jkenergy as jk
from jkenergy.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "scenarios"
SHORT = "time: {hours: 24, representative_days: null}\n"


def short_pair(tmp_path: Path) -> Path:
    (tmp_path / "islanded.yaml").write_text(
        f"name: islanded\nextends: {EXAMPLES / 'islanded.yaml'}\n{SHORT}", encoding="utf-8"
    )
    link = tmp_path / "link.yaml"
    link.write_text(
        f"name: link-2gw\nextends: {EXAMPLES / 'interconnector_2gw.yaml'}\n"
        f"baseline: islanded.yaml\n{SHORT}",
        encoding="utf-8",
    )
    return link


def test_info(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "jkenergy" in out and "base year 2023" in out


def test_run_writes_results_and_cooperation_table(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--quiet", "run", str(short_pair(tmp_path)), "--out", str(out)]) == 0
    assert "Cooperation: link-2gw against islanded" in capsys.readouterr().out
    for name in ("result.nc", "summary.csv", "cooperation.csv", "baseline/result.nc"):
        assert (out / name).is_file(), name
    assert list((out / "figures").glob("*.png"))
    # identity: the total saving is the difference of the two objectives
    base = jk.open_results(out / "baseline" / "result.nc").objective
    link = jk.open_results(out / "result.nc").objective
    table = pd.read_csv(out / "cooperation.csv", index_col=[0, 1])
    saving = table.loc[("link-2gw", "total"), "saving vs islanded [USD]"]
    assert saving == pytest.approx(base - link, rel=1e-9)
    assert base - link > 0  # a free 2 GW link cannot make the system dearer

    assert main(["--quiet", "compare", str(out / "baseline"), str(out)]) == 0


def test_bad_input_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nbase: {colour: blue}\n", encoding="utf-8")
    assert main(["--quiet", "run", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert main(["--quiet", "run", str(tmp_path / "missing.yaml"), "--out", str(tmp_path)]) == 2


def test_infeasible_exits_3(tmp_path):
    """Japan must cover all its demand with renewables but may not build any more: infeasible."""
    s = tmp_path / "inf.yaml"
    s.write_text(
        "name: infeasible\nbase: {hydrogen: false}\ntime: {hours: 24}\n"
        "policy: {renewable_shares: {all: {country: JP, share: 1.0}}}\n"
        "overrides: {generators.JP_solar.p_nom_extendable: false, "
        "generators.JP_onwind.p_nom_extendable: false, "
        "generators.JP_offwind.p_nom_extendable: false}\n",
        encoding="utf-8",
    )
    assert main(["--quiet", "run", str(s), "--out", str(tmp_path / "o")]) == 3


def test_solver_limit_exits_4(tmp_path):
    s = tmp_path / "lim.yaml"
    s.write_text(
        "name: limited\ntime: {hours: 24}\n"
        "solver: {algorithm: simplex, options: {simplex_iteration_limit: 1, presolve: 'off'}}\n",
        encoding="utf-8",
    )
    assert main(["--quiet", "run", str(s), "--out", str(tmp_path / "o")]) == 4
