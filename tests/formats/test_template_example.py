"""The template's example case (data/examples/template_example.json): a row on every sheet, assessed and
round-tripped through the workbook to the fen; method sheets left out; exact decimals and booleans."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from assess.app.api import assess_case
from assess.app.cli import main
from assess.formats.excel import DATA_ROW, case_workbook, read_case_workbook, save_atomic
from assess.formats.jsonio import read_case_json
from assess.formats.sheetmap import layout
from assess.law.case import parse_case
from factors.paths import data_dir

EXAMPLES = data_dir() / "examples"
TEMPLATE_EXAMPLE = EXAMPLES / "template" / "template_example.json"
WATER = EXAMPLES / "js_water_pollution.json"

# Worked by hand (each line rounded to the fen, then summed):
# (4) D1 lines 1860 m³ × 92.50 = 172,050.00; 410.6 t × 2,350.00 = 964,910.00; 8 次 × 3,200.00 = 25,600.00
#        → 1,162,560.00; surcharges 3 % + 2 % = 58,128.00 → 1,220,688.00
#     D2 420 t × 48.60 元/t × γ 4 = 81,648.00;  D7 8.65 万元 = 86,500.00
#     → 1,220,688.00 + 81,648.00 + 86,500.00 = 1,388,836.00
# (3) C1 9.8 万元 = 98,000.00 + C2 18,240.00 = 116,240.00
# (5) C3 52,366.80
# (1) D3 interim 63,523.02 (HEA, tool) + D4 interim 40,425.48 (HEA, tool) + D6 median(42,000; 45,500; 51,000)
#     = 45,500.00 + D8 10 % × D1 1,220,688.00 = 122,068.80  → 271,517.30  (D5 is a cross-check, not counted)
# (2) D4 permanent 27,095.70 (HEA, tool)
# total 271,517.30 + 27,095.70 + 116,240.00 + 1,388,836.00 + 52,366.80 = 1,856,055.80
CATEGORIES = {"interim_service_loss": "271517.30", "permanent_loss": "27095.70", "assessment_costs": "116240.00",
              "remediation_costs": "1388836.00", "prevention_costs": "52366.80"}
TOTAL = Decimal("1856055.80")


def _ledger(result) -> dict:
    return json.loads(json.dumps(result.to_dict(), default=str))["ledger"]


def test_template_example_assesses_to_the_hand_checked_categories(capsys):
    result = assess_case(TEMPLATE_EXAMPLE)
    ledger = _ledger(result)
    assert result.total == TOTAL
    assert {k: ledger[k]["amount"] if isinstance(ledger[k], dict) else ledger[k] for k in CATEGORIES} == CATEGORIES
    assert sum(Decimal(v) for v in CATEGORIES.values()) == TOTAL
    assert main(["run", str(TEMPLATE_EXAMPLE), "--lang", "zh", "--no-trace"]) == 0
    assert "1,856,055.80" in capsys.readouterr().out


def test_shipped_example_unchanged():
    assert assess_case(WATER).total == Decimal("543185.29")


def test_template_has_an_example_row_on_every_sheet(tmp_path):
    p = tmp_path / "t.xlsx"
    assert main(["template", "-o", str(p), "--lang", "zh"]) == 0
    wb = openpyxl.load_workbook(p)
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert len(visible) == len(list(layout().walk()))
    empty = [ws.title for ws in visible if all(c.value is None for c in ws[DATA_ROW])]
    assert empty == []


@pytest.mark.parametrize("lang", ["zh", "both"])
def test_template_example_round_trips_to_the_fen(tmp_path, lang):
    p = tmp_path / "t.xlsx"
    assert main(["template", "-o", str(p), "--lang", lang, "--from", str(TEMPLATE_EXAMPLE)]) == 0
    read = read_case_workbook(p)
    assert read.case == parse_case(read_case_json(TEMPLATE_EXAMPLE)) and read.notes == []
    a, b = assess_case(TEMPLATE_EXAMPLE).to_dict(), assess_case(p).to_dict()
    for part in ("ledger", "liability", "schedule", "statement"):
        assert json.dumps(a[part], default=str) == json.dumps(b[part], default=str), part
    assert assess_case(p).total == TOTAL


def _titles(path) -> list[str]:
    return [t.split(" ")[0] for t in openpyxl.load_workbook(path, read_only=True).sheetnames]


def test_from_leaves_out_the_method_sheets_the_case_does_not_use(tmp_path):
    p = tmp_path / "w.xlsx"
    assert main(["template", "-o", str(p), "--from", str(WATER), "--lang", "zh"]) == 0
    titles = _titles(p)
    assert "损害项-修复费用" in titles and "修复费用-工程量清单" in titles
    assert not any(t.startswith(("损害项-虚拟", "生境等价", "专家评估", "损害项-采信")) for t in titles)
    assert assess_case(p).total == Decimal("543185.29")
    q = tmp_path / "all.xlsx"   # --methods all keeps every sheet
    assert main(["template", "-o", str(q), "--from", str(WATER), "--methods", "all"]) == 0
    assert len(_titles(q)) > len(titles)


def test_methods_option_codes_or_chinese_names(tmp_path):
    p = tmp_path / "b.xlsx"
    assert main(["template", "-o", str(p), "--blank", "--methods", "修复费用,given_amount", "--lang", "zh"]) == 0
    methods = [t for t in _titles(p) if t.startswith("损害项-")]
    assert methods == ["损害项-修复费用", "损害项-采信金额"]


@pytest.mark.parametrize("argv, word", [
    (["--methods", "nonsense"], "nonsense"),                                          # unknown method
    (["--methods", "restoration_cost", "--from", str(TEMPLATE_EXAMPLE)], "virtual_treatment_cost"),  # rows left out
])
def test_methods_refused_exit_2_nothing_written(tmp_path, capsys, argv, word):
    p = tmp_path / "x.xlsx"
    assert main(["template", "-o", str(p), "--lang", "en", *argv]) == 2
    err = capsys.readouterr().err
    assert "--methods" in err and word in err and len(err.strip().splitlines()) == 1 and not p.exists()


def test_decimals_written_exactly_and_booleans_as_booleans(tmp_path):
    """9.8 万元 was written as 9.800000000000001 (openpyxl's "%.16g"); booleans are t="b" cells."""
    case = read_case_json(TEMPLATE_EXAMPLE)
    case["cost_items"][1]["amount"]["value"] = "0.3"
    p = tmp_path / "t.xlsx"
    save_atomic(case_workbook(case, lang="zh"), p)
    with zipfile.ZipFile(p) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    numbers = re.findall(rb"<v>([-0-9.eE+]+)</v>", xml)
    assert b"9.8" in numbers and b"0.3" in numbers
    assert not [n for n in numbers if len(n.replace(b"-", b"").replace(b".", b"").lstrip(b"0")) > 15]
    assert re.search(rb'<c r="D\d+"[^>]*t="b"[^>]*><v>1</v>', xml)    # e.g. facts.undisputed_liability TRUE
    assert b">TRUE<" not in xml and b">true<" not in xml
    assert read_case_workbook(p).data["cost_items"][1]["amount"]["value"] == "0.3"
