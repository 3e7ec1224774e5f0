"""Hourly demand, solar and wind profiles for Japan and Korea: synthesised, calibrated, seeded.

Time convention (all functions): a naive ``DatetimeIndex`` named ``snapshot`` in local time.
Japan and Korea are both UTC+9 all year (no daylight saving), so one local clock serves both.
Each snapshot is hour-beginning: ``12:00`` is the hour 12:00–13:00.

The synthesis uses stylised weather (see ``jkenergy.study.weather`` for the stated assumptions:
representative cities, temperature normals, cloud climates, daily shapes, holiday levels)
from one generator for all regions of both countries: temperature, cloudiness and wind
anomalies co-move between regions with a correlation that falls with distance
(``regions.csv``, ``A-W1``–``A-W4`` in ``data/SOURCES.md``), and heat waves and cold snaps
fall on the same days on both sides of the Korea Strait. Each ``seed`` is a different,
equally plausible weather year; the same seed gives the same frames. Levels are calibrated
for every seed: demand to ``jkenergy.study.datasets.demand`` (annual energy, annual peak and
its month, the other season's peak), solar and wind to published or stated annual capacity
factors (``SOLAR_CF``, ``WIND_CF``). ``load_profile`` reads and checks a user's own hourly
file instead; ``read_tso_area_csv``, ``read_kpx_hourly_csv`` and ``read_capacity_factor_csv``
(:mod:`jkenergy.study.readers`) read measured data in the formats the operators and
renewables.ninja publish.
"""

from __future__ import annotations

import functools
import os
from typing import Literal, cast

import numpy as np
import pandas as pd

from ..errors import ComponentError, DataError
from . import datasets
from . import weather as wx
from .readers import read_capacity_factor_csv, read_kpx_hourly_csv, read_tso_area_csv

__all__ = [
    "demand",
    "load_profile",
    "read_capacity_factor_csv",
    "read_kpx_hourly_csv",
    "read_tso_area_csv",
    "solar",
    "wind",
]


_Regions = Literal["national", "areas"]  # what _check_args lets through


def _check_args(year: int, regions: str, seed: int) -> None:
    if not isinstance(year, int | np.integer) or not 1950 <= year <= 2100:
        raise ComponentError(f"year must be an integer in 1950..2100, got {year!r}")
    if regions not in ("national", "areas"):
        raise ComponentError(f"regions must be 'national' or 'areas', got {regions!r}")
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ComponentError(f"seed must be a non-negative integer, got {seed!r}")


# --- demand -------------------------------------------------------------------------------
def _solve_gamma(lnx: np.ndarray, load_factor: float) -> float:
    """Exponent g with mean(x**g) == load_factor (Newton; x = shape / max, lnx = log x)."""
    g = 1.0
    for _ in range(100):
        e = np.exp(g * lnx)
        err = e.mean() - load_factor
        if abs(err) < 1e-13:
            break
        g_new = g - err / float((lnx * e).mean())
        g = g_new if g_new > 0 else g / 2
    return g


def _root(f, a: float, b: float, what: str) -> float:
    """Root of ``f`` in [a, b] by regula falsi (Illinois variant)."""
    fa, fb = f(a), f(b)
    if fa * fb > 0:
        raise DataError(f"cannot calibrate {what}: target outside the reachable range")
    side, c = 0, a
    for _ in range(200):
        c = (a * fb - b * fa) / (fb - fa)
        fc = f(c)
        if abs(fc) < 1e-10 or b - a < 1e-12:
            break
        if fc * fb > 0:
            b, fb = c, fc
            fa = fa / 2 if side == -1 else fa
            side = -1
        else:
            a, fa = c, fc
            fb = fb / 2 if side == 1 else fb
            side = 1
    return c


