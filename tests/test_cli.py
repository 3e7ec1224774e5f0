"""The ``jkenergy`` command: outputs, the cooperation identity, exit codes."""

import contextlib
import io
import logging
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

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
    saving = table.loc[("link-2gw", "total"), "saving vs islanded [bn USD]"]  # as printed
    assert saving * 1e9 == pytest.approx(base - link, rel=1e-9)

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
        assert table.loc[(name, "total"), "saving vs islanded [bn USD]"] * 1e9 == pytest.approx(
            base - own,
            rel=1e-9,
            # country costs sum to the objective to 1e-9 of it (test_examples); with a
            # 0 MW link that rounding (here 2e-5 USD) is all that is left of a saving
            abs=1e-9 * base,
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


# ------------------------------------------- outputs: atomic, locked, checked first


def one_day(folder: Path, stem: str = "day", name: str = "islanded") -> Path:
    """The islanded scenario on its first 24 hours, as ``folder/<stem>.yaml``."""
    path = folder / f"{stem}.yaml"
    path.write_text(
        f"name: {name}\nextends: {EXAMPLES / 'islanded.yaml'}\n{SHORT}", encoding="utf-8"
    )
    return path


def earlier_run(out: Path) -> dict[str, bytes]:
    """A folder as an earlier run left it (its bytes stand in for its results)."""
    (out / "figures").mkdir(parents=True)
    content = {"result.nc": b"earlier result", "summary.csv": b"earlier summary",
               "figures/price_duration.png": b"earlier figure"}  # fmt: skip
    for name, data in content.items():
        (out / name).write_bytes(data)
    return content


def files_in(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def no_leftovers(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


def errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]


def built(caplog) -> bool:
    return any(r.getMessage().endswith(": building") for r in caplog.records)


@pytest.fixture(scope="module")
def pair_run(tmp_path_factory):
    """The short pair run once, into a folder holding an earlier run's files; the exit
    code, the folder and the log messages."""
    import logging

    root = tmp_path_factory.mktemp("pair")
    out = root / "out"
    earlier_run(out)
    (out / "stale.csv").write_text("from an earlier run")
    messages: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: messages.append(record.getMessage())
    log = logging.getLogger("jkenergy")
    log.addHandler(handler)
    level = log.level
    log.setLevel(logging.INFO)
    try:
        code = main(["run", str(short_pair(root)), "--out", str(out)])
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
    return code, out, messages


def test_rerun_replaces_the_folder_whole_and_says_so(pair_run):
    code, out, messages = pair_run
    assert code == 0
    assert not (out / "stale.csv").exists()  # nothing of the earlier run is left
    assert (out / "figures" / "price_duration.png").read_bytes() != b"earlier figure"
    assert jk.open_results(out / "result.nc").is_optimal
    assert any("exists; it is replaced whole" in m for m in messages)
    assert any(m.startswith("run: wrote") and "replacing" in m for m in messages)
    assert no_leftovers(out.parent)
    # every table says how its numbers were found
    assert set(pd.read_csv(out / "summary.csv")["termination"]) == {"optimal"}
    assert set(pd.read_csv(out / "cooperation.csv")["termination"]) == {"optimal"}


def test_fault_while_writing_leaves_the_earlier_run_intact(tmp_path, monkeypatch, caplog):
    """The disk fills up after result.nc was written (figures fail): exit 2 with one line,
    and the folder still holds the earlier run, byte for byte."""
    from jkenergy import plot

    def disk_full(results, name, baseline, out_dir):
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "dispatch_JP.png").write_bytes(b"half a figure")
        raise OSError(28, "No space left on device", str(out_dir))

    out = tmp_path / "out"
    before = earlier_run(out)
    monkeypatch.setattr(plot, "save_run", disk_full)
    assert main(["run", str(one_day(tmp_path)), "--out", str(out)]) == 2
    assert files_in(out) == before
    assert no_leftovers(tmp_path)
    assert len(errors(caplog)) == 1 and "No space left on device" in errors(caplog)[0]


def test_ctrl_c_while_writing_exits_130_and_keeps_the_earlier_run(tmp_path, monkeypatch, caplog):
    from jkenergy import plot

    def interrupted(results, name, baseline, out_dir):
        raise KeyboardInterrupt

    out = tmp_path / "out"
    before = earlier_run(out)
    monkeypatch.setattr(plot, "save_run", interrupted)
    assert main(["run", str(one_day(tmp_path)), "--out", str(out)]) == 130
    assert files_in(out) == before
    assert no_leftovers(tmp_path)
    assert errors(caplog) == ["interrupted; outputs in progress were discarded, earlier ones kept"]


def test_second_run_into_a_locked_folder_is_refused_before_building(tmp_path, caplog):
    from jkenergy import files

    out = tmp_path / "out"
    with files.folder_lock(out):
        assert main(["run", str(one_day(tmp_path)), "--out", str(out)]) == 2
    assert not built(caplog)
    assert len(errors(caplog)) == 1 and "is being written by another run" in errors(caplog)[0]
    assert not out.exists()


def read_only(tmp_path: Path) -> Path:
    """A folder this user cannot write into (root ignores permissions: then /sys)."""
    import os

    if os.geteuid() != 0:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    try:
        Path("/sys/.jk-probe").mkdir()
    except OSError:
        return Path("/sys")
    Path("/sys/.jk-probe").rmdir()
    pytest.skip("no read-only folder available to root")


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("a_file", "is a file, not a folder"),
        ("a_file/out", "which is a file"),
        ("read-only", "cannot write"),
    ],
)
def test_bad_out_is_refused_before_building(tmp_path, caplog, where, message):
    (tmp_path / "a_file").write_text("x")
    out = read_only(tmp_path) / "out" if where == "read-only" else tmp_path / where
    assert main(["run", str(one_day(tmp_path)), "--out", str(out)]) == 2
    assert not built(caplog)
    (line,) = errors(caplog)
    assert line.startswith("run --out: ") and message in line and "\n" not in line


