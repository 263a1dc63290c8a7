"""Relational dockets (assess/app/docket.py, issue 18): the vectorised engine against the single path.

Every case the single path accepts gives the same fen, the same six routing decisions, the same deadlines
and the same punitive award and net owed; a case it refuses gives an error row and the docket goes on.
"""

from __future__ import annotations

import copy
import json
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _docket_examples import CASE_EXAMPLES
from assess import assess_case
from assess.app.docket import OUTPUT_COLUMNS, assess_docket, explain
from assess.formats.docket import flatten, unflatten
from assess.app.synthetic import synthetic_docket_tables
from factors.errors import InputError

TODAY = date(2026, 12, 1)
EXAMPLES = CASE_EXAMPLES   # every case file of data/examples/**/*.json
COMPARED = [c for c in OUTPUT_COLUMNS if c != "engine"]


def same(a: pd.DataFrame, b: pd.DataFrame) -> list[str]:
    """The columns where two docket results differ (NA equal to NA)."""
    out = []
    for c in COMPARED:
        x, y = a[c].astype(object), b[c].astype(object)
        x, y = x.where(x.notna(), None), y.where(y.notna(), None)
        if not all((u is None and v is None) or u == v for u, v in zip(x, y, strict=True)):
            out.append(c)
    return out


def base_case(**over) -> dict:
    """A small Jiangsu case: one restoration line with a surcharge, one cost item in 万元."""
    case = {
        "case_id": "T-1", "jurisdiction": "CN-JS",
        "dates": {"incident": "2024-03-01", "clue_received": "2024-03-05"},
        "facts": {"simple_facts": True, "undisputed_liability": True, "small_damage": True},
        "damage_items": [{
            "id": "D1", "label": "清淤", "element": "sediment", "restorable": True, "category": "remediation_costs",
            "method": "restoration_cost",
            "inputs": {"lines": [{"label": "清淤", "quantity": {"value": "820.5", "unit": "m³"},
                                  "unit_price": {"value": "72.30", "unit": "元/m³"}}],
                       "surcharges": [{"label": "设计费", "rate": "0.05", "basis": "收费标准"}]}}],
        "cost_items": [{"id": "C1", "category": "assessment_costs", "label": "鉴定费", "amount": {"value": "4.5", "unit": "万元"},
                        "date": "2024-04-01", "evidence": "发票"}],
    }
    case.update(over)
    return case


def test_hand_worked_case_is_vectorised():
    # line 820.5 m³ × 72.30 元/m³ = 59322.15 元; surcharge 59322.15 × 0.05 = 2966.1075 → 2966.11 元 (half-up)
    # category 4 = 62288.26 元 = 6228826 fen; category 3: 4.5 万元 = 45000.00 元 = 4500000 fen; total 10728826 fen
    out = assess_docket(flatten([base_case()]), today=TODAY)
    row = out.iloc[0]
    assert row["engine"] == "vectorised" and row["error"] is None
    assert row["remediation_costs_fen"] == 6228826 and row["assessment_costs_fen"] == 4500000
    assert row["total_fen"] == 10728826
    # the clue of 2024-03-05 + 30 days (JS-(三)): binds only a referred clue, not established here
    assert row["initial_verification_status"] == "cannot_compute"
    assert pd.isna(row["punitive_fen"]) and pd.isna(row["net_owed_fen"])
    assert same(out, assess_docket(flatten([base_case()]), today=TODAY, vectorise=False)) == []


def test_examples_match_the_single_path():
    docs = [json.loads(p.read_text("utf-8")) for p in EXAMPLES]
    tables = flatten(docs)
    fast = assess_docket(tables, today=TODAY)
    slow = assess_docket(tables, today=TODAY, vectorise=False)
    assert same(fast, slow) == []
    assert fast["error"].isna().all()
    for doc, (_, row) in zip(docs, fast.iterrows(), strict=True):
        r = assess_case(copy.deepcopy(doc), today=TODAY)
        assert row["total_fen"] == int(r.ledger.total.scaleb(2))
        assert [row[d.key] for d in r.routing.decisions] == [d.outcome for d in r.routing.decisions]
    # the 2018 water case has only supported fields: it runs on arrays
    assert fast.set_index("case_id").loc["JS-HA-2018-011", "engine"] == "vectorised"
    assert fast.set_index("case_id").loc["JS-YC-2024-017", "total_fen"] == 54318529


