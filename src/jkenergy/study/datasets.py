"""Bundled Japan–Korea data set, loaded as validated pandas tables.

Each table is a CSV in ``jkenergy/data``; ``data/SOURCES.md`` gives every column's unit,
year and source and labels every assumption. All loaders use one generic validating reader,
:func:`load_csv`, which raises :class:`~jkenergy.errors.DataError` naming the file, the
column and the row of the first problem. Base year 2023; money in USD of price year 2025.

The model year's fleets, grid and policies come from tables of dated changes and prices:
:func:`capacity` and :func:`links` apply ``fleet_changes.csv`` and ``link_changes.csv`` up to
a given year, :func:`carbon_prices` returns the stated carbon prices of a year and
:func:`reserve_margins` the planning reserve margins.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import pandas as pd

from ..costs import annualised_capital_cost
from ..errors import DataError

COUNTRIES: tuple[str, ...] = ("JP", "KR")
JP_AREAS: tuple[str, ...] = tuple(
    "Hokkaido Tohoku Tokyo Chubu Hokuriku Kansai Chugoku Shikoku Kyushu".split()
)
REGIONS: tuple[str, ...] = (*COUNTRIES, *JP_AREAS)
"""Every region name a table may use: the two countries and Japan's nine areas."""
NODES: tuple[str, ...] = (*JP_AREAS, "KR")
"""The regions of the area-resolved model (Japan's nine areas and Korea as one region)."""
CAPACITY_TECHNOLOGIES: tuple[str, ...] = tuple(
    "nuclear coal lng_ccgt oil hydro pumped_hydro solar onwind offwind biomass battery".split()
)
"""Technologies of the existing fleet; the LNG fleet is one class, ``lng_ccgt``."""
STORAGE_TECHNOLOGIES: tuple[str, ...] = ("pumped_hydro", "battery")
HVDC_LOSS_FIXED = 0.02
"""Fixed HVDC loss (converter stations), fraction of power sent (PyPSA-Eur default)."""
HVDC_LOSS_PER_1000KM = 0.023
"""Length-dependent HVDC loss, fraction of power sent per 1,000 km (PyPSA-Eur default)."""
_TECH_KINDS = ("generator", "storage_power", "storage_energy", "conversion", "transmission")
_PER_MW = {"USD/kW": 1000.0, "USD/kWh": 1000.0, "USD/MW/km": 1.0}


@dataclass(frozen=True)
class Column:
    """Validation rule for one CSV column.

    ``kind`` is the type (``"str"``, ``"float"``, ``"int"``); ``nullable`` allows empty cells;
    ``min``/``max`` are inclusive numeric bounds (``min`` 0 by default: non-negative);
    ``allowed`` lists the only valid strings; ``key`` columns are unique together and form
    the index of a bundled table.
    """

    kind: Literal["str", "float", "int"] = "float"
    nullable: bool = False
    min: float | None = 0.0
    max: float | None = None
    allowed: tuple[str, ...] | None = None
    key: bool = False


Schema = Mapping[str, Column]

_STR, _F, _F_OPT = Column("str"), Column("float"), Column("float", nullable=True)
_YEAR = Column("int", min=1990, max=2100)
_NODE = Column("str", allowed=NODES)
_COUNTRY = Column("str", allowed=COUNTRIES)
_SOURCED = {"year": _YEAR, "source": _STR}
_KEY = Column("str", key=True)
_CHANGE = Column("float", min=None)
"""A signed change in MW (retirements are negative)."""
_CASES = ("low", "central", "high")
"""Cases of a carbon price with a published band (Japan's GX-ETS)."""


def _floats(*names: str, nullable: bool = False) -> dict[str, Column]:
    return dict.fromkeys(names, Column("float", nullable=nullable))


