"""Synthetic weather, calendar, daily demand shapes and conversions for the profiles.

Private. Everything here is a stated, stylised assumption used only to *shape* hourly
profiles; the levels are calibrated afterwards in :mod:`jkenergy.study.profiles` against the
bundled data set or published capacity factors.

- Regions and climate: each region's load centre (``regions.csv``: a representative city
  and its coordinates) and its climate (``SITES``). Monthly mean temperatures are rounded,
  approximate JMA / KMA 1991–2020 normals of that city (recalled from the published tables,
  not bundled data); a three-harmonic Fourier fit turns them into a smooth annual cycle.
  Cloud climates (``CLOUD_CLIMATE``) and rainy seasons are judgement.
- Weather anomalies (``anomaly``): one generator for all regions of both countries. Each
  variable (daily temperature, daily cloudiness, hourly wind components) is a Gaussian
  field, AR(1) in time, whose innovations are correlated between regions by an exponential
  kernel of their distance plus a local share (``FIELDS``): weather that co-moves across
  neighbouring regions and the Korea Strait as synoptic systems do. The same days carry
  the heat wave and the cold snap in every region (``event_day``).
- Calendar (``calendar``): holidays and demand level factors.
- Daily demand shapes (``DAILY_*``) and the demand parts built from them (``demand_parts``).
- Conversions: irradiance to PV output (pvlib), wind speed to power (generic power curve).
"""

from __future__ import annotations

import datetime as dt
import functools
import zlib
from dataclasses import dataclass

import holidays
import numpy as np
import pandas as pd

from ..errors import DataError
from . import datasets

#: Winter months used for the winter peak (meteorological winter).
WINTER_MONTHS = (12, 1, 2)
#: Summer months, for the summer peak where the annual peak is in winter.
SUMMER_MONTHS = (6, 7, 8, 9)
#: How much hotter (colder) than any other day of the year the peak-making event day is, degC.
EVENT_MARGIN = 1.5
#: Mean radius of the Earth, km (great-circle distances between load centres).
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Site:
    """A region's climate: monthly mean temperatures, cloud climate, rainy season, wind."""

    temps: tuple[float, ...]  # monthly mean air temperature, degC, Jan..Dec
    clouds: str  # key of CLOUD_CLIMATE
    rainy_season: tuple[str, str] | None  # (start, end) as "MM-DD", or None
    wind_factor: float  # relative annual wind capacity factor (JP areas average 1.0)


#: Climate of each region's representative city (``regions.csv``: Sapporo, Sendai, Tokyo,
#: Nagoya, Toyama, Osaka, Hiroshima, Takamatsu, Fukuoka; Seoul). Rainy seasons (tsuyu;
#: jangma for Korea) are rounded average onset and end dates (judgement); Hokkaido has none.
#: Wind factors: windier north and Kyushu.
SITES: dict[str, Site] = {
    "Hokkaido": Site((-3.2, -2.7, 1.1, 7.3, 13.0, 17.0, 21.1, 22.3, 18.6, 12.1, 5.2, -0.9),
                     "north", None, 1.15),
    "Tohoku": Site((2.0, 2.4, 5.5, 10.7, 15.6, 19.2, 22.9, 24.4, 21.2, 15.7, 9.8, 4.5),
                   "north", ("06-12", "07-28"), 1.10),
    "Tokyo": Site((5.4, 6.1, 9.4, 14.3, 18.8, 21.9, 25.7, 26.9, 23.3, 18.0, 12.5, 7.7),
                  "pacific", ("06-07", "07-19"), 0.90),
    "Chubu": Site((4.8, 5.5, 9.2, 14.6, 19.4, 23.0, 26.9, 28.2, 24.5, 18.6, 12.6, 7.2),
                  "pacific", ("06-06", "07-19"), 0.90),
    "Hokuriku": Site((3.0, 3.3, 6.6, 12.0, 17.1, 21.0, 25.1, 26.9, 22.8, 17.1, 11.2, 5.8),
                     "sea_of_japan", ("06-11", "07-23"), 1.00),
    "Kansai": Site((6.2, 6.6, 9.9, 15.2, 20.0, 23.6, 27.7, 29.0, 25.2, 19.5, 13.8, 8.7),
                   "pacific", ("06-06", "07-19"), 0.90),
    "Chugoku": Site((5.4, 6.2, 9.4, 14.8, 19.6, 23.3, 27.3, 28.5, 24.9, 19.3, 13.3, 7.8),
                    "pacific", ("06-06", "07-19"), 0.95),
    "Shikoku": Site((5.9, 6.3, 9.4, 14.7, 19.8, 23.3, 27.5, 28.6, 24.7, 19.0, 13.2, 8.1),
                    "pacific", ("06-05", "07-19"), 1.00),
    "Kyushu": Site((6.9, 7.8, 10.8, 15.4, 19.9, 23.3, 27.4, 28.4, 24.7, 19.6, 14.2, 9.1),
                   "pacific", ("06-04", "07-19"), 1.10),
    "KR": Site((-2.0, 0.6, 6.3, 12.9, 18.2, 22.4, 25.3, 26.1, 21.6, 14.8, 7.2, 0.4),
               "korea", ("06-22", "07-31"), 1.00),
}  # fmt: skip

