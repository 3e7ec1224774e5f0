"""Answers as ranges: a finished sweep over weather years summarised per case of the rest.

A sweep whose grid crosses weather draws (``base.seed``), the cases of another input (the
carbon price, ``base.gx_ets``) and the link against its baseline (``base.interconnector``
``[null, optimise]``: without and with the link) holds, for every weather draw and carbon
case, both solves a saving needs. :func:`seed_values` pairs each case with its baseline
*of the same weather and carbon price* and gives, per draw, the link's size, the net
saving, each country's welfare gain and system-cost saving, and the net flow between two
countries; :func:`range_table` summarises them over the draws: mean, P10, median, P90, min, max,
and how many draws built no link.

A sweep never solves a scenario's ``baseline:``; the baseline must be a case of the grid
(a value of the ``along`` axis, ``reference``). A pair in which either solve is not
optimal — a solver limit, infeasible, failed, or missing from the store — is left out of
the statistics and counted (``excluded``), with the reason in :func:`seed_values`'s
``note`` column and a logged warning: never dropped silently.

Definitions (per case, against its baseline, over the sweep's weighted horizon — a year
on representative days or the full year):

- ``link``: capacity of the cross-border electricity links, MW (``interconnector_p_nom``);
- ``net saving``: baseline objective minus the case's, the links' own cost included;
- ``welfare gain <country>``: the baseline's net cost at marginal prices minus the case's
  (:func:`jkenergy.analysis.welfare`; carbon charges are transfers, so the gains sum to the
  saving less the fall in carbon tax collected);
- ``system cost saving <country>``: the same with system cost
  (:func:`jkenergy.analysis.country_costs`, the link's cost split half-half);
- ``net flow <A>-><B>``: B's net import from A over the links between their electricity
  buses, measured at B's end (what arrives in B, after losses, less what leaves B, before
  them), TWh;
- ``carbon price <country>``: the case's carbon price (an input), USD/tCO2.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from ..errors import SweepError
from .store import open_sweep

logger = logging.getLogger(__name__)

PERCENTILES = (10, 50, 90)
"""Percentiles of :func:`range_table`, numpy's default (``method="linear"``) definition."""
STATISTICS = ("mean", "p10", "median", "p90", "min", "max")
NO_LINK_MW = 1.0
"""A link below this size (MW) counts as none built."""

_YEAR_H = 8760.0


def _select(ds: xr.Dataset, along: str, value: Any) -> xr.Dataset:
    coord = ds[along].values
    if coord.dtype.kind in "US":
        value = "none" if value is None else str(value)
    if value not in coord.tolist():
        raise SweepError(
            f"ranges: the baseline {along}={value!r} is not a value of that axis "
            f"{coord.tolist()}; the grid must hold the baseline as a case"
        )
    return ds.sel({along: value})


def _horizon(path: Path) -> tuple[float, str]:
    """(hours the snapshots' weights sum to, the time resolution in words) of a case file."""
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        hours = float(ds["snapshot_weight"].sum())
        typical = int(ds.attrs.get("time_representative_periods", 0))
        if typical:
            noun = "days" if ds.attrs.get("time_period_hours") == 24.0 else "periods"
            return hours, f"{typical} representative {noun}"
        step = float(np.median(ds["snapshot_weight"].values))
        return hours, f"{ds.sizes['snapshot']:,} snapshots of {step:g} h"


def _flow(path: Path, origin: str, to: str) -> float:
    """Net energy (MWh) that ``to``'s electricity buses import from ``origin``'s over the
    case's links, measured at ``to``'s end: what arrives there less what leaves there."""
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        buses = ds["bus"].values.tolist()
        country = dict(zip(buses, ds["bus_country"].values.tolist(), strict=True))
        carrier = dict(zip(buses, ds["bus_carrier"].values.tolist(), strict=True))
        w = ds["snapshot_weight"]
        net = 0.0
        ends = zip(ds["link_bus0"].values.tolist(), ds["link_bus1"].values.tolist(), strict=True)
        for i, (b0, b1) in enumerate(ends):
            if carrier[b0] != "electricity" or carrier[b1] != "electricity":
                continue
            # p0 is drawn from bus0 (negative: delivered to it), p1 delivered to bus1
            if (country[b0], country[b1]) == (to, origin):
                net -= float((ds["link_p0"].isel(link=i) * w).sum())
            elif (country[b0], country[b1]) == (origin, to):
                net += float((ds["link_p1"].isel(link=i) * w).sum())
        return net


