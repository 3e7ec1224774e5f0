"""Many scenarios from one base: grids, the work each case does, the store, orchestration.

:mod:`~jkenergy.sweeps.grid` parses and validates a grid of overrides;
:mod:`~jkenergy.sweeps.worker` is what a worker runs for one case;
:mod:`~jkenergy.sweeps.store` writes and reads the on-disk store;
:mod:`~jkenergy.sweeps.run` runs a sweep locally or on a Dask cluster.
"""

from .run import *  # noqa: F403 (the public names of run, one list: run.__all__)
from .run import __all__  # noqa: F401
