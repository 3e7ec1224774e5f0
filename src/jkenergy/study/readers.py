"""Readers for measured hourly data that users download themselves.

The published hourly files cannot be bundled (TEPCO's terms forbid redistribution; KPX's
file is not marked redistributable; renewables.ninja is CC BY-NC), but a user may download
them and read them here, in their native formats:

- :func:`read_tso_area_csv`: a Japanese transmission operator's area demand / supply CSV
  (エリア需給実績, でんき予報 使用実績): Shift-JIS (CP932) or UTF-8, preamble lines, a
  ``DATE,TIME,...`` header with the unit in the column name (``実績(万kW)``) or on a
  ``単位`` line, hourly or half-hourly; one yearly file or several monthly files.
- :func:`read_kpx_hourly_csv`: KPX's hourly national demand (``날짜,1시,...,24시``: one row
  per day, hour-ending columns; CP949 or UTF-8).
- :func:`read_capacity_factor_csv`: a renewables.ninja-style capacity-factor CSV (``#``
  comment lines, ``time,electricity`` columns, times in UTC).

Each returns a float :class:`pandas.DataFrame` on a naive hourly ``DatetimeIndex`` named
``snapshot`` in local time (UTC+9, hour-beginning: ``12:00`` is 12:00–13:00), the form
:func:`jkenergy.study.profiles.load_profile` returns and the Japan–Korea builder's
``"loads.<node>_load.p"`` / ``"generators.<node>_<carrier>.p_max_pu"`` overrides take.
Units are converted to MW (demand) or per-unit (capacity factors).

Time conventions: an hour-ending file (``24:00``, ``24시``) is moved to hour-beginning;
sub-hourly values are averaged (power) or summed (energy per interval) to hours; times in
UTC are converted to UTC+9. Japan and Korea keep no daylight saving time (Korea last did in
1987–1988: such years are refused), so local clock hours are unambiguous. Gaps (missing
rows or empty cells) are refused with the file, row and time, unless ``max_gap_hours``
allows short ones, which are then filled by linear interpolation, reported in a warning
and listed in ``frame.attrs["filled"]``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ComponentError, DataError
from . import datasets

__all__ = ["read_capacity_factor_csv", "read_kpx_hourly_csv", "read_tso_area_csv"]

PathLike = str | os.PathLike
#: Conversion to MW (power) or MWh (energy per interval) of the units the files use.
_UNITS: dict[str, tuple[float, bool]] = {  # unit -> (factor to MW or MWh, is energy)
    "万kw": (10.0, False),
    "百万kw": (1000.0, False),
    "kw": (1e-3, False),
    "mw": (1.0, False),
    "gw": (1e3, False),
    "万kwh": (10.0, True),
    "百万kwh": (1000.0, True),
    "kwh": (1e-3, True),
    "mwh": (1.0, True),
    "gwh": (1e3, True),
}
_UNIT_IN_NAME = re.compile(r"[\(\[（［]\s*([^\)\]）］]+?)\s*[\)\]）］]")
_UNIT_LINE = re.compile(r"単位\s*[:：]?\s*[\(\[（［]?\s*([^\)\]）］,\s]+)")
_MISSING = {"", "-", "－", "―", "ー", "—", "nan", "NaN", "null", "NULL", "*"}
_DATE_NAMES = {"date", "日付", "年月日", "日時", "날짜", "일자", "기준일자", "일시"}
_TIME_NAMES = {"time", "時刻", "時間", "時刻帯", "시간"}
#: Korea observed daylight saving time in these years (May–October).
_KOREA_DST_YEARS = (1987, 1988)


# --- shared helpers --------------------------------------------------------------------
def _paths(path: PathLike | Iterable[PathLike]) -> list[Path]:
    if isinstance(path, str | os.PathLike):
        items = [Path(path)]
    else:
        items = [Path(p) for p in path]
    if not items:
        raise ComponentError("readers: no file given")
    for p in items:
        if p.is_dir():
            raise DataError(
                f"{p}: is a folder; pass the file(s) (e.g. sorted(folder.glob('*.csv')))"
            )
        if not p.is_file():
            raise DataError(f"{p}: no such file")
    return items


def _decode(path: Path, encoding: str | None, fallbacks: tuple[str, ...]) -> str:
    raw = path.read_bytes()
    tried = [encoding] if encoding else ["utf-8-sig", *fallbacks]
    for name in tried:
        try:
            return raw.decode(name)
        except UnicodeDecodeError:
            continue
        except LookupError as exc:
            raise ComponentError(f"{path}: unknown encoding {name!r}") from exc
    raise DataError(f"{path}: cannot decode the file as {' or '.join(tried)}")


def _rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def _number(cell: str, where: str) -> float:
    if cell in _MISSING:
        return np.nan
    try:
        return float(cell.replace(",", "").replace("，", ""))
    except ValueError:
        raise DataError(f"{where}: cannot read {cell!r} as a number") from None


def _parse_date(cell: str) -> pd.Timestamp | None:
    text = cell.strip().replace(".", "/").replace("-", "/")
    for pattern in ("%Y/%m/%d", "%Y%m%d"):
        try:
            return pd.Timestamp(pd.to_datetime(text, format=pattern))
        except (ValueError, TypeError):
            continue
    match = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", cell.strip())
    if match:
        return pd.Timestamp(*map(int, match.groups()))
    return None


def _parse_clock(cell: str) -> int | None:
    """Minutes after midnight of ``H:MM`` (or ``H:MM:SS``, ``H時``); 24:00 gives 1440."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?|(\d{1,2})\s*時", cell.strip())
    if not match:
        return None
    if match.group(3) is not None:
        return int(match.group(3)) * 60
    minutes = int(match.group(1)) * 60 + int(match.group(2))
    return minutes if minutes <= 1440 and int(match.group(2)) < 60 else None


