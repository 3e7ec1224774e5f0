"""Many scenarios from one base: grids, the work each case does, the store, orchestration.

:mod:`~jkenergy.sweeps.grid` parses and validates a grid of overrides;
:mod:`~jkenergy.sweeps.worker` is what a worker runs for one case;
:mod:`~jkenergy.sweeps.store` writes and reads the on-disk store;
:mod:`~jkenergy.sweeps.run` runs a sweep locally or on a Dask cluster.
"""

from .run import (
    EXIT_FAILED_CASES,
    EXIT_INTERRUPTED,
    FAILED_STATUSES,
    OK_STATUSES,
    Case,
    Grid,
    SweepError,
    SweepJob,
    clear_cache,
    load_grid,
    make_job,
    open_sweep,
    run_case,
    saving,
    solve_case,
    sweep,
    to_table,
    validate,
)

__all__ = [
    "EXIT_FAILED_CASES",
    "EXIT_INTERRUPTED",
    "FAILED_STATUSES",
    "OK_STATUSES",
    "Case",
    "Grid",
    "SweepError",
    "SweepJob",
    "clear_cache",
    "load_grid",
    "make_job",
    "open_sweep",
    "run_case",
    "saving",
    "solve_case",
    "sweep",
    "to_table",
    "validate",
]
