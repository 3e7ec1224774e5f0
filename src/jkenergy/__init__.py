"""jkenergy: what Japan–Korea cooperation in electricity and hydrogen is worth.

A generic energy-network LP (Pyomo, solved in memory by HiGHS, results as xarray) and a
Japan–Korea layer of sourced data, hourly profiles and scenarios on top of it.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from . import aggregation, analysis, solve
from . import aggregation as timeseries  # the name used before 0.2
from .aggregation import aggregate_buses
from .components import COMPONENT_ATTRIBUTES, attribute_table
from .costs import annualised_capital_cost, annuity
from .errors import (
    ArgumentError,
    ComponentError,
    DataError,
    DuplicateComponentError,
    InfeasibleError,
    JkEnergyError,
    ScenarioError,
    SolverError,
    SweepError,
    UnboundedError,
    UnknownComponentError,
)
from .network import Network
from .results import Result, open_results
from .scenario import Scenario, load_scenario
from .solve import ALGORITHMS, optimize
from .study import datasets, japan_korea, profiles

try:
    __version__ = version("jkenergy")
except PackageNotFoundError:  # pragma: no cover - running from a source tree not installed
    __version__ = "0+unknown"

_LAZY = {
    "plot": ("jkenergy.plot", None),
    "sweeps": ("jkenergy.sweeps", None),
    "sweep": ("jkenergy.sweeps", "sweep"),
    "open_sweep": ("jkenergy.sweeps", "open_sweep"),
    "from_pypsa": ("jkenergy.pypsa_io", "from_pypsa"),
    "to_pypsa": ("jkenergy.pypsa_io", "to_pypsa"),
}
"""Attributes imported on first use, so ``import jkenergy`` loads neither matplotlib nor the
sweep machinery (dask) nor PyPSA until they are asked for."""


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'jkenergy' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = import_module(module)
    if attribute is not None:
        value = getattr(value, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ALGORITHMS",
    "COMPONENT_ATTRIBUTES",
    "ArgumentError",
    "ComponentError",
    "DataError",
    "DuplicateComponentError",
    "InfeasibleError",
    "JkEnergyError",
    "Network",
    "Result",
    "Scenario",
    "ScenarioError",
    "SolverError",
    "SweepError",
    "UnboundedError",
    "UnknownComponentError",
    "__version__",
    "aggregate_buses",
    "aggregation",
    "analysis",
    "annualised_capital_cost",
    "annuity",
    "attribute_table",
    "datasets",
    "from_pypsa",
    "japan_korea",
    "load_scenario",
    "open_results",
    "open_sweep",
    "optimize",
    "plot",
    "profiles",
    "solve",
    "sweep",
    "timeseries",
    "to_pypsa",
]
