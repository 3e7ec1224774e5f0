"""Nothing lost, nothing stale, no one let in: what a sweep store and its cluster guarantee.

A 6-hour Japan–Korea scenario and 3 cases on 1 worker process; interrupts come from the
sweep's own progress step after a case is stored (a real SIGINT, at a fixed point), never
from a timer.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import operator
import socket
import ssl
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import jkenergy as jk
from jkenergy.cli import main
from jkenergy.errors import ArgumentError
from jkenergy.sweeps import EXIT_INTERRUPTED, Case, SweepError, make_job, open_sweep
from jkenergy.sweeps import run as sweep_run
from jkenergy.sweeps.store import checksum_path

SCENARIO = jk.Scenario.model_validate(
    {"name": "integrity", "base": {"interconnector": 1000}, "time": {"hours": 6},
     "solver": {"algorithm": "simplex"}}
)  # fmt: skip
# another base: a carbon price in Japan too, so every case costs more
OTHER = SCENARIO.model_copy(
    update={"policy": SCENARIO.policy.model_copy(update={"carbon_price": {"JP": 30.0}})}
)
GRID = {"carbon_price.KR": [0, 40, 80]}
YAML = "name: integrity\nbase: {interconnector: 1000}\ntime: {hours: 6}\n"


def _log_solves(directory: Path, slow_after_first: bool = False):
    """Case hook: one file per case solved, named by the case id; with
    ``slow_after_first``, every case but the first takes 1.5 s more, so that an interrupt
    after the first case is stored finds the others unfinished."""

    def hook(values):
        directory.mkdir(exist_ok=True)
        first = not any(directory.iterdir())
        (directory / Case(0, values).id).touch()
        if slow_after_first and not first:
            time.sleep(1.5)

    return hook


def _solved(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()} if directory.exists() else set()


def _case_attrs(store: Path) -> dict[str, dict]:
    out = {}
    for path in store.glob("case-*.nc"):
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            out[path.name] = dict(ds.attrs)
    return out


# ---------------------------------------------------------------- issue 17.11


def test_resume_after_an_interrupted_force_run_keeps_no_case_of_the_old_base(tmp_path, ctrl_c):
    store = tmp_path / "s"
    first = jk.sweep(SCENARIO, GRID, store, workers=1, progress=False)
    assert (first["status"] == "ok").all()

    ctrl_c.arm()  # the base changed: a forced run, killed after its first case
    with pytest.raises(KeyboardInterrupt):
        jk.sweep(OTHER, GRID, store, workers=1, force=True, progress=False,
                 case_hook=_log_solves(tmp_path / "forced", slow_after_first=True))  # fmt: skip
    forced = _solved(tmp_path / "forced")
    new = make_job(OTHER, store).fingerprint
    kept_old = [n for n, a in _case_attrs(store).items() if a["sweep_base_fingerprint"] != new]
    assert kept_old  # the state the issue found: old cases beside new ones

    resumed = jk.sweep(OTHER, GRID, store, workers=1, progress=False,
                       case_hook=_log_solves(tmp_path / "resumed"))  # fmt: skip
    assert (resumed["status"] == "ok").all()
    # every stored case is of the new base; the old ones were solved again, nothing twice
    assert {a["sweep_base_fingerprint"] for a in _case_attrs(store).values()} == {new}
    again = _solved(tmp_path / "resumed")
    assert {f"case-{c}.nc" for c in again} == set(kept_old)
    assert forced - again  # the case the forced run stored is kept
    # a carbon price in Japan costs more in every case
    assert (resumed["objective"] > first["objective"]).all()


def test_a_callable_base_is_fingerprinted_by_its_source(tmp_path):
    def load(source: str):
        path = tmp_path / f"v{len(list(tmp_path.iterdir()))}" / "jk_base.py"
        path.parent.mkdir()
        path.write_text(source)
        spec = importlib.util.spec_from_file_location("jk_base", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.base

    body = (
        "import pandas as pd\nimport jkenergy as jk\n\ndef base():\n"
        "    n = jk.Network(pd.date_range('2030', periods=1, freq='h'))\n"
        "    n.add_bus('A')\n    n.add_load('d', bus='A', p={load})\n"
        "    n.add_generator('g', bus='A', p_nom=100.0)\n    return n\n"
    )
    one, two = load(body.format(load=10.0)), load(body.format(load=20.0))
    assert one.__qualname__ == two.__qualname__ and one.__module__ == two.__module__
    assert make_job(one, tmp_path).fingerprint != make_job(two, tmp_path).fingerprint
    assert make_job(one, tmp_path).fingerprint == make_job(one, tmp_path).fingerprint


# ---------------------------------------------------------------- issue 17.12


def test_a_damaged_case_is_named_and_solved_again(tmp_path, caplog):
    store = tmp_path / "s"
    first = jk.sweep(SCENARIO, GRID, store, workers=1, progress=False)
    ids = first["case_id"].values.tolist()
    truncated, zeroed = store / f"case-{ids[0]}.nc", store / f"case-{ids[2]}.nc"
    # each case has its checksum, in the format of sha256sum
    line = checksum_path(truncated).read_text().split()
    assert line[1] == truncated.name and len(line[0]) == 64
    data = truncated.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    data = bytearray(zeroed.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = bytes(4096)
    zeroed.write_bytes(bytes(data))

    with caplog.at_level(logging.WARNING):
        ds = open_sweep(store)
    assert ds["status"].values.tolist() == ["missing", "ok", "missing"]
    for i, path in ((0, truncated), (2, zeroed)):
        assert str(path) in str(ds["error"].values[i])
        assert "do not match the SHA-256" in str(ds["error"].values[i])
        assert str(path) in caplog.text
    assert np.isnan(ds["objective"].values[[0, 2]]).all()
    assert float(ds["objective"][1]) == float(first["objective"][1])

    caplog.clear()
    with caplog.at_level(logging.WARNING):
        again = jk.sweep(SCENARIO, GRID, store, workers=1, progress=False,
                         case_hook=_log_solves(tmp_path / "log"))  # fmt: skip
    assert _solved(tmp_path / "log") == {ids[0], ids[2]}
    assert f"{truncated}: damaged" in caplog.text and f"{zeroed}: damaged" in caplog.text
    assert (again["status"] == "ok").all()
    np.testing.assert_allclose(again["objective"], first["objective"], rtol=1e-9)


def test_a_case_without_its_checksum_is_solved_again(tmp_path):
    store = tmp_path / "s"
    first = jk.sweep(SCENARIO, {"carbon_price.KR": [0]}, store, workers=1, progress=False)
    checksum_path(store / f"case-{first['case_id'].item()}.nc").unlink()
    assert open_sweep(store)["status"].item() == "missing"
    assert "no checksum file" in str(open_sweep(store)["error"].item())


# ---------------------------------------------------------------- issue 17.17, 17.4


def _cli_files(tmp_path: Path) -> tuple[str, str]:
    scenario, grid = tmp_path / "s.yaml", tmp_path / "grid.yaml"
    scenario.write_text(YAML)
    grid.write_text("axes:\n  carbon_price.KR: [0, 40, 80]\n")
    return str(scenario), str(grid)


def _one_line_error(caplog, capsys, *needles: str) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "\n" not in errors[0].getMessage()
    assert errors[0].exc_info is None
    for needle in needles:
        assert needle in errors[0].getMessage()
    assert "Traceback" not in capsys.readouterr().err


def test_a_truncated_grid_json_is_named(tmp_path, caplog, capsys):
    store = tmp_path / "out"
    store.mkdir()
    (store / "grid.json").write_text('{"format": 2, "base_fingerprint": "ab", "axes": {"carbo')
    with pytest.raises(SweepError, match=r"grid\.json: damaged, not valid JSON"):
        open_sweep(store)
    with pytest.raises(SweepError, match=r"grid\.json: damaged"):
        jk.sweep(SCENARIO, GRID, store, progress=False)
    scenario, grid = _cli_files(tmp_path)
    assert main(["sweep", scenario, "--grid", grid, "--out", str(store)]) == 2
    _one_line_error(caplog, capsys, str(store / "grid.json"), "--force")
    (store / "grid.json").write_text('["not", "a", "grid"]')
    with pytest.raises(SweepError, match=r"grid\.json: not a sweep's grid file"):
        open_sweep(store)


@pytest.mark.parametrize("workers", ["0", "-2", "two"])
def test_workers_must_be_a_positive_number(workers, tmp_path, capsys):
    scenario, grid = _cli_files(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", scenario, "--grid", grid, "--out", str(tmp_path / "o"),
              "--workers", workers])  # fmt: skip
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --workers: expected a whole number >= 1, got '{workers}'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("workers", [0, -2, 1.5, True])
def test_workers_must_be_a_positive_number_in_the_api(workers, tmp_path):
    with pytest.raises(ArgumentError, match="workers must be a whole number >= 1"):
        jk.sweep(SCENARIO, GRID, tmp_path / "o", workers=workers, progress=False)
    assert not (tmp_path / "o").exists()


def test_workers_with_a_client_is_refused(tmp_path):
    with pytest.raises(ArgumentError, match="cannot take effect with client="):
        jk.sweep(SCENARIO, GRID, tmp_path / "o", client="tcp://127.0.0.1:1", workers=2)


def test_a_scheduler_that_does_not_answer_is_named(tmp_path, caplog, capsys):
    import dask
    import distributed  # noqa: F401 - its config defaults first, or the set() below drops them

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    scenario, grid = _cli_files(tmp_path)
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(["sweep", scenario, "--grid", grid, "--out", str(tmp_path / "o"),
                     "--scheduler", address])  # fmt: skip
    assert code == 2
    _one_line_error(caplog, capsys, address, "--scheduler")


def test_ctrl_c_ends_the_cli_with_one_line_and_exit_130(tmp_path, ctrl_c, capsys):
    scenario, grid = _cli_files(tmp_path)
    out = tmp_path / "o"
    ctrl_c.arm()
    code = main(["sweep", scenario, "--grid", grid, "--out", str(out), "--workers", "1"])
    assert code == EXIT_INTERRUPTED == 130
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "interrupted" in line]
    assert lines == [
        f"sweep interrupted (queued cases cancelled, the cases written so far stay in {out}); "
        "run the same sweep again to resume"
    ]
    assert 1 <= len(list(out.glob("case-*.nc"))) < 3


# ---------------------------------------------------------------- issue 17.13


def _refuses_tls_without_a_certificate(address: str) -> bool:
    """A raw TLS connection that presents no client certificate is refused."""
    host, port = address.removeprefix("tls://").rsplit(":", 1)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            with context.wrap_socket(raw) as tls:
                tls.sendall(b"\0" * 16)
                return tls.recv(1) == b""
    except (ssl.SSLError, ConnectionError):
        return True


def _identity(address: str, security) -> dict:
    """Connect as a dask client would and ask the scheduler who it is."""
    from distributed.comm import connect

    async def ask():
        kwargs = security.get_connection_args("client") if security is not None else {}
        comm = await connect(address, timeout=10, **kwargs)
        try:
            await comm.write({"op": "identity"})
            return await comm.read()
        finally:
            await comm.close()

    return asyncio.run(ask())


def test_the_sweeps_own_cluster_lets_in_no_one_without_its_credentials():
    from distributed.security import Security

    with sweep_run._executor(None, 1) as own:
        address = own.scheduler.address
        workers = list(own.scheduler_info()["workers"])
        assert own.submit(operator.add, 1, 2).result() == 3  # with the credentials: works
        assert address.startswith("tls://127.0.0.1:")
        assert workers and all(w.startswith("tls://127.0.0.1:") for w in workers)
        assert _identity(address, own.security)["type"] == "Scheduler"
        for target, security in (
            (address, None),  # no credentials
            (address, Security.temporary()),  # someone else's
            (address.replace("tls://", "tcp://"), None),  # plain TCP
        ):
            with pytest.raises((OSError, TypeError)):
                _identity(target, security)
        for target in (address, *workers):
            assert _refuses_tls_without_a_certificate(target)
        # the scheduler's plain-HTTP server (dashboard, JSON, Prometheus) serves nothing
        port = own.cluster.scheduler.http_server.port
        for page in ("/json/identity.json", "/info/main/workers.html", "/metrics"):
            with pytest.raises(urllib.error.HTTPError, match="404"):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=10)
