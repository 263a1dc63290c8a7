"""The result workbook as a document: widths, headers, number formats, print setup, readable tables."""

from __future__ import annotations

import re
import shutil
import subprocess

import openpyxl
import pytest

from assess.app.cli import main
from assess.formats.excel import read_table
from assess.formats.resultbook import display_width
from factors.paths import data_dir

WATER = data_dir() / "examples" / "js_water_pollution.json"
LIABILITY = data_dir() / "examples" / "js_liability_instalments.json"


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    out = {}
    for lang in ("zh", "en", "both"):
        p = tmp_path_factory.mktemp(lang) / "result.xlsx"
        assert main(["run", str(WATER), "-o", str(p), "--lang", lang]) == 0
        out[lang] = p
    return out


def _keys(ws):
    return {c.value: c.column_letter for c in ws[1]}


def test_display_width_counts_cjk_double():
    assert display_width("543,185.29") == 10
    assert display_width("赔偿总额") == 8
    assert display_width("（一）a") == 7   # full-width （ ） count 2 each: 2 + 2 + 2 + 1


def test_ledger_columns_fit_amounts_and_headers_follow_lang(books):
    wb = openpyxl.load_workbook(books["zh"])
    ws = wb.worksheets[0]
    col = _keys(ws)
    # the total 543,185.29 is 10 characters: its column must be wider (else Excel shows ###)
    assert ws.column_dimensions[col["amount"]].width >= len("543,185.29") + 1
    total = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "total")
    amount = total[ws[col["amount"] + "1"].column - 1]
    assert amount.value == pytest.approx(543185.29) and amount.number_format == "#,##0.00"
    assert ws[col["amount"] + "2"].value == "金额（元）" and ws[col["label_zh"] + "2"].value == "名称"
    assert ws.column_dimensions[col["label_en"]].hidden and not ws.column_dimensions[col["label_zh"]].hidden
    en = openpyxl.load_workbook(books["en"]).worksheets[0]
    assert en[_keys(en)["amount"] + "2"].value == "Amount (yuan)"
    both = openpyxl.load_workbook(books["both"]).worksheets[0]
    assert both[_keys(both)["amount"] + "2"].value == "金额（元）\nAmount (yuan)"


def test_print_setup_a4_fit_to_width_repeated_header(books):
    wb = openpyxl.load_workbook(books["zh"])
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9     # A4 in SpreadsheetML
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$2:$2"          # the header row on every page
        assert "&P" in ws.oddFooter.center.text and "JS-YC-2024-017" in ws.oddHeader.center.text


def test_routing_and_deadlines_are_readable_tables(books):
    wb = openpyxl.load_workbook(books["zh"])
    ws = wb["程序路径"]
    heads = [c.value for c in ws[2]]
    assert heads[:5] == ["键", "事项", "结论", "理由", "依据"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["who_acts"][1] == "管辖（由哪一级政府办理）" and rows["who_acts"][2] == "盐城市人民政府"
    assert rows["who_acts"][4] == "JS-(四)"
    ws = wb["期限"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    # JS-(三)'s 30 days bind only the department receiving a referred clue; the example's clue was not
    # referred (facts.clue_referred false), so the deadline does not apply (issue 14 §3)
    assert rows["initial_verification"][1:3] == ("线索初步核查", "不适用")
    assert rows["consultation"][2] == "已达成协议"


def test_trace_is_one_indented_tree_of_every_trace(books):
    wb = openpyxl.load_workbook(books["zh"])
    ws = wb["计算过程"]
    col = _keys(ws)
    rows = list(ws.iter_rows(min_row=3))
    ids = [r[0].value for r in rows]
    assert ids[0] == "ledger.total" and "routing.who_acts" in ids and "deadlines.initial_verification" in ids
    label = ws[col["label_zh"] + "1"].column - 1
    d1_line = next(r for r in rows if r[0].value == "D1.lines[0]")
    assert d1_line[label].alignment.indent == 4          # total → category → D1 → subtotal → line
    assert not any(t.startswith(("routing_trace", "deadlines_trace")) for t in wb.sheetnames)


def test_result_workbook_still_reads_back_exactly(books):
    _, rows = read_table(books["zh"])
    got = {(r["kind"], r["id"]): r["amount_text"] for r in rows}
    assert got[("total", "total")] == "543185.29" and got[("item", "D1")] == "425714.79"


def test_liability_and_schedule_sheets(tmp_path):
    p = tmp_path / "l.xlsx"
    assert main(["run", str(LIABILITY), "-o", str(p), "--lang", "zh"]) == 0
    wb = openpyxl.load_workbook(p)
    ws = wb["履行计划"]
    first = next(ws.iter_rows(min_row=3, values_only=True))
    # 305,000.00 deferred over 12 instalments: 25,416.67 (the last takes the remainder)
    assert first[:3] == (1, "2024-11-30", pytest.approx(25416.67))
    li = {r[0]: r[1] for r in wb["责任"].iter_rows(min_row=3, values_only=True)}
    assert li["net_owed"] == pytest.approx(335000.00)


@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="LibreOffice is not installed (apt-get install libreoffice-calc): the page count is checked where it is")
def test_example_prints_on_a_handful_of_pages(books, tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(books["zh"])], capture_output=True, timeout=240, check=True)
    pages = len(pdfium.PdfDocument(str(tmp_path / "result.pdf")))
    # was 52 before the print setup (issue 16): 7 then; 12 since the trace also holds the law-in-force steps
    # (the date and rule set governing each family of rules, issue 14 §1)
    assert pages <= 12, pages


def test_sheet_titles_follow_lang(books):
    """Chinese alone with --lang zh, English alone with en, both side by side (when they fit) with both."""
    zh = openpyxl.load_workbook(books["zh"], read_only=True).sheetnames
    en = openpyxl.load_workbook(books["en"], read_only=True).sheetnames
    both = openpyxl.load_workbook(books["both"], read_only=True).sheetnames
    assert zh[:3] == ["赔偿清单", "适用规则", "程序路径"] and not [t for t in zh if re.search(r"[A-Za-z]", t)]
    assert en[:3] == ["Ledger", "Law in force", "Routing"] and not [t for t in en if re.search(r"[\u4e00-\u9fff]", t)]
    assert both[0] == "赔偿清单 Ledger"
