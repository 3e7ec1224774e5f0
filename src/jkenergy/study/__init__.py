"""The Japan–Korea study: bundled, sourced data, hourly profiles and the network builder.

Imports only the generic core (network, specs, costs, errors): nothing here knows about
solvers, scenarios or sweeps.
"""

from . import datasets, profiles
from .builder import japan_korea

__all__ = ["datasets", "japan_korea", "profiles"]
