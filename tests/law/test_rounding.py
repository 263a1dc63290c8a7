"""Rounding of the award as a stated judicial choice (issue 14 §2; assess/law/rounding.py).

The base case is the shipped water example (tests/conftest.py ``example_dict``), to the fen:
C1 68 000.00 + C2 12 650.00 (category 3) + D1 425 714.79 (category 4) + C3 36 820.50 (category 5)
= 543 185.29 元.  No rule ID decides rounding (a judgment's choice); the ledger it rounds is CC-1235's.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal as D

import pandas as pd
import pytest

from assess import assess_case
from assess.app.cli import main
from assess.app.docket import assess_docket
from assess.app.check import compare
from assess.formats.claims import claim_from_dict
from assess.formats.docket_io import read_docket
from assess.law.rounding import adjustment, round_lines
from assess.reports.contract import validate_result
from factors.errors import InputError
from factors.money import to_fen, to_step

BASIS = "（2024）苏09民初1号民事判决书：赔偿金额取整至元"


def rounded(example_dict, step, at, basis=BASIS):
    case = copy.deepcopy(example_dict)
    case["rounding"] = {"step": step, "at": at, "basis": basis}
    return case


# -- the helper: half-up to a step, both sides of each half ----------------------------------------

@pytest.mark.parametrize("x, step, want", [
    ("12345.49", "1", "12345.00"),     # below the half: down
    ("12345.50", "1", "12346.00"),     # at the half: up (half-up)
    ("149.99", "100", "100.00"),       # 1.4999 hundreds → 1
    ("150.00", "100", "200.00"),       # 1.5 hundreds → 2
    ("-2.50", "1", "-3.00"),           # half away from zero, as to_fen
    ("0.40", "1", "0.00"),             # never -0.00 / a plain zero
    ("1.005", "0.01", "1.01"),         # the fen: to_fen's own tie
    ("0.449", "0.1", "0.40"),
    ("0.45", "0.1", "0.50"),
])
def test_to_step_half_up(x, step, want):
    assert to_step(x, step) == D(want)
    assert str(to_step(x, step)) == want


def test_to_step_at_the_fen_is_to_fen():
    for x in ("0.005", "2.675", "-2.675", "123.454999", "0"):
        assert to_step(x, "0.01") == to_fen(x)


@pytest.mark.parametrize("step", ["5", "0.001", "0", "-1", "25", "0.05"])
def test_to_step_refuses_a_step_that_is_not_a_power_of_ten(step):
    with pytest.raises(ValueError, match="power of ten"):
        to_step("1", step)


def test_the_rule_on_a_column():
    # 0.50 → 1, 0.49 → 0, 99.50 → 100 ; the adjustment of 543 185.29 to 100 元: 543 200.00 − 543 185.29 = 14.71
    assert round_lines([D("0.50"), D("0.49"), D("99.50")], D(1)) == [D("1.00"), D("0.00"), D("100.00")]
    assert adjustment(D("543185.29"), D(100)) == D("14.71")
    assert adjustment(D("543149.99"), D(100)) == D("-49.99")   # 5431.4999 hundreds → 5431: down by 49.99


# -- the default is unchanged -------------------------------------------------------------------------

def test_default_is_the_fen_at_each_line_unchanged(example_dict):
    plain = assess_case(example_dict).to_dict()
    stated = assess_case(rounded(example_dict, "0.01", "line", None)).to_dict()
    assert plain["ledger"] == stated["ledger"]
    assert plain["ledger"]["total"] == "543185.29" and "rounding" not in plain["ledger"]


# -- at the line -------------------------------------------------------------------------------------

def test_each_line_to_the_hundred_yuan(example_dict):
    # C1 68 000.00 → 68 000; C2 12 650.00 → 126.5 hundreds → 127 → 12 700; D1 425 714.79 → 4257.1479 → 425 700;
    # C3 36 820.50 → 368.205 → 36 800.  (3) 68 000 + 12 700 = 80 700; total 80 700 + 425 700 + 36 800 = 543 200.00
    res = assess_case(rounded(example_dict, "100", "line"))
    d = res.to_dict()
    led = d["ledger"]
    assert [i["amount"] for i in led["assessment_costs"]["items"]] == ["68000.00", "12700.00"]
    assert led["assessment_costs"]["amount"] == "80700.00"
    assert led["remediation_costs"]["amount"] == "425700.00"
    assert led["prevention_costs"]["amount"] == "36800.00"
    assert led["total"] == "543200.00"
    assert led["rounding"] == {"step": "100", "at": "line", "basis": BASIS}
    node = res.trace.find("ledger.rounding")
    assert node is not None and BASIS in node.note["zh"] and node.kind == "rounding"
    assert res.trace.find("C2.rounding").formula == "12650.00 → 12700.00"
    assert res.trace.find("C2").result["value"] == "12700.00"
    validate_result(d)


def test_each_line_to_the_yuan_both_sides_of_the_half(example_dict):
    # C3 36 820.50 is at the half → 36 821; D1 425 714.79 → 425 715.  Total 68 000 + 12 650 + 425 715 + 36 821 = 543 186.00
    res = assess_case(rounded(example_dict, "1", "line"))
    assert res.ledger.amount("prevention_costs") == D("36821.00")
    assert res.ledger.amount("remediation_costs") == D("425715.00")
    assert res.ledger.total == D("543186.00")
    case = rounded(example_dict, "1", "line")
    case["cost_items"][2]["amount"]["value"] = "36820.49"   # just below the half → 36 820
    assert assess_case(case).ledger.amount("prevention_costs") == D("36820.00")


# -- at the total: a 尾数调整 line, so the lines still add up to the printed total --------------------

def test_total_to_the_hundred_yuan_with_an_adjustment_line(example_dict):
    # lines to the fen sum to 543 185.29; 5431.8529 hundreds → 5432 → 543 200.00; 尾数调整 = +14.71
    res = assess_case(rounded(example_dict, "100", "total"))
    d = res.to_dict()
    led = d["ledger"]
    assert led["assessment_costs"]["amount"] == "80650.00" and led["remediation_costs"]["amount"] == "425714.79"
    assert led["rounding"]["adjustment"] == "14.71"
    assert led["total"] == "543200.00"
    cats = sum(D(led[k]["amount"]) for k in ("interim_service_loss", "permanent_loss", "assessment_costs",
                                              "remediation_costs", "prevention_costs"))
    assert cats + D(led["rounding"]["adjustment"]) == D(led["total"])   # components sum exactly
    adj = res.trace.find("ledger.rounding_adjustment")
    assert adj.label["zh"] == "尾数调整" and adj.result["value"] == "14.71" and BASIS in adj.note["zh"]
    assert adj.formula == "543200.00 − 543185.29"
    validate_result(d)
    text = res.render("zh")
    assert "尾数调整" in text and "543,200.00" in text


def test_total_rounded_down_gives_a_negative_adjustment(example_dict):
    # C3 36 820.50 → 36 784.20: lines 68 000 + 12 650 + 425 714.79 + 36 784.20 = 543 148.99
    # 5431.4899 hundreds → 5431 → 543 100.00; 尾数调整 = −48.99
    case = rounded(example_dict, "100", "total")
    case["cost_items"][2]["amount"]["value"] = "36784.20"
    res = assess_case(case)
    assert res.ledger.adjustment == D("-48.99") and res.ledger.total == D("543100.00")


def test_adjustment_in_the_funds_and_liability(example_dict):
    # the 尾数调整 (+14.71) follows the largest line, D1 (restorable → restoration fund); a credit of 10 000
    # against department_recovery leaves net = gross − 10 000 = 543 200.00 − 10 000.00 = 533 200.00
    case = rounded(example_dict, "100", "total")
    case["credits"] = [{"id": "K1", "label": "已支付监测费", "ordered_by": "agreement", "document": "赔偿协议第5条",
                        "base_amount": {"value": "10000", "unit": "元"}, "conditions": "已付", "met_on": "2024-10-01",
                        "against": "department_recovery"}]
    res = assess_case(case)
    li = res.liability
    assert li.gross == D("543200.00") and li.net == D("533200.00")
    adj = [x for x in li.funds if x.source == "rounding_adjustment"]
    assert len(adj) == 1 and adj[0].net == D("14.71") and adj[0].destination == "restoration_fund" and adj[0].policy
    validate_result(res.to_dict())


# -- `assess check` at the claim's stated precision ------------------------------------------------------

def test_check_matches_a_judgment_that_rounded_to_the_hundred(example_dict):
    claim = claim_from_dict({"lines": [{"label": "合计", "amount": "543,200.00元"}]})
    assert [f.status for f in compare(assess_case(example_dict), claim).findings if f.id == "total"] == ["differs"]
    rep = compare(assess_case(rounded(example_dict, "100", "total")), claim)
    assert [f.status for f in rep.findings if f.id == "total"] == ["match"]


def test_check_line_rounding_item_by_item(example_dict):
    claim = claim_from_dict({"items": {"C2": "12700.00", "C3": "36800.00"}, "total": "543200.00"})
    rep = compare(assess_case(rounded(example_dict, "100", "line")), claim)
    assert {f.id: f.status for f in rep.findings if f.id in ("C2", "C3", "total")} == {
        "C2": "match", "C3": "match", "total": "match"}


# -- batch and docket: the same amounts as `assess run` (the vectorised engine hands rounding to the single path) --

@pytest.mark.parametrize("form", ["jsonl", "dir"])
def test_batch_and_docket_with_rounding_equal_assess_run(example_dict, tmp_path, capsys, form):
    # hand-worked (lines to the fen: C1 68 000.00, C2 12 650.00, D1 425 714.79, C3 36 820.50 = 543 185.29):
    # * none: 543 185.29
    # * each line to the yuan: 68 000 + 12 650 + 425 715 + 36 821 = 543 186.00
    # * the total to 100 元: 5 431.8529 → 5 432 → 543 200.00 (尾数调整 +14.71), categories unchanged
    # * the total to the yuan: 543 185.29 → 543 185.00 (尾数调整 −0.29)
    variants = {"R-NONE": None, "R-LINE-1": ("1", "line"), "R-TOTAL-100": ("100", "total"), "R-TOTAL-1": ("1", "total")}
    want_total = {"R-NONE": 54318529, "R-LINE-1": 54318600, "R-TOTAL-100": 54320000, "R-TOTAL-1": 54318500}
    files = []
    for cid, how in variants.items():
        case = copy.deepcopy(example_dict) if how is None else rounded(example_dict, *how)
        case["case_id"] = cid
        path = tmp_path / f"{cid}.json"
        path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
        files.append(path)
        r = assess_case(path)
        assert int(r.ledger.total.scaleb(2)) == want_total[cid]
    target = tmp_path / ("dk.jsonl" if form == "jsonl" else "dk")
    assert main(["docket", *map(str, files), "-o", str(target)]) == 0
    assert main(["batch", str(target), "-o", str(tmp_path / "out.parquet"), "--today", "2025-06-30"]) == 0
    capsys.readouterr()
    out = pd.read_parquet(tmp_path / "out.parquet").set_index("case_id")
    assert out["error"].isna().all()
    for cid, path in zip(variants, files, strict=True):
        r = assess_case(path)
        row = out.loc[cid]
        assert int(row["total_fen"]) == want_total[cid] == int(r.ledger.total.scaleb(2))
        for k in ("assessment_costs", "remediation_costs", "prevention_costs"):
            assert int(row[f"{k}_fen"]) == int(r.ledger.amount(k).scaleb(2)), (cid, k)
    # the cases with a stated rounding ran through the single path (the rule is written once, in
    # assess/law/rounding.py); in memory the same
    tables = next(read_docket(target))
    mem = assess_docket(tables, today=date(2025, 6, 30)).set_index("case_id")
    assert all(str(mem.loc[c, "engine"]) == "single" for c in ("R-LINE-1", "R-TOTAL-100", "R-TOTAL-1"))
    assert [int(mem.loc[c, "total_fen"]) for c in variants] == [want_total[c] for c in variants]


# -- validation names the field ------------------------------------------------------------------------

@pytest.mark.parametrize("rounding, field, text", [
    ({"step": "5", "basis": "x"}, "rounding.step", "power of ten"),
    ({"step": "0.001", "basis": "x"}, "rounding.step", "power of ten"),
    ({"step": "1"}, "rounding", "basis"),
    ({"step": "1", "at": "sum", "basis": "x"}, "rounding.at", "line"),
    ({"step": "1", "basis": "x", "mode": "up"}, "rounding.mode", "unknown"),
])
def test_bad_rounding_names_the_field(example_dict, rounding, field, text):
    case = copy.deepcopy(example_dict)
    case["rounding"] = rounding
    with pytest.raises(InputError) as exc:
        assess_case(case)
    assert field in str(exc.value) and text in str(exc.value)


# -- the docket: a case with a stated rounding runs on the single path, so the fen agree ----------------

def test_docket_falls_back_to_the_single_path_for_a_stated_rounding(example_dict):
    from datetime import date

    from assess.app.docket import assess_docket
    from assess.formats.docket import flatten

    plain = copy.deepcopy(example_dict)
    plain["case_id"] = "PLAIN"
    line = rounded(example_dict, "100", "line")
    line["case_id"] = "LINE"
    total = rounded(example_dict, "100", "total")
    total["case_id"] = "TOTAL"
    out = assess_docket(flatten([plain, line, total]), today=date(2026, 12, 1)).set_index("case_id")
    # 543 185.29 元 = 54 318 529 fen; both stated roundings give 543 200.00 元 = 54 320 000 fen (worked above)
    assert out.loc["PLAIN", "total_fen"] == 54318529
    assert out.loc["LINE", "engine"] == "single" and out.loc["LINE", "total_fen"] == 54320000
    assert out.loc["TOTAL", "engine"] == "single" and out.loc["TOTAL", "total_fen"] == 54320000
    assert out.loc["LINE", "remediation_costs_fen"] == 42570000        # D1 425 714.79 → 425 700.00
    assert out.loc["TOTAL", "remediation_costs_fen"] == 42571479       # lines kept to the fen at the total


def test_case_workbook_carries_the_rounding(example_dict, tmp_path):
    # the case sheet's 取整单位 / 取整位置 / 取整依据 rows; the result is the JSON case's (543 200.00 at the total)
    from assess.formats.excel import case_workbook

    p = tmp_path / "case.xlsx"
    case_workbook(rounded(example_dict, "100", "total"), lang="zh").save(p)
    res = assess_case(p)
    assert res.ledger.total == D("543200.00") and res.ledger.adjustment == D("14.71")
    assert res.case.rounding.basis == BASIS
