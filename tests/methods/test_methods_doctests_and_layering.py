"""Docstring examples of every methods module run; methods keeps its layering (design note §1)."""

import ast
import doctest
import importlib
import pathlib

import pytest

METHODS = pathlib.Path(__file__).resolve().parents[2] / "methods"
MODULES = sorted(p.stem for p in METHODS.glob("*.py") if p.stem != "__init__")
ALLOWED_ROOTS = {"numpy", "methods", "__future__", "dataclasses", "typing", "math", "importlib", "decimal",
                 "fractions", "functools"}
ALLOWED_FACTORS = {"factors.errors"}


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(f"methods.{name}")
    res = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_has_a_runnable_example(name):
    module = importlib.import_module(f"methods.{name}")
    for public in getattr(module, "__all__", []):
        obj = getattr(module, public)
        if callable(obj) and not isinstance(obj, type) and not public.isupper():
            assert obj.__doc__ and ">>> " in obj.__doc__, f"{name}.{public} lacks an example"


@pytest.mark.parametrize("name", MODULES)
def test_layering_imports_and_no_file_access(name):
    tree = ast.parse((METHODS / f"{name}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mods = [node.module or ""]
        else:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "open", f"methods.{name} opens a file"
            continue
        for m in mods:
            root = m.split(".")[0]
            if root == "factors":
                assert m in ALLOWED_FACTORS, f"methods.{name} imports {m} (only factors.errors allowed)"
            elif root == "scipy":
                pytest.fail(f"methods.{name} imports scipy at module level or in code: use Frozen()")
            else:
                assert root in ALLOWED_ROOTS, f"methods.{name} imports {m}"