def _calibrate(parts, row, region: str, months: np.ndarray) -> tuple[np.ndarray, float]:
    """Demand (MW) = peak * (s / max s) ** g, with s = base + cool + w * heat.

    The heating weight w makes the off-season peak (winter's if the annual peak is in summer,
    summer's if it is in winter) over the annual peak match the data; g (a power transform)
    makes the load factor, hence the annual energy, match; the leading factor makes the peak
    match. Returns the demand and w.
    """
    b, c, h = parts
    peak = float(row.peak_gw) * 1e3
    load_factor = float(row.annual_energy_twh) * 1e6 / (peak * len(b))
    if int(row.peak_month) in wx.WINTER_MONTHS:
        off, off_peak = np.isin(months, wx.SUMMER_MONTHS), float(row.summer_peak_gw)
    else:
        off, off_peak = np.isin(months, wx.WINTER_MONTHS), float(row.winter_peak_gw)
    ratio = off_peak / float(row.peak_gw)
    if not 0 < ratio < 1:
        raise DataError(
            f"demand of {region}: the off-season peak ({off_peak} GW) must be positive and "
            f"below the annual peak ({row.peak_gw} GW, month {row.peak_month})"
        )

    def solve(x: float) -> tuple[np.ndarray, float]:
        s = b + c + x / (1 - x) * h  # x in [0, 1) maps the heating weight w = x / (1 - x)
        lnx = np.log(s / s.max())
        return lnx, _solve_gamma(lnx, load_factor)

    def mismatch(x: float) -> float:
        lnx, g = solve(x)
        return float(np.exp(g * lnx[off].max())) - ratio  # lnx.max() == 0: annual peak

    x = _root(mismatch, 0.0, 0.98, f"the demand of {region}")
    lnx, g = solve(x)
    return peak * np.exp(g * lnx), x / (1 - x)


@functools.lru_cache(maxsize=8)
def _demand_all(year: int, seed: int) -> dict[str, dict[str, np.ndarray]]:
    """Calibrated demand of every area and nation, by level ("areas", "national")."""
    tables = {r: datasets.demand(regions=r) for r in ("areas", "national")}
    months = np.asarray(wx.hour_index(year).month)
    out: dict[str, dict[str, np.ndarray]] = {"areas": {}, "national": {}}
    for country in ("JP", "KR"):
        cal = wx.calendar(country, year)
        parts: dict[str, tuple[np.ndarray, ...]] = {}
        weights: dict[str, tuple[float, float, float]] = {}
        for level, table in tables.items():
            for region, row in table[table.country == country].iterrows():
                month = int(row.peak_month)
                winter_peak = month in wx.WINTER_MONTHS
                events = (  # heat wave in summer, cold snap in winter, one in the peak month;
                    # the same days in every region of both countries (one weather system)
                    (wx.event_day(year, 8 if winter_peak else month, seed), 1),
                    (wx.event_day(year, month if winter_peak else 1, seed), -1),
                )
                if region in wx.SITES:
                    p = wx.demand_parts(region, country, year, seed, cal, events)
                elif level == "national" and parts:  # energy-weighted sum of its areas
                    p = tuple(  # parts is not empty, so each sum is an array
                        cast(np.ndarray, sum(weights[a][i] * parts[a][i] for a in parts))
                        for i in range(3)
                    )
                else:
                    raise DataError(f"no representative site for demand region {region!r}")
                values, weight = _calibrate(p, row, region, months)
                if months[np.argmax(values)] != month:
                    raise DataError(f"cannot place the demand peak of {region} in month {month}")
                out[level][region] = values
                if level == "areas":
                    parts[region] = p
                    k = float(row.annual_energy_twh) / float((p[0] + p[1] + weight * p[2]).mean())
                    weights[region] = (k, k, k * weight)  # national heating weight 1: plain sum
    return out


