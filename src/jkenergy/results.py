"""Solution and duals -> one labelled :class:`xarray.Dataset` with units; NetCDF round-trip.

Variables are named ``<component>_<quantity>`` with dims named after the component
(``generator``, ``storage``, ``link``, ``bus``, ``load``, ``snapshot``) and ``units`` /
``long_name`` attributes; component metadata (bus, carrier, country) are coordinates.

The typed outcomes a result carries live here too: :class:`TerminationCondition` (why
the solver stopped), :class:`SolutionStatus` (what the solution vector is),
:class:`Status` (the verdict) and :class:`SolveStats` (seconds per stage, LP size);
:mod:`jkenergy.solve.outcome` reads HiGHS's answer into them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

import numpy as np
import pandas as pd
import xarray as xr

from .errors import DataError, SolverError
from .files import atomic_file
from .model.inputs import CO2, COST, MONEY, POWER, ModelInputs


# --- typed outcomes a result carries (set by jkenergy.solve.outcome) -------------------
class TerminationCondition(StrEnum):
    """Why HiGHS stopped."""

    OPTIMAL = "optimal"
    """Optimal, and (for a solution without a vertex) verified to the requested tolerances."""
    UNVERIFIED = "unverified"
    """HiGHS claimed optimality, but the solution fails the tolerances it was asked for."""
    TIME_LIMIT = "time_limit"
    ITERATION_LIMIT = "iteration_limit"
    OBJECTIVE_LIMIT = "objective_limit"
    INFEASIBLE = "infeasible"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    UNBOUNDED = "unbounded"
    INTERRUPTED = "interrupted"
    ERROR = "error"
    UNKNOWN = "unknown"


class SolutionStatus(StrEnum):
    """What the solution vector HiGHS left is."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    """Primal feasible (within tolerance), optimality not proven."""
    INFEASIBLE = "infeasible"
    """A point that violates some row or bound by more than the tolerance."""
    NONE = "none"
    """No solution."""


class Status(StrEnum):
    """The verdict of a result: ``ok`` only for a verified optimum, else ``warning``."""

    OK = "ok"
    WARNING = "warning"


@dataclass(frozen=True)
class SolveStats:
    """Seconds per stage and the LP's size.

    ``build_s`` builds the Pyomo model (or, for an in-place update, rebuilds and compares
    it), ``handover_s`` compiles it and passes it to HiGHS, ``solve_s`` is HiGHS,
    ``extraction_s`` reads the solution back into the result's dataset.
    """

    build_s: float = 0.0
    handover_s: float = 0.0
    solve_s: float = 0.0
    extraction_s: float = 0.0
    rows: int = 0
    columns: int = 0

    def as_dict(self) -> dict[str, float]:
        """As ``jkenergy.results.Result.stats`` holds them (floats).

        Examples
        --------
        >>> SolveStats(build_s=1.5, rows=3, columns=2).as_dict()["rows"]
        3.0
        """
        return {k: float(v) for k, v in asdict(self).items()}


if TYPE_CHECKING:
    import pandas as pd
    import pyomo.environ as pyo

    from .network import Network

_NETCDF_ENGINE: Final = "h5netcdf"


class Solution(Protocol):
    """Bulk access to a solved LP's primal values and duals, by Pyomo component.

    Implemented by the solve path (:class:`jkenergy.solve.handover.Solution`); results only
    read through this interface.
    """

    def values(self, var: pyo.Var, shape: tuple[int, ...]) -> np.ndarray:
        """Values of an indexed variable as an array of ``shape``."""
        ...

    def duals(self, con: pyo.Constraint, shape: tuple[int, ...]) -> np.ndarray:
        """Duals of an indexed constraint as an array of ``shape`` (NaN where no row)."""
        ...


_STATS = ("build_s", "handover_s", "solve_s", "extraction_s", "rows", "columns")

PROVENANCE: dict[str, str] = {
    "scenario_name": "scenario",
    "scenario_sha256": "scenario hash",
    "jkenergy_version": "jkenergy version",
    "data_sha256": "data set hash",
    "time_resolution": "time resolution",
    "time_representation": "representative periods drawn as",
    "solver": "solver",
    "algorithm": "algorithm",
    "status": "status",
    "termination_condition": "termination condition",
    "objective": "objective [USD]",
}
"""Dataset attributes that say what produced a result, with what :func:`provenance` calls
them. The solve writes the solver's, :func:`build_dataset` the version and time resolution;
the scenario's and the data set's are written by the command line (``jkenergy run``)."""

_STATISTICS: Callable[..., pd.DataFrame] | None = None


def register_statistics(statistics: Callable[..., pd.DataFrame]) -> None:
    """Make ``statistics(dataset, **options)`` what :meth:`Result.statistics` calls.

    :mod:`jkenergy.analysis` registers :func:`jkenergy.analysis.statistics` on import (the
    results layer does not import the analysis above it).

    Examples
    --------
    >>> import jkenergy as jk
    >>> from jkenergy import results
    >>> results._STATISTICS is jk.analysis.statistics
    True
    """
    global _STATISTICS
    _STATISTICS = statistics


def _jkenergy_version() -> str:
    try:
        return version("jkenergy")
    except PackageNotFoundError:  # pragma: no cover - a source tree that is not installed
        return "0+unknown"


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

    def statistics(self, **options: Any) -> pd.DataFrame:
        """Capacity, energy, costs and revenue by component, country and carrier.

        See :func:`jkenergy.analysis.statistics` (``options`` are passed on).

        Raises
        ------
        SolverError
            If the result holds no solution.

        Examples
        --------
        >>> import pandas as pd, jkenergy as jk
        >>> n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
        >>> n.add_bus("JP", country="JP"); n.add_load("d", bus="JP", p=[5.0, 10.0])
        >>> n.add_generator("coal", bus="JP", carrier="coal", p_nom=20.0, marginal_cost=30.0)
        >>> coal = n.optimize().statistics().loc[("generator", "JP", "coal")]
        >>> coal[["energy [MWh]", "operating cost [USD]"]].tolist()
        [15.0, 450.0]
        """
        if self.dataset is None:
            raise SolverError(
                f"result: no solution to summarise (termination: {self.termination_condition})"
            )
        if _STATISTICS is None:
            raise RuntimeError("no statistics registered: import jkenergy (or jkenergy.analysis)")
        return _STATISTICS(self.dataset, **options)

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
    gen_nom[list(m.gen_cap)] = sol.values(m.gen_p_nom, (G,))[list(m.gen_cap)] / POWER
    gen_kept, gen_new = _kept_and_new(x, m, sol, gen_nom)
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
            "generator_p_nom_existing": _var(
                "generator", g["p_nom"], "MW", "existing capacity (p_nom as given)"
            ),
            "generator_p_max_pu": _var(
                ("generator", "snapshot"), x.generators.series["p_max_pu"], "p.u.",
                "available output per unit of capacity",
            ),
            "generator_emissions": _var(
                "generator", emissions, "tCO2", "emissions over the horizon"
            ),
            "generator_p_nom_retired": _var(
                "generator", g["p_nom"] - gen_kept, "MW", "existing capacity retired"
            ),
            "generator_p_nom_new": _var("generator", gen_new, "MW", "new capacity built"),
            "generator_capital_cost": _var(
                "generator", g["capital_cost"] * gen_new, "USD", "annualised cost of new capacity"
            ),
            "generator_fixed_cost": _var(
                "generator", g["fixed_cost"] * gen_kept, "USD",
                "fixed O&M of existing capacity kept",
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
            "storage_p_nom_existing": _var(
                "storage", s["p_nom"], "MW", "existing power capacity (p_nom as given)"
            ),
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
            "link_p_nom_existing": _var(
                "link", k["p_nom"], "MW", "existing capacity at bus0 (p_nom as given)"
            ),
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
    ds = _add_adequacy(ds, x, m, sol, gen_nom, sto_p_nom, sto_e_nom, link_nom)
    if x.periods is not None:
        ds = _add_periods(ds, x, m, sol)
    ds.attrs.update(jkenergy_version=_jkenergy_version(), **time_resolution(x))
    ds.attrs["objective"] = float(objective)
    ds.attrs["objective_units"] = "USD"
    return ds


def _kept_and_new(
    x: ModelInputs, m: pyo.ConcreteModel, sol: Solution, total: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Existing capacity kept and new capacity built per generator (MW)."""
    g = x.generators.static
    ext, ret = g["p_nom_extendable"].astype(bool), g["retirable"].astype(bool)
    new = np.where(ext & ~ret, total - g["p_nom"], 0.0)
    kept = np.where(ret & ~ext, total, g["p_nom"])
    both = list(m.gen_renew)
    if both:
        built = sol.values(m.gen_p_new, (len(x.generators),)) / POWER
        new[both] = built[both]
        kept[both] = total[both] - built[both]
    return kept, new


