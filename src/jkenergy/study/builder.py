"""A ready Japan–Korea network from the bundled data and hourly profiles, in one call.

Every number comes from :mod:`jkenergy.study.datasets` (see ``data/SOURCES.md``) or
:mod:`jkenergy.study.profiles`; the few modelling choices made here are stated in
:func:`japan_korea`'s docstring.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..aggregation import aggregate_buses
from ..errors import ComponentError
from ..network import Network, split_size_overrides
from ..specs import Specs, apply_overrides
from . import datasets, profiles
from .datasets import JP_AREAS

Regions = Literal["national", "three", "areas"]
REGIONS: tuple[str, ...] = ("national", "three", "areas")
_Grid = Literal["national", "areas"]
"""The grids the data describe; ``"three"`` is built on ``"areas"`` and merged."""
"""The spatial resolutions of :func:`japan_korea`."""

THERMAL = ("nuclear", "coal", "lng_ccgt", "oil", "biomass")
"""Existing fuel-burning (or nuclear) fleets, dispatchable up to their availability."""
VARIABLE = {"solar": "solar", "onwind": "onshore", "offwind": "offshore"}
"""Variable renewables and the profile that drives them."""
EXTENDABLE_THERMAL = ("lng_ccgt", "lng_ocgt")
"""Fleets that may be expanded (new gas); nuclear, coal and oil are kept at today's size."""


def _demand_scale(country: str, year: int) -> float:
    """Demand in ``year`` relative to the 2023 base year, from the bundled outlooks.

    Japan: OCCTO's 2025 demand outlook (grid demand, end-use basis: FY2023 actual and
    FY2024, FY2025, FY2034 outlook, over the FY2023 actual) and, for 2040, the 7th Strategic
    Energy Plan's generation (midpoint of 1,100-1,200 TWh) over FY2023 generation
    (985.5 TWh). Korea: the 11th Basic Plan's peak, 2038 (129.3 GW) over 2023 (98.3 GW),
    both on the plan's grid-demand basis. The same growth is applied to energy and peak.
    Linear between those points, held flat before 2023 and after the last point (an
    assumption).
    """
    plans = datasets.plans().xs(country, level="country")
    if country == "JP":
        outlook = plans.xs("grid_demand", level="quantity")["value"].droplevel("plan")
        base = float(outlook.loc[2023])
        gen40 = plans.xs(2040, level="target_year")["value"]
        mid40 = float(gen40.xs("generation_low", level="quantity").iloc[0] / 2
                      + gen40.xs("generation_high", level="quantity").iloc[0] / 2)  # fmt: skip
        points = {int(y): float(v) / base for y, v in outlook.items()}
        points[2040] = mid40 / 985.5
    else:
        peak = plans.xs("peak_demand", level="quantity")["value"].droplevel("plan")
        points = {2023: 1.0, 2038: float(peak.loc[2038]) / float(peak.loc[2023])}
    years = sorted(points)
    return float(np.interp(year, years, [points[y] for y in years]))


def _snapshots(year: int, snapshots: Any) -> pd.DatetimeIndex:
    full = pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h", name="snapshot")
    if snapshots is None:
        return full
    if isinstance(snapshots, int) and not isinstance(snapshots, bool):
        if not 0 < snapshots <= len(full):
            raise ComponentError(
                f"japan_korea: snapshots must be between 1 and {len(full)} hours, got {snapshots}"
            )
        return full[:snapshots]
    index = pd.DatetimeIndex(snapshots)
    outside = index.difference(full)
    if len(outside):
        raise ComponentError(f"japan_korea: snapshots must be hours of {year}; {outside[0]} is not")
    return index.rename("snapshot")


def _share(values: pd.Series, fallback: pd.Series) -> pd.Series:
    """Shares of a national total over areas: by ``values`` or, if all zero, ``fallback``."""
    base = values if values.sum() > 0 else fallback
    return base / base.sum()