def test_explain_is_the_single_path():
    docs = [json.loads(p.read_text("utf-8")) for p in EXAMPLES]
    tables = flatten(docs)
    for doc in docs:
        got = explain(tables, doc["case_id"], today=TODAY).to_dict()
        want = assess_case(copy.deepcopy(doc), today=TODAY).to_dict()
        assert got == want
    with pytest.raises(InputError, match="case_id"):
        explain(tables, "no-such-case")


@pytest.mark.parametrize("text_numbers", [False, True])
def test_synthetic_docket_every_case_vectorised_and_equal(text_numbers):
    tables = synthetic_docket_tables(150, seed=7, text_numbers=text_numbers)
    fast = assess_docket(tables, today=TODAY)
    assert (fast["engine"] == "vectorised").all()
    assert fast["punitive_fen"].notna().any() and (fast["punitive_fen"] > 0).any()
    assert same(fast, assess_docket(tables, today=TODAY, vectorise=False)) == []


def test_on_overrides_every_date():
    tables = synthetic_docket_tables(40, seed=3)
    fast = assess_docket(tables, on=date(2025, 6, 30), today=TODAY)
    assert (fast["rules_date"] == pd.Timestamp("2025-06-30")).all()
    assert same(fast, assess_docket(tables, on=date(2025, 6, 30), today=TODAY, vectorise=False)) == []


def test_punitive_cap_both_sides():
    # 法释〔2022〕1号 cap: multiple "一般不超过" 2 (<=): 2 is within (award = base × 2), 2.01 is refused without override
    def case(multiple, cid=None, **extra):
        c = base_case(case_id=cid or f"P-{multiple}", damage_items=[{
            "id": "D1", "label": "期间损失", "element": "soil", "restorable": True, "category": "interim_service_loss",
            "method": "given_amount", "inputs": {"amount": {"value": "1000.05", "unit": "元"}, "source": "judgment",
                                                 "document": "判决书"}}])
        fact = {"established": True, "evidence": "判决书"}
        c["punitive"] = {"facts": {"intentional_violation": fact, "pollution_or_destruction": fact,
                                   "serious_consequences": fact}, "multiple": multiple, "reasons": ["恶意"], **extra}
        return c
    tables = flatten([case("2"), case("2.01"), case("2.01", "P-override", override={"reason": "情节特别恶劣"})])
    out = assess_docket(tables, today=TODAY).set_index("case_id")
    # 1000.05 × 2 = 2000.10 元; net = 45000.00 + 1000.05 + 2000.10 = 48000.15 元
    assert out.loc["P-2", "punitive_fen"] == 200010 and out.loc["P-2", "net_owed_fen"] == 4800015
    assert out.loc["P-2", "engine"] == "vectorised"
    assert "punitive.multiple" in out.loc["P-2.01", "error"] and out.loc["P-2.01", "engine"] == "single"
    assert pd.isna(out.loc["P-2.01", "total_fen"])
    # 1000.05 × 2.01 = 2010.1005 → 2010.10 元 (above the cap, with the reason stated)
    assert out.loc["P-override", "punitive_fen"] == 201010 and out.loc["P-override", "engine"] == "vectorised"


def test_unsupported_fields_fall_back_and_bad_cases_are_error_rows():
    ok = base_case(case_id="OK")
    other = base_case(case_id="EVENTS", procedure={"case_opened": "2024-03-20"})     # procedure events: single path
    bad = base_case(case_id="BAD")
    bad["damage_items"][0]["inputs"]["lines"][0]["quantity"]["value"] = "-3"           # refused by the case model
    unit = base_case(case_id="UNIT")
    unit["damage_items"][0]["inputs"]["lines"][0]["unit_price"]["unit"] = "元/t"        # m³ × 元/t is not money
    out = assess_docket(flatten([ok, other, bad, unit]), today=TODAY).set_index("case_id")
    assert out.loc["OK", "engine"] == "vectorised"
    assert out.loc["EVENTS", "engine"] == "single" and pd.isna(out.loc["EVENTS", "error"])
    assert out.loc["EVENTS", "non_initiation"] == "start"
    assert out.loc["BAD", "engine"] == "single" and "damage_items[0].inputs.lines[0].quantity" in out.loc["BAD", "error"]
    assert pd.isna(out.loc["BAD", "total_fen"]) and pd.isna(out.loc["BAD", "who_acts"])
    assert "unit_price.unit" in out.loc["UNIT", "error"]


