"""Solver progress: records read from HiGHS's log callback while it solves, and a live line.

HiGHS runs in its own thread (``highspy.Highs.startSolve``); its log messages reach
:class:`LogReader` through the logging callback (``Highs.cbLogging``), which keeps the last
stage, iteration and objective it read. The calling thread wakes every ``interval`` seconds
and hands a :class:`Progress` record to a hook: :class:`ProgressLine` (what
``optimize(progress=True)`` shows) or any callable, e.g. the CLI's.

What HiGHS logs, and so what a record holds, depends on the method: dual simplex reports
its iteration and objective every few seconds, IPX each iteration with primal and dual
objective and gap; HiPO and PDLP log no iterations through the callback (PDLP prints its
own table to standard output when the log is on), so their records carry the stage and
the elapsed time only.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import IO, Any

import highspy

from ..model.inputs import MONEY


@dataclass(frozen=True)
class Progress:
    """One progress record of a running solve."""

    elapsed_s: float
    """Seconds since HiGHS started."""
    stage: str
    """``"presolve"``, ``"simplex"``, ``"ipm"``, ``"hipo"``, ``"pdlp"``, ``"crossover"``,
    ``"postsolve"`` or ``"done"``."""
    iteration: int | None = None
    objective: float | None = None
    """Objective in USD as HiGHS last logged it, of the (presolved) LP it is solving: it
    may differ from the final objective by a constant."""
    gap: float | None = None
    """Relative primal-dual gap (interior point)."""
    message: str = ""
    """HiGHS's last log line."""

    def line(self) -> str:
        """The record as one short line.

        Examples
        --------
        >>> Progress(12.34, "simplex", 5321, 7.8e10).line()
        'HiGHS simplex   iteration 5,321   objective 7.8000e+10 USD   12.3 s'
        """
        parts = [f"HiGHS {self.stage}"]
        if self.iteration is not None:
            parts.append(f"iteration {self.iteration:,}")
        if self.objective is not None:
            parts.append(f"objective {self.objective:.4e} USD")
        if self.gap is not None:
            parts.append(f"gap {self.gap:.1e}")
        parts.append(f"{self.elapsed_s:.1f} s")
        return "   ".join(parts)


ProgressHook = Callable[[Progress], None]
"""What receives progress records (called in the thread that called ``solve``)."""

_NUMBER = r"[-+]?\d+(?:\.\d*)?(?:e[-+]?\d+)?"
_SIMPLEX = re.compile(rf"^\s*(\d+)\s+({_NUMBER})\s+(?:Ph1|Pr|Du)\b")
"""Dual/primal simplex report: ``  7975    -7.7210274281e+02 Pr: 0(0) 2.1s``."""
_IPX = re.compile(
    rf"^\s*(\d+)\*?\s+({_NUMBER})\s+({_NUMBER})\s+{_NUMBER}\s+{_NUMBER}\s+({_NUMBER})\s+{_NUMBER}s?\s*$"
)
"""IPX iteration: ``  12   -7.99e+02  -8.00e+02   3.14e-07   1.35e-13  1.48e-03   0.1``."""
_STAGES = (
    ("Presolving model", "presolve"),
    ("Using dual simplex", "simplex"),
    ("Using primal simplex", "simplex"),
    ("IPX version", "ipm"),
    ("Hipo", "hipo"),
    ("cuPDLP", "pdlp"),
    ("PDLP", "pdlp"),
    ("Running crossover", "crossover"),
    ("Crossover", "crossover"),
    ("Performed postsolve", "postsolve"),
)