def _fuel_cost(tech: pd.Series, fuels: pd.DataFrame, country: str) -> tuple[float, float]:
    """Marginal cost (USD/MWh_el) and CO2 intensity (t/MWh_el) of a fuel-burning technology,
    at the fuel price of ``country``."""
    fuel = tech["input_carrier"]
    if not isinstance(fuel, str) or (fuel, country) not in fuels.index:
        return float(tech["vom_usd_per_mwh"]), 0.0
    eff = float(tech["efficiency"])
    price, co2 = fuels.loc[(fuel, country), ["price_usd_per_mwh_th", "co2_t_per_mwh_th"]]
    return float(price) / eff + float(tech["vom_usd_per_mwh"]), float(co2) / eff


@functools.lru_cache(maxsize=8)
def _profiles(year: int, regions: str, seed: int) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Full-year demand and capacity factors, computed once per (year, regions, seed).

    Callers slice them (which copies), so the cached frames are never modified.
    """
    shapes = {
        "solar": profiles.solar(year, regions, seed=seed),
        "onwind": profiles.wind(year, regions, kind="onshore", seed=seed),
        "offwind": profiles.wind(year, regions, kind="offshore", seed=seed),
    }
    return profiles.demand(year, regions, seed=seed), shapes


def _hydrogen_import(country: str, year: int) -> pd.Series:
    """The bundled import row of ``country`` nearest to ``year`` (later year on a tie).

    Both countries have rows for the same years, of the same kind (cost estimates for
    2030, policy targets for 2040), so both get a price of the same year and kind.
    """
    rows = datasets.hydrogen_imports().xs(country, level="country")
    nearest = min(rows.index, key=lambda y: (abs(y - year), -y))
    return rows.loc[nearest]


NUCLEAR_CASES = ("operating", "operable", "policy")
"""Japan's nuclear fleet in the model year: see :func:`japan_korea`, ``nuclear``."""


def policy_nuclear_mw(year: int) -> float:
    """Japan's nuclear capacity that meets the 6th Strategic Energy Plan's FY2030 share.

    ``share * generation / (availability * 8760 h)`` with the midpoint of the plan's
    20-22 % of its 935 TWh of FY2030 generation and the restarted fleet's availability
    (``potentials.csv``), capped at the operable fleet of ``year``. The plan gives one
    target year, used for every model year (an assumption).

    Parameters
    ----------
    year : int
        Model year (for the operable fleet).

    Returns
    -------
    float
        MW.

    Examples
    --------
    >>> round(policy_nuclear_mw(2030))  # 0.21 x 935 TWh / (0.805 x 8,760 h)
    27844
    """
    plan = datasets.plans().xs(("JP", 2030), level=["country", "target_year"])["value"]
    plan = plan.droplevel("plan")
    share = (plan["nuclear_share_low"] + plan["nuclear_share_high"]) / 2
    availability = float(datasets.potentials().loc[("JP", "nuclear"), "p_max_pu"])
    target = float(share * plan["generation"] * 1e6 / (availability * 8760))
    operable = float(datasets.capacity("national", year).loc[("JP", "nuclear"), "p_nom_mw"])
    return min(target, operable)


