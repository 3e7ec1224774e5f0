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


def test_run_several_solves_a_shared_baseline_once(tmp_path, capsys, caplog):
    """Two linked scenarios against one islanded baseline, and the baseline itself listed:
    three solves, each scenario in OUT/<file stem>, the savings as in the pairwise run."""
    link = short_pair(tmp_path)
    opt = tmp_path / "opt.yaml"
    opt.write_text(
        f"name: link-opt\nextends: {EXAMPLES / 'interconnector_optimal.yaml'}\n"
        f"baseline: islanded.yaml\n{SHORT}",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    files = [str(tmp_path / "islanded.yaml"), str(link), str(opt)]
    with caplog.at_level("INFO", logger="jkenergy"):
        assert main(["run", *files, "--out", str(out)]) == 0
    building = [r for r in caplog.records if r.getMessage().endswith(": building")]
    assert len(building) == 3
    printed = capsys.readouterr().out
    assert "Cooperation: link-2gw against islanded" in printed
    assert "Cooperation: link-opt against islanded" in printed
    base = jk.open_results(out / "islanded" / "result.nc").objective
    for stem, name in (("link", "link-2gw"), ("opt", "link-opt")):
        own = jk.open_results(out / stem / "result.nc").objective
        table = pd.read_csv(out / stem / "cooperation.csv", index_col=[0, 1])
        assert table.loc[(name, "total"), "saving vs islanded [USD]"] == pytest.approx(
            base - own, rel=1e-9
        )
    # the optimal link can choose 2 GW, so it saves at least as much as the fixed one
    opt_objective = jk.open_results(out / "opt" / "result.nc").objective
    link_objective = jk.open_results(out / "link" / "result.nc").objective
    assert opt_objective <= link_objective * (1 + 1e-9)


def test_run_several_files_of_the_same_name_is_bad_input(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "s.yaml").write_text(f"name: {d}\n{SHORT}", encoding="utf-8")
    files = [str(tmp_path / "a" / "s.yaml"), str(tmp_path / "b" / "s.yaml")]
    assert main(["--quiet", "run", *files, "--out", str(tmp_path / "o")]) == 2
    assert not (tmp_path / "o").exists()
