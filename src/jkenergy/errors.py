"""Exceptions raised by jkenergy.

Every error a user can trigger derives from :class:`JkEnergyError`, and also from the
built-in exception that fits (``ValueError`` for bad values, ``KeyError`` for unknown names),
so ``except ValueError`` keeps working for code that does not know about jkenergy.
"""

from __future__ import annotations


class JkEnergyError(Exception):
    """Base class of every error raised by jkenergy."""


class ComponentError(JkEnergyError, ValueError):
    """A component attribute has a bad value (wrong type, out of range, misaligned series)."""


class UnknownComponentError(JkEnergyError, KeyError):
    """A name refers to a component (bus, country, ...) that does not exist."""

    def __str__(self) -> str:  # KeyError quotes its message; show it plainly instead
        return str(self.args[0]) if self.args else ""


class DuplicateComponentError(ComponentError):
    """A component with this name already exists."""


class DataError(JkEnergyError, ValueError):
    """Bundled or user-supplied data (CSV, profile file) is malformed."""


class ArgumentError(JkEnergyError, ValueError):
    """A function argument or command-line option has a bad value (not a component's)."""


class ScenarioError(DataError):
    """A scenario file is malformed; the message names the file and the key path."""


class SweepError(DataError):
    """A sweep grid or store is malformed; the message names the key or the file."""


class SolverError(JkEnergyError, RuntimeError):
    """HiGHS failed or was given an option it does not accept."""


class InfeasibleError(SolverError):
    """The model has no feasible solution; the message says where to look."""


class UnboundedError(SolverError):
    """The objective can decrease without limit; the message says what HiGHS reported."""


class OutputError(JkEnergyError, OSError):
    """An output location cannot be written: it is a file, read-only, below a file, being
    written by another run, or a name built from user text would leave the output folder."""