def japan_korea(
    year: int = 2030,
    regions: Regions = "national",
    interconnector: float | Literal["optimise"] | None = None,
    snapshots: Any = None,
    seed: int = 0,
    *,
    nuclear: Literal["operating", "operable", "policy"] = "operating",
    hydrogen: bool = True,
    hydrogen_chain: Literal["price", "separate", "shared"] = "price",
    hydrogen_demand: Mapping[str, float] | None = None,
    carbon_price: Mapping[str, float] | None = None,
    gx_ets: Literal["low", "central", "high"] = "central",
    co2_limits: Mapping[str, Mapping[str, Any]] | None = None,
    renewable_shares: Mapping[str, Mapping[str, Any]] | None = None,
    voll: float | None = None,
    reserve_margin: bool = True,
    **overrides: Any,
) -> Network:
    """Build the Japan–Korea electricity and hydrogen network for one year.

    Parameters
    ----------
    year : int, default 2030
        Calendar year of the hourly profiles and of the demand level.
    regions : {"national", "three", "areas"}, default "national"
        ``"national"``: buses ``JP`` and ``KR``. ``"areas"``: Japan's nine areas
        (Hokkaido ... Kyushu, linked as in ``links.csv``) plus ``KR``. ``"three"``: the
        nine-area network merged into three Japanese nodes (``nodes.csv``): ``East``
        (50 Hz: Hokkaido, Tohoku, Tokyo), ``West`` (60 Hz: Chubu, Hokuriku, Kansai,
        Chugoku, Shikoku) and ``Kyushu``, plus ``KR``, by
        :func:`~jkenergy.aggregate_buses`: the 50/60 Hz converters (``East-West_fc``) and
        Kanmon (``Chugoku-Kyushu_Kanmon``) are the corridors kept, every link inside a node
        is dropped (assumption ``A-N1``); the Japan–Korea link lands on ``Kyushu``.
        Generators are named ``<node>_<carrier>`` (``East_solar``; on the hydrogen buses
        ``JP_H2_lh2_import``), loads ``<node>_load``, the new-build batteries,
        electrolysers and hydrogen turbines ``<node>_<carrier>`` (one per node); existing
        pumped hydro keeps its area names.
    interconnector : None, float or "optimise", default None
        None: no Japan–Korea link. A number: a bidirectional HVDC link ``JP-KR`` of that
        many MW (Kyushu–Busan in the areas model), built new and paid for at the candidate
        link's annualised capital cost (``p_nom_min = p_nom_max`` = the size).
        ``"optimise"``: its size is optimised (from 0, no upper limit) at that cost.
    snapshots : None, int or DatetimeIndex, optional
        None: every hour of ``year``. An int: the first that many hours. A DatetimeIndex:
        those hours of ``year``. Each snapshot is weighted ``hours in year / count`` so that
        a shorter horizon still carries a full year of operating cost against annualised
        capital costs.
    seed : int, default 0
        Seed of the profile synthesis.
    nuclear : {"operating", "operable", "policy"}, default "operating"
        Japan's nuclear fleet in ``year``. ``"operating"``: the restarted units plus the
        restarts scheduled by then (``fleet_changes.csv``: 13.25 GW today, 16.88 GW in
        2030). ``"operable"``: every operable unit (33.08 GW). ``"policy"``: the capacity
        that gives the 6th Strategic Energy Plan's 21 % nuclear share of FY2030 generation
        (:func:`policy_nuclear_mw`, 27.84 GW), spread over the areas in proportion to their
        operable units. Korea's fleet is the one of ``year`` in every case (its Basic Plan
        keeps all units running and adds new ones).
    hydrogen : bool, default True
        Add a hydrogen bus per country with electrolysers, a hydrogen store, hydrogen
        turbines and liquefied-hydrogen imports.
    hydrogen_chain : {"price", "separate", "shared"}, default "price"
        How liquefied hydrogen arrives. ``"price"``: at the delivered policy-target price,
        no capacity modelled. ``"separate"``: each country pays the export-port price and
        builds its own supply chain (liquefaction, ships, import terminal) at annualised
        cost (``technologies.csv`` ``lh2_*``). ``"shared"``: as separate, plus a shuttle
        between the two countries' hydrogen buses so that one chain (and one country's
        supply allowance) can serve both: pooled terminal and ship capacity.
    hydrogen_demand : mapping of country to TWh/yr, optional
        Hydrogen used outside the power sector (industry, transport), as a flat load on the
        country's hydrogen bus (LHV). None: none.
    carbon_price : mapping of country to USD/tCO2, optional
        Replaces the stated carbon price of the countries it names. By default (None, or
        for a country not named) each country pays its stated price of ``year``
        (:func:`jkenergy.study.datasets.carbon_prices`: Japan's carbon tax plus the GX-ETS,
        Korea's K-ETS market price); set a country to 0 to remove it (e.g. under a CO2 cap).
    gx_ets : {"low", "central", "high"}, default "central"
        Which GX-ETS price Japan's stated carbon price uses: the published floor, the
        ceiling or their midpoint.
    co2_limits : mapping of name to ``{"countries": [...], "limit": tCO2}``, optional
        Optionally with ``"allocation": {country: tCO2}`` (see
        :meth:`~jkenergy.Network.add_co2_limit`).
    renewable_shares : mapping of name to ``{"country": ..., "share": ...}``, optional
    voll : float, optional
        Value of lost load (USD/MWh) at every electricity bus; off by default.
    reserve_margin : bool, default True
        Each country's planning reserve margin of ``year``
        (:func:`jkenergy.study.datasets.reserve_margins`: Japan 17.44 %, Korea 22 %) as a
        constraint ``<country>_reserve_margin`` (:meth:`~jkenergy.Network.add_reserve_margin`):
        thermal, nuclear and hydro count their full capacity, wind and solar their
        availability in each hour, storage by duration, and the Japan–Korea link
        :data:`LINK_CAPACITY_CREDIT` of its capacity into the importing country.
        False: no adequacy constraint (energy value only).
    **overrides
        Dotted paths ``"<table>.<component>.<attribute>"`` to override any attribute, e.g.
        ``**{"generators.JP_solar.p_nom_max": 2e5}``. With ``regions="three"`` they name
        the merged network's components (``generators.East_solar.p_nom_max``) and are
        applied after the merge (:meth:`~jkenergy.Network.set_attribute`). ``p_nom``
        overrides are always applied to the built network through that setter, so on a
        build of fixed size (``interconnector=<MW>``) ``p_nom`` sets its size.

    Returns
    -------
    Network

    Notes
    -----
    Modelling choices (assumptions), beyond those in ``data/SOURCES.md``:

    - Demand: the calibrated 2023 profiles scaled by :func:`_demand_scale` for ``year``;
      both countries' demand includes what behind-the-meter (and, in Korea, PPA) solar
      serves, since all solar is supply.
    - Existing fleets and Japan's inter-area links are those of ``year``: the published
      fleet plus the retirements, conversions, new units and restarts of
      ``fleet_changes.csv`` and the reinforcements of ``link_changes.csv`` in service by
      then. Nuclear, hydro and biomass run up to a
      constant availability (``potentials.csv``); LNG CCGT and OCGT, solar, onshore and
      offshore wind, batteries and the hydrogen chain may be expanded at annualised cost,
      renewables up to ``potentials.csv`` limits (split over areas by existing capacity).
    - Existing capacity is sunk: capital cost is charged on new capacity only. New
      offshore wind pays for its grid connection (``offwind_connection``).
    - Hydrogen: one hydrogen bus per country (transport within a country not modelled);
      imports are a generator on it, priced at the delivered cost (2030: a cost estimate,
      the same for both countries; 2040: the policy targets) and limited to the annual
      supply target spread evenly over the year (MW = TWh / 8760 h); the nearest year of
      ``hydrogen_imports.csv`` is used; storage in steel tanks.
    - Explicit hydrogen chains: the export-port price is the delivered target price minus
      the chain's annualised cost spread over a fully used year,
      ``price - (c_liquefaction + c_shipping + c_terminal) / 8760``, so a dedicated chain
      used all year delivers at exactly the target price.
    - Japan's inter-area links with different capacities by direction are two one-way
      links (``<name>`` and ``<name>_reverse``); equal ones one bidirectional link.

    Examples
    --------
    >>> import jkenergy as jk
    >>> n = jk.japan_korea(2030, interconnector="optimise", snapshots=48)
    >>> sorted(n.buses.index)
    ['JP', 'JP_H2', 'KR', 'KR_H2']
    >>> bool(n.links.loc["JP-KR", "p_nom_extendable"])
    True
    """
    if regions not in REGIONS:
        raise ComponentError(
            f"japan_korea: regions must be 'national', 'three' or 'areas', got {regions!r}"
        )
    if hydrogen_chain not in ("price", "separate", "shared"):
        raise ComponentError(
            "japan_korea: hydrogen_chain must be 'price', 'separate' or 'shared', "
            f"got {hydrogen_chain!r}"
        )
    if nuclear not in NUCLEAR_CASES:
        raise ComponentError(
            f"japan_korea: nuclear must be 'operating', 'operable' or 'policy', got {nuclear!r}"
        )
    if gx_ets not in ("low", "central", "high"):
        raise ComponentError(
            f"japan_korea: gx_ets must be 'low', 'central' or 'high', got {gx_ets!r}"
        )
    index = _snapshots(year, snapshots)
    hours_in_year = 8784 if pd.Timestamp(f"{year}-12-31").dayofyear == 366 else 8760
    three = regions == "three"
    grid: _Grid = "national" if regions == "national" else "areas"
    specs = _specs(year, grid, index, seed, nuclear, hydrogen, interconnector, voll)
    for country, twh in (hydrogen_demand or {}).items():
        if not hydrogen or country not in ("JP", "KR"):
            raise ComponentError(
                f"japan_korea: hydrogen_demand needs hydrogen=True and a country JP or KR, "
                f"got {country!r}"
            )
        specs.add("loads", f"{country}_H2_demand", bus=f"{country}_H2", p=twh * 1e6 / hours_in_year)
    if hydrogen and hydrogen_chain != "price":
        _hydrogen_chains(specs, shared=hydrogen_chain == "shared")
    nodes = datasets.nodes()["node"].to_dict()
    # sizes go on the built network, where set_attribute knows a build of fixed size
    # (``interconnector: <MW>``); with "three" everything names the merged network
    first, sizes = split_size_overrides(overrides)
    if three:
        _one_new_build_per_node(specs, nodes)
    else:
        apply_overrides(specs, first, source="japan_korea")
    network = Network(index, weights=hours_in_year / len(index))
    specs.build(network)
    if three:
        network = aggregate_buses(network, nodes)
    network.set_attributes(overrides if three else sizes, source="japan_korea")
    stated = datasets.carbon_prices(year, gx_ets)
    unknown = sorted(set(carbon_price or {}) - set(stated))
    if unknown:
        raise ComponentError(
            f"japan_korea: carbon_price names {unknown[0]!r}; the countries are JP and KR"
        )
    for country, price in {**stated, **dict(carbon_price or {})}.items():
        if price:
            network.set_carbon_price(country, float(price))
    for name, spec in (co2_limits or {}).items():
        network.add_co2_limit(
            name,
            countries=spec["countries"],
            limit=spec["limit"],
            allocation=spec.get("allocation"),
        )
    for name, spec in (renewable_shares or {}).items():
        network.add_renewable_share(name, country=spec["country"], share=spec["share"])
    if reserve_margin:
        for country, margin in datasets.reserve_margins(year).items():
            network.add_reserve_margin(
                f"{country}_reserve_margin", countries=country, margin=float(margin)
            )
    return network