def test_limit_without_a_solution_writes_nothing_and_says_so(tmp_path, caplog):
    s = tmp_path / "lim.yaml"
    s.write_text(
        "name: limited\ntime: {hours: 24}\n"
        "solver: {algorithm: simplex, options: {simplex_iteration_limit: 1, presolve: 'off'}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    before = earlier_run(out)
    assert main(["run", str(s), "--out", str(out)]) == 4
    assert files_in(out) == before
    (line,) = errors(caplog)
    assert "no results written" in line and "limited (iteration_limit)" in line
    assert not any("wrote" in r.getMessage() for r in caplog.records)


def test_scenario_with_its_baselines_name_is_refused_before_building(tmp_path, caplog):
    (tmp_path / "base.yaml").write_text(f"name: same\n{SHORT}", encoding="utf-8")
    s = tmp_path / "s.yaml"
    s.write_text(f"name: same\nbaseline: base.yaml\n{SHORT}", encoding="utf-8")
    assert main(["run", str(s), "--out", str(tmp_path / "o")]) == 2
    assert not built(caplog) and "has the same name 'same'" in errors(caplog)[0]


def test_several_files_with_one_name_or_one_folder_are_refused(tmp_path, caplog):
    a, b = one_day(tmp_path, "a", name="x"), one_day(tmp_path, "b", name="x")
    assert main(["run", str(a), str(b), "--out", str(tmp_path / "o")]) == 2
    assert "are both named 'x'" in errors(caplog)[-1]
    c, d = one_day(tmp_path, "c d", name="c"), one_day(tmp_path, "c_d", name="d")
    assert main(["run", str(c), str(d), "--out", str(tmp_path / "o")]) == 2
    assert "would both write to OUT/c_d" in errors(caplog)[-1]
    assert not built(caplog) and not (tmp_path / "o").exists()


def test_a_file_stem_of_dots_stays_inside_out(tmp_path):
    """``...yaml`` has the stem ``..``: its results go to OUT/__, not to OUT's parent."""
    out = tmp_path / "out"
    dots, other = one_day(tmp_path, "..", name="dots"), one_day(tmp_path, "other", name="o")
    assert dots.name == "...yaml"
    assert main(["--quiet", "run", str(dots), str(other), "--out", str(out)]) == 0
    assert (out / "__" / "result.nc").is_file() and (out / "other" / "result.nc").is_file()
    assert not (tmp_path / "result.nc").exists() and not (tmp_path / "summary.csv").exists()


# ------------------------------------------------------------------ compare


def copy_result(source: Path, target: Path, **attrs) -> Path:
    """Copy a run's result.nc to ``target/``, with its attributes changed by ``attrs``."""
    import xarray as xr

    from jkenergy.results import write_netcdf

    ds = xr.load_dataset(source / "result.nc", engine="h5netcdf")
    ds.attrs.update(attrs)
    write_netcdf(ds, target / "result.nc")
    return target


def test_compare_flags_a_result_that_is_not_optimal(pair_run, tmp_path, capsys, caplog):
    """A result stopped at a time limit: flagged in the table and its CSV, exit 4; with
    --accept-nonoptimal exit 0, still flagged."""
    _, out, _ = pair_run
    base = copy_result(out / "baseline", tmp_path / "islanded")
    limited = copy_result(out, tmp_path / "limited", status="warning",
                          termination_condition="time_limit")  # fmt: skip
    table = tmp_path / "t.csv"
    assert main(["compare", str(base), str(limited), "--out", str(table)]) == 4
    assert "WARNING: not optimal: link-2gw (time_limit)" in capsys.readouterr().out
    assert "link-2gw (time_limit)" in errors(caplog)[-1]
    rows = pd.read_csv(table, index_col=[0, 1])
    assert set(rows.loc["link-2gw", "termination"]) == {"time_limit"}
    assert set(rows.loc["islanded", "termination"]) == {"optimal"}
    argv = ["compare", str(base), str(limited), "--accept-nonoptimal"]
    assert main(argv) == 0
    assert "WARNING: not optimal: link-2gw (time_limit)" in capsys.readouterr().out


def test_compare_keeps_folders_of_the_same_name_apart(pair_run, tmp_path, capsys):
    _, out, _ = pair_run
    first = copy_result(out / "baseline", tmp_path / "a" / "res")
    second = copy_result(out, tmp_path / "b" / "res")
    table = tmp_path / "t.csv"
    assert main(["--quiet", "compare", str(first), str(second), "--out", str(table)]) == 0
    rows = pd.read_csv(table, index_col=[0, 1])
    assert set(rows.index.get_level_values(0)) == {"islanded", "link-2gw"}  # scenario names
    saving = rows.loc[("link-2gw", "total"), "saving vs islanded [bn USD]"]
    objectives = [jk.open_results(f / "result.nc").objective for f in (first, second)]
    assert saving * 1e9 == pytest.approx(objectives[0] - objectives[1], rel=1e-9)
    # two results of one scenario name, in folders of one name: labelled by their parents
    third = copy_result(out, tmp_path / "c" / "res")
    assert main(["--quiet", "compare", str(second), str(third), "--out", str(table)]) == 0
    rows = pd.read_csv(table, index_col=[0, 1])
    assert set(rows.index.get_level_values(0)) == {"b/res", "c/res"}
    assert rows.loc[("c/res", "total"), "saving vs b/res [bn USD]"] == pytest.approx(0.0)
    assert main(["--quiet", "compare", str(first), str(first)]) == 2


@pytest.mark.parametrize("damage", ["empty", "truncated", "text"])
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # h5netcdf
def test_compare_of_a_damaged_result_is_one_line(pair_run, tmp_path, caplog, damage):
    _, out, _ = pair_run
    data = (out / "result.nc").read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "result.nc").write_bytes(
        {"empty": b"", "truncated": data[: len(data) // 3], "text": b"not netcdf"}[damage]
    )
    assert main(["compare", str(out / "baseline"), str(bad)]) == 2
    (line,) = errors(caplog)
    assert f"{bad / 'result.nc'} is not a readable NetCDF file" in line and "\n" not in line


def test_compare_out_into_a_missing_folder_is_refused_first(tmp_path, caplog):
    missing = tmp_path / "missing" / "t.csv"
    assert main(["compare", str(tmp_path / "x"), str(tmp_path / "y"), "--out", str(missing)]) == 2
    (line,) = errors(caplog)
    assert line.startswith("compare --out: folder ") and "does not exist" in line


@pytest.fixture(scope="module")
def short_run(tmp_path_factory):
    """One run of the 24-hour pair, shared by the tests of what it prints and writes."""
    tmp = tmp_path_factory.mktemp("short")
    out = tmp / "out"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["run", str(short_pair(tmp)), "--out", str(out), "-q"]) == 0
    return out, buffer.getvalue()


def test_run_answers_first_in_80_columns(short_run):
    out, printed = short_run
    ds = jk.open_results(out / "result.nc").dataset
    base = jk.open_results(out / "baseline" / "result.nc").dataset
    assert printed.lstrip().startswith("Answer: link-2gw against islanded")
    size = float(ds["link_p_nom_opt"].sel(link="JP-KR")) / 1e3
    assert f"link JP-KR (hvdc) is {size:,.2f} GW, all of it new" in printed
    saving = (base.attrs["objective"] - ds.attrs["objective"]) / 1e9
    # a fixed 2 GW link need not pay on one day: the sentence follows the sign
    change = "falls" if saving >= 0 else "rises"
    if round(abs(saving), 3) == 0:
        assert "Total system cost of both countries is unchanged (to 0.001 bn USD)" in printed
    else:
        said = f"Total system cost of both countries {change} by {abs(saving):,.3f} bn USD"
        assert said in printed
    gain = jk.analysis.welfare(base)["net cost [USD]"] - jk.analysis.welfare(ds)["net cost [USD]"]
    for country, value in (gain / 1e9).items():
        assert f"{country} {'gains' if value >= 0 else 'loses'} {abs(value):,.3f} bn USD" in printed
    assert "CO2 price (cap): shadow price of a CO2 cap" in printed
    assert max(len(line) for line in printed.splitlines()) <= 80
    # units in the headers, the same units in the CSV files
    assert "[bn USD]" in printed and "[MtCO2]" in printed
    summary = pd.read_csv(out / "summary.csv", index_col=0)
    assert "system cost [bn USD]" in summary.columns and "H2 imported [TWh]" in summary.columns
    assert "carbon price (tax/ETS) [USD/tCO2]" in summary.columns
    stated = jk.datasets.carbon_prices(2030)["KR"]  # K-ETS market price, the default
    assert summary.loc["KR", "carbon price (tax/ETS) [USD/tCO2]"] == pytest.approx(stated)


def test_run_records_provenance(short_run, capsys):
    out, _ = short_run
    resolved = yaml.safe_load((out / "scenario.yaml").read_text(encoding="utf-8"))
    # extends: merged in: the interconnector from the 2 GW file, the time from the test's
    assert resolved["base"]["interconnector"] == 2000.0
    assert resolved["time"]["hours"] == 24 and resolved["extends"] is None
    assert resolved["policy"]["carbon_price"] == {}  # islanded.yaml sets none: the defaults
    attrs = jk.open_results(out / "result.nc").dataset.attrs
    assert attrs["jkenergy_version"] == jk.__version__
    assert attrs["data_sha256"] == jk.datasets.data_hash()
    assert re.fullmatch("[0-9a-f]{64}", attrs["scenario_sha256"])
    assert attrs["scenario_name"] == "link-2gw"
    assert yaml.safe_load(attrs["scenario_yaml"]) == resolved
    assert attrs["time_resolution"] == "24 snapshots of 365 h standing for 8760 h"
    assert attrs["solver"].startswith("HiGHS") and attrs["status"] == "ok"
    base = jk.open_results(out / "baseline" / "result.nc").dataset.attrs
    assert base["scenario_sha256"] != attrs["scenario_sha256"]
    assert main(["info", str(out)]) == 0
    printed = capsys.readouterr().out
    for line in ("scenario  ", "jkenergy version", "data set hash", "time resolution", "solver"):
        assert line in printed
    assert attrs["scenario_sha256"] in printed and str(out / "scenario.yaml") in printed


def test_run_writes_the_answer_figures(short_run):
    out, _ = short_run
    names = {p.name for p in (out / "figures").glob("*.png")}
    # the examples run Japan's nine areas: Japan's dispatch is drawn at its largest, Tokyo
    assert names == {
        "dispatch_Tokyo.png", "dispatch_KR.png", "link_heatmap_JP-KR.png", "cost_and_welfare.png",
        "capacity_mix.png", "price_duration.png",
    }  # fmt: skip
    assert {p.name for p in (out / "baseline" / "figures").glob("*.png")} == {
        "dispatch_Tokyo.png", "dispatch_KR.png", "capacity_mix.png", "price_duration.png"
    }  # fmt: skip


def test_compare_writes_figures(short_run, tmp_path, capsys):
    out, _ = short_run
    figures = tmp_path / "figs"
    assert main(["compare", str(out / "baseline"), str(out), "--figures", str(figures), "-q"]) == 0
    assert "Answer: link-2gw against islanded" in capsys.readouterr().out
    assert (figures / "link-2gw" / "cost_and_welfare.png").is_file()


def test_flags_after_the_command_version_and_did_you_mean(capsys):
    assert main(["info", "-q"]) == 0  # -q after the command
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.strip() == f"jkenergy {jk.__version__}"
    with pytest.raises(SystemExit) as stop:
        main(["run", "x.yaml", "--out", "o", "--ful-year"])
    assert stop.value.code == 2
    assert "did you mean --full-year?" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["rnu", "x.yaml"])
    assert "did you mean run?" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "``" not in capsys.readouterr().out  # no raw RST


