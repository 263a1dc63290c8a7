"""Judicial choices as stated, cited inputs (issue: real cases as they are decided, §2).

Each test writes out the working by hand.  The base case is the shipped water example:
(3) 80 650.00 + (4) 425 714.79 + (5) 36 820.50 = 543 185.29 元.
"""

from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest

from assess import assess_case
from assess.app.api import UncertaintyOptions
from factors.errors import InputError


def with_item(example_dict, item):
    case = copy.deepcopy(example_dict)
    case["damage_items"].append(item)
    return case


def given(amount, unit="元", category="interim_service_loss"):
    return {"id": "G1", "label": "期间服务功能损失（鉴定意见）", "element": "surface_water", "restorable": True,
            "category": category, "method": "given_amount",
            "inputs": {"amount": {"value": amount, "unit": unit}, "source": "appraisal_report",
                       "document": "苏环鉴字〔2024〕17号鉴定意见书第12页", "evidence": "经质证采信"}}


def ratio(of, r, category="interim_service_loss", item_id="R1"):
    return {"id": item_id, "label": "期间服务功能损失（按修复费用比例）", "element": "surface_water", "restorable": True,
            "category": category, "method": "ratio_of",
            "inputs": {"of": of, "ratio": r, "basis": "（2023）苏01民初123号判决：按修复费用的30%计"}}


def test_amount_taken_as_given_from_a_report(example_dict):
    # 12.5 万元 = 125 000.00 元 into category (1); the total becomes 543 185.29 + 125 000.00 = 668 185.29
    res = assess_case(with_item(example_dict, given("12.5", "万元")))
    assert res.ledger.amount("interim_service_loss") == D("125000.00")
    assert res.ledger.total == D("668185.29")
    node = next(n for n in res.trace.walk() if n.id == "G1")
    assert node.kind == "input" and "苏环鉴字〔2024〕17号" in node.note["zh"] and node.rule == "CC-1235(1)"


def test_amount_as_a_ratio_of_the_restoration_cost(example_dict):
    # 0.3 × D1 425 714.79 = 127 714.437 → 127 714.44 (half-up once); total 543 185.29 + 127 714.44 = 670 899.73
    res = assess_case(with_item(example_dict, ratio("D1", "0.3")))
    assert res.ledger.amount("interim_service_loss") == D("127714.44")
    assert res.ledger.total == D("670899.73")
    node = next(n for n in res.trace.walk() if n.id == "R1")
    assert node.formula == "ratio × amount of D1 = 0.3 × 425714.79"
    assert node.inputs["amount"]["from"] == "D1" and "判决" in node.note["zh"]


def test_ratio_of_a_cost_item_and_of_a_ratio_refused(example_dict):
    # 0.5 × C2 12 650.00 = 6 325.00
    res = assess_case(with_item(example_dict, ratio("C2", "0.5")))
    assert res.ledger.amount("interim_service_loss") == D("6325.00")
    case = with_item(example_dict, ratio("D1", "0.3"))
    case["damage_items"].append(ratio("R1", "0.5", item_id="R2"))
    with pytest.raises(InputError) as e:
        assess_case(case)
    assert "damage_items[2].inputs.of" in str(e.value) and "a ratio of a ratio is not taken" in str(e.value)


def test_ratio_of_an_unknown_item(example_dict):
    with pytest.raises(InputError, match=r"damage_items\[1\]\.inputs\.of"):
        assess_case(with_item(example_dict, ratio("NOPE", "0.3")))


def test_ratio_must_be_positive(example_dict):
    with pytest.raises(InputError, match=r"damage_items\[1\]\.inputs\.ratio"):
        assess_case(with_item(example_dict, ratio("D1", "0")))


def test_uncertainty_band_carries_the_ratio(example_dict):
    res = assess_case(with_item(example_dict, ratio("D1", "0.3")), uncertainty=UncertaintyOptions(draws=200, seed=1))
    # no input has a distribution: every draw is the point value (unrounded: 0.3 × 425 714.79 = 127 714.437),
    # so the band is 543 185.29 + 127 714.437 = 670 899.727 (display rounds it to 百元)
    assert res.uncertainty.total.p50 == pytest.approx(670899.727, abs=0.01)


# -- fines recorded without a punitive claim; payments without an instalment plan -------------------

FINE = {"kind": "administrative_fine", "amount": {"value": "20", "unit": "万元"}, "date": "2024-05-20",
        "authority": "盐城市生态环境局", "reference": "盐环罚〔2024〕88号"}


def pay(amount, date, kind=None):
    p = {"date": date, "amount": {"value": amount, "unit": "元"}, "reference": "bank"}
    if kind:
        p["kind"] = kind
    return p


def test_fines_recorded_never_deducted(example_dict):
    # a 20 万元 administrative fine is shown (SH-8 / JS-(三)); the ledger total stays 543 185.29
    case = copy.deepcopy(example_dict)
    case["fines"] = [FINE]
    res = assess_case(case)
    assert res.ledger.total == D("543185.29")
    assert res.statement.fines[0]["amount"] == "200000.00" and res.statement.still_owed == D("543185.29")
    node = res.statement.trace.children[-1]
    assert node.id == "fines" and node.rule == "SH-8" and "不得以罚代赔" in node.note["zh"]
    assert "已处罚款（不扣减）" in res.render("zh")


