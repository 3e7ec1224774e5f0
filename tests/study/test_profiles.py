"""Tests of jkenergy.study.profiles: calibration against the data set, shapes, seeds, user files.

Targets are read from ``jkenergy.study.datasets.demand`` inside the tests, never copied from output.
"""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pandas as pd
import pytest

from jkenergy.errors import ComponentError, DataError
from jkenergy.study import datasets, profiles
from jkenergy.study import weather as _weather

WINTER = (12, 1, 2)
SUMMER = (6, 7, 8, 9)


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    return profiles.demand(2030, regions="national", seed=0)


@pytest.fixture(scope="module")
def areas() -> pd.DataFrame:
    return profiles.demand(2030, regions="areas", seed=0)


@pytest.fixture(scope="module")
def pv() -> pd.DataFrame:
    return profiles.solar(2030, regions="areas", seed=0)


def _season_max(series: pd.Series, months: tuple[int, ...]) -> float:
    return float(series[series.index.month.isin(months)].max())


def _hourly_mean(series: pd.Series, mask: np.ndarray) -> pd.Series:
    part = series[mask]
    return part.groupby(part.index.hour).mean()


def _working_days(index: pd.DatetimeIndex, country: str) -> np.ndarray:
    official = holidays.country_holidays(country, years=index[0].year)
    return (index.dayofweek < 5) & ~pd.Index(index.date).isin(list(official))


# --- demand: calibration ------------------------------------------------------------------
@pytest.mark.parametrize("level", ["national", "areas"])
def test_demand_matches_annual_energy_peak_and_peak_month(level, national, areas):
    frame = national if level == "national" else areas
    table = datasets.demand(regions=level)
    assert list(frame.columns) == list(table.index)
    for region, row in table.iterrows():
        mw = frame[region]
        assert mw.sum() / 1e6 == pytest.approx(row.annual_energy_twh, rel=1e-3), region
        assert mw.max() / 1e3 == pytest.approx(row.peak_gw, rel=1e-3), region
        assert mw.idxmax().month == row.peak_month, region
        assert mw.min() > 0


def test_peak_months_per_country(national):
    assert national["JP"].idxmax().month == 8  # Japan's national peak in August
    kr = national["KR"]
    assert kr.idxmax().month in SUMMER  # Korea peaks in summer ...
    row = datasets.demand("national").loc["KR"]
    winter_ratio = _season_max(kr, WINTER) / kr.max()  # ... with winter close behind
    assert winter_ratio == pytest.approx(row.winter_peak_gw / row.peak_gw, rel=1e-3)


def test_summer_winter_peak_ratio_matches_data_and_differs_by_country(national):
    table = datasets.demand("national")
    ratio = {}
    for country in ("JP", "KR"):
        mw = national[country]
        ratio[country] = _season_max(mw, SUMMER) / _season_max(mw, WINTER)
        row = table.loc[country]
        assert ratio[country] == pytest.approx(row.summer_peak_gw / row.winter_peak_gw, rel=1e-3)
    assert abs(ratio["JP"] - ratio["KR"]) > 0.02


def test_northern_areas_peak_in_winter(areas):
    table = datasets.demand("areas")
    for region in ("Hokkaido", "Tohoku"):
        assert areas[region].idxmax().month in WINTER
        summer_over_winter = _season_max(areas[region], SUMMER) / areas[region].max()
        row = table.loc[region]
        assert summer_over_winter == pytest.approx(row.summer_peak_gw / row.peak_gw, rel=1e-3)


def test_national_japan_is_consistent_with_the_areas(national, areas):
    jp_areas = datasets.demand("areas").query("country == 'JP'").index
    total = areas[jp_areas].sum(axis=1)
    assert np.corrcoef(total, national["JP"])[0, 1] > 0.99
    assert total.idxmax().month == national["JP"].idxmax().month


# --- demand: daily and weekly shapes ------------------------------------------------------
@pytest.mark.parametrize("region", ["JP", "Tokyo"])
def test_japan_weekday_lunch_dip_absent_on_weekends(region, national, areas):
    mw = national[region] if region == "JP" else areas[region]
    idx = mw.index
    weekday = _hourly_mean(mw, _working_days(idx, "JP"))
    weekend = _hourly_mean(mw, idx.dayofweek >= 5)
    assert weekday[12] < 0.98 * (weekday[11] + weekday[13]) / 2
    assert weekend[12] >= 0.995 * (weekend[11] + weekend[13]) / 2