def _why(status: str, term: str, error: str) -> str:
    if status in ("ok", "warning"):
        return f"not optimal ({term or 'unknown'})"
    first = error.splitlines()[0] if error else ""
    return f"{status}{': ' + first if first else ''}"


def seed_values(
    store: str | os.PathLike | xr.Dataset,
    *,
    over: str = "base.seed",
    along: str = "base.interconnector",
    reference: Any = None,
    flow: tuple[str, str] = ("KR", "JP"),
) -> pd.DataFrame:
    """Per weather draw and case, the link, saving, welfare and flow against its baseline.

    Parameters
    ----------
    store : path or xarray.Dataset
        A sweep store, or :func:`~jkenergy.sweeps.run.open_sweep` of one (its ``store``
        attribute locates the case files, which the flows are read from).
    over : str, default ``"base.seed"``
        The grid axis the ranges are taken over (the weather draws).
    along : str, default ``"base.interconnector"``
        The grid axis holding the baseline as one of its values.
    reference : default None
        The baseline's value of ``along`` (None: ``null``, no link).
    flow : (str, str), default ("KR", "JP")
        The countries whose net flow is reported, from the first to the second.

    Returns
    -------
    pandas.DataFrame
        Index: every other axis of the grid (``along`` only if it has more than one value
        besides ``reference``), then ``over``. Columns: the quantities of the module
        docstring, ``optimal`` (both solves optimal) and ``note`` (why a draw is excluded;
        its quantities are then NaN). ``attrs``: ``units`` (quantity -> unit), ``horizon_h``,
        ``resolution`` (the time resolution in words), ``over``, ``store``.

    Raises
    ------
    SweepError
        If the store cannot be read, ``over`` or ``along`` is not an axis of its grid (an
        explicit list of cases has none), or ``reference`` is not a value of ``along``.

    Examples
    --------
    >>> seed_values("sweep_weather_carbon")["net saving"]  # doctest: +SKIP
    """
    ds = store if isinstance(store, xr.Dataset) else open_sweep(store)
    where = Path(str(ds.attrs.get("store", "")))
    for axis, role in ((over, "over"), (along, "along")):
        if axis not in ds.dims or axis == "country":
            raise SweepError(
                f"ranges: {role}={axis!r} is not an axis of the sweep in {where}; its axes are "
                f"{[d for d in ds.dims if d != 'country']}"
            )
    if over == along:
        raise SweepError(f"ranges: over and along are the same axis {over!r}")
    base = _select(ds, along, reference)
    ref_label = base[along].item()
    cases = ds.sel({along: [v for v in ds[along].values.tolist() if v != ref_label]})
    if cases.sizes[along] == 0:
        raise SweepError(f"ranges: {along} has no value besides the baseline {ref_label!r}")
    countries = [str(c) for c in ds["country"].values] if "country" in ds.coords else []
    origin, to = flow
    for name in (origin, to):
        if countries and name not in countries:
            raise SweepError(f"ranges: flow country {name!r} is not one of {countries}")
    groups = [d for d in cases.dims if d not in (over, "country")]
    units = {"link": "MW"}
    rows, horizon, resolution = [], None, ""
    stack = cases.stack(_row=[*groups, over]) if groups else cases.expand_dims(_row=[0])
    for i in range(stack.sizes["_row"]):
        case = stack.isel(_row=i)
        key = {d: case[d].item() for d in [*groups, over]}
        ref = base.sel({k: v for k, v in key.items() if k != along})
        row: dict[str, Any] = {str(k): v for k, v in key.items()}
        notes = []
        for side, part in (("case", case), ("baseline", ref)):
            status, term = str(part["status"].item()), str(part["termination_condition"].item())
            if status != "ok" or term != "optimal":
                notes.append(f"{side}: {_why(status, term, str(part['error'].item()))}")
        row["optimal"] = not notes
        row["note"] = "; ".join(notes)
        if notes:
            rows.append(row)
            continue
        path = where / f"case-{case['case_id'].item()}.nc"
        if horizon is None:
            horizon, resolution = _horizon(path)
        row["link"] = float(case["interconnector_p_nom"])
        row["net saving"] = (float(ref["objective"]) - float(case["objective"])) / 1e6
        for c in countries:
            row[f"welfare gain {c}"] = (
                float(ref["net_cost"].sel(country=c)) - float(case["net_cost"].sel(country=c))
            ) / 1e6
        for c in countries:
            row[f"system cost saving {c}"] = (
                float(ref["system_cost"].sel(country=c)) - float(case["system_cost"].sel(country=c))
            ) / 1e6
        row[f"net flow {origin}->{to}"] = _flow(path, origin, to) / 1e6
        for c in countries:
            row[f"carbon price {c}"] = float(case["carbon_price"].sel(country=c))
        rows.append(row)
    per_year = horizon is not None and abs(horizon - _YEAR_H) <= 24.0
    per = "/yr" if per_year else f" per {horizon:,.0f} h" if horizon is not None else ""
    money = [q for r in rows for q in r if q.startswith(("net saving", "welfare", "system cost"))]
    units.update({q: f"M USD{per}" for q in money})
    units[f"net flow {origin}->{to}"] = f"TWh{per}"
    units.update({f"carbon price {c}": "USD/tCO2" for c in countries})
    frame = pd.DataFrame(rows).set_index([*groups, over])
    quantities = [q for q in units if q in frame.columns] or list(units)
    frame = frame.reindex(columns=[*quantities, "optimal", "note"])
    if len(cases[along]) == 1 and along in groups:
        frame = frame.droplevel(along)
    excluded = frame[~frame["optimal"].astype(bool)]
    for label, note in excluded["note"].items():
        logger.warning("ranges: %s excluded: %s", label, note)
    frame.attrs.update(
        units=units, horizon_h=horizon, resolution=resolution, over=over, store=str(where)
    )
    return frame