def demand(year: int = 2030, regions: str = "national", seed: int = 0) -> pd.DataFrame:
    """Hourly electricity demand (MW) for one year, calibrated to the bundled data set.

    Each region's raw shape is ``base + cooling + heating``: a daily base shape (weekday or
    weekend/holiday, per country) times a calendar level (weekends, public holidays from the
    ``holidays`` package, Japan's Obon 13–16 Aug and New Year 29 Dec–3 Jan, Golden Week,
    Korea's Seollal and Chuseok), plus cooling and heating loads proportional to daily cooling
    (base 20 degC) and heating (base 14 degC) degree-days of a synthetic daily temperature
    (a smooth annual cycle of the region's representative city plus a seeded AR(1) weather
    anomaly, correlated between regions as ``0.95 exp(-d / 1000 km)``), each spread over
    the day by its own hourly shape. A seeded heat wave in summer and cold snap in January,
    on the same working Tuesday–Thursday in every region of both countries and 1.5 degC
    beyond any other day of the year in each, place the seasonal peaks (the heat wave in
    the data's peak month, or the cold snap where the peak is in winter). The weight of
    heating against cooling and a power transform ``peak * (s / max s) ** g`` are then
    solved so that the annual energy, the annual peak and the other season's peak (winter
    Dec–Feb, or summer Jun–Sep where the annual peak is in winter) match
    ``jkenergy.study.datasets.demand`` exactly.

    With ``regions="national"``, Japan's column is the sum of the nine area shapes (same
    weather draws, each weighted by its area's annual energy), re-weighted between heating
    and cooling and power-transformed to the national targets: consistent in shape with, but
    not identical to, the sum of ``demand(regions="areas")``.

    Parameters
    ----------
    year : int
        Calendar year; 8760 hours, or 8784 in a leap year (same annual energy either way).
    regions : {"national", "areas"}
        ``"national"``: columns JP, KR. ``"areas"``: Japan's nine areas and KR.
    seed : int
        Weather year: each seed is a different, equally plausible year of weather (shared
        with ``solar`` and ``wind`` of the same seed); the same seed gives the same frame.

    Returns
    -------
    pandas.DataFrame
        Hourly, naive local time (UTC+9, hour-beginning), index named ``snapshot``; one column
        per region, MW.

    Examples
    --------
    >>> from jkenergy.study import profiles
    >>> d = profiles.demand(2030)
    >>> d.shape, list(d.columns)
    ((8760, 2), ['JP', 'KR'])
    >>> int(d["JP"].idxmax().month)
    8
    """
    _check_args(year, regions, seed)
    values = _demand_all(int(year), int(seed))[regions]
    order = datasets.demand(regions=cast(_Regions, regions)).index
    return pd.DataFrame({r: values[r] for r in order}, index=wx.hour_index(int(year)))


# --- solar --------------------------------------------------------------------------------
#: Annual solar capacity factor targets: Japan ~14 % (derived in the reference figures);
#: Korea 14.5 % (stated assumption within the published 13–15 % range).
SOLAR_CF = {"JP": 0.140, "KR": 0.145}


@functools.lru_cache(maxsize=8)
def _solar_all(year: int, seed: int) -> dict[str, np.ndarray]:
    index = wx.hour_index(year)
    countries = datasets.demand(regions="areas")["country"]
    out = {}
    for country, target in SOLAR_CF.items():
        members = [r for r in countries.index if countries[r] == country]
        kc = {r: wx.clear_sky_index(r, index, seed) for r in members}
        temp = {r: wx.hourly_temperature(r, index, seed) for r in members}

        def mean_cf(scale: float, members=members, kc=kc, temp=temp) -> float:
            return float(np.mean([wx.pv_output(r, year, scale * kc[r], temp[r]) for r in members]))

        scale = _root(lambda x, t=target, f=mean_cf: f(x) - t, 0.3, 1.6, f"{country} solar")
        out.update({r: wx.pv_output(r, year, scale * kc[r], temp[r]) for r in members})
        out[country] = np.mean([out[r] for r in members], axis=0)
    return out


def solar(year: int = 2030, regions: str = "national", seed: int = 0) -> pd.DataFrame:
    """Hourly solar PV capacity factors in [0, 1] from solar geometry and synthetic clouds.

    At each region's representative site (``jkenergy.study.weather.SITES``: Sapporo, Sendai,
    Tokyo, Nagoya, Toyama, Osaka, Hiroshima, Takamatsu, Fukuoka; Seoul for Korea) pvlib gives
    the sun position at mid-hour and the Ineichen clear-sky irradiance. A seeded clear-sky
    index (a regional cloud climatology with a markedly cloudier rainy season — tsuyu about
    early June to late July in Japan, none in Hokkaido; jangma 22 June–31 July in Korea —
    plus persistent day-to-day cloudiness, correlated between regions as
    ``0.9 exp(-d / 800 km)``, and local hour-to-hour noise) scales the clear-sky GHI; the Erbs
    model splits it, the isotropic model transposes it onto a fixed plane tilted 30 degrees
    facing south, the Faiman model gives the cell temperature and PVWatts the DC output, less
    14 % system losses. The clear-sky index is scaled by one factor per country so that the
    annual capacity factor is 14.0 % for Japan (mean of the areas) and 14.5 % for Korea;
    nothing is clipped except at the inverter rating (capacity factor 1).

    Parameters
    ----------
    year : int
        Calendar year.
    regions : {"national", "areas"}
        ``"national"``: JP (mean of the nine areas), KR. ``"areas"``: the nine areas and KR.
    seed : int
        Weather year (see :func:`demand`).

    Returns
    -------
    pandas.DataFrame
        Capacity factors, hourly naive local time (UTC+9, hour-beginning), index ``snapshot``.

    Examples
    --------
    >>> from jkenergy.study import profiles
    >>> cf = profiles.solar(2030)
    >>> round(float(cf["JP"].mean()), 3)
    0.14
    >>> float(cf["JP"].iloc[:4].max())  # midnight to 04:00 on 1 January
    0.0
    """
    _check_args(year, regions, seed)
    values = _solar_all(int(year), int(seed))
    names = datasets.demand(regions=cast(_Regions, regions)).index
    return pd.DataFrame({r: values[r] for r in names}, index=wx.hour_index(int(year)))