def _specs(
    year: int,
    regions: _Grid,
    index: pd.DatetimeIndex,
    seed: int,
    nuclear: str,
    hydrogen: bool,
    interconnector: Any,
    voll: float | None,
) -> Specs:
    demand_table = datasets.demand(regions)
    nodes = list(demand_table.index)
    country = dict(zip(nodes, demand_table["country"], strict=True))
    capacity = _fleet(year, regions, nuclear)
    tech = datasets.technologies()
    fuels = datasets.fuels()
    pot = datasets.potentials()
    cost = datasets.capital_cost
    specs = Specs()

    load, shapes = _profiles(year, regions, seed)
    load = load.loc[index]
    shapes = {t: frame.loc[index] for t, frame in shapes.items()}
    energy = demand_table["annual_energy_twh"]

    for node in nodes:
        c = country[node]
        bus_attrs: dict[str, Any] = {"carrier": "electricity", "country": c}
        if voll is not None:
            bus_attrs["voll"] = float(voll)
        specs.add("buses", node, **bus_attrs)
        specs.add("loads", f"{node}_load", bus=node, p=load[node] * _demand_scale(c, year))

        fleet = capacity.xs(node, level="region")
        same_country = [n for n in nodes if country[n] == c]
        for t in (*THERMAL, "hydro"):
            p_nom = float(fleet.loc[t, "p_nom_mw"]) if t in fleet.index else 0.0
            if p_nom == 0 and t not in EXTENDABLE_THERMAL:
                continue
            mc, co2 = _fuel_cost(tech.loc[t], fuels, c)
            attrs: dict[str, Any] = dict(
                carrier=t, p_nom=p_nom, marginal_cost=mc, co2_intensity=co2
            )
            if (c, t) in pot.index and not np.isnan(pot.loc[(c, t), "p_max_pu"]):
                attrs["p_max_pu"] = float(pot.loc[(c, t), "p_max_pu"])
            if t in EXTENDABLE_THERMAL:
                attrs.update(p_nom_extendable=True, capital_cost=cost(t))
            specs.add("generators", f"{node}_{t}", bus=node, **attrs)
        mc, co2 = _fuel_cost(tech.loc["lng_ocgt"], fuels, c)
        specs.add("generators", f"{node}_lng_ocgt", bus=node, carrier="lng_ocgt",
                  p_nom_extendable=True, capital_cost=cost("lng_ocgt"), marginal_cost=mc,
                  co2_intensity=co2)  # fmt: skip

        for t in VARIABLE:
            existing = float(fleet.loc[t, "p_nom_mw"]) if t in fleet.index else 0.0
            national = capacity.loc[(same_country, t), "p_nom_mw"].droplevel("technology")
            share = _share(national, energy.loc[same_country])[node]
            limit = float(pot.loc[(c, t), "p_nom_max_mw"]) * share
            capital = cost(t) + (cost("offwind_connection") if t == "offwind" else 0.0)
            specs.add("generators", f"{node}_{t}", bus=node, carrier=t, p_nom=existing,
                      p_nom_extendable=True, p_nom_max=max(limit, existing),
                      capital_cost=capital, marginal_cost=float(tech.loc[t, "vom_usd_per_mwh"]),
                      p_max_pu=shapes[t][node].to_numpy())  # fmt: skip

        if "pumped_hydro" in fleet.index and fleet.loc["pumped_hydro", "p_nom_mw"] > 0:
            eff = float(tech.loc["pumped_hydro", "efficiency"])
            specs.add("storage", f"{node}_pumped_hydro", bus=node, carrier="pumped_hydro",
                      p_nom=float(fleet.loc["pumped_hydro", "p_nom_mw"]),
                      e_nom=float(fleet.loc["pumped_hydro", "e_nom_mwh"]),
                      efficiency_store=eff, efficiency_dispatch=eff)  # fmt: skip
        eff = float(tech.loc["battery_inverter", "efficiency"])
        specs.add("storage", f"{node}_battery", bus=node, carrier="battery",
                  p_nom_extendable=True, capital_cost=cost("battery_inverter"),
                  e_nom_extendable=True, capital_cost_energy=cost("battery_storage"),
                  efficiency_store=eff, efficiency_dispatch=eff)  # fmt: skip

    if hydrogen:
        _hydrogen(specs, year, nodes, country, tech, cost)
    if regions == "areas":
        _japan_links(specs, year)
    if interconnector is not None:
        _interconnector(specs, "Kyushu" if regions == "areas" else "JP", interconnector)
    return specs