JP_AREAS: tuple[str, ...] = tuple(r for r in SITES if r != "KR")

#: Climatological clear-sky index (before the rainy season), Jan..Dec, by cloud climate:
#: sunny dry winters on Japan's Pacific side and in Korea, snowy overcast winters on the Sea
#: of Japan side and in the north.
CLOUD_CLIMATE: dict[str, tuple[float, ...]] = {
    "pacific": (0.72, 0.70, 0.66, 0.65, 0.66, 0.62, 0.64, 0.66, 0.58, 0.62, 0.66, 0.70),
    "sea_of_japan": (0.40, 0.46, 0.58, 0.65, 0.67, 0.62, 0.63, 0.66, 0.58, 0.58, 0.48, 0.40),
    "north": (0.48, 0.54, 0.62, 0.65, 0.66, 0.60, 0.58, 0.60, 0.60, 0.60, 0.52, 0.46),
    "korea": (0.68, 0.67, 0.63, 0.64, 0.65, 0.62, 0.62, 0.62, 0.66, 0.70, 0.64, 0.66),
}
#: Drop of the climatological clear-sky index at the height of tsuyu / jangma.
RAINY_SEASON_DEPTH = 0.32


def rng(seed: int, *keys: str | int) -> np.random.Generator:
    """Random generator seeded by ``seed`` and stable keys (crc32 of strings, not ``hash``)."""
    words = [int(seed)] + [k if isinstance(k, int) else zlib.crc32(k.encode()) for k in keys]
    return np.random.default_rng(words)


# --- spatially correlated weather anomalies --------------------------------------------
@dataclass(frozen=True)
class Field:
    """A Gaussian weather anomaly field over the regions (see :func:`anomaly`).

    ``length_km`` is the e-folding distance ``L`` of the shared (synoptic) part, ``local`` the
    share of each region's variance that is its own (0: none; 1: regions independent),
    ``phi`` the lag-1 autocorrelation per step and ``step`` ``"day"`` or ``"hour"``.
    """

    length_km: float
    local: float
    phi: float
    step: str


#: The weather fields (calibration in ``data/SOURCES.md``, ``A-W2``–``A-W4``). Wind: each
#: horizontal component; the speed's square then correlates as the component correlation
#: squared, so wind power decorrelates over about ``L / 2`` = 800 km.
FIELDS: dict[str, Field] = {
    "temperature": Field(length_km=1000.0, local=0.05, phi=0.7, step="day"),
    "clouds": Field(length_km=800.0, local=0.10, phi=0.45, step="day"),
    "clouds_hourly": Field(length_km=0.0, local=1.0, phi=0.6, step="hour"),
    "wind_u": Field(length_km=1600.0, local=0.05, phi=float(np.exp(-1.0 / 72.0)), step="hour"),
    "wind_v": Field(length_km=1600.0, local=0.05, phi=float(np.exp(-1.0 / 72.0)), step="hour"),
}


@functools.lru_cache(maxsize=1)
def _coordinates() -> pd.DataFrame:
    """Load-centre latitude and longitude (degrees) of every region, ``regions.csv``."""
    table = datasets.regions()
    missing = [r for r in SITES if r not in table.index]
    if missing:
        raise DataError(f"regions.csv: no coordinates for region(s) {missing}")
    return table.loc[list(SITES), ["lat", "lon"]]


