"""Synthetic weather and calendar for :mod:`jkenergy.profiles` (private).

Everything here is a stated, stylised assumption used only to *shape* hourly profiles; the
levels are calibrated afterwards in :mod:`jkenergy.profiles` against the bundled data set or
the published capacity factors. Nothing here is a sourced data set.

Sites and climate: one representative city per region. Monthly mean temperatures are rounded,
approximate JMA / KMA 1991–2020 normals of that city (from memory of the published tables,
not bundled data); a two-harmonic Fourier fit turns them into a smooth annual cycle.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

import holidays
import numpy as np
import pandas as pd

#: Winter months used for the winter peak (meteorological winter).
WINTER_MONTHS = (12, 1, 2)


@dataclass(frozen=True)
class Site:
    """A representative site: city, position, monthly mean temperatures and cloud climate."""

    city: str
    lat: float
    lon: float
    temps: tuple[float, ...]  # monthly mean air temperature, degC, Jan..Dec
    clouds: str  # key of CLOUD_CLIMATE
    rainy_season: tuple[str, str] | None  # (start, end) as "MM-DD", or None
    wind_factor: float  # relative annual wind capacity factor (JP areas average 1.0)


SITES: dict[str, Site] = {
    "Hokkaido": Site("Sapporo", 43.06, 141.35,
                     (-3.2, -2.7, 1.1, 7.3, 13.0, 17.0, 21.1, 22.3, 18.6, 12.1, 5.2, -0.9),
                     "north", None, 1.15),
    "Tohoku": Site("Sendai", 38.27, 140.87,
                   (2.0, 2.4, 5.5, 10.7, 15.6, 19.2, 22.9, 24.4, 21.2, 15.7, 9.8, 4.5),
                   "north", ("06-12", "07-28"), 1.10),
    "Tokyo": Site("Tokyo", 35.69, 139.69,
                  (5.4, 6.1, 9.4, 14.3, 18.8, 21.9, 25.7, 26.9, 23.3, 18.0, 12.5, 7.7),
                  "pacific", ("06-07", "07-19"), 0.90),
    "Chubu": Site("Nagoya", 35.18, 136.91,
                  (4.8, 5.5, 9.2, 14.6, 19.4, 23.0, 26.9, 28.2, 24.5, 18.6, 12.6, 7.2),
                  "pacific", ("06-06", "07-19"), 0.90),
    "Hokuriku": Site("Toyama", 36.70, 137.21,
                     (3.0, 3.3, 6.6, 12.0, 17.1, 21.0, 25.1, 26.9, 22.8, 17.1, 11.2, 5.8),
                     "sea_of_japan", ("06-11", "07-23"), 1.00),
    "Kansai": Site("Osaka", 34.69, 135.50,
                   (6.2, 6.6, 9.9, 15.2, 20.0, 23.6, 27.7, 29.0, 25.2, 19.5, 13.8, 8.7),
                   "pacific", ("06-06", "07-19"), 0.90),
    "Chugoku": Site("Hiroshima", 34.39, 132.46,
                    (5.4, 6.2, 9.4, 14.8, 19.6, 23.3, 27.3, 28.5, 24.9, 19.3, 13.3, 7.8),
                    "pacific", ("06-06", "07-19"), 0.95),
    "Shikoku": Site("Takamatsu", 34.34, 134.05,
                    (5.9, 6.3, 9.4, 14.7, 19.8, 23.3, 27.5, 28.6, 24.7, 19.0, 13.2, 8.1),
                    "pacific", ("06-05", "07-19"), 1.00),
    "Kyushu": Site("Fukuoka", 33.59, 130.40,
                   (6.9, 7.8, 10.8, 15.4, 19.9, 23.3, 27.4, 28.4, 24.7, 19.6, 14.2, 9.1),
                   "pacific", ("06-04", "07-19"), 1.10),
    "KR": Site("Seoul", 37.57, 126.98,
               (-2.0, 0.6, 6.3, 12.9, 18.2, 22.4, 25.3, 26.1, 21.6, 14.8, 7.2, 0.4),
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
RAINY_SEASON_DEPTH = 0.22


def rng(seed: int, *keys: str | int) -> np.random.Generator:
    """Random generator seeded by ``seed`` and stable keys (crc32 of strings, not ``hash``)."""
    words = [int(seed)] + [k if isinstance(k, int) else zlib.crc32(k.encode()) for k in keys]
    return np.random.default_rng(words)


def ar1(gen: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary AR(1) series with unit variance: ``x[t] = phi x[t-1] + sqrt(1-phi^2) e[t]``."""
    shocks = gen.standard_normal(n).tolist()
    scale = float(np.sqrt(1.0 - phi * phi))
    out = [0.0] * n
    x = shocks[0]
    out[0] = x
    for i in range(1, n):
        x = phi * x + scale * shocks[i]
        out[i] = x
    return np.asarray(out)


def annual_cycle(monthly: tuple[float, ...], doy: np.ndarray) -> np.ndarray:
    """Smooth periodic cycle through 12 monthly means: least-squares two-harmonic Fourier fit."""
    mid = (np.arange(12) + 0.5) * 365.25 / 12

    def basis(d: np.ndarray) -> np.ndarray:
        w = 2 * np.pi * np.asarray(d, dtype=float) / 365.25
        return np.column_stack(
            [np.ones_like(w), np.cos(w), np.sin(w), np.cos(2 * w), np.sin(2 * w)]
        )

    coef, *_ = np.linalg.lstsq(basis(mid), np.asarray(monthly), rcond=None)
    return basis(doy - 0.5) @ coef


