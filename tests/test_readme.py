"""The README's code must run as written."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_first_model_snippet_runs(tmp_path, monkeypatch):
    text = README.read_text(encoding="utf-8")
    code = re.search(r"## A first model\n\n```python\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)
    result = scope["result"]
    assert result.is_optimal
    # KR coal (60 USD/MWh) exports the full 2,000 MW to JP, where LNG (95) is marginal:
    # cost per hour = 95 * (90,000 - 0.975 * 2,000) + 60 * (60,000 + 2,000), over 24 hours.
    expected = 24 * (95.0 * (90_000 - 0.975 * 2_000) + 60.0 * (60_000 + 2_000))
    assert result.objective == pytest.approx(expected, rel=1e-9)
    assert (tmp_path / "result.nc").exists()


def test_quickstart_has_two_commands():
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## Quickstart.*?```bash\n(.*?)```", text, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert "pytest" in commands[1]