def distances_km(regions: tuple[str, ...] = tuple(SITES)) -> np.ndarray:
    """Great-circle distances (km) between the regions' load centres (haversine)."""
    where = _coordinates().loc[list(regions)]
    lat, lon = np.radians(where["lat"].to_numpy()), np.radians(where["lon"].to_numpy())
    half = (
        np.sin((lat[:, None] - lat) / 2) ** 2
        + np.cos(lat[:, None]) * np.cos(lat) * np.sin((lon[:, None] - lon) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0)))


def correlation(field: str, regions: tuple[str, ...] = tuple(SITES)) -> np.ndarray:
    """Correlation of ``field`` between regions: ``(1 - local) exp(-d / L)``, 1 on the diagonal.

    An exponential kernel of the great-circle distance (positive definite on the sphere)
    plus a nugget, the local share: the matrix is positive definite for ``local > 0``.
    """
    spec = FIELDS[field]
    d = distances_km(regions)
    if spec.length_km > 0:
        c = (1.0 - spec.local) * np.exp(-d / spec.length_km)
    else:
        c = np.zeros_like(d)
    np.fill_diagonal(c, 1.0)
    return c


@functools.lru_cache(maxsize=64)
def anomaly(field: str, steps: int, seed: int) -> np.ndarray:
    """Standard-normal anomalies of ``field`` (``steps`` x regions, columns in ``SITES`` order).

    A stationary vector AR(1): ``x[t] = phi x[t-1] + sqrt(1 - phi^2) e[t]``, ``x[0] = e[0]``,
    with innovations ``e[t] = C z[t]``, ``C`` the Cholesky factor of :func:`correlation` and
    ``z`` independent standard normals. With one ``phi`` for all regions the covariance of
    ``x`` at lag 0 is the kernel itself, ``sum_k phi^(2k) (1 - phi^2) C C^T = C C^T``, and the
    lag-``k`` autocorrelation of each region is ``phi^k``; averages over days keep the
    kernel's cross-correlation. Seeded by (``seed``, ``field``): one draw for all regions,
    whichever of them a caller uses. Read-only (cached).
    """
    chol = np.linalg.cholesky(correlation(field))
    phi = FIELDS[field].phi
    shocks = rng(seed, "field", field).standard_normal((steps, len(SITES))) @ chol.T
    shocks[1:] *= np.sqrt(1.0 - phi * phi)
    out = _recursion(shocks, phi)
    out.flags.writeable = False
    return out


def _recursion(shocks: np.ndarray, phi: float) -> np.ndarray:
    """``x[t] = phi x[t-1] + shocks[t]`` from ``x[-1] = 0``, in blocks of closed form.

    Within a block starting at ``s``, ``x[s+j] = phi^j (phi x[s-1] + sum_{i<=j} phi^-i
    shocks[s+i])``: a cumulative sum instead of a Python loop over hours. Blocks are short
    enough that ``phi^-j`` stays far from overflow (below 1e100).
    """
    out = np.empty_like(shocks)
    block = max(1, min(512, int(230.0 / max(-np.log(phi), 1e-12))))
    j = np.arange(block)
    up, down = phi**j, phi ** (-j.astype(float))
    x = np.zeros(shocks.shape[1])
    for start in range(0, len(shocks), block):
        part = shocks[start : start + block]
        m = len(part)
        out[start : start + m] = up[:m, None] * (phi * x + np.cumsum(part * down[:m, None], axis=0))
        x = out[start + m - 1]
    return out


def _column(region: str) -> int:
    return list(SITES).index(region)


_MID_MONTH = (np.arange(12) + 0.5) * 365.25 / 12  # day of year (from 0) of mid-month


def annual_cycle(monthly: tuple[float, ...], doy: np.ndarray) -> np.ndarray:
    """Smooth periodic cycle through 12 monthly means: three-harmonic least-squares fit."""

    def basis(d: np.ndarray) -> np.ndarray:
        w = 2 * np.pi * np.asarray(d, dtype=float) / 365.25
        waves = [f(k * w) for k in (1, 2, 3) for f in (np.cos, np.sin)]
        return np.column_stack([np.ones_like(w), *waves])

    coef, *_ = np.linalg.lstsq(basis(_MID_MONTH), np.asarray(monthly), rcond=None)
    return basis(doy - 0.5) @ coef


def hour_index(year: int) -> pd.DatetimeIndex:
    """Hourly snapshots of one calendar year, naive local time (UTC+9), named ``snapshot``."""
    return pd.date_range(
        f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left", name="snapshot"
    )


