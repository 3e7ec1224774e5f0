"""Figures drawn from result datasets only.

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot and drawn
by Agg, so importing this module changes no global matplotlib state and never opens a
window; given ``path=``, the figure is also written as a PNG at :data:`DPI` dots per inch.
The figures survive greyscale printing: each carrier has a hatch as well as a colour
(Okabe–Ito and Paul Tol colour-blind-safe colours), and each line its own style and marker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

try:
    from matplotlib import colormaps
    from matplotlib import colors as mcolors
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
except ImportError as err:  # pragma: no cover
    raise ImportError("jkenergy.plot needs matplotlib (pip install matplotlib)") from err

from . import analysis
from .errors import DataError, UnknownComponentError
from .files import path_inside, safe_name

DPI = 150
"""Dots per inch of the PNG files written when a function is given ``path=``."""
STYLE: dict[str, tuple[str, str]] = {
    "nuclear": ("#AA4499", ""), "coal": ("#444444", "xx"), "lng_ccgt": ("#CC6677", "//"),
    "lng_ocgt": ("#882255", "\\\\"), "oil": ("#999933", "--"), "biomass": ("#117733", "oo"),
    "hydro": ("#0072B2", "||"), "onwind": ("#88CCEE", "/"), "offwind": ("#44AA99", "\\"),
    "solar": ("#F0E442", ""), "h2_turbine": ("#009E73", "**"), "lh2_import": ("#332288", "OO"),
    "pumped_hydro": ("#56B4E9", "++"), "battery": ("#E69F00", ".."),
    "hydrogen_storage": ("#DDCC77", "o"), "imports": ("#BBBBBB", "x"),
    "electrolysis": ("#009E73", "**"), "exports": ("#BBBBBB", "x"), "unserved": ("#000000", ""),
}  # fmt: skip
"""Carrier -> (colour, hatch); the order is the stacking order, bottom (baseload) first."""
NAMES: dict[str, str] = {
    "lng_ccgt": "LNG combined cycle", "lng_ocgt": "LNG open cycle", "onwind": "onshore wind",
    "offwind": "offshore wind", "h2_turbine": "hydrogen turbine",
    "lh2_import": "liquid H2 imports", "pumped_hydro": "pumped hydro",
    "hydrogen_storage": "hydrogen storage", "hvdc": "HVDC", "unserved": "unserved energy",
}  # fmt: skip
"""Readable names of carriers in legends; other carriers keep their own name (``_`` read as
a space)."""
_SPARE = [("#DDDDDD", "|"), ("#661100", "-"), ("#6699CC", "+"), ("#CC79A7", "O")]
_LINES = [("#0072B2", "-", "o"), ("#D55E00", "--", "s"), ("#009E73", ":", "^"),
          ("#CC79A7", "-.", "D"), ("#000000", (0, (5, 1, 1, 1)), "v"),
          ("#E69F00", "-", "x")]  # fmt: skip
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_WEEK = pd.Timedelta(days=7)
_GRID = {"color": "0.85", "linewidth": 0.5}


def nice(carrier: str) -> str:
    """The carrier's name for a legend (:data:`NAMES`).

    Examples
    --------
    >>> nice("offwind"), nice("coal"), nice("battery charge")
    ('offshore wind', 'coal', 'battery charge')
    """
    for key, name in NAMES.items():
        if carrier == key or carrier.startswith(key + " "):
            return name + carrier[len(key) :]
    return carrier.replace("_", " ")


def _style(key: str) -> tuple[str, str]:
    return STYLE.get(key, _SPARE[sum(map(ord, key)) % len(_SPARE)])


def _rank(key: str) -> tuple[int, str]:
    order = list(STYLE)
    return (order.index(key) if key in order else len(order), key)


def _ink(colour: Any) -> str:
    """Black or white, whichever reads better on ``colour`` (for hatches)."""
    r, g, b = mcolors.to_rgb(colour)
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 else "white"


def _bar_style(colour: str, hatch: str) -> dict[str, Any]:
    return dict(color=colour, hatch=hatch, hatchcolor=_ink(colour), edgecolor="white", lw=0.3)


def _figure(nrows: int = 1, figsize: tuple[float, float] = (10.0, 5.0), **kw: Any):
    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots(nrows, 1, squeeze=False, **kw)[:, 0]


def _named(name: str | None, text: str) -> str:
    """A title: ``"<name>: <text>"``, or the text capitalised without a name."""
    return f"{name}: {text}" if name else text[0].upper() + text[1:]


def _finish(fig: Figure, path: str | PathLike | None) -> Figure:
    if path is not None:
        path = Path(path)
        path = path if path.suffix else path.with_suffix(".png")
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=DPI)
    return fig


def _need(name: Any, known: Sequence[str], what: str, where: str) -> None:
    if name not in known:
        msg = f"{where}: unknown {what} {name!r}; known: {', '.join(known) or 'none'}"
        raise UnknownComponentError(msg)


def _str(ds: xr.Dataset, name: str) -> np.ndarray:
    return np.asarray(ds[name].values).astype(str)


def _buses(ds: xr.Dataset, carrier: str) -> list[str]:
    return list(_str(ds, "bus")[_str(ds, "bus_carrier") == carrier])


def _dispatch_parts(ds: xr.Dataset, bus: str) -> list[tuple[str, str, pd.Series]]:
    """(column, style key, MW per snapshot) into ``bus``, each column of one sign."""
    _need(bus, list(_str(ds, "bus")), "bus", "dispatch")
    carrier = dict(zip(_str(ds, "bus"), _str(ds, "bus_carrier"), strict=True))
    parts: dict[str, tuple[str, Any]] = {}

    def add(column: str, key: str, values: xr.DataArray) -> None:
        parts[column] = (key, parts.get(column, (key, 0.0))[1] + values.to_series())

    at = _str(ds, "generator_bus") == bus
    for c in sorted(set(_str(ds, "generator_carrier")[at])):
        pick = at & (_str(ds, "generator_carrier") == c)
        add(c, c, ds["generator_p"].isel(generator=pick).sum("generator"))
    at = _str(ds, "storage_bus") == bus
    for c in sorted(set(_str(ds, "storage_carrier")[at])):
        pick = at & (_str(ds, "storage_carrier") == c)
        add(f"{c} discharge", c, ds["storage_p_dispatch"].isel(storage=pick).sum("storage"))
        add(f"{c} charge", c, -ds["storage_p_store"].isel(storage=pick).sum("storage"))
    b0, b1, kind = _str(ds, "link_bus0"), _str(ds, "link_bus1"), _str(ds, "link_carrier")
    for i in np.flatnonzero((b0 == bus) | (b1 == bus)):
        into = ds["link_p1"][i] if b1[i] == bus else -ds["link_p0"][i]
        if carrier[b0[i]] == carrier[b1[i]]:  # transmission
            add("imports", "imports", into.clip(min=0))
            add("exports", "exports", into.clip(max=0))
        else:  # conversion: normally into bus1, out of bus0
            pos, neg = into.clip(min=0), into.clip(max=0)
            usual, reverse = (pos, neg) if b1[i] == bus else (neg, pos)
            add(kind[i], kind[i], usual)
            add(f"{kind[i]} (reverse)", kind[i], reverse)
    add("unserved", "unserved", ds["unserved_energy"].sel(bus=bus))
    ranked = sorted(parts.items(), key=lambda kv: (_rank(kv[1][0]), kv[0]))
    return [(col, key, s.rename(col)) for col, (key, s) in ranked if (s.abs() > 1e-9).any()]


def dispatch_table(ds: xr.Dataset, bus: str) -> pd.DataFrame:
    """The table :func:`dispatch` stacks: power into ``bus`` by source, MW per snapshot.

    Generators (by carrier), storage discharging, link imports, conversion links into the
    bus (e.g. hydrogen turbines) and unserved energy are positive; storage charging, link
    exports and conversion links drawing from the bus (e.g. electrolysis) are negative.
    Every row sums to the bus's load (the bus balance), so the positive columns sum to
    load + charging + exports + conversion. Columns that are zero throughout are left out.

    Examples
    --------
    >>> import jkenergy as jk
    >>> ds = jk.japan_korea(2030, snapshots=24).optimize().dataset
    >>> table = dispatch_table(ds, "JP")
    >>> load = ds["load_p"].sel(load="JP_load").to_series()
    >>> bool(((table.sum(axis=1) - load).abs() <= 1e-6 * load).all())  # rows sum to the load
    True
    """
    frame = pd.DataFrame({c: s for c, _, s in _dispatch_parts(ds, bus)}, ds.indexes["snapshot"])
    return frame.rename_axis(columns=bus)


def _week(index: pd.DatetimeIndex, load: pd.Series, week: Any) -> pd.Timestamp:
    """Start of the 7 days to show: ``week``, or the midnight that puts the most snapshots,
    then the peak load nearest the middle, into a week containing the peak."""
    if week is not None:
        start = pd.Timestamp(week)
        if not ((index >= start) & (index < start + _WEEK)).any():
            raise DataError(
                f"dispatch: no snapshots in the week from {start}; "
                f"the results cover {index[0]} to {index[-1]}"
            )
        return start
    peak = pd.Timestamp(load.idxmax())
    days = index.floor("D").unique()
    days = days[(days > peak - _WEEK) & (days <= peak)]
    count = [((index >= d) & (index < d + _WEEK)).sum() for d in days]
    off = [abs(d + _WEEK / 2 - peak) for d in days]
    return days[min(range(len(days)), key=lambda k: (-count[k], off[k]))]


def _typical_day(ds: xr.Dataset, load: pd.Series, day: Any) -> tuple[np.ndarray, str]:
    """Snapshots of one typical period, and the title words saying what it stands for.

    ``day`` picks the typical period that represents the original period containing it;
    None the one holding the peak load.
    """
    typical = ds["period_typical"].to_numpy()
    starts = ds["period"].to_index()
    of_snapshot = ds["snapshot_period"].to_numpy()
    if day is None:
        k = int(of_snapshot[int(np.argmax(load.to_numpy()))])
        asked = ""
    else:
        when = pd.Timestamp(day)
        i = int(np.searchsorted(starts, when, side="right")) - 1
        if i < 0 or when >= starts[-1] + (starts[-1] - starts[-2] if len(starts) > 1 else _WEEK):
            raise DataError(f"dispatch: {when} is outside the periods, {starts[0]} to {starts[-1]}")
        k = int(typical[i])
        asked = f"{when:%Y-%m-%d} as "
    count = int((typical == k).sum())
    inside = of_snapshot == k
    first = ds.indexes["snapshot"][inside][0]
    noun = "day" if ds.attrs.get("time_period_hours", 24.0) == 24.0 else "period"
    words = (
        f"{asked}representative {noun} {first:%Y-%m-%d} (weight: {count} of {len(typical)} {noun}s)"
    )
    return inside, words


def dispatch(
    ds: xr.Dataset,
    region: str,
    week: Any = None,
    *,
    name: str | None = None,
    path: str | PathLike | None = None,
) -> Figure:
    """Stacked dispatch at one bus over one week, with the bus's load as a black line.

    On a result solved on representative periods it shows one typical period instead, and
    says in the title how many original periods it stands for.

    Parameters
    ----------
    ds : xarray.Dataset
        A result dataset.
    region : str
        Bus name (``"JP"``, ``"KR"``, ``"Kyushu"`` in the areas model, ...).
    week : None or timestamp-like, default None
        Start of the 7-day window; None: a week around the bus's peak load. On
        representative periods: a date whose typical period to show; None: the typical
        period holding the peak load.
    name : str, optional
        Scenario name for the title.
    path : str or path-like, optional
        Also write the figure there (PNG unless the suffix says otherwise).

    Returns
    -------
    matplotlib.figure.Figure
        One axes: the positive and negative stacks of :func:`dispatch_table` and the load.

    Examples
    --------
    >>> import jkenergy as jk
    >>> ds = jk.japan_korea(2030, snapshots=24 * 28).optimize().dataset  # doctest: +SKIP
    >>> fig = dispatch(ds, "JP", path="dispatch_JP.png")  # doctest: +SKIP
    """
    parts = _dispatch_parts(ds, region)
    at = _str(ds, "load_bus") == region
    load = ds["load_p"].isel(load=at).sum("load").to_series()
    index = ds.indexes["snapshot"]
    if "period" in ds.dims:
        inside, when = _typical_day(ds, load, week)
    else:
        start = _week(index, load, week)
        inside = (index >= start) & (index < start + _WEEK)
        step = float(np.median(ds["snapshot_weight"].to_numpy()))
        span = index[inside]
        when = f"{span[0]:%Y-%m-%d} to {span[-1]:%Y-%m-%d} ({step:g}-hour steps)"
    x, load = index[inside], load[inside]
    shown = [(c, k, s[inside]) for c, k, s in parts if (s[inside].abs() > 1e-9).any()]
    big = max([load.abs().max(), *(s.abs().max() for *_, s in shown)])
    factor, unit = (1e3, "GW") if big >= 1e4 else (1.0, "MW")
    fig, (ax,) = _figure()
    stacks: dict[int, list[Any]] = {}
    for sign in (1, -1):
        group = [(c, k, s) for c, k, s in shown if sign * s.sum() > 0]
        if not group:
            stacks[sign] = []
            continue
        colls = ax.stackplot(
            x, *[s.to_numpy() / factor for *_, s in group], labels=[nice(c) for c, *_ in group],
            colors=[_style(k)[0] for _, k, _ in group], edgecolor="white", linewidth=0.3,
        )  # fmt: skip
        for coll, (_, key, _) in zip(colls, group, strict=True):
            coll.set_hatch(_style(key)[1])
            coll.set_hatchcolor(_ink(_style(key)[0]))
        stacks[sign] = colls
    (line,) = ax.plot(x, load.to_numpy() / factor, color="black", linewidth=2.0, label="load")
    if not shown:
        ax.text(0.5, 0.6, "nothing flows at this bus in this week", transform=ax.transAxes,
                ha="center")  # fmt: skip
    ax.axhline(0.0, color="black", linewidth=0.6)
    handles = [*stacks[1][::-1], line, *stacks[-1]]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    carrier = _str(ds, "bus_carrier")[list(_str(ds, "bus")).index(region)]
    title = _named(name, f"dispatch at {region} ({carrier})\n{when}")
    ax.set(
        xlim=(x[0], x[-1]),
        ylabel=f"power [{unit}{' H2 (LHV)' * (carrier == 'hydrogen')}]",
        xlabel="snapshot  (positive: into the bus; negative: out of it)",
        title=title,
    )
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.grid(axis="y", **_GRID)
    return _finish(fig, path)


def link_heatmap(
    ds: xr.Dataset, link: str, *, name: str | None = None, path: str | PathLike | None = None
) -> Figure:
    """Mean flow of one link by month and hour of day, from :func:`analysis.link_flow_profile`.

    Diverging colours centred at zero; cells flowing from ``bus1`` to ``bus0`` (negative)
    are also dotted, so the direction survives greyscale printing.

    Examples
    --------
    >>> import jkenergy as jk
    >>> n = jk.japan_korea(2030, interconnector="optimise", snapshots=24 * 28)  # doctest: +SKIP
    >>> fig = link_heatmap(n.optimize().dataset, "JP-KR")  # doctest: +SKIP
    """
    _need(link, list(_str(ds, "link")), "link", "link_heatmap")
    table = analysis.link_flow_profile(ds, link)
    bus0, bus1 = (str(ds[f"link_bus{i}"].sel(link=link).item()) for i in (0, 1))
    values = table.to_numpy()
    vmax = float(np.nanmax(np.abs(values), initial=0.0)) or 1.0
    norm, cmap = mcolors.Normalize(-vmax, vmax), colormaps["PuOr_r"]
    fig, (ax,) = _figure(figsize=(10.0, 2.4 + 0.3 * len(table)))
    mesh = ax.pcolormesh(values, cmap=cmap, norm=norm, edgecolors="white", linewidth=0.3)
    for (i, j), v in np.ndenumerate(values):
        if v < -0.01 * vmax:
            dots = _ink(cmap(norm(v)))
            ax.add_patch(Rectangle((j, i), 1, 1, fill=False, hatch="..", lw=0, hatchcolor=dots))
    ax.set_xticks(np.arange(values.shape[1]) + 0.5, [str(h) for h in table.columns])
    ax.set_yticks(np.arange(values.shape[0]) + 0.5, [_MONTHS[m - 1] for m in table.index])
    ax.invert_yaxis()
    title = _named(name, f"mean flow on {link} by month and hour")
    if "period" in ds.dims:
        title += "\n(each day of the year shown as the representative day standing for it)"
    ax.set(xlabel="hour of day [h]", ylabel="month", title=title)
    bar = fig.colorbar(mesh, ax=ax, orientation="horizontal", aspect=40, shrink=0.8)
    bar.set_label(
        f"mean flow [MW]:  positive = {bus0} → {bus1},  negative (dotted) = {bus1} → {bus0}"
    )
    bar.ax.add_patch(Rectangle((-vmax, 0), vmax, 1, fill=False, hatch="..", lw=0, hatchcolor="0.4"))
    return _finish(fig, path)


def _as_mapping(results: Mapping[str, xr.Dataset] | xr.Dataset, where: str) -> dict:
    out = {"result": results} if isinstance(results, xr.Dataset) else dict(results)
    if not out:
        raise DataError(f"{where}: no results given")
    return out


def _capacity(ds: xr.Dataset, carrier: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """GW of generators and storage (power) at ``carrier`` buses, country x carrier: the
    existing capacity kept and the capacity built (zero for results without
    ``*_p_nom_existing``)."""
    kept, built = [], []
    for comp in ("generator", "storage"):
        p = ds[f"{comp}_p_nom_opt"].to_numpy()
        old = ds[f"{comp}_p_nom_existing"].to_numpy() if f"{comp}_p_nom_existing" in ds else p
        keep = np.isin(_str(ds, f"{comp}_bus"), _buses(ds, carrier)) & np.isfinite(p)
        frame = {"country": _str(ds, f"{comp}_country"), "carrier": _str(ds, f"{comp}_carrier")}
        finite = np.isfinite(p) & np.isfinite(old)
        p, old = np.where(finite, p, 0.0), np.where(finite, old, 0.0)
        kept.append(pd.DataFrame({**frame, "p": np.minimum(old, p) / 1e3})[keep])
        built.append(pd.DataFrame({**frame, "p": np.clip(p - old, 0.0, None) / 1e3})[keep])
    return tuple(
        pd.concat(rows).pivot_table("p", "country", "carrier", aggfunc="sum")
        for rows in (kept, built)
    )


def capacity_mix(
    results: Mapping[str, xr.Dataset] | xr.Dataset,
    country: str | None = None,
    *,
    carrier: str = "electricity",
    path: str | PathLike | None = None,
) -> Figure:
    """Optimal capacity by carrier (GW), existing and new: one stacked bar per scenario and
    country.

    Counts generators and storage (power capacity) at the buses of ``carrier``. Each
    carrier's existing capacity is a solid block; capacity built on top of it is the same
    colour, lighter, with a dashed black outline (so it reads in greyscale too). Links are
    left out: their capacity is measured at their input, in the input's carrier.

    Examples
    --------
    >>> import jkenergy as jk
    >>> runs = {name: jk.japan_korea(2030, interconnector=ic, snapshots=168).optimize().dataset
    ...         for name, ic in [("islanded", None), ("linked", "optimise")]}  # doctest: +SKIP
    >>> fig = capacity_mix(runs, path="capacity.png")  # doctest: +SKIP
    """
    results = _as_mapping(results, "capacity_mix")
    tables = {n: _capacity(ds, carrier) for n, ds in results.items()}
    countries = sorted(set().union(*(t.index for pair in tables.values() for t in pair)))
    if country is not None:
        _need(country, countries, "country", "capacity_mix")
        countries = [country]
    carriers = sorted(
        set().union(*(t.columns[t.abs().sum() > 0] for pair in tables.values() for t in pair))
    )
    carriers.sort(key=_rank)
    n, width = len(countries), 0.8 / len(countries)
    fig, (ax,) = _figure(figsize=(max(6.0, 1.4 * len(tables) * n + 3), 5.0))
    ticks: list[float] = []
    any_new = False
    for g, (kept, built) in enumerate(tables.values()):
        kept = kept.reindex(index=countries, columns=carriers).fillna(0.0)
        built = built.reindex(index=countries, columns=carriers).fillna(0.0)
        xs = g + (np.arange(n) - (n - 1) / 2) * width
        bottom = np.zeros(n)
        for c in carriers:
            colour, hatch = _style(c)
            ax.bar(xs, kept[c], width * 0.9, bottom=bottom, label=None if g else nice(c),
                   **_bar_style(colour, hatch))  # fmt: skip
            bottom += kept[c].to_numpy()
            if (built[c] > 1e-9).any():
                any_new = True
                # matplotlib's stubs want a tuple; to_hex reads any RGB sequence
                light = mcolors.to_hex(0.45 * np.array(mcolors.to_rgb(colour)) + 0.55)  # type: ignore[arg-type]
                ax.bar(xs, built[c], width * 0.9, bottom=bottom, color=light, hatch=hatch,
                       hatchcolor=_ink(light), edgecolor="black", ls="--", lw=0.8)  # fmt: skip
                bottom += built[c].to_numpy()
        for x, total in zip(xs, bottom, strict=True):
            ax.annotate(f"{total:,.0f}", (x, total), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8)  # fmt: skip
        ticks += list(xs)
    if n > 1:  # countries under their bars, scenario names under the groups
        ax.set_xticks(ticks, countries * len(tables), minor=True)
    ax.set_xticks(range(len(tables)), [("\n\n" if n > 1 else "") + name for name in tables])
    ax.tick_params(axis="x", which="major", length=0)
    ax.margins(y=0.08)
    title = f"{carrier.capitalize()} capacity by carrier" + (f", {country}" if country else "")
    title += ": " + " vs ".join(tables) if len(tables) > 1 else f": {next(iter(tables))}"
    ax.set(ylabel="capacity [GW]", title=title)
    handles, labels = ax.get_legend_handles_labels()
    handles, labels = handles[::-1], labels[::-1]
    if any_new:
        handles.append(Rectangle((0, 0), 1, 1, facecolor="white", edgecolor="black", ls="--"))
        labels.append("new (light, dashed outline)")
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.grid(axis="y", **_GRID)
    ax.set_axisbelow(True)
    return _finish(fig, path)


NOISE = 1e-6
"""Relative size (of the baseline's objective) below which :func:`cost_and_welfare` draws a
change as 0: ten times HiGHS's default feasibility tolerance, so solver noise between two
runs of the same optimum shows as no change."""


def cost_and_welfare(
    results: Mapping[str, xr.Dataset],
    baseline: str,
    *,
    link_share: float = 0.5,
    path: str | PathLike | None = None,
) -> Figure:
    """What each scenario changes against ``baseline``, by country and in total (bn USD):
    the saving in system cost (where plants and costs sit) and the welfare gain at
    marginal prices (who is better off), from :func:`analysis.cooperation_table`.
    Changes of at most :data:`NOISE` times the baseline's objective (within the solver's
    tolerance) are drawn as 0.

    Examples
    --------
    >>> import jkenergy as jk
    >>> runs = {name: jk.japan_korea(2030, interconnector=ic, snapshots=168).optimize().dataset
    ...         for name, ic in [("islanded", None), ("linked", 2000.0)]}  # doctest: +SKIP
    >>> fig = cost_and_welfare(runs, "islanded")  # doctest: +SKIP
    """
    results = _as_mapping(results, "cost_and_welfare")
    _need(baseline, list(results), "baseline", "cost_and_welfare")
    others = [k for k in results if k != baseline]
    if not others:
        raise DataError("cost_and_welfare: give at least one scenario besides the baseline")
    table = analysis.cooperation_table(results, baseline, link_share) / 1e9
    # differences within the solver's tolerance are drawn as 0, not as bars on a 1e-14 axis
    noise = NOISE * abs(float(results[baseline].attrs.get("objective", 0.0))) / 1e9
    series = [
        (f"saving vs {baseline} [USD]", "system cost saving (where the costs fall)", 0),
        (f"welfare gain vs {baseline} [USD]", "welfare gain (at marginal prices)", 1),
    ]
    countries = list(table.loc[others[0]].index)
    fig, axes = _figure(len(others), figsize=(8.0, 1.0 + 3.2 * len(others)))
    for ax, name in zip(axes, others, strict=True):
        rows = table.loc[name].reindex(countries)
        x = np.arange(len(countries))
        for column, label, i in series:
            colour = _LINES[i][0]
            values = rows[column].to_numpy(dtype=float)
            values = np.where(np.abs(values) <= noise, 0.0, values)
            bars = ax.bar(x + (i - 0.5) * 0.38, values, 0.36, label=label,
                          **_bar_style(colour, ["//", ".."][i]))  # fmt: skip
            ax.bar_label(bars, fmt="%+.3f", fontsize=8, padding=2)
        ax.axhline(0.0, color="black", linewidth=0.8)
        ax.set_xticks(x, ["both" if c == "total" else c for c in countries])
        ax.set(ylabel="change [bn USD]", title=f"{name} against {baseline}, per country")
        ax.margins(y=0.25)
        ax.grid(axis="y", **_GRID)
        ax.set_axisbelow(True)
    axes[0].legend(frameon=False, loc="best")
    return _finish(fig, path)


def _country_demand(data: Any, carrier: str) -> pd.DataFrame:
    """Demand in MW, snapshots x country, from a dataset, a Network or such a frame."""
    if isinstance(data, pd.DataFrame):
        return data.astype(float)
    if isinstance(data, xr.Dataset):
        p = analysis.chronological(data, "load_p").transpose("snapshot", "load").to_pandas()
        bus = pd.Series(_str(data, "load_bus"), index=p.columns)
        country = dict(zip(_str(data, "bus"), _str(data, "bus_country"), strict=True))
        keep = bus.isin(_buses(data, carrier)).to_numpy()
    else:  # a jkenergy Network
        p, bus = data.get_series("load", "p"), data.loads["bus"].astype(str)
        country = data.buses["country"].astype(str).to_dict()
        keep = (bus.map(data.buses["carrier"]) == carrier).to_numpy()
    return p.loc[:, keep].T.groupby(bus[keep].map(country).to_numpy()).sum().T


def monthly_demand(
    data: Any, *, carrier: str = "electricity", path: str | PathLike | None = None
) -> Figure:
    """Monthly demand (TWh) and monthly peak (GW) per country, to compare their seasons.

    Parameters
    ----------
    data : xarray.Dataset, jkenergy.Network or pandas.DataFrame
        A result dataset or a network (the loads at ``carrier`` buses, summed by the
        country of their bus), or demand in MW with snapshots as rows, countries as columns.
    carrier : str, default "electricity"
    path : str or path-like, optional

    Notes
    -----
    A month's energy is the mean demand of its snapshots times the hours of the calendar
    month, so a month the snapshots cover only in part (marked ``*``) is extrapolated.

    Examples
    --------
    >>> import jkenergy as jk
    >>> fig = monthly_demand(jk.profiles.demand(2030))  # MW by country; no solve needed
    >>> fig.axes[1].get_title()
    'Highest hourly demand in the month'
    """
    demand = _country_demand(data, carrier)
    month = pd.DatetimeIndex(demand.index).to_period("M")
    hours = month.unique().days_in_month.to_numpy() * 24
    energy = demand.groupby(month).mean().mul(hours, axis=0) / 1e6
    peak = demand.groupby(month).max() / 1e3
    stamps = pd.Series(demand.index, index=demand.index)
    step = stamps.diff().median() if len(stamps) > 1 else pd.Timedelta(hours=1)
    span = stamps.groupby(month).agg(lambda t: t.max() - t.min()) + step
    partial = span.to_numpy() < 0.95 * hours * pd.Timedelta(hours=1)
    names = [_MONTHS[m.month - 1] for m in energy.index]
    fig, (top, bottom) = _figure(2, figsize=(9.0, 6.5), sharex=True)
    x, width = np.arange(len(energy)), 0.8 / max(demand.shape[1], 1)
    for i, c in enumerate(demand.columns):
        colour, ls, marker = _LINES[i % len(_LINES)]
        hatch = ["//", "..", "xx", "\\\\", "oo"][i % 5]
        top.bar(x + (i - (demand.shape[1] - 1) / 2) * width, energy[c], width * 0.9, label=c,
                **_bar_style(colour, hatch))  # fmt: skip
        bottom.plot(x, peak[c], color=colour, linestyle=ls, marker=marker, label=c)
        k = int(np.argmax(peak[c].to_numpy()))
        bottom.annotate(f"{c} peak: {names[k]}", (x[k], peak[c].iloc[k]), xytext=(0, 8),
                        textcoords="offset points", ha="center", fontsize=8)  # fmt: skip
    top.set(ylabel="demand [TWh/month]", title="Energy per month")
    bottom.set(ylabel="peak demand [GW]", title="Highest hourly demand in the month")
    bottom.set_xticks(x, [m + "*" * bool(cut) for m, cut in zip(names, partial, strict=True)])
    bottom.set_xlabel("month" + ("  (* covered in part: extrapolated)" if partial.any() else ""))
    bottom.margins(y=0.15)
    for ax in (top, bottom):
        ax.legend(frameon=False)
        ax.grid(axis="y", **_GRID)
        ax.set_axisbelow(True)
    fig.suptitle(f"Monthly {carrier} demand by country")
    return _finish(fig, path)


def price_duration(
    results: Mapping[str, xr.Dataset] | xr.Dataset,
    carrier: str = "electricity",
    *,
    buses: Sequence[str] | None = None,
    path: str | PathLike | None = None,
) -> Figure:
    """Price duration curves per bus and scenario, from :func:`analysis.price_duration`.

    Durations are weighted hours, so a shortened horizon still spans the year it stands for.
    ``buses`` picks some of the ``carrier`` buses (default: all).

    Examples
    --------
    >>> import jkenergy as jk
    >>> ds = jk.japan_korea(2030, snapshots=24 * 28).optimize().dataset  # doctest: +SKIP
    >>> fig = price_duration(ds, path="price_duration.png")  # doctest: +SKIP
    """
    results = _as_mapping(results, "price_duration")
    fig, (ax,) = _figure(figsize=(9.0, 5.0))
    i = 0
    dashes = ["-", "--", ":", "-."]
    for j, (name, ds) in enumerate(results.items()):
        known = _buses(ds, carrier)
        if not known:
            _need(carrier, sorted(set(_str(ds, "bus_carrier"))), "carrier", "price_duration")
        for b in buses or []:
            _need(b, known, f"{carrier} bus", "price_duration")
        for bus, curve in analysis.price_duration(ds, carrier).groupby("bus", sort=False):
            if buses is not None and bus not in buses:
                continue
            pos = _buses(ds, carrier).index(bus)
            colour, ls, marker = _LINES[(pos if len(results) > 1 else i) % len(_LINES)]
            ls = dashes[j % len(dashes)] if len(results) > 1 else ls
            d, p = curve["duration [h]"].to_numpy(), curve["price [USD/MWh]"].to_numpy()
            every = max(len(d) // 10, 1)
            ax.step(np.r_[0.0, d], np.r_[p[:1], p], where="pre", color=colour, linestyle=ls,
                    marker=marker, markevery=(i * every // 4 % every, every), markersize=5,
                    label=bus if len(results) == 1 else f"{name}: {bus}")  # fmt: skip
            i += 1
    ax.set(xlabel="duration [h]  (hours in which the price is at least this)", xlim=(0, None),
           ylabel="price [USD/MWh]",
           title=f"Price duration, {carrier} buses: {' vs '.join(results)}")  # fmt: skip
    ax.legend(frameon=False)
    ax.grid(**_GRID)
    return _finish(fig, path)


def ranges(
    values: pd.DataFrame,
    quantities: Sequence[str] = ("net saving", "link"),
    *,
    path: str | PathLike | None = None,
) -> Figure:
    """The spread over weather draws of each case's saving and link size: one panel per
    quantity, one column per case (e.g. GX-ETS low, central, high) with the P10–P90 bar,
    the min–max line, the median and every draw as a dot (the artists' ``gid``:
    ``ranges:<quantity>:<case number>:`` then ``p10-p90``, ``min-max``, ``median``, ``seeds``).

    Percentiles are numpy's default (linear) definition, as in
    :func:`jkenergy.sweeps.ranges.range_table`. The title gives the number of weather draws and
    the time resolution.

    Parameters
    ----------
    values : pandas.DataFrame
        :func:`jkenergy.sweeps.ranges.seed_values`: index the cases' axes then the draws'
        (``attrs["over"]``), a column per quantity, ``optimal`` (draws that are not are
        left out and counted under their case) and ``attrs`` ``units`` and ``resolution``.
    quantities : sequence of str, default ("net saving", "link")
        Columns of ``values``, one panel each.
    path : path, optional
        Also write the figure as a PNG.

    Examples
    --------
    >>> import pandas as pd
    >>> values = pd.DataFrame(
    ...     {"net saving": [0.0, 5.0, 9.0, 2.0], "link": [0.0, 900.0, 1500.0, 400.0],
    ...      "optimal": True},
    ...     index=pd.MultiIndex.from_product([["low", "high"], [0, 1]],
    ...                                      names=["base.gx_ets", "base.seed"]))
    >>> values.attrs = {"over": "base.seed", "resolution": "32 representative days",
    ...                 "units": {"net saving": "M USD/yr", "link": "MW"}}
    >>> fig = ranges(values)
    >>> fig.get_suptitle()
    'Over 2 weather seeds (32 representative days): spread per case'
    """
    over = values.attrs.get("over", values.index.names[-1])
    if over not in values.index.names:
        raise DataError(f"ranges: the draws' axis {over!r} is not an index level of values")
    known = [c for c in values.columns if c not in ("optimal", "note")]
    for quantity in quantities:
        _need(quantity, known, "quantity", "ranges")
    units = values.attrs.get("units", {})
    levels = [n for n in values.index.names if n != over]
    optimal = (
        values["optimal"].astype(bool)
        if "optimal" in values
        else pd.Series(True, index=values.index)
    )
    grouped = list(values.groupby(level=levels, sort=False)) if levels else [((), values)]
    keys, parts = [k for k, _ in grouped], [p for _, p in grouped]
    seeds = values.index.get_level_values(over).unique()
    labels = []
    for key, part in zip(keys, parts, strict=True):
        key = key if isinstance(key, tuple) else (key,)
        label = " / ".join(str(k) for k in key) or "all"
        prices = [c for c in part.columns if c.startswith("carbon price ")]
        used = part[optimal.reindex(part.index)]
        if prices and len(used):
            label += (
                "\n"
                + ", ".join(
                    f"{c.removeprefix('carbon price ')} {used[c].median():.1f}" for c in prices
                )
                + " USD/t"
            )
        dropped = len(part) - len(used)
        if dropped:
            label += f"\n({dropped} excluded)"
        labels.append(label)
    fig, axes = _figure(
        len(quantities), figsize=(1.8 + 2.2 * len(keys), 1.2 + 3.0 * len(quantities))
    )
    x = np.arange(len(keys))
    for ax, quantity in zip(axes, quantities, strict=True):
        labelled = False
        for i, part in enumerate(parts):
            used = part.loc[optimal.reindex(part.index), quantity].to_numpy(dtype=float)
            used = used[np.isfinite(used)]
            if not len(used):
                continue
            p10, median, p90 = np.percentile(used, (10, 50, 90))
            shown = ("min–max", "P10–P90", "median", "weather seeds")
            tag = dict.fromkeys(shown) if labelled else dict(zip(shown, shown, strict=True))
            gid = f"ranges:{quantity}:{i}"
            ax.vlines(i, used.min(), used.max(), color="0.4", linewidth=1.0,
                      label=tag["min–max"], gid=f"{gid}:min-max")  # fmt: skip
            ax.vlines(i, p10, p90, color=_LINES[0][0], linewidth=10.0, alpha=0.45,
                      label=tag["P10–P90"], gid=f"{gid}:p10-p90")  # fmt: skip
            ax.plot([i - 0.22, i + 0.22], [median, median], color="black", linewidth=2.0,
                    label=tag["median"], gid=f"{gid}:median")  # fmt: skip
            offsets = np.linspace(-0.12, 0.12, len(used)) if len(used) > 1 else np.zeros(1)
            ax.plot(i + 0.3 + offsets, used, linestyle="none", marker="o", markersize=3.5,
                    color=_LINES[1][0], label=tag["weather seeds"],
                    gid=f"{gid}:seeds")  # fmt: skip
            labelled = True
        unit = units.get(quantity, "")
        ax.set_ylabel(f"{quantity} [{unit}]" if unit else quantity)
        ax.set_xticks(x, labels)
        ax.set_xlim(-0.6, len(keys) - 0.2)
        ax.axhline(0.0, color="black", linewidth=0.6)
        ax.grid(axis="y", **_GRID)
        ax.set_axisbelow(True)
    if levels:
        axes[-1].set_xlabel(" / ".join(levels))
    axes[0].legend(frameon=False, loc="best", fontsize=8)
    resolution = values.attrs.get("resolution", "")
    where = f" ({resolution})" if resolution else ""
    fig.suptitle(f"Over {len(seeds)} weather seeds{where}: spread per case")
    return _finish(fig, path)


def save_all(ds: xr.Dataset, out_dir: str | PathLike) -> list[Path]:
    """Write the single-result figures as PNGs into ``out_dir``; return their paths.

    ``dispatch_<bus>.png`` for the electricity bus with the most demand in each country
    (the bus name made safe for a file name by :func:`jkenergy.files.safe_name`),
    ``link_heatmap_JP-KR.png`` if there is a link ``JP-KR``, ``monthly_demand.png`` and
    ``price_duration.png``.

    Examples
    --------
    >>> import jkenergy as jk
    >>> import tempfile
    >>> ds = jk.japan_korea(2030, interconnector=1000.0, snapshots=24 * 7).optimize().dataset
    >>> [p.name for p in save_all(ds, tempfile.mkdtemp())]  # doctest: +NORMALIZE_WHITESPACE
    ['dispatch_JP.png', 'dispatch_KR.png', 'link_heatmap_JP-KR.png', 'monthly_demand.png',
     'price_duration.png']
    """
    out, paths = Path(out_dir), []
    energy = pd.Series(ds["load_p"].sum("snapshot").to_numpy(), _str(ds, "load_bus"))
    energy = energy.groupby(level=0).sum()
    elec = _buses(ds, "electricity")
    country = dict(zip(_str(ds, "bus"), _str(ds, "bus_country"), strict=True))
    for c in sorted({country[b] for b in elec}):
        bus = max((b for b in elec if country[b] == c), key=lambda b: energy.get(b, 0.0))
        name = safe_name(f"dispatch_{bus}.png", what=f"save_all: bus {bus!r}")
        paths.append(path_inside(out, name, what="save_all"))
        dispatch(ds, bus, path=paths[-1])
    if "JP-KR" in _str(ds, "link"):
        paths.append(out / "link_heatmap_JP-KR.png")
        link_heatmap(ds, "JP-KR", path=paths[-1])
    paths.append(out / "monthly_demand.png")
    monthly_demand(ds, path=paths[-1])
    paths.append(out / "price_duration.png")
    price_duration(ds, path=paths[-1])
    return paths


def _cross_border(ds: xr.Dataset, carrier: str) -> list[str]:
    """Links between buses of ``carrier`` in different countries, with capacity."""
    country = dict(zip(_str(ds, "bus"), _str(ds, "bus_country"), strict=True))
    elec = set(_buses(ds, carrier))
    b0, b1, cap = _str(ds, "link_bus0"), _str(ds, "link_bus1"), ds["link_p_nom_opt"].to_numpy()
    return [
        str(k)
        for k, x, y, c in zip(_str(ds, "link"), b0, b1, cap, strict=True)
        if x in elec and y in elec and country[x] != country[y] and c > 0
    ]


def save_run(
    results: Mapping[str, xr.Dataset], name: str, baseline: str | None, out_dir: str | PathLike
) -> list[Path]:
    """Write the figures that answer a run's question as PNGs into ``out_dir``.

    For the scenario ``name``: ``dispatch_<bus>.png`` (the electricity bus with the most
    demand in each country: its peak week, or its peak representative day with the number
    of days it stands for), ``link_heatmap_<link>.png`` for each cross-border electricity
    link with capacity. Against ``baseline`` (if given): ``cost_and_welfare.png``, and
    ``capacity_mix.png`` (existing and new) and ``price_duration.png`` with both scenarios
    on one axis; without a baseline, those two of the scenario alone.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import jkenergy as jk, tempfile
    >>> ds = jk.japan_korea(2030, interconnector=1000.0, snapshots=24 * 7).optimize().dataset
    >>> [p.name for p in save_run({"link": ds}, "link", None, tempfile.mkdtemp())]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['dispatch_JP.png', 'dispatch_KR.png', 'link_heatmap_JP-KR.png', 'capacity_mix.png',
     'price_duration.png']
    """
    out, paths = Path(out_dir), []
    ds = results[name]
    energy = pd.Series(ds["load_p"].sum("snapshot").to_numpy(), _str(ds, "load_bus"))
    energy = energy.groupby(level=0).sum()
    elec = _buses(ds, "electricity")
    country = dict(zip(_str(ds, "bus"), _str(ds, "bus_country"), strict=True))
    for c in sorted({country[b] for b in elec}):
        bus = max((b for b in elec if country[b] == c), key=lambda b: energy.get(b, 0.0))
        paths.append(out / f"dispatch_{bus}.png")
        dispatch(ds, bus, name=name, path=paths[-1])
    for link in _cross_border(ds, "electricity"):
        paths.append(out / f"link_heatmap_{link}.png")
        link_heatmap(ds, link, name=name, path=paths[-1])
    both = {baseline: results[baseline], name: ds} if baseline else {name: ds}
    if baseline:
        paths.append(out / "cost_and_welfare.png")
        cost_and_welfare(both, baseline, path=paths[-1])
    paths.append(out / "capacity_mix.png")
    capacity_mix(both, path=paths[-1])
    paths.append(out / "price_duration.png")
    price_duration(both, path=paths[-1])
    return paths
