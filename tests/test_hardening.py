"""Regression tests of the hardening issue: every bad input a clear error, no silent wrong number,
hostile files bounded.  Each test holds the reproducer of a defect found by a hostile user."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from assess import assess_case, assess_frame, row_to_case
from assess.app.cli import main
from assess.formats.excel import case_workbook, save_atomic
from factors.errors import AssessError, InputError
from factors.paths import data_dir
from xlsx_mutations import CELL_MUTATIONS, damage_deflate, mutate_number_cell, rewrite, sheet_part

EXAMPLES = data_dir() / "examples"


@pytest.fixture
def example_xlsx(tmp_path, example_dict) -> Path:
    p = tmp_path / "case.xlsx"
    save_atomic(case_workbook(example_dict), p)
    return p


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, out: str, err: str, *needles: str) -> None:
    """Exit 2, nothing on stdout, one `error:` line per problem, naming what is given."""
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert lines and all(line.startswith(("error: ", "错误：")) for line in lines), err
    for n in needles:
        assert n in err, (n, err)


# -- batch: the xlsx reader is the case-workbook reader's safe path -------------------------------

def batch_book(path: Path, rows: list[list], formulas: dict[str, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["case_id", "jurisdiction", "incident", "assessment_costs"])
    for r in rows:
        ws.append(r)
    for coord, f in (formulas or {}).items():
        ws[coord] = f
    wb.save(path)
    return path


def test_batch_formula_without_cached_value_is_refused_by_cell(tmp_path, capsys):
    # Reproducer: assessment_costs `=100+0` saved by openpyxl (no cached value) was read as empty,
    # the row's cost vanished and the batch exited 0.
    src = batch_book(tmp_path / "cases.xlsx", [["A", "CN-JS", "2024-05-12", 50]], {"D2": "=100+0"})
    out = tmp_path / "out.csv"
    code, stdout, err = run(capsys, "batch", str(src), "-o", str(out))
    assert_refused(code, stdout, err, "D2", "=100+0", "cached value")
    assert not out.exists()


def test_batch_formula_with_cached_value_is_used_and_noted(tmp_path, capsys):
    src = batch_book(tmp_path / "cases.xlsx", [["A", "CN-JS", "2024-05-12", 50]], {"D2": "=100+0"})
    # give D2 a cached value, as Excel would on saving: <f>100+0</f><v>100</v>
    rewrite(src, src.with_name("cached.xlsx"), {"xl/worksheets/sheet1.xml": lambda d: d.replace(
        b"<f>100+0</f><v></v>", b"<f>100+0</f><v>100</v>").replace(b"<f>100+0</f><v />", b"<f>100+0</f><v>100</v>")})
    out = tmp_path / "out.csv"
    code, stdout, err = run(capsys, "batch", str(src.with_name("cached.xlsx")), "-o", str(out), "--lang", "en")
    assert code == 0, err
    assert pd.read_csv(out)["total_fen"].tolist() == [10000]     # 100 元 = 10000 fen
    assert "D2" in stdout and "cached" in stdout


def test_batch_xlsx_mixed_ids_are_text_and_written_to_parquet(tmp_path, capsys):
    # Reproducer: case ids 1001 (a number cell) and "A-2" crashed writing parquet after the whole batch ran.
    src = batch_book(tmp_path / "cases.xlsx", [[1001, "CN-JS", "2024-05-12", 100], ["A-2", "CN-JS", "2024-05-12", 200]])
    out = tmp_path / "out.parquet"
    code, _, err = run(capsys, "batch", str(src), "-o", str(out))
    assert code == 0, err
    res = pd.read_parquet(out)
    assert res["case_id"].tolist() == ["1001", "A-2"] and res["total_fen"].tolist() == [10000, 20000]


@pytest.mark.parametrize("damage", ["garbage", "dtd", "missing sheet part", "deflate", "zip version"])
def test_batch_unreadable_xlsx_exit_2(tmp_path, capsys, damage):
    src = batch_book(tmp_path / "cases.xlsx", [["A", "CN-JS", "2024-05-12", 100]])
    bad = tmp_path / "bad.xlsx"
    if damage == "garbage":
        bad.write_bytes(b"PK\x03\x04 not really a zip" * 10)
    elif damage == "dtd":
        dtd = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        rewrite(src, bad, {"xl/worksheets/sheet1.xml": lambda d: d.replace(b"?>", b"?>" + dtd, 1) if b"?>" in d
                           else dtd + d})
    elif damage == "missing sheet part":
        rewrite(src, bad, {}, drop=("xl/worksheets/sheet1.xml",))
    elif damage == "zip version":
        # long fuzz run reproducer: a flipped "version needed to extract" in the central directory made
        # zipfile raise NotImplementedError("zip file version 24.5") in the batch's sheet-size probe (exit 70)
        data = bytearray(src.read_bytes())
        k = data.index(b"PK\x01\x02")
        data[k + 6:k + 8] = (245).to_bytes(2, "little")
        bad.write_bytes(bytes(data))
    else:
        damage_deflate(src, bad, "xl/worksheets/sheet1.xml")
    out = tmp_path / "out.csv"
    code, stdout, err = run(capsys, "batch", str(bad), "-o", str(out))
    assert_refused(code, stdout, err)
    assert not out.exists() and "internal error" not in err


@pytest.mark.parametrize("chunk_rows", [None, "2"])
def test_batch_parquet_whose_column_reads_short_is_exit_2(tmp_path, capsys, chunk_rows):
    # long fuzz run reproducer: a byte flipped in the footer of a 4-row parquet file (fixture) left a
    # column chunk of 0 values; pyarrow's batches then ended at once and the batch wrote 0 rows, exit 0
    src = Path(__file__).parent / "fixtures" / "batch_damaged_footer.parquet"
    before = src.read_bytes()
    out = tmp_path / "out.csv"
    extra = ["--chunk-rows", chunk_rows] if chunk_rows else []
    code, stdout, err = run(capsys, "batch", str(src), "-o", str(out), *extra)
    assert_refused(code, stdout, err, "batch_damaged_footer.parquet", ".parquet file")
    assert not out.exists() and src.read_bytes() == before


def test_batch_parquet_list_column_is_a_row_error(tmp_path, capsys):
    src = tmp_path / "cases.parquet"
    pd.DataFrame({"case_id": ["A", "B"], "jurisdiction": ["CN-JS", "CN-JS"], "incident": ["2024-05-12"] * 2,
                  "element": [["soil"], None]}).to_parquet(src)
    out = tmp_path / "out.csv"
    code, _, err = run(capsys, "batch", str(src), "-o", str(out))
    assert code == 0, err
    res = pd.read_csv(out)
    assert res["error"][0].startswith("row 0: element: expected one value") and pd.isna(res["error"][1])


# -- batch dates outside datetime64[ns] ---------------------------------------------------------------

@pytest.mark.parametrize("typed", ["1620-05-12", date(1620, 5, 12), "2300-01-01", "9999-05-12"])
def test_batch_dates_outside_1677_2262_do_not_wrap(typed):
    # Reproducer: incident 1620-05-12 became 2204-11-30 (datetime64[ns] overflow), and a CN row got
    # an amount that the single path refuses.  Now the batch refuses exactly what the single path refuses.
    row = {"case_id": "U", "jurisdiction": "CN", "incident": typed, "prevention_costs": "100"}
    out = assess_frame(pd.DataFrame([row]))
    try:
        single = assess_case(row_to_case(row)).ledger.total
    except AssessError:
        single = None
    if single is None:
        shown = typed if isinstance(typed, str) else typed.isoformat()
        assert out["error"][0] is not None and shown in out["error"][0], out["error"][0]
    else:
        assert out["error"][0] is None and out["total_fen"][0] == int(single * 100) == 10000
    assert str(typed)[:4] == "1620" or single is not None    # CN has no rule set before 2021; open after


def test_batch_tz_aware_timestamps_as_in_the_single_path():
    ts = pd.Timestamp("2024-05-12 00:00", tz="Asia/Shanghai")
    rows = [{"case_id": "A", "jurisdiction": "CN-JS", "incident": ts, "prevention_costs": "100"},
            {"case_id": "B", "jurisdiction": "CN-JS", "incident": "2024-05-12", "prevention_costs": "100"}]
    out = assess_frame(pd.DataFrame(rows))     # an object column: a tz-aware Timestamp beside text
    assert out["error"].isna().all(), out["error"].tolist()
    assert out["total_fen"].tolist() == [10000, 10000]
    assert assess_case(row_to_case(rows[0])).ledger.total == 100


# -- assess_frame / row_to_case: per-row errors, never an exception ----------------------------------

@pytest.mark.parametrize("column, value, needle", [
    ("prevention_costs", [1], "list"),
    ("case_id", {"a": 1}, "dict"),
    ("jurisdiction", {"CN-JS"}, "set"),
    ("prevention_costs", b"100", "bytes"),
    ("prevention_costs", complex(1, 2), "complex"),
])
def test_odd_cells_are_row_errors(recwarn, column, value, needle):
    rows = [{"case_id": "A", "jurisdiction": "CN-JS", "incident": "2024-05-12", "prevention_costs": "100"},
            {"case_id": "B", "jurisdiction": "CN-JS", "incident": "2024-05-12", "prevention_costs": "100"}]
    rows[0][column] = value
    df = pd.DataFrame(rows)
    out = assess_frame(df)
    assert out["error"][0].startswith(f"row 0: {column}: expected one value") and needle in out["error"][0]
    assert out["error"][1] is None and out["total_fen"][1] == 10000
    with pytest.raises(InputError):
        assess_case(row_to_case(rows[0]))
    assert not [w for w in recwarn if "Complex" in type(w.message).__name__]


def test_complex_column_is_refused_without_a_warning(recwarn):
    df = pd.DataFrame({"case_id": ["A"], "jurisdiction": ["CN-JS"], "incident": ["2024-05-12"],
                       "prevention_costs": np.array([1 + 2j])})
    out = assess_frame(df)
    assert out["error"][0] == "row 0: prevention_costs: expected a real number, got (1+2j)"
    assert not recwarn.list


@pytest.mark.parametrize("value", [float("inf"), "inf", "1e999999", "-inf"])
def test_row_to_case_with_infinite_year_is_a_row_error(value):
    # Reproducer: row_to_case({... "vl_start_year": "inf"}) raised OverflowError (int(Decimal('inf'))).
    row = {"case_id": "U", "jurisdiction": "CN", "incident": "2024-05-12", "element": "soil",
           "vl_unit_value": 1, "vl_unit_value_unit": "元/(hm²·年)", "vl_quantity": 1, "vl_quantity_unit": "hm²",
           "vl_loss_fraction": 0.5, "vl_start_year": value, "vl_end_year": 2024, "vl_base_year": 2024,
           "vl_discount_rate": 0.03}
    case = row_to_case(row)
    with pytest.raises(InputError) as exc:
        assess_case(case)
    assert "start_year" in str(exc.value)
    out = assess_frame(pd.DataFrame([row]))
    assert "vl_start_year" in out["error"][0]


# -- case workbooks: hidden rows, sheets and columns are refused ------------------------------------

@pytest.mark.parametrize("hide", ["row", "sheet", "column"])
def test_hidden_data_in_a_case_workbook_is_refused(tmp_path, capsys, example_xlsx, hide):
    # Reproducer: a hidden copy of cost item C1 (68,000.00 元) was added to the total with no note.
    wb = openpyxl.load_workbook(example_xlsx)
    ws = wb["费用项 cost_items"]
    if hide == "row":
        last = ws.max_row
        for j, c in enumerate(ws[4], start=1):
            ws.cell(last + 1, j, c.value)
        ws.cell(last + 1, 1, "C9")
        ws.row_dimensions[last + 1].hidden = True
        needle = f"!A{last + 1}"
    elif hide == "sheet":
        ws.sheet_state = "hidden"
        needle = "'费用项 cost_items': expected a visible sheet"
    else:
        ws.column_dimensions["D"].hidden = True
        needle = "!D4:D6"
    p = tmp_path / "hidden.xlsx"
    wb.save(p)
    code, out, err = run(capsys, "run", str(p))
    assert_refused(code, out, err, needle, "hidden")


@pytest.mark.parametrize("hide", ["row", "sheet", "column"])
@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_hidden_data_in_a_batch_workbook_is_refused(tmp_path, capsys, monkeypatch, hide, engine):
    # Reproducer: a hidden row B (200 元) of a batch workbook was assessed like a visible one; the
    # batch reader now applies the case reader's rule (xlsxguard.hidden_data_errors), with either engine.
    from assess.formats import excel

    if engine == "openpyxl":
        monkeypatch.setattr(excel, "calamine_available", lambda: False)
    elif not excel.calamine_available():
        pytest.skip("python-calamine not installed")
    src = batch_book(tmp_path / "cases.xlsx", [["A", "CN-JS", "2024-05-12", 100], ["B", "CN-JS", "2024-05-12", 200]])
    wb = openpyxl.load_workbook(src)
    ws = wb.active
    if hide == "row":
        ws.row_dimensions[3].hidden = True
        needle = "!A3: expected a visible row"
    elif hide == "sheet":
        wb.create_sheet("visible")
        ws.sheet_state = "hidden"
        needle = "expected a visible sheet"
    else:
        ws.column_dimensions["D"].hidden = True
        needle = "!D2:D3: expected a visible column"
    wb.save(src)
    out = tmp_path / "out.csv"
    code, stdout, err = run(capsys, "batch", str(src), "-o", str(out), "--lang", "en")
    assert_refused(code, stdout, err, needle)
    assert not out.exists()
    # the hidden header row 1 (the keys) is no data: a batch with only that hidden is read
    wb = openpyxl.load_workbook(batch_book(tmp_path / "ok.xlsx", [["A", "CN-JS", "2024-05-12", 100]]))
    wb.active.row_dimensions[1].hidden = True
    wb.save(tmp_path / "ok.xlsx")
    code, _, err = run(capsys, "batch", str(tmp_path / "ok.xlsx"), "-o", str(out))
    assert code == 0, err
    assert pd.read_csv(out)["total_fen"].tolist() == [10000]       # 100 元


def test_hidden_data_in_a_claim_workbook_is_refused(tmp_path, capsys):
    # A result workbook used as a claim hides machine columns (kind, category, amount_text) that the
    # claim reader does not read: accepted.  A hidden claim line is refused, naming its row.
    case = EXAMPLES / "js_water_pollution.json"
    claim = tmp_path / "claim.xlsx"
    assert main(["run", str(case), "-o", str(claim)]) == 0
    code, _, err = run(capsys, "check", str(case), "--claimed", str(claim))
    assert code == 0, err
    wb = openpyxl.load_workbook(claim)
    ws = wb.worksheets[0]
    ws.row_dimensions[4].hidden = True
    wb.save(claim)
    code, out, err = run(capsys, "check", str(case), "--claimed", str(claim), "--lang", "en")
    assert_refused(code, out, err, "4: expected a visible row", "row 4 hidden")


# -- instalments, control characters, template --from -------------------------------------------------

def test_instalment_due_date_past_9999_is_bad_input(tmp_path, capsys):
    d = json.loads((EXAMPLES / "js_liability_instalments.json").read_text(encoding="utf-8"))
    d["instalment_plan"].update({"agreement_date": "9999-01-01", "first_due": "9999-06-30"})
    p = tmp_path / "case.json"
    p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    for cmd in ("run", "schedule"):
        code, out, err = run(capsys, cmd, str(p))
        assert_refused(code, out, err, "instalment_plan", "9998")


def test_control_characters_are_escaped_in_workbooks_with_a_warning(tmp_path, capsys, example_dict):
    # Reproducer: a label "a\x01b" raised openpyxl's IllegalCharacterError writing -o out.xlsx.
    example_dict["damage_items"][0]["label"] = "a\x01b\x1fc"
    src = tmp_path / "case.json"
    src.write_text(json.dumps(example_dict, ensure_ascii=False), encoding="utf-8")
    for argv, out in ((["run", str(src), "-o"], tmp_path / "out.xlsx"),
                      (["template", "--from", str(src), "-o"], tmp_path / "t.xlsx")):
        code, stdout, err = run(capsys, *argv, str(out))
        assert code == 0, err
        assert err.startswith("warning: ") and "control characters" in err and err.count("\n") == 1
        texts = [c.value for ws in openpyxl.load_workbook(out).worksheets for row in ws.iter_rows() for c in row]
        assert "a\\x01b\\x1fc" in texts


@pytest.mark.parametrize("text, needle", [
    ('{"case_id": 1', "valid JSON"),
    ("{}".encode("utf-16"), "UTF-8"),
    (None, "dates.incident"),
    (None, "1e999999999"),
])
def test_template_from_validates_as_run_does(tmp_path, capsys, example_dict, text, needle):
    src = tmp_path / "case.json"
    if text is None and needle == "dates.incident":
        example_dict["dates"]["incident"] = "2024-02-30"
        text = json.dumps(example_dict, ensure_ascii=False)
    elif text is None:
        example_dict["cost_items"][0]["amount"]["value"] = "1e999999999"
        text = json.dumps(example_dict, ensure_ascii=False)
    src.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    out = tmp_path / "t.xlsx"
    code, stdout, err = run(capsys, "template", "--from", str(src), "-o", str(out))
    run_code, _, run_err = run(capsys, "run", str(src))
    assert_refused(code, stdout, err)
    assert run_code == 2 and err == run_err          # exactly as `assess run`
    assert needle in err or needle == "1e999999999"
    assert not out.exists()


# -- corrupt workbook parts: exit 2 naming sheet and cell ----------------------------------------------

@pytest.mark.parametrize("mutation", sorted(CELL_MUTATIONS))
def test_corrupt_cell_in_a_case_workbook(tmp_path, capsys, example_xlsx, mutation):
    part = sheet_part(example_xlsx, "修复费用-工程量清单")
    bad, coord = mutate_number_cell(example_xlsx, tmp_path / "bad.xlsx", part, mutation)
    before = bad.read_bytes()
    code, out, err = run(capsys, "run", str(bad))
    assert_refused(code, out, err, f"'修复费用-工程量清单'!{coord}")
    assert bad.read_bytes() == before


@pytest.mark.parametrize("mutation", sorted(set(CELL_MUTATIONS) - {"error cell #DIV/0!"}))  # a legal cell
def test_corrupt_cell_in_a_claim_workbook(tmp_path, capsys, mutation):
    case = EXAMPLES / "js_water_pollution.json"
    claim = tmp_path / "claim.xlsx"
    assert main(["run", str(case), "-o", str(claim)]) == 0
    part = sheet_part(claim, openpyxl.load_workbook(claim, read_only=True).sheetnames[0])
    bad, coord = mutate_number_cell(claim, tmp_path / "bad.xlsx", part, mutation, nth=3)
    code, out, err = run(capsys, "check", str(case), "--claimed", str(bad))
    assert code == 2, err
    assert coord in err and "internal error" not in err


@pytest.mark.parametrize("command", ["run", "check"])
def test_damaged_deflate_stream(tmp_path, capsys, example_xlsx, command):
    part = sheet_part(example_xlsx, "修复费用-工程量清单")
    bad = damage_deflate(example_xlsx, tmp_path / "bad.xlsx", part)
    argv = ["run", str(bad)] if command == "run" else ["check", str(EXAMPLES / "js_water_pollution.json"),
                                                       "--claimed", str(bad)]
    code, out, err = run(capsys, *argv)
    assert_refused(code, out, err, part)


def test_openpyxl_date_warning_does_not_leak(tmp_path, capsys, example_xlsx):
    # Reproducer: a date cell holding serial 99999999 printed openpyxl's UserWarning on stderr
    # beside the error lines.
    wb = openpyxl.load_workbook(example_xlsx)
    ws = wb["案件信息 Case"]
    cell = next(c for row in ws.iter_rows(min_row=4) for c in row if c.is_date)
    cell.value = 99999999
    cell.number_format = "yyyy-mm-dd"
    p = tmp_path / "w.xlsx"
    wb.save(p)
    code, out, err = run(capsys, "run", str(p))
    assert code == 2 and out == ""
    assert all(line.startswith("error: ") for line in err.strip().splitlines()), err
    assert "UserWarning" not in err and "warnings.warn" not in err


# -- claims: malformed structures -------------------------------------------------------------------

@pytest.mark.parametrize("claim, needle", [
    ({"items": [{"id": "D1", "amount": "1", "parts": [1]}]}, "items[0].parts"),
    ({"items": "x"}, "items"),
    ({"items": [1]}, "items[0]"),
    ({"items": [{"id": ["x"], "amount": "1"}]}, "items[0]"),
    ({"ledger": {"total": "1", "assessment_costs": {"amount": "1", "items": [1]}}}, "ledger.assessment_costs.items[0]"),
    ({"ledger": {"total": "1", "assessment_costs": {"amount": "1", "items": "x"}}}, "ledger.assessment_costs.items"),
    ({"ledger": {"assessment_costs": {"amount": "1", "items": [{"id": "C1"}]}}}, "ledger.assessment_costs.items[0]"),
])
def test_malformed_claim_structures(tmp_path, capsys, claim, needle):
    p = tmp_path / "claim.json"
    p.write_text(json.dumps(claim), encoding="utf-8")
    code, out, err = run(capsys, "check", str(EXAMPLES / "js_water_pollution.json"), "--claimed", str(p))
    assert_refused(code, out, err, needle)


# -- outputs ---------------------------------------------------------------------------------------------

def test_output_a_directory_is_refused(tmp_path, capsys):
    d = tmp_path / "dir"
    d.mkdir()
    for argv in (["example", "-o", str(d)], ["example", "-o", str(d), "--json"], ["schema", "-o", str(d)]):
        code, out, err = run(capsys, *argv)
        assert_refused(code, out, err, "directory")
    src = tmp_path / "cases.csv"
    pd.DataFrame({"case_id": ["A"], "jurisdiction": ["CN-JS"], "incident": ["2024-05-12"]}).to_csv(src, index=False)
    code, out, err = run(capsys, "batch", str(src), "-o", str(tmp_path / "dir.csv"))
    assert code == 0
    (tmp_path / "d2.csv").mkdir()
    code, out, err = run(capsys, "batch", str(src), "-o", str(tmp_path / "d2.csv"))
    assert_refused(code, out, err, "directory")


def test_output_mode_follows_the_umask(tmp_path, capsys):
    old = os.umask(0o022)
    try:
        assert main(["schema", "-o", str(tmp_path / "s.json")]) == 0
        assert stat.S_IMODE((tmp_path / "s.json").stat().st_mode) == 0o644
        os.umask(0o077)
        assert main(["schema", "-o", str(tmp_path / "t.json")]) == 0
        assert stat.S_IMODE((tmp_path / "t.json").stat().st_mode) == 0o600
        (tmp_path / "s.json").chmod(0o640)     # a file replaced keeps its mode
        assert main(["schema", "-o", str(tmp_path / "s.json")]) == 0
        assert stat.S_IMODE((tmp_path / "s.json").stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_output_symlink_is_written_through_and_fifo_refused(tmp_path, capsys):
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert main(["schema", "-o", str(link)]) == 0
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["title"]
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "schema", "-o", str(fifo))
    assert_refused(code, out, err, "FIFO")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_output_symlink_to_the_input_is_refused(tmp_path, capsys):
    src = tmp_path / "case.json"
    src.write_bytes((EXAMPLES / "js_water_pollution.json").read_bytes())
    link = tmp_path / "out.json"
    link.symlink_to(src)
    before = src.read_bytes()
    code, out, err = run(capsys, "run", str(src), "-o", str(link))
    assert_refused(code, out, err, "never modified")
    assert src.read_bytes() == before


def test_csv_output_neutralises_formula_injection(tmp_path, capsys):
    ids = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\tTAB", "\rCR", "plain"]
    src = tmp_path / "cases.parquet"
    pd.DataFrame({"case_id": ids, "jurisdiction": ["CN-JS"] * 7, "incident": ["2024-05-12"] * 7,
                  "prevention_costs": ["100"] * 7}).to_parquet(src)
    out = tmp_path / "results.csv"
    assert main(["batch", str(src), "-o", str(out)]) == 0
    res = pd.read_csv(out, dtype={"case_id": str}, keep_default_na=False)
    # ids are stripped as the single path strips them, so a leading tab or CR is gone before writing
    assert res["case_id"].tolist() == ["'=cmd|' /C calc'!A0", "'+1", "'-2", "'@SUM(A1)", "TAB", "CR", "plain"]
    from assess.app.batchio import csv_safe

    safe = csv_safe(pd.DataFrame({"error": ["\tx", "\ry", None, "ok"], "n": [1, 2, 3, 4]}))
    got = safe["error"].tolist()
    assert got[:2] == ["'\tx", "'\ry"] and pd.isna(got[2]) and got[3] == "ok" and safe["n"].tolist() == [1, 2, 3, 4]
    pq = tmp_path / "results.parquet"
    assert main(["batch", str(src), "-o", str(pq)]) == 0
    assert pd.read_parquet(pq)["case_id"].tolist() == [i.strip() for i in ids]   # parquet is typed: no quote


# -- zip bombs ------------------------------------------------------------------------------------------

def test_zip_bomb_refused_before_parsing(tmp_path, capsys, monkeypatch):
    # Reproducer (scaled down): a shared-strings part that inflates far beyond its compressed size.
    src = batch_book(tmp_path / "cases.xlsx", [["A", "CN-JS", "2024-05-12", 100]])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        zout.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t>" + b"a" * (3 << 20) + b"</t></si></sst>")
    assert bomb.stat().st_size < 100_000
    monkeypatch.setenv("ASSESS_XLSX_MAX_PART_MB", "2")
    for argv in (["batch", str(bomb), "-o", str(tmp_path / "o.csv")], ["run", str(bomb)]):
        code, out, err = run(capsys, *argv)
        assert_refused(code, out, err, "xl/sharedStrings.xml", "ASSESS_XLSX_MAX_PART_MB")
    monkeypatch.setenv("ASSESS_XLSX_MAX_PART_MB", "8")     # raised for a real large file: read
    assert main(["batch", str(bomb), "-o", str(tmp_path / "o.csv")]) == 0


def test_cell_and_row_caps(tmp_path, capsys, monkeypatch):
    src = batch_book(tmp_path / "cases.xlsx", [[f"C{i}", "CN-JS", "2024-05-12", 1] for i in range(50)])
    monkeypatch.setenv("ASSESS_XLSX_MAX_CELLS", "100")
    code, out, err = run(capsys, "batch", str(src), "-o", str(tmp_path / "o.csv"))
    assert_refused(code, out, err, "ASSESS_XLSX_MAX_CELLS")
    monkeypatch.setenv("ASSESS_XLSX_MAX_CELLS", "1000")
    monkeypatch.setenv("ASSESS_XLSX_MAX_ROWS", "10")
    code, out, err = run(capsys, "batch", str(src), "-o", str(tmp_path / "o.csv"))
    assert_refused(code, out, err, "ASSESS_XLSX_MAX_ROWS")
    monkeypatch.setenv("ASSESS_XLSX_MAX_ROWS", "x")
    code, out, err = run(capsys, "batch", str(src), "-o", str(tmp_path / "o.csv"))
    assert_refused(code, out, err, "ASSESS_XLSX_MAX_ROWS")


# -- exit codes -----------------------------------------------------------------------------------------

def test_internal_error_exit_70_distinct_from_check_differs(tmp_path, capsys, monkeypatch):
    import assess.app.cli as cli

    def boom(args):
        raise RuntimeError("simulated bug")

    monkeypatch.setitem(cli.COMMANDS, "schema", boom)
    code, out, err = run(capsys, "schema")
    assert code == 70 and out == ""   # EX_SOFTWARE
    assert err.startswith("internal error: RuntimeError: simulated bug") and err.count("\n") == 1


def test_internal_error_while_streaming_to_stdout_never_looks_like_a_result(capsys, monkeypatch):
    """`run` streams its text (and JSON) to stdout; a bug after the first lines leaves a closing line saying the
    output is incomplete, the error on stderr, exit 70 (with -o the file is written atomically: nothing)."""
    import assess.reports.render as render
    from assess.app.cli import INCOMPLETE

    real = render.result_lines

    def lines_then_bug(*a, **k):
        it = real(*a, **k)
        for _ in range(400):        # some lines (or all of them), then the bug
            try:
                yield next(it)
            except StopIteration:
                break
        raise RuntimeError("simulated bug while rendering")

    monkeypatch.setattr(render, "result_lines", lines_then_bug)
    code, out, err = run(capsys, "example")
    assert code == 70 and err.startswith("internal error: RuntimeError: simulated bug while rendering")
    assert out.rstrip("\n").endswith(INCOMPLETE)


def test_help_documents_every_exit_code(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    for code in ("0 success", "1 check only", "2 bad input", "70 internal error", "130 interrupted"):
        assert code in text


# -- issue 13, second round: reproducers of the gaps found by the long fuzz run ------------------------

def test_encrypted_zip_part_is_refused_naming_the_file(tmp_path, capsys, example_xlsx):
    # Reproducer: a part flagged encrypted raised RuntimeError ("password required") inside openpyxl: exit 70.
    from xlsx_mutations import mark_encrypted

    bad = mark_encrypted(example_xlsx, tmp_path / "enc.xlsx", "xl/workbook.xml")
    code, out, err = run(capsys, "run", str(bad), "--lang", "en")
    assert_refused(code, out, err, "enc.xlsx: xl/workbook.xml", "encrypted")


def test_error_lines_hold_no_line_separator_from_user_text(tmp_path, capsys):
    # an unknown claim field named with every line separator: still one error line
    case = EXAMPLES / "js_water_pollution.json"
    claim = tmp_path / "claim.json"
    claim.write_text(json.dumps({"total": "1", "a\nb\rc\u2028d\u2029e\x85f\x0bg": 1}), encoding="utf-8")
    code, out, err = run(capsys, "check", str(case), "--claimed", str(claim), "--lang", "en")
    assert code == 2 and len(err.splitlines()) == 1 and "a b c d e f g" in err, err


def test_line_amount_above_1e15_refused_on_both_paths(tmp_path, capsys):
    # MAX_LINE_AMOUNT = 10^15 元 (以下: 10^15 itself accepted), the same message on both paths
    d = json.loads((EXAMPLES / "js_water_pollution.json").read_text(encoding="utf-8"))
    d["cost_items"][0]["amount"] = {"value": "1e17", "unit": "元"}
    p = tmp_path / "big.json"
    p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "run", str(p), "--lang", "en")
    assert_refused(code, out, err, "cost_items[0]", "at most 10^15 元 per ledger line")
    row = {"case_id": "U", "jurisdiction": "CN-JS", "incident": "2024-05-12", "prevention_costs": "1e17"}
    res = assess_frame(pd.DataFrame([row]))
    assert pd.isna(res["total_fen"][0]) and "at most 10^15 元 per ledger line" in res["error"][0]
    ok = assess_frame(pd.DataFrame([{**row, "prevention_costs": "1e15"}]))
    assert ok["total_fen"][0] == 10 ** 17            # 10^15 元 = 10^17 fen: the bound itself is accepted


def test_routing_fen_beyond_int64_never_wraps():
    # np.array([10**19]) is uint64; read as int64 it wrapped negative (a 10^17 元 case got "no reminder")
    from assess.law.routing import fen_array

    a = fen_array([10 ** 19])
    assert a.dtype == object and a[0] == 10 ** 19
    assert fen_array([5, -3]).dtype == np.int64
    with pytest.raises(TypeError):
        fen_array([1.5])