SCHEMAS: dict[str, Schema] = {
    "demand": {
        "region": Column("str", allowed=REGIONS, key=True),
        "country": _COUNTRY,
        "level": Column("str", allowed=("national", "area"), key=True),
        **_floats("annual_energy_twh", "peak_gw"),
        "peak_month": Column("int", min=1, max=12),
        **_floats("summer_peak_gw", "winter_peak_gw"),
        "source": _STR,
    },
    "capacity": {
        "region": Column("str", allowed=NODES, key=True),
        "technology": Column("str", allowed=CAPACITY_TECHNOLOGIES, key=True),
        **_floats("p_nom_mw", "p_nom_operating_mw"),
        "e_nom_mwh": _F_OPT,
        **_SOURCED,
    },
    "links": {
        "name": _KEY,
        "bus0": _NODE,
        "bus1": _NODE,
        "kind": Column("str", allowed=("ac", "hvdc", "fc")),
        "status": Column("str", allowed=("existing", "candidate")),
        **_floats("p_nom_forward_mw", "p_nom_backward_mw"),
        **_floats("p_nom_max_mw", "length_km", nullable=True),
        "efficiency": Column("float", max=1.0),
        **_floats("capex_usd_per_mw", "fom_fraction_per_year", "lifetime_years", nullable=True),
        **_SOURCED,
    },
    "technologies": {
        "technology": _KEY,
        "kind": Column("str", allowed=_TECH_KINDS),
        "input_carrier": Column("str", nullable=True),
        "output_carrier": _STR,
        "capex": _F,
        "capex_unit": Column("str", allowed=tuple(_PER_MW)),
        "fom_fraction_per_year": Column("float", max=1.0),
        "vom_usd_per_mwh": _F,
        "efficiency": Column("float", nullable=True, max=1.0),
        "lifetime_years": Column("float", min=1.0),
        "source": _STR,
    },
    "fuels": {
        "fuel": _KEY,
        "country": Column("str", allowed=COUNTRIES, key=True),
        **_floats("price_usd_per_mwh_th", "co2_t_per_mwh_th"),
        **_SOURCED,
    },
    "economics": {"parameter": _KEY, "value": _F, "unit": _STR, **_SOURCED},
    "hydrogen_imports": {
        "country": Column("str", allowed=COUNTRIES, key=True),
        "year": Column("int", min=1990, max=2100, key=True),
        "kind": Column("str", allowed=("cost_estimate", "policy_target")),
        **_floats("price_usd_per_mwh_h2", "annual_limit_twh_h2"),
        "source": _STR,
    },
    "potentials": {
        "country": Column("str", allowed=COUNTRIES, key=True),
        "technology": _KEY,
        **_floats("p_nom_max_mw", nullable=True),
        "p_max_pu": Column("float", nullable=True, max=1.0),
        **_SOURCED,
    },
    "regions": {
        "region": Column("str", allowed=NODES, key=True),
        "country": _COUNTRY,
        "city": _STR,
        "lat": Column("float", min=-90.0, max=90.0),
        "lon": Column("float", min=-180.0, max=180.0),
        "source": _STR,
    },
    "nodes": {
        "region": Column("str", allowed=NODES, key=True),
        "node": _STR,
        "country": _COUNTRY,
        "frequency_hz": Column("int", min=50, max=60),
        "source": _STR,
    },
    "fleet_changes": {
        "name": _KEY,
        "region": Column("str", allowed=(*NODES, "JP")),
        "technology": Column("str", allowed=CAPACITY_TECHNOLOGIES),
        "year": _YEAR,
        "p_nom_change_mw": _CHANGE,
        "p_nom_operating_change_mw": _CHANGE,
        "source": _STR,
    },
    "link_changes": {
        "name": _KEY,
        "link": _STR,
        "year": _YEAR,
        "p_nom_forward_change_mw": _CHANGE,
        "p_nom_backward_change_mw": _CHANGE,
        "source": _STR,
    },
    "carbon_prices": {
        "country": Column("str", allowed=COUNTRIES, key=True),
        "component": _KEY,
        "case": Column("str", allowed=(*_CASES, "all"), key=True),
        "year": Column("int", min=1990, max=2100, key=True),
        "price": _F,
        "currency": Column("str", allowed=("JPY/tCO2", "KRW/tCO2", "USD/tCO2")),
        "source": _STR,
    },
    "reserve_margins": {
        "country": Column("str", allowed=COUNTRIES, key=True),
        "year": Column("int", min=1990, max=2100, key=True),
        "reserve_margin": Column("float", max=1.0),
        "basis": _STR,
        "source": _STR,
    },
    "capacity_credits": {
        "country": Column("str", allowed=COUNTRIES, key=True),
        "technology": Column("str", allowed=CAPACITY_TECHNOLOGIES, key=True),
        "capacity_credit": Column("float", max=1.0),
        "source": _STR,
    },
    "plans": {
        "country": Column("str", allowed=COUNTRIES, key=True),
        "plan": _KEY,
        "target_year": Column("int", min=1990, max=2100, key=True),
        "quantity": _KEY,
        "value": _F,
        "unit": _STR,
        "source": _STR,
    },
}


