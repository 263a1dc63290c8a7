"""One input vocabulary (factors/vocabulary.py): the same typed text means the same on every entry path.

The paths: a JSON case file (``assess run``), a workbook cell (``assess run case.xlsx``), a batch column
(:func:`assess.assess_frame`) and a court claim (``assess check``).  Each parametrised case feeds the
same text to every path that has such a field and expects the same value, or a refusal on every path.
Then the issue-13 reproducers (JSON numbers through a float, Unix timestamps, ``1_000`` in a claim,
decimals beyond the context, hostile units, deep JSON, batch complex/bytes/tz-aware/1620 cells) and
the Chinese error messages.
"""

from __future__ import annotations

import copy
import io
import json
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D
from functools import lru_cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from assess import assess_case, assess_frame, load_case, parse_case, row_to_case
from assess.app.batch import _bools
from assess.formats.claims import claim_from_dict
from assess.app.cli import error_lang, main
from assess.formats.excel import DATA_ROW, UNITS, case_workbook, column_note, read_case_workbook
from assess.formats.sheetmap import METHOD_LABELS, layout
from assess.law.categories import BY_KEY
from assess.law.codes import method_tags
from factors import vocabulary
from factors.errors import InputError, UnitError
from factors.units import check_dimension, parse_unit

BASE = {
    "case_id": "V-1", "jurisdiction": "CN-JS", "dates": {"incident": "2024-05-12"},
    "facts": {"simple_facts": True},
    "cost_items": [{"id": "C1", "category": "assessment_costs", "label": "report",
                    "amount": {"value": "20000", "unit": "元"}, "date": "2024-06-01", "evidence": "invoice 1"}],
}
REFUSED = "refused"


# -- the four paths --------------------------------------------------------------------------------

def _case(kind: str, typed) -> dict:
    case = copy.deepcopy(BASE)
    if kind == "amount":
        case["cost_items"][0]["amount"]["value"] = typed
    elif kind == "flag":
        case["facts"]["simple_facts"] = typed
    elif kind == "jurisdiction":
        case["jurisdiction"] = typed
    else:
        case["dates"]["incident"] = typed
    return case


def _value(case, kind: str):
    return {"amount": lambda: case.cost_items[0].amount.value, "flag": lambda: case.facts.simple_facts,
            "date": lambda: case.dates.incident, "jurisdiction": lambda: case.jurisdiction}[kind]()


def via_json(kind: str, typed, tmp_path: Path):
    p = tmp_path / "case.json"
    p.write_text(json.dumps(_case(kind, typed), ensure_ascii=False), encoding="utf-8")
    try:
        return _value(load_case(p), kind)
    except InputError:
        return REFUSED