NEW_BUILD = {"storage": ("battery",), "links": ("electrolysis", "h2_turbine")}
"""Units the builder adds to every area with no existing capacity, all alike within a
country: one per node is the same LP as one per area once the areas are merged."""


def _one_new_build_per_node(specs: Specs, nodes: Mapping[str, str]) -> None:
    """Keep one of each :data:`NEW_BUILD` unit per node, named ``<node>_<carrier>``.

    :func:`~jkenergy.aggregate_buses` keeps storage and extendable links unit by unit, so
    the three-node network would hold three identical new-build batteries at ``East``, five
    at ``West``. Identical units with no existing capacity on one bus are interchangeable,
    so dropping all but one changes no optimum and shrinks the LP (about half the columns).
    Units that differ in any attribute but their bus are kept as they are.
    """
    for table, carriers in NEW_BUILD.items():
        kept: dict[tuple[str, str], dict[str, Any]] = {}
        out: dict[str, dict[str, Any]] = {}
        for name, attrs in specs[table].items():
            carrier = attrs.get("carrier")
            area_bus = attrs.get("bus", attrs.get("bus1" if carrier == "h2_turbine" else "bus0"))
            if carrier not in carriers or area_bus not in nodes or attrs.get("p_nom", 0.0):
                out[name] = attrs
                continue
            key = (nodes[area_bus], carrier)
            alike = {k: v for k, v in attrs.items() if k not in ("bus", "bus0", "bus1")}
            if key not in kept:
                kept[key] = alike
                out[f"{key[0]}_{carrier}"] = attrs
            elif kept[key] != alike:
                out[name] = attrs
        specs[table] = out