def _error(file: str, column: str, row: int, message: str) -> DataError:
    return DataError(f"{file}: column '{column}', row {row} (line {row + 2}): {message}")


def _first(mask: pd.Series) -> int | None:
    return int(mask.to_numpy().argmax()) if mask.any() else None


def _convert(file: str, name: str, raw: pd.Series, rule: Column) -> pd.Series:
    """Convert one column of strings to ``rule.kind`` and check it against ``rule``."""
    text = raw.str.strip()
    blank = text == ""
    if not rule.nullable and (row := _first(blank)) is not None:
        raise _error(file, name, row, "empty value not allowed")
    if rule.kind == "str":
        outside = ~blank & ~text.isin(rule.allowed or text)
        if (row := _first(outside)) is not None:
            raise _error(
                file, name, row, f"{text[row]!r} is not one of {', '.join(rule.allowed or ())}"
            )
        return text.where(~blank, None)
    values = pd.to_numeric(text.where(~blank), errors="coerce").astype(float)
    bad = ~blank & ~values.map(math.isfinite)
    if rule.kind == "int":
        bad |= ~blank & (values % 1 != 0)
    if (row := _first(bad)) is not None:
        raise _error(file, name, row, f"{raw[row]!r} is not a finite {rule.kind}")
    if rule.min is not None and (row := _first(values < rule.min)) is not None:
        raise _error(file, name, row, f"{values[row]} is below the minimum {rule.min}")
    if rule.max is not None and (row := _first(values > rule.max)) is not None:
        raise _error(file, name, row, f"{values[row]} is above the maximum {rule.max}")
    if rule.kind == "int":
        return values.astype("Int64" if blank.any() else "int64")
    return values


def load_csv(source: str | Path, schema: Schema) -> pd.DataFrame:
    """Read a CSV file and validate it against ``schema``.

    Rows are numbered from 0 (the first line below the header) in error messages, which also
    give the line number in the file.

    Parameters
    ----------
    source : str or pathlib.Path
        Path of the CSV file.
    schema : mapping of str to Column
        The expected columns and their rules. Missing or extra columns are errors; the
        combination of the key columns must be unique.

    Returns
    -------
    pandas.DataFrame
        The schema's columns, converted to their types, with a RangeIndex.

    Raises
    ------
    DataError
        Naming the file, and the column and row of the first bad value.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("name,value\\na,1.5\\n")
    >>> load_csv(path, {"name": Column("str"), "value": Column("float")})
      name  value
    0    a    1.5
    """
    path = Path(source)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise DataError(f"{path.name}: cannot be read as CSV ({err})") from err
    for label, names in (
        ("missing", [c for c in schema if c not in raw.columns]),
        ("unexpected", [c for c in raw.columns if c not in schema]),
    ):
        if names:
            raise DataError(f"{path.name}: {label} column(s) {', '.join(map(repr, names))}")
    table = pd.DataFrame({n: _convert(path.name, n, raw[n], r) for n, r in schema.items()})
    keys = [n for n, rule in schema.items() if rule.key]
    if keys and (row := _first(table.duplicated(keys))) is not None:
        raise _error(path.name, keys[0], row, f"duplicate {tuple(table.loc[row, keys])}")
    return table


def hvdc_efficiency(length_km: float) -> float:
    """Efficiency of an HVDC link: ``1 - (0.02 + 0.023 * length_km / 1000)``.

    Parameters
    ----------
    length_km : float
        Route length in km (0 for a back-to-back converter).

    Returns
    -------
    float
        MWh delivered per MWh sent, per direction.

    Examples
    --------
    >>> round(hvdc_efficiency(1000.0), 3)
    0.957
    """
    return 1.0 - (HVDC_LOSS_FIXED + HVDC_LOSS_PER_1000KM * length_km / 1000.0)


def _check_rows(file: str, column: str, bad: pd.Series, what: str) -> None:
    if (row := _first(bad)) is not None:
        raise _error(file, column, row, what)


def _check_demand(t: pd.DataFrame) -> None:
    area = t["region"].isin(JP_AREAS)
    _check_rows("demand.csv", "level", area != (t["level"] == "area"), "wrong level")
    top = t[["summer_peak_gw", "winter_peak_gw"]].max(axis=1)
    # Japan only: KR's winter record (Dec 2022) lies outside the base year 2023.
    jp = t["country"] == "JP"
    _check_rows("demand.csv", "peak_gw", jp & (t["peak_gw"] != top), "not the seasonal max")


