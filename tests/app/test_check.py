"""``assess check``: a claimed ledger compared with the recomputed one (exit 0 / 1 / 2)."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest

from assess.app.api import assess_case
from assess.app.check import claim_from_dict, compare
from assess.app.cli import main
from factors.errors import InputError

CLAIM = {
    "case_id": "JS-YC-2024-017",
    "total": "543185.29",
    "categories": {"1": "0", "2": "0.00", "assessment_costs": "80,650.00", "4": "425714.79", "CC-1235(5)": 36820.5},
    "items": [{"id": "D1", "amount": "425714.79"}, {"id": "C1", "amount": "68000.00"},
              {"id": "C2", "amount": "12650.00"}, {"id": "C3", "amount": "36820.50元"}],
}


@pytest.fixture
def case_path(write_json, example_dict):
    return write_json(example_dict, "case.json")


def test_equal_claim_exit_0(case_path, write_json, capsys):
    assert main(["check", str(case_path), "--claimed", str(write_json(CLAIM, "claim.json"))]) == 0
    out = capsys.readouterr().out
    assert "全部相符" in out and "everything matches (at the precision printed)" in out


def test_run_json_output_is_a_valid_claim(case_path, tmp_path, capsys):
    res = tmp_path / "result.json"
    assert main(["run", str(case_path), "-o", str(res)]) == 0
    assert main(["check", str(case_path), "--claimed", str(res)]) == 0


def test_result_workbook_is_a_valid_claim_and_xlsx_case(tmp_path, case_path):
    xlsx_case, res = tmp_path / "case.xlsx", tmp_path / "result.xlsx"
    assert main(["template", "-o", str(xlsx_case), "--from", str(case_path)]) == 0
    assert main(["run", str(case_path), "-o", str(res)]) == 0
    assert main(["check", str(xlsx_case), "--claimed", str(res)]) == 0


def test_differing_claim_exit_1_with_first_differing_step(case_path, write_json, capsys):
    claim = json.loads(json.dumps(CLAIM))
    claim["total"] = "543186.29"
    claim["items"][0] = {"id": "D1", "amount": "425715.79",
                         "parts": {"D1.lines[0]": "280497.60", "D1.lines[2]": "42961.00", "D1.subtotal": "402758.60"}}
    claim["categories"]["4"] = "425715.79"
    del claim["items"][3]                      # C3 missing
    claim["items"].append({"id": "X9", "amount": "5"})   # extra
    path = write_json(claim, "claim.json")
    assert main(["check", str(case_path), "--claimed", str(path), "--json", "--lang", "en"]) == 1
    rep = json.loads(capsys.readouterr().out)
    by = {(f["kind"], f["id"]): f for f in rep["findings"]}
    # One real difference, reported once: D1.lines[2] is claimed 1 元 too high (42 961.00 vs 42 960.00).
    # The subtotal (402 757.60 + 1), D1 (425 714.79 + 1), category (4) and the total (543 185.29 + 1) all
    # repeat it: each equals the sum of its claimed parts, so each *follows* from it and points at it.
    root = by[("step", "D1.lines[2]")]
    assert root["status"] == "differs" and root["difference"] == "+1.00"
    assert root["step"]["id"] == "D1.lines[2]" and root["step"]["claimed"] == "42961.00"
    assert root["step"]["recomputed"] == "42960.00" and root["step"]["formula"]
    d1 = by[("item", "D1")]
    assert d1["status"] == "follows" and d1["difference"] == "+1.00" and d1["follows_from"] == ["D1.subtotal"]
    assert d1["step"]["id"] == "D1.lines[2]"   # the step where the computation parts
    assert by[("step", "D1.subtotal")]["follows_from"] == ["D1.lines[2]"]
    assert by[("category", "remediation_costs")]["status"] == "follows"
    assert by[("total", "total")]["status"] == "follows" and by[("total", "total")]["difference"] == "+1.00"
    assert by[("item", "C3")]["status"] == "missing" and by[("item", "X9")]["status"] == "extra"
    assert by[("step", "D1.lines[0]")]["status"] == "match"
    assert rep["differences"] == 3   # D1.lines[2], C3 missing, X9 extra
    assert not rep["all_match"]
    assert main(["check", str(case_path), "--claimed", str(path)]) == 1
    text = capsys.readouterr().out
    assert "分歧始于步骤 D1.lines[2]" in text and "first step where they part: D1.lines[2]" in text


def test_differing_line_without_parts_points_at_its_own_step(example_dict):
    rep = compare(assess_case(example_dict), claim_from_dict({"items": {"C2": "12650.01"}}))
    f = next(f for f in rep.findings if f.id == "C2")
    assert f.step["id"] == "C2" and f.difference == "+0.01"


def test_claim_xlsx_exit_1_by_the_fen(case_path, tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "申报清单 Claimed"
    ws.append(["项目", "申报金额"])
    for row in (["1", 0], ["2", 0], ["3", 80650], ["4", 425714.79], ["5", 36820.5], ["D1", 425714.79],
                ["D1.lines[1]", 51300], ["C1", "68000.00"], ["C2", 12650], ["C3", 36820.51], ["合计", 543185.30]):
        ws.append(row)
    p = tmp_path / "claim.xlsx"
    wb.save(p)
    assert main(["check", str(case_path), "--claimed", str(p), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "C3" in out and "difference +0.01" in out and "claimed at '申报清单 Claimed'!B11" in out


@pytest.mark.parametrize("claim, message", [
    ({"total": "abc"}, "total: expected an amount"),
    ({"total": "1.005"}, "an amount to the fen"),
    ({"categories": {"9": "1"}}, "a category key"),
    ({"items": [{"amount": "1"}]}, "an object with id and amount"),
    ({"totl": "1"}, "unknown field"),
    ({}, "nothing claimed"),
    ([1, 2], "a JSON object"),
    ({"case_id": "OTHER", "total": "1"}, "the case id"),
])
def test_malformed_claim_exit_2(case_path, write_json, capsys, claim, message):
    assert main(["check", str(case_path), "--claimed", str(write_json(claim, "claim.json"))]) == 2
    assert message in capsys.readouterr().err


def test_malformed_claim_files(case_path, tmp_path, capsys):
    bad = tmp_path / "claim.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["check", str(case_path), "--claimed", str(bad)]) == 2
    assert main(["check", str(case_path), "--claimed", str(tmp_path / "none.json")]) == 2
    wb = openpyxl.Workbook()
    wb.active.append(["foo", "bar"])
    wb.save(tmp_path / "c.xlsx")
    assert main(["check", str(case_path), "--claimed", str(tmp_path / "c.xlsx")]) == 2
    assert "a header row" in capsys.readouterr().err


def test_claim_amounts_are_exact():
    c = claim_from_dict({"total": 0.1, "items": {"A": "1,234.50"}})
    by = {ln.id: ln.amount for ln in c.lines}
    assert str(by["total"].value) == "0.1" and str(by["A"].value) == "1234.50"
    assert by["A"].quantum == Decimal("0.01")
    with pytest.raises(InputError):
        claim_from_dict({"total": True})


def test_absurd_claimed_amount_is_exit_2_naming_the_field(case_path, write_json, capsys):
    # "1e30" has 31 integer digits: quantizing it to the fen overflowed the 28-digit context
    # (decimal.InvalidOperation → "internal error", exit 1).  It is bad input: exit 2, field named.
    claimed = write_json({"total": "1e30"}, "claimed.json")
    assert main(["check", str(case_path), "--claimed", str(claimed)]) == 2
    err = capsys.readouterr().err
    assert "total" in err and "internal error" not in err