def _hydrogen(specs: Specs, year: int, nodes: list[str], country: dict, tech, cost) -> None:
    """Hydrogen bus, import, store per country; electrolysis and turbine links per node.

    Turbine costs in the data are per MW of electric output; the link's capacity is
    measured at its hydrogen input, so capital and variable cost are multiplied by the
    efficiency.
    """
    for c in sorted(set(country.values())):
        h2 = f"{c}_H2"
        specs.add("buses", h2, carrier="hydrogen", country=c)
        row = _hydrogen_import(c, year)
        specs.add("generators", f"{c}_lh2_import", bus=h2, carrier="lh2_import",
                  p_nom=float(row["annual_limit_twh_h2"]) * 1e6 / 8760,
                  marginal_cost=float(row["price_usd_per_mwh_h2"]))  # fmt: skip
        specs.add("storage", f"{c}_H2_store", bus=h2, carrier="hydrogen_storage",
                  p_nom=float("inf"), e_nom_extendable=True,
                  capital_cost_energy=cost("hydrogen_storage_tank"))  # fmt: skip
    for node in nodes:
        h2 = f"{country[node]}_H2"
        specs.add("links", f"{node}_electrolysis", bus0=node, bus1=h2, carrier="electrolysis",
                  p_nom_extendable=True, efficiency=float(tech.loc["electrolysis", "efficiency"]),
                  capital_cost=cost("electrolysis"))  # fmt: skip
        specs.add("links", f"{node}_h2_turbine", bus0=h2, bus1=node, carrier="h2_turbine",
                  p_nom_extendable=True, efficiency=float(tech.loc["h2_turbine", "efficiency"]),
                  capital_cost=cost("h2_turbine") * float(tech.loc["h2_turbine", "efficiency"]),
                  marginal_cost=float(tech.loc["h2_turbine", "vom_usd_per_mwh"])
                  * float(tech.loc["h2_turbine", "efficiency"]))  # fmt: skip