def _check_capacity(t: pd.DataFrame) -> None:
    f = "capacity.csv"
    over = t["p_nom_operating_mw"] > t["p_nom_mw"]
    _check_rows(f, "p_nom_operating_mw", over, "exceeds p_nom_mw")
    storage = t["technology"].isin(STORAGE_TECHNOLOGIES)
    _check_rows(f, "e_nom_mwh", storage & t["e_nom_mwh"].isna(), "needed for storage")
    _check_rows(f, "e_nom_mwh", ~storage & t["e_nom_mwh"].notna(), "only for storage")


def _check_links(t: pd.DataFrame) -> None:
    f = "links.csv"
    _check_rows(f, "bus1", t["bus0"] == t["bus1"], "bus1 equals bus0")
    rule = t["length_km"].map(hvdc_efficiency)
    off = (t["kind"] == "hvdc") & ~((t["efficiency"] - rule).abs() <= 1e-6)  # NaN length: off
    _check_rows(f, "efficiency", off, "HVDC efficiency differs from the loss rule")
    cand = t["status"] == "candidate"
    for col in ("p_nom_max_mw", "capex_usd_per_mw", "fom_fraction_per_year", "lifetime_years"):
        _check_rows(f, col, cand & t[col].isna(), "needed for a candidate link")


def _check_fleet_changes(t: pd.DataFrame) -> None:
    f = "fleet_changes.csv"
    # only nuclear has an operable fleet apart from the operating one (restarts)
    nuclear_only = (t["p_nom_change_mw"] != t["p_nom_operating_change_mw"]) & (
        t["technology"] != "nuclear"
    )
    _check_rows(f, "p_nom_operating_change_mw", nuclear_only, "differs from p_nom_change_mw")


def _check_link_changes(t: pd.DataFrame) -> None:
    known = _bundled("links").index
    _check_rows("link_changes.csv", "link", ~t["link"].isin(known), "not a link of links.csv")


def _check_nodes(t: pd.DataFrame) -> None:
    f = "nodes.csv"
    missing = [r for r in NODES if r not in set(t["region"])]
    if missing:
        raise DataError(f"{f}: column 'region': no row for {missing[0]!r}; every region needs one")
    country = t["region"].map(_bundled("regions")["country"])
    _check_rows(f, "country", t["country"] != country, "not the region's country (regions.csv)")
    mixed = t.groupby("node")["country"].transform("nunique") > 1
    _check_rows(f, "node", mixed, "a node holds regions of two countries")
    other = (
        t["node"].isin(NODES)
        & (t["node"] != t["region"])
        & ~t["node"].isin(t.loc[t["node"] == t["region"], "region"])
    )
    _check_rows(f, "node", other, "named after a region that belongs to another node")


_CHECKS: dict[str, Callable[[pd.DataFrame], None]] = {
    "nodes": _check_nodes,
    "demand": _check_demand,
    "capacity": _check_capacity,
    "links": _check_links,
    "fleet_changes": _check_fleet_changes,
    "link_changes": _check_link_changes,
}


def _bundled(table: str) -> pd.DataFrame:
    """Load and validate the bundled ``<table>.csv``; its key columns become the index."""
    schema = SCHEMAS[table]
    with resources.as_file(resources.files("jkenergy.study") / "data" / f"{table}.csv") as path:
        frame = load_csv(path, schema)
    if table in _CHECKS:
        _CHECKS[table](frame)
    return frame.set_index([n for n, rule in schema.items() if rule.key])


def _regions(regions: str, caller: str) -> None:
    if regions not in ("national", "areas"):
        raise ValueError(f"{caller}: regions must be 'national' or 'areas', got {regions!r}")