def test_daily_peak_hours(national, areas):
    idx = areas.index
    summer_jp = _working_days(idx, "JP") & idx.month.isin((7, 8))
    assert _hourly_mean(areas["Tokyo"], summer_jp).idxmax() == 16  # 16:00-17:00
    kr = national["KR"]
    working_kr = _working_days(idx, "KR")
    assert _hourly_mean(kr, working_kr & idx.month.isin((7, 8))).idxmax() == 17
    winter = _hourly_mean(kr, working_kr & idx.month.isin(WINTER))
    assert winter.loc[5:11].idxmax() in (8, 9)  # morning peak 08-09
    assert winter.loc[13:20].idxmax() in (16, 17)  # afternoon peak 16-17
    assert winter[12] < min(winter[8], winter[16])


def test_weekends_lower_than_weekdays(national):
    daily = national.resample("D").sum()
    weekend = daily.index.dayofweek >= 5
    assert (daily[weekend].mean() < 0.95 * daily[~weekend].mean()).all()


@pytest.mark.parametrize(
    ("country", "holiday", "name"),
    [
        ("JP", "2030-05-06", "Golden Week (substitute holiday)"),
        ("JP", "2030-05-03", "Constitution Day"),
        ("KR", "2030-09-12", "Chuseok"),
        ("KR", "2030-02-04", "Seollal"),
    ],
)
def test_holiday_lower_than_same_weekday_a_week_later(country, holiday, name):
    """The calendar's effect, in the mean over four weather years: weather co-moves over a
    whole country, so one cold holiday or one warm working day can move a single pair of
    days by several per cent."""
    day = pd.Timestamp(holiday)
    assert day.date() in holidays.country_holidays(country, years=2030), name
    later = day + pd.Timedelta(days=7)
    assert later.date() not in holidays.country_holidays(country, years=2030)
    ratios = []
    for seed in range(4):
        daily = profiles.demand(2030, "national", seed=seed)[country].resample("D").mean()
        ratios.append(daily[day] / daily[later])
    assert np.mean(ratios) < 0.9, name


def test_obon_and_new_year_lower_than_working_weekdays(national):
    daily = national["JP"].resample("D").mean()
    working = daily[_working_days(daily.index, "JP")]
    january = working[working.index.month == 1]
    assert daily["2030-01-02"] < 0.9 * january.mean()  # New Year break, a Wednesday
    obon = daily["2030-08-13":"2030-08-16"].mean()
    august = working[(working.index.month == 8) & ~working.index.day.isin(range(13, 17))]
    assert obon < august.mean()


# --- all profiles: calendar, seeds, arguments ---------------------------------------------
@pytest.mark.parametrize(("year", "hours"), [(2030, 8760), (2032, 8784)])
def test_full_year_of_naive_hourly_snapshots(year, hours):
    frames = [
        profiles.demand(year, "national"),
        profiles.solar(year, "national"),
        profiles.wind(year, "national", kind="offshore"),
    ]
    for frame in frames:
        assert len(frame) == hours
        assert frame.index.name == "snapshot"
        assert frame.index.tz is None
        assert frame.index[0] == pd.Timestamp(f"{year}-01-01 00:00")
        assert (np.diff(frame.index.asi8) == np.diff(frame.index.asi8)[0]).all()
    table = datasets.demand("national")
    for region, row in table.iterrows():
        assert frames[0][region].sum() / 1e6 == pytest.approx(row.annual_energy_twh, rel=1e-3)


@pytest.mark.parametrize(
    "make",
    [
        lambda seed: profiles.demand(2030, "areas", seed=seed),
        lambda seed: profiles.solar(2030, "national", seed=seed),
        lambda seed: profiles.wind(2030, "areas", kind="onshore", seed=seed),
    ],
    ids=["demand", "solar", "wind"],
)
def test_same_seed_same_frame_other_seed_other_frame(make):
    first = make(3)
    profiles._demand_all.cache_clear()
    profiles._solar_all.cache_clear()
    pd.testing.assert_frame_equal(first, make(3))
    other = make(4)
    assert not np.allclose(first.to_numpy(), other.to_numpy())


def test_bad_arguments_raise():
    with pytest.raises(ComponentError, match="regions"):
        profiles.demand(2030, regions="prefectures")
    with pytest.raises(ComponentError, match="kind"):
        profiles.wind(2030, kind="airborne")
    with pytest.raises(ComponentError, match="seed"):
        profiles.solar(2030, seed=-1)


