"""Solution and duals -> one labelled :class:`xarray.Dataset` with units; NetCDF round-trip.

Variables are named ``<component>_<quantity>`` with dims named after the component
(``generator``, ``storage``, ``link``, ``bus``, ``load``, ``snapshot``) and ``units`` /
``long_name`` attributes; component metadata (bus, carrier, country) are coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import xarray as xr

from .errors import DataError, SolverError
from .model.inputs import CO2, COST, MONEY, POWER, ModelInputs

if TYPE_CHECKING:
    import pyomo.environ as pyo

    from .network import Network

_NETCDF_ENGINE = "h5netcdf"


class Solution(Protocol):
    """Bulk access to a solved LP's primal values and duals, by Pyomo component.

    Implemented by the solve path (:class:`jkenergy.solve.highs.Solution`); results only
    read through this interface.
    """

    def values(self, var: pyo.Var, shape: tuple[int, ...]) -> np.ndarray:
        """Values of an indexed variable as an array of ``shape``."""
        ...

    def duals(self, con: pyo.Constraint, shape: tuple[int, ...]) -> np.ndarray:
        """Duals of an indexed constraint as an array of ``shape`` (NaN where no row)."""
        ...


_STATS = ("build_s", "handover_s", "solve_s", "extraction_s", "rows", "columns")


@dataclass
class Result:
    """Outcome of one optimisation.

    Attributes
    ----------
    status : {"ok", "warning"}
        ``"ok"`` if the solve ended optimal, ``"warning"`` otherwise (for example a time
        limit was reached; the dataset then holds the best solution found, if any).
    termination_condition : str
        ``"optimal"``, ``"time_limit"``, ``"iteration_limit"``, ...
    objective : float
        Total system cost in USD (NaN if no solution is available).
    dataset : xarray.Dataset or None
        Results, named as in DESIGN.md (``generator_p``, ``bus_price``, ...), with units.
    stats : dict
        ``build_s``, ``handover_s``, ``solve_s``, ``extraction_s`` (seconds), ``rows``,
        ``columns`` of the LP.
    """

    status: str
    termination_condition: str
    objective: float
    dataset: xr.Dataset | None
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def is_optimal(self) -> bool:
        """True if HiGHS proved optimality."""
        return self.termination_condition == "optimal"

    def to_netcdf(self, path: str | PathLike) -> None:
        """Write the dataset (with status, objective and stats as attributes) to NetCDF.

        Raises
        ------
        SolverError
            If the result holds no solution to write.
        """
        if self.dataset is None:
            raise SolverError(
                f"result: no solution to write (termination: {self.termination_condition})"
            )
        write_netcdf(self.dataset, path)

    def __repr__(self) -> str:
        return (
            f"Result(status={self.status!r}, termination_condition="
            f"{self.termination_condition!r}, objective={self.objective:.6g} USD)"
        )


def _var(dims, data, units: str, long_name: str) -> xr.Variable:
    values = np.asarray(data, dtype=float) + 0.0  # + 0.0 turns solver -0.0 into 0.0
    return xr.Variable(dims, values, {"units": units, "long_name": long_name})


def _new_capacity_cost(
    capital_cost: np.ndarray, optimal: np.ndarray, existing: np.ndarray, extendable: np.ndarray
) -> np.ndarray:
    """Capital cost of capacity added above the existing one (zero where not extendable)."""
    extendable = extendable.astype(bool)
    out = np.zeros(len(capital_cost))
    out[extendable] = capital_cost[extendable] * (optimal[extendable] - existing[extendable])
    return out


def _countries(x: ModelInputs) -> list[str]:
    """The countries of the buses, sorted: the dataset's ``country`` dimension."""
    return sorted({str(c) for c in x.buses.static["country"] if c})


def _allocation(x: ModelInputs) -> np.ndarray:
    """Permit allocation per CO2 limit and country (NaN where none is given)."""
    countries = _countries(x)
    out = np.full((len(x.co2_limits), len(countries)), np.nan)
    for i, shares in enumerate(x.co2_limits["allocation"]):
        for c, amount in (shares or {}).items():
            out[i, countries.index(c)] = amount
    return out