def day_index(year: int) -> pd.DatetimeIndex:
    """Days of one calendar year."""
    return pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")


def temperature_sd(doy: np.ndarray) -> np.ndarray:
    """Standard deviation (degC) of the daily temperature anomaly: 2.5 in mid-winter, 1.5 in
    mid-summer."""
    return 2.0 + 0.5 * np.cos(2 * np.pi * (np.asarray(doy, dtype=float) - 15) / 365.25)


def daily_temperature(
    region: str, year: int, seed: int, events: tuple[tuple[int, int], ...] = ()
) -> np.ndarray:
    """Daily mean temperature (degC): smooth annual cycle + the region's weather anomaly.

    The anomaly is the region's column of the ``"temperature"`` field (:func:`anomaly`:
    lag-1 correlation 0.7, about 3 days' memory, correlated with the other regions by
    distance) times :func:`temperature_sd`. Each of ``events`` = (day of year, +1 or -1)
    adds a heat wave (+1) or cold snap (-1): a Gaussian bump (1.2 days' standard deviation)
    just large enough to make that day the hottest (coldest) of the year by
    ``EVENT_MARGIN``, and at least ``EVENT_MARGIN`` deep.
    """
    days = day_index(year)
    doy = np.asarray(days.dayofyear, dtype=float)
    clim = annual_cycle(SITES[region].temps, doy)
    field = anomaly("temperature", len(days), int(seed))[:, _column(region)]
    temp = clim + temperature_sd(doy) * field
    for centre, sign in events:
        others = np.abs(doy - centre) > 3
        extreme = np.max(sign * temp[others])  # hottest (sign +1) or minus the coldest
        amplitude = max(extreme - sign * temp[centre - 1] + EVENT_MARGIN, EVENT_MARGIN)
        temp = temp + sign * amplitude * np.exp(-0.5 * ((doy - centre) / 1.2) ** 2)
    return temp


def hourly_temperature(region: str, index: pd.DatetimeIndex, seed: int) -> np.ndarray:
    """Hourly air temperature: daily mean plus a 3.5 degC diurnal swing peaking at 14:00."""
    daily = daily_temperature(region, int(index[0].year), seed)
    hour = np.asarray(index.hour)
    return daily[np.asarray(index.dayofyear) - 1] + 3.5 * np.cos(2 * np.pi * (hour - 14) / 24)


def _full_year(index: pd.DatetimeIndex) -> int:
    year = int(index[0].year)
    if len(index) != len(hour_index(year)) or index[0] != pd.Timestamp(f"{year}-01-01"):
        raise ValueError(f"weather: expected the hourly snapshots of a full year, got {index!r}")
    return year


def clear_sky_index(region: str, index: pd.DatetimeIndex, seed: int) -> np.ndarray:
    """Raw hourly clear-sky index in (0, 1), before calibration.

    Logistic of (climatology + persistent noise): the logit of the climatological index
    (``CLOUD_CLIMATE``, interpolated between mid-months, lowered by ``RAINY_SEASON_DEPTH``
    over the region's rainy season, with linear ramps over its first and last fifth) plus
    0.75 times the region's column of the daily ``"clouds"`` field (lag-1 correlation 0.45,
    correlated between regions by distance: cloud bands of synoptic systems) and 0.35
    times the hourly ``"clouds_hourly"`` field (lag-1 0.6, local to each region).
    """
    site = SITES[region]
    year = _full_year(index)
    days = day_index(year)
    doy = np.asarray(days.dayofyear, dtype=float)
    clim = np.interp(doy - 0.5, _MID_MONTH, CLOUD_CLIMATE[site.clouds], period=365.25)
    if site.rainy_season is not None:
        start, end = (pd.Timestamp(f"{year}-{md}").dayofyear for md in site.rainy_season)
        phase = np.clip((doy - start) / (end - start), 0.0, 1.0)
        plateau = np.clip(np.minimum(phase, 1 - phase) / 0.2, 0.0, 1.0)  # 20 % ramps
        clim = clim - RAINY_SEASON_DEPTH * plateau
    i = _column(region)
    logit = np.log(clim / (1 - clim)) + 0.75 * anomaly("clouds", len(days), int(seed))[:, i]
    hourly = anomaly("clouds_hourly", len(index), int(seed))[:, i]
    z = logit[np.asarray(index.dayofyear) - 1] + 0.35 * hourly
    return 1.0 / (1.0 + np.exp(-z))