# --- solar --------------------------------------------------------------------------------
def test_solar_capacity_factors(pv):
    national = profiles.solar(2030, "national")
    assert 0.13 <= national["JP"].mean() <= 0.15
    assert 0.13 <= national["KR"].mean() <= 0.16  # Korea: stated 14.5 % target
    assert ((pv >= 0) & (pv <= 1)).all().all()
    assert pv.mean().between(0.11, 0.17).all()  # areas: cloudier north, sunnier south
    jp_areas = datasets.demand("areas").query("country == 'JP'").index
    np.testing.assert_allclose(national["JP"], pv[jp_areas].mean(axis=1))


def test_solar_zero_at_night_and_peaks_around_noon(pv):
    assert (pv[pv.index.hour < 4] == 0).all().all()
    assert (pv[pv.index.hour >= 20] == 0).all().all()
    for region in pv:
        assert pv[region].groupby(pv.index.hour).mean().idxmax() in (11, 12)


def test_rainy_season_cloudier_than_may(pv):
    national = profiles.solar(2030, "national")
    month = national.index.month
    for country in ("JP", "KR"):
        may = national[country][month == 5].mean()
        rainy = national[country][month.isin((6, 7))].mean()
        assert rainy < 0.9 * may, country
    idx = pv.index
    day = (idx.hour >= 9) & (idx.hour <= 15)
    for region in ("Tokyo", "Kyushu", "KR"):
        kc = pd.Series(_weather.clear_sky_index(region, idx, 0), index=idx)[day]
        assert kc[kc.index.month.isin((6, 7))].mean() < kc[kc.index.month == 5].mean() - 0.05


# --- wind ---------------------------------------------------------------------------------
PUBLISHED_WIND_CF = {
    ("JP", "onshore"): 0.208,  # national fleet 2020, IEA Wind TCP (IEAWIND-JP2020)
    ("JP", "offshore"): 0.33,  # stated assumption A-W5 (no measured Japanese figure)
    ("KR", "onshore"): 0.189,  # 5 state gencos, 5-yr average (ETNEWS2019)
    ("KR", "offshore"): 0.217,  # Southwest demonstration farm, 2020 (JOONGANG2021-KEPCO)
}
"""The annual wind capacity factors of SOURCES.md ("Synthetic weather"), typed from there."""


@pytest.mark.parametrize("seed", [0, 5])
@pytest.mark.parametrize("kind", ["onshore", "offshore"])
def test_wind_capacity_factors_match_the_published_values(kind, seed):
    """Korea's column and Japan's national column (the mean of nine areas whose regional
    factors 1.15, 1.10, 0.90, 0.90, 1.00, 0.90, 0.95, 1.00, 1.10 sum to 9.0, so average 1)
    have the published annual capacity factor, for every weather year."""
    cf = profiles.wind(2030, "national", kind=kind, seed=seed)
    for country in ("JP", "KR"):
        published = PUBLISHED_WIND_CF[(country, kind)]
        assert cf[country].mean() == pytest.approx(published, rel=1e-6), country
    areas = profiles.wind(2030, "areas", kind=kind, seed=seed)
    assert areas["Hokkaido"].mean() == pytest.approx(1.15 * PUBLISHED_WIND_CF[("JP", kind)])


@pytest.mark.parametrize("kind", ["onshore", "offshore"])
def test_wind_persistence_and_season(kind):
    cf = profiles.wind(2030, "national", kind=kind)
    assert ((cf >= 0) & (cf <= 1)).all().all()
    winter = cf.index.month.isin(WINTER)
    summer = cf.index.month.isin((6, 7, 8))
    for country in cf:
        assert cf[country].autocorr(1) > 0.9
        assert cf[country].autocorr(24) > 0.3
        assert cf[country][winter].mean() > cf[country][summer].mean()


def test_wind_of_distant_regions_weakly_correlated_and_reproducible():
    areas = profiles.wind(2030, "areas", kind="onshore", seed=0)
    assert abs(areas["Tokyo"].corr(areas["KR"])) < 0.5
    again = profiles.wind(2030, "national", kind="onshore", seed=0)
    pd.testing.assert_series_equal(areas["KR"], again["KR"])


# --- weather that co-moves across regions -------------------------------------------------
PAIRS = [("Kyushu", "KR"), ("Chugoku", "Kyushu"), ("Tokyo", "Tohoku"), ("Hokkaido", "Kyushu")]
"""Across the strait (540 km), neighbours (210 and 305 km), the length of Japan (1,419 km)."""


