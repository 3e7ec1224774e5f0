"""jkenergy: what Japan–Korea cooperation in electricity and hydrogen is worth.

A generic energy-network LP (Pyomo, solved in memory by HiGHS, results as xarray) and a
Japan–Korea layer of sourced data, hourly profiles and scenarios on top of it.
"""

from . import analysis, datasets, profiles, timeseries
from .components import COMPONENT_ATTRIBUTES, attribute_table
from .costs import annualised_capital_cost, annuity
from .errors import (
    ComponentError,
    DataError,
    DuplicateComponentError,
    InfeasibleError,
    JkEnergyError,
    SolverError,
    UnboundedError,
    UnknownComponentError,
)
from .japan_korea import japan_korea
from .network import Network
from .results import open_results
from .scenario import Scenario, ScenarioError, load_scenario
from .solve import ALGORITHMS, Result, optimize
from .sweep import open_sweep, sweep

__version__ = "0.1.0"

__all__ = [
    "ALGORITHMS",
    "COMPONENT_ATTRIBUTES",
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
    "UnboundedError",
    "UnknownComponentError",
    "__version__",
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
    "sweep",
    "timeseries",
]
