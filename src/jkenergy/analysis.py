r"""Cooperation metrics from result datasets: who pays, who gains, through which channel.

Every function reads result datasets only (see :mod:`jkenergy.results`) and returns a
pandas DataFrame whose column names carry their units, e.g. ``"system cost [USD]"``.

Two ways of splitting cost between countries
--------------------------------------------
*System cost* (:func:`country_costs`) attributes each component's capital, operating,
carbon and unserved-energy cost to the country of its bus; a link between two countries is
split by ``link_share`` (half-half by default). The countries' system costs sum to the
objective.

*Welfare* (:func:`welfare`) prices everything at the marginal prices (bus duals):

- consumer payment: :math:`\sum_t w_t \sum_{d} \lambda_{b(d),t} D_{d,t}`;
- producer surplus: revenue at marginal prices minus operating, capital, carbon-tax and
  CO2-permit cost (permits valued at the CO2 price of every limit covering the country, as
  if auctioned by its government), for generators, storage and links inside the country;
- congestion rent of cross-border links, :math:`\sum_t w_t (\lambda_{1,t} p_{1,t} -
  \lambda_{0,t} p_{0,t})` minus the link's cost, split by ``link_share``;
- government revenue: carbon tax plus the value of the country's permits at the CO2
  price — its allocation under a joint cap if one is given (so a country that emits less
  than it holds is paid for the difference by the other), otherwise its own emissions.

With reserve margins, firm capacity is priced too (``reserve_margin_hourly_price``):
consumers pay the capacity price times (1 + margin) times their demand, generators and
storage earn it on their firm capacity, and links on the firm capacity they carry (their
adequacy value, counted with their congestion rent).

Net cost = consumer payment - producer surplus - congestion rent - government revenue.
Carbon taxes and permits are transfers, so the countries' net costs sum to the objective
minus the carbon tax collected (the resource cost of the system).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import xarray as xr

from .results import register_statistics

USD = "[USD]"
HYDROGEN = ("hydrogen", "lh2")
"""Bus carriers holding hydrogen (gaseous and liquefied)."""


def _weights(ds: xr.Dataset) -> xr.DataArray:
    return ds["snapshot_weight"]


def _countries(ds: xr.Dataset) -> list[str]:
    return sorted({str(c) for c in ds["bus_country"].values if str(c)})


def _link_countries(ds: xr.Dataset) -> tuple[np.ndarray, np.ndarray]:
    country = dict(zip(ds["bus"].values.tolist(), ds["bus_country"].values.tolist(), strict=True))
    c0 = np.array([country[b] for b in ds["link_bus0"].values.tolist()], dtype=object)
    c1 = np.array([country[b] for b in ds["link_bus1"].values.tolist()], dtype=object)
    return c0, c1


def _by_country(values: pd.Series, countries: pd.Series, names: list[str]) -> pd.Series:
    return values.groupby(countries.to_numpy()).sum().reindex(names, fill_value=0.0)


def _split_links(
    ds: xr.Dataset, per_link: xr.DataArray, link_share: float, names: list[str]
) -> pd.Series:
    """Attribute a per-link quantity to countries: all to the country of a domestic link,
    ``link_share`` to bus0's country and the rest to bus1's for a cross-border link."""
    c0, c1 = _link_countries(ds)
    values = per_link.to_numpy()
    cross = c0 != c1
    out = pd.Series(0.0, index=names)
    for i in range(len(values)):
        if cross[i]:
            out[c0[i]] += link_share * values[i]
            out[c1[i]] += (1.0 - link_share) * values[i]
        else:
            out[c0[i]] += values[i]
    return out


def country_costs(ds: xr.Dataset, link_share: float = 0.5) -> pd.DataFrame:
    """System cost per country by cost type; rows sum to the objective.

    Parameters
    ----------
    ds : xarray.Dataset
        A result dataset.
    link_share : float, default 0.5
        Share of a cross-border link's cost borne by the country of its ``bus0``.

    Returns
    -------
    pandas.DataFrame
        Index ``country``; columns ``capital cost [USD]``, ``operating cost [USD]``,
        ``fixed cost [USD]`` (of existing generators kept), ``carbon cost [USD]``,
        ``unserved energy cost [USD]``, ``system cost [USD]``.

    Examples
    --------
    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
    >>> n.add_bus("JP", country="JP"); n.add_bus("KR", country="KR")
    >>> n.add_load("d", bus="KR", p=10.0)
    >>> n.add_generator("g", bus="JP", carrier="coal", p_nom=20.0, marginal_cost=5.0)
    >>> n.add_link("JP-KR", bus0="JP", bus1="KR", p_nom=20.0, marginal_cost=1.0)
    >>> country_costs(n.optimize().dataset)["system cost [USD]"].tolist()
    [55.0, 5.0]
    """
    names = _countries(ds)
    gen_c = ds["generator_country"].to_series()
    sto_c = ds["storage_country"].to_series()
    bus_c = ds["bus_country"].to_series()
    table = pd.DataFrame(index=pd.Index(names, name="country"))
    table["capital cost " + USD] = (
        _by_country(ds["generator_capital_cost"].to_series(), gen_c, names)
        + _by_country(ds["storage_capital_cost"].to_series(), sto_c, names)
        + _split_links(ds, ds["link_capital_cost"], link_share, names)
    )
    table["operating cost " + USD] = (
        _by_country(ds["generator_operating_cost"].to_series(), gen_c, names)
        + _by_country(ds["storage_operating_cost"].to_series(), sto_c, names)
        + _split_links(ds, ds["link_operating_cost"], link_share, names)
    )
    table["fixed cost " + USD] = _by_country(_zeros(ds, "generator_fixed_cost"), gen_c, names)
    table["carbon cost " + USD] = _by_country(ds["generator_carbon_cost"].to_series(), gen_c, names)
    table["unserved energy cost " + USD] = _by_country(
        ds["bus_unserved_cost"].to_series(), bus_c, names
    )
    table["system cost " + USD] = table.sum(axis=1)
    return table


def _permit_price(ds: xr.Dataset, names: list[str]) -> pd.Series:
    """Sum of the CO2 prices of all limits covering each country (USD/t)."""
    price = pd.Series(0.0, index=names)
    for lim in range(ds.sizes["co2_limit"]):
        members = str(ds["co2_limit_countries"].values[lim]).split(",")
        for c in members:
            price[c] += float(ds["co2_price"].values[lim])
    return price


def _permit_value(ds: xr.Dataset, names: list[str]) -> pd.Series:
    """Value of each country's CO2 permits: price x allocation, or x own emissions where a
    limit allocates none. With an allocation, a country emitting less than it holds earns
    the difference from the others (the permit trade)."""
    emissions = _by_country(
        ds["generator_emissions"].to_series(), ds["generator_country"].to_series(), names
    )
    value = pd.Series(0.0, index=names)
    for lim in range(ds.sizes["co2_limit"]):
        price = float(ds["co2_price"].values[lim])
        for c in str(ds["co2_limit_countries"].values[lim]).split(","):
            held = float(ds["co2_limit_allocation"].isel(co2_limit=lim).sel(country=c))
            value[c] += price * (emissions[c] if np.isnan(held) else held)
    return value


def welfare(ds: xr.Dataset, link_share: float = 0.5) -> pd.DataFrame:
    """Consumer payment, producer surplus, congestion rent and government revenue per country.

    See the module docstring for the definitions. ``net cost [USD]`` sums, over countries,
    to the objective minus the carbon tax collected.

    Parameters
    ----------
    ds : xarray.Dataset
    link_share : float, default 0.5
        Share of a cross-border link's congestion rent that goes to the country of ``bus0``.

    Returns
    -------
    pandas.DataFrame
        Index ``country``.

    Examples
    --------
    In the second hour the link is full: Korea's price is set by gas (50 USD/MWh), Japan's
    by coal (5). Korea's consumers pay 30 x 50 = 1,500 USD, of which its solar keeps 15 x 50 =
    750 as producer surplus; Japan's coal earns nothing above its cost (it is marginal); the
    congestion rent, 10 x (50 - 5) = 450 USD, is split half-half:

    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    >>> n.add_bus("JP", country="JP"); n.add_bus("KR", country="KR")
    >>> n.add_load("KR_load", bus="KR", p=[10.0, 30.0])
    >>> n.add_generator("JP_coal", bus="JP", carrier="coal", p_nom=20.0, marginal_cost=5.0,
    ...                 co2_intensity=1.0)
    >>> n.add_generator("KR_solar", bus="KR", carrier="solar", p_nom=15.0)
    >>> n.add_generator("KR_gas", bus="KR", carrier="lng", p_nom=20.0, marginal_cost=50.0,
    ...                 co2_intensity=0.4)
    >>> n.add_link("JP-KR", bus0="JP", bus1="KR", p_nom=10.0, bidirectional=True)
    >>> ds = n.optimize().dataset
    >>> welfare(ds)["net cost [USD]"].round(6).tolist()
    [-225.0, 525.0]
    """
    names = _countries(ds)
    w = _weights(ds)
    price = ds["bus_price"]
    gen_c = ds["generator_country"].to_series()
    sto_c = ds["storage_country"].to_series()
    permit = _permit_price(ds, names)

    load_price = price.sel(bus=ds["load_bus"]).drop_vars(["bus", *_bus_coords(ds)])
    consumer = (ds["load_p"] * load_price * w).sum("snapshot").to_series()
    consumer = consumer + _zeros(ds, "load_adequacy_payment")

    gen_price = price.sel(bus=ds["generator_bus"]).drop_vars(["bus", *_bus_coords(ds)])
    gen_revenue = (ds["generator_p"] * gen_price * w).sum("snapshot").to_series()
    gen_permit = ds["generator_emissions"].to_series() * permit.reindex(gen_c.values).to_numpy()
    gen_surplus = (
        gen_revenue
        + _zeros(ds, "generator_adequacy_revenue")
        - _zeros(ds, "generator_fixed_cost")
        - ds["generator_operating_cost"].to_series()
        - ds["generator_carbon_cost"].to_series()
        - ds["generator_capital_cost"].to_series()
        - gen_permit
    )
    sto_price = price.sel(bus=ds["storage_bus"]).drop_vars(["bus", *_bus_coords(ds)])
    sto_surplus = (
        ((ds["storage_p_dispatch"] - ds["storage_p_store"]) * sto_price * w)
        .sum("snapshot")
        .to_series()
        + _zeros(ds, "storage_adequacy_revenue")
        - ds["storage_operating_cost"].to_series()
        - ds["storage_capital_cost"].to_series()
    )
    link_surplus = (
        link_rent(ds)
        + _zeros(ds, "link_adequacy_value").to_xarray()
        - ds["link_capital_cost"]
        - ds["link_operating_cost"]
    )
    c0, c1 = _link_countries(ds)
    domestic = xr.DataArray(c0 == c1, dims="link")

    table = pd.DataFrame(index=pd.Index(names, name="country"))
    table["consumer payment " + USD] = _by_bus_country(ds, consumer, ds["load_bus"].values, names)
    table["producer surplus " + USD] = (
        _by_country(gen_surplus, gen_c, names)
        + _by_country(sto_surplus, sto_c, names)
        + _split_links(ds, link_surplus.where(domestic, 0.0), link_share, names)
    )
    table["congestion rent " + USD] = _split_links(
        ds, link_surplus.where(~domestic, 0.0), link_share, names
    )
    table["government revenue " + USD] = _by_country(
        ds["generator_carbon_cost"].to_series(), gen_c, names
    ) + _permit_value(ds, names)
    table["net cost " + USD] = (
        table["consumer payment " + USD]
        - table["producer surplus " + USD]
        - table["congestion rent " + USD]
        - table["government revenue " + USD]
    )
    return table


def _zeros(ds: xr.Dataset, name: str) -> pd.Series:
    """A per-component result variable as a Series; zeros if the result has none (a result
    written before the variable existed, which then had no such cost or payment)."""
    if name in ds:
        return ds[name].to_series()
    dim = name.split("_")[0]
    return pd.Series(0.0, index=pd.Index(ds[dim].values, name=dim))


def link_value(ds: xr.Dataset) -> pd.DataFrame:
    r"""Each link's value split into energy and adequacy, against its cost, in USD.

    - energy value: the merchandising surplus (:func:`link_rent`): what the link's flows
      are worth at the bus prices, which carry fuel, carbon and scarcity (arbitrage);
    - adequacy value: the capacity prices times the firm capacity the link brings into each
      reserve-margin group, net of what it takes out of the sender's
      (``link_adequacy_value``; 0 without reserve margins or with a zero credit).

    An extendable link at an interior optimum earns exactly its cost:
    energy + adequacy value = capital + operating cost.

    Returns
    -------
    pandas.DataFrame
        Index ``link``; columns ``energy value [USD]``, ``adequacy value [USD]``,
        ``capital cost [USD]``, ``operating cost [USD]``, ``net value [USD]``.

    Examples
    --------
    A link carries 10 MW from a price of 5 to one of 50 USD/MWh (450 USD of energy value);
    with no reserve margin its adequacy value is 0:

    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
    >>> n.add_bus("JP", country="JP"); n.add_bus("KR", country="KR")
    >>> n.add_load("KR_load", bus="KR", p=30.0)
    >>> n.add_generator("JP_coal", bus="JP", p_nom=20.0, marginal_cost=5.0)
    >>> n.add_generator("KR_gas", bus="KR", p_nom=30.0, marginal_cost=50.0)
    >>> n.add_link("JP-KR", bus0="JP", bus1="KR", p_nom=10.0)
    >>> link_value(n.optimize().dataset).loc["JP-KR"].tolist()
    [450.0, 0.0, 0.0, 0.0, 450.0]
    """
    table = pd.DataFrame(index=pd.Index(ds["link"].values, name="link"))
    table["energy value " + USD] = link_rent(ds).to_series()
    table["adequacy value " + USD] = _zeros(ds, "link_adequacy_value")
    table["capital cost " + USD] = ds["link_capital_cost"].to_series()
    table["operating cost " + USD] = ds["link_operating_cost"].to_series()
    table["net value " + USD] = (
        table["energy value " + USD]
        + table["adequacy value " + USD]
        - table["capital cost " + USD]
        - table["operating cost " + USD]
    )
    return table


def interconnector_value(ds: xr.Dataset, link_share: float = 0.5) -> pd.DataFrame:
    """Energy and adequacy value of the cross-border links, per country.

    Each cross-border link's values (:func:`link_value`) are split as its congestion rent
    is in :func:`welfare`: ``link_share`` to the country of ``bus0``, the rest to
    ``bus1``'s. Domestic links are left out (their value stays inside the country).

    Returns
    -------
    pandas.DataFrame
        Index ``country``; columns ``link energy value [USD]``, ``link adequacy value [USD]``.

    Examples
    --------
    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
    >>> n.add_bus("JP", country="JP"); n.add_bus("KR", country="KR")
    >>> n.add_load("KR_load", bus="KR", p=30.0)
    >>> n.add_generator("JP_coal", bus="JP", p_nom=20.0, marginal_cost=5.0)
    >>> n.add_generator("KR_gas", bus="KR", p_nom=30.0, marginal_cost=50.0)
    >>> n.add_link("JP-KR", bus0="JP", bus1="KR", p_nom=10.0)
    >>> interconnector_value(n.optimize().dataset)["link energy value [USD]"].tolist()
    [225.0, 225.0]
    """
    names = _countries(ds)
    c0, c1 = _link_countries(ds)
    cross = xr.DataArray(c0 != c1, dims="link")
    values = link_value(ds)
    table = pd.DataFrame(index=pd.Index(names, name="country"))
    for column, kind in (
        ("link energy value ", "energy value "),
        ("link adequacy value ", "adequacy value "),
    ):
        per_link = xr.DataArray(values[kind + USD].to_numpy(), dims="link")
        table[column + USD] = _split_links(ds, per_link.where(cross, 0.0), link_share, names)
    return table


def _bus_coords(ds: xr.Dataset) -> list[str]:
    return [c for c in ds.coords if isinstance(c, str) and c.startswith("bus_")]


def link_rent(ds: xr.Dataset) -> xr.DataArray:
    r"""Merchandising surplus of each link over the horizon, in USD.

    .. math:: \sum_t w_t (\lambda_{bus1,t}\, p_{1,t} - \lambda_{bus0,t}\, p_{0,t})

    For a transmission link this is the congestion rent: price difference times flow
    (net of losses).

    Examples
    --------
    10 MW cross a full link in the second hour, from a price of 5 to one of 50 USD/MWh:

    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    >>> n.add_bus("JP", country="JP"); n.add_bus("KR", country="KR")
    >>> n.add_load("KR_load", bus="KR", p=[10.0, 30.0])
    >>> n.add_generator("JP_coal", bus="JP", carrier="coal", p_nom=20.0, marginal_cost=5.0,
    ...                 co2_intensity=1.0)
    >>> n.add_generator("KR_solar", bus="KR", carrier="solar", p_nom=15.0)
    >>> n.add_generator("KR_gas", bus="KR", carrier="lng", p_nom=20.0, marginal_cost=50.0,
    ...                 co2_intensity=0.4)
    >>> n.add_link("JP-KR", bus0="JP", bus1="KR", p_nom=10.0, bidirectional=True)
    >>> ds = n.optimize().dataset
    >>> link_rent(ds).values.tolist()
    [450.0]
    """
    drop = ["bus", *_bus_coords(ds)]
    p0 = ds["bus_price"].sel(bus=ds["link_bus0"]).drop_vars(drop)
    p1 = ds["bus_price"].sel(bus=ds["link_bus1"]).drop_vars(drop)
    rent = ((p1 * ds["link_p1"] - p0 * ds["link_p0"]) * _weights(ds)).sum("snapshot")
    return rent.assign_attrs(units="USD", long_name="link merchandising surplus")


def cooperation_table(
    results: Mapping[str, xr.Dataset], baseline: str, link_share: float = 0.5
) -> pd.DataFrame:
    """Compare scenarios with a baseline (usually the islanded case), per country.

    Parameters
    ----------
    results : mapping of scenario name to result dataset
    baseline : str
        Key of the reference scenario in ``results``.
    link_share : float, default 0.5
        Split of cross-border link cost and congestion rent (share of ``bus0``'s country).

    Returns
    -------
    pandas.DataFrame
        One row per (scenario, country) and a ``total`` row per scenario, with system cost,
        saving against the baseline (positive = cheaper), the saving in welfare terms (net
        cost at marginal prices, whose split between countries is the gain of each),
        emissions, and the cross-border links' energy and adequacy value
        (:func:`interconnector_value`).
    """
    if baseline not in results:
        raise KeyError(f"cooperation_table: baseline {baseline!r} not in {list(results)}")
    rows = []
    base_cost = country_costs(results[baseline], link_share)["system cost " + USD]
    base_net = welfare(results[baseline], link_share)["net cost " + USD]
    for name, ds in results.items():
        costs = country_costs(ds, link_share)["system cost " + USD]
        net = welfare(ds, link_share)["net cost " + USD]
        emis = emissions(ds)["emissions [tCO2]"]
        value = interconnector_value(ds, link_share)
        energy, adequacy = value["link energy value " + USD], value["link adequacy value " + USD]
        for country in [*costs.index, "total"]:
            pick = lambda s, c=country: s.sum() if c == "total" else s.get(c, 0.0)  # noqa: E731
            rows.append(
                {
                    "scenario": name,
                    "country": country,
                    "system cost [USD]": pick(costs),
                    "saving vs " + baseline + " [USD]": pick(base_cost) - pick(costs),
                    "net cost at marginal prices [USD]": pick(net),
                    "welfare gain vs " + baseline + " [USD]": pick(base_net) - pick(net),
                    "emissions [tCO2]": pick(emis),
                    "link energy value [USD]": pick(energy),
                    "link adequacy value [USD]": pick(adequacy),
                }
            )
    return pd.DataFrame(rows).set_index(["scenario", "country"])


def emissions(ds: xr.Dataset) -> pd.DataFrame:
    """Emissions per country (tCO2 over the weighted horizon) and what CO2 costs there.

    ``CO2 price`` is the sum of the duals of the CO2 limits covering the country (the
    permit price); ``carbon price`` the price set with ``Network.set_carbon_price`` (a
    tax). An emitter in the country pays both.

    Examples
    --------
    Japan burns 10 MWh of coal (1 tCO2/MWh), Korea 5 MWh of gas (0.4 tCO2/MWh):

    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    >>> n.add_bus("JP", country="JP"); n.add_bus("KR", country="KR")
    >>> n.add_load("KR_load", bus="KR", p=[10.0, 30.0])
    >>> n.add_generator("JP_coal", bus="JP", carrier="coal", p_nom=20.0, marginal_cost=5.0,
    ...                 co2_intensity=1.0)
    >>> n.add_generator("KR_solar", bus="KR", carrier="solar", p_nom=15.0)
    >>> n.add_generator("KR_gas", bus="KR", carrier="lng", p_nom=20.0, marginal_cost=50.0,
    ...                 co2_intensity=0.4)
    >>> n.add_link("JP-KR", bus0="JP", bus1="KR", p_nom=10.0, bidirectional=True)
    >>> ds = n.optimize().dataset
    >>> emissions(ds)["emissions [tCO2]"].round(6).tolist()
    [10.0, 2.0]
    """
    names = _countries(ds)
    gen_c = ds["generator_country"].to_series()
    table = pd.DataFrame(index=pd.Index(names, name="country"))
    table["emissions [tCO2]"] = _by_country(ds["generator_emissions"].to_series(), gen_c, names)
    table["CO2 price [USD/tCO2]"] = _permit_price(ds, names)
    if "carbon_price" in ds:
        table["carbon price [USD/tCO2]"] = ds["carbon_price"].to_series().reindex(names)
    else:  # a result written before the carbon price was stored: not known
        table["carbon price [USD/tCO2]"] = np.nan
    return table


def renewables(ds: xr.Dataset, renewable_carriers: set[str] | None = None) -> pd.DataFrame:
    """Renewable generation, share of electricity demand, and curtailment per country.

    Curtailment is available renewable output (``p_max_pu`` x optimal capacity) not used.

    Examples
    --------
    Korea's solar covers 10 + 15 of its 40 MWh; 5 MWh are curtailed in the first hour.
    Japan has no demand, so no share:

    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    >>> n.add_bus("JP", country="JP"); n.add_bus("KR", country="KR")
    >>> n.add_load("KR_load", bus="KR", p=[10.0, 30.0])
    >>> n.add_generator("JP_coal", bus="JP", carrier="coal", p_nom=20.0, marginal_cost=5.0,
    ...                 co2_intensity=1.0)
    >>> n.add_generator("KR_solar", bus="KR", carrier="solar", p_nom=15.0)
    >>> n.add_generator("KR_gas", bus="KR", carrier="lng", p_nom=20.0, marginal_cost=50.0,
    ...                 co2_intensity=0.4)
    >>> n.add_link("JP-KR", bus0="JP", bus1="KR", p_nom=10.0, bidirectional=True)
    >>> ds = n.optimize().dataset
    >>> table = renewables(ds)
    >>> table["renewable share [-]"].tolist(), table["curtailment [MWh]"].tolist()
    ([nan, 0.625], [0.0, 5.0])
    """
    from .components import DEFAULT_RENEWABLE_CARRIERS

    carriers = DEFAULT_RENEWABLE_CARRIERS if renewable_carriers is None else renewable_carriers
    names = _countries(ds)
    w = _weights(ds)
    ren = ds["generator_carrier"].isin(sorted(carriers))
    gen_c = ds["generator_country"].to_series()
    out = (ds["generator_p"] * w).sum("snapshot").to_series()
    avail = (ds["generator_p_max_pu"] * ds["generator_p_nom_opt"] * w).sum("snapshot").to_series()
    elec_loads = ds["load_bus"].isin(ds["bus"].where(ds["bus_carrier"] == "electricity"))
    demand = (ds["load_p"].where(elec_loads, 0.0) * w).sum("snapshot").to_series()
    mask = ren.to_series()
    table = pd.DataFrame(index=pd.Index(names, name="country"))
    table["renewable generation [MWh]"] = _by_country(out[mask], gen_c[mask], names)
    table["electricity demand [MWh]"] = _by_bus_country(ds, demand, ds["load_bus"].values, names)
    table["renewable share [-]"] = (
        table["renewable generation [MWh]"] / table["electricity demand [MWh]"]
    )
    table["curtailment [MWh]"] = _by_country((avail - out)[mask].clip(lower=0), gen_c[mask], names)
    table["curtailment share [-]"] = table["curtailment [MWh]"] / _by_country(
        avail[mask], gen_c[mask], names
    ).replace(0.0, np.nan)
    return table


def chronological(ds: xr.Dataset, variable: str) -> xr.DataArray:
    """A time series in calendar order, also for a representative-period result.

    A result solved on typical periods (it has a ``period`` dimension with
    ``period_typical``) holds one profile per typical period; this lays the profile of each
    original period's typical period end to end over the original calendar, so monthly
    and hourly statistics mean what they say. Other results are returned unchanged.

    Parameters
    ----------
    ds : xarray.Dataset
    variable : str
        A variable with a ``snapshot`` dimension.

    Returns
    -------
    xarray.DataArray
        With a ``snapshot`` dimension of calendar times.

    Examples
    --------
    Two 2-hour days represented by one typical day: the result holds 2 snapshots, the
    calendar 4:

    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=4, freq="h"))
    >>> n.add_bus("JP"); n.add_load("d", bus="JP", p=[1.0, 2.0, 1.0, 2.0])
    >>> n.add_generator("g", bus="JP", p_nom=5.0)
    >>> ds = jk.timeseries.cluster_periods(n, [0, 0], period_hours=2).optimize().dataset
    >>> ds.sizes["snapshot"], chronological(ds, "load_p").sel(load="d").values.tolist()
    (2, [1.0, 2.0, 1.0, 2.0])
    """
    da = ds[variable]
    if "period" not in ds.dims:
        return da
    typical = ds["period_typical"].to_numpy()
    of_snapshot = ds["snapshot_period"].to_numpy()
    times = ds["snapshot"].to_index()
    positions, stamps = [], []
    for start, k in zip(ds["period"].to_index(), typical, strict=True):
        members = np.flatnonzero(of_snapshot == k)
        positions.append(members)
        stamps.append(start + (times[members] - times[members[0]]))
    out = da.isel(snapshot=np.concatenate(positions))
    return out.assign_coords(snapshot=pd.DatetimeIndex(np.concatenate(stamps)))


def link_flow_profile(ds: xr.Dataset, link: str) -> pd.DataFrame:
    """Mean flow of one link by month (rows) and hour of day (columns), in MW.

    Positive values flow from ``bus0`` to ``bus1`` (``link_p0``). Results on representative
    periods are laid out over the calendar first (:func:`chronological`).

    Examples
    --------
    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    >>> n.add_bus("JP", country="JP"); n.add_bus("KR", country="KR")
    >>> n.add_load("KR_load", bus="KR", p=[10.0, 30.0])
    >>> n.add_generator("JP_coal", bus="JP", carrier="coal", p_nom=20.0, marginal_cost=5.0,
    ...                 co2_intensity=1.0)
    >>> n.add_generator("KR_solar", bus="KR", carrier="solar", p_nom=15.0)
    >>> n.add_generator("KR_gas", bus="KR", carrier="lng", p_nom=20.0, marginal_cost=50.0,
    ...                 co2_intensity=0.4)
    >>> n.add_link("JP-KR", bus0="JP", bus1="KR", p_nom=10.0, bidirectional=True)
    >>> ds = n.optimize().dataset
    >>> link_flow_profile(ds, "JP-KR").loc[1].tolist()  # January, hours 0 and 1
    [0.0, 10.0]
    """
    flow = chronological(ds, "link_p0").sel(link=link).to_series()
    frame = pd.DataFrame({"flow": flow.to_numpy()}, index=flow.index)
    frame["month"] = frame.index.month
    frame["hour"] = frame.index.hour
    table = frame.pivot_table(index="month", columns="hour", values="flow", aggfunc="mean")
    table.columns.name = "hour [h]"
    table.index.name = "month"
    return table


def link_utilisation(ds: xr.Dataset) -> pd.DataFrame:
    """Per link: capacity, energy each way, utilisation (energy / capacity x hours), rent."""
    w = _weights(ds)
    p0 = ds["link_p0"]
    fwd = (p0.clip(min=0) * w).sum("snapshot").to_series()
    bwd = (-(ds["link_p1"].clip(max=0)) * w).sum("snapshot").to_series()
    cap = ds["link_p_nom_opt"].to_series()
    hours = float(w.sum())
    table = pd.DataFrame(index=pd.Index(ds["link"].values, name="link"))
    table["capacity [MW]"] = cap
    table["energy bus0->bus1 [MWh]"] = fwd
    table["energy bus1->bus0 [MWh]"] = bwd
    table["utilisation [-]"] = (fwd + bwd) / (cap * hours).replace(0.0, np.nan)
    table["merchandising surplus [USD]"] = link_rent(ds).to_series()
    return table


def _by_bus_country(ds: xr.Dataset, values: pd.Series, buses, names: list[str]) -> pd.Series:
    """Sum values whose component sits at ``buses`` by the country of those buses."""
    country = ds["bus_country"].to_series()
    return _by_country(values, country.reindex(np.asarray(buses)).set_axis(values.index), names)


def hydrogen(ds: xr.Dataset) -> pd.DataFrame:
    """Hydrogen per country, MWh LHV: produced (links from electricity into hydrogen buses),
    imported (generators on hydrogen or liquefied-hydrogen buses) and storage capacity.

    Examples
    --------
    An electrolyser (efficiency 0.7) makes 70 MWh of hydrogen from 100 MWh of electricity:

    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
    >>> n.add_bus("JP", country="JP"); n.add_bus("JP_H2", carrier="hydrogen", country="JP")
    >>> n.add_load("JP_H2_demand", bus="JP_H2", p=70.0)
    >>> n.add_generator("JP_solar", bus="JP", carrier="solar", p_nom=100.0)
    >>> n.add_link("JP_electrolysis", bus0="JP", bus1="JP_H2", p_nom=200.0, efficiency=0.7)
    >>> float(hydrogen(n.optimize().dataset).loc["JP", "produced [MWh]"])
    70.0
    """
    names = _countries(ds)
    w = _weights(ds)
    carrier = ds["bus_carrier"].values
    h2 = ds["bus"].values[carrier == "hydrogen"]
    elec = ds["bus"].values[carrier == "electricity"]
    into = np.isin(ds["link_bus1"].values, h2) & np.isin(ds["link_bus0"].values, elec)
    on_h2 = np.isin(ds["generator_bus"].values, ds["bus"].values[np.isin(carrier, HYDROGEN)])
    sto_h2 = np.isin(ds["storage_bus"].values, h2)
    produced = (ds["link_p1"].clip(min=0) * w).sum("snapshot").to_series()[into]
    imported = (ds["generator_p"] * w).sum("snapshot").to_series()[on_h2]
    stored = ds["storage_e_nom_opt"].to_series()[sto_h2]
    table = pd.DataFrame(index=pd.Index(names, name="country"))
    table["produced [MWh]"] = _by_bus_country(ds, produced, ds["link_bus1"].values[into], names)
    table["imported [MWh]"] = _by_bus_country(
        ds, imported, ds["generator_bus"].values[on_h2], names
    )
    table["storage capacity [MWh]"] = _by_bus_country(
        ds, stored, ds["storage_bus"].values[sto_h2], names
    )
    return table


def price_duration(ds: xr.Dataset, carrier: str = "electricity") -> pd.DataFrame:
    """Price duration curves of the buses of one carrier, in long form.

    Each bus's prices are sorted from high to low; ``duration [h]`` is the cumulative
    snapshot weight up to and including each price.

    Returns
    -------
    pandas.DataFrame
        Columns ``bus``, ``duration [h]``, ``price [USD/MWh]``.
    """
    w = ds["snapshot_weight"].to_numpy()
    frames = []
    for b in ds["bus"].values[ds["bus_carrier"].values == carrier]:
        p = ds["bus_price"].sel(bus=b).to_numpy()
        order = np.argsort(-p, kind="stable")
        frames.append(
            pd.DataFrame(
                {"bus": str(b), "duration [h]": np.cumsum(w[order]), "price [USD/MWh]": p[order]}
            )
        )
    if not frames:
        return pd.DataFrame(columns=["bus", "duration [h]", "price [USD/MWh]"])
    return pd.concat(frames, ignore_index=True)


STATISTICS_COLUMNS: dict[str, str] = {
    "capacity [MW]": "optimal capacity (p_nom_opt; links at bus0)",
    "existing capacity [MW]": "capacity given as p_nom (NaN for results written before 0.2)",
    "new capacity [MW]": "capacity - existing capacity",
    "energy [MWh]": "weighted energy delivered: generator output, storage dispatch, link "
    "arrivals at either end",
    "capacity factor [-]": "weighted throughput / (capacity x hours): generator output, storage "
    "dispatch, link flow measured where its capacity is",
    "curtailment [MWh]": "available output not used, renewable generators only",
    "emissions [tCO2]": "generator emissions",
    "capital cost [USD]": "annualised cost of new capacity",
    "operating cost [USD]": "marginal cost x flow, weighted",
    "carbon cost [USD]": "carbon price (tax) x emissions",
    "revenue [USD]": "at marginal prices: output x price (storage: dispatch - charging; "
    "links: price x arrival - price x departure, the merchandising surplus)",
}
"""The columns of :func:`statistics`, with what each counts."""


def _priced(ds: xr.Dataset, bus: str) -> xr.DataArray:
    """Bus prices picked by a component's bus coordinate (``generator_bus``, ...)."""
    return ds["bus_price"].sel(bus=ds[bus]).drop_vars(["bus", *_bus_coords(ds)])