def _great_circle_km(a: str, b: str) -> float:
    """Distance between two load centres of regions.csv (spherical law of cosines)."""
    where = datasets.regions()
    lat1, lon1, lat2, lon2 = np.radians(
        [*where.loc[a, ["lat", "lon"]], *where.loc[b, ["lat", "lon"]]]
    )
    cos = np.sin(lat1) * np.sin(lat2) + np.cos(lat1) * np.cos(lat2) * np.cos(lon2 - lon1)
    return float(6371.0 * np.arccos(np.clip(cos, -1, 1)))


def _kernel(field: str, a: str, b: str) -> float:
    """The correlation the field's parameters prescribe: (1 - local) exp(-d / L)."""
    spec = _weather.FIELDS[field]
    return (1 - spec.local) * np.exp(-_great_circle_km(a, b) / spec.length_km)


def test_distances_between_load_centres():
    assert _great_circle_km("Kyushu", "KR") == pytest.approx(540, abs=5)  # Fukuoka-Seoul
    assert _great_circle_km("Chugoku", "Kyushu") == pytest.approx(210, abs=5)
    names = list(_weather.SITES)
    d = _weather.distances_km()
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            assert d[i, j] == pytest.approx(_great_circle_km(a, b) if i != j else 0.0, abs=1e-6)


@pytest.mark.parametrize(
    ("field", "steps"),
    [("temperature", 100_000), ("clouds", 100_000), ("wind_u", 400_000), ("clouds_hourly", 50_000)],
)
def test_weather_field_has_the_kernel_correlation_and_persistence(field, steps):
    """A long draw of the field: cross-correlations exp(-d / L) scaled by the shared share,
    lag-1 autocorrelation phi, unit variance (tolerances a few standard errors)."""
    x = _weather.anomaly(field, steps, 11)
    spec = _weather.FIELDS[field]
    names = list(_weather.SITES)
    sample = np.corrcoef(x.T)
    tol = 0.03 if spec.phi < 0.9 else 0.08
    for i, a in enumerate(names):
        assert x[:, i].std() == pytest.approx(1.0, abs=tol)
        assert np.corrcoef(x[1:, i], x[:-1, i])[0, 1] == pytest.approx(spec.phi, abs=0.02)
        for j in range(i + 1, len(names)):
            expected = _kernel(field, a, names[j]) if spec.length_km > 0 else 0.0
            assert sample[i, j] == pytest.approx(expected, abs=tol), (a, names[j])


@pytest.mark.parametrize("phi", [0.45, 0.7, float(np.exp(-1 / 72))])
def test_blocked_recursion_is_the_ar1_loop(phi):
    shocks = np.random.default_rng(5).standard_normal((3000, 2))
    expected, x = np.empty_like(shocks), np.zeros(2)
    for t, e in enumerate(shocks):  # x[t] = phi x[t-1] + e[t], x[-1] = 0
        x = phi * x + e
        expected[t] = x
    np.testing.assert_allclose(_weather._recursion(shocks, phi), expected, rtol=1e-12, atol=1e-12)


def _anomaly(daily: pd.DataFrame) -> pd.DataFrame:
    """Daily values relative to their centred 31-day mean: the seasonal cycle taken out."""
    return daily - daily.rolling(31, center=True, min_periods=1).mean()


@pytest.fixture(scope="module")
def daily_weather() -> dict[str, pd.DataFrame]:
    """Daily means of the bundled profiles (2030, areas, seed 0) and of their weather."""
    wind = profiles.wind(2030, "areas", kind="onshore", seed=0).resample("D").mean()
    idx = wind.index
    hours = _weather.hour_index(2030)
    kc = pd.DataFrame({r: _weather.clear_sky_index(r, hours, 0) for r in _weather.SITES}, hours)
    kc = kc[(hours.hour >= 9) & (hours.hour <= 15)].resample("D").mean()
    temp = pd.DataFrame({r: _weather.daily_temperature(r, 2030, 0) for r in _weather.SITES}, idx)
    demand = profiles.demand(2030, "areas", seed=0).resample("D").mean()
    working = (_weather.calendar("JP", 2030)[1] == 1) & (_weather.calendar("KR", 2030)[1] == 1)
    ratio = demand / demand.rolling(31, center=True, min_periods=1).mean()
    return {
        "wind": wind,
        "kc": kc,
        "temperature": _anomaly(temp),
        "demand": ratio[working],  # working days of both countries: no holiday in it
    }


