"""jkenergy: what Japan–Korea cooperation in electricity and hydrogen is worth.

A generic energy-network LP (Pyomo, solved in memory by HiGHS, results as xarray) and a
Japan–Korea layer of sourced data, hourly profiles and scenarios on top of it.
"""

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
from .sweeps import open_sweep, sweep

__version__ = "0.1.0"

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
    "japan_korea",
    "load_scenario",
    "open_results",
    "open_sweep",
    "optimize",
    "profiles",
    "solve",
    "sweep",
    "timeseries",
]