def _existing(ds: xr.Dataset, component: str) -> pd.Series:
    name = f"{component}_p_nom_existing"
    if name in ds:
        return ds[name].to_series()
    return pd.Series(np.nan, index=ds.indexes[component])


def statistics(
    ds: xr.Dataset, renewable_carriers: set[str] | None = None, by: str = "country"
) -> pd.DataFrame:
    """What PyPSA's ``n.statistics()`` gives: capacity, energy, costs and revenue per group.

    Parameters
    ----------
    ds : xarray.Dataset
        A result dataset.
    renewable_carriers : set of str, optional
        Generator carriers whose unused availability counts as curtailment; default
        :data:`jkenergy.components.DEFAULT_RENEWABLE_CARRIERS`.
    by : {"country", "bus"}, default "country"
        Group by the country of the component's bus, or by the bus itself. A link between
        two groups is labelled ``"<bus0's>-<bus1's>"``.

    Returns
    -------
    pandas.DataFrame
        Index (``component``, ``country`` or ``bus``, ``carrier``), component one of
        ``generator``, ``storage``, ``link``; columns :data:`STATISTICS_COLUMNS` (units in
        the names: MW, MWh over the weighted horizon, USD, tCO2). ``attrs["status"]`` is
        the result's status: ``"warning"`` if it is not proven optimal.

    Examples
    --------
    Two snapshots of 2 hours each: 5 then 15 MW of demand, a 10 MW solar plant with 8 MW
    available, 20 MW of gas at 50 USD/MWh. In the first, solar covers the 5 MW (3 MW, 6 MWh
    curtailed) and the price is 0; in the second it gives all 8 MW, gas sets the price:

    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=2, freq="h"), weights=2.0)
    >>> n.add_bus("JP", country="JP"); n.add_load("d", bus="JP", p=[5.0, 15.0])
    >>> n.add_generator("pv", bus="JP", carrier="solar", p_nom=10.0, p_max_pu=0.8)
    >>> n.add_generator("gas", bus="JP", carrier="lng", p_nom=20.0, marginal_cost=50.0)
    >>> s = statistics(n.optimize().dataset).loc["generator"]
    >>> s.loc[("JP", "solar"), ["energy [MWh]", "curtailment [MWh]", "revenue [USD]"]].tolist()
    [26.0, 6.0, 800.0]
    """
    from .components import DEFAULT_RENEWABLE_CARRIERS

    if by not in ("country", "bus"):
        raise ValueError(f"statistics: by must be 'country' or 'bus', got {by!r}")
    carriers = DEFAULT_RENEWABLE_CARRIERS if renewable_carriers is None else renewable_carriers
    w = _weights(ds)
    hours = float(w.sum())
    group_of_bus = (
        dict(zip(ds["bus"].values.tolist(), ds["bus_country"].values.tolist(), strict=True))
        if by == "country"
        else {b: b for b in ds["bus"].values.tolist()}
    )
    frames = []

    def frame(component: str, groups, carrier, **columns) -> pd.DataFrame:
        f = pd.DataFrame(columns, index=ds.indexes[component])
        f.insert(0, "carrier", np.asarray(carrier).astype(str))
        f.insert(0, by, np.asarray(groups).astype(str))
        f.insert(0, "component", component)
        return f

    gen_p = (ds["generator_p"] * w).sum("snapshot").to_series()
    avail = (ds["generator_p_max_pu"] * ds["generator_p_nom_opt"] * w).sum("snapshot").to_series()
    renewable = ds["generator_carrier"].isin(sorted(carriers)).to_series()
    frames.append(
        frame(
            "generator",
            [group_of_bus[b] for b in ds["generator_bus"].values.tolist()],
            ds["generator_carrier"].values,
            capacity=ds["generator_p_nom_opt"].to_series(),
            existing=_existing(ds, "generator"),
            energy=gen_p,
            throughput=gen_p,
            curtailment=(avail - gen_p).clip(lower=0).where(renewable, 0.0),
            emissions=ds["generator_emissions"].to_series(),
            capital=ds["generator_capital_cost"].to_series(),
            operating=ds["generator_operating_cost"].to_series(),
            carbon=ds["generator_carbon_cost"].to_series(),
            revenue=(ds["generator_p"] * _priced(ds, "generator_bus") * w)
            .sum("snapshot")
            .to_series(),
        )
    )
    dispatch = (ds["storage_p_dispatch"] * w).sum("snapshot").to_series()
    net = ds["storage_p_dispatch"] - ds["storage_p_store"]
    frames.append(
        frame(
            "storage",
            [group_of_bus[b] for b in ds["storage_bus"].values.tolist()],
            ds["storage_carrier"].values,
            capacity=ds["storage_p_nom_opt"].to_series(),
            existing=_existing(ds, "storage"),
            energy=dispatch,
            throughput=dispatch,
            curtailment=0.0,
            emissions=0.0,
            capital=ds["storage_capital_cost"].to_series(),
            operating=ds["storage_operating_cost"].to_series(),
            carbon=0.0,
            revenue=(net * _priced(ds, "storage_bus") * w).sum("snapshot").to_series(),
        )
    )
    g0 = [group_of_bus[b] for b in ds["link_bus0"].values.tolist()]
    g1 = [group_of_bus[b] for b in ds["link_bus1"].values.tolist()]
    p0, p1 = ds["link_p0"], ds["link_p1"]
    arrivals = ((p1.clip(min=0) - p0.clip(max=0)) * w).sum("snapshot").to_series()
    flow = ((p0.clip(min=0) - p1.clip(max=0)) * w).sum("snapshot").to_series()
    frames.append(
        frame(
            "link",
            [a if a == b else f"{a}-{b}" for a, b in zip(g0, g1, strict=True)],
            ds["link_carrier"].values,
            capacity=ds["link_p_nom_opt"].to_series(),
            existing=_existing(ds, "link"),
            energy=arrivals,
            throughput=flow,
            curtailment=0.0,
            emissions=0.0,
            capital=ds["link_capital_cost"].to_series(),
            operating=ds["link_operating_cost"].to_series(),
            carbon=0.0,
            revenue=link_rent(ds).to_series(),
        )
    )
    table = pd.concat(frames).groupby(["component", by, "carrier"], sort=False).sum(min_count=1)
    capacity = table["capacity"].where(np.isfinite(table["capacity"]))
    out = pd.DataFrame(index=table.index)
    out["capacity [MW]"] = table["capacity"]
    out["existing capacity [MW]"] = table["existing"]
    out["new capacity [MW]"] = table["capacity"] - table["existing"]
    out["energy [MWh]"] = table["energy"]
    out["capacity factor [-]"] = table["throughput"] / (capacity * hours).replace(0.0, np.nan)
    out["curtailment [MWh]"] = table["curtailment"]
    out["emissions [tCO2]"] = table["emissions"]
    out["capital cost [USD]"] = table["capital"]
    out["operating cost [USD]"] = table["operating"]
    out["carbon cost [USD]"] = table["carbon"]
    out["revenue [USD]"] = table["revenue"]
    out.attrs["status"] = str(ds.attrs.get("status", "unknown"))
    out.attrs["units"] = {c: c[c.rindex("[") + 1 : -1] for c in out.columns}
    return out


register_statistics(statistics)
