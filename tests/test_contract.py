"""The versioned result contract (assess/reports/contract.py) and the Python API polish.

The committed snapshot ``tests/snapshots/result_shape.json`` is the shape of the result of
``SCHEMA_VERSION``: every model of the contract with each field's type and whether it is required
(read from the models, so a pydantic upgrade that only renders the JSON Schema differently does not
trip it).  A result shape that changes (a key added, removed or retyped in ``to_dict``) either fails
validation below (every object forbids unknown keys) or, once the models follow it, changes the
shape: then the snapshot comparison fails until SCHEMA_VERSION is raised and the snapshot
regenerated (``ASSESS_UPDATE_SNAPSHOT=1 pytest tests/test_contract.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

import assess
from assess import SCHEMA_VERSION, assess_case, result_json_schema
from assess.law.uncertainty import UncertaintyOptions
from assess.reports.contract import validate_result
from factors.paths import data_dir

from _cases import SIMPLE, run

SNAPSHOT = Path(__file__).parent / "snapshots" / "result_shape.json"
EXAMPLES = sorted((data_dir() / "examples").glob("*.json"))


def type_name(t) -> str:
    import types
    import typing

    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin is None:
        return t.__name__ if isinstance(t, type) else repr(t).replace("typing.", "")
    if origin in (typing.Union, types.UnionType):
        return " | ".join(type_name(a) for a in args)
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(a) for a in args)}]"
    return f"{getattr(origin, '__name__', repr(origin))}[{', '.join(type_name(a) for a in args)}]"


def contract_shape(root=None) -> dict:
    """{model: {field: [type, required]}} of every model reachable from ResultDocument."""
    import typing

    from pydantic import BaseModel

    from assess.reports.contract import ResultDocument

    models: dict[str, dict] = {}
    todo = [root or ResultDocument]
    while todo:
        m = todo.pop()
        if m.__name__ in models:
            continue
        fields = {}
        for name, f in m.model_fields.items():
            fields[name] = [type_name(f.annotation), f.is_required()]
            stack = [f.annotation]
            while stack:
                t = stack.pop()
                if isinstance(t, type) and issubclass(t, BaseModel):
                    todo.append(t)
                stack.extend(typing.get_args(t))
        models[m.__name__] = fields
    return {"schema_version": SCHEMA_VERSION, "models": dict(sorted(models.items()))}


def test_result_shape_matches_the_committed_snapshot():
    current = contract_shape()
    if os.environ.get("ASSESS_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(current, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    snap = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if current != snap:
        assert current["schema_version"] != snap["schema_version"], (
            f"the result JSON shape changed but SCHEMA_VERSION is still {SCHEMA_VERSION}: raise it "
            "(assess/reports/contract.py) and regenerate the snapshot")
        pytest.fail(f"SCHEMA_VERSION is {current['schema_version']} but the snapshot is {snap['schema_version']}: "
                    "regenerate it with ASSESS_UPDATE_SNAPSHOT=1 pytest tests/test_contract.py")


def test_the_shape_sees_a_new_field():
    """The guard works: a field added to the contract changes the shape."""
    from pydantic import create_model

    from assess.reports.contract import ResultDocument

    extended = create_model("ResultDocument", __base__=ResultDocument, note=(str | None, None))
    before, after = contract_shape(), contract_shape(extended)
    assert after != before and after["models"]["ResultDocument"]["note"] == ["str | NoneType", False]


def test_result_schema_document():
    schema = result_json_schema()
    assert schema["version"] == SCHEMA_VERSION
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"schema_version", "tool_version", "parameter_set", "ledger", "trace"} <= set(schema["required"])
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_result_fits_the_contract(example):
    d = json.loads(assess_case(example).to_json())
    validate_result(d)
    assert d["schema_version"] == SCHEMA_VERSION
    validate_result(json.loads(assess_case(example, uncertainty=UncertaintyOptions(draws=200, seed=1)).to_json()))


@pytest.mark.parametrize("jurisdiction", ["CN", "CN-JS", "CN-SH"])
def test_routing_variants_fit_the_contract(jurisdiction):
    for kw in ({}, {"cat3": "1000000", "cat4": "10"}, {"cat4": "2000000", "facts": SIMPLE},
               {"cat5": "300000", "procedure": {}}):
        validate_result(json.loads(run(jurisdiction, **kw).to_json()))


def test_an_unknown_key_breaks_the_contract():
    d = json.loads(assess_case(EXAMPLES[-1]).to_json())
    d["ledger"]["extra"] = "1.00"
    with pytest.raises(ValidationError):
        validate_result(d)
    d = json.loads(assess_case(EXAMPLES[-1]).to_json())
    del d["parameter_set"]
    with pytest.raises(ValidationError):
        validate_result(d)


def test_contract_fields():
    from factors.version import parameter_set_version, tool_version

    d = assess_case(data_dir() / "examples" / "js_water_pollution.json").to_dict()
    assert (d["schema_version"], d["tool_version"], d["parameter_set"]) == (SCHEMA_VERSION, tool_version(),
                                                                            parameter_set_version())
    assert d["ledger"]["total"] == "543185.29"


def test_schema_cli_prints_both_schemas():
    out = subprocess.run([sys.executable, "-m", "assess.app.cli", "schema", "--result"], capture_output=True, text=True,
                         check=True).stdout
    assert json.loads(out) == json.loads(json.dumps(result_json_schema()))
    case = subprocess.run([sys.executable, "-m", "assess.app.cli", "schema"], capture_output=True, text=True, check=True)
    assert "case_id" in json.loads(case.stdout)["properties"]


# -- Python API polish --------------------------------------------------------------------------------


def test_version_and_exports():
    from importlib import metadata

    assert assess.__version__ == metadata.version("eco-damage-assess")
    p = subprocess.run([sys.executable, "-m", "assess.app.cli", "--version"], capture_output=True, text=True, check=True)
    assert p.stdout.strip() == f"assess {assess.__version__}"
    from factors import errors

    for name in ("AssessError", "InputError", "UnitError", "ParameterError", "RuleNotInForce", "RuleNotApplicable",
                 "CalendarNotCovered", "UnsafeWorkbook"):
        assert getattr(assess, name) is getattr(errors, name) and name in assess.__all__
    with pytest.raises(assess.InputError) as exc:
        assess.parse_case({"case_id": "X"})
    assert isinstance(exc.value, assess.AssessError)


def test_version_is_looked_up_once(monkeypatch):
    from importlib import metadata

    assess.__version__  # noqa: B018 (warm the cache)
    monkeypatch.setattr(metadata, "version", lambda name: pytest.fail("metadata looked up again"))
    assert assess.__version__
    assess_case(data_dir() / "examples" / "js_water_pollution.json").to_dict()


def test_short_repr():
    r = assess_case(data_dir() / "examples" / "js_water_pollution.json", today=date(2025, 1, 1))
    text = repr(r)
    assert len(text) < 200
    assert text == "<Result case_id='JS-YC-2024-017' jurisdiction='CN-JS' rules_date=2024-09-30 total=543185.29 元 warnings=0>"


def test_py_typed_is_shipped():
    import tomllib

    root = Path(__file__).resolve().parent.parent
    assert (root / "assess" / "py.typed").is_file()
    data = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "py.typed" in data["assess"]


def test_run_reads_stdin(tmp_path):
    example = (data_dir() / "examples" / "js_water_pollution.json").read_bytes()
    p = subprocess.run([sys.executable, "-m", "assess.app.cli", "run", "-", "--json"], input=example, capture_output=True,
                       check=True)
    assert json.loads(p.stdout)["ledger"]["total"] == "543185.29"
    p = subprocess.run([sys.executable, "-m", "assess.app.cli", "run", "-", "-o", str(tmp_path / "r.xlsx")], input=example,
                       capture_output=True, check=False)
    assert p.returncode == 0 and (tmp_path / "r.xlsx").stat().st_size > 0
    p = subprocess.run([sys.executable, "-m", "assess.app.cli", "run", "-"], input=b'{"case_id": ', capture_output=True)
    assert p.returncode == 2
    assert p.stderr.decode().strip() == "error: <stdin>:1:13: expected valid JSON (Expecting value)"