def _add_adequacy(
    ds: xr.Dataset,
    x: ModelInputs,
    m: pyo.ConcreteModel,
    sol: Solution,
    gen_nom: np.ndarray,
    sto_p_nom: np.ndarray,
    sto_e_nom: np.ndarray,
    link_nom: np.ndarray,
) -> xr.Dataset:
    """Reserve margins: capacity prices, firm capacity, and who earns or pays them.

    ``reserve_margin_hourly_price`` is the dual of each snapshot's row (0 where the
    snapshot has none), ``reserve_margin_price`` their sum (USD/MW/yr when the weights sum
    to a year). Revenues and payments value firm capacity at these prices: generators and
    storage earn price x firm capacity, loads pay price x (1 + margin) x demand, links earn
    price x the firm capacity they bring into each group net of what they take out of the
    sender's (``link_adequacy_value``).
    """
    p = m.rm_plan
    R, T = len(p.names), x.n_snapshots
    G, S, L, D = len(x.generators), len(x.storage), len(x.links), len(x.loads)
    price = np.nan_to_num(sol.duals(m.rm_firm, (R, T))) / COST
    fwd = sol.values(m.rm_link_fwd, (L, T)) / POWER
    bwd = sol.values(m.rm_link_bwd, (L, T)) / POWER
    eta = x.links.static["efficiency"]
    firm = np.zeros((R, T))
    imports = np.zeros((R, T))
    gen_rev, sto_rev, link_val, load_pay = np.zeros(G), np.zeros(S), np.zeros(L), np.zeros(D)
    sto_firm_var = sol.values(m.rm_sto_firm, (R, S)) / POWER
    hours = p.storage_hours
    s = x.storage.static
    load_bus = x.loads.static["bus"]
    for r in range(R):
        for i in p.gens[r]:
            firm_i = p.gen_credit[i] * gen_nom[i]
            firm[r] += firm_i
            gen_rev[i] += price[r] @ firm_i
        sto_firm = {i: f * sto_p_nom[i] for i, f in p.sto_factor[r].items()}
        for i in np.flatnonzero(p.member[r][s["bus"]]).tolist():
            if (r, i) in set(p.sto_var):
                sto_firm[i] = sto_firm_var[r, i]
            elif i not in sto_firm and np.isnan(s["capacity_credit"][i]):
                sto_firm[i] = min(sto_p_nom[i], sto_e_nom[i] / hours[r])
        for i, f in sto_firm.items():
            firm[r] += f
            sto_rev[i] += price[r].sum() * f
        for i, way in p.imports[r]:
            z = eta[i] * (fwd[i] if way == "fwd" else bwd[i])
            imports[r] += z
            link_val[i] += price[r] @ z
        for i, way in p.exports[r]:
            z = fwd[i] if way == "fwd" else bwd[i]
            imports[r] -= z
            link_val[i] -= price[r] @ z
        for d in np.flatnonzero(p.member[r][load_bus]).tolist():
            load_pay[d] += (1.0 + p.margin[r]) * (price[r] @ x.loads.series["p"][d])
    peak = p.demand.max(axis=1, initial=0.0) / POWER if R else np.zeros(0)
    countries = [",".join(c) for c in x.reserve_margins["countries"]]
    ds = ds.assign_coords(
        reserve_margin=np.array(p.names, dtype=str),
        reserve_margin_countries=("reserve_margin", np.array(countries, dtype=str)),
    )
    variables = {
        "reserve_margin_price": _var(
            "reserve_margin", price.sum(axis=1), "USD/MW/yr",
            "capacity price: dual of the reserve margin summed over snapshots",
        ),
        "reserve_margin_hourly_price": _var(
            ("reserve_margin", "snapshot"), price, "USD/MW/yr",
            "dual of the reserve margin in each snapshot (0 where it has no row)",
        ),
        "reserve_margin_margin": _var("reserve_margin", p.margin, "p.u.", "margin above peak"),
        "reserve_margin_requirement": _var(
            "reserve_margin", (1.0 + p.margin) * peak, "MW", "(1 + margin) x peak demand"
        ),
        "reserve_margin_firm_capacity": _var(
            ("reserve_margin", "snapshot"), firm, "MW",
            "firm capacity of the group's own generators and storage",
        ),
        "reserve_margin_firm_import": _var(
            ("reserve_margin", "snapshot"), imports, "MW",
            "firm capacity links bring into the group, net of what they take out",
        ),
        "link_firm_p0": _var(
            ("link", "snapshot"), fwd - bwd, "MW",
            "firm capacity sent from bus0 to bus1 (negative: from bus1), at the sending end",
        ),
        "generator_adequacy_revenue": _var(
            "generator", gen_rev, "USD", "capacity prices x firm capacity"
        ),
        "storage_adequacy_revenue": _var(
            "storage", sto_rev, "USD", "capacity prices x firm capacity"
        ),
        "link_adequacy_value": _var(
            "link", link_val, "USD",
            "capacity prices x firm capacity brought into each group, net of what it takes out",
        ),
        "load_adequacy_payment": _var(
            "load", load_pay, "USD", "capacity prices x (1 + margin) x demand"
        ),
    }  # fmt: skip
    return ds.assign(variables)