def _to_hourly(
    stamps: pd.DatetimeIndex, values: np.ndarray, energy: bool, where: str, ending: bool
) -> pd.Series:
    """Hour-beginning hourly series from interval stamps (start, or end if ``ending``)."""
    series = pd.Series(values, index=stamps)
    dup = series.index.duplicated()
    if dup.any():
        raise DataError(f"{where}: duplicate time {series.index[dup][0]}")
    series = series.sort_index()
    steps = np.asarray((series.index[1:] - series.index[:-1]) / pd.Timedelta(minutes=1))
    step = int(steps.min()) if len(steps) else 60
    if step not in (60, 30, 15, 10, 5) or 60 % step:
        raise DataError(f"{where}: time step of {step} min; expected hourly or a divisor of 60 min")
    if ending:
        series.index = series.index - pd.Timedelta(minutes=step)
    if step == 60:
        return series
    per_hour = 60 // step
    hours = series.index.floor("h")
    grouped = series.groupby(hours)
    complete = grouped.count() == per_hour  # an hour with a missing interval is a gap
    hourly = grouped.sum() if energy else grouped.mean()
    return hourly.where(complete)


def _finish(
    series: pd.Series,
    name: str,
    where: str,
    year: int | None,
    max_gap_hours: int,
    upper: float | None = None,
) -> pd.DataFrame:
    """Check and complete an hourly series: coverage, gaps, signs; one column ``name``."""
    if not isinstance(max_gap_hours, int | np.integer) or max_gap_hours < 0:
        raise ComponentError(f"max_gap_hours must be a non-negative integer, got {max_gap_hours!r}")
    series = series.sort_index()
    if year is not None:
        if not isinstance(year, int | np.integer):
            raise ComponentError(f"year must be an integer, got {year!r}")
        full = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left")
        inside = series[(series.index >= full[0]) & (series.index <= full[-1])]
        if inside.empty or inside.index[0] > full[0] or inside.index[-1] < full[-1]:
            have = f"{series.index[0]} to {series.index[-1]}" if len(series) else "nothing"
            raise DataError(
                f"{where}: covers {have}; year {year} needs {full[0]} to {full[-1]} "
                "(local time, UTC+9)"
            )
        series = inside
    else:
        full = pd.date_range(series.index[0], series.index[-1], freq="h")
    series = series.reindex(full)
    missing = series.isna().to_numpy()
    filled: list[tuple[str, str]] = []
    if missing.any():
        edges = np.flatnonzero(np.diff(np.r_[0, missing.astype(int), 0]))
        runs = list(zip(edges[::2], edges[1::2], strict=True))  # [start, stop)
        for start, stop in runs:
            first, last = full[start], full[stop - 1]
            span = f"{first}" if stop - start == 1 else f"{first} to {last}"
            at_edge = start == 0 or stop == len(full)
            if stop - start > max_gap_hours or at_edge:
                why = (
                    "at the start or end of the data"
                    if at_edge
                    else (f"longer than max_gap_hours={max_gap_hours}")
                )
                raise DataError(
                    f"{where}: missing {stop - start} hour(s): {span} ({why}; "
                    "fill or download them, or allow short gaps with max_gap_hours)"
                )
            filled.append((str(first), str(last)))
        series = series.interpolate(method="linear", limit_area="inside")
        warnings.warn(
            f"{where}: filled {int(missing.sum())} missing hour(s) in {len(filled)} gap(s) by "
            f"linear interpolation: {', '.join(a if a == b else f'{a} to {b}' for a, b in filled)}",
            UserWarning,
            stacklevel=3,
        )
    values = series.to_numpy(dtype=float)
    if (values < 0).any():
        i = int(np.flatnonzero(values < 0)[0])
        raise DataError(f"{where}: negative value ({values[i]:g}) at {full[i]}")
    if upper is not None and (values > upper + 1e-9).any():
        i = int(np.flatnonzero(values > upper + 1e-9)[0])
        raise DataError(
            f"{where}: value {values[i]:g} above {upper:g} at {full[i]} (a capacity factor: "
            "pass capacity= the installed capacity the file's output refers to)"
        )
    frame = pd.DataFrame({name: values}, index=pd.DatetimeIndex(full, name="snapshot"))
    frame.index.freq = None
    frame.attrs["filled"] = filled
    return frame