def demand(regions: Literal["national", "areas"] = "national") -> pd.DataFrame:
    """Annual energy and peak demand per region, base year 2023.

    Both countries on one basis: end-use energy plus what behind-the-meter solar serves
    (all solar is supply in the model), peaks on the total-demand basis (SOURCES.md,
    ``A-D1``, ``A-D2``, ``A-D4``).

    Parameters
    ----------
    regions : {"national", "areas"}
        ``"national"``: rows JP and KR. ``"areas"``: Japan's nine interconnected areas
        (Okinawa left out) followed by KR (Korea is one region).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``region``: ``country``, ``annual_energy_twh`` (TWh/yr), ``peak_gw``
        (GW, the base year's peak), ``peak_month`` (1-12), ``summer_peak_gw`` and
        ``winter_peak_gw`` (GW), ``source`` (keys of SOURCES.md).

    Examples
    --------
    >>> d = demand("areas")
    >>> float(round(d.loc[d.country == "JP", "annual_energy_twh"].sum(), 1))
    807.0
    >>> int(demand().loc["JP", "peak_month"])
    8
    """
    _regions(regions, "demand")
    t = _bundled("demand").reset_index("level")
    national, area = t["level"] == "national", t["level"] == "area"
    if regions == "areas":  # areas first, then each country that has no areas
        t = pd.concat([t[area], t[national & ~t["country"].isin(t.country[area])]])
    else:
        t = t[national]
    return t.drop(columns="level")


def capacity(
    regions: Literal["national", "areas"] = "areas", year: int | None = None
) -> pd.DataFrame:
    """Existing capacity by region and technology, optionally in a model year.

    The LNG fleet is one class, ``lng_ccgt``. For nuclear, ``p_nom_mw`` is the operable and
    ``p_nom_operating_mw`` the restarted capacity; for the other technologies they are equal.

    Parameters
    ----------
    regions : {"areas", "national"}
        ``"areas"``: Japan's nine areas and KR. ``"national"``: Japan's areas summed to JP.
    year : int, optional
        None: the bundled fleet as published (each figure's year: SOURCES.md). A year: that
        fleet plus every change of ``fleet_changes.csv`` in service by then (``year`` of the
        change <= ``year``): retirements, conversions, new units and nuclear restarts. A
        change for ``JP`` as a whole is split over the areas in proportion to their capacity
        of that technology.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``region``, ``technology``): ``p_nom_mw``, ``p_nom_operating_mw`` (MW),
        ``e_nom_mwh`` (MWh; storage only, NaN otherwise).

    Raises
    ------
    DataError
        If the changes would leave a negative capacity, or more in operation than operable.

    Examples
    --------
    >>> int(capacity("national").loc[("JP", "nuclear"), "p_nom_mw"])
    33083
    >>> int(capacity("national", year=2030).loc[("KR", "coal"), "p_nom_mw"])  # 40,265 - 9,100
    31165
    """
    _regions(regions, "capacity")
    t = _bundled("capacity").drop(columns=["year", "source"])
    if year is not None:
        t = _apply_fleet_changes(t, int(year))
    if regions == "areas":
        return t
    country = t.index.get_level_values("region").map(lambda r: "JP" if r in JP_AREAS else r)
    tech = t.index.get_level_values("technology")
    return t.groupby([country.rename("region"), tech], sort=False).sum(min_count=1)


def fleet_changes() -> pd.DataFrame:
    """Dated changes of the existing fleets: retirements, conversions, new units, restarts.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``name``: ``region`` (an area, ``JP`` for all of Japan, or ``KR``),
        ``technology``, ``year`` (first model year the change is in service),
        ``p_nom_change_mw`` and ``p_nom_operating_change_mw`` (MW, negative for
        retirements), ``source``.

    Examples
    --------
    >>> float(fleet_changes().loc["Saeul 3", "p_nom_change_mw"])
    1400.0
    """
    return _bundled("fleet_changes")


_CHANGED = {"p_nom_change_mw": "p_nom_mw", "p_nom_operating_change_mw": "p_nom_operating_mw"}


def _apply_fleet_changes(fleet: pd.DataFrame, year: int) -> pd.DataFrame:
    fleet = fleet.copy()
    due = fleet_changes()
    due = due[due["year"] <= year]
    for name, change in due.iterrows():
        tech = change["technology"]
        if change["region"] == "JP":
            rows = [(area, tech) for area in JP_AREAS]
            base = fleet.loc[rows, "p_nom_mw"]
            weights = base / base.sum() if base.sum() > 0 else pd.Series(1 / len(rows), base.index)
        else:
            rows = [(change["region"], tech)]
            weights = pd.Series(1.0, index=pd.MultiIndex.from_tuples(rows))
        for column, target in _CHANGED.items():
            delta = float(change[column]) * weights.to_numpy()
            fleet.loc[rows, target] = fleet.loc[rows, target] + delta
        where = f"fleet_changes.csv: {name!r}"
        if (fleet.loc[rows, list(_CHANGED.values())] < -1e-6).any().any():
            raise DataError(f"{where} leaves a negative {tech} capacity")
        if (fleet.loc[rows, "p_nom_operating_mw"] > fleet.loc[rows, "p_nom_mw"] + 1e-6).any():
            raise DataError(f"{where} puts more {tech} in operation than exists")
    fleet[list(_CHANGED.values())] = fleet[list(_CHANGED.values())].clip(lower=0.0)
    return fleet