# --- wind ---------------------------------------------------------------------------------
#: Annual wind capacity factors: Japan onshore 20.8 % (national fleet 2020, IEA Wind TCP);
#: Japan offshore 33 % (stated assumption); Korea onshore 18.9 % (the five state gencos'
#: five-year average, National Assembly audit, etnews 2019-10-14, ``ETNEWS2019``); Korea
#: offshore 21.7 % (the 60 MW Southwest demonstration farm in 2020, KEPCO data reported by
#: JoongAng 2021, ``JOONGANG2021-KEPCO``; one near-shore farm, ``A-W5`` in ``data/SOURCES.md``).
WIND_CF = {
    ("JP", "onshore"): 0.208,
    ("JP", "offshore"): 0.33,
    ("KR", "onshore"): 0.189,
    ("KR", "offshore"): 0.217,
}


def wind(
    year: int = 2030, regions: str = "national", kind: str = "onshore", seed: int = 0
) -> pd.DataFrame:
    """Hourly wind capacity factors in [0, 1] from a persistent synthetic wind speed.

    Per region, the two wind components are Ornstein–Uhlenbeck processes (72 h time scale,
    so the speed decorrelates in about 1.5 days) correlated between regions as
    ``0.95 exp(-d / 1600 km)`` (wind power then about ``0.9 exp(-d / 800 km)``); their
    magnitude is a Weibull-2 speed with a
    winter-monsoon seasonal cycle (and an afternoon maximum onshore); a generic power curve
    (cut-in 3, rated 12, cut-out 25 m/s, 10 % losses) turns it into power. The Weibull scale
    is solved so that the annual capacity factor matches ``WIND_CF`` for the country and kind,
    times a regional factor for Japan's areas (``jkenergy.study.weather.SITES``, averaging 1:
    windier Hokkaido, Tohoku and Kyushu). Japan's national column is the mean of its areas.
    Onshore and offshore sites of a region share its weather; only the seasonal and diurnal
    modulation and the calibration differ.

    Parameters
    ----------
    year : int
        Calendar year.
    regions : {"national", "areas"}
        ``"national"``: JP, KR. ``"areas"``: the nine areas and KR.
    kind : {"onshore", "offshore"}
        Turbine siting.
    seed : int
        Weather year (see :func:`demand`).

    Returns
    -------
    pandas.DataFrame
        Capacity factors, hourly naive local time (UTC+9, hour-beginning), index ``snapshot``.

    Examples
    --------
    >>> from jkenergy.study import profiles
    >>> cf = profiles.wind(2030, kind="onshore")
    >>> round(float(cf["JP"].mean()), 3)
    0.208
    """
    _check_args(year, regions, seed)
    if kind not in ("onshore", "offshore"):
        raise ComponentError(f"kind must be 'onshore' or 'offshore', got {kind!r}")
    index = wx.hour_index(int(year))
    names = datasets.demand(regions=cast(_Regions, regions)).index
    countries = datasets.demand(regions="areas")["country"]
    columns = {}
    for country in ("JP", "KR"):
        members = [r for r in countries.index if countries[r] == country]
        for region in members:
            target = WIND_CF[(country, kind)] * wx.SITES[region].wind_factor
            shape = wx.wind_speed_shape(region, kind, index, int(seed))

            def cf(scale: float, shape=shape) -> float:
                return float(wx.wind_power(scale * shape).mean())

            scale = _root(lambda x, t=target, f=cf: f(x) - t, 1.0, 15.0, f"{region} wind")
            columns[region] = wx.wind_power(scale * shape)
        if country not in columns:
            columns[country] = np.mean([columns[r] for r in members], axis=0)
    return pd.DataFrame({r: columns[r] for r in names}, index=index)