# --- Japanese TSO area CSVs ------------------------------------------------------------
def _header_index(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows):
        if len(row) >= 3 and row[0].lower() in _DATE_NAMES and row[1].lower() in _TIME_NAMES:
            return i
    return None


def _unit_of(name: str, preamble: list[list[str]], where: str) -> tuple[float, bool, str]:
    match = _UNIT_IN_NAME.search(name)
    candidates = [match.group(1)] if match else []
    for row in preamble:
        for cell in row:
            line = _UNIT_LINE.search(cell)
            if line:
                candidates.append(line.group(1))
    for unit in candidates:
        key = unit.replace(" ", "").replace("Ｗ", "W").replace("ｋ", "k").lower()
        if key in _UNITS:
            factor, energy = _UNITS[key]
            return factor, energy, unit
    shown = f" (found {candidates[0]!r})" if candidates else ""
    raise DataError(
        f"{where}: cannot tell the unit of column {name!r}{shown}; expected one of "
        "万kW, MW, kW, 万kWh, MWh in the column name, e.g. '実績(万kW)', or a '単位' line"
    )


def _pick_column(header: list[str], column: str | None, where: str) -> int:
    names = header[2:]
    if column is not None:
        for i, name in enumerate(names):
            if name == column or _UNIT_IN_NAME.sub("", name).strip() == column:
                return i + 2
        raise DataError(f"{where}: no column {column!r} (has {names})")
    for wanted in ("エリア需要", "実績", "需要"):
        for i, name in enumerate(names):
            if wanted in name and "予測" not in name and "予想" not in name:
                return i + 2
    raise DataError(f"{where}: no demand column (エリア需要 or 実績) among {names}; pass column=")