def hour_index(year: int) -> pd.DatetimeIndex:
    """Hourly snapshots of one calendar year, naive local time (UTC+9), named ``snapshot``."""
    return pd.date_range(
        f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left", name="snapshot"
    )


def day_index(year: int) -> pd.DatetimeIndex:
    """Days of one calendar year."""
    return pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")


def daily_temperature(
    region: str, year: int, seed: int, event: tuple[float, float] | None = None
) -> np.ndarray:
    """Daily mean temperature (degC): smooth annual cycle + seeded AR(1) weather anomaly.

    The anomaly is AR(1) on the daily scale (lag-1 correlation 0.7, about 3 days' memory) with
    a standard deviation of 2.5 degC in mid-winter and 1.5 degC in mid-summer. ``event`` =
    (day of year, amplitude) adds a heat wave (amplitude > 0) or cold snap (< 0): a Gaussian
    bump of 1.2 days' standard deviation.
    """
    days = day_index(year)
    doy = np.asarray(days.dayofyear, dtype=float)
    site = SITES[region]
    clim = annual_cycle(site.temps, doy)
    sd = 2.0 + 0.5 * np.cos(2 * np.pi * (doy - 15) / 365.25)
    temp = clim + sd * ar1(rng(seed, "temperature", region), len(days), 0.7)
    if event is not None:
        centre, amplitude = event
        temp = temp + amplitude * np.exp(-0.5 * ((doy - centre) / 1.2) ** 2)
    return temp


def hourly_temperature(region: str, index: pd.DatetimeIndex, seed: int) -> np.ndarray:
    """Hourly air temperature: daily mean plus a 3.5 degC diurnal swing peaking at 14:00."""
    daily = daily_temperature(region, int(index[0].year), seed)
    hour = np.asarray(index.hour)
    return daily[np.asarray(index.dayofyear) - 1] + 3.5 * np.cos(2 * np.pi * (hour - 14) / 24)


def clear_sky_index(region: str, index: pd.DatetimeIndex, seed: int) -> np.ndarray:
    """Raw hourly clear-sky index in (0, 1), before calibration.

    Logistic of (climatology + persistent noise): the logit of the climatological index
    (``CLOUD_CLIMATE``, interpolated smoothly, minus a raised-cosine dip of
    ``RAINY_SEASON_DEPTH`` over the region's rainy season) plus a daily AR(1) anomaly
    (lag-1 correlation 0.5, sd 0.9) and an hourly AR(1) anomaly (lag-1 0.6, sd 0.35).
    """
    site = SITES[region]
    year = int(index[0].year)
    days = day_index(year)
    doy = np.asarray(days.dayofyear, dtype=float)
    clim = annual_cycle(CLOUD_CLIMATE[site.clouds], doy)
    if site.rainy_season is not None:
        start, end = (pd.Timestamp(f"{year}-{md}").dayofyear for md in site.rainy_season)
        phase = np.clip((doy - start) / (end - start), 0.0, 1.0)
        clim = clim - RAINY_SEASON_DEPTH * np.sin(np.pi * phase) ** 2
    gen = rng(seed, "clouds", region)
    logit = np.log(clim / (1 - clim)) + 0.9 * ar1(gen, len(days), 0.5)
    z = logit[np.asarray(index.dayofyear) - 1] + 0.35 * ar1(gen, len(index), 0.6)
    return 1.0 / (1.0 + np.exp(-z))


def wind_speed_shape(region: str, kind: str, index: pd.DatetimeIndex, seed: int) -> np.ndarray:
    """Dimensionless hourly wind speed (mean ~1), to be scaled by a calibrated Weibull scale.

    The two horizontal wind components are independent Ornstein–Uhlenbeck (hourly AR(1))
    processes with a 48 h time scale, so the speed is Rayleigh (Weibull shape 2) distributed
    and decorrelates over about a day. Seasonal cycle: winter monsoon strongest in mid-January
    (+/-20 % onshore, +/-25 % offshore); onshore has a +/-8 % diurnal swing peaking at 14:00.
    """
    gen = rng(seed, "wind", kind, region)
    phi = float(np.exp(-1.0 / 48.0))
    u, v = ar1(gen, len(index), phi), ar1(gen, len(index), phi)
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
    kind = np.where(days.dayofweek >= 5, WEEKEND, WEEKDAY)
    if country == "JP":
        factor = np.select([days.dayofweek == 5, days.dayofweek == 6], [0.92, 0.86], 1.0)
        special = {}
        for day in days:
            date = day.date()
            md = (date.month, date.day)
            if md >= (12, 29) or md <= (1, 3):
                special[date] = 0.80
            elif (8, 13) <= md <= (8, 16):
                special[date] = 0.90
            elif date in official:
                special[date] = 0.86
            elif (4, 29) <= md <= (5, 6) and day.dayofweek < 5:
                special[date] = (0.94, WEEKDAY)
    else:
        factor = np.select([days.dayofweek == 5, days.dayofweek == 6], [0.93, 0.88], 1.0)
        special = {}
        for date, name in official.items():
            for part in name.split(";"):
                deep = "Korean New Year" in part or "Chuseok" in part
                special[date] = min(special.get(date, 1.0), 0.74 if deep else 0.88)
    for date, value in special.items():
        i = (date - dt.date(year, 1, 1)).days
        level, daytype = value if isinstance(value, tuple) else (value, WEEKEND)
        factor[i] = min(factor[i], level)
        kind[i] = max(kind[i], daytype)
    return kind, factor