def links(year: int | None = None) -> pd.DataFrame:
    """Inter-area links in Japan and the candidate Kyushu–Korea HVDC link.

    Parameters
    ----------
    year : int, optional
        None: the links as published (2022). A year: plus every reinforcement of
        ``link_changes.csv`` in service by then (``year`` of the change <= ``year``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``name``: capacities (MW) by direction (forward: bus0 to bus1),
        ``efficiency`` per direction, costs (USD2025) of candidate links.

    Examples
    --------
    >>> float(links().loc["Kyushu-KR_HVDC", "length_km"])
    220.0
    >>> fc = links(2030).query("kind == 'fc'")["p_nom_forward_mw"]
    >>> float(fc.sum())  # 2,100 MW today, 3,000 MW from 2027
    3000.0
    """
    table = _bundled("links")
    if year is None:
        return table
    table = table.copy()
    changes = link_changes()
    for _, change in changes[changes["year"] <= int(year)].iterrows():
        for direction in ("forward", "backward"):
            column = f"p_nom_{direction}_mw"
            table.loc[change["link"], column] += float(change[f"p_nom_{direction}_change_mw"])
    return table


def link_changes() -> pd.DataFrame:
    """Dated reinforcements of Japan's inter-area links (OCCTO plans).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``name``: ``link`` (a name of :func:`links`), ``year`` (first model year
        in service), ``p_nom_forward_change_mw``, ``p_nom_backward_change_mw`` (MW),
        ``source``.

    Examples
    --------
    >>> int(link_changes().loc["Kanmon +1 GW HVDC", "year"])
    2039
    """
    return _bundled("link_changes")


def technologies() -> pd.DataFrame:
    """Technology costs (USD2025) and performance.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``technology``; ``capex`` in ``capex_unit``, O&M, efficiency, lifetime.

    Examples
    --------
    >>> str(technologies().loc["electrolysis", "output_carrier"])
    'hydrogen'
    """
    return _bundled("technologies")


def fuels() -> pd.DataFrame:
    """Fuel prices and CO2 intensities per country.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``fuel``, ``country``): ``price_usd_per_mwh_th`` (USD2025/MWh_th, lower
        heating value), ``co2_t_per_mwh_th`` (tCO2/MWh_th), ``year``, ``source``.

    Examples
    --------
    >>> float(fuels().loc[("coal", "KR"), "co2_t_per_mwh_th"])
    0.336
    """
    return _bundled("fuels")


def economics() -> pd.DataFrame:
    """Discount rate, base and price year, exchange rates and unit conversions.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``parameter``: ``value`` (in ``unit``), ``unit``, ``year``, ``source``.

    Examples
    --------
    >>> float(economics().loc["discount_rate", "value"])
    0.05
    """
    return _bundled("economics")


def hydrogen_imports() -> pd.DataFrame:
    """Liquefied-hydrogen imports by country and year.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``country``, ``year``): ``kind`` (``cost_estimate`` or
        ``policy_target``; the same kind for both countries in a year),
        ``price_usd_per_mwh_h2`` (USD2025/MWh, LHV, delivered), ``annual_limit_twh_h2``
        (TWh/yr, LHV), ``source``.

    Examples
    --------
    >>> float(hydrogen_imports().loc[("JP", 2030), "annual_limit_twh_h2"])
    99.99
    """
    return _bundled("hydrogen_imports")