def _read_tso_file(path: Path, column: str | None, encoding: str | None):
    rows = _rows(_decode(path, encoding, ("cp932",)))
    h = _header_index(rows)
    if h is None:
        raise DataError(
            f"{path}: no header row starting DATE,TIME (or 日付,時刻); is this a TSO area CSV?"
        )
    where = f"{path}"
    col = _pick_column(rows[h], column, where)
    factor, energy, unit = _unit_of(rows[h][col], rows[:h], where)
    stamps: list[pd.Timestamp] = []
    values: list[float] = []
    clocks: list[int] = []
    for k, row in enumerate(rows[h + 1 :], start=h + 2):  # k: line number in the file
        if not row or not any(row):
            if stamps:
                break  # a blank line ends the table (a second section may follow)
            continue
        day = _parse_date(row[0])
        if day is None:
            if stamps:
                break
            continue
        clock = _parse_clock(row[1]) if len(row) > 1 else None
        if clock is None:
            raise DataError(f"{path}: line {k}: cannot read time {row[1:2]!r} (expected H:MM)")
        cell = row[col] if len(row) > col else ""
        values.append(_number(cell, f"{path}: line {k} ({row[0]} {row[1]})") * factor)
        stamps.append(day + pd.Timedelta(minutes=clock))
        clocks.append(clock)
    if not stamps:
        raise DataError(f"{path}: no data rows after the header")
    return stamps, values, clocks, energy, unit


def read_tso_area_csv(
    path: PathLike | Iterable[PathLike],
    area: str,
    *,
    column: str | None = None,
    encoding: str | None = None,
    year: int | None = None,
    max_gap_hours: int = 0,
) -> pd.DataFrame:
    """Read a Japanese transmission operator's area demand (or supply) CSV, in MW.

    The files of the ten TSOs (area supply-demand results, エリア需給実績, and the
    でんき予報 usage results) have preamble lines (an update stamp, a title, a ``単位``
    line), then a header row starting ``DATE,TIME`` (or ``日付,時刻``), then one row per
    hour or half hour: ``2023/4/1,0:00,2788``. The value column is ``column``, else the
    first whose name contains ``エリア需要`` or ``実績`` (forecasts excluded). Its unit comes
    from the column name (``実績(万kW)``, ``エリア需要〔MWh〕``) or a ``単位`` line and is
    converted: 万kW × 10 = MW; energy per interval (万kWh, MWh) becomes the mean power of
    each hour. Half-hourly data are averaged to hours. Times are local (JST, no daylight
    saving); hour-beginning (``0:00`` … ``23:00``) or hour-ending (``1:00`` … ``24:00``,
    moved back one interval). A blank line after the data ends the table (a later section
    is ignored).

    Parameters
    ----------
    path : path or iterable of paths
        One yearly (or fiscal-year) file, or several monthly files, in any order; they must
        not overlap.
    area : str
        The model area the file describes (``"Tokyo"``, ``"Kyushu"``, ...): the column name.
    column : str, optional
        Header of the value column (with or without its unit bracket).
    encoding : str, optional
        Default: UTF-8 if it decodes, else CP932 (Shift-JIS).
    year : int, optional
        Return exactly this calendar year (8760 or 8784 hours); refused if not covered.
    max_gap_hours : int, default 0
        Longest run of missing hours to fill by linear interpolation (reported); longer
        gaps, and gaps at either end, are refused.

    Returns
    -------
    pandas.DataFrame
        One column ``area``, MW, hourly, index ``snapshot`` (naive UTC+9, hour-beginning).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from jkenergy.study import readers
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "juyo.csv"
    >>> rows = ["2023/1/1 9:05 UPDATE", "DATE,TIME,実績(万kW)"]
    >>> rows += ["2023/1/1,0:00,2788", "2023/1/1,1:00,2701"]
    >>> text = "\\n".join(rows) + "\\n"
    >>> _ = path.write_bytes(text.encode("cp932"))
    >>> readers.read_tso_area_csv(path, "Tokyo")["Tokyo"].tolist()
    [27880.0, 27010.0]
    """
    if area not in datasets.JP_AREAS:
        raise ComponentError(
            f"read_tso_area_csv: area must be one of {datasets.JP_AREAS}, got {area!r}"
        )
    files = _paths(path)
    stamps, values, clocks, energy = [], [], [], None
    for p in files:
        s, v, c, e, unit = _read_tso_file(p, column, encoding)
        if energy is not None and e != energy:
            raise DataError(
                f"{p}: unit {unit!r} differs in kind (power/energy) from the other files"
            )
        energy = e
        stamps += s
        values += v
        clocks += c
    where = str(files[0]) if len(files) == 1 else f"{files[0]} (+{len(files) - 1} files)"
    clocks_set = set(clocks)
    if 1440 in clocks_set and 0 in clocks_set:
        raise DataError(f"{where}: has both 0:00 and 24:00 rows: cannot tell the hour convention")
    ending = 1440 in clocks_set  # 24:00 marks hour-ending (interval-ending) stamps
    series = _to_hourly(
        pd.DatetimeIndex(stamps), np.asarray(values, float), bool(energy), where, ending
    )
    return _finish(series, area, where, year, max_gap_hours)


