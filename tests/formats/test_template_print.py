"""What a person sees of the case template (issue 16, section 2): booleans as 是/否 (TRUE/FALSE) in
LibreOffice too, the field paths whole in column A, rows as high as their wrapped notes."""

from __future__ import annotations

import csv
import shutil
import subprocess

import openpyxl
import pytest

from assess.app.cli import main
from assess.formats.excel import BOOL_FORMATS, DATA_ROW, NOTE_ROW, display_width, read_case_workbook
from assess.formats.jsonio import read_case_json
from assess.law.case import parse_case
from factors.paths import data_dir

TEMPLATE_EXAMPLE = data_dir() / "examples" / "template" / "template_example.json"
OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc)")


@pytest.fixture(scope="module")
def zh_book(tmp_path_factory):
    p = tmp_path_factory.mktemp("zh") / "案件.xlsx"
    assert main(["template", "-o", str(p), "--lang", "zh", "--from", str(TEMPLATE_EXAMPLE)]) == 0
    return p


def _kv_rows(ws):
    return {ws.cell(r, 1).value: r for r in range(DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value}


def test_booleans_are_booleans_with_a_display_format(zh_book):
    ws = openpyxl.load_workbook(zh_book)["案件信息"]
    rows = _kv_rows(ws)
    cell = ws.cell(rows["facts.simple_facts"], 4)
    assert cell.value is False and cell.data_type == "b" and cell.number_format == BOOL_FORMATS["zh"]
    assert ws.cell(rows["facts.undisputed_liability"], 4).value is True


def test_field_paths_whole_and_wrapped_rows_high_enough(zh_book):
    wb = openpyxl.load_workbook(zh_book)
    ws = wb["案件信息"]
    paths = list(_kv_rows(ws))
    assert ws.column_dimensions["A"].width >= max(display_width(p) for p in paths)
    # a note of 2 lines or more at width 60 gets a row of at least 2 lines (12 pt each)
    for path, r in _kv_rows(ws).items():
        note = ws.cell(r, 6).value or ""
        if display_width(note) > 60:
            assert (ws.row_dimensions[r].height or 0) >= 24, path
    # a list sheet's note row is as high as its longest note needs
    obligors = wb["赔偿义务人"]
    assert (obligors.row_dimensions[NOTE_ROW].height or 0) >= 24


@needs_office
def test_libreoffice_shows_shi_fou_and_reads_back_the_same_case(zh_book, tmp_path):
    """LibreOffice's own view (its CSV export writes each cell as displayed) and a re-save by it."""
    run = subprocess.run([OFFICE, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
                          str(tmp_path), str(zh_book)], capture_output=True, timeout=300)
    assert run.returncode == 0, run.stderr
    rows = {r[0]: r for r in csv.reader((tmp_path / "案件.csv").open(encoding="utf-8")) if r}
    assert rows["facts.simple_facts"][3] == "否" and rows["facts.undisputed_liability"][3] == "是"
    out = tmp_path / "resaved"
    run = subprocess.run([OFFICE, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(zh_book)],
                         capture_output=True, timeout=300)
    assert run.returncode == 0, run.stderr
    read = read_case_workbook(out / "案件.xlsx")
    assert read.formula_notes == [] and read.case == parse_case(read_case_json(TEMPLATE_EXAMPLE))


def test_notes_are_input_messages_and_dropdowns_show_chinese(zh_book):
    """Each column's note is the input message shown when its cell is selected (Excel, WPS, LibreOffice);
    a choice column's dropdown lists Chinese labels (read back as codes: test_excel.py)."""
    wb = openpyxl.load_workbook(zh_book)
    ws = wb["费用项"]
    heads = {ws.cell(1, c).value: ws.cell(1, c).column_letter for c in range(1, ws.max_column + 1)}
    notes = {ws.cell(1, c).value: ws.cell(3, c).value for c in range(1, ws.max_column + 1)}
    by_cell = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    amount = by_cell[f"{heads['amount.value']}{DATA_ROW}"]
    assert amount.showInputMessage and amount.prompt == notes["amount.value"][:250] and amount.promptTitle
    category = by_cell[f"{heads['category']}{DATA_ROW}"]
    assert category.type == "list" and "调查、鉴定评估费用" in _list_values(wb, category.formula1)


def _list_values(wb, formula: str) -> str:
    if formula.startswith('"'):
        return formula
    sheet, ref = formula.split("!")
    ws = wb[sheet]
    col = ref.replace("$", "").split(":")[0].rstrip("0123456789")
    return ",".join(str(c.value) for c in ws[col] if c.value is not None)
