"""Rule scenarios 规则情景: every ``tests/scenarios/*.toml`` file, run through the public API.

A scenario file reads as law (its comments quote the rule) and holds one or more ``[[test]]`` tables
(OpenFisca's YAML tests are the model).  Keys at the top of a file are defaults for each test in it.

``name``          what the test shows, in Chinese and English
``rule``/``rules`` the rule ID(s) of ``data/rules.toml`` the test decides (checked to exist)
``date``          the case's ``dates.incident`` (so its rules date) and the cost items' date
``jurisdiction``  CN, CN-JS or CN-SH (default CN-JS)
``today``         the date deadlines are judged on (default 2026-12-31)
``[input]``       a partial case, merged (dicts deep, lists replaced) onto the minimal valid case
                  ``{case_id, jurisdiction, dates: {incident: date}}``
``[amounts]``     shortcut: one cost item per category key (``assessment_costs = "20000.00"`` …)
``[expect]``      ``"dotted.path" = value`` into :meth:`assess.Result.to_dict`; a path segment applied to
                  a list picks the element whose ``key``, ``id``, ``code``, ``obligor`` or ``kind`` equals
                  it (``routing.decisions.consultation_path.outcome``; also ``kind``, ``source``), or an index (``items.0``); a segment
                  in brackets finds a trace node (or list element) by id or key anywhere below
                  (``liability.trace.[punitive.cap].rule``), since node ids hold dots; the value
                  ``"<none>"`` expects null (TOML has no null); ``{ contains = "text" }`` expects text
                  within the value
``[error]``       instead of ``expect``: ``field`` (the InputError's path, or one of them), ``contains``
                  (text of the message), ``kind = "not_in_force"`` for a rule set not in force
"""

from __future__ import annotations

import copy
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assess import assess_case
from factors.errors import InputError, RuleNotInForce
from factors.paths import data_dir

HERE = Path(__file__).parent / "scenarios"
FILES = sorted(HERE.glob("*.toml"))
TEST_KEYS = {"name", "rule", "rules", "date", "jurisdiction", "today", "input", "amounts", "expect", "error"}
DEFAULT_TODAY = date(2026, 12, 31)
LIST_KEYS = ("key", "id", "code", "obligor", "kind", "source")   # how a list element is named in a path
NONE = "<none>"   # TOML has no null: this string expects a null (no rule, no date …)


def _rule_ids() -> set[str]:
    with open(data_dir() / "rules.toml", "rb") as fh:
        return set(tomllib.load(fh)["rules"])


def load_tests() -> list[Any]:
    out = []
    for path in FILES:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
        defaults = {k: v for k, v in doc.items() if k != "test"}
        for i, test in enumerate(doc.get("test", [])):
            merged = {**copy.deepcopy(defaults), **test}
            for key in ("input", "amounts"):
                if key in defaults and key in test:
                    merged[key] = merge(copy.deepcopy(defaults[key]), test[key])
            out.append(pytest.param(merged, id=f"{path.stem}[{i}]"))
    return out


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``extra`` onto ``base`` (dicts merge, anything else replaces)."""
    for k, v in extra.items():
        base[k] = merge(base[k], v) if isinstance(base.get(k), dict) and isinstance(v, dict) else v
    return base


def jsonable(value: Any) -> Any:
    """TOML dates → ISO strings (the case-file format), recursively."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def build_case(test: dict[str, Any]) -> dict[str, Any]:
    day = test.get("date", date(2024, 5, 12))
    case: dict[str, Any] = {"case_id": "S-1", "jurisdiction": test.get("jurisdiction", "CN-JS"), "dates": {"incident": day}}
    items = []
    for i, (key, amount) in enumerate(test.get("amounts", {}).items()):
        items.append({"id": f"A{i + 1}", "category": key, "label": key, "amount": {"value": str(amount), "unit": "元"},
                      "date": day, "evidence": "scenario"})
    if items:
        case["cost_items"] = items
    return jsonable(merge(case, copy.deepcopy(test.get("input", {}))))


