"""`assess check` and a judgment that rounds its award at the total (issue 14 §2: rounding of the award).

The case is the shipped water example (data/examples/js_water_pollution.json), every line to the fen:
(3) C1 68 000.00 + C2 12 650.00 = 80 650.00; (4) D1 425 714.79; (5) C3 36 820.50;
lines: 80 650.00 + 425 714.79 + 36 820.50 = 543 185.29 元.
The judgment rounds the award at the total to 100 元, half-up (``rounding: {step: 100, at: total}``):
543 185.29 = 5 431.8529 hundreds → 5 432 → 543 200.00 元; 尾数调整 = 543 200.00 − 543 185.29 = +14.71 元.

A judgment may print the 尾数调整 line or not.  Either way the categories (to the fen) and the total
(543 200.00) are what the court decided, so nothing differs: the claim's own arithmetic holds at the case's
stated rounding (543 185.29 rounded to 100 元 = 543 200.00), and an unlisted adjustment is never "missing".
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal as D

import pytest

from assess import assess_case
from assess.app.check import check_claim_only, compare, render_report
from assess.app.cli import main
from assess.formats.claims import claim_from_dict

BASIS = "（2024）苏09民初1号民事判决书：赔偿总额取整至百元"
CATEGORIES = [
    {"label": "（三）调查鉴定评估费用", "amount": "80,650.00元"},
    {"label": "（四）清除污染、修复生态环境费用", "amount": "425,714.79元"},
    {"label": "（五）防止损害的发生和扩大所支出的合理费用", "amount": "36,820.50元"},
]
TOTAL = {"label": "合计", "amount": "543,200.00元"}


def rounded_case(example_dict, step="100", at="total"):
    case = copy.deepcopy(example_dict)
    case["rounding"] = {"step": step, "at": at, "basis": BASIS}
    return case


def judgment(*extra):
    return claim_from_dict({"case_id": "JS-YC-2024-017", "lines": [*CATEGORIES, *extra, TOTAL]})


def test_judgment_without_the_adjustment_line_matches(example_dict):
    r = assess_case(rounded_case(example_dict))
    assert (r.ledger.adjustment, r.ledger.total) == (D("14.71"), D("543200.00"))
    rep = compare(r, judgment())
    assert rep.ok and rep.differences == 0
    assert {f.id: f.status for f in rep.findings} == {"assessment_costs": "match", "remediation_costs": "match",
                                                      "prevention_costs": "match", "total": "match"}
    # the claim's own sum: 543 185.29 ≠ 543 200.00 at the fen, but it is the case's stated rounding
    (a,) = [a for a in rep.arithmetic if a.result == "合计"]
    assert (a.holds, a.computed, a.claimed) == (True, "543185.29", "543200.00")
    assert a.rounding is not None and "+14.71" in a.rounding["en"] and BASIS in a.rounding["zh"]
    text = render_report(rep, "en")
    assert "543,185.29 → 543,200.00" in text and "not listed" in text and "1 difference" not in text
    assert "everything matches" in text


def test_judgment_with_the_adjustment_line_matches(example_dict):
    rep = compare(assess_case(rounded_case(example_dict)), judgment({"label": "尾数调整", "amount": "14.71元"}))
    assert rep.ok and rep.differences == 0
    assert {f.id: f.status for f in rep.findings}["ledger.rounding_adjustment"] == "match"
    # 80 650.00 + 425 714.79 + 36 820.50 + 14.71 = 543 200.00: the claim's own sum holds exactly
    (a,) = [a for a in rep.arithmetic if a.result == "合计"]
    assert (a.holds, a.computed, a.rounding) == (True, "543200.00", None)
    assert len(a.operands) == 4


def test_a_wrong_adjustment_is_one_difference(example_dict):
    # 尾数调整 printed 14.00: −0.71 against 14.71; the claim's own sum 543 185.29 + 14.00 = 543 199.29 ≠ 543 200.00
    # fails only through that line, so it is explained by it and counted once
    rep = compare(assess_case(rounded_case(example_dict)), judgment({"label": "尾数调整", "amount": "14.00元"}))
    adj = next(f for f in rep.findings if f.id == "ledger.rounding_adjustment")
    assert (adj.status, adj.difference) == ("differs", "-0.71")
    (a,) = [a for a in rep.arithmetic if a.result == "合计"]
    assert (a.holds, a.computed, a.difference) == (False, "543199.29", "+0.71") and a.explained_by == ["尾数调整"]
    assert rep.differences == 1


def test_without_a_stated_rounding_the_difference_is_real(example_dict):
    # the case states no rounding: the total is 543 185.29, the judgment's 543 200.00 differs by +14.71 at the fen
    rep = compare(assess_case(example_dict), judgment())
    assert next(f for f in rep.findings if f.id == "total").difference == "+14.71"
    (a,) = [a for a in rep.arithmetic if a.result == "合计"]
    assert (a.holds, a.difference, a.rounding) == (False, "+14.71", None)
    assert a.explained_by == ["合计"] and rep.differences == 1   # the total's difference, counted once
    # a judgment listing an adjustment the case does not state: not recomputable, the reason names rounding
    rep = compare(assess_case(example_dict), judgment({"label": "尾数调整", "amount": "14.71元"}))
    adj = next(f for f in rep.findings if f.id == "ledger.rounding_adjustment")
    assert adj.status == "not_recomputable" and "rounding" in adj.reason["en"]


@pytest.mark.parametrize("total, holds", [
    ("543,200.00元", True),    # the stated rounding: 543 185.29 → 543 200.00
    ("543,100.00元", False),   # 100 元 below it: a real difference, −100.00 against the rounded sum
])
def test_rounding_note_only_when_the_rounded_sum_matches(example_dict, total, holds):
    claim = claim_from_dict({"lines": [*CATEGORIES, {"label": "合计", "amount": total}]})
    (a,) = [a for a in compare(assess_case(rounded_case(example_dict)), claim).arithmetic if a.result == "合计"]
    assert a.holds is holds and (a.rounding is not None) is holds


def test_compared_at_the_printed_precision(example_dict):
    # rounded at the total to the yuan: 543 185.29 → 543 185.00, 尾数调整 −0.29.  A judgment printing
    # 合计 54.3185万元 (to the yuan) and the categories to the fen matches, its own sum too.
    r = assess_case(rounded_case(example_dict, step="1"))
    assert (r.ledger.adjustment, r.ledger.total) == (D("-0.29"), D("543185.00"))
    claim = claim_from_dict({"lines": [*CATEGORIES, {"label": "合计", "amount": "54.3185万元"}]})
    rep = compare(r, claim)
    assert rep.ok and next(f for f in rep.findings if f.id == "total").precision["en"] == "to the yuan"


def test_claim_only_arithmetic_counts_the_listed_adjustment():
    # no case: 80 650.00 + 425 714.79 + 36 820.50 + 14.71 = 543 200.00
    rep = check_claim_only(judgment({"label": "尾数调整", "amount": "14.71元"}))
    assert [(a.result, a.holds) for a in rep.arithmetic] == [("合计", True)]


def test_cli_check_exit_0(example_dict, tmp_path, capsys):
    case, claim = tmp_path / "case.json", tmp_path / "judgment.json"
    case.write_text(json.dumps(rounded_case(example_dict), ensure_ascii=False), encoding="utf-8")
    claim.write_text(json.dumps({"lines": [*CATEGORIES, TOTAL]}, ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(case), "--claimed", str(claim), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "尾数调整" in out and "全部相符" in out
    # the case's own `assess run --json` result, read back as a claim, matches as well
    assert main(["run", str(case), "--json", "-o", str(tmp_path / "r.json")]) == 0
    assert main(["check", str(case), "--claimed", str(tmp_path / "r.json")]) == 0
