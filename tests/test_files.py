"""Writing outputs safely (``jkenergy.files``) and the result NetCDF files built on it:
atomic files and folders under injected faults and kills, the folder lock, names made from
user text, output checks, damaged and time-zone-aware result files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jkenergy as jk
from jkenergy import files
from jkenergy.errors import DataError, OutputError
from jkenergy.results import write_netcdf

SRC = Path(__file__).resolve().parents[1] / "src"
QUICK = settings(
    max_examples=40, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # fmt: skip


class Injected(Exception):
    """The fault a test injects in the middle of a write."""


def visible(folder: Path) -> list[str]:
    """Names in ``folder`` a user sees (temporary siblings are hidden: ``.<name>.tmp-*``)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


# ------------------------------------------------------------------ atomic file


@QUICK
@given(
    chunks=st.integers(0, 20),
    fail_after=st.integers(0, 20),
    data=st.binary(min_size=1, max_size=64),
)
def test_atomic_file_never_leaves_a_half_file(tmp_path, chunks, fail_after, data):
    """A write that fails at any point leaves the old file byte for byte; one that ends
    replaces it with the new content; no temporary file stays either way."""
    target = tmp_path / "table.csv"
    old = b"old content\n" * 3
    target.write_bytes(old)
    try:
        with files.atomic_file(target) as tmp, tmp.open("wb") as f:
            for i in range(chunks):
                if i == fail_after:
                    raise Injected
                f.write(data)
                f.flush()
    except Injected:
        assert target.read_bytes() == old
    else:
        assert target.read_bytes() == data * chunks
    assert leftovers(tmp_path) == []