# --- user profiles ------------------------------------------------------------------------
_TIME_COLUMNS = ("snapshot", "time")


def _read_table(path: os.PathLike | str) -> pd.DataFrame:
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower()
    if not os.path.isfile(path):
        raise DataError(f"{path}: no such file")
    try:
        if suffix == ".csv":
            table = pd.read_csv(path)
        elif suffix in (".parquet", ".pq"):
            table = pd.read_parquet(path)
            if not isinstance(table.index, pd.RangeIndex):  # time stored as the index
                table = table.reset_index()
        else:
            raise DataError(f"{path}: unsupported file type {suffix!r} (use .csv or .parquet)")
    except ImportError as exc:
        raise DataError(f"{path}: reading Parquet needs pyarrow ({exc})") from exc
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError(f"{path}: cannot read the file ({exc})") from exc
    if table.shape[1] < 2:
        raise DataError(f"{path}: needs a time column and at least one value column")
    return table


def _where(times: pd.Series | pd.DatetimeIndex, i: int) -> str:
    stamp = times[i]
    return f"row {i + 1}" + ("" if pd.isna(stamp) else f" ({stamp})")


def _parse_times(raw: pd.Series, path: str, column: str) -> pd.DatetimeIndex:
    """Timestamps as naive UTC+9 local time; tz-aware values are converted, never rejected."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        times = pd.DatetimeIndex(raw)
    else:
        text = raw.astype("string")
        try:
            times = pd.DatetimeIndex(pd.to_datetime(text))
        except ValueError as exc:
            if "Mixed timezones" in str(exc):
                times = pd.DatetimeIndex(pd.to_datetime(text, utc=True))
            else:
                coerced = pd.to_datetime(text, errors="coerce")
                bad = np.flatnonzero(coerced.isna().to_numpy() & text.notna().to_numpy())
                i = int(bad[0]) if len(bad) else 0
                raise DataError(
                    f"{path}: column {column!r}: cannot read {text.iloc[i]!r} at row {i + 1} as "
                    "a timestamp (every row must have the format of the first)"
                ) from exc
    if times.tz is not None:
        times = times.tz_convert("Asia/Tokyo").tz_localize(None)  # UTC+9, as Asia/Seoul
    missing = np.flatnonzero(times.isna())
    if len(missing):
        raise DataError(f"{path}: column {column!r}: missing timestamp at row {missing[0] + 1}")
    return times.rename("snapshot")


def _check_times(times: pd.DatetimeIndex, where: str, snapshots) -> pd.DatetimeIndex:
    """Duplicates, order, gaps (hourly steps), then coverage: a full year or ``snapshots``.

    ``where`` is "<file>: column '<time column>'". Returns the expected index (== times).
    """
    dup = np.flatnonzero(times.duplicated())
    if len(dup):
        raise DataError(f"{where}: duplicate timestamp at {_where(times, dup[0])}")
    step = np.asarray((times[1:] - times[:-1]).total_seconds())
    if len(step) and (step <= 0).any():
        i = int(np.flatnonzero(step <= 0)[0]) + 1
        raise DataError(f"{where}: timestamps out of order at {_where(times, i)}")
    if len(step) and (step != 3600).any():
        i = int(np.flatnonzero(step != 3600)[0])
        what = "missing hour(s) after" if step[i] > 3600 else "step shorter than an hour after"
        raise DataError(f"{where}: {what} {times[i]} (next timestamp at {_where(times, i + 1)})")
    if isinstance(snapshots, pd.DatetimeIndex):
        expected = snapshots
    else:
        year = int(times[0].year) if snapshots is None else int(snapshots)
        expected = wx.hour_index(year)
    if len(times) != len(expected) or not (times == expected).all():
        span = f"{len(times)} hourly rows from {times[0]} to {times[-1]}"
        need = f"{len(expected)} rows from {expected[0]} to {expected[-1]}"
        kind = "the given snapshots" if isinstance(snapshots, pd.DatetimeIndex) else "a full year"
        raise DataError(f"{where}: has {span}; expected {kind}: {need} (local time, UTC+9)")
    return expected.rename("snapshot")


def load_profile(
    path: str | os.PathLike,
    *,
    snapshots: int | pd.DatetimeIndex | None = None,
    columns: list[str] | None = None,
    kind: str = "demand",
) -> pd.DataFrame:
    """Load and check a user's own hourly profile from a CSV or Parquet file.

    The time column is the one named ``snapshot`` or ``time`` (any case), else the first
    column (for Parquet, also a datetime index). Naive times are taken as local time, UTC+9.
    Time-zone-aware times (e.g. ``2030-01-01T00:00+09:00`` or ``...Z``) are converted to UTC+9
    (Asia/Tokyo = Asia/Seoul, no daylight saving) and made naive; they are never rejected, but
    the converted times must still cover the required hours (a UTC calendar-year file does not
    cover the local calendar year and is reported as such).

    Checks, each raising :class:`jkenergy.errors.DataError` naming the file, the column and
    the first offending row (counted from 1 after the header: row N is line N+1 of a CSV) and
    its timestamp: unreadable or missing timestamps; duplicate timestamps; out-of-order
    timestamps; gaps (missing hours) or sub-hourly steps; coverage (a full calendar year of
    8760 or 8784 hours starting 1 January 00:00, of ``snapshots`` if it is a year, or exactly
    ``snapshots`` if it is an index); then per value column: non-numeric values, NaN, negative
    values and, for ``kind="capacity_factor"``, values above 1.

    Parameters
    ----------
    path : str or os.PathLike
        ``.csv`` or ``.parquet`` / ``.pq`` (Parquet needs pyarrow).
    snapshots : int or pandas.DatetimeIndex, optional
        The year the file must cover, or the exact snapshots; default: a full year, any year.
    columns : list of str, optional
        Value columns to return (default: all but the time column).
    kind : {"demand", "capacity_factor"}
        ``"capacity_factor"`` also rejects values above 1.

    Returns
    -------
    pandas.DataFrame
        Float columns on a naive ``DatetimeIndex`` named ``snapshot``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from jkenergy.study import profiles
    >>> frame = profiles.solar(2030)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pv.csv"
    >>> frame.to_csv(path)
    >>> profiles.load_profile(path, snapshots=2030, kind="capacity_factor").shape
    (8760, 2)
    """
    if kind not in ("demand", "capacity_factor"):
        raise ComponentError(f"kind must be 'demand' or 'capacity_factor', got {kind!r}")
    name = os.fspath(path)
    table = _read_table(path)
    lower = {str(c).lower(): c for c in table.columns}
    time_col = next((lower[c] for c in _TIME_COLUMNS if c in lower), table.columns[0])
    times = _parse_times(table[time_col], name, str(time_col))
    index = _check_times(times, f"{name}: column {str(time_col)!r}", snapshots)
    values = table.drop(columns=[time_col])
    values.columns = [str(c) for c in values.columns]
    if columns is not None:
        unknown = [c for c in columns if c not in values.columns]
        if unknown:
            raise DataError(f"{name}: no column {unknown[0]!r} (has {list(values.columns)})")
        values = values[list(columns)]
    out = {}
    for col in values.columns:
        raw = values[col]
        num = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        checks = (
            (np.isnan(num) & raw.notna().to_numpy(), "non-numeric value"),
            (np.isnan(num), "missing value (NaN)"),
            (num < 0, "negative value"),
            (num > 1 if kind == "capacity_factor" else np.zeros(len(num), bool), "value above 1"),
        )
        for bad, what in checks:
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                v = raw.iloc[i]
                shown = f"{v!r}" if isinstance(v, str) else f"{float(v):g}"
                shown = "" if what.startswith("missing") else f" ({shown})"
                raise DataError(f"{name}: column {col!r}: {what}{shown} at {_where(times, i)}")
        out[col] = num
    return pd.DataFrame(out, index=index)
