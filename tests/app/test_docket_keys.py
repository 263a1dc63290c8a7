"""The docket engine's key passes (duplicates, lookups) and column readers on the forms a parquet docket has.

The engine finds duplicate keys and looks child rows up in their parent items by sorting (a docket's rows
usually come in case order, so the sort is often skipped); these tests hold the sorted and the unsorted
paths to pandas' hash results, and a docket whose rows are shuffled or whose text columns are pandas
string columns (as a parquet file is read) to the same figures as the single path.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.app import docket_columns as col
from assess.app.docket import assess_docket
from assess.app.docket_engine import _duplicated, _index_of
from assess.app.synthetic import synthetic_docket_tables
from factors.errors import InputError
from test_docket_engine import same

TODAY = date(2026, 12, 1)
small_ints = st.lists(st.integers(0, 6), max_size=40)


@given(a=small_ints, b=small_ints, sort=st.booleans())
def test_duplicated_equals_pandas(a, b, sort):
    n = min(len(a), len(b))
    x, y = np.array(a[:n], np.int64), np.array(b[:n], np.int64)
    if sort:
        order = np.lexsort((y, x))
        x, y = x[order], y[order]
    want = pd.DataFrame({"x": x, "y": y}).duplicated(keep=False).to_numpy(bool)
    assert _duplicated(x, y).tolist() == want.tolist()


@given(keys=small_ints, queries=small_ints, sort=st.booleans())
def test_index_of_is_the_first_row_holding_the_key(keys, queries, sort):
    k = np.array(sorted(keys) if sort else keys, np.int64)
    q = np.array(queries, np.int64)
    want = [k.tolist().index(v) if v in k.tolist() else -1 for v in q.tolist()]
    assert _index_of(k, q).tolist() == want


def test_duplicated_hand_worked():
    # (case, item): (0,1) twice and (2,0) twice, out of order → those four rows; (1,1) once
    assert _duplicated(np.array([2, 0, 1, 0, 2]), np.array([0, 1, 1, 1, 0])).tolist() == [True, True, False, True, True]


def test_years_read_alike_from_text_and_object_columns():
    cells = ["2029", " 2030 ", "never", "1899", "2201", "20x9", None, "2200", "1900"]
    as_object = pd.Series(cells, dtype=object)
    as_text = pd.Series(cells, dtype="string")
    as_arrow = pd.Series(cells, dtype=pd.StringDtype("pyarrow"))
    want = col.years(as_object, len(cells))
    for s in (as_text, as_arrow):
        got = col.years(s, len(cells))
        for g, w in zip(got, want, strict=True):
            assert g.tolist() == w.tolist()
    # years 2029, 2030, 2200, 1900 read; "never", 1899, 2201, "20x9" odd; the empty cell neither
    assert want[1].tolist() == [True, True, False, False, False, False, False, True, True]
    assert want[2].tolist() == [False, False, True, True, True, True, False, False, False]


def test_equals_only_the_exact_text():
    cells = ["never", "Never", None, 5, "never "]
    expected = [True, False, False, False, False]
    assert col.equals(pd.Series(cells, dtype=object), "never").tolist() == expected
    assert col.equals(pd.Series(["never", "Never", None, "5", "never "], dtype="string"), "never").tolist() == expected
    assert col.equals(pd.Series(["never", "Never", None, "5", "never "], dtype="category"), "never").tolist() == expected
    assert col.equals(pd.Series([1.0, 2.0]), "never").tolist() == [False, False]


def _shuffled(tables: dict[str, pd.DataFrame], seed: int) -> dict[str, pd.DataFrame]:
    """Every child table's rows in a random order (the cases table keeps its order: the result follows it)."""
    rng = np.random.default_rng(seed)
    return {name: df if name == "cases" else df.iloc[rng.permutation(len(df))].reset_index(drop=True)
            for name, df in tables.items()}


