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
def test_holiday_lower_than_same_weekday_a_week_later(country, holiday, name, national):
    day = pd.Timestamp(holiday)
    assert day.date() in holidays.country_holidays(country, years=2030), name
    later = day + pd.Timedelta(days=7)
    assert later.date() not in holidays.country_holidays(country, years=2030)
    daily = national[country].resample("D").mean()
    assert daily[day] < 0.9 * daily[later], name


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
@pytest.mark.parametrize(
    ("kind", "jp_range", "kr_range"),
    [("onshore", (0.18, 0.23), (0.18, 0.26)), ("offshore", (0.28, 0.38), (0.25, 0.35))],
)
def test_wind_capacity_factors_persistence_and_season(kind, jp_range, kr_range):
    cf = profiles.wind(2030, "national", kind=kind)
    assert jp_range[0] <= cf["JP"].mean() <= jp_range[1]
    assert kr_range[0] <= cf["KR"].mean() <= kr_range[1]
    assert ((cf >= 0) & (cf <= 1)).all().all()
    winter = cf.index.month.isin(WINTER)
    summer = cf.index.month.isin((6, 7, 8))
    for country in cf:
        assert cf[country].autocorr(1) > 0.9
        assert cf[country].autocorr(24) > 0.3
        assert cf[country][winter].mean() > cf[country][summer].mean()


def test_wind_columns_independent_but_reproducible():
    areas = profiles.wind(2030, "areas", kind="onshore", seed=0)
    assert abs(areas["Tokyo"].corr(areas["KR"])) < 0.5
    again = profiles.wind(2030, "national", kind="onshore", seed=0)
    pd.testing.assert_series_equal(areas["KR"], again["KR"])


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
