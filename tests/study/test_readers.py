"""Tests of jkenergy.study.readers on small files written here in the publishers' formats.

Expected values are worked out by hand from the rows written (unit conversion, time shift,
averaging), never read back from the reader's output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jkenergy as jk
from jkenergy.errors import ComponentError, DataError
from jkenergy.study import profiles, readers

# --- Japanese TSO area CSVs ---------------------------------------------------------------


def _write(path, lines: list[str], encoding: str = "cp932"):
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _juyo(tmp_path, rows: list[tuple[str, str, str]], name="juyo-2023.csv", **kwargs):
    """TEPCO-style usage file: update stamp, header DATE,TIME,実績(万kW), one row per hour."""
    lines = ["2024/4/1 0:05 UPDATE", "DATE,TIME,実績(万kW),予測値(万kW),使用率(%)"]
    lines += [f"{d},{t},{v},3000,85" for d, t, v in rows]
    return _write(tmp_path / name, lines, **kwargs)


def _hours(start: str, n: int) -> list[tuple[str, str]]:
    stamps = pd.date_range(start, periods=n, freq="h")
    return [(f"{s.year}/{s.month}/{s.day}", f"{s.hour}:{s.minute:02d}") for s in stamps]


def test_tso_yearly_file_in_cp932_converts_man_kw_to_mw(tmp_path):
    rows = [(d, t, str(2700 + i)) for i, (d, t) in enumerate(_hours("2023-04-01", 48))]
    frame = profiles.read_tso_area_csv(_juyo(tmp_path, rows), "Tokyo")
    assert list(frame.columns) == ["Tokyo"]
    assert frame.index.name == "snapshot" and frame.index.tz is None
    assert frame.index[0] == pd.Timestamp("2023-04-01 00:00")
    assert frame.index[-1] == pd.Timestamp("2023-04-02 23:00")
    np.testing.assert_allclose(frame["Tokyo"], (2700 + np.arange(48)) * 10.0)  # 1 万kW = 10 MW


def test_tso_monthly_files_with_unit_line_in_any_order(tmp_path):
    """エリア需給実績 packaging: a title, a 単位[MWh] line, many columns; one file a month."""
    header = "DATE,TIME,エリア需要,水力,火力(LNG),太陽光発電実績,風力発電実績,連系線"
    march = ["エリア需給実績データ（1時間値）", "単位[MWh]", header]
    march += [f"{d},{t},{8000 + i},500,4000,0,100,-200" for i, (d, t) in
              enumerate(_hours("2024-03-31 20:00", 4))]  # fmt: skip
    april = ["エリア需給実績データ（1時間値）", "単位[MWh]", header]
    april += [f"{d},{t},{9000 + i},500,4000,0,100,-200" for i, (d, t) in
              enumerate(_hours("2024-04-01 00:00", 3))]  # fmt: skip
    files = [_write(tmp_path / "eria_jukyu_202404.csv", april),
             _write(tmp_path / "eria_jukyu_202403.csv", march)]  # fmt: skip
    frame = profiles.read_tso_area_csv(files, "Kyushu")
    expected = [8000, 8001, 8002, 8003, 9000, 9001, 9002]  # MWh per hour = MW
    assert frame["Kyushu"].tolist() == expected
    assert frame.index[4] == pd.Timestamp("2024-04-01 00:00")
    wind = profiles.read_tso_area_csv(files, "Kyushu", column="風力発電実績")
    assert wind["Kyushu"].tolist() == [100.0] * 7


def test_tso_half_hourly_energy_is_summed_to_hourly_mw(tmp_path):
    lines = ["単位：万kWh", "DATE,TIME,エリア需要"]
    lines += ["2024/5/1,0:00,60", "2024/5/1,0:30,64", "2024/5/1,1:00,70", "2024/5/1,1:30,72"]
    frame = profiles.read_tso_area_csv(_write(tmp_path / "half.csv", lines), "Chubu")
    # (60 + 64) 万kWh in the hour 00:00-01:00 = 1,240 MWh = 1,240 MW on average
    assert frame["Chubu"].tolist() == [1240.0, 1420.0]
    lines = ["DATE,TIME,実績(MW)", "2024/5/1,0:00,600", "2024/5/1,0:30,640"]
    power = profiles.read_tso_area_csv(_write(tmp_path / "p.csv", lines), "Chubu")
    assert power["Chubu"].tolist() == [620.0]  # power: the mean of the two half hours


def test_tso_hour_ending_24_00_moves_to_hour_beginning(tmp_path):
    rows = [("2023/1/1", f"{h}:00", str(h)) for h in range(1, 25)]
    rows += [("2023/1/2", "1:00", "25")]
    frame = profiles.read_tso_area_csv(_juyo(tmp_path, rows), "Kansai")
    assert frame.index[0] == pd.Timestamp("2023-01-01 00:00")  # 1:00 ends the hour 0-1
    assert frame.loc["2023-01-01 23:00", "Kansai"] == 240.0  # 24:00 ends the hour 23-24
    assert frame.loc["2023-01-02 00:00", "Kansai"] == 250.0
    both = [*rows, ("2023/1/2", "0:00", "1")]
    with pytest.raises(DataError, match="both 0:00 and 24:00"):
        profiles.read_tso_area_csv(_juyo(tmp_path, both, name="both.csv"), "Kansai")


def test_tso_gaps_are_refused_or_filled_and_reported(tmp_path):
    rows = [(d, t, "3000") for d, t in _hours("2023-07-01", 10)]
    del rows[4:6]  # 04:00 and 05:00 missing
    rows[1] = (rows[1][0], rows[1][1], "")  # an empty cell at 01:00
    path = _juyo(tmp_path, rows)
    with pytest.raises(DataError, match=r"missing 1 hour\(s\): 2023-07-01 01:00:00") as info:
        profiles.read_tso_area_csv(path, "Tokyo")
    assert str(path) in str(info.value)
    rows[1] = (rows[1][0], rows[1][1], "3100")
    path = _juyo(tmp_path, rows, name="gap.csv")
    with pytest.raises(DataError, match=r"missing 2 hour\(s\): 2023-07-01 04:00:00 to .*05:00"):
        profiles.read_tso_area_csv(path, "Tokyo", max_gap_hours=1)
    with pytest.warns(UserWarning, match="filled 2 missing hour"):
        frame = profiles.read_tso_area_csv(path, "Tokyo", max_gap_hours=2)
    assert len(frame) == 10
    assert frame.attrs["filled"] == [("2023-07-01 04:00:00", "2023-07-01 05:00:00")]
    np.testing.assert_allclose(frame["Tokyo"].iloc[3:7], 30000.0)  # between 30,000 and 30,000


def test_tso_bad_files_are_refused_clearly(tmp_path):
    rows = _hours("2023-01-01", 3)
    with pytest.raises(ComponentError, match="area must be one of"):
        profiles.read_tso_area_csv(_juyo(tmp_path, [(*r, "1") for r in rows]), "Okinawa")
    no_unit = _write(tmp_path / "u.csv", ["DATE,TIME,実績", *[f"{d},{t},5" for d, t in rows]])
    with pytest.raises(DataError, match="cannot tell the unit of column '実績'"):
        profiles.read_tso_area_csv(no_unit, "Tokyo")
    with pytest.raises(DataError, match="no header row starting DATE,TIME"):
        profiles.read_tso_area_csv(_write(tmp_path / "x.csv", ["a,b,c", "1,2,3"]), "Tokyo")
    text = _juyo(tmp_path, [(*r, "abc") for r in rows], name="t.csv")
    with pytest.raises(DataError, match=r"line 3 \(2023/1/1 0:00\): cannot read 'abc'"):
        profiles.read_tso_area_csv(text, "Tokyo")
    first = _juyo(tmp_path, [(*r, "1") for r in rows], name="a.csv")
    again = _juyo(tmp_path, [(*r, "1") for r in rows[1:]], name="b.csv")
    with pytest.raises(DataError, match="duplicate time 2023-01-01 01:00"):
        profiles.read_tso_area_csv([first, again], "Tokyo")
    with pytest.raises(DataError, match="no such file"):
        profiles.read_tso_area_csv(tmp_path / "missing.csv", "Tokyo")


def test_tso_utf8_file_and_a_second_section_after_a_blank_line(tmp_path):
    lines = ["DATE,TIME,実績(万kW)", "2023/8/1,0:00,4000", "2023/8/1,1:00,3900", ""]
    lines += ["DATE,TIME,5分間隔値(万kW)", "2023/8/1,0:00,1", "2023/8/1,0:05,2"]
    frame = profiles.read_tso_area_csv(_write(tmp_path / "u8.csv", lines, "utf-8-sig"), "Tokyo")
    assert frame["Tokyo"].tolist() == [40000.0, 39000.0]


def test_tso_full_year_selection(tmp_path):
    fy = _hours("2023-01-01", 8760 + 48)  # a year and two days
    path = _juyo(tmp_path, [(*r, "2000") for r in fy])
    frame = profiles.read_tso_area_csv(path, "Hokkaido", year=2023)
    assert len(frame) == 8760 and frame.index[-1] == pd.Timestamp("2023-12-31 23:00")
    with pytest.raises(DataError, match="year 2024 needs 2024-01-01 00:00:00 to 2024-12-31"):
        profiles.read_tso_area_csv(path, "Hokkaido", year=2024)


# --- KPX hourly national demand -------------------------------------------------------------
def _kpx(tmp_path, days: dict[str, list[str]], name="kpx.csv", encoding="cp949"):
    header = "날짜," + ",".join(f"{h}시" for h in range(1, 25)) + ",합계"
    lines = [header] + [f"{d}," + ",".join(v) + ",0" for d, v in days.items()]
    return _write(tmp_path / name, lines, encoding)


def test_kpx_hour_ending_columns_and_thousands_separators(tmp_path):
    day1 = [f'"{60 + h},{h:03d}"' for h in range(1, 25)]  # "61,001" ... "84,024" MW
    day2 = [str(50000 + h) for h in range(1, 25)]
    frame = profiles.read_kpx_hourly_csv(_kpx(tmp_path, {"2023-01-01": day1, "2023-01-02": day2}))
    assert list(frame.columns) == ["KR"] and len(frame) == 48
    assert frame.loc["2023-01-01 00:00", "KR"] == 61001.0  # 1시: the hour 00:00-01:00
    assert frame.loc["2023-01-01 23:00", "KR"] == 84024.0  # 24시: 23:00-24:00, same date
    assert frame.loc["2023-01-02 00:00", "KR"] == 50001.0


def test_kpx_refuses_gaps_missing_hours_and_daylight_saving_years(tmp_path):
    values = [str(60000 + h) for h in range(1, 25)]
    holed = values.copy()
    holed[4] = ""
    path = _kpx(tmp_path, {"2023-03-01": values, "2023-03-02": holed})
    with pytest.raises(DataError, match=r"missing 1 hour\(s\): 2023-03-02 04:00:00"):
        profiles.read_kpx_hourly_csv(path)
    with pytest.warns(UserWarning, match="filled 1 missing hour"):
        filled = profiles.read_kpx_hourly_csv(path, max_gap_hours=1)
    assert filled.loc["2023-03-02 04:00", "KR"] == pytest.approx((60004 + 60006) / 2)
    short = _write(tmp_path / "s.csv", ["날짜,1시,2시", "2023-01-01,1,2"], "cp949")
    with pytest.raises(DataError, match="expected columns 1시 … 24시"):
        profiles.read_kpx_hourly_csv(short)
    with pytest.raises(DataError, match="daylight saving time"):
        profiles.read_kpx_hourly_csv(_kpx(tmp_path, {"1988-06-01": values}, name="dst.csv"))
    skipped = _kpx(tmp_path, {"2023-03-01": values, "2023-03-03": values}, name="skip.csv")
    with pytest.raises(DataError, match=r"missing 24 hour\(s\): 2023-03-02 00:00:00 to"):
        profiles.read_kpx_hourly_csv(skipped)


# --- renewables.ninja-style capacity factors ---------------------------------------------
NINJA_HEADER = [
    "# Renewables.ninja Point API (version 1.4): https://www.renewables.ninja/",
    "# License: https://creativecommons.org/licenses/by-nc/4.0/",
    '# Units: time in UTC, other columns in kW per installed kW; {"params": {"lat": 33.6}}',
]


def test_capacity_factor_csv_utc_to_utc_plus_9(tmp_path):
    times = pd.date_range("2019-06-30 12:00", periods=24, freq="h")  # UTC
    lines = [*NINJA_HEADER, "time,local_time,electricity"]
    lines += [f"{t:%Y-%m-%d %H:%M},{t + pd.Timedelta(hours=9):%Y-%m-%d %H:%M},{i / 100}"
              for i, t in enumerate(times)]  # fmt: skip
    path = _write(tmp_path / "ninja_pv.csv", lines, "utf-8")
    frame = profiles.read_capacity_factor_csv(path, name="Kyushu")
    assert list(frame.columns) == ["Kyushu"]
    assert frame.index[0] == pd.Timestamp("2019-06-30 21:00")  # 12:00 UTC = 21:00 UTC+9
    np.testing.assert_allclose(frame["Kyushu"], np.arange(24) / 100)
    kw = [*NINJA_HEADER, "time,electricity", "2019-01-01 00:00,1500", "2019-01-01 01:00,3000"]
    scaled = profiles.read_capacity_factor_csv(
        _write(tmp_path / "kw.csv", kw, "utf-8"), capacity=3000.0
    )
    assert scaled["electricity"].tolist() == [0.5, 1.0]
    with pytest.raises(DataError, match=r"value 1500 above 1 at 2019-01-01 09:00.*capacity="):
        profiles.read_capacity_factor_csv(tmp_path / "kw.csv")


def test_capacity_factor_csv_year_needs_the_local_year(tmp_path):
    utc_year = pd.date_range("2019-01-01", "2019-12-31 23:00", freq="h")
    lines = [*NINJA_HEADER, "time,JP,KR"] + [f"{t:%Y-%m-%d %H:%M},0.2,0.3" for t in utc_year]
    path = _write(tmp_path / "national.csv", lines, "utf-8")
    with pytest.raises(DataError, match="covers 2019-01-01 09:00:00 to 2020-01-01 08:00:00"):
        profiles.read_capacity_factor_csv(path, column="KR", year=2019)
    longer = pd.date_range("2018-12-31", "2019-12-31 23:00", freq="h")
    lines = [*NINJA_HEADER, "time,JP,KR"] + [f"{t:%Y-%m-%d %H:%M},0.2,0.3" for t in longer]
    frame = profiles.read_capacity_factor_csv(
        _write(tmp_path / "n2.csv", lines, "utf-8"), column="KR", year=2019
    )
    assert len(frame) == 8760 and frame.index[0] == pd.Timestamp("2019-01-01 00:00")
    with pytest.raises(DataError, match="no column 'electricity'"):
        profiles.read_capacity_factor_csv(path)


# --- into the model ---------------------------------------------------------------------------
def test_read_frames_drive_the_japan_korea_loads(tmp_path):
    hours = 48
    values = [str(70000 + h) for h in range(1, 25)]
    kr = profiles.read_kpx_hourly_csv(_kpx(tmp_path, {"2023-01-01": values, "2023-01-02": values}))[
        "KR"
    ]
    n = jk.japan_korea(2030, snapshots=hours, **{"loads.KR_load.p": kr.to_numpy()})
    load = n.get_series("load", "p")["KR_load"]
    np.testing.assert_allclose(load.to_numpy(), [70000.0 + (h % 24) + 1 for h in range(hours)])
    assert readers.__all__ == sorted(readers.__all__)