def wind_speed_shape(region: str, kind: str, index: pd.DatetimeIndex, seed: int) -> np.ndarray:
    """Dimensionless hourly wind speed (mean ~1), to be scaled by a calibrated Weibull scale.

    The two horizontal wind components are the region's columns of the ``"wind_u"`` and
    ``"wind_v"`` fields: Ornstein–Uhlenbeck (hourly AR(1)) processes with a 72 h time scale,
    correlated between regions by distance, so the speed is Rayleigh (Weibull shape 2)
    distributed and decorrelates (e-folding) in about 1.5 days. Onshore and offshore sites
    of a region share the weather. Seasonal cycle: the winter monsoon is strongest in
    mid-January (+/-20 % onshore, +/-25 % offshore); onshore has a +/-8 % diurnal swing
    peaking at 14:00.
    """
    n, i = len(index), _column(region)
    _full_year(index)
    u, v = anomaly("wind_u", n, int(seed))[:, i], anomaly("wind_v", n, int(seed))[:, i]
    speed = np.hypot(u, v) / np.sqrt(np.pi / 2)  # Rayleigh with unit mean
    doy = np.asarray(index.dayofyear, dtype=float)
    seasonal = 0.25 if kind == "offshore" else 0.20
    diurnal = 0.0 if kind == "offshore" else 0.08
    hour = np.asarray(index.hour)
    return (
        speed
        * (1 + seasonal * np.cos(2 * np.pi * (doy - 15) / 365.25))
        * (1 + diurnal * np.cos(2 * np.pi * (hour - 14) / 24))
    )


# --- calendar -----------------------------------------------------------------------------
WEEKDAY, WEEKEND = 0, 1