def _as_read_from_parquet(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Text in object columns as pandas string columns (``recovery_year``: ``never`` beside ``2029``)."""
    out = {}
    for name, df in tables.items():
        df = df.copy()
        for c in df.columns:
            if df[c].dtype == object:
                df[c] = df[c].map(lambda v: None if v is None or v != v else str(v)).astype(pd.StringDtype("pyarrow"))
        out[name] = df
    return out


def test_shuffled_and_parquet_typed_dockets_equal_the_single_path():
    tables = synthetic_docket_tables(60, seed=11, every_method=True)
    slow = assess_docket(tables, today=TODAY, vectorise=False)
    for variant in (_shuffled(tables, 3), _as_read_from_parquet(tables), _shuffled(_as_read_from_parquet(tables), 4)):
        fast = assess_docket(variant, today=TODAY)
        assert fast["error"].isna().all() and set(fast["engine"]) == {"vectorised"}
        assert same(fast, slow) == []


def test_a_repeated_item_position_is_the_dockets_error_on_both_paths():
    """Two rows of damage_items at position 0 of one case: the docket's one-line error naming the later row
    (before, the engine's lookup of the lines in their items raised pandas' InvalidIndexError)."""
    tables = synthetic_docket_tables(3, seed=2, every_method=True)
    items = tables["damage_items"]
    first_case = items["case_id"].iloc[0]
    twice = items[items["case_id"] == first_case].iloc[[0]]
    tables = {**tables, "damage_items": pd.concat([items, twice], ignore_index=True)}
    row = len(items)
    for vectorise in (True, False):
        with pytest.raises(InputError, match=f"damage_items row {row}, column damage_items#: expected a position "
                                             "used once in its list"):
            assess_docket(tables, today=TODAY, vectorise=vectorise)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2 ** 16))
def test_shuffled_rows_give_the_same_result(seed):
    tables = synthetic_docket_tables(8, seed=seed, every_method=True)
    assert same(assess_docket(_shuffled(tables, seed), today=TODAY), assess_docket(tables, today=TODAY)) == []


def test_the_engine_leaves_no_reference_cycles():
    """A refused value kept by the engine (a date past the working-day calendar: ``cannot_compute``) is kept
    without its traceback: its frames held the chunk's arrays in a cycle that only the cyclic collector frees,
    and a streamed batch grew by whole chunks (1M cases: 2.2 GB peak)."""
    import gc

    tables = synthetic_docket_tables(400, seed=7, every_method=True)
    assess_docket(tables, today=TODAY)       # first use: lazy imports and caches build their own objects
    gc.collect()
    was = gc.get_debug()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        out = assess_docket(tables, today=TODAY)
        del out
        gc.collect()
        garbage = sorted({type(o).__name__ for o in gc.garbage})
    finally:
        gc.set_debug(was)
        gc.garbage.clear()
    assert garbage == []
    statuses = assess_docket(tables, today=TODAY).filter(like="_status")
    assert (statuses == "cannot_compute").any().any()       # the path that kept exceptions ran


def test_the_engine_in_parts_gives_the_same_result(monkeypatch):
    """A docket larger than ENGINE_CASES is computed in parts of that many cases (ordered tables cut into
    slices, shuffled ones taken row by row): the same result as in one part."""
    from assess.app import docket

    tables = synthetic_docket_tables(61, seed=12, every_method=True)
    whole = assess_docket(tables, today=TODAY)
    monkeypatch.setattr(docket, "ENGINE_CASES", 7)      # 9 parts, the last of 5 cases
    for variant in (tables, _shuffled(tables, 5)):
        parts = assess_docket(variant, today=TODAY)
        assert same(parts, whole) == [] and (parts["engine"] == "vectorised").all()


# -- credits 抵扣 on arrays (assess.law.credits.apply_credits) ---------------------------------------------------


def credit(cid, against, base, unit="元", rate=None, cap=None, met_on="2025-03-01", deadline=None):
    c = {"id": cid, "label": f"抵扣{cid}", "ordered_by": "court", "document": "（2025）苏01民初1号",
         "base_amount": {"value": base, "unit": unit}, "conditions": "完成技改并验收", "against": against}
    if rate is not None:
        c["rate"] = rate
    if cap is not None:
        c["cap"] = {"value": cap[0], "unit": cap[1]}
    if met_on is not None:
        c["met_on"] = met_on
    if deadline is not None:
        c["deadline"] = deadline
    return c


def test_credits_are_vectorised_and_hand_worked():
    """The small Jiangsu case: restoration 820.5 m³ × 72.30 = 59 322.15, + 5 % 2 966.11 = 62 288.26 元 to restoration
    funds (restorable); the cost item 4.5 万元 = 45 000.00 元 to the department; total 107 288.26 元.
    A: 100 000 × 0.5 = 50 000, capped at 3 万元 → 30 000.00 off restoration funds;
    B: 40 000 (rate 1 by default) off the department's 45 000 → 40 000.00; C: 1 万元 × 0.9 = 9 000, only 5 000 left
    → 5 000.00; D: pending (no met_on) → 0; E: met 2025-03-02 after its deadline 2025-03-01 → 0;
    F: against the treasury, which is owed nothing here → 0.
    Net owed: 107 288.26 − 30 000 − 40 000 − 5 000 = 32 288.26 元; no punitive claim (punitive_fen empty)."""
    from assess.formats.docket import flatten
    from test_docket_engine import base_case

    credits = [credit("A", "restoration_fund", "100000", rate="0.5", cap=("3", "万元")),
               credit("B", "department_recovery", "40000"),
               credit("C", "department_recovery", "1", unit="万元", rate="0.9"),
               credit("D", "restoration_fund", "1000", met_on=None),
               credit("E", "restoration_fund", "1000", met_on="2025-03-02", deadline="2025-03-01"),
               credit("F", "treasury", "1000")]
    case = base_case(credits=credits)
    other = base_case(case_id="T-2", credits=[credit("A", "restoration_fund", "70000")])   # more than owed: all 62 288.26
    tables = flatten([case, other])
    fast = assess_docket(tables, today=TODAY)
    slow = assess_docket(tables, today=TODAY, vectorise=False)
    assert list(fast["engine"]) == ["vectorised", "vectorised"]
    assert same(fast, slow) == []
    assert fast["total_fen"].tolist() == [10_728_826, 10_728_826]
    assert fast["net_owed_fen"].tolist() == [3_228_826, 10_728_826 - 6_228_826]
    assert fast["punitive_fen"].isna().all()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2 ** 16), data=st.data())
def test_credits_with_punitive_claims_equal_the_single_path(seed, data):
    """Random credits on synthetic every-method cases (some with a punitive award going to the treasury)."""
    from assess.formats.docket import flatten, unflatten

    tables = synthetic_docket_tables(4, seed=seed, every_method=True, liability=0.5)
    cases = [doc for _, doc in unflatten(tables)]
    for c in cases:
        n = data.draw(st.integers(0, 3))
        c["credits"] = [credit(f"K{k}", data.draw(st.sampled_from(["treasury", "restoration_fund", "department_recovery"])),
                               str(data.draw(st.integers(1, 10 ** 8))), unit=data.draw(st.sampled_from(["元", "万元"])),
                               rate=data.draw(st.sampled_from([None, "0.25", "1", "0.333"])),
                               cap=data.draw(st.sampled_from([None, ("50000", "元"), ("2", "万元")])),
                               met_on=data.draw(st.sampled_from([None, "2025-01-10", "2025-06-30"])),
                               deadline=data.draw(st.sampled_from([None, "2025-03-31"])))
                        for k in range(n)]
    docket = flatten(cases)
    fast = assess_docket(docket, today=TODAY)
    slow = assess_docket(docket, today=TODAY, vectorise=False)
    assert same(fast, slow) == []
    assert (fast["engine"] == "vectorised").all()


@pytest.mark.parametrize("credits,engine", [
    ([credit("D1", "treasury", "5")], "vectorised"),                                      # an id like a damage item's
    ([credit("X", "treasury", "5"), credit("X", "treasury", "6")], "single"),             # an id twice
    ([credit("X", "treasury", "-5")], "single"),                                          # refused by the model
    ([{**credit("X", "treasury", "5"), "rate": "1.5"}], "single"),
    ([credit("X", "nowhere", "5")], "single"),
    ([{**credit("X", "treasury", "5"), "met_on": "2025-03-01T10:00"}], "single"),
])
def test_credit_edge_cases_equal_the_single_path(credits, engine):
    from assess.formats.docket import flatten
    from test_docket_engine import base_case

    tables = flatten([base_case(credits=credits)])
    fast = assess_docket(tables, today=TODAY)
    assert fast["engine"][0] == engine
    assert same(fast, assess_docket(tables, today=TODAY, vectorise=False)) == []