@lru_cache(maxsize=1)
def _blank() -> bytes:
    """The workbook of BASE with only the two sheets these tests type into (the others are optional: faster)."""
    wb = case_workbook(BASE, rows=3)
    keep = {t for s in layout().walk() if s.key in ("case", "cost_items") for t in s.titles()}
    for name in list(wb.sheetnames):
        if name not in keep:
            del wb[name]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def via_workbook(kind: str, typed, tmp_path: Path):
    dst = tmp_path / "typed.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(_blank()))
    if kind == "amount":
        spec = next(s for s in layout().walk() if s.key == "cost_items")
        ws = next(wb[t] for t in spec.titles() if t in wb.sheetnames)
        col = {c.value: c.column for c in ws[1] if c.value}["amount.value"]
        ws.cell(DATA_ROW, col).value = typed
    else:
        ws = wb[next(t for t in layout().titles() if t in wb.sheetnames)]
        field = {"flag": "facts.simple_facts", "date": "dates.incident", "jurisdiction": "jurisdiction"}[kind]
        row = next(r for r in range(DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value == field)
        ws.cell(row, 4).value = typed
        ws.cell(row, 4).number_format = "General"   # typed into a plain cell (a date-formatted cell is a date)
    wb.save(dst)
    try:
        return _value(read_case_workbook(dst).case, kind)
    except InputError:
        return REFUSED


def via_batch(kind: str, typed):
    row = {"case_id": "V-1", "jurisdiction": "CN-JS", "incident": "2024-05-12", "assessment_costs": "20000",
           "simple_facts": "true"}
    row[{"amount": "assessment_costs", "flag": "simple_facts", "date": "incident", "jurisdiction": "jurisdiction"}[kind]] = typed
    df = pd.DataFrame([row], dtype=object)
    out = assess_frame(df)
    if out["error"].iloc[0] is not None:
        return REFUSED
    if kind == "amount":
        return D(int(out["assessment_costs_fen"].iloc[0])) / 100
    if kind == "date":
        return date.fromisoformat(str(out["rules_date"].iloc[0])[:10])
    if kind == "jurisdiction":
        return str(typed).strip()
    return bool(_bools(df["simple_facts"], 1)[0][0])


def via_claim(typed):
    try:
        return claim_from_dict({"total": typed}).lines[0].amount.value
    except InputError:
        return REFUSED


AMOUNTS = [
    ("1200", D("1200")), ("35.50", D("35.50")), (" 12 ", D("12")), ("1,234.50", D("1234.50")), ("+7", D("7")),
    ("1e3", D("1000")), ("0", D("0")), ("100000000000000000000", REFUSED),   # 10^20: the bound itself
    ("1_000", REFUSED), ("１００", REFUSED), ("١٠٠", REFUSED), ("NaN", REFUSED), ("inf", REFUSED),
    ("-Infinity", REFUSED), ("1E+1000000", REFUSED), ("123456789012345678901234567890", REFUSED), ("12,5", REFUSED),
    ("1,23,456", REFUSED), ("1.2.3", REFUSED), ("0x10", REFUSED), ("1+2j", REFUSED), ("1 000", REFUSED),
    ("abc", REFUSED), ("10%", REFUSED), ("1e999999", REFUSED),
]
FLAGS = [(w, True) for w in ("是", "对", "真", "true", "TRUE", "Yes", "1")] + \
        [(w, False) for w in ("否", "错", "假", "false", "No", "0")] + \
        [(w, REFUSED) for w in ("t", "f", "y", "n", "on", "off", "2", "1.0", "maybe", "不是")]
DATES = [("2024-05-12", date(2024, 5, 12)), (" 2024-05-12 ", date(2024, 5, 12))] + [
    (t, REFUSED) for t in ("2024-5-12", "2024/05/12", "1715472000", "2024-02-30", "2024-05-12 00:00:00",
                           "2024-05-12T00:00:00", "20240512", "12/05/2024", "2024-13-40")]


@pytest.mark.parametrize("typed, want", AMOUNTS)
def test_the_same_amount_text_means_the_same_on_every_path(typed, want, tmp_path):
    got = {"json": via_json("amount", typed, tmp_path), "workbook": via_workbook("amount", typed, tmp_path),
           "batch": via_batch("amount", typed), "claim": via_claim(typed)}
    assert got == {k: want for k in got}


@pytest.mark.parametrize("typed, want", FLAGS)
def test_the_same_boolean_text_means_the_same_on_every_path(typed, want, tmp_path):
    got = {"json": via_json("flag", typed, tmp_path), "workbook": via_workbook("flag", typed, tmp_path),
           "batch": via_batch("flag", typed)}
    assert got == {k: want for k in got}


@pytest.mark.parametrize("typed, want", DATES)
def test_the_same_date_text_means_the_same_on_every_path(typed, want, tmp_path):
    got = {"json": via_json("date", typed, tmp_path), "workbook": via_workbook("date", typed, tmp_path),
           "batch": via_batch("date", typed)}
    assert got == {k: want for k in got}


@pytest.mark.parametrize("typed, want", [("CN-JS", "CN-JS"), (" CN-SH ", "CN-SH"), ("cn-js", REFUSED),
                                         ("CN-ZJ", REFUSED), ("江苏", REFUSED), ("CN_JS", REFUSED)])
def test_the_same_jurisdiction_text_means_the_same_on_every_path(typed, want, tmp_path):
    got = {"json": via_json("jurisdiction", typed, tmp_path), "workbook": via_workbook("jurisdiction", typed, tmp_path),
           "batch": via_batch("jurisdiction", typed)}
    assert got == {k: want for k in got}


@pytest.mark.parametrize("number", [1715472000, 45424])   # a Unix timestamp, an Excel serial of 2024-05-12
def test_a_number_is_never_a_date_on_any_path(number, tmp_path):
    assert via_json("date", number, tmp_path) == REFUSED
    assert via_workbook("date", number, tmp_path) == REFUSED       # a number cell, not a date cell
    df = pd.DataFrame({"case_id": ["V"], "jurisdiction": ["CN-JS"], "incident": [number]})
    assert "incident: expected a date as YYYY-MM-DD, not a number" in assess_frame(df)["error"].iloc[0]


def test_a_number_zero_or_one_is_a_boolean_on_every_path(tmp_path):
    for n, want in ((1, True), (0, False), (2, REFUSED)):
        assert via_json("flag", n, tmp_path) == want
        assert via_workbook("flag", n, tmp_path) == want
        df = pd.DataFrame({"case_id": ["V"], "jurisdiction": ["CN-JS"], "incident": ["2024-05-12"],
                           "simple_facts": [float(n)]})
        assert (assess_frame(df)["error"].iloc[0] is not None) == (want == REFUSED)


# -- the vocabulary itself -----------------------------------------------------------------------------

def test_vocabulary_unit_values():
    assert vocabulary.to_decimal("1.00499999999999999999") == D("1.00499999999999999999")
    assert vocabulary.to_decimal(0.1) == D("0.1")                       # a float by its repr, never Decimal(0.1)
    assert vocabulary.to_decimal(np.float32(0.5)) == D("0.5") and vocabulary.to_decimal(np.int64(7)) == 7
    for bad in (True, np.True_, 1 + 2j, b"1", None, float("nan"), D("NaN"), D("-Infinity"), [1], 10 ** 5000):
        with pytest.raises(vocabulary.Refused):
            vocabulary.to_decimal(bad)
    # the bounds, both sides: below 10^20 in size, at least 10^-30, at most 28 significant digits
    assert vocabulary.to_decimal("-99999999999999999999.99") == D("-99999999999999999999.99")
    for bad in ("1E+20", "-1e20", "1E-31", "1." + "0" * 27 + "1"):   # the last has 29 significant digits
        with pytest.raises(vocabulary.Refused):
            vocabulary.to_decimal(bad)
    assert vocabulary.to_decimal("1E-30") == D("1E-30") and vocabulary.to_decimal("0E-1000") == 0
    assert vocabulary.to_decimal("1." + "0" * 26 + "1") == D("1." + "0" * 26 + "1")           # 28 digits
    assert vocabulary.to_decimal("1." + "0" * 40) == 1                # trailing zeros are not significant
    assert vocabulary.to_date(pd.Timestamp("2024-05-12", tz="Asia/Shanghai")) == date(2024, 5, 12)
    assert vocabulary.to_date(datetime(2024, 5, 12, tzinfo=timezone(timedelta(hours=-5)))) == date(2024, 5, 12)
    assert vocabulary.to_date(np.datetime64("1620-05-12")) == date(1620, 5, 12)
    with pytest.raises(vocabulary.Refused, match="without a time of day"):
        vocabulary.to_date(datetime(2024, 5, 12, 15, 30))
    assert vocabulary.is_empty(" ") and vocabulary.is_empty(float("nan")) and vocabulary.is_empty(pd.NA)
    assert vocabulary.is_empty(pd.NaT) and not vocabulary.is_empty(0) and not vocabulary.is_empty("0")
    assert vocabulary.code(" soil ", ("soil", "air")) == "soil"
    with pytest.raises(vocabulary.Refused, match="one of soil, air"):
        vocabulary.code("Soil", ("soil", "air"))


def test_json_depth_is_counted_without_recursion():
    deep = "[" * 100_000 + "]" * 100_000
    assert vocabulary.json_depth(deep) > vocabulary.MAX_JSON_DEPTH
    assert vocabulary.json_depth('{"a": "[[[[[[", "b": [[1]]}') == 3          # brackets inside strings do not count
    with pytest.raises(vocabulary.Refused, match="nested at most 64 deep"):
        vocabulary.loads_json(deep)
    assert vocabulary.loads_json("[" * 64 + "]" * 64) is not None        # 64 (以内) accepted, 65 refused
    with pytest.raises(vocabulary.Refused):
        vocabulary.loads_json("[" * 65 + "]" * 65)
    assert vocabulary.value_depth([[1]]) == 2 and vocabulary.value_depth(1) == 0


# -- derived from the model -----------------------------------------------------------------------------

def test_sheet_labels_and_offered_values_come_from_the_model():
    assert set(METHOD_LABELS) == set(method_tags())           # was "hea" where the model says habitat_equivalency
    titles = [t for s in layout().walk() for t in s.titles()]
    assert "损害项-生境等价 habitat_equivalency" in titles
    for dimension, units in UNITS.items():                    # every unit the template offers is one the registry reads
        for u in units:
            (check_dimension(u, dimension, "unit") if dimension else parse_unit(u))
    assert "月" not in {u for us in UNITS.values() for u in us}
    # a choice column offers the model's codes with the model's Chinese labels
    col = next(s for s in layout().walk() if s.key == "cost_items").column("category")
    assert f"assessment_costs {BY_KEY['assessment_costs'].zh}" in column_note(col)
    elem = next(s for s in layout().walk() if s.key == "damage_items[restoration_cost]").column("element")
    assert "surface_water 地表水" in column_note(elem) and "other 其他" in column_note(elem)


# -- issue 13: silent wrong numbers and internal errors ---------------------------------------------------

def _one_line(quantity, price="1", unit="项", price_unit="元/项") -> dict:
    case = copy.deepcopy(BASE)
    case["damage_items"] = [{"id": "D1", "label": "x", "element": "soil", "restorable": True,
                             "category": "remediation_costs", "method": "restoration_cost",
                             "inputs": {"lines": [{"label": "l", "quantity": {"value": quantity, "unit": unit},
                                                   "unit_price": {"value": price, "unit": price_unit}}]}}]
    return case


def test_json_numbers_are_exact_decimals(tmp_path):
    # 1.00499999999999999999 × 1 元/项 = 1.00499… → 1.00 (half-up at the fen); through a float it was 1.005 → 1.01
    p = tmp_path / "case.json"
    p.write_text(json.dumps(_one_line("X")).replace('"X"', "1.00499999999999999999"), encoding="utf-8")
    assert assess_case(load_case(p)).ledger.amount("remediation_costs") == D("1.00")
    p.write_text(json.dumps(_one_line("1.00499999999999999999")), encoding="utf-8")   # the same as a string
    assert assess_case(load_case(p)).ledger.amount("remediation_costs") == D("1.00")


def test_json_claim_numbers_are_exact(tmp_path, capsys):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(BASE), encoding="utf-8")
    claim = tmp_path / "claim.json"
    # 20000.0000000000000000001 is not 20000.00: through a float it was, and "matched"
    claim.write_text('{"total": 20000.0000000000000000001}', encoding="utf-8")
    assert main(["check", str(case), "--claimed", str(claim), "--lang", "en"]) == 2
    assert "total: expected an amount to the fen" in capsys.readouterr().err


