"""Solver options: the one type every path uses (optimize, the staged API, scenario files,
sweeps), checked once, each HiGHS option by HiGHS itself.

Scenario and grid files are data a user may have been sent: they may set only HiGHS options
that do not read or write files (:data:`FILE_SAFE_OPTIONS`). Python callers of
:func:`~jkenergy.solve.optimize` may pass any HiGHS option, ``solution_file`` included: their
code can write files anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import highspy
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from ..errors import SolverError
from . import presets

FILE_SAFE_OPTIONS: frozenset[str] = frozenset(
    {
        "presolve", "solver", "parallel", "threads", "run_crossover", "time_limit", "ranging",
        "infinite_cost", "infinite_bound", "small_matrix_value", "large_matrix_value",
        "kkt_tolerance", "primal_feasibility_tolerance", "dual_feasibility_tolerance",
        "primal_residual_tolerance", "dual_residual_tolerance", "optimality_tolerance",
        "objective_bound", "objective_target", "random_seed", "user_objective_scale",
        "user_bound_scale", "simplex_strategy", "simplex_scale_strategy",
        "simplex_dual_edge_weight_strategy", "simplex_primal_edge_weight_strategy",
        "simplex_iteration_limit", "simplex_update_limit", "simplex_max_concurrency",
        "ipm_optimality_tolerance", "ipm_iteration_limit", "hipo_system", "hipo_parallel_type",
        "hipo_ordering", "hipo_block_size", "pdlp_iteration_limit", "pdlp_scaling_mode",
        "pdlp_ruiz_iterations", "pdlp_restart_strategy", "pdlp_cupdlpc_restart_method",
        "pdlp_step_size_strategy", "pdlp_optimality_tolerance",
    }
)  # fmt: skip
"""HiGHS options a scenario or grid file may set: LP algorithm choices, tolerances, limits
and scaling. Everything else is refused there, by name: options that read or write files
(``solution_file``, ``write_solution_to_file``, ``log_file``, ``read_basis_file``,
``write_model_file``, ...), logging switches (``log=`` and ``progress=`` of
:func:`~jkenergy.solve.optimize` control the log) and MIP, QP and IIS options (a jkenergy
LP has no integers or quadratic terms: they could not take effect)."""

_TRUSTED = "trusted"
"""Validation context key: set by Python entry points, which may pass any HiGHS option."""


def check_highs_option(key: str, value: Any) -> None:
    """Raise ``ValueError`` unless HiGHS accepts ``key=value``.

    Examples
    --------
    >>> check_highs_option("presolve", "off")
    >>> check_highs_option("no_such_option", 1)
    Traceback (most recent call last):
    ...
    ValueError: HiGHS rejected option no_such_option=1 (unknown name or bad value)
    """
    probe = highspy.Highs()
    probe.setOptionValue("output_flag", False)
    if probe.setOptionValue(key, value) != highspy.HighsStatus.kOk:
        raise ValueError(f"HiGHS rejected option {key}={value!r} (unknown name or bad value)")


class SolverOptions(BaseModel):
    """How to solve: an algorithm preset, threads, a time limit and other HiGHS options.

    The ``solver:`` section of a scenario file, the ``solver=`` of a sweep and the keyword
    arguments of :func:`~jkenergy.solve.optimize` all become one of these. Built from a file
    (or by ``SolverOptions(...)``), ``options`` may hold only :data:`FILE_SAFE_OPTIONS`;
    :meth:`from_arguments` (what Python callers go through) accepts any HiGHS option.

    Examples
    --------
    >>> o = SolverOptions(algorithm="simplex", time_limit=60, options={"presolve": "off"})
    >>> o.highs_options()
    {'solver': 'simplex', 'presolve': 'off', 'time_limit': 60.0}
    >>> try:
    ...     SolverOptions(options={"solution_file": "/tmp/x"})
    ... except ValidationError as err:
    ...     print(describe(err))
    options: HiGHS option 'solution_file' is not allowed here: a scenario or grid file may set only options that do not touch files (see jkenergy.solve.options.FILE_SAFE_OPTIONS) (got {'solution_file': '/tmp/x'})
    """  # noqa: E501

    model_config = ConfigDict(extra="forbid", frozen=True)

    algorithm: str = "auto"
    """One of :data:`~jkenergy.solve.presets.ALGORITHMS`."""
    threads: int | None = Field(default=None, gt=0)
    """HiGHS threads (HiGHS's default if None)."""
    time_limit: float | None = Field(default=None, gt=0)
    """Seconds; on reaching it the result carries ``status="warning"``."""
    options: dict[str, Any] = {}
    """Any other HiGHS option by its HiGHS name."""

    @field_validator("algorithm")
    @classmethod
    def _algorithm(cls, value: str) -> str:
        if value not in presets.ALGORITHMS:
            raise ValueError(f"must be one of {list(presets.ALGORITHMS)}")
        return value

    @field_validator("threads", "time_limit", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        if isinstance(value, bool | str):  # pydantic would read True as 1 and "60" as 60.0
            raise ValueError(f"must be a number, not {type(value).__name__}")
        return value

    @field_validator("options")
    @classmethod
    def _options(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        trusted = bool(info.context and info.context.get(_TRUSTED))
        for key, item in value.items():
            if not trusted and key not in FILE_SAFE_OPTIONS:
                raise ValueError(
                    f"HiGHS option {key!r} is not allowed here: a scenario or grid file may set "
                    "only options that do not touch files (see "
                    "jkenergy.solve.options.FILE_SAFE_OPTIONS)"
                )
            check_highs_option(key, item)
        return value

    @classmethod
    def from_arguments(
        cls,
        algorithm: str = "auto",
        threads: int | None = None,
        time_limit: float | None = None,
        options: Mapping[str, Any] | None = None,
        *,
        caller: str = "optimize",
    ) -> SolverOptions:
        """Options given by a Python caller (any HiGHS option is accepted).

        Raises
        ------
        SolverError
            One line naming the argument and what was expected.

        Examples
        --------
        >>> SolverOptions.from_arguments(threads="two")
        Traceback (most recent call last):
        ...
        jkenergy.errors.SolverError: optimize: threads: must be a number, not str (got 'two')
        """
        data: dict[str, Any] = {"algorithm": algorithm, "threads": threads}
        data.update(time_limit=time_limit, options=dict(options or {}))
        try:
            return cls.model_validate(data, context={_TRUSTED: True})
        except ValidationError as err:
            raise SolverError(f"{caller}: {describe(err)}") from None

    @classmethod
    def from_kwargs(cls, kwargs: Mapping[str, Any], *, caller: str = "optimize") -> SolverOptions:
        """Options from :func:`~jkenergy.solve.optimize`'s keyword arguments (``algorithm``,
        ``threads``, ``time_limit``, any HiGHS option); ``log`` and ``progress`` are left out.

        Examples
        --------
        >>> SolverOptions.from_kwargs({"algorithm": "ipm", "log": True, "presolve": "off"})
        SolverOptions(algorithm='ipm', threads=None, time_limit=None, options={'presolve': 'off'})
        """
        rest = {k: v for k, v in kwargs.items() if k not in ("log", "progress")}
        return cls.from_arguments(
            rest.pop("algorithm", "auto"),
            rest.pop("threads", None),
            rest.pop("time_limit", None),
            rest,
            caller=caller,
        )

    def as_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of :func:`~jkenergy.solve.optimize` these options are.

        Examples
        --------
        >>> SolverOptions(algorithm="simplex", threads=1).as_kwargs()
        {'algorithm': 'simplex', 'threads': 1}
        """
        out: dict[str, Any] = {"algorithm": self.algorithm}
        if self.threads is not None:
            out["threads"] = self.threads
        if self.time_limit is not None:
            out["time_limit"] = self.time_limit
        return {**out, **self.options}

    def preset(self) -> dict[str, Any]:
        """The HiGHS options of the algorithm preset (empty for ``"auto"``, which chooses by
        LP size: :func:`~jkenergy.solve.presets.auto_preset`).

        Examples
        --------
        >>> SolverOptions(algorithm="ipm-nocrossover").preset()
        {'solver': 'ipm', 'run_crossover': 'off'}
        """
        return dict(presets.ALGORITHMS[self.algorithm])

    def highs_options(self, preset: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The HiGHS options to set: ``preset`` (default: :meth:`preset`), then ``options``,
        then ``threads`` and ``time_limit``.

        Examples
        --------
        >>> SolverOptions(threads=2, options={"solver": "ipm"}).highs_options({"solver": "pdlp"})
        {'solver': 'ipm', 'threads': 2}
        """
        out = {**(self.preset() if preset is None else preset), **self.options}
        if self.threads is not None:
            out["threads"] = self.threads
        if self.time_limit is not None:
            out["time_limit"] = self.time_limit
        return out


def describe(err: ValidationError) -> str:
    """One line per problem of a :class:`SolverOptions` validation: ``field: message (got x)``.

    Examples
    --------
    >>> try:
    ...     SolverOptions(time_limit=-1)
    ... except ValidationError as err:
    ...     print(describe(err))
    time_limit: Input should be greater than 0 (got -1)
    """
    lines = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"])
        message = e["msg"].removeprefix("Value error, ")
        lines.append(f"{key}: {message} (got {e.get('input')!r})")
    return "; ".join(lines)