def test_docket_errors():
    tables = flatten([base_case(case_id="A"), base_case(case_id="B")])
    dup = dict(tables)
    dup["cases"] = pd.concat([tables["cases"], tables["cases"].iloc[[0]]], ignore_index=True)
    with pytest.raises(InputError, match=r"cases rows 0 and 2 case_id"):
        assess_docket(dup)
    orphan = dict(tables)
    orphan["cost_items"] = tables["cost_items"].assign(case_id=["A", "Z"])
    with pytest.raises(InputError, match=r"cost_items row 1 case_id"):
        assess_docket(orphan)
    with pytest.raises(InputError, match="cases"):
        assess_docket({"cost_items": tables["cost_items"]})


def test_case_files_round_trip_examples():
    docs = [json.loads(p.read_text("utf-8")) for p in EXAMPLES]
    assert [d for _, d in unflatten(flatten(docs))] == docs


# -- differential: mutated cells never crash; the vectorised rows equal the single path ----------------

_TABLE_COLUMNS = {
    "damage_items": ["inputs.quantity.value", "inputs.unit_cost.unit", "inputs.gamma.value", "inputs.loss_fraction",
                     "inputs.start_year", "inputs.discount_rate", "category", "method", "element", "inputs.timing",
                     "inputs.amount.value", "cross_check", "damage_ref"],
    "damage_items.inputs.lines": ["quantity.value", "quantity.unit", "unit_price.value", "unit_price.unit", "label"],
    "damage_items.inputs.surcharges": ["rate", "basis"],
    "cost_items": ["amount.value", "amount.unit", "category", "date", "id"],
    "cases": ["jurisdiction", "dates.incident", "dates.clue_received", "facts.simple_facts", "punitive.multiple",
              "facts.location.spans", "facts.major.emergency_level"],
}
_VALUES = st.sampled_from([None, "", " ", "-1", "0", "1", "1.005", "2.675", "1e3", "1,000.5", "abc", "3.5", "2", "2020",
                           2019, 0.1, 1.5, True, False, "元", "万元", "kg", "t", "m³", "亩", "元/t", "D1", "D2",
                           "remediation_costs", "permanent_loss", "interim_service_loss", "given_amount", "value_loss",
                           "soil", "mid", "CN-SH", "CN", "2017-05-01", "2030-01-01", "2024-02-30", "one_area",
                           "beyond_province", "larger"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(sorted(_TABLE_COLUMNS)), st.integers(0, 10 ** 6), st.integers(0, 20),
                                _VALUES), min_size=1, max_size=6))
def test_mutated_dockets_match_the_single_path(edits):
    tables = {k: v.copy() for k, v in synthetic_docket_tables(12, seed=11, text_numbers=True).items()}
    for table, row, k, value in edits:
        df = tables[table]
        if df.empty:
            continue
        name = _TABLE_COLUMNS[table][k % len(_TABLE_COLUMNS[table])]
        if name not in df.columns:
            df[name] = None
        df[name] = df[name].astype(object)
        df.iloc[row % len(df), df.columns.get_loc(name)] = value
    fast = assess_docket(tables, today=TODAY)
    slow = assess_docket(tables, today=TODAY, vectorise=False)
    assert same(fast, slow) == []
    assert not fast["error"].fillna("").str.startswith("internal error").any()


# -- ratio items (method ratio_of) on arrays -----------------------------------------------------------


def ratio_item(of, r, item_id="R1", category="interim_service_loss", **extra):
    return {"id": item_id, "label": "按比例", "element": "surface_water", "restorable": True, "category": category,
            "method": "ratio_of", "inputs": {"of": of, "ratio": r, "basis": "判决书"}, **extra}