# --- KPX hourly national demand ---------------------------------------------------------
_KPX_HOUR = re.compile(r"^0?(\d{1,2})\s*시$")


def read_kpx_hourly_csv(
    path: PathLike | Iterable[PathLike],
    *,
    encoding: str | None = None,
    year: int | None = None,
    max_gap_hours: int = 0,
) -> pd.DataFrame:
    """Read KPX's hourly national electricity demand (``날짜,1시,2시,…,24시``), in MW.

    One row per day: the date (``2023-01-01``, ``2023/01/01`` or ``20230101``), then 24
    hour-ending values in MW (MWh per hour): ``1시`` is 00:00–01:00 and ``24시`` is
    23:00–24:00, returned as hour-beginning 00:00 … 23:00 of that date. Other columns
    (totals, maxima) are ignored; thousands separators are allowed. Korea keeps no daylight
    saving time; years in which it did (1987, 1988) are refused.

    Parameters
    ----------
    path : path or iterable of paths
        The file(s) downloaded from data.go.kr (한국전력거래소_시간별 전국 전력수요량).
    encoding : str, optional
        Default: UTF-8 if it decodes, else CP949.
    year, max_gap_hours
        As in :func:`read_tso_area_csv`.

    Returns
    -------
    pandas.DataFrame
        One column ``KR``, MW, hourly, index ``snapshot`` (naive UTC+9, hour-beginning).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from jkenergy.study import readers
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "kpx.csv"
    >>> hours = ",".join(f"{h}시" for h in range(1, 25))
    >>> values = ",".join(str(60000 + h) for h in range(1, 25))
    >>> _ = path.write_bytes(f"날짜,{hours}\\n2023-01-01,{values}\\n".encode("cp949"))
    >>> frame = readers.read_kpx_hourly_csv(path)
    >>> frame.index[-1], float(frame["KR"].iloc[-1])
    (Timestamp('2023-01-01 23:00:00'), 60024.0)
    """
    files = _paths(path)
    stamps, values = [], []
    for p in files:
        rows = _rows(_decode(p, encoding, ("cp949",)))
        h = next((i for i, r in enumerate(rows) if r and r[0] in _DATE_NAMES), None)
        if h is None:
            raise DataError(f"{p}: no header row starting 날짜 (date); is this KPX's hourly file?")
        hours = {}
        for j, name in enumerate(rows[h]):
            match = _KPX_HOUR.match(name)
            if match:
                hours[int(match.group(1))] = j
        if sorted(hours) != list(range(1, 25)):
            raise DataError(f"{p}: expected columns 1시 … 24시, found hours {sorted(hours)}")
        for k, row in enumerate(rows[h + 1 :], start=h + 2):
            if not row or not any(row):
                continue
            day = _parse_date(row[0])
            if day is None:
                raise DataError(f"{p}: line {k}: cannot read the date {row[0]!r}")
            if day.year in _KOREA_DST_YEARS:
                raise DataError(
                    f"{p}: line {k}: {day.date()} is in a year with daylight saving time in "
                    "Korea (1987-1988); local clock hours are ambiguous there: not supported"
                )
            for hour, j in hours.items():
                cell = row[j] if j < len(row) else ""
                values.append(_number(cell, f"{p}: line {k} ({row[0]} {hour}시)"))
                stamps.append(day + pd.Timedelta(hours=hour - 1))
    where = str(files[0]) if len(files) == 1 else f"{files[0]} (+{len(files) - 1} files)"
    series = _to_hourly(pd.DatetimeIndex(stamps), np.asarray(values, float), False, where, False)
    return _finish(series, "KR", where, year, max_gap_hours)


