"""The Art. 1235 ledger on the shipped example and on hand-worked cases."""

import copy
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assess import assess_case
from assess.law.categories import KEYS


def test_example_case_hand_worked(example_dict):
    r = assess_case(example_dict)
    L = r.ledger
    # D1 restoration lines (each rounded half-up to the fen):
    #   3246.5 m³ × 86.40 元/m³ = 280 497.60
    #   18 亩 × 2 850.00 元/亩   =  51 300.00
    #   12 次 × 3 580.00 元/次   =  42 960.00
    #   1 项 × 28 000 元/项      =  28 000.00
    #   engineering subtotal       = 402 757.60
    #   design 402 757.60 × 0.035 = 14 096.516 → 14 096.52
    #   supervision × 0.022       =  8 860.6672 → 8 860.67
    #   D1 = 402 757.60 + 14 096.52 + 8 860.67 = 425 714.79
    d1 = L.categories["remediation_costs"].items[0]
    assert d1.amount == Decimal("425714.79")
    assert r.trace.find("D1.subtotal").result["value"] == "402757.60"
    assert r.trace.find("D1.surcharges[0]").result["value"] == "14096.52"
    assert r.trace.find("D1.surcharges[1]").result["value"] == "8860.67"
    # category 3: 6.8 万元 = 68 000.00 + 12 650.00 = 80 650.00; category 5: 36 820.50
    assert L.amount("assessment_costs") == Decimal("80650.00")
    assert L.amount("prevention_costs") == Decimal("36820.50")
    assert L.amount("interim_service_loss") == L.amount("permanent_loss") == Decimal("0.00")
    # total 425 714.79 + 80 650.00 + 36 820.50 = 543 185.29
    assert L.total == Decimal("543185.29")
    # derived: excluding category 3 (JS-(八)) = 462 535.29; punitive base (1 + 2) = 0
    assert L.excluding_assessment_costs == Decimal("462535.29")
    assert L.punitive_base == Decimal("0.00")


def test_result_json_shape(example_dict):
    d = assess_case(example_dict).to_dict()
    assert set(KEYS) <= set(d["ledger"]) and d["ledger"]["total"] == "543185.29"
    assert d["ledger"]["remediation_costs"]["items"][0]["amount"] == "425714.79"
    assert d["rules_date"] == "2024-09-30" and d["jurisdiction"] == "CN-JS"
    assert d["trace"]["id"] == "ledger.total" and d["trace"]["rule"] == "CC-1235"
    line = d["trace"]["children"][3]["children"][0]["children"][0]["children"][0]
    assert line["inputs"]["quantity"] == {"value": "3246.5", "unit": "m³", "from": "damage_items[0].inputs.lines[0].quantity"}
    assert line["result"]["value"] == "280497.60"


def test_trace_cites_every_category(example_dict):
    r = assess_case(example_dict)
    for n in r.trace.walk():
        if n.rule:
            assert n.citation and n.citation["zh"] and n.citation["en"]
    text_zh, text_en = r.trace.render("zh"), r.trace.render("en")
    assert "《中华人民共和国民法典》第一千二百三十五条第（四）项" in text_zh
    assert "Civil Code of the PRC, Art. 1235 item (4)" in text_en


def test_e1_line(minimal_case):
    # 1200 m³ × 35.50 元/m³ = 42 600.00 元; + 20 000.00 report = 62 600.00
    r = assess_case(minimal_case)
    assert r.ledger.amount("remediation_costs") == Decimal("42600.00")
    assert r.total == Decimal("62600.00")


def test_unit_conversion_exact_in_mu_and_hm2(minimal_case):
    # 15 亩 × 3 000 元/亩 = 45 000.00 = 1 hm² × 45 000 元/hm²; also 0.75 亩 at 1 元/hm² … exact 1/20 元 = 0.05
    a, b = copy.deepcopy(minimal_case), copy.deepcopy(minimal_case)
    a["damage_items"][0]["inputs"]["lines"][0].update(quantity={"value": "15", "unit": "亩"}, unit_price={"value": "3000", "unit": "元/亩"})
    b["damage_items"][0]["inputs"]["lines"][0].update(quantity={"value": "1", "unit": "hm²"}, unit_price={"value": "3000", "unit": "元/亩"})
    assert assess_case(a).total == assess_case(b).total == Decimal("65000.00")