def _carbon_prices(network: Network, x: ModelInputs) -> np.ndarray:
    """Carbon price set per country (``Network.set_carbon_price``), 0 where none is set."""
    return np.array([network.carbon_prices.get(c, 0.0) for c in _countries(x)], dtype=float)


def _coords(network: Network, x: ModelInputs) -> dict[str, tuple]:
    bus_country = dict(zip(x.buses.names, x.buses.static["country"], strict=True))
    gens, sto, links = network.generators, network.storage, network.links
    return {
        "snapshot": x.snapshots,
        "bus": np.array(x.buses.names, dtype=str),
        "bus_carrier": ("bus", x.buses.static["carrier"].astype(str)),
        "bus_country": ("bus", x.buses.static["country"].astype(str)),
        "load": np.array(x.loads.names, dtype=str),
        "load_bus": ("load", network.loads["bus"].to_numpy(dtype=str)),
        "generator": np.array(x.generators.names, dtype=str),
        "generator_bus": ("generator", gens["bus"].to_numpy(dtype=str)),
        "generator_carrier": ("generator", gens["carrier"].to_numpy(dtype=str)),
        "generator_country": ("generator", x.generators.static["country"].astype(str)),
        "storage": np.array(x.storage.names, dtype=str),
        "storage_bus": ("storage", sto["bus"].to_numpy(dtype=str)),
        "storage_carrier": ("storage", sto["carrier"].to_numpy(dtype=str)),
        "storage_country": ("storage", np.array([bus_country[b] for b in sto["bus"]], dtype=str)),
        "link": np.array(x.links.names, dtype=str),
        "link_bus0": ("link", links["bus0"].to_numpy(dtype=str)),
        "link_bus1": ("link", links["bus1"].to_numpy(dtype=str)),
        "link_carrier": ("link", links["carrier"].to_numpy(dtype=str)),
        "co2_limit": np.array(list(x.co2_limits.index), dtype=str),
        "country": np.array(_countries(x), dtype=str),
        "co2_limit_countries": (
            "co2_limit",
            np.array([",".join(c) for c in x.co2_limits["countries"]], dtype=str),
        ),
        "renewable_share": np.array(list(x.renewable_shares.index), dtype=str),
    }