def carbon_prices(
    year: int, gx_ets: Literal["low", "central", "high"] = "central"
) -> dict[str, float]:
    """The stated carbon prices of a model year, in USD/tCO2 per country.

    Each country's price is the sum of its components (Japan: the carbon tax and the
    GX-ETS; Korea: the K-ETS). For each component the row of ``carbon_prices.csv`` with the
    latest ``year`` not after ``year`` is used (so a price is held flat after its last
    published year, and a component not yet in force counts 0), converted at the bundled
    exchange rates. The prices are nominal values of their year, not deflated.

    Parameters
    ----------
    year : int
        Model year.
    gx_ets : {"low", "central", "high"}, default "central"
        Japan's GX-ETS: the published price floor (``low``), ceiling (``high``) or their
        midpoint (``central``, an assumption; no market price exists yet).

    Returns
    -------
    dict of str to float
        ``{"JP": ..., "KR": ...}`` in USD/tCO2.

    Raises
    ------
    ValueError
        If ``gx_ets`` is not one of the three cases.

    Examples
    --------
    >>> p = carbon_prices(2030)
    >>> round(p["JP"], 2), round(p["KR"], 2)  # (289 + 3,376.53) / 150; 9,587 / 1,420
    (24.44, 6.75)
    >>> carbon_prices(2023)["JP"]  # before the GX-ETS: the carbon tax alone
    1.9266666666666667
    """
    if gx_ets not in _CASES:
        cases = ", ".join(_CASES)
        raise ValueError(f"carbon_prices: gx_ets must be one of {cases}, got {gx_ets!r}")
    table = _bundled("carbon_prices").reset_index()
    table = table[table["case"].isin((gx_ets, "all")) & (table["year"] <= int(year))]
    econ = economics()["value"]
    per_usd = {"JPY/tCO2": econ["jpy_per_usd"], "KRW/tCO2": econ["krw_per_usd"], "USD/tCO2": 1.0}
    latest = table.sort_values("year").groupby(["country", "component"]).tail(1)
    usd = latest["price"] / latest["currency"].map(per_usd).astype(float)
    totals = usd.groupby(latest["country"]).sum()
    return {c: float(totals.get(c, 0.0)) for c in COUNTRIES}


def reserve_margins(year: int) -> pd.Series:
    """Planning reserve margin of each country for a model year.

    The row of ``reserve_margins.csv`` nearest to ``year`` (the later one on a tie) is used;
    the margins are those of the published plans, on each plan's own basis (``basis``
    column). :func:`~jkenergy.study.builder.japan_korea` adds them as one reserve margin
    per country by default.

    Parameters
    ----------
    year : int
        Model year.

    Returns
    -------
    pandas.Series
        Indexed by country: reserve margin as a fraction of peak demand.

    Examples
    --------
    >>> reserve_margins(2030).round(4).to_dict()
    {'JP': 0.1744, 'KR': 0.22}
    """
    table = _bundled("reserve_margins")["reserve_margin"]
    out = {}
    for country in COUNTRIES:
        rows = table.xs(country, level="country")
        nearest = min(rows.index, key=lambda y: (abs(y - int(year)), -y))
        out[country] = float(rows.loc[nearest])
    return pd.Series(out, name="reserve_margin").rename_axis("country")


def capacity_credits() -> pd.DataFrame:
    """Capacity credit (firm share of rated power at the peak) of variable plants and storage.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``country``, ``technology``): ``capacity_credit`` (fraction),
        ``source`` (all assumptions, ``A-R2``).

    Examples
    --------
    >>> float(capacity_credits().loc[("KR", "solar"), "capacity_credit"])
    0.1
    """
    return _bundled("capacity_credits")


def plans() -> pd.DataFrame:
    """Policy-plan and outlook figures for 2027–2050, in long format.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``country``, ``plan``, ``target_year``, ``quantity``): ``value`` in
        ``unit``, ``source``.

    Examples
    --------
    >>> p = plans().xs(("JP", 2034, "peak_demand"), level=[0, 2, 3])
    >>> float(p["value"].iloc[0])
    164.6
    """
    return _bundled("plans")


def potentials() -> pd.DataFrame:
    """Build limits of renewables and availability of dispatchable plants per country.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``country``, ``technology``): ``p_nom_max_mw`` (MW, limit on total
        installed capacity, NaN where not a limit), ``p_max_pu`` (constant availability,
        NaN where not given), ``year``, ``source``.

    Examples
    --------
    >>> float(potentials().loc[("JP", "nuclear"), "p_max_pu"])
    0.805
    """
    return _bundled("potentials")


def regions() -> pd.DataFrame:
    """Load centre of each region of the area-resolved model: a representative city.

    Used for the distances that correlate the synthetic weather between regions and for the
    sun's position in the solar profiles (``jkenergy.study.weather``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``region`` (Japan's nine areas, KR): ``country``, ``city``, ``lat`` and
        ``lon`` (degrees north and east, WGS 84), ``source``.

    Examples
    --------
    >>> r = regions()
    >>> r.loc["Kyushu", "city"], float(r.loc["KR", "lat"])
    ('Fukuoka', 37.57)
    """
    return _bundled("regions")