def time_resolution(x: ModelInputs) -> dict[str, Any]:
    """How the snapshots stand for time, as dataset attributes (``time_*``).

    ``time_resolution`` says it in words; ``time_snapshots``, ``time_hours`` (the hours the
    snapshots stand for, the sum of the weights) and, on representative periods,
    ``time_representative_periods``, ``time_period_hours`` and ``time_periods`` (original
    periods represented) give the numbers.

    Examples
    --------
    >>> import pandas as pd, jkenergy as jk
    >>> from jkenergy.model import prepare
    >>> n = jk.Network(pd.date_range("2030", periods=4, freq="3h"), weights=3.0)
    >>> n.add_bus("JP")
    >>> time_resolution(prepare(n))["time_resolution"]
    '4 snapshots of 3 h standing for 12 h'
    """
    per = x.periods
    hours = float(np.sum(x.weights))
    attrs: dict[str, Any] = {
        "time_snapshots": int(x.n_snapshots),
        "time_hours": hours,
    }
    if per is None:
        step = float(np.median(x.weights))
        attrs["time_resolution"] = (
            f"{x.n_snapshots} snapshots of {step:g} h standing for {hours:g} h"
        )
        return attrs
    period_hours = float(per.hours[0])
    attrs.update(
        time_representative_periods=int(per.n_typical),
        time_period_hours=period_hours,
        time_periods=len(per.sequence),
    )
    linked = "storage linked across periods" if per.linked else "each period cyclic"
    attrs["time_resolution"] = (
        f"{per.n_typical} representative periods of {period_hours:g} h standing for "
        f"{len(per.sequence)} periods ({hours:g} h; {linked})"
    )
    return attrs