def build_dataset(
    network: Network, x: ModelInputs, m: pyo.ConcreteModel, sol: Solution, objective: float
) -> xr.Dataset:
    """Read the solved model into a dataset in user units (MW, MWh, USD, tCO2).

    ``objective`` is HiGHS's objective value in USD. Prices are balance duals divided by
    the snapshot weight (USD/MWh); the CO2 price is the dual of the CO2 limit (USD/tCO2,
    >= 0).
    """
    T, w = x.n_snapshots, x.weights
    G, S, L, B = len(x.generators), len(x.storage), len(x.links), len(x.buses)
    g, s, k = x.generators.static, x.storage.static, x.links.static

    gen_p = sol.values(m.gen_p, (G, T)) / POWER
    gen_nom = g["p_nom"].copy()
    gen_nom[list(m.gen_ext)] = sol.values(m.gen_p_nom, (G,))[list(m.gen_ext)] / POWER
    gen_energy = gen_p @ w  # MWh over the horizon, per generator

    sto_in = sol.values(m.sto_p_store, (S, T)) / POWER
    sto_out = sol.values(m.sto_p_dispatch, (S, T)) / POWER
    sto_p_nom = s["p_nom"].copy()
    sto_p_nom[list(m.sto_p_ext)] = sol.values(m.sto_p_nom, (S,))[list(m.sto_p_ext)] / POWER
    tied = ~np.isnan(s["max_hours"])
    sto_e_nom = s["e_nom"].copy()
    sto_e_nom[tied] = s["max_hours"][tied] * sto_p_nom[tied]
    sto_e_nom[list(m.sto_e_ext)] = sol.values(m.sto_e_nom, (S,))[list(m.sto_e_ext)] / POWER

    fwd = sol.values(m.link_p_fwd, (L, T)) / POWER
    bwd = sol.values(m.link_p_bwd, (L, T)) / POWER
    eta = k["efficiency"][:, None]
    link_nom = k["p_nom"].copy()
    link_nom[list(m.link_ext)] = sol.values(m.link_p_nom, (L,))[list(m.link_ext)] / POWER

    unserved = sol.values(m.unserved, (B, T)) / POWER
    price = sol.duals(m.balance, (B, T)) / (COST * w)
    co2_price = -sol.duals(m.co2_cap, (len(x.co2_limits),)) * CO2 / MONEY
    res_price = sol.duals(m.res_share, (len(x.renewable_shares),)) / COST

    emissions = g["co2_intensity"] * gen_energy
    group_emissions = [
        float(emissions[np.isin(g["country"], list(c))].sum()) for c in x.co2_limits["countries"]
    ]
    voll = np.nan_to_num(x.buses.static["voll"])
    ds = xr.Dataset(
        {
            "snapshot_weight": _var("snapshot", w, "h", "hours each snapshot stands for"),
            "snapshot_duration": _var(
                "snapshot", x.durations, "h", "hours each snapshot lasts (storage time step)"
            ),
            "load_p": _var(("load", "snapshot"), x.loads.series["p"], "MW", "demand"),
            "generator_p": _var(("generator", "snapshot"), gen_p, "MW", "generator output"),
            "generator_p_nom_opt": _var("generator", gen_nom, "MW", "optimal capacity"),
            "generator_p_max_pu": _var(
                ("generator", "snapshot"), x.generators.series["p_max_pu"], "p.u.",
                "available output per unit of capacity",
            ),
            "generator_emissions": _var(
                "generator", emissions, "tCO2", "emissions over the horizon"
            ),
            "generator_capital_cost": _var(
                "generator",
                _new_capacity_cost(g["capital_cost"], gen_nom, g["p_nom"], g["p_nom_extendable"]),
                "USD",
                "annualised cost of new capacity",
            ),
            "generator_operating_cost": _var(
                "generator", (x.generators.series["marginal_cost"] * gen_p) @ w, "USD",
                "marginal cost x output, weighted",
            ),
            "generator_carbon_cost": _var(
                "generator", g["carbon_cost"] * gen_energy, "USD", "carbon price x emissions"
            ),
            "storage_p_store": _var(("storage", "snapshot"), sto_in, "MW", "charging power"),
            "storage_p_dispatch": _var(("storage", "snapshot"), sto_out, "MW", "discharging power"),
            "storage_e": _var(
                ("storage", "snapshot"), _state_of_charge(x, m, sol), "MWh",
                "state of charge at the end of the snapshot",
            ),
            "storage_p_nom_opt": _var("storage", sto_p_nom, "MW", "optimal power capacity"),
            "storage_e_nom_opt": _var("storage", sto_e_nom, "MWh", "optimal energy capacity"),
            "storage_capital_cost": _var(
                "storage",
                _new_capacity_cost(s["capital_cost"], sto_p_nom, s["p_nom"], s["p_nom_extendable"])
                + _new_capacity_cost(
                    s["capital_cost_energy"], sto_e_nom, s["e_nom"], s["e_nom_extendable"] & ~tied
                ),
                "USD", "annualised cost of new power and energy capacity",
            ),
            "storage_operating_cost": _var(
                "storage", s["marginal_cost"] * (sto_out @ w), "USD", "marginal cost x dispatch"
            ),
            "link_p0": _var(
                ("link", "snapshot"), fwd - eta * bwd, "MW", "net power leaving bus0"
            ),
            "link_p1": _var(
                ("link", "snapshot"), eta * fwd - bwd, "MW", "net power arriving at bus1"
            ),
            "link_p_nom_opt": _var("link", link_nom, "MW", "optimal capacity (at bus0)"),
            "link_capital_cost": _var(
                "link",
                _new_capacity_cost(k["capital_cost"], link_nom, k["p_nom"], k["p_nom_extendable"]),
                "USD",
                "annualised cost of new capacity",
            ),
            "link_operating_cost": _var(
                "link", k["marginal_cost"] * ((fwd + bwd) @ w), "USD", "marginal cost x flow"
            ),
            "bus_price": _var(("bus", "snapshot"), price, "USD/MWh", "marginal price"),
            "unserved_energy": _var(("bus", "snapshot"), unserved, "MW", "unserved demand"),
            "bus_unserved_cost": _var(
                "bus", voll * (unserved @ w), "USD", "value of lost load x unserved energy"
            ),
            "co2_price": _var("co2_limit", co2_price, "USD/tCO2", "dual of the CO2 limit"),
            "carbon_price": _var(
                "country", _carbon_prices(network, x), "USD/tCO2",
                "carbon price (tax) set on the country's emissions",
            ),
            "co2_limit_allocation": _var(
                ("co2_limit", "country"), _allocation(x), "tCO2",
                "permits allocated to each country under the limit (NaN: not allocated)",
            ),
            "co2_limit_emissions": _var(
                "co2_limit", group_emissions, "tCO2", "emissions of the countries under the limit"
            ),
            "renewable_share_price": _var(
                "renewable_share", res_price, "USD/MWh", "dual of the renewable share"
            ),
        },
        coords=_coords(network, x),
    )  # fmt: skip
    if x.periods is not None:
        ds = _add_periods(ds, x, m, sol)
    ds.attrs["objective"] = float(objective)
    ds.attrs["objective_units"] = "USD"
    return ds


