"""Benchmarks: ``pytest benchmarks/ --benchmark-only`` (see README.md).

Cases marked ``slow`` (anything that takes more than ~20 s) are skipped unless
``JK_BENCH_SLOW=1`` is set, so CI runs only the small ones.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # benchmarks/harness.py


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long benchmark, run only with JK_BENCH_SLOW=1")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("JK_BENCH_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow benchmark: set JK_BENCH_SLOW=1 to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