@functools.lru_cache(maxsize=16)
def calendar(country: str, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Per day of ``year``: day type (``WEEKDAY``/``WEEKEND``) and demand level factor.

    Official holidays come from ``holidays.country_holidays``. Japan adds Obon (13–16 Aug, not
    an official holiday) and the New Year break (29 Dec–3 Jan); weekdays inside Golden Week
    (29 Apr–6 May) are bridge days. Korea's Seollal and Chuseok (three days each and their
    alternative holidays) are the deepest dips. Factors (stated assumptions): Japan Saturday
    0.92, Sunday/holiday 0.86, Obon 0.90, New Year 0.80, Golden Week bridge day 0.94; Korea
    Saturday 0.93, Sunday/holiday 0.88, Seollal/Chuseok 0.74.
    """
    days = day_index(year)
    official = holidays.country_holidays(country, years=year, language="en_US")
    special: dict[dt.date, tuple[float, int]] = {}  # date -> (level, day type)
    if country == "JP":
        weekend_levels = (0.92, 0.86)
        for day in days:
            date, md = day.date(), (day.month, day.day)
            if md >= (12, 29) or md <= (1, 3):
                special[date] = (0.80, WEEKEND)  # New Year break
            elif (8, 13) <= md <= (8, 16):
                special[date] = (0.90, WEEKEND)  # Obon
            elif date in official:
                special[date] = (0.86, WEEKEND)
            elif (4, 29) <= md <= (5, 6) and day.dayofweek < 5:
                special[date] = (0.94, WEEKDAY)  # Golden Week bridge day
    else:
        weekend_levels = (0.93, 0.88)
        for date, name in official.items():  # names of one date are joined by "; "
            deep = "Korean New Year" in name or "Chuseok" in name  # Seollal, Chuseok
            special[date] = (0.74 if deep else 0.88, WEEKEND)
    kind = np.where(days.dayofweek >= 5, WEEKEND, WEEKDAY)
    factor = np.select([days.dayofweek == 5, days.dayofweek == 6], weekend_levels, 1.0)
    for date, (level, daytype) in special.items():
        i = (date - dt.date(year, 1, 1)).days
        factor[i] = min(factor[i], level)
        kind[i] = max(kind[i], daytype)
    kind.flags.writeable = factor.flags.writeable = False  # cached: shared between calls
    return kind, factor


# --- daily shapes: 24 hour-beginning values, [weekday, weekend/holiday] per country ---------
# Stylised (stated assumption) after the reference: Japan's weekday lunch dip at 12:00 (absent
# on weekends), Tokyo's summer peak at 16:00, Korea's summer peak at 17:00 and winter weekday
# peaks at 08:00 and 16:00. Base shapes are scaled to mean 1, cooling/heating shapes to max 1.
# fmt: off
DAILY_BASE = {
    "JP": [
        [0.80, 0.76, 0.74, 0.73, 0.73, 0.75, 0.80, 0.88, 0.97, 1.03, 1.05, 1.06,
         0.99, 1.06, 1.06, 1.06, 1.06, 1.05, 1.05, 1.04, 1.00, 0.95, 0.89, 0.84],
        [0.82, 0.78, 0.76, 0.74, 0.73, 0.73, 0.75, 0.80, 0.86, 0.91, 0.94, 0.96,
         0.97, 0.97, 0.97, 0.97, 0.98, 1.00, 1.02, 1.01, 0.98, 0.94, 0.90, 0.86],
    ],
    "KR": [
        [0.86, 0.83, 0.81, 0.80, 0.80, 0.81, 0.85, 0.94, 1.02, 1.05, 1.06, 1.06,
         1.03, 1.07, 1.08, 1.08, 1.08, 1.08, 1.05, 1.03, 1.01, 0.98, 0.94, 0.90],
        [0.88, 0.85, 0.83, 0.82, 0.81, 0.81, 0.83, 0.86, 0.90, 0.94, 0.96, 0.97,
         0.97, 0.97, 0.97, 0.97, 0.98, 0.99, 1.01, 1.01, 0.99, 0.96, 0.93, 0.90],
    ],
}
DAILY_COOL = {
    "JP": [0.35, 0.32, 0.30, 0.28, 0.27, 0.28, 0.33, 0.42, 0.55, 0.66, 0.76, 0.84,
           0.89, 0.94, 0.97, 0.99, 1.00, 0.95, 0.86, 0.74, 0.63, 0.54, 0.46, 0.40],
    "KR": [0.40, 0.36, 0.33, 0.31, 0.30, 0.31, 0.35, 0.42, 0.53, 0.64, 0.74, 0.82,
           0.87, 0.91, 0.94, 0.97, 0.99, 1.00, 0.94, 0.84, 0.74, 0.64, 0.55, 0.47],
}
DAILY_HEAT = {
    "JP": [
        [0.55, 0.52, 0.52, 0.53, 0.56, 0.63, 0.76, 0.92, 1.00, 0.97, 0.88, 0.79,
         0.73, 0.67, 0.65, 0.68, 0.75, 0.86, 0.95, 0.96, 0.90, 0.80, 0.70, 0.61],
        [0.58, 0.55, 0.54, 0.55, 0.57, 0.62, 0.72, 0.85, 0.95, 0.97, 0.91, 0.83,
         0.77, 0.71, 0.68, 0.70, 0.77, 0.88, 0.97, 1.00, 0.94, 0.84, 0.74, 0.65],
    ],
    "KR": [
        [0.55, 0.52, 0.51, 0.52, 0.55, 0.62, 0.75, 0.90, 1.00, 0.78, 0.64, 0.56,
         0.52, 0.52, 0.58, 0.72, 0.92, 0.84, 0.78, 0.74, 0.70, 0.66, 0.62, 0.58],
        [0.60, 0.57, 0.55, 0.55, 0.57, 0.62, 0.71, 0.82, 0.90, 0.86, 0.78, 0.70,
         0.64, 0.62, 0.64, 0.72, 0.84, 0.94, 1.00, 0.96, 0.88, 0.78, 0.70, 0.64],
    ],
}
# fmt: on

T_COOL, T_HEAT = 20.0, 14.0  # degree-day base temperatures, degC (daily mean)
WEATHER_WEIGHT = 1.0  # largest cooling / heating load relative to the mean base load


def _area(shapes: dict[str, list], country: str) -> np.ndarray:
    return np.atleast_2d(np.asarray(shapes[country], dtype=float))


def _softplus(x: np.ndarray, width: float = 1.0) -> np.ndarray:
    return width * np.logaddexp(0.0, x / width)


def event_day(year: int, month: int, seed: int) -> int:
    """Centre (day of year) of the peak-making heat wave / cold snap in ``month``.

    One day for every region of both countries (the event is one weather system, as the
    temperature field is): a Tuesday to Thursday between the 6th and the 24th that is a full
    working day (level factor 1) in both Japan's and Korea's calendars, drawn with
    (``seed``, ``month``).
    """
    days = day_index(year)
    working = np.ones(len(days), dtype=bool)
    for country in ("JP", "KR"):
        working &= calendar(country, year)[1] == 1.0
    ok = (
        (days.month == month)
        & (days.day >= 6)
        & (days.day <= 24)
        & np.isin(days.dayofweek, (1, 2, 3))
        & working
    )
    choices = np.flatnonzero(ok)
    return int(rng(seed, "event", month).choice(choices)) + 1


def demand_parts(region, country, year, seed, cal, events) -> tuple[np.ndarray, ...]:
    """Base, cooling and heating parts (hourly arrays) of a region's raw demand shape."""
    index = hour_index(year)
    day = np.asarray(index.dayofyear) - 1
    hour = np.asarray(index.hour)
    kind, factor = cal
    temp = daily_temperature(region, year, seed, events)
    dk, level = kind[day], factor[day]
    base = _area(DAILY_BASE, country)
    base = base / base.mean(axis=1, keepdims=True)
    b = level * base[dk, hour]
    c = level * _softplus(temp - T_COOL)[day] * _area(DAILY_COOL, country)[0, hour]
    h = level * _softplus(T_HEAT - temp)[day] * _area(DAILY_HEAT, country)[dk, hour]
    return b, WEATHER_WEIGHT * c / c.max(), WEATHER_WEIGHT * h / h.max()