def _corr(frame: pd.DataFrame, a: str, b: str) -> float:
    return float(frame[a].corr(frame[b]))


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_daily_weather_correlates_as_the_kernel(daily_weather, a, b):
    """Seed 0's year against the kernels (one year: sampling error about +/-0.1).

    Wind: a Rayleigh speed from components correlated rho has its square correlated rho^2,
    and power follows the speed; irradiance: the daily clear-sky index follows the daily
    cloudiness field; temperature: its anomaly is the field.
    """
    rho_wind = _kernel("wind_u", a, b)
    assert _corr(daily_weather["wind"], a, b) == pytest.approx(rho_wind**2, abs=0.15)
    assert _corr(daily_weather["kc"], a, b) == pytest.approx(_kernel("clouds", a, b), abs=0.15)
    rho_t = _kernel("temperature", a, b)
    assert _corr(daily_weather["temperature"], a, b) == pytest.approx(rho_t, abs=0.15)
    assert _corr(daily_weather["demand"], a, b) >= rho_t - 0.2  # heating and cooling follow it


def test_daily_correlations_strong_nearby_and_falling_with_distance(daily_weather):
    for name, frame in daily_weather.items():
        kyushu_kr = _corr(frame, "Kyushu", "KR")
        neighbours = _corr(frame, "Chugoku", "Kyushu")
        far = _corr(frame, "Hokkaido", "Kyushu")
        assert kyushu_kr > 0.3, name  # across the strait
        assert neighbours > 0.55 and _corr(frame, "Tokyo", "Tohoku") > 0.45, name
        assert neighbours > kyushu_kr > far, name
        assert far < neighbours - 0.3, name  # Hokkaido-Kyushu well below Chugoku-Kyushu


def test_heat_wave_and_cold_snap_on_the_same_days_in_both_countries():
    hot, cold = _weather.event_day(2030, 8, 0), _weather.event_day(2030, 1, 0)  # day of year
    events = ((hot, 1), (cold, -1))
    for region in _weather.SITES:  # the extremes on both sides: the event's centre or next to it
        temp = _weather.daily_temperature(region, 2030, 0, events)
        assert abs(np.argmax(temp) + 1 - hot) <= 1 and abs(np.argmin(temp) + 1 - cold) <= 1
    demand = profiles.demand(2030, "national", seed=0)
    for month, centre in ((8, hot), (1, cold)):
        peaks = [demand[c][demand.index.month == month].idxmax().dayofyear for c in ("JP", "KR")]
        assert all(abs(p - centre) <= 1 for p in peaks), (month, peaks, centre)


def test_every_weather_year_is_calibrated():
    seed = 7
    table = datasets.demand("national")
    frame = profiles.demand(2030, "national", seed=seed)
    for region, row in table.iterrows():
        assert frame[region].sum() / 1e6 == pytest.approx(row.annual_energy_twh, rel=1e-3)
        assert frame[region].max() / 1e3 == pytest.approx(row.peak_gw, rel=1e-3)
        assert frame[region].idxmax().month == row.peak_month
    solar = profiles.solar(2030, "national", seed=seed)
    wind = profiles.wind(2030, "national", kind="offshore", seed=seed)
    for country in ("JP", "KR"):
        assert solar[country].mean() == pytest.approx(profiles.SOLAR_CF[country], abs=1e-3)
    assert wind["KR"].mean() == pytest.approx(profiles.WIND_CF[("KR", "offshore")], abs=1e-3)


# --- load_profile ---------------------------------------------------------------------------
@pytest.fixture
def good() -> pd.DataFrame:
    idx = pd.date_range("2030-01-01", periods=8760, freq="h")
    return pd.DataFrame(
        {"time": idx.strftime("%Y-%m-%d %H:%M"), "Tokyo": np.linspace(0.1, 0.9, len(idx))}
    )


def _write(tmp_path, name: str, frame: pd.DataFrame):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_load_profile_round_trip(tmp_path):
    demand = profiles.demand(2030, "national")
    path = tmp_path / "demand.csv"
    demand.to_csv(path)
    loaded = profiles.load_profile(path, snapshots=2030)
    pd.testing.assert_frame_equal(loaded, demand, check_freq=False)
    only_kr = profiles.load_profile(path, snapshots=demand.index, columns=["KR"])
    assert list(only_kr.columns) == ["KR"]