def provenance(ds: xr.Dataset) -> dict[str, Any]:
    """What produced a result: the :data:`PROVENANCE` attributes it holds, by their names.

    Examples
    --------
    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=3, freq="h"))
    >>> n.add_bus("JP"); n.add_load("d", bus="JP", p=1.0); n.add_generator("g", bus="JP", p_nom=2.0)
    >>> info = provenance(n.optimize().dataset)
    >>> info["time resolution"], info["status"]
    ('3 snapshots of 1 h standing for 3 h', 'ok')
    """
    return {label: ds.attrs[key] for key, label in PROVENANCE.items() if key in ds.attrs}


def _hours_into_period(x: ModelInputs) -> np.ndarray:
    """Hours from the start of its period to the end of each snapshot."""
    per = x.periods
    assert per is not None  # only called with representative periods
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
    assert per is not None  # only called with representative periods
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


_TIMEZONE_ATTR = "timezone"
"""Attribute of a datetime variable that was time-zone aware: NetCDF stores it in UTC."""


def _to_utc(ds: xr.Dataset) -> xr.Dataset:
    """Time-zone-aware datetimes (which NetCDF cannot hold) -> UTC, zone kept in an attr."""
    aware = [k for k, v in ds.variables.items() if isinstance(v.dtype, pd.DatetimeTZDtype)]
    if not aware:
        return ds
    for name in aware:
        var = ds.variables[name]
        if var.ndim != 1:
            raise DataError(f"write_netcdf: {name}: time-zone-aware datetimes must be 1-D")
        values = pd.DatetimeIndex(var.data)
        naive = values.tz_convert("UTC").tz_localize(None)
        attrs = {**var.attrs, _TIMEZONE_ATTR: str(values.tz)}
        if name in ds.coords:
            ds = ds.assign_coords({name: (var.dims, naive, attrs)})
        else:
            ds = ds.assign({name: (var.dims, naive, attrs)})
    return ds


