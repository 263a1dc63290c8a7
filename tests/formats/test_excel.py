"""Spreadsheet workflow: template → filled workbook → run → result workbook, errors by cell, safety."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from assess.app.api import assess_case
from assess.law.case import parse_case
from assess.app.cli import main
from assess.formats.resultbook import result_workbook
from assess.formats.excel import (DATA_ROW, case_workbook, read_case_workbook, read_rows, read_table,
                          save_atomic)
from assess.formats.sheetmap import layout
from factors.errors import InputError, UnsafeWorkbook
from factors.paths import data_dir

EXAMPLE_JSON = data_dir() / "examples" / "js_water_pollution.json"


def keys_of(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value}


def sheet(wb, key_prefix: str):
    """The sheet whose hidden key row starts like ``key_prefix`` (found without knowing its title)."""
    for spec in layout().walk():
        if spec.key == key_prefix:
            for t in spec.titles():
                if t in wb.sheetnames:
                    return wb[t]
    raise KeyError(key_prefix)


def fill_from_json(template: Path, case: dict, out: Path) -> Path:
    """Fill a blank template with openpyxl, as an assessor would, locating columns by the key row."""
    wb = openpyxl.load_workbook(template)
    ws = sheet(wb, "case")
    rows = {ws.cell(r, 1).value: r for r in range(DATA_ROW, ws.max_row + 1)}
    def scalars(obj, prefix=""):  # every scalar leaf of the nested case objects (lists have their own sheets)
        for k, v in obj.items():
            if isinstance(v, dict):
                yield from scalars(v, f"{prefix}{k}.")
            elif not isinstance(v, list):
                yield f"{prefix}{k}", v
    flat = dict(scalars(case))
    for path, value in flat.items():
        ws.cell(rows[path], 4).value = value  # dates as ISO text are accepted too
    def table(key, items):
        ws = sheet(wb, key)
        cols = keys_of(ws)
        for i, item in enumerate(items):
            for k, v in item.items():
                ws.cell(DATA_ROW + i, cols[k]).value = v
    table("obligors", case["obligors"])
    d = case["damage_items"][0]
    table("damage_items[restoration_cost]", [{"#": 1, **{k: d[k] for k in ("id", "label", "element", "restorable",
                                                                          "category", "basis")}}])
    table("damage_items[restoration_cost].inputs.lines",
          [{"damage_item_id": "D1", "label": ln["label"], "quantity.value": float(ln["quantity"]["value"]),
            "quantity.unit": ln["quantity"]["unit"], "unit_price.value": ln["unit_price"]["value"],
            "unit_price.unit": ln["unit_price"]["unit"]} for ln in d["inputs"]["lines"]])
    table("damage_items[restoration_cost].inputs.surcharges",
          [{"damage_item_id": "D1", **s} for s in d["inputs"]["surcharges"]])
    from datetime import date
    table("cost_items", [{"id": c["id"], "category": c["category"], "label": c["label"],
                          "amount.value": c["amount"]["value"], "amount.unit": c["amount"]["unit"],
                          "date": date.fromisoformat(c["date"]), "evidence": c["evidence"]} for c in case["cost_items"]])
    wb.save(out)
    return out


@pytest.fixture
def example_xlsx(tmp_path, example_dict) -> Path:
    p = tmp_path / "case.xlsx"
    save_atomic(case_workbook(example_dict), p)
    return p


def edit(src: Path, dst: Path, fn) -> Path:
    wb = openpyxl.load_workbook(src)
    fn(wb)
    wb.save(dst)
    return dst


def problems(exc: InputError) -> list[str]:
    return [str(p) for p in (exc.problems or [exc])]


# ----------------------------------------------------------------------------- layout

def test_layout_covers_every_model_field():
    """Every field of the case model (and its nested models) has a column or a sheet."""
    from assess.law.case import METHOD_ITEMS, Case

    root = layout()
    cols = {c.key for c in root.columns}
    assert {"case_id", "jurisdiction", "dates.incident", "dates.assessment_base", "description"} <= cols
    sheets = {s.key for s in root.walk()}
    for name in Case.model_fields:   # a column, a dotted group of columns (nested model) or a sheet (list)
        assert (name in cols or any(c.startswith(name + ".") for c in cols)
                or any(k == name or k.startswith(name + "[") for k in sheets)), name
    tags = {m.model_fields["method"].annotation.__args__[0] for m in METHOD_ITEMS}
    assert {f"damage_items[{t}]" for t in tags} <= {s.key for s in root.walk()}
    for spec in root.walk():
        assert all(len(t) <= 31 for t in spec.titles())
        for c in spec.columns:
            assert c.zh and c.en  # every column labelled, with a fallback


def test_layout_is_generic_for_new_fields():
    """A model with new nested lists, quantities, unions and unlabelled fields maps without a table entry."""
    from typing import Literal

    from pydantic import BaseModel, Field

    from assess.law.quantities import Money
    from assess.formats.sheetmap import layout as lay

    class Payment(BaseModel):
        on: str
        amount: Money
        note_x: str | None = None

    class Guarantee(BaseModel):
        kind: Literal["bank", "surety"]
        guarantor: str

    class Plan(BaseModel):
        guarantee: Guarantee | None = None
        instalments: list[Payment] = Field(default_factory=list)

    class Toy(BaseModel):
        case_id: str
        tags: list[str] = Field(default_factory=list)
        plan: Plan | None = None
        payments: list[Payment] = Field(default_factory=list, description="付款记录 payments made")

    root = lay(Toy)
    keys = {c.key for c in root.columns}
    assert {"case_id", "tags", "plan.guarantee.kind", "plan.guarantee.guarantor"} <= keys
    specs = {s.key: s for s in root.walk()}
    assert {"plan.instalments", "payments"} <= set(specs)
    pay = specs["payments"]
    assert [c.key for c in pay.columns] == ["on", "amount.value", "amount.unit", "note_x", "amount.distribution"]
    assert pay.column("amount.unit").dimension == "元"
    assert root.column("plan.guarantee.kind").choices == ("bank", "surety")


# ----------------------------------------------------------------------------- round trip

def test_round_trip_template_filled_with_openpyxl(tmp_path, example_dict):
    blank = tmp_path / "template.xlsx"
    assert main(["template", "-o", str(blank), "--blank", "--lang", "en"]) == 0
    filled = fill_from_json(blank, example_dict, tmp_path / "filled.xlsx")
    before = filled.read_bytes()
    out = tmp_path / "result.xlsx"
    assert main(["run", str(filled), "-o", str(out)]) == 0
    assert filled.read_bytes() == before  # the input is never modified
    assert not list(tmp_path.glob("*.tmp"))

    expected = assess_case(example_dict).to_dict()["ledger"]
    _, rows = read_table(out)
    got = {(r["kind"], r["id"]): r["amount_text"] for r in rows}
    for key, cat in ((k, v) for k, v in expected.items() if k != "total"):
        assert got[("category", key)] == cat["amount"]
        for item in cat["items"]:
            assert got[("item", item["id"])] == item["amount"]
            assert Decimal(str([r for r in rows if r["id"] == item["id"]][0]["amount"])) == Decimal(item["amount"])
    assert got[("total", "total")] == expected["total"] == "543185.29"
    assert parse_case(example_dict) == read_case_workbook(filled).case


def test_json_and_excel_give_identical_results(example_xlsx, example_dict):
    from assess.app.api import assess_workbook

    assert assess_workbook(example_xlsx).to_dict() == assess_case(example_dict).to_dict()
    assert read_case_workbook(example_xlsx).data == json.loads(json.dumps(example_dict))  # same dict, decimals kept


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_reader_accepts_every_header_language(tmp_path, example_dict, lang):
    p = tmp_path / f"{lang}.xlsx"
    assert main(["template", "-o", str(p), "--lang", lang, "--from", str(EXAMPLE_JSON)]) == 0
    assert read_case_workbook(p).case == parse_case(example_dict)


def test_template_features(example_xlsx):
    wb = openpyxl.load_workbook(example_xlsx)
    ws = sheet(wb, "damage_items[restoration_cost].inputs.lines")
    assert ws.row_dimensions[1].hidden and ws.freeze_panes == "A4"
    assert "\n" in ws.cell(2, 2).value  # bilingual header
    assert "required" in ws.cell(3, 2).value
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"list", "decimal"} <= kinds
    ws = sheet(wb, "damage_items[restoration_cost]")
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any("sediment" in f for f in lists) and any("remediation_costs" in f for f in lists)
    ws = sheet(wb, "case")
    cells = [c.value for c in ws["A"]]
    assert "dates.incident" in cells
    assert any("CN-JS" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)
    notes = {ws.cell(r, 1).value: ws.cell(r, 6).value for r in range(4, ws.max_row + 1)}
    assert "CC-1235" not in notes["case_id"]
    cost = sheet(wb, "cost_items")
    assert any("CC-1235" in (c.value or "") for c in cost[3])  # rule ID in the notes row


def test_result_workbook_sections_and_version(tmp_path, example_xlsx):
    out = tmp_path / "r.xlsx"
    assert main(["run", str(example_xlsx), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert {"赔偿清单 Ledger", "计算过程 Trace", "版本 Version", "提示 Warnings"} <= set(wb.sheetnames)
    version = {r[0]: r[1] for r in wb["版本 Version"].iter_rows(min_row=3, values_only=True)}
    import hashlib

    assert version["input_sha256"] == hashlib.sha256(example_xlsx.read_bytes()).hexdigest()
    assert version["input_file"] == "case.xlsx" and version["rules_date"] == "2024-09-30"
    assert version["parameter_set"] and version["tool_version"]
    trace = list(wb["计算过程 Trace"].iter_rows(min_row=3, values_only=True))
    assert trace[0][0] == "ledger.total" and any(r[0] == "D1.lines[0]" for r in trace)


def test_extra_result_sections_get_their_own_sheet(example_dict):
    result = assess_case(example_dict)
    result.to_dict = (lambda orig: lambda: {**orig(), "routing": {"route": "consultation", "reasons": ["a", "b"]},
                                            "deadlines": [{"event": "x", "due": "2025-01-01"}]})(result.to_dict)
    wb = result_workbook(result)
    assert {"程序路径 Routing", "期限 Deadlines"} <= set(wb.sheetnames)


# ----------------------------------------------------------------------------- errors by cell

def test_errors_name_sheet_and_cell_all_at_once(tmp_path, example_xlsx):
    def damage(wb):
        lines = sheet(wb, "damage_items[restoration_cost].inputs.lines")
        lines["D5"] = "kgz"                  # wrong unit (quantity.unit)
        lines["E6"] = "三千五"                # text in a number cell (unit_price.value)
        cost = sheet(wb, "cost_items")
        cost["F4"] = "2024年9月30日"           # date as text
        cost["E5"] = "t"                     # money in tonnes
    bad = edit(example_xlsx, tmp_path / "bad.xlsx", damage)
    with pytest.raises(InputError) as ei:
        read_case_workbook(bad)
    msgs = "\n".join(problems(ei.value))
    assert len(problems(ei.value)) == 4
    assert "'修复费用-工程量清单'!D5 [damage_items[0].inputs.lines[1].quantity" in msgs
    assert "'修复费用-工程量清单'!E6 [damage_items[0].inputs.lines[2].unit_price.value]: expected a number" in msgs
    assert "'费用项 cost_items'!F4" in msgs and "expected a date" in msgs
    assert "'费用项 cost_items'!E5 [cost_items[1].amount]: expected a unit convertible to 元" in msgs


def test_unit_error_found_while_evaluating_is_mapped_to_its_cell(tmp_path, example_xlsx, capsys):
    bad = edit(example_xlsx, tmp_path / "bad.xlsx",
               lambda wb: sheet(wb, "damage_items[restoration_cost].inputs.lines").__setitem__("F4", "元/t"))
    assert main(["run", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "'修复费用-工程量清单'!F4 [damage_items[0].inputs.lines[0].unit_price.unit]" in err


def test_missing_sheet(tmp_path, example_xlsx):
    bad = edit(example_xlsx, tmp_path / "bad.xlsx",
               lambda wb: wb.remove(sheet(wb, "damage_items[restoration_cost].inputs.lines")))
    with pytest.raises(InputError) as ei:
        read_case_workbook(bad)
    assert any("sheet '修复费用-工程量清单': expected this sheet" in m for m in problems(ei.value))
    bad = edit(example_xlsx, tmp_path / "bad2.xlsx", lambda wb: wb.remove(sheet(wb, "case")))
    with pytest.raises(InputError, match="案件信息 Case"):
        read_case_workbook(bad)


def test_merged_header_cell(tmp_path, example_xlsx):
    bad = edit(example_xlsx, tmp_path / "bad.xlsx", lambda wb: sheet(wb, "obligors").merge_cells("B2:C2"))
    with pytest.raises(InputError) as ei:
        read_case_workbook(bad)
    assert "'赔偿义务人 obligors'!B2:C2: expected no merged cells" in problems(ei.value)[0]


def test_formula_without_cached_value_is_refused(tmp_path, example_xlsx):
    bad = edit(example_xlsx, tmp_path / "bad.xlsx",
               lambda wb: sheet(wb, "damage_items[restoration_cost].inputs.lines").__setitem__("C4", "=3000+246.5"))
    with pytest.raises(UnsafeWorkbook, match=r"'修复费用-工程量清单'!C4 \(=3000\+246.5\)"):
        read_case_workbook(bad)
    assert main(["run", str(bad)]) == 2


def _set_cached_value(path: Path, sheet_xml_part: str, coord: str, value: str) -> None:
    """Give a formula cell a cached value, as Excel does when it saves."""
    tmp = path.with_suffix(".tmp.xlsx")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == sheet_xml_part:
                data = re.sub(rf'(<c r="{coord}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?'.encode(),
                              rb"\1\2<v>" + value.encode() + b"</v>", data)
            zout.writestr(info, data)
    shutil.move(tmp, path)


def test_formula_with_cached_value_is_used_and_noted(tmp_path, example_xlsx, example_dict):
    from assess.app.api import assess_workbook

    p = edit(example_xlsx, tmp_path / "f.xlsx",
             lambda wb: sheet(wb, "damage_items[restoration_cost].inputs.lines").__setitem__("C4", "=3000+246.5"))
    wb = openpyxl.load_workbook(p)
    part = f"xl/worksheets/sheet{wb.sheetnames.index('修复费用-工程量清单') + 1}.xml"
    _set_cached_value(p, part, "C4", "3246.5")
    result = assess_workbook(p)
    assert result.total == assess_case(example_dict).total
    assert any("C4" in w["path"] and "=3000+246.5" in w["en"] for w in result.warnings)
    assert result.trace.find("input.formula_cells") is not None


def test_hostile_text_is_written_as_text(tmp_path, example_dict):
    case = json.loads(json.dumps(example_dict))
    case["cost_items"][0]["label"] = '=HYPERLINK("http://evil","x")'
    case["cost_items"][1]["label"] = "+cmd|' /C calc'!A0"
    case["cost_items"][2]["label"] = "@SUM(1)"
    src = tmp_path / "hostile.json"
    src.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    tpl, out = tmp_path / "hostile.xlsx", tmp_path / "out.xlsx"
    assert main(["template", "-o", str(tpl), "--from", str(src)]) == 0
    assert main(["run", str(tpl), "-o", str(out)]) == 0
    for path in (tpl, out):
        wb = openpyxl.load_workbook(path)
        hits = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith(("=HYPERLINK", "+cmd", "@SUM"))]
        assert hits and all(c.data_type == "s" and c.quotePrefix for c in hits)
    assert read_case_workbook(tpl).case == parse_case(case)  # read back as the same text


def test_unknown_column_and_orphan_row(tmp_path, example_xlsx):
    def damage(wb):
        ws = sheet(wb, "obligors")
        ws.cell(1, 9).value = "nickname"
        ws.cell(4, 9).value = "x"
        sheet(wb, "damage_items[restoration_cost].inputs.surcharges")["A5"] = "D9"
    bad = edit(example_xlsx, tmp_path / "bad.xlsx", damage)
    with pytest.raises(InputError) as ei:
        read_case_workbook(bad)
    msgs = "\n".join(problems(ei.value))
    assert "'赔偿义务人 obligors'!I1: expected a known column key" in msgs
    assert "'修复费用-取费'!A5: expected the id of a row of sheet" in msgs


# ----------------------------------------------------------------------------- safety

def test_defusedxml_is_active():
    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_xml_entities_are_refused(tmp_path, example_xlsx, part):
    from defusedxml import EntitiesForbidden

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(example_xlsx) as zin, zipfile.ZipFile(bomb, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                decl, sep, rest = data.partition(b"?>")
                data = decl + sep + dtd + rest if sep else dtd + data
            zout.writestr(info, data)
    with pytest.raises(UnsafeWorkbook) as ei:
        read_case_workbook(bomb)
    assert isinstance(ei.value.__cause__, EntitiesForbidden)
    with pytest.raises(UnsafeWorkbook):
        read_rows(bomb, engine="calamine")
    assert main(["run", str(bomb)]) == 2


def test_output_never_replaces_input(tmp_path, example_xlsx, capsys):
    before = example_xlsx.read_bytes()
    assert main(["run", str(example_xlsx), "-o", str(example_xlsx)]) == 2
    assert example_xlsx.read_bytes() == before


# ----------------------------------------------------------------------------- batch path

@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_read_rows_engines_agree(tmp_path, engine):
    from datetime import date

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("batch")
    ws.append(["case_id", "incident", "amount"])
    ws.append(["案件编号", "Incident", "Amount"])
    ws.append(["notes", "", ""])
    for i in range(50):
        ws.append([f"C{i}", date(2024, 1, 1 + i % 28), 1.5 * i])
    p = tmp_path / "batch.xlsx"
    wb.save(p)
    keys, rows = read_rows(p, engine=engine)
    assert keys == ["case_id", "incident", "amount"] and len(rows) == 50
    assert rows[3][0] == "C3" and rows[3][2] == 4.5
    assert str(rows[3][1])[:10] == "2024-01-04"


@pytest.mark.parametrize("name", sorted(p.name for p in (data_dir() / "examples").glob("*.json")))
def test_every_shipped_example_round_trips_through_a_workbook(tmp_path, name):
    """Every example (all methods, liability, routing facts) gives the same result from JSON and xlsx."""
    from assess.app.api import assess_workbook

    data = json.loads((data_dir() / "examples" / name).read_text(encoding="utf-8"))
    p = tmp_path / "case.xlsx"
    save_atomic(case_workbook(data), p)
    assert read_case_workbook(p).data == json.loads(json.dumps(data))
    kw = {"today": date(2025, 6, 1)}
    assert assess_workbook(p, **kw).to_dict() == assess_case(data, **kw).to_dict()


def test_unrecognised_sheet_is_reported_not_silently_dropped(tmp_path, example_xlsx):
    from assess.app.api import assess_workbook

    wb = openpyxl.load_workbook(example_xlsx)
    wb.create_sheet("损害项-新方法 new_method").append(["x"])
    p = tmp_path / "extra.xlsx"
    wb.save(p)
    result = assess_workbook(p, today=date(2025, 6, 1))
    assert result.ledger.total == Decimal("543185.29")
    (w,) = [w for w in result.warnings if "new_method" in w["path"]]
    assert "not recognised" in w["en"]


# ----------------------------------------------------------------------------- re-saved by LibreOffice

LIBREOFFICE_FIXTURE = Path(__file__).parent.parent / "fixtures" / "case_zh_resaved_by_libreoffice.xlsx"


def test_workbook_resaved_by_libreoffice_reads_booleans_without_formula_notes(example_dict):
    """`assess template --lang zh` opened and saved by LibreOffice Calc 7 (headless --convert-to xlsx):
    LibreOffice writes every TRUE/FALSE as the formula =TRUE() / =FALSE(); they are booleans, not formulas."""
    import zipfile

    with zipfile.ZipFile(LIBREOFFICE_FIXTURE) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert any(re.search(rb"<f[^>]*>TRUE\(\)</f>", x) for x in sheets)   # really saved by LibreOffice
    read = read_case_workbook(LIBREOFFICE_FIXTURE)
    assert read.formula_notes == [] and not any("公式" in n["zh"] for n in read.notes)
    assert read.case == parse_case(example_dict)
    assert read.data["facts"]["simple_facts"] is True


# ----------------------------------------------------------------------------- the zh template

ALLOWED_ASCII = {"TRUE", "FALSE", "YYYY", "JSON", "type", "triangular", "high", "mode", "never"}


def test_zh_template_headers_and_notes_are_chinese(tmp_path):
    p = tmp_path / "zh.xlsx"
    assert main(["template", "-o", str(p), "--lang", "zh"]) == 0
    wb = openpyxl.load_workbook(p)
    bare_numerals = set("一二三四五六七八九十")
    english = []
    for ws in wb.worksheets:
        if ws.sheet_state == "hidden":
            continue
        if ws.cell(1, 6).value == "notes":        # the key/value sheet: label in B, note in F
            pairs = [(ws.cell(r, 2).value, ws.cell(r, 6).value) for r in range(4, ws.max_row + 1)]
        else:
            pairs = [(ws.cell(2, c).value, ws.cell(3, c).value) for c in range(1, ws.max_column + 1) if ws.cell(1, c).value]
        for head, note in pairs:
            assert head and re.search(r"[\u4e00-\u9fff]", head), (ws.title, head)
            assert head not in bare_numerals, (ws.title, head, note)
            words = set(re.findall(r"[A-Za-z]{4,}", note or "")) - ALLOWED_ASCII
            if words:
                english.append((ws.title, head, sorted(words)))
    assert not english, english[:10]


def test_zh_template_labels_named_in_the_issue(tmp_path):
    p = tmp_path / "zh.xlsx"
    assert main(["template", "-o", str(p), "--lang", "zh"]) == 0
    wb = openpyxl.load_workbook(p)
    heads = {(ws.title, ws.cell(1, c).value): ws.cell(2, c).value for ws in wb.worksheets for c in range(1, ws.max_column + 1)}
    assert heads[("磋商会议", "outcome")] == "结果"                       # was 无故不参与
    assert heads[("损害项-虚拟治理成本", "inputs.unit_cost.value")] == "单位治理成本（数值）"   # was 元 数值
    # dropdowns show Chinese and the example's codes are written as their labels
    ws = wb["损害项-修复费用"]
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(1, c).value == "category")
    assert ws.cell(4, col).value == "（四）清除污染、修复费用"
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any("地表水" in (dv.formula1 or "") or "_lists" in (dv.formula1 or "") for dv in lists)
    # every column's note is also its input message
    prompts = [dv.prompt for dv in ws.data_validations.dataValidation if dv.prompt]
    assert any("工程量" in p or "依据" in p for p in prompts) and all(dv.showInputMessage for dv in ws.data_validations.dataValidation
                                                                   if dv.prompt)


@pytest.mark.parametrize("text, code", [
    ("remediation_costs", "remediation_costs"),                           # the code
    ("（四）清除污染、修复费用", "remediation_costs"),                        # the zh label alone
    ("（四）清除污染、修复费用（remediation_costs）", "remediation_costs"),   # the bilingual label
    ("清除污染 (remediation_costs)", "remediation_costs"),
    ("不存在", "不存在"),                                                  # unknown: left for the model to refuse
])
def test_choice_cells_read_as_codes(text, code):
    from assess.formats.sheetlabels import choice_code

    assert choice_code("category", text, ("interim_service_loss", "permanent_loss", "assessment_costs",
                                          "remediation_costs", "prevention_costs")) == code


# ----------------------------------------------------------------------------- .ods and .xls case workbooks

ODS_FIXTURE = Path(__file__).parent.parent / "fixtures" / "case_zh_saved_as_ods_by_libreoffice.ods"


def test_case_workbook_saved_as_ods_reads_the_same_case(example_dict):
    """`assess template --lang zh` saved as .ods by LibreOffice Calc (headless --convert-to ods)."""
    pytest.importorskip("python_calamine")
    read = read_case_workbook(ODS_FIXTURE)
    assert read.case == parse_case(example_dict) and read.source == ODS_FIXTURE
    assert assess_case(ODS_FIXTURE).total == Decimal("543185.29")


def test_ods_without_calamine_says_which_extra(monkeypatch, capsys):
    import builtins

    real = builtins.__import__

    def no_calamine(name, *a, **kw):
        if name == "python_calamine":
            raise ImportError(name)
        return real(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_calamine)
    assert main(["run", str(ODS_FIXTURE)]) == 2
    assert "fast" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice makes the .xls (apt-get install libreoffice-calc)")
def test_case_workbook_saved_as_xls_reads_the_same_case(tmp_path, example_xlsx, example_dict):
    pytest.importorskip("python_calamine")
    import subprocess

    subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xls",
                    "--outdir", str(tmp_path), str(example_xlsx)], capture_output=True, timeout=240, check=True)
    assert read_case_workbook(tmp_path / (example_xlsx.stem + ".xls")).case == parse_case(example_dict)
