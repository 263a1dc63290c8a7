"""Sheet titles in the language asked for (assess/formats/sheetmap.py SheetSpec.title): Chinese alone with
``--lang zh``, English alone with ``en``, both when they fit; no ``~2``; the earlier titles still read."""

from __future__ import annotations

import re

import openpyxl
import pytest

from assess.app.api import assess_case
from assess.app.cli import main
from assess.formats.excel import read_case_workbook
from assess.formats.jsonio import read_case_json
from assess.formats.sheetmap import MAX_TITLE, SHEET_TITLES, sheets
from assess.law.case import parse_case
from factors.paths import data_dir

TEMPLATE_EXAMPLE = data_dir() / "examples" / "template" / "template_example.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


def titles(tmp_path, lang) -> list[str]:
    p = tmp_path / f"{lang}.xlsx"
    assert main(["template", "-o", str(p), "--lang", lang]) == 0
    return openpyxl.load_workbook(p, read_only=True).sheetnames


def test_zh_titles_are_chinese_alone(tmp_path):
    got = titles(tmp_path, "zh")
    assert got[:3] == ["案件信息", "赔偿义务人", "损害项-修复费用"]
    assert [t for t in got if re.search(r"[A-Za-z~]", t)] == []


def test_en_titles_are_english_alone(tmp_path):
    got = titles(tmp_path, "en")
    assert got[:3] == ["Case", "obligors", "restoration_cost"]
    assert [t for t in got if CJK.search(t) or "~" in t] == []


def test_both_titles_bilingual_when_they_fit():
    for spec in sheets():
        both = spec.title("both")
        assert len(both) <= MAX_TITLE
        assert both == f"{spec.zh} {spec.en}" if len(f"{spec.zh} {spec.en}") <= MAX_TITLE else both == spec.zh


def test_no_two_sheets_share_a_title_and_none_is_numbered():
    every = [t for spec in sheets() for t in (spec.zh, spec.en)]
    assert len(every) == len(set(every)) and not [t for t in every if "~" in t]
    # the habitat-equivalency paths of the injured site and of the project are told apart
    by_key = {s.key: s for s in sheets()}
    assert by_key["damage_items[habitat_equivalency].inputs.injured_path.steps"].zh == "生境等价-受损阶梯路径"
    assert by_key["damage_items[habitat_equivalency].inputs.project.path.steps"].zh == "生境等价-恢复阶梯路径"


@pytest.mark.parametrize("key, old", [
    ("damage_items[habitat_equivalency].inputs.project.path.levels", "生境等价-逐年水平~2"),
    ("fines", "罚款~2 fines~2"),
    ("punitive.fines", "罚款 fines"),
])
def test_a_workbook_with_the_earlier_titles_still_reads(tmp_path, key, old):
    """A workbook written before the titles changed (renamed back here) reads to the same case."""
    p = tmp_path / "t.xlsx"
    assert main(["template", "-o", str(p), "--lang", "both", "--from", str(TEMPLATE_EXAMPLE)]) == 0
    wb = openpyxl.load_workbook(p)
    spec = next(s for s in sheets() if s.key == key)
    assert key in SHEET_TITLES and old in spec.aliases
    ws = wb[spec.title("both")]
    ws.title = old
    wb.save(p)
    read = read_case_workbook(p)
    assert read.case == parse_case(read_case_json(TEMPLATE_EXAMPLE))
    assert assess_case(p).total == assess_case(TEMPLATE_EXAMPLE).total