def _from_utc(ds: xr.Dataset) -> xr.Dataset:
    """Undo :func:`_to_utc`: datetimes with a ``timezone`` attr back in their zone."""
    for name, var in list(ds.variables.items()):
        zone = var.attrs.get(_TIMEZONE_ATTR)
        if zone is None or var.ndim != 1:
            continue
        attrs = {k: v for k, v in var.attrs.items() if k != _TIMEZONE_ATTR}
        values = pd.DatetimeIndex(var.values).tz_localize("UTC").tz_convert(zone)
        if name in ds.coords:
            ds = ds.assign_coords({name: (var.dims, values, attrs)})
        else:
            ds = ds.assign({name: (var.dims, values, attrs)})
    return ds


def write_netcdf(ds: xr.Dataset, path: str | PathLike) -> None:
    """Write a result dataset to NetCDF (h5netcdf) atomically, creating parent folders.

    The file is written beside ``path`` and moved into place when complete
    (:func:`jkenergy.files.atomic_file`): an interrupted write leaves an earlier file at
    ``path`` intact. Time-zone-aware snapshots are stored in UTC with their zone in the
    ``timezone`` attribute; :func:`open_results` restores them.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ds = _to_utc(ds)
    with atomic_file(path) as tmp:
        ds.to_netcdf(tmp, engine=_NETCDF_ENGINE)


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
        Naming the file, if it is missing, is not NetCDF, is damaged (empty, truncated,
        corrupt) or is not a jkenergy result.
    """
    if not Path(path).is_file():
        raise DataError(f"open_results: {path} not found")
    try:
        ds = xr.load_dataset(path, engine=_NETCDF_ENGINE)
    except Exception as err:  # h5py/HDF5 raise OSError, RuntimeError, ... on damaged files
        reason = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
        raise DataError(
            f"open_results: {path} is not a readable NetCDF file (empty, truncated or "
            f"damaged?): {reason}"
        ) from None
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
        dataset=_from_utc(ds),
        stats=stats,
    )
