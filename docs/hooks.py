"""MkDocs hooks: pages generated from the code and the data at build time.

Placeholders (HTML comments, so an unprocessed page shows nothing wrong):

``<!-- jk:attribute-table -->``
    :func:`jkenergy.attribute_table`, every component attribute with unit and default.
``<!-- jk:equations module.function -->``
    The ``.. math::`` blocks of that function's (or module's) docstring, as ``$$`` blocks,
    followed by a link to it: the formulation page shows exactly the docstrings' equations.
``<!-- jk:sources -->``
    ``src/jkenergy/study/data/SOURCES.md``, headings moved one level down, each CSV's section
    followed by every row of that CSV (figures with unit, year, source; assumptions marked).
``<!-- jk:calibration -->``
    Calibration of the synthetic profiles against the bundled data, computed now.

Tutorials (``docs/tutorials/*.md``): every ```` ```python ```` block is executed in order in
one namespace per page, in a scratch directory, when the site is built; what a block prints
is shown below it, and PNG files the code writes to ``figures/`` are published next to the
page. A block written ```` ```{.python .no-run} ```` is shown but not run. An exception fails
the build. ``tests/test_docs.py`` runs the same blocks with :func:`code_blocks`.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import re
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "src" / "jkenergy" / "study" / "data" / "SOURCES.md"
FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
RUN_LANGUAGES = ("python",)
PLACEHOLDER = re.compile(r"<!-- jk:([\w-]+)\s*([^>]*?)\s*-->")

_outputs: dict[str, list[str]] = {}
_scratch: tempfile.TemporaryDirectory | None = None


# ----------------------------------------------------------------------------- tutorials
def code_blocks(markdown: str) -> list[tuple[int, str]]:
    """``(end offset, code)`` of every Python block of a page that is meant to run."""
    out = []
    for match in FENCE.finditer(markdown):
        info = match.group(1)
        if info in RUN_LANGUAGES:
            out.append((match.end(), match.group(2)))
    return out


def run_page(markdown: str, workdir: Path, name: str) -> list[str]:
    """Run the page's blocks in order in ``workdir``; return what each printed."""
    import matplotlib

    matplotlib.use("Agg")
    scope: dict = {"__name__": "__main__"}
    printed = []
    cwd = Path.cwd()
    workdir.mkdir(parents=True, exist_ok=True)
    os.chdir(workdir)
    try:
        for i, (_, code) in enumerate(code_blocks(markdown)):
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(code, f"{name} block {i + 1}", "exec"), scope)
            printed.append(buffer.getvalue())
    finally:
        os.chdir(cwd)
        import matplotlib.pyplot as plt

        plt.close("all")
    return printed


def _with_outputs(markdown: str, printed: list[str]) -> str:
    pieces, last = [], 0
    for (end, _), text in zip(code_blocks(markdown), printed, strict=True):
        pieces.append(markdown[last:end])
        if text.strip():
            pieces.append(f'\n\n```text title="output"\n{text.rstrip()}\n```\n')
        last = end
    pieces.append(markdown[last:])
    return "".join(pieces)


# ----------------------------------------------------------------------------- equations
def math_blocks(doc: str) -> list[str]:
    """The ``.. math::`` directives of a (cleaned) docstring, each with its indented body."""
    lines, blocks, i = doc.split("\n"), [], 0
    while i < len(lines):
        match = re.match(r"^(\s*)\.\. math::", lines[i])
        if not match:
            i += 1
            continue
        indent, block = len(match.group(1)), [lines[i]]
        i += 1
        while i < len(lines) and (
            not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent
        ):
            block.append(lines[i])
            i += 1
        blocks.append(textwrap.dedent("\n".join(block)).strip())
    return blocks


def equations(path: str) -> str:
    """The math of a docstring as ``$$`` blocks, with a link to the documented object."""
    import inspect

    import griffe_rst

    try:
        obj = importlib.import_module(path)
    except ImportError:
        module_name, _, attr = path.rpartition(".")
        obj = getattr(importlib.import_module(module_name), attr)
    found = math_blocks(inspect.getdoc(obj) or "")
    if not found:
        raise ValueError(f"jk:equations: no '.. math::' block in the docstring of {path}")
    math = "\n\n".join(griffe_rst.convert_math(b).strip() for b in found)
    short = path.removeprefix("jkenergy.")
    return f"{math}\n\n<small>Built by [`{short}`][{path}]; its docstring states the same.</small>"


# ----------------------------------------------------------------------------- data page
def _csv_rows(name: str) -> str:
    import pandas as pd

    frame = pd.read_csv(SOURCES.parent / name, dtype=str, keep_default_na=False)
    keys = frame["source"].str.split(";")
    frame.insert(
        0, "assumption", ["yes" if any(k.startswith("A-") for k in ks) else "" for ks in keys]
    )
    frame["source"] = [", ".join(f"`{k}`" for k in ks) for ks in keys]
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = [
        "| " + " | ".join(v.replace("|", "\\|") for v in row) + " |" for row in frame.to_numpy()
    ]
    table = "\n".join([header, rule, *body])
    label = f'All {len(frame)} rows of `{name}` ("assumption": a source key `A-...`)'
    return f'??? note "{label}"\n\n' + textwrap.indent(table, "    ") + "\n"