def range_table(
    store: str | os.PathLike | xr.Dataset | pd.DataFrame,
    *,
    over: str = "base.seed",
    along: str = "base.interconnector",
    reference: Any = None,
    flow: tuple[str, str] = ("KR", "JP"),
    no_link_mw: float = NO_LINK_MW,
) -> pd.DataFrame:
    """A finished sweep as ranges over the weather draws, per case of the other axes.

    Parameters
    ----------
    store : path, xarray.Dataset or pandas.DataFrame
        A sweep store, :func:`~jkenergy.sweeps.run.open_sweep` of one, or
        :func:`seed_values` of one.
    over, along, reference, flow
        As in :func:`seed_values`.
    no_link_mw : float, default :data:`NO_LINK_MW`
        A link below this size counts as none built.

    Returns
    -------
    pandas.DataFrame
        A tidy table, one row per (case of the other axes, quantity): ``unit``, ``seeds``
        (draws in the statistics), ``excluded`` (draws left out because a solve of the
        pair was not optimal, failed or is missing: see :func:`seed_values`'s ``note``),
        ``no_link`` (draws that built less than ``no_link_mw`` of link), then ``mean``,
        ``p10``, ``median``, ``p90``, ``min``, ``max`` over the draws. Percentiles are
        numpy's default definition (``numpy.percentile``, ``method="linear"``: the
        ``(n - 1) p``-th order statistic, interpolated linearly). A case with no draw left
        has NaN statistics. ``attrs`` as :func:`seed_values`'s, plus ``excluded`` (a list
        of ``(case, note)``).

    Examples
    --------
    Three weather draws of one carbon case, the link 100, 200 and 400 MW:

    >>> import pandas as pd
    >>> values = pd.DataFrame(
    ...     {"link": [100.0, 200.0, 400.0], "net saving": [1.0, 2.0, 6.0],
    ...      "optimal": True, "note": ""},
    ...     index=pd.MultiIndex.from_product([["central"], [0, 1, 2]],
    ...                                      names=["base.gx_ets", "base.seed"]))
    >>> values.attrs = {"units": {"link": "MW", "net saving": "M USD/yr"}, "over": "base.seed"}
    >>> table = range_table(values)
    >>> table.loc[("central", "link"), ["mean", "p10", "median", "p90"]].tolist()
    [233.33333333333334, 120.0, 200.0, 360.0]
    >>> row = table.loc[("central", "net saving")]
    >>> row["unit"], int(row["seeds"]), int(row["excluded"]), int(row["no_link"])
    ('M USD/yr', 3, 0, 0)
    """
    if isinstance(store, pd.DataFrame):
        values = store
    else:
        values = seed_values(store, over=over, along=along, reference=reference, flow=flow)
    over = values.attrs.get("over", over)
    units = values.attrs.get("units", {})
    quantities = [c for c in values.columns if c not in ("optimal", "note")]
    levels = [n for n in values.index.names if n != over]
    grouped = values.groupby(level=levels, sort=False) if levels else [((), values)]
    rows = []
    for key, part in grouped:
        key = key if isinstance(key, tuple) else (key,)
        used = part[part["optimal"].astype(bool)]
        link = used["link"].to_numpy(dtype=float) if "link" in used else np.array([])
        for quantity in quantities:
            x = used[quantity].to_numpy(dtype=float)
            x = x[np.isfinite(x)]
            row = dict(zip(levels, key, strict=True))
            row.update(quantity=quantity, unit=units.get(quantity, ""), seeds=len(x),
                       excluded=int(len(part) - len(used)),
                       no_link=int(np.sum(link < no_link_mw)))  # fmt: skip
            stats: tuple[float, ...] = (np.nan,) * len(STATISTICS)
            if len(x):
                p10, median, p90 = np.percentile(x, PERCENTILES)
                stats = (x.mean(), p10, median, p90, x.min(), x.max())
            row.update(zip(STATISTICS, map(float, stats), strict=True))
            rows.append(row)
    table = pd.DataFrame(rows).set_index([*levels, "quantity"])
    table.attrs.update(values.attrs)
    table.attrs["excluded"] = [
        (label, note) for label, note in values.loc[~values["optimal"].astype(bool), "note"].items()
    ]
    return table