# --- conversions: irradiance to PV output, wind speed to power -----------------------------
PV_TILT, PV_AZIMUTH, PV_ALBEDO = 30.0, 180.0, 0.2  # fixed plane facing south, degrees
PV_LOSSES, PV_GAMMA = 0.14, -0.0035  # system losses; power temperature coefficient, 1/degC


@functools.lru_cache(maxsize=32)
def clear_sky(region: str, year: int) -> dict[str, np.ndarray]:
    """Clear-sky GHI (Ineichen, Linke turbidity climatology) and sun position at mid-hour."""
    import pvlib

    lat, lon = (float(v) for v in _coordinates().loc[region, ["lat", "lon"]])
    times = (hour_index(year) + pd.Timedelta(minutes=30)).tz_localize("Etc/GMT-9")
    loc = pvlib.location.Location(lat, lon, tz="Etc/GMT-9", altitude=20)
    position = loc.get_solarposition(times)
    sky = loc.get_clearsky(times, model="ineichen", solar_position=position)
    out = {
        "ghi": sky["ghi"].to_numpy(),
        "zenith": position["zenith"].to_numpy(),
        "azimuth": position["azimuth"].to_numpy(),
        "doy": np.asarray(times.dayofyear, dtype=float),
    }
    for array in out.values():
        array.flags.writeable = False  # cached: shared between calls
    return out


def pv_output(region: str, year: int, kc: np.ndarray, temp_air: np.ndarray) -> np.ndarray:
    """Capacity factor of a fixed PV plane for clear-sky index ``kc`` (Erbs split, isotropic
    transposition, Faiman cell temperature, PVWatts DC model, flat system losses)."""
    import pvlib

    sky = clear_sky(region, year)
    ghi = kc * sky["ghi"]
    split = pvlib.irradiance.erbs(ghi, sky["zenith"], sky["doy"])
    poa = pvlib.irradiance.get_total_irradiance(
        PV_TILT, PV_AZIMUTH, sky["zenith"], sky["azimuth"], split["dni"], ghi, split["dhi"],
        albedo=PV_ALBEDO,
    )["poa_global"]  # fmt: skip
    poa = np.nan_to_num(np.asarray(poa, dtype=float))
    cell = pvlib.temperature.faiman(poa, temp_air, wind_speed=2.0)
    dc = pvlib.pvsystem.pvwatts_dc(poa, cell, pdc0=1.0, gamma_pdc=PV_GAMMA)
    return np.minimum(np.maximum(dc * (1 - PV_LOSSES), 0.0), 1.0)  # inverter rated at 1


_CUT_IN, _RATED, _CUT_OUT, _WIND_LOSSES = 3.0, 12.0, 25.0, 0.10  # m/s; wake + availability


def wind_power(speed: np.ndarray) -> np.ndarray:
    """Generic turbine: cubic from cut-in to rated speed, flat to cut-out, less losses."""
    p = np.clip((speed**3 - _CUT_IN**3) / (_RATED**3 - _CUT_IN**3), 0.0, 1.0)
    return np.where(speed < _CUT_OUT, p, 0.0) * (1 - _WIND_LOSSES)