def test_load_profile_converts_time_zones_to_utc_plus_9(tmp_path, good):
    local = pd.date_range("2030-01-01", periods=8760, freq="h")
    utc = local.tz_localize("Asia/Tokyo").tz_convert("UTC")
    frame = good.assign(time=utc.strftime("%Y-%m-%dT%H:%M:%SZ"))  # 2029-12-31T15:00Z first
    loaded = profiles.load_profile(_write(tmp_path, "utc.csv", frame), kind="capacity_factor")
    assert loaded.index[0] == pd.Timestamp("2030-01-01 00:00")
    assert loaded.index.tz is None
    seoul = good.assign(time=local.tz_localize("Asia/Seoul").strftime("%Y-%m-%dT%H:%M%z"))
    assert len(profiles.load_profile(_write(tmp_path, "kst.csv", seoul))) == 8760


def _drop_row(frame, i):
    return frame.drop(index=i)


def _duplicate(frame, i):
    out = frame.copy()
    out.loc[i, "time"] = out.loc[i - 1, "time"]
    return out


def _set_value(i, value):
    def edit(frame, _):
        out = frame.copy()
        out["Tokyo"] = out["Tokyo"].astype(object)
        out.loc[i, "Tokyo"] = value
        return out

    return edit


@pytest.mark.parametrize(
    ("edit", "kwargs", "message"),
    [
        (lambda f, _: f.iloc[:-1], {}, r"column 'time': has 8759 hourly rows .*expected a full"),
        (_drop_row, {}, r"'time': missing hour\(s\) after 2030-01-05 03:00.*row 101 \(2030-01-05"),
        (_duplicate, {}, r"column 'time': duplicate timestamp at row 101 \(2030-01-05 03:00:00"),
        (lambda f, _: f.iloc[::-1], {}, r"column 'time': timestamps out of order at row 2"),
        (_set_value(300, np.nan), {}, r"column 'Tokyo': missing value \(NaN\) at row 301 \(2030"),
        (_set_value(301, -2.5), {}, r"column 'Tokyo': negative value \(-2.5\) at row 302"),
        (_set_value(302, 1.5), {"kind": "capacity_factor"}, r"'Tokyo': value above 1 \(1.5\)"),
        (_set_value(5, "high"), {}, r"column 'Tokyo': non-numeric value \('high'\) at row 6"),
        (lambda f, _: f, {"snapshots": 2031}, r"expected a full year: 8760 rows from 2031-01-01"),
        (lambda f, _: f, {"columns": ["Osaka"]}, r"no column 'Osaka'"),
    ],
    ids=[
        "short", "gap", "duplicate", "order", "nan", "negative", "above-one", "text",
        "wrong-year", "unknown-column",
    ],
)  # fmt: skip
def test_load_profile_rejects_bad_files(tmp_path, good, edit, kwargs, message):
    path = _write(tmp_path, "bad.csv", edit(good, 100))
    with pytest.raises(DataError, match=message) as info:
        profiles.load_profile(path, **kwargs)
    assert str(path) in str(info.value)


def test_load_profile_rejects_unreadable_timestamps_and_files(tmp_path, good):
    broken = good.copy()
    broken.loc[7, "time"] = "yesterday"
    with pytest.raises(DataError, match=r"column 'time': cannot read 'yesterday' at row 8"):
        profiles.load_profile(_write(tmp_path, "when.csv", broken))
    with pytest.raises(DataError, match="no such file"):
        profiles.load_profile(tmp_path / "missing.csv")
    (tmp_path / "profile.xlsx").write_text("")
    with pytest.raises(DataError, match="unsupported file type"):
        profiles.load_profile(tmp_path / "profile.xlsx")
    half_hourly = pd.DataFrame(
        {"snapshot": pd.date_range("2030-01-01", periods=48, freq="30min"), "x": 1.0}
    )
    with pytest.raises(DataError, match="column 'snapshot': step shorter than an hour"):
        profiles.load_profile(_write(tmp_path, "half.csv", half_hourly))


def test_load_profile_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    demand = profiles.demand(2030, "national")
    path = tmp_path / "demand.parquet"
    demand.to_parquet(path)
    pd.testing.assert_frame_equal(profiles.load_profile(path), demand, check_freq=False)


def test_holiday_calendar_dates():
    kind, factor = _weather.calendar("JP", 2030)
    first = dt.date(2030, 1, 1)
    for day in ("2030-08-14", "2030-12-30", "2030-01-03"):  # Obon, New Year: not official
        i = (pd.Timestamp(day).date() - first).days
        assert kind[i] == _weather.WEEKEND and factor[i] < 1