def nodes() -> pd.DataFrame:
    """Japan's three-node grouping of its nine areas (``japan_korea(regions="three")``).

    East (50 Hz: Hokkaido, Tohoku, Tokyo), West (60 Hz: Chubu, Hokuriku, Kansai, Chugoku,
    Shikoku) and Kyushu; Korea stays one node. The corridors between the nodes are the
    50/60 Hz frequency converters and the Kanmon link (``A-N1`` in ``SOURCES.md``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``region`` (Japan's nine areas, KR): ``node``, ``country``,
        ``frequency_hz`` (50 or 60), ``source``.

    Examples
    --------
    >>> t = nodes()
    >>> t.groupby("node", sort=False).size().to_dict()
    {'East': 3, 'West': 5, 'Kyushu': 1, 'KR': 1}
    >>> sorted(set(t.loc[t.node == "East", "frequency_hz"]))
    [50]
    """
    return _bundled("nodes")


def capital_cost(name: str, discount_rate: float | None = None) -> float:
    """Annualised capital cost, fixed O&M included, of a technology or candidate link.

    ``capex * (annuity(rate, lifetime) + fom)`` by
    :func:`jkenergy.costs.annualised_capital_cost`, the rate from :func:`economics`.

    Parameters
    ----------
    name : str
        A row of :func:`technologies`, or a candidate link of :func:`links`.
    discount_rate : float, optional
        Used instead of the bundled discount rate.

    Returns
    -------
    float
        USD/MW/yr (power), USD/MWh/yr (``capex_unit`` USD/kWh) or USD/MW/km/yr (USD/MW/km).

    Examples
    --------
    >>> round(capital_cost("solar", discount_rate=0.0))  # 544.66e3 * (1/40 + 0.0248)
    27124
    """
    rate = economics().loc["discount_rate", "value"] if discount_rate is None else discount_rate
    tech, link = technologies(), links()
    if name in tech.index:
        row = tech.loc[name]
        capex = row["capex"] * _PER_MW[row["capex_unit"]]
    elif name in link.index and link.loc[name, "status"] == "candidate":
        row = link.loc[name]
        capex = row["capex_usd_per_mw"]
    else:
        raise DataError(f"capital_cost: {name!r} is neither a technology nor a candidate link")
    life, fom = float(row["lifetime_years"]), float(row["fom_fraction_per_year"])
    return annualised_capital_cost(float(capex), float(rate), life, fom)


def describe(print_: bool = False) -> str:
    """Human-readable summary of the bundled data set.

    Parameters
    ----------
    print_ : bool, default False
        Also print the summary.

    Returns
    -------
    str

    Examples
    --------
    >>> "Kyushu-KR_HVDC" in describe()
    True
    """
    econ = economics()["value"]
    cap = capacity("national")["p_nom_mw"].unstack("region").fillna(0.0) / 1000.0
    parts = {
        f"jkenergy data set: base year {econ['base_year']:.0f}, USD of {econ['price_year']:.0f}, "
        f"discount rate {econ['discount_rate']:.1%}": "",
        "Demand (TWh/yr, GW)": demand("areas").drop(columns="source"),
        "Existing capacity (GW)": cap.round(1),
        "Links (MW)": links()[["kind", "status", "p_nom_forward_mw", "p_nom_backward_mw"]],
        "Fuels (USD/MWh_th, tCO2/MWh_th)": fuels()[["price_usd_per_mwh_th", "co2_t_per_mwh_th"]],
        "Carbon prices 2030 (USD/tCO2)": pd.Series(carbon_prices(2030)).to_frame("price"),
        "Technologies": technologies()[["capex", "capex_unit", "efficiency", "lifetime_years"]],
    }
    text = "\n\n".join(f"{k}\n{v.to_string() if len(v) else ''}".strip() for k, v in parts.items())
    if print_:
        print(text)
    return text


def data_hash() -> str:
    """Fingerprint of the bundled data set: sha256 over every ``data/*.csv``, name and bytes.

    Written into results by ``jkenergy run`` (attribute ``data_sha256``), so a result says
    which data produced it; any change to a bundled number changes the hash.

    Examples
    --------
    >>> len(data_hash())
    64
    """
    digest = hashlib.sha256()
    folder = resources.files("jkenergy.study") / "data"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".csv")), key=lambda f: f.name)
    for entry in files:
        digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()