def test_verbose_keeps_pyomo_quiet(tmp_path, caplog):
    """-v: jkenergy's debug messages, none of Pyomo's, even with the root logger at DEBUG
    (before, Pyomo's internals flooded the terminal with ~17,700 lines)."""
    caplog.set_level(logging.DEBUG)
    s = tmp_path / "tiny.yaml"
    s.write_text("name: tiny\nbase: {hydrogen: false}\ntime: {hours: 6}\n", encoding="utf-8")
    assert main(["run", str(s), "--out", str(tmp_path / "o"), "-v"]) == 0
    ours = [r for r in caplog.records if r.name.startswith("jkenergy")]
    assert any(r.levelno == logging.DEBUG for r in ours)
    assert not [r for r in caplog.records if r.name.startswith("pyomo")]


def test_scenario_hash_follows_what_changes_the_result():
    from jkenergy.cli import scenario_hash
    from jkenergy.scenario import Scenario

    one = Scenario(name="a", description="first", time={"hours": 24})
    same = Scenario(name="b", description="renamed", time={"hours": 24})
    other = Scenario(name="a", time={"hours": 24}, overrides={"links.JP-KR.p_nom_max": 8e3})
    assert scenario_hash(one) == scenario_hash(same)
    assert scenario_hash(one) != scenario_hash(other)


def test_jobs_2_solves_scenario_and_baseline_in_processes_with_the_same_answer(tmp_path):
    """--jobs 2: the scenario and its baseline in two processes; the objectives are those
    of the one-by-one run (each LP is the same; only where it is solved differs)."""
    pair = short_pair(tmp_path)
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["--quiet", "run", str(pair), "--out", str(one)]) == 0
    assert main(["--quiet", "run", str(pair), "--out", str(two), "--jobs", "2"]) == 0
    for name in ("result.nc", "baseline/result.nc"):
        assert jk.open_results(two / name).objective == pytest.approx(
            jk.open_results(one / name).objective, rel=1e-9
        )
    assert (two / "cooperation.csv").is_file()


def test_jobs_2_reports_a_failing_scenario_with_its_exit_code(tmp_path):
    pair = short_pair(tmp_path)
    (tmp_path / "islanded.yaml").write_text(
        f"name: islanded\nextends: {EXAMPLES / 'islanded.yaml'}\n{SHORT}"
        "overrides: {generators.KR_coal.p_nom: -5}\n",
        encoding="utf-8",
    )
    assert main(["--quiet", "run", str(pair), "--out", str(tmp_path / "o"), "--jobs", "2"]) == 2
    assert not (tmp_path / "o").exists()