def describe_ranges(table: pd.DataFrame, quantities: Sequence[str] | None = None) -> str:
    """The ranges table as text for reading: one block per case, one line per quantity.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"unit": ["MW"], "seeds": [3], "excluded": [0], "no_link": [0], "mean": [233.3],
    ...      "p10": [120.0], "median": [200.0], "p90": [360.0], "min": [100.0], "max": [400.0]},
    ...     index=pd.MultiIndex.from_tuples([("central", "link")],
    ...                                     names=["base.gx_ets", "quantity"]))
    >>> print(describe_ranges(table))  # doctest: +NORMALIZE_WHITESPACE
    base.gx_ets=central: 3 seeds, 0 excluded, 0 without a link
      quantity  unit     mean      p10   median      p90      min      max
      link      MW      233.3    120.0    200.0    360.0    100.0    400.0
    """
    levels = [n for n in table.index.names if n != "quantity"]
    lines = []
    grouped = table.groupby(level=levels, sort=False) if levels else [((), table)]
    for key, part in grouped:
        key = key if isinstance(key, tuple) else (key,)
        first = part.iloc[0]
        label = ", ".join(f"{n}={v}" for n, v in zip(levels, key, strict=True)) or "all cases"
        lines.append(
            f"{label}: {first['seeds']} seeds, {first['excluded']} excluded, "
            f"{first['no_link']} without a link"
        )
        names = [str(i[-1] if isinstance(i, tuple) else i) for i in part.index]
        if quantities is not None:
            keep = [n in quantities for n in names]
            part, names = part[keep], [n for n, k in zip(names, keep, strict=True) if k]
        width = max([len("quantity"), *map(len, names)])
        unit_w = max([len("unit"), *map(len, part["unit"].astype(str))])
        head = f"  {'quantity'.ljust(width)}  {'unit'.ljust(unit_w)}"
        lines.append(head + "".join(f"{s:>9}" for s in STATISTICS))
        for name, (_, row) in zip(names, part.iterrows(), strict=True):
            shown = [round(float(row[s]), 1) + 0.0 for s in STATISTICS]  # no "-0.0"
            cells = "".join(f"{v:9,.1f}" if np.isfinite(v) else f"{'–':>9}" for v in shown)
            lines.append(f"  {name.ljust(width)}  {str(row['unit']).ljust(unit_w)}" + cells)
    return "\n".join(lines)


__all__ = [
    "NO_LINK_MW",
    "PERCENTILES",
    "STATISTICS",
    "describe_ranges",
    "range_table",
    "seed_values",
]