CHAIN = ("lh2_liquefaction", "lh2_shipping", "lh2_terminal")
"""Steps of a liquefied-hydrogen supply chain whose capacity is paid per MW delivered."""


def _hydrogen_chains(specs: Specs, shared: bool) -> None:
    """Replace each country's delivered-price import by an export source and a chain.

    ``{c}_lh2_import`` moves to a source bus ``{c}_LH2_source`` at the export-port price;
    the link ``{c}_lh2_chain`` (source -> ``{c}_H2``) carries it at the chain's capital cost.
    Shared: a bidirectional shuttle ``JP-KR_lh2_shuttle`` between ``JP_H2`` and ``KR_H2``.
    """
    chain_cost = sum(datasets.capital_cost(step) for step in CHAIN)
    for attrs in list(specs["generators"].values()):
        if attrs.get("carrier") != "lh2_import":
            continue
        country = specs["buses"][attrs["bus"]]["country"]
        source = f"{country}_LH2_source"
        specs.add("buses", source, carrier="lh2", country=country)
        attrs["bus"] = source
        attrs["marginal_cost"] = attrs["marginal_cost"] - chain_cost / 8760
        specs.add("links", f"{country}_lh2_chain", bus0=source, bus1=f"{country}_H2",
                  carrier="lh2_chain", p_nom_extendable=True, capital_cost=chain_cost)  # fmt: skip
    if shared:
        specs.add("links", "JP-KR_lh2_shuttle", bus0="JP_H2", bus1="KR_H2",
                  carrier="lh2_shuttle", bidirectional=True, p_nom_extendable=True,
                  capital_cost=datasets.capital_cost("lh2_shuttle"))  # fmt: skip