def test_price_in_wan_yuan_per_hm2(minimal_case):
    # 3 亩 × 1.5 万元/hm² = 3/15 hm² × 15 000 = 3 000.00 元 (exact, no float residue)
    minimal_case["damage_items"][0]["inputs"]["lines"][0].update(
        quantity={"value": "3", "unit": "亩"}, unit_price={"value": "1.5", "unit": "万元/hm²"})
    assert assess_case(minimal_case).ledger.amount("remediation_costs") == Decimal("3000.00")


def test_half_fen_line_rounds_up(minimal_case):
    # 1 m³ × 0.125 元/m³ = 0.125 → 0.13 (half-up); 3 such lines print 0.13 each and total 0.39, not 0.38
    line = {"label": "x", "quantity": {"value": "1", "unit": "m³"}, "unit_price": {"value": "0.125", "unit": "元/m³"}}
    minimal_case["damage_items"][0]["inputs"]["lines"] = [line, line, line]
    minimal_case["cost_items"] = []
    r = assess_case(minimal_case)
    assert r.total == Decimal("0.39")


money_text = st.decimals(min_value=0, max_value=Decimal("1e8"), places=3, allow_nan=False).map(str)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(money_text, st.sampled_from(["assessment_costs", "remediation_costs", "prevention_costs"]),
                          st.sampled_from(["元", "万元"])), min_size=1, max_size=12))
def test_items_sum_to_category_and_total(rows):
    case = {"case_id": "H", "jurisdiction": "CN", "dates": {"incident": "2024-01-01"},
            "cost_items": [{"id": f"C{i}", "category": cat, "label": "x", "amount": {"value": v, "unit": u},
                            "date": "2024-01-02", "evidence": "e"} for i, (v, cat, u) in enumerate(rows)]}
    r = assess_case(case)
    d = r.to_dict()["ledger"]
    cats = [Decimal(d[k]["amount"]) for k in KEYS]
    assert sum(cats) == Decimal(d["total"])
    for k in KEYS:
        assert sum((Decimal(i["amount"]) for i in d[k]["items"]), Decimal(0)) == Decimal(d[k]["amount"])


def _one_line_case(quantity, unit_price):
    return {"case_id": "U", "jurisdiction": "CN", "dates": {"incident": "2024-01-01"},
            "damage_items": [{"id": "D", "label": "x", "element": "soil", "restorable": True,
                              "category": "remediation_costs", "method": "restoration_cost",
                              "inputs": {"lines": [{"label": "l", "quantity": quantity, "unit_price": unit_price}]}}]}


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.decimals(min_value=0, max_value=10**5, places=2))
def test_mu_and_hm2_give_the_same_yuan(k, p):
    # 15k 亩 = k hm² (exact), so 15k 亩 × p 元/hm² == k hm² × p 元/hm²;
    # and n 亩 × p 元/亩 == n 亩 × 15p 元/hm² (1 hm² = 15 亩)
    mu = assess_case(_one_line_case({"value": str(15 * k), "unit": "亩"}, {"value": str(p), "unit": "元/hm²"}))
    hm = assess_case(_one_line_case({"value": str(k), "unit": "hm²"}, {"value": str(p), "unit": "元/hm²"}))
    assert mu.total == hm.total
    per_mu = assess_case(_one_line_case({"value": str(k), "unit": "亩"}, {"value": str(p), "unit": "元/亩"}))
    per_hm = assess_case(_one_line_case({"value": str(k), "unit": "亩"}, {"value": str(15 * p), "unit": "元/hm²"}))
    assert per_mu.total == per_hm.total


@settings(max_examples=40, deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=3), st.decimals(min_value=0, max_value=10**4, places=2))
def test_wan_yuan_and_yuan_give_the_same_yuan(q, p):
    # p 万元/t == 10000p 元/t
    a = assess_case(_one_line_case({"value": str(q), "unit": "t"}, {"value": str(p), "unit": "万元/t"}))
    b = assess_case(_one_line_case({"value": str(q), "unit": "t"}, {"value": str(p * 10000), "unit": "元/t"}))
    assert a.total == b.total
