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

    def disk_full(ds, out_dir):
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "dispatch_JP.png").write_bytes(b"half a figure")
        raise OSError(28, "No space left on device", str(out_dir))

    out = tmp_path / "out"
    before = earlier_run(out)
    monkeypatch.setattr(plot, "save_all", disk_full)
    assert main(["run", str(one_day(tmp_path)), "--out", str(out)]) == 2
    assert files_in(out) == before
    assert no_leftovers(tmp_path)
    assert len(errors(caplog)) == 1 and "No space left on device" in errors(caplog)[0]


def test_ctrl_c_while_writing_exits_130_and_keeps_the_earlier_run(tmp_path, monkeypatch, caplog):
    from jkenergy import plot

    def interrupted(ds, out_dir):
        raise KeyboardInterrupt

    out = tmp_path / "out"
    before = earlier_run(out)
    monkeypatch.setattr(plot, "save_all", interrupted)
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
    assert "WARNING: not optimal: limited (time_limit)" in capsys.readouterr().out
    assert "limited (time_limit)" in errors(caplog)[-1]
    rows = pd.read_csv(table, index_col=[0, 1])
    assert set(rows.loc["limited", "termination"]) == {"time_limit"}
    assert set(rows.loc["islanded", "termination"]) == {"optimal"}
    argv = ["compare", str(base), str(limited), "--accept-nonoptimal"]
    assert main(argv) == 0
    assert "WARNING: not optimal: limited (time_limit)" in capsys.readouterr().out


def test_compare_keeps_folders_of_the_same_name_apart(pair_run, tmp_path, capsys):
    _, out, _ = pair_run
    first = copy_result(out / "baseline", tmp_path / "a" / "res")
    second = copy_result(out, tmp_path / "b" / "res")
    table = tmp_path / "t.csv"
    assert main(["--quiet", "compare", str(first), str(second), "--out", str(table)]) == 0
    rows = pd.read_csv(table, index_col=[0, 1])
    assert set(rows.index.get_level_values(0)) == {"a/res", "b/res"}
    saving = rows.loc[("b/res", "total"), "saving vs a/res [USD]"]
    objectives = [jk.open_results(f / "result.nc").objective for f in (first, second)]
    assert saving == pytest.approx(objectives[0] - objectives[1], rel=1e-9)
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