# --- renewables.ninja-style capacity factors --------------------------------------------
def read_capacity_factor_csv(
    path: PathLike | Iterable[PathLike],
    *,
    column: str = "electricity",
    name: str | None = None,
    capacity: float = 1.0,
    year: int | None = None,
    max_gap_hours: int = 0,
) -> pd.DataFrame:
    """Read a renewables.ninja-style hourly capacity-factor CSV.

    Lines starting ``#`` (the ninja's licence and metadata header) are skipped; the first
    other line is the header: ``time`` (hour-beginning, UTC unless it carries an offset),
    then ``electricity`` and any other columns (``local_time``, weather variables, one
    column per country in the national files). ``column`` is divided by ``capacity`` (the
    capacity the output refers to: 1 for the ninja's default of 1 kW per kW) to give a
    capacity factor in [0, 1]. Times are converted to UTC+9: a file of UTC calendar year Y
    starts at 09:00 local time on 1 January, so ``year=Y`` needs the last 9 hours of Y-1 as
    well (download one day more).

    Parameters
    ----------
    path : path or iterable of paths
    column : str, default "electricity"
    name : str, optional
        Column name of the result (default: ``column``), e.g. the model node ``"Kyushu"``.
    capacity : float, default 1.0
    year, max_gap_hours
        As in :func:`read_tso_area_csv`.

    Returns
    -------
    pandas.DataFrame
        One column, capacity factors in [0, 1], hourly, index ``snapshot`` (naive UTC+9).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from jkenergy.study import readers
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ninja.csv"
    >>> rows = ["# Renewables.ninja PV", "time,electricity"]
    >>> rows += ["2019-06-01 03:00,0.412", "2019-06-01 04:00,0.5"]
    >>> text = "\\n".join(rows) + "\\n"
    >>> _ = path.write_text(text)
    >>> cf = readers.read_capacity_factor_csv(path, name="Kyushu")  # 03:00 UTC = 12:00 UTC+9
    >>> cf.index[0], cf["Kyushu"].tolist()
    (Timestamp('2019-06-01 12:00:00'), [0.412, 0.5])
    """
    if not capacity > 0:
        raise ComponentError(
            f"read_capacity_factor_csv: capacity must be positive, got {capacity!r}"
        )
    files = _paths(path)
    parts = []
    for p in files:
        text = _decode(p, None, ("cp932",))
        lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        try:
            table = pd.read_csv(io.StringIO("\n".join(lines)), dtype=str, keep_default_na=False)
        except (ValueError, pd.errors.ParserError) as exc:
            raise DataError(f"{p}: cannot read the CSV ({exc})") from exc
        table.columns = [str(c).strip() for c in table.columns]
        if "time" not in table.columns:
            raise DataError(f"{p}: no 'time' column (has {list(table.columns)})")
        if column not in table.columns:
            raise DataError(f"{p}: no column {column!r} (has {list(table.columns)})")
        try:
            times = pd.DatetimeIndex(pd.to_datetime(table["time"].str.strip(), utc=True))
        except (ValueError, TypeError) as exc:
            raise DataError(f"{p}: column 'time': cannot read the timestamps ({exc})") from exc
        local = times.tz_convert("Asia/Tokyo").tz_localize(None)
        values = [
            _number(cell, f"{p}: row {i + 1} ({local[i]})") / capacity
            for i, cell in enumerate(table[column].str.strip())
        ]
        parts.append((local, values))
    stamps = pd.DatetimeIndex(np.concatenate([np.asarray(s) for s, _ in parts]))
    joined = np.concatenate([np.asarray(v, float) for _, v in parts])
    where = str(files[0]) if len(files) == 1 else f"{files[0]} (+{len(files) - 1} files)"
    series = _to_hourly(stamps, joined, False, where, False)
    return _finish(series, name or column, where, year, max_gap_hours, upper=1.0)
