"""A whole judgment checked figure by figure (issue: courts check a claim or judgment).

The case is the shipped liability example (js_liability_instalments.json) with one court-ordered credit
added (K1: 20 000.00 × 0.5 = 10 000.00, capped at 10 000.00, condition met 2024-11-01).  Worked by hand:

* ledger: (1) 120 000.00 + (2) 30 000.00 + (3) 20 000.00 = 170 000.00 元
* punitive: base (1) + (2) = 150 000.00; × 1.5 = 225 000.00; shares 0.7 / 0.3 → 157 500.00 / 67 500.00
* gross 170 000.00 + 225 000.00 = 395 000.00; − alternative restoration 60 000.00 − credit 10 000.00
  = net 325 000.00
* instalments: 325 000.00 − cash deposit 30 000.00 = 295 000.00 deferred over 12 months:
  29 500 000 fen / 12 = 2 458 333.33 → 2 458 333 each, 4 fen left → instalments 1–4 get 24 583.34,
  5–12 get 24 583.33 (4 × 24 583.34 + 8 × 24 583.33 = 295 000.00)
* interest: payment 1 (2024-11-29, 25 416.67) pays instalment 1 (24 583.34) and 833.33 of instalment 2;
  payment 2 (2025-01-10) pays the remaining 23 750.01 of instalment 2, 11 days after its due date
  2024-12-30: 23 750.01 × 0.000175 × 11 = 45.7187… → 45.72 元
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import openpyxl
import pytest

from assess.app.api import assess_case
from assess.app.check import check_claim_only, compare
from assess.app.cli import main
from assess.formats.claims import claim_from_dict, load_claim
from factors.errors import InputError
from factors.paths import data_dir
from factors.printed import daxie, parse_printed_amount

JUDGMENT = {
    "case_id": "JS-NT-2024-031",
    "lines": [
        {"label": "一、生态环境损害赔偿费用"},
        {"label": "（一）生态环境受到损害至修复完成期间服务功能丧失导致的损失", "amount": "12万元"},
        {"label": "（二）生态环境功能永久性损害造成的损失", "amount": "3万元"},
        {"label": "（三）调查鉴定评估费用", "amount": "20,000.00元"},
        {"label": "合计", "amount": "壹拾柒万元整"},
        {"label": "二、惩罚性赔偿"},
        {"label": "惩罚性赔偿基数", "amount": "150000元"},
        {"label": "倍数", "value": "1.5"},
        {"label": "惩罚性赔偿", "amount": "225,000.00元"},
        {"label": "某电镀作坊应承担", "amount": "157,500.00元"},
        {"label": "张某应承担", "amount": "67,500.00元"},
        {"label": "三、替代修复及抵扣"},
        {"label": "替代修复抵扣", "amount": "60000.00"},
        {"label": "技改抵扣", "amount": "10000.00"},
        {"label": "应付净额", "amount": "325,000.00元"},
        {"label": "四、分期履行"},
        {"label": "第1期", "amount": "24583.34", "date": "2024-11-30"},
        {"label": "第5期", "amount": "24583.33", "date": "2025-03-30"},
        {"label": "迟延履行利息", "amount": "45.72"},
    ],
}


@pytest.fixture(scope="module")
def case():
    data = json.loads((data_dir() / "examples" / "js_liability_instalments.json").read_text(encoding="utf-8"))
    data["credits"] = [{"id": "K1", "label": "技改抵扣 / technology upgrade", "ordered_by": "court", "document": "判决第三项",
                        "conditions": "技改验收合格", "base_amount": {"value": "20000", "unit": "元"}, "rate": "0.5",
                        "cap": {"value": "10000", "unit": "元"}, "met_on": "2024-11-01", "deadline": "2024-12-31"}]
    return data


@pytest.fixture(scope="module")
def result(case):
    return assess_case(case)


def judgment(**changes: str) -> dict:
    j = copy.deepcopy(JUDGMENT)
    for ln in j["lines"]:
        if ln["label"] in changes:
            key = "value" if "value" in ln else "amount"
            ln[key] = changes[ln["label"]]
    return j


def by_label(report):
    return {f.printed: f for f in report.findings}


def test_full_judgment_matches_to_the_fen(result):
    rep = compare(result, claim_from_dict(judgment()))
    assert rep.ok and rep.differences == 0
    f = by_label(rep)
    assert f["张某应承担"].id == "punitive.apportion.O2" and f["张某应承担"].recomputed == "67500.00"
    assert f["某电镀作坊应承担"].id == "punitive.apportion.O1"
    assert f["（三）调查鉴定评估费用"].id == "assessment_costs"
    assert f["技改抵扣"].id == "credit.K1" and f["替代修复抵扣"].id == "alternative.A1"
    assert f["应付净额"].recomputed == "325000.00"
    assert f["第1期"].recomputed == "24583.34" and f["第5期"].recomputed == "24583.33"
    assert f["迟延履行利息"].recomputed == "45.72"
    assert f["倍数"].recomputed == "1.5" and f["倍数"].unit is None
    assert f["（一）生态环境受到损害至修复完成期间服务功能丧失导致的损失"].precision["zh"] == "精确到万元"   # 12万元
    # the claim's own arithmetic: categories → total, (1)+(2) → base, base × 1.5 → award, shares → award,
    # total + award − offsets − credits → net (170 000 + 225 000 − 60 000 − 10 000 = 325 000)
    holds = {a.relation["en"]: a.holds for a in rep.arithmetic}
    assert all(holds.values()) and len(holds) == 5


def test_one_share_changed_is_one_difference_on_its_line(result):
    # 张某 claimed 67 600.00: +100.00 against 67 500.00; the shares then add to 225 100.00, not the award,
    # which the claim's own arithmetic notes, explained by the same line (not a second difference)
    rep = compare(result, claim_from_dict(judgment(张某应承担="67,600.00元")))
    f = by_label(rep)["张某应承担"]
    assert f.status == "differs" and f.difference == "+100.00" and f.step["id"] == "punitive.apportion.O2"
    assert rep.differences == 1
    bad = [a for a in rep.arithmetic if not a.holds]
    assert len(bad) == 1 and bad[0].difference == "-100.00" and bad[0].explained_by == ["张某应承担"]


def test_one_credit_changed_and_the_net_that_follows(result):
    # the credit claimed 12 000.00 (+2 000.00); the judgment's net 323 000.00 = 395 000 − 60 000 − 12 000:
    # the net differs by −2 000.00 only because of the credit, so it is reported as following from it
    rep = compare(result, claim_from_dict(judgment(技改抵扣="12000.00", 应付净额="323,000.00元")))
    f = by_label(rep)
    assert f["技改抵扣"].status == "differs" and f["技改抵扣"].difference == "+2000.00"
    assert f["应付净额"].status == "follows" and f["应付净额"].difference == "-2000.00"
    assert f["应付净额"].follows_from == ["credit.K1"]
    assert rep.differences == 1


def test_one_intermediate_figure_changed(result):
    # the base claimed 160 000.00 (+10 000.00; its step is (1) + (2) = 150 000.00); the award 240 000.00
    # = 160 000 × 1.5 and the shares 168 000.00 / 72 000.00 = 240 000 × 0.7 / 0.3 repeat it
    j = judgment(惩罚性赔偿基数="160000元", 惩罚性赔偿="24万元", 某电镀作坊应承担="168,000.00元", 张某应承担="72,000.00元",
                 应付净额="340,000.00元")
    rep = compare(result, claim_from_dict(j))
    f = by_label(rep)
    assert f["惩罚性赔偿基数"].status == "differs" and f["惩罚性赔偿基数"].difference == "+10000.00"
    assert f["惩罚性赔偿基数"].step["id"] == "punitive.base" and f["惩罚性赔偿基数"].step["formula"]
    assert f["惩罚性赔偿"].status == "follows" and f["惩罚性赔偿"].follows_from == ["punitive.base"]
    assert f["惩罚性赔偿"].step["id"] == "punitive.base"
    assert f["张某应承担"].status == "follows" and f["某电镀作坊应承担"].follows_from == ["punitive.award"]
    assert f["应付净额"].status == "follows"
    assert rep.differences == 1


def test_printed_amounts_wan_and_capitals():
    # 320.3728万元 = 3 203 728 元 to the 元; 1,441.6776 万元 = 14 416 776 元; 大写 to the 元 or the fen
    a = parse_printed_amount("320.3728万元", "x")
    assert (a.value, a.quantum) == (Decimal("3203728"), Decimal("1"))
    assert a.matches(Decimal("3203727.50")) and not a.matches(Decimal("3203727.49"))   # half-up at the 元
    assert parse_printed_amount("1,441.6776 万元", "x").value == Decimal("14416776")
    assert parse_printed_amount("壹仟肆佰肆拾壹万陆仟柒佰柒拾陆元整", "x").value == Decimal("14416776")
    b = parse_printed_amount("伍拾肆万叁仟壹佰捌拾伍元贰角玖分", "x")
    assert (b.value, b.quantum) == (Decimal("543185.29"), Decimal("0.01"))
    assert daxie(Decimal("543185.29")) == "伍拾肆万叁仟壹佰捌拾伍元贰角玖分"
    assert daxie(Decimal("100000.05")) == "壹拾万元零伍分"


def test_comparison_at_the_printed_precision(result):
    # 22.5万元 is printed to the 千元: 225 000.00 matches, and so would 225 400.00 (rounds to 22.5万);
    # the report states the precision, so a judge sees why
    rep = compare(result, claim_from_dict(judgment(惩罚性赔偿="22.5万元")))
    f = by_label(rep)["惩罚性赔偿"]
    assert f.status == "match" and f.precision == {"zh": "精确到千元", "en": "to 1,000 元"}
    # at that precision the shares 157 500 + 67 600 = 225 100 still print as 22.5万: the claim's own
    # arithmetic holds at the award's printed precision; the share itself differs from the case by 100
    rep = compare(result, claim_from_dict(judgment(惩罚性赔偿="22.5万元", 张某应承担="67,600.00元")))
    assert by_label(rep)["张某应承担"].status == "differs" and rep.differences == 1


def test_more_than_is_a_lower_bound(result):
    rep = compare(result, claim_from_dict(judgment(惩罚性赔偿="22万余元")))
    f = by_label(rep)["惩罚性赔偿"]
    assert f.status == "match" and f.precision["zh"].startswith("下限")
    rep = compare(result, claim_from_dict(judgment(惩罚性赔偿="23万余元")))   # 225 000 < 230 000
    assert by_label(rep)["惩罚性赔偿"].status == "differs"


def test_claim_whose_lines_do_not_add_up_without_a_case(write_json, capsys):
    # 120 000 + 30 000 + 20 000 = 170 000, but the total is printed 壹拾柒万零壹佰元整 (170 100)
    j = judgment(合计="壹拾柒万零壹佰元整")
    rep = check_claim_only(claim_from_dict(j))
    bad = [a for a in rep.arithmetic if not a.holds and not a.explained_by]
    assert len(bad) == 1 and bad[0].result == "合计" and bad[0].difference == "+100.00"
    # the net (合计 + 惩罚性赔偿 − 抵扣 = 325 100 ≠ 325 000) fails only through the same 合计: reported once
    net = next(a for a in rep.arithmetic if a.result == "应付净额")
    assert not net.holds and net.explained_by == ["合计"] and rep.differences == 1
    assert main(["check", "--claimed", str(write_json(j, "j.json")), "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    assert "合计 申报 170,100.00，按所列各项" in out and "170,000.00" in out


def test_sum_of_names_its_lines(write_json, capsys):
    j = {"lines": [{"label": "设计费", "amount": "14096.52"}, {"label": "监理费", "amount": "8860.67"},
                   {"label": "其他费用小计", "amount": "22957.20", "sum_of": ["设计费", "监理费"]}]}
    rep = check_claim_only(claim_from_dict(j))
    assert [a.holds for a in rep.arithmetic] == [False] and rep.arithmetic[0].difference == "+0.01"
    with pytest.raises(InputError, match="sum_of"):
        check_claim_only(claim_from_dict({"lines": [{"label": "x", "amount": "1", "sum_of": ["nope"]}]}))


def test_figure_the_case_cannot_produce(write_json, capsys, example_dict):
    # the water case has no punitive claim: the line is listed as not recomputable, the others still checked
    j = {"lines": [{"label": "（三）调查鉴定评估费用", "amount": "80,650.00元"}, {"label": "惩罚性赔偿", "amount": "10万元"}]}
    rep = compare(assess_case(example_dict), claim_from_dict(j))
    f = by_label(rep)
    assert f["（三）调查鉴定评估费用"].status == "match"
    assert f["惩罚性赔偿"].status == "not_recomputable" and "punitive" in f["惩罚性赔偿"].reason["en"]
    case = write_json(example_dict, "case.json")
    assert main(["check", str(case), "--claimed", str(write_json(j, "j.json")), "--lang", "zh"]) == 1
    assert "无法复算：案件未提出惩罚性赔偿请求" in capsys.readouterr().out


@pytest.mark.parametrize("lines, message", [
    ([{"label": "惩罚性赔偿", "amount": "约三百万元"}], "lines[0].amount: expected a definite amount"),
    ([{"label": "合计", "amount": "1万元"}, {"label": "合计", "amount": "1万元"}], "each figure once"),
    ([{"amount": "1"}], "a label (as printed) or an id"),
    ([1], "lines[0]: expected an object"),
])
def test_bad_claim_lines_exit_2_naming_the_line(write_json, capsys, lines, message):
    assert main(["check", "--claimed", str(write_json({"lines": lines}, "j.json"))]) == 2
    assert message in capsys.readouterr().err


def test_claim_template_filled_in_and_checked(tmp_path, case, write_json, capsys):
    tpl = tmp_path / "claim.xlsx"
    assert main(["template", "--claim", "-o", str(tpl), "--lang", "zh"]) == 0
    wb = openpyxl.load_workbook(tpl)
    ws = wb["判决金额"]
    assert [c.value for c in ws[1]][:3] == ["项目", "编号", "金额"]
    amounts = {"（一）生态环境受到损害至修复完成期间服务功能丧失导致的损失": "120000.00", "（二）生态环境功能永久性损害造成的损失": "3万元",
               "（三）生态环境损害调查、鉴定评估等费用": "2万元", "合计": "壹拾柒万元整", "惩罚性赔偿": "225000",
               "替代修复抵扣": "60,000.00元", "应付净额": "325000.00"}
    for row in ws.iter_rows(min_row=2):
        if row[0].value in amounts:
            row[2].value = amounts[row[0].value]
        if row[0].value == "倍数":
            row[3].value = "1.5"
        if row[0].value == "应付净额":   # the judgment also orders a credit: a clerk inserts its row
            ws.insert_rows(row[0].row)
            ws.cell(row[0].row - 1, 1, "技改抵扣")
            ws.cell(row[0].row - 1, 3, "10000.00")
            break
    wb.save(tpl)
    claim = load_claim(tpl)
    assert [ln.label for ln in claim.lines][:2] == ["（一）生态环境受到损害至修复完成期间服务功能丧失导致的损失",
                                                    "（二）生态环境功能永久性损害造成的损失"]
    case_path = write_json(case, "case.json")
    assert main(["check", str(case_path), "--claimed", str(tpl)]) == 0
    out_xlsx, out_json = tmp_path / "report.xlsx", tmp_path / "report.json"
    assert main(["check", str(case_path), "--claimed", str(tpl), "-o", str(out_xlsx), "--lang", "zh"]) == 0
    rows = list(openpyxl.load_workbook(out_xlsx)["核对结果"].values)
    assert rows[2][:3] == ("结果", "申报项目", "对应步骤") and any(r[0] == "相符" and r[1] == "合计" for r in rows)
    assert main(["check", str(case_path), "--claimed", str(tpl), "-o", str(out_json)]) == 0
    assert json.loads(out_json.read_text(encoding="utf-8"))["all_match"] is True


def test_shipped_judgment_example_matches(capsys):
    ex = data_dir() / "examples"
    assert main(["check", str(ex / "js_liability_instalments.json"), "--claimed",
                 str(ex / "claims" / "js_liability_judgment.json"), "--lang", "zh"]) == 0
    assert "结论：全部相符（按申报所列精度）" in capsys.readouterr().out


def test_intermediate_numbers_compared_at_the_decimals_printed():
    # HEA project size D2.size = 7.1252… hm²: printed 7.13 it matches (half-up to 0.01); the discounted
    # interim debit 17.8912… printed 17.8 differs (17.9 at one decimal), and names its formula step
    r = assess_case(data_dir() / "examples" / "js_vtc_hea.json")
    rep = compare(r, claim_from_dict({"lines": [{"id": "D2.size", "label": "恢复工程规模", "value": "7.13"},
                                                {"id": "D2.debit_interim", "value": "17.8"}]}))
    f = {x.id: x for x in rep.findings}
    assert f["D2.size"].status == "match" and f["D2.size"].precision["en"] == "compared at the 2 decimals printed"
    assert f["D2.debit_interim"].status == "differs" and f["D2.debit_interim"].step["formula"].startswith("Σ A")


def test_vtc_intermediate_e_times_c_is_a_checkable_step():
    # the VTC item D1 of js_vtc_hea.json: E × C = 1 200 t × 35.5 元/t = 42 600.00 元 (before γ); a judgment that
    # prints the treatment cost as 42 610.00 differs by +10.00 at that step, named by the label printed
    r = assess_case(data_dir() / "examples" / "js_vtc_hea.json")
    node = next(n for n in r.trace.walk() if n.id == "D1.e_times_c")
    assert node.formula == "E × C = 1200 t × 35.5 元/t" and node.result["value"] == "42600.00"
    rep = compare(r, claim_from_dict({"lines": [{"label": "治理成本 E × C（未乘调整系数）", "amount": "42,610.00元"}]}))
    f = rep.findings[0]
    assert (f.id, f.status, f.difference) == ("D1.e_times_c", "differs", "+10.00")


def test_a_coefficient_printed_in_a_judgment_is_checked():
    # D1 of js_vtc_hea.json uses γ = 1.5 (with its basis); a judgment printing 调整系数 1.5 matches, 1.2 differs
    r = assess_case(data_dir() / "examples" / "js_vtc_hea.json")
    ok = compare(r, claim_from_dict({"lines": [{"label": "调整系数", "value": "1.5"}]})).findings[0]
    assert (ok.id, ok.status) == ("D1.γ", "match")
    bad = compare(r, claim_from_dict({"lines": [{"id": "D1.γ", "value": "1.2"}]})).findings[0]
    assert (bad.status, bad.difference) == ("differs", "-0.3") and bad.step["id"] == "D1"
