"""Relational dockets (issue 18, DOCKET_SCHEMA.md): flatten / unflatten are lossless and generic."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from _docket_examples import CASE_EXAMPLES
from assess.app.api import assess_case
from assess.formats.docket import flatten, prune, unflatten
from assess.formats.jsonio import read_case_json
from factors.errors import InputError

EXAMPLES = CASE_EXAMPLES   # every case file of data/examples/**/*.json
TODAY = date(2025, 6, 30)


def examples() -> list[dict]:
    return [read_case_json(p) for p in EXAMPLES]


def roundtrip(cases: list[dict]) -> list[dict]:
    return [c for _, c in unflatten(flatten(cases))]


# -- the shipped examples -----------------------------------------------------------------------------


def test_examples_round_trip_exactly():
    cases = examples()
    assert len(cases) == 7      # six top-level examples and template/template_example.json
    assert roundtrip(cases) == cases
    # and one at a time (a docket of one case has only the tables that case fills)
    for c in cases:
        assert roundtrip([c]) == [c]


def test_examples_tables_follow_the_schema():
    tables = flatten(examples())
    lines = tables["damage_items.inputs.lines"]
    assert list(lines.columns[:3]) == ["case_id", "damage_items#", "damage_items.inputs.lines#"]
    assert {"quantity.value", "quantity.unit", "unit_price.value", "unit_price.unit", "label"} <= set(lines.columns)
    assert list(tables["punitive.reasons"].columns) == ["case_id", "punitive.reasons#", "value"]
    assert "damage_items.inputs.project.path.levels" in tables
    cases = tables["cases"]
    assert cases["case_id"].is_unique and len(cases) == 7
    assert {"dates.incident", "punitive.multiple", "instalment_plan.count",
            "punitive.facts.intentional_violation.established"} <= set(cases.columns)
    row = cases.set_index("case_id").loc["JS-NT-2024-031"]
    # values kept as typed: a count is the int 12, a multiple the text "1.5", a fact a bool
    assert row["instalment_plan.count"] == 12 and row["punitive.multiple"] == "1.5"
    assert row["punitive.facts.intentional_violation.established"] is True


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_assess_the_same_after_the_round_trip(path):
    case = read_case_json(path)
    (back,) = roundtrip([case])
    assert assess_case(back, today=TODAY).to_dict() == assess_case(case, today=TODAY).to_dict()


# -- generated case files ---------------------------------------------------------------------------

KEYS = st.text(alphabet="abxyz_中文", min_size=1, max_size=3)   # never 'value', 'cases', a '.' or a '#'
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.text(max_size=6),
                    st.decimals(allow_nan=False, allow_infinity=False, places=None))


def objects(depth: int) -> st.SearchStrategy:
    if depth == 0:
        return st.dictionaries(KEYS, SCALARS, max_size=3)
    inner = objects(depth - 1)
    return st.dictionaries(KEYS, st.one_of(SCALARS, inner, st.lists(inner, max_size=3),
                                           st.lists(SCALARS, max_size=3)), max_size=4)


@st.composite
def dockets(draw) -> list[dict]:
    bodies = draw(st.lists(objects(3), min_size=1, max_size=4))
    ids = draw(st.lists(st.text(min_size=1, max_size=4), min_size=len(bodies), max_size=len(bodies), unique=True))
    return [{"case_id": i, **b} for i, b in zip(ids, bodies, strict=True)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockets())
def test_generated_case_files_round_trip(cases):
    try:
        tables = flatten(cases)
    except InputError as exc:   # generic JSON may nest one path two ways; real case files never do
        assume("same nesting" not in str(exc) and "a list of" not in str(exc))
        raise
    assert [c for _, c in unflatten(tables)] == [prune(c) for c in cases]


def test_prune_is_what_a_docket_cannot_hold():
    case = {"case_id": "P", "a": None, "b": {}, "c": [], "d": {"e": None, "f": []}, "g": [{}, {"h": None}],
            "i": [None, "x"]}
    assert prune(case) == {"case_id": "P", "g": [{}, {}], "i": [None, "x"]}
    assert roundtrip([case]) == [prune(case)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(n_lines=st.integers(1, 4), qty=st.decimals("0.001", "99999", places=3), price=st.decimals("0.01", "999", places=2),
       as_text=st.booleans(), extra_fact=st.booleans())
def test_generated_valid_cases_assess_the_same(minimal_case, n_lines, qty, price, as_text, extra_fact):
    case = copy.deepcopy(minimal_case)
    line = case["damage_items"][0]["inputs"]["lines"][0]
    lines = []
    for k in range(n_lines):
        ln = copy.deepcopy(line)
        ln["label"] = f"line {k}"
        ln["quantity"]["value"] = str(qty + k) if as_text else qty + k
        ln["unit_price"]["value"] = str(price) if as_text else price
        lines.append(ln)
    case["damage_items"][0]["inputs"]["lines"] = lines
    if extra_fact:
        case["facts"] = {"simple_facts": True}
    (back,) = roundtrip([case])
    assert back == case
    assert assess_case(back, today=TODAY).to_dict() == assess_case(case, today=TODAY).to_dict()


def test_decimals_stay_exact():
    case = {"case_id": "D", "x": Decimal("1.00499999999999999999"), "y": "0.10", "z": Decimal("1E+3")}
    (back,) = roundtrip([case])
    assert back == case and str(back["x"]) == "1.00499999999999999999" and back["y"] == "0.10"


# -- cells as other readers give them --------------------------------------------------------------


def test_cells_of_other_readers():
    tables = {"cases": pd.DataFrame({"case_id": ["A"], "f": [0.1], "i": [np.int64(3)], "b": [np.bool_(True)],
                                     "d": [pd.Timestamp("2024-05-12")], "e": [np.nan], "dd": [date(2024, 1, 2)]})}
    ((cid, case),) = unflatten(tables)
    # 0.1 as a float cell is the shortest repr of the float: Decimal("0.1") (not 0.1000000000000000055…)
    assert cid == "A" and case == {"case_id": "A", "f": Decimal("0.1"), "i": 3, "b": True, "d": "2024-05-12",
                                   "dd": "2024-01-02"}
    assert type(case["i"]) is int and type(case["b"]) is bool


def test_own_position_column_may_be_omitted():
    tables = {"cases": pd.DataFrame({"case_id": ["A", "B"]}),
              "items": pd.DataFrame({"case_id": ["B", "A", "B"], "id": ["b1", "a1", "b2"]})}
    got = dict(unflatten(tables))
    assert got == {"A": {"case_id": "A", "items": [{"id": "a1"}]},
                   "B": {"case_id": "B", "items": [{"id": "b1"}, {"id": "b2"}]}}


def test_positions_order_the_list():
    tables = {"cases": pd.DataFrame({"case_id": ["A"]}),
              "items": pd.DataFrame({"case_id": ["A", "A"], "items#": [1, 0], "id": ["second", "first"]}),
              "items.tags": pd.DataFrame({"case_id": ["A"], "items#": ["1"], "value": ["t"]})}
    ((_, case),) = unflatten(tables)
    assert case["items"] == [{"id": "first"}, {"id": "second", "tags": ["t"]}]


# -- errors: one line naming table, row and column --------------------------------------------------


def err(tables) -> str:
    with pytest.raises(InputError) as exc:
        list(unflatten(tables))
    return str(exc.value)


def test_orphan_child_row():
    msg = err({"cases": pd.DataFrame({"case_id": ["A"]}),
               "items": pd.DataFrame({"case_id": ["A", "Z"], "id": ["1", "2"]}, index=[5, 6])})
    assert "items row 6, column case_id" in msg and "'Z'" in msg


def test_duplicate_case_id_names_both_rows():
    msg = err({"cases": pd.DataFrame({"case_id": ["A", "B", "A"]}, index=[2, 3, 4])})
    assert "cases row 4, column case_id" in msg and "cases row 2" in msg


def test_duplicate_positions():
    msg = err({"cases": pd.DataFrame({"case_id": ["A"]}),
               "items": pd.DataFrame({"case_id": ["A", "A"], "items#": [0, 0], "id": ["1", "2"]})})
    assert "items row 1, column items#" in msg and "row 0" in msg


def test_bad_position():
    msg = err({"cases": pd.DataFrame({"case_id": ["A"]}),
               "items": pd.DataFrame({"case_id": ["A"], "items#": [-1]})})
    assert "items row 0, column items#" in msg and "whole number" in msg


def test_parent_position_required_for_a_nested_table():
    msg = err({"cases": pd.DataFrame({"case_id": ["A"]}),
               "items": pd.DataFrame({"case_id": ["A"], "id": ["1"]}),
               "items.lines": pd.DataFrame({"case_id": ["A"], "label": ["x"]})})
    assert "items.lines, column items#" in msg


def test_parent_row_missing():
    msg = err({"cases": pd.DataFrame({"case_id": ["A"]}),
               "items": pd.DataFrame({"case_id": ["A"], "id": ["1"]}),
               "items.lines": pd.DataFrame({"case_id": ["A"], "items#": [3], "label": ["x"]})})
    assert "items.lines row 0, column items#" in msg


def test_scalar_and_dotted_columns_both_filled():
    msg = err({"cases": pd.DataFrame({"case_id": ["A", "B"], "x": ["1", None], "x.y": ["2", "3"]})})
    assert "cases row 0, column x.y" in msg and "not both" in msg
    ok = dict(unflatten({"cases": pd.DataFrame({"case_id": ["A", "B"], "x": ["1", None], "x.y": [None, "3"]})}))
    assert ok["A"] == {"case_id": "A", "x": "1"} and ok["B"] == {"case_id": "B", "x": {"y": "3"}}


def test_no_cases_table_or_no_case_id():
    assert "a table named 'cases'" in err({"items": pd.DataFrame({"case_id": ["A"]})})
    assert "cases, column case_id" in err({"cases": pd.DataFrame({"id": ["A"]})})
    assert "cases row 1, column case_id" in err({"cases": pd.DataFrame({"case_id": ["A", None]})})


def test_unreadable_cell():
    assert "cases row 0, column t" in err({"cases": pd.DataFrame({"case_id": ["A"], "t": [pd.Timestamp("2024-01-01 10:00")]})})
    assert "cases row 0, column f" in err({"cases": pd.DataFrame({"case_id": ["A"], "f": [float("inf")]})})


def test_flatten_refusals():
    with pytest.raises(InputError, match=r"case 0: a\.b"):
        flatten([{"case_id": "A", "a.b": 1}])
    with pytest.raises(InputError, match="list inside a list"):
        flatten([{"case_id": "A", "x": [[1]]}])
    with pytest.raises(InputError, match="not both"):
        flatten([{"case_id": "A", "x": [{"a": 1}, 2]}])
    with pytest.raises(InputError, match="case 1: case_id.*case 0"):
        flatten([{"case_id": "A"}, {"case_id": "A"}])
    with pytest.raises(InputError, match="case 0: case_id"):
        flatten([{"title": "no id"}])
    with pytest.raises(InputError, match="'value'"):
        flatten([{"case_id": "A", "x": [{"value": 1}]}])
    with pytest.raises(InputError, match="cases"):
        flatten([{"case_id": "A", "cases": [{"a": 1}]}])
    with pytest.raises(InputError, match="same nesting"):
        flatten([{"case_id": "A", "x": {"y": [{"a": 1}]}}, {"case_id": "B", "x": [{"y": [{"a": 1}]}]}])
    with pytest.raises(InputError, match="same nesting"):
        flatten([{"case_id": "A", "x": [{"y": [{"a": 1}]}]}, {"case_id": "B", "x": {"y": [{"a": 1}]}}])
    with pytest.raises(InputError, match="a list of values"):
        flatten([{"case_id": "A", "x": [1]}, {"case_id": "B", "x": [{"a": 1}]}])


def test_recovery_year_text_means_the_year_in_a_case_file_and_a_docket():
    """One vocabulary, one answer: ``recovery_year: "2030"`` (text, as every CSV cell is) is the year 2030 for
    ``assess run`` as for a docket (the case model reads a number-or-code field as it reads every year field);
    a code is the code; other text is refused naming the codes."""
    import copy
    import json
    from datetime import date
    from pathlib import Path

    from assess.app.api import assess_case
    from assess.app.docket import assess_docket
    from factors.errors import InputError

    case = json.loads((Path(__file__).parents[2] / "data/examples/js_vtc_hea.json").read_text(encoding="utf-8"))
    item = next(d for d in case["damage_items"] if d["method"] == "habitat_equivalency")
    for k in ("interim_end_year", "horizon_year"):
        item["inputs"].pop(k, None)
    item["inputs"]["recovery_year"] = 2030
    today = date(2026, 1, 1)
    as_int = assess_case(case, today=today).ledger.total
    for text in ("2030", " 2030 "):
        c = copy.deepcopy(case)
        next(d for d in c["damage_items"] if d["method"] == "habitat_equivalency")["inputs"]["recovery_year"] = text
        assert assess_case(c, today=today).ledger.total == as_int
        out = assess_docket(flatten([c]), today=today)
        assert out["error"].isna().all() and int(out["total_fen"][0]) == int(as_int.scaleb(2))
    bad = copy.deepcopy(case)
    next(d for d in bad["damage_items"] if d["method"] == "habitat_equivalency")["inputs"]["recovery_year"] = "nevr"
    with pytest.raises(InputError, match="one of never"):
        assess_case(bad, today=today)
