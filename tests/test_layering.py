"""The layers of the code base import only downwards, never in a circle, never another module's privates.

Layers, lowest first (design note §1, revised December 2026)::

    factors → methods → assess.law → assess.reports → assess.formats → assess.app → assess (the facade)

An AST pass over every module reads every import, those inside functions and ``if TYPE_CHECKING:``
blocks included (a type-only import is still a dependency a reader must follow).
"""

from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGES = ("factors", "methods", "assess")
LAYERS = ("factors", "methods", "assess.law", "assess.reports", "assess.formats", "assess.app", "assess")

#: Known exceptions while the restructuring goes on: (importer, imported). Must shrink to empty.
KNOWN_UPWARD: set[tuple[str, str]] = set()
KNOWN_CYCLES: list[set[str]] = []


def module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, pathlib.Path]:
    out = {}
    for pkg in PACKAGES:
        for p in sorted((ROOT / pkg).rglob("*.py")):
            out[module_name(p)] = p
    return out


MODULES = all_modules()


def layer(mod: str) -> int:
    best = -1
    for i, prefix in enumerate(LAYERS):
        if mod == prefix or mod.startswith(prefix + "."):
            if best < 0 or len(prefix) > len(LAYERS[best]):
                best = i
    return best


def resolve(mod: str, node: ast.ImportFrom, is_pkg: bool) -> str:
    if not node.level:
        return node.module or ""
    base = mod.split(".")
    base = base if is_pkg else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def project_target(name: str) -> str | None:
    """The project module an import names (the longest known prefix), or None for third parties."""
    parts = name.split(".")
    while parts:
        cand = ".".join(parts)
        if cand in MODULES:
            return cand
        parts.pop()
    return None


def imports(mod: str) -> list[tuple[str, list[str], int]]:
    """(target module, imported names, line) for every project import of ``mod``."""
    path = MODULES[mod]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                t = project_target(a.name)
                if t:
                    out.append((t, [], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            full = resolve(mod, node, path.name == "__init__.py")
            for a in node.names:
                sub = f"{full}.{a.name}"
                if sub in MODULES:           # from package import module
                    out.append((sub, [], node.lineno))
                else:
                    t = project_target(full)
                    if t:
                        out.append((t, [a.name], node.lineno))
    return out


GRAPH = {m: imports(m) for m in MODULES}


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer(m) < 0] == []


def test_no_upward_import():
    bad = []
    for mod, edges in GRAPH.items():
        for target, _, line in edges:
            if layer(target) > layer(mod) and (mod, target) not in KNOWN_UPWARD:
                bad.append(f"{mod}:{line} imports {target} ({LAYERS[layer(mod)]} → {LAYERS[layer(target)]})")
    assert bad == []


def test_known_exceptions_are_still_needed():
    """A fixed exception must leave the list (so the list only shrinks)."""
    edges = {(m, t) for m, es in GRAPH.items() for t, _, _ in es}
    assert [e for e in KNOWN_UPWARD if e not in edges] == []


def strongly_connected() -> list[set[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[set[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in {t for t, _, _ in GRAPH[v] if t != v}:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle():
    cycles = [sorted(c) for c in strongly_connected() if c not in KNOWN_CYCLES]
    assert cycles == []


def test_no_private_name_across_modules():
    bad = []
    for mod, edges in GRAPH.items():
        for target, names, line in edges:
            if target == mod:
                continue
            for n in names:
                if n.startswith("_") and not n.startswith("__"):
                    bad.append(f"{mod}:{line} imports {target}.{n}")
    assert bad == []


@pytest.mark.parametrize("mod", sorted(MODULES))
def test_private_modules_stay_in_their_package(mod):
    """``pkg._helper`` may be imported by ``pkg``'s own modules only."""
    for target, _, line in GRAPH[mod]:
        parts = target.split(".")
        for i, part in enumerate(parts):
            if part.startswith("_") and not part.startswith("__"):
                owner = ".".join(parts[:i])
                assert mod == owner or mod.startswith(owner + "."), f"{mod}:{line} imports private {target}"
