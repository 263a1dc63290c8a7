"""Every shipped example through a docket (issue 18): in memory, through every file format and through
`assess batch` (JSON Lines and docket directories), the same result as `assess run` — every fen, the six
routing decisions, every deadline, the punitive award and the net owed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from _docket_examples import CASE_EXAMPLES, CLAIM_FILES, ROOT, docket_cases
from assess.app.api import assess_case
from assess.app.cli import main
from assess.app.docket import OUTPUT_COLUMNS, _empty, _frame, assess_docket, put_result
from assess.formats.docket import flatten, unflatten
from assess.formats.docket_io import dumps_case, read_docket, write_docket

TODAY = date(2025, 6, 30)
COMPARED = [c for c in OUTPUT_COLUMNS if c not in ("case_id", "engine", "error")]


def test_every_shipped_json_is_a_case_file_or_a_claim():
    # six case files at the top of data/examples, and the template's filled example (template/)
    assert len(CASE_EXAMPLES) == 7
    assert any(p.relative_to(ROOT).parts[0] == "template" for p in CASE_EXAMPLES)
    assert [p.relative_to(ROOT).parts[0] for p in CLAIM_FILES] == ["claims"]      # only judgments' claim lines left out


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return docket_cases()


@pytest.fixture(scope="module")
def reference(cases) -> pd.DataFrame:
    """`assess run` of each case file (the single path's Result, written into the docket's result columns)."""
    out = _empty(len(cases))
    out["case_id"] = np.array([c["case_id"] for c in cases], object)
    for k, c in enumerate(cases):
        put_result(out, k, assess_case(c, today=TODAY))
    return _frame(out, len(cases)).set_index("case_id")


def diff(got: pd.DataFrame, want: pd.DataFrame) -> list[tuple[str, str]]:
    got = got.set_index("case_id")
    assert sorted(got.index) == sorted(want.index)
    assert got["error"].isna().all(), got["error"].dropna().to_dict()
    bad = []
    for cid in want.index:
        for c in COMPARED:
            a, b = got.at[cid, c], want.at[cid, c]
            if not ((pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and str(a) == str(b))):
                bad.append((cid, c))
    return bad


def test_reference_has_the_hand_checked_figures(reference):
    # js_vtc_hea: total 1 391 445.81 元 (README worked example); its 2029 variant has no permanent loss
    assert reference.at["JS-NT-2024-032", "total_fen"] == 139144581
    assert pd.isna(reference["punitive_fen"]).sum() < len(reference)
    v = reference.loc["JS-NT-2024-032-R2029"]
    assert v["permanent_loss_fen"] == 0 and v["total_fen"] != 139144581


def test_in_memory(cases, reference):
    assert diff(assess_docket(flatten(cases), today=TODAY), reference) == []


FORMATS = [("dk", "parquet"), ("dk", "csv"), ("dk.xlsx", None), ("dk.jsonl", None)]


@pytest.mark.parametrize("name,fmt", FORMATS, ids=["parquet", "csv", "xlsx", "jsonl"])
def test_through_every_file_format(tmp_path, cases, reference, name, fmt):
    write_docket(flatten(cases), tmp_path / name, fmt=fmt)
    parts = [assess_docket(t, today=TODAY) for t in read_docket(tmp_path / name, 3)]
    assert diff(pd.concat(parts, ignore_index=True), reference) == []


def recovery_years(cases: list[dict]) -> list:
    """Every ``recovery_year`` of every damage item, in docket order ("never" or a year)."""
    return [d["inputs"]["recovery_year"] for c in cases for d in c.get("damage_items", []) if "recovery_year" in d["inputs"]]


@pytest.mark.parametrize("fmt", ["parquet", "xlsx", "jsonl"])
def test_mixed_number_and_code_column_reads_back_typed(tmp_path, cases, fmt):
    """The bug: "never" and 2029 in one column came back as the text '2029' (refused by the case model)."""
    target = tmp_path / ("dk" if fmt == "parquet" else f"dk.{fmt}")
    write_docket(flatten(cases), target)
    back = [c for t in read_docket(target, 2) for _, c in unflatten(t)]
    assert recovery_years(back) == recovery_years(cases)
    assert {"never", 2029} <= set(recovery_years(back))
    if fmt != "xlsx":    # a workbook holds decimals as text; parquet and JSON Lines are lossless
        assert back == cases


def test_csv_reads_a_number_or_code_field_by_its_type(tmp_path, cases):
    write_docket(flatten(cases), tmp_path / "dk", fmt="csv")
    back = [c for t in read_docket(tmp_path / "dk") for _, c in unflatten(t)]
    assert recovery_years(back) == recovery_years(cases)      # every other CSV cell stays text (the case model reads it)
    assert {"never", 2029} <= set(recovery_years(back))
    assert back[0]["damage_items"][0]["id"] == cases[0]["damage_items"][0]["id"]


# -- `assess batch` against `assess run`, both through the CLI ----------------------------------------


def run_json(tmp_path: Path, case: dict) -> dict:
    src = tmp_path / f"{case['case_id']}.json"
    src.write_text(dumps_case(case), encoding="utf-8")
    out = tmp_path / f"{case['case_id']}.out.json"
    assert main(["run", str(src), "--json", "--today", TODAY.isoformat(), "-o", str(out)]) == 0
    return json.loads(out.read_text("utf-8"))


def fen(text: str) -> int:
    from decimal import Decimal

    return int(Decimal(text).scaleb(2))


@pytest.fixture(scope="module")
def run_results(tmp_path_factory, cases) -> dict[str, dict]:
    d = tmp_path_factory.mktemp("run")
    return {c["case_id"]: run_json(d, c) for c in cases}


def same_as_run(row: pd.Series, run: dict) -> list[str]:
    bad = []
    ledger = run["ledger"]
    for k, v in ledger.items():
        amount = v["amount"] if isinstance(v, dict) else v
        if int(row[f"{k}_fen"]) != fen(amount):
            bad.append(k)
    for d in run["routing"]["decisions"]:
        if str(row[d["key"]]) != d["outcome"]:
            bad.append(d["key"])
    for item in run["deadlines"]["items"]:
        due = row[f"{item['key']}_due"]
        if str(row[f"{item['key']}_status"]) != item["status"] or \
                (None if pd.isna(due) else pd.Timestamp(due).date().isoformat()) != item.get("due"):
            bad.append(item["key"])
    if str(row["consultation_state"]) != run["deadlines"]["consultation"]["state"]:
        bad.append("consultation_state")
    if str(pd.Timestamp(row["rules_date"]).date()) != run["rules_date"]:
        bad.append("rules_date")
    liab = run.get("liability")
    if liab is not None:
        pun = liab.get("punitive")
        if pun is not None and int(row["punitive_fen"]) != fen(pun["award"]):
            bad.append("punitive")
        if int(row["net_owed_fen"]) != fen(liab["net_owed"]):
            bad.append("net_owed")
    elif not pd.isna(row["net_owed_fen"]):
        bad.append("net_owed")
    return bad


@pytest.mark.parametrize("form", ["jsonl", "parquet", "csv"])
def test_assess_batch_equals_assess_run(tmp_path, capsys, cases, run_results, form):
    if form == "jsonl":
        src = tmp_path / "cases.jsonl"
        src.write_text("".join(dumps_case(c) + "\n" for c in cases), encoding="utf-8")
    else:
        src = tmp_path / "dk"
        write_docket(flatten(cases), src, fmt=form)
    out = tmp_path / "out.parquet"
    assert main(["batch", str(src), "-o", str(out), "--today", TODAY.isoformat(), "--chunk-size", "2"]) == 0
    capsys.readouterr()
    got = pd.read_parquet(out).set_index("case_id")
    assert sorted(got.index) == sorted(run_results) and got["error"].isna().all()
    assert {cid: same_as_run(got.loc[cid], run_results[cid]) for cid in run_results} == {cid: [] for cid in run_results}