@pytest.mark.parametrize("typed", ["1_000", "１０００"])
def test_check_refuses_1_000(typed, tmp_path, capsys):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(BASE), encoding="utf-8")
    claim = tmp_path / "claim.json"
    claim.write_text(json.dumps({"total": typed}), encoding="utf-8")
    assert main(["check", str(case), "--claimed", str(claim), "--lang", "en"]) == 2
    assert "total: expected an amount as printed" in capsys.readouterr().err


def test_json_date_refuses_a_unix_timestamp():
    case = _case("date", 1715472000)
    with pytest.raises(InputError, match="dates.incident: expected a date as YYYY-MM-DD, not a number"):
        parse_case(case)


@pytest.mark.parametrize("where, value", [
    ("quantity", "1E+1000000"), ("quantity", "1e999999"), ("price", "1e999999"),
    ("quantity", "123456789012345678901234567890"), ("quantity", "1.23456789012345678901234567890"),
])
def test_decimals_beyond_the_context_are_input_errors(where, value, write_json, capsys):
    case = _one_line(value) if where == "quantity" else _one_line("1", value)
    assert main(["run", str(write_json(case)), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "damage_items[0].inputs.lines[0]" in err and "internal error" not in err


def test_product_of_two_huge_numbers_never_reaches_arithmetic(write_json, capsys):
    # 1e999999 × 1e999999 overflowed the decimal context (decimal.Overflow, exit 1); each is refused first
    case = _one_line("1e999999", "1e999999")
    assert main(["run", str(write_json(case)), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("a number below 10^20 in size") == 2


def test_thirty_digit_expert_amount_is_an_input_error(write_json, capsys):
    case = copy.deepcopy(BASE)
    case["jurisdiction"] = "CN-SH"
    case["damage_items"] = [{"id": "E", "label": "w", "element": "wetland", "restorable": True,
                             "method": "expert_panel", "category": "interim_service_loss",
                             "inputs": {"experts": [{"name": f"x{i}", "pool": "p", "amounts": {
                                 "interim_service_loss": {"value": "123456789012345678901234567890", "unit": "元"}}}
                                 for i in range(3)]}}]
    assert main(["run", str(write_json(case)), "--lang", "en"]) == 2
    assert "internal error" not in capsys.readouterr().err


@pytest.mark.parametrize("unit, expected", [
    ("1/0", "a unit without division by zero"), ("元/0", "a unit without division by zero"),
    ("dB", "a multiplicative unit"), ("元*" * 1500 + "元", "a unit of at most 40 characters"),
    ("m" * 40_000, "a unit of at most 40 characters"), ("x" * 1_000_000, "a unit of at most 40 characters"),
])
def test_hostile_units_are_input_errors_quickly(unit, expected, write_json, capsys):
    start = time.perf_counter()
    assert main(["run", str(write_json(_one_line("1", unit=unit))), "--lang", "en"]) == 2
    assert time.perf_counter() - start < 5
    err = capsys.readouterr().err
    assert expected in err and "internal error" not in err
    assert len(err) < 600                                   # the rejected value is echoed as a short prefix only
    with pytest.raises(UnitError):
        parse_unit(unit)


@pytest.mark.parametrize("command", ["run", "template", "check-case", "check-claim"])
@pytest.mark.parametrize("shape", ["outer", "field"])
def test_deep_json_is_exit_2_naming_the_file(command, shape, tmp_path, capsys):
    deep = tmp_path / "deep.json"
    if shape == "outer":
        deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    else:
        text = json.dumps(BASE)
        deep.write_text(text[:-1] + ', "description": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    good = tmp_path / "case.json"
    good.write_text(json.dumps(BASE), encoding="utf-8")
    claim = tmp_path / "claim.json"
    claim.write_text('{"total": "20000.00"}', encoding="utf-8")
    argv = {"run": ["run", str(deep)], "template": ["template", "--from", str(deep), "-o", str(tmp_path / "t.xlsx")],
            "check-case": ["check", str(deep), "--claimed", str(claim)],
            "check-claim": ["check", str(good), "--claimed", str(deep)]}[command]
    assert main(argv + ["--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "deep.json: expected JSON nested at most 64 deep" in err
    assert not (tmp_path / "t.xlsx").exists()


def test_template_from_validates_its_input(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_case("date", "2024-02-30")), encoding="utf-8")
    assert main(["template", "--from", str(bad), "-o", str(tmp_path / "t.xlsx"), "--lang", "en"]) == 2
    assert "dates.incident: expected a date as YYYY-MM-DD" in capsys.readouterr().err
    assert not (tmp_path / "t.xlsx").exists()


# -- issue 13: the batch and the single path give one answer -------------------------------------------

def _frame(**cols) -> pd.DataFrame:
    base = {"case_id": ["B"], "jurisdiction": ["CN-JS"], "incident": ["2024-05-12"]}
    base.update(cols)
    return pd.DataFrame(base)


@pytest.mark.parametrize("cell", [1 + 2j, b"100", True, "1_000", float("inf"), 1e20])
def test_batch_number_cells_the_single_path_refuses_are_row_errors(cell):
    df = _frame(assessment_costs=pd.Series([cell], dtype=object))
    assert assess_frame(df)["error"].iloc[0] is not None
    with pytest.raises(InputError):
        parse_case(row_to_case(df.iloc[0]))


def test_batch_complex_column_is_refused_per_row():
    df = _frame(assessment_costs=np.array([1 + 0j]))
    assert "assessment_costs" in assess_frame(df)["error"].iloc[0]


@pytest.mark.parametrize("tz", ["Asia/Shanghai", "UTC", "America/New_York"])
def test_batch_accepts_tz_aware_timestamps_as_the_single_path_does(tz):
    df = _frame(incident=pd.Series(pd.to_datetime(["2024-05-12"]).tz_localize(tz)))
    out = assess_frame(df)
    assert out["error"].iloc[0] is None and str(out["rules_date"].iloc[0])[:10] == "2024-05-12"
    assert parse_case(row_to_case(df.iloc[0])).dates.incident == date(2024, 5, 12)


def test_batch_refuses_a_time_of_day_as_the_single_path_does():
    df = _frame(incident=pd.Series(pd.to_datetime(["2024-05-12 15:30"])))
    assert "incident: expected a date without a time of day" in assess_frame(df)["error"].iloc[0]
    with pytest.raises(InputError, match="without a time of day"):
        parse_case(row_to_case(df.iloc[0]))


@pytest.mark.parametrize("incident", ["1620-05-12", np.datetime64("1620-05-12", "s"), date(1620, 5, 12)])
def test_batch_dates_outside_datetime64_ns_do_not_wrap(incident):
    # 1620-05-12 wrapped to 2204 through datetime64[ns] and a VTC row got an amount the single path refuses
    cols = {"incident": pd.Series([incident], dtype="datetime64[s]" if isinstance(incident, np.datetime64) else object),
            "element": ["surface_water"], "vtc_quantity": ["10"], "vtc_quantity_unit": ["t"], "vtc_unit_cost": ["100"],
            "vtc_unit_cost_unit": ["元/t"], "vtc_gamma": ["2"], "vtc_gamma_basis": ["x"],
            "vtc_cost_provenance": ["literature"], "vtc_category": ["remediation_costs"]}
    df = _frame(**cols)
    out = assess_frame(df)
    assert out["error"].iloc[0] is not None and pd.isna(out["total_fen"].iloc[0])
    assert "2204" not in out["error"].iloc[0]
    with pytest.raises(Exception):   # noqa: B017 - the single path refuses it too (input error or rule not in force)
        assess_case(row_to_case(df.iloc[0]))


# -- error messages in Chinese -----------------------------------------------------------------------------

def _bad_case_file(write_json) -> Path:
    case = _case("flag", "t")
    case["dates"]["incident"] = 1715472000
    return write_json(case)


def test_errors_in_chinese_with_lang_zh(write_json, capsys):
    assert main(["run", str(_bad_case_file(write_json)), "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert "错误：dates.incident：应为日期（YYYY-MM-DD），而非数字" in err and "实际为 1715472000" in err
    assert "facts.simple_facts：应为是或否" in err and "expected" not in err


def test_errors_in_english_with_lang_en(write_json, capsys):
    assert main(["run", str(_bad_case_file(write_json)), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "error: facts.simple_facts: expected true or false" in err and "应为" not in err


def test_errors_follow_a_chinese_locale_when_lang_is_unset(write_json, capsys, monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["run", str(_bad_case_file(write_json))]) == 2
    assert "应为" in capsys.readouterr().err
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(["run", str(_bad_case_file(write_json))]) == 2
    assert "expected" in capsys.readouterr().err
    assert error_lang(None, {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"}) == "zh"
    assert error_lang(None, {}) == "en"


def test_workbook_errors_keep_the_cell_in_chinese(tmp_path, capsys):
    src = tmp_path / "case.xlsx"
    case_workbook(BASE).save(src)
    wb = openpyxl.load_workbook(src)
    ws = wb[next(t for t in layout().titles() if t in wb.sheetnames)]
    row = next(r for r in range(DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value == "facts.simple_facts")
    ws.cell(row, 4).value = "也许"
    wb.save(src)
    assert main(["run", str(src), "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert f"!D{row}" in err and "应为是或否" in err and "实际为 '也许'" in err


@pytest.mark.parametrize("unit", ["元" * 1_000_000, "t", "dB", "元/0"])
def test_a_money_unit_is_echoed_short(unit, write_json, capsys):
    case = copy.deepcopy(BASE)
    case["cost_items"][0]["amount"]["unit"] = unit
    assert main(["run", str(write_json(case)), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cost_items[0].amount: expected a ") and len(err) < 200 and "internal" not in err


def test_the_service_reads_requests_with_the_same_vocabulary():
    pytest.importorskip("fastapi")
    from assess.app.service import Settings, date_field, decimal_field, parse_json

    settings = Settings()
    # a case posted as JSON: numbers exact (1.00499… stays, not 1.005 through a float)
    assert parse_json(b'{"q": 1.00499999999999999999, "n": 3}', settings) == {"q": D("1.00499999999999999999"), "n": 3}
    with pytest.raises(InputError, match="nested at most"):
        parse_json(b"[" * 100_000 + b"]" * 100_000, settings)
    assert decimal_field("12.5", "base") == D("12.5")
    for bad in ("1_000", "１２", "1E+1000000", "NaN", True):
        with pytest.raises(InputError):
            decimal_field(bad, "base")
    assert date_field("2024-05-12", "date") == date(2024, 5, 12)
    for bad in ("20240512", 1715472000, "2024-02-30"):
        with pytest.raises(InputError):
            date_field(bad, "date")


def test_run_from_stdin_reads_numbers_exactly(monkeypatch, capsys):
    case = json.dumps(_one_line("X")).replace('"X"', "1.00499999999999999999")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(case.encode("utf-8"))))
    assert main(["run", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ledger"]["remediation_costs"]["amount"] == "1.00"