def test_ratio_items_are_vectorised_and_equal():
    # base_case: D1 = 62288.26 元 (6228826 fen), C1 = 45000.00 元
    # R1 = 0.3 × 62288.26 = 18686.478 → 18686.48 元 (half-up once) = 1868648 fen
    # R2 = 0.125 × 45000.00 = 5625.00 元 (a ratio of a cost item) = 562500 fen
    a = base_case(case_id="RA")
    a["damage_items"] += [ratio_item("D1", "0.3"), ratio_item("C1", "0.125", item_id="R2", category="prevention_costs")]
    cases = [a]
    for cid, item in [("R-OF-R", ratio_item("R1", "0.5", item_id="R3")),        # a ratio of a ratio: refused
                      ("R-NOPE", ratio_item("NOPE", "0.3")),                     # no such item: refused
                      ("R-ZERO", ratio_item("D1", "0")),                          # ratio > 0: refused
                      ("R-LINE", ratio_item("D1.remediation_costs", "0.3")),     # a ledger line id: single path
                      ("R-CROSS", ratio_item("D1", "0.3"))]:
        c = base_case(case_id=cid)
        c["damage_items"] += [ratio_item("D1", "0.3")] if cid == "R-OF-R" else []
        if cid == "R-CROSS":
            c["damage_items"][0]["cross_check"] = True
        c["damage_items"].append(item)
        cases.append(c)
    tables = flatten(cases)
    fast = assess_docket(tables, today=TODAY)
    assert same(fast, assess_docket(tables, today=TODAY, vectorise=False)) == []
    out = fast.set_index("case_id")
    assert out.loc["RA", "engine"] == "vectorised" and out.loc["RA", "interim_service_loss_fen"] == 1868648
    assert out.loc["RA", "prevention_costs_fen"] == 562500
    assert out.loc["RA", "total_fen"] == 6228826 + 4500000 + 1868648 + 562500
    for cid in ("R-OF-R", "R-NOPE", "R-ZERO", "R-CROSS"):
        assert out.loc[cid, "engine"] == "single" and "inputs" in out.loc[cid, "error"], cid
    assert out.loc["R-LINE", "engine"] == "single"


# -- every method (synthetic): the engine against the single path, generated with hypothesis --------------


def test_every_method_docket_is_valid_and_mixed():
    tables = synthetic_docket_tables(120, seed=5, every_method=True)
    methods = set(tables["damage_items"]["method"].astype(str))
    assert methods == {"restoration_cost", "virtual_treatment_cost", "value_loss", "given_amount", "ratio_of",
                       "habitat_equivalency", "expert_panel"}
    assert tables["damage_items"]["inputs.permanent.method"].notna().any()          # permanent value loss
    assert (tables["damage_items"]["inputs.recovery_year"] == "never").any()        # HEA with a permanent part
    fast = assess_docket(tables, today=TODAY)
    # every method is vectorised now (HEA, permanent value loss, expert panels, shares): no case falls back
    assert fast["error"].isna().all() and set(fast["engine"]) == {"vectorised"}
    assert (fast["permanent_loss_fen"] > 0).any() and fast["net_owed_fen"].notna().any()
    # realistic totals: no case near 10¹⁰ 元 (the perpetuity and hectare lines once gave 10¹¹)
    assert fast["total_fen"].max() < 10 ** 12


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 6), seed=st.integers(0, 2 ** 32 - 1), text_numbers=st.booleans(),
       liability=st.sampled_from([0.0, 0.3, 1.0]))
def test_every_method_engine_equals_single_path(n, seed, text_numbers, liability):
    tables = synthetic_docket_tables(n, seed=seed, every_method=True, text_numbers=text_numbers, liability=liability)
    fast = assess_docket(tables, today=TODAY)
    slow = assess_docket(tables, today=TODAY, vectorise=False)
    assert same(fast, slow) == []
    assert fast["error"].isna().all()


# -- expert panels and shares on arrays: hand-worked, both sides of each boundary ----------------------------