def test_lump_sum_partial_payment_and_escrow(example_dict):
    # owed = ledger total 543 185.29 (no liability section); paid 300 000.00 + 43 185.29 on two dates,
    # 150 000.00 deposited in escrow (提存, CC 571: deemed delivered): still owed
    # 543 185.29 − 343 185.29 − 150 000.00 = 50 000.00
    case = copy.deepcopy(example_dict)
    case["payments"] = [pay("300000", "2025-01-10"), pay("150000", "2025-02-01", "escrow"), pay("43185.29", "2025-01-20")]
    res = assess_case(case)
    st = res.statement
    assert (st.owed, st.paid, st.escrow, st.still_owed) == (D("543185.29"), D("343185.29"), D("150000.00"), D("50000.00"))
    assert [p["date"] for p in st.payments] == ["2025-01-10", "2025-01-20", "2025-02-01"]   # in date order
    escrow = next(n for n in st.trace.walk() if n.id == "payments[1]")
    assert escrow.rule == "CC-571" and escrow.citation["zh"].endswith("第五百七十一条")
    assert st.trace.rule == "CC-557"
    assert res.to_dict()["statement"]["still_owed"] == "50000.00"


def test_paying_the_whole_amount_leaves_nothing_owed(example_dict):
    case = copy.deepcopy(example_dict)
    case["payments"] = [pay("543185.29", "2025-03-01")]
    assert assess_case(case).statement.still_owed == D("0.00")


def test_overpayment_is_bad_input(example_dict):
    case = copy.deepcopy(example_dict)
    case["payments"] = [pay("543185.30", "2025-03-01")]
    with pytest.raises(InputError, match="payments: expected payments and deposits of at most the amount owed"):
        assess_case(case)


def test_escrow_with_an_instalment_plan_is_refused(example_dict):
    import json

    from factors.paths import data_dir
    case = json.loads((data_dir() / "examples" / "js_liability_instalments.json").read_text(encoding="utf-8"))
    case["payments"][0]["kind"] = "escrow"
    with pytest.raises(InputError, match="escrow deposit"):
        assess_case(case)


# -- apportionment by a quantity -------------------------------------------------------------------

def test_punitive_apportioned_by_tonnes_exactly():
    # 225 000.00 split by 1 200 t / 1 300 t / 1 000 t (Σ 3 500 t) = 22 500 000 fen × 12/35, 13/35, 10/35:
    # 7 714 285.714…, 8 357 142.857…, 6 428 571.428… fen → floors 7 714 285 + 8 357 142 + 6 428 571
    # = 22 499 998; the 2 fen left go to the largest remainders (.857 then .714): 77 142.86, 83 571.43,
    # 64 285.71 — summing to 225 000.00 exactly.  Pre-divided six-place shares (0.342857 …) would give
    # 225 000 × 0.342857 = 77 142.83, three fen off.
    import json

    from factors.paths import data_dir
    case = json.loads((data_dir() / "examples" / "js_liability_instalments.json").read_text(encoding="utf-8"))
    case["obligors"] = [
        {"id": "O1", "name": "甲公司", "kind": "enterprise", "quantity": {"value": "1200", "unit": "t"},
         "quantity_basis": "（2024）苏06刑初5号判决认定的倾倒量"},
        {"id": "O2", "name": "乙公司", "kind": "enterprise", "quantity": {"value": "1300000", "unit": "kg"}},
        {"id": "O3", "name": "张某", "kind": "individual", "quantity": {"value": "1000", "unit": "t"}},
    ]
    res = assess_case(case)
    p = res.liability.punitive
    assert [s.award for s in p.shares] == [D("77142.86"), D("83571.43"), D("64285.71")]
    assert sum(s.award for s in p.shares) == p.award == D("225000.00")
    node = next(n for n in p.trace.walk() if n.id == "punitive.apportion.O2")
    assert node.inputs["share"]["value"] == "1300/3500" and "q_i / Σq" in node.formula
    assert "倾倒量" in next(n for n in p.trace.walk() if n.id == "punitive.apportion.O1").note["zh"]


@pytest.mark.parametrize("obligors, message", [
    ([{"quantity": {"value": "1", "unit": "t"}, "share": "0.5"}, {"quantity": {"value": "1", "unit": "t"}, "share": "0.5"}],
     "either shares or quantities"),
    ([{"quantity": {"value": "1", "unit": "t"}}, {}], "a quantity for every obligor"),
    ([{"quantity": {"value": "1", "unit": "t"}}, {"quantity": {"value": "1", "unit": "m³"}}], "one dimension"),
    ([{"quantity": {"value": "0", "unit": "t"}}, {"quantity": {"value": "0", "unit": "t"}}], "positive sum"),
])
def test_bad_quantities(example_dict, obligors, message):
    case = copy.deepcopy(example_dict)
    case["obligors"] = [{"id": f"O{i}", "name": f"o{i}", "kind": "enterprise", **o} for i, o in enumerate(obligors)]
    with pytest.raises(InputError, match=message):
        assess_case(case)


def test_statement_is_part_of_the_published_result_contract(example_dict):
    from assess.reports.contract import validate_result

    case = copy.deepcopy(example_dict)
    case["fines"] = [FINE]
    case["payments"] = [pay("1000", "2025-01-10"), pay("2000", "2025-01-11", "escrow")]
    validate_result(json_round_trip(assess_case(case).to_dict()))


def json_round_trip(d):
    import json

    return json.loads(json.dumps(d, ensure_ascii=False))
