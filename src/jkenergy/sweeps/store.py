"""The sweep store: one NetCDF file per case beside ``grid.json``, written atomically,
read back by :func:`open_sweep` as one dataset with the grid's axes as dimensions.

A case file's root group is the full result dataset (:func:`jkenergy.open_results` reads
it), its ``summary`` group the scalars that :func:`open_sweep` stacks; both carry the
case's inputs, status, error, timings and the fingerprint of the base that produced it as
``sweep_*`` / ``time_*`` attributes. A file is written to a temporary name in the store and
renamed, so a file in the store is always complete. Beside it, ``case-<id>.nc.sha256``
holds the SHA-256 of its bytes (the format of ``sha256sum``, so ``sha256sum -c`` checks it
too); a case file whose bytes do not match it (truncated, overwritten, or without it) is
damaged: :func:`open_sweep` reports it as ``missing`` naming the file, and the next sweep
solves it again. So is a case file of another base than the store's ``grid.json``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, cast

import numpy as np
import pandas as pd
import xarray as xr

from .grid import Case, Grid, SweepError, SweepJob, _canonical

logger = logging.getLogger(__name__)

GRID_FILE = "grid.json"
FORMAT = 2
"""2: a ``.sha256`` file beside each case file (1: none)."""
CHECKSUM_SUFFIX = ".sha256"
OK_STATUSES = ("ok", "warning")
FAILED_STATUSES = ("infeasible", "error", "invalid", "lost")
"""``infeasible``: infeasible or unbounded; ``error``: any other error in the case;
``invalid``: rejected before solving; ``lost``: its worker died twice."""

_NETCDF: Final = "h5netcdf"


def _write(
    store: Path, case: Case, record: Mapping[str, Any], dataset: xr.Dataset | None,
    summary: xr.Dataset | None,
) -> Path:  # fmt: skip
    """Write one case file and its checksum, each atomically (temporary file in the store,
    then rename; a kill between the two renames leaves a case that fails its check)."""
    attrs = {k: v for k, v in record.items() if v is not None}
    root = (dataset if dataset is not None else xr.Dataset()).copy()
    root.attrs.update(attrs)
    summary = (summary if summary is not None else xr.Dataset()).copy()
    summary.attrs.update(attrs)
    final = store / case.filename
    tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp = store / f".{case.filename}.{tag}.tmp"
    tmp_sum = store / f".{case.filename}{CHECKSUM_SUFFIX}.{tag}.tmp"
    try:
        root.to_netcdf(tmp, engine=_NETCDF)
        summary.to_netcdf(tmp, mode="a", group="summary", engine=_NETCDF)
        tmp_sum.write_text(f"{_digest(tmp)}  {case.filename}\n", encoding="utf-8")
        os.replace(tmp, final)
        os.replace(tmp_sum, checksum_path(final))
    finally:
        tmp.unlink(missing_ok=True)
        tmp_sum.unlink(missing_ok=True)
    return final


def checksum_path(path: Path) -> Path:
    """The checksum file of a case file: ``case-<id>.nc.sha256``.

    Examples
    --------
    >>> checksum_path(Path("store") / "case-0123456789ab.nc").name
    'case-0123456789ab.nc.sha256'
    """
    return path.with_name(path.name + CHECKSUM_SUFFIX)


def _digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def damage(path: Path) -> str | None:
    """Why the case file at ``path`` cannot be trusted, or None if its bytes match its
    checksum file (see the module docstring).

    Examples
    --------
    >>> import tempfile
    >>> store = Path(tempfile.mkdtemp())
    >>> (store / "case-x.nc").write_bytes(b"data")
    4
    >>> damage(store / "case-x.nc")
    'no checksum file case-x.nc.sha256 (written before store format 2, or killed mid-write)'
    """
    expected = checksum_path(path)
    try:
        text = expected.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return (
            f"no checksum file {expected.name} (written before store format {FORMAT}, or "
            "killed mid-write)"
        )
    except (OSError, UnicodeDecodeError) as err:
        return f"its checksum file {expected.name} cannot be read ({err})"
    if not text or text[0] != _digest(path):
        return f"damaged: its bytes do not match the SHA-256 in {expected.name}"
    return None


def _record(job: SweepJob, case: Case, status: str, error: str = "", **extra: Any) -> dict:
    return {
        "sweep_format": FORMAT,
        "sweep_case": _canonical(case.values),
        "sweep_case_id": case.id,
        "sweep_base": job.description,
        "sweep_base_fingerprint": job.fingerprint,
        "sweep_status": status,
        "sweep_error": error,
        **extra,
    }


def _attrs_of(path: Path) -> dict[str, Any]:
    import h5netcdf

    with h5netcdf.File(path, "r") as f:
        return dict(f.attrs)


def _status_of(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        return str(_attrs_of(path).get("sweep_status", "error"))
    except Exception:  # h5py raises OSError or RuntimeError on a damaged file
        return None


def stored(path: Path, fingerprint: str) -> tuple[str | None, str]:
    """(status, problem) of the case file at ``path`` for a sweep of the base
    ``fingerprint``: (None, "") if there is no file, (None, why) if it is damaged or was
    solved for another base, else (its status, "").

    Examples
    --------
    >>> import tempfile
    >>> stored(Path(tempfile.mkdtemp()) / "case-0123456789ab.nc", "f00d")
    (None, '')
    """
    if not path.is_file():
        return None, ""
    problem = damage(path)
    if problem is None:
        try:
            attrs = _attrs_of(path)
        except Exception as err:  # matches its checksum, yet unreadable: written so
            return None, f"cannot be read ({type(err).__name__}: {err})"
        theirs = str(attrs.get("sweep_base_fingerprint", ""))
        if theirs != fingerprint:
            return None, f"solved for another base (fingerprint {theirs!r}, not {fingerprint!r})"
        return str(attrs.get("sweep_status", "error")), ""
    return None, problem


def read_meta(store: Path) -> dict[str, Any]:
    """The store's ``grid.json``, checked; :class:`SweepError` naming the file if it is
    missing, damaged or not a grid.

    Examples
    --------
    >>> import tempfile
    >>> store = Path(tempfile.mkdtemp())
    >>> _ = (store / GRID_FILE).write_text('{"axes": {"carbon_price.KR": [0, 5')
    >>> read_meta(store)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    jkenergy.errors.SweepError: .../grid.json: damaged, not valid JSON (...); ...
    """
    meta = store / GRID_FILE
    if not meta.is_file():
        raise SweepError(f"{store} is not a sweep store (no {GRID_FILE})")
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SweepError(
            f"{meta}: damaged, not valid JSON ({err}); rewrite it by running the sweep with "
            "--force (force=True), or use another store"
        ) from None
    if not isinstance(info, dict) or len({"axes", "cases"} & set(info)) != 1:
        raise SweepError(f"{meta}: not a sweep's grid file (expected 'axes' or 'cases')")
    try:
        Grid.from_spec(cast(Any, info.get("axes") or info.get("cases")))  # refuses a non-grid
    except SweepError as err:
        raise SweepError(f"{meta}: {err}") from None
    return info


def _failures(ds: xr.Dataset):
    status = ds["status"].values.ravel()
    error = ds["error"].values.ravel()
    labels = ds["case_label"].values.ravel()
    for s, e, label in zip(status, error, labels, strict=True):
        if s in FAILED_STATUSES:
            yield str(s), str(e), str(label)


def _coordinate(values: list[Any]) -> np.ndarray:
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return np.asarray(values)
    if all(isinstance(v, str) for v in values):
        return np.asarray(values, dtype=str)
    return np.asarray(["none" if v is None else str(v) for v in values], dtype=str)


def _read_summary(path: Path, fingerprint: str) -> tuple[xr.Dataset | None, str]:
    """The summary group of a case file and "", or None and why it is not used."""
    if not path.is_file():
        return None, ""
    status, problem = stored(path, fingerprint)
    if status is None:
        return None, problem
    try:
        with xr.open_dataset(path, group="summary", engine=_NETCDF) as ds:
            return ds.load(), ""
    except Exception as err:  # h5py's RuntimeError, OSError, KeyError, ValueError
        return None, f"cannot be read ({type(err).__name__}: {err})"


_TEXT = ("status", "error", "termination_condition", "case_id", "case_label", "worker")
_TIMES = ("time_total_s", "time_network_s", "time_setup_s", "time_build_s", "time_handover_s",
          "time_solve_s", "time_extraction_s")  # fmt: skip


def open_sweep(store: str | os.PathLike) -> xr.Dataset:
    """Read a sweep store as one dataset with the grid's axes as dimensions.

    Parameters
    ----------
    store : path
        A directory written by :func:`sweep`.

    Returns
    -------
    xarray.Dataset
        Dimensions: one per grid axis, named by its key (``"links.JP-KR.p_nom"``), or
        ``case`` for an explicit list of cases (each key then a coordinate along it), plus
        ``country``. Variables: ``status`` (``ok``, ``warning``, ``infeasible``, ``error``,
        ``invalid``, ``lost``, or ``missing`` if not in the store), ``error``,
        ``objective``, ``system_cost``, ``net_cost``, ``emissions``, ``co2_price``,
        ``carbon_price``, ``renewable_share``, ``interconnector_p_nom``, ``time_*_s``
        and ``reused``. Cases that did not solve are NaN. The full result of a case is
        ``jk.open_results(store / "case-<case_id>.nc")``. A case file that is damaged
        (its checksum does not match) or was solved for another base than ``grid.json``'s
        is not read: its status is ``missing``, its ``error`` names the file and why, and a
        warning is logged; running the sweep again solves it.

    Raises
    ------
    SweepError
        If ``store`` has no ``grid.json`` or it is damaged (the message names the file).
    """
    store = Path(store)
    try:
        info = read_meta(store)
    except SweepError as err:
        raise SweepError(f"open_sweep: {err}") from None
    grid = Grid(axes=info.get("axes"), explicit=info.get("cases"))
    cases = grid.cases()
    fingerprint = str(info.get("base_fingerprint", ""))
    parts: list[xr.Dataset | None] = []
    problems: dict[str, str] = {}
    for case in cases:
        part, problem = _read_summary(store / case.filename, fingerprint)
        parts.append(part)
        if problem:
            problems[case.id] = f"{store / case.filename}: {problem}"
            logger.warning("open_sweep: %s; read as missing (run the sweep again)",
                           problems[case.id])  # fmt: skip
    templates: dict[str, xr.DataArray] = {  # present even if no case solved
        "objective": xr.DataArray(np.nan, attrs={"units": "USD", "long_name": "total system cost"})
    }
    for part in parts:
        for name, da in part.data_vars.items() if part is not None else ():
            templates.setdefault(str(name), da)  # netCDF variable names are str
    countries = sorted({str(c) for p in parts if p is not None and "country" in p.coords
                        for c in p["country"].values})  # fmt: skip
    numbers: dict[str, list[np.ndarray]] = {name: [] for name in templates}
    text: dict[str, list[str]] = {name: [] for name in _TEXT}
    times: dict[str, list[float]] = {name: [] for name in (*_TIMES, "reused")}
    for case, part in zip(cases, parts, strict=True):
        attrs = part.attrs if part is not None else {}
        for name, template in templates.items():
            if part is not None and name in part:
                da = part[name]
                if "country" in da.dims:
                    da = da.reindex(country=countries)
                numbers[name].append(np.asarray(da.values, dtype=float))
            else:
                shape: tuple[int, ...] = (len(countries),) if "country" in template.dims else ()
                numbers[name].append(np.full(shape, np.nan))
        text["status"].append(str(attrs.get("sweep_status", "missing")))
        text["error"].append(problems.get(case.id, str(attrs.get("sweep_error", ""))))
        text["termination_condition"].append(str(attrs.get("sweep_termination_condition", "")))
        text["case_id"].append(case.id)
        text["case_label"].append(case.label())
        text["worker"].append(str(attrs.get("sweep_worker", "")))
        for name in _TIMES:
            times[name].append(float(attrs.get(name, np.nan)))
        times["reused"].append(float(attrs.get("sweep_reused", np.nan)))
    if grid.axes is not None:
        dims = list(grid.axes)
        shape = grid.shape
        coords: dict[str, Any] = {k: _coordinate(v) for k, v in grid.axes.items()}
    else:
        dims, shape = ["case"], (len(cases),)
        keys = sorted({k for c in cases for k in c.values})
        coords = {"case": np.arange(len(cases))}
        for key in keys:
            coords[key] = ("case", _coordinate([c.values.get(key) for c in cases]))
    if countries:
        coords["country"] = np.asarray(countries, dtype=str)
    data = {}
    for name, arrays in numbers.items():
        extra = ["country"] if "country" in templates[name].dims else []
        stacked = np.stack(arrays).reshape(*shape, *(len(countries),) * len(extra))
        data[name] = xr.Variable([*dims, *extra], stacked, templates[name].attrs)
    for name, values in text.items():
        data[name] = xr.Variable(dims, np.asarray(values, dtype=str).reshape(shape))
    for name, floats in times.items():
        data[name] = xr.Variable(
            dims,
            np.asarray(floats).reshape(shape),
            {"units": "s"} if name != "reused" else {"long_name": "1 if re-solved"},
        )
    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update(store=str(store), base=json.dumps(info.get("base")),
                    base_fingerprint=str(info.get("base_fingerprint", "")))  # fmt: skip
    return ds


def to_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per case: the grid's values, status, objective and per-country columns.

    Examples
    --------
    >>> import xarray as xr
    >>> ds = xr.Dataset(
    ...     {"objective": ("p_nom", [10.0, 8.0]),
    ...      "emissions": (("p_nom", "country"), [[1.0, 2.0], [1.5, 1.0]])},
    ...     coords={"p_nom": [0, 2000], "country": ["JP", "KR"]})
    >>> to_table(ds).columns.tolist()
    ['objective', 'emissions JP', 'emissions KR']
    >>> float(to_table(ds).loc[2000, "emissions KR"])
    1.0
    """
    scalar = [n for n, v in ds.data_vars.items() if "country" not in v.dims]
    frame = ds[scalar].to_dataframe()
    if "country" in ds.dims:
        wide = ds[[n for n, v in ds.data_vars.items() if "country" in v.dims]].to_dataframe()
        wide = wide.unstack("country")
        wide.columns = [f"{name} {country}" for name, country in wide.columns]
        frame = frame.join(wide)
    return frame


def saving(ds: xr.Dataset, along: str, reference: Any = 0, variable: str = "objective"):
    """Cost saved against the ``reference`` value of axis ``along`` (positive = cheaper).

    Examples
    --------
    >>> saving(ds, "links.JP-KR.p_nom")  # doctest: +SKIP
    """
    if along not in ds.dims:
        raise SweepError(f"saving: {along!r} is not an axis of the sweep; axes {list(ds.dims)}")
    out = ds[variable].sel({along: reference}) - ds[variable]
    return out.assign_attrs(units=ds[variable].attrs.get("units", ""),
                            long_name=f"saving vs {along}={reference}")  # fmt: skip