def expert_item(amounts, item_id="E1", category="interim_service_loss", **inputs):
    experts = [{"name": f"专家{k}", "pool": "专家库", "amounts": {category: {"value": a, "unit": u}}}
               for k, (a, u) in enumerate(amounts)]
    return {"id": item_id, "label": "专家评估", "element": "soil", "restorable": True, "category": category,
            "method": "expert_panel", "inputs": {"experts": experts, **inputs}}


def test_expert_panels_are_vectorised_and_equal():
    cases = {
        # median of 100.005, 200, 300.00 元 = 200 元 → 20000 fen
        "E-ODD": [expert_item([("300.00", "元"), ("100.005", "元"), ("200", "元")])],
        # median of four: (200.005 + 300)/2 = 250.0025 → 250.00 元 = 25000 fen
        "E-EVEN": [expert_item([("100", "元"), ("200.005", "元"), ("300", "元"), ("400", "元")])],
        # (100.00 + 100.01)/2 = 100.005: exactly half a fen, half-up → 100.01 元 = 10001 fen
        "E-HALF": [expert_item([("100.00", "元"), ("100.01", "元"), ("99", "元"), ("101", "元")])],
        # mean of 100, 100, 100.01 = 100.00333… → 100.00 元; 2 万元 = 20000 元 in a mean of one item
        "E-MEAN": [expert_item([("100", "元"), ("100", "元"), ("100.01", "元")], aggregation="mean")],
        "E-WAN": [expert_item([("2", "万元"), ("2", "万元"), ("2.5", "万元")], category="permanent_loss")],
        # three experts is the minimum (experts.min_count, SH-16 不少于3人): two is refused by the single path
        "E-TWO": [expert_item([("100", "元"), ("200", "元")])],
        "E-TRIM": [expert_item([("100", "元"), ("200", "元"), ("300", "元")], aggregation="trimmed_mean")],
    }
    docs = []
    for cid, extra in cases.items():
        c = base_case(case_id=cid)
        c["damage_items"] += extra
        docs.append(c)
    tables = flatten(docs)
    fast = assess_docket(tables, today=TODAY)
    assert same(fast, assess_docket(tables, today=TODAY, vectorise=False)) == []
    out = fast.set_index("case_id")
    for cid, fen in (("E-ODD", 20000), ("E-EVEN", 25000), ("E-HALF", 10001), ("E-MEAN", 10000)):
        assert out.loc[cid, "engine"] == "vectorised" and out.loc[cid, "interim_service_loss_fen"] == fen, cid
    assert out.loc["E-WAN", "engine"] == "vectorised" and out.loc["E-WAN", "permanent_loss_fen"] == 2000000
    assert out.loc["E-TWO", "engine"] == "single" and "experts" in out.loc["E-TWO", "error"]
    assert out.loc["E-TRIM", "engine"] == "single" and pd.isna(out.loc["E-TRIM", "error"])


def test_obligor_shares_are_vectorised_and_equal():
    def obligors(*shares):
        return [{"id": f"O{k}", "name": f"某公司{k}", "kind": "enterprise", **({} if s is None else {"share": s})}
                for k, s in enumerate(shares)]

    cases = {"S-HALF": obligors("0.5", "0.5"), "S-7-3": obligors("0.7", "0.3"), "S-ONE": obligors("1"),
             "S-OVER": obligors("0.7", "0.4"),          # sums to 1.1: refused
             "S-SOME": obligors("0.5", None),           # all or none: refused
             "S-ZERO": obligors("0", "1")}              # a share > 0: refused
    docs = [base_case(case_id=cid, obligors=obl) for cid, obl in cases.items()]
    tables = flatten(docs)
    fast = assess_docket(tables, today=TODAY)
    assert same(fast, assess_docket(tables, today=TODAY, vectorise=False)) == []
    out = fast.set_index("case_id")
    for cid in ("S-HALF", "S-7-3", "S-ONE"):
        assert out.loc[cid, "engine"] == "vectorised" and pd.isna(out.loc[cid, "error"]), cid
    for cid in ("S-OVER", "S-SOME", "S-ZERO"):
        assert out.loc[cid, "engine"] == "single" and "obligors" in out.loc[cid, "error"], cid