def _fleet(year: int, regions: _Grid, nuclear: str) -> pd.DataFrame:
    """The fleet of ``year`` with Japan's nuclear row set by the ``nuclear`` case.

    ``p_nom_mw`` of the returned frame is the capacity the model uses.
    """
    fleet = datasets.capacity(regions, year).copy()
    rows = [r for r in fleet.index if r[1] == "nuclear" and (r[0] == "JP" or r[0] in JP_AREAS)]
    operable = fleet.loc[rows, "p_nom_mw"]
    if nuclear == "operating":
        fleet.loc[rows, "p_nom_mw"] = fleet.loc[rows, "p_nom_operating_mw"]
    elif nuclear == "policy":
        fleet.loc[rows, "p_nom_mw"] = policy_nuclear_mw(year) * operable / operable.sum()
    return fleet


def _japan_links(specs: Specs, year: int) -> None:
    for name, row in datasets.links(year).iterrows():
        if row["status"] != "existing":
            continue
        fwd, bwd = float(row["p_nom_forward_mw"]), float(row["p_nom_backward_mw"])
        common = dict(carrier=str(row["kind"]), efficiency=float(row["efficiency"]))
        if fwd == bwd:
            specs.add("links", name, bus0=row["bus0"], bus1=row["bus1"], p_nom=fwd,
                      bidirectional=True, **common)  # fmt: skip
        else:
            specs.add("links", name, bus0=row["bus0"], bus1=row["bus1"], p_nom=fwd, **common)
            specs.add("links", f"{name}_reverse", bus0=row["bus1"], bus1=row["bus0"],
                      p_nom=bwd, **common)  # fmt: skip


LINK_CAPACITY_CREDIT = 0.95
"""Share of the Japan–Korea link's capacity that counts as firm import in a reserve margin
(assumption ``A-R3`` in ``SOURCES.md``: an HVDC link's availability, no published figure
for this route)."""


def _interconnector(specs: Specs, japan_end: str, size: Any) -> None:
    candidate = datasets.links().loc["Kyushu-KR_HVDC"]
    attrs: dict[str, Any] = dict(carrier="hvdc", bidirectional=True,
                                 efficiency=float(candidate["efficiency"]),
                                 capacity_credit=LINK_CAPACITY_CREDIT)  # fmt: skip
    if isinstance(size, str) and size != "optimise":
        raise ComponentError(
            f"japan_korea: interconnector must be None, a size in MW or 'optimise', got {size!r}"
        )
    # the link is new in either case: its capital cost counts, for a fixed size too
    attrs.update(p_nom_extendable=True, capital_cost=datasets.capital_cost("Kyushu-KR_HVDC"))
    if not isinstance(size, str):
        attrs.update(p_nom_min=size, p_nom_max=size)
    specs.add("links", "JP-KR", bus0=japan_end, bus1="KR", **attrs)
