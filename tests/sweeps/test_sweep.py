"""Sweeps: grid grammar, validation, re-solve vs rebuild, local vs cluster, killed workers,
interrupt and resume, failing cases, CLI.

Small on purpose: a 6-hour Japan–Korea scenario, 3-4 cases, 2 worker processes on
127.0.0.1.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import jkenergy as jk
from jkenergy.cli import main
from jkenergy.scenario import TimeOptions
from jkenergy.sweeps import (
    EXIT_FAILED_CASES,
    Case,
    Grid,
    SweepError,
    clear_cache,
    load_grid,
    make_job,
    open_sweep,
    run_case,
    solve_case,
    validate,
)
from jkenergy.sweeps.grid import parse_key, split_case

SCENARIO = jk.Scenario.model_validate(
    {
        "name": "sweep-test",
        "base": {"interconnector": 1000},
        "time": {"hours": 6},
        # an existing link whose size the grid varies (a new-build link would be sized by
        # p_nom_min = p_nom_max, see japan_korea; here the sweep mechanics are under test)
        "overrides": {"links.JP-KR.p_nom": 1000, "links.JP-KR.p_nom_extendable": False},
        "policy": {"co2_limits": {"joint": {"countries": ["JP", "KR"], "limit": 1e12}}},
    }
)
GRID = {"links.JP-KR.p_nom": [0, 3000], "carbon_price.KR": [0, 80]}
RESULTS = ["status", "objective", "system_cost", "net_cost", "emissions", "co2_price",
           "carbon_price", "renewable_share", "interconnector_p_nom"]  # fmt: skip


@pytest.fixture(scope="module")
def client():
    """A real dask.distributed LocalCluster: 2 worker processes on the loopback interface."""
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
        )  # fmt: skip
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


def _log_solves(directory: Path):
    """Case hook: leave one file per case solved, named by the case id."""

    def hook(values):
        directory.mkdir(exist_ok=True)
        (directory / Case(0, values).id).touch()

    return hook


# ------------------------------------------------------------------ grammar


def test_grid_forms_and_stable_case_ids(tmp_path):
    product = Grid.from_spec(GRID)
    assert product.shape == (2, 2)
    assert [c.values for c in product.cases()][1] == {"links.JP-KR.p_nom": 0, "carbon_price.KR": 80}
    explicit = Grid.from_spec([{"carbon_price.KR": 80.0, "links.JP-KR.p_nom": 0.0}])
    assert explicit.shape == (1,)
    # the same inputs, however written, name the same file in the store
    assert explicit.cases()[0].id == product.cases()[1].id
    path = tmp_path / "grid.yaml"
    path.write_text("axes:\n  links.JP-KR.p_nom: [0, 3000]\n  carbon_price.KR: [0, 8.0e1]\n")
    assert [c.id for c in load_grid(path).cases()] == [c.id for c in product.cases()]
    path.write_text("cases:\n  - {carbon_price.KR: 80, links.JP-KR.p_nom: 0}\n")
    assert load_grid(path).cases()[0].id == product.cases()[1].id


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"links.JP-KR": [1]}, "expected .links.<component>.<attribute>."),
        ({"links.JP-KR.p_nominal": [1]}, "has no attribute 'p_nominal'"),
        ({"price.KR": [1]}, "'carbon_price.<country>'"),
        ({"carbon_price.KR": []}, "non-empty list"),
        ({"carbon_price.KR": [1, 1.0]}, "values repeat"),
        ([{"carbon_price.KR": 1}, {"carbon_price.KR": 1}], "more than once"),
        ([], "expected a mapping"),
    ],
)
def test_bad_grids_name_the_key(spec, message):
    with pytest.raises(SweepError, match=message):
        Grid.from_spec(spec)


def test_parametric_and_structural_keys():
    structural, parametric_items = split_case(
        {"links.JP-KR.p_nom": 1, "carbon_price.*": 2, "co2_limit.joint": 3, "co2_limit.KR": 4,
         "base.year": 2035, "links.JP-KR.efficiency": 0.9, "generators.KR_coal.capital_cost": 1},
        base_limits={"joint"},
    )  # fmt: skip
    assert set(parametric_items) == {"links.JP-KR.p_nom", "carbon_price.*", "co2_limit.joint",
                                     "generators.KR_coal.capital_cost"}  # fmt: skip
    assert set(structural) == {"co2_limit.KR", "base.year", "links.JP-KR.efficiency"}
    assert parse_key("generators.JP.solar.p_nom").name == "JP.solar"


def test_every_bad_case_is_reported_before_solving(tmp_path):
    job = make_job(SCENARIO, tmp_path)
    cases = Grid.from_spec(
        [
            {"carbon_price.KR": 10},
            {"carbon_price.KR": -1},
            {"links.JP-KR.p_nom": "big"},
            {"links.NOPE.p_nom": 1},
            {"base.nuclear": "all"},
            {"co2_limit.XX": 5},
            {"generators.KR_coal.p_nom_extendable": "yes"},
        ]
    ).cases()
    errors = validate(job, cases)
    assert cases[0].id not in errors
    messages = [errors[c.id] for c in cases[1:]]
    assert "carbon_price.KR" in messages[0] and "-1" in messages[0]
    assert "links.JP-KR.p_nom" in messages[1] and "'big'" in messages[1]
    assert "no link named 'NOPE'" in messages[2]
    assert "base.nuclear" in messages[3]
    assert "'XX'" in messages[4]
    assert "p_nom_extendable" in messages[5]
    with pytest.raises(SweepError, match="6 of 7 cases are invalid"):
        jk.sweep(SCENARIO, [c.values for c in cases], tmp_path / "s", strict=True, progress=False)
    assert not (tmp_path / "s").exists()  # nothing solved, nothing written


def test_validation_builds_cases_without_their_time_aggregation(tmp_path, monkeypatch):
    """Validation builds each case on a short horizon: no representative days are
    clustered for it (the worker builds them), and a bad case is still named."""
    days = SCENARIO.model_copy(update={"time": TimeOptions(representative_days=2)})
    job = make_job(days, tmp_path)
    cases = Grid.from_spec([{"base.seed": 1}, {"base.seed": 2, "links.NOPE.p_nom": 1}]).cases()

    def refuse(*args, **kwargs):
        raise AssertionError("validation clustered representative days")

    monkeypatch.setattr("jkenergy.aggregation.representative_days", refuse)
    errors = validate(job, cases)
    assert cases[0].id not in errors
    assert "no link named 'NOPE'" in errors[cases[1].id]


# ------------------------------------------------------------------ re-solve


def test_resolve_matches_rebuild(tmp_path):
    clear_cache()
    reuse, rebuild = make_job(SCENARIO, tmp_path), make_job(SCENARIO, tmp_path, reuse=False)
    cases = [
        {"links.JP-KR.p_nom": 3000, "carbon_price.*": 80},
        {"links.JP-KR.p_nom": 0, "co2_limit.joint": 2.0e8},
        {"generators.KR_lng_ccgt.marginal_cost": 20, "links.JP-KR.capital_cost": 1e5},
        {"base.interconnector": "optimise", "links.JP-KR.capital_cost": 5e4},  # structural
    ]
    for values in cases:
        warm, _, timings = solve_case(reuse, values)
        cold, _, cold_timings = solve_case(rebuild, values)
        assert timings.get("reused") == 1.0 and "reused" not in cold_timings
        assert warm.is_optimal and cold.is_optimal
        assert warm.objective == pytest.approx(cold.objective, rel=1e-7)
        for name in ("link_p_nom_opt", "generator_p_nom_opt"):
            np.testing.assert_allclose(
                warm.dataset[name].values, cold.dataset[name].values, rtol=1e-5, atol=1e-3
            )
    # the CO2 limit binds: its price is the dual of the re-solved row
    warm, _, _ = solve_case(reuse, {"co2_limit.joint": 1.0e8})
    cold, _, _ = solve_case(rebuild, {"co2_limit.joint": 1.0e8})
    assert float(warm.dataset["co2_price"][0]) > 0
    assert float(warm.dataset["co2_price"][0]) == pytest.approx(
        float(cold.dataset["co2_price"][0]), rel=1e-5
    )


def test_resolve_rebuilds_a_case_whose_lp_differs_in_structure(tmp_path, monkeypatch):
    """Each case's LP is built by jkenergy.model and the held LP is changed in place only if
    their constraint matrices agree: a case whose matrix differs is rebuilt, never mixed."""
    import jkenergy.solve.compiled as compiled

    clear_cache()
    job = make_job(SCENARIO, tmp_path)
    _, _, timings = solve_case(job, {"carbon_price.KR": 5})
    assert timings.get("reused") == 1.0
    real = compiled.standard_form

    def skewed(model):
        form = real(model)
        form.matrix = form.matrix * 1.01
        return form

    monkeypatch.setattr(compiled, "standard_form", skewed)
    result, _, timings = solve_case(job, {"carbon_price.KR": 6})
    clear_cache()
    assert result.is_optimal and "reused" not in timings


def test_failing_cases_are_recorded_in_the_store(tmp_path):
    """Infeasible and erroring cases become files with their error, in-process."""

    def tiny():
        n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
        n.add_bus("JP", country="JP")
        n.add_load("d", bus="JP", p=100.0)
        n.add_generator("g", bus="JP", carrier="gas", p_nom=150.0, marginal_cost=10.0)
        return n

    job = make_job(tiny, tmp_path, solver={"algorithm": "simplex"})
    ok, short, bad = Grid.from_spec([{"generators.g.p_nom": 120}, {"generators.g.p_nom": 50},
                                     {"generators.g.p_nom": -5}]).cases()  # fmt: skip
    for case, status, text in (
        (ok, "ok", ""),
        (short, "infeasible", "short of supply"),
        (bad, "error", "p_nom must be a number in [0, inf)"),
    ):
        path = run_case(job, case)
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            assert ds.attrs["sweep_status"] == status
            assert text in ds.attrs["sweep_error"]
            assert json.loads(ds.attrs["sweep_case"]) == case.values
    assert jk.open_results(tmp_path / ok.filename).objective == pytest.approx(2 * 100 * 10.0)


# ------------------------------------------------------------------ on dask


def _results(ds: xr.Dataset) -> xr.Dataset:
    return ds[RESULTS].drop_attrs()


def test_local_and_cluster_give_identical_results(tmp_path, client):
    local = jk.sweep(SCENARIO, GRID, tmp_path / "local", workers=2, progress=False)
    remote = jk.sweep(SCENARIO, GRID, tmp_path / "cluster", client=client, progress=False)
    assert local.sizes == {"links.JP-KR.p_nom": 2, "carbon_price.KR": 2, "country": 2}
    assert (local["status"] == "ok").all()
    assert (local["reused"] == 1).all()
    xr.testing.assert_identical(_results(local), _results(remote))
    # more link, no more cost; a carbon price costs more
    cost = local["objective"]
    assert float(cost[1, 0]) <= float(cost[0, 0]) < float(cost[0, 1])
    assert float(local["interconnector_p_nom"][1, 0]) == 3000.0
    # the carbon price of each case is the grid's value in Korea; Japan keeps the model
    # year's stated price (the bundled default, carbon tax plus central GX-ETS)
    price = local["carbon_price"].transpose("links.JP-KR.p_nom", "carbon_price.KR", "country")
    assert price.sel(country="KR").values.tolist() == [[0.0, 80.0], [0.0, 80.0]]
    japan = jk.datasets.carbon_prices(2030)["JP"]
    assert price.sel(country="JP").values == pytest.approx(np.full((2, 2), japan))
    # each case file is a full result
    one = jk.open_results(tmp_path / "local" / f"case-{local['case_id'].values[1, 1]}.nc")
    assert one.objective == float(cost[1, 1])


def test_a_killed_worker_does_not_lose_its_case(tmp_path, client):
    marker = tmp_path / "killed"

    def kill_once(values):
        if values["carbon_price.KR"] == 80 and values["links.JP-KR.p_nom"] == 0:
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return  # the retry
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            os._exit(1)  # the worker process dies mid-sweep

    ds = jk.sweep(SCENARIO, GRID, tmp_path / "s", client=client, case_hook=kill_once,
                  progress=False)  # fmt: skip
    assert marker.is_file()
    assert (ds["status"] == "ok").all()
    assert len(list((tmp_path / "s").glob("case-*.nc"))) == 4
    retried = str(ds["worker"].sel({"carbon_price.KR": 80, "links.JP-KR.p_nom": 0}).item())
    assert not retried.endswith(f":{marker.read_text()}")  # solved by another process


def test_interrupted_sweep_resumes_without_resolving(tmp_path, ctrl_c):
    store = tmp_path / "s"
    grid = {"carbon_price.KR": [0, 20, 40, 60]}
    first, second = tmp_path / "first", tmp_path / "second"
    log = _log_solves(first)

    def slow_after_first(values):  # the cases after the first are still running at Ctrl-C
        earlier = first.exists() and any(first.iterdir())
        log(values)
        if earlier:
            time.sleep(1.5)

    ctrl_c.arm()  # Ctrl-C right after the first case is stored
    with pytest.raises(KeyboardInterrupt):
        jk.sweep(SCENARIO, grid, store, workers=1, case_hook=slow_after_first, progress=False)
    done = {p.name: p.stat().st_mtime_ns for p in store.glob("case-*.nc")}
    assert 1 <= len(done) < 4
    partial = open_sweep(store)
    assert set(partial["status"].values.tolist()) == {"ok", "missing"}

    ds = jk.sweep(SCENARIO, grid, store, workers=1, case_hook=_log_solves(second),
                  progress=False)  # fmt: skip
    assert (ds["status"] == "ok").all()
    resolved = {f"case-{p.name}.nc" for p in second.iterdir()}
    assert resolved == {f"case-{c}.nc" for c in ds["case_id"].values} - set(done)
    assert {n: (store / n).stat().st_mtime_ns for n in done} == done  # untouched
    again = jk.sweep(SCENARIO, grid, store, workers=1, case_hook=_log_solves(tmp_path / "x"),
                     progress=False)  # fmt: skip
    assert not (tmp_path / "x").exists()  # nothing left to solve
    xr.testing.assert_identical(_results(again), _results(ds))


def test_one_bad_case_does_not_stop_the_others(tmp_path, client):
    def boom(values):
        if values.get("carbon_price.KR") == 99:
            raise RuntimeError("boom")

    cases = [{"carbon_price.KR": 0}, {"links.JP-KR.p_nom": -1}, {"carbon_price.KR": 30},
             {"carbon_price.KR": 99}]  # fmt: skip
    ds = jk.sweep(SCENARIO, cases, tmp_path / "s", client=client, case_hook=boom,
                  progress=False)  # fmt: skip
    assert ds["status"].values.tolist() == ["ok", "invalid", "ok", "error"]
    assert "p_nom must be a number in [0, inf), got -1" in str(ds["error"][1].item())
    assert "RuntimeError: boom" in str(ds["error"][3].item())
    assert np.isnan(ds["objective"].values[[1, 3]]).all()
    assert np.isfinite(ds["objective"].values[[0, 2]]).all()
    assert ds["links.JP-KR.p_nom"].values.tolist()[:2] == ["none", "-1"]
    # failed cases are not retried on resume unless asked
    log = tmp_path / "log"
    jk.sweep(SCENARIO, cases, tmp_path / "s", client=client, case_hook=_log_solves(log),
             progress=False)  # fmt: skip
    assert not log.exists()
    ds = jk.sweep(SCENARIO, cases, tmp_path / "s", client=client, retry_failed=True,
                  case_hook=_log_solves(log), progress=False)  # fmt: skip
    assert [p.name for p in log.iterdir()] == [Case(0, cases[3]).id]
    assert ds["status"].values.tolist() == ["ok", "invalid", "ok", "ok"]


def test_store_of_another_base_is_refused(tmp_path, client):
    store = tmp_path / "s"
    jk.sweep(SCENARIO, [{"carbon_price.KR": 1}], store, client=client, progress=False)
    other = SCENARIO.model_copy(update={"overrides": {"links.JP-KR.efficiency": 0.9}})
    with pytest.raises(SweepError, match="another base"):
        jk.sweep(other, [{"carbon_price.KR": 1}], store, client=client, progress=False)


def test_cli_sweep(tmp_path, client, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "name: cli-sweep\nbase: {interconnector: 1000}\ntime: {hours: 6}\n"
        "policy: {carbon_price: {KR: 10}}\n"
    )
    grid = tmp_path / "grid.yaml"
    grid.write_text("axes:\n  base.interconnector: [0, 2000]\n")
    out = tmp_path / "out"
    args = ["sweep", str(scenario), "--grid", str(grid), "--out", str(out),
            "--scheduler", client.scheduler.address]  # fmt: skip
    assert main(args) == 0
    text = capsys.readouterr()
    assert "2 to solve" in text.err and "2 ok" in text.err
    assert "objective [bn USD]" in text.out
    table = pd.read_csv(out / "sweep.csv")
    assert table["status"].tolist() == ["ok", "ok"]
    assert main(args) == 0
    assert "0 to solve, 2 already in" in capsys.readouterr().err
    grid.write_text("cases:\n  - {links.JP-KR.p_nom_max: -3}\n")
    assert main(args) == EXIT_FAILED_CASES
    grid.write_text("axes:\n  links.JP-KR: [1]\n")
    assert main(args) == 2


def test_example_heat_map_from_a_sweep_dataset():
    """The example's net saving and figure, on a made-up store (the sweep itself is slow)."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "examples" / "sweep_link_carbon.py"
    spec = importlib.util.spec_from_file_location("sweep_link_carbon", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    link, price = [0, 2000], [0, 100]
    cost = np.array([[[30e9, 20e9], [40e9, 30e9]], [[29e9, 20.5e9], [39e9, 29e9]]])
    ds = xr.Dataset(
        {"objective": ((example.LINK, example.PRICE), cost.sum(-1)),
         "system_cost": ((example.LINK, example.PRICE, "country"), cost)},
        coords={example.LINK: link, example.PRICE: price, "country": ["JP", "KR"]},
    )  # fmt: skip
    saving = example.net_saving(ds)
    # the link's cost is inside system_cost already: saving = cost without - cost with
    at = {example.LINK: 2000, example.PRICE: 0}
    assert float(saving["total"].sel(at)) == pytest.approx(50e9 - 49.5e9)
    assert float(saving["JP"].sel(at)) == pytest.approx(30e9 - 29e9)
    assert float(saving["KR"].sel(at)) == pytest.approx(20e9 - 20.5e9)
    assert example.heat_map(ds).axes
