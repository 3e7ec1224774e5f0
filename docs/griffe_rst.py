"""Griffe extension: render the reStructuredText bits of numpydoc docstrings in MkDocs.

The docstrings are plain numpydoc, written for ``help()``, Sphinx and MkDocs alike. They use
two pieces of reStructuredText that Markdown does not know, and this extension rewrites
them in the docstrings griffe hands to mkdocstrings (the source files are not touched):

- math: ``.. math::`` blocks become ``$$ ... $$`` blocks (one per blank-line-separated
  equation, as in reStructuredText) and ``:math:`x``` becomes ``$x$``, both rendered by
  ``pymdownx.arithmatex``;
- cross-references: ``:func:`name```, ``:class:``, ``:meth:``, ``:mod:``, ``:data:``,
  ``:attr:``, ``:exc:`` become autorefs links to the object's canonical path (``~`` shows
  the last name only). A name inside ``jkenergy`` that resolves to nothing is still
  written as a link, so ``mkdocs build --strict`` fails on it; names outside ``jkenergy``
  (``xarray.Dataset``) and private names render as code.

A trailing ``::`` (reStructuredText's literal-block marker) becomes ``:``.
"""

from __future__ import annotations

import re
from typing import Any

try:
    import griffe
except ImportError:  # the math conversion alone (tests without the docs extra) needs no griffe
    griffe = None

ROLE = re.compile(r":(func|class|meth|mod|data|attr|exc|obj):`(~?)([^`]+)`")
MATH_ROLE = re.compile(r":math:`([^`]+)`")
MATH_DIRECTIVE = re.compile(r"^(\s*)\.\. math::\s*(.*)$")
PACKAGE = "jkenergy"


def convert_math(text: str) -> str:
    """``.. math::`` blocks -> ``$$`` blocks; ``:math:`x``` -> ``$x$``."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = MATH_DIRECTIVE.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        indent, first = match.group(1), match.group(2).strip()
        body: list[str] = [first] if first else []
        i += 1
        while i < len(lines):
            line = lines[i]
            if line.strip() and len(line) - len(line.lstrip()) <= len(indent):
                break
            body.append(line.strip())
            i += 1
        while body and not body[-1]:
            body.pop()
        equations: list[list[str]] = [[]]
        for line in body:
            if line:
                equations[-1].append(line)
            elif equations[-1]:
                equations.append([])
        for eq in equations:
            if eq:
                out += [f"{indent}$$", *(indent + line for line in eq), f"{indent}$$", ""]
        if out and out[-1] == "" and i < len(lines) and not lines[i].strip():
            out.pop()
    text = "\n".join(out)
    return MATH_ROLE.sub(lambda m: f"${m.group(1)}$", text)


def _target(collection: Any, path: str) -> str | None:
    """Canonical path of ``path`` (following aliases), or None if it does not exist."""
    parts = path.split(".")
    try:
        obj = collection[parts[0]]
    except KeyError:
        return None
    for part in parts[1:]:
        while obj.is_alias:
            try:
                obj = obj.final_target
            except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                return None
        if part not in obj.members:
            return None
        obj = obj.members[part]
    while obj.is_alias:
        try:
            obj = obj.final_target
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None
    return obj.path


def resolve(obj: Any, name: str, collection: Any) -> str | None:
    """Canonical path of ``name`` as written in the docstring of ``obj``."""
    head, _, rest = name.partition(".")
    candidates = [name]
    scope = obj
    while scope is not None:
        try:
            full = scope.resolve(head)
        except (griffe.NameResolutionError, AttributeError):
            full = None
        if full:
            candidates.append(full + ("." + rest if rest else ""))
        scope = scope.parent
    candidates.append(f"{PACKAGE}.{name}")
    for candidate in candidates:
        if candidate.split(".")[0] != PACKAGE:
            continue
        target = _target(collection, candidate)
        if target:
            return target
    return None


def convert_roles(text: str, obj: Any, collection: Any) -> str:
    """Sphinx cross-reference roles -> autorefs links (or code for outside names)."""

    def link(match: re.Match) -> str:
        tilde, name = match.group(2), match.group(3).strip()
        shown = name.rsplit(".", 1)[-1] if tilde else name
        if match.group(1) in ("func", "meth"):
            shown += "()" if not shown.endswith(")") else ""
        target = resolve(obj, name, collection)
        if target is None:
            private = any(part.startswith("_") for part in name.split("."))
            outside = name.split(".")[0] not in (PACKAGE, "") and "." in name
            if private or outside:
                return f"`{shown}`"
            target = name  # unknown inside jkenergy: let autorefs report it
        elif any(part.startswith("_") for part in target.split(".")):
            return f"`{shown}`"
        return f"[`{shown}`][{target}]"

    return ROLE.sub(link, text)


def convert(text: str, obj: Any = None, collection: Any = None) -> str:
    """Apply every rewrite to one docstring."""
    text = convert_math(text)
    if collection is not None:
        text = convert_roles(text, obj, collection)
    return re.sub(r"(?m)(\S)::$", r"\1:", text)


class RstToMarkdown(griffe.Extension if griffe else object):
    """Rewrite every docstring of the package once it is loaded."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        seen: set[int] = set()
        stack: list[Any] = [pkg]
        while stack:
            obj = stack.pop()
            if obj.is_alias or id(obj) in seen:
                continue
            seen.add(id(obj))
            if obj.docstring is not None:
                obj.docstring.value = convert(obj.docstring.value, obj, loader.modules_collection)
            stack.extend(m for m in obj.members.values() if not m.is_alias)
