"""Many scenarios from one base: grids, the work each case does, the store, orchestration.

:mod:`~jkenergy.sweeps.grid` parses and validates a grid of overrides;
:mod:`~jkenergy.sweeps.worker` is what a worker runs for one case;
:mod:`~jkenergy.sweeps.store` writes and reads the on-disk store;
:mod:`~jkenergy.sweeps.run` runs a sweep locally or on a Dask cluster;
:mod:`~jkenergy.sweeps.ranges` summarises a finished sweep as ranges over weather draws.
"""

from .ranges import *  # noqa: F403 (the public names of ranges: ranges.__all__)
from .ranges import __all__ as _ranges_all
from .run import *  # noqa: F403 (the public names of run, one list: run.__all__)
from .run import __all__ as _run_all

__all__ = [*_run_all, *_ranges_all]