def _hours_into_period(x: ModelInputs) -> np.ndarray:
    """Hours from the start of its period to the end of each snapshot."""
    per = x.periods
    elapsed = np.cumsum(per.duration)
    start = np.concatenate([[0.0], elapsed])[per.first]
    return elapsed - start[per.snapshot_period]


def _state_of_charge(x: ModelInputs, m: pyo.ConcreteModel, sol: Solution) -> np.ndarray:
    r"""Storage level (MWh) at the end of each snapshot.

    With linked representative periods the model's ``sto_e`` is relative to the start of
    the period; the level reported is that of the original period that labels the typical
    period (its earliest member): :math:`(1-\lambda)^{\tau_t} e^{inter}_{label} + e_t`.
    """
    S, T = len(x.storage), x.n_snapshots
    e = sol.values(m.sto_e, (S, T)) / POWER
    if x.periods is None or not x.periods.linked:
        return e
    per = x.periods
    inter = sol.values(m.sto_e_inter, (S, len(per.sequence))) / POWER
    decay = (1.0 - x.storage.static["standing_loss"][:, None]) ** _hours_into_period(x)
    return decay * inter[:, per.label[per.snapshot_period]] + e


def _add_periods(ds: xr.Dataset, x: ModelInputs, m: pyo.ConcreteModel, sol: Solution) -> xr.Dataset:
    """Representative-period coordinates and the storage level at each period's start."""
    per = x.periods
    ds = ds.assign_coords(
        snapshot_period=("snapshot", per.snapshot_period.astype(int)),
        period=per.starts.rename(None),
        period_typical=("period", per.sequence.astype(int)),
    )
    if per.linked:
        ds["storage_e"].attrs["long_name"] = (
            "state of charge at the end of the snapshot on the original period that labels "
            "its typical period (its earliest member); other periods: storage_e_period_start "
            "plus the same intra-period change"
        )
        inter = sol.values(m.sto_e_inter, (len(x.storage), len(per.sequence))) / POWER
        ds["storage_e_period_start"] = _var(
            ("storage", "period"), inter, "MWh",
            "state of charge at the start of each original period (inter-period level)",
        )  # fmt: skip
    ds.attrs["periods_linked"] = int(per.linked)
    return ds


def write_netcdf(ds: xr.Dataset, path: str | PathLike) -> None:
    """Write a result dataset to NetCDF (h5netcdf), creating parent folders."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.to_netcdf(path, engine=_NETCDF_ENGINE)


def open_results(path: str | PathLike) -> Result:
    """Read a result written by :meth:`Result.to_netcdf`.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    Result
        With the same status, termination condition, objective, stats and dataset.

    Raises
    ------
    DataError
        If the file is not a jkenergy result.
    """
    ds = xr.load_dataset(path, engine=_NETCDF_ENGINE)
    missing = [a for a in ("objective", "status", "termination_condition") if a not in ds.attrs]
    if missing:
        raise DataError(
            f"open_results: {path} is not a jkenergy result (no attribute {missing[0]})"
        )
    stats = {k: float(ds.attrs[f"stats_{k}"]) for k in _STATS if f"stats_{k}" in ds.attrs}
    return Result(
        status=str(ds.attrs["status"]),
        termination_condition=str(ds.attrs["termination_condition"]),
        objective=float(ds.attrs["objective"]),
        dataset=ds,
        stats=stats,
    )