class LogReader:
    """Keeps what HiGHS's log last said (stage, iteration, objective, gap); thread-safe.

    Examples
    --------
    >>> r = LogReader("simplex")
    >>> r.read("       203    -7.2676945028e+01 Pr: 0(0) 0.0s")
    >>> s = r.snapshot(1.0)
    >>> s.iteration, round(s.objective * 1e-6, 4)
    (203, -72.6769)
    """

    def __init__(self, stage: str, scale: float = 1.0 / MONEY) -> None:
        self._lock = threading.Lock()
        self._scale = scale
        self._state = Progress(0.0, stage)

    def read(self, message: str) -> None:
        """Take one log message (possibly several lines).

        Examples
        --------
        >>> r = LogReader("ipm")
        >>> r.read("   3   -7.99e+02  -8.01e+02   3.1e-07   1.3e-13  1.48e-03   0.1")
        >>> r.snapshot(2.0).gap
        0.00148
        """
        with self._lock:
            for text in message.splitlines():
                self._state = self._parse(self._state, text)

    def _parse(self, state: Progress, text: str) -> Progress:
        if not text.strip():
            return state
        for marker, stage in _STAGES:
            if marker in text:
                state = replace(state, stage=stage)
                break
        m = _IPX.match(text)
        if m:
            return replace(
                state,
                iteration=int(m[1]),
                objective=float(m[2]) * self._scale,
                gap=float(m[4]),
                message=text.strip(),
            )
        m = _SIMPLEX.match(text)
        if m:
            return replace(
                state, iteration=int(m[1]), objective=float(m[2]) * self._scale, gap=None
            )
        return replace(state, message=text.strip())

    def snapshot(self, elapsed_s: float, stage: str | None = None) -> Progress:
        """The current record at ``elapsed_s`` (with ``stage`` overriding the logged one).

        Examples
        --------
        >>> LogReader("simplex").snapshot(3.0, stage="done")
        Progress(elapsed_s=3.0, stage='done', iteration=None, objective=None, gap=None, message='')
        """
        with self._lock:
            state = replace(self._state, elapsed_s=elapsed_s)
        return replace(state, stage=stage) if stage else state


class ProgressLine:
    """A live line on a terminal (rewritten in place), or a line every ``every`` seconds on a
    stream that is not a terminal (a log file, CI).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> show = ProgressLine(out, every=0.0)
    >>> show(Progress(1.0, "simplex", 10))
    >>> show(Progress(2.0, "done", 12))
    >>> out.getvalue().splitlines()
    ['HiGHS simplex   iteration 10   1.0 s', 'HiGHS done   iteration 12   2.0 s']
    """

    def __init__(self, stream: IO[str] | None = None, every: float = 10.0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.every = every
        self._last = -float("inf")
        isatty = getattr(self.stream, "isatty", None)
        self.live = bool(isatty and isatty())

    def __call__(self, record: Progress) -> None:
        done = record.stage == "done"
        if self.live:
            self.stream.write("\r\x1b[K" + record.line() + ("\n" if done else ""))
        elif done or record.elapsed_s - self._last >= self.every:
            self.stream.write(record.line() + "\n")
            self._last = record.elapsed_s
        self.stream.flush()


def run_with_progress(
    highs: highspy.Highs, hook: ProgressHook, stage: str, interval: float = 1.0
) -> None:
    """Run HiGHS in its thread and call ``hook`` every ``interval`` seconds, and once at the
    end with ``stage="done"``.

    HiGHS logs to the callback only with ``output_flag`` on; the caller sets
    ``log_to_console`` (on for the full log, off for progress alone).

    Examples
    --------
    >>> import highspy
    >>> h = highspy.Highs()
    >>> _ = h.setOptionValue("log_to_console", False)
    >>> _ = h.addVariable(lb=1.0, ub=2.0, obj=3.0)
    >>> records = []
    >>> run_with_progress(h, records.append, "simplex")
    >>> records[-1].stage, h.getObjectiveValue()
    ('done', 3.0)
    """
    reader = LogReader(stage)

    def on_log(event: Any) -> None:
        reader.read(event.message)

    highs.cbLogging.subscribe(on_log)
    start = time.perf_counter()
    try:
        thread = highs.startSolve()
        done = False
        while not done:
            done, _ = highs.wait(interval)
            if not done:
                hook(reader.snapshot(time.perf_counter() - start))
        thread.join()
    except KeyboardInterrupt:
        highs.cancelSolve()
        highs.wait()
        raise
    finally:
        highs.cbLogging.unsubscribe(on_log)
    hook(reader.snapshot(time.perf_counter() - start, stage="done"))