def test_atomic_file_keeps_the_old_file_on_ctrl_c(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), files.atomic_file(target) as tmp:
        tmp.write_text("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- atomic folder


@QUICK
@given(n_files=st.integers(0, 6), fail_after=st.integers(0, 6))
def test_atomic_folder_replaces_whole_or_not_at_all(tmp_path, n_files, fail_after):
    """A folder built with faults injected after any number of files: the old folder is
    intact (all its files, none of the new); without a fault it is replaced whole."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    for p in out.iterdir():
        p.unlink()
    (out / "result.nc").write_text("old result")
    (out / "summary.csv").write_text("old summary")
    try:
        with files.atomic_folder(out) as tmp:
            for i in range(n_files):
                if i == fail_after:
                    raise Injected
                (tmp / f"new{i}.txt").write_text(f"new {i}")
    except Injected:
        assert visible(out) == ["result.nc", "summary.csv"]
        assert (out / "result.nc").read_text() == "old result"
    else:
        assert visible(out) == sorted(f"new{i}.txt" for i in range(n_files))
    assert leftovers(tmp_path) == []


def test_atomic_folder_creates_a_new_folder_and_its_parents(tmp_path):
    out = tmp_path / "a" / "b"
    with files.atomic_folder(out) as tmp:
        assert not out.exists()  # nothing is visible before the end
        (tmp / "x.txt").write_text("x")
    assert (out / "x.txt").read_text() == "x"


def test_atomic_folder_through_a_symbolic_link_replaces_its_target(tmp_path):
    """``--out`` a link to a folder: the folder it points to is replaced, the link kept."""
    real = tmp_path / "real"
    real.mkdir()
    (real / "old.txt").write_text("old")
    link = tmp_path / "link"
    link.symlink_to(real)
    with files.atomic_folder(link) as tmp:
        (tmp / "new.txt").write_text("new")
    assert link.is_symlink() and visible(real) == ["new.txt"]
    assert leftovers(tmp_path) == []
    with files.folder_lock(link), pytest.raises(OutputError):  # one folder, one lock
        with files.folder_lock(real):
            pass


def test_remove_stale_removes_only_this_folders_temporaries(tmp_path):
    out = tmp_path / "out"
    stale = tmp_path / f".out.tmp-{'a' * 12}"
    stale.mkdir()
    (stale / "result.nc").write_text("half")
    other = tmp_path / f".out2.tmp-{'b' * 12}"  # another folder's temporary: kept
    other.mkdir()
    assert files.remove_stale(out) == [stale]
    assert not stale.exists() and other.exists()


# ------------------------------------------------------------------ folder lock


def test_folder_lock_refuses_a_second_writer_in_this_process(tmp_path):
    out = tmp_path / "out"
    with files.folder_lock(out, what="run --out"):
        with pytest.raises(OutputError, match=r"run --out: .*out is being written by another"):
            with files.folder_lock(out, what="run --out"):
                pass
    with files.folder_lock(out):  # released at the end of the block
        pass


def test_folder_lock_refuses_a_second_writer_in_another_process(tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from jkenergy import files
            with files.folder_lock({str(out)!r}):
                print("locked", flush=True)
                sys.stdin.read()  # hold until the test closes stdin
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputError, match="being written by another run"):
            with files.folder_lock(out):
                pass
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    with files.folder_lock(out):  # the holder's death released it
        pass


# ------------------------------------------------------------ names and checks


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.text(min_size=1, max_size=300))
def test_safe_name_stays_one_name_inside_its_folder(text):
    """Whatever the text, the name is one path component, not hidden, ``.`` or ``..``,
    at most 200 bytes, and the path it makes has the folder as its parent."""
    name = files.safe_name(text)
    assert os.sep not in name and "/" not in name and "\0" not in name
    assert not name.startswith(".")
    assert len(name.encode()) <= 200
    root = Path("/tmp/out")
    assert (root / name).parent == root
    assert files.path_inside(root, name) == root / name


@pytest.mark.parametrize(
    ("text", "expected"),
    [("x/../..", "x_.._.."), ("..", "__"), ("...", "___"), ("a\\b", "a_b"), ("JP-KR", "JP-KR")],
)
def test_safe_name_by_hand(text, expected):
    assert files.safe_name(text) == expected


def test_safe_name_of_nothing_is_an_error():
    with pytest.raises(OutputError, match="scenario file: '' gives no usable file name"):
        files.safe_name("", what="scenario file")


def test_path_inside_refuses_a_way_out(tmp_path):
    with pytest.raises(OutputError, match="outside"):
        files.path_inside(tmp_path / "out", "..", "evil.png")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path)
    with pytest.raises(OutputError, match="outside"):
        files.path_inside(tmp_path / "out", "link", "evil.png")


def test_check_output_folder(tmp_path):
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(OutputError, match=r"run --out: .*a_file is a file, not a folder"):
        files.check_output_folder(tmp_path / "a_file", what="run --out")
    with pytest.raises(OutputError, match=r"below .*a_file, which is a file"):
        files.check_output_folder(tmp_path / "a_file" / "out", what="run --out")
    files.check_output_folder(tmp_path / "new" / "deeper")  # missing folders are fine
    assert not (tmp_path / "new").exists()  # and nothing was created


def read_only_folder(tmp_path: Path) -> Path:
    """A folder this user cannot write into (root ignores permissions: then /sys)."""
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


def test_check_output_folder_read_only(tmp_path):
    folder = read_only_folder(tmp_path)
    with pytest.raises(OutputError, match=r"run --out: cannot write .*out"):
        files.check_output_folder(folder / "out", what="run --out")


def test_check_output_file(tmp_path):
    with pytest.raises(OutputError, match=r"compare --out: folder .*missing does not exist"):
        files.check_output_file(tmp_path / "missing" / "t.csv", what="compare --out")
    with pytest.raises(OutputError, match="is a folder, not a file"):
        files.check_output_file(tmp_path, what="compare --out")
    files.check_output_file(tmp_path / "t.csv")
    assert visible(tmp_path) == []


# ----------------------------------------------------------- result NetCDF files


def fake_result(value: float, n: int = 1000) -> xr.Dataset:
    """A result-shaped dataset (the attributes open_results needs) whose every value is
    ``value``: which write a file holds can be told from any part of it."""
    return xr.Dataset(
        {"x": ("i", np.full(n, value)), "y": ("i", np.full(n, -value))},
        attrs={"objective": value, "status": "ok", "termination_condition": "optimal"},
    )


def which_result(path: Path) -> float:
    """The value of the fake result in ``path``; fails if the file is not whole."""
    result = jk.open_results(path)
    ds = result.dataset
    value = result.objective
    assert ds["x"].size in (1000, 2_000_000)
    np.testing.assert_array_equal(ds["x"].values, value)
    np.testing.assert_array_equal(ds["y"].values, -value)
    return value


WRITER = """
import sys
import numpy as np, xarray as xr
from jkenergy.results import write_netcdf
n = 2_000_000
ds = xr.Dataset(
    {"x": ("i", np.full(n, 2.0)), "y": ("i", np.full(n, -2.0))},
    attrs={"objective": 2.0, "status": "ok", "termination_condition": "optimal"},
)
write_netcdf(ds.isel(i=slice(0, 10)), sys.argv[2])  # warm up: imports, HDF5 start
print("ready", flush=True)
write_netcdf(ds, sys.argv[1])
print("done", flush=True)
"""


@settings(max_examples=5, deadline=None, database=None, derandomize=True)
@given(delay=st.floats(0.0, 0.6))
def test_killed_write_netcdf_leaves_the_old_result_or_the_new(delay):
    """Kill a process writing a 32 MB result over an earlier one, ``delay`` seconds into the
    write: the file is then the old result or the new one, whole, never a damaged one."""
    import tempfile

    folder, warm_up = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    target = folder / "result.nc"
    write_netcdf(fake_result(1.0), target)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target), str(warm_up / "warm.nc")],
        stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )  # fmt: skip
    assert writer.stdout.readline().strip() == "ready"
    time.sleep(delay)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=60)
    assert which_result(target) in (1.0, 2.0)
    assert visible(folder) == ["result.nc"]


def test_failed_write_netcdf_keeps_the_old_result(tmp_path):
    """A write that fails part-way (a variable NetCDF cannot store, after others were
    written) leaves the earlier file intact."""
    target = tmp_path / "result.nc"
    write_netcdf(fake_result(1.0), target)
    bad = fake_result(2.0).assign(z=("i", np.array([{"a": 1}] * 1000, dtype=object)))
    with pytest.raises(Exception):  # noqa: B017 - whatever the NetCDF library raises
        write_netcdf(bad, target)
    assert which_result(target) == 1.0
    assert visible(tmp_path) == ["result.nc"] and leftovers(tmp_path) == []


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # h5netcdf
@pytest.mark.parametrize("damage", ["empty", "truncated", "text", "zeroed"])
def test_damaged_result_file_is_a_data_error_naming_it(tmp_path, damage):
    good = tmp_path / "good.nc"
    write_netcdf(fake_result(1.0, n=20_000), good)
    data = good.read_bytes()
    path = tmp_path / f"{damage}.nc"
    path.write_bytes(
        {
            "empty": b"",
            "truncated": data[: len(data) // 2],
            "text": b"objective: 1\n",
            "zeroed": data[:2000] + bytes(4000) + data[6000:],
        }[damage]
    )
    with pytest.raises(DataError, match=rf"open_results: .*{damage}\.nc is not a readable"):
        jk.open_results(path)


def test_missing_result_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match=r"open_results: .*nothing\.nc not found"):
        jk.open_results(tmp_path / "nothing.nc")


def test_time_zone_aware_snapshots_round_trip(tmp_path):
    """Snapshots in Japan's time: written in UTC with the zone kept, read back as they were
    (the same instants: 2030-01-01 00:00 JST is 2029-12-31 15:00 UTC)."""
    n = jk.Network(
        snapshots=pd.date_range("2030-01-01", periods=3, freq="h", tz="Asia/Tokyo"),
        weights=1.0,
    )
    n.add_bus("JP", carrier="electricity", country="JP")
    n.add_load("JP_load", bus="JP", p=10.0)
    n.add_generator("JP_lng", bus="JP", carrier="lng", p_nom=20.0, marginal_cost=5.0)
    result = n.optimize(algorithm="simplex")
    result.to_netcdf(tmp_path / "result.nc")
    raw = xr.load_dataset(tmp_path / "result.nc", engine="h5netcdf")
    assert raw["snapshot"].attrs["timezone"] == "Asia/Tokyo"
    assert pd.Timestamp(raw["snapshot"].values[0]) == pd.Timestamp("2029-12-31 15:00")
    back = jk.open_results(tmp_path / "result.nc")
    assert back.dataset.indexes["snapshot"].equals(result.dataset.indexes["snapshot"])
    xr.testing.assert_identical(back.dataset, result.dataset)
    assert back.objective == pytest.approx(3 * 10.0 * 5.0)


# -------------------------------------------------------- names in figure files


def test_figure_names_from_bus_names_stay_inside(tmp_path):
    """A bus named ``x/../../evil``: its dispatch figure is written inside the folder."""
    n = jk.Network(snapshots=pd.date_range("2030-01-01", periods=3, freq="h"), weights=1.0)
    n.add_bus("x/../../evil", carrier="electricity", country="JP")
    n.add_load("load", bus="x/../../evil", p=10.0)
    n.add_generator("gen", bus="x/../../evil", carrier="lng", p_nom=20.0, marginal_cost=5.0)
    ds = n.optimize(algorithm="simplex").dataset
    from jkenergy import plot

    out = tmp_path / "a" / "figures"
    paths = plot.save_all(ds, out)
    assert [p.parent for p in paths] == [out] * len(paths)
    assert out / "dispatch_x_.._.._evil.png" in paths
    assert sorted(p.name for p in tmp_path.rglob("*.png")) == sorted(p.name for p in paths)