def sources() -> str:
    """SOURCES.md one heading level down, each CSV section followed by its rows."""
    text = SOURCES.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(#+) ", lambda m: "#" + m.group(1) + " ", text)
    text = text.split("\n", 1)[1]  # its title is the page's
    parts = re.split(r"(?m)^(### `[\w.]+\.csv`)\n", text)
    out = [parts[0]]
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        name = heading.split("`")[1]
        out.append(f"{heading}\n{body.rstrip()}\n\n{_csv_rows(name)}\n")
    return "\n".join(out)


def calibration() -> str:
    """Profiles against the data: annual energy, peak, peak month; capacity factors."""

    from jkenergy.study import datasets, profiles

    year = int(datasets.economics().loc["base_year", "value"])
    rows = [
        "| region | annual energy [TWh] data / model | peak [GW] data / model "
        "| peak month data / model | other season's peak [GW] data / model |",
        "|---|---|---|---|---|",
    ]
    for regions in ("national", "areas"):
        data = datasets.demand(regions)
        model = profiles.demand(year, regions=regions)
        for region, row in data.iterrows():
            if regions == "areas" and region in ("KR",):
                continue
            series = model[region]
            winter = series.index.month.isin([12, 1, 2])
            summer = series.index.month.isin([6, 7, 8, 9])
            in_winter = int(row.peak_month) in (12, 1, 2)
            other_data = row.summer_peak_gw if in_winter else row.winter_peak_gw
            other_model = series[summer if in_winter else winter].max() / 1e3
            rows.append(
                f"| {region} | {row.annual_energy_twh:.2f} / {series.sum() / 1e6:.2f} "
                f"| {row.peak_gw:.2f} / {series.max() / 1e3:.2f} "
                f"| {int(row.peak_month)} / {int(series.idxmax().month)} "
                f"| {other_data:.2f} / {other_model:.2f} |"
            )
    cf = [
        "| profile | country | target | model |",
        "|---|---|---|---|",
    ]
    solar = profiles.solar(year)
    for country, target in profiles.SOLAR_CF.items():
        cf.append(f"| solar | {country} | {target:.3f} | {float(solar[country].mean()):.3f} |")
    for kind in ("onshore", "offshore"):
        wind = profiles.wind(year, kind=kind)
        for country in ("JP", "KR"):
            target = profiles.WIND_CF[(country, kind)]
            cf.append(
                f"| wind {kind} | {country} | {target:.3f} | {float(wind[country].mean()):.3f} |"
            )
    return (
        f"Demand profiles of {year} (`jk.profiles.demand`, seed 0) against "
        "`jk.datasets.demand`, computed when this page was built:\n\n"
        + "\n".join(rows)
        + "\n\nAnnual capacity factors (`jk.profiles.solar`, `jk.profiles.wind`, national "
        "columns) against their targets `SOLAR_CF` and `WIND_CF`:\n\n" + "\n".join(cf) + "\n"
    )


# ----------------------------------------------------------------------------- hooks
def _render(kind: str, argument: str) -> str:
    if kind == "attribute-table":
        from jkenergy import attribute_table

        return attribute_table("markdown")
    if kind == "equations":
        return equations(argument)
    if kind == "sources":
        return sources()
    if kind == "calibration":
        return calibration()
    raise ValueError(f"unknown placeholder jk:{kind}")


def on_config(config):
    import sys

    here = str(Path(__file__).parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    return config


def on_files(files, config):
    """Run the tutorials once; publish the figures they write."""
    from mkdocs.structure.files import File

    global _scratch
    _scratch = tempfile.TemporaryDirectory(prefix="jkenergy-docs-")
    scratch = Path(_scratch.name)
    for file in list(files.documentation_pages()):
        if not file.src_uri.startswith("tutorials/"):
            continue
        markdown = Path(file.abs_src_path).read_text(encoding="utf-8")
        workdir = scratch / Path(file.src_uri).parent
        _outputs[file.src_uri] = run_page(markdown, workdir, file.src_uri)
    for png in sorted(scratch.rglob("figures/*.png")):
        uri = png.relative_to(scratch).as_posix()
        files.append(File.generated(config, uri, abs_src_path=str(png)))
    return files


def on_page_markdown(markdown, page, config, files):
    uri = page.file.src_uri
    if uri in _outputs:
        markdown = _with_outputs(markdown, _outputs[uri])
    return PLACEHOLDER.sub(lambda m: _render(m.group(1), m.group(2)), markdown)


def on_post_build(config):
    global _scratch
    if _scratch is not None:
        _scratch.cleanup()
        _scratch = None