def pick(node: Any, segment: str, path: str) -> Any:
    if isinstance(node, dict):
        if segment not in node:
            raise AssertionError(f"{path}: no key {segment!r} (have {sorted(node)})")
        return node[segment]
    if isinstance(node, list):
        if segment.isdigit():
            return node[int(segment)]
        for element in node:
            if isinstance(element, dict) and segment in (element.get(k) for k in LIST_KEYS):
                return element
        raise AssertionError(f"{path}: no element {segment!r} in the list")
    raise AssertionError(f"{path}: cannot take {segment!r} of {node!r}")


def segments(path: str) -> list[str]:
    """``a.b.[x.y].c`` → ``['a', 'b', '[x.y]', 'c']``."""
    out, buf, depth = [], "", 0
    for ch in path:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "." and not depth:
            out.append(buf)
            buf = ""
        else:
            buf += ch
    return out + [buf]


def find(node: Any, ident: str) -> Any:
    """The first dict below ``node`` (depth first) named ``ident`` (by id, key … see LIST_KEYS)."""
    if isinstance(node, dict):
        if ident in (node.get(k) for k in LIST_KEYS):
            return node
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        hit = find(child, ident)
        if hit is not None:
            return hit
    return None


def resolve(result: dict[str, Any], path: str) -> Any:
    node: Any = result
    for segment in segments(path):
        if segment.startswith("[") and segment.endswith("]"):
            hit = find(node, segment[1:-1])
            if hit is None:
                raise AssertionError(f"{path}: no node {segment} below")
            node = hit
        else:
            node = pick(node, segment, path)
    return node


def same(actual: Any, expected: Any) -> bool:
    expected = jsonable(expected)
    if isinstance(expected, dict) and set(expected) == {"contains"}:
        return expected["contains"] in str(actual)
    if expected == NONE:
        return actual is None
    if isinstance(expected, bool):
        return actual is expected
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(map(same, actual, expected))
    return str(actual) == str(expected)


@pytest.mark.parametrize("test", load_tests())
def test_scenario(test: dict[str, Any]) -> None:
    unknown = set(test) - TEST_KEYS
    assert not unknown, f"unknown scenario keys {sorted(unknown)}"
    rules = [test["rule"]] if "rule" in test else list(test.get("rules", []))
    assert rules and set(rules) <= _rule_ids(), f"rule IDs {rules} must be in data/rules.toml"
    assert ("expect" in test) != ("error" in test), "a scenario expects either an outcome or an error"
    case = build_case(test)
    today = test.get("today", DEFAULT_TODAY)
    if "error" in test:
        err = test["error"]
        kind = RuleNotInForce if err.get("kind") == "not_in_force" else InputError
        with pytest.raises(kind) as ei:
            assess_case(case, today=today)
        if "field" in err:
            paths = [ei.value.path] + [p.path for p in getattr(ei.value, "problems", [])]
            assert err["field"] in paths, f"error paths {paths}: {ei.value}"
        if "contains" in err:
            assert err["contains"] in str(ei.value), str(ei.value)
        return
    result = assess_case(case, today=today).to_dict()
    failures = []
    for path, expected in test["expect"].items():
        actual = resolve(result, path)
        if not same(actual, expected):
            failures.append(f"{path}: expected {jsonable(expected)!r}, got {actual!r}")
    assert not failures, "\n".join(failures)


def test_scenario_files_exist_and_parse():
    assert FILES, "tests/scenarios/ holds the rule scenarios"
    assert len(load_tests()) >= len(FILES)


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario_files_read_as_law(path):
    """Each file opens with the rule in Chinese (a comment quoting it); each test is named in Chinese and English."""
    text = path.read_text(encoding="utf-8")
    head = text.split("\n", 1)[0]
    assert head.startswith("# ") and CJK.search(head), f"{path.name}: open with a comment quoting the rule in Chinese"
    for test in tomllib.loads(text).get("test", []):
        name = test.get("name", "")
        assert CJK.search(name) and re.search(r"[A-Za-z]{3}", name) and "/ " in name, f"{path.name}: name {name!r}"
